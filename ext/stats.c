/*
** stats.c -- median and percentiles, as aggregates and as window functions.
**
** SQL functions (see docs/src/20-stats.md):
**
**   median(x)              the middle value, interpolated: percentile(x, 50)
**   percentile(x, p)       p in [0, 100]: the value p% of the way from the
**                          smallest to the largest x, interpolated
**   percentile_cont(x, f)  f in [0, 1]: percentile(x, 100 * f)
**   percentile_disc(x, f)  f in [0, 1]: the input value at or just below
**                          that point (never an interpolated value)
**
** Usage:
**   SELECT territory, median(amount), percentile(amount, 90)
**     FROM sale GROUP BY territory;
**   SELECT doctor, amount,
**          median(amount) OVER (PARTITION BY territory) AS cut
**     FROM doctor_volume;
**   SELECT period, median(amount) OVER (ORDER BY period
**          ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM monthly;
**
** Results and refusals are those of SQLite's own ext/misc/percentile.c
** (3.47 and later), so a query answers the same whichever one is loaded:
**
**   - the n non-NULL x, sorted, are joined by straight lines; the result is
**     the height at position f*(n-1) (f = p/100).  percentile_disc takes the
**     value at floor(f*(n-1)).  Always a REAL, or NULL when no x is non-NULL;
**   - NULL x are skipped; an x that is text or a blob is an error even when
**     it reads as a number ('12'), and so is an infinite x;
**   - p (or f) is checked on every row, NULL rows of x included: NULL, text
**     that is not a number, a blob or a value out of range is an error;
**     text that reads as a number is accepted, as SQLite's numeric affinity
**     does;
**   - p must be the same on every row of a group (of a window partition):
**     two fractions f more than 0.001 apart are an error.  The first one is
**     used.
** The errors are worded our way ("percentile: p must be between 0 and 100,
** got 101").  One deliberate difference: when two neighbours are so far
** apart that their difference overflows (-1e308 and 1e308), SQLite returns
** inf; we compute the point between them in a way that cannot overflow.
**
** Speed.  The values live in one growable array of sortable 64-bit keys
** (see key_of); the front part a[0..nSorted) is sorted, values added since
** the last result wait unsorted behind it.  A result sorts only that tail
** (the whole array the first time, with a radix sort when it is large) and
** merges it in, so a frame that covers the whole partition is sorted once
** and every further row of it costs O(1).  Small sliding frames remove a
** value by binary search and memmove and add one by binary insertion:
** O(frame) per row.  A frame of more than BLOCK_MIN values that keeps
** changing (a running median, a wide sliding frame) moves into sorted blocks
** of at most BLOCK_MAX keys, so a change costs O(BLOCK_MAX + blocks) rather
** than O(frame): a running median over 1,000,000 rows takes about a second
** instead of twenty.  Memory: 8 bytes per value in the frame (up to 32 in
** blocked mode), plus a transient buffer of the same size during a sort.
*/
#include "args.h"
#include "registry.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Fractions closer than this count as "the same" (SQLite's rule). */
#define SAME_FRACTION 0.001
/* Below this many values a comparison sort beats eight radix passes. */
#define RADIX_MIN 2048
/* Tails of at most this many values are inserted one by one rather than
** sorted and merged. */
#define INSERT_MAX 8
/* Frames of this many values that keep changing switch to sorted blocks of
** at most BLOCK_MAX keys (see block_insert). */
#define BLOCK_MIN 8192
#define BLOCK_MAX 1024

typedef struct Block {
  unsigned n;        /* keys in v[], 1..BLOCK_MAX */
  uint64_t v[];      /* sorted */
} Block;

typedef struct Percent {
  size_t n;          /* non-NULL x in the frame */
  /* flat mode: */
  uint64_t *a;       /* their keys */
  size_t nAlloc;     /* slots in a[] */
  size_t nSorted;    /* a[0..nSorted) is sorted; the rest is not */
  /* blocked mode: */
  int blocked;       /* the keys are in blk[], not a[] */
  Block **blk;       /* sorted blocks, in order */
  size_t nBlk, nBlkAlloc;
  int lost;          /* out of memory lost a value: no more results */
  int hasFrac;       /* frac and pGiven are set */
  double frac;       /* the fraction in [0, 1] from the first row */
  double pGiven;     /* the same as the user wrote it (p or f) */
} Percent;

typedef struct PercentKind {
  const char *fn;     /* function name for errors */
  const char *arg;    /* name of the fraction argument */
  double scale;       /* p / scale is the fraction: 100 or 1 */
  int discrete;       /* percentile_disc */
} PercentKind;

