-- decompose: push a yearly target down the organisation to rep territories, hospitals and months (preview; mode=write saves it)
-- param: product (required) the product id or name
-- param: year = the year after the latest sale of the product
-- param: unit = the company (the root of org_unit); an org_unit id or name
-- param: total = the unit's target for the year in the plan, else its last 12 months' sales x (1 + decompose.growth)
-- param: plan = current
-- param: mode = preview (write: replace the plan's targets of the unit's subtree for the product and year)
-- param: doctors = 0 (1: hospital targets also go down to departments and doctors)
--
-- The standard cascade (目标分解), every step an exact allocate():
--   unit -> its child units -> ... -> rep territories -> hospitals -> months
--   and with doctors=1 also hospital -> departments -> doctors.
-- Weights, among the children of one parent:
--   w = h * (child's history / siblings' history)
--     + (1 - h) * (child's potential / siblings' potential)
-- with h = settings decompose.history_weight.  History is the last 12
-- months of sales (yuan) of the product before the year (ending at the
-- latest sale period, at most December of the year before).  Potential is
-- the departments' dept_potential() over a year (settings
-- workdays_per_month x 12).  When the siblings have no history the
-- potential alone decides, and the other way round; with neither they
-- share equally.
-- Hospitals not yet developed count from their expected_entry month only:
-- their potential is scaled by the share of the year left from that month
-- (0 when the entry is after the year, or unknown for an 'undeveloped'
-- hospital), and their months before entry get nothing.
-- Months follow settings decompose.season: 'history' (the hospital's own
-- sales by calendar month in the history window, else the product's
-- company-wide profile, else equal) or a JSON array of 12 weights.
-- Departments: history = their doctors' prescriptions (rx_count) of the
-- product, potential = dept_potential(); doctors: history = rx_count,
-- potential = the doctor's Rx of the product's class (view rx_class), both
-- over the history window; departments use the product's class (view
-- product_usage: 0 where the department does not use the class).
-- The result stays in temp.decompose_out (level, unit_id, hospital_id,
-- department_id, doctor_id, period, share, amount) for further queries.
-- mode=write deletes the plan's targets of the product for the year (its
-- 'YYYY', 'YYYY-Qn' and 'YYYY-MM' periods) of every unit in the subtree,
-- then inserts the new ones; the report runs in one savepoint, so an error
-- leaves the database as it was.

DROP TABLE IF EXISTS temp.decompose_out;
DROP TABLE IF EXISTS temp.dc_param;
DROP TABLE IF EXISTS temp.dc_unit;
DROP TABLE IF EXISTS temp.dc_hosp;
DROP TABLE IF EXISTS temp.dc_unit_w;
DROP TABLE IF EXISTS temp.dc_hosp_w;
DROP TABLE IF EXISTS temp.dc_own;
DROP TABLE IF EXISTS temp.dc_month_w;
DROP TABLE IF EXISTS temp.dc_doc;
DROP TABLE IF EXISTS temp.dc_dept_w;
DROP TABLE IF EXISTS temp.dc_doc_w;

