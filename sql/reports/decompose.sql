-- decompose: push a yearly target down the organisation to rep territories, hospitals, quarters and months (preview; mode=write saves it)
-- param: product (required) the product id or name
-- param: year = the year after the latest sale of the product
-- param: unit = the company (the root of org_unit); an org_unit id or name
-- param: total = the unit's target for the year in the plan, else its last 12 months' sales x (1 + decompose.growth)
-- param: plan = current
-- param: mode = preview (write: replace the plan's sales targets of the unit's subtree for the product and year)
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
-- the product's: the departments' dept_potential() over a year (settings
-- workdays_per_month x 12) with the usage of the product's drug class
-- (view product_usage: department_usage for product.class_id, 0 where the
-- department does not use the class; a product without a class takes
-- department.usage_rate and rx_per_patient).  When
-- the siblings have no history the potential alone decides, and the other
-- way round; with neither they share equally.
-- No potential, nothing: where the subtree has potential for the product
-- at all, a hospital, department or doctor without any gets 0 (and adds
-- nothing to its unit's weight), unless the plan says otherwise -- it
-- already has a sales target above 0 for the product in that year.  When
-- none of a hospital's departments (a department's doctors) may take its
-- target, they all may, by the usual weights.
-- Hospitals not yet developed count from their expected_entry month only:
-- their potential is scaled by the share of the year left from that month
-- (0 when the entry is after the year, or unknown for an 'undeveloped'
-- hospital), and their months before entry get nothing.
-- Quarters and months.  Each hospital's year goes to its months (from its
-- entry) by its territory's month weights:
--   the season: settings decompose.season 'history' -- the territory's
--     sales of the product by calendar month in the history window, from
--     its hospitals that sold it in all 12 months (a ramp-up is not a
--     season); else the same over the whole company; else all sales of the
--     product; else equal -- or a JSON array of 12 weights;
--   the quarter split: settings plan.quarter_split 'history' (the season's
--     own quarters), three shares 'Q1/Q2+Q3/Q4' such as 25/45/30 (Q2 and Q3
--     share the middle by the season), or four such as 20/25/25/30; any
--     scale (they are weights); the season shapes the months inside each
--     quarter.
-- A hospital entering mid-year gets its months from entry at their normal
-- weight.  Every unit's months are the sums of the months below it (a unit
-- with no hospital to give to splits its own year by its weights);
-- departments and doctors share their parent's months (below); every
-- quarter is the sum of its months: each level adds up exactly to its
-- parent, every year to its quarters and months.
-- Departments: history = their doctors' prescriptions (rx_count) of the
-- product, potential = dept_potential() as above; doctors: history =
-- rx_count, potential = the doctor's Rx of the product's class (view
-- rx_class), both over the history window.
-- Two results: the rows (preview only), then per level and kind of period
-- the rows, their amount, and how much went where the product has no
-- history (no_history_rows, no_history_amount: units, hospitals,
-- departments or doctors without a sale or prescription of it in the
-- window).  temp.decompose_out (seq, owner, level, unit_id, hospital_id,
-- department_id, doctor_id, period, share, amount, no_history) keeps the
-- rows for further queries (no index on owner: the report reads the
-- months side by side in dc_mw instead).
-- mode=write deletes the plan's sales targets of the product for the year
-- (its 'YYYY', 'YYYY-Qn' and 'YYYY-MM' periods) of every unit in the
-- subtree, then inserts the new ones; the report runs in one savepoint,
-- so an error leaves the database as it was.

DROP TABLE IF EXISTS temp.decompose_out;
DROP TABLE IF EXISTS temp.dc_param;
DROP TABLE IF EXISTS temp.dc_hm;
DROP TABLE IF EXISTS temp.dc_unit;
DROP TABLE IF EXISTS temp.dc_anc;
DROP TABLE IF EXISTS temp.dc_hosp;
DROP TABLE IF EXISTS temp.dc_unit_w;
DROP TABLE IF EXISTS temp.dc_hosp_w;
DROP TABLE IF EXISTS temp.dc_prof;
DROP VIEW IF EXISTS temp.dc_month_w;
DROP TABLE IF EXISTS temp.dc_prof_last;
DROP TABLE IF EXISTS temp.dc_doc;
DROP TABLE IF EXISTS temp.dc_dept_w;
DROP TABLE IF EXISTS temp.dc_doc_w;
DROP TABLE IF EXISTS temp.dc_qs;
DROP TABLE IF EXISTS temp.dc_last;
DROP TABLE IF EXISTS temp.dc_slot;

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
         coalesce((SELECT value FROM settings WHERE key = 'plan.quarter_split'), 'history') AS qsplit,
         coalesce((SELECT num FROM setting WHERE key = 'workdays_per_month'), 22) AS workdays
),
p1 AS (
  SELECT p0.*,
         coalesce(:year, (SELECT CAST(substr(max(period), 1, 4) AS INTEGER) + 1
                            FROM sale WHERE product_id = p0.product)) AS year,
         -- '25/45/30' read as the JSON array [25,45,30]
         '[' || replace(CAST(qsplit AS TEXT), '/', ',') || ']' AS qj
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
      WHEN qsplit IS NOT 'history' AND NOT (
             json_valid(qj) AND json_array_length(qj) IN (3, 4)
             AND (SELECT count(*) FROM json_each(qj)
                   WHERE type IN ('integer', 'real') AND value >= 0) = json_array_length(qj)
             AND (SELECT sum(value) FROM json_each(qj)) > 0)
        THEN raise_error('decompose: settings plan.quarter_split must be history, three shares Q1/Q2+Q3/Q4 like 25/45/30 or four like 20/25/25/30 (non-negative, not all 0), got ' || qsplit)
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
       CASE WHEN qsplit IS 'history' THEN NULL ELSE qj END AS qj,
       strftime('%Y-%m', win_end || '-01', '-11 months') AS win_start, win_end,
       CAST(:total AS INTEGER) AS total_given, bad
  FROM win;

-- The unit and everything under it, and every unit with each unit of the
-- subtree it sits under (itself included).
CREATE TEMP TABLE dc_unit AS
WITH RECURSIVE sub(id, parent_id, level, depth) AS (
  SELECT o.id, o.parent_id, o.level, 0 FROM org_unit o, dc_param p WHERE o.id = p.unit
  UNION ALL
  SELECT o.id, o.parent_id, o.level, s.depth + 1
    FROM org_unit o JOIN sub s ON o.parent_id = s.id
)
SELECT * FROM sub;
CREATE INDEX temp.dc_unit_parent ON dc_unit(parent_id);

CREATE TEMP TABLE dc_anc AS
WITH RECURSIVE anc(unit_id, anc_id) AS (
  SELECT id, id FROM dc_unit
  UNION ALL
  SELECT a.unit_id, u.parent_id FROM anc a JOIN dc_unit u ON u.id = a.anc_id WHERE u.depth > 0
)
SELECT * FROM anc;
CREATE INDEX temp.dc_anc_a ON dc_anc(anc_id, unit_id);

-- Every hospital's sales of the product in the history window, read once
-- (hospital_sales(): the index sale_product, summed in C): the total (ly),
-- how many months sold (npos), and each calendar month's amount (m01..m12;
-- NULL: no sale row that month; the window is twelve months, one of each).
CREATE TEMP TABLE dc_hm AS
SELECT s.hospital_id, s.unit_id, s.total AS ly, s.npos,
       s.m1 AS m01, s.m2 AS m02, s.m3 AS m03, s.m4 AS m04, s.m5 AS m05, s.m6 AS m06,
       s.m7 AS m07, s.m8 AS m08, s.m9 AS m09, s.m10 AS m10, s.m11 AS m11, s.m12 AS m12
  FROM dc_param p, hospital_sales(p.product, p.win_start, p.win_end) s
 ORDER BY s.hospital_id;
