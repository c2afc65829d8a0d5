/*
** report.c -- canned reports: header parsing, parameter binding and an
** all-or-nothing run.  The format is described in sql/reports/README.md;
** the API in report.h.  The shell's `.report` and the test runner's
** `-- report:` both come through here, so a report tested is a report
** shipped.
*/
#include "report.h"
#include "numtext.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *xstrndup(const char *z, size_t n) {
  char *r = malloc(n + 1);
  if (r) {
    memcpy(r, z, n);
    r[n] = 0;
  }
  return r;
}

static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *m = sqlite3_vmprintf(f, ap);
  va_end(ap);
  char *r = m ? strdup(m) : NULL;
  sqlite3_free(m);
  return r;
}

static const char *trim_left(const char *z, const char *end) {
  while (z < end && (*z == ' ' || *z == '\t')) z++;
  return z;
}

static const char *trim_right(const char *z, const char *end) {
  while (end > z && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
  return end;
}

static int is_name_char(char c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* Parses "NAME = default" or "NAME (required) about" after "-- param:". */
static int parse_param(const char *z, const char *end, ReportParam *p) {
  z = trim_left(z, end);
  const char *n0 = z;
  while (z < end && is_name_char(*z)) z++;
  if (z == n0) return 1;
  p->name = xstrndup(n0, (size_t)(z - n0));
  z = trim_left(z, end);
  if (end - z >= 10 && strncmp(z, "(required)", 10) == 0) {
    p->required = 1;
    z = trim_left(z + 10, end);
  } else if (z < end && *z == '=') {
    z = trim_left(z + 1, end);
  } else {
    return 1;
  }
  const char *e = trim_right(z, end);
  p->about = xstrndup(z, (size_t)(e - z));
  return p->name == NULL || p->about == NULL;
}

int report_parse(const char *name, const char *text, Report *out, char **err) {
  memset(out, 0, sizeof(*out));
  *err = NULL;
  out->name = strdup(name);
  out->sql = strdup(text);
  if (!out->name || !out->sql) goto nomem;
  const char *z = text;
  int line = 0;
  while (*z) {
    const char *eol = strchr(z, '\n');
    if (!eol) eol = z + strlen(z);
    line++;
    const char *e = trim_right(z, eol);
    const char *s = trim_left(z, e);
    if (s == e) { /* blank line ends nothing; keep reading comments */
    } else if (e - s >= 2 && s[0] == '-' && s[1] == '-') {
      const char *c = trim_left(s + 2, e);
      if (line == 1) {
        size_t nl = strlen(name);
        if ((size_t)(e - c) > nl + 1 && strncmp(c, name, nl) == 0 && c[nl] == ':') {
          const char *d = trim_left(c + nl + 1, e);
          out->description = xstrndup(d, (size_t)(e - d));
        } else {
          *err = fmt("report %s: line 1 must be '-- %s: one-line description'", name, name);
          goto fail;
        }
      } else if (e - c >= 6 && strncmp(c, "param:", 6) == 0) {
        ReportParam *np = realloc(out->params, sizeof(ReportParam) * (size_t)(out->nparam + 1));
        if (!np) goto nomem;
        out->params = np;
        ReportParam *p = &out->params[out->nparam++];
        memset(p, 0, sizeof(*p));
        if (parse_param(c + 6, e, p)) {
          *err = fmt("report %s: line %d: write '-- param: NAME = default' or "
                     "'-- param: NAME (required) description'", name, line);
          goto fail;
        }
        for (int i = 0; i < out->nparam - 1; i++) {
          if (strcmp(out->params[i].name, p->name) == 0) {
            *err = fmt("report %s: line %d: parameter %s declared twice", name, line, p->name);
            goto fail;
          }
        }
      }
    } else {
      break; /* the header ends at the first SQL line */
    }
    z = *eol ? eol + 1 : eol;
  }
  if (out->description == NULL) {
    *err = fmt("report %s: line 1 must be '-- %s: one-line description'", name, name);
    goto fail;
  }
  return 0;
nomem:
  *err = strdup("out of memory");
fail:
  report_free(out);
  return 1;
}

void report_free(Report *r) {
  for (int i = 0; i < r->nparam; i++) {
    free(r->params[i].name);
    free(r->params[i].about);
  }
  free(r->params);
  free(r->name);
  free(r->description);
  free(r->sql);
  memset(r, 0, sizeof(*r));
}

/* Names that mean the same parameter: reports say territory (an org unit
** of any level), some older ones unit; either is accepted for the other. */
static const char *const aliases[][2] = {{"unit", "territory"}, {"territory", "unit"}};

static int declared(const Report *r, const char *name) {
  for (int j = 0; j < r->nparam; j++)
    if (strcmp(name, r->params[j].name) == 0) return 1;
  return 0;
}

const char *report_param_name(const Report *r, const char *given) {
  if (declared(r, given)) return given;
  for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
    if (strcmp(given, aliases[k][0]) == 0 && declared(r, aliases[k][1])) return aliases[k][1];
  return given;
}

int report_check_args(const Report *r, const ReportArg *args, int nargs,
                      char **err) {
  *err = NULL;
  for (int i = 0; i < nargs; i++) {
    int known = declared(r, report_param_name(r, args[i].name));
    if (!known) {
      sqlite3_str *s = sqlite3_str_new(NULL);
      for (int j = 0; j < r->nparam; j++)
        sqlite3_str_appendf(s, "%s%s", j ? ", " : "", r->params[j].name);
      char *list = sqlite3_str_finish(s);
      *err = fmt("report %s: unknown parameter '%s' (parameters: %s)", r->name,
                 args[i].name, list && *list ? list : "none");
      sqlite3_free(list);
      return 1;
    }
    for (int j = 0; j < i; j++) {
      if (strcmp(report_param_name(r, args[i].name), report_param_name(r, args[j].name)) == 0) {
        *err = fmt("report %s: parameter '%s' given twice", r->name,
                   report_param_name(r, args[i].name));
        return 1;
      }
    }
  }
  for (int j = 0; j < r->nparam; j++) {
    if (!r->params[j].required) continue;
    int given = 0;
    for (int i = 0; i < nargs; i++)
      if (strcmp(report_param_name(r, args[i].name), r->params[j].name) == 0) given = 1;
    if (!given) {
      *err = fmt("report %s: missing required parameter '%s' (%s)", r->name,
                 r->params[j].name, r->params[j].about);
      return 1;
    }
  }
  return 0;
}

int report_bind_typed(sqlite3_stmt *stmt, int idx, const char *v) {
  size_t n = strlen(v);
  if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
    /* 'text' -- '' inside stands for one quote */
    sqlite3_str *s = sqlite3_str_new(NULL);
    for (size_t i = 1; i + 1 < n; i++) {
      sqlite3_str_appendchar(s, 1, v[i]);
      if (v[i] == '\'' && v[i + 1] == '\'' && i + 2 < n) i++;
    }
    int len = sqlite3_str_length(s);
    char *t = sqlite3_str_finish(s);
    if (t == NULL) return sqlite3_bind_text(stmt, idx, "", 0, SQLITE_STATIC);
    return sqlite3_bind_text(stmt, idx, t, len, sqlite3_free);
  }
  /* numbers read by the extension's one rule (ext/numtext.h), so a value
  ** typed here means what it means to the functions */
  long long ll;
  double d;
  if (n > 0 && n < 400 && numtext_int64(v, (int)n, &ll)) return sqlite3_bind_int64(stmt, idx, ll);
  if (n > 0 && n < 400 && numtext_number(v, (int)n, &d)) return sqlite3_bind_double(stmt, idx, d);
  return sqlite3_bind_text(stmt, idx, v, -1, SQLITE_TRANSIENT);
}

int report_bind(sqlite3_stmt *stmt, const ReportArg *args, int nargs,
                char **err) {
  *err = NULL;
  int n = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= n; i++) {
    const char *pn = sqlite3_bind_parameter_name(stmt, i);
    if (pn == NULL) {
      *err = fmt("positional parameter ?%d is not allowed in a report; use :name", i);
      return 1;
    }
    for (int a = 0; a < nargs; a++) {
      if (strcmp(pn + 1, args[a].name) == 0) {
        int rc = report_bind_typed(stmt, i, args[a].value);
        if (rc != SQLITE_OK) {
          *err = fmt("cannot bind %s: %s", pn, sqlite3_errstr(rc));
          return 1;
        }
      }
    }
  }
  return 0;
}

