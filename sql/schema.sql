-- schema.sql -- the canonical territory schema.
--
-- The one schema the canned reports (sql/reports/), the demo territory
-- (fixtures/) and the shell's importer (.init, .import-dir) agree on.
-- Analysts may keep their own tables and still use every function; this
-- schema is what makes the reports work out of the box.
--
-- Conventions
--   * ids are integers; names may be Chinese.
--   * periods are months 'YYYY-MM'; targets may also be set for a year
--     'YYYY' or a quarter 'YYYY-Qn'.
--   * dates are ISO 'YYYY-MM-DD' and must exist (2026-02-30 is refused).
--   * money is yuan (元); target.amount is whole yuan so that allocate()
--     can split it exactly.
--   * rates and shares are fractions in [0, 1]; counts are >= 0.
--   * tables are STRICT: a value of the wrong type is an error, not data.
-- Run with PRAGMA foreign_keys=ON (the shell does).  Idempotent.

-- ---------------------------------------------------------------- organisation

-- company -> national (director) -> region (大区) -> district (地区) -> territory (rep)
CREATE TABLE IF NOT EXISTS org_unit (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES org_unit(id),
  level     TEXT NOT NULL
            CHECK (level IN ('company', 'national', 'region', 'district', 'territory')),
  name      TEXT NOT NULL CHECK (length(name) > 0),
  manager   TEXT,
  CHECK ((level = 'company') = (parent_id IS NULL))
) STRICT;
CREATE INDEX IF NOT EXISTS org_unit_parent ON org_unit(parent_id);

-- Each unit's parent must sit exactly one level above it.
CREATE TRIGGER IF NOT EXISTS org_unit_level_insert
BEFORE INSERT ON org_unit WHEN NEW.parent_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'org_unit: a unit''s parent must be exactly one level above it')
   WHERE (SELECT p.level FROM org_unit p WHERE p.id = NEW.parent_id) IS NOT
         CASE NEW.level WHEN 'national' THEN 'company' WHEN 'region' THEN 'national'
                        WHEN 'district' THEN 'region' WHEN 'territory' THEN 'district' END;
END;
CREATE TRIGGER IF NOT EXISTS org_unit_level_update
BEFORE UPDATE OF parent_id, level ON org_unit WHEN NEW.parent_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'org_unit: a unit''s parent must be exactly one level above it')
   WHERE (SELECT p.level FROM org_unit p WHERE p.id = NEW.parent_id) IS NOT
         CASE NEW.level WHEN 'national' THEN 'company' WHEN 'region' THEN 'national'
                        WHEN 'district' THEN 'region' WHEN 'territory' THEN 'district' END;
END;

-- 药物类别: a therapeutic class.  Our products and the competitors' belong
-- to one; a doctor's class total (potential) is the sum of rx over the class.
CREATE TABLE IF NOT EXISTS drug_class (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  rx_value REAL CHECK (rx_value >= 0)   -- yuan per prescription of the class, for the
                                        -- market value where no purchases are recorded
) STRICT;

-- A product: ours (ours = 1) or a competitor's (产品/竞争产品).
CREATE TABLE IF NOT EXISTS product (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  unit_price REAL NOT NULL CHECK (unit_price >= 0),     -- yuan per unit (box)
  class_id   INTEGER REFERENCES drug_class(id),
  ours       INTEGER NOT NULL DEFAULT 1 CHECK (ours IN (0, 1)),
  maker      TEXT                                       -- the company, for competitors
) STRICT;
CREATE INDEX IF NOT EXISTS product_class ON product(class_id);

-- ---------------------------------------------------------------- customers (hospitals)

CREATE TABLE IF NOT EXISTS hospital (
  id                  INTEGER PRIMARY KEY,
  unit_id             INTEGER NOT NULL REFERENCES org_unit(id),   -- the rep territory
  name                TEXT NOT NULL CHECK (length(name) > 0),
  city                TEXT,
  tier                TEXT CHECK (tier IN ('A', 'B', 'C', 'community', 'specialty')),  -- legacy, see hospital_tier_grading
  level               TEXT CHECK (level IN ('三级', '二级', '一级')),       -- 医院等级
  grade               TEXT CHECK (grade IN ('甲', '乙', '丙')),             -- 等次
  type                TEXT CHECK (type IN ('综合', '专科', '儿童', '中医', '社区')),
  phase               INTEGER CHECK (phase IN (1, 2, 3)),   -- 目标规划: 一期/二期/三期 development phase
  beds                INTEGER NOT NULL DEFAULT 0 CHECK (beds >= 0),
  outpatients_per_day REAL NOT NULL DEFAULT 0 CHECK (outpatients_per_day >= 0),
  occupancy           REAL CHECK (occupancy BETWEEN 0 AND 1),       -- bed occupancy
  avg_stay_days       REAL CHECK (avg_stay_days > 0),               -- average inpatient stay
  status              TEXT NOT NULL CHECK (status IN ('developed', 'target', 'undeveloped')),
  expected_entry      TEXT CHECK (expected_entry IS NULL
                                  OR date(julianday(expected_entry)) IS expected_entry)
) STRICT;
CREATE INDEX IF NOT EXISTS hospital_unit ON hospital(unit_id);

