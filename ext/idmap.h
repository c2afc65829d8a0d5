/*
** idmap.h -- one entry per id (a doctor, an invoice, a customer), found or
** added once per row read: the per-doctor accumulator of rx_usage()
** (ext/rxusage.c) and rx_market() (ext/rxmarket.c), and the ledger's
** invoices and customers (ext/ledger.c), which sum in C and hand their
** entries back in id order.
**
** An entry is the caller's struct of a fixed size, its first member the
** id (sqlite3_int64); it is made zero (but for the id) on first sight.
** Where the ids span at most IDMAP_MAXRANGE values (the span a query
** gives at the start: the smallest and largest id of the table read) the
** entries are found through an array indexed by id - min (4 bytes an id;
** the lookup is inline, below); beyond, or once an id falls outside that
** span (the table changed under us), through a hash.  At the end
** idmap_sort() lays the entries out in id order: the array already is,
** the hashed ones are sorted.
**
** Why shared: each of these functions needs the same sizing, lookup, hash
** and ordering code; rx_department() (ext/rxdept.c) is different (its
** doctors come from table doctor, spread-out ids sorted and searched).
*/
#ifndef TERRITORY_IDMAP_H
#define TERRITORY_IDMAP_H

#include "sqlite_api.h"

#include <stddef.h>
#include <stdint.h>

/* ids spanning at most this many values: the array; beyond, the hash */
#define IDMAP_MAXRANGE (1u << 24)

typedef struct IdMap {
  char *ent;        /* the entries, esz bytes each, in order of first sight */
  size_t esz, n, cap;
  uint32_t *slot;   /* dense: entry index + 1 by id - dmin; else hash buckets */
  size_t nslot;
  uint32_t *next;   /* hashed: the chain, entry index + 1 (cap of them) */
  int dense;
  sqlite3_int64 dmin;  /* the smallest id of the span (dense) */
  uint32_t *order;  /* after idmap_sort(): entry indexes by id */
} IdMap;

/* Empty, for entries of esz bytes (a multiple of 8, the id first);
** span_sql, a query of one row (min, max), gives the span of the ids to
** come, which decides between the array and the hash.  An error of SQLite
** goes to vt's message as "fn: ..."; SQLITE_NOMEM. */
int idmap_init(IdMap *m, size_t esz, sqlite3 *db, const char *span_sql, sqlite3_vtab *vt,
               const char *fn);

/* every buffer freed; the map zero again */
void idmap_free(IdMap *m);

/* the id's entry when new or hashed; NULL: no memory */
void *idmap_add(IdMap *m, sqlite3_int64 id);

/* The id's entry, made zero on first sight; NULL: no memory. */
static inline void *idmap_get(IdMap *m, sqlite3_int64 id) {
  if (m->dense && id >= m->dmin && (sqlite3_uint64)(id - m->dmin) < m->nslot) {
    uint32_t s = m->slot[id - m->dmin];
    if (s) return m->ent + (size_t)(s - 1) * m->esz;
  }
  return idmap_add(m, id);
}

/* The id's entry, or NULL when it has none (nothing is added). */
void *idmap_find(const IdMap *m, sqlite3_int64 id);

/* m->order: the n entries' indexes in id order; SQLITE_NOMEM */
int idmap_sort(IdMap *m);

/* entry i (an index of m->order) */
static inline void *idmap_at(const IdMap *m, size_t i) {
  return m->ent + i * m->esz;
}

#endif
