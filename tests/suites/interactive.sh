#!/bin/sh
# tests/suites/interactive.sh -- drives build/territory under tmux the way a
# person would: type a query, Tab-complete a table, a report and a report
# parameter, run a report, a multi-line statement, Ctrl-C a long query and
# get the prompt back, Ctrl-C at the prompt, history kept in the history
# file (multi-line entries whole) and recalled with Up, Ctrl-D and double
# Ctrl-C to leave.  Ends with "N passed, N failed, N skipped".
#
#   TERRITORY=build/territory sh tests/suites/interactive.sh
T=${TERRITORY:-build/territory}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
P=0
F=0
if ! command -v tmux >/dev/null 2>&1; then
  (apt-get update && apt-get install -y tmux) >/dev/null 2>&1
fi
if ! command -v tmux >/dev/null 2>&1; then
  echo "interactive: tmux is not installed and cannot be installed; skipped"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
if [ ! -x "$T" ]; then
  echo "interactive: no shell binary at $T"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
W=$(mktemp -d /tmp/territory-tmux.XXXXXX)
SOCK="territory-test-$$"
HIST="$W/history"
tm() { tmux -L "$SOCK" "$@"; }
cleanup() { tm kill-server >/dev/null 2>&1; rm -rf "$W"; }
trap cleanup EXIT

ok() { P=$((P + 1)); }
fail() { F=$((F + 1)); echo "interactive: FAIL: $1"; screen | grep -v "^$" | sed 's/^/    | /' | tail -15; }

