/*
** authorizer.c -- the application's authorizer and territory's query gate
** live together (ext/query.h, territory_set_authorizer in territory.h):
**   - while allocate/smart_check prepare their query text, the recorded
**     application authorizer is asked too, and its "deny" and "ignore"
**     stand;
**   - afterwards the application's authorizer is installed again (the
**     chain is restored), and with none recorded none is left behind;
**   - territory_set_authorizer refuses a connection territory is not on.
*/
#include <stdio.h>
#include <string.h>

#include "territory.h"
#include "unit.h"

typedef struct Seen {
  int calls;         /* every call */
  int reads_secret;  /* SQLITE_READ of table "secret" */
} Seen;

/* Denies reading table secret, hides column t.hidden (SQLITE_IGNORE: it
** reads as NULL), allows everything else. */
static int app_auth(void *p, int action, const char *a, const char *b,
                    const char *db, const char *ctx) {
  (void)db;
  (void)ctx;
  Seen *s = p;
  s->calls++;
  if (action == SQLITE_READ && a && strcmp(a, "secret") == 0) {
    s->reads_secret++;
    return SQLITE_DENY;
  }
  if (action == SQLITE_READ && a && b && strcmp(a, "t") == 0 && strcmp(b, "hidden") == 0)
    return SQLITE_IGNORE;
  return SQLITE_OK;
}

