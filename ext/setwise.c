/*
** setwise.c -- doctor and customer segmentation set at a time: three
** table-valued functions that read their query once, group its rows by a
** key in C and classify every row of a group together, without SQLite's
** window machinery (no partition buffering, no sorter).
**
**   SELECT * FROM segment(query [, usage_cut, potential_cut [, p1 ... p8]]);
**       query returns  grp, id, usage, potential
**       adds           usage_cut, potential_cut   (the group's medians, or
**                                                  the fixed cuts given)
**                      quadrant                   'A'..'D' as quadrant()
**   SELECT * FROM segment_summary(query [, usage_cut, potential_cut [, p1 ... p8]]);
**       query returns  grp, id, usage, potential [, keep]
**       returns        grp, quadrant, id, n, usage_cut, potential_cut: segment()'s
**                      rows counted per group and quadrant (a kept row, keep
**                      true, on a row of its own with its id; id NULL else)
**   SELECT * FROM deciles(query [, p1 ... p8]);
**       query returns  grp, id, volume
**       adds           cum, total, decile         as decile() over
**                      (PARTITION BY grp ORDER BY volume, id)
**   SELECT * FROM abc(query [, a_cut, b_cut [, p1 ... p8]]);
**       query returns  grp, id, amount
**       adds           cum, total, share, class   as abc_class() over
**                      (PARTITION BY grp ORDER BY amount DESC, id)
**
** Answers are those of the window formulations (docs/src/40-segment.md gives
** them), because the rules are the very functions quadrant(), decile() and
** abc_class() use (ext/segment.h); tests/sql/setwise_gen.test checks them
** against Python.  Rows come out in input order, unless the statement
** orders or groups them by grp (deciles: then by decile or volume, abc: by
** amount descending, ties by id): then group by group in SQLite's order of
** the keys, as the computation left them, and SQLite needs no sorter.  A
** cut or an option given as NULL means "the default" (the median, 0.80,
** 0.95), so a report can pass a setting that may be missing.
**
** How: rows are stored compactly (40 bytes plus the id's text), groups are
** found by hashing the key (or by the previous row's group: sorted input
** costs no lookup), then rows are laid out group by group with one counting
** pass.  Medians are two quickselects per group (O(n)); deciles and A/B/C
** sort each group once.  Memory is linear in the rows of one call.
**
** Query rules are allocate's (ext/query.c): one read-only statement or a
** table name, untrusted, nesting limited, ?1..?8 bound to p1..p8 so the
** functions work as lateral joins.  Unlike allocate they may be called from
** views stored in a database, since ext/query.c's authorizer lets their
** query do no more than a view may.
*/
#include "args.h"
#include "numtext.h"
#include "query.h"
#include "registry.h"
#include "segment.h"
#include "sqlite_api.h"
#include "tvf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 sw_i64;
typedef sqlite3_uint64 sw_u64;

#define SW_NPARAM 8
#define SW_MAXHIDDEN (3 + SW_NPARAM)

/* ------------------------------------------------------------------ */
/* Values: keys and ids, compared and hashed as SQL does (BINARY)       */

typedef struct SwVal {
  union {
    sw_i64 i;
    double d;
    sw_u64 off; /* text and blobs: in the arena */
  } u;
  uint32_t len;
  unsigned char type;
} SwVal;

/* A number of the query: type 0 NULL, 1 integer, 2 real. */
typedef union SwX {
  sw_i64 i;
  double d;
} SwX;

typedef struct SwRow {
  SwVal id;
  SwX x[2];
  uint32_t g; /* group */
  unsigned char xt[2];
  char out; /* quadrant / class letter, decile number; 0 = NULL */
  unsigned char keep; /* segment_summary: the query's keep column was true */
} SwRow;

typedef struct SwGroup {
  SwVal key;
  uint32_t start, n; /* its rows in order[] */
  int allInt;        /* deciles/abc: every non-NULL value is an integer */
  SwX total;         /* deciles/abc: sum; segment: the usage cut */
  SwX cut2;          /* segment: the potential cut */
  unsigned char cutT[2]; /* segment: 0 NULL, 1 integer, 2 real */
  unsigned char hasTotal;
} SwGroup;

/* Rows live in chunks of SW_CHUNK, so growing never copies them (and never
** holds two copies at once: 5,000,000 rows would peak at 3 x 200 MB). */
#define SW_CHUNK_BITS 16
#define SW_CHUNK ((size_t)1 << SW_CHUNK_BITS)
#define SW_ROW(s, i) (&(s)->chunks[(size_t)(i) >> SW_CHUNK_BITS][(size_t)(i) & (SW_CHUNK - 1)])

typedef struct SwSet {
  SwRow **chunks;
  size_t nChunks, capChunks;
  size_t n, cap; /* rows, and room for them */
  SwX *cum; /* deciles/abc: per row; NULL when the row's value is NULL */
  SwGroup *groups;
  size_t ng, gcap;
  uint32_t *hash; /* group index + 1; 0 = empty */
  size_t hcap;
  uint32_t *order; /* rows group by group */
  char *arena;
  sw_u64 nArena, capArena;
} SwSet;

static void sw_set_clear(SwSet *s) {
  for (size_t c = 0; c < s->nChunks; c++) sqlite3_free(s->chunks[c]);
  sqlite3_free(s->chunks);
  sqlite3_free(s->cum);
  sqlite3_free(s->groups);
  sqlite3_free(s->hash);
  sqlite3_free(s->order);
  sqlite3_free(s->arena);
  memset(s, 0, sizeof(*s));
}

static const char *sw_bytes(const SwSet *s, const SwVal *v) {
  return v->len ? s->arena + v->u.off : "";
}

/* Integer vs real, exactly: -1, 0, +1. */
static int sw_cmp_int_double(sw_i64 i, double r) {
  if (r < -9223372036854775808.0) return 1;
  if (r >= 9223372036854775808.0) return -1;
  sw_i64 y = (sw_i64)r;
  if (i < y) return -1;
  if (i > y) return 1;
  double s = (double)i;
  return s < r ? -1 : s > r ? 1 : 0;
}

static int sw_type_rank(int t) {
  return t == SQLITE_NULL ? 0 : t == SQLITE_TEXT ? 2 : t == SQLITE_BLOB ? 3 : 1;
}

/* SQL order: NULL < numbers (by value) < text (memcmp) < blobs. */
static int sw_val_cmp(const SwSet *s, const SwVal *a, const SwVal *b) {
  int ra = sw_type_rank(a->type), rb = sw_type_rank(b->type);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
      if (a->type == SQLITE_INTEGER) return sw_cmp_int_double(a->u.i, b->u.d);
      if (b->type == SQLITE_INTEGER) return -sw_cmp_int_double(b->u.i, a->u.d);
      return (a->u.d > b->u.d) - (a->u.d < b->u.d);
    default: {
      uint32_t m = a->len < b->len ? a->len : b->len;
      int c = m ? memcmp(sw_bytes(s, a), sw_bytes(s, b), m) : 0;
      if (c) return c < 0 ? -1 : 1;
      return (a->len > b->len) - (a->len < b->len);
    }
  }
}

