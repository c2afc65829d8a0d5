/*
** bench.c -- times territory's functions against the best pure-SQL
** formulation of the same answer, and against a plain scan of the same rows.
**
**   bench-run DB [--runs N] [--only NAME] [--workloads DIR] [--reports DIR]
**             [--md FILE] [--cache-mb M] [--limit SECONDS] [--side a|b|f]
**             [--min-sample-ms MS] [--demo DEMO_DB]
**
** DB is a database made by bench/gen.c.  The program links libterritory.a
** and registers it on its connection, so (a) and (b) run in one process, on
** one connection, on the same pages.  Each workload is one SQL file in
** bench/workloads/ (format: load_workload below) with these sections:
**
**   setup   untimed SQL that materialises the workload's input in a TEMP
**           table, so the timings measure the computation, not the joins
**           that gather the input (they would be the same for (a) and (b));
**   (a)     the query written with territory's functions;
**   (b)     the best pure-SQL query an expert would write for the same answer
**           (window functions, integer arithmetic, date comparisons);
**   floor   a plain scan returning the same input rows (same number of rows
**           through the same loop), the least any formulation must pay.
**
** Every query is stepped to its end and each row is folded into an
** order-independent hash (numbers compared by value to about 12 significant
** digits, so an integer 3 and a real 3.0 agree): (a) and (b) must return
** the same multiset of rows.  Times are CPU time of the process (the machine
** may be shared; wall time is shown for (a) too), the median of N runs
** interleaved a, b, floor, a, b, floor, ...; a run of a query faster than
** --min-sample-ms (200) repeats it back to back that long and counts the
** mean; a query running past --limit (60 s) is interrupted and shown so.
** Peak memory is SQLite's own heap high-water mark (sqlite3_status64
** SQLITE_STATUS_MEMORY_USED, which counts the extension's sqlite3_malloc64
** calls too) above what was in use when the query started: sorters, window
** buffers and the extension's own buffers, not pages already cached.  The
** process's ru_maxrss is printed at the end.
**
** A workload whose territory function is not registered says so in place of
** its numbers; a query that fails shows its error.  Canned reports
** (sql/reports/NAME.sql) are timed through shell/report.c, each inside a
** transaction that is rolled back, with their default parameters; with
** --demo, once more on the demo database.  The table ends with the goals of
** issue 18 and whether this run meets each (print_goals).
*/
#include "report.h"
#include "territory.h"
#include "tuning.h"

#include <dirent.h>
#include <stddef.h>
#include <stdarg.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define AS_OF "2026-09-15"

/* One workload, read from a file of bench/workloads/ (see load_workload). */
typedef struct Workload {
  char *name;
  char *needs;  /* functions (a) uses, space separated */
  char *note;
  char *setup;  /* untimed; may be empty */
  char *a, *b, *floor;
} Workload;

static char *slurp(const char *path);

static void append(char **dst, const char *line, size_t n) {
  size_t have = *dst ? strlen(*dst) : 0;
  *dst = realloc(*dst, have + n + 2);
  memcpy(*dst + have, line, n);
  (*dst)[have + n] = '\n';
  (*dst)[have + n + 1] = 0;
}

/* A workload file is SQL in sections, each opened by a line of its own:
**   -- workload: NAME          -- needs: fn1 fn2         -- note: text
**   -- setup:   untimed statements (TEMP tables of the input)
**   -- a:       one query with territory's functions
**   -- b:       one pure-SQL query for the same rows
**   -- floor:   one query returning the input rows
** Returns 0, or -1 with a message on stderr. */
static int load_workload(const char *path, Workload *w) {
  char *text = slurp(path), *p, **cur = 0;
  memset(w, 0, sizeof *w);
  if (!text) { perror(path); return -1; }
  for (p = text; *p;) {
    char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    static const struct { const char *tag; size_t off; int header; } T[] = {
      {"-- workload:", offsetof(Workload, name), 1}, {"-- needs:", offsetof(Workload, needs), 1},
      {"-- note:", offsetof(Workload, note), 1},     {"-- setup:", offsetof(Workload, setup), 0},
      {"-- a:", offsetof(Workload, a), 0},           {"-- b:", offsetof(Workload, b), 0},
      {"-- floor:", offsetof(Workload, floor), 0}};
    int hit = 0;
    for (size_t k = 0; k < sizeof T / sizeof T[0]; k++) {
      size_t l = strlen(T[k].tag);
      if (n < l || strncmp(p, T[k].tag, l) != 0) continue;
      char **field = (char **)((char *)w + T[k].off);
      if (T[k].header) {
        const char *v = p + l;
        size_t m = n - l;
        while (m && *v == ' ') v++, m--;
        while (m && (v[m - 1] == ' ' || v[m - 1] == '\r')) m--;
        *field = strndup(v, m);
      } else {
        cur = field;
        if (!*cur) *cur = strdup("");
      }
      hit = 1;
      break;
    }
    if (!hit && cur) append(cur, p, n);
    p += n + (end ? 1 : 0);
  }
  free(text);
  if (!w->name || !w->a) {
    fprintf(stderr, "bench-run: %s: needs '-- workload: NAME' and an '-- a:' section\n", path);
    return -1;
  }
  if (!w->needs) w->needs = strdup("");
  if (!w->setup) w->setup = strdup("");
  return 0;
}

