/*
** feed.c -- the one place where input becomes statements: the interactive
** loop, stdin, -f FILE and .read all hand lines to a Feeder.
**
**   feeder_line(sh, &fd, line, lineno)   a dot-command at the start of a
**       statement runs at once; SQL lines collect until a statement is
**       complete, then run
**   feeder_flush(sh, &fd)                runs what is left at end of input
**   shell_run_script(sh, text, n, name)  a whole script in memory
**   shell_run_file(sh, FILE *, name)     a stream (stdin), line by line
**
** Completeness is decided incrementally: SqlScan carries the state of
** sqlite3_complete()'s token machine (quotes, comments, CREATE TRIGGER ...
** END) from line to line, so each line is scanned once and a 40,000-line
** statement costs linear time (sqlite3_complete() on the whole buffer for
** every line was quadratic).  A script holding a NUL byte is refused with
** its file and line: it is not text (a database, a spreadsheet?).
*/
#include "shell.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Token classes and transitions of sqlite3_complete() (SQLite's complete.c):
** a statement is complete when the machine is back in state 1 (START). */
enum { tkSEMI, tkWS, tkOTHER, tkEXPLAIN, tkCREATE, tkTEMP, tkTRIGGER, tkEND };
static const unsigned char trans[8][8] = {
    /*             SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
    /* INVALID */ {1, 0, 2, 3, 4, 2, 2, 2},
    /* START   */ {1, 1, 2, 3, 4, 2, 2, 2},
    /* NORMAL  */ {1, 2, 2, 2, 2, 2, 2, 2},
    /* EXPLAIN */ {1, 3, 3, 2, 4, 2, 2, 2},
    /* CREATE  */ {1, 4, 2, 2, 2, 4, 5, 2},
    /* TRIGGER */ {6, 5, 5, 5, 5, 5, 5, 5},
    /* SEMI    */ {6, 6, 5, 5, 5, 5, 5, 7},
    /* END     */ {1, 7, 5, 5, 5, 5, 5, 5},
};

static int id_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

static int keyword(const char *z, size_t n) {
  static const struct { const char *w; int tk; } kw[] = {
      {"create", tkCREATE}, {"trigger", tkTRIGGER}, {"temp", tkTEMP},
      {"temporary", tkTEMP}, {"end", tkEND}, {"explain", tkEXPLAIN}};
  for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++)
    if (strlen(kw[k].w) == n && sqlite3_strnicmp(z, kw[k].w, (int)n) == 0) return kw[k].tk;
  return tkOTHER;
}

size_t sqlscan(SqlScan *s, const char *z, size_t n, int stop) {
  size_t i = 0;
  while (i < n) {
    if (s->inq == '*') {            /* inside a block comment */
      while (i < n && !(z[i] == '*' && i + 1 < n && z[i + 1] == '/')) i++;
      if (i < n) { i += 2; s->inq = 0; s->state = trans[s->state][tkWS]; }
      continue;
    }
    if (s->inq == '-') {            /* a line comment ends with its line */
      while (i < n && z[i] != '\n') i++;
      if (i < n) { s->inq = 0; s->state = trans[s->state][tkWS]; }
      continue;
    }
    if (s->inq) {                   /* inside '...', "...", `...` or [...] */
      while (i < n && z[i] != s->inq) i++;
      if (i < n) { i++; s->inq = 0; s->state = trans[s->state][tkOTHER]; }
      continue;
    }
    unsigned char c = (unsigned char)z[i];
    int tk;
    switch (c) {
      case ';': tk = tkSEMI; i++; break;
      case ' ': case '\t': case '\n': case '\r': case '\f': tk = tkWS; i++; break;
      case '/':
        if (i + 1 < n && z[i + 1] == '*') { s->inq = '*'; i += 2; continue; }
        tk = tkOTHER; i++; break;
      case '-':
        if (i + 1 < n && z[i + 1] == '-') { s->inq = '-'; i += 2; continue; }
        tk = tkOTHER; i++; break;
      case '[': s->inq = ']'; i++; continue;
      case '`': case '"': case '\'': s->inq = (char)c; i++; continue;
      default:
        if (id_char(c)) {
          size_t j = i;
          while (j < n && id_char((unsigned char)z[j])) j++;
          tk = keyword(z + i, j - i);
          i = j;
        } else {
          tk = tkOTHER;
          i++;
        }
    }
    s->state = trans[s->state][tk];
    if (stop && tk == tkSEMI && s->state == 1) return i;
  }
  return i;
}

