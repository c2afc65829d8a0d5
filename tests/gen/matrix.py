#!/usr/bin/env python3
"""matrix.py -- the bad-input matrix, from data to test and documentation.

    python3 tests/gen/matrix.py            # writes both files below
    python3 tests/gen/matrix.py --check    # exits 1 if they are out of date

Reads tests/matrix/matrix.json (every SQL function, its arguments and their
kinds, the values to try, and the expected outcome per kind x value with
per-cell overrides) and writes

    tests/sql/bad_input_matrix.test   one statement per function x argument x value
    docs/src/97-bad-input.md          the same expectations, for users

Deterministic: the same data gives byte-identical files.

Where a cell's outcome is 'value', the expected result is computed here by an
oracle written from the function's documented formula (docs/src/*.md), with
Python's exact integers and fractions where the documentation promises exact
arithmetic -- never from the extension's output.
"""
import datetime
import json
import math
import os
import sys
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "matrix", "matrix.json")
TEST = os.path.join(ROOT, "tests", "sql", "bad_input_matrix.test")
DOC = os.path.join(ROOT, "docs", "src", "97-bad-input.md")


class Overflow(Exception):
    """The documented result does not fit a double: 'FN: result is out of range'."""


class Undefined(Exception):
    """An outcome marked 'value' where the oracle has no answer: a data error."""


# ---------------------------------------------------------------- SQL literals

def parse_literal(sql):
    """The Python value of one of the SQL literals used in the data."""
    s = sql.strip()
    if s == "NULL" or s == "0.0/0.0":
        return None  # SQLite turns 0.0/0.0 into NULL
    if s.startswith("x'"):
        return bytes.fromhex(s[2:-1])
    if s.startswith("'"):
        return s[1:-1].replace("''", "'")
    if s in ("1e999",):
        return math.inf
    if s in ("-1e999",):
        return -math.inf
    try:
        return int(s)
    except ValueError:
        return float(s)


def num(v):
    """A numeric argument as the extension reads it (text that is a number
    counts as that number); only called for cells documented as valid."""
    if isinstance(v, str):
        t = v.strip()
        try:
            return int(t)
        except ValueError:
            return float(t)
    return v


