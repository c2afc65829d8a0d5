/*
** tests/unit/stats.c -- median and percentiles on data too large for a
** .test file: the radix-sort path (thousands of values), whole-partition
** windows, wide sliding frames and peer groups entering at once.
**
** The reference sorts with libc qsort and applies the definition (the
** height at f*(n-1) of the line through the sorted values), so it shares no
** code with ext/stats.c.
*/
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t lcg_state;
static uint64_t lcg(void) {
  lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
  return lcg_state >> 11;
}

/* A mix of what sales data holds: small counts with many ties, negative
** adjustments, reals of every size, and a few extreme values. */
static double random_value(void) {
  uint64_t r = lcg() % 100;
  if (r < 30) return (double)(lcg() % 20);
  if (r < 45) return -(double)(lcg() % 1000) / 8.0;
  if (r < 90) return ((double)(lcg() % 2000000) - 1000000.0) * 1.5e-3;
  if (r < 93) return ldexp((double)(lcg() % 1000), (int)(lcg() % 600) - 300);
  if (r < 95) return -0.0;
  if (r < 96) return 9223372036854775807.0;
  if (r < 97) return -DBL_MAX / 4;
  if (r < 98) return 4.9e-324;
  return (double)(lcg() % 1000000007);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Sorts a copy of v[0..n) and applies the definition. */
static double reference(const double *v, size_t n, double f, int discrete) {
  double *s = malloc(n * sizeof *s);
  memcpy(s, v, n * sizeof *s);
  qsort(s, n, sizeof *s, cmp_double);
  double pos = f * (double)(n - 1);
  size_t i = (size_t)floor(pos);
  double r = s[i];
  if (!discrete && i + 1 < n && pos > (double)i)
    r = s[i] + (s[i + 1] - s[i]) * (pos - (double)i);
  free(s);
  return r;
}

static int same(double a, double b) {
  if (a == b) return 1;
  return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

static void fill(sqlite3 *db, const char *sql, const double *v, const int *part,
                 size_t n) {
  sqlite3_stmt *st;
  sqlite3_exec(db, "BEGIN", 0, 0, 0);
  sqlite3_prepare_v2(db, sql, -1, &st, 0);
  for (size_t i = 0; i < n; i++) {
    sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
    sqlite3_bind_int(st, 2, part ? part[i] : 0);
    sqlite3_bind_double(st, 3, v[i]);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
}

UNIT_TEST(stats_aggregate_large) {
  sqlite3 *db = unit_open();
  enum { N = 60000 };
  double *v = malloc(N * sizeof *v);
  lcg_state = 1;
  for (size_t i = 0; i < N; i++) v[i] = random_value();
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, p, x)", 0, 0, 0);
  fill(db, "INSERT INTO t VALUES (?1, ?2, ?3)", v, NULL, N);

  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(
      db,
      "SELECT median(x), percentile(x, 37), percentile_cont(x, 0.999),"
      " percentile_disc(x, 0.9), percentile(x, 0), percentile(x, 100) FROM t",
      -1, &st, 0);
  CHECK(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(db));
  CHECK(sqlite3_step(st) == SQLITE_ROW, "step: %s", sqlite3_errmsg(db));
  static const double fr[] = {0.5, 0.37, 0.999, 0.9, 0, 1};
  static const int disc[] = {0, 0, 0, 1, 0, 0};
  for (int c = 0; c < 6; c++) {
    double want = reference(v, N, fr[c], disc[c]);
    double got = sqlite3_column_double(st, c);
    CHECK(sqlite3_column_type(st, c) == SQLITE_FLOAT && same(got, want),
          "column %d over %d values: want %.17g, got %.17g", c, N, want, got);
  }
  sqlite3_finalize(st);
  free(v);
  sqlite3_close(db);
}

UNIT_TEST(stats_whole_partitions) {
  sqlite3 *db = unit_open();
  enum { N = 40000, P = 7 };
  double *v = malloc(N * sizeof *v);
  int *part = malloc(N * sizeof *part);
  lcg_state = 2;
  /* partitions of very different sizes: 0 gets about half the rows */
  for (size_t i = 0; i < N; i++) {
    v[i] = random_value();
    uint64_t r = lcg() % 64;
    part[i] = r < 32 ? 0 : (int)(r % P);
  }
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, p, x)", 0, 0, 0);
  fill(db, "INSERT INTO t VALUES (?1, ?2, ?3)", v, part, N);

  double want[P][2];
  double *buf = malloc(N * sizeof *buf);
  for (int p = 0; p < P; p++) {
    size_t n = 0;
    for (size_t i = 0; i < N; i++)
      if (part[i] == p) buf[n++] = v[i];
    want[p][0] = reference(buf, n, 0.5, 0);
    want[p][1] = reference(buf, n, 0.25, 1);
  }
  free(buf);

  static const char *const sql[] = {
      "SELECT p, median(x) OVER (PARTITION BY p),"
      " percentile_disc(x, 0.25) OVER (PARTITION BY p) FROM t",
      "SELECT p, median(x) OVER w, percentile_disc(x, 0.25) OVER w FROM t"
      " WINDOW w AS (PARTITION BY p ORDER BY x ROWS BETWEEN UNBOUNDED"
      " PRECEDING AND UNBOUNDED FOLLOWING)",
  };
  for (int q = 0; q < 2; q++) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql[q], -1, &st, 0);
    CHECK(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(db));
    int rows = 0, bad = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      int p = sqlite3_column_int(st, 0);
      rows++;
      if (!same(sqlite3_column_double(st, 1), want[p][0]) ||
          !same(sqlite3_column_double(st, 2), want[p][1])) {
        if (bad++ == 0)
          CHECK(0, "query %d partition %d: want %.17g and %.17g, got %.17g and %.17g",
                q, p, want[p][0], want[p][1], sqlite3_column_double(st, 1),
                sqlite3_column_double(st, 2));
      }
    }
    CHECK(rows == N && bad == 0, "query %d: %d rows, %d wrong", q, rows, bad);
    sqlite3_finalize(st);
  }
  free(v);
  free(part);
  sqlite3_close(db);
}

