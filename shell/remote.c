/*
** remote.c -- the shell on a replicated territory database: opening
** dqlite://HOST:PORT[,HOST:PORT...]/NAME (a territory-node cluster, see
** node/) runs SQL, .report, .import, .import-dir, .init, .tables, .schema
** and .cluster on the cluster's leader through the wire protocol (dqc.c).
**
** The shell keeps a local :memory: connection (sh->db) for what needs no
** data (typing .param values, completion); these functions take over where
** the shell would run SQL on sh->db when sh->remote is set:
**
**   remote_open()        connects to the leader, opens NAME
**   remote_exec_sql()    statement by statement, like exec.c
**   remote_report_run()  a report on a snapshot of the database (dqlite's
**                        dump) in the local engine, so it never stalls the
**                        cluster; one that changes rows outside TEMP there
**                        (seen by an update hook) runs on the leader, every
**                        statement on one connection in one transaction,
**                        its results printed once it committed
**   remote_import()      .import / .import-dir: the CSV goes through the
**                        shell's own importer on a snapshot of the cluster's
**                        database (dqlite's dump) -- same checks, same error
**                        messages -- then exactly the rows it added are sent
**                        in one transaction, batched (multi-row INSERTs of
**                        at most 255 parameters), never one giant exec
**   remote_cluster()     .cluster: the members, their roles, the leader
**   remote_on_snapshot() a dot-command that reads reports through sh->db
**                        (.excel, .html) runs with sh->db on a snapshot
**
** A leader change is followed: the client finds the new leader (up to 20 s)
** and retries what cannot have been applied -- a query, a statement the
** old leader refused as "not leader", a report or import whose transaction
** had not been committed, a snapshot cut off.  A write in flight when the leader died, or a
** transaction the user opened with BEGIN, is reported as lost, never
** retried blindly (it may have been applied; the user decides).
**
** dqlite 1.11 quirks handled here: QUERY on a statement without result
** columns fails before running it ("not an error"), so it is then run with
** EXEC; an error raised while a query steps arrives as the column count and
** first column name, so the statement is run once more with EXEC (it reads
** only) to get the real message; NULL in a DATE/DATETIME column arrives as
** the empty ISO-8601 text and is shown as NULL again.
*/
#define _GNU_SOURCE
#include "dqc.h"
#include "report.h"
#include "shell.h"
#include "territory.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* how long to look for a leader: when opening (nothing may be running),
** and after losing one (an election takes about a second) */
#define OPEN_WAIT_MS 5000
#define LEADER_WAIT_MS 20000
#define ATTEMPTS 4

struct Remote {
  char *addrs;      /* "h:p,h:p" */
  char *name;       /* database name in the cluster */
  DqConn *c;        /* NULL: reconnect before the next request */
  uint32_t db;
  int in_tx;        /* the user opened a transaction (BEGIN) */
};

/* Outcome of one attempt at a statement. */
enum { RS_OK, RS_ERR, RS_LOST_SAFE, RS_LOST_UNKNOWN };

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- connection */

static void rdrop(Remote *r) {
  dqc_close(r->c);
  r->c = NULL;
}

/* Makes sure r->c is an open connection to the leader; 0 or -1 with *err. */
static int rconnect_wait(Remote *r, int wait_ms, char **err) {
  if (r->c) return 0;
  char *e = NULL;
  if (dqc_connect_leader(r->addrs, wait_ms, &r->c, &e) != DQ_OK) {
    *err = sqlite3_mprintf("%s", e ? e : "no leader");
    free(e);
    return -1;
  }
  if (dqc_open(r->c, r->name, &r->db) != DQ_OK) {
    *err = sqlite3_mprintf("cannot open %s on %s: %s", r->name, dqc_address(r->c),
                           dqc_errmsg(r->c));
    rdrop(r);
    return -1;
  }
  return 0;
}

static int rconnect(Remote *r, char **err) { return rconnect_wait(r, LEADER_WAIT_MS, err); }

int remote_open(Shell *sh, const char *url) {
  const char *p = url + strlen("dqlite://");
  const char *slash = strchr(p, '/');
  Remote *r = calloc(1, sizeof *r);
  if (!r) return -1;
  r->addrs = slash ? strndup(p, (size_t)(slash - p)) : strdup(p);
  r->name = strdup(slash && slash[1] ? slash + 1 : "territory");
  if (!r->addrs || !r->name || !*r->addrs) {
    fprintf(stderr, "error: cannot open %s: write dqlite://HOST:PORT[,HOST:PORT...]/NAME\n", url);
    remote_free(r);
    return -1;
  }
  char *err = NULL;
  if (rconnect_wait(r, OPEN_WAIT_MS, &err)) {
    fprintf(stderr, "error: cannot open %s: %s\n", url, err);
    sqlite3_free(err);
    remote_free(r);
    return -1;
  }
  /* the local connection: .param typing, completion; no data */
  if (shell_open(sh, ":memory:")) {
    remote_free(r);
    return -1;
  }
  free(sh->dbname);
  sh->dbname = strdup(url);
  sh->remote = r;
  return 0;
}

void remote_free(Remote *r) {
  if (!r) return;
  rdrop(r);
  free(r->addrs);
  free(r->name);
  free(r);
}

/* ---------------------------------------------------------------- values */

