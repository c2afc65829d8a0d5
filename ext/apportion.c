/*
** apportion.c -- exact Hamilton apportionment with bounds (see
** apportion.h for the rule and the use).  No SQLite here: allocate.c reads
** the query and the arguments, this file does the arithmetic.
**
** Cost: O(n) for the quotas, an expected O(n) quickselect for the k largest
** remainders (no full sort); bounds add one O(n) pass per pinning round.
*/
#include "apportion.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long u64; /* as sqlite3_uint64, for the single-file build */
typedef long long i64;
typedef unsigned __int128 u128;
typedef __int128 i128;

static void *ap_alloc(const ApMem *mem, size_t n) {
  return mem && mem->realloc ? mem->realloc(NULL, n) : malloc(n);
}

static void ap_free(const ApMem *mem, void *p) {
  if (!p) return;
  if (mem && mem->free)
    mem->free(p);
  else
    free(p);
}

static ApStatus ap_internal(ApReport *rep, const char *what) {
  rep->what = what;
  return AP_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* Small unsigned multi-limb integers (little-endian 64-bit limbs).     */
/* Only what the quotas need: a shifted 128-bit add, compare, add,      */
/* subtract and multiply by a 64-bit scalar; callers size L so nothing  */
/* overflows.                                                           */

static void big_add_shifted(u64 *a, int L, u128 v, unsigned s) {
  unsigned li = s / 64, b = s % 64;
  u64 lo = (u64)v, hi = (u64)(v >> 64);
  u64 parts[3];
  if (b == 0) {
    parts[0] = lo;
    parts[1] = hi;
    parts[2] = 0;
  } else {
    parts[0] = lo << b;
    parts[1] = (hi << b) | (lo >> (64 - b));
    parts[2] = hi >> (64 - b);
  }
  u64 carry = 0;
  for (int j = (int)li; j < L; j++) {
    int p = j - (int)li;
    u128 t = (u128)a[j] + (p < 3 ? parts[p] : 0) + carry;
    a[j] = (u64)t;
    carry = (u64)(t >> 64);
    if (p >= 2 && carry == 0) break;
  }
}

static int big_cmp(const u64 *a, const u64 *b, int L) {
  for (int j = L - 1; j >= 0; j--)
    if (a[j] != b[j]) return a[j] < b[j] ? -1 : 1;
  return 0;
}

static void big_add(u64 *a, const u64 *b, int L) {
  u64 carry = 0;
  for (int j = 0; j < L; j++) {
    u128 t = (u128)a[j] + b[j] + carry;
    a[j] = (u64)t;
    carry = (u64)(t >> 64);
  }
}

/* a -= b, requires a >= b */
static void big_sub(u64 *a, const u64 *b, int L) {
  u64 borrow = 0;
  for (int j = 0; j < L; j++) {
    u128 t = (u128)a[j] - b[j] - borrow;
    a[j] = (u64)t;
    borrow = (u64)(t >> 64) ? 1 : 0;
  }
}

static void big_mul_u64(u64 *out, const u64 *a, int L, u64 q) {
  u64 carry = 0;
  for (int j = 0; j < L; j++) {
    u128 t = (u128)a[j] * q + carry;
    out[j] = (u64)t;
    carry = (u64)(t >> 64);
  }
}

static int big_is_zero(const u64 *a, int L) {
  for (int j = 0; j < L; j++)
    if (a[j]) return 0;
  return 1;
}

/* a / 2^(64*base) as a long double, from its top limbs; only an estimate. */
static long double big_ld(const u64 *a, int L, int base) {
  long double r = 0;
  int top = L - 1;
  while (top > 0 && a[top] == 0) top--;
  for (int j = top; j >= 0 && j >= top - 2; j--)
    r += ldexpl((long double)a[j], 64 * (j - base));
  return r;
}

static int bitlen64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }

/* Splits a weight into m * 2^e with m odd (or 0). */
void ap_split_weight(ApItem *r, int isInt, int64_t iv, double dv) {
  u64 m;
  int e = 0;
  if (isInt) {
    m = (u64)iv;
  } else if (dv == 0) {
    m = 0;
  } else if (dv < 18446744073709551616.0 && dv == floor(dv)) {
    m = (u64)dv;
  } else {
    int ex;
    double f = frexp(dv, &ex); /* dv = f * 2^ex, f in [0.5, 1) */
    m = (u64)ldexp(f, 53);
    e = ex - 53;
  }
  if (m) {
    int tz = __builtin_ctzll(m);
    m >>= tz;
    e += tz;
  }
  r->m = m;
  r->e = m ? e : 0;
}


/* ------------------------------------------------------------------ */
/* Hamilton apportionment over a subset of rows.                        */

