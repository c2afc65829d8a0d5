/*
** pottree.c -- potential_tree(), the potential of a month in the
** organisation's shape (潜力分析 by territory -> hospital -> department)
** with each territory's development order (潜力科室开发排序): the rows of
** the potential report before it rounds them.
**
**   SELECT * FROM potential_tree('2026-06', 22);       -- all our products
**   SELECT department, dev_rank, headroom, entry        -- product 1
**     FROM potential_tree('2026-06', 22, 1)
**    WHERE territory_id = 111 AND dev_rank IS NOT NULL ORDER BY dev_rank;
**
** Hidden arguments: period ('YYYY-MM', required), workdays (required: a
** number >= 0; NULL gives no rows), product_id (NULL or left out: all our
** products).  Per department of a hospital of table hospital:
**   potential, usage_rate  product_potential(workdays, product_id)'s (the
**                 deck's formula per class of the product(s), added; the
**                 highest usage rate of them); 0 and NULL when no class
**                 is counted
**   rx, class_rx, prescribers, users   rx_department(period, period,
**                 product_id)'s rx, class_rx, class_writers and prescribers
**                 (0 for a department without them)
**   dept_patients daily_patients x workdays
**   headroom      headroom(potential, rx)
** Per hospital: its departments' figures summed in department id order as
** SQL's sum() adds them; outpatients (outpatients_per_day x workdays) and
** inpatients (0 without beds, else inpatient_volume(beds, occupancy,
** avg_stay_days, the month's days); NULL when occupancy or the stay is
** unknown); the market value (市场总值) of the classes counted, a class at
** a time in class order: the month's purchase of the class where recorded,
** else the class's demand (its potential in the hospital, as
** product_potential(workdays, product_id, 'hospital') has it) x (1 +
** inpatients / outpatients, when there are outpatients) x
** drug_class.rx_value (0 for no demand, NULL for an unknown price);
** market_value is their sum (NULL when one is unknown), recorded_value the
** total of those recorded, source 'purchases', 'extrapolated' or 'mixed';
** sales, the total of the month's sale rows of the product(s).  Market
** value, recorded value, source and sales are NULL in a hospital without
** a class counted.  Per territory (the hospitals' unit, hospital.unit_id,
** named from org_unit): its hospitals' figures summed in hospital id order
** as sum() adds them (NULLs skipped), source one word when all agree, else
** 'mixed' (NULL when a market value is unknown).
**
** Rows, in this order (rowid 1, 2, ...): per territory (by id) a
** 'territory' row, then its hospitals, most headroom first (ties: lower
** id), each a 'hospital' row followed by its 'department' rows, most
** headroom first (ties: lower id).  rank is the hospital's place in its
** territory, the department's in its hospital; dev_rank the department's
** place in its territory's development order (departments with potential
** > 0 by headroom, then potential, both descending, then id; NULL without
** potential); entry is 1 for the hospital's 最易切入科室, the department
** with potential > 0 where the class is used most (highest usage_rate;
** ties: more potential, then lower id), else 0.  Columns that do not apply
** to a level are NULL (a department has no outpatients or market value, a
** territory or hospital no usage_rate).
**
** Why C: the report did this in SQL over temporary tables (a join per
** department, a grouping per hospital, a sort and a window per result):
** about 1.8 s of its 2.6 s at a million doctors.  Here the inputs are read
** once each (department and department_usage once for both of
** product_potential()'s shapes, through ext/prodpotential.h) and the orders
** sorted in memory.
**
** Errors: a missing or malformed period, workdays not a number >= 0, a
** product_id that is not an integer or names no product; a potential or
** inpatient volume out of a double's range; an integer sum past 2^63 - 1.
*/
#include "args.h"
#include "prodpotential.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "sqlsum.h"
#include "tvf.h"

#include <math.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 pt_i64;

enum {
  PT_COL_LEVEL,
  PT_COL_TERRITORY,
  PT_COL_TERRITORY_NAME,
  PT_COL_HOSPITAL,
  PT_COL_HOSPITAL_NAME,
  PT_COL_STATUS,
  PT_COL_DEPARTMENT,
  PT_COL_DEPARTMENT_NAME,
  PT_COL_RANK,
  PT_COL_DEV_RANK,
  PT_COL_ENTRY,
  PT_COL_OUTPATIENTS,
  PT_COL_INPATIENTS,
  PT_COL_DEPT_PATIENTS,
  PT_COL_POTENTIAL,
  PT_COL_USAGE,
  PT_COL_RX,
  PT_COL_CLASS_RX,
  PT_COL_PRESCRIBERS,
  PT_COL_USERS,
  PT_COL_HEADROOM,
  PT_COL_MARKET,
  PT_COL_RECORDED,
  PT_COL_SOURCE,
  PT_COL_SALES,
  PT_COL_PERIOD,
  PT_COL_WORKDAYS,
  PT_COL_PRODUCT
};
#define PT_NARG 3
#define FN "potential_tree"

/* a value as SQL holds it: type SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_NULL */
typedef struct PtNum {
  pt_i64 i;
  double r;
  int type;
} PtNum;

/* sum() of PtNums, NULLs skipped */
typedef struct PtSum {
  SqlSum s;
  pt_i64 n;
} PtSum;

/* a name: its bytes at names + at */
typedef struct PtName {
  uint32_t at, n;
} PtName;

typedef struct PtDep {
  pt_i64 id, rx, prescribers, users, rank, dev_rank; /* dev_rank 0: none */
  double patients, potential, usage, room;
  PtNum class_rx;
  PtName name;
  uint32_t hosp; /* index into the hospitals */
  uint8_t usage_null, entry;
} PtDep;

typedef struct PtHosp {
  pt_i64 id, unit;
  double outpatients;
  PtNum inpatients;
  PtName name, status;
  /* the departments' sums */
  PtNum patients, potential, rx, room, class_rx, prescribers, users;
  PtNum market;
  double recorded, sales;
  const char *source;
  int has_market;       /* a class counted: market value and sales apply */
  uint32_t first, ndep; /* its departments: dep_by_hosp[first ..] */
  pt_i64 rank;
  PtSum sales_sum;
} PtHosp;

