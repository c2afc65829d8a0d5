/*
** shell.h -- the pieces of the territory shell (build/territory) and how
** they talk to each other.
**
**   main.c      options, the interactive loop, signals, history
**   feed.c      input to statements: the Feeder (interactive, stdin, -f,
**               .read), incremental statement completeness, NUL refusal
**   exec.c      running SQL text: statements, line numbers, .param binding
**   diag.c      error lines, the progress line, Ctrl-C, output write errors
**   commands.c  dot-commands: one table of name, handler, usage, help;
**               shell_dispatch_line() is the one entry point
**   output.c    output modes (box, table, csv, tsv, json, markdown, line, list)
**   width.c     display width of UTF-8 text (utf8proc, by grapheme
**               cluster) and text made safe for a terminal
**   csv.c       the all-or-nothing CSV importer and .import-dir ordering
**   encoding.c  GBK/GB18030 detection and conversion (iconv) for imports
**   lang.c      .lang zh|en: Chinese headers, status words, report titles
**   complete.c  readline completion
**   chart.c     .chart bar / .chart quadrant
**   catalog.c   embedded files (schema, reports, demo fixtures) and user
**               reports from $TERRITORY_REPORTS
**   remote.c    dqlite://HOST:PORT,.../NAME: SQL, reports and imports on a
**               territory-node cluster (dqc.c speaks the wire protocol)
**
** A fuzzer can drive the shell without a terminal:
**   Shell *sh = shell_new();  shell_open(sh, ":memory:", 0);
**   shell_dispatch_line(sh, ".import x.csv t");   shell_free(sh);
** and the importer alone with csv_import().
*/
#ifndef TERRITORY_SHELL_H
#define TERRITORY_SHELL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

/* ---------------------------------------------------------------- output */

typedef enum {
  MODE_LIST, MODE_BOX, MODE_TABLE, MODE_CSV, MODE_TSV, MODE_JSON,
  MODE_MARKDOWN, MODE_LINE
} OutMode;

/* One cell of a result, kept as the text shown and, for numbers, the value. */
typedef struct Cell {
  int type;        /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL */
  char *text;      /* display text (NULL for SQL NULL); malloc'd */
  double num;      /* for numbers */
} Cell;

/* The rows of one statement, as far as they were kept. */
typedef struct Result {
  int ncol;
  char **names;
  Cell *cells;     /* nrow * ncol */
  long nrow, cap;
  long base;       /* rows printed and dropped before cells[0] (streaming) */
  long total;      /* rows the statement produced (>= base + nrow) */
} Result;

void result_clear(Result *r);

/* In the streaming modes a result is kept whole (for .chart) up to this
** many rows; longer ones are printed and dropped as they come. */
#define SHELL_KEEP_ROWS 10000

/* ---------------------------------------------------------------- shell */

typedef struct Param { char *name; char *value; } Param;
typedef struct Remote Remote;   /* remote.c */

typedef struct Shell {
  sqlite3 *db;
  char *dbname;            /* as opened: file name, ":memory:", "demo" */
  OutMode mode;
  int headers;             /* -1 auto (on except in list mode), 0, 1 */
  char *nullvalue;
  long maxrows;            /* 0 = all */
  int timer;
  int bail;
  int interactive;
  FILE *out;               /* stdout or .output file */
  int out_is_file;
  int once;                /* .once: close out after the next command */
  int nerr;                /* statements/commands that failed */
  int quit;                /* .quit seen */
  Param *params; int nparam;
  Result last;             /* the last result with rows, for .chart */
  /* where the current input comes from, for error messages */
  const char *src_name;    /* NULL: stdin / arguments; else a file name */
  int src_line;            /* line of the statement being run, 0 = none */
  int depth;               /* .read nesting */
  int lang;                /* LANG_EN, LANG_ZH: headers and status words */
  int lang_all;            /* .lang zh all: csv/tsv/json too */
  char *out_name;          /* .output/.once file name, for messages */
  int out_failed;          /* a write to out failed (reported once) */
  Remote *remote;          /* dqlite:// cluster; NULL for a local database */
} Shell;

