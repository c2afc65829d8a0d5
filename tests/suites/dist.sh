#!/bin/sh
# tests/suites/dist.sh -- territory installs like a library and builds from
# one file:
#   * make install PREFIX=<temp>: the extension loads from there in sqlite3,
#     the shell runs, the man page renders, a program builds against
#     territory.pc with pkg-config and passes the smoke test; make uninstall
#     leaves no file behind;
#   * make amalgamation: dist/territory.c compiles alone into a loadable
#     extension, and with -DSQLITE_CORE into a program together with a
#     current SQLite (the sqlite3.c better-sqlite3 bundles, when present).
# Ends with "N passed, N failed, N skipped" (no man or pkg-config: a skip).
B=${B:-build}
CC=${CC:-cc}
P=0
F=0
S=0
ok() { P=$((P + 1)); }
no() { F=$((F + 1)); echo "dist: $*"; }
check() { # check DESCRIPTION COMMAND...
  d=$1; shift
  if "$@" > "$TMP/log" 2>&1; then ok; else no "$d"; sed 's/^/  /' "$TMP/log" | tail -n 15; fi
}
TMP=$(mktemp -d /tmp/territory-dist.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
PREFIX="$TMP/prefix"

# ---- install
check "make install" make -s B="$B" install PREFIX="$PREFIX"
for f in lib/territory.so lib/libterritory.a include/territory.h bin/territory \
         share/man/man1/territory.1 lib/pkgconfig/territory.pc; do
  if [ -f "$PREFIX/$f" ]; then ok; else no "install did not put $f"; fi
done
v=$(sed -n 's/^#define TERRITORY_VERSION "\(.*\)"/\1/p' ext/territory.h)
got=$(sqlite3 :memory: ".load $PREFIX/lib/territory" "select territory_version()" 2>&1)
[ "$got" = "$v" ] && ok || no "installed extension: expected version $v, got '$got'"
got=$("$PREFIX/bin/territory" --version 2>&1)
case "$got" in *"$v"*) ok ;; *) no "installed shell --version: got '$got'" ;; esac
if command -v man >/dev/null 2>&1; then
  check "man page renders" sh -c "man -l '$PREFIX/share/man/man1/territory.1' | grep -q territory"
else
  echo "dist: man is not installed; the man page is not tested (skipped)"; S=$((S + 1))
fi
if command -v pkg-config >/dev/null 2>&1; then
  flags=$(PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" pkg-config --cflags --libs --static territory)
  check "build with pkg-config ($flags)" sh -c \
    "$CC -std=gnu11 -o '$TMP/pc_smoke' tests/clients/smoke_static.c $flags"
  check "pkg-config program passes the smoke test" "$TMP/pc_smoke" tests/clients/smoke.tsv
else
  echo "dist: pkg-config not installed; pkg-config build not tested (skipped)"; S=$((S + 2))
fi
check "make uninstall" make -s B="$B" uninstall PREFIX="$PREFIX"
left=$(find "$PREFIX" -type f | head -n 5)
[ -z "$left" ] && ok || no "uninstall left: $left"

# ---- amalgamation
check "make amalgamation" make -s B="$B" amalgamation
check "dist/territory.c compiles as a loadable extension" \
  $CC -O1 -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -Idist dist/territory.c -o "$TMP/territory.so"
got=$(sqlite3 :memory: ".load $TMP/territory" "select quadrant(10, 50, 8, 40)" 2>&1)
[ "$got" = "B" ] && ok || no "amalgamation .so: expected B, got '$got'"
SQLITE_C="$B/node/node_modules/better-sqlite3/deps/sqlite3"
if [ -f "$SQLITE_C/sqlite3.c" ]; then
  check "dist/territory.c + SQLite $(grep -m1 '#define SQLITE_VERSION ' "$SQLITE_C/sqlite3.h" | cut -d'"' -f2) with -DSQLITE_CORE" \
    $CC -O0 -std=gnu11 -DSQLITE_CORE -DSQLITE_THREADSAFE=0 -I"$SQLITE_C" -Idist \
      -o "$TMP/amal_core" tests/clients/smoke_static.c dist/territory.c "$SQLITE_C/sqlite3.c" -lm
else
  check "dist/territory.c with -DSQLITE_CORE (system SQLite)" \
    $CC -O1 -std=gnu11 -DSQLITE_CORE -Idist -o "$TMP/amal_core" \
      tests/clients/smoke_static.c dist/territory.c -lsqlite3 -lm
fi
check "amalgamation program passes the smoke test" "$TMP/amal_core" tests/clients/smoke.tsv

echo "$P passed, $F failed, $S skipped"
