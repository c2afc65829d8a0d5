/*
** apportion.c -- ext/apportion.c on its own, without SQLite: hand-worked
** apportionments, every refusal, the caller's allocator, and random cases
** against an independent Hamilton written here in plain 128-bit integers
** (floors and remainders of T*w/W, sorted by remainder, weight, position).
*/
#include "unit.h"

#include "apportion.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

static void items_of(ApItem *it, const int64_t *w, size_t n) {
  memset(it, 0, n * sizeof(*it));
  for (size_t i = 0; i < n; i++) ap_split_weight(&it[i], 1, w[i], 0);
}

UNIT_TEST(apportion_hand_worked) {
  /* 10 seats for 47000, 16000, 15800, 12000, 6100, 3100 (the Hamilton
  ** example of docs/src/50-allocate.md): quotas 4.70, 1.60, 1.58, 1.20,
  ** 0.61, 0.31 -> floors 4,1,1,1,0,0 (7), 3 left to .70, .61, .60 */
  int64_t w[] = {47000, 16000, 15800, 12000, 6100, 3100};
  int64_t want[] = {5, 2, 1, 1, 1, 0};
  ApItem it[6];
  ApReport rep;
  items_of(it, w, 6);
  CHECK(ap_allocate(it, 6, 10, 0, NULL, &rep) == AP_OK, "status");
  for (int i = 0; i < 6; i++)
    CHECK(it[i].amount == want[i], "item %d: %lld, want %lld", i, (long long)it[i].amount,
          (long long)want[i]);
  /* 2 over 1, 2, 1: floors 0, 1, 0; the one left goes to a remainder of
  ** 1/2, equal for the first and last items (equal weights): the earlier */
  int64_t w2[] = {1, 2, 1};
  items_of(it, w2, 3);
  CHECK(ap_allocate(it, 3, 2, 0, NULL, &rep) == AP_OK, "status");
  CHECK(it[0].amount == 1 && it[1].amount == 1 && it[2].amount == 0,
        "2 over 1,2,1: %lld %lld %lld", (long long)it[0].amount, (long long)it[1].amount,
        (long long)it[2].amount);
  /* equal remainders, different weights: the larger weight.  3 over 1, 3
  ** (W 4): quotas 0.75, 2.25 -> floors 0, 2, remainders 3/4 and 1/4; then
  ** 1 over 2, 6, 2 with quotas 0.2, 0.6, 0.2: the 6 */
  int64_t w5[] = {2, 6, 2};
  items_of(it, w5, 3);
  CHECK(ap_allocate(it, 3, 1, 0, NULL, &rep) == AP_OK && it[1].amount == 1, "largest remainder");
  /* 5 over 1, 3, 1 and 3 (W 8): quotas 5/8, 15/8, 5/8, 15/8 -> floors 0, 1, 0, 1;
  ** remainders 5/8, 7/8, 5/8, 7/8: the two 3s first, then the first 1 */
  int64_t w6[] = {1, 3, 1, 3};
  ApItem it4[4];
  items_of(it4, w6, 4);
  CHECK(ap_allocate(it4, 4, 5, 0, NULL, &rep) == AP_OK && it4[0].amount == 1 &&
            it4[1].amount == 2 && it4[2].amount == 0 && it4[3].amount == 2,
        "5 over 1,3,1,3: %lld %lld %lld %lld", (long long)it4[0].amount,
        (long long)it4[1].amount, (long long)it4[2].amount, (long long)it4[3].amount);
  /* real weights are exact: 0.25 and 0.75 of 4 are 1 and 3 */
  ap_split_weight(&it[0], 0, 0, 0.25);
  ap_split_weight(&it[1], 0, 0, 0.75);
  it[0].lo = it[1].lo = 0;
  it[0].hasHi = it[1].hasHi = 0;
  CHECK(ap_allocate(it, 2, 4, 0, NULL, &rep) == AP_OK && it[0].amount == 1 && it[1].amount == 3,
        "quarters: %lld %lld", (long long)it[0].amount, (long long)it[1].amount);
  /* a cap pins a row, the rest shares what is left: 100 over 1,1,2 with the
  ** last at most 30 -> 30 pinned, 70 over 1,1 = 35, 35 */
  int64_t w3[] = {1, 1, 2};
  items_of(it, w3, 3);
  it[2].hasHi = 1;
  it[2].hi = 30;
  CHECK(ap_allocate(it, 3, 100, 1, NULL, &rep) == AP_OK, "caps status");
  CHECK(it[0].amount == 35 && it[1].amount == 35 && it[2].amount == 30, "caps: %lld %lld %lld",
        (long long)it[0].amount, (long long)it[1].amount, (long long)it[2].amount);
}

