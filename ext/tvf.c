/*
** tvf.c -- what the table-valued functions share: hidden arguments in
** xBestIndex, the error message, a month argument's check, growing an
** array (see tvf.h).
*/
#include "tvf.h"

#include "args.h"

int tvf_args_find(const sqlite3_index_info *ix, int first, int n, unsigned strict, int *at) {
  unsigned unusable = 0;
  for (int h = 0; h < n; h++) at[h] = -1;
  for (int i = 0; i < ix->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &ix->aConstraint[i];
    if (k->iColumn < first || k->iColumn >= first + n || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    int h = k->iColumn - first;
    if (!k->usable)
      unusable |= 1u << h;
    else if (at[h] < 0)
      at[h] = i;
  }
  for (int h = 0; h < n; h++)
    if ((unusable & strict & (1u << h)) && at[h] < 0) return SQLITE_CONSTRAINT;
  return SQLITE_OK;
}

unsigned tvf_args_use(sqlite3_index_info *ix, const int *at, int n) {
  unsigned mask = 0;
  int argv = 0;
  for (int h = 0; h < n; h++) {
    if (at[h] < 0) continue;
    ix->aConstraintUsage[at[h]].argvIndex = ++argv;
    ix->aConstraintUsage[at[h]].omit = 1;
    mask |= 1u << h;
  }
  return mask;
}

int tvf_error(sqlite3_vtab *vt, char *msg) {
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

int tvf_room(void **p, size_t *cap, size_t n, size_t sz) {
  if (n <= *cap) return SQLITE_OK;
  size_t c = *cap ? *cap : 256;
  while (c < n) c *= 2;
  void *q = sqlite3_realloc64(*p, (sqlite3_uint64)c * sz);
  if (!q) return SQLITE_NOMEM;
  *p = q;
  *cap = c;
  return SQLITE_OK;
}

size_t tvf_count(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  size_t n = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) return 0;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0)
    n = (size_t)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

int tvf_month(sqlite3_vtab *vt, const char *fn, sqlite3_value *v, const char *arg, int *has) {
  *has = 0;
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return SQLITE_OK;
  if (t == SQLITE_TEXT) {
    const unsigned char *s = sqlite3_value_text(v);
    int ok = s && sqlite3_value_bytes(v) == 7 && s[4] == '-';
    for (int i = 0; ok && i < 7; i++)
      if (i != 4 && (s[i] < '0' || s[i] > '9')) ok = 0;
    if (ok && ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2'))) {
      *has = 1;
      return SQLITE_OK;
    }
  }
  char *got = value_repr(v);
  if (!got) return SQLITE_NOMEM;
  int rc = tvf_error(vt, sqlite3_mprintf("%s: %s must be a month YYYY-MM, got %s", fn, arg, got));
  sqlite3_free(got);
  return rc;
}
