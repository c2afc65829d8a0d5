-- credit: credit control (信用政策) per customer -- limit, terms, rating, outstanding, overdue by bucket, over-limit and over-terms, days of sales outstanding -- and the 广种薄收 warning per unit
-- param: as_of = the latest invoice or payment date in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: months = 12 (sales are invoices dated in the months up to as_of; bad debt is compared with as many months before)
-- param: unit = all units (an org_unit id or name: customers of that unit and of every unit below it)
-- param: customer = all customers (a customer id or name)
--
-- The deck: 严格进行客户资信调查与信用管理, 避免"广种薄收" (sales people spread
-- over many small customers and bad debt grows).  First result, per
-- customer with anything invoiced up to as_of:
--   sales        invoiced in the `months` months up to as_of
--   class        abc_class of the cumulative share of sales over all
--                customers (settings pareto.a_cut / pareto.b_cut)
--   outstanding  open on as_of (invoices less payments dated up to as_of)
--   current, 1-30 .. >120   outstanding by aging_bucket(due_date, as_of)
--   over_limit   outstanding > credit_limit (NULL without a limit)
--   over_terms   open on invoices older than the customer's terms_days
--                counted from the invoice date (the due date where the
--                customer has no terms)
--   dso          days of sales outstanding: outstanding / sales x the
--                days of the window (settings days_per_year x months / 12)
-- Second result, per unit of the customers: customers, small (class C),
-- bad_debt (open more than settings worst.overdue_days past due) on as_of
-- and `months` months before, and warning '广种薄收' when small >= settings
-- credit.many_small and bad debt grew.
DROP TABLE IF EXISTS temp.credit_arg;

CREATE TEMP TABLE temp.credit_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('credit: no invoices to take as_of from; give as_of=YYYY-MM-DD')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('credit: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got ' || v)
         END AS as_of,
         CASE
           WHEN :months IS NULL THEN 12
           WHEN typeof(:months) = 'integer' AND :months > 0 THEN :months
           ELSE raise_error('credit: months must be a positive whole number, got ' || :months)
         END AS months,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('credit: no unit ' || :unit)
           WHEN :customer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer WHERE id = :customer OR name = :customer)
             THEN raise_error('credit: no customer ' || :customer)
           ELSE 1
         END AS ok,
         CASE WHEN typeof(dpy) IN ('integer', 'real') AND dpy > 0 THEN dpy
              ELSE raise_error('credit: setting days_per_year must be a number > 0, got ' || quote(dpy)) END AS days_per_year,
         CASE WHEN typeof(wd) IN ('integer', 'real') AND wd >= 0 THEN wd
              ELSE raise_error('credit: setting worst.overdue_days must be a number >= 0, got ' || quote(wd)) END AS bad_days,
         CASE WHEN typeof(ms) IN ('integer', 'real') AND ms >= 0 THEN ms
              ELSE raise_error('credit: setting credit.many_small must be a number >= 0, got ' || quote(ms)) END AS many_small,
         (SELECT value FROM settings WHERE key = 'pareto.a_cut') AS a_cut,
         (SELECT value FROM settings WHERE key = 'pareto.b_cut') AS b_cut
    FROM (SELECT coalesce(:as_of, (SELECT max(d) FROM (SELECT max(date) AS d FROM invoice
                                                       UNION ALL
                                                       SELECT max(date) FROM payment))) AS v,
                 coalesce((SELECT value FROM settings WHERE key = 'days_per_year'), 365) AS dpy,
                 coalesce((SELECT value FROM settings WHERE key = 'worst.overdue_days'), 120) AS wd,
                 coalesce((SELECT value FROM settings WHERE key = 'credit.many_small'), 3) AS ms)
)
SELECT arg.*, date(as_of, '-' || months || ' months') AS since
  FROM arg WHERE ok;

DROP TABLE IF EXISTS temp.credit_i;

-- per customer: sales, open by bucket, over terms, bad debt now and before:
-- receivables() (ext/receivables.c) reads payment and invoice once each and
-- sums in C, the same additions in the same order as summing the invoices
-- in SQL; a since before the year 0000 is no start at all (every invoice
-- up to as_of is a sale, none is dated before it)
CREATE TEMP TABLE temp.credit_i (customer_id INTEGER PRIMARY KEY, sales REAL, outstanding REAL,
  b0 REAL, b1 REAL, b2 REAL, b3 REAL, b4 REAL, b5 REAL,
  over_terms REAL, bad_debt REAL, bad_debt_before REAL);
