/*
** query.c -- the one gate through which functions run a query given as
** text.  See query.h for what passes and what is refused.  The gate is an
** SQLite authorizer, installed only while the text is prepared: it sees
** every table, view (and what the view reads), function and action the
** statement would use, so nothing is judged from the text's spelling.
*/
#include "query.h"

#include "registry.h"

#include <stdatomic.h>
#include <string.h>

/* ---- per-connection state ----------------------------------------------- */

typedef struct QueryRead { /* a table the text reads, judged after prepare */
  char *db;                /* schema name, NULL when SQLite did not say */
  char *name;
} QueryRead;

struct QueryConn {
  sqlite3 *db;
  int refs;
  QueryAuthorizer app_auth; /* the application's, via territory_set_authorizer */
  void *app_arg;
  int depth;               /* query-running functions nested right now */
  /* while query_prepare runs */
  int checking;            /* our policy applies to what the authorizer sees */
  int internal;            /* our own lookups: allowed, app not asked */
  char *refused;           /* the first thing refused, a full sentence tail */
  QueryRead *reads;
  int nreads, areads;
  /* statement reuse (query_stamp) */
  unsigned epoch;          /* bumped whenever our authorizer change expires statements */
  int restore_expires;     /* this SQLite expires statements on every set_authorizer */
  QueryConn *next;         /* all states, for query_conn_find */
};

/* States of every connection, so territory_set_authorizer(db, ...) finds
** db's (SQLite 3.40 has no per-connection client data).  Guarded by a C11
** spin lock, not an SQLite mutex: a single-threaded SQLite build
** (SQLITE_THREADSAFE=0) has no mutex functions at all, and the extension
** links nothing but SQLite.  The lock is held for a few pointer moves. */
static QueryConn *all_conns = NULL;
static atomic_flag conns_lock = ATOMIC_FLAG_INIT;

static void conns_enter(void) {
  while (atomic_flag_test_and_set_explicit(&conns_lock, memory_order_acquire)) {
  }
}
static void conns_leave(void) { atomic_flag_clear_explicit(&conns_lock, memory_order_release); }

QueryConn *query_conn_new(sqlite3 *db) {
  QueryConn *qc = sqlite3_malloc64(sizeof(*qc));
  if (qc == NULL) return NULL;
  memset(qc, 0, sizeof(*qc));
  qc->db = db;
  qc->refs = 1;
  conns_enter();
  for (QueryConn *o = all_conns; o; o = o->next) {
    if (o->db == db) { /* loaded again: keep the recorded authorizer */
      qc->app_auth = o->app_auth;
      qc->app_arg = o->app_arg;
      break;
    }
  }
  qc->next = all_conns;
  all_conns = qc;
  conns_leave();
  return qc;
}

void query_conn_ref(QueryConn *qc) {
  conns_enter();
  qc->refs++;
  conns_leave();
}

void query_conn_unref(void *p) {
  QueryConn *qc = p;
  if (qc == NULL) return;
  conns_enter();
  int gone = --qc->refs == 0;
  if (gone) {
    for (QueryConn **pp = &all_conns; *pp; pp = &(*pp)->next) {
      if (*pp == qc) {
        *pp = qc->next;
        break;
      }
    }
  }
  conns_leave();
  if (!gone) return;
  for (int i = 0; i < qc->nreads; i++) {
    sqlite3_free(qc->reads[i].db);
    sqlite3_free(qc->reads[i].name);
  }
  sqlite3_free(qc->reads);
  sqlite3_free(qc->refused);
  sqlite3_free(qc);
}

QueryConn *query_conn_find(sqlite3 *db) {
  QueryConn *found = NULL;
  conns_enter();
  for (QueryConn *o = all_conns; o && !found; o = o->next)
    if (o->db == db) found = o;
  conns_leave();
  return found;
}

