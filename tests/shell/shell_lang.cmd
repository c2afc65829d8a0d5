# .lang zh|en (issue 16): headers, status words and report titles in the
# deck's Chinese terms; csv/json keep English unless asked (.lang zh all)
$ $TERRITORY :memory: ".lang"
> en
$ $TERRITORY --line :memory: ".lang zh" "select 100 as target, 80 as actual, 0.8 as achievement, 0.83 as time_progress, 'behind' as status, 'Li' as owner"
>     目标 = 100
>     实际 = 80
>   达成率 = 0.8
> 时间进度 = 0.83
>     状态 = 落后
>   负责人 = Li
$ $TERRITORY --csv :memory: ".lang zh" "select 'behind' as status"
> status
> behind
$ $TERRITORY --json :memory: ".lang zh all" "select 'on_track' as status"
> [{"状态": "正常"}]
$ $TERRITORY --box :memory: ".lang zh" "select 1 as target where 0"
> (无数据)
$ $TERRITORY :memory: ".lang zh" ".lang en" "select 'behind' as status"
> behind
$ $TERRITORY :memory: ".lang fr"
? 1
! usage: .lang
# a report's title, in the people modes
$ $TERRITORY --demo ".lang zh" ".maxrows 1" ".report progress" | head -1
> 达成进度 (progress)
# the database's setting shell.lang, and $TERRITORY_LANG
$ d=$(mktemp -d) && $TERRITORY $d/x.db ".init" "insert into settings(key, value) values ('shell.lang', 'zh')" && $TERRITORY --line $d/x.db "select 'ahead' as status"; rc=$?; rm -rf $d; exit $rc
> 状态 = 领先
$ TERRITORY_LANG=zh $TERRITORY --line :memory: "select 1 as gap" ".show" | head -1
> 缺口 = 1
