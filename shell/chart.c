/*
** chart.c -- text charts of the last result, for a terminal.
**
**   .chart bar [LABEL VALUE [MARK]]
**       one horizontal bar per row, eighth-block characters, scaled to the
**       terminal width; a MARK column (same units as VALUE, e.g. time
**       progress next to achievement) puts a │ on each bar.  Default
**       columns: the first non-numeric one is the label, the next numeric
**       ones are value and mark.
**   .chart quadrant [USAGE POTENTIAL]
**       doctors on a potential (x) × usage (y) grid with the cut lines and
**       the A/B/C/D quadrants; cuts from columns named *usage*cut* and
**       *potential*cut* when present, else the medians.  The quadrant rule
**       is never restated here: a row's quadrant column (the schema's view
**       doctor_segment gives one) is taken as it is, and a row without one
**       is put in a quadrant by the extension's quadrant() function.
**
** Widths count display columns (width.c), so Chinese labels line up.
*/
#include "shell.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

int terminal_width(void) {
  const char *c = getenv("COLUMNS");
  if (c && *c) {
    int v = atoi(c);
    if (v >= 20 && v <= 1000) return v;
  }
  struct winsize ws;
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

/* The number in a cell: integers, reals, and text that reads wholly as one. */
static int cell_num(const Cell *c, double *out) {
  if (c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT) {
    *out = c->num;
    return isfinite(c->num);
  }
  if (c->type == SQLITE_TEXT && c->text && *c->text) {
    char *end;
    double d = strtod(c->text, &end);
    if (*end == 0 && isfinite(d)) { *out = d; return 1; }
  }
  return 0;
}

static int col_numeric(const Result *r, int j) {
  int seen = 0;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *c = &r->cells[i * r->ncol + j];
    double d;
    if (c->type == SQLITE_NULL) continue;
    if (!cell_num(c, &d)) return 0;
    seen = 1;
  }
  return seen;
}

/* A column by name (case-insensitive) or 1-based number; -1 if none. */
static int find_col(const Result *r, const char *s) {
  for (int j = 0; j < r->ncol; j++)
    if (strcasecmp(r->names[j], s) == 0) return j;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end == 0 && v >= 1 && v <= r->ncol) return (int)v - 1;
  return -1;
}

static const char *eighths[] = {"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
                                "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
                                "\xe2\x96\x89", "\xe2\x96\x88"};

/* Chart labels: few digits, no exponent for everyday magnitudes. */
static void short_num(char *buf, size_t n, double v) {
  double a = fabs(v);
  if (a >= 1e9 || (a > 0 && a < 0.001)) snprintf(buf, n, "%.3g", v);
  else if (a >= 100) snprintf(buf, n, "%.0f", v);
  else if (a >= 1) snprintf(buf, n, "%.2f", v);
  else snprintf(buf, n, "%.3f", v);
  char *dot = strchr(buf, '.');
  if (dot && !strchr(buf, 'e')) {
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0') *e-- = 0;
    if (e == dot) *e = 0;
  }
}

static void num_text(const Cell *c, char *buf, size_t n) {
  if (c->type == SQLITE_FLOAT) short_num(buf, n, c->num);
  else if (c->type == SQLITE_NULL) snprintf(buf, n, "NULL");
  else snprintf(buf, n, "%s", c->text ? c->text : "");
}

static void put_label(FILE *f, const char *s, int w) {
  int sw = utf8_width(s, -1);
  if (sw > w) {
    size_t k = utf8_prefix_for_width(s, w - 1);
    fwrite(s, 1, k, f);
    fputs("\xe2\x80\xa6", f);   /* … */
    sw = utf8_width(s, (long)k) + 1;
  } else {
    fputs(s, f);
  }
  for (int i = sw; i < w; i++) fputc(' ', f);
}