int query_conn_set_authorizer(QueryConn *qc, QueryAuthorizer xAuth, void *pArg) {
  qc->app_auth = xAuth;
  qc->app_arg = pArg;
  qc->epoch++;
  return sqlite3_set_authorizer(qc->db, xAuth, pArg);
}

/* ---- nesting ------------------------------------------------------------ */

int query_enter(QueryConn *qc, const char *fn, char **err) {
  if (qc->depth >= QUERY_MAX_DEPTH) {
    *err = sqlite3_mprintf(
        "%s: queries nested more than %d deep (a query-running function "
        "called from its own query?)",
        fn, QUERY_MAX_DEPTH);
    return SQLITE_ERROR;
  }
  qc->depth++;
  return SQLITE_OK;
}

void query_leave(QueryConn *qc) {
  if (qc->depth > 0) qc->depth--;
}

/* ---- the policy --------------------------------------------------------- */

/* SQLite's built-in functions that query text may call.  The authorizer
** tells us only a function's NAME, and SQLite has no public way to read a
** function's flags by name, so the policy is a list: SQLite's own functions
** that compute a value from their arguments (or read harmless connection
** facts such as changes()) and touch no file, process or connection state.
** A name not listed is refused, whatever it does -- so an application
** function, a shell function (edit, readfile, writefile, sha3, regexp),
** load_extension() and fts3_tokenizer() are all refused.  Territory's own
** functions are added from the registration tables (SQLITE_INNOCUOUS rows),
** not listed here.  A name listed here that an application redefines with
** side effects is the application's doing: a database file cannot define
** functions.  Keep sorted by family, lower case. */
static const char *const kBuiltins[] = {
    /* core scalars */
    "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format",
    "glob", "hex", "if", "ifnull", "iif", "instr", "last_insert_rowid",
    "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min",
    "nullif", "octet_length", "printf", "quote", "random", "randomblob",
    "replace", "round", "rtrim", "sign", "soundex", "sqlite_compileoption_get",
    "sqlite_compileoption_used", "sqlite_source_id", "sqlite_version",
    "substr", "substring", "total_changes", "trim", "typeof", "unhex",
    "unicode", "unistr", "unistr_quote", "unlikely", "upper", "zeroblob",
    /* aggregates */
    "avg", "count", "group_concat", "string_agg", "sum", "total",
    /* window functions */
    "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead",
    "nth_value", "ntile", "percent_rank", "rank", "row_number",
    /* dates */
    "current_date", "current_time", "current_timestamp", "date", "datetime",
    "julianday", "strftime", "time", "timediff", "unixepoch",
    /* math */
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil",
    "ceiling", "cos", "cosh", "degrees", "exp", "floor", "ln", "log", "log10",
    "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt",
    "tan", "tanh", "trunc",
    /* JSON (the -> and ->> operators are functions of these names) */
    "->", "->>", "json", "json_array", "json_array_length",
    "json_error_position", "json_extract", "json_group_array",
    "json_group_object", "json_insert", "json_object", "json_patch",
    "json_pretty", "json_quote", "json_remove", "json_replace", "json_set",
    "json_type", "json_valid", "jsonb", "jsonb_array", "jsonb_extract",
    "jsonb_group_array", "jsonb_group_object", "jsonb_insert", "jsonb_object",
    "jsonb_patch", "jsonb_remove", "jsonb_replace", "jsonb_set", NULL};

/* Virtual tables that only compute rows from their arguments.  Territory's
** own come from ModuleSpec.vtabs. */
static const char *const kPureVtabs[] = {"json_each", "json_tree",
                                         "generate_series", NULL};

static int in_list(const char *const *list, const char *name) {
  for (int i = 0; list[i]; i++)
    if (sqlite3_stricmp(list[i], name) == 0) return 1;
  return 0;
}

