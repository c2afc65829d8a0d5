/*
** svg.h -- charts as SVG text, for the web page (.html) and for
** `.chart ... --svg FILE`.  Each function writes one <svg> element to f
** (standalone: with the XML declaration, as a file of its own).  Every
** label goes through svg_text(), so names from the data cannot become
** markup.  Coordinates are plain numbers with two decimals, so a test can
** read a chart back and compare it with the data.
*/
#ifndef TERRITORY_SVG_H
#define TERRITORY_SVG_H

#include <stdio.h>

/* Escapes text for XML/HTML (&<>"'), replaces control characters and bytes
** that are not UTF-8 with U+FFFD, so any data makes a well-formed page. */
void svg_text(FILE *f, const char *s);

/* Horizontal bars, one per row, with an optional mark per bar (time
** progress next to achievement, a budget at 100%): a bar below its mark is
** drawn in the "behind" colour.  percent: values are fractions, axis in %. */
typedef struct SvgBar {
  const char *label;
  double value, mark;      /* NAN: none */
} SvgBar;
void svg_bars(FILE *f, const char *title, const SvgBar *b, int n,
              const char *value_name, const char *mark_name, int percent,
              int width, int standalone);

/* Doctors on potential (x) x usage (y) with the cut lines; a point at or
** above a cut is on its high side (as quadrant() decides).  The count of
** each quadrant A (high usage, low potential), B (both high), C (low usage,
** high potential), D (both low) is printed in its corner. */
typedef struct SvgPoint {
  double x, y;             /* potential, usage */
  long id;
  const char *label;
} SvgPoint;
void svg_scatter(FILE *f, const char *title, const SvgPoint *p, int n,
                 double xcut, double ycut, const char *xname,
                 const char *yname, int width, int standalone);

/* Stacked horizontal bars: nrow rows of ns segments (v[row * ns + s]). */
void svg_stacked(FILE *f, const char *title, const char *const *labels,
                 int nrow, const char *const *series, const char *const *colors,
                 int ns, const double *v, int width, int standalone);

/* Lines over nx points (x labels), ns series (v[s * nx + i], NAN: a gap). */
void svg_lines(FILE *f, const char *title, const char *const *x, int nx,
               const char *const *series, int ns, const double *v, int width,
               int standalone);

#endif