-- Parameters, checked and resolved: raise_error stops the statement with
-- our own message.
CREATE TEMP TABLE dc_param AS
WITH
-- settings values as numbers: numbers, or text that reads as a JSON number
-- ('0.6' from a CSV import); anything else stays as it is, to be refused
setting(key, num) AS (
  SELECT key, CASE WHEN typeof(value) = 'text' AND json_valid(value)
                        AND json_type(value) IN ('integer', 'real')
                   THEN json_extract(value, '$') ELSE value END
    FROM settings
),
p0 AS (
  SELECT (SELECT id FROM product WHERE id = :product OR name = :product
           ORDER BY id = :product DESC LIMIT 1) AS product,
         CASE WHEN :unit IS NULL
              THEN (SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1)
              ELSE (SELECT id FROM org_unit WHERE id = :unit OR name = :unit
                     ORDER BY id = :unit DESC LIMIT 1) END AS unit,
         coalesce(:plan, 'current') AS plan,
         coalesce(:mode, 'preview') AS mode,
         coalesce(:doctors, 0) AS doctors,
         (SELECT num FROM setting WHERE key = 'decompose.history_weight') AS h,
         (SELECT num FROM setting WHERE key = 'decompose.growth') AS growth,
         coalesce((SELECT value FROM settings WHERE key = 'decompose.season'), 'history') AS season,
         coalesce((SELECT num FROM setting WHERE key = 'workdays_per_month'), 22) AS workdays
),
p1 AS (
  SELECT p0.*,
         coalesce(:year, (SELECT CAST(substr(max(period), 1, 4) AS INTEGER) + 1
                            FROM sale WHERE product_id = p0.product)) AS year
    FROM p0
),
checked AS (
  SELECT p1.*,
    CASE
      WHEN product IS NULL THEN raise_error('decompose: no such product: ' || :product)
      WHEN unit IS NULL THEN raise_error('decompose: no such unit: ' || coalesce(:unit, '(no root unit in org_unit)'))
      WHEN year IS NULL THEN raise_error('decompose: give year (the product has no sales to infer it from)')
      WHEN typeof(year) <> 'integer' OR year NOT BETWEEN 1000 AND 9999
        THEN raise_error('decompose: year must be a year like 2027, got ' || year)
      WHEN mode NOT IN ('preview', 'write')
        THEN raise_error('decompose: mode must be preview or write, got ' || mode)
      WHEN doctors NOT IN (0, 1)
        THEN raise_error('decompose: doctors must be 0 or 1, got ' || doctors)
      WHEN typeof(plan) <> 'text' OR plan = ''
        THEN raise_error('decompose: plan must be a name, got ' || plan)
      WHEN :total IS NOT NULL AND (typeof(:total) NOT IN ('integer', 'real') OR :total < 0
                                   OR :total <> CAST(:total AS INTEGER))
        THEN raise_error('decompose: total must be a non-negative whole number of yuan, got ' || :total)
      WHEN typeof(h) NOT IN ('integer', 'real') OR h NOT BETWEEN 0 AND 1
        THEN raise_error('decompose: settings decompose.history_weight must be between 0 and 1, got ' || coalesce(h, 'nothing'))
      WHEN :total IS NULL AND (typeof(growth) NOT IN ('integer', 'real') OR growth < -1)
        THEN raise_error('decompose: settings decompose.growth must be a number >= -1, got ' || coalesce(growth, 'nothing'))
      WHEN season <> 'history' AND NOT (
             json_valid(season) AND json_type(season) = 'array'
             AND json_array_length(season) = 12
             AND (SELECT count(*) FROM json_each(season)
                   WHERE type IN ('integer', 'real') AND value >= 0) = 12
             AND (SELECT sum(value) FROM json_each(season)) > 0)
        THEN raise_error('decompose: settings decompose.season must be history or a JSON array of 12 non-negative weights, got ' || season)
    END AS bad
    FROM p1
),
win AS (
  SELECT checked.*,
         min(coalesce((SELECT max(period) FROM sale WHERE product_id = checked.product),
                      (year - 1) || '-12'),
             (year - 1) || '-12') AS win_end
    FROM checked
)
SELECT product, unit, plan, mode, doctors, h, growth, season, workdays, year,
       strftime('%Y-%m', win_end || '-01', '-11 months') AS win_start, win_end,
       CAST(:total AS INTEGER) AS total_given, bad
  FROM win;

-- The unit and everything under it.
CREATE TEMP TABLE dc_unit AS
WITH RECURSIVE sub(id, parent_id, level, depth) AS (
  SELECT o.id, o.parent_id, o.level, 0 FROM org_unit o, dc_param p WHERE o.id = p.unit
  UNION ALL
  SELECT o.id, o.parent_id, o.level, s.depth + 1
    FROM org_unit o JOIN sub s ON o.parent_id = s.id
)
SELECT * FROM sub;
CREATE INDEX temp.dc_unit_parent ON dc_unit(parent_id);

-- Hospitals of the subtree: history, potential, and the share of the year
-- they count for (factor) from their entry month.
CREATE TEMP TABLE dc_hosp AS
WITH h AS (
  SELECT h.id AS hospital_id, h.unit_id,
         (SELECT total(s.amount) FROM sale s
           WHERE s.hospital_id = h.id AND s.product_id = p.product
             AND s.period BETWEEN p.win_start AND p.win_end) AS ly,
         (SELECT total(dept_potential(u.daily_patients, u.usage_rate,
                                      u.rx_per_patient, p.workdays * 12))
            FROM department d JOIN product_usage u ON u.department_id = d.id
           WHERE d.hospital_id = h.id AND u.product_id = p.product) AS pot,
         CASE
           WHEN h.status = 'developed' THEN 1
           WHEN h.expected_entry IS NULL THEN CASE h.status WHEN 'target' THEN 1 ELSE 13 END
           WHEN CAST(substr(h.expected_entry, 1, 4) AS INTEGER) < p.year THEN 1
           WHEN CAST(substr(h.expected_entry, 1, 4) AS INTEGER) > p.year THEN 13
           ELSE CAST(substr(h.expected_entry, 6, 2) AS INTEGER)
         END AS entry_month
    FROM hospital h, dc_param p
   WHERE h.unit_id IN (SELECT id FROM dc_unit)
)
SELECT hospital_id, unit_id, ly, pot, entry_month,
       (13 - entry_month) / 12.0 AS factor,
       pot * (13 - entry_month) / 12.0 AS pot_eff
  FROM h;
