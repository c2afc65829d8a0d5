/*
** readvtab.c -- connect, disconnect and open for the read-only
** table-valued functions (see readvtab.h).
*/
#include "readvtab.h"

#include <string.h>

int readvtab_connect(sqlite3 *db, const char *schema, sqlite3_vtab **pp) {
  int rc = sqlite3_declare_vtab(db, schema);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  ReadVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  *pp = &t->base;
  return SQLITE_OK;
}

int readvtab_disconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

int readvtab_open(size_t size, sqlite3_vtab_cursor **pp) {
  sqlite3_vtab_cursor *c = sqlite3_malloc64(size);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, size);
  *pp = c;
  return SQLITE_OK;
}
