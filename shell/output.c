/*
** output.c -- printing a result in the shell's output modes.
**
**   box       Unicode box drawing (default when stdout is a terminal)
**   table     the same with ASCII +-|
**   markdown  a GitHub table
**   list      values separated by |, like sqlite3 (default otherwise)
**   csv       RFC 4180: fields with , " CR or LF are quoted, " doubled;
**             NULL is an empty field, '' is "" (so .import reads it back)
**   tsv       tab-separated; tab, newline, CR and backslash escaped as
**             \t \n \r \\
**   json      an array of objects, numbers as numbers, NULL as null
**   line      one "column = value" line per column, blank line between rows
**
** Columns are aligned by display width (width.c), so Chinese names line up.
** Reals print with 15 significant digits for people (box, table, markdown,
** list, line) and exactly (shortest text that reads back as the same double)
** for machines (csv, tsv, json).
*/
#include "shell.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const mode_names[] = {"list", "box", "table", "csv",
                                         "tsv", "json", "markdown", "line"};

const char *mode_name(OutMode m) { return mode_names[m]; }

int mode_from_name(const char *name, OutMode *out) {
  for (int i = 0; i < (int)(sizeof mode_names / sizeof mode_names[0]); i++)
    if (strcmp(name, mode_names[i]) == 0) { *out = (OutMode)i; return 0; }
  if (strcmp(name, "tabs") == 0) { *out = MODE_TSV; return 0; }
  return -1;
}

void result_clear(Result *r) {
  for (long i = 0; i < r->nrow * r->ncol; i++) free(r->cells[i].text);
  for (int j = 0; j < r->ncol; j++) free(r->names[j]);
  free(r->cells);
  free(r->names);
  memset(r, 0, sizeof *r);
}

void format_real(char *buf, size_t n, double d, int exact) {
  if (isnan(d)) { snprintf(buf, n, "NaN"); return; }
  if (isinf(d)) { snprintf(buf, n, d > 0 ? "Inf" : "-Inf"); return; }
  if (exact) {
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(buf, n, "%.*g", prec, d);
      if (strtod(buf, NULL) == d) break;
    }
  } else {
    snprintf(buf, n, "%.15g", d);
  }
  if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 < n) strcat(buf, ".0");
}

/* The text of a cell for this mode; returns a pointer to buf or the cell. */
static const char *cell_str(const Shell *sh, const Cell *c, char *buf,
                            size_t n, int exact) {
  if (c->type == SQLITE_NULL) return sh->nullvalue ? sh->nullvalue : "";
  if (c->type == SQLITE_FLOAT) { format_real(buf, n, c->num, exact); return buf; }
  if (c->type == SQLITE_TEXT && c->text) return lang_name(sh, c->text);   /* status words */
  return c->text ? c->text : "";
}

static int is_num(const Cell *c) {
  return c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT;
}

/* A copy safe inside a grid: no control character breaks the lines or
** reaches the terminal (width.c, term_safe). */
static char *grid_text(const char *s) {
  return term_safe(s, -1, SAFE_NL_ARROW);
}

/* Prints text from the database for a person: never raw terminal controls. */
static void put_safe(FILE *f, const char *s) {
  if (!term_needs_safe(s)) { fputs(s, f); return; }
  char *t = term_safe(s, -1, SAFE_KEEP_NL);
  fputs(t ? t : "", f);
  free(t);
}

/* csv and tsv are exact, byte for byte, except on a terminal. */
static int to_terminal(const Shell *sh) {
  return isatty(fileno(sh->out));
}

static void pad(FILE *f, int n) {
  for (int i = 0; i < n; i++) fputc(' ', f);
}

static void put_rep(FILE *f, const char *s, int n) {
  for (int i = 0; i < n; i++) fputs(s, f);
}

static int headers_on(const Shell *sh) {
  if (sh->headers >= 0) return sh->headers;
  return sh->mode != MODE_LIST;
}

