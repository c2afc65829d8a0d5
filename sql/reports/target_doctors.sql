-- target_doctors: target doctors (目标医生) per rep, product and month against the monthly growth goal, and per department: doctors, prescribers, target doctors, those who could become one, and competitor prescribers to convert
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: months = 3 (how many months, ending with as_of, the first result shows)
-- param: unit = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = each of our products (a product id or name; ours, not a competitor's)
--
-- The deck's 目标医生的开发: 这个科有多少医生? 有多少医生可开我公司产品的处方?
-- 有多少医生可发展为目标医生? 现在有多少目标医生? 逐月增加的目标医生的数量指标.
-- A doctor is a target doctor of a product in a month when the month's
-- prescriptions of it (rx.rx_count) reach the threshold: settings
-- 'target_doctor.min_rx.<product name>' if set, else 'target_doctor.min_rx'
-- (default 5).  Per product and month, over the departments where the
-- product's class is prescribed (a row in rx for a product of its class,
-- ours or a competitor's: product.ours = 0, same class_id):
--   doctors      every doctor of those departments
--   prescribers  doctors with rx_count > 0 of the product
--   targets      doctors with rx_count >= the threshold
--   growth       targets - targets of the month before (0 where none)
--   goal         settings target_doctor.monthly_growth (default 1): target
--                doctors a rep should add a month per product; status
--                'met' when growth >= goal, else 'behind'
--   could_be     not a target doctor, but the doctor's class total that
--                month (the potential, as in the view rx_class: the sum of
--                rx_count over the class's products; rx.potential for a
--                product without a class) reaches the threshold
--   to_convert   prescribed a competitor of the class but not the product
-- The first result is per territory (the rep), product and month; the
-- second per department for the as_of month only, the departments with
-- the most doctors to convert first.
DROP TABLE IF EXISTS temp.td_arg;

CREATE TEMP TABLE temp.td_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('target_doctors: no prescriptions to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('target_doctors: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS as_of,
         CASE
           WHEN :months IS NULL THEN 3
           WHEN typeof(:months) = 'integer' AND :months BETWEEN 1 AND 120 THEN :months
           ELSE raise_error('target_doctors: months must be a whole number from 1 to 120, got ' || :months)
         END AS months,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('target_doctors: no unit ' || :unit)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('target_doctors: no product ' || :product)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product
                                                      WHERE (id = :product OR name = :product) AND ours = 1)
             THEN raise_error('target_doctors: product ' || :product || ' is a competitor''s, not ours')
           ELSE 1
         END AS ok,
         CASE
           WHEN typeof(g) IN ('integer', 'real') AND g >= 0 THEN g
           ELSE raise_error('target_doctors: setting target_doctor.monthly_growth must be a number >= 0, got ' || quote(g))
         END AS goal
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v,
                 coalesce((SELECT value FROM settings WHERE key = 'target_doctor.monthly_growth'), 1) AS g)
)
SELECT as_of, months, goal,
       -- one month before the first shown, for its growth
       strftime('%Y-%m', as_of || '-01', '-' || months || ' months') AS m_before
  FROM arg WHERE ok;

DROP TABLE IF EXISTS temp.td_prod;

-- the products asked for, each with its threshold
CREATE TEMP TABLE temp.td_prod AS
SELECT id, name, class_id,
       -- another of our products in the class (its rx are not a competitor's)
       EXISTS (SELECT 1 FROM product o WHERE o.class_id = x.class_id AND o.ours = 1 AND o.id <> x.id) AS others,
       CASE WHEN typeof(t) IN ('integer', 'real') AND t >= 0 THEN t
            ELSE raise_error('target_doctors: setting target_doctor.min_rx (or target_doctor.min_rx.'
                             || name || ') must be a number >= 0, got ' || quote(t)) END AS min_rx
  FROM (SELECT p.id, p.name, p.class_id,
               coalesce((SELECT value FROM settings WHERE key = 'target_doctor.min_rx.' || p.name),
                        (SELECT value FROM settings WHERE key = 'target_doctor.min_rx'), 5) AS t
          FROM product p
         WHERE p.ours = 1 AND (:product IS NULL OR p.id = :product OR p.name = :product)) x;

DROP TABLE IF EXISTS temp.td_dept;

-- per department, product and month, from each doctor's month of the
-- product as the view rx_class has it, summed by rx_usage() (rx read in C
-- through its period index, one seek per product of the class, for each
-- month of the run that has prescriptions): the product's rx (usage), and
-- the class total (potential); the competitors' rx are the class total
-- less ours (looked up in rx only where that cannot tell: another of our
-- products in the class, or nothing left to tell none from zero)
CREATE TEMP TABLE temp.td_dept AS
WITH RECURSIVE mon(period) AS (
  SELECT m_before FROM temp.td_arg
  UNION ALL
  SELECT strftime('%Y-%m', mon.period || '-01', '+1 month') FROM mon, temp.td_arg a
   WHERE mon.period < a.as_of
)
SELECT x.department_id, h.id AS hospital_id, h.unit_id AS territory_id, x.product_id, x.period,
       dc.doctors,
       x.prescribers, x.targets, x.could_be,
       -- a doctor who wrote none of the product and (but for ours) nothing
       -- of its class adds 0 with a competitor's row (of 0 Rx), else
       -- nothing: that matters only when no doctor of the department adds
       -- 0 or 1 (then all of them are such doctors), so rx is looked up
       -- only then, for any doctor of the department
       CASE WHEN x.to_convert IS NOT NULL OR x.class_id IS NULL THEN x.to_convert
            WHEN EXISTS (SELECT 1 FROM doctor o_d CROSS JOIN product q
                           JOIN rx o ON o.doctor_id = o_d.id AND o.product_id = q.id
                          WHERE o_d.department_id = x.department_id
                            AND q.class_id = x.class_id AND q.ours = 0
                            AND o.period = x.period) THEN 0
       END AS to_convert
  FROM (SELECT d.department_id, pr.id AS product_id, m.period, pr.class_id,
               sum(r.usage > 0) AS prescribers,
               sum(r.usage >= pr.min_rx) AS targets,
               sum(r.usage < pr.min_rx AND r.potential >= pr.min_rx) AS could_be,
               sum(CASE WHEN r.usage > 0 THEN 0
                        WHEN pr.class_id IS NULL THEN NULL   -- no competitors
                        WHEN r.potential - CASE WHEN pr.others THEN
                               (SELECT total(o.rx_count) FROM product q JOIN rx o ON o.product_id = q.id
                                 WHERE q.class_id = pr.class_id AND q.ours = 1 AND q.id <> pr.id
                                   AND o.doctor_id = r.doctor_id AND o.period = m.period)
                             ELSE 0 END > 0 THEN 1
                   END) AS to_convert
          -- (one month and product a call: 0.9 s for the bench's month of
          -- 5M rx rows, where one read of rx_class took 1.8 s)
          FROM temp.td_prod pr
          CROSS JOIN (SELECT period FROM mon   -- the months with prescriptions
                       WHERE (SELECT max(rx.period) FROM rx WHERE rx.period = mon.period) IS NOT NULL) m
          CROSS JOIN rx_usage(m.period, m.period, pr.id) r
          CROSS JOIN doctor d ON d.id = r.doctor_id
         WHERE :unit IS NULL OR d.department_id IN (SELECT dp.id FROM department dp
                 JOIN hospital hu ON hu.id = dp.hospital_id
                WHERE hu.unit_id IN (SELECT t.id FROM unit_tree t, org_unit f
                 WHERE (f.id = :unit OR f.name = :unit)
                   AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)))
         GROUP BY d.department_id, pr.id, m.period) x
  -- every doctor of the department, counted once a department
  JOIN (SELECT department_id, count(*) AS doctors FROM doctor GROUP BY department_id) dc
    ON dc.department_id = x.department_id
  JOIN department dp ON dp.id = x.department_id
  JOIN hospital h ON h.id = dp.hospital_id;

