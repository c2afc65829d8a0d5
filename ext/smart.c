/*
** smart.c -- smart_check(query): checks goal statements against the SMART
** rules of the deck (目标设定原则: Specific, Measurable, Ambitious
** 有挑战性的, Realistic, Timetable).
**
**   SELECT * FROM smart_check('goal');
**   SELECT id, flags, problems FROM smart_check(
**     'SELECT id, owner, product, metric, baseline, target, potential,
**             start_date, due_date, 0.05 AS min_growth FROM goal');
**
** The query (one read-only SELECT, or a bare table/view name; see query.h)
** returns goals.  Its columns are read BY NAME, case-insensitively, so their
** order and any extra columns do not matter:
**   required  id, owner, product, metric, baseline, target, potential,
**             start_date, due_date
**   optional  min_growth (default 0), max_growth (default 1.0),
**             max_days (default 366) -- policy per row; NULL means default
** One output row per goal, in input order.  The whole query is read and
** judged before the first row is returned (like allocate), so a statement
** that writes to the table the query reads -- INSERT INTO goal SELECT ...
** FROM smart_check('goal') -- sees the goals as they were, as plain SQL
** would, instead of judging its own new rows forever:
**   id, specific, measurable, ambitious, realistic, timed   (0/1)
**   score     the number of letters passed, 0-5
**   flags     'SMART' with '-' for each failed letter, e.g. 'SM-RT'
**   problems  a JSON array of sentences, one per failed letter, carrying
**             the numbers that failed it: ["realistic: target 2600 exceeds
**             potential 2000"]; '[]' when every letter passes
** The rules are written out in docs/src/60-smart.md; each is a function
** below named after its letter.
**
** smart_check is not registered innocuous: it runs a query given as text.
*/
#include "args.h"
#include "dates.h"
#include "query.h"
#include "registry.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define SMART_FN "smart_check"

enum {
  SMART_COL_ID, SMART_COL_SPECIFIC, SMART_COL_MEASURABLE, SMART_COL_AMBITIOUS, SMART_COL_REALISTIC,
  SMART_COL_TIMED, SMART_COL_SCORE, SMART_COL_FLAGS, SMART_COL_PROBLEMS, SMART_COL_QUERY
};

/* Input columns, in the order of IN_NAMES. */
enum {
  IN_ID, IN_OWNER, IN_PRODUCT, IN_METRIC, IN_BASELINE, IN_TARGET,
  IN_POTENTIAL, IN_START, IN_DUE, IN_REQUIRED, /* the rest are optional */
  IN_MIN_GROWTH = IN_REQUIRED, IN_MAX_GROWTH, IN_MAX_DAYS, IN_COUNT
};
static const char *const IN_NAMES[IN_COUNT] = {
    "id",        "owner",      "product",  "metric",     "baseline",
    "target",    "potential",  "start_date", "due_date", "min_growth",
    "max_growth", "max_days"};

static const char *const METRICS[] = {
    "sales", "units",  "share",    "growth", "collections", "hospitals",
    "doctors", "coverage", "visits", NULL};
#define METRIC_LIST \
  "sales, units, share, growth, collections, hospitals, doctors, coverage, visits"

/* One judged goal, kept until the cursor moves past it. */
typedef struct SmartRow {
  sqlite3_value *id;
  unsigned char pass[5];
  char *problems;           /* JSON text; NULL when the column is not read */
} SmartRow;

typedef struct SmartCursor {
  sqlite3_vtab_cursor base;
  sqlite3_stmt *st;         /* only inside xFilter: every goal is read there */
  int eof;
  sqlite3_int64 rowid;
  int in[IN_COUNT];         /* column index of each input, -1 if absent */
  int want_problems;        /* the statement reads the problems column */
  int pass[5];
  char flags[6];
  char *problems;           /* JSON text, sqlite3_malloc'd; NULL until built */
  SmartRow *rows;           /* every goal, judged, in input order */
  sqlite3_int64 nrows, arows;
} SmartCursor;

/* idxNum bits from xBestIndex to xFilter. */
#define SMART_IDX_QUERY 1     /* the query argument is supplied */
#define SMART_IDX_PROBLEMS 2  /* the problems column is read */

/* ---- small readers ------------------------------------------------------ */

