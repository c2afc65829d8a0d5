/*
** allocmonths.c -- allocate_months(), many allocations of a year to its 12
** months in one call: every parent total shared over the month weights of
** its profile, the months side by side.
**
**   SELECT key, m1, m12, s1
**     FROM allocate_months(
**       'SELECT id, amount, unit_id, entry_month FROM plan_year ORDER BY id',
**       'SELECT unit_id, month, w FROM unit_season');
**
** parents: a query (or a table or view name, as for allocate()) returning by
** position  key, total, profile, first:  one allocation per row, in the
** query's order.  key is an integer (returned as it is), total a
** non-negative whole number (NULL: the row is skipped), profile an integer
** naming a profile of the second query, first the first month (1..12) that
** may get anything (NULL: 1).
** months: a query returning  profile, month, weight:  the month weights of
** each profile (month 1..12, at most once per profile; a month not given
** weighs 0), a weight a non-negative finite number.
**
** Each parent's row is exactly what allocate() gives for
**   allocate(total, 'SELECT month, CASE WHEN month < first THEN 0
**                                        WHEN <a month from first on weighs > 0> THEN weight
**                                        ELSE 1 END
**                      FROM <the profile''s 12 months> ORDER BY month')
** i.e. the months before first get 0, and when no month from first on has a
** weight they share equally: m1 .. m12 are the amounts (summing to total
** exactly, largest remainders, ties to the larger weight, then the earlier
** month: ext/apportion.c), s1 .. s12 the shares weight / sum of weights,
** bit for bit allocate()'s (the equal fallback keeps that sum above 0;
** the NULL share and the all-zero error below are allocate()'s answers
** kept for a sum that cannot be 0, not reached).
**
** Why C: the decompose report (sql/reports/decompose.sql) splits every
** hospital's year into months.  As a lateral allocate() per hospital (its
** query run again for each of 30,000 hospitals, 360,000 rows, and the
** months then read back and pivoted to sum them per unit and quarter) that
** took about 0.75 s at SCALE=1; here both queries are read once and the
** months come side by side, ready for those sums.
**
** Both queries are read to the end before the first row is returned, so the
** statement around the call may write to the tables they read.  The queries
** run through ext/query.c (they can only read; nesting is limited per
** connection), as allocate()'s do; like allocate, the module is not
** innocuous.  Errors name the function, the argument or column, the value
** and the row: "allocate_months: month must be an integer 1 to 12, got 13
** (profile 4)".
*/
#include "apportion.h"
#include "args.h"
#include "numtext.h"
#include "query.h"
#include "registry.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 am_i64;
typedef sqlite3_uint64 am_u64;

#define AM_FN "allocate_months"

enum { AM_COL_KEY, AM_COL_M1, AM_COL_S1 = AM_COL_M1 + 12, AM_COL_PARENTS = AM_COL_S1 + 12,
       AM_COL_MONTHS };

/* A month weight as given: an integer, or a real (text that reads as a
** number counts as a real, as in allocate()). */
typedef struct AmWeight {
  int isInt;
  am_i64 i;
  double d;
} AmWeight;

/* One profile: its months' weights; a month not given is the integer 0. */
typedef struct AmProfile {
  am_i64 id;
  unsigned has; /* bit m-1: month m given */
  AmWeight w[12];
} AmProfile;

typedef struct AmParent {
  am_i64 key, profile;
  am_u64 total;
  int first;
} AmParent;

typedef struct AmVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  QueryConn *qc;
} AmVtab;

typedef struct AmCursor {
  sqlite3_vtab_cursor base;
  AmProfile *prof; /* sorted by id */
  size_t nprof, capProf;
  AmParent *par;
  size_t npar, capPar;
  size_t i;        /* the current parent */
  am_i64 amount[12];
  double share[12];
  int hasShare;
} AmCursor;

