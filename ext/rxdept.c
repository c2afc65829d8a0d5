/*
** rxdept.c -- rx_department(), per department and month, how many of its
** doctors write a product, reach a threshold with it, could, or write a
** competitor instead: rx summed per doctor and counted per department in
** C (the target_doctors and potential reports).
**
**   SELECT * FROM rx_department('2026-04', '2026-06', 1, 5);
**   SELECT * FROM rx_department('2026-06', '2026-06');   -- all our products
**
** Hidden arguments: first_period, last_period ('YYYY-MM', required),
** product_id (NULL or left out: all our products, as rx_usage()), min_rx
** (a number; NULL or left out: no threshold).  Each doctor's month is as
** rx_usage(month, month, product_id) has it: usage (the product's
** rx_count, or all of ours) and potential (the class total; a classless
** product's typed rx.potential, NULL when none is typed), and besides the
** competitors' rx_count (products with ours = 0 in the class).  A row per
** month from first_period to last_period and department with a doctor
** having a row in rx of such a class that month, in (period,
** department_id) order:
**   doctors       every doctor of the department (table doctor)
**   rx            sum of usage
**   class_rx      sum of potential (NULL when every doctor's is; a real
**                 when a typed total is summed, added in doctor id order)
**   class_writers doctors with potential > 0 or usage > 0
**   prescribers   doctors with usage > 0
**   targets       doctors with usage >= min_rx (NULL without min_rx)
**   could_be      doctors with usage < min_rx and potential >= min_rx
**                 (as SQL's sum: NULL when, for every doctor, usage <
**                 min_rx and the potential is NULL; NULL without min_rx)
**   to_convert    doctors with usage 0 and competitors' rx_count > 0;
**                 NULL when no doctor of the department has usage > 0 or
**                 competitors' rx_count > 0, unless one has a competitor's
**                 row (of 0 Rx): then 0
**   targets_before the department's targets the month before, when that
**                 month is in the run and the department has a row in it
** The doctors read are those of table doctor (a doctor_id of rx that names
** none is left out, as a join would).
**
** Why C: the target_doctors report did the same with rx_usage() joined to
** doctor and grouped in SQL, about 1.5 s a product and month at a million
** doctors; here rx is read through its period index (ext/rxread.c, shared
** with rx_usage(): each row handed to C inside SQLite's own step), and the
** doctors are summed in an array indexed by doctor id (spread-out ids:
** sorted and searched), folded into their departments after each month.
** The doctors (id, department_id) are read once a query, through the index
** doctor_department, by the first call of the cursor: a report calling it
** once per product reads them once.  About 0.25 s a product's class and
** month of 5 million rx rows at a million doctors.
**
** Errors: a missing or malformed month, a product_id that is not an
** integer (or a real or text holding one) or names no product, a min_rx
** that is not a number.
*/
#include "readvtab.h"
#include "registry.h"
#include "rxread.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 rd_i64;

enum {
  RD_COL_DEPARTMENT, RD_COL_PERIOD, RD_COL_DOCTORS, RD_COL_RX, RD_COL_CLASS_RX,
  RD_COL_CLASS_WRITERS, RD_COL_PRESCRIBERS, RD_COL_TARGETS, RD_COL_COULD_BE, RD_COL_TO_CONVERT,
  RD_COL_TARGETS_BEFORE,
  RD_COL_FIRST, RD_COL_LAST, RD_COL_PRODUCT, RD_COL_MIN_RX
};
#define RD_NARG 4

/* one doctor's month */
typedef struct RdDoc {
  rd_i64 usage, class_rx, comp;
  double typed;
  uint8_t seen, has_class, has_typed, comp_row;
} RdDoc;

/* one department's month, summed over its doctors in id order */
typedef struct RdDep {
  rd_i64 rx, class_i, writers, prescribers, targets, could_be, to_convert;
  double class_r;
  uint8_t seen, class_nn, class_real, could_be_nn, to_convert_nn, comp_row;
} RdDep;

