-- workload: abc() customers
-- needs: abc
-- note: the pareto workload (customers by invoiced amount, one group) through abc(); (b) the window formulation with abc_class()
-- setup:
CREATE TEMP TABLE cust AS
SELECT customer_id AS id, sum(amount) AS amt FROM invoice GROUP BY customer_id;
-- a:
SELECT id, class FROM abc('SELECT 1, id, amt FROM temp.cust');
-- b:
SELECT id, abc_class(sum(amt) OVER (ORDER BY amt DESC, id ROWS UNBOUNDED PRECEDING)
                     / sum(amt) OVER ())
  FROM cust;
-- floor:
SELECT id, amt FROM cust;
