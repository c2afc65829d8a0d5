/*
** registry.h -- how a module of the extension describes what it registers.
**
** Every module (ext/stats.c, ext/potential.c, ...) exports one table of
** FunctionSpec rows ended by a row whose name is NULL, and optionally a
** function that registers its virtual tables.  ext/territory.c walks the
** list of modules; nothing else registers anything.
*/
#ifndef TERRITORY_REGISTRY_H
#define TERRITORY_REGISTRY_H

#include "sqlite_api.h"

#include <stddef.h>

/* Flags for pure functions: same output for the same input, no side
** effects, safe to use from views and triggers of an untrusted schema.
** SQLITE_INNOCUOUS is also what lets query text (ext/query.h) call a
** function of ours: a row without it is refused there. */
#define PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

typedef struct FunctionSpec {
  const char *name;
  int nArg;                 /* -1: variable */
  int flags;                /* usually PURE */
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);    /* scalar */
  void (*xStep)(sqlite3_context *, int, sqlite3_value **);    /* aggregate */
  void (*xFinal)(sqlite3_context *);
  void (*xValue)(sqlite3_context *);                          /* window */
  void (*xInverse)(sqlite3_context *, int, sqlite3_value **);
} FunctionSpec;

/* Territory's per-connection state (ext/query.h); the module registration
** functions hang it on their modules as client data. */
typedef struct QueryConn QueryConn;

typedef struct ModuleSpec {
  const char *name;
  const FunctionSpec *functions;         /* ended by a row with name NULL */
  int (*register_vtabs)(sqlite3 *db, QueryConn *qc); /* may be NULL */
  /* Table-valued functions it registers that query text may use (they only
  ** read, and any query they run is checked again), ended by NULL; may be
  ** NULL.  ext/query.c allows these names and nothing else of ours. */
  const char *const *vtabs;
} ModuleSpec;

/* The registration list (ext/territory.c): every module, *n of them. */
const ModuleSpec *territory_modules(size_t *n);

extern const FunctionSpec stats_functions[];
extern const FunctionSpec potential_functions[];
extern const FunctionSpec segment_functions[];
extern const FunctionSpec tracking_functions[];
extern const FunctionSpec chart_functions[];
extern const FunctionSpec rxread_functions[];
int allocate_register(sqlite3 *db, QueryConn *qc);
int allocmonths_register(sqlite3 *db, QueryConn *qc);
int smart_register(sqlite3 *db, QueryConn *qc);
int setwise_register(sqlite3 *db, QueryConn *qc);
int rxclass_register(sqlite3 *db, QueryConn *qc);
int rxusage_register(sqlite3 *db, QueryConn *qc);
int rxdept_register(sqlite3 *db, QueryConn *qc);
int receivables_register(sqlite3 *db, QueryConn *qc);
int payrecord_register(sqlite3 *db, QueryConn *qc);
int collections_register(sqlite3 *db, QueryConn *qc);
int unitsales_register(sqlite3 *db, QueryConn *qc);
int owntargets_register(sqlite3 *db, QueryConn *qc);
int hospsales_register(sqlite3 *db, QueryConn *qc);
int rxmarket_register(sqlite3 *db, QueryConn *qc);
int prodpotential_register(sqlite3 *db, QueryConn *qc);
int pottree_register(sqlite3 *db, QueryConn *qc);

#endif