static void footer(const Shell *sh, const Result *r, FILE *f) {
  long more = r->total - r->base - r->nrow;
  if (more > 0 && lang_active(sh))
    fprintf(f, "... 另有 %ld 行未显示 (.maxrows %ld)\n", more, sh->maxrows);
  else if (more > 0)
    fprintf(f, "... %ld more row%s not shown (.maxrows %ld)\n", more,
            more == 1 ? "" : "s", sh->maxrows);
}

/* ---- box, table, markdown */

static void out_grid(Shell *sh, const Result *r) {
  FILE *f = sh->out;
  int nc = r->ncol;
  int hdr = sh->mode == MODE_MARKDOWN ? 1 : headers_on(sh);
  char **txt = calloc((size_t)((r->nrow + 1) * nc) + 1, sizeof(char *));
  int *w = calloc((size_t)nc + 1, sizeof(int));
  int *numcol = calloc((size_t)nc + 1, sizeof(int));
  if (!txt || !w || !numcol) { free(txt); free(w); free(numcol); return; }
  char buf[64];
  for (int j = 0; j < nc; j++) {
    txt[j] = grid_text(r->names[j] ? lang_name(sh, r->names[j]) : "");
    w[j] = hdr ? utf8_width(txt[j], -1) : 0;
    numcol[j] = r->nrow > 0;
  }
  for (long i = 0; i < r->nrow; i++)
    for (int j = 0; j < nc; j++) {
      const Cell *c = &r->cells[i * nc + j];
      char *t = grid_text(cell_str(sh, c, buf, sizeof buf, 0));
      if (sh->mode == MODE_MARKDOWN && t && strchr(t, '|')) {
        size_t k = 0, m = strlen(t);
        char *e = malloc(m * 2 + 1);
        if (e) {
          for (size_t q = 0; q < m; q++) {
            if (t[q] == '|') e[k++] = '\\';
            e[k++] = t[q];
          }
          e[k] = 0;
          free(t);
          t = e;
        }
      }
      txt[(i + 1) * nc + j] = t;
      int cw = t ? utf8_width(t, -1) : 0;
      if (cw > w[j]) w[j] = cw;
      if (!is_num(c) && c->type != SQLITE_NULL) numcol[j] = 0;
    }
  const char *h, *v, *tl, *tm, *tr, *ml, *mm, *mr, *bl, *bm, *br;
  if (sh->mode == MODE_BOX) {
    h = "\xe2\x94\x80"; v = "\xe2\x94\x82";
    tl = "\xe2\x94\x8c"; tm = "\xe2\x94\xac"; tr = "\xe2\x94\x90";
    ml = "\xe2\x94\x9c"; mm = "\xe2\x94\xbc"; mr = "\xe2\x94\xa4";
    bl = "\xe2\x94\x94"; bm = "\xe2\x94\xb4"; br = "\xe2\x94\x98";
  } else {
    h = "-"; v = "|";
    tl = tm = tr = ml = mm = mr = bl = bm = br = "+";
  }
  int md = sh->mode == MODE_MARKDOWN;
#define RULE(L, M, R)                                   \
  do {                                                  \
    fputs(L, f);                                        \
    for (int j = 0; j < nc; j++) {                      \
      put_rep(f, h, w[j] + 2);                          \
      fputs(j + 1 < nc ? M : R, f);                     \
    }                                                   \
    fputc('\n', f);                                     \
  } while (0)
  if (!md) RULE(tl, tm, tr);
  for (long i = hdr ? 0 : 1; i <= r->nrow; i++) {
    fputs(v, f);
    for (int j = 0; j < nc; j++) {
      const char *t = txt[i * nc + j] ? txt[i * nc + j] : "";
      int gap = w[j] - utf8_width(t, -1);
      int right = i > 0 && is_num(&r->cells[(i - 1) * nc + j]);
      fputc(' ', f);
      if (right) pad(f, gap);
      fputs(t, f);
      if (!right) pad(f, gap);
      fputc(' ', f);
      fputs(v, f);
    }
    fputc('\n', f);
    if (i == 0) {
      if (md) {
        fputc('|', f);
        for (int j = 0; j < nc; j++) {
          put_rep(f, "-", w[j] + 1);
          fputs(numcol[j] ? ":|" : "-|", f);
        }
        fputc('\n', f);
      } else {
        RULE(ml, mm, mr);
      }
    }
  }
  if (!md) RULE(bl, bm, br);
#undef RULE
  footer(sh, r, f);
  for (long i = 0; i < (r->nrow + 1) * nc; i++) free(txt[i]);
  free(txt);
  free(w);
  free(numcol);
}

