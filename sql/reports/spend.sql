-- spend: expense vs budget per unit and category, with variance, % used, over-budget flag and spend / sales
-- param: as_of = the latest expense period (the last month counted; 'YYYY-MM' or a date in it)
-- param: from = January of the as_of year (the first month counted; 'YYYY-MM' or a date in it)
-- param: unit = all units (an org_unit id or name: that unit and every unit below it)
--
-- Two results.  First, each unit's own budget and expense per category
-- over the months from .. as_of (year to date by default): budget, spent,
-- variance = spent - budget (positive: over), used = spent / budget,
-- over_budget = 1 when spent > budget.  Second, per unit rolled up over
-- every unit below it (a district includes its reps): the same columns
-- over all categories, plus sales of the hospitals below the unit in the
-- same months and spend_ratio = spent / sales (the seed's input / output).
DROP TABLE IF EXISTS temp.spend_months;
DROP TABLE IF EXISTS temp.spend_unit;

-- The months counted (from .. as_of), checked once for both results.
CREATE TEMP TABLE temp.spend_months AS
WITH arg AS MATERIALIZED (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report; MATERIALIZED computes the
  -- columns in order, so of several bad parameters the first is named
  -- (as_of, from, unit)
  SELECT CASE
           WHEN t IS NULL
             THEN raise_error('spend: no expenses to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(t || '-01')) IS t || '-01' THEN t
           WHEN date(julianday(t)) IS t THEN substr(t, 1, 7)
           ELSE raise_error('spend: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || t)
         END AS p_to,
         CASE
           WHEN f IS NULL THEN NULL
           WHEN date(julianday(f || '-01')) IS f || '-01' THEN f
           WHEN date(julianday(f)) IS f THEN substr(f, 1, 7)
           ELSE raise_error('spend: from must be a period YYYY-MM or a date YYYY-MM-DD, got ' || f)
         END AS p_from,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('spend: no unit ' || :unit)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM expense)) AS t, :from AS f)
),
p AS (
  SELECT coalesce(p_from, substr(p_to, 1, 4) || '-01') AS p_from, p_to
    FROM arg WHERE p_to IS NOT NULL AND ok
)
SELECT p_from, p_to FROM p
 -- a from after as_of would silently give an empty report
 WHERE CASE WHEN p_from > p_to
            THEN raise_error('spend: from must not be after as_of, got from ' || p_from || ', as_of ' || p_to)
       END IS NULL;

-- The units shown: the unit asked for and every unit below it.
CREATE TEMP TABLE temp.spend_unit AS
SELECT t.* FROM unit_tree t
 WHERE :unit IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :unit OR f.name = :unit)
           AND f.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                        t.national_id, t.company_id));
-- Both results join their rows to the units by id: without an index the
-- first one scanned every unit for every (unit, category) line, which grew
-- with the square of the territory.
CREATE INDEX temp.spend_unit_id ON spend_unit(id);

-- 1. each unit's own budget and expense per category
WITH line AS (
  SELECT unit_id, category, sum(budget) AS budget, sum(spent) AS spent
    FROM (SELECT b.unit_id, b.category, b.amount AS budget, 0 AS spent
            FROM temp.spend_months m, budget b WHERE b.period BETWEEN m.p_from AND m.p_to
          UNION ALL
          SELECT e.unit_id, e.category, 0, e.amount
            FROM temp.spend_months m, expense e WHERE e.period BETWEEN m.p_from AND m.p_to)
   GROUP BY unit_id, category
)
SELECT t.id AS unit_id, t.name AS unit, t.level, l.category,
       round(l.budget * 100.0) / 100.0 AS budget, round(l.spent * 100.0) / 100.0 AS spent,
       round((l.spent - l.budget) * 100.0) / 100.0 AS variance,
       round((l.spent / nullif(l.budget, 0)) * 10000.0) / 10000.0 AS used,
       l.spent > l.budget AS over_budget
  FROM line l JOIN temp.spend_unit t ON t.id = l.unit_id
 ORDER BY coalesce(t.national_id, 0), coalesce(t.region_id, 0),
          coalesce(t.district_id, 0), coalesce(t.territory_id, 0), l.category;

-- 2. per unit, rolled up over every unit below it, with sales
WITH
-- money booked on a unit, with every unit it counts towards (itself and
-- its ancestors)
own AS (
  SELECT unit_id, sum(budget) AS budget, sum(spent) AS spent
    FROM (SELECT b.unit_id, b.amount AS budget, 0 AS spent
            FROM temp.spend_months m, budget b WHERE b.period BETWEEN m.p_from AND m.p_to
          UNION ALL
          SELECT e.unit_id, 0, e.amount
            FROM temp.spend_months m, expense e WHERE e.period BETWEEN m.p_from AND m.p_to)
   GROUP BY unit_id
),
rolled AS (
  SELECT a.id AS unit_id, sum(o.budget) AS budget, sum(o.spent) AS spent
    FROM own o JOIN unit_tree u ON u.id = o.unit_id
    JOIN org_unit a ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                                u.national_id, u.company_id)
   GROUP BY a.id
),
-- sales summed per unit the hospitals belong to first, then rolled up like
-- the money: every sale row times six ancestors was most of the report's
-- time
sold AS (
  SELECT h.unit_id, sum(s.amount) AS amount
    FROM temp.spend_months m, sale s JOIN hospital h ON h.id = s.hospital_id
   -- the unary + keeps SQLite off the sale_period index: it does not cover
   -- amount, and fetching each row by rowid in period order took 5x as long
   -- as one pass over the table for the default year to date
   WHERE +s.period BETWEEN m.p_from AND m.p_to
   GROUP BY h.unit_id
),
sales AS (
  SELECT a.id AS unit_id, sum(o.amount) AS amount
    FROM sold o JOIN unit_tree u ON u.id = o.unit_id
    JOIN org_unit a ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                                u.national_id, u.company_id)
   GROUP BY a.id
)
SELECT t.id AS unit_id, t.name AS unit, t.level,
       round(r.budget * 100.0) / 100.0 AS budget, round(r.spent * 100.0) / 100.0 AS spent,
       round((r.spent - r.budget) * 100.0) / 100.0 AS variance,
       round((r.spent / nullif(r.budget, 0)) * 10000.0) / 10000.0 AS used,
       r.spent > r.budget AS over_budget,
       round((coalesce(s.amount, 0)) * 100.0) / 100.0 AS sales,
       round((r.spent / nullif(s.amount, 0)) * 10000.0) / 10000.0 AS spend_ratio
  FROM rolled r JOIN temp.spend_unit t ON t.id = r.unit_id
  LEFT JOIN sales s ON s.unit_id = r.unit_id
 ORDER BY coalesce(t.national_id, 0), coalesce(t.region_id, 0),
          coalesce(t.district_id, 0), coalesce(t.territory_id, 0);

DROP TABLE temp.spend_months;
DROP TABLE temp.spend_unit;
