/*
** payrecord.c -- payment_record(), every customer's sales and payment
** record on a day: what is overdue, what is long owed, how many invoices
** are open past a grace period and what was paid late, summed in C: the
** figures the pareto report (sql/reports/pareto.sql) flags its best and
** worst customers by.
**
**   SELECT * FROM payment_record('2026-06-30', '2025-06-30', 30, 120);
**
** Columns: customer_id, sales, overdue, long_by_date, long_by_due,
** late_open, paid_late; hidden as_of, since, grace, overdue_days.  One row
** per customer with any invoice (of any date), in customer_id order.  An
** invoice dated on or before as_of is open by its amount less its payments
** dated on or before as_of (invoices dated later are not open).
**   sales         invoiced: invoices dated after since, up to as_of (since
**                 NULL: every invoice up to as_of)
**   overdue       open (more than 0) on invoices past due on as_of
**   long_by_date  open (more than 0) on invoices more than overdue_days old
**                 on as_of, counted from the invoice date
**   long_by_due   the same counted from the due date
**   late_open     how many invoices are open by more than half a cent
**                 (0.005) and more than grace days past due
**   paid_late     paid after since, up to as_of, more than grace days after
**                 the due date (any invoice)
** Each is NULL where nothing adds to it (as SQL's sum()).  Sums run in
** invoice order (customer_id, id), each invoice's payments in payment order
** (invoice_id, id) and paid_late per invoice first: the same additions, in
** the same order, as
**   WITH p AS (SELECT pm.invoice_id, sum(pm.amount) AS paid,
**                     sum(CASE WHEN <late> THEN pm.amount END) AS paid_late
**                FROM payment pm JOIN invoice i ON i.id = pm.invoice_id
**               WHERE pm.date <= :as_of GROUP BY pm.invoice_id)
**   SELECT i.customer_id, sum(CASE WHEN ... THEN open END), ..., sum(p.paid_late)
**     FROM invoice i LEFT JOIN p ON p.invoice_id = i.id GROUP BY i.customer_id
** (tests/sql/payment_record_gen.test compares the two).
**
** Why C: in SQL that is a pass over the payments that looks up each one's
** invoice, then a million invoices through five CASE sums: about 1.3
** seconds; here payment and invoice are read once each through their
** indexes, 16 bytes a payment held.
**
** Arguments: as_of and since are dates (ext/dates.h: 'YYYY-MM-DD' or a
** Julian day number), grace a number >= 0, overdue_days any number.  NULL
** as_of, grace or overdue_days gives no rows; NULL since is no start.
** Errors: "payment_record: as_of must be a date 'YYYY-MM-DD' or a Julian day
** number, got ..." (likewise since), "payment_record: grace must be
** non-negative, got -1" (a number, a finite number; likewise overdue_days,
** which may be negative), a call without all four, and an invoice or
** payment date that is not a date 'YYYY-MM-DD' (the schema's CHECKs keep
** them so).
*/
#include "args.h"
#include "dates.h"
#include "registry.h"
#include "sqlite_api.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef sqlite3_int64 pr_i64;

enum {
  PR_COL_CUSTOMER,
  PR_COL_SALES,
  PR_COL_OVERDUE,
  PR_COL_LONG_DATE,
  PR_COL_LONG_DUE,
  PR_COL_LATE_OPEN,
  PR_COL_PAID_LATE,
  PR_COL_AS_OF,
  PR_COL_SINCE,
  PR_COL_GRACE,
  PR_COL_OVERDUE_DAYS
};

enum { PR_SALES, PR_OVERDUE, PR_LONG_DATE, PR_LONG_DUE, PR_PAID_LATE, PR_NSUM };

/* one customer's sums; has: bit k set once sum k had anything added */
typedef struct PrRow {
  pr_i64 customer;
  double sum[PR_NSUM];
  pr_i64 late_open;
  unsigned has;
} PrRow;

/* a payment dated on or before as_of */
typedef struct PrPay {
  pr_i64 day;
  double amount;
} PrPay;

