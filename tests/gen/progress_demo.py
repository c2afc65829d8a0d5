#!/usr/bin/env python3
"""Writes tests/sql/report_progress_demo.test: the progress report on the
demo territory, every expected row computed here from fixtures/*.csv with
csv, datetime and fractions -- never from the database or the report SQL.

The rules restated (sql/reports/progress.sql, docs/src/82-reports-tracking.md):
whole months (through = as_of at a month end, else the end of the month
before); a unit's target for a period is its own row, else the sum of its
hospital rows, else the sum of its month plan; the month plan is its own
months, else its quarters spread evenly, else the sum of the nearest units
below it that have one; plan_progress = the plan's months up to through /
the period's months; basis 'plan' where there is a month plan, else
'time'; pace = achievement - that; forecast = actual / that.

Run from the repository root after the fixtures change:
    python3 tests/gen/progress_demo.py
"""
import csv
import datetime as dt
from fractions import Fraction

FIX = 'fixtures'
OUT = 'tests/sql/report_progress_demo.test'


def load(name):
    with open('%s/%s.csv' % (FIX, name), newline='', encoding='utf-8-sig') as f:
        return list(csv.DictReader(f))


def iv(s):
    return None if s in ('', None) else int(s)


units = {int(r['id']): r for r in load('org_unit')}
parent = {u: iv(r['parent_id']) for u, r in units.items()}
products = {int(r['id']): r['name'] for r in load('product')}
hosp_unit = {int(r['id']): int(r['unit_id']) for r in load('hospital')}
cust_unit = {int(r['id']): iv(r['unit_id']) for r in load('customer')}
inv_cust = {int(r['id']): int(r['customer_id']) for r in load('invoice')}
payments = [(int(r['invoice_id']), r['date'], Fraction(r['amount'])) for r in load('payment')]
sales = [(int(r['hospital_id']), int(r['product_id']), r['period'], Fraction(r['amount']))
         for r in load('sale')]
targets = [r for r in load('target') if r['plan'] == 'current']
LEVEL_ORDER = {'company': 0, 'national': 1, 'region': 2, 'district': 3, 'territory': 4}


def ancestors(u):
    out = []
    while u is not None:
        out.append(u)
        u = parent[u]
    return out


def under(u, x):
    """x is u or below it."""
    return u in ancestors(x)


def last_day(y, m):
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


def span(period):
    y = int(period[:4])
    if len(period) == 4:
        return y, list(range(1, 13))
    if period[5] == 'Q':
        q = int(period[6])
        return y, [3 * q - 2, 3 * q - 1, 3 * q]
    return y, [int(period[5:7])]


# own amounts: (unit, product or None, kind, period) -> amount
own = {}
per_row = {}
for r in targets:
    key = (int(r['unit_id']), int(r['product_id']), r['kind'], r['period'])
    d = per_row.setdefault(key, {'own': None, 'hosp': None})
    if r['hospital_id'] == '':
        d['own'] = int(r['amount'])
    elif r.get('department_id', '') == '':
        d['hosp'] = (d['hosp'] or 0) + int(r['amount'])
for (u, p, k, per), d in per_row.items():
    a = d['own'] if d['own'] is not None else d['hosp']
    kk = (u, p if k == 'sales' else None, k, per)
    own[kk] = own.get(kk, 0) + a

# month plans of the units that have one of their own
mon = {}  # (unit, product, kind, year) -> {month: (amount, from_quarter)}
for (u, p, k, per), a in own.items():
    if len(per) == 7 and per[5] != 'Q':
        mon.setdefault((u, p, k, per[:4]), {})[int(per[5:7])] = (Fraction(a), False)
quarter_only = {}
for (u, p, k, per), a in own.items():
    if len(per) == 7 and per[5] == 'Q':
        key = (u, p, k, per[:4])
        has_months = any(len(pp) == 7 and pp[5] != 'Q' and pp[:4] == per[:4]
                         for (uu, ppp, kk, pp) in own if (uu, ppp, kk) == (u, p, k))
        if not has_months:
            q = int(per[6])
            for m in (3 * q - 2, 3 * q - 1, 3 * q):
                quarter_only.setdefault(key, {})[m] = (Fraction(a, 3), True)
mon.update(quarter_only)


def month_plan(u, p, k, y):
    """The month plan of unit u: own, else the nearest units below with one."""
    if (u, p, k, y) in mon:
        return dict(mon[(u, p, k, y)])
    srcs = [x for (x, pp, kk, yy) in mon if (pp, kk, yy) == (p, k, y) and x != u and under(u, x)]
    # nearest: no other source strictly between u and x
    near = [x for x in srcs if not any(z != x and under(z, x) and under(u, z) for z in srcs)]
    out = {}
    for x in near:
        for m, (a, fq) in mon[(x, p, k, y)].items():
            b, f = out.get(m, (Fraction(0), False))
            out[m] = (b + a, f or fq)
    return out


def target_of(u, p, k, period):
    if (u, p, k, period) in own:
        return own[(u, p, k, period)]
    y, months = span(period)
    mp = month_plan(u, p, k, str(y))
    got = [mp[m] for m in months if m in mp]
    if not got:
        return None
    if len(period) == 7 and period[5] != 'Q' and any(f for _, f in got):
        return None
    return int(round(sum(a for a, _ in got)))


def workdays(a, b):
    n, d = 0, a
    while d <= b:
        n += d.weekday() < 5
        d += dt.timedelta(days=1)
    return n


