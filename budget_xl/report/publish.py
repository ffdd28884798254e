"""The publish-ready workbook (xlsxwriter): one sheet per table, laid out as the official tables
are printed. Layout comes from the template (header paths, panels, fixed rows, 行次); nothing here
knows a particular table.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..layout import header_cells, layout_columns
from ..model import Disclosure, Table
from ..money import fmt
from ..percent import Percent
from ..templates import TableSpec
from ..text import cjk_width
from .grid import code_label, grid_rows, printed_spec, table_unit
from .output import atomic_output
from .paging import CONTINUED, HEADER_ROW_PT, Pager, row_height
from .properties import set_xlsx_properties

FONT = "宋体"
_INDENT_WIDTH = 2  # narrow characters a column needs per indent level of its text
UNIT_FILL = "#EDEDED"
# The widest a column of names grows before its text wraps (characters): a long 项目名称 wraps on two
# lines instead of widening 附表12 until the page, fitted to its width, prints it too small to read.
TEXT_CAPS = {"label": 44, "unit": 24, "text": 20}


def write_publish_workbook(d: Disclosure, target: Path, *, force: bool = False, source: Path | None = None) -> Path:
    import xlsxwriter

    with atomic_output(target, source=source, force=force) as tmp:
        # constant_memory: each row goes to disk once the next row is written, so memory does not
        # grow with the table; every sheet is therefore written strictly top to bottom.
        # Workbook text is never turned into formulas or links (strings starting with = + - @ stay text).
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        set_xlsx_properties(wb, target.stem, d.department)
        styles = Styles(wb)
        for code, spec in d.template.tables.items():
            table = d.tables.get(code)
            _write_table(wb, styles, d, spec, table)
        wb.close()
    return target


class Styles:
    def __init__(self, wb):
        # charset 134 (GB2312): Excel and WPS find 宋体 as the Chinese font it is on any system locale.
        base = {"font_name": FONT, "font_charset": 134, "font_size": 10, "valign": "vcenter"}
        cell = self.cell_props = {**base, "border": 1}
        self.title = wb.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.right = wb.add_format({**base, "align": "right"})
        self.left = wb.add_format({**base, "align": "left"})
        self.center = wb.add_format({**base, "align": "center"})
        self.header = wb.add_format({**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"})
        self.amount = wb.add_format({**cell, "num_format": "#,##0.00"})
        self.amount_bold = wb.add_format({**cell, "num_format": "#,##0.00", "bold": True})
        # Names wrap within their column (capped: _Widths) rather than widen the table until the
        # page shrinks to fit it; amounts never wrap.
        wrap = {**cell, "align": "left", "text_wrap": True}
        self.text = wb.add_format(wrap)
        self.text_center = wb.add_format({**cell, "align": "center"})
        self.bold = wb.add_format({**wrap, "bold": True})
        # Department and unit rows: bold and shaded, unlike the bold 类 rows under them.
        self.unit = wb.add_format({**wrap, "bold": True, "bg_color": UNIT_FILL})
        self.amount_unit = wb.add_format({**cell, "num_format": "#,##0.00", "bold": True, "bg_color": UNIT_FILL})
        self.indent = {n: wb.add_format({**wrap, "indent": n}) for n in (1, 2)}
        self.note = wb.add_format({**base, "align": "left", "text_wrap": False})
        # Grid cells name their style by key ("amount", "indent2"); looked up once per cell.
        self.by_key = {key: getattr(self, key) for key in ("amount", "amount_bold", "amount_unit", "text",
                                                           "text_center", "bold", "unit")}
        self.by_key.update({f"indent{n}": f for n, f in self.indent.items()})
        # Percentages (增长%) as numbers shown with their decimals: -0.01 as “-1.0%”.
        self.by_key.update({f"percent{n}": wb.add_format({**cell, "num_format": "0" + ("." + "0" * n if n else "") + "%"})
                            for n in range(5)})
        # Tables printed in whole 万元 (decimals: 0) show no cents.
        self.whole = {"amount": wb.add_format({**cell, "num_format": "#,##0"}),
                      "amount_bold": wb.add_format({**cell, "num_format": "#,##0", "bold": True})}


def _write_table(wb, st: Styles, d: Disclosure, spec: TableSpec, table: Table | None) -> None:
    ws = wb.add_worksheet(spec.code[:31])
    spec = printed_spec(spec, table)
    cols = layout_columns(spec)
    first_data = write_heading(ws, st, spec, d.department, d.year, table_unit(d, spec, table), d.template.department_label,
                               d.template.title_prefix)
    by_key = {**st.by_key, **st.whole} if (table.decimals if table is not None else spec.decimals) == 0 else st.by_key
    widths = _Widths([max((cjk_width(p) for p in c.header), default=4) + 2 for c in cols],
                     [TEXT_CAPS.get(c.role, _Widths.MAX) for c in cols])
    # The widths first (a pass over the rows): a row whose name wraps is written with its height, and
    # the pages of a table of units are laid out as its rows are written, each continuation page
    # starting with its unit's row.
    for line in grid_rows(spec, table):
        widths.line(line)
    final = widths.final()
    label = next((i for i, c in enumerate(cols) if c.role == "label"), 0)
    # A title wider than a narrow table (16 pt over 10 pt text) widens its name column, not cut off.
    title = d.template.title_prefix.format(年度=d.year or "", 部门=d.department or "") + spec.title
    short = int(cjk_width(title) * 1.7) + 2 - sum(final)
    if short > 0:
        final[label] += short
    pager = None
    if table is not None and spec.rows.kind == "classified" and spec.rows.units:
        pager = Pager(heading_pt=60, header_pt=first_data_header_pt(first_data))
    end = first_data
    has_amounts = False
    unit_line: list | None = None
    for line in grid_rows(spec, table):
        lines = _lines(line, final)
        if pager is not None:
            if not pager.fits(row_height(lines)):
                pager.new_page(end)
                if unit_line is not None and line[label][1] != "unit":
                    again = _continued(unit_line, label)
                    pager.take(_tall_enough(ws, end, _lines(again, final)))
                    _write_line(ws, by_key, end, again)
                    end += 1
            if line[label][1] == "unit":
                unit_line = line
        height = _tall_enough(ws, end, lines)
        if pager is not None:
            pager.take(height)
        has_amounts = _write_line(ws, by_key, end, line) or has_amounts
        end += 1
    notes = [] if has_amounts else [d.template.empty_note]
    for i, note in enumerate(notes):
        ws.write_string(end + 1 + i, 0, note, st.note)
    for c, w in enumerate(final):
        ws.set_column(c, c, w)
    page_setup(ws, first_data, max(end + len(notes), first_data), len(cols) - 1)
    if pager is not None and pager.breaks:
        ws.set_h_pagebreaks(pager.breaks)


def _write_line(ws, by_key: dict, r: int, line) -> bool:
    """One printed row; whether it has a non-zero amount."""
    has_amounts = False
    for c, (value, style_key) in enumerate(line):
        style = by_key[style_key]
        if value.__class__ is Percent:
            ws.write_number(r, c, float(value.value / 100), style)
        elif value.__class__ is Decimal:
            ws.write_number(r, c, float(value), style)
            has_amounts = has_amounts or value != 0
        elif value is None or value == "":
            ws.write_blank(r, c, None, style)
        else:
            ws.write_string(r, c, str(value), style)
    return has_amounts


def _continued(unit_line, label: int) -> list:
    """The unit's row again at the top of a page that continues it: “145001-…（续）”, no amounts (a
    unit row repeated without amounts is read as the same unit, so the workbook still reads back)."""
    return [(f"{value}{CONTINUED}" if c == label else None, key) for c, (value, key) in enumerate(unit_line)]


def _lines(line, widths: Sequence[float]) -> int:
    """How many lines the row's longest wrapped text takes in its column (a CJK character is a little
    under two width units at 10 pt)."""
    most = 1
    for c, (value, key) in enumerate(line):
        if value.__class__ is str and value and 2 * len(value) > widths[c]:
            indent = _INDENT_WIDTH * int(key[-1]) if key.startswith("indent") else 0
            most = max(most, math.ceil((0.95 * cjk_width(value) + indent) / widths[c]))
    return most


def _tall_enough(ws, r: int, lines: int) -> float:
    """A row whose text wraps gets the height for it (neither Excel nor LibreOffice grows a row
    written with a stored height by itself); returns the row's height."""
    height = row_height(lines)
    if lines > 1:
        ws.set_row(r, height)
    return height