CREATE INDEX temp.dc_hosp_unit ON dc_hosp(unit_id);

-- Child-unit weights: history and (entry-scaled) potential of all the
-- hospitals below each unit, blended among siblings.
CREATE TEMP TABLE dc_unit_w AS
WITH RECURSIVE anc(unit_id, anc_id) AS (
  SELECT id, id FROM dc_unit
  UNION ALL
  SELECT a.unit_id, u.parent_id FROM anc a JOIN dc_unit u ON u.id = a.anc_id WHERE u.depth > 0
),
agg AS (
  SELECT u.id, u.parent_id, u.depth,
         (SELECT total(h.ly) FROM anc a JOIN dc_hosp h ON h.unit_id = a.unit_id WHERE a.anc_id = u.id) AS ly,
         (SELECT total(h.pot_eff) FROM anc a JOIN dc_hosp h ON h.unit_id = a.unit_id WHERE a.anc_id = u.id) AS pot
    FROM dc_unit u WHERE u.depth > 0
),
sib AS (
  SELECT agg.*, sum(ly) OVER (PARTITION BY parent_id) AS sly,
         sum(pot) OVER (PARTITION BY parent_id) AS spot
    FROM agg
)
SELECT parent_id, id,
       CASE WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p;
CREATE INDEX temp.dc_unit_w_parent ON dc_unit_w(parent_id, id);

CREATE TEMP TABLE dc_hosp_w AS
WITH sib AS (
  SELECT h.*, sum(ly) OVER (PARTITION BY unit_id) AS sly,
         sum(pot_eff) OVER (PARTITION BY unit_id) AS spot
    FROM dc_hosp h
)
SELECT unit_id, hospital_id,
       CASE WHEN factor = 0 THEN 0
            WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot_eff / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot_eff / spot
            ELSE factor END AS w
  FROM sib, dc_param p;
CREATE INDEX temp.dc_hosp_w_unit ON dc_hosp_w(unit_id, hospital_id);

-- Month weights of every hospital, zero before its entry month.  Sales by
-- hospital and calendar month in the history window, read once.
CREATE TEMP TABLE dc_own AS
SELECT s.hospital_id, CAST(substr(s.period, 6, 2) AS INTEGER) AS month, total(s.amount) AS v
  FROM sale s, dc_param p
 WHERE s.product_id = p.product AND s.period BETWEEN p.win_start AND p.win_end
 GROUP BY 1, 2;
CREATE INDEX temp.dc_own_h ON dc_own(hospital_id, month);

CREATE TEMP TABLE dc_month_w AS
WITH RECURSIVE m(month) AS (SELECT 1 UNION ALL SELECT month + 1 FROM m WHERE month < 12),
company AS (SELECT month, total(v) AS v FROM dc_own GROUP BY month),
ctotal AS (SELECT total(v) AS v FROM dc_own),
htotal AS (SELECT hospital_id, total(v) AS v FROM dc_own GROUP BY hospital_id),
profile AS (
  SELECT h.hospital_id, h.entry_month, m.month,
         CASE
           WHEN p.season <> 'history' THEN json_extract(p.season, '$[' || (m.month - 1) || ']')
           WHEN ht.v > 0 THEN coalesce(o.v, 0)
           WHEN ct.v > 0 THEN coalesce(c.v, 0)
           ELSE 1 END AS v
    FROM dc_hosp h CROSS JOIN m CROSS JOIN dc_param p CROSS JOIN ctotal ct
    LEFT JOIN htotal ht ON ht.hospital_id = h.hospital_id
    LEFT JOIN dc_own o ON o.hospital_id = h.hospital_id AND o.month = m.month
    LEFT JOIN company c ON c.month = m.month
),
allowed AS (
  SELECT profile.*, month >= entry_month AS ok,
         sum(CASE WHEN month >= entry_month THEN v ELSE 0 END)
           OVER (PARTITION BY hospital_id) AS sv
    FROM profile
)
SELECT hospital_id, month,
       CASE WHEN NOT ok THEN 0 WHEN sv > 0 THEN v ELSE 1 END AS w
  FROM allowed
 ORDER BY hospital_id, month;