typedef struct PtTerr {
  pt_i64 id;
  PtName name;
  PtNum outpatients, inpatients, patients, potential, rx, room, class_rx, prescribers, users, market, sales;
  double recorded;
  const char *source;
} PtTerr;

/* an output row: level 'T', 'H' or 'D' and the index of its territory,
** hospital or department */
typedef struct PtRow {
  uint32_t at;
  char level;
} PtRow;

typedef ReadVtab PtVtab;

/* the arguments, checked */
typedef struct PtArgs {
  sqlite3_value *period, *workdays;
  int has_product;
  pt_i64 product;
  double days_worked, month_days;
} PtArgs;

/* binds the product (NULL: all ours) as parameter n */
static void pt_bind_product(sqlite3_stmt *st, int n, const PtArgs *a) {
  if (a->has_product)
    sqlite3_bind_int64(st, n, a->product);
  else
    sqlite3_bind_null(st, n);
}

typedef struct PtCursor {
  sqlite3_vtab_cursor base;
  int kbn;
  char *names; /* the names read, PtName's bytes */
  size_t nnames, capnames;
  PtDep *dep;
  size_t ndep;
  double *demand; /* the classes' potential, ncls a department, then a hospital */
  int ncls;
  PpClass *cls;
  PtHosp *hosp;
  size_t nhosp;
  PtTerr *terr;
  size_t nterr;
  uint32_t *dep_by_hosp;
  PtRow *row;
  size_t nrow, i;
} PtCursor;

static int ptConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **pp,
                     char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: fixed queries with bound values over tables the caller can
  ** read, and our own innocuous functions. */
  return readvtab_connect(db,
                          "CREATE TABLE x(level TEXT, territory_id INTEGER, territory TEXT,"
                          " hospital_id INTEGER, hospital TEXT, status TEXT, department_id INTEGER,"
                          " department TEXT, rank INTEGER, dev_rank INTEGER, entry INTEGER, outpatients REAL,"
                          " inpatients, dept_patients REAL, potential REAL, usage_rate REAL, rx,"
                          " class_rx, prescribers, users, headroom REAL, market_value, recorded_value REAL,"
                          " source TEXT, sales REAL,"
                          " period HIDDEN, workdays HIDDEN, product_id HIDDEN)",
                          pp);
}

static void pt_clear(PtCursor *c) {
  sqlite3_free(c->names);
  sqlite3_free(c->demand);
  sqlite3_free(c->cls);
  sqlite3_free(c->dep);
  sqlite3_free(c->hosp);
  sqlite3_free(c->terr);
  sqlite3_free(c->dep_by_hosp);
  sqlite3_free(c->row);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int ptOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(PtCursor), pp);
}

