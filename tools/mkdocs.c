/*
** mkdocs.c -- builds docs/reference.md from the docs/src/NN-topic.md files by
** running every example, so the documented output is the real output.
**
**   mkdocs OUT.md SRC.md...        write the reference
**   mkdocs --check REF.md SRC.md...  exit 1 (with a diff-like line) when REF
**                                  differs from what SRC would produce now
**
** In a source file, a fenced block opened with ```sql is run on a fresh
** :memory: database with the extension registered (```sql demo: on
** build/demo.db, read-only) and followed in the output by its result as a
** ```text block: a header line, a separator and one line per row, columns
** separated by " | ", NULL shown as NULL; an error shows as
** "Error: message".  Anything between the ```sql block and the next
** non-blank line that starts a previously generated ```text block is
** replaced, so sources never carry output.
**
** A block opened with ```report demo (or ```report) holds one line,
** `NAME key=value ...`: the canned report sql/reports/NAME.sql is run the
** way the shell's .report runs it (shell/report.c), and every result set
** it prints follows in one ```text block, a blank line between them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "territory.h"
#include "../shell/report.h"

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  if (b) b[n] = 0;
  fclose(f);
  return b;
}

static const char *demo_path = "build/demo.db";

/* Prints the rows of st, which is positioned on its first row (rc). */
static int print_rows(sqlite3_str *out, sqlite3_stmt *st, int rc) {
  int nc = sqlite3_column_count(st);
  if (nc > 0 && (rc == SQLITE_ROW || rc == SQLITE_DONE)) {
    for (int i = 0; i < nc; i++)
      sqlite3_str_appendf(out, "%s%s", i ? " | " : "", sqlite3_column_name(st, i));
    sqlite3_str_appendall(out, "\n");
    for (int i = 0; i < nc; i++) {
      int w = (int)strlen(sqlite3_column_name(st, i));
      sqlite3_str_appendf(out, "%s", i ? "-|-" : "");
      sqlite3_str_appendchar(out, w < 1 ? 1 : w, '-');
    }
    sqlite3_str_appendall(out, "\n");
  }
  while (rc == SQLITE_ROW) {
    for (int i = 0; i < nc; i++) {
      if (i) sqlite3_str_appendall(out, " | ");
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: sqlite3_str_appendall(out, "NULL"); break;
        case SQLITE_FLOAT: sqlite3_str_appendf(out, "%!.15g", sqlite3_column_double(st, i)); break;
        case SQLITE_BLOB: sqlite3_str_appendf(out, "(blob, %d bytes)", sqlite3_column_bytes(st, i)); break;
        default: sqlite3_str_appendall(out, (const char *)sqlite3_column_text(st, i));
      }
    }
    sqlite3_str_appendall(out, "\n");
    rc = sqlite3_step(st);
  }
  return rc;
}

typedef struct ReportOut { sqlite3_str *out; int results; } ReportOut;

