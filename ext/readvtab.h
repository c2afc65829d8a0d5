/*
** readvtab.h -- the connect, disconnect and open steps shared by the
** table-valued functions that only read the database through fixed
** queries with bound values (rx_class_scan, rx_usage, rx_department,
** rx_market, unit_sales, own_targets, product_potential).
**
** Such a function is innocuous (views, triggers and query text may call
** it: it cannot reach anything the caller could not read) and its table
** holds only the connection.  A module's xConnect passes its schema:
**
**   static int xxConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
**                        sqlite3_vtab **pp, char **err) {
**     (void)aux; (void)argc; (void)argv; (void)err;
**     return readvtab_connect(db, "CREATE TABLE x(...)", pp);
**   }
**   ... .xDisconnect = readvtab_disconnect,
**   static int xxOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
**     (void)v; return readvtab_open(sizeof(XxCursor), pp);
**   }
*/
#ifndef TERRITORY_READVTAB_H
#define TERRITORY_READVTAB_H

#include "sqlite_api.h"

#include <stddef.h>

typedef struct ReadVtab {
  sqlite3_vtab base;
  sqlite3 *db;
} ReadVtab;

/* declares schema, marks the table innocuous, allocates the ReadVtab */
int readvtab_connect(sqlite3 *db, const char *schema, sqlite3_vtab **pp);
int readvtab_disconnect(sqlite3_vtab *v);
/* a cursor of size bytes (its sqlite3_vtab_cursor first), all zero */
int readvtab_open(size_t size, sqlite3_vtab_cursor **pp);

#endif
