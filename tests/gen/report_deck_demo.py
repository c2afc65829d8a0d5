#!/usr/bin/env python3
"""Expected rows of the deck's reports (coverage, target_doctors, agreements,
distributors, credit) on the demo territory, computed straight from
fixtures/*.csv in Python (csv, datetime, collections), never from the
database or the report SQL.  Its output is pasted into the demo sections at
the end of tests/sql/report_{coverage,target_doctors,agreements,
distributors,credit}.test; rerun it and update them when the fixtures
change.

Each function restates the report's rules (sql/reports/NAME.sql, documented
in docs/src/84-reports-deck.md) in plain Python.

Run from the repository root:  python3 tests/gen/report_deck_demo.py
"""
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_demo import (load, num, day, fmt, row, UNITS, HOSP, CUST, INVOICES,  # noqa: E402
                         PAYMENTS, INV_BY_ID, SALES, SETTINGS, ancestors, paid_by,
                         latest_money_date, sqlite_minus_months)

PROD = {int(p['id']): p for p in load('product')}
INV = load('inventory')


def setting(key, default):
    v = SETTINGS.get(key)
    return default if v in (None, '') else float(v)


def month_add(period, n):
    y, m = int(period[:4]), int(period[5:7]) + n
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return '%04d-%02d' % (y, m)


def mnum(period):
    return int(period[:4]) * 12 + int(period[5:7])


def unit_under(uid, scope):
    return scope in ancestors(uid).values()


# ---------------------------------------------------------------- coverage
def coverage(by='region'):
    as_of = max(s['period'] for s in SALES)
    year = as_of[:4]
    first_period = min(s['period'] for s in SALES)
    first = {}
    for s in SALES:
        if int(s['units']) > 0:
            h = int(s['hospital_id'])
            first[h] = min(first.get(h, s['period']), s['period'])

    def grade(h):
        if h.get('level'):
            return h['level'] + (h.get('grade') or '')
        return h.get('tier') or 'ungraded'

    def order(h):
        if h.get('level'):
            return '三二一'.index(h['level'][0]) * 10 + 10 + (
                '甲乙丙'.index(h['grade']) + 1 if h.get('grade') else 4)
        t = h.get('tier')
        return 100 + ('A B C cs'.index(t[0]) + 1 if t else 9)

    print('-- report: coverage by=%s' % by)
    per = defaultdict(list)
    for hid, h in HOSP.items():
        per[ancestors(int(h['unit_id']))[by]].append(h)
    for uid in sorted(per):
        hs = per[uid]
        groups = defaultdict(list)
        for h in hs:
            groups[grade(h)].append(h)
        keys = sorted(groups, key=lambda g: (min(order(h) for h in groups[g]), g))
        for g, lst in [(k, groups[k]) for k in keys] + [('all', hs)]:
            dev = sum(h['status'] == 'developed' for h in lst)
            print(row(str(uid), UNITS[uid]['name'], g, str(len(lst)), str(dev),
                      str(sum(h['status'] == 'target' for h in lst)),
                      str(sum(h['status'] == 'undeveloped' for h in lst)), fmt(dev / len(lst), 4)))
    names = {1: '一期开发点', 2: '二期开发量', 3: '三期开发规模'}
    for uid in sorted(per):
        ph = defaultdict(list)
        for h in per[uid]:
            if h.get('phase'):
                ph[int(h['phase'])].append(h)
        for p in sorted(ph):
            lst = ph[p]
            dev = sum(h['status'] == 'developed' for h in lst)
            ents = [h['expected_entry'] for h in lst if h['expected_entry']]
            print(row(str(uid), UNITS[uid]['name'], str(p), names[p], str(len(lst)), str(dev),
                      str(sum(h['status'] == 'target' for h in lst)),
                      str(sum(h['status'] == 'undeveloped' for h in lst)), fmt(dev / len(lst), 4),
                      max(ents) if ents else 'NULL'))
    cp = co = 0
    for m in range(1, 13):
        per_ = '%s-%02d' % (year, m)
        planned = sum(1 for h in HOSP.values() if (h['expected_entry'] or '')[:7] == per_)
        cp += planned
        if per_ <= as_of:
            opened = sum(1 for hid in HOSP if first.get(hid) == per_ and per_ > first_period)
            co += opened
            print(row(per_, str(planned), str(opened), str(cp), str(co), str(co - cp)))
        else:
            print(row(per_, str(planned), 'NULL', str(cp), 'NULL', 'NULL'))
    late = []
    for hid, h in HOSP.items():
        e = h['expected_entry']
        if not e or e[:7] > as_of:
            continue
        f = first.get(hid)
        if f is not None and f <= e[:7]:
            continue
        state = 'not opened' if f is None or f > as_of else 'opened late'
        upto = as_of if state == 'not opened' else f
        late.append((e, hid, row(h['unit_id'], UNITS[int(h['unit_id'])]['name'], str(hid), h['name'],
                                 grade(h), h.get('phase') or 'NULL', h['status'], e, f or 'NULL', state,
                                 str(mnum(upto) - mnum(e[:7])))))
    for _, _, line in sorted(late):
        print(line)


