/*
** doctormap.c -- one entry per doctor id: the array or hash behind
** rx_usage() and rx_market() (see doctormap.h).
*/
#include "doctormap.h"

#include <stdlib.h>
#include <string.h>

static sqlite3_int64 dm_id(const DoctorMap *m, size_t i) {
  sqlite3_int64 id;
  memcpy(&id, m->ent + i * m->esz, sizeof(id));
  return id;
}

int doctormap_init(DoctorMap *m, size_t esz, sqlite3 *db, sqlite3_vtab *vt, const char *fn) {
  memset(m, 0, sizeof(*m));
  m->esz = esz;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT (SELECT min(doctor_id) FROM rx), (SELECT max(doctor_id) FROM rx)",
                              -1, &st, 0);
  if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db));
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = msg;
    return msg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
    sqlite3_int64 lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
    if (hi >= lo && (sqlite3_uint64)hi - (sqlite3_uint64)lo < DOCTORMAP_MAXRANGE) {
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

void doctormap_free(DoctorMap *m) {
  sqlite3_free(m->ent);
  sqlite3_free(m->slot);
  sqlite3_free(m->next);
  sqlite3_free(m->order);
  memset(m, 0, sizeof(*m));
}

static size_t dm_hash(sqlite3_int64 doctor, size_t mask) {
  uint64_t h = (uint64_t)doctor * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 32) & mask;
}

/* twice the buckets, every entry chained again */
static int dm_grow_hash(DoctorMap *m) {
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
static int dm_room_next(DoctorMap *m, size_t cap) {
  if (cap == 0) return SQLITE_OK;
  uint32_t *x = sqlite3_realloc64(m->next, cap * sizeof(*x));
  if (!x) return SQLITE_NOMEM;
  m->next = x;
  return SQLITE_OK;
}

void *doctormap_add(DoctorMap *m, sqlite3_int64 doctor) {
  uint32_t *head;
  if (m->dense && doctor >= m->dmin && (sqlite3_uint64)(doctor - m->dmin) < m->nslot) {
    head = &m->slot[doctor - m->dmin];
    if (*head) return m->ent + (size_t)(*head - 1) * m->esz;
  } else {
    if (m->dense) {
      /* an id outside the span read at the start (rx changed under us):
      ** hash from here on */
      m->dense = 0;
      sqlite3_free(m->slot);
      m->slot = 0;
      m->nslot = 512;
      if (dm_room_next(m, m->cap) != SQLITE_OK || dm_grow_hash(m) != SQLITE_OK) return 0;
    }
    if (2 * (m->n + 1) > m->nslot && dm_grow_hash(m) != SQLITE_OK) return 0;
    head = &m->slot[dm_hash(doctor, m->nslot - 1)];
    for (uint32_t i = *head; i; i = m->next[i - 1])
      if (dm_id(m, i - 1) == doctor) return m->ent + (size_t)(i - 1) * m->esz;
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
  memcpy(e, &doctor, sizeof(doctor));
  if (!m->dense) m->next[m->n] = *head;
  *head = (uint32_t)++m->n;
  return e;
}

void *doctormap_find(const DoctorMap *m, sqlite3_int64 doctor) {
  if (m->dense) {
    if (doctor < m->dmin || (sqlite3_uint64)(doctor - m->dmin) >= m->nslot) return 0;
    uint32_t s = m->slot[doctor - m->dmin];
    return s ? m->ent + (size_t)(s - 1) * m->esz : 0;
  }
  if (!m->slot) return 0;
  for (uint32_t i = m->slot[dm_hash(doctor, m->nslot - 1)]; i; i = m->next[i - 1])
    if (dm_id(m, i - 1) == doctor) return m->ent + (size_t)(i - 1) * m->esz;
  return 0;
}

/* qsort has no context argument in C11: sort (doctor, index) pairs */
typedef struct DmByDoctor {
  sqlite3_int64 doctor;
  uint32_t idx;
} DmByDoctor;

static int dm_cmp_by_doctor(const void *a, const void *b) {
  sqlite3_int64 x = ((const DmByDoctor *)a)->doctor, y = ((const DmByDoctor *)b)->doctor;
  return x < y ? -1 : x > y;
}

int doctormap_sort(DoctorMap *m) {
  if (m->n == 0) return SQLITE_OK;
  m->order = sqlite3_malloc64(m->n * sizeof(uint32_t));
  if (!m->order) return SQLITE_NOMEM;
  if (m->dense) {
    size_t n = 0;
    for (size_t d = 0; d < m->nslot; d++)
      if (m->slot[d]) m->order[n++] = m->slot[d] - 1;
    return SQLITE_OK;
  }
  DmByDoctor *k = sqlite3_malloc64(m->n * sizeof(*k));
  if (!k) return SQLITE_NOMEM;
  for (size_t i = 0; i < m->n; i++) {
    k[i].doctor = dm_id(m, i);
    k[i].idx = (uint32_t)i;
  }
  qsort(k, m->n, sizeof(*k), dm_cmp_by_doctor);
  for (size_t i = 0; i < m->n; i++) m->order[i] = k[i].idx;
  sqlite3_free(k);
  return SQLITE_OK;
}