-- Files written before the grading (tier only) still import: a hospital
-- that comes with a tier and no level, grade or type is graded from it.
--   tier        level  grade  type
--   A           三级   甲     综合     (the big general hospitals)
--   B           二级   甲     综合
--   C           二级   乙     综合     (district hospitals)
--   community   一级   NULL   社区
--   specialty   NULL   NULL   专科     (level unknown: set it by hand)
-- A row that gives any of level, grade, type keeps what it gives.
CREATE TRIGGER IF NOT EXISTS hospital_tier_grading
AFTER INSERT ON hospital
WHEN NEW.tier IS NOT NULL AND NEW.level IS NULL AND NEW.grade IS NULL AND NEW.type IS NULL
BEGIN
  UPDATE hospital
     SET level = CASE NEW.tier WHEN 'A' THEN '三级' WHEN 'B' THEN '二级' WHEN 'C' THEN '二级'
                               WHEN 'community' THEN '一级' END,
         grade = CASE NEW.tier WHEN 'A' THEN '甲' WHEN 'B' THEN '甲' WHEN 'C' THEN '乙' END,
         type  = CASE NEW.tier WHEN 'community' THEN '社区' WHEN 'specialty' THEN '专科' ELSE '综合' END
   WHERE id = NEW.id;
END;

-- 科室: its patients a day.  How many of them take a drug class, and how
-- many prescriptions each, is per class: department_usage.  usage_rate and
-- rx_per_patient here are the one-class figures of files written before
-- classes; they apply only to products without a class (product.class_id
-- NULL), see the view product_usage.
CREATE TABLE IF NOT EXISTS department (
  id             INTEGER PRIMARY KEY,
  hospital_id    INTEGER NOT NULL REFERENCES hospital(id),
  name           TEXT NOT NULL CHECK (length(name) > 0),
  daily_patients REAL NOT NULL DEFAULT 0 CHECK (daily_patients >= 0),
  usage_rate     REAL NOT NULL DEFAULT 0 CHECK (usage_rate BETWEEN 0 AND 1),
  rx_per_patient REAL NOT NULL DEFAULT 0 CHECK (rx_per_patient >= 0)
) STRICT;
CREATE INDEX IF NOT EXISTS department_hospital ON department(hospital_id);

-- 科室 x 药物类别: the deck's potential formula per department and class --
-- daily patients x share of patients on the class x Rx per patient x
-- workdays.  A department with no row for a class has no potential for it.
CREATE TABLE IF NOT EXISTS department_usage (
  department_id  INTEGER NOT NULL REFERENCES department(id),
  class_id       INTEGER NOT NULL REFERENCES drug_class(id),
  usage_rate     REAL NOT NULL CHECK (usage_rate BETWEEN 0 AND 1),
  rx_per_patient REAL NOT NULL CHECK (rx_per_patient >= 0),
  PRIMARY KEY (department_id, class_id)
) STRICT;

-- 按月购进额: a hospital's monthly purchases of a drug class, in yuan (the
-- market value where it is recorded; elsewhere it is extrapolated).
CREATE TABLE IF NOT EXISTS purchase (
  hospital_id INTEGER NOT NULL REFERENCES hospital(id),
  class_id    INTEGER NOT NULL REFERENCES drug_class(id),
  period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                   AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  amount      REAL NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (hospital_id, class_id, period)
) STRICT;

