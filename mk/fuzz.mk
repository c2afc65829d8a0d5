# fuzz.mk -- libFuzzer targets (tests/fuzz/) and the whole suite under valgrind.
# help: fuzz       run each libFuzzer target (sql, csv, cmd) for FUZZ_SECONDS (60) each; crashes -> $(B)/fuzz/
# help: test-valgrind  the test runner (all tests/sql, tests/shell, unit tests) under valgrind: no leaks, no errors
#
#   make fuzz FUZZ_SECONDS=600          longer runs
#   make fuzz FUZZ_TARGETS=csv          one target
#   make test-valgrind                  about 15-20 minutes on 2 cores (not part of make test)
#
# The targets are built with clang -fsanitize=fuzzer,address,undefined
# (libclang-rt-14-dev, installed by tools/setup.sh).  New corpus entries go
# to $(B)/fuzz/work_NAME (the seeds in tests/fuzz/corpus_NAME stay as
# committed); a crash is written to $(B)/fuzz/crash-NAME-*: fix it and keep
# the input as tests/fuzz/regressions/NAME-SHORT-DESCRIPTION, which
# tests/suites/fuzz.sh replays on every make test.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= sql csv cmd
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -std=gnu11 -Wall -Wextra -Werror -MMD -MP
F := $(B)/fuzz

$(F)/obj/a/%.o: ext/%.c | $(F)/obj/a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DSQLITE_CORE -Iext -c $< -o $@
$(F)/obj/sh/%.o: shell/%.c | $(F)/obj/sh
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Iext -Ishell -I$(B)/gen -c $< -o $@
$(F)/obj/gen/%.o: $(B)/gen/%.c | $(F)/obj/gen
	$(FUZZ_CC) -g -O1 -std=gnu11 -w -c $< -o $@
$(F)/obj/t/%.o: tests/fuzz/%.c | $(F)/obj/t
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Iext -Ishell -c $< -o $@
$(F)/obj/a $(F)/obj/sh $(F)/obj/gen $(F)/obj/t: | $(SETUP)
	mkdir -p $@

# header dependencies: a struct that grows in shell.h must rebuild every user
-include $(wildcard $(F)/obj/*/*.d)

FUZZ_EXT   := $(EXT_SRC:ext/%.c=$(F)/obj/a/%.o)
# mk/shell.mk (read after this file) adds the embedded resources to SHELL_GEN,
# too late for a prerequisite list here: name the one file directly.
FUZZ_SHELL := $(SHELL_SRC:shell/%.c=$(F)/obj/sh/%.o) $(F)/obj/gen/resources.o

$(F)/fuzz_sql: $(F)/obj/t/fuzz_sql.o $(FUZZ_EXT)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)
$(F)/fuzz_csv $(F)/fuzz_cmd: $(F)/fuzz_%: $(F)/obj/t/fuzz_%.o $(FUZZ_SHELL) $(FUZZ_EXT)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(SHLIBS) $(LIBS)

.PHONY: fuzz fuzz-build test-valgrind
fuzz-build: $(FUZZ_TARGETS:%=$(F)/fuzz_%)

# -close_fd_mask=3: the shell's own output would drown libFuzzer's report.
# Paths are absolute: the targets chdir to a temporary directory.
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(F)/work_$$t; \
	  w=$$(cd $(F)/work_$$t && pwd); \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  nice $(F)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -close_fd_mask=3 -print_final_stats=1 -artifact_prefix=$$w/../crash-$$t- \
	    $$w $(CURDIR)/tests/fuzz/corpus_$$t; \
	done

# ---- valgrind: a plain build (no sanitizers), the whole runner under it;
# shell tests run the plain shell under valgrind as well (TERRITORY is a
# wrapper script that logs each run's command line and valgrind's findings
# to $(B)/valgrind-shell.log), so the runner and every shell it starts are
# checked.  The target fails on any valgrind finding (exit 99 from the
# runner, or a report in the shell log).  Test assertions that fail are
# shown too, but valgrind changes what some tests measure: it runs ~30x
# slower (timing tests) and emulates x87 long double with 64-bit doubles,
# so SQLite's own text-to-double conversion reads 1.7976931348623157e308 as
# inf; such failures are not memory errors and do not fail the target.
VALGRIND := valgrind -q --leak-check=full --error-exitcode=99 \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
            --suppressions=$(CURDIR)/tests/fuzz/valgrind.supp
VG_LOG = $(abspath $(B))/valgrind-shell.log
test-valgrind: $(B)/test-runner $(B)/territory $(B)/demo.db $(B)/mkdocs
	@printf '#!/bin/sh\nexec 9>>%s\necho "== territory $$*" >&9\nexec %s --log-fd=9 %s "$$@"\n' \
	  '$(VG_LOG)' '$(VALGRIND)' '$(abspath $(B))/territory' > $(B)/territory-vg
	chmod +x $(B)/territory-vg
	rm -f $(VG_LOG)
	@start=$$(date +%s); \
	nice $(VALGRIND) $(B)/test-runner --unit --shell $(B)/territory-vg \
	  $(sort $(wildcard tests/sql/*.test tests/shell/*.cmd)); st=$$?; \
	end=$$(date +%s); echo "test-valgrind: $$((end - start)) s"; \
	if [ $$st -eq 99 ]; then echo "test-valgrind: valgrind found errors or leaks in the test runner"; fi; \
	if grep -q '^==[0-9]*==' $(VG_LOG) 2>/dev/null; then \
	  echo "test-valgrind: valgrind found errors or leaks in the shell:"; \
	  awk '/^== territory/ { h = $$0; next } /^==[0-9]+==/ { if (h != "") print h; h = ""; print }' \
	    $(VG_LOG) | head -n 300; st=99; fi; \
	if [ $$st -eq 99 ]; then exit 1; fi; \
	echo "test-valgrind: no errors, no leaks"
