-- workload: progress
-- needs: time_progress pace
-- note: every monthly target with its actual sales, as of 2026-09-15
-- setup:
CREATE TEMP TABLE tp AS
SELECT t.id, t.amount, ifnull(s.actual, 0) AS actual,
       t.period || '-01' AS s, date(t.period || '-01', '+1 month', '-1 day') AS e
  FROM target t
  LEFT JOIN (SELECT h.unit_id, s.product_id, s.period, sum(s.amount) AS actual
               FROM sale s JOIN hospital h ON h.id = s.hospital_id
              GROUP BY 1, 2, 3) s
    ON s.unit_id = t.unit_id AND s.product_id = t.product_id AND s.period = t.period
 WHERE length(t.period) = 7;
-- a:
SELECT id, time_progress('2026-09-15', s, e), pace(actual, amount, '2026-09-15', s, e) FROM tp;
-- b:
-- ISO dates compare as text, so julianday() runs only inside the period
SELECT id, tp, CASE WHEN amount = 0 THEN NULL ELSE actual * 1.0 / amount - tp END
  FROM (SELECT id, amount, actual,
               CASE WHEN '2026-09-15' < s THEN 0.0
                    WHEN '2026-09-15' >= e THEN 1.0
                    ELSE (julianday('2026-09-15') - julianday(s) + 1)
                         / (julianday(e) - julianday(s) + 1) END AS tp
          FROM tp);
-- floor:
SELECT id, actual, amount, s, e FROM tp;
