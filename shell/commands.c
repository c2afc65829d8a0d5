/*
** commands.c -- the shell's dot-commands.
**
**   int shell_dispatch_line(Shell *sh, const char *line)
**
** takes one line starting with '.', splits it into words (blanks separate;
** '...' and "..." group, a doubled quote inside stands for one) and runs the
** command.  Returns 0 on success, 1 on error (already printed on stderr and
** counted in sh->nerr), 2 when the shell should exit.  It never trusts the
** line: any bytes are fine (the fuzzer calls it directly).
*/
#include "shell.h"
#include "report.h"
#include "export.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAXARGS 64

typedef int (*CmdFn)(Shell *, char **argv, int argc);

/* ---- words */

/* Splits line into raw words (quotes kept) in buf; returns the count or -1
** when a quote is not closed. */
static int split(const char *line, char *buf, char **argv, int max) {
  int argc = 0;
  const char *z = line;
  char *o = buf;
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n') z++;
    if (!*z) break;
    if (argc == max) return -2;
    argv[argc++] = o;
    while (*z && !(*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n')) {
      if (*z == '\'' || *z == '"') {
        char q = *z;
        *o++ = *z++;
        for (;;) {
          if (!*z) return -1;
          if (*z == q) {
            if (z[1] == q) { *o++ = *z++; *o++ = *z++; continue; }
            break;
          }
          *o++ = *z++;
        }
        *o++ = *z++;
      } else {
        *o++ = *z++;
      }
    }
    *o++ = 0;
  }
  return argc;
}

/* Removes the quotes of a word in place: 'a''b' -> a'b, "x y" -> x y. */
static char *unquote(char *s) {
  char *o = s;
  const char *z = s;
  while (*z) {
    if (*z == '\'' || *z == '"') {
      char q = *z++;
      while (*z) {
        if (*z == q) {
          if (z[1] == q) { *o++ = q; z += 2; continue; }
          z++;
          break;
        }
        *o++ = *z++;
      }
    } else {
      *o++ = *z++;
    }
  }
  *o = 0;
  return s;
}

static int parse_bool(const char *s, int *out) {
  if (!strcasecmp(s, "on") || !strcasecmp(s, "yes") || !strcmp(s, "1") || !strcasecmp(s, "true")) {
    *out = 1;
    return 0;
  }
  if (!strcasecmp(s, "off") || !strcasecmp(s, "no") || !strcmp(s, "0") || !strcasecmp(s, "false")) {
    *out = 0;
    return 0;
  }
  return -1;
}

static int usage(Shell *sh, const char *name);

/* ---- settings */

static int cmd_mode(Shell *sh, char **argv, int argc) {
  if (argc == 1) {
    fprintf(sh->out, "%s\n", mode_name(sh->mode));
    return 0;
  }
  if (argc != 2) return usage(sh, "mode");
  OutMode m;
  if (mode_from_name(unquote(argv[1]), &m)) {
    shell_error(sh, ".mode: unknown mode %s (box, table, markdown, list, csv, "
                "tsv, json, line)", argv[1]);
    return 1;
  }
  sh->mode = m;
  return 0;
}

static int cmd_headers(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "headers");
  int v;
  if (!strcasecmp(argv[1], "auto")) { sh->headers = -1; return 0; }
  if (parse_bool(argv[1], &v)) return usage(sh, "headers");
  sh->headers = v;
  return 0;
}

static int cmd_onoff(Shell *sh, char **argv, int argc, int *flag, const char *name) {
  int v;
  if (argc != 2 || parse_bool(argv[1], &v)) return usage(sh, name);
  *flag = v;
  return 0;
}

static int cmd_timer(Shell *sh, char **argv, int argc) {
  return cmd_onoff(sh, argv, argc, &sh->timer, "timer");
}

static int cmd_bail(Shell *sh, char **argv, int argc) {
  return cmd_onoff(sh, argv, argc, &sh->bail, "bail");
}

