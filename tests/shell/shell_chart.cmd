# .chart bar (issue 16): negative values grow left of a zero line (worked by
# hand: COLUMNS=40, label 1 + value 2 + 3 leaves 34 cells; 0 sits at
# 5/15 of them = 11 cells from the left, 22 to its right)
$ COLUMNS=40 $TERRITORY :memory: "select 'a' as l, 10 as v union all select 'b', -5" ".chart bar" | tail -2
> a            ┊██████████████████████ 10
> b ███████████┊                       -5
# REAL labels are shown, and +-1e308 does not overflow the scale (27
# cells: 0 at the middle, 14 left, 12 right)
$ COLUMNS=40 $TERRITORY :memory: "select 1.5 as l, 1e308 as v union all select 2.5, -1e308" ".chart bar" | tail -2
> 1.5               ┊████████████  1e+308
> 2.5 ██████████████┊             -1e+308
# a chart of a result cut by .maxrows says so
$ COLUMNS=40 $TERRITORY :memory: ".maxrows 2" "select 'a' as l, 1 as v union all select 'b', 2 union all select 'c', 3" ".chart bar" | tail -1
> (the chart shows the first 2 of 3 rows: .maxrows 2)
# labels from the database cannot drive the terminal
$ COLUMNS=40 $TERRITORY :memory: "select 'x' || char(27) || '[2J' as l, 1 as v" ".chart bar" | tail -1 | od -c | grep -c 033
> 0
? 1
