/*
** unitsales.c -- unit_sales(), the sales under every unit of the org tree
** (its hospitals and those of every unit below it) per product, over up to
** three runs of months at once, summed in C: the actuals of the progress
** report (sql/reports/progress.sql).
**
**   SELECT * FROM unit_sales('2026-01', '2026-06');
**   SELECT * FROM unit_sales('2026-01', '2026-06', '2026-04', '2026-06', '2026-06', '2026-06');
**
** Columns: unit_id, product_id, sales1, sales2, sales3; hidden first1,
** last1, first2, last2, first3, last3.  sales_k is the sum of sale.amount
** over the months first_k .. last_k ('YYYY-MM') of the product into every
** hospital whose unit is unit_id or a unit below it; NULL where no sale
** row adds to it (as SQL's sum()), and NULL for a run left out, with a NULL
** bound, or with first_k after last_k.  One row per org unit and product
** that has a sale row in some run under it, in unit_id, product_id order.
** The sums are the same additions, in the same order, as
**   WITH h AS (SELECT hospital_id, product_id,
**                     sum(amount) FILTER (WHERE period BETWEEN :first1 AND :last1) AS a1, ...
**                FROM sale GROUP BY hospital_id, product_id),      -- months in order
**        u AS (SELECT hs.unit_id, h.product_id, sum(h.a1) AS a1, ...
**                FROM h JOIN hospital hs ON hs.id = h.hospital_id
**               GROUP BY 1, 2)                                      -- hospitals in id order
**   SELECT anc.id, u.product_id, sum(u.a1), ...                    -- units in id order
**     FROM u JOIN <each unit with every unit above it> anc ... GROUP BY 1, 2
** (tests/sql/unit_sales_gen.test compares the two).
**
** Why C: that is a grouping pass over every sale row, a grouping per unit
** and a join of every unit with its ancestors and a grouping again, about a
** second at 1.8 million sale rows; here sale is read once in table order
** (no index), summed per hospital and product in a hash (56 bytes a
** group), the groups sorted, hospital read alongside in id order, and the
** sums go up the tree in arrays indexed by unit (32 bytes a unit and
** product, twice).  A group's months must come in month order for the
** same additions as the key order (they do when sales are loaded month by
** month, or in key order); at the first group whose months do not, sale is
** read again in its key order (hospital_id, product_id, period).
**
** Errors: "unit_sales: first1 must be a month YYYY-MM, got '2026-13'"
** (any bound that is not NULL or such a month; the value shown as
** args.h's value_repr), and a call without first1 and last1.  Sale rows whose hospital is not in hospital,
** and hospitals whose unit is not in org_unit, add nothing (as the joins).
*/
#include "readvtab.h"
#include "registry.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 us_i64;

enum {
  US_COL_UNIT,
  US_COL_PRODUCT,
  US_COL_S1,
  US_COL_S2,
  US_COL_S3,
  US_COL_FIRST1, /* first1, last1, first2, last2, first3, last3 */
  US_NCOL = US_COL_FIRST1 + 6
};

#define US_NRUN 3

/* one unit's sums for one product; has: bit k once run k had anything */
typedef struct UsAcc {
  double s[US_NRUN];
  unsigned has;
} UsAcc;

typedef struct UsProduct {
  us_i64 id;
  UsAcc *dir; /* by unit index: its own hospitals */
  UsAcc *tot; /* by unit index: its own and every unit's below it */
} UsProduct;

typedef ReadVtab UsVtab;

typedef struct UsCursor {
  sqlite3_vtab_cursor base;
  us_i64 *unit;     /* org_unit ids, ascending */
  int *parent;      /* index of the parent unit, -1 none */
  int nunit;
  UsProduct *prod;  /* in product id order once filtered */
  int nprod, capprod;
  /* the rows: unit index iu, product index ip */
  int iu, ip;
  int eof;
} UsCursor;

