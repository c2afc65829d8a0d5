# mk/shell.mk -- the shell's generated sources: the schema, canned reports
# and demo fixtures compiled into build/territory (tools/embed.c).

EMBED_FILES := $(wildcard sql/schema.sql) $(sort $(wildcard sql/reports/*.sql)) \
               $(sort $(wildcard fixtures/*.csv))
SHELL_GEN += $(B)/gen/resources.c

$(B)/embed: tools/embed.c | $(B)/gen
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

# The list of files is part of the content: rebuild when one is added or
# removed, not only when one changes.
$(B)/gen/embed.list: FORCE | $(B)/gen
	@echo '$(EMBED_FILES)' | cmp -s - $@ || echo '$(EMBED_FILES)' > $@

$(B)/gen/resources.c: $(B)/embed $(B)/gen/embed.list $(EMBED_FILES)
	$(B)/embed $@ $(EMBED_FILES)

.PHONY: FORCE
FORCE:
