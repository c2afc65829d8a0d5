#!/usr/bin/python3
"""tests/suites/export_check.py -- .excel, .html and .chart --svg checked
from the outside (run by tests/suites/export.sh; Debian's /usr/bin/python3,
which sees python3-openpyxl).

On a copy of the demo database with hostile names planted (a hospital
named "</table><script>...", customers named =HYPERLINK(...), +cmd, @SUM,
-2+3, a territory with quotes, & and <i>), the monthly pack is written as a
workbook and as a page, and:

  workbook  read back with openpyxl (an independent reader): every cell of
            every sheet against the report's rows as the shell prints them
            in JSON (value and type), each column's number format against
            what the column means (amounts #,##0, rates 0.0%, dates as
            dates), status colours, bold frozen header, autofilter, widths
            that fit Chinese text, the parameters sheet against the
            database, and no formula anywhere in the file;
  page      parsed: no script, no external reference, every table's cells
            against the same JSON, the bars against the data (behind the
            mark or not, and on which side of it), every quadrant point on
            the right side of the cut lines against doctors and medians
            computed here from the rx table with Python's statistics, the
            counts per quadrant against that and the quadrants report;
  chromium  headless: the page laid out at A4 landscape width (277 mm)
            overflows nothing, every chart has a size, the screenshot holds
            the charts' colours, print-to-PDF gives A4 landscape pages.
            Without chromium these checks count as skipped, not passed.

Ends with "N passed, N failed, N skipped".
"""
import datetime
import html.parser
import json
import os
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib

ROOT = os.environ.get('ROOT', os.getcwd())
B = os.environ.get('B', 'build')
BDIR = B if os.path.isabs(B) else os.path.join(ROOT, B)
TERR = os.environ.get('TERRITORY', os.path.join(BDIR, 'territory'))
TERR_ASAN = os.environ.get('TERRITORY_ASAN', '')
P = F = S = 0


def ok(cond, what):
    global P, F
    if cond:
        P += 1
    else:
        F += 1
        print('FAIL: ' + what)
    return cond


def skip(n, why):
    global S
    S += n
    print('skipped %d: %s' % (n, why))


def run(args, shell=TERR, cwd=None):
    r = subprocess.run([shell] + args, capture_output=True, text=True, cwd=cwd)
    return r.returncode, r.stdout, r.stderr


def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in 'WF' else 1 for ch in s)


ISO = re.compile(r'^\d{4}-\d{2}-\d{2}$')


def iso_date(v):
    if not isinstance(v, str) or not ISO.match(v):
        return None
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        return None


# ---------------------------------------------------------------- what columns mean
# Written from the reports' documentation, not from the C code.
RATES = {'achievement', 'time_progress', 'workday_progress', 'pace', 'share', 'cum_share',
         'visit_share', 'target_share', 'doctor_share', 'market_share', 'collection_rate',
         'return_rate', 'growth', 'used', 'spend_ratio', 'plan_adherence', 'verification_rate',
         'coverage', 'phased', 'fulfilment', 'on_time', 'assessed'}
AMOUNTS = {'target', 'actual', 'forecast', 'sales', 'collected', 'receivables', 'budget',
           'spent', 'variance', 'total', 'current', '1-30', '31-60', '61-90', '91-120', '>120',
           'credit_limit', 'overdue', 'overdue_long', 'paid_late', 'children_sum',
           'per_workday', 'potential', 'rx', 'headroom', 'outpatients', 'inpatients',
           'dept_patients', 'baseline', 'volume', 'min_volume', 'max_volume', 'opening',
           'received', 'sold', 'returned', 'closing', 'expected', 'prev_closing',
           'agreed_units', 'agreed_amount', 'bought_units', 'bought_amount', 'outstanding',
           'bad_debt', 'bad_debt_before'}
IDS = {'id', 'rank', 'decile', 'score'}
DECIMALS = {'usage_cut', 'potential_cut', 'avg_daily_sales', 'days_of_supply', 'dso', 'paid_days'}
FLAGS = {'over_limit', 'over_budget', 'over_terms'}
# the same name means different things in different reports
SPECIAL = {('progress', 'gap'): 'amount', ('quadrants', 'gap'): 'rate',
           ('inventory', 'gap'): 'count', ('inventory', 'difference'): 'count',
           ('target_check', 'difference'): 'amount', ('target_check', 'children'): 'count',
           ('credit', 'growth'): 'amount',            # bad debt grown, in yuan
           ('coverage', 'gap'): 'count', ('coverage', 'target'): 'count',   # hospitals
           ('distributors', 'score'): 'rate'}         # a weighted mean of 0..1 scores
FORMAT = {'amount': '#,##0', 'count': '#,##0', 'rate': '0.0%', 'id': '0', 'flag': '0',
          'dec': '#,##0.00', 'text': 'General'}


def meaning(report, col, values):
    """What a column is, from its name and (for unnamed ones) its values."""
    if any(isinstance(v, str) for v in values):
        return 'text'
    if (report, col) in SPECIAL:
        return SPECIAL[(report, col)]
    if col in IDS or col.endswith('_id') or col.startswith('rank'):
        return 'id'
    for group, kind in ((RATES, 'rate'), (FLAGS, 'flag'), (DECIMALS, 'dec'), (AMOUNTS, 'amount')):
        if col in group:
            return kind
    if col.startswith('not_') or all(isinstance(v, int) for v in values if v is not None):
        return 'count'
    return 'dec'


