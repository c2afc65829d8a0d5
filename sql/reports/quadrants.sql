-- quadrants: doctors per A/B/C/D quadrant per territory, the cuts used, the visit-time stance, and last quarter's visits against it
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD')
-- param: territory = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = all products (a product id or name)
-- param: tolerance = 0.05 (a visit share within this of the target share is on plan)
--
-- The quarter is the three months ending with the as_of month (up to the
-- as_of date when a date is given).  Each doctor's quadrant is the
-- schema's view doctor_segment (the one definition, shared with the visits
-- report and the shell's chart): over the quarter, a month's figures
-- (months holding prescription data), usage = Rx of our product (all our
-- products when none is given), potential = Rx of the product's whole class,
-- ours and the competitors'.  Cuts per territory, by the setting quadrant.method:
--   'median' (default)  median(usage), median(potential) of the territory's doctors
--   'mean'              their averages
--   'percentile'        percentile(x, quadrant.percentile) (default 50)
--   'fixed'             quadrant.usage_cut and quadrant.potential_cut (a month)
-- quadrant() puts a doctor at or above a cut on the high side; focus is
-- quadrant_focus(): A maintain, B grow, C develop, D reduce.  The product
-- must be ours (a competitor's product has no quadrants of its own).
--
-- Visits: the reps' reported visits in the quarter, by the rep's territory
-- and the visited doctor's quadrant.  visit_share = the quadrant's share of
-- the territory's visits.  target_share = what the stance asks for: each
-- doctor weighs quadrant.visit_weight.A/B/C/D from settings (defaults
-- A 1 (+-), B 2 (+), C 2 (+), D 0.5 (-)), and a quadrant's target is its
-- doctors' weight over the territory's.  gap = visit_share - target_share;
-- action: 'more visits' when gap < -tolerance, 'fewer visits' when
-- gap > tolerance, else 'on plan'; 'no visits' when the territory has none.
-- A row with quadrant NULL counts visits to doctors without prescription
-- data for the product in the quarter (doctors = those with rows but no
-- potential); its target is 0 and its action 'no rx data'.
--
-- How (a million doctors: about 2.5 s, 1.3 s of it the view): the
-- quadrant view is read once.  The quarter's visits are listed per visited
-- doctor first (quadrants_vd, through the visit_rep_date index); the one
-- pass over doctor_segment then counts doctors per territory and quadrant,
-- keeping a visited doctor on a row of its own so that its quadrant is
-- known without a second pass.  The territories asked for are applied to
-- those grouped rows in the last statement, not to every doctor.
DROP TABLE IF EXISTS temp.quadrants_arg;
DROP TABLE IF EXISTS temp.quadrants_vd;
DROP TABLE IF EXISTS temp.quadrants_sel;
DROP TABLE IF EXISTS temp.quadrants_dq;

-- the parameters and settings, checked once
CREATE TEMP TABLE quadrants_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('quadrants: no prescriptions to take the quarter from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('quadrants: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS q_end,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('quadrants: no unit ' || :territory)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('quadrants: no product ' || :product)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE (id = :product OR name = :product) AND ours = 1)
             THEN raise_error('quadrants: product ' || :product || ' is a competitor''s; give one of ours')
           ELSE 1
         END AS ok,
         CASE
           WHEN typeof(tol) IN ('integer', 'real') AND tol BETWEEN 0 AND 1 THEN tol
           ELSE raise_error('quadrants: tolerance must be between 0 and 1, got ' || tol)
         END AS tolerance
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v,
                 coalesce(:tolerance, 0.05) AS tol)
),
setting AS (
  SELECT CASE
           WHEN method IN ('median', 'mean', 'percentile') THEN method
           WHEN method = 'fixed' AND typeof(usage_cut) IN ('integer', 'real') AND usage_cut >= 0
                AND typeof(potential_cut) IN ('integer', 'real') AND potential_cut >= 0 THEN method
           WHEN method = 'fixed'
             THEN raise_error('quadrants: quadrant.method is fixed: quadrant.usage_cut and quadrant.potential_cut must be non-negative numbers')
           ELSE raise_error('quadrants: quadrant.method must be median, mean, percentile or fixed, got ' || method)
         END AS method,
         usage_cut, potential_cut, pct,
         CASE WHEN typeof(wa) IN ('integer', 'real') AND wa >= 0 AND typeof(wb) IN ('integer', 'real') AND wb >= 0
                   AND typeof(wc) IN ('integer', 'real') AND wc >= 0 AND typeof(wd) IN ('integer', 'real') AND wd >= 0
              THEN 1
              ELSE raise_error('quadrants: quadrant.visit_weight.A/B/C/D must be non-negative numbers')
         END AS weights_ok,
         wa, wb, wc, wd
    FROM (SELECT coalesce((SELECT value FROM settings WHERE key = 'quadrant.method'), 'median') AS method,
                 (SELECT value FROM settings WHERE key = 'quadrant.usage_cut') AS usage_cut,
                 (SELECT value FROM settings WHERE key = 'quadrant.potential_cut') AS potential_cut,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.percentile'), 50) AS pct,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.visit_weight.A'), 1) AS wa,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.visit_weight.B'), 2) AS wb,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.visit_weight.C'), 2) AS wc,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.visit_weight.D'), 0.5) AS wd)
),
q AS (
  SELECT date(q_end, 'start of month', '-2 months') AS q_start, q_end,
         strftime('%Y-%m', q_end, 'start of month', '-2 months') AS m_first,
         strftime('%Y-%m', q_end) AS m_last, tolerance,
         (SELECT id FROM product WHERE id = :product OR name = :product) AS product_id
    FROM arg WHERE q_end IS NOT NULL AND ok
)
SELECT q.q_start, q.q_end, q.tolerance, s.method, s.weights_ok, s.wa, s.wb, s.wc, s.wd
  FROM q, setting s;

