/*
** dqc.h -- a small client for the dqlite wire protocol (version 1), the
** protocol territory-node speaks (node/), so the shell can open
** dqlite://host:port,host:port/territory as it opens a file.  Plain
** sockets: it needs no dqlite library.
**
** Two layers:
**
**   DqConn    one TCP connection to one node: handshake, then one request
**             at a time (leader, open, prepare, exec, query, finalize,
**             exec_sql, query_sql, cluster, add, assign, remove, dump).
**   dqc_connect_leader()
**             tries every address of a list until it reaches the leader
**             (asks each node who leads, then checks with the leader
**             itself), retrying until a deadline: what a client does after
**             the leader died.
**
**   DqConn *c;  char *err;
**   if (dqc_connect_leader("127.0.0.1:9001,127.0.0.1:9002", 5000, &c, &err)) ...
**   uint32_t db;  dqc_open(c, "territory", &db);
**   dqc_exec_sql(c, db, "CREATE TABLE t(x)", NULL, 0, NULL);
**   DqValue v = {.type = DQ_INTEGER, .i = 42};
**   dqc_exec_sql(c, db, "INSERT INTO t VALUES (?)", &v, 1, NULL);
**   dqc_query_sql(c, db, "SELECT x FROM t", NULL, 0, on_row, ctx);
**   dqc_close(c);
**
** Every call returns DQ_OK, DQ_FAIL (the server answered with a failure:
** dqc_errcode() is its SQLite code, dqc_errmsg() its message) or DQ_IO
** (the connection broke or timed out: the node is gone; dqc_errmsg() says
** how).  After DQ_IO the connection is useless; reconnect.
**
** Statement parameters are positional in the protocol (at most 255 per
** request in this version of it); dqc_param_index() numbers :name, @name,
** $name, ? and ?NNN the way SQLite does, so callers can bind by name.
*/
#ifndef TERRITORY_DQC_H
#define TERRITORY_DQC_H

#include <stddef.h>
#include <stdint.h>

#define DQ_OK 0
#define DQ_FAIL 1
#define DQ_IO 2

/* Value types of the protocol (SQLite's codes plus dqlite's three). */
#define DQ_INTEGER 1
#define DQ_FLOAT 2
#define DQ_TEXT 3
#define DQ_BLOB 4
#define DQ_NULL 5
#define DQ_UNIXTIME 9
#define DQ_ISO8601 10
#define DQ_BOOLEAN 11

/* dqlite's extended codes for "this node does not lead (any more)". */
#define DQ_NOT_LEADER 10250        /* SQLITE_IOERR_NOT_LEADER */
#define DQ_LEADERSHIP_LOST 10506   /* SQLITE_IOERR_LEADERSHIP_LOST */

/* Node roles in the cluster configuration. */
#define DQ_VOTER 0
#define DQ_STANDBY 1
#define DQ_SPARE 2

typedef struct DqValue {
  int type;
  int64_t i;            /* INTEGER, UNIXTIME, BOOLEAN */
  double f;             /* FLOAT */
  const char *s;        /* TEXT, ISO8601, BLOB (not NUL-terminated for BLOB) */
  size_t n;             /* bytes of s */
} DqValue;

typedef struct DqNode {
  uint64_t id;
  char *address;
  int role;
} DqNode;

typedef struct DqConn DqConn;

/* Called once with row == NULL and the column names before the first row
** (also when there are no rows), then once per row.  Names and values are
** valid only during the call.  Return non-zero to stop handing rows over
** (the remaining rows are still read and dropped). */
typedef int (*dq_row_fn)(void *ctx, int ncol, char **names, const DqValue *row);

/* Connects to one node and does the handshake; timeout_ms bounds the
** connect and every later read and write.  Returns DQ_OK or DQ_IO with
** *err (free()). */
int dqc_connect(const char *address, int timeout_ms, DqConn **out, char **err);
/* Connects to the leader of a cluster, given a comma-separated list of node
** addresses (any members), retrying for up to wait_ms. */
int dqc_connect_leader(const char *addresses, int wait_ms, DqConn **out,
                       char **err);
void dqc_close(DqConn *c);

const char *dqc_address(const DqConn *c);
const char *dqc_errmsg(const DqConn *c);
int dqc_errcode(const DqConn *c);
/* 1 when the last failure means the node no longer leads (or is gone):
** find the leader again. */
int dqc_lost_leader(const DqConn *c, int rc);

/* Who leads, as this node knows it: id 0 and address "" when none. */
int dqc_leader(DqConn *c, uint64_t *id, char **address);
int dqc_open(DqConn *c, const char *name, uint32_t *db);
int dqc_prepare(DqConn *c, uint32_t db, const char *sql, uint32_t *stmt,
                uint64_t *nparams);
/* last_id and changes may be NULL. */
int dqc_exec(DqConn *c, uint32_t db, uint32_t stmt, const DqValue *p, int np,
             uint64_t *last_id, uint64_t *changes);
int dqc_query(DqConn *c, uint32_t db, uint32_t stmt, const DqValue *p, int np,
              dq_row_fn fn, void *ctx);
int dqc_finalize(DqConn *c, uint32_t db, uint32_t stmt);
/* One statement of SQL text (dqlite runs every statement of a text in one
** exec by recursion; callers split long scripts). */
int dqc_exec_sql(DqConn *c, uint32_t db, const char *sql, const DqValue *p,
                 int np, uint64_t *changes);
int dqc_query_sql(DqConn *c, uint32_t db, const char *sql, const DqValue *p,
                  int np, dq_row_fn fn, void *ctx);
/* The cluster's members (*nodes: free with dqc_nodes_free). */
int dqc_cluster(DqConn *c, DqNode **nodes, int *n);
void dqc_nodes_free(DqNode *nodes, int n);
int dqc_add(DqConn *c, uint64_t id, const char *address);
int dqc_assign(DqConn *c, uint64_t id, int role);
int dqc_remove(DqConn *c, uint64_t id);
/* The database file and its WAL as the leader holds them (malloc'd). */
int dqc_dump(DqConn *c, const char *name, unsigned char **db, size_t *ndb,
             unsigned char **wal, size_t *nwal);

/* ---- encoding, exposed for tests */

/* Encodes one request (type, body of nbody bytes, a multiple of 8) into a
** message: header word + body.  Returns the message length. */
size_t dqc_encode_header(unsigned char *hdr, int type, int schema, size_t nbody);
/* Parameter tuple (format of EXEC/QUERY requests): returns bytes written
** into out (cap bytes), or 0 when it does not fit or np > 255. */
size_t dqc_encode_params(unsigned char *out, size_t cap, const DqValue *p, int np);
/* Decodes one row tuple of ncol values from buf[*pos..n); returns 0, or -1
** when malformed.  Text values point into buf. */
int dqc_decode_row(const unsigned char *buf, size_t n, size_t *pos, int ncol,
                   DqValue *out);

/* The index SQLite gives each parameter of sql: for i in 1..count,
** names[i-1] is ":x"/"@x"/"$x", "?NNN" or NULL for a bare '?'.  Returns the
** number of parameters, or -1 on memory failure; *names: dqc_names_free. */
int dqc_param_names(const char *sql, char ***names);
void dqc_names_free(char **names, int n);

#endif
