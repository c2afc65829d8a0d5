#!/usr/bin/env python3
"""Generates tests/sql/stats_data.test: median and percentiles over random
data sets (fixed seed), as aggregates, over whole partitions and over
sliding frames.

Expected values come from Python, not from the extension:
  - median(x)                 statistics.median
  - percentile(x, p), p whole statistics.quantiles(n=100, method='inclusive')
                              (its cut point p sits at p/100 * (n-1))
  - percentile_cont(x, f)     statistics.quantiles(n=4 or 10, 'inclusive')
                              when f is a quarter or a tenth, and always an
                              exact interpolation in fractions.Fraction at
                              f*(n-1); the two must agree
  - percentile_disc(x, f)     sorted(x)[floor(f*(n-1))] in exact fractions
                              (checked against the floating-point floor that
                              SQLite's percentile.c uses, so a case where the
                              two could differ is never emitted)
Sliding frames are recomputed from scratch for every row in Python.

Run from the repository root:  python3 tests/gen/stats.py
"""

import math
import random
import statistics
from fractions import Fraction

OUT = "tests/sql/stats_data.test"
rng = random.Random(20261126)


# ---- expected values ------------------------------------------------------

def nn(xs):
    return [x for x in xs if x is not None]


def exact_cont(xs, frac):
    """Height at frac*(n-1) of the line through the sorted values."""
    s = sorted(Fraction(x) for x in xs)
    pos = Fraction(frac) * (len(s) - 1)
    i = math.floor(pos)
    w = pos - i
    if w == 0:
        return float(s[i])
    return float(s[i] + (s[i + 1] - s[i]) * w)


def near(a, b):
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def median(xs):
    xs = nn(xs)
    if not xs:
        return None
    m = float(statistics.median(xs))
    assert near(m, exact_cont(xs, Fraction(1, 2))), (xs, m)
    return m


def percentile(xs, p):
    """p: an int 0..100 or a decimal string."""
    xs = nn(xs)
    if not xs:
        return None
    frac = Fraction(p) / 100
    e = exact_cont(xs, frac)
    if isinstance(p, int) and 1 <= p <= 99 and len(xs) >= 2:
        q = statistics.quantiles(xs, n=100, method="inclusive")[p - 1]
        assert near(q, e), (xs, p, q, e)
        return float(q)
    if p == 0:
        assert near(e, float(min(xs)))
    if p == 100:
        assert near(e, float(max(xs)))
    return e


def cont(xs, f):
    """f: a decimal string."""
    xs = nn(xs)
    if not xs:
        return None
    frac = Fraction(f)
    e = exact_cont(xs, frac)
    for k in (4, 10):
        if len(xs) >= 2 and (frac * k).denominator == 1 and 0 < frac < 1:
            q = statistics.quantiles(xs, n=k, method="inclusive")[int(frac * k) - 1]
            assert near(q, e), (xs, f, q, e)
    return e


def disc(xs, f):
    xs = nn(xs)
    if not xs:
        return None
    s = sorted(xs)
    i = math.floor(Fraction(f) * (len(s) - 1))
    # SQLite computes the index as (unsigned)(f * (n-1)) in doubles
    assert i == int(float(f) * (len(s) - 1)), (f, len(s))
    return float(s[i])


def fmt(v):
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def sql_value(x):
    if x is None:
        return "NULL"
    if isinstance(x, float):
        return repr(x)
    return str(x)


# ---- data sets ------------------------------------------------------------

def groups():
    g = {}
    g["a_odd"] = [rng.randint(-50, 50) for _ in range(7)]
    g["b_even"] = [rng.randint(0, 1000) for _ in range(8)]
    g["c_one"] = [42]
    g["d_two"] = [3, 10]
    g["e_dups"] = [rng.choice([1, 2, 2, 3, 3, 3]) for _ in range(40)]
    g["f_neg"] = [round(rng.uniform(-1000, -1), 3) for _ in range(25)]
    g["g_nulls"] = [rng.choice([None, rng.randint(1, 99)]) for _ in range(30)]
    g["h_allnull"] = [None] * 5
    g["i_mixed"] = [rng.randint(-20, 20) if rng.random() < 0.5
                    else round(rng.uniform(-20, 20), 2) for _ in range(33)]
    g["j_many"] = [round(rng.gauss(1000, 300), 4) for _ in range(220)]
    g["k_zero"] = [0, 0.0, 0, 0]
    g["l_huge"] = [9223372036854775807, 9223372036854775806, -9223372036854775808,
                   1, 2]
    g["m_small"] = [1e-300, 3e-300, 2e-300]
    # one value seen many times, then one outlier
    g["n_flat"] = [7] * 50 + [1000000]
    return g