def first_data_header_pt(first_data: int) -> float:
    """The header rows repeated on every page, taller than a data row when their text wraps."""
    return (first_data - HEADING_TOP) * HEADER_ROW_PT


class _Widths:
    """Column widths in narrow-character units: the widest header, text or amount of each column
    (plus a margin), kept between 6 and 60. Rows are seen one at a time, as they are written."""
    MIN, MAX = 6, 60

    def __init__(self, header_widths: list[int], caps: list[int]):
        self.widths = header_widths
        self.caps = caps                     # per column: the widest it grows (texts wrap beyond)
        self.low: dict[int, Decimal] = {}    # per column: the smallest and largest amount; the
        self.high: dict[int, Decimal] = {}   # longest printed amount is one of the two

    def line(self, line) -> None:
        for c, (value, style_key) in enumerate(line):
            if value.__class__ is Decimal:
                self.amount(c, value)
            elif value.__class__ is Percent:
                continue   # “-12.3%”: narrower than any header
            elif value is not None and value != "":
                self.text(c, str(value), _INDENT_WIDTH * int(style_key[-1]) if style_key.startswith("indent") else 0)

    def text(self, c: int, text: str, indent: int = 0) -> None:
        # A character is at most two units wide: most texts are ruled out without measuring them.
        if 2 * len(text) + indent + 2 > self.widths[c] and self.widths[c] < self.caps[c]:
            self.widths[c] = min(max(self.widths[c], cjk_width(text) + indent + 2), self.caps[c])

    def amount(self, c: int, value: Decimal) -> None:
        if c not in self.high:
            self.low[c] = self.high[c] = value
        elif value > self.high[c]:
            self.high[c] = value
        elif value < self.low[c]:
            self.low[c] = value

    def final(self) -> list[int]:
        widths = list(self.widths)
        for c, high in self.high.items():
            widths[c] = max(widths[c], len(fmt(high)) + 2, len(fmt(self.low[c])) + 2)
        return [min(max(w, self.MIN), self.MAX) for w in widths]


