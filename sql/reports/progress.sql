-- progress: achievement vs the plan's phasing (or time) per unit, kind and product, pace status, forecast and the gap per working day left
-- param: as_of = the end of the latest sale period in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: territory = all units (an org_unit id or name: that unit and every unit below it)
-- param: tolerance = settings pace.tolerance, else 0.05 (pace within +-tolerance is on track)
-- param: product = all products (a product id or name; collections are not per product, so it shows sales only)
-- param: period = every target period that contains as_of ('YYYY', 'YYYY-Qn' or 'YYYY-MM')
-- param: plan = current (the target plan to measure against)
-- param: kind = both (sales: 销售目标 against sales; collection: 回款目标 against payments)
--
-- An unknown unit, product or plan, a period that is not 'YYYY', 'YYYY-Qn'
-- or 'YYYY-MM' or that the plan has no targets for, or an as_of that is not
-- a real date or month, is an error, not an empty report.
--
-- Whole months.  Sales are monthly, so a month counts once it has ended by
-- as_of, on both sides: its sales in actual and its plan in plan_to_date.
-- through is the last day counted (as_of itself at a month end, else the
-- end of the month before); a mid-month as_of never sets a month's sales
-- against part of its plan.
--
-- Targets.  One row per unit, kind, product and target period: the year,
-- quarter and month periods that contain as_of, or the one period asked
-- for.  A unit's target for a period is its own row (hospital_id NULL),
-- else the sum of its hospital rows, else the sum of its month plan over
-- the period (below), so districts, regions and the company get quarter
-- and month rows from their territories.
-- The month plan (phasing) of a unit: its own month rows for the year;
-- else its quarter rows, each spread evenly over its three months; else
-- the sum of the month plans of the nearest units below it that have one.
-- The months give the shape, the period's target the size:
--   plan_progress  plan_progress(through, period, the period's month plan)
--                  -- the share of the period's plan in the months counted
--                  (NULL when the unit has no month plan for the period)
--   plan_to_date   target x plan_progress: the target for the same span as
--                  actual
--   time_progress  the share of the period's days in the months counted
--                  (= plan_progress(through, period)); workday_progress
--                  the same over Monday-Friday
--   basis          'plan' where the period is phased, else 'time': what
--                  pace and forecast compare with
--   achievement    actual / target;  pace = achievement - plan_progress
--                  (or time_progress); status ahead / on_track / behind by
--                  the tolerance
--   forecast       actual / plan_progress (or time_progress): the remaining
--                  plan months at the pace so far, not a straight line
--   gap            target - actual still to reach (0 once met)
--   workdays_left  Monday-Friday days after through to the period end;
--   per_workday    gap / workdays_left (NULL when none is left)
-- actual: kind sales, the sales (sale.amount) of the product into every
-- hospital under the unit; kind collection, the payments received
-- (payment.date) from the customers looked after by the unit or a unit
-- below it (payment -> invoice -> customer.unit_id).  A collection row
-- sums the unit's collection targets over products (product NULL):
-- payments are not per product.
--
-- How (the bench's 10,000 territories, 600,000 month targets and 1.8M
-- sale rows: about 2 s of CPU, against 19 s as one statement): the work
-- is staged in temp tables.  Only the year that holds the chosen periods
-- is read, only the units under territory.  The units' own targets come
-- from own_targets() (ext/owntargets.c: target read once, in C), one row
-- per unit, kind and product that holds the year's periods side by side
-- (o0 the year, o1..o12 the months, o13..o16 the quarters), so 600,000
-- month rows become 50,000 rows; the
-- month plans (p1..p12) are such rows too, summed up the tree one level at
-- a time (a unit without its own takes its children's, which are their
-- own or their children's), and each chosen target and its phasing are
-- read off them.  Sales come from unit_sales() (ext/unitsales.c): one
-- read of sale in key order, summed per hospital, per unit and up the tree
-- in C, the three chosen periods at once.  The rows are
-- written in the report's order (the unit/kind/product keys are sorted,
-- not the finished rows), so the last statement reads them unsorted.
DROP TABLE IF EXISTS temp.progress_row;
DROP TABLE IF EXISTS temp.progress_key;
DROP TABLE IF EXISTS temp.progress_actual;
DROP VIEW IF EXISTS temp.progress_up;
DROP TABLE IF EXISTS temp.progress_plan;
DROP TABLE IF EXISTS temp.progress_hosp;
DROP TABLE IF EXISTS temp.progress_own;
DROP TABLE IF EXISTS temp.progress_ys;
DROP TABLE IF EXISTS temp.progress_anc;
DROP TABLE IF EXISTS temp.progress_unit;
DROP TABLE IF EXISTS temp.progress_cp;
DROP TABLE IF EXISTS temp.progress_arg;

-- the parameters, checked once
CREATE TEMP TABLE progress_arg AS
WITH arg AS MATERIALIZED (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report; MATERIALIZED computes the
  -- columns in order, so of several bad parameters the first is named
  -- (as_of, tolerance, then the rest)
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('progress: no sales to take as_of from; give as_of=YYYY-MM-DD')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('progress: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got ' || v)
         END AS as_of,
         CASE
           WHEN typeof(t) IN ('integer', 'real') AND t BETWEEN 0 AND 1 THEN t
           -- settings imported from CSV hold numbers as text
           WHEN typeof(t) = 'text' AND trim(t) GLOB '*[0-9]*'
                AND NOT trim(t) GLOB '*[^0-9.]*' AND NOT trim(t) GLOB '*.*.*'
                AND CAST(trim(t) AS REAL) BETWEEN 0 AND 1 THEN CAST(trim(t) AS REAL)
           ELSE raise_error('progress: tolerance must be between 0 and 1, got ' || t)
         END AS tol,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('progress: no unit ' || :territory)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('progress: no product ' || :product)
           WHEN :plan IS NOT NULL AND NOT EXISTS (SELECT 1 FROM target WHERE plan = :plan)
             THEN raise_error('progress: no plan ' || :plan)
           WHEN :kind IS NOT NULL AND :kind NOT IN ('sales', 'collection')
             THEN raise_error('progress: kind must be sales or collection, got ' || :kind)
           WHEN pp IS NOT NULL AND NOT (
                  pp GLOB '[0-9][0-9][0-9][0-9]' OR pp GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
                  OR (pp GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(pp, 6, 2) BETWEEN '01' AND '12'))
             THEN raise_error('progress: period must be YYYY, YYYY-Qn or YYYY-MM, got ' || pp)
           WHEN pp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM target WHERE plan = coalesce(:plan, 'current')
                                                AND substr(period, 1, 4) = substr(pp, 1, 4))
             THEN raise_error('progress: plan ' || coalesce(:plan, 'current') || ' has no targets in ' || substr(pp, 1, 4)
                              || ' (period ' || pp || ')')
           ELSE 1
         END AS ok,
         coalesce(:plan, 'current') AS plan,
         pp AS period
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM sale)) AS v,
                 coalesce(:tolerance,
                          (SELECT value FROM settings WHERE key = 'pace.tolerance'),
                          0.05) AS t,
                 CAST(:period AS TEXT) AS pp)
)
SELECT arg.*,
       CASE WHEN as_of = date(as_of, 'start of month', '+1 month', '-1 day') THEN as_of
            ELSE date(as_of, 'start of month', '-1 day') END AS through,
       substr(coalesce(period, as_of), 1, 4) AS y
  FROM arg WHERE as_of IS NOT NULL AND ok;