/* an invoice's payments: pay[first .. first + n - 1] */
typedef struct PrInv {
  pr_i64 invoice;
  size_t first, n;
} PrInv;

typedef struct PrVtab {
  sqlite3_vtab base;
  sqlite3 *db;
} PrVtab;

typedef struct PrCursor {
  sqlite3_vtab_cursor base;
  PrPay *pay;
  size_t npay, cappay;
  PrInv *inv;
  size_t ninv, capinv;
  PrRow *row;
  size_t nrow, caprow;
  size_t i; /* current row */
} PrCursor;

static int prConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **pp, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(customer_id INTEGER, sales REAL, overdue REAL,"
                                    " long_by_date REAL, long_by_due REAL, late_open INTEGER, paid_late REAL,"
                                    " as_of HIDDEN, since HIDDEN, grace HIDDEN, overdue_days HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  /* Innocuous: it reads only invoice and payment with fixed queries and
  ** bound values. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  PrVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  *pp = &t->base;
  return SQLITE_OK;
}

static int prDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static void pr_free_payments(PrCursor *c) {
  sqlite3_free(c->pay);
  sqlite3_free(c->inv);
  c->pay = 0;
  c->inv = 0;
  c->npay = c->cappay = c->ninv = c->capinv = 0;
}

static void pr_reset(PrCursor *c) {
  pr_free_payments(c);
  sqlite3_free(c->row);
  memset((char *)c + sizeof(c->base), 0, sizeof(*c) - sizeof(c->base));
}

static int prOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  (void)v;
  PrCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static int prClose(sqlite3_vtab_cursor *cur) {
  pr_reset((PrCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* all four arguments are required (=); rows come in customer_id order */
static int prBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  (void)v;
  int at[4] = {-1, -1, -1, -1}, unusable = 0;
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < PR_COL_AS_OF || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int h = k->iColumn - PR_COL_AS_OF;
    if (!k->usable) unusable |= 1 << h;
    else if (at[h] < 0) at[h] = i;
  }
  for (int h = 0; h < 4; h++)
    if ((unusable & (1 << h)) && at[h] < 0) return SQLITE_CONSTRAINT;
  /* A plan without all four (SQLite tries some, e.g. for an OR in the
  ** WHERE clause) costs too much to be chosen; if it is the only one, the
  ** call lacks an argument and xFilter says so. */
  int n = 0;
  for (int h = 0; h < 4; h++) {
    if (at[h] < 0) continue;
    ix->aConstraintUsage[at[h]].argvIndex = ++n;
    ix->aConstraintUsage[at[h]].omit = 1;
  }
  ix->idxNum = n == 4;
  if (n < 4) {
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
  }
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == PR_COL_CUSTOMER && !ix->aOrderBy[0].desc)
    ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

static int pr_error(PrCursor *c, char *msg) {
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* "payment_record: NAME must be WHAT, got VALUE", the wording of args.h */
static int pr_arg_error(PrCursor *c, const char *name, sqlite3_value *v, const char *what) {
  char *repr = value_repr(v);
  int rc = pr_error(c, sqlite3_mprintf("payment_record: %s must be %s, got %s", name, what, repr ? repr : "?"));
  sqlite3_free(repr);
  return rc;
}

static int pr_check_date(PrCursor *c, sqlite3_value *v, const char *name, int *has, pr_i64 *day) {
  int r = date_from_value(v, day);
  *has = r == 1;
  if (r < 0) return pr_arg_error(c, name, v, DATE_WHAT);
  return SQLITE_OK;
}

/* a finite number read as arg_number() reads it, >= 0 when nonneg; *has =
** 0 for NULL */
static int pr_check_number(PrCursor *c, sqlite3_value *v, const char *name, int nonneg, int *has,
                           double *out) {
  *has = 0;
  switch (sqlite3_value_type(v)) {
  case SQLITE_NULL: return SQLITE_OK;
  case SQLITE_INTEGER: *out = (double)sqlite3_value_int64(v); break;
  case SQLITE_FLOAT:
    *out = sqlite3_value_double(v);
    if (!isfinite(*out)) return pr_arg_error(c, name, v, "a finite number");
    break;
  case SQLITE_TEXT:
    if (value_text_number(v, out)) break;
    return pr_arg_error(c, name, v, "a number");
  default: return pr_arg_error(c, name, v, "a number");
  }
  if (nonneg && *out < 0) return pr_arg_error(c, name, v, "non-negative");
  *has = 1;
  return SQLITE_OK;
}

static int pr_sql_error(PrCursor *c, sqlite3 *db) {
  return pr_error(c, sqlite3_mprintf("payment_record: %s", sqlite3_errmsg(db)));
}

/* The payments up to as_of, in (invoice_id, id) order off payment_invoice,
** grouped by invoice. */
static int pr_load_payments(PrCursor *c, sqlite3 *db, const char *as_of_iso) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT invoice_id, date, amount FROM payment WHERE date <= ?1"
                              " ORDER BY invoice_id, id",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return pr_sql_error(c, db);
  sqlite3_bind_text(st, 1, as_of_iso, 10, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    pr_i64 inv = sqlite3_column_int64(st, 0), day;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1), &day)) {
      sqlite3_finalize(st);
      return pr_error(c, sqlite3_mprintf("payment_record: a payment of invoice %lld has no date YYYY-MM-DD", inv));
    }
    if (c->npay == c->cappay) {
      size_t cap = c->cappay ? 2 * c->cappay : 4096;
      PrPay *p = sqlite3_realloc64(c->pay, cap * sizeof(*p));
      if (!p) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      c->pay = p;
      c->cappay = cap;
    }
    if (c->ninv == 0 || c->inv[c->ninv - 1].invoice != inv) {
      if (c->ninv == c->capinv) {
        size_t cap = c->capinv ? 2 * c->capinv : 4096;
        PrInv *p = sqlite3_realloc64(c->inv, cap * sizeof(*p));
        if (!p) {
          sqlite3_finalize(st);
          return SQLITE_NOMEM;
        }
        c->inv = p;
        c->capinv = cap;
      }
      c->inv[c->ninv].invoice = inv;
      c->inv[c->ninv].first = c->npay;
      c->inv[c->ninv].n = 0;
      c->ninv++;
    }
    c->pay[c->npay].day = day;
    c->pay[c->npay].amount = sqlite3_column_double(st, 2);
    c->npay++;
    c->inv[c->ninv - 1].n++;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return pr_sql_error(c, db);
  return SQLITE_OK;
}

