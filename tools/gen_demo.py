#!/usr/bin/env python3
"""gen_demo.py -- the demo territory: writes fixtures/*.csv, one per table of
sql/schema.sql, from a fixed seed (same bytes on every run).

    nice python3 tools/gen_demo.py              write fixtures/ and print the facts
    python3 tools/gen_demo.py --out DIR         write the CSVs somewhere else
    python3 tools/gen_demo.py --check DB        also load them into DB with
                                                python's sqlite3 (values bound
                                                as text, the way the shell's
                                                .import-dir binds them) and
                                                run PRAGMA foreign_key_check

Python 3 standard library only.  `make demo` loads the CSVs through the
shell's `.import-dir fixtures` into build/demo.db.

The story (docs/src/10-demo.md tells it for managers): today is 2026-11-26,
data months 2024-11 .. 2026-10.  One company, a national director, two
regions, four districts, twelve reps (achievement from 60% to 120%), 60
hospitals of every tier and status, 600 doctors, three products.  Planted on
purpose, and printed as "facts" at the end of a run so tests/sql/demo.test
can be checked against this script's own bookkeeping:
  * the big A hospital 浦江大学附属第一医院 (李娜's territory) with untapped
    departments (神经内科, 内分泌科, 老年病科, 肿瘤科: huge potential, ~1% share);
  * one distributor, 鹏城医药配送, paying late (> 50,000 yuan over 120 days);
  * 赵磊 (天河) over budget; 杨帆 (滨江) reports visits that are not verified;
    马超 (福田) spends his calls on D-quadrant doctors instead of C;
  * exactly one inventory card that breaks opening+received-sold-returned=closing;
  * goals that fail each SMART letter, and goals that pass all five;
  * a clean 2026 target plan (plan 'current'): every parent equals the sum of
    its children, so the target_check report is empty on the demo.
"""
import csv
import datetime as dt
import io
import os
import random
import sys

SEED = 20261126
TODAY = dt.date(2026, 11, 26)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def month_list(first, count):
    y, m = first
    out = []
    for _ in range(count):
        out.append('%04d-%02d' % (y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


MONTHS = month_list((2024, 11), 24)              # the data months
YEAR = '2026'                                    # the target year
PLAN_MONTHS = month_list((2026, 1), 12)
YTD = month_list((2026, 1), 10)                  # 2026 months with data
HIST = month_list((2025, 1), 12)                 # last year, for the season profile
QUARTER = ['2026-09', '2026-10']                 # rx months of the visits report's default quarter (09..11)
VISIT_FIRST = dt.date(2026, 5, 26)               # visits: the last six months
VISIT_LAST = dt.date(2026, 11, 25)


def hamilton(total, weights):
    """Split the integer total in proportion to weights, exactly (largest
    remainder, ties to the larger weight, then input order) -- the rule of
    api.md's allocate(), so the demo plan looks like one allocate() made."""
    s = sum(weights)
    assert total >= 0 and s > 0
    quotas = [total * w / s for w in weights]
    base = [int(q) for q in quotas]
    rest = total - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - base[i]), -weights[i], i))
    for i in order[:rest]:
        base[i] += 1
    assert sum(base) == total
    return base