static int cmd_nullvalue(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "nullvalue");
  free(sh->nullvalue);
  sh->nullvalue = strdup(unquote(argv[1]));
  return 0;
}

static int cmd_maxrows(Shell *sh, char **argv, int argc) {
  if (argc == 1) {
    fprintf(sh->out, "%ld\n", sh->maxrows);
    return 0;
  }
  char *end;
  errno = 0;
  long v = argc == 2 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || errno || *end || end == argv[1] || v < 0) return usage(sh, "maxrows");
  sh->maxrows = v;
  return 0;
}

static int set_output(Shell *sh, const char *file, int once) {
  if (sh->out_is_file) fclose(sh->out);
  sh->out = stdout;
  sh->out_is_file = 0;
  sh->once = 0;
  if (!file) return 0;
  FILE *f = fopen(file, "w");
  if (!f) {
    shell_error(sh, "cannot write %s: %s", file, strerror(errno));
    return 1;
  }
  sh->out = f;
  sh->out_is_file = 1;
  sh->once = once;
  return 0;
}

static int cmd_output(Shell *sh, char **argv, int argc) {
  if (argc > 2) return usage(sh, "output");
  const char *f = argc == 2 ? unquote(argv[1]) : NULL;
  if (f && (!strcmp(f, "stdout") || !strcmp(f, "-"))) f = NULL;
  return set_output(sh, f, 0);
}

static int cmd_once(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "once");
  return set_output(sh, unquote(argv[1]), 1);
}

static int cmd_show(Shell *sh, char **argv, int argc) {
  (void)argv;
  if (argc != 1) return usage(sh, "show");
  FILE *f = sh->out;
  fprintf(f, "database: %s\n", sh->dbname ? sh->dbname : "(none)");
  fprintf(f, "mode: %s\n", mode_name(sh->mode));
  fprintf(f, "headers: %s\n", sh->headers < 0 ? "auto" : sh->headers ? "on" : "off");
  fprintf(f, "nullvalue: \"%s\"\n", sh->nullvalue ? sh->nullvalue : "");
  fprintf(f, "maxrows: %ld\n", sh->maxrows);
  fprintf(f, "timer: %s\n", sh->timer ? "on" : "off");
  fprintf(f, "bail: %s\n", sh->bail ? "on" : "off");
  fprintf(f, "output: %s\n", sh->out_is_file ? "file" : "stdout");
  return 0;
}

/* ---- database */

static int cmd_quit(Shell *sh, char **argv, int argc) {
  (void)argv;
  (void)argc;
  sh->quit = 1;
  return 2;
}

static int cmd_open(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "open");
  const char *f = unquote(argv[1]);
  int rc = !strcmp(f, "--demo") ? shell_open_demo(sh) : shell_open(sh, f);
  if (rc) { sh->nerr++; return 1; }
  return 0;
}

static int print_query(Shell *sh, const char *sql, const char *arg) {
  if (sh->remote) return remote_print_query(sh, sql, arg);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(sh->db, sql, -1, &st, NULL) != SQLITE_OK) {
    shell_error(sh, "%s", sqlite3_errmsg(sh->db));
    return 1;
  }
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
  int n = 0, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fprintf(sh->out, "%s\n", (const char *)sqlite3_column_text(st, 0));
    n++;
  }
  if (rc != SQLITE_DONE) shell_error(sh, "%s", sqlite3_errmsg(sh->db));
  sqlite3_finalize(st);
  return rc != SQLITE_DONE;
}

static int cmd_tables(Shell *sh, char **argv, int argc) {
  if (argc > 2) return usage(sh, "tables");
  return print_query(sh,
                     "SELECT name FROM sqlite_schema WHERE type IN ('table','view') "
                     "AND name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR name LIKE ?1) "
                     "ORDER BY name",
                     argc == 2 ? unquote(argv[1]) : NULL);
}

