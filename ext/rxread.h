/*
** rxread.h -- reading a run of months of rx for a product's class (or the
** classes of all our products), shared by rx_usage() (ext/rxusage.c) and
** rx_department() (ext/rxdept.c): the argument checks, which products'
** rows count and what each adds, and the read itself through the covering
** index rx_period (period, product_id, doctor_id, rx_count, potential),
** one seek per month and product.  rx_market() (ext/rxmarket.c) uses the
** read (rx_read_months()) with roles of its own.
**
** Errors go to the virtual table's message, prefixed with the function's
** name ("rx_usage: ..."), and the call returns SQLITE_ERROR (or
** SQLITE_NOMEM).
*/
#ifndef TERRITORY_RXREAD_H
#define TERRITORY_RXREAD_H

#include "sqlite_api.h"

/* what a product's rows add to a doctor */
#define RX_ADD_USAGE 1     /* rx_count to usage: the product asked for, or one of ours */
#define RX_ADD_CLASS 2     /* rx_count to the class total */
#define RX_ADD_TYPED 4     /* rx.potential, the typed class total (a product without a class) */
#define RX_ADD_COMP 8      /* a competitor's (product.ours = 0) */

/* the span of rx's doctor ids, for idmap_init() (ext/idmap.h) */
#define RX_DOCTOR_SPAN "SELECT (SELECT min(doctor_id) FROM rx), (SELECT max(doctor_id) FROM rx)"

typedef struct RxRole {
  sqlite3_int64 id;
  int add;
} RxRole;

/* A month 'YYYY-MM' (01..12), else an error naming the argument. */
int rx_check_month(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *arg);

/* product_id: NULL (all ours, *has = 0) or a product's id: an integer, or
** a real or text holding one ('7', 7.0), as SQL's = would match it; an id
** naming no product is an error. */
int rx_check_product(sqlite3_vtab *vt, const char *fn, sqlite3 *db, sqlite3_value *v, int *has,
                     sqlite3_int64 *id);

/* The products whose rows count, and what each adds (sqlite3_malloc'd
** into *role, *nrole of them).  One product: the members of its class; all
** ours (has_product 0): the members of every class holding one of ours.
** Usage counts the product itself, or every one of ours; a classed member
** adds its rx_count to the class total, a classless product its typed
** total; a member with ours = 0 is a competitor. */
int rx_load_roles(sqlite3_vtab *vt, const char *fn, sqlite3 *db, int has_product,
                  sqlite3_int64 product, RxRole **role, int *nrole);

/* Called for each row read: the product's role, the doctor, rx_count, and
** rx.potential (read only for a classless product, else NULL). */
typedef int (*RxRowFn)(void *ctx, const RxRole *r, sqlite3_int64 doctor, sqlite3_int64 rx_count,
                       sqlite3_value *typed);
/* Called after each month's rows (month: 7 characters, 'YYYY-MM'); may be
** NULL. */
typedef int (*RxMonthFn)(void *ctx, const char *month);

/* Every month from first to last (checked 'YYYY-MM' values) that has rows
** in rx, in order, each role's rows of it; callbacks return SQLITE_OK or
** an error code (their message already set).  SQLITE_OK at the end. */
int rx_read_months(sqlite3_vtab *vt, const char *fn, sqlite3 *db, sqlite3_value *first,
                   sqlite3_value *last, const RxRole *role, int nrole, RxRowFn row,
                   RxMonthFn month_done, void *ctx);

/* The month after m ('YYYY-MM') into next (8 bytes); 0 after 9999-12. */
int rx_next_month(const char *m, char *next);

/* Runs sql, which calls rx_read_row(?1, a, b) on each of its rows: row()
** gets (ctx, NULL, a, b, NULL) for each, inside sqlite3_step() (for the
** callers' own reads, as of table doctor).  SQLITE_OK at the end. */
int rx_feed_query(sqlite3_vtab *vt, const char *fn, sqlite3 *db, const char *sql, RxRowFn row,
                  void *ctx);

#endif
