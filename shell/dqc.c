/*
** dqc.c -- the dqlite wire protocol client declared in dqc.h.
**
** The protocol (dqlite's doc/protocol.md, version 1): after connecting the
** client sends one word, the protocol version 1.  Then each request and
** response is a message: a header word (body size in 8-byte words, uint32
** LE; type; schema revision; two unused bytes) and a body of words.  Text
** is NUL-terminated and zero-padded to a word; integers are LE words.
** Rows come in batches (a page or so each): column count, column names,
** then row tuples (a header of 4-bit type codes padded to a word, then the
** values), ended by a marker word: 0xff.. no more rows, 0xee.. another
** batch follows.  Parameters of EXEC/QUERY are a tuple with a one-byte
** count and one byte per type code, padded to a word.
*/
#define _GNU_SOURCE
#include "dqc.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
  REQ_LEADER = 0, REQ_CLIENT = 1, REQ_OPEN = 3, REQ_PREPARE = 4, REQ_EXEC = 5,
  REQ_QUERY = 6, REQ_FINALIZE = 7, REQ_EXEC_SQL = 8, REQ_QUERY_SQL = 9,
  REQ_ADD = 12, REQ_ASSIGN = 13, REQ_REMOVE = 14, REQ_DUMP = 15, REQ_CLUSTER = 16
};
enum {
  RES_FAILURE = 0, RES_NODE = 1, RES_WELCOME = 2, RES_NODES = 3, RES_DB = 4,
  RES_STMT = 5, RES_RESULT = 6, RES_ROWS = 7, RES_EMPTY = 8, RES_FILES = 9
};

#define MAX_MESSAGE (1u << 30)

struct DqConn {
  int fd;
  int timeout_ms;
  char *address;
  int errcode;
  char errmsg[512];
  /* the request being built */
  unsigned char *out;
  size_t nout, capout;
  /* the last response */
  unsigned char *in;
  size_t nin, capin;
  int intype;
};

/* ---------------------------------------------------------------- errors */

