/*
** xlsx.c -- `.excel FILE.xlsx [REPORT [k=v ...] ...]`: reports (or the last
** result) as a real Excel workbook, written with libxlsxwriter.
**
**   .excel pack.xlsx all                       the monthly pack
**   .excel q3.xlsx progress period=2026-Q3 aging as_of=2026-09-30
**   SELECT ...;  .excel result.xlsx            the last result
**
** A "parameters" sheet comes first (what was asked, what defaulted, the
** data's latest period, when it was made), then one sheet per result,
** named after its report: bold frozen header with an autofilter, columns
** as wide as their text (Chinese counts double), numbers as numbers with a
** format (amounts #,##0, rates 0.0%, dates as dates), status words and
** set flags coloured.  Text is always written as text: a value such as
** =HYPERLINK(...) or +cmd is a string in the workbook, never a formula.
** Only the shell links libxlsxwriter; the extension does not.
*/
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_COL_WIDTH 60

enum { F_TEXT, F_ID, F_INT, F_AMOUNT, F_RATE, F_DEC, F_DATE, F_FLAG, F_NKIND };

typedef struct Formats {
  lxw_format *header, *title, *note, *label;
  lxw_format *cell[F_NKIND][4];   /* kind x tone */
} Formats;

static const char *num_format(int kind) {
  switch (kind) {
    case F_INT:
    case F_AMOUNT: return "#,##0";
    case F_RATE: return "0.0%";
    case F_DEC: return "#,##0.00";
    case F_DATE: return "yyyy-mm-dd";
    case F_ID:
    case F_FLAG: return "0";
    default: return NULL;
  }
}

static void make_formats(lxw_workbook *wb, Formats *f) {
  f->header = workbook_add_format(wb);
  format_set_bold(f->header);
  format_set_bg_color(f->header, 0x1F4E79);
  format_set_font_color(f->header, LXW_COLOR_WHITE);
  format_set_bottom(f->header, LXW_BORDER_THIN);
  f->title = workbook_add_format(wb);
  format_set_bold(f->title);
  format_set_font_size(f->title, 14);
  f->note = workbook_add_format(wb);
  format_set_italic(f->note);
  format_set_font_color(f->note, 0x595959);
  f->label = workbook_add_format(wb);
  format_set_bold(f->label);
  /* tones: none, good (green), bad (red), warn (amber) */
  static const lxw_color_t fill[4] = {0, 0xC6EFCE, 0xFFC7CE, 0xFFEB9C};
  static const lxw_color_t font[4] = {0, 0x006100, 0x9C0006, 0x9C5700};
  for (int k = 0; k < F_NKIND; k++)
    for (int t = 0; t < 4; t++) {
      lxw_format *x = workbook_add_format(wb);
      const char *nf = num_format(k);
      if (nf) format_set_num_format(x, nf);
      if (t) {
        format_set_bg_color(x, fill[t]);
        format_set_font_color(x, font[t]);
      }
      f->cell[k][t] = x;
    }
}

