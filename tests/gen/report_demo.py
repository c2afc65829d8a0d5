#!/usr/bin/env python3
"""Expected rows of the evaluation reports on the demo territory, computed
straight from fixtures/*.csv in Python (csv, statistics, datetime), never
from the database or the report SQL.  Its output is pasted into the demo
sections at the end of tests/sql/report_{scorecard,pareto,aging,inventory,
visits,spend}.test; rerun it and update them when the fixtures change.

Each function restates the report's rules (sql/reports/NAME.sql, documented
in docs/src/83-reports-evaluation.md) in plain Python.  The demo's planted
story (tools/gen_demo.py's "facts") shows in the output: customer 7 late
(>120 days 845879.65), one broken card (6, 2, 2026-08, -36), unit 211 over
budget, rep 122 (滨江) with unverified visits.

Run from the repository root:  python3 tests/gen/report_demo.py
"""
import csv
import datetime as dt
import statistics

FIX = 'fixtures'


def load(name):
    with open('%s/%s.csv' % (FIX, name), newline='', encoding='utf-8-sig') as f:
        return list(csv.DictReader(f))


def num(s):
    return None if s in ('', None) else float(s)


def day(s):
    return dt.date.fromisoformat(s)


def fmt(v, nd=None):
    """A value as the test runner prints it."""
    if v is None:
        return 'NULL'
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int) and nd is None:
        return str(v)
    if nd is not None:
        v = round(v, nd)
    return repr(float(v))


def row(*vals):
    return '-- => ' + '|'.join(vals)


UNITS = {int(u['id']): u for u in load('org_unit')}
HOSP = {int(h['id']): h for h in load('hospital')}
CUST = {int(c['id']): c for c in load('customer')}
INVOICES = load('invoice')
PAYMENTS = load('payment')
INV_BY_ID = {int(i['id']): i for i in INVOICES}
SALES = load('sale')
SETTINGS = {s['key']: s['value'] for s in load('settings')}
PRODUCTS = {int(p['id']): p for p in load('product')}
OURS = {i for i, p in PRODUCTS.items() if p['ours'] == '1'}
CLASS = {i: int(p['class_id']) for i, p in PRODUCTS.items()}


def ours_and_class(rows):
    """Per doctor over the rows: Rx of our products, and Rx of their
    classes (ours and the competitors', every product of the class)."""
    our_classes = {CLASS[i] for i in OURS}
    use, pot = {}, {}
    for r in rows:
        d, p, n = int(r['doctor_id']), int(r['product_id']), int(r['rx_count'])
        if CLASS[p] not in our_classes:
            continue
        pot[d] = pot.get(d, 0) + n
        use[d] = use.get(d, 0) + (n if p in OURS else 0)
    return use, pot


def ancestors(uid):
    out = {}
    while uid is not None:
        u = UNITS[uid]
        out[u['level']] = uid
        uid = int(u['parent_id']) if u['parent_id'] else None
    return out


def paid_by(inv_id, as_of):
    return sum(float(p['amount']) for p in PAYMENTS
               if int(p['invoice_id']) == inv_id and day(p['date']) <= as_of)


def latest_money_date():
    return max(max(day(i['date']) for i in INVOICES), max(day(p['date']) for p in PAYMENTS))


# ---------------------------------------------------------------- aging
def aging(customer, as_of):
    buckets = ['current', '1-30', '31-60', '61-90', '91-120', '>120']
    amt = dict.fromkeys(buckets, 0.0)
    for i in INVOICES:
        if int(i['customer_id']) != customer or day(i['date']) > as_of:
            continue
        open_ = float(i['amount']) - paid_by(int(i['id']), as_of)
        if abs(open_) < 0.005:
            continue
        late = (as_of - day(i['due_date'])).days
        b = ('current' if late <= 0 else '1-30' if late <= 30 else '31-60' if late <= 60
             else '61-90' if late <= 90 else '91-120' if late <= 120 else '>120')
        amt[b] += open_
    total = sum(amt.values())
    c = CUST[customer]
    limit = num(c['credit_limit'])
    over = None if limit is None else total > limit
    u = int(c['unit_id'])
    print('-- report: aging as_of=%s customer=%d' % (as_of, customer))
    print(row(str(u), UNITS[u]['name'], str(customer), c['name'],
              *[fmt(amt[b], 2) for b in buckets], fmt(total, 2), fmt(limit), fmt(over)))
    print(row(str(u), UNITS[u]['name'], '1', *[fmt(amt[b], 2) for b in buckets],
              fmt(total, 2), fmt(bool(over))))
    # the roll-up: the one customer in its district, region and company
    anc = ancestors(u)
    for level in ('district', 'region', 'company'):
        if level in anc:
            print(row(level, str(anc[level]), UNITS[anc[level]]['name'], '1',
                      *[fmt(amt[b], 2) for b in buckets], fmt(total, 2), fmt(bool(over))))