CREATE UNIQUE INDEX temp.dc_hm_h ON dc_hm(hospital_id);
CREATE INDEX temp.dc_hm_u ON dc_hm(unit_id);

-- The department potential of the product (see the header).
-- Hospitals of the subtree: history, potential, the share of the year
-- they count for (factor) from their entry month, and whether they may
-- get anything (elig).
CREATE TEMP TABLE dc_hosp AS
-- each hospital's potential of the product over a year: its departments'
-- (product_potential() reads department and department_usage once; a
-- hospital without a department has none: 0)
WITH hp AS MATERIALIZED (
  SELECT x.hospital_id, x.potential
    FROM dc_param p, product_potential(p.workdays * 12, p.product, 'hospital') x
),
-- (MATERIALIZED: each hospital's potential worked out once, not per use)
h AS MATERIALIZED (
  SELECT h.id AS hospital_id, h.unit_id,
         coalesce((SELECT m.ly FROM dc_hm m WHERE m.hospital_id = h.id), 0.0) AS ly,
         coalesce((SELECT x.potential FROM hp x WHERE x.hospital_id = h.id), 0.0) AS pot,
         h.id IN (SELECT t.hospital_id FROM target t, dc_param q
                  WHERE t.plan = q.plan AND t.kind = 'sales' AND t.product_id = q.product
                    AND t.hospital_id IS NOT NULL AND substr(t.period, 1, 4) = CAST(q.year AS TEXT)
                    AND t.amount > 0) AS named,
         CASE
           WHEN h.status = 'developed' THEN 1
           WHEN h.expected_entry IS NULL THEN CASE h.status WHEN 'target' THEN 1 ELSE 13 END
           WHEN CAST(substr(h.expected_entry, 1, 4) AS INTEGER) < p.year THEN 1
           WHEN CAST(substr(h.expected_entry, 1, 4) AS INTEGER) > p.year THEN 13
           ELSE CAST(substr(h.expected_entry, 6, 2) AS INTEGER)
         END AS entry_month
    FROM hospital h, dc_param p
   WHERE h.unit_id IN (SELECT id FROM dc_unit)
),
e AS (
  SELECT h.*, (13 - entry_month) / 12.0 AS factor,
         -- no potential anywhere in the subtree: potential decides nothing
         CASE WHEN sum(pot) OVER () = 0 OR pot > 0 OR named THEN 1 ELSE 0 END AS elig
    FROM h
)
SELECT hospital_id, unit_id, ly, pot, entry_month, factor, elig,
       ly * elig AS ly_e,
       pot * factor * elig AS pot_eff
  FROM e;
CREATE INDEX temp.dc_hosp_unit ON dc_hosp(unit_id);

-- Child-unit weights: history and (entry-scaled) potential of the eligible
-- hospitals below each unit, blended among siblings.
CREATE TEMP TABLE dc_unit_w AS
WITH below AS (
  -- the three sums in one pass (dc_anc_a in order: unit by unit below each)
  SELECT a.anc_id, total(h.ly_e) AS ly, total(h.ly) AS ly_all, total(h.pot_eff) AS pot
    FROM dc_anc a JOIN dc_hosp h ON h.unit_id = a.unit_id
   GROUP BY a.anc_id
),
agg AS (
  SELECT u.id, u.parent_id, u.depth,
         coalesce(b.ly, 0.0) AS ly, coalesce(b.ly_all, 0.0) AS ly_all, coalesce(b.pot, 0.0) AS pot
    FROM dc_unit u LEFT JOIN below b ON b.anc_id = u.id
),
sib AS (
  SELECT agg.*, sum(ly) OVER (PARTITION BY parent_id) AS sly,
         sum(pot) OVER (PARTITION BY parent_id) AS spot
    FROM agg
)
SELECT parent_id, id, depth, ly_all,
       CASE WHEN depth = 0 THEN 1
            WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p;
CREATE INDEX temp.dc_unit_w_parent ON dc_unit_w(parent_id, id);

CREATE TEMP TABLE dc_hosp_w AS
WITH sib AS (
  SELECT h.*, sum(ly_e) OVER (PARTITION BY unit_id) AS sly,
         sum(pot_eff) OVER (PARTITION BY unit_id) AS spot,
         sum(elig) OVER (PARTITION BY unit_id) AS n_elig
    FROM dc_hosp h
)
SELECT unit_id, hospital_id, ly,
       CASE WHEN factor = 0 OR elig = 0 THEN 0
            WHEN sly > 0 AND spot > 0 THEN p.h * ly_e / sly + (1 - p.h) * pot_eff / spot
            WHEN sly > 0 THEN ly_e / sly
            WHEN spot > 0 THEN pot_eff / spot
            ELSE factor END AS w
  FROM sib, dc_param p;
CREATE INDEX temp.dc_hosp_w_unit ON dc_hosp_w(unit_id, hospital_id);

-- Month weights of every unit of the subtree (used for its hospitals, or
-- for itself when it has no hospital to give to): the season, then the
-- quarter split over it.  Keyed (unit_id, month) without a rowid: the
-- rows go in unit by unit (dc_unit in id order, each unit's season looked
-- up once), so no sort and no separate index.
CREATE TEMP TABLE dc_prof (unit_id INT, month, w, PRIMARY KEY (unit_id, month)) WITHOUT ROWID;
INSERT INTO dc_prof
WITH RECURSIVE m(month) AS (SELECT 1 UNION ALL SELECT month + 1 FROM m WHERE month < 12),
-- hospitals that sold it in every month of the window (npos = 12): their
-- months are a season, a newcomer's are its ramp-up; per unit (hospital by
-- hospital, dc_hm_u) and over the company
unit_v AS (
  SELECT unit_id,
         total(m01) AS v1,
         total(m02) AS v2,
         total(m03) AS v3,
         total(m04) AS v4,
         total(m05) AS v5,
         total(m06) AS v6,
         total(m07) AS v7,
         total(m08) AS v8,
         total(m09) AS v9,
         total(m10) AS v10,
         total(m11) AS v11,
         total(m12) AS v12
    FROM dc_hm WHERE npos = 12 GROUP BY unit_id
),
co AS (
  SELECT max(npos = 12) AS any_est, max(npos > 0) AS any_sale,
         total(m01) FILTER (WHERE npos = 12) AS e1,
         total(m02) FILTER (WHERE npos = 12) AS e2,
         total(m03) FILTER (WHERE npos = 12) AS e3,
         total(m04) FILTER (WHERE npos = 12) AS e4,
         total(m05) FILTER (WHERE npos = 12) AS e5,
         total(m06) FILTER (WHERE npos = 12) AS e6,
         total(m07) FILTER (WHERE npos = 12) AS e7,
         total(m08) FILTER (WHERE npos = 12) AS e8,
         total(m09) FILTER (WHERE npos = 12) AS e9,
         total(m10) FILTER (WHERE npos = 12) AS e10,
         total(m11) FILTER (WHERE npos = 12) AS e11,
         total(m12) FILTER (WHERE npos = 12) AS e12,
         sum(m01) AS a1,
         sum(m02) AS a2,
         sum(m03) AS a3,
         sum(m04) AS a4,
         sum(m05) AS a5,
         sum(m06) AS a6,
         sum(m07) AS a7,
         sum(m08) AS a8,
         sum(m09) AS a9,
         sum(m10) AS a10,
         sum(m11) AS a11,
         sum(m12) AS a12
    FROM dc_hm
),
base AS (
  SELECT u.id AS unit_id, m.month,
         CASE
           WHEN p.season <> 'history' THEN json_extract(p.season, '$[' || (m.month - 1) || ']')
           WHEN x.unit_id IS NOT NULL THEN CASE m.month WHEN 1 THEN x.v1 WHEN 2 THEN x.v2 WHEN 3 THEN x.v3 WHEN 4 THEN x.v4 WHEN 5 THEN x.v5 WHEN 6 THEN x.v6 WHEN 7 THEN x.v7 WHEN 8 THEN x.v8 WHEN 9 THEN x.v9 WHEN 10 THEN x.v10 WHEN 11 THEN x.v11 WHEN 12 THEN x.v12 END
           WHEN co.any_est THEN CASE m.month WHEN 1 THEN co.e1 WHEN 2 THEN co.e2 WHEN 3 THEN co.e3 WHEN 4 THEN co.e4 WHEN 5 THEN co.e5 WHEN 6 THEN co.e6 WHEN 7 THEN co.e7 WHEN 8 THEN co.e8 WHEN 9 THEN co.e9 WHEN 10 THEN co.e10 WHEN 11 THEN co.e11 WHEN 12 THEN co.e12 END
           WHEN co.any_sale THEN coalesce(CASE m.month WHEN 1 THEN co.a1 WHEN 2 THEN co.a2 WHEN 3 THEN co.a3 WHEN 4 THEN co.a4 WHEN 5 THEN co.a5 WHEN 6 THEN co.a6 WHEN 7 THEN co.a7 WHEN 8 THEN co.a8 WHEN 9 THEN co.a9 WHEN 10 THEN co.a10 WHEN 11 THEN co.a11 WHEN 12 THEN co.a12 END, 0)
           ELSE 1 END AS v
    FROM (SELECT id FROM dc_unit ORDER BY id) u CROSS JOIN dc_param p CROSS JOIN co
    LEFT JOIN unit_v x ON x.unit_id = u.id
    CROSS JOIN m
)
SELECT unit_id, month, v FROM base;
-- The quarter split, when plan.quarter_split is not 'history' (else no
-- row goes into q): each quarter's share of the year spread over its
-- months by the season.
WITH q AS (
  SELECT b.unit_id, b.month, b.w AS v, (b.month + 2) / 3 AS quarter,
         sum(b.w) OVER (PARTITION BY b.unit_id, (b.month + 2) / 3) AS bq,
         sum(CASE WHEN b.month BETWEEN 4 AND 6 THEN b.w END) OVER (PARTITION BY b.unit_id) AS b2,
         sum(CASE WHEN b.month BETWEEN 7 AND 9 THEN b.w END) OVER (PARTITION BY b.unit_id) AS b3
    FROM dc_param p CROSS JOIN dc_prof b
   WHERE p.qj IS NOT NULL
),
-- each quarter's share: four given, or Q2 and Q3 sharing the middle one by
-- the season (halves when the season has neither)
s AS (
  SELECT q.*,
         CASE
           WHEN json_array_length(p.qj) = 4 THEN json_extract(p.qj, '$[' || (quarter - 1) || ']')
           WHEN quarter = 1 THEN json_extract(p.qj, '$[0]')
           WHEN quarter = 4 THEN json_extract(p.qj, '$[2]')
           ELSE json_extract(p.qj, '$[1]')
                * CASE WHEN b2 + b3 > 0 THEN (CASE quarter WHEN 2 THEN b2 ELSE b3 END) / (b2 + b3)
                       ELSE 0.5 END
         END AS sq
    FROM q, dc_param p
),
x AS (
  SELECT unit_id, month,
         CASE WHEN sq IS NULL THEN v
              WHEN bq > 0 THEN sq * v / bq
              ELSE sq / 3.0 END AS w
    FROM s
)
UPDATE dc_prof SET w = x.w FROM x WHERE x.unit_id = dc_prof.unit_id AND x.month = dc_prof.month;