CREATE TABLE IF NOT EXISTS doctor (
  id            INTEGER PRIMARY KEY,
  department_id INTEGER NOT NULL REFERENCES department(id),
  name          TEXT NOT NULL CHECK (length(name) > 0),
  title         TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS doctor_department ON doctor(department_id);

-- ---------------------------------------------------------------- activity

-- 处方量: a doctor's monthly prescriptions of a product, ours or a
-- competitor's.  The doctor's potential for a product is the class total:
-- the sum of rx_count over the products of its class (view rx_class).
-- potential is the class total typed by hand in files written before
-- classes and competitors; it is read only for a product without a class
-- (product.class_id NULL).  Leave it empty for a product with a class.
CREATE TABLE IF NOT EXISTS rx (
  doctor_id  INTEGER NOT NULL REFERENCES doctor(id),
  product_id INTEGER NOT NULL REFERENCES product(id),
  period     TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                  AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  rx_count   INTEGER NOT NULL CHECK (rx_count >= 0),
  potential  REAL CHECK (potential >= 0),
  PRIMARY KEY (doctor_id, product_id, period)
) STRICT;
-- covering: a month's or a quarter's prescriptions of a class (rx_class,
-- doctor_segment, the reports) are read from the index alone, without a
-- seek into the table per row (1.2 s -> 0.66 s for a class-month of 2M
-- rows at a million doctors)
CREATE INDEX IF NOT EXISTS rx_period ON rx(period, product_id, doctor_id, rx_count, potential);
-- covering, in key order (deciles report): a doctor's prescriptions per
-- product summed as rx is read in (doctor, product) order without a seek
-- into the table per row (the key's own index has no rx_count): the
-- deciles() query 3.0 s -> 2.5 s at a million doctors
CREATE INDEX IF NOT EXISTS rx_doctor_cover ON rx(doctor_id, product_id, period, rx_count);

-- monthly sales into a hospital, through a distributor (customer)
CREATE TABLE IF NOT EXISTS sale (
  hospital_id INTEGER NOT NULL REFERENCES hospital(id),
  product_id  INTEGER NOT NULL REFERENCES product(id),
  period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                   AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  units       INTEGER NOT NULL CHECK (units >= 0),
  amount      REAL NOT NULL CHECK (amount >= 0),               -- yuan
  customer_id INTEGER REFERENCES customer(id),                 -- the distributor
  PRIMARY KEY (hospital_id, product_id, period)
) STRICT;
CREATE INDEX IF NOT EXISTS sale_period ON sale(period, product_id);
-- scorecard (round 7): a hospital's sales by month, covering, so that its
-- year to date, last year and first/last sale are range seeks read from
-- the index alone (per-hospital pass 1.0 s -> 0.2 s at a million doctors)
CREATE INDEX IF NOT EXISTS sale_hospital_period ON sale(hospital_id, period, amount);
-- decompose (round 12): a product's sales month by month, covering, so
-- that hospital_sales() reads the product's months alone and max(period)
-- of a product is one seek (sale's key starts with the hospital: a
-- product's year was a skip-scan and a table seek a row, 0.36 s -> 0.07 s
-- at 30,000 hospitals)
CREATE INDEX IF NOT EXISTS sale_product ON sale(product_id, period, hospital_id, amount);

-- A target for a unit and product over a period: the unit's own row has
-- hospital/department/doctor NULL; rows that name a hospital (and below)
-- break the unit's target down.  period 'YYYY', 'YYYY-Qn' or 'YYYY-MM'.
-- plan names a version of the plan ('current' by default), so a new
-- decomposition can be previewed beside the current one.
CREATE TABLE IF NOT EXISTS target (
  id            INTEGER PRIMARY KEY,
  plan          TEXT NOT NULL DEFAULT 'current',
  unit_id       INTEGER NOT NULL REFERENCES org_unit(id),
  product_id    INTEGER NOT NULL REFERENCES product(id),
  period        TEXT NOT NULL CHECK (
                  (period GLOB '[0-9][0-9][0-9][0-9]')
                  OR (period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]')
                  OR (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                      AND substr(period, 6, 2) BETWEEN '01' AND '12')),
  hospital_id   INTEGER REFERENCES hospital(id),
  department_id INTEGER REFERENCES department(id),
  doctor_id     INTEGER REFERENCES doctor(id),
  amount        INTEGER NOT NULL CHECK (amount >= 0),          -- whole yuan
  kind          TEXT NOT NULL DEFAULT 'sales'                  -- 销售目标 / 回款目标
                CHECK (kind IN ('sales', 'collection')),
  CHECK (department_id IS NULL OR hospital_id IS NOT NULL),
  CHECK (doctor_id IS NULL OR department_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS target_key ON target(
  plan, kind, unit_id, product_id, period,
  ifnull(hospital_id, 0), ifnull(department_id, 0), ifnull(doctor_id, 0));

-- A goal statement to check against SMART (goals may be badly set: that is
-- what the smart report finds, so few constraints here).
CREATE TABLE IF NOT EXISTS goal (
  id         INTEGER PRIMARY KEY,
  owner      TEXT,
  product    TEXT,
  metric     TEXT,
  baseline   REAL,
  target     REAL,
  potential  REAL,
  start_date TEXT,
  due_date   TEXT,
  min_growth REAL,    -- NULL: settings smart.min_growth
  max_growth REAL,    -- NULL: settings smart.max_growth
  max_days   INTEGER, -- NULL: settings smart.max_days
  note       TEXT
) STRICT;

-- A rep's call on a doctor: planned in the call plan, reported by the rep,
-- verified by the manager (a verified visit must have been reported).
CREATE TABLE IF NOT EXISTS visit (
  id          INTEGER PRIMARY KEY,
  rep_unit_id INTEGER NOT NULL REFERENCES org_unit(id),
  doctor_id   INTEGER NOT NULL REFERENCES doctor(id),
  date        TEXT NOT NULL CHECK (date(julianday(date)) IS date),
  planned     INTEGER NOT NULL DEFAULT 1 CHECK (planned IN (0, 1)),
  reported    INTEGER NOT NULL DEFAULT 0 CHECK (reported IN (0, 1)),
  verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  CHECK (verified <= reported)
) STRICT;
CREATE INDEX IF NOT EXISTS visit_rep_date ON visit(rep_unit_id, date);
CREATE INDEX IF NOT EXISTS visit_doctor ON visit(doctor_id);

-- ---------------------------------------------------------------- money

CREATE TABLE IF NOT EXISTS budget (
  unit_id  INTEGER NOT NULL REFERENCES org_unit(id),
  period   TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  category TEXT NOT NULL CHECK (length(category) > 0),
  amount   REAL NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (unit_id, period, category)
) STRICT;

CREATE TABLE IF NOT EXISTS expense (
  id       INTEGER PRIMARY KEY,
  unit_id  INTEGER NOT NULL REFERENCES org_unit(id),
  period   TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  category TEXT NOT NULL CHECK (length(category) > 0),
  amount   REAL NOT NULL CHECK (amount >= 0),
  note     TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS expense_unit_period ON expense(unit_id, period);

-- 商业客户: a distributor or other paying customer, looked after by a unit
CREATE TABLE IF NOT EXISTS customer (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL CHECK (length(name) > 0),
  kind         TEXT NOT NULL DEFAULT 'distributor'
               CHECK (kind IN ('distributor', 'hospital', 'pharmacy', 'other')),
  credit_limit REAL CHECK (credit_limit >= 0),
  unit_id      INTEGER REFERENCES org_unit(id),
  terms_days   INTEGER CHECK (terms_days >= 0),                -- 信用政策: payment terms
  rating       TEXT CHECK (rating IN ('A', 'B', 'C', 'D'))     -- credit rating
) STRICT;
CREATE INDEX IF NOT EXISTS customer_unit ON customer(unit_id);

-- 年购销协议: a distributor's annual purchase-sale agreement for a product.
CREATE TABLE IF NOT EXISTS agreement (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customer(id),
  product_id   INTEGER NOT NULL REFERENCES product(id),
  year         TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]'),
  units        INTEGER CHECK (units >= 0),                     -- agreed quantity
  amount       REAL CHECK (amount >= 0),                       -- agreed amount, yuan
  payment_days INTEGER CHECK (payment_days >= 0),              -- agreed payment terms
  UNIQUE (customer_id, product_id, year)
) STRICT;

-- 商业客户选择: a distributor scored on the deck's criteria, 1 (poor) to 5
-- (excellent); on-time payment and returns are measured, not scored.
CREATE TABLE IF NOT EXISTS assessment (
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  year        TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]'),
  staff       INTEGER CHECK (staff BETWEEN 1 AND 5),        -- 人员素质
  finance     INTEGER CHECK (finance BETWEEN 1 AND 5),      -- 财务状况及管理
  promotion   INTEGER CHECK (promotion BETWEEN 1 AND 5),    -- 推广政策与服务
  cooperation INTEGER CHECK (cooperation BETWEEN 1 AND 5),  -- 预期合作
  note        TEXT,
  PRIMARY KEY (customer_id, year)
) STRICT;

CREATE TABLE IF NOT EXISTS invoice (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  date        TEXT NOT NULL CHECK (date(julianday(date)) IS date),
  due_date    TEXT NOT NULL CHECK (date(julianday(due_date)) IS due_date),
  amount      REAL NOT NULL CHECK (amount > 0),
  CHECK (due_date >= date)
) STRICT;
CREATE INDEX IF NOT EXISTS invoice_customer ON invoice(customer_id);

-- 回款: a payment against an invoice
CREATE TABLE IF NOT EXISTS payment (
  id         INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoice(id),
  date       TEXT NOT NULL CHECK (date(julianday(date)) IS date),
  amount     REAL NOT NULL CHECK (amount > 0)
) STRICT;
CREATE INDEX IF NOT EXISTS payment_invoice ON payment(invoice_id);

-- 进销存动态卡: opening + received - sold - returned = closing (not enforced
-- here: the inventory report finds the cards that break it)
CREATE TABLE IF NOT EXISTS inventory (
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  product_id  INTEGER NOT NULL REFERENCES product(id),
  period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
                                   AND substr(period, 6, 2) BETWEEN '01' AND '12'),
  opening     INTEGER NOT NULL CHECK (opening >= 0),
  received    INTEGER NOT NULL CHECK (received >= 0),
  sold        INTEGER NOT NULL CHECK (sold >= 0),
  returned    INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0),
  closing     INTEGER NOT NULL CHECK (closing >= 0),
  PRIMARY KEY (customer_id, product_id, period)
) STRICT;

-- ---------------------------------------------------------------- policy

-- Policy values the reports read; the defaults below are inserted once.
-- Inserting a key again replaces its row (ON CONFLICT REPLACE), so a
-- settings.csv import overrides the defaults.  value is typed (ANY):
-- numbers stay numbers.
CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY ON CONFLICT REPLACE,
  value ANY,
  about TEXT
) STRICT;

