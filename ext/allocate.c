/*
** allocate.c -- exact top-down target decomposition (目标分解) as a
** table-valued function.
**
**   SELECT key, weight, share, amount
**     FROM allocate(total, query [, p1, ..., p8]);
**
** `query` is one read-only SELECT (or a bare table/view name) returning by
** position  key, weight [, min_amount [, max_amount]];  p1.. are bound to
** ?1.. so that the function works as a lateral join, one allocation per
** parent row:
**
**   SELECT t.unit_id, a.key, a.amount
**     FROM target t,
**          allocate(t.amount, 'SELECT id, w FROM child WHERE parent = ?1',
**                   t.unit_id) a;
**
** Result: one row per input row, in input order.  `amount` is an integer;
** the amounts sum to `total` exactly and follow the largest-remainder
** (Hamilton) method: every row gets the floor of its quota total*w/W, and the
** units left over go to the largest remainders, ties to the larger weight,
** then to the earlier row.  `share` is weight/Σweight (NULL when Σ is 0).
**
** Caps: min_amount / max_amount (NULL = none; reals are read as ceil(min) and
** floor(max), since amounts are whole) bound every amount.  The amounts then
** solve the capped problem "amount = clamp(λ·w, min, max), Σ = total": rows
** whose quota crosses a bound are pinned there and the rest is shared in
** proportion (Hamilton again) among the unpinned rows.  Pinning follows the
** Bitran-Hax rule (pin the side whose total violation is larger), which
** reaches the exact continuous solution's pinned set.
**
** The arithmetic (exact quotas, largest remainders, pinning at the caps)
** is ext/apportion.c, which has no SQLite in it; this file reads the query
** and the arguments into its items, words its outcomes as errors, and is
** the virtual table.  The query is read once; memory is linear in the rows
** of one call.
**
** Security: the query runs through ext/query.c (query text can only read
** tables and views and call pure functions; nesting limited per
** connection).  The module is deliberately not
** marked innocuous: it runs queries given as text.
*/
#include "apportion.h"
#include "args.h"
#include "numtext.h"
#include "query.h"
#include "registry.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_uint64 u64;
typedef sqlite3_int64 i64;
typedef unsigned __int128 u128;
typedef __int128 i128;

#define FN "allocate"
#define ALLOC_NPARAM 8 /* p1..p8 */

/* Column numbers of the declared table. */
enum {
  COL_KEY,
  COL_WEIGHT,
  COL_SHARE,
  COL_AMOUNT,
  COL_TOTAL, /* first hidden column; hidden args follow in order */
  COL_QUERY,
  COL_P1
};
#define NHIDDEN (2 + ALLOC_NPARAM)


/* ------------------------------------------------------------------ */
/* Rows                                                                 */

/* What the arithmetic does not need: the key and the weight as given, for
** output.  Row i goes with items[i] of apportion.h. */
typedef struct Row {
  unsigned char ktype, wtype;
  union {
    i64 i;
    double d;
    struct {
      u64 off;
      u64 len;
    } s;
  } key;
  union {
    i64 i;
    double d;
  } w;             /* the weight as given, for output */
} Row;

typedef struct Alloc {
  Row *rows;
  ApItem *items; /* weights, bounds and amounts, as apportion.c wants them */
  size_t n, cap;
  char *arena; /* text and blob keys */
  u64 nArena, capArena;
  double wsum, wcomp; /* Σweight for share, Neumaier-compensated (a long
                        ** double would need 16-byte alignment that
                        ** sqlite3_malloc does not promise) */
  int hasCaps;
} Alloc;

static void alloc_clear(Alloc *a) {
  sqlite3_free(a->rows);
  sqlite3_free(a->items);
  sqlite3_free(a->arena);
  memset(a, 0, sizeof(*a));
}


/* Renders a row's key for error messages, e.g. 'north' or 17. */
static char *key_repr_row(const Alloc *a, const Row *r) {
  switch (r->ktype) {
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", r->key.i);
    case SQLITE_FLOAT:
      return sqlite3_mprintf("%!.15g", r->key.d);
    case SQLITE_TEXT:
      /* no arena yet when every text key so far is '' */
      return text_repr(r->key.s.len ? a->arena + r->key.s.off : "", (int)r->key.s.len);
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return sqlite3_mprintf("NULL");
  }
}

