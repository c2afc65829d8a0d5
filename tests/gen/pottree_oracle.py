#!/usr/bin/env python3
"""Generates tests/sql/potential_tree_gen.test: potential_tree(period,
workdays [, product_id]) over random territories -- hospitals under
territories and a district, with and without beds, occupancy, stay and
outpatients; departments without doctors and hospitals without
departments; classes used by some departments only, with and without a
price; products of ours and competitors', classed and classless; purchases
and sales of the month and of others -- against Python: every row, in
order, worked out from the definitions in docs/src/30-potential.md (the
deck's formula per department and class, each doctor's month as
rx_gen.per_doctor reads it, the sums, the market value, the three orders,
the entry department), knowing nothing of the C code.  And every bit
against the same thing in SQL: product_potential() and rx_department()
joined to the tables, grouped and ranked with window functions.
Deterministic (fixed seed).

Run from the repository root:  python3 tests/gen/pottree_oracle.py
"""
import random

from rx_gen import draw_products, header, lit, num, per_doctor, potential
from same_rows import same_rows

rng = random.Random(20261206)
MONTH, OTHER = "2026-02", "2026-01"   # February 2026: 28 days
DAYS = 28
UNITS = [11, 12, 13, 5]              # three territories and a district

out = header("pottree_oracle.py",
             "potential_tree() against Python, and every bit against the same in SQL.") + [
    "INSERT INTO org_unit(id, parent_id, level, name) VALUES (1, NULL, 'company', 'co'),"
    " (2, 1, 'national', 'cn'), (3, 2, 'region', 'east'), (5, 3, 'district', 'dist'),"
    " (11, 5, 'territory', 't11'), (12, 5, 'territory', 't12'), (13, 5, 'territory', 't13');", ""]

COLS = ("level, territory_id, hospital_id, department_id, rank, dev_rank, entry, potential, rx, class_rx,"
        " prescribers, users, headroom, market_value, recorded_value, source, sales, outpatients,"
        " inpatients, dept_patients, usage_rate")


