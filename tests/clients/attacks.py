"""Attacks on query text and text arguments in Python's sqlite3 (issue 12).

    /usr/bin/python3 tests/clients/attacks.py build/territory.so tests/clients/attacks.json

Runs every case of attacks.json, then the attacks that need several
connections: four half-read smart_check/allocate cursors on other
connections must not stop allocate on a fifth (the nesting limit counts
nesting on one connection only).  Prints one line per failure and ends with
"N passed, N failed".
"""
import json
import sqlite3
import sys


def connect(ext, setup):
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext[:-3] if ext.endswith(".so") else ext)
    db.enable_load_extension(False)
    for sql in setup:
        db.execute(sql)
    return db


def main():
    ext, cases_file = sys.argv[1], sys.argv[2]
    spec = json.load(open(cases_file, encoding="utf-8"))
    passed = failed = 0

    def check(name, ok, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("python %s: %s" % (name, detail))

    db = connect(ext, spec["setup"])
    for case in spec["cases"]:
        try:
            rows = [list(r) for r in db.execute(case["sql"], case.get("params", []))]
            got = ("rows", rows)
        except sqlite3.Error as e:
            got = ("error", str(e))
        want = ("error", case["error"]) if "error" in case else ("rows", case["rows"])
        check(case["name"], got == want, "expected %r, got %r" % (want, got))

    # four half-read cursors on other connections
    others = [connect(ext, spec["setup"]) for _ in range(4)]
    cursors = []
    for i, o in enumerate(others):
        q = "SELECT id FROM smart_check('goal')" if i % 2 else "SELECT key FROM allocate(8, 'w')"
        c = o.execute(q)
        c.fetchone()
        cursors.append(c)
    try:
        rows = [list(r) for r in db.execute("SELECT key, amount FROM allocate(4, 'w')")]
    except sqlite3.Error as e:
        rows = "error: %s" % e
    check("allocate beside four half-read cursors", rows == [["a", 1], ["b", 3]],
          "got %r" % (rows,))
    # and a half-read cursor on the same connection is not nesting either
    c = db.execute("SELECT id FROM smart_check('goal')")
    c.fetchone()
    try:
        rows = [list(r) for r in db.execute("SELECT key, amount FROM allocate(4, 'w')")]
    except sqlite3.Error as e:
        rows = "error: %s" % e
    check("allocate beside a half-read cursor on the same connection",
          rows == [["a", 1], ["b", 3]], "got %r" % (rows,))
    for o in others:
        o.close()
    db.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