static int report_result(void *ctx, sqlite3_stmt *st, int rc) {
  ReportOut *o = ctx;
  if (o->results++) sqlite3_str_appendall(o->out, "\n");
  rc = print_rows(o->out, st, rc);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs `NAME key=value ...` (one line) as the shell's .report would. */
static void run_report(sqlite3_str *out, const char *line, int demo) {
  char *copy = strdup(line), *err = NULL, *text = NULL;
  ReportArg args[32];
  int nargs = 0;
  char *name = strtok(copy, " \t\n");
  for (char *w = strtok(NULL, " \t\n"); w && nargs < 32; w = strtok(NULL, " \t\n")) {
    char *eq = strchr(w, '=');
    if (!eq) continue;
    *eq = 0;
    args[nargs].name = w;
    args[nargs++].value = eq + 1;
  }
  sqlite3_str_appendall(out, "```text\n");
  char path[1024];
  snprintf(path, sizeof path, "sql/reports/%s.sql", name ? name : "");
  text = name ? slurp(path) : NULL;
  Report r;
  if (!text) {
    sqlite3_str_appendf(out, "Error: no report %s\n", name ? name : "");
  } else if (report_parse(name, text, &r, &err)) {
    sqlite3_str_appendf(out, "Error: %s\n", err);
  } else {
    sqlite3 *db = NULL;
    if (demo)
      sqlite3_open_v2(demo_path, &db, SQLITE_OPEN_READONLY, NULL);
    else
      sqlite3_open(":memory:", &db);
    territory_register(db);
    ReportOut o = {out, 0};
    if (report_check_args(&r, args, nargs, &err) == 0)
      report_run(db, &r, args, nargs, report_result, &o, &err);
    if (err) sqlite3_str_appendf(out, "Error: %s\n", err);
    sqlite3_close(db);
    report_free(&r);
  }
  sqlite3_str_appendall(out, "```\n");
  free(err);
  free(text);
  free(copy);
}

static void run_example(sqlite3_str *out, const char *sql, int demo) {
  sqlite3 *db = NULL;
  if (demo)
    sqlite3_open_v2(demo_path, &db, SQLITE_OPEN_READONLY, NULL);
  else
    sqlite3_open(":memory:", &db);
  territory_register(db);
  sqlite3_str_appendall(out, "```text\n");
  const char *z = sql;
  while (*z) {
    sqlite3_stmt *st = NULL;
    const char *tail;
    if (sqlite3_prepare_v2(db, z, -1, &st, &tail) != SQLITE_OK) {
      sqlite3_str_appendf(out, "Error: %s\n", sqlite3_errmsg(db));
      break;
    }
    z = tail;
    if (!st) continue;
    int rc = print_rows(out, st, sqlite3_step(st));
    if (rc != SQLITE_DONE) {
      sqlite3_str_appendf(out, "Error: %s\n", sqlite3_errmsg(db));
      sqlite3_finalize(st);
      break;
    }
    sqlite3_finalize(st);
  }
  sqlite3_str_appendall(out, "```\n");
  sqlite3_close(db);
}

/* Appends the processed text of one source file. */
static void process(sqlite3_str *out, char *text) {
  char *z = text;
  while (*z) {
    char *eol = strchr(z, '\n');
    size_t len = eol ? (size_t)(eol - z) : strlen(z);
    int demo = strncmp(z, "```sql demo", 11) == 0 || strncmp(z, "```report demo", 14) == 0;
    int report = strncmp(z, "```report", 9) == 0;
    if (strncmp(z, "```sql", 6) == 0 || report) {
      sqlite3_str_append(out, z, (int)len);
      sqlite3_str_appendall(out, "\n");
      char *body = eol ? eol + 1 : z + len;
      char *end = strstr(body, "\n```");
      char *close;
      if (body[0] == '`' && strncmp(body, "```", 3) == 0) {
        end = body;
        close = body;
      } else {
        close = end ? end + 1 : body + strlen(body);
      }
      char *sql = strndup(body, (size_t)(close - body));
      sqlite3_str_appendall(out, sql);
      sqlite3_str_appendall(out, "```\n");
      char *after = strchr(close, '\n');
      z = after ? after + 1 : close + strlen(close);
      /* drop an old ```text result that directly follows */
      char *p = z;
      while (*p == '\n') p++;
      if (strncmp(p, "```text", 7) == 0) {
        char *e = strstr(p + 7, "\n```");
        if (e) {
          z = e + 4;
          if (*z == '\n') z++;
        }
      }
      if (report)
        run_report(out, sql, demo);
      else
        run_example(out, sql, demo);
      free(sql);
      continue;
    }
    sqlite3_str_append(out, z, (int)len);
    sqlite3_str_appendall(out, "\n");
    z = eol ? eol + 1 : z + len;
  }
}

int main(int argc, char **argv) {
  int check = 0, a = 1;
  if (a < argc && strcmp(argv[a], "--check") == 0) {
    check = 1;
    a++;
  }
  if (argc - a < 2) {
    fprintf(stderr, "usage: mkdocs [--check] OUT.md SRC.md...\n");
    return 2;
  }
  const char *outpath = argv[a++];
  const char *env = getenv("TERRITORY_DEMO_DB");
  if (env) demo_path = env;
  sqlite3_str *out = sqlite3_str_new(NULL);
  sqlite3_str_appendall(out,
      "<!-- Generated by `make docs` from docs/src/*.md: edit those, not this.\n"
      "     Every example below was run by the build; its output is real. -->\n\n");
  for (; a < argc; a++) {
    char *text = slurp(argv[a]);
    if (!text) {
      fprintf(stderr, "mkdocs: cannot read %s\n", argv[a]);
      return 2;
    }
    process(out, text);
    if (text[0] && text[strlen(text) - 1] != '\n') sqlite3_str_appendall(out, "\n");
    sqlite3_str_appendall(out, "\n");
    free(text);
  }
  char *doc = sqlite3_str_finish(out);
  if (check) {
    char *old = slurp(outpath);
    if (!old || strcmp(old, doc) != 0) {
      size_t i = 0;
      int line = 1;
      while (old && old[i] && doc[i] && old[i] == doc[i]) {
        if (old[i] == '\n') line++;
        i++;
      }
      fprintf(stderr, "mkdocs: %s is out of date from line %d (run make docs)\n", outpath, line);
      free(old);
      sqlite3_free(doc);
      return 1;
    }
    free(old);
  } else {
    FILE *f = fopen(outpath, "wb");
    if (!f) {
      fprintf(stderr, "mkdocs: cannot write %s\n", outpath);
      return 2;
    }
    fputs(doc, f);
    fclose(f);
  }
  sqlite3_free(doc);
  return 0;
}
