/*
** export.c -- the reports an export asks for, run and kept whole, and how
** their columns read to people.  The writers (.excel in xlsx.c, .html in
** html.c) share it so a workbook and a page show the same numbers the same
** way; the API is in export.h.
*/
#include "export.h"
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static char *xstrdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *r = malloc(n);
  if (r) memcpy(r, s, n);
  return r;
}

/* ---- column kinds */

/* Report-specific names first: "gap" is money in progress, a share in
** quadrants and units of stock in inventory. */
static const struct {
  const char *report, *col;
  ColKind kind;
} rules[] = {
    {"progress", "gap", COL_AMOUNT},
    {"quadrants", "gap", COL_RATE},
    {"inventory", "gap", COL_INT},
    {"inventory", "difference", COL_INT},
    {"target_check", "difference", COL_AMOUNT},
    {"target_check", "children", COL_INT},
    {"smart", "smart", COL_INT},
    {"credit", "growth", COL_AMOUNT},
    {"coverage", "gap", COL_INT},
    {"coverage", "target", COL_INT},
    {"distributors", "score", COL_RATE},
    {NULL, "id", COL_ID},
    {NULL, "rank", COL_ID},
    {NULL, "rank_district", COL_ID},
    {NULL, "rank_region", COL_ID},
    {NULL, "decile", COL_ID},
    {NULL, "score", COL_ID},
    {NULL, "year", COL_ID},
    {NULL, "achievement", COL_RATE},
    {NULL, "time_progress", COL_RATE},
    {NULL, "workday_progress", COL_RATE},
    {NULL, "pace", COL_RATE},
    {NULL, "share", COL_RATE},
    {NULL, "cum_share", COL_RATE},
    {NULL, "visit_share", COL_RATE},
    {NULL, "target_share", COL_RATE},
    {NULL, "doctor_share", COL_RATE},
    {NULL, "market_share", COL_RATE},
    {NULL, "collection_rate", COL_RATE},
    {NULL, "return_rate", COL_RATE},
    {NULL, "growth", COL_RATE},
    {NULL, "used", COL_RATE},
    {NULL, "spend_ratio", COL_RATE},
    {NULL, "plan_adherence", COL_RATE},
    {NULL, "verification_rate", COL_RATE},
    {NULL, "tolerance", COL_RATE},
    {NULL, "coverage", COL_RATE},
    {NULL, "phased", COL_RATE},
    {NULL, "fulfilment", COL_RATE},
    {NULL, "on_time", COL_RATE},
    {NULL, "assessed", COL_RATE},
    {NULL, "over_terms", COL_FLAG},
    {NULL, "dso", COL_DEC},
    {NULL, "paid_days", COL_DEC},
    {NULL, "over_limit", COL_FLAG},
    {NULL, "over_budget", COL_FLAG},
    {NULL, "usage_cut", COL_DEC},
    {NULL, "potential_cut", COL_DEC},
    {NULL, "avg_daily_sales", COL_DEC},
    {NULL, "days_of_supply", COL_DEC},
};

static const char *const amounts[] = {
    "target", "actual", "forecast", "sales", "collected", "receivables",
    "budget", "spent", "variance", "total", "current", "1-30", "31-60",
    "61-90", "91-120", ">120", "credit_limit", "overdue", "overdue_long",
    "paid_late", "children_sum", "per_workday", "potential", "rx", "headroom",
    "outpatients", "inpatients", "dept_patients", "baseline", "volume",
    "min_volume", "max_volume", "opening", "received", "sold", "returned",
    "closing", "expected", "prev_closing", "amount", "gap", "difference",
    "agreed_units", "agreed_amount", "bought_units", "bought_amount", "outstanding",
    "bad_debt", "bad_debt_before"};

int export_iso_date(const char *s, int *y, int *m, int *d) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  int Y = atoi(s), M = atoi(s + 5), D = atoi(s + 8);
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (Y < 1900 || M < 1 || M > 12 || D < 1) return 0;  /* Excel starts in 1900 */
  int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
  if (D > mdays[M - 1] + (M == 2 && leap)) return 0;
  *y = Y;
  *m = M;
  *d = D;
  return 1;
}

