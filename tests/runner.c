/*
** runner.c -- territory's test runner.
**
**   test-runner [--unit] [--shell PATH] FILE...
**
** Runs SQL test files (*.test), shell test files (*.cmd) and, with --unit,
** the C unit tests linked into it (tests/unit/NAME.c).  Formats: tests/README.md.
** Prints one line per failure, "file:line: what was expected, what came",
** and ends with "N passed, N failed"; exits 1 when anything failed.
** Run it from the repository root.
*/
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "territory.h"
#include "unit.h"

static int n_passed = 0, n_failed = 0;

static void fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s:%d: ", file, line);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  fflush(stdout);
  n_failed++;
}

/* ------------------------------------------------------------------ files */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n < 2) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  fclose(f);
  if (buf) buf[n] = 0;
  if (len) *len = n;
  return buf;
}

typedef struct Lines {
  char **v;
  int n;
} Lines;

static Lines split_lines(char *text) {
  Lines L = {0, 0};
  int cap = 0;
  char *z = text;
  while (*z) {
    char *eol = strchr(z, '\n');
    if (eol) *eol = 0;
    size_t len = strlen(z);
    if (len && z[len - 1] == '\r') z[len - 1] = 0;
    if (L.n == cap) {
      cap = cap ? cap * 2 : 256;
      L.v = realloc(L.v, sizeof(char *) * (size_t)cap);
    }
    L.v[L.n++] = z;
    if (!eol) break;
    z = eol + 1;
  }
  return L;
}

static int starts_with(const char *z, const char *prefix) {
  return strncmp(z, prefix, strlen(prefix)) == 0;
}

static const char *skip_blanks(const char *z) {
  while (*z == ' ' || *z == '\t') z++;
  return z;
}

/* ------------------------------------------------------------------ SQL tests */

typedef struct Expect {
  int kind; /* 'r' row, 'e' error, '0' empty, 'n' rows count */
  const char *text;
  int line;
} Expect;

typedef struct Item {
  int kind; /* 's' sql, 'r' report, 'i' include, 'o' open */
  char *text;
  int line;
  Expect *ex;
  int nex;
} Item;

typedef struct Rows {
  char **cells; /* row-major, each a malloc'd string; NULL cell is "NULL" */
  int *is_num;  /* 1 when the cell came from an INTEGER or REAL */
  int *is_real;
  int *ncols;   /* per row */
  int nrows, ncell, cap;
} Rows;

static void rows_add_cell(Rows *R, char *cell, int is_num, int is_real) {
  if (R->ncell == R->cap) {
    R->cap = R->cap ? R->cap * 2 : 64;
    R->cells = realloc(R->cells, sizeof(char *) * (size_t)R->cap);
    R->is_num = realloc(R->is_num, sizeof(int) * (size_t)R->cap);
    R->is_real = realloc(R->is_real, sizeof(int) * (size_t)R->cap);
  }
  R->cells[R->ncell] = cell;
  R->is_num[R->ncell] = is_num;
  R->is_real[R->ncell] = is_real;
  R->ncell++;
}

static void rows_free(Rows *R) {
  for (int i = 0; i < R->ncell; i++) free(R->cells[i]);
  free(R->cells);
  free(R->is_num);
  free(R->is_real);
  free(R->ncols);
  memset(R, 0, sizeof(*R));
}

static char *cell_text(sqlite3_stmt *st, int i, int *is_num, int *is_real) {
  char buf[64];
  *is_num = *is_real = 0;
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
      return strdup("NULL");
    case SQLITE_INTEGER:
      *is_num = 1;
      snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, i));
      return strdup(buf);
    case SQLITE_FLOAT:
      *is_num = *is_real = 1;
      snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, i));
      return strdup(buf);
    case SQLITE_BLOB: {
      int n = sqlite3_column_bytes(st, i);
      const unsigned char *b = sqlite3_column_blob(st, i);
      char *r = malloc((size_t)n * 2 + 4);
      char *p = r;
      *p++ = 'x';
      *p++ = '\'';
      for (int k = 0; k < n; k++) p += sprintf(p, "%02x", b[k]);
      *p++ = '\'';
      *p = 0;
      return r;
    }
    default:
      return strdup((const char *)sqlite3_column_text(st, i));
  }
}