typedef struct Ham {
  ApItem *items;
  const ApMem *mem;
  uint32_t *idx; /* the free rows, input order */
  size_t nf;
  int L;         /* limbs per big number */
  u64 *rem;      /* nf * L limbs: remainder of row idx[i] */
  u64 *W;        /* L limbs */
  int *shift;    /* per free row: e - E */
  i64 sumFloor;
} Ham;

/* Is free row x (position) ranked before y for the extra unit? */
static int ham_before(const Ham *h, uint32_t x, uint32_t y) {
  int c = big_cmp(h->rem + (size_t)x * h->L, h->rem + (size_t)y * h->L, h->L);
  if (c) return c > 0;
  /* equal remainders: larger weight first (compare m·2^shift exactly) */
  const ApItem *rx = &h->items[h->idx[x]], *ry = &h->items[h->idx[y]];
  int bx = bitlen64(rx->m) + h->shift[x], by = bitlen64(ry->m) + h->shift[y];
  if (bx != by) return bx > by;
  if (rx->m != ry->m) {
    u64 mx = rx->m, my = ry->m;
    if (h->shift[x] > h->shift[y])
      mx <<= (h->shift[x] - h->shift[y]);
    else
      my <<= (h->shift[y] - h->shift[x]);
    if (mx != my) return mx > my;
  }
  return x < y; /* then input order */
}

static _Thread_local const Ham *sort_ham;
static int ham_qsort_cmp(const void *p, const void *q) {
  uint32_t x = *(const uint32_t *)p, y = *(const uint32_t *)q;
  if (x == y) return 0;
  return ham_before(sort_ham, x, y) ? -1 : 1;
}

/* Rearranges pos[0..n) so that its first k entries are the k best
** (ham_before), by quickselect; falls back to a full sort if the
** partitioning degenerates.  Every element is distinct in the order. */
static void ham_select(const Ham *h, uint32_t *pos, size_t n, size_t k) {
  size_t lo = 0, hi = n; /* the k-th boundary lies in [lo, hi) */
  u64 seed = 0x9E3779B97F4A7C15ull;
  int budget = 2 * (bitlen64(n) + 1) + 8;
  while (hi - lo > 1 && k > lo && k < hi) {
    if (budget-- <= 0) {
      sort_ham = h;
      qsort(pos + lo, hi - lo, sizeof(uint32_t), ham_qsort_cmp);
      return;
    }
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    size_t pi = lo + (size_t)(seed % (hi - lo));
    uint32_t pivot = pos[pi];
    pos[pi] = pos[hi - 1];
    pos[hi - 1] = pivot;
    size_t store = lo;
    for (size_t i = lo; i < hi - 1; i++) {
      if (ham_before(h, pos[i], pivot)) {
        uint32_t t = pos[i];
        pos[i] = pos[store];
        pos[store] = t;
        store++;
      }
    }
    pos[hi - 1] = pos[store];
    pos[store] = pivot;
    /* pos[lo..store) before pivot, pos[store] pivot, rest after */
    if (store + 1 == k || store == k) return;
    if (k < store)
      hi = store;
    else
      lo = store + 1;
  }
}

static void ham_free(Ham *h) {
  ap_free(h->mem, h->rem);
  ap_free(h->mem, h->W);
  ap_free(h->mem, h->shift);
  h->rem = h->W = NULL;
  h->shift = NULL;
}

