-- distributors: the distributor scorecard (商业客户选择) -- the assessed criteria, payment on time and returns of the year, weighted into one score and ranked
-- param: as_of = the latest invoice or payment date in the data (a date 'YYYY-MM-DD', or a period 'YYYY-MM' for its last day)
-- param: year = the year of as_of (YYYY: the year counted, up to as_of)
-- param: unit = all units (an org_unit id or name: distributors of that unit and of every unit below it)
-- param: grace = 0 (days past due still counted as paid on time)
--
-- The deck's choice of distributors (建立自己销售的商业渠道): 分销商的业务人员素质,
-- 财务状况和管理水准, 促销政策和综合服务能力, 预期合作的程度 -- scored 1..5 in
-- assessment for the year -- plus what is measured over the year up to
-- as_of (from 1 January, or the whole year for a year before as_of):
--   sales        invoiced amount
--   on_time      payments made within grace days of the due date, over
--                all payments plus what is open and past due (beyond
--                grace) at the end: a customer that stops paying scores 0
--   return_rate  returned / sold on its stock cards (inventory)
--   assessed     the average of the four criteria / 5
--   score        weighted mean of assessed, on_time and the returns score
--                max(0, 1 - return_rate / distributor.max_return_rate),
--                weights distributor.weight.assessment / .on_time /
--                .returns; a part with no data is left out and the
--                weights of the others count
-- Only customers of kind 'distributor', best score first (rank among
-- those shown).
WITH arg AS (
  -- raise_error stops the statement with our own message, so a mistyped
  -- parameter is an error, not an empty report
  SELECT CASE
           WHEN v IS NULL
             THEN raise_error('distributors: no invoices to take as_of from; give as_of=YYYY-MM-DD')
           WHEN date(julianday(v || '-01')) IS v || '-01' THEN date(v || '-01', '+1 month', '-1 day')
           WHEN date(julianday(v)) IS v THEN v
           ELSE raise_error('distributors: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got ' || v)
         END AS as_of,
         CASE
           WHEN :year IS NULL THEN NULL
           WHEN typeof(:year) = 'integer' AND :year BETWEEN 1000 AND 9999 THEN :year
           ELSE raise_error('distributors: year must be a year YYYY, got ' || :year)
         END AS year,
         CASE
           WHEN :grace IS NULL THEN 0
           WHEN typeof(:grace) = 'integer' AND :grace >= 0 THEN :grace
           ELSE raise_error('distributors: grace must be a whole number of days >= 0, got ' || :grace)
         END AS grace,
         CASE
           WHEN :unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = :unit OR name = :unit)
             THEN raise_error('distributors: no unit ' || :unit)
           ELSE 1
         END AS ok
    FROM (SELECT coalesce(:as_of, (SELECT max(d) FROM (SELECT max(date) AS d FROM invoice
                                                       UNION ALL
                                                       SELECT max(date) FROM payment))) AS v)
),
setting AS (
  SELECT CASE WHEN typeof(wa) IN ('integer', 'real') AND wa >= 0 AND typeof(wo) IN ('integer', 'real') AND wo >= 0
                   AND typeof(wr) IN ('integer', 'real') AND wr >= 0 AND wa + wo + wr > 0
              THEN 1
              ELSE raise_error('distributors: settings distributor.weight.assessment/on_time/returns must be numbers >= 0, not all 0')
         END AS ok,
         CASE WHEN typeof(mr) IN ('integer', 'real') AND mr > 0 THEN mr
              ELSE raise_error('distributors: setting distributor.max_return_rate must be a number > 0, got ' || quote(mr))
         END AS max_return,
         wa, wo, wr
    FROM (SELECT coalesce((SELECT value FROM settings WHERE key = 'distributor.weight.assessment'), 0.5) AS wa,
                 coalesce((SELECT value FROM settings WHERE key = 'distributor.weight.on_time'), 0.3) AS wo,
                 coalesce((SELECT value FROM settings WHERE key = 'distributor.weight.returns'), 0.2) AS wr,
                 coalesce((SELECT value FROM settings WHERE key = 'distributor.max_return_rate'), 0.05) AS mr)
),
p AS MATERIALIZED (
  SELECT y, y || '-01-01' AS first, min(as_of, y || '-12-31') AS last, grace,
         s.wa, s.wo, s.wr, s.max_return
    FROM (SELECT arg.*, coalesce(year, CAST(substr(as_of, 1, 4) AS INTEGER)) AS y FROM arg
           WHERE as_of IS NOT NULL AND ok) a,
         setting s
   WHERE s.ok
),
inv AS (
  -- one pass over the distributors' invoices in customer order (both
  -- GROUP BYs stream), each invoice with its payments up to p.last
  SELECT customer_id, sum(sales) AS sales, sum(paid) AS paid, sum(on_time) AS on_time,
         sum(CASE WHEN open >= 0.005 THEN open END) AS overdue
    FROM (SELECT c.id AS customer_id,
                 CASE WHEN i.date BETWEEN p.first AND p.last THEN i.amount END AS sales,
                 sum(CASE WHEN pm.date >= p.first THEN pm.amount END) AS paid,
                 sum(CASE WHEN pm.date < p.first THEN NULL
                          WHEN julianday(pm.date) - julianday(i.due_date) <= p.grace THEN pm.amount ELSE 0 END) AS on_time,
                 CASE WHEN i.date <= p.last AND julianday(p.last) - julianday(i.due_date) > p.grace
                      THEN i.amount - coalesce(sum(pm.amount), 0)
                 END AS open
            FROM customer c NOT INDEXED CROSS JOIN invoice i CROSS JOIN p
            LEFT JOIN payment pm ON pm.invoice_id = i.id AND pm.date <= p.last
           WHERE i.customer_id = c.id AND +c.kind = 'distributor'
           GROUP BY c.id, i.id)
   GROUP BY customer_id
),
ret AS (
  -- per distributor: its stock cards of the months counted (a PK lookup)
  SELECT c.id AS customer_id,
         (SELECT 1.0 * sum(v.returned) / nullif(sum(v.sold), 0) FROM inventory v
           WHERE v.customer_id = c.id
             AND v.period BETWEEN substr(p.first, 1, 7) AND substr(p.last, 1, 7)) AS rate
    FROM customer c NOT INDEXED CROSS JOIN p
   WHERE +c.kind = 'distributor'
),
per AS (
  SELECT c.id, c.name, c.unit_id, coalesce(n.sales, 0) AS sales,
         coalesce(n.on_time, 0) / nullif(coalesce(n.paid, 0) + coalesce(n.overdue, 0), 0) AS on_time,
         r.rate AS return_rate,
         a.staff, a.finance, a.promotion, a.cooperation,
         (coalesce(a.staff, 0) + coalesce(a.finance, 0) + coalesce(a.promotion, 0) + coalesce(a.cooperation, 0))
           / 5.0 / nullif((a.staff IS NOT NULL) + (a.finance IS NOT NULL)
                          + (a.promotion IS NOT NULL) + (a.cooperation IS NOT NULL), 0) AS assessed,
         max(0, 1 - r.rate / p.max_return) AS returns_score,
         p.wa, p.wo, p.wr
    FROM p, customer c
    LEFT JOIN inv n ON n.customer_id = c.id
    LEFT JOIN ret r ON r.customer_id = c.id
    LEFT JOIN assessment a ON a.customer_id = c.id AND CAST(a.year AS INTEGER) = p.y
   WHERE c.kind = 'distributor'
),
scored AS (
  SELECT per.*,
         (coalesce(wa * assessed, 0) + coalesce(wo * pd_on_time, 0) + coalesce(wr * returns_score, 0))
           / nullif(CASE WHEN assessed IS NOT NULL THEN wa ELSE 0 END
                    + CASE WHEN pd_on_time IS NOT NULL THEN wo ELSE 0 END
                    + CASE WHEN returns_score IS NOT NULL THEN wr ELSE 0 END, 0) AS score
    FROM (SELECT per.*, on_time AS pd_on_time FROM per) per
)
SELECT row_number() OVER (ORDER BY score IS NULL, score DESC, f.id) AS rank,
       f.id AS customer_id, f.name AS customer, u.name AS unit,
       round(f.sales * 100.0) / 100.0 AS sales, round(f.on_time * 10000.0) / 10000.0 AS on_time,
       round(f.return_rate * 10000.0) / 10000.0 AS return_rate,
       f.staff, f.finance, f.promotion, f.cooperation,
       round(f.assessed * 10000.0) / 10000.0 AS assessed, round(f.score * 10000.0) / 10000.0 AS score
  FROM scored f
  LEFT JOIN unit_tree u ON u.id = f.unit_id
 -- a constant term: the parameter checks run even when nothing matches
 WHERE EXISTS (SELECT 1 FROM p)
   AND (:unit IS NULL OR EXISTS (SELECT 1 FROM org_unit x
         WHERE (x.id = :unit OR x.name = :unit)
           AND x.id IN (u.id, u.territory_id, u.district_id, u.region_id,
                        u.national_id, u.company_id)))
 ORDER BY rank;
