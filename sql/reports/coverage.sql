-- coverage: hospital coverage (医院覆盖率) per unit and grade, per development phase, the monthly opening plan against first sales, and the late openings
-- param: as_of = the latest month with sales (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: unit = the whole company (an org_unit id or name: the hospitals of that unit and of every unit below it)
-- param: by = district (the level of the rows of the first two results: company, national, region, district or territory)
-- param: year = the year of as_of (the year of the monthly plan, YYYY)
--
-- The deck's 医院开发的目标: 各级医院数量明细, 目前各级医院的覆盖率,
-- 逐月/季度的医院开发计划, and 目标规划 (一期开发点, 二期开发量, 三期开发规模).
-- Four results:
--  1. per unit (every unit at level `by` inside `unit`; `unit` itself when
--     it sits below `by`) and hospital grade, then 'all': hospitals,
--     developed, target, undeveloped (hospital.status) and coverage =
--     developed / hospitals.  The grade is hospital.level || grade
--     ('三级甲'), or the older tier ('A', 'community') where a hospital
--     has no level; 'ungraded' where it has neither.
--  2. the same per development phase (hospital.phase 1/2/3, the deck's
--     一期开发点/二期开发量/三期开发规模); hospitals without a phase are
--     left out, so a plan that records none gives no rows.
--  3. per month of `year`: planned = hospitals of `unit` whose
--     expected_entry falls in the month, opened = hospitals whose first
--     sale (any product, units > 0) falls in it, both cumulative, and
--     gap = cum_opened - cum_planned (negative: behind plan).  A hospital
--     selling in the first month of the sales data opened before it and
--     is not counted as opened; opened is NULL after the as_of month.
--  4. the late ones: hospitals of `unit` expected on or before the as_of
--     month that had no sale by then ('not opened') or whose first sale
--     came after the expected month ('opened late'), with months_late
--     (expected month to first sale, or to as_of when not opened).
DROP TABLE IF EXISTS temp.coverage_arg;

-- the checked parameters, once, for all four results
CREATE TEMP TABLE temp.coverage_arg AS
WITH lv(level, rank) AS (
  VALUES ('company', 0), ('national', 1), ('region', 2), ('district', 3), ('territory', 4)
),
arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('coverage: no sales to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('coverage: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS as_of,
         CASE
           WHEN :unit IS NULL THEN (SELECT min(id) FROM org_unit WHERE level = 'company')
           WHEN EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN (SELECT min(id) FROM org_unit WHERE id = :unit OR name = :unit)
           ELSE raise_error('coverage: no unit ' || :unit)
         END AS unit_id,
         CASE
           WHEN b IN (SELECT level FROM lv) THEN b
           ELSE raise_error('coverage: by must be company, national, region, district or territory, got ' || b)
         END AS by_level,
         CASE
           WHEN :year IS NULL THEN NULL
           WHEN typeof(:year) = 'integer' AND :year BETWEEN 1000 AND 9999 THEN :year
           ELSE raise_error('coverage: year must be a year YYYY, got ' || :year)
         END AS year
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM sale)) AS v,
                 coalesce(:by, 'district') AS b)
)
SELECT a.as_of, a.unit_id, u.level AS unit_level,
       coalesce(a.year, CAST(substr(a.as_of, 1, 4) AS INTEGER)) AS year,
       max((SELECT rank FROM lv WHERE level = a.by_level),
           (SELECT rank FROM lv WHERE level = u.level)) AS row_rank,
       (SELECT min(period) FROM sale) AS first_period
  FROM arg a LEFT JOIN org_unit u ON u.id = a.unit_id;

DROP TABLE IF EXISTS temp.coverage_h;

-- every hospital of the unit asked for, with its grade, the unit rows it
-- counts in and its first sale
CREATE TEMP TABLE temp.coverage_h AS
SELECT h.id, h.name, h.status, h.phase, h.expected_entry, h.unit_id AS territory_id,
       CASE WHEN h.level IS NOT NULL THEN h.level || coalesce(h.grade, '')
            ELSE coalesce(h.tier, 'ungraded') END AS grade,
       -- the order of grades: 三级甲 .. 一级丙, then the tiers
       CASE WHEN h.level IS NOT NULL
            THEN instr('三二一', substr(h.level, 1, 1)) * 10 + coalesce(instr('甲乙丙', h.grade), 4)
            ELSE 100 + coalesce(instr('A B C cs', substr(h.tier, 1, 1)), 9) END AS grade_order,
       (SELECT min(s.period) FROM sale s WHERE s.hospital_id = h.id AND s.units > 0) AS first_sale,
       t.territory_id AS t_id, t.district_id AS d_id, t.region_id AS r_id,
       t.national_id AS n_id, t.company_id AS c_id
  FROM temp.coverage_arg a, hospital h
  JOIN unit_tree t ON t.id = h.unit_id
 WHERE a.unit_id IN (t.id, t.territory_id, t.district_id, t.region_id, t.national_id, t.company_id);

DROP TABLE IF EXISTS temp.coverage_u;

