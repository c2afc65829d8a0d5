/*
** ledger.c -- the customer ledger walk shared by receivables(),
** collections() and payment_record(): every invoice with its payments up
** to a day, both tables read straight through; and their virtual table
** module and argument checks.  See ledger.h.
*/
#include "ledger.h"

#include "args.h"
#include "dates.h"
#include "tvf.h"

#include <math.h>
#include <string.h>

static int ledger_sql_error(Ledger *lg) {
  return tvf_error(lg->vt, sqlite3_mprintf("%s: %s", lg->fn, sqlite3_errmsg(lg->db)));
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
  idmap_free(&lg->paid);
  idmap_free(&lg->terms);
  lg->st = 0;
  lg->pay = 0;
  lg->npay = 0;
}

/* a customer's terms_days (an idmap.h entry) */
typedef struct LedgerTerms {
  sqlite3_int64 customer;
  sqlite3_int64 terms;
  sqlite3_int64 has_terms;
} LedgerTerms;

/* a payment as read, before grouping */
typedef struct LedgerReadPay {
  sqlite3_int64 invoice;
  LedgerPay pay;
} LedgerReadPay;

/* The payments up to pay_upto in table order, grouped by invoice: counted
** per invoice while read, then placed at their invoice's offset (the
** invoices in id order), in the order read. */
static int ledger_load_payments(Ledger *lg, const char *pay_upto) {
  sqlite3_stmt *st;
  LedgerReadPay *rd = 0;
  size_t cap = 0, n = 0;
  int rc = idmap_init(&lg->paid, sizeof(LedgerPaid), lg->db, "SELECT min(id), max(id) FROM invoice",
                      lg->vt, lg->fn);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_prepare_v2(lg->db, "SELECT invoice_id, date, amount FROM payment WHERE date <= ?1", -1,
                          &st, 0);
  if (rc != SQLITE_OK) return ledger_sql_error(lg);
  sqlite3_bind_text(st, 1, pay_upto, 10, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 inv = sqlite3_column_int64(st, 0), day;
    if (!date_from_iso((const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1), &day)) {
      sqlite3_finalize(st);
      sqlite3_free(rd);
      return tvf_error(lg->vt,
                       sqlite3_mprintf("%s: a payment of invoice %lld has no date YYYY-MM-DD", lg->fn, inv));
    }
    LedgerReadPay *r = ledger_grow(rd, &cap, n, sizeof(*r), 4096);
    LedgerPaid *e = r ? idmap_get(&lg->paid, inv) : 0;
    if (!e || e->n == UINT32_MAX) {
      if (r) rd = r;
      break;
    }
    rd = r;
    e->n++;
    rd[n].invoice = inv;
    rd[n].pay.day = day;
    rd[n].pay.amount = sqlite3_column_double(st, 2);
    n++;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW || (rc == SQLITE_DONE && idmap_sort(&lg->paid) != SQLITE_OK) ||
      (rc == SQLITE_DONE && n > UINT32_MAX)) {
    sqlite3_free(rd);
    return SQLITE_NOMEM;
  }
  if (rc != SQLITE_DONE) {
    sqlite3_free(rd);
    return ledger_sql_error(lg);
  }
  /* each invoice's offset, the invoices in id order; n counts again as
  ** its payments are placed */
  uint32_t at = 0;
  for (size_t i = 0; i < lg->paid.n; i++) {
    LedgerPaid *e = idmap_at(&lg->paid, lg->paid.order[i]);
    e->first = at;
    at += e->n;
    e->n = 0;
  }
  lg->pay = sqlite3_malloc64((n ? n : 1) * sizeof(LedgerPay));
  if (!lg->pay) {
    sqlite3_free(rd);
    return SQLITE_NOMEM;
  }
  for (size_t k = 0; k < n; k++) {
    LedgerPaid *e = idmap_find(&lg->paid, rd[k].invoice);
    lg->pay[e->first + e->n++] = rd[k].pay;
  }
  lg->npay = n;
  sqlite3_free(rd);
  return SQLITE_OK;
}

/* every customer's terms_days */
static int ledger_load_terms(Ledger *lg) {
  sqlite3_stmt *st;
  int rc = idmap_init(&lg->terms, sizeof(LedgerTerms), lg->db, "SELECT min(id), max(id) FROM customer",
                      lg->vt, lg->fn);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_prepare_v2(lg->db, "SELECT id, terms_days FROM customer", -1, &st, 0);
  if (rc != SQLITE_OK) return ledger_sql_error(lg);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    LedgerTerms *t = idmap_get(&lg->terms, sqlite3_column_int64(st, 0));
    if (!t) break;
    t->has_terms = sqlite3_column_type(st, 1) != SQLITE_NULL;
    t->terms = t->has_terms ? sqlite3_column_int64(st, 1) : 0;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return SQLITE_NOMEM;
  return rc == SQLITE_DONE ? SQLITE_OK : ledger_sql_error(lg);
}

