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
** are each read once, straight through (the walk of ext/ledger.c,
** payments up to as_of or since, whichever is later) and summed per
** customer: 0.30 s.
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
#include "dates.h"
#include "ledger.h"
#include "registry.h"
#include "sqlite_api.h"

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

/* one customer's sums, in column order from sales (a LedgerRow) */
typedef struct RvRow {
  rv_i64 customer;
  double sum[RV_NSUM];
} RvRow;

/* the rows of receivables(argv[0], argv[1], argv[2]) */
static int rv_filter(LedgerCursor *c, sqlite3_vtab *vt, sqlite3 *db, sqlite3_value **argv) {
  int has_as_of, has_since, has_days;
  rv_i64 as_of = 0, since = 0;
  double bad_days = 0;
  /* every argument is checked, so a bad one is reported even when another
  ** is NULL; a NULL as_of or overdue_days gives no rows */
  int rc = ledger_arg_date(vt, "receivables", argv[0], "as_of", &has_as_of, &as_of);
  if (rc == SQLITE_OK) rc = ledger_arg_date(vt, "receivables", argv[1], "since", &has_since, &since);
  if (rc == SQLITE_OK) rc = ledger_arg_number(vt, "receivables", argv[2], "overdue_days", 1, &has_days, &bad_days);
  if (rc != SQLITE_OK || !has_as_of || !has_days) return rc;
  /* invoice and payment dates are text 'YYYY-MM-DD': compared as such.
  ** Payments up to as_of or since, whichever is later; invoices up to
  ** as_of, with their customer's terms. */
  char as_of_iso[11], since_iso[11] = "";
  date_format(as_of, as_of_iso);
  if (has_since) date_format(since, since_iso);
  const char *pay_upto = has_since && strcmp(since_iso, as_of_iso) > 0 ? since_iso : as_of_iso;
  Ledger lg;
  rc = ledger_open(&lg, vt, db, "receivables", pay_upto, as_of_iso, 1);
  LedgerInvoice iv;
  if (rc == SQLITE_OK)
    while ((rc = ledger_next(&lg, &iv)) == SQLITE_ROW) {
      RvRow *r = ledger_row(c, iv.customer);
      if (!r) {
        rc = SQLITE_NOMEM;
        break;
      }
      /* the invoice's payments, each sum in payment order: up to as_of, up
      ** to since */
      double paid = 0, paid_before = 0;
      for (size_t k = 0; k < iv.npay; k++) {
        if (iv.pay[k].day <= as_of) paid += iv.pay[k].amount;
        if (has_since && iv.pay[k].day <= since) paid_before += iv.pay[k].amount;
      }
      double *s = r->sum;
      if (!has_since || iv.date > since) s[0] += iv.amount;
      double open = iv.amount - paid;
      if (open >= 0.005) {
        rv_i64 late = as_of - iv.due; /* days past due */
        s[1] += open;
        s[late <= 0 ? 2 : late <= 30 ? 3 : late <= 60 ? 4 : late <= 90 ? 5 : late <= 120 ? 6 : 7] += open;
        int over = iv.has_terms ? as_of - iv.date > iv.terms : late > 0;
        if (over) s[8] += open;
        if ((double)late > bad_days) s[9] += open;
      }
      if (has_since && iv.date <= since) {
        double open_before = iv.amount - paid_before;
        if (open_before >= 0.005 && (double)(since - iv.due) > bad_days) s[10] += open_before;
      }
    }
  ledger_close(&lg);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void rv_column(const LedgerRow *row, sqlite3_context *ctx, int col) {
  const RvRow *r = (const RvRow *)row;
  if (col == RV_COL_CUSTOMER) sqlite3_result_int64(ctx, r->customer);
  else if (col >= RV_COL_SALES && col <= RV_COL_BAD_BEFORE) sqlite3_result_double(ctx, r->sum[col - RV_COL_SALES]);
}

static const LedgerFn rv_fn = {
    .name = "receivables",
    .schema = "CREATE TABLE x(customer_id INTEGER, sales REAL, outstanding REAL,"
              " current REAL, d1_30 REAL, d31_60 REAL, d61_90 REAL, d91_120 REAL,"
              " over_120 REAL, over_terms REAL, bad_debt REAL, bad_debt_before REAL,"
              " as_of HIDDEN, since HIDDEN, overdue_days HIDDEN)",
    .first_arg = RV_COL_AS_OF,
    .nargs = 3,
    .needs = "receivables: needs the days: receivables(as_of, since, overdue_days)",
    .row_size = sizeof(RvRow),
    .filter = rv_filter,
    .column = rv_column,
};

int receivables_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return ledger_create_module(db, &rv_fn);
}
