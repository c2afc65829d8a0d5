/*
** svg.c -- bar, quadrant scatter, stacked bar and line charts as SVG text
** (API and conventions in svg.h).  No scripts, no external fonts or
** images: a chart reads the same in a browser, a mail client or a printout.
** Sizes are in CSS pixels; the <svg> scales down to narrower pages.
*/
#include "svg.h"
#include "shell.h"

#include <math.h>
#include <string.h>

#define FONT "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
#define C_BAR "#4472C4"
#define C_BEHIND "#ED7D31"
#define C_MARK "#1F1F1F"
#define C_GRID "#D9D9D9"
#define C_AXIS "#7F7F7F"
#define C_TEXT "#262626"

static const char *const series_colors[] = {"#4472C4", "#ED7D31", "#7F7F7F", "#FFC000",
                                            "#70AD47", "#9E480E"};

void svg_text(FILE *f, const char *s) {
  if (!s) return;
  const unsigned char *z = (const unsigned char *)s;
  size_t n = strlen(s);
  while (n > 0) {
    unsigned cp;
    int l = utf8_decode(z, n, &cp);
    if (l == 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f ||
        (cp >= 0xfffe && cp <= 0xffff)) {
      fputs("\xef\xbf\xbd", f);   /* U+FFFD */
      l = l ? l : 1;
    } else if (cp == '&') fputs("&amp;", f);
    else if (cp == '<') fputs("&lt;", f);
    else if (cp == '>') fputs("&gt;", f);
    else if (cp == '"') fputs("&quot;", f);
    else if (cp == '\'') fputs("&#39;", f);
    else fwrite(z, 1, (size_t)l, f);
    z += l;
    n -= (size_t)l;
  }
}

/* Display width in pixels of a label at 11px: CJK about 11, Latin about 6. */
static double text_px(const char *s) {
  return s ? utf8_width(s, -1) * 5.8 : 0;
}

/* Writes the label cut to fit px pixels, with an ellipsis when cut. */
static void fit_text(FILE *f, const char *s, double px) {
  if (!s) return;
  if (text_px(s) <= px) { svg_text(f, s); return; }
  int cols = (int)(px / 5.8) - 1;
  if (cols < 1) cols = 1;
  size_t k = utf8_prefix_for_width(s, cols);
  char buf[256];
  if (k >= sizeof buf) k = sizeof buf - 1;
  memcpy(buf, s, k);
  buf[k] = 0;
  svg_text(f, buf);
  fputs("\xe2\x80\xa6", f);
}

