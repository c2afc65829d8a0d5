/*
** main.c -- build/territory: options, the interactive loop (GNU readline,
** history, Ctrl-C), and non-interactive runs (arguments, -c, -f, stdin).
**
**   territory [OPTIONS] [DB] [SQL|.command ...]
**
** See `territory --help`, shell/territory.1 and docs/src/90-shell.md.
** Everything but the option parsing and the loops lives in the other
** shell/ sources, so a fuzzer can link them without this one.
*/
#include "shell.h"
#include "territory.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: territory [OPTIONS] [DB] [SQL|.command ...]\n"
    "\n"
    "Opens DB (a file, created if new; or :memory:) and runs the SQL and\n"
    "dot-command arguments, -c SQL and -f FILE all in the order given on the\n"
    "command line; with none of them it reads stdin, interactively when stdin\n"
    "is a terminal.  The first argument that is not an option is DB.\n"
    "\n"
    "  --demo          the bundled demo territory, built in memory\n"
    "  -c SQL          run SQL or a dot-command (repeatable)\n"
    "  -f FILE         run a script file (repeatable)\n"
    "  -bail, --bail   stop at the first error\n"
    "  --box --table --markdown --list --csv --tsv --json --line\n"
    "                  output mode (default: box on a terminal, else list)\n"
    "  --headers, --noheaders\n"
    "                  column names above the rows, or not\n"
    "  --version       print the version\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 when every statement succeeded, 1 when one failed (a\n"
    "failed write to the output too), 2 for bad options, 130 when interrupted.\n"
    "`.help` lists dot-commands.\n";

/* ---- signals */

static volatile sig_atomic_t g_sigint_at_prompt;

static void on_sigint(int sig) {
  (void)sig;
  g_interrupted = 1;
  g_sigint_at_prompt = 1;
  sqlite3 *db = g_running_db;
  if (db) sqlite3_interrupt(db);
}

static void install_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;   /* no SA_RESTART: a blocked read returns EINTR */
  sigaction(SIGINT, &sa, NULL);
}

/* ---- the interactive loop */

static char *g_line;
static int g_line_ready;

static void on_line(char *line) {
  g_line = line;
  g_line_ready = 1;
  rl_callback_handler_remove();
}

/* Reads one line with readline's callback interface so that Ctrl-C can
** abandon it.  Returns the line (free()), NULL at EOF, or sets *intr: 1 at
** an empty line, 2 when the line held text. */
static char *read_line(const char *prompt, int *intr) {
  *intr = 0;
  g_line = NULL;
  g_line_ready = 0;
  g_sigint_at_prompt = 0;
  rl_callback_handler_install(prompt, on_line);
  /* SIGINT is blocked except inside pselect(), so a Ctrl-C that comes
  ** while readline handles a key is seen at the next wait, not lost */
  sigset_t block, orig;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &orig);
  while (!g_line_ready) {
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fileno(rl_instream ? rl_instream : stdin), &fds);
    int r = g_sigint_at_prompt ? -1 : pselect(fileno(rl_instream ? rl_instream : stdin) + 1,
                                              &fds, NULL, NULL, NULL, &orig);
    if (r < 0 && g_sigint_at_prompt) errno = EINTR;
    if (r < 0) {
      if (errno == EINTR && g_sigint_at_prompt) {
        sigprocmask(SIG_SETMASK, &orig, NULL);
        int typed = rl_end > 0;
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_callback_handler_remove();
        rl_crlf();
        *intr = typed ? 2 : 1;
        return NULL;
      }
      if (errno == EINTR) continue;
      sigprocmask(SIG_SETMASK, &orig, NULL);
      rl_callback_handler_remove();
      return NULL;
    }
    rl_callback_read_char();
  }
  sigprocmask(SIG_SETMASK, &orig, NULL);
  return g_line;
}

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *history_path(void) {
  static char buf[4096];
  const char *e = getenv("TERRITORY_HISTORY");
  if (e) return *e ? e : NULL;
  const char *home = getenv("HOME");
  if (!home || !*home) return NULL;
  snprintf(buf, sizeof buf, "%s/.territory_history", home);
  return buf;
}

/* The history file holds one entry per line; a multi-line statement stays
** one entry, its line breaks written as \n (and a backslash as \\).  We
** read and write it ourselves so this does not depend on how a given
** readline version stores multi-line entries. */
#define HISTORY_MAX 2000

static void history_load(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    if (n == 0) continue;
    char *o = line;
    for (char *z = line; *z; z++) {
      if (*z == '\\' && z[1] == 'n') { *o++ = '\n'; z++; }
      else if (*z == '\\' && z[1] == '\\') { *o++ = '\\'; z++; }
      else *o++ = *z;
    }
    *o = 0;
    add_history(line);
  }
  free(line);
  fclose(f);
}

