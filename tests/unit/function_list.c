/*
** function_list.c -- the functions a connection gains by loading territory
** are exactly the ones docs/reference.md documents (a "### name(" heading
** each), no more and no fewer.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "territory.h"
#include "unit.h"

typedef struct Names {
  char *v[512];
  int n;
} Names;

static int has(const Names *s, const char *z) {
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->v[i], z) == 0) return 1;
  return 0;
}

static void add(Names *s, const char *z) {
  if (!has(s, z) && s->n < 512) s->v[s->n++] = strdup(z);
}

static void collect(sqlite3 *db, Names *s) {
  sqlite3_stmt *st;
  const char *sql =
      "SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list";
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) return;
  while (sqlite3_step(st) == SQLITE_ROW) add(s, (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

UNIT_TEST(function_list_matches_reference) {
  sqlite3 *plain = NULL;
  sqlite3_open(":memory:", &plain);
  Names before = {0}, after = {0}, added = {0}, documented = {0};
  collect(plain, &before);
  sqlite3_close(plain);
  sqlite3 *db = unit_open();
  collect(db, &after);
  sqlite3_close(db);
  for (int i = 0; i < after.n; i++)
    if (!has(&before, after.v[i])) add(&added, after.v[i]);
  /* functions territory overrides (e.g. a built-in median in a newer SQLite)
     are not "added"; list them from the docs instead */
  FILE *f = fopen("docs/reference.md", "r");
  CHECK(f != NULL, "docs/reference.md is missing (make docs)");
  if (f) {
    char line[1024];
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "### ", 4) != 0) continue;
      char *p = line + 4, *q = p;
      while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_') q++;
      if (*q != '(' || q == p) continue;
      *q = 0;
      add(&documented, p);
    }
    fclose(f);
  }
  for (int i = 0; i < added.n; i++)
    CHECK(has(&documented, added.v[i]), "function %s is registered but not documented",
          added.v[i]);
  for (int i = 0; i < documented.n; i++)
    CHECK(has(&after, documented.v[i]), "function %s is documented but not registered",
          documented.v[i]);
  CHECK(added.n > 0, "the extension registered no functions");
  Names *all[] = {&before, &after, &added, &documented};
  for (int k = 0; k < 4; k++)
    for (int i = 0; i < all[k]->n; i++) free(all[k]->v[i]);
}