/* A value typed by a person (12, 1.5, 'text', text) as report_bind_typed()
** reads it, by binding it to "SELECT ?" on the local connection. */
static int typed_value(Shell *sh, const char *text, DqValue *v, char **owned) {
  sqlite3_stmt *st = NULL;
  memset(v, 0, sizeof *v);
  v->type = DQ_NULL;
  if (!text) return 0;
  if (sqlite3_prepare_v2(sh->db, "SELECT ?1", -1, &st, NULL) != SQLITE_OK) return -1;
  int rc = report_bind_typed(st, 1, text);
  if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    switch (sqlite3_column_type(st, 0)) {
      case SQLITE_INTEGER: v->type = DQ_INTEGER; v->i = sqlite3_column_int64(st, 0); break;
      case SQLITE_FLOAT: v->type = DQ_FLOAT; v->f = sqlite3_column_double(st, 0); break;
      case SQLITE_TEXT:
        v->type = DQ_TEXT;
        v->n = (size_t)sqlite3_column_bytes(st, 0);
        *owned = strndup((const char *)sqlite3_column_text(st, 0), v->n);
        v->s = *owned;
        if (!*owned) rc = SQLITE_NOMEM;
        break;
      default: break;
    }
  }
  sqlite3_finalize(st);
  return rc == SQLITE_OK ? 0 : -1;
}

/* Values for the parameters of sql, looked up by name: lookup(name) gives
** the typed text or NULL (unset: NULL).  *np = count; free with free_params. */
typedef const char *(*lookup_fn)(void *ctx, const char *name);

static void free_params(DqValue *v, char **owned, int n) {
  for (int i = 0; i < n; i++) free(owned[i]);
  free(owned);
  free(v);
}

static int make_params(Shell *sh, const char *sql, lookup_fn look, void *ctx,
                       DqValue **pv, char ***powned, int *np) {
  char **names = NULL;
  int n = dqc_param_names(sql, &names);
  *pv = NULL;
  *powned = NULL;
  *np = 0;
  if (n < 0) return -1;
  DqValue *v = calloc((size_t)n + 1, sizeof *v);
  char **owned = calloc((size_t)n + 1, sizeof *owned);
  int rc = (v && owned) ? 0 : -1;
  for (int i = 0; i < n && rc == 0; i++) {
    v[i].type = DQ_NULL;
    if (names[i] && names[i][0] != '?') rc = typed_value(sh, look(ctx, names[i] + 1), &v[i], &owned[i]);
  }
  dqc_names_free(names, n);
  if (rc) { free_params(v, owned, n); return -1; }
  *pv = v;
  *powned = owned;
  *np = n;
  return 0;
}

static const char *look_shell(void *ctx, const char *name) {
  Shell *sh = ctx;
  for (int k = 0; k < sh->nparam; k++)
    if (!strcmp(sh->params[k].name, name)) return sh->params[k].value;
  return NULL;
}

typedef struct ArgList { const ReportArg *args; int n; } ArgList;

static const char *look_args(void *ctx, const char *name) {
  ArgList *a = ctx;
  for (int k = 0; k < a->n; k++)
    if (!strcmp(a->args[k].name, name)) return a->args[k].value;
  return NULL;
}

/* ---------------------------------------------------------------- rows */

typedef struct Collect {
  Result *res;
  long maxrows;
  int failed;
} Collect;

static char *hex_blob(const unsigned char *p, size_t n) {
  char *r = malloc(n * 2 + 4), *o = r;
  if (!r) return NULL;
  *o++ = 'X';
  *o++ = '\'';
  for (size_t i = 0; i < n; i++) o += sprintf(o, "%02X", p[i]);
  *o++ = '\'';
  *o = 0;
  return r;
}

static int on_row(void *ctx, int ncol, char **names, const DqValue *row) {
  Collect *k = ctx;
  Result *r = k->res;
  if (row == NULL) {   /* the header, once */
    if (r->names) return 0;
    r->ncol = ncol;
    r->names = calloc((size_t)ncol + 1, sizeof(char *));
    if (!r->names) { k->failed = 1; return 1; }
    for (int j = 0; j < ncol; j++) r->names[j] = strdup(names[j]);
    return 0;
  }
  r->total++;
  if (k->maxrows > 0 && r->nrow >= k->maxrows) return 0;
  if (r->nrow == r->cap) {
    long nc = r->cap ? r->cap * 2 : 64;
    Cell *c = realloc(r->cells, sizeof(Cell) * (size_t)(nc * (r->ncol ? r->ncol : 1)));
    if (!c) { k->failed = 1; return 1; }
    r->cells = c;
    r->cap = nc;
  }
  Cell *out = &r->cells[r->nrow * r->ncol];
  for (int j = 0; j < r->ncol; j++) {
    const DqValue *v = &row[j];
    Cell *c = &out[j];
    c->text = NULL;
    c->num = 0;
    switch (v->type) {
      case DQ_INTEGER: case DQ_UNIXTIME: case DQ_BOOLEAN: {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)v->i);
        c->type = SQLITE_INTEGER;
        c->text = strdup(buf);
        c->num = (double)v->i;
        break;
      }
      case DQ_FLOAT:
        c->type = SQLITE_FLOAT;
        c->num = v->f;
        break;
      case DQ_BLOB:
        c->type = SQLITE_BLOB;
        c->text = hex_blob((const unsigned char *)v->s, v->n);
        break;
      case DQ_TEXT: case DQ_ISO8601:
        if (v->type == DQ_ISO8601 && v->n == 0) { c->type = SQLITE_NULL; break; }
        c->type = SQLITE_TEXT;
        c->text = strndup(v->s, v->n);
        break;
      default:
        c->type = SQLITE_NULL;
        break;
    }
  }
  r->nrow++;
  return 0;
}

static void print_result(Shell *sh, Result *r) {
  result_clear(&sh->last);
  sh->last = *r;
  memset(r, 0, sizeof *r);
  if (output_streams(sh)) {
    output_begin(sh, &sh->last);
    output_rows(sh, &sh->last, 0, sh->last.nrow);
    output_end(sh, &sh->last);
  } else {
    output_result(sh, &sh->last);
  }
}

/* ---------------------------------------------------------------- statements */

