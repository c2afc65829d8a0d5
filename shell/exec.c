/*
** exec.c -- running SQL text in the shell: statement by statement, each
** error reported with the line it started on, .param values bound by name,
** rows collected and handed to output.c, the elapsed-time display for long
** statements.  Input becomes statements in feed.c; errors and Ctrl-C go
** through diag.c.
*/
#include "shell.h"
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


/* ---- parameters */

int shell_bind_params(Shell *sh, sqlite3_stmt *stmt) {
  int n = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= n; i++) {
    const char *pn = sqlite3_bind_parameter_name(stmt, i);
    if (pn == NULL || pn[0] == '?') continue;
    for (int k = 0; k < sh->nparam; k++) {
      if (strcmp(pn + 1, sh->params[k].name) == 0) {
        int rc = report_bind_typed(stmt, i, sh->params[k].value);
        if (rc != SQLITE_OK) return rc;
      }
    }
  }
  return SQLITE_OK;
}

/* ---- rows */

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *r = malloc(n);
  if (r) memcpy(r, s, n);
  return r;
}

static char *blob_hex(const unsigned char *p, int n) {
  char *r = malloc((size_t)n * 2 + 4);
  if (!r) return NULL;
  char *o = r;
  *o++ = 'X';
  *o++ = '\'';
  for (int i = 0; i < n; i++) o += sprintf(o, "%02X", p[i]);
  *o++ = '\'';
  *o = 0;
  return r;
}

static int add_row(Result *r, sqlite3_stmt *st) {
  if (r->nrow == r->cap) {
    long nc = r->cap ? r->cap * 2 : 64;
    Cell *c = realloc(r->cells, sizeof(Cell) * (size_t)(nc * (r->ncol ? r->ncol : 1)));
    if (!c) return SQLITE_NOMEM;
    r->cells = c;
    r->cap = nc;
  }
  Cell *row = &r->cells[r->nrow * r->ncol];
  for (int j = 0; j < r->ncol; j++) {
    Cell *c = &row[j];
    c->type = sqlite3_column_type(st, j);
    c->text = NULL;
    c->num = 0;
    switch (c->type) {
      case SQLITE_INTEGER: {
        char buf[32];
        sqlite3_int64 v = sqlite3_column_int64(st, j);
        snprintf(buf, sizeof buf, "%lld", (long long)v);
        c->text = xstrdup(buf);
        c->num = (double)v;
        break;
      }
      case SQLITE_FLOAT:
        c->num = sqlite3_column_double(st, j);
        break;
      case SQLITE_BLOB:
        c->text = blob_hex(sqlite3_column_blob(st, j), sqlite3_column_bytes(st, j));
        break;
      case SQLITE_TEXT: {
        const char *t = (const char *)sqlite3_column_text(st, j);
        c->text = xstrdup(t ? t : "");
        break;
      }
      default:
        break;
    }
  }
  r->nrow++;
  return SQLITE_OK;
}

/* Streaming modes print every STREAM_CHUNK rows; a result longer than
** SHELL_KEEP_ROWS is not kept whole for .chart (its first rows are dropped once
** printed), so exporting millions of rows needs little memory. */
#define STREAM_CHUNK 256

static void drop_rows(Result *r) {
  for (long i = 0; i < r->nrow * r->ncol; i++) free(r->cells[i].text);
  r->base += r->nrow;
  r->nrow = 0;
}

int shell_print_stmt(Shell *sh, sqlite3_stmt *st, int rc) {
  result_clear(&sh->last);
  Result *r = &sh->last;
  r->ncol = sqlite3_column_count(st);
  r->names = calloc((size_t)r->ncol + 1, sizeof(char *));
  if (!r->names) return SQLITE_NOMEM;
  for (int j = 0; j < r->ncol; j++) {
    const char *n = sqlite3_column_name(st, j);
    r->names[j] = xstrdup(n ? n : "");
  }
  int stream = output_streams(sh);
  long printed = 0;   /* rows of cells[] already printed */
  if (stream) output_begin(sh, r);
  while (rc == SQLITE_ROW) {
    if (sh->maxrows <= 0 || r->base + r->nrow < sh->maxrows) {
      int arc = add_row(r, st);
      if (arc != SQLITE_OK) return arc;
      if (stream && r->nrow - printed >= STREAM_CHUNK) {
        output_rows(sh, r, printed, r->nrow);
        if (ferror(sh->out)) return SQLITE_IOERR;   /* stop: reported by the caller */
        printed = r->nrow;
        if (r->nrow >= SHELL_KEEP_ROWS) {
          drop_rows(r);
          printed = 0;
        }
      }
    }
    r->total++;
    rc = sqlite3_step(st);
  }
  if (stream) {
    output_rows(sh, r, printed, r->nrow);
    output_end(sh, r);
  }
  if (rc != SQLITE_DONE) return rc;
  if (!stream) output_result(sh, r);
  return SQLITE_OK;
}

