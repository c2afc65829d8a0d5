/*
** collections.c -- collections(), every customer's collections over a run
** of days: what was collected, what fell due and how much of it was paid,
** and what is open at the end, summed in C: the money figures of the
** scorecard report (sql/reports/scorecard.sql).
**
**   SELECT * FROM collections('2026-01-01', '2026-06-30');
**
** Columns: customer_id, collected, due, due_paid, receivables; hidden
** first_day, last_day.  One row per customer with any invoice (of any
** date), in customer_id order.  An invoice's paid amount is the sum of its
** payments dated on or before last_day.
**   collected    payments dated first_day .. last_day (of any invoice)
**   due          invoices dated on or before last_day that fell due in
**                first_day .. last_day: their amounts
**   due_paid     the same invoices: each one's paid amount, at most its
**                amount
**   receivables  invoices dated on or before last_day: amount less paid
**                (an overpaid invoice adds a negative amount)
** Each is NULL where nothing adds to it (as SQL's sum()).  Sums run in
** invoice order (customer_id, id), each invoice's payments in payment
** order (invoice_id, id), collected per invoice first: the same additions,
** in the same order, as
**   WITH pp AS (SELECT invoice_id,
**                      sum(CASE WHEN date <= :last THEN amount END) AS paid,
**                      sum(CASE WHEN date BETWEEN :first AND :last THEN amount END) AS collected
**                 FROM payment GROUP BY invoice_id)
**   SELECT i.customer_id, sum(pp.collected),
**          sum(CASE WHEN i.date <= :last AND i.due_date BETWEEN :first AND :last THEN i.amount END),
**          sum(CASE WHEN ... THEN min(coalesce(pp.paid, 0), i.amount) END),
**          sum(CASE WHEN i.date <= :last THEN i.amount - coalesce(pp.paid, 0) END)
**     FROM invoice i LEFT JOIN pp ON pp.invoice_id = i.id GROUP BY i.customer_id
** (tests/sql/collections_gen.test compares the two).
**
** Why C: that is a grouping pass over the payments and then a million
** invoices through four CASE sums, about a second at a million invoices;
** here payment and invoice are read once each, straight through (the
** walk of ext/ledger.c, payments up to last_day): 0.37 s.
**
** Arguments: first_day and last_day are dates (ext/dates.h: 'YYYY-MM-DD'
** or a Julian day number).  NULL first_day or last_day gives no rows.
** Errors: "collections: first_day must be a date 'YYYY-MM-DD' or a Julian
** day number, got ..." (likewise last_day), a call without both, and an
** invoice or payment date that is not a date 'YYYY-MM-DD' (the schema's
** CHECKs keep them so).
*/
#include "dates.h"
#include "ledger.h"
#include "registry.h"
#include "sqlite_api.h"

#include <string.h>

typedef sqlite3_int64 cl_i64;

enum {
  CL_COL_CUSTOMER,
  CL_COL_COLLECTED,
  CL_COL_DUE,
  CL_COL_DUE_PAID,
  CL_COL_RECEIVABLES,
  CL_COL_FIRST,
  CL_COL_LAST
};

enum { CL_COLLECTED, CL_DUE, CL_DUE_PAID, CL_RECEIVABLES, CL_NSUM };

/* one customer's sums (a LedgerRow); has: bit k set once sum k had
** anything added */
typedef struct ClRow {
  cl_i64 customer;
  double sum[CL_NSUM];
  unsigned has;
} ClRow;

static void cl_add(ClRow *r, int k, double v) {
  r->sum[k] += v;
  r->has |= 1u << k;
}

/* the rows of collections(argv[0], argv[1]) */
static int cl_filter(LedgerCursor *c, sqlite3_vtab *vt, sqlite3 *db, sqlite3_value **argv) {
  int has_first, has_last;
  cl_i64 first = 0, last = 0;
  /* both arguments are checked, so a bad one is reported even when the
  ** other is NULL */
  int rc = ledger_arg_date(vt, "collections", argv[0], "first_day", &has_first, &first);
  if (rc == SQLITE_OK) rc = ledger_arg_date(vt, "collections", argv[1], "last_day", &has_last, &last);
  if (rc != SQLITE_OK || !has_first || !has_last) return rc;
  /* payments up to last_day; every invoice */
  char last_iso[11];
  date_format(last, last_iso);
  Ledger lg;
  rc = ledger_open(&lg, vt, db, "collections", last_iso, 0, 0);
  LedgerInvoice iv;
  if (rc == SQLITE_OK)
    while ((rc = ledger_next(&lg, &iv)) == SQLITE_ROW) {
      ClRow *r = ledger_row(c, iv.customer);
      if (!r) {
        rc = SQLITE_NOMEM;
        break;
      }
      /* the invoice's payments: paid by last_day, and collected in the
      ** days, each summed in order */
      double paid = 0, collected = 0;
      int any_paid = 0, any_collected = 0;
      for (size_t k = 0; k < iv.npay; k++) {
        const LedgerPay *p = &iv.pay[k];
        paid += p->amount;
        any_paid = 1;
        if (p->day >= first) {
          collected += p->amount;
          any_collected = 1;
        }
      }
      if (!any_paid) paid = 0;
      if (any_collected) cl_add(r, CL_COLLECTED, collected);
      if (iv.date <= last) {
        if (iv.due >= first && iv.due <= last) {
          cl_add(r, CL_DUE_PAID, paid < iv.amount ? paid : iv.amount);
          cl_add(r, CL_DUE, iv.amount);
        }
        cl_add(r, CL_RECEIVABLES, iv.amount - paid);
      }
    }
  ledger_close(&lg);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void cl_column(const LedgerRow *row, sqlite3_context *ctx, int col) {
  const ClRow *r = (const ClRow *)row;
  if (col == CL_COL_CUSTOMER) {
    sqlite3_result_int64(ctx, r->customer);
  } else if (col >= CL_COL_COLLECTED && col <= CL_COL_RECEIVABLES) {
    int k = col - CL_COL_COLLECTED;
    if (r->has & (1u << k)) sqlite3_result_double(ctx, r->sum[k]);
    else sqlite3_result_null(ctx);
  }
}

static const LedgerFn cl_fn = {
    .name = "collections",
    .schema = "CREATE TABLE x(customer_id INTEGER, collected REAL, due REAL, due_paid REAL,"
              " receivables REAL, first_day HIDDEN, last_day HIDDEN)",
    .first_arg = CL_COL_FIRST,
    .nargs = 2,
    .needs = "collections: needs the days: collections(first_day, last_day)",
    .row_size = sizeof(ClRow),
    .filter = cl_filter,
    .column = cl_column,
};

int collections_register(sqlite3 *db, QueryConn *qc) {
  (void)qc;
  return ledger_create_module(db, &cl_fn);
}