/* One attempt at one statement on the leader.  Rows go into *res (ncol 0:
** no result columns).  *wrote: 1 when it ran through EXEC.  On RS_ERR,
** *err is the message (sqlite3_free). */
static int run_once(Remote *r, const char *sql, const DqValue *p, int np, long maxrows,
                    Result *res, int *wrote, char **err) {
  DqConn *c = r->c;
  uint32_t st = 0;
  int rc = dqc_prepare(c, r->db, sql, &st, NULL);
  if (rc != DQ_OK) {
    if (dqc_lost_leader(c, rc)) return RS_LOST_SAFE;
    *err = sqlite3_mprintf("%s", dqc_errmsg(c));
    return RS_ERR;
  }
  Collect k = {res, maxrows, 0};
  rc = dqc_query(c, r->db, st, p, np, on_row, &k);
  int out = RS_OK;
  if (rc == DQ_OK) {
    if (k.failed) { *err = sqlite3_mprintf("out of memory"); out = RS_ERR; }
  } else if (dqc_lost_leader(c, rc)) {
    return RS_LOST_SAFE;   /* a query reads; a statement without columns did not run */
  } else if (dqc_errcode(c) == SQLITE_ERROR && !strcmp(dqc_errmsg(c), "not an error") &&
             res->names == NULL) {
    /* no result columns: run it for real */
    result_clear(res);
    *wrote = 1;
    rc = dqc_exec(c, r->db, st, p, np, NULL, NULL);
    if (rc != DQ_OK) {
      if (rc == DQ_FAIL && dqc_errcode(c) == DQ_NOT_LEADER) return RS_LOST_SAFE;
      if (dqc_lost_leader(c, rc)) return RS_LOST_UNKNOWN;
      *err = sqlite3_mprintf("%s", dqc_errmsg(c));
      out = RS_ERR;
    }
  } else {
    /* a query failed while stepping: ask again with EXEC for the message */
    char *first = sqlite3_mprintf("%s", dqc_errmsg(c));
    result_clear(res);
    rc = dqc_exec(c, r->db, st, p, np, NULL, NULL);
    if (rc == DQ_FAIL && dqc_errcode(c) != SQLITE_ROW && !dqc_lost_leader(c, rc))
      *err = sqlite3_mprintf("%s", dqc_errmsg(c));
    else if (dqc_lost_leader(c, rc)) {
      sqlite3_free(first);
      return RS_LOST_SAFE;
    } else
      *err = sqlite3_mprintf("query failed on the leader (dqlite reported: %s)", first);
    sqlite3_free(first);
    out = RS_ERR;
  }
  /* if the connection broke here, the statement has run: the next request
  ** fails as "not connected" and takes the lost-leader path */
  dqc_finalize(c, r->db, st);
  return out;
}

/* First keyword of a statement, upper-cased into buf. */
static void first_word(const char *sql, char *buf, size_t n) {
  size_t i = 0;
  while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') sql++;
  while (i + 1 < n && ((*sql >= 'a' && *sql <= 'z') || (*sql >= 'A' && *sql <= 'Z')))
    buf[i++] = (char)(*sql >= 'a' ? *sql++ - 32 : *sql++);
  buf[i] = 0;
}

static void track_tx(Remote *r, const char *sql) {
  char w[16];
  first_word(sql, w, sizeof w);
  if (!strcmp(w, "BEGIN")) r->in_tx = 1;
  else if (!strcmp(w, "COMMIT") || !strcmp(w, "END")) r->in_tx = 0;
  else if (!strcmp(w, "ROLLBACK")) {
    /* ROLLBACK TO keeps the transaction */
    const char *z = strcasestr(sql, "ROLLBACK") + 8;
    while (*z == ' ' || *z == '\t' || *z == '\n') z++;
    if (strncasecmp(z, "TO", 2) != 0 && strncasecmp(z, "TRANSACTION", 11) != 0) r->in_tx = 0;
    else if (!strncasecmp(z, "TRANSACTION", 11)) {
      z += 11;
      while (*z == ' ' || *z == '\t' || *z == '\n') z++;
      if (strncasecmp(z, "TO", 2) != 0) r->in_tx = 0;
    }
  }
}

/* One statement with leader changes followed.  Returns RS_OK or RS_ERR (*err). */
static int run_stmt(Remote *r, const char *sql, const DqValue *p, int np, long maxrows,
                    Result *res, int *wrote, char **err) {
  for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (rconnect(r, err)) return RS_ERR;
    int rc = run_once(r, sql, p, np, maxrows, res, wrote, err);
    if (rc == RS_OK || rc == RS_ERR) return rc;
    const char *why = dqc_errmsg(r->c);
    char *msg = sqlite3_mprintf("%s", why);
    rdrop(r);
    result_clear(res);
    if (r->in_tx) {
      r->in_tx = 0;
      *err = sqlite3_mprintf("the leader was lost (%s): the open transaction was rolled "
                             "back, nothing of it was committed", msg);
      sqlite3_free(msg);
      return RS_ERR;
    }
    if (rc == RS_LOST_UNKNOWN) {
      *err = sqlite3_mprintf("the leader was lost while it ran this write (%s): it may "
                             "or may not have been applied; check before running it again", msg);
      sqlite3_free(msg);
      return RS_ERR;
    }
    fprintf(stderr, "note: the leader was lost (%s); running the statement again on the new one\n", msg);
    sqlite3_free(msg);
  }
  *err = sqlite3_mprintf("the leader kept changing; gave up after %d attempts", ATTEMPTS);
  return RS_ERR;
}

/* End of the statement starting at z: after the ';' that completes it. */
static const char *stmt_end(const char *z) {
  size_t n = strlen(z);
  char *buf = malloc(n + 1);
  if (!buf) return z + n;
  for (size_t i = 0; i < n; i++) {
    buf[i] = z[i];
    if (z[i] != ';') continue;
    buf[i + 1] = 0;
    if (sqlite3_complete(buf)) {
      free(buf);
      return z + i + 1;
    }
  }
  free(buf);
  return z + n;
}

