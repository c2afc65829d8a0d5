/*
** apportion.h -- exact largest-remainder (Hamilton) apportionment with
** bounds: the arithmetic of allocate(), with no SQLite in it, so that it can
** be read, tested and reused on its own (tests/unit/apportion.c).
**
**   ApItem it[3] = {0};
**   ap_split_weight(&it[0], 1, 47000, 0);   // integer weight 47000
**   ap_split_weight(&it[1], 0, 0, 0.25);    // real weight 0.25, exactly
**   ...
**   ApReport rep;
**   if (ap_allocate(it, 3, 10, 0, NULL, &rep) == AP_OK)
**     ... it[i].amount sum to 10 ...
**
** Rule (docs/src/50-allocate.md): every item gets the floor of its quota
** total*w/W and the units left over go to the largest remainders, ties to
** the larger weight, then to the earlier item.  With bounds [lo, hi] the
** amounts solve "amount = clamp(lambda*w, lo, hi), sum = total": items whose
** quota crosses a bound are pinned there (Bitran-Hax: the side whose total
** violation is larger) and the rest is shared again.  A weight is m*2^e
** exactly; quotas are exact integer quotients over a common denominator (in
** 128 bits, or a small multi-limb integer when the magnitudes need more), so
** no floating point decides a floor or a rank.
*/
#ifndef TERRITORY_APPORTION_H
#define TERRITORY_APPORTION_H

#include <stddef.h>
#include <stdint.h>

typedef struct ApItem {
  uint64_t m; /* weight = m * 2^e exactly (m odd, or 0) */
  int e;
  unsigned char hasHi;  /* hi is a bound */
  unsigned char pinned; /* internal */
  int64_t lo, hi;       /* lo >= 0 (0 = none); hi >= lo when hasHi */
  int64_t amount;       /* the result */
} ApItem;

/* Sets it->m, it->e from a non-negative finite weight: iv when isInt, else
** dv. */
void ap_split_weight(ApItem *it, int isInt, int64_t iv, double dv);

typedef enum ApStatus {
  AP_OK = 0,
  AP_NOMEM,
  AP_TOO_MANY,    /* more than 2^32 - 1 items */
  AP_NO_ROWS,     /* no items and a positive total */
  AP_INFEASIBLE,  /* total below the sum of lo or above the sum of hi */
  AP_ALL_ZERO,    /* every weight 0 and a total above the sum of lo */
  AP_OVER_WEIGHTED_MAX, /* total above what positive weights can take */
  AP_INTERNAL     /* a check of the result failed (never expected) */
} ApStatus;

/* Figures for the caller's error message. */
typedef struct ApReport {
  __int128 sumLo, sumHi, sumHiW; /* sumHiW: positive weights at hi, zero at lo */
  int hiUnbounded;               /* some item has no hi */
  size_t row;                    /* AP_INTERNAL about one item, else SIZE_MAX */
  const char *what;              /* AP_INTERNAL: what failed */
} ApReport;

/* Where memory comes from (NULL: malloc/realloc/free), so that a caller can
** count it (allocate uses sqlite3_realloc64, which SQLite's memory
** statistics see). */
typedef struct ApMem {
  void *(*realloc)(void *p, size_t n);
  void (*free)(void *p);
} ApMem;

/* Computes items[i].amount for all i, summing to total exactly.  hasCaps:
** some item has lo > 0 or a hi (otherwise one plain Hamilton pass). */
ApStatus ap_allocate(ApItem *items, size_t n, uint64_t total, int hasCaps,
                     const ApMem *mem, ApReport *rep);

#endif
