#!/usr/bin/env python3
"""Generates tests/sql/rx_department_gen.test: rx_department(first, last
[, product [, min_rx]]) over random prescriptions against Python -- each
doctor's month and each department's counts worked out with dicts, from the
definition in docs/src/30-potential.md -- for random runs of months (with
gaps), every product and all our products, whole and fractional thresholds
and none, dense doctor ids (an array) and ids spread over 10^12 (sorted and
searched), departments without prescriptions and rx rows of doctors that
table doctor does not have; and against the SQL the target_doctors report
used before (rx_usage() joined to doctor and grouped, the competitors looked
up in rx), month by month.  Deterministic (fixed seed).

Run from the repository root:  python3 tests/gen/rxdept_oracle.py
"""
import random

from rx_gen import draw_doctors, draw_products, header, lit, num, per_doctor, potential, territory_sql

rng = random.Random(20261205)
MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-05", "2026-10"]
out = header("rxdept_oracle.py",
             "rx_department() against Python and against the SQL the target_doctors report used before.") + [
       "-- rx rows of doctors that table doctor does not have (left out, as a join would)",
       "PRAGMA foreign_keys = OFF;", ""]


def next_month(m):
    y, mo = int(m[:4]), int(m[5:])
    y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return "%04d-%02d" % (y, mo)


