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
** seconds; here payment and invoice are read once each, straight through
** (the walk of ext/ledger.c).
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
#include "dates.h"
#include "ledger.h"
#include "registry.h"
#include "sqlite_api.h"

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

/* one customer's sums (a LedgerRow); has: bit k set once sum k had
** anything added */
typedef struct PrRow {
  pr_i64 customer;
  double sum[PR_NSUM];
  pr_i64 late_open;
  unsigned has;
} PrRow;

static void pr_add(PrRow *r, int k, double v) {
  r->sum[k] += v;
  r->has |= 1u << k;
}

/* the rows of payment_record(argv[0] .. argv[3]) */
static int pr_filter(LedgerCursor *c, sqlite3_vtab *vt, sqlite3 *db, sqlite3_value **argv) {
  int has_as_of, has_since, has_grace, has_days;
  pr_i64 as_of = 0, since = 0;
  double grace = 0, days = 0;
  /* every argument is checked, so a bad one is reported even when another
  ** is NULL */
  int rc = ledger_arg_date(vt, "payment_record", argv[0], "as_of", &has_as_of, &as_of);
  if (rc == SQLITE_OK) rc = ledger_arg_date(vt, "payment_record", argv[1], "since", &has_since, &since);
  if (rc == SQLITE_OK) rc = ledger_arg_number(vt, "payment_record", argv[2], "grace", 1, &has_grace, &grace);
  if (rc == SQLITE_OK) rc = ledger_arg_number(vt, "payment_record", argv[3], "overdue_days", 0, &has_days, &days);
  if (rc != SQLITE_OK || !has_as_of || !has_grace || !has_days) return rc;
  /* payments up to as_of; every invoice */
  char as_of_iso[11];
  date_format(as_of, as_of_iso);
  Ledger lg;
  rc = ledger_open(&lg, vt, db, "payment_record", as_of_iso, 0, 0);
  LedgerInvoice iv;
  if (rc == SQLITE_OK)
    while ((rc = ledger_next(&lg, &iv)) == SQLITE_ROW) {
      PrRow *r = ledger_row(c, iv.customer);
      if (!r) {
        rc = SQLITE_NOMEM;
        break;
      }
      /* the invoice's payments: paid by as_of, and paid late (in the
      ** window, more than grace days after the due date), each summed in
      ** order */
      double paid = 0, late = 0;
      int any_late = 0;
      for (size_t k = 0; k < iv.npay; k++) {
        const LedgerPay *p = &iv.pay[k];
        paid += p->amount;
        if ((!has_since || p->day > since) && (double)(p->day - iv.due) > grace) {
          late += p->amount;
          any_late = 1;
        }
      }
      if (iv.date <= as_of && (!has_since || iv.date > since)) pr_add(r, PR_SALES, iv.amount);
      if (iv.date <= as_of) {
        double open = iv.amount - paid;
        if (open > 0) {
          if (iv.due < as_of) pr_add(r, PR_OVERDUE, open);
          if ((double)(as_of - iv.date) > days) pr_add(r, PR_LONG_DATE, open);
          if ((double)(as_of - iv.due) > days) pr_add(r, PR_LONG_DUE, open);
        }
        if (open > 0.005 && (double)(as_of - iv.due) > grace) r->late_open++;
      }
      if (any_late) pr_add(r, PR_PAID_LATE, late);
    }
  ledger_close(&lg);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void pr_column(const LedgerRow *row, sqlite3_context *ctx, int col) {
  const PrRow *r = (const PrRow *)row;
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
}

static const LedgerFn pr_fn = {
    .name = "payment_record",
    .schema = "CREATE TABLE x(customer_id INTEGER, sales REAL, overdue REAL,"
              " long_by_date REAL, long_by_due REAL, late_open INTEGER, paid_late REAL,"
              " as_of HIDDEN, since HIDDEN, grace HIDDEN, overdue_days HIDDEN)",
    .first_arg = PR_COL_AS_OF,
    .nargs = 4,
    .needs = "payment_record: needs its arguments: payment_record(as_of, since, grace, overdue_days)",
    .row_size = sizeof(PrRow),
    .filter = pr_filter,
    .column = pr_column,
};

int payrecord_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return ledger_create_module(db, &pr_fn);
}
