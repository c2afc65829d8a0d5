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
** Arguments: as_of and since are dates (ext/dates.h: 'YYYY-MM-DD' or a
** Julian day number), overdue_days a number >= 0.  NULL as_of or
** overdue_days gives no rows; NULL since is no start (above).
** Errors: "receivables: as_of must be a date 'YYYY-MM-DD' or a Julian day
** number, got '2026-02-30'" (likewise since), "receivables: overdue_days
** must be non-negative, got -1" (a number, a finite number), a call
** without all three, and an invoice or payment date that is not a date
** 'YYYY-MM-DD' (the schema's CHECKs keep them so).
*/
#include "args.h"
#include "dates.h"
#include "registry.h"
#include "sqlite_api.h"

#include <math.h>
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
  (void)v;
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
  /* A plan without all three (SQLite tries some, e.g. for an OR in the
  ** WHERE clause) costs too much to be chosen; if it is the only one, the
  ** call lacks an argument and xFilter says so. */
  int n = 0;
  for (int h = 0; h < 3; h++) {
    if (at[h] < 0) continue;
    ix->aConstraintUsage[at[h]].argvIndex = ++n;
    ix->aConstraintUsage[at[h]].omit = 1;
  }
  ix->idxNum = n == 3;
  if (n < 3) {
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
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

/* "receivables: NAME must be WHAT, got VALUE", the wording of args.h */
static int rv_arg_error(RvCursor *c, const char *name, sqlite3_value *v, const char *what) {
  char *repr = value_repr(v);
  int rc = rv_error(c, sqlite3_mprintf("receivables: %s must be %s, got %s", name, what, repr ? repr : "?"));
  sqlite3_free(repr);
  return rc;
}

/* A date argument (ext/dates.h: 'YYYY-MM-DD' or a Julian day number) into
** *day, *has = 0 for NULL. */
static int rv_check_date(RvCursor *c, sqlite3_value *v, const char *name, int *has, sqlite3_int64 *day) {
  int r = date_from_value(v, day);
  *has = r == 1;
  if (r < 0) return rv_arg_error(c, name, v, DATE_WHAT);
  return SQLITE_OK;
}

/* overdue_days: a finite number >= 0, read as arg_nonneg() reads it;
** *has = 0 for NULL. */
static int rv_check_days(RvCursor *c, sqlite3_value *v, int *has, double *days) {
  *has = 0;
  switch (sqlite3_value_type(v)) {
  case SQLITE_NULL: return SQLITE_OK;
  case SQLITE_INTEGER: *days = (double)sqlite3_value_int64(v); break;
  case SQLITE_FLOAT:
    *days = sqlite3_value_double(v);
    if (!isfinite(*days)) return rv_arg_error(c, "overdue_days", v, "a finite number");
    break;
  case SQLITE_TEXT:
    if (value_text_number(v, days)) break;
    return rv_arg_error(c, "overdue_days", v, "a number");
  default: return rv_arg_error(c, "overdue_days", v, "a number");
  }
  if (*days < 0) return rv_arg_error(c, "overdue_days", v, "non-negative");
  *has = 1;
  return SQLITE_OK;
}

static int rv_sql_error(RvCursor *c, sqlite3 *db) {
  return rv_error(c, sqlite3_mprintf("receivables: %s", sqlite3_errmsg(db)));
}

/* Payments per invoice, in invoice order: paid up to as_of, and up to since
** (has_since).  The index payment_invoice hands them over in (invoice_id,
** id) order, so each invoice's sums add in payment order. */
static int rv_load_paid(RvCursor *c, sqlite3 *db, const char *as_of_iso, const char *since_iso,
                        rv_i64 as_of, rv_i64 since, int has_since) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT invoice_id, date, amount FROM payment WHERE date <= ?1 OR date <= ?2"
                              " ORDER BY invoice_id, id",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return rv_sql_error(c, db);
  sqlite3_bind_text(st, 1, as_of_iso, 10, SQLITE_STATIC);
  if (has_since) sqlite3_bind_text(st, 2, since_iso, 10, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rv_i64 inv = sqlite3_column_int64(st, 0), day;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1), &day)) {
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
  (void)idxStr;
  (void)argc;
  RvCursor *c = (RvCursor *)cur;
  sqlite3 *db = ((RvVtab *)cur->pVtab)->db;
  rv_reset(c);
  if (!idxNum)
    return rv_error(c, sqlite3_mprintf("receivables: needs the days: receivables(as_of, since, overdue_days)"));
  int has_as_of, has_since, has_days;
  rv_i64 as_of = 0, since = 0;
  double bad_days = 0;
  /* every argument is checked, so a bad one is reported even when another
  ** is NULL; a NULL as_of or overdue_days gives no rows */
  int rc = rv_check_date(c, argv[0], "as_of", &has_as_of, &as_of);
  if (rc == SQLITE_OK) rc = rv_check_date(c, argv[1], "since", &has_since, &since);
  if (rc == SQLITE_OK) rc = rv_check_days(c, argv[2], &has_days, &bad_days);
  if (rc != SQLITE_OK || !has_as_of || !has_days) return rc;
  /* invoice and payment dates are text 'YYYY-MM-DD': compared as such */
  char as_of_iso[11], since_iso[11] = "";
  date_format(as_of, as_of_iso);
  if (has_since) date_format(since, since_iso);
  rc = rv_load_paid(c, db, as_of_iso, since_iso, as_of, since, has_since);
  if (rc != SQLITE_OK) return rc;

  /* invoices up to as_of in (customer_id, id) order, off invoice_customer */
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db,
                          "SELECT i.customer_id, i.id, i.date, i.due_date, i.amount, c.terms_days"
                          "  FROM invoice i JOIN customer c ON c.id = i.customer_id"
                          " WHERE i.date <= ?1 ORDER BY i.customer_id, i.id",
                          -1, &st, 0);
  if (rc != SQLITE_OK) return rv_sql_error(c, db);
  sqlite3_bind_text(st, 1, as_of_iso, 10, SQLITE_STATIC);
  RvRow *r = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rv_i64 cust = sqlite3_column_int64(st, 0), inv = sqlite3_column_int64(st, 1);
    rv_i64 date, due;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2), &date) ||
        !date_from_iso((const char *)sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3), &due)) {
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
