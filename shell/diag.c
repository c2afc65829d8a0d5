/*
** diag.c -- what the shell says on stderr while it works: error lines
** (shell_error) and the elapsed-time line of a long statement, import or
** report, and the Ctrl-C plumbing behind both.
**
**   shell_error(sh, "no such table %s", t)   "error: [FILE: ][line N: ]MSG"
**   shell_progress_begin(sh) ... shell_progress_end(sh)
**       around anything that runs SQL for long: Ctrl-C interrupts it
**       (g_interrupted is set, sqlite3_interrupt() stops the statement)
**   shell_check_output(sh)   a failed write to the output is an error
**
** It calls nothing else of the shell, so exec.c, commands.c, csv.c and
** chart.c can all use it without calling each other in a circle.
*/
#include "shell.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t g_interrupted;
sqlite3 *volatile g_running_db;

double shell_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void shell_error(Shell *sh, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *m = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (sh->out) fflush(sh->out);
  fputs("error: ", stderr);
  if (sh->src_name) fprintf(stderr, "%s: ", sh->src_name);
  if (sh->src_line > 0 && (!sh->interactive || sh->src_name))
    fprintf(stderr, "line %d: ", sh->src_line);
  /* a message may quote a value from the database: never raw controls */
  char *safe = m ? term_safe(m, -1, SAFE_KEEP_NL) : NULL;
  fprintf(stderr, "%s\n", safe ? safe : "out of memory");
  free(safe);
  fflush(stderr);
  sqlite3_free(m);
  sh->nerr++;
}

int shell_check_output(Shell *sh) {
  if (!sh->out) return 0;
  if (fflush(sh->out) == 0 && !ferror(sh->out)) return 0;
  clearerr(sh->out);
  if (sh->out_failed) return 1;   /* said once per output */
  sh->out_failed = 1;
  shell_error(sh, "cannot write the output%s%s: %s", sh->out_is_file ? " " : "",
              sh->out_is_file && sh->out_name ? sh->out_name : "",
              "write failed (disk full or closed?)");
  return 1;
}

/* ---- progress: elapsed time on stderr after a second; Ctrl-C */

static double g_t0, g_last_shown;
static int g_shown;

static int progress_cb(void *arg) {
  int show = arg != NULL;
  if (g_interrupted) return 1;
  if (!show) return 0;
  double t = shell_now();
  if (t - g_t0 >= 1.0 && t - g_last_shown >= 0.2) {
    fprintf(stderr, "\r\033[K%.1f s (Ctrl-C cancels)", t - g_t0);
    fflush(stderr);
    g_last_shown = t;
    g_shown = 1;
  }
  return 0;
}

void shell_progress_begin(Shell *sh) {
  g_t0 = shell_now();
  g_last_shown = 0;
  g_shown = 0;
  g_running_db = sh->db;
  /* installed even without a terminal: it is what makes Ctrl-C (SIGINT)
  ** stop a statement between two sqlite3_interrupt() windows */
  sqlite3_progress_handler(sh->db, 20000, progress_cb, isatty(2) ? sh : NULL);
}

void shell_progress_end(Shell *sh) {
  g_running_db = NULL;
  sqlite3_progress_handler(sh->db, 0, NULL, NULL);
  if (g_shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    g_shown = 0;
  }
}

int shell_close_output(Shell *sh) {
  int rc = shell_check_output(sh);
  if (sh->out_is_file) {
    if (fclose(sh->out) != 0 && !rc && !sh->out_failed) {
      sh->out = stdout;
      shell_error(sh, "cannot write the output %s: close failed", sh->out_name ? sh->out_name : "");
      rc = 1;
    }
  }
  sh->out = stdout;
  sh->out_is_file = 0;
  sh->out_failed = 0;
  free(sh->out_name);
  sh->out_name = NULL;
  sh->once = 0;
  return rc;
}

void shell_once_done(Shell *sh) {
  if (sh->once && sh->out_is_file) shell_close_output(sh);
  sh->once = 0;
}

void shell_timer_show(double t0, clock_t c0) {
  fprintf(stderr, "time: real %.3f s, cpu %.3f s\n", shell_now() - t0,
          (double)(clock() - c0) / CLOCKS_PER_SEC);
}