/* Floors and remainders of T*w_i/W for the free rows; amounts = floors. */
static ApStatus ham_floor(Ham *h, u64 T) {
  ApItem *items = h->items;
  ham_free(h);
  size_t nf = h->nf;
  int E = 0, first = 1;
  for (size_t i = 0; i < nf; i++) {
    const ApItem *r = &items[h->idx[i]];
    if (first || r->e < E) E = r->e;
    first = 0;
  }
  int maxms = 0;
  h->shift = ap_alloc(h->mem, (nf ? nf : 1) * sizeof(int));
  if (!h->shift) return AP_NOMEM;
  for (size_t i = 0; i < nf; i++) {
    const ApItem *r = &items[h->idx[i]];
    h->shift[i] = r->e - E;
    int b = bitlen64(r->m) + h->shift[i];
    if (b > maxms) maxms = b;
  }
  /* bits: N = T*u < 2^(bt+maxms); W < 2^(maxms+bn); q*W and Σrem need the
  ** headroom too. */
  int bn = bitlen64((u64)nf) + 1;
  int bits = bitlen64(T) + maxms + 2 * bn + 2;
  int L = (bits + 63) / 64;
  if (L < 2) L = 2;
  h->L = L;
  h->rem = ap_alloc(h->mem, (nf ? nf : 1) * (u64)L * sizeof(u64));
  h->W = ap_alloc(h->mem, (u64)(L + 1) * sizeof(u64) * 3);
  if (!h->rem || !h->W) return AP_NOMEM;
  u64 *W = h->W, *P = h->W + L, *N = h->W + 2 * L; /* scratch: P, N */
  memset(W, 0, (size_t)L * sizeof(u64));
  for (size_t i = 0; i < nf; i++) {
    const ApItem *r = &items[h->idx[i]];
    big_add_shifted(W, L, (u128)r->m, (unsigned)h->shift[i]);
  }
  i64 sum = 0;
  if (L == 2) {
    u128 Wv = ((u128)W[1] << 64) | W[0];
    for (size_t i = 0; i < nf; i++) {
      ApItem *r = &items[h->idx[i]];
      u128 Nv = ((u128)T * r->m) << h->shift[i];
      u128 q = Nv / Wv, rm = Nv - q * Wv;
      r->amount = (i64)q;
      sum += (i64)q;
      h->rem[2 * i] = (u64)rm;
      h->rem[2 * i + 1] = (u64)(rm >> 64);
    }
  } else {
    int topW = L - 1;
    while (topW > 0 && W[topW] == 0) topW--;
    long double ldW = big_ld(W, L, topW);
    for (size_t i = 0; i < nf; i++) {
      ApItem *r = &items[h->idx[i]];
      memset(N, 0, (size_t)L * sizeof(u64));
      big_add_shifted(N, L, (u128)T * r->m, (unsigned)h->shift[i]);
      long double est = floorl(big_ld(N, L, topW) / ldW);
      u64 q = est <= 0 ? 0 : est >= (long double)T ? T : (u64)est;
      big_mul_u64(P, W, L, q);
      while (big_cmp(P, N, L) > 0) {
        big_sub(P, W, L);
        q--;
      }
      u64 *rm = h->rem + i * (size_t)L;
      memcpy(rm, N, (size_t)L * sizeof(u64));
      big_sub(rm, P, L);
      while (big_cmp(rm, W, L) >= 0) {
        big_sub(rm, W, L);
        q++;
      }
      r->amount = (i64)q;
      sum += (i64)q;
    }
  }
  h->sumFloor = sum;
  return AP_OK;
}

/* Gives the T - Σfloor leftover units to the largest remainders. */
static ApStatus ham_round(Ham *h, ApReport *rep, u64 T) {
  if ((u64)h->sumFloor > T || T - (u64)h->sumFloor > (u64)h->nf ||
      (h->nf > 0 && T - (u64)h->sumFloor == (u64)h->nf))
    return ap_internal(rep, "more units left over than rows to take them");
  size_t k = (size_t)(T - (u64)h->sumFloor);
  if (k == 0) return AP_OK;
  uint32_t *pos = ap_alloc(h->mem, h->nf * sizeof(uint32_t));
  if (!pos) return AP_NOMEM;
  for (size_t i = 0; i < h->nf; i++) pos[i] = (uint32_t)i;
  ham_select(h, pos, h->nf, k);
  for (size_t i = 0; i < k; i++) h->items[h->idx[pos[i]]].amount++;
  ap_free(h->mem, pos);
  return AP_OK;
}

/* Which bound a row's exact continuous quota f + rem/W crosses: +1 above its
** max (f > max, or f == max with a remainder left), -1 below its min, 0
** within.  The pinning loop asks this twice per round, once to weigh the
** violations and once to pin, and both must agree. */
static int cap_violation(const ApItem *r, const u64 *rem, int L) {
  if (r->hasHi && (r->amount > r->hi || (r->amount == r->hi && !big_is_zero(rem, L))))
    return 1;
  return r->amount < r->lo ? -1 : 0;
}

