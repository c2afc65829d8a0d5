/*
** allocate.c -- exact top-down target decomposition (目标分解) as a
** table-valued function.
**
**   SELECT key, weight, share, amount
**     FROM allocate(total, query [, p1, ..., p8]);
**
** `query` is one read-only SELECT (or a bare table/view name) returning by
** position  key, weight [, min_amount [, max_amount]];  p1.. are bound to
** ?1.. so that the function works as a lateral join, one allocation per
** parent row:
**
**   SELECT t.unit_id, a.key, a.amount
**     FROM target t,
**          allocate(t.amount, 'SELECT id, w FROM child WHERE parent = ?1',
**                   t.unit_id) a;
**
** Result: one row per input row, in input order.  `amount` is an integer;
** the amounts sum to `total` exactly and follow the largest-remainder
** (Hamilton) method: every row gets the floor of its quota total*w/W, and the
** units left over go to the largest remainders, ties to the larger weight,
** then to the earlier row.  `share` is weight/Σweight (NULL when Σ is 0).
**
** Caps: min_amount / max_amount (NULL = none; reals are read as ceil(min) and
** floor(max), since amounts are whole) bound every amount.  The amounts then
** solve the capped problem "amount = clamp(λ·w, min, max), Σ = total": rows
** whose quota crosses a bound are pinned there and the rest is shared in
** proportion (Hamilton again) among the unpinned rows.  Pinning follows the
** Bitran-Hax rule (pin the side whose total violation is larger), which
** reaches the exact continuous solution's pinned set.
**
** Exactness: a weight is read as m·2^e (m an integer below 2^64) and all
** quotas are computed as exact integer quotients and remainders over the
** common denominator W = Σw scaled to an integer -- in 128-bit arithmetic
** in the usual case, in a small multi-limb integer when weights of very
** different magnitudes or huge totals need more bits.  No floating point
** decides a floor or a rank, so Σamount == total holds by construction and
** the rounding is the mathematically exact Hamilton rounding.
**
** Cost: the query is read once; O(n) for the quotas, an expected O(n)
** quickselect for the k largest remainders (no full sort); memory linear in
** the rows of one call.  Caps add one O(n) pass per pinning round.
**
** Security: the query runs through ext/query.c (query text can only read
** tables and views and call pure functions; nesting limited per
** connection).  The module is deliberately not
** marked innocuous: it runs queries given as text.
*/
#include "args.h"
#include "numtext.h"
#include "query.h"
#include "registry.h"
#include "sqlite_api.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_uint64 u64;
typedef sqlite3_int64 i64;
typedef unsigned __int128 u128;
typedef __int128 i128;

#define FN "allocate"
#define ALLOC_NPARAM 8 /* p1..p8 */

/* Column numbers of the declared table. */
enum {
  COL_KEY,
  COL_WEIGHT,
  COL_SHARE,
  COL_AMOUNT,
  COL_TOTAL, /* first hidden column; hidden args follow in order */
  COL_QUERY,
  COL_P1
};
#define NHIDDEN (2 + ALLOC_NPARAM)

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

/* ------------------------------------------------------------------ */
/* Rows                                                                 */

typedef struct Row {
  u64 m;           /* weight = m * 2^e exactly */
  int e;
  unsigned char ktype, wtype, hasHi, pinned;
  union {
    i64 i;
    double d;
    struct {
      u64 off;
      u64 len;
    } s;
  } key;
  union {
    i64 i;
    double d;
  } w;             /* the weight as given, for output */
  i64 lo, hi;      /* integer bounds; hi valid only when hasHi */
  i64 amount;
} Row;

typedef struct Alloc {
  Row *rows;
  size_t n, cap;
  char *arena; /* text and blob keys */
  u64 nArena, capArena;
  double wsum, wcomp; /* Σweight for share, Neumaier-compensated (a long
                        ** double would need 16-byte alignment that
                        ** sqlite3_malloc does not promise) */
  int hasCaps;
} Alloc;

static void alloc_clear(Alloc *a) {
  sqlite3_free(a->rows);
  sqlite3_free(a->arena);
  memset(a, 0, sizeof(*a));
}