-- A value that spells a number ('22', '0.05', ' 30 ') is stored as that
-- number, however it arrives (typed with quotes, or from a CSV), so every
-- report compares and computes settings as numbers.
CREATE TRIGGER IF NOT EXISTS settings_numeric_insert
AFTER INSERT ON settings
WHEN typeof(NEW.value) = 'text'
 AND (CAST(CAST(NEW.value AS NUMERIC) AS TEXT) = trim(NEW.value)
      OR CAST(CAST(NEW.value AS REAL) AS TEXT) = trim(NEW.value))
BEGIN
  UPDATE settings SET value = CAST(NEW.value AS NUMERIC) WHERE key = NEW.key;
END;
CREATE TRIGGER IF NOT EXISTS settings_numeric_update
AFTER UPDATE OF value ON settings
WHEN typeof(NEW.value) = 'text'
 AND (CAST(CAST(NEW.value AS NUMERIC) AS TEXT) = trim(NEW.value)
      OR CAST(CAST(NEW.value AS REAL) AS TEXT) = trim(NEW.value))
BEGIN
  UPDATE settings SET value = CAST(NEW.value AS NUMERIC) WHERE key = NEW.key;
END;

INSERT OR IGNORE INTO settings(key, value, about) VALUES
  ('workdays_per_month',     22,    'working days in a month, for department potential'),
  ('days_per_year',          365,   'days in a year: inpatient extrapolation, days of sales outstanding (credit)'),
  ('quadrant.method',        'median', 'cuts for doctor quadrants: median | mean | percentile | fixed'),
  ('quadrant.usage_cut',     NULL,  'fixed usage cut (prescriptions a month) when method = fixed'),
  ('quadrant.potential_cut', NULL,  'fixed potential cut when method = fixed'),
  ('quadrant.percentile',    50,    'percentile used for both cuts when method = percentile'),
  ('quadrant.visit_weight.A', 1,    'visit-time weight of an A doctor (maintain) in the quadrants report'),
  ('quadrant.visit_weight.B', 2,    'visit-time weight of a B doctor (grow)'),
  ('quadrant.visit_weight.C', 2,    'visit-time weight of a C doctor (develop)'),
  ('quadrant.visit_weight.D', 0.5,  'visit-time weight of a D doctor (reduce)'),
  ('target_doctor.min_rx',   5,     'a target doctor writes at least this many Rx a month of our product (target_doctor.min_rx.<product name> overrides)'),
  ('smart.min_growth',       0,     'a goal must beat its baseline by at least this fraction'),
  ('smart.max_growth',       1.0,   'a goal may not grow more than this fraction over baseline'),
  ('smart.max_days',         366,   'longest span of a goal, in days'),
  ('pace.tolerance',         0.05,  'pace within +-tolerance is on track'),
  ('decompose.history_weight', 0.6, 'weight of last year''s share in a cascade (the rest: potential share)'),
  ('decompose.growth',       0.15,  'growth over last year when the company target is not given'),
  ('decompose.season',       'history', 'month profile: history, or a JSON array of 12 weights'),
  ('pareto.a_cut',           0.80,  'cumulative sales share up to which a customer is class A'),
  ('pareto.b_cut',           0.95,  'cumulative sales share up to which a customer is class B'),
  ('best.count',             30,    'how many best customers to list'),
  ('worst.overdue_days',     120,   'a worst customer is overdue beyond this many days ...'),
  ('worst.overdue_amount',   50000, '... by more than this amount (yuan)'),
  ('inventory.days_per_month', 30,  'days, for days of supply');

