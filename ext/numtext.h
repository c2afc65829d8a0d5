/*
** numtext.h -- the one rule for "this text is a number" and "this text is a
** date", shared by every territory function (through ext/args.c and
** ext/dates.c) and meant for the shell too (importer, report parameters,
** charts), so that a value reads the same everywhere.
**
** Text is read BY LENGTH: the caller passes the n bytes it has (for an SQL
** value, sqlite3_value_bytes), never a NUL-terminated prefix.  A NUL byte
** inside the text is just another character that is not a digit, so
** '40' || char(0) || 'abc' is not the number 40 (C's strtod would stop at
** the NUL and say it was).
**
**   number   optional blanks, then a finite decimal number in SQL's spelling
**            (digits, one optional sign, '.', an exponent: '12', ' -3.5 ',
**            '1e3'), then optional blanks, and nothing else.  Not numbers:
**            '', '12abc', '1 2', 'inf', 'nan', '0x10' (hex), anything with a
**            NUL or any other byte.
**   whole    the same, restricted to an optional sign and digits that fit in
**            64 bits ('9223372036854775807' keeps every digit; '3.0' is not
**            whole text -- callers that accept it read it as a number).
**   date     exactly 'YYYY-MM-DD' (strict: a real day of years 0000-9999),
**            or text that is a number (a Julian day; see dates.h).
**
** Use:
**   double d;
**   if (numtext_number(z, n, &d)) ... d is the number ...
**   long long day;
**   if (numtext_date(z, n, &day)) ... day is a Julian day number ...
** Neither function needs a terminator after z[n-1].
*/
#ifndef TERRITORY_NUMTEXT_H
#define TERRITORY_NUMTEXT_H


/* 1 and *out set when z[0..n) is wholly a finite number; else 0. */
int numtext_number(const char *z, int n, double *out);

/* 1 and *out set when z[0..n) is wholly a whole number in digits that fits
** in 64 bits; else 0 (which includes '3.0' and '1e3'). */
int numtext_int64(const char *z, int n, long long *out);

/* 1 and *day (a Julian day number) set when z[0..n) is a strict
** 'YYYY-MM-DD' or a number naming a Julian day within 0000-01-01 ..
** 9999-12-31 (a fraction names the civil day it falls in); else 0. */
int numtext_date(const char *z, int n, long long *day);

#endif