static void set_err(DqConn *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(DqConn *c, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
  va_end(ap);
  c->errcode = code;
}

static int io_fail(DqConn *c, const char *what) {
  if (c->errcode != -1 || c->errmsg[0] == 0)
    set_err(c, -1, "%s: connection to %s lost%s%s", what, c->address,
            errno ? ": " : "", errno ? strerror(errno) : "");
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  return DQ_IO;
}

const char *dqc_address(const DqConn *c) { return c ? c->address : "(none)"; }
const char *dqc_errmsg(const DqConn *c) { return c ? c->errmsg : "not connected"; }
int dqc_errcode(const DqConn *c) { return c ? c->errcode : -1; }

int dqc_lost_leader(const DqConn *c, int rc) {
  if (rc == DQ_IO || c == NULL) return 1;
  if (rc != DQ_FAIL) return 0;
  /* after losing leadership a node closes its connections' databases:
  ** every later request on them fails with "no database opened" */
  return c->errcode == DQ_NOT_LEADER || c->errcode == DQ_LEADERSHIP_LOST ||
         (c->errcode == 12 /* SQLITE_NOTFOUND */ && !strcmp(c->errmsg, "no database opened"));
}

/* ---------------------------------------------------------------- encoding */

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t dqc_encode_header(unsigned char *hdr, int type, int schema, size_t nbody) {
  put32(hdr, (uint32_t)(nbody / 8));
  hdr[4] = (unsigned char)type;
  hdr[5] = (unsigned char)schema;
  hdr[6] = hdr[7] = 0;
  return 8 + nbody;
}

static size_t value_size(const DqValue *v) {
  switch (v->type) {
    case DQ_TEXT: case DQ_ISO8601: return pad8(v->n + 1);
    case DQ_BLOB: return 8 + pad8(v->n);
    default: return 8;
  }
}

/* Writes one value at p (zero-filled beforehand); returns bytes used. */
static size_t put_value(unsigned char *p, const DqValue *v) {
  switch (v->type) {
    case DQ_INTEGER: case DQ_UNIXTIME: case DQ_BOOLEAN:
      put64(p, (uint64_t)v->i);
      return 8;
    case DQ_FLOAT: {
      uint64_t u;
      memcpy(&u, &v->f, 8);
      put64(p, u);
      return 8;
    }
    case DQ_TEXT: case DQ_ISO8601:
      memcpy(p, v->s, v->n);
      return pad8(v->n + 1);
    case DQ_BLOB:
      put64(p, v->n);
      if (v->n) memcpy(p + 8, v->s, v->n);
      return 8 + pad8(v->n);
    default:
      return 8;   /* NULL: a zero word */
  }
}

size_t dqc_encode_params(unsigned char *out, size_t cap, const DqValue *p, int np) {
  if (np == 0) return 0;   /* no tuple at all, as go-dqlite sends it */
  if (np < 0 || np > 255) return 0;
  size_t hdr = pad8(1 + (size_t)np);
  size_t need = hdr;
  for (int i = 0; i < np; i++) need += value_size(&p[i]);
  if (need > cap) return 0;
  memset(out, 0, need);
  out[0] = (unsigned char)np;
  for (int i = 0; i < np; i++) {
    int t = p[i].type;
    out[1 + i] = (unsigned char)(t == 0 ? DQ_NULL : t);
  }
  size_t pos = hdr;
  for (int i = 0; i < np; i++) pos += put_value(out + pos, &p[i]);
  return pos;
}

static int get_text(const unsigned char *buf, size_t n, size_t *pos, const char **s,
                    size_t *len) {
  const unsigned char *z = memchr(buf + *pos, 0, n - *pos);
  if (!z) return -1;
  *s = (const char *)(buf + *pos);
  *len = (size_t)(z - (buf + *pos));
  size_t adv = pad8(*len + 1);
  if (*pos + adv > n) return -1;
  *pos += adv;
  return 0;
}

int dqc_decode_row(const unsigned char *buf, size_t n, size_t *pos, int ncol,
                   DqValue *out) {
  size_t hdr = pad8(((size_t)ncol + 1) / 2);
  if (*pos + hdr > n) return -1;
  const unsigned char *h = buf + *pos;
  *pos += hdr;
  for (int j = 0; j < ncol; j++) {
    DqValue *v = &out[j];
    memset(v, 0, sizeof *v);
    v->type = (j % 2 == 0) ? (h[j / 2] & 0x0f) : (h[j / 2] >> 4);
    switch (v->type) {
      case DQ_INTEGER: case DQ_UNIXTIME: case DQ_BOOLEAN: case DQ_FLOAT: case DQ_NULL:
        if (*pos + 8 > n) return -1;
        if (v->type == DQ_FLOAT) {
          uint64_t u = get64(buf + *pos);
          memcpy(&v->f, &u, 8);
        } else if (v->type != DQ_NULL) {
          v->i = (int64_t)get64(buf + *pos);
        }
        *pos += 8;
        break;
      case DQ_TEXT: case DQ_ISO8601:
        if (get_text(buf, n, pos, &v->s, &v->n)) return -1;
        break;
      case DQ_BLOB: {
        if (*pos + 8 > n) return -1;
        uint64_t len = get64(buf + *pos);
        *pos += 8;
        if (len > n - *pos || pad8(len) > n - *pos) return -1;
        v->s = (const char *)(buf + *pos);
        v->n = len;
        *pos += pad8(len);
        break;
      }
      default:
        return -1;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- I/O */

static int wait_fd(DqConn *c, short ev) {
  struct pollfd p = {c->fd, ev, 0};
  for (;;) {
    int r = poll(&p, 1, c->timeout_ms);
    if (r > 0) return 0;
    if (r == 0) {
      set_err(c, -1, "no answer from %s within %d ms", c->address, c->timeout_ms);
      errno = ETIMEDOUT;
      return -1;
    }
    if (errno != EINTR) return -1;
  }
}

static int write_all(DqConn *c, const unsigned char *p, size_t n) {
  while (n > 0) {
    if (wait_fd(c, POLLOUT)) return -1;
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int read_all(DqConn *c, unsigned char *p, size_t n) {
  while (n > 0) {
    if (wait_fd(c, POLLIN)) return -1;
    ssize_t r = recv(c->fd, p, n, 0);
    if (r == 0) { errno = ECONNRESET; return -1; }
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Request building: begin, append words, send. */
static int out_reserve(DqConn *c, size_t more) {
  if (c->nout + more <= c->capout) return 0;
  size_t cap = c->capout ? c->capout : 4096;
  while (cap < c->nout + more) cap *= 2;
  unsigned char *p = realloc(c->out, cap);
  if (!p) return -1;
  c->out = p;
  c->capout = cap;
  return 0;
}

static void begin(DqConn *c) {
  c->nout = 8;   /* room for the header */
  memset(c->out, 0, 8);
}

static int add64(DqConn *c, uint64_t v) {
  if (out_reserve(c, 8)) return -1;
  put64(c->out + c->nout, v);
  c->nout += 8;
  return 0;
}

static int add32pair(DqConn *c, uint32_t a, uint32_t b) {
  if (out_reserve(c, 8)) return -1;
  put32(c->out + c->nout, a);
  put32(c->out + c->nout + 4, b);
  c->nout += 8;
  return 0;
}

static int addtext(DqConn *c, const char *s) {
  size_t n = strlen(s), sz = pad8(n + 1);
  if (out_reserve(c, sz)) return -1;
  memset(c->out + c->nout, 0, sz);
  memcpy(c->out + c->nout, s, n);
  c->nout += sz;
  return 0;
}

static int addparams(DqConn *c, const DqValue *p, int np) {
  if (np == 0) return 0;
  if (np > 255) {
    set_err(c, 25 /* SQLITE_RANGE */, "at most 255 parameters per statement, got %d", np);
    return -1;
  }
  size_t need = pad8(1 + (size_t)np);
  for (int i = 0; i < np; i++) need += value_size(&p[i]);
  if (out_reserve(c, need)) return -1;
  c->nout += dqc_encode_params(c->out + c->nout, need, p, np);
  return 0;
}

/* Reads one response into c->in; a FAILURE becomes DQ_FAIL. */
static int receive(DqConn *c, const char *what) {
  unsigned char hdr[8];
  errno = 0;
  if (read_all(c, hdr, 8)) return io_fail(c, what);
  size_t n = (size_t)get32(hdr) * 8;
  if (n > MAX_MESSAGE) {
    set_err(c, -1, "%s: %s sent a message of %zu bytes", what, c->address, n);
    return io_fail(c, what);
  }
  if (n > c->capin) {
    unsigned char *p = realloc(c->in, n);
    if (!p) { set_err(c, -1, "%s: out of memory", what); return io_fail(c, what); }
    c->in = p;
    c->capin = n;
  }
  if (read_all(c, c->in, n)) return io_fail(c, what);
  c->nin = n;
  c->intype = hdr[4];
  if (c->intype == RES_FAILURE) {
    size_t pos = 8;
    const char *m = "";
    size_t mlen = 0;
    if (n < 8 || get_text(c->in, n, &pos, &m, &mlen)) m = "?", mlen = 1;
    set_err(c, n >= 8 ? (int)get64(c->in) : 1, "%.*s", (int)mlen, m);
    return DQ_FAIL;
  }
  return DQ_OK;
}

static int send_request(DqConn *c, int type, const char *what) {
  if (c->fd < 0) {
    set_err(c, -1, "%s: not connected to %s", what, c->address);
    return DQ_IO;
  }
  if (c->nout == 8 && add64(c, 0)) return DQ_FAIL;   /* bodies are never empty */
  dqc_encode_header(c->out, type, 0, c->nout - 8);
  errno = 0;
  if (write_all(c, c->out, c->nout)) return io_fail(c, what);
  return DQ_OK;
}

static int roundtrip(DqConn *c, int type, int expect, const char *what) {
  int rc = send_request(c, type, what);
  if (rc == DQ_OK) rc = receive(c, what);
  if (rc == DQ_OK && c->intype != expect) {
    set_err(c, -1, "%s: unexpected response type %d from %s", what, c->intype, c->address);
    return io_fail(c, what);
  }
  return rc;
}

/* ---------------------------------------------------------------- connect */

int dqc_connect(const char *address, int timeout_ms, DqConn **out, char **err) {
  *out = NULL;
  *err = NULL;
  char host[256];
  const char *colon = strrchr(address, ':');
  if (!colon || colon == address || (size_t)(colon - address) >= sizeof host || !colon[1]) {
    if (asprintf(err, "bad node address %s (want HOST:PORT)", address) < 0) *err = NULL;
    return DQ_IO;
  }
  memcpy(host, address, (size_t)(colon - address));
  host[colon - address] = 0;
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int g = getaddrinfo(host, colon + 1, &hints, &res);
  if (g != 0) {
    if (asprintf(err, "%s: %s", address, gai_strerror(g)) < 0) *err = NULL;
    return DQ_IO;
  }
  DqConn *c = calloc(1, sizeof *c);
  if (!c || !(c->address = strdup(address))) {
    free(c);
    freeaddrinfo(res);
    *err = strdup("out of memory");
    return DQ_IO;
  }
  c->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
  c->fd = -1;
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int ok = fd >= 0;
  if (ok && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) ok = 0;
    else {
      c->fd = fd;
      if (wait_fd(c, POLLOUT)) ok = 0;
      else {
        int e = 0;
        socklen_t l = sizeof e;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l);
        if (e) { errno = e; ok = 0; }
      }
    }
  }
  freeaddrinfo(res);
  if (!ok) {
    if (asprintf(err, "cannot connect to %s: %s", address, strerror(errno)) < 0) *err = NULL;
    if (fd >= 0) close(fd);
    free(c->address);
    free(c);
    return DQ_IO;
  }
  c->fd = fd;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  unsigned char v[8];
  put64(v, 1);   /* protocol version 1 */
  if (out_reserve(c, 4096) || write_all(c, v, 8)) {
    if (asprintf(err, "cannot connect to %s: handshake failed", address) < 0) *err = NULL;
    dqc_close(c);
    return DQ_IO;
  }
  *out = c;
  return DQ_OK;
}

void dqc_close(DqConn *c) {
  if (!c) return;
  if (c->fd >= 0) close(c->fd);
  free(c->address);
  free(c->out);
  free(c->in);
  free(c);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One pass over the list: 0 with *out on the leader, else -1. */
static int find_leader_once(const char *addresses, DqConn **out, char **why) {
  char *list = strdup(addresses), *save = NULL;
  if (!list) return -1;
  int found = -1;
  for (char *a = strtok_r(list, ",", &save); a && found; a = strtok_r(NULL, ",", &save)) {
    while (*a == ' ') a++;
    DqConn *c = NULL;
    char *err = NULL;
    if (dqc_connect(a, 1000, &c, &err) != DQ_OK) {
      free(*why);
      *why = err;
      continue;
    }
    uint64_t id = 0;
    char *leader = NULL;
    if (dqc_leader(c, &id, &leader) != DQ_OK || id == 0 || !leader || !*leader) {
      free(*why);
      if (asprintf(why, "%s knows no leader%s%s", a, c->errmsg[0] ? ": " : "", c->errmsg) < 0)
        *why = NULL;
      free(leader);
      dqc_close(c);
      continue;
    }
    if (strcmp(leader, a) != 0) {
      dqc_close(c);
      c = NULL;
      if (dqc_connect(leader, 1000, &c, &err) != DQ_OK) {
        free(*why);
        *why = err;
        free(leader);
        continue;
      }
    }
    /* the leader must agree that it leads */
    uint64_t id2 = 0;
    char *again = NULL;
    if (dqc_leader(c, &id2, &again) == DQ_OK && id2 == id) {
      found = 0;
      c->timeout_ms = 10000;
      *out = c;
    } else {
      dqc_close(c);
    }
    free(again);
    free(leader);
  }
  free(list);
  return found;
}

int dqc_connect_leader(const char *addresses, int wait_ms, DqConn **out, char **err) {
  *out = NULL;
  *err = NULL;
  double end = now_ms() + wait_ms;
  char *why = NULL;
  for (;;) {
    if (find_leader_once(addresses, out, &why) == 0) {
      free(why);
      return DQ_OK;
    }
    if (now_ms() >= end) break;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (asprintf(err, "no leader found among %s within %.1f s%s%s", addresses,
               wait_ms / 1000.0, why ? " (last: " : "", why ? why : "") < 0)
    *err = NULL;
  else if (why) {
    char *e2 = NULL;
    if (asprintf(&e2, "%s)", *err) >= 0) { free(*err); *err = e2; }
  }
  free(why);
  return DQ_IO;
}

/* ---------------------------------------------------------------- requests */

int dqc_leader(DqConn *c, uint64_t *id, char **address) {
  *id = 0;
  *address = NULL;
  begin(c);
  add64(c, 0);
  int rc = roundtrip(c, REQ_LEADER, RES_NODE, "leader");
  if (rc != DQ_OK) return rc;
  size_t pos = 8;
  const char *s;
  size_t n;
  if (c->nin < 16 || get_text(c->in, c->nin, &pos, &s, &n)) {
    set_err(c, -1, "leader: malformed answer from %s", c->address);
    return io_fail(c, "leader");
  }
  *id = get64(c->in);
  *address = strndup(s, n);
  return DQ_OK;
}

int dqc_open(DqConn *c, const char *name, uint32_t *db) {
  begin(c);
  if (addtext(c, name) || add64(c, 0) || addtext(c, "")) return DQ_FAIL;
  int rc = roundtrip(c, REQ_OPEN, RES_DB, "open");
  if (rc == DQ_OK) *db = get32(c->in);
  return rc;
}

int dqc_prepare(DqConn *c, uint32_t db, const char *sql, uint32_t *stmt,
                uint64_t *nparams) {
  begin(c);
  if (add64(c, db) || addtext(c, sql)) return DQ_FAIL;
  int rc = roundtrip(c, REQ_PREPARE, RES_STMT, "prepare");
  if (rc != DQ_OK) return rc;
  if (c->nin < 16) return io_fail(c, "prepare");
  *stmt = get32(c->in + 4);
  if (nparams) *nparams = get64(c->in + 8);
  return DQ_OK;
}

static void read_result(DqConn *c, uint64_t *last_id, uint64_t *changes) {
  if (last_id) *last_id = c->nin >= 8 ? get64(c->in) : 0;
  if (changes) *changes = c->nin >= 16 ? get64(c->in + 8) : 0;
}

int dqc_exec(DqConn *c, uint32_t db, uint32_t stmt, const DqValue *p, int np,
             uint64_t *last_id, uint64_t *changes) {
  begin(c);
  if (add32pair(c, db, stmt) || addparams(c, p, np)) return DQ_FAIL;
  int rc = roundtrip(c, REQ_EXEC, RES_RESULT, "exec");
  if (rc == DQ_OK) read_result(c, last_id, changes);
  return rc;
}

/* Reads row batches until the end marker, calling fn per row. */
static int read_rows(DqConn *c, dq_row_fn fn, void *ctx, const char *what) {
  int stop = 0, rc = DQ_OK, header_done = 0;
  DqValue *row = NULL;
  char **names = NULL;
  int ncol = 0;
  for (;;) {
    if (c->intype != RES_ROWS) {
      set_err(c, -1, "%s: unexpected response type %d", what, c->intype);
      rc = io_fail(c, what);
      break;
    }
    size_t n = c->nin, pos = 0;
    if (n < 8) { rc = io_fail(c, what); break; }
    uint64_t nc = get64(c->in);
    pos = 8;
    if (nc > 32767) { set_err(c, -1, "%s: bad column count", what); rc = io_fail(c, what); break; }
    if (names == NULL) {
      ncol = (int)nc;
      names = calloc((size_t)ncol + 1, sizeof *names);
      row = calloc((size_t)ncol + 1, sizeof *row);
      if (!names || !row) { set_err(c, -1, "%s: out of memory", what); rc = io_fail(c, what); break; }
    }
    int bad = (int)nc != ncol;
    for (int j = 0; j < ncol && !bad; j++) {
      const char *s;
      size_t len;
      if (get_text(c->in, n, &pos, &s, &len)) bad = 1;
      else names[j] = (char *)s;   /* valid for this batch */
    }
    if (!bad && !header_done) {
      header_done = 1;
      if (fn && fn(ctx, ncol, names, NULL)) stop = 1;
    }
    int more = -1;
    while (!bad) {
      if (pos + 8 > n) { bad = 1; break; }
      if (c->in[pos] == 0xff || c->in[pos] == 0xee) {
        more = c->in[pos] == 0xee;
        break;
      }
      if (dqc_decode_row(c->in, n, &pos, ncol, row)) { bad = 1; break; }
      if (!stop && fn && fn(ctx, ncol, names, row)) stop = 1;
    }
    if (bad) {
      set_err(c, -1, "%s: malformed rows from %s", what, c->address);
      rc = io_fail(c, what);
      break;
    }
    if (!more) break;
    rc = receive(c, what);   /* the next batch */
    if (rc != DQ_OK) break;
  }
  free(names);
  free(row);
  return rc;
}

int dqc_query(DqConn *c, uint32_t db, uint32_t stmt, const DqValue *p, int np,
              dq_row_fn fn, void *ctx) {
  begin(c);
  if (add32pair(c, db, stmt) || addparams(c, p, np)) return DQ_FAIL;
  int rc = send_request(c, REQ_QUERY, "query");
  if (rc == DQ_OK) rc = receive(c, "query");
  if (rc == DQ_OK) rc = read_rows(c, fn, ctx, "query");
  return rc;
}

int dqc_finalize(DqConn *c, uint32_t db, uint32_t stmt) {
  begin(c);
  if (add32pair(c, db, stmt)) return DQ_FAIL;
  return roundtrip(c, REQ_FINALIZE, RES_EMPTY, "finalize");
}

int dqc_exec_sql(DqConn *c, uint32_t db, const char *sql, const DqValue *p,
                 int np, uint64_t *changes) {
  begin(c);
  if (add64(c, db) || addtext(c, sql) || addparams(c, p, np)) return DQ_FAIL;
  int rc = roundtrip(c, REQ_EXEC_SQL, RES_RESULT, "exec");
  if (rc == DQ_OK) read_result(c, NULL, changes);
  return rc;
}

int dqc_query_sql(DqConn *c, uint32_t db, const char *sql, const DqValue *p,
                  int np, dq_row_fn fn, void *ctx) {
  begin(c);
  if (add64(c, db) || addtext(c, sql) || addparams(c, p, np)) return DQ_FAIL;
  int rc = send_request(c, REQ_QUERY_SQL, "query");
  if (rc == DQ_OK) rc = receive(c, "query");
  if (rc == DQ_OK) rc = read_rows(c, fn, ctx, "query");
  return rc;
}

void dqc_nodes_free(DqNode *nodes, int n) {
  for (int i = 0; nodes && i < n; i++) free(nodes[i].address);
  free(nodes);
}

int dqc_cluster(DqConn *c, DqNode **nodes, int *count) {
  *nodes = NULL;
  *count = 0;
  begin(c);
  add64(c, 1);   /* format 1: with roles */
  int rc = roundtrip(c, REQ_CLUSTER, RES_NODES, "cluster");
  if (rc != DQ_OK) return rc;
  size_t pos = 8;
  uint64_t n = c->nin >= 8 ? get64(c->in) : 0;
  if (n > 1000) return io_fail(c, "cluster");
  DqNode *v = calloc(n + 1, sizeof *v);
  if (!v) return io_fail(c, "cluster");
  for (uint64_t i = 0; i < n; i++) {
    const char *s;
    size_t len;
    if (pos + 8 > c->nin) goto bad;
    v[i].id = get64(c->in + pos);
    pos += 8;
    if (get_text(c->in, c->nin, &pos, &s, &len) || pos + 8 > c->nin) goto bad;
    v[i].address = strndup(s, len);
    v[i].role = (int)get64(c->in + pos);
    pos += 8;
  }
  *nodes = v;
  *count = (int)n;
  return DQ_OK;
bad:
  dqc_nodes_free(v, (int)n);
  set_err(c, -1, "cluster: malformed answer from %s", c->address);
  return io_fail(c, "cluster");
}

int dqc_add(DqConn *c, uint64_t id, const char *address) {
  begin(c);
  if (add64(c, id) || addtext(c, address)) return DQ_FAIL;
  return roundtrip(c, REQ_ADD, RES_EMPTY, "add");
}

int dqc_assign(DqConn *c, uint64_t id, int role) {
  begin(c);
  if (add64(c, id) || add64(c, (uint64_t)role)) return DQ_FAIL;
  return roundtrip(c, REQ_ASSIGN, RES_EMPTY, "assign");
}

int dqc_remove(DqConn *c, uint64_t id) {
  begin(c);
  if (add64(c, id)) return DQ_FAIL;
  return roundtrip(c, REQ_REMOVE, RES_EMPTY, "remove");
}

int dqc_dump(DqConn *c, const char *name, unsigned char **db, size_t *ndb,
             unsigned char **wal, size_t *nwal) {
  *db = *wal = NULL;
  *ndb = *nwal = 0;
  begin(c);
  if (addtext(c, name)) return DQ_FAIL;
  int rc = roundtrip(c, REQ_DUMP, RES_FILES, "dump");
  if (rc != DQ_OK) return rc;
  size_t pos = 8;
  uint64_t nf = c->nin >= 8 ? get64(c->in) : 0;
  for (uint64_t f = 0; f < nf; f++) {
    const char *s;
    size_t len;
    if (get_text(c->in, c->nin, &pos, &s, &len) || pos + 8 > c->nin) goto bad;
    uint64_t size = get64(c->in + pos);
    pos += 8;
    if (size > c->nin - pos) goto bad;
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy) goto bad;
    memcpy(copy, c->in + pos, size);
    pos += pad8(size);
    if (f == 0) { *db = copy; *ndb = size; }
    else if (f == 1) { *wal = copy; *nwal = size; }
    else free(copy);
  }
  return DQ_OK;
bad:
  free(*db);
  free(*wal);
  *db = *wal = NULL;
  set_err(c, -1, "dump: malformed answer from %s", c->address);
  return io_fail(c, "dump");
}

/* ---------------------------------------------------------------- parameters */

void dqc_names_free(char **names, int n) {
  for (int i = 0; names && i < n; i++) free(names[i]);
  free(names);
}

static int is_id(unsigned char ch) {
  return ch == '_' || ch == '$' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

int dqc_param_names(const char *sql, char ***out) {
  char **v = NULL;
  int n = 0, cap = 0;
  const char *z = sql;
  *out = NULL;
  while (*z) {
    char ch = *z;
    if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
      char close = ch == '[' ? ']' : ch;
      z++;
      while (*z) {
        if (*z == close) {
          if (close != ']' && z[1] == close) { z += 2; continue; }
          break;
        }
        z++;
      }
      if (*z) z++;
      continue;
    }
    if (ch == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
      continue;
    }
    if (ch == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      z = e ? e + 2 : z + strlen(z);
      continue;
    }
    int idx = 0;
    char *name = NULL;
    if (ch == '?') {
      const char *s = ++z;
      long num = 0;
      while (*z >= '0' && *z <= '9') num = num * 10 + (*z++ - '0');
      if (z == s) idx = n + 1;
      else {
        if (num < 1 || num > 32766) goto fail;
        idx = (int)num;
        name = strndup(s - 1, (size_t)(z - s + 1));
        if (!name) goto fail;
      }
    } else if ((ch == ':' || ch == '@' || ch == '$') && is_id((unsigned char)z[1]) &&
               !(ch == ':' && z > sql && z[-1] == ':')) {
      const char *s = z++;
      while (is_id((unsigned char)*z) || (ch == '$' && z[0] == ':' && z[1] == ':' && (z += 1)))
        z++;
      name = strndup(s, (size_t)(z - s));
      if (!name) goto fail;
      for (int i = 0; i < n; i++)
        if (v[i] && !strcmp(v[i], name)) idx = i + 1;
      if (idx) { free(name); continue; }
      idx = n + 1;
    } else {
      /* skip a whole identifier or number so "x:y" inside one is not a name */
      if (is_id((unsigned char)ch)) {
        while (is_id((unsigned char)*z)) z++;
      } else {
        z++;
      }
      continue;
    }
    if (idx > cap) {
      int nc = idx + 16;
      char **nv = realloc(v, sizeof *v * (size_t)nc);
      if (!nv) { free(name); goto fail; }
      memset(nv + cap, 0, sizeof *nv * (size_t)(nc - cap));
      v = nv;
      cap = nc;
    }
    if (idx > n) n = idx;
    if (name && !v[idx - 1]) v[idx - 1] = name;
    else free(name);
  }
  *out = v;
  return n;
fail:
  dqc_names_free(v, cap);
  return -1;
}
