/*
** idmap.c -- one entry per id: the array or hash behind rx_usage(),
** rx_market() and the ledger walk (see idmap.h).
*/
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

static sqlite3_int64 dm_id(const IdMap *m, size_t i) {
  sqlite3_int64 id;
  memcpy(&id, m->ent + i * m->esz, sizeof(id));
  return id;
}

int idmap_init(IdMap *m, size_t esz, sqlite3 *db, const char *span_sql, sqlite3_vtab *vt,
               const char *fn) {
  memset(m, 0, sizeof(*m));
  m->esz = esz;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, span_sql, -1, &st, 0);
  if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db));
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = msg;
    return msg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
    sqlite3_int64 lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
    if (hi >= lo && (sqlite3_uint64)hi - (sqlite3_uint64)lo < IDMAP_MAXRANGE) {
      m->dense = 1;
      m->dmin = lo;
      m->nslot = (size_t)(hi - lo + 1);
    }
  }
  sqlite3_finalize(st);
  if (!m->dense) m->nslot = 1024;
  m->slot = sqlite3_malloc64(m->nslot * sizeof(uint32_t));
  if (!m->slot) return SQLITE_NOMEM;
  memset(m->slot, 0, m->nslot * sizeof(uint32_t));
  return SQLITE_OK;
}

void idmap_free(IdMap *m) {
  sqlite3_free(m->ent);
  sqlite3_free(m->slot);
  sqlite3_free(m->next);
  sqlite3_free(m->order);
  memset(m, 0, sizeof(*m));
}

static size_t dm_hash(sqlite3_int64 id, size_t mask) {
  uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 32) & mask;
}

/* twice the buckets, every entry chained again */
static int dm_grow_hash(IdMap *m) {
  size_t n = 2 * m->nslot;
  uint32_t *s = sqlite3_malloc64(n * sizeof(*s));
  if (!s) return SQLITE_NOMEM;
  memset(s, 0, n * sizeof(*s));
  for (size_t i = 0; i < m->n; i++) {
    size_t k = dm_hash(dm_id(m, i), n - 1);
    m->next[i] = s[k];
    s[k] = (uint32_t)(i + 1);
  }
  sqlite3_free(m->slot);
  m->slot = s;
  m->nslot = n;
  return SQLITE_OK;
}

/* the chain for cap entries (hashed only) */
static int dm_room_next(IdMap *m, size_t cap) {
  if (cap == 0) return SQLITE_OK;
  uint32_t *x = sqlite3_realloc64(m->next, cap * sizeof(*x));
  if (!x) return SQLITE_NOMEM;
  m->next = x;
  return SQLITE_OK;
}

void *idmap_add(IdMap *m, sqlite3_int64 id) {
  uint32_t *head;
  if (m->dense && id >= m->dmin && (sqlite3_uint64)(id - m->dmin) < m->nslot) {
    head = &m->slot[id - m->dmin];
    if (*head) return m->ent + (size_t)(*head - 1) * m->esz;
  } else {
    if (m->dense) {
      /* an id outside the span read at the start (the table changed under us):
      ** hash from here on */
      m->dense = 0;
      sqlite3_free(m->slot);
      m->slot = 0;
      m->nslot = 512;
      if (dm_room_next(m, m->cap) != SQLITE_OK || dm_grow_hash(m) != SQLITE_OK) return 0;
    }
    if (2 * (m->n + 1) > m->nslot && dm_grow_hash(m) != SQLITE_OK) return 0;
    head = &m->slot[dm_hash(id, m->nslot - 1)];
    for (uint32_t i = *head; i; i = m->next[i - 1])
      if (dm_id(m, i - 1) == id) return m->ent + (size_t)(i - 1) * m->esz;
  }
  if (m->n >= UINT32_MAX - 1) return 0;
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 1024;
    if (!m->dense && dm_room_next(m, cap) != SQLITE_OK) return 0;
    char *a = sqlite3_realloc64(m->ent, cap * m->esz);
    if (!a) return 0;
    m->ent = a;
    m->cap = cap;
  }
  char *e = m->ent + m->n * m->esz;
  memset(e, 0, m->esz);
  memcpy(e, &id, sizeof(id));
  if (!m->dense) m->next[m->n] = *head;
  *head = (uint32_t)++m->n;
  return e;
}

void *idmap_find(const IdMap *m, sqlite3_int64 id) {
  if (m->dense) {
    if (id < m->dmin || (sqlite3_uint64)(id - m->dmin) >= m->nslot) return 0;
    uint32_t s = m->slot[id - m->dmin];
    return s ? m->ent + (size_t)(s - 1) * m->esz : 0;
  }
  if (!m->slot) return 0;
  for (uint32_t i = m->slot[dm_hash(id, m->nslot - 1)]; i; i = m->next[i - 1])
    if (dm_id(m, i - 1) == id) return m->ent + (size_t)(i - 1) * m->esz;
  return 0;
}

/* qsort has no context argument in C11: sort (id, index) pairs */
typedef struct DmById {
  sqlite3_int64 id;
  uint32_t idx;
} DmById;

static int dm_cmp_by_id(const void *a, const void *b) {
  sqlite3_int64 x = ((const DmById *)a)->id, y = ((const DmById *)b)->id;
  return x < y ? -1 : x > y;
}

int idmap_sort(IdMap *m) {
  if (m->n == 0) return SQLITE_OK;
  m->order = sqlite3_malloc64(m->n * sizeof(uint32_t));
  if (!m->order) return SQLITE_NOMEM;
  if (m->dense) {
    size_t n = 0;
    for (size_t d = 0; d < m->nslot; d++)
      if (m->slot[d]) m->order[n++] = m->slot[d] - 1;
    return SQLITE_OK;
  }
  DmById *k = sqlite3_malloc64(m->n * sizeof(*k));
  if (!k) return SQLITE_NOMEM;
  for (size_t i = 0; i < m->n; i++) {
    k[i].id = dm_id(m, i);
    k[i].idx = (uint32_t)i;
  }
  qsort(k, m->n, sizeof(*k), dm_cmp_by_id);
  for (size_t i = 0; i < m->n; i++) m->order[i] = k[i].idx;
  sqlite3_free(k);
  return SQLITE_OK;
}