start() {
  tm kill-server >/dev/null 2>&1
  tm -f /dev/null new-session -d -s main -x 110 -y 40 \
    "cd $W && TERRITORY_HISTORY=$HIST TERRITORY_REPORTS=$W/reports TERM=xterm COLUMNS= $T $*"
}
screen() { tm capture-pane -p -t main -S -200 2>/dev/null; }
# wait_for TEXT [SECONDS]: the pane shows TEXT (a fixed string)
wait_for() {
  n=$(( ${2:-5} * 10 ))
  while [ $n -gt 0 ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
# gone [SECONDS]: the shell has exited (the session closed)
gone() {
  n=$(( ${1:-5} * 10 ))
  while [ $n -gt 0 ]; do
    tm has-session -t main 2>/dev/null || return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
check() { if eval "$2"; then ok; else fail "$1"; fi; }
# last_is TEXT [SECONDS]: the last non-empty line of the pane is TEXT (trailing
# blanks ignored), so a key is sent only once what came before was read
last_is() {
  n=$(( ${2:-5} * 10 ))
  while [ $n -gt 0 ]; do
    [ "$(screen | grep -v '^ *$' | tail -1 | sed 's/ *$//')" = "$1" ] && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
keys() { tm send-keys -t main "$@"; }
# typeln TEXT: types TEXT and Enter.  A blank goes after TEXT because tmux
# reads an argument ending in ';' as its own command separator.
typeln() { tm send-keys -t main -l "$1 "; tm send-keys -t main Enter; }

DOCTORS=$("$T" --demo "select count(*) from doctor")
mkdir "$W/reports"
cat > "$W/reports/hello.sql" <<'SQL'
-- hello: greets, three rows
-- param: who (required) whom to greet
SELECT 'hello ' || :who AS greeting FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3);
SQL

# 1. the prompt shows the database name
start --demo
check "prompt 'demo> ' appears" 'wait_for "demo>" 10'

# 2. type a query, Tab-completing the table name (org_ -> org_unit)
keys -l "select count(*) as n from org_"
keys Tab
check "Tab completes a table name" 'wait_for "from org_unit" 3'
typeln ";"
UNITS=$("$T" --demo "select count(*) from org_unit")
check "query result shown in a box" 'wait_for "│ $UNITS │" 3'

# 3. the doctors count through a completed keyword-less query
typeln "select count(*) as d from doctor;"
check "doctor count" 'wait_for "│ $DOCTORS │" 3'

# 4. a report: complete its name, then one of its parameters, run it
typeln ".maxrows 2"
keys -l ".report quadr"
keys Tab
check "Tab completes a report name" 'wait_for ".report quadrants" 3'
keys -l "terr"
keys Tab
check "Tab completes a report parameter" 'wait_for ".report quadrants territory=" 3'
keys C-u
# run a report (a user report from $TERRITORY_REPORTS, so this checks the
# shell, not the built-in reports' SQL), completing its parameter name
keys -l ".report hel"
keys Tab
keys -l "wh"
keys Tab
check "Tab completes the user report and its parameter" 'wait_for ".report hello who=" 3'
typeln "tmux"
check "report runs and shows its rows" 'wait_for "hello tmux" 5'
check "maxrows footer under the report" 'wait_for "1 more row not shown (.maxrows 2)" 3'

# 4b. column names and functions (ours too) complete in SQL
keys -l "select unit_pri"
keys Tab
check "Tab completes a column name" 'wait_for "select unit_price" 3'
keys C-u
keys -l "select territory_vers"
keys Tab
check "Tab completes one of our functions" 'wait_for "select territory_version" 3'
typeln "() as version;"
check "and it runs" 'wait_for "│ version │" 3'

# 4c. Chinese text typed at the prompt, aligned in the box
typeln "select '张三' as n union all select 'Li';"
check "Chinese input and alignment" 'wait_for "│ 张三 │" 3 && wait_for "│ Li   │" 1'

# 5. a dot-command completes too
keys -l ".rep"
keys Tab
check "Tab completes .rep to .report" 'last_is "demo> .report" 5'
keys C-c
last_is "demo>" 5
typeln "select 'fresh' as f;"
check "Ctrl-C at the prompt abandons the typed line" 'wait_for "│ fresh │" 3'
keys C-c
check "Ctrl-C at an empty prompt says how to quit" 'wait_for "(Ctrl-C again to quit" 3'

# 6. a statement over two lines
typeln "select 40 +"
check "continuation prompt" 'wait_for "...>" 3'
typeln "2 as answer;"
check "multi-line statement result" 'wait_for "│     42 │" 3'

# 7. Ctrl-C stops a long query, the prompt comes back, the database is intact
typeln "with recursive c(x) as (select 1 union all select x+1 from c where x<10000000000) select count(*) from c;"
check "long query shows elapsed time" 'wait_for "s (Ctrl-C cancels)" 6'
keys C-c
check "Ctrl-C interrupts the query" 'wait_for "error: interrupted" 5'
typeln "select 'still ' || count(*) as alive from doctor;"
check "prompt back, database intact" 'wait_for "still $DOCTORS" 5'

# 8. Ctrl-D leaves
keys C-d
check "Ctrl-D exits" 'gone 5'
check "history file written" '[ -s "$HIST" ]'
check "history keeps a multi-line statement as one entry" \
  'grep -qF "select 40 + \\n2 as answer;" "$HIST"'
check "history has the report command" 'grep -qF ".report hello who=tmux" "$HIST"'

# 9. history is read back: Up recalls the last entry
start --demo
wait_for "demo>" 10
keys Up
check "Up recalls the last history entry" 'wait_for "demo> select '"'"'still '"'"'" 3'
keys C-u
# 10. Ctrl-C twice at an empty prompt leaves
keys C-c
sleep 0.3
keys C-c
check "double Ctrl-C exits" 'gone 5'

# 11. a file database: the prompt names it; the data stays
start "$W/sales.db"
check "prompt names the file" 'wait_for "sales.db>" 10'
typeln "create table t(x); insert into t values ('kept');"
typeln ".quit"
check ".quit exits" 'gone 5'
check "data written to the file" '[ "$("$T" "$W/sales.db" "select x from t")" = kept ]'

# 12. Ctrl-C with text typed (not at an empty prompt) twice: the shell stays
start --demo
wait_for "demo>" 10
keys -l "SELECT 1"
last_is "demo> SELECT 1" 5
keys C-c
last_is "demo>" 5
keys -l "SELECT 2"
last_is "demo> SELECT 2" 5
keys C-c
sleep 0.5
check "two Ctrl-C over typed lines do not quit" 'tm has-session -t main 2>/dev/null'
typeln "select 'alive' || 12 as a;"
check "and the shell still answers" 'wait_for "alive12" 3'
typeln "select 40 +"
keys C-c
sleep 0.3
typeln "select 'b' ||"
keys C-c
sleep 0.5
check "two Ctrl-C over unfinished statements do not quit" 'tm has-session -t main 2>/dev/null'

# 13. Ctrl-D in the middle of a statement runs it, then leaves (the pane
# stays after the exit so its last output can be read)
tm set-option -t main remain-on-exit on >/dev/null
typeln "select 6 * 7 as"
last_is "...> select 6 * 7 as" 5 || last_is "demo> select 6 * 7 as" 1
typeln "mid"
last_is "...> mid" 5 || last_is "...>" 5
keys C-d
check "Ctrl-D runs the statement begun" 'wait_for "│  42 │" 10'
dead() {
  n=50
  while [ $n -gt 0 ]; do
    [ "$(tm display-message -p -t main "#{pane_dead}")" = 1 ] && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
check "and exits" dead

# 14. Ctrl-C cancels .import, .import-dir and .report, and rolls back
awk 'BEGIN { print "id,name"; for (i = 1; i <= 3000000; i++) printf "%d,name %d\n", i, (i * 7919) % 3000017 }' > "$W/big.csv"
mkdir "$W/dir" && cp "$W/big.csv" "$W/dir/BIG.csv" && printf 'id\n1\n' > "$W/dir/small.csv"
"$T" "$W/imp.db" "create table big(id integer primary key, name text not null)" \
  "create index big_name on big(name)" "create table small(id integer primary key)" >/dev/null
tm kill-server >/dev/null 2>&1
sleep 1
start "$W/imp.db"
wait_for "imp.db>" 10
typeln ".import $W/big.csv big"
sleep 1.5
keys C-c
check "Ctrl-C cancels .import" 'wait_for "interrupted" 10'
typeln "select 'rows:' || count(*) as n from big;"
check ".import cancelled: nothing kept" 'wait_for "rows:0" 5'
typeln ".import-dir $W/dir"
sleep 1.5
keys C-c
check "Ctrl-C cancels .import-dir" 'wait_for "BIG.csv: interrupted" 10'
typeln "select 'both:' || (select count(*) from big) || '/' || (select count(*) from small) as n;"
check ".import-dir cancelled: nothing kept" 'wait_for "both:0/0" 5'
cat > "$W/reports/slow.sql" <<'SQL'
-- slow: writes a row, then counts for a long time
INSERT INTO small VALUES (7);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) SELECT count(*) FROM c;
SQL
typeln ".report slow"
sleep 1.5
keys C-c
check "Ctrl-C cancels .report" 'wait_for "interrupted" 5'
typeln "select 'small:' || count(*) as n from small;"
check ".report cancelled: its write rolled back" 'wait_for "small:0" 5'
keys C-d
gone 5

echo "$P passed, $F failed, 0 skipped"
[ $F -eq 0 ]
