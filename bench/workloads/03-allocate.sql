-- workload: allocate 1 x N
-- needs: allocate
-- note: 1,000,000,000 over every doctor's potential (product 1)
-- setup:
CREATE TEMP TABLE w(key INTEGER, weight INTEGER);
INSERT INTO w SELECT doctor_id, CAST(potential AS INTEGER) FROM rx
 WHERE period = '2026-06' AND product_id = 1 ORDER BY doctor_id;
-- a:
SELECT key, amount FROM allocate(1000000000, 'SELECT key, weight FROM temp.w');
-- b:
-- Hamilton: the floors, then the units left over to the largest remainders
-- (ties: larger weight, then input order).  Exact: the remainders share one
-- denominator, so they are compared as integers.
WITH s AS (SELECT sum(weight) AS sw FROM w),
     f AS (SELECT key, weight, w.rowid AS ord, 1000000000 * weight / sw AS fl,
                  1000000000 * weight % sw AS rem FROM w, s),
     g AS (SELECT key, fl, row_number() OVER (ORDER BY rem DESC, weight DESC, ord) AS rk,
                  1000000000 - sum(fl) OVER () AS lft FROM f)
SELECT key, fl + (rk <= lft) FROM g;
-- floor:
SELECT key, weight FROM w;
