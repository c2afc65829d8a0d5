-- workload: allocate lateral
-- needs: allocate
-- note: each territory's 2026 target (product 1) over 100 weighted children
-- setup:
CREATE TEMP TABLE par(id INTEGER PRIMARY KEY, amount INTEGER);
INSERT INTO par SELECT unit_id, amount FROM target
 WHERE period = '2026' AND product_id = 1
   AND unit_id IN (SELECT id FROM org_unit WHERE level = 'territory')
 ORDER BY unit_id;
CREATE TEMP TABLE ch(parent INTEGER, key INTEGER, weight INTEGER);
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 100)
INSERT INTO ch SELECT par.id, k.n, (par.id * 7919 + k.n * 104729) % 997 + 1
  FROM par, k ORDER BY par.id, k.n;
CREATE INDEX temp.ch_parent ON ch(parent);
-- a:
SELECT p.id, a.key, a.amount
  FROM par p, allocate(p.amount, 'SELECT key, weight FROM temp.ch WHERE parent = ?1', p.id) a;
-- b:
WITH f AS (SELECT c.parent, c.key, c.weight, c.rowid AS ord, p.amount AS pa,
                  p.amount * c.weight / sum(c.weight) OVER (PARTITION BY c.parent) AS fl,
                  p.amount * c.weight % sum(c.weight) OVER (PARTITION BY c.parent) AS rem
             FROM par p JOIN ch c ON c.parent = p.id),
     g AS (SELECT parent, key, fl,
                  row_number() OVER (PARTITION BY parent ORDER BY rem DESC, weight DESC, ord) AS rk,
                  pa - sum(fl) OVER (PARTITION BY parent) AS lft
             FROM f)
SELECT parent, key, fl + (rk <= lft) FROM g;
-- floor:
SELECT parent, key, weight FROM ch;
