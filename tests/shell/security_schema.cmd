# A database you did not write cannot use territory to write or read files
# in the stock sqlite3 shell, which has writefile() and readfile() built in
# (see also tests/sql/security_schema.test).  SQLite refuses these
# direct-only functions in a view; allocate and smart_check are direct-only
# themselves, so a stored view cannot launder them through their query.
$ d=$(mktemp -d); sqlite3 $d/evil.db "CREATE VIEW v AS SELECT * FROM allocate(1, 'SELECT writefile(''$d/pwned'', ''x''), 1')"; sqlite3 $d/evil.db ".load $B/territory" "SELECT * FROM v"; ls $d; rm -rf $d
> evil.db
! unsafe use of virtual table "allocate"
$ d=$(mktemp -d); sqlite3 $d/evil.db "CREATE VIEW v AS SELECT * FROM smart_check('SELECT readfile(''/etc/hostname'') AS id, 1 AS owner, 1 AS product, 1 AS metric, 1 AS baseline, 1 AS target, 1 AS potential, 1 AS start_date, 1 AS due_date')"; sqlite3 $d/evil.db ".load $B/territory" "SELECT * FROM v"; rm -rf $d
! unsafe use of virtual table "smart_check"
# without territory's check SQLite itself refuses the same call in a view
$ d=$(mktemp -d); sqlite3 $d/evil.db "CREATE VIEW v AS SELECT writefile('$d/pwned', 'x')"; sqlite3 $d/evil.db "SELECT * FROM v"; ls $d; rm -rf $d
> evil.db
! unsafe use of writefile()
# nor can a trigger reach the shell's fsdir table through allocate's query
$ d=$(mktemp -d); sqlite3 $d/evil.db "CREATE TABLE stolen(x); CREATE TABLE t(x); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO stolen SELECT key FROM allocate(1, 'SELECT data, 1 FROM fsdir(''/etc/hostname'')'); END"; sqlite3 $d/evil.db ".load $B/territory" "INSERT INTO t VALUES (1)"; sqlite3 $d/evil.db "SELECT count(*) FROM stolen"; rm -rf $d
> 0
! unsafe use of virtual table "allocate"