/* "allocate: <what> for key K (row N)" */
static char *row_error(const Alloc *a, const Row *r, const char *what) {
  char *k = key_repr_row(a, r);
  char *msg = sqlite3_mprintf("%s: %s for key %s (row %lld)", FN, what,
                              k ? k : "?", (long long)(r - a->rows) + 1);
  sqlite3_free(k);
  return msg;
}

static char *col_repr(sqlite3_stmt *st, int c) {
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", sqlite3_column_int64(st, c));
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(st, c);
      if (isnan(d)) return sqlite3_mprintf("NaN");
      if (isinf(d)) return sqlite3_mprintf(d > 0 ? "inf" : "-inf");
      return sqlite3_mprintf("%!.15g", d);
    }
    case SQLITE_TEXT:
      return text_repr((const char *)sqlite3_column_text(st, c),
                       sqlite3_column_bytes(st, c));
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return sqlite3_mprintf("NULL");
  }
}

/* Reads column c as a finite number; 0 = ok, 1 = NULL, -1 = not a number. */
static int col_number(sqlite3_stmt *st, int c, int *isInt, i64 *iv, double *dv) {
  *isInt = 0;
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
      return 1;
    case SQLITE_INTEGER:
      *isInt = 1;
      *iv = sqlite3_column_int64(st, c);
      *dv = (double)*iv;
      return 0;
    case SQLITE_FLOAT:
      *dv = sqlite3_column_double(st, c);
      return isfinite(*dv) ? 0 : -1;
    case SQLITE_TEXT:
      return numtext_number((const char *)sqlite3_column_text(st, c),
                            sqlite3_column_bytes(st, c), dv) ? 0 : -1;
    default:
      return -1;
  }
}

/* "allocate: weight must be a non-negative number, got -1 for key 'x' (row 3)" */
static char *col_error(Alloc *a, Row *r, sqlite3_stmt *st, int c,
                       const char *name, const char *what) {
  char *v = col_repr(st, c);
  char *w = sqlite3_mprintf("%s must be %s, got %s", name, what, v ? v : "?");
  char *msg = row_error(a, r, w ? w : "bad value");
  sqlite3_free(v);
  sqlite3_free(w);
  return msg;
}

/* Reads a bound column: NULL -> *present = 0; else a whole-number bound
** (ceil for a minimum, floor for a maximum). Returns an error or NULL. */
static char *read_bound(Alloc *a, Row *r, sqlite3_stmt *st, int c,
                        const char *name, int isMax, int *present, i64 *out) {
  int isInt;
  i64 iv = 0;
  double dv = 0;
  int rc = col_number(st, c, &isInt, &iv, &dv);
  *present = 0;
  if (rc == 1) return NULL;
  if (rc < 0) return col_error(a, r, st, c, name, "a number or NULL");
  if (isInt) {
    if (iv < 0) return col_error(a, r, st, c, name, "non-negative");
    *out = iv;
  } else {
    if (dv < 0) return col_error(a, r, st, c, name, "non-negative");
    double b = isMax ? floor(dv) : ceil(dv);
    if (b >= 9223372036854775808.0)
      return col_error(a, r, st, c, name, "below 2^63");
    *out = (i64)b;
  }
  *present = 1;
  return NULL;
}

