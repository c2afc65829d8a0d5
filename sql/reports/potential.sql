-- potential: potential, prescriptions, share, headroom and market value per product by territory -> hospital -> department; departments in development order; market value rolled up
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: territory = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = all our products (a product id or name; one of ours)
-- param: workdays = settings workdays_per_month (working days in the month, 1 to 31)
--
-- One month, the as_of month, for our product (or all our products: each
-- of their classes once).  Per department (科室潜力), the deck's formula for
-- the product's class (view product_usage, from department_usage):
--   potential = dept_potential(daily_patients, usage_rate, rx_per_patient,
--     workdays), the department's prescriptions of the class in the month;
--     0 for a department that does not use the class (儿科 for a cardio
--     tablet): it is listed, but never in the development order;
--   rx = the department's doctors' prescriptions of our product(s);
--   share = rx_share(rx, potential), NULL with note 'rx above potential' when
--     rx exceeds the estimate (the estimate is too low, not a share > 1);
--   headroom = headroom(potential, rx);
--   class_rx = the doctors' recorded prescriptions of the class, ours and
--     the competitors' (as the view rx_class counts them, read in one pass
--     over the month's rx); prescribers = doctors who wrote the
--     class that month, users = those who wrote ours: prescribers - users
--     doctors write the class but not our product yet.
-- Per hospital, the target-hospital extrapolation (目标医院推算法) beside it:
--   outpatients = outpatients_per_day x workdays;
--   inpatients = inpatient_volume(beds, occupancy, avg_stay_days, days in the
--     month), 0 without beds, NULL when occupancy or the average stay is unknown;
--   dept_patients = the departments' daily_patients x workdays, to compare;
--   market_value (市场总值) = the hospital's purchases of the class that
--     month (按月购进额, table purchase; source 'purchases') where recorded,
--     else extrapolated (source 'extrapolated'): the class's prescriptions
--     from the departments' patients (the potential above), raised by the
--     inpatients in proportion to the outpatients (x (1 + inpatients /
--     outpatients), unknown inpatients add nothing), x the class's yuan per
--     prescription (drug_class.rx_value; NULL when unknown).  With all our
--     products, the classes add up, and source is 'mixed' when they differ;
--   sales = our sales of the product(s) to the hospital that month (yuan);
--   value_share = sales / market_value.
-- Hospital and territory rows sum their departments; their headroom is the
-- sum of the departments' headroom (a department above its estimate does not
-- cancel another's headroom).
--
-- Statement 1, the hierarchy: a territory row, then each hospital (most
-- headroom first) followed by its departments (most headroom first).
-- Statement 2, development order (潜力科室开发排序): the departments of the
-- territory with potential, ranked by headroom, then potential; entry = 1
-- marks each hospital's 最易切入科室, the department where the class is used
-- the most (the highest usage_rate of the class; ties: more potential).
-- Statement 3, market value rolled up: region, its districts, their
-- territories (of those asked for), with the value recorded from purchases
-- beside the total.
--
-- How: for one product, or all ours with no two of them in a class (each
-- class counted once), potential_tree() works the figures and both orders
-- out in C (about 1 s at a million doctors); else (two of ours in a class,
-- or several products matching :product by id and name) the same in SQL
-- below.  Either way the rows go into one table, in output order, and the
-- three results read it.
DROP TABLE IF EXISTS temp.territory_report_potential;
DROP TABLE IF EXISTS temp.territory_report_potential_h;
DROP TABLE IF EXISTS temp.territory_report_potential_pc;
DROP TABLE IF EXISTS temp.territory_report_potential_doc;
DROP TABLE IF EXISTS temp.territory_report_potential_arg;
DROP TABLE IF EXISTS temp.territory_report_potential_dp;
DROP TABLE IF EXISTS temp.territory_report_potential_dx;
DROP TABLE IF EXISTS temp.territory_report_potential_sel;
DROP TABLE IF EXISTS temp.territory_report_potential_t;

