/*
** csv.c -- the shell's CSV importer: .import FILE TABLE, .import-dir DIR and
** the demo territory all come through here.
**
**   long csv_import(db, table, data, n, &err)
**       imports CSV text into an existing table, all or nothing
**   long import_tables(db, sources, n, show_progress, &err)
**       several tables in foreign-key dependency order (computed from
**       pragma_foreign_key_list), all or nothing in one transaction
**
** The format: RFC 4180 (fields separated by commas, "quoted" fields may hold
** commas, doubled quotes and line breaks), records end with LF or CRLF, an
** optional UTF-8 byte order mark, blank lines are skipped.  The first record
** names the columns (case-insensitive, any order, a subset is fine: the rest
** get their defaults).  An empty unquoted field is NULL; "" is the empty
** string.  Values are bound as text and the column's type converts them
** (STRICT tables refuse what does not convert); in a column that converts
** nothing (ANY, no type) an unquoted number becomes a number, see
** bind_guess().
**
** Every error names the file, the line the record starts on and, when it is
** about one field, the column: "x.csv: line 7: column 3 (beds): ..."; a
** CHECK failure also the value, the rule and, for the schema's date and
** period rules, the accepted form.  Date columns take Excel's year-first
** 2026/6/15 too (written 2026-06-15), period columns 2026/6.
** Upsert (CsvProgress.upsert, CSV_UPSERT): INSERT ... ON CONFLICT(primary
** key) DO UPDATE of the columns the file has; tables whose key says ON
** CONFLICT REPLACE (settings) are always imported so, so a file without a
** column (settings.about) does not wipe it.  Ctrl-C (g_interrupted) stops
** an import between rows; the caller's savepoint undoes it.
** Foreign keys are checked after all rows are in (so a table may refer to
** itself in any row order) and violations are mapped back to their lines.
** Speed: one prepared INSERT reused, one transaction; well over 100,000
** rows/s on ordinary tables.
**
** The parser never reads past data + n and needs no NUL terminator, so a
** fuzzer can feed it arbitrary bytes.
*/
#include "shell.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- reading CSV */

typedef struct Parser {
  const char *d;
  size_t n, pos;
  int line;               /* current physical line, 1-based */
  /* the current record: field text copied into buf */
  char *buf;
  size_t blen, bcap;
  size_t *off, *len;
  int *quoted;
  int nf, fcap;
  char *err;              /* sqlite3_malloc'd */
} Parser;

static int buf_put(Parser *p, char c) {
  if (p->blen + 1 >= p->bcap) {
    size_t nc = p->bcap ? p->bcap * 2 : 256;
    char *b = realloc(p->buf, nc);
    if (!b) return -1;
    p->buf = b;
    p->bcap = nc;
  }
  p->buf[p->blen++] = c;
  return 0;
}

static int field_begin(Parser *p) {
  if (p->nf == p->fcap) {
    int nc = p->fcap ? p->fcap * 2 : 16;
    size_t *o = realloc(p->off, sizeof(size_t) * (size_t)nc);
    if (!o) return -1;
    p->off = o;
    size_t *l = realloc(p->len, sizeof(size_t) * (size_t)nc);
    if (!l) return -1;
    p->len = l;
    int *q = realloc(p->quoted, sizeof(int) * (size_t)nc);
    if (!q) return -1;
    p->quoted = q;
    p->fcap = nc;
  }
  p->off[p->nf] = p->blen;
  p->len[p->nf] = 0;
  p->quoted[p->nf] = 0;
  p->nf++;
  return 0;
}

static int field_end(Parser *p) {
  p->len[p->nf - 1] = p->blen - p->off[p->nf - 1];
  return buf_put(p, 0);   /* NUL-terminate each field for convenience */
}

