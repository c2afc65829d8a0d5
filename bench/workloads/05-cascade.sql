-- workload: cascade
-- needs: allocate
-- note: company 1,000,000,000 -> national -> region -> district -> territory -> hospital -> department -> doctor -> month
-- setup:
-- weights: every doctor's potential (product 1), summed up the tree; cw
-- holds (parent, child, weight) for the seven levels below the company,
-- with hospital, department and doctor ids offset so all keys differ
CREATE TEMP TABLE dw AS
SELECT r.doctor_id AS d, dp.id AS dept, h.id AS hosp, h.unit_id AS terr,
       CAST(r.potential AS INTEGER) AS w
  FROM rx r JOIN doctor d ON d.id = r.doctor_id
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id
 WHERE r.period = '2026-06' AND r.product_id = 1;
CREATE TEMP TABLE uw(id INTEGER PRIMARY KEY, w INTEGER);
INSERT INTO uw SELECT terr, sum(w) FROM dw GROUP BY terr;
INSERT INTO uw SELECT o.parent_id, sum(uw.w) FROM uw JOIN org_unit o ON o.id = uw.id
 WHERE o.level = 'territory' GROUP BY o.parent_id;
INSERT INTO uw SELECT o.parent_id, sum(uw.w) FROM uw JOIN org_unit o ON o.id = uw.id
 WHERE o.level = 'district' GROUP BY o.parent_id;
INSERT INTO uw SELECT o.parent_id, sum(uw.w) FROM uw JOIN org_unit o ON o.id = uw.id
 WHERE o.level = 'region' GROUP BY o.parent_id;
CREATE TEMP TABLE cw(parent INTEGER, child INTEGER, w INTEGER);
INSERT INTO cw SELECT o.parent_id, o.id, uw.w FROM org_unit o JOIN uw ON uw.id = o.id
 WHERE o.parent_id IS NOT NULL ORDER BY o.parent_id, o.id;
INSERT INTO cw SELECT terr, 10000000 + hosp, sum(w) FROM dw GROUP BY hosp ORDER BY terr, hosp;
INSERT INTO cw SELECT 10000000 + hosp, 20000000 + dept, sum(w) FROM dw GROUP BY dept
 ORDER BY hosp, dept;
INSERT INTO cw SELECT 20000000 + dept, 30000000 + d, w FROM dw ORDER BY dept, d;
CREATE INDEX temp.cw_parent ON cw(parent);
-- the month profile
CREATE TEMP TABLE season(m INTEGER PRIMARY KEY, w INTEGER);
INSERT INTO season VALUES (1, 70), (2, 80), (3, 95), (4, 100), (5, 100), (6, 105),
  (7, 100), (8, 95), (9, 105), (10, 110), (11, 115), (12, 125);
-- a:
WITH l0(id, amount) AS (VALUES (1, 1000000000)),
-- national
l1(id, amount) AS (
  SELECT a.key, a.amount
    FROM l0 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- regions
l2(id, amount) AS (
  SELECT a.key, a.amount
    FROM l1 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- districts
l3(id, amount) AS (
  SELECT a.key, a.amount
    FROM l2 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- territories
l4(id, amount) AS (
  SELECT a.key, a.amount
    FROM l3 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- hospitals
l5(id, amount) AS (
  SELECT a.key, a.amount
    FROM l4 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- departments
l6(id, amount) AS (
  SELECT a.key, a.amount
    FROM l5 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- doctors
l7(id, amount) AS (
  SELECT a.key, a.amount
    FROM l6 p, allocate(p.amount, 'SELECT child, w FROM temp.cw WHERE parent = ?1', p.id) a),
-- months: doctor id * 100 + month
l8(id, amount) AS (
  SELECT p.id * 100 + a.key, a.amount
    FROM l7 p, allocate(p.amount, 'SELECT m, w FROM temp.season') a)
SELECT id, amount FROM l8;
-- b:
-- each level: Hamilton rounding per parent with window functions, exact in
-- integer arithmetic (as in "allocate lateral")
WITH l0(id, amount) AS (VALUES (1, 1000000000)),
sw AS (SELECT parent, sum(w) AS sw FROM temp.cw GROUP BY parent),
-- national
l1(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l0 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- regions
l2(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l1 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- districts
l3(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l2 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- territories
l4(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l3 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- hospitals
l5(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l4 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- departments
l6(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l5 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- doctors
l7(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT c.parent, c.child AS id, c.w, c.rowid AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l6 p JOIN temp.cw c ON c.parent = p.id JOIN sw s ON s.parent = p.id))),
-- months
l8(id, amount) AS (
  SELECT id, fl + (rk <= lft) FROM (
    SELECT id, fl, row_number() OVER (PARTITION BY parent ORDER BY rem DESC, w DESC, ord) AS rk,
           pa - sum(fl) OVER (PARTITION BY parent) AS lft
      FROM (SELECT p.id AS parent, p.id * 100 + c.m AS id, c.w, c.m AS ord, p.amount AS pa,
                   p.amount * c.w / s.sw AS fl, p.amount * c.w % s.sw AS rem
              FROM l7 p, temp.season c, (SELECT sum(w) AS sw FROM temp.season) s)))
SELECT id, amount FROM l8;
-- floor:
SELECT parent, child, w FROM cw UNION ALL SELECT dw.d, m, season.w FROM dw, season;