CREATE INDEX temp.dc_month_w_h ON dc_month_w(hospital_id, month);

-- Departments and doctors (doctors=1): each doctor's prescriptions and
-- potential in the history window, read once.
CREATE TEMP TABLE dc_doc AS
WITH hist AS (
  SELECT r.doctor_id, total(r.rx_count) AS ly, total(r.class_rx) AS pot
    FROM rx_class r, dc_param p
   WHERE p.doctors = 1 AND r.product_id = p.product
     AND r.period BETWEEN p.win_start AND p.win_end
   GROUP BY r.doctor_id
)
SELECT dr.department_id, dr.id AS doctor_id, coalesce(hist.ly, 0) AS ly, coalesce(hist.pot, 0) AS pot
  FROM dc_param p
  JOIN dc_hosp h
  JOIN department d ON d.hospital_id = h.hospital_id
  JOIN doctor dr ON dr.department_id = d.id
  LEFT JOIN hist ON hist.doctor_id = dr.id
 WHERE p.doctors = 1
 ORDER BY dr.department_id, dr.id;
CREATE INDEX temp.dc_doc_d ON dc_doc(department_id, doctor_id);

CREATE TEMP TABLE dc_dept_w AS
WITH d AS (
  SELECT d.hospital_id, d.id AS department_id,
         (SELECT total(x.ly) FROM dc_doc x WHERE x.department_id = d.id) AS ly,
         dept_potential(u.daily_patients, u.usage_rate, u.rx_per_patient, p.workdays * 12) AS pot
    FROM dc_param p JOIN dc_hosp h JOIN department d ON d.hospital_id = h.hospital_id
    JOIN product_usage u ON u.department_id = d.id AND u.product_id = p.product
   WHERE p.doctors = 1
),
sib AS (
  SELECT d.*, sum(ly) OVER (PARTITION BY hospital_id) AS sly,
         sum(pot) OVER (PARTITION BY hospital_id) AS spot
    FROM d
)
SELECT hospital_id, department_id,
       CASE WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p
 ORDER BY hospital_id, department_id;
CREATE INDEX temp.dc_dept_w_h ON dc_dept_w(hospital_id, department_id);

CREATE TEMP TABLE dc_doc_w AS
WITH sib AS (
  SELECT d.*, sum(ly) OVER (PARTITION BY department_id) AS sly,
         sum(pot) OVER (PARTITION BY department_id) AS spot
    FROM dc_doc d
)
SELECT department_id, doctor_id,
       CASE WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p
 ORDER BY department_id, doctor_id;
CREATE INDEX temp.dc_doc_w_d ON dc_doc_w(department_id, doctor_id);

-- The cascade.
CREATE TEMP TABLE decompose_out (
  seq INTEGER PRIMARY KEY,
  level TEXT, unit_id INTEGER, hospital_id INTEGER, department_id INTEGER,
  doctor_id INTEGER, period TEXT, share REAL, amount INTEGER
);

-- units: the start unit keeps the total, each child unit its part
INSERT INTO decompose_out(level, unit_id, period, share, amount)
WITH RECURSIVE tot(amount) AS (
  SELECT coalesce(
           p.total_given,
           (SELECT t.amount FROM target t
             WHERE t.plan = p.plan AND t.unit_id = p.unit AND t.product_id = p.product
               AND t.period = CAST(p.year AS TEXT) AND t.hospital_id IS NULL),
           CAST(round((SELECT total(ly) FROM dc_hosp) * (1 + p.growth)) AS INTEGER))
    FROM dc_param p
),
cas(id, share, amount) AS (
  SELECT p.unit, 1.0, t.amount FROM dc_param p, tot t
  UNION ALL
  SELECT a.key, a.share, a.amount
    FROM cas c,
         allocate(c.amount, 'SELECT id, w FROM temp.dc_unit_w WHERE parent_id = ?1 ORDER BY id', c.id) a
   WHERE EXISTS (SELECT 1 FROM temp.dc_unit_w w WHERE w.parent_id = c.id)
)
SELECT u.level, c.id, CAST(p.year AS TEXT), c.share, c.amount
  FROM cas c JOIN dc_unit u ON u.id = c.id, dc_param p
 ORDER BY u.depth, c.id;

