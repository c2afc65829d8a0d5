/*
** fuzz_csv.c -- libFuzzer target: the shell's all-or-nothing CSV importer
** (shell/csv.c: csv_import() and import_tables()) on the canonical schema.
**
**   make fuzz                     (mk/fuzz.mk builds and runs it)
**   $(B)/fuzz/fuzz_csv tests/fuzz/corpus_csv -max_total_time=60
**
** Input: the first line names the table, the rest is the CSV text
** ("doctor\nid,name,...\n...").  An input whose first line is "*" holds
** several tables, each section starting with a line "@@ TABLE", and goes
** through import_tables() (foreign-key order, one transaction), as
** .import-dir does.  Every input runs on a fresh in-memory database with
** sql/schema.sql (embedded in the shell, build/gen/resources.c) and a
** plain table t(a, b, c).
**
** Besides sanitizer findings it checks the all-or-nothing promise: a failed
** import leaves every table's row count as it was, a successful one adds
** at most the rows it reports (fewer when rows replace existing ones, as
** in settings, whose defaults the schema inserts).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "territory.h"

static sqlite3 *open_db(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  territory_register(db);
  sqlite3_exec(db, "PRAGMA foreign_keys=ON", 0, 0, 0);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
  const EmbeddedFile *schema = embedded_find("sql/schema.sql");
  if (schema) {
    char *sql = malloc(schema->len + 1);
    if (!sql) abort();
    memcpy(sql, schema->data, schema->len);
    sql[schema->len] = 0;
    if (sqlite3_exec(db, sql, 0, 0, 0) != SQLITE_OK) {
      fprintf(stderr, "fuzz_csv: sql/schema.sql failed: %s\n", sqlite3_errmsg(db));
      abort();
    }
    free(sql);
  }
  sqlite3_exec(db, "CREATE TABLE t(a, b, c)", 0, 0, 0);
  return db;
}

/* Sum of the row counts of every table: what an import may change. */
static long total_rows(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  long sum = 0;
  if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                             "AND name NOT LIKE 'sqlite_%'", -1, &st, NULL) != SQLITE_OK)
    return -1;
  while (sqlite3_step(st) == SQLITE_ROW) {
    char *q = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", sqlite3_column_text(st, 0));
    sqlite3_stmt *c = NULL;
    if (q && sqlite3_prepare_v2(db, q, -1, &c, NULL) == SQLITE_OK && sqlite3_step(c) == SQLITE_ROW)
      sum += sqlite3_column_int64(c, 0);
    sqlite3_finalize(c);
    sqlite3_free(q);
  }
  sqlite3_finalize(st);
  return sum;
}

static void check_counts(sqlite3 *db, long before, long imported) {
  long after = total_rows(db);
  long most = before + (imported > 0 ? imported : 0);
  if (imported < 0 ? after != before : (after < before || after > most)) {
    fprintf(stderr, "fuzz_csv: import reported %ld rows; tables went from %ld to %ld rows\n",
            imported, before, after);
    abort();
  }
  if (!sqlite3_get_autocommit(db)) {
    fprintf(stderr, "fuzz_csv: import left a transaction open\n");
    abort();
  }
}

/* Copies [p, e) to a NUL-terminated malloc'd string. */
static char *dup_range(const char *p, const char *e) {
  char *s = malloc((size_t)(e - p) + 1);
  if (!s) abort();
  memcpy(s, p, (size_t)(e - p));
  s[e - p] = 0;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 200000) return 0;
  const char *d = (const char *)data, *end = d + size;
  const char *nl = memchr(d, '\n', size);
  if (!nl) return 0;
  sqlite3 *db = open_db();
  if (!db) return 0;
  long before = total_rows(db);
  char *err = NULL;
  long rows;
  if (nl - d == 1 && d[0] == '*') {
    CsvSource src[8];
    int n = 0;
    const char *p = nl + 1;
    while (p < end && n < 8) {
      if (end - p < 3 || memcmp(p, "@@ ", 3) != 0) break;
      const char *tn = p + 3;
      const char *te = memchr(tn, '\n', (size_t)(end - tn));
      if (!te) break;
      const char *body = te + 1, *q = body;
      while (q < end && !(q[0] == '@' && q + 2 < end && q[1] == '@' && q[2] == ' ' &&
                          (q == body || q[-1] == '\n')))
        q++;
      src[n].table = dup_range(tn, te);
      src[n].file = dup_range(tn, te);
      src[n].data = dup_range(body, q);
      src[n].n = (size_t)(q - body);
      n++;
      p = q;
    }
    rows = import_tables(db, src, n, 0, &err);
    for (int i = 0; i < n; i++) {
      free(src[i].table);
      free(src[i].file);
      free(src[i].data);
    }
  } else {
    char *table = dup_range(d, nl);
    /* the importer's input is not NUL-terminated in general: give it an
    ** exact-size copy so ASan sees any read past the end */
    size_t n = (size_t)(end - nl - 1);
    char *body = malloc(n ? n : 1);
    if (!body) abort();
    memcpy(body, nl + 1, n);
    rows = csv_import(db, table, body, n, &err);
    free(body);
    free(table);
  }
  if (rows < 0 && err == NULL) {
    fprintf(stderr, "fuzz_csv: import failed without a message\n");
    abort();
  }
  sqlite3_free(err);
  check_counts(db, before, rows);
  sqlite3_close(db);
  return 0;
}
