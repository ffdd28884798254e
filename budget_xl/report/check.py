"""`budget-xl check` output: text for people (grouped by table, errors first), JSON for programs."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..model import Coverage
from ..money import json_amount, round_half_up
from ..rules.findings import LEVEL_WORDS, Report

if TYPE_CHECKING:  # pragma: no cover
    from ..batch import DistrictLine, Outcome

_COLOURS = {"error": "red", "warning": "yellow", "rounding": "cyan", "note": "bright_black"}


def check_json(report: Report) -> str:
    data = {
        "file": report.file,
        "template": report.template,
        "kind": report.kind,
        "department": report.department,
        "year": report.year,
        "template_evidence": report.evidence,
        "unknown_tables": report.unknown_tables,
        "forms": report.forms,
        "coverage": coverage_json(report.coverage),
        "summary": {"errors": report.errors, "warnings": report.count("warning"),
                    "rounding": report.count("rounding"), "notes": report.count("note")},
        "findings": [
            {"level": f.level, "rule": f.rule, "rule_id": f.rule_id, "statement": f.text, "message": f.message, "tables": list(f.tables),
             "cells": [str(c) for c in f.cells], "expected": json_amount(f.expected), "actual": json_amount(f.actual),
             "difference": json_amount(f.difference), "also": f.also,
             "blamed": str(f.cells[0]) if f.blamed and f.cells else None,
             "hypothesis": {"kind": f.hypothesis, "cells": [str(c) for c in f.cells]} if f.hypothesis else None}
            for f in report.findings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def coverage_json(c: Coverage) -> dict:
    return {"amount_cells": c.total, "read": c.read, "unread": [str(cell) for cell in c.unread]}


def summary_line(report: Report) -> str:
    n = Counter(f.level for f in report.findings)  # one pass, not one per level
    parts = [f"{n['error']} 处错误", f"{n['warning']} 处警告", f"{n['rounding']} 处尾数误差"]
    if n["note"]:
        parts.append(f"{n['note']} 条提示")
    verdict = "未通过：有错误需要更正" if n["error"] else "通过（没有错误）"
    return f"{'，'.join(parts)}。{verdict}。"


def write_check_text(report: Report, out: TextIO, colour: bool = False, show_notes: bool = True) -> None:
    """The text report written out line by line: a large workbook's report is never held whole."""
    for line in check_lines(report, colour, show_notes):
        out.write(line + "\n")


def check_lines(report: Report, colour: bool = False, show_notes: bool = True) -> Iterator[str]:
    """The lines of the text report: findings grouped by table, errors first, then the summary."""
    import click

    def paint(text: str, level: str) -> str:
        return click.style(text, fg=_COLOURS.get(level), bold=level == "error") if colour else text

    yield f"{report.file}　{report.kind}（模板 {report.template}）　{report.department or '部门未写明'}　{report.year or ''}年度"
    yield f"{report.coverage.describe()}" + ("" if report.coverage.complete else
                                             f"，{len(report.coverage.unread)} 个没有读入（见“未读”）")
    if report.forms:
        yield f"绩效表 {report.forms} 张" + ("" if report.kind == "绩效表" else "，与公开表一并核对")
    if report.unknown_tables:
        yield "未知表（模板中没有，按表头推断，只核对表内的合计关系）：" + "、".join(
            f"{t['code']} {t['title']}" for t in report.unknown_tables)
    groups: dict[str, list] = {}
    for f in report.findings:
        if f.level == "note" and not show_notes:
            continue
        groups.setdefault(f.table or "（全表套）", []).append(f)
    order = {"error": 0, "warning": 1, "rounding": 2, "note": 3}
    for table, findings in groups.items():
        yield ""
        yield paint(f"【{table}】", "error" if any(f.level == "error" for f in findings) else "note")
        for f in sorted(findings, key=lambda f: order[f.level]):
            where = "、".join(str(c) for c in f.cells[:4]) + ("…" if len(f.cells) > 4 else "")
            yield f"  {paint(LEVEL_WORDS[f.level], f.level)} [{f.rule}] {f.message}"
            if where:
                yield f"      单元格：{where}"
    yield ""
    yield paint(summary_line(report), "error" if report.errors else "note")


def folder_json(outcomes: list[Outcome], root: Path, district: list[DistrictLine] | None = None) -> str:
    """`check FOLDER --format json`: one entry per workbook, the totals, and the district comparison
    (a 政府预算's figures against its departments')."""
    from dataclasses import asdict

    from ..batch import totals

    data = {
        "folder": str(root),
        "summary": asdict(totals(outcomes)),
        "workbooks": [{"file": o.path, "problem": o.problem, "department": o.department, "year": o.year,
                       "kind": o.kind, "errors": o.errors, "warnings": o.warnings, "rounding": o.rounding,
                       "first": o.first} for o in outcomes],
        "district": [{"year": x.year, "government": x.government, "label": x.label,
                      "government_amount": json_amount(round_half_up(x.own)),
                      "departments_amount": json_amount(round_half_up(x.departments)), "departments": x.count,
                      "status": x.status, "not_counted": x.skipped}
                     for x in district or []],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
