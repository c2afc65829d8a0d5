-- progress: achievement vs time progress per unit and product, pace status, run-rate forecast and the gap per working day left
-- param: as_of = the end of the latest sale period in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: territory = all units (an org_unit id or name: that unit and every unit below it)
-- param: tolerance = settings pace.tolerance, else 0.05 (pace within +-tolerance is on track)
-- param: product = all products (a product id or name)
-- param: period = every target period that contains as_of (a target period: 'YYYY', 'YYYY-Qn' or 'YYYY-MM')
--
-- An unknown unit or product, or an as_of that is not a real date or month,
-- is an error, not an empty report.
-- One row per unit, product and target period (plan 'current'): the
-- year, quarter and month targets that contain as_of, or the one period
-- asked for.  A unit's target is its own row (hospital_id NULL), or, when
-- it has none for that period, the sum of its hospital rows.  actual is
-- the sales of every hospital under the unit (its territory and every
-- territory below it) for the months of the period up to as_of.  Sales are
-- monthly: a month counts once it has begun by as_of (its sales so far).
--   achievement   actual / target
--   time_progress share of the period's days elapsed by as_of (both ends
--                 counted); workday_progress the same over Monday-Friday
--   pace          achievement - time_progress; status ahead / on_track /
--                 behind by the tolerance
--   forecast      run rate: actual / time_progress, the period total at
--                 the current pace
--   gap           target - actual still to sell (0 once met)
--   workdays_left Monday-Friday days after as_of to the period end;
--   per_workday   gap / workdays_left, what each working day left must
--                 bring (NULL when the period is over and the gap open)
WITH arg AS MATERIALIZED (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report; MATERIALIZED computes the
  -- columns in order, so of several bad parameters the first is named
  -- (as_of, tolerance, unit, product)
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
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM sale)) AS v,
                 coalesce(:tolerance,
                          (SELECT value FROM settings WHERE key = 'pace.tolerance'),
                          0.05) AS t)
),
-- unit-level target per unit, product and period
tgt AS (
  SELECT unit_id, product_id, period,
         coalesce(max(CASE WHEN hospital_id IS NULL THEN amount END),
                  sum(CASE WHEN hospital_id IS NOT NULL AND department_id IS NULL
                           THEN amount END)) AS amount
    FROM target
   WHERE plan = 'current'
   GROUP BY unit_id, product_id, period
),
-- the first day of each target period
bounds AS (
  SELECT t.*,
         CASE
           WHEN length(period) = 4 THEN period || '-01-01'
           WHEN substr(period, 6, 1) = 'Q'
             THEN printf('%s-%02d-01', substr(period, 1, 4), (substr(period, 7, 1) - 1) * 3 + 1)
           ELSE period || '-01'
         END AS start,
         CASE WHEN length(period) = 4 THEN 12 WHEN substr(period, 6, 1) = 'Q' THEN 3 ELSE 1 END
           AS months
    FROM tgt t
),
sel AS (
  SELECT b.unit_id, b.product_id, b.period, b.amount, b.months, b.start,
         date(b.start, '+' || b.months || ' months', '-1 day') AS "end",
         a.as_of, a.tol
    -- arg first, so that its checks run even when there are no targets
    FROM arg a CROSS JOIN bounds b
   WHERE a.as_of IS NOT NULL AND a.ok
),
chosen AS (
  SELECT s.*
    FROM sel s JOIN unit_tree u ON u.id = s.unit_id
   WHERE (:product IS NULL OR s.product_id IN (SELECT id FROM product
                                                WHERE id = :product OR name = :product))
     AND (CASE WHEN :period IS NULL THEN s.as_of BETWEEN s.start AND s."end"
               ELSE s.period = :period END)
     AND (:territory IS NULL OR EXISTS (
           SELECT 1 FROM org_unit f
            WHERE (f.id = :territory OR f.name = :territory)
              AND f.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                           u.national_id, u.company_id)))
),
-- every hospital with each unit it sits under (its own unit and above)
under AS MATERIALIZED (
  SELECT h.id AS hospital_id, u.id AS unit_id
    FROM hospital h JOIN unit_tree t ON t.id = h.unit_id
    JOIN org_unit u ON u.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                                t.national_id, t.company_id)
),
act AS MATERIALIZED (
  SELECT c.*,
         coalesce((SELECT sum(s.amount)
                     FROM under x JOIN sale s ON s.hospital_id = x.hospital_id
                    WHERE x.unit_id = c.unit_id AND s.product_id = c.product_id
                      AND s.period BETWEEN substr(c.start, 1, 7)
                                       AND substr(min(c."end", c.as_of), 1, 7)), 0)
           AS actual
    FROM chosen c
)
SELECT c.unit_id, u.name AS unit, u.level, c.product_id, p.name AS product,
       c.period, c.start, c."end", c.as_of,
       c.amount AS target, round(c.actual, 2) AS actual,
       round(achievement(c.actual, c.amount), 4) AS achievement,
       round(time_progress(c.as_of, c.start, c."end"), 4) AS time_progress,
       round(workday_progress(c.as_of, c.start, c."end"), 4) AS workday_progress,
       round(pace(c.actual, c.amount, c.as_of, c.start, c."end"), 4) AS pace,
       pace_status(c.actual, c.amount, c.as_of, c.start, c."end", c.tol) AS status,
       round(run_rate(c.actual, c.as_of, c.start, c."end"), 2) AS forecast,
       round(max(c.amount - c.actual, 0), 2) AS gap,
       workdays(max(date(c.as_of, '+1 day'), c.start), c."end") AS workdays_left,
       CASE
         WHEN c.amount <= c.actual THEN 0
         WHEN workdays(max(date(c.as_of, '+1 day'), c.start), c."end") > 0
           THEN round((c.amount - c.actual) * 1.0  -- not integer division
                      / workdays(max(date(c.as_of, '+1 day'), c.start), c."end"), 2)
       END AS per_workday
  FROM act c
  JOIN org_unit u ON u.id = c.unit_id
  JOIN product p ON p.id = c.product_id
 ORDER BY CASE u.level WHEN 'company' THEN 0 WHEN 'national' THEN 1 WHEN 'region' THEN 2
                       WHEN 'district' THEN 3 ELSE 4 END,
          c.unit_id, c.product_id, c.months DESC, c.period;
