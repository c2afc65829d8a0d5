/*
** smoke_static.c -- the extension linked statically (libterritory.a, or the
** amalgamation dist/territory.c built with -DSQLITE_CORE) and registered
** for every new connection with sqlite3_auto_extension.
**
**   smoke_static tests/clients/smoke.tsv
**
** Prints one line per failure and ends with "N passed, N failed".
*/
#include <stdio.h>
#include <string.h>

#include "territory.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: smoke_static smoke.tsv\n");
    return 2;
  }
  sqlite3_auto_extension((void (*)(void))sqlite3_territory_init);
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 2;
  printf("# SQLite %s\n", sqlite3_libversion());
  FILE *f = fopen(argv[1], "r");
  if (!f) return 2;
  char line[4096];
  int passed = 0, failed = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, "\n")] = 0;
    char *name = line, *query = strchr(name, '\t');
    if (!query) continue;
    *query++ = 0;
    char *expected = strchr(query, '\t');
    if (!expected) continue;
    *expected++ = 0;
    sqlite3_stmt *st;
    char got[512];
    if (sqlite3_prepare_v2(db, query, -1, &st, 0) != SQLITE_OK) {
      snprintf(got, sizeof got, "error: %s", sqlite3_errmsg(db));
    } else {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW)
        snprintf(got, sizeof got, "%s",
                 sqlite3_column_type(st, 0) == SQLITE_NULL ? "NULL"
                                                           : (const char *)sqlite3_column_text(st, 0));
      else
        snprintf(got, sizeof got, "error: %s", sqlite3_errmsg(db));
      sqlite3_finalize(st);
    }
    if (strcmp(got, expected) == 0) {
      passed++;
    } else {
      failed++;
      printf("static %s: expected '%s', got '%s'\n", name, expected, got);
    }
  }
  fclose(f);
  sqlite3_close(db);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