static int ptClose(sqlite3_vtab_cursor *cur) {
  pt_clear((PtCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int ptBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[PT_NARG];
  if (tvf_args_find(ix, PT_COL_PERIOD, PT_NARG, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg =
        sqlite3_mprintf(FN ": needs the month and workdays: " FN "(period, workdays [, product_id])");
    return SQLITE_ERROR;
  }
  ix->idxNum = (int)tvf_args_use(ix, at, PT_NARG);
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

static int pt_db_error(PtCursor *c, sqlite3 *db) {
  return tvf_error(c->base.pVtab, sqlite3_mprintf(FN ": %s", sqlite3_errmsg(db)));
}

static PtNum pt_value(sqlite3_stmt *st, int col) {
  PtNum v = {0, 0.0, sqlite3_column_type(st, col)};
  if (v.type == SQLITE_INTEGER)
    v.i = sqlite3_column_int64(st, col);
  else if (v.type == SQLITE_FLOAT)
    v.r = sqlite3_column_double(st, col);
  else if (v.type != SQLITE_NULL)
    v.r = sqlite3_column_double(st, col), v.type = SQLITE_FLOAT;
  return v;
}

static PtNum pt_int(pt_i64 i) { return (PtNum){i, 0.0, SQLITE_INTEGER}; }
static PtNum pt_real(double r) { return (PtNum){0, r, SQLITE_FLOAT}; }

static void ps_add(PtSum *p, const PtNum *v, int kbn) {
  if (v->type == SQLITE_NULL) return;
  p->n++;
  if (v->type == SQLITE_INTEGER)
    sqlsum_int(&p->s, v->i, kbn);
  else
    sqlsum_real(&p->s, v->r, kbn);
}

/* the sum as sum() gives it; SQLITE_ERROR on an integer overflow */
static int ps_value(const PtSum *p, int kbn, PtNum *out) {
  if (!p->n) {
    *out = (PtNum){0, 0.0, SQLITE_NULL};
    return SQLITE_OK;
  }
  if (p->s.ovfl) return SQLITE_ERROR;
  if (!p->s.approx)
    *out = pt_int(p->s.i);
  else
    *out = pt_real(sqlsum_total(&p->s, kbn));
  return SQLITE_OK;
}

static double pt_double(const PtNum *v) { return v->type == SQLITE_INTEGER ? (double)v->i : v->r; }

static int pt_overflow(PtCursor *c, const char *what, pt_i64 id);

/* ---- reading */

/* a copy of column col's text among the names */
static int pt_name(PtCursor *c, sqlite3_stmt *st, int col, PtName *out) {
  const unsigned char *z = sqlite3_column_text(st, col);
  size_t n = (size_t)sqlite3_column_bytes(st, col);
  if (!z) {
    *out = (PtName){0, UINT32_MAX}; /* NULL */
    return sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_OK;
  }
  if (c->nnames + n > c->capnames) {
    size_t cap = c->capnames ? c->capnames : 1 << 16;
    while (cap < c->nnames + n) cap *= 2;
    if (cap >= UINT32_MAX) return SQLITE_TOOBIG;
    char *q = sqlite3_realloc64(c->names, cap);
    if (!q) return SQLITE_NOMEM;
    c->names = q;
    c->capnames = cap;
  }
  memcpy(c->names + c->nnames, z, n);
  *out = (PtName){(uint32_t)c->nnames, (uint32_t)n};
  c->nnames += n;
  return SQLITE_OK;
}

static void pt_result_name(sqlite3_context *ctx, const PtCursor *c, const PtName *n) {
  if (n->n != UINT32_MAX) sqlite3_result_text(ctx, c->names + n->at, (int)n->n, SQLITE_STATIC);
}

/* how many rows the table has, to allocate once (0 on an error) */
static size_t pt_count(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  size_t n = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) return 0;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0)
    n = (size_t)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

/* room for n elements of size sz in *p (capacity *cap) */
static int pt_room(void **p, size_t *cap, size_t n, size_t sz) {
  if (n <= *cap) return SQLITE_OK;
  size_t c = *cap ? *cap : 1024;
  while (c < n) c *= 2;
  void *q = sqlite3_realloc64(*p, (sqlite3_uint64)c * sz);
  if (!q) return SQLITE_NOMEM;
  *p = q;
  *cap = c;
  return SQLITE_OK;
}

/* hospitals by id (table order), found by binary search */
static int pt_read_hospitals(PtCursor *c, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(
          db,
          "SELECT id, unit_id, outpatients_per_day, beds, occupancy, avg_stay_days, name, status"
          " FROM hospital ORDER BY id",
          -1, &st, 0) != SQLITE_OK)
    return pt_db_error(c, db);
  size_t cap = 0;
  int rc = pt_room((void **)&c->hosp, &cap, pt_count(db, "SELECT count(*) FROM hospital"), sizeof(PtHosp));
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (sqlite3_column_type(st, 1) == SQLITE_NULL) continue; /* NOT NULL: a join would drop it */
    if ((rc = pt_room((void **)&c->hosp, &cap, c->nhosp + 1, sizeof(PtHosp))) != SQLITE_OK) break;
    PtHosp *h = &c->hosp[c->nhosp++];
    memset(h, 0, sizeof *h);
    h->id = sqlite3_column_int64(st, 0);
    h->unit = sqlite3_column_int64(st, 1);
    h->outpatients = sqlite3_column_double(st, 2) * a->days_worked;
    if (!isfinite(h->outpatients)) {
      rc = tvf_error(c->base.pVtab, sqlite3_mprintf(FN ": the outpatients of hospital %lld are out of range",
                                                    (long long)h->id));
      break;
    }
    PtNum beds = pt_value(st, 3);
    if (beds.type == SQLITE_INTEGER && beds.i == 0) {
      h->inpatients = pt_int(0);
    } else if (sqlite3_column_type(st, 4) == SQLITE_NULL || sqlite3_column_type(st, 5) == SQLITE_NULL ||
               beds.type == SQLITE_NULL) {
      h->inpatients.type = SQLITE_NULL;
    } else {
      /* inpatient_volume()'s order: beds x days x occupancy / stay */
      double v =
          pt_double(&beds) * a->month_days * sqlite3_column_double(st, 4) / sqlite3_column_double(st, 5);
      if (!isfinite(v)) {
        rc = tvf_error(c->base.pVtab, sqlite3_mprintf(FN ": the inpatients of hospital %lld are out of range",
                                                      (long long)h->id));
        break;
      }
      h->inpatients = pt_real(v);
    }
    if ((rc = pt_name(c, st, 6, &h->name)) != SQLITE_OK || (rc = pt_name(c, st, 7, &h->status)) != SQLITE_OK)
      break;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  return rc == SQLITE_NOMEM || rc == SQLITE_ERROR ? rc : pt_db_error(c, db);
}

static PtHosp *pt_find_hospital(PtCursor *c, pt_i64 id) {
  size_t lo = 0, hi = c->nhosp;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->hosp[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->nhosp && c->hosp[lo].id == id ? &c->hosp[lo] : 0;
}

/* Steps a reader on to the first row of department id or after; 0 when
** its ids go backwards (the merge below needs them in order). */
static int pt_skip_to(sqlite3_stmt *st, int *rc, pt_i64 id) {
  while (*rc == SQLITE_ROW && sqlite3_column_int64(st, 0) < id) {
    pt_i64 was = sqlite3_column_int64(st, 0);
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW && sqlite3_column_int64(st, 0) <= was) return 0;
  }
  return 1;
}

/* The departments of the hospitals, in id order: their potential a class
** each as product_potential() works it out (ext/prodpotential.h, one
** read of department and department_usage), and rx_department() beside
** them (its departments come in id order too). */
static int pt_read_departments(PtCursor *c, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *rx = 0, *names = 0;
  PpReader r;
  int rc = pp_reader_open(&r, c->base.pVtab, FN, db, a->days_worked, a->has_product, a->product);
  if (rc != SQLITE_OK) goto done;
  rc = sqlite3_prepare_v2(db,
                          "SELECT department_id, rx, class_rx, class_writers, prescribers"
                          " FROM rx_department(?1, ?1, ?2)",
                          -1, &rx, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "SELECT id, name FROM department ORDER BY id", -1, &names, 0);
  if (rc != SQLITE_OK) goto db_error;
  sqlite3_bind_value(rx, 1, a->period);
  pt_bind_product(rx, 2, a);
  /* the classes, kept for the market value */
  c->ncls = r.ncls;
  if (r.ncls) {
    c->cls = sqlite3_malloc64((size_t)r.ncls * sizeof(PpClass));
    if (!c->cls) goto nomem;
    memcpy(c->cls, r.cls, (size_t)r.ncls * sizeof(PpClass));
  }
  size_t cap = 0, capd = 0, ncls = (size_t)r.ncls;
  if (pt_room((void **)&c->dep, &cap, pt_count(db, "SELECT count(*) FROM department"), sizeof(PtDep)) !=
      SQLITE_OK)
    goto nomem;
  if (ncls && pt_room((void **)&c->demand, &capd, cap * ncls, sizeof(double)) != SQLITE_OK) goto nomem;
  int xrc = sqlite3_step(rx), nrc = sqlite3_step(names), more;
  while ((rc = pp_reader_next(&r, db, &more)) == SQLITE_OK && more) {
    pt_i64 id = r.id;
    if (!pt_skip_to(rx, &xrc, id) || !pt_skip_to(names, &nrc, id)) {
      rc = tvf_error(c->base.pVtab, sqlite3_mprintf(FN ": the departments came out of id order"));
      goto done;
    }
    if ((xrc != SQLITE_ROW && xrc != SQLITE_DONE) || (nrc != SQLITE_ROW && nrc != SQLITE_DONE)) goto db_error;
    PtHosp *h = r.hosp_null ? 0 : pt_find_hospital(c, r.hosp);
    if (!h) continue; /* a join to hospital would drop it */
    if (pt_room((void **)&c->dep, &cap, c->ndep + 1, sizeof(PtDep)) != SQLITE_OK) goto nomem;
    if (ncls && pt_room((void **)&c->demand, &capd, (c->ndep + 1) * ncls, sizeof(double)) != SQLITE_OK)
      goto nomem;
    PtDep *d = &c->dep[c->ndep];
    memset(d, 0, sizeof *d);
    d->id = id;
    d->hosp = (uint32_t)(h - c->hosp);
    h->ndep++;
    d->patients = r.patients * a->days_worked;
    if (!isfinite(d->patients)) {
      rc = tvf_error(c->base.pVtab,
                     sqlite3_mprintf(FN ": the patients of department %lld are out of range", (long long)id));
      goto done;
    }
    d->name = (PtName){0, UINT32_MAX};
    if (nrc == SQLITE_ROW && sqlite3_column_int64(names, 0) == id && (rc = pt_name(c, names, 1, &d->name)))
      goto done;
    if (ncls) {
      /* product_potential()'s row of the department */
      if ((rc = pp_reader_department(&r, &d->potential, &d->usage)) != SQLITE_OK) goto done;
      memcpy(&c->demand[c->ndep * ncls], r.pot, ncls * sizeof(double));
    } else {
      d->usage_null = 1; /* no class counted: no row, potential 0 */
    }
    d->class_rx = pt_int(0);
    if (xrc == SQLITE_ROW && sqlite3_column_int64(rx, 0) == id) {
      PtNum v;
      d->rx = sqlite3_column_int64(rx, 1);
      if ((v = pt_value(rx, 2)).type != SQLITE_NULL) d->class_rx = v;
      d->prescribers = sqlite3_column_int64(rx, 3);
      d->users = sqlite3_column_int64(rx, 4);
    }
    /* headroom(): max(potential - rx, 0) */
    double room = d->potential - (double)d->rx;
    d->room = room > 0 ? room : 0.0;
    c->ndep++;
  }
  if (rc != SQLITE_OK) goto done;
  if ((xrc != SQLITE_ROW && xrc != SQLITE_DONE) || (nrc != SQLITE_ROW && nrc != SQLITE_DONE)) goto db_error;
  rc = SQLITE_OK;
  goto done;
nomem:
  rc = SQLITE_NOMEM;
  goto done;
db_error:
  rc = pt_db_error(c, db);
done:
  pp_reader_close(&r);
  sqlite3_finalize(rx);
  sqlite3_finalize(names);
  return rc;
}

/* the territories' names (org_unit), for those with hospitals */
static int pt_read_territory_names(PtCursor *c, sqlite3 *db) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT name FROM org_unit WHERE id = ?1", -1, &st, 0) != SQLITE_OK)
    return pt_db_error(c, db);
  int rc = SQLITE_OK;
  for (size_t k = 0; k < c->nterr && rc == SQLITE_OK; k++) {
    PtTerr *t = &c->terr[k];
    t->name = (PtName){0, UINT32_MAX};
    sqlite3_bind_int64(st, 1, t->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
      rc = pt_name(c, st, 0, &t->name);
    else if (rc == SQLITE_DONE)
      rc = SQLITE_OK;
    else
      rc = pt_db_error(c, db);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return rc;
}

/* each hospital's departments, in id order: dep_by_hosp[first ..] */
static int pt_group(PtCursor *c) {
  uint32_t at = 0;
  for (size_t k = 0; k < c->nhosp; k++) {
    c->hosp[k].first = at;
    at += c->hosp[k].ndep;
    c->hosp[k].ndep = 0;
  }
  c->dep_by_hosp = sqlite3_malloc64((c->ndep ? c->ndep : 1) * sizeof(uint32_t));
  if (!c->dep_by_hosp) return SQLITE_NOMEM;
  for (size_t j = 0; j < c->ndep; j++) {
    PtHosp *h = &c->hosp[c->dep[j].hosp];
    c->dep_by_hosp[h->first + h->ndep++] = (uint32_t)j;
  }
  return SQLITE_OK;
}

/* a class's price (drug_class.rx_value), NULL when unknown */
typedef struct PtPrice {
  pt_i64 id;
  double value;
  int known;
} PtPrice;

typedef struct PtPurchase {
  pt_i64 hosp, cls;
  double amount;
} PtPurchase;

static int pt_cmp_purchase(const void *a, const void *b) {
  const PtPurchase *x = a, *y = b;
  if (x->hosp != y->hosp) return x->hosp < y->hosp ? -1 : 1;
  return x->cls < y->cls ? -1 : x->cls > y->cls;
}

/* The market value per hospital with departments, a class at a time in
** class order: its departments' potential of the class (added in id
** order, as product_potential(..., 'hospital') adds them), the month's
** purchases, the classes' prices. */
static int pt_read_market(PtCursor *c, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *st = 0;
  PtPrice *price = 0;
  PtPurchase *buy = 0;
  size_t nprice = 0, nbuy = 0, cap = 0, ncls = (size_t)c->ncls;
  if (!ncls) return SQLITE_OK; /* no class: no market value, no sales */
  int rc = sqlite3_prepare_v2(db, "SELECT id, rx_value FROM drug_class ORDER BY id", -1, &st, 0);
  if (rc != SQLITE_OK) goto db_error;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (pt_room((void **)&price, &cap, nprice + 1, sizeof *price) != SQLITE_OK) goto nomem;
    price[nprice++] = (PtPrice){sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
                                sqlite3_column_type(st, 1) != SQLITE_NULL};
  }
  if (rc != SQLITE_DONE) goto db_error;
  sqlite3_finalize(st);
  rc = sqlite3_prepare_v2(db, "SELECT hospital_id, class_id, amount FROM purchase WHERE period = ?1", -1, &st,
                          0);
  if (rc != SQLITE_OK) goto db_error;
  sqlite3_bind_value(st, 1, a->period);
  cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (pt_room((void **)&buy, &cap, nbuy + 1, sizeof *buy) != SQLITE_OK) goto nomem;
    buy[nbuy++] =
        (PtPurchase){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2)};
  }
  if (rc != SQLITE_DONE) goto db_error;
  sqlite3_finalize(st);
  st = 0;
  if (nbuy > 1) qsort(buy, nbuy, sizeof *buy, pt_cmp_purchase);
  /* each class's price, found once */
  const PtPrice **cls_price = sqlite3_malloc64(ncls * sizeof *cls_price);
  if (!cls_price) goto nomem;
  for (size_t k = 0; k < ncls; k++) {
    cls_price[k] = 0;
    for (size_t q = 0; !c->cls[k].none && q < nprice; q++)
      if (price[q].id == c->cls[k].id) cls_price[k] = &price[q];
  }
  rc = SQLITE_OK;
  for (size_t i = 0; i < c->nhosp && rc == SQLITE_OK; i++) {
    PtHosp *h = &c->hosp[i];
    if (!h->ndep) continue;
    h->has_market = 1;
    PtSum market, recorded;
    memset(&market, 0, sizeof market);
    memset(&recorded, 0, sizeof recorded);
    pt_i64 nvalued = 0, nrecorded = 0;
    for (size_t k = 0; k < ncls; k++) {
      SqlSum sum;
      memset(&sum, 0, sizeof sum);
      for (uint32_t n = 0; n < h->ndep; n++)
        sqlsum_real(&sum, c->demand[c->dep_by_hosp[h->first + n] * ncls + k], c->kbn);
      double demand = sqlsum_total(&sum, c->kbn);
      if (!isfinite(demand)) {
        rc = tvf_error(c->base.pVtab, sqlite3_mprintf(FN ": the potential of hospital %lld is out of range",
                                                      (long long)h->id));
        break;
      }
      /* recorded: the purchase of the class (a classless product has none) */
      PtPurchase key = {h->id, c->cls[k].id, 0}, *b = 0;
      if (!c->cls[k].none && nbuy) b = bsearch(&key, buy, nbuy, sizeof *buy, pt_cmp_purchase);
      PtNum value;
      if (b) {
        value = pt_real(b->amount);
        ps_add(&recorded, &value, c->kbn);
        nrecorded++;
      } else if (demand == 0) {
        value = pt_int(0); /* no demand is worth nothing, whatever the price */
      } else if (!cls_price[k] || !cls_price[k]->known) {
        value.type = SQLITE_NULL;
      } else {
        double inpatients = h->inpatients.type == SQLITE_NULL ? 0.0 : pt_double(&h->inpatients);
        double factor = h->outpatients > 0 ? 1 + inpatients / h->outpatients : 1.0;
        value = pt_real(demand * factor * cls_price[k]->value);
      }
      if (value.type != SQLITE_NULL) nvalued++;
      ps_add(&market, &value, c->kbn);
    }
    if (rc != SQLITE_OK) break;
    h->market.type = SQLITE_NULL;
    if (nvalued == (pt_i64)ncls && ps_value(&market, c->kbn, &h->market) != SQLITE_OK)
      rc = pt_overflow(c, "hospital", h->id);
    h->recorded = sqlsum_total(&recorded.s, c->kbn);
    h->source = nvalued < (pt_i64)ncls      ? 0
                : nrecorded == (pt_i64)ncls ? "purchases"
                : nrecorded == 0            ? "extrapolated"
                                            : "mixed";
  }
  sqlite3_free(cls_price);
  goto done;
nomem:
  rc = SQLITE_NOMEM;
  goto done;
db_error:
  rc = pt_db_error(c, db);
done:
  sqlite3_finalize(st);
  sqlite3_free(price);
  sqlite3_free(buy);
  return rc;
}