def money(cents):
    """Cents (int) as yuan text with two decimals."""
    assert cents >= 0
    return '%d.%02d' % (cents // 100, cents % 100)


# ------------------------------------------------------------------ organisation

COMPANY, NATIONAL = 1, 10
ORG = [  # id, parent, level, name, manager
    (1, None, 'company', '康远医药有限公司', '何永康'),
    (10, 1, 'national', '全国销售部', '郑海涛'),
    (100, 10, 'region', '华东大区', '陈建国'),
    (200, 10, 'region', '华南大区', '林志强'),
    (110, 100, 'district', '上海地区', '王芳'),
    (120, 100, 'district', '杭州地区', '周敏'),
    (210, 200, 'district', '广州地区', '郭丽'),
    (220, 200, 'district', '深圳地区', '孙涛'),
]
# territory id, district, name, rep, city, achievement 2026 YTD, yoy trend of share
REPS = [
    (111, 110, '浦东区域', '张伟', '上海', 1.18, 0.22),
    (112, 110, '浦西区域', '李娜', '上海', 1.03, 0.10),
    (113, 110, '闵行区域', '刘洋', '上海', 0.95, 0.06),
    (121, 120, '西湖区域', '陈静', '杭州', 1.12, 0.18),
    (122, 120, '滨江区域', '杨帆', '杭州', 0.64, -0.10),
    (123, 120, '萧山区域', '黄磊', '杭州', 0.91, 0.04),
    (211, 210, '天河区域', '赵磊', '广州', 0.78, 0.00),
    (212, 210, '越秀区域', '吴婷', '广州', 1.20, 0.25),
    (213, 210, '番禺区域', '徐强', '广州', 0.97, 0.08),
    (221, 220, '福田区域', '马超', '深圳', 0.60, -0.14),
    (222, 220, '南山区域', '朱琳', '深圳', 1.07, 0.14),
    (223, 220, '宝安区域', '胡军', '深圳', 0.85, 0.02),
]
REP = {r[0]: r for r in REPS}
# achievement differs by product: the rep's 2026 achievement of 心脉宁,
# 畅肺清, 糖平安 is the rep's (above) times these
PROD_ACH = {111: (1.06, 0.90, 1.04), 112: (0.94, 1.10, 0.97), 113: (1.08, 0.92, 1.00),
            121: (0.95, 1.05, 1.02), 122: (1.12, 0.90, 0.98), 123: (0.92, 1.08, 1.04),
            211: (1.10, 0.94, 0.95), 212: (0.96, 1.02, 1.05), 213: (1.00, 1.12, 0.90),
            221: (1.08, 0.95, 0.94), 222: (0.93, 1.06, 1.05), 223: (1.05, 0.92, 1.07)}
# visits: how many calls a working day, and the rep's own lean per quadrant
# (multiplies the company stance); 马超 (D_VISITOR) has his own weights
VISITS_A_DAY = {111: (3, 5), 112: (2, 4), 113: (2, 3), 121: (3, 4), 122: (5, 7), 123: (2, 4),
                211: (2, 3), 212: (3, 5), 213: (2, 4), 221: (2, 4), 222: (3, 4), 223: (1, 3)}
OVER_BUDGET, UNVERIFIED, D_VISITOR = 211, 122, 221
DISTRICTS = [110, 120, 210, 220]

# ------------------------------------------------------------------ products

# drug classes: id, name
CLASSES = [(1, '心脑血管用药'), (2, '呼吸系统用药'), (3, '降糖药')]
# id, name, cents per box (multiples of 25: units x price is exact in binary),
# boxes per prescription, class, ours, maker.  Ours keep ids 1..3.
COMPANY_NAME = '康远医药有限公司'
PRODUCTS = [
    (1, '心脉宁', 8650, 2, 1, 1, COMPANY_NAME),    # cardio-cerebrovascular tablet
    (2, '畅肺清', 12800, 1, 2, 1, COMPANY_NAME),   # respiratory inhaler
    (3, '糖平安', 4525, 2, 3, 1, COMPANY_NAME),    # type-2 diabetes tablet
    (4, '络欣通', 7250, 2, 1, 0, '华瑞制药股份有限公司'),
    (5, '脉络舒', 9800, 2, 1, 0, '恒康药业集团'),
    (6, '心可宁', 5500, 2, 1, 0, '东海制药有限公司'),
    (7, '润肺宁', 11500, 1, 2, 0, '华瑞制药股份有限公司'),
    (8, '平喘灵', 9200, 1, 2, 0, '长江生物制药有限公司'),
    (9, '糖克', 3800, 2, 3, 0, '恒康药业集团'),
    (10, '降糖宁', 5225, 2, 3, 0, '东海制药有限公司'),
]
OURS = [p[0] for p in PRODUCTS if p[5]]
PRICE = {p[0]: p[2] for p in PRODUCTS}
BOXES = {p[0]: p[3] for p in PRODUCTS}
CLASS_OF = {p[0]: p[4] for p in PRODUCTS}
OUR_PRODUCT = {p[4]: p[0] for p in PRODUCTS if p[5]}            # class -> our product
RIVALS = {c: [p[0] for p in PRODUCTS if p[4] == c and not p[5]] for c, _ in CLASSES}
# a class's yuan per prescription (drug_class.rx_value): the mean over its
# products of boxes per Rx x price, whole yuan
RX_VALUE = {c: round(sum(BOXES[p] * PRICE[p] for p in [OUR_PRODUCT[c]] + RIVALS[c])
                     / (1 + len(RIVALS[c])) / 100) for c, _ in CLASSES}

# A-hospital scale: patients a day
DEPT_PATIENTS = {'心内科': 260, '呼吸科': 240, '内分泌科': 180, '神经内科': 200,
                 '老年病科': 120, '肿瘤科': 150, '儿科': 300, '全科': 90}
# share of a department's patients on each class (department_usage); a
# department without a class here never uses it (no row, no potential):
# no cardio in 儿科 or 呼吸科, no respiratory in 心内科
DEPT_USAGE = {
    '心内科': {1: 0.40, 3: 0.10},
    '神经内科': {1: 0.30},
    '老年病科': {1: 0.35, 2: 0.10, 3: 0.20},
    '内分泌科': {3: 0.45, 1: 0.15},
    '呼吸科': {2: 0.35},
    '儿科': {2: 0.20},
    '肿瘤科': {2: 0.08},
    '全科': {1: 0.25, 2: 0.20, 3: 0.20},
}
TIER_DEPTS = {
    'A': ['心内科', '呼吸科', '内分泌科', '神经内科', '老年病科', '肿瘤科', '儿科'],
    'B': ['心内科', '呼吸科', '内分泌科', '神经内科', '儿科'],
    'C': ['心内科', '呼吸科', '内分泌科'],
    'community': ['全科'],
}
SPECIALTY = {'儿童医院': ['儿科', '呼吸科'], '心血管病医院': ['心内科', '神经内科'],
             '胸科医院': ['呼吸科', '肿瘤科']}
TIER_SCALE = {'A': 1.0, 'B': 0.5, 'C': 0.25, 'community': 1.0, 'specialty': 0.8}
TIER_DOCS = {'A': 4.5, 'B': 2.6, 'C': 1.6, 'community': 3.0, 'specialty': 3.0}
# beds, outpatients/day, occupancy, average stay: ranges per tier
TIER_SITE = {
    'A': ((1200, 2600), (4000, 9000), (0.92, 1.00), (7.5, 9.5)),
    'B': ((500, 1000), (1500, 3500), (0.85, 0.95), (8.0, 10.5)),
    'C': ((150, 450), (500, 1400), (0.70, 0.88), (6.5, 9.0)),
    'community': ((0, 60), (150, 450), (0.50, 0.75), (5.0, 8.0)),
    'specialty': ((300, 900), (800, 3000), (0.85, 0.98), (6.0, 11.0)),
}

# 60 hospitals: territory -> (place word, tier, status, extra)
# extra: specialty kind, the expected entry date of an undeveloped hospital,
# or the first sales month of a 'target' hospital (being developed).
BIG_A = '浦江'
HOSPITALS = {
    111: [('东方', 'A', 'developed', None), ('金桥', 'B', 'developed', None),
          ('高行', 'C', 'target', '2025-09'), ('洋泾', 'community', 'undeveloped', '2027-03-01'),
          ('滨海', 'specialty', 'developed', None)],
    112: [(BIG_A, 'A', 'developed', None), ('静安', 'B', 'developed', None),
          ('曹杨', 'C', 'developed', None), ('长风', 'community', 'developed', None),
          ('彭浦', 'community', 'target', '2026-03')],
    113: [('莘庄', 'A', 'developed', None), ('颛桥', 'B', 'developed', None),
          ('七宝', 'C', 'undeveloped', '2026-12-01'), ('梅陇', 'community', 'developed', None),
          ('古美', 'community', 'developed', None)],
    121: [('钱塘', 'A', 'developed', None), ('西溪', 'B', 'developed', None),
          ('留下', 'C', 'developed', None), ('翠苑', 'community', 'target', '2025-06'),
          ('湖滨', 'specialty', 'developed', None)],
    122: [('之江', 'A', 'developed', None), ('长河', 'B', 'target', '2025-11'),
          ('浦沿', 'C', 'developed', None), ('西兴', 'C', 'undeveloped', '2027-06-01'),
          ('白马湖', 'community', 'undeveloped', '2026-12-15')],
    123: [('湘湖', 'B', 'developed', None), ('城厢', 'B', 'developed', None),
          ('瓜沥', 'C', 'target', '2026-01'), ('北干', 'community', 'developed', None),
          ('闻堰', 'specialty', 'developed', None)],
    211: [('白云', 'A', 'developed', None), ('天河', 'B', 'developed', None),
          ('石牌', 'C', 'developed', None), ('棠下', 'community', 'developed', None),
          ('珠江', 'specialty', 'target', '2025-08')],
    212: [('越秀', 'A', 'developed', None), ('东山', 'B', 'developed', None),
          ('北京路', 'C', 'developed', None), ('农林', 'community', 'developed', None),
          ('流花', 'specialty', 'developed', None)],
    213: [('番禺', 'B', 'developed', None), ('市桥', 'B', 'developed', None),
          ('大石', 'C', 'undeveloped', '2027-01-01'), ('钟村', 'community', 'developed', None),
          ('沙湾', 'community', 'undeveloped', '2027-09-01')],
    221: [('鹏城', 'A', 'developed', None), ('福田', 'B', 'developed', None),
          ('香蜜', 'C', 'target', '2026-05'), ('梅林', 'community', 'undeveloped', '2027-04-01'),
          ('莲花', 'specialty', 'developed', None)],
    222: [('南山', 'B', 'developed', None), ('蛇口', 'C', 'developed', None),
          ('科技园', 'community', 'developed', None), ('西丽', 'community', 'target', '2025-12'),
          ('深湾', 'specialty', 'undeveloped', '2027-07-01')],
    223: [('宝安', 'B', 'developed', None), ('西乡', 'C', 'developed', None),
          ('福永', 'C', 'target', '2026-02'), ('沙井', 'community', 'developed', None),
          ('松岗', 'specialty', 'undeveloped', '2026-12-20')],
}
SPEC_KIND = {'滨海': '儿童医院', '湖滨': '心血管病医院', '闻堰': '胸科医院', '珠江': '儿童医院',
             '流花': '心血管病医院', '莲花': '心血管病医院', '深湾': '胸科医院', '松岗': '儿童医院'}
TIER_SUFFIX = {'A': '第一人民医院', 'B': '人民医院', 'C': '区医院', 'community': '社区卫生服务中心'}
BIG_A_NAME = '浦江大学附属第一医院'
UNTAPPED = ['内分泌科', '神经内科', '老年病科', '肿瘤科']   # at the big A hospital
NAME_OVERRIDE = {'城厢': '城厢中医医院'}
# grading (level, grade, type): by tier, with the exceptions below; the
# tier column stays (legacy) and is written too
TIER_GRADING = {'A': ('三级', '甲', '综合'), 'B': ('二级', '甲', '综合'), 'C': ('二级', '乙', '综合'),
                'community': ('一级', '甲', '社区')}
GRADING = {
    '滨海': ('三级', '甲', '儿童'),     # a 三甲 children's hospital in 张伟's territory
    '珠江': ('三级', '乙', '儿童'), '松岗': ('二级', '甲', '儿童'),
    '湖滨': ('三级', '甲', '专科'), '流花': ('三级', '乙', '专科'), '莲花': ('二级', '甲', '专科'),
    '闻堰': ('二级', '甲', '专科'), '深湾': ('三级', '乙', '专科'),
    '城厢': ('二级', '甲', '中医'), '番禺': ('三级', '乙', '综合'),
    '西兴': ('一级', '甲', '综合'), '大石': ('一级', '乙', '综合'),
    '古美': ('一级', '乙', '社区'), '棠下': ('一级', '乙', '社区'), '沙湾': ('一级', '丙', '社区'),
}
PHASE = {'developed': 1, 'target': 2, 'undeveloped': 3}   # 一期/二期/三期
# churned: developed hospitals whose prescriptions of our products stop
# from the month given (the competitors take the class); no sales since
CHURNED = {'金桥': '2026-06', '石牌': '2026-05', '蛇口': '2026-04'}
# zero-sales months: the hospital bought nothing of the product that month
# (the boxes arrive with the next month's delivery)
ZERO_SALES = [('长风', 1, '2025-08'), ('梅陇', 3, '2026-02'), ('棠下', 2, '2026-07'),
              ('科技园', 1, '2026-04')]

# ------------------------------------------------------------------ distributors

# distributor margin (配送费率): a sale is booked at the list price less it
MARGIN = {1: 0.05, 2: 0.06, 3: 0.05, 4: 0.07, 5: 0.045, 6: 0.06, 7: 0.08, 8: 0.04}
# id, name, unit, payment terms (days), behaviour
CUSTOMERS = [
    (1, '申江医药有限公司', 110, 60, 'ontime'),
    (2, '浦海医药商业有限公司', 111, 60, 'ontime'),
    (3, '钱塘医药股份有限公司', 120, 60, 'ontime'),
    (4, '西子药业配送有限公司', 120, 90, 'slow'),
    (5, '羊城医药有限公司', 210, 60, 'ontime'),
    (6, '珠江医药物流有限公司', 212, 60, 'ontime'),
    (7, '鹏城医药配送有限公司', 220, 90, 'late'),
    (8, '南粤医药有限公司', 220, 60, 'ontime'),
]
LATE_PAYER = 7
INV_BREAK = (6, 2, '2026-08', -36)     # customer, product, period, closing error (boxes)
TODAYS_PAYMENT = (1, '2026-09')                  # customer, invoice month: paid today

SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏飞晨欣怡佳琪雪梅丹琳颖婷慧君海波峰志云春雨晓东亮俊博'
TITLES = ['主任医师', '副主任医师', '主治医师', '住院医师']
TITLE_WEIGHT = {'主任医师': 1.5, '副主任医师': 1.3, '主治医师': 1.0, '住院医师': 0.6}


def season(period, product):
    """Month factor of the class's patient flow.  Chinese New Year: 2025-01-29
    (the dip falls over late January and February), 2026-02-17 (February)."""
    y, m = int(period[:4]), int(period[5:])
    base = {1: 1.0, 2: 0.98, 3: 1.03, 4: 1.0, 5: 0.99, 6: 0.98, 7: 0.95, 8: 0.95,
            9: 1.0, 10: 0.94, 11: 1.03, 12: 1.08}[m]
    if m in (1, 2):
        base = {(2025, 1): 0.90, (2025, 2): 0.84, (2026, 1): 1.00, (2026, 2): 0.76}[(y, m)]
    if product == 2:   # autumn/winter respiratory peak
        base *= {1: 1.30, 2: 1.15, 3: 1.05, 4: 0.90, 5: 0.80, 6: 0.72, 7: 0.70,
                 8: 0.72, 9: 0.85, 10: 1.00, 11: 1.20, 12: 1.40}[m]
    return base


def month_index(period):
    return (int(period[:4]) - 2024) * 12 + int(period[5:]) - 11   # 2024-11 -> 0


def add_days(d, n):
    return d + dt.timedelta(days=n)


class Gen:
    def __init__(self):
        self.r = random.Random(SEED)
        self.tables = {}

    def u(self, a, b):
        return self.r.uniform(a, b)

    # -------------------------------------------------------------- organisation
    def org(self):
        rows = [list(o) for o in ORG]
        for tid, did, name, rep, *_ in REPS:
            rows.append([tid, did, 'territory', name, rep])
        self.tables['org_unit'] = (['id', 'parent_id', 'level', 'name', 'manager'], rows)
        self.tables['drug_class'] = (['id', 'name', 'rx_value'],
                                     [[c, n, RX_VALUE[c]] for c, n in CLASSES])
        self.tables['product'] = (['id', 'name', 'unit_price', 'class_id', 'ours', 'maker'],
                                  [[p[0], p[1], money(p[2]), p[4], p[5], p[6]] for p in PRODUCTS])

    # -------------------------------------------------------------- hospitals and doctors
    def sites(self):
        r = self.r
        hosp, depts = [], []
        self.hosp = {}       # id -> dict
        hid = 0
        for tid, _, _, _, city, *_ in REPS:
            for place, tier, status, extra in HOSPITALS[tid]:
                hid += 1
                if tier == 'specialty':
                    name = place + SPEC_KIND[place]
                    dnames = SPECIALTY[SPEC_KIND[place]]
                else:
                    name = place + TIER_SUFFIX[tier]
                    dnames = TIER_DEPTS[tier]
                if place == BIG_A:
                    name = BIG_A_NAME
                name = NAME_OVERRIDE.get(place, name)
                level, grade, htype = GRADING.get(place) or TIER_GRADING[tier]
                entry, listed = None, None
                if status == 'undeveloped':
                    entry = extra
                elif status == 'target':
                    listed = extra
                (b0, b1), (o0, o1), (c0, c1), (s0, s1) = TIER_SITE[tier]
                big = 1.5 if place == BIG_A else 1.0
                beds = int(round(r.randint(b0, b1) * big, -1))
                outp = int(round(r.randint(o0, o1) * big, -1))
                occ = round(self.u(c0, c1), 2)
                stay = round(self.u(s0, s1), 1)
                if place == BIG_A:
                    beds = 3200               # the largest of the company, by far
                if beds == 0:
                    occ, stay = None, None
                h = dict(id=hid, unit=tid, name=name, tier=tier, status=status,
                         entry=entry, listed=listed, depts=[], big=(place == BIG_A),
                         place=place, level=level, grade=grade, type=htype, beds=beds,
                         outp=outp, occ=occ, stay=stay, churn=CHURNED.get(place))
                self.hosp[hid] = h
                hosp.append([hid, tid, name, city, tier, level, grade, htype, PHASE[status],
                             beds, outp,
                             '' if occ is None else '%.2f' % occ,
                             '' if stay is None else '%.1f' % stay, status, entry or ''])
                for dn in dnames:
                    depts.append((h, dn))
        # departments
        self.dept = {}
        drows = []
        weights = []
        urows = []
        for i, (h, dn) in enumerate(depts, start=1):
            pat = DEPT_PATIENTS[dn]
            scale = TIER_SCALE[h['tier']] * (1.6 if h['big'] else 1.0)
            daily = round(pat * scale * self.u(0.8, 1.25))
            use = {}                 # class -> (usage rate, Rx per patient)
            for c, rate in DEPT_USAGE[dn].items():
                use[c] = (round(rate * self.u(0.85, 1.15), 2), round(self.u(1.0, 1.4), 1))
                urows.append([i, c, '%.2f' % use[c][0], '%.1f' % use[c][1]])
            d = dict(id=i, hosp=h, name=dn, daily=daily, use=use, docs=[])
            h['depts'].append(d)
            self.dept[i] = d
            drows.append([i, h['id'], dn, daily])
            weights.append(TIER_DOCS[h['tier']] * (1.5 if h['big'] else 1.0) * self.u(0.7, 1.3))
        # exactly 600 doctors, at least one in every department
        counts = hamilton(600, weights)
        while min(counts) == 0:
            i, j = counts.index(0), counts.index(max(counts))
            counts[i], counts[j] = 1, counts[j] - 1
        names_seen, docs = {}, []
        self.doc = {}
        did = 0
        for d, n in zip(self.dept.values(), counts):
            tier = d['hosp']['tier']
            tw = [1, 2, 4, 3] if tier == 'community' else [3, 3, 3, 1]
            for _ in range(n):
                did += 1
                while True:
                    nm = r.choice(SURNAMES) + ''.join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))
                    if nm not in names_seen:
                        break
                names_seen[nm] = 1
                title = r.choices(TITLES, weights=tw)[0]
                doc = dict(id=did, dept=d, name=nm, title=title)
                d['docs'].append(doc)
                self.doc[did] = doc
                docs.append([did, d['id'], nm, title])
        self.n_doctors = did
        self.tables['hospital'] = (['id', 'unit_id', 'name', 'city', 'tier', 'level', 'grade',
                                    'type', 'phase', 'beds', 'outpatients_per_day', 'occupancy',
                                    'avg_stay_days', 'status', 'expected_entry'], hosp)
        self.tables['department'] = (['id', 'hospital_id', 'name', 'daily_patients'], drows)
        self.tables['department_usage'] = (['department_id', 'class_id', 'usage_rate',
                                            'rx_per_patient'], urows)
        self.tables['doctor'] = (['id', 'department_id', 'name', 'title'], docs)

    # -------------------------------------------------------------- prescriptions and sales
    def activity(self):
        r = self.r
        rx = []
        # each hospital's competitor brands per class: their weights (a brand
        # a hospital does not list weighs 0; at least one is listed)
        for h in self.hosp.values():
            h['brands'] = {}
            for c, _ in CLASSES:
                w = [0.0 if r.random() < 0.25 else self.u(0.2, 1.0) for _ in RIVALS[c]]
                if not any(w):
                    w[r.randrange(len(w))] = self.u(0.2, 1.0)
                h['brands'][c] = w
        # latent: each doctor's class potential a month and our share, per
        # class the department uses; the doctor's lean among the brands
        for doc in self.doc.values():
            d = doc['dept']
            h = d['hosp']
            tw = sum(TITLE_WEIGHT[x['title']] for x in d['docs'])
            skill = 0.8 + 0.4 * (REP[h['unit']][5] - 0.6) / 0.6
            doc['cls'] = {}
            for c, (usage, rpp) in d['use'].items():
                dept_pot = d['daily'] * usage * rpp * 22
                base = dept_pot * 0.7 * TITLE_WEIGHT[doc['title']] / tw * self.u(0.7, 1.3)
                if h['status'] == 'undeveloped':
                    share = 0.0
                elif h['big'] and d['name'] in UNTAPPED:
                    share = 0.0 if r.random() < 0.4 else self.u(0.005, 0.02)
                elif r.random() < 0.18:
                    share = 0.0                      # never adopted
                else:
                    share = min(0.6, r.betavariate(2, 8) * skill * (0.5 if h['status'] == 'target' else 1.0))
                    if h['big']:
                        share = max(share, 0.12)
                lean = [w * self.u(0.6, 1.4) for w in h['brands'][c]]
                doc['cls'][c] = (base, share, lean)
        # monthly rows: our product every month (0 included), each listed
        # competitor brand every month; the class total is their sum
        self.rx_rows = 0
        sale_units = {}      # (hospital, product, period) -> rx boxes
        self.class_rx = {}   # (hospital, class, period) -> yuan of the class's Rx (all brands)
        doc_q = {}           # doctor -> [our Rx, class Rx] over QUARTER
        self.doc_month = {}  # (doctor, product, period) -> (our Rx, class Rx)
        for doc in self.doc.values():
            h = doc['dept']['hosp']
            g = REP[h['unit']][6]
            for c, (pot0, share0, lean) in doc['cls'].items():
                p = OUR_PRODUCT[c]
                for per in MONTHS:
                    t = month_index(per)
                    pot = int(round(pot0 * season(per, p) * 1.03 ** (t / 12) * self.u(0.92, 1.08)))
                    share = share0 * (1 + g) ** ((t - 12) / 12)
                    if h['listed']:
                        k = month_index(per) - month_index(h['listed'])
                        share = 0.0 if k < 0 else share0 * min(1.0, (k + 1) / 6)
                    if h['churn'] and per >= h['churn']:
                        share = 0.0
                    cnt = min(pot, int(round(pot * min(share, 0.9) * self.u(0.85, 1.15))))
                    rest = pot - cnt
                    theirs = hamilton(rest, lean) if rest else [0] * len(lean)
                    rx.append([doc['id'], p, per, cnt])
                    self.rx_rows += 1
                    yuan = cnt * BOXES[p] * PRICE[p]
                    for q, w, n in zip(RIVALS[c], lean, theirs):
                        if w > 0:
                            rx.append([doc['id'], q, per, n])
                            self.rx_rows += 1
                            yuan += n * BOXES[q] * PRICE[q]
                    key = (h['id'], c, per)
                    self.class_rx[key] = self.class_rx.get(key, 0) + yuan
                    self.doc_month[(doc['id'], p, per)] = (cnt, pot)
                    if cnt:
                        key = (h['id'], p, per)
                        sale_units[key] = sale_units.get(key, 0) + cnt * BOXES[p]
                    if per in QUARTER:
                        dq = doc_q.setdefault(doc['id'], [0, 0])
                        dq[0] += cnt
                        dq[1] += pot
        rx.sort(key=lambda x: (x[0], x[1], x[2]))
        self.tables['rx'] = (['doctor_id', 'product_id', 'period', 'rx_count'], rx)
        self.doc_q = doc_q
        # sales: boxes follow the prescriptions, with stocking noise; a
        # zero-sales month moves its boxes into the next month
        self.hosp_cust = {}
        for h in self.hosp.values():
            cands = [c for c in CUSTOMERS if c[2] in (h['unit'], REP[h['unit']][1])]
            own = [c for c in cands if c[2] == h['unit']]
            self.hosp_cust[h['id']] = (own[0] if own and r.random() < 0.8 else r.choice(cands))[0]
        by_place = {h['place']: h['id'] for h in self.hosp.values()}
        self.zero_sales = []
        for place, p, per in ZERO_SALES:
            key = (by_place[place], p, per)
            nxt = (key[0], p, MONTHS[MONTHS.index(per) + 1])
            assert sale_units.get(key) and sale_units.get(nxt), key
            sale_units[nxt] += sale_units.pop(key)
            self.zero_sales.append(key)
        sales = []
        self.sale = {}       # (hospital, product, period) -> (units, cents)
        for key in sorted(sale_units):
            hid, p, per = key
            units = int(round(sale_units[key] * self.u(0.93, 1.07)))
            if units == 0:
                continue
            cents = int(round(units * PRICE[p] * (1 - MARGIN[self.hosp_cust[hid]])))
            self.sale[key] = (units, cents)
            sales.append([hid, p, per, units, money(cents), self.hosp_cust[hid]])
        self.tables['sale'] = (['hospital_id', 'product_id', 'period', 'units', 'amount',
                                'customer_id'], sales)
        # 按月购进额: the developed A and B hospitals report their monthly
        # purchases of each class they use: the class's prescriptions of the
        # doctors on file, in yuan, plus inpatient and other use (x 1.25..1.45)
        buys = []
        self.purchase = {}
        for h in self.hosp.values():
            if h['status'] != 'developed' or h['tier'] not in ('A', 'B'):
                continue
            for c, _ in CLASSES:
                for per in MONTHS:
                    cents = self.class_rx.get((h['id'], c, per), 0)
                    if not cents:
                        continue
                    yuan = int(round(cents / 100 * self.u(1.25, 1.45)))
                    self.purchase[(h['id'], c, per)] = yuan
                    buys.append([h['id'], c, per, yuan])
        self.tables['purchase'] = (['hospital_id', 'class_id', 'period', 'amount'], buys)

    # -------------------------------------------------------------- the 2026 plan
    def targets(self):
        rows = []
        tid_next = [0]

        def add(unit, p, per, amount, hosp=None):
            tid_next[0] += 1
            rows.append([tid_next[0], 'current', unit, p, per, hosp or '', amount])

        annual = {}          # (unit, product) -> amount
        self.hosp_targets = 0
        self.ach = {}
        self.ach_prod = {}
        for tid, *_ in REPS:
            hs = [h for h in self.hosp.values() if h['unit'] == tid]
            for p in OURS:
                a = REP[tid][5] * PROD_ACH[tid][p - 1]
                hist = [sum(self.sale.get((h['id'], p, m), (0, 0))[1] for h in hs) for m in HIST]
                ytd = sum(self.sale.get((h['id'], p, m), (0, 0))[1] for h in hs for m in YTD)
                prof = sum(hist[:10]) / sum(hist)
                # the run-rate of the year over the target the rep was given:
                # YTD achievement = a by construction (up to whole yuan)
                total = int(round(ytd / prof / a / 100))
                annual[(tid, p)] = total
                add(tid, p, YEAR, total)
                # hospitals: 0.6 x share of this year's sales + 0.4 x share of
                # potential (decompose.history_weight), undeveloped hospitals
                # only from their expected entry, for the months left
                elig, act, pot = [], [], []
                for h in hs:
                    if h['status'] == 'undeveloped' and not (h['entry'] or '9').startswith(YEAR):
                        continue
                    c = CLASS_OF[p]
                    hp = sum(doc['cls'][c][0] for d in h['depts'] for doc in d['docs'] if c in doc['cls'])
                    if hp == 0:
                        continue
                    if h['entry']:
                        hp *= (13 - int(h['entry'][5:7])) / 12 * 0.25
                    elig.append(h)
                    act.append(sum(self.sale.get((h['id'], p, m), (0, 0))[1] for m in YTD))
                    pot.append(hp)
                w = [0.6 * x / sum(act) + 0.4 * y / sum(pot) for x, y in zip(act, pot)]
                for h, amt in zip(elig, hamilton(total, w)):
                    if amt:
                        add(tid, p, YEAR, amt, h['id'])
                        self.hosp_targets += 1
                for m, amt in zip(PLAN_MONTHS, hamilton(total, hist)):
                    add(tid, p, m, amt)
                tytd = sum(hamilton(total, hist)[:10])
                self.ach.setdefault(tid, [0, 0])
                self.ach[tid][0] += ytd / 100
                self.ach[tid][1] += tytd
                self.ach_prod[(tid, p)] = ytd / 100 / tytd
        # the units above: each the exact sum of its children
        parents = [(o[0], o[1]) for o in ORG]
        for uid, _ in reversed(parents):
            kids = [o[0] for o in ORG if o[1] == uid] + [t[0] for t in REPS if t[1] == uid]
            for p in OURS:
                annual[(uid, p)] = sum(annual[(k, p)] for k in kids)
        for uid, _ in parents:
            for p in OURS:
                add(uid, p, YEAR, annual[(uid, p)])
        rows.sort(key=lambda x: x[0])
        self.company_target = sum(annual[(COMPANY, p)] for p in OURS)
        self.target_rows = len(rows)
        self.tables['target'] = (['id', 'plan', 'unit_id', 'product_id', 'period',
                                  'hospital_id', 'amount'], rows)

    # -------------------------------------------------------------- visits
    def visits(self):
        r = self.r
        # quadrant of each doctor as the visits report computes it by default
        # (usage and potential over the quarter, median cuts per territory)
        quad = {}
        for tid, *_ in REPS:
            ds = [doc for doc in self.doc.values() if doc['dept']['hosp']['unit'] == tid]

            def med(xs):
                xs = sorted(xs)
                n = len(xs)
                return (xs[(n - 1) // 2] + xs[n // 2]) / 2
            uc = med([self.doc_q[d['id']][0] for d in ds])
            pc = med([self.doc_q[d['id']][1] for d in ds])
            for d in ds:
                uu, pp = self.doc_q[d['id']]
                quad[d['id']] = ('B' if pp >= pc else 'A') if uu >= uc else ('C' if pp >= pc else 'D')
        self.quad = quad
        stance = {'A': 1.5, 'B': 3.0, 'C': 3.0, 'D': 0.3}
        d_visitor = {'A': 1.5, 'B': 1.0, 'C': 0.3, 'D': 4.0}
        rows = []
        self.visit_q = {}
        vid = 0
        days = []
        d = VISIT_FIRST
        while d <= VISIT_LAST:
            if d.weekday() < 5:
                days.append(d)
            d = add_days(d, 1)
        for tid, *_ in REPS:
            ds = [doc for doc in self.doc.values() if doc['dept']['hosp']['unit'] == tid]
            wt = d_visitor if tid == D_VISITOR else stance
            lean = {q: self.u(0.7, 1.3) for q in 'ABCD'}
            w = [wt[quad[x['id']]] * lean[quad[x['id']]] for x in ds]
            for day in days:
                n = r.randint(*VISITS_A_DAY[tid])
                for doc in r.choices(ds, weights=w, k=n):
                    vid += 1
                    planned = 1 if r.random() < 0.9 else 0
                    if tid == UNVERIFIED:
                        reported = 1 if r.random() < 0.98 else 0
                        vrate = 0.35
                    else:
                        reported = 1 if (planned == 0 or r.random() < 0.92) else 0
                        vrate = 0.93
                    if (VISIT_LAST - day).days < 7:
                        vrate = 0.0               # the manager checks a week behind
                    verified = 1 if reported and r.random() < vrate else 0
                    rows.append([vid, tid, doc['id'], day.isoformat(), planned, reported, verified])
                    k = (tid, quad[doc['id']])
                    self.visit_q[k] = self.visit_q.get(k, 0) + reported
        self.tables['visit'] = (['id', 'rep_unit_id', 'doctor_id', 'date', 'planned',
                                 'reported', 'verified'], rows)

    # -------------------------------------------------------------- budget and spend
    def money_out(self):
        r = self.r
        cats = [('学术会议', 8000, ['科室会', '病例分享会', '城市学术会议', '继续教育项目']),
                ('样品', 3000, ['样品申领', '临床观察样品']),
                ('差旅', 3500, ['市内交通', '出差住宿', '出差交通']),
                ('推广物料', 1500, ['患者教育手册', '科室海报', '学术资料印刷'])]
        budget, expense = [], []
        self.spend = {}
        eid = 0
        units = [(t[0], 1.0 + 0.1 * len([h for h in self.hosp.values()
                                         if h['unit'] == t[0] and h['tier'] == 'A'])) for t in REPS]
        units += [(d, 2.5) for d in DISTRICTS]
        for uid, scale in units:
            for cat, base, notes in cats:
                if uid in DISTRICTS and cat != '学术会议':
                    continue
                b = int(round(base * scale, -2))
                for per in PLAN_MONTHS:
                    budget.append([uid, per, cat, b])
                    if per not in YTD:
                        continue
                    f = (1.6 if cat in ('学术会议', '样品') else 1.1) if uid == OVER_BUDGET else 0.88
                    spent = int(round(b * f * self.u(0.75, 1.25) * 100))
                    parts = r.randint(1, 3)
                    cuts = sorted(r.sample(range(1, spent), parts - 1)) if spent > parts else []
                    edges = [0] + cuts + [spent]
                    for a, z in zip(edges, edges[1:]):
                        eid += 1
                        expense.append([eid, uid, per, cat, money(z - a), r.choice(notes)])
                    s = self.spend.setdefault(uid, [0, 0])
                    s[0] += spent
                    s[1] += b * 100
        self.tables['budget'] = (['unit_id', 'period', 'category', 'amount'], budget)
        self.tables['expense'] = (['id', 'unit_id', 'period', 'category', 'amount', 'note'], expense)

    # -------------------------------------------------------------- distributors: stock, invoices, payments
    def trade(self):
        r = self.r
        inv_rows, cards = [], []
        received_value = {}          # (customer, period) -> cents
        self.breaks = []
        sold = {}
        for (hid, p, per), (units, _) in self.sale.items():
            k = (self.hosp_cust[hid], p, per)
            sold[k] = sold.get(k, 0) + units
        for c in CUSTOMERS:
            cid = c[0]
            for p in OURS:
                opening = None
                for i, per in enumerate(MONTHS):
                    s = sold.get((cid, p, per), 0)
                    nxt = sold.get((cid, p, MONTHS[i + 1]), s) if i + 1 < len(MONTHS) else s
                    if opening is None:
                        opening = int(round(s * 1.1))
                    ret = int(round(s * self.u(0.005, 0.02))) if r.random() < 0.12 else 0
                    want = int(round(nxt * self.u(1.0, 1.4)))
                    need = want - opening + s + ret
                    received = max(0, -(-need // 20) * 20)        # in cases of 20 boxes
                    closing = opening + received - s - ret
                    assert closing >= 0
                    if (cid, p, per) == INV_BREAK[:3]:
                        closing += INV_BREAK[3]
                        assert closing >= 0
                        self.breaks.append((cid, p, per, INV_BREAK[3]))
                    cards.append([cid, p, per, opening, received, s, ret, closing])
                    received_value[(cid, per)] = received_value.get((cid, per), 0) + int(round(received * PRICE[p] * (1 - MARGIN[cid])))
                    opening = closing
        self.tables['inventory'] = (['customer_id', 'product_id', 'period', 'opening',
                                     'received', 'sold', 'returned', 'closing'], cards)
        # invoices: the month's shipments, dated the 25th; payments by behaviour
        pays = []
        iid = pid = 0
        self.open = {}           # customer -> {bucket: cents}
        monthly = {}
        for c in CUSTOMERS:
            cid, _, _, terms, how = c
            for per in MONTHS:
                cents = received_value.get((cid, per), 0)
                if cents == 0:
                    continue
                monthly.setdefault(cid, []).append(cents)
                iid += 1
                date = dt.date(int(per[:4]), int(per[5:]), 25)
                due = add_days(date, terms)
                inv_rows.append([iid, cid, date.isoformat(), due.isoformat(), money(cents)])
                plan = []                        # (date, cents)
                if how == 'late' and per >= '2025-10':
                    if per <= '2025-12':
                        plan = [(add_days(due, r.randint(60, 110)), cents)]
                    elif per <= '2026-04':
                        part = int(cents * self.u(0.3, 0.5))
                        plan = [(add_days(due, r.randint(30, 60)), part)]
                    # from 2026-05 nothing is paid
                else:
                    lo, hi = (5, 40) if how == 'slow' else (-15, 5)
                    pay = add_days(due, r.randint(lo, hi))
                    if r.random() < 0.2:
                        first = int(cents * self.u(0.4, 0.7))
                        plan = [(pay, first), (add_days(pay, r.randint(5, 25)), cents - first)]
                    else:
                        plan = [(pay, cents)]
                if (cid, per) == TODAYS_PAYMENT:
                    # this morning's bank statement: the reports' default
                    # as-of date (the latest payment) is then today
                    plan = [(TODAY, cents)]
                paid = 0
                for pd, amt in plan:
                    pd = max(pd, date)
                    if pd > TODAY or amt <= 0:
                        continue
                    pid += 1
                    pays.append([pid, iid, pd.isoformat(), money(amt)])
                    paid += amt
                left = cents - paid
                if left:
                    days = (TODAY - due).days
                    b = ('current' if days <= 0 else '1-30' if days <= 30 else '31-60' if days <= 60
                         else '61-90' if days <= 90 else '91-120' if days <= 120 else '>120')
                    o = self.open.setdefault(cid, {})
                    o[b] = o.get(b, 0) + left
        pays.sort(key=lambda x: x[0])
        self.tables['invoice'] = (['id', 'customer_id', 'date', 'due_date', 'amount'], inv_rows)
        self.tables['payment'] = (['id', 'invoice_id', 'date', 'amount'], pays)
        crow = []
        for cid, name, unit, terms, how in CUSTOMERS:
            avg = sum(monthly[cid]) / len(monthly[cid]) / 100
            limit = int(round(avg * (terms / 30 + 1) * 1.2, -5))
            crow.append([cid, name, 'distributor', limit, unit, terms])
        self.tables['customer'] = (['id', 'name', 'kind', 'credit_limit', 'unit_id', 'terms_days'], crow)

    # -------------------------------------------------------------- goals
    def goals(self):
        G = [  # owner, product, metric, baseline, target, potential, start, due, min_g, max_g, max_days, note
            ('张伟', '心脉宁', 'sales', 4200000, 4830000, 9000000, '2027-01-01', '2027-12-31', None, None, None,
             '2027年浦东区域心脉宁销售额比2026年增长15%'),
            (None, '心脉宁', 'sales', 3000000, 3300000, 6000000, '2027-01-01', '2027-12-31', None, None, None,
             '心脉宁销售额增长10%（没写谁负责）'),
            ('李娜', '糖平安', 'share', 0.12, 0.18, None, '2027-01-01', '2027-12-31', None, None, None,
             '浦江大学附属第一医院内分泌科糖平安份额从12%提升到18%'),
            ('刘洋', None, 'units', 15000, 17000, 40000, '2027-01-01', '2027-12-31', None, None, None,
             '全年销量17000盒（没写哪个产品）'),
            ('徐强', '糖平安', 'share', 0.08, 15, None, '2027-01-01', '2027-12-31', None, None, None,
             '份额提高到15（本意15%，写成了15）'),
            ('陈静', '畅肺清', 'hospitals', 4, 5, 5, '2026-01-01', '2026-12-31', None, None, None,
             '2026年西湖区域新开发1家医院'),
            ('黄磊', '畅肺清', '业绩', 900000, 1000000, None, '2027-01-01', '2027-12-31', None, None, None,
             '把业绩做上去（业绩不是可衡量的指标）'),
            ('马超', '心脉宁', 'sales', 3000000, 2700000, 8000000, '2027-01-01', '2027-12-31', None, None, None,
             '保住270万（比去年还低）'),
            ('胡军', '畅肺清', 'sales', 800000, None, 2000000, '2027-01-01', '2027-12-31', None, None, None,
             '畅肺清销售额大幅提升（没有数字）'),
            ('吴婷', '心脉宁', 'doctors', 40, 55, 120, '2027-01-01', '2027-06-30', None, None, None,
             '上半年目标医生从40位增加到55位'),
            ('杨帆', '畅肺清', 'units', 20000, 20000, 50000, '2027-01-01', '2027-12-31', None, None, None,
             '维持去年销量（没有增长）'),
            ('朱琳', '糖平安', 'units', 12000, 14000, 30000, '2026-07-01', '2027-06-30', None, None, None,
             '未来12个月糖平安销量14000盒'),
            ('吴婷', '畅肺清', 'sales', 2000000, 2600000, 2400000, '2027-01-01', '2027-12-31', None, None, None,
             '目标超过了区域潜力'),
            ('陈静', '心脉宁', 'sales', 2500000, 2800000, 6000000, '2026-02-30', '2026-12-31', None, None, None,
             '开始日期写错（2月没有30日）'),
            ('赵磊', '糖平安', 'sales', 1000000, 1050000, 3000000, '2027-01-01', '2027-12-31', 0.10, None, None,
             '增长5%，低于公司要求的10%'),
            ('杨帆', '心脉宁', 'hospitals', 3, 8, 10, '2027-01-01', '2027-12-31', None, None, None,
             '一年开发5家新医院（增长167%）'),
            ('刘洋', '畅肺清', 'doctors', 30, 36, 80, '2027-06-30', '2027-01-01', None, None, None,
             '截止日期早于开始日期'),
            ('王芳', '畅肺清', 'collections', 10000000, 11000000, None, '2027-01-01', '2027-12-31', None, None, None,
             '上海地区2027年回款1100万'),
            ('郭丽', '糖平安', 'units', 10000, 13000, 40000, '2027-01-01', '2027-12-31', None, 0.20, None,
             '增长30%，超过地区规定的20%上限'),
            ('黄磊', '糖平安', 'coverage', 0.55, 0.70, None, '2026-01-01', '2027-06-30', None, None, None,
             '目标医生覆盖率18个月内达到70%（超过一年）'),
            ('马超', '心脉宁', 'share', 0.60, 1.2, None, '2027-01-01', '2027-12-31', None, None, None,
             '份额翻一番到120%'),
            ('林志强', '心脉宁', 'sales', 20000000, 23000000, 50000000, '2027-01-01', None, None, None, None,
             '华南大区心脉宁2300万（没有截止日期）'),
            ('周敏', '畅肺清', 'visits', 1200, 1400, None, '2027-01-01', '2027-06-30', None, None, 90,
             '半年拜访1400次，但本季度计划只许90天'),
            (None, None, '提高', None, None, None, None, None, None, None, None,
             '做好工作，提升业绩'),
        ]
        rows, self.smart = [], {}
        for i, g in enumerate(G, start=1):
            rows.append([i] + ['' if v is None else v for v in g])
            for letter, ok in zip('SMART', smart_letters(g)):
                if not ok:
                    self.smart.setdefault(letter, []).append(i)
            if all(smart_letters(g)):
                self.smart.setdefault('pass', []).append(i)
        self.tables['goal'] = (['id', 'owner', 'product', 'metric', 'baseline', 'target', 'potential',
                                'start_date', 'due_date', 'min_growth', 'max_growth', 'max_days',
                                'note'], rows)

    def settings(self):
        """The demo keeps the schema's default policy, key for key (read from
        sql/schema.sql, so a key added there is restated here on the next
        run): the reports behave on the demo as documented."""
        import sqlite3
        db = sqlite3.connect(':memory:')
        with open(os.path.join(ROOT, 'sql', 'schema.sql'), encoding='utf-8') as f:
            db.executescript(f.read())
        rows = db.execute('SELECT key, value, about FROM settings ORDER BY rowid').fetchall()
        db.close()
        self.tables['settings'] = (['key', 'value', 'about'],
                                   [[k, '' if v is None else v, a] for k, v, a in rows])

    def run(self):
        self.org()
        self.sites()
        self.activity()
        self.targets()
        self.visits()
        self.money_out()
        self.trade()
        self.goals()
        self.settings()
        self.check_story()
        self.deck_tools()
        self.collection_targets()

    # -------------------------------------------------------------- issue 15: the deck's missing tools
    def deck_tools(self):
        """Data for coverage, agreements, distributors and credit, from its
        own random stream (SEED + 15) so the main story above never shifts:
          * the target hospitals' expected entry (all in 2025, so the 2026
            plan is unchanged): five on time, four opened 1-6 months late;
          * credit ratings of the distributors;
          * 2026 purchase-sale agreements per distributor and product, phased
            so that the slow and the late payer are behind;
          * 2025 and 2026 assessments on the deck's four criteria."""
        r = random.Random(SEED + 15)
        head, rows = self.tables['hospital']
        ix = {k: i for i, k in enumerate(head)}
        late = {'彭浦': 5, '长河': 3, '瓜沥': 1, '香蜜': 6, '福永': 5}
        for row in rows:
            h = self.hosp[int(row[ix['id']])]
            if h['status'] == 'target':
                y, m = map(int, h['listed'].split('-'))
                m -= late.get(h['place'], 0)
                while m < 1:
                    y, m = y - 1, m + 12
                row[ix['expected_entry']] = '%04d-%02d-01' % (y, m)
        # credit ratings (the terms are the main story's)
        head, rows = self.tables['customer']
        beh = {c[0]: c for c in CUSTOMERS}
        if 'rating' not in head:
            rating = {'ontime': 'A', 'slow': 'C', 'late': 'D'}
            head = head + ['rating']
            rows = [row + [rating[beh[int(row[0])][4]]] for row in rows]
            # the smallest of the punctual ones is a B
            small = min((row for row in rows if row[-1] == 'A'), key=lambda row: float(row[3]))
            small[-1] = 'B'
        self.tables['customer'] = (head, rows)
        # agreements: 2026 per distributor and product, from the year's purchases
        got = {}
        for cid, p, per, _o, rec, *_ in self.tables['inventory'][1]:
            if per.startswith('2026') and per <= '2026-10':
                got[(cid, p)] = got.get((cid, p), 0) + rec
        agr = []
        self.agreement_pace = {}
        for (cid, p), units in sorted(got.items()):
            how = beh[cid][4]
            f = {'late': r.uniform(1.45, 1.6), 'slow': r.uniform(1.2, 1.3)}.get(how, r.uniform(0.85, 1.12))
            yearly = int(round(units * 12 / 10 * f, -2))
            agr.append([len(agr) + 1, cid, p, '2026', yearly, money(yearly * PRICE[p]), beh[cid][3]])
            self.agreement_pace[(cid, p)] = units / yearly - 10 / 12
        self.tables['agreement'] = (['id', 'customer_id', 'product_id', 'year', 'units', 'amount',
                                     'payment_days'], agr)
        # assessments on the deck's criteria, 1..5
        ass = []
        for year in ('2025', '2026'):
            for cid, name, unit, terms, how in CUSTOMERS:
                base = {'ontime': 4, 'slow': 3, 'late': 3}[how]
                fin = {'ontime': r.choice((4, 4, 5)), 'slow': 3, 'late': 2 if year == '2026' else 3}[how]
                ass.append([cid, year, min(5, base + r.choice((0, 0, 1))), fin,
                            min(5, base + r.choice((-1, 0, 1))),
                            2 if how == 'late' and year == '2026' else min(5, base + r.choice((0, 1)))])
        self.tables['assessment'] = (['customer_id', 'year', 'staff', 'finance', 'promotion',
                                      'cooperation'], ass)

    # -------------------------------------------------------------- 回款目标 (issue 14)
    def collection_targets(self):
        """The 2026 collection targets (回款目标, target.kind 'collection'):
        each district looks after the payments of the customers of its own
        and of its territories (customer.unit_id), and is asked for last
        year's payments x (1 + 5..15%), phased by quarter as last year's
        payments fell, split over the products by their share of last year's
        sales (payments are not per product); regions, national and company
        are the exact sums.  Its own random stream, after the main story, so
        the rest of the demo does not move."""
        r = random.Random(SEED + 14)

        def col(table, name):
            return self.tables[table][0].index(name)

        org_h, org = self.tables['org_unit']
        parent = {row[col('org_unit', 'id')]: row[col('org_unit', 'parent_id')] for row in org}
        level = {row[col('org_unit', 'id')]: row[col('org_unit', 'level')] for row in org}

        def district_of(u):
            while u is not None and u != '' and level[u] != 'district':
                u = parent[u]
            return u

        cust_unit = {row[col('customer', 'id')]: row[col('customer', 'unit_id')]
                     for row in self.tables['customer'][1]}
        inv_cust = {row[col('invoice', 'id')]: row[col('invoice', 'customer_id')]
                    for row in self.tables['invoice'][1]}
        paid = {}  # (district, quarter) -> yuan paid in 2025
        for row in self.tables['payment'][1]:
            d = row[col('payment', 'date')]
            if not d.startswith(str(int(YEAR) - 1)):
                continue
            u = district_of(cust_unit.get(inv_cust[row[col('payment', 'invoice_id')]]))
            if u is None or u == '':
                continue
            q = (int(d[5:7]) + 2) // 3
            paid[(u, q)] = paid.get((u, q), 0) + float(row[col('payment', 'amount')])
        prod_sales = {}
        for row in self.tables['sale'][1]:
            if row[col('sale', 'period')].startswith(str(int(YEAR) - 1)):
                pid = row[col('sale', 'product_id')]
                prod_sales[pid] = prod_sales.get(pid, 0) + float(row[col('sale', 'amount')])
        prods = sorted(prod_sales)
        amounts = {}  # (unit, product, period) -> yuan
        for u in sorted({u for u, _ in paid}):
            qs = [paid.get((u, q), 0) for q in (1, 2, 3, 4)]
            total = int(round(sum(qs) * (1 + r.uniform(0.05, 0.15)), -3))
            for pid, amt in zip(prods, hamilton(total, [prod_sales[x] for x in prods])):
                amounts[(u, pid, YEAR)] = amt
                for q, qa in zip((1, 2, 3, 4), hamilton(amt, qs)):
                    amounts[(u, pid, '%s-Q%d' % (YEAR, q))] = qa
        # the units above: exact sums
        for (u, pid, per), amt in list(amounts.items()):
            a = parent[u]
            while a is not None and a != '':
                amounts[(a, pid, per)] = amounts.get((a, pid, per), 0) + amt
                a = parent[a]
        head, rows = self.tables['target']
        if 'kind' not in head:
            head = head + ['kind']
            rows = [row + ['sales'] for row in rows]
        ids = col('target', 'id')
        nxt = max(row[ids] for row in rows) + 1
        for (u, pid, per), amt in sorted(amounts.items(), key=lambda kv: (str(kv[0][2]), kv[0][0], kv[0][1])):
            row = dict(zip(head, [''] * len(head)))
            row.update({'id': nxt, 'plan': 'current', 'unit_id': u, 'product_id': pid,
                        'period': per, 'hospital_id': '', 'amount': amt, 'kind': 'collection'})
            rows.append([row[h] for h in head])
            nxt += 1
        self.tables['target'] = (head, rows)
        self.collection_rows = len(amounts)

    # -------------------------------------------------------------- the story holds
    def check_story(self):
        ach = {t: a / b for t, (a, b) in self.ach.items()}
        assert 0.55 <= min(ach.values()) <= 0.65 and 1.15 <= max(ach.values()) <= 1.25, ach
        over = [u for u, (s, b) in self.spend.items() if s > b]
        assert over == [OVER_BUDGET], over
        bad = {c: o.get('>120', 0) for c, o in self.open.items() if o.get('>120', 0)}
        assert list(bad) == [LATE_PAYER] and bad[LATE_PAYER] > 5000000, bad
        for tid, *_ in REPS:
            c, d = self.visit_q.get((tid, 'C'), 0), self.visit_q.get((tid, 'D'), 0)
            assert (d > c) == (tid == D_VISITOR), (tid, c, d)
        for t in ('A', 'B', 'C', 'D'):
            for tid, *_ in REPS:
                assert any(q == t for d, q in self.quad.items()
                           if self.doc[d]['dept']['hosp']['unit'] == tid), (tid, t)
        assert set(self.smart) == set('SMART') | {'pass'}, self.smart
        assert len(self.breaks) == 1
        for t, *_ in REPS:
            a = [self.ach_prod[(t, p)] for p in OURS]
            assert max(a) - min(a) > 0.05, (t, a)
        for h in self.hosp.values():
            if h['churn']:
                last = max(k[2] for k in self.sale if k[0] == h['id'])
                assert '2026-01' <= last < h['churn'] and last <= '2026-07', (h['name'], last)
        for k in self.zero_sales:
            assert k not in self.sale
        # the margins: no sale is booked at the list price
        assert all(c < u * PRICE[k[1]] for k, (u, c) in self.sale.items())

    def facts_text(self):
        o = self.open[LATE_PAYER]
        ach = {t: a / b for t, (a, b) in self.ach.items()}
        lines = [
            'doctors %d' % self.n_doctors,
            'rx rows %d' % self.rx_rows,
            'sale rows %d' % len(self.tables['sale'][1]),
            'target rows %d (hospital rows %d), company 2026 target %d yuan'
            % (self.target_rows, self.hosp_targets, self.company_target),
            'visits %d' % len(self.tables['visit'][1]),
            'invoices %d, payments %d' % (len(self.tables['invoice'][1]), len(self.tables['payment'][1])),
            'late payer %d open >120 days: %s yuan; open by bucket %s'
            % (LATE_PAYER, money(o['>120']), {k: money(v) for k, v in sorted(o.items())}),
            'inventory break %r' % (self.breaks,),
            'over budget %d: spent %s of budget %s (Jan-Oct)'
            % (OVER_BUDGET, money(self.spend[OVER_BUDGET][0]), money(self.spend[OVER_BUDGET][1])),
            'achievement 2026 Jan-Oct %s' % ', '.join('%s %.3f' % (REP[t][3], a) for t, a in ach.items()),
            'achievement by product (心脉宁/畅肺清/糖平安) %s' % ', '.join(
                '%s %s' % (REP[t][3], '/'.join('%.3f' % self.ach_prod[(t, p)] for p in OURS))
                for t, *_ in REPS),
            'department_usage rows %d, purchase rows %d' % (len(self.tables['department_usage'][1]),
                                                          len(self.tables['purchase'][1])),
            'churned hospitals %s' % ', '.join('%d %s (last sale %s)' % (
                h['id'], h['name'], max(k[2] for k in self.sale if k[0] == h['id']))
                for h in self.hosp.values() if h['churn']),
            'zero-sales months %s' % self.zero_sales,
            'reported visits by quadrant %s' % ', '.join(
                '%s A%d B%d C%d D%d' % ((REP[t][3],) + tuple(self.visit_q.get((t, q), 0) for q in 'ABCD'))
                for t, *_ in REPS),
            'SMART failures %s' % {k: v for k, v in sorted(self.smart.items())},
        ]
        return '\n'.join(lines) + '\n'


METRICS = ('sales', 'units', 'share', 'growth', 'collections', 'hospitals', 'doctors', 'coverage', 'visits')


def valid_date(s):
    try:
        return dt.date.fromisoformat(s) if s and len(s) == 10 else None
    except ValueError:
        return None


def smart_letters(g):
    """This script's own reading of api.md's SMART rules, for the facts."""
    owner, product, metric, base, target, pot, start, due, ming, maxg, maxd, _ = g
    s = bool(owner) and bool(product) and metric in METRICS
    num = isinstance(base, (int, float)) and isinstance(target, (int, float))
    m = num and (metric not in ('share', 'coverage') or 0 < target <= 1)
    a = num and target > base and target >= base * (1 + (ming or 0))
    rl = num and (pot is None or target <= pot) and (base <= 0 or target / base - 1 <= (1.0 if maxg is None else maxg))
    d0, d1 = valid_date(start), valid_date(due)
    t = bool(d0 and d1) and d0 < d1 and (d1 - d0).days <= (366 if maxd is None else maxd)
    return s, m, a, rl, t


def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for row in rows:
        w.writerow(['%r' % v if isinstance(v, float) else v for v in row])
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(buf.getvalue())


def load(dbpath, outdir):
    """Loads the CSVs like the shell's importer (values bound as text, empty
    field NULL, foreign keys checked at the end) -- a check for when the
    shell is not built."""
    import sqlite3
    if os.path.exists(dbpath):
        os.remove(dbpath)
    db = sqlite3.connect(dbpath, isolation_level=None)
    db.execute('PRAGMA foreign_keys=ON')
    with open(os.path.join(ROOT, 'sql', 'schema.sql'), encoding='utf-8') as f:
        db.executescript(f.read())
    db.execute('BEGIN')
    db.execute('PRAGMA defer_foreign_keys=ON')
    for name in sorted(os.listdir(outdir)):
        if not name.endswith('.csv'):
            continue
        with open(os.path.join(outdir, name), encoding='utf-8', newline='') as f:
            rd = csv.reader(f)
            head = next(rd)
            sql = 'INSERT INTO "%s"(%s) VALUES(%s)' % (name[:-4], ','.join('"%s"' % h for h in head),
                                                        ','.join('?' * len(head)))
            db.executemany(sql, ([None if v == '' else v for v in row] for row in rd))
    bad = db.execute('PRAGMA foreign_key_check').fetchall()
    assert not bad, bad[:10]
    db.execute('COMMIT')
    db.close()


def main(argv):
    outdir = os.path.join(ROOT, 'fixtures')
    check = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '--out':
            outdir = args.pop(0)
        elif a == '--check':
            check = args.pop(0)
        else:
            sys.exit('usage: gen_demo.py [--out DIR] [--check DB]')
    g = Gen()
    g.run()
    os.makedirs(outdir, exist_ok=True)
    for name, (header, rows) in g.tables.items():
        write_csv(os.path.join(outdir, name + '.csv'), header, rows)
    sys.stdout.write(g.facts_text())
    if check:
        load(check, outdir)
        print('loaded into %s: foreign_key_check clean' % check)


if __name__ == '__main__':
    main(sys.argv[1:])