ColKind export_col_kind(const char *report, const Result *r, int col) {
  const char *name = r->names[col];
  int nums = 0, ints = 0, texts = 0, dates = 0;
  for (long i = 0; i < r->nrow; i++) {
    const Cell *c = &r->cells[i * r->ncol + col];
    int y, m, d;
    if (c->type == SQLITE_INTEGER) { nums++; ints++; }
    else if (c->type == SQLITE_FLOAT) nums++;
    else if (c->type == SQLITE_TEXT) {
      texts++;
      if (export_iso_date(c->text, &y, &m, &d)) dates++;
    } else if (c->type == SQLITE_BLOB) texts++;
  }
  /* a named kind holds only for a column of numbers; text stays text */
  if (texts) return dates == texts && nums == 0 ? COL_DATE : COL_TEXT;
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if ((!rules[i].report || (report && !strcmp(rules[i].report, report))) &&
        !strcasecmp(rules[i].col, name))
      return rules[i].kind;
  if ((n > 3 && !strcasecmp(name + n - 3, "_id")) || !strncasecmp(name, "rank", 4))
    return COL_ID;
  for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++)
    if (!strcasecmp(amounts[i], name)) return COL_AMOUNT;
  if (!strncasecmp(name, "not_", 4)) return COL_INT;
  return nums && ints == nums ? COL_INT : nums ? COL_DEC : COL_TEXT;
}

int export_col(const Result *r, const char *name) {
  for (int j = 0; j < r->ncol; j++)
    if (!strcasecmp(r->names[j], name)) return j;
  return -1;
}

int export_num(const Cell *c, double *out) {
  if (c->type != SQLITE_INTEGER && c->type != SQLITE_FLOAT) return 0;
  *out = c->num;
  return isfinite(c->num);
}

/* ---- tones */

Tone export_tone(const char *col, const Cell *c) {
  double v;
  if (!strcasecmp(col, "over_limit") || !strcasecmp(col, "over_budget") ||
      !strcasecmp(col, "over_terms"))
    return export_num(c, &v) && v != 0 ? TONE_BAD : TONE_NONE;
  if (c->type != SQLITE_TEXT || !c->text || !*c->text) return TONE_NONE;
  const char *t = c->text;
  if (!strcasecmp(col, "status")) {
    if (!strcmp(t, "behind") || !strcmp(t, "identity") || !strcmp(t, "continuity") ||
        !strcmp(t, "identity+continuity"))
      return TONE_BAD;
    if (!strcmp(t, "ahead")) return TONE_GOOD;
    return TONE_NONE;
  }
  /* on plan is the normal case: only the exceptions draw the eye */
  if (!strcasecmp(col, "action")) {
    if (!strcmp(t, "on plan")) return TONE_NONE;
    if (!strcmp(t, "no visits")) return TONE_BAD;
    return TONE_WARN;
  }
  if (!strcasecmp(col, "flag")) {
    if (!strcmp(t, "best")) return TONE_GOOD;
    if (!strcmp(t, "worst")) return TONE_BAD;
    return TONE_NONE;
  }
  if (!strcasecmp(col, "flags")) return strcmp(t, "SMART") ? TONE_WARN : TONE_NONE;
  if (!strcasecmp(col, "note") || !strcasecmp(col, "warning")) return TONE_WARN;
  if (!strcasecmp(col, "terms")) return strcmp(t, "broken") ? TONE_NONE : TONE_BAD;
  if (!strcasecmp(col, "state")) return strcmp(t, "opened late") ? TONE_NONE : TONE_WARN;
  return TONE_NONE;
}

/* ---- display */

/* Digits of |v| rounded to `dec` decimals, with thousands separators. */
static void grouped(char *buf, size_t n, double v, int dec) {
  char raw[64];
  snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
  if (fabs(v) >= 1e15) {   /* too long to group usefully */
    snprintf(buf, n, "%s%s", v < 0 ? "-" : "", raw);
    return;
  }
  const char *dot = strchr(raw, '.');
  size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
  char out[96];
  size_t o = 0;
  /* -0 after rounding shows as 0 */
  int zero = strspn(raw, "0.") == strlen(raw);
  if (v < 0 && !zero) out[o++] = '-';
  for (size_t i = 0; i < ilen; i++) {
    if (i && (ilen - i) % 3 == 0) out[o++] = ',';
    out[o++] = raw[i];
  }
  if (dot) {
    size_t l = strlen(dot);
    memcpy(out + o, dot, l);
    o += l;
  }
  out[o] = 0;
  snprintf(buf, n, "%s", out);
}

