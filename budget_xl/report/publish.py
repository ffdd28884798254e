"""The publish-ready workbook (xlsxwriter): one sheet per table, laid out as the official tables
are printed. Layout comes from the template (header paths, panels, fixed rows, 行次); nothing here
knows a particular table.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Iterable

from ..classification import class_of
from ..layout import header_cells, layout_columns
from ..model import CLASS, DEPT, FIXED, TOTAL, UNIT, Disclosure, Row, Table
from ..money import fmt
from ..templates import PanelSpec, TableSpec
from ..text import cjk_width
from .output import atomic_output

FONT = "宋体"
LEVEL_INDENT = {"款": 1, "项": 2}   # indent levels of 款/项 labels under their 类
_INDENT_WIDTH = 2  # narrow characters a column needs per indent level of its text


def write_publish_workbook(d: Disclosure, target: Path, *, force: bool = False, source: Path | None = None) -> Path:
    import xlsxwriter

    with atomic_output(target, source=source, force=force) as tmp:
        # constant_memory: each row goes to disk once the next row is written, so memory does not
        # grow with the table; every sheet is therefore written strictly top to bottom.
        # Workbook text is never turned into formulas or links (strings starting with = + - @ stay text).
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        styles = Styles(wb)
        for code, spec in d.template.tables.items():
            table = d.tables.get(code)
            _write_table(wb, styles, d, spec, table)
        wb.close()
    return target


class Styles:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        cell = self.cell_props = {**base, "border": 1}
        self.title = wb.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.right = wb.add_format({**base, "align": "right"})
        self.left = wb.add_format({**base, "align": "left"})
        self.center = wb.add_format({**base, "align": "center"})
        self.header = wb.add_format({**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"})
        self.amount = wb.add_format({**cell, "num_format": "#,##0.00"})
        self.amount_bold = wb.add_format({**cell, "num_format": "#,##0.00", "bold": True})
        self.text = wb.add_format({**cell, "align": "left"})
        self.text_center = wb.add_format({**cell, "align": "center"})
        self.bold = wb.add_format({**cell, "align": "left", "bold": True})
        self.indent = {n: wb.add_format({**cell, "align": "left", "indent": n}) for n in (1, 2)}
        self.note = wb.add_format({**base, "align": "left", "text_wrap": False})
        # Grid cells name their style by key ("amount", "indent2"); looked up once per cell.
        self.by_key = {key: getattr(self, key) for key in ("amount", "amount_bold", "text", "text_center", "bold")}
        self.by_key.update({f"indent{n}": f for n, f in self.indent.items()})


def _write_table(wb, st: Styles, d: Disclosure, spec: TableSpec, table: Table | None) -> None:
    ws = wb.add_worksheet(spec.code[:31])
    cols = layout_columns(spec)
    first_data = write_heading(ws, st, spec, d.department, d.year, table_unit(d, spec, table))
    widths = _Widths([max((cjk_width(p) for p in c.header), default=4) + 2 for c in cols])
    end = first_data
    has_amounts = False
    for line in _grid(spec, table):
        for c, (value, style_key) in enumerate(line):
            style = st.by_key[style_key]
            if value.__class__ is Decimal:
                ws.write_number(end, c, float(value), style)
                widths.amount(c, value)
                has_amounts = has_amounts or value != 0
            elif value is None or value == "":
                ws.write_blank(end, c, None, style)
            else:
                text = str(value)
                ws.write_string(end, c, text, style)
                widths.text(c, text, _INDENT_WIDTH * int(style_key[-1]) if style_key.startswith("indent") else 0)
        end += 1
    notes = [] if has_amounts else [d.template.empty_note]
    for i, note in enumerate(notes):
        ws.write_string(end + 1 + i, 0, note, st.note)
    for c, w in enumerate(widths.final()):
        ws.set_column(c, c, w)
    page_setup(ws, first_data, max(end + len(notes), first_data), len(cols) - 1)


class _Widths:
    """Column widths in narrow-character units: the widest header, text or amount of each column
    (plus a margin), kept between 6 and 60. Rows are seen one at a time, as they are written."""
    MIN, MAX = 6, 60

    def __init__(self, header_widths: list[int]):
        self.widths = header_widths
        self.low: dict[int, Decimal] = {}    # per column: the smallest and largest amount; the
        self.high: dict[int, Decimal] = {}   # longest printed amount is one of the two

    def text(self, c: int, text: str, indent: int = 0) -> None:
        # A character is at most two units wide: most texts are ruled out without measuring them.
        if 2 * len(text) + indent + 2 > self.widths[c] and self.widths[c] < self.MAX:
            self.widths[c] = max(self.widths[c], cjk_width(text) + indent + 2)

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


def write_heading(ws, st: Styles, spec: TableSpec, department: str | None, year: int | None, unit: str) -> int:
    """Code at the right, title merged across, the 部门/年度/金额单位 line, then the merged header
    from the template's header paths. Returns the first data row."""
    write_title_block(ws, st, len(layout_columns(spec)), code_label(spec), spec.title, department,
                      f"{year} 年度" if year else "", unit)
    return write_header(ws, st, *header_cells(spec))


