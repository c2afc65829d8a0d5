#!/bin/sh
# tests/suites/atomic.sh -- no data lost: the shell is killed with SIGKILL
# in the middle of a write, the database is reopened, and it must be intact
# (PRAGMA integrity_check says ok) and hold either everything or nothing of
# the interrupted work -- never a part.
#
#   a. .import of a 1,500,000-row CSV into a table that already holds rows
#   b. .import-dir of a parent and a child table (600,000 rows each)
#   c. .report decompose ... mode=write (the target cascade written into
#      the target table) on a generated territory of 10,000 doctors
#
# "In the middle" is made sure of, not hoped for: the kill comes once the
# database's rollback journal exists (the write transaction has begun)
# plus a short delay, and the test checks that a hot journal was left
# behind (the process died with the transaction open).  If the process
# finishes before that, the attempt is repeated with a shorter delay.
# Ends with "N passed, N failed, N skipped".
B=${B:-build}
ROOT=${ROOT:-$(pwd)}
case "$B" in /*) BD=$B ;; *) BD=$ROOT/$B ;; esac
SH=${TERRITORY:-$BD/territory}
P=0
F=0
pass() { P=$((P + 1)); echo "ok: $*"; }
fail() { F=$((F + 1)); echo "FAILED: $*"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "atomic: the sqlite3 CLI is not installed (tools/setup.sh installs it)"
  echo "0 passed, 0 failed, 1 skipped"; exit 0
fi
T=$(mktemp -d /tmp/territory-atomic.XXXXXX)
trap 'rm -rf "$T"' EXIT

# kill_mid DB DELAY COMMAND...: runs COMMAND in the background, waits for
# DB-journal to appear, sleeps DELAY seconds, sends SIGKILL.  Returns 0 when
# the kill left a hot journal (it hit an open transaction), 1 when the
# command had finished (or never wrote) before the kill, 2 when the journal
# never appeared within 60 s.
kill_mid() {
  db=$1; delay=$2; shift 2
  "$@" > "$T/out" 2>&1 &
  pid=$!
  n=0
  while [ ! -e "$db-journal" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; return 1; fi
    n=$((n + 1))
    [ $n -gt 6000 ] && { kill -9 "$pid"; wait "$pid" 2>/dev/null; return 2; }
    sleep 0.01
  done
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ -s "$db-journal" ] && return 0
  return 1
}

# check DB LABEL QUERY NOTHING EVERYTHING: reopens DB, runs integrity_check
# and QUERY; the result must be NOTHING or EVERYTHING.
check() {
  db=$1; label=$2; query=$3; nothing=$4; everything=$5
  ic=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
  if [ "$ic" != "ok" ]; then fail "$label: integrity_check: $ic"; return; fi
  got=$(sqlite3 "$db" "$query" 2>&1)
  if [ "$got" = "$nothing" ]; then pass "$label: integrity ok, nothing of the interrupted work ($got)"
  elif [ "$got" = "$everything" ]; then pass "$label: integrity ok, all of the interrupted work ($got)"
  else fail "$label: a partial result: $got (nothing: $nothing, everything: $everything)"; fi
}

# What the kill left: a hot journal (pages of the database file had been
# overwritten: reopening must roll them back) or a journal whose header is
# still zero (the transaction had changed pages only in memory; SQLite
# ignores such a journal).
journal_state() {
  if [ "$(od -An -tx1 -N8 "$1-journal" | tr -d ' \n')" = "0000000000000000" ]; then
    echo "the open transaction had not yet written to the database file"
  else
    echo "a hot journal, rolled back on reopening"
  fi
}

# run_case LABEL DB SETUP_FN QUERY NOTHING EVERYTHING COMMAND...
run_case() {
  label=$1; db=$2; setup=$3; query=$4; nothing=$5; everything=$6; shift 6
  for delay in 0.3 0.1 0.02 0; do
    rm -f "$db" "$db-journal"
    $setup
    kill_mid "$db" "$delay" "$@"
    r=$?
    if [ $r -eq 0 ]; then
      echo "   $label: killed mid-write ${delay} s after the journal appeared: $(journal_state "$db")"
      check "$db" "$label" "$query" "$nothing" "$everything"
      return
    fi
    [ $r -eq 2 ] && { fail "$label: the write never began: $(tail -n 3 "$T/out")"; return; }
    echo "   $label: finished before the kill at ${delay} s; again, sooner"
  done
  fail "$label: could not kill it mid-write (the machine is too fast for these sizes?)"
}

# ---- a. .import of a large CSV
awk 'BEGIN { print "id,name,amount";
             for (i = 1; i <= 1500000; i++) printf "%d,doctor %d,%d.25\n", i, i, i % 9973 }' \
  > "$T/big.csv"
setup_a() {
  sqlite3 "$T/a.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, amount REAL);
                     INSERT INTO t VALUES (-1, 'old', 1), (-2, 'old', 2), (-3, 'old', 3);"
}
run_case ".import" "$T/a.db" setup_a "SELECT count(*) FROM t" 3 1500003 \
  "$SH" "$T/a.db" ".import $T/big.csv t"

# ---- b. .import-dir: a parent and a child table, in one transaction
mkdir -p "$T/dir"
awk 'BEGIN { print "id,name"; for (i = 1; i <= 600000; i++) printf "%d,p%d\n", i, i }' > "$T/dir/parent.csv"
awk 'BEGIN { print "id,parent_id,v"; for (i = 1; i <= 600000; i++) printf "%d,%d,%d\n", i, i, i % 7 }' \
  > "$T/dir/child.csv"
setup_b() {
  sqlite3 "$T/b.db" "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT);
                     CREATE TABLE child(id INTEGER PRIMARY KEY,
                                        parent_id INTEGER REFERENCES parent(id), v INTEGER);"
}
run_case ".import-dir" "$T/b.db" setup_b \
  "SELECT (SELECT count(*) FROM parent) || '+' || (SELECT count(*) FROM child)" "0+0" "600000+600000" \
  "$SH" "$T/b.db" ".import-dir $T/dir"

# ---- c. the decompose report's write mode
if make -s B="$B" "$B/bench-gen" > "$T/gen.log" 2>&1 &&
   nice "$BD/bench-gen" "$T/gen.db" 0.01 atomic-suite > "$T/gen.log" 2>&1; then
  SUM="SELECT count(*) || ':' || total(amount) FROM target"
  cp "$T/gen.db" "$T/full.db"
  # a bound, so that a plan gone quadratic fails here instead of hanging
  # the suite (about a second at this scale)
  timeout 120 "$SH" "$T/full.db" ".report decompose product=1 mode=write doctors=1" > "$T/full.out" 2>&1
  rc=$?
  nothing=$(sqlite3 "$T/gen.db" "$SUM")
  everything=$(sqlite3 "$T/full.db" "$SUM")
  if [ $rc -eq 124 ]; then
    fail "decompose: the uninterrupted write took more than 120 s (about 1 s expected)"
  elif [ "$nothing" = "$everything" ]; then
    fail "decompose: the uninterrupted write changed nothing ($nothing): $(tail -n 3 "$T/full.out")"
  else
    setup_c() { cp "$T/gen.db" "$T/c.db"; }
    # a small page cache makes the write spill to the database file early,
    # so the kill finds pages already overwritten (a hot journal)
    run_case ".report decompose mode=write" "$T/c.db" setup_c "$SUM" "$nothing" "$everything" \
      "$SH" "$T/c.db" "PRAGMA cache_size = 20" ".report decompose product=1 mode=write doctors=1"
  fi
else
  fail "decompose: cannot generate the territory: $(tail -n 3 "$T/gen.log")"
fi

echo "$P passed, $F failed, 0 skipped"
[ "$F" -eq 0 ]