/* Collects the rows of stmt, which is on its first step result first_rc. */
static int collect_rows(Rows *R, sqlite3_stmt *st, int first_rc) {
  int rc = first_rc;
  int nc = sqlite3_column_count(st);
  while (rc == SQLITE_ROW) {
    R->ncols = realloc(R->ncols, sizeof(int) * (size_t)(R->nrows + 1));
    R->ncols[R->nrows++] = nc;
    for (int i = 0; i < nc; i++) {
      int is_num, is_real;
      char *c = cell_text(st, i, &is_num, &is_real);
      rows_add_cell(R, c, is_num, is_real);
    }
    rc = sqlite3_step(st);
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int report_collect(void *ctx, sqlite3_stmt *st, int first_rc) {
  return collect_rows((Rows *)ctx, st, first_rc);
}

static int read_number(const char *z, double *out) {
  char *end;
  if (*z == 0) return 0;
  double d = strtod(z, &end);
  if (*end != 0) return 0;
  *out = d;
  return 1;
}

static int cell_matches(const char *want, const char *got, int is_num, int is_real) {
  if (strcmp(want, got) == 0) return 1;
  if (!is_num) return 0;
  double w, g;
  if (!read_number(want, &w) || !read_number(got, &g)) return 0;
  if (!is_real) {
    /* an integer result must match an integer expectation exactly */
    double ip;
    if (modf(w, &ip) == 0 && fabs(w) < 9007199254740992.0) return g == w;
  }
  if (isinf(w) || isinf(g)) return w == g;
  double tol = 1e-9 * (fabs(w) > 1 ? fabs(w) : 1);
  return fabs(w - g) <= tol;
}

/* Renders a result row as the test file would spell it, for messages. */
static char *row_repr(const Rows *R, int row, int first_cell) {
  size_t len = 1;
  for (int i = 0; i < R->ncols[row]; i++) len += strlen(R->cells[first_cell + i]) + 1;
  char *r = malloc(len);
  r[0] = 0;
  for (int i = 0; i < R->ncols[row]; i++) {
    if (i) strcat(r, "|");
    const char *c = R->cells[first_cell + i];
    double d;
    if (R->is_real[first_cell + i] && read_number(c, &d)) {
      char buf[64];
      snprintf(buf, sizeof buf, "%.15g", d);
      strcat(r, buf);
    } else {
      strcat(r, c);
    }
  }
  return r;
}

/* Splits an expected row on '|'. */
static int split_cells(const char *row, char ***out) {
  int n = 1;
  for (const char *z = row; *z; z++)
    if (*z == '|') n++;
  char **v = malloc(sizeof(char *) * (size_t)n);
  int k = 0;
  const char *s = row;
  for (const char *z = row;; z++) {
    if (*z == '|' || *z == 0) {
      v[k++] = strndup(s, (size_t)(z - s));
      if (*z == 0) break;
      s = z + 1;
    }
  }
  *out = v;
  return n;
}

static void check_result(const char *file, Item *it, int rc, const char *errmsg,
                         Rows *R) {
  int want_err = 0, want_rows = 0, want_empty = 0, want_count = -1;
  const Expect *err_ex = NULL;
  for (int i = 0; i < it->nex; i++) {
    switch (it->ex[i].kind) {
      case 'e': want_err = 1; err_ex = &it->ex[i]; break;
      case 'r': want_rows++; break;
      case '0': want_empty = 1; break;
      case 'n': want_count = atoi(it->ex[i].text); break;
    }
  }
  if (it->nex == 0) {
    /* set-up: must succeed, not counted when it does */
    if (rc != SQLITE_OK) fail(file, it->line, "set-up failed: %s", errmsg);
    return;
  }
  if (want_err) {
    if (rc == SQLITE_OK)
      fail(file, err_ex->line, "expected error containing '%s', but it succeeded", err_ex->text);
    else if (strstr(errmsg, err_ex->text) == NULL)
      fail(file, err_ex->line, "expected error containing '%s', got '%s'", err_ex->text, errmsg);
    else
      n_passed++;
    return;
  }
  if (rc != SQLITE_OK) {
    fail(file, it->line, "unexpected error: %s", errmsg);
    return;
  }
  if (want_empty && R->nrows != 0) {
    char *r = row_repr(R, 0, 0);
    fail(file, it->line, "expected no rows, got %d (first: %s)", R->nrows, r);
    free(r);
    return;
  }
  if (want_count >= 0 && R->nrows != want_count) {
    fail(file, it->line, "expected %d rows, got %d", want_count, R->nrows);
    return;
  }
  if (want_rows) {
    int cell = 0, row = 0;
    for (int i = 0; i < it->nex; i++) {
      const Expect *e = &it->ex[i];
      if (e->kind != 'r') continue;
      if (row >= R->nrows) {
        fail(file, e->line, "expected row '%s', but the result has only %d row%s", e->text,
             R->nrows, R->nrows == 1 ? "" : "s");
        return;
      }
      char **cells;
      int n = split_cells(e->text, &cells);
      int ok = n == R->ncols[row];
      for (int k = 0; ok && k < n; k++)
        ok = cell_matches(cells[k], R->cells[cell + k], R->is_num[cell + k], R->is_real[cell + k]);
      for (int k = 0; k < n; k++) free(cells[k]);
      free(cells);
      if (!ok) {
        char *r = row_repr(R, row, cell);
        fail(file, e->line, "row %d: expected '%s', got '%s'", row + 1, e->text, r);
        free(r);
        return;
      }
      cell += R->ncols[row];
      row++;
    }
    if (row < R->nrows) {
      char *r = row_repr(R, row, cell);
      fail(file, it->line, "%d more row%s than expected, first extra: '%s'", R->nrows - row,
           R->nrows - row == 1 ? "" : "s", r);
      free(r);
      return;
    }
  }
  n_passed++;
}

static sqlite3 *open_db(const char *path, int readonly, char **err) {
  sqlite3 *db = NULL;
  int flags = readonly ? SQLITE_OPEN_READONLY
                       : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
    *err = strdup(db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  territory_register(db);
  sqlite3_exec(db, "PRAGMA foreign_keys=ON", 0, 0, 0);
  return db;
}

/* Runs all statements of sql, collecting rows of those that return rows. */
static int exec_collect(sqlite3 *db, const char *sql, Rows *R, char **err) {
  const char *z = sql;
  while (*z) {
    sqlite3_stmt *st = NULL;
    const char *tail;
    int rc = sqlite3_prepare_v2(db, z, -1, &st, &tail);
    if (rc != SQLITE_OK) {
      *err = strdup(sqlite3_errmsg(db));
      return rc;
    }
    z = tail;
    if (!st) continue;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = collect_rows(R, st, rc);
    else if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (rc != SQLITE_OK) {
      *err = strdup(sqlite3_errmsg(db));
      sqlite3_finalize(st);
      return rc;
    }
    sqlite3_finalize(st);
  }
  return SQLITE_OK;
}

/* "-- report: NAME a=1 b='x y'" */
static int run_report(sqlite3 *db, const char *spec, Rows *R, char **err) {
  char name[128];
  const char *z = skip_blanks(spec);
  int n = 0;
  while (z[n] && !isspace((unsigned char)z[n]) && n < 127) n++;
  memcpy(name, z, (size_t)n);
  name[n] = 0;
  z += n;
  char path[512];
  snprintf(path, sizeof path, "sql/reports/%s.sql", name);
  char *text = read_file(path, NULL);
  if (!text) {
    *err = strdup("no such report file");
    return SQLITE_ERROR;
  }
  Report rep;
  char *perr = NULL;
  if (report_parse(name, text, &rep, &perr)) {
    free(text);
    *err = perr;
    return SQLITE_ERROR;
  }
  free(text);
  ReportArg args[32];
  char *store[64];
  int nargs = 0, nstore = 0;
  for (;;) {
    z = skip_blanks(z);
    if (!*z || nargs == 32) break;
    const char *eq = strchr(z, '=');
    if (!eq) {
      *err = strdup("report arguments must be key=value");
      report_free(&rep);
      for (int i = 0; i < nstore; i++) free(store[i]);
      return SQLITE_ERROR;
    }
    char *key = strndup(z, (size_t)(eq - z));
    const char *v = eq + 1, *e = v;
    if (*v == '\'') {
      e = v + 1;
      while (*e && !(*e == '\'' && e[1] != '\'')) e += (*e == '\'' ? 2 : 1);
      if (*e) e++;
    } else {
      while (*e && !isspace((unsigned char)*e)) e++;
    }
    char *val = strndup(v, (size_t)(e - v));
    store[nstore++] = key;
    store[nstore++] = val;
    args[nargs].name = key;
    args[nargs].value = val;
    nargs++;
    z = e;
  }
  int rc = report_run(db, &rep, args, nargs, report_collect, R, err);
  report_free(&rep);
  for (int i = 0; i < nstore; i++) free(store[i]);
  return rc;
}

static int expectation(const char *line, Expect *e, int lineno) {
  const char *z = skip_blanks(line);
  e->line = lineno;
  if (starts_with(z, "-- =>")) {
    z += 5;
    if (*z == ' ') z++;
    e->kind = 'r';
    e->text = z;
    return 1;
  }
  if (starts_with(z, "-- error:")) {
    e->kind = 'e';
    e->text = skip_blanks(z + 9);
    return 1;
  }
  if (strcmp(z, "-- empty") == 0) {
    e->kind = '0';
    e->text = "";
    return 1;
  }
  if (starts_with(z, "-- rows:")) {
    e->kind = 'n';
    e->text = skip_blanks(z + 8);
    return 1;
  }
  return 0;
}

static void run_sql_file(const char *file) {
  char *text = read_file(file, NULL);
  if (!text) {
    fail(file, 0, "cannot read file");
    return;
  }
  Lines L = split_lines(text);
  Item *items = NULL;
  int nitems = 0, cap = 0;
  sqlite3_str *buf = NULL;
  int buf_line = 0;
  for (int i = 0; i < L.n; i++) {
    const char *line = L.v[i];
    const char *z = skip_blanks(line);
    Item it = {0, NULL, i + 1, NULL, 0};
    if (buf == NULL) {
      if (*z == 0) continue;
      if (starts_with(z, "-- include:")) { it.kind = 'i'; it.text = strdup(skip_blanks(z + 11)); }
      else if (starts_with(z, "-- open:")) { it.kind = 'o'; it.text = strdup(skip_blanks(z + 8)); }
      else if (starts_with(z, "-- report:")) { it.kind = 'r'; it.text = strdup(skip_blanks(z + 10)); }
      else if (starts_with(z, "--")) {
        Expect e;
        if (expectation(z, &e, i + 1))
          fail(file, i + 1, "expectation with no statement before it");
        continue;
      } else {
        buf = sqlite3_str_new(NULL);
        buf_line = i + 1;
      }
    }
    if (buf) {
      sqlite3_str_appendall(buf, line);
      sqlite3_str_appendchar(buf, 1, '\n');
      size_t len = strlen(z);
      while (len && isspace((unsigned char)z[len - 1])) len--;
      const char *sofar = sqlite3_str_value(buf);
      if (len && sqlite3_complete(sofar)) {
        it.kind = 's';
        it.line = buf_line;
        it.text = sqlite3_str_finish(buf);
        buf = NULL;
      } else {
        continue;
      }
    }
    /* expectations follow */
    while (i + 1 < L.n) {
      Expect e;
      if (!expectation(L.v[i + 1], &e, i + 2)) break;
      it.ex = realloc(it.ex, sizeof(Expect) * (size_t)(it.nex + 1));
      it.ex[it.nex++] = e;
      i++;
    }
    if (nitems == cap) {
      cap = cap ? cap * 2 : 64;
      items = realloc(items, sizeof(Item) * (size_t)cap);
    }
    items[nitems++] = it;
  }
  if (buf) {
    fail(file, buf_line, "statement not ended with ';'");
    sqlite3_free(sqlite3_str_finish(buf));
  }

  char *err = NULL;
  sqlite3 *db = open_db(":memory:", 0, &err);
  for (int k = 0; k < nitems && db; k++) {
    Item *it = &items[k];
    Rows R;
    memset(&R, 0, sizeof R);
    int rc = SQLITE_OK;
    err = NULL;
    switch (it->kind) {
      case 'i': {
        char *sql = read_file(it->text, NULL);
        if (!sql) {
          fail(file, it->line, "cannot read %s", it->text);
          break;
        }
        char *e2 = NULL;
        if (sqlite3_exec(db, sql, 0, 0, &e2) != SQLITE_OK) {
          fail(file, it->line, "include %s failed: %s", it->text, e2 ? e2 : "?");
        }
        sqlite3_free(e2);
        free(sql);
        break;
      }
      case 'o': {
        /* "build/..." is the build directory in use (make B=/tmp/x test
        ** exports B), so tests run against the demo.db of that build */
        char opath[1024];
        const char *bdir = getenv("B");
        if (bdir && *bdir && strncmp(it->text, "build/", 6) == 0)
          snprintf(opath, sizeof opath, "%s/%s", bdir, it->text + 6);
        else
          snprintf(opath, sizeof opath, "%s", it->text);
        if (access(opath, R_OK) != 0) {
          fail(file, it->line, "cannot open %s (build it first: make demo)", opath);
          sqlite3_close(db);
          db = NULL;
          break;
        }
        sqlite3_close(db);
        db = open_db(opath, 1, &err);
        if (!db) fail(file, it->line, "cannot open %s: %s", opath, err);
        break;
      }
      case 'r':
        rc = run_report(db, it->text, &R, &err);
        check_result(file, it, rc, err ? err : "", &R);
        break;
      case 's':
        rc = exec_collect(db, it->text, &R, &err);
        check_result(file, it, rc, err ? err : "", &R);
        break;
    }
    free(err);
    err = NULL;
    rows_free(&R);
  }
  if (db) sqlite3_close(db);
  for (int k = 0; k < nitems; k++) {
    if (items[k].kind == 's') sqlite3_free(items[k].text);
    else free(items[k].text);
    free(items[k].ex);
  }
  free(items);
  free(L.v);
  free(text);
}

/* ------------------------------------------------------------------ shell tests */

static char tmpdir[256];

static int write_file(const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return 1;
  fwrite(data, 1, n, f);
  fclose(f);
  return 0;
}

static void run_cmd_file(const char *file) {
  char *text = read_file(file, NULL);
  if (!text) {
    fail(file, 0, "cannot read file");
    return;
  }
  Lines L = split_lines(text);
  for (int i = 0; i < L.n; i++) {
    if (!starts_with(L.v[i], "$ ")) continue;
    int cmd_line = i + 1;
    const char *cmd = L.v[i] + 2;
    sqlite3_str *in = sqlite3_str_new(NULL);
    int first_out = -1, nout = 0, status = 0, contains = 0;
    const char *errs[16];
    int nerr = 0;
    while (i + 1 < L.n) {
      const char *z = L.v[i + 1];
      if (starts_with(z, "< ") || strcmp(z, "<") == 0) {
        sqlite3_str_appendall(in, z[1] ? z + 2 : "");
        sqlite3_str_appendchar(in, 1, '\n');
      } else if (starts_with(z, ">* ")) {
        if (first_out < 0) first_out = i + 1;
        contains = 1;
        nout++;
      } else if (starts_with(z, "> ") || strcmp(z, ">") == 0) {
        if (first_out < 0) first_out = i + 1;
        nout++;
      } else if (starts_with(z, "! ")) {
        if (nerr < 16) errs[nerr++] = z + 2;
      } else if (starts_with(z, "? ")) {
        status = atoi(z + 2);
      } else {
        break;
      }
      i++;
    }
    char pin[300], pout[300], perr[300], pscript[300];
    snprintf(pin, sizeof pin, "%s/in", tmpdir);
    snprintf(pout, sizeof pout, "%s/out", tmpdir);
    snprintf(perr, sizeof perr, "%s/err", tmpdir);
    snprintf(pscript, sizeof pscript, "%s/cmd.sh", tmpdir);
    int inlen = sqlite3_str_length(in);
    char *indata = sqlite3_str_finish(in);
    write_file(pin, indata ? indata : "", (size_t)inlen);
    sqlite3_free(indata);
    write_file(pscript, cmd, strlen(cmd));
    char shcmd[1600];
    snprintf(shcmd, sizeof shcmd, "timeout 120 sh %s < %s > %s 2> %s", pscript, pin, pout, perr);
    int st = system(shcmd);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    char *out = read_file(pout, NULL);
    char *errtxt = read_file(perr, NULL);
    int ok = 1;
    if (code != status) {
      fail(file, cmd_line, "exit status %d, expected %d%s%.300s", code, status,
           errtxt && *errtxt ? "; stderr: " : "", errtxt ? errtxt : "");
      ok = 0;
    }
    for (int k = 0; ok && k < nerr; k++) {
      if (!errtxt || !strstr(errtxt, errs[k])) {
        fail(file, cmd_line, "stderr lacks '%s'; stderr was: %.300s", errs[k], errtxt ? errtxt : "");
        ok = 0;
      }
    }
    if (ok && nout > 0) {
      Lines O = split_lines(out ? out : (char *)"");
      if (contains) {
        for (int k = first_out; ok && k < first_out + nout; k++) {
          const char *want = L.v[k][1] == '*' ? L.v[k] + 3 : (L.v[k][1] ? L.v[k] + 2 : "");
          int found = 0;
          for (int j = 0; j < O.n && !found; j++) found = strcmp(O.v[j], want) == 0;
          if (!found) {
            fail(file, k + 1, "stdout lacks line '%s'", want);
            ok = 0;
          }
        }
      } else {
        for (int k = 0; ok && k < nout; k++) {
          const char *want = L.v[first_out + k][1] ? L.v[first_out + k] + 2 : "";
          if (k >= O.n) {
            fail(file, first_out + k + 1, "stdout ended; expected '%s'", want);
            ok = 0;
          } else if (strcmp(O.v[k], want) != 0) {
            fail(file, first_out + k + 1, "stdout line %d: expected '%s', got '%s'", k + 1, want, O.v[k]);
            ok = 0;
          }
        }
        if (ok && O.n > nout) {
          fail(file, cmd_line, "stdout has %d more line%s than expected, first: '%s'", O.n - nout,
               O.n - nout == 1 ? "" : "s", O.v[nout]);
          ok = 0;
        }
      }
      free(O.v);
    }
    if (ok) n_passed++;
    free(out);
    free(errtxt);
  }
  free(L.v);
  free(text);
}

/* ------------------------------------------------------------------ unit tests */

typedef struct Unit {
  const char *name, *file;
  unit_fn fn;
} Unit;
static Unit units[256];
static int nunits = 0;

void unit_register(const char *name, const char *file, unit_fn fn) {
  if (nunits < 256) units[nunits++] = (Unit){name, file, fn};
}

void unit_check(int ok, const char *file, int line, const char *fmt, ...) {
  if (ok) {
    n_passed++;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  printf("%s:%d: ", file, line);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  fflush(stdout);
  n_failed++;
}

sqlite3 *unit_open(void) {
  char *err = NULL;
  sqlite3 *db = open_db(":memory:", 0, &err);
  if (!db) {
    fprintf(stderr, "unit_open: %s\n", err);
    exit(2);
  }
  return db;
}

/* ------------------------------------------------------------------ main */

static int ends_with(const char *z, const char *suffix) {
  size_t a = strlen(z), b = strlen(suffix);
  return a >= b && strcmp(z + a - b, suffix) == 0;
}

int main(int argc, char **argv) {
  int run_units = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  char cwd[512];
  if (getcwd(cwd, sizeof cwd)) setenv("ROOT", cwd, 0);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/territory-test-XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--unit") == 0) {
      run_units = 1;
    } else if (strcmp(argv[i], "--shell") == 0 && i + 1 < argc) {
      char path[1024];
      const char *p = argv[++i];
      if (p[0] != '/') {
        snprintf(path, sizeof path, "%s/%s", cwd, p);
        p = path;
      }
      setenv("TERRITORY", p, 1);
    } else if (ends_with(argv[i], ".test")) {
      run_sql_file(argv[i]);
    } else if (ends_with(argv[i], ".cmd")) {
      run_cmd_file(argv[i]);
    } else {
      fprintf(stderr, "test-runner: don't know how to run %s\n", argv[i]);
      n_failed++;
    }
  }
  if (run_units) {
    for (int i = 0; i < nunits; i++) units[i].fn();
  }
  char rm[300];
  snprintf(rm, sizeof rm, "rm -rf %s", tmpdir);
  if (system(rm) != 0) fprintf(stderr, "test-runner: could not remove %s\n", tmpdir);
  /* Same closing line as every suite (tests/run.sh sums them); the runner
  ** itself never skips: a test it cannot run is a failure. */
  printf("%d passed, %d failed, 0 skipped\n", n_passed, n_failed);
  return n_failed ? 1 : 0;
}
