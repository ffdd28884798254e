"""Sample workbooks laid out the way a published document prints its tables (`layout: document` in
meta.yaml; the 政府预算 of seed 001): a 目录 sheet; each table on its own sheet, page by page as the PDF
breaks it — title (with the year and the government in it), subtitle, “单位：万元” and the header
repeated on every page — then the notes printed under it; the 说明 and 绩效目标表 among the tables as
text sheets. Used by build.py; the table cells are written as build.py writes them.

meta.yaml keys used here: toc_title, toc (lines), tables.<code>.{pages, subtitle, header_text},
extra_sheets [{after, sheet, text | grid}], percent_numbers (percentages as numbers shown 0.0%).
"""
from __future__ import annotations

from decimal import Decimal

import sampledata as sd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from budget_xl.layout import header_cells, layout_columns
from budget_xl.text import cjk_width

FONT = "宋体"


def write_document(wb, wbd: sd.WorkbookData, style) -> None:
    """All sheets of a document-layout workbook. `style` is build.py (fonts, borders, cell values)."""
    write_toc(wb, wbd, style)
    extras = wbd.meta.get("extra_sheets") or []
    for code, t in wbd.tables.items():
        write_paged_table(wb, wbd, t, style)
        for extra in extras:
            if extra["after"] == code:
                write_extra(wb, wbd, extra, style)


def write_toc(wb, wbd: sd.WorkbookData, style) -> None:
    ws = wb.create_sheet("目录")
    ws.cell(row=1, column=1, value=wbd.meta["toc_title"]).font = style.TITLE_FONT
    for i, line in enumerate(wbd.meta.get("toc") or []):
        ws.cell(row=3 + i, column=1, value=f"- {line}").font = Font(name=FONT, size=12)
    ws.column_dimensions["A"].width = 80


def write_paged_table(wb, wbd: sd.WorkbookData, t: sd.TableData, style) -> None:
    spec = sd.present_spec(wbd.spec(t.code), t.columns)
    cols = layout_columns(spec)
    assert [c.id for c in cols] == t.columns, (t.code, t.columns)
    tmeta = (wbd.meta.get("tables") or {}).get(t.code) or {}
    pages = list(tmeta.get("pages") or [len(t.rows)])
    assert sum(pages) == len(t.rows), (t.code, pages, len(t.rows))
    renamed = tmeta.get("header_text") or {}
    ncols = len(cols)
    ws = wb.create_sheet(t.sheet)
    widths = [0] * ncols
    amount_format = "#,##0" if spec.decimals == 0 else "#,##0.00"
    r = 1
    first_data = None
    data = iter(t.rows)
    for n in pages:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        c = ws.cell(row=r, column=1, value=t.title)
        c.font = style.TITLE_FONT
        c.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[r].height = 30
        r += 1
        if tmeta.get("subtitle"):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            c = ws.cell(row=r, column=1, value=tmeta["subtitle"])
            c.font = style.BODY_FONT
            c.alignment = Alignment(horizontal="center")
            r += 1
        c = ws.cell(row=r, column=ncols, value=wbd.meta["unit_line"])
        c.font = style.BODY_FONT
        c.alignment = Alignment(horizontal="right")
        r += 1
        nhead, cells = header_cells(spec)
        for h in cells:
            r0, c0, r1, c1 = r + h.row, 1 + h.col, r + h.last_row, 1 + h.last_col
            for rr in range(r0, r1 + 1):
                for cc in range(c0, c1 + 1):
                    ws.cell(row=rr, column=cc).border = style.BORDER
            if h.merged:
                ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
            text = renamed.get(h.text, h.text)
            cell = ws.cell(row=r0, column=c0, value=text or None)
            cell.font = style.BOLD_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if c0 == c1:
                widths[h.col] = max(widths[h.col], cjk_width(text))
        r += nhead
        first_data = first_data or r
        for _ in range(n):
            row = next(data)
            for j, (col, text) in enumerate(zip(cols, row)):
                cell = ws.cell(row=r, column=j + 1, value=_value(wbd, col.role, text, style))
                cell.border = style.BORDER
                cell.font = style.BODY_FONT
                if col.role == "amount":
                    cell.number_format = amount_format
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                elif col.role == "percent":
                    cell.number_format = "0.0%"
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                else:
                    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=col.role == "text")
                widths[j] = max(widths[j], cjk_width(text) + (4 if col.role == "amount" else 0))
            r += 1
        r += 1  # a blank line between printed pages
    for note in t.notes:
        ws.cell(row=r - 1, column=1, value=note).font = style.BODY_FONT
        r += 1
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 10), 60)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _value(wbd: sd.WorkbookData, role: str, text: str, style):
    if role == "percent" and text.endswith("%") and wbd.meta.get("percent_numbers"):
        return float(Decimal(text[:-1]) / 100)   # a number shown with Excel's 0.0% format
    return style.cell_value(role, text)


def write_extra(wb, wbd: sd.WorkbookData, extra: dict, style) -> None:
    """A 说明 (text: its title, then one paragraph a line) or a 绩效目标表 (grid: tab-separated cells)."""
    ws = wb.create_sheet(extra["sheet"])
    lines = (sd.DATA / wbd.id / (extra.get("text") or extra["grid"])).read_text(encoding="utf-8").splitlines()
    if "text" in extra:
        ws.cell(row=1, column=1, value=lines[0]).font = style.TITLE_FONT
        for i, line in enumerate(lines[1:]):
            c = ws.cell(row=3 + i, column=1, value=line)
            c.font = Font(name=FONT, size=12)
            c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 100
        return
    for i, line in enumerate(lines):
        for j, text in enumerate(line.split("\t")):
            if text:
                c = ws.cell(row=1 + i, column=1 + j, value=text)
                c.font = style.TITLE_FONT if i == 0 else style.BODY_FONT
                c.alignment = Alignment(wrap_text=True, vertical="center")
    for j in range(10):
        ws.column_dimensions[get_column_letter(j + 1)].width = 18