static int cmd_schema(Shell *sh, char **argv, int argc) {
  if (argc > 2) return usage(sh, "schema");
  return print_query(sh,
                     "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL "
                     "AND name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR tbl_name LIKE ?1) "
                     "ORDER BY tbl_name, type DESC, name",
                     argc == 2 ? unquote(argv[1]) : NULL);
}

static int cmd_read(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "read");
  const char *f = unquote(argv[1]);
  if (sh->depth >= 16) {
    shell_error(sh, ".read: nested too deeply (a file reads itself?)");
    return 1;
  }
  size_t n;
  char *text = read_file(f, &n);
  if (!text) {
    shell_error(sh, "cannot read %s: %s", f, strerror(errno));
    return 1;
  }
  if (strlen(text) != n) {
    free(text);
    shell_error(sh, "%s: contains a NUL byte; not a script", f);
    return 1;
  }
  int saved_line = sh->src_line;
  sh->depth++;
  int rc = shell_run_script(sh, text, f);
  sh->depth--;
  sh->src_line = saved_line;
  free(text);
  return rc;
}

static int cmd_init(Shell *sh, char **argv, int argc) {
  (void)argv;
  if (argc != 1) return usage(sh, "init");
  const EmbeddedFile *f = embedded_find("sql/schema.sql");
  if (!f) {
    shell_error(sh, ".init: this build has no embedded schema");
    return 1;
  }
  if (sh->remote) return remote_run_script_tx(sh, f->data, ".init");
  char *err = NULL;
  if (sqlite3_exec(sh->db, "SAVEPOINT territory_init", 0, 0, 0) != SQLITE_OK ||
      sqlite3_exec(sh->db, f->data, 0, 0, &err) != SQLITE_OK) {
    shell_error(sh, ".init: %s", err ? err : sqlite3_errmsg(sh->db));
    sqlite3_free(err);
    sqlite3_exec(sh->db, "ROLLBACK TO territory_init; RELEASE territory_init", 0, 0, 0);
    return 1;
  }
  sqlite3_exec(sh->db, "RELEASE territory_init", 0, 0, 0);
  return 0;
}

/* ---- import */

static int cmd_import(Shell *sh, char **argv, int argc) {
  if (argc != 3) return usage(sh, "import");
  const char *file = unquote(argv[1]);
  const char *table = unquote(argv[2]);
  size_t n;
  char *data = read_file(file, &n);
  if (!data) {
    shell_error(sh, "cannot read %s: %s", file, strerror(errno));
    return 1;
  }
  CsvProgress prog = {file, n, isatty(2)};
  char *err = NULL;
  g_running_db = sh->db;
  CsvSource one = {(char *)table, (char *)file, data, n};
  long rows = sh->remote ? remote_import(sh, &one, 1, 1, &err)
                         : csv_import_ex(sh->db, table, data, n, file, &prog, &err);
  g_running_db = NULL;
  free(data);
  if (rows < 0) {
    shell_error(sh, "%s", err ? err : "import failed");
    sqlite3_free(err);
    return 1;
  }
  if (sh->interactive)
    fprintf(sh->out, "%ld row%s imported into %s\n", rows, rows == 1 ? "" : "s", table);
  return 0;
}

