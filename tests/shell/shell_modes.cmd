# Output modes of build/territory (shell/output.c) and display-width
# alignment (shell/width.c).  Every expectation below is written by hand:
# widths count 2 for Chinese/fullwidth characters and 0 for combining marks.

# list is the default when stdout is not a terminal, like sqlite3
$ $TERRITORY :memory: "select 1 as a, 'x' as b"
> 1|x
$ $TERRITORY --headers :memory: "select 1 as a, 'x' as b"
> a|b
> 1|x

# box: numbers right-aligned, text left; 张三 is 4 columns wide like "name"
$ $TERRITORY --box :memory: "select 1 as id, '张三' as name union all select 22, 'Bob'"
> ┌────┬──────┐
> │ id │ name │
> ├────┼──────┤
> │  1 │ 张三 │
> │ 22 │ Bob  │
> └────┴──────┘
# mixed widths: 王小明 = 6 columns, café = 4, ＡＢ = 4
$ $TERRITORY --box :memory: "select '王小明' as who, 1 as n union all select 'café', 22 union all select 'ＡＢ', 333 union all select 'ab', 4"
> ┌────────┬─────┐
> │ who    │ n   │
> ├────────┼─────┤
> │ 王小明 │   1 │
> │ café   │  22 │
> │ ＡＢ   │ 333 │
> │ ab     │   4 │
> └────────┴─────┘
$ $TERRITORY --table :memory: "select 1 as id, '张三' as name union all select 22, NULL"
> +----+------+
> | id | name |
> +----+------+
> |  1 | 张三 |
> | 22 |      |
> +----+------+
$ $TERRITORY --markdown :memory: "select 1 as id, '张三' as name, 'a|b' as t"
> | id | name | t    |
> |---:|------|------|
> |  1 | 张三 | a\|b |
# headers off in box mode
$ $TERRITORY --box --noheaders :memory: "select 'x' as a"
> ┌───┐
> │ x │
> └───┘

# csv: RFC 4180 quoting; NULL is an empty field, '' is "" (reads back)
# reals in full precision
$ $TERRITORY --csv :memory: "select 1 as a, 'x,y' as b, 'say \"hi\"' as c, null as d, '' as e, 0.1+0.2 as f"
> a,b,c,d,e,f
> 1,"x,y","say ""hi""",,"",0.30000000000000004
$ $TERRITORY --csv :memory: "select 'two'||char(10)||'lines' as t, 2.0 as r"
> t,r
> "two
> lines",2.0
# tsv: tab, newline and backslash escaped
$ $TERRITORY --tsv :memory: "select 'x'||char(9)||'y' as a, 'l1'||char(10)||'l2' as b, 'back\slash' as c"
> a	b	c
> x\ty	l1\nl2	back\\slash
# json: numbers as numbers, NULL as null, escapes, UTF-8 kept
$ $TERRITORY --json :memory: "select 1 as n, 1.5 as r, 'a\"b\' as s, null as z, '张' as c, char(10) as nl"
> [{"n": 1, "r": 1.5, "s": "a\"b\\", "z": null, "c": "张", "nl": "\n"}]
$ $TERRITORY --json :memory: "select 1 as n union all select 2"
> [{"n": 1},
>  {"n": 2}]
$ $TERRITORY --json :memory: "select 1 as n where 0"
> []
$ $TERRITORY --json :memory: "select 0.1+0.2 as x"
> [{"x": 0.30000000000000004}]
# line: names right-aligned by display width
$ $TERRITORY --line :memory: "select 1 as id, '张三' as name union all select 2, 'Li'"
>   id = 1
> name = 张三
>
>   id = 2
> name = Li

# reals for people: 15 significant digits, no 0.30000000000000004 noise
$ $TERRITORY :memory: "select 0.1+0.2, 2.0, 1.0/3, -0.5, 1e20"
> 0.3|2.0|0.333333333333333|-0.5|1e+20
$ $TERRITORY --box :memory: "select 0.1+0.2 as x"
> ┌─────┐
> │ x   │
> ├─────┤
> │ 0.3 │
> └─────┘

# .mode switches; .mode alone names the mode
$ $TERRITORY :memory: ".mode csv" ".headers off" "select 'a b', 1" ".mode" ".mode json" ".mode"
> a b,1
> csv
> json
$ $TERRITORY :memory: ".mode nosuch"
? 1
! error: line 1: .mode: unknown mode nosuch
# .nullvalue
$ $TERRITORY :memory: ".nullvalue (null)" "select null, 1"
> (null)|1
# .maxrows: the footer says how many rows were left out
$ $TERRITORY :memory: ".maxrows 2" "with recursive c(x) as (select 1 union all select x+1 from c where x<5) select x from c"
> 1
> 2
> ... 3 more rows not shown (.maxrows 2)
$ $TERRITORY --box :memory: ".maxrows 1" "select 1 as x union all select 2"
> ┌───┐
> │ x │
> ├───┤
> │ 1 │
> └───┘
> ... 1 more row not shown (.maxrows 1)
$ $TERRITORY :memory: ".maxrows 3" "select 1 union all select 2"
> 1
> 2
# csv/json keep their output clean: the footer goes to stderr
$ $TERRITORY --csv --noheaders :memory: ".maxrows 1" "select 1 union all select 2"
> 1
! 1 more row not shown
$ $TERRITORY :memory: ".maxrows -1"
? 1
! usage: .maxrows N

# long results stream in list/csv/json/line modes: all rows arrive, in order
$ $TERRITORY --json :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<20000) select x from c" | sed -n '1p;2p;20000p'
> [{"x": 1},
>  {"x": 2},
>  {"x": 20000}]
$ $TERRITORY --csv :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<30000) select x, x * 2 as y from c" | awk -F, 'NR > 1 && ($1 != NR - 1 || $2 != 2 * $1) { bad++ } END { print NR, bad + 0 }'
> 30001 0
$ $TERRITORY --line :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<300) select x from c" | sed -n '1p;2p;3p;599p'
> x = 1
>
> x = 2
> x = 300
# maxrows with a streaming mode: the footer counts the rest
$ $TERRITORY :memory: ".maxrows 300" "with recursive c(x) as (select 1 union all select x+1 from c where x<1000) select x from c" | tail -2
> 300
> ... 700 more rows not shown (.maxrows 300)
# a chart of a result too long to keep is refused, not drawn from a part
$ $TERRITORY --csv :memory: "with recursive c(x) as (select 1 union all select x+1 from c where x<20000) select 'a' || x, x from c" ".chart bar" > /dev/null
? 1
! a chart takes at most 10000
