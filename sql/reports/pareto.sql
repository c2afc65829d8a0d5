-- pareto: customers (客户分类) -- distributors, or hospitals with of=hospital -- by A/B/C class of cumulative sales, with the best (top sales, paid on time) and the worst (poor sales, long owed)
-- param: as_of = the latest invoice or payment date in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: months = 12 (sales are invoices dated in the months up to as_of)
-- param: top = settings best.count (how many best customers to flag)
-- param: grace = 30 (days past due still counted as paying on time)
-- param: unit = all units (an org_unit id or name: customers of that unit and of every unit below it)
-- param: of = customer (customer: the paying customers, distributors; hospital: the hospitals, by their sales)
-- param: age = settings worst.age_from (invoice: a debt's age counts from the invoice date; due: from the due date)
--
-- The seed's 20:80 rule for paying customers (distributors): customers in
-- order of sales (invoiced amount in the months before as_of), share of
-- the total, running cumulative share, and abc_class(cum_share) with the
-- cuts in settings pareto.a_cut / pareto.b_cut.
--   overdue       open on as_of and past its due date (any days)
--   overdue_long  open on as_of and older than settings worst.overdue_days,
--                 counted from the invoice date (age=invoice, the default
--                 of settings worst.age_from) or from the due date (age=due)
--   paid_late     paid in the months before as_of more than grace days
--                 after the due date
--   flag 'best'   paid on time (nothing open more than grace days past due,
--                 nothing paid later than that in the months counted) and
--                 among the first top such customers by sales
--   flag 'worst'  poor sales (class B or C: not among the customers that
--                 make the first pareto.a_cut of sales) and overdue_long
--                 above settings worst.overdue_amount (the seed:
--                 销售差并有5万元以上超过120天的欠款)
-- of=hospital ranks hospitals by their sales (sale.amount of the months up
-- to the as_of month) with the same columns: a hospital's unit is its
-- territory; overdue, overdue_long and paid_late are NULL (receivables are
-- the paying customer's); a hospital is on time, and may be 'best', when
-- every distributor that served it in the months counted is; it is never
-- 'worst'.
-- Shares and classes are taken over all customers before the unit filter.
--
-- How (100,000 customers and a million invoices in well under two
-- seconds): payment_record() sums payments per invoice and invoices per
-- customer in C, one read of each table (pareto_cust), and the ranking runs
-- over one row per customer.
DROP TABLE IF EXISTS temp.pareto_per;
DROP TABLE IF EXISTS temp.pareto_cust;
DROP TABLE IF EXISTS temp.pareto_arg;

-- the parameters and settings, checked once
CREATE TEMP TABLE pareto_arg AS
-- settings imported from CSV hold numbers as text: read them as numbers
WITH setting AS (
  SELECT key, value,
         CASE WHEN typeof(value) IN ('integer', 'real') THEN value
              WHEN typeof(value) = 'text' AND trim(value) GLOB '*[0-9]*'
                   AND NOT trim(value) GLOB '*[^0-9.]*' AND NOT trim(value) GLOB '*.*.*'
                THEN trim(value) + 0
         END AS n
    FROM settings
),
arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('pareto: no invoices to take as_of from; give as_of=YYYY-MM-DD')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('pareto: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got ' || v)
         END AS as_of,
         CASE
           WHEN :months IS NULL THEN 12
           WHEN typeof(:months) = 'integer' AND :months > 0 THEN :months
           ELSE raise_error('pareto: months must be a positive whole number, got ' || :months)
         END AS months,
         CASE
           WHEN typeof(t) = 'integer' AND t >= 0 THEN t
           ELSE raise_error('pareto: top must be a whole number >= 0, got ' || t)
         END AS top,
         CASE
           WHEN :grace IS NULL THEN 30
           WHEN typeof(:grace) = 'integer' AND :grace >= 0 THEN :grace
           ELSE raise_error('pareto: grace must be a whole number of days >= 0, got ' || :grace)
         END AS grace,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('pareto: no unit ' || :unit)
           ELSE 1
         END AS ok,
         CASE
           WHEN coalesce(:of, 'customer') IN ('customer', 'hospital') THEN coalesce(:of, 'customer')
           ELSE raise_error('pareto: of must be customer or hospital, got ' || :of)
         END AS of,
         CASE
           WHEN ag IN ('invoice', 'due') THEN ag
           WHEN :age IS NOT NULL THEN raise_error('pareto: age must be invoice or due, got ' || :age)
           ELSE raise_error('pareto: setting worst.age_from must be invoice or due, got ' || quote(ag))
         END AS age
    FROM (SELECT coalesce(:age, (SELECT value FROM settings WHERE key = 'worst.age_from'), 'invoice') AS ag,
                 coalesce(:as_of, (SELECT max(d) FROM (SELECT max(date) AS d FROM invoice
                                                       UNION ALL
                                                       SELECT max(date) FROM payment))) AS v,
                 coalesce(:top, (SELECT n FROM setting WHERE key = 'best.count'), 30) AS t)
),
p0 AS (
  SELECT as_of, date(as_of, '-' || months || ' months') AS since, top, grace, of, age,
         (SELECT value FROM settings WHERE key = 'pareto.a_cut') AS a_cut,
         (SELECT value FROM settings WHERE key = 'pareto.b_cut') AS b_cut,
         (SELECT CASE WHEN value IS NULL THEN 120 WHEN n IS NOT NULL THEN n
                      ELSE raise_error('pareto: setting worst.overdue_days must be a number, got ' || value) END
            FROM (SELECT NULL) LEFT JOIN setting ON key = 'worst.overdue_days') AS worst_days,
         (SELECT CASE WHEN value IS NULL THEN 50000 WHEN n IS NOT NULL THEN n
                      ELSE raise_error('pareto: setting worst.overdue_amount must be a number, got ' || value) END
            FROM (SELECT NULL) LEFT JOIN setting ON key = 'worst.overdue_amount') AS worst_amount
    FROM arg WHERE as_of IS NOT NULL AND ok
)
SELECT * FROM p0;

-- per customer: sales, what is overdue and long owed on as_of, how many
-- invoices are open past grace, and what was paid late in the months
-- counted: payment_record() (ext/payrecord.c) reads payment and invoice
-- once each and sums in C, the same additions in the same order as summing
-- the payments per invoice and the invoices per customer in SQL; a since
-- before the year 0000 is no start at all
CREATE TEMP TABLE pareto_cust (customer_id INTEGER PRIMARY KEY, sales REAL, overdue REAL,
                               overdue_long REAL, late_open INTEGER, paid_late REAL);
INSERT INTO pareto_cust
SELECT r.customer_id, r.sales, r.overdue,
       CASE p.age WHEN 'due' THEN r.long_by_due ELSE r.long_by_date END,
       r.late_open, r.paid_late
  FROM pareto_arg p,
       payment_record(p.as_of, CASE WHEN p.since >= '0000-01-01' THEN p.since END, p.grace, p.worst_days) r;

CREATE TEMP TABLE pareto_per AS
SELECT c.id, c.name, c.unit_id,
       coalesce(pc.sales, 0) AS sales, coalesce(pc.overdue, 0) AS overdue,
       coalesce(pc.overdue_long, 0) AS overdue_long, coalesce(pc.late_open, 0) AS late_open,
       coalesce(pc.paid_late, 0) AS paid_late
  FROM customer c
  LEFT JOIN pareto_cust pc ON pc.customer_id = c.id;

WITH p AS (SELECT * FROM pareto_arg),
per AS (SELECT * FROM pareto_per),
-- hospitals: sales of the months counted; on time when all their distributors are
hper AS (
  SELECT h.id, h.name, h.unit_id,
         coalesce(sum(s.amount), 0) AS sales,
         NULL AS overdue, NULL AS overdue_long,
         CASE WHEN count(s.hospital_id) > 0
                   AND min(CASE WHEN s.customer_id IS NULL THEN 0
                                ELSE (SELECT c.late_open = 0 AND c.paid_late = 0 FROM per c
                                       WHERE c.id = s.customer_id) END) = 1
              THEN 0 ELSE 1 END AS late_open,
         NULL AS paid_late
    FROM p, hospital h
    LEFT JOIN sale s ON s.hospital_id = h.id AND s.period > substr(p.since, 1, 7)
                    AND s.period <= substr(p.as_of, 1, 7)
   WHERE p.of = 'hospital'
   GROUP BY h.id
),
every AS (
  SELECT id, name, unit_id, sales, overdue, overdue_long, late_open, paid_late
    FROM per, p WHERE p.of = 'customer'
  UNION ALL
  SELECT * FROM hper
),
tot AS (SELECT sum(sales) AS total FROM every),
-- one window, one sort: rank, running share and the on-time customers' rank
flagged AS (
  SELECT per.*,
         sales / nullif(tot.total, 0) AS share,
         sum(sales) OVER w / nullif(tot.total, 0) AS cum_share,
         row_number() OVER w AS rank,
         CASE WHEN late_open = 0 AND coalesce(paid_late, 0) = 0 AND sales > 0
              THEN sum(late_open = 0 AND coalesce(paid_late, 0) = 0 AND sales > 0) OVER w
         END AS on_time_rank
    FROM every per, tot
  WINDOW w AS (ORDER BY sales DESC, id ROWS UNBOUNDED PRECEDING)
)
SELECT f.rank, f.id AS customer_id, f.name AS customer, u.name AS unit,
       round(f.sales * 100.0) / 100.0 AS sales, round(f.share * 10000.0) / 10000.0 AS share,
       round(f.cum_share * 10000.0) / 10000.0 AS cum_share,
       abc_class(f.cum_share, p.a_cut, p.b_cut) AS class,
       round(f.overdue * 100.0) / 100.0 AS overdue, round(f.overdue_long * 100.0) / 100.0 AS overdue_long,
       round(f.paid_late * 100.0) / 100.0 AS paid_late,
       CASE WHEN f.overdue_long > p.worst_amount
                 AND abc_class(f.cum_share, p.a_cut, p.b_cut) <> 'A' THEN 'worst'
            WHEN f.on_time_rank <= p.top THEN 'best' END AS flag
  FROM flagged f, p
  LEFT JOIN org_unit u ON u.id = f.unit_id
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM p)
   AND (:unit IS NULL OR EXISTS (SELECT 1 FROM unit_tree t, org_unit x
         WHERE t.id = f.unit_id AND (x.id = :unit OR x.name = :unit)
           AND x.id IN (t.id, t.territory_id, t.district_id, t.region_id,
                        t.national_id, t.company_id)))
 ORDER BY f.rank;

DROP TABLE temp.pareto_per;
DROP TABLE temp.pareto_cust;
DROP TABLE temp.pareto_arg;