# ---------------------------------------------------------------- target_doctors
def target_doctors(territory, product, months=3):
    rx = load('rx')
    docs = {int(d['id']): d for d in load('doctor')}
    depts = {int(d['id']): d for d in load('department')}
    as_of = max(r['period'] for r in rx)
    m_before = month_add(as_of, -months)
    p = PROD[product]
    cls = p.get('class_id') or None
    # the class: ours and the competitors' (product.ours = 0)
    klass = {pid for pid, q in PROD.items() if pid == product or (cls and q.get('class_id') == cls)}
    comp = {pid for pid in klass if PROD[pid].get('ours') == '0'}
    key = 'target_doctor.min_rx.' + p['name']
    min_rx = setting(key, None) if key in SETTINGS else setting('target_doctor.min_rx', 5)
    goal = setting('target_doctor.monthly_growth', 1)
    dept_size = defaultdict(int)
    for d in docs.values():
        dept_size[int(d['department_id'])] += 1
    cell = {}      # (doctor, period) -> [ours, theirs, potential]
    for r in rx:
        pid = int(r['product_id'])
        if pid not in klass:
            continue
        if not (m_before <= r['period'] <= as_of):
            continue
        did = int(r['doctor_id'])
        dep = depts[int(docs[did]['department_id'])]
        if int(HOSP[int(dep['hospital_id'])]['unit_id']) != territory:
            continue
        c = cell.setdefault((did, r['period']), [None, None, None])
        n = int(r['rx_count'])
        if pid == product:
            c[0] = (c[0] or 0) + n
        if pid in comp:
            c[1] = (c[1] or 0) + n
        # the class total: the sum over the class, or the typed potential
        # of a product without a class
        if cls:
            c[2] = (c[2] or 0) + n
        elif r.get('potential'):
            c[2] = max(c[2] or 0, float(r['potential']))
    dstat = {}     # (dept, period) -> [doctors, prescribers, targets, could_be, to_convert]
    for (did, per), (ours, theirs, pot) in cell.items():
        dep = int(docs[did]['department_id'])
        s = dstat.setdefault((dep, per), [dept_size[dep], 0, 0, 0, 0])
        o = ours or 0
        s[1] += o > 0
        s[2] += o >= min_rx
        s[3] += o < min_rx and pot is not None and pot >= min_rx
        s[4] += o == 0 and (theirs or 0) > 0
    print('-- report: target_doctors unit=%s product=%s' % (UNITS[territory]['name'], p['name']))
    prev = None
    for i in range(months + 1):
        per = month_add(m_before, i)
        tot = [0] * 5
        for (dep, pp), s in dstat.items():
            if pp == per:
                tot = [a + b for a, b in zip(tot, s)]
        if i > 0:
            growth = tot[2] - prev
            print(row(str(territory), UNITS[territory]['name'], str(product), p['name'], per,
                      str(tot[0]), str(tot[1]), str(tot[2]), str(growth), fmt(goal if goal % 1 else int(goal)),
                      'met' if growth >= goal else 'behind', str(tot[3]), str(tot[4])))
        prev = tot[2]
    before = month_add(as_of, -1)
    out = []
    for (dep, per), s in dstat.items():
        if per != as_of:
            continue
        b = dstat.get((dep, before), [0, 0, 0, 0, 0])[2]
        d = depts[dep]
        out.append((-s[4], -s[3], dep, row(str(territory), UNITS[territory]['name'],
                                           HOSP[int(d['hospital_id'])]['name'], d['name'], str(product),
                                           p['name'], str(s[0]), str(s[1]), str(s[2]), str(s[2] - b),
                                           str(s[3]), str(s[4]))))
    for *_, line in sorted(out):
        print(line)