static int cmp_str(const void *a, const void *b);

/* The *.sql files of dir, in name order.  Returns the count. */
static int list_sql(const char *dir, char **names, int max) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  if (!d) return -1;
  while ((e = readdir(d)) && n < max) {
    size_t l = strlen(e->d_name);
    if (l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0) names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  return n;
}

/* ---- running a query and hashing its rows */

typedef struct Run {
  int ok;
  int stopped;         /* ran past the time limit and was interrupted */
  char *err;
  long long rows;
  uint64_t hash;       /* sum of row hashes: independent of row order */
  double ms;           /* CPU time of this process (user + system) */
  double wall;         /* wall-clock time */
  long long peak;      /* bytes of SQLite heap above the level at start */
} Run;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* A query that runs past the limit is interrupted: one quadratic report
** must not hold the whole bench for hours.  It is shown as "> limit". */
static double limit_ms = 60000, deadline;
static double min_sample_ms = 200;
static int stopped;
static int past_deadline(void *unused) {
  (void)unused;
  if (now_ms() > deadline) stopped = 1;
  return stopped;
}
static void arm(sqlite3 *db) {
  stopped = 0;
  deadline = now_ms() + limit_ms;
  sqlite3_progress_handler(db, 20000, past_deadline, 0);
}

/* CPU time: the machine is shared, and a query's CPU time moves far less
** with the neighbours' load than its wall-clock time does. */
static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* One word into the running hash: a multiply a value (the row hash runs
** for every value of every row read, and is counted in the report's time:
** a byte-wise hash cost 0.4 s of decompose's 700,000 rows at SCALE=1). */
static uint64_t hash_word(uint64_t h, uint64_t v) {
  h = (h << 5 | h >> 59) ^ v;
  return h * 0x9e3779b97f4a7c15ULL;
}

static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n) {
  uint64_t w;
  for (; n >= 8; p += 8, n -= 8) {
    memcpy(&w, p, 8);
    h = hash_word(h, w);
  }
  w = 0;
  memcpy(&w, p, n);
  return hash_word(h, w ^ (uint64_t)n << 56);
}

/* Numbers hash by value, not by type: an integer 3 and a real 3.0 agree,
** and reals agree when they match to about 12 significant digits (the
** mantissa rounded to 40 of its 52 bits), so (a) and (b) may round
** differently in the last bits.  No printf, no frexp(): bits only. */
static uint64_t num_hash(uint64_t h, double d, sqlite3_int64 i, int is_int) {
  if (!is_int && d == floor(d) && fabs(d) < 9e15) {
    i = (sqlite3_int64)d;
    is_int = 1;
  }
  if (is_int) return hash_word(hash_word(h, 0x1d), (uint64_t)i);
  uint64_t bits;
  memcpy(&bits, &d, 8);
  bits = (bits + 0x800) & ~(uint64_t)0xfff;
  return hash_word(hash_word(h, 0x2e), bits);
}

static uint64_t row_hash(sqlite3_stmt *s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  int n = sqlite3_column_count(s);
  for (int i = 0; i < n; i++) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_INTEGER:
        h = num_hash(h, 0, sqlite3_column_int64(s, i), 1);
        break;
      case SQLITE_FLOAT:
        h = num_hash(h, sqlite3_column_double(s, i), 0, 0);
        break;
      case SQLITE_NULL:
        h = hash_word(h, 0x4e);
        break;
      default:
        h = hash_word(h, 0x74);
        h = hash_bytes(h, sqlite3_column_text(s, i), (size_t)sqlite3_column_bytes(s, i));
    }
    h = hash_word(h, 0x1f);
  }
  return mix(h);
}

