/*
** fuzz_sql.c -- libFuzzer target: every SQL function and table-valued
** function of territory, with arbitrary arguments and arbitrary SQL.
**
**   make fuzz                     (mk/fuzz.mk builds and runs it)
**   $(B)/fuzz/fuzz_sql tests/fuzz/corpus_sql -max_total_time=60
**
** The first byte chooses how the rest of the input is read:
**
**   even: SQL text, run statement by statement on a fresh in-memory
**         database with the extension registered and a small schema
**         (tables w, fz, view goals) in place;
**   odd:  structured: byte 1 picks a function, byte 2 the number of rows,
**         and the rest is decoded into typed values (NULL, 64-bit integers,
**         raw doubles, text, blobs and a table of awkward values) that fill
**         the table fz(c1..c12).  The function then runs over fz in every
**         form it has: scalar per row, aggregate, window (sliding and whole
**         partition), and for allocate/smart_check as table-valued
**         functions, laterally too.
**
** Nothing can hang or touch files: a progress handler stops any statement
** after a fixed number of VM steps, text and blobs are limited to 1 MB,
** ATTACH is impossible (SQLITE_LIMIT_ATTACHED 0, which also stops
** VACUUM INTO), and the process works in a fresh temporary directory.
** Errors are expected; crashes, leaks and sanitizer reports are not.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "territory.h"

#define STEP_BUDGET 200000 /* progress callbacks of 100 ops: 2e7 VM ops */

static int g_steps;

static int progress(void *p) {
  (void)p;
  return ++g_steps > STEP_BUDGET / 100;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char dir[] = "/tmp/territory-fuzz-sql-XXXXXX";
  if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
    perror("fuzz_sql: temporary directory");
    abort();
  }
  return 0;
}

static const char *const kSchema =
    "CREATE TABLE w(k TEXT, v INTEGER, lo, hi);"
    "INSERT INTO w VALUES ('a', 1, NULL, NULL), ('b', 3, 1, 10), ('c', 0, 0, 2);"
    "CREATE TABLE fz(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12);"
    "CREATE VIEW goals AS SELECT c1 AS id, c2 AS owner, c3 AS product,"
    " c4 AS metric, c5 AS baseline, c6 AS target, c7 AS potential,"
    " c8 AS start_date, c9 AS due_date, c10 AS min_growth, c11 AS max_growth,"
    " c12 AS max_days FROM fz;"
    "CREATE VIEW goals_min AS SELECT c1 AS id, c2 AS owner, c3 AS product,"
    " c4 AS metric, c5 AS baseline, c6 AS target, c7 AS potential,"
    " c8 AS start_date, c9 AS due_date FROM fz;";

static sqlite3 *open_db(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  territory_register(db);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 200);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 50);
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 10);
  sqlite3_progress_handler(db, 100, progress, NULL);
  if (sqlite3_exec(db, kSchema, 0, 0, 0) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* Runs every statement of sql, stepping through all rows. */
static void run_sql(sqlite3 *db, const char *sql) {
  const char *z = sql;
  while (z && *z) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    g_steps = 0;
    int rc = sqlite3_prepare_v2(db, z, -1, &st, &tail);
    if (rc != SQLITE_OK) break;
    if (tail == z) break;
    z = tail;
    if (!st) continue;
    int n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && ++n < 100000) {
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        /* touch every result as text too: conversions are code paths */
        (void)sqlite3_column_text(st, i);
      }
    }
    sqlite3_finalize(st);
  }
}

/* ---- structured mode */

typedef struct Reader {
  const uint8_t *p;
  size_t n;
} Reader;

static int rd_byte(Reader *r) {
  if (r->n == 0) return -1;
  r->n--;
  return *r->p++;
}

static uint64_t rd_u64(Reader *r) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) {
    int b = rd_byte(r);
    v = (v << 8) | (uint64_t)(b < 0 ? 0 : b);
  }
  return v;
}