static int count_lines(const char *a, const char *b) {
  int n = 0;
  for (; a < b; a++) n += *a == '\n';
  return n;
}

int remote_exec_sql(Shell *sh, const char *sql, int first_line) {
  Remote *r = sh->remote;
  const char *z = sql;
  int line = first_line, failed = 0;
  while (*z && !g_interrupted) {
    const char *start = sql_skip_blank(z);
    line += count_lines(z, start);
    z = start;
    if (!*z) break;
    const char *end = stmt_end(z);
    char *one = strndup(z, (size_t)(end - z));
    sh->src_line = line;
    line += count_lines(z, end);
    z = end;
    if (!one) { shell_error(sh, "out of memory"); failed = 1; break; }
    DqValue *p = NULL;
    char **owned = NULL, *err = NULL;
    int np = 0, wrote = 0;
    double t0 = now();
    Result res = {0};
    if (make_params(sh, one, look_shell, sh, &p, &owned, &np)) {
      shell_error(sh, "cannot bind the parameters");
      failed = 1;
    } else if (run_stmt(r, one, p, np, sh->maxrows, &res, &wrote, &err) != RS_OK) {
      shell_error(sh, "%s", err ? err : "failed");
      failed = 1;
    } else {
      track_tx(r, one);
      if (res.ncol > 0) print_result(sh, &res);
    }
    result_clear(&res);
    sqlite3_free(err);
    free_params(p, owned, np);
    free(one);
    if (sh->timer) fprintf(stderr, "time: real %.3f s\n", now() - t0);
    if (failed && sh->bail) break;
  }
  sh->src_line = 0;
  return failed;
}

/* ---------------------------------------------------------------- transactions */

static int exec_simple(Remote *r, const char *sql) {
  if (!r->c) return DQ_IO;
  return dqc_exec_sql(r->c, r->db, sql, NULL, 0, NULL);
}

/* Opens the transaction a report or import runs in: BEGIN, or a savepoint
** inside the user's own transaction. */
static int tx_begin(Remote *r) {
  return exec_simple(r, r->in_tx ? "SAVEPOINT territory_remote" : "BEGIN");
}
static int tx_commit(Remote *r) {
  return exec_simple(r, r->in_tx ? "RELEASE territory_remote" : "COMMIT");
}
static void tx_rollback(Remote *r) {
  if (!r->c) return;
  if (r->in_tx) exec_simple(r, "ROLLBACK TO territory_remote; RELEASE territory_remote");
  else exec_simple(r, "ROLLBACK");
}

/* ---------------------------------------------------------------- reports */

static int line_of(const char *text, const char *p) {
  int line = 1;
  for (const char *z = text; z < p && *z; z++) line += *z == '\n';
  return line;
}

static int report_on_cluster(Shell *sh, const Report *rep, const ReportArg *args, int nargs,
                             char **err) {
  Remote *r = sh->remote;
  ArgList al = {args, nargs};
  *err = NULL;
  for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
    char *e = NULL;
    if (rconnect(r, &e)) {
      *err = strdup(e);
      sqlite3_free(e);
      return 1;
    }
    Result *results = NULL;
    int nres = 0, lost = 0, failed = 0, wrote = 0;
    int brc = tx_begin(r);
    if (brc != DQ_OK) {
      lost = dqc_lost_leader(r->c, brc);
      if (asprintf(err, "report %s: cannot start: %s", rep->name, dqc_errmsg(r->c)) < 0) *err = NULL;
      failed = 1;
    }
    const char *z = rep->sql;
    while (!failed && *(z = sql_skip_blank(z))) {
      const char *end = stmt_end(z);
      char *one = strndup(z, (size_t)(end - z));
      int line = line_of(rep->sql, z);
      z = end;
      DqValue *p = NULL;
      char **owned = NULL;
      int np = 0;
      Result res = {0};
      if (!one || make_params(sh, one, look_args, &al, &p, &owned, &np)) {
        if (asprintf(err, "report %s: line %d: cannot bind its parameters", rep->name, line) < 0) *err = NULL;
        failed = 1;
      } else {
        int rc = run_once(r, one, p, np, 0, &res, &wrote, &e);
        if (rc == RS_ERR) {
          if (asprintf(err, "report %s: line %d: %s", rep->name, line, e ? e : "failed") < 0) *err = NULL;
          failed = 1;
        } else if (rc != RS_OK) {
          failed = lost = 1;
        } else if (res.ncol > 0) {
          Result *nr = realloc(results, sizeof *results * (size_t)(nres + 1));
          if (nr) { results = nr; results[nres++] = res; memset(&res, 0, sizeof res); }
          else failed = 1;
        }
        sqlite3_free(e);
        e = NULL;
      }
      result_clear(&res);
      free_params(p, owned, np);
      free(one);
      if (g_interrupted && !failed) {
        if (asprintf(err, "interrupted") < 0) *err = NULL;
        failed = 1;
      }
    }
    if (!failed) {
      int rc = tx_commit(r);
      if (rc != DQ_OK && !(dqc_lost_leader(r->c, rc) && !wrote)) {
        if (dqc_lost_leader(r->c, rc)) {
          if (asprintf(err, "report %s: the leader was lost while committing (%s): its "
                       "writes may or may not have been applied", rep->name, dqc_errmsg(r->c)) < 0)
            *err = NULL;
          rdrop(r);
        } else if (asprintf(err, "report %s: cannot commit: %s", rep->name, dqc_errmsg(r->c)) < 0) {
          *err = NULL;
        }
        failed = 1;
        tx_rollback(r);
      } else if (rc != DQ_OK) {
        rdrop(r);   /* a report that only read: its results stand */
      }
    } else if (!lost) {
      tx_rollback(r);
    }
    if (!failed)
      for (int i = 0; i < nres; i++) print_result(sh, &results[i]);
    for (int i = 0; i < nres; i++) result_clear(&results[i]);
    free(results);
    if (!failed) return 0;
    if (!lost || r->in_tx) {
      if (lost && r->in_tx && !*err) {
        r->in_tx = 0;
        if (asprintf(err, "report %s: the leader was lost: the open transaction was "
                     "rolled back", rep->name) < 0) *err = NULL;
      }
      if (lost) rdrop(r);
      if (!*err && asprintf(err, "report %s: failed", rep->name) < 0) *err = NULL;
      return 1;
    }
    /* the leader died before the commit: nothing was applied, run it again */
    fprintf(stderr, "note: the leader was lost during report %s (nothing was committed); "
            "running it again on the new one\n", rep->name);
    free(*err);
    *err = NULL;
    rdrop(r);
  }
  if (asprintf(err, "report %s: the leader kept changing; gave up after %d attempts",
               rep->name, ATTEMPTS) < 0) *err = NULL;
  return 1;
}