static int allowed_function(const char *name) {
  if (name == NULL) return 0;
  if (in_list(kBuiltins, name)) return 1;
  size_t n;
  const ModuleSpec *m = territory_modules(&n);
  for (size_t i = 0; i < n; i++)
    for (const FunctionSpec *f = m[i].functions; f && f->name; f++)
      if ((f->flags & SQLITE_INNOCUOUS) && sqlite3_stricmp(f->name, name) == 0) return 1;
  return 0;
}

static int pure_vtab(const char *name) {
  if (in_list(kPureVtabs, name)) return 1;
  size_t n;
  const ModuleSpec *m = territory_modules(&n);
  for (size_t i = 0; i < n; i++)
    if (m[i].vtabs && in_list(m[i].vtabs, name)) return 1;
  return 0;
}

static int is_schema_table(const char *name) {
  return sqlite3_stricmp(name, "sqlite_schema") == 0 ||
         sqlite3_stricmp(name, "sqlite_master") == 0 ||
         sqlite3_stricmp(name, "sqlite_temp_schema") == 0 ||
         sqlite3_stricmp(name, "sqlite_temp_master") == 0;
}

#define WHY_READ "query text can only read tables and views"
#define WHY_CALL "query text can only call SQLite's pure built-in functions and territory's"

static void refuse(QueryConn *qc, char *what) {
  if (qc->refused == NULL)
    qc->refused = what;
  else
    sqlite3_free(what);
}

static void note_read(QueryConn *qc, const char *db, const char *name) {
  for (int i = 0; i < qc->nreads; i++) {
    QueryRead *r = &qc->reads[i];
    if (sqlite3_stricmp(r->name, name) == 0 &&
        ((r->db == NULL && db == NULL) || (r->db && db && sqlite3_stricmp(r->db, db) == 0)))
      return;
  }
  if (qc->nreads == qc->areads) {
    int na = qc->areads ? qc->areads * 2 : 8;
    QueryRead *nr = sqlite3_realloc64(qc->reads, (sqlite3_uint64)na * sizeof(*nr));
    if (nr == NULL) {
      refuse(qc, sqlite3_mprintf("be checked (out of memory)"));
      return;
    }
    qc->reads = nr;
    qc->areads = na;
  }
  QueryRead *r = &qc->reads[qc->nreads++];
  r->db = db ? sqlite3_mprintf("%s", db) : NULL;
  r->name = sqlite3_mprintf("%s", name);
  if (r->name == NULL || (db && r->db == NULL))
    refuse(qc, sqlite3_mprintf("be checked (out of memory)"));
}

/* What our policy says about one authorizer call while text is prepared.
** Tables read are allowed here and judged after the prepare (query_check_
** reads): telling a table from a virtual table needs a look at the schema,
** which an authorizer callback may not do. */
static int policy(QueryConn *qc, int action, const char *a, const char *b,
                  const char *zDb) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_READ:
      if (a == NULL) return SQLITE_DENY;
      if (!is_schema_table(a)) note_read(qc, zDb, a);
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (allowed_function(b)) return SQLITE_OK;
      refuse(qc, sqlite3_mprintf("call %s() (" WHY_CALL ")", b ? b : "?"));
      return SQLITE_DENY;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      /* sqlite3_declare_vtab, run when a table-valued function is first
      ** used on a connection, reports writes to sqlite_master while it
      ** parses the table's declaration; it writes nothing, and a real
      ** write is refused anyway (the statement must be read-only). */
      if (a && is_schema_table(a)) return SQLITE_OK;
      refuse(qc, sqlite3_mprintf("write to %s (" WHY_READ ")", a ? a : "?"));
      return SQLITE_DENY;
    case SQLITE_PRAGMA:
      refuse(qc, sqlite3_mprintf("use PRAGMA %s (" WHY_READ ")", a ? a : "?"));
      return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      refuse(qc, sqlite3_mprintf("attach or detach databases (" WHY_READ ")"));
      return SQLITE_DENY;
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      refuse(qc, sqlite3_mprintf("control transactions (" WHY_READ ")"));
      return SQLITE_DENY;
    default:
      refuse(qc, sqlite3_mprintf("change the database (authorizer action %d; " WHY_READ ")",
                                 action));
      return SQLITE_DENY;
  }
}