/* Reads one record.  Returns 1 (a record; *start_line set), 0 at end of
** input, -1 on a syntax error (p->err) or out of memory. */
static int next_record(Parser *p, int *start_line) {
  p->nf = 0;
  p->blen = 0;
  /* skip blank lines */
  for (;;) {
    if (p->pos >= p->n) return 0;
    char c = p->d[p->pos];
    if (c == '\n') { p->pos++; p->line++; continue; }
    if (c == '\r') {
      p->pos++;
      if (p->pos < p->n && p->d[p->pos] == '\n') p->pos++;
      p->line++;
      continue;
    }
    break;
  }
  *start_line = p->line;
  for (;;) {
    if (field_begin(p)) goto nomem;
    if (p->pos < p->n && p->d[p->pos] == '"') {
      int qline = p->line;
      p->quoted[p->nf - 1] = 1;
      p->pos++;
      for (;;) {
        if (p->pos >= p->n) {
          p->err = sqlite3_mprintf("line %d: column %d: quoted field never ends "
                                   "(missing closing \")", qline, p->nf);
          return -1;
        }
        char c = p->d[p->pos++];
        if (c == '"') {
          if (p->pos < p->n && p->d[p->pos] == '"') {
            p->pos++;
            if (buf_put(p, '"')) goto nomem;
            continue;
          }
          break;
        }
        if (c == '\n') p->line++;
        else if (c == '\r' && !(p->pos < p->n && p->d[p->pos] == '\n')) p->line++;
        if (buf_put(p, c)) goto nomem;
      }
      if (p->pos < p->n) {
        char c = p->d[p->pos];
        if (c != ',' && c != '\n' && c != '\r') {
          p->err = sqlite3_mprintf("line %d: column %d: unexpected text after "
                                   "a closing quote (write \"\" for a quote "
                                   "inside a quoted field)", p->line, p->nf);
          return -1;
        }
      }
    } else {
      while (p->pos < p->n) {
        char c = p->d[p->pos];
        if (c == ',' || c == '\n' || c == '\r') break;
        if (buf_put(p, c)) goto nomem;
        p->pos++;
      }
    }
    if (field_end(p)) goto nomem;
    if (p->pos >= p->n) return 1;
    char c = p->d[p->pos++];
    if (c == ',') continue;
    if (c == '\r' && p->pos < p->n && p->d[p->pos] == '\n') p->pos++;
    p->line++;
    return 1;
  }
nomem:
  p->err = sqlite3_mprintf("out of memory");
  return -1;
}

static void parser_free(Parser *p) {
  free(p->buf);
  free(p->off);
  free(p->len);
  free(p->quoted);
  sqlite3_free(p->err);
}

/* Checks a field: valid UTF-8 and no NUL.  Returns NULL or a reason. */
static const char *bad_text(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned cp;
    if (s[i] == 0) return "contains a NUL byte";
    if ((unsigned char)s[i] < 0x80) { i++; continue; }
    int k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (k == 0) return "is not valid UTF-8";
    i += (size_t)k;
  }
  return NULL;
}

/* ---- rowid -> line map, to name the line of a foreign-key violation */

typedef struct RowLine { sqlite3_int64 rowid; int line; } RowLine;
typedef struct RowMap { RowLine *v; size_t n, cap; int sorted; } RowMap;

static int map_add(RowMap *m, sqlite3_int64 rowid, int line) {
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 1024;
    RowLine *v = realloc(m->v, sizeof(RowLine) * nc);
    if (!v) return -1;
    m->v = v;
    m->cap = nc;
  }
  m->v[m->n].rowid = rowid;
  m->v[m->n].line = line;
  m->n++;
  m->sorted = 0;
  return 0;
}

static int cmp_rowline(const void *a, const void *b) {
  sqlite3_int64 x = ((const RowLine *)a)->rowid, y = ((const RowLine *)b)->rowid;
  return x < y ? -1 : x > y;
}

static int map_line(RowMap *m, sqlite3_int64 rowid) {
  if (!m->sorted) {
    if (m->n) qsort(m->v, m->n, sizeof(RowLine), cmp_rowline);
    m->sorted = 1;
  }
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (m->v[mid].rowid < rowid) lo = mid + 1;
    else if (m->v[mid].rowid > rowid) hi = mid;
    else return m->v[mid].line;
  }
  return 0;
}

/* ---- importing one table */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *where(const char *file, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *m = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  char *r = file ? sqlite3_mprintf("%s: %s", file, m) : sqlite3_mprintf("%s", m);
  sqlite3_free(m);
  return r;
}

/* A column without a type conversion (ANY in a STRICT table, no type,
** BLOB) would keep "12" as text: there an unquoted field that is exactly an
** integer (as SQLite prints it: no '+', no leading zeros) or a real (with
** '.' or an exponent) is stored as a number, and X'hex' (as the shell
** writes a blob) as a blob; anything else, and every quoted field, as text.
** The csv output mode quotes text that looks like these, so a file written
** by the shell reads back unchanged. */
int csv_looks_numeric(const char *f, size_t n) {
  char buf[32], *end;
  if (n == 0 || n >= 25 || strlen(f) != n) return 0;
  errno = 0;
  long long ll = strtoll(f, &end, 10);
  if (errno == 0 && *end == 0) {
    snprintf(buf, sizeof buf, "%lld", ll);
    if (strcmp(buf, f) == 0) return 1;
  }
  if (strspn(f, "0123456789.eE+-") == n && strpbrk(f, ".eE") &&
      (f[0] == '-' || f[0] == '.' || (f[0] >= '0' && f[0] <= '9'))) {
    errno = 0;
    double d = strtod(f, &end);
    if (*end == 0 && errno == 0 && isfinite(d)) return 2;
  }
  return 0;
}