/* ---------------------------------------------------------------- snapshots */

static sqlite3 *open_snapshot(Remote *r, const char *dir, char **err);
static void remove_dir(const char *dir);

static int on_snapshot_rows(void *ctx, sqlite3_stmt *st, int first_rc) {
  return shell_print_stmt(ctx, st, first_rc);
}

/* A snapshot of the cluster's database in dir (a throwaway copy), with the
** extension, taken from the leader (found again if it changed). */
static sqlite3 *snapshot_copy(Remote *r, const char *dir, char **err) {
  sqlite3 *snap = NULL;
  for (int attempt = 0; attempt < ATTEMPTS && !snap; attempt++) {
    char *e = NULL;
    if (rconnect(r, &e) == 0) snap = open_snapshot(r, dir, &e);
    if (!snap && (r->c || attempt == ATTEMPTS - 1)) {
      *err = sqlite3_mprintf("%s", e ? e : "no snapshot");
      sqlite3_free(e);
      return NULL;
    }
    sqlite3_free(e);
  }
  return snap;
}

int remote_on_snapshot(Shell *sh, int (*fn)(Shell *, char **, int), char **argv, int argc) {
  char dir[] = "/tmp/territory-snapshot.XXXXXX";
  if (!mkdtemp(dir)) {
    shell_error(sh, "cannot create a temporary directory: %s", strerror(errno));
    return 1;
  }
  char *err = NULL;
  /* what the command might write there is lost with the copy */
  sqlite3 *snap = snapshot_copy(sh->remote, dir, &err);
  if (!snap) {
    shell_error(sh, ".%s: %s", argv[0], err);
    sqlite3_free(err);
    remove_dir(dir);
    return 1;
  }
  sqlite3 *local = sh->db;
  sh->db = snap;
  int rc = fn(sh, argv, argc);
  sh->db = local;
  sqlite3_close_v2(snap);
  remove_dir(dir);
  return rc;
}

/* A row changed outside TEMP: the report writes for real. */
static void note_write(void *p, int op, const char *dbname, const char *table,
                       sqlite3_int64 rowid) {
  (void)op; (void)table; (void)rowid;
  if (strcmp(dbname, "temp") != 0) *(int *)p = 1;
}

/* Runs the report on a snapshot (a throwaway copy); its output is held back
** until it succeeded.  *writes: it changed rows of the database (not only
** TEMP ones), so it must run on the cluster instead. */
static int report_on_snapshot(Shell *sh, const Report *rep, const ReportArg *args, int nargs,
                              char **err, int *writes) {
  *err = NULL;
  *writes = 0;
  char dir[] = "/tmp/territory-snapshot.XXXXXX";
  if (!mkdtemp(dir)) {
    if (asprintf(err, "cannot create a temporary directory: %s", strerror(errno)) < 0) *err = NULL;
    return 1;
  }
  char *e = NULL;
  sqlite3 *snap = snapshot_copy(sh->remote, dir, &e);
  if (!snap) {
    if (asprintf(err, "report %s: %s", rep->name, e) < 0) *err = NULL;
    sqlite3_free(e);
    remove_dir(dir);
    return 1;
  }
  int rc;
  {
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len), *out = sh->out;
    if (mem) sh->out = mem;
    sqlite3_update_hook(snap, note_write, writes);
    g_running_db = snap;
    rc = report_run(snap, rep, args, nargs, on_snapshot_rows, sh, err);
    g_running_db = NULL;
    sqlite3_update_hook(snap, NULL, NULL);
    sh->out = out;
    if (mem) {
      fclose(mem);
      if (rc == SQLITE_OK && !*writes) fwrite(buf, 1, len, out);
      free(buf);
    }
    if (*writes && rc == SQLITE_OK) rc = SQLITE_READONLY;
  }
  sqlite3_close_v2(snap);
  remove_dir(dir);
  return rc != SQLITE_OK;
}

int remote_report_run(Shell *sh, const Report *rep, const ReportArg *args, int nargs,
                      char **err) {
  int writes = 0;
  int rc = report_on_snapshot(sh, rep, args, nargs, err, &writes);
  if (rc == 0 || !writes) return rc;
  free(*err);
  *err = NULL;
  return report_on_cluster(sh, rep, args, nargs, err);
}

/* ---------------------------------------------------------------- .tables, .schema, .init */

int remote_print_query(Shell *sh, const char *sql, const char *arg) {
  Remote *r = sh->remote;
  DqValue p = {.type = arg ? DQ_TEXT : DQ_NULL, .s = arg, .n = arg ? strlen(arg) : 0};
  Result res = {0};
  char *err = NULL;
  int wrote = 0;
  if (run_stmt(r, sql, &p, 1, 0, &res, &wrote, &err) != RS_OK) {
    shell_error(sh, "%s", err ? err : "failed");
    sqlite3_free(err);
    result_clear(&res);
    return 1;
  }
  for (long i = 0; i < res.nrow; i++) {
    const char *t = res.cells[i * res.ncol].text;
    fprintf(sh->out, "%s\n", t ? t : "");
  }
  result_clear(&res);
  return 0;
}