/* our sales of the month: per product (in id order), its sale rows */
static int pt_read_sales(PtCursor *c, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *prod = 0, *st = 0;
  if (!c->ncls) return SQLITE_OK; /* no class: no sales shown */
  int rc =
      sqlite3_prepare_v2(db,
                         "SELECT id FROM product WHERE CASE WHEN ?1 IS NULL THEN ours = 1 ELSE id = ?1 END"
                         " ORDER BY id",
                         -1, &prod, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "SELECT hospital_id, amount FROM sale WHERE period = ?1 AND product_id = ?2",
                            -1, &st, 0);
  if (rc != SQLITE_OK) goto db_error;
  pt_bind_product(prod, 1, a);
  sqlite3_bind_value(st, 1, a->period);
  while ((rc = sqlite3_step(prod)) == SQLITE_ROW) {
    sqlite3_bind_int64(st, 2, sqlite3_column_int64(prod, 0));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      PtHosp *h = pt_find_hospital(c, sqlite3_column_int64(st, 0));
      if (!h) continue;
      PtNum v = pt_real(sqlite3_column_double(st, 1)); /* amount is REAL */
      ps_add(&h->sales_sum, &v, c->kbn);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) goto db_error;
  }
  if (rc != SQLITE_DONE) goto db_error;
  for (size_t i = 0; i < c->nhosp; i++) c->hosp[i].sales = sqlsum_total(&c->hosp[i].sales_sum.s, c->kbn);
  rc = SQLITE_OK;
  goto done;
