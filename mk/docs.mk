# docs.mk -- docs/reference.md, built by running every example in docs/src/.
# help: docs       regenerate docs/reference.md (examples run for real)

DOC_SRC := $(sort $(wildcard docs/src/*.md))

$(B)/mkdocs: tools/mkdocs.c shell/report.c $(B)/libterritory.a
	$(CC) $(CFLAGS) $(WARN) -Iext -o $@ $^ $(LIBS)

.PHONY: docs
docs: $(B)/mkdocs $(B)/demo.db
	TERRITORY_DEMO_DB=$(B)/demo.db $(B)/mkdocs docs/reference.md $(DOC_SRC)

test: $(B)/mkdocs