static const char *const kSpecialText[] = {
    "", " ", "abc", "12abc", " 12 ", "1e3", "1e999", "-1e999", "NaN", "inf",
    "0x10", "2026-02-28", "2026-02-29", "2024-02-29", "2026-13-01",
    "2026-02-30", "0000-01-01", "9999-12-31", "10000-01-01", "2026-1-5",
    "2461041.5", "A", "b", "D", "E", "sales", "share", "coverage", "growth",
    "SELECT 1, 2", "w", "main.w", "\"w\"", "goals", "9223372036854775808",
    "-9223372036854775808", "00000000000000000000000001", "\xe7\x9b\xae\xe6\xa0\x87",
    "\xff\xfe", "1.5", "0.8000000000000002", "0.05"};

static const double kSpecialReal[] = {
    0.0, -0.0, 0.5, 1.0, -1.0, 1e308, -1e308, 1.7976931348623157e308, 5e-324,
    9007199254740992.0, 9007199254740993.0, 9223372036854775808.0, 0.1, 0.8,
    0.95, 2461041.5, 1721059.5, 5373484.499999, 100.0, 100.0000001, 1e-9};

static const int64_t kSpecialInt[] = {
    0, 1, -1, 2, 10, 22, 100, 1000, INT64_MAX, INT64_MIN, INT64_MAX - 1,
    INT64_MIN + 1, 9007199254740993LL, 2461042, 1721060, 5373484, 1000000,
    4294967296LL, 2147483647, -2147483648LL};

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void bind_next(sqlite3_stmt *st, int idx, Reader *r) {
  int t = rd_byte(r);
  if (t < 0) {
    sqlite3_bind_null(st, idx);
    return;
  }
  switch (t % 8) {
    case 0:
      sqlite3_bind_null(st, idx);
      break;
    case 1: {
      uint64_t u = rd_u64(r);
      int64_t v;
      memcpy(&v, &u, sizeof v);
      sqlite3_bind_int64(st, idx, v);
      break;
    }
    case 2: {
      uint64_t u = rd_u64(r);
      double d;
      memcpy(&d, &u, sizeof d);
      sqlite3_bind_double(st, idx, d);
      break;
    }
    case 3: {
      int len = rd_byte(r);
      if (len < 0) len = 0;
      if ((size_t)len > r->n) len = (int)r->n;
      sqlite3_bind_text(st, idx, (const char *)r->p, len, SQLITE_TRANSIENT);
      r->p += len;
      r->n -= (size_t)len;
      break;
    }
    case 4: {
      int len = rd_byte(r);
      if (len < 0) len = 0;
      if ((size_t)len > r->n) len = (int)r->n;
      sqlite3_bind_blob(st, idx, r->p, len, SQLITE_TRANSIENT);
      r->p += len;
      r->n -= (size_t)len;
      break;
    }
    case 5: {
      int k = rd_byte(r);
      sqlite3_bind_text(st, idx, kSpecialText[(k < 0 ? 0 : k) % N_ELEMS(kSpecialText)], -1,
                        SQLITE_STATIC);
      break;
    }
    case 6: {
      int k = rd_byte(r);
      sqlite3_bind_double(st, idx, kSpecialReal[(k < 0 ? 0 : k) % N_ELEMS(kSpecialReal)]);
      break;
    }
    default: {
      int k = rd_byte(r);
      sqlite3_bind_int64(st, idx, kSpecialInt[(k < 0 ? 0 : k) % N_ELEMS(kSpecialInt)]);
      break;
    }
  }
}

typedef struct Fn {
  const char *name;
  int nArg;      /* scalar: arguments; aggregates: 1 or 2 */
  int aggregate;
} Fn;

static const Fn kFns[] = {
    {"median", 1, 1},           {"percentile", 2, 1},      {"percentile_cont", 2, 1},
    {"percentile_disc", 2, 1},  {"dept_potential", 4, 0},  {"inpatient_volume", 4, 0},
    {"rx_share", 2, 0},         {"headroom", 2, 0},        {"quadrant", 4, 0},
    {"quadrant_focus", 1, 0},   {"decile", 3, 0},          {"abc_class", 1, 0},
    {"abc_class", 2, 0},        {"abc_class", 3, 0},       {"achievement", 2, 0},
    {"time_progress", 3, 0},    {"workday_progress", 3, 0}, {"workdays", 2, 0},
    {"pace", 5, 0},             {"run_rate", 4, 0},        {"pace_status", 5, 0},
    {"pace_status", 6, 0},      {"aging_bucket", 2, 0},    {"bar", 3, 0},
    {"bar", 4, 0},              {"territory_version", 0, 0},
    {"allocate", -1, 0},        {"smart_check", -1, 0}};

