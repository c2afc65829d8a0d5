/*
** gen.c -- deterministic generator of a large territory for `make bench`.
**
**   bench-gen OUT.db SCALE HASH
**
** Writes the canonical schema (sql/schema.sql, read from SCHEMA or
** ./sql/schema.sql) and fills it with a synthetic organisation whose size
** follows SCALE (1 = the top of the issue: 10,000 rep territories, 30,000
** hospitals, 150,000 departments, 1,000,000 doctors, 5 products, 12 months,
** 100,000 goals, 100,000 customers with 10 invoices each).  The same SCALE
** always gives the same bytes of data (one fixed-seed splitmix64 stream,
** rows written in key order), so timings on two machines are comparable.
**
** HASH identifies the generator (make passes a hash of this file and the
** schema).  When OUT.db already carries the same HASH and SCALE in its
** bench_meta table the generator does nothing: re-runs skip generation.
** Otherwise it writes OUT.db.tmp and renames it, so an interrupted run never
** leaves a half-filled database that looks finished.
**
** Speed: prepared inserts in one transaction with journal_mode=OFF and
** synchronous=OFF, every table filled in primary-key order so each B-tree
** (and most indexes) grows by appending.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what) {
  fprintf(stderr, "bench-gen: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  exit(1);
}

static void exec(const char *sql) {
  char *err = 0;
  if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) {
    fprintf(stderr, "bench-gen: %s\n  in: %.200s\n", err, sql);
    exit(1);
  }
}

static sqlite3_stmt *prep(const char *sql) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, sql, -1, &s, 0) != SQLITE_OK) die(sql);
  return s;
}

static void run(sqlite3_stmt *s) {
  if (sqlite3_step(s) != SQLITE_DONE) die("insert");
  sqlite3_reset(s);
}

/* ---- deterministic randomness: splitmix64 */
static uint64_t rng_state = 0x7e44170c2026ULL;
static uint64_t rnd(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static long irange(long lo, long hi) { return lo + (long)(rnd() % (uint64_t)(hi - lo + 1)); }
/* long-tailed counts: most doctors write a little, a few write a lot */
static long skewed(double mean) { return (long)floor(-log(1.0 - unif()) * mean); }

/* ---- dates: days since 1970-01-01 <-> civil (H. Hinnant's algorithms) */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
static void civil(long z, char *out) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp + (mp < 10 ? 3 : -9);
  sprintf(out, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc(n + 1);
  if (!b || fread(b, 1, n, f) != (size_t)n) { perror(path); exit(1); }
  b[n] = 0;
  fclose(f);
  return b;
}

static int cached(const char *out, const char *scale, const char *hash) {
  sqlite3 *c;
  int ok = 0;
  if (sqlite3_open_v2(out, &c, SQLITE_OPEN_READONLY, 0) == SQLITE_OK) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c,
            "SELECT (SELECT value FROM bench_meta WHERE key='hash') IS ?1"
            "   AND (SELECT value FROM bench_meta WHERE key='scale') IS ?2",
            -1, &s, 0) == SQLITE_OK) {
      sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text(s, 2, scale, -1, SQLITE_STATIC);
      ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
      sqlite3_finalize(s);
    }
  }
  sqlite3_close(c);
  return ok;
}