static sw_u64 sw_mix(sw_u64 h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

/* Equal values (1 and 1.0 too) hash alike. */
static sw_u64 sw_val_hash(const SwSet *s, const SwVal *v) {
  switch (v->type) {
    case SQLITE_INTEGER:
      return sw_mix((sw_u64)v->u.i);
    case SQLITE_FLOAT: {
      double d = v->u.d;
      if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return sw_mix((sw_u64)(sw_i64)d);
      sw_u64 b;
      if (d == 0) d = 0.0;
      memcpy(&b, &d, sizeof b);
      return sw_mix(b);
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      sw_u64 h = 1469598103934665603ull ^ v->type;
      const unsigned char *z = (const unsigned char *)sw_bytes(s, v);
      for (uint32_t k = 0; k < v->len; k++) h = (h ^ z[k]) * 1099511628211ull;
      return sw_mix(h);
    }
    default:
      return 0x5bd1e995ull;
  }
}

/* ------------------------------------------------------------------ */
/* Reading the query                                                    */

/* What a function is: its name, its columns and its computation. */
typedef struct SwKind {
  const char *fn;
  const char *schema;      /* declared table, hidden columns last */
  const char *inputs;      /* for errors: "grp, id, usage, potential" */
  const char *xname[2];    /* names of the value columns */
  int nx;                  /* value columns: 2 segment, 1 deciles/abc */
  int nOpt;                /* options between query and p1 */
  int nOut;                /* visible columns */
  int keepCol;             /* segment_summary: the query may add a keep column */
} SwKind;

static char *sw_text_repr(const char *z, sw_u64 n) {
  if (z == NULL) return sqlite3_mprintf("''");
  if (n <= 40) return sqlite3_mprintf("'%.*s'", (int)n, z);
  int cut = 40;
  while (cut > 0 && (((unsigned char)z[cut]) & 0xC0) == 0x80) cut--;
  return sqlite3_mprintf("'%.*s...'", cut, z);
}

static char *sw_col_repr(sqlite3_stmt *st, int c) {
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
      return sw_text_repr((const char *)sqlite3_column_text(st, c),
                          (sw_u64)sqlite3_column_bytes(st, c));
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default:
      return sqlite3_mprintf("NULL");
  }
}

/* "segment: usage must be a non-negative number, got -1 for id 7 (row 3)" */
static char *sw_value_error(const SwKind *k, sqlite3_stmt *st, int c,
                            const char *name, size_t row) {
  char *v = sw_col_repr(st, c), *id = sw_col_repr(st, 1);
  char *m = sqlite3_mprintf("%s: %s must be a non-negative number, got %s for id %s (row %llu)",
                            k->fn, name, v ? v : "?", id ? id : "?",
                            (unsigned long long)row);
  sqlite3_free(v);
  sqlite3_free(id);
  return m;
}

static int sw_arena_put(SwSet *s, const void *p, sw_u64 len, SwVal *v) {
  if (len > UINT32_MAX) return 0;
  if (s->nArena + len > s->capArena) {
    sw_u64 c2 = s->capArena ? s->capArena * 2 : 4096;
    while (c2 < s->nArena + len) c2 *= 2;
    char *na = sqlite3_realloc64(s->arena, c2);
    if (!na) return 0;
    s->arena = na;
    s->capArena = c2;
  }
  if (len) memcpy(s->arena + s->nArena, p, len);
  v->u.off = s->nArena;
  v->len = (uint32_t)len;
  s->nArena += len;
  return 1;
}

/* A column of the current row as a value (text and blobs into the arena).
** Read through one sqlite3_value: each sqlite3_column_*() call takes the
** connection's mutex, sqlite3_value_*() do not. */
static int sw_read_val(SwSet *s, sqlite3_value *cv, SwVal *v) {
  v->type = (unsigned char)sqlite3_value_type(cv);
  v->len = 0;
  switch (v->type) {
    case SQLITE_INTEGER:
      v->u.i = sqlite3_value_int64(cv);
      return 1;
    case SQLITE_FLOAT:
      v->u.d = sqlite3_value_double(cv);
      if (v->u.d == 0) v->u.d = 0.0; /* -0.0 groups with 0 */
      return 1;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      const void *p = v->type == SQLITE_TEXT ? (const void *)sqlite3_value_text(cv)
                                             : sqlite3_value_blob(cv);
      return sw_arena_put(s, p, (sw_u64)sqlite3_value_bytes(cv), v);
    }
    default:
      v->u.i = 0;
      return 1;
  }
}

static int sw_hash_grow(SwSet *s) {
  size_t nc = s->hcap ? s->hcap * 2 : 1024;
  uint32_t *h = sqlite3_malloc64(nc * sizeof(uint32_t));
  if (!h) return 0;
  memset(h, 0, nc * sizeof(uint32_t));
  for (size_t g = 0; g < s->ng; g++) {
    size_t at = (size_t)sw_val_hash(s, &s->groups[g].key) & (nc - 1);
    while (h[at]) at = (at + 1) & (nc - 1);
    h[at] = (uint32_t)g + 1;
  }
  sqlite3_free(s->hash);
  s->hash = h;
  s->hcap = nc;
  return 1;
}

/* The group of key v, made if new; UINT32_MAX when out of memory. */
static uint32_t sw_group_of(SwSet *s, const SwVal *v) {
  if ((s->ng + 1) * 2 > s->hcap && !sw_hash_grow(s)) return UINT32_MAX;
  size_t at = (size_t)sw_val_hash(s, v) & (s->hcap - 1);
  while (s->hash[at]) {
    uint32_t g = s->hash[at] - 1;
    if (sw_val_cmp(s, &s->groups[g].key, v) == 0) return g;
    at = (at + 1) & (s->hcap - 1);
  }
  if (s->ng >= UINT32_MAX - 1) return UINT32_MAX;
  if (s->ng == s->gcap) {
    size_t nc = s->gcap ? s->gcap * 2 : 64;
    SwGroup *ng = sqlite3_realloc64(s->groups, nc * sizeof(SwGroup));
    if (!ng) return UINT32_MAX;
    s->groups = ng;
    s->gcap = nc;
  }
  SwGroup *g = &s->groups[s->ng];
  memset(g, 0, sizeof(*g));
  g->key = *v;
  g->allInt = 1;
  s->hash[at] = (uint32_t)s->ng + 1;
  return (uint32_t)s->ng++;
}

