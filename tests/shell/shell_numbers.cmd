# The shell reads numbers by the extension's one rule (ext/numtext.h):
# report parameters and chart values alike (issue 16).
# a report parameter: whole text is an integer, a number a real, else text
$ d=$(mktemp -d) && mkdir $d/r && printf -- "-- t: types\n-- param: v (required) a value\nSELECT typeof(:v), :v;\n" > $d/r/t.sql && for v in 12 1.5 1e3 0x10 inf 12abc "'12'"; do TERRITORY_REPORTS=$d/r $TERRITORY :memory: ".report t v=$v"; done; rc=$?; rm -rf $d; exit $rc
> integer|12
> real|1.5
> real|1000.0
> text|0x10
> text|inf
> text|12abc
> text|12
# a chart value in text: '0x10' and 'inf' are not numbers, so the column is not numeric
$ $TERRITORY :memory: "select 'a' as l, '0x10' as v union all select 'b', '3'" ".chart bar l v"
? 1
! needs a label column and a numeric value column
# (30 columns: label 1, value ' 2.5 ' 5, 3 blanks: 21 cells, all full)
$ COLUMNS=30 $TERRITORY :memory: "select 'a' as l, ' 2.5 ' as v" ".chart bar l v" | tail -1 | sed 's/ *$//'
> a █████████████████████  2.5
