-- scorecard: per rep, the seed's evaluation measures (绩效评估) year to date, ranked within district and region
-- param: as_of = the latest sale period (the last month counted; 'YYYY-MM' or a date in it)
-- param: territory = all territories (an org_unit id or name: a rep territory, or a district, region, ... for every territory under it)
-- param: district = all districts (a district id or name)
-- param: region = all regions (a region id or name)
-- param: plan = current (the target plan to measure against)
--
-- One row per rep territory, over the year to date: January of the as_of
-- year up to the as_of month (dates: 1 January up to the month's last day).
--   sales            sale.amount into the territory's hospitals
--   target           the territory's sales target rows of the plan (a
--                    period's own row, hospital_id NULL, else the sum of
--                    its hospital rows; department and doctor rows do not
--                    count), per product: month rows of the year to date
--                    when the product has month rows that year; else quarter
--                    rows, the running quarter pro rata by months; else the
--                    year row x months / 12
--   achievement      achievement(sales, target)
--   growth           sales / sales of the same months last year - 1
--   market_share     Rx of our products by the territory's doctors / their
--                    Rx of the products' classes, ours and competitors' (rx_class)
--   collected        payments received in the year to date
--   collection_rate  of the invoices that fell due in the year to date, the
--                    share paid by as_of
--   receivables      open invoice balance on the as_of date
--   new_hospitals    hospitals whose first ever sale is in the year to date
--   churned          hospitals that bought last year but not in the last
--                    three months up to as_of
--   return_rate      stock returned / stock received on the customers' cards
--   spend_ratio      the territory's expenses / its sales
--   rank_district, rank_region   RANK() by achievement, best first
-- Money of a customer (distributor) belongs to the territory named in
-- customer.unit_id; a customer looked after by a district or region is
-- split among territories by their share of its sales (sale.customer_id)
-- in the year to date.  Ranks are taken before the filters, so a filtered
-- rep keeps its place among its peers.
DROP TABLE IF EXISTS temp.scorecard_hosp;
DROP TABLE IF EXISTS temp.scorecard_money;
DROP TABLE IF EXISTS temp.scorecard_card;
DROP TABLE IF EXISTS temp.scorecard_arg;
DROP TABLE IF EXISTS temp.scorecard_mkt;

-- the parameters, checked once
CREATE TEMP TABLE scorecard_arg AS
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('scorecard: no sales to take as_of from; give as_of=YYYY-MM')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN v
           WHEN date(julianday(v)) IS v THEN substr(v, 1, 7)
           ELSE raise_error('scorecard: as_of must be a period YYYY-MM or a date YYYY-MM-DD, got ' || v)
         END AS p_to,
         CASE
           WHEN :territory IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :territory OR name = :territory)
             THEN raise_error('scorecard: no unit ' || :territory)
           WHEN :district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE level = 'district'
                                                       AND (id = :district OR name = :district))
             THEN raise_error('scorecard: no district ' || :district)
           WHEN :region IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE level = 'region'
                                                     AND (id = :region OR name = :region))
             THEN raise_error('scorecard: no region ' || :region)
           WHEN :plan IS NOT NULL AND NOT EXISTS (SELECT 1 FROM target WHERE plan = :plan)
             THEN raise_error('scorecard: no plan ' || :plan)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(period) FROM sale)) AS v)
),
p AS (
  SELECT p_to,
         substr(p_to, 1, 4) || '-01' AS p_from,
         substr(p_to, 1, 4) AS y,
         CAST(substr(p_to, 6, 2) AS INTEGER) AS mm,
         (CAST(substr(p_to, 1, 4) AS INTEGER) - 1) || '-01' AS ly_from,
         (CAST(substr(p_to, 1, 4) AS INTEGER) - 1) || substr(p_to, 5) AS ly_to,
         strftime('%Y-%m', p_to || '-01', '-2 months') AS recent_from,
         substr(p_to, 1, 4) || '-01-01' AS d_from,
         date(p_to || '-01', '+1 month', '-1 day') AS d_to,
         coalesce(:plan, 'current') AS plan,
         (CAST(substr(p_to, 1, 4) AS INTEGER) - 1) || '-12' AS ly_end,
         -- the running quarter (1-4) and its months elapsed (1-3)
         (CAST(substr(p_to, 6, 2) AS INTEGER) + 2) / 3 AS qn,
         CAST(substr(p_to, 6, 2) AS INTEGER) - 3 * ((CAST(substr(p_to, 6, 2) AS INTEGER) + 2) / 3 - 1) AS q_months
    FROM arg WHERE p_to IS NOT NULL AND ok
)
SELECT p.* FROM p;