-- the territories asked for, once for both statements that filter by them
CREATE TEMP TABLE quadrants_sel (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO quadrants_sel
  SELECT t.id, t.name FROM unit_tree t
   WHERE t.level = 'territory'
     AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :territory OR f.name = :territory)
             AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)));

-- the quarter's reported visits by the territories asked for
CREATE TEMP TABLE quadrants_vd AS
SELECT vi.doctor_id, vi.rep_unit_id AS territory_id
  FROM quadrants_arg a, visit vi
 WHERE +vi.reported = 1
   AND vi.date BETWEEN a.q_start AND a.q_end
   AND vi.rep_unit_id IN (SELECT id FROM quadrants_sel);

-- the quadrant rule is the schema's view doctor_segment, for the quarter
-- ending with the as_of month and the product (NULL: all our products).
-- The filter is written on the parameters alone (no subquery), so SQLite
-- pushes it into the view and computes only that quarter and product.
-- visited: the doctor's id when the quarter's visits include it, so that
-- its quadrant is kept (every other doctor is only counted).  Every
-- territory's doctors are counted here; the last statement keeps those of
-- the territories asked for.  CROSS JOIN: the view is read as it is made
-- (a co-routine), not written to a temp table first.
CREATE TEMP TABLE quadrants_dq AS
SELECT g.territory_id, g.quadrant,
       -- CAST: the column gets INTEGER affinity, so quadrants_dq_visited serves
       -- the join on doctor ids below
       CAST(CASE WHEN g.doctor_id IN (SELECT doctor_id FROM quadrants_vd) THEN g.doctor_id END AS INTEGER) AS visited,
       count(*) AS doctors, max(g.usage_cut) AS usage_cut, max(g.potential_cut) AS potential_cut
  FROM doctor_segment g CROSS JOIN quadrants_arg a
 WHERE ((:as_of IS NULL AND g.latest)
        OR g.period = CASE WHEN date(julianday(:as_of || '-01')) IS :as_of || '-01' THEN :as_of
                           WHEN date(julianday(:as_of)) IS :as_of THEN substr(:as_of, 1, 7) END)
   AND ((:product IS NULL AND g.product_id IS NULL) OR g.product_id = :product OR g.product = :product)
   AND a.method IS NOT NULL
 GROUP BY 1, 2, 3;