/* ---- list, csv, tsv */

/* Quotes what .import would otherwise read differently: separators,
** quotes and line ends, the empty text (an empty field is NULL), and text
** that an untyped column would take for a number ('12', '1e3') or a blob
** (X'00FF'); see bind_guess() in csv.c. */
static void csv_field(FILE *f, const char *s, int is_text) {
  size_t n = strlen(s);
  if (strpbrk(s, ",\"\r\n") ||
      (is_text && (n == 0 || csv_looks_numeric(s, n) || csv_looks_blob(s, n)))) {
    fputc('"', f);
    for (; *s; s++) {
      if (*s == '"') fputc('"', f);
      fputc(*s, f);
    }
    fputc('"', f);
  } else {
    fputs(s, f);
  }
}

static void tsv_field(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '\t': fputs("\\t", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\\': fputs("\\\\", f); break;
      default: fputc(*s, f);
    }
  }
}

static char sep_char(const Shell *sh) {
  return sh->mode == MODE_CSV ? ',' : sh->mode == MODE_TSV ? '\t' : '|';
}

static void sep_field(Shell *sh, const char *s, int is_text) {
  char *safe = NULL;
  if (sh->mode != MODE_LIST && term_needs_safe(s) && to_terminal(sh))
    s = safe = term_safe(s, -1, SAFE_KEEP_NL);
  if (!s) return;
  if (sh->mode == MODE_CSV) csv_field(sh->out, s, is_text);
  else if (sh->mode == MODE_TSV) tsv_field(sh->out, s);
  else put_safe(sh->out, s);
  free(safe);
}

static void sep_begin(Shell *sh, const Result *r) {
  if (!headers_on(sh)) return;
  for (int j = 0; j < r->ncol; j++) {
    if (j) fputc(sep_char(sh), sh->out);
    sep_field(sh, r->names[j] ? lang_name(sh, r->names[j]) : "", 0);
  }
  fputc('\n', sh->out);
}

static void sep_rows(Shell *sh, const Result *r, long from, long to) {
  int exact = sh->mode != MODE_LIST;
  char buf[64];
  for (long i = from; i < to; i++) {
    for (int j = 0; j < r->ncol; j++) {
      if (j) fputc(sep_char(sh), sh->out);
      const Cell *c = &r->cells[i * r->ncol + j];
      sep_field(sh, cell_str(sh, c, buf, sizeof buf, exact), c->type == SQLITE_TEXT);
    }
    fputc('\n', sh->out);
  }
}

/* ---- json */

