/*
** query.h -- running a query given as text, safely, for the functions that
** take one (allocate, smart_check, and any later set-at-a-time function).
**
** Query text is DATA: it often comes from a table someone else filled (a
** plan file, a shared database).  It may read; it may never reach files,
** write, or change the connection.  The query argument is either one
** statement that returns rows (SELECT, WITH ... SELECT, VALUES) or a bare
** table or view name (`child_weight`, `main.child_weight`, `"目标 表"`), read
** as SELECT * FROM "name" with the name quoted by %w.
**
** While the text is prepared, an SQLite authorizer allows exactly:
**   - reading tables and views (and their columns) of the connection's
**     databases, sqlite_schema included -- and everything the views read
**     is checked the same way;
**   - calling the built-in functions listed in query.c (SQLite's own pure
**     ones: core, date, math, JSON, aggregates, window functions) and
**     territory's innocuous functions (every FunctionSpec row flagged
**     SQLITE_INNOCUOUS in the registration tables of registry.h);
**   - the table-valued functions that only read: json_each, json_tree,
**     generate_series, and territory's own (ModuleSpec.vtabs: allocate,
**     smart_check, whose queries are checked again when they run);
**   - recursive CTEs.
** Everything else is refused, by default: any other function (edit,
** readfile, writefile, load_extension, regexp, app-defined functions not
** flagged above, ...), any other virtual table (fsdir, zipfile,
** sqlite_dbpage, dbstat, pragma_*, CREATE VIRTUAL TABLE tables of any
** module), any write, ATTACH/DETACH, PRAGMA, transaction control.  The
** error names the function, the thing refused and why:
**   allocate: query may not use fsdir (query text can only read tables and views)
** Also refused: several statements, statements that return no columns, and
** nesting deeper than QUERY_MAX_DEPTH on one connection.  Not judged here:
** expressions stored in the schema itself (generated columns, which SQLite
** allows only deterministic functions anyway) -- they are the schema's, and
** SQLite's trusted_schema setting governs them.
**
** A kept statement that SQLite recompiles inside sqlite3_step (after a
** schema change, or an authorizer change: newer SQLite expires statements
** on every sqlite3_set_authorizer) is recompiled without our authorizer;
** query_recompiled() notices afterwards and the caller discards its rows and
** prepares the text again under the check.  The one unchecked run is of
** text that passed the check, against a schema the application itself
** changed between two rows of one statement.
**
** The application's own authorizer: SQLite cannot tell us which authorizer
** a connection has, so an application that wants one must install it with
** territory_set_authorizer() (territory.h), which records it here.  While
** query text is prepared, both must allow each action (ours first, then
** the application's, whose SQLITE_IGNORE is honoured); afterwards the
** application's authorizer is installed again.  One installed with plain
** sqlite3_set_authorizer() is replaced during that prepare and not
** restored.  Installing an authorizer expires the connection's prepared
** statements (SQLite recompiles them at their next run), which is the price
** of the check.
**
** Use:
**   QueryConn *qc = ...;    // from the module's client data (registration)
**   char *err = NULL; sqlite3_stmt *st = NULL;
**   if (query_enter(qc, "allocate", &err)) goto fail;   // depth check
**   if (query_prepare(qc, "allocate", zQuery, &st, &err)) goto fail_leave;
**   if (query_bind(st, "allocate", argv + 2, nParams, &err)) goto fail_leave;
**   while ((rc = sqlite3_step(st)) == SQLITE_ROW) { ... }
**   if (rc != SQLITE_DONE) err = query_error(db, "allocate");
**   sqlite3_finalize(st); query_leave(qc);
** A caller that keeps a prepared statement to run again (allocate in a
** lateral join) must call query_reusable() before each reuse and
** query_recompiled() after the first step; see there.
** Every error string is from sqlite3_mprintf (free it with sqlite3_free) and
** starts with the function name: "allocate: query must ...".
*/
#ifndef TERRITORY_QUERY_H
#define TERRITORY_QUERY_H

#include "sqlite_api.h"

#define QUERY_MAX_DEPTH 4

/* Territory's state for one connection: the application's authorizer, the
** nesting depth of query-running functions.  Made at registration and
** hung on the modules as client data; freed with the last of them. */
typedef struct QueryConn QueryConn;

typedef int (*QueryAuthorizer)(void *, int, const char *, const char *,
                               const char *, const char *);

/* A new state for db with one reference (NULL when out of memory).  A
** state db already had passes its recorded authorizer on, so that loading
** the extension twice keeps it. */
QueryConn *query_conn_new(sqlite3 *db);
void query_conn_ref(QueryConn *qc);
/* Drops a reference (the type of a module destructor). */
void query_conn_unref(void *qc);
/* The newest state registered on db, or NULL. */
QueryConn *query_conn_find(sqlite3 *db);
/* Installs the application's authorizer on the connection and records it. */
int query_conn_set_authorizer(QueryConn *qc, QueryAuthorizer xAuth, void *pArg);

/* Counts how deeply query-running functions are nested on this connection
** (a query that calls allocate inside its query, ...).  Returns non-zero
** (and sets *err) when the limit would be passed; on success the caller
** must call query_leave() once, before its xFilter returns. */
int query_enter(QueryConn *qc, const char *fn, char **err);
void query_leave(QueryConn *qc);

/* Prepares text as described above; returns SQLITE_OK or an error code
** with *err set. */
int query_prepare(QueryConn *qc, const char *fn, const char *text,
                  sqlite3_stmt **out, char **err);

/* A kept statement may be stepped again without a new check only when no
** authorizer change of ours has expired it since it was prepared (an
** expired statement is recompiled inside sqlite3_step, where our
** authorizer is not installed).  query_stamp() after query_prepare,
** query_reusable() before each reuse: 0 means prepare it again. */
unsigned query_stamp(QueryConn *qc);
int query_reusable(QueryConn *qc, unsigned stamp);
/* The statement's recompile count; after stepping a reused statement,
** query_recompiled(st, before) says whether SQLite recompiled it (a schema
** change, an authorizer set by someone else): its rows must then be
** discarded and the text prepared again under the check. */
int query_recompile_count(sqlite3_stmt *st);
int query_recompiled(QueryConn *qc, sqlite3_stmt *st, int before);

/* Binds params[0..n-1] to ?1..?n.  Refuses more params than the statement
** has placeholders. */
int query_bind(sqlite3_stmt *stmt, const char *fn, sqlite3_value **params,
               int n, char **err);

/* "fn: query failed: <sqlite3_errmsg>" */
char *query_error(sqlite3 *db, const char *fn);

#endif
