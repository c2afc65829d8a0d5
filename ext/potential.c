/*
** potential.c -- market potential of a department or hospital (潜力分析).
**
** SQL functions (all pure, see docs/src/30-potential.md):
**
**   dept_potential(daily_patients, usage_rate, rx_per_patient, workdays)
**       a department's total prescriptions for the period (科室总处方量 =
**       平均每日病人数量 × 使用该药品病人比例 × 每病人处方量 × 工作日)
**   inpatient_volume(beds, occupancy, avg_stay_days, days)
**       admissions over `days`: beds × occupancy × days / avg_stay_days, the
**       bed-based half of the target-hospital extrapolation (目标医院推算法)
**   rx_share(mine, total)
**       mine / total; NULL when total is 0
**   headroom(potential, actual)
**       max(potential - actual, 0)
**
** Usage:
**   SELECT d.name,
**          dept_potential(d.daily_patients, d.usage_rate, d.rx_per_patient, 22)
**     FROM department d;
**
** Every argument is read through args.h, so NULL gives NULL and text that is
** not a number, blobs, NaN and infinities are errors naming the function,
** the argument and the value.  Rates are fractions in [0, 1]; counts, days
** and volumes are non-negative.  A result too large for a double is an error,
** never inf.
*/
#include "args.h"
#include "registry.h"

#include <math.h>

/* Slack allowed when `mine` exceeds `total` only by rounding, e.g. a running
** SUM() of reals against a SUM() taken in another order.  Relative. */
#define SHARE_SLACK 1e-9

/* Reads the arguments in order with the given checker; returns ARG_OK only
** when all are numbers.  A NULL anywhere gives NULL, but a bad value in a
** later argument is still reported, so `f(NULL, 'abc')` is an error rather
** than a NULL that hides the bad input. */
static void dept_potential_fn(sqlite3_context *ctx, int argc,
                              sqlite3_value **argv) {
  static const char *const names[] = {"daily_patients", "usage_rate",
                                      "rx_per_patient", "workdays"};
  static const ArgReader checks[] = {arg_nonneg, arg_fraction, arg_nonneg,
                                   arg_nonneg};
  double a[4];
  (void)argc;
  int rc = arg_read_all(ctx, argv, 4, "dept_potential", names, checks, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  /* The three counts are usually whole numbers, whose product is exact in a
  ** double; applying the rate last leaves a single rounding. */
  result_finite(ctx, "dept_potential", a[0] * a[2] * a[3] * a[1]);
}

static int arg_positive(sqlite3_context *ctx, sqlite3_value *v,
                        const char *fn, const char *name, double *out) {
  int rc = arg_number(ctx, v, fn, name, out);
  if (rc != ARG_OK) return rc;
  if (!(*out > 0)) {
    arg_error(ctx, fn, name, v, "positive");
    return ARG_ERROR;
  }
  return ARG_OK;
}

static void inpatient_volume_fn(sqlite3_context *ctx, int argc,
                                sqlite3_value **argv) {
  static const char *const names[] = {"beds", "occupancy", "avg_stay_days",
                                      "days"};
  static const ArgReader checks[] = {arg_nonneg, arg_fraction, arg_positive,
                                   arg_nonneg};
  double a[4];
  (void)argc;
  int rc = arg_read_all(ctx, argv, 4, "inpatient_volume", names, checks, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  result_finite(ctx, "inpatient_volume", a[0] * a[3] * a[1] / a[2]);
}

static void rx_share_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"mine", "total"};
  static const ArgReader checks[] = {arg_nonneg, arg_nonneg};
  double a[2];
  (void)argc;
  int rc = arg_read_all(ctx, argv, 2, "rx_share", names, checks, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  double mine = a[0], total = a[1];
  if (mine > total * (1 + SHARE_SLACK)) {
    /* A share above 1 means the two numbers do not describe the same
    ** department and period; say both rather than return a share of 130%. */
    char *t = value_repr(argv[1]);
    char *what = sqlite3_mprintf("at most total (%s)", t ? t : "?");
    arg_error(ctx, "rx_share", "mine", argv[0], what ? what : "at most total");
    sqlite3_free(what);
    sqlite3_free(t);
    return;
  }
  if (total == 0) {
    sqlite3_result_null(ctx);
    return;
  }
  double s = mine / total;
  sqlite3_result_double(ctx, s > 1 ? 1.0 : s);
}

static void headroom_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"potential", "actual"};
  static const ArgReader checks[] = {arg_nonneg, arg_nonneg};
  double a[2];
  (void)argc;
  int rc = arg_read_all(ctx, argv, 2, "headroom", names, checks, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  /* Whole counts stay integers (and exact past 2^53); both are >= 0, so the
  ** difference cannot overflow. */
  if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER &&
      sqlite3_value_type(argv[1]) == SQLITE_INTEGER) {
    sqlite3_int64 p = sqlite3_value_int64(argv[0]);
    sqlite3_int64 q = sqlite3_value_int64(argv[1]);
    sqlite3_result_int64(ctx, p > q ? p - q : 0);
    return;
  }
  double h = a[0] - a[1];
  sqlite3_result_double(ctx, h > 0 ? h : 0.0);
}

const FunctionSpec potential_functions[] = {
    {"dept_potential", 4, PURE, dept_potential_fn, 0, 0, 0, 0},
    {"inpatient_volume", 4, PURE, inpatient_volume_fn, 0, 0, 0, 0},
    {"rx_share", 2, PURE, rx_share_fn, 0, 0, 0, 0},
    {"headroom", 2, PURE, headroom_fn, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0}};
