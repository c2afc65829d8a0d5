/*
** receivables.c -- receivables(), every customer's invoiced sales and open
** receivables on a day, by how long they are past due, summed in C: the
** figures of the credit report (sql/reports/credit.sql).
**
**   SELECT * FROM receivables('2026-06-30', '2025-06-30', 120);
**
** Columns: customer_id, sales, outstanding, current, d1_30, d31_60, d61_90,
** d91_120, over_120, over_terms, bad_debt, bad_debt_before; hidden as_of,
** since, overdue_days.  One row per customer with an invoice dated on or
** before as_of, in customer_id order.  An invoice's open amount on a day is
** its amount less its payments dated on or before that day; it counts as
** open when that is at least half a cent (0.005).
**   sales            invoiced: invoices dated after since, up to as_of
**                    (since NULL: every invoice up to as_of)
**   outstanding      open on as_of
**   current .. over_120  outstanding by days past due on as_of (as_of less
**                    the due date): at most 0, 1-30, 31-60, 61-90, 91-120,
**                    more than 120 (aging_bucket's buckets)
**   over_terms       open on invoices more than the customer's terms_days
**                    old (as_of less the invoice date); past due where the
**                    customer has no terms
**   bad_debt         open more than overdue_days past due
**   bad_debt_before  the same on since: invoices dated on or before since,
**                    open on since (payments up to since), more than
**                    overdue_days past due then (0 when since is NULL)
** Sums run in invoice order (customer_id, id), each invoice's payments in
** payment order (invoice_id, id): the same additions, in the same order, as
**   SELECT i.customer_id, sum(CASE WHEN ... THEN i.amount - coalesce(p.paid, 0) ELSE 0 END), ...
**     FROM invoice i JOIN customer c ON c.id = i.customer_id
**     LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM payment
**                 WHERE date <= :as_of GROUP BY invoice_id) p ON p.invoice_id = i.id
**    WHERE i.date <= :as_of GROUP BY i.customer_id
** (tests/sql/receivables_gen.test compares the two).
**
** Why C: that GROUP BY sends a million invoices through a dozen CASE sums
** in SQL, about 1.6 seconds with the payment sums; here payment and invoice
** are each read once through their indexes and summed per customer, 24
** bytes a paid invoice held.
**
** Errors: as_of not a date YYYY-MM-DD; since neither NULL nor such a date;
** overdue_days not a number >= 0; an invoice or payment date that is not a
** date (the schema's CHECKs keep them so).
*/
#include "registry.h"
#include "sqlite_api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 rv_i64;

enum {
  RV_COL_CUSTOMER,
  RV_COL_SALES,
  RV_COL_OUTSTANDING,
  RV_COL_B0, /* current */
  RV_COL_B1,
  RV_COL_B2,
  RV_COL_B3,
  RV_COL_B4,
  RV_COL_B5, /* over_120 */
  RV_COL_OVER_TERMS,
  RV_COL_BAD,
  RV_COL_BAD_BEFORE,
  RV_COL_AS_OF,
  RV_COL_SINCE,
  RV_COL_OVERDUE_DAYS
};

#define RV_NSUM 11 /* sales .. bad_debt_before */

/* one customer's sums, in column order from sales */
typedef struct RvRow {
  rv_i64 customer;
  double sum[RV_NSUM];
} RvRow;

/* one invoice's payments up to as_of and up to since */
typedef struct RvPaid {
  rv_i64 invoice;
  double paid, paid_before;
} RvPaid;

typedef struct RvVtab {
  sqlite3_vtab base;
  sqlite3 *db;
} RvVtab;

typedef struct RvCursor {
  sqlite3_vtab_cursor base;
  RvPaid *paid;
  size_t npaid, cappaid;
  RvRow *row;
  size_t nrow, caprow;
  size_t i; /* current row */
} RvCursor;