/* The whole computation: amounts for every row, summing to T. */
ApStatus ap_allocate(ApItem *items, size_t n, uint64_t T, int hasCaps, const ApMem *mem,
                     ApReport *rep) {
  memset(rep, 0, sizeof(*rep));
  rep->row = SIZE_MAX;
  if (n == 0) return T == 0 ? AP_OK : AP_NO_ROWS;
  if (n > UINT32_MAX) return AP_TOO_MANY;
  /* feasibility */
  i128 sumLo = 0, sumHi = 0, sumHiW = 0; /* sumHiW: positive-weight rows at
                                             max + zero-weight rows at min */
  int hiInf = 0, hiWInf = 0;
  size_t nPos = 0;
  for (size_t i = 0; i < n; i++) {
    ApItem *r = &items[i];
    sumLo += r->lo;
    if (r->hasHi)
      sumHi += r->hi;
    else
      hiInf = 1;
    if (r->m) {
      nPos++;
      if (r->hasHi)
        sumHiW += r->hi;
      else
        hiWInf = 1;
    } else {
      sumHiW += r->lo;
    }
  }
  rep->sumLo = sumLo;
  rep->sumHi = sumHi;
  rep->sumHiW = sumHiW;
  rep->hiUnbounded = hiInf;
  if ((i128)T < sumLo || (!hiInf && (i128)T > sumHi)) return AP_INFEASIBLE;
  if (nPos == 0 && (i128)T > sumLo) return AP_ALL_ZERO;
  if (!hiWInf && (i128)T > sumHiW) return AP_OVER_WEIGHTED_MAX;

  Ham h;
  memset(&h, 0, sizeof(h));
  h.items = items;
  h.mem = mem;
  h.idx = ap_alloc(mem, n * sizeof(uint32_t));
  if (!h.idx) return AP_NOMEM;
  i128 pinnedSum = 0;
  for (size_t i = 0; i < n; i++) {
    ApItem *r = &items[i];
    if (r->m) {
      h.idx[h.nf++] = (uint32_t)i;
      r->pinned = 0;
    } else {
      r->pinned = 1;
      r->amount = r->lo;
      pinnedSum += r->lo;
    }
  }
  ApStatus st = AP_OK;
  u64 *rsum = NULL, *tmp = NULL;
  for (;;) {
    i128 Tf = (i128)T - pinnedSum;
    if (Tf < 0 || (h.nf == 0 && Tf != 0)) {
      st = ap_internal(rep, "pinning left an impossible amount to share");
      goto done;
    }
    if (h.nf == 0) break;
    st = ham_floor(&h, (u64)Tf);
    if (st) goto done;
    if (!hasCaps) {
      st = ham_round(&h, rep, (u64)Tf);
      goto done;
    }
    /* Violations of the continuous quotas q = f + r/W (exact). */
    int L = h.L;
    ap_free(mem, rsum);
    ap_free(mem, tmp);
    rsum = ap_alloc(mem, (size_t)L * sizeof(u64));
    tmp = ap_alloc(mem, (size_t)L * sizeof(u64));
    if (!rsum || !tmp) {
      st = AP_NOMEM;
      goto done;
    }
    memset(rsum, 0, (size_t)L * sizeof(u64));
    i128 A = 0;
    size_t nU = 0, nL = 0;
    for (size_t i = 0; i < h.nf; i++) {
      ApItem *r = &items[h.idx[i]];
      const u64 *rm = h.rem + i * (size_t)L;
      int v = cap_violation(r, rm, L);
      if (v > 0) {
        A += (i128)r->amount - r->hi;
        nU++;
      } else if (v < 0) {
        A -= (i128)r->lo - r->amount;
        nL++;
      } else {
        continue;
      }
      big_add(rsum, rm, L);
    }
    if (nU == 0 && nL == 0) {
      st = ham_round(&h, rep, (u64)Tf);
      goto done;
    }
    /* sign of A + rsum/W */
    int sign;
    if (A >= 0) {
      sign = (A > 0 || !big_is_zero(rsum, L)) ? 1 : 0;
    } else if (-A >= (i128)(nU + nL)) {
      sign = -1; /* rsum < (nU+nL)*W <= -A*W */
    } else {
      big_mul_u64(tmp, h.W, L, (u64)(-A));
      int c = big_cmp(rsum, tmp, L);
      sign = c > 0 ? 1 : c < 0 ? -1 : 0;
    }
    size_t keep = 0;
    for (size_t i = 0; i < h.nf; i++) {
      ApItem *r = &items[h.idx[i]];
      const u64 *rm = h.rem + i * (size_t)L;
      int v = cap_violation(r, rm, L);
      if (v > 0 && sign >= 0) {
        r->pinned = 1;
        r->amount = r->hi;
        pinnedSum += r->hi;
      } else if (v < 0 && sign <= 0) {
        r->pinned = 1;
        r->amount = r->lo;
        pinnedSum += r->lo;
      } else {
        h.idx[keep++] = h.idx[i];
      }
    }
    h.nf = keep;
  }
done:
  ap_free(mem, rsum);
  ap_free(mem, tmp);
  ham_free(&h);
  ap_free(mem, h.idx);
  if (st) return st;
  /* Never hand out a wrong number: re-check the invariants. */
  i128 s = 0;
  for (size_t i = 0; i < n; i++) {
    ApItem *r = &items[i];
    s += r->amount;
    if (r->amount < r->lo || (r->hasHi && r->amount > r->hi) || r->amount < 0) {
      rep->row = i;
      return ap_internal(rep, "amount outside its bounds");
    }
  }
  if (s != (i128)T) return ap_internal(rep, "amounts do not sum to the total");
  return AP_OK;
}
