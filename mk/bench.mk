# bench.mk -- `make bench`: territory's functions against the best pure-SQL
# formulation and against a plain scan, on a generated territory.
# help: bench      time functions vs pure SQL vs a scan (SCALE=1: 1M doctors, ~8 min; SCALE=0.1 for a quick look) -> bench/RESULTS.md
#
#   make bench                      SCALE=1: 1,000,000 doctors (issue 7), about 8 minutes
#                                   on 2 cores, 800 MB of database in $(B)/
#   make bench SCALE=0.1            100,000 doctors, under 2 minutes
#   make bench RUNS=5               the median of 5 runs instead of 3
#   make bench BENCH_ARGS='--only cascade'
#
# The generated database is cached as $(B)/bench-SCALE.db and rebuilt only
# when bench/gen.c or sql/schema.sql change (their hash is stored in it).

SCALE      ?= 1
RUNS       ?= 3
BENCH_ARGS ?=
BENCH_HASH  = $(shell cat bench/gen.c sql/schema.sql | sha1sum | cut -c1-12)

$(B)/bench-gen: bench/gen.c | $(B)/obj/a
	$(CC) $(CFLAGS) $(WARN) -o $@ $< $(LIBS)

$(B)/bench-run: bench/bench.c $(B)/obj/sh/report.o $(B)/libterritory.a
	$(CC) $(CFLAGS) $(WARN) -Iext -Ishell -o $@ $^ $(LIBS)

.PHONY: bench
bench: $(B)/bench-gen $(B)/bench-run $(B)/demo.db
	nice $(B)/bench-gen $(B)/bench-$(SCALE).db $(SCALE) $(BENCH_HASH)
	@{ echo '# territory benchmark results'; echo; \
	   echo 'The replicated node (dqlite cluster): failover time and write throughput in [NODE.md](NODE.md) (`make bench-node`).'; echo; \
	   echo 'What the columns mean: docs/src/95-bench.md.  Produced by'; echo; \
	   echo '    make bench SCALE=$(SCALE) RUNS=$(RUNS)$(if $(BENCH_ARGS), BENCH_ARGS="$(BENCH_ARGS)")'; echo; \
	   echo "- run: $$(date -u '+%Y-%m-%d %H:%M UTC'), commit $$(git rev-parse --short HEAD 2>/dev/null || echo ?)$$([ -z "$$(git status --porcelain -- ext sql shell bench 2>/dev/null)" ] || echo ' + uncommitted changes in ext/, sql/, shell/ or bench/')"; \
	 } > $(B)/RESULTS.md.tmp
	@# keep the table even when (a) and (b) disagree (exit 3), then fail
	nice $(B)/bench-run $(B)/bench-$(SCALE).db --runs $(RUNS) --demo $(B)/demo.db --md $(B)/RESULTS.md.tmp $(BENCH_ARGS); \
	rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || exit $$rc; mv $(B)/RESULTS.md.tmp bench/RESULTS.md; exit $$rc