def former(workdays, product):
    """The same rows in SQL, unordered (rank and dev_rank carry the order)."""
    p = lit(product)
    w = num(workdays)
    return f"""
WITH dp AS (SELECT department_id, potential, usage_rate FROM product_potential({w}, {p})),
dx AS (SELECT department_id, rx, class_rx, class_writers, prescribers FROM rx_department('{MONTH}', '{MONTH}', {p})),
dep AS (SELECT h.unit_id AS territory_id, h.id AS hospital_id, d.id AS department_id,
               d.daily_patients * {w} AS dept_patients, coalesce(dp.potential, 0.0) AS potential,
               dp.usage_rate, coalesce(dx.rx, 0) AS rx, coalesce(dx.class_rx, 0) AS class_rx,
               coalesce(dx.class_writers, 0) AS prescribers, coalesce(dx.prescribers, 0) AS users,
               headroom(coalesce(dp.potential, 0.0), coalesce(dx.rx, 0)) AS room
          FROM hospital h JOIN department d ON d.hospital_id = h.id
          LEFT JOIN dp ON dp.department_id = d.id LEFT JOIN dx ON dx.department_id = d.id
         ORDER BY d.hospital_id, d.id),
ent AS (SELECT (SELECT e.department_id FROM dep e WHERE e.hospital_id = g.hospital_id AND e.potential > 0
                 ORDER BY e.usage_rate DESC, e.potential DESC, e.department_id LIMIT 1) AS department_id
          FROM (SELECT DISTINCT hospital_id FROM dep) g),
hd AS (SELECT x.hospital_id, x.class_id, x.potential AS demand FROM product_potential({w}, {p}, 'hospital') x
        WHERE x.hospital_id IN (SELECT hospital_id FROM dep)),
hc AS (SELECT hd.hospital_id, hd.class_id,
              (SELECT pu.amount FROM purchase pu WHERE pu.hospital_id = hd.hospital_id
                  AND pu.class_id = hd.class_id AND pu.period = '{MONTH}') AS recorded,
              CASE WHEN hd.demand = 0 THEN 0
                   ELSE hd.demand * CASE WHEN h.outpatients_per_day * {w} > 0
                                         THEN 1 + coalesce(CASE WHEN h.beds = 0 THEN 0 ELSE inpatient_volume(h.beds,
                                              h.occupancy, h.avg_stay_days, {DAYS}) END, 0)
                                              / (h.outpatients_per_day * {w})
                                         ELSE 1 END
                        * (SELECT c.rx_value FROM drug_class c WHERE c.id = hd.class_id) END AS extrapolated
         FROM hd JOIN hospital h ON h.id = hd.hospital_id
        ORDER BY hd.hospital_id, hd.class_id IS NOT NULL, hd.class_id),
mv AS (SELECT hospital_id,
              CASE WHEN count(coalesce(recorded, extrapolated)) = count(*)
                   THEN sum(coalesce(recorded, extrapolated)) END AS market_value,
              total(recorded) AS recorded_value,
              CASE WHEN count(coalesce(recorded, extrapolated)) < count(*) THEN NULL
                   WHEN count(recorded) = count(*) THEN 'purchases'
                   WHEN count(recorded) = 0 THEN 'extrapolated' ELSE 'mixed' END AS source
         FROM hc GROUP BY hospital_id),
hosp AS (SELECT d.territory_id, d.hospital_id, h.outpatients_per_day * {w} AS outpatients,
                CASE WHEN h.beds = 0 THEN 0
                     ELSE inpatient_volume(h.beds, h.occupancy, h.avg_stay_days, {DAYS}) END AS inpatients,
                sum(d.dept_patients) AS dept_patients, sum(d.potential) AS potential, sum(d.rx) AS rx,
                sum(d.room) AS room, sum(d.class_rx) AS class_rx, sum(d.prescribers) AS prescribers,
                sum(d.users) AS users
           FROM dep d JOIN hospital h ON h.id = d.hospital_id GROUP BY d.hospital_id),
hall AS (SELECT h.*, m.market_value, m.recorded_value, m.source,
                CASE WHEN m.hospital_id IS NOT NULL THEN
                  (SELECT total(s.amount) FROM sale s WHERE s.hospital_id = h.hospital_id AND s.period = '{MONTH}'
                      AND s.product_id IN (SELECT id FROM product
                                            WHERE CASE WHEN {p} IS NULL THEN ours = 1 ELSE id = {p} END)) END AS sales,
                row_number() OVER (PARTITION BY h.territory_id ORDER BY h.room DESC, h.hospital_id) AS rank
           FROM hosp h LEFT JOIN mv m ON m.hospital_id = h.hospital_id
          ORDER BY h.territory_id, h.hospital_id),
terr AS (SELECT territory_id, sum(outpatients) AS outpatients, sum(inpatients) AS inpatients,
                sum(dept_patients) AS dept_patients, sum(potential) AS potential, sum(rx) AS rx,
                sum(room) AS room, sum(class_rx) AS class_rx, sum(prescribers) AS prescribers,
                sum(users) AS users, sum(market_value) AS market_value, total(recorded_value) AS recorded_value,
                CASE WHEN count(market_value) < count(*) THEN NULL
                     WHEN min(source) = max(source) THEN min(source) ELSE 'mixed' END AS source,
                sum(sales) AS sales
           FROM hall GROUP BY territory_id)
SELECT 'territory', territory_id, NULL, NULL, NULL, NULL, NULL, potential, rx, class_rx, prescribers, users,
       room, market_value, recorded_value, source, sales, outpatients, inpatients, dept_patients, NULL FROM terr
UNION ALL
SELECT 'hospital', territory_id, hospital_id, NULL, rank, NULL, NULL, potential, rx, class_rx, prescribers,
       users, room, market_value, recorded_value, source, sales, outpatients, inpatients, dept_patients, NULL
  FROM hall
UNION ALL
SELECT 'department', territory_id, hospital_id, department_id,
       row_number() OVER (PARTITION BY hospital_id ORDER BY room DESC, department_id),
       CASE WHEN potential > 0 THEN row_number() OVER (PARTITION BY territory_id, potential > 0
                                                       ORDER BY room DESC, potential DESC, department_id) END,
       department_id IN (SELECT department_id FROM ent WHERE department_id IS NOT NULL),
       potential, rx, class_rx, prescribers, users, room, NULL, NULL, NULL, NULL, NULL, NULL, dept_patients,
       usage_rate
  FROM dep"""