int remote_run_script_tx(Shell *sh, const char *text, const char *label) {
  Remote *r = sh->remote;
  for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
    char *err = NULL;
    if (rconnect(r, &err)) {
      shell_error(sh, "%s: %s", label, err);
      sqlite3_free(err);
      return 1;
    }
    int brc = tx_begin(r), lost = 0, failed = brc != DQ_OK;
    if (failed && !dqc_lost_leader(r->c, brc)) {
      shell_error(sh, "%s: %s", label, dqc_errmsg(r->c));
      return 1;
    }
    if (failed) lost = 1;
    const char *z = text;
    while (!failed && *(z = sql_skip_blank(z))) {
      const char *end = stmt_end(z);
      char *one = strndup(z, (size_t)(end - z));
      z = end;
      Result res = {0};
      int wrote = 0;
      int rc = one ? run_once(r, one, NULL, 0, 0, &res, &wrote, &err) : RS_ERR;
      result_clear(&res);
      free(one);
      if (rc == RS_ERR) {
        shell_error(sh, "%s: %s", label, err ? err : "out of memory");
        sqlite3_free(err);
        tx_rollback(r);
        return 1;
      }
      if (rc != RS_OK) failed = lost = 1;
    }
    if (!failed) {
      int rc = tx_commit(r);
      if (rc == DQ_OK) return 0;
      if (dqc_lost_leader(r->c, rc)) {
        shell_error(sh, "%s: the leader was lost while committing (%s): it may or may not "
                    "have been applied", label, dqc_errmsg(r->c));
        rdrop(r);
      } else {
        shell_error(sh, "%s: %s", label, dqc_errmsg(r->c));
        tx_rollback(r);
      }
      return 1;
    }
    rdrop(r);
    if (r->in_tx) {
      r->in_tx = 0;
      shell_error(sh, "%s: the leader was lost: the open transaction was rolled back", label);
      return 1;
    }
  }
  shell_error(sh, "%s: the leader kept changing; gave up", label);
  return 1;
}

/* ---------------------------------------------------------------- import */

/* Writes the dumped database (and its WAL) into dir and opens it. */
static sqlite3 *open_snapshot(Remote *r, const char *dir, char **err) {
  unsigned char *db = NULL, *wal = NULL;
  size_t ndb = 0, nwal = 0;
  if (dqc_dump(r->c, r->name, &db, &ndb, &wal, &nwal) != DQ_OK) {
    *err = sqlite3_mprintf("cannot take a snapshot of %s: %s", r->name, dqc_errmsg(r->c));
    if (dqc_lost_leader(r->c, DQ_IO)) rdrop(r);
    return NULL;
  }
  char *path = sqlite3_mprintf("%s/snapshot.db", dir);
  char *wpath = sqlite3_mprintf("%s/snapshot.db-wal", dir);
  int ok = path && wpath;
  FILE *f;
  if (ok && ndb > 0) {
    ok = (f = fopen(path, "wb")) != NULL;
    if (ok) { ok = fwrite(db, 1, ndb, f) == ndb; ok = (fclose(f) == 0) && ok; }
  }
  if (ok && nwal > 0) {
    ok = (f = fopen(wpath, "wb")) != NULL;
    if (ok) { ok = fwrite(wal, 1, nwal, f) == nwal; ok = (fclose(f) == 0) && ok; }
  }
  free(db);
  free(wal);
  sqlite3 *s = NULL;
  if (!ok) *err = sqlite3_mprintf("cannot write a snapshot into %s: %s", dir, strerror(errno));
  else if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
           territory_register(s) != SQLITE_OK ||
           sqlite3_exec(s, "PRAGMA foreign_keys=ON; CREATE TEMP TABLE territory_new"
                           "(id INTEGER PRIMARY KEY, tbl TEXT, rid INTEGER)", 0, 0, 0) != SQLITE_OK) {
    *err = sqlite3_mprintf("cannot open the snapshot: %s", s ? sqlite3_errmsg(s) : "out of memory");
    sqlite3_close_v2(s);
    s = NULL;
  }
  sqlite3_free(path);
  sqlite3_free(wpath);
  return s;
}

static void remove_dir(const char *dir) {
  const char *files[] = {"snapshot.db", "snapshot.db-wal", "snapshot.db-shm", "snapshot.db-journal"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char *p = sqlite3_mprintf("%s/%s", dir, files[i]);
    if (p) unlink(p);
    sqlite3_free(p);
  }
  rmdir(dir);
}

/* Copies value j of the local row into v (text and blobs into *own). */
static int take_value(sqlite3_stmt *st, int j, DqValue *v, char **own) {
  memset(v, 0, sizeof *v);
  *own = NULL;
  switch (sqlite3_column_type(st, j)) {
    case SQLITE_INTEGER: v->type = DQ_INTEGER; v->i = sqlite3_column_int64(st, j); break;
    case SQLITE_FLOAT: v->type = DQ_FLOAT; v->f = sqlite3_column_double(st, j); break;
    case SQLITE_NULL: v->type = DQ_NULL; break;
    default: {
      int blob = sqlite3_column_type(st, j) == SQLITE_BLOB;
      const void *p = blob ? sqlite3_column_blob(st, j) : (const void *)sqlite3_column_text(st, j);
      v->n = (size_t)sqlite3_column_bytes(st, j);
      *own = malloc(v->n + 1);
      if (!*own) return -1;
      if (v->n) memcpy(*own, p, v->n);
      (*own)[v->n] = 0;
      v->s = *own;
      v->type = blob ? DQ_BLOB : DQ_TEXT;
    }
  }
  return 0;
}