-- every product: whether it is asked for, and how many products asked for
-- share its class (each of them counts the class's Rx once); a table with
-- the product id as its key, looked up once per rx row below
CREATE TEMP TABLE temp.territory_report_potential_pc (
  id INTEGER PRIMARY KEY, class_id INTEGER, chosen INTEGER, mult INTEGER);
INSERT INTO temp.territory_report_potential_pc
WITH prod AS (
  SELECT id, class_id FROM product
   WHERE ours = 1 AND (:product IS NULL OR id = :product OR name = :product)
)
SELECT pr.id, pr.class_id, pr.id IN (SELECT id FROM prod),
       CASE WHEN pr.class_id IS NULL THEN 0
            ELSE (SELECT count(*) FROM prod q WHERE q.class_id = pr.class_id) END
  FROM product pr;

-- the parameters, checked once
CREATE TEMP TABLE temp.territory_report_potential_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('potential: no prescriptions to take the month from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('potential: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS period,
         CASE
           WHEN typeof(w) IN ('integer', 'real') AND w >= 1 AND w <= 31 THEN w
           ELSE raise_error('potential: workdays must be a number from 1 to 31, got ' || ifnull(w, 'NULL'))
         END AS workdays,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('potential: no unit ' || :territory)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('potential: no product ' || :product)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE (id = :product OR name = :product) AND ours = 1)
             THEN raise_error('potential: product ' || :product || ' is a competitor''s; give one of ours')
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v,
                 coalesce(:workdays, (SELECT value FROM settings WHERE key = 'workdays_per_month'), 22) AS w)
),
p AS (
  SELECT period, workdays,
         julianday(date(period || '-01', '+1 month')) - julianday(period || '-01') AS days,
         -- potential_tree() counts each class once: one product, or all
         -- ours with no two in a class
         NOT EXISTS (SELECT 1 FROM temp.territory_report_potential_pc WHERE mult > 1)
           AND (:product IS NULL OR (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) = 1)
           AS fast
    FROM arg WHERE period IS NOT NULL AND ok
)
SELECT * FROM p;

-- the territories asked for: the unit itself, or every territory under it
CREATE TEMP TABLE temp.territory_report_potential_sel (id INTEGER PRIMARY KEY, name);
INSERT INTO temp.territory_report_potential_sel
SELECT t.id, t.name FROM unit_tree t
 WHERE t.level = 'territory'
   AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :territory OR f.name = :territory)
           AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)));

-- The rows of the three results, in the order of the first (rowid):
-- territory, hospital and department rows, each department with its place
-- in the territory's development order (dev_rank), as potential_tree()
-- gives them, unrounded.
CREATE TEMP TABLE temp.territory_report_potential_t (
  level, territory_id, territory, hospital_id, hospital, status, department_id, department,
  rank, dev_rank, entry, outpatients, inpatients,
  dept_patients, potential, usage_rate, rx, class_rx, prescribers, users, headroom,
  market_value, recorded_value, source, sales);
INSERT INTO temp.territory_report_potential_t
SELECT x.level, x.territory_id, x.territory, x.hospital_id, x.hospital, x.status,
       x.department_id, x.department, x.rank, x.dev_rank, x.entry,
       x.outpatients, x.inpatients, x.dept_patients, x.potential, x.usage_rate, x.rx, x.class_rx,
       x.prescribers, x.users, x.headroom, x.market_value, x.recorded_value, x.source, x.sales
  FROM temp.territory_report_potential_arg p
       CROSS JOIN potential_tree(p.period, p.workdays,
                                 (SELECT id FROM temp.territory_report_potential_pc WHERE chosen AND :product IS NOT NULL)) x
 WHERE p.fast AND x.territory_id IN (SELECT id FROM temp.territory_report_potential_sel);

-- Else, in SQL: per doctor, per department, the departments of the
-- territories, per hospital, then the rows in order.

-- per doctor, only where a class is counted more than once (two products
-- asked for in one class, or several products asked for by name): our Rx
-- and the class's Rx that month, as the view rx_class counts them (the
-- class total once per product asked for; a product without a class:
-- rx.potential), in one pass over the month's rx in SQL.  Kept by doctor
-- id, so that the departments below look their doctors up.
CREATE TEMP TABLE temp.territory_report_potential_doc (
  doctor_id INTEGER PRIMARY KEY, rx, class_rx);
