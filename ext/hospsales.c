/*
** hospsales.c -- hospital_sales(), every hospital's sales of one product
** over a run of at most twelve months, by calendar month, read in C: the
** sales history the decompose report (sql/reports/decompose.sql) weighs
** hospitals, units and the season by.
**
**   SELECT * FROM hospital_sales(1, '2025-07', '2026-06');
**
** Columns: hospital_id, unit_id, total, npos, m1 .. m12; hidden
** product_id, first_period, last_period.  One row per hospital with a sale
** row of the product in first_period .. last_period ('YYYY-MM') and a row
** in table hospital, in hospital_id order:
**   unit_id  the hospital's unit (hospital.unit_id)
**   total    its sale amounts in the months, as SQL's total() adds them
**            in period order
**   npos     how many of those months have an amount above 0
**   m1..m12  the amount of the month of the run falling in January ..
**            December; NULL where the hospital has no sale row that month
** sale's key (hospital_id, product_id, period) makes each month one row at
** most.  The same as
**   SELECT s.hospital_id, h.unit_id, total(s.amount), count(*) FILTER (WHERE s.amount > 0),
**          sum(s.amount) FILTER (WHERE substr(s.period, 6, 2) = '01'), ...
**     FROM sale s JOIN hospital h ON h.id = s.hospital_id
**    WHERE s.product_id = :product AND s.period BETWEEN :first AND :last
**    GROUP BY s.hospital_id
** (tests/sql/hospital_sales_gen.test compares the two, bit for bit).
**
** Why C: that grouping runs twelve filtered sums a row, 0.35 s for a
** product's year at 30,000 hospitals; here the rows come from the covering
** index sale_product (product_id, period, hospital_id, amount) into an
** array by hospital id (ext/idmap.c), and total is added from the months
** in period order whatever order the rows come in: 0.05 s.
**
** Arguments: product_id is a product's id (NULL: no rows; an id naming no
** product is an error, as for rx_usage()); the months are 'YYYY-MM' (a
** NULL one: no rows; first after last: no rows).  Errors: a malformed
** month, a run of more than twelve months, a call without all three.
*/
#include "idmap.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "sqlsum.h"
#include "tvf.h"

#include <stdint.h>
#include <string.h>

typedef sqlite3_int64 hs_i64;

enum {
  HS_COL_HOSPITAL,
  HS_COL_UNIT,
  HS_COL_TOTAL,
  HS_COL_NPOS,
  HS_COL_M1,
  HS_COL_PRODUCT = HS_COL_M1 + 12,
  HS_COL_FIRST,
  HS_COL_LAST
};

/* one hospital (an idmap.h entry: the id first); has: bit k once month
** k + 1 (January = bit 0) has its row */
typedef struct HsRow {
  hs_i64 hospital;
  hs_i64 unit;
  double m[12];
  double total;
  uint16_t has;
  uint8_t npos;
  uint8_t placed; /* its hospital row was read */
  uint8_t unit_null;
} HsRow;

typedef ReadVtab HsVtab;

typedef struct HsCursor {
  sqlite3_vtab_cursor base;
  IdMap map;
  size_t *out; /* the placed rows' indexes into map.order */
  size_t nout;
  size_t i;
} HsCursor;

static int hsConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **pp,
                     char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads only sale, product and hospital with fixed
  ** queries and bound values. */
  return readvtab_connect(db,
                          "CREATE TABLE x(hospital_id INTEGER, unit_id INTEGER, total REAL, npos INTEGER,"
                          " m1 REAL, m2 REAL, m3 REAL, m4 REAL, m5 REAL, m6 REAL, m7 REAL, m8 REAL,"
                          " m9 REAL, m10 REAL, m11 REAL, m12 REAL,"
                          " product_id HIDDEN, first_period HIDDEN, last_period HIDDEN)",
                          pp);
}

static void hs_reset(HsCursor *c) {
  idmap_free(&c->map);
  sqlite3_free(c->out);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int hsOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(HsCursor), pp);
}

