# Files from real offices (issue 16): upper-case names, Excel dates, GBK,
# the monthly refresh, settings.csv without its about column.

# .import-dir matches TARGET.CSV to the table whatever the case
$ d=$(mktemp -d) && mkdir $d/in && printf 'id,name\n1,a\n' > $d/in/UNIT.CSV && printf 'id,unit_id\n7,1\n' > $d/in/Member.csv && $TERRITORY :memory: "create table unit(id integer primary key, name text)" "create table member(id integer primary key, unit_id integer references unit(id))" ".import-dir $d/in" "select (select count(*) from unit), (select count(*) from member)"; rc=$?; rm -rf $d; exit $rc
> 1|1
# a file with no table is an error, not skipped
$ d=$(mktemp -d) && printf 'id\n1\n' > $d/NOSUCH.CSV && $TERRITORY :memory: ".import-dir $d"; rc=$?; rm -rf $d; exit $rc
? 1
! no such table: NOSUCH

# a CHECK failure names the column and the value and says what is accepted
$ d=$(mktemp -d) && printf 'id,date\n1,2026-06-15\n2,15/6/2026\n' > $d/v.csv && $TERRITORY :memory: "create table v(id integer, date TEXT NOT NULL CHECK (date(julianday(date)) IS date))" ".import $d/v.csv v"; rc=$?; rm -rf $d; exit $rc
? 1
! v.csv: line 3: column 2 (date): the value '15/6/2026' is not accepted: the rule is date(julianday(date)) IS date; dates are written YYYY-MM-DD
$ d=$(mktemp -d) && printf 'id,qty\n1,5\n2,-3\n' > $d/q.csv && $TERRITORY :memory: "create table q(id integer, qty integer check (qty >= 0))" ".import $d/q.csv q"; rc=$?; rm -rf $d; exit $rc
? 1
! q.csv: line 3: column 2 (qty): the value '-3' is not accepted: the rule is qty >= 0
# Excel's year-first dates are read: 2026/6/15, 2026.6.15, 2026-6-5; periods 2026/6
$ d=$(mktemp -d) && printf 'id,date,period\n1,2026/6/15,2026/6\n2,2026.6.15,2026-06\n3,2026-6-5,2026.12\n' > $d/v.csv && $TERRITORY :memory: "create table v(id integer, date TEXT NOT NULL CHECK (date(julianday(date)) IS date), period TEXT CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'))" ".import $d/v.csv v" "select * from v"; rc=$?; rm -rf $d; exit $rc
> 1|2026-06-15|2026-06
> 2|2026-06-15|2026-06
> 3|2026-06-05|2026-12
# and a real date check still holds: 2026/2/30 is no date
$ d=$(mktemp -d) && printf 'id,date\n1,2026/2/30\n' > $d/v.csv && $TERRITORY :memory: "create table v(id integer, date TEXT NOT NULL CHECK (date(julianday(date)) IS date))" ".import $d/v.csv v"; rc=$?; rm -rf $d; exit $rc
? 1
! column 2 (date): the value '2026/2/30' is not accepted