/* Reads the query's rows into a. Returns an error message or NULL. */
static char *read_rows(Alloc *a, sqlite3_stmt *st, sqlite3 *db) {
  int nc = sqlite3_column_count(st);
  if (nc < 2 || nc > 4)
    return sqlite3_mprintf(
        "%s: query must return 2 to 4 columns (key, weight [, min_amount [, "
        "max_amount]]), got %d",
        FN, nc);
  a->hasCaps = nc > 2;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (a->n == a->cap) {
      size_t nc2 = a->cap ? a->cap * 2 : 64;
      Row *nr = sqlite3_realloc64(a->rows, nc2 * sizeof(Row));
      if (nr) a->rows = nr;
      ApItem *ni = nr ? sqlite3_realloc64(a->items, nc2 * sizeof(ApItem)) : NULL;
      if (!ni) return sqlite3_mprintf("%s: out of memory", FN);
      a->items = ni;
      a->cap = nc2;
    }
    ApItem *it = &a->items[a->n];
    Row *r = &a->rows[a->n++];
    memset(r, 0, sizeof(*r));
    memset(it, 0, sizeof(*it));
    /* key */
    r->ktype = (unsigned char)sqlite3_column_type(st, 0);
    switch (r->ktype) {
      case SQLITE_INTEGER:
        r->key.i = sqlite3_column_int64(st, 0);
        break;
      case SQLITE_FLOAT:
        r->key.d = sqlite3_column_double(st, 0);
        break;
      case SQLITE_TEXT:
      case SQLITE_BLOB: {
        const void *p = r->ktype == SQLITE_TEXT
                            ? (const void *)sqlite3_column_text(st, 0)
                            : sqlite3_column_blob(st, 0);
        u64 len = (u64)sqlite3_column_bytes(st, 0);
        if (a->nArena + len > a->capArena) {
          u64 c2 = a->capArena ? a->capArena * 2 : 4096;
          while (c2 < a->nArena + len) c2 *= 2;
          char *na = sqlite3_realloc64(a->arena, c2);
          if (!na) return sqlite3_mprintf("%s: out of memory", FN);
          a->arena = na;
          a->capArena = c2;
        }
        if (len) memcpy(a->arena + a->nArena, p, len);
        r->key.s.off = a->nArena;
        r->key.s.len = len;
        a->nArena += len;
        break;
      }
      default:
        break;
    }
    /* weight */
    int isInt;
    i64 iv = 0;
    double dv = 0;
    int wr = col_number(st, 1, &isInt, &iv, &dv);
    if (wr == 1) return row_error(a, r, "weight must not be NULL");
    if (wr < 0) return col_error(a, r, st, 1, "weight", "a finite number");
    if ((isInt && iv < 0) || (!isInt && dv < 0))
      return col_error(a, r, st, 1, "weight", "non-negative");
    if (isInt) {
      r->wtype = SQLITE_INTEGER;
      r->w.i = iv;
    } else {
      if (dv == 0) dv = 0; /* fold -0.0 */
      r->wtype = SQLITE_FLOAT;
      r->w.d = dv;
    }
    ap_split_weight(it, isInt, iv, dv);
    {
      double x = isInt ? (double)iv : dv, t = a->wsum + x;
      a->wcomp += fabs(a->wsum) >= fabs(x) ? (a->wsum - t) + x : (x - t) + a->wsum;
      a->wsum = t;
    }
    /* caps */
    if (nc >= 3) {
      int present;
      i64 lo = 0;
      char *err = read_bound(a, r, st, 2, "min_amount", 0, &present, &lo);
      if (err) return err;
      it->lo = present ? lo : 0;
    }
    if (nc >= 4) {
      int present;
      i64 hi = 0;
      char *err = read_bound(a, r, st, 3, "max_amount", 1, &present, &hi);
      if (err) return err;
      it->hi = hi;
      it->hasHi = (unsigned char)present;
      if (present && it->hi < it->lo) {
        char *w = sqlite3_mprintf("min_amount %lld exceeds max_amount %lld",
                                  (long long)it->lo, (long long)it->hi);
        char *msg = row_error(a, r, w ? w : "min_amount exceeds max_amount");
        sqlite3_free(w);
        return msg;
      }
    }
  }
  if (rc != SQLITE_DONE) return query_error(db, FN);
  return NULL;
}