def write_groups(out, g):
    out.append("-- ==== GROUP BY: one group per kind of data set")
    out.append("CREATE TABLE g(grp TEXT, x);")
    rows = []
    for name, xs in g.items():
        for x in xs:
            rows.append(f"('{name}', {sql_value(x)})")
    # shuffled, so no group arrives sorted
    rng.shuffle(rows)
    for i in range(0, len(rows), 40):
        out.append("INSERT INTO g VALUES " + ", ".join(rows[i:i + 40]) + ";")
    # an empty group: only in the GROUP BY-less queries below
    out.append("CREATE TABLE empty(x);")

    cols = [
        ("median(x)", lambda xs: median(xs)),
        ("percentile(x, 0)", lambda xs: percentile(xs, 0)),
        ("percentile(x, 25)", lambda xs: percentile(xs, 25)),
        ("percentile(x, 90)", lambda xs: percentile(xs, 90)),
        ("percentile(x, 100)", lambda xs: percentile(xs, 100)),
        ("percentile(x, 12.5)", lambda xs: percentile(xs, "12.5")),
    ]
    out.append("")
    out.append("-- median and percentile(x, p)")
    out.append("SELECT grp, " + ", ".join(c for c, _ in cols)
               + " FROM g GROUP BY grp ORDER BY grp;")
    for name, xs in g.items():
        out.append("-- => " + "|".join([name] + [fmt(f(xs)) for _, f in cols]))

    cols = [
        ("percentile_cont(x, 0)", lambda xs: cont(xs, "0")),
        ("percentile_cont(x, 0.25)", lambda xs: cont(xs, "0.25")),
        ("percentile_cont(x, 0.7)", lambda xs: cont(xs, "0.7")),
        ("percentile_cont(x, 1)", lambda xs: cont(xs, "1")),
        ("percentile_disc(x, 0)", lambda xs: disc(xs, "0")),
        ("percentile_disc(x, 0.5)", lambda xs: disc(xs, "0.5")),
        ("percentile_disc(x, 0.9)", lambda xs: disc(xs, "0.9")),
        ("percentile_disc(x, 1)", lambda xs: disc(xs, "1")),
    ]
    out.append("")
    out.append("-- percentile_cont and percentile_disc")
    out.append("SELECT grp, " + ", ".join(c for c, _ in cols)
               + " FROM g GROUP BY grp ORDER BY grp;")
    for name, xs in g.items():
        out.append("-- => " + "|".join([name] + [fmt(f(xs)) for _, f in cols]))

    out.append("")
    out.append("-- every result is REAL, even from integers; NULL for no values")
    out.append("SELECT grp, typeof(median(x)), typeof(percentile(x, 50)), "
               "typeof(percentile_cont(x, 0.5)), typeof(percentile_disc(x, 0.5)) "
               "FROM g GROUP BY grp ORDER BY grp;")
    for name, xs in g.items():
        t = "null" if not nn(xs) else "real"
        out.append(f"-- => {name}|{t}|{t}|{t}|{t}")

    out.append("")
    out.append("-- the whole table at once, and an empty one")
    allx = [x for xs in g.values() for x in xs
            if x is None or abs(x) < 1e18]
    out.append("SELECT median(x), percentile(x, 33), percentile_disc(x, 0.25) "
               "FROM g WHERE x BETWEEN -1e18 AND 1e18 OR x IS NULL;")
    out.append(f"-- => {fmt(median(allx))}|{fmt(percentile(allx, 33))}|"
               f"{fmt(disc(allx, '0.25'))}")
    out.append("SELECT median(x), percentile(x, 50), percentile_cont(x, 0.5), "
               "percentile_disc(x, 0.5) FROM empty;")
    out.append("-- => NULL|NULL|NULL|NULL")


def window_rows(n_parts, sizes):
    rows = []
    rid = 0
    for t in range(n_parts):
        for _ in range(sizes[t]):
            rid += 1
            r = rng.random()
            if r < 0.08:
                x = None
            elif r < 0.5:
                x = rng.randint(-100, 100)
            else:
                x = round(rng.uniform(-100, 100), 3)
            rows.append((rid, t, x))
    rng.shuffle(rows)  # insertion order differs from id order
    return rows


def write_inserts(out, table, rows):
    for i in range(0, len(rows), 40):
        out.append(f"INSERT INTO {table} VALUES "
                   + ", ".join("(" + ", ".join(sql_value(v) for v in r) + ")"
                               for r in rows[i:i + 40]) + ";")