# ---------------------------------------------------------------- agreements
def agreements(customer):
    as_of = max(r['period'] for r in INV)
    year = as_of[:4]
    months = int(as_of[5:7])
    tol = setting('pace.tolerance', 0.05)
    first, last = year + '-01', as_of
    pays = [p for p in PAYMENTS if int(INV_BY_ID[int(p['invoice_id'])]['customer_id']) == customer
            and first <= p['date'][:7] <= last]
    amt = sum(float(p['amount']) for p in pays)
    days = (sum(float(p['amount']) * (day(p['date']) - day(INV_BY_ID[int(p['invoice_id'])]['date'])).days
                for p in pays) / amt) if amt else None
    out = []
    c = CUST[customer]
    for a in load('agreement'):
        if int(a['customer_id']) != customer or a['year'] != year:
            continue
        pid = int(a['product_id'])
        units = sum(int(r['received']) for r in INV if int(r['customer_id']) == customer
                    and int(r['product_id']) == pid and first <= r['period'] <= last)
        bought = units * float(PROD[pid]['unit_price'])
        ag_amount, ag_units = num(a['amount']), num(a['units'])
        ful = bought / ag_amount if ag_amount else units / ag_units if ag_units else None
        phased = months / 12
        pace = ful - phased
        status = 'ahead' if pace > tol else 'behind' if pace < -tol else 'on_track'
        pdays = int(a['payment_days'])
        out.append((pace, pid, row(str(customer), c['name'], UNITS[int(c['unit_id'])]['name'], str(pid),
                                   PROD[pid]['name'], year, str(months), fmt(phased, 4),
                                   a['units'] or 'NULL', fmt(ag_amount), str(units), fmt(bought, 2),
                                   fmt(ful, 4), fmt(pace, 4), status, str(pdays), fmt(days, 1),
                                   'kept' if days <= pdays else 'broken')))
    print('-- report: agreements customer=%d' % customer)
    for *_, line in sorted(out):
        print(line)


# ---------------------------------------------------------------- distributors
def distributors():
    as_of = latest_money_date()
    year = as_of.year
    first, last = '%d-01-01' % year, min(as_of.isoformat(), '%d-12-31' % year)
    lastd = day(last)
    wa, wo, wr = (setting('distributor.weight.assessment', 0.5), setting('distributor.weight.on_time', 0.3),
                  setting('distributor.weight.returns', 0.2))
    maxr = setting('distributor.max_return_rate', 0.05)
    ass = {(int(a['customer_id']), a['year']): a for a in load('assessment')}
    out = []
    for cid, c in CUST.items():
        if c['kind'] != 'distributor':
            continue
        sales = sum(float(i['amount']) for i in INVOICES
                    if int(i['customer_id']) == cid and first <= i['date'] <= last)
        paid = ontime = 0.0
        for p in PAYMENTS:
            i = INV_BY_ID[int(p['invoice_id'])]
            if int(i['customer_id']) == cid and first <= p['date'] <= last:
                paid += float(p['amount'])
                if (day(p['date']) - day(i['due_date'])).days <= 0:
                    ontime += float(p['amount'])
        overdue = 0.0
        for i in INVOICES:
            if int(i['customer_id']) == cid and i['date'] <= last and (lastd - day(i['due_date'])).days > 0:
                o = float(i['amount']) - paid_by(int(i['id']), lastd)
                if o >= 0.005:
                    overdue += o
        on_time = ontime / (paid + overdue) if paid + overdue else None
        sold = ret = 0
        for r in INV:
            if int(r['customer_id']) == cid and first[:7] <= r['period'] <= last[:7]:
                sold += int(r['sold'])
                ret += int(r['returned'])
        rate = ret / sold if sold else None
        a = ass.get((cid, str(year)))
        crit = [int(a[k]) for k in ('staff', 'finance', 'promotion', 'cooperation') if a and a[k]] if a else []
        assessed = sum(crit) / len(crit) / 5 if crit else None
        rscore = max(0.0, 1 - rate / maxr) if rate is not None else None
        parts = [(w, x) for w, x in ((wa, assessed), (wo, on_time), (wr, rscore)) if x is not None]
        score = sum(w * x for w, x in parts) / sum(w for w, _ in parts) if parts else None
        out.append([cid, c, sales, on_time, rate, a, assessed, score])
    out.sort(key=lambda r: (r[7] is None, -(r[7] or 0), r[0]))
    print('-- report: distributors')
    for k, (cid, c, sales, on_time, rate, a, assessed, score) in enumerate(out, 1):
        crit = [a[x] if a and a[x] else 'NULL' for x in ('staff', 'finance', 'promotion', 'cooperation')]
        print(row(str(k), str(cid), c['name'], UNITS[int(c['unit_id'])]['name'], fmt(sales, 2),
                  fmt(on_time, 4), fmt(rate, 4), *crit, fmt(assessed, 4), fmt(score, 4)))