static void open_svg(FILE *f, const char *cls, int w, int h, int standalone, const char *title) {
  if (standalone) fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" viewBox=\"0 0 %d %d\" "
          "width=\"%d\" height=\"%d\" font-family=\"%s\" font-size=\"11\" fill=\"%s\">\n",
          cls, w, h, w, h, FONT, C_TEXT);
  fprintf(f, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n", w, h);
  if (title && *title) {
    fputs("<text class=\"title\" x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">", f);
    fit_text(f, title, w - 8);
    fputs("</text>\n", f);
  }
}

/* A round step for about `want` intervals over span. */
static double nice_step(double span, int want) {
  if (!(span > 0) || !isfinite(span)) return 1;
  double raw = span / want, p = pow(10, floor(log10(raw))), m = raw / p;
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
}

/* Axis numbers: 1.2M, 350k, 45, 0.5; percentages for rates. */
static void axis_num(char *buf, size_t n, double v, int percent) {
  if (percent) { snprintf(buf, n, "%.0f%%", v * 100); return; }
  double a = fabs(v);
  if (a >= 1e6) snprintf(buf, n, "%.3gM", v / 1e6);
  else if (a >= 1e4) snprintf(buf, n, "%.3gk", v / 1e3);
  else snprintf(buf, n, "%.4g", v);
}

static void value_text(char *buf, size_t n, double v, int percent) {
  if (percent) snprintf(buf, n, "%.1f%%", v * 100);
  else if (fabs(v) >= 1e4) axis_num(buf, n, v, 0);
  else snprintf(buf, n, "%.4g", v);
}

/* ---- bars */

void svg_bars(FILE *f, const char *title, const SvgBar *b, int n, const char *value_name,
              const char *mark_name, int percent, int width, int standalone) {
  int has_mark = 0;
  double lo = 0, hi = 0, labw = 0;
  for (int i = 0; i < n; i++) {
    if (isfinite(b[i].value)) { lo = fmin(lo, b[i].value); hi = fmax(hi, b[i].value); }
    if (isfinite(b[i].mark)) { has_mark = 1; lo = fmin(lo, b[i].mark); hi = fmax(hi, b[i].mark); }
    labw = fmax(labw, text_px(b[i].label));
  }
  if (hi <= lo) hi = lo + (percent ? 1 : 1);
  double step = nice_step(hi - lo, 4);
  hi = ceil(hi / step - 1e-9) * step;
  lo = floor(lo / step + 1e-9) * step;
  int W = width > 0 ? width : 340, rowh = 16, top = 40, bottom = 22;
  if (labw > W * 0.35) labw = W * 0.35;
  double x0 = labw + 10, vw = percent ? 40 : 44, x1 = W - vw - 6;
  int H = top + n * rowh + bottom;
  open_svg(f, "bars", W, H, standalone, title);
  /* legend */
  fprintf(f, "<g class=\"legend\"><rect x=\"4\" y=\"22\" width=\"10\" height=\"8\" fill=\"%s\"/>"
          "<text x=\"18\" y=\"30\">", C_BAR);
  svg_text(f, value_name);
  fputs("</text>", f);
  if (has_mark) {
    double lx = 26 + text_px(value_name);
    fprintf(f, "<rect x=\"%.2f\" y=\"22\" width=\"10\" height=\"8\" fill=\"%s\"/>"
            "<text x=\"%.2f\" y=\"30\">below the mark</text>", lx, C_BEHIND, lx + 14);
    lx += 14 + 6 * 15 + 8;
    fprintf(f, "<line x1=\"%.2f\" y1=\"20\" x2=\"%.2f\" y2=\"32\" stroke=\"%s\" stroke-width=\"2\"/>"
            "<text x=\"%.2f\" y=\"30\">", lx + 4, lx + 4, C_MARK, lx + 10);
    svg_text(f, mark_name);
    fputs("</text>", f);
  }
  fputs("</g>\n", f);
#define X(v) (x0 + ((v) - lo) / (hi - lo) * (x1 - x0))
  /* grid */
  for (double t = lo; t <= hi + step / 2; t += step) {
    char buf[32];
    axis_num(buf, sizeof buf, t, percent);
    fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\"/>"
            "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
            X(t), top - 4, X(t), top + n * rowh, C_GRID, X(t), top + n * rowh + 14, C_AXIS, buf);
  }
  for (int i = 0; i < n; i++) {
    double y = top + i * rowh;
    fprintf(f, "<g class=\"bar\"><text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", x0 - 6, y + 12);
    fit_text(f, b[i].label, labw);
    fputs("</text>", f);
    char vb[32] = "", mb[32] = "";
    if (isfinite(b[i].value)) {
      double zero = X(fmax(lo, fmin(hi, 0.0)));
      double xv = X(b[i].value);
      double bx = fmin(zero, xv), bw = fabs(xv - zero);
      int behind = isfinite(b[i].mark) && b[i].value < b[i].mark;
      value_text(vb, sizeof vb, b[i].value, percent);
      fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
              "<title>", behind ? "v behind" : "v", bx, y + 3, bw, rowh - 5,
              behind ? C_BEHIND : C_BAR);
      svg_text(f, b[i].label);
      fprintf(f, ": %s", vb);
      if (isfinite(b[i].mark)) {
        value_text(mb, sizeof mb, b[i].mark, percent);
        fprintf(f, " (mark %s)", mb);
      }
      fputs("</title></rect>", f);
      fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\">%s</text>", x1 + 4, y + 12, C_AXIS, vb);
    }
    if (isfinite(b[i].mark))
      fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
              "stroke=\"%s\" stroke-width=\"2\"/>", X(b[i].mark), y + 1, X(b[i].mark),
              y + rowh - 1, C_MARK);
    fputs("</g>\n", f);
  }
  fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\"/>\n",
          X(fmax(lo, fmin(hi, 0.0))), top - 4, X(fmax(lo, fmin(hi, 0.0))), top + n * rowh, C_AXIS);
