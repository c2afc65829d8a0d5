-- workload: abc()
-- needs: abc
-- note: A/B/C classes of every doctor x 5 products by volume, per territory and product, through abc(); (b) the window formulation with abc_class()
-- setup:
CREATE TEMP TABLE dv AS
SELECT h.unit_id AS t, r.product_id AS product, r.doctor_id AS doctor, r.rx_count AS v
  FROM rx r JOIN doctor d ON d.id = r.doctor_id
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id
 WHERE r.period = '2026-06';
-- a:
SELECT id, grp % 10, class FROM abc('SELECT t * 10 + product, doctor, v FROM temp.dv');
-- b:
SELECT doctor, product,
       abc_class(1.0 * sum(v) OVER (PARTITION BY t, product ORDER BY v DESC, doctor
                                    ROWS UNBOUNDED PRECEDING)
                 / nullif(sum(v) OVER (PARTITION BY t, product), 0))
  FROM dv;
-- floor:
SELECT doctor, product, v FROM dv;