-- each department's month before, looked up once per row below
CREATE INDEX temp.td_dept_key ON td_dept(department_id, product_id, period);
-- the second result's order, walked instead of sorting the rows with their names
CREATE INDEX temp.td_dept_out ON td_dept(period, territory_id, product_id, to_convert DESC, could_be DESC, department_id);

WITH RECURSIVE mon(n, period) AS (
  SELECT 0, m_before FROM temp.td_arg
  UNION ALL
  SELECT n + 1, strftime('%Y-%m', period || '-01', '+1 month') FROM mon, temp.td_arg a WHERE n < a.months
),
-- the departments summed per territory, product and month first (one sort
-- of the department rows), then laid on the grid of months
agg AS MATERIALIZED (
  SELECT territory_id, product_id, period,
         sum(doctors) AS doctors, sum(prescribers) AS prescribers, sum(targets) AS targets,
         sum(could_be) AS could_be, sum(to_convert) AS to_convert
    FROM temp.td_dept GROUP BY territory_id, product_id, period
),
grid AS (
  SELECT t.territory_id, t.product_id, mon.period
    FROM (SELECT DISTINCT territory_id, product_id FROM agg) t, mon
),
per AS (
  SELECT g.territory_id, g.product_id, g.period,
         coalesce(d.doctors, 0) AS doctors, coalesce(d.prescribers, 0) AS prescribers,
         coalesce(d.targets, 0) AS targets, coalesce(d.could_be, 0) AS could_be,
         coalesce(d.to_convert, 0) AS to_convert
    FROM grid g
    LEFT JOIN agg d ON d.territory_id = g.territory_id AND d.product_id = g.product_id
                   AND d.period = g.period
),
grown AS (
  SELECT per.*, targets - lag(targets) OVER (PARTITION BY territory_id, product_id ORDER BY period) AS growth
    FROM per
)
SELECT g.territory_id, u.name AS territory, g.product_id, p.name AS product, g.period,
       g.doctors, g.prescribers, g.targets, g.growth, a.goal,
       CASE WHEN g.growth >= a.goal THEN 'met' ELSE 'behind' END AS status,
       g.could_be, g.to_convert
  FROM grown g, temp.td_arg a
  JOIN org_unit u ON u.id = g.territory_id
  JOIN product p ON p.id = g.product_id
 WHERE g.period > a.m_before
 ORDER BY g.territory_id, g.product_id, g.period;

SELECT d.territory_id, u.name AS territory, h.name AS hospital, dp.name AS department,
       d.product_id, p.name AS product, d.doctors, d.prescribers, d.targets,
       d.targets - coalesce((SELECT b.targets FROM temp.td_dept b
                              WHERE b.department_id = d.department_id AND b.product_id = d.product_id
                                AND b.period = (SELECT strftime('%Y-%m', as_of || '-01', '-1 month') FROM temp.td_arg)), 0) AS growth,
       d.could_be, d.to_convert
  FROM temp.td_dept d
  JOIN org_unit u ON u.id = d.territory_id
  JOIN hospital h ON h.id = d.hospital_id
  JOIN department dp ON dp.id = d.department_id
  JOIN product p ON p.id = d.product_id
 WHERE d.period = (SELECT as_of FROM temp.td_arg)
 ORDER BY d.territory_id, d.product_id, d.to_convert DESC, d.could_be DESC, d.department_id;

DROP TABLE temp.td_dept;
DROP TABLE temp.td_prod;
DROP TABLE temp.td_arg;