-- (a hospital's month weights are its territory's, applied from its entry
-- month by allocate_months() in the months step below)
CREATE INDEX temp.dc_hosp_h ON dc_hosp(hospital_id);

-- Departments and doctors (doctors=1): each doctor's prescriptions and
-- potential in the history window, read once.  dc_param is read first
-- (CROSS JOIN), so that with doctors=0 no doctor (and no Rx) is read.
CREATE TEMP TABLE dc_doc AS
WITH hist AS (
  SELECT r.doctor_id, total(r.rx_count) AS ly, total(r.class_rx) AS pot
    FROM rx_class r, dc_param p
   WHERE p.doctors = 1 AND r.product_id = p.product
     AND r.period BETWEEN p.win_start AND p.win_end
   GROUP BY r.doctor_id
),
d AS (
  SELECT dr.department_id, dr.id AS doctor_id, coalesce(hist.ly, 0) AS ly,
         coalesce(hist.pot, 0) AS pot,
         dr.id IN (SELECT t.doctor_id FROM target t, dc_param q
                  WHERE t.plan = q.plan AND t.kind = 'sales' AND t.product_id = q.product
                    AND t.doctor_id IS NOT NULL AND substr(t.period, 1, 4) = CAST(q.year AS TEXT)
                    AND t.amount > 0) AS named
    FROM dc_param p
    CROSS JOIN dc_hosp h
    CROSS JOIN department d ON d.hospital_id = h.hospital_id
    CROSS JOIN doctor dr ON dr.department_id = d.id
    LEFT JOIN hist ON hist.doctor_id = dr.id
   WHERE p.doctors = 1
)
SELECT department_id, doctor_id, ly, pot,
       -- a department none of whose doctors may take its target: they all may
       CASE WHEN sum(CASE WHEN pot > 0 OR named THEN 1 ELSE 0 END) OVER (PARTITION BY department_id) = 0
              OR sum(pot) OVER () = 0 OR pot > 0 OR named THEN 1 ELSE 0 END AS elig
  FROM d
 ORDER BY department_id, doctor_id;
CREATE INDEX temp.dc_doc_d ON dc_doc(department_id, doctor_id);

