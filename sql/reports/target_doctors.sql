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

DROP TABLE IF EXISTS temp.td_map;
DROP TABLE IF EXISTS temp.td_dept;
DROP TABLE IF EXISTS temp.td_agg;
DROP TABLE IF EXISTS temp.td_tp;
DROP TABLE IF EXISTS temp.td_mon;

-- each department of the territories asked for, with its territory and
-- the names the second result shows: looked up once a department, not once
-- a department, product and month
CREATE TEMP TABLE temp.td_map (
  department_id INTEGER PRIMARY KEY, territory_id INTEGER NOT NULL, territory, hospital, department);
INSERT INTO temp.td_map
SELECT dp.id, h.unit_id, u.name, h.name, dp.name
  FROM department dp
  JOIN hospital h ON h.id = dp.hospital_id
  JOIN org_unit u ON u.id = h.unit_id
 WHERE :unit IS NULL OR h.unit_id IN (SELECT t.id FROM unit_tree t, org_unit f
         WHERE (f.id = :unit OR f.name = :unit)
           AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id));

-- per department, product and month: rx_department() reads the months of
-- the run that have prescriptions (each doctor's month of the product as
-- the view rx_class has it: the product's rx, the class total, and the
-- competitors' rx, read in C through rx's period index, one seek per
-- product of the class) and counts per department in C: the doctors,
-- prescribers, targets and could_be at the product's threshold,
-- to_convert (NULL where no doctor of the department wrote the product or
-- a competitor, 0 instead when one has a competitor's row of 0 Rx; NULL or
-- 0 for a product without a class, which has no competitors), and the
-- department's targets the month before (for the second result's growth).
-- (Was rx_usage() per doctor joined to doctor and grouped in SQL: 4.5 s
-- at a million doctors, now about 1 s.)  Kept by (territory, product,
-- month, department): the first result sums it in key order, the second
-- reads the as_of month of each territory and product in key order,
-- sorting only each one's few departments.
CREATE TEMP TABLE temp.td_dept (
  territory_id INTEGER NOT NULL, product_id INTEGER NOT NULL, period TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  doctors, prescribers, targets, could_be, to_convert, targets_before,
  PRIMARY KEY (territory_id, product_id, period, department_id)) WITHOUT ROWID;
INSERT INTO temp.td_dept
SELECT m.territory_id, pr.id, r.period, r.department_id,
       r.doctors, r.prescribers, r.targets, r.could_be, r.to_convert, r.targets_before
  FROM temp.td_arg a
  CROSS JOIN temp.td_prod pr
  CROSS JOIN rx_department(a.m_before, a.as_of, pr.id, pr.min_rx) r
  JOIN temp.td_map m ON m.department_id = r.department_id
 -- (a first month before the year 0000, say '-001-11', has no months after
 -- it that SQLite can count: nothing)
 WHERE a.m_before GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]';

-- the departments summed per territory, product and month (in key order,
-- as td_dept is read: nothing sorted)
CREATE TEMP TABLE temp.td_agg (
  territory_id INTEGER NOT NULL, product_id INTEGER NOT NULL, period TEXT NOT NULL,
  doctors, prescribers, targets, could_be, to_convert,
  PRIMARY KEY (territory_id, product_id, period)) WITHOUT ROWID;
INSERT INTO temp.td_agg
SELECT territory_id, product_id, period,
       sum(doctors), sum(prescribers), sum(targets), sum(could_be), sum(to_convert)
  FROM temp.td_dept GROUP BY territory_id, product_id, period;

-- each territory and product once
CREATE TEMP TABLE temp.td_tp (
  territory_id INTEGER NOT NULL, product_id INTEGER NOT NULL,
  PRIMARY KEY (territory_id, product_id)) WITHOUT ROWID;
INSERT INTO temp.td_tp
SELECT territory_id, product_id FROM temp.td_agg GROUP BY territory_id, product_id;

-- the months the first result shows, each with the month before
CREATE TEMP TABLE temp.td_mon (period TEXT PRIMARY KEY, prev TEXT) WITHOUT ROWID;
INSERT INTO temp.td_mon
WITH RECURSIVE mon(n, period) AS (
  SELECT 0, m_before FROM temp.td_arg
  UNION ALL
  SELECT n + 1, strftime('%Y-%m', period || '-01', '+1 month') FROM mon, temp.td_arg a WHERE n < a.months
)
SELECT m.period, b.period FROM mon m JOIN mon b ON b.n = m.n - 1
 WHERE m.period IS NOT NULL AND b.period IS NOT NULL;

-- every territory and product on the grid of months (none left out): a
-- month's figures and its growth over the month before looked up by key,
-- walked in the output's order (territory and product, then month)
SELECT g.territory_id, u.name AS territory, g.product_id, p.name AS product, m.period,
       coalesce(c.doctors, 0) AS doctors, coalesce(c.prescribers, 0) AS prescribers,
       coalesce(c.targets, 0) AS targets,
       coalesce(c.targets, 0) - coalesce(b.targets, 0) AS growth,
       (SELECT goal FROM temp.td_arg) AS goal,
       CASE WHEN coalesce(c.targets, 0) - coalesce(b.targets, 0) >= (SELECT goal FROM temp.td_arg)
            THEN 'met' ELSE 'behind' END AS status,
       coalesce(c.could_be, 0) AS could_be, coalesce(c.to_convert, 0) AS to_convert
  FROM temp.td_tp g
  JOIN org_unit u ON u.id = g.territory_id
  JOIN product p ON p.id = g.product_id
  CROSS JOIN temp.td_mon m
  LEFT JOIN temp.td_agg c ON c.territory_id = g.territory_id AND c.product_id = g.product_id
                         AND c.period = m.period
  LEFT JOIN temp.td_agg b ON b.territory_id = g.territory_id AND b.product_id = g.product_id
                         AND b.period = m.prev
 ORDER BY g.territory_id, g.product_id, m.period;

SELECT d.territory_id, m.territory, m.hospital, m.department,
       d.product_id, p.name AS product, d.doctors, d.prescribers, d.targets,
       d.targets - coalesce(d.targets_before, 0) AS growth,
       d.could_be, d.to_convert
  FROM temp.td_dept d
  JOIN temp.td_map m ON m.department_id = d.department_id
  JOIN product p ON p.id = d.product_id
 WHERE d.period = (SELECT as_of FROM temp.td_arg)
 ORDER BY d.territory_id, d.product_id, d.to_convert DESC, d.could_be DESC, d.department_id;

DROP TABLE temp.td_map;
DROP TABLE temp.td_dept;
DROP TABLE temp.td_agg;
DROP TABLE temp.td_tp;
DROP TABLE temp.td_mon;
DROP TABLE temp.td_prod;
DROP TABLE temp.td_arg;
