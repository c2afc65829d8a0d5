/*
** allocate.c -- randomized checks of allocate(): thousands of cases, sizes
** 1..10^5, totals up to 2^62, weights with many ties and zeros.
**
** Each result is checked against facts computed here independently, in
** plain 128-bit integer arithmetic (no code shared with ext/allocate.c):
**   - Σ amount == total exactly;
**   - each amount is floor or floor+1 of the exact quota T*w/W;
**   - Hamilton: every row that got the extra unit ranks, by (remainder,
**     weight, earlier row), above every row that did not;
**   - real weights k/2^j give exactly the allocation of the integer weights
**     k*2^(J-j) (same ratios, so the same exact quotas);
**   - with caps: every amount within [min, max] and the capped optimality
**     condition max_j (a_j-1)/w_j < min_i (a_i+1)/w_i over rows j that sit
**     above their min and rows i that sit below their max (there is one λ
**     with every row within one unit of clamp(λ·w, min, max)).
*/
#include "unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef sqlite3_int64 i64;

static uint64_t rng_state = 0x1234567887654321ull;
static uint64_t rnd(void) {
  /* splitmix64: deterministic, so a failure reproduces */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static uint64_t rnd_below(uint64_t n) { return n ? rnd() % n : 0; }

/* Fills temp table w(k, w, lo, hi) and runs allocate over it. */
static int run_alloc(sqlite3 *db, uint64_t T, int n, const i64 *wi,
                     const double *wd, const i64 *lo, const i64 *hi,
                     i64 *out, char **errmsg) {
  sqlite3_exec(db, "DROP TABLE IF EXISTS temp.w;"
                   "CREATE TEMP TABLE w(k INTEGER PRIMARY KEY, w, lo, hi);"
                   "BEGIN",
               0, 0, 0);
  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO w VALUES (?1, ?2, ?3, ?4)", -1, &ins, 0);
  for (int i = 0; i < n; i++) {
    sqlite3_bind_int64(ins, 1, i);
    if (wd)
      sqlite3_bind_double(ins, 2, wd[i]);
    else
      sqlite3_bind_int64(ins, 2, wi[i]);
    if (lo && lo[i] >= 0) sqlite3_bind_int64(ins, 3, lo[i]); else sqlite3_bind_null(ins, 3);
    if (hi && hi[i] >= 0) sqlite3_bind_int64(ins, 4, hi[i]); else sqlite3_bind_null(ins, 4);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
  sqlite3_stmt *st;
  const char *sql =
      lo ? "SELECT key, amount FROM allocate(?1, 'SELECT k, w, lo, hi FROM w ORDER BY k')"
         : "SELECT key, amount FROM allocate(?1, 'SELECT k, w FROM w ORDER BY k')";
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) {
    *errmsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_bind_int64(st, 1, (i64)T);
  int i = 0, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (i < n && sqlite3_column_int64(st, 0) == i) out[i] = sqlite3_column_int64(st, 1);
    else out[i < n ? i : 0] = -999; /* order broken */
    i++;
  }
  if (rc != SQLITE_DONE) *errmsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return 1;
  if (i != n) {
    *errmsg = sqlite3_mprintf("got %d rows for %d", i, n);
    return 1;
  }
  return 0;
}

/* (r, w, -i) ranks a before b? */
static int ranks_before(u128 ra, i64 wa, int ia, u128 rb, i64 wb, int ib) {
  if (ra != rb) return ra > rb;
  if (wa != wb) return wa > wb;
  return ia < ib;
}

/* Checks an uncapped allocation of integer weights; returns failures. */
static int check_hamilton(const char *what, uint64_t T, int n, const i64 *w,
                          const i64 *a) {
  u128 W = 0;
  for (int i = 0; i < n; i++) W += (u128)w[i];
  u128 sum = 0;
  int bad = 0;
  int haveMinX = 0, haveMaxN = 0, ix = -1, in = -1;
  u128 rx = 0, rn = 0;
  for (int i = 0; i < n; i++) {
    sum += (u128)a[i];
    if (W == 0) {
      if (a[i] != 0) bad++;
      continue;
    }
    u128 N = (u128)T * (u128)w[i];
    u128 f = N / W, r = N % W;
    if ((u128)a[i] == f + 1) {
      /* got the extra unit: track the worst such row */
      if (!haveMinX || ranks_before(rx, w[ix], ix, r, w[i], i)) { rx = r; ix = i; }
      haveMinX = 1;
    } else if ((u128)a[i] == f) {
      if (!haveMaxN || ranks_before(r, w[i], i, rn, w[in], in)) { rn = r; in = i; }
      haveMaxN = 1;
    } else {
      bad++;
      if (bad < 3)
        CHECK(0, "%s: row %d amount %lld is not floor/ceil of quota (floor %llu)",
              what, i, (long long)a[i], (unsigned long long)f);
    }
  }
  CHECK(sum == (u128)T, "%s: sum %llu != total %llu", what,
        (unsigned long long)sum, (unsigned long long)T);
  if (haveMinX && haveMaxN)
    CHECK(ranks_before(rx, w[ix], ix, rn, w[in], in),
          "%s: Hamilton order broken: row %d got the extra unit but row %d "
          "ranks higher", what, ix, in);
  CHECK(bad == 0, "%s: %d rows off their quota", what, bad);
  return bad;
}

static void gen_weights(int n, i64 *w, int kind) {
  uint64_t range = kind == 0 ? 5 : kind == 1 ? 1000 : kind == 2 ? 1000000007ull
                   : (1ull << 62);
  int zeros = rnd_below(4) == 0;
  for (int i = 0; i < n; i++) {
    w[i] = (i64)rnd_below(range) + 1;
    if (zeros && rnd_below(5) == 0) w[i] = 0;
  }
}

static uint64_t gen_total(void) {
  switch (rnd_below(5)) {
    case 0: return rnd_below(20);
    case 1: return rnd_below(100000);
    case 2: return rnd_below(1ull << 40);
    case 3: return 9007199254740992ull - rnd_below(3); /* near 2^53 */
    default: return rnd_below(1ull << 62);
  }
}

UNIT_TEST(allocate_random_hamilton) {
  sqlite3 *db = unit_open();
  int nmax = 100000;
  i64 *w = malloc(sizeof(i64) * nmax), *a = malloc(sizeof(i64) * nmax);
  int cases = 0, failures = 0;
  for (int c = 0; c < 2500; c++) {
    int n;
    if (c % 500 == 499) n = nmax - (int)rnd_below(10);      /* 5 huge */
    else if (c % 50 == 49) n = 1000 + (int)rnd_below(5000); /* some big */
    else n = 1 + (int)rnd_below(40);
    gen_weights(n, w, (int)rnd_below(4));
    uint64_t T = gen_total();
    u128 W = 0;
    for (int i = 0; i < n; i++) W += (u128)w[i];
    if (W == 0) T = 0;
    char *err = NULL;
    char what[64];
    snprintf(what, sizeof what, "case %d (n=%d, T=%llu)", c, n, (unsigned long long)T);
    if (run_alloc(db, T, n, w, NULL, NULL, NULL, a, &err)) {
      CHECK(0, "%s: error %s", what, err ? err : "?");
      sqlite3_free(err);
      failures++;
      continue;
    }
    failures += check_hamilton(what, T, n, w, a) != 0;
    cases++;
  }
  CHECK(cases == 2500, "ran %d of 2500 cases", cases);
  free(w);
  free(a);
  sqlite3_close(db);
}

/* Real weights k/2^j equal the integer weights k*2^(J-j): same allocation. */
UNIT_TEST(allocate_random_real_weights) {
  sqlite3 *db = unit_open();
  int nmax = 2000;
  i64 *wi = malloc(sizeof(i64) * nmax), *a = malloc(sizeof(i64) * nmax);
  double *wd = malloc(sizeof(double) * nmax);
  for (int c = 0; c < 600; c++) {
    int n = 1 + (int)rnd_below(c % 60 == 0 ? nmax : 30);
    int J = 1 + (int)rnd_below(40);
    int kbits = 1 + (int)rnd_below(62 - J < 20 ? 62 - J : 20);
    for (int i = 0; i < n; i++) {
      i64 k = (i64)rnd_below(1ull << kbits) + 1;
      int j = (int)rnd_below((uint64_t)J + 1);
      if (rnd_below(7) == 0) k = 0;
      wd[i] = (double)k / (double)(1ull << j);
      wi[i] = k << (J - j);
    }
    u128 W = 0;
    for (int i = 0; i < n; i++) W += (u128)wi[i];
    uint64_t T = W ? gen_total() : 0;
    char *err = NULL;
    char what[80];
    snprintf(what, sizeof what, "real case %d (n=%d, T=%llu, J=%d)", c, n,
             (unsigned long long)T, J);
    if (run_alloc(db, T, n, NULL, wd, NULL, NULL, a, &err)) {
      CHECK(0, "%s: error %s", what, err ? err : "?");
      sqlite3_free(err);
      continue;
    }
    check_hamilton(what, T, n, wi, a);
  }
  /* Widely spread magnitudes go through the multi-limb path. */
  for (int c = 0; c < 200; c++) {
    int n = 2 + (int)rnd_below(20);
    for (int i = 0; i < n; i++) {
      /* 2^-200 .. 2^200 times a small odd integer: spread far past 128 bits */
      int ex = (int)rnd_below(401) - 200;
      wd[i] = (double)(2 * rnd_below(1000) + 1) * __builtin_ldexp(1.0, ex);
    }
    uint64_t T = gen_total();
    char *err = NULL;
    if (run_alloc(db, T, n, NULL, wd, NULL, NULL, a, &err)) {
      CHECK(0, "spread case %d: error %s", c, err ? err : "?");
      sqlite3_free(err);
      continue;
    }
    /* exact check with the largest exponent gap scaled in: quota of row i
    ** is T*w_i/W; rows far below the largest get 0 or 1; the sum is exact */
    u128 s = 0;
    double W = 0;
    for (int i = 0; i < n; i++) { s += (u128)a[i]; W += wd[i]; }
    CHECK(s == (u128)T, "spread case %d: sum differs from total", c);
    for (int i = 0; i < n; i++) {
      double q = (double)T * (wd[i] / W);
      CHECK(a[i] >= q - 1 - q * 1e-12 && a[i] <= q + 1 + q * 1e-12,
            "spread case %d: row %d amount %lld far from quota %g", c, i,
            (long long)a[i], q);
    }
  }
  free(wi);
  free(wd);
  free(a);
  sqlite3_close(db);
}

/* Exact a/b < c/d for non-negative a, c and positive b, d. */
static int frac_lt(i64 a, i64 b, i64 c, i64 d) {
  return (__int128)a * d < (__int128)c * b;
}

UNIT_TEST(allocate_random_caps) {
  sqlite3 *db = unit_open();
  int nmax = 20000;
  i64 *w = malloc(sizeof(i64) * nmax), *a = malloc(sizeof(i64) * nmax);
  i64 *lo = malloc(sizeof(i64) * nmax), *hi = malloc(sizeof(i64) * nmax);
  int feasible = 0;
  for (int c = 0; c < 1500; c++) {
    int n = 1 + (int)rnd_below(c % 100 == 99 ? nmax : 25);
    gen_weights(n, w, (int)rnd_below(3));
    u128 sLo = 0, sHiW = 0;
    int inf = 0;
    for (int i = 0; i < n; i++) {
      lo[i] = rnd_below(3) == 0 ? (i64)rnd_below(50) : -1;
      hi[i] = rnd_below(3) == 0 ? (lo[i] < 0 ? 0 : lo[i]) + (i64)rnd_below(80) : -1;
      i64 l = lo[i] < 0 ? 0 : lo[i];
      sLo += (u128)l;
      if (w[i] == 0) sHiW += (u128)l;
      else if (hi[i] < 0) inf = 1;
      else sHiW += (u128)hi[i];
    }
    /* mostly feasible totals, some just outside */
    uint64_t span = inf ? 100 * (uint64_t)n + 1000 : (uint64_t)(sHiW - sLo);
    uint64_t T = (uint64_t)sLo + rnd_below(span + 1);
    int expectOk = 1;
    if (rnd_below(10) == 0) {
      if (sLo > 0) { T = (uint64_t)sLo - 1; expectOk = 0; }
      else if (!inf) { T = (uint64_t)sHiW + 1; expectOk = 0; }
    }
    if (sHiW == sLo && !inf && T != (uint64_t)sLo) expectOk = 0;
    char *err = NULL;
    int failed = run_alloc(db, T, n, w, NULL, lo, hi, a, &err);
    if (!expectOk) {
      CHECK(failed, "caps case %d: infeasible total %llu accepted", c, (unsigned long long)T);
      sqlite3_free(err);
      continue;
    }
    if (failed) {
      CHECK(0, "caps case %d (n=%d T=%llu): error %s", c, n, (unsigned long long)T,
            err ? err : "?");
      sqlite3_free(err);
      continue;
    }
    feasible++;
    u128 s = 0;
    /* max over "could give" of (a-1)/w, min over "could take" of (a+1)/w */
    int hg = 0, ht = 0;
    i64 gn = 0, gd = 1, tn = 0, td = 1;
    int within = 1;
    for (int i = 0; i < n; i++) {
      i64 l = lo[i] < 0 ? 0 : lo[i];
      s += (u128)a[i];
      if (a[i] < l || (hi[i] >= 0 && a[i] > hi[i])) within = 0;
      if (w[i] == 0) {
        if (a[i] != l) within = 0;
        continue;
      }
      if (a[i] > l && (!hg || frac_lt(gn, gd, a[i] - 1, w[i]))) {
        gn = a[i] - 1; gd = w[i]; hg = 1;
      }
      if ((hi[i] < 0 || a[i] < hi[i]) && (!ht || frac_lt(a[i] + 1, w[i], tn, td))) {
        tn = a[i] + 1; td = w[i]; ht = 1;
      }
    }
    CHECK(s == (u128)T, "caps case %d: sum differs", c);
    CHECK(within, "caps case %d: an amount lies outside its caps", c);
    if (hg && ht)
      CHECK(frac_lt(gn, gd, tn, td),
            "caps case %d: not proportional: %lld/%lld >= %lld/%lld", c,
            (long long)gn, (long long)gd, (long long)tn, (long long)td);
  }
  CHECK(feasible > 1000, "only %d feasible caps cases", feasible);
  free(w);
  free(a);
  free(lo);
  free(hi);
  sqlite3_close(db);
}
