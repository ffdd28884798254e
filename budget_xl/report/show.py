"""`budget-xl show`: what was read, as text for people or JSON/CSV for programs."""
from __future__ import annotations

import csv
import io
import json

from ..errors import InputError
from ..model import Disclosure, Table
from ..money import fmt, json_amount
from ..text import aligned
from .check import coverage_json

LEVEL_WORDS = {"error": "错误", "warning": "注意", "info": "提示"}


def render_show(d: Disclosure, only: tuple[str, ...] = (), fmt_: str = "text") -> str:
    tables = _select(d, only)
    if fmt_ == "json":
        data = show_json(d, tables)
        if d.performance is not None and not only:   # the 绩效 forms of the same workbook
            from .form_show import forms_json

            data["performance"] = forms_json(d.performance)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt_ == "csv":
        return show_csv(tables)
    return show_text(d, tables, bool(only))


def _select(d: Disclosure, only: tuple[str, ...]) -> list[Table]:
    if not only:
        return list(d.tables.values())
    chosen = []
    for code in only:
        key = _resolve_code(d, code)
        if key not in d.tables:
            found = "、".join(d.tables) or "（无）"
            raise InputError(f"{d.path.name} 中没有 {code}。读到的表：{found}。")
        chosen.append(d.tables[key])
    return chosen


def _resolve_code(d: Disclosure, code: str) -> str:
    from ..text import norm

    n = norm(code)
    for spec in d.template.tables.values():
        if n in spec.code_names() or n in spec.title_names() or n + "表" in spec.code_names():
            return spec.code
    return code



def show_json(d: Disclosure, tables: list[Table]) -> dict:
    return {
        "file": str(d.path),
        "template": d.template.id,
        "kind": d.kind,
        "department": d.department,
        "year": d.year,
        "unit": d.unit,
        "found": [code for code in d.tables if code not in d.unknown],
        "unknown": d.unknown,
        "missing": d.missing,
        "skipped_sheets": d.skipped_sheets,
        "template_evidence": [{"template": e.template.id, "tables": e.tables, "tables_total": e.tables_total,
                               "columns": e.columns, "columns_total": e.columns_total} for e in d.evidence],
        "coverage": coverage_json(d.coverage),
        "notes": [{"level": n.level, "table": n.table, "cell": str(n.cell) if n.cell else None, "message": n.message}
                  for n in d.notes],
        "tables": [
            {
                "code": t.code,
                "title": t.title,
                "unknown": t.unknown,
                "sheets": t.sheets,
                "unit": t.unit,
                "empty_note": t.empty_note,
                "missing_columns": t.missing_columns,
                "columns": [{"id": c.id, "label": c.label} for c in t.spec.columns],
                "rows": [
                    {"key": r.key, "label": r.label, "level": r.level, "unit": r.unit, "code": r.code,
                     "amounts": {c: json_amount(r.amounts.get(c)) for c in t.columns if r.has_cell(c)},
                     "cells": {c: str(ref) for c, ref in r.cells.items()}}
                    for r in t.rows
                ],
            }
            for t in tables
        ],
    }


def show_csv(tables: list[Table]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["table", "key", "label", "level", "unit", "column", "amount", "cell"])
    for t in tables:
        for r in t.rows:
            cells = r.cells
            for c in t.columns:
                if c in cells:
                    w.writerow([t.code, r.key, r.label, r.level, r.unit or "", c, json_amount(r.amounts.get(c)) or "",
                                str(cells[c])])
    return out.getvalue()


def show_text(d: Disclosure, tables: list[Table], only: bool) -> str:
    lines = [f"文件：{d.path.name}",
             f"模板：{d.template.id}（{d.template.name}）"]
    if d.evidence:
        lines.append(f"  依据：{d.evidence[0].describe()}" +
                     (f"；次选 {d.evidence[1].describe()}" if len(d.evidence) > 1 else ""))
    lines += [
             f"部门：{d.department or '（未写明，可用 --dept 指定）'}　年度：{d.year or '（未写明，可用 --year 指定）'}"
             f"　金额单位：{d.unit}"]
    if not only:
        lines.append(f"找到 {len(d.tables) - len(d.unknown)} 张表：")
        for t in d.tables.values():
            if t.unknown:
                continue
            extra = "，有空表说明" if t.empty_note else ""
            lines.append(f"  {t.code:<8}{t.title}（工作表 {'、'.join(t.sheets)}，{len(t.rows)} 行，{t.unit}{extra}）")
            if t.missing_columns:
                lines.append("          没有这些列（相关公式无法核对）：" + "、".join(t.column_label(c) for c in t.missing_columns))
        for t in d.tables.values():
            if t.unknown:
                lines.append(f"未知表：{t.code} {t.title}（按表头推断；工作表 {'、'.join(t.sheets)}，{len(t.rows)} 行，{t.unit}）")
        if d.missing:
            lines.append(f"缺少 {len(d.missing)} 张表：" + "、".join(
                f"{c} {d.template.tables[c].title}" for c in d.missing))
        else:
            lines.append("表套完整，没有缺少的表。")
        lines.append(d.coverage.describe() + ("，全部读入。" if d.coverage.complete else
                                              f"，{len(d.coverage.unread)} 个没有读入：" + _cells(d.coverage.unread)))
        if d.skipped_sheets:
            lines.append("未含公开表、已跳过的工作表：" + "、".join(d.skipped_sheets))
        if d.notes:
            lines.append(f"读取时注意到 {len(d.notes)} 处：")
            for n in d.notes:
                where = f"{n.cell}　" if n.cell else (f"{n.table}　" if n.table else "")
                lines.append(f"  [{LEVEL_WORDS.get(n.level, n.level)}] {where}{n.message}")
    for t in tables:
        lines.append("")
        lines.extend(table_text(t))
    return "\n".join(lines) + "\n"


def _cells(cells: list, limit: int = 20) -> str:
    return "、".join(str(c) for c in cells[:limit]) + ("……" if len(cells) > limit else "")


def table_text(t: Table) -> list[str]:
    cols = [c for c in t.spec.columns if any(r.has_cell(c.id) for r in t.rows)] or list(t.spec.columns)
    unknown = "未知表，按表头推断；" if t.unknown else ""
    head = [f"{t.code} {t.title}（{unknown}金额单位：{t.unit}，工作表 {'、'.join(t.sheets)}）"]
    if not t.rows:
        return head + ["  （无数据行）" + ("　" + "本表注明：本年度未产生与该表相关的预决算数据" if t.empty_note else "")]
    percents = [c for c in t.spec.percent_columns if any(c.id in (r.percents or {}) for r in t.rows)]
    table = [["层级", "名称", *[c.label for c in cols], *[c.label for c in percents]]]
    for r in t.rows:
        indent = {"款": "  ", "项": "    "}.get(r.level, "")
        table.append([r.level, indent + r.label, *[fmt(r.amounts.get(c.id)) if r.has_cell(c.id) else "" for c in cols],
                      *[str((r.percents or {}).get(c.id) or "") for c in percents]])
    return head + aligned(table, left=2)