INSERT INTO temp.territory_report_potential_doc
SELECT r.doctor_id,
       sum(CASE WHEN c.chosen THEN r.rx_count ELSE 0 END),
       sum(CASE WHEN c.class_id IS NOT NULL THEN r.rx_count * c.mult
                WHEN c.chosen THEN r.potential END)
  FROM temp.territory_report_potential_arg a
       CROSS JOIN rx r CROSS JOIN temp.territory_report_potential_pc c
 WHERE (EXISTS (SELECT 1 FROM temp.territory_report_potential_pc WHERE mult > 1)
        OR (:product IS NOT NULL AND (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) <> 1))
   AND r.period = a.period AND c.id = r.product_id
 GROUP BY r.doctor_id;

-- per department: the deck's formula per class, summed over the classes
-- (in class id order), and the highest usage (the view product_usage, a
-- class at a time).  With one product asked for, or all ours,
-- product_potential() reads department and department_usage once, side by
-- side in department id order; else (several products match :product by
-- id and name) the same in SQL, the classes in class key order.  Kept by
-- department id, written in that order, so the departments look them up
-- (no index built over them).
CREATE TEMP TABLE temp.territory_report_potential_dp (
  department_id INTEGER PRIMARY KEY, potential, usage_rate);
INSERT INTO temp.territory_report_potential_dp
SELECT x.department_id, x.potential, x.usage_rate
  FROM temp.territory_report_potential_arg p,
       product_potential(p.workdays,
                         (SELECT id FROM temp.territory_report_potential_pc WHERE chosen AND :product IS NOT NULL)) x
 WHERE NOT p.fast
   AND (:product IS NULL OR (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) = 1);
INSERT INTO temp.territory_report_potential_dp
WITH p AS (SELECT * FROM temp.territory_report_potential_arg),
-- our products asked for, each with its class key (products without a
-- class share the departments' own usage: one class, key 0)
prod AS (
  SELECT id, class_id, coalesce(class_id, 0) AS ck FROM product
   WHERE ours = 1 AND (:product IS NULL OR id = :product OR name = :product)
),
-- each class key once, in key order, with the product whose usage it takes
x AS MATERIALIZED (
  SELECT ck, class_id, min(id) AS pid FROM prod GROUP BY ck ORDER BY ck
)
  SELECT department_id, total(dept_potential(daily_patients, usage_rate, rx_per_patient, workdays)) AS potential,
         max(usage_rate) AS usage_rate
    FROM (SELECT d.id AS department_id, d.daily_patients, p.workdays,
                 CASE WHEN x.class_id IS NULL THEN d.usage_rate ELSE coalesce(u.usage_rate, 0) END AS usage_rate,
                 CASE WHEN x.class_id IS NULL THEN d.rx_per_patient ELSE coalesce(u.rx_per_patient, 0) END AS rx_per_patient
            FROM p, department d CROSS JOIN x
            LEFT JOIN department_usage u ON u.department_id = d.id AND u.class_id = x.class_id)
   WHERE :product IS NOT NULL AND (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) > 1
   GROUP BY department_id;

-- per department: its doctors' Rx, prescribers and users (the doctors
-- above, grouped)
CREATE TEMP TABLE temp.territory_report_potential_dx (
  department_id INTEGER PRIMARY KEY, rx, class_rx, prescribers, users);
INSERT INTO temp.territory_report_potential_dx
  SELECT dr.department_id, sum(doc.rx) AS rx, sum(doc.class_rx) AS class_rx,
         count(CASE WHEN doc.class_rx > 0 OR doc.rx > 0 THEN 1 END) AS prescribers,
         count(CASE WHEN doc.rx > 0 THEN 1 END) AS users
    FROM doctor dr JOIN temp.territory_report_potential_doc doc ON doc.doctor_id = dr.id
   WHERE EXISTS (SELECT 1 FROM temp.territory_report_potential_doc)   -- (else no scan of doctor)
   GROUP BY dr.department_id;

