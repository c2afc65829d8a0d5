/*
** ledger.c -- the customer ledger walk shared by receivables() and
** payment_record(): invoices in customer order, each with its payments up
** to a day; and their virtual table module and argument checks.  See ledger.h.
*/
#include "ledger.h"

#include "args.h"
#include "dates.h"

#include <math.h>
#include <string.h>

int ledger_error(sqlite3_vtab *vt, char *msg) {
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

static int ledger_sql_error(Ledger *lg) {
  return ledger_error(lg->vt, sqlite3_mprintf("%s: %s", lg->fn, sqlite3_errmsg(lg->db)));
}

static void *ledger_grow(void *a, size_t *cap, size_t n, size_t size, size_t first) {
  if (n < *cap) return a;
  size_t c = *cap ? 2 * *cap : first;
  void *b = sqlite3_realloc64(a, c * size);
  if (b) *cap = c;
  return b;
}

void ledger_close(Ledger *lg) {
  sqlite3_finalize(lg->st);
  sqlite3_free(lg->pay);
  sqlite3_free(lg->paid);
  lg->st = 0;
  lg->pay = 0;
  lg->paid = 0;
  lg->npay = lg->cappay = lg->npaid = lg->cappaid = 0;
}

/* The payments up to pay_upto, in (invoice_id, id) order off
** payment_invoice, grouped by invoice. */
static int ledger_load_payments(Ledger *lg, const char *pay_upto) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(lg->db,
                              "SELECT invoice_id, date, amount FROM payment WHERE date <= ?1"
                              " ORDER BY invoice_id, id",
                              -1, &st, 0);
  if (rc != SQLITE_OK) return ledger_sql_error(lg);
  sqlite3_bind_text(st, 1, pay_upto, 10, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 inv = sqlite3_column_int64(st, 0), day;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1), &day)) {
      sqlite3_finalize(st);
      return ledger_error(
          lg->vt, sqlite3_mprintf("%s: a payment of invoice %lld has no date YYYY-MM-DD", lg->fn, inv));
    }
    LedgerPay *p = ledger_grow(lg->pay, &lg->cappay, lg->npay, sizeof(*p), 4096);
    if (!p) break;
    lg->pay = p;
    if (lg->npaid == 0 || lg->paid[lg->npaid - 1].invoice != inv) {
      LedgerPaid *q = ledger_grow(lg->paid, &lg->cappaid, lg->npaid, sizeof(*q), 4096);
      if (!q) break;
      lg->paid = q;
      q[lg->npaid].invoice = inv;
      q[lg->npaid].first = lg->npay;
      lg->npaid++;
    }
    p[lg->npay].day = day;
    p[lg->npay].amount = sqlite3_column_double(st, 2);
    lg->npay++;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return SQLITE_NOMEM;
  if (rc != SQLITE_DONE) return ledger_sql_error(lg);
  return SQLITE_OK;
}

int ledger_open(Ledger *lg, sqlite3_vtab *vt, sqlite3 *db, const char *fn, const char *pay_upto,
                const char *inv_upto, int terms) {
  memset(lg, 0, sizeof(*lg));
  lg->vt = vt;
  lg->db = db;
  lg->fn = fn;
  lg->terms = terms;
  int rc = ledger_load_payments(lg, pay_upto);
  if (rc != SQLITE_OK) {
    ledger_close(lg);
    return rc;
  }
  char *sql =
      sqlite3_mprintf("SELECT i.customer_id, i.id, i.date, i.due_date, "
                      "i.amount%s FROM invoice i%s%s"
                      " ORDER BY i.customer_id, i.id",
                      terms ? ", c.terms_days" : "", terms ? " JOIN customer c ON c.id = i.customer_id" : "",
                      inv_upto ? " WHERE i.date <= ?1" : "");
  if (!sql) {
    ledger_close(lg);
    return SQLITE_NOMEM;
  }
  rc = sqlite3_prepare_v2(db, sql, -1, &lg->st, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    rc = ledger_sql_error(lg);
    ledger_close(lg);
    return rc;
  }
  if (inv_upto) sqlite3_bind_text(lg->st, 1, inv_upto, 10, SQLITE_STATIC);
  return SQLITE_OK;
}