# ---------------------------------------------------------------- pareto
def sqlite_minus_months(d, n):
    """date(d, '-n months'): shift the month, keep the day, normalise overflow."""
    y, m = d.year, d.month - n
    while m < 1:
        m += 12
        y -= 1
    first = dt.date(y, m, 1)
    return first + dt.timedelta(days=d.day - 1)


def pareto():
    as_of = latest_money_date()
    since = sqlite_minus_months(as_of, 12)
    grace, top = 30, int(SETTINGS['best.count'])
    a_cut, b_cut = float(SETTINGS['pareto.a_cut']), float(SETTINGS['pareto.b_cut'])
    wdays, wamount = float(SETTINGS['worst.overdue_days']), float(SETTINGS['worst.overdue_amount'])
    per = []
    for cid, c in CUST.items():
        sales = overdue = long_ = 0.0
        late_open = 0
        for i in INVOICES:
            if int(i['customer_id']) != cid or day(i['date']) > as_of:
                continue
            if day(i['date']) > since:
                sales += float(i['amount'])
            open_ = float(i['amount']) - paid_by(int(i['id']), as_of)
            late = (as_of - day(i['due_date'])).days
            age = (as_of - day(i['date'])).days      # worst.age_from: invoice
            if late > 0 and open_ > 0:
                overdue += open_
            if age > wdays and open_ > 0:
                long_ += open_
            if late > grace and open_ > 0.005:
                late_open += 1
        paid_late = sum(float(p['amount']) for p in PAYMENTS
                        if int(INV_BY_ID[int(p['invoice_id'])]['customer_id']) == cid
                        and since < day(p['date']) <= as_of
                        and (day(p['date']) - day(INV_BY_ID[int(p['invoice_id'])]['due_date'])).days > grace)
        per.append([cid, c, sales, overdue, long_, late_open, paid_late])
    per.sort(key=lambda r: (-r[2], r[0]))
    total = sum(r[2] for r in per)
    cum = 0.0
    on_rank = 0
    print('-- report: pareto')
    for k, (cid, c, sales, overdue, long_, late_open, paid_late) in enumerate(per, 1):
        cum += sales
        cs = cum / total
        cls = 'A' if cs <= a_cut + 1e-9 else 'B' if cs <= b_cut + 1e-9 else 'C'
        on_time = late_open == 0 and paid_late == 0 and sales > 0
        if on_time:
            on_rank += 1
        flag = 'worst' if long_ > wamount and cls != 'A' else 'best' if on_time and on_rank <= top else None
        u = int(c['unit_id'])
        print(row(str(k), str(cid), c['name'], UNITS[u]['name'], fmt(sales, 2), fmt(sales / total, 4),
                  fmt(cs, 4), cls, fmt(overdue, 2), fmt(long_, 2), fmt(float(paid_late), 2),
                  flag or 'NULL'))


# ---------------------------------------------------------------- inventory
def month_index(p):
    return int(p[:4]) * 12 + int(p[5:7])


