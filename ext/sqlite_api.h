/*
** sqlite_api.h -- include this, not <sqlite3.h>, in every ext/ file.
**
** Built as a loadable extension, SQLite's API is reached through the
** sqlite3_api pointer that ext/territory.c defines (SQLITE_EXTENSION_INIT1)
** and fills at load time.  Built with -DSQLITE_CORE (libterritory.a, the
** amalgamation) the same calls go straight to the linked SQLite.
*/
#ifndef TERRITORY_SQLITE_API_H
#define TERRITORY_SQLITE_API_H
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#endif
