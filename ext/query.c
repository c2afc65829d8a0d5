/*
** query.c -- the one gate through which table-valued functions run a query
** given as text.  See query.h for what passes and what is refused; the
** reasons are security (a function must never write, attach files or change
** the connection) and clarity (one statement, so the rows are unambiguous).
*/
#include "query.h"

#include <string.h>

static _Thread_local int query_depth = 0;

int query_enter(const char *fn, char **err) {
  if (query_depth >= QUERY_MAX_DEPTH) {
    *err = sqlite3_mprintf(
        "%s: queries nested more than %d deep (a query-running function "
        "called from its own query?)",
        fn, QUERY_MAX_DEPTH);
    return SQLITE_ERROR;
  }
  query_depth++;
  return SQLITE_OK;
}

void query_leave(void) {
  if (query_depth > 0) query_depth--;
}

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

/* A SELECT can still write or read files through a function that SQLite
** lets only top-level SQL call (SQLITE_DIRECTONLY: writefile(), readfile(),
** fts3_tokenizer(), load_extension() in the sqlite3 shell and Python).  Our
** query may come from a view or trigger of a database the user did not
** write, where SQLite would refuse such a call; running it here would
** launder it.  So any query calling one is refused, whoever wrote it.
** Returns SQLITE_OK, or an error with *err set.  Only text with a '(' can
** call a function (views it names are schema objects, checked by SQLite). */
/* Functions that are never SQLITE_DIRECTONLY: SQLite's own (core, date,
** JSON, math, window) and territory's.  Looking every name up in
** pragma_function_list costs ~60 us (it lists every function), which a
** lateral allocate pays per parent row; only other names are looked up.
** (A malicious database cannot register functions; the application does.) */
static const char *const kKnownSafe[] = {
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "avg",
    "ceil", "ceiling", "changes", "char", "coalesce", "concat", "concat_ws",
    "cos", "cosh", "count", "cume_dist", "current_date", "current_time",
    "current_timestamp", "date", "datetime", "degrees", "dense_rank", "exp",
    "first_value", "floor", "format", "glob", "group_concat", "hex", "ifnull",
    "iif", "instr", "json", "json_array", "json_array_length", "json_each",
    "json_extract", "json_group_array", "json_group_object", "json_insert",
    "json_object", "json_patch", "json_quote", "json_remove", "json_replace",
    "json_set", "json_type", "json_valid", "julianday", "lag", "last_value",
    "lead", "length", "like", "likelihood", "likely", "ln", "log", "log10",
    "log2", "lower", "ltrim", "max", "min", "mod", "nth_value", "ntile",
    "nullif", "octet_length", "percent_rank", "pi", "pow", "power", "printf",
    "quote", "radians", "random", "randomblob", "rank", "replace", "round",
    "row_number", "rtrim", "sign", "sin", "sinh", "soundex", "sqrt",
    "strftime", "string_agg", "substr", "substring", "sum", "tan", "tanh",
    "time", "timediff", "total", "trim", "trunc", "typeof", "unhex",
    "unicode", "unixepoch", "unlikely", "upper", "zeroblob",
    /* territory */
    "abc_class", "achievement", "aging_bucket", "bar", "decile",
    "dept_potential", "headroom", "inpatient_volume", "median", "pace",
    "pace_status", "percentile", "percentile_cont", "percentile_disc",
    "quadrant", "quadrant_focus", "run_rate", "rx_share", "territory_version",
    "time_progress", "workday_progress", "workdays", NULL};

static int known_safe(const char *name, int n) {
  for (int i = 0; kKnownSafe[i]; i++)
    if ((int)strlen(kKnownSafe[i]) == n && sqlite3_strnicmp(kKnownSafe[i], name, n) == 0)
      return 1;
  return 0;
}

static int refuse_directonly(sqlite3 *db, const char *fn, const char *sql,
                             char **err) {
  if (strchr(sql, '(') == NULL) return SQLITE_OK;
  sqlite3_stmt *ex = NULL, *look = NULL;
  char *q = sqlite3_mprintf("EXPLAIN %s", sql);
  int rc = q ? sqlite3_prepare_v2(db, q, -1, &ex, NULL) : SQLITE_NOMEM;
  sqlite3_free(q);
  while (rc == SQLITE_OK && sqlite3_step(ex) == SQLITE_ROW) {
    const char *op = (const char *)sqlite3_column_text(ex, 1);
    const char *p4 = (const char *)sqlite3_column_text(ex, 5);
    if (!op || !p4 || !(strcmp(op, "Function") == 0 || strcmp(op, "PureFunc") == 0 ||
                        strncmp(op, "Agg", 3) == 0))
      continue;
    int n = 0; /* p4 is "name(nArg)" */
    while (p4[n] && p4[n] != '(') n++;
    if (known_safe(p4, n)) continue;
    if (look == NULL) {
      rc = sqlite3_prepare_v2(db,
                              "SELECT 1 FROM pragma_function_list WHERE name = ?1 "
                              "AND flags & 0x80000", /* SQLITE_DIRECTONLY */
                              -1, &look, NULL);
      if (rc != SQLITE_OK) break;
    }
    sqlite3_reset(look);
    sqlite3_bind_text(look, 1, p4, n, SQLITE_TRANSIENT);
    if (sqlite3_step(look) == SQLITE_ROW) {
      *err = sqlite3_mprintf(
          "%s: query must be read-only; it calls %.*s(), which may touch files "
          "and is refused", fn, n, p4);
      rc = SQLITE_ERROR;
    }
  }
  if (rc != SQLITE_OK && *err == NULL)
    *err = sqlite3_mprintf("%s: cannot check the functions the query calls: %s", fn,
                           sqlite3_errmsg(db));
  sqlite3_finalize(look);
  sqlite3_finalize(ex);
  return rc;
}

int query_prepare(sqlite3 *db, const char *fn, const char *text,
                  sqlite3_stmt **out, char **err) {
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
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
  if (rc != SQLITE_OK) {
    *err = sqlite3_mprintf("%s: query failed: %s", fn, sqlite3_errmsg(db));
    goto fail;
  }
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
  rc = refuse_directonly(db, fn, sql, err);
  if (rc != SQLITE_OK) goto fail;
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