def fmt(v):
    """A value as the test runner's '-- =>' line spells it."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return str(v)


def finite(x):
    x = float(x)
    if not math.isfinite(x):
        raise Overflow()
    return x


# ---------------------------------------------------------------- oracles
# Each takes the argument values (Python) and returns the result, a list of
# rows for table-valued functions, or raises Overflow.

def o_stat(x, *_):
    return None if x is None else float(x)


def o_dept_potential(p, r, rx, d):
    p, r, rx, d = map(num, (p, r, rx, d))
    return finite(float(p) * float(rx) * float(d) * float(r))


def o_inpatient_volume(b, o, s, d):
    b, o, s, d = map(num, (b, o, s, d))
    return finite(float(b) * float(d) * float(o) / float(s))


def o_rx_share(m, t):
    m, t = num(m), num(t)
    if m > t * (1 + 1e-9):
        raise Undefined("rx_share: mine above total is an override")
    if t == 0:
        return None
    return min(float(m) / float(t), 1.0)


def o_headroom(p, a):
    p, a = num(p), num(a)
    if isinstance(p, int) and isinstance(a, int):
        return max(p - a, 0)
    return max(float(p) - float(a), 0.0)


def o_quadrant(u, p, uc, pc):
    u, p, uc, pc = map(num, (u, p, uc, pc))
    hu, hp = u >= uc, p >= pc  # Python compares int and float exactly
    return ("B" if hp else "A") if hu else ("C" if hp else "D")


def o_quadrant_focus(q):
    return {"A": "maintain", "B": "grow", "C": "develop", "D": "reduce"}[q.upper()]


def o_decile(v, c, t):
    v, c, t = map(num, (v, c, t))
    if c > t or c < v:
        raise Undefined("decile relation errors are overrides")
    if v == 0:
        return 0
    k = math.ceil(Fraction(10) * Fraction(c) / Fraction(t))
    return max(1, min(10, k))


def o_abc_class(s, a=None, b=None):
    s = num(s)
    a = 0.80 if a is None else num(a)
    b = 0.95 if b is None else num(b)
    if a > b:
        raise Undefined("a_cut above b_cut is an override")
    return "A" if s <= a else ("B" if s <= b else "C")


def o_achievement(a, t):
    a, t = num(a), num(t)
    return None if t == 0 else finite(float(a) / float(t))


def day(v):
    return datetime.date.fromisoformat(v).toordinal()


def o_time_progress(as_of, start, end):
    a, s, e = day(as_of), day(start), day(end)
    return min(max(Fraction(a - s + 1, e - s + 1), Fraction(0)), Fraction(1))


def weekdays(s, e):
    return sum(1 for d in range(s, e + 1) if datetime.date.fromordinal(d).weekday() < 5)


def o_workday_progress(as_of, start, end):
    a, s, e = day(as_of), day(start), day(end)
    total = weekdays(s, e)
    if total == 0:
        return None
    return float(Fraction(weekdays(s, min(a, e)), total))


def o_workdays(start, end):
    s, e = day(start), day(end)
    return weekdays(s, e) if e >= s else 0


def o_pace(a, t, as_of, start, end):
    a, t = num(a), num(t)
    if t == 0:
        return None
    return finite(float(a) / float(t) - float(o_time_progress(as_of, start, end)))


def o_run_rate(a, as_of, start, end):
    a = num(a)
    tp = o_time_progress(as_of, start, end)
    if tp == 0:
        return None
    if tp == 1:
        return float(a)
    return finite(float(a) / float(tp))


def o_pace_status(a, t, as_of, start, end, tol=None):
    tol = 0.05 if tol is None else num(tol)
    p = o_pace(a, t, as_of, start, end)
    if p is None:
        return None
    if p > tol + 1e-9:
        return "ahead"
    if p < -tol - 1e-9:
        return "behind"
    return "on_track"


def o_aging_bucket(due, as_of):
    d = day(as_of) - day(due)
    for hi, name in ((0, "current"), (30, "1-30"), (60, "31-60"), (90, "61-90"), (120, "91-120")):
        if d <= hi:
            return name
    return ">120"


def o_plan_progress(as_of, period, weights):
    """docs/src/70-tracking.md: the weights of the period's months whose last
    day is on or before as_of, over all its weights."""
    y = int(period[:4])
    if len(period) == 4:
        months = list(range(1, 13))
    elif period[5] == "Q":
        q = int(period[6])
        months = [3 * q - 2, 3 * q - 1, 3 * q]
    else:
        months = [int(period[5:7])]
    w = [Fraction(x) for x in json.loads(weights)]
    done = 0
    for m, x in zip(months, w):
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        if nxt.toordinal() - 1 <= day(as_of):
            done += x
    return float(done / sum(w))


def o_bar(x, lo, hi, width=40):
    x, lo, hi, width = map(num, (x, lo, hi, width))
    if not hi > lo:
        raise Undefined("bar: max <= min is an override")
    x = min(max(x, lo), hi)
    # the documented scaling: halves first so that huge ranges do not overflow
    frac = (x / 2 - lo / 2) / (hi / 2 - lo / 2)
    frac = min(max(frac, 0.0), 1.0)
    n8 = math.floor(frac * width * 8 + 0.5)  # nearest eighth, half away from 0
    parts = ["", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"]
    return "\u2588" * (n8 // 8) + parts[n8 % 8]


ALLOC_ROWS = [("a", 1), ("b", 3)]  # the base query's rows


def o_allocate(total, query, p1):
    """Largest remainders (Hamilton), ties to the larger weight then the
    earlier row -- the rule of docs/src/50-allocate.md -- in exact integers."""
    t = num(total)
    if isinstance(t, float):
        if t != math.floor(t) or t > 2 ** 53:
            raise Undefined("a real total that is not a whole number <= 2^53 is an error")
        t = int(t)
    wsum = sum(w for _, w in ALLOC_ROWS)
    quotas = [Fraction(t * w, wsum) for _, w in ALLOC_ROWS]
    amounts = [math.floor(q) for q in quotas]
    left = t - sum(amounts)
    order = sorted(range(len(ALLOC_ROWS)),
                   key=lambda i: (-(quotas[i] - amounts[i]), -ALLOC_ROWS[i][1], i))
    for i in order[:left]:
        amounts[i] += 1
    return [(k, a) for (k, _), a in zip(ALLOC_ROWS, amounts)]


def o_smart_check(query):
    # baseline 1000, target 1200 (20% growth, under potential 2000 and under
    # the default max_growth 1.0), a calendar year: every letter passes
    return [(1, 5, "SMART")]


SEG_ROWS = [("a", 1, 4), ("b", 3, 2), ("c", 5, 6)]  # segment's base query (one group)
SET_ROWS = [("a", 1), ("b", 3), ("c", 6)]  # deciles' and abc's base query (one group)


def o_segment(query, uc, pc, p1):
    """Cuts: the given ones, else statistics.median of the group; then the
    quadrant rule of docs/src/40-segment.md."""
    import statistics
    uc = statistics.median(u for _, u, _ in SEG_ROWS) if uc is None else num(uc)
    pc = statistics.median(p for _, _, p in SEG_ROWS) if pc is None else num(pc)
    return [(k, uc, pc, o_quadrant(u, p, uc, pc)) for k, u, p in SEG_ROWS]


def o_segment_summary(query, uc, pc, p1):
    # segment's rows counted per quadrant (NULL first, then A..D) by hand; the
    # base query has no keep column, so every id is NULL
    rows = o_segment(query, uc, pc, p1)
    cells = {}
    for k, u, p, q in rows:
        cells[q] = cells.get(q, 0) + 1
    order = sorted(cells, key=lambda q: (q is not None, q or ""))
    return [(q, None, cells[q], rows[0][1], rows[0][2]) for q in order]


def o_deciles(query, p1):
    total, cum, out = sum(v for _, v in SET_ROWS), 0, []
    for k, v in sorted(SET_ROWS, key=lambda r: (r[1], r[0])):
        cum += v
        out.append((k, cum, total, 0 if v == 0 else math.ceil(Fraction(10 * cum, total))))
    return out


def o_deciles_summary(query, p1):
    # count, min, max and sum per decile, from o_deciles' rows by hand
    cells = {}
    for k, cum, total, d in o_deciles(query, p1):
        cells.setdefault(d, []).append(dict(SET_ROWS)[k])
    return [(d, len(vs), min(vs), max(vs), sum(vs)) for d, vs in sorted(cells.items())]


def o_abc(query, a, b, p1):
    a = Fraction(str(0.80 if a is None else num(a)))
    b = Fraction(str(0.95 if b is None else num(b)))
    total, cum, out = sum(v for _, v in SET_ROWS), 0, []
    for k, v in sorted(SET_ROWS, key=lambda r: (-r[1], r[0])):
        cum += v
        s = Fraction(cum, total)
        out.append((k, "A" if s <= a else "B" if s <= b else "C"))
    return sorted(out)


def o_receivables(*args):
    # the test database has the schema and no invoices (nor products, rx or
    # doctors): valid arguments give no rows (tests/sql/receivables*.test,
    # tests/sql/rx_department*.test check the figures)
    return []


ORACLES = {
    "median": o_stat, "percentile": o_stat, "percentile_cont": o_stat, "percentile_disc": o_stat,
    "dept_potential": o_dept_potential, "inpatient_volume": o_inpatient_volume,
    "rx_share": o_rx_share, "headroom": o_headroom, "quadrant": o_quadrant,
    "quadrant_focus": o_quadrant_focus, "decile": o_decile, "abc_class": o_abc_class,
    "achievement": o_achievement, "time_progress": lambda *a: float(o_time_progress(*a)),
    "workday_progress": o_workday_progress, "workdays": o_workdays, "pace": o_pace,
    "run_rate": o_run_rate, "pace_status": o_pace_status, "aging_bucket": o_aging_bucket,
    "plan_progress": o_plan_progress,
    "bar": o_bar, "allocate": o_allocate, "smart_check": o_smart_check,
    "segment": o_segment, "segment_summary": o_segment_summary, "deciles": o_deciles, "deciles_summary": o_deciles_summary, "abc": o_abc,
    "receivables": o_receivables, "payment_record": o_receivables,
    "collections": o_receivables, "rx_market": o_receivables,
    "unit_sales": o_receivables, "rx_department": o_receivables, "own_targets": o_receivables,
    "hospital_sales": o_receivables,
}


# ---------------------------------------------------------------- the matrix

def kind_outcomes(kinds, name, seen=()):
    k = kinds[name]
    out = {}
    if "base" in k:
        if k["base"] in seen:
            raise SystemExit("kind %s: base cycle" % name)
        out.update(kind_outcomes(kinds, k["base"], seen + (name,)))
    out.update(k["outcomes"])
    return out


def cells(data):
    """Yields (function, arg index, value, outcome) for every cell, in order."""
    kinds = data["kinds"]
    for f in data["functions"]:
        ov = f.get("overrides", {})
        for ai, a in enumerate(f["args"]):
            outs = kind_outcomes(kinds, a["kind"])
            for v in data["values"]:
                o = ov.get(a["name"], {}).get(v["id"], outs.get(v["id"]))
                if o is None:
                    raise SystemExit("%s(%s): no outcome for %s" % (f["name"], a["name"], v["id"]))
                yield f, ai, v, o


def call_sql(f, args_sql):
    call = "%s(%s)" % (f["name"], ", ".join(args_sql))
    if f.get("form") == "table":
        return "SELECT %s FROM %s;" % (f["columns"], call)
    return "SELECT %s;" % call


def expectation(f, ai, v, outcome):
    """The expectation lines for one cell, and a short text for the docs."""
    fn, arg = f["name"], f["args"][ai]["name"]
    if outcome == "null":
        return ["-- => NULL"], "NULL"
    if outcome == "empty":
        return ["-- empty"], "no rows"
    if outcome.startswith("error="):
        msg = "%s: %s must be %s, got %s" % (fn, arg, outcome[6:], v["repr"])
        return ["-- error: " + msg], "error `%s`" % msg
    if outcome.startswith("raw="):
        msg = outcome[4:].replace("FN", fn)
        return ["-- error: " + msg], "error `%s`" % msg
    if outcome.startswith("value="):
        return ["-- => " + outcome[6:]], "`%s`" % outcome[6:]
    if outcome != "value":
        raise SystemExit("bad outcome %r" % outcome)
    vals = [parse_literal(a["base"]) for a in f["args"]]
    vals[ai] = parse_literal(v["sql"])
    try:
        r = ORACLES[fn](*vals)
    except Overflow:
        msg = "%s: result is out of range" % fn
        return ["-- error: " + msg], "error `%s`" % msg
    except Undefined as e:
        raise SystemExit("%s(%s) = %s: outcome 'value' but %s" % (fn, arg, v["id"], e))
    if isinstance(r, Fraction):
        r = float(r)
    if isinstance(r, list):
        if not r:
            return ["-- empty"], "no rows"
        rows = ["|".join(fmt(c) for c in row) for row in r]
        return ["-- => " + x for x in rows], "rows " + "; ".join("`%s`" % x for x in rows)
    return ["-- => " + fmt(r)], "`%s`" % fmt(r)


def build_test(data):
    out = []
    out.append("-- bad_input_matrix.test -- GENERATED by tests/gen/matrix.py from")
    out.append("-- tests/matrix/matrix.json; do not edit (edit the data, run the generator).")
    out.append("-- Every SQL function x every argument x every value of the matrix, the")
    out.append("-- other arguments at a valid base value.  docs/src/97-bad-input.md shows")
    out.append("-- the same expectations.")
    out.append("")
    out.append("-- SQLite itself turns 0.0/0.0 (NaN) into NULL, so the NaN column is the")
    out.append("-- NULL column; the text 'NaN' is refused separately.")
    out.append("SELECT 0.0/0.0 IS NULL, typeof(0.0/0.0);")
    out.append("-- => 1|null")
    out.append("SELECT 1e999 > 1e308, -1e999 < -1e308;")
    out.append("-- => 1|1")
    out.append("")
    out.append("-- receivables(), payment_record() and collections() read invoice, payment and customer,")
    out.append("-- rx_market() reads rx and product (by territory also doctor, department and hospital);")
    out.append("-- unit_sales() sale, hospital and org_unit;")
    out.append("-- own_targets() target; hospital_sales() sale, product and hospital: the schema's tables, empty here.")
    out.append("-- include: sql/schema.sql")
    prev = None
    for f, ai, v, o in cells(data):
        key = (f["name"], ai)
        if key != prev:
            a = f["args"][ai]
            out.append("")
            out.append("-- %s: %s (%s)" % (f["name"], a["name"], a["kind"]))
            prev = key
        args = [a["base"] for a in f["args"]]
        args[ai] = v["sql"]
        out.append(call_sql(f, args))
        out.extend(expectation(f, ai, v, o)[0])
    return "\n".join(out) + "\n"


def md_escape(s):
    return s.replace("|", "\\|")


def build_doc(data):
    kinds, values = data["kinds"], data["values"]
    L = []
    L.append("# Bad input: the whole matrix")
    L.append("")
    L.append("Every function of the extension, every argument, and seventeen values")
    L.append("that break careless code: what comes back. Each cell is a test")
    L.append("(`tests/sql/bad_input_matrix.test`); both this page and the test are")
    L.append("generated from one table of data, `tests/matrix/matrix.json`, by")
    L.append("`tests/gen/matrix.py`. The rules behind it:")
    L.append("")
    L.append("- NULL in a required argument gives NULL (a table-valued function gives")
    L.append("  no rows), except where a function documents otherwise (the fraction of")
    L.append("  the percentile functions; `smart_check`'s query).")
    L.append("- Empty text, text that is not wholly a number, blobs, the text `'NaN'`")
    L.append("  and infinities are errors in numeric and date arguments: never read as")
    L.append("  0, never turned into NULL.")
    L.append("- Negative counts, amounts and days are errors; rates lie in [0, 1].")
    L.append("- Impossible dates are errors.")
    L.append("- A result too large for a double is the error `FN: result is out of")
    L.append("  range`, never `inf`.")
    L.append("- Every error names the function and the argument and shows the value:")
    L.append("  `FN: ARG must be WHAT, got VALUE`.")
    L.append("")
    L.append("SQLite has no NaN value: it turns `0.0/0.0` into NULL before any function")
    L.append("sees it, so the NaN column behaves as NULL.")
    L.append("")
    L.append("```sql")
    L.append("SELECT 0.0/0.0 IS NULL AS nan_is_null, dept_potential(40, 0.0/0.0, 2, 22) AS result;")
    L.append("```")
    L.append("")
    L.append("```sql")
    L.append("SELECT dept_potential(40, 'NaN', 2, 22);")
    L.append("```")
    L.append("")
    L.append("## The values")
    L.append("")
    L.append("| value | SQL | shown in errors as |")
    L.append("|---|---|---|")
    for v in values:
        L.append("| %s | `%s` | `%s` |" % (md_escape(v["about"]), md_escape(v["sql"]), md_escape(v["repr"])))
    L.append("")
    L.append("## Argument kinds and their outcomes")
    L.append("")
    L.append("`value` is the function's documented result (the tests compute it from the")
    L.append("formula); `error: WHAT` is the error `FN: ARG must be WHAT, got VALUE`.")
    L.append("")
    used = []
    for f in data["functions"]:
        for a in f["args"]:
            if a["kind"] not in used:
                used.append(a["kind"])
    for k in used:
        outs = kind_outcomes(kinds, k)
        L.append("### %s" % k)
        L.append("")
        L.append(kinds[k]["about"][0].upper() + kinds[k]["about"][1:] + ".")
        L.append("")
        L.append("| value | outcome |")
        L.append("|---|---|")
        for v in values:
            o = outs[v["id"]]
            if o.startswith("error="):
                o = "error: " + o[6:]
            elif o.startswith("raw="):
                o = "error: `" + o[4:] + "`"
            L.append("| `%s` | %s |" % (md_escape(v["sql"]), md_escape(o)))
        L.append("")
    L.append("## Functions")
    L.append("")
    L.append("Each function's arguments, their kinds (above), and the cells that")
    L.append("differ from their kind, with the reason.")
    L.append("")
    for f in data["functions"]:
        sig = ", ".join(a["name"] for a in f["args"])
        # no "### name(" heading: that form is the reference entry of a
        # function (tests/unit/function_list.c counts them), in docs/src/NN-*.md
        L.append("### %s: %s" % (f["name"], sig))
        L.append("")
        base = ", ".join(a["base"] for a in f["args"])
        L.append("Base call: `%s`. Arguments: %s." % (
            md_escape(call_sql(f, [a["base"] for a in f["args"]])[:-1]),
            ", ".join("`%s` %s" % (a["name"], a["kind"]) for a in f["args"])))
        del base
        L.append("")
        rows = []
        for g, ai, v, o in cells({"kinds": kinds, "values": values, "functions": [f]}):
            a = f["args"][ai]
            kind_o = kind_outcomes(kinds, a["kind"])[v["id"]]
            special = o != kind_o or (o == "value" and v["id"] in ("big", "negbig", "maxint", "neg1", "zero"))
            if special:
                _, text = expectation(f, ai, v, o)
                rows.append("| `%s` | `%s` | %s |" % (a["name"], md_escape(v["sql"]), md_escape(text)))
        if rows:
            L.append("| argument | value | outcome |")
            L.append("|---|---|---|")
            L.extend(rows)
            L.append("")
    return "\n".join(L) + "\n"


def main():
    with open(DATA, encoding="utf-8") as fh:
        data = json.load(fh)
    outputs = {TEST: build_test(data), DOC: build_doc(data)}
    check = "--check" in sys.argv[1:]
    stale = 0
    for path, text in outputs.items():
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                old = fh.read()
        if old == text:
            continue
        if check:
            print("%s is out of date: run python3 tests/gen/matrix.py" % os.path.relpath(path, ROOT))
            stale = 1
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
    n = sum(1 for _ in cells(data))
    print("%d cells" % n)
    return stale


if __name__ == "__main__":
    sys.exit(main())
