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
** sparse: ext/idmap.c, shared with rx_usage()), 4 bytes an id plus 40
** bytes a doctor.
**
** By territory, rx_market(first_period, last_period, 'territory') (the
** hidden argument by; NULL or left out: a row per doctor): the doctors'
** figures summed per rep territory, one row per territory with a doctor,
** in unit_id order: unit_id (a hidden column, NULL in the per-doctor
** form), usage, potential; doctor_id NULL.  A doctor's territory is its
** department's hospital's unit_id (doctor, department and hospital read
** once each, the doctors through the index doctor_department with
** rx_feed_query() of ext/rxread.c, as rx_department() reads them); a
** doctor without its doctor, department or hospital row is left out, as
** inner joins leave it.  The sums are SQL's sum() over the per-doctor rows
** grouped by territory, step by step as SQLite adds them (integers until a
** real comes; then a plain double sum before SQLite 3.43, the
** Kahan-Babuska-Neumaier sum from 3.43 on), in the order SQLite's grouping
** adds them (a territory's doctors in doctor_id order): bit for bit the
** scorecard report's former
**   SELECT h.unit_id, sum(u.usage), sum(u.potential)
**     FROM rx_market(?1, ?2) u JOIN doctor d ON d.id = u.doctor_id
**     JOIN department dp ON dp.id = d.department_id
**     JOIN hospital h ON h.id = dp.hospital_id GROUP BY h.unit_id
** (tests/sql/rx_market_gen.test compares the two), which sorted a million
** joined rows: 0.8 s at a million doctors, here 0.6 s.
**
** Errors: a malformed month (NULL gives no rows), a call without both, a
** by other than 'territory' or NULL.
*/
#include "args.h"
#include "idmap.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "sqlsum.h"
#include "tvf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 rs_i64;

enum { RS_COL_DOCTOR, RS_COL_USAGE, RS_COL_POTENTIAL, RS_COL_FIRST, RS_COL_LAST, RS_COL_BY, RS_COL_UNIT };

/* what a product's rows add to a doctor */
typedef struct RsRole {
  rs_i64 id;
  int usage;  /* ours: rx_count to usage */
  int typed;  /* ours without a class: only rows with a typed total count,
              ** the total to potential */
  rs_i64 mult; /* classed: rx_count x mult to the class total (mult: our
              ** products in the class) */
} RsRole;

/* One doctor's sums (a idmap.h entry: the id first); the typed
** totals are kept apart so that integer class totals stay exact. */
typedef struct RsAcc {
  rs_i64 doctor;
  rs_i64 usage;
  rs_i64 class_rx;
  double typed;
  uint32_t grp;      /* by territory: its territory's row + 1; 0 none */
  uint8_t has_typed;
} RsAcc;


/* one territory's row */
typedef struct RsGroup {
  rs_i64 unit;
  uint8_t unit_null;
  rs_i64 cnt;
  SqlSum usage, potential; /* as SQL's sum() adds them (sqlsum.h) */
} RsGroup;

/* a hospital's unit or a department's hospital, by id */
typedef struct RsKey {
  rs_i64 id, val;
  uint32_t grp; /* a hospital's: its unit's row; a department's: that + 1 */
  uint8_t null;
} RsKey;

typedef struct RsKeys {
  RsKey *k;
  size_t n, cap;
} RsKeys;

typedef ReadVtab RsVtab;

typedef struct RsCursor {
  sqlite3_vtab_cursor base;
  RsRole *role; /* the products whose rows count */
  RxRole *xrole; /* the same for rx_read_months() */
  int nrole;
  IdMap map; /* the doctors' sums (RsAcc) */
  int by_unit;   /* by territory: the rows are grp */
  RsGroup *grp;
  size_t ngrp;
  RsKeys hosp, dept; /* by territory, while the doctors are placed */
  uint32_t *dgrp;    /* dense department ids: grp + 1 by id - dmin */
  rs_i64 dmin;
  size_t ndgrp;
  size_t i;      /* current row */
} RsCursor;

static int rsConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads only rx, product, doctor, department and hospital
  ** with fixed queries and bound values. */
  return readvtab_connect(db, "CREATE TABLE x(doctor_id INTEGER, usage INTEGER, potential,"
                              " first_period HIDDEN, last_period HIDDEN, by HIDDEN,"
                              " unit_id HIDDEN)", pp);
}