static int cmd_import_dir(Shell *sh, char **argv, int argc) {
  if (argc != 2) return usage(sh, "import-dir");
  const char *dir = unquote(argv[1]);
  DIR *d = opendir(dir);
  if (!d) {
    shell_error(sh, "cannot read directory %s: %s", dir, strerror(errno));
    return 1;
  }
  CsvSource *src = NULL;
  int n = 0, failed = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL && !failed) {
    size_t len = strlen(de->d_name);
    if (len < 5 || strcmp(de->d_name + len - 4, ".csv") != 0 || de->d_name[0] == '.') continue;
    CsvSource *ns = realloc(src, sizeof *src * (size_t)(n + 1));
    if (!ns) { failed = 1; break; }
    src = ns;
    CsvSource *s = &src[n];
    memset(s, 0, sizeof *s);
    s->table = strndup(de->d_name, len - 4);
    s->file = sqlite3_mprintf("%s/%s", dir, de->d_name);
    n++;
    s->data = s->file ? read_file(s->file, &s->n) : NULL;
    if (!s->table || !s->data) {
      shell_error(sh, "cannot read %s: %s", s->file ? s->file : de->d_name, strerror(errno));
      failed = 1;
    }
  }
  closedir(d);
  long rows = 0;
  if (!failed && n == 0) {
    shell_error(sh, ".import-dir: no .csv files in %s", dir);
    failed = 1;
  }
  if (!failed) {
    char *err = NULL;
    g_running_db = sh->db;
    rows = sh->remote ? remote_import(sh, src, n, 0, &err)
                      : import_tables(sh->db, src, n, isatty(2), &err);
    g_running_db = NULL;
    if (rows < 0) {
      shell_error(sh, "%s", err ? err : "import failed");
      failed = 1;
    }
    sqlite3_free(err);
  }
  for (int i = 0; i < n; i++) {
    free(src[i].table);
    sqlite3_free(src[i].file);
    free(src[i].data);
  }
  free(src);
  if (!failed && sh->interactive)
    fprintf(sh->out, "%ld rows imported from %d file%s\n", rows, n, n == 1 ? "" : "s");
  return failed;
}

/* ---- parameters */

