# .reports and .report (shell/commands.c over shell/report.c).  A user
# report directory ($TERRITORY_REPORTS) gives exact, self-contained cases;
# the built-in reports must run from any directory (they are compiled in).

# a user report: parameters bound by name, typed as a person writes them
$ d=$(mktemp -d) && printf -- "-- hello: says hello\n-- param: n = 1\n-- param: who (required) whom to greet\nSELECT 'hello ' || :who AS greeting, coalesce(:n, 1) + 1 AS n, typeof(:n) AS t;\n" > $d/hello.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".report hello who=Bob" ".report hello who='007' n=41" ".report hello n='5' who=\"two words\""; rc=$?; rm -rf $d; exit $rc
> hello Bob|2|null
> hello 007|42|integer
> hello two words|6|text
# .reports lists it with its parameters
$ d=$(mktemp -d) && printf -- "-- hello: says hello\n-- param: n = 1\n-- param: who (required) whom to greet\nSELECT 1;\n" > $d/hello.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".reports" | grep -A2 '^hello' | sed "s|$d|DIR|; s/  */ /g"; rc=$?; rm -rf $d; exit $rc
> hello says hello [DIR/hello.sql]
>  n = 1
>  who (required) whom to greet
# missing and unknown parameters are clear errors, nothing runs
$ d=$(mktemp -d) && printf -- "-- hello: says hello\n-- param: who (required) whom to greet\nSELECT 'hi ' || :who;\n" > $d/hello.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".report hello"; rc=$?; rm -rf $d; exit $rc
? 1
! report hello: missing required parameter 'who' (whom to greet)
$ d=$(mktemp -d) && printf -- "-- hello: says hello\n-- param: who (required) whom to greet\nSELECT 'hi ' || :who;\n" > $d/hello.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".report hello who=a bogus=1"; rc=$?; rm -rf $d; exit $rc
? 1
! report hello: unknown parameter 'bogus' (parameters: who)
$ d=$(mktemp -d) && printf -- "-- hello: says hello\n-- param: who (required) whom to greet\nSELECT 'hi ' || :who;\n" > $d/hello.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".report hello who"; rc=$?; rm -rf $d; exit $rc
? 1
! write parameters as name=value, got who
$ $TERRITORY :memory: ".report nosuch"
? 1
! no report named nosuch (reports: 
$ $TERRITORY :memory: ".report"
? 1
! usage: .report NAME
# a value cannot inject SQL: it is bound
$ d=$(mktemp -d) && printf -- "-- echo: echoes\n-- param: v (required) a value\nSELECT :v;\n" > $d/echo.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: "create table t(x)" ".report echo v=\"x'; drop table t; --\"" "select count(*) from t"; rc=$?; rm -rf $d; exit $rc
> x'; drop table t; --
> 0
# a failing report is rolled back as a whole (writes of earlier statements too)
$ d=$(mktemp -d) && printf -- "-- w: writes then fails\nINSERT INTO t VALUES (1);\nSELECT * FROM nosuch;\n" > $d/w.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: "create table t(x)" ".report w" "select count(*) from t"; rc=$?; rm -rf $d; exit $rc
> 0
? 1
! no such table: nosuch
# a user report replaces the built-in one of the same name, and says so
$ d=$(mktemp -d) && printf -- "-- aging: my own aging\nSELECT 'mine';\n" > $d/aging.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".report aging" && TERRITORY_REPORTS=$d $TERRITORY :memory: ".reports" | grep '^aging' | sed "s|$d|DIR|; s/  */ /g"; rc=$?; rm -rf $d; exit $rc
> mine
> aging my own aging [DIR/aging.sql]
# a user report with a broken header is listed as unusable, not fatal
$ d=$(mktemp -d) && printf -- "SELECT 1;\n" > $d/broken.sql && TERRITORY_REPORTS=$d $TERRITORY :memory: ".reports" | grep -c '^broken .*cannot be used'; rc=$?; rm -rf $d; exit $rc
> 1
$ TERRITORY_REPORTS=/nonexistent $TERRITORY :memory: ".reports" > /dev/null
! TERRITORY_REPORTS=/nonexistent: cannot read the directory
# every built-in report is listed and runs on the demo territory from /
# (those with a required parameter must say so and run nothing)
$ cd / && test $($TERRITORY --demo ".reports" | grep -c '^[a-z]') -ge 6 && echo ok
> ok
$ cd / && for r in $($TERRITORY --demo .reports | grep '^[a-z]' | cut -d' ' -f1); do out=$($TERRITORY --demo ".maxrows 1" ".report $r" 2>&1 > /dev/null) || case $out in *"missing required parameter"*) ;; *) echo "$r failed: $out" ;; esac; done; echo done
> done
