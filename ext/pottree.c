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
** sorted in memory (the reading is ext/potread.c, this file the sums, the
** orders and the virtual table).
**
** Errors: a missing or malformed period, workdays not a number >= 0, a
** product_id that is not an integer or names no product; a potential or
** inpatient volume out of a double's range; an integer sum past 2^63 - 1.
*/
#include "potread.h"

#include "args.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "tvf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


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

typedef ReadVtab PtVtab;

typedef struct PtCursor {
  sqlite3_vtab_cursor base;
  PtTree t;
  size_t i; /* the current row */
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
  pt_tree_clear(&c->t);
  c->i = 0;
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
        sqlite3_mprintf(PT_FN ": needs the month and workdays: " PT_FN "(period, workdays [, product_id])");
    return SQLITE_ERROR;
  }
  ix->idxNum = (int)tvf_args_use(ix, at, PT_NARG);
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

/* ---- summing and ordering */

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
static int pt_sum_hospitals(PtTree *tr) {
  for (size_t k = 0; k < tr->nhosp; k++) {
    PtHosp *h = &tr->hosp[k];
    if (!h->ndep) continue;
    PtSum s[7];
    memset(s, 0, sizeof s);
    for (uint32_t n = 0; n < h->ndep; n++) {
      const PtDep *d = &tr->dep[tr->dep_by_hosp[h->first + n]];
      PtNum v;
      v = pt_real(d->patients), ps_add(&s[0], &v, tr->kbn);
      v = pt_real(d->potential), ps_add(&s[1], &v, tr->kbn);
      v = pt_int(d->rx), ps_add(&s[2], &v, tr->kbn);
      v = pt_real(d->room), ps_add(&s[3], &v, tr->kbn);
      ps_add(&s[4], &d->class_rx, tr->kbn);
      v = pt_int(d->prescribers), ps_add(&s[5], &v, tr->kbn);
      v = pt_int(d->users), ps_add(&s[6], &v, tr->kbn);
    }
    PtNum *out[7] = {&h->patients, &h->potential, &h->rx, &h->room, &h->class_rx, &h->prescribers, &h->users};
    for (int q = 0; q < 7; q++)
      if (ps_value(&s[q], tr->kbn, out[q]) != SQLITE_OK) return pt_overflow(tr, "hospital", h->id);
  }
  return SQLITE_OK;
}

/* the territories (hospital.unit_id), each one's hospitals summed in id
** order; the rows of both parts in order */
static int pt_order(PtTree *tr) {
  /* hospitals with departments, by (territory, room desc, id) */
  size_t nh = 0;
  for (size_t k = 0; k < tr->nhosp; k++) nh += tr->hosp[k].ndep > 0;
  PtKey *hk = sqlite3_malloc64((nh ? nh : 1) * sizeof *hk);
  PtKey *dk = sqlite3_malloc64((tr->ndep ? tr->ndep : 1) * sizeof *dk);
  /* rows: a territory each, a hospital each, a department each */
  tr->row = sqlite3_malloc64((2 * nh + tr->ndep + 1) * sizeof *tr->row);
  tr->terr = sqlite3_malloc64((nh ? nh : 1) * sizeof *tr->terr);
  if (!hk || !dk || !tr->row || !tr->terr) {
    sqlite3_free(hk);
    sqlite3_free(dk);
    return SQLITE_NOMEM;
  }
  nh = 0;
  for (size_t k = 0; k < tr->nhosp; k++)
    if (tr->hosp[k].ndep)
      hk[nh++] = (PtKey){tr->hosp[k].unit, tr->hosp[k].id, pt_double(&tr->hosp[k].room), 0, (uint32_t)k};
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
    PtTerr *t = &tr->terr[tr->nterr++];
    memset(t, 0, sizeof *t);
    t->id = ti[k].group;
    PtSum s[11];
    memset(s, 0, sizeof s);
    pt_i64 n = 0, nvalued = 0;
    const char *lo = 0, *hi = 0;
    SqlSum recorded;
    memset(&recorded, 0, sizeof recorded);
    for (size_t q = k; q < end; q++) {
      const PtHosp *h = &tr->hosp[ti[q].at];
      PtNum v = pt_real(h->outpatients);
      ps_add(&s[0], &v, tr->kbn);
      ps_add(&s[1], &h->inpatients, tr->kbn);
      ps_add(&s[2], &h->patients, tr->kbn);
      ps_add(&s[3], &h->potential, tr->kbn);
      ps_add(&s[4], &h->rx, tr->kbn);
      ps_add(&s[5], &h->room, tr->kbn);
      ps_add(&s[6], &h->class_rx, tr->kbn);
      ps_add(&s[7], &h->prescribers, tr->kbn);
      ps_add(&s[8], &h->users, tr->kbn);
      n++;
      if (h->has_market) {
        ps_add(&s[9], &h->market, tr->kbn);
        nvalued += h->market.type != SQLITE_NULL;
        v = pt_real(h->sales);
        ps_add(&s[10], &v, tr->kbn);
        sqlsum_real(&recorded, h->recorded, tr->kbn);
        if (h->source) {
          if (!lo || strcmp(h->source, lo) < 0) lo = h->source;
          if (!hi || strcmp(h->source, hi) > 0) hi = h->source;
        }
      }
    }
    PtNum *out[11] = {&t->outpatients, &t->inpatients,  &t->patients, &t->potential, &t->rx,   &t->room,
                      &t->class_rx,    &t->prescribers, &t->users,    &t->market,    &t->sales};
    for (int q = 0; q < 11; q++)
      if (ps_value(&s[q], tr->kbn, out[q]) != SQLITE_OK) rc = pt_overflow(tr, "territory", t->id);
    t->recorded = sqlsum_total(&recorded, tr->kbn);
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
  for (size_t k = 0; k < tr->nhosp; k++) {
    PtHosp *h = &tr->hosp[k];
    if (!h->ndep) continue;
    PtDep *best = 0;
    for (uint32_t n = 0; n < h->ndep; n++) {
      PtDep *d = &tr->dep[tr->dep_by_hosp[h->first + n]];
      dk[n] = (PtKey){0, d->id, d->room, 0, tr->dep_by_hosp[h->first + n]};
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
      tr->dep_by_hosp[h->first + n] = dk[n].at;
      tr->dep[dk[n].at].rank = n + 1;
    }
  }
  /* the rows */
  size_t t = 0;
  for (size_t k = 0; k < nh; k++) {
    if (k == 0 || hk[k].group != hk[k - 1].group) {
      while (tr->terr[t].id != hk[k].group) t++;
      tr->row[tr->nrow++] = (PtRow){(uint32_t)t, 'T'};
    }
    PtHosp *h = &tr->hosp[hk[k].at];
    h->terr = (uint32_t)t;
    h->rank = (k == 0 || hk[k].group != hk[k - 1].group) ? 1 : tr->hosp[hk[k - 1].at].rank + 1;
    tr->row[tr->nrow++] = (PtRow){hk[k].at, 'H'};
    for (uint32_t n = 0; n < h->ndep; n++) {
      uint32_t j = tr->dep_by_hosp[h->first + n];
      tr->row[tr->nrow++] = (PtRow){j, 'D'};
    }
  }
  /* the development order */
  size_t nd = 0;
  for (size_t j = 0; j < tr->ndep; j++) {
    const PtDep *d = &tr->dep[j];
    if (d->potential > 0)
      dk[nd++] = (PtKey){tr->hosp[d->hosp].unit, d->id, d->room, d->potential, (uint32_t)j};
  }
  qsort(dk, nd, sizeof *dk, pt_cmp_development);
  pt_i64 rank = 0;
  for (size_t k = 0; k < nd; k++) {
    rank = (k == 0 || dk[k].group != dk[k - 1].group) ? 1 : rank + 1;
    tr->dep[dk[k].at].dev_rank = rank;
  }
  sqlite3_free(hk);
  sqlite3_free(dk);
  return SQLITE_OK;
}

