/*
** tuning.h -- the settings the shell opens every database with, for
** analysis: reports read large parts of big tables and build temporary
** tables, so
**   mmap_size    the file is read through a memory map (up to 2 GB, SQLite's
**                default ceiling), not copied page by page into the page
**                cache: a report reading more than the cache holds no
**                longer evicts and re-reads (scorecard at a million doctors
**                2.06 s -> 1.73 s);
**   temp_store   temporary tables and indexes stay in memory;
**   cache_size   256 MB of page cache at most (SQLite's default is 2 MB),
**                for the temporary tables and for writes.
** bench-run (bench/bench.c) opens its database with the same settings, so
** that make bench measures what a manager at the shell gets.
*/
#ifndef TERRITORY_TUNING_H
#define TERRITORY_TUNING_H

#define SHELL_TUNING_SQL "PRAGMA mmap_size=2147418112; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144;"

#endif
