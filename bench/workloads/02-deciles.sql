-- workload: deciles
-- needs: decile
-- note: every doctor x 5 products, per territory and product
-- setup:
CREATE TEMP TABLE dv AS
SELECT h.unit_id AS t, r.product_id AS product, r.doctor_id AS doctor, r.rx_count AS v
  FROM rx r JOIN doctor d ON d.id = r.doctor_id
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id
 WHERE r.period = '2026-06';
-- a:
SELECT doctor, product,
       decile(v, sum(v) OVER (PARTITION BY t, product ORDER BY v, doctor
                              ROWS UNBOUNDED PRECEDING),
              sum(v) OVER (PARTITION BY t, product))
  FROM dv;
-- b:
-- ceil(10 * cum / total) in integer arithmetic; 0 for a zero volume
SELECT doctor, product, CASE WHEN v = 0 THEN 0 ELSE (10 * cum + tot - 1) / tot END
  FROM (SELECT doctor, product, v,
               sum(v) OVER (PARTITION BY t, product ORDER BY v, doctor
                            ROWS UNBOUNDED PRECEDING) AS cum,
               sum(v) OVER (PARTITION BY t, product) AS tot
          FROM dv);
-- floor:
SELECT doctor, product, v FROM dv;