CREATE TEMP TABLE dc_dept_w AS
WITH d AS (
  SELECT d.hospital_id, d.id AS department_id,
         (SELECT total(x.ly) FROM dc_doc x WHERE x.department_id = d.id) AS ly,
         dept_potential(u.daily_patients, u.usage_rate, u.rx_per_patient, p.workdays * 12) AS pot,
         d.id IN (SELECT t.department_id FROM target t, dc_param q
                  WHERE t.plan = q.plan AND t.kind = 'sales' AND t.product_id = q.product
                    AND t.department_id IS NOT NULL AND substr(t.period, 1, 4) = CAST(q.year AS TEXT)
                    AND t.amount > 0) AS named
    FROM dc_param p JOIN dc_hosp h JOIN department d ON d.hospital_id = h.hospital_id
    JOIN product_usage u ON u.department_id = d.id AND u.product_id = p.product
   WHERE p.doctors = 1
     -- (checked once before any row is read: doctors=0 reads no department)
     AND (SELECT doctors FROM dc_param) = 1
),
e0 AS (
  SELECT d.*, CASE WHEN sum(pot) OVER () = 0 OR pot > 0 OR named THEN 1 ELSE 0 END AS elig0
    FROM d
),
-- a hospital with a target but no department that may take it: they all may
e AS (
  SELECT e0.*, CASE WHEN sum(elig0) OVER (PARTITION BY hospital_id) = 0 THEN 1 ELSE elig0 END AS elig
    FROM e0
),
sib AS (
  SELECT e.*, sum(ly * elig) OVER (PARTITION BY hospital_id) AS sly,
         sum(pot * elig) OVER (PARTITION BY hospital_id) AS spot
    FROM e
)
SELECT hospital_id, department_id, ly,
       CASE WHEN elig = 0 THEN 0
            WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p
 ORDER BY hospital_id, department_id;
CREATE INDEX temp.dc_dept_w_h ON dc_dept_w(hospital_id, department_id);

CREATE TEMP TABLE dc_doc_w AS
WITH sib AS (
  SELECT d.*, sum(ly * elig) OVER (PARTITION BY department_id) AS sly,
         sum(pot * elig) OVER (PARTITION BY department_id) AS spot
    FROM dc_doc d
)
SELECT department_id, doctor_id, ly,
       CASE WHEN elig = 0 THEN 0
            WHEN sly > 0 AND spot > 0 THEN p.h * ly / sly + (1 - p.h) * pot / spot
            WHEN sly > 0 THEN ly / sly
            WHEN spot > 0 THEN pot / spot
            ELSE 1 END AS w
  FROM sib, dc_param p
 ORDER BY department_id, doctor_id;
CREATE INDEX temp.dc_doc_w_d ON dc_doc_w(department_id, doctor_id);

-- The cascade.  owner is the seq of the year row a quarter or month
-- belongs to (rows are shown owner by owner).
CREATE TEMP TABLE decompose_out (
  seq INTEGER PRIMARY KEY, owner INTEGER,
  level TEXT, unit_id INTEGER, hospital_id INTEGER, department_id INTEGER,
  doctor_id INTEGER, period TEXT, share REAL, amount INTEGER, no_history INTEGER
);

-- units: the start unit keeps the total, each child unit its part
INSERT INTO decompose_out(level, unit_id, period, share, amount, no_history)
WITH RECURSIVE tot(amount) AS (
  SELECT coalesce(
           p.total_given,
           (SELECT t.amount FROM target t
             WHERE t.plan = p.plan AND t.kind = 'sales' AND t.unit_id = p.unit
               AND t.product_id = p.product AND t.period = CAST(p.year AS TEXT)
               AND t.hospital_id IS NULL),
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
SELECT u.level, c.id, CAST(p.year AS TEXT), c.share, c.amount, w.ly_all = 0
  FROM cas c JOIN dc_unit u ON u.id = c.id JOIN dc_unit_w w ON w.id = c.id, dc_param p
 ORDER BY u.depth, c.id;

-- hospitals, under the units that have them (and some weight to share by)
INSERT INTO decompose_out(level, unit_id, hospital_id, period, share, amount, no_history)
SELECT 'hospital', o.unit_id, a.key, o.period, a.share, a.amount,
       (SELECT w.ly FROM temp.dc_hosp_w w WHERE w.unit_id = o.unit_id AND w.hospital_id = a.key) = 0
  FROM decompose_out o,
       allocate(o.amount, 'SELECT hospital_id, w FROM temp.dc_hosp_w WHERE unit_id = ?1 ORDER BY hospital_id', o.unit_id) a
 WHERE o.hospital_id IS NULL
   AND (SELECT total(w) FROM temp.dc_hosp_w WHERE unit_id = o.unit_id) > 0
 ORDER BY o.seq;

-- departments and doctors (doctors=1), years
INSERT INTO decompose_out(level, unit_id, hospital_id, department_id, period, share, amount, no_history)
SELECT 'department', o.unit_id, o.hospital_id, a.key, o.period, a.share, a.amount,
       (SELECT w.ly FROM temp.dc_dept_w w WHERE w.hospital_id = o.hospital_id AND w.department_id = a.key) = 0
  FROM decompose_out o,
       allocate(o.amount, 'SELECT department_id, w FROM temp.dc_dept_w WHERE hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
 WHERE o.level = 'hospital'
   AND EXISTS (SELECT 1 FROM temp.dc_dept_w WHERE hospital_id = o.hospital_id)
 ORDER BY o.seq;

INSERT INTO decompose_out(level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period, a.share, a.amount,
       (SELECT w.ly FROM temp.dc_doc_w w WHERE w.department_id = o.department_id AND w.doctor_id = a.key) = 0
  FROM decompose_out o,
       allocate(o.amount, 'SELECT doctor_id, w FROM temp.dc_doc_w WHERE department_id = ?1 ORDER BY doctor_id', o.department_id) a
 WHERE o.level = 'department'
   AND EXISTS (SELECT 1 FROM temp.dc_doc_w WHERE department_id = o.department_id)
 ORDER BY o.seq;

UPDATE decompose_out SET owner = seq;
-- The last year row: the year rows are the rows up to it (kept here:
-- decompose_out has no index on owner that would give max(owner) at once).
CREATE TEMP TABLE dc_last AS SELECT max(seq) AS seq FROM decompose_out;
-- The rows of departments and doctors (doctors=1; none with doctors=0):
-- their months are found by owner and period in the month steps below.
-- Built now, on the year rows: the other rows never enter it.
CREATE INDEX temp.decompose_out_below ON decompose_out(owner, period, amount, share)
 WHERE department_id IS NOT NULL;

-- months of a unit with nothing below it to give to, by its own weights
-- (first, while only year rows exist: decompose_out_unit, which finds a
-- unit's year rows, is built on them alone and dropped after this step)
CREATE INDEX temp.decompose_out_unit ON decompose_out(unit_id, hospital_id);
INSERT INTO decompose_out(owner, level, unit_id, period, share, amount, no_history)
SELECT o.seq, o.level, o.unit_id, o.period || CASE WHEN a.key < 10 THEN '-0' ELSE '-' END || a.key, a.share, a.amount,
       o.no_history
  FROM decompose_out o,
       allocate(o.amount, 'SELECT month, w FROM temp.dc_prof WHERE unit_id = ?1 ORDER BY month', o.unit_id) a
 WHERE o.seq <= (SELECT seq FROM dc_last)  -- the year rows
   AND o.hospital_id IS NULL AND o.amount > 0
   AND NOT EXISTS (SELECT 1 FROM decompose_out c
                    WHERE c.unit_id = o.unit_id AND c.hospital_id IS NOT NULL
                      AND length(c.period) = 4)
   AND NOT EXISTS (SELECT 1 FROM decompose_out c JOIN dc_unit u ON u.id = c.unit_id
                    WHERE u.parent_id = o.unit_id AND c.amount > 0 AND length(c.period) = 4)
 ORDER BY o.seq;
DROP INDEX temp.decompose_out_unit;

-- The months side by side, per year row with months (m1..m12 their
-- amounts, s1..s12 their shares; NULL: no row for that month), by kind:
-- 'own' the units' above, 'hospital' every hospital's, 'sum' the other
-- units' (their sums, below) and 'below' the departments' and doctors'.
-- The hospitals' and the other units' month rows go into decompose_out
-- from here, and the quarters, the preview and the summary read the
-- months here, not in decompose_out (which so needs no index on owner).
DROP TABLE IF EXISTS temp.dc_mw;
DROP TABLE IF EXISTS temp.dc_uw;
DROP TABLE IF EXISTS temp.dc_ut;
DROP TABLE IF EXISTS temp.dc_mon;
CREATE TEMP TABLE dc_mw (owner INTEGER PRIMARY KEY, unit_id INTEGER, kind TEXT,
                         m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12,
                         s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12);
-- the units' months just made: the rows after the year rows (few: units
-- with no hospital to give to)
INSERT INTO dc_mw
SELECT c.owner, c.unit_id, 'own',
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-01' FROM temp.dc_param)) AS m1,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-02' FROM temp.dc_param)) AS m2,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-03' FROM temp.dc_param)) AS m3,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-04' FROM temp.dc_param)) AS m4,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-05' FROM temp.dc_param)) AS m5,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-06' FROM temp.dc_param)) AS m6,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-07' FROM temp.dc_param)) AS m7,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-08' FROM temp.dc_param)) AS m8,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-09' FROM temp.dc_param)) AS m9,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-10' FROM temp.dc_param)) AS m10,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-11' FROM temp.dc_param)) AS m11,
       sum(c.amount) FILTER (WHERE c.period = (SELECT year || '-12' FROM temp.dc_param)) AS m12,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-01' FROM temp.dc_param)) AS s1,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-02' FROM temp.dc_param)) AS s2,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-03' FROM temp.dc_param)) AS s3,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-04' FROM temp.dc_param)) AS s4,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-05' FROM temp.dc_param)) AS s5,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-06' FROM temp.dc_param)) AS s6,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-07' FROM temp.dc_param)) AS s7,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-08' FROM temp.dc_param)) AS s8,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-09' FROM temp.dc_param)) AS s9,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-10' FROM temp.dc_param)) AS s10,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-11' FROM temp.dc_param)) AS s11,
       max(c.share) FILTER (WHERE c.period = (SELECT year || '-12' FROM temp.dc_param)) AS s12
  FROM decompose_out c
 WHERE c.seq > (SELECT seq FROM dc_last)
 GROUP BY c.owner
 ORDER BY c.owner;
