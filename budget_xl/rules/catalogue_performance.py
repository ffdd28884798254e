"""The built-in rules of the 绩效 forms (their identities are the templates' own: JX01-01 …). Kept
beside catalogue.py, which lists them with the others (one catalogue, one IDENTITIES.md)."""
from __future__ import annotations

from .catalogue_types import Rule

PERFORMANCE_RULES: tuple[Rule, ...] = (
    Rule("perf-missing", "缺块", "绩效表应有资金块和指标表",
         "一张绩效表找不到它的资金块（项目总额、全年预算数……）或指标表时报出（警告），其余照常核对。",
         {"missing": "工作表“{sheet}”的{form}没有{what}，{blocks}无法核对"}),
    Rule("perf-missed-full", "未达标满分", "定量指标未达到指标值时不应得满分",
         "定量指标（指标值、实际完成值都是数）按指标性质（≥ ≤ =）未达到指标值，却得了全部分值时报出（警告）。",
         {"full": "{form}“{indicator}”：指标值 {nature}{target}，实际完成 {actual}，未达到，却得了满分 {score}"}),
    Rule("perf-qualitative", "定性得分", "定性指标的得分应在其完成档次的分值区间内",
         "实际完成值是“达成”“部分达成”“未达成”一类文字时，得分应在模板 qualitative 所列档次的分值比例内"
         "（财预〔2020〕10号：达成 80%–100%，部分达成 60%–80%，未达成 0–60%）。",
         {"band": "{form}“{indicator}”：完成情况为“{actual}”，得分应在分值 {weight} 的 {low}%–{high}% 之间"
                  "（{lo}–{hi} 分），实为 {score}"}),
    Rule("perf-deviation", "偏差未说明", "偏差较大的指标应写明偏差原因",
         "实际完成值偏离指标值超过模板 deviation_note（如 30%，含未达标和超标）而偏差原因一栏为空时报出（警告）。",
         {"blank": "{form}“{indicator}”：指标值 {target}，实际完成 {actual}，偏差 {deviation}%，超过 {limit}%，"
                   "应写明偏差原因和改进措施"}),
    Rule("perf-zero-grade", "零执行高分", "预算没有执行的项目不应评为优",
         "执行率为 0（或全年预算数为 0）而总分在 90 分以上或自评等级为“优”时报出（警告）。",
         {"zero": "{form}：{what}，总分却为 {score}{grade}"}),
    Rule("perf-unit-slip", "金额与指标", "项目金额与其成本、数量指标相称",
         "成本指标以元、万元计（或单位成本 × 数量）算出的金额与项目总额相差千倍、万倍时报出（警告）：多半是元与万元写混了。",
         {"slip": "{form}：{what}为 {figure} 万元，项目金额为 {amount} 万元，相差约 {ratio} 倍，可能是元与万元写混了"}),
    Rule("perf-nature", "指标性质", "指标性质应为 ≥、≤、=（或 定性）",
         "指标性质一栏写了别的文字时报出（警告）：多半是内容写错了栏。",
         {"odd": "{form}“{indicator}”的指标性质写的是“{nature}”，应为 ≥、≤、= 或 定性"}),
    Rule("perf-money", "绩效与项目支出", "绩效表的项目金额与项目支出表的同一项目一致",
         "每张项目绩效表的项目总额和各资金来源，与公开表中同一单位同一项目的一行（附表12 等，按模板 against）相等；"
         "元与万元按四舍五入比较。",
         {"differs": "{form}的{what} {stated} 万元，{table}中该项目为 {expected} 万元（{raw}），相差 {difference} 万元",
          "rounding": "{form}的{what} {stated} 万元，{table}中该项目为 {raw}，四舍五入应为 {expected} 万元（尾数误差）"}),
    Rule("perf-unmatched", "无对应项目", "每张项目绩效表对应项目支出表的一个项目，每个项目都有绩效表",
         "绩效表的项目在项目支出表中找不到（同一单位、名称相同或相近），或项目支出表中有金额的项目没有绩效表时报出（警告）。",
         {"no_row": "{form}：{table}中{unit}没有这个项目",
          "no_form": "{table}中{unit}的项目“{name}”（{amount} 元）没有绩效目标表"}),
    Rule("perf-name", "项目名称", "绩效表与项目支出表的项目名称一致",
         "按相近的名称对上的项目，两处写法不同时报出（警告）。",
         {"differs": "{form}的项目名称与{table}中的“{other}”（{cell}）写法不同"}),
    Rule("perf-dept", "部门整体与公开表", "部门整体绩效目标的金额与部门（单位）的公开表一致",
         "部门整体预算总额、财政拨款、基本支出、项目支出，与公开表中该部门（或单位）一行的相应金额（按模板 against）相等；"
         "元换算成万元后，差在两个四舍五入的数之和的误差以内报为尾数误差。",
         {"differs": "{form}的{what} {stated} 万元，公开表中{who}为 {expected} 万元（{source}），相差 {difference} 万元",
          "rounding": "{form}的{what} {stated} 万元，公开表中{who}为 {raw} 元，四舍五入为 {expected} 万元（尾数误差）"}),
    Rule("perf-sum", "绩效合计", "各绩效表的金额之和与公开表的合计一致",
         "各项目绩效表某一金额之和（如自评表的全年执行数）与公开表中的合计（如决算的项目支出）比较（按模板 against；"
         "只评了部分项目时可能不等，故多为警告）。",
         {"differs": "{count} 张{forms}的{what}之和为 {stated} 万元，{source} 为 {expected} 万元，相差 {difference} 万元",
          "rounding": "{count} 张{forms}的{what}之和为 {stated} 万元，{source} 为 {expected} 万元（尾数误差）"}),
    Rule("perf-text", "绩效说明", "情况说明中的绩效数字与绩效表一致",
         "情况说明绩效部分的项目个数、涉及资金、占比，以及写到某个项目的得分、预算数、执行数、完成比例，按绩效表核对。",
         {"differs": "「{sentence}」中{what}写为 {stated}，绩效表为 {expected}",
          "rounding": "「{sentence}」中{what}写为 {stated}，绩效表之和为 {expected}（尾数误差）"}),
)