-- the departments of the territories asked for, kept by (hospital,
-- department): the hospitals are summed in key order
CREATE TEMP TABLE temp.territory_report_potential (
  territory_id, hospital_id NOT NULL, outpatients, inpatients,
  department_id NOT NULL, dept_patients, potential, usage_rate, rx, class_rx,
  prescribers, users,
  -- the department's own figures, for the market value's demand below
  daily_patients, d_usage_rate, d_rx_per_patient,
  room,
  PRIMARY KEY (hospital_id, department_id)) WITHOUT ROWID;
INSERT INTO temp.territory_report_potential
SELECT q.*, headroom(q.potential, q.rx)
  FROM (
SELECT s.id AS territory_id, h.id AS hospital_id,
       h.outpatients_per_day * p.workdays AS outpatients,
       CASE WHEN h.beds = 0 THEN 0
            ELSE inpatient_volume(h.beds, h.occupancy, h.avg_stay_days, p.days) END AS inpatients,
       d.id AS department_id,
       d.daily_patients * p.workdays AS dept_patients,
       coalesce(dpot.potential, 0.0) AS potential,
       dpot.usage_rate AS usage_rate,
       coalesce(drx.rx, 0) AS rx,
       coalesce(drx.class_rx, 0) AS class_rx,
       coalesce(drx.prescribers, 0) AS prescribers,
       coalesce(drx.users, 0) AS users,
       d.daily_patients, d.usage_rate, d.rx_per_patient
  FROM temp.territory_report_potential_arg p
  CROSS JOIN temp.territory_report_potential_sel s
  JOIN hospital h ON h.unit_id = s.id
  JOIN department d ON d.hospital_id = h.id
  LEFT JOIN temp.territory_report_potential_dp dpot ON dpot.department_id = d.id
  LEFT JOIN temp.territory_report_potential_dx drx ON drx.department_id = d.id
 WHERE NOT p.fast) q;

