/*
** dates.h -- reading date arguments and counting days, shared by the
** tracking functions (ext/tracking.c) and smart_check (ext/smart.c).
**
** A date argument is either
**   - ISO-8601 text 'YYYY-MM-DD', strictly: a 4-digit year 0000-9999, a
**     2-digit month 01-12 and a day that exists in that month (leap years by
**     the Gregorian rule), nothing before or after; or
**   - a Julian day number (integer, real, or text that reads wholly as a
**     number), such as SQLite's julianday() returns.  A fractional Julian day
**     names the civil day it falls in: day = floor(x + 0.5), so
**     julianday('2026-01-01') = 2461041.5 and the integer 2461042 both mean
**     2026-01-01.
** Anything else ('2026-02-30', '2026-13-01', '26-1-1', 'yesterday', '',
** a blob, NaN, a Julian day outside 0000-01-01 .. 9999-12-31) is bad input.
**
** Internally a date is its Julian day number (an integer; JDN 0 was a
** Monday), so differences of days are plain subtraction and weekday
** arithmetic is mod 7.
**
** Use:
**   sqlite3_int64 d;
**   int rc = arg_date(ctx, argv[0], "time_progress", "as_of", &d);
**   if (rc != ARG_OK) return;          // NULL result or error already set
*/
#ifndef TERRITORY_DATES_H
#define TERRITORY_DATES_H

#include "sqlite_api.h"

#define DATE_MIN_DAY 1721060 /* 0000-01-01 */
#define DATE_MAX_DAY 5373484 /* 9999-12-31 */

/* The wording of every date error: "fn: name must be DATE_WHAT, got V". */
#define DATE_WHAT "a date 'YYYY-MM-DD' or a Julian day number"

/* Reads a date argument.  Returns ARG_OK, ARG_NULL, or ARG_ERROR with
** "fn: name must be a date 'YYYY-MM-DD' or a Julian day number, got V"
** already set on ctx. */
int arg_date(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
             const char *name, sqlite3_int64 *day);

/* arg_date for argv[i] when the argument is usually the same on every row
** (an as_of given as a literal or a bound parameter): its day is kept with
** sqlite3_set_auxdata, which SQLite keeps for the statement's run only when
** the argument is constant, so a constant is read once per run and anything
** else on every row, as by arg_date.  Same results and errors. */
int arg_date_const(sqlite3_context *ctx, sqlite3_value **argv, int i,
                   const char *fn, const char *name, sqlite3_int64 *day);

/* The same reading without a context: 1 read, 0 NULL, -1 not a date. */
int date_from_value(sqlite3_value *v, sqlite3_int64 *day);

/* Strict 'YYYY-MM-DD' of exactly n bytes; 1 if valid. */
int date_from_iso(const char *z, int n, sqlite3_int64 *day);

/* Julian day number of a civil (proleptic Gregorian) date; no checking. */
sqlite3_int64 date_from_civil(int y, int m, int d);
void date_to_civil(sqlite3_int64 day, int *y, int *m, int *d);
/* 'YYYY-MM-DD' into out (11 bytes with the terminator). */
void date_format(sqlite3_int64 day, char out[11]);

/* ISO weekday: 1 Monday .. 7 Sunday. */
int date_weekday(sqlite3_int64 day);
/* Days from a to b counting both ends; 0 when b < a. */
sqlite3_int64 date_days(sqlite3_int64 a, sqlite3_int64 b);
/* Monday-Friday days from a to b counting both ends; 0 when b < a.  O(1). */
sqlite3_int64 date_workdays(sqlite3_int64 a, sqlite3_int64 b);

#endif
