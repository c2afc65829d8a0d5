-- deciles: prescriber deciles per territory and product over the last quarter
-- param: as_of = the latest month with prescriptions (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: territory = all territories (a unit id or name: a territory, or a district/region for all its territories)
-- param: product = all our products, each on its own (a product id or name: ours, or a competitor's to see its prescribers)
--
-- Volume: a doctor's prescriptions of the product over the quarter, the
-- three months ending with the as_of month.  Doctors with prescription rows
-- for the product in the quarter are ranked by volume ascending (ties by
-- doctor id) within the territory and product, and
--   decile = decile(volume, running sum including the doctor, total)
--          = ceil(10 x running sum / total), 10 = the top prescribers,
-- 0 for doctors whose volume is 0.  So each decile 1..10 holds about a tenth
-- of the volume; what matters is how many doctors it takes.
-- One row per decile 10 down to 1 (empty deciles too: a few big prescribers
-- leave gaps), and decile 0 when some doctor wrote nothing.  share = the
-- decile's volume / the total; doctor_share = its doctors / all doctors
-- listed (decile 0 included).
--
-- How (a million doctors, 3,000,000 rx rows of our products a month:
-- about 1.7 s when the quarter has one month of prescriptions, 3 s with
-- three):
-- deciles_summary() ranks the volumes set at a time, as deciles() does, and
-- counts the doctors and volumes per group (territory and product) and
-- decile in C, straight into a small temp table; when only one month of the
-- quarter has prescriptions, rx rows are handed to it as they are, without
-- summing per doctor (rx's key has the month, so they are the volumes).
-- The group totals are taken once per group, and the final rows
-- (the empty deciles filled in) are made per group in output order:
-- territory names, products and totals are looked up once per group, not
-- once per decile row.
DROP TABLE IF EXISTS temp.deciles_agg;
DROP TABLE IF EXISTS temp.deciles_grp;
DROP TABLE IF EXISTS temp.deciles_dec;

-- per group (territory x k + product) and decile: doctors and volumes
CREATE TEMP TABLE deciles_agg (
  grp INTEGER NOT NULL, decile INTEGER NOT NULL, doctors, min_volume, max_volume, volume,
  PRIMARY KEY (grp, decile)
) WITHOUT ROWID;
INSERT INTO deciles_agg (grp, decile, doctors, min_volume, max_volume, volume)
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('deciles: no prescriptions to take the quarter from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('deciles: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS m_last,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('deciles: no unit ' || :territory)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('deciles: no product ' || :product)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM rx)) AS v)
),
q AS (
  SELECT strftime('%Y-%m', m_last || '-01', '-2 months') AS m_first, m_last
    FROM arg WHERE m_last IS NOT NULL AND ok
),
-- The doctors' volumes are ranked by deciles_summary() (set at a time,
-- no window sort): its query, one statement of text, gets the quarter, the product,
-- the territory and k = max(product id) + 1 as ?1..?5, and groups by
-- territory x k + product, which is one number per territory and product.
-- The query is one of two texts:
-- - one month of the quarter with prescriptions (m_only, as ?1) and no
--   territory asked for: a doctor has at most one row per product in the
--   month (rx's key has the month), so there is nothing to sum and no GROUP
--   BY (3,000,000 groups cost SQLite about 0.6 s): the month's rows of the
--   products are read from the period index, rx first (CROSS JOIN: the
--   planner would start from the territories and seek rx per doctor, 0.3 s
--   more);
-- - otherwise: doctors in id order (CROSS JOIN keeps that order in every
--   SQLite), each one's place looked up once, then the doctor's rows of the
--   products in the quarter sought in rx_doctor_cover (doctor, product,
--   period): rows arrive in (doctor, product) order, so the GROUP BY sums
--   them as they go by, without a sort, and only the quarter's rows are
--   read (reading rx in key order read every month of every product).  A
--   territory asked for is checked once per doctor, before rx is sought.
-- Without a territory asked for, no doctor is checked against the list of
-- territories (a third of the time at a million doctors): a unit that is
-- not a territory gets groups of its own, which the join with sel in the
-- last statement drops.
-- deciles_summary() returns one row per group and decile, the same as
-- count(*), min, max and sum(volume) of deciles() GROUP BY grp, decile,
-- without handing 3,000,000 ranked rows to SQL, in group and decile order,
-- so the rows go into deciles_agg in its key order.
kq AS (
  SELECT m_first, m_last, (SELECT max(id) + 1 FROM product) AS k,
         -- the quarter's only month with prescriptions, if only one has any
         (SELECT CASE WHEN count(*) = 1 THEN max(m) END
            FROM (SELECT m_first AS m
                  UNION ALL SELECT strftime('%Y-%m', m_last || '-01', '-1 months')
                  UNION ALL SELECT m_last)
           WHERE EXISTS (SELECT 1 FROM rx WHERE period = m)) AS m_only
    FROM q
)
  SELECT d.grp, d.decile, d.n, d.min_volume, d.max_volume, d.volume
    FROM deciles_summary(
      CASE
        WHEN (SELECT m_only FROM kq) IS NOT NULL AND :territory IS NULL THEN '
      SELECT dp.territory_id * ?5 + r.product_id, r.doctor_id, r.rx_count
        FROM rx r
       CROSS JOIN doctor_place dp ON dp.doctor_id = r.doctor_id
       WHERE r.period = ?1
         AND r.product_id IN (SELECT pr.id FROM product pr
                               WHERE (?3 IS NULL AND pr.ours = 1) OR pr.id = ?3 OR pr.name = ?3)'
        ELSE '
      SELECT h.unit_id * ?5 + r.product_id, d.id, sum(r.rx_count)
        FROM doctor d
       CROSS JOIN department dp ON dp.id = d.department_id
       CROSS JOIN hospital h ON h.id = dp.hospital_id
       CROSS JOIN rx r ON r.doctor_id = d.id
       WHERE r.period BETWEEN ?1 AND ?2
         AND r.product_id IN (SELECT pr.id FROM product pr
                               WHERE (?3 IS NULL AND pr.ours = 1) OR pr.id = ?3 OR pr.name = ?3)
         AND (?4 IS NULL OR h.unit_id IN (
               SELECT t.id FROM unit_tree t
                WHERE t.level = ''territory''
                  AND EXISTS (SELECT 1 FROM org_unit f
                        WHERE (f.id = ?4 OR f.name = ?4)
                          AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id))))
       GROUP BY d.id, r.product_id'
      END,
      (SELECT coalesce(m_only, m_first) FROM kq), (SELECT m_last FROM kq), :product, :territory,
      (SELECT k FROM kq)) d;