static int rvConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(customer_id INTEGER, sales REAL, outstanding REAL,"
                                    " current REAL, d1_30 REAL, d31_60 REAL, d61_90 REAL, d91_120 REAL,"
                                    " over_120 REAL, over_terms REAL, bad_debt REAL, bad_debt_before REAL,"
                                    " as_of HIDDEN, since HIDDEN, overdue_days HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* Innocuous: it reads only invoice, payment and customer with fixed
  ** queries and bound values. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  RvVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  *pp = &t->base;
  return SQLITE_OK;
}

static int rvDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static void rv_reset(RvCursor *c) {
  sqlite3_free(c->paid);
  sqlite3_free(c->row);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int rvOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  RvCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static int rvClose(sqlite3_vtab_cursor *cur) {
  rv_reset((RvCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* as_of, since and overdue_days are all required (=); rows come in
** customer_id order. */
static int rvBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  int at[3] = {-1, -1, -1}, unusable = 0;
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < RV_COL_AS_OF || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int h = k->iColumn - RV_COL_AS_OF;
    if (!k->usable) unusable |= 1 << h;
    else if (at[h] < 0) at[h] = i;
  }
  for (int h = 0; h < 3; h++)
    if ((unusable & (1 << h)) && at[h] < 0) return SQLITE_CONSTRAINT;
  if (at[0] < 0 || at[1] < 0 || at[2] < 0) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("receivables: needs the days: receivables(as_of, since, overdue_days)");
    return SQLITE_ERROR;
  }
  for (int h = 0; h < 3; h++) {
    ix->aConstraintUsage[at[h]].argvIndex = h + 1;
    ix->aConstraintUsage[at[h]].omit = 1;
  }
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == RV_COL_CUSTOMER && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

static int rv_error(RvCursor *c, char *msg) {
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* Days since 1970-01-01 of a date 'YYYY-MM-DD' (a real calendar day, years
** 0000-9999), into *day; 0 if it is not one. */
static int rv_day(const unsigned char *s, int n, rv_i64 *day) {
  if (!s || n != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[m - 1] + (m == 2 && leap)) return 0;
  /* days from civil (proleptic Gregorian), H. Hinnant's algorithm */
  rv_i64 yy = y - (m <= 2);
  rv_i64 era = (yy >= 0 ? yy : yy - 399) / 400;
  rv_i64 yoe = yy - era * 400;
  rv_i64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  rv_i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *day = era * 146097 + doe - 719468;
  return 1;
}

/* A date argument: *day set and *has = 1, or NULL (*has = 0) where allowed. */
static int rv_check_day(RvCursor *c, sqlite3_value *v, const char *arg, int null_ok, int *has,
                        rv_i64 *day) {
  int t = sqlite3_value_type(v);
  *has = 0;
  if (t == SQLITE_NULL && null_ok) return SQLITE_OK;
  if (t == SQLITE_TEXT && rv_day(sqlite3_value_text(v), sqlite3_value_bytes(v), day)) {
    *has = 1;
    return SQLITE_OK;
  }
  const char *what = null_ok ? "a date YYYY-MM-DD or NULL" : "a date YYYY-MM-DD";
  if (t == SQLITE_NULL) return rv_error(c, sqlite3_mprintf("receivables: %s must be %s, got NULL", arg, what));
  if (t == SQLITE_BLOB) return rv_error(c, sqlite3_mprintf("receivables: %s must be %s, got a blob", arg, what));
  return rv_error(c, sqlite3_mprintf("receivables: %s must be %s, got '%q'", arg, what,
                                     (const char *)sqlite3_value_text(v)));
}

/* overdue_days: an integer or real >= 0 (text holding a number is not
** taken: the report reads its setting as a number first) */
static int rv_check_days(RvCursor *c, sqlite3_value *v, double *days) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if (d >= 0) {
      *days = d;
      return SQLITE_OK;
    }
  }
  if (t == SQLITE_NULL)
    return rv_error(c, sqlite3_mprintf("receivables: overdue_days must be a number >= 0, got NULL"));
  if (t == SQLITE_BLOB)
    return rv_error(c, sqlite3_mprintf("receivables: overdue_days must be a number >= 0, got a blob"));
  if (t == SQLITE_TEXT)
    return rv_error(c, sqlite3_mprintf("receivables: overdue_days must be a number >= 0, got '%q'",
                                       (const char *)sqlite3_value_text(v)));
  return rv_error(c, sqlite3_mprintf("receivables: overdue_days must be a number >= 0, got %s",
                                     (const char *)sqlite3_value_text(v)));
}

static int rv_sql_error(RvCursor *c, sqlite3 *db) {
  return rv_error(c, sqlite3_mprintf("receivables: %s", sqlite3_errmsg(db)));
}

/* Payments per invoice, in invoice order: paid up to as_of, and up to since
** (has_since).  The index payment_invoice hands them over in (invoice_id,
** id) order, so each invoice's sums add in payment order. */
static int rv_load_paid(RvCursor *c, sqlite3 *db, sqlite3_value *as_of_v, sqlite3_value *since_v,
                        rv_i64 as_of, rv_i64 since, int has_since) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT invoice_id, date, amount FROM payment WHERE date <= ?1 OR date <= ?2"
                              " ORDER BY invoice_id, id",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return rv_sql_error(c, db);
  sqlite3_bind_value(st, 1, as_of_v);
  if (has_since) sqlite3_bind_value(st, 2, since_v);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rv_i64 inv = sqlite3_column_int64(st, 0), day;
    if (!rv_day(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1), &day)) {
      sqlite3_finalize(st);
      return rv_error(c, sqlite3_mprintf("receivables: a payment of invoice %lld has no date YYYY-MM-DD", inv));
    }
    double amount = sqlite3_column_double(st, 2);
    if (c->npaid == 0 || c->paid[c->npaid - 1].invoice != inv) {
      if (c->npaid == c->cappaid) {
        size_t cap = c->cappaid ? 2 * c->cappaid : 4096;
        RvPaid *p = sqlite3_realloc64(c->paid, cap * sizeof(*p));
        if (!p) {
          sqlite3_finalize(st);
          return SQLITE_NOMEM;
        }
        c->paid = p;
        c->cappaid = cap;
      }
      RvPaid *p = &c->paid[c->npaid++];
      p->invoice = inv;
      p->paid = 0;
      p->paid_before = 0;
    }
    RvPaid *p = &c->paid[c->npaid - 1];
    if (day <= as_of) p->paid += amount;
    if (has_since && day <= since) p->paid_before += amount;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rv_sql_error(c, db);
  return SQLITE_OK;
}