static void json_string(FILE *f, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), i = 0;
  fputc('"', f);
  while (i < n) {
    unsigned char c = p[i];
    if (c == '"') fputs("\\\"", f);
    else if (c == '\\') fputs("\\\\", f);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\r') fputs("\\r", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c == '\b') fputs("\\b", f);
    else if (c == '\f') fputs("\\f", f);
    else if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
    else if (c < 0x80) fputc(c, f);
    else {
      unsigned cp;
      int k = utf8_decode(p + i, n - i, &cp);
      if (k == 0) { fputs("\\ufffd", f); i++; continue; }
      /* C1 controls and bidi overrides escaped: the same JSON value, and
      ** nothing that drives a terminal showing it */
      if ((cp >= 0x80 && cp < 0xA0) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
          (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        fprintf(f, "\\u%04x", cp);
      else
        fwrite(p + i, 1, (size_t)k, f);
      i += (size_t)k;
      continue;
    }
    i++;
  }
  fputc('"', f);
}

static void json_rows(Shell *sh, const Result *r, long from, long to) {
  FILE *f = sh->out;
  char buf[64];
  for (long i = from; i < to; i++) {
    fputs(r->base + i ? ",\n " : "", f);
    fputc('{', f);
    for (int j = 0; j < r->ncol; j++) {
      const Cell *c = &r->cells[i * r->ncol + j];
      if (j) fputs(", ", f);
      json_string(f, r->names[j] ? lang_name(sh, r->names[j]) : "");
      fputs(": ", f);
      if (c->type == SQLITE_NULL) fputs("null", f);
      else if (c->type == SQLITE_INTEGER) fputs(c->text, f);
      else if (c->type == SQLITE_FLOAT) {
        if (!isfinite(c->num)) fputs("null", f);
        else { format_real(buf, sizeof buf, c->num, 1); fputs(buf, f); }
      } else json_string(f, c->text ? (c->type == SQLITE_TEXT ? lang_name(sh, c->text) : c->text) : "");
    }
    fputc('}', f);
  }
}

/* ---- line */

static void line_rows(Shell *sh, const Result *r, long from, long to) {
  FILE *f = sh->out;
  int w = 0;
  char buf[64];
  for (int j = 0; j < r->ncol; j++) {
    int cw = utf8_width(r->names[j] ? lang_name(sh, r->names[j]) : "", -1);
    if (cw > w) w = cw;
  }
  for (long i = from; i < to; i++) {
    if (r->base + i) fputc('\n', f);
    for (int j = 0; j < r->ncol; j++) {
      const char *name = r->names[j] ? lang_name(sh, r->names[j]) : "";
      pad(f, w - utf8_width(name, -1));
      put_safe(f, name);
      fputs(" = ", f);
      put_safe(f, cell_str(sh, &r->cells[i * r->ncol + j], buf, sizeof buf, 0));
      fputc('\n', f);
    }
  }
}

int output_streams(const Shell *sh) {
  return sh->mode != MODE_BOX && sh->mode != MODE_TABLE && sh->mode != MODE_MARKDOWN;
}

void output_begin(Shell *sh, const Result *r) {
  if (sh->mode == MODE_JSON) fputc('[', sh->out);
  else if (sh->mode != MODE_LINE) sep_begin(sh, r);
}

void output_rows(Shell *sh, const Result *r, long from, long to) {
  if (sh->mode == MODE_JSON) json_rows(sh, r, from, to);
  else if (sh->mode == MODE_LINE) line_rows(sh, r, from, to);
  else sep_rows(sh, r, from, to);
}

void output_end(Shell *sh, const Result *r) {
  if (sh->mode == MODE_JSON) fputs("]\n", sh->out);
  /* for a person (line mode; list mode on a terminal) an empty result is
  ** said; csv, tsv, json and list into a pipe stay data */
  if (r->total == 0 && (sh->mode == MODE_LINE || (sh->mode == MODE_LIST && to_terminal(sh))))
    fputs(lang_active(sh) ? "(无数据)\n" : "(no rows)\n", sh->out);
  int to_stderr = sh->mode == MODE_CSV || sh->mode == MODE_TSV || sh->mode == MODE_JSON;
  footer(sh, r, to_stderr ? stderr : sh->out);
  fflush(sh->out);
}

void output_result(Shell *sh, const Result *r) {
  if (r->ncol == 0) return;
  if (r->nrow == 0 && r->total == 0 && !output_streams(sh)) {
    fputs(lang_active(sh) ? "(无数据)\n" : "(no rows)\n", sh->out);   /* said, not an empty screen */
    return;
  }
  if (!output_streams(sh)) {
    out_grid(sh, r);
    fflush(sh->out);
    return;
  }
  output_begin(sh, r);
  output_rows(sh, r, 0, r->nrow);
  output_end(sh, r);
}
