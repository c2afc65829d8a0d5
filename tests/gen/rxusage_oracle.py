#!/usr/bin/env python3
"""Generates tests/sql/rx_usage_gen.test: rx_usage(first, last [, product])
over random prescriptions against Python -- summing per doctor with dicts,
from the definition in ext/rxusage.c -- for random runs of months, every
product and all our products, on dense ids (summed through an array) and
ids spread over 10^12 (hashed); and against summing the view rx_class in
SQL.  Deterministic (fixed seed).

Run from the repository root:  python3 tests/gen/rxusage_oracle.py
"""
import random

from rx_gen import draw_doctors, draw_products, header, lit, num, per_doctor, potential, territory_sql

rng = random.Random(20261206)
MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-10"]
out = header("rxusage_oracle.py", "rx_usage() against Python and against summing the view rx_class.") + [""]


for case in range(6):
    products = draw_products(rng, 4, 0.4, (0, 2), [0, 1])  # (id, class or None, ours)
    periods = sorted(rng.sample(MONTHS, rng.randint(1, 4)))
    doctors = draw_doctors(rng, case % 2, 5)
    rx = {}
    for d in doctors:
        for p, c, _ in products:
            for m in periods:
                if rng.random() < 0.4:
                    pot = None if c is not None or rng.random() < 0.3 else float(rng.randint(0, 90)) + rng.choice([0, 0.5])
                    rx[(d, p, m)] = (rng.choice([0, rng.randint(0, 40)]), pot)
    items = list(rx.items())
    rng.shuffle(items)
    out.append(f"-- case {case}: {len(products)} products, {len(periods)} months, {len(doctors)} doctors, {len(items)} rx rows")
    out += territory_sql(products, doctors, items)

    def expected(first, last, product):
        acc = per_doctor(((k, v) for k, v in rx.items() if first <= k[2] <= last), products, product)
        return [(d, acc[d]["u"], potential(acc[d])) for d in sorted(acc)]

    runs = [(periods[0], periods[-1]), (rng.choice(periods), rng.choice(MONTHS)), ("2025-01", "2030-12")]
    for first, last in runs:
        for product in [None] + [p for p, _, _ in rng.sample(products, min(3, len(products)))]:
            args = f"'{first}', '{last}'" + ("" if product is None else f", {product}")
            out.append(f"SELECT doctor_id, usage, potential FROM rx_usage({args});")
            rows = expected(first, last, product)
            if not rows:
                out.append("-- empty")
            for r in rows:
                out.append("-- => " + "|".join(num(v) for v in r))
        # summing the view rx_class gives the same figures, product by product
        p = rng.choice(products)[0]
        for x, y in (("u", "v"), ("v", "u")):
            out.append(f"WITH u AS (SELECT doctor_id, usage, potential FROM rx_usage('{first}', '{last}', {p})),"
                       f" v AS (SELECT doctor_id, sum(rx_count) AS usage, sum(class_rx) AS potential FROM rx_class"
                       f" WHERE period BETWEEN '{first}' AND '{last}' AND product_id = {p} GROUP BY doctor_id)"
                       f" SELECT count(*) FROM (SELECT * FROM {x} EXCEPT SELECT * FROM {y});")
            out.append("-- => 0")
    out.append("")

open("tests/sql/rx_usage_gen.test", "w").write("\n".join(out) + "\n")
