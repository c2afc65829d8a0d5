/*
** report.h -- canned reports: parse a report file's header, bind its
** parameters by name, run it all-or-nothing.  Shared by the shell's
** `.report` and the test runner's `-- report:` so both read
** sql/reports/NAME.sql the same way (format: sql/reports/README.md).
*/
#ifndef TERRITORY_REPORT_H
#define TERRITORY_REPORT_H

#include <sqlite3.h>

typedef struct ReportParam {
  char *name;          /* without the ':' */
  char *about;         /* default description, or the description of a required one */
  int required;
} ReportParam;

typedef struct Report {
  char *name;
  char *description;   /* the one-line description from line 1 */
  ReportParam *params;
  int nparam;
  char *sql;           /* the whole file text */
} Report;

typedef struct ReportArg {
  const char *name;
  const char *value;   /* as typed: 12 -> integer, 1.5 -> real, 'x' or x -> text */
} ReportArg;

/* Parses report text.  name is the report's name (file name without .sql).
** Returns 0, or non-zero with *err (free()) saying what is wrong. */
int report_parse(const char *name, const char *text, Report *out, char **err);
void report_free(Report *r);

/* The declared parameter a given name stands for: itself, or its alias
** (unit and territory mean the same org unit; either is accepted). */
const char *report_param_name(const Report *r, const char *given);

/* Checks args against the report's declared parameters (aliases accepted): unknown names and
** missing required ones are errors (*err, free()).  Returns 0 if fine. */
int report_check_args(const Report *r, const ReportArg *args, int nargs,
                      char **err);

/* Binds every named parameter of stmt (:name, @name, $name) from args;
** parameters not given stay NULL.  Returns 0 or non-zero with *err. */
int report_bind(sqlite3_stmt *stmt, const ReportArg *args, int nargs,
                char **err);

/* Called once per statement that returns rows, before its first row
** (stmt is positioned ON the first row; rows may be empty: first_rc is
** SQLITE_DONE then), and it must step the statement itself to the end.
** Return SQLITE_OK to go on, anything else to stop with an error. */
typedef int (*report_result_fn)(void *ctx, sqlite3_stmt *stmt, int first_rc);

/* Runs every statement of the report inside one savepoint: on any error
** everything the report did is rolled back.  Returns SQLITE_OK or an error
** code with *err (free()) naming the report and the failing statement. */
int report_run(sqlite3 *db, const Report *r, const ReportArg *args, int nargs,
               report_result_fn on_result, void *ctx, char **err);

/* Binds a value typed by a person: integer, real, or text ('quoted' = text). */
int report_bind_typed(sqlite3_stmt *stmt, int idx, const char *value);

#endif