#undef X
  fputs("</svg>\n", f);
}

/* ---- quadrant scatter */

void svg_scatter(FILE *f, const char *title, const SvgPoint *p, int n, double xcut,
                 double ycut, const char *xname, const char *yname, int width,
                 int standalone) {
  int W = width > 0 ? width : 340, H = (int)(W * 0.8);
  double l = 44, r = W - 12, t = 28, b = H - 30;
  double xlo = fmin(0, xcut), xhi = xcut, ylo = fmin(0, ycut), yhi = ycut;
  long cnt[4] = {0, 0, 0, 0};   /* A B C D */
  for (int i = 0; i < n; i++) {
    if (!isfinite(p[i].x) || !isfinite(p[i].y)) continue;
    xlo = fmin(xlo, p[i].x); xhi = fmax(xhi, p[i].x);
    ylo = fmin(ylo, p[i].y); yhi = fmax(yhi, p[i].y);
    int hu = p[i].y >= ycut, hp = p[i].x >= xcut;
    cnt[hu ? (hp ? 1 : 0) : (hp ? 2 : 3)]++;
  }
  double xs = nice_step(xhi - xlo, 4), ys = nice_step(yhi - ylo, 4);
  xhi = ceil(xhi / xs - 1e-9) * xs; if (xhi <= xlo) xhi = xlo + xs;
  yhi = ceil(yhi / ys - 1e-9) * ys; if (yhi <= ylo) yhi = ylo + ys;
  xlo = floor(xlo / xs + 1e-9) * xs;
  ylo = floor(ylo / ys + 1e-9) * ys;
#define X(v) (l + ((v) - xlo) / (xhi - xlo) * (r - l))
#define Y(v) (b - ((v) - ylo) / (yhi - ylo) * (b - t))
  open_svg(f, "quadrant", W, H, standalone, title);
  double cx = X(xcut), cy = Y(ycut);
  /* quadrant tints: A top-left, B top-right, C bottom-right, D bottom-left */
  fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#EAF4E4\"/>"
          "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#E3ECF8\"/>"
          "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#FDF2DC\"/>"
          "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#F2F2F2\"/>\n",
          l, t, cx - l, cy - t, cx, t, r - cx, cy - t, cx, cy, r - cx, b - cy, l, cy, cx - l, b - cy);
  for (double v = xlo; v <= xhi + xs / 2; v += xs) {
    char buf[32];
    axis_num(buf, sizeof buf, v, 0);
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\" fill=\"%s\">%s</text>",
            X(v), b + 13, v + xs > xhi + xs / 2 ? "end" : "middle", C_AXIS, buf);
  }
  for (double v = ylo; v <= yhi + ys / 2; v += ys) {
    char buf[32];
    axis_num(buf, sizeof buf, v, 0);
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" fill=\"%s\">%s</text>",
            l - 4, Y(v) + 4, C_AXIS, buf);
  }
  fprintf(f, "\n<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"%s\"/>\n",
          l, t, r - l, b - t, C_AXIS);
  fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" fill=\"%s\">", r, b + 26.0, C_AXIS);
  svg_text(f, xname);
  fprintf(f, " \xe2\x86\x92</text><text x=\"%.2f\" y=\"%.2f\" fill=\"%s\" "
          "transform=\"rotate(-90 %.2f %.2f)\">", 10.0, b, C_AXIS, 10.0, b);
  svg_text(f, yname);
  fputs(" \xe2\x86\x92</text>\n", f);
  fprintf(f, "<line class=\"cut-x\" data-cut=\"%.17g\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
          "stroke=\"%s\" stroke-dasharray=\"4 3\"/>\n", xcut, cx, t, cx, b, C_MARK);
  fprintf(f, "<line class=\"cut-y\" data-cut=\"%.17g\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
          "stroke=\"%s\" stroke-dasharray=\"4 3\"/>\n", ycut, l, cy, r, cy, C_MARK);
  static const char *qcol[4] = {"#548235", "#2F5597", "#BF8F00", "#7F7F7F"};
  for (int i = 0; i < n; i++) {
    if (!isfinite(p[i].x) || !isfinite(p[i].y)) continue;
    int hu = p[i].y >= ycut, hp = p[i].x >= xcut;
    int q = hu ? (hp ? 1 : 0) : (hp ? 2 : 3);
    fprintf(f, "<circle class=\"pt\" data-id=\"%ld\" data-q=\"%c\" cx=\"%.2f\" cy=\"%.2f\" r=\"2.8\" "
            "fill=\"%s\" fill-opacity=\"0.8\"><title>", p[i].id, 'A' + q, X(p[i].x), Y(p[i].y),
            qcol[q]);
    svg_text(f, p[i].label);
    fprintf(f, " (%c): %s %.4g, %s ", 'A' + q, yname, p[i].y, xname);
    fprintf(f, "%.4g</title></circle>\n", p[i].x);
  }
  /* counts in the corners, where a manager looks for them */
  static const char *qname[4] = {"A maintain", "B grow", "C develop", "D reduce"};
  double qx[4] = {l + 5, r - 5, r - 5, l + 5}, qy[4] = {t + 14, t + 14, b - 5, b - 5};
  for (int q = 0; q < 4; q++) {
    char lab[48];
    snprintf(lab, sizeof lab, "%s: %ld", qname[q], cnt[q]);
    double w = text_px(lab) + 6, bx = q == 1 || q == 2 ? qx[q] - w + 3 : qx[q] - 3;
    /* a light box keeps the count readable over a crowd of points */
    fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"14\" rx=\"2\" fill=\"#FFFFFF\" "
            "fill-opacity=\"0.85\"/>", bx, qy[q] - 11, w);
    fprintf(f, "<text class=\"count\" data-q=\"%c\" data-n=\"%ld\" x=\"%.2f\" y=\"%.2f\" "
            "text-anchor=\"%s\" font-weight=\"bold\" fill=\"%s\">%s</text>\n",
            'A' + q, cnt[q], qx[q], qy[q], q == 1 || q == 2 ? "end" : "start", qcol[q], lab);
  }