/* an invoice's payments, or NULL: binary search (inv is in invoice order) */
static const PrInv *pr_payments_of(const PrCursor *c, pr_i64 inv) {
  size_t lo = 0, hi = c->ninv;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->inv[mid].invoice < inv) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->ninv && c->inv[lo].invoice == inv ? &c->inv[lo] : 0;
}

static void pr_add(PrRow *r, int k, double v) {
  r->sum[k] += v;
  r->has |= 1u << k;
}

static int prFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                    sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  PrCursor *c = (PrCursor *)cur;
  sqlite3 *db = ((PrVtab *)cur->pVtab)->db;
  pr_reset(c);
  if (!idxNum)
    return pr_error(c, sqlite3_mprintf(
                           "payment_record: needs its arguments: payment_record(as_of, since, grace, overdue_days)"));
  int has_as_of, has_since, has_grace, has_days;
  pr_i64 as_of = 0, since = 0;
  double grace = 0, days = 0;
  /* every argument is checked, so a bad one is reported even when another
  ** is NULL */
  int rc = pr_check_date(c, argv[0], "as_of", &has_as_of, &as_of);
  if (rc == SQLITE_OK) rc = pr_check_date(c, argv[1], "since", &has_since, &since);
  if (rc == SQLITE_OK) rc = pr_check_number(c, argv[2], "grace", 1, &has_grace, &grace);
  if (rc == SQLITE_OK) rc = pr_check_number(c, argv[3], "overdue_days", 0, &has_days, &days);
  if (rc != SQLITE_OK || !has_as_of || !has_grace || !has_days) return rc;
  char as_of_iso[11];
  date_format(as_of, as_of_iso);
  if ((rc = pr_load_payments(c, db, as_of_iso)) != SQLITE_OK) return rc;

  /* every invoice in (customer_id, id) order, off invoice_customer */
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db,
                          "SELECT customer_id, id, date, due_date, amount FROM invoice"
                          " ORDER BY customer_id, id",
                          -1, &st, 0);
  if (rc != SQLITE_OK) return pr_sql_error(c, db);
  PrRow *r = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    pr_i64 cust = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
    pr_i64 date, due;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2), &date) ||
        !date_from_iso((const char *)sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3), &due)) {
      rc = pr_error(c, sqlite3_mprintf("payment_record: invoice %lld has no date YYYY-MM-DD", id));
      goto done;
    }
    double amount = sqlite3_column_double(st, 4);
    if (!r || r->customer != cust) {
      if (c->nrow == c->caprow) {
        size_t cap = c->caprow ? 2 * c->caprow : 1024;
        PrRow *a = sqlite3_realloc64(c->row, cap * sizeof(*a));
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
    /* the invoice's payments: paid by as_of, and paid late (in the window,
    ** more than grace days after the due date), each summed in order */
    const PrInv *pi = pr_payments_of(c, id);
    double paid = 0, late = 0;
    int any_late = 0;
    if (pi) {
      for (size_t k = pi->first; k < pi->first + pi->n; k++) {
        const PrPay *p = &c->pay[k];
        paid += p->amount;
        if ((!has_since || p->day > since) && (double)(p->day - due) > grace) {
          late += p->amount;
          any_late = 1;
        }
      }
    }
    if (date <= as_of && (!has_since || date > since)) pr_add(r, PR_SALES, amount);
    if (date <= as_of) {
      double open = amount - paid;
      if (open > 0) {
        if (due < as_of) pr_add(r, PR_OVERDUE, open);
        if ((double)(as_of - date) > days) pr_add(r, PR_LONG_DATE, open);
        if ((double)(as_of - due) > days) pr_add(r, PR_LONG_DUE, open);
      }
      if (open > 0.005 && (double)(as_of - due) > grace) r->late_open++;
    }
    if (any_late) pr_add(r, PR_PAID_LATE, late);
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else rc = pr_sql_error(c, db);
done:
  sqlite3_finalize(st);
  pr_free_payments(c);
  return rc;
}

static int prNext(sqlite3_vtab_cursor *cur) {
  ((PrCursor *)cur)->i++;
  return SQLITE_OK;
}

static int prEof(sqlite3_vtab_cursor *cur) {
  PrCursor *c = (PrCursor *)cur;
  return c->i >= c->nrow;
}

static int prColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  PrCursor *c = (PrCursor *)cur;
  const PrRow *r = &c->row[c->i];
  static const int sum_of[] = {-1, PR_SALES, PR_OVERDUE, PR_LONG_DATE, PR_LONG_DUE, -1, PR_PAID_LATE};
  if (col == PR_COL_CUSTOMER) {
    sqlite3_result_int64(ctx, r->customer);
  } else if (col == PR_COL_LATE_OPEN) {
    if (r->late_open) sqlite3_result_int64(ctx, r->late_open);
    else sqlite3_result_null(ctx);
  } else if (col < (int)(sizeof(sum_of) / sizeof(sum_of[0]))) {
    int k = sum_of[col];
    if (r->has & (1u << k)) sqlite3_result_double(ctx, r->sum[k]);
    else sqlite3_result_null(ctx);
  }
  /* hidden arguments read back as NULL */
  return SQLITE_OK;
}

static int prRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((PrCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module pr_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = prConnect,
    .xBestIndex = prBestIndex,
    .xDisconnect = prDisconnect,
    .xOpen = prOpen,
    .xClose = prClose,
    .xFilter = prFilter,
    .xNext = prNext,
    .xEof = prEof,
    .xColumn = prColumn,
    .xRowid = prRowid,
};

int payrecord_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return sqlite3_create_module(db, "payment_record", &pr_module, 0);
}