def rnd(x, n):
    """SQLite's round(): half away from zero (Python's round is to even)."""
    if x is None:
        return None
    x = Fraction(x)
    sign = -1 if x < 0 else 1
    q = (abs(x) * 10 ** n + Fraction(1, 2)).__floor__()
    return sign * float(Fraction(q, 10 ** n))


def fmt(v):
    if v is None:
        return 'NULL'
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return repr(v)
    return str(v)


def row(u, p, k, period, as_of):
    amount = target_of(u, p, k, period)
    if amount is None:
        return None
    y, months = span(period)
    start = dt.date(y, months[0], 1)
    end = last_day(y, months[-1])
    through = as_of if as_of == last_day(as_of.year, as_of.month) else \
        as_of.replace(day=1) - dt.timedelta(days=1)
    upto = min(end, through)
    if k == 'sales':
        actual = sum(a for h, pp, per, a in sales
                     if pp == p and under(u, hosp_unit[h])
                     and '%04d-%02d' % (start.year, start.month) <= per <= '%04d-%02d' % (upto.year, upto.month))
    else:
        actual = sum(a for inv, d, a in payments
                     if cust_unit[inv_cust[inv]] is not None and under(u, cust_unit[inv_cust[inv]])
                     and start.isoformat() <= d <= upto.isoformat())
    mp = month_plan(u, p, k, str(y))
    w = [mp.get(m, (Fraction(0), False))[0] for m in months]
    plan = None
    if sum(w) > 0:
        plan = sum(x for m, x in zip(months, w) if last_day(y, m) <= through) / sum(w)
    days = (end - start).days + 1
    time = Fraction(max(0, min((through - start).days + 1, days)), days)
    wtot = workdays(start, end)
    wp = Fraction(workdays(start, min(through, end)), wtot) if wtot else None
    used = plan if plan is not None else time
    ach = Fraction(actual) / amount if amount else None
    pace = ach - used if ach is not None else None
    status = None if pace is None else 'ahead' if pace > Fraction(5, 100) + Fraction(1, 10**9) else \
        'behind' if pace < -Fraction(5, 100) - Fraction(1, 10**9) else 'on_track'
    left = workdays(max(through + dt.timedelta(days=1), start), end)
    gap = max(amount - actual, 0)
    per_wd = 0 if amount <= actual else (rnd(Fraction(amount - actual) / left, 2) if left > 0 else None)
    vals = [u, units[u]['name'], units[u]['level'], k, p if p is not None else None,
            products[p] if p is not None else None, period, start.isoformat(), end.isoformat(),
            as_of.isoformat(), through.isoformat(), amount, rnd(actual, 2), rnd(ach, 4),
            rnd(amount * plan, 2) if plan is not None else None, rnd(plan, 4), rnd(time, 4),
            rnd(wp, 4), 'plan' if plan is not None else 'time', rnd(pace, 4), status,
            rnd(Fraction(actual) / used, 2) if used > 0 else None, rnd(gap, 2), left, per_wd]
    return vals


def report(as_of, period, product=None, kind=None, territory=None):
    rows = []
    for u in units:
        if territory is not None and not under(territory, u):
            continue
        for k in ('sales', 'collection'):
            if kind is not None and k != kind:
                continue
            for p in ([product] if k == 'sales' and product else sorted(products) if k == 'sales' else [None]):
                if k == 'collection' and product is not None:
                    continue
                r = row(u, p, k, period, as_of)
                if r is not None:
                    rows.append(r)
    rows.sort(key=lambda r: (LEVEL_ORDER[r[2]], r[0], r[3] != 'sales', r[4] or 0))
    return rows


def main():
    latest = max(per for _, _, per, _ in sales)
    y, m = int(latest[:4]), int(latest[5:7])
    as_of = last_day(y, m)
    out = ["-- generated by tests/gen/progress_demo.py from fixtures/*.csv; do not edit, rerun it.\n",
           "-- The progress report on the demo territory, judged against the plan's\n"
           "-- months at every level.\n",
           "-- open: build/demo.db\n"]
    cases = [
        ("-- Q4 at every level, every product (district, region, national and\n"
         "-- company quarters rolled up from the territories' months), and the\n"
         "-- collection targets (回款) of the districts and above.\n",
         dict(as_of=as_of, period='%d-Q4' % y), 'period=%d-Q4' % y),
        ("-- The year, 畅肺清: judged against the plan months Jan-%02d.\n" % m,
         dict(as_of=as_of, period=str(y), product=2), 'period=%d product=畅肺清' % y),
        ("-- Mid-month: %d-%02d-15 counts the months through %d-%02d on both sides.\n" % (y, m, y, m - 1),
         dict(as_of=dt.date(y, m, 15), period=None, product=1, territory=111),
         'as_of=%d-%02d-15 product=1 territory=111' % (y, m)),
    ]
    for comment, kw, params in cases:
        out.append("\n" + comment)
        out.append("-- report: progress %s\n" % params)
        if kw.get('period') is None:
            rows = []
            for per in ('%d' % y, '%d-Q%d' % (y, (m + 2) // 3), '%d-%02d' % (y, m)):
                rows += report(kw['as_of'], per, kw.get('product'), None, kw.get('territory'))
            rows.sort(key=lambda r: (LEVEL_ORDER[r[2]], r[0], r[3] != 'sales', r[4] or 0,
                                     -len(span(r[6])[1]), r[6]))
        else:
            rows = report(kw['as_of'], kw['period'], kw.get('product'), None, kw.get('territory'))
        for r in rows:
            out.append("-- => " + "|".join(fmt(v) for v in r) + "\n")
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write("".join(out))


if __name__ == '__main__':
    main()
