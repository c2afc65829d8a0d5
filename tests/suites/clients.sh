#!/bin/sh
# tests/suites/clients.sh -- the shared smoke test (tests/clients/smoke.tsv:
# one query per function, expected values worked out by hand) in every
# client our users reach us from:
#   1. the stock sqlite3 shell (.load)
#   2. Python's sqlite3 (enable_load_extension + load_extension)
#   3. a C program linking libterritory.a, registered by sqlite3_auto_extension
#   4. Node's better-sqlite3 12 (bundles a current SQLite) -- skipped with a
#      printed reason only when npm cannot reach its registry
# Ends with "N passed, N failed, N skipped".
B=${B:-build}
CC=${CC:-cc}
SMOKE=tests/clients/smoke.tsv
EXT="$B/territory.so"
P=0
F=0
S=0
add() { # add "N passed, N failed" line
  p=${1%% passed*}; f=${1#*, }; f=${f%% failed*}
  P=$((P + p)); F=$((F + f))
}
last_tally() { grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1; }
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

# 1. sqlite3 CLI
if command -v sqlite3 >/dev/null 2>&1; then
  p=0; f=0
  tab=$(printf '\t')
  while IFS="$tab" read -r name query expected; do
    case "$name" in ''|'#'*) continue ;; esac
    got=$(sqlite3 -batch :memory: ".load $B/territory" "$query" 2>&1)
    if [ "$got" = "$expected" ]; then p=$((p + 1)); else
      f=$((f + 1)); echo "sqlite3 $name: expected '$expected', got '$got'"; fi
  done < "$SMOKE"
  echo "sqlite3 $(sqlite3 -version | cut -d' ' -f1): $p passed, $f failed"
  P=$((P + p)); F=$((F + f))
else
  echo "sqlite3 CLI: not installed (tools/setup.sh installs it)"; F=$((F + 1))
fi

# 2. Python (Debian's python3 allows loadable extensions)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then
  "$PY" tests/clients/smoke.py "$EXT" "$SMOKE" > "$OUT" 2>&1
  cat "$OUT"; t=$(last_tally "$OUT")
  if [ -n "$t" ]; then add "$t"; else echo "python: crashed"; F=$((F + 1)); fi
else
  echo "python: $PY cannot load extensions"; F=$((F + 1))
fi

# 3. static C program
if $CC -std=gnu11 -Wall -Wextra -Werror -Iext -o "$B/smoke_static" tests/clients/smoke_static.c \
     "$B/libterritory.a" -lsqlite3 -lm; then
  "$B/smoke_static" "$SMOKE" > "$OUT" 2>&1
  cat "$OUT"; t=$(last_tally "$OUT")
  if [ -n "$t" ]; then add "$t"; else echo "static: crashed"; F=$((F + 1)); fi
else
  echo "static: does not compile"; F=$((F + 1))
fi

# 4. Node + better-sqlite3 12
NODE_DIR="$B/node"
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  if [ ! -d "$NODE_DIR/node_modules/better-sqlite3/build/Release" ]; then
    mkdir -p "$NODE_DIR"
    # node-gyp builds from source with the local Node headers when no
    # prebuilt binary can be fetched
    ( cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error \
        better-sqlite3@12 ) > "$NODE_DIR/npm.log" 2>&1
  fi
  if [ -d "$NODE_DIR/node_modules/better-sqlite3/build/Release" ]; then
    NODE_PATH="$NODE_DIR/node_modules" node tests/clients/smoke.js "$EXT" "$SMOKE" > "$OUT" 2>&1
    cat "$OUT"; t=$(last_tally "$OUT")
    if [ -n "$t" ]; then add "$t"; else echo "node: crashed"; F=$((F + 1)); fi
  elif grep -qiE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network' "$NODE_DIR/npm.log"; then
    echo "node: skipped, npm cannot reach its registry:"; tail -n 3 "$NODE_DIR/npm.log"; S=$((S + 1))
  else
    echo "node: npm install better-sqlite3@12 failed:"; tail -n 20 "$NODE_DIR/npm.log"; F=$((F + 1))
  fi
else
  echo "node: skipped, node/npm not installed"; S=$((S + 1))
fi

echo "$P passed, $F failed, $S skipped"
