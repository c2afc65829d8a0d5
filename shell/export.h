/*
** export.h -- what .excel (xlsx.c) and .html (html.c) share: the reports
** asked for, run and kept whole as tables, and how each column reads to
** people (amount, rate, date, flag ...) and which words are good or bad news.
**
**   ExportPack p;
**   if (export_collect(sh, ".excel", argv + 2, argc - 2, &p) == 0) {
**     ... p.tables[i].r is one result, p.tables[i].kinds its column kinds ...
**     export_free(&p);
**   }
**
** Words after the file name: REPORT [k=v ...] ..., or `all` (every canned
** report that needs no parameter; k=v after it go to each report that
** declares k), or nothing (the last result).  Every report runs before
** anything is written, so a failing one leaves no half-written file.
*/
#ifndef TERRITORY_EXPORT_H
#define TERRITORY_EXPORT_H

#include "shell.h"

typedef enum {
  COL_TEXT,     /* words */
  COL_ID,       /* integers that name things: ids, ranks, years */
  COL_INT,      /* counts: #,##0 */
  COL_AMOUNT,   /* money and volumes: #,##0 */
  COL_RATE,     /* fractions shown as percentages: 0.0% */
  COL_DEC,      /* other numbers: #,##0.00 */
  COL_DATE,     /* text that is wholly an ISO date YYYY-MM-DD */
  COL_FLAG      /* 0/1 flags such as over_limit */
} ColKind;

typedef enum { TONE_NONE, TONE_GOOD, TONE_BAD, TONE_WARN } Tone;

typedef struct ExportTable {
  char *report;        /* report name; NULL for the last result */
  char *title;         /* sheet / section title, unique: "aging", "aging 2" */
  char *description;   /* the report's one-line description ("" if none) */
  int part;            /* 1 for the report's first result, 2 for the next... */
  Result r;
  ColKind *kinds;      /* r.ncol entries */
  int param_first;     /* the parameters of its run: pack params */
  int param_count;     /*   [param_first, param_first + param_count) */
} ExportTable;

typedef struct ExportParam {
  char *report;
  char *name;
  char *value;         /* as given, or NULL: the default applies */
  char *about;         /* the default as the report describes it */
} ExportParam;

typedef struct ExportPack {
  ExportTable *tables;
  int ntable;
  ExportParam *params;
  int nparam;
  char *left_out;      /* `all`: reports left out, with why; NULL if none */
  char *data_as_of;    /* the latest sale period in the data, or NULL */
  char generated[32];  /* when, UTC: "2026-12-04 21:56 UTC" */
  char *source;        /* the database: file name or "demo" */
} ExportPack;

/* Runs what the words ask for (see the top); cmd names the command in
** messages.  Returns 0, or 1 with the error reported and nothing kept. */
int export_collect(Shell *sh, const char *cmd, char **argv, int argc,
                   ExportPack *p);
void export_free(ExportPack *p);

/* Y-M-D of text that is exactly a valid ISO date; 0 if it is not one. */
int export_iso_date(const char *s, int *y, int *m, int *d);
/* How a column of a report reads (the names of sql/reports/ *.sql). */
ColKind export_col_kind(const char *report, const Result *r, int col);
/* Good or bad news in a cell: status words, flags set. */
Tone export_tone(const char *col, const Cell *c);
/* The text people see for a cell of that kind: 1,234,567 / 84.8% / ... */
void export_show(ColKind k, const Cell *c, char *buf, size_t n);
/* The index of a column by name, or -1. */
int export_col(const Result *r, const char *name);
/* The number in a cell (integer or real); 0 when it holds none. */
int export_num(const Cell *c, double *out);

/* The commands (xlsx.c, html.c, svg.c's chart_svg for `.chart ... --svg`). */
int cmd_excel(Shell *sh, char **argv, int argc);
int cmd_html(Shell *sh, char **argv, int argc);
/* argv: KIND [COLUMNS ...] --svg FILE, as after `.chart`. */
int chart_svg(Shell *sh, const Result *r, char **argv, int argc);

#endif
