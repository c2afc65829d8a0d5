/*
** query.h -- running a query given as text, safely, for table-valued
** functions (allocate, smart_check).
**
** The query argument is either one read-only statement that returns rows
** (SELECT, WITH ... SELECT, VALUES) or a bare table or view name
** (`child_weight`, `main.child_weight`, `"目标 表"`), which is read as
** SELECT * FROM "name" with the name quoted by %w.  Refused, with an error
** that says why: several statements, statements that write, statements that
** return no columns, ATTACH/DETACH/BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE/
** PRAGMA/VACUUM/ANALYZE/REINDEX, and nesting deeper than QUERY_MAX_DEPTH
** (a query that calls allocate that calls allocate ...).
**
** Use:
**   char *err = NULL; sqlite3_stmt *st = NULL;
**   if (query_enter("allocate", &err)) goto fail;       // depth check
**   if (query_prepare(db, "allocate", zQuery, &st, &err)) goto fail_leave;
**   if (query_bind(st, "allocate", argv + 2, nParams, &err)) goto fail_leave;
**   while ((rc = sqlite3_step(st)) == SQLITE_ROW) { ... }
**   if (rc != SQLITE_DONE) err = query_error(db, "allocate");
**   sqlite3_finalize(st); query_leave();
** Every error string is from sqlite3_mprintf (free it with sqlite3_free) and
** starts with the function name: "allocate: query must ...".
*/
#ifndef TERRITORY_QUERY_H
#define TERRITORY_QUERY_H

#include "sqlite_api.h"

#define QUERY_MAX_DEPTH 4

/* Counts how deeply query-running functions are nested on this thread.
** Returns non-zero (and sets *err) when the limit would be passed; on
** success the caller must call query_leave() once. */
int query_enter(const char *fn, char **err);
void query_leave(void);

/* Prepares text as described above; returns SQLITE_OK or an error code
** with *err set. */
int query_prepare(sqlite3 *db, const char *fn, const char *text,
                  sqlite3_stmt **out, char **err);

/* Binds params[0..n-1] to ?1..?n.  Refuses more params than the statement
** has placeholders. */
int query_bind(sqlite3_stmt *stmt, const char *fn, sqlite3_value **params,
               int n, char **err);

/* "fn: query failed: <sqlite3_errmsg>" */
char *query_error(sqlite3 *db, const char *fn);

#endif
