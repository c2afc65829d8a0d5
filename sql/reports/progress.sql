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
-- sale rows: about 5 s, against 19 s as one statement): the work is
-- staged in temp tables, each read in index order.  Only the
-- year that holds the chosen periods is read, only the units under
-- territory; the month plans are summed up the tree one level at a time
-- (a unit without its own takes its children's, which are their own or
-- their children's); sales are summed per hospital in one pass over sale
-- (its primary key), then per unit, then to every unit above.
DROP TABLE IF EXISTS temp.progress_row;
DROP VIEW IF EXISTS temp.progress_up;
DROP TABLE IF EXISTS temp.progress_actual;
DROP TABLE IF EXISTS temp.progress_tgt;
DROP TABLE IF EXISTS temp.progress_key;
DROP TABLE IF EXISTS temp.progress_phased;
DROP TABLE IF EXISTS temp.progress_plan;
DROP TABLE IF EXISTS temp.progress_own;
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
       workdays(max(date(a.through, '+1 day'), e.start), e."end") AS workdays_left
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

-- a unit's own amount per product, kind and period of the year: its own
-- row, else the sum of its hospital rows; collections summed over
-- products.  INDEXED BY: read in target_key order, so grouped without a
-- sort (left alone, the planner builds an automatic index over every
-- target instead)
CREATE TEMP TABLE progress_own (unit_id INTEGER, product_id INTEGER, kind TEXT, period TEXT, amount,
                                i INTEGER);  -- the chosen period it is, if one
INSERT INTO progress_own
SELECT t.unit_id, t.product_id, t.kind, t.period,
       coalesce(max(CASE WHEN t.hospital_id IS NULL THEN t.amount END),
                sum(CASE WHEN t.hospital_id IS NOT NULL AND t.department_id IS NULL
                         THEN t.amount END)),
       CASE t.period WHEN (SELECT period FROM progress_cp WHERE i = 1) THEN 1
                  WHEN (SELECT period FROM progress_cp WHERE i = 2) THEN 2
                  WHEN (SELECT period FROM progress_cp WHERE i = 3) THEN 3 END
  FROM target t INDEXED BY target_key
 WHERE t.plan = (SELECT plan FROM progress_arg) AND t.kind = 'sales' AND coalesce(:kind, 'sales') = 'sales'
   AND substr(t.period, 1, 4) = (SELECT y FROM progress_arg)
   AND (:territory IS NULL OR t.unit_id IN (SELECT id FROM progress_unit))
   AND (:product IS NULL OR t.product_id IN (SELECT id FROM product
                                              WHERE id = :product OR name = :product))
 GROUP BY t.kind, t.unit_id, t.product_id, t.period;
INSERT INTO progress_own
SELECT unit_id, NULL, kind, period, sum(amount),
       CASE period WHEN (SELECT period FROM progress_cp WHERE i = 1) THEN 1
                  WHEN (SELECT period FROM progress_cp WHERE i = 2) THEN 2
                  WHEN (SELECT period FROM progress_cp WHERE i = 3) THEN 3 END
  FROM (SELECT t.unit_id, t.product_id, t.kind, t.period,
               coalesce(max(CASE WHEN t.hospital_id IS NULL THEN t.amount END),
                        sum(CASE WHEN t.hospital_id IS NOT NULL AND t.department_id IS NULL
                                 THEN t.amount END)) AS amount
          FROM target t INDEXED BY target_key
         WHERE t.plan = (SELECT plan FROM progress_arg) AND t.kind = 'collection' AND coalesce(:kind, 'collection') = 'collection'
           AND :product IS NULL
           AND substr(t.period, 1, 4) = (SELECT y FROM progress_arg)
           AND (:territory IS NULL OR t.unit_id IN (SELECT id FROM progress_unit))
         GROUP BY t.kind, t.unit_id, t.product_id, t.period)
 GROUP BY unit_id, kind, period;
CREATE INDEX temp.progress_own_key ON progress_own(unit_id, kind, product_id, period);

-- the month plan of every unit that has one: its own month rows; else its
-- quarter rows, each spread evenly over its three months (from_q 1); ...
CREATE TEMP TABLE progress_plan (unit_id INTEGER, product_id INTEGER, kind TEXT, period TEXT,
                                 amount, from_q INTEGER, depth INTEGER);
INSERT INTO progress_plan
SELECT o.unit_id, o.product_id, o.kind, o.period, o.amount, 0, u.depth
  FROM progress_own o JOIN progress_unit u ON u.id = o.unit_id
 WHERE o.period GLOB '*-[0-9][0-9]';
INSERT INTO progress_plan
SELECT q.unit_id, q.product_id, q.kind,
       printf('%s-%02d', substr(q.period, 1, 4), (CAST(substr(q.period, 7, 1) AS INTEGER) - 1) * 3 + k.k),
       q.amount / 3.0, 1, u.depth
  FROM progress_own q JOIN progress_unit u ON u.id = q.unit_id,
       (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) k
 WHERE q.period GLOB '*-Q?'
   AND NOT EXISTS (SELECT 1 FROM progress_own m
                    WHERE m.unit_id = q.unit_id AND m.kind = q.kind AND m.product_id IS q.product_id
                      AND m.period GLOB '*-[0-9][0-9]');
CREATE TEMP TABLE progress_phased AS SELECT DISTINCT unit_id, kind, product_id FROM progress_plan;
CREATE INDEX temp.progress_phased_key ON progress_phased(unit_id, kind, product_id);
-- ... else the sum of its children's month plans (their own, or their
-- children's): the nearest units below it that have one.  One level at a
-- time, from the districts up: progress_up is one level's step, the
-- plans at from_depth summed into their parents that have none of their
-- own (from_depth is grouped on, so the filter on it reaches the scan).
CREATE TEMP VIEW progress_up AS
SELECT r.* FROM (
  SELECT c.depth AS from_depth, u.parent_id AS unit_id, c.product_id, c.kind, c.period,
         sum(c.amount) AS amount, max(c.from_q) AS from_q
    FROM progress_plan c JOIN progress_unit u ON u.id = c.unit_id
   WHERE u.parent_id IN (SELECT id FROM progress_unit)
   GROUP BY 1, 2, 3, 4, 5) r
 WHERE NOT EXISTS (SELECT 1 FROM progress_phased x
                    WHERE x.unit_id = r.unit_id AND x.kind = r.kind AND x.product_id IS r.product_id);
INSERT INTO progress_plan SELECT unit_id, product_id, kind, period, amount, from_q, 3 FROM progress_up WHERE from_depth = 4;
INSERT INTO progress_plan SELECT unit_id, product_id, kind, period, amount, from_q, 2 FROM progress_up WHERE from_depth = 3;
INSERT INTO progress_plan SELECT unit_id, product_id, kind, period, amount, from_q, 1 FROM progress_up WHERE from_depth = 2;
INSERT INTO progress_plan SELECT unit_id, product_id, kind, period, amount, from_q, 0 FROM progress_up WHERE from_depth = 1;
-- covering, so that the pass below reads each unit's months in order
CREATE INDEX temp.progress_plan_key ON progress_plan(unit_id, kind, product_id, period, amount, from_q);

-- per unit, kind and product with a month plan, for each chosen period i:
-- n_i months planned, s_i their sum (the weights' sum), q_i whether any came from a quarter,
-- w_i the amounts in month order (the weights when all months are there)
CREATE TEMP TABLE progress_key AS
WITH c AS (
  SELECT max(CASE WHEN i = 1 THEN m_from END) AS f1, max(CASE WHEN i = 1 THEN m_to END) AS t1,
         max(CASE WHEN i = 2 THEN m_from END) AS f2, max(CASE WHEN i = 2 THEN m_to END) AS t2,
         max(CASE WHEN i = 3 THEN m_from END) AS f3, max(CASE WHEN i = 3 THEN m_to END) AS t3
    FROM progress_cp
)
SELECT pm.unit_id, pm.kind, pm.product_id,
       count(CASE WHEN pm.period BETWEEN c.f1 AND c.t1 THEN 1 END) AS n1,
       sum(CASE WHEN pm.period BETWEEN c.f1 AND c.t1 THEN pm.amount END) AS s1,
       max(CASE WHEN pm.period BETWEEN c.f1 AND c.t1 THEN pm.from_q END) AS q1,
       group_concat(CASE WHEN pm.period BETWEEN c.f1 AND c.t1 THEN coalesce(pm.amount, 0) END, ',') AS w1,
       count(CASE WHEN pm.period BETWEEN c.f2 AND c.t2 THEN 1 END) AS n2,
       sum(CASE WHEN pm.period BETWEEN c.f2 AND c.t2 THEN pm.amount END) AS s2,
       max(CASE WHEN pm.period BETWEEN c.f2 AND c.t2 THEN pm.from_q END) AS q2,
       group_concat(CASE WHEN pm.period BETWEEN c.f2 AND c.t2 THEN coalesce(pm.amount, 0) END, ',') AS w2,
       count(CASE WHEN pm.period BETWEEN c.f3 AND c.t3 THEN 1 END) AS n3,
       sum(CASE WHEN pm.period BETWEEN c.f3 AND c.t3 THEN pm.amount END) AS s3,
       max(CASE WHEN pm.period BETWEEN c.f3 AND c.t3 THEN pm.from_q END) AS q3,
       group_concat(CASE WHEN pm.period BETWEEN c.f3 AND c.t3 THEN coalesce(pm.amount, 0) END, ',') AS w3
  FROM c, progress_plan pm
 GROUP BY pm.unit_id, pm.kind, pm.product_id;
CREATE INDEX temp.progress_key_key ON progress_key(unit_id, kind, product_id);

-- every target of a chosen period: the unit's own, else the sum of its
-- month plan over the period (a month only from month rows)
CREATE TEMP TABLE progress_tgt AS
SELECT unit_id, product_id, kind, i, period, amount
  FROM progress_own WHERE i IS NOT NULL
UNION ALL
SELECT k.unit_id, k.product_id, k.kind, c.i, c.period,
       CAST(round(CASE c.i WHEN 1 THEN k.s1 WHEN 2 THEN k.s2 ELSE k.s3 END) AS INTEGER)
  FROM progress_cp c, progress_key k
 WHERE CASE c.i WHEN 1 THEN k.n1 WHEN 2 THEN k.n2 ELSE k.n3 END > 0
   AND (c.months <> 1 OR CASE c.i WHEN 1 THEN k.q1 WHEN 2 THEN k.q2 ELSE k.q3 END = 0)
   AND NOT EXISTS (SELECT 1 FROM progress_own o
                    WHERE o.unit_id = k.unit_id AND o.kind = k.kind AND o.product_id IS k.product_id
                      AND o.period = c.period);

-- actual per unit, kind and product for each chosen period i (a_i), from
-- the start of the period through the last month counted: sales per
-- hospital in one pass over sale, then per unit, then up the tree;
-- payments per customer's unit, then up the tree
CREATE TEMP TABLE progress_actual AS
WITH c AS (
  SELECT max(CASE WHEN i = 1 THEN m_from END) AS f1, max(CASE WHEN i = 1 THEN m_upto END) AS u1,
         max(CASE WHEN i = 2 THEN m_from END) AS f2, max(CASE WHEN i = 2 THEN m_upto END) AS u2,
         max(CASE WHEN i = 3 THEN m_from END) AS f3, max(CASE WHEN i = 3 THEN m_upto END) AS u3,
         max(CASE WHEN i = 1 THEN start END) AS d1, max(CASE WHEN i = 1 THEN upto END) AS e1,
         max(CASE WHEN i = 2 THEN start END) AS d2, max(CASE WHEN i = 2 THEN upto END) AS e2,
         max(CASE WHEN i = 3 THEN start END) AS d3, max(CASE WHEN i = 3 THEN upto END) AS e3,
         min(m_from) AS lo, max(m_upto) AS hi, min(start) AS dlo, max(upto) AS dhi
    FROM progress_cp
),
per_hospital AS (
  SELECT s.hospital_id, s.product_id,
         sum(CASE WHEN s.period BETWEEN c.f1 AND c.u1 THEN s.amount END) AS a1,
         sum(CASE WHEN s.period BETWEEN c.f2 AND c.u2 THEN s.amount END) AS a2,
         sum(CASE WHEN s.period BETWEEN c.f3 AND c.u3 THEN s.amount END) AS a3
    FROM c, sale s
   WHERE EXISTS (SELECT 1 FROM progress_tgt WHERE kind = 'sales')
     AND +s.period BETWEEN c.lo AND c.hi
   GROUP BY s.hospital_id, s.product_id
),
per_unit AS (
  SELECT h.unit_id, x.product_id, 'sales' AS kind, sum(x.a1) AS a1, sum(x.a2) AS a2, sum(x.a3) AS a3
    FROM per_hospital x JOIN hospital h ON h.id = x.hospital_id
   GROUP BY 1, 2
  UNION ALL
  SELECT cu.unit_id, NULL, 'collection',
         sum(CASE WHEN pm.date BETWEEN c.d1 AND c.e1 THEN pm.amount END),
         sum(CASE WHEN pm.date BETWEEN c.d2 AND c.e2 THEN pm.amount END),
         sum(CASE WHEN pm.date BETWEEN c.d3 AND c.e3 THEN pm.amount END)
    FROM c, payment pm JOIN invoice i ON i.id = pm.invoice_id JOIN customer cu ON cu.id = i.customer_id
   WHERE EXISTS (SELECT 1 FROM progress_tgt WHERE kind = 'collection')
     AND pm.date BETWEEN c.dlo AND c.dhi
   GROUP BY cu.unit_id
)
SELECT a.anc_id AS unit_id, x.product_id, x.kind, sum(x.a1) AS a1, sum(x.a2) AS a2, sum(x.a3) AS a3
  FROM per_unit x JOIN progress_anc a ON a.unit_id = x.unit_id
 GROUP BY 1, 2, 3;
CREATE INDEX temp.progress_actual_key ON progress_actual(unit_id, kind, product_id);

-- each chosen target with its plan progress and actual
CREATE TEMP TABLE progress_row AS
WITH w AS (
  SELECT t.unit_id, t.product_id, t.kind, t.period, t.amount, c.months, c.start, c."end",
         a.as_of, a.through, a.tol, t.i, c.time_prog, c.workday_prog, c.workdays_left,
         CASE t.i WHEN 1 THEN k.n1 WHEN 2 THEN k.n2 ELSE k.n3 END AS n,
         CASE t.i WHEN 1 THEN k.s1 WHEN 2 THEN k.s2 ELSE k.s3 END AS wsum,
         CASE t.i WHEN 1 THEN k.w1 WHEN 2 THEN k.w2 ELSE k.w3 END AS w
    FROM progress_tgt t JOIN progress_cp c ON c.i = t.i
    CROSS JOIN progress_arg a
    LEFT JOIN progress_key k ON k.unit_id = t.unit_id AND k.kind = t.kind AND k.product_id IS t.product_id
)
SELECT w.unit_id, w.product_id, w.kind, w.period, w.amount, w.months, w.start, w."end",
       w.as_of, w.through, w.tol, w.time_prog, w.workday_prog, w.workdays_left,
       CASE WHEN w.wsum > 0 THEN plan_progress(w.through, w.period,
         CASE WHEN w.n = w.months THEN '[' || w.w || ']'
              -- a month without a plan weighs 0
              ELSE (SELECT '[' || group_concat(m, ',') || ']'
                      FROM (SELECT coalesce((SELECT pm.amount FROM progress_plan pm
                                              WHERE pm.unit_id = w.unit_id AND pm.kind = w.kind
                                                AND pm.product_id IS w.product_id
                                                AND pm.period = strftime('%Y-%m', w.start, '+' || k.k || ' months')), 0) AS m
                              FROM (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
                                    UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7
                                    UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10 UNION ALL SELECT 11) k
                             WHERE k.k < w.months ORDER BY k.k))
         END) END AS plan_prog,
       coalesce(CASE w.i WHEN 1 THEN x.a1 WHEN 2 THEN x.a2 ELSE x.a3 END, 0) AS actual
  FROM w
  LEFT JOIN progress_actual x ON x.unit_id = w.unit_id AND x.kind = w.kind AND x.product_id IS w.product_id;

WITH m AS (
  SELECT r.*, coalesce(plan_prog, time_prog) AS used,
         achievement(actual, amount) - coalesce(plan_prog, time_prog) AS pace_v
    FROM progress_row r
)
SELECT c.unit_id, u.name AS unit, u.level, c.kind, c.product_id, pr.name AS product,
       c.period, c.start, c."end", c.as_of, c.through,
       c.amount AS target, round(c.actual, 2) AS actual,
       round(achievement(c.actual, c.amount), 4) AS achievement,
       round(c.amount * c.plan_prog, 2) AS plan_to_date,
       round(c.plan_prog, 4) AS plan_progress,
       round(c.time_prog, 4) AS time_progress,
       round(c.workday_prog, 4) AS workday_progress,
       CASE WHEN c.plan_prog IS NOT NULL THEN 'plan' ELSE 'time' END AS basis,
       round(c.pace_v, 4) AS pace,
       -- as pace_status(): within the tolerance (and a hair, for binary
       -- fractions) is on track
       CASE WHEN c.pace_v IS NULL THEN NULL
            WHEN c.pace_v > c.tol + 1e-9 THEN 'ahead'
            WHEN c.pace_v < -c.tol - 1e-9 THEN 'behind'
            ELSE 'on_track' END AS status,
       CASE WHEN c.used > 0 THEN round(c.actual / c.used, 2) END AS forecast,
       round(max(c.amount - c.actual, 0), 2) AS gap,
       c.workdays_left,
       CASE
         WHEN c.amount <= c.actual THEN 0
         WHEN c.workdays_left > 0
           THEN round((c.amount - c.actual) * 1.0  -- not integer division
                      / c.workdays_left, 2)
       END AS per_workday
  FROM m c
  JOIN org_unit u ON u.id = c.unit_id
  LEFT JOIN product pr ON pr.id = c.product_id
 ORDER BY CASE u.level WHEN 'company' THEN 0 WHEN 'national' THEN 1 WHEN 'region' THEN 2
                       WHEN 'district' THEN 3 ELSE 4 END,
          c.unit_id, c.kind DESC, c.product_id, c.months DESC, c.period;

DROP TABLE temp.progress_row;
DROP VIEW temp.progress_up;
DROP TABLE temp.progress_actual;
DROP TABLE temp.progress_tgt;
DROP TABLE temp.progress_key;
DROP TABLE temp.progress_phased;
DROP TABLE temp.progress_plan;
DROP TABLE temp.progress_own;
DROP TABLE temp.progress_anc;
DROP TABLE temp.progress_unit;
DROP TABLE temp.progress_cp;
DROP TABLE temp.progress_arg;