static void history_put(FILE *f, const char *e) {
  for (; *e; e++) {
    if (*e == '\n') fputs("\\n", f);
    else if (*e == '\\') fputs("\\\\", f);
    else if (*e != '\r') fputc(*e, f);
  }
  fputc('\n', f);
}

static void add_hist(const char *entry, const char *hfile) {
  if (!*entry) return;
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last && strcmp(last->line, entry) == 0) return;
  add_history(entry);
  if (hfile) {
    FILE *f = fopen(hfile, "a");
    if (f) {
      history_put(f, entry);
      fclose(f);
    }
  }
}

/* Keeps the file at the last HISTORY_MAX entries. */
static void history_trim(const char *hfile) {
  FILE *f = fopen(hfile, "r");
  if (!f) return;
  int lines = 0, c;
  while ((c = fgetc(f)) != EOF)
    if (c == '\n') lines++;
  fclose(f);
  if (lines <= HISTORY_MAX) return;
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", hfile);
  f = fopen(tmp, "w");
  if (!f) return;
  for (int i = 0; i < history_length; i++) {
    HIST_ENTRY *h = history_get(history_base + i);
    if (h) history_put(f, h->line);
  }
  if (fclose(f) == 0) rename(tmp, hfile);
}

static void make_prompts(Shell *sh, char *p1, char *p2, size_t n) {
  const char *name = sh->dbname ? sh->dbname : "territory";
  const char *slash = strrchr(name, '/');
  if (slash && slash[1]) name = slash + 1;
  snprintf(p1, n, "%s> ", name);
  int w = utf8_width(name, -1);
  if (w > 40) w = 40;
  snprintf(p2, n, "%*s> ", w, "...");
}

/* readline needs a UTF-8 character type to edit Chinese text: take the
** user's locale, or C.UTF-8 when that is not UTF-8.  Only LC_CTYPE, so
** numbers still print with a '.'. */
static void utf8_locale(void) {
  setlocale(LC_CTYPE, "");
  const char *cs = nl_langinfo(CODESET);
  if (!cs || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0))
    setlocale(LC_CTYPE, "C.UTF-8");
}

static int interactive(Shell *sh) {
  const char *hfile = history_path();
  utf8_locale();
  using_history();
  stifle_history(HISTORY_MAX);
  if (hfile) history_load(hfile);
  rl_catch_signals = 0;
  complete_install(sh);
  printf("territory %s (SQLite %s) -- database: %s\n"
         "Enter SQL ending with ';', or .help.  Try .reports.  Ctrl-D quits.\n",
         TERRITORY_VERSION, sqlite3_libversion(), sh->dbname);
  Feeder fd = {0};
  char *hist = NULL;
  size_t hlen = 0;
  int lineno = 0;
  double last_intr = -10;
  for (;;) {
    char p1[128], p2[128];
    make_prompts(sh, p1, p2, sizeof p1);
    int intr;
    g_interrupted = 0;
    char *line = read_line(feeder_pending(&fd) ? p2 : p1, &intr);
    if (intr) {
      double t = mono();
      /* two Ctrl-C quit only at an empty prompt: not when they abandon a
      ** typed line or a statement of several lines */
      int had_input = feeder_pending(&fd) || intr == 2;
      feeder_free(&fd);
      free(hist);
      hist = NULL;
      hlen = 0;
      g_interrupted = 0;
      if (!had_input && t - last_intr < 2.0) break;
      if (!had_input) fprintf(stderr, "(Ctrl-C again to quit, or Ctrl-D)\n");
      last_intr = had_input ? -10 : t;
      continue;
    }
    if (!line) {   /* Ctrl-D: a statement begun is run, as at the end of a script */
      putchar('\n');
      fflush(stdout);
      if (feeder_pending(&fd)) {
        if (hist) add_hist(hist, hfile);
        g_interrupted = 0;   /* a Ctrl-C seen at an earlier prompt is no reason to skip it */
        feeder_flush(sh, &fd);
      }
      break;
    }
    last_intr = -10;   /* the next Ctrl-C is a first one again */
    /* a recalled multi-line entry comes back as one line with newlines */
    size_t l = strlen(line);
    char *nh = realloc(hist, hlen + l + 2);
    if (nh) {
      hist = nh;
      if (hlen) hist[hlen++] = '\n';
      memcpy(hist + hlen, line, l + 1);
      hlen += l;
    }
    int rc = 0;
    char *z = line;
    for (;;) {
      char *nl = strchr(z, '\n');
      if (nl) *nl = 0;
      rc = feeder_line(sh, &fd, z, ++lineno);
      if (rc == 2 || !nl) break;
      z = nl + 1;
    }
    free(line);
    if (!feeder_pending(&fd) && hist) {
      add_hist(hist, hfile);
      free(hist);
      hist = NULL;
      hlen = 0;
    }
    if (rc == 2) break;
  }
  feeder_free(&fd);
  free(hist);
  if (hfile) history_trim(hfile);
  return 0;
}

