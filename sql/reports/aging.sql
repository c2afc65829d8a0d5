-- aging: receivables by aging bucket per customer and unit, with credit limit and over-limit flag, rolled up to district, region and company
-- param: as_of = the latest invoice or payment date in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: unit = all units (an org_unit id or name: customers of that unit and of every unit below it)
-- param: customer = all customers (a customer id or name)
--
-- What each customer owed on the as_of date: every invoice dated on or
-- before as_of, less the payments dated on or before as_of, put in the
-- bucket of aging_bucket(due_date, as_of) -- days past the due date:
-- current (not yet due), 1-30, 31-60, 61-90, 91-120, >120 -- when at least
-- half a cent of it is open (an overpaid invoice adds nothing, as in the
-- credit report). The default as_of is a date in the data, not today, so
-- the report reads the same whenever it is run. over_limit is 1 when the
-- total open exceeds the customer's credit limit, NULL when no limit is
-- recorded. Customers owing nothing are left out. The second result totals
-- each unit; the third rolls the customers shown up to their district,
-- region and company (a customer recorded at a region counts in the region
-- and the company only; one without a unit in none).
DROP TABLE IF EXISTS temp.aging_open;
DROP TABLE IF EXISTS temp.aging_arg;

-- the parameters, checked once
CREATE TEMP TABLE temp.aging_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('aging: no invoices to take as_of from; give as_of=YYYY-MM-DD')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('aging: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got ' || v)
         END AS as_of,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('aging: no unit ' || :unit)
           WHEN :customer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer WHERE id = :customer OR name = :customer)
             THEN raise_error('aging: no customer ' || :customer)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(d) FROM (SELECT max(date) AS d FROM invoice
                                                       UNION ALL
                                                       SELECT max(date) FROM payment))) AS v)
)
SELECT as_of, ok FROM arg;

-- What each customer asked for owes on as_of, by bucket: receivables()
-- (ext/receivables.c, the credit report's figures) reads invoice and
-- payment once each and sums per customer in C; computed once for the
-- three results.  Only the invoices with at least half a cent open count,
-- as in the credit report: an overpaid invoice's credit is not netted
-- against what the customer owes on others.
CREATE TEMP TABLE temp.aging_open AS
SELECT c.unit_id, u.name AS unit, c.id AS customer_id, c.name AS customer,
       r.current AS b0, r.d1_30 AS b1, r.d31_60 AS b2, r.d61_90 AS b3,
       r.d91_120 AS b4, r.over_120 AS b5, r.outstanding AS total, c.credit_limit
  -- arg is the outer loop and its columns are tested there, so every
  -- parameter check runs even when there is no invoice at all
  FROM temp.aging_arg a
 CROSS JOIN receivables(a.as_of, NULL, 0) r
  JOIN customer c ON c.id = r.customer_id
  LEFT JOIN unit_tree u ON u.id = c.unit_id
 WHERE a.ok AND a.as_of IS NOT NULL
   -- customers owing nothing are left out
   AND r.outstanding > 0
   AND (:unit IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :unit OR f.name = :unit)
           AND f.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                        u.national_id, u.company_id)))
   AND (:customer IS NULL OR c.id = :customer OR c.name = :customer);

SELECT unit_id, unit, customer_id, customer,
       round(b0 * 100.0) / 100.0 AS "current", round(b1 * 100.0) / 100.0 AS "1-30", round(b2 * 100.0) / 100.0 AS "31-60",
       round(b3 * 100.0) / 100.0 AS "61-90", round(b4 * 100.0) / 100.0 AS "91-120", round(b5 * 100.0) / 100.0 AS ">120",
       round(total * 100.0) / 100.0 AS total, credit_limit,
       CASE WHEN credit_limit IS NOT NULL THEN total > credit_limit END AS over_limit
  FROM temp.aging_open
 ORDER BY unit_id, total DESC, customer_id;

SELECT unit_id, unit, count(*) AS customers,
       round((sum(b0)) * 100.0) / 100.0 AS "current", round((sum(b1)) * 100.0) / 100.0 AS "1-30",
       round((sum(b2)) * 100.0) / 100.0 AS "31-60", round((sum(b3)) * 100.0) / 100.0 AS "61-90",
       round((sum(b4)) * 100.0) / 100.0 AS "91-120", round((sum(b5)) * 100.0) / 100.0 AS ">120",
       round((sum(total)) * 100.0) / 100.0 AS total,
       sum(credit_limit IS NOT NULL AND total > credit_limit) AS over_limit
  FROM temp.aging_open
 GROUP BY unit_id
 ORDER BY unit_id;

-- summed per unit first, then each unit's sums rolled up (unit_tree is
-- looked up once per unit, not once per customer)
WITH a AS (
  SELECT unit_id, count(*) AS n, sum(b0) AS b0, sum(b1) AS b1, sum(b2) AS b2,
         sum(b3) AS b3, sum(b4) AS b4, sum(b5) AS b5, sum(total) AS total,
         sum(credit_limit IS NOT NULL AND total > credit_limit) AS over_limit
    FROM temp.aging_open
   WHERE unit_id IS NOT NULL
   GROUP BY unit_id
)
SELECT r.level, r.unit_id, o.name AS unit, sum(n) AS customers,
       round((sum(b0)) * 100.0) / 100.0 AS "current", round((sum(b1)) * 100.0) / 100.0 AS "1-30",
       round((sum(b2)) * 100.0) / 100.0 AS "31-60", round((sum(b3)) * 100.0) / 100.0 AS "61-90",
       round((sum(b4)) * 100.0) / 100.0 AS "91-120", round((sum(b5)) * 100.0) / 100.0 AS ">120",
       round((sum(total)) * 100.0) / 100.0 AS total,
       sum(over_limit) AS over_limit
  FROM (SELECT 'district' AS level, 1 AS k, t.district_id AS unit_id, a.n, a.b0, a.b1, a.b2, a.b3, a.b4, a.b5, a.total, a.over_limit
          FROM a JOIN unit_tree t ON t.id = a.unit_id WHERE t.district_id IS NOT NULL
        UNION ALL
        SELECT 'region', 2, t.region_id, a.n, a.b0, a.b1, a.b2, a.b3, a.b4, a.b5, a.total, a.over_limit
          FROM a JOIN unit_tree t ON t.id = a.unit_id WHERE t.region_id IS NOT NULL
        UNION ALL
        SELECT 'company', 3, t.company_id, a.n, a.b0, a.b1, a.b2, a.b3, a.b4, a.b5, a.total, a.over_limit
          FROM a JOIN unit_tree t ON t.id = a.unit_id WHERE t.company_id IS NOT NULL) r
  JOIN org_unit o ON o.id = r.unit_id
 GROUP BY r.k, r.unit_id
 ORDER BY r.k, r.unit_id;

DROP TABLE temp.aging_open;
DROP TABLE temp.aging_arg;
