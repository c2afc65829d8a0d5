# install.mk -- make install / make uninstall, and territory.pc for pkg-config.
# help: install    PREFIX=/usr/local: extension, static library, header, shell, man page, territory.pc
# help: uninstall  remove what install put under PREFIX

PREFIX  ?= /usr/local
VERSION := $(shell sed -n 's/^\#define TERRITORY_VERSION "\(.*\)"/\1/p' ext/territory.h)
LIBDIR  := $(DESTDIR)$(PREFIX)/lib
INCDIR  := $(DESTDIR)$(PREFIX)/include
BINDIR  := $(DESTDIR)$(PREFIX)/bin
MANDIR  := $(DESTDIR)$(PREFIX)/share/man/man1
PCDIR   := $(LIBDIR)/pkgconfig

.PHONY: install uninstall
install: all
	install -d $(LIBDIR) $(INCDIR) $(BINDIR) $(MANDIR) $(PCDIR)
	install -m 755 $(B)/territory.so $(LIBDIR)/territory.so
	install -m 644 $(B)/libterritory.a $(LIBDIR)/libterritory.a
	install -m 644 ext/territory.h $(INCDIR)/territory.h
	install -m 755 $(B)/territory $(BINDIR)/territory
	install -m 644 shell/territory.1 $(MANDIR)/territory.1
	printf '%s\n' 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' \
	  'libdir=$${exec_prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: territory' \
	  'Description: SQLite extension for regional pharmaceutical sales analysis' \
	  'Version: $(VERSION)' 'Requires: sqlite3' \
	  'Libs: -L$${libdir} -lterritory' 'Libs.private: -lm' \
	  'Cflags: -I$${includedir}' > $(PCDIR)/territory.pc

uninstall:
	rm -f $(LIBDIR)/territory.so $(LIBDIR)/libterritory.a $(INCDIR)/territory.h \
	      $(BINDIR)/territory $(MANDIR)/territory.1 $(PCDIR)/territory.pc
