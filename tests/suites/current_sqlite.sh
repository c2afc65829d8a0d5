#!/bin/sh
# tests/suites/current_sqlite.sh -- the whole SQL and unit test suite again,
# linked against a current SQLite instead of the system's 3.40: the
# sqlite3.c that better-sqlite3 bundles (fetched by tests/suites/clients.sh).
# The extension must give the same answers and the same refusals on every
# SQLite from 3.40 on; this is where a newer query planner or stricter SQL
# would show.  Ends with "N passed, N failed, N skipped" (from the test runner).
B=${B:-build}
CC=${CC:-cc}
SQLITE_C="$B/node/node_modules/better-sqlite3/deps/sqlite3"
if [ ! -f "$SQLITE_C/sqlite3.c" ]; then
  echo "current SQLite: skipped, no bundled sqlite3.c (better-sqlite3 could not be installed)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
OUT="$B/current-sqlite"
mkdir -p "$OUT"
version=$(grep -m1 '#define SQLITE_VERSION ' "$SQLITE_C/sqlite3.h" | cut -d'"' -f2)
# dbstat as in Debian's SQLite, so the query-text refusals are tested on both
if [ ! -f "$OUT/sqlite3-$version-dbstat.o" ]; then
  $CC -O1 -w -DSQLITE_THREADSAFE=0 -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_DBSTAT_VTAB \
      -c "$SQLITE_C/sqlite3.c" -o "$OUT/sqlite3-$version-dbstat.o" || { echo "cannot compile SQLite $version"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
$CC -O1 -std=gnu11 -Wall -Wextra -Werror -DSQLITE_CORE -I"$SQLITE_C" -Iext -Ishell -Itests \
    -o "$OUT/test-runner" tests/runner.c shell/report.c tests/unit/*.c ext/*.c \
    "$OUT/sqlite3-$version-dbstat.o" -lm || { echo "cannot build the runner against SQLite $version"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
echo "SQLite $version"
# shellcheck disable=SC2046
"$OUT/test-runner" --unit $(ls tests/sql/*.test)