-- Phased plans (issue 14): how decompose splits a year over its quarters.
INSERT OR IGNORE INTO settings(key, value, about) VALUES
  ('plan.quarter_split', 'history', 'quarter shares in decompose: history (the season''s own), Q1/Q2+Q3/Q4 like 25/45/30, or four like 20/25/25/30');

-- The deck's missing tools (issue 15): target doctors, distributors, credit.
INSERT OR IGNORE INTO settings(key, value, about) VALUES
  ('target_doctor.monthly_growth', 1, 'target doctors a rep should add a month per product (逐月增加的目标医生)'),
  ('worst.age_from',         'invoice', 'a worst customer''s debt is aged from the invoice date (invoice) or the due date (due)'),
  ('distributor.weight.assessment', 0.5, 'weight of the assessed criteria (staff, finance, promotion, cooperation) in the distributor score'),
  ('distributor.weight.on_time',    0.3, 'weight of the share paid on time in the distributor score'),
  ('distributor.weight.returns',    0.2, 'weight of the returns score in the distributor score'),
  ('distributor.max_return_rate',   0.05, 'a return rate (returned / sold) at or above this scores 0 on returns'),
  ('credit.many_small',      3,     'a unit with at least this many class-C customers and growing bad debt is warned (广种薄收)');

-- ---------------------------------------------------------------- views