Shell *shell_new(void);
void shell_free(Shell *sh);
/* Opens (creating) a database; name ":memory:" works.  Registers the
** extension, turns foreign keys on.  Returns 0 or -1 (message on stderr). */
int shell_open(Shell *sh, const char *name);
/* Builds the bundled demo territory in memory. */
int shell_open_demo(Shell *sh);

/* ---- diag.c */

/* Prints "error: [FILE: ][line N: ]MSG" on stderr and counts the error. */
void shell_error(Shell *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Flushes the output; a failed write is reported (once) and counted.
** Returns 0 or 1. */
int shell_check_output(Shell *sh);
double shell_now(void);
/* The .timer line for something that started at t0 (shell_now) and c0 (clock). */
#include <time.h>
void shell_timer_show(double t0, clock_t c0);
/* Closes a .output/.once file (write errors reported) and returns to stdout. */
int shell_close_output(Shell *sh);

/* Progress / interrupt support.  The SIGINT handler (main.c) sets
** g_interrupted and calls sqlite3_interrupt(g_running_db); between begin
** and end a progress handler stops any statement once g_interrupted is set
** and shows the elapsed time on a terminal. */
#include <signal.h>
extern volatile sig_atomic_t g_interrupted;
extern sqlite3 *volatile g_running_db;
void shell_progress_begin(Shell *sh);
void shell_progress_end(Shell *sh);

/* Runs one dot-command line (starting with '.').  Returns 0 on success,
** 1 on error (already reported), 2 when the shell should exit. */
int shell_dispatch_line(Shell *sh, const char *line);

/* After .once: the output returns to stdout once a command has run. */
void shell_once_done(Shell *sh);

/* Runs SQL text, every statement in turn; first_line is the line number
** of the text's first line (for messages).  Returns 0 or 1 on error. */
int shell_exec_sql(Shell *sh, const char *sql, int first_line);
/* The first character of the next statement in z, past blanks and comments. */
const char *sql_skip_blank(const char *z);

/* ---- feed.c */

/* sqlite3_complete()'s state, carried from one piece of text to the next. */
typedef struct SqlScan {
  int state;               /* 1: a complete statement ends here */
  char inq;                /* open quote ' " ` ], '*' block comment, '-' line comment */
} SqlScan;
/* Scans n bytes; with stop, returns at the ';' that completes a statement
** (the offset after it), else scans all and returns n. */
size_t sqlscan(SqlScan *s, const char *z, size_t n, int stop);
int sqlscan_complete(const SqlScan *s);

/* Line-at-a-time input: dot-commands at the start of a statement run at
** once, SQL lines collect until a statement is complete. */
typedef struct Feeder {
  char *buf;
  size_t len, cap;
  int start;               /* line number of the first buffered line */
  SqlScan scan;
} Feeder;
/* Returns 0, 1 (an error, reported), 2 (quit). */
int feeder_line(Shell *sh, Feeder *fd, const char *line, int lineno);
/* Runs what is left at end of input. */
int feeder_flush(Shell *sh, Feeder *fd);
int feeder_pending(const Feeder *fd);
void feeder_free(Feeder *fd);

/* Runs a whole script (SQL and dot-commands) of n bytes, or a stream line
** by line; name is the file name for messages (NULL: none).  A NUL byte is
** an error naming the line.  Returns 0, 1 on error, 2 when .quit was seen. */
int shell_run_script(Shell *sh, const char *text, size_t n, const char *name);
int shell_run_file(Shell *sh, FILE *in, const char *name);

/* Binds every named parameter of stmt from .param values (unset: NULL). */
int shell_bind_params(Shell *sh, sqlite3_stmt *stmt);

/* Prints every row of a statement positioned on its first row (first_rc is
** the rc of that first step) in the current mode.  Returns SQLITE_OK or the
** error code of a failing step. */
int shell_print_stmt(Shell *sh, sqlite3_stmt *stmt, int first_rc);

/* ---------------------------------------------------------------- output.c */

void output_result(Shell *sh, const Result *r);
/* Row-at-a-time output for the modes that need no widths (list, csv, tsv,
** json, line): output_streams() says whether the mode is one of them. */
int output_streams(const Shell *sh);
void output_begin(Shell *sh, const Result *r);
void output_rows(Shell *sh, const Result *r, long from, long to);
void output_end(Shell *sh, const Result *r);
/* Formats a real for people (15 significant digits, ".0" kept) or exactly
** (shortest text that reads back as the same double). */
void format_real(char *buf, size_t n, double d, int exact);
const char *mode_name(OutMode m);
int mode_from_name(const char *name, OutMode *out);

/* ---------------------------------------------------------------- width.c */

/* Display columns of one code point: 0, 1 or 2 (control chars: 0). */
int cp_width(unsigned cp);
/* Display columns of UTF-8 text of n bytes (n < 0: NUL-terminated).
** Invalid bytes count 1 each. */
int utf8_width(const char *s, long n);
/* Decodes one UTF-8 sequence; returns its length (1..4) or 0 if invalid,
** storing the code point in *cp. */
int utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Bytes of the longest prefix of s whose display width is <= cols. */
size_t utf8_prefix_for_width(const char *s, int cols);

/* A copy of text that is safe to show on a terminal (malloc'd): control
** characters become their pictures (ESC -> U+241B), C1 controls (U+009B),
** bidi overrides (U+202E ...) and invalid bytes (a raw 0x9B) become U+FFFD.
** Newlines and tabs: kept (SAFE_KEEP_NL), newline as an arrow
** (SAFE_NL_ARROW), else a blank / a picture.  n < 0: NUL-terminated. */
#define SAFE_KEEP_NL 1
#define SAFE_NL_ARROW 2
char *term_safe(const char *s, long n, int flags);
/* 0 when s is plain printable ASCII (no copy needed). */
int term_needs_safe(const char *s);

/* ---------------------------------------------------------------- lang.c */

enum { LANG_EN = 0, LANG_ZH = 1 };
/* The Chinese for an English column name or status word, or NULL. */
const char *lang_term(const char *en);
/* The Chinese title of a built-in report, or NULL. */
const char *lang_title(const char *report);
/* LANG_EN, LANG_ZH, or -1 for a name that is neither. */
int lang_from_name(const char *s);
/* Whether output in the current mode is translated. */
int lang_active(const Shell *sh);
/* en, or its translation when lang_active(). */
const char *lang_name(const Shell *sh, const char *en);

/* ---------------------------------------------------------------- csv.c */

typedef struct CsvProgress {
  const char *file;
  size_t total_bytes;
  int show;                /* print progress on stderr after a second */
  int upsert;              /* a row whose primary key exists is updated */
  long updated;            /* out: rows that updated an existing row */
} CsvProgress;

/* Imports CSV text (header row = column names of table) into table, all or
** nothing (inside a savepoint).  Empty unquoted fields are NULL, "" is the
** empty string.  Returns the number of rows imported, or -1 with *err
** (sqlite3_free) naming the line and column. */
long csv_import(sqlite3 *db, const char *table, const char *data, size_t n,
                char **err);
long csv_import_ex(sqlite3 *db, const char *table, const char *data, size_t n,
                   const char *file, CsvProgress *prog, char **err);

/* One CSV source for import_tables(): a table and its text. */
typedef struct CsvSource {
  char *table;
  char *file;              /* for messages */
  char *data;
  size_t n;
  long updated;            /* out: rows that updated an existing row */
} CsvSource;
/* import_tables() flags */
#define CSV_SHOW 1         /* progress on stderr */
#define CSV_UPSERT 2       /* update rows whose primary key exists */

/* Imports several tables in foreign-key dependency order (flags: CSV_SHOW,
** CSV_UPSERT) (parents first,
** computed from pragma_foreign_key_list), in one transaction.  Returns total
** rows or -1 with *err (sqlite3_free). */
long import_tables(sqlite3 *db, CsvSource *src, int n, int show_progress,
                   char **err);

/* How an unquoted field of an untyped column is read: 1 an integer, 2 a
** real (0: neither); csv_looks_blob: X'hex', a blob.  The csv output mode
** quotes text that looks like either. */
int csv_looks_numeric(const char *f, size_t n);
int csv_looks_blob(const char *f, size_t n);

/* encoding.c: text in another encoding (gbk, gb18030, big5, ...) to
** UTF-8 (malloc'd, NUL-terminated), or NULL with *err (sqlite3_free)
** naming the line and byte that is not text in that encoding. */
char *text_to_utf8(const char *data, size_t n, const char *from, size_t *out_n,
                   char **err);
/* NULL for UTF-8 text; "gb18030" when the bytes are GBK/GB18030 Chinese,
** even when they happen to be valid UTF-8 too. */
const char *encoding_guess(const char *data, size_t n);

/* Reads a whole file; returns malloc'd data (NUL-terminated) or NULL. */
char *read_file(const char *path, size_t *n);

/* ---------------------------------------------------------------- catalog.c */

typedef struct EmbeddedFile {
  const char *path;        /* e.g. "sql/reports/progress.sql" */
  const char *data;
  size_t len;
} EmbeddedFile;
extern const EmbeddedFile embedded_files[];   /* generated: build/gen/resources.c */
extern const int embedded_nfiles;

const EmbeddedFile *embedded_find(const char *path);

struct Report;
/* Every known report: built in, then $TERRITORY_REPORTS (a user report with
** the same name replaces the built-in).  Sorted by name. */
typedef struct ReportEntry {
  char *name;
  char *origin;            /* "built-in" or the user file's path */
  struct Report *rep;      /* parsed, or NULL when it failed to parse */
  char *parse_error;
} ReportEntry;
int catalog_reports(ReportEntry **out, char **err);
void catalog_free(ReportEntry *e, int n);

/* ---------------------------------------------------------------- chart.c */

int terminal_width(void);
int chart_bar(Shell *sh, const Result *r, char **argv, int argc);
int chart_quadrant(Shell *sh, const Result *r, char **argv, int argc);

/* ---------------------------------------------------------------- complete.c */

void complete_install(Shell *sh);

/* ---------------------------------------------------------------- remote.c */

/* shell_open() of "dqlite://HOST:PORT[,...]/NAME" lands here; then
** sh->remote is set and the functions below run on the cluster what the
** shell otherwise runs on sh->db (which stays a local :memory: database). */
int remote_open(Shell *sh, const char *url);
void remote_free(Remote *r);
int remote_exec_sql(Shell *sh, const char *sql, int first_line);
struct Report;
struct ReportArg;
/* Returns 0, or 1 with *err (free()). */
/* A report: on a snapshot of the cluster's database in the local engine
** (it never stalls the cluster); one that changes data there (not only
** TEMP tables) runs on the leader, statement by statement in one
** transaction. */
int remote_report_run(Shell *sh, const struct Report *rep, const struct ReportArg *args,
                      int nargs, char **err);
/* single: one file through csv_import_ex(), else import_tables().  Returns
** the rows imported or -1 with *err (sqlite3_free). */
long remote_import(Shell *sh, CsvSource *src, int n, int single, char **err);
int remote_print_query(Shell *sh, const char *sql, const char *arg);
/* Runs a dot-command with sh->db set to a snapshot (a throwaway copy) of the
** cluster's database (for commands that read reports, like .excel). */
int remote_on_snapshot(Shell *sh, int (*fn)(Shell *, char **, int), char **argv, int argc);
int remote_run_script_tx(Shell *sh, const char *text, const char *label);
int remote_cluster(Shell *sh);

/* ---------------------------------------------------------------- commands.c */

/* The dot-commands: one row per command.  A new command is one row here
** (commands.c, or a module's own table merged below) and its handler.
** handler returns 0, 1 on error (reported), 2 to leave the shell. */
typedef int (*CmdFn)(Shell *sh, char **argv, int argc);
typedef struct CommandInfo {
  const char *name;
  CmdFn handler;
  const char *usage;
  const char *help;
} CommandInfo;
extern const CommandInfo shell_commands[];
/* Removes the quotes of a dot-command word in place: 'a''b' -> a'b. */
char *shell_unquote(char *s);

#endif
