/*
** potread.h -- the tree of territories, hospitals and departments with
** their figures that potential_tree() hands out: read by ext/potread.c
** (the tables, product_potential()'s reader and rx_department() beside
** it), summed, ordered and handed out by ext/pottree.c (the virtual
** table), which is all that uses it.
*/
#ifndef TERRITORY_POTREAD_H
#define TERRITORY_POTREAD_H

#include "prodpotential.h"
#include "sqlite_api.h"
#include "sqlsum.h"

#include <stddef.h>
#include <stdint.h>

typedef sqlite3_int64 pt_i64;

#define PT_FN "potential_tree"

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
  uint32_t terr;        /* its territory: PtTree.terr[terr] (set with the rows) */
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

/* the arguments, checked */
typedef struct PtArgs {
  sqlite3_value *period, *workdays;
  int has_product;
  pt_i64 product;
  double days_worked, month_days;
} PtArgs;

/* the tree: every input read, then the sums and the rows */
typedef struct PtTree {
  sqlite3_vtab *vt; /* errors go to its message */
  int kbn;          /* sqlsum_kbn() */
  char *names;      /* the names read, PtName's bytes */
  size_t nnames, capnames;
  PtDep *dep; /* the departments of the hospitals, in id order */
  size_t ndep;
  double *demand; /* the classes' potential, ncls a department */
  int ncls;
  PpClass *cls;
  PtHosp *hosp; /* by id */
  size_t nhosp;
  PtTerr *terr; /* by id */
  size_t nterr;
  uint32_t *dep_by_hosp; /* each hospital's departments: [first, first + ndep) */
  PtRow *row;            /* the output, in order */
  size_t nrow;
} PtTree;

static inline PtNum pt_int(pt_i64 i) { return (PtNum){i, 0.0, SQLITE_INTEGER}; }
static inline PtNum pt_real(double r) { return (PtNum){0, r, SQLITE_FLOAT}; }
static inline double pt_double(const PtNum *v) { return v->type == SQLITE_INTEGER ? (double)v->i : v->r; }

/* adds v (NULL skipped) as SQL's sum() does */
static inline void ps_add(PtSum *p, const PtNum *v, int kbn) {
  if (v->type == SQLITE_NULL) return;
  p->n++;
  if (v->type == SQLITE_INTEGER)
    sqlsum_int(&p->s, v->i, kbn);
  else
    sqlsum_real(&p->s, v->r, kbn);
}

/* the sum as sum() gives it; SQLITE_ERROR on an integer overflow */
static inline int ps_value(const PtSum *p, int kbn, PtNum *out) {
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

/* Reads the hospitals, their departments (with their potential and
** prescriptions), each hospital's market value and sales into tr, the
** departments grouped by hospital (dep_by_hosp). */
int pt_read_inputs(PtTree *tr, sqlite3 *db, const PtArgs *a);
/* Names the territories (tr->terr, once summed) from org_unit. */
int pt_read_territory_names(PtTree *tr, sqlite3 *db);
/* "potential_tree: integer overflow in the sums of WHAT ID" */
int pt_overflow(PtTree *tr, const char *what, pt_i64 id);
/* frees what tr holds, all zero after */
void pt_tree_clear(PtTree *tr);

#endif