#define NPROD 5
#define NMONTH 12
static const char *PRODUCTS[NPROD] = {"Aprovel", "Plavix", "Lantus", "Eloxatin", "Taxotere"};
static const double PRICE[NPROD] = {38.5, 120.0, 210.0, 1450.0, 980.0};
/* a seasonal profile: Q1 slow, Q4 strong (the deck's Q1 / Q2+Q3 / Q4 split) */
static const int SEASON[NMONTH] = {70, 80, 95, 100, 100, 105, 100, 95, 105, 110, 115, 125};

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bench-gen OUT.db SCALE HASH\n");
    return 2;
  }
  const char *out = argv[1], *hash = argv[3];
  double scale = atof(argv[2]);
  if (!(scale > 0 && scale <= 1)) {
    fprintf(stderr, "bench-gen: SCALE must be in (0, 1], got %s\n", argv[2]);
    return 2;
  }
  if (cached(out, argv[2], hash)) {
    fprintf(stderr, "bench-gen: %s is current (scale %s, generator %s)\n", out, argv[2], hash);
    return 0;
  }
  const char *schema_path = getenv("SCHEMA") ? getenv("SCHEMA") : "sql/schema.sql";
  char *schema = read_file(schema_path);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);

  long nterr = lround(10000 * scale); if (nterr < 1) nterr = 1;
  long ndist = (nterr + 9) / 10, nreg = (ndist + 9) / 10;
  long nhosp = lround(30000 * scale); if (nhosp < nterr) nhosp = nterr;
  long ndept = nhosp * 5;
  long ndoc = lround(1000000 * scale); if (ndoc < ndept) ndoc = ndept;
  long ngoal = lround(100000 * scale); if (ngoal < 10) ngoal = 10;
  long ncust = lround(100000 * scale); if (ncust < nterr) ncust = nterr;
  /* org_unit ids: 1 company, 2 national, then regions, districts, territories */
  long reg0 = 3, dist0 = reg0 + nreg, terr0 = dist0 + ndist, nunit = terr0 + nterr - 1;

  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  remove(tmp);
  if (sqlite3_open(tmp, &db) != SQLITE_OK) die(tmp);
  exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
       "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;");
  exec(schema);
  exec("BEGIN");

  /* ---- organisation */
  sqlite3_stmt *s = prep("INSERT INTO org_unit(id, parent_id, level, name, manager) VALUES (?,?,?,?,?)");
  char name[128], d1[32], d2[32];
  for (long id = 1; id <= nunit; id++) {
    const char *lv; long parent;
    if (id == 1) { lv = "company"; parent = 0; }
    else if (id == 2) { lv = "national"; parent = 1; }
    else if (id < dist0) { lv = "region"; parent = 2; }
    else if (id < terr0) { lv = "district"; parent = reg0 + (id - dist0) / 10; }
    else { lv = "territory"; parent = dist0 + (id - terr0) / 10; }
    snprintf(name, sizeof name, "%s %ld", lv, id);
    sqlite3_bind_int64(s, 1, id);
    if (parent) sqlite3_bind_int64(s, 2, parent); else sqlite3_bind_null(s, 2);
    sqlite3_bind_text(s, 3, lv, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_TRANSIENT);
    snprintf(name, sizeof name, "manager %ld", id);
    sqlite3_bind_text(s, 5, name, -1, SQLITE_TRANSIENT);
    run(s);
  }
  sqlite3_finalize(s);

  s = prep("INSERT INTO product(id, name, unit_price) VALUES (?,?,?)");
  for (int p = 0; p < NPROD; p++) {
    sqlite3_bind_int(s, 1, p + 1);
    sqlite3_bind_text(s, 2, PRODUCTS[p], -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 3, PRICE[p]);
    run(s);
  }
  sqlite3_finalize(s);

  /* ---- customers (distributors), 10 per territory at SCALE 1 */
  s = prep("INSERT INTO customer(id, name, kind, credit_limit, unit_id) VALUES (?,?,?,?,?)");
  static const char *KINDS[] = {"distributor", "distributor", "distributor", "hospital", "pharmacy", "other"};
  for (long c = 1; c <= ncust; c++) {
    snprintf(name, sizeof name, "customer %ld", c);
    sqlite3_bind_int64(s, 1, c);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, KINDS[rnd() % 6], -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, 100000.0 * irange(1, 50));
    sqlite3_bind_int64(s, 5, terr0 + (c - 1) * nterr / ncust);
    run(s);
  }
  sqlite3_finalize(s);

  /* ---- hospitals, departments, doctors: blocks in id order */
  static const char *TIERS[] = {"A", "B", "B", "C", "C", "C", "community", "community", "community", "specialty"};
  static const char *STATUS[] = {"developed", "developed", "developed", "target", "undeveloped"};
  static const char *DEPTS[] = {"cardiology", "endocrinology", "oncology", "internal medicine", "neurology"};
  static const char *TITLES[] = {"chief physician", "associate chief", "attending", "resident"};
  s = prep("INSERT INTO hospital(id, unit_id, name, city, tier, beds, outpatients_per_day,"
           " occupancy, avg_stay_days, status, expected_entry) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  for (long h = 1; h <= nhosp; h++) {
    const char *tier = TIERS[rnd() % 10], *st = STATUS[rnd() % 5];
    long beds = tier[0] == 'A' ? irange(800, 3000) : tier[0] == 'B' ? irange(300, 900)
              : tier[0] == 'C' ? irange(80, 350) : irange(10, 120);
    snprintf(name, sizeof name, "hospital %ld", h);
    sqlite3_bind_int64(s, 1, h);
    sqlite3_bind_int64(s, 2, terr0 + (h - 1) * nterr / nhosp);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
    snprintf(name, sizeof name, "city %ld", (h - 1) * nterr / nhosp / 25 + 1);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, tier, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, beds);
    sqlite3_bind_double(s, 7, (double)(beds * irange(15, 40) / 10));
    sqlite3_bind_double(s, 8, irange(60, 98) / 100.0);
    sqlite3_bind_double(s, 9, irange(40, 140) / 10.0);
    sqlite3_bind_text(s, 10, st, -1, SQLITE_STATIC);
    if (st[0] == 'u') {
      civil(days_from_civil(2026, (int)irange(1, 12), 1), d1);
      sqlite3_bind_text(s, 11, d1, -1, SQLITE_TRANSIENT);
    } else sqlite3_bind_null(s, 11);
    run(s);
  }
  sqlite3_finalize(s);

  s = prep("INSERT INTO department(id, hospital_id, name, daily_patients, usage_rate,"
           " rx_per_patient) VALUES (?,?,?,?,?,?)");
  for (long d = 1; d <= ndept; d++) {
    sqlite3_bind_int64(s, 1, d);
    sqlite3_bind_int64(s, 2, (d - 1) / 5 + 1);
    sqlite3_bind_text(s, 3, DEPTS[(d - 1) % 5], -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, (double)irange(5, 400));
    sqlite3_bind_double(s, 5, irange(5, 60) / 100.0);
    sqlite3_bind_double(s, 6, irange(10, 30) / 10.0);
    run(s);
  }
  sqlite3_finalize(s);

  s = prep("INSERT INTO doctor(id, department_id, name, title) VALUES (?,?,?,?)");
  sqlite3_stmt *rx = prep("INSERT INTO rx(doctor_id, product_id, period, rx_count, potential)"
                          " VALUES (?,?,'2026-06',?,?)");
  sqlite3_stmt *vs = prep("INSERT INTO visit(rep_unit_id, doctor_id, date, planned, reported,"
                          " verified) VALUES (?,?,?,?,?,?)");
  for (long i = 1; i <= ndoc; i++) {
    long dept = (i - 1) * ndept / ndoc + 1;
    long hosp = (dept - 1) / 5 + 1;
    snprintf(name, sizeof name, "doctor %ld", i);
    sqlite3_bind_int64(s, 1, i);
    sqlite3_bind_int64(s, 2, dept);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, TITLES[rnd() % 4], -1, SQLITE_STATIC);
    run(s);
    /* one month of prescriptions of every product; potential is the
    ** doctor's whole drug class, so it is at least the product's count */
    for (int p = 1; p <= NPROD; p++) {
      long c = unif() < 0.2 ? 0 : skewed(30);
      sqlite3_bind_int64(rx, 1, i);
      sqlite3_bind_int(rx, 2, p);
      sqlite3_bind_int64(rx, 3, c);
      sqlite3_bind_double(rx, 4, (double)(c + 1 + skewed(60)));
      run(rx);
    }
    if (rnd() % 2 == 0) {
      int rep = unif() < 0.8, ver = rep && unif() < 0.7;
      civil(days_from_civil(2026, 1, 1) + irange(0, 364), d1);
      sqlite3_bind_int64(vs, 1, terr0 + (hosp - 1) * nterr / nhosp);
      sqlite3_bind_int64(vs, 2, i);
      sqlite3_bind_text(vs, 3, d1, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(vs, 4, unif() < 0.9);
      sqlite3_bind_int(vs, 5, rep);
      sqlite3_bind_int(vs, 6, ver);
      run(vs);
    }
  }
  sqlite3_finalize(s);
  sqlite3_finalize(rx);
  sqlite3_finalize(vs);

  /* ---- sales: hospital x product x 12 months of 2026; targets consistent
  ** up the tree (every parent is the sum of its children) */
  long long *unit_target = calloc((size_t)(nunit + 1) * NPROD, sizeof(long long));
  long long *terr_month = calloc((size_t)nterr * NPROD * NMONTH, sizeof(long long));
  s = prep("INSERT INTO sale(hospital_id, product_id, period, units, amount, customer_id)"
           " VALUES (?,?,?,?,?,?)");
  for (long h = 1; h <= nhosp; h++) {
    long t = (h - 1) * nterr / nhosp;
    double size = 0.2 + unif() * 2;
    for (int p = 0; p < NPROD; p++) {
      int sold = unif() < 0.85;
      for (int m = 0; m < NMONTH; m++) {
        long units = sold ? (long)(size * SEASON[m] * (0.5 + unif()) * 4 / (1 + p)) : 0;
        snprintf(d1, sizeof d1, "2026-%02d", m + 1);
        sqlite3_bind_int64(s, 1, h);
        sqlite3_bind_int(s, 2, p + 1);
        sqlite3_bind_text(s, 3, d1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 4, units);
        sqlite3_bind_double(s, 5, units * PRICE[p]);
        sqlite3_bind_int64(s, 6, 1 + t * ncust / nterr + (long)(rnd() % (uint64_t)(ncust / nterr)));
        run(s);
        terr_month[(t * NPROD + p) * NMONTH + m] += (long long)(units * PRICE[p] * 1.15);
      }
    }
  }
  sqlite3_finalize(s);

  s = prep("INSERT INTO target(plan, unit_id, product_id, period, amount) VALUES ('current',?,?,?,?)");
  for (long t = 0; t < nterr; t++)
    for (int p = 0; p < NPROD; p++)
      for (int m = 0; m < NMONTH; m++) {
        long long a = terr_month[(t * NPROD + p) * NMONTH + m];
        snprintf(d1, sizeof d1, "2026-%02d", m + 1);
        sqlite3_bind_int64(s, 1, terr0 + t);
        sqlite3_bind_int(s, 2, p + 1);
        sqlite3_bind_text(s, 3, d1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 4, a);
        run(s);
        unit_target[(terr0 + t) * NPROD + p] += a;
      }
  /* parents are the sums of their children; walk the ids downwards (a
  ** parent's id is always smaller than its children's) */
  for (long id = nunit; id >= 2; id--) {
    long parent = id == 2 ? 1 : id < dist0 ? 2 : id < terr0 ? reg0 + (id - dist0) / 10
                                                 : dist0 + (id - terr0) / 10;
    for (int p = 0; p < NPROD; p++) unit_target[parent * NPROD + p] += unit_target[id * NPROD + p];
  }
  for (long id = 1; id <= nunit; id++)
    for (int p = 0; p < NPROD; p++) {
      sqlite3_bind_int64(s, 1, id);
      sqlite3_bind_int(s, 2, p + 1);
      sqlite3_bind_text(s, 3, "2026", -1, SQLITE_STATIC);
      sqlite3_bind_int64(s, 4, unit_target[id * NPROD + p]);
      run(s);
    }
  sqlite3_finalize(s);
  free(unit_target);
  free(terr_month);

  /* ---- goals: mostly sound, some broken in each SMART letter */
  static const char *METRICS[] = {"sales", "units", "share", "growth", "collections",
                                  "hospitals", "doctors", "coverage", "visits"};
  s = prep("INSERT INTO goal(id, owner, product, metric, baseline, target, potential,"
           " start_date, due_date) VALUES (?,?,?,?,?,?,?,?,?)");
  for (long g = 1; g <= ngoal; g++) {
    const char *metric = unif() < 0.03 ? "profit" : METRICS[rnd() % 9];
    int share = !strcmp(metric, "share") || !strcmp(metric, "coverage");
    double base = share ? irange(1, 60) / 100.0 : (double)irange(100, 100000);
    double growth = (double)irange(-10, 130) / 100.0;
    double target = share ? base * (1 + growth / 3) : round(base * (1 + growth));
    double pot = target * (0.7 + unif());
    long start = days_from_civil(2026, (int)irange(1, 6), 1);
    long due = start + irange(-20, 420);
    sqlite3_bind_int64(s, 1, g);
    snprintf(name, sizeof name, "rep %ld", terr0 + (long)(rnd() % (uint64_t)nterr));
    if (unif() < 0.03) sqlite3_bind_null(s, 2); else sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
    if (unif() < 0.03) sqlite3_bind_null(s, 3); else sqlite3_bind_text(s, 3, PRODUCTS[rnd() % NPROD], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, metric, -1, SQLITE_STATIC);
    if (unif() < 0.02) sqlite3_bind_null(s, 5); else sqlite3_bind_double(s, 5, base);
    if (unif() < 0.02) sqlite3_bind_null(s, 6); else sqlite3_bind_double(s, 6, target);
    if (unif() < 0.2) sqlite3_bind_null(s, 7); else sqlite3_bind_double(s, 7, round(pot * 100) / 100);
    civil(start, d1);
    civil(due, d2);
    sqlite3_bind_text(s, 8, d1, -1, SQLITE_TRANSIENT);
    if (unif() < 0.02) sqlite3_bind_null(s, 9); else sqlite3_bind_text(s, 9, d2, -1, SQLITE_TRANSIENT);
    run(s);
  }
  sqlite3_finalize(s);

  /* ---- receivables: 10 invoices per customer in 2026, most paid */
  s = prep("INSERT INTO invoice(id, customer_id, date, due_date, amount) VALUES (?,?,?,?,?)");
  sqlite3_stmt *pay = prep("INSERT INTO payment(invoice_id, date, amount) VALUES (?,?,?)");
  long inv = 0;
  for (long c = 1; c <= ncust; c++) {
    double size = exp(unif() * 6);     /* Pareto-like spread of customer sizes */
    for (int k = 0; k < 10; k++) {
      long day = days_from_civil(2026, 1, 1) + irange(0, 364);
      long due = day + 30 * irange(1, 3);
      double amt = round(size * (100 + unif() * 900) * 100) / 100 + 1;
      civil(day, d1);
      civil(due, d2);
      sqlite3_bind_int64(s, 1, ++inv);
      sqlite3_bind_int64(s, 2, c);
      sqlite3_bind_text(s, 3, d1, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 4, d2, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double(s, 5, amt);
      run(s);
      double u = unif();
      if (u < 0.75 && day + 40 < days_from_civil(2026, 12, 31)) {
        civil(day + irange(5, 150), d1);
        sqlite3_bind_int64(pay, 1, inv);
        sqlite3_bind_text(pay, 2, d1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(pay, 3, u < 0.6 ? amt : round(amt * 50) / 100);
        run(pay);
      }
    }
  }
  sqlite3_finalize(s);
  sqlite3_finalize(pay);

  /* ---- spend, budget, stock cards */
  static const char *CATS[] = {"meetings", "samples", "travel"};
  s = prep("INSERT INTO budget(unit_id, period, category, amount) VALUES (?,?,?,?)");
  sqlite3_stmt *ex = prep("INSERT INTO expense(unit_id, period, category, amount) VALUES (?,?,?,?)");
  for (long t = 0; t < nterr; t++)
    for (int m = 0; m < NMONTH; m++)
      for (int k = 0; k < 3; k++) {
        double b = (double)irange(2000, 20000);
        snprintf(d1, sizeof d1, "2026-%02d", m + 1);
        sqlite3_bind_int64(s, 1, terr0 + t);
        sqlite3_bind_text(s, 2, d1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, CATS[k], -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 4, b);
        run(s);
        sqlite3_bind_int64(ex, 1, terr0 + t);
        sqlite3_bind_text(ex, 2, d1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ex, 3, CATS[k], -1, SQLITE_STATIC);
        sqlite3_bind_double(ex, 4, round(b * (0.6 + unif() * 0.7)));
        run(ex);
      }
  sqlite3_finalize(s);
  sqlite3_finalize(ex);

  s = prep("INSERT INTO inventory(customer_id, product_id, period, opening, received, sold,"
           " returned, closing) VALUES (?,?,?,?,?,?,?,?)");
  for (long c = 1; c <= ncust; c++) {
    long stock = irange(0, 500);
    int p = (int)(c % NPROD) + 1;
    for (int m = 7; m <= 9; m++) {
      long rec = irange(0, 400), sold = irange(0, stock + rec), ret = unif() < 0.1 ? irange(0, 5) : 0;
      if (ret > stock + rec - sold) ret = 0;
      long closing = stock + rec - sold - ret + (unif() < 0.03 ? irange(1, 20) : 0);
      snprintf(d1, sizeof d1, "2026-%02d", m);
      sqlite3_bind_int64(s, 1, c);
      sqlite3_bind_int(s, 2, p);
      sqlite3_bind_text(s, 3, d1, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 4, stock);
      sqlite3_bind_int64(s, 5, rec);
      sqlite3_bind_int64(s, 6, sold);
      sqlite3_bind_int64(s, 7, ret);
      sqlite3_bind_int64(s, 8, closing);
      run(s);
      stock = closing;
    }
  }
  sqlite3_finalize(s);

  /* ---- annual agreements and assessments (the agreements and
  ** distributors reports): one agreement per customer, for the product of
  ** its stock cards; drawn after everything else, so nothing above shifts */
  s = prep("INSERT INTO agreement(customer_id, product_id, year, units, amount, payment_days)"
           " VALUES (?,?,'2026',?,?,?)");
  sqlite3_stmt *as = prep("INSERT INTO assessment(customer_id, year, staff, finance, promotion,"
                          " cooperation) VALUES (?,'2026',?,?,?,?)");
  for (long c = 1; c <= ncust; c++) {
    int p = (int)(c % NPROD) + 1;
    long units = irange(600, 1800);
    sqlite3_bind_int64(s, 1, c);
    sqlite3_bind_int(s, 2, p);
    sqlite3_bind_int64(s, 3, units);
    sqlite3_bind_double(s, 4, units * PRICE[p - 1]);
    sqlite3_bind_int64(s, 5, 30 * irange(1, 3));
    run(s);
    sqlite3_bind_int64(as, 1, c);
    for (int k = 2; k <= 5; k++) sqlite3_bind_int64(as, k, irange(1, 5));
    run(as);
  }
  sqlite3_finalize(s);
  sqlite3_finalize(as);

  /* ---- drug classes and competitors (issue 13), with no random draw so
  ** the rows above stay as they were: Aprovel (1) and Eloxatin (4, a
  ** competitor's) share class 1, Plavix (2) and Taxotere (5, a
  ** competitor's) class 2; Lantus (3) keeps no class (the old typed
  ** potential).  Departments use class 1 in cardiology, neurology and
  ** internal medicine, class 2 in endocrinology, oncology and internal
  ** medicine, at their own usage figures. */
  exec("INSERT INTO drug_class(id, name, rx_value) VALUES (1, 'class 1', 150), (2, 'class 2', 400)");
  exec("UPDATE product SET class_id = CASE id WHEN 1 THEN 1 WHEN 4 THEN 1 WHEN 2 THEN 2 WHEN 5 THEN 2 END,"
       " ours = id NOT IN (4, 5), maker = CASE WHEN id IN (4, 5) THEN 'a competitor' END");
  exec("INSERT INTO department_usage(department_id, class_id, usage_rate, rx_per_patient)"
       " SELECT id, 1, usage_rate, rx_per_patient FROM department"
       "  WHERE name IN ('cardiology', 'neurology', 'internal medicine')"
       " UNION ALL SELECT id, 2, usage_rate, rx_per_patient FROM department"
       "  WHERE name IN ('endocrinology', 'oncology', 'internal medicine')");

  /* ---- what this database is */
  exec("CREATE TABLE bench_meta(key TEXT PRIMARY KEY, value ANY) STRICT");
  s = prep("INSERT INTO bench_meta VALUES (?, ?)");
  const char *keys[] = {"hash", "scale"};
  const char *vals[] = {hash, argv[2]};
  for (int k = 0; k < 2; k++) {
    sqlite3_bind_text(s, 1, keys[k], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, vals[k], -1, SQLITE_STATIC);
    run(s);
  }
  sqlite3_finalize(s);
  exec("COMMIT");
  exec("ANALYZE");
  if (sqlite3_close(db) != SQLITE_OK) die("close");
  db = 0;
  if (rename(tmp, out) != 0) { perror(out); return 1; }
  free(schema);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "bench-gen: %s: scale %s, %ld territories, %ld hospitals, %ld departments,"
          " %ld doctors, %ld goals, %ld customers, %ld invoices in %.1f s\n",
          out, argv[2], nterr, nhosp, ndept, ndoc, ngoal, ncust, inv,
          (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