-- every hospital with a target: its year to its months by its territory's
-- month weights (dc_prof), zero before its entry month, equal from entry
-- when no month from entry on has a weight (allocate_months(), one pass
-- over all hospitals; each hospital's months are what allocate() over
-- those 12 weights gives)
INSERT INTO dc_mw
SELECT a.key, o.unit_id, 'hospital', a.m1, a.m2, a.m3, a.m4, a.m5, a.m6, a.m7, a.m8, a.m9, a.m10, a.m11, a.m12,
       a.s1, a.s2, a.s3, a.s4, a.s5, a.s6, a.s7, a.s8, a.s9, a.s10, a.s11, a.s12
  FROM allocate_months(
         'SELECT o.seq, o.amount, h.unit_id, h.entry_month
            FROM temp.decompose_out o CROSS JOIN temp.dc_hosp h ON h.hospital_id = o.hospital_id
           WHERE o.seq <= (SELECT seq FROM temp.dc_last)  -- the year rows
             AND o.level = ''hospital'' AND o.department_id IS NULL AND o.amount > 0
           ORDER BY o.seq',
         'SELECT unit_id, month, w FROM temp.dc_prof') a
  CROSS JOIN decompose_out o ON o.seq = a.key;
-- the months in their order, each with its period ('2026-01'; every year
-- row's period is the year)
CREATE TEMP TABLE dc_mon (month INTEGER PRIMARY KEY, period TEXT);
INSERT INTO dc_mon(month, period)
SELECT column1, (SELECT CAST(year AS TEXT) FROM temp.dc_param) || column2
  FROM (VALUES (1, '-01'), (2, '-02'), (3, '-03'), (4, '-04'), (5, '-05'), (6, '-06'), (7, '-07'), (8, '-08'), (9, '-09'), (10, '-10'), (11, '-11'), (12, '-12'));
-- the hospitals' month rows (in order: dc_mw by owner, then dc_mon; no
-- sort), all twelve of each (those before entry with 0)
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, period, share, amount, no_history)
SELECT w.owner, 'hospital', o.unit_id, o.hospital_id, m.period,
       CASE m.month WHEN 1 THEN w.s1 WHEN 2 THEN w.s2 WHEN 3 THEN w.s3 WHEN 4 THEN w.s4 WHEN 5 THEN w.s5 WHEN 6 THEN w.s6 WHEN 7 THEN w.s7 WHEN 8 THEN w.s8 WHEN 9 THEN w.s9 WHEN 10 THEN w.s10 WHEN 11 THEN w.s11 WHEN 12 THEN w.s12 END,
       CASE m.month WHEN 1 THEN w.m1 WHEN 2 THEN w.m2 WHEN 3 THEN w.m3 WHEN 4 THEN w.m4 WHEN 5 THEN w.m5 WHEN 6 THEN w.m6 WHEN 7 THEN w.m7 WHEN 8 THEN w.m8 WHEN 9 THEN w.m9 WHEN 10 THEN w.m10 WHEN 11 THEN w.m11 WHEN 12 THEN w.m12 END,
       o.no_history
  FROM dc_mw w
  CROSS JOIN decompose_out o ON o.seq = w.owner
  CROSS JOIN dc_mon m
 WHERE w.kind = 'hospital'
 ORDER BY w.owner, m.month;

-- every other unit's months: the sums of the months below it (so far only
-- hospitals' months and those of units with nothing below them exist,
-- all in dc_mw).  dc_uw holds, per unit,
-- parts of the sums in its subtree: first each unit's own (its hospitals',
-- or its own), then, one level at a time from the territories up, each
-- level's parts summed into their parents; dc_ut is their total per unit
-- (the amounts are whole yuan, so the sums are exact in any order).
CREATE TEMP TABLE dc_uw AS
SELECT x.unit_id, sum(x.m1) AS m1, sum(x.m2) AS m2, sum(x.m3) AS m3, sum(x.m4) AS m4, sum(x.m5) AS m5, sum(x.m6) AS m6, sum(x.m7) AS m7, sum(x.m8) AS m8, sum(x.m9) AS m9, sum(x.m10) AS m10, sum(x.m11) AS m11, sum(x.m12) AS m12
  FROM dc_mw x GROUP BY x.unit_id;
