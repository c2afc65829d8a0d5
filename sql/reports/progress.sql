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
),
p AS (
  SELECT arg.*,
         CASE WHEN as_of = date(as_of, 'start of month', '+1 month', '-1 day') THEN as_of
              ELSE date(as_of, 'start of month', '-1 day') END AS through
    FROM arg WHERE as_of IS NOT NULL AND ok
),
t AS (
  SELECT tg.* FROM p JOIN target tg ON tg.plan = p.plan
   WHERE :kind IS NULL OR tg.kind = :kind
),
-- a unit's own amount per product, kind and period: its own row, else the
-- sum of its hospital rows; collections summed over products
own0 AS (
  SELECT unit_id, product_id, kind, period,
         coalesce(max(CASE WHEN hospital_id IS NULL THEN amount END),
                  sum(CASE WHEN hospital_id IS NOT NULL AND department_id IS NULL
                           THEN amount END)) AS amount
    FROM t GROUP BY unit_id, product_id, kind, period
),
own AS MATERIALIZED (
  SELECT unit_id, CASE WHEN kind = 'sales' THEN product_id END AS product_id, kind, period,
         sum(amount) AS amount
    FROM own0 GROUP BY 1, 2, 3, 4
),
-- month plan rows of the units that have one of their own
mon AS MATERIALIZED (
  SELECT unit_id, product_id, kind, period, amount, 0 AS from_q
    FROM own WHERE period GLOB '*-[0-9][0-9]'
  UNION ALL
  SELECT q.unit_id, q.product_id, q.kind,
         printf('%s-%02d', substr(q.period, 1, 4), (CAST(substr(q.period, 7, 1) AS INTEGER) - 1) * 3 + k.k),
         q.amount / 3.0, 1
    FROM own q, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) k
   WHERE q.period GLOB '*-Q?'
     AND NOT EXISTS (SELECT 1 FROM own m
                      WHERE m.unit_id = q.unit_id AND m.product_id IS q.product_id
                        AND m.kind = q.kind AND m.period GLOB substr(q.period, 1, 4) || '-[0-9][0-9]')
),
phased AS MATERIALIZED (
  SELECT DISTINCT unit_id, product_id, kind, substr(period, 1, 4) AS y FROM mon
),
-- every unit with each unit it sits under, itself included
anc AS MATERIALIZED (
  SELECT u.id AS unit_id, a.id AS anc_id
    FROM unit_tree u JOIN org_unit a
      ON a.id IN (u.id, u.territory_id, u.district_id, u.region_id, u.national_id, u.company_id)
),
-- whose months make up each unit's month plan: its own, else those of the
-- nearest units below it that have one
src AS (
  SELECT a.anc_id AS unit_id, f.unit_id AS src_id, f.product_id, f.kind, f.y
    FROM phased f JOIN anc a ON a.unit_id = f.unit_id
   WHERE NOT EXISTS (
           -- CROSS JOIN: walk f's few ancestors first, then look each up
           -- in phased by unit (not every unit of the product)
           SELECT 1 FROM anc up
            CROSS JOIN phased x ON x.unit_id = up.anc_id
            CROSS JOIN anc dn ON dn.unit_id = x.unit_id AND dn.anc_id = a.anc_id
            WHERE up.unit_id = f.unit_id
              AND x.unit_id <> f.unit_id AND x.product_id IS f.product_id
              AND x.kind = f.kind AND x.y = f.y)
),
plan_m AS MATERIALIZED (
  SELECT s.unit_id, s.product_id, s.kind, m.period, sum(m.amount) AS amount,
         max(m.from_q) AS from_q
    FROM src s JOIN mon m ON m.unit_id = s.src_id AND m.product_id IS s.product_id
                         AND m.kind = s.kind AND substr(m.period, 1, 4) = s.y
   GROUP BY 1, 2, 3, 4
),
-- every target: the unit's own, and years, quarters and months from its
-- month plan where it has none (months only from month rows)
tgt AS (
  SELECT unit_id, product_id, kind, period, amount FROM own
  UNION ALL
  SELECT unit_id, product_id, kind, per, CAST(round(sum(amount)) AS INTEGER)
    FROM (SELECT unit_id, product_id, kind, substr(period, 1, 4) AS per, amount, from_q FROM plan_m
          UNION ALL
          SELECT unit_id, product_id, kind,
                 substr(period, 1, 5) || 'Q' || ((CAST(substr(period, 6, 2) AS INTEGER) + 2) / 3),
                 amount, from_q FROM plan_m
          UNION ALL
          SELECT unit_id, product_id, kind, period, amount, from_q FROM plan_m) r
   WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.unit_id = r.unit_id AND o.product_id IS r.product_id
                                           AND o.kind = r.kind AND o.period = r.per)
   GROUP BY unit_id, product_id, kind, per
  HAVING length(per) <> 7 OR substr(per, 6, 1) = 'Q' OR max(from_q) = 0
),
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
chosen AS MATERIALIZED (
  SELECT b.unit_id, b.product_id, b.kind, b.period, b.amount, b.months, b.start,
         date(b.start, '+' || b.months || ' months', '-1 day') AS "end",
         p.as_of, p.through, p.tol
    -- p first, so that its checks run even when there are no targets
    FROM p CROSS JOIN bounds b JOIN unit_tree u ON u.id = b.unit_id
   WHERE (:product IS NULL OR (b.kind = 'sales'
                               AND b.product_id IN (SELECT id FROM product
                                                     WHERE id = :product OR name = :product)))
     AND (CASE WHEN p.period IS NULL THEN p.as_of BETWEEN b.start AND date(b.start, '+' || b.months || ' months', '-1 day')
               ELSE b.period = p.period END)
     AND (:territory IS NULL OR EXISTS (
           SELECT 1 FROM org_unit f
            WHERE (f.id = :territory OR f.name = :territory)
              AND f.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                           u.national_id, u.company_id)))
),
-- the month plan of each chosen period, month by month
wts AS (
  SELECT c.*,
         (SELECT total(pm.amount) FROM plan_m pm
           WHERE pm.unit_id = c.unit_id AND pm.product_id IS c.product_id AND pm.kind = c.kind
             AND pm.period BETWEEN substr(c.start, 1, 7) AND substr(c."end", 1, 7)) AS wsum,
         (SELECT '[' || group_concat(w, ',') || ']'
            FROM (SELECT coalesce((SELECT pm.amount FROM plan_m pm
                                    WHERE pm.unit_id = c.unit_id AND pm.product_id IS c.product_id
                                      AND pm.kind = c.kind
                                      AND pm.period = strftime('%Y-%m', c.start, '+' || k.k || ' months')), 0) AS w
                    FROM (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
                          UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7
                          UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10 UNION ALL SELECT 11) k
                   WHERE k.k < c.months ORDER BY k.k)) AS weights
    FROM chosen c
),
-- every customer with each unit it sits under
cust_under AS MATERIALIZED (
  SELECT c.id AS customer_id, a.anc_id AS unit_id FROM customer c JOIN anc a ON a.unit_id = c.unit_id
),
-- sales per unit, product and month: summed per territory once, then
-- rolled up to every unit above it (not a scan of the sales under each
-- unit for each target row)
sale_own AS MATERIALIZED (
  SELECT h.unit_id, s.product_id, s.period, sum(s.amount) AS amount
    FROM sale s JOIN hospital h ON h.id = s.hospital_id
   GROUP BY 1, 2, 3
),
sale_under AS MATERIALIZED (
  SELECT a.anc_id AS unit_id, o.product_id, o.period, sum(o.amount) AS amount
    FROM sale_own o JOIN anc a ON a.unit_id = o.unit_id
   GROUP BY 1, 2, 3
),
act AS MATERIALIZED (
  SELECT w.*,
         min(w."end", w.through) AS upto,
         CASE WHEN w.wsum > 0 THEN plan_progress(w.through, w.period, w.weights) END AS plan_prog,
         time_progress(w.through, w.start, w."end") AS time_prog,
         CASE w.kind
           WHEN 'sales' THEN
             coalesce((SELECT sum(s.amount)
                         FROM sale_under s
                        WHERE s.unit_id = w.unit_id AND s.product_id = w.product_id
                          AND s.period BETWEEN substr(w.start, 1, 7)
                                           AND substr(min(w."end", w.through), 1, 7)), 0)
           ELSE
             coalesce((SELECT sum(pm.amount)
                         FROM cust_under x JOIN invoice i ON i.customer_id = x.customer_id
                         JOIN payment pm ON pm.invoice_id = i.id
                        WHERE x.unit_id = w.unit_id
                          AND pm.date BETWEEN w.start AND min(w."end", w.through)), 0)
         END AS actual
    FROM wts w
),
m AS (
  SELECT act.*, coalesce(plan_prog, time_prog) AS used,
         achievement(actual, amount) - coalesce(plan_prog, time_prog) AS pace_v
    FROM act
)
SELECT c.unit_id, u.name AS unit, u.level, c.kind, c.product_id, pr.name AS product,
       c.period, c.start, c."end", c.as_of, c.through,
       c.amount AS target, round(c.actual, 2) AS actual,
       round(achievement(c.actual, c.amount), 4) AS achievement,
       round(c.amount * c.plan_prog, 2) AS plan_to_date,
       round(c.plan_prog, 4) AS plan_progress,
       round(c.time_prog, 4) AS time_progress,
       round(workday_progress(c.through, c.start, c."end"), 4) AS workday_progress,
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
       workdays(max(date(c.through, '+1 day'), c.start), c."end") AS workdays_left,
       CASE
         WHEN c.amount <= c.actual THEN 0
         WHEN workdays(max(date(c.through, '+1 day'), c.start), c."end") > 0
           THEN round((c.amount - c.actual) * 1.0  -- not integer division
                      / workdays(max(date(c.through, '+1 day'), c.start), c."end"), 2)
       END AS per_workday
  FROM m c
  JOIN org_unit u ON u.id = c.unit_id
  LEFT JOIN product pr ON pr.id = c.product_id
 ORDER BY CASE u.level WHEN 'company' THEN 0 WHEN 'national' THEN 1 WHEN 'region' THEN 2
                       WHEN 'district' THEN 3 ELSE 4 END,
          c.unit_id, c.kind DESC, c.product_id, c.months DESC, c.period;