def write_title_block(ws, st: Styles, width: int, code: str, title: str, department: str | None, period: str,
                      unit: str) -> None:
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
        ws.write_string(2, 0, f"部门（单位）：{department}", st.left)
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
            _record_merge(ws, top + hc.row, hc.col, top + hc.last_row, hc.last_col)
    return top + n_header


def _record_merge(ws, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Merge cells already written. xlsxwriter's merge_range cannot be used here: it writes the
    rows below at once, and in constant_memory mode a row is flushed to disk as soon as a later one
    is written, so the rest of the header's first row would be lost (its author does not support
    merging down in that mode). The range is recorded in the list merge_range itself keeps, which
    xlsxwriter writes out as <mergeCells> on close; tests check every header's merges."""
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


def code_label(spec: TableSpec) -> str:
    """The code as printed above the table ("财决公开01表" rather than the id "财决公开01")."""
    return next((a for a in spec.code_aliases if a.startswith(spec.code) and a.endswith("表")), spec.code)


def table_unit(d: Disclosure, spec: TableSpec, table: Table | None) -> str:
    """The 金额单位 printed for a table (a missing table takes the workbook's or template's)."""
    return table.unit if table is not None else (d.unit if d.unit in ("元", "万元") else spec.unit)


def prints_empty(table: Table | None, grid: list[list[tuple[object, str]]]) -> bool:
    """An empty table is still published, with the official note under it."""
    return table is None or not grid or all(v in (None, "", 0) for line in grid for v, k in line if k.startswith("amount"))


def table_grid(spec: TableSpec, table: Table | None) -> list[list[tuple[object, str]]]:
    """The printed rows as a list (the Word writer's view of _grid, so a table prints the same in
    both)."""
    return list(_grid(spec, table))


def _grid(spec: TableSpec, table: Table | None) -> Iterable[list[tuple[object, str]]]:
    """The printed rows, top to bottom: each a list of (value, style key) per layout column. Style
    keys: amount, amount_bold, text, text_center, bold, indent1, indent2 (款/项 under their 类).
    The rows of a classified table are made one at a time, as they are written."""
    if table is None:
        return []
    if spec.rows.kind == "fixed":
        return _fixed_grid(spec, table)
    if len(spec.panels) > 1:
        return _class_panels_grid(spec, table)
    printer = _RowPrinter(spec.panels[0])
    return (printer.cells(row) for row in table.rows)


def _row_cells(panel: PanelSpec, row: Row | None, line: int | None = None) -> list[tuple[object, str]]:
    return _RowPrinter(panel).cells(row, line)


class _RowPrinter:
    """What each column of a panel prints for a row, worked out once per table, not per row."""

    def __init__(self, panel: PanelSpec):
        self.columns = [(col.id, _column_kind(col)) for col in panel.columns]
        self.has_code_cols = any(c.role.startswith("code") for c in panel.columns)

    def cells(self, row: Row | None, line: int | None = None) -> list[tuple[object, str]]:
        if row is None:
            return [(line if kind == "line" and line is not None else None,
                     "text_center" if kind == "line" else ("amount" if kind == "amount" else "text"))
                    for _, kind in self.columns]
        out = []
        bold = is_bold(row.kind, row.level, row.label)
        for cid, kind in self.columns:
            if kind == "amount":
                out.append((row.amounts.get(cid), "amount_bold" if bold else "amount"))
            elif kind == "label":
                has_code_cols = self.has_code_cols
                text = (row.name or row.label) if has_code_cols and row.code and row.kind == CLASS else row.label
                indent = LEVEL_INDENT.get(row.level, 0) if row.kind == CLASS and not has_code_cols else 0
                out.append((text, "bold" if bold else (f"indent{indent}" if indent else "text")))
            elif kind == "code":
                out.append((row.code if row.kind == CLASS else "", "text"))
            elif kind == "code_part":
                out.append(("", "text"))
            elif kind == "line":
                out.append((line if line is not None else "", "text_center"))
            else:
                out.append((row.attrs.get(cid, ""), "text_center" if kind == "seq" else "text"))
        return out


