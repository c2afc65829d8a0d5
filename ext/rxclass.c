/*
** rxclass.c -- rx_class_scan, the engine under the schema's view rx_class:
** every doctor's prescriptions of a product beside those of the product's
** whole drug class (ours and the competitors'), per month.
**
**   SELECT * FROM rx_class_scan;      -- what the view rx_class selects
**   SELECT * FROM rx_class WHERE product_id = 1 AND period = '2026-06';
**
** Columns: doctor_id, product_id, class_id, period, rx_count, class_rx.
** For every doctor, month and class with a row in rx, one row per product
** of the class: rx_count = the doctor's rx of the product (0 when the
** doctor wrote only other products of the class), class_rx = the sum of
** rx_count over the class.  A product without a class is a class of its
** own, and its class_rx is rx.potential, the total typed by hand in files
** written before classes (NULL when not typed).
**
** Why C: the SQL formulation groups every rx row by doctor, month and class
** (SQLite sorts to group) and then looks each product's count up again, 8.6
** seconds over 5 million rows.  Here rx is read once, with the filters the
** caller gives (product_id =, period = / < / <= / > / >=, doctor_id =)
** pushed into that read, and grouped in C (entries chained from an array
** indexed by doctor id, or hashed when the ids are sparse): a product
** filter reads only the rows of that product's class.
**
** Rows come out in the order rx is read.  Memory: one entry per doctor,
** month and class read (about 40 bytes plus 8 per product of the class).
*/
#include "readvtab.h"
#include "registry.h"
#include "sqlite_api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 rc_i64;

enum { COL_DOCTOR, COL_PRODUCT, COL_CLASS, COL_PERIOD, COL_RX, COL_CLASS_RX };

/* idxNum bits: which filters xFilter receives, in this order in argv */
#define F_PRODUCT 1
#define F_DOCTOR 2
#define F_PERIOD_EQ 4
#define F_PERIOD_LO 8  /* >= */
#define F_PERIOD_GT 16 /* >  */
#define F_PERIOD_HI 32 /* <= */
#define F_PERIOD_LT 64 /* <  */
#define F_ORDERED 128  /* rows by doctor_id, then period */

typedef struct Product {
  rc_i64 id;
  rc_i64 class_id; /* valid when has_class */
  int has_class;
  int cls;  /* index into classes */
  int slot; /* position within its class */
} Product;

typedef struct Class {
  int first;    /* first member in the by-class product order */
  int nmember;
  int ncell;    /* cells per entry: nmember, or 3 for a classless product */
} Class;

/* One doctor, month and class, 16 bytes: key = yyyymm << 12 | class
** index; cells from off: one count per member product of the class, and
** for a product without a class also the typed potential (double bits) and
** a flag saying it was typed.  The class total is summed when read. */
#define RC_MAXCLASS 4096
typedef struct Entry {
  rc_i64 doctor;
  uint32_t key;
  uint32_t off;
  uint32_t next; /* the doctor's previous entry + 1 (by-doctor chains) */
} Entry;

/* Doctor ids are usually dense (INTEGER PRIMARY KEY): when rx's ids span at
** most this many values, entries are chained from an array indexed by id,
** which beats hashing (4 bytes an id, no probing); otherwise they are
** hashed. */
#define RC_MAXRANGE (1u << 24)

typedef ReadVtab RcVtab;

typedef struct RcCursor {
  sqlite3_vtab_cursor base;
  Product *prod;     /* sorted by id */
  int nprod;
  int *by_class;     /* product indexes grouped by class */
  Class *cls;
  int ncls;
  Entry *ent;
  size_t nent, cap;
  rc_i64 *cell;
  size_t ncell, cellcap;
  uint32_t *hash;    /* entry index + 1, 0 empty */
  size_t hcap;
  uint32_t *head;    /* by doctor id - dmin: its last entry + 1, 0 none */
  rc_i64 dmin;
  rc_i64 drange;
  int only;          /* emit only this product index, -1: all */
  size_t e;          /* current entry (the e-th of order when ordered) */
  uint32_t *order;   /* entries by doctor, then key; NULL: as read */
  int m;             /* current member within the entry's class */
  rc_i64 rowid;
} RcCursor;