/* binary search for an invoice's payments (paid is in invoice order) */
static void ledger_payments_of(const Ledger *lg, LedgerInvoice *iv) {
  size_t lo = 0, hi = lg->npaid;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (lg->paid[mid].invoice < iv->id) lo = mid + 1;
    else hi = mid;
  }
  if (lo < lg->npaid && lg->paid[lo].invoice == iv->id) {
    size_t end = lo + 1 < lg->npaid ? lg->paid[lo + 1].first : lg->npay;
    iv->pay = lg->pay + lg->paid[lo].first;
    iv->npay = end - lg->paid[lo].first;
  } else {
    iv->pay = 0;
    iv->npay = 0;
  }
}

int ledger_next(Ledger *lg, LedgerInvoice *iv) {
  sqlite3_stmt *st = lg->st;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return rc;
  if (rc != SQLITE_ROW) return ledger_sql_error(lg);
  iv->customer = sqlite3_column_int64(st, 0);
  iv->id = sqlite3_column_int64(st, 1);
  if (!date_from_iso((const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2), &iv->date) ||
      !date_from_iso((const char *)sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3), &iv->due))
    return ledger_error(lg->vt, sqlite3_mprintf("%s: invoice %lld has no date YYYY-MM-DD", lg->fn, iv->id));
  iv->amount = sqlite3_column_double(st, 4);
  iv->has_terms = lg->terms && sqlite3_column_type(st, 5) != SQLITE_NULL;
  iv->terms = iv->has_terms ? sqlite3_column_int64(st, 5) : 0;
  ledger_payments_of(lg, iv);
  return SQLITE_ROW;
}

/* ---- the virtual table module of a ledger function */

typedef struct LedgerVtab {
  sqlite3_vtab base;
  sqlite3 *db;
  const LedgerFn *fn;
} LedgerVtab;

struct LedgerCursor {
  sqlite3_vtab_cursor base;
  const LedgerFn *fn;
  char *row; /* nrow rows of fn->row_size bytes */
  size_t nrow, caprow;
  size_t i; /* current row */
};

static int lvConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **pp,
                     char **err) {
  (void)argc;
  (void)argv;
  (void)err;
  const LedgerFn *fn = aux;
  int rc = sqlite3_declare_vtab(db, fn->schema);
  if (rc != SQLITE_OK) return rc;
  /* Innocuous: it reads only invoice, payment and customer with fixed
  ** queries and bound values. */
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  LedgerVtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->fn = fn;
  *pp = &t->base;
  return SQLITE_OK;
}

static int lvDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int lvOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **pp) {
  LedgerCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->fn = ((LedgerVtab *)v)->fn;
  *pp = &c->base;
  return SQLITE_OK;
}

static void lv_reset(LedgerCursor *c) {
  sqlite3_free(c->row);
  c->row = 0;
  c->nrow = c->caprow = c->i = 0;
}

static int lvClose(sqlite3_vtab_cursor *cur) {
  lv_reset((LedgerCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* the arguments, all required (=); rows come in customer order */
static int lvBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  const LedgerFn *fn = ((LedgerVtab *)v)->fn;
  int first_arg = fn->first_arg, nargs = fn->nargs, at[8], unusable = 0;
  for (int h = 0; h < nargs; h++) at[h] = -1;
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < first_arg || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int h = k->iColumn - first_arg;
    if (!k->usable) unusable |= 1 << h;
    else if (at[h] < 0) at[h] = i;
  }
  for (int h = 0; h < nargs; h++)
    if ((unusable & (1 << h)) && at[h] < 0) return SQLITE_CONSTRAINT;
  /* A plan without every argument (SQLite tries some, e.g. for an OR in
  ** the WHERE clause) costs too much to be chosen; if it is the only one,
  ** the call lacks an argument and xFilter says so. */
  int n = 0;
  for (int h = 0; h < nargs; h++) {
    if (at[h] < 0) continue;
    ix->aConstraintUsage[at[h]].argvIndex = ++n;
    ix->aConstraintUsage[at[h]].omit = 1;
  }
  ix->idxNum = n == nargs;
  if (n < nargs) {
    ix->estimatedCost = 1e300;
    return SQLITE_OK;
  }
  if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == 0 && !ix->aOrderBy[0].desc) ix->orderByConsumed = 1;
  ix->estimatedCost = 1e6;
  ix->estimatedRows = 100000;
  return SQLITE_OK;
}

