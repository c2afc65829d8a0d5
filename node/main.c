/*
** territory-node -- one member of a replicated territory database: a dqlite
** node (Raft-replicated SQLite) whose every connection has the territory
** extension, so the shell (build/territory dqlite://HOST:PORT,.../territory)
** and any dqlite client run territory functions and reports on the leader.
**
**   territory-node --id 1 --address 127.0.0.1:9001 --data /var/lib/t1
**   territory-node --id 2 --address 127.0.0.1:9002 --data /var/lib/t2 --join 127.0.0.1:9001
**
** Node 1 bootstraps a new cluster the first time it starts; every other node
** names one or more members with --join and adds itself (ADD, then ASSIGN as
** a voter) -- dqlite 1.11 has no automatic join.  A restart with the same
** --id and --data rejoins as it was; the node catches up from the leader.
**
** Traps of dqlite 1.11 this program closes on every connection:
**   - SIGPIPE would kill a follower whose peer went away: ignored.
**   - PRAGMA journal_mode/page_size/locking_mode/wal_autocheckpoint changes
**     and wal_checkpoint crash or corrupt the node; ATTACH/DETACH run but
**     their writes fail: the authorizer refuses them (dqlite's own set-up
**     values stay allowed).
**   - A transaction larger than the page cache spills pages into the WAL
**     early and later fails with a short read: cache_spill is turned off.
**   - A statement that writes AND returns rows (INSERT ... RETURNING) goes
**     through the query path, which does not replicate it, and corrupts the
**     VFS on the next write: it is interrupted before its first step.
**
** It logs (stderr) when the leader changes, and stops cleanly on SIGTERM or
** SIGINT (dqlite_node_stop: in-flight requests finish, connections close).
** --latency-ms (default 50) is the one-way network latency dqlite plans its
** heartbeats (1.5 x) and election timeout (15 x) with.  Lower fails over
** faster (20 ms: about 0.6 s, bench/NODE.md) but SQL runs on the leader's
** event loop, so a statement longer than the election timeout costs the
** leader its leadership; dqlite's own default (3 s) fails over in ~4 s.
*/
#define _GNU_SOURCE
#include "dqc.h"
#include "territory.h"

#include <dqlite.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) { (void)sig; g_stop = 1; }

static unsigned long long g_id;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char when[32];
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
  fprintf(stderr, "%s.%03ldZ territory-node %llu: ", when, ts.tv_nsec / 1000000, g_id);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
}

/* ---------------------------------------------------------------- guards */

static int node_authorizer(void *arg, int op, const char *a1, const char *a2,
                           const char *a3, const char *a4) {
  (void)arg; (void)a3; (void)a4;
  if (op == SQLITE_ATTACH || op == SQLITE_DETACH) return SQLITE_DENY;
  if (op != SQLITE_PRAGMA || a1 == NULL) return SQLITE_OK;
  if (!strcasecmp(a1, "wal_checkpoint")) return SQLITE_DENY;
  if (a2 == NULL) return SQLITE_OK;   /* reading a setting is harmless */
  /* the values dqlite sets itself on each connection it opens */
  if (!strcasecmp(a1, "journal_mode")) return strcasecmp(a2, "wal") ? SQLITE_DENY : SQLITE_OK;
  if (!strcasecmp(a1, "page_size")) return strcmp(a2, "4096") ? SQLITE_DENY : SQLITE_OK;
  if (!strcasecmp(a1, "wal_autocheckpoint")) return strcmp(a2, "0") ? SQLITE_DENY : SQLITE_OK;
  if (!strcasecmp(a1, "locking_mode")) return SQLITE_DENY;
  return SQLITE_OK;
}