/* Excel's column width is in characters of the default font; a Chinese
** character takes about two. */
static int text_width(const char *s) {
  return s ? utf8_width(s, -1) : 0;
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique. */
static void sheet_name(lxw_workbook *wb, const char *want, char *out, size_t n) {
  char base[32];
  size_t o = 0;
  /* whole UTF-8 characters only, at most 28 bytes: room for " 99" */
  for (const char *z = want; *z;) {
    unsigned cp;
    int l = utf8_decode((const unsigned char *)z, strlen(z), &cp);
    if (l == 0) {   /* not UTF-8: a placeholder, never the raw byte */
      if (o + 1 > 28) break;
      base[o++] = '_';
      z++;
      continue;
    }
    if (o + (size_t)l > 28) break;
    if (cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\'", (int)cp))) base[o++] = '_';
    else memcpy(base + o, z, (size_t)l), o += (size_t)l;
    z += l;
  }
  base[o] = 0;
  if (!o) snprintf(base, sizeof base, "sheet");
  snprintf(out, n, "%s", base);
  for (int k = 2; workbook_get_worksheet_by_name(wb, out) && k < 1000; k++)
    snprintf(out, n, "%.24s %d", base, k);
}

static lxw_error write_table(lxw_worksheet *ws, Formats *f, const ExportTable *t) {
  const Result *r = &t->r;
  int *width = calloc((size_t)r->ncol + 1, sizeof(int));
  if (!width) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  lxw_error e = LXW_NO_ERROR;
  for (int j = 0; j < r->ncol && !e; j++) {
    e = worksheet_write_string(ws, 0, (lxw_col_t)j, r->names[j], f->header);
    width[j] = text_width(r->names[j]) + 3;   /* room for the filter button */
  }
  char buf[128];
  for (long i = 0; i < r->nrow && !e; i++) {
    for (int j = 0; j < r->ncol && !e; j++) {
      const Cell *c = &r->cells[i * r->ncol + j];
      int kind = (int)t->kinds[j];
      Tone tone = export_tone(r->names[j], c);
      lxw_row_t row = (lxw_row_t)(i + 1);
      lxw_col_t col = (lxw_col_t)j;
      double v;
      int y, m, d;
      int w = 0;
      if (c->type == SQLITE_NULL) {
        if (tone) e = worksheet_write_blank(ws, row, col, f->cell[kind][tone]);
      } else if (export_num(c, &v)) {
        e = worksheet_write_number(ws, row, col, v, f->cell[kind][tone]);
        export_show(t->kinds[j], c, buf, sizeof buf);
        w = text_width(buf);
      } else if (c->type == SQLITE_FLOAT) {
        /* NaN or infinity: no number in Excel can hold it, so say it */
        format_real(buf, sizeof buf, c->num, 0);
        e = worksheet_write_string(ws, row, col, buf, f->cell[F_TEXT][tone]);
        w = text_width(buf);
      } else if (kind == F_DATE && export_iso_date(c->text, &y, &m, &d)) {
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        e = worksheet_write_datetime(ws, row, col, &dt, f->cell[F_DATE][tone]);
        w = 10;
      } else {
        /* text stays text, whatever it starts with: never a formula */
        e = worksheet_write_string(ws, row, col, c->text ? c->text : "",
                                   f->cell[F_TEXT][tone]);
        w = text_width(c->text);
      }
      if (w + 2 > width[j]) width[j] = w + 2;
    }
  }
  for (int j = 0; j < r->ncol && !e; j++)
    e = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
                             width[j] > MAX_COL_WIDTH ? MAX_COL_WIDTH : width[j], NULL);
  free(width);
  if (e) return e;
  worksheet_freeze_panes(ws, 1, 0);
  if (r->ncol > 0)
    e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->nrow, (lxw_col_t)(r->ncol - 1));
  /* printable: A4 landscape, one page wide, the header on every page */
  worksheet_set_paper(ws, 9);
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, 0, 0);
  return e;
}

/* names[i]: the sheet of table i, linked from the list */
static lxw_error write_about(lxw_worksheet *ws, Formats *f, const ExportPack *p,
                             char (*names)[40]) {
  lxw_error e = LXW_NO_ERROR;
  lxw_row_t row = 0;
  int wa = 12, wb_ = 12, wc = 12, wd = 30;
#define PUT(c, s, fmt)                                              \
  do {                                                              \
    if (!e) e = worksheet_write_string(ws, row, c, (s), (fmt));     \
  } while (0)
  PUT(0, "territory report pack", f->title);
  row += 2;
  PUT(0, "data as of", f->label);
  PUT(1, p->data_as_of ? p->data_as_of : "(no sales in the data)", NULL);
  PUT(2, "latest sale period; each report's own as_of default is below", f->note);
  row++;
  PUT(0, "generated", f->label);
  PUT(1, p->generated, NULL);
  row++;
  PUT(0, "database", f->label);
  PUT(1, p->source, NULL);
  row++;
  if (p->left_out) {
    PUT(0, "not included", f->label);
    PUT(1, p->left_out, NULL);
    row++;
  }
  row++;
  /* which sheet holds which report */
  PUT(0, "sheet", f->header);
  PUT(1, "report", f->header);
  PUT(2, "part", f->header);
  PUT(3, "description", f->header);
  row++;
  for (int i = 0; i < p->ntable && !e; i++, row++) {
    const ExportTable *t = &p->tables[i];
    char url[64];
    snprintf(url, sizeof url, "internal:'%s'!A1", names[i]);
    if (!e) e = worksheet_write_url_opt(ws, row, 0, url, NULL, names[i], NULL);
    PUT(1, t->report ? t->report : "(last result)", NULL);
    if (!e) e = worksheet_write_number(ws, row, 2, t->part, NULL);
    PUT(3, t->description, NULL);
    if (text_width(names[i]) + 2 > wa) wa = text_width(names[i]) + 2;
  }
  row++;
  PUT(0, "report", f->header);
  PUT(1, "parameter", f->header);
  PUT(2, "value", f->header);
  PUT(3, "default (when no value is given)", f->header);
  row++;
  for (int i = 0; i < p->nparam && !e; i++, row++) {
    const ExportParam *q = &p->params[i];
    PUT(0, q->report, NULL);
    PUT(1, q->name, NULL);
    PUT(2, q->value ? q->value : "(default)", q->value ? f->label : f->note);
    PUT(3, q->about, NULL);
    if (text_width(q->name) + 2 > wb_) wb_ = text_width(q->name) + 2;
    if (q->value && text_width(q->value) + 2 > wc) wc = text_width(q->value) + 2;
  }
#undef PUT
  if (wc > MAX_COL_WIDTH) wc = MAX_COL_WIDTH;
  if (!e) e = worksheet_set_column(ws, 0, 0, wa, NULL);
  if (!e) e = worksheet_set_column(ws, 1, 1, wb_ > 24 ? wb_ : 24, NULL);
  if (!e) e = worksheet_set_column(ws, 2, 2, wc, NULL);
  if (!e) e = worksheet_set_column(ws, 3, 3, wd * 3, NULL);
  worksheet_set_paper(ws, 9);
  worksheet_set_landscape(ws);
  return e;
}

