# Input and output the shell must not get wrong silently (issue 16).

# a NUL byte in a script: refused with the file and line, nothing after it runs
$ d=$(mktemp -d) && printf 'select 1;\nselect 2\000;\nselect 3;\n' > $d/nul.sql && $TERRITORY :memory: -f $d/nul.sql; rc=$?; rm -rf $d; exit $rc
> 1
? 1
! nul.sql: line 2: contains a NUL byte
$ printf 'select 1;\nselect 2\000;\nselect 3;\n' | $TERRITORY :memory:
> 1
? 1
! error: line 2: contains a NUL byte
$ d=$(mktemp -d) && printf 'select 1;\n\000\n' > $d/nul.sql && $TERRITORY :memory: ".read $d/nul.sql" "select 9"; rc=$?; rm -rf $d; exit $rc
> 1
> 9
? 1
! nul.sql: line 2: contains a NUL byte

# -c and -f need their argument
$ $TERRITORY :memory: -c
? 2
! -c needs an argument
$ $TERRITORY :memory: -f
? 2
! -f needs an argument

# arguments, -c and -f run in the order given
$ d=$(mktemp -d) && echo "select 'f';" > $d/s.sql && $TERRITORY :memory: "select 'a'" -f $d/s.sql -c "select 'c'" "select 'b'"; rc=$?; rm -rf $d; exit $rc
> a
> f
> c
> b

# a failed write is an error: exit 1
$ $TERRITORY --csv :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<100000) select x from c" > /dev/full
? 1
! cannot write the output
$ $TERRITORY :memory: ".output /dev/full" "with recursive c(x) as (select 1 union all select x+1 from c where x<100000) select x from c"
? 1
! cannot write the output /dev/full
$ $TERRITORY :memory: "select 'short'" > /dev/full
? 1
! cannot write the output
$ $TERRITORY --demo ".once /dev/full" ".tables"
? 1
! cannot write the output

# .timer on times .report too
$ $TERRITORY --demo ".timer on" ".report quadrants" > /dev/null
! time: real

# a report's own check is named once, without a second line number
$ $TERRITORY --demo ".report progress territory=nosuch"
? 1
! error: line 1: progress:
$ $TERRITORY --demo ".report progress territory=nosuch" 2>&1 | grep -c "line 1: .*line 1"
> 0
? 1

# the statement is found whatever the quotes, comments and triggers hold
$ printf "create table t(x);\ncreate trigger tr after insert on t begin\n  select 1;\n  select ';';\nend;\ninsert into t values ('a;\n;b'); -- ;\n/* ; */ select count(*), length(x) from t;\n" | $TERRITORY :memory:
> 1|5

# unit and territory name the same parameter: either is accepted by every report
$ $TERRITORY --demo ".report progress unit=nosuch"
? 1
! progress: no unit nosuch
$ $TERRITORY --demo ".report pareto territory=nosuch"
? 1
! pareto: no unit nosuch
$ $TERRITORY --demo ".report progress unit=1 territory=1"
? 1
! parameter 'territory' given twice
$ a=$($TERRITORY --demo ".report quadrants unit=1") && b=$($TERRITORY --demo ".report quadrants territory=1") && [ -n "$a" ] && [ "$a" = "$b" ] && echo same
> same