# ---------------------------------------------------------------- credit
def credit(unit):
    as_of = latest_money_date()
    since = sqlite_minus_months(as_of, 12)
    dpy = setting('days_per_year', 365)
    bad_days = setting('worst.overdue_days', 120)
    many = setting('credit.many_small', 3)
    a_cut, b_cut = setting('pareto.a_cut', 0.8), setting('pareto.b_cut', 0.95)
    per = {}
    for i in INVOICES:
        if day(i['date']) > as_of:
            continue
        cid = int(i['customer_id'])
        c = CUST[cid]
        s = per.setdefault(cid, dict(sales=0.0, out=0.0, b=defaultdict(float), terms=0.0, bad=0.0, before=0.0))
        amt = float(i['amount'])
        if day(i['date']) > since:
            s['sales'] += amt
        o = amt - paid_by(int(i['id']), as_of)
        late = (as_of - day(i['due_date'])).days
        age = (as_of - day(i['date'])).days
        if o >= 0.005:
            s['out'] += o
            b = ('current' if late <= 0 else '1-30' if late <= 30 else '31-60' if late <= 60
                 else '61-90' if late <= 90 else '91-120' if late <= 120 else '>120')
            s['b'][b] += o
            if (age > int(c['terms_days'])) if c.get('terms_days') else late > 0:
                s['terms'] += o
            if late > bad_days:
                s['bad'] += o
        if day(i['date']) <= since:
            ob = amt - paid_by(int(i['id']), since)
            if ob >= 0.005 and (since - day(i['due_date'])).days > bad_days:
                s['before'] += ob
    order = sorted(per, key=lambda k: (-per[k]['sales'], k))
    total = sum(per[k]['sales'] for k in order)
    cum = 0.0
    for k in order:
        cum += per[k]['sales']
        cs = cum / total
        per[k]['class'] = 'A' if cs <= a_cut + 1e-9 else 'B' if cs <= b_cut + 1e-9 else 'C'
    shown = [k for k in per if unit_under(int(CUST[k]['unit_id']), unit)]
    rows = []
    for k in shown:
        c, s = CUST[k], per[k]
        limit = num(c['credit_limit'])
        over = None if limit is None else s['out'] > limit
        rows.append(((0 if over else 1 if over is not None else 2), -s['out'], k, row(
            str(k), c['name'], UNITS[int(c['unit_id'])]['name'], c.get('rating') or 'NULL',
            c.get('terms_days') or 'NULL', fmt(limit), fmt(s['sales'], 2), s['class'], fmt(s['out'], 2),
            *[fmt(s['b'][b], 2) for b in ('current', '1-30', '31-60', '61-90', '91-120', '>120')],
            fmt(over), fmt(s['terms'], 2),
            fmt(s['out'] / s['sales'] * dpy, 1) if s['sales'] else 'NULL')))
    print('-- report: credit unit=%s' % UNITS[unit]['name'])
    for *_, line in sorted(rows):
        print(line)
    units = defaultdict(list)
    for k in shown:
        units[int(CUST[k]['unit_id'])].append(per[k])
    urows = []
    for u, lst in units.items():
        small = sum(s['class'] == 'C' for s in lst)
        bad, before = sum(s['bad'] for s in lst), sum(s['before'] for s in lst)
        warn = small >= many and bad > before + 0.005
        urows.append((not warn, -(bad - before), u, row(str(u), UNITS[u]['name'], str(len(lst)), str(small),
                                                       fmt(bad, 2), fmt(before, 2), fmt(bad - before, 2),
                                                       '广种薄收' if warn else 'NULL')))
    for *_, line in sorted(urows):
        print(line)


if __name__ == '__main__':
    print('-- coverage'); coverage('region')
    print('-- target_doctors'); target_doctors(112, 1)
    print('-- agreements'); agreements(7)
    print('-- distributors'); distributors()
    print('-- credit'); credit(220)