#undef X
#undef Y
  fputs("</svg>\n", f);
}

/* ---- stacked bars */

void svg_stacked(FILE *f, const char *title, const char *const *labels, int nrow,
                 const char *const *series, const char *const *colors, int ns,
                 const double *v, int width, int standalone) {
  double hi = 0, labw = 0;
  for (int i = 0; i < nrow; i++) {
    double s = 0;
    for (int k = 0; k < ns; k++)
      if (isfinite(v[i * ns + k]) && v[i * ns + k] > 0) s += v[i * ns + k];
    hi = fmax(hi, s);
    labw = fmax(labw, text_px(labels[i]));
  }
  if (hi <= 0) hi = 1;
  double step = nice_step(hi, 5);
  hi = ceil(hi / step - 1e-9) * step;
  int W = width > 0 ? width : 700, rowh = 18, top = 42, bottom = 22;
  if (labw > W * 0.3) labw = W * 0.3;
  double x0 = labw + 10, x1 = W - 54;
  int H = top + nrow * rowh + bottom;
  open_svg(f, "stacked", W, H, standalone, title);
  double lx = 4;
  fputs("<g class=\"legend\">", f);
  for (int k = 0; k < ns; k++) {
    fprintf(f, "<rect x=\"%.2f\" y=\"22\" width=\"10\" height=\"8\" fill=\"%s\"/><text x=\"%.2f\" y=\"30\">",
            lx, colors[k], lx + 14);
    svg_text(f, series[k]);
    fputs("</text>", f);
    lx += 14 + text_px(series[k]) + 14;
  }
  fputs("</g>\n", f);
#define X(v) (x0 + (v) / hi * (x1 - x0))
  for (double t = 0; t <= hi + step / 2; t += step) {
    char buf[32];
    axis_num(buf, sizeof buf, t, 0);
    fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\"/>"
            "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
            X(t), top - 4, X(t), top + nrow * rowh, C_GRID, X(t), top + nrow * rowh + 14, C_AXIS, buf);
  }
  for (int i = 0; i < nrow; i++) {
    double y = top + i * rowh, acc = 0;
    fprintf(f, "<g class=\"row\"><text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", x0 - 6, y + 13);
    fit_text(f, labels[i], labw);
    fputs("</text>", f);
    for (int k = 0; k < ns; k++) {
      double a = v[i * ns + k];
      if (!isfinite(a) || a <= 0) continue;
      char buf[32];
      axis_num(buf, sizeof buf, a, 0);
      fprintf(f, "<rect class=\"seg\" data-s=\"%d\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" "
              "fill=\"%s\"><title>", k, X(acc), y + 3, X(acc + a) - X(acc), rowh - 5, colors[k]);
      svg_text(f, labels[i]);
      fputs(" ", f);
      svg_text(f, series[k]);
      fprintf(f, ": %s</title></rect>", buf);
      acc += a;
    }
    char tb[32];
    axis_num(tb, sizeof tb, acc, 0);
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\">%s</text></g>\n", X(acc) + 4, y + 13, C_AXIS, tb);
  }
