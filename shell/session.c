/*
** session.c -- the Shell object: creating it, opening a database (file,
** :memory:, or the bundled demo territory), closing it.
**
** Every connection gets the territory extension (territory_register) and
** PRAGMA foreign_keys=ON, since the canonical schema relies on both, and
** the settings of tuning.h (memory map, temporary store, page cache).
*/
#include "shell.h"
#include "territory.h"
#include "tuning.h"

#include <stdlib.h>
#include <string.h>

Shell *shell_new(void) {
  Shell *sh = calloc(1, sizeof *sh);
  if (!sh) return NULL;
  sh->out = stdout;
  sh->headers = -1;
  sh->mode = MODE_LIST;
  return sh;
}

static void close_db(Shell *sh) {
  remote_free(sh->remote);
  sh->remote = NULL;
  if (sh->db) sqlite3_close_v2(sh->db);
  sh->db = NULL;
  free(sh->dbname);
  sh->dbname = NULL;
}

void shell_free(Shell *sh) {
  if (!sh) return;
  close_db(sh);
  if (sh->out_is_file) fclose(sh->out);
  free(sh->out_name);
  for (int i = 0; i < sh->nparam; i++) {
    free(sh->params[i].name);
    free(sh->params[i].value);
  }
  free(sh->params);
  free(sh->nullvalue);
  result_clear(&sh->last);
  free(sh);
}

static int setup(Shell *sh, sqlite3 *db, const char *name) {
  int rc = territory_register(db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON; " SHELL_TUNING_SQL, 0, 0, 0);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "error: cannot set up %s: %s\n", name, sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    return -1;
  }
  close_db(sh);
  sh->db = db;
  sh->dbname = strdup(name);
  /* the language: the database's setting shell.lang, else $TERRITORY_LANG */
  sqlite3_stmt *st = NULL;
  int l = lang_from_name(getenv("TERRITORY_LANG"));
  if (sqlite3_prepare_v2(db, "SELECT value FROM settings WHERE key = 'shell.lang'", -1, &st,
                         NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    int v = lang_from_name((const char *)sqlite3_column_text(st, 0));
    if (v >= 0) l = v;
  }
  sqlite3_finalize(st);
  if (l >= 0) sh->lang = l;
  result_clear(&sh->last);
  return 0;
}

int shell_open(Shell *sh, const char *name) {
  if (!strncmp(name, "dqlite://", 9)) return remote_open(sh, name);
  sqlite3 *db = NULL;
  /* NOMUTEX: the shell is one thread (Ctrl-C's sqlite3_interrupt() takes
  ** no mutex); serialized, each value read of a result took and released
  ** the connection's mutex */
  int rc = sqlite3_open_v2(name, &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                               SQLITE_OPEN_NOMUTEX,
                           NULL);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "error: cannot open %s: %s\n", name,
            db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return -1;
  }
  /* Opening is lazy: make a bad file (not a database) fail now. */
  rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", 0, 0, 0);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "error: cannot open %s: %s\n", name, sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    return -1;
  }
  return setup(sh, db, name);
}

int shell_open_demo(Shell *sh) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK ||
      setup(sh, db, "demo")) {
    if (db && sh->db != db) sqlite3_close_v2(db);
    return -1;
  }
  const EmbeddedFile *schema = embedded_find("sql/schema.sql");
  if (!schema) {
    fprintf(stderr, "error: this build has no embedded sql/schema.sql\n");
    return -1;
  }
  char *err = NULL;
  if (sqlite3_exec(sh->db, schema->data, 0, 0, &err) != SQLITE_OK) {
    fprintf(stderr, "error: demo schema: %s\n", err ? err : "?");
    sqlite3_free(err);
    return -1;
  }
  CsvSource *src = calloc((size_t)embedded_nfiles + 1, sizeof *src);
  int n = 0;
  if (!src) return -1;
  for (int i = 0; i < embedded_nfiles; i++) {
    const char *p = embedded_files[i].path;
    size_t len = strlen(p);
    if (strncmp(p, "fixtures/", 9) != 0 || len < 13 ||
        strcmp(p + len - 4, ".csv") != 0)
      continue;
    src[n].table = strndup(p + 9, len - 13);
    src[n].file = strdup(p);
    src[n].data = (char *)embedded_files[i].data;
    src[n].n = embedded_files[i].len;
    n++;
  }
  long rows = import_tables(sh->db, src, n, 0, &err);
  for (int i = 0; i < n; i++) {
    free(src[i].table);
    free(src[i].file);
  }
  free(src);
  if (rows < 0) {
    fprintf(stderr, "error: demo data: %s\n", err ? err : "?");
    sqlite3_free(err);
    return -1;
  }
  return 0;
}
