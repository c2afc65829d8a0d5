/*
** rxmarket.c -- rx_market(), every doctor's Rx of our products and of their
** drug classes over a run of months, summed in C: the market share figures
** of the scorecard report (sql/reports/scorecard.sql).
**
**   SELECT * FROM rx_market('2026-01', '2026-06');
**
** Columns: doctor_id, usage, potential; hidden first_period, last_period.
** Over the months first_period..last_period ('YYYY-MM'), for each of our
** products (product.ours = 1):
**   usage     += the doctor's rx_count of the product;
**   potential += the rx_count of every product of its drug class, ours and
**                the competitors'; a product without a class is a class of
**                its own and adds rx.potential, the total typed by hand.
** A row of a product of ours without a class and without a typed total
** counts for nothing (neither its rx_count nor a total).  Two of our
** products in one class each count the class: its rows add to potential
** once for each.  One row per doctor with a row that counts, in doctor_id
** order; potential is an integer unless a typed total was added.  The same
** figures as summing rx in SQL:
**   SELECT r.doctor_id,
**          sum(CASE WHEN r.product_id = o.id THEN r.rx_count ELSE 0 END),
**          sum(CASE WHEN o.class_id IS NULL THEN r.potential ELSE r.rx_count END)
**     FROM rx r JOIN product c ON c.id = r.product_id
**     JOIN product o ON o.ours = 1 AND (o.id = c.id OR o.class_id = c.class_id)
**    WHERE r.period BETWEEN ?1 AND ?2
**      AND NOT (o.class_id IS NULL AND r.potential IS NULL)
**    GROUP BY r.doctor_id
** (tests/sql/rx_market_gen.test compares the two).  Where no product of ours
** without a class lacks a typed total and no two of ours share a class,
** these are rx_usage(first_period, last_period)'s figures.
**
** Why C: that join sends every rx row through SQL, and rx_usage() (the same
** read) needs a second pass over rx to know that no typed total is missing;
** here rx is read once through its period index (only the months and
** classes that count: rx_read_months() of ext/rxread.c, one seek a month
** and product, each row handed to C inside SQLite's own step) and summed
** per doctor in an array indexed by doctor id (hashed when ids are
** sparse: ext/doctormap.c, shared with rx_usage()), 4 bytes an id plus 40
** bytes a doctor.
**
** Errors: a malformed month (NULL gives no rows), a call without both.
*/
#include "args.h"
#include "doctormap.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"

#include <stdint.h>
#include <string.h>

typedef sqlite3_int64 rs_i64;

enum { RS_COL_DOCTOR, RS_COL_USAGE, RS_COL_POTENTIAL, RS_COL_FIRST, RS_COL_LAST };

/* what a product's rows add to a doctor */
typedef struct RsRole {
  rs_i64 id;
  int usage;  /* ours: rx_count to usage */
  int typed;  /* ours without a class: only rows with a typed total count,
              ** the total to potential */
  rs_i64 mult; /* classed: rx_count x mult to the class total (mult: our
              ** products in the class) */
} RsRole;

/* One doctor's sums (a doctormap.h entry: the id first); the typed
** totals are kept apart so that integer class totals stay exact. */
typedef struct RsAcc {
  rs_i64 doctor;
  rs_i64 usage;
  rs_i64 class_rx;
  double typed;
  uint8_t has_typed;
} RsAcc;

typedef struct RsVtab {
  sqlite3_vtab base;
  sqlite3 *db;
} RsVtab;

typedef struct RsCursor {
  sqlite3_vtab_cursor base;
  RsRole *role; /* the products whose rows count */
  RxRole *xrole; /* the same for rx_read_months() */
  int nrole;
  DoctorMap map; /* the doctors' sums (RsAcc) */
  size_t i;      /* current row */
} RsCursor;

static int rsConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(doctor_id INTEGER, usage INTEGER, potential,"
                                    " first_period HIDDEN, last_period HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* Innocuous: it reads only rx and product with fixed queries and bound
  ** values. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  RsVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  *pp = &t->base;
  return SQLITE_OK;
}