def is_bold(kind: str, level: str, label: str) -> bool:
    """Printed in bold: totals, departments, units, 类 rows and fixed 合计/小计 lines (shared by the
    published tables and the diff workbook, so a hierarchy looks the same in both)."""
    return (kind in (TOTAL, DEPT, UNIT) or (kind == CLASS and level == "类") or
            (kind == FIXED and level == "行" and "计" in label))


def _column_kind(col) -> str:
    """amount | label | code | code_part (类/款/项 cells left blank) | line | seq | text."""
    if col.is_amount:
        return "amount"
    if col.role in ("code", "code_class"):
        return "code"
    if col.role in ("code_kuan", "code_xiang"):
        return "code_part"
    if col.role in ("label", "line", "seq"):
        return col.role
    return "text"


def _fixed_grid(spec: TableSpec, table: Table) -> list[list[tuple[object, str]]]:
    """Side-by-side panels of fixed rows: by 行次 where the template numbers them, else the body
    from the top and the totals (rows from `footer: true` on) level at the bottom."""
    columns: list[list[list[tuple[object, str]]]] = []
    for panel in spec.panels:
        rows = list(panel.rows)
        if any(r.line for r in rows):
            first = min(r.line for r in rows if r.line)
            last = max(r.line for r in rows if r.line)
            by_line = {r.line: r for r in rows if r.line}
            cells = []
            for line in range(first, last + 1):
                fixed = by_line.get(line)
                row = table.row(fixed.id) if fixed else None
                cells.append(_row_cells(panel, _or_blank(row, fixed) if fixed else None, line))
            columns.append(cells)
        else:
            cut = next((i for i, r in enumerate(rows) if r.footer), len(rows))
            body = [_row_cells(panel, _or_blank(table.row(f.id), f)) for f in rows[:cut]]
            foot = [_row_cells(panel, _or_blank(table.row(f.id), f)) for f in rows[cut:]]
            columns.append((body, foot))
    if columns and isinstance(columns[0], tuple):
        height = max(len(b) for b, _ in columns)
        stacked = []
        for (body, foot), panel in zip(columns, spec.panels):
            blank = [_row_cells(panel, None)] * (height - len(body))
            stacked.append(body + blank + foot)
        columns = stacked
    height = max(len(c) for c in columns)
    grid = []
    for i in range(height):
        line = []
        for cells, panel in zip(columns, spec.panels):
            line.extend(cells[i] if i < len(cells) else _row_cells(panel, None))
        grid.append(line)
    return grid


def _or_blank(row: Row | None, fixed) -> Row:
    """A fixed row the workbook did not carry is printed with its label and no amounts."""
    if row is not None:
        return row
    return Row(fixed.id, FIXED, "类" if fixed.is_class else "行", fixed.label, code=fixed.id)


def _class_panels_grid(spec: TableSpec, table: Table) -> list[list[tuple[object, str]]]:
    """Side-by-side classification panels (决算06): each panel prints its 类 and their 款, then
    its fixed rows (人员经费合计 …) at the bottom; 行次 run on from panel to panel."""
    columns = []
    line = 1
    fixed_by_panel: dict[str, list[Row]] = {}
    for fixed in spec.rows.fixed:
        panel = next((p for p in spec.panels if fixed.sum_of and set(fixed.sum_of.classes) & set(p.classes)), None)
        row = table.row(fixed.id)
        if panel is not None and row is not None:
            fixed_by_panel.setdefault(panel.id, []).append(row)
    for panel in spec.panels:
        rows = [r for r in table.rows if r.kind == CLASS and r.code and class_of(r.code) in panel.classes]
        cells = []
        for row in rows:
            cells.append(_row_cells(panel, row, line))
            line += 1
        columns.append((cells, [(panel, r) for r in fixed_by_panel.get(panel.id, [])]))
    height = max(len(c) for c, _ in columns)
    grid = []
    for i in range(height):
        grid.append([cell for (cells, _), panel in zip(columns, spec.panels)
                     for cell in (cells[i] if i < len(cells) else _row_cells(panel, None))])
    footer = []
    for (_, fixed), panel in zip(columns, spec.panels):
        if fixed:
            footer.extend(_row_cells(panel, fixed[0][1], line))
            line += 1
        else:
            footer.extend(_row_cells(panel, None))
    return grid + [footer]
