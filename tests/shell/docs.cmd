# docs/reference.md is exactly what `make docs` produces now: every example's
# documented output is its real output.
$ TERRITORY_DEMO_DB=$B/demo.db $B/mkdocs --check docs/reference.md docs/src/*.md
