/*
** owntargets.c -- own_targets(), every unit's own targets of one plan and
** year (the target rows without a hospital), one row per unit, kind and
** product with the year's periods side by side: the targets the progress
** report (sql/reports/progress.sql) measures against and phases by.
**
**   SELECT * FROM own_targets('current', '2026');
**
** Columns: unit_id, kind, product_id, y, m1 .. m12, q1 .. q4; hidden plan,
** year.  y is the amount of the unit's target for the year ('2026'), m1 ..
** m12 for its months ('2026-01' ..), q1 .. q4 for its quarters ('2026-Q1'
** ..); NULL where the unit has no such row.  One row per unit, kind and
** product with a target row (hospital_id NULL) in the plan and year, in
** kind, unit_id, product_id order (target_key's).  The same as
**   SELECT unit_id, kind, product_id,
**          max(amount) FILTER (WHERE period = :year), max(amount) FILTER (WHERE period = :year || '-01'), ...
**     FROM target WHERE plan = :plan AND hospital_id IS NULL AND substr(period, 1, 4) = :year
**    GROUP BY kind, unit_id, product_id
** (target_key makes each one row at most; tests/sql/own_targets_gen.test
** compares the two).
**
** Why C: that grouping reads target in target_key order, a lookup of the
** table row for every index entry, and evaluates 17 filtered aggregates a
** row, about 0.7 s at 655,000 month targets; here target is read once in
** table order and the rows are placed by a hash on (kind, unit, product),
** 160 bytes a unit, kind and product.
**
** Arguments: plan is compared as it is (any value; NULL matches no plan);
** year is a year 'YYYY' (text), NULL gives no rows.  Errors: "own_targets:
** year must be a year YYYY, got ..." and a call without both.
*/
#include "args.h"
#include "readvtab.h"
#include "registry.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 ot_i64;

enum {
  OT_COL_UNIT,
  OT_COL_KIND,
  OT_COL_PRODUCT,
  OT_COL_Y,
  OT_NPER = 17,
  OT_COL_PLAN = OT_COL_Y + OT_NPER,
  OT_COL_YEAR,
  OT_COL_FILL
};

/* one unit, kind and product: amounts by period slot (0 the year, 1..12
** the months, 13..16 the quarters); has bit s once slot s is set.  With
** fill, hamt sums its hospital rows by slot (hhas as has), taken where the
** unit has no own row. */
typedef struct OtRow {
  ot_i64 unit, product;
  int kind; /* 0 collection, 1 sales: target_key's order */
  uint32_t has, hhas;
  ot_i64 amt[OT_NPER];
  ot_i64 hamt[OT_NPER];
} OtRow;

typedef ReadVtab OtVtab;

typedef struct OtCursor {
  sqlite3_vtab_cursor base;
  OtRow *row;
  size_t nrow, cap;
  uint32_t *slot; /* hash buckets: row index + 1, 0 empty */
  size_t nslot;
  size_t i;
} OtCursor;

static int otConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads only target with a fixed query and bound values. */
  return readvtab_connect(db, "CREATE TABLE x(unit_id INTEGER, kind TEXT, product_id INTEGER,"
                              " y INTEGER, m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER,"
                              " m5 INTEGER, m6 INTEGER, m7 INTEGER, m8 INTEGER, m9 INTEGER,"
                              " m10 INTEGER, m11 INTEGER, m12 INTEGER, q1 INTEGER, q2 INTEGER,"
                              " q3 INTEGER, q4 INTEGER, plan HIDDEN, year HIDDEN, fill HIDDEN)", pp);
}

static void ot_reset(OtCursor *c) {
  sqlite3_free(c->row);
  sqlite3_free(c->slot);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int otOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(OtCursor), pp);
}

