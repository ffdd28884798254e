"""Building test workbooks with openpyxl: a table laid out from its template (title, code, unit
line, merged header) and rows given by layout column id, in several arrangements."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import openpyxl

from budget_xl.layout import header_cells, layout_columns
from budget_xl.templates import TableSpec


def _number(value):
    if isinstance(value, str):
        text = value.replace(",", "").strip()
        try:
            return float(text) if text else None
        except ValueError:
            return value
    return value


def write_table(ws, spec: TableSpec, rows: Iterable[dict | list], *, start: int = 1, title: bool = True,
                unit: str | None = "金额单位：元", lines: Iterable[str] = (), header: bool = True,
                as_text: bool = False, columns: list[str] | None = None) -> int:
    """Write one table at row `start` (1-based); returns the next free row.

    rows: dicts {column id: value} or lists in layout-column order. Amount strings like
    "1,234.00" are written as numbers unless as_text. `columns` restricts/reorders the layout
    columns (to drop 类/款/项 code columns, say)."""
    cols = [c for c in layout_columns(spec) if columns is None or c.id in columns]
    if columns is not None:
        order = {cid: i for i, cid in enumerate(columns)}
        cols.sort(key=lambda c: order.get(c.id, 0))
    width = len(cols)
    r = start
    if title:
        ws.cell(r, 1, spec.title)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(width - 1, 1))
        ws.cell(r, width, spec.code)
        r += 1
    for line in lines:
        ws.cell(r, 1, line)
        r += 1
    if unit:
        ws.cell(r, width, unit)
        r += 1
    if header:
        if columns is None:
            n, cells = header_cells(spec)
            for hc in cells:
                ws.cell(r + hc.row, 1 + hc.col, hc.text or None)
                if hc.merged:
                    ws.merge_cells(start_row=r + hc.row, start_column=1 + hc.col,
                                   end_row=r + hc.last_row, end_column=1 + hc.last_col)
            r += n
        else:
            depth = max(len(c.header) for c in cols)
            for i, col in enumerate(cols):
                for level, text in enumerate(col.header):
                    ws.cell(r + level, 1 + i, text)
            r += depth
    for row in rows:
        values = [row.get(c.id) for c in cols] if isinstance(row, dict) else list(row)
        for i, value in enumerate(values):
            if value in ("", None):
                continue
            ws.cell(r, 1 + i, value if as_text else _number(value))
        r += 1
    return r


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def new_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


# The layouts these helpers write by table code (附表N, 财决公开0N): several templates share a kind now.
KIND_TEMPLATES = {"部门预算": "部门预算-辽宁", "部门决算": "部门决算-全国"}


def disclosure(path: Path, tables: dict[str, Iterable[dict]], *, kind: str = "部门预算", year: int = 2024,
               dept: str = "145-测试局", unit: str = "元", template=None) -> Path:
    """A whole disclosure workbook: a cover sheet stating year and department, then one sheet per
    table (rows by layout column id, as in write_table)."""
    from budget_xl.templates import get_template

    ts = template or get_template(KIND_TEMPLATES.get(kind, kind))
    wb = new_workbook()
    cover = wb.create_sheet("封面")
    cover["A1"] = f"{year}年测试区本级{ts.kind}表"
    cover["A2"] = f"{'预算部门' if ts.kind == '部门预算' else '部门（单位）'}：{dept}"
    for code, rows in tables.items():
        write_table(wb.create_sheet(code), ts.table(code), rows, unit=f"金额单位：{unit}")
    return save(wb, path)
