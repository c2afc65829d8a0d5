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

/* The standard extension entry point (sqlite3_load_extension and
** sqlite3_auto_extension both accept it). */
int sqlite3_territory_init(sqlite3 *db, char **pzErrMsg,
                           const sqlite3_api_routines *pApi);

#ifdef __cplusplus
}
#endif
#endif /* TERRITORY_H */
