# node.mk -- `make node`: territory-node, one member of a replicated
# territory database on dqlite (Raft-replicated SQLite), and dqc-test, the
# tests of the shell's wire-protocol client (shell/dqc.c).
# help: node       build/territory-node (needs libdqlite-dev, which tools/setup.sh installs) and build/dqc-test
#
# The shell itself needs no dqlite library: it speaks the wire protocol
# (shell/dqc.c) and opens dqlite://HOST:PORT,.../territory like a file.
# tests/suites/node.sh starts a 3-node loopback cluster from these; `make
# test` builds them whenever dqlite's header is installed.

NODE_LIBS := -ldqlite -lsqlite3 -lm

.PHONY: node
node: $(B)/territory-node $(B)/dqc-test

$(B)/territory-node: node/main.c shell/dqc.c shell/dqc.h ext/territory.h $(B)/libterritory.a
	$(CC) $(CFLAGS) $(WARN) -Iext -Ishell -o $@ node/main.c shell/dqc.c $(B)/libterritory.a $(NODE_LIBS)

$(B)/dqc-test: node/dqc_test.c shell/dqc.c shell/dqc.h | $(B)/obj/sh
	$(CC) $(CFLAGS) $(WARN) -Ishell -o $@ node/dqc_test.c shell/dqc.c

ifneq ($(wildcard /usr/include/dqlite.h),)
test: node
endif

# help: bench-node failover time and write throughput of a 3-node loopback cluster -> bench/NODE.md
.PHONY: bench-node
bench-node: node all
	B=$(B) sh node/bench.sh
