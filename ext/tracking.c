/*
** tracking.c -- follow-up and evaluation (销售跟进与评估): how far a
** period has run, how far the target has been reached, and whether the two
** keep pace.
**
**   achievement(actual, target)                  actual / target
**   time_progress(as_of, start, end)             elapsed days / period days
**   workday_progress(as_of, start, end)          the same, Monday-Friday only
**   workdays(start, end)                         Monday-Friday days, inclusive
**   pace(actual, target, as_of, start, end)      achievement - time_progress
**   run_rate(actual, as_of, start, end)          actual / time_progress
**   pace_status(actual, target, as_of, start, end [, tolerance])
**                                                'ahead' | 'on_track' | 'behind'
**   aging_bucket(due_date, as_of)                'current', '1-30', ... '>120'
**   plan_progress(as_of, period [, weights])     share of the period's plan
**                                                in the months closed by as_of
**
** Periods are inclusive at both ends: on its first day a 31-day month is
** 1/31 elapsed, on its last day 31/31.  Dates are read by ext/dates.c
** (ISO text or Julian day numbers); an as_of that is a literal or a bound
** parameter is read once per statement, not once per row.  Amounts
** (actual, target) are non-negative, like every amount in the extension: a
** net return that makes sales negative is a data question, not a pace.
**
** Example:
**   SELECT pace_status(s.amount, t.amount, '2026-03-15', '2026-01-01',
**                      '2026-03-31') FROM ...;
*/
#include "args.h"
#include "dates.h"
#include "numtext.h"
#include "registry.h"

#include <math.h>

/* Pace within this of the tolerance counts as at the tolerance: 0.55 - 0.5
** is 0.05000000000000004 in binary, and a manager who set 5% expects
** exactly-5%-ahead to be on track. */
#define PACE_EPS 1e-9

/* Reads argv[off..off+n-1] as dates into out[0..n-1]; every argument is
** checked (a bad one is an error even when another is NULL).  Argument
** off + c (c >= 0), the as_of that is nearly always a literal or a bound
** parameter, is read through the per-statement cache of arg_date_const.
** Returns ARG_OK, ARG_NULL or ARG_ERROR. */
static int read_dates(sqlite3_context *ctx, sqlite3_value **argv, int off,
                      int n, int c, const char *fn, const char *const *names,
                      sqlite3_int64 *out) {
  int any_null = 0;
  for (int i = 0; i < n; i++) {
    int rc = i == c ? arg_date_const(ctx, argv, off + i, fn, names[i], &out[i])
                    : arg_date(ctx, argv[off + i], fn, names[i], &out[i]);
    if (rc == ARG_ERROR) return ARG_ERROR;
    if (rc == ARG_NULL) any_null = 1;
  }
  return any_null ? ARG_NULL : ARG_OK;
}

/* Reads (as_of, start, end) from argv[off..off+2]; a period that ends
** before it starts is an error, because every ratio over it would be
** meaningless. */
static int read_period(sqlite3_context *ctx, sqlite3_value **argv, int off,
                       const char *fn, sqlite3_int64 d[3]) {
  static const char *const names[] = {"as_of", "start", "end"};
  int rc = read_dates(ctx, argv, off, 3, 0, fn, names, d);
  if (rc != ARG_OK) return rc;
  if (d[2] < d[1]) {
    char iso[11];
    date_format(d[1], iso);
    char *what = sqlite3_mprintf("on or after start %s", iso);
    arg_error(ctx, fn, "end", argv[off + 2], what ? what : "on or after start");
    sqlite3_free(what);
    return ARG_ERROR;
  }
  return ARG_OK;
}

/* Reads the two non-negative amounts argv[0..1] (actual, target). */
static int read_amounts(sqlite3_context *ctx, sqlite3_value **argv,
                        const char *fn, const char *const *names, double *out) {
  static const ArgReader nonneg[] = {arg_nonneg, arg_nonneg};
  return arg_read_all(ctx, argv, 2, fn, names, nonneg, out);
}

static double time_share(const sqlite3_int64 d[3]) {
  sqlite3_int64 as_of = d[0], start = d[1], end = d[2];
  if (as_of < start) return 0.0;
  if (as_of >= end) return 1.0;
  return (double)date_days(start, as_of) / (double)date_days(start, end);
}

/* -1 when the period holds no workday (the share is undefined). */
static double workday_share(const sqlite3_int64 d[3]) {
  sqlite3_int64 as_of = d[0], start = d[1], end = d[2];
  sqlite3_int64 total = date_workdays(start, end);
  if (total == 0) return -1.0;
  sqlite3_int64 done = date_workdays(start, as_of < end ? as_of : end);
  return (double)done / (double)total;
}

static const char *const AT_NAMES[] = {"actual", "target"};

static void achievement_fn(sqlite3_context *ctx, int argc,
                           sqlite3_value **argv) {
  double a[2];
  (void)argc;
  if (read_amounts(ctx, argv, "achievement", AT_NAMES, a) != ARG_OK) return;
  if (a[1] == 0) return; /* NULL: no target, no achievement rate */
  result_finite(ctx, "achievement", a[0] / a[1]);
}