def inventory_broken(customer, as_of, months):
    cards = [r for r in load('inventory') if int(r['customer_id']) == customer and r['period'] <= as_of]
    dpm = float(SETTINGS['inventory.days_per_month'])
    first = month_index(as_of) - months + 1
    print('-- report: inventory as_of=%s months=%d customer=%d broken=1' % (as_of, months, customer))
    pname = {int(p['id']): p['name'] for p in load('product')}
    for r in sorted(cards, key=lambda r: (int(r['product_id']), r['period'])):
        m = month_index(r['period'])
        if m < first:
            continue
        o, rc, s, rt, cl = (int(r[k]) for k in ('opening', 'received', 'sold', 'returned', 'closing'))
        same = [x for x in cards if x['product_id'] == r['product_id']]
        prev = [x for x in same if month_index(x['period']) == m - 1]
        prev_cl = int(prev[0]['closing']) if prev else None
        last3 = [x for x in same if m - 2 <= month_index(x['period']) <= m]
        daily = sum(int(x['sold']) for x in last3) / (len(last3) * dpm)
        exp = o + rc - s - rt
        diff = cl - exp
        gap = None if prev_cl is None else o - prev_cl
        if diff == 0 and not gap:
            continue
        status = ('identity+continuity' if diff and gap else 'identity' if diff else 'continuity')
        print(row(str(customer), CUST[customer]['name'], r['product_id'], pname[int(r['product_id'])],
                  r['period'], str(o), str(rc), str(s), str(rt), str(cl), str(exp), str(diff),
                  fmt(prev_cl), fmt(gap), status, fmt(daily, 4),
                  fmt(cl / daily, 1) if daily else 'NULL'))


# ---------------------------------------------------------------- spend
def spend(unit):
    budget, expense = load('budget'), load('expense')
    p_to = max(e['period'] for e in expense)
    p_from = p_to[:4] + '-01'
    inside = lambda r: p_from <= r['period'] <= p_to  # noqa: E731
    cats = {}
    for b in budget:
        if int(b['unit_id']) == unit and inside(b):
            cats.setdefault(b['category'], [0.0, 0.0])[0] += float(b['amount'])
    for e in expense:
        if int(e['unit_id']) == unit and inside(e):
            cats.setdefault(e['category'], [0.0, 0.0])[1] += float(e['amount'])
    name, level = UNITS[unit]['name'], UNITS[unit]['level']
    print('-- report: spend unit=%d' % unit)
    for cat in sorted(cats, key=lambda c: c.encode()):
        b, s = cats[cat]
        print(row(str(unit), name, level, cat, fmt(b, 2), fmt(s, 2), fmt(s - b, 2),
                  fmt(s / b, 4) if b else 'NULL', fmt(s > b)))
    b = sum(v[0] for v in cats.values())
    s = sum(v[1] for v in cats.values())
    sales = sum(float(x['amount']) for x in SALES
                if int(HOSP[int(x['hospital_id'])]['unit_id']) == unit and inside(x))
    print(row(str(unit), name, level, fmt(b, 2), fmt(s, 2), fmt(s - b, 2), fmt(s / b, 4),
              fmt(s > b), fmt(sales, 2), fmt(s / sales, 4)))