static int usConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads only sale, hospital and org_unit with fixed
  ** queries and bound values. */
  return readvtab_connect(db, "CREATE TABLE x(unit_id INTEGER, product_id INTEGER,"
                              " sales1 REAL, sales2 REAL, sales3 REAL,"
                              " first1 HIDDEN, last1 HIDDEN, first2 HIDDEN, last2 HIDDEN,"
                              " first3 HIDDEN, last3 HIDDEN)", pp);
}

static void us_reset(UsCursor *c) {
  for (int p = 0; p < c->nprod; p++) {
    sqlite3_free(c->prod[p].dir);
    sqlite3_free(c->prod[p].tot);
  }
  sqlite3_free(c->prod);
  sqlite3_free(c->unit);
  sqlite3_free(c->parent);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
  c->eof = 1;
}

static int usOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  int rc = readvtab_open(sizeof(UsCursor), pp);
  if (rc == SQLITE_OK) ((UsCursor *)*pp)->eof = 1; /* before any filter: no rows */
  return rc;
}

static int usClose(sqlite3_vtab_cursor *cur) {
  us_reset((UsCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* first1 and last1 are required (=), the other bounds optional; idxNum has
** bit h set for each hidden column h given, in argv in column order; rows
** come in unit_id, product_id order. */
static int usBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[6] = {-1, -1, -1, -1, -1, -1}, unusable = 0;
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < US_COL_FIRST1 || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int h = k->iColumn - US_COL_FIRST1;
    if (!k->usable) unusable |= 1 << h;
    else if (at[h] < 0) at[h] = i;
  }
  for (int h = 0; h < 6; h++)
    if ((unusable & (1 << h)) && at[h] < 0) return SQLITE_CONSTRAINT;
  (void)v;
  int n = 0, mask = 0;
  for (int h = 0; h < 6; h++) {
    if (at[h] < 0) continue;
    ix->aConstraintUsage[at[h]].argvIndex = ++n;
    ix->aConstraintUsage[at[h]].omit = 1;
    mask |= 1 << h;
  }
  ix->idxNum = mask;
  /* A plan without first1 and last1 (SQLite tries some, e.g. for an OR in
  ** the WHERE clause) costs too much to be chosen; if it is the only one,
  ** the call lacks them and xFilter says so. */
  if (at[0] < 0 || at[1] < 0) {
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
  }
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == US_COL_UNIT && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  if (ix->nOrderBy == 2 && ix->aOrderBy[0].iColumn == US_COL_UNIT && !ix->aOrderBy[0].desc &&
      ix->aOrderBy[1].iColumn == US_COL_PRODUCT && !ix->aOrderBy[1].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

/* A month 'YYYY-MM' (01..12) into m[0..7], or NULL (*has = 0); else an
** error naming the argument (tvf_month()). */
static int us_month(UsCursor *c, sqlite3_value *v, const char *arg, char *m, int *has) {
  int rc = tvf_month(c->base.pVtab, "unit_sales", v, arg, has);
  if (rc == SQLITE_OK && *has) {
    memcpy(m, sqlite3_value_text(v), 7);
    m[7] = 0;
  }
  return rc;
}

/* index of unit id u in c->unit, else -1 */
static int us_unit_index(const UsCursor *c, us_i64 u) {
  int lo = 0, hi = c->nunit - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (c->unit[mid] == u) return mid;
    if (c->unit[mid] < u) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/* org_unit into unit[] (id order) and parent[] */
static int us_load_units(UsCursor *c, sqlite3 *db) {
  sqlite3_stmt *st = 0;
  us_i64 *par = 0;
  int cap = 0, rc = sqlite3_prepare_v2(db, "SELECT id, parent_id FROM org_unit ORDER BY id", -1, &st, 0);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (c->nunit == cap) {
      int ncap = cap ? cap * 2 : 1024;
      us_i64 *u = sqlite3_realloc64(c->unit, (sqlite3_uint64)ncap * sizeof(*u));
      if (u) c->unit = u;
      us_i64 *p = u ? sqlite3_realloc64(par, (sqlite3_uint64)ncap * sizeof(*p)) : 0;
      if (!p) {
        rc = SQLITE_NOMEM;
        break;
      }
      par = p;
      cap = ncap;
    }
    c->unit[c->nunit] = sqlite3_column_int64(st, 0);
    /* no parent: -1 (ids are never that, the company has NULL) */
    par[c->nunit] = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 1);
    c->nunit++;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE && c->nunit > 0) {
    c->parent = sqlite3_malloc64((sqlite3_uint64)c->nunit * sizeof(int));
    if (!c->parent) rc = SQLITE_NOMEM;
    for (int i = 0; c->parent && i < c->nunit; i++)
      c->parent[i] = par[i] == -1 ? -1 : us_unit_index(c, par[i]);
  }
  sqlite3_free(par);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* the entry of product id p, added when new */
static UsProduct *us_product(UsCursor *c, us_i64 p) {
  for (int i = 0; i < c->nprod; i++)
    if (c->prod[i].id == p) return &c->prod[i];
  if (c->nprod == c->capprod) {
    int ncap = c->capprod ? c->capprod * 2 : 16;
    UsProduct *q = sqlite3_realloc64(c->prod, (sqlite3_uint64)ncap * sizeof(*q));
    if (!q) return 0;
    c->prod = q;
    c->capprod = ncap;
  }
  UsProduct *q = &c->prod[c->nprod];
  memset(q, 0, sizeof(*q));
  q->id = p;
  size_t bytes = (size_t)c->nunit * sizeof(UsAcc);
  q->dir = sqlite3_malloc64(bytes ? bytes : 1);
  q->tot = sqlite3_malloc64(bytes ? bytes : 1);
  if (!q->dir || !q->tot) {
    sqlite3_free(q->dir);
    sqlite3_free(q->tot);
    return 0;
  }
  memset(q->dir, 0, bytes);
  memset(q->tot, 0, bytes);
  c->nprod++;
  return q;
}

static int us_cmp_product(const void *a, const void *b) {
  us_i64 x = ((const UsProduct *)a)->id, y = ((const UsProduct *)b)->id;
  return x < y ? -1 : x > y;
}

/* adds one (hospital, product) group's sums h to its unit's direct sums */
static void us_add(UsAcc *to, const UsAcc *h) {
  for (int k = 0; k < US_NRUN; k++)
    if (h->has & (1u << k)) {
      to->s[k] += h->s[k];
      to->has |= 1u << k;
    }
}

/* One hospital and product's sums over the runs; last: its last month
** read (year * 12 + month), to check the order of the months. */
typedef struct UsGroup {
  us_i64 h, p;
  int last;
  UsAcc acc;
} UsGroup;

typedef struct UsGroups {
  UsGroup *g;
  size_t n, cap;
  uint32_t *slot; /* hash buckets: group index + 1, 0 empty */
  size_t nslot;
} UsGroups;

static void us_groups_free(UsGroups *gr) {
  sqlite3_free(gr->g);
  sqlite3_free(gr->slot);
  memset(gr, 0, sizeof(*gr));
}

/* a new group at the end; NULL: out of memory */
static UsGroup *us_group_new(UsGroups *gr, us_i64 h, us_i64 p) {
  if (gr->n == gr->cap) {
    size_t ncap = gr->cap ? gr->cap * 2 : 4096;
    UsGroup *q = sqlite3_realloc64(gr->g, ncap * sizeof(*q));
    if (!q) return 0;
    gr->g = q;
    gr->cap = ncap;
  }
  UsGroup *g = &gr->g[gr->n++];
  memset(g, 0, sizeof(*g));
  g->h = h;
  g->p = p;
  return g;
}

static size_t us_hash(us_i64 h, us_i64 p, size_t mask) {
  uint64_t x = (uint64_t)h * 0x9E3779B97F4A7C15ull ^ (uint64_t)p * 0xC2B2AE3D27D4EB4Full;
  x ^= x >> 29;
  return (size_t)(x & mask);
}

static int us_rehash(UsGroups *gr) {
  size_t n = gr->nslot ? gr->nslot * 2 : 8192;
  uint32_t *s = sqlite3_malloc64(n * sizeof(*s));
  if (!s) return SQLITE_NOMEM;
  memset(s, 0, n * sizeof(*s));
  for (size_t i = 0; i < gr->n; i++) {
    size_t b = us_hash(gr->g[i].h, gr->g[i].p, n - 1);
    while (s[b]) b = (b + 1) & (n - 1);
    s[b] = (uint32_t)(i + 1);
  }
  sqlite3_free(gr->slot);
  gr->slot = s;
  gr->nslot = n;
  return SQLITE_OK;
}

/* the group of (h, p), added when new; NULL: out of memory */
static UsGroup *us_group(UsGroups *gr, us_i64 h, us_i64 p) {
  if ((gr->n + 1) * 2 > gr->nslot && us_rehash(gr) != SQLITE_OK) return 0;
  size_t mask = gr->nslot - 1, b = us_hash(h, p, mask);
  while (gr->slot[b]) {
    UsGroup *g = &gr->g[gr->slot[b] - 1];
    if (g->h == h && g->p == p) return g;
    b = (b + 1) & mask;
  }
  UsGroup *g = us_group_new(gr, h, p);
  if (g) gr->slot[b] = (uint32_t)gr->n;
  return g;
}

static int us_cmp_group(const void *a, const void *b) {
  const UsGroup *x = a, *y = b;
  if (x->h != y->h) return x->h < y->h ? -1 : 1;
  if (x->p != y->p) return x->p < y->p ? -1 : 1;
  return 0;
}

/* adds a sale row's amount to the runs that hold its month per ('YYYY-MM') */
static void us_add_row(UsAcc *a, const unsigned char *per, double amount, char m[6][8],
                       const int *run) {
  for (int k = 0; k < US_NRUN; k++)
    if (run[k] && memcmp(per, m[2 * k], 7) >= 0 && memcmp(per, m[2 * k + 1], 7) <= 0) {
      a->s[k] += amount;
      a->has |= 1u << k;
    }
}

static int us_month_number(const unsigned char *z) {
  return ((z[0] - '0') * 1000 + (z[1] - '0') * 100 + (z[2] - '0') * 10 + (z[3] - '0')) * 12 +
         (z[5] - '0') * 10 + (z[6] - '0');
}

/* One row of the read below: its hospital and product, and its period, or
** 0 when the period is not 'YYYY-MM' (the CHECK keeps it so: skip it). */
static inline const unsigned char *us_sale_row(sqlite3_stmt *st, us_i64 *h, us_i64 *p) {
  *h = sqlite3_value_int64(sqlite3_column_value(st, 0));
  *p = sqlite3_value_int64(sqlite3_column_value(st, 1));
  sqlite3_value *pv = sqlite3_column_value(st, 2);
  const unsigned char *per = sqlite3_value_text(pv);
  return per && sqlite3_value_bytes(pv) == 7 ? per : 0;
}

/* The sale rows of the months lo..hi summed per hospital and product.
** in_key_order 0: read in table order (no index: the cheapest read), the
** groups sorted after; each group's months must come in order, for the
** same additions in the same order as the key order: SQLITE_ABORT at the
** first that does not (the caller then reads in key order).
** in_key_order 1: read in key order (hospital_id, product_id, period): the
** groups come in order, their months too. */
static int us_read(UsGroups *gr, sqlite3 *db, const char *lo, const char *hi, char m[6][8],
                   const int *run, int in_key_order) {
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db,
                              in_key_order
                                  ? "SELECT hospital_id, product_id, period, amount FROM sale"
                                    " WHERE +period >= ?1 AND +period <= ?2"
                                    " ORDER BY hospital_id, product_id, period"
                                  : "SELECT hospital_id, product_id, period, amount FROM sale NOT INDEXED"
                                    " WHERE +period >= ?1 AND +period <= ?2",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, lo, 7, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, hi, 7, SQLITE_STATIC);
  UsGroup *g = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    us_i64 h, p;
    const unsigned char *per = us_sale_row(st, &h, &p);
    if (!per) continue;
    if (!g || g->h != h || g->p != p) {
      if (in_key_order) {
        g = us_group_new(gr, h, p);
      } else {
        /* rows of one group often follow each other */
        size_t n = gr->n;
        g = us_group(gr, h, p);
        if (g && gr->n > n) g->last = -1; /* new */
      }
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
    }
    if (!in_key_order) {
      int mn = us_month_number(per);
      if (mn <= g->last) {
        rc = SQLITE_ABORT;
        break;
      }
      g->last = mn;
    }
    us_add_row(&g->acc, per, sqlite3_value_double(sqlite3_column_value(st, 3)), m, run);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rc;
  if (!in_key_order && gr->n > 1) qsort(gr->g, gr->n, sizeof(*gr->g), us_cmp_group);
  return SQLITE_OK;
}

static int us_advance(UsCursor *c);

static int usFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  static const char *const names[6] = {"first1", "last1", "first2", "last2", "first3", "last3"};
  UsCursor *c = (UsCursor *)cur;
  sqlite3 *db = ((UsVtab *)cur->pVtab)->db;
  us_reset(c);
  if ((idxNum & 3) != 3)
    return tvf_error(c->base.pVtab, sqlite3_mprintf("unit_sales: needs the months: unit_sales(first1, last1"
                                                    " [, first2, last2 [, first3, last3]])"));
  char m[6][8];
  int has[6] = {0}, rc = SQLITE_OK, a = 0;
  for (int h = 0; h < 6; h++) {
    if (!(idxNum & (1 << h))) continue;
    if ((rc = us_month(c, argv[a++], names[h], m[h], &has[h])) != SQLITE_OK) return rc;
  }
  /* the runs that can hold a month, and the span of them all */
  int run[US_NRUN], any = 0;
  char lo[8] = "9999-99", hi[8] = "0000-00";
  for (int k = 0; k < US_NRUN; k++) {
    run[k] = has[2 * k] && has[2 * k + 1] && strcmp(m[2 * k], m[2 * k + 1]) <= 0;
    if (!run[k]) continue;
    any = 1;
    if (strcmp(m[2 * k], lo) < 0) memcpy(lo, m[2 * k], 8);
    if (strcmp(m[2 * k + 1], hi) > 0) memcpy(hi, m[2 * k + 1], 8);
  }
  if (!any) return SQLITE_OK;
  if ((rc = us_load_units(c, db)) != SQLITE_OK) goto fail;
  if (c->nunit == 0) return SQLITE_OK;

  /* each hospital and product's sums, in (hospital_id, product_id) order */
  UsGroups gr;
  memset(&gr, 0, sizeof(gr));
  rc = us_read(&gr, db, lo, hi, m, run, 0);
  if (rc == SQLITE_ABORT) {
    /* a group's months came out of order: in key order instead */
    us_groups_free(&gr);
    rc = us_read(&gr, db, lo, hi, m, run, 1);
  }
  if (rc != SQLITE_OK) {
    us_groups_free(&gr);
    goto fail;
  }
  /* each group to its hospital's unit, hospitals in id order (hospital
  ** read alongside in id order: both ascend, a merge, no lookups) */
  sqlite3_stmt *hs = 0;
  rc = sqlite3_prepare_v2(db, "SELECT id, unit_id FROM hospital ORDER BY id", -1, &hs, 0);
  us_i64 hos_id = 0;
  int hos_unit = -1, hos_more = 1, hos_read = 0;
  for (size_t i = 0; rc == SQLITE_OK && i < gr.n; i++) {
    const UsGroup *g = &gr.g[i];
    while (hos_more && (!hos_read || hos_id < g->h)) {
      int hr = sqlite3_step(hs);
      if (hr == SQLITE_ROW) {
        hos_id = sqlite3_column_int64(hs, 0);
        hos_unit = sqlite3_column_type(hs, 1) == SQLITE_NULL
                       ? -1 : us_unit_index(c, sqlite3_column_int64(hs, 1));
        hos_read = 1;
      } else if (hr == SQLITE_DONE) {
        hos_more = 0;
      } else {
        rc = hr;
      }
    }
    if (rc != SQLITE_OK) break;
    if (!hos_read || hos_id != g->h || hos_unit < 0 || !g->acc.has) continue;
    UsProduct *q = us_product(c, g->p);
    if (!q) {
      rc = SQLITE_NOMEM;
      break;
    }
    us_add(&q->dir[hos_unit], &g->acc);
  }
  sqlite3_finalize(hs);
  us_groups_free(&gr);
  if (rc != SQLITE_OK) goto fail;

  /* up the tree: each unit's direct sums, units in id order, to itself and
  ** every unit above it (so every total adds its units in id order) */
  for (int pi = 0; pi < c->nprod; pi++) {
    UsProduct *q = &c->prod[pi];
    for (int u = 0; u < c->nunit; u++) {
      if (!q->dir[u].has) continue;
      int steps = 0;
      for (int a = u; a >= 0 && steps <= c->nunit; a = c->parent[a], steps++)
        us_add(&q->tot[a], &q->dir[u]);
    }
  }
  if (c->nprod > 1) qsort(c->prod, (size_t)c->nprod, sizeof(*c->prod), us_cmp_product);
  c->iu = 0;
  c->ip = -1;
  c->eof = 0;
  return us_advance(c);

fail:
  if (rc == SQLITE_NOMEM) return rc;
  return tvf_error(c->base.pVtab, sqlite3_mprintf("unit_sales: %s", sqlite3_errmsg(db)));
}

/* on to the next unit and product with anything in tot */
static int us_advance(UsCursor *c) {
  for (;;) {
    if (++c->ip >= c->nprod) {
      c->ip = 0;
      c->iu++;
    }
    if (c->iu >= c->nunit || c->nprod == 0) {
      c->eof = 1;
      return SQLITE_OK;
    }
    if (c->prod[c->ip].tot[c->iu].has) return SQLITE_OK;
  }
}

static int usNext(sqlite3_vtab_cursor *cur) {
  return us_advance((UsCursor *)cur);
}

static int usEof(sqlite3_vtab_cursor *cur) {
  return ((UsCursor *)cur)->eof;
}

static int usColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  UsCursor *c = (UsCursor *)cur;
  const UsProduct *q = &c->prod[c->ip];
  const UsAcc *t = &q->tot[c->iu];
  switch (col) {
  case US_COL_UNIT: sqlite3_result_int64(ctx, c->unit[c->iu]); break;
  case US_COL_PRODUCT: sqlite3_result_int64(ctx, q->id); break;
  case US_COL_S1:
  case US_COL_S2:
  case US_COL_S3: {
    int k = col - US_COL_S1;
    if (t->has & (1u << k)) sqlite3_result_double(ctx, t->s[k]);
    else sqlite3_result_null(ctx);
    break;
  }
  default: break; /* hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int usRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  UsCursor *c = (UsCursor *)cur;
  *r = (sqlite3_int64)c->iu * (c->nprod + 1) + c->ip + 1;
  return SQLITE_OK;
}

static sqlite3_module us_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = usConnect,
    .xBestIndex = usBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = usOpen,
    .xClose = usClose,
    .xFilter = usFilter,
    .xNext = usNext,
    .xEof = usEof,
    .xColumn = usColumn,
    .xRowid = usRowid,
};

int unitsales_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "unit_sales", &us_module, 0);
}
