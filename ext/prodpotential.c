/*
** prodpotential.c -- product_potential(), the departments' potential for a
** product (or all our products) by the deck's formula (科室潜力), per
** department or summed per hospital: what the potential and decompose
** reports weigh and extrapolate by.
**
**   SELECT * FROM product_potential(22);                 -- all our products
**   SELECT * FROM product_potential(22, 1);              -- product 1
**   SELECT * FROM product_potential(264, 1, 'hospital'); -- a year, per hospital
**
** Hidden arguments: workdays (required: a number >= 0), product_id (NULL or
** left out: all our products, ours = 1), by (NULL or left out:
** 'department'; or 'hospital').  The classes counted are those of the
** products asked for, each once; a product without a class counts the
** departments' own usage.  For a department and class:
**   dept_potential(daily_patients, usage_rate, rx_per_patient, workdays)
** with the class's usage_rate and rx_per_patient from department_usage (0
** where the department has no row for the class: it does not use it), or
** for the products without a class the department's own columns: the view
** product_usage, class by class.
**
** By department: one row per department of table department, in id order:
**   department_id, hospital_id
**   potential    the classes' potentials added in class id order (the
**                classless first), as SQL's total() adds them
**   usage_rate   the highest of the classes' usage rates (a real)
**   class_id     NULL
** By hospital: one row per hospital with a department and class counted,
** in hospital_id, class_id order (the classless first, class_id NULL):
**   hospital_id, class_id
**   potential    the class's potential of the hospital's departments,
**                added in department id order as SQL's total() adds them
**   department_id, usage_rate  NULL
** So, bit for bit (tests/sql/product_potential_gen.test compares them):
**   SELECT d.id, d.hospital_id, total(dept_potential(...))   -- by department
**     FROM department d CROSS JOIN (the classes) LEFT JOIN department_usage ...
**    GROUP BY d.id
**   SELECT d.hospital_id, x.class_id, total(dept_potential(...)) -- by hospital
**     ... GROUP BY d.hospital_id, x.class_id
**
** Why C: those joins look up department_usage for every department and
** class and the reports did them twice (0.3 s each at 150,000 departments);
** here department and department_usage are read once each, side by side in
** department id order, by department with no memory beyond a row.
**
** Errors: a call without workdays; workdays not a number >= 0 (NULL gives
** no rows); a product_id that is not an integer or names no product; a by
** other than 'department' or 'hospital'; a potential out of a double's
** range.
*/
#include "prodpotential.h"

#include "args.h"
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "sqlsum.h"
#include "tvf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  PP_COL_DEPARTMENT, PP_COL_HOSPITAL, PP_COL_CLASS, PP_COL_POTENTIAL, PP_COL_USAGE,
  PP_COL_WORKDAYS, PP_COL_PRODUCT, PP_COL_BY
};
#define PP_NARG 3

/* by hospital: a department's place, its potentials at pot[at * ncls] */
typedef struct PpDep {
  pp_i64 hosp, id;
  size_t at;
} PpDep;

typedef ReadVtab PpVtab;

typedef struct PpCursor {
  sqlite3_vtab_cursor base;
  int by_hospital, eof;
  PpReader r;
  /* by department: the current row */
  double row_pot, row_rate;
  pp_i64 rowid;
  /* by hospital: the rows (hospital id and total a class each), and which
  ** is current */
  pp_i64 *hosp;
  double *total; /* nhosp * ncls */
  size_t nhosp;
  size_t at; /* hospital * ncls + class */
} PpCursor;

static int ppConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads product, department and department_usage with
  ** fixed queries and bound values. */
  return readvtab_connect(db, "CREATE TABLE x(department_id INTEGER, hospital_id INTEGER,"
                              " class_id INTEGER, potential REAL, usage_rate REAL,"
                              " workdays HIDDEN, product_id HIDDEN, by HIDDEN)", pp);
}

void pp_reader_close(PpReader *r) {
  sqlite3_finalize(r->dep);
  sqlite3_finalize(r->use);
  sqlite3_free(r->cls);
  sqlite3_free(r->pot);
  memset(r, 0, sizeof *r);
}

static void pp_reset(PpCursor *c) {
  pp_reader_close(&c->r);
  sqlite3_free(c->hosp);
  sqlite3_free(c->total);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int ppOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(PpCursor), pp);
}

