-- workload: deciles()
-- needs: deciles
-- note: the deciles workload (every doctor x 5 products, per territory and product) through deciles(); (b) the window formulation with decile()
-- setup:
CREATE TEMP TABLE dv AS
SELECT h.unit_id AS t, r.product_id AS product, r.doctor_id AS doctor, r.rx_count AS v
  FROM rx r JOIN doctor d ON d.id = r.doctor_id
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id
 WHERE r.period = '2026-06';
-- a:
-- one group per territory and product: products are numbered 1..5
SELECT id, grp % 10, decile FROM deciles('SELECT t * 10 + product, doctor, v FROM temp.dv');
-- b:
SELECT doctor, product,
       decile(v, sum(v) OVER (PARTITION BY t, product ORDER BY v, doctor
                              ROWS UNBOUNDED PRECEDING),
              sum(v) OVER (PARTITION BY t, product))
  FROM dv;
-- floor:
SELECT doctor, product, v FROM dv;
