/* ext/allocate.c -- (being written) */
#include "registry.h"

int allocate_register(sqlite3 *db) { (void)db; return SQLITE_OK; }