static int amConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(key INTEGER, m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER, m5 INTEGER,"
      " m6 INTEGER, m7 INTEGER, m8 INTEGER, m9 INTEGER, m10 INTEGER, m11 INTEGER, m12 INTEGER,"
      " s1 REAL, s2 REAL, s3 REAL, s4 REAL, s5 REAL, s6 REAL, s7 REAL, s8 REAL, s9 REAL,"
      " s10 REAL, s11 REAL, s12 REAL, parents HIDDEN, months HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* It runs queries given as text: top-level SQL only, as allocate(). */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  AmVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->qc = aux;
  *pp = &t->base;
  return SQLITE_OK;
}

static int amDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static void am_reset(AmCursor *c) {
  sqlite3_free(c->prof);
  sqlite3_free(c->par);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int amOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  AmCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static int amClose(sqlite3_vtab_cursor *cur) {
  am_reset((AmCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Both arguments must arrive as usable = constraints (one call per
** statement, or per outer row when used laterally). */
static int amBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[2];
  if (tvf_args_find(ix, AM_COL_PARENTS, 2, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("%s: needs two queries: %s(parents, months)", AM_FN, AM_FN);
    return SQLITE_ERROR;
  }
  tvf_args_use(ix, at, 2);
  ix->estimatedCost = 1e5;
  ix->estimatedRows = 10000;
  return SQLITE_OK;
}

/* The text of a column's value for an error message. */
static char *am_repr(sqlite3_stmt *st, int col) {
  sqlite3_value *v = sqlite3_column_value(st, col);
  return value_repr(v);
}

/* "allocate_months: NAME must be WHAT, got VALUE (WHERE)" */
static char *am_col_error(sqlite3_stmt *st, int col, const char *name, const char *what,
                          const char *where) {
  char *r = am_repr(st, col);
  char *m = sqlite3_mprintf("%s: %s must be %s, got %s%s", AM_FN, name, what, r ? r : "?",
                            where ? where : "");
  sqlite3_free(r);
  return m;
}

/* An integer column (keys, profiles, months): 1 ok, 0 not an integer. */
static int am_int(sqlite3_stmt *st, int col, am_i64 *out) {
  if (sqlite3_column_type(st, col) != SQLITE_INTEGER) return 0;
  *out = sqlite3_column_int64(st, col);
  return 1;
}

static int am_cmp_prof(const void *a, const void *b) {
  am_i64 x = ((const AmProfile *)a)->id, y = ((const AmProfile *)b)->id;
  return x < y ? -1 : x > y;
}

static AmProfile *am_find(AmCursor *c, am_i64 id) {
  size_t lo = 0, hi = c->nprof;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->prof[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->nprof && c->prof[lo].id == id ? &c->prof[lo] : NULL;
}

/* Reads the months query into c->prof (sorted by id). Returns an error or
** NULL. */
static char *am_read_months(AmCursor *c, sqlite3_stmt *st, sqlite3 *db) {
  if (sqlite3_column_count(st) != 3)
    return sqlite3_mprintf("%s: months must return 3 columns (profile, month, weight), got %d",
                           AM_FN, sqlite3_column_count(st));
  /* The rows of one profile usually come together: the last one is looked
  ** at first, the rest found after sorting (profiles given apart merge). */
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    am_i64 id, month;
    if (!am_int(st, 0, &id)) return am_col_error(st, 0, "profile", "an integer", " (months)");
    char where[64];
    sqlite3_snprintf(sizeof where, where, " (profile %lld)", (long long)id);
    if (!am_int(st, 1, &month) || month < 1 || month > 12)
      return am_col_error(st, 1, "month", "an integer 1 to 12", where);
    sqlite3_snprintf(sizeof where, where, " (profile %lld, month %lld)", (long long)id,
                     (long long)month);
    AmWeight w = {0, 0, 0};
    switch (sqlite3_column_type(st, 2)) {
      case SQLITE_INTEGER:
        w.isInt = 1;
        w.i = sqlite3_column_int64(st, 2);
        if (w.i < 0) return am_col_error(st, 2, "weight", "non-negative", where);
        break;
      case SQLITE_FLOAT:
        w.d = sqlite3_column_double(st, 2);
        if (!isfinite(w.d)) return am_col_error(st, 2, "weight", "a finite number", where);
        break;
      case SQLITE_TEXT:
        if (!numtext_number((const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2),
                            &w.d))
          return am_col_error(st, 2, "weight", "a finite number", where);
        break;
      default:
        return am_col_error(st, 2, "weight", "a finite number", where);
    }
    if (!w.isInt) {
      if (w.d < 0) return am_col_error(st, 2, "weight", "non-negative", where);
      if (w.d == 0) w.d = 0; /* fold -0.0, as allocate() does */
    }
    AmProfile *p = c->nprof && c->prof[c->nprof - 1].id == id ? &c->prof[c->nprof - 1] : NULL;
    if (!p) {
      if (c->nprof == c->capProf) {
        size_t n = c->capProf ? c->capProf * 2 : 256;
        AmProfile *q = sqlite3_realloc64(c->prof, n * sizeof(*q));
        if (!q) return sqlite3_mprintf("%s: out of memory", AM_FN);
        c->prof = q;
        c->capProf = n;
      }
      p = &c->prof[c->nprof++];
      memset(p, 0, sizeof(*p));
      p->id = id;
      for (int m = 0; m < 12; m++) p->w[m].isInt = 1;
    }
    if (p->has & (1u << (month - 1)))
      return sqlite3_mprintf("%s: months gives month %lld of profile %lld twice", AM_FN,
                             (long long)month, (long long)id);
    p->has |= 1u << (month - 1);
    p->w[month - 1] = w;
  }
  if (rc != SQLITE_DONE) return query_error(db, AM_FN);
  if (c->nprof > 1) qsort(c->prof, c->nprof, sizeof(*c->prof), am_cmp_prof);
  /* merge a profile given in several runs of rows */
  size_t o = 0;
  for (size_t i = 0; i < c->nprof; i++) {
    if (o && c->prof[o - 1].id == c->prof[i].id) {
      AmProfile *d = &c->prof[o - 1], *s = &c->prof[i];
      if (d->has & s->has) {
        int m = 0;
        while (!((d->has & s->has) & (1u << m))) m++;
        return sqlite3_mprintf("%s: months gives month %d of profile %lld twice", AM_FN, m + 1,
                               (long long)d->id);
      }
      for (int m = 0; m < 12; m++)
        if (s->has & (1u << m)) d->w[m] = s->w[m];
      d->has |= s->has;
    } else {
      c->prof[o++] = c->prof[i];
    }
  }
  c->nprof = o;
  return NULL;
}

/* Reads the parents query into c->par. Returns an error or NULL. */
static char *am_read_parents(AmCursor *c, sqlite3_stmt *st, sqlite3 *db) {
  if (sqlite3_column_count(st) != 4)
    return sqlite3_mprintf(
        "%s: parents must return 4 columns (key, total, profile, first), got %d", AM_FN,
        sqlite3_column_count(st));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    AmParent p = {0, 0, 0, 1};
    if (!am_int(st, 0, &p.key)) return am_col_error(st, 0, "key", "an integer", " (parents)");
    char where[48];
    sqlite3_snprintf(sizeof where, where, " (parent %lld)", (long long)p.key);
    switch (sqlite3_column_type(st, 1)) {
      case SQLITE_NULL:
        continue; /* no total, no row (allocate: NULL in, no rows out) */
      case SQLITE_INTEGER: {
        am_i64 t = sqlite3_column_int64(st, 1);
        if (t < 0) return am_col_error(st, 1, "total", "a non-negative whole number", where);
        p.total = (am_u64)t;
        break;
      }
      case SQLITE_FLOAT: {
        double d = sqlite3_column_double(st, 1);
        if (!isfinite(d) || d < 0 || d != floor(d) || d > 9007199254740992.0)
          return am_col_error(st, 1, "total", "a non-negative whole number (a real at most 2^53)",
                              where);
        p.total = (am_u64)d;
        break;
      }
      default:
        return am_col_error(st, 1, "total", "a non-negative whole number", where);
    }
    if (!am_int(st, 2, &p.profile)) return am_col_error(st, 2, "profile", "an integer", where);
    if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
      am_i64 f;
      if (!am_int(st, 3, &f) || f < 1 || f > 12)
        return am_col_error(st, 3, "first", "an integer 1 to 12 or NULL", where);
      p.first = (int)f;
    }
    if (c->npar == c->capPar) {
      size_t n = c->capPar ? c->capPar * 2 : 1024;
      AmParent *q = sqlite3_realloc64(c->par, n * sizeof(*q));
      if (!q) return sqlite3_mprintf("%s: out of memory", AM_FN);
      c->par = q;
      c->capPar = n;
    }
    c->par[c->npar++] = p;
  }
  if (rc != SQLITE_DONE) return query_error(db, AM_FN);
  for (size_t i = 0; i < c->npar; i++)
    if (!am_find(c, c->par[i].profile))
      return sqlite3_mprintf("%s: months has no profile %lld (parent %lld)", AM_FN,
                             (long long)c->par[i].profile, (long long)c->par[i].key);
  return NULL;
}

/* "allocate_months: query ..." (ext/query.c's wording, and SQLite's
** errors while the query runs) with the argument named:
** "allocate_months: months query ...". */
static char *am_name_query(char *err, const char *name) {
  static const char prefix[] = AM_FN ": query";
  if (!err || strncmp(err, prefix, sizeof prefix - 1) != 0) return err;
  char *m = sqlite3_mprintf("%s: %s query%s", AM_FN, name, err + sizeof prefix - 1);
  sqlite3_free(err);
  return m;
}

/* Runs one query text to the end through reader.  As in allocate(), a
** number is read as its text (0 names a table "0"); a blob is refused. */
static char *am_run(AmCursor *c, AmVtab *t, sqlite3_value *arg, const char *name,
                    char *(*reader)(AmCursor *, sqlite3_stmt *, sqlite3 *)) {
  if (sqlite3_value_type(arg) == SQLITE_BLOB)
    return sqlite3_mprintf("%s: %s query must be text, got a blob", AM_FN, name);
  const char *zq = (const char *)sqlite3_value_text(arg);
  if (!zq) return sqlite3_mprintf("%s: out of memory", AM_FN);
  if ((int)strlen(zq) != sqlite3_value_bytes(arg)) {
    char *r = value_repr(arg);
    char *m = sqlite3_mprintf("%s: %s query must be text without NUL characters, got %s", AM_FN,
                              name, r ? r : "?");
    sqlite3_free(r);
    return m;
  }
  char *err = NULL;
  sqlite3_stmt *st = NULL;
  if (query_prepare(t->qc, AM_FN, zq, &st, &err) == SQLITE_OK) err = reader(c, st, t->db);
  sqlite3_finalize(st);
  return am_name_query(err, name);
}

/* sqlite3_realloc64 for apportion.c, so that SQLite's memory statistics
** count what it allocates (as in allocate.c). */
static void *am_realloc(void *p, size_t n) { return sqlite3_realloc64(p, (sqlite3_uint64)n); }
static void am_release(void *p) { sqlite3_free(p); }

/* Computes the current parent's months (c->amount, c->share). */
static char *am_compute(AmCursor *c) {
  const AmParent *p = &c->par[c->i];
  const AmProfile *pr = am_find(c, p->profile);
  int f = p->first - 1, anyPos = 0;
  for (int m = f; m < 12; m++) {
    const AmWeight *w = &pr->w[m];
    if (w->isInt ? w->i > 0 : w->d > 0) anyPos = 1;
  }
  ApItem it[12];
  AmWeight use[12];
  double wsum = 0, wcomp = 0;
  memset(it, 0, sizeof it);
  for (int m = 0; m < 12; m++) {
    if (m < f) use[m] = (AmWeight){1, 0, 0};
    else if (anyPos) use[m] = pr->w[m];
    else use[m] = (AmWeight){1, 1, 0};
    ap_split_weight(&it[m], use[m].isInt, use[m].i, use[m].d);
    /* allocate()'s compensated sum, in the same order */
    double x = use[m].isInt ? (double)use[m].i : use[m].d, s = wsum + x;
    wcomp += fabs(wsum) >= fabs(x) ? (wsum - s) + x : (x - s) + wsum;
    wsum = s;
  }
  static const ApMem mem = {am_realloc, am_release};
  ApReport rep;
  ApStatus st = ap_allocate(it, 12, p->total, 0, &mem, &rep);
  if (st == AP_ALL_ZERO)
    return sqlite3_mprintf("%s: all weights are zero; cannot share a positive total of %llu "
                           "(parent %lld)",
                           AM_FN, (unsigned long long)p->total, (long long)p->key);
  if (st != AP_OK)
    return sqlite3_mprintf("%s: internal error %d (parent %lld)", AM_FN, (int)st,
                           (long long)p->key);
  c->hasShare = wsum + wcomp > 0;
  for (int m = 0; m < 12; m++) {
    c->amount[m] = it[m].amount;
    c->share[m] = c->hasShare ? (use[m].isInt ? (double)use[m].i : use[m].d) / (wsum + wcomp) : 0;
  }
  return NULL;
}

static int amFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  AmCursor *c = (AmCursor *)cur;
  AmVtab *t = (AmVtab *)cur->pVtab;
  am_reset(c);
  if (argc != 2) return tvf_error(c->base.pVtab, sqlite3_mprintf("%s: internal error: arguments", AM_FN));
  /* NULL in, no rows out (as allocate()) */
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return SQLITE_OK;
  char *err = NULL;
  if (query_enter(t->qc, AM_FN, &err)) return tvf_error(c->base.pVtab, err);
  err = am_run(c, t, argv[1], "months", am_read_months);
  if (!err) err = am_run(c, t, argv[0], "parents", am_read_parents);
  query_leave(t->qc);
  if (!err && c->npar) err = am_compute(c);
  if (err) {
    am_reset(c);
    return tvf_error(c->base.pVtab, err);
  }
  return SQLITE_OK;
}

static int amNext(sqlite3_vtab_cursor *cur) {
  AmCursor *c = (AmCursor *)cur;
  if (++c->i < c->npar) {
    char *err = am_compute(c);
    if (err) return tvf_error(c->base.pVtab, err);
  }
  return SQLITE_OK;
}

static int amEof(sqlite3_vtab_cursor *cur) {
  AmCursor *c = (AmCursor *)cur;
  return c->i >= c->npar;
}

static int amColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  AmCursor *c = (AmCursor *)cur;
  if (col == AM_COL_KEY) sqlite3_result_int64(ctx, c->par[c->i].key);
  else if (col >= AM_COL_M1 && col < AM_COL_M1 + 12) sqlite3_result_int64(ctx, c->amount[col - AM_COL_M1]);
  else if (col >= AM_COL_S1 && col < AM_COL_S1 + 12 && c->hasShare)
    sqlite3_result_double(ctx, c->share[col - AM_COL_S1]);
  /* NULL shares (weights summing to 0) and the hidden arguments */
  return SQLITE_OK;
}

static int amRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((AmCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module am_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = amConnect,
    .xBestIndex = amBestIndex,
    .xDisconnect = amDisconnect,
    .xOpen = amOpen,
    .xClose = amClose,
    .xFilter = amFilter,
    .xNext = amNext,
    .xEof = amEof,
    .xColumn = amColumn,
    .xRowid = amRowid,
};

/* The module holds a reference to the connection's state (ext/query.h),
** dropped when SQLite destroys the module. */
int allocmonths_register(sqlite3 *db, QueryConn *qc) {
  query_conn_ref(qc);
  return sqlite3_create_module_v2(db, AM_FN, &am_module, qc, query_conn_unref);
}
