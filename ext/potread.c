/*
** potread.c -- the inputs of potential_tree() (ext/pottree.c): the
** hospitals, their departments with product_potential()'s potential (one
** read of department and department_usage, ext/prodpotential.h) and
** rx_department()'s prescriptions beside them, each hospital's market
** value a class at a time and its sales of the month, and the
** territories' names.  What the figures mean is in ext/pottree.c.
*/
#include "potread.h"

#include "tvf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* binds the product (NULL: all ours) as parameter n */
static void pt_bind_product(sqlite3_stmt *st, int n, const PtArgs *a) {
  if (a->has_product)
    sqlite3_bind_int64(st, n, a->product);
  else
    sqlite3_bind_null(st, n);
}

static int pt_db_error(PtTree *tr, sqlite3 *db) {
  return tvf_error(tr->vt, sqlite3_mprintf(PT_FN ": %s", sqlite3_errmsg(db)));
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

int pt_overflow(PtTree *tr, const char *what, pt_i64 id) {
  return tvf_error(tr->vt,
                   sqlite3_mprintf(PT_FN ": integer overflow in the sums of %s %lld", what, (long long)id));
}

/* a copy of column col's text among the names */
static int pt_name(PtTree *tr, sqlite3_stmt *st, int col, PtName *out) {
  const unsigned char *z = sqlite3_column_text(st, col);
  size_t n = (size_t)sqlite3_column_bytes(st, col);
  if (!z) {
    *out = (PtName){0, UINT32_MAX}; /* NULL */
    return sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_OK;
  }
  if (tr->nnames + n > tr->capnames) {
    size_t cap = tr->capnames ? tr->capnames : 1 << 16;
    while (cap < tr->nnames + n) cap *= 2;
    if (cap >= UINT32_MAX) return SQLITE_TOOBIG;
    char *q = sqlite3_realloc64(tr->names, cap);
    if (!q) return SQLITE_NOMEM;
    tr->names = q;
    tr->capnames = cap;
  }
  memcpy(tr->names + tr->nnames, z, n);
  *out = (PtName){(uint32_t)tr->nnames, (uint32_t)n};
  tr->nnames += n;
  return SQLITE_OK;
}

/* hospitals by id (table order), found by binary search */
static int pt_read_hospitals(PtTree *tr, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(
          db,
          "SELECT id, unit_id, outpatients_per_day, beds, occupancy, avg_stay_days, name, status"
          " FROM hospital ORDER BY id",
          -1, &st, 0) != SQLITE_OK)
    return pt_db_error(tr, db);
  size_t cap = 0;
  int rc = tvf_room((void **)&tr->hosp, &cap, tvf_count(db, "SELECT count(*) FROM hospital"), sizeof(PtHosp));
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (sqlite3_column_type(st, 1) == SQLITE_NULL) continue; /* NOT NULL: a join would drop it */
    if ((rc = tvf_room((void **)&tr->hosp, &cap, tr->nhosp + 1, sizeof(PtHosp))) != SQLITE_OK) break;
    PtHosp *h = &tr->hosp[tr->nhosp++];
    memset(h, 0, sizeof *h);
    h->id = sqlite3_column_int64(st, 0);
    h->unit = sqlite3_column_int64(st, 1);
    h->outpatients = sqlite3_column_double(st, 2) * a->days_worked;
    if (!isfinite(h->outpatients)) {
      rc = tvf_error(tr->vt, sqlite3_mprintf(PT_FN ": the outpatients of hospital %lld are out of range",
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
        rc = tvf_error(tr->vt, sqlite3_mprintf(PT_FN ": the inpatients of hospital %lld are out of range",
                                               (long long)h->id));
        break;
      }
      h->inpatients = pt_real(v);
    }
    if ((rc = pt_name(tr, st, 6, &h->name)) != SQLITE_OK ||
        (rc = pt_name(tr, st, 7, &h->status)) != SQLITE_OK)
      break;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  return rc == SQLITE_NOMEM || rc == SQLITE_ERROR ? rc : pt_db_error(tr, db);
}

static PtHosp *pt_find_hospital(PtTree *tr, pt_i64 id) {
  size_t lo = 0, hi = tr->nhosp;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (tr->hosp[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < tr->nhosp && tr->hosp[lo].id == id ? &tr->hosp[lo] : 0;
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
static int pt_read_departments(PtTree *tr, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *rx = 0;
  PpReader r;
  int rc = pp_reader_open(&r, tr->vt, PT_FN, db, a->days_worked, a->has_product, a->product);
  if (rc != SQLITE_OK) goto done;
  rc = sqlite3_prepare_v2(db,
                          "SELECT department_id, rx, class_rx, class_writers, prescribers"
                          " FROM rx_department(?1, ?1, ?2)",
                          -1, &rx, 0);
  if (rc != SQLITE_OK) goto db_error;
  sqlite3_bind_value(rx, 1, a->period);
  pt_bind_product(rx, 2, a);
  /* the classes, kept for the market value */
  tr->ncls = r.ncls;
  if (r.ncls) {
    tr->cls = sqlite3_malloc64((size_t)r.ncls * sizeof(PpClass));
    if (!tr->cls) goto nomem;
    memcpy(tr->cls, r.cls, (size_t)r.ncls * sizeof(PpClass));
  }
  size_t cap = 0, capd = 0, ncls = (size_t)r.ncls;
  if (tvf_room((void **)&tr->dep, &cap, tvf_count(db, "SELECT count(*) FROM department"), sizeof(PtDep)) !=
      SQLITE_OK)
    goto nomem;
  if (ncls && tvf_room((void **)&tr->demand, &capd, cap * ncls, sizeof(double)) != SQLITE_OK) goto nomem;
  int xrc = sqlite3_step(rx), more;
  while ((rc = pp_reader_next(&r, db, &more)) == SQLITE_OK && more) {
    pt_i64 id = r.id;
    if (!pt_skip_to(rx, &xrc, id)) {
      rc = tvf_error(tr->vt, sqlite3_mprintf(PT_FN ": the departments came out of id order"));
      goto done;
    }
    if (xrc != SQLITE_ROW && xrc != SQLITE_DONE) goto db_error;
    PtHosp *h = r.hosp_null ? 0 : pt_find_hospital(tr, r.hosp);
    if (!h) continue; /* a join to hospital would drop it */
    if (tvf_room((void **)&tr->dep, &cap, tr->ndep + 1, sizeof(PtDep)) != SQLITE_OK) goto nomem;
    if (ncls && tvf_room((void **)&tr->demand, &capd, (tr->ndep + 1) * ncls, sizeof(double)) != SQLITE_OK)
      goto nomem;
    PtDep *d = &tr->dep[tr->ndep];
    memset(d, 0, sizeof *d);
    d->id = id;
    d->hosp = (uint32_t)(h - tr->hosp);
    h->ndep++;
    d->patients = r.patients * a->days_worked;
    if (!isfinite(d->patients)) {
      rc = tvf_error(tr->vt,
                     sqlite3_mprintf(PT_FN ": the patients of department %lld are out of range", (long long)id));
      goto done;
    }
    if ((rc = pt_name(tr, r.dep, PP_DEP_NAME, &d->name)) != SQLITE_OK) goto done;
    if (ncls) {
      /* product_potential()'s row of the department */
      if ((rc = pp_reader_department(&r, &d->potential, &d->usage)) != SQLITE_OK) goto done;
      memcpy(&tr->demand[tr->ndep * ncls], r.pot, ncls * sizeof(double));
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
    tr->ndep++;
  }
  if (rc != SQLITE_OK) goto done;
  if (xrc != SQLITE_ROW && xrc != SQLITE_DONE) goto db_error;
  rc = SQLITE_OK;
  goto done;
nomem:
  rc = SQLITE_NOMEM;
  goto done;
db_error:
  rc = pt_db_error(tr, db);
done:
  pp_reader_close(&r);
  sqlite3_finalize(rx);
  return rc;
}

/* the territories' names (org_unit), for those with hospitals */
int pt_read_territory_names(PtTree *tr, sqlite3 *db) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT name FROM org_unit WHERE id = ?1", -1, &st, 0) != SQLITE_OK)
    return pt_db_error(tr, db);
  int rc = SQLITE_OK;
  for (size_t k = 0; k < tr->nterr && rc == SQLITE_OK; k++) {
    PtTerr *t = &tr->terr[k];
    t->name = (PtName){0, UINT32_MAX};
    sqlite3_bind_int64(st, 1, t->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
      rc = pt_name(tr, st, 0, &t->name);
    else if (rc == SQLITE_DONE)
      rc = SQLITE_OK;
    else
      rc = pt_db_error(tr, db);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return rc;
}

/* each hospital's departments, in id order: dep_by_hosp[first ..] */
static int pt_group(PtTree *tr) {
  uint32_t at = 0;
  for (size_t k = 0; k < tr->nhosp; k++) {
    tr->hosp[k].first = at;
    at += tr->hosp[k].ndep;
    tr->hosp[k].ndep = 0;
  }
  tr->dep_by_hosp = sqlite3_malloc64((tr->ndep ? tr->ndep : 1) * sizeof(uint32_t));
  if (!tr->dep_by_hosp) return SQLITE_NOMEM;
  for (size_t j = 0; j < tr->ndep; j++) {
    PtHosp *h = &tr->hosp[tr->dep[j].hosp];
    tr->dep_by_hosp[h->first + h->ndep++] = (uint32_t)j;
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
static int pt_read_market(PtTree *tr, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *st = 0;
  PtPrice *price = 0;
  PtPurchase *buy = 0;
  size_t nprice = 0, nbuy = 0, cap = 0, ncls = (size_t)tr->ncls;
  if (!ncls) return SQLITE_OK; /* no class: no market value, no sales */
  int rc = sqlite3_prepare_v2(db, "SELECT id, rx_value FROM drug_class ORDER BY id", -1, &st, 0);
  if (rc != SQLITE_OK) goto db_error;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (tvf_room((void **)&price, &cap, nprice + 1, sizeof *price) != SQLITE_OK) goto nomem;
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
    if (tvf_room((void **)&buy, &cap, nbuy + 1, sizeof *buy) != SQLITE_OK) goto nomem;
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
    for (size_t q = 0; !tr->cls[k].none && q < nprice; q++)
      if (price[q].id == tr->cls[k].id) cls_price[k] = &price[q];
  }
  rc = SQLITE_OK;
  for (size_t i = 0; i < tr->nhosp && rc == SQLITE_OK; i++) {
    PtHosp *h = &tr->hosp[i];
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
        sqlsum_real(&sum, tr->demand[tr->dep_by_hosp[h->first + n] * ncls + k], tr->kbn);
      double demand = sqlsum_total(&sum, tr->kbn);
      if (!isfinite(demand)) {
        rc = tvf_error(
            tr->vt, sqlite3_mprintf(PT_FN ": the potential of hospital %lld is out of range", (long long)h->id));
        break;
      }
      /* recorded: the purchase of the class (a classless product has none) */
      PtPurchase key = {h->id, tr->cls[k].id, 0}, *b = 0;
      if (!tr->cls[k].none && nbuy) b = bsearch(&key, buy, nbuy, sizeof *buy, pt_cmp_purchase);
      PtNum value;
      if (b) {
        value = pt_real(b->amount);
        ps_add(&recorded, &value, tr->kbn);
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
      ps_add(&market, &value, tr->kbn);
    }
    if (rc != SQLITE_OK) break;
    h->market.type = SQLITE_NULL;
    if (nvalued == (pt_i64)ncls && ps_value(&market, tr->kbn, &h->market) != SQLITE_OK)
      rc = pt_overflow(tr, "hospital", h->id);
    h->recorded = sqlsum_total(&recorded.s, tr->kbn);
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
  rc = pt_db_error(tr, db);
done:
  sqlite3_finalize(st);
  sqlite3_free(price);
  sqlite3_free(buy);
  return rc;
}

/* our sales of the month: per product (in id order), its sale rows */
static int pt_read_sales(PtTree *tr, sqlite3 *db, const PtArgs *a) {
  sqlite3_stmt *prod = 0, *st = 0;
  if (!tr->ncls) return SQLITE_OK; /* no class: no sales shown */
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
      PtHosp *h = pt_find_hospital(tr, sqlite3_column_int64(st, 0));
      if (!h) continue;
      PtNum v = pt_real(sqlite3_column_double(st, 1)); /* amount is REAL */
      ps_add(&h->sales_sum, &v, tr->kbn);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) goto db_error;
  }
  if (rc != SQLITE_DONE) goto db_error;
  for (size_t i = 0; i < tr->nhosp; i++) tr->hosp[i].sales = sqlsum_total(&tr->hosp[i].sales_sum.s, tr->kbn);
  rc = SQLITE_OK;
  goto done;
db_error:
  rc = pt_db_error(tr, db);
done:
  sqlite3_finalize(prod);
  sqlite3_finalize(st);
  return rc;
}

int pt_read_inputs(PtTree *tr, sqlite3 *db, const PtArgs *a) {
  int rc = pt_read_hospitals(tr, db, a);
  if (rc == SQLITE_OK) rc = pt_read_departments(tr, db, a);
  if (rc == SQLITE_OK) rc = pt_group(tr);
  if (rc == SQLITE_OK) rc = pt_read_market(tr, db, a);
  if (rc == SQLITE_OK) rc = pt_read_sales(tr, db, a);
  return rc;
}

void pt_tree_clear(PtTree *tr) {
  sqlite3_free(tr->names);
  sqlite3_free(tr->demand);
  sqlite3_free(tr->cls);
  sqlite3_free(tr->dep);
  sqlite3_free(tr->hosp);
  sqlite3_free(tr->terr);
  sqlite3_free(tr->dep_by_hosp);
  sqlite3_free(tr->row);
  sqlite3_vtab *vt = tr->vt;
  memset(tr, 0, sizeof *tr);
  tr->vt = vt;
}