GOOD, BAD, WARN = 'C6EFCE', 'FFC7CE', 'FFEB9C'


def tone(col, v):
    if col in FLAGS:
        return BAD if v not in (None, 0) else None
    if not isinstance(v, str) or v == '':
        return None
    if col == 'status':
        return BAD if v in ('behind', 'identity', 'continuity', 'identity+continuity') else \
            GOOD if v == 'ahead' else None
    if col == 'action':
        return None if v == 'on plan' else BAD if v == 'no visits' else WARN
    if col == 'flag':
        return GOOD if v == 'best' else BAD if v == 'worst' else None
    if col == 'flags':
        return None if v == 'SMART' else WARN
    if col in ('note', 'warning'):
        return WARN
    if col == 'terms':
        return BAD if v == 'broken' else None
    if col == 'state':
        return WARN if v == 'opened late' else None
    return None


# ---------------------------------------------------------------- set-up
def report_headers():
    """name -> (has a required parameter, [parameter names]) from sql/reports."""
    out = {}
    d = os.path.join(ROOT, 'sql/reports')
    for fn in sorted(os.listdir(d)):
        if not fn.endswith('.sql'):
            continue
        req, names = False, []
        with open(os.path.join(d, fn), encoding='utf-8') as f:
            for line in f:
                m = re.match(r'--\s*param:\s*(\w+)\s*(\(required\))?', line)
                if m:
                    names.append(m.group(1))
                    req = req or bool(m.group(2))
                elif not line.startswith('--'):
                    break
        out[fn[:-4]] = (req, names)
    return out


def report_json(db, name, args=()):
    rc, out, err = run([db, '.mode json', '.report %s %s' % (name, ' '.join(args))])
    if rc != 0:
        raise RuntimeError('%s: %s' % (name, err))
    dec = json.JSONDecoder(object_pairs_hook=lambda p: p)
    res, i = [], 0
    while i < len(out):
        if out[i].isspace():
            i += 1
            continue
        v, i = dec.raw_decode(out, i)
        res.append(v)
    return res   # one list per result, each row a list of (column, value)


HOSTILE_HOSPITAL = '东方</table><script>alert("x")</script>医院'
HOSTILE_CUSTOMERS = {1: '=HYPERLINK("http://evil.example/","点击")', 2: "+cmd|' /C calc'!A0",
                     3: '@SUM(1+1)*cmd', 4: '-2+3'}
HOSTILE_UNIT = (112, '浦西 "区域" & <i>x</i>')


def make_db(tmp):
    src = os.path.join(BDIR, 'demo.db')
    db = os.path.join(tmp, 'hostile.db')
    shutil.copy(src, db)
    con = sqlite3.connect(db)
    con.execute('UPDATE hospital SET name = ? WHERE id = (SELECT min(id) FROM hospital)',
                (HOSTILE_HOSPITAL,))
    for cid, name in HOSTILE_CUSTOMERS.items():
        con.execute('UPDATE customer SET name = ? WHERE id = ?', (name, cid))
    con.execute('UPDATE org_unit SET name = ? WHERE id = ?', (HOSTILE_UNIT[1], HOSTILE_UNIT[0]))
    con.commit()
    con.close()
    return db