/* ---- statements */


/* Skips blanks and comments; returns the first character of a statement.
** Shared with remote.c, which splits SQL text the same way. */
const char *sql_skip_blank(const char *z) {
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' || *z == '\f') z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      if (!e) return z + strlen(z);
      z = e + 2;
    } else {
      return z;
    }
  }
}

static int count_lines(const char *a, const char *b) {
  int n = 0;
  for (; a < b; a++)
    if (*a == '\n') n++;
  return n;
}

static int exec_sql(Shell *sh, const char *sql, int first_line);

/* The end of the statement starting at z: after the ';' that completes it
** (quotes, comments and CREATE TRIGGER ... END known), or the end of text. */
static const char *next_statement(const char *z, const char *end) {
  SqlScan sc = {0, 0};
  return z + sqlscan(&sc, z, (size_t)(end - z), 1);
}

int shell_exec_sql(Shell *sh, const char *sql, int first_line) {
  int was_once = sh->once;
  int rc = exec_sql(sh, sql, first_line);
  if (was_once) shell_once_done(sh);
  return rc;
}

static int exec_sql(Shell *sh, const char *sql, int first_line) {
  if (sh->remote) return remote_exec_sql(sh, sql, first_line);
  const char *z = sql, *end = sql + strlen(sql);
  int line = first_line;
  int failed = 0;
  while (*z) {
    const char *start = sql_skip_blank(z);
    line += count_lines(z, start);
    z = start;
    if (!*z) break;
    sh->src_line = line;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (g_interrupted) break;
    double t0 = shell_now();
    clock_t c0 = clock();
    int rc = sqlite3_prepare_v2(sh->db, z, -1, &st, &tail);
    if (rc != SQLITE_OK) {
      shell_error(sh, "%s", sqlite3_errmsg(sh->db));
      failed = 1;
      if (sh->bail) break;
      /* go on after the end of the bad statement: the first ';' that
      ** completes it (sqlite3_complete knows quotes and comments) */
      const char *next = next_statement(z, end);
      line += count_lines(z, next);
      z = next;
      continue;
    }
    if (tail == NULL || tail == z) tail = end;
    if (st == NULL) { line += count_lines(z, tail); z = tail; continue; }
    rc = shell_bind_params(sh, st);
    if (rc == SQLITE_OK) {
      shell_progress_begin(sh);
      rc = sqlite3_step(st);
      if (rc == SQLITE_ROW || (rc == SQLITE_DONE && sqlite3_column_count(st) > 0)) {
        rc = shell_print_stmt(sh, st, rc);
        if (rc == SQLITE_OK) rc = SQLITE_DONE;
      } else {
        while (rc == SQLITE_ROW) rc = sqlite3_step(st);
      }
      shell_progress_end(sh);
    }
    if (ferror(sh->out) && shell_check_output(sh)) {
      failed = 1;
    } else if (rc != SQLITE_DONE && rc != SQLITE_OK) {
      if (rc == SQLITE_INTERRUPT || g_interrupted)
        shell_error(sh, "interrupted");
      else
        shell_error(sh, "%s", sqlite3_errmsg(sh->db));
      failed = 1;
    }
    sqlite3_finalize(st);
    if (shell_check_output(sh)) failed = 1;
    if (sh->timer) shell_timer_show(t0, c0);
    line += count_lines(z, tail);
    z = tail;
    if (failed && (sh->bail || g_interrupted)) break;
  }
  sh->src_line = 0;
  return failed;
}