/* Frames that slide (xInverse), that grow by whole peer groups (the tail
** merge) and that shrink, each checked row by row against a fresh sort. */
UNIT_TEST(stats_sliding_frames) {
  sqlite3 *db = unit_open();
  enum { N = 3000, H = 150, G = 40 };
  double *v = malloc(N * sizeof *v);
  int *grp = malloc(N * sizeof *grp);
  lcg_state = 3;
  for (size_t i = 0; i < N; i++) {
    v[i] = random_value();
    grp[i] = (int)(i / G); /* ids in order, G rows per peer group */
  }
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, g, x)", 0, 0, 0);
  fill(db, "INSERT INTO t VALUES (?1, ?2, ?3)", v, grp, N);

  struct {
    const char *sql;
    int kind; /* 0: rows i-H..i+H  1: groups g-1..g  2: rows i..end */
    double f;
    int discrete;
  } cases[] = {
      {"SELECT median(x) OVER (ORDER BY id ROWS BETWEEN 150 PRECEDING AND"
       " 150 FOLLOWING) FROM t ORDER BY id", 0, 0.5, 0},
      {"SELECT percentile_disc(x, 0.8) OVER (ORDER BY g GROUPS BETWEEN 1"
       " PRECEDING AND CURRENT ROW) FROM t ORDER BY id", 1, 0.8, 1},
      {"SELECT percentile(x, 5) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW"
       " AND UNBOUNDED FOLLOWING) FROM t ORDER BY id", 2, 0.05, 0},
  };
  for (int c = 0; c < 3; c++) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, cases[c].sql, -1, &st, 0);
    CHECK(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(db));
    int bad = 0;
    size_t i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      size_t lo, hi;
      if (cases[c].kind == 0) {
        lo = i >= H ? i - H : 0;
        hi = i + H < N ? i + H : N - 1;
      } else if (cases[c].kind == 1) {
        int g = grp[i];
        lo = (size_t)(g > 0 ? g - 1 : 0) * G;
        hi = (size_t)(g + 1) * G - 1;
        if (hi >= N) hi = N - 1;
      } else {
        lo = i;
        hi = N - 1;
      }
      double want = reference(v + lo, hi - lo + 1, cases[c].f, cases[c].discrete);
      double got = sqlite3_column_double(st, 0);
      if (!same(got, want) && bad++ == 0)
        CHECK(0, "case %d row %zu: want %.17g, got %.17g", c, i, want, got);
      i++;
    }
    CHECK(i == N && bad == 0, "case %d: %zu rows, %d wrong", c, i, bad);
    sqlite3_finalize(st);
  }
  free(v);
  free(grp);
  sqlite3_close(db);
}

/* The reference frame for the large cases: a sorted array kept by
** insertion and removal (the simple O(n) way), checked itself against a
** fresh qsort every so often. */
typedef struct Ref {
  double *v;
  size_t n;
} Ref;

