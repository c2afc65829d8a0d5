/*
** territory.c -- the extension's entry points and its one registration list.
**
**   sqlite3_territory_init   entry point for .load / sqlite3_load_extension /
**                            sqlite3_auto_extension
**   territory_register(db)   the same for programs that link libterritory.a
**   territory_version()      SQL: the version string
**
** Every SQL function is described by a FunctionSpec row in its module's
** table (see registry.h); modules[] below lists the modules.  Nothing is
** registered anywhere else, so pragma_function_list after loading is exactly
** the union of these tables (tests/sql/function_list.test checks it against
** docs/reference.md).
*/
#include "territory.h"

#include "args.h"
#include "query.h"
#include "registry.h"

#include <stddef.h>

#ifndef SQLITE_CORE
SQLITE_EXTENSION_INIT1
#endif

static void territory_version_fn(sqlite3_context *ctx, int argc,
                                 sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, TERRITORY_VERSION, -1, SQLITE_STATIC);
}

/* raise_error(message): fails the statement with message, so SQL (the
** canned reports) can refuse a bad parameter with a sentence of its own:
**   CASE WHEN :unit IS NOT NULL AND NOT EXISTS (...)
**        THEN raise_error('aging: no unit ' || :unit) END
** NULL gives NULL (nothing to raise); a number raises its text; a blob or
** '' is refused like any bad text argument.  Not DETERMINISTIC, so SQLite
** never evaluates it ahead of the CASE that guards it. */
static void raise_error_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *msg;
  if (arg_text(ctx, argv[0], "raise_error", "message", &msg) != ARG_OK) return;
  sqlite3_result_error(ctx, msg, -1);
}

static const FunctionSpec meta_functions[] = {
    {"territory_version", 0, PURE, territory_version_fn, 0, 0, 0, 0},
    {"raise_error", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, raise_error_fn, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0}};

static const char *const allocate_vtabs[] = {"allocate", 0};
static const char *const allocmonths_vtabs[] = {"allocate_months", 0};
static const char *const smart_vtabs[] = {"smart_check", 0};
static const char *const setwise_vtabs[] = {"segment", "deciles", "abc", "deciles_summary", "segment_summary", 0};
static const char *const rxclass_vtabs[] = {"rx_class_scan", 0};
static const char *const rxusage_vtabs[] = {"rx_usage", 0};
static const char *const rxdept_vtabs[] = {"rx_department", 0};
static const char *const receivables_vtabs[] = {"receivables", 0};
static const char *const payrecord_vtabs[] = {"payment_record", 0};
static const char *const collections_vtabs[] = {"collections", 0};
static const char *const unitsales_vtabs[] = {"unit_sales", 0};
static const char *const owntargets_vtabs[] = {"own_targets", 0};
static const char *const hospsales_vtabs[] = {"hospital_sales", 0};
static const char *const rxmarket_vtabs[] = {"rx_market", 0};
static const char *const prodpotential_vtabs[] = {"product_potential", 0};
static const char *const pottree_vtabs[] = {"potential_tree", 0};

static const ModuleSpec modules[] = {
    {"meta", meta_functions, 0, 0},
    {"stats", stats_functions, 0, 0},
    {"potential", potential_functions, 0, 0},
    {"segment", segment_functions, 0, 0},
    {"tracking", tracking_functions, 0, 0},
    {"chart", chart_functions, 0, 0},
    {"allocate", 0, allocate_register, allocate_vtabs},
    {"allocmonths", 0, allocmonths_register, allocmonths_vtabs},
    {"smart", 0, smart_register, smart_vtabs},
    {"setwise", 0, setwise_register, setwise_vtabs},
    {"rxclass", 0, rxclass_register, rxclass_vtabs},
    {"rxread", rxread_functions, 0, 0},
    {"rxusage", 0, rxusage_register, rxusage_vtabs},
    {"rxdept", 0, rxdept_register, rxdept_vtabs},
    {"receivables", 0, receivables_register, receivables_vtabs},
    {"payrecord", 0, payrecord_register, payrecord_vtabs},
    {"collections", 0, collections_register, collections_vtabs},
    {"unitsales", 0, unitsales_register, unitsales_vtabs},
    {"owntargets", 0, owntargets_register, owntargets_vtabs},
    {"hospsales", 0, hospsales_register, hospsales_vtabs},
    {"rxmarket", 0, rxmarket_register, rxmarket_vtabs},
    {"prodpotential", 0, prodpotential_register, prodpotential_vtabs},
    {"pottree", 0, pottree_register, pottree_vtabs},
};

const ModuleSpec *territory_modules(size_t *n) {
  *n = sizeof(modules) / sizeof(modules[0]);
  return modules;
}

static int register_functions(sqlite3 *db, const FunctionSpec *f) {
  for (; f && f->name; f++) {
    int rc;
    if (f->xValue)
      rc = sqlite3_create_window_function(db, f->name, f->nArg, f->flags, 0,
                                          f->xStep, f->xFinal, f->xValue,
                                          f->xInverse, 0);
    else
      rc = sqlite3_create_function(db, f->name, f->nArg, f->flags, 0,
                                   f->xFunc, f->xStep, f->xFinal);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int sqlite3_territory_init(sqlite3 *db, char **pzErrMsg,
                           const sqlite3_api_routines *pApi) {
#ifndef SQLITE_CORE
  if (pApi) {
    SQLITE_EXTENSION_INIT2(pApi);
  }
#else
  (void)pApi;
#endif
  /* The connection's state lives as long as the modules that hold it
  ** (each takes a reference; SQLite drops it when the connection closes or
  ** the module is registered again). */
  QueryConn *qc = query_conn_new(db);
  if (qc == NULL) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
    rc = register_functions(db, modules[i].functions);
    if (rc == SQLITE_OK && modules[i].register_vtabs)
      rc = modules[i].register_vtabs(db, qc);
    if (rc != SQLITE_OK) {
      if (pzErrMsg)
        *pzErrMsg = sqlite3_mprintf("territory: cannot register module %s: %s",
                                    modules[i].name, sqlite3_errstr(rc));
      break;
    }
  }
  query_conn_unref(qc);
  return rc;
}

int territory_register(sqlite3 *db) {
  return sqlite3_territory_init(db, NULL, NULL);
}

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int territory_set_authorizer(sqlite3 *db,
                             int (*xAuth)(void *, int, const char *, const char *,
                                          const char *, const char *),
                             void *pArg) {
  QueryConn *qc = query_conn_find(db);
  if (qc == NULL) return SQLITE_MISUSE;
  return query_conn_set_authorizer(qc, xAuth, pArg);
}