-- Every unit with the ids of the units above it (NULL where it has none).
-- A unit's parent is exactly one level above it (the org_unit triggers),
-- so the chain is at most four parents long: four joins, not a recursive
-- query, which lets SQLite look a unit up by id instead of building the
-- whole tree (reports join it per customer, hospital or target).
CREATE VIEW IF NOT EXISTS unit_tree AS
SELECT u.id, u.name, u.level, u.parent_id,
       CASE u.level WHEN 'territory' THEN u.id END AS territory_id,
       CASE u.level WHEN 'district' THEN u.id WHEN 'territory' THEN p1.id END AS district_id,
       CASE u.level WHEN 'region' THEN u.id WHEN 'district' THEN p1.id
                    WHEN 'territory' THEN p2.id END AS region_id,
       CASE u.level WHEN 'national' THEN u.id WHEN 'region' THEN p1.id
                    WHEN 'district' THEN p2.id WHEN 'territory' THEN p3.id END AS national_id,
       CASE u.level WHEN 'company' THEN u.id WHEN 'national' THEN p1.id
                    WHEN 'region' THEN p2.id WHEN 'district' THEN p3.id
                    WHEN 'territory' THEN p4.id END AS company_id
  FROM org_unit u
  LEFT JOIN org_unit p1 ON p1.id = u.parent_id
  LEFT JOIN org_unit p2 ON p2.id = p1.parent_id
  LEFT JOIN org_unit p3 ON p3.id = p2.parent_id
  LEFT JOIN org_unit p4 ON p4.id = p3.parent_id;

-- Every doctor with the department, hospital and territory it belongs to.
CREATE VIEW IF NOT EXISTS doctor_place AS
SELECT d.id AS doctor_id, d.name AS doctor, d.title,
       dp.id AS department_id, dp.name AS department,
       h.id AS hospital_id, h.name AS hospital, h.tier, h.status,
       h.unit_id AS territory_id, h.level, h.grade, h.type
  FROM doctor d
  JOIN department dp ON dp.id = d.department_id
  JOIN hospital h ON h.id = dp.hospital_id;

-- Every department with, for every product, the share of its patients on
-- the product's class and the prescriptions per patient (department_usage;
-- 0 and 0 where the department does not use the class).  A product without
-- a class takes the department's own usage_rate and rx_per_patient (files
-- written before classes).  dept_potential(daily_patients, usage_rate,
-- rx_per_patient, workdays) is then the department's class prescriptions a
-- month: the potential of the product.
CREATE VIEW IF NOT EXISTS product_usage AS
SELECT d.id AS department_id, p.id AS product_id, p.class_id, d.daily_patients,
       CASE WHEN p.class_id IS NULL THEN d.usage_rate ELSE coalesce(u.usage_rate, 0) END AS usage_rate,
       CASE WHEN p.class_id IS NULL THEN d.rx_per_patient ELSE coalesce(u.rx_per_patient, 0) END AS rx_per_patient
  FROM department d CROSS JOIN product p
  LEFT JOIN department_usage u ON u.department_id = d.id AND u.class_id = p.class_id;