-- the chosen target periods (the one asked for, else the year, quarter and
-- month that contain as_of), numbered 1..3, with the months counted
CREATE TEMP TABLE progress_cp AS
WITH per(i, period) AS (
  SELECT 1, period FROM progress_arg WHERE period IS NOT NULL
  UNION ALL SELECT 1, substr(as_of, 1, 4) FROM progress_arg WHERE period IS NULL
  UNION ALL SELECT 2, substr(as_of, 1, 5) || 'Q' || ((CAST(substr(as_of, 6, 2) AS INTEGER) + 2) / 3)
              FROM progress_arg WHERE period IS NULL
  UNION ALL SELECT 3, substr(as_of, 1, 7) FROM progress_arg WHERE period IS NULL
),
b AS (
  SELECT i, period,
         CASE
           WHEN length(period) = 4 THEN period || '-01-01'
           WHEN substr(period, 6, 1) = 'Q'
             THEN printf('%s-%02d-01', substr(period, 1, 4), (substr(period, 7, 1) - 1) * 3 + 1)
           ELSE period || '-01'
         END AS start,
         CASE WHEN length(period) = 4 THEN 12 WHEN substr(period, 6, 1) = 'Q' THEN 3 ELSE 1 END
           AS months
    FROM per
),
e AS (
  SELECT b.*, date(b.start, '+' || b.months || ' months', '-1 day') AS "end" FROM b
)
SELECT e.i, e.period, e.start, e.months, e."end",
       min(e."end", a.through) AS upto,
       substr(e.start, 1, 7) AS m_from,
       substr(e."end", 1, 7) AS m_to,
       substr(min(e."end", a.through), 1, 7) AS m_upto,
       -- the same for every row of the period: computed once here
       time_progress(a.through, e.start, e."end") AS time_prog,
       workday_progress(a.through, e.start, e."end") AS workday_prog,
       workdays(max(date(a.through, '+1 day'), e.start), e."end") AS workdays_left,
       -- its months of the year, ma..mb, and where its own amount sits in
       -- progress_own (o0 the year, o1..o12 the months, o13..o16 the quarters)
       CAST(substr(e.start, 6, 2) AS INTEGER) AS ma,
       CAST(substr(e.start, 6, 2) AS INTEGER) + e.months - 1 AS mb,
       CASE e.months WHEN 12 THEN 0 WHEN 3 THEN 12 + (CAST(substr(e.start, 6, 2) AS INTEGER) + 2) / 3
                     ELSE CAST(substr(e.start, 6, 2) AS INTEGER) END AS col,
       -- as printed: rounded once here rather than on every row
       round((time_progress(a.through, e.start, e."end")) * 10000.0) / 10000.0 AS time_prog_r,
       round((workday_progress(a.through, e.start, e."end")) * 10000.0) / 10000.0 AS workday_prog_r,
       -- kc: how many of its months have ended by through (a month end)
       max(0, min(e.months, CAST(substr(a.through, 1, 4) AS INTEGER) * 12 + CAST(substr(a.through, 6, 2) AS INTEGER)
                            - CAST(substr(e.start, 1, 4) AS INTEGER) * 12 - CAST(substr(e.start, 6, 2) AS INTEGER)
                            + 1)) AS kc
  FROM e, progress_arg a;

-- the units reported on (territory and every unit below it), with their
-- depth (company 0 .. territory 4)
CREATE TEMP TABLE progress_unit (id INTEGER PRIMARY KEY, parent_id INTEGER, depth INTEGER);
INSERT INTO progress_unit
SELECT u.id, u.parent_id,
       CASE u.level WHEN 'company' THEN 0 WHEN 'national' THEN 1 WHEN 'region' THEN 2
                    WHEN 'district' THEN 3 ELSE 4 END
  FROM unit_tree u
 WHERE EXISTS (SELECT 1 FROM progress_arg)
   AND (:territory IS NULL OR EXISTS (
         SELECT 1 FROM org_unit f
          WHERE (f.id = :territory OR f.name = :territory)
            AND f.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                         u.national_id, u.company_id)));

