# Display widths (issue 16), by grapheme cluster from utf8proc; each
# expected width is from the Unicode data, worked by hand: a ZWJ family is
# one emoji (2), a flag is a pair of regional indicators (2), e + U+0301 is 1,
# unassigned U+0378 is 1 (not 2), 中 is 2, the jamo L+V+T make one syllable
# (2), U+200B takes 0, U+2764 U+FE0F (emoji presentation) 2, U+2764 alone 1.
# The box lines up only when all hold.
$ $TERRITORY --box :memory: "select 0 as i, char(0x1F468,0x200D,0x1F469,0x200D,0x1F467) as w union all select 1 as i, char(0x1F1E8,0x1F1F3) as w union all select 2 as i, char(0x65,0x301) as w union all select 3 as i, char(0x378) as w union all select 4 as i, char(0x4E2D) as w union all select 5 as i, char(0x1100,0x1161,0x11A8) as w union all select 6 as i, char(0x61,0x200B,0x62) as w union all select 7 as i, char(0x2764,0xFE0F) as w union all select 8 as i, char(0x2764) as w"
> ┌───┬────┐
> │ i │ w  │
> ├───┼────┤
> │ 0 │ 👨‍👩‍👧 │
> │ 1 │ 🇨🇳 │
> │ 2 │ é  │
> │ 3 │ ͸  │
> │ 4 │ 中 │
> │ 5 │ 각 │
> │ 6 │ a​b │
> │ 7 │ ❤️ │
> │ 8 │ ❤  │
> └───┴────┘
