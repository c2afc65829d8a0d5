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

/* Flags for pure functions: same output for the same input, no side
** effects, safe to use from views and triggers of an untrusted schema. */
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

typedef struct ModuleSpec {
  const char *name;
  const FunctionSpec *functions;         /* ended by a row with name NULL */
  int (*register_vtabs)(sqlite3 *db);    /* may be NULL */
} ModuleSpec;

extern const FunctionSpec stats_functions[];
extern const FunctionSpec potential_functions[];
extern const FunctionSpec segment_functions[];
extern const FunctionSpec tracking_functions[];
extern const FunctionSpec chart_functions[];
int allocate_register(sqlite3 *db);
int smart_register(sqlite3 *db);
int setwise_register(sqlite3 *db);

#endif
