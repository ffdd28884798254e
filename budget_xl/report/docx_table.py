"""One disclosure table as a Word table: code, title, 部门/年度/金额单位 line, the merged header from
the template (repeated on every page), the printed rows (report/grid.py, as the workbook prints
them), and the empty-table note; set in a landscape section when it is too wide."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt

from ..layout import header_cells, layout_columns
from ..money import fmt
from ..templates import TableSpec
from .docx_look import (
    CELL_MARGIN,
    CELL_PADDING,
    SONG,
    TABLE_NOTE,
    TABLE_TITLE,
    Look,
    alignment,
    cant_split,
    el,
    header_row,
    set_fonts,
    styled,
    text_height_pt,
    text_pt,
    text_width_pt,
)
from .grid import code_label, printed_spec, prints_empty, table_grid, table_unit
from .paging import CONTINUED

UNIT_FILL = "EDEDED"   # the shading of department and unit rows (as the published workbook's)
LINE_EM = 1.5          # a table line, in ems of its type: CJK fonts set single spacing at about 1.3–1.45
TITLE_BLOCK_PT = 60.0  # code, title and 部门/年度/金额单位 lines above a table's first page

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Disclosure
    from .docx import Writer


class TableWriter:
    """One disclosure table as a Word table: code, title, 部门/年度/金额单位 line, the merged header
    from the template (repeated on every page), the printed rows, and the empty-table note."""

    def __init__(self, w: Writer, d: Disclosure, spec: TableSpec, index: int):
        self.table = d.tables.get(spec.code)
        spec = printed_spec(spec, self.table)
        self.w, self.d, self.spec, self.index = w, d, spec, index
        self.grid = table_grid(spec, self.table)
        self.cols = layout_columns(spec)
        self.n_header, self.header = header_cells(spec)
        decimals = self.table.decimals if self.table is not None else spec.decimals
        self.texts = [[cell_text(v, decimals) for v, _ in line] for line in self.grid]
        self.size, self.widths, self.landscape = self._fit()

    def _widths(self, size: float) -> tuple[list[float], list[float]]:
        """(natural, narrowest) width of each column in pt: amounts and codes never wrap; names may
        wrap down to ten characters; a header may wrap at three characters a line."""
        natural, narrow = [], []
        for c, col in enumerate(self.cols):
            data = 0.0
            for line, texts in zip(self.grid, self.texts):
                key = line[c][1]
                indent = int(key[-1]) if key.startswith("indent") else 0
                data = max(data, text_pt(texts[c], size, bold="bold" in key) + indent * size)
            head = min(max((text_pt(p, size, bold=True) for p in col.header[-1:]), default=0), 3 * size)
            natural.append(max(data, head, 2 * size) + CELL_PADDING)
            narrow.append(max(min(data, 10 * size) if self.wraps[c] else data, head, 2 * size) + CELL_PADDING)
        return natural, narrow

    # (size pt, landscape): legible first; names wrap before the type gets smaller than 9 pt, and the
    # official tables' 8 and 7.5 pt come last, so an amount never wraps ("25,436,453.9 / 8").
    FIRST, THEN = ((10.0, False), (10.0, True), (9.0, True)), ((8.0, True), (7.5, True))

    def _fit(self) -> tuple[float, list[float], bool]:
        """Font size, column widths (pt) and orientation: the first of the sizes where the table fits
        on one line a row, then where its names wrap; the table always spans the text width."""
        self.wraps = [col.role in ("label", "text", "unit") for col in self.cols]
        measured = {size: self._widths(size) for size in (10.0, 9.0, 8.0, 7.5)}
        phases = [[(s, o, 0) for s, o in self.FIRST], [(s, o, 1) for s, o in self.FIRST]]
        phases += [[(s, o, 0), (s, o, 1)] for s, o in self.THEN]
        for size, landscape, wrapped in (t for phase in phases for t in phase):
            natural, narrow = measured[size]
            width = text_width_pt(landscape)
            if not wrapped and sum(natural) <= width:
                return size, stretch(natural, width), landscape
            if wrapped and sum(narrow) <= width:
                give = [n - m for n, m in zip(natural, narrow)]   # names get the room there is
                spare, total = width - sum(narrow), sum(give) or 1
                return size, [m + spare * g / total for m, g in zip(narrow, give)], landscape
        # Last resort, 7.5 pt: amounts and codes keep their width, the names share what is left.
        natural, narrow = measured[7.5]
        width = text_width_pt(True)
        kept = sum(n for n, w in zip(narrow, self.wraps) if not w)
        names = [n for n, w in zip(narrow, self.wraps) if w]
        share = max(width - kept, 2 * 7.5 * len(names)) / (sum(names) or 1)
        return 7.5, [n * share if w else n for n, w in zip(narrow, self.wraps)], True

    def write(self) -> None:
        w, spec = self.w, self.spec
        code = w.paragraph("table_note", landscape=self.landscape)
        code.alignment = alignment("right")
        w.runs(code, code_label(spec), TABLE_NOTE)
        title = w.add("table_title")
        prefix = self.d.template.title_prefix   # “2023年大连市西岗区” before a 政府预算 title, no department line
        text = prefix.format(年度=self.d.year or "", 部门=self.d.department or "") + spec.title if prefix else spec.title
        w.bookmarked(title, self.index, text, TABLE_TITLE)
        self._info_line()
        for n, rows in enumerate(self._pages()):
            if n:   # the next part of the table starts a page (its header repeated, its unit said again)
                gap = w.add("table_note")
                gap.paragraph_format.page_break_before = True
                gap.paragraph_format.line_spacing = Pt(1)
                gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            self._word_table(rows)
        if prints_empty(self.table, self.grid):
            note = w.add("table_note")
            note.paragraph_format.space_before = Pt(6)
            w.runs(note, self.d.template.empty_note, TABLE_NOTE)

    def _info_line(self) -> None:
        """部门（单位）：… on the left, 年度 in the middle, 金额单位 on the right (tab stops at the table's edges)."""
        w, d = self.w, self.d
        p = w.add("table_note")
        width = sum(self.widths)
        left = f"{d.template.department_label}：{d.department}" if d.department and not d.template.title_prefix else ""
        middle = f"{d.year}年度" if d.year and not d.template.title_prefix else ""
        right = f"金额单位：{table_unit(d, self.spec, self.table)}"
        tabs = p.paragraph_format.tab_stops
        if text_pt(left, TABLE_NOTE.size) + TABLE_NOTE.size < (width - text_pt(middle, TABLE_NOTE.size)) / 2:
            tabs.add_tab_stop(Pt(width / 2), WD_TAB_ALIGNMENT.CENTER)
            text = f"{left}\t{middle}\t{right}"
        else:   # a long department name would run past the centre: the year goes to the right
            text = f"{left}\t{middle}　{right}" if middle else f"{left}\t{right}"
        tabs.add_tab_stop(Pt(width), WD_TAB_ALIGNMENT.RIGHT)
        w.runs(p, text, TABLE_NOTE)

    def _pages(self) -> list[list[tuple[list, list[str]]]]:
        """The printed rows, page by page for a table of units (附表3/4/5/7/8 …), so that a page that
        continues a unit starts with its row again (“145001-…（续）”); one page for any other table.
        Rows are measured as LibreOffice and Word set them (1.5 lines of the type a line, names
        wrapped in their column), with room to spare: a page laid out here never runs over."""
        rows = list(zip(self.grid, self.texts))
        if not (self.spec.rows.kind == "classified" and self.spec.rows.units) or not rows:
            return [rows]
        label = next((c for c, col in enumerate(self.cols) if col.role == "label"), 0)
        header = self.n_header * 2 * LINE_EM * self.size
        room = text_height_pt(self.landscape) * 0.95 - header - 2
        left = room - TITLE_BLOCK_PT
        pages: list[list[tuple[list, list[str]]]] = [[]]
        unit: tuple[list, list[str]] | None = None
        for line, texts in rows:
            height = self._row_pt(texts)
            if height > left and pages[-1]:
                pages.append([])
                left = room
                if unit is not None and line[label][1] != "unit":
                    again = ([(f"{v}{CONTINUED}" if c == label else None, k) for c, (v, k) in enumerate(unit[0])],
                             [f"{t}{CONTINUED}" if c == label else "" for c, t in enumerate(unit[1])])
                    pages[-1].append(again)
                    left -= self._row_pt(again[1])
            pages[-1].append((line, texts))
            left -= height
            if line[label][1] == "unit":
                unit = (line, texts)
        return pages

    def _row_pt(self, texts: list[str]) -> float:
        lines = max((math.ceil(text_pt(t, self.size) / max(width - CELL_PADDING, 1)) for t, width, wraps
                     in zip(texts, self.widths, self.wraps) if wraps and t), default=1)
        return lines * LINE_EM * self.size + 1

    def _word_table(self, rows: list[tuple[list, list[str]]]) -> None:
        w = self.w
        t = w.doc.add_table(rows=self.n_header, cols=len(self.cols))
        t.style = w.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False    # fixed layout: Word and LibreOffice keep the computed widths
        margins = el("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(el(f"w:{side}", w=str(CELL_MARGIN), type="dxa"))
        t._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(round(sum(self.widths) * 20)))
        t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:type"), "dxa")
        for col, width in zip(t.columns, self.widths):
            col.width = Pt(width)
        for row in t.rows:
            header_row(row)
            for cell, width in zip(row.cells, self.widths):
                cell.width = Pt(width)
        for hc in self.header:
            cell = t.cell(hc.row, hc.col)
            if hc.merged:
                cell = cell.merge(t.cell(hc.last_row, hc.last_col))
            self._fill(cell, hc.text, "center", bold=True, shade=True)
        for line, texts in rows:
            row = t.add_row()
            cant_split(row)
            for cell, (_, key), text in zip(row.cells, line, texts):
                unit = key in ("unit", "amount_unit")    # department and unit rows: bold and shaded
                if key.startswith("amount"):
                    self._fill(cell, text, "right", bold=key != "amount", shade=unit, fill=UNIT_FILL)
                elif key == "text_center":
                    self._fill(cell, text, "center")
                else:
                    indent = int(key[-1]) if key.startswith("indent") else 0
                    self._fill(cell, text, "left", bold=key in ("bold", "unit"), indent=indent, shade=unit,
                               fill=UNIT_FILL)

    def _fill(self, cell, text: str, align: str, *, bold: bool = False, indent: int = 0, shade: bool = False,
              fill: str = "F2F2F2") -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        styled(p, self.w.styles["cell"])
        p.alignment = alignment(align)
        if indent:
            p.paragraph_format.left_indent = Pt(self.size * indent)
        if shade:
            cell._tc.get_or_add_tcPr().insert_element_before(
                el("w:shd", val="clear", color="auto", fill=fill),
                "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
        if text:
            run = p.add_run(text)
            set_fonts(run._r.get_or_add_rPr(), Look(SONG, self.size))
            run.font.size = Pt(self.size)
            if bold:
                run.bold = True



def cell_text(value: object, decimals: int = 2) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.0f}" if decimals == 0 and value == value.to_integral_value() else fmt(value)
    return "" if value is None else str(value)


def stretch(widths: list[float], width: float) -> list[float]:
    total = sum(widths) or 1
    return [x * width / total for x in widths]