/* The INSERT of k rows of the columns in cols (a quoted list) into table. */
static char *insert_sql(const char *table, const char *cols, int ncol, int k) {
  sqlite3_str *s = sqlite3_str_new(NULL);
  sqlite3_str_appendf(s, "INSERT INTO main.\"%w\"(%s) VALUES ", table, cols);
  for (int i = 0; i < k; i++) {
    sqlite3_str_appendall(s, i ? ",(" : "(");
    for (int j = 0; j < ncol; j++) sqlite3_str_appendall(s, j ? ",?" : "?");
    sqlite3_str_appendall(s, ")");
  }
  return sqlite3_str_finish(s);
}

/* Sends the rows of one table the local import added.  Returns RS_OK,
** RS_ERR (*err) or a lost-leader outcome. */
static int push_table(Remote *r, sqlite3 *snap, const char *table, long *sent, char **err) {
  sqlite3_stmt *st = NULL;
  sqlite3_str *cs = sqlite3_str_new(NULL), *sel = sqlite3_str_new(NULL);
  int ncol = 0;
  if (sqlite3_prepare_v2(snap, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &st,
                         NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *c = (const char *)sqlite3_column_text(st, 0);
      sqlite3_str_appendf(cs, "%s\"%w\"", ncol ? "," : "", c);
      ncol++;
    }
  }
  sqlite3_finalize(st);
  char *cols = sqlite3_str_finish(cs);
  sqlite3_str_appendf(sel, "SELECT %s FROM main.\"%w\" WHERE rowid IN (SELECT rid FROM "
                      "temp.territory_new WHERE tbl = ?1) ORDER BY rowid", cols ? cols : "*", table);
  char *q = sqlite3_str_finish(sel);
  int out = RS_OK;
  if (!cols || !q || ncol == 0 || ncol > 255 ||
      sqlite3_prepare_v2(snap, q, -1, &st, NULL) != SQLITE_OK) {
    *err = sqlite3_mprintf("%s: cannot read the imported rows: %s", table, sqlite3_errmsg(snap));
    sqlite3_free(cols);
    sqlite3_free(q);
    return RS_ERR;
  }
  sqlite3_free(q);
  sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
  int per = 255 / ncol;
  if (per > 100) per = 100;
  DqValue *v = calloc((size_t)(per * ncol), sizeof *v);
  char **own = calloc((size_t)(per * ncol), sizeof *own);
  uint32_t full = 0;
  int have_full = 0;
  if (!v || !own) out = RS_ERR, *err = sqlite3_mprintf("out of memory");
  int k = 0, done = 0;
  while (out == RS_OK && !done) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      for (int j = 0; j < ncol; j++)
        if (take_value(st, j, &v[k * ncol + j], &own[k * ncol + j])) out = RS_ERR;
      k++;
    } else {
      done = 1;
      if (rc != SQLITE_DONE) {
        *err = sqlite3_mprintf("%s: %s", table, sqlite3_errmsg(snap));
        out = RS_ERR;
      }
    }
    if (out != RS_OK || k == 0 || (k < per && !done)) continue;
    /* send k rows: the prepared full-batch INSERT, or a one-off for the rest */
    int prc;
    uint32_t sid = 0;
    if (k == per && !have_full) {
      char *ins = insert_sql(table, cols, ncol, per);
      prc = ins ? dqc_prepare(r->c, r->db, ins, &full, NULL) : DQ_FAIL;
      sqlite3_free(ins);
      have_full = prc == DQ_OK;
    } else prc = DQ_OK;
    if (prc == DQ_OK && k == per) {
      sid = full;
    } else if (prc == DQ_OK) {
      char *ins = insert_sql(table, cols, ncol, k);
      prc = ins ? dqc_prepare(r->c, r->db, ins, &sid, NULL) : DQ_FAIL;
      sqlite3_free(ins);
    }
    if (prc == DQ_OK) prc = dqc_exec(r->c, r->db, sid, v, k * ncol, NULL, NULL);
    if (prc == DQ_OK && sid != full) dqc_finalize(r->c, r->db, sid);
    if (prc != DQ_OK) {
      if (dqc_lost_leader(r->c, prc)) out = RS_LOST_SAFE;   /* uncommitted: all rolled back */
      else {
        *err = sqlite3_mprintf("%s: %s (code %d)", table, dqc_errmsg(r->c), dqc_errcode(r->c));
        out = RS_ERR;
      }
    }
    *sent += k;
    for (int i = 0; i < k * ncol; i++) { free(own[i]); own[i] = NULL; }
    k = 0;
  }
  for (int i = 0; own && i < per * ncol; i++) free(own[i]);
  if (have_full && out == RS_OK) dqc_finalize(r->c, r->db, full);
  free(own);
  free(v);
  sqlite3_free(cols);
  sqlite3_finalize(st);
  return out;
}

