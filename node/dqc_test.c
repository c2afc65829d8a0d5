/*
** dqc_test.c -- tests of the dqlite wire-protocol client (shell/dqc.c) and
** of territory-node's guards, against a running cluster.
**
**   build/dqc-test HOST:PORT,HOST:PORT,...      (tests/suites/node.sh runs it)
**   build/dqc-test --dump HOST:PORT NAME FILE   that node's copy of NAME
**   build/dqc-test --leader HOST:PORT           who leads, as that node knows
**
** First the encodings against byte sequences worked out by hand from
** dqlite's doc/protocol.md, then every request against the cluster: the
** leader, open, prepare/exec/query/finalize with every value type,
** exec_sql/query_sql, a result of several batches, errors, the cluster
** list, a dump, and the node's refusals (journal_mode, ATTACH, RETURNING).
** Prints one line per failure and ends with "N passed, N failed".
*/
#include "dqc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int P, F;

#define CHECK(cond, ...)                                  \
  do {                                                    \
    if (cond) P++;                                        \
    else {                                                \
      F++;                                                \
      printf("FAILED %s:%d: ", __FILE__, __LINE__);       \
      printf(__VA_ARGS__);                                \
      printf("\n");                                       \
    }                                                     \
  } while (0)

/* ---- offline: encodings */