#undef X
  fputs("</svg>\n", f);
}

/* ---- lines */

void svg_lines(FILE *f, const char *title, const char *const *x, int nx,
               const char *const *series, int ns, const double *v, int width, int standalone) {
  double lo = 0, hi = 0;
  for (int i = 0; i < nx * ns; i++)
    if (isfinite(v[i])) { lo = fmin(lo, v[i]); hi = fmax(hi, v[i]); }
  if (hi <= lo) hi = lo + 1;
  double step = nice_step(hi - lo, 4);
  hi = ceil(hi / step - 1e-9) * step;
  lo = floor(lo / step + 1e-9) * step;
  int W = width > 0 ? width : 340, H = 190;
  double l = 44, r = W - 12, t = 40, b = H - 22;
  open_svg(f, "lines", W, H, standalone, title);
  double lx = 4;
  fputs("<g class=\"legend\">", f);
  for (int k = 0; k < ns; k++) {
    fprintf(f, "<line x1=\"%.2f\" y1=\"26\" x2=\"%.2f\" y2=\"26\" stroke=\"%s\" stroke-width=\"2.5\"/>"
            "<text x=\"%.2f\" y=\"30\">", lx, lx + 12, series_colors[k % 6], lx + 16);
    svg_text(f, series[k]);
    fputs("</text>", f);
    lx += 16 + text_px(series[k]) + 12;
  }
  fputs("</g>\n", f);
#define X(i) (nx > 1 ? l + (double)(i) / (nx - 1) * (r - l) : (l + r) / 2)
#define Y(v) (b - ((v) - lo) / (hi - lo) * (b - t))
  for (double s = lo; s <= hi + step / 2; s += step) {
    char buf[32];
    axis_num(buf, sizeof buf, s, 0);
    fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>"
            "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
            l, Y(s), r, Y(s), C_GRID, l - 4, Y(s) + 4, C_AXIS, buf);
  }
  /* x labels: first, last and a few between, never overlapping */
  int every = nx > 6 ? (nx + 5) / 6 : 1;
  for (int i = 0; i < nx; i++) {
    if (i % every && i != nx - 1) continue;
    if (i != nx - 1 && nx - 1 - i < every && i % every == 0 && i) continue;
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\" fill=\"%s\">", X(i), b + 14,
            i == nx - 1 && nx > 1 ? "end" : i == 0 && nx > 1 ? "start" : "middle", C_AXIS);
    svg_text(f, x[i]);
    fputs("</text>", f);
  }
  fputc('\n', f);
  for (int k = 0; k < ns; k++) {
    fprintf(f, "<path class=\"line\" data-s=\"%d\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" d=\"",
            k, series_colors[k % 6], k == ns - 1 ? "2.5" : "1.6");
    int pen = 0;
    for (int i = 0; i < nx; i++) {
      double a = v[k * nx + i];
      if (!isfinite(a)) { pen = 0; continue; }
      fprintf(f, "%s%.2f %.2f ", pen ? "L" : "M", X(i), Y(a));
      pen = 1;
    }
    fputs("\"><title>", f);
    svg_text(f, series[k]);
    fputs("</title></path>\n", f);
    for (int i = 0; i < nx; i++)
      if (isfinite(v[k * nx + i]) && (nx == 1 || (i > 0 && !isfinite(v[k * nx + i - 1]) &&
                                                  (i == nx - 1 || !isfinite(v[k * nx + i + 1])))))
        fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"2\" fill=\"%s\"/>", X(i), Y(v[k * nx + i]),
                series_colors[k % 6]);
  }
  fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n", l, b, r, b, C_AXIS);