db_error:
  rc = pt_db_error(c, db);
done:
  sqlite3_finalize(prod);
  sqlite3_finalize(st);
  return rc;
}

/* ---- summing and ordering */

static int pt_overflow(PtCursor *c, const char *what, pt_i64 id) {
  return tvf_error(c->base.pVtab,
                   sqlite3_mprintf(FN ": integer overflow in the sums of %s %lld", what, (long long)id));
}

typedef struct PtKey {
  pt_i64 group, id;
  double room, potential;
  uint32_t at;
} PtKey;

/* group, then room descending, then id */
static int pt_cmp_room(const void *a, const void *b) {
  const PtKey *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->room != y->room) return x->room > y->room ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* group, then room, then potential descending, then id */
static int pt_cmp_development(const void *a, const void *b) {
  const PtKey *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->room != y->room) return x->room > y->room ? -1 : 1;
  if (x->potential != y->potential) return x->potential > y->potential ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* each hospital's departments summed in id order */
static int pt_sum_hospitals(PtCursor *c) {
  for (size_t k = 0; k < c->nhosp; k++) {
    PtHosp *h = &c->hosp[k];
    if (!h->ndep) continue;
    PtSum s[7];
    memset(s, 0, sizeof s);
    for (uint32_t n = 0; n < h->ndep; n++) {
      const PtDep *d = &c->dep[c->dep_by_hosp[h->first + n]];
      PtNum v;
      v = pt_real(d->patients), ps_add(&s[0], &v, c->kbn);
      v = pt_real(d->potential), ps_add(&s[1], &v, c->kbn);
      v = pt_int(d->rx), ps_add(&s[2], &v, c->kbn);
      v = pt_real(d->room), ps_add(&s[3], &v, c->kbn);
      ps_add(&s[4], &d->class_rx, c->kbn);
      v = pt_int(d->prescribers), ps_add(&s[5], &v, c->kbn);
      v = pt_int(d->users), ps_add(&s[6], &v, c->kbn);
    }
    PtNum *out[7] = {&h->patients, &h->potential, &h->rx, &h->room, &h->class_rx, &h->prescribers, &h->users};
    for (int q = 0; q < 7; q++)
      if (ps_value(&s[q], c->kbn, out[q]) != SQLITE_OK) return pt_overflow(c, "hospital", h->id);
  }
  return SQLITE_OK;
}

