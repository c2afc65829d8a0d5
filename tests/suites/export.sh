#!/bin/sh
# tests/suites/export.sh -- .excel, .html and .chart --svg read back by
# independent tools: openpyxl for the workbook, Python's html.parser and
# statistics for the page, headless Chromium for layout and pixels (see
# tests/suites/export_check.py).  Without Chromium the browser checks are
# counted as skipped.  Ends with "N passed, N failed, N skipped".
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$ROOT/tests/suites/export_check.py"