-- per group: its territory and product, the total volume and the doctors
-- listed, and whether decile 0 has any (the groups in key order, which is
-- territory then product order: 0 < product id < k)
CREATE TEMP TABLE deciles_grp (
  grp INTEGER NOT NULL, territory_id INTEGER NOT NULL, product_id INTEGER NOT NULL, total, n, has0,
  PRIMARY KEY (territory_id, product_id)
) WITHOUT ROWID;
CREATE TEMP TABLE deciles_dec (decile INTEGER PRIMARY KEY);
INSERT INTO deciles_dec (decile) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10);
INSERT INTO deciles_grp (grp, territory_id, product_id, total, n, has0)
SELECT grp, grp / k, grp % k, sum(volume), sum(doctors), min(decile) = 0
  FROM deciles_agg, (SELECT max(id) + 1 AS k FROM product)
 GROUP BY grp;

-- One row per decile 10 down to 1 for every territory asked for and
-- product, and decile 0 where some doctor wrote nothing.
WITH sel AS (
  -- the territories asked for: the unit itself, or every territory under it
  SELECT t.id, t.name FROM unit_tree t
   WHERE t.level = 'territory'
     AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :territory OR f.name = :territory)
             AND f.id IN (t.id, t.district_id, t.region_id, t.national_id, t.company_id)))
)
SELECT g.territory_id, s.name AS territory, p.name AS product, d.decile,
       coalesce(a.doctors, 0) AS doctors,
       a.min_volume, a.max_volume,
       coalesce(a.volume, 0) AS volume,
       round((1.0 * coalesce(a.volume, 0) / nullif(g.total, 0)) * 10000.0) / 10000.0 AS share,
       round((1.0 * coalesce(a.doctors, 0) / g.n) * 10000.0) / 10000.0 AS doctor_share
  FROM deciles_grp g
  CROSS JOIN sel s ON s.id = g.territory_id
  CROSS JOIN product p ON p.id = g.product_id
  CROSS JOIN deciles_dec d ON d.decile > 0 OR g.has0
  LEFT JOIN deciles_agg a ON a.grp = g.grp AND a.decile = d.decile
 ORDER BY g.territory_id, g.product_id, d.decile DESC;

DROP TABLE temp.deciles_dec;
DROP TABLE temp.deciles_grp;
DROP TABLE temp.deciles_agg;