-- Per doctor, product and month: the doctor's prescriptions of the product
-- (rx_count, 0 when the doctor writes only competitors') and of its whole
-- class (class_rx: the sum over the class's products, ours and the
-- competitors').  A product without a class (files written before classes
-- and competitors) keeps the class total typed by hand in rx.potential
-- (NULL when not typed).  Share of a doctor = rx_count / class_rx.
-- The rows come from the extension's rx_class_scan (ext/rxclass.c), which
-- reads rx once and groups in C: the same rows as grouping rx by doctor,
-- month and class in SQL, without the sort (8.6 s -> about 1 s over 5
-- million rx rows), and a filter on product_id, period or doctor_id given
-- to the view reads only the rx rows it needs.
CREATE VIEW IF NOT EXISTS rx_class AS
SELECT doctor_id, product_id, class_id, period, rx_count, class_rx FROM rx_class_scan;

-- Open balance of every invoice (amount less payments), with days overdue
-- counted by the caller against its own as-of date.
CREATE VIEW IF NOT EXISTS invoice_balance AS
SELECT i.id AS invoice_id, i.customer_id, i.date, i.due_date, i.amount,
       i.amount - ifnull((SELECT sum(p.amount) FROM payment p
                           WHERE p.invoice_id = i.id), 0) AS open_amount,
       (SELECT max(p.date) FROM payment p WHERE p.invoice_id = i.id) AS last_payment
  FROM invoice i;

-- The quadrant rule (医生类别), defined once: the quadrants and visits
-- reports and the shell's quadrant chart read it from here.
-- For every month holding prescriptions (period: the last month of a
-- quarter) and every one of our products (product_id; NULL: all our
-- products together), each doctor with prescription data of the product's
-- class in the quarter:
--   usage     = the doctor's prescriptions of the product a month,
--   potential = the doctor's prescriptions of the class a month (rx_class;
--               for all products, each class once),
-- a month being the quarter's months that hold any prescriptions (a month
-- not loaded yet does not dilute the others).  Cuts within the doctor's
-- territory by the setting quadrant.method: 'median' (default), 'mean',
-- 'percentile' (quadrant.percentile, default 50), or 'fixed'
-- (quadrant.usage_cut and quadrant.potential_cut, a month).  quadrant():
-- a doctor at or above a cut is on its high side; A high usage low
-- potential, B both high, C low usage high potential, D both low.
-- Columns: period, latest (the quarter ends with the latest month with
-- data), latest_visit (... with the month of the latest reported visit),
-- product_id, product (its name), doctor_id, territory_id, usage,
-- potential, usage_cut, potential_cut, quadrant.
-- Read it for one quarter and product with terms on these columns and
-- constants or bound parameters only (WHERE period = ?1 AND product_id = ?2,
-- WHERE latest AND product_id IS NULL): SQLite then pushes them inside and
-- computes that quarter alone; a subquery in the filter stops that.
-- How: the quarters and products are small tables, and each (quarter,
-- product) pair calls segment() once (ext/setwise.c: the medians in C) on
-- a query that reads rx_usage() for that quarter and product (rx's rows
-- summed per doctor in C); a filter on period,
-- latest or product_id from the caller selects the pairs before any
-- prescription is read.  'mean' and 'percentile' take segment()'s figures
-- and compute their cuts with window functions.
CREATE VIEW IF NOT EXISTS doctor_segment AS
WITH setting AS (
  SELECT CASE
           WHEN method IN ('median', 'mean', 'percentile') THEN method
           WHEN method = 'fixed' AND typeof(usage_cut) IN ('integer', 'real') AND usage_cut >= 0
                AND typeof(potential_cut) IN ('integer', 'real') AND potential_cut >= 0 THEN method
           WHEN method = 'fixed'
             THEN raise_error('doctor_segment: quadrant.method is fixed: quadrant.usage_cut and quadrant.potential_cut must be non-negative numbers')
           ELSE raise_error('doctor_segment: quadrant.method must be median, mean, percentile or fixed, got ' || method)
         END AS method,
         usage_cut, potential_cut,
         CASE WHEN typeof(pct) IN ('integer', 'real') AND pct BETWEEN 0 AND 100 THEN pct
              ELSE raise_error('doctor_segment: quadrant.percentile must be between 0 and 100, got ' || pct)
         END AS pct
    FROM (SELECT coalesce((SELECT value FROM settings WHERE key = 'quadrant.method'), 'median') AS method,
                 (SELECT value FROM settings WHERE key = 'quadrant.usage_cut') AS usage_cut,
                 (SELECT value FROM settings WHERE key = 'quadrant.potential_cut') AS potential_cut,
                 coalesce((SELECT value FROM settings WHERE key = 'quadrant.percentile'), 50) AS pct)
),
-- the months holding data: one seek each in rx_period, not a scan of rx
mon(period) AS (
  SELECT (SELECT min(period) FROM rx)
  UNION ALL
  SELECT (SELECT min(r.period) FROM rx r WHERE r.period > mon.period) FROM mon
   WHERE mon.period IS NOT NULL
),
-- a quarter ends in a month with data or in one of the two after it; n:
-- its months holding data (a month not loaded yet does not dilute the
-- others); latest: it ends with the latest month with data; latest_visit:
-- with the month of the latest reported visit (the reports' defaults)
ends AS (
  SELECT period FROM mon WHERE period IS NOT NULL
  UNION SELECT strftime('%Y-%m', period || '-01', '+1 month') FROM mon WHERE period IS NOT NULL
  UNION SELECT strftime('%Y-%m', period || '-01', '+2 months') FROM mon WHERE period IS NOT NULL
),
q AS (
  SELECT e.period AS q_end, strftime('%Y-%m', e.period || '-01', '-2 months') AS m_first,
         (SELECT count(*) FROM mon k
           WHERE k.period BETWEEN strftime('%Y-%m', e.period || '-01', '-2 months') AND e.period) AS n,
         e.period IS (SELECT max(period) FROM rx) AS latest,
         e.period IS (SELECT strftime('%Y-%m', max(date)) FROM visit WHERE reported = 1) AS latest_visit
    FROM ends e
),
prod AS (
  SELECT id AS product_id, name AS product FROM product WHERE ours = 1
  UNION ALL
  SELECT NULL, NULL
),
-- per doctor of the quarter: usage and potential a month (?1..?2 the
-- quarter's months, ?3 how many hold data, ?4 the product); all our
-- products: the Rx of all of them, and each of their classes once.
-- rx_usage() (ext/rxusage.c) sums exactly what rx_class holds for those
-- months, per doctor and in doctor order, without sending rx's rows
-- through SQL.
fig_sql(all_products, one_product) AS (
  SELECT
    'SELECT dp.territory_id, f.doctor_id, CAST(f.usage AS REAL) / ?3, CAST(f.potential AS REAL) / ?3
      FROM rx_usage(?1, ?2) f JOIN doctor_place dp ON dp.doctor_id = f.doctor_id
     WHERE ?4 IS NULL',
    'SELECT dp.territory_id, f.doctor_id, CAST(f.usage AS REAL) / ?3, CAST(f.potential AS REAL) / ?3
      FROM rx_usage(?1, ?2, ?4) f JOIN doctor_place dp ON dp.doctor_id = f.doctor_id'
)
-- each arm calls segment() itself: a CTE read twice would be computed for
-- every quarter and product before the caller's filter could pick one
SELECT q.q_end AS period, q.latest, q.latest_visit, pr.product_id, pr.product,
       g.id AS doctor_id, g.grp AS territory_id, g.usage, g.potential,
       g.usage_cut, g.potential_cut, g.quadrant
  FROM setting s, q, prod pr, fig_sql t,
       segment(CASE WHEN pr.product_id IS NULL THEN t.all_products ELSE t.one_product END,
                 CASE WHEN s.method = 'fixed' THEN s.usage_cut END,
                 CASE WHEN s.method = 'fixed' THEN s.potential_cut END,
                 q.m_first, q.q_end, q.n, pr.product_id) g
 WHERE s.method IN ('median', 'fixed')
UNION ALL
SELECT period, latest, latest_visit, product_id, product, doctor_id, territory_id,
       usage, potential, usage_cut, potential_cut,
       quadrant(usage, potential, usage_cut, potential_cut) AS quadrant
  FROM (SELECT q.q_end AS period, q.latest, q.latest_visit, pr.product_id, pr.product,
               g.id AS doctor_id, g.grp AS territory_id, g.usage, g.potential,
               CASE s.method WHEN 'mean' THEN avg(g.usage) OVER w ELSE percentile(g.usage, s.pct) OVER w END AS usage_cut,
               CASE s.method WHEN 'mean' THEN avg(g.potential) OVER w ELSE percentile(g.potential, s.pct) OVER w END AS potential_cut
          FROM setting s, q, prod pr, fig_sql t,
               segment(CASE WHEN pr.product_id IS NULL THEN t.all_products ELSE t.one_product END,
                 CASE WHEN s.method = 'fixed' THEN s.usage_cut END,
                 CASE WHEN s.method = 'fixed' THEN s.potential_cut END,
                 q.m_first, q.q_end, q.n, pr.product_id) g
         WHERE s.method IN ('mean', 'percentile')
        WINDOW w AS (PARTITION BY q.q_end, q.latest, q.latest_visit, pr.product_id, pr.product, g.grp));
