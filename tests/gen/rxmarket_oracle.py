#!/usr/bin/env python3
"""Generates tests/sql/rx_market_gen.test: rx_market(first, last) over
random prescriptions against Python -- summing per doctor with dicts, from
the definition in ext/rxmarket.c -- for random runs of months, on dense ids
(summed through an array) and ids spread over 10^12 (hashed), with
classes holding two or more of our products and products of ours without a
class whose rows lack a typed total; and against the same sums written in
SQL over rx (what the scorecard report computed before, product by
product of ours).  Then the grouped form rx_market(first, last,
'territory'): the doctors spread over departments, hospitals and
territories (some doctors without a doctor row, a department without its
hospital row: left out), summed per territory in Python from the
per-doctor figures, and compared with grouping the per-doctor rows in SQL
by territory (as the scorecard report did) -- exactly, also after the typed
totals get fractions that do not add exactly, so that the order of the
additions shows.  Deterministic (fixed seed).

Run from the repository root:  python3 tests/gen/rxmarket_oracle.py
"""
import random

from rx_gen import draw_doctors, draw_products, header, lit, num, territory_sql

rng = random.Random(20261209)
MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-10"]
out = header("rxmarket_oracle.py", "rx_market() against Python and against the same sums in SQL over rx.") + [""]


# the same sums in SQL: each rx row once for each product of ours it belongs to
def sql_sums(first, last):
    return ("SELECT r.doctor_id, sum(CASE WHEN r.product_id = o.id THEN r.rx_count ELSE 0 END),"
            " sum(CASE WHEN o.class_id IS NULL THEN r.potential ELSE r.rx_count END)"
            " FROM rx r JOIN product c ON c.id = r.product_id"
            " JOIN product o ON o.ours = 1 AND (o.id = c.id OR o.class_id = c.class_id)"
            f" WHERE r.period BETWEEN '{first}' AND '{last}'"
            " AND NOT (o.class_id IS NULL AND r.potential IS NULL)"
            " GROUP BY r.doctor_id")


