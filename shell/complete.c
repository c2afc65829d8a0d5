/*
** complete.c -- Tab completion for the interactive shell (GNU readline).
**
** What is offered depends on where the cursor is:
**   .|                  dot-commands
**   .report |           report names;  .report NAME |  its parameters (name=)
**   .mode | .chart | .headers | .param ...   their words
**   .import FILE |  .schema |  .tables |     table names
**   .open .read .import .output .once .import-dir   file names
**   ... FROM|JOIN|INTO|UPDATE|TABLE |        tables and views
**   tbl.|                                    columns of tbl
**   anywhere else in SQL                     columns, tables, functions
**                                            (pragma_function_list, so
**                                            ours too) and SQL keywords
** Names come from the open database at the moment Tab is pressed.
*/
#include "shell.h"
#include "report.h"

#include <ctype.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static Shell *g_sh;
static char **g_cand;
static int g_ncand, g_capcand, g_next;

static void cand_clear(void) {
  for (int i = 0; i < g_ncand; i++) free(g_cand[i]);
  g_ncand = 0;
}

static void cand_add(const char *s) {
  if (!s || !*s) return;
  for (int i = 0; i < g_ncand; i++)
    if (strcmp(g_cand[i], s) == 0) return;
  if (g_ncand == g_capcand) {
    int nc = g_capcand ? g_capcand * 2 : 64;
    char **v = realloc(g_cand, sizeof(char *) * (size_t)nc);
    if (!v) return;
    g_cand = v;
    g_capcand = nc;
  }
  char *d = strdup(s);
  if (d) g_cand[g_ncand++] = d;
}

static void cand_query(const char *sql, const char *arg, const char *prefix) {
  sqlite3_stmt *st = NULL;
  if (!g_sh || !g_sh->db) return;
  if (sqlite3_prepare_v2(g_sh->db, sql, -1, &st, NULL) != SQLITE_OK) return;
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if (!t) continue;
    if (prefix) {
      char *p = sqlite3_mprintf("%s%s", prefix, t);
      cand_add(p);
      sqlite3_free(p);
    } else {
      cand_add(t);
    }
  }
  sqlite3_finalize(st);
}

static void add_tables(void) {
  cand_query("SELECT name FROM sqlite_schema WHERE type IN ('table','view') "
             "AND name NOT LIKE 'sqlite_%'", NULL, NULL);
}

static void add_columns(const char *table, const char *prefix) {
  if (table) {
    cand_query("SELECT name FROM pragma_table_info(?1)", table, prefix);
    return;
  }
  cand_query("SELECT DISTINCT c.name FROM sqlite_schema s, pragma_table_info(s.name) c "
             "WHERE s.type IN ('table','view') AND s.name NOT LIKE 'sqlite_%'", NULL, NULL);
}

static void add_functions(void) {
  cand_query("SELECT DISTINCT name FROM pragma_function_list "
             "WHERE name NOT LIKE 'sqlite_%'", NULL, NULL);
}

static void add_keywords(int lower) {
  int n = sqlite3_keyword_count();
  for (int i = 0; i < n; i++) {
    const char *k;
    int len;
    if (sqlite3_keyword_name(i, &k, &len) != SQLITE_OK) continue;
    char buf[64];
    if (len >= (int)sizeof buf) continue;
    for (int j = 0; j < len; j++) buf[j] = lower ? (char)tolower((unsigned char)k[j]) : k[j];
    buf[len] = 0;
    cand_add(buf);
  }
}

static void add_words(const char *const *w) {
  for (; *w; w++) cand_add(*w);
}

static void add_reports(const char *report) {
  ReportEntry *v = NULL;
  char *err = NULL;
  int n = catalog_reports(&v, &err);
  sqlite3_free(err);
  for (int i = 0; i < n; i++) {
    if (!report) {
      cand_add(v[i].name);
    } else if (!strcmp(v[i].name, report) && v[i].rep) {
      for (int j = 0; j < v[i].rep->nparam; j++) {
        char *p = sqlite3_mprintf("%s=", v[i].rep->params[j].name);
        cand_add(p);
        sqlite3_free(p);
      }
    }
  }
  catalog_free(v, n);
  free(v);
}

static char *generator(const char *text, int state) {
  if (state == 0) g_next = 0;
  size_t n = strlen(text);
  while (g_next < g_ncand) {
    const char *c = g_cand[g_next++];
    if (strncasecmp(c, text, n) == 0) return strdup(c);
  }
  return NULL;
}

