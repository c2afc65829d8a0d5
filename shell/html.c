/*
** html.c -- `.html FILE.html [REPORT [k=v ...] ...]`: reports (or the last
** result) as one self-contained web page: tables, and inline SVG charts
** where a chart says more than the rows (svg.c):
**
**   progress    achievement per unit against time progress (the mark), per product
**   scorecard   achievement per rep territory against 100%
**   spend       budget used per unit against 100%
**   quadrants   each territory's doctors on potential x usage, cut lines, counts
**               (the schema's quadrant rule, the view doctor_segment)
**   aging       receivables per customer stacked by aging bucket
**   inventory   each stock card: received, sold and closing stock by month
**
**   .html pack.html all        the monthly pack, printable on A4 landscape
**
** UTF-8, no scripts, no network: styles and charts are in the page.  Every
** value from the data is escaped (svg_text), so a hospital named
** "<script>" or "</table>" is text on the page.  Words: as for .excel.
*/
#include "export.h"
#include "report.h"
#include "svg.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *style =
    "@page{size:A4 landscape;margin:10mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',"
    "sans-serif;color:#262626;font-size:9pt;margin:0 auto;max-width:277mm;padding:4mm 0;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "@media screen{body{padding:5mm 6mm}}\n"
    "h1{font-size:17pt;color:#1F4E79;margin:0 0 1mm}\n"
    "h2{font-size:12.5pt;color:#1F4E79;border-bottom:2px solid #1F4E79;margin:7mm 0 1.5mm;"
    "padding-bottom:1mm;break-after:avoid}\n"
    ".meta{color:#595959;margin:0 0 3mm}\n"
    ".desc{color:#595959;margin:0 0 2.5mm}\n"
    "nav{columns:3;font-size:8.5pt;margin:0 0 2mm}nav a{color:#1F4E79;text-decoration:none}nav div{break-inside:avoid;margin-bottom:1mm}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:3mm 4mm;margin:0 0 3mm}\n"
    ".charts svg{max-width:100%;height:auto;break-inside:avoid;border:1px solid #E5E5E5}\n"
    "table{border-collapse:collapse;width:100%;font-size:7.5pt;margin:0 0 2mm}\n"
    "thead{display:table-header-group}tr{break-inside:avoid}\n"
    "th{background:#1F4E79;color:#fff;font-weight:600;padding:2px 3px;text-align:left;"
    "vertical-align:bottom}\n"
    "td{padding:1px 3px;border-bottom:1px solid #E3E3E3;vertical-align:top}\n"
    "th.n{text-align:right}td.t{white-space:nowrap}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "td.d{white-space:nowrap}\n"
    "tbody tr:nth-child(even) td{background:#F6F8FB}\n"
    "tbody tr td.good{background:#C6EFCE;color:#006100}\n"
    "tbody tr td.bad{background:#FFC7CE;color:#9C0006}\n"
    "tbody tr td.warn{background:#FFEB9C;color:#9C5700}\n"
    ".params td,.params th{font-size:8pt}\n"
    "table.wide{font-size:6.6pt}table.wide td.t{white-space:normal}\n"
    ".same{color:#595959;margin:0 0 1.5mm;font-size:8pt}\n"
    "section.brk{break-before:page}\n"
    "footer{color:#8C8C8C;font-size:7.5pt;margin-top:4mm}\n";

static const char *tone_class[4] = {"", "good", "bad", "warn"};

/* A column name with a break opportunity after each '_': long names wrap
** in a narrow header instead of widening the table. */
static void header_text(FILE *f, const char *name) {
  const char *z = name;
  while (*z) {
    const char *u = strchr(z, '_');
    size_t n = u ? (size_t)(u - z) + 1 : strlen(z);
    char *part = strndup(z, n);
    if (!part) return;
    svg_text(f, part);
    free(part);
    if (u) fputs("<wbr>", f);
    z += n;
  }
}

static int same_cell(const Cell *a, const Cell *b) {
  if (a->type != b->type) return 0;
  if (a->type == SQLITE_FLOAT) return a->num == b->num;
  if (a->type == SQLITE_NULL) return 1;
  return a->text && b->text && !strcmp(a->text, b->text);
}