def expected(world, workdays, product):
    """The rows in order, from the definitions."""
    products, hospitals, deps, usage, prices, buys, sales, rx, dept_of = world
    chosen = [p for p, c, o in products if (o if product is None else p == product)]
    keys = sorted({c for p, c, o in products if p in chosen}, key=lambda c: (c is not None, c or 0))
    if product is not None:
        keys = [dict((p, c) for p, c, _ in products)[product]]
    doc = per_doctor(((k, v) for k, v in rx.items() if k[2] == MONTH and k[0] in dept_of), products, product)
    D = {}
    for d in sorted(deps):
        h = deps[d]["hosp"]
        if h not in hospitals:
            continue
        pots, rates = [], []
        for k in keys:
            if k is None:
                rate, rpp = deps[d]["rate"], deps[d]["rpp"]
            else:
                rate, rpp = usage.get((d, k), (0.0, 0.0))
            pots.append(deps[d]["patients"] * rpp * workdays * rate)
            rates.append(rate)
        pot = sum(pots) if keys else 0.0
        r = {"rx": 0, "ci": 0, "cr": 0.0, "cnn": False, "creal": False, "w": 0, "u": 0}
        for doctor in sorted(x for x in doc if dept_of[x] == d):
            a = doc[doctor]
            r["rx"] += a["u"]
            pv = potential(a)
            if a["hc"] or a["ht"]:
                r["cnn"] = True
                r["creal"] |= a["ht"]
                r["ci"] += a["c"]
                r["cr"] += float(pv)
            if (pv is not None and pv > 0) or a["u"] > 0:
                r["w"] += 1
            if a["u"] > 0:
                r["u"] += 1
        class_rx = 0 if not r["cnn"] else (r["cr"] if r["creal"] else r["ci"])
        D[d] = {"id": d, "hosp": h, "terr": hospitals[h]["unit"], "pots": pots, "potential": pot,
                "usage": float(max(rates)) if keys else None, "rx": r["rx"], "class_rx": class_rx,
                "pr": r["w"], "us": r["u"], "room": max(pot - r["rx"], 0.0),
                "patients": deps[d]["patients"] * workdays}
    H = {}
    for h in sorted({d["hosp"] for d in D.values()}):
        ds = [D[d] for d in sorted(D) if D[d]["hosp"] == h]
        hh = hospitals[h]
        inp = 0 if hh["beds"] == 0 else (None if hh["occ"] is None or hh["stay"] is None
                                         else hh["beds"] * DAYS * hh["occ"] / hh["stay"])
        outp = hh["opd"] * workdays
        x = {"id": h, "terr": hh["unit"], "out": outp, "inp": inp, "deps": ds,
             "patients": sum(d["patients"] for d in ds), "potential": sum(d["potential"] for d in ds),
             "rx": sum(d["rx"] for d in ds), "room": sum(d["room"] for d in ds),
             "class_rx": sum(d["class_rx"] for d in ds), "pr": sum(d["pr"] for d in ds),
             "us": sum(d["us"] for d in ds), "mv": None, "rec": None, "src": None, "sales": None}
        if keys:
            values, nrec, rec = [], 0, 0.0
            for i, k in enumerate(keys):
                demand = sum(d["pots"][i] for d in ds)
                b = buys.get((h, k)) if k is not None else None
                if b is not None:
                    values.append(b)
                    nrec += 1
                    rec += b
                elif demand == 0:
                    values.append(0)
                elif k is None or prices.get(k) is None:
                    values.append(None)
                else:
                    f = 1 + (inp or 0) / outp if outp > 0 else 1
                    values.append(demand * f * prices[k])
            known = [v for v in values if v is not None]
            x["mv"] = sum(known) if len(known) == len(values) else None
            x["rec"] = rec
            x["src"] = (None if len(known) < len(values) else "purchases" if nrec == len(keys)
                        else "extrapolated" if nrec == 0 else "mixed")
            x["sales"] = float(sum(a for (hs, p), a in sales.items() if hs == h and p in chosen))
        H[h] = x
    rows = []
    for t in sorted({x["terr"] for x in H.values()}):
        hs = sorted((x for x in H.values() if x["terr"] == t), key=lambda x: (-x["room"], x["id"]))
        byid = sorted(hs, key=lambda x: x["id"])
        nn = lambda vals: sum(v for v in vals if v is not None) if any(v is not None for v in vals) else None
        srcs = [x["src"] for x in byid if x["src"] is not None]
        valued = sum(1 for x in byid if x["mv"] is not None)
        rows.append(("territory", t, None, None, None, None, None, sum(x["potential"] for x in byid),
                     sum(x["rx"] for x in byid), sum(x["class_rx"] for x in byid), sum(x["pr"] for x in byid),
                     sum(x["us"] for x in byid), sum(x["room"] for x in byid), nn([x["mv"] for x in byid]),
                     sum(x["rec"] or 0.0 for x in byid),
                     None if valued < len(byid) else (srcs[0] if len(set(srcs)) == 1 else "mixed"),
                     nn([x["sales"] for x in byid]), sum(x["out"] for x in byid),
                     nn([x["inp"] for x in byid]), sum(x["patients"] for x in byid), None))
        ranked = sorted((d for d in D.values() if d["terr"] == t and d["potential"] > 0),
                        key=lambda d: (-d["room"], -d["potential"], d["id"]))
        dev = {d["id"]: i + 1 for i, d in enumerate(ranked)}
        for rank, x in enumerate(hs, 1):
            rows.append(("hospital", t, x["id"], None, rank, None, None, x["potential"], x["rx"], x["class_rx"],
                         x["pr"], x["us"], x["room"], x["mv"], x["rec"], x["src"], x["sales"], x["out"],
                         x["inp"], x["patients"], None))
            with_pot = [d for d in x["deps"] if d["potential"] > 0]
            entry = min(with_pot, key=lambda d: (-d["usage"], -d["potential"], d["id"]))["id"] if with_pot else None
            for drank, d in enumerate(sorted(x["deps"], key=lambda d: (-d["room"], d["id"])), 1):
                rows.append(("department", t, x["id"], d["id"], drank, dev.get(d["id"]), int(d["id"] == entry),
                             d["potential"], d["rx"], d["class_rx"], d["pr"], d["us"], d["room"], None, None,
                             None, None, None, None, d["patients"], d["usage"]))
    return rows