/* ---- options */

typedef struct Action { char kind; const char *text; } Action;   /* 's' SQL, 'f' file */

static int run_text(Shell *sh, const char *text, int *line) {
  int rc;
  const char *s = text;
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  if (*s == '.') {
    sh->src_line = *line;
    rc = shell_dispatch_line(sh, s);
    sh->src_line = 0;
  } else {
    rc = shell_exec_sql(sh, text, *line);
  }
  for (const char *p = text; *p; p++)
    if (*p == '\n') (*line)++;
  (*line)++;
  return rc;
}

int main(int argc, char **argv) {
  Shell *sh = shell_new();
  if (!sh) return 1;
  Action *acts = calloc((size_t)argc + 1, sizeof(Action));
  int nact = 0, demo = 0, mode_set = 0;
  const char *dbfile = NULL;
  int ended = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    OutMode m;
    if (!ended && a[0] == '-' && a[1]) {
      const char *o = a[1] == '-' ? a + 2 : a + 1;
      if (!strcmp(a, "--")) { ended = 1; continue; }
      if (!strcmp(o, "help") || !strcmp(a, "-h")) {
        fputs(usage_text, stdout);
        shell_free(sh);
        free(acts);
        return 0;
      }
      if (!strcmp(o, "version")) {
        printf("territory %s (SQLite %s)\n", TERRITORY_VERSION, sqlite3_libversion());
        shell_free(sh);
        free(acts);
        return 0;
      }
      if (!strcmp(o, "demo")) { demo = 1; continue; }
      if (!strcmp(o, "bail")) { sh->bail = 1; continue; }
      if (!strcmp(o, "headers") || !strcmp(o, "header")) { sh->headers = 1; continue; }
      if (!strcmp(o, "noheaders") || !strcmp(o, "noheader")) { sh->headers = 0; continue; }
      if ((!strcmp(a, "-c") || !strcmp(a, "-f")) && i + 1 >= argc) {
        fprintf(stderr, "territory: %s needs an argument: %s (try --help)\n", a,
                a[1] == 'c' ? "-c 'SQL or .command'" : "-f FILE");
        shell_free(sh);
        free(acts);
        return 2;
      }
      if (!strcmp(a, "-c") || !strcmp(a, "-f")) {
        acts[nact].kind = a[1] == 'c' ? 's' : 'f';
        acts[nact++].text = argv[++i];
        continue;
      }
      if (mode_from_name(o, &m) == 0) { sh->mode = m; mode_set = 1; continue; }
      fprintf(stderr, "territory: unknown option %s (try --help)\n", a);
      shell_free(sh);
      free(acts);
      return 2;
    }
    if (!demo && !dbfile) dbfile = a;
    else { acts[nact].kind = 's'; acts[nact++].text = a; }
  }
  if (!mode_set) sh->mode = isatty(1) ? MODE_BOX : MODE_LIST;
  install_sigint();
  int rc = demo ? shell_open_demo(sh) : shell_open(sh, dbfile ? dbfile : ":memory:");
  if (rc) { shell_free(sh); free(acts); return 1; }

  int failed = 0, line = 1, quit = 0;
  if (nact > 0) {
    for (int i = 0; i < nact && !quit && !g_interrupted; i++) {
      int r;
      if (acts[i].kind == 'f') {
        size_t n;
        char *text = read_file(acts[i].text, &n);
        if (!text) {
          shell_error(sh, "cannot read %s: %s", acts[i].text, strerror(errno));
          r = 1;
        } else {
          r = shell_run_script(sh, text, n, acts[i].text);
          free(text);
        }
      } else {
        r = run_text(sh, acts[i].text, &line);
      }
      if (r == 2) quit = 1;
      if (r == 1) failed = 1;
      if (failed && sh->bail) break;
    }
  } else if (isatty(0)) {
    sh->interactive = 1;
    interactive(sh);
  } else {
    failed = shell_run_file(sh, stdin, NULL) == 1;
  }
  if (shell_close_output(sh)) failed = 1;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    if (!sh->out_failed) fprintf(stderr, "error: cannot write the output: write failed\n");
    failed = 1;
    if (sh->interactive) sh->interactive = 0;
  }
  int intr = g_interrupted && !sh->interactive;
  int code = intr ? 130 : (failed || sh->nerr) ? 1 : 0;
  if (sh->interactive) code = 0;
  shell_free(sh);
  free(acts);
  return code;
}