# ---------------------------------------------------------------- visits
def visits(rep):
    dept = {int(d['id']): d for d in load('department')}
    doc_terr = {int(d['id']): int(HOSP[int(dept[int(d['department_id'])]['hospital_id'])]['unit_id'])
                for d in load('doctor')}
    vis = load('visit')
    last = max(day(v['date']) for v in vis if v['reported'] == '1')
    q_end = (dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1) - dt.timedelta(days=1))
    q_start = sqlite_minus_months(dt.date(last.year, last.month, 1), 2)
    m_first, m_last = q_start.strftime('%Y-%m'), q_end.strftime('%Y-%m')
    rx = [r for r in load('rx') if m_first <= r['period'] <= m_last]
    n = len({r['period'] for r in rx})
    use, pot = ours_and_class(rx)
    usage = {d: u / n for d, u in use.items()}
    potential = {d: pot[d] / n for d in use}
    assert SETTINGS['quadrant.method'] == 'median'
    quad = {}
    for t in {doc_terr[d] for d in usage}:
        ds = [d for d in usage if doc_terr[d] == t]
        ucut = statistics.median(usage[d] for d in ds)
        pvals = [potential[d] for d in ds if potential[d] is not None]
        pcut = statistics.median(pvals) if pvals else None
        for d in ds:
            if potential[d] is None or pcut is None:
                continue
            hu, hp = usage[d] >= ucut, potential[d] >= pcut
            quad[d] = 'A' if hu and not hp else 'B' if hu else 'C' if hp else 'D'
    mine = [v for v in vis if int(v['rep_unit_id']) == rep and q_start <= day(v['date']) <= q_end]
    groups = {}
    for v in mine:
        groups.setdefault(quad.get(int(v['doctor_id'])), []).append(v)
    total_rep = sum(int(v['reported']) for v in mine)
    focus = {'A': 'maintain', 'B': 'grow', 'C': 'develop', 'D': 'reduce'}
    print('-- report: visits territory=%d' % rep)
    keys = sorted(groups, key=lambda k: (k is not None, k or ''))
    for k, vs in [(k, groups[k]) for k in keys] + [('all', mine)]:
        pl = sum(int(v['planned']) for v in vs)
        rp = sum(int(v['reported']) for v in vs)
        vf = sum(int(v['verified']) for v in vs)
        missed = sum(1 for v in vs if v['planned'] == '1' and v['reported'] == '0')
        unpl = sum(1 for v in vs if v['planned'] == '0' and v['reported'] == '1')
        done = sum(1 for v in vs if v['planned'] == '1' and v['reported'] == '1')
        print(row(str(rep), UNITS[rep]['name'], k or 'NULL', focus.get(k, 'NULL'),
                  str(len({v['doctor_id'] for v in vs})), str(pl), str(rp), str(vf), str(missed),
                  str(unpl), fmt(done / pl, 4) if pl else 'NULL', fmt(vf / rp, 4) if rp else 'NULL',
                  fmt(rp / total_rep, 4) if total_rep else 'NULL'))


# ---------------------------------------------------------------- quadrants
def quadrants(rep, product, as_of):
    """The quadrants report for one territory and one of our products, the
    quarter ending with the month as_of: usage = the doctor's Rx of the
    product a month, potential = the Rx of its class (every brand) a month,
    median cuts over the territory's doctors with Rx rows of the class."""
    dept = {int(d['id']): d for d in load('department')}
    doc_terr = {int(d['id']): int(HOSP[int(dept[int(d['department_id'])]['hospital_id'])]['unit_id'])
                for d in load('doctor')}
    y, m = int(as_of[:4]), int(as_of[5:])
    months = ['%04d-%02d' % ((y, m - k) if m - k > 0 else (y - 1, m - k + 12)) for k in range(3)]
    rx = [r for r in load('rx') if r['period'] in months]
    n = len({r['period'] for r in rx})
    cls = CLASS[product]
    use, pot = {}, {}
    for r in rx:
        d, p = int(r['doctor_id']), int(r['product_id'])
        if CLASS[p] != cls or doc_terr[d] != rep:
            continue
        pot[d] = pot.get(d, 0) + int(r['rx_count'])
        use[d] = use.get(d, 0) + (int(r['rx_count']) if p == product else 0)
    usage = {d: use[d] / n for d in pot}
    potential = {d: pot[d] / n for d in pot}
    ucut, pcut = statistics.median(usage.values()), statistics.median(potential.values())
    quad = {d: ('B' if potential[d] >= pcut else 'A') if usage[d] >= ucut
            else ('C' if potential[d] >= pcut else 'D') for d in pot}
    q_start = dt.date(int(months[-1][:4]), int(months[-1][5:]), 1)
    q_end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    vis = [v for v in load('visit') if int(v['rep_unit_id']) == rep and v['reported'] == '1'
           and q_start <= day(v['date']) <= q_end]
    vq = {}
    for v in vis:
        k = quad.get(int(v['doctor_id']))
        vq[k] = vq.get(k, 0) + 1
    w = {q: float(SETTINGS['quadrant.visit_weight.' + q]) for q in 'ABCD'}
    dq = {q: sum(1 for d in quad if quad[d] == q) for q in 'ABCD'}
    wsum = sum(dq[q] * w[q] for q in 'ABCD')
    focus = {'A': 'maintain', 'B': 'grow', 'C': 'develop', 'D': 'reduce'}
    tol = 0.05
    print('-- report: quadrants territory=%d product=%d as_of=%s' % (rep, product, as_of))
    for q in ['A', 'B', 'C', 'D'] + ([None] if None in vq else []):
        vs = vq.get(q, 0) / len(vis)
        ts = dq[q] * w[q] / wsum if q else 0.0
        gap = vs - ts
        act = ('no rx data' if q is None else 'more visits' if gap < -tol
               else 'fewer visits' if gap > tol else 'on plan')
        print(row(str(rep), UNITS[rep]['name'], q or 'NULL', focus.get(q, 'NULL'), str(dq[q] if q else 0),
                  fmt(ucut, 2), fmt(pcut, 2), str(vq.get(q, 0)), fmt(vs, 4), fmt(ts, 4), fmt(gap, 4), act))