/* Renders a row's key for error messages, e.g. 'north' or 17. */
static char *key_repr_row(const Alloc *a, const Row *r) {
  switch (r->ktype) {
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", r->key.i);
    case SQLITE_FLOAT:
      return sqlite3_mprintf("%!.15g", r->key.d);
    case SQLITE_TEXT:
      /* no arena yet when every text key so far is '' */
      return text_repr(r->key.s.len ? a->arena + r->key.s.off : "", (int)r->key.s.len);
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return sqlite3_mprintf("NULL");
  }
}

/* "allocate: <what> for key K (row N)" */
static char *row_error(const Alloc *a, const Row *r, const char *what) {
  char *k = key_repr_row(a, r);
  char *msg = sqlite3_mprintf("%s: %s for key %s (row %lld)", FN, what,
                              k ? k : "?", (long long)(r - a->rows) + 1);
  sqlite3_free(k);
  return msg;
}

static char *col_repr(sqlite3_stmt *st, int c) {
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", sqlite3_column_int64(st, c));
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(st, c);
      if (isnan(d)) return sqlite3_mprintf("NaN");
      if (isinf(d)) return sqlite3_mprintf(d > 0 ? "inf" : "-inf");
      return sqlite3_mprintf("%!.15g", d);
    }
    case SQLITE_TEXT:
      return text_repr((const char *)sqlite3_column_text(st, c),
                       sqlite3_column_bytes(st, c));
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return sqlite3_mprintf("NULL");
  }
}

/* Reads column c as a finite number; 0 = ok, 1 = NULL, -1 = not a number. */
static int col_number(sqlite3_stmt *st, int c, int *isInt, i64 *iv, double *dv) {
  *isInt = 0;
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
      return 1;
    case SQLITE_INTEGER:
      *isInt = 1;
      *iv = sqlite3_column_int64(st, c);
      *dv = (double)*iv;
      return 0;
    case SQLITE_FLOAT:
      *dv = sqlite3_column_double(st, c);
      return isfinite(*dv) ? 0 : -1;
    case SQLITE_TEXT:
      return numtext_number((const char *)sqlite3_column_text(st, c),
                            sqlite3_column_bytes(st, c), dv) ? 0 : -1;
    default:
      return -1;
  }
}

/* "allocate: weight must be a non-negative number, got -1 for key 'x' (row 3)" */
static char *col_error(Alloc *a, Row *r, sqlite3_stmt *st, int c,
                       const char *name, const char *what) {
  char *v = col_repr(st, c);
  char *w = sqlite3_mprintf("%s must be %s, got %s", name, what, v ? v : "?");
  char *msg = row_error(a, r, w ? w : "bad value");
  sqlite3_free(v);
  sqlite3_free(w);
  return msg;
}

