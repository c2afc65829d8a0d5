-- potential: potential, prescriptions, share and headroom by territory -> hospital -> department, and departments in development order
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: territory = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = all products (a product id or name)
-- param: workdays = settings workdays_per_month (working days in the month)
--
-- One month, the as_of month.  Per department (科室潜力):
--   potential = dept_potential(daily_patients, usage_rate, rx_per_patient, workdays),
--     the department's prescriptions of the drug class in the month;
--   rx = the department's doctors' prescriptions of the product(s) that month;
--   share = rx_share(rx, potential), NULL with note 'rx above potential' when
--     rx exceeds the estimate (the estimate is too low, not a share > 1);
--   headroom = headroom(potential, rx).
-- Per hospital, the target-hospital extrapolation (目标医院推算法) beside it:
--   outpatients = outpatients_per_day x workdays;
--   inpatients = inpatient_volume(beds, occupancy, avg_stay_days, days in the
--     month), 0 without beds, NULL when occupancy or the average stay is unknown;
--   dept_patients = the departments' daily_patients x workdays, to compare.
-- Hospital and territory rows sum their departments; their headroom is the
-- sum of the departments' headroom (a department above its estimate does not
-- cancel another's headroom).
--
-- Statement 1, the hierarchy: a territory row, then each hospital (most
-- headroom first) followed by its departments (most headroom first).
-- Statement 2, development order (潜力科室开发排序): every department of the
-- territory ranked by headroom, then potential.
DROP TABLE IF EXISTS temp.territory_report_potential;

CREATE TEMP TABLE temp.territory_report_potential AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('potential: no prescriptions to take the month from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('potential: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS period,
         coalesce(:workdays, (SELECT value FROM settings WHERE key = 'workdays_per_month'), 22) AS workdays,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('potential: no unit ' || :territory)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('potential: no product ' || :product)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v)
),
p AS (
  SELECT period, workdays,
         julianday(date(period || '-01', '+1 month')) - julianday(period || '-01') AS days
    FROM arg WHERE period IS NOT NULL AND ok
),
-- the territories asked for: the unit itself, or every territory under it
sel AS (
  SELECT t.id, t.name FROM unit_tree t
   WHERE t.level = 'territory'
     AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :territory OR f.name = :territory)
             AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)))
)
SELECT s.id AS territory_id, s.name AS territory,
       h.id AS hospital_id, h.name AS hospital, h.status,
       h.outpatients_per_day * p.workdays AS outpatients,
       CASE WHEN h.beds = 0 THEN 0
            ELSE inpatient_volume(h.beds, h.occupancy, h.avg_stay_days, p.days) END AS inpatients,
       d.id AS department_id, d.name AS department,
       d.daily_patients * p.workdays AS dept_patients,
       (SELECT total(x.pot) FROM (
          -- each class once (products without a class share the
          -- department's own usage: one class)
          SELECT max(dept_potential(u.daily_patients, u.usage_rate, u.rx_per_patient, p.workdays)) AS pot
            FROM product_usage u JOIN product pr ON pr.id = u.product_id
           WHERE u.department_id = d.id AND pr.ours = 1
             AND (:product IS NULL OR pr.id = :product OR pr.name = :product)
           GROUP BY coalesce(u.class_id, 0)) x) AS potential,
       coalesce((SELECT sum(r.rx_count)
                   FROM doctor dr JOIN rx r ON r.doctor_id = dr.id
                   JOIN product pr ON pr.id = r.product_id
                  WHERE dr.department_id = d.id AND r.period = p.period AND pr.ours = 1
                    AND (:product IS NULL OR pr.id = :product OR pr.name = :product)), 0) AS rx
  FROM p, sel s
  JOIN hospital h ON h.unit_id = s.id
  JOIN department d ON d.hospital_id = h.id;

-- 1. territory -> hospital -> department
WITH dept AS (
  SELECT *, headroom(potential, rx) AS room FROM temp.territory_report_potential
),
hosp AS (
  SELECT territory_id, territory, hospital_id, hospital,
         max(outpatients) AS outpatients, max(inpatients) AS inpatients,
         sum(dept_patients) AS dept_patients, sum(potential) AS potential,
         sum(rx) AS rx, sum(room) AS room,
         row_number() OVER (PARTITION BY territory_id ORDER BY sum(room) DESC, hospital_id) AS h_order
    FROM dept GROUP BY hospital_id
),
terr AS (
  -- sum() skips hospitals whose inpatients are unknown
  SELECT territory_id, territory, sum(outpatients) AS outpatients, sum(inpatients) AS inpatients,
         sum(dept_patients) AS dept_patients, sum(potential) AS potential,
         sum(rx) AS rx, sum(room) AS room
    FROM hosp GROUP BY territory_id
),
line AS (
  SELECT 'territory' AS level, territory_id, territory, NULL AS hospital, NULL AS department,
         outpatients, inpatients, dept_patients, potential, rx, room,
         0 AS h_order, 0 AS d_order
    FROM terr
  UNION ALL
  SELECT 'hospital', territory_id, territory, hospital, NULL,
         outpatients, inpatients, dept_patients, potential, rx, room, h_order, 0
    FROM hosp
  UNION ALL
  SELECT 'department', d.territory_id, d.territory, d.hospital, d.department,
         NULL, NULL, d.dept_patients, d.potential, d.rx, d.room, h.h_order,
         row_number() OVER (PARTITION BY d.hospital_id ORDER BY d.room DESC, d.department_id)
    FROM dept d JOIN hosp h ON h.hospital_id = d.hospital_id
)
SELECT level, territory_id, territory, hospital, department,
       round(outpatients, 1) AS outpatients, round(inpatients, 1) AS inpatients,
       round(dept_patients, 1) AS dept_patients, round(potential, 1) AS potential, rx,
       CASE WHEN rx <= potential THEN round(rx_share(rx, potential), 4) END AS share,
       round(room, 1) AS headroom,
       CASE WHEN rx > potential THEN 'rx above potential' END AS note
  FROM line
 ORDER BY territory_id, h_order, d_order;

-- 2. development order: departments by headroom within each territory
SELECT territory_id, territory,
       row_number() OVER (PARTITION BY territory_id
                          ORDER BY headroom(potential, rx) DESC, potential DESC, department_id) AS rank,
       hospital, status, department,
       round(potential, 1) AS potential, rx,
       CASE WHEN rx <= potential THEN round(rx_share(rx, potential), 4) END AS share,
       round(headroom(potential, rx), 1) AS headroom
  FROM temp.territory_report_potential
 ORDER BY territory_id, rank;

DROP TABLE temp.territory_report_potential;