void export_show(ColKind k, const Cell *c, char *buf, size_t n) {
  double v;
  if (c->type == SQLITE_NULL) { snprintf(buf, n, "%s", ""); return; }
  if (!export_num(c, &v)) {
    if (c->type == SQLITE_FLOAT) format_real(buf, n, c->num, 0);
    else snprintf(buf, n, "%s", c->text ? c->text : "");
    return;
  }
  switch (k) {
    case COL_AMOUNT:
    case COL_INT: grouped(buf, n, v, 0); break;
    case COL_RATE: {
      char t[64];
      grouped(t, sizeof t, v * 100, 1);
      snprintf(buf, n, "%s%%", t);
      break;
    }
    case COL_DEC: grouped(buf, n, v, 2); break;
    case COL_FLAG: snprintf(buf, n, "%s", v != 0 ? "yes" : "no"); break;
    default:
      if (c->type == SQLITE_FLOAT) format_real(buf, n, c->num, 0);
      else snprintf(buf, n, "%s", c->text ? c->text : "");
  }
}

/* ---- running reports */

static int add_table(ExportPack *p, const char *report, const char *desc, int part) {
  ExportTable *t = realloc(p->tables, sizeof *t * (size_t)(p->ntable + 1));
  if (!t) return -1;
  p->tables = t;
  t = &p->tables[p->ntable++];
  memset(t, 0, sizeof *t);
  t->report = xstrdup(report);
  t->description = xstrdup(desc ? desc : "");
  t->part = part;
  /* the later results of the built-in reports have names of their own */
  static const struct { const char *report; int part; const char *title; } named[] = {
      {"aging", 2, "aging by unit"},          {"spend", 2, "spend rolled up"},
      {"smart", 2, "smart summary"},          {"potential", 2, "potential departments"}};
  char title[64];
  const char *known = NULL;
  for (size_t i = 0; report && i < sizeof named / sizeof named[0]; i++)
    if (!strcmp(named[i].report, report) && named[i].part == part) known = named[i].title;
  if (known) snprintf(title, sizeof title, "%s", known);
  else if (!report) snprintf(title, sizeof title, "result");
  else if (part == 1) snprintf(title, sizeof title, "%.28s", report);
  else snprintf(title, sizeof title, "%.26s %d", report, part);
  t->title = xstrdup(title);
  return t->title && t->description ? 0 : -1;
}

static int keep_row(Result *r, sqlite3_stmt *st) {
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
    if (c->type == SQLITE_INTEGER) {
      c->num = (double)sqlite3_column_int64(st, j);
      c->text = xstrdup((const char *)sqlite3_column_text(st, j));
    } else if (c->type == SQLITE_FLOAT) {
      c->num = sqlite3_column_double(st, j);
    } else if (c->type == SQLITE_TEXT) {
      c->text = xstrdup((const char *)sqlite3_column_text(st, j));
    } else if (c->type == SQLITE_BLOB) {
      c->type = SQLITE_TEXT;   /* shown as its size: a workbook cell holds no bytes */
      char b[48];
      snprintf(b, sizeof b, "(%d bytes)", sqlite3_column_bytes(st, j));
      c->text = xstrdup(b);
    }
    if ((c->type == SQLITE_INTEGER || c->type == SQLITE_TEXT) && !c->text) {
      r->nrow++;   /* so result_clear frees the cells set so far */
      for (int k = j + 1; k < r->ncol; k++) row[k].text = NULL, row[k].type = SQLITE_NULL;
      return SQLITE_NOMEM;
    }
  }
  r->nrow++;
  r->total++;
  return SQLITE_OK;
}

typedef struct RunCtx {
  ExportPack *p;
  const Report *rep;
  int part;
} RunCtx;

