/*
** rxread.c -- reading a run of months of rx for a product's class: the
** part rx_usage() and rx_department() share, and rx_market() reads
** through (see rxread.h).
*/
#include "rxread.h"

#include "registry.h"
#include "tvf.h"

#include <string.h>

/* rx_read_row(feed, doctor_id, rx_count [, potential]): the reader's
** statements hand every row to the caller through this function, inside
** one sqlite3_step() a product and month (a row stepped out to C one at a
** time cost about 0.25 us, three times SQLite's own read of it).  feed is
** a pointer bound by rx_read_months() (sqlite3_bind_pointer), which SQL
** cannot make: called from SQL, it is an error. */
#define RX_FEED_TYPE "territory_rx_feed"

typedef struct RxFeed {
  RxRowFn row;
  void *ctx;
  const RxRole *role;
  int rc; /* the callback's error */
} RxFeed;

static void rx_read_row_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 3) {
    sqlite3_result_error(ctx, "rx_read_row: only rx_usage(), rx_department() and rx_market() call it", -1);
    return;
  }
  /* The feed, checked once a run of the statement: the pointer is a bound
  ** parameter, a constant, so SQLite keeps the auxiliary data from row to
  ** row (sqlite3_value_pointer() compares the type with strcmp() a row). */
  RxFeed *f = sqlite3_get_auxdata(ctx, 0);
  if (!f) {
    f = sqlite3_value_pointer(argv[0], RX_FEED_TYPE);
    if (!f) {
      sqlite3_result_error(ctx, "rx_read_row: only rx_usage(), rx_department() and rx_market() call it", -1);
      return;
    }
    sqlite3_set_auxdata(ctx, 0, f, 0);
  }
  int e = f->row(f->ctx, f->role, sqlite3_value_int64(argv[1]), sqlite3_value_int64(argv[2]),
                 argc > 3 ? argv[3] : 0);
  if (e != SQLITE_OK) {
    f->rc = e;
    if (e == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_error_code(ctx, e);
  }
}

/* not innocuous, direct only: query text, views and triggers cannot call it */
const FunctionSpec rxread_functions[] = {
    {"rx_read_row", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, rx_read_row_fn, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0}};

int rx_check_month(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *arg) {
  if (sqlite3_value_type(v) == SQLITE_TEXT) {
    const unsigned char *s = sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v), ok = n == 7 && s[4] == '-';
    for (int i = 0; ok && i < 7; i++)
      if (i != 4 && (s[i] < '0' || s[i] > '9')) ok = 0;
    if (ok && ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2'))) return SQLITE_OK;
  }
  if (sqlite3_value_type(v) == SQLITE_NULL)
    return tvf_error(vt, sqlite3_mprintf("%s: %s must be a month YYYY-MM, got NULL", fn, arg));
  if (sqlite3_value_type(v) == SQLITE_BLOB)
    return tvf_error(vt, sqlite3_mprintf("%s: %s must be a month YYYY-MM, got a blob", fn, arg));
  return tvf_error(vt, sqlite3_mprintf("%s: %s must be a month YYYY-MM, got '%q'", fn, arg,
                                       (const char *)sqlite3_value_text(v)));
}

int rx_check_product(sqlite3_vtab *vt, const char *fn, sqlite3 *db, sqlite3_value *v, int *has,
                     sqlite3_int64 *id) {
  *has = 0;
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return SQLITE_OK;
  if (t == SQLITE_BLOB)
    return tvf_error(vt, sqlite3_mprintf("%s: product_id must be a product id, got a blob", fn));
  /* text with a NUL inside is not a number (SQLite 3.40 says so, newer
  ** ones read the digits before the NUL): refused on every version */
  int n = t == SQLITE_TEXT && memchr(sqlite3_value_text(v), 0, (size_t)sqlite3_value_bytes(v))
              ? SQLITE_TEXT
              : sqlite3_value_numeric_type(v);
  if (n == SQLITE_INTEGER) {
    *id = sqlite3_value_int64(v);
  } else {
    double d = n == SQLITE_FLOAT ? sqlite3_value_double(v) : 0.5;
    if (!(d >= -9.2e18 && d <= 9.2e18 && d == (double)(sqlite3_int64)d))
      return tvf_error(vt, sqlite3_mprintf("%s: product_id must be a product id, got '%q'", fn,
                                           (const char *)sqlite3_value_text(v)));
    *id = (sqlite3_int64)d;
  }
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM product WHERE id = ?1", -1, &st, 0);
  if (rc != SQLITE_OK) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  sqlite3_bind_int64(st, 1, *id);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) {
    *has = 1;
    return SQLITE_OK;
  }
  if (rc != SQLITE_DONE) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  return tvf_error(vt, sqlite3_mprintf("%s: no product %lld", fn, *id));
}

int rx_load_roles(sqlite3_vtab *vt, const char *fn, sqlite3 *db, int has_product,
                  sqlite3_int64 product, RxRole **role, int *nrole) {
  *role = 0;
  *nrole = 0;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(
      db,
      "SELECT q.id, q.class_id IS NOT NULL,"
      "       max(CASE WHEN ?1 IS NULL THEN q.ours = 1 ELSE q.id = ?1 END), q.ours = 0"
      "  FROM product q JOIN product p"
      "    ON coalesce(q.class_id, -q.id) = coalesce(p.class_id, -p.id)"
      " WHERE CASE WHEN ?1 IS NULL THEN p.ours = 1 ELSE p.id = ?1 END"
      " GROUP BY q.id",
      -1, &st, 0);
  if (rc != SQLITE_OK) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  if (has_product) sqlite3_bind_int64(st, 1, product);
  int cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*nrole == cap) {
      cap = cap ? 2 * cap : 16;
      RxRole *r = sqlite3_realloc64(*role, (sqlite3_uint64)cap * sizeof(*r));
      if (!r) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      *role = r;
    }
    RxRole *r = &(*role)[(*nrole)++];
    r->id = sqlite3_column_int64(st, 0);
    r->add = (sqlite3_column_int(st, 1) ? RX_ADD_CLASS : RX_ADD_TYPED) |
             (sqlite3_column_int(st, 2) ? RX_ADD_USAGE : 0) |
             (sqlite3_column_int(st, 3) ? RX_ADD_COMP : 0);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  return SQLITE_OK;
}