-- every unit reported on with each reported unit it sits under, itself
-- included
CREATE TEMP TABLE progress_anc AS
SELECT u.id AS unit_id, a.id AS anc_id
  FROM unit_tree u JOIN progress_unit a
    ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id, u.national_id, u.company_id)
 WHERE u.id IN (SELECT id FROM progress_unit);
CREATE INDEX temp.progress_anc_unit ON progress_anc(unit_id);

-- the periods of the year as text, for the pivots below: p0 the year,
-- p1..p12 its months, p13..p16 its quarters; cm the chosen month (1..12),
-- if one of the chosen periods is a month
CREATE TEMP TABLE progress_ys AS
SELECT a.plan, a.y AS p0,
       a.y || '-01' AS p1, a.y || '-02' AS p2, a.y || '-03' AS p3, a.y || '-04' AS p4,
       a.y || '-05' AS p5, a.y || '-06' AS p6, a.y || '-07' AS p7, a.y || '-08' AS p8,
       a.y || '-09' AS p9, a.y || '-10' AS p10, a.y || '-11' AS p11, a.y || '-12' AS p12,
       a.y || '-Q1' AS p13, a.y || '-Q2' AS p14, a.y || '-Q3' AS p15, a.y || '-Q4' AS p16,
       (SELECT ma FROM progress_cp WHERE months = 1) AS cm
  FROM progress_arg a;

