"""`budget-xl diff` in the terminal: the two sides and their check results first, then a summary
per table (rows changed, added, removed, 增减), the 三公 comparison and the largest changes that
need an explanation (the same money shown in several tables once)."""
from __future__ import annotations

from decimal import Decimal

from ..diff.compare import STATUSES, Comparison, Line
from ..money import fmt, round_half_up
from ..text import aligned

CHECK_SHOWN = 5   # check errors listed per side; the rest are counted


def percent(rate: Decimal | None) -> str:
    """'-72.41%'; '' without a rate (上年 0)."""
    return "" if rate is None else f"{round_half_up(rate):.2f}%"


def signed(amount: Decimal | None) -> str:
    return "" if amount is None else ("+" if amount > 0 else "") + fmt(amount)


def rule_text(c: Comparison) -> str:
    o = c.options
    if c.mode == "versus":
        return f"需说明：完成年初预算的比例低于 {o.band[0]}% 或高于 {o.band[1]}%，或没有年初预算而有决算支出"
    return (f"需说明：|增减率| ≥ {o.threshold}% 且 |增减额| ≥ {o.amount} 万元（上年为 0 时只看增减额）；"
            f"“三公”经费有变动即需说明")


def heading(c: Comparison) -> list[str]:
    """Who is compared with whom, the unit and rule, warnings and each side's check result."""
    b, a = c.before, c.after
    dept = a.disclosure.department or b.disclosure.department or "部门未写明"
    what = "预算与决算对比" if c.mode == "versus" else "对比"
    lines = [f"{what}：{b.title} → {a.title}（{dept}）",
             f"  {c.labels[0]}：{b.disclosure.path}", f"  {c.labels[1]}：{a.disclosure.path}",
             f"金额单位：{c.unit}。{rule_text(c)}。"]
    lines += [f"注意：{w}" for w in c.warnings]
    return lines + check_lines(c)


def check_lines(c: Comparison) -> list[str]:
    """Each side's `check` result; errors listed (the first few), the diff made all the same."""
    lines = []
    for side, label in ((c.before, c.labels[0]), (c.after, c.labels[1])):
        r = side.report
        if not r.errors:
            lines.append(f"校验（{label}，{side.name}）：没有错误。")
            continue
        lines.append(f"校验（{label}，{side.name}）：有 {r.errors} 处错误，对比照常生成，但涉及的数字可能前后不一致：")
        errors = [f for f in r.findings if f.level == "error"]
        lines += [f"  [{f.rule}] {f.message}" for f in errors[:CHECK_SHOWN]]
        if len(errors) > CHECK_SHOWN:
            lines.append(f"  ……共 {len(errors)} 处，全部见 budget-xl check {side.disclosure.path}")
    return lines


def diff_text(c: Comparison, top: int = 20) -> str:
    lines = heading(c)
    if c.mode == "versus":
        lines += _versus(c, top)
    else:
        lines += _years(c, top)
    return "\n".join(lines) + "\n"


def _years(c: Comparison, top: int) -> list[str]:
    lines = ["", "各表变动（行数）与合计增减额："]
    table = [["表", "表名", *STATUSES, "需说明", "合计增减额", "增减率"]]   # counts of rows
    for t in c.tables:
        total = t.total
        table.append([t.code, t.title, *[str(t.counts.get(s, 0)) for s in STATUSES], str(t.flagged_rows),
                      signed(total.change) if total else "", percent(total.rate) if total else ""])
    lines += aligned(table, left=2)
    for t in c.tables:
        lines += [f"  {t.code}：{note}" for note in t.notes]
    for t in c.tables:
        if t.sangong:
            lines += ["", f"“三公”经费（{t.code}，金额单位：{t.unit}）："]
            rows = [["项目", *c.labels, "增减额", "增减率"]]
            rows += [["  " * s.indent + s.label, fmt(s.before), fmt(s.after), signed(s.change), percent(s.rate)]
                     for s in t.sangong]
            lines += aligned(rows)
    distinct = c.distinct_flagged()
    lines.append("")
    if not distinct:
        lines.append("没有需要说明的变动。")
        return lines
    shown = distinct[:top]
    lines.append(f"需说明的变动：共 {len(distinct)} 处（同一笔数在几张表中出现只计一次），按增减额绝对值从大到小"
                 + (f"，列出前 {len(shown)} 处（全部见 -o 工作簿或 --format json）：" if len(shown) < len(distinct) else "："))
    for i, (line, also) in enumerate(shown, 1):
        lines.append(f"  {i:>2}. {describe(line)}")
        if also:
            lines.append(f"      同见：{c.also_text(line, also)}")
    return lines


def describe(line: Line) -> str:
    """'附表7「合计」合计：9,219.89 → 2,543.65，增减 -6,676.25（-72.41%），变动'."""
    rate = f"（{percent(line.rate)}）" if line.rate is not None else ""
    note = f"，{line.note}" if line.note else ""
    return (f"{line.table}「{line.label}」{line.column_label}：{fmt(line.before) or '—'} → {fmt(line.after) or '—'}，"
            f"增减 {signed(line.change)}{rate}，{line.status}{note}")


def _versus(c: Comparison, top: int) -> list[str]:
    lines: list[str] = []
    for s in c.sections:
        lines += ["", f"{s.title}（{s.sources[0]} ↔ {s.sources[1]}，金额单位：{s.unit}）："]
        lines += [f"  {note}" for note in s.notes]
        if not s.lines:
            continue
        rows = [["科目", "年初预算", "决算", "完成年初预算", "决算−预算", "需说明"]]
        for ln in s.lines[: max(top, 1)]:
            rows.append(["  " * ln.indent + ln.label, fmt(ln.budget), fmt(ln.final), percent(ln.completion),
                         signed(ln.difference), ln.flag])
        lines += aligned(rows)
        if len(s.lines) > top:
            lines.append(f"  ……共 {len(s.lines)} 行，全部见 -o 工作簿或 --format json")
    flagged = [ln for s in c.sections for ln in s.lines if ln.flag]
    lines += ["", f"需说明（决算数与年初预算差异较大）：共 {len(flagged)} 行。" if flagged else "没有需要说明的差异。"]
    return lines