#undef X
#undef Y
  fputs("</svg>\n", f);
}

/* ---- `.chart bar|quadrant [COLUMNS] --svg FILE` on the last result */

#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <strings.h>

static int col_of(const Result *r, const char *s) {
  int j = export_col(r, s);
  if (j >= 0) return j;
  char *end;
  long v = strtol(s, &end, 10);
  return *end == 0 && v >= 1 && v <= r->ncol ? (int)v - 1 : -1;
}

static int col_is_num(const Result *r, int j) {
  int seen = 0;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *c = &r->cells[i * r->ncol + j];
    if (c->type == SQLITE_NULL) continue;
    if (c->type != SQLITE_INTEGER && c->type != SQLITE_FLOAT) return 0;
    seen = 1;
  }
  return seen;
}

static double num_at(const Result *r, long i, int j) {
  double v;
  return j >= 0 && export_num(&r->cells[i * r->ncol + j], &v) ? v : NAN;
}

static const char *label_at(const Result *r, long i, int j, char *buf, size_t n) {
  const Cell *c = &r->cells[i * r->ncol + j];
  if (c->type == SQLITE_FLOAT) { format_real(buf, n, c->num, 0); return buf; }
  return c->text ? c->text : "";
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_col(const Result *r, int j) {
  double *v = malloc(sizeof(double) * (size_t)(r->nrow + 1));
  long n = 0;
  if (!v) return 0;
  for (long i = 0; i < r->nrow; i++) {
    double d = num_at(r, i, j);
    if (isfinite(d)) v[n++] = d;
  }
  qsort(v, (size_t)n, sizeof *v, cmp_dbl);
  double m = n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  free(v);
  return m;
}

/* A column whose lower-case name holds `a` and, when cut, also "cut" (or,
** when not, no "cut"): usage / usage_cut, as chart.c reads them. */
static int named(const Result *r, const char *a, int cut) {
  for (int j = 0; j < r->ncol; j++) {
    char low[128];
    size_t n = strlen(r->names[j]);
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++)
      low[i] = (char)(r->names[j][i] >= 'A' && r->names[j][i] <= 'Z' ? r->names[j][i] + 32 : r->names[j][i]);
    low[n] = 0;
    if (strstr(low, a) && !strstr(low, "cut") == !cut) return j;
  }
  return -1;
}

