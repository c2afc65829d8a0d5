-- target_check: every parent target that differs from the sum of its children, by level, with the difference
-- param: plan = all plans
-- param: product = all products (a product id or name)
-- param: year = all years
--
-- A target row is a parent of the rows that break it down, in the same
-- plan and product:
--   unit -> units        a unit's own row (no hospital) and the own rows of
--                        its child units, same period
--   unit -> hospitals    a unit's own row and its hospital rows (no
--                        department), same period
--   hospital -> departments, department -> doctors   likewise
--   year -> quarters, year -> months, quarter -> months
--                        the same unit/hospital/department/doctor, a
--                        'YYYY' row against its 'YYYY-Qn' or 'YYYY-MM' rows
-- A parent is checked when it has at least one child row (a plan may stop
-- at any level).  difference = sum of children - parent target: positive
-- when the children were given more than the parent.  Sales and
-- collection targets (target.kind) are checked each on their own.
-- Two results: the differing parents (none on a clean plan), then one line
-- per plan checked: 'plan current is consistent (N parents checked)', or
-- 'plan current: K of N parents differ from the sum of their children'
-- ('no targets to check' when nothing matches).  An unknown plan, or a
-- year the plan(s) have no targets in, is an error.
DROP TABLE IF EXISTS temp.tc_arg;
DROP TABLE IF EXISTS temp.tc_parent;
-- the parameters, checked once: every check runs, even on an empty plan
CREATE TEMP TABLE tc_arg AS
WITH arg AS (
  SELECT CASE
           WHEN :product IS NULL THEN NULL
           ELSE coalesce((SELECT id FROM product WHERE id = :product OR name = :product
                           ORDER BY id = :product DESC LIMIT 1),
                         raise_error('target_check: no such product: ' || :product))
         END AS product,
         CASE
           WHEN :year IS NULL THEN NULL
           WHEN CAST(:year AS TEXT) GLOB '[0-9][0-9][0-9][0-9]' THEN CAST(:year AS TEXT)
           ELSE raise_error('target_check: year must be a year like 2027, got ' || :year)
         END AS year,
         CASE
           WHEN :plan IS NOT NULL AND NOT EXISTS (SELECT 1 FROM target WHERE plan = :plan)
             THEN raise_error('target_check: no plan ' || :plan)
           WHEN :year IS NOT NULL AND NOT EXISTS (SELECT 1 FROM target
                                                   WHERE substr(period, 1, 4) = CAST(:year AS TEXT)
                                                     AND (:plan IS NULL OR plan = :plan))
             THEN raise_error('target_check: ' || CASE WHEN :plan IS NULL THEN 'no plan has'
                                                       ELSE 'plan ' || :plan || ' has no' END
                              || ' targets in ' || :year)
         END AS bad
)
SELECT product, year, bad FROM arg;