int sqlscan_complete(const SqlScan *s) { return s->state == 1 && s->inq == 0; }

/* ---- line-at-a-time input */

int feeder_pending(const Feeder *fd) { return fd->len > 0; }

void feeder_free(Feeder *fd) {
  free(fd->buf);
  memset(fd, 0, sizeof *fd);
}

static void feeder_reset(Feeder *fd) {
  fd->len = 0;
  if (fd->buf) fd->buf[0] = 0;
  fd->scan.state = 0;
  fd->scan.inq = 0;
}

/* Blank or only comments (a block comment left open is not "only"). */
static int only_comment(const char *line) {
  SqlScan s = {0, 0};
  sqlscan(&s, line, strlen(line), 0);
  return s.state == 0 && (s.inq == 0 || s.inq == '-');
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
    if (!b) { shell_error(sh, "out of memory"); feeder_reset(fd); return 1; }
    fd->buf = b;
    fd->cap = nc;
  }
  memcpy(fd->buf + fd->len, line, n);
  fd->buf[fd->len + n] = '\n';
  sqlscan(&fd->scan, fd->buf + fd->len, n + 1, 0);
  fd->len += n + 1;
  fd->buf[fd->len] = 0;
  if (!sqlscan_complete(&fd->scan)) return 0;
  int rc = shell_exec_sql(sh, fd->buf, fd->start);
  feeder_reset(fd);
  return rc;
}

int feeder_flush(Shell *sh, Feeder *fd) {
  if (fd->len == 0) return 0;
  int rc = shell_exec_sql(sh, fd->buf, fd->start);
  feeder_reset(fd);
  return rc;
}

/* ---- whole inputs */

typedef struct Source {
  const char *text; size_t n, pos;   /* a script in memory */
  FILE *in;                          /* or a stream */
  char *line; size_t cap;
} Source;

/* The next line without its line end, its length in *len (NULs included);
** NULL at the end. */
static char *next_line(Source *src, size_t *len) {
  if (src->in) {
    ssize_t n = getline(&src->line, &src->cap, src->in);
    if (n < 0) return NULL;
    if (n > 0 && src->line[n - 1] == '\n') n--;
    if (n > 0 && src->line[n - 1] == '\r') n--;
    src->line[n] = 0;
    *len = (size_t)n;
    return src->line;
  }
  if (src->pos >= src->n) return NULL;
  const char *z = src->text + src->pos;
  const char *eol = memchr(z, '\n', src->n - src->pos);
  size_t n = eol ? (size_t)(eol - z) : src->n - src->pos;
  src->pos += n + (eol ? 1 : 0);
  if (n + 1 > src->cap) {
    size_t nc = n + 64;
    char *l = realloc(src->line, nc);
    if (!l) return NULL;
    src->line = l;
    src->cap = nc;
  }
  memcpy(src->line, z, n);
  if (n > 0 && src->line[n - 1] == '\r') n--;
  src->line[n] = 0;
  *len = n;
  return src->line;
}

static int run_source(Shell *sh, Source *src, const char *name) {
  Feeder fd = {0};
  const char *saved = sh->src_name;
  sh->src_name = name;
  int lineno = 0, failed = 0, rc = 0, stop = 0;
  size_t n;
  char *line;
  while (!g_interrupted && (line = next_line(src, &n)) != NULL) {
    lineno++;
    if (strlen(line) != n) {
      sh->src_line = lineno;
      shell_error(sh, "contains a NUL byte: not a script (a database or a "
                  "spreadsheet?); nothing after line %d was run", lineno - 1);
      sh->src_line = 0;
      failed = stop = 1;
      break;
    }
    rc = feeder_line(sh, &fd, line, lineno);
    if (rc == 1) failed = 1;
    if (rc == 2 || (rc == 1 && sh->bail)) { stop = 1; break; }
  }
  if (!stop && !g_interrupted && feeder_flush(sh, &fd)) failed = 1;
  free(src->line);
  feeder_free(&fd);
  sh->src_name = saved;
  if (rc == 2) return 2;
  return failed || g_interrupted ? 1 : 0;
}

int shell_run_script(Shell *sh, const char *text, size_t n, const char *name) {
  Source src = {text, n, 0, NULL, NULL, 0};
  return run_source(sh, &src, name);
}

int shell_run_file(Shell *sh, FILE *in, const char *name) {
  Source src = {NULL, 0, 0, in, NULL, 0};
  return run_source(sh, &src, name);
}
