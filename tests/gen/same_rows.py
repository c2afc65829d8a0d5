"""same_rows.py -- the two lines a generated test uses to check that a C
function returns exactly the rows of the SQL it replaced: the rows of each
side not found on the other, counted, must be 0 both ways.  Sums are
compared to the last bit on SQLite before 3.43 and to 6 decimals from 3.43
on, where sum() compensates its rounding (Kahan-Babuska-Neumaier) and the
former SQL no longer adds exactly as the C does -- unless the C adds as
the running SQLite does (ext/sqlsum.h): exact=True compares every bit on
every version."""


def same_rows(call, sql, width, exact=False):
    """Test lines: `call` (a table-valued call) and `sql` (the former query)
    give the same `width`-column rows."""
    names = ", ".join(f"k{j}" for j in range(width))
    if exact:
        exact = names
    else:
        exact = ", ".join(f"CASE WHEN sqlite_version() < '3.43' THEN k{j} ELSE round(k{j}, 6) END"
                          for j in range(width))
    both = f"WITH f({names}) AS (SELECT * FROM {call}), q({names}) AS ({sql}) "
    return [f"{both}SELECT count(*) FROM (SELECT {exact} FROM f EXCEPT SELECT {exact} FROM q);",
            "-- => 0",
            f"{both}SELECT count(*) FROM (SELECT {exact} FROM q EXCEPT SELECT {exact} FROM f);",
            "-- => 0",
            ""]