int chart_bar(Shell *sh, const Result *r, char **argv, int argc) {
  int lab = -1, val = -1, mark = -1;
  if (argc >= 2) {
    lab = find_col(r, argv[0]);
    val = find_col(r, argv[1]);
    if (argc >= 3) mark = find_col(r, argv[2]);
    if (lab < 0 || val < 0 || (argc >= 3 && mark < 0) || argc > 3) {
      shell_error(sh, ".chart bar: no such column (columns are named in the last result)");
      return 1;
    }
  } else if (argc == 1) {
    shell_error(sh, "usage: .chart bar [LABEL VALUE [MARK]]");
    return 1;
  } else {
    for (int j = 0; j < r->ncol && lab < 0; j++)
      if (!col_numeric(r, j)) lab = j;
    for (int j = 0; j < r->ncol; j++) {
      if (j == lab || !col_numeric(r, j)) continue;
      if (val < 0) val = j;
      else if (mark < 0) mark = j;
    }
    if (lab < 0 && r->ncol >= 2) { lab = 0; val = 1; mark = r->ncol >= 3 ? 2 : -1; }
  }
  if (val < 0 || !col_numeric(r, val)) {
    shell_error(sh, ".chart bar: the last result needs a label column and a numeric value column");
    return 1;
  }
  if (mark >= 0 && !col_numeric(r, mark)) {
    shell_error(sh, ".chart bar: the mark column %s is not numeric", r->names[mark]);
    return 1;
  }
  if (r->nrow == 0) {
    fprintf(sh->out, "(no rows)\n");
    return 0;
  }
  double lo = 0, hi = 0, d;
  int labw = 1, valw = 1, vw = 1, mw = 0;
  char buf[128], mbuf[64];
  for (long i = 0; i < r->nrow; i++) {
    const Cell *row = &r->cells[i * r->ncol];
    if (cell_num(&row[val], &d)) { lo = fmin(lo, d); hi = fmax(hi, d); }
    if (mark >= 0 && cell_num(&row[mark], &d)) { lo = fmin(lo, d); hi = fmax(hi, d); }
    const char *l = lab >= 0 && row[lab].type != SQLITE_NULL && row[lab].type != SQLITE_FLOAT
                        ? row[lab].text : "";
    int w = utf8_width(l ? l : "", -1);
    if (w > labw) labw = w;
    num_text(&row[val], buf, sizeof buf);
    w = utf8_width(buf, -1);
    if (w > vw) vw = w;
    if (mark >= 0) {
      num_text(&row[mark], mbuf, sizeof mbuf);
      w = utf8_width(mbuf, -1);
      if (w > mw) mw = w;
    }
  }
  valw = vw + (mark >= 0 ? mw + 2 : 0);
  if (hi <= lo) hi = lo + 1;
  int width = terminal_width();
  if (labw > width / 3) labw = width / 3;
  int barw = width - labw - valw - 3;
  if (barw < 10) barw = 10;
  const char **cells = malloc(sizeof(char *) * (size_t)barw);
  if (!cells) return 1;
  FILE *f = sh->out;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *row = &r->cells[i * r->ncol];
    char lb[64];
    const char *l = "";
    if (lab >= 0) {
      if (row[lab].type == SQLITE_FLOAT) { format_real(lb, sizeof lb, row[lab].num, 0); l = lb; }
      else if (row[lab].type == SQLITE_NULL) l = sh->nullvalue ? sh->nullvalue : "";
      else l = row[lab].text ? row[lab].text : "";
    }
    for (int k = 0; k < barw; k++) cells[k] = " ";
    if (cell_num(&row[val], &d)) {
      long n8 = lround((d - lo) / (hi - lo) * barw * 8);
      if (n8 < 0) n8 = 0;
      if (n8 > (long)barw * 8) n8 = (long)barw * 8;
      long full = n8 / 8;
      for (long k = 0; k < full; k++) cells[k] = eighths[8];
      if (n8 % 8 && full < barw) cells[full] = eighths[n8 % 8];
    }
    if (mark >= 0 && cell_num(&row[mark], &d)) {
      long k = (long)floor((d - lo) / (hi - lo) * barw);
      if (k >= barw) k = barw - 1;
      if (k < 0) k = 0;
      cells[k] = "\xe2\x94\x82";
    }
    put_label(f, l, labw);
    fputc(' ', f);
    for (int k = 0; k < barw; k++) fputs(cells[k], f);
    num_text(&row[val], buf, sizeof buf);
    fprintf(f, " %*s", vw, buf);
    if (mark >= 0) {
      num_text(&row[mark], mbuf, sizeof mbuf);
      fprintf(f, " \xe2\x94\x82%*s", mw, mbuf);
    }
    fputc('\n', f);
  }
  if (mark >= 0)
    fprintf(f, "%*s \xe2\x96\x88 %s   \xe2\x94\x82 %s\n", labw, "", r->names[val], r->names[mark]);
  free(cells);
  return 0;
}