INSERT INTO temp.credit_i
SELECT r.customer_id, r.sales, r.outstanding,
       r.current, r.d1_30, r.d31_60, r.d61_90, r.d91_120, r.over_120,
       r.over_terms, r.bad_debt, r.bad_debt_before
  FROM temp.credit_arg a,
       receivables(a.as_of, CASE WHEN a.since >= '0000-01-01' THEN a.since END, a.bad_days) r;

DROP TABLE IF EXISTS temp.credit_c;

CREATE TEMP TABLE temp.credit_c AS
WITH per AS (
  SELECT c.id, c.name, c.unit_id, c.rating, c.terms_days, c.credit_limit,
         ci.sales, ci.outstanding, ci.b0, ci.b1, ci.b2, ci.b3, ci.b4, ci.b5,
         ci.over_terms, ci.bad_debt, ci.bad_debt_before
    FROM temp.credit_i ci JOIN customer c ON c.id = ci.customer_id
)
SELECT per.*,
       sum(sales) OVER (ORDER BY sales DESC, id ROWS UNBOUNDED PRECEDING)
         / nullif((SELECT sum(sales) FROM temp.credit_i), 0) AS cum_share
  FROM per;

SELECT c.id AS customer_id, c.name AS customer, u.name AS unit, c.rating, c.terms_days,
       c.credit_limit, round(c.sales * 100.0) / 100.0 AS sales,
       abc_class(c.cum_share, a.a_cut, a.b_cut) AS class,
       round(c.outstanding * 100.0) / 100.0 AS outstanding,
       round(c.b0 * 100.0) / 100.0 AS "current", round(c.b1 * 100.0) / 100.0 AS "1-30", round(c.b2 * 100.0) / 100.0 AS "31-60",
       round(c.b3 * 100.0) / 100.0 AS "61-90", round(c.b4 * 100.0) / 100.0 AS "91-120", round(c.b5 * 100.0) / 100.0 AS ">120",
       CASE WHEN c.credit_limit IS NOT NULL THEN c.outstanding > c.credit_limit END AS over_limit,
       round(c.over_terms * 100.0) / 100.0 AS over_terms,
       round((c.outstanding / nullif(c.sales, 0) * a.days_per_year * a.months / 12.0) * 10.0) / 10.0 AS dso
  FROM temp.credit_c c, temp.credit_arg a
  LEFT JOIN org_unit u ON u.id = c.unit_id
 WHERE (:customer IS NULL OR c.id = :customer OR c.name = :customer)
   AND (:unit IS NULL OR EXISTS (SELECT 1 FROM unit_tree t, org_unit f
         WHERE t.id = c.unit_id AND (f.id = :unit OR f.name = :unit)
           AND f.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                        t.national_id, t.company_id)))
 ORDER BY over_limit DESC, c.outstanding DESC, c.id;

SELECT c.unit_id, u.name AS unit, count(*) AS customers,
       sum(abc_class(c.cum_share, a.a_cut, a.b_cut) = 'C') AS small,
       round((sum(c.bad_debt)) * 100.0) / 100.0 AS bad_debt,
       round((sum(c.bad_debt_before)) * 100.0) / 100.0 AS bad_debt_before,
       round((sum(c.bad_debt) - sum(c.bad_debt_before)) * 100.0) / 100.0 AS growth,
       CASE WHEN sum(abc_class(c.cum_share, a.a_cut, a.b_cut) = 'C') >= a.many_small
                 AND sum(c.bad_debt) > sum(c.bad_debt_before) + 0.005
            THEN '广种薄收' END AS warning
  FROM temp.credit_c c, temp.credit_arg a
  LEFT JOIN org_unit u ON u.id = c.unit_id
 WHERE (:customer IS NULL OR c.id = :customer OR c.name = :customer)
   AND (:unit IS NULL OR EXISTS (SELECT 1 FROM unit_tree t, org_unit f
         WHERE t.id = c.unit_id AND (f.id = :unit OR f.name = :unit)
           AND f.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                        t.national_id, t.company_id)))
 GROUP BY c.unit_id
 ORDER BY warning IS NULL, growth DESC, c.unit_id;

DROP TABLE temp.credit_c;
DROP TABLE temp.credit_i;
DROP TABLE temp.credit_arg;
