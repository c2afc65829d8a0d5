#!/usr/bin/env python3
"""Generates tests/sql/collections_gen.test: collections(first_day,
last_day) over random ledgers (tests/gen/ledger_gen.py: shuffled invoice
ids, payments in any order, partial, late, after last_day or leaving a
fraction of a cent) against Python -- summing per customer from the
definition in ext/collections.c -- and against the same sums written in
SQL (to the last bit on SQLite before 3.43, whose sum() adds plainly)
(payments per invoice, then invoices per customer: what the scorecard
report computed before). Deterministic (fixed seed).
Run from the repository root:  python3 tests/gen/collections_oracle.py
"""
import datetime
import random

from ledger_gen import Ledger, header, lit, opt

rng = random.Random(20261208)
out = header("collections_oracle.py", "collections")


# the same sums in SQL: what the scorecard report computed before collections()
def sql_sums(first, last):
    return (
        "WITH pp AS (SELECT invoice_id, sum(CASE WHEN date <= {l} THEN amount END) AS paid,"
        " sum(CASE WHEN date BETWEEN {f} AND {l} THEN amount END) AS collected"
        " FROM payment INDEXED BY payment_invoice GROUP BY invoice_id)"
        " SELECT i.customer_id, sum(pp.collected),"
        " sum(CASE WHEN i.date <= {l} AND i.due_date BETWEEN {f} AND {l} THEN i.amount END),"
        " sum(CASE WHEN i.date <= {l} AND i.due_date BETWEEN {f} AND {l}"
        " THEN min(coalesce(pp.paid, 0), i.amount) END),"
        " sum(CASE WHEN i.date <= {l} THEN i.amount - coalesce(pp.paid, 0) END)"
        " FROM invoice i INDEXED BY invoice_customer LEFT JOIN pp ON pp.invoice_id = i.id"
        " GROUP BY i.customer_id"
    ).format(f=lit(first), l=lit(last))


for case in range(8):
    lg = Ledger(rng, case)
    last = lg.as_of
    # the first day: the ledger's since, else the year's first day, or (case
    # 6) a day after last_day: nothing collected, nothing due
    if case == 6:
        first = (datetime.date.fromisoformat(last) + datetime.timedelta(days=1)).isoformat()
    else:
        first = lg.since if lg.since is not None else last[:4] + "-01-01"

    # Python: payments per invoice in (invoice_id, id) order
    paid, coll = {}, {}
    for pid, iid, pd, amt in lg.payments_in_order():
        if pd > last:
            continue
        paid[iid] = paid.get(iid, 0.0) + amt
        if pd >= first:
            coll[iid] = coll.get(iid, 0.0) + amt
    rows = {}
    for iid, c, d, due, amt in lg.invoices_in_order():
        s = rows.setdefault(c, [None, None, None, None])

        def add(k, v):
            s[k] = v if s[k] is None else s[k] + v
        if iid in coll:
            add(0, coll[iid])
        if d <= last:
            p = paid.get(iid, 0.0)
            if first <= due <= last:
                add(1, amt)
                add(2, min(p, amt))
            add(3, amt - p)

    # last_day as a Julian day number in every other case
    l_arg = f"julianday('{last}')" if case % 2 else lit(last)
    call = f"collections({lit(first)}, {l_arg})"
    out += lg.test_lines("collections", [("first_day", first)], rows, opt, sql_sums(first, last), 5,
                         call=call)

open("tests/sql/collections_gen.test", "w").write("\n".join(out))
