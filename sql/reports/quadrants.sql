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
),
-- the territories asked for: the unit itself, or every territory under it
sel AS (
  SELECT t.id, t.name FROM unit_tree t
   WHERE t.level = 'territory'
     AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :territory OR f.name = :territory)
             AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)))
),
-- the quadrant rule is the schema's view doctor_segment, for the quarter
-- ending with the as_of month and the product (NULL: all our products).
-- The filter is written on the parameters alone (no subquery), so SQLite
-- pushes it into the view and computes only that quarter and product.
quad AS (
  SELECT g.doctor_id, g.territory_id, g.usage_cut, g.potential_cut, g.quadrant
    FROM q, setting s, doctor_segment g
   WHERE ((:as_of IS NULL AND g.latest)
          OR g.period = CASE WHEN date(julianday(:as_of || '-01')) IS :as_of || '-01' THEN :as_of
                             WHEN date(julianday(:as_of)) IS :as_of THEN substr(:as_of, 1, 7) END)
     AND ((:product IS NULL AND g.product_id IS NULL) OR g.product_id = :product OR g.product = :product)
     AND s.method IS NOT NULL AND g.territory_id IN (SELECT id FROM sel)
),
v AS (
  SELECT vi.rep_unit_id AS territory_id, quad.quadrant
    FROM q, visit vi LEFT JOIN quad ON quad.doctor_id = vi.doctor_id
   WHERE vi.reported = 1
     AND vi.date BETWEEN q.q_start AND q.q_end
     AND vi.rep_unit_id IN (SELECT id FROM sel)
),
dq AS (SELECT territory_id, quadrant, count(*) AS doctors FROM quad GROUP BY 1, 2),
vq AS (SELECT territory_id, quadrant, count(*) AS visits FROM v GROUP BY 1, 2),
cuts AS (
  SELECT territory_id, max(usage_cut) AS usage_cut, max(potential_cut) AS potential_cut
    FROM quad GROUP BY territory_id
),
grid AS (
  SELECT s.territory_id, l.column1 AS quadrant
    FROM (SELECT territory_id FROM dq UNION SELECT territory_id FROM vq) s,
         (VALUES ('A'), ('B'), ('C'), ('D')) l
  UNION
  SELECT territory_id, NULL FROM dq WHERE quadrant IS NULL
  UNION
  SELECT territory_id, NULL FROM vq WHERE quadrant IS NULL
),
per AS (
  SELECT g.territory_id, g.quadrant,
         coalesce(dq.doctors, 0) AS doctors, coalesce(vq.visits, 0) AS visits,
         coalesce(dq.doctors, 0) * CASE g.quadrant WHEN 'A' THEN s.wa WHEN 'B' THEN s.wb
                                                   WHEN 'C' THEN s.wc WHEN 'D' THEN s.wd
                                                   ELSE 0 END AS weight,
         s.weights_ok
    FROM grid g, setting s
    LEFT JOIN dq ON dq.territory_id = g.territory_id AND dq.quadrant IS g.quadrant
    LEFT JOIN vq ON vq.territory_id = g.territory_id AND vq.quadrant IS g.quadrant
),
share AS (
  SELECT per.*,
         1.0 * visits / nullif(sum(visits) OVER t, 0) AS visit_share,
         1.0 * weight / nullif(sum(weight) OVER t, 0) AS target_share
    FROM per
  WINDOW t AS (PARTITION BY territory_id)
)
SELECT sh.territory_id, sel.name AS territory, sh.quadrant,
       CASE WHEN sh.quadrant IS NOT NULL THEN quadrant_focus(sh.quadrant) END AS focus,
       sh.doctors,
       round(c.usage_cut, 2) AS usage_cut, round(c.potential_cut, 2) AS potential_cut,
       sh.visits,
       round(sh.visit_share, 4) AS visit_share, round(sh.target_share, 4) AS target_share,
       round(sh.visit_share - sh.target_share, 4) AS gap,
       CASE
         WHEN sh.weights_ok IS NULL THEN NULL
         WHEN sh.quadrant IS NULL THEN 'no rx data'
         WHEN sh.visit_share IS NULL THEN 'no visits'
         WHEN sh.target_share IS NULL THEN NULL
         WHEN sh.visit_share - sh.target_share < -q.tolerance THEN 'more visits'
         WHEN sh.visit_share - sh.target_share > q.tolerance THEN 'fewer visits'
         ELSE 'on plan'
       END AS action
  FROM share sh
  JOIN sel ON sel.id = sh.territory_id
  LEFT JOIN cuts c ON c.territory_id = sh.territory_id, q
 ORDER BY sh.territory_id, sh.quadrant IS NULL, sh.quadrant;