int chart_svg(Shell *sh, const Result *r, char **argv, int argc) {
  const char *file = NULL;
  char *cols[4];
  int ncols = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--svg")) {
      if (i + 1 >= argc || file) goto usage;
      file = argv[++i];
    } else if (ncols < 3) {
      cols[ncols++] = argv[i];
    } else {
      goto usage;
    }
  }
  if (!file) goto usage;
  char *path = strdup(file);
  size_t pl = path ? strlen(path) : 0;
  if (!path) { shell_error(sh, "out of memory"); return 1; }
  if (pl >= 2 && (path[0] == '\'' || path[0] == '"') && path[pl - 1] == path[0]) {
    memmove(path, path + 1, pl - 2);
    path[pl - 2] = 0;
  }
  int failed = 0;
  FILE *f = NULL;
  if (!strcmp(argv[0], "bar")) {
    int lab = -1, val = -1, mark = -1;
    if (ncols == 1) { free(path); goto usage; }
    if (ncols >= 2) {
      lab = col_of(r, cols[0]);
      val = col_of(r, cols[1]);
      if (ncols == 3) mark = col_of(r, cols[2]);
      if (lab < 0 || val < 0 || (ncols == 3 && mark < 0)) {
        shell_error(sh, ".chart bar: no such column (columns are named in the last result)");
        free(path);
        return 1;
      }
    } else {
      /* as chart.c: the first non-numeric column labels, the next numeric ones are value and mark */
      for (int j = 0; j < r->ncol && lab < 0; j++)
        if (!col_is_num(r, j)) lab = j;
      for (int j = 0; j < r->ncol; j++) {
        if (j == lab || !col_is_num(r, j)) continue;
        if (val < 0) val = j;
        else if (mark < 0) mark = j;
      }
      if (lab < 0 && r->ncol >= 2) { lab = 0; val = 1; mark = r->ncol >= 3 ? 2 : -1; }
    }
    if (val < 0 || !col_is_num(r, val) || (mark >= 0 && !col_is_num(r, mark))) {
      shell_error(sh, ".chart bar: the last result needs a label column and numeric value (and mark) columns");
      free(path);
      return 1;
    }
    SvgBar *b = calloc((size_t)r->nrow + 1, sizeof *b);
    char (*lb)[64] = calloc((size_t)r->nrow + 1, sizeof *lb);
    f = b && lb ? fopen(path, "w") : NULL;
    if (f) {
      for (long i = 0; i < r->nrow; i++) {
        b[i].label = label_at(r, i, lab, lb[i], sizeof lb[i]);
        b[i].value = num_at(r, i, val);
        b[i].mark = mark >= 0 ? num_at(r, i, mark) : NAN;
      }
      char title[200];
      snprintf(title, sizeof title, "%s by %s", r->names[val], r->names[lab]);
      int pct = export_col_kind(NULL, r, val) == COL_RATE;
      svg_bars(f, title, b, (int)r->nrow, r->names[val], mark >= 0 ? r->names[mark] : "", pct,
               560, 1);
    }
    free(b);
    free(lb);
  } else if (!strcmp(argv[0], "quadrant")) {
    int u = -1, p = -1;
    if (ncols == 2) {
      u = col_of(r, cols[0]);
      p = col_of(r, cols[1]);
    } else if (ncols != 0) {
      free(path);
      goto usage;
    } else {
      u = named(r, "usage", 0);
      p = named(r, "potential", 0);
    }
    if (u < 0 || p < 0 || !col_is_num(r, u) || !col_is_num(r, p)) {
      shell_error(sh, ".chart quadrant --svg: the last result needs numeric usage and potential "
                  "columns, one row per doctor");
      free(path);
      return 1;
    }
    int uc = named(r, "usage", 1), pc = named(r, "potential", 1);
    double ucut = uc >= 0 && r->nrow > 0 && isfinite(num_at(r, 0, uc)) ? num_at(r, 0, uc) : median_col(r, u);
    double pcut = pc >= 0 && r->nrow > 0 && isfinite(num_at(r, 0, pc)) ? num_at(r, 0, pc) : median_col(r, p);
    int idc = export_col(r, "doctor_id"), nmc = export_col(r, "name");
    if (nmc < 0) nmc = export_col(r, "doctor");
    SvgPoint *pt = calloc((size_t)r->nrow + 1, sizeof *pt);
    char (*lb)[64] = calloc((size_t)r->nrow + 1, sizeof *lb);
    f = pt && lb ? fopen(path, "w") : NULL;
    if (f) {
      for (long i = 0; i < r->nrow; i++) {
        pt[i].x = num_at(r, i, p);
        pt[i].y = num_at(r, i, u);
        pt[i].id = idc >= 0 ? (long)num_at(r, i, idc) : i + 1;
        if (nmc >= 0) pt[i].label = label_at(r, i, nmc, lb[i], sizeof lb[i]);
        else { snprintf(lb[i], sizeof lb[i], "row %ld", i + 1); pt[i].label = lb[i]; }
      }
      svg_scatter(f, "doctors by potential and usage", pt, (int)r->nrow, pcut, ucut,
                  r->names[p], r->names[u], 560, 1);
    }
    free(pt);
    free(lb);
  } else {
    free(path);
    goto usage;
  }
  if (!f || ferror(f) | (fclose(f) != 0)) {
    shell_error(sh, ".chart: cannot write %s: %s", path, strerror(errno ? errno : EIO));
    failed = 1;
  }
  free(path);
  return failed;
usage:
  shell_error(sh, "usage: .chart bar [LABEL VALUE [MARK]] --svg FILE | .chart quadrant [USAGE POTENTIAL] --svg FILE");
  return 1;
}