/* the payments of an invoice, or NULL: binary search (paid is in invoice order) */
static const RvPaid *rv_paid_of(const RvCursor *c, rv_i64 inv) {
  size_t lo = 0, hi = c->npaid;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->paid[mid].invoice < inv) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->npaid && c->paid[lo].invoice == inv ? &c->paid[lo] : 0;
}

static int rvFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  RvCursor *c = (RvCursor *)cur;
  sqlite3 *db = ((RvVtab *)cur->pVtab)->db;
  rv_reset(c);
  int has_as_of, has_since;
  rv_i64 as_of = 0, since = 0;
  double bad_days = 0;
  int rc = rv_check_day(c, argv[0], "as_of", 0, &has_as_of, &as_of);
  if (rc == SQLITE_OK) rc = rv_check_day(c, argv[1], "since", 1, &has_since, &since);
  if (rc == SQLITE_OK) rc = rv_check_days(c, argv[2], &bad_days);
  if (rc == SQLITE_OK) rc = rv_load_paid(c, db, argv[0], argv[1], as_of, since, has_since);
  if (rc != SQLITE_OK) return rc;

  /* invoices up to as_of in (customer_id, id) order, off invoice_customer */
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db,
                          "SELECT i.customer_id, i.id, i.date, i.due_date, i.amount, c.terms_days"
                          "  FROM invoice i JOIN customer c ON c.id = i.customer_id"
                          " WHERE i.date <= ?1 ORDER BY i.customer_id, i.id",
                          -1, &st, 0);
  if (rc != SQLITE_OK) return rv_sql_error(c, db);
  sqlite3_bind_value(st, 1, argv[0]);
  RvRow *r = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rv_i64 cust = sqlite3_column_int64(st, 0), inv = sqlite3_column_int64(st, 1);
    rv_i64 date, due;
    if (!rv_day(sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2), &date) ||
        !rv_day(sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3), &due)) {
      rc = rv_error(c, sqlite3_mprintf("receivables: invoice %lld has no date YYYY-MM-DD", inv));
      goto done;
    }
    double amount = sqlite3_column_double(st, 4);
    if (!r || r->customer != cust) {
      if (c->nrow == c->caprow) {
        size_t cap = c->caprow ? 2 * c->caprow : 1024;
        RvRow *a = sqlite3_realloc64(c->row, cap * sizeof(*a));
        if (!a) {
          rc = SQLITE_NOMEM;
          goto done;
        }
        c->row = a;
        c->caprow = cap;
      }
      r = &c->row[c->nrow++];
      memset(r, 0, sizeof(*r));
      r->customer = cust;
    }
    double *s = r->sum;
    if (!has_since || date > since) s[0] += amount;
    const RvPaid *p = rv_paid_of(c, inv);
    double open = amount - (p ? p->paid : 0);
    if (open >= 0.005) {
      rv_i64 late = as_of - due; /* days past due */
      s[1] += open;
      s[late <= 0 ? 2 : late <= 30 ? 3 : late <= 60 ? 4 : late <= 90 ? 5 : late <= 120 ? 6 : 7] += open;
      int over = sqlite3_column_type(st, 5) == SQLITE_NULL
                     ? late > 0
                     : as_of - date > sqlite3_column_int64(st, 5);
      if (over) s[8] += open;
      if ((double)late > bad_days) s[9] += open;
    }
    if (has_since && date <= since) {
      double open_before = amount - (p ? p->paid_before : 0);
      if (open_before >= 0.005 && (double)(since - due) > bad_days) s[10] += open_before;
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else rc = rv_sql_error(c, db);
done:
  sqlite3_finalize(st);
  /* the payments are needed no more */
  sqlite3_free(c->paid);
  c->paid = 0;
  c->npaid = c->cappaid = 0;
  return rc;
}

static int rvNext(sqlite3_vtab_cursor *cur) {
  ((RvCursor *)cur)->i++;
  return SQLITE_OK;
}

static int rvEof(sqlite3_vtab_cursor *cur) {
  RvCursor *c = (RvCursor *)cur;
  return c->i >= c->nrow;
}

static int rvColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  RvCursor *c = (RvCursor *)cur;
  const RvRow *r = &c->row[c->i];
  if (col == RV_COL_CUSTOMER) sqlite3_result_int64(ctx, r->customer);
  else if (col >= RV_COL_SALES && col <= RV_COL_BAD_BEFORE) sqlite3_result_double(ctx, r->sum[col - RV_COL_SALES]);
  /* hidden arguments read back as NULL */
  return SQLITE_OK;
}

static int rvRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((RvCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module rv_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = rvConnect,
    .xBestIndex = rvBestIndex,
    .xDisconnect = rvDisconnect,
    .xOpen = rvOpen,
    .xClose = rvClose,
    .xFilter = rvFilter,
    .xNext = rvNext,
    .xEof = rvEof,
    .xColumn = rvColumn,
    .xRowid = rvRowid,
};

int receivables_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "receivables", &rv_module, 0);
}