/* a department's targets the month read last */
typedef struct RdPrev {
  rd_i64 targets;
  uint8_t seen;
} RdPrev;

/* one output row */
typedef struct RdRow {
  RdDep sums;
  rd_i64 department, doctors, before;
  uint8_t before_nn;
  char period[8];
} RdRow;

#define RD_NONE UINT32_MAX

typedef ReadVtab RdVtab;

/* The buffers are kept from one xFilter to the next (a report calls it
** once per product): allocating and faulting in tens of megabytes again
** cost more than the sums. */
typedef struct RdCursor {
  sqlite3_vtab_cursor base;
  /* the doctors in id order: dense (index = id - dmin, holes have
  ** dep_of RD_NONE) or sparse (doc_id sorted, found by binary search) */
  RdDoc *doc;
  uint32_t *dep_of;   /* the doctor's department (index into dep_id) */
  rd_i64 *doc_id;     /* sparse: the ids */
  size_t ndoc, capdoc, capid;
  int dense;
  rd_i64 dmin;
  /* the doctors as read */
  struct RdPair *pair;
  size_t npair, cappair;
  int disorder;
  /* the departments with doctors, by id, and how many doctors each */
  rd_i64 *dep_id, *dep_n;
  RdDep *dep;
  RdPrev *prev;
  char last_month[8]; /* the month read last, '' before the first */
  int loaded;         /* the doctors are read (the first xFilter) */
  size_t ndep, capdep;
  /* the threshold */
  int has_min, min_int;
  rd_i64 min_i;
  double min_r;
  RdRow *row;
  size_t nrow, caprow, i;
} RdCursor;

static int rdConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: it reads only rx, product and doctor with fixed queries and
  ** bound values. */
  return readvtab_connect(
      db,
      "CREATE TABLE x(department_id INTEGER, period TEXT, doctors INTEGER, rx INTEGER, class_rx,"
      " class_writers INTEGER, prescribers INTEGER, targets INTEGER, could_be INTEGER,"
      " to_convert INTEGER, targets_before INTEGER,"
      " first_period HIDDEN, last_period HIDDEN, product_id HIDDEN, min_rx HIDDEN)",
      pp);
}

static void rd_free(RdCursor *c) {
  sqlite3_free(c->doc);
  sqlite3_free(c->dep_of);
  sqlite3_free(c->doc_id);
  sqlite3_free(c->dep_id);
  sqlite3_free(c->dep_n);
  sqlite3_free(c->prev);
  sqlite3_free(c->dep);
  sqlite3_free(c->pair);
  sqlite3_free(c->row);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

/* empty, the buffers kept; the doctors too once read */
static void rd_clear(RdCursor *c) {
  c->nrow = c->i = 0;
  c->has_min = c->min_int = 0;
  c->last_month[0] = 0;
  if (c->loaded) {
    memset(c->prev, 0, c->ndep * sizeof(RdPrev));
  } else {
    c->ndoc = c->ndep = c->npair = 0;
    c->dense = c->disorder = 0;
  }
}

static int rdOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(RdCursor), pp);
}