static int otClose(sqlite3_vtab_cursor *cur) {
  ot_reset((OtCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* plan and year are required (=); a plan without them both is costed
** out, so that the call lacks one only when no other plan is left, and
** xFilter reports it.  fill is optional (idxNum 2 when given); a plan where
** it is given but not yet usable is refused.  Rows come in kind, unit_id,
** product_id order. */
static int otBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[3];
  (void)v;
  if (tvf_args_find(ix, OT_COL_PLAN, 3, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    ix->idxNum = 0;
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
  }
  ix->idxNum = tvf_args_use(ix, at, 3) & 4 ? 2 : 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

/* The period slot of z[0..n) in year y (4 characters), else -1:
** 'YYYY' 0, 'YYYY-MM' 1..12, 'YYYY-Qn' 12 + n. */
static int ot_slot(const unsigned char *z, int n, const char *y) {
  if (!z || n < 4 || memcmp(z, y, 4) != 0) return -1;
  if (n == 4) return 0;
  if (n != 7 || z[4] != '-') return -1;
  if (z[5] == 'Q') return z[6] >= '1' && z[6] <= '4' ? 12 + (z[6] - '0') : -1;
  if (z[5] < '0' || z[5] > '1' || z[6] < '0' || z[6] > '9') return -1;
  int m = (z[5] - '0') * 10 + (z[6] - '0');
  return m >= 1 && m <= 12 ? m : -1;
}

static size_t ot_hash(int kind, ot_i64 unit, ot_i64 product, size_t mask) {
  uint64_t h = (uint64_t)unit * 0x9E3779B97F4A7C15ull ^ (uint64_t)product * 0xC2B2AE3D27D4EB4Full ^
               (uint64_t)kind;
  h ^= h >> 29;
  return (size_t)(h & mask);
}

static int ot_grow(OtCursor *c) {
  size_t n = c->nslot ? c->nslot * 2 : 4096;
  uint32_t *s = sqlite3_malloc64(n * sizeof(*s));
  if (!s) return SQLITE_NOMEM;
  memset(s, 0, n * sizeof(*s));
  for (size_t i = 0; i < c->nrow; i++) {
    size_t b = ot_hash(c->row[i].kind, c->row[i].unit, c->row[i].product, n - 1);
    while (s[b]) b = (b + 1) & (n - 1);
    s[b] = (uint32_t)(i + 1);
  }
  sqlite3_free(c->slot);
  c->slot = s;
  c->nslot = n;
  return SQLITE_OK;
}

/* the row of (kind, unit, product), added when new; NULL: out of memory */
static OtRow *ot_row(OtCursor *c, int kind, ot_i64 unit, ot_i64 product) {
  if ((c->nrow + 1) * 2 > c->nslot && ot_grow(c) != SQLITE_OK) return 0;
  size_t mask = c->nslot - 1, b = ot_hash(kind, unit, product, mask);
  while (c->slot[b]) {
    OtRow *r = &c->row[c->slot[b] - 1];
    if (r->kind == kind && r->unit == unit && r->product == product) return r;
    b = (b + 1) & mask;
  }
  if (c->nrow == c->cap) {
    size_t ncap = c->cap ? c->cap * 2 : 1024;
    OtRow *q = sqlite3_realloc64(c->row, ncap * sizeof(*q));
    if (!q) return 0;
    c->row = q;
    c->cap = ncap;
  }
  OtRow *r = &c->row[c->nrow];
  memset(r, 0, sizeof(*r));
  r->kind = kind;
  r->unit = unit;
  r->product = product;
  c->slot[b] = (uint32_t)(++c->nrow);
  return r;
}

static int ot_cmp(const void *a, const void *b) {
  const OtRow *x = a, *y = b;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->product != y->product) return x->product < y->product ? -1 : 1;
  return 0;
}

static int otFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  OtCursor *c = (OtCursor *)cur;
  sqlite3 *db = ((OtVtab *)cur->pVtab)->db;
  ot_reset(c);
  if (!idxNum)
    return tvf_error(c->base.pVtab,
                     sqlite3_mprintf("own_targets: needs the plan and year: own_targets(plan, year)"));
  /* fill: NULL (own rows only) or 'hospitals' */
  int fill = 0;
  if (idxNum == 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL) {
    sqlite3_value *fv = argv[2];
    if (sqlite3_value_type(fv) == SQLITE_TEXT && sqlite3_value_bytes(fv) == 9 &&
        memcmp(sqlite3_value_text(fv), "hospitals", 9) == 0) {
      fill = 1;
    } else {
      char *got = value_repr(fv);
      if (!got) return SQLITE_NOMEM;
      int rc = tvf_error(c->base.pVtab,
                         sqlite3_mprintf("own_targets: fill must be 'hospitals' or NULL, got %s", got));
      sqlite3_free(got);
      return rc;
    }
  }
  /* the year: text of four digits; NULL: no rows */
  sqlite3_value *yv = argv[1];
  char y[5];
  if (sqlite3_value_type(yv) == SQLITE_NULL) return SQLITE_OK;
  const unsigned char *ys = sqlite3_value_type(yv) == SQLITE_TEXT ? sqlite3_value_text(yv) : 0;
  int ok = ys && sqlite3_value_bytes(yv) == 4;
  for (int i = 0; ok && i < 4; i++)
    if (ys[i] < '0' || ys[i] > '9') ok = 0;
  if (!ok) {
    char *got = value_repr(yv);
    if (!got) return SQLITE_NOMEM;
    int rc = tvf_error(c->base.pVtab, sqlite3_mprintf("own_targets: year must be a year YYYY, got %s", got));
    sqlite3_free(got);
    return rc;
  }
  memcpy(y, ys, 4);
  y[4] = 0;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;

  /* target in table order, the plan's unit rows (with fill, its hospital
  ** rows too: column 5 is 1 for those) */
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db,
                              fill ? "SELECT kind, unit_id, product_id, period, amount, hospital_id IS NOT NULL"
                                     " FROM target NOT INDEXED WHERE plan = ?1 AND department_id IS NULL"
                                   : "SELECT kind, unit_id, product_id, period, amount, 0 FROM target NOT INDEXED"
                                     " WHERE plan = ?1 AND hospital_id IS NULL",
                              -1, &st, 0);
  if (rc != SQLITE_OK)
    return tvf_error(c->base.pVtab, sqlite3_mprintf("own_targets: %s", sqlite3_errmsg(db)));
  sqlite3_bind_value(st, 1, argv[0]);
  int overflow = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_value *pv = sqlite3_column_value(st, 3);
    int s = ot_slot(sqlite3_value_text(pv), sqlite3_value_bytes(pv), y);
    if (s < 0) continue;
    sqlite3_value *kv = sqlite3_column_value(st, 0);
    const unsigned char *k = sqlite3_value_text(kv);
    /* the schema's CHECK keeps kind to these two */
    int kn = sqlite3_value_bytes(kv), kind;
    if (k && kn == 5 && memcmp(k, "sales", 5) == 0) kind = 1;
    else if (k && kn == 10 && memcmp(k, "collection", 10) == 0) kind = 0;
    else continue;
    OtRow *r = ot_row(c, kind, sqlite3_value_int64(sqlite3_column_value(st, 1)),
                      sqlite3_value_int64(sqlite3_column_value(st, 2)));
    if (!r) {
      rc = SQLITE_NOMEM;
      break;
    }
    ot_i64 a = sqlite3_value_int64(sqlite3_column_value(st, 4));
    if (sqlite3_column_int(st, 5)) {
      /* a hospital row: summed as SQL's sum() of integers would */
      if (__builtin_add_overflow(r->hamt[s], a, &r->hamt[s])) {
        overflow = 1;
        break;
      }
      r->hhas |= 1u << s;
      continue;
    }
    /* one row a period (target_key); were there more, the largest */
    if (!(r->has & (1u << s)) || a > r->amt[s]) r->amt[s] = a;
    r->has |= 1u << s;
  }
  if (overflow)
    rc = tvf_error(c->base.pVtab, sqlite3_mprintf("own_targets: integer overflow"));
  else if (rc != SQLITE_DONE && rc != SQLITE_NOMEM)
    rc = tvf_error(c->base.pVtab, sqlite3_mprintf("own_targets: %s", sqlite3_errmsg(db)));
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rc;
  /* a period without the unit's own row: its hospital rows' sum */
  for (size_t i = 0; i < c->nrow; i++) {
    OtRow *r = &c->row[i];
    uint32_t take = r->hhas & ~r->has;
    for (int s = 0; take; s++, take >>= 1)
      if (take & 1) r->amt[s] = r->hamt[s];
    r->has |= r->hhas;
  }
  sqlite3_free(c->slot);
  c->slot = 0;
  c->nslot = 0;
  if (c->nrow > 1) qsort(c->row, c->nrow, sizeof(*c->row), ot_cmp);
  return SQLITE_OK;
}

