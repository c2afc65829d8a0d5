/*
** sqlsum.h -- SQL's sum() and total(), one value at a time, in C: for the
** table-valued functions that sum in C what a report used to sum with
** GROUP BY, so that their results stay bit for bit what SQL gives on the
** SQLite that runs them.
**
** SQLite adds integers exactly until a real comes (an integer overflow
** makes sum() an error and total() approximate); reals go into a plain
** double sum before 3.43 and into a Kahan-Babuska-Neumaier sum from 3.43
** on (func.c's sumStep).  sqlsum_kbn() says which the running library
** does; pass it to every call.
**
**   SqlSum s = {0};
**   int kbn = sqlsum_kbn();
**   sqlsum_real(&s, 0.1, kbn); sqlsum_real(&s, 0.2, kbn);
**   sqlsum_result(ctx, &s, kbn);         -- as sum() gives it
**   double t = sqlsum_total(&s, kbn);    -- as total() gives it
*/
#ifndef TERRITORY_SQLSUM_H
#define TERRITORY_SQLSUM_H

#include "sqlite_api.h"

#include <stdint.h>

typedef struct SqlSum {
  sqlite3_int64 i;
  double r, err; /* kbn: sum and error; plain: the double sum of all */
  uint8_t approx, ovfl;
} SqlSum;

/* 1 when the running SQLite sums reals the Kahan-Babuska-Neumaier way */
int sqlsum_kbn(void);
void sqlsum_int(SqlSum *p, sqlite3_int64 v, int kbn);
void sqlsum_real(SqlSum *p, double v, int kbn);
/* the sum as sum() gives it (an integer while exact); SQLITE_ERROR with
** "integer overflow" set on ctx, as sum() fails */
int sqlsum_result(sqlite3_context *ctx, const SqlSum *p, int kbn);
/* the sum as total() gives it: always a double, 0.0 for no values */
double sqlsum_total(const SqlSum *p, int kbn);

#endif
