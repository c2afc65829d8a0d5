#!/bin/sh
# tests/suites/linear.sh -- the shell's input costs grow linearly: a script
# holding one long multi-line statement (through -f, stdin and .read), and
# .import-dir over many files with foreign keys among them.  Each case runs
# at 1x and 4x size; linear work takes about 4 times as long, quadratic 16
# times, so the case fails when the ratio passes 8 (times under 0.05 s
# count as 0.05 s, so noise on tiny inputs cannot fail it).
# Ends with "N passed, N failed".
#
#   TERRITORY=build/territory sh tests/suites/linear.sh
T=${TERRITORY:-build/territory}
P=0
F=0
W=$(mktemp -d /tmp/territory-linear.XXXXXX)
trap 'rm -rf "$W"' EXIT

secs() {   # secs CMD...: wall seconds of CMD, its output dropped
  s=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  rc=$?
  e=$(date +%s.%N)
  [ $rc -eq 0 ] || echo "linear: command failed ($rc): $*" >&2
  echo "$s $e" | awk '{ d = $2 - $1; if (d < 0.05) d = 0.05; printf "%.3f\n", d }'
}
check_ratio() {   # check_ratio NAME T1 T4
  if echo "$2 $3" | awk '{ exit !($2 / $1 <= 8) }'; then
    P=$((P + 1))
  else
    F=$((F + 1))
    echo "linear: FAIL: $1: 1x took $2 s, 4x took $3 s (ratio above 8: not linear)"
  fi
}

# one INSERT of N lines
script() {
  awk -v n="$1" 'BEGIN { print "CREATE TABLE t(x, y);"; print "INSERT INTO t VALUES";
    for (i = 1; i < n; i++) printf "(%d, %s),\n", i, "'"'"'a;b'"'"'";
    printf "(%d, 0);\nSELECT count(*) FROM t;\n", n }' > "$2"
}
script 10000 "$W/s1.sql"
script 40000 "$W/s4.sql"
check_ratio "-f with a 10k/40k-line statement" "$(secs "$T" :memory: -f "$W/s1.sql")" "$(secs "$T" :memory: -f "$W/s4.sql")"
check_ratio "stdin with a 10k/40k-line statement" "$(secs sh -c "'$T' :memory: < '$W/s1.sql'")" "$(secs sh -c "'$T' :memory: < '$W/s4.sql'")"
check_ratio ".read of a 10k/40k-line statement" "$(secs "$T" :memory: ".read $W/s1.sql")" "$(secs "$T" :memory: ".read $W/s4.sql")"
# and the rows are all there
c=$("$T" :memory: -f "$W/s4.sql")
if [ "$c" = 40000 ]; then P=$((P + 1)); else F=$((F + 1)); echo "linear: FAIL: 40k-line INSERT gave '$c' rows"; fi

# .import-dir of N files: table k refers to table k-1 (a chain), files named
# in mixed case so the matching is exercised too
importdir() {
  n=$1
  d="$W/dir$n"
  mkdir -p "$d"
  awk -v n="$n" -v d="$d" 'BEGIN {
    print "CREATE TABLE t0(id INTEGER PRIMARY KEY);" > (d "/schema.sql");
    for (k = 1; k < n; k++)
      printf "CREATE TABLE t%d(id INTEGER PRIMARY KEY, up INTEGER REFERENCES t%d(id));\n", k, k - 1 > (d "/schema.sql");
    print "id" > (d "/T0.csv");
    print "1" > (d "/T0.csv");
    for (k = 1; k < n; k++) {
      f = d "/t" k ".csv";
      print "id,up" > f; print "1,1" > f; close(f);
    }
  }'
  mkdir "$d/csv" && mv "$d"/*.csv "$d/csv/"
}
importdir 300
importdir 1200
t1=$(secs "$T" "$W/i1.db" ".read $W/dir300/schema.sql" ".import-dir $W/dir300/csv")
t4=$(secs "$T" "$W/i4.db" ".read $W/dir1200/schema.sql" ".import-dir $W/dir1200/csv")
check_ratio ".import-dir of 300/1200 files" "$t1" "$t4"
c=$("$T" "$W/i4.db" "select count(*) from t1199 join t0 on 1")
if [ "$c" = 1 ]; then P=$((P + 1)); else F=$((F + 1)); echo "linear: FAIL: .import-dir of 1200 files: last table has '$c' rows"; fi

echo "$P passed, $F failed, 0 skipped"
[ $F -eq 0 ]