static int ppClose(sqlite3_vtab_cursor *cur) {
  pp_reset((PpCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The arguments as equality constraints on the hidden columns, workdays
** required; argv holds a bit per argument given (idxNum), in column order. */
static int ppBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[PP_NARG];
  (void)v;
  if (tvf_args_find(ix, PP_COL_WORKDAYS, PP_NARG, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  unsigned mask = tvf_args_use(ix, at, PP_NARG);
  ix->idxNum = (int)mask;
  /* without workdays (a plan SQLite tries for an OR, say) too dear to be
  ** chosen; if it is the only one, xFilter says what is missing */
  ix->estimatedCost = (mask & 1) ? 1e6 : 1e300;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

static int pp_db_error(PpReader *r, sqlite3 *db) {
  return tvf_error(r->vt, sqlite3_mprintf("%s: %s", r->fn, sqlite3_errmsg(db)));
}

/* "product_potential: NAME must be WHAT, got VALUE" */
static int pp_bad(PpCursor *c, const char *name, const char *what, sqlite3_value *v) {
  char *got = value_repr(v);
  if (!got) return SQLITE_NOMEM;
  int rc =
      tvf_error(c->base.pVtab, sqlite3_mprintf("product_potential: %s must be %s, got %s", name, what, got));
  sqlite3_free(got);
  return rc;
}

/* the classes of the products asked for, each once, in id order with the
** classless first */
static int pp_load_classes(PpReader *r, sqlite3 *db, int has_product, pp_i64 product) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT DISTINCT class_id IS NOT NULL, class_id FROM product"
                              " WHERE CASE WHEN ?1 IS NULL THEN ours = 1 ELSE id = ?1 END"
                              " ORDER BY 1, 2",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return pp_db_error(r, db);
  if (has_product) sqlite3_bind_int64(st, 1, product);
  int cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (r->ncls == cap) {
      cap = cap ? 2 * cap : 8;
      PpClass *k = sqlite3_realloc64(r->cls, (sqlite3_uint64)cap * sizeof(*k));
      if (!k) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      r->cls = k;
    }
    PpClass *k = &r->cls[r->ncls++];
    k->none = !sqlite3_column_int(st, 0);
    k->id = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return pp_db_error(r, db);
  if (r->ncls) {
    r->pot = sqlite3_malloc64((sqlite3_uint64)r->ncls * 3 * sizeof(double));
    if (!r->pot) return SQLITE_NOMEM;
    r->rate = r->pot + r->ncls;
    r->rpp = r->rate + r->ncls;
  }
  return SQLITE_OK;
}

int pp_reader_open(PpReader *r, sqlite3_vtab *vt, const char *fn, sqlite3 *db, double workdays,
                   int has_product, pp_i64 product) {
  memset(r, 0, sizeof *r);
  r->vt = vt;
  r->fn = fn;
  r->workdays = workdays;
  r->kbn = sqlsum_kbn();
  int rc = pp_load_classes(r, db, has_product, product);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_prepare_v2(db,
                          "SELECT id, hospital_id, daily_patients, usage_rate, rx_per_patient, name"
                          " FROM department ORDER BY id",
                          -1, &r->dep, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db,
                            "SELECT department_id, class_id, usage_rate, rx_per_patient"
                            " FROM department_usage ORDER BY department_id, class_id",
                            -1, &r->use, 0);
  if (rc != SQLITE_OK) return pp_db_error(r, db);
  if (!r->ncls) return SQLITE_OK; /* no product of ours: nothing counted */
  r->use_rc = sqlite3_step(r->use);
  if (r->use_rc != SQLITE_ROW && r->use_rc != SQLITE_DONE) return pp_db_error(r, db);
  return SQLITE_OK;
}

/* department_usage is read beside department, both in department id
** order, the usage rows of a department before the next is taken. */
int pp_reader_next(PpReader *r, sqlite3 *db, int *more) {
  *more = 0;
  int rc = sqlite3_step(r->dep);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  if (rc != SQLITE_ROW) return pp_db_error(r, db);
  *more = 1;
  pp_i64 id = sqlite3_column_int64(r->dep, 0);
  r->id = id;
  r->hosp_null = sqlite3_column_type(r->dep, 1) == SQLITE_NULL;
  r->hosp = sqlite3_column_int64(r->dep, 1);
  r->patients = sqlite3_column_double(r->dep, 2);
  for (int k = 0; k < r->ncls; k++) {
    r->rate[k] = r->cls[k].none ? sqlite3_column_double(r->dep, 3) : 0.0;
    r->rpp[k] = r->cls[k].none ? sqlite3_column_double(r->dep, 4) : 0.0;
  }
  /* usage rows of departments before this one (no department row) pass */
  while (r->use_rc == SQLITE_ROW && sqlite3_column_int64(r->use, 0) < id) r->use_rc = sqlite3_step(r->use);
  while (r->use_rc == SQLITE_ROW && sqlite3_column_int64(r->use, 0) == id) {
    pp_i64 cls = sqlite3_column_int64(r->use, 1);
    for (int k = 0; k < r->ncls; k++)
      if (!r->cls[k].none && r->cls[k].id == cls) {
        r->rate[k] = sqlite3_column_double(r->use, 2);
        r->rpp[k] = sqlite3_column_double(r->use, 3);
      }
    r->use_rc = sqlite3_step(r->use);
  }
  if (r->use_rc != SQLITE_ROW && r->use_rc != SQLITE_DONE) return pp_db_error(r, db);
  for (int k = 0; k < r->ncls; k++) {
    /* dept_potential()'s order: the counts first, the rate last */
    double p = r->patients * r->rpp[k] * r->workdays * r->rate[k];
    if (!isfinite(p))
      return tvf_error(r->vt, sqlite3_mprintf("%s: the potential of department %lld is out of range", r->fn,
                                              (long long)id));
    r->pot[k] = p;
  }
  return SQLITE_OK;
}

int pp_reader_department(const PpReader *r, double *potential, double *usage_rate) {
  SqlSum s;
  memset(&s, 0, sizeof s);
  double rate = 0.0;
  for (int k = 0; k < r->ncls; k++) {
    sqlsum_real(&s, r->pot[k], r->kbn);
    if (k == 0 || r->rate[k] > rate) rate = r->rate[k];
  }
  *potential = sqlsum_total(&s, r->kbn);
  *usage_rate = rate;
  if (!isfinite(*potential))
    return tvf_error(r->vt, sqlite3_mprintf("%s: the potential of department %lld is out of range", r->fn,
                                            (long long)r->id));
  return SQLITE_OK;
}

/* the current department's row (by department) */
static int pp_department_row(PpCursor *c) { return pp_reader_department(&c->r, &c->row_pot, &c->row_rate); }

static int pp_cmp_dep(const void *a, const void *b) {
  const PpDep *x = a, *y = b;
  if (x->hosp != y->hosp) return x->hosp < y->hosp ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* By hospital: the departments' potentials kept, the departments sorted by
** (hospital, id), and each hospital's added in that order -- the order of
** SQL's grouping of them. */
static int pp_group(PpCursor *c, sqlite3 *db) {
  size_t n = 0, cap = 0, ncls = (size_t)c->r.ncls;
  PpDep *dep = 0;
  double *pot = 0;
  int more = 1, rc;
  while ((rc = pp_reader_next(&c->r, db, &more)) == SQLITE_OK && more) {
    if (c->r.hosp_null) continue; /* NOT NULL in the schema; a join would drop it */
    if (n == cap) {
      cap = cap ? 2 * cap : 1024;
      PpDep *d = sqlite3_realloc64(dep, cap * sizeof(*d));
      double *q = d ? sqlite3_realloc64(pot, cap * ncls * sizeof(*q)) : 0;
      if (d) dep = d;
      if (q) pot = q;
      if (!d || !q) {
        rc = SQLITE_NOMEM;
        break;
      }
    }
    dep[n] = (PpDep){c->r.hosp, c->r.id, n};
    memcpy(&pot[n * ncls], c->r.pot, ncls * sizeof(*pot));
    n++;
  }
  if (rc == SQLITE_OK && n > 1) qsort(dep, n, sizeof(*dep), pp_cmp_dep);
  size_t nh = 0;
  for (size_t i = 0; rc == SQLITE_OK && i < n; i++) nh += i == 0 || dep[i].hosp != dep[i - 1].hosp;
  if (rc == SQLITE_OK && nh) {
    c->hosp = sqlite3_malloc64(nh * sizeof(*c->hosp));
    c->total = sqlite3_malloc64(nh * ncls * sizeof(*c->total));
    if (!c->hosp || !c->total) rc = SQLITE_NOMEM;
  }
  for (size_t i = 0; rc == SQLITE_OK && i < n; c->nhosp++) {
    size_t end = i;
    while (end < n && dep[end].hosp == dep[i].hosp) end++;
    c->hosp[c->nhosp] = dep[i].hosp;
    for (size_t k = 0; k < ncls; k++) {
      SqlSum sum;
      memset(&sum, 0, sizeof sum);
      for (size_t j = i; j < end; j++) sqlsum_real(&sum, pot[dep[j].at * ncls + k], c->r.kbn);
      double t = sqlsum_total(&sum, c->r.kbn);
      if (!isfinite(t))
        rc = tvf_error(c->base.pVtab,
                       sqlite3_mprintf("product_potential: the potential of hospital %lld is out of range",
                                       (long long)dep[i].hosp));
      c->total[c->nhosp * ncls + k] = t;
    }
    i = end;
  }
  sqlite3_free(dep);
  sqlite3_free(pot);
  return rc;
}

static int ppFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  PpCursor *c = (PpCursor *)cur;
  sqlite3 *db = ((PpVtab *)cur->pVtab)->db;
  pp_reset(c);
  c->eof = 1;
  sqlite3_value *arg[PP_NARG] = {0, 0, 0};
  for (int h = 0, n = 0; h < PP_NARG; h++)
    if (idxNum & (1 << h)) arg[h] = argv[n++];
  if (!arg[0])
    return tvf_error(c->base.pVtab,
                     sqlite3_mprintf("product_potential: needs workdays: product_potential(workdays"
                                     " [, product_id [, by]])"));
  if (arg[2] && sqlite3_value_type(arg[2]) != SQLITE_NULL) {
    const char *by = (const char *)sqlite3_value_text(arg[2]);
    int n = sqlite3_value_bytes(arg[2]);
    if (sqlite3_value_type(arg[2]) == SQLITE_TEXT && n == 8 && memcmp(by, "hospital", 8) == 0)
      c->by_hospital = 1;
    else if (!(sqlite3_value_type(arg[2]) == SQLITE_TEXT && n == 10 && memcmp(by, "department", 10) == 0))
      return pp_bad(c, "by", "'department' or 'hospital'", arg[2]);
  }
  int t = sqlite3_value_type(arg[0]);
  if (t == SQLITE_NULL) return SQLITE_OK;
  double w;
  if (t == SQLITE_BLOB || !value_text_number(arg[0], &w) || !(w >= 0))
    return pp_bad(c, "workdays", "a number >= 0", arg[0]);
  int has_product = 0;
  pp_i64 product = 0;
  if (arg[1]) {
    int rc = rx_check_product(cur->pVtab, "product_potential", db, arg[1], &has_product, &product);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = pp_reader_open(&c->r, cur->pVtab, "product_potential", db, w, has_product, product);
  if (rc != SQLITE_OK || !c->r.ncls) return rc; /* no product of ours: nothing counted */
  if (c->by_hospital) {
    rc = pp_group(c, db);
    if (rc != SQLITE_OK) return rc;
    c->at = 0;
    c->eof = c->nhosp == 0;
    return SQLITE_OK;
  }
  int more;
  rc = pp_reader_next(&c->r, db, &more);
  if (rc == SQLITE_OK && more) rc = pp_department_row(c);
  c->eof = rc != SQLITE_OK || !more;
  c->rowid = 1;
  return rc;
}

static int ppNext(sqlite3_vtab_cursor *cur) {
  PpCursor *c = (PpCursor *)cur;
  if (c->by_hospital) {
    c->at++;
    c->eof = c->at >= c->nhosp * (size_t)c->r.ncls;
    return SQLITE_OK;
  }
  int more, rc = pp_reader_next(&c->r, ((PpVtab *)cur->pVtab)->db, &more);
  if (rc == SQLITE_OK && more) rc = pp_department_row(c);
  c->eof = rc != SQLITE_OK || !more;
  c->rowid++;
  return rc;
}

static int ppEof(sqlite3_vtab_cursor *cur) { return ((PpCursor *)cur)->eof; }

static int ppColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  PpCursor *c = (PpCursor *)cur;
  if (c->by_hospital) {
    const PpClass *k = &c->r.cls[c->at % (size_t)c->r.ncls];
    switch (col) {
    case PP_COL_HOSPITAL:
      sqlite3_result_int64(ctx, c->hosp[c->at / (size_t)c->r.ncls]);
      break;
    case PP_COL_CLASS:
      if (!k->none) sqlite3_result_int64(ctx, k->id);
      break;
    case PP_COL_POTENTIAL:
      sqlite3_result_double(ctx, c->total[c->at]);
      break;
    default: break; /* department_id, usage_rate and the arguments: NULL */
    }
    return SQLITE_OK;
  }
  switch (col) {
  case PP_COL_DEPARTMENT:
    sqlite3_result_int64(ctx, c->r.id);
    break;
  case PP_COL_HOSPITAL:
    if (!c->r.hosp_null) sqlite3_result_int64(ctx, c->r.hosp);
    break;
  case PP_COL_POTENTIAL: sqlite3_result_double(ctx, c->row_pot); break;
  case PP_COL_USAGE: sqlite3_result_double(ctx, c->row_rate); break;
  default: break; /* class_id and the arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int ppRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  PpCursor *c = (PpCursor *)cur;
  *r = c->by_hospital ? (sqlite3_int64)c->at + 1 : c->rowid;
  return SQLITE_OK;
}

static sqlite3_module pp_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = ppConnect,
    .xBestIndex = ppBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = ppOpen,
    .xClose = ppClose,
    .xFilter = ppFilter,
    .xNext = ppNext,
    .xEof = ppEof,
    .xColumn = ppColumn,
    .xRowid = ppRowid,
};

int prodpotential_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "product_potential", &pp_module, 0);
}
