-- workload: pareto
-- needs: abc_class
-- note: customers by invoiced amount
-- setup:
CREATE TEMP TABLE cust AS
SELECT customer_id AS id, sum(amount) AS amt FROM invoice GROUP BY customer_id;
-- a:
SELECT id, abc_class(sum(amt) OVER (ORDER BY amt DESC, id ROWS UNBOUNDED PRECEDING)
                     / sum(amt) OVER ())
  FROM cust;
-- b:
SELECT id, CASE WHEN cs <= 0.80 THEN 'A' WHEN cs <= 0.95 THEN 'B' ELSE 'C' END
  FROM (SELECT id, sum(amt) OVER (ORDER BY amt DESC, id ROWS UNBOUNDED PRECEDING)
                   / sum(amt) OVER () AS cs
          FROM cust);
-- floor:
SELECT id, amt FROM cust;
