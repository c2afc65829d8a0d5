# dist.mk -- the single-file build: dist/territory.c + dist/territory.h.
# help: amalgamation  dist/territory.c + dist/territory.h (compile alone, or into SQLite with -DSQLITE_CORE)

.PHONY: amalgamation
amalgamation: dist/territory.c dist/territory.h
dist/territory.c: $(wildcard ext/*.c ext/*.h) tools/amalgamate.sh
	mkdir -p dist
	sh tools/amalgamate.sh > $@.tmp && mv $@.tmp $@
dist/territory.h: ext/territory.h
	mkdir -p dist
	cp ext/territory.h $@