static void time_progress_fn(sqlite3_context *ctx, int argc,
                             sqlite3_value **argv) {
  sqlite3_int64 d[3];
  (void)argc;
  if (read_period(ctx, argv, 0, "time_progress", d) != ARG_OK) return;
  sqlite3_result_double(ctx, time_share(d));
}

static void workday_progress_fn(sqlite3_context *ctx, int argc,
                                sqlite3_value **argv) {
  sqlite3_int64 d[3];
  (void)argc;
  if (read_period(ctx, argv, 0, "workday_progress", d) != ARG_OK) return;
  double s = workday_share(d);
  if (s >= 0) sqlite3_result_double(ctx, s);
}

static void workdays_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"start", "end"};
  sqlite3_int64 d[2];
  (void)argc;
  if (read_dates(ctx, argv, 0, 2, -1, "workdays", names, d) != ARG_OK) return;
  sqlite3_result_int64(ctx, date_workdays(d[0], d[1]));
}

/* Shared by pace and pace_status: reads the five arguments and computes
** achievement - time_progress.  Returns ARG_OK with *pace set, ARG_NULL
** when the pace is undefined (a NULL argument or a zero target). */
static int compute_pace(sqlite3_context *ctx, sqlite3_value **argv,
                        const char *fn, double *pace) {
  double a[2];
  sqlite3_int64 d[3];
  int rc1 = read_amounts(ctx, argv, fn, AT_NAMES, a);
  if (rc1 == ARG_ERROR) return ARG_ERROR;
  int rc2 = read_period(ctx, argv, 2, fn, d);
  if (rc2 == ARG_ERROR) return ARG_ERROR;
  if (rc1 == ARG_NULL || rc2 == ARG_NULL || a[1] == 0) return ARG_NULL;
  double ach = a[0] / a[1];
  if (!isfinite(ach)) {
    result_finite(ctx, fn, ach);
    return ARG_ERROR;
  }
  *pace = ach - time_share(d);
  return ARG_OK;
}

static void pace_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  double p;
  (void)argc;
  if (compute_pace(ctx, argv, "pace", &p) != ARG_OK) return;
  sqlite3_result_double(ctx, p);
}

static void pace_status_fn(sqlite3_context *ctx, int argc,
                           sqlite3_value **argv) {
  double p, tol = 0.05;
  if (argc > 5) {
    /* NULL tolerance means the default, so reports can pass an unset
    ** :tolerance straight through. */
    int rc = arg_fraction(ctx, argv[5], "pace_status", "tolerance", &tol);
    if (rc == ARG_ERROR) return;
    if (rc == ARG_NULL) tol = 0.05;
  }
  if (compute_pace(ctx, argv, "pace_status", &p) != ARG_OK) return;
  const char *s = p > tol + PACE_EPS    ? "ahead"
                  : p < -tol - PACE_EPS ? "behind"
                                        : "on_track";
  sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
}

static void run_rate_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  double actual;
  sqlite3_int64 d[3];
  (void)argc;
  int rc1 = arg_nonneg(ctx, argv[0], "run_rate", "actual", &actual);
  if (rc1 == ARG_ERROR) return;
  int rc2 = read_period(ctx, argv, 1, "run_rate", d);
  if (rc2 == ARG_ERROR || rc1 == ARG_NULL || rc2 == ARG_NULL) return;
  double t = time_share(d);
  if (t == 0) return; /* NULL: nothing elapsed, nothing to project from */
  result_finite(ctx, "run_rate", actual / t);
}

static void aging_bucket_fn(sqlite3_context *ctx, int argc,
                            sqlite3_value **argv) {
  static const char *const names[] = {"due_date", "as_of"};
  sqlite3_int64 d[2];
  (void)argc;
  if (read_dates(ctx, argv, 0, 2, 1, "aging_bucket", names, d) != ARG_OK) return;
  sqlite3_int64 late = d[1] - d[0];
  const char *b = late <= 0     ? "current"
                  : late <= 30  ? "1-30"
                  : late <= 60  ? "31-60"
                  : late <= 90  ? "61-90"
                  : late <= 120 ? "91-120"
                                : ">120";
  sqlite3_result_text(ctx, b, -1, SQLITE_STATIC);
}

/* ---------------------------------------------------------------- plan_progress
** A phased plan is measured in whole months: sales are monthly, so a month
** counts on both sides (its sales and its plan) once it has ended by as_of,
** and on neither side before.  Counting a month's sales against part of its
** plan would read a mid-month as_of as a month sold in half the time. */