# ---------------------------------------------------------------- workbook
def check_workbook(path, db, expected_tables, given):
    """expected_tables: [(report, part, rows)]; given: {report: {param: value}}."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    with zipfile.ZipFile(path) as z:
        sheets_xml = [n for n in z.namelist() if n.startswith('xl/worksheets/sheet')]
        formulas = [n for n in sheets_xml if re.search(rb'<f[ >]', z.read(n))]
        ok(sheets_xml and not formulas, '%s: formulas in %s' % (path, formulas))
    wb = openpyxl.load_workbook(path)
    ok(wb.sheetnames[0] == 'parameters', '%s: first sheet is %s' % (path, wb.sheetnames[0]))
    ps = wb['parameters']
    cells = {}
    for row in ps.iter_rows(values_only=True):
        if row[0] is not None:
            cells.setdefault(row[0], []).append(row)
    con = sqlite3.connect(db)
    as_of = con.execute('SELECT max(period) FROM sale').fetchone()[0]
    ok(cells.get('data as of', [[None, None]])[0][1] == as_of,
       '%s: data as of %r, the database says %r' % (path, cells.get('data as of'), as_of))
    # the list of sheets and the parameter rows
    listing, params, mode = [], [], None
    for row in ps.iter_rows(values_only=True):
        if row[:4] == ('sheet', 'report', 'part', 'description'):
            mode = 'sheets'
            continue
        if row[:3] == ('report', 'parameter', 'value'):
            mode = 'params'
            continue
        if mode == 'sheets' and row[0]:
            listing.append(row[:3])
        elif mode == 'params' and row[0]:
            params.append(row[:3])
    ok([(r, p) for _, r, p in listing] == [(r, p) for r, p, _ in expected_tables],
       '%s: sheets list %s, expected %s' % (path, [(r, p) for _, r, p in listing],
                                            [(r, p) for r, p, _ in expected_tables]))
    heads = report_headers()
    want_params = [(r, n, given.get(r, {}).get(n, '(default)'))
                   for r in dict.fromkeys(r for r, _, _ in expected_tables) for n in heads[r][1]]
    ok(params == want_params, '%s: parameter rows %s, expected %s' % (path, params, want_params))
    for (title, report, part), (_, _, rows) in zip(listing, expected_tables):
        ws = wb[title]
        what = '%s[%s]' % (os.path.basename(path), title)
        cols = [c for c, _ in rows[0]] if rows else [c.value for c in ws[1]]
        n = len(rows)
        ok([c.value for c in ws[1]] == cols, '%s: header %s' % (what, [c.value for c in ws[1]]))
        ok(all(c.font.b for c in ws[1]), '%s: header not bold' % what)
        ok(ws.freeze_panes == 'A2', '%s: freeze panes %s' % (what, ws.freeze_panes))
        ok(ws.auto_filter.ref == 'A1:%s%d' % (get_column_letter(len(cols)), n + 1),
           '%s: autofilter %s' % (what, ws.auto_filter.ref))
        ok(ws.max_row == n + 1, '%s: %d rows, the report has %d' % (what, ws.max_row - 1, n))
        bad = []
        for j, col in enumerate(cols):
            values = [r[j][1] for r in rows]
            kind = meaning(report, col, [v for v in values if iso_date(v) is None])
            letter = get_column_letter(j + 1)
            need = width(col) + 2
            for i, v in enumerate(values):
                c = ws.cell(i + 2, j + 1)
                d = iso_date(v)
                if v is None:
                    good = c.value is None
                elif d is not None:
                    good = (isinstance(c.value, datetime.datetime) and c.value.date() == d
                            and c.number_format == 'yyyy-mm-dd')
                elif isinstance(v, str):
                    good = (c.data_type == 's' and c.value == v and c.number_format == 'General')
                    need = max(need, min(60, width(v) + 2))
                else:
                    good = (c.data_type == 'n' and isinstance(c.value, (int, float))
                            and abs(c.value - v) <= 1e-15 * max(1, abs(v))
                            and c.number_format == FORMAT[kind])
                t = tone(col, v)
                fill = c.fill.fgColor.rgb if c.fill and c.fill.patternType == 'solid' else None
                if (fill or '')[-6:] != (t or ''):
                    good = False
                if not good:
                    bad.append('%s%d %s=%r: got %r (%s, %s, fill %s), want %s fill %s' % (
                        letter, i + 2, col, v, c.value, c.data_type, c.number_format, fill,
                        FORMAT.get(kind), t))
            got_w = ws.column_dimensions[letter].width
            if got_w is None or got_w + 0.01 < need:
                bad.append('column %s (%s) width %s, needs %s' % (letter, col, got_w, need))
        ok(not bad, '%s: %d cells differ from the report, e.g. %s' % (what, len(bad), bad[:3]))


# ---------------------------------------------------------------- page
class Page(html.parser.HTMLParser):
    """Sections with their table cells and chart elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.cur = [], None
        self.tags, self.attrs_seen = [], []
        self.text_stack = []   # [tag, attrs, text parts] being collected
        self.in_tbody = self.in_thead = False
        self.svg = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attrs_seen.extend(attrs)
        if tag == 'section':
            self.cur = {'report': a.get('data-report'), 'part': int(a.get('data-part') or 0),
                        'id': a.get('id'), 'heads': [], 'rows': [], 'svgs': [], 'same': ''}
            self.sections.append(self.cur)
        elif self.cur is None:
            pass
        elif tag == 'svg':
            self.svg = {'title': '', 'els': [], 'group': None}
            self.cur['svgs'].append(self.svg)
        elif self.svg is not None:
            el = {'tag': tag, 'attrs': a, 'text': ''}
            if tag == 'g':
                self.svg['group'] = {'tag': 'g', 'attrs': a, 'items': []}
                self.svg['els'].append(self.svg['group'])
            elif self.svg['group'] is not None:
                self.svg['group']['items'].append(el)
            else:
                self.svg['els'].append(el)
            self.text_stack.append(el)
        elif tag == 'thead':
            self.in_thead = True
        elif tag == 'tbody':
            self.in_tbody = True
        elif tag == 'tr' and self.in_tbody:
            self.cur['rows'].append([])
        elif tag in ('td', 'th', 'p'):
            self.text_stack.append({'tag': tag, 'attrs': a, 'text': ''})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == 'section':
            self.cur = None
        elif tag == 'svg':
            self.svg = None
        elif tag == 'g' and self.svg is not None:
            self.svg['group'] = None
        elif tag == 'thead':
            self.in_thead = False
        elif tag == 'tbody':
            self.in_tbody = False
        if self.text_stack and self.text_stack[-1]['tag'] == tag:
            el = self.text_stack.pop()
            if self.cur is None:
                return
            if tag == 'th' and self.in_thead:
                self.cur['heads'].append(el['text'])
            elif tag == 'td' and self.in_tbody and self.cur['rows']:
                self.cur['rows'][-1].append((el['text'], el['attrs'].get('class', '')))
            elif tag == 'p' and el['attrs'].get('class') == 'same':
                self.cur['same'] = el['text']
            elif tag == 'text' and self.svg is not None and \
                    el['attrs'].get('class') == 'title':
                self.svg['title'] = el['text']

    def handle_data(self, data):
        for el in self.text_stack:
            el['text'] += data


def shown_number(text):
    """A number as the page shows it: 1,234 / -6.8% / 57.00 -> (value, decimals)."""
    t = text.replace(',', '')
    pct = t.endswith('%')
    if pct:
        t = t[:-1]
    dec = len(t.split('.')[1]) if '.' in t else 0
    v = float(t)
    return (v / 100, dec + 2) if pct else (v, dec)