/* 1 a finite number, 0 NULL, -1 something else (text that is not wholly a
** number, blob, NaN, infinity). */
static int read_num(sqlite3_value *v, double *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return 0;
    case SQLITE_INTEGER:
      *out = (double)sqlite3_value_int64(v);
      return 1;
    case SQLITE_FLOAT:
      *out = sqlite3_value_double(v);
      return isfinite(*out) ? 1 : -1;
    case SQLITE_TEXT:
      return value_text_number(v, out) ? 1 : -1;
    default:
      return -1;
  }
}

/* Text with something other than blanks in it (numbers count: an owner may
** be an org_unit id). */
static int has_text(sqlite3_value *v) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL || t == SQLITE_BLOB) return 0;
  const unsigned char *z = sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  if (z == NULL) return 0;
  for (int i = 0; i < n; i++)
    if (z[i] != ' ' && z[i] != '\t' && z[i] != '\n' && z[i] != '\r') return 1;
  return 0;
}

/* Metric name with surrounding blanks ignored, case-insensitive; returns
** its index in METRICS or -1. */
static int metric_index(sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return -1;
  const char *z = (const char *)sqlite3_value_text(v);
  if (z == NULL) return -1;
  int n = sqlite3_value_bytes(v); /* by length: 'share' || char(0) is no metric */
  while (n > 0 && (*z == ' ' || *z == '\t')) z++, n--;
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
  for (int i = 0; METRICS[i]; i++)
    if ((int)strlen(METRICS[i]) == n && sqlite3_strnicmp(z, METRICS[i], n) == 0)
      return i;
  return -1;
}

/* Comparisons with a relative tolerance, so that policy values written in
** decimal behave as written: 1000 * (1 + 0.1) is 1100.0000000000002. */
static double slack(double a, double b) {
  double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  return 1e-9 * (m > 1 ? m : 1);
}
static int approx_lt(double a, double b) { return a < b - slack(a, b); }
static int approx_gt(double a, double b) { return a > b + slack(a, b); }

/* ---- JSON --------------------------------------------------------------- */

