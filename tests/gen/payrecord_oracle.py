#!/usr/bin/env python3
"""Generates tests/sql/payment_record_gen.test: payment_record(as_of,
since, grace, overdue_days) over random ledgers
(tests/gen/ledger_gen.py: shuffled invoice ids, payments in any order,
partial, late, after as_of or leaving a fraction of a cent) against
Python -- summing per customer from the definition in ext/payrecord.c,
with days counted by datetime -- and against the same sums written in
SQL (to the last bit on SQLite before 3.43, whose sum() adds plainly)
(payments per invoice, then invoices per customer: what the pareto
report computed before). Deterministic (fixed seed).
Run from the repository root:  python3 tests/gen/payrecord_oracle.py
"""
import random

from ledger_gen import Ledger, day, header, lit, opt

rng = random.Random(20261207)
out = header("payrecord_oracle.py", "payment_record")


# the same sums in SQL: what the pareto report computed before payment_record()
def sql_sums(as_of, since, grace, days):
    return (
        "WITH pp AS (SELECT pm.invoice_id, sum(pm.amount) AS paid,"
        " sum(CASE WHEN ({s} IS NULL OR pm.date > {s}) AND julianday(pm.date) - julianday(i.due_date) > {g}"
        " THEN pm.amount END) AS paid_late"
        " FROM payment pm INDEXED BY payment_invoice JOIN invoice i ON i.id = pm.invoice_id"
        " WHERE pm.date <= {a} GROUP BY pm.invoice_id),"
        " inv AS (SELECT i.customer_id, i.date, i.due_date, i.amount,"
        " julianday({a}) - julianday(i.due_date) AS late, julianday({a}) - julianday(i.date) AS age,"
        " CASE WHEN i.date <= {a} THEN i.amount - coalesce(pp.paid, 0) END AS open, pp.paid_late"
        " FROM invoice i INDEXED BY invoice_customer LEFT JOIN pp ON pp.invoice_id = i.id)"
        " SELECT customer_id,"
        " sum(CASE WHEN ({s} IS NULL OR date > {s}) AND date <= {a} THEN amount END),"
        " sum(CASE WHEN open > 0 AND late > 0 THEN open END),"
        " sum(CASE WHEN open > 0 AND age > {d} THEN open END),"
        " sum(CASE WHEN open > 0 AND late > {d} THEN open END),"
        " sum(CASE WHEN open > 0.005 AND late > {g} THEN 1 END),"
        " sum(paid_late)"
        " FROM inv GROUP BY customer_id"
    ).format(a=lit(as_of), s=lit(since), g=grace, d=days)

for case in range(8):
    lg = Ledger(rng, case)
    as_of, since = lg.as_of, lg.since
    grace = rng.choice([0, 5, 30, 30, 45.5])
    days = rng.choice([-10, 0, 60, 120, 120, 200.5])

    # Python: payments per invoice in (invoice_id, id) order
    due_of = {i[0]: i[3] for i in lg.invoices}
    paid, late = {}, {}
    for pid, iid, pd, amt in lg.payments_in_order():
        if pd > as_of:
            continue
        paid[iid] = paid.get(iid, 0.0) + amt
        if (since is None or pd > since) and day(pd) - day(due_of[iid]) > grace:
            late[iid] = late.get(iid, 0.0) + amt
    rows = {}
    A = day(as_of)
    for iid, c, d, due, amt in lg.invoices_in_order():
        s = rows.setdefault(c, [None, None, None, None, None, None])

        def add(k, v):
            s[k] = v if s[k] is None else s[k] + v
        if d <= as_of and (since is None or d > since):
            add(0, amt)
        if d <= as_of:
            op = amt - paid.get(iid, 0.0)
            if op > 0:
                if due < as_of:
                    add(1, op)
                if A - day(d) > days:
                    add(2, op)
                if A - day(due) > days:
                    add(3, op)
            if op > 0.005 and A - day(due) > grace:
                add(4, 1)
        if iid in late:
            add(5, late[iid])

    out += lg.test_lines("payment_record", [("grace", grace), ("overdue_days", days)], rows, opt,
                         sql_sums(as_of, since, grace, days), 7)

open("tests/sql/payment_record_gen.test", "w").write("\n".join(out))
