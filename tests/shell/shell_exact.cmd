# Output that is exact for machines and safe for people (issue 16).

# csv reads back unchanged: text that looks like a number stays text, a
# real stays real, a blob stays a blob, NULL stays NULL, '' stays ''
$ d=$(mktemp -d) && cd $d && $TERRITORY --csv :memory: "select '12' as a, '1e3' as b, 1000.0 as c, 12 as d, x'00ff' as e, 'X''00FF''' as f, null as g, '' as h, '-0.5' as i" > t.csv && cat t.csv && $TERRITORY :memory: "create table t(a, b, c, d, e, f, g, h, i)" ".import t.csv t" "select quote(a), quote(b), quote(c), quote(d), quote(e), quote(f), quote(g), quote(h), quote(i) from t"; rc=$?; rm -rf $d; exit $rc
> a,b,c,d,e,f,g,h,i
> "12","1e3",1000.0,12,X'00FF',"X'00FF'",,"","-0.5"
> '12'|'1e3'|1000.0|12|X'00FF'|'X''00FF'''|NULL|''|'-0.5'

# the same through STRICT ANY columns and a round trip of real edge values
$ d=$(mktemp -d) && cd $d && $TERRITORY --csv :memory: "select 0.1 as a, 1e308 as b, -2.5e-300 as c, 9007199254740993 as d" > t.csv && $TERRITORY :memory: "create table t(a any, b any, c any, d any) strict" ".import t.csv t" "select a = 0.1, b = 1e308, c = -2.5e-300, d = 9007199254740993, typeof(d) from t"; rc=$?; rm -rf $d; exit $rc
> 1|1|1|1|integer

# terminal escapes never reach the screen: ESC as its picture, C1 (U+009B),
# a raw 0x9B byte and U+202E as U+FFFD, in every mode for people
$ $TERRITORY --list :memory: "select char(27) || '[31mred' || char(155) || char(8238) || 'x' as v, cast(x'9b41' as text) as w"
> ␛[31mred��x|�A
$ $TERRITORY --line :memory: "select char(27) || '[2J' as v"
> v = ␛[2J
$ $TERRITORY --box :memory: "select char(27) || ']0;pwned' || char(7) as v"
> ┌────────────┐
> │ v          │
> ├────────────┤
> │ ␛]0;pwned␇ │
> └────────────┘
$ $TERRITORY --markdown :memory: "select char(8238) || 'abc' as v"
> | v    |
> |------|
> | �abc |
$ $TERRITORY --json :memory: "select char(27) || char(155) || char(8238) as v"
> [{"v": "\u001b\u009b\u202e"}]
# column names too, and error messages that quote a value
$ $TERRITORY --list --headers :memory: "select 1 as \"a$(printf '\033')[1m\""
> a␛[1m
> 1
$ $TERRITORY --demo ".report progress territory=\"$(printf '\033')[2Jx\""
? 1
! error: line 1: progress: no unit ␛[2Jx

# an empty result is said in the modes for people, not in csv/json
$ $TERRITORY --box :memory: "select 1 as a where 0"
> (no rows)
$ $TERRITORY --line :memory: "select 1 as a where 0"
> (no rows)
$ $TERRITORY --csv :memory: "select 1 as a where 0"
> a
$ $TERRITORY --json :memory: "select 1 as a where 0"
> []
$ $TERRITORY :memory: ".param list"
> (no parameters; .param set NAME VALUE)
