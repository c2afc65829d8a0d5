-- inventory: the stock card (进销存动态卡) per customer, product and month, with its identity and continuity checked and days of supply
-- param: as_of = the latest inventory period (the last month shown; 'YYYY-MM' or a date in it)
-- param: months = 12 (how many months up to as_of to show)
-- param: customer = all customers (a customer id or name)
-- param: broken = 0 (1: only the rows that break a check)
--
-- Per card row: expected = opening + received - sold - returned;
-- difference = closing - expected (0 on a sound card); prev_closing =
-- the closing of the same card the month before (NULL when that month has
-- no card); gap = opening - prev_closing (0 when the month carries over).
-- status: 'ok', 'identity' (difference <> 0), 'continuity' (gap <> 0) or
-- 'identity+continuity'.  avg_daily_sales = units sold over the last three
-- months that have a card (this one included) / (those months x settings
-- inventory.days_per_month); days_of_supply = closing / avg_daily_sales
-- (NULL when nothing was sold).  Checks and averages look back before the
-- first month shown.
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('inventory: no stock cards to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('inventory: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS p_to,
         CASE
           WHEN :months IS NULL THEN 12
           WHEN typeof(:months) = 'integer' AND :months > 0 THEN :months
           ELSE raise_error('inventory: months must be a positive whole number, got ' || :months)
         END AS months,
         CASE
           WHEN :broken IS NULL THEN 0
           WHEN typeof(:broken) = 'integer' AND :broken IN (0, 1) THEN :broken
           ELSE raise_error('inventory: broken must be 0 or 1, got ' || :broken)
         END AS broken,
         CASE
           WHEN :customer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer WHERE id = :customer OR name = :customer)
             THEN raise_error('inventory: no customer ' || :customer)
           ELSE 1
         END AS ok,
         (SELECT CASE
                   WHEN value IS NULL THEN 30
                   WHEN typeof(value) IN ('integer', 'real') AND value > 0 THEN value
                   -- settings imported from CSV hold numbers as text
                   WHEN typeof(value) = 'text' AND trim(value) GLOB '*[0-9]*'
                        AND NOT trim(value) GLOB '*[^0-9.]*' AND NOT trim(value) GLOB '*.*.*'
                        AND trim(value) + 0 > 0 THEN trim(value) + 0
                   ELSE raise_error('inventory: setting inventory.days_per_month must be a positive number, got ' || value)
                 END
            FROM (SELECT NULL) LEFT JOIN settings ON key = 'inventory.days_per_month') AS dpm
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM inventory)) AS v)
),
p AS (
  SELECT p_to, strftime('%Y-%m', p_to || '-01', '-' || (months - 1) || ' months') AS p_from,
         broken, dpm
    FROM arg WHERE p_to IS NOT NULL AND ok
),
card AS (
  SELECT i.*,
         CAST(substr(i.period, 1, 4) AS INTEGER) * 12 + CAST(substr(i.period, 6, 2) AS INTEGER) AS m
    FROM inventory i INDEXED BY sqlite_autoindex_inventory_1 CROSS JOIN p
   WHERE i.period <= p.p_to
     AND (:customer IS NULL
          OR i.customer_id IN (SELECT id FROM customer WHERE id = :customer OR name = :customer))
),
-- one window in the stock cards' key order (customer, product, period: no
-- sort); a card has one row per month, so the cards of the last three
-- months are this row and at most the two before it
w0 AS (
  SELECT card.*,
         lag(m) OVER k AS prev_m, lag(closing) OVER k AS prev_closing_any,
         lag(m, 2) OVER k AS prev2_m, lag(sold) OVER k AS prev_sold, lag(sold, 2) OVER k AS prev2_sold
    FROM card
  WINDOW k AS (PARTITION BY customer_id, product_id ORDER BY period)
),
w AS (
  SELECT w0.*,
         opening + received - sold - returned AS expected,
         sold + CASE WHEN prev_m >= m - 2 THEN prev_sold ELSE 0 END
              + CASE WHEN prev2_m >= m - 2 THEN prev2_sold ELSE 0 END AS sold3,
         1 + (prev_m >= m - 2 AND prev_m IS NOT NULL) + (prev2_m >= m - 2 AND prev2_m IS NOT NULL) AS n3
    FROM w0
),
x AS (
  SELECT w.*, closing - expected AS difference,
         CASE WHEN prev_m = m - 1 THEN prev_closing_any END AS prev_closing,
         CAST(sold3 AS REAL) / (n3 * p.dpm) AS daily
    FROM w, p
   WHERE w.period >= p.p_from
)
SELECT x.customer_id, c.name AS customer, x.product_id, pr.name AS product, x.period,
       x.opening, x.received, x.sold, x.returned, x.closing,
       x.expected, x.difference, x.prev_closing, x.opening - x.prev_closing AS gap,
       CASE WHEN x.difference <> 0 AND x.opening IS NOT x.prev_closing AND x.prev_closing IS NOT NULL
              THEN 'identity+continuity'
            WHEN x.difference <> 0 THEN 'identity'
            WHEN x.prev_closing IS NOT NULL AND x.opening <> x.prev_closing THEN 'continuity'
            ELSE 'ok' END AS status,
       round(x.daily * 10000.0) / 10000.0 AS avg_daily_sales,
       round((x.closing / nullif(x.daily, 0)) * 10.0) / 10.0 AS days_of_supply
  FROM x CROSS JOIN customer c CROSS JOIN product pr CROSS JOIN p
 -- a constant term: the parameter checks run even when nothing matches
 WHERE c.id = x.customer_id AND pr.id = x.product_id
   AND EXISTS (SELECT 1 FROM p)
   AND (p.broken = 0 OR x.difference <> 0
        OR (x.prev_closing IS NOT NULL AND x.opening <> x.prev_closing))
 ORDER BY x.customer_id, x.product_id, x.period;