static int lvFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  LedgerCursor *c = (LedgerCursor *)cur;
  LedgerVtab *t = (LedgerVtab *)cur->pVtab;
  lv_reset(c);
  if (!idxNum) return ledger_error(&t->base, sqlite3_mprintf("%s", t->fn->needs));
  return t->fn->filter(c, &t->base, t->db, argv);
}

static int lvNext(sqlite3_vtab_cursor *cur) {
  ((LedgerCursor *)cur)->i++;
  return SQLITE_OK;
}

static int lvEof(sqlite3_vtab_cursor *cur) {
  LedgerCursor *c = (LedgerCursor *)cur;
  return c->i >= c->nrow;
}

static int lvColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  LedgerCursor *c = (LedgerCursor *)cur;
  /* hidden arguments read back as NULL */
  c->fn->column((const LedgerRow *)(c->row + c->i * c->fn->row_size), ctx, col);
  return SQLITE_OK;
}

static int lvRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = (sqlite3_int64)((LedgerCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module ledger_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous-only */
    .xConnect = lvConnect,
    .xBestIndex = lvBestIndex,
    .xDisconnect = lvDisconnect,
    .xOpen = lvOpen,
    .xClose = lvClose,
    .xFilter = lvFilter,
    .xNext = lvNext,
    .xEof = lvEof,
    .xColumn = lvColumn,
    .xRowid = lvRowid,
};

int ledger_create_module(sqlite3 *db, const LedgerFn *fn) {
  return sqlite3_create_module(db, fn->name, &ledger_module, (void *)fn);
}

void *ledger_row(LedgerCursor *c, sqlite3_int64 customer) {
  size_t size = c->fn->row_size;
  if (c->nrow && ((LedgerRow *)(c->row + (c->nrow - 1) * size))->customer == customer)
    return c->row + (c->nrow - 1) * size;
  char *a = ledger_grow(c->row, &c->caprow, c->nrow, size, 1024);
  if (!a) return 0;
  c->row = a;
  LedgerRow *r = (LedgerRow *)(a + c->nrow++ * size);
  memset(r, 0, size);
  r->customer = customer;
  return r;
}

/* ---- arguments */

/* "fn: NAME must be WHAT, got VALUE", the wording of args.h */
static int ledger_arg_error(sqlite3_vtab *vt, const char *fn, const char *name, sqlite3_value *v,
                            const char *what) {
  char *repr = value_repr(v);
  int rc = ledger_error(vt, sqlite3_mprintf("%s: %s must be %s, got %s", fn, name, what, repr ? repr : "?"));
  sqlite3_free(repr);
  return rc;
}

int ledger_arg_date(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *name, int *has,
                    sqlite3_int64 *day) {
  int r = date_from_value(v, day);
  *has = r == 1;
  if (r < 0) return ledger_arg_error(vt, fn, name, v, DATE_WHAT);
  return SQLITE_OK;
}

int ledger_arg_number(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *name, int nonneg,
                      int *has, double *out) {
  *has = 0;
  switch (sqlite3_value_type(v)) {
  case SQLITE_NULL: return SQLITE_OK;
  case SQLITE_INTEGER: *out = (double)sqlite3_value_int64(v); break;
  case SQLITE_FLOAT:
    *out = sqlite3_value_double(v);
    if (!isfinite(*out)) return ledger_arg_error(vt, fn, name, v, "a finite number");
    break;
  case SQLITE_TEXT:
    if (value_text_number(v, out)) break;
    return ledger_arg_error(vt, fn, name, v, "a number");
  default: return ledger_arg_error(vt, fn, name, v, "a number");
  }
  if (nonneg && *out < 0) return ledger_arg_error(vt, fn, name, v, "non-negative");
  *has = 1;
  return SQLITE_OK;
}