static int rdClose(sqlite3_vtab_cursor *cur) {
  rd_free((RdCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* first_period and last_period are required (=), product_id and min_rx
** optional (idxNum: bit 1 product_id, bit 2 min_rx given). */
static int rdBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[RD_NARG];
  if (tvf_args_find(ix, RD_COL_FIRST, RD_NARG, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("rx_department: needs the months:"
                                 " rx_department(first_period, last_period [, product_id [, min_rx]])");
    return SQLITE_ERROR;
  }
  /* idxNum: bit 0 product_id given, bit 1 min_rx */
  ix->idxNum = (int)(tvf_args_use(ix, at, RD_NARG) >> 2);
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 10000;
  return SQLITE_OK;
}

/* min_rx: NULL (no threshold) or a number */
static int rd_check_min(RdCursor *c, sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
  case SQLITE_NULL: return SQLITE_OK;
  case SQLITE_INTEGER:
    c->has_min = c->min_int = 1;
    c->min_i = sqlite3_value_int64(v);
    c->min_r = (double)c->min_i;
    return SQLITE_OK;
  case SQLITE_FLOAT:
    c->has_min = 1;
    c->min_r = sqlite3_value_double(v);
    return SQLITE_OK;
  case SQLITE_BLOB:
    return tvf_error(c->base.pVtab, sqlite3_mprintf("rx_department: min_rx must be a number, got a blob"));
  default:
    return tvf_error(c->base.pVtab, sqlite3_mprintf("rx_department: min_rx must be a number, got '%q'",
                                                    (const char *)sqlite3_value_text(v)));
  }
}

/* a doctor read, with its department's index */
typedef struct RdPair {
  rd_i64 id;
  uint32_t dep;
} RdPair;

/* one doctor (department_id, id), read in department order: a new
** department is added to the list; out of order, SQLITE_ERROR and the
** flag, for the slower read that is ordered for sure */
static int rd_add_doctor(void *ctx, const RxRole *r, rd_i64 dep, rd_i64 id, sqlite3_value *v) {
  (void)r;
  (void)v;
  RdCursor *c = ctx;
  if (c->ndep == 0 || c->dep_id[c->ndep - 1] != dep) {
    if (c->ndep > 0 && c->dep_id[c->ndep - 1] > dep) {
      c->disorder = 1;
      return SQLITE_ERROR;
    }
    size_t cap = c->capdep;
    if (tvf_room((void **)&c->dep_id, &cap, c->ndep + 1, sizeof(rd_i64)) != SQLITE_OK) return SQLITE_NOMEM;
    cap = c->capdep;
    if (tvf_room((void **)&c->dep_n, &cap, c->ndep + 1, sizeof(rd_i64)) != SQLITE_OK) return SQLITE_NOMEM;
    cap = c->capdep;
    if (tvf_room((void **)&c->dep, &cap, c->ndep + 1, sizeof(RdDep)) != SQLITE_OK) return SQLITE_NOMEM;
    cap = c->capdep;
    if (tvf_room((void **)&c->prev, &cap, c->ndep + 1, sizeof(RdPrev)) != SQLITE_OK) return SQLITE_NOMEM;
    c->capdep = cap;
    c->dep_id[c->ndep] = dep;
    c->dep_n[c->ndep++] = 0;
  }
  if (tvf_room((void **)&c->pair, &c->cappair, c->npair + 1, sizeof(RdPair)) != SQLITE_OK) return SQLITE_NOMEM;
  c->pair[c->npair].id = id;
  c->pair[c->npair++].dep = (uint32_t)(c->ndep - 1);
  c->dep_n[c->ndep - 1]++;
  return SQLITE_OK;
}

static int rd_cmp_pair(const void *a, const void *b) {
  rd_i64 x = ((const RdPair *)a)->id, y = ((const RdPair *)b)->id;
  return x < y ? -1 : x > y;
}

/* The doctors, read in (department_id, id) order through the index
** doctor_department, and laid out by id: dense (an array indexed by id)
** when the ids are not too spread, else sorted for binary search. */
static int rd_load_doctors(RdCursor *c, sqlite3 *db) {
  sqlite3_vtab *vt = c->base.pVtab;
  /* room for every doctor at once: grown by doubling, the pairs were
  ** copied about twice over (a million doctors: 16 MB each time) */
  if (tvf_room((void **)&c->pair, &c->cappair, tvf_count(db, "SELECT count(*) FROM doctor"),
               sizeof(RdPair)) != SQLITE_OK)
    return SQLITE_NOMEM;
  /* one step: the scan of the index, in its order */
  int rc = rx_feed_query(vt, "rx_department", db,
                         "SELECT count(rx_read_row(?1, department_id, id)) FROM doctor", rd_add_doctor, c);
  if (rc != SQLITE_OK && c->disorder) {
    /* SQLite scanned another way: the ordered read, a step a row */
    c->disorder = 0;
    c->ndep = c->npair = 0;
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(db, "SELECT department_id, id FROM doctor ORDER BY department_id, id", -1, &st, 0);
    if (rc != SQLITE_OK) return tvf_error(vt, sqlite3_mprintf("rx_department: %s", sqlite3_errmsg(db)));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      int e = rd_add_doctor(c, 0, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), 0);
      if (e != SQLITE_OK) {
        rc = e;
        break;
      }
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    else if (c->disorder)
      rc = tvf_error(vt, sqlite3_mprintf("rx_department: doctors out of order"));
    else if (rc != SQLITE_NOMEM)
      rc = tvf_error(vt, sqlite3_mprintf("rx_department: %s", sqlite3_errmsg(db)));
  }
  if (rc != SQLITE_OK || c->npair == 0) return rc;
  memset(c->dep, 0, c->ndep * sizeof(RdDep));
  memset(c->prev, 0, c->ndep * sizeof(RdPrev));
  rd_i64 lo = c->pair[0].id, hi = lo;
  for (size_t k = 1; k < c->npair; k++) {
    if (c->pair[k].id < lo) lo = c->pair[k].id;
    if (c->pair[k].id > hi) hi = c->pair[k].id;
  }
  size_t n;
  if ((sqlite3_uint64)hi - (sqlite3_uint64)lo < 2 * (sqlite3_uint64)c->npair + 1024) {
    c->dense = 1;
    c->dmin = lo;
    n = (size_t)(hi - lo + 1);
  } else {
    n = c->npair;
  }
  size_t cap = c->capdoc;
  if (tvf_room((void **)&c->dep_of, &cap, n, sizeof(uint32_t)) != SQLITE_OK) return SQLITE_NOMEM;
  cap = c->capdoc;
  if (tvf_room((void **)&c->doc, &cap, n, sizeof(RdDoc)) != SQLITE_OK) return SQLITE_NOMEM;
  c->capdoc = cap;
  c->ndoc = n;
  if (c->dense) {
    memset(c->dep_of, 0xff, n * sizeof(uint32_t)); /* RD_NONE: no such doctor */
    for (size_t k = 0; k < c->npair; k++) c->dep_of[c->pair[k].id - lo] = c->pair[k].dep;
  } else {
    if (tvf_room((void **)&c->doc_id, &c->capid, n, sizeof(rd_i64)) != SQLITE_OK) return SQLITE_NOMEM;
    qsort(c->pair, c->npair, sizeof(RdPair), rd_cmp_pair);
    for (size_t k = 0; k < n; k++) {
      c->doc_id[k] = c->pair[k].id;
      c->dep_of[k] = c->pair[k].dep;
    }
  }
  memset(c->doc, 0, n * sizeof(RdDoc));
  return SQLITE_OK;
}

static int rd_cmp_id(const void *a, const void *b) {
  rd_i64 x = *(const rd_i64 *)a, y = *(const rd_i64 *)b;
  return x < y ? -1 : x > y;
}

/* the doctor's month, NULL when doctor has no such id */
static RdDoc *rd_doc_for(RdCursor *c, rd_i64 id) {
  if (c->dense) {
    if (id < c->dmin || (sqlite3_uint64)(id - c->dmin) >= c->ndoc) return 0;
    size_t k = (size_t)(id - c->dmin);
    return c->dep_of[k] != RD_NONE ? &c->doc[k] : 0;
  }
  rd_i64 *p = bsearch(&id, c->doc_id, c->ndoc, sizeof(rd_i64), rd_cmp_id);
  if (!p) return 0;
  size_t k = (size_t)(p - c->doc_id);
  return c->dep_of[k] != RD_NONE ? &c->doc[k] : 0;
}

static int rd_row(void *ctx, const RxRole *r, rd_i64 doctor, rd_i64 n, sqlite3_value *pv) {
  RdCursor *c = ctx;
  RdDoc *d = rd_doc_for(c, doctor);
  if (!d) return SQLITE_OK;
  d->seen = 1;
  if (r->add & RX_ADD_USAGE) d->usage += n;
  if (r->add & RX_ADD_COMP) {
    d->comp += n;
    d->comp_row = 1;
  }
  if (r->add & RX_ADD_CLASS) {
    d->class_rx += n;
    d->has_class = 1;
  } else if (sqlite3_value_type(pv) != SQLITE_NULL) {
    d->typed += sqlite3_value_double(pv);
    d->has_typed = 1;
  }
  return SQLITE_OK;
}

/* usage >= min_rx */
static int rd_reaches_i(const RdCursor *c, rd_i64 v) {
  return c->min_int ? v >= c->min_i : (double)v >= c->min_r;
}

/* One doctor's month into its department's sums. */
static void rd_fold(const RdCursor *c, RdDep *o, const RdDoc *d) {
  o->seen = 1;
  o->rx += d->usage;
  int has_pot = d->has_class || d->has_typed;
  double pot_r = (double)d->class_rx + d->typed;
  if (has_pot) {
    o->class_nn = 1;
    if (d->has_typed) o->class_real = 1;
    o->class_i += d->class_rx;
    o->class_r += d->has_typed ? pot_r : (double)d->class_rx;
  }
  int pot_pos = has_pot && (d->has_typed ? pot_r > 0 : d->class_rx > 0);
  if (pot_pos || d->usage > 0) o->writers++;
  if (d->usage > 0) o->prescribers++;
  if (c->has_min) {
    if (rd_reaches_i(c, d->usage)) {
      o->targets++;
      o->could_be_nn = 1;
    } else if (has_pot) {
      o->could_be_nn = 1;
      if (d->has_typed ? pot_r >= c->min_r : rd_reaches_i(c, d->class_rx)) o->could_be++;
    }
  }
  if (d->usage > 0) {
    o->to_convert_nn = 1;
  } else if (d->comp > 0) {
    o->to_convert_nn = 1;
    o->to_convert++;
  }
  o->comp_row |= d->comp_row;
}

/* After a month: the doctors read, in id order, summed into their
** departments; each department with one gets a row; the sums are zeroed
** for the next month. */
static int rd_month(void *ctx, const char *month) {
  RdCursor *c = ctx;
  for (size_t k = 0; k < c->ndoc; k++) {
    RdDoc *d = &c->doc[k];
    if (!d->seen) continue;
    rd_fold(c, &c->dep[c->dep_of[k]], d);
    memset(d, 0, sizeof(*d));
  }
  /* targets_before: the month read last, when it is the month before */
  char next[8];
  int adjacent = c->last_month[0] && rx_next_month(c->last_month, next) && memcmp(next, month, 7) == 0;
  for (size_t k = 0; k < c->ndep; k++) {
    RdDep *o = &c->dep[k];
    if (o->seen) {
      if (tvf_room((void **)&c->row, &c->caprow, c->nrow + 1, sizeof(RdRow)) != SQLITE_OK) return SQLITE_NOMEM;
      RdRow *w = &c->row[c->nrow++];
      w->sums = *o;
      /* to_convert: NULL, or 0 when a doctor has a competitor's row */
      if (!o->to_convert_nn && o->comp_row) w->sums.to_convert_nn = 1;
      w->department = c->dep_id[k];
      w->doctors = c->dep_n[k];
      w->before = c->prev[k].targets;
      w->before_nn = adjacent && c->prev[k].seen;
      memcpy(w->period, month, 7);
      w->period[7] = 0;
    }
    c->prev[k].targets = o->targets;
    c->prev[k].seen = o->seen;
    memset(o, 0, sizeof(*o));
  }
  memcpy(c->last_month, month, 7);
  c->last_month[7] = 0;
  return SQLITE_OK;
}

static int rdFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  RdCursor *c = (RdCursor *)cur;
  sqlite3_vtab *vt = cur->pVtab;
  sqlite3 *db = ((RdVtab *)vt)->db;
  rd_clear(c);
  int has_product = 0, a = 2;
  rd_i64 product = 0;
  int rc = rx_check_month(vt, "rx_department", argv[0], "first_period");
  if (rc == SQLITE_OK) rc = rx_check_month(vt, "rx_department", argv[1], "last_period");
  if (rc == SQLITE_OK && (idxNum & 1))
    rc = rx_check_product(vt, "rx_department", db, argv[a++], &has_product, &product);
  if (rc == SQLITE_OK && (idxNum & 2)) rc = rd_check_min(c, argv[a++]);
  if (rc != SQLITE_OK) return rc;
  RxRole *role = 0;
  int nrole = 0;
  rc = rx_load_roles(vt, "rx_department", db, has_product, product, &role, &nrole);
  if (rc == SQLITE_OK && nrole > 0 && !c->loaded) {
    rc = rd_load_doctors(c, db);
    c->loaded = rc == SQLITE_OK;
  }
  if (rc == SQLITE_OK && nrole > 0 && c->ndoc > 0 && c->ndep > 0)
    rc = rx_read_months(vt, "rx_department", db, argv[0], argv[1], role, nrole, rd_row, rd_month, c);
  /* after an error the doctors' sums may be left half made: read anew */
  if (rc != SQLITE_OK) c->loaded = 0;
  sqlite3_free(role);
  return rc;
}