int csv_looks_blob(const char *f, size_t n) {
  if (n < 3 || (f[0] != 'X' && f[0] != 'x') || f[1] != '\'' || f[n - 1] != '\'' || (n - 3) % 2)
    return 0;
  for (size_t i = 2; i < n - 1; i++)
    if (!isxdigit((unsigned char)f[i])) return 0;
  return 1;
}

static int hexval(char c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void bind_guess(sqlite3_stmt *st, int idx, const char *f, size_t n) {
  int k = csv_looks_numeric(f, n);
  if (k == 1) {
    sqlite3_bind_int64(st, idx, strtoll(f, NULL, 10));
  } else if (k == 2) {
    sqlite3_bind_double(st, idx, strtod(f, NULL));
  } else if (csv_looks_blob(f, n)) {
    size_t m = (n - 3) / 2;
    unsigned char *b = sqlite3_malloc64(m + 1);
    if (!b) { sqlite3_bind_null(st, idx); return; }
    for (size_t i = 0; i < m; i++)
      b[i] = (unsigned char)(hexval(f[2 + 2 * i]) * 16 + hexval(f[3 + 2 * i]));
    sqlite3_bind_blob64(st, idx, b, m, sqlite3_free);
  } else {
    sqlite3_bind_text(st, idx, f, (int)n, SQLITE_STATIC);
  }
}

/* ---- what a column accepts */

enum { RULE_NONE, RULE_DATE, RULE_PERIOD };

static char *table_sql(sqlite3 *db, const char *table) {
  sqlite3_stmt *st = NULL;
  char *r = NULL;
  if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND "
                             "name = ?1 COLLATE NOCASE", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      r = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return r;
}

/* The schema's two calendar rules: CHECK (date(julianday(c)) IS c), a date
** YYYY-MM-DD, and CHECK (c GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' ...), a
** period YYYY-MM. */
static int column_rule(const char *tsql, const char *col) {
  if (!tsql || !col) return RULE_NONE;
  char *d = sqlite3_mprintf("%%date(julianday(%s))%%", col);
  char *g = sqlite3_mprintf("%%%s GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'%%", col);
  int r = RULE_NONE;
  if (d && sqlite3_strlike(d, tsql, 0) == 0) r = RULE_DATE;
  else if (g && sqlite3_strlike(g, tsql, 0) == 0) r = RULE_PERIOD;
  sqlite3_free(d);
  sqlite3_free(g);
  return r;
}

/* Excel writes 2026/6/15 (and some offices 2026.6.15 or 2026-6-15): year
** first, so unambiguous; written as 2026-06-15.  Periods: 2026/6 -> 2026-06.
** Returns 1 when out was written. */
static int normalize_date(const char *f, int rule, char *out) {
  int y = 0, m = 0, d = 0, n = 0, nm = 0, nd = 0;
  char sep = 0;
  if (sscanf(f, "%4d%n", &y, &n) != 1 || n != 4) return 0;
  f += 4;
  if (*f != '/' && *f != '.' && *f != '-') return 0;
  sep = *f++;
  while (*f >= '0' && *f <= '9' && nm < 3) { m = m * 10 + (*f++ - '0'); nm++; }
  if (nm < 1 || nm > 2 || m < 1 || m > 12) return 0;
  if (rule == RULE_PERIOD) {
    if (*f) return 0;
    if (sep == '-' && nm == 2) return 0;   /* already right */
    snprintf(out, 16, "%04d-%02d", y, m);
    return 1;
  }
  if (*f++ != sep) return 0;
  while (*f >= '0' && *f <= '9' && nd < 3) { d = d * 10 + (*f++ - '0'); nd++; }
  if (*f || nd < 1 || nd > 2 || d < 1 || d > 31) return 0;
  if (sep == '-' && nm == 2 && nd == 2) return 0;
  snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
  return 1;
}

/* The first CSV column whose name the CHECK expression reads (as a word). */
static int check_column(const char *expr, char **colname, int ncol) {
  for (const char *z = expr; *z;) {
    if (*z == '\'') {   /* skip string literals */
      z++;
      while (*z && *z != '\'') z++;
      if (*z) z++;
      continue;
    }
    if (isalpha((unsigned char)*z) || *z == '_' || *z == '"') {
      int q = *z == '"';
      const char *b = z + q, *e = b;
      while (*e && (isalnum((unsigned char)*e) || *e == '_')) e++;
      for (int j = 0; j < ncol; j++)
        if (strlen(colname[j]) == (size_t)(e - b) && strncasecmp(colname[j], b, (size_t)(e - b)) == 0 &&
            *e != '(')
          return j;
      z = e + (q && *e == '"');
      if (z == b) z++;
      continue;
    }
    z++;
  }
  return -1;
}

static long count_rows(sqlite3 *db, const char *table) {
  sqlite3_stmt *st = NULL;
  long n = 0;
  char *q = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
  if (q && sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_free(q);
  return n;
}

/* Imports into table without any transaction handling.  Returns rows or -1. */
static long import_one(sqlite3 *db, const char *table, const char *data,
                       size_t n, const char *file, CsvProgress *prog,
                       RowMap *map, int upsert, long *updated, char **err) {
  Parser p = {0};
  sqlite3_stmt *cols = NULL, *ins = NULL;
  char **colname = NULL;
  int *untyped = NULL, *ispk = NULL, *rule = NULL, counting = 0;
  long before = 0;
  char *tsql = NULL;
  int ncol = 0;
  long rows = -1;
  p.d = data;
  p.n = n;
  p.line = 1;
  if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) p.pos = 3;

  /* the table's columns */
  if (sqlite3_prepare_v2(db, "SELECT name, upper(type), pk, dflt_value FROM pragma_table_info(?1)", -1,
                         &cols, NULL) != SQLITE_OK) {
    *err = where(file, "%s", sqlite3_errmsg(db));
    goto done;
  }
  sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
  int ntab = 0, npk = 0;
  while (sqlite3_step(cols) == SQLITE_ROW) {
    ntab++;
    if (sqlite3_column_int(cols, 2) > 0) npk++;
  }
  tsql = table_sql(db, table);
  if (ntab == 0) {
    *err = where(file, "no such table: %s", table);
    goto done;
  }

  int start;
  int rc = next_record(&p, &start);
  if (rc < 0) { *err = where(file, "%s", p.err); goto done; }
  if (rc == 0) { *err = where(file, "empty file: the first line must name the columns"); goto done; }
  ncol = p.nf;
  colname = calloc((size_t)ncol, sizeof(char *));
  untyped = calloc((size_t)ncol + 1, sizeof(int));
  ispk = calloc((size_t)ncol + 1, sizeof(int));
  rule = calloc((size_t)ncol + 1, sizeof(int));
  if (!colname || !untyped || !ispk || !rule) { *err = where(file, "out of memory"); goto done; }
  sqlite3_str *sql = sqlite3_str_new(db);
  sqlite3_str_appendf(sql, "INSERT INTO \"%w\"(", table);
  for (int j = 0; j < ncol; j++) {
    const char *name = p.buf + p.off[j];
    const char *bad = bad_text(name, p.len[j]);
    if (bad || p.len[j] == 0) {
      *err = where(file, "line %d: column %d: the column name %s", start, j + 1,
                   bad ? bad : "is empty");
      sqlite3_free(sqlite3_str_finish(sql));
      goto done;
    }
    /* trim blanks around header names */
    while (*name == ' ') name++;
    size_t nl = strlen(name);
    while (nl > 0 && name[nl - 1] == ' ') nl--;
    colname[j] = strndup(name, nl);
    if (!colname[j]) { *err = where(file, "out of memory"); sqlite3_free(sqlite3_str_finish(sql)); goto done; }
    int found = 0;
    sqlite3_reset(cols);
    while (sqlite3_step(cols) == SQLITE_ROW)
      if (strcasecmp((const char *)sqlite3_column_text(cols, 0), colname[j]) == 0) {
        const char *ty = (const char *)sqlite3_column_text(cols, 1);
        found = 1;
        untyped[j] = !ty || !*ty || !strcmp(ty, "ANY") || strstr(ty, "BLOB");
        ispk[j] = sqlite3_column_int(cols, 2) > 0;
        rule[j] = column_rule(tsql, (const char *)sqlite3_column_text(cols, 0));
      }
    if (!found) {
      *err = where(file, "line %d: column %d (%s): table %s has no such column",
                   start, j + 1, colname[j], table);
      sqlite3_free(sqlite3_str_finish(sql));
      goto done;
    }
    for (int k = 0; k < j; k++)
      if (strcasecmp(colname[k], colname[j]) == 0) {
        *err = where(file, "line %d: column %d (%s): named twice (also column %d)",
                     start, j + 1, colname[j], k + 1);
        sqlite3_free(sqlite3_str_finish(sql));
        goto done;
      }
    sqlite3_str_appendf(sql, "%s\"%w\"", j ? "," : "", colname[j]);
  }
  sqlite3_str_appendall(sql, ") VALUES(");
  for (int j = 0; j < ncol; j++) sqlite3_str_appendf(sql, "%s?", j ? "," : "");
  sqlite3_str_appendall(sql, ")");
  /* --upsert: a row whose key exists is updated in the columns the file
  ** has.  Tables whose key says ON CONFLICT REPLACE (settings) keep their
  ** plain INSERT (it replaces the row; insert triggers see every row), but
  ** a column the file lacks (settings.about) is carried over from the row
  ** replaced instead of being wiped, when it has no declared default. */
  int keyed = 0;
  for (int j = 0; j < ncol; j++) keyed += ispk[j];
  int replace_table = tsql && sqlite3_strlike("%PRIMARY KEY ON CONFLICT REPLACE%", tsql, 0) == 0;
  if (upsert && (npk == 0 || keyed != npk)) {
    *err = where(file, npk == 0 ? "--upsert needs a primary key; table %s has none"
                                : "--upsert: the file must have every primary key column of %s",
                 table);
    sqlite3_free(sqlite3_str_finish(sql));
    goto done;
  }
  if (upsert && npk > 0 && keyed == npk) {
    sqlite3_str_appendall(sql, " ON CONFLICT(");
    for (int j = 0, k = 0; j < ncol; j++)
      if (ispk[j]) sqlite3_str_appendf(sql, "%s\"%w\"", k++ ? "," : "", colname[j]);
    sqlite3_str_appendall(sql, ")");
    int nset = 0;
    for (int j = 0; j < ncol; j++)
      if (!ispk[j])
        sqlite3_str_appendf(sql, "%s\"%w\" = excluded.\"%w\"", nset++ ? ", " : " DO UPDATE SET ",
                            colname[j], colname[j]);
    if (nset == 0) sqlite3_str_appendall(sql, " DO NOTHING");
    counting = 1;
  }
  char *insert = sqlite3_str_finish(sql);
  if (insert && !upsert && replace_table && npk > 0 && keyed == npk) {
    sqlite3_str *q = sqlite3_str_new(db), *vals = sqlite3_str_new(db);
    sqlite3_str_appendf(q, "INSERT INTO \"%w\"(", table);
    for (int j = 0; j < ncol; j++) {
      sqlite3_str_appendf(q, "%s\"%w\"", j ? "," : "", colname[j]);
      sqlite3_str_appendf(vals, "%s?%d", j ? "," : "", j + 1);
    }
    sqlite3_reset(cols);
    while (sqlite3_step(cols) == SQLITE_ROW) {
      const char *m = (const char *)sqlite3_column_text(cols, 0);
      int in_file = 0;
      for (int j = 0; j < ncol && m; j++) in_file |= strcasecmp(m, colname[j]) == 0;
      if (!m || in_file || sqlite3_column_int(cols, 2) > 0 ||
          sqlite3_column_type(cols, 3) != SQLITE_NULL)
        continue;
      sqlite3_str_appendf(q, ",\"%w\"", m);
      sqlite3_str_appendf(vals, ",(SELECT \"%w\" FROM \"%w\" WHERE ", m, table);
      for (int j = 0, k = 0; j < ncol; j++)
        if (ispk[j]) sqlite3_str_appendf(vals, "%s\"%w\" = ?%d", k++ ? " AND " : "", colname[j], j + 1);
      sqlite3_str_appendall(vals, ")");
    }
    char *v = sqlite3_str_finish(vals);
    sqlite3_str_appendf(q, ") VALUES(%s)", v ? v : "");
    sqlite3_free(v);
    sqlite3_free(insert);
    insert = sqlite3_str_finish(q);
  }
  if (!insert) { *err = where(file, "out of memory"); goto done; }
  rc = sqlite3_prepare_v2(db, insert, -1, &ins, NULL);
  sqlite3_free(insert);
  if (rc != SQLITE_OK) { *err = where(file, "%s", sqlite3_errmsg(db)); goto done; }

  if (counting) before = count_rows(db, table);
  double t0 = now(), shown = 0;
  long count = 0;
  for (;;) {
    if (g_interrupted) {   /* Ctrl-C: the caller rolls everything back */
      *err = where(file, "interrupted at line %d; nothing imported", p.line);
      goto done;
    }
    rc = next_record(&p, &start);
    if (rc < 0) { *err = where(file, "%s", p.err); goto done; }
    if (rc == 0) break;
    if (p.nf != ncol) {
      *err = where(file, "line %d: expected %d field%s, got %d", start, ncol,
                   ncol == 1 ? "" : "s", p.nf);
      goto done;
    }
    for (int j = 0; j < ncol; j++) {
      const char *f = p.buf + p.off[j];
      const char *bad = bad_text(f, p.len[j]);
      if (bad) {
        *err = where(file, "line %d: column %d (%s): the value %s", start, j + 1,
                     colname[j], bad);
        goto done;
      }
      char norm[16];
      if (rule[j] && p.len[j] < 12 && normalize_date(f, rule[j], norm)) {
        sqlite3_bind_text(ins, j + 1, norm, -1, SQLITE_TRANSIENT);
        continue;
      }
      if (p.len[j] == 0 && !p.quoted[j])
        sqlite3_bind_null(ins, j + 1);
      else if (untyped[j] && !p.quoted[j])
        bind_guess(ins, j + 1, f, p.len[j]);
      else
        sqlite3_bind_text(ins, j + 1, f, (int)p.len[j], SQLITE_STATIC);
    }
    rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE) {
      const char *msg = sqlite3_errmsg(db);
      /* name the column when SQLite's message ends with table.column */
      int col = -1;
      const char *dot = strrchr(msg, '.');
      if (dot)
        for (int j = 0; j < ncol; j++)
          if (strcasecmp(dot + 1, colname[j]) == 0) col = j;
      if (strncmp(msg, "CHECK constraint failed: ", 25) == 0) {
        /* a CHECK names neither column nor value: find the column its
        ** rule reads, quote the value, say what is accepted */
        const char *expr = msg + 25;
        int c = check_column(expr, colname, ncol);
        if (c >= 0) {
          const char *v = p.buf + p.off[c];
          const char *hint = rule[c] == RULE_DATE ? "; dates are written YYYY-MM-DD "
                             "(2026-06-15; 2026/6/15 and 2026.6.15 are read too, "
                             "15/6/2026 is not: day and month could be either)"
                           : rule[c] == RULE_PERIOD ? "; periods are written YYYY-MM "
                             "(2026-06; 2026/6 is read too)" : "";
          if (p.len[c] == 0 && !p.quoted[c])
            *err = where(file, "line %d: column %d (%s): an empty value (NULL) is not "
                         "accepted: the rule is %s%s", start, c + 1, colname[c], expr, hint);
          else
            *err = where(file, "line %d: column %d (%s): the value '%s' is not accepted: "
                         "the rule is %s%s", start, c + 1, colname[c], v, expr, hint);
          goto done;
        }
      }
      const char *again = !upsert && strncmp(msg, "UNIQUE constraint failed", 24) == 0
                              ? " (to update the rows that exist: --upsert)" : "";
      if (col >= 0)
        *err = where(file, "line %d: column %d (%s): %s%s", start, col + 1,
                     colname[col], msg, again);
      else
        *err = where(file, "line %d: %s", start, msg);
      goto done;
    }
    if (map && map_add(map, sqlite3_last_insert_rowid(db), start)) {
      *err = where(file, "out of memory");
      goto done;
    }
    count++;
    if (prog && prog->show && (count & 1023) == 0) {
      double t = now();
      if (t - t0 > 1.0 && t - shown > 0.25) {
        fprintf(stderr, "\r\033[K%s: %ld rows, %zu of %zu bytes (%d%%)",
                file ? file : table, count, p.pos, n, n ? (int)(100.0 * p.pos / n) : 100);
        fflush(stderr);
        shown = t;
      }
    }
  }
  if (shown > 0) fputs("\r\033[K", stderr);
  rows = count;
  if (updated) *updated = counting ? count - (count_rows(db, table) - before) : 0;
done:
  sqlite3_finalize(cols);
  sqlite3_finalize(ins);
  for (int j = 0; j < ncol && colname; j++) free(colname[j]);
  free(colname);
  free(untyped);
  free(ispk);
  free(rule);
  sqlite3_free(tsql);
  parser_free(&p);
  return rows;
}