/* The words of the line before position end (quotes not interpreted). */
static int words_before(const char *line, int end, char w[][64], int max) {
  int n = 0, i = 0;
  while (i < end && n < max) {
    while (i < end && isspace((unsigned char)line[i])) i++;
    if (i >= end) break;
    int k = 0;
    while (i < end && !isspace((unsigned char)line[i])) {
      if (k < 63) w[n][k++] = line[i];
      i++;
    }
    w[n][k] = 0;
    n++;
  }
  return n;
}

static char **complete_fn(const char *text, int start, int end) {
  (void)end;
  cand_clear();
  rl_attempted_completion_over = 1;
  rl_completion_append_character = ' ';
  char w[16][64];
  const char *line = rl_line_buffer;
  const char *s = line;
  while (*s == ' ' || *s == '\t') s++;
  int nw = words_before(line, start, w, 16);
  if (*s == '.') {
    const char *cmd = nw > 0 ? w[0] + 1 : NULL;
    if (nw == 0) {
      for (int i = 0; shell_commands[i].name; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, ".%s", shell_commands[i].name);
        cand_add(buf);
      }
    } else if (!strcmp(cmd, "report")) {
      if (nw == 1) {
        add_reports(NULL);
      } else {
        add_reports(w[1]);
        rl_completion_append_character = '\0';
      }
    } else if (!strcmp(cmd, "mode") && nw == 1) {
      static const char *const m[] = {"box", "table", "markdown", "list", "csv", "tsv", "json", "line", 0};
      add_words(m);
    } else if (!strcmp(cmd, "chart") && nw == 1) {
      static const char *const m[] = {"bar", "quadrant", 0};
      add_words(m);
    } else if ((!strcmp(cmd, "headers") || !strcmp(cmd, "timer") || !strcmp(cmd, "bail")) && nw == 1) {
      static const char *const m[] = {"on", "off", 0};
      add_words(m);
    } else if (!strcmp(cmd, "param")) {
      static const char *const m[] = {"set", "unset", "list", "clear", 0};
      if (nw == 1) add_words(m);
      else if (nw == 2 && g_sh)
        for (int i = 0; i < g_sh->nparam; i++) cand_add(g_sh->params[i].name);
    } else if (!strcmp(cmd, "help") && nw == 1) {
      for (int i = 0; shell_commands[i].name; i++) cand_add(shell_commands[i].name);
    } else if ((!strcmp(cmd, "schema") || !strcmp(cmd, "tables")) && nw == 1) {
      add_tables();
    } else if (!strcmp(cmd, "import") && nw == 2) {
      add_tables();
    } else if (!strcmp(cmd, "open") || !strcmp(cmd, "read") || !strcmp(cmd, "import") ||
               !strcmp(cmd, "output") || !strcmp(cmd, "once") || !strcmp(cmd, "import-dir")) {
      rl_attempted_completion_over = 0;   /* readline's file names */
      return NULL;
    }
  } else {
    const char *prev = nw > 0 ? w[nw - 1] : "";
    const char *dot = strrchr(text, '.');
    if (dot) {
      char table[64];
      size_t tl = (size_t)(dot - text);
      if (tl < sizeof table) {
        memcpy(table, text, tl);
        table[tl] = 0;
        char prefix[70];
        snprintf(prefix, sizeof prefix, "%s.", table);
        add_columns(table, prefix);
      }
    } else if (!strcasecmp(prev, "from") || !strcasecmp(prev, "join") ||
               !strcasecmp(prev, "into") || !strcasecmp(prev, "update") ||
               !strcasecmp(prev, "table")) {
      add_tables();
    } else {
      add_columns(NULL, NULL);
      add_tables();
      add_functions();
      add_keywords(text[0] && islower((unsigned char)text[0]));
    }
  }
  if (g_ncand == 0) return NULL;
  return rl_completion_matches(text, generator);
}

void complete_install(Shell *sh) {
  g_sh = sh;
  rl_readline_name = "territory";
  rl_attempted_completion_function = complete_fn;
  /* '.' stays inside a word so ".rep" and "t.col" complete as a whole */
  rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,";
  rl_completer_word_break_characters = (char *)" \t\n\"'`@$><=;|&{(,";
}