for case in range(8):
    products = draw_products(rng, 3, 0.45, (1, 2), [0, 1, 1])  # (id, class or None, ours)
    periods = sorted(rng.sample(MONTHS, rng.randint(2, 5)))
    ndep = rng.randint(2, 7)
    deps = sorted(rng.sample(range(1, 50), ndep))
    doctors = draw_doctors(rng, case % 2, 8)
    dept = {d: rng.choice(deps) for d in doctors}
    strangers = rng.sample(range(1000, 2000), 3)  # in rx, not in doctor
    rx = {}
    for d in doctors + strangers:
        for p, c, _ in products:
            for m in periods:
                if rng.random() < 0.35:
                    pot = None if c is not None or rng.random() < 0.3 else float(rng.randint(0, 16)) + rng.choice([0, 0.5])
                    rx[(d, p, m)] = (rng.choice([0, 0, rng.randint(0, 12)]), pot)
    items = list(rx.items())
    rng.shuffle(items)
    out.append(f"-- case {case}: {len(products)} products, {len(periods)} months, {len(doctors)} doctors"
               f" in {ndep} departments, {len(items)} rx rows")
    out += territory_sql(products, doctors, items, deps, dept)

    ndoc = {k: sum(1 for d in doctors if dept[d] == k) for k in deps}

    def expected(first, last, product, t):
        rows, before = [], {}
        months = sorted({m for (_, _, m) in rx if first <= m <= last})
        last_month = None
        for m in months:
            doc = per_doctor(((k, v) for k, v in rx.items() if k[2] == m and k[0] in dept), products, product)
            adjacent = last_month is not None and next_month(last_month) == m
            now = {}
            for k in deps:
                ds = sorted(d for d in doc if dept[d] == k)
                if not ds:
                    continue
                r = {"rx": 0, "ci": 0, "cr": 0.0, "cnn": False, "creal": False, "w": 0, "pr": 0, "tg": 0,
                     "cb": 0, "cbnn": False, "tc": 0, "tcnn": False, "kr": False}
                for d in ds:
                    a = doc[d]
                    r["rx"] += a["u"]
                    has_pot = a["hc"] or a["ht"]
                    pot = potential(a)
                    if has_pot:
                        r["cnn"] = True
                        r["creal"] |= a["ht"]
                        r["ci"] += a["c"]
                        r["cr"] += float(pot)
                    if (pot is not None and pot > 0) or a["u"] > 0:
                        r["w"] += 1
                    if a["u"] > 0:
                        r["pr"] += 1
                    if t is not None:
                        if a["u"] >= t:
                            r["tg"] += 1
                            r["cbnn"] = True
                        elif pot is not None:
                            r["cbnn"] = True
                            r["cb"] += pot >= t
                    if a["u"] > 0:
                        r["tcnn"] = True
                    elif a["k"] > 0:
                        r["tcnn"] = True
                        r["tc"] += 1
                    r["kr"] |= a["kr"]
                class_rx = None if not r["cnn"] else (r["cr"] if r["creal"] else r["ci"])
                tc = r["tc"] if r["tcnn"] else (0 if r["kr"] else None)
                tb = before.get(k) if adjacent and t is not None else None
                rows.append((k, m, ndoc[k], r["rx"], class_rx, r["w"], r["pr"],
                             r["tg"] if t is not None else None,
                             r["cb"] if t is not None and r["cbnn"] else None, tc, tb))
                now[k] = r["tg"]
            before = now
            last_month = m
        return rows

    runs = [(periods[0], periods[-1]), (rng.choice(periods), rng.choice(MONTHS)), ("2025-01", "2030-12")]
    cols = ("department_id, period, doctors, rx, class_rx, class_writers, prescribers, targets, could_be,"
            " to_convert, targets_before")
    for first, last in runs:
        for product in [None] + [p for p, _, _ in rng.sample(products, min(3, len(products)))]:
            t = rng.choice([None, 0, 1, 3, 2.5, 5])
            if product is None and t is None:
                args = f"'{first}', '{last}'"
            else:
                args = f"'{first}', '{last}', {lit(product)}, {lit(t)}"
            out.append(f"SELECT {cols} FROM rx_department({args});")
            rows = expected(first, last, product, t)
            if not rows:
                out.append("-- empty")
            for r in rows:
                out.append("-- => " + "|".join(num(v) for v in r))
    # the SQL the target_doctors report used before (a month of one product
    # at a threshold), both ways
    for p, c, o in products:
        if not o:
            continue
        t = rng.choice([0, 1, 2.5, 4])
        m = rng.choice(periods)
        old = (f"WITH x AS (SELECT d.department_id, sum(r.usage > 0) AS prescribers, sum(r.usage >= {t}) AS targets,"
               f" sum(r.usage < {t} AND r.potential >= {t}) AS could_be,"
               f" sum(CASE WHEN r.usage > 0 THEN 0 WHEN {lit(c)} IS NULL THEN NULL"
               f" WHEN r.potential - (SELECT total(o.rx_count) FROM product q JOIN rx o ON o.product_id = q.id"
               f" WHERE q.class_id = {lit(c)} AND q.ours = 1 AND q.id <> {p} AND o.doctor_id = r.doctor_id"
               f" AND o.period = '{m}') > 0 THEN 1 END) AS to_convert"
               f" FROM rx_usage('{m}', '{m}', {p}) r JOIN doctor d ON d.id = r.doctor_id GROUP BY d.department_id)"
               f" SELECT x.department_id, (SELECT count(*) FROM doctor WHERE department_id = x.department_id),"
               f" x.prescribers, x.targets, x.could_be,"
               f" CASE WHEN x.to_convert IS NOT NULL OR {lit(c)} IS NULL THEN x.to_convert"
               f" WHEN EXISTS (SELECT 1 FROM doctor o_d CROSS JOIN product q JOIN rx o"
               f" ON o.doctor_id = o_d.id AND o.product_id = q.id WHERE o_d.department_id = x.department_id"
               f" AND q.class_id = {lit(c)} AND q.ours = 0 AND o.period = '{m}') THEN 0 END FROM x")
        new = (f"SELECT department_id, doctors, prescribers, targets, could_be, to_convert"
               f" FROM rx_department('{m}', '{m}', {p}, {t})")
        for x, y in ((new, old), (old, new)):
            out.append(f"SELECT count(*) FROM (SELECT * FROM ({x}) EXCEPT SELECT * FROM ({y}));")
            out.append("-- => 0")
        out.append(f"SELECT count(*) > 0 FROM rx_department('{m}', '{m}', {p}, {t});")
        out.append("-- => " + ("1" if expected(m, m, p, t) else "0"))
    out.append("")

open("tests/sql/rx_department_gen.test", "w").write("\n".join(out) + "\n")