/* Foreign-key violations among the rows this import added. */
static int fk_check(sqlite3 *db, const char *table, const char *file,
                    RowMap *map, char **err) {
  sqlite3_stmt *st = NULL;
  char *q = sqlite3_mprintf(
      "SELECT c.rowid, c.parent, "
      "  (SELECT group_concat(f.\"from\", ', ') FROM pragma_foreign_key_list(?1) f "
      "    WHERE f.id = c.fkid) "
      "FROM pragma_foreign_key_check(?1) c");
  int rc = q ? sqlite3_prepare_v2(db, q, -1, &st, NULL) : SQLITE_NOMEM;
  sqlite3_free(q);
  if (rc != SQLITE_OK) {
    *err = where(file, "cannot check foreign keys: %s", sqlite3_errmsg(db));
    return -1;
  }
  sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
  int bad = 0;
  while (!bad && sqlite3_step(st) == SQLITE_ROW) {
    int line = 0;
    if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
      line = map_line(map, sqlite3_column_int64(st, 0));
      if (line == 0) continue;   /* a row that was there before */
    }
    const char *parent = (const char *)sqlite3_column_text(st, 1);
    const char *from = (const char *)sqlite3_column_text(st, 2);
    if (line)
      *err = where(file, "line %d: column %s: FOREIGN KEY constraint failed "
                   "(no such row in %s)", line, from ? from : "?", parent ? parent : "?");
    else
      *err = where(file, "column %s: FOREIGN KEY constraint failed (no such "
                   "row in %s)", from ? from : "?", parent ? parent : "?");
    bad = 1;
  }
  sqlite3_finalize(st);
  return bad ? -1 : 0;
}