UNIT_TEST(apportion_refusals) {
  ApItem it[2];
  ApReport rep;
  int64_t w[] = {1, 1};
  CHECK(ap_allocate(it, 0, 0, 0, NULL, &rep) == AP_OK, "nothing to share, no rows");
  CHECK(ap_allocate(it, 0, 5, 0, NULL, &rep) == AP_NO_ROWS, "no rows");
  int64_t z[] = {0, 0};
  items_of(it, z, 2);
  CHECK(ap_allocate(it, 2, 5, 0, NULL, &rep) == AP_ALL_ZERO, "zero weights");
  items_of(it, w, 2);
  it[0].lo = 4;
  it[1].lo = 4;
  CHECK(ap_allocate(it, 2, 5, 1, NULL, &rep) == AP_INFEASIBLE && rep.sumLo == 8 &&
            rep.hiUnbounded,
        "minimums above the total");
  items_of(it, w, 2);
  it[0].hasHi = it[1].hasHi = 1;
  it[0].hi = it[1].hi = 2;
  CHECK(ap_allocate(it, 2, 5, 1, NULL, &rep) == AP_INFEASIBLE && rep.sumHi == 4,
        "maximums below the total");
  /* a zero-weight row stays at its minimum: positive weights must take the rest */
  int64_t w4[] = {1, 0};
  items_of(it, w4, 2);
  it[0].hasHi = 1;
  it[0].hi = 2;
  it[1].hasHi = 1;
  it[1].hi = 10;
  CHECK(ap_allocate(it, 2, 5, 1, NULL, &rep) == AP_OVER_WEIGHTED_MAX && rep.sumHiW == 2,
        "over what positive weights can take");
}

static size_t live, peak;
static void *count_realloc(void *p, size_t n) {
  size_t *b = p ? (size_t *)p - 2 : NULL;
  if (b) live -= b[0];
  b = realloc(b, n + 2 * sizeof(size_t));
  if (!b) return NULL;
  b[0] = n;
  live += n;
  if (live > peak) peak = live;
  return b + 2;
}
static void count_free(void *p) {
  if (!p) return;
  size_t *b = (size_t *)p - 2;
  live -= b[0];
  free(b);
}

/* Independent Hamilton for integer weights and no caps. */
static void hamilton(const int64_t *w, size_t n, uint64_t T, int64_t *out) {
  u128 W = 0;
  for (size_t i = 0; i < n; i++) W += (uint64_t)w[i];
  u128 *rem = malloc(n * sizeof(u128));
  size_t *ord = malloc(n * sizeof(size_t));
  uint64_t left = T;
  for (size_t i = 0; i < n; i++) {
    u128 N = (u128)T * (uint64_t)w[i];
    out[i] = (int64_t)(N / W);
    rem[i] = N % W;
    left -= (uint64_t)out[i];
    ord[i] = i;
  }
  /* selection of the `left` best by (rem desc, w desc, i asc), O(n * left) */
  for (uint64_t k = 0; k < left; k++) {
    size_t best = k;
    for (size_t j = k + 1; j < n; j++) {
      size_t a = ord[j], b = ord[best];
      if (rem[a] > rem[b] || (rem[a] == rem[b] && (w[a] > w[b] || (w[a] == w[b] && a < b))))
        best = j;
    }
    size_t t = ord[k];
    ord[k] = ord[best];
    ord[best] = t;
    out[ord[k]]++;
  }
  free(rem);
  free(ord);
}

UNIT_TEST(apportion_random_against_independent) {
  uint64_t s = 0x243F6A8885A308D3ull;
  int bad = 0;
  for (int c = 0; c < 300 && !bad; c++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    size_t n = 1 + (size_t)(s >> 33) % 60;
    uint64_t T = (s >> 20) % (c % 3 == 0 ? 1000 : 1000000000ull);
    int64_t w[60], want[60];
    ApItem it[60];
    for (size_t i = 0; i < n; i++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      w[i] = (int64_t)((s >> 40) % (c % 2 ? 7 : 100000)) + (i == 0); /* ties, no all-zero */
    }
    items_of(it, w, n);
    ApReport rep;
    ApMem mem = {count_realloc, count_free};
    live = peak = 0;
    ApStatus st = ap_allocate(it, n, T, 0, &mem, &rep);
    hamilton(w, n, T, want);
    if (st != AP_OK) bad = 1;
    for (size_t i = 0; i < n && !bad; i++)
      if (it[i].amount != want[i]) bad = 1;
    CHECK(!bad, "case %d (n %zu, T %llu): status %d, differs from the independent Hamilton", c,
          n, (unsigned long long)T, (int)st);
    CHECK(live == 0 && peak > 0, "case %d: the caller's allocator took every buffer back (%zu left)",
          c, live);
  }
}
