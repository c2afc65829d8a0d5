-- visits: planned vs reported vs verified visits per rep and doctor quadrant over the last quarter
-- param: as_of = the month of the latest reported visit (a period 'YYYY-MM', or a date 'YYYY-MM-DD')
-- param: territory = all territories (a rep territory id or name)
-- param: district = all districts (a district id or name)
--
-- The quarter is the three months ending with the as_of month: from the
-- first day of the month two months before as_of, up to the last day of
-- the as_of month (or up to the as_of date when a date is given).
-- Each doctor's quadrant comes from the quarter's prescriptions (usage:
-- the doctor's Rx a month, all products; potential: the doctor's class
-- potential a month), cut within the doctor's territory by the settings
-- quadrant.method: 'median' (default) or 'mean' of the territory's doctors,
-- or 'fixed' (quadrant.usage_cut, quadrant.potential_cut, per month).
-- Doctors without prescription data in the quarter have no quadrant (NULL).
-- Per rep and quadrant: planned, reported and verified visits; missed
-- (planned, not reported), unplanned (reported, not planned); plan
-- adherence = planned visits reported / planned visits; verification rate
-- = verified / reported; share = this quadrant's reported visits / the rep's.
-- The row with quadrant 'all' totals the rep.
WITH arg AS (
  -- SQL has no RAISE outside triggers: a bad JSON path stops the statement
  -- with our own message, so a mistyped parameter is an error, not an
  -- empty report.
  SELECT CASE
           WHEN v IS NULL THEN NULL
           WHEN typeof(v) = 'text' AND v GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                AND date(julianday(v || '-01')) IS v || '-01'
             THEN date(v || '-01', '+1 month', '-1 day')
           WHEN typeof(v) = 'text' AND date(julianday(v)) IS v THEN v
           ELSE json_extract('{}', 'visits: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS q_end
    FROM (SELECT coalesce(:as_of, (SELECT strftime('%Y-%m', max(date)) FROM visit
                                    WHERE reported = 1)) AS v)
),
q AS (
  SELECT date(q_end, 'start of month', '-2 months') AS q_start, q_end,
         strftime('%Y-%m', q_end, 'start of month', '-2 months') AS m_first,
         strftime('%Y-%m', q_end) AS m_last
    FROM arg WHERE q_end IS NOT NULL
),
setting AS (
  SELECT (SELECT value FROM settings WHERE key = 'quadrant.method') AS method,
         (SELECT value FROM settings WHERE key = 'quadrant.usage_cut') AS usage_cut,
         (SELECT value FROM settings WHERE key = 'quadrant.potential_cut') AS potential_cut
),
-- a month's figures per doctor (all products), over the quarter
doc AS (
  SELECT dp.doctor_id, dp.territory_id,
         sum(r.rx_count) / 3.0 AS usage,
         sum(r.potential) / 3.0 AS potential
    FROM q, rx r JOIN doctor_place dp ON dp.doctor_id = r.doctor_id
   WHERE r.period BETWEEN q.m_first AND q.m_last
   GROUP BY dp.doctor_id
),
cut AS (
  SELECT doc.*,
         CASE s.method
           WHEN 'median' THEN median(usage) OVER w
           WHEN 'mean' THEN avg(usage) OVER w
           WHEN 'fixed' THEN s.usage_cut
         END AS usage_cut,
         CASE s.method
           WHEN 'median' THEN median(potential) OVER w
           WHEN 'mean' THEN avg(potential) OVER w
           WHEN 'fixed' THEN s.potential_cut
         END AS potential_cut
    FROM doc, setting s
  WINDOW w AS (PARTITION BY territory_id)
),
quad AS (
  SELECT doctor_id, quadrant(usage, potential, usage_cut, potential_cut) AS quadrant
    FROM cut
),
v AS (
  SELECT vi.rep_unit_id, vi.doctor_id, vi.planned, vi.reported, vi.verified,
         quad.quadrant
    FROM q, visit vi LEFT JOIN quad ON quad.doctor_id = vi.doctor_id
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
       round(CAST(per.planned_done AS REAL) / nullif(per.planned, 0), 4) AS plan_adherence,
       round(CAST(per.verified AS REAL) / nullif(per.reported, 0), 4) AS verification_rate,
       round(CAST(per.reported AS REAL)
             / nullif(sum(CASE WHEN per.quadrant IS NOT 'all' THEN per.reported END)
                        OVER (PARTITION BY per.rep_unit_id), 0), 4) AS share
  FROM per
  JOIN unit_tree t ON t.id = per.rep_unit_id
 WHERE (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :territory OR f.name = :territory) AND f.id = t.id))
   AND (:district IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :district OR f.name = :district) AND f.id = t.district_id))
 ORDER BY t.district_id, t.id, per.quadrant IS 'all', per.quadrant;