static int rsDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static void rs_reset(RsCursor *c) {
  sqlite3_free(c->role);
  sqlite3_free(c->xrole);
  doctormap_free(&c->map);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int rsOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  RsCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static int rsClose(sqlite3_vtab_cursor *cur) {
  rs_reset((RsCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* first_period and last_period are required (=); a plan without them both
** is costed out, so that the call lacks one only when no other plan is
** left, and xFilter reports it.  Rows come in doctor_id order. */
static int rsBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  (void)v;
  int at[2] = {-1, -1};
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < RS_COL_FIRST || k->op != SQLITE_INDEX_CONSTRAINT_EQ || !k->usable) continue;
    int h = k->iColumn - RS_COL_FIRST;
    if (at[h] < 0) at[h] = i;
  }
  if (at[0] < 0 || at[1] < 0) {
    ix->idxNum = 0;
    ix->estimatedCost = 1e300;
    ix->estimatedRows = 1000000;
    return SQLITE_OK;
  }
  for (int h = 0; h < 2; h++) {
    ix->aConstraintUsage[at[h]].argvIndex = h + 1;
    ix->aConstraintUsage[at[h]].omit = 1;
  }
  ix->idxNum = 1;
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == RS_COL_DOCTOR && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 1000000;
  return SQLITE_OK;
}

static int rs_error(RsCursor *c, char *msg) {
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* A month 'YYYY-MM' (01..12): *has = 1; NULL: *has = 0; else an error
** naming the argument. */
static int rs_check_month(RsCursor *c, sqlite3_value *v, const char *arg, int *has) {
  *has = 0;
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return SQLITE_OK;
  if (t == SQLITE_TEXT) {
    const unsigned char *s = sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v), ok = n == 7 && s[4] == '-';
    for (int i = 0; ok && i < 7; i++)
      if (i != 4 && (s[i] < '0' || s[i] > '9')) ok = 0;
    if (ok && ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2'))) {
      *has = 1;
      return SQLITE_OK;
    }
  }
  char *repr = value_repr(v);
  int rc = rs_error(c, sqlite3_mprintf("rx_market: %s must be a month YYYY-MM, got %s", arg, repr ? repr : "?"));
  sqlite3_free(repr);
  return rc;
}

/* The products whose rows count and what each adds: every product of a
** class holding one of ours (x the number of ours in it), and each of ours
** without a class. */
static int rs_load_roles(RsCursor *c, sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(
      db,
      "SELECT q.id, q.ours = 1, q.class_id IS NULL,"
      "       (SELECT count(*) FROM product o WHERE o.ours = 1 AND o.class_id = q.class_id)"
      "  FROM product q"
      " WHERE (q.class_id IS NULL AND q.ours = 1)"
      "    OR EXISTS (SELECT 1 FROM product o WHERE o.ours = 1 AND o.class_id = q.class_id)"
      " ORDER BY q.id",
      -1, &st, 0);
  if (rc != SQLITE_OK) return rs_error(c, sqlite3_mprintf("rx_market: %s", sqlite3_errmsg(db)));
  int cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (c->nrole == cap) {
      cap = cap ? 2 * cap : 16;
      RsRole *r = sqlite3_realloc64(c->role, (sqlite3_uint64)cap * sizeof(*r));
      if (!r) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      c->role = r;
    }
    RsRole *r = &c->role[c->nrole++];
    r->id = sqlite3_column_int64(st, 0);
    r->usage = sqlite3_column_int(st, 1);
    r->typed = sqlite3_column_int(st, 2);
    r->mult = sqlite3_column_int64(st, 3);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rs_error(c, sqlite3_mprintf("rx_market: %s", sqlite3_errmsg(db)));
  return SQLITE_OK;
}

/* one row read: what its product adds to the doctor (r is one of
** c->xrole; c->role at the same index has its multiplier) */
static int rs_row(void *ctx, const RxRole *r, rs_i64 doctor, rs_i64 n, sqlite3_value *pv) {
  RsCursor *c = ctx;
  const RsRole *m = &c->role[r - c->xrole];
  double typed = 0;
  if (m->typed) {
    /* a row without a typed total counts for nothing */
    if (sqlite3_value_type(pv) == SQLITE_NULL) return SQLITE_OK;
    typed = sqlite3_value_double(pv);
  }
  RsAcc *a = doctormap_get(&c->map, doctor);
  if (!a) return SQLITE_NOMEM;
  if (m->usage) a->usage += n;
  if (m->typed) {
    a->typed += typed;
    a->has_typed = 1;
  } else {
    a->class_rx += n * m->mult;
  }
  return SQLITE_OK;
}

static int rsFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  RsCursor *c = (RsCursor *)cur;
  sqlite3 *db = ((RsVtab *)cur->pVtab)->db;
  rs_reset(c);
  if (!idxNum)
    return rs_error(c, sqlite3_mprintf("rx_market: needs the months: rx_market(first_period, last_period)"));
  int has_first, has_last;
  int rc = rs_check_month(c, argv[0], "first_period", &has_first);
  if (rc == SQLITE_OK) rc = rs_check_month(c, argv[1], "last_period", &has_last);
  if (rc != SQLITE_OK || !has_first || !has_last) return rc;
  if ((rc = rs_load_roles(c, db)) != SQLITE_OK) return rc;
  if (c->nrole == 0) return SQLITE_OK;
  if ((rc = doctormap_init(&c->map, sizeof(RsAcc), db, cur->pVtab, "rx_market")) != SQLITE_OK) return rc;

  /* rx read through rxread.c (rx_read_months()): one seek of the covering
  ** index rx_period a month and product, every row handed to rs_row()
  ** inside SQLite's own step; the roles in the same order (product id), so
  ** the sums are the same additions in the same order */
  c->xrole = sqlite3_malloc64((sqlite3_uint64)c->nrole * sizeof(*c->xrole));
  if (!c->xrole) return SQLITE_NOMEM;
  for (int p = 0; p < c->nrole; p++) {
    c->xrole[p].id = c->role[p].id;
    c->xrole[p].add = (c->role[p].typed ? RX_ADD_TYPED : RX_ADD_CLASS) | (c->role[p].usage ? RX_ADD_USAGE : 0);
  }
  rc = rx_read_months(cur->pVtab, "rx_market", db, argv[0], argv[1], c->xrole, c->nrole, rs_row, 0, c);
  if (rc != SQLITE_OK) return rc;
  return doctormap_sort(&c->map);
}