static int cmd_param(Shell *sh, char **argv, int argc) {
  if (argc < 2) return usage(sh, "param");
  const char *sub = argv[1];
  if (!strcmp(sub, "list") && argc == 2) {
    for (int i = 0; i < sh->nparam; i++)
      fprintf(sh->out, "%s = %s\n", sh->params[i].name, sh->params[i].value);
    return 0;
  }
  if (!strcmp(sub, "clear") && argc == 2) {
    for (int i = 0; i < sh->nparam; i++) {
      free(sh->params[i].name);
      free(sh->params[i].value);
    }
    sh->nparam = 0;
    return 0;
  }
  if ((!strcmp(sub, "set") && argc == 4) || (!strcmp(sub, "unset") && argc == 3)) {
    const char *name = argv[2];
    if (*name == ':' || *name == '@' || *name == '$') name++;
    if (!*name) return usage(sh, "param");
    for (const char *p = name; *p; p++)
      if (!(isalnum((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80)) {
        shell_error(sh, ".param: bad parameter name %s (letters, digits, _)", argv[2]);
        return 1;
      }
    int at = -1;
    for (int i = 0; i < sh->nparam; i++)
      if (!strcmp(sh->params[i].name, name)) at = i;
    if (!strcmp(sub, "unset")) {
      if (at >= 0) {
        free(sh->params[at].name);
        free(sh->params[at].value);
        sh->params[at] = sh->params[--sh->nparam];
      }
      return 0;
    }
    /* "x y" is text like 'x y'; keep single quotes for report_bind_typed */
    char *v = argv[3];
    char *val;
    if (v[0] == '"') {
      unquote(v);
      sqlite3_str *s = sqlite3_str_new(NULL);
      sqlite3_str_appendchar(s, 1, '\'');
      for (char *p = v; *p; p++) {
        if (*p == '\'') sqlite3_str_appendchar(s, 1, '\'');
        sqlite3_str_appendchar(s, 1, *p);
      }
      sqlite3_str_appendchar(s, 1, '\'');
      char *t = sqlite3_str_finish(s);
      val = t ? strdup(t) : NULL;
      sqlite3_free(t);
    } else {
      val = strdup(v);
    }
    if (!val) { shell_error(sh, "out of memory"); return 1; }
    if (at < 0) {
      Param *np = realloc(sh->params, sizeof(Param) * (size_t)(sh->nparam + 1));
      if (!np) { free(val); shell_error(sh, "out of memory"); return 1; }
      sh->params = np;
      at = sh->nparam++;
      sh->params[at].name = strdup(name);
    } else {
      free(sh->params[at].value);
    }
    sh->params[at].value = val;
    return 0;
  }
  return usage(sh, "param");
}

/* ---- reports */

static int cmd_reports(Shell *sh, char **argv, int argc) {
  (void)argv;
  if (argc != 1) return usage(sh, "reports");
  ReportEntry *v = NULL;
  char *err = NULL;
  int n = catalog_reports(&v, &err);
  if (err) {
    fprintf(stderr, "warning: %s\n", err);
    sqlite3_free(err);
  }
  int w = 0;
  for (int i = 0; i < n; i++) {
    int l = (int)strlen(v[i].name);
    if (l > w) w = l;
  }
  for (int i = 0; i < n; i++) {
    Report *r = v[i].rep;
    if (!r) {
      fprintf(sh->out, "%-*s  (cannot be used: %s)\n", w, v[i].name, v[i].parse_error);
      continue;
    }
    fprintf(sh->out, "%-*s  %s", w, r->name, r->description);
    if (strcmp(v[i].origin, "built-in") != 0) fprintf(sh->out, "  [%s]", v[i].origin);
    fputc('\n', sh->out);
    for (int j = 0; j < r->nparam; j++) {
      ReportParam *p = &r->params[j];
      if (p->required)
        fprintf(sh->out, "%*s  %s (required) %s\n", w, "", p->name, p->about);
      else
        fprintf(sh->out, "%*s  %s = %s\n", w, "", p->name, p->about);
    }
  }
  if (n == 0) fprintf(sh->out, "(no reports)\n");
  catalog_free(v, n);
  free(v);
  return 0;
}

static int on_report_rows(void *ctx, sqlite3_stmt *st, int first_rc) {
  Shell *sh = ctx;
  int rc = shell_print_stmt(sh, st, first_rc);
  return rc;
}

static int cmd_report(Shell *sh, char **argv, int argc) {
  if (argc < 2) return usage(sh, "report");
  const char *name = unquote(argv[1]);
  ReportEntry *v = NULL;
  char *err = NULL;
  int n = catalog_reports(&v, &err);
  if (err) {
    fprintf(stderr, "warning: %s\n", err);
    sqlite3_free(err);
  }
  ReportEntry *e = NULL;
  for (int i = 0; i < n; i++)
    if (!strcmp(v[i].name, name)) e = &v[i];
  int failed = 0;
  ReportArg args[MAXARGS];
  char *owned[MAXARGS];
  int nargs = 0, nowned = 0;
  if (!e) {
    sqlite3_str *s = sqlite3_str_new(NULL);
    for (int i = 0; i < n; i++) sqlite3_str_appendf(s, "%s%s", i ? ", " : "", v[i].name);
    char *list = sqlite3_str_finish(s);
    shell_error(sh, "no report named %s (reports: %s)", name, list && *list ? list : "none");
    sqlite3_free(list);
    failed = 1;
    goto out;
  }
  if (!e->rep) {
    shell_error(sh, "%s", e->parse_error);
    failed = 1;
    goto out;
  }
  for (int i = 2; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq || eq == argv[i]) {
      shell_error(sh, "report %s: write parameters as name=value, got %s", name, argv[i]);
      failed = 1;
      goto out;
    }
    *eq = 0;
    char *val = eq + 1;
    if (val[0] == '"') {
      /* "text" reads like 'text': a string even when it looks numeric */
      char *q = sqlite3_mprintf("'%q'", unquote(val));
      val = q ? strdup(q) : NULL;
      sqlite3_free(q);
      if (!val) { shell_error(sh, "out of memory"); failed = 1; goto out; }
      owned[nowned++] = val;
    }
    args[nargs].name = argv[i];
    args[nargs].value = val;
    nargs++;
  }
  if (report_check_args(e->rep, args, nargs, &err)) {
    shell_error(sh, "%s", err);
    free(err);
    failed = 1;
    goto out;
  }
  shell_progress_begin(sh);
  int rc = sh->remote ? remote_report_run(sh, e->rep, args, nargs, &err)
                      : report_run(sh->db, e->rep, args, nargs, on_report_rows, sh, &err);
  shell_progress_end(sh);
  if (rc != SQLITE_OK) {
    shell_error(sh, "%s", g_interrupted ? "interrupted" : err ? err : "report failed");
    failed = 1;
  }
  free(err);
out:
  for (int i = 0; i < nowned; i++) free(owned[i]);
  catalog_free(v, n);
  free(v);
  return failed;
}

/* ---- charts */

static int cmd_chart(Shell *sh, char **argv, int argc) {
  if (argc < 2) return usage(sh, "chart");
  if (sh->last.ncol == 0) {
    shell_error(sh, ".chart: run a query first; the chart draws its result");
    return 1;
  }
  if (sh->last.base > 0) {
    shell_error(sh, ".chart: the last result has %ld rows; a chart takes at most %d "
                "(use LIMIT)", sh->last.total, SHELL_KEEP_ROWS);
    return 1;
  }
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "--svg")) return chart_svg(sh, &sh->last, argv + 1, argc - 1);
  if (!strcmp(argv[1], "bar")) return chart_bar(sh, &sh->last, argv + 2, argc - 2);
  if (!strcmp(argv[1], "quadrant")) return chart_quadrant(sh, &sh->last, argv + 2, argc - 2);
  return usage(sh, "chart");
}