-- a unit's own amounts per kind and product, one row each, the periods of
-- the year side by side: o0 the year, o1..o12 the months, o13..o16 the
-- quarters.  Each is the unit's own row (hospital_id NULL), else the sum
-- of its hospital rows; NULL where the unit has no row for the period, -1
-- where it has rows but no amount (only department rows).  Own rows first,
-- by own_targets() (one read of target in C, in target_key's order), then
-- the hospital rows, which are few, merged in.
CREATE TEMP TABLE progress_own (unit_id INTEGER, kind TEXT, product_id INTEGER,
                                o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11, o12, o13, o14, o15, o16);
INSERT INTO progress_own
SELECT t.unit_id, t.kind, t.product_id, t.y, t.m1, t.m2, t.m3, t.m4, t.m5, t.m6, t.m7, t.m8, t.m9,
       t.m10, t.m11, t.m12, t.q1, t.q2, t.q3, t.q4
  FROM progress_arg a, own_targets(a.plan, a.y) t
 WHERE CASE t.kind
         WHEN 'sales' THEN coalesce(:kind, 'sales') = 'sales'
                           AND (:product IS NULL OR t.product_id IN (SELECT id FROM product
                                                                      WHERE id = :product OR name = :product))
         ELSE coalesce(:kind, 'collection') = 'collection' AND :product IS NULL
       END
   AND (:territory IS NULL OR t.unit_id IN (SELECT id FROM progress_unit));
CREATE INDEX temp.progress_own_key ON progress_own(unit_id, kind, product_id);
CREATE TEMP TABLE progress_hosp AS
SELECT unit_id, kind, product_id,
       max(h) FILTER (WHERE period = (SELECT p0 FROM progress_ys)) AS o0,
       max(h) FILTER (WHERE period = (SELECT p1 FROM progress_ys)) AS o1,
       max(h) FILTER (WHERE period = (SELECT p2 FROM progress_ys)) AS o2,
       max(h) FILTER (WHERE period = (SELECT p3 FROM progress_ys)) AS o3,
       max(h) FILTER (WHERE period = (SELECT p4 FROM progress_ys)) AS o4,
       max(h) FILTER (WHERE period = (SELECT p5 FROM progress_ys)) AS o5,
       max(h) FILTER (WHERE period = (SELECT p6 FROM progress_ys)) AS o6,
       max(h) FILTER (WHERE period = (SELECT p7 FROM progress_ys)) AS o7,
       max(h) FILTER (WHERE period = (SELECT p8 FROM progress_ys)) AS o8,
       max(h) FILTER (WHERE period = (SELECT p9 FROM progress_ys)) AS o9,
       max(h) FILTER (WHERE period = (SELECT p10 FROM progress_ys)) AS o10,
       max(h) FILTER (WHERE period = (SELECT p11 FROM progress_ys)) AS o11,
       max(h) FILTER (WHERE period = (SELECT p12 FROM progress_ys)) AS o12,
       max(h) FILTER (WHERE period = (SELECT p13 FROM progress_ys)) AS o13,
       max(h) FILTER (WHERE period = (SELECT p14 FROM progress_ys)) AS o14,
       max(h) FILTER (WHERE period = (SELECT p15 FROM progress_ys)) AS o15,
       max(h) FILTER (WHERE period = (SELECT p16 FROM progress_ys)) AS o16
  FROM (SELECT t.unit_id, t.kind, t.product_id, t.period,
               coalesce(sum(t.amount) FILTER (WHERE t.department_id IS NULL), -1) AS h
          FROM target t NOT INDEXED
         WHERE t.hospital_id IS NOT NULL AND t.plan = (SELECT plan FROM progress_arg)
           AND CASE t.kind
                 WHEN 'sales' THEN coalesce(:kind, 'sales') = 'sales'
                                   AND (:product IS NULL OR t.product_id IN (SELECT id FROM product
                                                                              WHERE id = :product OR name = :product))
                 ELSE coalesce(:kind, 'collection') = 'collection' AND :product IS NULL
               END
           AND substr(t.period, 1, 4) = (SELECT y FROM progress_arg)
           AND (:territory IS NULL OR t.unit_id IN (SELECT id FROM progress_unit))
         GROUP BY 1, 2, 3, 4)
 GROUP BY unit_id, kind, product_id;
INSERT INTO progress_own
SELECT h.* FROM progress_hosp h
 WHERE NOT EXISTS (SELECT 1 FROM progress_own o
                    WHERE o.unit_id = h.unit_id AND o.kind = h.kind AND o.product_id = h.product_id);
UPDATE progress_own
   SET o0 = coalesce(progress_own.o0, h.o0), o1 = coalesce(progress_own.o1, h.o1),
       o2 = coalesce(progress_own.o2, h.o2), o3 = coalesce(progress_own.o3, h.o3),
       o4 = coalesce(progress_own.o4, h.o4), o5 = coalesce(progress_own.o5, h.o5),
       o6 = coalesce(progress_own.o6, h.o6), o7 = coalesce(progress_own.o7, h.o7),
       o8 = coalesce(progress_own.o8, h.o8), o9 = coalesce(progress_own.o9, h.o9),
       o10 = coalesce(progress_own.o10, h.o10), o11 = coalesce(progress_own.o11, h.o11),
       o12 = coalesce(progress_own.o12, h.o12), o13 = coalesce(progress_own.o13, h.o13),
       o14 = coalesce(progress_own.o14, h.o14), o15 = coalesce(progress_own.o15, h.o15),
       o16 = coalesce(progress_own.o16, h.o16)
  FROM progress_hosp h
 WHERE h.unit_id = progress_own.unit_id AND h.kind = progress_own.kind
   AND h.product_id = progress_own.product_id;
-- collections: summed over products (product NULL)
INSERT INTO progress_own
SELECT unit_id, kind, NULL,
       CASE WHEN max(o0 IS NOT NULL) THEN coalesce(sum(nullif(o0, -1)), -1) END,
       CASE WHEN max(o1 IS NOT NULL) THEN coalesce(sum(nullif(o1, -1)), -1) END,
       CASE WHEN max(o2 IS NOT NULL) THEN coalesce(sum(nullif(o2, -1)), -1) END,
       CASE WHEN max(o3 IS NOT NULL) THEN coalesce(sum(nullif(o3, -1)), -1) END,
       CASE WHEN max(o4 IS NOT NULL) THEN coalesce(sum(nullif(o4, -1)), -1) END,
       CASE WHEN max(o5 IS NOT NULL) THEN coalesce(sum(nullif(o5, -1)), -1) END,
       CASE WHEN max(o6 IS NOT NULL) THEN coalesce(sum(nullif(o6, -1)), -1) END,
       CASE WHEN max(o7 IS NOT NULL) THEN coalesce(sum(nullif(o7, -1)), -1) END,
       CASE WHEN max(o8 IS NOT NULL) THEN coalesce(sum(nullif(o8, -1)), -1) END,
       CASE WHEN max(o9 IS NOT NULL) THEN coalesce(sum(nullif(o9, -1)), -1) END,
       CASE WHEN max(o10 IS NOT NULL) THEN coalesce(sum(nullif(o10, -1)), -1) END,
       CASE WHEN max(o11 IS NOT NULL) THEN coalesce(sum(nullif(o11, -1)), -1) END,
       CASE WHEN max(o12 IS NOT NULL) THEN coalesce(sum(nullif(o12, -1)), -1) END,
       CASE WHEN max(o13 IS NOT NULL) THEN coalesce(sum(nullif(o13, -1)), -1) END,
       CASE WHEN max(o14 IS NOT NULL) THEN coalesce(sum(nullif(o14, -1)), -1) END,
       CASE WHEN max(o15 IS NOT NULL) THEN coalesce(sum(nullif(o15, -1)), -1) END,
       CASE WHEN max(o16 IS NOT NULL) THEN coalesce(sum(nullif(o16, -1)), -1) END
  FROM progress_own WHERE kind = 'collection'
 GROUP BY unit_id, kind;
DELETE FROM progress_own WHERE kind = 'collection' AND product_id IS NOT NULL;

-- the month plan of every unit that has one, p1..p12 (NULL: no plan for
-- the month; -1: a plan row without amount): its own months; else its
-- quarters, each spread evenly over its three months; ... w1..w12 the
-- months' weights (the amount, else 0); qm: for the chosen month, whether
-- its plan came from a quarter (1) or not (0)
CREATE TEMP TABLE progress_plan (unit_id INTEGER, kind TEXT, product_id INTEGER, depth INTEGER,
                                 p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
                                 w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12,
                                 qm INTEGER);
INSERT INTO progress_plan
SELECT unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       CASE WHEN p1 >= 0 THEN p1 ELSE 0 END AS w1, CASE WHEN p2 >= 0 THEN p2 ELSE 0 END AS w2,
       CASE WHEN p3 >= 0 THEN p3 ELSE 0 END AS w3, CASE WHEN p4 >= 0 THEN p4 ELSE 0 END AS w4,
       CASE WHEN p5 >= 0 THEN p5 ELSE 0 END AS w5, CASE WHEN p6 >= 0 THEN p6 ELSE 0 END AS w6,
       CASE WHEN p7 >= 0 THEN p7 ELSE 0 END AS w7, CASE WHEN p8 >= 0 THEN p8 ELSE 0 END AS w8,
       CASE WHEN p9 >= 0 THEN p9 ELSE 0 END AS w9, CASE WHEN p10 >= 0 THEN p10 ELSE 0 END AS w10,
       CASE WHEN p11 >= 0 THEN p11 ELSE 0 END AS w11, CASE WHEN p12 >= 0 THEN p12 ELSE 0 END AS w12,
       CASE WHEN CASE (SELECT cm FROM progress_ys)
                   WHEN 1 THEN p1 WHEN 2 THEN p2 WHEN 3 THEN p3 WHEN 4 THEN p4 WHEN 5 THEN p5 WHEN 6 THEN p6
                   WHEN 7 THEN p7 WHEN 8 THEN p8 WHEN 9 THEN p9 WHEN 10 THEN p10 WHEN 11 THEN p11 WHEN 12 THEN p12 END IS NOT NULL THEN NOT hm END
  FROM (SELECT o.unit_id, o.kind, o.product_id, u.depth, hm,
               CASE WHEN hm THEN o1 WHEN hq THEN CASE WHEN o13 = -1 THEN -1 ELSE o13 / 3.0 END END AS p1,
               CASE WHEN hm THEN o2 WHEN hq THEN CASE WHEN o13 = -1 THEN -1 ELSE o13 / 3.0 END END AS p2,
               CASE WHEN hm THEN o3 WHEN hq THEN CASE WHEN o13 = -1 THEN -1 ELSE o13 / 3.0 END END AS p3,
               CASE WHEN hm THEN o4 WHEN hq THEN CASE WHEN o14 = -1 THEN -1 ELSE o14 / 3.0 END END AS p4,
               CASE WHEN hm THEN o5 WHEN hq THEN CASE WHEN o14 = -1 THEN -1 ELSE o14 / 3.0 END END AS p5,
               CASE WHEN hm THEN o6 WHEN hq THEN CASE WHEN o14 = -1 THEN -1 ELSE o14 / 3.0 END END AS p6,
               CASE WHEN hm THEN o7 WHEN hq THEN CASE WHEN o15 = -1 THEN -1 ELSE o15 / 3.0 END END AS p7,
               CASE WHEN hm THEN o8 WHEN hq THEN CASE WHEN o15 = -1 THEN -1 ELSE o15 / 3.0 END END AS p8,
               CASE WHEN hm THEN o9 WHEN hq THEN CASE WHEN o15 = -1 THEN -1 ELSE o15 / 3.0 END END AS p9,
               CASE WHEN hm THEN o10 WHEN hq THEN CASE WHEN o16 = -1 THEN -1 ELSE o16 / 3.0 END END AS p10,
               CASE WHEN hm THEN o11 WHEN hq THEN CASE WHEN o16 = -1 THEN -1 ELSE o16 / 3.0 END END AS p11,
               CASE WHEN hm THEN o12 WHEN hq THEN CASE WHEN o16 = -1 THEN -1 ELSE o16 / 3.0 END END AS p12
          FROM (SELECT o.*, coalesce(o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11, o12) IS NOT NULL AS hm,
                       coalesce(o13, o14, o15, o16) IS NOT NULL AS hq
                  FROM progress_own o) o
          JOIN progress_unit u ON u.id = o.unit_id
         WHERE hm OR hq);
CREATE INDEX temp.progress_plan_key ON progress_plan(unit_id, kind, product_id);
-- ... else the sum of its children's month plans (their own, or their
-- children's): the nearest units below it that have one.  One level at a
-- time, from the districts up: progress_up is one level's step, the
-- plans at depth d summed into their parents that have none of their own.
CREATE TEMP VIEW progress_up AS
SELECT from_depth, unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       CASE WHEN p1 >= 0 THEN p1 ELSE 0 END AS w1, CASE WHEN p2 >= 0 THEN p2 ELSE 0 END AS w2,
       CASE WHEN p3 >= 0 THEN p3 ELSE 0 END AS w3, CASE WHEN p4 >= 0 THEN p4 ELSE 0 END AS w4,
       CASE WHEN p5 >= 0 THEN p5 ELSE 0 END AS w5, CASE WHEN p6 >= 0 THEN p6 ELSE 0 END AS w6,
       CASE WHEN p7 >= 0 THEN p7 ELSE 0 END AS w7, CASE WHEN p8 >= 0 THEN p8 ELSE 0 END AS w8,
       CASE WHEN p9 >= 0 THEN p9 ELSE 0 END AS w9, CASE WHEN p10 >= 0 THEN p10 ELSE 0 END AS w10,
       CASE WHEN p11 >= 0 THEN p11 ELSE 0 END AS w11, CASE WHEN p12 >= 0 THEN p12 ELSE 0 END AS w12,
       qm
  FROM (SELECT c.depth AS from_depth, u.parent_id AS unit_id, c.kind, c.product_id, c.depth - 1 AS depth,
               CASE WHEN max(c.p1 IS NOT NULL) THEN coalesce(sum(nullif(c.p1, -1)), -1) END AS p1,
       CASE WHEN max(c.p2 IS NOT NULL) THEN coalesce(sum(nullif(c.p2, -1)), -1) END AS p2,
       CASE WHEN max(c.p3 IS NOT NULL) THEN coalesce(sum(nullif(c.p3, -1)), -1) END AS p3,
       CASE WHEN max(c.p4 IS NOT NULL) THEN coalesce(sum(nullif(c.p4, -1)), -1) END AS p4,
       CASE WHEN max(c.p5 IS NOT NULL) THEN coalesce(sum(nullif(c.p5, -1)), -1) END AS p5,
       CASE WHEN max(c.p6 IS NOT NULL) THEN coalesce(sum(nullif(c.p6, -1)), -1) END AS p6,
       CASE WHEN max(c.p7 IS NOT NULL) THEN coalesce(sum(nullif(c.p7, -1)), -1) END AS p7,
       CASE WHEN max(c.p8 IS NOT NULL) THEN coalesce(sum(nullif(c.p8, -1)), -1) END AS p8,
       CASE WHEN max(c.p9 IS NOT NULL) THEN coalesce(sum(nullif(c.p9, -1)), -1) END AS p9,
       CASE WHEN max(c.p10 IS NOT NULL) THEN coalesce(sum(nullif(c.p10, -1)), -1) END AS p10,
       CASE WHEN max(c.p11 IS NOT NULL) THEN coalesce(sum(nullif(c.p11, -1)), -1) END AS p11,
       CASE WHEN max(c.p12 IS NOT NULL) THEN coalesce(sum(nullif(c.p12, -1)), -1) END AS p12,
               max(c.qm) AS qm
          FROM progress_plan c JOIN progress_unit u ON u.id = c.unit_id
         WHERE u.parent_id IN (SELECT id FROM progress_unit)
           AND NOT EXISTS (SELECT 1 FROM progress_plan x
                            WHERE x.unit_id = u.parent_id AND x.kind = c.kind
                              AND x.product_id IS c.product_id)
         GROUP BY c.depth, u.parent_id, c.kind, c.product_id);
INSERT INTO progress_plan
SELECT unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, qm
  FROM progress_up WHERE from_depth = 4;
INSERT INTO progress_plan
SELECT unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, qm
  FROM progress_up WHERE from_depth = 3;
INSERT INTO progress_plan
SELECT unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, qm
  FROM progress_up WHERE from_depth = 2;
INSERT INTO progress_plan
SELECT unit_id, kind, product_id, depth, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12,
       w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, qm
  FROM progress_up WHERE from_depth = 1;

-- actual per unit, kind and product for each chosen period i (a_i), from
-- the start of the period through the last month counted: sales by
-- unit_sales() (every unit's own hospitals and those below it; its first
-- run NULL, nothing read, without sales targets); payments per customer's
-- unit, then up the tree
CREATE TEMP TABLE progress_actual AS
WITH c AS (
  SELECT max(CASE WHEN i = 1 THEN m_from END) AS f1, max(CASE WHEN i = 1 THEN m_upto END) AS u1,
         max(CASE WHEN i = 2 THEN m_from END) AS f2, max(CASE WHEN i = 2 THEN m_upto END) AS u2,
         max(CASE WHEN i = 3 THEN m_from END) AS f3, max(CASE WHEN i = 3 THEN m_upto END) AS u3,
         max(CASE WHEN i = 1 THEN start END) AS d1, max(CASE WHEN i = 1 THEN upto END) AS e1,
         max(CASE WHEN i = 2 THEN start END) AS d2, max(CASE WHEN i = 2 THEN upto END) AS e2,
         max(CASE WHEN i = 3 THEN start END) AS d3, max(CASE WHEN i = 3 THEN upto END) AS e3,
         min(m_from) AS lo, max(m_upto) AS hi, min(start) AS dlo, max(upto) AS dhi,
         -- the first run's start, NULL (no sales read) without sales targets
         CASE WHEN EXISTS (SELECT 1 FROM progress_own WHERE kind = 'sales')
                   OR EXISTS (SELECT 1 FROM progress_plan WHERE kind = 'sales')
              THEN max(CASE WHEN i = 1 THEN m_from END) END AS sf1
    FROM progress_cp
),
per_unit AS (
  SELECT cu.unit_id, NULL AS product_id, 'collection' AS kind,
         sum(CASE WHEN pm.date BETWEEN c.d1 AND c.e1 THEN pm.amount END) AS a1,
         sum(CASE WHEN pm.date BETWEEN c.d2 AND c.e2 THEN pm.amount END) AS a2,
         sum(CASE WHEN pm.date BETWEEN c.d3 AND c.e3 THEN pm.amount END) AS a3
    FROM c, payment pm JOIN invoice i ON i.id = pm.invoice_id JOIN customer cu ON cu.id = i.customer_id
   WHERE (EXISTS (SELECT 1 FROM progress_own WHERE kind = 'collection')
          OR EXISTS (SELECT 1 FROM progress_plan WHERE kind = 'collection'))
     AND pm.date BETWEEN c.dlo AND c.dhi
   GROUP BY cu.unit_id
)
SELECT s.unit_id, s.product_id, 'sales' AS kind, s.sales1 AS a1, s.sales2 AS a2, s.sales3 AS a3
  FROM c, unit_sales(c.sf1, c.u1, c.f2, c.u2, c.f3, c.u3) s
 WHERE s.unit_id IN (SELECT id FROM progress_unit)
UNION ALL
SELECT a.anc_id AS unit_id, x.product_id, x.kind, sum(x.a1) AS a1, sum(x.a2) AS a2, sum(x.a3) AS a3
  FROM per_unit x JOIN progress_anc a ON a.unit_id = x.unit_id
 GROUP BY 1, 2, 3;
CREATE INDEX temp.progress_actual_key ON progress_actual(unit_id, kind, product_id);

-- the keys reported (unit, kind, product: a unit's own targets, its month
-- plan or both) in the report's order, so that progress_row is written in
-- that order and the last statement reads it without sorting: sorting
-- these 50,000 keys is cheaper than sorting the 170,000 finished rows
CREATE TEMP TABLE progress_key AS
SELECT k.unit_id, k.kind, k.product_id, k.orow, k.prow
  FROM (SELECT o.unit_id, o.kind, o.product_id, o.rowid AS orow, p.rowid AS prow
          FROM progress_own o
          LEFT JOIN progress_plan p
            ON p.unit_id = o.unit_id AND p.kind = o.kind AND p.product_id IS o.product_id
        UNION ALL
        SELECT p.unit_id, p.kind, p.product_id, NULL, p.rowid FROM progress_plan p
         WHERE NOT EXISTS (SELECT 1 FROM progress_own o
                            WHERE o.unit_id = p.unit_id AND o.kind = p.kind
                              AND o.product_id IS p.product_id)) k
  JOIN org_unit u ON u.id = k.unit_id
 ORDER BY CASE u.level WHEN 'company' THEN 0 WHEN 'national' THEN 1 WHEN 'region' THEN 2
                       WHEN 'district' THEN 3 ELSE 4 END,
          k.unit_id, k.kind DESC, k.product_id;

-- every target of a chosen period: the unit's own, else the sum of its
-- month plan over the period (a month only from month rows); with n the
-- months planned in the period, s their sum (NULL when none has an
-- amount) and w their weights in month order (a month without a plan
-- weighs 0): its plan progress where s > 0; and its actual.  c.col picks
-- the period's own amount and months: 0 the year, 1..12 a month, 13..16
-- a quarter.
CREATE TEMP TABLE progress_row AS
SELECT t.unit_id, t.product_id, t.kind, t.period,
       CASE WHEN t.own IS NOT NULL THEN nullif(t.own, -1) ELSE CAST(round(t.s) AS INTEGER) END AS amount,
       t.months, t.start, t."end", t.as_of, t.through, t.tol, t.time_prog, t.workday_prog,
       t.workdays_left, t.time_prog_r, t.workday_prog_r,
       -- none of the months counted: 0; all of them: 1 (plan_progress()
       -- would add the same weights to both sums); else plan_progress()
       CASE WHEN t.s > 0 THEN
         CASE t.kc WHEN 0 THEN 0.0 WHEN t.months THEN 1.0
                   ELSE plan_progress(t.through, t.period, t.w) END
       END AS plan_prog,
       coalesce(t.actual, 0) AS actual,
       -- as printed, and the forecast where the share is 1 (actual / 1)
       round((coalesce(t.actual, 0)) * 100.0) / 100.0 AS actual_r
  FROM (SELECT k.unit_id, k.product_id, k.kind, c.i, c.period, c.months, c.start, c."end",
               a.as_of, a.through, a.tol, c.time_prog, c.workday_prog, c.workdays_left,
               c.time_prog_r, c.workday_prog_r, c.kc,
               CASE c.col WHEN 0 THEN o.o0 WHEN 1 THEN o.o1 WHEN 2 THEN o.o2 WHEN 3 THEN o.o3
                          WHEN 4 THEN o.o4 WHEN 5 THEN o.o5 WHEN 6 THEN o.o6 WHEN 7 THEN o.o7
                          WHEN 8 THEN o.o8 WHEN 9 THEN o.o9 WHEN 10 THEN o.o10 WHEN 11 THEN o.o11
                          WHEN 12 THEN o.o12 WHEN 13 THEN o.o13 WHEN 14 THEN o.o14 WHEN 15 THEN o.o15
                          WHEN 16 THEN o.o16 END AS own,
               CASE c.col
                 WHEN 0 THEN (p.p1 IS NOT NULL) + (p.p2 IS NOT NULL) + (p.p3 IS NOT NULL) + (p.p4 IS NOT NULL)
                             + (p.p5 IS NOT NULL) + (p.p6 IS NOT NULL) + (p.p7 IS NOT NULL) + (p.p8 IS NOT NULL)
                             + (p.p9 IS NOT NULL) + (p.p10 IS NOT NULL) + (p.p11 IS NOT NULL) + (p.p12 IS NOT NULL)
                 WHEN 13 THEN (p.p1 IS NOT NULL) + (p.p2 IS NOT NULL) + (p.p3 IS NOT NULL)
                 WHEN 14 THEN (p.p4 IS NOT NULL) + (p.p5 IS NOT NULL) + (p.p6 IS NOT NULL)
                 WHEN 15 THEN (p.p7 IS NOT NULL) + (p.p8 IS NOT NULL) + (p.p9 IS NOT NULL)
                 WHEN 16 THEN (p.p10 IS NOT NULL) + (p.p11 IS NOT NULL) + (p.p12 IS NOT NULL)
                 WHEN 1 THEN (p.p1 IS NOT NULL)
                 WHEN 2 THEN (p.p2 IS NOT NULL)
                 WHEN 3 THEN (p.p3 IS NOT NULL)
                 WHEN 4 THEN (p.p4 IS NOT NULL)
                 WHEN 5 THEN (p.p5 IS NOT NULL)
                 WHEN 6 THEN (p.p6 IS NOT NULL)
                 WHEN 7 THEN (p.p7 IS NOT NULL)
                 WHEN 8 THEN (p.p8 IS NOT NULL)
                 WHEN 9 THEN (p.p9 IS NOT NULL)
                 WHEN 10 THEN (p.p10 IS NOT NULL)
                 WHEN 11 THEN (p.p11 IS NOT NULL)
                 WHEN 12 THEN (p.p12 IS NOT NULL)
               END AS n,
               CASE WHEN CASE c.col
                 WHEN 0 THEN p.p1 >= 0 OR p.p2 >= 0 OR p.p3 >= 0 OR p.p4 >= 0
                             OR p.p5 >= 0 OR p.p6 >= 0 OR p.p7 >= 0 OR p.p8 >= 0
                             OR p.p9 >= 0 OR p.p10 >= 0 OR p.p11 >= 0 OR p.p12 >= 0
                 WHEN 13 THEN p.p1 >= 0 OR p.p2 >= 0 OR p.p3 >= 0
                 WHEN 14 THEN p.p4 >= 0 OR p.p5 >= 0 OR p.p6 >= 0
                 WHEN 15 THEN p.p7 >= 0 OR p.p8 >= 0 OR p.p9 >= 0
                 WHEN 16 THEN p.p10 >= 0 OR p.p11 >= 0 OR p.p12 >= 0
                 WHEN 1 THEN p.p1 >= 0
                 WHEN 2 THEN p.p2 >= 0
                 WHEN 3 THEN p.p3 >= 0
                 WHEN 4 THEN p.p4 >= 0
                 WHEN 5 THEN p.p5 >= 0
                 WHEN 6 THEN p.p6 >= 0
                 WHEN 7 THEN p.p7 >= 0
                 WHEN 8 THEN p.p8 >= 0
                 WHEN 9 THEN p.p9 >= 0
                 WHEN 10 THEN p.p10 >= 0
                 WHEN 11 THEN p.p11 >= 0
                 WHEN 12 THEN p.p12 >= 0
               END
               THEN CASE c.col
                 WHEN 0 THEN p.w1 + p.w2 + p.w3 + p.w4
                             + p.w5 + p.w6 + p.w7 + p.w8
                             + p.w9 + p.w10 + p.w11 + p.w12
                 WHEN 13 THEN p.w1 + p.w2 + p.w3
                 WHEN 14 THEN p.w4 + p.w5 + p.w6
                 WHEN 15 THEN p.w7 + p.w8 + p.w9
                 WHEN 16 THEN p.w10 + p.w11 + p.w12
                 WHEN 1 THEN p.w1
                 WHEN 2 THEN p.w2
                 WHEN 3 THEN p.w3
                 WHEN 4 THEN p.w4
                 WHEN 5 THEN p.w5
                 WHEN 6 THEN p.w6
                 WHEN 7 THEN p.w7
                 WHEN 8 THEN p.w8
                 WHEN 9 THEN p.w9
                 WHEN 10 THEN p.w10
                 WHEN 11 THEN p.w11
                 WHEN 12 THEN p.w12
               END END AS s,
               '[' || CASE c.col
                 WHEN 0 THEN p.w1 || ',' || p.w2 || ',' || p.w3 || ',' || p.w4
                             || ',' || p.w5 || ',' || p.w6 || ',' || p.w7 || ',' || p.w8
                             || ',' || p.w9 || ',' || p.w10 || ',' || p.w11 || ',' || p.w12
                 WHEN 13 THEN p.w1 || ',' || p.w2 || ',' || p.w3
                 WHEN 14 THEN p.w4 || ',' || p.w5 || ',' || p.w6
                 WHEN 15 THEN p.w7 || ',' || p.w8 || ',' || p.w9
                 WHEN 16 THEN p.w10 || ',' || p.w11 || ',' || p.w12
                 WHEN 1 THEN p.w1
                 WHEN 2 THEN p.w2
                 WHEN 3 THEN p.w3
                 WHEN 4 THEN p.w4
                 WHEN 5 THEN p.w5
                 WHEN 6 THEN p.w6
                 WHEN 7 THEN p.w7
                 WHEN 8 THEN p.w8
                 WHEN 9 THEN p.w9
                 WHEN 10 THEN p.w10
                 WHEN 11 THEN p.w11
                 WHEN 12 THEN p.w12
               END || ']' AS w,
               p.qm, CASE c.i WHEN 1 THEN x.a1 WHEN 2 THEN x.a2 ELSE x.a3 END AS actual
          FROM progress_key k
          LEFT JOIN progress_own o ON o.rowid = k.orow
          LEFT JOIN progress_plan p ON p.rowid = k.prow
          LEFT JOIN progress_actual x
            ON x.unit_id = k.unit_id AND x.kind = k.kind AND x.product_id IS k.product_id
          CROSS JOIN progress_cp c CROSS JOIN progress_arg a) t
 WHERE t.own IS NOT NULL OR (t.n > 0 AND (t.months <> 1 OR t.qm = 0));

WITH m AS (
  SELECT r.rowid, r.*, coalesce(plan_prog, time_prog) AS used,
         achievement(actual, amount) - coalesce(plan_prog, time_prog) AS pace_v
    FROM progress_row r
)
SELECT c.unit_id, u.name AS unit, u.level, c.kind, c.product_id, pr.name AS product,
       c.period, c.start, c."end", c.as_of, c.through,
       c.amount AS target, c.actual_r AS actual,
       round((achievement(c.actual, c.amount)) * 10000.0) / 10000.0 AS achievement,
       -- a share of 0 or 1 (a period counted not at all or whole) needs no
       -- rounding, nor does a whole target (round() prints and reads back
       -- each value: the same number, dearly)
       CASE WHEN c.plan_prog = 1.0 AND abs(c.amount) < 1e12 THEN c.amount * 1.0
            WHEN c.plan_prog = 0.0 AND c.amount IS NOT NULL THEN 0.0
            ELSE round((c.amount * c.plan_prog) * 100.0) / 100.0 END AS plan_to_date,
       CASE WHEN c.plan_prog IN (0.0, 1.0) THEN c.plan_prog ELSE round(c.plan_prog * 10000.0) / 10000.0 END AS plan_progress,
       c.time_prog_r AS time_progress,
       c.workday_prog_r AS workday_progress,
       CASE WHEN c.plan_prog IS NOT NULL THEN 'plan' ELSE 'time' END AS basis,
       round(c.pace_v * 10000.0) / 10000.0 AS pace,
       -- as pace_status(): within the tolerance (and a hair, for binary
       -- fractions) is on track
       CASE WHEN c.pace_v IS NULL THEN NULL
            WHEN c.pace_v > c.tol + 1e-9 THEN 'ahead'
            WHEN c.pace_v < -c.tol - 1e-9 THEN 'behind'
            ELSE 'on_track' END AS status,
       CASE WHEN c.used = 1.0 THEN c.actual_r
            WHEN c.used > 0 THEN round((c.actual / c.used) * 100.0) / 100.0 END AS forecast,
       round((max(c.amount - c.actual, 0)) * 100.0) / 100.0 AS gap,
       c.workdays_left,
       CASE
         WHEN c.amount <= c.actual THEN 0
         WHEN c.workdays_left > 0
           THEN round(((c.amount - c.actual) * 1.0  -- not integer division
                      / c.workdays_left) * 100.0) / 100.0
       END AS per_workday
  FROM m c
  JOIN org_unit u ON u.id = c.unit_id
  LEFT JOIN product pr ON pr.id = c.product_id
 -- by level (company first), unit_id, kind DESC, product_id, months DESC,
 -- period: the order progress_row was written in (progress_key's order,
 -- and for each key the chosen periods in progress_cp's order, year,
 -- quarter, month)
 ORDER BY c.rowid;

DROP TABLE temp.progress_row;
DROP TABLE temp.progress_key;
DROP TABLE temp.progress_actual;
DROP VIEW temp.progress_up;
DROP TABLE temp.progress_plan;
DROP TABLE temp.progress_hosp;
DROP TABLE temp.progress_own;
DROP TABLE temp.progress_ys;
DROP TABLE temp.progress_anc;
DROP TABLE temp.progress_unit;
DROP TABLE temp.progress_cp;
DROP TABLE temp.progress_arg;