static void structured(sqlite3 *db, const uint8_t *data, size_t size) {
  Reader r = {data, size};
  int fsel = rd_byte(&r), nrows = rd_byte(&r);
  if (fsel < 0) return;
  const Fn *fn = &kFns[fsel % N_ELEMS(kFns)];
  nrows = nrows < 0 ? 1 : nrows % 9;
  sqlite3_stmt *ins = NULL;
  if (sqlite3_prepare_v2(db, "INSERT INTO fz VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1, &ins,
                         NULL) != SQLITE_OK)
    return;
  for (int row = 0; row < nrows; row++) {
    for (int c = 1; c <= 12; c++) bind_next(ins, c, &r);
    g_steps = 0;
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);

  char sql[1024];
  if (strcmp(fn->name, "allocate") == 0) {
    static const char *const forms[] = {
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), 'SELECT c2, c3 FROM fz')",
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), 'SELECT c2, c3, c4 FROM fz')",
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), 'SELECT c2, c3, c4, c5 FROM fz')",
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), 'SELECT c2, c3, c4, c5 FROM fz "
        "WHERE ?1 IS NOT ?2', (SELECT c6 FROM fz LIMIT 1), (SELECT c7 FROM fz LIMIT 1))",
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), (SELECT c2 FROM fz LIMIT 1))",
        "SELECT f.c1, a.* FROM fz f, allocate(f.c1, 'SELECT k, v, lo, hi FROM w "
        "WHERE ?1 IS NOT NULL OR 1', f.c2) a",
        "SELECT * FROM allocate((SELECT c1 FROM fz LIMIT 1), 'SELECT key, amount FROM "
        "allocate(7, ''w'')')"};
    for (int i = 0; i < N_ELEMS(forms); i++) run_sql(db, forms[i]);
    return;
  }
  if (strcmp(fn->name, "smart_check") == 0) {
    run_sql(db, "SELECT * FROM smart_check('goals')");
    run_sql(db, "SELECT * FROM smart_check('goals_min')");
    run_sql(db, "SELECT * FROM smart_check((SELECT c1 FROM fz LIMIT 1))");
    run_sql(db, "SELECT c.id, j.value FROM smart_check('SELECT * FROM goals') c, "
                "json_each(c.problems) j");
    return;
  }
  char args[256] = "";
  int n = 0;
  for (int i = 0; i < fn->nArg; i++)
    n += snprintf(args + n, sizeof args - (size_t)n, "%sc%d", i ? ", " : "", i + 1);
  if (fn->aggregate) {
    snprintf(sql, sizeof sql, "SELECT %s(%s) FROM fz", fn->name, args);
    run_sql(db, sql);
    snprintf(sql, sizeof sql, "SELECT %s(%s) FROM fz GROUP BY c3", fn->name, args);
    run_sql(db, sql);
    snprintf(sql, sizeof sql, "SELECT %s(%s) OVER (ORDER BY rowid ROWS BETWEEN 1 PRECEDING "
                              "AND 1 FOLLOWING) FROM fz", fn->name, args);
    run_sql(db, sql);
    snprintf(sql, sizeof sql, "SELECT %s(%s) OVER (PARTITION BY c4) FROM fz", fn->name, args);
    run_sql(db, sql);
    snprintf(sql, sizeof sql, "SELECT %s(%s) OVER (ORDER BY c5 RANGE BETWEEN CURRENT ROW AND "
                              "UNBOUNDED FOLLOWING EXCLUDE TIES) FROM fz", fn->name, args);
    run_sql(db, sql);
  } else {
    snprintf(sql, sizeof sql, "SELECT %s(%s) FROM fz", fn->name, args);
    run_sql(db, sql);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 100000) return 0;
  sqlite3 *db = open_db();
  if (!db) return 0;
  if ((data[0] & 1) == 0) {
    char *sql = malloc(size);
    if (sql) {
      memcpy(sql, data + 1, size - 1);
      sql[size - 1] = 0;
      run_sql(db, sql);
      free(sql);
    }
  } else {
    structured(db, data + 1, size - 1);
  }
  sqlite3_close(db);
  return 0;
}