/* Reads every row of st into s, grouped.  Returns an error or NULL. */
static char *sw_read(const SwKind *k, SwSet *s, sqlite3_stmt *st, sqlite3 *db) {
  int nc = sqlite3_column_count(st);
  /* segment_summary: an optional fifth column, keep */
  int hasKeep = k->keepCol && nc == 3 + k->nx;
  if (k->keepCol && nc != 2 + k->nx && !hasKeep)
    return sqlite3_mprintf("%s: query must return %d or %d columns (%s [, keep]), got %d", k->fn,
                           2 + k->nx, 3 + k->nx, k->inputs, nc);
  if (!k->keepCol && nc != 2 + k->nx)
    return sqlite3_mprintf("%s: query must return %d columns (%s), got %d", k->fn,
                           2 + k->nx, k->inputs, nc);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (s->n == s->cap && s->nChunks == 1 && s->cap < SW_CHUNK) {
      /* the first chunk starts small (most lateral calls read few rows) and
      ** doubles up to SW_CHUNK */
      size_t c2 = s->cap * 2 < SW_CHUNK ? s->cap * 2 : SW_CHUNK;
      SwRow *nc = sqlite3_realloc64(s->chunks[0], c2 * sizeof(SwRow));
      if (!nc) return sqlite3_mprintf("%s: out of memory", k->fn);
      s->chunks[0] = nc;
      s->cap = c2;
    } else if (s->n == s->cap) {
      if (s->n >= UINT32_MAX - SW_CHUNK) return sqlite3_mprintf("%s: too many rows", k->fn);
      if (s->nChunks == s->capChunks) {
        size_t c2 = s->capChunks ? s->capChunks * 2 : 16;
        SwRow **nc2 = sqlite3_realloc64(s->chunks, c2 * sizeof(SwRow *));
        if (!nc2) return sqlite3_mprintf("%s: out of memory", k->fn);
        s->chunks = nc2;
        s->capChunks = c2;
      }
      size_t rows = s->nChunks ? SW_CHUNK : 256;
      SwRow *c = sqlite3_malloc64(rows * sizeof(SwRow));
      if (!c) return sqlite3_mprintf("%s: out of memory", k->fn);
      s->chunks[s->nChunks++] = c;
      s->cap += rows;
    }
    SwRow *r = SW_ROW(s, s->n);
    SwVal key;
    if (!sw_read_val(s, sqlite3_column_value(st, 0), &key) ||
        !sw_read_val(s, sqlite3_column_value(st, 1), &r->id))
      return sqlite3_mprintf("%s: out of memory", k->fn);
    for (int j = 0; j < k->nx; j++) {
      int c = 2 + j;
      sqlite3_value *cv = sqlite3_column_value(st, c);
      int t = sqlite3_value_type(cv);
      if (t == SQLITE_NULL) {
        r->xt[j] = 0;
        r->x[j].i = 0;
      } else if (t == SQLITE_INTEGER) {
        r->x[j].i = sqlite3_value_int64(cv);
        if (r->x[j].i < 0) return sw_value_error(k, st, c, k->xname[j], s->n + 1);
        r->xt[j] = 1;
      } else if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(cv);
        if (!isfinite(d) || d < 0) return sw_value_error(k, st, c, k->xname[j], s->n + 1);
        r->x[j].d = d == 0 ? 0.0 : d;
        r->xt[j] = 2;
      } else {
        /* text is refused even when it reads as a number, as median() does */
        return sw_value_error(k, st, c, k->xname[j], s->n + 1);
      }
    }
    r->out = 0;
    r->keep = 0;
    if (hasKeep) {
      /* true as SQL takes it in WHERE: a non-zero number; NULL is false */
      sqlite3_value *kv = sqlite3_column_value(st, 2 + k->nx);
      r->keep = sqlite3_value_type(kv) != SQLITE_NULL && sqlite3_value_double(kv) != 0.0;
    }
    /* input sorted or clustered by key: the previous row's group, no lookup */
    uint32_t g;
    if (s->n > 0 && sw_val_cmp(s, &s->groups[SW_ROW(s, s->n - 1)->g].key, &key) == 0)
      g = SW_ROW(s, s->n - 1)->g;
    else
      g = sw_group_of(s, &key);
    if (g == UINT32_MAX) return sqlite3_mprintf("%s: out of memory", k->fn);
    r->g = g;
    s->groups[g].n++;
    s->n++;
  }
  if (rc != SQLITE_DONE) return query_error(db, k->fn);
  /* rows group by group, in input order within a group */
  s->order = sqlite3_malloc64((s->n ? s->n : 1) * sizeof(uint32_t));
  if (!s->order) return sqlite3_mprintf("%s: out of memory", k->fn);
  uint32_t at = 0;
  for (size_t g = 0; g < s->ng; g++) {
    s->groups[g].start = at;
    at += s->groups[g].n;
    s->groups[g].n = 0;
  }
  for (size_t i = 0; i < s->n; i++) {
    SwGroup *g = &s->groups[SW_ROW(s, i)->g];
    s->order[g->start + g->n++] = (uint32_t)i;
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* segment: medians by selection                                        */

/* Moves the k-th smallest of a[0..n) to a[k], smaller ones before it. */
static void sw_select(double *a, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (hi > lo) {
    size_t mid = lo + (hi - lo) / 2;
    /* median of three to a[hi] as the pivot */
    if (a[mid] < a[lo]) { double t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
    if (a[hi] < a[lo]) { double t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
    if (a[mid] < a[hi]) { double t = a[mid]; a[mid] = a[hi]; a[hi] = t; }
    double pv = a[hi];
    /* three-way partition: equal values (common in counts) in one pass */
    size_t lt = lo, i = lo, gt = hi + 1;
    while (i < gt) {
      if (a[i] < pv) {
        double t = a[i]; a[i] = a[lt]; a[lt] = t;
        lt++; i++;
      } else if (a[i] > pv) {
        gt--;
        double t = a[i]; a[i] = a[gt]; a[gt] = t;
      } else {
        i++;
      }
    }
    if (k < lt)
      hi = lt - 1;
    else if (k >= gt)
      lo = gt;
    else
      return;
  }
}

/* median() of a[0..n), n > 0, with stats.c's arithmetic step for step. */
static double sw_median(double *a, size_t n) {
  double ix = 0.5 * (double)(n - 1);
  size_t i1 = (size_t)ix;
  sw_select(a, n, i1);
  double v1 = a[i1];
  if (ix == (double)i1 || i1 == n - 1) return v1;
  double v2 = a[i1 + 1];
  for (size_t j = i1 + 2; j < n; j++)
    if (a[j] < v2) v2 = a[j];
  double w = ix - (double)i1;
  double r = v1 + (v2 - v1) * w;
  if (!isfinite(r)) r = v1 * (1 - w) + v2 * w;
  return r;
}

static SegNum sw_num(SwX x, int t) {
  return t == 1 ? seg_num_int(x.i) : seg_num_real(x.d);
}

/* fixed[j]: a cut given (type 1/2 in fixedT[j]) or 0 for the medians. */
static char *sw_segment(const SwKind *k, SwSet *s, const SwX *fixed,
                        const unsigned char *fixedT) {
  double *buf = sqlite3_malloc64((s->n ? s->n : 1) * sizeof(double));
  if (!buf) return sqlite3_mprintf("%s: out of memory", k->fn);
  for (size_t gi = 0; gi < s->ng; gi++) {
    SwGroup *g = &s->groups[gi];
    const uint32_t *ord = s->order + g->start;
    for (int j = 0; j < 2; j++) {
      SwX *cut = j == 0 ? &g->total : &g->cut2;
      if (fixedT[j]) {
        *cut = fixed[j];
        g->cutT[j] = fixedT[j];
        continue;
      }
      size_t m = 0;
      for (uint32_t q = 0; q < g->n; q++) {
        const SwRow *r = SW_ROW(s, ord[q]);
        if (r->xt[j]) buf[m++] = r->xt[j] == 1 ? (double)r->x[j].i : r->x[j].d;
      }
      g->cutT[j] = m ? 2 : 0;
      if (m) cut->d = sw_median(buf, m);
    }
    if (!g->cutT[0] || !g->cutT[1]) continue;
    SegNum uc = sw_num(g->total, g->cutT[0]), pc = sw_num(g->cut2, g->cutT[1]);
    for (uint32_t q = 0; q < g->n; q++) {
      SwRow *r = SW_ROW(s, ord[q]);
      if (!r->xt[0] || !r->xt[1]) continue;
      SegNum u = sw_num(r->x[0], r->xt[0]), p = sw_num(r->x[1], r->xt[1]);
      r->out = seg_quadrant(&u, &p, &uc, &pc);
    }
  }
  sqlite3_free(buf);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* deciles and abc: one sort per group, then running sums               */

static _Thread_local const SwSet *sw_sort_set;
static _Thread_local int sw_sort_desc;

/* value (NULL first ascending, last descending), then id, then input order */
static int sw_row_cmp(const void *pa, const void *pb) {
  uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
  const SwSet *s = sw_sort_set;
  const SwRow *a = SW_ROW(s, ia), *b = SW_ROW(s, ib);
  int c;
  if (a->xt[0] == 0 || b->xt[0] == 0) {
    c = (a->xt[0] != 0) - (b->xt[0] != 0);
  } else if (a->xt[0] == 1 && b->xt[0] == 1) {
    c = (a->x[0].i > b->x[0].i) - (a->x[0].i < b->x[0].i);
  } else if (a->xt[0] == 1) {
    c = sw_cmp_int_double(a->x[0].i, b->x[0].d);
  } else if (b->xt[0] == 1) {
    c = -sw_cmp_int_double(b->x[0].i, a->x[0].d);
  } else {
    c = (a->x[0].d > b->x[0].d) - (a->x[0].d < b->x[0].d);
  }
  if (sw_sort_desc) c = -c;
  if (c) return c;
  if (a->id.type == SQLITE_INTEGER && b->id.type == SQLITE_INTEGER)
    c = (a->id.u.i > b->id.u.i) - (a->id.u.i < b->id.u.i);
  else
    c = sw_val_cmp(s, &a->id, &b->id);
  if (c) return c;
  return (ia > ib) - (ia < ib);
}

/* The common cases, integer ids with integer (or with real) values: sorted
** as plain tuples, one instance of the sort per value type. */
#define SW_KEY_SORT(NAME, KEY, VT)                                              \
  typedef struct KEY {                                                          \
    VT v;                                                                       \
    sw_i64 id;                                                                  \
    uint32_t row;                                                               \
  } KEY;                                                                        \
  static inline int NAME##_less(const KEY *a, const KEY *b, int desc) {         \
    if (a->v != b->v) return desc ? a->v > b->v : a->v < b->v;                  \
    if (a->id != b->id) return a->id < b->id;                                   \
    return a->row < b->row;                                                     \
  }                                                                             \
  /* quicksort, median of three, insertion sort below 16, recursion into the \
  ** smaller side so the stack stays O(log n) */                               \
  static void NAME(KEY *a, size_t n, int desc) {                                \
    while (n > 16) {                                                            \
      size_t m = n / 2;                                                         \
      KEY t;                                                                    \
      if (NAME##_less(&a[m], &a[0], desc)) { t = a[m]; a[m] = a[0]; a[0] = t; } \
      if (NAME##_less(&a[n - 1], &a[0], desc)) {                                \
        t = a[n - 1]; a[n - 1] = a[0]; a[0] = t;                                \
      }                                                                         \
      if (NAME##_less(&a[n - 1], &a[m], desc)) {                                \
        t = a[n - 1]; a[n - 1] = a[m]; a[m] = t;                                \
      }                                                                         \
      KEY pv = a[m];                                                            \
      size_t i = 0, j = n - 1;                                                  \
      for (;;) {                                                                \
        while (NAME##_less(&a[i], &pv, desc)) i++;                              \
        while (NAME##_less(&pv, &a[j], desc)) j--;                              \
        if (i >= j) break;                                                      \
        t = a[i]; a[i] = a[j]; a[j] = t;                                        \
        i++;                                                                    \
        j--;                                                                    \
      }                                                                         \
      size_t left = j + 1; /* a[0..j] <= pivot <= a[j+1..n) */                  \
      if (left < n - left) {                                                    \
        NAME(a, left, desc);                                                    \
        a += left;                                                              \
        n -= left;                                                              \
      } else {                                                                  \
        NAME(a + left, n - left, desc);                                         \
        n = left;                                                               \
      }                                                                         \
    }                                                                           \
    for (size_t i = 1; i < n; i++) {                                            \
      KEY v = a[i];                                                             \
      size_t j = i;                                                             \
      while (j > 0 && NAME##_less(&v, &a[j - 1], desc)) {                       \
        a[j] = a[j - 1];                                                        \
        j--;                                                                    \
      }                                                                         \
      a[j] = v;                                                                 \
    }                                                                           \
  }

SW_KEY_SORT(sw_sort_ii, SwKeyI, sw_i64)
SW_KEY_SORT(sw_sort_di, SwKeyD, double)

/* Sorts the rows ord[0..n) of one group: as tuples when the ids are
** integers and the values all integers or all reals (no NULLs), else qsort
** with the general order.  buf is scratch, kept across groups. */
static int sw_sort_group(SwSet *s, uint32_t *ord, uint32_t n, int desc, void **buf,
                         size_t *bufCap) {
  int ty = SW_ROW(s, ord[0])->xt[0], plain = ty != 0;
  for (uint32_t q = 0; q < n && plain; q++) {
    const SwRow *r = SW_ROW(s, ord[q]);
    plain = r->xt[0] == ty && r->id.type == SQLITE_INTEGER;
  }
  if (!plain) {
    sw_sort_set = s;
    sw_sort_desc = desc;
    qsort(ord, n, sizeof(uint32_t), sw_row_cmp);
    sw_sort_set = NULL;
    return 1;
  }
  size_t need = (size_t)n * (sizeof(SwKeyI) > sizeof(SwKeyD) ? sizeof(SwKeyI) : sizeof(SwKeyD));
  if (need > *bufCap) {
    void *nb = sqlite3_realloc64(*buf, need);
    if (!nb) return 0;
    *buf = nb;
    *bufCap = need;
  }
  if (ty == 1) {
    SwKeyI *kb = *buf;
    for (uint32_t q = 0; q < n; q++) {
      const SwRow *r = SW_ROW(s, ord[q]);
      kb[q].v = r->x[0].i;
      kb[q].id = r->id.u.i;
      kb[q].row = ord[q];
    }
    sw_sort_ii(kb, n, desc);
    for (uint32_t q = 0; q < n; q++) ord[q] = kb[q].row;
  } else {
    SwKeyD *kb = *buf;
    for (uint32_t q = 0; q < n; q++) {
      const SwRow *r = SW_ROW(s, ord[q]);
      kb[q].v = r->x[0].d;
      kb[q].id = r->id.u.i;
      kb[q].row = ord[q];
    }
    sw_sort_di(kb, n, desc);
    for (uint32_t q = 0; q < n; q++) ord[q] = kb[q].row;
  }
  return 1;
}

/* Sorts each group and takes running sums; desc for abc.  SQLite's sum():
** whole numbers in 64-bit integers (overflow is an error), otherwise reals. */
static char *sw_running(const SwKind *k, SwSet *s, int desc) {
  s->cum = sqlite3_malloc64((s->n ? s->n : 1) * sizeof(SwX));
  if (!s->cum) return sqlite3_mprintf("%s: out of memory", k->fn);
  void *kb = NULL;
  size_t kcap = 0;
  for (size_t gi = 0; gi < s->ng; gi++) {
    SwGroup *g = &s->groups[gi];
    uint32_t *ord = s->order + g->start;
    if (g->n > 1 && !sw_sort_group(s, ord, g->n, desc, &kb, &kcap)) {
      sqlite3_free(kb);
      return sqlite3_mprintf("%s: out of memory", k->fn);
    }
    int allInt = 1, any = 0;
    for (uint32_t q = 0; q < g->n; q++) {
      const SwRow *r = SW_ROW(s, ord[q]);
      if (r->xt[0] == 2) allInt = 0;
      if (r->xt[0]) any = 1;
    }
    sw_i64 ci = 0;
    double cd = 0;
    for (uint32_t q = 0; q < g->n; q++) {
      const SwRow *r = SW_ROW(s, ord[q]);
      if (r->xt[0] == 0) continue;
      if (allInt) {
        if (__builtin_add_overflow(ci, r->x[0].i, &ci)) {
          sqlite3_free(kb);
          return sqlite3_mprintf("%s: integer overflow in the sum of a group's %s",
                                 k->fn, k->xname[0]);
        }
        s->cum[ord[q]].i = ci;
      } else {
        cd += r->xt[0] == 1 ? (double)r->x[0].i : r->x[0].d;
        s->cum[ord[q]].d = cd;
      }
    }
    g->allInt = allInt;
    g->hasTotal = (unsigned char)any;
    if (allInt)
      g->total.i = ci;
    else
      g->total.d = cd;
  }
  sqlite3_free(kb);
  return NULL;
}

static char *sw_deciles(const SwKind *k, SwSet *s) {
  char *err = sw_running(k, s, 0);
  if (err) return err;
  for (size_t i = 0; i < s->n; i++) {
    SwRow *r = SW_ROW(s, i);
    const SwGroup *g = &s->groups[r->g];
    if (!r->xt[0]) continue;
    SegNum vol = sw_num(r->x[0], r->xt[0]);
    SegNum cum = sw_num(s->cum[i], g->allInt ? 1 : 2);
    SegNum tot = sw_num(g->total, g->allInt ? 1 : 2);
    r->out = (char)seg_decile(&vol, &cum, &tot);
  }
  return NULL;
}

static double sw_as_double(SwX x, int isInt) { return isInt ? (double)x.i : x.d; }

static char *sw_abc(const SwKind *k, SwSet *s, double aCut, double bCut) {
  char *err = sw_running(k, s, 1);
  if (err) return err;
  for (size_t i = 0; i < s->n; i++) {
    SwRow *r = SW_ROW(s, i);
    const SwGroup *g = &s->groups[r->g];
    double tot = sw_as_double(g->total, g->allInt);
    if (!r->xt[0] || tot == 0) continue;
    r->out = seg_abc(sw_as_double(s->cum[i], g->allInt) / tot, aCut, bCut);
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* The virtual tables                                                   */

enum { SW_SEGMENT, SW_DECILES, SW_ABC, SW_DECSUM, SW_SEGSUM };

static const SwKind sw_kinds[] = {
    {"segment",
     "CREATE TABLE x(grp, id, usage, potential, usage_cut, potential_cut, quadrant, "
     "query HIDDEN, fixed_usage_cut HIDDEN, fixed_potential_cut HIDDEN, p1 HIDDEN, "
     "p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, p7 HIDDEN, p8 HIDDEN)",
     "grp, id, usage, potential", {"usage", "potential"}, 2, 2, 7, 0},
    {"deciles",
     "CREATE TABLE x(grp, id, volume, cum, total, decile, query HIDDEN, p1 HIDDEN, "
     "p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, p7 HIDDEN, p8 HIDDEN)",
     "grp, id, volume", {"volume", 0}, 1, 0, 6, 0},
    {"abc",
     "CREATE TABLE x(grp, id, amount, cum, total, share, class, query HIDDEN, "
     "a_cut HIDDEN, b_cut HIDDEN, p1 HIDDEN, p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, "
     "p5 HIDDEN, p6 HIDDEN, p7 HIDDEN, p8 HIDDEN)",
     "grp, id, amount", {"amount", 0}, 1, 2, 7, 0},
    {"deciles_summary",
     "CREATE TABLE x(grp, decile, n, min_volume, max_volume, volume, query HIDDEN, "
     "p1 HIDDEN, p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, p7 HIDDEN, "
     "p8 HIDDEN)",
     "grp, id, volume", {"volume", 0}, 1, 0, 6, 0},
    {"segment_summary",
     "CREATE TABLE x(grp, quadrant, id, n, usage_cut, potential_cut, "
     "query HIDDEN, fixed_usage_cut HIDDEN, fixed_potential_cut HIDDEN, p1 HIDDEN, "
     "p2 HIDDEN, p3 HIDDEN, p4 HIDDEN, p5 HIDDEN, p6 HIDDEN, p7 HIDDEN, p8 HIDDEN)",
     "grp, id, usage, potential", {"usage", "potential"}, 2, 2, 6, 1},
};

/* Client data of each module: which function, and the connection's
** query state (ext/query.h). */
typedef struct SwAux {
  QueryConn *qc;
  int which;
} SwAux;

static void sw_aux_free(void *p) {
  SwAux *a = p;
  if (!a) return;
  query_conn_unref(a->qc);
  sqlite3_free(a);
}

typedef struct SwVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  QueryConn *qc;
  const SwKind *kind;
  int which;
} SwVtab;

typedef struct SwCursor {
  sqlite3_vtab_cursor base;
  SwSet s;
  size_t i;
  uint32_t *emit; /* ORDER BY grp ... consumed: rows in that order; NULL: input order */
  sqlite3_value *args[SW_MAXHIDDEN];
  sqlite3_stmt *st; /* kept across lateral calls with the same query */
  char *zq;
  unsigned stamp;   /* query_stamp() when st was prepared */
  struct SwSum *sum; /* deciles_summary: its rows */
  size_t nsum;
  struct SwSeg *seg; /* segment_summary: its rows */
  size_t nseg;
} SwCursor;

static int sw_nhidden(const SwKind *k) { return 1 + k->nOpt + SW_NPARAM; }

static int swConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                     sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  const SwAux *aux = pAux;
  int which = aux->which;
  const SwKind *k = &sw_kinds[which];
  int rc = sqlite3_declare_vtab(db, k->schema);
  if (rc != SQLITE_OK) return rc;
  /* Innocuous: views may call it (the doctor_segment view may), even with
  ** trusted_schema off, since its query may do no more than a view may:
  ** ext/query.c's authorizer allows only reading tables and views, pure
  ** functions and pure table-valued functions. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  SwVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->qc = aux->qc;
  t->kind = k;
  t->which = which;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int swDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int swOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  SwCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void sw_cursor_reset(SwCursor *c) {
  sw_set_clear(&c->s);
  for (int i = 0; i < SW_MAXHIDDEN; i++) {
    sqlite3_value_free(c->args[i]);
    c->args[i] = NULL;
  }
  sqlite3_free(c->emit);
  c->emit = NULL;
  sqlite3_free(c->sum);
  c->sum = NULL;
  c->nsum = 0;
  sqlite3_free(c->seg);
  c->seg = NULL;
  c->nseg = 0;
  c->i = 0;
}

static int swClose(sqlite3_vtab_cursor *cur) {
  SwCursor *c = (SwCursor *)cur;
  sw_cursor_reset(c);
  sqlite3_finalize(c->st);
  sqlite3_free(c->zq);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* idxNum bit: hand the rows over ordered by group key (see sw_order_ok) */
#define SW_ORDERED (1 << 24)

/* Whether the ORDER BY (or GROUP BY) asked for is the order the rows can be
** handed over in for free: groups by key (SQLite's order: NULL, numbers,
** text, blobs; only BINARY terms reach here), each group's rows in the
** order the computation sorted them (deciles: volume ascending, so the
** decile never falls; abc: amount descending; ties by id). */
static int sw_order_ok(int which, const sqlite3_index_info *p) {
  const struct sqlite3_index_orderby *o = p->aOrderBy;
  int n = p->nOrderBy;
  if (n < 1 || o[0].iColumn != 0 || o[0].desc) return 0;
  if (n == 1) return 1;
  if (which == SW_SEGMENT) return 0;
  if (which == SW_DECSUM) return n == 2 && o[1].iColumn == 1 && !o[1].desc;
  if (which == SW_SEGSUM) {
    /* grp, quadrant, id: a prefix of the order the rows are made in */
    if (n > 3) return 0;
    for (int i = 1; i < n; i++)
      if (o[i].iColumn != i || o[i].desc) return 0;
    return 1;
  }
  if (which == SW_DECILES && n == 2 && o[1].iColumn == 5 && !o[1].desc) return 1;
  if (o[1].iColumn != 2 || o[1].desc != (which == SW_ABC)) return 0;
  return n == 2 || (n == 3 && o[2].iColumn == 1 && !o[2].desc);
}

/* group keys in SQLite's order; the set comes in sw_sort_set, as for rows */
static int sw_group_cmp(const void *pa, const void *pb) {
  const SwSet *s = sw_sort_set;
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  return sw_val_cmp(s, &s->groups[a].key, &s->groups[b].key);
}

/* The group numbers in key order (SQLite's), in a new array the caller
** frees; NULL when out of memory.  Groups read in key order (sorted input)
** need no sort. */
static uint32_t *sw_groups_in_order(SwSet *s) {
  uint32_t *gs = sqlite3_malloc64((s->ng ? s->ng : 1) * sizeof(uint32_t));
  if (!gs) return NULL;
  int sorted = 1;
  for (size_t g = 0; g < s->ng; g++) {
    gs[g] = (uint32_t)g;
    if (g && sorted && sw_val_cmp(s, &s->groups[g - 1].key, &s->groups[g].key) > 0) sorted = 0;
  }
  if (!sorted) {
    sw_sort_set = s;
    qsort(gs, s->ng, sizeof(uint32_t), sw_group_cmp);
    sw_sort_set = NULL;
  }
  return gs;
}

/* c->emit: the groups in key order, each group's rows as s->order holds
** them. */
static int sw_make_emit(SwCursor *c) {
  SwSet *s = &c->s;
  c->emit = sqlite3_malloc64((s->n ? s->n : 1) * sizeof(uint32_t));
  uint32_t *gs = sw_groups_in_order(s);
  if (!c->emit || !gs) {
    sqlite3_free(gs);
    return SQLITE_NOMEM;
  }
  size_t at = 0;
  for (size_t q = 0; q < s->ng; q++) {
    const SwGroup *g = &s->groups[gs[q]];
    memcpy(c->emit + at, s->order + g->start, (size_t)g->n * sizeof(uint32_t));
    at += g->n;
  }
  sqlite3_free(gs);
  return SQLITE_OK;
}

/* Every argument given must arrive as a usable = constraint, so that the
** function runs once per outer row (lateral use), as allocate does. */
static int swBestIndex(sqlite3_vtab *v, sqlite3_index_info *p) {
  const SwKind *k = ((SwVtab *)v)->kind;
  int nh = sw_nhidden(k), at[SW_MAXHIDDEN];
  if (tvf_args_find(p, k->nOut, nh, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  if (at[0] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("%s: needs a query: %s(query%s [, p1, ...])", k->fn,
                                 k->fn,
                                 k->nOpt == 0                ? ""
                                 : strcmp(k->fn, "abc") == 0 ? " [, a_cut, b_cut]"
                                                             : " [, usage_cut, potential_cut]");
    return SQLITE_ERROR;
  }
  p->idxNum = (int)tvf_args_use(p, at, nh);
  if (sw_order_ok(((SwVtab *)v)->which, p)) {
    p->idxNum |= SW_ORDERED;
    p->orderByConsumed = 1;
  }
  p->estimatedCost = 1000;
  p->estimatedRows = 1000;
  return SQLITE_OK;
}

/* An option: NULL -> type 0 (the default), else a number >= 0 (within
** [0, 1] when fraction), worded as args.c words it.  Returns an error or
** NULL. */
static char *sw_option(const SwKind *k, const char *name, sqlite3_value *v,
                       int fraction, SwX *out, unsigned char *type) {
  int t = v ? sqlite3_value_type(v) : SQLITE_NULL;
  double d = 0;
  const char *what = "a number";
  *type = 0;
  if (t == SQLITE_NULL) return NULL;
  if (t == SQLITE_INTEGER) {
    sw_i64 i = sqlite3_value_int64(v);
    if (i >= 0 && (!fraction || i <= 1)) {
      out->i = i;
      *type = 1;
      return NULL;
    }
    what = fraction ? "between 0 and 1" : "non-negative";
  } else if (t == SQLITE_FLOAT || t == SQLITE_TEXT) {
    int ok = t == SQLITE_FLOAT ? (d = sqlite3_value_double(v), 1)
                               : numtext_number((const char *)sqlite3_value_text(v),
                                                sqlite3_value_bytes(v), &d);
    if (ok && !isfinite(d)) {
      what = "a finite number";
    } else if (ok) {
      if (d >= 0 && (!fraction || d <= 1)) {
        out->d = d == 0 ? 0.0 : d;
        *type = 2;
        return NULL;
      }
      what = fraction ? "between 0 and 1" : "non-negative";
    }
  }
  char *r = value_repr(v);
  char *m = sqlite3_mprintf("%s: %s must be %s, got %s", k->fn, name, what, r ? r : "?");
  sqlite3_free(r);
  return m;
}


/* ------------------------------------------------------------------ */
/* deciles_summary: deciles() counted per group and decile in C         */

static void sw_result_val(sqlite3_context *ctx, const SwSet *s, const SwVal *v);
static void sw_result_x(sqlite3_context *ctx, SwX x, int t);

/* One row of deciles_summary: the rows of one group with one decile (NULL
** for NULL volumes), a run of the group's rows in volume order. */
typedef struct SwSum {
  uint32_t g;      /* group */
  uint32_t n;      /* rows */
  uint32_t lo, hi; /* first and last row with a volume (rows of the set) */
  SwX sum;
  unsigned char dec;  /* decile 0..10 */
  unsigned char decT; /* 0: NULL decile (NULL volumes), 1: dec */
  unsigned char sumT; /* 0 NULL, 1 integer, 2 real */
} SwSum;

/* After sw_deciles: each group's rows are in s->order sorted by volume
** (NULLs first), so the decile never falls along them and each decile is
** one run.  Rows: groups in key order (SQLite's), deciles ascending, NULL
** first -- the order of GROUP BY grp, decile. */
static char *sw_summarize(const SwKind *k, SwCursor *c) {
  SwSet *s = &c->s;
  uint32_t *gs = sw_groups_in_order(s);
  size_t cap = s->ng * 2 + 16;
  c->sum = sqlite3_malloc64(cap * sizeof(SwSum));
  if (!gs || !c->sum) {
    sqlite3_free(gs);
    return sqlite3_mprintf("%s: out of memory", k->fn);
  }
  for (size_t q = 0; q < s->ng; q++) {
    const SwGroup *g = &s->groups[gs[q]];
    const uint32_t *ord = s->order + g->start;
    SwSum *cur = NULL;
    for (uint32_t j = 0; j < g->n; j++) {
      uint32_t ri = ord[j];
      const SwRow *r = SW_ROW(s, ri);
      unsigned char decT = r->xt[0] ? 1 : 0, dec = decT ? (unsigned char)r->out : 0;
      if (!cur || cur->decT != decT || cur->dec != dec) {
        if (c->nsum == cap) {
          cap *= 2;
          SwSum *ns = sqlite3_realloc64(c->sum, cap * sizeof(SwSum));
          if (!ns) {
            sqlite3_free(gs);
            return sqlite3_mprintf("%s: out of memory", k->fn);
          }
          c->sum = ns;
        }
        cur = &c->sum[c->nsum++];
        memset(cur, 0, sizeof(*cur));
        cur->g = gs[q];
        cur->dec = dec;
        cur->decT = decT;
        cur->lo = ri;
      }
      cur->n++;
      if (!decT) continue;
      cur->hi = ri;
      /* as SQL's sum(): integers while every value is one, else reals */
      if (r->xt[0] == 1 && cur->sumT != 2) {
        if (cur->sumT == 0) {
          cur->sum.i = r->x[0].i;
          cur->sumT = 1;
        } else if (__builtin_add_overflow(cur->sum.i, r->x[0].i, &cur->sum.i)) {
          sqlite3_free(gs);
          return sqlite3_mprintf("%s: integer overflow in the sum of a group's %s", k->fn,
                                 k->xname[0]);
        }
      } else {
        double v = r->xt[0] == 1 ? (double)r->x[0].i : r->x[0].d;
        if (cur->sumT == 1)
          cur->sum.d = (double)cur->sum.i + v;
        else if (cur->sumT == 0)
          cur->sum.d = v;
        else
          cur->sum.d += v;
        cur->sumT = 2;
      }
    }
  }
  sqlite3_free(gs);
  return NULL;
}

/* Hidden column b (the call's argument b): the value given, or NULL. */
static void sw_hidden_result(const SwCursor *c, sqlite3_context *ctx, int b) {
  if (b < SW_MAXHIDDEN && c->args[b])
    sqlite3_result_value(ctx, c->args[b]);
  else
    sqlite3_result_null(ctx);
}

static int sw_sum_column(SwCursor *c, sqlite3_context *ctx, int col) {
  const SwSet *s = &c->s;
  const SwSum *m = &c->sum[c->i];
  switch (col) {
    case 0:
      sw_result_val(ctx, s, &s->groups[m->g].key);
      break;
    case 1:
      if (m->decT)
        sqlite3_result_int(ctx, m->dec);
      else
        sqlite3_result_null(ctx);
      break;
    case 2:
      sqlite3_result_int64(ctx, m->n);
      break;
    case 3:
    case 4: {
      const SwRow *r = SW_ROW(s, col == 3 ? m->lo : m->hi);
      sw_result_x(ctx, r->x[0], m->decT ? r->xt[0] : 0);
      break;
    }
    case 5:
      sw_result_x(ctx, m->sum, m->sumT);
      break;
    default:
      sw_hidden_result(c, ctx, col - 6);
  }
  return SQLITE_OK;
}


/* ------------------------------------------------------------------ */
/* segment_summary: segment() counted per group and quadrant in C       */

/* One row of segment_summary: the rows of one group in one quadrant that
** were not kept (row = UINT32_MAX, id NULL), or a kept row (and the kept
** rows of the same quadrant with an equal id). */
typedef struct SwSeg {
  uint32_t g;   /* group */
  uint32_t row; /* a kept row, for its id; UINT32_MAX: id NULL */
  uint32_t n;   /* rows */
  char q;       /* quadrant letter, 0 = NULL */
} SwSeg;

/* quadrant in SQL order: NULL, A, B, C, D */
static int sw_qrank(char q) { return q >= 'A' && q <= 'D' ? 1 + (q - 'A') : 0; }

/* kept rows: quadrant, then id (SQL order), then input order */
static int sw_kept_cmp(const void *pa, const void *pb) {
  uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
  const SwSet *s = sw_sort_set;
  const SwRow *a = SW_ROW(s, ia), *b = SW_ROW(s, ib);
  int c = sw_qrank(a->out) - sw_qrank(b->out);
  if (c) return c < 0 ? -1 : 1;
  c = sw_val_cmp(s, &a->id, &b->id);
  if (c) return c;
  return (ia > ib) - (ia < ib);
}

static int sw_seg_push(SwCursor *c, size_t *cap, uint32_t g, uint32_t row, uint32_t n, char q) {
  if (c->nseg == *cap) {
    size_t nc = *cap ? *cap * 2 : 64;
    SwSeg *ns = sqlite3_realloc64(c->seg, nc * sizeof(SwSeg));
    if (!ns) return 0;
    c->seg = ns;
    *cap = nc;
  }
  SwSeg *m = &c->seg[c->nseg++];
  m->g = g;
  m->row = row;
  m->n = n;
  m->q = q;
  return 1;
}

/* After sw_segment: groups in key order (SQLite's); in each, the quadrants
** NULL, A..D; in each, the rows not kept (id NULL) first, then the kept
** ones by id -- the order of GROUP BY grp, quadrant, id. */
static char *sw_seg_summarize(const SwKind *k, SwCursor *c) {
  SwSet *s = &c->s;
  uint32_t *gs = sw_groups_in_order(s);
  uint32_t *kept = sqlite3_malloc64((s->n ? s->n : 1) * sizeof(uint32_t));
  size_t cap = 0;
  if (!gs || !kept) goto oom;
  for (size_t q = 0; q < s->ng; q++) {
    const SwGroup *g = &s->groups[gs[q]];
    const uint32_t *ord = s->order + g->start;
    uint32_t cnt[5] = {0, 0, 0, 0, 0};
    size_t nk = 0;
    for (uint32_t j = 0; j < g->n; j++) {
      const SwRow *r = SW_ROW(s, ord[j]);
      /* a NULL id groups with the rows not kept, as GROUP BY takes NULLs */
      if (r->keep && r->id.type != SQLITE_NULL)
        kept[nk++] = ord[j];
      else
        cnt[sw_qrank(r->out)]++;
    }
    if (nk > 1) {
      sw_sort_set = s;
      qsort(kept, nk, sizeof(uint32_t), sw_kept_cmp);
      sw_sort_set = NULL;
    }
    size_t at = 0;
    for (int rank = 0; rank < 5; rank++) {
      char letter = rank ? (char)('A' + rank - 1) : 0;
      if (cnt[rank] && !sw_seg_push(c, &cap, gs[q], UINT32_MAX, cnt[rank], letter)) goto oom;
      while (at < nk && sw_qrank(SW_ROW(s, kept[at])->out) == rank) {
        size_t e = at + 1;
        while (e < nk && sw_qrank(SW_ROW(s, kept[e])->out) == rank &&
               sw_val_cmp(s, &SW_ROW(s, kept[at])->id, &SW_ROW(s, kept[e])->id) == 0)
          e++;
        if (!sw_seg_push(c, &cap, gs[q], kept[at], (uint32_t)(e - at), letter)) goto oom;
        at = e;
      }
    }
  }
  sqlite3_free(gs);
  sqlite3_free(kept);
  return NULL;
oom:
  sqlite3_free(gs);
  sqlite3_free(kept);
  return sqlite3_mprintf("%s: out of memory", k->fn);
}

static void sw_cut_result(SwCursor *c, sqlite3_context *ctx, const SwGroup *g, int j);

static void sw_result_letter(sqlite3_context *ctx, char ch) {
  static const char letters[] = "ABCD";
  if (ch >= 'A' && ch <= 'D')
    sqlite3_result_text(ctx, letters + (ch - 'A'), 1, SQLITE_STATIC);
  else
    sqlite3_result_null(ctx);
}

static int sw_seg_column(SwCursor *c, sqlite3_context *ctx, int col) {
  const SwSet *s = &c->s;
  const SwSeg *m = &c->seg[c->i];
  const SwGroup *g = &s->groups[m->g];
  switch (col) {
    case 0:
      sw_result_val(ctx, s, &g->key);
      break;
    case 1:
      sw_result_letter(ctx, m->q);
      break;
    case 2:
      if (m->row == UINT32_MAX)
        sqlite3_result_null(ctx);
      else
        sw_result_val(ctx, s, &SW_ROW(s, m->row)->id);
      break;
    case 3:
      sqlite3_result_int64(ctx, m->n);
      break;
    case 4:
    case 5:
      sw_cut_result(c, ctx, g, col - 4);
      break;
    default:
      sw_hidden_result(c, ctx, col - 6);
  }
  return SQLITE_OK;
}

static int swFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  SwCursor *c = (SwCursor *)cur;
  SwVtab *t = (SwVtab *)cur->pVtab;
  const SwKind *k = t->kind;
  int nh = sw_nhidden(k);
  sw_cursor_reset(c);
  sqlite3_value *given[SW_MAXHIDDEN] = {0};
  int j = 0;
  for (int b = 0; b < nh; b++) {
    if (!(idxNum & (1 << b))) continue;
    if (j >= argc) return tvf_error(cur->pVtab, sqlite3_mprintf("%s: internal error: arguments", k->fn));
    given[b] = argv[j++];
    c->args[b] = sqlite3_value_dup(given[b]);
    if (!c->args[b]) return SQLITE_NOMEM;
  }
  int p0 = 1 + k->nOpt, nParam = 0;
  for (int b = p0; b < nh; b++)
    if (given[b]) nParam = b - p0 + 1;
  for (int b = p0; b < p0 + nParam; b++)
    if (!given[b])
      return tvf_error(cur->pVtab, sqlite3_mprintf("%s: parameters must be given in order (p%d is missing)",
                                                   k->fn, b - p0 + 1));
  /* options first, so that a bad one is reported even for a NULL query */
  SwX opt[2] = {{0}, {0}};
  unsigned char optT[2] = {0, 0};
  static const char *const segNames[] = {"usage_cut", "potential_cut"};
  static const char *const abcNames[] = {"a_cut", "b_cut"};
  for (int o = 0; o < k->nOpt; o++) {
    char *err = sw_option(k, t->which == SW_ABC ? abcNames[o] : segNames[o], given[1 + o],
                          t->which == SW_ABC, &opt[o], &optT[o]);
    if (err) return tvf_error(cur->pVtab, err);
  }
  double aCut = 0.80, bCut = 0.95;
  if (t->which == SW_ABC) {
    if (optT[0]) aCut = sw_as_double(opt[0], optT[0] == 1);
    if (optT[1]) bCut = sw_as_double(opt[1], optT[1] == 1);
    if (aCut > bCut) {
      char *m;
      if (optT[1]) {
        char *r = value_repr(given[2]);
        m = sqlite3_mprintf("abc: b_cut must be at least a_cut (%.15g), got %s", aCut,
                            r ? r : "?");
        sqlite3_free(r);
      } else {
        char *r = value_repr(given[1]);
        m = sqlite3_mprintf("abc: a_cut must be at most the default b_cut (0.95), got %s",
                            r ? r : "?");
        sqlite3_free(r);
      }
      return tvf_error(cur->pVtab, m);
    }
  }
  int qt = sqlite3_value_type(given[0]);
  if (qt == SQLITE_BLOB)
    return tvf_error(cur->pVtab, sqlite3_mprintf("%s: query must be text, got a blob", k->fn));
  if (qt == SQLITE_NULL) return SQLITE_OK; /* NULL in, no rows out */
  const char *zq = (const char *)sqlite3_value_text(given[0]);
  if (!zq) return SQLITE_NOMEM;

  if ((size_t)sqlite3_value_bytes(given[0]) != strlen(zq)) {
    /* SQLite would prepare only the text before the NUL */
    char *r = value_repr(given[0]);
    char *m = sqlite3_mprintf("%s: query must be text without NUL characters, got %s", k->fn,
                              r ? r : "?");
    sqlite3_free(r);
    return tvf_error(cur->pVtab, m);
  }
  char *err = NULL;
  sqlite3_stmt *st = NULL;
  if (query_enter(t->qc, k->fn, &err)) return tvf_error(cur->pVtab, err);
  /* As allocate: a lateral call runs the same text once per outer row; the
  ** checked statement is kept while no authorizer change of ours has
  ** expired it, and a statement SQLite recompiled outside our check is
  ** prepared and checked again. */
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
      prc = query_prepare(t->qc, k->fn, zq, &st, &err);
      if (prc == SQLITE_OK) {
        c->st = st;
        c->zq = sqlite3_mprintf("%s", zq);
        c->stamp = query_stamp(t->qc);
        if (!c->zq) err = sqlite3_mprintf("%s: out of memory", k->fn);
      }
    }
    if (prc == SQLITE_OK && !err &&
        query_bind(st, k->fn, given + p0, nParam, &err) == SQLITE_OK)
      err = sw_read(k, &c->s, st, t->db);
    if (st) sqlite3_reset(st);
    if (!reused || !query_recompiled(t->qc, st, before)) break;
    /* recompiled unchecked: forget its rows and check the text again */
    sqlite3_free(err);
    err = NULL;
    sw_set_clear(&c->s);
    reused = 0;
  }
  query_leave(t->qc);
  if (!err) {
    switch (t->which) {
      case SW_SEGMENT:
        err = sw_segment(k, &c->s, opt, optT);
        break;
      case SW_SEGSUM:
        err = sw_segment(k, &c->s, opt, optT);
        if (!err) err = sw_seg_summarize(k, c);
        break;
      case SW_DECILES:
        err = sw_deciles(k, &c->s);
        break;
      case SW_DECSUM:
        err = sw_deciles(k, &c->s);
        if (!err) err = sw_summarize(k, c);
        break;
      default:
        err = sw_abc(k, &c->s, aCut, bCut);
    }
  }
  if (err) {
    sw_set_clear(&c->s);
    return tvf_error(cur->pVtab, err);
  }
  if (t->which != SW_DECSUM && t->which != SW_SEGSUM && (idxNum & SW_ORDERED) && sw_make_emit(c) != SQLITE_OK) {
    sw_set_clear(&c->s);
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

static int swNext(sqlite3_vtab_cursor *cur) {
  ((SwCursor *)cur)->i++;
  return SQLITE_OK;
}

static int swEof(sqlite3_vtab_cursor *cur) {
  SwCursor *c = (SwCursor *)cur;
  if (((SwVtab *)cur->pVtab)->which == SW_DECSUM) return c->i >= c->nsum;
  if (((SwVtab *)cur->pVtab)->which == SW_SEGSUM) return c->i >= c->nseg;
  return c->i >= c->s.n;
}

static void sw_result_val(sqlite3_context *ctx, const SwSet *s, const SwVal *v) {
  switch (v->type) {
    case SQLITE_INTEGER:
      sqlite3_result_int64(ctx, v->u.i);
      break;
    case SQLITE_FLOAT:
      sqlite3_result_double(ctx, v->u.d);
      break;
    case SQLITE_TEXT:
      sqlite3_result_text64(ctx, sw_bytes(s, v), v->len, SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
    case SQLITE_BLOB:
      sqlite3_result_blob64(ctx, sw_bytes(s, v), v->len, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_null(ctx);
  }
}

static void sw_result_x(sqlite3_context *ctx, SwX x, int t) {
  if (t == 1)
    sqlite3_result_int64(ctx, x.i);
  else if (t == 2)
    sqlite3_result_double(ctx, x.d);
  else
    sqlite3_result_null(ctx);
}

/* segment's usage_cut (j 0) or potential_cut (j 1): a fixed cut comes
** back as it was given */
static void sw_cut_result(SwCursor *c, sqlite3_context *ctx, const SwGroup *g, int j) {
  if (g->cutT[j] && c->args[1 + j] && sqlite3_value_type(c->args[1 + j]) != SQLITE_NULL)
    sqlite3_result_value(ctx, c->args[1 + j]);
  else
    sw_result_x(ctx, j == 0 ? g->total : g->cut2, g->cutT[j]);
}

static int swColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  SwCursor *c = (SwCursor *)cur;
  SwVtab *t = (SwVtab *)cur->pVtab;
  const SwSet *s = &c->s;
  if (t->which == SW_DECSUM) return sw_sum_column(c, ctx, col);
  if (t->which == SW_SEGSUM) return sw_seg_column(c, ctx, col);
  size_t ri = c->emit ? c->emit[c->i] : c->i;
  const SwRow *r = SW_ROW(s, ri);
  const SwGroup *g = &s->groups[r->g];
  if (col >= t->kind->nOut) {
    sw_hidden_result(c, ctx, col - t->kind->nOut);
    return SQLITE_OK;
  }
  switch (col) {
    case 0:
      sw_result_val(ctx, s, &g->key);
      return SQLITE_OK;
    case 1:
      sw_result_val(ctx, s, &r->id);
      return SQLITE_OK;
    case 2:
      sw_result_x(ctx, r->x[0], r->xt[0]);
      return SQLITE_OK;
    default:
      break;
  }
  if (t->which == SW_SEGMENT) {
    switch (col) {
      case 3:
        sw_result_x(ctx, r->x[1], r->xt[1]);
        break;
      case 4:
      case 5:
        sw_cut_result(c, ctx, g, col - 4);
        break;
      default:
        sw_result_letter(ctx, r->out);
    }
    return SQLITE_OK;
  }
  int ti = g->allInt ? 1 : 2;
  switch (col) {
    case 3: /* cum */
      sw_result_x(ctx, s->cum[ri], r->xt[0] ? ti : 0);
      break;
    case 4: /* total */
      sw_result_x(ctx, g->total, g->hasTotal ? ti : 0);
      break;
    case 5:
      if (t->which == SW_DECILES) {
        if (r->xt[0])
          sqlite3_result_int(ctx, r->out);
        else
          sqlite3_result_null(ctx);
      } else {
        double tot = sw_as_double(g->total, g->allInt);
        if (r->xt[0] && tot != 0)
          sqlite3_result_double(ctx, sw_as_double(s->cum[ri], g->allInt) / tot);
        else
          sqlite3_result_null(ctx);
      }
      break;
    default:
      sw_result_letter(ctx, r->out);
  }
  return SQLITE_OK;
}

static int swRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((SwCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module swModule = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = swConnect,
    .xBestIndex = swBestIndex,
    .xDisconnect = swDisconnect,
    .xOpen = swOpen,
    .xClose = swClose,
    .xFilter = swFilter,
    .xNext = swNext,
    .xEof = swEof,
    .xColumn = swColumn,
    .xRowid = swRowid,
};

int setwise_register(sqlite3 *db, QueryConn *qc) {
  for (int w = SW_SEGMENT; w <= SW_SEGSUM; w++) {
    SwAux *aux = sqlite3_malloc(sizeof(*aux));
    if (!aux) return SQLITE_NOMEM;
    aux->qc = qc;
    aux->which = w;
    query_conn_ref(qc);
    /* the destructor runs even when registration fails */
    int rc = sqlite3_create_module_v2(db, sw_kinds[w].fn, &swModule, aux, sw_aux_free);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