static void pt_result_name(sqlite3_context *ctx, const PtTree *tr, const PtName *n) {
  if (n->n != UINT32_MAX) sqlite3_result_text(ctx, tr->names + n->at, (int)n->n, SQLITE_STATIC);
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
  int rc = rx_check_month(vt, PT_FN, arg[0], "period");
  if (rc != SQLITE_OK) return rc;
  int t = sqlite3_value_type(arg[1]);
  double workdays = 0;
  if (t != SQLITE_NULL && (t == SQLITE_BLOB || !value_text_number(arg[1], &workdays) || !(workdays >= 0))) {
    char *got = value_repr(arg[1]);
    if (!got) return SQLITE_NOMEM;
    rc = tvf_error(vt, sqlite3_mprintf(PT_FN ": workdays must be a number >= 0, got %s", got));
    sqlite3_free(got);
    return rc;
  }
  PtArgs a = {arg[0], arg[1], 0, 0, workdays, pt_month_days(sqlite3_value_text(arg[0]))};
  if (arg[2]) {
    rc = rx_check_product(vt, PT_FN, db, arg[2], &a.has_product, &a.product);
    if (rc != SQLITE_OK) return rc;
  }
  if (t == SQLITE_NULL) return SQLITE_OK; /* no workdays: no rows */
  PtTree *tr = &c->t;
  tr->vt = vt;
  tr->kbn = sqlsum_kbn();
  rc = pt_read_inputs(tr, db, &a);
  if (rc == SQLITE_OK) rc = pt_sum_hospitals(tr);
  if (rc == SQLITE_OK) rc = pt_order(tr);
  if (rc == SQLITE_OK) rc = pt_read_territory_names(tr, db);
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
  return c->i >= c->t.nrow;
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
  const PtTree *tr = &c->t;
  const PtRow *w = &tr->row[c->i];
  const PtTerr *t = w->level == 'T' ? &tr->terr[w->at] : 0;
  const PtDep *d = w->level == 'D' ? &tr->dep[w->at] : 0;
  const PtHosp *h = w->level == 'H' ? &tr->hosp[w->at] : d ? &tr->hosp[d->hosp] : 0;
  int dep = d != 0;
  switch (col) {
  case PT_COL_LEVEL:
    sqlite3_result_text(ctx, t ? "territory" : dep ? "department" : "hospital", -1, SQLITE_STATIC);
    break;
  case PT_COL_TERRITORY:
    sqlite3_result_int64(ctx, t ? t->id : h->unit);
    break;
  case PT_COL_TERRITORY_NAME:
    pt_result_name(ctx, tr, t ? &t->name : &tr->terr[h->terr].name);
    break;
  case PT_COL_HOSPITAL:
    if (h) sqlite3_result_int64(ctx, h->id);
    break;
  case PT_COL_HOSPITAL_NAME:
    if (h) pt_result_name(ctx, tr, &h->name);
    break;
  case PT_COL_STATUS:
    if (h) pt_result_name(ctx, tr, &h->status);
    break;
  case PT_COL_DEPARTMENT:
    if (d) sqlite3_result_int64(ctx, d->id);
    break;
  case PT_COL_DEPARTMENT_NAME:
    if (d) pt_result_name(ctx, tr, &d->name);
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
  return sqlite3_create_module(db, PT_FN, &pt_module, 0);
}