-- our products' Rx over their classes' Rx (ours and the competitors'), rx_class:
-- rx_market(..., 'territory') sums over the year to date per doctor and
-- then per territory in C (rx read once, one seek per month and product;
-- each doctor placed through its department's hospital; the same sums in
-- the same order as grouping its per-doctor rows by hospital.unit_id in
-- SQL).  First of the report's reads: its pages (the month's prescriptions
-- through rx_period) are the ones the last run read last, so a report run
-- again finds them in the page cache.
CREATE TEMP TABLE scorecard_mkt (id INTEGER PRIMARY KEY, share REAL);
INSERT INTO scorecard_mkt
SELECT u.unit_id, CAST(u.usage AS REAL) / nullif(u.potential, 0)
  FROM scorecard_arg p, rx_market(p.p_from, p.p_to, 'territory') u;

-- per customer: collected in the year to date, the invoices that fell due
-- in it and what of them was paid by as_of, the open balance on as_of:
-- collections() (ext/collections.c) reads payment and invoice once each
-- and sums in C, the same additions in the same order as summing each
-- invoice's payments and then the invoices per customer in SQL
CREATE TEMP TABLE scorecard_money (customer_id INTEGER PRIMARY KEY, collected REAL, due REAL,
                                   due_paid REAL, receivables REAL);
INSERT INTO scorecard_money
SELECT m.customer_id, m.collected, m.due, m.due_paid, m.receivables
  FROM scorecard_arg p, collections(p.d_from, p.d_to) m;

-- per customer: stock returned and received on its cards in the year to
-- date; grouped in the inventory key's order (customer first) and stored
-- by customer id, so the money join below looks each customer up by key
-- (a join to the grouping itself built an automatic index on it)
CREATE TEMP TABLE scorecard_card (customer_id INTEGER PRIMARY KEY, returned, received);
INSERT INTO scorecard_card
SELECT k.customer_id, sum(k.returned), sum(k.received)
  FROM scorecard_arg p, inventory k
 WHERE k.period BETWEEN p.p_from AND p.p_to
 GROUP BY k.customer_id;

-- per hospital that sold up to as_of: sales of the year to date and of
-- the same months last year, whether its first sale ever is in the year to
-- date, and whether it bought last year but not in the last three months;
-- each a range seek into sale_hospital_period (hospital, period, amount),
-- reading only the months it needs
CREATE TEMP TABLE scorecard_hosp (hospital_id INTEGER PRIMARY KEY, ytd REAL, ly REAL,
                                  first_ytd INTEGER, churned INTEGER);
INSERT INTO scorecard_hosp
SELECT h.id,
       (SELECT sum(s.amount) FROM sale s
         WHERE s.hospital_id = h.id AND s.period BETWEEN p.p_from AND p.p_to),
       (SELECT sum(s.amount) FROM sale s
         WHERE s.hospital_id = h.id AND s.period BETWEEN p.ly_from AND p.ly_to),
       (SELECT s.period FROM sale s
         WHERE s.hospital_id = h.id AND s.period <= p.p_to AND s.amount > 0
         ORDER BY s.period LIMIT 1) BETWEEN p.p_from AND p.p_to,
       EXISTS (SELECT 1 FROM sale s
                WHERE s.hospital_id = h.id AND s.period BETWEEN p.ly_from AND p.ly_end AND s.amount > 0)
       AND NOT EXISTS (SELECT 1 FROM sale s
                        WHERE s.hospital_id = h.id AND s.period BETWEEN p.recent_from AND p.p_to
                          AND s.amount > 0)
  FROM scorecard_arg p, hospital h
 WHERE EXISTS (SELECT 1 FROM sale s WHERE s.hospital_id = h.id AND s.period <= p.p_to);

