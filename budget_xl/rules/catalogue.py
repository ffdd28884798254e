"""The catalogue of built-in rules: every check budget-xl makes besides the identities a template
writes out. Each rule has a stable id (what JSON findings and programs key on), a short Chinese
name (what the text report shows), a statement, a description, and the message templates its
findings are written from — all in this one place. The rules table of templates/IDENTITIES.md is
generated from it (`budget-xl templates --identities`; a test keeps it current).

A template identity (YS07-01, JS05-02 …) is its own rule: its id is the template's id.
"""
from __future__ import annotations

from .catalogue_performance import PERFORMANCE_RULES
from .catalogue_types import Rule

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- structure of a table
    Rule("col-sum", "列合计", "合计、小计列等于其各组成列之和",
         "模板中带 sum_of 的列（合计 = 财政拨款 + 事业收入 + …，小计 = 人员经费 + 公用经费），在每一行上成立。"),
    Rule("row-formula", "行公式", "模板的行公式在每一行上成立",
         "模板 row_identities 中的列间公式（如 年初结转 + 本年收入 = 本年支出 + 年末结转），逐行核对。"),
    Rule("class-sum", "层级", "类等于其下各款之和，款等于其下各项之和",
         "支出功能分类、经济分类科目行：在每个单位内，有下级的科目等于其下级之和，逐列核对。"),
    Rule("unit-sum", "单位汇总", "单位行等于本单位各类科目（或项目）之和", "有单位行的表，逐列核对。"),
    Rule("dept-sum", "部门汇总", "部门行等于所属各单位之和", "有部门行的表，逐列核对。"),
    Rule("total-row", "合计行", "合计行等于各部门（单位、类、项目）之和", "逐列核对；没有部门、单位行的表按类相加。"),
    Rule("percent", "百分比", "百分比列（增长%、增减率、完成预算%）等于按本行金额重算的结果",
         "模板中 role: percent 的列，按 percent 所写的分子、分母（如 (本年 − 上年) / 上年 × 100）逐行重算，四舍五入到印出的小数位后"
         "应与印出的相同；差在印出的最后一位的半个单位内、或可由金额本身的尾数（整万元表每个金额 ±0.5 万元）解释的，报尾数误差；"
         "分母为 0 时应空着或写“—”。印的是数字时，也按 Excel 百分比格式（0.123 显示为 12.3%）理解。",
         {"wrong": "{table}「{label}」{column}（{cell}）印为 {stated}%，按{formula}重算为 {exact}%，应印 {expected}%",
          "rounding": "{table}「{label}」{column}（{cell}）印为 {stated}%，按印出的金额重算为 {exact}%（应印 {expected}%）；"
                      "金额各有 ±{half} {unit} 的尾数，可在 {low}%～{high}% 之间，差异在尾数误差范围内",
          "zero_base": "{table}「{label}」{column}（{cell}）：{base}为 0，无从计算百分比，应空着或写“—”，而印了 {stated}%"}),
    Rule("fixed-row", "固定行", "收支总表等固定行表中，小计、合计、总计行等于所列各行之和",
         "模板固定行的 sum_of（本年收入合计 = 各项收入之和，收入总计 = 本年收入合计 + 上年结转……），逐列核对。"),
    # ---------------------------------------------------------------- the workbook as a whole
    Rule("missing-table", "缺表", "公开表应齐全",
         "模板中的表在工作簿中找不到时报出，并列出因此无法核对的审核公式。",
         {"missing": "{code} {title} 缺失", "blocks": "，无法核对：{rules}"}),
    Rule("read", "读取", "工作簿中的每个金额都能读出",
         "读表时发现的问题：金额格里是文字、公式没有保存计算结果、找不到某一列、一行出现两次等。",
         {"note": "{message}"}),
    Rule("unread", "未读", "工作簿中每个金额单元格都读入了某张表的某一行、某一列",
         "表所在工作表上的数字，凡不在表头、编码、行次、序号中的，都应读入；没读入的（模板没有的列、对不上的行、"
         "没认出的并排栏）按工作表列出，以免漏读的数字不经核对。",
         {"cells": "工作表“{sheet}”有 {count} 个金额单元格没有读入：{cells}。它们不在任何表的已知行、列中，未经核对"
                   "（可能是模板没有的列或行、表头写法不同）；请用 budget-xl show 查看读到的内容，必要时用 --template 指定模板"}),
    Rule("cannot-check", "无法核对", "审核公式所需的列、行都在工作簿中",
         "公式要用到的列或合计、固定行在工作簿中找不到时，这些公式不核对（绝不把缺的当作 0），并报出缺什么、挡住了哪些公式。",
         {"blocked": "{table} 没有{what}，无法核对：{rules}"}),
    Rule("missing-row", "缺行", "一张表列出的科目，与之对应的表也应列出",
         "两表按行（科目、单位）对应的公式中，一边有数、另一边没有这一行时，报为另一边缺行，而不是把有数的一格当作错的。",
         {"missing": "{absent}：{statement}，而{present}为 {amount}；请在该表补上这一行（或核对有数的一边）"}),
    Rule("misplaced-column", "错列", "每列金额印在它自己的表头下",
         "一张表的一整列金额印在了别的表头下（或两列对调），使几条公式同时不成立：把该列移回应属的列后这些公式都成立、"
         "且不破坏其他公式时，报为一处错误，指出表头单元格和该列。",
         {"moved": "{table} {column} 列（“{a}”）的金额应属于“{b}”列：这样 {rules} 都成立。请核对该列的表头",
          "absent": "{table} {column} 列（“{a}”）的金额应属于“{b}”，而本表没有印出“{b}”列：这样 {rules} 都成立。"
                    "请核对该列的表头",
          "swapped": "{table} “{a}”与“{b}”两列的金额对调了：对调回来后 {rules} 都成立"}),
    Rule("foreign-table", "整表不符", "每张表与其他表取自同一年度、同一版本",
         "一张表本身各项相加无误，却与其他表的大部分核对公式（至少 3 条、过半）都不符：多半是整张表取自另一年度或另一版本。"
         "报为一处错误，指出该表，不把其他表的正确单元格逐一报错。",
         {"foreign": "{table}（{title}）本身各项相加无误，但与其他表的 {total} 条核对公式中有 {failed} 条不符（{rules}）："
                     "整张表可能取自另一年度或另一版本，请核对整张表的数据来源"}),
    Rule("decimals", "小数位", "金额最多两位小数（到分）", "金额格的数值超过两位小数时报出（显示四舍五入会掩盖它）。",
         {"too_many": "{table}「{label}」的金额 {value} 超过两位小数"}),
    # ---------------------------------------------------------------- classification codes
    Rule("code-order", "编码层级", "款应列在其类之下、项应列在其款之下",
         "科目按编码排列时，每个款、项都应紧随其上级科目（编码前缀）之后。",
         {"misplaced": "{table}「{label}」编码 {code} 应在 {parent} 之下，但{where}",
          "after": "上一级是 {seen}", "orphan": "前面没有它的上级科目"}),
    Rule("code-list", "编码表", "科目编码应在当年的科目表中",
         "导入了当年官方科目表（budget-xl codes import）时，表中没有的编码为警告；只有随附的不完整科目表时为提示。",
         {"official": "{table}「{label}」：编码 {code} 不在已导入的 {year} 年科目表中",
          "bundled": "{table}「{label}」：编码 {code} 不在随附的（不完整的）科目表中，"
                     "可用 budget-xl codes import 导入当年的官方科目表后再核对"}),
    Rule("code-name", "科目名称", "科目名称应与科目表一致", "同一编码在科目表中的名称与表中所写不同时报出（警告）。",
         {"differs": "{table}「{label}」：编码 {code} 在科目表中的名称是“{known}”"}),
    # ---------------------------------------------------------------- the narrative (check --narrative)
    Rule("text-table", "文表一致", "情况说明中的数字与表格一致",
         "情况说明中的每个金额、增减额、增减率、占比、完成年初预算的比例，按表格（及上年、年初预算工作簿）重新计算核对；"
         "列举各类、各项的部分不应遗漏；写到的项目，其金额与资金来源与项目支出表一致。",
         {"amount": "「{sentence}」中{figure}写为 {stated} 万元，表中为 {expected} 万元（相差 {difference} 万元）。",
          "budget": "「{sentence}」中{figure}的年初预算写为 {stated} 万元，预算表中为 {expected} 万元。",
          "change": "「{sentence}」中{figure}比上年{word} {stated} 万元，按两年表格应为{expected_words}。",
          "ratio": "「{sentence}」中{figure}的{what}写为 {stated}%，按表中数应为 {expected}%。",
          "project_amount": "「{sentence}」中{project}写为 {stated} 万元，{table}中该项目为 {expected} 万元。",
          "project_source": "「{sentence}」中{project}的资金来源写为{said}，但{table}中该项目的{said}为 0："
                            "其资金为{where}。",
          "project_source_part": "「{sentence}」中{project}的资金来源只写了{said}，{table}中该项目的资金为{where}。",
          "omitted": "情况说明中没有写到{item}（{code}，表中 {amount} 万元）：该部分应逐项说明，不应遗漏。",
          "nothing": "情况说明中没有找到可以和表格核对的金额或百分比：请确认给的是本部门本年的情况说明，"
                     "且各部分标题与官方结构一致。"}),
    Rule("text-self", "文内一致", "情况说明前后一致",
         "同一段话内增减额与增减率的方向、大小相符；按恒等式相等的两个数（收入与支出）所述的增减能推出同一个上年数。",
         {"contradiction": "「{sentence}」与「{other}」自相矛盾：{figure}与{same_as}本年相等，上年也应相等，"
                           "但按所述增减额推出的上年数分别为 {implied} 万元和 {other_implied} 万元。",
          "contradiction_also": "这也使它与「{sentence}」自相矛盾：{figure}与{same_as}本年相等，上年也应相等，"
                                "但按所述增减额推出的上年数分别为 {implied} 万元和 {other_implied} 万元。",
          "both_words": "「{sentence}」中“增长下降”自相矛盾：应只写“增长”或“下降”。",
          "direction": "「{sentence}」中增减额与增减率方向相反。",
          "rate": "「{sentence}」中增减率 {stated}% 与增减额不符：按本年 {current} 万元、增减额 {delta} 万元，应为 {expected}%。"}),
    Rule("text-rounding", "尾数", "情况说明中的万元数按四舍五入",
         "文中金额等于表中数直接截去尾数（而非四舍五入）时报为警告，同一写法只报一次；"
         "几个万元数之和（或两年之差）与表中数相差在尾数误差范围内时报为尾数误差。",
         {"truncated": "「{sentence}」中{figure}写为 {stated} 万元：表中为 {exact} 万元，四舍五入应为 {expected} 万元"
                       "（文中是直接截去尾数）。",
          "envelope": "「{sentence}」中{figure}写为 {stated} 万元，表中四舍五入为 {expected} 万元：它是 {parts} 个万元数之和，"
                      "差额在尾数误差范围（±{envelope} 万元）内。",
          "change": "「{sentence}」中{figure}比上年{word} {stated} 万元，按两年表格为{expected_words}：差额在尾数误差范围内。",
          "repeated": "文中共 {count} 处。"}),
) + PERFORMANCE_RULES   # the 绩效 forms' (catalogue_performance.py)

BY_ID = {rule.id: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return BY_ID[rule_id]


def message(rule_id: str, kind: str, **fields: object) -> str:
    """A finding's message from its rule's template."""
    return BY_ID[rule_id].messages[kind].format(**fields)


def rule_id_of(name: str) -> str:
    """The stable id of a finding's rule: a built-in rule by its name ("列合计", "行公式:YS01"), else
    the template identity's own id."""
    if name in BY_NAME:
        return BY_NAME[name].id
    if name.startswith(BY_ID["row-formula"].name + ":"):
        return "row-formula"
    return name


def rules_markdown() -> str:
    """The table of built-in rules for templates/IDENTITIES.md."""
    lines = ["## 内置规则", "", "除模板中逐条写出的审核公式外，budget-xl 还按下列规则核对（`编号` 即 JSON 结果中的 `rule_id`）。", "",
             "| 编号 | 名称 | 应成立 | 说明 |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.name} | {r.statement} | {r.description} |" for r in RULES]
    return "\n".join(lines) + "\n"