static void test_encoding(void) {
  unsigned char h[8];
  CHECK(dqc_encode_header(h, 4, 0, 24) == 32 && h[0] == 3 && h[1] == 0 && h[4] == 4 &&
            h[5] == 0 && h[6] == 0 && h[7] == 0,
        "header of a 3-word PREPARE");

  /* (42, 'hi', NULL): count 3, types 1 3 5, padding to a word, then
  ** 42 as a word, "hi\0" padded to a word, a zero word */
  DqValue p[3] = {{.type = DQ_INTEGER, .i = 42}, {.type = DQ_TEXT, .s = "hi", .n = 2},
                  {.type = DQ_NULL}};
  unsigned char b[64];
  size_t n = dqc_encode_params(b, sizeof b, p, 3);
  static const unsigned char want[32] = {3, 1, 3, 5, 0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0,
                                         'h', 'i', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(n == 32 && memcmp(b, want, 32) == 0, "params (42,'hi',NULL): %zu bytes", n);

  /* 7 parameters fill the header word exactly (1 + 7 bytes); 8 need two */
  DqValue seven[8];
  for (int i = 0; i < 8; i++) seven[i] = (DqValue){.type = DQ_INTEGER, .i = i};
  CHECK(dqc_encode_params(b, sizeof b, seven, 7) == 8 + 7 * 8, "7 params: one header word");
  unsigned char big[128];
  CHECK(dqc_encode_params(big, sizeof big, seven, 8) == 16 + 8 * 8, "8 params: two header words");
  CHECK(dqc_encode_params(b, 8, p, 3) == 0, "params that do not fit: 0");

  /* a row of (float 1.5, blob 01 02 03, -1): header nibbles 2,4 | 1 */
  unsigned char row[40] = {0x42, 0x01, 0, 0, 0, 0, 0, 0};
  double d = 1.5;
  memcpy(row + 8, &d, 8);
  row[16] = 3;
  row[24] = 1; row[25] = 2; row[26] = 3;
  memset(row + 32, 0xff, 8);
  DqValue v[3];
  size_t pos = 0;
  int rc = dqc_decode_row(row, sizeof row, &pos, 3, v);
  CHECK(rc == 0 && pos == 40 && v[0].type == DQ_FLOAT && v[0].f == 1.5 &&
            v[1].type == DQ_BLOB && v[1].n == 3 && memcmp(v[1].s, "\1\2\3", 3) == 0 &&
            v[2].type == DQ_INTEGER && v[2].i == -1,
        "decode (1.5, x'010203', -1): rc %d pos %zu", rc, pos);
  pos = 0;
  CHECK(dqc_decode_row(row, 20, &pos, 3, v) == -1, "a truncated row is an error");

  char **names = NULL;
  int k = dqc_param_names("SELECT :a, ?, 'x:y', \"q?\", @b, :a, ?5, $c -- :z\n", &names);
  CHECK(k == 6 && !strcmp(names[0], ":a") && names[1] == NULL && !strcmp(names[2], "@b") &&
            names[3] == NULL && !strcmp(names[4], "?5") && !strcmp(names[5], "$c"),
        "parameter numbering like SQLite's: %d", k);
  dqc_names_free(names, k);
}

/* ---- online */

typedef struct Rows {
  int n, ncol, headers;
  char first[256];
  long long sum;
  int types[8];
  char name0[64];
} Rows;

static int collect(void *ctx, int ncol, char **names, const DqValue *row) {
  Rows *r = ctx;
  if (row == NULL) {
    r->headers++;
    return 0;
  }
  if (r->n == 0) {
    r->ncol = ncol;
    snprintf(r->name0, sizeof r->name0, "%s", names[0]);
    for (int j = 0; j < ncol && j < 8; j++) r->types[j] = row[j].type;
    if (row[0].type == DQ_TEXT) snprintf(r->first, sizeof r->first, "%.*s", (int)row[0].n, row[0].s);
    else if (row[0].type == DQ_FLOAT) snprintf(r->first, sizeof r->first, "%.17g", row[0].f);
    else snprintf(r->first, sizeof r->first, "%lld", (long long)row[0].i);
  }
  if (row[0].type == DQ_INTEGER) r->sum += row[0].i;
  r->n++;
  return 0;
}

static void test_online(const char *addrs) {
  DqConn *c = NULL;
  char *err = NULL;
  int rc = dqc_connect_leader(addrs, 10000, &c, &err);
  CHECK(rc == DQ_OK, "connect to the leader of %s: %s", addrs, err ? err : "");
  free(err);
  if (rc != DQ_OK) return;

  uint64_t id = 0;
  char *addr = NULL;
  rc = dqc_leader(c, &id, &addr);
  CHECK(rc == DQ_OK && id > 0 && addr && !strcmp(addr, dqc_address(c)),
        "the leader names itself: %s vs %s", addr ? addr : "-", dqc_address(c));
  free(addr);

  DqNode *nodes = NULL;
  int n = 0;
  rc = dqc_cluster(c, &nodes, &n);
  int voters = 0, has_leader = 0;
  for (int i = 0; i < n; i++) {
    voters += nodes[i].role == DQ_VOTER;
    has_leader += nodes[i].id == id;
  }
  CHECK(rc == DQ_OK && n == 3 && voters == 3 && has_leader == 1,
        "cluster: %d nodes, %d voters", n, voters);
  dqc_nodes_free(nodes, n);

  uint32_t db = 99;
  rc = dqc_open(c, "dqc-test", &db);
  CHECK(rc == DQ_OK && db == 0, "open: rc %d db %u %s", rc, db, dqc_errmsg(c));

  rc = dqc_exec_sql(c, db, "DROP TABLE IF EXISTS t", NULL, 0, NULL);
  CHECK(rc == DQ_OK, "drop: %s", dqc_errmsg(c));
  rc = dqc_exec_sql(c, db, "CREATE TABLE t(i INTEGER, f REAL, s TEXT, b BLOB, z)", NULL, 0, NULL);
  CHECK(rc == DQ_OK, "create: %s", dqc_errmsg(c));

  uint32_t st = 0;
  uint64_t np = 0;
  rc = dqc_prepare(c, db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", &st, &np);
  CHECK(rc == DQ_OK && np == 5, "prepare insert: %d params, %s", (int)np, dqc_errmsg(c));
  long long want = 0;
  for (int i = 1; i <= 3000; i++) {
    char text[32];
    snprintf(text, sizeof text, "row %d, 行 %d", i, i);
    DqValue p[5] = {{.type = DQ_INTEGER, .i = i}, {.type = DQ_FLOAT, .f = i / 4.0},
                    {.type = DQ_TEXT, .s = text, .n = strlen(text)},
                    {.type = DQ_BLOB, .s = "\0\1\2", .n = 3}, {.type = DQ_NULL}};
    uint64_t last = 0, changes = 0;
    rc = dqc_exec(c, db, st, p, 5, &last, &changes);
    if (rc != DQ_OK || changes != 1 || last != (uint64_t)i) {
      CHECK(0, "insert row %d: rc %d changes %llu last %llu %s", i, rc,
            (unsigned long long)changes, (unsigned long long)last, dqc_errmsg(c));
      break;
    }
    want += i;
  }
  CHECK(dqc_finalize(c, db, st) == DQ_OK, "finalize: %s", dqc_errmsg(c));
  CHECK(dqc_exec(c, db, st, NULL, 0, NULL, NULL) == DQ_FAIL, "exec of a finalized statement fails");

  /* 3000 rows take several batches (a batch is about a page) */
  Rows r = {0};
  rc = dqc_query_sql(c, db, "SELECT i, f, s, b, z FROM t ORDER BY i", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK && r.n == 3000 && r.sum == want && r.ncol == 5 && !strcmp(r.name0, "i") &&
            r.types[0] == DQ_INTEGER && r.types[1] == DQ_FLOAT && r.types[2] == DQ_TEXT &&
            r.types[3] == DQ_BLOB && r.types[4] == DQ_NULL,
        "query 3000 rows: rc %d n %d sum %lld (want %lld) %s", rc, r.n, r.sum, want, dqc_errmsg(c));

  DqValue key = {.type = DQ_INTEGER, .i = 7};
  memset(&r, 0, sizeof r);
  rc = dqc_prepare(c, db, "SELECT s FROM t WHERE i = ?", &st, &np);
  if (rc == DQ_OK) rc = dqc_query(c, db, st, &key, 1, collect, &r);
  CHECK(rc == DQ_OK && r.n == 1 && !strcmp(r.first, "row 7, 行 7"), "query by parameter: '%s'", r.first);
  dqc_finalize(c, db, st);

  /* the territory extension is on the node's connections */
  memset(&r, 0, sizeof r);
  rc = dqc_query_sql(c, db, "SELECT dept_potential(40, 0.5, 2, 22)", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK && r.n == 1 && !strcmp(r.first, "880"), "dept_potential on the node: %s %s",
        r.first, dqc_errmsg(c));

  memset(&r, 0, sizeof r);
  rc = dqc_query_sql(c, db, "PRAGMA cache_spill", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK && r.n == 1 && !strcmp(r.first, "0"), "cache_spill is off on the node: %s", r.first);

  /* allocate's query sandbox chains with the node's authorizer.  1,000,000
  ** by weights 418000:312500:269300 (sum 999800), by hand: exact shares
  ** 418083.62, 312562.51, 269353.87; floors sum to 999998; the 2 left go to
  ** the largest remainders (.87 Zhao, .62 Li) */
  memset(&r, 0, sizeof r);
  rc = dqc_query_sql(c, db, "SELECT group_concat(amount, ',') FROM (SELECT amount FROM "
                     "allocate(1000000, 'VALUES (''Li'', 418000), (''Wang'', 312500), "
                     "(''Zhao'', 269300)') ORDER BY key)", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK && r.n == 1 && !strcmp(r.first, "418084,312562,269354"),
        "allocate on the node: %s %s", r.first, dqc_errmsg(c));
  rc = dqc_query_sql(c, db, "SELECT * FROM allocate(10, 'ATTACH ''x.db'' AS x')", NULL, 0,
                     collect, &r);
  CHECK(rc == DQ_FAIL, "allocate's query text cannot ATTACH on the node");

  /* errors */
  rc = dqc_exec_sql(c, db, "INSERT INTO nosuch VALUES (1)", NULL, 0, NULL);
  CHECK(rc == DQ_FAIL && strstr(dqc_errmsg(c), "no such table: nosuch"), "error text: %s", dqc_errmsg(c));
  rc = dqc_query_sql(c, db, "SELECT count(*) FROM t", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK, "the connection works after an error: %s", dqc_errmsg(c));

  /* the node's guards */
  rc = dqc_exec_sql(c, db, "PRAGMA journal_mode=DELETE", NULL, 0, NULL);
  CHECK(rc == DQ_FAIL && strstr(dqc_errmsg(c), "not authorized"), "journal_mode refused: %s", dqc_errmsg(c));
  rc = dqc_exec_sql(c, db, "PRAGMA page_size=8192", NULL, 0, NULL);
  CHECK(rc == DQ_FAIL, "page_size refused: %s", dqc_errmsg(c));
  rc = dqc_exec_sql(c, db, "PRAGMA wal_checkpoint", NULL, 0, NULL);
  CHECK(rc == DQ_FAIL, "wal_checkpoint refused: %s", dqc_errmsg(c));
  rc = dqc_exec_sql(c, db, "ATTACH 'x.db' AS x", NULL, 0, NULL);
  CHECK(rc == DQ_FAIL && strstr(dqc_errmsg(c), "not authorized"), "ATTACH refused: %s", dqc_errmsg(c));
  memset(&r, 0, sizeof r);
  rc = dqc_query_sql(c, db, "INSERT INTO t(i) VALUES (-1) RETURNING i", NULL, 0, collect, &r);
  CHECK(rc == DQ_FAIL && r.n == 0, "INSERT ... RETURNING refused: rc %d %s", rc, dqc_errmsg(c));
  memset(&r, 0, sizeof r);
  rc = dqc_query_sql(c, db, "SELECT count(*) FROM t WHERE i = -1", NULL, 0, collect, &r);
  CHECK(rc == DQ_OK && r.n == 1 && !strcmp(r.first, "0"), "RETURNING wrote nothing: %s", r.first);
  /* and the database still takes writes (the trap corrupted the next one) */
  rc = dqc_exec_sql(c, db, "INSERT INTO t(i) VALUES (3001)", NULL, 0, NULL);
  CHECK(rc == DQ_OK, "a write after the refusals: %s", dqc_errmsg(c));

  unsigned char *dbf = NULL, *wal = NULL;
  size_t ndb = 0, nwal = 0;
  rc = dqc_dump(c, "dqc-test", &dbf, &ndb, &wal, &nwal);
  CHECK(rc == DQ_OK && ndb >= 4096 && ndb % 4096 == 0 && memcmp(dbf, "SQLite format 3", 16) == 0,
        "dump: rc %d, %zu bytes + %zu of WAL %s", rc, ndb, nwal, dqc_errmsg(c));
  free(dbf);
  free(wal);
  dqc_exec_sql(c, db, "DROP TABLE t", NULL, 0, NULL);
  dqc_close(c);

  DqConn *bad = NULL;
  rc = dqc_connect("127.0.0.1:1", 500, &bad, &err);
  CHECK(rc == DQ_IO && err && strstr(err, "127.0.0.1:1"), "a dead address: %s", err ? err : "");
  free(err);
}

/* --dump ADDR NAME FILE: the database as that node holds it (a follower
** answers from its own copy), written to FILE and FILE-wal. */
static int dump_node(const char *addr, const char *name, const char *file) {
  DqConn *c = NULL;
  char *err = NULL;
  if (dqc_connect(addr, 5000, &c, &err) != DQ_OK) {
    fprintf(stderr, "dqc-test: %s\n", err);
    free(err);
    return 1;
  }
  unsigned char *db = NULL, *wal = NULL;
  size_t ndb = 0, nwal = 0;
  int rc = dqc_dump(c, name, &db, &ndb, &wal, &nwal);
  if (rc != DQ_OK) fprintf(stderr, "dqc-test: dump from %s: %s\n", addr, dqc_errmsg(c));
  char walname[4096];
  snprintf(walname, sizeof walname, "%s-wal", file);
  FILE *f = rc == DQ_OK ? fopen(file, "wb") : NULL;
  if (f) { fwrite(db, 1, ndb, f); fclose(f); }
  f = rc == DQ_OK && nwal ? fopen(walname, "wb") : NULL;
  if (f) { fwrite(wal, 1, nwal, f); fclose(f); }
  free(db);
  free(wal);
  dqc_close(c);
  return rc == DQ_OK ? 0 : 1;
}

/* --leader ADDR: the id of the leader as that node knows it (0: none). */
static int node_leader(const char *addr) {
  DqConn *c = NULL;
  char *err = NULL, *who = NULL;
  uint64_t id = 0;
  if (dqc_connect(addr, 2000, &c, &err) != DQ_OK || dqc_leader(c, &id, &who) != DQ_OK) id = 0;
  printf("%llu\n", (unsigned long long)id);
  free(err);
  free(who);
  dqc_close(c);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && !strcmp(argv[1], "--dump")) return dump_node(argv[2], argv[3], argv[4]);
  if (argc == 3 && !strcmp(argv[1], "--leader")) return node_leader(argv[2]);
  test_encoding();
  if (argc > 1) test_online(argv[1]);
  printf("%d passed, %d failed\n", P, F);
  return F ? 1 : 0;
}