CREATE INDEX temp.dc_uw_u ON dc_uw(unit_id);
INSERT INTO dc_uw SELECT u.parent_id, sum(x.m1), sum(x.m2), sum(x.m3), sum(x.m4), sum(x.m5), sum(x.m6), sum(x.m7), sum(x.m8), sum(x.m9), sum(x.m10), sum(x.m11), sum(x.m12)
  FROM dc_unit u JOIN dc_uw x ON x.unit_id = u.id WHERE u.depth = 4 GROUP BY 1;
INSERT INTO dc_uw SELECT u.parent_id, sum(x.m1), sum(x.m2), sum(x.m3), sum(x.m4), sum(x.m5), sum(x.m6), sum(x.m7), sum(x.m8), sum(x.m9), sum(x.m10), sum(x.m11), sum(x.m12)
  FROM dc_unit u JOIN dc_uw x ON x.unit_id = u.id WHERE u.depth = 3 GROUP BY 1;
INSERT INTO dc_uw SELECT u.parent_id, sum(x.m1), sum(x.m2), sum(x.m3), sum(x.m4), sum(x.m5), sum(x.m6), sum(x.m7), sum(x.m8), sum(x.m9), sum(x.m10), sum(x.m11), sum(x.m12)
  FROM dc_unit u JOIN dc_uw x ON x.unit_id = u.id WHERE u.depth = 2 GROUP BY 1;
INSERT INTO dc_uw SELECT u.parent_id, sum(x.m1), sum(x.m2), sum(x.m3), sum(x.m4), sum(x.m5), sum(x.m6), sum(x.m7), sum(x.m8), sum(x.m9), sum(x.m10), sum(x.m11), sum(x.m12)
  FROM dc_unit u JOIN dc_uw x ON x.unit_id = u.id WHERE u.depth = 1 GROUP BY 1;
CREATE TEMP TABLE dc_ut (unit_id INTEGER PRIMARY KEY, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12);
INSERT INTO dc_ut SELECT x.unit_id, sum(x.m1), sum(x.m2), sum(x.m3), sum(x.m4), sum(x.m5), sum(x.m6), sum(x.m7), sum(x.m8), sum(x.m9), sum(x.m10), sum(x.m11), sum(x.m12) FROM dc_uw x GROUP BY x.unit_id;
DROP TABLE temp.dc_uw;

-- the other units' months: their sums (every unit with a year row and
-- no months of its own yet), each month's share of the unit's year
INSERT INTO dc_mw
SELECT o.seq, o.unit_id, 'sum', t.m1, t.m2, t.m3, t.m4, t.m5, t.m6, t.m7, t.m8, t.m9, t.m10, t.m11, t.m12,
       CASE WHEN o.amount > 0 THEN t.m1 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m2 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m3 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m4 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m5 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m6 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m7 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m8 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m9 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m10 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m11 * 1.0 / o.amount END,
       CASE WHEN o.amount > 0 THEN t.m12 * 1.0 / o.amount END
  FROM decompose_out o
  CROSS JOIN dc_ut t ON t.unit_id = o.unit_id
 WHERE o.seq <= (SELECT seq FROM dc_last)  -- the year rows
   AND o.hospital_id IS NULL AND o.seq = o.owner
   AND NOT EXISTS (SELECT 1 FROM dc_mw d WHERE d.owner = o.seq)  -- no months yet
 ORDER BY o.seq;
DROP TABLE temp.dc_ut;

-- the units' months (in order: dc_mw by owner, then dc_mon; no sort)
INSERT INTO decompose_out(owner, level, unit_id, period, share, amount, no_history)
SELECT w.owner, o.level, o.unit_id, m.period,
       CASE m.month WHEN 1 THEN w.s1 WHEN 2 THEN w.s2 WHEN 3 THEN w.s3 WHEN 4 THEN w.s4 WHEN 5 THEN w.s5 WHEN 6 THEN w.s6 WHEN 7 THEN w.s7 WHEN 8 THEN w.s8 WHEN 9 THEN w.s9 WHEN 10 THEN w.s10 WHEN 11 THEN w.s11 WHEN 12 THEN w.s12 END,
       CASE m.month WHEN 1 THEN w.m1 WHEN 2 THEN w.m2 WHEN 3 THEN w.m3 WHEN 4 THEN w.m4 WHEN 5 THEN w.m5 WHEN 6 THEN w.m6 WHEN 7 THEN w.m7 WHEN 8 THEN w.m8 WHEN 9 THEN w.m9 WHEN 10 THEN w.m10 WHEN 11 THEN w.m11 WHEN 12 THEN w.m12 END, o.no_history
  FROM dc_mw w
  CROSS JOIN decompose_out o ON o.seq = w.owner
  CROSS JOIN dc_mon m
 WHERE w.kind = 'sum'
   AND (CASE m.month WHEN 1 THEN w.m1 WHEN 2 THEN w.m2 WHEN 3 THEN w.m3 WHEN 4 THEN w.m4 WHEN 5 THEN w.m5 WHEN 6 THEN w.m6 WHEN 7 THEN w.m7 WHEN 8 THEN w.m8 WHEN 9 THEN w.m9 WHEN 10 THEN w.m10 WHEN 11 THEN w.m11 WHEN 12 THEN w.m12 END) IS NOT NULL
 ORDER BY w.owner, m.month;
DROP TABLE temp.dc_mon;

-- Months of departments and doctors (doctors=1): month by month, each
-- parent's month shared by what its children have left of their years
-- (allocate weighted by the remainders).  A child never gets more than it
-- has left (its quota is at most that), and December, the parent's last,
-- equals the remainders exactly: so the children's months add up to the
-- parent's month, and each child's months to its year.  Each step first
-- materializes its parent rows that have children to share to (par; any_rem,
-- read first, makes a step with nothing to share, doctors=0, read no row),
-- then calls allocate once per parent row: the CROSS JOINs keep that order
-- on every SQLite (left free, 3.40 put dc_rem before allocate and called it
-- once per department and parent, minutes at scale 0.01; and a filter in
-- the same WHERE as allocate may be applied after allocate has run, which
-- fails on a parent without children: "query returned no rows").
DROP TABLE IF EXISTS temp.dc_rem;
CREATE TEMP TABLE dc_rem AS
SELECT seq AS owner, level, hospital_id, department_id, doctor_id, amount, amount AS rem, no_history
  FROM decompose_out
 WHERE (SELECT doctors FROM temp.dc_param) = 1  -- (doctors=0: no row read)
   AND level IN ('department', 'doctor') AND amount > 0;
CREATE INDEX temp.dc_rem_h ON dc_rem(level, hospital_id);
CREATE INDEX temp.dc_rem_d ON dc_rem(level, department_id, doctor_id);
CREATE INDEX temp.dc_rem_o ON dc_rem(owner);
-- month 01
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-01'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-01')
 WHERE level = 'department';