# GBK: refused with the command that reads it, even when the bytes happen
# to be valid UTF-8 ('GBK医院' in GBK reads as 'GBKҽԺ' in UTF-8)
$ d=$(mktemp -d) && printf 'name\nGBK\322\275\324\272\n' > $d/g.csv && $TERRITORY :memory: "create table g(name text)" ".import $d/g.csv g" "select count(*) from g"; rc=$?; rm -rf $d; exit $rc
> 0
? 1
! g.csv: the file is GBK/GB18030 (as Chinese Excel saves "CSV"), not UTF-8: import it with .import --encoding gbk
$ d=$(mktemp -d) && printf 'name\n\261\261\276\251\312\320\265\332\322\273\310\313\303\361\322\275\324\272\n' > $d/g.csv && $TERRITORY :memory: "create table g(name text)" ".import $d/g.csv g"; rc=$?; rm -rf $d; exit $rc
? 1
! the file is GBK/GB18030
$ d=$(mktemp -d) && printf 'name\nGBK\322\275\324\272\n\261\261\276\251\312\320\265\332\322\273\310\313\303\361\322\275\324\272\n' > $d/g.csv && $TERRITORY :memory: "create table g(name text)" ".import --encoding gbk $d/g.csv g" "select name from g"; rc=$?; rm -rf $d; exit $rc
> GBK医院
> 北京市第一人民医院
$ d=$(mktemp -d) && mkdir $d/in && printf 'name\n\322\275\324\272\n' > $d/in/g.csv && $TERRITORY :memory: "create table g(name text)" ".import-dir --encoding gbk $d/in" "select name from g"; rc=$?; rm -rf $d; exit $rc
> 医院
# real UTF-8 Chinese is not taken for GBK; --encoding utf-8 overrides the guess
$ d=$(mktemp -d) && printf 'name\n医院\n' > $d/u.csv && printf 'name\nGBK\322\275\324\272\n' > $d/g.csv && $TERRITORY :memory: "create table g(name text)" ".import $d/u.csv g" ".import --encoding utf-8 $d/g.csv g" "select name from g"; rc=$?; rm -rf $d; exit $rc
> 医院
> GBKҽԺ
$ d=$(mktemp -d) && printf 'name\n\377\n' > $d/g.csv && $TERRITORY :memory: "create table g(name text)" ".import --encoding gbk $d/g.csv g"; rc=$?; rm -rf $d; exit $rc
? 1
! g.csv: line 2: byte 6 (0xFF) is not valid gbk text
$ $TERRITORY :memory: "create table g(name text)" ".import --encoding klingon /dev/null g"
? 1
! unknown encoding klingon

# the monthly refresh: --upsert updates rows by primary key, inserts the
# new ones, keeps the columns the file lacks, says the counts; one transaction
$ d=$(mktemp -d) && printf 'id,name\n1,a\n2,b\n' > $d/t1.csv && printf 'id,name\n2,B\n3,c\n' > $d/t2.csv && $TERRITORY :memory: "create table t(id integer primary key, name text, extra text default 'x')" ".import $d/t1.csv t" "update t set extra = 'kept' where id = 2" ".import --upsert $d/t2.csv t" "select * from t"; rc=$?; rm -rf $d; exit $rc
> t: 2 rows: 1 inserted, 1 updated
> 1|a|x
> 2|B|kept
> 3|c|x
# without --upsert the duplicate is an error that says so, and nothing changes
$ d=$(mktemp -d) && printf 'id,name\n1,a\n' > $d/t1.csv && printf 'id,name\n3,c\n1,A\n' > $d/t2.csv && $TERRITORY :memory: "create table t(id integer primary key, name text)" ".import $d/t1.csv t" ".import $d/t2.csv t" "select * from t"; rc=$?; rm -rf $d; exit $rc
> 1|a
? 1
! t2.csv: line 3: column 1 (id): UNIQUE constraint failed: t.id (to update the rows that exist: --upsert)
$ d=$(mktemp -d) && mkdir $d/in && printf 'id,name\n1,a\n' > $d/t1.csv && printf 'id,name\n1,A\n2,b\n' > $d/in/t.csv && printf 'id,t_id\n5,2\n' > $d/in/c.csv && $TERRITORY :memory: "create table t(id integer primary key, name text)" "create table c(id integer primary key, t_id integer references t(id))" ".import $d/t1.csv t" ".import-dir --upsert $d/in" ".import-dir --upsert $d/in" "select * from t" "select * from c"; rc=$?; rm -rf $d; exit $rc
> 3 rows from 2 files: 2 inserted, 1 updated
> 3 rows from 2 files: 0 inserted, 3 updated
> 1|A
> 2|b
> 5|2
$ d=$(mktemp -d) && printf 'name\na\n' > $d/t.csv && $TERRITORY :memory: "create table t(name text)" ".import --upsert $d/t.csv t"; rc=$?; rm -rf $d; exit $rc
? 1
! --upsert needs a primary key; table t has none

# settings.csv with only key,value keeps each setting's about text
$ d=$(mktemp -d) && printf 'key,value\nworkdays_per_month,21\nnew.key,5\n' > $d/settings.csv && $TERRITORY :memory: ".init" ".import $d/settings.csv settings" "select key, value, about is not null from settings where key in ('workdays_per_month', 'new.key') order by key"; rc=$?; rm -rf $d; exit $rc
> new.key|5|0
> workdays_per_month|21|1
