"""`check`: every identity of a disclosure, evaluated by one engine, reported at its cells.

    report = budget_xl.rules.check(budget_xl.read("附表.xlsx"))
"""
from __future__ import annotations

from decimal import Decimal

from ..classification import parent
from ..codes import catalogue
from ..gcpause import without_cycle_collection
from ..model import CLASS, Disclosure
from ..text import norm
from .blame import explain, plain, rounding
from .engine import equations, skipped_identities
from .findings import LEVELS, Finding, Report

__all__ = ["check", "Finding", "Report"]

_NOTE_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@without_cycle_collection
def check(d: Disclosure) -> Report:
    findings: list[Finding] = []
    findings += _read_notes(d)
    findings += _structure(d)
    findings += _missing_tables(d, skipped_identities(d))
    # Pass 1 evaluates every equation and keeps only the failed ones' cells; pass 2 keeps the
    # equations around those cells, which is all that naming the wrong cell needs. Memory then
    # follows the mistakes, not the size of the workbook.
    suspects: set = set()
    for eq in equations(d, skip_holding=True):  # an equation that holds adds nothing to pass 1
        status = eq.evaluate()
        if status == "rounding":
            findings.append(rounding(eq))
        elif status == "fail":
            suspects.update(t.cell for t in eq.terms if t.cell is not None)
            if not any(t.cell is not None for t in eq.terms):
                findings.append(plain(eq))  # no cell to blame (values computed by fill)
    if suspects:
        nearby = []
        for eq in equations(d):
            if any(t.cell in suspects for t in eq.terms):
                eq.evaluate()
                nearby.append(eq)
        findings += explain([eq for eq in nearby if eq.status == "fail"], nearby)
    findings += _codes(d)
    order = {level: i for i, level in enumerate(LEVELS)}
    table_order = {code: i for i, code in enumerate(d.template.tables)}
    findings.sort(key=lambda f: (table_order.get(f.table, -1), order[f.level]))
    return Report(str(d.path), d.template.id, d.kind, d.department, d.year, findings)


def _read_notes(d: Disclosure) -> list[Finding]:
    return [Finding(_NOTE_LEVELS.get(n.level, "note"), "读取", "读取工作簿", n.message,
                    (n.table,) if n.table else (), [n.cell] if n.cell else [])
            for n in d.notes if n.level != "info" or n.cell]


def _structure(d: Disclosure) -> list[Finding]:
    out = []
    for table in d.tables.values():
        for row in table.rows:
            for column, value in row.amounts.items():
                if value is not None and value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
                    out.append(Finding("warning", "小数位", "金额最多两位小数（到分）",
                                       f"{table.code}「{row.label}」的金额 {value} 超过两位小数", (table.code,),
                                       [c for c in [row.cell(column)] if c]))
    return out


def _missing_tables(d: Disclosure, skipped) -> list[Finding]:
    out = []
    for code in d.missing:
        rules = [i.id for i in skipped if code in i.tables]
        title = d.template.tables[code].title
        message = f"{code} {title} 缺失" + (f"，无法核对：{'、'.join(rules)}" if rules else "")
        out.append(Finding("warning", "缺表", "公开表应齐全", message, (code,)))
    return out


def _codes(d: Disclosure) -> list[Finding]:
    """款 under its 类 and 项 under its 款; no code twice in a unit; names as in the code list."""
    out = []
    for table in d.tables.values():
        cls = table.spec.rows.classification
        if not cls:
            continue
        cat = catalogue(cls, d.year)
        parents: dict[str | None, dict[int, str]] = {}
        for row in table.rows:
            if row.kind != CLASS or not row.code:
                continue
            code = row.code
            stack = parents.setdefault(row.unit, {})
            above = parent(code)
            if above is not None:
                parent_seen = stack.get(len(code) - 2)
                if parent_seen != above:
                    where = f"上一级是 {parent_seen}" if parent_seen else "前面没有它的上级科目"
                    out.append(Finding("warning", "编码层级", "款应列在其类之下、项应列在其款之下",
                                       f"{table.code}「{row.label}」编码 {code} 应在 {above} 之下，但{where}",
                                       (table.code,), [c for c in [row.cell('label')] if c]))
            stack[len(code)] = code
            for longer in [k for k in stack if k > len(code)]:
                del stack[longer]
            known = cat.name(code)
            name = row.name or ""
            if known is None:
                if cat.official:
                    out.append(Finding("warning", "编码表", "科目编码应在当年的科目表中",
                                       f"{table.code}「{row.label}」：编码 {code} 不在已导入的 {d.year} 年科目表中",
                                       (table.code,), [c for c in [row.cell('label')] if c]))
                else:
                    out.append(Finding("note", "编码表", "科目编码应在当年的科目表中",
                                       f"{table.code}「{row.label}」：编码 {code} 不在随附的（不完整的）科目表中，"
                                       f"可用 budget-xl codes import 导入当年的官方科目表后再核对", (table.code,),
                                       [c for c in [row.cell('label')] if c]))
            elif name and norm(name) != norm(known):
                out.append(Finding("warning", "科目名称", "科目名称应与科目表一致",
                                   f"{table.code}「{row.label}」：编码 {code} 在科目表中的名称是“{known}”", (table.code,),
                                   [c for c in [row.cell('label')] if c]))
    return out
