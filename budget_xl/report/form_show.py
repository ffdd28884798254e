"""`budget-xl show` of 绩效 forms: each form with its amounts and scores and its indicator tree, as
text for people, JSON or CSV for programs."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..money import fmt, json_amount
from ..performance import Form, PerformanceBook, Value
from .check import coverage_json

LEVEL_WORDS = {"error": "错误", "warning": "注意", "info": "提示"}


def render_forms(book: PerformanceBook, fmt_: str = "text") -> str:
    if fmt_ == "json":
        return json.dumps(forms_json(book), ensure_ascii=False, indent=2) + "\n"
    if fmt_ == "csv":
        return forms_csv(book)
    return "\n".join(forms_text(book)) + "\n"


def _number(form: Form, fid: str, v: Value) -> str:
    kind = form.spec.field_type(fid)
    if v.number is None:
        return v.text or "—"
    if kind == "amount":
        return fmt(v.number)
    return v.text


def forms_text(book: PerformanceBook, heading: bool = True) -> list[str]:
    lines = []
    if heading:
        lines.append(f"绩效表：{book.path.name}（模板 {'、'.join(book.form_sets)}；{len(book.forms)} 张；"
                     f"{book.department or '部门未写明'}；{book.year or ''}年度）")
        lines.append(book.coverage.describe() + ("" if book.coverage.complete else f"，{len(book.coverage.unread)} 个没有读入"))
    for n, form in enumerate(book.forms, 1):
        lines.append("")
        where = f"工作表 {form.sheet}" + (f"，{form.title_cell.a1}" if form.title_cell else "")
        lines.append(f"【{n}】{form.label}（{where}）")
        info = [f"{form.spec.field_label(f)} {form.text(f)}" for f in ("unit", "dept", "year") if form.text(f)]
        if form.code:
            info.insert(1, f"项目编码 {form.code}")
        if info:
            lines.append("  " + "；".join(info))
        numbers = [f"{form.spec.field_label(fid)} {_number(form, fid, v)}" for fid, v in form.fields.items()
                   if form.spec.field_type(fid) != "text"]
        if numbers:
            lines.append("  " + "；".join(numbers) + ("（金额单位：万元）" if any(
                form.spec.field_type(f) == "amount" for f in form.fields) else ""))
        if form.tasks:
            lines.append("  重点任务：" + "；".join(f"{a} {b}".strip() for a, b in form.tasks))
        if form.missing:
            lines.append("  缺少：" + "、".join(form.missing))
        lines += _indicator_lines(form)
    if book.notes:
        lines.append("")
        lines.append("读表时注意到：")
        lines += [f"  {LEVEL_WORDS.get(n.level, n.level)}：{n.message}" + (f"（{n.cell}）" if n.cell else "") for n in book.notes]
    return lines


def _indicator_lines(form: Form) -> list[str]:
    if not form.indicators:
        return []
    weights = [w for i in form.indicators if (w := i.number("weight")) is not None]
    scores = [s for i in form.indicators if (s := i.number("score")) is not None]
    summary = []
    if weights:
        summary.append(f"权重合计 {_plain(sum(weights, Decimal(0)))}")
    if scores:
        summary.append(f"得分合计 {_plain(sum(scores, Decimal(0)))}")
    totals = "；".join(f"总分行{_header(form.spec.grid, c)} {v.text}" for c, v in form.totals.items() if v.text)
    out = [f"  指标 {len(form.indicators)} 个" + (f"（{'，'.join(summary)}）" if summary else "") +
           (f"；{totals}" if totals else "") + "："]
    last = ("", "")
    skip = {"level1", "level2", "level3", "activity", "task"}
    for ind in form.indicators:
        if ind.level1 != last[0]:
            out.append(f"    {ind.level1 or '（一级指标空）'}")
        if (ind.level1, ind.level2) != last:
            out.append(f"      {ind.level2 or '（二级指标空）'}")
        last = (ind.level1, ind.level2)
        grid = form.spec.grid
        values = [f"{_header(grid, c)} {v.text}" for c, v in ind.values.items() if c not in skip and v.text]
        out.append(f"        {ind.level3 or '（三级指标空）'}" + ("　" + "　".join(values) if values else ""))
    return out


def _header(grid, column: str) -> str:
    col = grid.column(column) if grid is not None else None
    return col.header if col is not None else column


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value_json(v: Value) -> dict:
    return {"text": v.text, "value": json_amount(v.number), "cell": str(v.cell) if v.cell else None}


def forms_json(book: PerformanceBook) -> dict:
    return {
        "file": str(book.path), "kind": "绩效表", "form_sets": book.form_sets, "department": book.department,
        "year": book.year, "coverage": coverage_json(book.coverage),
        "notes": [{"level": n.level, "form": n.table, "cell": str(n.cell) if n.cell else None, "message": n.message}
                  for n in book.notes],
        "forms": [{
            "kind": f.kind, "template": f"{f.spec.set_id}/{f.spec.id}", "title": f.title, "sheet": f.sheet,
            "cell": str(f.title_cell) if f.title_cell else None, "name": f.name, "code": f.code,
            "unit": f.unit_code or f.unit_name, "year": f.year, "missing": f.missing,
            "fields": {fid: {"label": f.spec.field_label(fid), **_value_json(v)} for fid, v in f.fields.items()},
            "totals": {c: _value_json(v) for c, v in f.totals.items()},
            "tasks": [list(t) for t in f.tasks],
            "indicators": [{"level1": i.level1, "level2": i.level2, "level3": i.level3,
                            "values": {c: _value_json(v) for c, v in i.values.items()
                                       if c not in ("level1", "level2", "level3")}} for i in f.indicators],
        } for f in book.forms],
    }


def forms_csv(book: PerformanceBook) -> str:
    """One line per value: form number, name, what (field id, or the indicator's path and column), text, value, cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["form", "name", "field", "label", "text", "value", "cell"])
    for n, f in enumerate(book.forms, 1):
        for fid, v in f.fields.items():
            writer.writerow([n, f.name, fid, f.spec.field_label(fid), v.text, json_amount(v.number) or "",
                             str(v.cell) if v.cell else ""])
        for c, v in f.totals.items():
            writer.writerow([n, f.name, f"totals.{c}", "总分行", v.text, json_amount(v.number) or "", str(v.cell or "")])
        for ind in f.indicators:
            for c, v in ind.values.items():
                if c in ("level1", "level2", "level3"):
                    continue
                writer.writerow([n, f.name, f"indicator.{c}", ind.path, v.text, json_amount(v.number) or "",
                                 str(v.cell) if v.cell else ""])
    return out.getvalue()