WITH p AS (SELECT * FROM scorecard_arg),
rep AS (
  SELECT t.id, t.name, t.district_id, t.region_id, t.national_id, t.company_id
    FROM unit_tree t WHERE t.level = 'territory'
),
-- sales walks territory -> hospital and looks up the per-hospital table
-- above by its key: rows arrive grouped by territory, so nothing is
-- sorted.  It also counts the new and churned hospitals.
sales AS (
  SELECT h.unit_id AS id, sum(x.ytd) AS ytd, sum(x.ly) AS ly,
         sum(x.first_ytd) AS new_hospitals, sum(x.churned) AS churned
    FROM hospital h JOIN scorecard_hosp x ON x.hospital_id = h.id
   GROUP BY h.unit_id
),
-- a territory's sales target per product from own_targets() (ext/
-- owntargets.c: target read once in table order, in C), the plan's and
-- year's periods side by side: a period's value is the territory's own
-- row (hospital_id NULL), else, with 'hospitals', the sum of its hospital
-- rows (a plan may phase hospitals only; a hospital row counts only when
-- the period has no own row; department and doctor rows break a
-- hospital's down and do not count).  Month rows sum whole up to as_of;
-- else quarter rows: the quarters before the running one whole, the
-- running one's x months elapsed / 3; else the year row x months / 12.
-- Products in id order, as the rows come.
tgt AS (
  SELECT o.unit_id AS id,
         sum(CASE
               WHEN coalesce(o.m1, o.m2, o.m3, o.m4, o.m5, o.m6, o.m7, o.m8, o.m9, o.m10, o.m11, o.m12)
                    IS NOT NULL
                 THEN CASE WHEN p.mm >= 1 THEN coalesce(o.m1, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 2 THEN coalesce(o.m2, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 3 THEN coalesce(o.m3, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 4 THEN coalesce(o.m4, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 5 THEN coalesce(o.m5, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 6 THEN coalesce(o.m6, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 7 THEN coalesce(o.m7, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 8 THEN coalesce(o.m8, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 9 THEN coalesce(o.m9, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 10 THEN coalesce(o.m10, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 11 THEN coalesce(o.m11, 0) ELSE 0 END
                      + CASE WHEN p.mm >= 12 THEN coalesce(o.m12, 0) ELSE 0 END
               WHEN coalesce(o.q1, o.q2, o.q3, o.q4) IS NOT NULL
                 -- the quarters before the running one (qn), then the
                 -- running one pro rata
                 THEN CASE WHEN p.qn > 1 THEN coalesce(o.q1, 0) ELSE 0 END
                      + CASE WHEN p.qn > 2 THEN coalesce(o.q2, 0) ELSE 0 END
                      + CASE WHEN p.qn > 3 THEN coalesce(o.q3, 0) ELSE 0 END
                      + coalesce(CASE p.qn WHEN 1 THEN o.q1 WHEN 2 THEN o.q2 WHEN 3 THEN o.q3 ELSE o.q4 END, 0)
                        * p.q_months / 3.0
               -- only the year row
               ELSE o.y * p.mm / 12.0
             END) AS amount
    FROM p, own_targets(p.plan, p.y, 'hospitals') o
   WHERE o.kind = 'sales'
   GROUP BY o.unit_id
),
-- the market share (scorecard_mkt, above)
mkt AS (SELECT id, share FROM scorecard_mkt),
-- each customer's weight in each territory: a territory's own customers
-- whole, the others by their sales (only theirs are grouped)
own AS (
  SELECT c.id AS customer_id, c.unit_id AS id, 1.0 AS w
    FROM customer c JOIN org_unit u ON u.id = c.unit_id
   WHERE u.level = 'territory'
),
cust_sales AS (
  SELECT s.customer_id, h.unit_id AS id, sum(s.amount) AS amount
    FROM p
    -- no row at all (and no read of sale) when every customer is a territory's
    CROSS JOIN (SELECT 1 FROM customer c WHERE c.id NOT IN (SELECT customer_id FROM own) LIMIT 1)
    CROSS JOIN sale s JOIN hospital h ON h.id = s.hospital_id
   WHERE s.customer_id IS NOT NULL AND s.period BETWEEN p.p_from AND p.p_to
     AND s.customer_id NOT IN (SELECT customer_id FROM own)
   GROUP BY s.customer_id, h.unit_id
),
cust AS (
  SELECT customer_id, id, w FROM own
  UNION ALL
  SELECT customer_id, id, amount / sum(amount) OVER (PARTITION BY customer_id)
    FROM cust_sales
   WHERE customer_id NOT IN (SELECT customer_id FROM own)
),
-- per customer first (scorecard_money above), then shared out by weight
inv_c AS (
  SELECT customer_id, collected, due_paid, due, receivables FROM scorecard_money
),
card_c AS (
  SELECT customer_id, returned, received FROM scorecard_card
),
money AS (
  SELECT cust.id,
         sum(cust.w * inv_c.collected) AS collected,
         sum(cust.w * inv_c.due_paid) AS due_paid,
         sum(cust.w * inv_c.due) AS due,
         sum(cust.w * inv_c.receivables) AS receivables,
         sum(cust.w * card_c.returned) AS returned,
         sum(cust.w * card_c.received) AS received
    FROM cust
    LEFT JOIN inv_c ON inv_c.customer_id = cust.customer_id
    LEFT JOIN card_c ON card_c.customer_id = cust.customer_id
   GROUP BY cust.id
),
spend AS (
  SELECT e.unit_id AS id, sum(e.amount) AS amount
    FROM expense e WHERE e.period BETWEEN (SELECT p_from FROM p) AND (SELECT p_to FROM p)
   GROUP BY e.unit_id
),
card AS (
  SELECT rep.id, rep.name, rep.district_id, rep.region_id, rep.national_id, rep.company_id,
         coalesce(sales.ytd, 0) AS sales, sales.ly, tgt.amount AS target,
         achievement(coalesce(sales.ytd, 0), tgt.amount) AS achievement,
         mkt.share, money.collected, money.due_paid, money.due, money.receivables,
         money.returned, money.received,
         coalesce(sales.new_hospitals, 0) AS new_hospitals,
         coalesce(sales.churned, 0) AS churned,
         coalesce(spend.amount, 0) AS spend
    FROM rep
    LEFT JOIN sales ON sales.id = rep.id
    LEFT JOIN tgt ON tgt.id = rep.id
    LEFT JOIN mkt ON mkt.id = rep.id
    LEFT JOIN money ON money.id = rep.id
    LEFT JOIN spend ON spend.id = rep.id
),
ranked AS (
  SELECT card.*,
         rank() OVER (PARTITION BY district_id ORDER BY achievement DESC) AS rank_district,
         rank() OVER (PARTITION BY region_id ORDER BY achievement DESC) AS rank_region
    FROM card
)
SELECT r.id AS territory_id, r.name AS territory, d.name AS district, g.name AS region,
       round(r.sales * 100.0) / 100.0 AS sales, round(r.target * 100.0) / 100.0 AS target,
       round(r.achievement * 10000.0) / 10000.0 AS achievement,
       round((r.sales / nullif(r.ly, 0) - 1) * 10000.0) / 10000.0 AS growth,
       round(r.share * 10000.0) / 10000.0 AS market_share,
       round((coalesce(r.collected, 0)) * 100.0) / 100.0 AS collected,
       round((r.due_paid / nullif(r.due, 0)) * 10000.0) / 10000.0 AS collection_rate,
       round((coalesce(r.receivables, 0)) * 100.0) / 100.0 AS receivables,
       r.new_hospitals, r.churned,
       round((r.returned / nullif(r.received, 0)) * 10000.0) / 10000.0 AS return_rate,
       round((r.spend / nullif(r.sales, 0)) * 10000.0) / 10000.0 AS spend_ratio,
       r.rank_district, r.rank_region
  FROM ranked r
  LEFT JOIN org_unit d ON d.id = r.district_id
  LEFT JOIN org_unit g ON g.id = r.region_id
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM p)
   AND (:territory IS NULL OR EXISTS (SELECT 1 FROM org_unit f
         WHERE (f.id = :territory OR f.name = :territory)
           AND f.id IN (r.id, r.district_id, r.region_id, r.national_id, r.company_id)))
   AND (:district IS NULL OR r.district_id = :district OR d.name = :district)
   AND (:region IS NULL OR r.region_id = :region OR g.name = :region)
 ORDER BY r.region_id, r.district_id, r.rank_district, r.id;

DROP TABLE temp.scorecard_hosp;
DROP TABLE temp.scorecard_money;
DROP TABLE temp.scorecard_card;
DROP TABLE temp.scorecard_arg;
DROP TABLE temp.scorecard_mkt;