/* First column of the first row as text ("" for NULL); the error message
** when the statement fails. */
static void run(sqlite3 *db, const char *sql, char *out, size_t n) {
  sqlite3_stmt *st = NULL;
  out[0] = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(out, n, "error: %s", sqlite3_errmsg(db));
    return;
  }
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const unsigned char *z = sqlite3_column_text(st, 0);
    snprintf(out, n, "%s", z ? (const char *)z : "");
  } else if (rc != SQLITE_DONE) {
    snprintf(out, n, "error: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(st);
}

UNIT_TEST(authorizer_chain_restored) {
  sqlite3 *db = unit_open();
  char got[512];
  sqlite3_exec(db,
               "CREATE TABLE t(k, w, hidden); INSERT INTO t VALUES ('a', 1, 5), ('b', 3, 7);"
               "CREATE TABLE secret(k, w); INSERT INTO secret VALUES ('x', 1);",
               NULL, NULL, NULL);
  Seen seen = {0, 0};
  CHECK(territory_set_authorizer(db, app_auth, &seen) == SQLITE_OK,
        "territory_set_authorizer failed");

  /* a query the application allows runs, and the application was asked */
  int before = seen.calls;
  run(db, "SELECT group_concat(amount) FROM allocate(8, 'SELECT k, w FROM t')", got, sizeof got);
  CHECK(strcmp(got, "2,6") == 0, "allowed query: expected 2,6, got '%s'", got);
  CHECK(seen.calls > before, "the application's authorizer was not asked");

  /* what the application denies inside query text stays denied */
  int secret_before = seen.reads_secret;
  run(db, "SELECT count(*) FROM allocate(8, 'secret')", got, sizeof got);
  CHECK(strstr(got, "allocate: query failed: access to secret.k is prohibited") != NULL,
        "denied table through allocate: expected SQLite's refusal, got '%s'", got);
  CHECK(seen.reads_secret > secret_before, "the app's deny was not consulted");

  /* its SQLITE_IGNORE stands too: the hidden column reads as NULL, so
  ** allocate sees a NULL weight and says so */
  run(db, "SELECT count(*) FROM allocate(8, 'SELECT k, hidden FROM t')", got, sizeof got);
  CHECK(strstr(got, "allocate: weight must not be NULL for key 'a'") != NULL,
        "ignored column: expected a NULL weight error, got '%s'", got);

  /* territory's own refusal still applies with an app authorizer */
  run(db, "SELECT count(*) FROM allocate(8, 'SELECT name, 1 FROM pragma_table_info(''t'')')",
      got, sizeof got);
  CHECK(strstr(got, "allocate: query may not use pragma_table_info (query text can only "
                    "read tables and views)") != NULL,
        "pragma table through allocate: got '%s'", got);

  /* after all that, the application's authorizer is the one installed:
  ** top-level SQL is judged by it alone (secret denied, pragma tables
  ** allowed, as the application decided) */
  run(db, "SELECT count(*) FROM secret", got, sizeof got);
  CHECK(strstr(got, "not authorized") != NULL,
        "chain not restored: top-level read of secret gave '%s'", got);
  run(db, "SELECT count(*) FROM pragma_table_info('t')", got, sizeof got);
  CHECK(strcmp(got, "3") == 0,
        "chain not restored: top-level pragma_table_info gave '%s'", got);
  run(db, "SELECT count(*) FROM smart_check('SELECT 1 AS id, 1 AS owner, 1 AS product, "
          "''sales'' AS metric, 1 AS baseline, 2 AS target, 3 AS potential, "
          "''2026-01-01'' AS start_date, ''2026-12-31'' AS due_date')",
      got, sizeof got);
  CHECK(strcmp(got, "1") == 0, "smart_check with an app authorizer: got '%s'", got);
  run(db, "SELECT count(*) FROM secret", got, sizeof got);
  CHECK(strstr(got, "not authorized") != NULL,
        "chain not restored after smart_check: top-level read of secret gave '%s'", got);

  /* removing it: nothing of the application's or ours is left installed */
  CHECK(territory_set_authorizer(db, NULL, NULL) == SQLITE_OK, "removing failed");
  run(db, "SELECT count(*) FROM allocate(8, 'SELECT k, w FROM t')", got, sizeof got);
  CHECK(strcmp(got, "2") == 0, "allocate without an app authorizer: got '%s'", got);
  run(db, "SELECT count(*) FROM secret", got, sizeof got);
  CHECK(strcmp(got, "1") == 0, "app authorizer still installed: got '%s'", got);
  run(db, "SELECT count(*) FROM pragma_table_info('t')", got, sizeof got);
  CHECK(strcmp(got, "3") == 0, "territory's authorizer left installed: got '%s'", got);
  sqlite3_close(db);
}

UNIT_TEST(authorizer_needs_territory) {
  sqlite3 *db = NULL;
  sqlite3_open(":memory:", &db);
  Seen seen = {0, 0};
  CHECK(territory_set_authorizer(db, app_auth, &seen) == SQLITE_MISUSE,
        "territory_set_authorizer on a connection without territory should be MISUSE");
  sqlite3_close(db);
}

/* Registering territory again (loading the extension twice) keeps the
** recorded authorizer. */
UNIT_TEST(authorizer_survives_reregistration) {
  sqlite3 *db = unit_open();
  char got[512];
  sqlite3_exec(db, "CREATE TABLE secret(k, w); INSERT INTO secret VALUES ('x', 1);", NULL,
               NULL, NULL);
  Seen seen = {0, 0};
  territory_set_authorizer(db, app_auth, &seen);
  CHECK(territory_register(db) == SQLITE_OK, "second registration failed");
  run(db, "SELECT count(*) FROM allocate(8, 'secret')", got, sizeof got);
  CHECK(strstr(got, "access to secret.k is prohibited") != NULL,
        "after re-registration the app's deny was lost: got '%s'", got);
  run(db, "SELECT count(*) FROM secret", got, sizeof got);
  CHECK(strstr(got, "not authorized") != NULL, "chain not restored: got '%s'", got);
  sqlite3_close(db);
}

/* A lateral allocate runs its query once per parent row and may keep the
** prepared statement between rows.  With an application authorizer
** (putting it back expires the kept statement) and without one, on 3.40
** and on current SQLite (tests/suites/current_sqlite.sh runs this too):
** the application is asked about the child table on every run, and the
** amounts are right. */
static int count_child_reads(void *p, int action, const char *a, const char *b,
                             const char *db, const char *ctx) {
  (void)b;
  (void)db;
  (void)ctx;
  if (action == SQLITE_READ && a && strcmp(a, "child") == 0) ++*(int *)p;
  return SQLITE_OK;
}

UNIT_TEST(authorizer_lateral_checked_every_time) {
  sqlite3 *db = unit_open();
  char got[512];
  sqlite3_exec(db,
               "CREATE TABLE parent(id INTEGER PRIMARY KEY, amount INTEGER);"
               "INSERT INTO parent VALUES (1, 10), (2, 20), (3, 30), (4, 40);"
               "CREATE TABLE child(parent INTEGER, k TEXT, w INTEGER);"
               "INSERT INTO child SELECT id, 'x', 1 FROM parent;"
               "INSERT INTO child SELECT id, 'y', 4 FROM parent;",
               NULL, NULL, NULL);
  int reads = 0;
  territory_set_authorizer(db, count_child_reads, &reads);
  run(db, "SELECT group_concat(a.amount) FROM parent p, "
          "allocate(p.amount, 'SELECT k, w FROM child WHERE parent = ?1', p.id) a",
      got, sizeof got);
  CHECK(strcmp(got, "2,8,4,16,6,24,8,32") == 0, "lateral amounts: got '%s'", got);
  CHECK(reads >= 4, "the child table was checked %d times for 4 parents", reads);
  /* without one, the statement is kept (SQLite 3.40) or prepared again
  ** (newer SQLite, which expires statements on any authorizer change):
  ** the same amounts either way */
  territory_set_authorizer(db, NULL, NULL);
  run(db, "SELECT group_concat(a.amount) FROM parent p, "
          "allocate(p.amount, 'SELECT k, w FROM child WHERE parent = ?1', p.id) a",
      got, sizeof got);
  CHECK(strcmp(got, "2,8,4,16,6,24,8,32") == 0, "lateral amounts without: got '%s'", got);
  sqlite3_close(db);
}