int rx_next_month(const char *m, char *next) {
  int y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
  int mo = (m[5] - '0') * 10 + (m[6] - '0') + 1;
  if (mo > 12) {
    mo = 1;
    y++;
  }
  if (y > 9999) return 0;
  next[0] = (char)('0' + y / 1000);
  next[1] = (char)('0' + y / 100 % 10);
  next[2] = (char)('0' + y / 10 % 10);
  next[3] = (char)('0' + y % 10);
  next[4] = '-';
  next[5] = (char)('0' + mo / 10);
  next[6] = (char)('0' + mo % 10);
  next[7] = 0;
  return 1;
}

int rx_read_months(sqlite3_vtab *vt, const char *fn, sqlite3 *db, sqlite3_value *first,
                   sqlite3_value *last, const RxRole *role, int nrole, RxRowFn row,
                   RxMonthFn month_done, void *ctx) {
  /* rx_period (period, product_id, doctor_id, rx_count, potential) read
  ** one month and product at a time: seeks to exactly the rows that count,
  ** and the months are found by seeking too (no scan for empty ones) */
  /* st reads a classless product's rows (the typed total too), cst a
  ** classed one's (doctor and count only: one column less a row); each
  ** hands its rows to the callback through rx_read_row() in one step: a
  ** WHERE term, which is NULL, so no row comes out (a count() around it
  ** cost an aggregate step a row, about 5% of the read) */
  sqlite3_stmt *mon = 0, *st = 0, *cst = 0;
  RxFeed feed = {row, ctx, 0, SQLITE_OK};
  int rc = sqlite3_prepare_v2(
      db, "SELECT min(period) FROM rx WHERE period >= ?1 AND period <= ?2", -1, &mon, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db,
                            "SELECT 1 FROM rx WHERE period = ?1 AND product_id = ?2"
                            " AND rx_read_row(?3, doctor_id, rx_count, potential) IS NOT NULL",
                            -1, &st, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db,
                            "SELECT 1 FROM rx WHERE period = ?1 AND product_id = ?2"
                            " AND rx_read_row(?3, doctor_id, rx_count) IS NOT NULL",
                            -1, &cst, 0);
  if (rc != SQLITE_OK) {
    rc = tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
    goto done;
  }
  sqlite3_bind_pointer(st, 3, &feed, RX_FEED_TYPE, 0);
  sqlite3_bind_pointer(cst, 3, &feed, RX_FEED_TYPE, 0);
  char month[8] = {0}; /* the month read last */
  sqlite3_bind_value(mon, 1, first);
  sqlite3_bind_value(mon, 2, last);
  for (;;) {
    /* the next month's first row is sought from the month after the one
    ** read (a lower bound "period > ?" would be checked row by row from
    ** first_period on, through the months already read) */
    if (month[0]) {
      char next[8];
      if (!rx_next_month(month, next)) {
        rc = SQLITE_DONE;
        break;
      }
      sqlite3_bind_text(mon, 1, next, 7, SQLITE_TRANSIENT);
    }
    rc = sqlite3_step(mon);
    if (rc != SQLITE_ROW) break;
    if (sqlite3_column_type(mon, 0) != SQLITE_TEXT || sqlite3_column_bytes(mon, 0) != 7) {
      rc = SQLITE_DONE; /* no month left (rx's CHECK keeps periods YYYY-MM) */
      break;
    }
    memcpy(month, sqlite3_column_text(mon, 0), 7);
    sqlite3_reset(mon);
    for (int p = 0; p < nrole; p++) {
      const RxRole *r = &role[p];
      sqlite3_stmt *q = (r->add & RX_ADD_CLASS) ? cst : st;
      sqlite3_bind_text(q, 1, month, 7, SQLITE_STATIC);
      sqlite3_bind_int64(q, 2, r->id);
      feed.role = r;
      while ((rc = sqlite3_step(q)) == SQLITE_ROW) {}
      sqlite3_reset(q);
      if (feed.rc != SQLITE_OK) {
        rc = feed.rc;
        goto done;
      }
      if (rc != SQLITE_DONE) break;
    }
    if (rc != SQLITE_DONE) break;
    if (month_done) {
      int e = month_done(ctx, month);
      if (e != SQLITE_OK) {
        rc = e;
        goto done;
      }
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else
    rc = tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
done:
  sqlite3_finalize(mon);
  sqlite3_finalize(st);
  sqlite3_finalize(cst);
  return rc;
}

int rx_feed_query(sqlite3_vtab *vt, const char *fn, sqlite3 *db, const char *sql, RxRowFn row,
                  void *ctx) {
  RxFeed feed = {row, ctx, 0, SQLITE_OK};
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if (rc != SQLITE_OK) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  sqlite3_bind_pointer(st, 1, &feed, RX_FEED_TYPE, 0);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
  sqlite3_finalize(st);
  if (feed.rc != SQLITE_OK) return feed.rc;
  if (rc != SQLITE_DONE) return tvf_error(vt, sqlite3_mprintf("%s: %s", fn, sqlite3_errmsg(db)));
  return SQLITE_OK;
}