for case in range(8):
    # (id, class or None, ours); in half the cases a class may hold several of ours
    products = draw_products(rng, 4, 0.6 if case % 2 == 0 else 0.3, (0, 3), [0, 1, 1])
    periods = sorted(rng.sample(MONTHS, rng.randint(1, 4)))
    doctors = draw_doctors(rng, case % 3 == 1, 5)
    rx = {}
    for d in doctors:
        for p, c, _ in products:
            for m in periods:
                if rng.random() < 0.4:
                    pot = None if rng.random() < 0.35 else float(rng.randint(0, 90)) + rng.choice([0, 0.5])
                    rx[(d, p, m)] = (rng.choice([0, rng.randint(0, 40)]), pot)
    items = list(rx.items())
    rng.shuffle(items)
    out.append(f"-- case {case}: {len(products)} products, {len(periods)} months, {len(doctors)} doctors, {len(items)} rx rows")
    out += territory_sql(products, doctors, items)

    cls_of = {p: c for p, c, _ in products}
    ours = {p: o for p, _, o in products}

    def expected(first, last):
        # per doctor: usage, class total (integer), typed total, any typed
        acc = {}
        for (d, p, m), (n, pot) in sorted(rx.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])):
            if not (first <= m <= last):
                continue
            for o, oc, oo in products:
                if not oo:
                    continue
                if oc is None:
                    if o != p or pot is None:
                        continue
                    a = acc.setdefault(d, [0, 0, 0.0, False])
                    a[0] += n
                    a[2] += pot
                    a[3] = True
                elif cls_of[p] == oc:
                    a = acc.setdefault(d, [0, 0, 0.0, False])
                    if o == p:
                        a[0] += n
                    a[1] += n
        rows = []
        for d in sorted(acc):
            u, cs, ty, ht = acc[d]
            rows.append((d, u, float(cs) + ty if ht else cs))
        return rows

    runs = [(periods[0], periods[-1]), (rng.choice(periods), rng.choice(MONTHS)), ("2025-01", "2030-12")]
    grouped_runs = runs
    for first, last in runs:
        out.append(f"SELECT doctor_id, usage, potential FROM rx_market('{first}', '{last}');")
        rows = expected(first, last)
        if not rows:
            out.append("-- empty")
        for r in rows:
            out.append("-- => " + "|".join(num(v) for v in r))
        # the SQL sums: the same figures (the typed totals may add in
        # another order: compared to 9 decimals)
        for x, y in (("u", "v"), ("v", "u")):
            out.append(f"WITH u(d, n, t) AS (SELECT doctor_id, usage, round(potential, 9) FROM rx_market('{first}', '{last}')),"
                       f" v0(d, n, t) AS ({sql_sums(first, last)}), v AS (SELECT d, n, round(t, 9) FROM v0)"
                       f" SELECT count(*) FROM (SELECT * FROM {x} EXCEPT SELECT * FROM {y});")
            out.append("-- => 0")

    # by territory: departments 1-6 of hospitals 1-5 (department 6 of a
    # hospital without a row), hospitals of 1-4 territories, some doctors
    # without a doctor row (foreign keys off to make them)
    units = rng.sample([1, 3, 8, -7, 10**12, 2**40 + 1], rng.randint(1, 4))
    unit_of = {h: rng.choice(units) for h in range(1, 6)}
    hosp_of = {k: rng.randint(1, 5) for k in range(1, 6)}
    hosp_of[6] = 99
    dept = {d: rng.randint(1, 6) for d in doctors}
    gone = set(rng.sample(doctors, rng.randint(0, 2)))
    out.append("PRAGMA foreign_keys = OFF;")
    out.append("DELETE FROM department;")
    out.append("INSERT OR REPLACE INTO hospital(id, unit_id, name, status) VALUES " +
               ", ".join(f"({h}, {u}, 'h{h}', 'developed')" for h, u in sorted(unit_of.items())) + ";")
    out.append("INSERT INTO department(id, hospital_id, name) VALUES " +
               ", ".join(f"({k}, {h}, 'd{k}')" for k, h in sorted(hosp_of.items())) + ";")
    out.append("UPDATE doctor SET department_id = CASE id " +
               " ".join(f"WHEN {d} THEN {k}" for d, k in sorted(dept.items())) + " END;")
    if gone:
        out.append("DELETE FROM doctor WHERE id IN (" + ", ".join(str(d) for d in sorted(gone)) + ");")
    out.append("PRAGMA foreign_keys = ON;")

    def grouped(first, last):
        # SQL's sum() over the territory's doctors: integers stay integers,
        # a real makes it real (the drawn totals add exactly in any order)
        acc = {}
        for d, u, pot in expected(first, last):
            if d in gone or hosp_of[dept[d]] not in unit_of:
                continue
            a = acc.setdefault(unit_of[hosp_of[dept[d]]], [0, 0])
            a[0] += u
            a[1] = a[1] + pot if isinstance(a[1], float) or isinstance(pot, float) else a[1] + pot
            if isinstance(pot, float):
                a[1] = float(a[1])
        return [(k, a[0], a[1]) for k, a in sorted(acc.items())]

    def sql_grouped(first, last):
        return ("SELECT h.unit_id, sum(u.usage), sum(u.potential)"
                f" FROM rx_market('{first}', '{last}') u"
                " CROSS JOIN doctor d ON d.id = u.doctor_id"
                " CROSS JOIN department dp ON dp.id = d.department_id"
                " CROSS JOIN hospital h ON h.id = dp.hospital_id GROUP BY h.unit_id")

    def compare_sql(first, last):
        # exactly, types too
        for x, y in (("g", "s"), ("s", "g")):
            out.append(f"WITH g(k, n, t, ty) AS (SELECT unit_id, usage, potential, typeof(potential)"
                       f" FROM rx_market('{first}', '{last}', 'territory')),"
                       f" s0(k, n, t) AS ({sql_grouped(first, last)}),"
                       f" s AS (SELECT k, n, t, typeof(t) FROM s0)"
                       f" SELECT count(*) FROM (SELECT * FROM {x} EXCEPT SELECT * FROM {y});")
            out.append("-- => 0")

    for first, last in grouped_runs:
        out.append(f"SELECT unit_id, usage, potential FROM rx_market('{first}', '{last}', 'territory');")
        rows = grouped(first, last)
        if not rows:
            out.append("-- empty")
        for r in rows:
            out.append("-- => " + "|".join(num(v) for v in r))
        compare_sql(first, last)
    # typed totals that do not add exactly: the order of the additions shows
    out.append("UPDATE rx SET potential = potential + 0.1 * (doctor_id % 7) + 1e-7 * (product_id % 3) WHERE potential IS NOT NULL;")
    for first, last in grouped_runs:
        compare_sql(first, last)
    out.append("")

open("tests/sql/rx_market_gen.test", "w").write("\n".join(out) + "\n")
