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

#include <stdlib.h>
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

/* Characters that would drive a terminal or reorder what it shows. */
static int bidi_control(unsigned cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

char *term_safe(const char *s, long n, int flags) {
  size_t len = n < 0 ? strlen(s) : (size_t)n;
  const unsigned char *p = (const unsigned char *)s;
  char *o = malloc(len * 3 + 1), *q = o;
  if (!o) return NULL;
  size_t i = 0;
  while (i < len) {
    unsigned cp;
    int k = utf8_decode(p + i, len - i, &cp);
    if (k == 0) {   /* an invalid byte, a raw 0x9B (CSI) among them */
      memcpy(q, "\xef\xbf\xbd", 3);
      q += 3;
      i++;
      continue;
    }
    if (cp == '\n' && (flags & SAFE_KEEP_NL)) *q++ = '\n';
    else if (cp == '\n' && (flags & SAFE_NL_ARROW)) { memcpy(q, "\xe2\x86\xb5", 3); q += 3; }   /* ↵ */
    else if (cp == '\t' && (flags & SAFE_KEEP_NL)) *q++ = '\t';
    else if (cp == '\t') *q++ = ' ';
    else if (cp < 0x20 || cp == 0x7F) {   /* shown as its control picture: ␛ */
      unsigned pic = cp == 0x7F ? 0x2421 : 0x2400 + cp;
      *q++ = (char)(0xE0 | (pic >> 12));
      *q++ = (char)(0x80 | ((pic >> 6) & 0x3F));
      *q++ = (char)(0x80 | (pic & 0x3F));
    } else if ((cp >= 0x80 && cp < 0xA0) || bidi_control(cp)) {
      memcpy(q, "\xef\xbf\xbd", 3);   /* C1 controls (U+009B is CSI), bidi overrides */
      q += 3;
    } else {
      memcpy(q, p + i, (size_t)k);
      q += k;
    }
    i += (size_t)k;
  }
  *q = 0;
  return o;
}

int term_needs_safe(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F || *p >= 0x80) return 1;
  return 0;
}
