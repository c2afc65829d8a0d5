/*
** fuzz_cmd.c -- libFuzzer target: the shell's input handling -- the line
** feeder that splits input into dot-commands and SQL statements, the
** dot-command parser (quotes, arguments) and every dot-command behind it.
**
**   make fuzz                     (mk/fuzz.mk builds and runs it)
**   $(B)/fuzz/fuzz_cmd tests/fuzz/corpus_cmd -max_total_time=60
**
** Input: a script, as typed at the shell's prompt or given to .read; each
** line goes through feeder_line() of a fresh Shell on an in-memory
** database, as build/territory does with its input.
**
** Files: the process works in a fresh temporary directory, which is emptied
** after every input, and inputs holding a '/' are skipped, so .output,
** .once, .open, .import and SQL cannot reach a file outside that
** directory.  ATTACH (and VACUUM INTO) are impossible on the first
** database (SQLITE_LIMIT_ATTACHED 0); a database opened later by .open
** stays inside the directory anyway.  A SIGALRM timer interrupts any
** statement running longer than 200 ms, as Ctrl-C would.
*/
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "shell.h"

static char g_dir[64];

static void on_alarm(int sig) {
  (void)sig;
  sqlite3 *db = g_running_db;
  if (db) sqlite3_interrupt(db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(g_dir, sizeof g_dir, "/tmp/territory-fuzz-cmd-XXXXXX");
  if (mkdtemp(g_dir) == NULL || chdir(g_dir) != 0) {
    perror("fuzz_cmd: temporary directory");
    abort();
  }
  /* user reports must not come from the environment of whoever runs us */
  unsetenv("TERRITORY_REPORTS");
  setenv("COLUMNS", "80", 1);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  return 0;
}

/* Removes every file the input created in the working directory. */
static void clean_dir(void) {
  DIR *d = opendir(".");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    unlink(e->d_name);
  }
  closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 20000) return 0;
  if (memchr(data, '/', size)) return 0;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = 0;

  Shell *sh = shell_new();
  if (!sh) {
    free(text);
    return 0;
  }
  if (shell_open(sh, ":memory:") == 0 && sh->db)
    sqlite3_limit(sh->db, SQLITE_LIMIT_ATTACHED, 0);
  g_interrupted = 0;
  struct itimerval it = {{0, 200000}, {0, 200000}};
  setitimer(ITIMER_REAL, &it, NULL);

  Feeder fd = {0};
  int lineno = 1, rc = 0;
  char *line = text;
  while (rc != 2 && line) {
    char *eol = strchr(line, '\n');
    if (eol) *eol = 0;
    rc = feeder_line(sh, &fd, line, lineno++);
    line = eol ? eol + 1 : NULL;
  }
  if (rc != 2) feeder_flush(sh, &fd);
  feeder_free(&fd);

  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  g_interrupted = 0;
  shell_free(sh);
  clean_dir();
  free(text);
  return 0;
}
