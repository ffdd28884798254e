"""The 绩效 forms, publish-ready (xlsxwriter): one form per sheet and per page, A4 portrait, in the
official look of the template's `print` layout (form_layout.py): title, label/value blocks, the
indicator grid with 一级 and 二级 merged down their rows, the 总分 row; thin borders, 宋体, amounts
#,##0.00. `init` writes the same forms blank, with the cells to fill shaded and unlocked."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

from ..performance import Form, PerformanceBook
from ..text import cjk_width
from .form_layout import FormData, Layout, Placed, layout_form
from .output import atomic_output

FONT = "宋体"
ENTRY = "#FFF9DB"        # the shade of the cells a clerk fills in (as init's table sheets)
ROW_HEIGHT = 14          # points per line of 10-point text
MIN_HEIGHT = 20          # every row at least this tall: the forms are read on paper
PAGE_WIDTH = 523         # points of an A4 portrait page between the margins
PAGE_HEIGHT = 730        # … and between the top and bottom margins, header and footer
POINTS_PER_CHAR = 5.6    # a column width unit (one narrow character of the default font), in points


def form_data(form: Form) -> FormData:
    """A form as read (and completed) → what the layout prints."""
    fields: dict[str, object] = {}
    for fid, v in form.fields.items():
        kind = form.spec.field_type(fid)
        fields[fid] = v.number if kind in ("amount", "score", "count") and v.number is not None else v.text
    indicators = []
    for ind in form.branches or form.indicators:
        row: dict[str, object] = {}
        for cid, v in ind.values.items():
            col = form.spec.grid.column(cid) if form.spec.grid else None
            row[cid] = v.number if col is not None and col.type == "score" and v.number is not None else v.text
        row["level1"], row["level2"] = ind.level1, ind.level2     # the tree as read (carried down), merged when printed
        indicators.append(row)
    totals: dict[str, object] = {c: v.number for c, v in form.totals.items() if v.number is not None}
    subtitle = f"（{form.year}年度）" if form.kind.endswith("自评") and form.year else ""
    return FormData(fields, indicators, totals, list(form.tasks), form.heading or form.spec.title, subtitle)


def write_forms_workbook(book: PerformanceBook, target: Path, *, force: bool = False, source: Path | None = None) -> Path:
    import xlsxwriter

    with atomic_output(target, source=source, force=force) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        styles = FormStyles(wb)
        names: set[str] = set()
        for n, form in enumerate(book.forms, 1):
            ws = wb.add_worksheet(sheet_name(n, form.name or form.title, names))
            write_form(ws, styles, layout_form(form.spec, form_data(form)))
        wb.close()
    return target


def sheet_name(n: int, name: str, used: set[str]) -> str:
    """“03 质量检测监管平台维护费”: numbered in order, no character Excel refuses, at most 31, unique."""
    base = re.sub(r"[\[\]:*?/\\'\"“”]", "", f"{n:02d} {name}")[:31].strip()
    candidate, k = base, 2
    while candidate in used:
        candidate = f"{base[:28]}~{k}"
        k += 1
    used.add(candidate)
    return candidate


class FormStyles:
    def __init__(self, wb, entry: bool = False):
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
        cell = {**base, "border": 1}
        self.wb = wb
        self.title = wb.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.subtitle = wb.add_format({**base, "align": "center"})
        self.label = wb.add_format({**cell, "bold": True, "align": "center"})
        self.header = wb.add_format({**cell, "bold": True, "align": "center", "bg_color": "#F2F2F2"})
        self.text = wb.add_format({**cell, "align": "left"})
        self.center = wb.add_format({**cell, "align": "center"})
        self.amount = wb.add_format({**cell, "align": "right", "num_format": "#,##0.00"})
        self.score = wb.add_format({**cell, "align": "center", "num_format": "0.##"})
        self.note = wb.add_format({**base, "align": "left"})
        self.entry = entry
        if entry:
            shade = {"bg_color": ENTRY, "locked": False}
            self.entry_text = wb.add_format({**cell, "align": "left", **shade})
            self.entry_amount = wb.add_format({**cell, "align": "right", "num_format": "#,##0.00", **shade})
            self.entry_score = wb.add_format({**cell, "align": "center", "num_format": "0.##", **shade})

    def of(self, p: Placed):
        if p.role == "title":
            return self.title
        if p.role == "subtitle":
            return self.subtitle
        if not p.border:
            return self.note
        if p.role in ("label", "total") and not isinstance(p.value, Decimal):
            return self.label
        if p.role == "header":
            return self.header
        if self.entry and p.entry:
            return {"amount": self.entry_amount, "score": self.entry_score}.get(p.kind, self.entry_text)
        if p.kind == "amount":
            return self.amount
        if p.kind in ("score", "count"):
            return self.score
        if p.role == "text" or (p.role == "grid" and p.ref in ("level1", "level2", "nature", "target", "measure", "weight")):
            return self.center
        return self.text


def write_form(ws, st: FormStyles, layout: Layout) -> None:
    """Every placed cell, merged ranges as merges; column widths from the template, row heights from
    the wrapped text; A4 portrait, one page wide."""
    widths = [w * 1.15 for w in layout.widths]
    lines: dict[int, int] = {}
    for p in layout.cells:
        style = st.of(p)
        value = p.value
        if p.merged:
            if isinstance(value, Decimal):
                ws.merge_range(p.row, p.col, p.last_row, p.last_col, None, style)
                ws.write_number(p.row, p.col, float(value), style)
            else:
                ws.merge_range(p.row, p.col, p.last_row, p.last_col, "" if value is None else str(value), style)
        elif isinstance(value, Decimal):
            ws.write_number(p.row, p.col, float(value), style)
        elif value in (None, ""):
            ws.write_blank(p.row, p.col, None, style)
        else:
            ws.write_string(p.row, p.col, str(value), style)
        if p.role not in ("title",) and not isinstance(value, Decimal) and value:
            # Lines the wrapped text needs: a column of width w holds about w narrow characters.
            width = sum(widths[p.col:p.last_col + 1]) * 0.95
            need = math.ceil(cjk_width(str(value)) / max(width, 1))
            per_row = math.ceil(need / (p.last_row - p.row + 1))
            for r in range(p.row, p.last_row + 1):
                lines[r] = max(lines.get(r, 1), per_row)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_row(0, 30)
    heights = [30.0] + [float(max(MIN_HEIGHT, ROW_HEIGHT * lines.get(r, 1) + 4)) for r in range(1, layout.rows)]
    for r, h in enumerate(heights[1:], 1):
        ws.set_row(r, h)
    ws.set_paper(9)            # A4
    ws.set_portrait()
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    # One page wide; one page tall when the form, scaled to the width, fits — a long form (a 部门整体
    # form with its 评分说明) continues on further pages with the grid's header repeated, never shrunk
    # to an unreadable size.
    scale = min(1.0, PAGE_WIDTH / (sum(widths) * POINTS_PER_CHAR))
    fits = sum(heights) * scale <= PAGE_HEIGHT
    ws.fit_to_pages(1, 1 if fits else 0)
    if layout.header_row >= 0 and not fits:
        ws.repeat_rows(layout.header_row)
    ws.set_footer("&C第 &P 页，共 &N 页")


def blank_form(spec, year: int, fields: dict[str, object] | None = None, rows: int = 8) -> FormData:
    """An empty form to fill in (init): the given fields (unit, project, amounts from 附表12) and
    `rows` blank indicator rows."""
    subtitle = f"（{year}年度）" if spec.kind.endswith("自评") else ""
    return FormData(dict(fields or {}), [], {}, [], spec.title, subtitle, blank_rows=rows)