-- month 02
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-02'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-02')
 WHERE level = 'department';
-- month 03
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-03'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-03')
 WHERE level = 'department';
-- month 04
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-04'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-04')
 WHERE level = 'department';
-- month 05
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-05'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-05')
 WHERE level = 'department';
-- month 06
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-06'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-06')
 WHERE level = 'department';
-- month 07
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-07'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-07')
 WHERE level = 'department';
-- month 08
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-08'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-08')
 WHERE level = 'department';
-- month 09
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-09'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-09')
 WHERE level = 'department';
-- month 10
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-10'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-10')
 WHERE level = 'department';
-- month 11
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-11'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-11')
 WHERE level = 'department';
-- month 12
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'department' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'hospital' AND o.department_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-12'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'department' AND x.hospital_id = o.hospital_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'department', o.unit_id, o.hospital_id, a.key, NULL, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT department_id, rem FROM temp.dc_rem WHERE level = ''department'' AND hospital_id = ?1 ORDER BY department_id', o.hospital_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'department' AND r.department_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-12')
 WHERE level = 'department';
-- month 01
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-01'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-01')
 WHERE level = 'doctor';
-- month 02
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-02'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-02')
 WHERE level = 'doctor';
-- month 03
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-03'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-03')
 WHERE level = 'doctor';
-- month 04
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-04'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-04')
 WHERE level = 'doctor';
-- month 05
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-05'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-05')
 WHERE level = 'doctor';
-- month 06
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-06'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-06')
 WHERE level = 'doctor';
-- month 07
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-07'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-07')
 WHERE level = 'doctor';
-- month 08
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-08'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-08')
 WHERE level = 'doctor';
-- month 09
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-09'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-09')
 WHERE level = 'doctor';
-- month 10
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-10'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-10')
 WHERE level = 'doctor';
-- month 11
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-11'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-11')
 WHERE level = 'doctor';
-- month 12
WITH par AS MATERIALIZED (
  SELECT o.* FROM (SELECT 1 FROM temp.dc_rem WHERE level = 'doctor' LIMIT 1) AS any_rem CROSS JOIN decompose_out o
  WHERE o.level = 'department' AND o.doctor_id IS NULL AND o.period = (SELECT year FROM temp.dc_param) || '-12'
     AND EXISTS (SELECT 1 FROM temp.dc_rem x WHERE x.level = 'doctor' AND x.department_id = o.department_id))
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period, share, amount, no_history)
SELECT r.owner, 'doctor', o.unit_id, o.hospital_id, o.department_id, a.key, o.period,
       CASE WHEN r.amount > 0 THEN a.amount * 1.0 / r.amount END, a.amount, r.no_history
  FROM par o
  CROSS JOIN allocate(o.amount, 'SELECT doctor_id, rem FROM temp.dc_rem WHERE level = ''doctor'' AND department_id = ?1 ORDER BY doctor_id', o.department_id) a
  CROSS JOIN temp.dc_rem r ON r.level = 'doctor' AND r.department_id = o.department_id AND r.doctor_id = a.key
 ORDER BY o.seq, a.key;
UPDATE temp.dc_rem SET rem = rem - (SELECT o.amount FROM decompose_out o
                                     WHERE o.owner = dc_rem.owner AND o.department_id IS NOT NULL
                                       AND o.period = (SELECT year FROM temp.dc_param) || '-12')
 WHERE level = 'doctor';

-- the departments' and doctors' months side by side (doctors=1), read
-- once, owner by owner (decompose_out_below in order: no sort; the year's
-- months are the periods after 'YYYY', as long as no quarter row exists)
INSERT INTO dc_mw
SELECT m.owner, m.unit_id, 'below',
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-01' FROM temp.dc_param)) AS m1,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-02' FROM temp.dc_param)) AS m2,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-03' FROM temp.dc_param)) AS m3,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-04' FROM temp.dc_param)) AS m4,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-05' FROM temp.dc_param)) AS m5,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-06' FROM temp.dc_param)) AS m6,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-07' FROM temp.dc_param)) AS m7,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-08' FROM temp.dc_param)) AS m8,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-09' FROM temp.dc_param)) AS m9,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-10' FROM temp.dc_param)) AS m10,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-11' FROM temp.dc_param)) AS m11,
       sum(m.amount) FILTER (WHERE m.period = (SELECT year || '-12' FROM temp.dc_param)) AS m12,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-01' FROM temp.dc_param)) AS s1,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-02' FROM temp.dc_param)) AS s2,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-03' FROM temp.dc_param)) AS s3,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-04' FROM temp.dc_param)) AS s4,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-05' FROM temp.dc_param)) AS s5,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-06' FROM temp.dc_param)) AS s6,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-07' FROM temp.dc_param)) AS s7,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-08' FROM temp.dc_param)) AS s8,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-09' FROM temp.dc_param)) AS s9,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-10' FROM temp.dc_param)) AS s10,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-11' FROM temp.dc_param)) AS s11,
       max(m.share) FILTER (WHERE m.period = (SELECT year || '-12' FROM temp.dc_param)) AS s12
  FROM decompose_out m
 WHERE m.department_id IS NOT NULL
   AND m.period > (SELECT CAST(year AS TEXT) FROM temp.dc_param)
 GROUP BY m.owner;

-- Per year row with months, how many and their sum, and each quarter's
-- sum (NULL: no month in it), for the quarters and the summary below.
CREATE TEMP TABLE dc_qs (owner INTEGER PRIMARY KEY, nm INTEGER, sm INTEGER,
                         q1 INTEGER, q2 INTEGER, q3 INTEGER, q4 INTEGER);
INSERT INTO dc_qs
SELECT owner,
       (m1 IS NOT NULL) + (m2 IS NOT NULL) + (m3 IS NOT NULL) + (m4 IS NOT NULL) + (m5 IS NOT NULL) + (m6 IS NOT NULL) + (m7 IS NOT NULL) + (m8 IS NOT NULL) + (m9 IS NOT NULL) + (m10 IS NOT NULL) + (m11 IS NOT NULL) + (m12 IS NOT NULL),
       coalesce(m1, 0) + coalesce(m2, 0) + coalesce(m3, 0) + coalesce(m4, 0) + coalesce(m5, 0) + coalesce(m6, 0) + coalesce(m7, 0) + coalesce(m8, 0) + coalesce(m9, 0) + coalesce(m10, 0) + coalesce(m11, 0) + coalesce(m12, 0),
       CASE WHEN coalesce(m1, m2, m3) IS NOT NULL THEN coalesce(m1, 0) + coalesce(m2, 0) + coalesce(m3, 0) END,
       CASE WHEN coalesce(m4, m5, m6) IS NOT NULL THEN coalesce(m4, 0) + coalesce(m5, 0) + coalesce(m6, 0) END,
       CASE WHEN coalesce(m7, m8, m9) IS NOT NULL THEN coalesce(m7, 0) + coalesce(m8, 0) + coalesce(m9, 0) END,
       CASE WHEN coalesce(m10, m11, m12) IS NOT NULL THEN coalesce(m10, 0) + coalesce(m11, 0) + coalesce(m12, 0) END
  FROM dc_mw;