static int rsNext(sqlite3_vtab_cursor *cur) {
  ((RsCursor *)cur)->i++;
  return SQLITE_OK;
}

static int rsEof(sqlite3_vtab_cursor *cur) {
  RsCursor *c = (RsCursor *)cur;
  return c->i >= c->map.n;
}

static int rsColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RsCursor *c = (RsCursor *)cur;
  const RsAcc *a = doctormap_at(&c->map, c->map.order[c->i]);
  switch (col) {
  case RS_COL_DOCTOR: sqlite3_result_int64(ctx, a->doctor); break;
  case RS_COL_USAGE: sqlite3_result_int64(ctx, a->usage); break;
  case RS_COL_POTENTIAL:
    if (a->has_typed) sqlite3_result_double(ctx, (double)a->class_rx + a->typed);
    else sqlite3_result_int64(ctx, a->class_rx);
    break;
  default: break; /* hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int rsRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((RsCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module rs_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = rsConnect,
    .xBestIndex = rsBestIndex,
    .xDisconnect = rsDisconnect,
    .xOpen = rsOpen,
    .xClose = rsClose,
    .xFilter = rsFilter,
    .xNext = rsNext,
    .xEof = rsEof,
    .xColumn = rsColumn,
    .xRowid = rsRowid,
};

int rxmarket_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "rx_market", &rs_module, 0);
}
