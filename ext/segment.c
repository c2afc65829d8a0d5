/*
** segment.c -- sorting doctors and customers into classes (医生分类, 客户分类).
**
** SQL functions (all pure, see docs/src/40-segment.md):
**
**   quadrant(usage, potential, usage_cut, potential_cut)
**       'A' high usage, low potential; 'B' high usage, high potential;
**       'C' low usage, high potential; 'D' low usage, low potential.
**       High means >= cut.
**   quadrant_focus(quadrant)
**       the visit-time stance: A 'maintain', B 'grow', C 'develop', D 'reduce'
**   decile(volume, cum_volume, total_volume)
**       prescriber decile 1..10 (10 = top) from a running sum over rows sorted
**       by volume ascending; 0 for a row whose own volume is 0
**   abc_class(cum_share [, a_cut [, b_cut]])
**       Pareto class 'A' / 'B' / 'C' from a cumulative share sorted descending
**
** Usage:
**   SELECT doctor_id,
**          decile(v, sum(v) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING),
**                 sum(v) OVER ())
**     FROM volumes;
**
** Whole-number volumes are handled in integer arithmetic, so a running sum at
** exactly 30% of the total is decile 3, never 4.  Real-valued shares that
** miss an edge only by rounding (0.8000000000000002 for 0.8) count as on the
** edge: the slack is 1e-9 of the total.
*/
#include "segment.h"

#include "args.h"
#include "registry.h"

#include <math.h>

typedef SegNum Num;

SegNum seg_num_int(sqlite3_int64 i) {
  SegNum n = {(double)i, 1, i};
  return n;
}

SegNum seg_num_real(double d) {
  SegNum n = {d, 0, 0};
  if (d == floor(d) && d >= 0 && d <= 9007199254740992.0) {
    /* 3.0 is the whole number 3; below 2^53 the double is exact */
    n.isInt = 1;
    n.i = (sqlite3_int64)d;
  }
  return n;
}

/* Reads a non-negative number; NULL -> ARG_NULL, bad -> ARG_ERROR (set). */
static int read_nonneg(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
                       const char *name, Num *out) {
  int rc = arg_nonneg(ctx, v, fn, name, &out->d);
  if (rc != ARG_OK) return rc;
  if (sqlite3_value_type(v) == SQLITE_INTEGER)
    *out = seg_num_int(sqlite3_value_int64(v));
  else
    *out = seg_num_real(out->d); /* 3.0 or '3' is the whole number 3 */
  return ARG_OK;
}

/* Reads n non-negative arguments; NULL anywhere gives ARG_NULL, but every
** argument is still checked so that a bad value is never hidden by a NULL. */
static int read_all(sqlite3_context *ctx, sqlite3_value **argv, int n,
                    const char *fn, const char *const *names, Num *out) {
  int sawNull = 0;
  for (int i = 0; i < n; i++) {
    int rc = read_nonneg(ctx, argv[i], fn, names[i], &out[i]);
    if (rc == ARG_ERROR) return ARG_ERROR;
    if (rc == ARG_NULL) sawNull = 1;
  }
  return sawNull ? ARG_NULL : ARG_OK;
}

/* Compares an integer with a double exactly (as SQLite does): -1, 0, +1. */
static int cmp_int_double(sqlite3_int64 i, double r) {
  if (r < -9223372036854775808.0) return 1;
  if (r >= 9223372036854775808.0) return -1;
  sqlite3_int64 y = (sqlite3_int64)r;
  if (i < y) return -1;
  if (i > y) return 1;
  double s = (double)i;
  if (s < r) return -1;
  if (s > r) return 1;
  return 0;
}

int seg_num_cmp(const Num *a, const Num *b) {
  if (a->isInt && b->isInt) return (a->i > b->i) - (a->i < b->i);
  if (a->isInt) return cmp_int_double(a->i, b->d);
  if (b->isInt) return -cmp_int_double(b->i, a->d);
  return (a->d > b->d) - (a->d < b->d);
}

/* Sets "fn: name must be REL other (OTHERVALUE), got VALUE". */
static void relation_error(sqlite3_context *ctx, const char *fn,
                           const char *name, sqlite3_value *v,
                           const char *rel, sqlite3_value *other) {
  char *o = value_repr(other);
  char *what = sqlite3_mprintf("%s (%s)", rel, o ? o : "?");
  arg_error(ctx, fn, name, v, what ? what : rel);
  sqlite3_free(what);
  sqlite3_free(o);
}

static void quadrant_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"usage", "potential", "usage_cut",
                                      "potential_cut"};
  Num a[4];
  (void)argc;
  int rc = read_all(ctx, argv, 4, "quadrant", names, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  static const char *const letter[] = {"A", "B", "C", "D"};
  sqlite3_result_text(ctx, letter[seg_quadrant(&a[0], &a[1], &a[2], &a[3]) - 'A'],
                      1, SQLITE_STATIC);
}

char seg_quadrant(const Num *usage, const Num *potential, const Num *usage_cut,
                  const Num *potential_cut) {
  int highUsage = seg_num_cmp(usage, usage_cut) >= 0;
  int highPotential = seg_num_cmp(potential, potential_cut) >= 0;
  return highUsage ? (highPotential ? 'B' : 'A') : (highPotential ? 'C' : 'D');
}