/* ---- quadrant */

static int name_has(const char *name, const char *a, const char *b) {
  char low[128];
  size_t n = strlen(name);
  if (n >= sizeof low) n = sizeof low - 1;
  for (size_t i = 0; i < n; i++) low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
  low[n] = 0;
  if (!strstr(low, a)) return 0;
  if (b == NULL) return strstr(low, "cut") == NULL;
  return strstr(low, b) != NULL;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_of(const Result *r, int col) {
  double *v = malloc(sizeof(double) * (size_t)(r->nrow + 1));
  long n = 0;
  if (!v) return 0;
  for (long i = 0; i < r->nrow; i++) {
    double d;
    if (cell_num(&r->cells[i * r->ncol + col], &d)) v[n++] = d;
  }
  double m = 0;
  if (n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  free(v);
  return m;
}

/* A result with a quadrant column (A/B/C/D) and maybe a doctors count, as
** .report quadrants gives: a 2 x 2 table of doctors per quadrant. */
static int quadrant_summary(Shell *sh, const Result *r, int qcol, int ncol) {
  double n[4] = {0, 0, 0, 0}, d;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *row = &r->cells[i * r->ncol];
    const char *q = row[qcol].type == SQLITE_TEXT ? row[qcol].text : NULL;
    if (!q || q[1] || q[0] < 'A' || q[0] > 'D') continue;
    n[q[0] - 'A'] += ncol >= 0 ? (cell_num(&row[ncol], &d) ? d : 0) : 1;
  }
  static const char *name[4] = {"A maintain", "B grow", "C develop", "D reduce"};
  char cell[4][48];
  for (int k = 0; k < 4; k++) snprintf(cell[k], sizeof cell[k], "%-11s %8.0f", name[k], n[k]);
  FILE *f = sh->out;
  const char *h = "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
                  "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
                  "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
                  "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
                  "\xe2\x94\x80\xe2\x94\x80";   /* 22 x ─ */
  fprintf(f, "%15s%-23s%s\n", "", "low potential", "high potential");
  fprintf(f, "%14s\xe2\x94\x8c%s\xe2\x94\xac%s\xe2\x94\x90\n", "", h, h);
  fprintf(f, "%-14s\xe2\x94\x82 %s \xe2\x94\x82 %s \xe2\x94\x82\n", "high usage", cell[0], cell[1]);
  fprintf(f, "%14s\xe2\x94\x9c%s\xe2\x94\xbc%s\xe2\x94\xa4\n", "", h, h);
  fprintf(f, "%-14s\xe2\x94\x82 %s \xe2\x94\x82 %s \xe2\x94\x82\n", "low usage", cell[3], cell[2]);
  fprintf(f, "%14s\xe2\x94\x94%s\xe2\x94\xb4%s\xe2\x94\x98\n", "", h, h);
  fprintf(f, "doctors per quadrant%s\n", ncol >= 0 ? "" : " (rows counted)");
  return 0;
}

/* The quadrant of a row: its own quadrant column when it holds A-D, else
** quadrant(usage, potential, usage cut, potential cut) through SQL, the one
** definition of the rule.  Returns 0..3 for A..D, -1 when it has none. */
static int row_quadrant(sqlite3_stmt *q, const Cell *qcell, double u, double p,
                        double uc, double pc) {
  if (qcell && qcell->type == SQLITE_TEXT && qcell->text && qcell->text[0] >= 'A' &&
      qcell->text[0] <= 'D' && qcell->text[1] == 0)
    return qcell->text[0] - 'A';
  if (!q) return -1;
  sqlite3_reset(q);
  sqlite3_bind_double(q, 1, u);
  sqlite3_bind_double(q, 2, p);
  sqlite3_bind_double(q, 3, uc);
  sqlite3_bind_double(q, 4, pc);
  int k = -1;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT) {
    const unsigned char *t = sqlite3_column_text(q, 0);
    if (t && t[0] >= 'A' && t[0] <= 'D' && t[1] == 0) k = t[0] - 'A';
  }
  return k;
}

