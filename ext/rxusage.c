/*
** rxusage.c -- rx_usage(), every doctor's usage and potential over a run of
** months, summed in C: the figures the quadrant rule (the schema's view
** doctor_segment) and the potential reports start from.
**
**   SELECT * FROM rx_usage('2026-04', '2026-06');      -- all our products
**   SELECT * FROM rx_usage('2026-04', '2026-06', 1);   -- product 1
**
** Columns: doctor_id, usage, potential; hidden first_period, last_period,
** product_id.  Over the months first_period..last_period ('YYYY-MM'):
**   usage     = the doctor's rx_count of the product (product_id NULL or
**               left out: of all our products, product.ours = 1);
**   potential = the prescriptions of the product's whole drug class, ours
**               and the competitors' (all our products: each class that
**               holds one of ours, once).  A product without a class is a
**               class of its own and adds rx.potential, the total typed by
**               hand (NULL when none is typed, and no class adds a total).
** One row per doctor with a row in rx of such a class in those months, in
** doctor_id order.  The same figures as summing the view rx_class:
**   SELECT doctor_id, sum(rx_count), sum(class_rx) FROM rx_class
**    WHERE period BETWEEN ?1 AND ?2 AND product_id = ?3 GROUP BY doctor_id
** (all products: sum(rx_count) over our products, and class_rx once a class).
**
** Why C: that GROUP BY sends every rx row through SQL, about 2 seconds for
** a quarter of 5 million rx rows; here rx is read once through its period
** index (only the months and classes asked for) and summed per doctor in
** an array indexed by doctor id (hashed when ids are sparse: ext/idmap.c,
** shared with rx_market()), 4 bytes an id plus 40 bytes a doctor read.
**
** Errors: a missing or malformed month, a product_id that is not an
** integer (or a real or text holding one) or names no product.
*/
#include "idmap.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <stdint.h>
#include <string.h>

typedef sqlite3_int64 ru_i64;

enum { RU_COL_DOCTOR, RU_COL_USAGE, RU_COL_POTENTIAL, RU_COL_FIRST, RU_COL_LAST, RU_COL_PRODUCT };

/* One doctor's sums (a idmap.h entry: the id first); the typed
** totals are kept apart so that integer class totals stay exact. */
typedef struct RuAcc {
  ru_i64 doctor;
  ru_i64 usage;
  ru_i64 class_rx;
  double typed;
  uint8_t has_class, has_typed;
} RuAcc;

typedef ReadVtab RuVtab;

typedef struct RuCursor {
  sqlite3_vtab_cursor base;
  RxRole *role;       /* the products whose rows add anything */
  int nrole;
  IdMap map;      /* the doctors' sums (RuAcc) */
  size_t i;           /* current row */
} RuCursor;

static int ruConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: the schema's view doctor_segment calls it; it reads only rx
  ** and product with fixed queries and bound values. */
  return readvtab_connect(db, "CREATE TABLE x(doctor_id INTEGER, usage INTEGER, potential,"
                              " first_period HIDDEN, last_period HIDDEN, product_id HIDDEN)", pp);
}

static void ru_reset(RuCursor *c) {
  sqlite3_free(c->role);
  idmap_free(&c->map);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int ruOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(RuCursor), pp);
}

static int ruClose(sqlite3_vtab_cursor *cur) {
  ru_reset((RuCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* first_period and last_period are required (=), product_id optional;
** rows come in doctor_id order. */
static int ruBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[3];
  if (tvf_args_find(ix, RU_COL_FIRST, 3, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf(
        "rx_usage: needs the months: rx_usage(first_period, last_period [, product_id])");
    return SQLITE_ERROR;
  }
  ix->idxNum = (tvf_args_use(ix, at, 3) & 4) != 0;
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == RU_COL_DOCTOR && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 1000000;
  return SQLITE_OK;
}

/* one row read: what its product adds to the doctor */
static int ru_row(void *ctx, const RxRole *r, ru_i64 doctor, ru_i64 n, sqlite3_value *pv) {
  RuCursor *c = ctx;
  RuAcc *a = idmap_get(&c->map, doctor);
  if (!a) return SQLITE_NOMEM;
  if (r->add & RX_ADD_USAGE) a->usage += n;
  if (r->add & RX_ADD_CLASS) {
    a->class_rx += n;
    a->has_class = 1;
  } else if (sqlite3_value_type(pv) != SQLITE_NULL) {
    a->typed += sqlite3_value_double(pv);
    a->has_typed = 1;
  }
  return SQLITE_OK;
}

static int ruFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  RuCursor *c = (RuCursor *)cur;
  sqlite3_vtab *vt = cur->pVtab;
  sqlite3 *db = ((RuVtab *)vt)->db;
  ru_reset(c);
  int has_product = 0;
  ru_i64 product = 0;
  int rc = rx_check_month(vt, "rx_usage", argv[0], "first_period");
  if (rc == SQLITE_OK) rc = rx_check_month(vt, "rx_usage", argv[1], "last_period");
  if (rc == SQLITE_OK && idxNum) rc = rx_check_product(vt, "rx_usage", db, argv[2], &has_product, &product);
  if (rc != SQLITE_OK) return rc;
  /* no product: all our products */
  if ((rc = rx_load_roles(vt, "rx_usage", db, has_product, product, &c->role, &c->nrole)) != SQLITE_OK)
    return rc;
  if (c->nrole == 0) return SQLITE_OK;
  if ((rc = idmap_init(&c->map, sizeof(RuAcc), db, RX_DOCTOR_SPAN, vt, "rx_usage")) != SQLITE_OK) return rc;
  rc = rx_read_months(vt, "rx_usage", db, argv[0], argv[1], c->role, c->nrole, ru_row, 0, c);
  if (rc != SQLITE_OK) return rc;
  return idmap_sort(&c->map);
}

static int ruNext(sqlite3_vtab_cursor *cur) {
  ((RuCursor *)cur)->i++;
  return SQLITE_OK;
}

static int ruEof(sqlite3_vtab_cursor *cur) {
  RuCursor *c = (RuCursor *)cur;
  return c->i >= c->map.n;
}

static int ruColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RuCursor *c = (RuCursor *)cur;
  const RuAcc *a = idmap_at(&c->map, c->map.order[c->i]);
  switch (col) {
  case RU_COL_DOCTOR: sqlite3_result_int64(ctx, a->doctor); break;
  case RU_COL_USAGE: sqlite3_result_int64(ctx, a->usage); break;
  case RU_COL_POTENTIAL:
    if (a->has_typed) sqlite3_result_double(ctx, (double)a->class_rx + a->typed);
    else if (a->has_class) sqlite3_result_int64(ctx, a->class_rx);
    else sqlite3_result_null(ctx);
    break;
  default: break; /* hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int ruRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((RuCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module ru_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = ruConnect,
    .xBestIndex = ruBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = ruOpen,
    .xClose = ruClose,
    .xFilter = ruFilter,
    .xNext = ruNext,
    .xEof = ruEof,
    .xColumn = ruColumn,
    .xRowid = ruRowid,
};

int rxusage_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "rx_usage", &ru_module, 0);
}
