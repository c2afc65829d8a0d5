-- quadrants: doctors per A/B/C/D quadrant per territory, the cuts used, the visit-time stance, and last quarter's visits against it
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD')
-- param: territory = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = all products (a product id or name)
-- param: tolerance = 0.05 (a visit share within this of the target share is on plan)
--
-- The quarter is the three months ending with the as_of month (up to the
-- as_of date when a date is given).  Each doctor's quadrant is the
-- schema's view doctor_segment (the one definition, shared with the visits
-- report and the shell's chart; with median or fixed cuts its query is run
-- here through segment_summary(), the same figures counted in C): over the
-- quarter, a month's figures (months holding prescription data), usage = Rx of our product (all our
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
-- How (a million doctors: about 1.9 s CPU): the quarter's visits are
-- listed per visited doctor first (quadrants_vd, through the
-- visit_rep_date index).  With median or fixed cuts, segment_summary()
-- (ext/setwise.c) runs doctor_segment's own query (rx_usage() over the
-- quarter, by the doctor's territory) once and counts the doctors per
-- territory and quadrant in C, keeping each visited doctor on a row of its
-- own so that its quadrant is known without a second pass; mean and
-- percentile cuts (window functions) group the view doctor_segment itself
-- the same way.  The territories asked for are applied to those grouped
-- rows, not to every doctor; the visits are then counted per territory and
-- quadrant, and each territory's rows A-D are its counts looked up.
DROP TABLE IF EXISTS temp.quadrants_arg;
DROP TABLE IF EXISTS temp.quadrants_vd;
DROP TABLE IF EXISTS temp.quadrants_vdoc;
DROP TABLE IF EXISTS temp.quadrants_vq;
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
         strftime('%Y-%m', q_end, 'start of month', '-1 month') AS m_mid,
         strftime('%Y-%m', q_end) AS m_last, tolerance,
         (SELECT id FROM product WHERE id = :product OR name = :product) AS product_id
    FROM arg WHERE q_end IS NOT NULL AND ok
)
SELECT q.q_start, q.q_end, q.m_first, q.m_last, q.product_id, q.tolerance,
       -- the quarter's months holding data (doctor_segment's n): a seek each
       EXISTS (SELECT 1 FROM rx WHERE period = q.m_first)
         + EXISTS (SELECT 1 FROM rx WHERE period = q.m_mid)
         + EXISTS (SELECT 1 FROM rx WHERE period = q.m_last) AS n,
       s.method, s.usage_cut, s.potential_cut, s.pct,
       s.weights_ok, s.wa, s.wb, s.wc, s.wd
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
-- the visited doctors, once each: a rowid lookup per doctor read below
CREATE TEMP TABLE quadrants_vdoc (doctor_id INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO quadrants_vdoc SELECT doctor_id FROM quadrants_vd ORDER BY doctor_id;

-- Doctors per territory and quadrant, and each visited doctor on a row of
-- its own (visited: its id) so that its quadrant is known without a second
-- pass.  Every territory's doctors are counted here; the last statement
-- keeps those of the territories asked for.
CREATE TEMP TABLE quadrants_dq (territory_id, quadrant, visited INTEGER, doctors,
                                usage_cut, potential_cut);

-- median and fixed cuts: the schema's view doctor_segment for the quarter
-- and the product, counted in C.  segment_summary() (ext/setwise.c) is
-- segment() counted per group and quadrant; its query is the view's
-- (doctor_segment's fig_sql in sql/schema.sql: keep the two alike; ?1..?2
-- the quarter's months, ?3 how many hold data, ?4 the product or NULL for
-- all our products) plus the keep column that puts a visited doctor on a
-- row of its own.  No quarter when none of its months holds data (the view
-- has no such quarter either).
INSERT INTO quadrants_dq
SELECT g.grp, g.quadrant, g.id, g.n, g.usage_cut, g.potential_cut
  FROM quadrants_arg a,
       segment_summary(CASE WHEN a.product_id IS NULL THEN
         'SELECT dp.territory_id, f.doctor_id, CAST(f.usage AS REAL) / ?3, CAST(f.potential AS REAL) / ?3,
                 f.doctor_id IN (SELECT doctor_id FROM temp.quadrants_vdoc)
            FROM rx_usage(?1, ?2) f JOIN doctor_place dp ON dp.doctor_id = f.doctor_id
           WHERE ?4 IS NULL'
         ELSE
         'SELECT dp.territory_id, f.doctor_id, CAST(f.usage AS REAL) / ?3, CAST(f.potential AS REAL) / ?3,
                 f.doctor_id IN (SELECT doctor_id FROM temp.quadrants_vdoc)
            FROM rx_usage(?1, ?2, ?4) f JOIN doctor_place dp ON dp.doctor_id = f.doctor_id'
         END,
         CASE WHEN a.method = 'fixed' THEN a.usage_cut END,
         CASE WHEN a.method = 'fixed' THEN a.potential_cut END,
         a.m_first, a.m_last, a.n, a.product_id) g
 WHERE a.method IN ('median', 'fixed') AND a.n > 0
   -- doctor_segment checks the setting whatever the method
   AND CASE WHEN typeof(a.pct) IN ('integer', 'real') AND a.pct BETWEEN 0 AND 100 THEN 1
            ELSE raise_error('doctor_segment: quadrant.percentile must be between 0 and 100, got ' || a.pct)
       END;

-- mean and percentile cuts (window functions): grouped from the view
-- itself, for the quarter ending with the as_of month and the product
-- (NULL: all our products).  The filter is written on the parameters alone
-- (no subquery), so SQLite pushes it into the view and computes only that
-- quarter and product.  CROSS JOIN: quadrants_arg first, so that the view
-- is not computed at all for the other methods.
INSERT INTO quadrants_dq
SELECT g.territory_id, g.quadrant,
       CASE WHEN g.doctor_id IN (SELECT doctor_id FROM quadrants_vdoc) THEN g.doctor_id END AS visited,
       count(*) AS doctors, max(g.usage_cut) AS usage_cut, max(g.potential_cut) AS potential_cut
  FROM quadrants_arg a CROSS JOIN doctor_segment g
 WHERE ((:as_of IS NULL AND g.latest)
        OR g.period = CASE WHEN date(julianday(:as_of || '-01')) IS :as_of || '-01' THEN :as_of
                           WHEN date(julianday(:as_of)) IS :as_of THEN substr(:as_of, 1, 7) END)
   AND ((:product IS NULL AND g.product_id IS NULL) OR g.product_id = :product OR g.product = :product)
   AND a.method IN ('mean', 'percentile')
 GROUP BY 1, 2, 3;
CREATE INDEX temp.quadrants_dq_visited ON quadrants_dq(visited);

-- a visit's quadrant is its doctor's (NULL: no rx data, or a doctor of a
-- territory not asked for), counted per rep's territory
CREATE TEMP TABLE quadrants_vq AS
SELECT vd.territory_id, d.quadrant, count(*) AS visits
  FROM quadrants_vd vd
  LEFT JOIN quadrants_dq d ON d.visited = vd.doctor_id AND d.territory_id IN (SELECT id FROM quadrants_sel)
 GROUP BY 1, 2;

-- every territory with doctors or visits gets rows A-D (and a NULL row when
-- it has doctors or visits without rx data): its doctors and cuts (dg) and
-- its visits looked up per quadrant, and one window pass takes the shares
WITH a AS (SELECT * FROM quadrants_arg),
dg AS (
  SELECT territory_id, quadrant, sum(doctors) AS doctors,
         max(usage_cut) AS usage_cut, max(potential_cut) AS potential_cut
    FROM quadrants_dq WHERE territory_id IN (SELECT id FROM quadrants_sel)
   GROUP BY 1, 2
),
terr AS (SELECT territory_id FROM dg UNION SELECT territory_id FROM quadrants_vq),
per AS (
  SELECT t.territory_id, l.column1 AS quadrant, coalesce(g.doctors, 0) AS doctors,
         coalesce(v.visits, 0) AS visits, g.usage_cut, g.potential_cut
    FROM terr t CROSS JOIN (VALUES (NULL), ('A'), ('B'), ('C'), ('D')) l
    LEFT JOIN dg g ON g.territory_id = t.territory_id AND g.quadrant IS l.column1
    LEFT JOIN quadrants_vq v ON v.territory_id = t.territory_id AND v.quadrant IS l.column1
   WHERE l.column1 IS NOT NULL OR g.territory_id IS NOT NULL OR v.territory_id IS NOT NULL
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
       round(sh.usage_cut * 100.0) / 100.0 AS usage_cut, round(sh.potential_cut * 100.0) / 100.0 AS potential_cut,
       sh.visits,
       round(sh.visit_share * 10000.0) / 10000.0 AS visit_share, round(sh.target_share * 10000.0) / 10000.0 AS target_share,
       round((sh.visit_share - sh.target_share) * 10000.0) / 10000.0 AS gap,
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
DROP TABLE temp.quadrants_vq;
DROP TABLE temp.quadrants_vdoc;
DROP TABLE temp.quadrants_vd;
DROP TABLE temp.quadrants_sel;
DROP TABLE temp.quadrants_arg;