static int query_auth(void *p, int action, const char *a, const char *b,
                      const char *zDb, const char *zCtx) {
  QueryConn *qc = p;
  if (qc->internal) return SQLITE_OK;
  if (qc->checking && policy(qc, action, a, b, zDb) == SQLITE_DENY) return SQLITE_DENY;
  /* Both must allow: the application's verdict (including SQLITE_IGNORE)
  ** stands once ours is "allowed". */
  if (qc->app_auth) return qc->app_auth(qc->app_arg, action, a, b, zDb, zCtx);
  return SQLITE_OK;
}

/* What name is in schema zDb: 0 nothing, 1 a table or view, 2 a virtual
** table, -1 the lookup failed. */
static int schema_kind(sqlite3 *db, const char *zDb, const char *name) {
  char *sql = sqlite3_mprintf(
      "SELECT sql LIKE 'CREATE VIRTUAL TABLE%%' FROM \"%w\".sqlite_schema "
      "WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
      zDb);
  sqlite3_stmt *st = NULL;
  int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  int kind = -1;
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
      kind = sqlite3_column_int(st, 0) ? 2 : 1;
    else if (rc == SQLITE_DONE)
      kind = 0;
  }
  sqlite3_finalize(st);
  return kind;
}

/* Judges every table the prepared text reads.  A name found nowhere in the
** schema is an eponymous virtual table (fsdir, pragma_table_info, ...),
** which SQLite keeps in "main": allowed only when known to be pure.  When
** SQLite did not say which schema (a table read only for count(*)), the
** name must not be a virtual table in any of them. */
static void check_reads(QueryConn *qc) {
  /* The LAST refused name is reported: declaring a table-valued function's
  ** table (on its first use) reads the declared name ("y" for zipfile)
  ** before the function's own name is read. */
  char *last = NULL;
  for (int i = 0; i < qc->nreads; i++) {
    const QueryRead *r = &qc->reads[i];
    int ordinary = 0, virt = 0, failed = 0;
    for (int d = 0;; d++) {
      const char *zDb = r->db ? (d == 0 ? r->db : NULL) : sqlite3_db_name(qc->db, d);
      if (zDb == NULL) break;
      int k = schema_kind(qc->db, zDb, r->name);
      if (k < 0) failed = 1;
      if (k == 1) ordinary = 1;
      if (k == 2) virt = 1;
    }
    char *why = NULL;
    if (failed)
      why = sqlite3_mprintf("be checked (cannot look up %s: %s)", r->name,
                            sqlite3_errmsg(qc->db));
    else if (virt || (!ordinary && !(pure_vtab(r->name) &&
                                     (r->db == NULL || sqlite3_stricmp(r->db, "main") == 0))))
      why = sqlite3_mprintf("use %s (" WHY_READ ")", r->name);
    if (why) {
      sqlite3_free(last);
      last = why;
    }
  }
  if (last) refuse(qc, last);
}

/* ---- reading the text ------------------------------------------------- */

/* Skips blanks and SQL comments. */
static const char *skip_space(const char *z) {
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' || *z == '\f')
      z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      z = e ? e + 2 : z + strlen(z);
    } else {
      return z;
    }
  }
}

static int is_ident_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/* Length of the leading word of z, so that "analyze_x" is not ANALYZE. */
static int word_len(const char *z) {
  int n = 0;
  while (is_ident_char((unsigned char)z[n])) n++;
  return n;
}

static int word_is(const char *z, int n, const char *kw) {
  return (int)strlen(kw) == n && sqlite3_strnicmp(z, kw, n) == 0;
}