/* ---- cluster (remote.c) */

static int cmd_cluster(Shell *sh, char **argv, int argc) {
  (void)argv;
  if (argc != 1) return usage(sh, "cluster");
  return remote_cluster(sh);
}

/* ---- help */

static int cmd_help(Shell *sh, char **argv, int argc);

const CommandInfo shell_commands[] = {
    {"bail", ".bail on|off", "stop at the first error"},
    {"chart", ".chart bar [LABEL VALUE [MARK]] | .chart quadrant [--svg FILE]",
     "draw the last result: a bar chart, or doctors on a usage x potential grid (--svg: as an SVG file)"},
    {"cluster", ".cluster", "the nodes of the dqlite cluster (dqlite://...) and its leader"},
    {"excel", ".excel FILE.xlsx [REPORT [k=v ...] ... | all]",
     "write reports (all: the monthly pack) or the last result to an Excel workbook"},
    {"exit", ".exit", "leave the shell"},
    {"headers", ".headers on|off|auto", "column names above the rows (auto: all modes but list)"},
    {"help", ".help [COMMAND]", "this list, or one command"},
    {"html", ".html FILE.html [REPORT [k=v ...] ... | all]",
     "write reports or the last result to one web page with charts (A4, no scripts)"},
    {"import", ".import FILE TABLE", "load a CSV file (header row = column names), all or nothing"},
    {"import-dir", ".import-dir DIR", "load every DIR/TABLE.csv, parents first, all or nothing"},
    {"init", ".init", "create the canonical territory schema (safe to repeat)"},
    {"maxrows", ".maxrows N", "show at most N rows of a result (0: all)"},
    {"mode", ".mode MODE", "box, table, markdown, list, csv, tsv, json or line"},
    {"nullvalue", ".nullvalue TEXT", "how NULL is shown"},
    {"once", ".once FILE", "send the next result to FILE"},
    {"open", ".open FILE|--demo", "close this database and open another (created if new)"},
    {"output", ".output [FILE]", "send results to FILE (no FILE: back to the screen)"},
    {"param", ".param set NAME VALUE | unset NAME | list | clear",
     "values bound to :NAME, @NAME, $NAME in every statement"},
    {"quit", ".quit", "leave the shell"},
    {"read", ".read FILE", "run the SQL and dot-commands in FILE"},
    {"report", ".report NAME [PARAM=VALUE ...]", "run a canned report"},
    {"reports", ".reports", "list the canned reports and their parameters"},
    {"schema", ".schema [TABLE]", "show CREATE statements"},
    {"show", ".show", "show the current settings"},
    {"tables", ".tables [PATTERN]", "list tables and views"},
    {"timer", ".timer on|off", "show how long each statement took"},
    {0, 0, 0}};

