/*
** doctormap.h -- one entry per doctor id, found or added once per rx row:
** the per-doctor accumulator of rx_usage() (ext/rxusage.c) and rx_market()
** (ext/rxmarket.c), which sum rx per doctor in C and hand the doctors back
** in doctor_id order.
**
** An entry is the caller's struct of a fixed size, its first member the
** doctor id (sqlite3_int64); it is made zero (but for the id) on first
** sight.  Where rx's doctor ids span at most DOCTORMAP_MAXRANGE values the
** entries are found through an array indexed by id - min (4 bytes an id;
** the lookup is inline, below); beyond, or once an id falls outside the
** span read at the start (rx changed under us), through a hash.  At the
** end doctormap_sort() lays the entries out in doctor id order: the array
** already is, the hashed ones are sorted.
**
** Why shared: both functions carried the same sizing, lookup, hash and
** ordering code; rx_department() (ext/rxdept.c) is different (its doctors
** come from table doctor, spread-out ids sorted and searched).
*/
#ifndef TERRITORY_DOCTORMAP_H
#define TERRITORY_DOCTORMAP_H

#include "sqlite_api.h"

#include <stddef.h>
#include <stdint.h>

/* ids spanning at most this many values: the array; beyond, the hash */
#define DOCTORMAP_MAXRANGE (1u << 24)

typedef struct DoctorMap {
  char *ent;        /* the entries, esz bytes each, in order of first sight */
  size_t esz, n, cap;
  uint32_t *slot;   /* dense: entry index + 1 by doctor id - dmin; else hash buckets */
  size_t nslot;
  uint32_t *next;   /* hashed: the chain, entry index + 1 (cap of them) */
  int dense;
  sqlite3_int64 dmin;
  uint32_t *order;  /* after doctormap_sort(): entry indexes by doctor id */
} DoctorMap;

/* Empty, for entries of esz bytes (a multiple of 8, the id first); the
** span of rx's doctor ids decides between the array and the hash.  An
** error of SQLite goes to vt's message as "fn: ..."; SQLITE_NOMEM. */
int doctormap_init(DoctorMap *m, size_t esz, sqlite3 *db, sqlite3_vtab *vt, const char *fn);

/* every buffer freed; the map zero again */
void doctormap_free(DoctorMap *m);

/* the doctor's entry when new or hashed; NULL: no memory */
void *doctormap_add(DoctorMap *m, sqlite3_int64 doctor);

/* The doctor's entry, made zero on first sight; NULL: no memory. */
static inline void *doctormap_get(DoctorMap *m, sqlite3_int64 doctor) {
  if (m->dense && doctor >= m->dmin && (sqlite3_uint64)(doctor - m->dmin) < m->nslot) {
    uint32_t s = m->slot[doctor - m->dmin];
    if (s) return m->ent + (size_t)(s - 1) * m->esz;
  }
  return doctormap_add(m, doctor);
}

/* The doctor's entry, or NULL when it has none (nothing is added). */
void *doctormap_find(const DoctorMap *m, sqlite3_int64 doctor);

/* m->order: the n entries' indexes in doctor id order; SQLITE_NOMEM */
int doctormap_sort(DoctorMap *m);

/* entry i (an index of m->order) */
static inline void *doctormap_at(const DoctorMap *m, size_t i) {
  return m->ent + i * m->esz;
}

#endif