for case in range(8):
    products = draw_products(rng, 3, 0.5, (0, 2), [0, 1, 1])
    classes = sorted({c for _, c, _ in products if c is not None})
    prices = {c: rng.choice([None, 90.0, 156.0, 112.5]) for c in classes}
    hospitals = {}
    for h in rng.sample(range(1, 60), rng.randint(2, 8)):
        hospitals[h] = {"unit": rng.choice(UNITS), "beds": rng.choice([0, 0, rng.randint(50, 900)]),
                        "occ": rng.choice([None, 0.85, round(rng.random(), 2)]),
                        "stay": rng.choice([None, 7.5, float(rng.randint(3, 12))]),
                        "opd": rng.choice([0.0, float(rng.randint(100, 3000))])}
    deps = {}
    for d in rng.sample(range(1, 400), rng.randint(2, 24)):
        deps[d] = {"hosp": rng.choice(list(hospitals)),
                   "patients": rng.choice([0.0, float(rng.randint(1, 300)), round(rng.uniform(0, 200), 2)]),
                   "rate": rng.choice([0.0, 1.0, round(rng.random(), 3)]),
                   "rpp": rng.choice([0.0, float(rng.randint(1, 4)), round(rng.uniform(0, 3), 2)])}
    usage = {}
    for d in deps:
        for c in classes:
            if rng.random() < 0.6:
                usage[(d, c)] = (rng.choice([0.0, 1.0, round(rng.random(), 3)]),
                                 rng.choice([1.0, round(rng.uniform(0, 3), 2)]))
    doctors = rng.sample(range(1, 500), rng.randint(3, 40))
    dept_of = {x: rng.choice(list(deps)) for x in doctors}
    rx = {}
    for x in doctors:
        for p, c, _ in products:
            for m in (MONTH, OTHER):
                if rng.random() < 0.4:
                    pot = None if c is not None or rng.random() < 0.3 else float(rng.randint(0, 16)) + rng.choice([0, 0.5])
                    rx[(x, p, m)] = (rng.choice([0, rng.randint(0, 12)]), pot)
    buys = {}
    for h in hospitals:
        for c in classes:
            if rng.random() < 0.3:
                buys[(h, c)] = float(rng.randint(0, 90000)) + rng.choice([0, 0.25])
    sales = {}
    for h in hospitals:
        for p, _, _ in products:
            if rng.random() < 0.5:
                sales[(h, p)] = float(rng.randint(0, 50000)) + rng.choice([0, 0.5])
    workdays = rng.choice([22, 21.5, 0])
    world = (products, hospitals, deps, usage, prices, buys, sales, rx, dept_of)
    out.append(f"-- case {case}: {len(products)} products, {len(hospitals)} hospitals, {len(deps)} departments,"
               f" {len(doctors)} doctors, {len(rx)} rx rows, workdays {workdays}")
    out += ["DELETE FROM sale;", "DELETE FROM purchase;", "DELETE FROM rx;", "DELETE FROM doctor;",
            "DELETE FROM department_usage;", "DELETE FROM department;", "DELETE FROM hospital;",
            "DELETE FROM product;", "DELETE FROM drug_class;"]
    out.append("INSERT INTO drug_class(id, name, rx_value) VALUES " +
               ", ".join(f"({c}, 'c{c}', {num(prices[c])})" for c in classes) + ";")
    out.append("INSERT INTO product(id, name, unit_price, class_id, ours) VALUES " +
               ", ".join(f"({p}, 'p{p}', 1, {lit(c)}, {o})" for p, c, o in products) + ";")
    out.append("INSERT INTO hospital(id, unit_id, name, status, beds, occupancy, avg_stay_days,"
               " outpatients_per_day) VALUES " +
               ", ".join(f"({h}, {v['unit']}, 'h{h}', 'target', {v['beds']}, {num(v['occ'])}, {num(v['stay'])},"
                         f" {num(v['opd'])})" for h, v in hospitals.items()) + ";")
    items = list(deps.items())
    rng.shuffle(items)
    out.append("INSERT INTO department(id, hospital_id, name, daily_patients, usage_rate, rx_per_patient) VALUES " +
               ", ".join(f"({d}, {v['hosp']}, 'd{d}', {num(v['patients'])}, {num(v['rate'])}, {num(v['rpp'])})"
                         for d, v in items) + ";")
    if usage:
        out.append("INSERT INTO department_usage(department_id, class_id, usage_rate, rx_per_patient) VALUES " +
                   ", ".join(f"({k[0]}, {k[1]}, {num(v[0])}, {num(v[1])})" for k, v in usage.items()) + ";")
    out.append("INSERT INTO doctor(id, department_id, name) VALUES " +
               ", ".join(f"({x}, {dept_of[x]}, 'doc')" for x in doctors) + ";")
    if rx:
        out.append("INSERT INTO rx(doctor_id, product_id, period, rx_count, potential) VALUES " +
                   ", ".join(f"({x}, {p}, '{m}', {n}, {lit(pot)})" for (x, p, m), (n, pot) in rx.items()) + ";")
    if buys:
        out.append("INSERT INTO purchase(hospital_id, class_id, period, amount) VALUES " +
                   ", ".join(f"({h}, {c}, '{MONTH}', {num(a)}), ({h}, {c}, '{OTHER}', 1.0)"
                             for (h, c), a in buys.items()) + ";")
    if sales:
        out.append("INSERT INTO sale(hospital_id, product_id, period, units, amount) VALUES " +
                   ", ".join(f"({h}, {p}, '{MONTH}', 1, {num(a)}), ({h}, {p}, '{OTHER}', 1, 7.0)"
                             for (h, p), a in sales.items()) + ";")
    for product in [None] + [p for p, _, _ in rng.sample(products, min(3, len(products)))]:
        args = f"'{MONTH}', {num(workdays)}" + ("" if product is None else f", {product}")
        out.append(f"SELECT {COLS} FROM potential_tree({args});")
        rows = expected(world, workdays, product)
        out += ["-- => " + "|".join(num(v) if not isinstance(v, str) else v for v in r) for r in rows] or ["-- empty"]
        out += same_rows(f"(SELECT {COLS} FROM potential_tree('{MONTH}', {num(workdays)}, {lit(product)}))",
                         former(workdays, product), 21, exact=True)

open("tests/sql/potential_tree_gen.test", "w").write("\n".join(out) + "\n")
