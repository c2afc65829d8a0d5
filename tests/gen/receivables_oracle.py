#!/usr/bin/env python3
"""Generates tests/sql/receivables_gen.test: receivables(as_of, since,
overdue_days) over random ledgers (tests/gen/ledger_gen.py: shuffled
invoice ids, payments in any order, partial, late, after as_of or
leaving less than half a cent) against Python -- summing per customer
from the definition in ext/receivables.c, with days counted by datetime
-- and against the same sums written in SQL (to the last bit on SQLite
before 3.43, whose sum() adds plainly) (payments summed per invoice,
invoices per customer). Deterministic (fixed seed).
Run from the repository root:  python3 tests/gen/receivables_oracle.py
"""
import random

from ledger_gen import Ledger, day, header, lit

rng = random.Random(20261205)
out = header("receivables_oracle.py", "receivables")


# the same sums in SQL: what the credit report computed before receivables()
def sql_sums(as_of, since, bad):
    s = lit(since)
    return (
        "WITH pay AS (SELECT invoice_id, sum(CASE WHEN date <= {a} THEN amount END) AS paid,"
        " sum(CASE WHEN date <= {s} THEN amount END) AS paid_before FROM payment INDEXED BY payment_invoice"
        " GROUP BY invoice_id),"
        " inv AS (SELECT i.customer_id, i.date, i.due_date, i.amount, c.terms_days,"
        " julianday({a}) - julianday(i.due_date) AS late, julianday({s}) - julianday(i.due_date) AS late_before,"
        " i.amount - coalesce(p.paid, 0) AS open,"
        " CASE WHEN i.date <= {s} THEN i.amount - coalesce(p.paid_before, 0) END AS open_before"
        " FROM invoice i INDEXED BY invoice_customer JOIN customer c ON c.id = i.customer_id"
        " LEFT JOIN pay p ON p.invoice_id = i.id WHERE i.date <= {a})"
        " SELECT customer_id, sum(CASE WHEN {s} IS NULL OR date > {s} THEN amount ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late <= 0 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late BETWEEN 1 AND 30 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late BETWEEN 31 AND 60 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late BETWEEN 61 AND 90 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late BETWEEN 91 AND 120 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late > 120 THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND CASE WHEN terms_days IS NULL THEN late > 0"
        " ELSE julianday({a}) - julianday(date) > terms_days END THEN open ELSE 0 END),"
        " sum(CASE WHEN open >= 0.005 AND late > {b} THEN open ELSE 0 END),"
        " sum(CASE WHEN open_before >= 0.005 AND late_before > {b} THEN open_before ELSE 0 END)"
        " FROM inv GROUP BY customer_id"
    ).format(a=lit(as_of), s=s, b=bad)


for case in range(8):
    lg = Ledger(rng, case)
    as_of, since = lg.as_of, lg.since
    bad = rng.choice([0, 30, 90, 120, 120, 200.5])

    # Python: payments per invoice in (invoice_id, id) order
    paid, paid_before = {}, {}
    for pid, iid, pd, amt in lg.payments_in_order():
        if pd <= as_of:
            paid[iid] = paid.get(iid, 0.0) + amt
        if since is not None and pd <= since:
            paid_before[iid] = paid_before.get(iid, 0.0) + amt
    rows = {}
    A = day(as_of)
    S = day(since) if since else None
    for iid, c, d, due, amt in lg.invoices_in_order():
        if d > as_of:
            continue
        s = rows.setdefault(c, [0.0] * 11)
        if since is None or d > since:
            s[0] += amt
        op = amt - paid.get(iid, 0.0)
        if op >= 0.005:
            late = A - day(due)
            s[1] += op
            s[2 if late <= 0 else 3 if late <= 30 else 4 if late <= 60 else 5 if late <= 90 else 6 if late <= 120 else 7] += op
            over = late > 0 if lg.terms[c] is None else A - day(d) > lg.terms[c]
            if over:
                s[8] += op
            if late > bad:
                s[9] += op
        if since is not None and d <= since:
            ob = amt - paid_before.get(iid, 0.0)
            if ob >= 0.005 and S - day(due) > bad:
                s[10] += ob

    out += lg.test_lines("receivables", [("overdue_days", bad)], rows, repr, sql_sums(as_of, since, bad), 12)

open("tests/sql/receivables_gen.test", "w").write("\n".join(out))
