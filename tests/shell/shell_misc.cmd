# Dot-commands of build/territory: .tables .schema .output .once .timer
# .help .open .init .show, --demo, and .chart bar / .chart quadrant.

$ $TERRITORY :memory: "create table b(x)" "create table a(y)" "create view v as select 1" ".tables" ".tables a%"
> a
> b
> v
> a
$ $TERRITORY :memory: "create table t(x integer)" "create index ti on t(x)" ".schema t"
> CREATE TABLE t(x integer);
> CREATE INDEX ti on t(x);
$ $TERRITORY :memory: ".init" ".tables org_%"
> org_unit
# .output and .once send results to a file
$ d=$(mktemp -d) && cd $d && $TERRITORY :memory: ".output o.txt" "select 1" ".output" "select 2" ".once p.txt" "select 3" "select 4" && cat o.txt p.txt; rc=$?; rm -rf $d; exit $rc
> 2
> 4
> 1
> 3
$ $TERRITORY :memory: ".timer on" "select 1"
> 1
! time: real
$ $TERRITORY :memory: ".help import"
> .import [--upsert] [--encoding ENC] FILE TABLE
>     load a CSV file (header row = column names), all or nothing; --upsert updates rows whose key exists; --encoding gbk reads Chinese Excel's CSV
$ $TERRITORY :memory: ".help" | grep -c '^\.'
> 27
$ $TERRITORY :memory: ".help nosuch"
? 1
! no command .nosuch
$ d=$(mktemp -d) && $TERRITORY :memory: ".open $d/x.db" "create table t(v)" "insert into t values (1)" ".open :memory:" ".open $d/x.db" "select v from t"; rc=$?; rm -rf $d; exit $rc
> 1
$ $TERRITORY :memory: ".show" | head -2
> database: :memory:
> mode: list
# --demo: the bundled territory, from any directory
$ cd / && $TERRITORY --demo "select count(*) > 100 from doctor" "pragma foreign_key_check"
> 1
$ $TERRITORY :memory: ".open --demo" "select count(*) > 0 from org_unit"
> 1

# .chart bar: eighth blocks scaled to COLUMNS; Chinese labels line up.
# The bar lines come from tests/gen/shell_chart.py (the documented rule).
$ COLUMNS=40 $TERRITORY :memory: "select 'a' as k, 1 as v union all select 'bb', 2 union all select '张', 4" ".chart bar"
> a|1
> bb|2
> 张|4
> a  ████████▌                          1
> bb █████████████████                  2
> 张 ██████████████████████████████████ 4
# a second value column is marked on each bar with │
$ COLUMNS=40 $TERRITORY :memory: "select 'a' as k, 1 as v, 2 as m union all select 'bb', 4, 3" ".chart bar"
> a|1|2
> bb|4|3
> a  ███████▊       │                1 │2
> bb ███████████████████████│███████ 4 │3
>    █ v   │ m
# columns can be named
$ COLUMNS=40 $TERRITORY :memory: ".mode csv" "select 4 as v, 'x' as k, 9 as other" ".chart bar k v"
> v,k,other
> 4,x,9
> x ███████████████████████████████████ 4
$ $TERRITORY :memory: ".chart bar"
? 1
! run a query first
$ $TERRITORY :memory: "select 'a', 'b'" ".chart bar"
> a|b
? 1
! numeric value column
$ $TERRITORY :memory: "select 1 as x" ".chart bar a b"
> 1
? 1
! no such column
# .chart quadrant: doctors on the grid; counts per quadrant with cuts 10/100
$ COLUMNS=60 $TERRITORY :memory: "select 'd1' as doctor, 20 as usage, 50 as potential, 10 as usage_cut, 100 as potential_cut union all select 'd2', 20, 200, 10, 100 union all select 'd3', 5, 300, 10, 100 union all select 'd4', 1, 10, 10, 100 union all select 'd5', 2, 20, 10, 100" ".chart quadrant" | tail -1
> A 1  B 1  C 1  D 2   (cuts: usage 10, potential 100; • one doctor, 2-9 several, + more)
$ $TERRITORY :memory: "select 1 as a" ".chart quadrant"
> 1
? 1
! needs numeric usage and potential
$ $TERRITORY :memory: "select 1 as a" ".chart pie"
> 1
? 1
! usage: .chart
# a per-quadrant result (as .report quadrants gives): doctors summed per quadrant
$ $TERRITORY :memory: "select 'A' as quadrant, 5 as doctors union all select 'B', 7 union all select 'C', 1 union all select 'D', 20 union all select 'A', 1 union all select NULL, 3" ".chart quadrant" | tail -7
>                low potential          high potential
>               ┌──────────────────────┬──────────────────────┐
> high usage    │ A maintain         6 │ B grow             7 │
>               ├──────────────────────┼──────────────────────┤
> low usage     │ D reduce          20 │ C develop          1 │
>               └──────────────────────┴──────────────────────┘
> doctors per quadrant
# the manual page renders without warnings (man -l)
$ command -v man > /dev/null || exit 0; MANWIDTH=80 man --warnings -l shell/territory.1 2>&1 > /dev/null | wc -l
> 0
$ command -v man > /dev/null || { echo NAME; exit 0; }; MANWIDTH=80 man -l shell/territory.1 2>/dev/null | grep -x NAME
> NAME
# every database opens with the analysis settings of shell/tuning.h (docs:
# "Files and environment"): a file, and .open of another; a session may
# turn the map off
$ d=$(mktemp -d) && $TERRITORY $d/a.db "PRAGMA mmap_size" "PRAGMA temp_store" "PRAGMA cache_size" "PRAGMA foreign_keys"; rc=$?; rm -rf $d; exit $rc
> 2147418112
> 2
> -262144
> 1
$ d=$(mktemp -d) && $TERRITORY $d/a.db "PRAGMA mmap_size=0" ".open $d/b.db" "PRAGMA mmap_size" "PRAGMA temp_store"; rc=$?; rm -rf $d; exit $rc
> 0
> 2147418112
> 2
$ d=$(mktemp -d) && $TERRITORY $d/c.db "PRAGMA mmap_size=0" "PRAGMA mmap_size"; rc=$?; rm -rf $d; exit $rc
> 0
> 0
