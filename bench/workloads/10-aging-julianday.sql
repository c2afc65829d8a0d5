-- workload: aging (julianday)
-- needs: aging_bucket
-- note: the same, (b) as CASE on julianday() differences
-- a:
SELECT id, aging_bucket(due_date, '2026-09-15') FROM invoice;
-- b:
SELECT id, CASE WHEN d <= 0 THEN 'current' WHEN d <= 30 THEN '1-30'
                WHEN d <= 60 THEN '31-60' WHEN d <= 90 THEN '61-90'
                WHEN d <= 120 THEN '91-120' ELSE '>120' END
  FROM (SELECT id, julianday('2026-09-15') - julianday(due_date) AS d FROM invoice);
-- floor:
SELECT id, due_date FROM invoice;