static const CmdFn handlers[] = {
    cmd_bail, cmd_chart, cmd_cluster, cmd_excel, cmd_quit, cmd_headers, cmd_help, cmd_html,
    cmd_import,
    cmd_import_dir, cmd_init, cmd_maxrows, cmd_mode, cmd_nullvalue, cmd_once,
    cmd_open, cmd_output, cmd_param, cmd_quit, cmd_read, cmd_report,
    cmd_reports, cmd_schema, cmd_show, cmd_tables, cmd_timer};

static const CommandInfo *find(const char *name) {
  for (int i = 0; shell_commands[i].name; i++)
    if (!strcmp(shell_commands[i].name, name)) return &shell_commands[i];
  return NULL;
}

static int usage(Shell *sh, const char *name) {
  const CommandInfo *c = find(name);
  shell_error(sh, "usage: %s", c ? c->usage : name);
  return 1;
}

static int cmd_help(Shell *sh, char **argv, int argc) {
  if (argc > 2) return usage(sh, "help");
  if (argc == 2) {
    const char *n = argv[1][0] == '.' ? argv[1] + 1 : argv[1];
    const CommandInfo *c = find(n);
    if (!c) {
      shell_error(sh, ".help: no command .%s", n);
      return 1;
    }
    fprintf(sh->out, "%s\n    %s\n", c->usage, c->help);
    return 0;
  }
  for (int i = 0; shell_commands[i].name; i++)
    fprintf(sh->out, "%-34s %s\n", shell_commands[i].usage, shell_commands[i].help);
  fprintf(sh->out, "\nSQL statements end with ';'.  Modes, reports and examples: "
                   "man territory.\n");
  return 0;
}

int shell_dispatch_line(Shell *sh, const char *line) {
  while (*line == ' ' || *line == '\t') line++;
  if (*line != '.') {
    shell_error(sh, "not a dot-command: %.40s", line);
    return 1;
  }
  size_t n = strlen(line);
  char *buf = malloc(n + 2);
  char *argv[MAXARGS];
  if (!buf) {
    shell_error(sh, "out of memory");
    return 1;
  }
  int argc = split(line + 1, buf, argv, MAXARGS);
  int rc = 1;
  if (argc == -1) {
    shell_error(sh, "unterminated quote in: %.60s", line);
  } else if (argc == -2) {
    shell_error(sh, "too many words (at most %d)", MAXARGS);
  } else if (argc == 0) {
    shell_error(sh, "a lone '.': try .help");
  } else {
    int k = -1;
    for (int i = 0; shell_commands[i].name; i++)
      if (!strcmp(shell_commands[i].name, argv[0])) k = i;
    if (k < 0) {
      shell_error(sh, "unknown command .%s (.help lists them)", argv[0]);
    } else if (!sh->db && strcmp(argv[0], "open") && strcmp(argv[0], "help") &&
               strcmp(argv[0], "quit") && strcmp(argv[0], "exit")) {
      shell_error(sh, "no database open (.open FILE)");
    } else {
      int was_once = sh->once && strcmp(argv[0], "once") != 0;
      /* exports read reports through sh->db: on a cluster, a snapshot */
      if (sh->remote && (!strcmp(argv[0], "excel") || !strcmp(argv[0], "html")))
        rc = remote_on_snapshot(sh, handlers[k], argv, argc);
      else
        rc = handlers[k](sh, argv, argc);
      if (was_once) shell_once_done(sh);
    }
  }
  free(buf);
  return rc;
}
