/*
** lang.c -- the words a person reads, in English or Chinese (.lang zh|en).
**
**   lang_term("achievement")  -> "达成率"   (NULL: no translation)
**   lang_title("progress")    -> "达成进度" (the report's Chinese title)
**
** Column headers of results and the status words reports print (behind,
** ahead, on_track, ...) are looked up here when the session's language is
** Chinese; the terms are the source deck's own (目标, 实际, 达成率, 时间进度,
** 进销存 ...).  Data is never changed: csv, tsv and json keep their stable
** English keys and values unless `.lang zh all` asks for them too.
** The session starts in the language of the setting shell.lang ('zh' or
** 'en') when the database has one, else of $TERRITORY_LANG, else English.
*/
#include "shell.h"

#include <stdlib.h>
#include <string.h>

typedef struct Term { const char *en, *zh; } Term;

/* Sorted by en (binary search). */
static const Term terms[] = {
    {"achievement", "达成率"},
    {"action", "行动"},
    {"actual", "实际"},
    {"ahead", "领先"},
    {"as_of", "截至"},
    {"avg_daily_sales", "日均销售"},
    {"baseline", "基线"},
    {"behind", "落后"},
    {"budget", "预算"},
    {"category", "类别"},
    {"children", "下级数"},
    {"children_sum", "下级合计"},
    {"class", "分类"},
    {"closing", "期末库存"},
    {"collected", "已回款"},
    {"collection_rate", "回款率"},
    {"company", "公司"},
    {"credit_limit", "信用额度"},
    {"current", "当期"},
    {"customer", "客户"},
    {"days_of_supply", "可销天数"},
    {"decile", "十分位"},
    {"department", "科室"},
    {"difference", "差额"},
    {"district", "地区"},
    {"doctor", "医生"},
    {"doctors", "医生数"},
    {"due_date", "到期日"},
    {"end", "结束"},
    {"expected", "预期"},
    {"focus", "重点"},
    {"forecast", "预测"},
    {"gap", "缺口"},
    {"growth", "增长"},
    {"headroom", "增长空间"},
    {"hospital", "医院"},
    {"inpatients", "住院病人"},
    {"level", "层级"},
    {"market_share", "市场份额"},
    {"metric", "指标"},
    {"missed", "未完成"},
    {"ok", "正常"},
    {"on_track", "正常"},
    {"opening", "期初库存"},
    {"outpatients", "门诊病人"},
    {"over_budget", "超预算"},
    {"over_limit", "超额度"},
    {"overdue", "逾期"},
    {"owner", "负责人"},
    {"pace", "进度差"},
    {"per_workday", "每工作日需完成"},
    {"period", "期间"},
    {"plan", "计划"},
    {"planned", "计划拜访"},
    {"potential", "潜力"},
    {"problems", "问题"},
    {"product", "产品"},
    {"quadrant", "象限"},
    {"rank", "排名"},
    {"rank_district", "地区排名"},
    {"rank_region", "大区排名"},
    {"receivables", "应收账款"},
    {"received", "进货"},
    {"region", "大区"},
    {"reported", "已报拜访"},
    {"returned", "退货"},
    {"rx", "处方数"},
    {"sales", "销售额"},
    {"score", "得分"},
    {"share", "份额"},
    {"sold", "销售"},
    {"spent", "已花费"},
    {"start", "开始"},
    {"status", "状态"},
    {"target", "目标"},
    {"territory", "区域"},
    {"time_progress", "时间进度"},
    {"total", "合计"},
    {"unit", "单元"},
    {"used", "使用率"},
    {"variance", "差异"},
    {"verified", "已核实"},
    {"visits", "拜访"},
    {"workday_progress", "工作日进度"},
    {"workdays_left", "剩余工作日"},
};

static const Term titles[] = {
    {"aging", "应收账龄"},
    {"agreements", "年购销协议"},
    {"coverage", "医院覆盖率"},
    {"credit", "信用政策"},
    {"deciles", "处方医生十分位"},
    {"decompose", "目标分解"},
    {"distributors", "商业客户选择"},
    {"inventory", "进销存动态卡"},
    {"pareto", "客户分类"},
    {"potential", "潜力分析"},
    {"progress", "达成进度"},
    {"quadrants", "医生四象限"},
    {"scorecard", "绩效评估"},
    {"smart", "SMART 目标检查"},
    {"spend", "费用与预算"},
    {"target_check", "目标一致性检查"},
    {"target_doctors", "目标医生"},
    {"visits", "拜访执行"},
};

static const char *look(const Term *t, size_t n, const char *en) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(t[mid].en, en);
    if (c == 0) return t[mid].zh;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

const char *lang_term(const char *en) {
  return en ? look(terms, sizeof terms / sizeof terms[0], en) : NULL;
}

const char *lang_title(const char *report) {
  return report ? look(titles, sizeof titles / sizeof titles[0], report) : NULL;
}

int lang_from_name(const char *s) {
  if (!s) return -1;
  if (!strcmp(s, "zh") || !strcmp(s, "cn") || !strcmp(s, "中文")) return LANG_ZH;
  if (!strcmp(s, "en")) return LANG_EN;
  return -1;
}

int lang_active(const Shell *sh) {
  if (sh->lang != LANG_ZH) return 0;
  int machine = sh->mode == MODE_CSV || sh->mode == MODE_TSV || sh->mode == MODE_JSON;
  return !machine || sh->lang_all;
}

const char *lang_name(const Shell *sh, const char *en) {
  const char *zh = lang_active(sh) ? lang_term(en) : NULL;
  return zh ? zh : en;
}
