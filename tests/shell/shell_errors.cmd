# Non-interactive runs of build/territory: exit status, errors on stderr
# with the line of the failing statement, -bail, -c, -f, .param binding.

# stdin: the failing statement's line; the run goes on, exit status 1
$ $TERRITORY :memory:
< select 1;
<
< select * from x;
< select 2;
> 1
> 2
? 1
! error: line 3: no such table: x
# -bail stops at the first error
$ $TERRITORY -bail :memory:
< select 1;
< select * from x;
< select 2;
> 1
? 1
! error: line 2: no such table: x
# a statement over several lines is reported at the line it starts on
$ $TERRITORY :memory:
< -- a comment
< select 1,
<   2;
< select
<   nosuch(1);
> 1|2
? 1
! error: line 4: no such function: nosuch
# several statements on one line, the second failing
$ $TERRITORY :memory:
< select 1; select * from nope; select 3;
> 1
> 3
? 1
! error: line 1: no such table: nope
# a runtime error (not a prepare error)
$ $TERRITORY :memory:
< create table t(x integer not null);
< insert into t values (1);
< insert into t values (null);
< select count(*) from t;
> 1
? 1
! error: line 3: NOT NULL constraint failed: t.x
# a final statement without ';' still runs
$ $TERRITORY :memory:
< select 41+1
> 42
# arguments: each argument starts a new line for the count
$ $TERRITORY :memory: "select 1" "select nosuch()" "select 3"
> 1
> 3
? 1
! error: line 2: no such function: nosuch
$ $TERRITORY -bail :memory: "select 1" "select nosuch()" "select 3"
> 1
? 1
! no such function: nosuch
# -c is repeatable and mixes with dot-commands
$ $TERRITORY -c "select 1" -c ".mode csv" -c "select 'a,b' as v" :memory:
> 1
> v
> "a,b"
# -f FILE: errors name the file and line
$ d=$(mktemp -d) && printf 'select 1;\nselect 2;\nselect * from gone;\n' > $d/s.sql && cd $d && $TERRITORY -f s.sql :memory:; rc=$?; rm -rf $d; exit $rc
> 1
> 2
? 1
! error: s.sql: line 3: no such table: gone
# .read works the same
$ d=$(mktemp -d) && printf 'select 7;\n.mode csv\n.headers off\nselect 8, 9;\nbad sql;\n' > $d/r.sql && cd $d && $TERRITORY :memory: ".read r.sql" "select 10"; rc=$?; rm -rf $d; exit $rc
> 7
> 8,9
> 10
? 1
! error: r.sql: line 5: near "bad": syntax error
$ $TERRITORY :memory: ".read /nonexistent/x.sql"
? 1
! cannot read /nonexistent/x.sql
# dot-command errors count as failures too
$ $TERRITORY :memory: ".nosuch"
? 1
! error: line 1: unknown command .nosuch
$ $TERRITORY :memory:
< select 1;
< .mode
< .frobnicate
> 1
> list
? 1
! error: line 3: unknown command .frobnicate
$ $TERRITORY :memory: ".mode 'csv"
? 1
! unterminated quote
# all good: exit status 0
$ $TERRITORY :memory: "create table t(a)" "insert into t values (1)" "select * from t"
> 1
# options
$ $TERRITORY --version | cut -d' ' -f1
> territory
$ test "$($TERRITORY --version | cut -d' ' -f2)" = "$($TERRITORY :memory: 'select territory_version()')" && echo same
> same
$ $TERRITORY --help | head -1
> usage: territory [OPTIONS] [DB] [SQL|.command ...]
$ $TERRITORY --frob
? 2
! unknown option --frob
$ $TERRITORY /nonexistent/dir/x.db "select 1"
? 1
! cannot open /nonexistent/dir/x.db
# a file that is not a database
$ d=$(mktemp -d) && echo 'hello, not a database at all, really not one.....................................................' > $d/x.db && $TERRITORY $d/x.db "select 1"; rc=$?; rm -rf $d; exit $rc
? 1
! file is not a database
# a new file is created; the data is there the next time
$ d=$(mktemp -d) && $TERRITORY $d/new.db "create table t(x)" "insert into t values ('kept')" && $TERRITORY $d/new.db "select x from t"; rc=$?; rm -rf $d; exit $rc
> kept
# the extension is there, foreign keys are on
$ $TERRITORY :memory: "select median(x) from (select 1 x union all select 4)" "pragma foreign_keys"
> 2.5
> 1

# .param: bound by name as :N, @N, $N; numbers stay numbers, quotes make text
$ $TERRITORY :memory: ".param set n 5" "select :n + 1, @n, \$n, typeof(:n)"
> 6|5|5|integer
$ $TERRITORY :memory: ".param set s 'abc'" ".param set q \"two words\"" ".param set r 2.5" ".param set z '007'" "select :s, :q, :r * 2, :z, typeof(:z)"
> abc|two words|5.0|007|text
$ $TERRITORY :memory: ".param set n 5" ".param set :m x" ".param list" ".param unset n" ".param list" ".param clear" ".param list" "select :n is null"
> n = 5
> m = x
> m = x
> (no parameters; .param set NAME VALUE)
> 1
# a value with a quote cannot inject SQL: it is bound, not pasted
$ $TERRITORY :memory: "create table t(x)" ".param set v \"1'); drop table t; --\"" "insert into t values (:v)" "select count(*), x from t"
> 1|1'); drop table t; --
$ $TERRITORY :memory: ".param set"
? 1
! usage: .param
$ $TERRITORY :memory: ".param set a-b 1"
? 1
! bad parameter name
# SIGINT in a non-interactive run interrupts and exits non-zero
$ $TERRITORY :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<10000000000) select count(*) from c" & pid=$!; sleep 1; kill -INT $pid; wait $pid
? 130
! interrupted