-- each hospital once per row unit it belongs to
CREATE TEMP TABLE temp.coverage_u AS
SELECT CASE a.row_rank WHEN 0 THEN h.c_id WHEN 1 THEN h.n_id WHEN 2 THEN h.r_id
                       WHEN 3 THEN h.d_id ELSE h.t_id END AS unit_id, h.*
  FROM temp.coverage_arg a, temp.coverage_h h;

SELECT unit_id, unit, grade, hospitals, developed, target, undeveloped, coverage
  FROM (SELECT c.unit_id, o.name AS unit, c.grade, min(c.grade_order) AS k,
               count(*) AS hospitals,
               sum(c.status = 'developed') AS developed,
               sum(c.status = 'target') AS target,
               sum(c.status = 'undeveloped') AS undeveloped,
               round((1.0 * sum(c.status = 'developed') / count(*)) * 10000.0) / 10000.0 AS coverage
          FROM temp.coverage_u c JOIN org_unit o ON o.id = c.unit_id
         GROUP BY c.unit_id, c.grade
        UNION ALL
        SELECT c.unit_id, o.name, 'all', 1000, count(*), sum(c.status = 'developed'),
               sum(c.status = 'target'), sum(c.status = 'undeveloped'),
               round((1.0 * sum(c.status = 'developed') / count(*)) * 10000.0) / 10000.0
          FROM temp.coverage_u c JOIN org_unit o ON o.id = c.unit_id
         GROUP BY c.unit_id)
 ORDER BY unit_id, k, grade;

SELECT c.unit_id, o.name AS unit, c.phase,
       CASE c.phase WHEN 1 THEN '一期开发点' WHEN 2 THEN '二期开发量' ELSE '三期开发规模' END AS phase_name,
       count(*) AS hospitals,
       sum(c.status = 'developed') AS developed,
       sum(c.status = 'target') AS target,
       sum(c.status = 'undeveloped') AS undeveloped,
       round((1.0 * sum(c.status = 'developed') / count(*)) * 10000.0) / 10000.0 AS coverage,
       max(c.expected_entry) AS last_expected_entry
  FROM temp.coverage_u c JOIN org_unit o ON o.id = c.unit_id
 WHERE c.phase IS NOT NULL
 GROUP BY c.unit_id, c.phase
 ORDER BY c.unit_id, c.phase;

WITH RECURSIVE m(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM m WHERE n < 12),
month AS (
  SELECT a.year || '-' || printf('%02d', m.n) AS period, a.as_of, a.first_period
    FROM temp.coverage_arg a, m
),
-- the hospitals counted per month once (one pass each), not rescanned for
-- every month
planned AS (
  SELECT substr(h.expected_entry, 1, 7) AS period, count(*) AS n
    FROM temp.coverage_h h GROUP BY 1
),
opened AS (
  SELECT h.first_sale AS period, count(*) AS n
    FROM temp.coverage_h h, temp.coverage_arg a
   WHERE h.first_sale > a.first_period GROUP BY 1
),
per AS (
  SELECT mo.period, coalesce(pl.n, 0) AS planned,
         CASE WHEN mo.period <= mo.as_of THEN coalesce(op.n, 0) END AS opened
    FROM month mo
    LEFT JOIN planned pl ON pl.period = mo.period
    LEFT JOIN opened op ON op.period = mo.period
)
SELECT period, planned, opened,
       sum(planned) OVER w AS cum_planned,
       CASE WHEN opened IS NOT NULL THEN sum(opened) OVER w END AS cum_opened,
       CASE WHEN opened IS NOT NULL THEN sum(opened) OVER w - sum(planned) OVER w END AS gap
  FROM per
WINDOW w AS (ORDER BY period ROWS UNBOUNDED PRECEDING)
 ORDER BY period;

SELECT unit_id, unit, hospital_id, hospital, grade, phase, status, expected_entry, first_sale,
       state,
       (CAST(substr(upto, 1, 4) AS INTEGER) * 12 + CAST(substr(upto, 6, 2) AS INTEGER))
         - (CAST(substr(expected_entry, 1, 4) AS INTEGER) * 12
            + CAST(substr(expected_entry, 6, 2) AS INTEGER)) AS months_late
  FROM (SELECT h.territory_id AS unit_id, o.name AS unit, h.id AS hospital_id,
               h.name AS hospital, h.grade, h.phase, h.status, h.expected_entry,
               h.first_sale,
               CASE WHEN h.first_sale IS NULL OR h.first_sale > a.as_of THEN 'not opened'
                    ELSE 'opened late' END AS state,
               CASE WHEN h.first_sale IS NULL OR h.first_sale > a.as_of THEN a.as_of
                    ELSE h.first_sale END AS upto
          FROM temp.coverage_arg a, temp.coverage_h h
          JOIN org_unit o ON o.id = h.territory_id
         WHERE substr(h.expected_entry, 1, 7) <= a.as_of
           AND (h.first_sale IS NULL OR h.first_sale > substr(h.expected_entry, 1, 7)))
 ORDER BY expected_entry, hospital_id;

DROP TABLE temp.coverage_u;
DROP TABLE temp.coverage_h;
DROP TABLE temp.coverage_arg;
