/*
** ledger.h -- the customer ledger as the table-valued functions that sum
** it read it: every invoice in customer order, each with its payments up
** to a day.  Shared by receivables() (ext/receivables.c, the credit
** report) and payment_record() (ext/payrecord.c, the pareto report), which
** keep only their own per-customer sums.
**
** The walk:
**   Ledger lg;
**   int rc = ledger_open(&lg, vtab, db, "receivables", pay_upto, inv_upto, 1);
**   LedgerInvoice iv;
**   if (rc == SQLITE_OK)
**     while ((rc = ledger_next(&lg, &iv)) == SQLITE_ROW) {
**       ... iv.customer, iv.amount, iv.pay[0 .. iv.npay - 1] ...
**     }
**   ledger_close(&lg);   (rc: SQLITE_DONE when all went well)
** ledger_open reads the payments dated on or before pay_upto once, in
** table order, and groups them by invoice (each invoice's in payment id
** order), 16 bytes a payment held (24 more while grouping) and 20 an
** invoice id of the span (ext/idmap.h);
** ledger_next then steps through the invoices in table (id) order and
** hands each over with its payments.  A customer's invoices thus come in
** id order, and each invoice's payments in id order: per customer, sums
** add in the order SQL's GROUP BY customer_id over invoices (and GROUP BY
** invoice_id over payments) would.  Both tables are read straight through
** (no index, no lookup into the table), and an invoice's payments and a
** customer's terms are found through ext/idmap.h.  Dates are day numbers
** (ext/dates.h); an invoice or payment date that is not 'YYYY-MM-DD' is an
** error.  Errors go to the vtab's zErrMsg, prefixed by the function's name
** ("receivables: invoice 7 has no date YYYY-MM-DD").
**
** Also here, because both functions are the same kind of table: the
** virtual table module (LedgerFn: one row per customer, every argument a
** required hidden column) and the argument checks, worded as args.h.
*/
#ifndef TERRITORY_LEDGER_H
#define TERRITORY_LEDGER_H

#include "idmap.h"
#include "sqlite_api.h"

#include <stddef.h>
#include <stdint.h>

/* a payment: its date and amount */
typedef struct LedgerPay {
  sqlite3_int64 day;
  double amount;
} LedgerPay;

/* an invoice as ledger_next hands it over */
typedef struct LedgerInvoice {
  sqlite3_int64 customer, id;
  sqlite3_int64 date, due; /* day numbers */
  double amount;
  int has_terms;        /* the customer's terms_days is not NULL (terms only) */
  sqlite3_int64 terms;  /* terms_days */
  const LedgerPay *pay; /* its payments up to pay_upto, in id order */
  size_t npay;
} LedgerInvoice;

/* an invoice's payments: pay[first .. first + n - 1] (an idmap.h entry) */
typedef struct LedgerPaid {
  sqlite3_int64 invoice;
  uint32_t first, n;
} LedgerPaid;

typedef struct Ledger {
  sqlite3_vtab *vt; /* errors go to vt->zErrMsg */
  sqlite3 *db;
  const char *fn; /* the function's name, prefixing errors */
  LedgerPay *pay; /* grouped by invoice, each invoice's in id order */
  size_t npay;
  IdMap paid;     /* invoice id -> LedgerPaid */
  IdMap terms;    /* with terms: customer id -> its terms_days */
  sqlite3_stmt *st; /* the invoices */
  int with_terms;
} Ledger;

/* Reads the payments dated on or before pay_upto ('YYYY-MM-DD') and starts
** the invoices: those dated on or before inv_upto, or every invoice when
** inv_upto is NULL; with terms, only invoices of a customer in customer,
** with its terms_days.  SQLITE_OK, or an error code with the message set
** (the ledger is then closed; ledger_close may still be called). */
int ledger_open(Ledger *lg, sqlite3_vtab *vt, sqlite3 *db, const char *fn, const char *pay_upto,
                const char *inv_upto, int terms);

/* The next invoice into *iv: SQLITE_ROW, SQLITE_DONE at the end, or an
** error code with the message set. */
int ledger_next(Ledger *lg, LedgerInvoice *iv);

/* Frees what the ledger holds (its payments and statement). */
void ledger_close(Ledger *lg);

/* A ledger function: an eponymous table-valued function with one row
** per customer, its arguments the last nargs (hidden) columns (at most 8), all
** required (=); a plan without them all is costed out, so that the call
** lacks an argument only when no other plan is left, and then fn->needs is
** the error.  Rows come in customer order (ORDER BY the first column is
** consumed): fn->filter appends them with ledger_row; each is row_size
** bytes and starts with the customer id (LedgerRow). */
typedef struct LedgerRow {
  sqlite3_int64 customer;
} LedgerRow;

typedef struct LedgerCursor LedgerCursor;

typedef struct LedgerFn {
  const char *name;   /* "receivables" */
  const char *schema; /* CREATE TABLE x(customer_id INTEGER, ..., arg HIDDEN, ...) */
  int first_arg, nargs; /* the arguments: columns first_arg .. first_arg + nargs - 1 */
  const char *needs; /* the error of a call without every argument */
  size_t row_size;
  /* fills the rows from the nargs arguments; SQLITE_OK, or an error code
  ** with the message set on vt */
  int (*filter)(LedgerCursor *c, sqlite3_vtab *vt, sqlite3 *db, sqlite3_value **argv);
  /* column col (< the first argument) of a row */
  void (*column)(const LedgerRow *row, sqlite3_context *ctx, int col);
} LedgerFn;

/* Registers fn (static) as an eponymous-only module. */
int ledger_create_module(sqlite3 *db, const LedgerFn *fn);

/* The row of customer, zeroed on first sight (rows are handed to SQLite in
** customer order at the end); NULL when out of memory. */
void *ledger_row(LedgerCursor *c, sqlite3_int64 customer);

/* A date argument (ext/dates.h: 'YYYY-MM-DD' or a Julian day number) into
** *day, *has = 0 for NULL; else "fn: name must be a date ..., got VALUE". */
int ledger_arg_date(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *name, int *has,
                    sqlite3_int64 *day);

/* A finite number read as arg_number() reads it, >= 0 when nonneg, into
** *out; *has = 0 for NULL; else "fn: name must be a number" (a finite
** number, non-negative), "got VALUE". */
int ledger_arg_number(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *name, int nonneg,
                      int *has, double *out);

#endif