long remote_import(Shell *sh, CsvSource *src, int n, int single, char **err) {
  Remote *r = sh->remote;
  *err = NULL;
  for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
    char *e = NULL;
    if (rconnect(r, &e)) {
      *err = e;
      return -1;
    }
    char dir[] = "/tmp/territory-import.XXXXXX";
    if (!mkdtemp(dir)) {
      *err = sqlite3_mprintf("cannot create a temporary directory: %s", strerror(errno));
      return -1;
    }
    sqlite3 *snap = open_snapshot(r, dir, &e);
    if (!snap) {
      remove_dir(dir);
      if (!r->c) { sqlite3_free(e); continue; }   /* the leader went away: again */
      *err = e;
      return -1;
    }
    /* note every row the import adds, table by table, in order */
    for (int i = 0; i < n; i++) {
      char *t = sqlite3_mprintf(
          "CREATE TEMP TRIGGER \"territory_new_%w\" AFTER INSERT ON main.\"%w\" BEGIN "
          "INSERT INTO territory_new(tbl, rid) VALUES (%Q, new.rowid); END",
          src[i].table, src[i].table, src[i].table);
      if (t) sqlite3_exec(snap, t, 0, 0, 0);   /* no such table: the importer says so */
      sqlite3_free(t);
    }
    long rows;
    if (single) {
      CsvProgress prog = {src[0].file, src[0].n, isatty(2), 0, 0};
      rows = csv_import_ex(snap, src[0].table, src[0].data, src[0].n, src[0].file, &prog, err);
    } else {
      rows = import_tables(snap, src, n, isatty(2), err);
    }
    if (rows < 0) {
      sqlite3_close_v2(snap);
      remove_dir(dir);
      return -1;
    }
    /* every imported row must have been noted, or some would not be sent */
    sqlite3_stmt *cnt = NULL;
    long noted = -1;
    if (sqlite3_prepare_v2(snap, "SELECT count(*) FROM temp.territory_new", -1, &cnt, NULL) == SQLITE_OK &&
        sqlite3_step(cnt) == SQLITE_ROW)
      noted = sqlite3_column_int64(cnt, 0);
    sqlite3_finalize(cnt);
    if (noted < rows) {
      *err = sqlite3_mprintf("cannot track the rows the import adds (%ld of %ld): nothing imported",
                             noted, rows);
      sqlite3_close_v2(snap);
      remove_dir(dir);
      return -1;
    }
    int out = tx_begin(r) == DQ_OK ? RS_OK : RS_LOST_SAFE;
    if (out == RS_OK && exec_simple(r, "PRAGMA defer_foreign_keys=ON") != DQ_OK)
      out = dqc_lost_leader(r->c, DQ_FAIL) ? RS_LOST_SAFE : RS_ERR;
    sqlite3_stmt *tl = NULL;
    long sent = 0;
    if (out == RS_OK &&
        sqlite3_prepare_v2(snap, "SELECT tbl FROM temp.territory_new GROUP BY tbl ORDER BY min(id)",
                           -1, &tl, NULL) == SQLITE_OK) {
      while (out == RS_OK && sqlite3_step(tl) == SQLITE_ROW)
        out = push_table(r, snap, (const char *)sqlite3_column_text(tl, 0), &sent, &e);
    }
    sqlite3_finalize(tl);
    sqlite3_close_v2(snap);
    remove_dir(dir);
    if (out == RS_OK) {
      int rc = tx_commit(r);
      if (rc == DQ_OK) return rows;
      if (dqc_lost_leader(r->c, rc)) {
        *err = sqlite3_mprintf("the leader was lost while committing the import (%s): it may "
                               "or may not have been applied; count the rows before importing again",
                               dqc_errmsg(r->c));
        rdrop(r);
      } else {
        *err = sqlite3_mprintf("%s", dqc_errmsg(r->c));
        tx_rollback(r);
      }
      return -1;
    }
    if (out == RS_ERR) {
      *err = e ? e : sqlite3_mprintf("import failed");
      tx_rollback(r);
      return -1;
    }
    /* the leader died before the commit: nothing was applied */
    fprintf(stderr, "note: the leader was lost during the import (nothing was committed); "
            "importing again on the new one\n");
    sqlite3_free(e);
    rdrop(r);
    if (r->in_tx) {
      r->in_tx = 0;
      *err = sqlite3_mprintf("the leader was lost: the open transaction was rolled back");
      return -1;
    }
  }
  *err = sqlite3_mprintf("the leader kept changing; gave up after %d attempts", ATTEMPTS);
  return -1;
}

/* ---------------------------------------------------------------- .cluster */

int remote_cluster(Shell *sh) {
  Remote *r = sh->remote;
  if (!r) {
    shell_error(sh, ".cluster: not connected to a cluster (open dqlite://HOST:PORT,.../NAME)");
    return 1;
  }
  char *err = NULL;
  DqNode *nodes = NULL;
  int n = 0, rc = DQ_IO;
  uint64_t leader = 0;
  for (int attempt = 0; attempt < ATTEMPTS && rc != DQ_OK; attempt++) {
    if (rconnect(r, &err)) break;
    char *addr = NULL;
    rc = dqc_leader(r->c, &leader, &addr);
    free(addr);
    if (rc == DQ_OK) rc = dqc_cluster(r->c, &nodes, &n);
    if (rc != DQ_OK) rdrop(r);
  }
  if (rc != DQ_OK) {
    shell_error(sh, ".cluster: %s", err ? err : "no answer");
    sqlite3_free(err);
    return 1;
  }
  Result res = {0};
  res.ncol = 4;
  res.names = calloc(5, sizeof(char *));
  res.cells = calloc((size_t)(n ? n : 1) * 4, sizeof(Cell));
  if (!res.names || !res.cells) {
    result_clear(&res);
    dqc_nodes_free(nodes, n);
    shell_error(sh, "out of memory");
    return 1;
  }
  static const char *names[] = {"id", "address", "role", "leader"};
  static const char *roles[] = {"voter", "standby", "spare"};
  for (int j = 0; j < 4; j++) res.names[j] = strdup(names[j]);
  for (int i = 0; i < n; i++) {
    Cell *c = &res.cells[i * 4];
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)nodes[i].id);
    c[0] = (Cell){SQLITE_INTEGER, strdup(buf), (double)nodes[i].id};
    c[1] = (Cell){SQLITE_TEXT, strdup(nodes[i].address), 0};
    c[2] = (Cell){SQLITE_TEXT, strdup(nodes[i].role >= 0 && nodes[i].role <= 2 ? roles[nodes[i].role] : "?"), 0};
    c[3] = nodes[i].id == leader ? (Cell){SQLITE_TEXT, strdup("*"), 0} : (Cell){SQLITE_NULL, NULL, 0};
  }
  res.nrow = res.total = res.cap = n;
  dqc_nodes_free(nodes, n);
  print_result(sh, &res);
  return 0;
}
