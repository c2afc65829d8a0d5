/*
** dates.c -- date arguments and day counting; see dates.h.
**
** Civil <-> day conversion is Howard Hinnant's days_from_civil /
** civil_from_days (exact integer arithmetic over 400-year eras), shifted
** from the 1970 epoch to Julian day numbers so that the numbers agree with
** SQLite's julianday().
*/
#include "dates.h"

#include "args.h"
#include "numtext.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define UNIX_EPOCH_JDN 2440588 /* 1970-01-01 */

sqlite3_int64 date_from_civil(int y, int m, int d) {
  sqlite3_int64 yy = y - (m <= 2);
  sqlite3_int64 era = (yy >= 0 ? yy : yy - 399) / 400;
  sqlite3_int64 yoe = yy - era * 400;
  sqlite3_int64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  sqlite3_int64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + UNIX_EPOCH_JDN;
}

void date_to_civil(sqlite3_int64 day, int *y, int *m, int *d) {
  sqlite3_int64 z = day - UNIX_EPOCH_JDN + 719468;
  sqlite3_int64 era = (z >= 0 ? z : z - 146096) / 146097;
  sqlite3_int64 doe = z - era * 146097;
  sqlite3_int64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  sqlite3_int64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  sqlite3_int64 mp = (5 * doy + 2) / 153;
  int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
  int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (mm <= 2));
  *m = mm;
  *d = dd;
}

void date_format(sqlite3_int64 day, char out[11]) {
  int y, m, d;
  date_to_civil(day, &y, &m, &d);
  sqlite3_snprintf(11, out, "%04d-%02d-%02d", y, m, d);
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The per-row path of every tracking function: straight-line code on
** the eight digit bytes (one unsigned compare each), no loops, no calls
** beyond date_from_civil. */
int date_from_iso(const char *z, int n, sqlite3_int64 *day) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (n != 10 || z[4] != '-' || z[7] != '-') return 0;
  const unsigned char *u = (const unsigned char *)z;
  unsigned d0 = u[0] - '0', d1 = u[1] - '0', d2 = u[2] - '0', d3 = u[3] - '0';
  unsigned m0 = u[5] - '0', m1 = u[6] - '0', a0 = u[8] - '0', a1 = u[9] - '0';
  if (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || m0 > 9 || m1 > 9 || a0 > 9 || a1 > 9)
    return 0;
  int y = (int)(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  int m = (int)(m0 * 10 + m1), d = (int)(a0 * 10 + a1);
  if (m < 1 || m > 12 || d < 1) return 0;
  if (d > mdays[m - 1] + (m == 2 && is_leap(y))) return 0;
  /* date_from_civil for years 0..9999, where every term is non-negative
  ** and unsigned division by a constant is a multiply (Fliegel & Van
  ** Flandern's JDN formula; tests/sql/tracking.test checks it against
  ** SQLite's julianday() on every day of 1900-2100). */
  unsigned a = (14 - (unsigned)m) / 12, yy = (unsigned)y + 4800 - a;
  unsigned mm = (unsigned)m + 12 * a - 3;
  *day = (sqlite3_int64)((unsigned)d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 -
                         yy / 100 + yy / 400 - 32045);
  return 1;
}

/* A Julian day (possibly fractional) to the civil day it falls in. */
static int date_from_jd(double x, sqlite3_int64 *day) {
  if (!isfinite(x)) return 0;
  double f = floor(x + 0.5);
  if (f < DATE_MIN_DAY || f > DATE_MAX_DAY) return 0;
  *day = (sqlite3_int64)f;
  return 1;
}

int date_from_value(sqlite3_value *v, sqlite3_int64 *day) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return 0;
    case SQLITE_INTEGER: {
      sqlite3_int64 i = sqlite3_value_int64(v);
      if (i < DATE_MIN_DAY || i > DATE_MAX_DAY) return -1;
      *day = i;
      return 1;
    }
    case SQLITE_FLOAT:
      return date_from_jd(sqlite3_value_double(v), day) ? 1 : -1;
    case SQLITE_TEXT: {
      const char *z = (const char *)sqlite3_value_text(v);
      long long d;
      if (z == NULL) return -1;
      if (!numtext_date(z, sqlite3_value_bytes(v), &d)) return -1;
      *day = d;
      return 1;
    }
    default:
      return -1;
  }
}

int arg_date(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
             const char *name, sqlite3_int64 *day) {
  int rc = date_from_value(v, day);
  if (rc == 1) return ARG_OK;
  if (rc == 0) return ARG_NULL;
  arg_error(ctx, fn, name, v, DATE_WHAT);
  return ARG_ERROR;
}

int arg_date_const(sqlite3_context *ctx, sqlite3_value **argv, int i,
                   const char *fn, const char *name, sqlite3_int64 *day) {
  /* The day itself is the pointer (days are 1721060..5373484, never 0 and
  ** well inside 32 bits), so caching costs no allocation of ours. */
  void *p = sqlite3_get_auxdata(ctx, i);
  if (p != NULL) {
    *day = (sqlite3_int64)(uintptr_t)p;
    return ARG_OK;
  }
  int rc = arg_date(ctx, argv[i], fn, name, day);
  if (rc == ARG_OK) sqlite3_set_auxdata(ctx, i, (void *)(uintptr_t)*day, NULL);
  return rc;
}

int date_weekday(sqlite3_int64 day) {
  /* JDN 0 (4714 BC Nov 24, proleptic Gregorian) was a Monday; days are
  ** always positive here (>= DATE_MIN_DAY), so % is non-negative. */
  return (int)(day % 7) + 1;
}

sqlite3_int64 date_days(sqlite3_int64 a, sqlite3_int64 b) {
  return b < a ? 0 : b - a + 1;
}

/* Workdays among days [0, d): whole weeks give 5 each, and the days of the
** last partial week start on a Monday, so the first 5 of them count. */
static sqlite3_int64 workdays_before(sqlite3_int64 d) {
  sqlite3_int64 rem = d % 7;
  return (d / 7) * 5 + (rem < 5 ? rem : 5);
}

sqlite3_int64 date_workdays(sqlite3_int64 a, sqlite3_int64 b) {
  if (b < a) return 0;
  return workdays_before(b + 1) - workdays_before(a);
}
