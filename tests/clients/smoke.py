"""Smoke test of the extension in Python's sqlite3 (enable_load_extension).

    python3 tests/clients/smoke.py build/territory.so tests/clients/smoke.tsv

Prints one line per failure and ends with "N passed, N failed".
"""
import sqlite3
import sys


def main():
    ext, table = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(ext[:-3] if ext.endswith(".so") else ext)
    db.enable_load_extension(False)
    passed = failed = 0
    for line in open(table, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        name, query, expected = line.rstrip("\n").split("\t")
        try:
            got = db.execute(query).fetchone()[0]
            got = "NULL" if got is None else str(got)
        except sqlite3.Error as e:
            got = "error: %s" % e
        if got == expected:
            passed += 1
        else:
            failed += 1
            print("python %s: expected %r, got %r" % (name, expected, got))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
