/*
** numtext.c -- reading numbers and dates from text by length; see numtext.h.
** No SQLite state is touched, so the shell can call it on any text.
*/
#include "numtext.h"

#include "dates.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims blanks from both ends of z[0..n); returns the new length. */
static int trim(const char **pz, int n) {
  const char *z = *pz;
  while (n > 0 && is_blank(*z)) z++, n--;
  while (n > 0 && is_blank(z[n - 1])) n--;
  *pz = z;
  return n;
}

/* strtod and strtoll need a terminator, and reading past n is exactly the
** bug this file exists to prevent, so the bytes are copied first.  Longer
** spellings than 400 bytes are not numbers anyone writes. */
#define NUMTEXT_MAX 400

int numtext_number(const char *z, int n, double *out) {
  char buf[NUMTEXT_MAX + 1];
  if (z == NULL || n <= 0) return 0;
  n = trim(&z, n);
  if (n == 0 || n > NUMTEXT_MAX) return 0;
  /* strtod also takes "inf", "nan", hex floats and leading blanks inside;
  ** SQL text numbers have none of these, and a NUL fails here too. */
  for (int i = 0; i < n; i++) {
    char c = z[i];
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
          c == 'E'))
      return 0;
  }
  memcpy(buf, z, (size_t)n);
  buf[n] = 0;
  char *end = NULL;
  errno = 0;
  double d = strtod(buf, &end);
  if (end != buf + n || !isfinite(d)) return 0;
  *out = d;
  return 1;
}

int numtext_int64(const char *z, int n, long long *out) {
  char buf[32];
  if (z == NULL || n <= 0) return 0;
  n = trim(&z, n);
  if (n == 0 || n > 20) return 0; /* a sign and 19 digits */
  int i = (z[0] == '-' || z[0] == '+') ? 1 : 0;
  if (i == n) return 0;
  for (int j = i; j < n; j++)
    if (z[j] < '0' || z[j] > '9') return 0;
  memcpy(buf, z, (size_t)n);
  buf[n] = 0;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno != 0 || end != buf + n) return 0;
  *out = (long long)v;
  return 1;
}

int numtext_date(const char *z, int n, long long *day) {
  sqlite3_int64 d;
  double x;
  if (z == NULL || n <= 0) return 0;
  if (date_from_iso(z, n, &d)) {
    *day = d;
    return 1;
  }
  /* Only whole-text numbers: '2026-01-01' is not the number 2026. */
  if (!numtext_number(z, n, &x)) return 0;
  double f = floor(x + 0.5);
  if (f < DATE_MIN_DAY || f > DATE_MAX_DAY) return 0;
  *day = (long long)f;
  return 1;
}