static void run_query(sqlite3 *db, const char *sql, Run *r) {
  sqlite3_int64 cur, hi;
  sqlite3_stmt *s = 0;
  memset(r, 0, sizeof *r);
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 1);
  arm(db);
  double t0 = now_ms(), c0 = cpu_ms();
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, 0);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      r->hash += row_hash(s);
      r->rows++;
    }
  }
  if (rc != SQLITE_DONE) r->err = strdup(sqlite3_errmsg(db));
  sqlite3_finalize(s);
  r->ms = cpu_ms() - c0;
  r->wall = now_ms() - t0;
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
  r->peak = hi - cur > 0 ? hi - cur : 0;
  r->ok = r->err == 0;
  r->stopped = stopped;
}

/* ---- one workload: N interleaved runs of a, b, floor */

typedef struct Result {
  int have_a, have_b, have_f;
  Run a, b, f;          /* first run's rows and hash, median time, max peak */
  char *missing;        /* which function of (a) is not registered */
} Result;

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Run k of a query: the first run's rows and hash are kept, later runs
** must agree with them; the peak is the largest seen; the time goes to t[k]
** (a run that failed or was stopped fills the remaining slots, so the median
** is not flattered). */
static void once(sqlite3 *db, const char *sql, int k, Run *acc, int *have, double *t,
                 double *w) {
  Run r;
  *have = 1;
  run_query(db, sql, &r);
  /* A query faster than min_sample_ms is run back to back until the sample
  ** lasts that long, and the sample's mean is its time: a lone 10 ms run
  ** on a shared machine is mostly scheduling noise. */
  if (r.ok && r.ms < min_sample_ms) {
    double total = r.ms, wall = r.wall;
    int n = 1;
    while (total < min_sample_ms && n < 1000) {
      Run again;
      run_query(db, sql, &again);
      total += again.ms;
      wall += again.wall;
      n++;
      if (again.peak > r.peak) r.peak = again.peak;
      if (!again.ok || again.hash != r.hash || again.rows != r.rows) {
        r.ok = 0;
        r.err = again.err ? again.err : strdup("not deterministic: runs differ");
        again.err = 0;
      }
      free(again.err);
      if (!r.ok) break;
    }
    r.ms = total / n;
    r.wall = wall / n;
  }
  if (k == 0) {
    *acc = r;
  } else {
    if (!r.ok && acc->ok) {
      acc->ok = 0;
      acc->stopped = r.stopped;
      acc->err = r.err;
      r.err = 0;
    } else if (r.ok && (r.hash != acc->hash || r.rows != acc->rows)) {
      acc->ok = 0;
      acc->err = strdup("not deterministic: runs differ");
    }
    if (r.peak > acc->peak) acc->peak = r.peak;
    free(r.err);
  }
  t[k] = r.ms;
  w[k] = r.wall;
}

static int has_function(sqlite3 *db, const char *name) {
  sqlite3_stmt *s;
  int found = 0;
  if (sqlite3_prepare_v2(db,
          "SELECT 1 FROM pragma_function_list WHERE name = ?1"
          " UNION ALL SELECT 1 FROM pragma_module_list WHERE name = ?1",
          -1, &s, 0) == SQLITE_OK) {
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
  }
  return found;
}

static char *missing_functions(sqlite3 *db, const char *needs) {
  char *copy = strdup(needs), *save = 0, *out = 0;
  for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(0, " ", &save)) {
    if (has_function(db, w)) continue;
    size_t n = out ? strlen(out) : 0;
    out = realloc(out, n + strlen(w) + 4);
    sprintf(out + n, "%s%s()", n ? ", " : "", w);
  }
  free(copy);
  return out;
}

/* ---- output */

/* --side a|b|f: run one side only (for perf and callgrind) */
static char side;
static FILE *md;  /* the table also goes here (bench/RESULTS.md) */
static int differ; /* workloads whose (a) and (b) disagree: the exit status says so */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  if (md) {
    va_start(ap, fmt);
    vfprintf(md, fmt, ap);
    va_end(ap);
  }
  fflush(stdout);
}

static void fmt_time(char *buf, size_t n, double ms) {
  if (ms >= 10000) snprintf(buf, n, "%.1f s", ms / 1000);
  else if (ms >= 100) snprintf(buf, n, "%.0f ms", ms);
  else snprintf(buf, n, "%.1f ms", ms);
}

static void fmt_ms(char *buf, size_t n, const Run *r, int have, int wall) {
  if (!have) snprintf(buf, n, "—");
  else if (r->stopped) snprintf(buf, n, "> %g s (stopped)", limit_ms / 1000);
  else if (!r->ok) snprintf(buf, n, "error");
  else fmt_time(buf, n, wall ? r->wall : r->ms);
}

static void fmt_mb(char *buf, size_t n, const Run *r, int have) {
  if (!have || !r->ok) snprintf(buf, n, "—");
  else snprintf(buf, n, "%.1f", r->peak / 1048576.0);
}

