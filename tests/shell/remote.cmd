# dqlite://: the shell on a territory-node cluster (tests/suites/node.sh runs
# it against three live nodes); here only what needs no cluster.
$ $TERRITORY dqlite://127.0.0.1:1/territory "select 1"
? 1
! error: cannot open dqlite://127.0.0.1:1/territory: no leader found among 127.0.0.1:1 within 5.0 s
$ $TERRITORY dqlite:///territory "select 1"
? 1
! write dqlite://HOST:PORT[,HOST:PORT...]/NAME
$ $TERRITORY :memory: ".cluster"
? 1
! .cluster: not connected to a cluster