HEADING_TOP = 3  # rows above the header: code, title, department / year / unit


def write_heading(ws, st: Styles, spec: TableSpec, department: str | None, year: int | None, unit: str,
                  department_label: str = "部门（单位）", title_prefix: str = "") -> int:
    """Code at the right, title merged across, the 部门/年度/金额单位 line, then the merged header
    from the template's header paths. Returns the first data row. A set whose titles carry the year and
    the government (`title_prefix`, “2023年大连市西岗区一般公共预算收入表”) prints no department line."""
    title = spec.title
    if title_prefix:
        title = title_prefix.format(年度=year or "", 部门=department or "") + title
        department, year = None, None
    write_title_block(ws, st, len(layout_columns(spec)), code_label(spec), title, department,
                      f"{year} 年度" if year else "", unit, department_label)
    return write_header(ws, st, *header_cells(spec))


def write_title_block(ws, st: Styles, width: int, code: str, title: str, department: str | None, period: str,
                      unit: str, department_label: str = "部门（单位）") -> None:
    """Rows 0–2: the code at the right, the title merged across `width` columns, then the
    部门（单位） / period / 金额单位 line."""
    last = width - 1
    if code:
        ws.write_string(0, last, code, st.right)
    if width > 1:
        ws.merge_range(1, 0, 1, last, title, st.title)
    else:
        ws.write_string(1, 0, title, st.title)
    ws.set_row(1, 30)
    if department:
        ws.write_string(2, 0, f"{department_label}：{department}", st.left)
    if period and width > 2:
        ws.write_string(2, width // 2, period, st.center)
    ws.write_string(2, last, f"金额单位：{unit}", st.right)


def write_header(ws, st: Styles, n_header: int, cells, top: int = HEADING_TOP) -> int:
    """The header cells (layout.HeaderCell) from row `top`, row by row: each cell's text in its
    top-left corner, the rest of a merged range as blanks in the same style, the merged ranges
    recorded afterwards. Returns the first data row."""
    covered = {}
    for hc in cells:
        for r in range(hc.row, hc.last_row + 1):
            for c in range(hc.col, hc.last_col + 1):
                covered[(r, c)] = hc
    for (r, c), hc in sorted(covered.items()):
        if (r, c) == (hc.row, hc.col):
            ws.write_string(top + r, c, hc.text, st.header)
        else:
            ws.write_blank(top + r, c, None, st.header)
    for hc in cells:
        if hc.merged:
            record_merge(ws, top + hc.row, hc.col, top + hc.last_row, hc.last_col)
    return top + n_header


def record_merge(ws, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Merge cells already written. xlsxwriter's merge_range cannot be used here: it writes the
    rows below at once, and in constant_memory mode a row is flushed to disk as soon as a later one
    is written, so the rest of the header's first row would be lost (its author does not support
    merging down in that mode). The range is recorded in the list merge_range itself keeps, which
    xlsxwriter writes out as <mergeCells> on close — the one use of its internals in budget-xl, kept
    here. tests/test_publish.py checks that contract (so an xlsxwriter release that changes it fails
    loudly, hence the <4 pin) and every header's merges in the written files."""
    ws.merge.append([first_row, first_col, last_row, last_col])


def page_setup(ws, first_data: int, last_row: int, last_col: int, header_top: int = HEADING_TOP) -> None:
    """Frozen header; A4 landscape, one page wide, header rows on every page, page numbers."""
    ws.freeze_panes(first_data, 0)
    ws.repeat_rows(header_top, first_data - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_area(0, 0, last_row, last_col)
