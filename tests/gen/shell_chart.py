#!/usr/bin/env python3
"""shell_chart.py -- the expected `.chart bar` lines in
tests/shell/shell_misc.cmd, computed from the rule documented in
docs/src/90-shell.md, independently of shell/chart.c:

  bar cells = COLUMNS - label width - value width - 3
  a bar is value / max * cells characters, rounded to eighths:
      full blocks U+2588, then one of U+258F..U+2589 for 1..7 eighths
  a mark sits in cell floor(mark / max * cells)
  labels are padded to the widest (CJK = 2 columns), values right-aligned

    python3 tests/gen/shell_chart.py      # prints the '> ' lines to paste
"""
EIGHTHS = ["", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"]


def width(s):
    return sum(2 if ord(c) >= 0x1100 else 1 for c in s)


def bar(v, hi, cells, mark=None):
    n8 = round(v / hi * cells * 8)
    out = ["\u2588"] * (n8 // 8) + ([EIGHTHS[n8 % 8]] if n8 % 8 else [])
    out += [" "] * (cells - len(out))
    if mark is not None:
        out[min(cells - 1, int(mark / hi * cells))] = "\u2502"
    return "".join(out)


def chart(rows, columns=40):
    lw = max(width(r[0]) for r in rows)
    vw = max(len(str(r[1])) for r in rows)
    mw = max((len(str(r[2])) for r in rows if len(r) > 2), default=0)
    hi = max(max(r[1:]) for r in rows)
    cells = columns - lw - (vw + (mw + 2 if mw else 0)) - 3
    lines = []
    for r in rows:
        line = r[0] + " " * (lw - width(r[0])) + " "
        line += bar(r[1], hi, cells, r[2] if len(r) > 2 else None)
        line += " " + str(r[1]).rjust(vw)
        if len(r) > 2:
            line += " \u2502" + str(r[2]).rjust(mw)
        lines.append(line)
    return lines


if __name__ == "__main__":
    for l in chart([("a", 1), ("bb", 2), ("\u5f20", 4)]):
        print("> " + l)
    print()
    for l in chart([("a", 1, 2), ("bb", 4, 3)]):
        print("> " + l)
    print()
    for l in chart([("x", 4)]):
        print("> " + l)