static char *fmt_i128(i128 v) {
  char buf[64];
  int p = 63, neg = v < 0;
  u128 u = neg ? (u128)(-v) : (u128)v;
  buf[p] = 0;
  do {
    buf[--p] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  if (neg) buf[--p] = '-';
  return sqlite3_mprintf("%s", buf + p);
}

/* sqlite3_realloc64 for apportion.c, so that SQLite's memory statistics
** count its buffers. */
static void *ap_realloc(void *p, size_t n) { return sqlite3_realloc64(p, (sqlite3_uint64)n); }
static void ap_release(void *p) { sqlite3_free(p); }

/* The whole computation (apportion.c), its outcome worded for the user. */
static char *allocate_rows(Alloc *a, u64 T) {
  static const ApMem mem = {ap_realloc, ap_release};
  ApReport rep;
  ApStatus st = ap_allocate(a->items, a->n, T, a->hasCaps, &mem, &rep);
  char *lo = NULL, *hi = NULL, *msg = NULL;
  switch (st) {
    case AP_OK:
      return NULL;
    case AP_NOMEM:
      return sqlite3_mprintf("%s: out of memory", FN);
    case AP_TOO_MANY:
      return sqlite3_mprintf("%s: too many rows", FN);
    case AP_NO_ROWS:
      return sqlite3_mprintf("%s: query returned no rows to share a total of %llu", FN,
                             (unsigned long long)T);
    case AP_INFEASIBLE:
      lo = fmt_i128(rep.sumLo);
      hi = rep.hiUnbounded ? sqlite3_mprintf("unbounded") : fmt_i128(rep.sumHi);
      msg = sqlite3_mprintf(
          "%s: total %llu is infeasible: the minimums sum to %s and the maximums to %s", FN,
          (unsigned long long)T, lo ? lo : "?", hi ? hi : "?");
      break;
    case AP_ALL_ZERO:
      if (!a->hasCaps)
        return sqlite3_mprintf("%s: all weights are zero; cannot share a positive total of %llu",
                               FN, (unsigned long long)T);
      lo = fmt_i128(rep.sumLo);
      msg = sqlite3_mprintf(
          "%s: all weights are zero; cannot share %llu beyond the minimums (which sum to %s)",
          FN, (unsigned long long)T, lo ? lo : "?");
      break;
    case AP_OVER_WEIGHTED_MAX:
      hi = fmt_i128(rep.sumHiW);
      msg = sqlite3_mprintf(
          "%s: total %llu exceeds %s, what the rows with positive weight can take "
          "at their max_amount (rows with zero weight stay at their min_amount)",
          FN, (unsigned long long)T, hi ? hi : "?");
      break;
    default:
      if (rep.row < a->n) {
        char *w = sqlite3_mprintf("internal error: %s", rep.what);
        msg = row_error(a, &a->rows[rep.row], w ? w : "internal error");
        sqlite3_free(w);
      } else {
        msg = sqlite3_mprintf("%s: internal error: %s", FN, rep.what);
      }
  }
  sqlite3_free(lo);
  sqlite3_free(hi);
  return msg;
}
/* The virtual table                                                    */

typedef struct AllocVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  QueryConn *qc;
} AllocVtab;

typedef struct AllocCursor {
  sqlite3_vtab_cursor base;
  Alloc a;
  size_t i;
  sqlite3_value *args[NHIDDEN];
  sqlite3_stmt *st;      /* the last query, kept for the next parent row */
  char *zq;
  unsigned stamp;        /* query_stamp() when st was prepared */
} AllocCursor;

