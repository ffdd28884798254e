"""Building 绩效 form workbooks for tests (openpyxl): forms laid out by the templates' print layout
(the one `fill` publishes), one per sheet or several stacked on a sheet, optionally with each value
written after its label in one cell (“项目总额：80.00”), as clerks' workbooks sometimes do."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from budget_xl.report.form_layout import FormData, layout_form
from budget_xl.templates.form_builder import get_form_set


def form(set_id: str, form_id: str, fields: dict, indicators: list[list] | None = None, totals: dict | None = None,
         tasks: list | None = None, title: str = "", subtitle: str = ""):
    """(spec, FormData): indicator rows list the template's grid columns in order; numbers as given."""
    spec = get_form_set(set_id).forms[form_id]
    columns = [c.id for c in spec.grid.columns] if spec.grid else []
    rows = [{cid: v for cid, v in zip(columns, row) if v not in ("", None)} for row in indicators or []]
    values = {k: (Decimal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in fields.items()}
    return spec, FormData(values, rows, {k: Decimal(str(v)) for k, v in (totals or {}).items()}, tasks or [], title, subtitle)


def write_forms(path: Path, sheets: dict[str, list], *, inline: bool = False, drop: set[str] = frozenset(),
                gap: int = 2, base: Path | None = None) -> Path:
    """sheets: sheet name → [(spec, FormData), …]. `drop`: the labels (field ids) left out of the
    layout, to make a form that lacks a block. `inline`: a value beside its label is written into the
    label's cell after a colon. `base`: a workbook the form sheets are added to (one workbook holding
    the 公开表 and the forms)."""
    if base is not None:
        wb = openpyxl.load_workbook(base)
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    for name, forms in sheets.items():
        ws = wb.create_sheet(name)
        top = 1
        for spec, data in forms:
            layout = layout_form(spec, data)
            cells = [p for p in layout.cells if p.ref not in drop]
            by_pos = {(p.row, p.col): p for p in cells}
            skip = set()
            if inline:
                for p in cells:
                    if p.role == "label":
                        nxt = by_pos.get((p.row, p.last_col + 1))
                        if nxt is not None and nxt.role == "value" and nxt.value not in (None, ""):
                            p.value = f"{p.value}：{_text(nxt.value)}"
                            skip.add(id(nxt))
            for p in cells:
                r0, c0, r1, c1 = top + p.row, 1 + p.col, top + p.last_row, 1 + p.last_col
                if p.merged:
                    ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
                if id(p) in skip or p.value in (None, ""):
                    continue
                v = p.value
                ws.cell(row=r0, column=c0, value=float(v) if isinstance(v, Decimal) else v)
            top += layout.rows + gap
    wb.save(path)
    return path


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value != value.to_integral_value() else str(int(value))
    return str(value)


TARGET_FIELDS = {"unit": "145001-某某局（本级）", "project": "21020324T000000000001-测试项目", "dept": "145-某某局",
                 "total": 100, "fiscal": 60, "special": 40, "own": 0, "social": 0, "loan": 0, "exec_weight": 10,
                 "goal": "完成测试。"}
TARGET_ROWS = [["产出指标", "数量指标", "完成户数", "≥", 200, "", "户", 40],
               ["", "质量指标", "合格率", "=", 100, "", "%", 30],
               ["成本指标", "经济成本指标", "按预算执行", "≤", 100, "", "万元", 20]]
EVAL_FIELDS = {"project": "测试项目", "dept": "某某局", "unit": "某某局本级", "total.initial": 10, "total.budget": 8,
               "total.exec": 6, "goal": "完成测试。", "done": "已完成"}
EVAL_ROWS = [["共性指标", "预算管理", "预算执行率", "=", 100, "%", "75%", 10, 7.5],
             ["产出指标", "数量指标", "完成户数", "≥", 200, "户", "200户", 40, 40],
             ["", "质量指标", "合格率", "=", 100, "%", "100%", 30, 30],
             ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", 90, "%", "95%", 20, 20]]
