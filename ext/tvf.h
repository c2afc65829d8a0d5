/*
** tvf.h -- what the table-valued functions of the extension share: their
** hidden arguments in xBestIndex (which = constraints carry them, and
** handing them to xFilter), and setting the table's error message.  Used
** by every one whose arguments are its last n columns (allocate,
** allocate_months, the set-at-a-time functions, the rx readers,
** own_targets, product_potential, the ledger functions).
**
**   int at[3];
**   if (tvf_args_find(ix, COL_FIRST_ARG, 3, TVF_ARGS_ALL, at) != SQLITE_OK)
**     return SQLITE_CONSTRAINT;
**   ... refuse or cost out a plan without a required argument (at[h] < 0) ...
**   ix->idxNum = (int)tvf_args_use(ix, at, 3);
**
** xFilter then gets the arguments present in argument order, argv[0] the
** first of them; the mask tvf_args_use() returns (bit h: argument h
** present) tells which they are.
*/
#ifndef TERRITORY_TVF_H
#define TERRITORY_TVF_H

#include "sqlite_api.h"

#include <stddef.h>

/* every argument strict (see tvf_args_find) */
#define TVF_ARGS_ALL (~0u)

/* at[h], for the n argument columns first .. first + n - 1 (n <= 32): the
** index in ix->aConstraint of the first usable = constraint on argument
** h, -1 when it has none.  SQLITE_CONSTRAINT when an argument whose bit is
** set in strict has = constraints that are all unusable (its value is not
** known yet in this plan: SQLite must try another join order, so that a
** lateral call gets its value row by row), else SQLITE_OK. */
int tvf_args_find(const sqlite3_index_info *ix, int first, int n, unsigned strict, int *at);

/* Hands the arguments present (at[h] >= 0) to xFilter as argv[0], argv[1],
** ... in argument order, their constraints omitted from SQLite's own
** checks; returns the mask of those present (bit h: argument h). */
unsigned tvf_args_use(sqlite3_index_info *ix, const int *at, int n);

/* Sets msg (from sqlite3_mprintf, ownership passes) as vt's error message:
** SQLITE_ERROR, or SQLITE_NOMEM when msg is NULL (the mprintf failed). */
int tvf_error(sqlite3_vtab *vt, char *msg);

/* A month argument: text 'YYYY-MM' (month 01..12) sets *has = 1 (the text
** stays in v), NULL sets *has = 0; anything else is the error "fn: arg
** must be a month YYYY-MM, got VALUE" (VALUE as args.h's value_repr()).
** The check of rx_market(), unit_sales() and hospital_sales(). */
int tvf_month(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *arg, int *has);

/* Room for n elements of size sz in the sqlite3_malloc'd array *p of
** capacity *cap: grown by doubling (from 256), *p and *cap updated;
** SQLITE_NOMEM when it cannot (the array is kept as it was). */
int tvf_room(void **p, size_t *cap, size_t n, size_t sz);

/* The count sql ("SELECT count(*) FROM t") gives, to size an array once
** before reading t; 0 on an error (the read itself then reports it). */
size_t tvf_count(sqlite3 *db, const char *sql);

#endif