/* the territories (hospital.unit_id), each one's hospitals summed in id
** order; the rows of both parts in order */
static int pt_order(PtCursor *c) {
  /* hospitals with departments, by (territory, room desc, id) */
  size_t nh = 0;
  for (size_t k = 0; k < c->nhosp; k++) nh += c->hosp[k].ndep > 0;
  PtKey *hk = sqlite3_malloc64((nh ? nh : 1) * sizeof *hk);
  PtKey *dk = sqlite3_malloc64((c->ndep ? c->ndep : 1) * sizeof *dk);
  /* rows: a territory each, a hospital each, a department each */
  c->row = sqlite3_malloc64((2 * nh + c->ndep + 1) * sizeof *c->row);
  c->terr = sqlite3_malloc64((nh ? nh : 1) * sizeof *c->terr);
  if (!hk || !dk || !c->row || !c->terr) {
    sqlite3_free(hk);
    sqlite3_free(dk);
    return SQLITE_NOMEM;
  }
  nh = 0;
  for (size_t k = 0; k < c->nhosp; k++)
    if (c->hosp[k].ndep)
      hk[nh++] = (PtKey){c->hosp[k].unit, c->hosp[k].id, pt_double(&c->hosp[k].room), 0, (uint32_t)k};
  /* the territories' sums: hospitals in (territory, id) order */
  PtKey *ti = sqlite3_malloc64((nh ? nh : 1) * sizeof *ti);
  if (!ti) {
    sqlite3_free(hk);
    sqlite3_free(dk);
    return SQLITE_NOMEM;
  }
  for (size_t k = 0; k < nh; k++) ti[k] = (PtKey){hk[k].group, hk[k].id, 0, 0, hk[k].at};
  qsort(ti, nh, sizeof *ti, pt_cmp_room); /* room 0 for all: (territory, id) */
  int rc = SQLITE_OK;
  for (size_t k = 0; k < nh && rc == SQLITE_OK;) {
    size_t end = k;
    while (end < nh && ti[end].group == ti[k].group) end++;
    PtTerr *t = &c->terr[c->nterr++];
    memset(t, 0, sizeof *t);
    t->id = ti[k].group;
    PtSum s[11];
    memset(s, 0, sizeof s);
    pt_i64 n = 0, nvalued = 0;
    const char *lo = 0, *hi = 0;
    SqlSum recorded;
    memset(&recorded, 0, sizeof recorded);
    for (size_t q = k; q < end; q++) {
      const PtHosp *h = &c->hosp[ti[q].at];
      PtNum v = pt_real(h->outpatients);
      ps_add(&s[0], &v, c->kbn);
      ps_add(&s[1], &h->inpatients, c->kbn);
      ps_add(&s[2], &h->patients, c->kbn);
      ps_add(&s[3], &h->potential, c->kbn);
      ps_add(&s[4], &h->rx, c->kbn);
      ps_add(&s[5], &h->room, c->kbn);
      ps_add(&s[6], &h->class_rx, c->kbn);
      ps_add(&s[7], &h->prescribers, c->kbn);
      ps_add(&s[8], &h->users, c->kbn);
      n++;
      if (h->has_market) {
        ps_add(&s[9], &h->market, c->kbn);
        nvalued += h->market.type != SQLITE_NULL;
        v = pt_real(h->sales);
        ps_add(&s[10], &v, c->kbn);
        sqlsum_real(&recorded, h->recorded, c->kbn);
        if (h->source) {
          if (!lo || strcmp(h->source, lo) < 0) lo = h->source;
          if (!hi || strcmp(h->source, hi) > 0) hi = h->source;
        }
      }
    }
    PtNum *out[11] = {&t->outpatients, &t->inpatients,  &t->patients, &t->potential, &t->rx,   &t->room,
                      &t->class_rx,    &t->prescribers, &t->users,    &t->market,    &t->sales};
    for (int q = 0; q < 11; q++)
      if (ps_value(&s[q], c->kbn, out[q]) != SQLITE_OK) rc = pt_overflow(c, "territory", t->id);
    t->recorded = sqlsum_total(&recorded, c->kbn);
    t->source = nvalued < n ? 0 : strcmp(lo, hi) == 0 ? lo : "mixed";
    k = end;
  }
  sqlite3_free(ti);
  if (rc != SQLITE_OK) {
    sqlite3_free(hk);
    sqlite3_free(dk);
    return rc;
  }
  qsort(hk, nh, sizeof *hk, pt_cmp_room);
  /* each hospital's departments by (room desc, id), its entry department */
  for (size_t k = 0; k < c->nhosp; k++) {
    PtHosp *h = &c->hosp[k];
    if (!h->ndep) continue;
    PtDep *best = 0;
    for (uint32_t n = 0; n < h->ndep; n++) {
      PtDep *d = &c->dep[c->dep_by_hosp[h->first + n]];
      dk[n] = (PtKey){0, d->id, d->room, 0, c->dep_by_hosp[h->first + n]};
      if (!(d->potential > 0)) continue;
      /* usage_rate DESC (NULL last), potential DESC, id */
      if (!best || (!d->usage_null && (best->usage_null || d->usage > best->usage)) ||
          ((d->usage_null == best->usage_null) && (d->usage_null || d->usage == best->usage) &&
           (d->potential > best->potential || (d->potential == best->potential && d->id < best->id))))
        best = d;
    }
    if (best) best->entry = 1;
    qsort(dk, h->ndep, sizeof *dk, pt_cmp_room);
    for (uint32_t n = 0; n < h->ndep; n++) {
      c->dep_by_hosp[h->first + n] = dk[n].at;
      c->dep[dk[n].at].rank = n + 1;
    }
  }
  /* the rows */
  size_t t = 0;
  for (size_t k = 0; k < nh; k++) {
    if (k == 0 || hk[k].group != hk[k - 1].group) {
      while (c->terr[t].id != hk[k].group) t++;
      c->row[c->nrow++] = (PtRow){(uint32_t)t, 'T'};
    }
    PtHosp *h = &c->hosp[hk[k].at];
    h->rank = (k == 0 || hk[k].group != hk[k - 1].group) ? 1 : c->hosp[hk[k - 1].at].rank + 1;
    c->row[c->nrow++] = (PtRow){hk[k].at, 'H'};
    for (uint32_t n = 0; n < h->ndep; n++) {
      uint32_t j = c->dep_by_hosp[h->first + n];
      c->row[c->nrow++] = (PtRow){j, 'D'};
    }
  }
  /* the development order */
  size_t nd = 0;
  for (size_t j = 0; j < c->ndep; j++) {
    const PtDep *d = &c->dep[j];
    if (d->potential > 0)
      dk[nd++] = (PtKey){c->hosp[d->hosp].unit, d->id, d->room, d->potential, (uint32_t)j};
  }
  qsort(dk, nd, sizeof *dk, pt_cmp_development);
  pt_i64 rank = 0;
  for (size_t k = 0; k < nd; k++) {
    rank = (k == 0 || dk[k].group != dk[k - 1].group) ? 1 : rank + 1;
    c->dep[dk[k].at].dev_rank = rank;
  }
  sqlite3_free(hk);
  sqlite3_free(dk);
  return SQLITE_OK;
}