def check_page_tables(page, expected_tables):
    secs = [s for s in page.sections if s['report'] is not None and s['id'] != 'parameters']
    ok([(s['report'], s['part']) for s in secs] == [(r, p) for r, p, _ in expected_tables],
       'page sections %s' % [(s['report'], s['part']) for s in secs])
    for s, (report, part, rows) in zip(secs, expected_tables):
        what = 'page %s %d' % (report, part)
        ok(len(s['rows']) == len(rows), '%s: %d rows, the report has %d' % (what, len(s['rows']), len(rows)))
        if not rows:
            continue
        cols = [c for c, _ in rows[0]]
        heads = s['heads']
        ok(all(h in cols for h in heads), '%s: headers %s not in %s' % (what, heads, cols))
        # a column left out is an id before its name, or the same in every row (said above)
        for c in cols:
            if c in heads:
                continue
            j = cols.index(c)
            vals = {json.dumps(r[j][1]) for r in rows}
            ok((c.endswith('_id') and j + 1 < len(cols) and cols[j + 1] == c[:-3]) or
               (len(vals) == 1 and '%s %s' % (c, rows[0][j][1]) in s['same']),
               '%s: column %s left out' % (what, c))
        bad = []
        for i, (row, got) in enumerate(zip(rows, s['rows'])):
            shown = dict(zip(heads, got))
            for c, v in row:
                if c not in shown:
                    continue
                text, cls = shown[c]
                if v is None:
                    good = text == ''
                elif isinstance(v, str):
                    good = text == v
                elif c in FLAGS:
                    good = text == ('yes' if v else 'no')
                else:
                    try:
                        got_v, dec = shown_number(text)
                        good = abs(got_v - v) <= 0.5 * 10 ** -dec + 1e-9 * abs(v)
                    except ValueError:
                        good = False
                t = tone(c, v)
                want_cls = {GOOD: 'good', BAD: 'bad', WARN: 'warn', None: ''}[t]
                if want_cls and want_cls not in cls.split() or not want_cls and \
                        set(cls.split()) & {'good', 'bad', 'warn'}:
                    good = False
                if not good:
                    bad.append('row %d %s=%r shown %r (class %r)' % (i + 1, c, v, text, cls))
        ok(not bad, '%s: %d cells differ, e.g. %s' % (what, len(bad), bad[:3]))


def svg_items(svg, tag=None, cls=None):
    out = []
    for el in svg['els']:
        for x in ([el] + el.get('items', [])):
            if (tag is None or x['tag'] == tag) and \
                    (cls is None or cls in x['attrs'].get('class', '').split()):
                out.append(x)
    return out


def check_progress_bars(page, rows):
    sec = next(s for s in page.sections if s['report'] == 'progress' and s['part'] == 1)
    # collection rows (回款, kind 'collection') have no product and no chart
    products = sorted({dict(r)['product'] for r in rows} - {None})
    ok(len(sec['svgs']) == len(products), 'progress: %d charts for %d products'
       % (len(sec['svgs']), len(products)))
    bad, n = [], 0
    for svg in sec['svgs']:
        prod = next((p for p in products if (' %s ' % p) in svg['title']), None)
        year = svg['title'].rsplit(' ', 1)[-1]
        want = {dict(r)['unit']: dict(r) for r in rows
                if dict(r)['product'] == prod and dict(r)['period'] == year}
        bars = [e for e in svg['els'] if e['tag'] == 'g' and e['attrs'].get('class') == 'bar']
        ok(prod is not None and len(bars) == len(want) and len(want) > 0,
           'progress chart %r: %d bars, %d rows' % (svg['title'], len(bars), len(want)))
        for g in bars:
            rect = next((x for x in g['items'] if x['tag'] == 'rect'), None)
            # the full name is in the bar's tooltip (a long one is cut on the axis)
            label = rect['text'].rsplit(': ', 1)[0] if rect else None
            r = want.get(label)
            mark = next((x for x in g['items'] if x['tag'] == 'line'), None)
            if r is None or rect is None or mark is None:
                bad.append('bar %r has no row, bar or mark' % label)
                continue
            n += 1
            a, tp = r['achievement'], r['time_progress']
            right = float(rect['attrs']['x']) + float(rect['attrs']['width'])
            mx = float(mark['attrs']['x1'])
            behind = 'behind' in rect['attrs']['class'].split()
            if behind != (a < tp) or (a < tp and not right < mx) or (a > tp and not right > mx):
                bad.append('%s %s: achievement %s, time progress %s, bar ends %s, mark %s%s'
                           % (prod, label, a, tp, right, mx, ' behind' if behind else ''))
    ok(n > 0 and not bad, 'progress bars against the data: %s' % bad[:3])