static const PercentKind kMedian = {"median", "p", 1.0, 0};
static const PercentKind kPercentile = {"percentile", "p", 100.0, 0};
static const PercentKind kCont = {"percentile_cont", "f", 1.0, 0};
static const PercentKind kDisc = {"percentile_disc", "f", 1.0, 1};

/* ---- keys: doubles as unsigned integers that sort in the same order, so
** that sorting, searching and radix passes work on plain integers.  Flip
** every bit of a negative number, only the sign bit of a positive one. */
static uint64_t key_of(double d) {
  uint64_t u;
  if (d == 0) d = 0.0; /* -0.0 and 0.0 are one value */
  memcpy(&u, &d, sizeof u);
  return (u >> 63) ? ~u : (u | 0x8000000000000000ull);
}

static double double_of(uint64_t k) {
  uint64_t u = (k >> 63) ? (k & 0x7fffffffffffffffull) : ~k;
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

/* ---- sorting */

static void insertion_sort(uint64_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint64_t v = a[i];
    size_t j = i;
    while (j > 0 && a[j - 1] > v) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = v;
  }
}

/* Three-way quicksort: runs of equal values (common in sales counts) are
** set aside in one pass.  Recursion goes into the smaller side, so the stack
** stays O(log n); used only below RADIX_MIN or when no buffer is free. */
static void quick_sort(uint64_t *a, size_t n) {
  while (n > 16) {
    uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x))
                           : (x < z ? x : (y < z ? z : y));
    size_t lt = 0, i = 0, gt = n;
    while (i < gt) {
      if (a[i] < pivot) {
        uint64_t t = a[i]; a[i] = a[lt]; a[lt] = t;
        lt++; i++;
      } else if (a[i] > pivot) {
        gt--;
        uint64_t t = a[i]; a[i] = a[gt]; a[gt] = t;
      } else {
        i++;
      }
    }
    if (lt < n - gt) {
      quick_sort(a, lt);
      a += gt;
      n -= gt;
    } else {
      quick_sort(a + gt, n - gt);
      n = lt;
    }
  }
  insertion_sort(a, n);
}