-- hospitals, under the units that have them (and some weight to share by)
INSERT INTO decompose_out(level, unit_id, hospital_id, period, share, amount)
SELECT 'hospital', o.unit_id, a.key, o.period, a.share, a.amount
  FROM decompose_out o,
       allocate(o.amount, 'SELECT hospital_id, w FROM temp.dc_hosp_w WHERE unit_id = ?1 ORDER BY hospital_id', o.unit_id) a
 WHERE o.hospital_id IS NULL
   AND (SELECT total(w) FROM temp.dc_hosp_w WHERE unit_id = o.unit_id) > 0
 ORDER BY o.seq;

-- months of every hospital
INSERT INTO decompose_out(level, unit_id, hospital_id, period, share, amount)
SELECT 'month', o.unit_id, o.hospital_id, o.period || '-' || printf('%02d', a.key), a.share, a.amount
  FROM decompose_out o,
       allocate(o.amount, 'SELECT month, w FROM temp.dc_month_w WHERE hospital_id = ?1 ORDER BY month', o.hospital_id) a
 WHERE o.level = 'hospital'
 ORDER BY o.seq;

-- departments and doctors (doctors=1)
INSERT INTO decompose_out(level, unit_id, hospital_id, department_id, period, share, amount)
SELECT 'department', o.unit_id, o.hospital_id, a.key, o.period, a.share, a.amount
  FROM decompose_out o,
       allocate(o.amount, 'SELECT department_id, w FROM temp.dc_dept_w WHERE hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
 WHERE o.level = 'hospital'
   AND EXISTS (SELECT 1 FROM temp.dc_dept_w WHERE hospital_id = o.hospital_id)
 ORDER BY o.seq;

INSERT INTO decompose_out(level, unit_id, hospital_id, department_id, doctor_id, period, share, amount)
SELECT 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period, a.share, a.amount
  FROM decompose_out o,
       allocate(o.amount, 'SELECT doctor_id, w FROM temp.dc_doc_w WHERE department_id = ?1 ORDER BY doctor_id', o.department_id) a
 WHERE o.level = 'department'
   AND EXISTS (SELECT 1 FROM temp.dc_doc_w WHERE department_id = o.department_id)
 ORDER BY o.seq;

-- write mode: replace the subtree's targets for the product and year
DELETE FROM target
 WHERE (SELECT mode FROM temp.dc_param) = 'write'
   AND plan = (SELECT plan FROM temp.dc_param)
   AND product_id = (SELECT product FROM temp.dc_param)
   AND unit_id IN (SELECT id FROM temp.dc_unit)
   AND (period = (SELECT CAST(year AS TEXT) FROM temp.dc_param)
        OR period GLOB (SELECT year || '-*' FROM temp.dc_param));

INSERT INTO target(plan, unit_id, product_id, period, hospital_id, department_id, doctor_id, amount)
SELECT p.plan, o.unit_id, p.product, o.period, o.hospital_id, o.department_id, o.doctor_id, o.amount
  FROM temp.decompose_out o, temp.dc_param p
 WHERE p.mode = 'write'
 ORDER BY o.seq;

-- preview: every row; write: what was written, per level
SELECT o.level, o.unit_id, u.name AS unit, o.hospital_id, h.name AS hospital,
       o.department_id, o.doctor_id, o.period, round(o.share, 4) AS share, o.amount
  FROM temp.decompose_out o
  LEFT JOIN org_unit u ON u.id = o.unit_id
  LEFT JOIN hospital h ON h.id = o.hospital_id
 WHERE (SELECT mode FROM temp.dc_param) = 'preview'
 ORDER BY o.seq;

SELECT level, count(*) AS rows_written, sum(amount) AS amount
  FROM temp.decompose_out
 WHERE (SELECT mode FROM temp.dc_param) = 'write'
 GROUP BY level
 ORDER BY min(seq);

DROP TABLE temp.dc_param;
DROP TABLE temp.dc_unit;
DROP TABLE temp.dc_hosp;
DROP TABLE temp.dc_unit_w;
DROP TABLE temp.dc_hosp_w;
DROP TABLE temp.dc_own;
DROP TABLE temp.dc_month_w;
DROP TABLE temp.dc_doc;
DROP TABLE temp.dc_dept_w;
DROP TABLE temp.dc_doc_w;