static int otNext(sqlite3_vtab_cursor *cur) {
  ((OtCursor *)cur)->i++;
  return SQLITE_OK;
}

static int otEof(sqlite3_vtab_cursor *cur) {
  OtCursor *c = (OtCursor *)cur;
  return c->i >= c->nrow;
}

static int otColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  OtCursor *c = (OtCursor *)cur;
  const OtRow *r = &c->row[c->i];
  if (col == OT_COL_UNIT) sqlite3_result_int64(ctx, r->unit);
  else if (col == OT_COL_KIND)
    sqlite3_result_text(ctx, r->kind ? "sales" : "collection", -1, SQLITE_STATIC);
  else if (col == OT_COL_PRODUCT) sqlite3_result_int64(ctx, r->product);
  else if (col >= OT_COL_Y && col < OT_COL_Y + OT_NPER) {
    int s = col - OT_COL_Y;
    if (r->has & (1u << s)) sqlite3_result_int64(ctx, r->amt[s]);
    else sqlite3_result_null(ctx);
  }
  /* hidden arguments read back as NULL */
  return SQLITE_OK;
}

static int otRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((OtCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module ot_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = otConnect,
    .xBestIndex = otBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = otOpen,
    .xClose = otClose,
    .xFilter = otFilter,
    .xNext = otNext,
    .xEof = otEof,
    .xColumn = otColumn,
    .xRowid = otRowid,
};

int owntargets_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "own_targets", &ot_module, 0);
}
