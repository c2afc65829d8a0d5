/*
** unit.h -- C unit tests that run inside tests/runner.c.
**
**   #include "unit.h"
**   UNIT_TEST(name) { sqlite3 *db = unit_open(); CHECK(x == 1, "x is %d", x); sqlite3_close(db); }
**
** Each CHECK is one assertion; a failure prints "file:line: message".
** Tests register themselves at start-up (a constructor), so adding a file
** under tests/unit/ is all it takes.
*/
#ifndef TERRITORY_UNIT_H
#define TERRITORY_UNIT_H

#include <sqlite3.h>

typedef void (*unit_fn)(void);
void unit_register(const char *name, const char *file, unit_fn fn);
void unit_check(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A :memory: database with the extension registered; aborts on failure. */
sqlite3 *unit_open(void);

#define UNIT_TEST(name)                                              \
  static void unit_##name(void);                                     \
  __attribute__((constructor)) static void unit_reg_##name(void) {   \
    unit_register(#name, __FILE__, unit_##name);                     \
  }                                                                  \
  static void unit_##name(void)

#define CHECK(cond, ...) unit_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#endif
