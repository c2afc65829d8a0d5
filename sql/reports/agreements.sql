-- agreements: annual purchase-sale agreements (年购销协议) -- each distributor's purchases of the year to date against its agreement phased by month (ahead / behind), and its payment days against the agreed terms
-- param: as_of = the latest month of the stock cards (a period 'YYYY-MM', or a date 'YYYY-MM-DD' for its month)
-- param: year = the year of as_of (YYYY; a year with no agreement at all is an error)
-- param: unit = all units (an org_unit id or name: customers of that unit and of every unit below it)
-- param: customer = all customers (a customer id or name)
-- param: product = all products (a product id or name)
-- param: tolerance = settings pace.tolerance (0.05)
--
-- The deck: 与分销商谈判有关的年购销协议, 并保证其实施.  Per agreement of the
-- year (agreement: customer, product, year, units and/or amount, payment_days):
--   months       months of the year up to the as_of month (0..12; 12 for
--                a year before as_of)
--   phased       months / 12: the share of the agreement due by now
--   bought_units the distributor's purchases from us: inventory.received
--                over those months; bought_amount = units x unit_price
--   fulfilment   bought / agreed, in amount when the agreement has one,
--                else in units
--   pace         fulfilment - phased; status 'ahead' above +tolerance,
--                'behind' below -tolerance, else 'on_track'
--   paid_days    days from invoice to payment, weighted by amount, over
--                the customer's payments dated in those months (all
--                products: invoices are per customer); terms 'kept' when
--                paid_days <= payment_days, else 'broken'
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('agreements: no stock cards to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('agreements: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS as_of,
         CASE
           WHEN :year IS NULL THEN NULL
           WHEN typeof(:year) = 'integer' AND :year BETWEEN 1000 AND 9999 THEN :year
           ELSE raise_error('agreements: year must be a year YYYY, got ' || :year)
         END AS year,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('agreements: no unit ' || :unit)
           WHEN :customer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer WHERE id = :customer OR name = :customer)
             THEN raise_error('agreements: no customer ' || :customer)
           WHEN :product IS NOT NULL AND NOT EXISTS (SELECT 1 FROM product WHERE id = :product OR name = :product)
             THEN raise_error('agreements: no product ' || :product)
           ELSE 1
         END AS ok,
         CASE
           WHEN typeof(tol) IN ('integer', 'real') AND tol BETWEEN 0 AND 1 THEN tol
           ELSE raise_error('agreements: tolerance must be between 0 and 1, got ' || tol)
         END AS tolerance
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM inventory)) AS v,
                 coalesce(:tolerance, (SELECT value FROM settings WHERE key = 'pace.tolerance'), 0.05) AS tol)
),
p AS (
  SELECT as_of, y AS year, tolerance,
         CASE WHEN y NOT IN (SELECT CAST(year AS INTEGER) FROM agreement)
              THEN raise_error('agreements: no agreement for the year ' || y) ELSE 1 END AS has_year,
         CASE WHEN y < CAST(substr(as_of, 1, 4) AS INTEGER) THEN 12
              WHEN y > CAST(substr(as_of, 1, 4) AS INTEGER) THEN 0
              ELSE CAST(substr(as_of, 6, 2) AS INTEGER) END AS months,
         y || '-01' AS first,
         min(as_of, y || '-12') AS last
    FROM (SELECT arg.*, coalesce(year, CAST(substr(as_of, 1, 4) AS INTEGER)) AS y FROM arg)
   WHERE as_of IS NOT NULL AND ok
),
bought AS (
  SELECT i.customer_id, i.product_id, sum(i.received) AS units
    FROM p, inventory i
   WHERE i.period BETWEEN p.first AND p.last
   GROUP BY i.customer_id, i.product_id
),
paid AS (
  SELECT v.customer_id,
         sum(pm.amount * (julianday(pm.date) - julianday(v.date))) / sum(pm.amount) AS days
    FROM p, payment pm JOIN invoice v ON v.id = pm.invoice_id
   WHERE substr(pm.date, 1, 7) BETWEEN p.first AND p.last
   GROUP BY v.customer_id
),
row AS (
  SELECT a.customer_id, c.name AS customer, u.name AS unit, a.product_id, pr.name AS product,
         a.year, p.months, 1.0 * p.months / 12 AS phased,
         a.units AS agreed_units, a.amount AS agreed_amount,
         coalesce(b.units, 0) AS bought_units, coalesce(b.units, 0) * pr.unit_price AS bought_amount,
         CASE WHEN a.amount > 0 THEN coalesce(b.units, 0) * pr.unit_price / a.amount
              WHEN a.units > 0 THEN 1.0 * coalesce(b.units, 0) / a.units END AS fulfilment,
         a.payment_days, pd.days AS paid_days, p.tolerance
    FROM p
    JOIN agreement a ON CAST(a.year AS INTEGER) = p.year AND p.has_year
    JOIN customer c ON c.id = a.customer_id
    JOIN product pr ON pr.id = a.product_id
    LEFT JOIN unit_tree u ON u.id = c.unit_id
    LEFT JOIN bought b ON b.customer_id = a.customer_id AND b.product_id = a.product_id
    LEFT JOIN paid pd ON pd.customer_id = a.customer_id
   WHERE (:customer IS NULL OR c.id = :customer OR c.name = :customer)
     AND (:product IS NULL OR pr.id = :product OR pr.name = :product)
     AND (:unit IS NULL OR EXISTS (SELECT 1 FROM org_unit f
           WHERE (f.id = :unit OR f.name = :unit)
             AND f.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                          u.national_id, u.company_id)))
)
SELECT customer_id, customer, unit, product_id, product, year, months,
       round(phased * 10000.0) / 10000.0 AS phased, agreed_units, agreed_amount,
       bought_units, round(bought_amount * 100.0) / 100.0 AS bought_amount,
       round(fulfilment * 10000.0) / 10000.0 AS fulfilment,
       round((fulfilment - phased) * 10000.0) / 10000.0 AS pace,
       CASE WHEN fulfilment IS NULL THEN NULL
            WHEN fulfilment - phased > tolerance THEN 'ahead'
            WHEN fulfilment - phased < -tolerance THEN 'behind'
            ELSE 'on_track' END AS status,
       payment_days, round(paid_days * 10.0) / 10.0 AS paid_days,
       CASE WHEN payment_days IS NULL OR paid_days IS NULL THEN NULL
            WHEN paid_days <= payment_days THEN 'kept' ELSE 'broken' END AS terms
  FROM row
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM p WHERE has_year)
 ORDER BY fulfilment - phased, customer_id, product_id;