/* LSD radix sort, 8 bits a pass; passes where every key has the same byte
** (the exponent bytes of similar-sized numbers) are skipped.  tmp holds n. */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n) {
  size_t count[8][256];
  memset(count, 0, sizeof count);
  for (size_t i = 0; i < n; i++) {
    uint64_t k = a[i];
    for (int b = 0; b < 8; b++) count[b][(k >> (8 * b)) & 0xff]++;
  }
  uint64_t *src = a, *dst = tmp;
  for (int b = 0; b < 8; b++) {
    size_t *c = count[b];
    if (c[(src[0] >> (8 * b)) & 0xff] == n) continue;
    size_t sum = 0;
    for (int d = 0; d < 256; d++) {
      size_t t = c[d];
      c[d] = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; i++) dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
    uint64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

static void sort_keys(uint64_t *a, size_t n) {
  if (n >= RADIX_MIN) {
    uint64_t *tmp = sqlite3_malloc64(n * sizeof *tmp);
    if (tmp) {
      radix_sort(a, tmp, n);
      sqlite3_free(tmp);
      return;
    }
  }
  quick_sort(a, n);
}

/* First index whose key is >= k in the sorted a[0..n). */
static size_t lower_bound(const uint64_t *a, size_t n, uint64_t k) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid] < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* ---- blocked mode: a large frame that keeps changing.  Inserting into or
** removing from one sorted array moves half of it each time, which for a
** running median over a million rows is hours of memmove.  Instead the
** values live in sorted blocks of at most BLOCK_MAX keys (every key of a
** block <= every key of the next), so a change moves at most one block and
** the pointer list, and a rank is found by summing block sizes. */

static Block *block_new(void) {
  Block *b = sqlite3_malloc64(sizeof *b + BLOCK_MAX * sizeof b->v[0]);
  if (b) b->n = 0;
  return b;
}

/* Room for one more block pointer. */
static int blocks_reserve(Percent *p) {
  if (p->nBlk < p->nBlkAlloc) return 1;
  size_t want = p->nBlkAlloc ? p->nBlkAlloc * 2 : 16;
  Block **nb = sqlite3_realloc64(p->blk, want * sizeof *nb);
  if (nb == NULL) return 0;
  p->blk = nb;
  p->nBlkAlloc = want;
  return 1;
}

static void blocks_free(Percent *p) {
  for (size_t i = 0; i < p->nBlk; i++) sqlite3_free(p->blk[i]);
  sqlite3_free(p->blk);
  p->blk = NULL;
  p->nBlk = p->nBlkAlloc = 0;
}

/* The block where k is or belongs: the first whose last key is >= k (so
** no earlier block can hold k), else the last block.  nBlk > 0. */
static size_t block_find(const Percent *p, uint64_t k) {
  size_t lo = 0, hi = p->nBlk - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const Block *b = p->blk[mid];
    if (b->v[b->n - 1] < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void block_drop(Percent *p, size_t i) {
  sqlite3_free(p->blk[i]);
  memmove(p->blk + i, p->blk + i + 1, (p->nBlk - i - 1) * sizeof *p->blk);
  p->nBlk--;
}

static int block_insert(Percent *p, uint64_t k) {
  if (p->nBlk == 0) {
    Block *b;
    if (!blocks_reserve(p) || (b = block_new()) == NULL) return 0;
    p->blk[p->nBlk++] = b;
  }
  size_t i = block_find(p, k);
  Block *b = p->blk[i];
  if (b->n == BLOCK_MAX) {
    /* split before inserting, so running out of memory changes nothing */
    Block *c;
    if (!blocks_reserve(p) || (c = block_new()) == NULL) return 0;
    c->n = BLOCK_MAX / 2;
    b->n = BLOCK_MAX - c->n;
    memcpy(c->v, b->v + b->n, c->n * sizeof c->v[0]);
    memmove(p->blk + i + 2, p->blk + i + 1, (p->nBlk - i - 1) * sizeof *p->blk);
    p->blk[i + 1] = c;
    p->nBlk++;
    if (k > b->v[b->n - 1]) b = c;
  }
  size_t at = lower_bound(b->v, b->n, k);
  memmove(b->v + at + 1, b->v + at, (b->n - at) * sizeof b->v[0]);
  b->v[at] = k;
  b->n++;
  p->n++;
  return 1;
}

static void block_remove(Percent *p, uint64_t k) {
  if (p->nBlk == 0) return;
  size_t i = block_find(p, k);
  Block *b = p->blk[i];
  size_t at = lower_bound(b->v, b->n, k);
  if (at == b->n || b->v[at] != k) return;
  memmove(b->v + at, b->v + at + 1, (b->n - at - 1) * sizeof b->v[0]);
  b->n--;
  p->n--;
  if (b->n == 0) {
    block_drop(p, i);
    return;
  }
  /* keep neighbours from both running nearly empty, so that any two
  ** adjacent blocks hold more than BLOCK_MAX/2 keys and there are fewer
  ** than 4n/BLOCK_MAX + 1 blocks */
  for (size_t j = i > 0 ? i - 1 : i; j <= i && j + 1 < p->nBlk; j++) {
    Block *x = p->blk[j], *y = p->blk[j + 1];
    if (x->n + y->n <= BLOCK_MAX / 2) {
      memcpy(x->v + x->n, y->v, y->n * sizeof y->v[0]);
      x->n += y->n;
      block_drop(p, j + 1);
      return;
    }
  }
}

/* Moves the sorted a[0..n) into blocks half full.  Returns 0 (and leaves
** p as it was) when out of memory. */
static int make_blocked(Percent *p) {
  size_t half = BLOCK_MAX / 2, nb = (p->n + half - 1) / half;
  Block **blk = sqlite3_malloc64((nb + 16) * sizeof *blk);
  if (blk == NULL) return 0;
  for (size_t i = 0; i < nb; i++) {
    blk[i] = block_new();
    if (blk[i] == NULL) {
      while (i > 0) sqlite3_free(blk[--i]);
      sqlite3_free(blk);
      return 0;
    }
    size_t from = i * half, m = p->n - from < half ? p->n - from : half;
    memcpy(blk[i]->v, p->a + from, m * sizeof p->a[0]);
    blk[i]->n = (unsigned)m;
  }
  sqlite3_free(p->a);
  p->a = NULL;
  p->nAlloc = p->nSorted = 0;
  p->blk = blk;
  p->nBlk = nb;
  p->nBlkAlloc = nb + 16;
  p->blocked = 1;
  return 1;
}

/* The key of rank i (0-based) among all values. */
static uint64_t key_at(const Percent *p, size_t i) {
  if (!p->blocked) return p->a[i];
  if (i < p->n / 2) {
    for (size_t b = 0;; b++) {
      if (i < p->blk[b]->n) return p->blk[b]->v[i];
      i -= p->blk[b]->n;
    }
  }
  size_t back = p->n - 1 - i; /* rank from the end */
  for (size_t b = p->nBlk;;) {
    const Block *x = p->blk[--b];
    if (back < x->n) return x->v[x->n - 1 - back];
    back -= x->n;
  }
}

/* Makes every value sorted (in a[] or in blocks).  Returns 0 when out of
** memory. */
static int settle(Percent *p) {
  if (p->blocked) return 1;
  size_t s = p->nSorted, k = p->n - s;
  if (k == 0) return 1;
  if (s == 0 || k > s) {
    /* the first result of a frame, or more new than old: sort it all */
    sort_keys(p->a, p->n);
  } else if (s >= BLOCK_MIN && k <= s / 64) {
    /* a few values into a large frame, and more will follow: go blocked */
    uint64_t *t = sqlite3_malloc64(k * sizeof *t);
    if (t == NULL) return 0;
    memcpy(t, p->a + s, k * sizeof *t);
    p->n = s;
    if (!make_blocked(p)) {
      p->n = s + k;
      sqlite3_free(t);
      return 0;
    }
    for (size_t i = 0; i < k; i++) {
      if (!block_insert(p, t[i])) {
        p->lost = 1; /* every later result of this frame is an error */
        sqlite3_free(t);
        return 0;
      }
    }
    sqlite3_free(t);
    return 1;
  } else if (k <= INSERT_MAX) {
    for (size_t i = s; i < p->n; i++) {
      uint64_t v = p->a[i];
      size_t at = lower_bound(p->a, i, v);
      memmove(p->a + at + 1, p->a + at, (i - at) * sizeof *p->a);
      p->a[at] = v;
    }
  } else {
    /* sort the tail aside and merge from the back, so only the tail needs a
    ** buffer */
    uint64_t *t = sqlite3_malloc64(k * sizeof *t);
    if (t == NULL) return 0;
    memcpy(t, p->a + s, k * sizeof *t);
    sort_keys(t, k);
    size_t i = s, j = k, out = p->n;
    while (j > 0) {
      if (i > 0 && p->a[i - 1] > t[j - 1])
        p->a[--out] = p->a[--i];
      else
        p->a[--out] = t[--j];
    }
    sqlite3_free(t);
  }
  p->nSorted = p->n;
  return 1;
}

/* ---- step, inverse, value, final */

/* Sets "fn: p must be between 0 and 100, got v" style errors. */
static void range_error(sqlite3_context *ctx, const PercentKind *kind,
                        sqlite3_value *v) {
  char *what = sqlite3_mprintf("between 0 and %g", kind->scale);
  arg_error(ctx, kind->fn, kind->arg, v, what ? what : "in range");
  sqlite3_free(what);
}

static void step(sqlite3_context *ctx, sqlite3_value **argv,
                 const PercentKind *kind, int hasFraction) {
  double given = 50, frac = 0.5;
  if (hasFraction) {
    /* Checked on every row before x, NULL x included, as SQLite does: a bad
    ** p is never hidden by the data. */
    sqlite3_value *vp = argv[1];
    int rc = arg_number(ctx, vp, kind->fn, kind->arg, &given);
    if (rc == ARG_ERROR) return;
    if (rc == ARG_NULL) {
      range_error(ctx, kind, vp);
      return;
    }
    frac = given / kind->scale;
    if (!(frac >= 0.0 && frac <= 1.0)) {
      range_error(ctx, kind, vp);
      return;
    }
  }
  Percent *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (p == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!p->hasFrac) {
    p->hasFrac = 1;
    p->frac = frac;
    p->pGiven = given;
  } else if (fabs(p->frac - frac) > SAME_FRACTION) {
    char *msg = sqlite3_mprintf(
        "%s: %s must be the same on every row of a group, got %.15g then "
        "%.15g",
        kind->fn, kind->arg, p->pGiven, given);
    sqlite3_result_error(ctx, msg ? msg : "fraction changed", -1);
    sqlite3_free(msg);
    return;
  }

  sqlite3_value *vx = argv[0];
  int t = sqlite3_value_type(vx);
  if (t == SQLITE_NULL) return;
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) {
    /* even '12': SQLite's percentile refuses text, so we do too */
    arg_error(ctx, kind->fn, "x", vx, "a number");
    return;
  }
  double y = sqlite3_value_double(vx);
  if (!isfinite(y)) {
    arg_error(ctx, kind->fn, "x", vx, "a finite number");
    return;
  }

  uint64_t k = key_of(y);
  if (p->blocked) {
    if (!block_insert(p, k)) sqlite3_result_error_nomem(ctx);
    return;
  }
  if (p->n == p->nAlloc) {
    size_t want = p->nAlloc ? p->nAlloc * 2 : 64;
    uint64_t *a = sqlite3_realloc64(p->a, want * sizeof *a);
    if (a == NULL) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    p->a = a;
    p->nAlloc = want;
  }
  /* in-order arrivals (ORDER BY x frames, presorted data) stay sorted */
  if (p->nSorted == p->n && (p->n == 0 || k >= p->a[p->n - 1])) p->nSorted++;
  p->a[p->n++] = k;
}

static void inverse(sqlite3_context *ctx, sqlite3_value **argv) {
  Percent *p = sqlite3_aggregate_context(ctx, 0);
  if (p == NULL || p->n == 0) return;
  /* Only values that step() accepted were added: anything else would have
  ** ended the statement with an error. */
  int t = sqlite3_value_type(argv[0]);
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return;
  double y = sqlite3_value_double(argv[0]);
  if (!isfinite(y)) return;
  uint64_t k = key_of(y);
  if (!p->blocked && p->n >= BLOCK_MIN) {
    /* a large frame that slides: removals would each move half of it */
    if (settle(p) && !p->blocked) make_blocked(p);
  }
  if (p->blocked) {
    block_remove(p, k);
    return;
  }
  size_t at = lower_bound(p->a, p->nSorted, k);
  if (at < p->nSorted && p->a[at] == k) {
    memmove(p->a + at, p->a + at + 1, (p->n - at - 1) * sizeof *p->a);
    p->nSorted--;
    p->n--;
    return;
  }
  for (size_t i = p->nSorted; i < p->n; i++) {
    if (p->a[i] == k) {
      p->a[i] = p->a[--p->n];
      return;
    }
  }
}

static void compute(sqlite3_context *ctx, const PercentKind *kind,
                    int isFinal) {
  Percent *p = sqlite3_aggregate_context(ctx, 0);
  if (p == NULL) return; /* no rows: NULL */
  if (p->lost) {
    sqlite3_result_error_nomem(ctx);
  } else if (p->n > 0) {
    if (!settle(p)) {
      sqlite3_result_error_nomem(ctx);
    } else {
      /* SQLite's arithmetic, step for step, so results agree to the bit */
      double ix = p->frac * (double)(p->n - 1);
      size_t i1 = (size_t)ix;
      double v1 = double_of(key_at(p, i1));
      if (kind->discrete) {
        sqlite3_result_double(ctx, v1);
      } else {
        size_t i2 = (ix == (double)i1 || i1 == p->n - 1) ? i1 : i1 + 1;
        double v2 = double_of(key_at(p, i2));
        double w = ix - (double)i1;
        double r = v1 + (v2 - v1) * w;
        /* v2 - v1 overflows only when the two have opposite signs, and
        ** then these two terms cannot */
        if (!isfinite(r)) r = v1 * (1 - w) + v2 * w;
        result_finite(ctx, kind->fn, r);
      }
    }
  }
  if (isFinal) {
    sqlite3_free(p->a);
    blocks_free(p);
    memset(p, 0, sizeof *p);
  }
}

#define PERCENT_FUNCS(NAME, KIND, HASFRAC)                                    \
  static void NAME##_step(sqlite3_context *ctx, int argc,                     \
                          sqlite3_value **argv) {                             \
    (void)argc;                                                               \
    step(ctx, argv, &KIND, HASFRAC);                                          \
  }                                                                           \
  static void NAME##_inverse(sqlite3_context *ctx, int argc,                  \
                             sqlite3_value **argv) {                          \
    (void)argc;                                                               \
    inverse(ctx, argv);                                                       \
  }                                                                           \
  static void NAME##_value(sqlite3_context *ctx) { compute(ctx, &KIND, 0); }  \
  static void NAME##_final(sqlite3_context *ctx) { compute(ctx, &KIND, 1); }

PERCENT_FUNCS(median, kMedian, 0)
PERCENT_FUNCS(percentile, kPercentile, 1)
PERCENT_FUNCS(cont, kCont, 1)
PERCENT_FUNCS(disc, kDisc, 1)

const FunctionSpec stats_functions[] = {
    {"median", 1, PURE, 0, median_step, median_final, median_value,
     median_inverse},
    {"percentile", 2, PURE, 0, percentile_step, percentile_final,
     percentile_value, percentile_inverse},
    {"percentile_cont", 2, PURE, 0, cont_step, cont_final, cont_value,
     cont_inverse},
    {"percentile_disc", 2, PURE, 0, disc_step, disc_final, disc_value,
     disc_inverse},
    {0, 0, 0, 0, 0, 0, 0, 0}};