static size_t ref_pos(const Ref *r, double x) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r->v[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}
static void ref_add(Ref *r, double x) {
  size_t at = ref_pos(r, x);
  memmove(r->v + at + 1, r->v + at, (r->n - at) * sizeof *r->v);
  r->v[at] = x;
  r->n++;
}
static void ref_del(Ref *r, double x) {
  size_t at = ref_pos(r, x);
  memmove(r->v + at, r->v + at + 1, (r->n - at - 1) * sizeof *r->v);
  r->n--;
}
static double ref_value(const Ref *r, double f, int discrete) {
  double pos = f * (double)(r->n - 1);
  size_t i = (size_t)pos;
  if (discrete || i + 1 >= r->n || pos == (double)i) return r->v[i];
  return r->v[i] + (r->v[i + 1] - r->v[i]) * (pos - (double)i);
}

/* Frames of more than 8192 values that keep changing: running (growing),
** wide sliding and shrinking frames, and a frame growing by peer groups. */
UNIT_TEST(stats_large_changing_frames) {
  sqlite3 *db = unit_open();
  enum { N = 20000, H = 4500, G = 50 };
  double *v = malloc(N * sizeof *v);
  int *grp = malloc(N * sizeof *grp);
  lcg_state = 4;
  for (size_t i = 0; i < N; i++) {
    v[i] = random_value();
    grp[i] = (int)(i / G);
  }
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, g, x)", 0, 0, 0);
  fill(db, "INSERT INTO t VALUES (?1, ?2, ?3)", v, grp, N);

  struct {
    const char *sql;
    int kind; /* 0 growing, 1 rows i-H..i+H, 2 rows i..end, 3 groups 0..g */
    double f;
    int discrete;
  } cases[] = {
      {"SELECT median(x) OVER (ORDER BY id) FROM t ORDER BY id", 0, 0.5, 0},
      {"SELECT percentile(x, 30) OVER (ORDER BY id ROWS BETWEEN 4500 PRECEDING"
       " AND 4500 FOLLOWING) FROM t ORDER BY id", 1, 0.3, 0},
      {"SELECT percentile_disc(x, 0.9) OVER (ORDER BY id ROWS BETWEEN CURRENT"
       " ROW AND UNBOUNDED FOLLOWING) FROM t ORDER BY id", 2, 0.9, 1},
      {"SELECT percentile_cont(x, 0.75) OVER (ORDER BY g) FROM t ORDER BY id",
       3, 0.75, 0},
  };
  Ref r = {malloc(N * sizeof(double)), 0};
  for (int c = 0; c < 4; c++) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, cases[c].sql, -1, &st, 0);
    CHECK(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(db));
    r.n = 0;
    size_t lo = 0, hi = 0; /* the reference holds rows lo..hi-1 */
    if (cases[c].kind == 2)
      for (; hi < N; hi++) ref_add(&r, v[hi]);
    int bad = 0;
    size_t i = 0;
    while (sqlite3_step(st) == SQLITE_ROW && i < N) {
      size_t want_lo, want_hi;
      switch (cases[c].kind) {
        case 0: want_lo = 0; want_hi = i + 1; break;
        case 1:
          want_lo = i >= H ? i - H : 0;
          want_hi = i + H + 1 < N ? i + H + 1 : N;
          break;
        case 2: want_lo = i; want_hi = N; break;
        default:
          want_lo = 0;
          want_hi = (size_t)(grp[i] + 1) * G;
          if (want_hi > N) want_hi = N;
      }
      for (; hi < want_hi; hi++) ref_add(&r, v[hi]);
      for (; lo < want_lo; lo++) ref_del(&r, v[lo]);
      double want = ref_value(&r, cases[c].f, cases[c].discrete);
      if (i % 997 == 0) {
        double check = reference(v + lo, hi - lo, cases[c].f, cases[c].discrete);
        CHECK(same(check, want), "case %d row %zu: reference %.17g vs qsort %.17g",
              c, i, want, check);
      }
      double got = sqlite3_column_double(st, 0);
      if (!same(got, want) && bad++ == 0)
        CHECK(0, "case %d row %zu: want %.17g, got %.17g", c, i, want, got);
      i++;
    }
    CHECK(i == N && bad == 0, "case %d: %zu rows, %d wrong", c, i, bad);
    sqlite3_finalize(st);
  }
  free(r.v);
  free(v);
  free(grp);
  sqlite3_close(db);
}