/* Every line of the table, kept for the goals (see print_goals). */
typedef struct Seen {
  char name[96];
  int ok_a, ok_b, ok_f, stopped;
  double a, b, f, wall, peak_mb;
} Seen;
static Seen seen[128];
static int nseen;

static void remember(const char *name, const Result *x) {
  if (nseen >= (int)(sizeof seen / sizeof seen[0])) return;
  Seen *z = &seen[nseen++];
  snprintf(z->name, sizeof z->name, "%s", name);
  z->ok_a = x->have_a && x->a.ok;
  z->ok_b = x->have_b && x->b.ok;
  z->ok_f = x->have_f && x->f.ok;
  z->stopped = x->a.stopped;
  z->a = x->a.ms;
  z->b = x->b.ms;
  z->f = x->f.ms;
  z->wall = x->a.wall;
  z->peak_mb = x->a.peak / 1048576.0;
}

static const Seen *find_seen(const char *name) {
  for (int i = 0; i < nseen; i++)
    if (strcmp(seen[i].name, name) == 0) return &seen[i];
  return 0;
}

static void one_line(const char *name, const Result *x) {
  remember(name, x);
  char ta[32], tw[32], tb[32], tf[32], ma[32], mb[32], ba[32], af[32], rows[32];
  const char *check;
  fmt_ms(ta, sizeof ta, &x->a, x->have_a, 0);
  fmt_ms(tw, sizeof tw, &x->a, x->have_a, 1);
  fmt_ms(tb, sizeof tb, &x->b, x->have_b, 0);
  fmt_ms(tf, sizeof tf, &x->f, x->have_f, 0);
  fmt_mb(ma, sizeof ma, &x->a, x->have_a);
  fmt_mb(mb, sizeof mb, &x->b, x->have_b);
  int good_a = x->have_a && x->a.ok, good_b = x->have_b && x->b.ok, good_f = x->have_f && x->f.ok;
  snprintf(ba, sizeof ba, "—");
  snprintf(af, sizeof af, "—");
  if (good_a && good_b) snprintf(ba, sizeof ba, "%.2f", x->b.ms / x->a.ms);
  if (good_a && good_f) snprintf(af, sizeof af, "%.2f", x->a.ms / x->f.ms);
  long long nrows = good_a ? x->a.rows : good_b ? x->b.rows : good_f ? x->f.rows : -1;
  if (nrows >= 0) snprintf(rows, sizeof rows, "%lld", nrows);
  else snprintf(rows, sizeof rows, "—");
  if (x->missing) {
    check = "not built";
  } else if (x->a.stopped || x->b.stopped) {
    check = "too slow";
  } else if (!good_a || (x->have_b && !good_b)) {
    check = "ERROR";
  } else if (!x->have_b) {
    check = "time only";
  } else if (x->a.rows == x->b.rows && x->a.hash == x->b.hash) {
    check = "same";
  } else {
    check = "DIFFER";
    differ++;
  }
  out("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, rows, ta, tb, tf, ba,
      af, tw, ma, mb, check);
}

/* ---- canned reports */

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = 0; }
  if (b) b[n] = 0;
  fclose(f);
  return b;
}

typedef struct Count { long long rows; uint64_t hash; } Count;