/* Reads one identifier (plain or "quoted") at *pz into a new string. */
static char *read_ident(const char **pz) {
  const char *z = *pz;
  if (*z == '"') {
    sqlite3_str *s = sqlite3_str_new(NULL);
    z++;
    for (;;) {
      if (*z == 0) {
        sqlite3_free(sqlite3_str_finish(s));
        return NULL;
      }
      if (*z == '"') {
        if (z[1] == '"') {
          sqlite3_str_appendchar(s, 1, '"');
          z += 2;
          continue;
        }
        z++;
        break;
      }
      sqlite3_str_appendchar(s, 1, *z);
      z++;
    }
    *pz = z;
    char *r = sqlite3_str_finish(s);
    if (r == NULL) return sqlite3_mprintf("");
    return r;
  }
  int n = 0;
  while (is_ident_char((unsigned char)z[n])) n++;
  if (n == 0) return NULL;
  *pz = z + n;
  return sqlite3_mprintf("%.*s", n, z);
}

/* If text is a bare [schema.]name, returns "SELECT * FROM ..." else NULL. */
static char *table_query(const char *text) {
  const char *z = skip_space(text);
  char *a = read_ident(&z);
  char *b = NULL, *sql = NULL;
  if (a == NULL) return NULL;
  if (*z == '.') {
    z++;
    b = read_ident(&z);
    if (b == NULL) goto done;
  }
  z = skip_space(z);
  while (*z == ';') z = skip_space(z + 1);
  if (*z != 0) goto done;
  sql = b ? sqlite3_mprintf("SELECT * FROM \"%w\".\"%w\"", a, b)
          : sqlite3_mprintf("SELECT * FROM \"%w\"", a);
done:
  sqlite3_free(a);
  sqlite3_free(b);
  return sql;
}

/* ---- preparing ---------------------------------------------------------- */

static void clear_check(QueryConn *qc) {
  for (int i = 0; i < qc->nreads; i++) {
    sqlite3_free(qc->reads[i].db);
    sqlite3_free(qc->reads[i].name);
  }
  qc->nreads = 0;
  sqlite3_free(qc->refused);
  qc->refused = NULL;
}

/* Prepares sql under our authorizer and judges what it reads; on a refusal
** *err says what and why.  The application's authorizer is installed again
** before returning, whatever happened. */
static int prepare_checked(QueryConn *qc, const char *fn, const char *sql,
                           sqlite3_stmt **out, const char **tail, char **err) {
  sqlite3 *db = qc->db;
  if (qc->checking) { /* cannot happen: no prepare runs inside ours */
    *err = sqlite3_mprintf("%s: internal error: query prepared while another is", fn);
    return SQLITE_ERROR;
  }
  clear_check(qc);
  qc->checking = 1;
  sqlite3_set_authorizer(db, query_auth, qc);
  qc->epoch++;
  int rc = sqlite3_prepare_v2(db, sql, -1, out, tail);
  if (rc == SQLITE_OK && *out != NULL && qc->refused == NULL) {
    qc->internal = 1;
    check_reads(qc);
    qc->internal = 0;
  }
  qc->checking = 0;
  sqlite3_set_authorizer(db, qc->app_auth, qc->app_arg);
  /* Putting an authorizer back expires statements too (always in newer
  ** SQLite, for a non-NULL one in 3.40), the one just prepared included. */
  if (qc->app_auth || qc->restore_expires) qc->epoch++;
  if (qc->refused) {
    *err = sqlite3_mprintf("%s: query may not %s", fn, qc->refused);
    sqlite3_finalize(*out);
    *out = NULL;
    clear_check(qc);
    return SQLITE_AUTH;
  }
  clear_check(qc);
  if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s: query failed: %s", fn, sqlite3_errmsg(db));
  return rc;
}

unsigned query_stamp(QueryConn *qc) { return qc->epoch; }

int query_reusable(QueryConn *qc, unsigned stamp) { return qc->epoch == stamp; }

int query_recompile_count(sqlite3_stmt *st) {
  return sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0);
}