static void rs_reset(RsCursor *c) {
  sqlite3_free(c->role);
  sqlite3_free(c->xrole);
  idmap_free(&c->map);
  sqlite3_free(c->grp);
  sqlite3_free(c->hosp.k);
  sqlite3_free(c->dept.k);
  sqlite3_free(c->dgrp);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int rsOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(RsCursor), pp);
}

static int rsClose(sqlite3_vtab_cursor *cur) {
  rs_reset((RsCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* first_period and last_period are required (=); a plan without them both
** is costed out, so that the call lacks one only when no other plan is
** left, and xFilter reports it.  by is optional (idxNum 3 when given); a
** plan where it is given but not yet usable is refused.  Rows come in
** doctor_id order (by territory: in unit_id order, doctor_id NULL). */
static int rsBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  (void)v;
  int at[3];
  if (tvf_args_find(ix, RS_COL_FIRST, 3, 1u << 2, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    ix->idxNum = 0;
    ix->estimatedCost = 1e300;
    ix->estimatedRows = 1000000;
    return SQLITE_OK;
  }
  ix->idxNum = tvf_args_use(ix, at, 3) & 4 ? 3 : 1;
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == RS_COL_DOCTOR && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 1000000;
  return SQLITE_OK;
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
  if (rc != SQLITE_OK) return tvf_error(c->base.pVtab, sqlite3_mprintf("rx_market: %s", sqlite3_errmsg(db)));
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
  if (rc != SQLITE_DONE)
    return tvf_error(c->base.pVtab, sqlite3_mprintf("rx_market: %s", sqlite3_errmsg(db)));
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
  RsAcc *a = idmap_get(&c->map, doctor);
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

static int rs_check_by(RsCursor *c, sqlite3_value *v);
static int rs_group(RsCursor *c, sqlite3 *db);

static int rsFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  RsCursor *c = (RsCursor *)cur;
  sqlite3 *db = ((RsVtab *)cur->pVtab)->db;
  rs_reset(c);
  if (!idxNum)
    return tvf_error(c->base.pVtab,
                     sqlite3_mprintf("rx_market: needs the months: rx_market(first_period, last_period)"));
  int has_first, has_last;
  int rc = tvf_month(c->base.pVtab, "rx_market", argv[0], "first_period", &has_first);
  if (rc == SQLITE_OK) rc = tvf_month(c->base.pVtab, "rx_market", argv[1], "last_period", &has_last);
  if (rc == SQLITE_OK && idxNum == 3) rc = rs_check_by(c, argv[2]);
  if (rc != SQLITE_OK || !has_first || !has_last) return rc;
  if ((rc = rs_load_roles(c, db)) != SQLITE_OK) return rc;
  if (c->nrole == 0) return SQLITE_OK;
  if ((rc = idmap_init(&c->map, sizeof(RsAcc), db, RX_DOCTOR_SPAN, cur->pVtab, "rx_market")) != SQLITE_OK) return rc;

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
  if ((rc = idmap_sort(&c->map)) != SQLITE_OK) return rc;
  return c->by_unit ? rs_group(c, db) : SQLITE_OK;
}

/* by: NULL (a row per doctor) or 'territory' */
static int rs_check_by(RsCursor *c, sqlite3_value *v) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return SQLITE_OK;
  if (t == SQLITE_TEXT && sqlite3_value_bytes(v) == 9 && memcmp(sqlite3_value_text(v), "territory", 9) == 0) {
    c->by_unit = 1;
    return SQLITE_OK;
  }
  char *repr = value_repr(v);
  int rc = tvf_error(c->base.pVtab,
                     sqlite3_mprintf("rx_market: by must be 'territory' or NULL, got %s", repr ? repr : "?"));
  sqlite3_free(repr);
  return rc;
}

/* one (id, val) row of hospital or department */
static int rs_add_key(void *ctx, const RxRole *r, rs_i64 id, rs_i64 val, sqlite3_value *v) {
  (void)r;
  RsKeys *k = ctx;
  if (k->n == k->cap) {
    size_t cap = k->cap ? 2 * k->cap : 1024;
    RsKey *x = sqlite3_realloc64(k->k, (sqlite3_uint64)cap * sizeof(*x));
    if (!x) return SQLITE_NOMEM;
    k->k = x;
    k->cap = cap;
  }
  RsKey *e = &k->k[k->n++];
  e->id = id;
  e->val = val;
  e->grp = 0;
  e->null = v && sqlite3_value_type(v) == SQLITE_NULL;
  return SQLITE_OK;
}

static int rs_cmp_id(const void *a, const void *b) {
  rs_i64 x = ((const RsKey *)a)->id, y = ((const RsKey *)b)->id;
  return x < y ? -1 : x > y;
}

/* by unit, NULL first (SQL's GROUP BY order) */
static int rs_cmp_unit(const void *a, const void *b) {
  const RsKey *p = a, *q = b;
  if (p->null != q->null) return p->null ? -1 : 1;
  return p->val < q->val ? -1 : p->val > q->val;
}

static const RsKey *rs_find(const RsKeys *k, rs_i64 id) {
  size_t lo = 0, hi = k->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (k->k[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < k->n && k->k[lo].id == id ? &k->k[lo] : 0;
}

/* one doctor (id, department_id): the territory of its department's
** hospital, when it has rx figures and both rows exist (as inner joins) */
static int rs_place(void *ctx, const RxRole *r, rs_i64 id, rs_i64 dep, sqlite3_value *v) {
  (void)r;
  RsCursor *c = ctx;
  if (v && sqlite3_value_type(v) == SQLITE_NULL) return SQLITE_OK;
  RsAcc *a = idmap_find(&c->map, id);
  if (!a) return SQLITE_OK;
  if (c->dgrp) {
    if (dep >= c->dmin && (sqlite3_uint64)(dep - c->dmin) < c->ndgrp) a->grp = c->dgrp[dep - c->dmin];
  } else {
    const RsKey *d = rs_find(&c->dept, dep);
    if (d) a->grp = d->grp;
  }
  return SQLITE_OK;
}

/* By territory: hospital (id, unit_id), department (id, hospital_id) and
** doctor (id, department_id) read once each; every doctor with figures is
** placed in its territory, then the doctors are added to their
** territories in doctor_id order, as SQL's GROUP BY over the joined rows
** adds them (its sorter keeps the doctor_id order within a territory). */
static int rs_group(RsCursor *c, sqlite3 *db) {
  sqlite3_vtab *vt = c->base.pVtab;
  int rc = rx_feed_query(vt, "rx_market", db, "SELECT count(rx_read_row(?1, id, unit_id, unit_id)) FROM hospital",
                         rs_add_key, &c->hosp);
  if (rc == SQLITE_OK)
    rc = rx_feed_query(vt, "rx_market", db,
                       "SELECT count(rx_read_row(?1, id, hospital_id, hospital_id)) FROM department", rs_add_key,
                       &c->dept);
  if (rc != SQLITE_OK) return rc;
  /* the territories: the hospitals' units, sorted and made unique */
  if (c->hosp.n) {
    RsKey *u = sqlite3_malloc64((sqlite3_uint64)c->hosp.n * sizeof(*u));
    if (!u) return SQLITE_NOMEM;
    memcpy(u, c->hosp.k, c->hosp.n * sizeof(*u));
    qsort(u, c->hosp.n, sizeof(*u), rs_cmp_unit);
    c->grp = sqlite3_malloc64((sqlite3_uint64)c->hosp.n * sizeof(*c->grp));
    if (!c->grp) {
      sqlite3_free(u);
      return SQLITE_NOMEM;
    }
    for (size_t i = 0; i < c->hosp.n; i++) {
      if (i > 0 && rs_cmp_unit(&u[i - 1], &u[i]) == 0) continue;
      RsGroup *g = &c->grp[c->ngrp++];
      memset(g, 0, sizeof(*g));
      g->unit = u[i].val;
      g->unit_null = u[i].null;
    }
    sqlite3_free(u);
    for (size_t i = 0; i < c->hosp.n; i++) {
      RsKey *h = &c->hosp.k[i];
      size_t lo = 0, hi = c->ngrp;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        RsKey k = {0, c->grp[mid].unit, 0, c->grp[mid].unit_null};
        if (rs_cmp_unit(&k, h) < 0) lo = mid + 1;
        else hi = mid;
      }
      h->grp = (uint32_t)lo;
    }
  }
  qsort(c->hosp.k, c->hosp.n, sizeof(RsKey), rs_cmp_id);
  qsort(c->dept.k, c->dept.n, sizeof(RsKey), rs_cmp_id);
  /* each department's territory (grp + 1; 0: no hospital row); by an
  ** array indexed by id when the ids are not spread out */
  for (size_t i = 0; i < c->dept.n; i++) {
    RsKey *d = &c->dept.k[i];
    const RsKey *h = d->null ? 0 : rs_find(&c->hosp, d->val);
    d->grp = h ? h->grp + 1 : 0;
  }
  if (c->dept.n) {
    rs_i64 lo = c->dept.k[0].id, hi = c->dept.k[c->dept.n - 1].id;
    if ((sqlite3_uint64)hi - (sqlite3_uint64)lo < 4 * (sqlite3_uint64)c->dept.n + 1024) {
      c->ndgrp = (size_t)(hi - lo) + 1;
      c->dmin = lo;
      c->dgrp = sqlite3_malloc64((sqlite3_uint64)c->ndgrp * sizeof(uint32_t));
      if (!c->dgrp) return SQLITE_NOMEM;
      memset(c->dgrp, 0, c->ndgrp * sizeof(uint32_t));
      for (size_t i = 0; i < c->dept.n; i++) c->dgrp[c->dept.k[i].id - lo] = c->dept.k[i].grp;
    }
  }
  rc = rx_feed_query(vt, "rx_market", db,
                     "SELECT count(rx_read_row(?1, id, department_id, department_id)) FROM doctor", rs_place, c);
  if (rc != SQLITE_OK) return rc;
  int kbn = sqlsum_kbn();
  for (size_t i = 0; i < c->map.n; i++) {
    const RsAcc *a = idmap_at(&c->map, c->map.order[i]);
    if (!a->grp) continue;
    RsGroup *g = &c->grp[a->grp - 1];
    g->cnt++;
    sqlsum_int(&g->usage, a->usage, kbn);
    if (a->has_typed) sqlsum_real(&g->potential, (double)a->class_rx + a->typed, kbn);
    else sqlsum_int(&g->potential, a->class_rx, kbn);
  }
  /* only the territories with a doctor */
  size_t n = 0;
  for (size_t i = 0; i < c->ngrp; i++)
    if (c->grp[i].cnt) c->grp[n++] = c->grp[i];
  c->ngrp = n;
  return SQLITE_OK;
}

static int rsNext(sqlite3_vtab_cursor *cur) {
  ((RsCursor *)cur)->i++;
  return SQLITE_OK;
}

static int rsEof(sqlite3_vtab_cursor *cur) {
  RsCursor *c = (RsCursor *)cur;
  return c->i >= (c->by_unit ? c->ngrp : c->map.n);
}

static int rsColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RsCursor *c = (RsCursor *)cur;
  if (c->by_unit) {
    const RsGroup *g = &c->grp[c->i];
    int kbn = sqlsum_kbn();
    switch (col) {
    case RS_COL_USAGE: return sqlsum_result(ctx, &g->usage, kbn);
    case RS_COL_POTENTIAL: return sqlsum_result(ctx, &g->potential, kbn);
    case RS_COL_UNIT:
      if (!g->unit_null) sqlite3_result_int64(ctx, g->unit);
      break;
    default: break; /* doctor_id and the arguments read back as NULL */
    }
    return SQLITE_OK;
  }
  const RsAcc *a = idmap_at(&c->map, c->map.order[c->i]);
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
    .xDisconnect = readvtab_disconnect,
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