/* What the page leaves out of a table (the workbook keeps every column):
** an id right before its name (unit_id, unit), and a date or word that is
** the same in every row, said once above the table instead. */
static int hidden(const ExportTable *t, int j, int *constant) {
  const Result *r = &t->r;
  size_t n = strlen(r->names[j]);
  *constant = 0;
  if (n > 3 && !strcmp(r->names[j] + n - 3, "_id") && j + 1 < r->ncol &&
      t->kinds[j + 1] == COL_TEXT && !strncmp(r->names[j], r->names[j + 1], n - 3))
    return 1;
  if (r->nrow >= 3 && (t->kinds[j] == COL_DATE || t->kinds[j] == COL_TEXT) &&
      r->cells[j].type == SQLITE_TEXT) {
    for (long i = 1; i < r->nrow; i++)
      if (!same_cell(&r->cells[j], &r->cells[i * r->ncol + j])) return 0;
    *constant = 1;
    return 1;
  }
  return 0;
}

static void write_table(FILE *f, const ExportTable *t) {
  const Result *r = &t->r;
  char *hide = calloc((size_t)r->ncol + 1, 1);
  if (!hide) return;
  int nconst = 0;
  for (int j = 0; j < r->ncol; j++) {
    int c;
    hide[j] = (char)hidden(t, j, &c);
    if (c) {
      fputs(nconst++ ? ", " : "<p class=\"same\">In every row: ", f);
      svg_text(f, r->names[j]);
      fputs(" <b>", f);
      svg_text(f, r->cells[j].text);
      fputs("</b>", f);
    }
  }
  if (nconst) fputs("</p>\n", f);
  /* many columns: a smaller type, and words may wrap, to stay on the page */
  int shown = 0;
  for (int j = 0; j < r->ncol; j++) shown += !hide[j];
  fputs(shown > 14 ? "<table class=\"wide\">\n<thead><tr>" : "<table>\n<thead><tr>", f);
  for (int j = 0; j < r->ncol; j++) {
    if (hide[j]) continue;
    int num = t->kinds[j] != COL_TEXT && t->kinds[j] != COL_DATE && t->kinds[j] != COL_FLAG;
    fputs(num ? "<th class=\"n\">" : "<th>", f);
    header_text(f, r->names[j]);
    fputs("</th>", f);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  char buf[256];
  for (long i = 0; i < r->nrow; i++) {
    fputs("<tr>", f);
    for (int j = 0; j < r->ncol; j++) {
      if (hide[j]) continue;
      const Cell *c = &r->cells[i * r->ncol + j];
      ColKind k = t->kinds[j];
      Tone tone = export_tone(r->names[j], c);
      int num = c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT;
      /* short words stay on one line; sentences may wrap */
      const char *cls = num && k != COL_FLAG ? "n" : k == COL_DATE ? "d"
                        : c->text && utf8_width(c->text, -1) <= 24 ? "t" : "";
      if (*cls || tone)
        fprintf(f, "<td class=\"%s%s%s\">", cls, *cls && tone ? " " : "", tone_class[tone]);
      else
        fputs("<td>", f);
      if (num || c->type == SQLITE_NULL) {
        export_show(k, c, buf, sizeof buf);
        svg_text(f, buf);
      } else {
        svg_text(f, c->text);
      }
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody>\n</table>\n", f);
  if (r->nrow == 0) fputs("<p class=\"desc\">(no rows)</p>\n", f);
  free(hide);
}

/* ---- charts per report */

static double cell_or_nan(const Cell *c) {
  double v;
  return export_num(c, &v) ? v : NAN;
}

static const char *cell_text(const Cell *c, char *buf, size_t n) {
  if (c->type == SQLITE_TEXT || c->type == SQLITE_INTEGER) return c->text ? c->text : "";
  if (c->type == SQLITE_FLOAT) { format_real(buf, n, c->num, 0); return buf; }
  return "";
}

/* Bars of value against mark (a column, or a constant when markcol < 0),
** one chart per distinct value of the group column (if any), keeping only
** rows whose keep column equals the first value it takes in the group. */
static void bars_chart(FILE *f, const ExportTable *t, const char *labcol, const char *valcol,
                       const char *markcol, double mark, const char *markname,
                       const char *groupcol, const char *keepcol, const char *title) {
  const Result *r = &t->r;
  int lab = export_col(r, labcol), val = export_col(r, valcol);
  int mk = markcol ? export_col(r, markcol) : -1, grp = groupcol ? export_col(r, groupcol) : -1;
  int keep = keepcol ? export_col(r, keepcol) : -1;
  if (lab < 0 || val < 0 || (markcol && mk < 0) || r->nrow == 0) return;
  SvgBar *b = calloc((size_t)r->nrow, sizeof *b);
  char *done = calloc((size_t)r->nrow, 1);
  if (!b || !done) { free(b); free(done); return; }
  for (long g = 0; g < r->nrow; g++) {
    if (done[g]) continue;
    const Cell *gc = grp >= 0 ? &r->cells[g * r->ncol + grp] : NULL;
    const Cell *kc = keep >= 0 ? &r->cells[g * r->ncol + keep] : NULL;
    /* the shortest keep value of the group first: a year before its months */
    for (long i = g; kc && i < r->nrow; i++) {
      const Cell *c = &r->cells[i * r->ncol + keep];
      const Cell *ci = gc ? &r->cells[i * r->ncol + grp] : NULL;
      if (gc && !(ci->text && gc->text && !strcmp(ci->text, gc->text))) continue;
      if (c->text && kc->text && strlen(c->text) < strlen(kc->text)) kc = c;
    }
    int n = 0;
    char gb[64];
    for (long i = g; i < r->nrow; i++) {
      const Cell *row = &r->cells[i * r->ncol];
      if (gc && !(row[grp].text && gc->text && !strcmp(row[grp].text, gc->text))) continue;
      done[i] = 1;
      if (kc && !(row[keep].text && kc->text && !strcmp(row[keep].text, kc->text))) continue;
      b[n].label = row[lab].text ? row[lab].text : "";
      b[n].value = cell_or_nan(&row[val]);
      b[n].mark = mk >= 0 ? cell_or_nan(&row[mk]) : mark;
      n++;
    }
    if (!n) continue;
    char tt[256];
    snprintf(tt, sizeof tt, "%s%s%s%s%s", title, gc ? " \xc2\xb7 " : "",
             gc ? cell_text(gc, gb, sizeof gb) : "", kc ? " \xc2\xb7 " : "",
             kc && kc->text ? kc->text : "");
    svg_bars(f, tt, b, n, valcol, markname, t->kinds[val] == COL_RATE, 320, 0);
  }
  free(b);
  free(done);
}

static void aging_chart(FILE *f, const ExportTable *t) {
  static const char *bucket[] = {"current", "1-30", "31-60", "61-90", "91-120", ">120"};
  static const char *color[] = {"#70AD47", "#A9D18E", "#FFD966", "#F4B183", "#ED7D31", "#C00000"};
  const Result *r = &t->r;
  int col[6], who = export_col(r, "customer");
  for (int k = 0; k < 6; k++)
    if ((col[k] = export_col(r, bucket[k])) < 0) return;
  if (who < 0) who = export_col(r, "unit");
  if (who < 0 || r->nrow == 0) return;
  const char **lab = calloc((size_t)r->nrow, sizeof *lab);
  double *v = calloc((size_t)r->nrow * 6, sizeof *v);
  if (lab && v) {
    for (long i = 0; i < r->nrow; i++) {
      const Cell *row = &r->cells[i * r->ncol];
      lab[i] = row[who].text ? row[who].text : "";
      for (int k = 0; k < 6; k++) v[i * 6 + k] = cell_or_nan(&row[col[k]]);
    }
    svg_stacked(f, "receivables by aging bucket (days past due)", lab, (int)r->nrow, bucket,
                color, 6, v, 996, 0);
  }
  free(lab);
  free(v);
}

/* One chart per stock card (customer x product), months in order. */
static void inventory_chart(FILE *f, const ExportTable *t) {
  const Result *r = &t->r;
  int cu = export_col(r, "customer"), pr = export_col(r, "product"), pe = export_col(r, "period");
  int s[3] = {export_col(r, "received"), export_col(r, "sold"), export_col(r, "closing")};
  static const char *names[3] = {"received", "sold", "closing stock"};
  if (cu < 0 || pr < 0 || pe < 0 || s[0] < 0 || s[1] < 0 || s[2] < 0 || r->nrow == 0) return;
  const char **x = calloc((size_t)r->nrow, sizeof *x);
  double *v = calloc((size_t)r->nrow * 3, sizeof *v);
  char *done = calloc((size_t)r->nrow, 1);
  if (x && v && done) {
    for (long g = 0; g < r->nrow; g++) {
      if (done[g]) continue;
      const Cell *gc = &r->cells[g * r->ncol];
      long idx[512];
      int n = 0;
      for (long i = g; i < r->nrow && n < 512; i++) {
        const Cell *row = &r->cells[i * r->ncol];
        if (!row[cu].text || !row[pr].text || !gc[cu].text || !gc[pr].text ||
            strcmp(row[cu].text, gc[cu].text) || strcmp(row[pr].text, gc[pr].text))
          continue;
        done[i] = 1;
        idx[n++] = i;
      }
      /* rows come ordered by period within a card */
      for (int i = 0; i < n; i++) {
        const Cell *row = &r->cells[idx[i] * r->ncol];
        x[i] = row[pe].text ? row[pe].text : "";
        for (int k = 0; k < 3; k++) v[k * n + i] = cell_or_nan(&row[s[k]]);
      }
      char tt[256];
      snprintf(tt, sizeof tt, "%s \xc2\xb7 %s", gc[cu].text, gc[pr].text);
      svg_lines(f, tt, x, n, names, 3, v, 320, 0);
    }
  }
  free(x);
  free(v);
  free(done);
}

/* Each doctor of the quadrants report, from the schema's one quadrant rule
** (the view doctor_segment): the same quarter (ending with the as_of month),
** territories and product as sql/reports/quadrants.sql, which has already
** run with these parameters and checked them. */
static const char *points_sql =
    "WITH arg AS (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v),\n"
    "q AS (SELECT strftime('%Y-%m', CASE WHEN date(julianday(v || '-01')) IS v || '-01'\n"
    "                                    THEN v || '-01' ELSE v END) AS m_last,\n"
    "             (SELECT id FROM product WHERE id = :product OR name = :product) AS product_id\n"
    "        FROM arg),\n"
    "sel AS (SELECT t.id, t.name FROM unit_tree t WHERE t.level = 'territory'\n"
    "   AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f\n"
    "        WHERE (f.id = :territory OR f.name = :territory)\n"
    "          AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id))))\n"
    "SELECT g.territory_id, sel.name, g.doctor_id, d.name, g.usage, g.potential,\n"
    "       g.usage_cut, g.potential_cut\n"
    "  FROM q, doctor_segment g JOIN sel ON sel.id = g.territory_id\n"
    "  JOIN doctor d ON d.id = g.doctor_id\n"
    " WHERE g.period = q.m_last AND g.product_id IS q.product_id\n"
    "   AND g.usage IS NOT NULL AND g.potential IS NOT NULL\n"
    " ORDER BY g.territory_id, g.doctor_id";

static void quadrant_charts(Shell *sh, FILE *f, const ExportPack *p, const ExportTable *t) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(sh->db, points_sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "warning: .html: no quadrant chart: %s\n", sqlite3_errmsg(sh->db));
    return;
  }
  for (int i = t->param_first; i < t->param_first + t->param_count; i++) {
    const ExportParam *q = &p->params[i];
    char nm[80];
    snprintf(nm, sizeof nm, ":%s", q->name);
    int idx = sqlite3_bind_parameter_index(st, nm);
    if (idx && q->value) report_bind_typed(st, idx, q->value);
  }
  SvgPoint *pt = NULL;
  char **names = NULL;
  int n = 0, cap = 0, rc;
  long terr = -1;
  char *tname = NULL;
  double ucut = 0, pcut = 0;
  for (;;) {
    rc = sqlite3_step(st);
    long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
    if (id != terr && n > 0) {
      char tt[200];
      snprintf(tt, sizeof tt, "%s \xc2\xb7 %d doctors", tname ? tname : "", n);
      svg_scatter(f, tt, pt, n, pcut, ucut, "potential / month", "Rx / month", 320, 0);
      for (int i = 0; i < n; i++) free(names[i]);
      n = 0;
    }
    if (rc != SQLITE_ROW) break;
    if (id != terr) {
      terr = id;
      free(tname);
      tname = strdup((const char *)sqlite3_column_text(st, 1));
      ucut = sqlite3_column_double(st, 6);
      pcut = sqlite3_column_double(st, 7);
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      SvgPoint *np = realloc(pt, sizeof *pt * (size_t)cap);
      char **nn = np ? realloc(names, sizeof *names * (size_t)cap) : NULL;
      if (np) pt = np;
      if (nn) names = nn;
      if (!np || !nn) break;
    }
    names[n] = strdup((const char *)sqlite3_column_text(st, 3));
    pt[n] = (SvgPoint){sqlite3_column_double(st, 5), sqlite3_column_double(st, 4),
                       (long)sqlite3_column_int64(st, 2), names[n]};
    n++;
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    fprintf(stderr, "warning: .html: quadrant chart: %s\n", sqlite3_errmsg(sh->db));
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  free(pt);
  free(tname);
  sqlite3_finalize(st);
}

/* The charts of one result, drawn into memory first: a result without
** a chart gets no empty box. */
static void charts_for(Shell *sh, FILE *out, const ExportPack *p, const ExportTable *t) {
  if (!t->report) return;
  const char *rep = t->report;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return;
  if (!strcmp(rep, "progress") && t->part == 1)
    bars_chart(f, t, "unit", "achievement", "time_progress", NAN, "time progress", "product",
               "period", "achievement");
  else if (!strcmp(rep, "scorecard") && t->part == 1)
    bars_chart(f, t, "territory", "achievement", NULL, 1.0, "target (100%)", NULL, NULL,
               "achievement year to date");
  else if (!strcmp(rep, "spend") && export_col(&t->r, "spend_ratio") >= 0)
    bars_chart(f, t, "unit", "used", NULL, 1.0, "budget (100%)", NULL, NULL, "budget used");
  else if (!strcmp(rep, "quadrants") && t->part == 1)
    quadrant_charts(sh, f, p, t);
  else if (!strcmp(rep, "aging") && t->part == 1)
    aging_chart(f, t);
  else if (!strcmp(rep, "inventory") && t->part == 1)
    inventory_chart(f, t);
  if (fclose(f) == 0 && len > 0) {
    fputs("<div class=\"charts\">\n", out);
    fwrite(buf, 1, len, out);
    fputs("</div>\n", out);
  }
  free(buf);
}

static int write_page(Shell *sh, FILE *f, const ExportPack *p) {
  fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
  fputs("territory reports", f);
  if (p->data_as_of) {
    fputs(" \xc2\xb7 ", f);
    svg_text(f, p->data_as_of);
  }
  fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>Territory reports</h1>\n"
          "<p class=\"meta\">Data as of <b>", style);
  svg_text(f, p->data_as_of ? p->data_as_of : "(no sales in the data)");
  fputs("</b> (latest sale period) \xc2\xb7 generated ", f);
  svg_text(f, p->generated);
  fputs(" \xc2\xb7 database ", f);
  svg_text(f, p->source);
  fputs("</p>\n", f);
  if (p->ntable > 1) {
    fputs("<nav>\n", f);
    for (int i = 0; i < p->ntable; i++) {
      if (p->tables[i].part > 1) continue;
      fprintf(f, "<div><a href=\"#t%d\">", i + 1);
      svg_text(f, p->tables[i].title);
      fputs("</a> ", f);
      svg_text(f, p->tables[i].description);
      fputs("</div>\n", f);
    }
    fputs("</nav>\n", f);
  }
  fputs("</header>\n", f);
  for (int i = 0; i < p->ntable; i++) {
    const ExportTable *t = &p->tables[i];
    fprintf(f, "<section id=\"t%d\"%s data-report=\"", i + 1, i && t->part == 1 ? " class=\"brk\"" : "");
    svg_text(f, t->report ? t->report : "");
    fprintf(f, "\" data-part=\"%d\">\n<h2>", t->part);
    svg_text(f, t->title);
    fputs("</h2>\n", f);
    if (*t->description || t->param_count) {
      fputs("<p class=\"desc\">", f);
      svg_text(f, t->description);
      int any = 0;
      for (int k = t->param_first; k < t->param_first + t->param_count; k++) {
        const ExportParam *q = &p->params[k];
        if (!q->value) continue;
        fputs(any ? ", " : " \xe2\x80\x94 ", f);
        svg_text(f, q->name);
        fputs("=", f);
        svg_text(f, q->value);
        any = 1;
      }
      fputs("</p>\n", f);
    }
    charts_for(sh, f, p, t);
    write_table(f, t);
    fputs("</section>\n", f);
  }
  if (p->nparam || p->left_out) {
    fputs("<section id=\"parameters\" class=\"brk\">\n<h2>parameters</h2>\n", f);
    if (p->left_out) {
      fputs("<p class=\"desc\">Not included: ", f);
      svg_text(f, p->left_out);
      fputs("</p>\n", f);
    }
    fputs("<table class=\"params\"><thead><tr><th>report</th><th>parameter</th><th>value</th>"
          "<th>default (when no value is given)</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < p->nparam; i++) {
      const ExportParam *q = &p->params[i];
      fputs("<tr><td>", f);
      svg_text(f, q->report);
      fputs("</td><td>", f);
      svg_text(f, q->name);
      fputs("</td><td>", f);
      svg_text(f, q->value ? q->value : "(default)");
      fputs("</td><td>", f);
      svg_text(f, q->about);
      fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
  }
  fputs("<footer>Made by territory. Charts and tables are part of this page; it needs no "
        "network and no scripts.</footer>\n</body>\n</html>\n", f);
  return ferror(f) ? -1 : 0;
}

int cmd_html(Shell *sh, char **argv, int argc) {
  if (argc < 2) {
    shell_error(sh, "usage: .html FILE.html [REPORT [k=v ...] ... | all [k=v ...]]");
    return 1;
  }
  size_t fl = strlen(argv[1]);
  char *file = fl >= 2 && (argv[1][0] == '\'' || argv[1][0] == '"') && argv[1][fl - 1] == argv[1][0]
                   ? strndup(argv[1] + 1, fl - 2)
                   : strdup(argv[1]);
  if (!file) { shell_error(sh, "out of memory"); return 1; }
  ExportPack p;
  if (export_collect(sh, ".html", argv + 2, argc - 2, &p)) {
    free(file);
    return 1;
  }
  /* written beside, then renamed: a reader never sees half a page */
  char *tmp = malloc(strlen(file) + 16);
  int failed = 0;
  FILE *f = NULL;
  if (tmp) {
    sprintf(tmp, "%s.tmp%d", file, (int)getpid());
    f = fopen(tmp, "w");
  }
  if (!f) {
    shell_error(sh, ".html: cannot write %s: %s", file, strerror(errno));
    failed = 1;
  } else {
    int bad = write_page(sh, f, &p);
    if (fclose(f) != 0 || bad || rename(tmp, file) != 0) {
      shell_error(sh, ".html: cannot write %s: %s", file, strerror(errno));
      unlink(tmp);
      failed = 1;
    } else if (sh->interactive) {
      fprintf(sh->out, "%s: %d section%s\n", file, p.ntable, p.ntable == 1 ? "" : "s");
    }
  }
  free(tmp);
  export_free(&p);
  free(file);
  return failed;
}