static int allocConnect(sqlite3 *db, void *pAux, int argc,
                        const char *const *argv, sqlite3_vtab **ppVtab,
                        char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(key, weight, share, amount, total HIDDEN, query HIDDEN, "
      "p1 HIDDEN, p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, "
      "p7 HIDDEN, p8 HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* It runs a query given as text: only top-level SQL (and TEMP views and
  ** triggers, which the connection's own code made) may call it, never a
  ** view or trigger stored in a database file, which could otherwise reach
  ** file-touching functions and tables through the query. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  AllocVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->qc = pAux;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int allocDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int allocOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  AllocCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void cursor_reset(AllocCursor *c) {
  alloc_clear(&c->a);
  for (int i = 0; i < NHIDDEN; i++) {
    sqlite3_value_free(c->args[i]);
    c->args[i] = NULL;
  }
  c->i = 0;
}

static int allocClose(sqlite3_vtab_cursor *cur) {
  AllocCursor *c = (AllocCursor *)cur;
  cursor_reset(c);
  sqlite3_finalize(c->st);
  sqlite3_free(c->zq);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Every argument given must arrive as a usable = constraint, so that the
** function runs once per outer row (lateral use); plans that lack one are
** refused with SQLITE_CONSTRAINT and SQLite picks another. */
static int allocBestIndex(sqlite3_vtab *v, sqlite3_index_info *p) {
  int at[NHIDDEN];
  if (tvf_args_find(p, COL_TOTAL, NHIDDEN, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf(
        "%s: needs a total and a query: allocate(total, query [, p1, ...])", FN);
    return SQLITE_ERROR;
  }
  p->idxNum = (int)tvf_args_use(p, at, NHIDDEN);
  p->estimatedCost = 1000;
  p->estimatedRows = 1000;
  return SQLITE_OK;
}

/* "allocate: total must be WHAT, got VALUE" */
static char *total_error(sqlite3_value *v, const char *what) {
  char *r = value_repr(v);
  char *m = sqlite3_mprintf("%s: total must be %s, got %s", FN, what, r ? r : "?");
  sqlite3_free(r);
  return m;
}

/* Reads the total: 0 ok, 1 NULL, -1 error (message in *err). */
static int read_total(sqlite3_value *v, u64 *out, char **err) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return 1;
  if (t == SQLITE_INTEGER) {
    i64 x = sqlite3_value_int64(v);
    if (x < 0) goto bad;
    *out = (u64)x;
    return 0;
  }
  if (t == SQLITE_TEXT) {
    /* whole numbers in text keep their exact value, even past 2^53 */
    long long ll;
    const char *z = (const char *)sqlite3_value_text(v);
    if (z && numtext_int64(z, sqlite3_value_bytes(v), &ll) && ll >= 0) {
      *out = (u64)ll;
      return 0;
    }
  }
  double d;
  if (t == SQLITE_FLOAT) {
    d = sqlite3_value_double(v);
  } else if (t == SQLITE_TEXT) {
    if (!value_text_number(v, &d)) goto bad;
  } else {
    goto bad;
  }
  if (!isfinite(d) || d < 0 || d != floor(d)) goto bad;
  if (d > 9007199254740992.0) {
    *err = total_error(v, "an integer (a real total must be at most 2^53 = "
                          "9007199254740992; pass larger totals as integers)");
    return -1;
  }
  *out = (u64)d;
  return 0;
bad:
  *err = total_error(v, "a non-negative whole number");
  return -1;
}

static int allocFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                       int argc, sqlite3_value **argv) {
  (void)idxStr;
  AllocCursor *c = (AllocCursor *)cur;
  AllocVtab *t = (AllocVtab *)cur->pVtab;
  cursor_reset(c);
  sqlite3_value *given[NHIDDEN] = {0};
  int j = 0;
  for (int b = 0; b < NHIDDEN; b++) {
    if (!(idxNum & (1 << b))) continue;
    if (j >= argc) return tvf_error(cur->pVtab, sqlite3_mprintf("%s: internal error: arguments", FN));
    given[b] = argv[j++];
    c->args[b] = sqlite3_value_dup(given[b]);
    if (!c->args[b]) return SQLITE_NOMEM;
  }
  int nParam = 0;
  for (int b = 2; b < NHIDDEN; b++)
    if (given[b]) nParam = b - 1;
  for (int b = 2; b < 2 + nParam; b++)
    if (!given[b])
      return tvf_error(cur->pVtab,
                       sqlite3_mprintf("%s: parameters must be given in order (p%d is missing)", FN, b - 1));

  u64 T = 0;
  char *err = NULL;
  int tr = read_total(given[0], &T, &err);
  if (tr < 0) return tvf_error(cur->pVtab, err);
  int qt = sqlite3_value_type(given[1]);
  if (qt == SQLITE_BLOB)
    return tvf_error(cur->pVtab, sqlite3_mprintf("%s: query must be text, got a blob", FN));
  if (tr == 1 || qt == SQLITE_NULL) return SQLITE_OK; /* NULL in, no rows out */
  const char *zq = (const char *)sqlite3_value_text(given[1]);
  if (!zq) return SQLITE_NOMEM;
  if ((int)strlen(zq) != sqlite3_value_bytes(given[1])) {
    /* SQLite would prepare only the text before the NUL */
    char *r = value_repr(given[1]);
    err = sqlite3_mprintf("%s: query must be text without NUL characters, got %s", FN,
                          r ? r : "?");
    sqlite3_free(r);
    return tvf_error(cur->pVtab, err);
  }

  sqlite3_stmt *st = NULL;
  if (query_enter(t->qc, FN, &err)) return tvf_error(cur->pVtab, err);
  /* A lateral allocate runs the same text once per parent row: the checked
  ** statement is kept and run again while no authorizer change of ours has
  ** expired it (a recompile happens outside our check, so it is refused
  ** below and the text prepared and checked again). */
  int reused = c->st && c->zq && strcmp(c->zq, zq) == 0 && query_reusable(t->qc, c->stamp);
  for (int attempt = 0; attempt < 2 && !err; attempt++) {
    int prc = SQLITE_OK, before = 0;
    if (reused) {
      st = c->st;
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      before = query_recompile_count(st);
    } else {
      sqlite3_finalize(c->st);
      sqlite3_free(c->zq);
      c->st = NULL;
      c->zq = NULL;
      st = NULL;
      prc = query_prepare(t->qc, FN, zq, &st, &err);
      if (prc == SQLITE_OK) {
        c->st = st;
        c->zq = sqlite3_mprintf("%s", zq);
        c->stamp = query_stamp(t->qc);
        if (!c->zq) err = sqlite3_mprintf("%s: out of memory", FN);
      }
    }
    if (prc == SQLITE_OK && !err &&
        query_bind(st, FN, given + 2, nParam, &err) == SQLITE_OK) {
      err = read_rows(&c->a, st, t->db);
    }
    if (st) sqlite3_reset(st);
    if (!reused || !query_recompiled(t->qc, st, before)) break;
    /* recompiled unchecked: forget its rows and check the text again */
    sqlite3_free(err);
    err = NULL;
    alloc_clear(&c->a);
    reused = 0;
  }
  query_leave(t->qc);
  if (!err) err = allocate_rows(&c->a, T);
  if (err) {
    alloc_clear(&c->a);
    return tvf_error(cur->pVtab, err);
  }
  return SQLITE_OK;
}

static int allocNext(sqlite3_vtab_cursor *cur) {
  ((AllocCursor *)cur)->i++;
  return SQLITE_OK;
}

static int allocEof(sqlite3_vtab_cursor *cur) {
  AllocCursor *c = (AllocCursor *)cur;
  return c->i >= c->a.n;
}

static int allocColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  AllocCursor *c = (AllocCursor *)cur;
  const Row *r = &c->a.rows[c->i];
  switch (col) {
    case COL_KEY:
      switch (r->ktype) {
        case SQLITE_INTEGER:
          sqlite3_result_int64(ctx, r->key.i);
          break;
        case SQLITE_FLOAT:
          sqlite3_result_double(ctx, r->key.d);
          break;
        case SQLITE_TEXT:
          sqlite3_result_text64(ctx, r->key.s.len ? c->a.arena + r->key.s.off : "", r->key.s.len,
                                SQLITE_TRANSIENT, SQLITE_UTF8);
          break;
        case SQLITE_BLOB:
          sqlite3_result_blob64(ctx, r->key.s.len ? c->a.arena + r->key.s.off : "",
                                r->key.s.len, SQLITE_TRANSIENT);
          break;
        default:
          sqlite3_result_null(ctx);
      }
      break;
    case COL_WEIGHT:
      if (r->wtype == SQLITE_INTEGER)
        sqlite3_result_int64(ctx, r->w.i);
      else
        sqlite3_result_double(ctx, r->w.d);
      break;
    case COL_SHARE:
      if (c->a.wsum + c->a.wcomp > 0)
        sqlite3_result_double(
            ctx, (r->wtype == SQLITE_INTEGER ? (double)r->w.i : r->w.d) /
                     (c->a.wsum + c->a.wcomp));
      else
        sqlite3_result_null(ctx);
      break;
    case COL_AMOUNT:
      sqlite3_result_int64(ctx, c->a.items[c->i].amount);
      break;
    default: {
      int b = col - COL_TOTAL;
      if (b >= 0 && b < NHIDDEN && c->args[b])
        sqlite3_result_value(ctx, c->args[b]);
      else
        sqlite3_result_null(ctx);
    }
  }
  return SQLITE_OK;
}

static int allocRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((AllocCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module allocModule = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only: allocate(...) in FROM, no CREATE */
    .xConnect = allocConnect,
    .xBestIndex = allocBestIndex,
    .xDisconnect = allocDisconnect,
    .xOpen = allocOpen,
    .xClose = allocClose,
    .xFilter = allocFilter,
    .xNext = allocNext,
    .xEof = allocEof,
    .xColumn = allocColumn,
    .xRowid = allocRowid,
};

/* The module holds a reference to the connection's state, dropped when
** SQLite destroys the module (connection closed, or registered again). */
int allocate_register(sqlite3 *db, QueryConn *qc) {
  query_conn_ref(qc);
  return sqlite3_create_module_v2(db, FN, &allocModule, qc, query_conn_unref);
}