/* Reads 'YYYY', 'YYYY-Qn' or 'YYYY-MM' into the year, first month and month
** count; 1 if valid. */
static int parse_plan_period(const char *z, int n, int *year, int *m0,
                             int *months) {
  if (n < 4) return 0;
  for (int i = 0; i < 4; i++)
    if (z[i] < '0' || z[i] > '9') return 0;
  *year = (z[0] - '0') * 1000 + (z[1] - '0') * 100 + (z[2] - '0') * 10 +
          (z[3] - '0');
  if (n == 4) {
    *m0 = 1;
    *months = 12;
    return 1;
  }
  if (z[4] != '-') return 0;
  if (n == 7 && z[5] == 'Q' && z[6] >= '1' && z[6] <= '4') {
    *m0 = (z[6] - '1') * 3 + 1;
    *months = 3;
    return 1;
  }
  if (n == 7 && z[5] >= '0' && z[5] <= '1' && z[6] >= '0' && z[6] <= '9') {
    int m = (z[5] - '0') * 10 + (z[6] - '0');
    if (m < 1 || m > 12) return 0;
    *m0 = m;
    *months = 1;
    return 1;
  }
  return 0;
}

/* Reads the JSON array z[0..len) of exactly n non-negative finite numbers
** into w; 1 if valid.  Only what a weight array needs: numbers, blanks,
** commas.  Read by length, so a NUL byte anywhere makes it invalid. */
static int is_json_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int parse_weights(const char *z, int len, int n, double *w) {
  const char *end = z + len;
  int k = 0;
  while (z < end && is_json_blank(*z)) z++;
  while (end > z && is_json_blank(end[-1])) end--;
  if (end - z < 2 || *z != '[' || end[-1] != ']') return 0;
  z++;
  end--; /* now [z, end) is between the brackets */
  const char *p = z;
  while (p < end && is_json_blank(*p)) p++;
  if (p == end) return n == 0; /* '[]' */
  for (;;) {
    const char *e = z;
    while (e < end && *e != ',') e++;
    double x;
    if (k >= n || !numtext_number(z, (int)(e - z), &x) || x < 0) return 0;
    w[k++] = x;
    if (e == end) break;
    z = e + 1;
  }
  return k == n;
}

static void plan_progress_fn(sqlite3_context *ctx, int argc,
                             sqlite3_value **argv) {
  static const char *const fn = "plan_progress";
  sqlite3_int64 as_of;
  int rc = arg_date_const(ctx, argv, 0, fn, "as_of", &as_of);
  if (rc == ARG_ERROR) return;
  int null = rc == ARG_NULL;
  int year = 0, m0 = 0, months = 0;
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    null = 1;
  } else {
    /* the type first: reading a blob as text would change its type */
    int blob = sqlite3_value_type(argv[1]) == SQLITE_BLOB;
    const char *z = blob ? NULL : (const char *)sqlite3_value_text(argv[1]);
    int n = blob ? 0 : sqlite3_value_bytes(argv[1]);
    if (z == NULL || !parse_plan_period(z, n, &year, &m0, &months)) {
      arg_error(ctx, fn, "period", argv[1], "'YYYY', 'YYYY-Qn' or 'YYYY-MM'");
      return;
    }
  }
  double w[12];
  if (argc > 2 && sqlite3_value_type(argv[2]) == SQLITE_NULL) null = 1;
  if (argc > 2 && !null) {
    int text = sqlite3_value_type(argv[2]) == SQLITE_TEXT;
    const char *z = text ? (const char *)sqlite3_value_text(argv[2]) : NULL;
    double sum = 0;
    int ok = z && parse_weights(z, sqlite3_value_bytes(argv[2]), months, w);
    for (int i = 0; ok && i < months; i++) sum += w[i];
    if (!ok || !(sum > 0) || !isfinite(sum)) {
      char *what = sqlite3_mprintf(
          "a JSON array of %d non-negative numbers, not all 0, for period %s",
          months, (const char *)sqlite3_value_text(argv[1]));
      arg_error(ctx, fn, "weights", argv[2], what ? what : "a JSON array");
      sqlite3_free(what);
      return;
    }
  }
  if (null) return;
  double done = 0, total = 0;
  for (int i = 0; i < months; i++) {
    int m = m0 + i;
    sqlite3_int64 first = date_from_civil(year, m, 1);
    sqlite3_int64 last = (m == 12 ? date_from_civil(year + 1, 1, 1)
                                  : date_from_civil(year, m + 1, 1)) - 1;
    double x = argc > 2 ? w[i] : (double)(last - first + 1);
    total += x;
    if (last <= as_of) done += x;
  }
  sqlite3_result_double(ctx, done / total);
}

const FunctionSpec tracking_functions[] = {
    {"achievement", 2, PURE, achievement_fn, 0, 0, 0, 0},
    {"time_progress", 3, PURE, time_progress_fn, 0, 0, 0, 0},
    {"workday_progress", 3, PURE, workday_progress_fn, 0, 0, 0, 0},
    {"workdays", 2, PURE, workdays_fn, 0, 0, 0, 0},
    {"pace", 5, PURE, pace_fn, 0, 0, 0, 0},
    {"pace_status", 5, PURE, pace_status_fn, 0, 0, 0, 0},
    {"pace_status", 6, PURE, pace_status_fn, 0, 0, 0, 0},
    {"run_rate", 4, PURE, run_rate_fn, 0, 0, 0, 0},
    {"aging_bucket", 2, PURE, aging_bucket_fn, 0, 0, 0, 0},
    {"plan_progress", 2, PURE, plan_progress_fn, 0, 0, 0, 0},
    {"plan_progress", 3, PURE, plan_progress_fn, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0}};
