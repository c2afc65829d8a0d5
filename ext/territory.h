/*
** territory.h -- public interface of the territory SQLite extension.
**
** territory adds regional pharmaceutical sales analysis to SQLite:
** percentiles, market potential, doctor segmentation, exact target
** decomposition (allocate), SMART goal checks and progress tracking.
**
** Loadable:   sqlite3> .load ./territory       (entry sqlite3_territory_init)
** Static:     link libterritory.a, then either
**               territory_register(db);
**             or, for every connection opened afterwards,
**               sqlite3_auto_extension((void(*)(void))sqlite3_territory_init);
*/
#ifndef TERRITORY_H
#define TERRITORY_H

#include <sqlite3.h>

#define TERRITORY_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Registers every territory function and table-valued function on db.
** Returns SQLITE_OK or an SQLite error code. */
int territory_register(sqlite3 *db);

/* Installs an authorizer on db (as sqlite3_set_authorizer does) AND records
** it in territory's state for db, so that it keeps working with territory:
** functions that run query text (allocate, smart_check) install their own
** authorizer while they prepare that text -- SQLite allows one per
** connection and has no way to read it back -- consult the recorded one
** too (both must allow), and put the recorded one back afterwards.  An
** authorizer installed with plain sqlite3_set_authorizer() is replaced
** during that prepare and NOT put back: use this function instead.
** xAuth NULL removes it.  Call after territory_register(db) (or loading);
** returns SQLITE_MISUSE when territory is not registered on db. */
int territory_set_authorizer(sqlite3 *db,
                             int (*xAuth)(void *, int, const char *,
                                          const char *, const char *,
                                          const char *),
                             void *pArg);

/* The standard extension entry point (sqlite3_load_extension and
** sqlite3_auto_extension both accept it). */
int sqlite3_territory_init(sqlite3 *db, char **pzErrMsg,
                           const sqlite3_api_routines *pApi);

#ifdef __cplusplus
}
#endif
#endif /* TERRITORY_H */