static char *unquoted(const char *w) {
  size_t n = strlen(w);
  if (n >= 2 && (w[0] == '\'' || w[0] == '"') && w[n - 1] == w[0]) return strndup(w + 1, n - 2);
  return strdup(w);
}

int cmd_excel(Shell *sh, char **argv, int argc) {
  if (argc < 2) {
    shell_error(sh, "usage: .excel FILE.xlsx [REPORT [k=v ...] ... | all [k=v ...]]");
    return 1;
  }
  char *file = unquoted(argv[1]);
  if (!file) { shell_error(sh, "out of memory"); return 1; }
  ExportPack p;
  if (export_collect(sh, ".excel", argv + 2, argc - 2, &p)) {
    free(file);
    return 1;
  }
  /* libxlsxwriter only finds out at the end that it cannot create the
  ** file (and says so on stderr itself): try first, say it once, our way */
  FILE *probe = fopen(file, "ab");
  if (!probe) {
    shell_error(sh, ".excel: cannot write %s: %s", file, strerror(errno));
    export_free(&p);
    free(file);
    return 1;
  }
  fclose(probe);
  lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                              .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(file, &opt);
  lxw_error e = wb ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
  if (wb) {
    Formats f;
    make_formats(wb, &f);
    lxw_doc_properties props = {.title = "territory report pack",
                                .subject = p.data_as_of ? p.data_as_of : "",
                                .author = "territory"};
    workbook_set_properties(wb, &props);
    /* every sheet first, parameters leading, so the list can link them */
    lxw_worksheet *about = workbook_add_worksheet(wb, "parameters");
    lxw_worksheet **ws = calloc((size_t)p.ntable + 1, sizeof *ws);
    char (*names)[40] = calloc((size_t)p.ntable + 1, sizeof *names);
    if (!about || !ws || !names) e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (int i = 0; i < p.ntable && !e; i++) {
      sheet_name(wb, p.tables[i].title, names[i], sizeof names[i]);
      if (!(ws[i] = workbook_add_worksheet(wb, names[i]))) e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    if (!e) e = write_about(about, &f, &p, names);
    for (int i = 0; i < p.ntable && !e; i++) e = write_table(ws[i], &f, &p.tables[i]);
    free(ws);
    free(names);
    lxw_error ce = workbook_close(wb);   /* writes the file; frees wb */
    if (!e) e = ce;
  }
  int failed = 0;
  if (e) {
    shell_error(sh, ".excel: cannot write %s: %s", file,
                e == LXW_ERROR_CREATING_XLSX_FILE && errno ? strerror(errno) : lxw_strerror(e));
    unlink(file);
    failed = 1;
  } else if (sh->interactive) {
    fprintf(sh->out, "%s: %d sheet%s\n", file, p.ntable + 1, p.ntable ? "s" : "");
  }
  export_free(&p);
  free(file);
  return failed;
}