static const char *rc_schema =
    "CREATE TABLE x(doctor_id INTEGER, product_id INTEGER, class_id INTEGER,"
    " period TEXT, rx_count INTEGER, class_rx)";

static int rcConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  /* Innocuous: the schema's view rx_class selects from it, and it only
  ** reads rx and product with a fixed query. */
  return readvtab_connect(db, rc_schema, pp);
}

static void rc_reset(RcCursor *c) {
  sqlite3_free(c->prod);
  sqlite3_free(c->by_class);
  sqlite3_free(c->cls);
  sqlite3_free(c->ent);
  sqlite3_free(c->cell);
  sqlite3_free(c->hash);
  sqlite3_free(c->head);
  sqlite3_free(c->order);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int rcOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  return readvtab_open(sizeof(RcCursor), pp);
}

static int rcClose(sqlite3_vtab_cursor *cur) {
  rc_reset((RcCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The filters SQLite may hand over; it checks every one again itself
** (omit stays 0), so a value of an unexpected type compares as SQL says. */
static int rcBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  (void)v;
  static const struct { int col, op, bit; } F[] = {
      {COL_PRODUCT, SQLITE_INDEX_CONSTRAINT_EQ, F_PRODUCT},
      {COL_DOCTOR, SQLITE_INDEX_CONSTRAINT_EQ, F_DOCTOR},
      {COL_PERIOD, SQLITE_INDEX_CONSTRAINT_EQ, F_PERIOD_EQ},
      {COL_PERIOD, SQLITE_INDEX_CONSTRAINT_GE, F_PERIOD_LO},
      {COL_PERIOD, SQLITE_INDEX_CONSTRAINT_GT, F_PERIOD_GT},
      {COL_PERIOD, SQLITE_INDEX_CONSTRAINT_LE, F_PERIOD_HI},
      {COL_PERIOD, SQLITE_INDEX_CONSTRAINT_LT, F_PERIOD_LT},
  };
  int bits = 0, argv = 0;
  double cost = 1e7;
  for (size_t f = 0; f < sizeof F / sizeof F[0]; f++) {
    for (int i = 0; i < ix->nConstraint; i++) {
      const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
      if (!k->usable || k->iColumn != F[f].col || k->op != F[f].op) continue;
      bits |= F[f].bit;
      ix->aConstraintUsage[i].argvIndex = ++argv;
      break;
    }
  }
  if (bits & F_DOCTOR) cost /= 1e5;
  if (bits & F_PRODUCT) cost /= 3;
  if (bits & F_PERIOD_EQ) cost /= 20;
  else if (bits & (F_PERIOD_LO | F_PERIOD_GT | F_PERIOD_HI | F_PERIOD_LT)) cost /= 4;
  /* ORDER BY doctor_id [, period], or GROUP BY those (any order of the
  ** two then): rows can come so at the cost of sorting entries, which lets
  ** a caller's GROUP BY doctor_id stream instead of sorting every row. */
  int ordered = ix->nOrderBy >= 1 && ix->nOrderBy <= 2;
  for (int i = 0; ordered && i < ix->nOrderBy; i++) {
    const struct sqlite3_index_orderby *o = &ix->aOrderBy[i];
    if (o->desc) ordered = 0;
    else if (i == 0 && o->iColumn != COL_DOCTOR) ordered = 0;
    else if (i == 1 && o->iColumn != COL_PERIOD) ordered = 0;
  }
  if (ordered) {
    bits |= F_ORDERED;
    ix->orderByConsumed = 1;
  }
  ix->idxNum = bits;
  ix->estimatedCost = cost;
  ix->estimatedRows = (sqlite3_int64)cost;
  return SQLITE_OK;
}

static int cmp_product(const void *a, const void *b) {
  rc_i64 x = ((const Product *)a)->id, y = ((const Product *)b)->id;
  return x < y ? -1 : x > y;
}

static int find_product(const RcCursor *c, rc_i64 id) {
  int lo = 0, hi = c->nprod - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (c->prod[mid].id == id) return mid;
    if (c->prod[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

static int rc_error(RcCursor *c, const char *fmt, const char *what) {
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = sqlite3_mprintf(fmt, what);
  return SQLITE_ERROR;
}

/* The product list and its classes: a product without a class is a class
** of its own. */
static int load_products(RcCursor *c, sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT id, class_id FROM product", -1, &st, 0);
  if (rc != SQLITE_OK) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  int cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (c->nprod == cap) {
      cap = cap ? 2 * cap : 16;
      Product *p = sqlite3_realloc64(c->prod, (sqlite3_uint64)cap * sizeof(*p));
      if (!p) { sqlite3_finalize(st); return SQLITE_NOMEM; }
      c->prod = p;
    }
    Product *p = &c->prod[c->nprod++];
    p->id = sqlite3_column_int64(st, 0);
    p->has_class = sqlite3_column_type(st, 1) != SQLITE_NULL;
    p->class_id = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  if (c->nprod == 0) return SQLITE_OK;
  qsort(c->prod, (size_t)c->nprod, sizeof(*c->prod), cmp_product);
  c->by_class = sqlite3_malloc64((sqlite3_uint64)c->nprod * sizeof(int));
  c->cls = sqlite3_malloc64((sqlite3_uint64)c->nprod * sizeof(Class));
  if (!c->by_class || !c->cls) return SQLITE_NOMEM;
  /* classes in order of their first product; members in product id order */
  for (int i = 0; i < c->nprod; i++) c->prod[i].cls = -1;
  int n = 0;
  for (int i = 0; i < c->nprod; i++) {
    if (c->prod[i].cls >= 0) continue;
    Class *k = &c->cls[c->ncls];
    k->first = n;
    k->nmember = 0;
    for (int j = i; j < c->nprod; j++) {
      int same = j == i || (c->prod[i].has_class && c->prod[j].has_class &&
                            c->prod[j].class_id == c->prod[i].class_id);
      if (!same) continue;
      c->prod[j].cls = c->ncls;
      c->prod[j].slot = k->nmember++;
      c->by_class[n++] = j;
    }
    k->ncell = c->prod[i].has_class ? k->nmember : 3;
    if (++c->ncls > RC_MAXCLASS)
      return rc_error(c, "rx_class_scan: more than %s product classes", "4096");
  }
  return SQLITE_OK;
}

static uint32_t rc_hash(rc_i64 doctor, uint32_t key) {
  uint64_t h = ((uint64_t)doctor * 0x9E3779B97F4A7C15ull) ^ key;
  h *= 0xBF58476D1CE4E5B9ull;
  return (uint32_t)(h >> 32);
}

static int grow_hash(RcCursor *c) {
  size_t cap = c->hcap ? 2 * c->hcap : 1024;
  uint32_t *h = sqlite3_malloc64(cap * sizeof(*h));
  if (!h) return SQLITE_NOMEM;
  memset(h, 0, cap * sizeof(*h));
  for (size_t i = 0; i < c->nent; i++) {
    size_t k = rc_hash(c->ent[i].doctor, c->ent[i].key) & (cap - 1);
    while (h[k]) k = (k + 1) & (cap - 1);
    h[k] = (uint32_t)(i + 1);
  }
  sqlite3_free(c->hash);
  c->hash = h;
  c->hcap = cap;
  return SQLITE_OK;
}

/* The cells of (doctor, key), made zero on first sight; NULL: no memory. */
static rc_i64 *cells_for(RcCursor *c, rc_i64 doctor, uint32_t key) {
  size_t k = 0;
  uint32_t *chain = 0;
  if (c->head && doctor >= c->dmin && doctor - c->dmin < c->drange) {
    chain = &c->head[doctor - c->dmin];
    for (uint32_t i = *chain; i; i = c->ent[i - 1].next)
      if (c->ent[i - 1].key == key) return &c->cell[c->ent[i - 1].off];
  } else {
    if (c->head) {
      /* an id outside the range read at the start: hash from now on */
      sqlite3_free(c->head);
      c->head = 0;
    }
    if (2 * (c->nent + 1) > c->hcap && grow_hash(c) != SQLITE_OK) return 0;
    k = rc_hash(doctor, key) & (c->hcap - 1);
    while (c->hash[k]) {
      Entry *e = &c->ent[c->hash[k] - 1];
      if (e->doctor == doctor && e->key == key) return &c->cell[e->off];
      k = (k + 1) & (c->hcap - 1);
    }
  }
  size_t need = (size_t)c->cls[key & (RC_MAXCLASS - 1)].ncell;
  if (c->nent >= UINT32_MAX - 1 || c->ncell + need >= UINT32_MAX) return 0;
  if (c->nent == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 1024;
    Entry *n = sqlite3_realloc64(c->ent, cap * sizeof(*n));
    if (!n) return 0;
    c->ent = n;
    c->cap = cap;
  }
  if (c->ncell + need > c->cellcap) {
    size_t cap = c->cellcap ? 2 * c->cellcap : 4096;
    while (cap < c->ncell + need) cap *= 2;
    rc_i64 *n = sqlite3_realloc64(c->cell, cap * sizeof(*n));
    if (!n) return 0;
    c->cell = n;
    c->cellcap = cap;
  }
  Entry *e = &c->ent[c->nent];
  e->doctor = doctor;
  e->key = key;
  e->off = (uint32_t)c->ncell;
  memset(&c->cell[c->ncell], 0, need * sizeof(rc_i64));
  c->ncell += need;
  c->nent++;
  if (chain) {
    e->next = *chain;
    *chain = (uint32_t)c->nent;
  } else {
    e->next = 0;
    c->hash[k] = (uint32_t)c->nent;
  }
  return &c->cell[e->off];
}

/* The span of rx's doctor ids (two seeks in its primary key): the by-id
** array when it is small enough, else nothing (hashing). */
static int doctor_range(RcCursor *c, sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT (SELECT min(doctor_id) FROM rx), (SELECT max(doctor_id) FROM rx)", -1, &st, 0);
  if (rc != SQLITE_OK) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
      sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
    rc_i64 lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
    if (hi >= lo && (sqlite3_uint64)hi - (sqlite3_uint64)lo < RC_MAXRANGE) {
      c->dmin = lo;
      c->drange = hi - lo + 1;
      c->head = sqlite3_malloc64((sqlite3_uint64)c->drange * sizeof(uint32_t));
      if (c->head) memset(c->head, 0, (size_t)c->drange * sizeof(uint32_t));
    }
  }
  rc = sqlite3_finalize(st);
  if (rc != SQLITE_OK) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  return SQLITE_OK;
}

/* 'YYYY-MM' as yyyymm; -1 when it is not that (rx's CHECK forbids it). */
static int parse_period(const unsigned char *s, int n) {
  if (!s || n != 7 || s[4] != '-') return -1;
  int v = 0;
  for (int i = 0; i < 7; i++) {
    if (i == 4) continue;
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static const Entry *current(const RcCursor *c) {
  return &c->ent[c->order ? c->order[c->e] : c->e];
}

/* what the sparse-id case sorts: the key with the entry it belongs to */
typedef struct SortKey {
  rc_i64 doctor;
  uint32_t key, idx;
} SortKey;

static int cmp_sortkey(const void *a, const void *b) {
  const SortKey *x = a, *y = b;
  if (x->doctor != y->doctor) return x->doctor < y->doctor ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

/* The entries by doctor, then month and class: from the by-id array in id
** order (each doctor's few entries put in order by insertion), or sorted. */
static int make_order(RcCursor *c) {
  if (c->nent == 0) return SQLITE_OK;
  c->order = sqlite3_malloc64((sqlite3_uint64)c->nent * sizeof(uint32_t));
  if (!c->order) return SQLITE_NOMEM;
  if (c->head) {
    size_t n = 0;
    for (rc_i64 d = 0; d < c->drange; d++) {
      size_t first = n;
      for (uint32_t i = c->head[d]; i; i = c->ent[i - 1].next) {
        uint32_t v = i - 1;
        size_t j = n++;
        while (j > first && c->ent[c->order[j - 1]].key > c->ent[v].key) {
          c->order[j] = c->order[j - 1];
          j--;
        }
        c->order[j] = v;
      }
    }
  } else {
    SortKey *k = sqlite3_malloc64((sqlite3_uint64)c->nent * sizeof(*k));
    if (!k) return SQLITE_NOMEM;
    for (size_t i = 0; i < c->nent; i++) {
      k[i].doctor = c->ent[i].doctor;
      k[i].key = c->ent[i].key;
      k[i].idx = (uint32_t)i;
    }
    qsort(k, c->nent, sizeof(*k), cmp_sortkey);
    for (size_t i = 0; i < c->nent; i++) c->order[i] = k[i].idx;
    sqlite3_free(k);
  }
  return SQLITE_OK;
}

static int rcFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  RcCursor *c = (RcCursor *)cur;
  sqlite3 *db = ((RcVtab *)cur->pVtab)->db;
  rc_reset(c);
  c->only = -1;
  int rc = load_products(c, db);
  if (rc != SQLITE_OK) return rc;

  rc = doctor_range(c, db);
  if (rc != SQLITE_OK) return rc;

  char *sql = sqlite3_mprintf("SELECT doctor_id, period, product_id, rx_count, potential"
                              " FROM rx WHERE 1");
  static const struct { int bit; const char *term; } T[] = {
      {F_PRODUCT, " AND product_id IN (SELECT q.id FROM product q, product p"
                  " WHERE p.id = ? AND coalesce(q.class_id, -q.id) = coalesce(p.class_id, -p.id))"},
      {F_DOCTOR, " AND doctor_id = ?"},
      {F_PERIOD_EQ, " AND period = ?"},
      {F_PERIOD_LO, " AND period >= ?"},
      {F_PERIOD_GT, " AND period > ?"},
      {F_PERIOD_HI, " AND period <= ?"},
      {F_PERIOD_LT, " AND period < ?"},
  };
  for (size_t i = 0; i < sizeof T / sizeof T[0] && sql; i++)
    if (idxNum & T[i].bit) {
      char *s = sqlite3_mprintf("%z%s", sql, T[i].term);
      sql = s;
    }
  if (!sql) return SQLITE_NOMEM;
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  for (int i = 0; i < argc; i++) sqlite3_bind_value(st, i + 1, argv[i]);
  if (idxNum & F_PRODUCT) {
    /* only the product asked for; an id that is no product matches none */
    sqlite3_value *v = argv[0];
    int t = sqlite3_value_numeric_type(v);
    c->only = -2;
    if (t == SQLITE_INTEGER) {
      int p = find_product(c, sqlite3_value_int64(v));
      if (p >= 0) c->only = p;
    } else if (t == SQLITE_FLOAT) {
      double d = sqlite3_value_double(v);
      if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(rc_i64)d) {
        int p = find_product(c, (rc_i64)d);
        if (p >= 0) c->only = p;
      }
    }
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int p = find_product(c, sqlite3_column_int64(st, 2));
    if (p < 0) continue; /* a product no longer in the list: no class to count in */
    int period = parse_period(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
    if (period < 0) {
      char *bad = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 1));
      sqlite3_finalize(st);
      rc = rc_error(c, "rx_class_scan: rx.period must be YYYY-MM, got '%s'", bad ? bad : "");
      sqlite3_free(bad);
      return rc;
    }
    const Product *pr = &c->prod[p];
    rc_i64 *cell = cells_for(c, sqlite3_column_int64(st, 0),
                             (uint32_t)period << 12 | (uint32_t)pr->cls);
    if (!cell) { sqlite3_finalize(st); return SQLITE_NOMEM; }
    cell[pr->slot] += sqlite3_column_int64(st, 3);
    if (!pr->has_class && sqlite3_column_type(st, 4) != SQLITE_NULL) {
      double t = sqlite3_column_double(st, 4), old;
      memcpy(&old, &cell[1], sizeof old);
      if (!cell[2] || t > old) memcpy(&cell[1], &t, sizeof t);
      cell[2] = 1;
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rc_error(c, "rx_class_scan: %s", sqlite3_errmsg(db));
  if (c->only == -2) c->nent = 0;
  if ((idxNum & F_ORDERED) && (rc = make_order(c)) != SQLITE_OK) return rc;
  c->e = 0;
  c->m = c->only >= 0 ? c->prod[c->only].slot : 0;
  c->rowid = 1;
  return SQLITE_OK;
}

static int rcNext(sqlite3_vtab_cursor *cur) {
  RcCursor *c = (RcCursor *)cur;
  c->rowid++;
  if (c->only >= 0) {
    c->e++;
    return SQLITE_OK;
  }
  if (++c->m >= c->cls[current(c)->key & (RC_MAXCLASS - 1)].nmember) {
    c->m = 0;
    c->e++;
  }
  return SQLITE_OK;
}

static int rcEof(sqlite3_vtab_cursor *cur) {
  RcCursor *c = (RcCursor *)cur;
  return c->e >= c->nent;
}

static int rcColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RcCursor *c = (RcCursor *)cur;
  const Entry *e = current(c);
  const Class *k = &c->cls[e->key & (RC_MAXCLASS - 1)];
  const Product *p = &c->prod[c->by_class[k->first + c->m]];
  const rc_i64 *cell = &c->cell[e->off];
  switch (col) {
  case COL_DOCTOR: sqlite3_result_int64(ctx, e->doctor); break;
  case COL_PRODUCT: sqlite3_result_int64(ctx, p->id); break;
  case COL_CLASS:
    if (p->has_class) sqlite3_result_int64(ctx, p->class_id);
    else sqlite3_result_null(ctx);
    break;
  case COL_PERIOD: {
    char s[8];
    int y = (int)(e->key >> 12) / 100, m = (int)(e->key >> 12) % 100;
    s[0] = (char)('0' + y / 1000);
    s[1] = (char)('0' + y / 100 % 10);
    s[2] = (char)('0' + y / 10 % 10);
    s[3] = (char)('0' + y % 10);
    s[4] = '-';
    s[5] = (char)('0' + m / 10);
    s[6] = (char)('0' + m % 10);
    s[7] = 0;
    sqlite3_result_text(ctx, s, 7, SQLITE_TRANSIENT);
    break;
  }
  case COL_RX: sqlite3_result_int64(ctx, cell[c->m]); break;
  case COL_CLASS_RX:
    if (p->has_class) {
      rc_i64 tot = 0;
      for (int i = 0; i < k->nmember; i++) tot += cell[i];
      sqlite3_result_int64(ctx, tot);
    } else if (cell[2]) {
      double t;
      memcpy(&t, &cell[1], sizeof t);
      sqlite3_result_double(ctx, t);
    } else sqlite3_result_null(ctx);
    break;
  }
  return SQLITE_OK;
}

static int rcRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((RcCursor *)cur)->rowid;
  return SQLITE_OK;
}

static sqlite3_module rc_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = rcConnect,
    .xBestIndex = rcBestIndex,
    .xDisconnect = readvtab_disconnect,
    .xOpen = rcOpen,
    .xClose = rcClose,
    .xFilter = rcFilter,
    .xNext = rcNext,
    .xEof = rcEof,
    .xColumn = rcColumn,
    .xRowid = rcRowid,
};

int rxclass_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "rx_class_scan", &rc_module, 0);
}