static int hsClose(sqlite3_vtab_cursor *cur) {
  hs_reset((HsCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* all three arguments are required (=); a plan without them is costed
** out, so that the call lacks one only when no other plan is left, and
** xFilter reports it.  Rows come in hospital_id order. */
static int hsBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  (void)v;
  int at[3];
  if (tvf_args_find(ix, HS_COL_PRODUCT, 3, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0 || at[2] < 0) {
    ix->idxNum = 0;
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
  }
  tvf_args_use(ix, at, 3);
  ix->idxNum = 1;
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == HS_COL_HOSPITAL && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e5;
  ix->estimatedRows = 30000;
  return SQLITE_OK;
}

static int hs_month_index(const unsigned char *p) { return (p[5] - '0') * 10 + (p[6] - '0'); }

static int hs_sql_error(HsCursor *c, sqlite3 *db) {
  return tvf_error(c->base.pVtab, sqlite3_mprintf("hospital_sales: %s", sqlite3_errmsg(db)));
}

/* the sale rows of the product in the months, each into its hospital's
** month */
static int hs_read_sales(HsCursor *c, sqlite3 *db, hs_i64 product, sqlite3_value *first,
                         sqlite3_value *last) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT hospital_id, period, amount FROM sale"
                              " WHERE product_id = ?1 AND period BETWEEN ?2 AND ?3",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return hs_sql_error(c, db);
  sqlite3_bind_int64(st, 1, product);
  sqlite3_bind_value(st, 2, first);
  sqlite3_bind_value(st, 3, last);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    /* the schema's CHECK keeps period 'YYYY-MM', month 01..12 */
    const unsigned char *p = sqlite3_column_text(st, 1);
    if (!p || sqlite3_column_bytes(st, 1) != 7) continue;
    int k = hs_month_index(p) - 1;
    if (k < 0 || k > 11) continue;
    HsRow *r = idmap_get(&c->map, sqlite3_column_int64(st, 0));
    if (!r) {
      sqlite3_finalize(st);
      return SQLITE_NOMEM;
    }
    double a = sqlite3_column_double(st, 2);
    r->m[k] = a;
    r->has |= (uint16_t)(1u << k);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : hs_sql_error(c, db);
}

/* each hospital's unit, from table hospital (a sale of a hospital not in
** it is left out, as an inner join leaves it) */
static int hs_read_units(HsCursor *c, sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT id, unit_id FROM hospital", -1, &st, 0);
  if (rc != SQLITE_OK) return hs_sql_error(c, db);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    HsRow *r = idmap_find(&c->map, sqlite3_column_int64(st, 0));
    if (!r) continue;
    r->placed = 1;
    r->unit_null = sqlite3_column_type(st, 1) == SQLITE_NULL;
    r->unit = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : hs_sql_error(c, db);
}

static int hsFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  HsCursor *c = (HsCursor *)cur;
  sqlite3_vtab *vt = cur->pVtab;
  sqlite3 *db = ((HsVtab *)vt)->db;
  hs_reset(c);
  if (!idxNum)
    return tvf_error(vt, sqlite3_mprintf("hospital_sales: needs the product and months:"
                                         " hospital_sales(product_id, first_period, last_period)"));
  /* every argument is checked, so a bad one is reported even when another
  ** is NULL */
  int has_product, rc;
  hs_i64 product = 0;
  if ((rc = rx_check_product(vt, "hospital_sales", db, argv[0], &has_product, &product)) != SQLITE_OK)
    return rc;
  int has_first, has_last;
  if ((rc = tvf_month(vt, "hospital_sales", argv[1], "first_period", &has_first)) != SQLITE_OK ||
      (rc = tvf_month(vt, "hospital_sales", argv[2], "last_period", &has_last)) != SQLITE_OK)
    return rc;
  if (!has_product || !has_first || !has_last) return SQLITE_OK;
  const unsigned char *f = sqlite3_value_text(argv[1]), *l = sqlite3_value_text(argv[2]);
  int fy = (f[0] - '0') * 1000 + (f[1] - '0') * 100 + (f[2] - '0') * 10 + (f[3] - '0');
  int ly = (l[0] - '0') * 1000 + (l[1] - '0') * 100 + (l[2] - '0') * 10 + (l[3] - '0');
  int fm = hs_month_index(f), span = (ly - fy) * 12 + hs_month_index(l) - fm + 1;
  if (span <= 0) return SQLITE_OK;
  if (span > 12)
    return tvf_error(vt, sqlite3_mprintf("hospital_sales: the months %s .. %s are %d; at most 12 (one of each"
                                         " calendar month)",
                                         f, l, span));
  rc = idmap_init(&c->map, sizeof(HsRow), db, "SELECT min(id), max(id) FROM hospital", vt, "hospital_sales");
  if (rc == SQLITE_OK) rc = hs_read_sales(c, db, product, argv[1], argv[2]);
  if (rc == SQLITE_OK && c->map.n) rc = hs_read_units(c, db);
  if (rc == SQLITE_OK) rc = idmap_sort(&c->map);
  if (rc != SQLITE_OK) return rc;
  c->out = sqlite3_malloc64((c->map.n ? c->map.n : 1) * sizeof(*c->out));
  if (!c->out) return SQLITE_NOMEM;
  /* total: the months in period order (first_period's month first), as
  ** total() adds the rows in key order */
  int kbn = sqlsum_kbn();
  for (size_t i = 0; i < c->map.n; i++) {
    HsRow *r = idmap_at(&c->map, c->map.order[i]);
    if (!r->placed) continue;
    SqlSum s = {0};
    for (int j = 0; j < 12; j++) {
      int k = (fm - 1 + j) % 12;
      if (!(r->has & (1u << k))) continue;
      sqlsum_real(&s, r->m[k], kbn);
      if (r->m[k] > 0) r->npos++;
    }
    r->total = sqlsum_total(&s, kbn);
    c->out[c->nout++] = i;
  }
  return SQLITE_OK;
}

static int hsNext(sqlite3_vtab_cursor *cur) {
  ((HsCursor *)cur)->i++;
  return SQLITE_OK;
}

static int hsEof(sqlite3_vtab_cursor *cur) {
  HsCursor *c = (HsCursor *)cur;
  return c->i >= c->nout;
}

static int hsColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  HsCursor *c = (HsCursor *)cur;
  const HsRow *r = idmap_at(&c->map, c->map.order[c->out[c->i]]);
  switch (col) {
  case HS_COL_HOSPITAL:
    sqlite3_result_int64(ctx, r->hospital);
    break;
  case HS_COL_UNIT:
    if (!r->unit_null) sqlite3_result_int64(ctx, r->unit);
    break;
  case HS_COL_TOTAL:
    sqlite3_result_double(ctx, r->total);
    break;
  case HS_COL_NPOS:
    sqlite3_result_int(ctx, r->npos);
    break;
  default:
    if (col >= HS_COL_M1 && col < HS_COL_M1 + 12 && (r->has & (1u << (col - HS_COL_M1))))
      sqlite3_result_double(ctx, r->m[col - HS_COL_M1]);
    break; /* a month without a row and the hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int hsRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((HsCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module hs_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = hsConnect,
    .xBestIndex = hsBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = hsOpen,
    .xClose = hsClose,
    .xFilter = hsFilter,
    .xNext = hsNext,
    .xEof = hsEof,
    .xColumn = hsColumn,
    .xRowid = hsRowid,
};

int hospsales_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "hospital_sales", &hs_module, 0);
}