static void quadrant_focus_fn(sqlite3_context *ctx, int argc,
                              sqlite3_value **argv) {
  static const char *const focus[] = {"maintain", "grow", "develop", "reduce"};
  const char *z;
  (void)argc;
  int rc = arg_text(ctx, argv[0], "quadrant_focus", "quadrant", &z);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  /* Lower case is accepted because hand-typed class columns often use it. */
  int k = -1;
  if (z[0] != 0 && z[1] == 0) {
    if (z[0] >= 'A' && z[0] <= 'D') k = z[0] - 'A';
    if (z[0] >= 'a' && z[0] <= 'd') k = z[0] - 'a';
  }
  if (k < 0) {
    arg_error(ctx, "quadrant_focus", "quadrant", argv[0], "one of A, B, C, D");
    return;
  }
  sqlite3_result_text(ctx, focus[k], -1, SQLITE_STATIC);
}

/* ceil(10 * cum / total) for whole numbers, exactly, with 0 <= cum <= total
** and total > 0: the smallest k with 10 * cum <= k * total.  Written as
** cum <= floor(k * total / 10) with the division split so that nothing can
** overflow, even for totals near 2^63. */
static sqlite3_int64 decile_exact(sqlite3_int64 cum, sqlite3_int64 total) {
  sqlite3_int64 tenth = total / 10, rest = total % 10;
  for (int k = 1; k < 10; k++)
    if (cum <= k * tenth + (k * rest) / 10) return k;
  return 10;
}

static void decile_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"volume", "cum_volume", "total_volume"};
  Num a[3];
  (void)argc;
  int rc = read_all(ctx, argv, 3, "decile", names, a);
  if (rc == ARG_NULL) sqlite3_result_null(ctx);
  if (rc != ARG_OK) return;
  const Num *vol = &a[0], *cum = &a[1], *tot = &a[2];
  int exact = vol->isInt && cum->isInt && tot->isInt;
  /* Running sums of reals may pass the total, or fall short of the row's own
  ** volume, by rounding; whole numbers get no slack. */
  if (exact ? cum->i > tot->i : cum->d > tot->d * (1 + EDGE_SLACK)) {
    relation_error(ctx, "decile", "cum_volume", argv[1], "at most total_volume",
                   argv[2]);
    return;
  }
  if (exact ? cum->i < vol->i : cum->d < vol->d * (1 - EDGE_SLACK)) {
    relation_error(ctx, "decile", "cum_volume", argv[1], "at least volume",
                   argv[0]);
    return;
  }
  sqlite3_result_int(ctx, seg_decile(vol, cum, tot));
}

int seg_decile(const Num *vol, const Num *cum, const Num *tot) {
  if (vol->d == 0) return 0;
  sqlite3_int64 k;
  if (vol->isInt && cum->isInt && tot->isInt) {
    k = decile_exact(cum->i, tot->i);
  } else {
    /* divide first: 10 * cum may overflow, cum / total is at most ~1 */
    double r = 10.0 * (cum->d / tot->d);
    k = (sqlite3_int64)ceil(r - 10.0 * EDGE_SLACK);
  }
  if (k < 1) k = 1;
  if (k > 10) k = 10;
  return (int)k;
}

/* A share in [0, 1], allowing 1 + slack for a running share's last row. */
static int read_share(sqlite3_context *ctx, sqlite3_value *v,
                      const char *name, double *out) {
  int rc = arg_number(ctx, v, "abc_class", name, out);
  if (rc != ARG_OK) return rc;
  if (*out < 0 || *out > 1 + EDGE_SLACK) {
    arg_error(ctx, "abc_class", name, v, "between 0 and 1");
    return ARG_ERROR;
  }
  return ARG_OK;
}

static void abc_class_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  double share, cut[2] = {0.80, 0.95};
  static const char *const names[] = {"a_cut", "b_cut"};
  int sawNull = 0;
  int rc = read_share(ctx, argv[0], "cum_share", &share);
  if (rc == ARG_ERROR) return;
  if (rc == ARG_NULL) sawNull = 1;
  /* A NULL cut means "the default", so a report can pass a settings value
  ** that may be missing. */
  for (int i = 1; i < argc; i++) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    rc = arg_fraction(ctx, argv[i], "abc_class", names[i - 1], &cut[i - 1]);
    if (rc == ARG_ERROR) return;
  }
  if (cut[0] > cut[1]) {
    if (argc >= 3 && sqlite3_value_type(argv[2]) != SQLITE_NULL) {
      char *what = sqlite3_mprintf("at least a_cut (%.15g)", cut[0]);
      arg_error(ctx, "abc_class", "b_cut", argv[2], what ? what : "at least a_cut");
      sqlite3_free(what);
    } else {
      arg_error(ctx, "abc_class", "a_cut", argv[1],
                "at most the default b_cut (0.95)");
    }
    return;
  }
  if (sawNull) {
    sqlite3_result_null(ctx);
    return;
  }
  static const char *const letter[] = {"A", "B", "C"};
  sqlite3_result_text(ctx, letter[seg_abc(share, cut[0], cut[1]) - 'A'], 1,
                      SQLITE_STATIC);
}

char seg_abc(double share, double a_cut, double b_cut) {
  return share <= a_cut + EDGE_SLACK ? 'A' : share <= b_cut + EDGE_SLACK ? 'B' : 'C';
}

const FunctionSpec segment_functions[] = {
    {"quadrant", 4, PURE, quadrant_fn, 0, 0, 0, 0},
    {"quadrant_focus", 1, PURE, quadrant_focus_fn, 0, 0, 0, 0},
    {"decile", 3, PURE, decile_fn, 0, 0, 0, 0},
    {"abc_class", 1, PURE, abc_class_fn, 0, 0, 0, 0},
    {"abc_class", 2, PURE, abc_class_fn, 0, 0, 0, 0},
    {"abc_class", 3, PURE, abc_class_fn, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0}};