static int get_defer(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  int v = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA defer_foreign_keys", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

static void set_defer(sqlite3 *db, int on) {
  sqlite3_exec(db, on ? "PRAGMA defer_foreign_keys=ON" : "PRAGMA defer_foreign_keys=OFF",
               0, 0, 0);
}

long csv_import_ex(sqlite3 *db, const char *table, const char *data, size_t n,
                   const char *file, CsvProgress *prog, char **err) {
  *err = NULL;
  int old = get_defer(db);
  if (sqlite3_exec(db, "SAVEPOINT territory_import", 0, 0, 0) != SQLITE_OK) {
    *err = where(file, "%s", sqlite3_errmsg(db));
    return -1;
  }
  set_defer(db, 1);
  RowMap map = {0};
  long rows = import_one(db, table, data, n, file, prog, &map, prog ? prog->upsert : 0,
                         prog ? &prog->updated : NULL, err);
  if (rows >= 0 && fk_check(db, table, file, &map, err)) rows = -1;
  free(map.v);
  if (rows < 0) sqlite3_exec(db, "ROLLBACK TO territory_import", 0, 0, 0);
  if (sqlite3_exec(db, "RELEASE territory_import", 0, 0, 0) != SQLITE_OK && rows >= 0) {
    *err = where(file, "%s", sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK TO territory_import", 0, 0, 0);
    sqlite3_exec(db, "RELEASE territory_import", 0, 0, 0);
    rows = -1;
  }
  if (!sqlite3_get_autocommit(db)) set_defer(db, old);
  return rows;
}

long csv_import(sqlite3 *db, const char *table, const char *data, size_t n,
                char **err) {
  return csv_import_ex(db, table, data, n, NULL, NULL, err);
}

/* ---- several tables, parents first */

static int cmp_source(const void *a, const void *b) {
  return strcasecmp(((const CsvSource *)a)->table, ((const CsvSource *)b)->table);
}

static int find_source(CsvSource *src, int n, const char *table) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int c = strcasecmp(src[mid].table, table);
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/* A min-heap of source indexes: among the tables ready to load, the
** alphabetically first goes next. */
static void heap_push(int *h, int *n, int v) {
  int i = (*n)++;
  h[i] = v;
  while (i > 0 && h[(i - 1) / 2] > h[i]) {
    int p = (i - 1) / 2, t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
}

static int heap_pop(int *h, int *n) {
  int top = h[0];
  h[0] = h[--*n];
  for (int i = 0;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < *n && h[l] < h[m]) m = l;
    if (r < *n && h[r] < h[m]) m = r;
    if (m == i) break;
    int t = h[m];
    h[m] = h[i];
    h[i] = t;
    i = m;
  }
  return top;
}

/* The import order: parents before children (Kahn's algorithm over the
** foreign keys among the given tables, alphabetical among the ready; a
** cycle falls back to alphabetical order, since foreign keys are checked
** at the end anyway).  One pragma query per table and a heap: linear in
** the number of files and keys, not quadratic. */
static int import_order(sqlite3 *db, CsvSource *src, int n, int *order) {
  int *indeg = calloc((size_t)n, sizeof(int));
  int *ehead = malloc(sizeof(int) * (size_t)n);
  int *heap = malloc(sizeof(int) * (size_t)n);
  char *done = calloc((size_t)n, 1);
  int *eto = NULL, *enext = NULL, ne = 0, ecap = 0, rc = -1;
  sqlite3_stmt *st = NULL;
  if (!indeg || !ehead || !heap || !done) goto out;
  if (sqlite3_prepare_v2(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
                         -1, &st, NULL) != SQLITE_OK)
    goto out;
  for (int i = 0; i < n; i++) ehead[i] = -1;
  for (int i = 0; i < n; i++) {   /* an edge parent -> child i */
    sqlite3_bind_text(st, 1, src[i].table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
      int p = find_source(src, n, (const char *)sqlite3_column_text(st, 0));
      if (p < 0 || p == i) continue;
      if (ne == ecap) {
        ecap = ecap ? ecap * 2 : 64;
        int *a = realloc(eto, sizeof(int) * (size_t)ecap), *b = a ? realloc(enext, sizeof(int) * (size_t)ecap) : NULL;
        if (a) eto = a;
        if (!a || !b) goto out;
        enext = b;
      }
      eto[ne] = i;
      enext[ne] = ehead[p];
      ehead[p] = ne++;
      indeg[i]++;
    }
    sqlite3_reset(st);
  }
  int nh = 0, k = 0, next_any = 0;
  for (int i = 0; i < n; i++)
    if (indeg[i] == 0) heap_push(heap, &nh, i);
  while (k < n) {
    int pick;
    if (nh > 0) {
      pick = heap_pop(heap, &nh);
    } else {   /* a cycle: the first table not yet loaded */
      while (done[next_any]) next_any++;
      pick = next_any;
    }
    if (done[pick]) continue;
    done[pick] = 1;
    order[k++] = pick;
    for (int e = ehead[pick]; e >= 0; e = enext[e])
      if (--indeg[eto[e]] == 0 && !done[eto[e]]) heap_push(heap, &nh, eto[e]);
  }
  rc = 0;
out:
  sqlite3_finalize(st);
  free(indeg);
  free(ehead);
  free(heap);
  free(done);
  free(eto);
  free(enext);
  return rc;
}

long import_tables(sqlite3 *db, CsvSource *src, int n, int show_progress,
                   char **err) {
  *err = NULL;
  if (n == 0) return 0;
  qsort(src, (size_t)n, sizeof *src, cmp_source);
  int *order = malloc(sizeof(int) * (size_t)n);
  RowMap *maps = calloc((size_t)n, sizeof(RowMap));
  long total = -1;
  if (!order || !maps || import_order(db, src, n, order)) {
    *err = sqlite3_mprintf("out of memory");
    goto out;
  }
  int old = get_defer(db);
  if (sqlite3_exec(db, "SAVEPOINT territory_import_dir", 0, 0, 0) != SQLITE_OK) {
    *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    goto out;
  }
  set_defer(db, 1);
  long sum = 0;
  for (int k = 0; k < n && sum >= 0; k++) {
    CsvSource *s = &src[order[k]];
    CsvProgress prog = {s->file, s->n, show_progress & CSV_SHOW, 0, 0};
    long r = import_one(db, s->table, s->data, s->n, s->file, &prog, &maps[order[k]],
                        (show_progress & CSV_UPSERT) != 0, &s->updated, err);
    sum = r < 0 ? -1 : sum + r;
  }
  for (int k = 0; k < n && sum >= 0; k++) {
    CsvSource *s = &src[order[k]];
    if (fk_check(db, s->table, s->file, &maps[order[k]], err)) sum = -1;
  }
  if (sum < 0) sqlite3_exec(db, "ROLLBACK TO territory_import_dir", 0, 0, 0);
  if (sqlite3_exec(db, "RELEASE territory_import_dir", 0, 0, 0) != SQLITE_OK && sum >= 0) {
    *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK TO territory_import_dir", 0, 0, 0);
    sqlite3_exec(db, "RELEASE territory_import_dir", 0, 0, 0);
    sum = -1;
  }
  if (!sqlite3_get_autocommit(db)) set_defer(db, old);
  total = sum;
out:
  for (int i = 0; maps && i < n; i++) free(maps[i].v);
  free(maps);
  free(order);
  return total;
}

char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 65536, len = 0;
  char *b = malloc(cap);
  while (b) {
    if (len + 1 >= cap) {
      char *nb = realloc(b, cap * 2);
      if (!nb) { free(b); b = NULL; break; }
      b = nb;
      cap *= 2;
    }
    size_t r = fread(b + len, 1, cap - len - 1, f);
    if (r == 0) break;
    len += r;
  }
  if (b && ferror(f)) { free(b); b = NULL; }
  fclose(f);
  if (b) { b[len] = 0; *n = len; }
  return b;
}