int chart_quadrant(Shell *sh, const Result *r, char **argv, int argc) {
  int ucol = -1, pcol = -1, ucut = -1, pcut = -1;
  if (argc == 2) {
    ucol = find_col(r, argv[0]);
    pcol = find_col(r, argv[1]);
  } else if (argc != 0) {
    shell_error(sh, "usage: .chart quadrant [USAGE POTENTIAL]");
    return 1;
  }
  for (int j = 0; j < r->ncol; j++) {
    if (argc == 0 && ucol < 0 && name_has(r->names[j], "usage", NULL)) ucol = j;
    if (argc == 0 && pcol < 0 && name_has(r->names[j], "potential", NULL)) pcol = j;
    if (ucut < 0 && name_has(r->names[j], "usage", "cut")) ucut = j;
    if (pcut < 0 && name_has(r->names[j], "potential", "cut")) pcut = j;
  }
  if (argc == 0 && (ucol < 0 || pcol < 0)) {
    int qcol = find_col(r, "quadrant");
    if (qcol >= 0) return quadrant_summary(sh, r, qcol, find_col(r, "doctors"));
  }
  if (ucol < 0 || pcol < 0 || !col_numeric(r, ucol) || !col_numeric(r, pcol)) {
    shell_error(sh, ".chart quadrant: the last result needs numeric usage and potential "
                "columns (one row per doctor), or a quadrant column (.report quadrants)");
    return 1;
  }
  int qcol = find_col(r, "quadrant");
  sqlite3_stmt *q = NULL;
  if (!sh->db || sqlite3_prepare_v2(sh->db, "SELECT quadrant(?1, ?2, ?3, ?4)", -1, &q, NULL) != SQLITE_OK) {
    sqlite3_finalize(q);
    q = NULL;
    if (qcol < 0) {
      shell_error(sh, ".chart quadrant: the quadrant() function is not available: %s",
                  sh->db ? sqlite3_errmsg(sh->db) : "no database");
      return 1;
    }
  }
  double uc = median_of(r, ucol), pc = median_of(r, pcol), d;
  if (ucut >= 0 && r->nrow > 0 && cell_num(&r->cells[ucut], &d)) uc = d;
  if (pcut >= 0 && r->nrow > 0 && cell_num(&r->cells[pcut], &d)) pc = d;
  double xlo = fmin(0, pc), xhi = pc, ylo = fmin(0, uc), yhi = uc;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *row = &r->cells[i * r->ncol];
    if (cell_num(&row[pcol], &d)) { xlo = fmin(xlo, d); xhi = fmax(xhi, d); }
    if (cell_num(&row[ucol], &d)) { ylo = fmin(ylo, d); yhi = fmax(yhi, d); }
  }
  if (xhi <= xlo) xhi = xlo + 1;
  if (yhi <= ylo) yhi = ylo + 1;
  int W = terminal_width() - 12;
  if (W > 72) W = 72;
  if (W < 20) W = 20;
  int H = 17;
  int *count = calloc((size_t)(W * H), sizeof(int));
  const char **g = malloc(sizeof(char *) * (size_t)(W * H));
  if (!count || !g) { free(count); free(g); sqlite3_finalize(q); return 1; }
  int cx = (int)lround((pc - xlo) / (xhi - xlo) * (W - 1));
  int cy = H - 1 - (int)lround((uc - ylo) / (yhi - ylo) * (H - 1));
  long nq[4] = {0, 0, 0, 0};   /* A B C D */
  for (long i = 0; i < r->nrow; i++) {
    const Cell *row = &r->cells[i * r->ncol];
    double u, p;
    if (!cell_num(&row[ucol], &u) || !cell_num(&row[pcol], &p)) continue;
    int x = (int)lround((p - xlo) / (xhi - xlo) * (W - 1));
    int y = H - 1 - (int)lround((u - ylo) / (yhi - ylo) * (H - 1));
    count[y * W + x]++;
    int k = row_quadrant(q, qcol >= 0 ? &row[qcol] : NULL, u, p, uc, pc);
    if (k >= 0) nq[k]++;
  }
  sqlite3_finalize(q);
  static const char *digits[] = {"", "\xe2\x80\xa2", "2", "3", "4", "5", "6", "7", "8", "9"};
  for (int k = 0; k < W * H; k++) g[k] = " ";
  for (int y = 0; y < H; y++) g[y * W + cx] = "\xe2\x94\x82";
  for (int x = 0; x < W; x++) g[cy * W + x] = x == cx ? "\xe2\x94\xbc" : "\xe2\x94\x80";
  for (int k = 0; k < W * H; k++)
    if (count[k]) g[k] = count[k] > 9 ? "+" : digits[count[k]];
  FILE *f = sh->out;
  char ylab[32];
  /* quadrant names outside the plot: A | B above, D | C below */
  int lw = cx > 12 ? cx : 12;
  fprintf(f, "%-9.9s  %-*s %s\n", r->names[ucol], lw, "A maintain", "B grow");
  for (int y = 0; y < H; y++) {
    ylab[0] = 0;
    if (y == 0) short_num(ylab, sizeof ylab, yhi);
    else if (y == cy) short_num(ylab, sizeof ylab, uc);
    else if (y == H - 1) short_num(ylab, sizeof ylab, ylo);
    fprintf(f, "%9s \xe2\x94\x82", ylab);
    for (int x = 0; x < W; x++) fputs(g[y * W + x], f);
    fputc('\n', f);
  }
  fprintf(f, "%9s  %-*s %s\n", "", lw, "D reduce", "C develop");
  fprintf(f, "%9s \xe2\x94\x94", "");
  for (int x = 0; x < W; x++) fputs("\xe2\x94\x80", f);
  fputc('\n', f);
  char a[32], b[32], c[32];
  short_num(a, sizeof a, xlo);
  short_num(b, sizeof b, pc);
  short_num(c, sizeof c, xhi);
  char *labs[3] = {a, b, c};
  /* x axis: low value at the left, the cut under its line, high at the right */
  char axis[256];
  memset(axis, ' ', sizeof axis);
  int pos[3] = {0, cx - (int)strlen(b) / 2, W - (int)strlen(c)};
  if (pos[1] < (int)strlen(a) + 1) pos[1] = (int)strlen(a) + 1;
  if (pos[2] < pos[1] + (int)strlen(b) + 1) pos[2] = pos[1] + (int)strlen(b) + 1;
  int end = 0;
  for (int k = 0; k < 3; k++) {
    int l = (int)strlen(labs[k]);
    if (pos[k] + l < (int)sizeof axis - 1) {
      memcpy(axis + pos[k], labs[k], (size_t)l);
      if (pos[k] + l > end) end = pos[k] + l;
    }
  }
  axis[end] = 0;
  fprintf(f, "%9s  %s  %s\n", "", axis, r->names[pcol]);
  char ub[32];
  short_num(ub, sizeof ub, uc);
  fprintf(f, "A %ld  B %ld  C %ld  D %ld   (cuts: %s %s, %s %s; "
          "\xe2\x80\xa2 one doctor, 2-9 several, + more)\n",
          nq[0], nq[1], nq[2], nq[3], r->names[ucol], ub, r->names[pcol], b);
  free(count);
  free(g);
  return 0;
}