/* First step of every statement: one that writes and returns rows (RETURNING)
** is interrupted before it runs.  PRAGMAs are the authorizer's business. */
static int node_trace(unsigned type, void *ctx, void *p, void *x) {
  (void)type; (void)x;
  sqlite3_stmt *st = p;
  if (sqlite3_column_count(st) == 0 || sqlite3_stmt_readonly(st)) return 0;
  const char *sql = sqlite3_sql(st);
  while (sql && (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')) sql++;
  if (sql && !strncasecmp(sql, "pragma", 6)) return 0;
  sqlite3_interrupt((sqlite3 *)ctx);
  return 0;
}

static int node_conn_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  int rc = sqlite3_territory_init(db, err, api);
  if (rc != SQLITE_OK) return rc;
  /* A transaction larger than the page cache would spill dirty pages into
  ** the WAL before it commits, and dqlite 1.11's VFS then fails a later read
  ** of them (SQLITE_IOERR_SHORT_READ): keep them in memory until commit. */
  rc = sqlite3_exec(db, "PRAGMA cache_spill=OFF", NULL, NULL, NULL);
  if (rc != SQLITE_OK) return rc;
  /* territory_set_authorizer, not sqlite3_set_authorizer: allocate and
  ** smart_check sandbox their query text with an authorizer of their own,
  ** which consults this one too and puts it back afterwards. */
  rc = territory_set_authorizer(db, node_authorizer, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_trace_v2(db, SQLITE_TRACE_STMT, node_trace, db);
  return rc;
}

/* ---------------------------------------------------------------- join */

/* Adds this node to the cluster reached through `join` and makes it a
** voter.  Returns 0 when done, -1 to retry later. */
static int join_cluster(const char *join, const char *self) {
  DqConn *c = NULL;
  char *err = NULL;
  if (dqc_connect_leader(join, 2000, &c, &err) != DQ_OK) {
    logf_("join: %s (retrying)", err ? err : "no leader");
    free(err);
    return -1;
  }
  DqNode *nodes = NULL;
  int n = 0, rc = -1, role = -1;
  if (dqc_cluster(c, &nodes, &n) != DQ_OK) {
    logf_("join: cluster list from %s: %s", dqc_address(c), dqc_errmsg(c));
    goto out;
  }
  for (int i = 0; i < n; i++) {
    if (nodes[i].id != g_id) continue;
    if (strcmp(nodes[i].address, self) != 0) {
      logf_("join: id %llu is already in the cluster at %s, not %s", g_id,
            nodes[i].address, self);
      goto out;
    }
    role = nodes[i].role;
  }
  if (role == -1) {
    if (dqc_add(c, g_id, self) != DQ_OK) {
      logf_("join: add via %s: %s", dqc_address(c), dqc_errmsg(c));
      goto out;
    }
    logf_("join: added to the cluster via %s", dqc_address(c));
    role = DQ_SPARE;
  }
  if (role != DQ_VOTER) {
    if (dqc_assign(c, g_id, DQ_VOTER) != DQ_OK) {
      logf_("join: assign voter via %s: %s", dqc_address(c), dqc_errmsg(c));
      goto out;
    }
    logf_("join: now a voter");
  }
  rc = 0;
out:
  dqc_nodes_free(nodes, n);
  dqc_close(c);
  return rc;
}

/* ---------------------------------------------------------------- main */

static void usage(void) {
  fprintf(stderr,
          "usage: territory-node --id N --address HOST:PORT --data DIR [--join HOST:PORT,...]\n"
          "                      [--latency-ms N]\n"
          "  node 1 bootstraps a new cluster; other nodes --join any member.\n");
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  const char *address = NULL, *data = NULL, *join = NULL;
  unsigned latency = 50;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(); return 0; }
    if (!v) { usage(); return 2; }
    if (!strcmp(a, "--id")) {
      char *end;
      g_id = strtoull(v, &end, 10);
      if (*end || g_id == 0) { fprintf(stderr, "territory-node: --id must be a positive integer, got %s\n", v); return 2; }
    } else if (!strcmp(a, "--address")) address = v;
    else if (!strcmp(a, "--data")) data = v;
    else if (!strcmp(a, "--join")) join = v;
    else if (!strcmp(a, "--latency-ms")) {
      char *end;
      unsigned long l = strtoul(v, &end, 10);
      if (*end || l == 0 || l > 3600000) { fprintf(stderr, "territory-node: --latency-ms must be 1..3600000, got %s\n", v); return 2; }
      latency = (unsigned)l;
    } else { usage(); return 2; }
    i++;
  }
  if (!g_id || !address || !data) { usage(); return 2; }
  if (g_id != 1 && !join && access(data, F_OK) != 0) {
    fprintf(stderr, "territory-node: node %llu needs --join HOST:PORT (only node 1 bootstraps a cluster)\n", g_id);
    return 2;
  }

  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  if (mkdir(data, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "territory-node: cannot create %s: %s\n", data, strerror(errno));
    return 1;
  }
  sqlite3_auto_extension((void (*)(void))node_conn_init);

  dqlite_node *node = NULL;
  int rv = dqlite_node_create(g_id, address, data, &node);
  if (rv == 0) rv = dqlite_node_set_bind_address(node, address);
  if (rv == 0) rv = dqlite_node_set_network_latency_ms(node, latency);
  if (rv == 0) rv = dqlite_node_start(node);
  if (rv != 0) {
    fprintf(stderr, "territory-node: cannot start node %llu at %s: %s\n", g_id, address,
            node ? dqlite_node_errmsg(node) : "out of memory");
    if (node) dqlite_node_destroy(node);
    return 1;
  }
  logf_("serving %s, data in %s (dqlite %d)", address, data, dqlite_version_number());

  int joined = join == NULL;
  uint64_t last_leader = (uint64_t)-1;
  DqConn *self = NULL;
  double next_join = 0;
  while (!g_stop) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = now.tv_sec + now.tv_nsec / 1e9;
    if (!joined && t >= next_join) {
      joined = join_cluster(join, address) == 0;
      next_join = t + 1.0;
    }
    if (!self) {
      char *err = NULL;
      if (dqc_connect(address, 1000, &self, &err) != DQ_OK) self = NULL;
      free(err);
    }
    if (self) {
      uint64_t id = 0;
      char *who = NULL;
      if (dqc_leader(self, &id, &who) != DQ_OK) {
        dqc_close(self);
        self = NULL;
      } else if (id != last_leader) {
        if (id == 0) logf_("no leader");
        else if (id == g_id) logf_("leader: this node (%s)", who);
        else logf_("leader: node %llu at %s", (unsigned long long)id, who);
        last_leader = id;
      }
      free(who);
    }
    sleep_ms(100);
  }
  logf_("stopping");
  dqc_close(self);
  rv = dqlite_node_stop(node);
  dqlite_node_destroy(node);
  logf_("stopped%s", rv ? " (with an error)" : "");
  return rv ? 1 : 0;
}