static int rdNext(sqlite3_vtab_cursor *cur) {
  ((RdCursor *)cur)->i++;
  return SQLITE_OK;
}

static int rdEof(sqlite3_vtab_cursor *cur) {
  RdCursor *c = (RdCursor *)cur;
  return c->i >= c->nrow;
}

static int rdColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RdCursor *c = (RdCursor *)cur;
  const RdRow *w = &c->row[c->i];
  const RdDep *o = &w->sums;
  switch (col) {
  case RD_COL_DEPARTMENT: sqlite3_result_int64(ctx, w->department); break;
  case RD_COL_PERIOD: sqlite3_result_text(ctx, w->period, 7, SQLITE_TRANSIENT); break;
  case RD_COL_DOCTORS: sqlite3_result_int64(ctx, w->doctors); break;
  case RD_COL_RX: sqlite3_result_int64(ctx, o->rx); break;
  case RD_COL_CLASS_RX:
    if (!o->class_nn) sqlite3_result_null(ctx);
    else if (o->class_real) sqlite3_result_double(ctx, o->class_r);
    else sqlite3_result_int64(ctx, o->class_i);
    break;
  case RD_COL_CLASS_WRITERS: sqlite3_result_int64(ctx, o->writers); break;
  case RD_COL_PRESCRIBERS: sqlite3_result_int64(ctx, o->prescribers); break;
  case RD_COL_TARGETS:
    if (c->has_min) sqlite3_result_int64(ctx, o->targets);
    else sqlite3_result_null(ctx);
    break;
  case RD_COL_COULD_BE:
    if (c->has_min && o->could_be_nn) sqlite3_result_int64(ctx, o->could_be);
    else sqlite3_result_null(ctx);
    break;
  case RD_COL_TO_CONVERT:
    if (o->to_convert_nn) sqlite3_result_int64(ctx, o->to_convert);
    else sqlite3_result_null(ctx);
    break;
  case RD_COL_TARGETS_BEFORE:
    if (c->has_min && w->before_nn) sqlite3_result_int64(ctx, w->before);
    else sqlite3_result_null(ctx);
    break;
  default: break; /* hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int rdRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((RdCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module rd_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = rdConnect,
    .xBestIndex = rdBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = rdOpen,
    .xClose = rdClose,
    .xFilter = rdFilter,
    .xNext = rdNext,
    .xEof = rdEof,
    .xColumn = rdColumn,
    .xRowid = rdRowid,
};

int rxdept_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "rx_department", &rd_module, 0);
}
