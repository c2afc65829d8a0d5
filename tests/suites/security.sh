#!/bin/sh
# tests/suites/security.sh -- query text is data (issue 12), tried as an
# attacker would, in every client:
#   1. the stock sqlite3 shell, which has the file and process functions an
#      attacker wants (fsdir, zipfile, readfile, writefile, edit): each attack
#      must fail with territory's refusal AND leave no trace (no file read
#      into the output, no file written, no command run, no sqlite_stat1);
#   2. Python's sqlite3 and 3. Node's better-sqlite3 (a current SQLite): the
#      cases of tests/clients/attacks.json (pragma tables, dbstat, writes,
#      nesting, sibling and half-read cursors, NUL bytes bound as parameters).
# Ends with "N passed, N failed, N skipped" (Node not installed: a skip).
B=${B:-build}
P=0
F=0
S=0
T=$(mktemp -d /tmp/territory-security.XXXXXX)
trap 'rm -rf "$T"' EXIT
EXT="$B/territory"
pass() { P=$((P + 1)); }
fail() { F=$((F + 1)); echo "FAILED: $*"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
  fail "the sqlite3 CLI is not installed (tools/setup.sh installs it)"
else
  # refused NAME DB SQL EXPECTED-ERROR: the statement fails with that error
  # and prints nothing on stdout
  refused() {
    name=$1 db=$2 sql=$3 want=$4
    sqlite3 -batch "$db" ".load $EXT" "$sql" > "$T/out" 2> "$T/err"
    st=$?
    if [ "$st" -ne 0 ] && grep -qF -- "$want" "$T/err" && [ ! -s "$T/out" ]; then pass; else
      fail "sqlite3 $name: expected '$want' (exit status $st), stdout: $(cat "$T/out") stderr: $(cat "$T/err")"
    fi
  }
  # gives NAME DB SQL EXPECTED-STDOUT
  gives() {
    name=$1 db=$2 sql=$3 want=$4
    got=$(sqlite3 -batch "$db" ".load $EXT" "$sql" 2>&1)
    if [ "$got" = "$want" ]; then pass; else fail "sqlite3 $name: expected '$want', got '$got'"; fi
  }
  WHY_READ="(query text can only read tables and views)"
  WHY_CALL="(query text can only call SQLite's pure built-in functions and territory's)"
  echo "secret-$$" > "$T/secret.txt"
  DB="$T/t.db"
  sqlite3 "$DB" "CREATE TABLE w(k TEXT, v INTEGER); INSERT INTO w VALUES ('a', 1), ('b', 3);
    CREATE TABLE goal(id INTEGER PRIMARY KEY, owner, product, metric, baseline, target, potential, start_date, due_date);
    INSERT INTO goal(owner, product, metric, baseline, target, potential, start_date, due_date)
      VALUES ('T1', 'P1', 'sales', 1000, 1150, 2000, '2026-01-01', '2026-12-31'),
             ('T2', 'P1', 'sales', 1000, 900, 2000, '2026-01-01', '2026-12-31');"

  # 1. files through table-valued functions
  refused "fsdir through allocate" "$DB" \
    "SELECT key FROM allocate(10, 'SELECT data, 1 FROM fsdir(''$T/secret.txt'')')" \
    "allocate: query may not use fsdir $WHY_READ"
  refused "fsdir counted" "$DB" \
    "SELECT key FROM allocate(10, 'SELECT 1, count(*) FROM fsdir(''$T'')')" \
    "allocate: query may not use fsdir $WHY_READ"
  refused "fsdir through smart_check" "$DB" \
    "SELECT id FROM smart_check('SELECT data AS id, 1 AS owner, 1 AS product, 1 AS metric, 1 AS baseline, 1 AS target, 1 AS potential, 1 AS start_date, 1 AS due_date FROM fsdir(''$T/secret.txt'')')" \
    "smart_check: query may not use fsdir $WHY_READ"
  refused "fsdir in a TEMP view the query reads" "$DB" \
    "CREATE TEMP VIEW leak AS SELECT data, 1 FROM fsdir('$T/secret.txt'); SELECT key FROM allocate(10, 'leak')" \
    "allocate: query may not use fsdir $WHY_READ"
  /usr/bin/python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'secret.txt'); z.close()" \
    "$T/secret.zip" "$T/secret.txt"
  refused "zipfile through allocate" "$DB" \
    "SELECT key FROM allocate(10, 'SELECT data, 1 FROM zipfile(''$T/secret.zip'')')" \
    "allocate: query may not use zipfile $WHY_READ"
  refused "readfile" "$DB" \
    "SELECT key FROM allocate(10, 'SELECT readfile(''$T/secret.txt''), 1')" \
    "allocate: query may not call readfile() $WHY_CALL"
  refused "writefile" "$DB" \
    "SELECT key FROM allocate(10, 'SELECT writefile(''$T/written'', ''x''), 1')" \
    "allocate: query may not call writefile() $WHY_CALL"
  if [ -e "$T/written" ]; then fail "writefile wrote $T/written"; else pass; fi
  # 2. trusted_schema laundered: edit() runs a command
  refused "edit with trusted_schema off" "$DB" \
    "PRAGMA trusted_schema=OFF; SELECT * FROM allocate(10, 'SELECT edit(''x'', ''touch $T/pwned;true''), 1')" \
    "allocate: query may not call edit() $WHY_CALL"
  refused "edit through smart_check" "$DB" \
    "SELECT id FROM smart_check('SELECT edit(''x'', ''touch $T/pwned;true'') AS id, 1 AS owner, 1 AS product, 1 AS metric, 1 AS baseline, 1 AS target, 1 AS potential, 1 AS start_date, 1 AS due_date')" \
    "smart_check: query may not call edit() $WHY_CALL"
  if [ -e "$T/pwned" ]; then fail "edit() ran a command ($T/pwned exists)"; else pass; fi
  # 3. a read that writes
  refused "pragma_optimize" "$DB" \
    "SELECT * FROM allocate(10, 'SELECT 1,1 FROM pragma_optimize UNION ALL SELECT 2,1')" \
    "allocate: query may not use pragma_optimize $WHY_READ"
  gives "no sqlite_stat1 written" "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'" "0"
  # pure table-valued functions still work, and so does territory's own
  gives "generate_series is pure" "$DB" \
    "SELECT group_concat(amount) FROM allocate(6, 'SELECT value, 1 FROM generate_series(1, 3)')" "2,2,2"
  gives "json_each is pure" "$DB" \
    "SELECT group_concat(amount) FROM allocate(8, 'SELECT key, value FROM json_each(''[1,3]'')')" "2,6"
  # 4. nesting counts nesting: five siblings run
  gives "five sibling smart_checks" "$DB" \
    "SELECT count(*) FROM smart_check('goal') a, smart_check('goal') b, smart_check('goal') c, smart_check('goal') d, smart_check('goal') e" "32"
  # 5. a statement that never ended now ends, adding one row per goal
  # (bounded: before the fix this grew the file by ~35 MB a second)
  cp "$DB" "$T/grow.db"
  got=$(timeout 10 sqlite3 -batch "$T/grow.db" ".load $EXT" \
    "INSERT INTO goal(owner) SELECT 'copy' FROM smart_check('goal'); SELECT count(*) FROM goal" 2>&1)
  if [ "$got" = "4" ]; then pass; else
    fail "sqlite3 INSERT from smart_check of the same table: expected 4, got '$got' (exit status $?)"; fi
  rm -f "$T/grow.db"
  # 6. NUL bytes inside text
  refused "NUL in a number" "$DB" "SELECT dept_potential('40' || char(0) || 'abc', 0.5, 2, 22)" \
    "dept_potential: daily_patients must be a number, got '40' || char(0) || 'abc'"
  refused "NUL in a date" "$DB" "SELECT time_progress('2026-03-01' || char(0) || 'x', '2026-01-01', '2026-12-31')" \
    "time_progress: as_of must be a date 'YYYY-MM-DD' or a Julian day number, got '2026-03-01' || char(0) || 'x'"
  refused "NUL in allocate's total" "$DB" "SELECT * FROM allocate('10' || char(0) || '5', 'w')" \
    "allocate: total must be a non-negative whole number, got '10' || char(0) || '5'"
  refused "NUL in a quadrant" "$DB" "SELECT quadrant_focus('A' || char(0) || 'x')" \
    "quadrant_focus: quadrant must be text without NUL characters, got 'A' || char(0) || 'x'"
  echo "sqlite3 $(sqlite3 -version | cut -d' ' -f1): $P passed, $F failed"
fi

# tally "N passed, N failed" from a client's output into P and F
tally() {
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
  if [ -z "$line" ]; then fail "$2: crashed"; cat "$1"; return; fi
  cat "$1"
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  P=$((P + p)); F=$((F + f))
}

# 2. Python (Debian's python3 allows loadable extensions; pyenv's does not)
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then
  "$PY" tests/clients/attacks.py "$B/territory.so" tests/clients/attacks.json > "$T/py" 2>&1
  tally "$T/py" python
else
  fail "python: $PY cannot load extensions"
fi

# 3. Node + better-sqlite3 (installed by tests/suites/clients.sh)
NODE_DIR="$B/node"
if command -v node >/dev/null 2>&1 && [ -d "$NODE_DIR/node_modules/better-sqlite3/build/Release" ]; then
  NODE_PATH="$NODE_DIR/node_modules" node tests/clients/attacks.js "$B/territory.so" tests/clients/attacks.json > "$T/node" 2>&1
  tally "$T/node" node
else
  echo "node: skipped, node or better-sqlite3 not installed (tests/suites/clients.sh installs it)"
  S=$((S + 1))
fi

echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
