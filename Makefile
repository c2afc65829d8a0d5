# territory -- build, test and demo.  `make help` lists the targets.
#
#   make            the extension (build/territory.so), the static library
#                   (build/libterritory.a), the shell (build/territory)
#   make test       everything, then the suite twice: plain and under
#                   AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       build/demo.db from fixtures/ through the shell's importer
#
# Other targets (bench, fuzz, docs, install, amalgamation, ...) live in mk/*.mk.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=gnu11 -Wall -Wextra -Werror
SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LIBS    := -lsqlite3 -lm
SHLIBS  := -lreadline -lxlsxwriter

EXT_SRC   := $(wildcard ext/*.c)
SHELL_SRC := $(filter-out shell/main.c,$(wildcard shell/*.c))
UNIT_SRC  := $(wildcard tests/unit/*.c)
# Generated C sources the shell needs (embedded reports, schema, fixtures);
# mk/shell.mk adds them.
SHELL_GEN :=
# Build directory; set B=/tmp/x to build beside another build.
B       ?= build
SETUP   := $(B)/.setup-done

.PHONY: all test demo clean help
all: $(B)/territory.so $(B)/libterritory.a $(B)/territory

-include mk/*.mk

# ---- the loadable extension: API through the sqlite3_api pointer
$(B)/obj/so/%.o: ext/%.c | $(B)/obj/so
	$(CC) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@
$(B)/territory.so: $(EXT_SRC:ext/%.c=$(B)/obj/so/%.o)
	$(CC) $(CFLAGS) -shared -o $@ $^ -lm

# ---- two static variants: plain (build/) and sanitized (build/asan/)
# $(1) = output dir, $(2) = extra flags
define VARIANT
$(1)/obj/a/%.o: ext/%.c | $(1)/obj/a
	$$(CC) $$(CFLAGS) $(2) $$(WARN) -DSQLITE_CORE -Iext -MMD -MP -c $$< -o $$@
$(1)/obj/sh/%.o: shell/%.c | $(1)/obj/sh
	$$(CC) $$(CFLAGS) $(2) $$(WARN) -Iext -Ishell -I$(B)/gen -MMD -MP -c $$< -o $$@
$(1)/obj/gen/%.o: $(B)/gen/%.c | $(1)/obj/gen
	$$(CC) $$(CFLAGS) $(2) -std=gnu11 -w -c $$< -o $$@
$(1)/obj/t/%.o: tests/%.c | $(1)/obj/t
	$$(CC) $$(CFLAGS) $(2) $$(WARN) -Iext -Ishell -Itests -MMD -MP -c $$< -o $$@
$(1)/obj/t/unit/%.o: tests/unit/%.c | $(1)/obj/t/unit
	$$(CC) $$(CFLAGS) $(2) $$(WARN) -Iext -Ishell -Itests -MMD -MP -c $$< -o $$@
$(1)/libterritory.a: $(EXT_SRC:ext/%.c=$(1)/obj/a/%.o)
	rm -f $$@ && ar rcs $$@ $$^
$(1)/territory: $(1)/obj/sh/main.o $(SHELL_SRC:shell/%.c=$(1)/obj/sh/%.o) $(SHELL_GEN:$(B)/gen/%.c=$(1)/obj/gen/%.o) $(1)/libterritory.a
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $(SHLIBS) $(LIBS)
$(1)/test-runner: $(1)/obj/t/runner.o $(1)/obj/sh/report.o $(UNIT_SRC:tests/unit/%.c=$(1)/obj/t/unit/%.o) $(1)/libterritory.a
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $(LIBS)
$(1)/obj/a $(1)/obj/sh $(1)/obj/gen $(1)/obj/t $(1)/obj/t/unit: | $(SETUP)
	mkdir -p $$@
endef
$(eval $(call VARIANT,$(B),))
$(eval $(call VARIANT,$(B)/asan,$(SAN)))

$(B)/obj/so $(B)/gen: | $(SETUP)
	mkdir -p $@

# A fresh machine may lack the compiler, headers or test tools: every build
# first runs tools/setup.sh once (it installs only what is missing).
$(SETUP): tools/setup.sh
	@mkdir -p $(B)
	sh tools/setup.sh
	@touch $@

# ---- the demo territory, loaded through the shell's own importer
demo: $(B)/demo.db
$(B)/demo.db: $(B)/territory sql/schema.sql $(wildcard fixtures/*.csv)
	rm -f $@ $@.tmp
	$(B)/territory -bail $@.tmp '.init' '.import-dir fixtures'
	mv $@.tmp $@

# ---- tests: plain, then sanitized; tests/run.sh prints the closing tally
test: all $(B)/test-runner $(B)/asan/territory $(B)/asan/test-runner $(B)/demo.db
	B=$(B) sh tests/run.sh

clean:
	rm -rf $(B) dist

help:
	@echo "make            build/territory.so, build/libterritory.a, build/territory"
	@echo "make demo       build/demo.db from fixtures/"
	@echo "make test       the whole suite, plain and under ASan+UBSan"
	@grep -h '^# help:' mk/*.mk 2>/dev/null | sed 's/^# help: /make /' || true

-include $(wildcard $(B)/obj/*/*.d $(B)/asan/obj/*/*.d $(B)/obj/*/*/*.d $(B)/asan/obj/*/*/*.d)
