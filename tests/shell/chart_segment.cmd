# .chart quadrant and the one quadrant rule (the schema's view doctor_segment).
# A row's own quadrant column is taken as it is: d1 is A by the cuts (20 >=
# 10, 50 < 100) but its column says D, so D counts it.
$ COLUMNS=60 $TERRITORY :memory: "select 20 as usage, 50 as potential, 10 as usage_cut, 100 as potential_cut, 'D' as quadrant union all select 20, 200, 10, 100, 'B'" ".chart quadrant" | tail -1
> A 0  B 1  C 0  D 1   (cuts: usage 10, potential 100; • one doctor, 2-9 several, + more)
# without a quadrant column the extension's quadrant() decides: on the cut is high
$ COLUMNS=60 $TERRITORY :memory: "select 10 as usage, 100 as potential, 10 as usage_cut, 100 as potential_cut union all select 9.99, 100, 10, 100 union all select 10, 99.9, 10, 100" ".chart quadrant" | tail -1
> A 1  B 1  C 1  D 0   (cuts: usage 10, potential 100; • one doctor, 2-9 several, + more)
# On the demo, 浦东 and 心脉宁 over 2026-08..10: the chart of doctor_segment
# counts what .report quadrants counts (7, 9, 7, 9: tests/gen/report_demo.py
# computes them from the CSVs; tests/sql/report_quadrants.test)
$ COLUMNS=60 $TERRITORY $B/demo.db "SELECT usage, potential, usage_cut, potential_cut, quadrant FROM doctor_segment WHERE period = '2026-10' AND product_id = 1 AND territory_id = 111" ".chart quadrant" | tail -1
> A 7  B 9  C 7  D 9   (cuts: usage 5.33, potential 181; • one doctor, 2-9 several, + more)
