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
WITH arg AS (
  -- SQL has no RAISE outside triggers: a bad JSON path stops the statement
  -- with our own message, so a mistyped parameter is an error, not an
  -- empty report.
  SELECT CASE
           WHEN t IS NULL
             THEN json_extract('{}', 'spend: no expenses to take as_of from; give as_of=YYYY-MM')
           WHEN typeof(t) = 'text' AND t GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                AND date(julianday(t || '-01')) IS t || '-01' THEN t
           WHEN typeof(t) = 'text' AND date(julianday(t)) IS t THEN substr(t, 1, 7)
           ELSE json_extract('{}', 'spend: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || t)
         END AS p_to,
         CASE
           WHEN f IS NULL THEN NULL
           WHEN typeof(f) = 'text' AND f GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                AND date(julianday(f || '-01')) IS f || '-01' THEN f
           WHEN typeof(f) = 'text' AND date(julianday(f)) IS f THEN substr(f, 1, 7)
           ELSE json_extract('{}', 'spend: from must be a period YYYY-MM or a date YYYY-MM-DD, got ' || f)
         END AS p_from,
         CASE
           WHEN :unit IS NULL
                OR EXISTS (SELECT 1 FROM org_unit WHERE (id = :unit OR name = :unit)) THEN 1
           ELSE json_extract('{}', 'spend: no unit ' || :unit)
         END AS unit_ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM expense)) AS t, :from AS f)
),
p AS (
  SELECT coalesce(p_from, substr(p_to, 1, 4) || '-01') AS p_from, p_to
    FROM arg WHERE p_to IS NOT NULL AND unit_ok
),
-- a from after as_of would silently give an empty report
chk AS (
  SELECT p_from, p_to FROM p
   WHERE (CASE WHEN p_from > p_to
               THEN json_extract('{}', 'spend: from must not be after as_of, got from '
                                       || p_from || ', as_of ' || p_to)
          END) IS NULL
),
line AS (
  SELECT unit_id, category, sum(budget) AS budget, sum(spent) AS spent
    FROM (SELECT b.unit_id, b.category, b.amount AS budget, 0 AS spent
            FROM chk, budget b WHERE b.period BETWEEN chk.p_from AND chk.p_to
          UNION ALL
          SELECT e.unit_id, e.category, 0, e.amount
            FROM chk, expense e WHERE e.period BETWEEN chk.p_from AND chk.p_to)
   GROUP BY unit_id, category
),
shown AS (
  SELECT t.* FROM unit_tree t
   WHERE :unit IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :unit OR f.name = :unit)
             AND f.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                          t.national_id, t.company_id))
)
SELECT t.id AS unit_id, t.name AS unit, t.level, l.category,
       round(l.budget, 2) AS budget, round(l.spent, 2) AS spent,
       round(l.spent - l.budget, 2) AS variance,
       round(l.spent / nullif(l.budget, 0), 4) AS used,
       l.spent > l.budget AS over_budget
  FROM line l JOIN shown t ON t.id = l.unit_id
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM chk)
 ORDER BY coalesce(t.national_id, 0), coalesce(t.region_id, 0),
          coalesce(t.district_id, 0), coalesce(t.territory_id, 0), l.category;

WITH arg AS (
  SELECT CASE
           WHEN t IS NULL
             THEN json_extract('{}', 'spend: no expenses to take as_of from; give as_of=YYYY-MM')
           WHEN typeof(t) = 'text' AND t GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                AND date(julianday(t || '-01')) IS t || '-01' THEN t
           WHEN typeof(t) = 'text' AND date(julianday(t)) IS t THEN substr(t, 1, 7)
           ELSE json_extract('{}', 'spend: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || t)
         END AS p_to,
         CASE
           WHEN f IS NULL THEN NULL
           WHEN typeof(f) = 'text' AND f GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                AND date(julianday(f || '-01')) IS f || '-01' THEN f
           WHEN typeof(f) = 'text' AND date(julianday(f)) IS f THEN substr(f, 1, 7)
           ELSE json_extract('{}', 'spend: from must be a period YYYY-MM or a date YYYY-MM-DD, got ' || f)
         END AS p_from,
         CASE
           WHEN :unit IS NULL
                OR EXISTS (SELECT 1 FROM org_unit WHERE (id = :unit OR name = :unit)) THEN 1
           ELSE json_extract('{}', 'spend: no unit ' || :unit)
         END AS unit_ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM expense)) AS t, :from AS f)
),
p AS (
  SELECT coalesce(p_from, substr(p_to, 1, 4) || '-01') AS p_from, p_to
    FROM arg WHERE p_to IS NOT NULL AND unit_ok
),
-- a from after as_of would silently give an empty report
chk AS (
  SELECT p_from, p_to FROM p
   WHERE (CASE WHEN p_from > p_to
               THEN json_extract('{}', 'spend: from must not be after as_of, got from '
                                       || p_from || ', as_of ' || p_to)
          END) IS NULL
),
-- money booked on a unit, with every unit it counts towards (itself and
-- its ancestors)
own AS (
  SELECT unit_id, sum(budget) AS budget, sum(spent) AS spent
    FROM (SELECT b.unit_id, b.amount AS budget, 0 AS spent
            FROM chk, budget b WHERE b.period BETWEEN chk.p_from AND chk.p_to
          UNION ALL
          SELECT e.unit_id, 0, e.amount
            FROM chk, expense e WHERE e.period BETWEEN chk.p_from AND chk.p_to)
   GROUP BY unit_id
),
rolled AS (
  SELECT a.id AS unit_id, sum(o.budget) AS budget, sum(o.spent) AS spent
    FROM own o JOIN unit_tree u ON u.id = o.unit_id
    JOIN org_unit a ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                                u.national_id, u.company_id)
   GROUP BY a.id
),
sales AS (
  SELECT a.id AS unit_id, sum(s.amount) AS amount
    FROM chk, sale s JOIN hospital h ON h.id = s.hospital_id
    JOIN unit_tree u ON u.id = h.unit_id
    JOIN org_unit a ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                                u.national_id, u.company_id)
   WHERE s.period BETWEEN chk.p_from AND chk.p_to
   GROUP BY a.id
),
shown AS (
  SELECT t.* FROM unit_tree t
   WHERE :unit IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :unit OR f.name = :unit)
             AND f.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                          t.national_id, t.company_id))
)
SELECT t.id AS unit_id, t.name AS unit, t.level,
       round(r.budget, 2) AS budget, round(r.spent, 2) AS spent,
       round(r.spent - r.budget, 2) AS variance,
       round(r.spent / nullif(r.budget, 0), 4) AS used,
       r.spent > r.budget AS over_budget,
       round(coalesce(s.amount, 0), 2) AS sales,
       round(r.spent / nullif(s.amount, 0), 4) AS spend_ratio
  FROM rolled r JOIN shown t ON t.id = r.unit_id
  LEFT JOIN sales s ON s.unit_id = r.unit_id
 WHERE EXISTS (SELECT 1 FROM chk)
 ORDER BY coalesce(t.national_id, 0), coalesce(t.region_id, 0),
          coalesce(t.district_id, 0), coalesce(t.territory_id, 0);