# ---------------------------------------------------------------- potential
def sqlround(v, nd):
    """round() as SQLite does it: the exact binary value, ties away from zero."""
    import decimal
    q = decimal.Decimal(1).scaleb(-nd)
    return float(decimal.Decimal(v).quantize(q, rounding=decimal.ROUND_HALF_UP))


def sfmt(v, nd=None):
    if v is None:
        return 'NULL'
    if isinstance(v, str):
        return v
    return fmt(sqlround(v, nd)) if nd is not None else fmt(v)


def potential(terr, product, as_of):
    """The potential report for one territory and one of our products (None:
    all of ours, each class once), month as_of, straight from the CSVs."""
    wd = float(SETTINGS['workdays_per_month'])
    y, m = int(as_of[:4]), int(as_of[5:])
    days = ((dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.date(y, m, 1)).days
    prods = [p for p in sorted(OURS) if product is None or p == product]
    classes = sorted({CLASS[p] for p in prods})
    rxv = {int(c['id']): num(c['rx_value']) for c in load('drug_class')}
    usage = {}
    for u in load('department_usage'):
        usage[(int(u['department_id']), int(u['class_id']))] = (float(u['usage_rate']), float(u['rx_per_patient']))
    depts = [d for d in load('department') if int(HOSP[int(d['hospital_id'])]['unit_id']) == terr]
    doc_dept = {int(d['id']): int(d['department_id']) for d in load('doctor')}
    drx, dclass = {}, {}               # doctor -> our Rx, class Rx (of the classes asked)
    for r in load('rx'):
        if r['period'] != as_of:
            continue
        d, p, n = int(r['doctor_id']), int(r['product_id']), int(r['rx_count'])
        if CLASS[p] in classes:
            dclass[d] = dclass.get(d, 0) + n
            if p in prods:
                drx[d] = drx.get(d, 0) + n
    buy = {(int(b['hospital_id']), int(b['class_id'])): float(b['amount'])
           for b in load('purchase') if b['period'] == as_of}
    sales = {}
    for x in SALES:
        if x['period'] == as_of and int(x['product_id']) in prods:
            sales[int(x['hospital_id'])] = sales.get(int(x['hospital_id']), 0.0) + float(x['amount'])
    rows = []                          # per department
    for d in depts:
        did, hid = int(d['id']), int(d['hospital_id'])
        daily = float(d['daily_patients'])
        pot = sum(daily * usage[(did, c)][0] * usage[(did, c)][1] * wd for c in classes if (did, c) in usage)
        rate = max([usage[(did, c)][0] for c in classes if (did, c) in usage], default=0.0)
        docs = [k for k, v in doc_dept.items() if v == did]
        rx = sum(drx.get(k, 0) for k in docs)
        crx = sum(dclass.get(k, 0) for k in docs)
        pres = sum(1 for k in docs if dclass.get(k, 0) > 0 or drx.get(k, 0) > 0)
        users = sum(1 for k in docs if drx.get(k, 0) > 0)
        rows.append(dict(id=did, hid=hid, name=d['name'], patients=daily * wd, pot=pot, rate=rate, rx=rx,
                         crx=crx, pres=pres, users=users, room=max(pot - rx, 0.0)))
    hosp = {}
    for hid in sorted({r['hid'] for r in rows}):
        h = HOSP[hid]
        ds = [r for r in rows if r['hid'] == hid]
        outp = float(h['outpatients_per_day']) * wd
        beds = int(h['beds'])
        inp = 0.0 if beds == 0 else (None if h['occupancy'] == '' or h['avg_stay_days'] == ''
                                     else beds * float(h['occupancy']) * days / float(h['avg_stay_days']))
        vals, srcs = [], []
        for c in classes:
            if (hid, c) in buy:
                vals.append(buy[(hid, c)])
                srcs.append('purchases')
                continue
            dem = sum(float(d['daily_patients']) * usage[(int(d['id']), c)][0] * usage[(int(d['id']), c)][1] * wd
                      for d in depts if int(d['hospital_id']) == hid and (int(d['id']), c) in usage)
            if dem == 0:
                vals.append(0.0)
            elif rxv[c] is None:
                vals.append(None)
            else:
                vals.append(dem * (1 + (inp or 0) / outp if outp > 0 else 1) * rxv[c])
            srcs.append('extrapolated')
        known = None not in vals
        mv = sum(vals) if known else None
        src = (srcs[0] if len(set(srcs)) == 1 else 'mixed') if known else None
        hosp[hid] = dict(name=h['name'], status=h['status'], outp=outp, inp=inp,
                         patients=sum(r['patients'] for r in ds), pot=sum(r['pot'] for r in ds),
                         rx=sum(r['rx'] for r in ds), room=sum(r['room'] for r in ds),
                         crx=sum(r['crx'] for r in ds), pres=sum(r['pres'] for r in ds),
                         users=sum(r['users'] for r in ds), mv=mv, src=src, recorded=sum(
                             buy.get((hid, c), 0.0) for c in classes), sales=sales.get(hid, 0.0), ds=ds)

    def share(rx, pot):
        return None if rx > pot or pot == 0 else rx / pot

    def line(level, hn, dn, outp, inp, x, mv, src, sal):
        note = 'rx above potential' if x['rx'] > x['pot'] else 'NULL'
        return row(level, str(terr), UNITS[terr]['name'], hn or 'NULL', dn or 'NULL', sfmt(outp, 1), sfmt(inp, 1),
                   sfmt(x['patients'], 1), sfmt(x['pot'], 1), str(x['rx']), sfmt(share(x['rx'], x['pot']), 4),
                   sfmt(x['room'], 1), note, str(x['crx']), str(x['pres']), str(x['users']), sfmt(mv, 2),
                   src or 'NULL', sfmt(sal, 2),
                   sfmt(sal / mv, 4) if sal is not None and mv else 'NULL')
    hs = sorted(hosp, key=lambda k: (-hosp[k]['room'], k))
    tot = {k: sum(hosp[h][k] for h in hosp) for k in ('patients', 'pot', 'rx', 'room', 'crx', 'pres', 'users')}
    mvs = [hosp[h]['mv'] for h in hosp if hosp[h]['mv'] is not None]
    srcs = {hosp[h]['src'] for h in hosp}
    tsrc = None if len(mvs) < len(hosp) else (srcs.pop() if len(srcs) == 1 else 'mixed')
    inps = [hosp[h]['inp'] for h in hosp if hosp[h]['inp'] is not None]
    print('-- report: potential territory=%d%s as_of=%s' % (terr, '' if product is None else ' product=%d' % product, as_of))
    print(line('territory', None, None, sum(hosp[h]['outp'] for h in hosp), sum(inps) if inps else None, tot,
               sum(mvs) if mvs else None, tsrc, sum(hosp[h]['sales'] for h in hosp)))
    for h in hs:
        x = hosp[h]
        print(line('hospital', x['name'], None, x['outp'], x['inp'], x, x['mv'], x['src'], x['sales']))
        for d in sorted(x['ds'], key=lambda r: (-r['room'], r['id'])):
            print(line('department', x['name'], d['name'], None, None, d, None, None, None))
    order = sorted([r for r in rows if r['pot'] > 0], key=lambda r: (-r['room'], -r['pot'], r['id']))
    entry = {}
    for r in sorted([r for r in rows if r['pot'] > 0], key=lambda r: (-r['rate'], -r['pot'], r['id'])):
        entry.setdefault(r['hid'], r['id'])
    for i, r in enumerate(order, start=1):
        x = hosp[r['hid']]
        print(row(str(terr), UNITS[terr]['name'], str(i), x['name'], x['status'], r['name'], sfmt(r['pot'], 1),
                  str(r['rx']), sfmt(share(r['rx'], r['pot']), 4), sfmt(r['room'], 1),
                  str(r['pres'] - r['users']), str(int(entry[r['hid']] == r['id']))))
    an = ancestors(terr)
    valued = len(mvs)
    rec = sum(hosp[h]['recorded'] for h in hosp)
    sal = sum(hosp[h]['sales'] for h in hosp)
    mvt = sum(mvs) if mvs else None
    for level in ('region', 'district', 'territory'):
        u = an[level]
        print(row(level, str(u), UNITS[u]['name'], str(len(hosp)), str(valued), sfmt(mvt, 2), sfmt(rec, 2),
                  sfmt(sal, 2), sfmt(sal / mvt, 4) if mvt else 'NULL'))


# ---------------------------------------------------------------- scorecard
def scorecard():
    p_to = max(s['period'] for s in SALES)
    y, mm = int(p_to[:4]), int(p_to[5:])
    p_from, ly_from, ly_to = '%d-01' % y, '%d-01' % (y - 1), '%d-%02d' % (y - 1, mm)
    recent_from = '%d-%02d' % ((y, mm - 2) if mm > 2 else (y - 1, mm + 10))
    d_from, d_to = dt.date(y, 1, 1), dt.date(y + (mm == 12), mm % 12 + 1, 1) - dt.timedelta(days=1)
    reps = sorted(u for u, x in UNITS.items() if x['level'] == 'territory')
    unit_of = lambda h: int(HOSP[int(h)]['unit_id'])  # noqa: E731
    ytd = lambda p: p_from <= p <= p_to  # noqa: E731
    sales = {r: 0.0 for r in reps}
    ly = {r: 0.0 for r in reps}
    for s in SALES:
        u = unit_of(s['hospital_id'])
        if ytd(s['period']):
            sales[u] += float(s['amount'])
        if ly_from <= s['period'] <= ly_to:
            ly[u] += float(s['amount'])
    # targets: own rows of plan current, per product: months, else quarters, else year
    tg = {}
    for t in load('target'):
        if t['plan'] != 'current' or t['hospital_id'] != '' or t['period'][:4] != str(y):
            continue
        k = (int(t['unit_id']), int(t['product_id']))
        e = tg.setdefault(k, {'m': [], 'q': [], 'y': []})
        p = t['period']
        if len(p) == 7 and p[5] != 'Q':
            e['m'].append((p, int(t['amount'])))
        elif 'Q' in p:
            e['q'].append((int(p[6]), int(t['amount'])))
        else:
            e['y'].append(int(t['amount']))
    target = {}
    for (u, _), e in tg.items():
        if e['m']:
            v = sum(a for p, a in e['m'] if p <= p_to)
        elif e['q']:
            v = sum(a * max(0, min(3, mm - 3 * (q - 1))) / 3.0 for q, a in e['q'])
        else:
            v = sum(a * mm / 12.0 for a in e['y'])
        target[u] = target.get(u, 0) + v
    # market share
    dept = {int(d['id']): d for d in load('department')}
    doc_terr = {int(d['id']): int(HOSP[int(dept[int(d['department_id'])]['hospital_id'])]['unit_id'])
                for d in load('doctor')}
    rxs, pots = {}, {}
    use, pot = ours_and_class([r for r in load('rx') if ytd(r['period'])])
    for d in use:
        t = doc_terr[d]
        rxs[t] = rxs.get(t, 0) + use[d]
        pots[t] = pots.get(t, 0) + pot[d]
    # customers' weights
    weights = {}
    for cid, c in CUST.items():
        if c['unit_id'] and UNITS[int(c['unit_id'])]['level'] == 'territory':
            weights[cid] = {int(c['unit_id']): 1.0}
    through = {}
    for s in SALES:
        if s['customer_id'] and ytd(s['period']):
            cid = int(s['customer_id'])
            if cid in weights:
                continue
            d = through.setdefault(cid, {})
            u = unit_of(s['hospital_id'])
            d[u] = d.get(u, 0.0) + float(s['amount'])
    for cid, d in through.items():
        tot = sum(d.values())
        if tot:
            weights[cid] = {u: a / tot for u, a in d.items()}
    # per customer money
    cm = {}
    for cid in CUST:
        invs = [i for i in INVOICES if int(i['customer_id']) == cid and day(i['date']) <= d_to]
        due = [i for i in invs if d_from <= day(i['due_date']) <= d_to]
        paid = {int(i['id']): paid_by(int(i['id']), d_to) for i in invs}
        coll = [float(p['amount']) for p in PAYMENTS
                if int(INV_BY_ID[int(p['invoice_id'])]['customer_id']) == cid
                and d_from <= day(p['date']) <= d_to]
        cards = [k for k in load('inventory') if int(k['customer_id']) == cid and ytd(k['period'])]
        cm[cid] = {
            'collected': sum(coll) if coll else None,
            'due_paid': sum(min(paid[int(i['id'])], float(i['amount'])) for i in due) if due else None,
            'due': sum(float(i['amount']) for i in due) if due else None,
            'receivables': sum(float(i['amount']) - paid[int(i['id'])] for i in invs) if invs else None,
            'returned': sum(int(k['returned']) for k in cards) if cards else None,
            'received': sum(int(k['received']) for k in cards) if cards else None,
        }
    money = {}
    for cid, w in weights.items():
        for u, wt in w.items():
            m = money.setdefault(u, {})
            for k, v in cm[cid].items():
                if v is not None:
                    m[k] = m.get(k, 0.0) + wt * v
    # hospitals developed and lost
    new, churn = {}, {}
    for h in HOSP:
        ss = [s for s in SALES if int(s['hospital_id']) == h and float(s['amount']) > 0 and s['period'] <= p_to]
        if not ss:
            continue
        u = unit_of(h)
        if ytd(min(s['period'] for s in ss)):
            new[u] = new.get(u, 0) + 1
        if any(s['period'][:4] == str(y - 1) for s in ss) and not any(recent_from <= s['period'] for s in ss):
            churn[u] = churn.get(u, 0) + 1
    spend = {}
    for e in load('expense'):
        if ytd(e['period']):
            spend[int(e['unit_id'])] = spend.get(int(e['unit_id']), 0.0) + float(e['amount'])
    ach = {r: (sales[r] / target[r] if target.get(r) else None) for r in reps}

    def rank(r, level):
        a = ach[r]
        peers = [x for x in reps if ancestors(x)[level] == ancestors(r)[level]]
        if a is None:
            return 1 + sum(1 for x in peers if ach[x] is not None)
        return 1 + sum(1 for x in peers if ach[x] is not None and ach[x] > a)

    out = []
    for r in reps:
        an = ancestors(r)
        m = money.get(r, {})
        ratio = lambda a, b: a / b if a is not None and b else None  # noqa: E731
        out.append(((an['region'], an['district'], rank(r, 'district'), r), row(
            str(r), UNITS[r]['name'], UNITS[an['district']]['name'], UNITS[an['region']]['name'],
            fmt(sales[r], 2), fmt(target.get(r), 2), fmt(ach[r], 4),
            fmt(sales[r] / ly[r] - 1, 4) if ly[r] else 'NULL',
            fmt(rxs[r] / pots[r], 4) if pots.get(r) else 'NULL',
            fmt(m.get('collected', 0.0), 2), fmt(ratio(m.get('due_paid'), m.get('due')), 4),
            fmt(m.get('receivables', 0.0), 2), str(new.get(r, 0)), str(churn.get(r, 0)),
            fmt(ratio(m.get('returned'), m.get('received')), 4),
            fmt(spend.get(r, 0.0) / sales[r], 4) if sales[r] else 'NULL',
            str(rank(r, 'district')), str(rank(r, 'region')))))
    print('-- report: scorecard')
    for _, line in sorted(out):
        print(line)


if __name__ == '__main__':
    print('-- scorecard'); scorecard()
    print('-- pareto'); pareto()
    print('-- aging'); aging(7, latest_money_date())
    print('-- inventory'); inventory_broken(6, max(r['period'] for r in load('inventory')), 24)
    print('-- visits'); visits(122)
    print('-- spend'); spend(211)
    print('-- quadrants'); quadrants(111, 1, '2026-10'); quadrants(221, 2, '2026-10')
    print('-- potential'); potential(111, 1, '2026-10'); potential(121, None, '2026-10'); potential(112, 2, '2026-06')