/* the days of a checked month 'YYYY-MM' (the Gregorian calendar, as
** julianday() counts them) */
static double pt_month_days(const unsigned char *m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
  int mo = (m[5] - '0') * 10 + (m[6] - '0');
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return days[mo - 1] + (mo == 2 && leap);
}

static int ptFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  PtCursor *c = (PtCursor *)cur;
  sqlite3_vtab *vt = cur->pVtab;
  sqlite3 *db = ((PtVtab *)vt)->db;
  pt_clear(c);
  sqlite3_value *arg[PT_NARG] = {0, 0, 0};
  for (int h = 0, n = 0; h < PT_NARG; h++)
    if (idxNum & (1 << h)) arg[h] = argv[n++];
  int rc = rx_check_month(vt, FN, arg[0], "period");
  if (rc != SQLITE_OK) return rc;
  int t = sqlite3_value_type(arg[1]);
  double workdays = 0;
  if (t != SQLITE_NULL && (t == SQLITE_BLOB || !value_text_number(arg[1], &workdays) || !(workdays >= 0))) {
    char *got = value_repr(arg[1]);
    if (!got) return SQLITE_NOMEM;
    rc = tvf_error(vt, sqlite3_mprintf(FN ": workdays must be a number >= 0, got %s", got));
    sqlite3_free(got);
    return rc;
  }
  PtArgs a = {arg[0], arg[1], 0, 0, workdays, pt_month_days(sqlite3_value_text(arg[0]))};
  if (arg[2]) {
    rc = rx_check_product(vt, FN, db, arg[2], &a.has_product, &a.product);
    if (rc != SQLITE_OK) return rc;
  }
  if (t == SQLITE_NULL) return SQLITE_OK; /* no workdays: no rows */
  c->kbn = sqlsum_kbn();
  rc = pt_read_hospitals(c, db, &a);
  if (rc == SQLITE_OK) rc = pt_read_departments(c, db, &a);
  if (rc == SQLITE_OK) rc = pt_group(c);
  if (rc == SQLITE_OK) rc = pt_read_market(c, db, &a);
  if (rc == SQLITE_OK) rc = pt_read_sales(c, db, &a);
  if (rc == SQLITE_OK) rc = pt_sum_hospitals(c);
  if (rc == SQLITE_OK) rc = pt_order(c);
  if (rc == SQLITE_OK) rc = pt_read_territory_names(c, db);
  if (rc != SQLITE_OK) {
    char *keep = vt->zErrMsg;
    vt->zErrMsg = 0;
    pt_clear(c);
    vt->zErrMsg = keep;
  }
  return rc;
}