static int on_rows(void *ctx, sqlite3_stmt *st, int rc) {
  RunCtx *x = ctx;
  if (add_table(x->p, x->rep->name, x->rep->description, ++x->part)) return SQLITE_NOMEM;
  Result *r = &x->p->tables[x->p->ntable - 1].r;
  r->ncol = sqlite3_column_count(st);
  r->names = calloc((size_t)r->ncol + 1, sizeof(char *));
  if (!r->names) return SQLITE_NOMEM;
  for (int j = 0; j < r->ncol; j++) {
    r->names[j] = xstrdup(sqlite3_column_name(st, j));
    if (!r->names[j]) return SQLITE_NOMEM;
  }
  while (rc == SQLITE_ROW) {
    int k = keep_row(r, st);
    if (k != SQLITE_OK) return k;
    rc = sqlite3_step(st);
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int add_param(ExportPack *p, const char *report, const ReportParam *rp,
                     const char *value) {
  ExportParam *n = realloc(p->params, sizeof *n * (size_t)(p->nparam + 1));
  if (!n) return -1;
  p->params = n;
  n = &p->params[p->nparam++];
  n->report = xstrdup(report);
  n->name = xstrdup(rp->name);
  n->value = xstrdup(value);
  n->about = xstrdup(rp->about ? rp->about : "");
  return n->report && n->name && n->about && (!value || n->value) ? 0 : -1;
}

/* The monthly pack reads top-down: how we stand, who does what, where the
** money is, then the checks; reports not named here follow by name. */
static const char *const pack_first[] = {
    "progress", "scorecard", "quadrants", "visits", "target_doctors", "coverage",
    "potential", "deciles", "pareto", "distributors", "agreements", "aging", "credit",
    "spend", "inventory", "smart", "target_check"};
#define NFIRST ((int)(sizeof pack_first / sizeof pack_first[0]))

static int known_rank(const char *name) {
  for (int i = 0; i < NFIRST; i++)
    if (!strcmp(pack_first[i], name)) return i;
  return NFIRST;
}

/* The o-th report of the pack, as an index into v (sorted by name). */
static int pack_order(const ReportEntry *v, int n, int o) {
  int seen = 0;
  for (int rank = 0; rank <= NFIRST; rank++)
    for (int k = 0; k < n; k++)
      if (known_rank(v[k].name) == rank && seen++ == o) return k;
  return o;
}

/* One report asked for: its entry and the k=v words that follow it. */
typedef struct Ask {
  ReportEntry *e;
  int first, n;        /* argv[first .. first+n) are its k=v words */
  int all;             /* from `all`: k=v it does not declare are skipped */
} Ask;

static int declares(const Report *r, const char *name, size_t len) {
  for (int i = 0; i < r->nparam; i++)
    if (strlen(r->params[i].name) == len && !strncmp(r->params[i].name, name, len)) return 1;
  return 0;
}

static int run_one(Shell *sh, const char *cmd, ExportPack *p, const Ask *a, char **argv) {
  const Report *rep = a->e->rep;
  ReportArg args[64];
  char *owned[64];
  int nargs = 0, nowned = 0, failed = 0;
  char *err = NULL;
  for (int i = a->first; i < a->first + a->n && nargs < 64; i++) {
    const char *w = argv[i];
    const char *eq = strchr(w, '=');
    if (a->all && !declares(rep, w, (size_t)(eq - w))) continue;
    char *name = strndup(w, (size_t)(eq - w));
    const char *v = eq + 1;
    char *val;
    size_t vl = strlen(v);
    if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
      /* "text" reads like 'text': a string even when it looks numeric */
      char *in = strndup(v + 1, vl - 2);
      char *q = in ? sqlite3_mprintf("'%q'", in) : NULL;
      val = q ? xstrdup(q) : NULL;
      sqlite3_free(q);
      free(in);
    } else {
      val = xstrdup(v);
    }
    if (!name || !val) {
      free(name);
      free(val);
      failed = 1;
      shell_error(sh, "out of memory");
      goto out;
    }
    owned[nowned++] = name;
    owned[nowned++] = val;
    args[nargs].name = name;
    args[nargs].value = val;
    nargs++;
    if (nowned >= 62) break;
  }
  if (report_check_args(rep, args, nargs, &err)) {
    shell_error(sh, "%s: %s", cmd, err);
    free(err);
    failed = 1;
    goto out;
  }
  for (int i = 0; i < rep->nparam; i++) {
    const char *given = NULL;
    for (int k = 0; k < nargs; k++)
      if (!strcmp(args[k].name, rep->params[i].name)) given = args[k].value;
    if (add_param(p, rep->name, &rep->params[i], given)) {
      shell_error(sh, "out of memory");
      failed = 1;
      goto out;
    }
  }
  RunCtx ctx = {p, rep, 0};
  int t0 = p->ntable, pfirst = p->nparam - rep->nparam;
  shell_progress_begin(sh);
  int rc = report_run(sh->db, rep, args, nargs, on_rows, &ctx, &err);
  shell_progress_end(sh);
  if (rc != SQLITE_OK) {
    shell_error(sh, "%s: %s", cmd, g_interrupted ? "interrupted" : err ? err : "report failed");
    failed = 1;
  }
  for (int i = t0; i < p->ntable; i++) {
    p->tables[i].param_first = pfirst;
    p->tables[i].param_count = rep->nparam;
  }
  free(err);
out:
  for (int i = 0; i < nowned; i++) free(owned[i]);
  return failed;
}

static int copy_last(Shell *sh, const char *cmd, ExportPack *p) {
  const Result *l = &sh->last;
  if (l->ncol == 0) {
    shell_error(sh, "%s: no result to write; run a query first, or name reports "
                "(REPORT [k=v ...] ..., or all)", cmd);
    return 1;
  }
  if (l->base > 0 || l->nrow < l->total) {
    shell_error(sh, "%s: the last result had %ld rows and only %ld were kept; name the "
                "report instead, or use LIMIT", cmd, l->total, l->nrow);
    return 1;
  }
  if (add_table(p, NULL, "", 1)) goto oom;
  Result *r = &p->tables[p->ntable - 1].r;
  r->names = calloc((size_t)l->ncol + 1, sizeof(char *));
  r->cells = calloc((size_t)(l->nrow * l->ncol) + 1, sizeof(Cell));
  if (!r->names || !r->cells) goto oom;
  r->ncol = l->ncol;
  for (int j = 0; j < l->ncol; j++)
    if (!(r->names[j] = xstrdup(l->names[j]))) goto oom;
  for (long i = 0; i < l->nrow * l->ncol; i++) {
    r->cells[i] = l->cells[i];
    r->cells[i].text = NULL;
    r->nrow = i / l->ncol + 1;
    if (l->cells[i].text && !(r->cells[i].text = xstrdup(l->cells[i].text))) goto oom;
  }
  r->nrow = r->total = l->nrow;
  r->cap = l->nrow;
  return 0;
oom:
  shell_error(sh, "out of memory");
  return 1;
}

int export_collect(Shell *sh, const char *cmd, char **argv, int argc, ExportPack *p) {
  memset(p, 0, sizeof *p);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(p->generated, sizeof p->generated, "%Y-%m-%d %H:%M UTC", &tm);
  p->source = xstrdup(sh->dbname ? sh->dbname : "");
  /* the data's own date, so a pack says which month it shows */
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(sh->db, "SELECT max(period) FROM sale", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
    p->data_as_of = xstrdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);

  if (argc == 0) {
    if (copy_last(sh, cmd, p)) goto fail;
    p->tables[0].kinds = calloc((size_t)p->tables[0].r.ncol + 1, sizeof(ColKind));
    if (!p->tables[0].kinds) goto fail;
    for (int j = 0; j < p->tables[0].r.ncol; j++)
      p->tables[0].kinds[j] = export_col_kind(NULL, &p->tables[0].r, j);
    return 0;
  }

  ReportEntry *v = NULL;
  char *err = NULL;
  int n = catalog_reports(&v, &err);
  if (err) {
    fprintf(stderr, "warning: %s\n", err);
    sqlite3_free(err);
  }
  Ask *ask = calloc((size_t)(n + argc) + 1, sizeof *ask);
  int nask = 0, failed = 0;
  sqlite3_str *left = sqlite3_str_new(NULL);
  if (!ask) { shell_error(sh, "out of memory"); failed = 1; }
  for (int i = 0; i < argc && !failed; i++) {
    const char *w = argv[i];
    const char *eq = strchr(w, '=');
    if (eq) {
      if (eq == w || nask == 0) {
        shell_error(sh, "%s: %s: parameters follow the report they are for "
                    "(REPORT name=value ...)", cmd, w);
        failed = 1;
      } else {
        /* words after `all` belong to each report of the pack */
        for (int k = nask - 1; k >= 0 && ask[k].first + ask[k].n == i; k--) {
          ask[k].n++;
          if (!ask[k].all) break;
        }
      }
      continue;
    }
    if (!strcmp(w, "all")) {
      int from = nask;
      for (int o = 0; o < n; o++) {
        int k = pack_order(v, n, o);
        const Report *r = v[k].rep;
        int req = 0;
        for (int j = 0; r && j < r->nparam; j++)
          if (r->params[j].required) req = 1;
        if (!r || req) {
          sqlite3_str_appendf(left, "%s%s (%s)", sqlite3_str_length(left) ? "; " : "",
                              v[k].name, !r ? "cannot be read" : "needs parameters");
          continue;
        }
        ask[nask++] = (Ask){&v[k], i + 1, 0, 1};
      }
      if (nask == from) {
        shell_error(sh, "%s: no report runs without parameters", cmd);
        failed = 1;
      }
      continue;
    }
    ReportEntry *e = NULL;
    for (int k = 0; k < n; k++)
      if (!strcmp(v[k].name, w)) e = &v[k];
    if (!e) {
      sqlite3_str *s = sqlite3_str_new(NULL);
      for (int k = 0; k < n; k++) sqlite3_str_appendf(s, "%s%s", k ? ", " : "", v[k].name);
      char *list = sqlite3_str_finish(s);
      shell_error(sh, "%s: no report named %s (reports: %s, or all)", cmd, w,
                  list && *list ? list : "none");
      sqlite3_free(list);
      failed = 1;
    } else if (!e->rep) {
      shell_error(sh, "%s: %s", cmd, e->parse_error);
      failed = 1;
    } else {
      ask[nask++] = (Ask){e, i + 1, 0, 0};
    }
  }
  /* k=v after `all` must mean something to at least one report of it */
  for (int i = 0; i < nask && !failed; i++) {
    if (!ask[i].all) continue;
    for (int w = ask[i].first; w < ask[i].first + ask[i].n && !failed; w++) {
      const char *eq = strchr(argv[w], '=');
      int used = 0;
      for (int k = 0; k < nask; k++)
        if (ask[k].all && ask[k].first == ask[i].first &&
            declares(ask[k].e->rep, argv[w], (size_t)(eq - argv[w])))
          used = 1;
      if (!used) {
        shell_error(sh, "%s: no report of the pack takes %.*s", cmd, (int)(eq - argv[w]), argv[w]);
        failed = 1;
      }
    }
  }
  for (int i = 0; i < nask && !failed; i++) failed = run_one(sh, cmd, p, &ask[i], argv);
  char *l = sqlite3_str_finish(left);
  if (l && *l && !failed) p->left_out = xstrdup(l);
  sqlite3_free(l);
  free(ask);
  catalog_free(v, n);
  free(v);
  if (failed) goto fail;
  for (int i = 0; i < p->ntable; i++) {
    ExportTable *t = &p->tables[i];
    t->kinds = calloc((size_t)t->r.ncol + 1, sizeof(ColKind));
    if (!t->kinds) { shell_error(sh, "out of memory"); goto fail; }
    for (int j = 0; j < t->r.ncol; j++) t->kinds[j] = export_col_kind(t->report, &t->r, j);
  }
  return 0;
fail:
  export_free(p);
  return 1;
}

void export_free(ExportPack *p) {
  for (int i = 0; i < p->ntable; i++) {
    ExportTable *t = &p->tables[i];
    free(t->report);
    free(t->title);
    free(t->description);
    free(t->kinds);
    result_clear(&t->r);
  }
  free(p->tables);
  for (int i = 0; i < p->nparam; i++) {
    free(p->params[i].report);
    free(p->params[i].name);
    free(p->params[i].value);
    free(p->params[i].about);
  }
  free(p->params);
  free(p->left_out);
  free(p->data_as_of);
  free(p->source);
  memset(p, 0, sizeof *p);
}