CREATE INDEX temp.quadrants_dq_visited ON quadrants_dq(visited);

-- every territory gets rows A-D (and a NULL row when it has doctors or
-- visits without rx data); one GROUP BY puts doctors, visits and cuts
-- together, and one window pass takes the shares
WITH a AS (SELECT * FROM quadrants_arg),
sel AS (SELECT * FROM quadrants_sel),
-- a visit's quadrant is its doctor's (NULL: no rx data, or a doctor of a
-- territory not asked for)
vq AS (
  SELECT vd.territory_id, d.quadrant, count(*) AS visits
    FROM quadrants_vd vd
    LEFT JOIN quadrants_dq d ON d.visited = vd.doctor_id AND d.territory_id IN (SELECT id FROM sel)
   GROUP BY 1, 2
),
per AS (
  SELECT territory_id, quadrant, sum(doctors) AS doctors, sum(visits) AS visits,
         max(usage_cut) AS usage_cut, max(potential_cut) AS potential_cut
    FROM (SELECT territory_id, quadrant, doctors, 0 AS visits, usage_cut, potential_cut
            FROM quadrants_dq WHERE territory_id IN (SELECT id FROM sel)
          UNION ALL
          SELECT territory_id, quadrant, 0, visits, NULL, NULL FROM vq
          UNION ALL
          SELECT t.territory_id, l.column1, 0, 0, NULL, NULL
            FROM (SELECT territory_id FROM quadrants_dq WHERE territory_id IN (SELECT id FROM sel)
                  UNION SELECT territory_id FROM vq) t,
                 (VALUES ('A'), ('B'), ('C'), ('D')) l)
   GROUP BY territory_id, quadrant
),
share AS (
  SELECT per.territory_id, per.quadrant, per.doctors, per.visits,
         max(per.usage_cut) OVER t AS usage_cut, max(per.potential_cut) OVER t AS potential_cut,
         1.0 * per.visits / nullif(sum(per.visits) OVER t, 0) AS visit_share,
         1.0 * per.weight / nullif(sum(per.weight) OVER t, 0) AS target_share
    FROM (SELECT per.*, per.doctors * CASE per.quadrant WHEN 'A' THEN a.wa WHEN 'B' THEN a.wb
                                                        WHEN 'C' THEN a.wc WHEN 'D' THEN a.wd
                                                        ELSE 0 END AS weight
            FROM per, a) per
  WINDOW t AS (PARTITION BY per.territory_id)
)
SELECT sh.territory_id, u.name AS territory, sh.quadrant,
       CASE WHEN sh.quadrant IS NOT NULL THEN quadrant_focus(sh.quadrant) END AS focus,
       sh.doctors,
       round(sh.usage_cut, 2) AS usage_cut, round(sh.potential_cut, 2) AS potential_cut,
       sh.visits,
       round(sh.visit_share, 4) AS visit_share, round(sh.target_share, 4) AS target_share,
       round(sh.visit_share - sh.target_share, 4) AS gap,
       CASE
         WHEN a.weights_ok IS NULL THEN NULL
         WHEN sh.quadrant IS NULL THEN 'no rx data'
         WHEN sh.visit_share IS NULL THEN 'no visits'
         WHEN sh.target_share IS NULL THEN NULL
         WHEN sh.visit_share - sh.target_share < -a.tolerance THEN 'more visits'
         WHEN sh.visit_share - sh.target_share > a.tolerance THEN 'fewer visits'
         ELSE 'on plan'
       END AS action
  FROM share sh
  JOIN org_unit u ON u.id = sh.territory_id, a
 ORDER BY sh.territory_id, sh.quadrant IS NULL, sh.quadrant;

DROP TABLE temp.quadrants_dq;
DROP TABLE temp.quadrants_vd;
DROP TABLE temp.quadrants_sel;
DROP TABLE temp.quadrants_arg;