CREATE TEMP TABLE tc_parent AS
WITH
-- the targets checked; NOT MATERIALIZED: each kind of parent below reads
-- target itself and sums its children through target_key (plan, kind,
-- unit_id, product_id, period, ...), instead of materializing these rows
-- and building an automatic index over them for every kind of pair
t AS NOT MATERIALIZED (
  SELECT tg.* FROM target tg
   WHERE (:plan IS NULL OR tg.plan = :plan)
     AND ((SELECT product FROM temp.tc_arg) IS NULL OR tg.product_id = (SELECT product FROM temp.tc_arg))
     AND ((SELECT year FROM temp.tc_arg) IS NULL OR substr(tg.period, 1, 4) = (SELECT year FROM temp.tc_arg))
),
-- Each parent with its children counted and summed.  Down the org and
-- the sites (unit -> units, unit -> hospitals, hospital -> departments,
-- department -> doctors) as pairs of a parent and a child, grouped once:
-- SQLite picks which side to read first (few hospital rows: from the
-- children).  Down the periods (year -> quarters, year -> months,
-- quarter -> months) parent by parent: the parents in table order (id),
-- so grouping by id sorts nothing, and each parent's children are one
-- range of target_key (a year's months 'YYYY-01' .. 'YYYY-12' sit
-- together in it, as do its quarters and a quarter's months).  As pairs,
-- they sought a parent per month row and sorted 600,000 pairs: 1.1 s of
-- the report's 1.6 s at SCALE=1.
pairs(ord, level, parent_id, child_amount) AS (
  -- unit -> child units
  SELECT 1, 'unit -> units', p.id, c.amount
    FROM t p
    JOIN org_unit cu ON cu.parent_id = p.unit_id
    JOIN t c ON c.unit_id = cu.id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period = p.period AND c.hospital_id IS NULL
   WHERE p.hospital_id IS NULL
  UNION ALL
  -- unit -> hospitals
  SELECT 2, 'unit -> hospitals', p.id, c.amount
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period = p.period AND c.hospital_id IS NOT NULL AND c.department_id IS NULL
   WHERE p.hospital_id IS NULL
  UNION ALL
  -- hospital -> departments
  SELECT 3, 'hospital -> departments', p.id, c.amount
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period = p.period AND c.hospital_id = p.hospital_id
            AND c.department_id IS NOT NULL AND c.doctor_id IS NULL
   WHERE p.hospital_id IS NOT NULL AND p.department_id IS NULL
  UNION ALL
  -- department -> doctors
  SELECT 4, 'department -> doctors', p.id, c.amount
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period = p.period AND c.hospital_id = p.hospital_id
            AND c.department_id = p.department_id AND c.doctor_id IS NOT NULL
   WHERE p.department_id IS NOT NULL AND p.doctor_id IS NULL
),
parents(ord, level, parent_id, children, children_sum) AS (
  SELECT ord, level, parent_id, count(*), sum(child_amount) FROM pairs GROUP BY ord, parent_id
  UNION ALL
  -- year -> quarters: a 'YYYY' row and the same unit's (hospital's, ...)
  -- 'YYYY-Q1' .. 'YYYY-Q4' rows
  SELECT 5, 'year -> quarters', p.id, count(*), sum(c.amount)
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period BETWEEN p.period || '-Q1' AND p.period || '-Q4'
            AND c.hospital_id IS p.hospital_id AND c.department_id IS p.department_id
            AND c.doctor_id IS p.doctor_id
   WHERE length(p.period) = 4
   GROUP BY p.id
  UNION ALL
  -- year -> months: 'YYYY-01' .. 'YYYY-12' (text order puts no quarter
  -- between them: 'Q' sorts after the digits)
  SELECT 6, 'year -> months', p.id, count(*), sum(c.amount)
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period BETWEEN p.period || '-01' AND p.period || '-12'
            AND c.hospital_id IS p.hospital_id AND c.department_id IS p.department_id
            AND c.doctor_id IS p.doctor_id
   WHERE length(p.period) = 4
   GROUP BY p.id
  UNION ALL
  -- quarter -> months: 'YYYY-Qn' and its three months
  SELECT 7, 'quarter -> months', p.id, count(*), sum(c.amount)
    FROM t p
    JOIN t c ON c.unit_id = p.unit_id AND c.plan = p.plan AND c.kind = p.kind AND c.product_id = p.product_id
            AND c.period BETWEEN substr(p.period, 1, 5) || printf('%02d', 3 * substr(p.period, 7, 1) - 2)
                             AND substr(p.period, 1, 5) || printf('%02d', 3 * substr(p.period, 7, 1))
            AND c.hospital_id IS p.hospital_id AND c.department_id IS p.department_id
            AND c.doctor_id IS p.doctor_id
   WHERE p.period GLOB '*-Q?'
   GROUP BY p.id
)
SELECT x.ord, x.level, p.id, p.plan, p.kind, p.product_id, p.period, p.unit_id, p.hospital_id,
       p.department_id, p.doctor_id, p.amount AS target, x.children, x.children_sum
  FROM parents x JOIN target p ON p.id = x.parent_id;  -- parents are rows of t

SELECT level, plan, product_id, period, unit_id, hospital_id, department_id, doctor_id,
       target, children, children_sum, children_sum - target AS difference
  FROM temp.tc_parent
 WHERE children_sum <> target
 ORDER BY ord, plan, kind DESC, product_id, period, unit_id, hospital_id, department_id, doctor_id;

-- one line per plan: a clean plan says so
WITH plans AS (
  SELECT DISTINCT plan FROM target WHERE :plan IS NULL OR plan = :plan
),
per AS (
  SELECT pl.plan,
         (SELECT count(DISTINCT id) FROM temp.tc_parent c WHERE c.plan = pl.plan) AS n,
         (SELECT count(DISTINCT id) FROM temp.tc_parent c
           WHERE c.plan = pl.plan AND c.children_sum <> c.target) AS bad
    FROM plans pl
)
SELECT CASE
         WHEN bad > 0 THEN 'plan ' || plan || ': ' || bad || ' of ' || n
                           || ' parents differ from the sum of their children'
         WHEN n > 0 THEN 'plan ' || plan || ' is consistent (' || n || ' parents checked)'
         ELSE 'plan ' || plan || ' has no parent targets to check'
       END AS result
  FROM per
UNION ALL
SELECT 'no targets to check' WHERE NOT EXISTS (SELECT 1 FROM per)
 ORDER BY 1;

DROP TABLE temp.tc_parent;
DROP TABLE temp.tc_arg;
