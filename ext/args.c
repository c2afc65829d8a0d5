/*
** args.c -- argument reading and error wording shared by every function.
** See args.h for the rules.  One place decides what "a number" is, so the
** bad-input matrix in tests/sql/bad_input.test holds for every function.
*/
#include "args.h"

#include "numtext.h"

#include <math.h>
#include <string.h>

char *value_repr(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return sqlite3_mprintf("NULL");
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (isnan(d)) return sqlite3_mprintf("NaN");
      if (isinf(d)) return sqlite3_mprintf(d > 0 ? "inf" : "-inf");
      return sqlite3_mprintf("%!.15g", d);
    }
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return text_repr((const char *)sqlite3_value_text(v), sqlite3_value_bytes(v));
  }
}

char *text_repr(const char *z, int n) {
  if (z == NULL || n <= 0) return sqlite3_mprintf("''");
  /* cut at 40 bytes on a UTF-8 character boundary */
  int cut = n;
  if (n > 40) {
    cut = 40;
    while (cut > 0 && (((unsigned char)z[cut]) & 0xC0) == 0x80) cut--;
  }
  /* A NUL inside the text is shown as SQL that makes it, so '40' ||
  ** char(0) || 'abc' does not read as '40'. */
  sqlite3_str *s = sqlite3_str_new(NULL);
  int open = 0; /* inside a quoted run */
  for (int i = 0; i < cut; i++) {
    if (z[i] == 0) {
      if (open) sqlite3_str_appendchar(s, 1, '\'');
      sqlite3_str_appendall(s, i == 0 ? "char(0)" : " || char(0)");
      open = 0;
      continue;
    }
    if (!open) {
      sqlite3_str_appendall(s, i == 0 ? "'" : " || '");
      open = 1;
    }
    sqlite3_str_appendchar(s, 1, z[i]);
  }
  if (cut < n) {
    sqlite3_str_appendall(s, open ? "...'" : " || '...'");
  } else if (open) {
    sqlite3_str_appendchar(s, 1, '\'');
  }
  return sqlite3_str_finish(s);
}

int value_text_number(sqlite3_value *v, double *out) {
  const char *z = (const char *)sqlite3_value_text(v);
  return z != NULL && numtext_number(z, sqlite3_value_bytes(v), out);
}

void arg_error(sqlite3_context *ctx, const char *fn, const char *name,
               sqlite3_value *v, const char *what) {
  char *repr = value_repr(v);
  char *msg = sqlite3_mprintf("%s: %s must be %s, got %s", fn, name, what,
                              repr ? repr : "?");
  if (msg)
    sqlite3_result_error(ctx, msg, -1);
  else
    sqlite3_result_error_nomem(ctx);
  sqlite3_free(msg);
  sqlite3_free(repr);
}

int arg_number(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
               const char *name, double *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return ARG_NULL;
    case SQLITE_INTEGER:
      *out = (double)sqlite3_value_int64(v);
      return ARG_OK;
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (!isfinite(d)) {
        arg_error(ctx, fn, name, v, "a finite number");
        return ARG_ERROR;
      }
      *out = d;
      return ARG_OK;
    }
    case SQLITE_TEXT:
      if (value_text_number(v, out)) return ARG_OK;
      arg_error(ctx, fn, name, v, "a number");
      return ARG_ERROR;
    default:
      arg_error(ctx, fn, name, v, "a number");
      return ARG_ERROR;
  }
}

int arg_between(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
                const char *name, double lo, double hi, double *out) {
  int rc = arg_number(ctx, v, fn, name, out);
  if (rc != ARG_OK) return rc;
  if (*out < lo || *out > hi) {
    /* %.15g, not %!.15g: api.md words it "between 0 and 1", not "0.0 and 1.0" */
    char *what = sqlite3_mprintf("between %.15g and %.15g", lo, hi);
    arg_error(ctx, fn, name, v, what ? what : "in range");
    sqlite3_free(what);
    return ARG_ERROR;
  }
  return ARG_OK;
}

int arg_nonneg(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
               const char *name, double *out) {
  int rc = arg_number(ctx, v, fn, name, out);
  if (rc != ARG_OK) return rc;
  if (*out < 0) {
    arg_error(ctx, fn, name, v, "non-negative");
    return ARG_ERROR;
  }
  if (*out == 0) *out = 0; /* fold -0.0 */
  return ARG_OK;
}

int arg_fraction(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
                 const char *name, double *out) {
  return arg_between(ctx, v, fn, name, 0.0, 1.0, out);
}

int arg_int64(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
              const char *name, sqlite3_int64 *out) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
    return ARG_OK;
  }
  if (t == SQLITE_TEXT) {
    /* whole numbers in text keep their exact value, even past 2^53 */
    long long ll;
    const char *z = (const char *)sqlite3_value_text(v);
    if (z && numtext_int64(z, sqlite3_value_bytes(v), &ll)) {
      *out = ll;
      return ARG_OK;
    }
  }
  double d;
  int rc = arg_number(ctx, v, fn, name, &d);
  if (rc != ARG_OK) return rc;
  /* 2^63 is the first double that does not fit */
  if (d != floor(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
    arg_error(ctx, fn, name, v, "a whole number");
    return ARG_ERROR;
  }
  *out = (sqlite3_int64)d;
  return ARG_OK;
}

int arg_text(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
             const char *name, const char **out) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return ARG_NULL;
  if (t == SQLITE_BLOB) {
    arg_error(ctx, fn, name, v, "text");
    return ARG_ERROR;
  }
  const char *z = (const char *)sqlite3_value_text(v);
  if (z == NULL) {
    sqlite3_result_error_nomem(ctx);
    return ARG_ERROR;
  }
  /* C code reads the text up to its first NUL; text with a NUL inside
  ** would be judged on a prefix the caller never wrote. */
  if ((int)strlen(z) != sqlite3_value_bytes(v)) {
    arg_error(ctx, fn, name, v, "text without NUL characters");
    return ARG_ERROR;
  }
  if (*z == 0) {
    arg_error(ctx, fn, name, v, "non-empty text");
    return ARG_ERROR;
  }
  *out = z;
  return ARG_OK;
}

int arg_read_all(sqlite3_context *ctx, sqlite3_value **argv, int n,
                 const char *fn, const char *const *names,
                 const ArgReader *readers, double *out) {
  int saw_null = 0;
  for (int i = 0; i < n; i++) {
    int rc = readers[i](ctx, argv[i], fn, names[i], &out[i]);
    if (rc == ARG_ERROR) return ARG_ERROR;
    if (rc == ARG_NULL) saw_null = 1;
  }
  return saw_null ? ARG_NULL : ARG_OK;
}

void result_finite(sqlite3_context *ctx, const char *fn, double r) {
  if (isfinite(r)) {
    sqlite3_result_double(ctx, r);
  } else {
    char *msg = sqlite3_mprintf("%s: result is out of range", fn);
    sqlite3_result_error(ctx, msg ? msg : "result is out of range", -1);
    sqlite3_free(msg);
  }
}
