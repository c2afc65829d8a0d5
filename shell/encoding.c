/*
** encoding.c -- CSV files from Chinese offices: Excel's "CSV" is saved in
** GBK (GB18030), not UTF-8.  The importer takes UTF-8; this file makes sure
** a GBK file is either converted (--encoding gbk) or refused with a hint,
** never imported as mojibake.
**
**   char *text_to_utf8(data, n, "gbk", &out_n, &err)   iconv to UTF-8
**   const char *encoding_guess(data, n)
**       NULL when the text is plain UTF-8, "gb18030" when it is GBK/GB18030
**       (including short GBK text that happens to be valid UTF-8, such as
**       "医院" = D2BD D4BA, which UTF-8 reads as "ҽԺ")
**
** iconv comes with the C library; nothing else is linked.
*/
#include "shell.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *text_to_utf8(const char *data, size_t n, const char *from, size_t *out_n,
                   char **err) {
  *err = NULL;
  const char *cs = from;
  if (!strcasecmp(from, "gbk") || !strcasecmp(from, "gb2312") || !strcasecmp(from, "cp936"))
    cs = "GB18030";   /* a superset: every GBK file reads the same */
  iconv_t cd = iconv_open("UTF-8", cs);
  if (cd == (iconv_t)-1) {
    *err = sqlite3_mprintf("unknown encoding %s (try gbk, gb18030, big5, utf-16, latin1)", from);
    return NULL;
  }
  size_t cap = n * 2 + 16, left_out = cap, left_in = n;
  char *out = malloc(cap + 1);
  char *in = (char *)data, *o = out;
  while (out && left_in > 0) {
    if (iconv(cd, &in, &left_in, &o, &left_out) != (size_t)-1) break;
    if (errno == E2BIG) {
      size_t used = (size_t)(o - out);
      char *b = realloc(out, cap * 2 + 1);
      if (!b) { free(out); out = NULL; break; }
      out = b;
      o = out + used;
      left_out += cap;
      cap *= 2;
      continue;
    }
    /* a byte sequence that is not text in this encoding: say where */
    size_t at = (size_t)(in - data);
    int line = 1;
    for (size_t i = 0; i < at; i++)
      if (data[i] == '\n') line++;
    *err = sqlite3_mprintf("line %d: byte %lld (0x%02X) is not valid %s text", line,
                           (long long)at + 1, (unsigned char)data[at], from);
    free(out);
    out = NULL;
    break;
  }
  iconv_close(cd);
  if (!out) {
    if (!*err) *err = sqlite3_mprintf("out of memory");
    return NULL;
  }
  *o = 0;
  *out_n = (size_t)(o - out);
  return out;
}

/* 1 when every non-ASCII character of UTF-8 text is Chinese: CJK
** ideographs, CJK punctuation, full-width forms. */
static int all_chinese(const char *s, size_t n) {
  size_t i = 0;
  int seen = 0;
  while (i < n) {
    unsigned cp;
    if ((unsigned char)s[i] < 0x80) { i++; continue; }
    int k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (k == 0) return 0;
    if (!((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x9FFF) ||
          (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x2010 && cp <= 0x2027)))
      return 0;
    seen = 1;
    i += (size_t)k;
  }
  return seen;
}

const char *encoding_guess(const char *data, size_t n) {
  size_t i = 0;
  int utf8 = 1, wide = 0, two = 0;
  while (i < n) {
    unsigned cp;
    unsigned char c = (unsigned char)data[i];
    if (c < 0x80) { i++; continue; }
    int k = utf8_decode((const unsigned char *)data + i, n - i, &cp);
    if (k == 0) { utf8 = 0; break; }
    if (k == 2) two = 1;
    else wide = 1;
    i += (size_t)k;
  }
  /* UTF-8 Chinese is 3 bytes a character: valid UTF-8 made only of 2-byte
  ** sequences (Cyrillic, Armenian, Hebrew ... in a Chinese office file) is
  ** GBK read wrongly when GB18030 reads it as Chinese */
  if (utf8 && (wide || !two)) return NULL;
  size_t m;
  char *err = NULL;
  char *t = text_to_utf8(data, n, "gb18030", &m, &err);
  sqlite3_free(err);
  if (!t) return NULL;
  int chinese = all_chinese(t, m);
  free(t);
  if (utf8 && !chinese) return NULL;
  return utf8 ? (chinese ? "gb18030" : NULL) : (chinese ? "gb18030" : NULL);
}