static int count_rows(void *ctx, sqlite3_stmt *s, int rc) {
  Count *c = ctx;
  while (rc == SQLITE_ROW) {
    c->hash += row_hash(s);
    c->rows++;
    rc = sqlite3_step(s);
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Values for parameters a report requires: the whole company, product 1. */
static const char *required_value(const char *name) {
  static const struct { const char *name, *value; } V[] = {
    {"unit", "1"}, {"product", "1"}, {"as_of", "'" AS_OF "'"}, {"period", "'2026-06'"},
    {"year", "2026"}, {"total", "1000000000"}, {"plan", "'current'"},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++)
    if (strcmp(V[i].name, name) == 0) return V[i].value;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_reports(sqlite3 *db, const char *dir, int runs, const char *only,
                        const char *prefix) {
  char *names[256];
  int n = list_sql(dir, names, 256);
  if (n < 0) { out("\n(no report directory %s)\n", dir); return; }
  for (int i = 0; i < n; i++) {
    char path[4096], rname[256], label[300];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    snprintf(rname, sizeof rname, "%.*s", (int)strlen(names[i]) - 4, names[i]);
    snprintf(label, sizeof label, "%s %s", prefix, rname);
    if (only && !strstr(label, only)) continue;
    char *text = slurp(path), *err = 0;
    Report r;
    Result x;
    memset(&x, 0, sizeof x);
    if (!text || report_parse(rname, text, &r, &err)) {
      out("| %s | — | error | — | — | — | — | — | — | — | cannot parse: %s |\n", label,
          err ? err : "unreadable");
      free(err);
      free(text);
      continue;
    }
    ReportArg args[32];
    int nargs = 0, unknown = 0;
    for (int k = 0; k < r.nparam && nargs < 32; k++) {
      if (!r.params[k].required) continue;
      const char *v = required_value(r.params[k].name);
      if (!v) { unknown = 1; break; }
      args[nargs].name = r.params[k].name;
      args[nargs++].value = v;
    }
    if (unknown) {
      out("| %s | — | — | — | — | — | — | — | — | — | needs a parameter the bench does not know |\n",
          label);
      report_free(&r);
      free(text);
      continue;
    }
    double *t = calloc((size_t)runs, sizeof *t), *wl = calloc((size_t)runs, sizeof *wl);
    x.have_a = 1;
    x.a.ok = 1;
    for (int k = 0; k < runs && x.a.ok; k++) {
      Count c = {0, 0};
      sqlite3_int64 cur, hi;
      sqlite3_exec(db, "BEGIN", 0, 0, 0);
      sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 1);
      arm(db);
      double t0 = now_ms(), c0 = cpu_ms();
      int rc = report_run(db, &r, args, nargs, count_rows, &c, &err);
      x.a.stopped = stopped;
      t[k] = cpu_ms() - c0;
      wl[k] = now_ms() - t0;
      sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
      sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
      if (hi - cur > x.a.peak) x.a.peak = hi - cur;
      if (rc != SQLITE_OK) {
        x.a.ok = 0;
        x.a.err = err;
        err = 0;
      } else if (k == 0) {
        x.a.rows = c.rows;
        x.a.hash = c.hash;
      }
      if (!x.a.ok)
        for (int j = k + 1; j < runs; j++) t[j] = t[k], wl[j] = wl[k];
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    x.a.ms = t[runs / 2];
    qsort(wl, (size_t)runs, sizeof *wl, cmp_double);
    x.a.wall = wl[runs / 2];
    free(t);
    free(wl);
    one_line(label, &x);
    if (!x.a.ok && !x.a.stopped) out("|  | error: %s ||||||||||\n", x.a.err ? x.a.err : "?");
    free(x.a.err);
    report_free(&r);
    free(text);
  }
  for (int i = 0; i < n; i++) free(names[i]);
}

/* The machine may be shared: say what else was busy.  %CPU is ps's: the
** average over each process's life. */
static void busiest(const char *when) {
  char line[512];
  FILE *f = popen("ps -eo pcpu=,etime=,comm= --sort=-pcpu 2>/dev/null | head -6", "r");
  if (!f) return;
  out("- busiest processes at %s (%%CPU over each one's life, elapsed, command):", when);
  int first = 1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *p = line;
    while (*p == ' ') p++;
    /* squeeze ps's column padding */
    char sq[512];
    size_t n = 0;
    for (char *q = p; *q && n < sizeof sq - 1; q++)
      if (!(*q == ' ' && q[1] == ' ')) sq[n++] = *q;
    sq[n] = 0;
    out("%s %s", first ? "" : ";", sq);
    first = 0;
  }
  out("\n");
  pclose(f);
}

/* ---- the machine */

static void machine(sqlite3 *db, int runs, long cache_mb) {
  char line[512], cpu[256] = "unknown";
  int cores = 0;
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f) {
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "model name", 10) == 0 && strcmp(cpu, "unknown") == 0) {
        char *c = strchr(line, ':');
        if (c) snprintf(cpu, sizeof cpu, "%s", c + 2);
        cpu[strcspn(cpu, "\n")] = 0;
      }
      if (strncmp(line, "processor", 9) == 0) cores++;
    }
    fclose(f);
  }
  char load[128] = "?";
  f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fgets(load, sizeof load, f)) load[strcspn(load, "\n")] = 0;
    fclose(f);
  }
  sqlite3_stmt *s;
  char meta[256] = "?";
  if (sqlite3_prepare_v2(db, "SELECT group_concat(key || ' ' || value, ', ') FROM bench_meta",
                         -1, &s, 0) == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      snprintf(meta, sizeof meta, "%s", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
  out("- machine: %s, %d cores; load average at start: %s\n", cpu, cores, load);
  out("- SQLite %s (library), compiler: %s, territory %s\n", sqlite3_libversion(),
#ifdef __clang__
      "clang " __clang_version__,
#else
      "gcc " __VERSION__,
#endif
      TERRITORY_VERSION);
  out("- database: %s; opened as the shell opens it (shell/tuning.h: memory-mapped up to 2 GB,"
      " temp_store MEMORY), page cache %ld MB, NOMUTEX (one thread)\n",
      meta, cache_mb);
  busiest("start");
  out("- each time is the median of %d interleaved runs (a, b, floor, a, b, floor, ...), in CPU time (user + system) of the process; 'a wall' is (a)'s wall-clock median;"
      " a run of a query faster than %.0f ms is the mean of back-to-back repeats lasting that long;"
      " a query still running after %g s is stopped and not repeated\n", runs, min_sample_ms,
      limit_ms / 1000);
}

/* The goals of issue 18, judged on this run's table: a ratio between two
** columns of one workload, or a bound over every canned report.  Each line
** says the goal, what was measured and whether it holds; a workload that
** did not run is "not measured", never a pass. */
typedef struct Goal {
  const char *what;
  const char *workload; /* NULL: every "report ..." line (prefix) */
  char kind;            /* 'r' b/a >= x, 'f' a/floor <= x, 'w' wall ms <= x, 'm' peak MB <= x */
  double limit;
} Goal;

static void print_goals(const char *prefix) {
  static const Goal goals[] = {
      {"every canned report at most 2 s (wall)", "report ", 'w', 2000},
      {"no canned report above 500 MB (SQLite heap peak)", "report ", 'm', 500},
      {"every canned report at most 100 ms on the demo (wall)", "demo report ", 'w', 100},
      {"segment at least 10x faster than the pure-SQL median-and-join (b/a)", "segment", 'r', 10},
      {"segment at most 4x a plain scan of its input (a/floor)", "segment", 'f', 4},
      {"deciles() at least 4x faster than the window formulation (b/a)", "deciles()", 'r', 4},
      {"abc() at least 4x faster than the window formulation (b/a), per territory", "abc()", 'r', 4},
      {"abc() at least 4x faster than the window formulation (b/a), customers", "abc() customers", 'r', 4},
      {"one 1,000,000-row allocate at most 3.5x a plain scan of its input (a/floor)", "allocate 1 x N", 'f', 3.5},
  };
  int held = 0, total = 0;
  out("\n## Goals (issue 18), judged on this run\n\n| goal | measured | holds |\n|---|---|---|\n");
  for (size_t g = 0; g < sizeof goals / sizeof goals[0]; g++) {
    const Goal *G = &goals[g];
    char measured[512] = "not measured";
    int ok = 0, any = 0;
    if (G->kind == 'w' || G->kind == 'm') {
      const Seen *worst = 0;
      int over = 0, failed = 0;
      char list[400] = "";
      for (int i = 0; i < nseen; i++) {
        const Seen *z = &seen[i];
        if (strncmp(z->name, G->workload, strlen(G->workload)) != 0) continue;
        any = 1;
        if (!z->ok_a) { failed++; continue; }
        double v = G->kind == 'w' ? z->wall : z->peak_mb;
        if (!worst || v > (G->kind == 'w' ? worst->wall : worst->peak_mb)) worst = z;
        if (v > G->limit) {
          over++;
          size_t n = strlen(list);
          snprintf(list + n, sizeof list - n, "%s%s %.*f%s", n ? ", " : "", z->name + strlen(G->workload),
                   G->kind == 'w' ? 2 : 0, G->kind == 'w' ? v / 1000 : v, G->kind == 'w' ? " s" : " MB");
        }
      }
      if (any && worst) {
        ok = over == 0 && failed == 0;
        snprintf(measured, sizeof measured, "worst: %s %.*f%s%s%s%s", worst->name + strlen(G->workload),
                 G->kind == 'w' ? 2 : 0, G->kind == 'w' ? worst->wall / 1000 : worst->peak_mb,
                 G->kind == 'w' ? " s" : " MB", over ? "; above: " : "", list,
                 failed ? "; some reports failed" : "");
      }
    } else {
      const Seen *z = find_seen(G->workload);
      if (z && z->ok_a && (G->kind == 'r' ? z->ok_b : z->ok_f)) {
        any = 1;
        double v = G->kind == 'r' ? z->b / z->a : z->a / z->f;
        ok = G->kind == 'r' ? v >= G->limit : v <= G->limit;
        snprintf(measured, sizeof measured, "%s: %s = %.2f", G->workload,
                 G->kind == 'r' ? "b/a" : "a/floor", v);
      } else {
        any = 0;
      }
    }
    total++;
    held += any && ok;
    out("| %s | %s | %s |\n", G->what, measured, !any ? "not measured" : ok ? "yes" : "**no**");
  }
  out("\n%d of %d goals hold in this run%s.\n", held, total, prefix);
}

#define USAGE                                                                       \
  "usage: bench-run DB [--runs N] [--only NAME] [--workloads DIR] [--reports DIR]\n"  \
  "                    [--md FILE] [--cache-mb M] [--limit SECONDS] [--side a|b|f]\n" \
  "                    [--min-sample-ms MS] [--demo DEMO_DB]\n"

int main(int argc, char **argv) {
  const char *path = 0, *only = 0, *reports = "sql/reports", *mdpath = 0;
  const char *wdir = "bench/workloads", *demo = 0;
  int runs = 3;
  long cache_mb = 256;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else if (!strcmp(argv[i], "--reports") && i + 1 < argc) reports = argv[++i];
    else if (!strcmp(argv[i], "--workloads") && i + 1 < argc) wdir = argv[++i];
    else if (!strcmp(argv[i], "--md") && i + 1 < argc) mdpath = argv[++i];
    else if (!strcmp(argv[i], "--demo") && i + 1 < argc) demo = argv[++i];
    else if (!strcmp(argv[i], "--cache-mb") && i + 1 < argc) cache_mb = atol(argv[++i]);
    else if (!strcmp(argv[i], "--min-sample-ms") && i + 1 < argc) min_sample_ms = atof(argv[++i]);
    else if (!strcmp(argv[i], "--side") && i + 1 < argc) side = argv[++i][0];
    else if (!strcmp(argv[i], "--limit") && i + 1 < argc) limit_ms = atof(argv[++i]) * 1000;
    else if (argv[i][0] != '-' && !path) path = argv[i];
    else {
      fprintf(stderr, "%s", USAGE);
      return 2;
    }
  }
  if (!path || runs < 1) {
    fprintf(stderr, "%s", USAGE);
    return 2;
  }
  sqlite3 *db;
  /* NOMUTEX: one thread uses the connection, as in the shell; in the
  ** default (serialized) mode every sqlite3_column_*() call takes and
  ** releases the connection's mutex, which a report of 700,000 rows read
  ** column by column pays about 0.2 s for */
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, 0) != SQLITE_OK) {
    fprintf(stderr, "bench-run: cannot open %s: %s\n", path, sqlite3_errmsg(db));
    return 1;
  }
  if (territory_register(db) != SQLITE_OK) {
    fprintf(stderr, "bench-run: cannot register territory: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  char pragma[256];
  /* the shell's settings, then the page cache asked for (the shell's by
  ** default) */
  snprintf(pragma, sizeof pragma, SHELL_TUNING_SQL " PRAGMA cache_size=-%ld;", cache_mb * 1024);
  sqlite3_exec(db, pragma, 0, 0, 0);
  if (mdpath) {
    md = fopen(mdpath, "a");
    if (!md) { perror(mdpath); return 1; }
  }
  char *files[256];
  int nfiles = list_sql(wdir, files, 256);
  if (nfiles < 0) { fprintf(stderr, "bench-run: no workload directory %s\n", wdir); return 1; }
  Workload *work = calloc((size_t)nfiles + 1, sizeof *work);
  int nwork = 0;
  for (int i = 0; i < nfiles; i++) {
    char wpath[4096];
    snprintf(wpath, sizeof wpath, "%s/%s", wdir, files[i]);
    if (load_workload(wpath, &work[nwork]) != 0) return 1;
    nwork++;
    free(files[i]);
  }
  machine(db, runs, cache_mb);
  out("\n| workload | rows | a: territory | b: pure SQL | floor: scan | b/a | a/floor"
      " | a wall | peak MB a | peak MB b | a = b |\n");
  out("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");

  /* warm the page cache: the first workload should not pay for reading
  ** the file from disk while the others do not */
  sqlite3_exec(db, "SELECT count(*) FROM rx; SELECT count(*) FROM invoice;"
                   " SELECT count(*) FROM goal; SELECT count(*) FROM target;", 0, 0, 0);
  for (int i = 0; i < nwork; i++) {
    const Workload *w = &work[i];
    Result x;
    char *err = 0;
    if (only && !strstr(w->name, only)) continue;
    memset(&x, 0, sizeof x);
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    if (w->setup[0] && sqlite3_exec(db, w->setup, 0, 0, &err) != SQLITE_OK) {
      out("| %s | — | — | — | — | — | — | — | — | — | setup failed: %s |\n", w->name, err);
      sqlite3_free(err);
      sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
      continue;
    }
    x.missing = missing_functions(db, w->needs);
    double *ta = calloc((size_t)runs, sizeof(double)), *tb = calloc((size_t)runs, sizeof(double)),
           *tf = calloc((size_t)runs, sizeof(double)), *wa = calloc((size_t)runs, sizeof(double)),
           *wx = calloc((size_t)runs, sizeof(double));
    /* interleave: a, b, floor per round, so drift in machine load hits all */
    for (int k = 0; k < runs; k++) {
      if ((!side || side == 'a') && !x.missing && (k == 0 || x.a.ok))
        once(db, w->a, k, &x.a, &x.have_a, ta, wa);
      if ((!side || side == 'b') && w->b && (k == 0 || x.b.ok))
        once(db, w->b, k, &x.b, &x.have_b, tb, wx);
      if ((!side || side == 'f') && w->floor && (k == 0 || x.f.ok))
        once(db, w->floor, k, &x.f, &x.have_f, tf, wx);
    }
    qsort(ta, (size_t)runs, sizeof(double), cmp_double);
    qsort(tb, (size_t)runs, sizeof(double), cmp_double);
    qsort(tf, (size_t)runs, sizeof(double), cmp_double);
    qsort(wa, (size_t)runs, sizeof(double), cmp_double);
    if (x.have_a && x.a.ok) x.a.wall = wa[runs / 2];
    free(wa);
    free(wx);
    if (x.have_a && x.a.ok) x.a.ms = ta[runs / 2];
    if (x.have_b && x.b.ok) x.b.ms = tb[runs / 2];
    if (x.have_f && x.f.ok) x.f.ms = tf[runs / 2];
    free(ta);
    free(tb);
    free(tf);
    one_line(w->name, &x);
    if (x.missing)
      out("|  | (a) not measured: %s not registered in this build ||||||||||\n", x.missing);
    if (x.have_a && !x.a.ok && !x.a.stopped) out("|  | (a) error: %s ||||||||||\n", x.a.err);
    if (x.have_b && !x.b.ok && !x.b.stopped) out("|  | (b) error: %s ||||||||||\n", x.b.err);
    if (x.have_a && x.have_b && x.a.ok && x.b.ok && x.a.rows != x.b.rows)
      out("|  | rows differ: a %lld, b %lld ||||||||||\n", x.a.rows, x.b.rows);
    free(x.missing);
    free(x.a.err);
    free(x.b.err);
    free(x.f.err);
    sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
  }
  if (reports) run_reports(db, reports, runs, only, "report");
  if (reports && demo) {
    sqlite3 *dd;
    if (sqlite3_open_v2(demo, &dd, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, 0) == SQLITE_OK &&
        territory_register(dd) == SQLITE_OK) {
      out("\nThe same reports on the demo territory (%s):\n\n", demo);
      out("| workload | rows | a: territory | b: pure SQL | floor: scan | b/a | a/floor"
          " | a wall | peak MB a | peak MB b | a = b |\n");
      out("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
      run_reports(dd, reports, runs, only, "demo report");
    } else {
      out("\n(cannot open the demo database %s)\n", demo);
    }
    sqlite3_close(dd);
  }
  if (!only) {
    char scale[64] = "";
    sqlite3_stmt *sc;
    if (sqlite3_prepare_v2(db, "SELECT value FROM bench_meta WHERE key = 'scale'", -1, &sc, 0) ==
        SQLITE_OK) {
      if (sqlite3_step(sc) == SQLITE_ROW && sqlite3_column_text(sc, 0))
        snprintf(scale, sizeof scale, " (scale %s; the goals are set for scale 1)",
                 sqlite3_column_text(sc, 0));
      sqlite3_finalize(sc);
    }
    print_goals(scale);
  }

  out("\nWorkloads (the SQL of each side is in %s):\n\n", wdir);
  for (int i = 0; i < nwork; i++)
    if (!only || strstr(work[i].name, only))
      out("- %s: %s\n", work[i].name, work[i].note ? work[i].note : "");

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  char load[128] = "?";
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fgets(load, sizeof load, f)) load[strcspn(load, "\n")] = 0;
    fclose(f);
  }
  out("\n");
  busiest("end");
  out("- process peak resident set (ru_maxrss, whole run): %.0f MB; CPU %.1f s user,"
      " %.1f s system; load average at end: %s\n",
      ru.ru_maxrss / 1024.0, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, load);
  if (md) fclose(md);
  for (int i = 0; i < nwork; i++) {
    free(work[i].name);
    free(work[i].needs);
    free(work[i].note);
    free(work[i].setup);
    free(work[i].a);
    free(work[i].b);
    free(work[i].floor);
  }
  free(work);
  sqlite3_close(db);
  if (differ) fprintf(stderr, "bench-run: %d workload(s) where (a) and (b) differ\n", differ);
  return differ ? 3 : 0;
}