static int ptNext(sqlite3_vtab_cursor *cur) {
  ((PtCursor *)cur)->i++;
  return SQLITE_OK;
}

static int ptEof(sqlite3_vtab_cursor *cur) {
  PtCursor *c = (PtCursor *)cur;
  return c->i >= c->nrow;
}

/* the territory of unit (one with hospitals), by binary search */
static size_t pt_terr_of(const PtCursor *c, pt_i64 unit) {
  size_t lo = 0, hi = c->nterr;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->terr[mid].id < unit)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void pt_result(sqlite3_context *ctx, const PtNum *v) {
  if (v->type == SQLITE_INTEGER)
    sqlite3_result_int64(ctx, v->i);
  else if (v->type == SQLITE_FLOAT)
    sqlite3_result_double(ctx, v->r);
  else
    sqlite3_result_null(ctx);
}

static int ptColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  PtCursor *c = (PtCursor *)cur;
  const PtRow *w = &c->row[c->i];
  const PtTerr *t = w->level == 'T' ? &c->terr[w->at] : 0;
  const PtDep *d = w->level == 'D' ? &c->dep[w->at] : 0;
  const PtHosp *h = w->level == 'H' ? &c->hosp[w->at] : d ? &c->hosp[d->hosp] : 0;
  int dep = d != 0;
  switch (col) {
  case PT_COL_LEVEL:
    sqlite3_result_text(ctx, t ? "territory" : dep ? "department" : "hospital", -1, SQLITE_STATIC);
    break;
  case PT_COL_TERRITORY:
    sqlite3_result_int64(ctx, t ? t->id : h->unit);
    break;
  case PT_COL_TERRITORY_NAME:
    pt_result_name(ctx, c, t ? &t->name : &c->terr[pt_terr_of(c, h->unit)].name);
    break;
  case PT_COL_HOSPITAL:
    if (h) sqlite3_result_int64(ctx, h->id);
    break;
  case PT_COL_HOSPITAL_NAME:
    if (h) pt_result_name(ctx, c, &h->name);
    break;
  case PT_COL_STATUS:
    if (h) pt_result_name(ctx, c, &h->status);
    break;
  case PT_COL_DEPARTMENT:
    if (d) sqlite3_result_int64(ctx, d->id);
    break;
  case PT_COL_DEPARTMENT_NAME:
    if (d) pt_result_name(ctx, c, &d->name);
    break;
  case PT_COL_RANK:
    if (d)
      sqlite3_result_int64(ctx, d->rank);
    else if (!t)
      sqlite3_result_int64(ctx, h->rank);
    break;
  case PT_COL_DEV_RANK:
    if (d && d->dev_rank) sqlite3_result_int64(ctx, d->dev_rank);
    break;
  case PT_COL_ENTRY:
    if (d) sqlite3_result_int(ctx, d->entry);
    break;
  case PT_COL_OUTPATIENTS:
    if (t)
      pt_result(ctx, &t->outpatients);
    else if (!dep)
      sqlite3_result_double(ctx, h->outpatients);
    break;
  case PT_COL_INPATIENTS:
    if (t)
      pt_result(ctx, &t->inpatients);
    else if (!dep)
      pt_result(ctx, &h->inpatients);
    break;
  case PT_COL_DEPT_PATIENTS:
    if (d)
      sqlite3_result_double(ctx, d->patients);
    else
      pt_result(ctx, t ? &t->patients : &h->patients);
    break;
  case PT_COL_POTENTIAL:
    if (d)
      sqlite3_result_double(ctx, d->potential);
    else
      pt_result(ctx, t ? &t->potential : &h->potential);
    break;
  case PT_COL_USAGE:
    if (d && !d->usage_null) sqlite3_result_double(ctx, d->usage);
    break;
  case PT_COL_RX:
    if (d)
      sqlite3_result_int64(ctx, d->rx);
    else
      pt_result(ctx, t ? &t->rx : &h->rx);
    break;
  case PT_COL_CLASS_RX:
    pt_result(ctx, d ? &d->class_rx : t ? &t->class_rx : &h->class_rx);
    break;
  case PT_COL_PRESCRIBERS:
    if (d)
      sqlite3_result_int64(ctx, d->prescribers);
    else
      pt_result(ctx, t ? &t->prescribers : &h->prescribers);
    break;
  case PT_COL_USERS:
    if (d)
      sqlite3_result_int64(ctx, d->users);
    else
      pt_result(ctx, t ? &t->users : &h->users);
    break;
  case PT_COL_HEADROOM:
    if (d)
      sqlite3_result_double(ctx, d->room);
    else
      pt_result(ctx, t ? &t->room : &h->room);
    break;
  case PT_COL_MARKET:
    if (t)
      pt_result(ctx, &t->market);
    else if (!dep && h->has_market)
      pt_result(ctx, &h->market);
    break;
  case PT_COL_RECORDED:
    if (t)
      sqlite3_result_double(ctx, t->recorded);
    else if (!dep && h->has_market)
      sqlite3_result_double(ctx, h->recorded);
    break;
  case PT_COL_SOURCE: {
    const char *s = t ? t->source : !dep && h->has_market ? h->source : 0;
    if (s) sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
    break;
  }
  case PT_COL_SALES:
    if (t)
      pt_result(ctx, &t->sales);
    else if (!dep && h->has_market)
      sqlite3_result_double(ctx, h->sales);
    break;
  default:
    break; /* the hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int ptRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((PtCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module pt_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = ptConnect,
    .xBestIndex = ptBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = ptOpen,
    .xClose = ptClose,
    .xFilter = ptFilter,
    .xNext = ptNext,
    .xEof = ptEof,
    .xColumn = ptColumn,
    .xRowid = ptRowid,
};

int pottree_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, FN, &pt_module, 0);
}
