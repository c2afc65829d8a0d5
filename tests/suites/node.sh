#!/bin/sh
# tests/suites/node.sh -- the replicated territory database: three
# territory-node processes on loopback (free ports picked at run time), the
# shell pointed at them with dqlite://..., and the leader killed with SIGKILL
# in the middle of work.
#
#   1. build/dqc-test: the wire-protocol client and the node's guards
#   2. the cluster forms: three voters, one leader (.cluster)
#   3. the demo territory imported through the shell (.init, .import-dir):
#      every table identical to build/demo.db, the local import
#   4. every canned report on the cluster (a snapshot in the local engine)
#      == the same report on build/demo.db; a report that writes (run on the
#      leader in one transaction) leaves the same rows as on a local copy
#   5. SIGKILL of the leader while the shell runs reports: a new leader, the
#      shell follows it, every report still identical; the failover time
#   6. SIGKILL of the new leader while the shell imports 300,000 rows: the
#      table holds all of them or none, never a part
#      then a transaction larger than the page cache on a large database
#   7. both killed nodes restarted: each catches up (its own copy, read with
#      dqc-test --dump, holds every row); leader changes are in the logs
#   8. SIGTERM stops every node cleanly (exit status 0)
#
# Bounded in time: every command runs under `timeout`.  Skips (with a
# "skipped" count) when dqlite's header or the node binary is missing.
# Ends with "N passed, N failed, N skipped".
B=${B:-build}
ROOT=${ROOT:-$(pwd)}
case "$B" in /*) BD=$B ;; *) BD=$ROOT/$B ;; esac
SH=${TERRITORY:-$BD/territory}
NODE=$BD/territory-node
DQC=$BD/dqc-test
P=0
F=0
S=0
pass() { P=$((P + 1)); echo "ok: $*"; }
fail() { F=$((F + 1)); echo "FAILED: $*"; }

if [ ! -f /usr/include/dqlite.h ] || [ ! -x "$NODE" ] || [ ! -x "$DQC" ]; then
  echo "node: dqlite (libdqlite-dev) or $NODE is missing: run tools/setup.sh, make node"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
for tool in sqlite3 python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "node: $tool is missing (tools/setup.sh installs it)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
  fi
done

T=$(mktemp -d /tmp/territory-node.XXXXXX)
PIDS=""
cleanup() {
  for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
  [ -n "$NODE_KEEP" ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT

# three free loopback ports
PORTS=$(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))
for x in s: x.close()')
set -- $PORTS
A1=127.0.0.1:$1
A2=127.0.0.1:$2
A3=127.0.0.1:$3
ADDRS=$A1,$A2,$A3
URL=dqlite://$ADDRS/territory
addr_of() { eval echo "\$A$1"; }

start_node() {   # start_node ID [JOIN]
  if [ -n "$2" ]; then
    "$NODE" --id "$1" --address "$(addr_of "$1")" --data "$T/n$1" --join "$2" 2>>"$T/n$1.log" &
  else
    "$NODE" --id "$1" --address "$(addr_of "$1")" --data "$T/n$1" 2>>"$T/n$1.log" &
  fi
  eval "PID$1=$!"
  PIDS="$PIDS $!"
}
pid_of() { eval echo "\$PID$1"; }

sh_remote() { timeout 120 "$SH" "$URL" "$@"; }

# the id of the leader, from .cluster (id|address|role|leader)
leader_id() { sh_remote .cluster 2>/dev/null | awk -F'|' '$4 == "*" { print $1 }'; }

now() { date +%s.%N; }

# ---- 1-2: the cluster
start_node 1
sleep 0.5
start_node 2 "$A1"
start_node 3 "$A1,$A2"
n=0
until [ "$(sh_remote .cluster 2>/dev/null | grep -c '|voter|')" = 3 ] || [ $n -gt 100 ]; do
  sleep 0.2; n=$((n + 1))
done
out=$(sh_remote .cluster 2>&1)
if [ "$(echo "$out" | grep -c '|voter|')" = 3 ] && [ "$(echo "$out" | grep -c '|\*$')" = 1 ]; then
  pass "cluster of three voters and one leader"
else
  fail "cluster did not form: $out"
fi

timeout 120 "$DQC" "$ADDRS" > "$T/dqc.out" 2>&1
sed 's/^/  dqc-test: /' "$T/dqc.out" | grep -v '^  dqc-test: [0-9]* passed' | head -20
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$T/dqc.out" | tail -n 1)
if [ -n "$line" ]; then
  P=$((P + ${line%% passed*}))
  f=${line#*, }; F=$((F + ${f%% failed*}))
else
  fail "dqc-test ended without a tally"
fi

# ---- 3: the demo through the shell
if sh_remote -bail .init ".import-dir $ROOT/fixtures" > "$T/import.out" 2>&1; then
  pass "demo imported through the shell"
else
  fail "demo import: $(cat "$T/import.out")"
fi
TABLES=$(sqlite3 "$BD/demo.db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
same=0; diff=""
for t in $TABLES; do
  q="SELECT * FROM \"$t\" ORDER BY rowid"
  a=$(sh_remote -list "$q" 2>&1 | md5sum)
  b=$("$SH" -list "$BD/demo.db" "$q" 2>&1 | md5sum)
  if [ "$a" = "$b" ]; then same=$((same + 1)); else diff="$diff $t"; fi
done
if [ -z "$diff" ] && [ "$same" -gt 10 ]; then
  pass "all $same tables identical to the local import"
else
  fail "tables that differ from build/demo.db:$diff"
fi

# ---- 4: every report (required parameters given), and one that writes
REPORTS=$("$SH" "$BD/demo.db" .reports | awk '/^[a-z]/ { print $1 }')
report_args() { case $1 in decompose) echo "product=1" ;; esac; }
for r in $REPORTS; do
  sh_remote ".report $r $(report_args "$r")" > "$T/r.remote" 2>&1
  a=$?
  "$SH" "$BD/demo.db" ".report $r $(report_args "$r")" > "$T/r.local" 2>&1
  b=$?
  if cmp -s "$T/r.remote" "$T/r.local" && [ $a = 0 ] && [ $b = 0 ]; then
    pass "report $r identical on the cluster ($(wc -l < "$T/r.local") lines)"
  else
    fail "report $r differs (exit $a vs $b): $(diff "$T/r.local" "$T/r.remote" | head -5)"
  fi
done
# exports read their reports from a snapshot too
sh_remote ".html $T/pack.html scorecard" > "$T/html.out" 2>&1
a=$?
if [ $a = 0 ] && grep -q "浦东区域" "$T/pack.html" 2>/dev/null; then
  pass ".html of a report on the cluster"
else
  fail ".html on the cluster: exit $a, $(head -3 "$T/html.out")"
fi
cp "$BD/demo.db" "$T/local.db"
sh_remote ".report decompose product=1 mode=write" > "$T/w.remote" 2>&1
a=$?
"$SH" "$T/local.db" ".report decompose product=1 mode=write" > "$T/w.local" 2>&1
b=$?
q="SELECT * FROM target ORDER BY rowid"
if [ $a = 0 ] && [ $b = 0 ] && cmp -s "$T/w.remote" "$T/w.local" &&
   [ "$(sh_remote "$q" | md5sum)" = "$("$SH" "$T/local.db" "$q" | md5sum)" ]; then
  pass "a report that writes (decompose mode=write): same targets as on a local copy"
else
  fail "decompose mode=write: exit $a vs $b, $(diff "$T/w.local" "$T/w.remote" | head -3)"
fi

# ---- 5: the leader dies while reports run
: > "$T/script"
for i in 1 2 3 4 5 6; do
  for r in $REPORTS; do echo ".report $r $(report_args "$r")" >> "$T/script"; done
done
# the reference: the local copy that got the same decompose mode=write
"$SH" "$T/local.db" < "$T/script" > "$T/reports.local" 2>&1
L=$(leader_id)
timeout 180 "$SH" "$URL" < "$T/script" > "$T/reports.remote" 2> "$T/reports.err" &
shpid=$!
sleep 1
alive=0; kill -0 $shpid 2>/dev/null && alive=1
t0=$(now)
kill -9 "$(pid_of "$L")"
# the failover: the first write a new leader commits
sh_remote "CREATE TABLE IF NOT EXISTS probe(x); INSERT INTO probe VALUES (1)" > "$T/probe.out" 2>&1
pst=$?
t1=$(now)
wait $shpid
st=$?
FAILOVER=$(python3 -c "print(round($t1 - $t0, 2))")
echo "  failover: a new leader committed ${FAILOVER} s after SIGKILL of node $L"
NL=$(leader_id)
if [ -n "$NL" ] && [ "$NL" != "$L" ] && [ $pst = 0 ]; then
  pass "node $NL leads after node $L was killed (failover ${FAILOVER} s)"
else
  fail "no new leader after killing node $L (now: '$NL'): $(cat "$T/probe.out")"
fi
if [ $alive = 1 ] && [ $st = 0 ] && cmp -s "$T/reports.local" "$T/reports.remote"; then
  pass "reports in flight when the leader died: all completed, identical to local"
else
  fail "reports across the failover: alive=$alive exit=$st, $(diff "$T/reports.local" "$T/reports.remote" | head -3) $(head -3 "$T/reports.err")"
fi
KILLED1=$L
start_node "$KILLED1"   # back to three, so the next kill leaves a majority

# ---- 6: the leader dies in the middle of an import
python3 -c "
import sys
with open('$T/big.csv', 'w') as f:
    f.write('id,name,value\n')
    for i in range(1, 300001):
        f.write('%d,name %d,%d.5\n' % (i, i, i))"
sh_remote "CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL)" > "$T/big.out" 2>&1
ALL=$(python3 -c "print('300000|%.1f' % sum(i + 0.5 for i in range(1, 300001)))")
# the kill must come while the shell runs: if it finished first, the table
# is emptied and the import tried again with a shorter delay
alive=0
for delay in 1.5 1.0 0.6 0.3 0.15; do
  sh_remote "DELETE FROM big" > /dev/null 2>&1
  L=$(leader_id)
  timeout 180 "$SH" "$URL" ".import $T/big.csv big" > "$T/imp.out" 2> "$T/imp.err" &
  shpid=$!
  sleep $delay
  if kill -0 $shpid 2>/dev/null; then
    alive=1
    kill -9 "$(pid_of "$L")"
  fi
  wait $shpid
  st=$?
  [ $alive = 1 ] && break
  echo "  the import ended within $delay s, before the kill: again"
done
cnt=$(sh_remote "SELECT count(*), coalesce(sum(value), 0) FROM big" 2>&1)
echo "  import across the kill of node $L: exit $st, rows|sum = $cnt $(head -c 300 "$T/imp.err")"
if [ $alive = 1 ] && { { [ $st = 0 ] && [ "$cnt" = "$ALL" ]; } ||
                       { [ $st != 0 ] && { [ "$cnt" = "0|0" ] || [ "$cnt" = "$ALL" ]; }; }; }; then
  pass "import cut by the leader's death: all or nothing ($cnt, exit $st)"
else
  fail "import across the failover: alive=$alive exit=$st rows|sum=$cnt"
fi
KILLED2=$L

# a large transaction on a database that already holds a large table: with
# cache spill on, dqlite 1.11 failed it with a short read
sh_remote "SELECT 1" > /dev/null 2>&1
if timeout 120 "$SH" "dqlite://$ADDRS/spill" .init \
     "CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL)" \
     ".import $T/big.csv big" ".import-dir $ROOT/fixtures" > "$T/spill.out" 2>&1 &&
   [ "$(timeout 60 "$SH" "dqlite://$ADDRS/spill" "SELECT count(*) FROM rx")" = "$(sqlite3 "$BD/demo.db" "SELECT count(*) FROM rx")" ]; then
  pass "a transaction larger than the page cache, after a large table"
else
  fail "large transaction: $(cat "$T/spill.out")"
fi

# ---- 7: the killed nodes come back and catch up
start_node "$KILLED2"
want_rx=$(sqlite3 "$BD/demo.db" "SELECT count(*) FROM rx")
want_big=$(sh_remote "SELECT count(*) FROM big" 2>&1)
for k in "$KILLED1" "$KILLED2"; do
  ok=0; n=0
  while [ $ok = 0 ] && [ $n -lt 100 ]; do
    rm -f "$T/copy.db" "$T/copy.db-wal"
    if "$DQC" --dump "$(addr_of "$k")" territory "$T/copy.db" 2>/dev/null; then
      got=$(sqlite3 "$T/copy.db" "SELECT (SELECT count(*) FROM rx) || '|' || (SELECT count(*) FROM big)" 2>/dev/null)
      [ "$got" = "$want_rx|$want_big" ] && ok=1
    fi
    [ $ok = 0 ] && sleep 0.2
    n=$((n + 1))
  done
  chk=$(sqlite3 "$T/copy.db" "PRAGMA integrity_check" 2>&1)
  if [ $ok = 1 ] && [ "$chk" = ok ]; then
    pass "node $k restarted and caught up (its own copy: $want_rx rx rows, $want_big big rows)"
  else
    fail "node $k did not catch up: got '$got', want '$want_rx|$want_big', integrity $chk"
  fi
done
if grep -q "leader: " "$T/n$NL.log" && [ "$(cat "$T"/n*.log | grep -c 'leader: ')" -ge 4 ]; then
  pass "leadership changes logged"
else
  fail "leadership changes not logged: $(cat "$T"/n*.log | grep leader)"
fi
if [ "$(sh_remote .cluster 2>/dev/null | grep -c '|voter|')" = 3 ]; then
  pass "three voters again"
else
  fail "cluster after restarts: $(sh_remote .cluster 2>&1)"
fi

# ---- 8: clean stop
allok=1
for k in 1 2 3; do kill -TERM "$(pid_of "$k")" 2>/dev/null; done
for k in 1 2 3; do
  p=$(pid_of "$k")
  n=0
  while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  if kill -0 "$p" 2>/dev/null; then allok=0; kill -9 "$p"; fi
  wait "$p" 2>/dev/null || allok=0
  grep -q "stopped" "$T/n$k.log" || allok=0
done
if [ $allok = 1 ]; then
  pass "SIGTERM stops every node cleanly"
else
  fail "clean stop: $(tail -n 2 "$T"/n*.log)"
fi

echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