def write_partitions(out):
    out.append("")
    out.append("-- ==== whole-partition windows: every row gets its partition's value")
    sizes = [1, 2, 5, 40, 97, 60, 3]
    rows = window_rows(len(sizes), sizes)
    # a partition of NULLs only
    rid = len(rows)
    for k in range(4):
        rows.append((rid + k + 1, len(sizes), None))
    out.append("CREATE TABLE w(id INTEGER PRIMARY KEY, t, x);")
    write_inserts(out, "w", rows)
    part = {}
    for rid, t, x in rows:
        part.setdefault(t, []).append(x)
    by_id = sorted(rows)

    out.append("SELECT id, median(x) OVER (PARTITION BY t), "
               "percentile(x, 75) OVER (PARTITION BY t) FROM w ORDER BY id;")
    for rid, t, x in by_id:
        xs = part[t]
        out.append(f"-- => {rid}|{fmt(median(xs))}|{fmt(percentile(xs, 75))}")

    out.append("SELECT id, percentile_cont(x, 0.1) OVER win, "
               "percentile_disc(x, 0.6) OVER win FROM w "
               "WINDOW win AS (PARTITION BY t ORDER BY id ROWS BETWEEN "
               "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id;")
    for rid, t, x in by_id:
        xs = part[t]
        out.append(f"-- => {rid}|{fmt(cont(xs, '0.1'))}|{fmt(disc(xs, '0.6'))}")
    return rows


def frame_rows(ordered, i, lo, hi):
    """Values of rows i+lo .. i+hi (clipped) of an ordered list."""
    a = max(0, i + lo)
    b = min(len(ordered) - 1, i + hi)
    return [ordered[k][2] for k in range(a, b + 1)]


def write_sliding(out, rows):
    out.append("")
    out.append("-- ==== sliding frames (xInverse): recomputed per row in Python")
    by_id = sorted(rows)
    out.append("SELECT id, median(x) OVER win, percentile(x, 90) OVER win, "
               "percentile_disc(x, 0.5) OVER win FROM w WINDOW win AS "
               "(ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) "
               "ORDER BY id;")
    for i, (rid, t, x) in enumerate(by_id):
        xs = frame_rows(by_id, i, -2, 2)
        out.append(f"-- => {rid}|{fmt(median(xs))}|{fmt(percentile(xs, 90))}|"
                   f"{fmt(disc(xs, '0.5'))}")

    # per partition, a trailing frame of 6 rows
    parts = {}
    for r in by_id:
        parts.setdefault(r[1], []).append(r)
    out.append("SELECT id, percentile_cont(x, 0.25) OVER win FROM w WINDOW win AS "
               "(PARTITION BY t ORDER BY id ROWS BETWEEN 5 PRECEDING AND "
               "CURRENT ROW) ORDER BY id;")
    res = {}
    for t, pr in parts.items():
        for i, r in enumerate(pr):
            res[r[0]] = cont(frame_rows(pr, i, -5, 0), "0.25")
    for rid, t, x in by_id:
        out.append(f"-- => {rid}|{fmt(res[rid])}")

    # growing (default frame with ORDER BY) and shrinking frames
    out.append("SELECT id, median(x) OVER (ORDER BY id), median(x) OVER "
               "(ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) "
               "FROM w ORDER BY id;")
    for i, (rid, t, x) in enumerate(by_id):
        grow = frame_rows(by_id, i, -len(by_id), 0)
        shrink = frame_rows(by_id, i, 0, len(by_id))
        out.append(f"-- => {rid}|{fmt(median(grow))}|{fmt(median(shrink))}")

    # many rows enter and leave at once: peer groups (RANGE and GROUPS)
    ts = sorted(set(r[1] for r in rows))
    vals = {t: [r[2] for r in rows if r[1] == t] for t in ts}
    # every row of a peer group has the same frame, so one row per t
    out.append("SELECT DISTINCT t, median(x) OVER (ORDER BY t), "
               "percentile(x, 40) OVER (ORDER BY t GROUPS BETWEEN 1 PRECEDING "
               "AND CURRENT ROW), percentile_disc(x, 0.3) OVER (ORDER BY t "
               "RANGE BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM w ORDER BY t;")
    for j, t in enumerate(ts):
        grow = [x for u in ts[:j + 1] for x in vals[u]]
        two = [x for u in ts[max(0, j - 1):j + 1] for x in vals[u]]
        before = [x for u in ts if t - 2 <= u <= t - 1 for x in vals[u]]
        out.append(f"-- => {t}|{fmt(median(grow))}|{fmt(percentile(two, 40))}|"
                   f"{fmt(disc(before, '0.3'))}")


def main():
    out = [
        "-- GENERATED by tests/gen/stats.py -- do not edit; rerun the generator.",
        "-- Expected values: Python's statistics module and exact fractions",
        "-- (see the generator), never the extension's own output.",
        "",
    ]
    write_groups(out, groups())
    rows = write_partitions(out)
    write_sliding(out, rows)
    with open(OUT, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
