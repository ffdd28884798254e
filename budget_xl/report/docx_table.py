"""One disclosure table as a Word table: code, title, 部门/年度/金额单位 line, the merged header from
the template (repeated on every page), the printed rows (report/grid.py, as the workbook prints
them), and the empty-table note; set in a landscape section when it is too wide."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
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
    text_pt,
    text_width_pt,
)
from .grid import code_label, prints_empty, table_grid, table_unit

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Disclosure
    from .docx import Writer


class TableWriter:
    """One disclosure table as a Word table: code, title, 部门/年度/金额单位 line, the merged header
    from the template (repeated on every page), the printed rows, and the empty-table note."""

    def __init__(self, w: Writer, d: Disclosure, spec: TableSpec, index: int):
        self.w, self.d, self.spec, self.index = w, d, spec, index
        self.table = d.tables.get(spec.code)
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
            wraps = col.role in ("label", "text", "unit")
            natural.append(max(data, head, 2 * size) + CELL_PADDING)
            narrow.append(max(min(data, 10 * size) if wraps else data, head, 2 * size) + CELL_PADDING)
        return natural, narrow

    def _fit(self) -> tuple[float, list[float], bool]:
        """Font size, column widths (pt) and orientation: the first of portrait 10 pt, landscape
        10 pt, landscape 9 pt where nothing wraps, else where names wrap; the table always spans
        the text width."""
        tries = [(10.0, False), (10.0, True), (9.0, True)]
        measured = {size: self._widths(size) for size in (10.0, 9.0)}
        for size, landscape in tries:
            natural, _ = measured[size]
            if sum(natural) <= text_width_pt(landscape):
                return size, stretch(natural, text_width_pt(landscape)), landscape
        for size, landscape in tries:
            natural, narrow = measured[size]
            width = text_width_pt(landscape)
            if sum(narrow) <= width:
                give = [n - m for n, m in zip(natural, narrow)]   # names get the room there is
                spare, total = width - sum(narrow), sum(give) or 1
                return size, [m + spare * g / total for m, g in zip(narrow, give)], landscape
        return 9.0, stretch(measured[9.0][1], text_width_pt(True)), True   # last resort: amounts wrap too

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
        self._word_table()
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

    def _word_table(self) -> None:
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
        for line, texts in zip(self.grid, self.texts):
            row = t.add_row()
            cant_split(row)
            for cell, (_, key), text in zip(row.cells, line, texts):
                if key.startswith("amount"):
                    self._fill(cell, text, "right", bold=key == "amount_bold")
                elif key == "text_center":
                    self._fill(cell, text, "center")
                else:
                    indent = int(key[-1]) if key.startswith("indent") else 0
                    self._fill(cell, text, "left", bold=key == "bold", indent=indent)

    def _fill(self, cell, text: str, align: str, *, bold: bool = False, indent: int = 0, shade: bool = False) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        styled(p, self.w.styles["cell"])
        p.alignment = alignment(align)
        if indent:
            p.paragraph_format.left_indent = Pt(self.size * indent)
        if shade:
            cell._tc.get_or_add_tcPr().insert_element_before(
                el("w:shd", val="clear", color="auto", fill="F2F2F2"),
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
