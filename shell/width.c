/*
** width.c -- how many terminal columns UTF-8 text takes, so that columns of
** Chinese names line up in box/table/markdown output and charts; and
** making text from a database safe to show on a terminal.
**
**   cp_width(cp)            0, 1 or 2 for one code point
**   utf8_width(s, n)        columns of a string, by grapheme cluster
**   utf8_decode(s, n, &cp)  one UTF-8 sequence (strict: no overlongs,
**                           no surrogates, nothing above U+10FFFF)
**   term_safe(s, n, flags)  a copy without terminal controls
**
** Widths come from utf8proc (Debian's libutf8proc, maintained with each
** Unicode release), not from the C library's wcwidth(), which depends on
** the locale and is often out of date.  A grapheme cluster (an emoji joined
** by ZWJ, a flag, a letter with its accents, a Hangul syllable of jamo)
** takes the width of its first character, 2 with an emoji presentation
** selector (U+FE0F) or as a pair of regional indicators; unassigned code
** points take 1.
*/
#include "shell.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int cp_width(unsigned cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (cp < 0x7F) return 1;
  return utf8proc_charwidth((utf8proc_int32_t)cp);
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

/* Walks text by grapheme cluster: returns the byte length of the cluster at
** p (at least 1) and its width in *w. */
static size_t cluster(const unsigned char *p, size_t len, int *w) {
  unsigned cp;
  int k = utf8_decode(p, len, &cp);
  if (k == 0) { *w = 1; return 1; }   /* an invalid byte counts 1 */
  if (cp < 0x80 && (k == (int)len || p[k] < 0x80)) { *w = cp_width(cp); return 1; }
  int width = cp_width(cp), ri = cp >= 0x1F1E6 && cp <= 0x1F1FF;
  utf8proc_int32_t state = 0, prev = (utf8proc_int32_t)cp;
  size_t i = (size_t)k;
  while (i < len) {
    unsigned c;
    int m = utf8_decode(p + i, len - i, &c);
    if (m == 0) break;
    if (utf8proc_grapheme_break_stateful(prev, (utf8proc_int32_t)c, &state)) break;
    if (c == 0xFE0F && width == 1) width = 2;       /* emoji presentation */
    if (ri && c >= 0x1F1E6 && c <= 0x1F1FF) width = 2;   /* a flag */
    prev = (utf8proc_int32_t)c;
    i += (size_t)m;
  }
  *w = width;
  return i;
}

int utf8_width(const char *s, long n) {
  if (s == NULL) return 0;
  size_t len = n < 0 ? strlen(s) : (size_t)n;
  const unsigned char *p = (const unsigned char *)s;
  int w = 0, cw;
  for (size_t i = 0; i < len; i += cluster(p + i, len - i, &cw), w += cw) {
  }
  return w;
}

size_t utf8_prefix_for_width(const char *s, int cols) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = strlen(s), i = 0;
  int w = 0;
  while (i < len) {
    int cw;
    size_t k = cluster(p + i, len - i, &cw);
    if (w + cw > cols) break;
    w += cw;
    i += k;
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
