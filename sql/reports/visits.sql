-- visits: planned vs reported vs verified visits per rep and doctor quadrant over the last quarter
-- param: as_of = the month of the latest reported visit (a period 'YYYY-MM', or a date 'YYYY-MM-DD')
-- param: territory = all territories (an org_unit id or name: a rep territory, or a district, region, ... for every territory under it)
-- param: district = all districts (a district id or name)
--
-- The quarter is the three months ending with the as_of month: from the
-- first day of the month two months before as_of, up to the last day of
-- the as_of month (or up to the as_of date when a date is given).
-- Each doctor's quadrant is the schema's view doctor_segment for the
-- quarter and all our products, the same rule as the quadrants report
-- (usage: the doctor's Rx of our products a month; potential: the
-- doctor's Rx of their classes, ours and the competitors', a month; a
-- month counts when it holds any Rx data), cut within the doctor's
-- territory by the setting quadrant.method: 'median' (default), 'mean' or
-- 'percentile' (setting quadrant.percentile, default 50) of the
-- territory's doctors, or 'fixed' (quadrant.usage_cut,
-- quadrant.potential_cut, per month).
-- Doctors without prescription data in the quarter have no quadrant (NULL).
-- Per rep and quadrant: planned, reported and verified visits; missed
-- (planned, not reported), unplanned (reported, not planned); plan
-- adherence = planned visits reported / planned visits; verification rate
-- = verified / reported; share = this quadrant's reported visits / the rep's.
-- The row with quadrant 'all' totals the rep.
--
-- How (a million doctors): the quadrant view is read once, keeping only
-- the doctors the quarter's visits name (visits_quad), and the visits are
-- then joined to that small table.
DROP TABLE IF EXISTS temp.visits_arg;
DROP TABLE IF EXISTS temp.visits_quad;

-- the parameters and settings, checked once
CREATE TEMP TABLE visits_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('visits: no reported visits to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('visits: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS q_end,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('visits: no unit ' || :territory)
           WHEN :district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE level = 'district'
                                                       AND (id = :district OR name = :district))
             THEN raise_error('visits: no district ' || :district)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT strftime('%Y-%m', max(date)) FROM visit
                                    WHERE reported = 1)) AS v)
),
q AS (
  SELECT date(q_end, 'start of month', '-2 months') AS q_start, q_end,
         strftime('%Y-%m', q_end, 'start of month', '-2 months') AS m_first,
         strftime('%Y-%m', q_end) AS m_last
    FROM arg WHERE q_end IS NOT NULL AND ok
),
setting AS (
  SELECT CASE
           WHEN method IN ('median', 'mean', 'percentile') THEN method
           WHEN method = 'fixed' AND usage_cut >= 0 AND potential_cut >= 0 THEN method
           WHEN method = 'fixed'
             THEN raise_error('visits: quadrant.method is fixed: quadrant.usage_cut and quadrant.potential_cut must be non-negative numbers')
           ELSE raise_error('visits: quadrant.method must be median, mean, percentile or fixed, got ' || method)
         END AS method,
         usage_cut, potential_cut, pct
    FROM (SELECT coalesce((SELECT value FROM settings WHERE key = 'quadrant.method'), 'median') AS method,
                 (SELECT value FROM settings WHERE key = 'quadrant.usage_cut') AS usage_cut,
                 (SELECT value FROM settings WHERE key = 'quadrant.potential_cut') AS potential_cut,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.percentile'), 50) AS pct)
)
SELECT q.q_start, q.q_end, s.method FROM q, setting s;

-- the quadrant rule is the schema's view doctor_segment (all our
-- products), for every doctor visited in the quarter.  The quarter's
-- filter is written on the parameters alone (no subquery), so SQLite
-- pushes it into the view and computes only that quarter.
CREATE TEMP TABLE visits_quad (doctor_id INTEGER PRIMARY KEY, quadrant TEXT);
INSERT INTO visits_quad
SELECT g.doctor_id, g.quadrant
  FROM visits_arg a, doctor_segment g
 WHERE ((:as_of IS NULL AND g.latest_visit)
          OR g.period = CASE WHEN date(julianday(:as_of || '-01')) IS :as_of || '-01' THEN :as_of
                             WHEN date(julianday(:as_of)) IS :as_of THEN substr(:as_of, 1, 7) END)
     AND g.product_id IS NULL AND a.method IS NOT NULL
     AND g.doctor_id IN (SELECT vi.doctor_id FROM visits_arg a, visit vi
                          WHERE vi.date BETWEEN a.q_start AND a.q_end);

WITH q AS (SELECT q_start, q_end FROM visits_arg),
v AS (
  SELECT vi.rep_unit_id, vi.doctor_id, vi.planned, vi.reported, vi.verified,
         quad.quadrant
    FROM q, visit vi LEFT JOIN visits_quad quad ON quad.doctor_id = vi.doctor_id
   WHERE vi.date BETWEEN q.q_start AND q.q_end
),
per AS (
  SELECT rep_unit_id, quadrant,
         count(DISTINCT doctor_id) AS doctors,
         sum(planned) AS planned, sum(reported) AS reported,
         sum(verified) AS verified,
         sum(planned AND NOT reported) AS missed,
         sum(reported AND NOT planned) AS unplanned,
         sum(planned AND reported) AS planned_done
    FROM v GROUP BY rep_unit_id, quadrant
  UNION ALL
  SELECT rep_unit_id, 'all',
         count(DISTINCT doctor_id), sum(planned), sum(reported), sum(verified),
         sum(planned AND NOT reported), sum(reported AND NOT planned),
         sum(planned AND reported)
    FROM v GROUP BY rep_unit_id
)
SELECT per.rep_unit_id AS territory_id, t.name AS territory,
       per.quadrant,
       CASE WHEN per.quadrant IN ('A', 'B', 'C', 'D') THEN quadrant_focus(per.quadrant) END AS focus,
       per.doctors, per.planned, per.reported, per.verified, per.missed, per.unplanned,
       round((CAST(per.planned_done AS REAL) / nullif(per.planned, 0)) * 10000.0) / 10000.0 AS plan_adherence,
       round((CAST(per.verified AS REAL) / nullif(per.reported, 0)) * 10000.0) / 10000.0 AS verification_rate,
       round((CAST(per.reported AS REAL)
             / nullif(sum(CASE WHEN per.quadrant IS NOT 'all' THEN per.reported END)
                        OVER (PARTITION BY per.rep_unit_id), 0)) * 10000.0) / 10000.0 AS share
  FROM per
  JOIN unit_tree t ON t.id = per.rep_unit_id
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM q)
   AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :territory OR f.name = :territory)
           AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)))
   AND (:district IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :district OR f.name = :district) AND f.id = t.district_id))
 ORDER BY t.district_id, t.id, per.quadrant IS 'all', per.quadrant;

DROP TABLE temp.visits_quad;
DROP TABLE temp.visits_arg;
