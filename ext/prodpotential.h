/*
** prodpotential.h -- reading the departments' potential for a product (or
** all our products), a class at a time, by the deck's formula (科室潜力):
** the read behind product_potential() (ext/prodpotential.c), shared with
** potential_tree() (ext/pottree.c), which needs both of its shapes from
** one pass.
**
**   PpReader r;
**   int rc = pp_reader_open(&r, vt, "fn", db, workdays, has_product, product), more;
**   while (rc == SQLITE_OK && (rc = pp_reader_next(&r, db, &more)) == SQLITE_OK && more)
**     ... r.id, r.hosp, r.pot[k] for each class k < r.ncls ...
**   pp_reader_close(&r);
**
** Errors go to vt's message, prefixed with fn.
*/
#ifndef TERRITORY_PRODPOTENTIAL_H
#define TERRITORY_PRODPOTENTIAL_H

#include "sqlite_api.h"

typedef sqlite3_int64 pp_i64;

/* a class counted: its id (none: the products without a class) */
typedef struct PpClass {
  pp_i64 id;
  int none;
} PpClass;

/* the column of PpReader.dep holding the current department's name (read
** only by those who want it: potential_tree()) */
#define PP_DEP_NAME 5

typedef struct PpReader {
  sqlite3_vtab *vt;
  const char *fn;
  double workdays;
  int kbn;
  /* the classes of the products asked for, each once, in id order, the
  ** classless first; none (ncls 0) when no product of ours is asked for */
  PpClass *cls;
  int ncls;
  sqlite3_stmt *dep, *use; /* department and department_usage, id order */
  int use_rc;              /* use's last step: SQLITE_ROW while it has one */
  /* the current department: id, hospital, daily_patients, and a class
  ** each its potential, usage rate and prescriptions per patient */
  pp_i64 id, hosp;
  int hosp_null;
  double patients;
  double *pot, *rate, *rpp;
} PpReader;

/* The classes of product (or, has_product 0, of all ours) and the reads
** prepared; workdays a number >= 0 (checked by the caller). */
int pp_reader_open(PpReader *r, sqlite3_vtab *vt, const char *fn, sqlite3 *db, double workdays,
                   int has_product, pp_i64 product);
/* The next department of table department (id order), *more = 0 after the
** last; an error when a class's potential is out of a double's range. */
int pp_reader_next(PpReader *r, sqlite3 *db, int *more);
/* The current department's potential (the classes' added in class order
** as SQL's total() adds them) and highest usage rate. */
int pp_reader_department(const PpReader *r, double *potential, double *usage_rate);
void pp_reader_close(PpReader *r);

#endif