/* Appends z as a JSON string: quotes, backslashes and control characters
** escaped, and bytes that are not valid UTF-8 replaced by U+FFFD, so the
** array is valid JSON whatever text the goal table holds. */
static void json_string(sqlite3_str *s, const char *z) {
  const unsigned char *p = (const unsigned char *)z;
  sqlite3_str_appendchar(s, 1, '"');
  while (*p) {
    unsigned c = *p;
    if (c == '"' || c == '\\') {
      sqlite3_str_appendchar(s, 1, '\\');
      sqlite3_str_appendchar(s, 1, (char)c);
      p++;
    } else if (c < 0x20) {
      if (c == '\n') sqlite3_str_appendall(s, "\\n");
      else if (c == '\t') sqlite3_str_appendall(s, "\\t");
      else if (c == '\r') sqlite3_str_appendall(s, "\\r");
      else sqlite3_str_appendf(s, "\\u%04x", c);
      p++;
    } else if (c < 0x80) {
      sqlite3_str_appendchar(s, 1, (char)c);
      p++;
    } else {
      /* length and minimum code point of a well-formed sequence */
      int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
      unsigned cp = n == 4 ? (c & 0x07) : n == 3 ? (c & 0x0F) : (c & 0x1F);
      int ok = n > 0;
      for (int i = 1; ok && i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) ok = 0;
        else cp = (cp << 6) | (p[i] & 0x3F);
      }
      if (ok && ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                 (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
        ok = 0;
      if (ok) {
        sqlite3_str_append(s, (const char *)p, n);
        p += n;
      } else {
        sqlite3_str_appendall(s, "\\ufffd");
        p++;
      }
    }
  }
  sqlite3_str_appendchar(s, 1, '"');
}

/* Collects the sentences of one letter ("specific: a; b") into the array.
** With json NULL only the verdicts are kept: when the problems column is
** not read, formatting its sentences was most of smart_check's time. */
typedef struct Problems {
  sqlite3_str *json;   /* the array being built, or NULL: verdicts only */
  sqlite3_str *cur;    /* the current letter's sentence */
  int count;
  int failed;          /* the current letter failed (verdicts only) */
} Problems;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void note(Problems *pr, const char *letter, const char *fmt, ...) {
  if (pr->json == NULL) {
    pr->failed = 1;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  char *part = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (pr->cur == NULL) {
    pr->cur = sqlite3_str_new(NULL);
    sqlite3_str_appendf(pr->cur, "%s: ", letter);
  } else {
    sqlite3_str_appendall(pr->cur, "; ");
  }
  sqlite3_str_appendall(pr->cur, part ? part : "(out of memory)");
  sqlite3_free(part);
}

/* Ends a letter; returns 1 if it passed (no sentence was noted). */
static int close_letter(Problems *pr) {
  if (pr->json == NULL) {
    int passed = !pr->failed;
    pr->failed = 0;
    return passed;
  }
  if (pr->cur == NULL) return 1;
  char *z = sqlite3_str_finish(pr->cur);
  pr->cur = NULL;
  sqlite3_str_appendall(pr->json, pr->count ? ", " : "");
  json_string(pr->json, z ? z : "(out of memory)");
  sqlite3_free(z);
  pr->count++;
  return 0;
}

/* ---- the rules ---------------------------------------------------------- */

typedef struct Goal {
  sqlite3_value *v[IN_COUNT]; /* NULL pointer for an absent optional column */
  int metric;                 /* index in METRICS or -1 */
  int has_target, has_baseline;
  double target, baseline;
  double min_growth, max_growth;
  sqlite3_int64 max_days;
} Goal;

/* "'text'" / "12" as the goal holds it, for sentences; NULL when no
** sentences are built (nothing would show it). */
static char *shown(Problems *pr, sqlite3_value *v) {
  return pr->json ? value_repr(v) : NULL;
}

static void check_specific(Goal *g, Problems *pr) {
  static const int who[] = {IN_OWNER, IN_PRODUCT};
  for (int i = 0; i < 2; i++) {
    sqlite3_value *v = g->v[who[i]];
    if (sqlite3_value_type(v) == SQLITE_BLOB)
      note(pr, "specific", "%s must be text, got a blob", IN_NAMES[who[i]]);
    else if (!has_text(v))
      note(pr, "specific", "%s is missing", IN_NAMES[who[i]]);
  }
  sqlite3_value *m = g->v[IN_METRIC];
  if (!has_text(m) && sqlite3_value_type(m) != SQLITE_BLOB) {
    note(pr, "specific", "metric is missing");
  } else if (g->metric < 0) {
    char *r = shown(pr, m);
    note(pr, "specific", "metric %s is not one of " METRIC_LIST, r ? r : "?");
    sqlite3_free(r);
  }
}

static int is_share_metric(int metric) {
  return metric >= 0 && (strcmp(METRICS[metric], "share") == 0 ||
                         strcmp(METRICS[metric], "coverage") == 0);
}
static int is_growth_metric(int metric) {
  return metric >= 0 && strcmp(METRICS[metric], "growth") == 0;
}

static void check_measurable(Goal *g, Problems *pr) {
  static const int which[] = {IN_TARGET, IN_BASELINE};
  int has[2];
  double x[2];
  for (int i = 0; i < 2; i++) {
    const char *name = IN_NAMES[which[i]];
    int rc = read_num(g->v[which[i]], &x[i]);
    has[i] = rc == 1;
    if (rc == 0) {
      note(pr, "measurable", "%s is missing", name);
    } else if (rc < 0) {
      char *r = shown(pr, g->v[which[i]]);
      note(pr, "measurable", "%s %s is not a number", name, r ? r : "?");
      sqlite3_free(r);
    }
  }
  g->has_target = has[0];
  g->has_baseline = has[1];
  g->target = has[0] ? x[0] : 0;
  g->baseline = has[1] ? x[1] : 0;
  if (is_share_metric(g->metric)) {
    const char *mn = METRICS[g->metric];
    if (has[0] && !(x[0] > 0 && x[0] <= 1))
      note(pr, "measurable", "%s target %.15g is not in (0, 1]", mn, x[0]);
    if (has[1] && !(x[1] >= 0 && x[1] <= 1))
      note(pr, "measurable", "%s baseline %.15g is not in [0, 1]", mn, x[1]);
  } else if (!is_growth_metric(g->metric)) {
    /* amounts and counts; a growth rate may be negative */
    if (has[0] && x[0] < 0)
      note(pr, "measurable", "target %.15g is negative", x[0]);
    if (has[1] && x[1] < 0)
      note(pr, "measurable", "baseline %.15g is negative", x[1]);
  }
}

static void check_ambitious(Goal *g, Problems *pr) {
  if (!g->has_target || !g->has_baseline) {
    note(pr, "ambitious", "cannot be judged without numeric target and baseline");
    return;
  }
  double t = g->target, b = g->baseline;
  double bar = b * (1 + g->min_growth);
  if (!(t > b))
    note(pr, "ambitious", "target %.15g does not exceed baseline %.15g", t, b);
  else if (approx_lt(t, bar))
    note(pr, "ambitious",
         "target %.15g is below %.15g, baseline %.15g grown by min_growth %.15g",
         t, bar, b, g->min_growth);
}

static void check_realistic(Goal *g, Problems *pr) {
  double pot;
  int rc = read_num(g->v[IN_POTENTIAL], &pot);
  if (rc < 0) {
    char *r = shown(pr, g->v[IN_POTENTIAL]);
    note(pr, "realistic", "potential %s is not a number", r ? r : "?");
    sqlite3_free(r);
  }
  if (!g->has_target || !g->has_baseline) {
    note(pr, "realistic", "cannot be judged without numeric target and baseline");
    return;
  }
  double t = g->target, b = g->baseline;
  if (rc == 1 && approx_gt(t, pot))
    note(pr, "realistic", "target %.15g exceeds potential %.15g", t, pot);
  /* A baseline of 0 (a launch) has no growth rate to bound. */
  if (b > 0) {
    double growth = (t - b) / b;
    if (approx_gt(t, b * (1 + g->max_growth)))
      note(pr, "realistic",
           "growth %.15g (target %.15g on baseline %.15g) exceeds max_growth %.15g",
           growth, t, b, g->max_growth);
  }
}

static void check_timed(Goal *g, Problems *pr) {
  static const int which[] = {IN_START, IN_DUE};
  sqlite3_int64 d[2];
  int ok[2];
  for (int i = 0; i < 2; i++) {
    sqlite3_value *v = g->v[which[i]];
    int rc = date_from_value(v, &d[i]);
    ok[i] = rc == 1;
    if (rc == 0) {
      note(pr, "timed", "%s is missing", IN_NAMES[which[i]]);
    } else if (rc < 0) {
      char *r = shown(pr, v);
      note(pr, "timed", "%s %s is not a date 'YYYY-MM-DD'", IN_NAMES[which[i]],
           r ? r : "?");
      sqlite3_free(r);
    }
  }
  if (!ok[0] || !ok[1]) return;
  /* the dates are formatted only for a sentence that shows them */
  char s[11] = "", e[11] = "";
  sqlite3_int64 span = date_days(d[0], d[1]);
  int late = d[1] <= d[0], too_long = !late && span > g->max_days;
  if ((late || too_long) && pr->json) {
    date_format(d[0], s);
    date_format(d[1], e);
  }
  if (late)
    note(pr, "timed", "due_date %s is not after start_date %s", e, s);
  else if (too_long)
    note(pr, "timed", "%lld days from %s to %s (both counted) exceed max_days %lld",
         span, s, e, g->max_days);
}

/* ---- the virtual table -------------------------------------------------- */

static void set_err(sqlite3_vtab *vt, char *msg) {
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = msg;
}

/* Reads the optional policy columns of the current row.  Bad policy values
** are errors (a policy bug should not silently pass or fail goals). */
static int read_policy(SmartCursor *c, Goal *g) {
  static const double defaults[] = {0.0, 1.0, 366.0};
  double x[3];
  for (int i = 0; i < 3; i++) {
    sqlite3_value *v = g->v[IN_MIN_GROWTH + i];
    const char *name = IN_NAMES[IN_MIN_GROWTH + i];
    int rc = v ? read_num(v, &x[i]) : 0;
    if (rc == 0) x[i] = defaults[i];
    int bad = rc < 0 || x[i] < 0 ||
              (i == 2 && (x[i] != floor(x[i]) || x[i] < 1));
    if (bad) {
      char *r = value_repr(v);
      char *id = value_repr(g->v[IN_ID]);
      set_err(c->base.pVtab,
              sqlite3_mprintf("%s: %s must be %s, got %s (goal %s)", SMART_FN, name,
                              i == 2 ? "a whole number of days >= 1"
                                     : "a non-negative number",
                              r ? r : "?", id ? id : "?"));
      sqlite3_free(r);
      sqlite3_free(id);
      return SQLITE_ERROR;
    }
  }
  g->min_growth = x[0];
  g->max_growth = x[1];
  /* No span between valid dates is longer than the whole date range, so
  ** anything beyond it means "no limit" (and stays clear of overflow). */
  double all_days = (double)(DATE_MAX_DAY - DATE_MIN_DAY + 1);
  g->max_days = (sqlite3_int64)(x[2] < all_days ? x[2] : all_days);
  return SQLITE_OK;
}

/* Judges the goal the statement sits on; builds the problems array only
** when build is set (the verdicts are the same either way). */
static int evaluate(SmartCursor *c, int build) {
  Goal g;
  memset(&g, 0, sizeof(g));
  for (int i = 0; i < IN_COUNT; i++)
    g.v[i] = c->in[i] >= 0 ? sqlite3_column_value(c->st, c->in[i]) : NULL;
  if (read_policy(c, &g) != SQLITE_OK) return SQLITE_ERROR;
  g.metric = metric_index(g.v[IN_METRIC]);

  Problems pr = {build ? sqlite3_str_new(NULL) : NULL, NULL, 0, 0};
  if (build) sqlite3_str_appendchar(pr.json, 1, '[');
  check_specific(&g, &pr);
  c->pass[0] = close_letter(&pr);
  check_measurable(&g, &pr);
  c->pass[1] = close_letter(&pr);
  check_ambitious(&g, &pr);
  c->pass[2] = close_letter(&pr);
  check_realistic(&g, &pr);
  c->pass[3] = close_letter(&pr);
  check_timed(&g, &pr);
  c->pass[4] = close_letter(&pr);
  for (int i = 0; i < 5; i++) c->flags[i] = c->pass[i] ? "SMART"[i] : '-';
  c->flags[5] = 0;
  sqlite3_free(c->problems);
  c->problems = NULL;
  if (!build) return SQLITE_OK;
  sqlite3_str_appendchar(pr.json, 1, ']');
  if (sqlite3_str_errcode(pr.json)) {
    sqlite3_free(sqlite3_str_finish(pr.json));
    c->problems = NULL;
    return SQLITE_NOMEM;
  }
  c->problems = sqlite3_str_finish(pr.json);
  return SQLITE_OK;
}

static void smart_cursor_reset(SmartCursor *c) {
  sqlite3_finalize(c->st);
  c->st = NULL;
  sqlite3_free(c->problems);
  c->problems = NULL;
  for (sqlite3_int64 i = 0; i < c->nrows; i++) {
    sqlite3_value_free(c->rows[i].id);
    sqlite3_free(c->rows[i].problems);
  }
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->nrows = c->arows = 0;
  c->eof = 1;
  c->rowid = 0;
}

typedef struct SmartVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  QueryConn *qc;
} SmartVtab;

static int smart_connect(sqlite3 *db, void *aux, int argc,
                         const char *const *argv, sqlite3_vtab **out,
                         char **err) {
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(
      db, "CREATE TABLE x(id, specific, measurable, ambitious, realistic, "
          "timed, score, flags, problems, query HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* It runs a query given as text: only top-level SQL (and TEMP views and
  ** triggers, which the connection's own code made) may call it, never a
  ** view or trigger stored in a database file, which could otherwise reach
  ** file-touching functions and tables through the query. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  SmartVtab *vt = sqlite3_malloc64(sizeof(*vt));
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->qc = aux;
  *out = &vt->base;
  return SQLITE_OK;
}

static int smart_disconnect(sqlite3_vtab *vt) {
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int smart_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  SmartCursor *c = sqlite3_malloc64(sizeof(*c));
  if (c == NULL) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static int smart_close(sqlite3_vtab_cursor *cur) {
  SmartCursor *c = (SmartCursor *)cur;
  smart_cursor_reset(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int smart_next(sqlite3_vtab_cursor *cur) {
  SmartCursor *c = (SmartCursor *)cur;
  c->rowid++;
  if (c->rowid > c->nrows) c->eof = 1;
  return SQLITE_OK;
}

/* Steps the query to its end, judging and keeping every goal. */
static int read_goals(SmartCursor *c, sqlite3 *db) {
  int rc;
  while ((rc = sqlite3_step(c->st)) == SQLITE_ROW) {
    if (c->nrows == c->arows) {
      sqlite3_int64 na = c->arows ? c->arows * 2 : 16;
      SmartRow *nr = sqlite3_realloc64(c->rows, (sqlite3_uint64)na * sizeof(*nr));
      if (nr == NULL) return SQLITE_NOMEM;
      c->rows = nr;
      c->arows = na;
    }
    rc = evaluate(c, c->want_problems);
    if (rc != SQLITE_OK) return rc;
    SmartRow *r = &c->rows[c->nrows];
    r->id = sqlite3_value_dup(sqlite3_column_value(c->st, c->in[IN_ID]));
    r->problems = c->problems;
    c->problems = NULL;
    if (r->id == NULL) {
      sqlite3_free(r->problems);
      return SQLITE_NOMEM;
    }
    for (int i = 0; i < 5; i++) r->pass[i] = (unsigned char)c->pass[i];
    c->nrows++;
  }
  if (rc != SQLITE_DONE) {
    set_err(c->base.pVtab, query_error(db, SMART_FN));
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* Prepares the query (checked, see query.h), finds its columns by name and
** reads every goal; errors are set on the vtab. */
static int read_query(SmartCursor *c, QueryConn *qc, sqlite3 *db, int idxNum,
                      const char *text) {
  char *err = NULL;
  if (query_prepare(qc, SMART_FN, text, &c->st, &err)) {
    set_err(c->base.pVtab, err);
    return SQLITE_ERROR;
  }
  for (int i = 0; i < IN_COUNT; i++) c->in[i] = -1;
  int n = sqlite3_column_count(c->st);
  for (int j = n - 1; j >= 0; j--) { /* backwards: the first of duplicates wins */
    const char *name = sqlite3_column_name(c->st, j);
    if (name == NULL) return SQLITE_NOMEM;
    for (int i = 0; i < IN_COUNT; i++)
      if (sqlite3_stricmp(name, IN_NAMES[i]) == 0) c->in[i] = j;
  }
  for (int i = 0; i < IN_REQUIRED; i++) {
    if (c->in[i] < 0) {
      set_err(c->base.pVtab,
              sqlite3_mprintf("%s: query has no column named %s (goals are read "
                              "by column name: id, owner, product, metric, "
                              "baseline, target, potential, start_date, "
                              "due_date)", SMART_FN, IN_NAMES[i]));
      return SQLITE_ERROR;
    }
  }
  c->want_problems = (idxNum & SMART_IDX_PROBLEMS) != 0;
  return read_goals(c, db);
}

static int smart_filter(sqlite3_vtab_cursor *cur, int idxNum,
                        const char *idxStr, int argc, sqlite3_value **argv) {
  SmartCursor *c = (SmartCursor *)cur;
  sqlite3 *db = ((SmartVtab *)cur->pVtab)->db;
  char *err = NULL;
  (void)idxStr;
  smart_cursor_reset(c);
  if (!(idxNum & SMART_IDX_QUERY) || argc < 1) {
    set_err(cur->pVtab, sqlite3_mprintf(
        "%s: a query is required, as in SELECT * FROM smart_check('goal')", SMART_FN));
    return SQLITE_ERROR;
  }
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    char *r = value_repr(argv[0]);
    set_err(cur->pVtab,
            sqlite3_mprintf("%s: query must be a SELECT or a table name, got %s",
                            SMART_FN, r ? r : "?"));
    sqlite3_free(r);
    return SQLITE_ERROR;
  }
  const char *text = (const char *)sqlite3_value_text(argv[0]);
  if (text == NULL) return SQLITE_NOMEM;
  if ((int)strlen(text) != sqlite3_value_bytes(argv[0])) {
    /* SQLite would prepare only the text before the NUL */
    char *r = value_repr(argv[0]);
    set_err(cur->pVtab,
            sqlite3_mprintf("%s: query must be text without NUL characters, got %s",
                            SMART_FN, r ? r : "?"));
    sqlite3_free(r);
    return SQLITE_ERROR;
  }
  QueryConn *qc = ((SmartVtab *)cur->pVtab)->qc;
  if (query_enter(qc, SMART_FN, &err)) {
    set_err(cur->pVtab, err);
    return SQLITE_ERROR;
  }
  int rc = read_query(c, qc, db, idxNum, text);
  query_leave(qc);
  sqlite3_finalize(c->st);
  c->st = NULL;
  if (rc != SQLITE_OK) {
    smart_cursor_reset(c);
    return rc;
  }
  c->eof = 0;
  return smart_next(cur);
}

static int smart_eof(sqlite3_vtab_cursor *cur) {
  return ((SmartCursor *)cur)->eof;
}

static int smart_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx,
                        int col) {
  SmartCursor *c = (SmartCursor *)cur;
  const SmartRow *r = &c->rows[c->rowid - 1];
  switch (col) {
    case SMART_COL_ID:
      sqlite3_result_value(ctx, r->id);
      break;
    case SMART_COL_SPECIFIC:
    case SMART_COL_MEASURABLE:
    case SMART_COL_AMBITIOUS:
    case SMART_COL_REALISTIC:
    case SMART_COL_TIMED:
      sqlite3_result_int(ctx, r->pass[col - SMART_COL_SPECIFIC]);
      break;
    case SMART_COL_SCORE:
      sqlite3_result_int(ctx, r->pass[0] + r->pass[1] + r->pass[2] + r->pass[3] +
                                  r->pass[4]);
      break;
    case SMART_COL_FLAGS: {
      char flags[5];
      for (int i = 0; i < 5; i++) flags[i] = r->pass[i] ? "SMART"[i] : '-';
      sqlite3_result_text(ctx, flags, 5, SQLITE_TRANSIENT);
      break;
    }
    case SMART_COL_PROBLEMS:
      /* Built for every goal when xBestIndex saw the column used; should
      ** SQLite ask for it anyway, say so rather than answer wrongly. */
      if (r->problems == NULL) {
        sqlite3_result_error(ctx, SMART_FN ": internal error: problems column "
                                  "not prepared", -1);
        return SQLITE_ERROR;
      }
      sqlite3_result_text(ctx, r->problems, -1, SQLITE_TRANSIENT);
      break;
    default:
      break; /* the hidden query column reads as NULL */
  }
  return SQLITE_OK;
}

static int smart_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
  *rowid = ((SmartCursor *)cur)->rowid;
  return SQLITE_OK;
}

static int smart_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
  (void)vt;
  int found = -1, unusable = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &info->aConstraint[i];
    if (k->iColumn != SMART_COL_QUERY || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!k->usable) {
      unusable = 1;
      continue;
    }
    found = i;
    break;
  }
  if (found >= 0) {
    info->aConstraintUsage[found].argvIndex = 1;
    info->aConstraintUsage[found].omit = 1;
    info->idxNum = SMART_IDX_QUERY;
    if (info->colUsed & ((sqlite3_uint64)1 << SMART_COL_PROBLEMS))
      info->idxNum |= SMART_IDX_PROBLEMS;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
  }
  /* Tell the planner to try another join order that supplies the query. */
  if (unusable) return SQLITE_CONSTRAINT;
  info->idxNum = 0; /* xFilter will say a query is required */
  info->estimatedCost = 1e12;
  return SQLITE_OK;
}

/* Eponymous only (no xCreate): smart_check exists in every schema and
** cannot be CREATE VIRTUAL TABLE'd. */
static sqlite3_module smart_module = {
    .iVersion = 0,
    .xConnect = smart_connect,
    .xBestIndex = smart_best_index,
    .xDisconnect = smart_disconnect,
    .xOpen = smart_open,
    .xClose = smart_close,
    .xFilter = smart_filter,
    .xNext = smart_next,
    .xEof = smart_eof,
    .xColumn = smart_column,
    .xRowid = smart_rowid,
};

/* The module holds a reference to the connection's state (see
** allocate_register). */
int smart_register(sqlite3 *db, QueryConn *qc) {
  query_conn_ref(qc);
  return sqlite3_create_module_v2(db, "smart_check", &smart_module, qc,
                                  query_conn_unref);
}