/* Splits a weight into m * 2^e with m odd (or 0). */
static void split_weight(Row *r, int isInt, i64 iv, double dv) {
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

/* Reads a bound column: NULL -> *present = 0; else a whole-number bound
** (ceil for a minimum, floor for a maximum). Returns an error or NULL. */
static char *read_bound(Alloc *a, Row *r, sqlite3_stmt *st, int c,
                        const char *name, int isMax, int *present, i64 *out) {
  int isInt;
  i64 iv = 0;
  double dv = 0;
  int rc = col_number(st, c, &isInt, &iv, &dv);
  *present = 0;
  if (rc == 1) return NULL;
  if (rc < 0) return col_error(a, r, st, c, name, "a number or NULL");
  if (isInt) {
    if (iv < 0) return col_error(a, r, st, c, name, "non-negative");
    *out = iv;
  } else {
    if (dv < 0) return col_error(a, r, st, c, name, "non-negative");
    double b = isMax ? floor(dv) : ceil(dv);
    if (b >= 9223372036854775808.0)
      return col_error(a, r, st, c, name, "below 2^63");
    *out = (i64)b;
  }
  *present = 1;
  return NULL;
}

/* Reads the query's rows into a. Returns an error message or NULL. */
static char *read_rows(Alloc *a, sqlite3_stmt *st, sqlite3 *db) {
  int nc = sqlite3_column_count(st);
  if (nc < 2 || nc > 4)
    return sqlite3_mprintf(
        "%s: query must return 2 to 4 columns (key, weight [, min_amount [, "
        "max_amount]]), got %d",
        FN, nc);
  a->hasCaps = nc > 2;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (a->n == a->cap) {
      size_t nc2 = a->cap ? a->cap * 2 : 64;
      Row *nr = sqlite3_realloc64(a->rows, nc2 * sizeof(Row));
      if (!nr) return sqlite3_mprintf("%s: out of memory", FN);
      a->rows = nr;
      a->cap = nc2;
    }
    Row *r = &a->rows[a->n++];
    memset(r, 0, sizeof(*r));
    /* key */
    r->ktype = (unsigned char)sqlite3_column_type(st, 0);
    switch (r->ktype) {
      case SQLITE_INTEGER:
        r->key.i = sqlite3_column_int64(st, 0);
        break;
      case SQLITE_FLOAT:
        r->key.d = sqlite3_column_double(st, 0);
        break;
      case SQLITE_TEXT:
      case SQLITE_BLOB: {
        const void *p = r->ktype == SQLITE_TEXT
                            ? (const void *)sqlite3_column_text(st, 0)
                            : sqlite3_column_blob(st, 0);
        u64 len = (u64)sqlite3_column_bytes(st, 0);
        if (a->nArena + len > a->capArena) {
          u64 c2 = a->capArena ? a->capArena * 2 : 4096;
          while (c2 < a->nArena + len) c2 *= 2;
          char *na = sqlite3_realloc64(a->arena, c2);
          if (!na) return sqlite3_mprintf("%s: out of memory", FN);
          a->arena = na;
          a->capArena = c2;
        }
        if (len) memcpy(a->arena + a->nArena, p, len);
        r->key.s.off = a->nArena;
        r->key.s.len = len;
        a->nArena += len;
        break;
      }
      default:
        break;
    }
    /* weight */
    int isInt;
    i64 iv = 0;
    double dv = 0;
    int wr = col_number(st, 1, &isInt, &iv, &dv);
    if (wr == 1) return row_error(a, r, "weight must not be NULL");
    if (wr < 0) return col_error(a, r, st, 1, "weight", "a finite number");
    if ((isInt && iv < 0) || (!isInt && dv < 0))
      return col_error(a, r, st, 1, "weight", "non-negative");
    if (isInt) {
      r->wtype = SQLITE_INTEGER;
      r->w.i = iv;
    } else {
      if (dv == 0) dv = 0; /* fold -0.0 */
      r->wtype = SQLITE_FLOAT;
      r->w.d = dv;
    }
    split_weight(r, isInt, iv, dv);
    {
      double x = isInt ? (double)iv : dv, t = a->wsum + x;
      a->wcomp += fabs(a->wsum) >= fabs(x) ? (a->wsum - t) + x : (x - t) + a->wsum;
      a->wsum = t;
    }
    /* caps */
    if (nc >= 3) {
      int present;
      char *err = read_bound(a, r, st, 2, "min_amount", 0, &present, &r->lo);
      if (err) return err;
      if (!present) r->lo = 0;
    }
    if (nc >= 4) {
      int present;
      char *err = read_bound(a, r, st, 3, "max_amount", 1, &present, &r->hi);
      if (err) return err;
      r->hasHi = (unsigned char)present;
      if (present && r->hi < r->lo) {
        char *w = sqlite3_mprintf("min_amount %lld exceeds max_amount %lld",
                                  (long long)r->lo, (long long)r->hi);
        char *msg = row_error(a, r, w ? w : "min_amount exceeds max_amount");
        sqlite3_free(w);
        return msg;
      }
    }
  }
  if (rc != SQLITE_DONE) return query_error(db, FN);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Hamilton apportionment over a subset of rows.                        */

typedef struct Ham {
  const Alloc *a;
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
  const Row *rx = &h->a->rows[h->idx[x]], *ry = &h->a->rows[h->idx[y]];
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
  sqlite3_free(h->rem);
  sqlite3_free(h->W);
  sqlite3_free(h->shift);
  h->rem = h->W = NULL;
  h->shift = NULL;
}

/* Floors and remainders of T*w_i/W for the free rows; amounts = floors. */
static char *ham_floor(Ham *h, Alloc *a, u64 T) {
  ham_free(h);
  size_t nf = h->nf;
  int E = 0, first = 1;
  for (size_t i = 0; i < nf; i++) {
    const Row *r = &a->rows[h->idx[i]];
    if (first || r->e < E) E = r->e;
    first = 0;
  }
  int maxms = 0;
  h->shift = sqlite3_malloc64((nf ? nf : 1) * sizeof(int));
  if (!h->shift) return sqlite3_mprintf("%s: out of memory", FN);
  for (size_t i = 0; i < nf; i++) {
    const Row *r = &a->rows[h->idx[i]];
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
  h->rem = sqlite3_malloc64((nf ? nf : 1) * (u64)L * sizeof(u64));
  h->W = sqlite3_malloc64((u64)(L + 1) * sizeof(u64) * 3);
  if (!h->rem || !h->W) return sqlite3_mprintf("%s: out of memory", FN);
  u64 *W = h->W, *P = h->W + L, *N = h->W + 2 * L; /* scratch: P, N */
  memset(W, 0, (size_t)L * sizeof(u64));
  for (size_t i = 0; i < nf; i++) {
    const Row *r = &a->rows[h->idx[i]];
    big_add_shifted(W, L, (u128)r->m, (unsigned)h->shift[i]);
  }
  i64 sum = 0;
  if (L == 2) {
    u128 Wv = ((u128)W[1] << 64) | W[0];
    for (size_t i = 0; i < nf; i++) {
      Row *r = &a->rows[h->idx[i]];
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
      Row *r = &a->rows[h->idx[i]];
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
  return NULL;
}

/* Gives the T - Σfloor leftover units to the largest remainders. */
static char *ham_round(Ham *h, Alloc *a, u64 T) {
  if ((u64)h->sumFloor > T || T - (u64)h->sumFloor > (u64)h->nf ||
      (h->nf > 0 && T - (u64)h->sumFloor == (u64)h->nf))
    return sqlite3_mprintf("%s: internal error: %llu units left over for %llu rows",
                           FN, (unsigned long long)(T - (u64)h->sumFloor),
                           (unsigned long long)h->nf);
  size_t k = (size_t)(T - (u64)h->sumFloor);
  if (k == 0) return NULL;
  uint32_t *pos = sqlite3_malloc64(h->nf * sizeof(uint32_t));
  if (!pos) return sqlite3_mprintf("%s: out of memory", FN);
  for (size_t i = 0; i < h->nf; i++) pos[i] = (uint32_t)i;
  ham_select(h, pos, h->nf, k);
  for (size_t i = 0; i < k; i++) a->rows[h->idx[pos[i]]].amount++;
  sqlite3_free(pos);
  return NULL;
}

static char *fmt_i128(i128 v) {
  char buf[64];
  int p = 63, neg = v < 0;
  u128 u = neg ? (u128)(-v) : (u128)v;
  buf[p] = 0;
  do {
    buf[--p] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  if (neg) buf[--p] = '-';
  return sqlite3_mprintf("%s", buf + p);
}

/* Which bound a row's exact continuous quota f + rem/W crosses: +1 above its
** max (f > max, or f == max with a remainder left), -1 below its min, 0
** within.  The pinning loop asks this twice per round, once to weigh the
** violations and once to pin, and both must agree. */
static int cap_violation(const Row *r, const sqlite3_uint64 *rem, int L) {
  if (r->hasHi && (r->amount > r->hi || (r->amount == r->hi && !big_is_zero(rem, L))))
    return 1;
  return r->amount < r->lo ? -1 : 0;
}

/* The whole computation: amounts for every row, summing to T. */

static char *allocate_rows(Alloc *a, u64 T) {
  size_t n = a->n;
  if (n == 0) {
    if (T == 0) return NULL;
    return sqlite3_mprintf("%s: query returned no rows to share a total of %llu",
                           FN, (unsigned long long)T);
  }
  if (n > UINT32_MAX) return sqlite3_mprintf("%s: too many rows", FN);
  /* feasibility */
  i128 sumLo = 0, sumHi = 0, sumHiW = 0; /* sumHiW: positive-weight rows at
                                             max + zero-weight rows at min */
  int hiInf = 0, hiWInf = 0;
  size_t nPos = 0;
  for (size_t i = 0; i < n; i++) {
    Row *r = &a->rows[i];
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
  if ((i128)T < sumLo || (!hiInf && (i128)T > sumHi)) {
    char *lo = fmt_i128(sumLo), *hi = hiInf ? sqlite3_mprintf("unbounded") : fmt_i128(sumHi);
    char *msg = sqlite3_mprintf(
        "%s: total %llu is infeasible: the minimums sum to %s and the maximums to %s",
        FN, (unsigned long long)T, lo ? lo : "?", hi ? hi : "?");
    sqlite3_free(lo);
    sqlite3_free(hi);
    return msg;
  }
  if (nPos == 0 && (i128)T > sumLo) {
    if (!a->hasCaps)
      return sqlite3_mprintf("%s: all weights are zero; cannot share a positive total of %llu",
                             FN, (unsigned long long)T);
    char *lo = fmt_i128(sumLo);
    char *msg = sqlite3_mprintf(
        "%s: all weights are zero; cannot share %llu beyond the minimums (which sum to %s)",
        FN, (unsigned long long)T, lo ? lo : "?");
    sqlite3_free(lo);
    return msg;
  }
  if (!hiWInf && (i128)T > sumHiW) {
    char *hw = fmt_i128(sumHiW);
    char *msg = sqlite3_mprintf(
        "%s: total %llu exceeds %s, what the rows with positive weight can take "
        "at their max_amount (rows with zero weight stay at their min_amount)",
        FN, (unsigned long long)T, hw ? hw : "?");
    sqlite3_free(hw);
    return msg;
  }

  Ham h;
  memset(&h, 0, sizeof(h));
  h.a = a;
  h.idx = sqlite3_malloc64(n * sizeof(uint32_t));
  if (!h.idx) return sqlite3_mprintf("%s: out of memory", FN);
  i128 pinnedSum = 0;
  for (size_t i = 0; i < n; i++) {
    Row *r = &a->rows[i];
    if (r->m) {
      h.idx[h.nf++] = (uint32_t)i;
      r->pinned = 0;
    } else {
      r->pinned = 1;
      r->amount = r->lo;
      pinnedSum += r->lo;
    }
  }
  char *err = NULL;
  u64 *rsum = NULL, *tmp = NULL;
  for (;;) {
    i128 Tf = (i128)T - pinnedSum;
    if (Tf < 0 || (h.nf == 0 && Tf != 0)) {
      err = sqlite3_mprintf("%s: internal error: pinning left %s to share",
                            FN, "an impossible amount");
      goto done;
    }
    if (h.nf == 0) break;
    err = ham_floor(&h, a, (u64)Tf);
    if (err) goto done;
    if (!a->hasCaps) {
      err = ham_round(&h, a, (u64)Tf);
      goto done;
    }
    /* Violations of the continuous quotas q = f + r/W (exact). */
    int L = h.L;
    sqlite3_free(rsum);
    sqlite3_free(tmp);
    rsum = sqlite3_malloc64((u64)L * sizeof(u64));
    tmp = sqlite3_malloc64((u64)L * sizeof(u64));
    if (!rsum || !tmp) {
      err = sqlite3_mprintf("%s: out of memory", FN);
      goto done;
    }
    memset(rsum, 0, (size_t)L * sizeof(u64));
    i128 A = 0;
    size_t nU = 0, nL = 0;
    for (size_t i = 0; i < h.nf; i++) {
      Row *r = &a->rows[h.idx[i]];
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
      err = ham_round(&h, a, (u64)Tf);
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
      Row *r = &a->rows[h.idx[i]];
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
  sqlite3_free(rsum);
  sqlite3_free(tmp);
  ham_free(&h);
  sqlite3_free(h.idx);
  if (err) return err;
  /* Never hand out a wrong number: re-check the invariants. */
  i128 s = 0;
  for (size_t i = 0; i < n; i++) {
    Row *r = &a->rows[i];
    s += r->amount;
    if (r->amount < r->lo || (r->hasHi && r->amount > r->hi) || r->amount < 0)
      return row_error(a, r, "internal error: amount outside its bounds");
  }
  if (s != (i128)T)
    return sqlite3_mprintf("%s: internal error: amounts do not sum to the total", FN);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* The virtual table                                                    */

typedef struct AllocVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  QueryConn *qc;
} AllocVtab;

typedef struct AllocCursor {
  sqlite3_vtab_cursor base;
  Alloc a;
  size_t i;
  sqlite3_value *args[NHIDDEN];
  sqlite3_stmt *st;      /* the last query, kept for the next parent row */
  char *zq;
  unsigned stamp;        /* query_stamp() when st was prepared */
} AllocCursor;

static int allocConnect(sqlite3 *db, void *pAux, int argc,
                        const char *const *argv, sqlite3_vtab **ppVtab,
                        char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(key, weight, share, amount, total HIDDEN, query HIDDEN, "
      "p1 HIDDEN, p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, "
      "p7 HIDDEN, p8 HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* It runs a query given as text: only top-level SQL (and TEMP views and
  ** triggers, which the connection's own code made) may call it, never a
  ** view or trigger stored in a database file, which could otherwise reach
  ** file-touching functions and tables through the query. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  AllocVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->qc = pAux;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int allocDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int allocOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  AllocCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void cursor_reset(AllocCursor *c) {
  alloc_clear(&c->a);
  for (int i = 0; i < NHIDDEN; i++) {
    sqlite3_value_free(c->args[i]);
    c->args[i] = NULL;
  }
  c->i = 0;
}

static int allocClose(sqlite3_vtab_cursor *cur) {
  AllocCursor *c = (AllocCursor *)cur;
  cursor_reset(c);
  sqlite3_finalize(c->st);
  sqlite3_free(c->zq);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Every argument given must arrive as a usable = constraint, so that the
** function runs once per outer row (lateral use); plans that lack one are
** refused with SQLITE_CONSTRAINT and SQLite picks another. */
static int allocBestIndex(sqlite3_vtab *v, sqlite3_index_info *p) {
  int seen = 0, unusable = 0, at[NHIDDEN];
  for (int i = 0; i < NHIDDEN; i++) at[i] = -1;
  for (int i = 0; i < p->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &p->aConstraint[i];
    if (c->iColumn < COL_TOTAL || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int bit = c->iColumn - COL_TOTAL;
    if (!c->usable) {
      unusable |= 1 << bit;
      continue;
    }
    if (seen & (1 << bit)) continue;
    seen |= 1 << bit;
    at[bit] = i;
  }
  if (unusable & ~seen) return SQLITE_CONSTRAINT;
  if ((seen & 3) != 3) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf(
        "%s: needs a total and a query: allocate(total, query [, p1, ...])", FN);
    return SQLITE_ERROR;
  }
  int j = 1;
  for (int b = 0; b < NHIDDEN; b++) {
    if (at[b] < 0) continue;
    p->aConstraintUsage[at[b]].argvIndex = j++;
    p->aConstraintUsage[at[b]].omit = 1;
  }
  p->idxNum = seen;
  p->estimatedCost = 1000;
  p->estimatedRows = 1000;
  return SQLITE_OK;
}

static int vtab_error(sqlite3_vtab_cursor *cur, char *msg) {
  sqlite3_vtab *v = cur->pVtab;
  sqlite3_free(v->zErrMsg);
  v->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* "allocate: total must be WHAT, got VALUE" */
static char *total_error(sqlite3_value *v, const char *what) {
  char *r = value_repr(v);
  char *m = sqlite3_mprintf("%s: total must be %s, got %s", FN, what, r ? r : "?");
  sqlite3_free(r);
  return m;
}

/* Reads the total: 0 ok, 1 NULL, -1 error (message in *err). */
static int read_total(sqlite3_value *v, u64 *out, char **err) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return 1;
  if (t == SQLITE_INTEGER) {
    i64 x = sqlite3_value_int64(v);
    if (x < 0) goto bad;
    *out = (u64)x;
    return 0;
  }
  if (t == SQLITE_TEXT) {
    /* whole numbers in text keep their exact value, even past 2^53 */
    long long ll;
    const char *z = (const char *)sqlite3_value_text(v);
    if (z && numtext_int64(z, sqlite3_value_bytes(v), &ll) && ll >= 0) {
      *out = (u64)ll;
      return 0;
    }
  }
  double d;
  if (t == SQLITE_FLOAT) {
    d = sqlite3_value_double(v);
  } else if (t == SQLITE_TEXT) {
    if (!value_text_number(v, &d)) goto bad;
  } else {
    goto bad;
  }
  if (!isfinite(d) || d < 0 || d != floor(d)) goto bad;
  if (d > 9007199254740992.0) {
    *err = total_error(v, "an integer (a real total must be at most 2^53 = "
                          "9007199254740992; pass larger totals as integers)");
    return -1;
  }
  *out = (u64)d;
  return 0;
bad:
  *err = total_error(v, "a non-negative whole number");
  return -1;
}

static int allocFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                       int argc, sqlite3_value **argv) {
  (void)idxStr;
  AllocCursor *c = (AllocCursor *)cur;
  AllocVtab *t = (AllocVtab *)cur->pVtab;
  cursor_reset(c);
  sqlite3_value *given[NHIDDEN] = {0};
  int j = 0;
  for (int b = 0; b < NHIDDEN; b++) {
    if (!(idxNum & (1 << b))) continue;
    if (j >= argc) return vtab_error(cur, sqlite3_mprintf("%s: internal error: arguments", FN));
    given[b] = argv[j++];
    c->args[b] = sqlite3_value_dup(given[b]);
    if (!c->args[b]) return SQLITE_NOMEM;
  }
  int nParam = 0;
  for (int b = 2; b < NHIDDEN; b++)
    if (given[b]) nParam = b - 1;
  for (int b = 2; b < 2 + nParam; b++)
    if (!given[b])
      return vtab_error(cur, sqlite3_mprintf("%s: parameters must be given in order (p%d is missing)", FN, b - 1));

  u64 T = 0;
  char *err = NULL;
  int tr = read_total(given[0], &T, &err);
  if (tr < 0) return vtab_error(cur, err);
  int qt = sqlite3_value_type(given[1]);
  if (qt == SQLITE_BLOB)
    return vtab_error(cur, sqlite3_mprintf("%s: query must be text, got a blob", FN));
  if (tr == 1 || qt == SQLITE_NULL) return SQLITE_OK; /* NULL in, no rows out */
  const char *zq = (const char *)sqlite3_value_text(given[1]);
  if (!zq) return SQLITE_NOMEM;
  if ((int)strlen(zq) != sqlite3_value_bytes(given[1])) {
    /* SQLite would prepare only the text before the NUL */
    char *r = value_repr(given[1]);
    err = sqlite3_mprintf("%s: query must be text without NUL characters, got %s", FN,
                          r ? r : "?");
    sqlite3_free(r);
    return vtab_error(cur, err);
  }

  sqlite3_stmt *st = NULL;
  if (query_enter(t->qc, FN, &err)) return vtab_error(cur, err);
  /* A lateral allocate runs the same text once per parent row: the checked
  ** statement is kept and run again while no authorizer change of ours has
  ** expired it (a recompile happens outside our check, so it is refused
  ** below and the text prepared and checked again). */
  int reused = c->st && c->zq && strcmp(c->zq, zq) == 0 && query_reusable(t->qc, c->stamp);
  for (int attempt = 0; attempt < 2 && !err; attempt++) {
    int prc = SQLITE_OK, before = 0;
    if (reused) {
      st = c->st;
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      before = query_recompile_count(st);
    } else {
      sqlite3_finalize(c->st);
      sqlite3_free(c->zq);
      c->st = NULL;
      c->zq = NULL;
      st = NULL;
      prc = query_prepare(t->qc, FN, zq, &st, &err);
      if (prc == SQLITE_OK) {
        c->st = st;
        c->zq = sqlite3_mprintf("%s", zq);
        c->stamp = query_stamp(t->qc);
        if (!c->zq) err = sqlite3_mprintf("%s: out of memory", FN);
      }
    }
    if (prc == SQLITE_OK && !err &&
        query_bind(st, FN, given + 2, nParam, &err) == SQLITE_OK) {
      err = read_rows(&c->a, st, t->db);
    }
    if (st) sqlite3_reset(st);
    if (!reused || !query_recompiled(t->qc, st, before)) break;
    /* recompiled unchecked: forget its rows and check the text again */
    sqlite3_free(err);
    err = NULL;
    alloc_clear(&c->a);
    reused = 0;
  }
  query_leave(t->qc);
  if (!err) err = allocate_rows(&c->a, T);
  if (err) {
    alloc_clear(&c->a);
    return vtab_error(cur, err);
  }
  return SQLITE_OK;
}

static int allocNext(sqlite3_vtab_cursor *cur) {
  ((AllocCursor *)cur)->i++;
  return SQLITE_OK;
}

static int allocEof(sqlite3_vtab_cursor *cur) {
  AllocCursor *c = (AllocCursor *)cur;
  return c->i >= c->a.n;
}

static int allocColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  AllocCursor *c = (AllocCursor *)cur;
  const Row *r = &c->a.rows[c->i];
  switch (col) {
    case COL_KEY:
      switch (r->ktype) {
        case SQLITE_INTEGER:
          sqlite3_result_int64(ctx, r->key.i);
          break;
        case SQLITE_FLOAT:
          sqlite3_result_double(ctx, r->key.d);
          break;
        case SQLITE_TEXT:
          sqlite3_result_text64(ctx, r->key.s.len ? c->a.arena + r->key.s.off : "", r->key.s.len,
                                SQLITE_TRANSIENT, SQLITE_UTF8);
          break;
        case SQLITE_BLOB:
          sqlite3_result_blob64(ctx, r->key.s.len ? c->a.arena + r->key.s.off : "",
                                r->key.s.len, SQLITE_TRANSIENT);
          break;
        default:
          sqlite3_result_null(ctx);
      }
      break;
    case COL_WEIGHT:
      if (r->wtype == SQLITE_INTEGER)
        sqlite3_result_int64(ctx, r->w.i);
      else
        sqlite3_result_double(ctx, r->w.d);
      break;
    case COL_SHARE:
      if (c->a.wsum + c->a.wcomp > 0)
        sqlite3_result_double(
            ctx, (r->wtype == SQLITE_INTEGER ? (double)r->w.i : r->w.d) /
                     (c->a.wsum + c->a.wcomp));
      else
        sqlite3_result_null(ctx);
      break;
    case COL_AMOUNT:
      sqlite3_result_int64(ctx, r->amount);
      break;
    default: {
      int b = col - COL_TOTAL;
      if (b >= 0 && b < NHIDDEN && c->args[b])
        sqlite3_result_value(ctx, c->args[b]);
      else
        sqlite3_result_null(ctx);
    }
  }
  return SQLITE_OK;
}

static int allocRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((AllocCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module allocModule = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only: allocate(...) in FROM, no CREATE */
    .xConnect = allocConnect,
    .xBestIndex = allocBestIndex,
    .xDisconnect = allocDisconnect,
    .xOpen = allocOpen,
    .xClose = allocClose,
    .xFilter = allocFilter,
    .xNext = allocNext,
    .xEof = allocEof,
    .xColumn = allocColumn,
    .xRowid = allocRowid,
};

/* The module holds a reference to the connection's state, dropped when
** SQLite destroys the module (connection closed, or registered again). */
int allocate_register(sqlite3 *db, QueryConn *qc) {
  query_conn_ref(qc);
  return sqlite3_create_module_v2(db, FN, &allocModule, qc, query_conn_unref);
}
