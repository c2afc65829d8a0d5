/*
** sqlsum.c -- SQL's sum() and total() in C, step by step as SQLite's
** func.c adds (see sqlsum.h).
*/
#include "sqlsum.h"

#include <math.h>

int sqlsum_kbn(void) { return sqlite3_libversion_number() >= 3043000; }

/* volatile: the compensation must see each sum rounded to a double, as
** SQLite's does (no fused or extended-precision arithmetic) */
static void kbn_step(SqlSum *p, double r) {
  volatile double s = p->r;
  volatile double t = s + r;
  if (fabs(s) > fabs(r)) p->err += (s - t) + r;
  else p->err += (r - t) + s;
  p->r = t;
}

/* an integer too large for a double's 53 bits goes in as two parts */
static void kbn_int(SqlSum *p, sqlite3_int64 v) {
  if (v <= -4503599627370496LL || v >= 4503599627370496LL) {
    sqlite3_int64 sm = v % 16384;
    kbn_step(p, (double)(v - sm));
    kbn_step(p, (double)sm);
  } else {
    kbn_step(p, (double)v);
  }
}

static void kbn_init(SqlSum *p) {
  sqlite3_int64 v = p->i;
  if (v <= -4503599627370496LL || v >= 4503599627370496LL) {
    sqlite3_int64 sm = v % 16384;
    p->r = (double)(v - sm);
    p->err = (double)sm;
  } else {
    p->r = (double)v;
    p->err = 0.0;
  }
}

void sqlsum_int(SqlSum *p, sqlite3_int64 v, int kbn) {
  if (!kbn) {
    p->r += (double)v;
    if (!p->approx && !p->ovfl && __builtin_add_overflow(p->i, v, &p->i)) p->approx = p->ovfl = 1;
  } else if (!p->approx) {
    sqlite3_int64 x;
    if (!__builtin_add_overflow(p->i, v, &x)) {
      p->i = x;
    } else {
      p->ovfl = 1;
      kbn_init(p);
      p->approx = 1;
      kbn_int(p, v);
    }
  } else {
    kbn_int(p, v);
  }
}

void sqlsum_real(SqlSum *p, double v, int kbn) {
  if (!kbn) {
    p->r += v;
    p->approx = 1;
  } else if (!p->approx) {
    kbn_init(p);
    p->approx = 1;
    kbn_step(p, v);
  } else {
    p->ovfl = 0;
    kbn_step(p, v);
  }
}

int sqlsum_result(sqlite3_context *ctx, const SqlSum *p, int kbn) {
  if (p->ovfl) {
    sqlite3_result_error(ctx, "integer overflow", -1);
    return SQLITE_ERROR;
  }
  if (!p->approx) sqlite3_result_int64(ctx, p->i);
  else if (kbn && !isinf(p->err) && !isnan(p->err)) sqlite3_result_double(ctx, p->r + p->err);
  else sqlite3_result_double(ctx, p->r);
  return SQLITE_OK;
}

/* before 3.43, total() is the plain double sum even of integers */
double sqlsum_total(const SqlSum *p, int kbn) {
  if (!kbn) return p->r;
  if (!p->approx) return (double)p->i;
  return !isinf(p->err) && !isnan(p->err) ? p->r + p->err : p->r;
}