int query_recompiled(QueryConn *qc, sqlite3_stmt *st, int before) {
  if (query_recompile_count(st) == before) return 0;
  /* Most likely this SQLite expires statements when an authorizer is put
  ** back; from now on no statement of this connection is reused. */
  qc->restore_expires = 1;
  qc->epoch++;
  return 1;
}

int query_prepare(QueryConn *qc, const char *fn, const char *text,
                  sqlite3_stmt **out, char **err) {
  /* Refused by their first word, for a clearer message than the
  ** authorizer's (which refuses them all the same). */
  static const char *const refused[] = {
      "ATTACH", "DETACH", "BEGIN",   "COMMIT",  "END",     "ROLLBACK",
      "SAVEPOINT", "RELEASE", "PRAGMA", "VACUUM", "ANALYZE", "REINDEX",
      "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER",
      "EXPLAIN", NULL};
  *out = NULL;
  *err = NULL;
  const char *z = skip_space(text);
  if (*z == 0) {
    *err = sqlite3_mprintf("%s: query is empty; give a SELECT or a table name", fn);
    return SQLITE_ERROR;
  }
  int n = word_len(z);
  for (int i = 0; refused[i]; i++) {
    if (word_is(z, n, refused[i])) {
      *err = sqlite3_mprintf(
          "%s: query must be one read-only SELECT or a table name; %s "
          "statements are refused",
          fn, refused[i]);
      return SQLITE_ERROR;
    }
  }
  char *owned = NULL;
  const char *sql = text;
  if (!(word_is(z, n, "SELECT") || word_is(z, n, "WITH") ||
        word_is(z, n, "VALUES") || *z == '(')) {
    owned = table_query(text);
    if (owned == NULL) {
      *err = sqlite3_mprintf(
          "%s: query must be one read-only SELECT or a table name, got '%.40s'",
          fn, z);
      return SQLITE_ERROR;
    }
    sql = owned;
  }
  const char *tail = NULL;
  sqlite3_stmt *st = NULL;
  int rc = prepare_checked(qc, fn, sql, &st, &tail, err);
  if (rc != SQLITE_OK) goto fail;
  if (st == NULL) {
    *err = sqlite3_mprintf("%s: query is empty; give a SELECT or a table name", fn);
    rc = SQLITE_ERROR;
    goto fail;
  }
  tail = skip_space(tail);
  while (*tail == ';') tail = skip_space(tail + 1);
  if (*tail != 0) {
    *err = sqlite3_mprintf("%s: query must be a single statement; found more after the first", fn);
    rc = SQLITE_ERROR;
    goto fail;
  }
  if (!sqlite3_stmt_readonly(st) || sqlite3_column_count(st) == 0) {
    *err = sqlite3_mprintf(
        "%s: query must be one read-only statement that returns rows", fn);
    rc = SQLITE_ERROR;
    goto fail;
  }
  sqlite3_free(owned);
  *out = st;
  return SQLITE_OK;
fail:
  sqlite3_finalize(st);
  sqlite3_free(owned);
  return rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

int query_bind(sqlite3_stmt *stmt, const char *fn, sqlite3_value **params,
               int n, char **err) {
  int have = sqlite3_bind_parameter_count(stmt);
  if (n > have) {
    *err = sqlite3_mprintf(
        "%s: %d parameter%s given but the query has %d placeholder%s (?1, ?2, ...)",
        fn, n, n == 1 ? "" : "s", have, have == 1 ? "" : "s");
    return SQLITE_ERROR;
  }
  for (int i = 0; i < n; i++) {
    int rc = sqlite3_bind_value(stmt, i + 1, params[i]);
    if (rc != SQLITE_OK) {
      *err = sqlite3_mprintf("%s: cannot bind parameter %d: %s", fn, i + 1,
                             sqlite3_errstr(rc));
      return rc;
    }
  }
  return SQLITE_OK;
}

char *query_error(sqlite3 *db, const char *fn) {
  return sqlite3_mprintf("%s: query failed: %s", fn, sqlite3_errmsg(db));
}
