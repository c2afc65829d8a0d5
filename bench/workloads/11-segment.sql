-- workload: segment
-- needs: segment
-- note: the quadrants workload's doctors (product 1, 2026-06, medians within the territory) through segment(); (b) the pure-SQL median-and-join
-- setup:
CREATE TEMP TABLE q AS
SELECT h.unit_id AS t, r.doctor_id AS doctor, r.rx_count AS u, r.potential AS p
  FROM rx r JOIN doctor d ON d.id = r.doctor_id
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id
 WHERE r.period = '2026-06' AND r.product_id = 1
 ORDER BY h.unit_id, r.doctor_id;
-- a:
SELECT id, quadrant FROM segment('SELECT t, doctor, u, p FROM temp.q');
-- b:
-- medians from row_number() over each partition (the middle row, or the
-- mean of the two middle rows), joined back
WITH ru AS (SELECT t, u, row_number() OVER (PARTITION BY t ORDER BY u) AS k,
                   count(*) OVER (PARTITION BY t) AS n FROM q),
     rp AS (SELECT t, p, row_number() OVER (PARTITION BY t ORDER BY p) AS k,
                   count(*) OVER (PARTITION BY t) AS n FROM q),
     mu AS (SELECT t, avg(u) AS mu FROM ru WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY t),
     mp AS (SELECT t, avg(p) AS mp FROM rp WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY t)
SELECT q.doctor,
       CASE WHEN q.u >= mu.mu THEN CASE WHEN q.p >= mp.mp THEN 'B' ELSE 'A' END
            ELSE CASE WHEN q.p >= mp.mp THEN 'C' ELSE 'D' END END
  FROM q JOIN mu ON mu.t = q.t JOIN mp ON mp.t = q.t;
-- floor:
SELECT doctor, u, p FROM q;