-- quarters: the sums of their months, for every year row with months
DROP TABLE temp.dc_rem;
INSERT INTO decompose_out(owner, level, unit_id, hospital_id, department_id, doctor_id, period,
                          share, amount, no_history)
WITH q(n) AS (VALUES (1), (2), (3), (4)),
x AS (
  SELECT s.owner AS seq, o.level, o.unit_id, o.hospital_id, o.department_id, o.doctor_id, o.period,
         o.amount AS year_amount, o.no_history, q.n,
         CASE q.n WHEN 1 THEN s.q1 WHEN 2 THEN s.q2 WHEN 3 THEN s.q3 ELSE s.q4 END AS amount
    FROM dc_qs s CROSS JOIN decompose_out o ON o.seq = s.owner CROSS JOIN q
)
SELECT seq, level, unit_id, hospital_id, department_id, doctor_id, period || '-Q' || n,
       CASE WHEN year_amount > 0 THEN amount * 1.0 / year_amount END,
       amount, no_history
  FROM x
 WHERE amount IS NOT NULL
 -- dc_qs in owner order, each owner's quarters in order (no sort)
 ORDER BY seq;

-- write mode: replace the subtree's sales targets for the product and year
DELETE FROM target
 WHERE (SELECT mode FROM temp.dc_param) = 'write'
   AND plan = (SELECT plan FROM temp.dc_param)
   AND kind = 'sales'
   AND product_id = (SELECT product FROM temp.dc_param)
   -- (no unit at all in preview: nothing is looked up)
   AND unit_id IN (SELECT u.id FROM temp.dc_param p CROSS JOIN temp.dc_unit u WHERE p.mode = 'write')
   AND (period = (SELECT CAST(year AS TEXT) FROM temp.dc_param)
        OR period GLOB (SELECT year || '-*' FROM temp.dc_param));

INSERT INTO target(plan, kind, unit_id, product_id, period, hospital_id, department_id, doctor_id, amount)
SELECT p.plan, 'sales', o.unit_id, p.product, o.period, o.hospital_id, o.department_id, o.doctor_id, o.amount
  FROM temp.dc_param p CROSS JOIN temp.decompose_out o
 WHERE p.mode = 'write'
 ORDER BY o.seq;

-- preview: one row per target (a year row of decompose_out, in cascade
-- order) with its quarters and months across, as the deck lays a plan
-- out to fill in (分月落实): the year's amount and its weight share among
-- its siblings, each quarter's amount and share of the year (Q1, Q2+Q3,
-- Q4: the split the deck asks to watch), the twelve months' amounts (NULL
-- where a target has no months: a hospital with nothing for the year, a
-- department or doctor with doctors=0).  The rows themselves, a year,
-- quarter or month each, stay in temp.decompose_out.
-- The shares are rounded to 4 places as round(x x 10000) / 10000: a
-- quarter's share of whole yuan is often a decimal tie (20595 / 100000),
-- and round(x, 4) prints such a tie up on SQLite 3.40 but down from 3.43
-- on (it rounds the double, 0.2059499...); round() to a whole number is
-- the same on every version.
SELECT y.level, y.unit_id, u.name AS unit, y.hospital_id, h.name AS hospital, y.department_id, y.doctor_id,
       y.period AS year, round(y.share * 10000) / 10000.0 AS share, y.amount, y.no_history,
       q.q1, q.q2, q.q3, q.q4,
       CASE WHEN y.amount > 0 THEN round(q.q1 * 10000.0 / y.amount) / 10000.0 END AS q1_share,
       CASE WHEN y.amount > 0 THEN round(q.q2 * 10000.0 / y.amount) / 10000.0 END AS q2_share,
       CASE WHEN y.amount > 0 THEN round(q.q3 * 10000.0 / y.amount) / 10000.0 END AS q3_share,
       CASE WHEN y.amount > 0 THEN round(q.q4 * 10000.0 / y.amount) / 10000.0 END AS q4_share,
       w.m1 AS m01, w.m2 AS m02, w.m3 AS m03, w.m4 AS m04, w.m5 AS m05, w.m6 AS m06,
       w.m7 AS m07, w.m8 AS m08, w.m9 AS m09, w.m10 AS m10, w.m11 AS m11, w.m12 AS m12
  FROM temp.decompose_out y
  LEFT JOIN org_unit u ON u.id = y.unit_id
  LEFT JOIN hospital h ON h.id = y.hospital_id
  LEFT JOIN temp.dc_mw w ON w.owner = y.seq
  LEFT JOIN temp.dc_qs q ON q.owner = y.seq
 WHERE (SELECT mode FROM temp.dc_param) = 'preview'
   AND y.seq <= (SELECT seq FROM temp.dc_last)  -- the year rows
 ORDER BY y.seq;

-- both modes: per level and kind of period, how much, and how much went
-- where the product has no history (from dc_qs: a year row with its
-- months' and quarters' counts and sums; per read once, not once per
-- kind of period)
WITH per AS MATERIALIZED (
  SELECT o.level, o.seq, o.no_history, o.amount, coalesce(s.nm, 0) AS nm, s.sm,
         (s.q1 IS NOT NULL) + (s.q2 IS NOT NULL) + (s.q3 IS NOT NULL) + (s.q4 IS NOT NULL) AS nq,
         coalesce(s.q1, 0) + coalesce(s.q2, 0) + coalesce(s.q3, 0) + coalesce(s.q4, 0) AS sq
    FROM temp.decompose_out o LEFT JOIN temp.dc_qs s ON s.owner = o.seq
   WHERE o.seq <= (SELECT seq FROM temp.dc_last)  -- the year rows
),
g AS (
  SELECT level, 'year' AS periods, 0 AS k, count(*) AS rows, sum(amount) AS amount,
         sum(no_history) AS no_history_rows,
         total(CASE WHEN no_history THEN amount END) AS no_history_amount, min(seq) AS first
    FROM per GROUP BY level
  UNION ALL
  SELECT level, 'quarter', 1, sum(nq), sum(sq), sum(no_history * nq),
         total(CASE WHEN no_history THEN sq END), min(seq)
    FROM per WHERE nq > 0 GROUP BY level
  UNION ALL
  SELECT level, 'month', 2, sum(nm), sum(sm), sum(no_history * nm),
         total(CASE WHEN no_history THEN sm END), min(seq)
    FROM per WHERE nm > 0 GROUP BY level
)
SELECT level, periods, rows, amount, no_history_rows, no_history_amount
  FROM g
 ORDER BY first, k;

DROP TABLE temp.dc_param;
DROP TABLE temp.dc_mw;
DROP TABLE temp.dc_last;
DROP TABLE temp.dc_hm;
DROP TABLE temp.dc_unit;
DROP TABLE temp.dc_anc;
DROP TABLE temp.dc_hosp;
DROP TABLE temp.dc_unit_w;
DROP TABLE temp.dc_hosp_w;
DROP TABLE temp.dc_prof;
DROP TABLE temp.dc_doc;
DROP TABLE temp.dc_dept_w;
DROP TABLE temp.dc_doc_w;
DROP TABLE temp.dc_qs;