def quadrant_oracle(db):
    """Per territory name: cuts and each doctor's (usage, potential), from the
    rx and product tables, by the rule in the schema's comment on
    doctor_segment (all our products: usage = their Rx a month; potential =
    their classes' Rx, ours and the competitors', each class once; a month =
    the quarter's months holding any Rx; cuts = medians per territory)."""
    con = sqlite3.connect(db)
    months = sorted(r[0] for r in con.execute('SELECT DISTINCT period FROM rx'))
    last = months[-1]
    y, m = int(last[:4]), int(last[5:7])
    k = y * 12 + m - 1 - 2
    first = '%04d-%02d' % (k // 12, k % 12 + 1)
    window = [p for p in months if first <= p <= last]
    prods = {pid: (cls, ours) for pid, cls, ours in
             con.execute('SELECT id, class_id, ours FROM product')}
    rx = {}
    for did, pid, per, n, pot in con.execute(
            'SELECT doctor_id, product_id, period, rx_count, potential FROM rx '
            'WHERE period BETWEEN ? AND ?', (first, last)):
        rx[(did, pid, per)] = (n, pot)
    place = {did: (tid, name) for did, tid, name in con.execute(
        'SELECT d.id, h.unit_id, u.name FROM doctor d '
        'JOIN department dp ON dp.id = d.department_id '
        'JOIN hospital h ON h.id = dp.hospital_id JOIN org_unit u ON u.id = h.unit_id')}
    ours = [p for p, (_, o) in prods.items() if o == 1]
    members = {p: [c for c, (cc, _) in prods.items()
                   if c == p or (prods[p][0] is not None and cc == prods[p][0])] for p in ours}
    figs = {}
    for d in {d for d, _, _ in rx}:
        u_sum, p_sum, seen = 0, None, False
        for per in window:
            by_class = {}
            for p in ours:
                rows = [rx[(d, c, per)] for c in members[p] if (d, c, per) in rx]
                if not rows:
                    continue
                seen = True
                own = rx.get((d, p, per), (0, None))[0]
                cls = prods[p][0]
                total = sum(n for n, _ in rows) if cls is not None else rx.get((d, p, per), (0, None))[1]
                key = cls if cls is not None else -p
                r0, c0 = by_class.get(key, (0, None))
                by_class[key] = (r0 + own, total if c0 is None else c0 if total is None else max(c0, total))
            for r_, c_ in by_class.values():
                u_sum += r_
                if c_ is not None:
                    p_sum = (p_sum or 0) + c_
        if seen:
            figs[d] = (u_sum / len(window), None if p_sum is None else p_sum / len(window))
    out = {}
    for d, f in figs.items():
        tid, tname = place[d]
        t = out.setdefault(tname, {'tid': tid, 'docs': {}})
        t['docs'][d] = f
    for t in out.values():
        t['ucut'] = statistics.median(u for u, _ in t['docs'].values())
        pots = [p for _, p in t['docs'].values() if p is not None]
        t['pcut'] = statistics.median(pots) if pots else None
    return out


def check_quadrants(page, db, qrows):
    oracle = quadrant_oracle(db)
    sec = next(s for s in page.sections if s['report'] == 'quadrants' and s['part'] == 1)
    ok(len(sec['svgs']) == len(oracle), 'quadrants: %d charts, %d territories'
       % (len(sec['svgs']), len(oracle)))
    report_counts = {}
    for r in qrows:
        r = dict(r)
        if r['quadrant']:
            report_counts[(r['territory'], r['quadrant'])] = r['doctors']
    bad, npts = [], 0
    for svg in sec['svgs']:
        name = svg['title'].rsplit(' \u00b7 ', 1)[0]
        t = oracle.get(name)
        if t is None:
            bad.append('chart %r is no territory' % svg['title'])
            continue
        cx = svg_items(svg, 'line', 'cut-x')[0]['attrs']
        cy = svg_items(svg, 'line', 'cut-y')[0]['attrs']
        xcut, ycut = float(cx['x1']), float(cy['y1'])
        if abs(float(cx['data-cut']) - t['pcut']) > 1e-9 * max(1, t['pcut']) or \
                abs(float(cy['data-cut']) - t['ucut']) > 1e-9 * max(1, t['ucut']):
            bad.append('%s: cuts %s/%s, medians %s/%s' % (name, cx['data-cut'], cy['data-cut'],
                                                          t['pcut'], t['ucut']))
        want_n = {'A': 0, 'B': 0, 'C': 0, 'D': 0}
        for did, (u, p) in t['docs'].items():
            if p is None:
                continue
            hu, hp = u >= t['ucut'], p >= t['pcut']
            want_n['B' if hu and hp else 'A' if hu else 'C' if hp else 'D'] += 1
        pts = {int(e['attrs']['data-id']): e['attrs'] for e in svg_items(svg, 'circle', 'pt')}
        if set(pts) != {d for d, (u, p) in t['docs'].items() if p is not None}:
            bad.append('%s: points %d, doctors %d' % (name, len(pts), len(t['docs'])))
        for did, a in pts.items():
            u, p = t['docs'][did]
            x, y = float(a['cx']), float(a['cy'])
            hp, hu = p >= t['pcut'], u >= t['ucut']
            q = 'B' if hu and hp else 'A' if hu else 'C' if hp else 'D'
            npts += 1
            if (x >= xcut) != hp or (y <= ycut) != hu or a['data-q'] != q:
                bad.append('%s doctor %d (usage %s, potential %s) drawn at %s,%s as %s; '
                           'cuts at x %s, y %s' % (name, did, u, p, x, y, a['data-q'], xcut, ycut))
        for c in svg_items(svg, 'text', 'count'):
            q, n = c['attrs']['data-q'], int(c['attrs']['data-n'])
            if n != want_n[q] or n != report_counts.get((name, q), 0) or not c['text'].endswith(': %d' % n):
                bad.append('%s %s: shows %s, doctors %d, report %s' % (
                    name, q, c['text'], want_n[q], report_counts.get((name, q))))
    ok(npts > 100 and not bad, 'quadrant points and counts against the data (%d points): %s'
       % (npts, bad[:4]))


def check_aging_and_stock(page, aging_rows, inv_rows):
    sec = next(s for s in page.sections if s['report'] == 'aging' and s['part'] == 1)
    svg = sec['svgs'][0] if sec['svgs'] else None
    buckets = ['current', '1-30', '31-60', '61-90', '91-120', '>120']
    ratios, bad = [], []
    if ok(svg is not None, 'aging: no chart'):
        rows = [e for e in svg['els'] if e['tag'] == 'g' and e['attrs'].get('class') == 'row']
        ok(len(rows) == len(aging_rows), 'aging chart: %d rows, report %d' % (len(rows), len(aging_rows)))
        for g, r in zip(rows, aging_rows):
            r = dict(r)
            segs = [x for x in g['items'] if x['tag'] == 'rect']
            want = [(k, r[b]) for k, b in enumerate(buckets) if r[b] and r[b] > 0]
            if [int(s['attrs']['data-s']) for s in segs] != [k for k, _ in want]:
                bad.append('%s: segments %s' % (r['customer'], [s['attrs']['data-s'] for s in segs]))
                continue
            for s, (_, v) in zip(segs, want):
                ratios.append((float(s['attrs']['width']), v))
        # one scale for every segment: widths proportional to the amounts
        # (coordinates have two decimals: each width is within 0.01 px)
        k = statistics.median(w / v for w, v in ratios) if ratios else 0
        off = [(w, v) for w, v in ratios if abs(w - v * k) > 0.011]
        ok(ratios and not bad and not off, 'aging segments out of proportion: %s %s' % (bad[:3], off[:3]))
    sec = next(s for s in page.sections if s['report'] == 'inventory' and s['part'] == 1)
    cards = {(dict(r)['customer'], dict(r)['product']) for r in inv_rows}
    ok(len(sec['svgs']) == len(cards), 'inventory: %d charts, %d stock cards'
       % (len(sec['svgs']), len(cards)))


def check_inert(page, raw):
    ok('script' not in page.tags, 'page has a <script> element')
    ok(not any(k.startswith('on') for k, _ in page.attrs_seen), 'page has an on* attribute')
    refs = [v for k, v in page.attrs_seen if k in ('src', 'href') and not (v or '').startswith('#')]
    ok(not refs, 'page refers outside itself: %s' % refs[:3])
    ok(raw.count('<table') == raw.count('</table>'), 'tables do not close as they open')
    texts = [t for s in page.sections for row in s['rows'] for t, _ in row]
    ok(HOSTILE_HOSPITAL in texts, 'the hostile hospital name is not shown as text')
    for name in HOSTILE_CUSTOMERS.values():
        ok(name in texts, 'customer %r not shown as text' % name)
    ok(any(HOSTILE_UNIT[1] in s['svgs'][i]['title'] for s in page.sections
           for i in range(len(s['svgs']))), 'hostile unit name not in a chart title')


# ---------------------------------------------------------------- browser
def find_chromium():
    for c in ('chromium', 'chromium-browser', 'google-chrome'):
        p = shutil.which(c)
        if p:
            return p
    return None


def chromium(exe, tmp, *args):
    prof = tempfile.mkdtemp(dir=tmp)
    cmd = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--hide-scrollbars', '--user-data-dir=' + prof] + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG (zlib, no PIL)."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    i, idat, w = 8, b'', 0
    while i < len(data):
        n, typ = struct.unpack('>I4s', data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if typ == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and ctype in (2, 6), 'PNG type %d/%d' % (depth, ctype)
            bpp = 4 if ctype == 6 else 3
        elif typ == b'IDAT':
            idat += body
        i += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def count_colors(path, colors):
    w, h, bpp, rows = png_pixels(path)
    want = {c: (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)) for c in colors}
    n = {c: 0 for c in colors}
    ink = 0
    for row in rows:
        for x in range(0, w * bpp, bpp):
            px = (row[x], row[x + 1], row[x + 2])
            if px != (255, 255, 255):
                ink += 1
            for c, rgb in want.items():
                if abs(px[0] - rgb[0]) + abs(px[1] - rgb[1]) + abs(px[2] - rgb[2]) <= 12:
                    n[c] += 1
    return w, h, ink / float(w * h), n


MEASURE = '''<script>
(function () {
  var W = document.documentElement.clientWidth, over = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 0.5) over.push(e.tagName + ' ' + (e.className.baseVal || e.className) + ' ' + Math.round(r.right));
  });
  var svgs = document.querySelectorAll('svg'), blank = 0;
  svgs.forEach(function (s) { var r = s.getBoundingClientRect(); if (r.width < 50 || r.height < 50) blank++; });
  document.body.setAttribute('data-measure', JSON.stringify({client: W,
    scroll: document.documentElement.scrollWidth, over: over.slice(0, 5), nover: over.length,
    svgs: svgs.length, blank: blank}));
})();
</script>'''


def check_browser(tmp, page_path, quad_path, nsvg):
    exe = find_chromium()
    if not exe:
        skip(6, 'chromium is not installed (tools/setup.sh installs it): the page was not rendered')
        return
    A4 = 1047   # 297 mm - 2 x 10 mm margins, in CSS pixels (96 per inch)
    probe = os.path.join(tmp, 'probe.html')
    with open(page_path, encoding='utf-8') as f:
        text = f.read()
    with open(probe, 'w', encoding='utf-8') as f:
        f.write(text.replace('</body>', MEASURE + '</body>'))
    r = chromium(exe, tmp, '--window-size=%d,1200' % A4, '--dump-dom', 'file://' + probe)
    m = re.search(r'data-measure="([^"]*)"', r.stdout)
    if ok(m is not None, 'chromium --dump-dom gave no measurement: %s' % r.stderr[-300:]):
        meas = json.loads(m.group(1).replace('&quot;', '"').replace('&amp;', '&'))
        ok(meas['client'] == A4 and meas['scroll'] <= meas['client'] and meas['nover'] == 0,
           'page overflows the A4 width: %s' % meas)
        ok(meas['svgs'] == nsvg and meas['blank'] == 0, 'charts in the browser: %s of %d' % (meas, nsvg))
    else:
        ok(False, 'no overflow measurement')
    shot = os.path.join(tmp, 'shot.png')
    r = chromium(exe, tmp, '--window-size=%d,1400' % A4, '--screenshot=' + shot, 'file://' + page_path)
    if ok(os.path.exists(shot), 'no screenshot: %s' % r.stderr[-300:]):
        w, h, ink, n = count_colors(shot, ['4472C4', 'ED7D31', '1F4E79'])
        ok(ink > 0.05 and n['4472C4'] > 300 and n['ED7D31'] > 1000 and n['1F4E79'] > 1000,
           'screenshot of the pack: ink %.3f, bar colours %s' % (ink, n))
    qshot = os.path.join(tmp, 'quad.png')
    chromium(exe, tmp, '--window-size=%d,1400' % A4, '--screenshot=' + qshot, 'file://' + quad_path)
    if ok(os.path.exists(qshot), 'no screenshot of the quadrants'):
        w, h, ink, n = count_colors(qshot, ['E3ECF8', 'EAF4E4', 'FDF2DC', '2F5597'])
        ok(all(v > 2000 for k, v in n.items() if k != '2F5597') and n['2F5597'] > 100,
           'quadrant screenshot: tints and points %s' % n)
    pdf = os.path.join(tmp, 'pack.pdf')
    chromium(exe, tmp, '--no-pdf-header-footer', '--print-to-pdf=' + pdf, 'file://' + page_path)
    if ok(os.path.exists(pdf), 'print-to-pdf wrote nothing'):
        data = open(pdf, 'rb').read()
        boxes = {tuple(round(float(x)) for x in b.split())
                 for b in re.findall(rb'/MediaBox\s*\[\s*([\d.\s]+?)\s*\]', data)}
        ok(boxes == {(0, 0, 842, 595)}, 'PDF pages are not A4 landscape: %s' % boxes)


# ---------------------------------------------------------------- main
def main():
    tmp = tempfile.mkdtemp(prefix='territory-export.')
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print('openpyxl is missing (python3-openpyxl; tools/setup.sh installs it)')
        print('0 passed, 1 failed, 0 skipped')
        return 1
    try:
        db = make_db(tmp)
        heads = report_headers()
        pack = [r for r, (req, _) in heads.items() if not req]
        rc, out, err = run([db, '.excel pack.xlsx all', '.html pack.html all',
                            '.html quad.html quadrants'], cwd=tmp)
        ok(rc == 0 and err == '', 'writing the pack: rc %d %s' % (rc, err))
        # the reports as the shell prints them, in the pack's order
        import openpyxl
        order = []
        for row in openpyxl.load_workbook(os.path.join(tmp, 'pack.xlsx'))['parameters'].iter_rows(values_only=True):
            if row[1] in pack and row[1] not in order and isinstance(row[2], int):
                order.append(row[1])
        ok(sorted(order) == sorted(pack), 'the pack holds %s, expected %s' % (order, pack))
        data = {r: report_json(db, r) for r in order}
        tables = [(r, k + 1, rows) for r in order for k, rows in enumerate(data[r])]
        check_workbook(os.path.join(tmp, 'pack.xlsx'), db, tables, {})

        # named reports with parameters; `all` with a parameter for those that take it
        args = {'progress': ['period=2026-Q3', 'territory=上海地区'], 'aging': ['as_of=2026-09-30']}
        rc, out, err = run([db, '.excel some.xlsx progress %s aging %s' % (
            ' '.join(args['progress']), ' '.join(args['aging']))], cwd=tmp)
        ok(rc == 0 and err == '', '.excel with parameters: %s' % err)
        t2 = [(r, k + 1, rows) for r in ('progress', 'aging')
              for k, rows in enumerate(report_json(db, r, args[r]))]
        check_workbook(os.path.join(tmp, 'some.xlsx'), db, t2,
                       {r: dict(a.split('=', 1) for a in v) for r, v in args.items()})
        rc, out, err = run([db, '.excel sept.xlsx all as_of=2026-09'], cwd=tmp)
        ok(rc == 0 and err == '', '.excel all as_of=: %s' % err)
        t3 = [(r, k + 1, rows) for r in order
              for k, rows in enumerate(report_json(db, r, ['as_of=2026-09'] if 'as_of' in heads[r][1] else []))]
        check_workbook(os.path.join(tmp, 'sept.xlsx'), db, t3,
                       {r: {'as_of': '2026-09'} for r in order if 'as_of' in heads[r][1]})
        # the last result
        rc, out, err = run([db, "SELECT 1 AS n, 'x' AS s, 2.5 AS achievement, '2026-01-31' AS day, NULL AS z",
                            '.excel last.xlsx'], cwd=tmp)
        ok(rc == 0, '.excel of the last result: %s' % err)
        import openpyxl as ox
        ws = ox.load_workbook(os.path.join(tmp, 'last.xlsx'))['result']
        ok([c.value for c in ws[2]][:3] == [1, 'x', 2.5] and ws['C2'].number_format == '0.0%'
           and ws['D2'].value == datetime.datetime(2026, 1, 31) and ws['E2'].value is None,
           'last result sheet: %s' % [c.value for c in ws[2]])

        # a user report with a long name, twice: Excel's 31-character sheet
        # names, unique, and the parameters sheet links to each
        udir = os.path.join(tmp, 'reports')
        os.mkdir(udir)
        long = 'receivables_overview_for_the_board_meeting'
        with open(os.path.join(udir, long + '.sql'), 'w') as f:
            f.write('-- %s: a user report\n-- param: x = none\nSELECT 1 AS n, :x AS x;\n' % long)
        env = dict(os.environ, TERRITORY_REPORTS=udir)
        r = subprocess.run([TERR, db, '.excel long.xlsx %s %s x=7' % (long, long)],
                           capture_output=True, text=True, cwd=tmp, env=env)
        ok(r.returncode == 0 and r.stderr == '', 'user reports: %s' % r.stderr)
        wb = openpyxl.load_workbook(os.path.join(tmp, 'long.xlsx'))
        want = ['parameters', long[:28], long[:24] + ' 2']
        ok(wb.sheetnames == want, 'sheet names %s, expected %s' % (wb.sheetnames, want))
        links = [(c.value, c.hyperlink.location if c.hyperlink else None)
                 for c in wb['parameters']['A'] if c.value in want[1:]]
        ok(links == [(n, "'%s'!A1" % n) for n in want[1:]], 'sheet links %s' % links)
        ok([c.value for c in wb[want[2]][2]] == [1, 7], 'second run of the report: %s'
           % [c.value for c in wb[want[2]][2]])

        # the page
        raw = open(os.path.join(tmp, 'pack.html'), encoding='utf-8').read()
        page = Page()
        page.feed(raw)
        check_inert(page, raw)
        check_page_tables(page, tables)
        check_progress_bars(page, data['progress'][0])
        check_quadrants(page, db, data['quadrants'][0])
        check_aging_and_stock(page, data['aging'][0], data['inventory'][0])

        # .chart --svg: standalone files that parse as XML
        rc, out, err = run([db, '.report progress product=心脉宁 territory=华东大区 period=2026',
                            '.chart bar unit achievement time_progress --svg bar.svg',
                            'SELECT doctor_id, usage, potential, usage_cut, potential_cut FROM doctor_segment '
                            'WHERE period = (SELECT max(period) FROM rx) AND product_id IS NULL '
                            'AND territory_id = 111 AND potential IS NOT NULL',
                            '.chart quadrant --svg quad.svg'], cwd=tmp)
        ok(rc == 0 and err == '', '.chart --svg: %s' % err)
        ns = '{http://www.w3.org/2000/svg}'
        bar = ET.parse(os.path.join(tmp, 'bar.svg')).getroot()
        nbars = len([g for g in bar.iter(ns + 'g') if g.get('class') == 'bar'])
        nrows = len(report_json(db, 'progress', ['product=心脉宁', 'territory=华东大区', 'period=2026'])[0])
        ok(nbars == nrows, 'bar.svg: %d bars for %d rows' % (nbars, nrows))
        q = ET.parse(os.path.join(tmp, 'quad.svg')).getroot()
        t111 = next(t for t in quadrant_oracle(db).values() if t['tid'] == 111)
        ndoc = len([1 for _, p in t111['docs'].values() if p is not None])
        npt = len([c for c in q.iter(ns + 'circle') if c.get('class') == 'pt'])
        ok(npt == ndoc, 'quad.svg: %d points for %d doctors' % (npt, ndoc))
        cuts = {l.get('class'): float(l.get('data-cut')) for l in q.iter(ns + 'line')
                if l.get('class') in ('cut-x', 'cut-y')}
        ok(abs(cuts['cut-x'] - t111['pcut']) < 1e-9 * t111['pcut'] and
           abs(cuts['cut-y'] - t111['ucut']) < 1e-9 * max(1, t111['ucut']),
           'quad.svg: cuts %s, medians %s %s' % (cuts, t111['pcut'], t111['ucut']))
        counts = sum(int(t.get('data-n')) for t in q.iter(ns + 'text') if t.get('class') == 'count')
        ok(counts == ndoc, 'quad.svg: counts add up to %d, %d doctors' % (counts, ndoc))

        # the sanitized shell writes the same files without a finding
        if TERR_ASAN and os.path.exists(TERR_ASAN):
            rc, out, err = run([db, '.excel a.xlsx all', '.html a.html all',
                                '.report aging', '.chart bar --svg a.svg'], shell=TERR_ASAN, cwd=tmp)
            ok(rc == 0 and err == '', 'under ASan+UBSan: rc %d %s' % (rc, err[-500:]))
            ok(open(os.path.join(tmp, 'a.html'), encoding='utf-8').read().split('generated')[1][60:] ==
               raw.split('generated')[1][60:], 'the sanitized shell wrote another page')

        nsvg = raw.count('<svg')
        check_browser(tmp, os.path.join(tmp, 'pack.html'), os.path.join(tmp, 'quad.html'), nsvg)
    except Exception as e:   # a check that crashed is one failure, and the tally still prints
        import traceback
        traceback.print_exc()
        ok(False, 'the checks stopped: %r' % e)
    finally:
        if os.environ.get('KEEP_EXPORT'):
            print('files kept in ' + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print('%d passed, %d failed, %d skipped' % (P, F, S))
    return 1 if F else 0


if __name__ == '__main__':
    sys.exit(main())