/* Line number (1-based) of position p in text. */
static int line_of(const char *text, const char *p) {
  int line = 1;
  for (const char *z = text; z < p && *z; z++)
    if (*z == '\n') line++;
  return line;
}

/* An error while running a statement.  A report's own check already names
** the report ("progress: no unit X"): said once, without the SQL line, which
** would only point at the check itself. */
static char *run_error(const Report *r, const char *start, const char *msg) {
  size_t n = strlen(r->name);
  if (strncmp(msg, r->name, n) == 0 && msg[n] == ':') return fmt("%s", msg);
  return fmt("report %s: line %d: %s", r->name, line_of(r->sql, start), msg);
}

int report_run(sqlite3 *db, const Report *r, const ReportArg *args0, int nargs,
               report_result_fn on_result, void *ctx, char **err) {
  *err = NULL;
  if (report_check_args(r, args0, nargs, err)) return SQLITE_ERROR;
  /* bind by the declared names (unit=... for a report of territory=...) */
  ReportArg *args = malloc(sizeof(ReportArg) * (size_t)(nargs + 1));
  if (!args) { *err = fmt("out of memory"); return SQLITE_NOMEM; }
  for (int i = 0; i < nargs; i++) {
    args[i] = args0[i];
    args[i].name = report_param_name(r, args0[i].name);
  }
  int rc = sqlite3_exec(db, "SAVEPOINT territory_report", 0, 0, 0);
  if (rc != SQLITE_OK) {
    *err = fmt("report %s: cannot start: %s", r->name, sqlite3_errmsg(db));
    free(args);
    return rc;
  }
  const char *z = r->sql;
  while (rc == SQLITE_OK && *z) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    rc = sqlite3_prepare_v2(db, z, -1, &st, &tail);
    if (rc != SQLITE_OK) {
      *err = fmt("report %s: line %d: %s", r->name, line_of(r->sql, z),
                 sqlite3_errmsg(db));
      break;
    }
    if (st == NULL) break; /* only comments/blanks left */
    const char *start = z;
    z = tail;
    char *berr = NULL;
    if (report_bind(st, args, nargs, &berr)) {
      *err = fmt("report %s: line %d: %s", r->name, line_of(r->sql, start), berr);
      free(berr);
      sqlite3_finalize(st);
      rc = SQLITE_ERROR;
      break;
    }
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW || (src == SQLITE_DONE && sqlite3_column_count(st) > 0)) {
      rc = on_result ? on_result(ctx, st, src) : SQLITE_OK;
      if (rc == SQLITE_OK && !on_result)
        while (sqlite3_step(st) == SQLITE_ROW) {
        }
      if (rc == SQLITE_OK) {
        rc = sqlite3_reset(st);
        if (rc != SQLITE_OK) *err = run_error(r, start, sqlite3_errmsg(db));
      } else if (*err == NULL) {
        int xrc = sqlite3_reset(st);
        *err = run_error(r, start, xrc != SQLITE_OK ? sqlite3_errmsg(db) : "stopped");
      }
    } else if (src != SQLITE_DONE) {
      rc = src;
      sqlite3_reset(st);
      *err = run_error(r, start, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_exec(db, "RELEASE territory_report", 0, 0, 0);
    if (rc != SQLITE_OK)
      *err = fmt("report %s: cannot commit: %s", r->name, sqlite3_errmsg(db));
  }
  if (rc != SQLITE_OK) {
    sqlite3_exec(db, "ROLLBACK TO territory_report", 0, 0, 0);
    sqlite3_exec(db, "RELEASE territory_report", 0, 0, 0);
    if (*err == NULL) *err = fmt("report %s: %s", r->name, sqlite3_errstr(rc));
  }
  free(args);
  return rc;
}