int ledger_open(Ledger *lg, sqlite3_vtab *vt, sqlite3 *db, const char *fn, const char *pay_upto,
                const char *inv_upto, int terms) {
  memset(lg, 0, sizeof(*lg));
  lg->vt = vt;
  lg->db = db;
  lg->fn = fn;
  lg->with_terms = terms;
  int rc = ledger_load_payments(lg, pay_upto);
  if (rc == SQLITE_OK && terms) rc = ledger_load_terms(lg);
  if (rc == SQLITE_OK) {
    rc = sqlite3_prepare_v2(db,
                            inv_upto ? "SELECT customer_id, id, date, due_date, amount FROM invoice"
                                       " WHERE date <= ?1"
                                     : "SELECT customer_id, id, date, due_date, amount FROM invoice",
                            -1, &lg->st, 0);
    if (rc != SQLITE_OK) rc = ledger_sql_error(lg);
  }
  if (rc != SQLITE_OK) {
    ledger_close(lg);
    return rc;
  }
  if (inv_upto) sqlite3_bind_text(lg->st, 1, inv_upto, 10, SQLITE_STATIC);
  return SQLITE_OK;
}

int ledger_next(Ledger *lg, LedgerInvoice *iv) {
  sqlite3_stmt *st = lg->st;
  const LedgerTerms *t = 0;
  int rc;
  /* with terms, an invoice of a customer not in customer is left out (as
  ** an inner join leaves it) */
  do {
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return rc;
    if (rc != SQLITE_ROW) return ledger_sql_error(lg);
    iv->customer = sqlite3_column_int64(st, 0);
  } while (lg->with_terms && !(t = idmap_find(&lg->terms, iv->customer)));
  iv->id = sqlite3_column_int64(st, 1);
  if (!date_from_iso((const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2), &iv->date) ||
      !date_from_iso((const char *)sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3), &iv->due))
    return tvf_error(lg->vt, sqlite3_mprintf("%s: invoice %lld has no date YYYY-MM-DD", lg->fn, iv->id));
  iv->amount = sqlite3_column_double(st, 4);
  iv->has_terms = t && t->has_terms;
  iv->terms = t ? t->terms : 0;
  const LedgerPaid *e = idmap_find(&lg->paid, iv->id);
  iv->pay = e ? lg->pay + e->first : 0;
  iv->npay = e ? e->n : 0;
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
  IdMap rows; /* customer id -> its row of fn->row_size bytes */
  size_t i;   /* current row: rows.order[i] */
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
  idmap_free(&c->rows);
  c->i = 0;
}

static int lvClose(sqlite3_vtab_cursor *cur) {
  lv_reset((LedgerCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* the arguments, all required (=); rows come in customer order */
static int lvBestIndex(sqlite3_vtab *v, sqlite3_index_info *ix) {
  const LedgerFn *fn = ((LedgerVtab *)v)->fn;
  int nargs = fn->nargs, at[8];
  if (tvf_args_find(ix, fn->first_arg, nargs, TVF_ARGS_ALL, at) != SQLITE_OK) return SQLITE_CONSTRAINT;
  /* A plan without every argument (SQLite tries some, e.g. for an OR in
  ** the WHERE clause) costs too much to be chosen; if it is the only one,
  ** the call lacks an argument and xFilter says so. */
  ix->idxNum = tvf_args_use(ix, at, nargs) == (1u << nargs) - 1;
  if (!ix->idxNum) {
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
  if (!idxNum) return tvf_error(&t->base, sqlite3_mprintf("%s", t->fn->needs));
  int rc = idmap_init(&c->rows, t->fn->row_size, t->db, "SELECT min(id), max(id) FROM customer", &t->base,
                      t->fn->name);
  if (rc == SQLITE_OK) rc = t->fn->filter(c, &t->base, t->db, argv);
  if (rc == SQLITE_OK) rc = idmap_sort(&c->rows);
  if (rc != SQLITE_OK) lv_reset(c);
  return rc;
}

static int lvNext(sqlite3_vtab_cursor *cur) {
  ((LedgerCursor *)cur)->i++;
  return SQLITE_OK;
}

static int lvEof(sqlite3_vtab_cursor *cur) {
  LedgerCursor *c = (LedgerCursor *)cur;
  return c->i >= c->rows.n;
}

static int lvColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  LedgerCursor *c = (LedgerCursor *)cur;
  /* hidden arguments read back as NULL */
  c->fn->column((const LedgerRow *)idmap_at(&c->rows, c->rows.order[c->i]), ctx, col);
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
  return idmap_get(&c->rows, customer);
}

/* ---- arguments */

/* "fn: NAME must be WHAT, got VALUE", the wording of args.h */
static int ledger_arg_error(sqlite3_vtab *vt, const char *fn, const char *name, sqlite3_value *v,
                            const char *what) {
  char *repr = value_repr(v);
  int rc = tvf_error(vt, sqlite3_mprintf("%s: %s must be %s, got %s", fn, name, what, repr ? repr : "?"));
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
