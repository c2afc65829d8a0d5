-- workload: aging
-- needs: aging_bucket
-- note: every invoice, as of 2026-09-15
-- a:
SELECT id, aging_bucket(due_date, '2026-09-15') FROM invoice;
-- b:
-- ISO dates compare as text; the bucket edges are constants SQLite computes
-- once, so this beats CASE on julianday() differences (next workload)
SELECT id, CASE WHEN due_date >= '2026-09-15' THEN 'current'
                WHEN due_date >= date('2026-09-15', '-30 days') THEN '1-30'
                WHEN due_date >= date('2026-09-15', '-60 days') THEN '31-60'
                WHEN due_date >= date('2026-09-15', '-90 days') THEN '61-90'
                WHEN due_date >= date('2026-09-15', '-120 days') THEN '91-120'
                ELSE '>120' END
  FROM invoice;
-- floor:
SELECT id, due_date FROM invoice;