-- Per hospital: its departments summed, and its market value of the
-- month (per class recorded or extrapolated, added up) and sales.
CREATE TEMP TABLE temp.territory_report_potential_h AS
WITH pp AS (SELECT period, workdays FROM temp.territory_report_potential_arg WHERE NOT fast),
prod AS (
  SELECT id, class_id, coalesce(class_id, 0) AS ck FROM product
   WHERE ours = 1 AND (:product IS NULL OR id = :product OR name = :product)
),
-- the departments summed per hospital, in the table's key order
-- (materialized: looked up once a hospital and class below)
hosp AS MATERIALIZED (
  SELECT d.territory_id, d.hospital_id,
         max(d.outpatients) AS outpatients, max(d.inpatients) AS inpatients,
         sum(d.dept_patients) AS dept_patients, sum(d.potential) AS potential,
         sum(d.rx) AS rx, sum(d.room) AS room, sum(d.class_rx) AS class_rx,
         sum(d.prescribers) AS prescribers, sum(d.users) AS users
    FROM temp.territory_report_potential d
   GROUP BY d.hospital_id
),
cls AS (SELECT DISTINCT ck, class_id, (SELECT min(id) FROM prod q WHERE q.ck = prod.ck) AS pid FROM prod),
-- each class with the class of the product whose usage it takes, computed
-- once (inlined, pclass was looked up again for every department row)
cx AS MATERIALIZED (
  SELECT ck, class_id, pid, (SELECT q.class_id FROM product q WHERE q.id = pid) AS pclass FROM cls
),
-- per hospital and class: the class's prescriptions a month from the
-- departments' patients: product_potential() by hospital (one product
-- asked for, or all ours), else the same in SQL, each hospital's
-- departments read in the key order of the department table above
-- (nothing sorted, no lookup of department; the view product_usage for
-- x.pid written out, with pid's class)
hd AS MATERIALIZED (
  SELECT h.hospital_id, h.outpatients, h.inpatients, x.class_id, x.potential AS demand
    FROM pp CROSS JOIN product_potential(pp.workdays,
                         (SELECT id FROM temp.territory_report_potential_pc WHERE chosen AND :product IS NOT NULL),
                         'hospital') x
    -- (+: x's INTEGER column would apply its affinity to h's, which has
    -- none, and then no index could find h's rows)
    JOIN hosp h ON h.hospital_id = +x.hospital_id
   WHERE :product IS NULL OR (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) = 1
  UNION ALL
  SELECT h.hospital_id, h.outpatients, h.inpatients, x.class_id,
         (SELECT total(dept_potential(d.daily_patients,
                   CASE WHEN x.pclass IS NULL THEN d.d_usage_rate ELSE coalesce(u.usage_rate, 0) END,
                   CASE WHEN x.pclass IS NULL THEN d.d_rx_per_patient ELSE coalesce(u.rx_per_patient, 0) END,
                   pp.workdays))
            FROM pp, temp.territory_report_potential d
            LEFT JOIN department_usage u ON u.department_id = d.department_id AND u.class_id = x.pclass
           WHERE d.hospital_id = h.hospital_id) AS demand
    FROM hosp h
   CROSS JOIN cx x
   WHERE :product IS NOT NULL AND (SELECT count(*) FROM temp.territory_report_potential_pc WHERE chosen) > 1
),
hc AS MATERIALIZED (  -- computed once: its columns are read several times below
  SELECT h.hospital_id, h.class_id,
         (SELECT pu.amount FROM purchase pu, pp
           WHERE pu.hospital_id = h.hospital_id AND pu.class_id = h.class_id AND pu.period = pp.period) AS recorded,
         CASE WHEN coalesce(h.demand, 0) = 0 THEN 0   -- no demand is worth nothing, whatever the price
              ELSE h.demand * CASE WHEN h.outpatients > 0 THEN 1 + coalesce(h.inpatients, 0) / h.outpatients
                                   ELSE 1 END
                   * (SELECT c.rx_value FROM drug_class c WHERE c.id = h.class_id)
         END AS extrapolated
    FROM hd h
),
mv AS (
  SELECT hc.hospital_id,
         CASE WHEN count(coalesce(recorded, extrapolated)) = count(*)
              THEN sum(coalesce(recorded, extrapolated)) END AS market_value,
         total(recorded) AS recorded_value,
         CASE WHEN count(coalesce(recorded, extrapolated)) < count(*) THEN NULL
              WHEN count(recorded) = count(*) THEN 'purchases'
              WHEN count(recorded) = 0 THEN 'extrapolated'
              ELSE 'mixed' END AS source
    FROM hc GROUP BY hc.hospital_id
)
-- (a hospital without a class to value, i.e. no product of ours: no
-- market value, no sales)
-- h_order: each hospital's place in its territory (most headroom first)
SELECT h.*, m.market_value, m.recorded_value, m.source,
       CASE WHEN m.hospital_id IS NOT NULL THEN
         (SELECT total(s.amount) FROM sale s, pp
           WHERE s.hospital_id = h.hospital_id AND s.period = pp.period
             AND s.product_id IN (SELECT id FROM prod)) END AS sales,
       row_number() OVER (PARTITION BY h.territory_id ORDER BY h.room DESC, h.hospital_id) AS h_order
  FROM hosp h LEFT JOIN mv m ON m.hospital_id = h.hospital_id
 ORDER BY h.hospital_id;

CREATE UNIQUE INDEX temp.territory_report_potential_hh ON territory_report_potential_h(hospital_id);
CREATE INDEX temp.territory_report_potential_ht ON territory_report_potential_h(territory_id, hospital_id);

-- the rows in order: territory -> hospital -> department (each hospital's
-- place in its territory, h_order, worked out above), each department
-- with its place in the development order: the departments with
-- potential by headroom within each territory
INSERT INTO temp.territory_report_potential_t
WITH ent AS (   -- each hospital's entry department
  SELECT (SELECT e.department_id FROM temp.territory_report_potential e
           WHERE e.hospital_id = h.hospital_id AND e.potential > 0
           ORDER BY e.usage_rate DESC, e.potential DESC, e.department_id LIMIT 1) AS department_id
    FROM (SELECT DISTINCT hospital_id FROM temp.territory_report_potential) h
),
terr AS (
  -- sum() skips hospitals whose inpatients (or market value) are unknown
  SELECT territory_id, sum(outpatients) AS outpatients, sum(inpatients) AS inpatients,
         sum(dept_patients) AS dept_patients, sum(potential) AS potential,
         sum(rx) AS rx, sum(class_rx) AS class_rx, sum(prescribers) AS prescribers,
         sum(users) AS users, sum(room) AS room, sum(market_value) AS market_value,
         total(recorded_value) AS recorded_value,
         CASE WHEN count(market_value) < count(*) THEN NULL
              WHEN min(source) = max(source) THEN min(source) ELSE 'mixed' END AS source,
         sum(sales) AS sales
    FROM temp.territory_report_potential_h GROUP BY territory_id
),
line AS (
  SELECT 'territory' AS level, territory_id, NULL AS hospital_id, NULL AS department_id, NULL AS rank,
         NULL AS dev_rank, NULL AS entry, outpatients, inpatients, dept_patients, potential, NULL AS usage_rate, rx, class_rx,
         prescribers, users, room, market_value, recorded_value, source, sales,
         0 AS h_order, 0 AS is_dept
    FROM terr
  UNION ALL
  SELECT 'hospital', territory_id, hospital_id, NULL, h_order, NULL, NULL, outpatients, inpatients,
         dept_patients, potential, NULL, rx, class_rx, prescribers, users, room,
         market_value, recorded_value, source, sales, h_order, 0
    FROM temp.territory_report_potential_h
  UNION ALL
  SELECT 'department', d.territory_id, d.hospital_id, d.department_id,
         row_number() OVER (PARTITION BY d.hospital_id ORDER BY d.room DESC, d.department_id),
         CASE WHEN d.potential > 0 THEN
           row_number() OVER (PARTITION BY d.territory_id, d.potential > 0
                              ORDER BY d.room DESC, d.potential DESC, d.department_id) END,
         d.department_id IN (SELECT department_id FROM ent WHERE department_id IS NOT NULL),
         NULL, NULL, d.dept_patients, d.potential, d.usage_rate, d.rx, d.class_rx,
         d.prescribers, d.users, d.room, NULL, NULL, NULL, NULL, h.h_order, 1
    FROM temp.territory_report_potential d
    JOIN temp.territory_report_potential_h h ON h.hospital_id = d.hospital_id
)
SELECT l.level, l.territory_id, s.name, l.hospital_id, h.name, h.status, l.department_id, d.name,
       l.rank, l.dev_rank, l.entry, l.outpatients, l.inpatients, l.dept_patients, l.potential, l.usage_rate, l.rx,
       l.class_rx, l.prescribers, l.users, l.room, l.market_value, l.recorded_value, l.source, l.sales
  FROM line l
  LEFT JOIN temp.territory_report_potential_sel s ON s.id = l.territory_id
  LEFT JOIN hospital h ON h.id = l.hospital_id
  LEFT JOIN department d ON d.id = l.department_id
 ORDER BY l.territory_id, l.h_order, l.is_dept, l.rank;

-- 1. territory -> hospital -> department, rounded for print.  round(x, 1)
-- of a whole number (below 10^15) is that number as a real: the patients
-- (whole numbers x whole workdays, mostly) skip round()'s print and read
-- back.
SELECT t.level, t.territory_id, t.territory, t.hospital, t.department,
       round(t.outpatients * 10.0) / 10.0 AS outpatients, round(t.inpatients * 10.0) / 10.0 AS inpatients,
       CASE WHEN t.dept_patients = CAST(t.dept_patients AS INTEGER) AND abs(t.dept_patients) < 1e15
            THEN t.dept_patients * 1.0
            ELSE round(t.dept_patients * 10.0) / 10.0 END AS dept_patients,
       round(t.potential * 10.0) / 10.0 AS potential, t.rx,
       CASE WHEN t.rx <= t.potential THEN round((rx_share(t.rx, t.potential)) * 10000.0) / 10000.0 END AS share,
       round(t.headroom * 10.0) / 10.0 AS headroom,
       CASE WHEN t.rx > t.potential THEN 'rx above potential' END AS note,
       t.class_rx, t.prescribers, t.users,
       round(t.market_value * 100.0) / 100.0 AS market_value, t.source, round(t.sales * 100.0) / 100.0 AS sales,
       round((t.sales / nullif(t.market_value, 0)) * 10000.0) / 10000.0 AS value_share
  FROM temp.territory_report_potential_t t
 ORDER BY t.rowid;

-- 2. development order: departments with potential by headroom within each
-- territory, entry = 1 for each hospital's entry department (read in
-- that order through the index)
CREATE INDEX temp.territory_report_potential_td
    ON territory_report_potential_t(territory_id, dev_rank) WHERE dev_rank IS NOT NULL;
SELECT t.territory_id, t.territory, t.dev_rank AS rank, t.hospital, t.status, t.department,
       round(t.potential * 10.0) / 10.0 AS potential, t.rx,
       CASE WHEN t.rx <= t.potential THEN round((rx_share(t.rx, t.potential)) * 10000.0) / 10000.0 END AS share,
       round(t.headroom * 10.0) / 10.0 AS headroom,
       t.prescribers - t.users AS not_yet,
       t.entry
  FROM temp.territory_report_potential_t t
 WHERE t.dev_rank IS NOT NULL
 ORDER BY t.territory_id, t.dev_rank;

-- 3. market value rolled up: region -> district -> territory (each
-- territory's sums from its row, its hospitals counted)
WITH g AS MATERIALIZED (
  SELECT territory_id, count(*) AS hospitals, count(market_value) AS valued
    FROM temp.territory_report_potential_t
   WHERE level = 'hospital'
   GROUP BY territory_id
),
v AS (
  SELECT r.territory_id, u.district_id, u.region_id, g.hospitals, g.valued,
         r.market_value, coalesce(r.recorded_value, 0.0) AS recorded_value,
         coalesce(r.sales, 0.0) AS sales
    FROM temp.territory_report_potential_t r
    JOIN g ON g.territory_id = r.territory_id
    JOIN unit_tree u ON u.id = r.territory_id
   WHERE r.level = 'territory'
),
roll AS (
  SELECT 'region' AS level, region_id AS unit_id, region_id, NULL AS district_id, 0 AS depth,
         sum(hospitals) AS hospitals, sum(valued) AS valued, sum(market_value) AS market_value,
         sum(recorded_value) AS recorded_value, sum(sales) AS sales
    FROM v GROUP BY region_id
  UNION ALL
  SELECT 'district', district_id, region_id, district_id, 1,
         sum(hospitals), sum(valued), sum(market_value), sum(recorded_value), sum(sales)
    FROM v GROUP BY district_id
  UNION ALL
  SELECT 'territory', territory_id, region_id, district_id, 2,
         hospitals, valued, market_value, recorded_value, sales
    FROM v
)
SELECT r.level, r.unit_id, o.name AS unit, r.hospitals, r.valued,
       round(r.market_value * 100.0) / 100.0 AS market_value, round(r.recorded_value * 100.0) / 100.0 AS recorded_value,
       round(r.sales * 100.0) / 100.0 AS sales, round((r.sales / nullif(r.market_value, 0)) * 10000.0) / 10000.0 AS value_share
  FROM roll r JOIN org_unit o ON o.id = r.unit_id
 ORDER BY r.region_id, r.district_id IS NOT NULL, r.district_id, r.depth, r.unit_id;

DROP TABLE temp.territory_report_potential;
DROP TABLE temp.territory_report_potential_h;
DROP TABLE temp.territory_report_potential_pc;
DROP TABLE temp.territory_report_potential_doc;
DROP TABLE temp.territory_report_potential_arg;
DROP TABLE temp.territory_report_potential_dp;
DROP TABLE temp.territory_report_potential_dx;
DROP TABLE temp.territory_report_potential_sel;
DROP TABLE temp.territory_report_potential_t;
