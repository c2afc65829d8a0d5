/*
** exec.c -- running SQL text in the shell: statement by statement, each
** error reported with the line it started on, .param values bound by name,
** rows collected and handed to output.c, the elapsed-time display for long
** statements, and line-at-a-time input (Feeder) shared by the interactive
** loop, stdin, -f and .read.
*/
#include "shell.h"
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t g_interrupted;
sqlite3 *volatile g_running_db;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void shell_error(Shell *sh, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *m = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  fflush(sh->out);
  fputs("error: ", stderr);
  if (sh->src_name) fprintf(stderr, "%s: ", sh->src_name);
  if (sh->src_line > 0 && (!sh->interactive || sh->src_name))
    fprintf(stderr, "line %d: ", sh->src_line);
  fprintf(stderr, "%s\n", m ? m : "out of memory");
  fflush(stderr);
  sqlite3_free(m);
  sh->nerr++;
}

/* ---- progress: elapsed time on stderr after a second; Ctrl-C */

static double g_t0, g_last_shown;
static int g_shown;

static int progress_cb(void *arg) {
  (void)arg;
  if (g_interrupted) return 1;
  double t = now();
  if (t - g_t0 >= 1.0 && t - g_last_shown >= 0.2) {
    fprintf(stderr, "\r\033[K%.1f s (Ctrl-C cancels)", t - g_t0);
    fflush(stderr);
    g_last_shown = t;
    g_shown = 1;
  }
  return 0;
}

void shell_progress_begin(Shell *sh) {
  g_t0 = now();
  g_last_shown = 0;
  g_shown = 0;
  g_running_db = sh->db;
  if (isatty(2))
    sqlite3_progress_handler(sh->db, 20000, progress_cb, sh);
}

void shell_progress_end(Shell *sh) {
  g_running_db = NULL;
  sqlite3_progress_handler(sh->db, 0, NULL, NULL);
  if (g_shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    g_shown = 0;
  }
}

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

void shell_once_done(Shell *sh);

/* Skips blanks and comments; returns the first character of a statement. */
static const char *skip_blank(const char *z) {
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

static const char *next_statement(const char *z) {
  size_t n = strlen(z);
  char *buf = malloc(n + 1);
  if (!buf) return z + n;
  for (size_t i = 0; i < n; i++) {
    buf[i] = z[i];
    if (z[i] != ';') continue;
    buf[i + 1] = 0;
    if (sqlite3_complete(buf)) {
      free(buf);
      return z + i + 1;
    }
  }
  free(buf);
  return z + n;
}

int shell_exec_sql(Shell *sh, const char *sql, int first_line) {
  int was_once = sh->once;
  int rc = exec_sql(sh, sql, first_line);
  if (was_once) shell_once_done(sh);
  return rc;
}

static int exec_sql(Shell *sh, const char *sql, int first_line) {
  if (sh->remote) return remote_exec_sql(sh, sql, first_line);
  const char *z = sql;
  int line = first_line;
  int failed = 0;
  while (*z) {
    const char *start = skip_blank(z);
    line += count_lines(z, start);
    z = start;
    if (!*z) break;
    sh->src_line = line;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (g_interrupted) break;
    double t0 = now();
    clock_t c0 = clock();
    int rc = sqlite3_prepare_v2(sh->db, z, -1, &st, &tail);
    if (rc != SQLITE_OK) {
      shell_error(sh, "%s", sqlite3_errmsg(sh->db));
      failed = 1;
      if (sh->bail) break;
      /* go on after the end of the bad statement: the first ';' that
      ** completes it (sqlite3_complete knows quotes and comments) */
      const char *next = next_statement(z);
      line += count_lines(z, next);
      z = next;
      continue;
    }
    if (tail == NULL || tail == z) tail = z + strlen(z);
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
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
      if (rc == SQLITE_INTERRUPT || g_interrupted)
        shell_error(sh, "interrupted");
      else
        shell_error(sh, "%s", sqlite3_errmsg(sh->db));
      failed = 1;
    }
    sqlite3_finalize(st);
    if (sh->timer)
      fprintf(stderr, "time: real %.3f s, cpu %.3f s\n", now() - t0,
              (double)(clock() - c0) / CLOCKS_PER_SEC);
    line += count_lines(z, tail);
    z = tail;
    if (failed && (sh->bail || g_interrupted)) break;
  }
  sh->src_line = 0;
  return failed;
}

/* ---- line-at-a-time input */

int feeder_pending(const Feeder *fd) { return fd->len > 0; }

void feeder_free(Feeder *fd) {
  free(fd->buf);
  memset(fd, 0, sizeof *fd);
}

static int only_comment(const char *line) {
  return *skip_blank(line) == 0;
}

void shell_once_done(Shell *sh) {
  if (sh->once && sh->out_is_file) {
    fclose(sh->out);
    sh->out = stdout;
    sh->out_is_file = 0;
  }
  sh->once = 0;
}

int feeder_line(Shell *sh, Feeder *fd, const char *line, int lineno) {
  if (fd->len == 0) {
    const char *s = line;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '.') {
      sh->src_line = lineno;
      int rc = shell_dispatch_line(sh, s);
      sh->src_line = 0;
      return rc;
    }
    if (only_comment(line)) return 0;
    fd->start = lineno;
  }
  size_t n = strlen(line);
  if (fd->len + n + 2 > fd->cap) {
    size_t nc = (fd->len + n + 2) * 2;
    char *b = realloc(fd->buf, nc);
    if (!b) { shell_error(sh, "out of memory"); return 1; }
    fd->buf = b;
    fd->cap = nc;
  }
  memcpy(fd->buf + fd->len, line, n);
  fd->len += n;
  fd->buf[fd->len++] = '\n';
  fd->buf[fd->len] = 0;
  if (!sqlite3_complete(fd->buf)) return 0;
  int rc = shell_exec_sql(sh, fd->buf, fd->start);
  fd->len = 0;
  fd->buf[0] = 0;
  return rc;
}

int feeder_flush(Shell *sh, Feeder *fd) {
  if (fd->len == 0) return 0;
  int rc = 0;
  if (!only_comment(fd->buf)) rc = shell_exec_sql(sh, fd->buf, fd->start);
  fd->len = 0;
  return rc;
}

int shell_run_script(Shell *sh, const char *text, const char *name) {
  Feeder fd = {0};
  const char *saved = sh->src_name;
  sh->src_name = name;
  int lineno = 0, failed = 0, rc = 0;
  const char *z = text;
  char *line = NULL;
  size_t cap = 0;
  while (*z && !g_interrupted) {
    const char *eol = strchr(z, '\n');
    size_t n = eol ? (size_t)(eol - z) : strlen(z);
    if (n + 1 > cap) {
      cap = n + 64;
      char *l = realloc(line, cap);
      if (!l) { rc = 1; break; }
      line = l;
    }
    memcpy(line, z, n);
    if (n > 0 && line[n - 1] == '\r') n--;
    line[n] = 0;
    lineno++;
    rc = feeder_line(sh, &fd, line, lineno);
    if (rc == 1) failed = 1;
    if (rc == 2 || (rc == 1 && sh->bail)) break;
    z = eol ? eol + 1 : z + strlen(z);
  }
  if (rc != 2 && !(failed && sh->bail) && !g_interrupted)
    if (feeder_flush(sh, &fd)) failed = 1;
  free(line);
  feeder_free(&fd);
  sh->src_name = saved;
  if (rc == 2) return 2;
  return failed || g_interrupted ? 1 : 0;
}
