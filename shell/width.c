/*
** width.c -- how many terminal columns UTF-8 text takes, so that columns of
** Chinese names line up in box/table/markdown output and charts.
**
**   cp_width(cp)          0, 1 or 2 for one code point
**   utf8_width(s, n)      columns of a string
**   utf8_decode(s, n, &cp) one UTF-8 sequence (strict: no overlongs,
**                         no surrogates, nothing above U+10FFFF)
**
** East Asian Wide and Fullwidth characters take 2 columns; combining marks
** (Mn, Me), format characters (Cf) and Hangul medial/final jamo take 0.
** The ranges come from tools/gen-width.py (shell/width_table.h); we do not
** use the C library's wcwidth() because it depends on the locale and is
** often out of date.
*/
#include "shell.h"

#include <string.h>

struct WidthRange { unsigned first, last; };
#include "width_table.h"

static int in_table(const struct WidthRange *t, size_t n, unsigned cp) {
  size_t lo = 0, hi = n;
  if (n == 0 || cp < t[0].first || cp > t[n - 1].last) return 0;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < t[mid].first) hi = mid;
    else if (cp > t[mid].last) lo = mid + 1;
    else return 1;
  }
  return 0;
}

int cp_width(unsigned cp) {
  if (cp == 0) return 0;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (cp < 0x300) return 1;
  if (in_table(width_zero, sizeof width_zero / sizeof width_zero[0], cp))
    return 0;
  if (in_table(width_wide, sizeof width_wide / sizeof width_wide[0], cp))
    return 2;
  return 1;
}

int utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
  if (n == 0) return 0;
  unsigned c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  int len;
  unsigned min;
  if ((c & 0xE0) == 0xC0) { len = 2; c &= 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { len = 3; c &= 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { len = 4; c &= 0x07; min = 0x10000; }
  else return 0;
  if ((size_t)len > n) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

int utf8_width(const char *s, long n) {
  if (s == NULL) return 0;
  size_t len = n < 0 ? strlen(s) : (size_t)n;
  const unsigned char *p = (const unsigned char *)s;
  int w = 0;
  size_t i = 0;
  while (i < len) {
    unsigned cp;
    int k = utf8_decode(p + i, len - i, &cp);
    if (k == 0) { w++; i++; continue; }
    w += cp_width(cp);
    i += (size_t)k;
  }
  return w;
}

size_t utf8_prefix_for_width(const char *s, int cols) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = strlen(s), i = 0;
  int w = 0;
  while (i < len) {
    unsigned cp;
    int k = utf8_decode(p + i, len - i, &cp);
    int cw = k ? cp_width(cp) : 1;
    if (k == 0) k = 1;
    if (w + cw > cols) break;
    w += cw;
    i += (size_t)k;
  }
  return i;
}
