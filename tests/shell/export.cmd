# .excel, .html and .chart --svg: what they refuse, and that they write
# files (their contents are checked from outside by tests/suites/export.sh).
$ $TERRITORY --demo ".excel"
? 1
! usage: .excel FILE.xlsx [REPORT [k=v ...] ... | all [k=v ...]]
$ $TERRITORY --demo ".html"
? 1
! usage: .html FILE.html
$ $TERRITORY --demo ".excel /tmp/never-written.xlsx nosuch"
? 1
! .excel: no report named nosuch (reports: aging,
$ $TERRITORY --demo ".excel /tmp/never-written.xlsx as_of=2026-01 aging"
? 1
! .excel: as_of=2026-01: parameters follow the report they are for
$ $TERRITORY --demo ".html /tmp/never-written.html aging as_of=2026-13"
? 1
! aging: as_of must be a date YYYY-MM-DD or a period YYYY-MM, got 2026-13
$ $TERRITORY --demo ".excel /tmp/never-written.xlsx aging nosuch=1"
? 1
! .excel: report aging: unknown parameter 'nosuch' (parameters: as_of, unit, customer)
$ $TERRITORY --demo ".excel /tmp/never-written.xlsx all nosuch=1"
? 1
! .excel: no report of the pack takes nosuch
$ $TERRITORY --demo ".excel /tmp/never-written.xlsx decompose"
? 1
! .excel: report decompose: missing required parameter 'product'
$ $TERRITORY :memory: ".excel /tmp/never-written.xlsx"
? 1
! .excel: no result to write; run a query first, or name reports
$ $TERRITORY --demo ".excel /nonexistent/x.xlsx aging"
? 1
! .excel: cannot write /nonexistent/x.xlsx: No such file or directory
$ $TERRITORY --demo ".html /nonexistent/x.html aging"
? 1
! .html: cannot write /nonexistent/x.html: No such file or directory
$ $TERRITORY --demo "select 1" ".chart bar --svg"
? 1
> 1
! usage: .chart bar [LABEL VALUE [MARK]] --svg FILE
$ $TERRITORY --demo "select 1 as a, 2 as b" ".chart pie --svg /tmp/never-written.svg"
? 1
> 1|2
! usage: .chart bar
$ $TERRITORY --demo ".mode csv" ".report quadrants territory=111" ".chart quadrant --svg /tmp/never-written.svg" | head -1
> territory_id,territory,quadrant,focus,doctors,usage_cut,potential_cut,visits,visit_share,target_share,gap,action
! .chart quadrant --svg: the last result needs numeric usage and potential columns, one row per doctor
# a failed report writes no file at all
$ d=$(mktemp -d) && $TERRITORY --demo ".excel $d/a.xlsx aging progress as_of=nope"; ls $d; rm -rf $d
! progress: as_of
# written: a zip (xlsx), a page, an SVG
$ d=$(mktemp -d) && $TERRITORY --demo ".excel $d/p.xlsx all" ".html $d/p.html progress" ".once /dev/null" ".report scorecard" ".chart bar territory achievement --svg $d/s.svg" && head -c 2 $d/p.xlsx && echo && grep -c '<svg' $d/p.html && head -2 $d/s.svg | tail -1 | cut -c1-39; rm -rf $d
> PK
> 3
> <svg xmlns="http://www.w3.org/2000/svg"
