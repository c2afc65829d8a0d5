/*
** segment.h -- the classification rules of ext/segment.c, shared with the
** set-at-a-time table-valued functions of ext/setwise.c so that
** quadrant()/decile()/abc_class() and segment()/deciles()/abc() can never
** disagree: both call these.
**
**   SegNum u = seg_num_int(3), cut = seg_num_real(2.5);
**   char q = seg_quadrant(&u, &p, &ucut, &pcut);     // 'A'..'D'
**   int k = seg_decile(&vol, &cum, &total);          // 0..10
**   char c = seg_abc(share, 0.80, 0.95);             // 'A' 'B' 'C'
*/
#ifndef TERRITORY_SEGMENT_H
#define TERRITORY_SEGMENT_H

#include "sqlite_api.h"

/* How far a real-valued share may pass an edge by rounding alone and still
** count as on it.  A running SUM() over n rows drifts by about n * 1e-16, so
** this covers millions of rows, while no real customer sits within a
** billionth of a cut. */
#define EDGE_SLACK 1e-9

/* A non-negative number: its value as a double, and exactly when it is a
** whole number that a double cannot be trusted with. */
typedef struct SegNum {
  double d;
  int isInt;
  sqlite3_int64 i;
} SegNum;

/* An integer, or a real (a whole real below 2^53 counts as whole, as the
** scalar functions read 3.0 and 3 alike). */
SegNum seg_num_int(sqlite3_int64 i);
SegNum seg_num_real(double d);

/* Compares two numbers exactly (as SQLite does): -1, 0, +1. */
int seg_num_cmp(const SegNum *a, const SegNum *b);

/* 'A' high usage low potential, 'B' both high, 'C' low usage high
** potential, 'D' both low; high means >= cut. */
char seg_quadrant(const SegNum *usage, const SegNum *potential,
                  const SegNum *usage_cut, const SegNum *potential_cut);

/* Decile 1..10 of a row from its running sum (0 for a zero volume); needs
** volume <= cum <= total (with EDGE_SLACK for reals), total > 0 unless the
** volume is 0. */
int seg_decile(const SegNum *volume, const SegNum *cum, const SegNum *total);

/* 'A' / 'B' / 'C' for a cumulative share with the given cuts. */
char seg_abc(double share, double a_cut, double b_cut);

#endif
