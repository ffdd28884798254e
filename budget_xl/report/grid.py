"""What a table prints, row by row: each row a list of (value, style key) per layout column. One
view of a table for every writer (the published workbook, the Word document, the diff workbook), so
a table prints the same in all of them.

Style keys: amount, amount_bold, amount_unit, text, text_center, bold, unit, indent1, indent2 (款/项 under
their 类); *_unit: a department or unit row (bold and shaded); percent0…percent4 (a Percent value, with
the decimals it is printed with).
"""
from __future__ import annotations

from collections.abc import Iterable

from ..classification import class_of
from ..model import CLASS, DEPT, FIXED, ITEM, TOTAL, UNIT, Disclosure, Row, Table
from ..templates import FixedRow, PanelSpec, TableSpec
from ..text import chinese_number

LEVEL_INDENT = {"款": 1, "项": 2}   # indent levels of 款/项 labels under their 类
Cell = tuple[object, str]         # (value, style key)


def code_label(spec: TableSpec) -> str:
    """The code as printed above the table ("财决公开01表" rather than the id "财决公开01"; none for a
    set that prints no 表号, printed_codes: false)."""
    if spec.printed_code is not None:
        return spec.printed_code
    return next((a for a in spec.code_aliases if a.startswith(spec.code) and a.endswith("表")), spec.code)


def table_unit(d: Disclosure, spec: TableSpec, table: Table | None) -> str:
    """The 金额单位 printed for a table (a missing table takes the workbook's or template's)."""
    return table.unit if table is not None else (d.unit if d.unit in ("元", "万元") else spec.unit)


def prints_empty(table: Table | None, grid: list[list[tuple[object, str]]]) -> bool:
    """An empty table is still published, with the official note under it."""
    return table is None or not grid or all(v in (None, "", 0) for line in grid for v, k in line if k.startswith("amount"))


def table_grid(spec: TableSpec, table: Table | None) -> list[list[tuple[object, str]]]:
    """The printed rows as a list."""
    return list(grid_rows(spec, table))


def grid_rows(spec: TableSpec, table: Table | None) -> Iterable[list[tuple[object, str]]]:
    """The printed rows, top to bottom: each a list of (value, style key) per layout column. Style
    keys: as the module says.
    The rows of a classified table are made one at a time, as they are written."""
    if table is None:
        return []
    if spec.rows.kind == "fixed":
        return _fixed_grid(spec, table)
    if len(spec.panels) > 1:
        return _class_panels_grid(spec, table)
    printer = _RowPrinter(spec.panels[0], spec.rows.outline)
    fixed = {f.id: f for f in spec.rows.fixed}
    return (printer.cells(_as_printed(row, fixed[row.key]) if row.kind == FIXED and row.key in fixed else row)
            for row in table.rows)


def printed_spec(spec: TableSpec, table: Table | None) -> TableSpec:
    """The layout a table is published in: the template's, without the alternative columns
    (`only_present`) the workbook does not print — 比上年预算数增长% is not added where the department
    prints only 增长% — while an official form's optional columns are printed, blank if need be."""
    if table is None or not table.absent_columns:
        return spec
    drop = set(table.absent_columns)
    panels = tuple(p._replace(columns=tuple(c for c in p.columns if not (c.only_present and c.id in drop)))
                   for p in spec.panels)
    return spec._replace(panels=panels)


def _row_cells(panel: PanelSpec, row: Row | None, line: int | None = None) -> list[tuple[object, str]]:
    return _RowPrinter(panel).cells(row, line)


class _RowPrinter:
    """What each column of a panel prints for a row, worked out once per table, not per row."""

    def __init__(self, panel: PanelSpec, outline: bool = False):
        self.columns = [(col.id, _column_kind(col)) for col in panel.columns]
        self.has_code_cols = any(c.role.startswith("code") for c in panel.columns)
        # Rows printed by name take their level from their indentation (reader/outline.py): it is
        # written into the text, two full-width spaces a level, so the table reads back the same.
        self.outline = outline

    def cells(self, row: Row | None, line: int | None = None) -> list[tuple[object, str]]:
        if row is None:
            return [(line if kind == "line" and line is not None else None,
                     "text_center" if kind == "line" else ("amount" if kind == "amount" else "text"))
                    for _, kind in self.columns]
        out: list[Cell] = []
        bold = is_bold(row.kind, row.level, row.label)
        # Department and unit rows are shaded as well as bold, so they stand apart from the 类 below them.
        unit = row.kind in (DEPT, UNIT)
        for cid, kind in self.columns:
            if kind == "amount":
                out.append((row.amounts.get(cid), "amount_unit" if unit else "amount_bold" if bold else "amount"))
            elif kind == "label":
                has_code_cols = self.has_code_cols
                text = (row.name or row.label) if has_code_cols and row.code and row.kind == CLASS else row.label
                indent = LEVEL_INDENT.get(row.level, 0) if row.kind == CLASS and not has_code_cols else 0
                indent = indent or (1 if row.kind == ITEM and row.parent else 0)   # a sub-item of an outline
                if self.outline and indent:
                    out.append(("\u3000\u3000" * indent + (row.name or text), "text"))
                    continue
                out.append((text, "unit" if unit else "bold" if bold else (f"indent{indent}" if indent else "text")))
            elif kind == "percent":
                pct = (row.percents or {}).get(cid)
                out.append((pct, f"percent{pct.decimals if pct is not None else 1}"))
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
    if col.is_percent:
        return "percent"
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
    columns: list[tuple[list[list[Cell]], list[list[Cell]]]] = []  # (body, foot) of each panel
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
                cells.append(_row_cells(panel, _as_printed(row, fixed) if fixed else None, line))
            columns.append((cells, []))  # 行次 place every row: nothing is held for the bottom
        else:
            cut = next((i for i, r in enumerate(rows) if r.footer), len(rows))
            sparse = spec.rows.only_present
            body = [_row_cells(panel, row) for row in _printed(table, rows[:cut], sparse)]
            foot = [_row_cells(panel, row) for row in _printed(table, rows[cut:], sparse)]
            columns.append((body, foot))
    height = max(len(b) for b, _ in columns)
    stacked = []
    for (body, foot), panel in zip(columns, spec.panels):
        blank = [_row_cells(panel, None)] * (height - len(body))
        stacked.append(body + blank + foot)
    height = max(len(c) for c in stacked)
    grid = []
    for i in range(height):
        grid_line: list[Cell] = []
        for cells, panel in zip(stacked, spec.panels):
            grid_line.extend(cells[i] if i < len(cells) else _row_cells(panel, None))
        grid.append(grid_line)
    return grid


def _printed(table: Table, fixed_rows, sparse: bool = False) -> list[Row]:
    """The rows a fixed panel prints: every template row, except the 类 of a list printed only when
    present (the national 收支总表 lists the 类 the department has, numbered 一、二、… in order), and in
    a table printed with its rows only (`rows.only_present`) the rows the workbook does not have."""
    out, n = [], 0
    for fixed in fixed_rows:
        row = table.row(fixed.id)
        if sparse and row is None:
            continue
        if fixed.only_present:
            if row is None or not any(row.amounts.values()):
                continue
            n += 1
            if fixed.numbered:
                out.append(_as_printed(row, fixed, f"{chinese_number(n)}、{fixed.label}"))
                continue
        # A table printed with the rows the workbook has (政府预算) keeps the workbook's wording of them
        # (“二、市补助收入合计”); the official forms print the template's, numbered as they are.
        out.append(row if sparse and row is not None else _as_printed(row, fixed))
    return out


def _as_printed(row: Row | None, fixed: FixedRow, label: str | None = None) -> Row:
    """A fixed row as the official table prints it: the template's label with its ordinal, whatever
    the workbook wrote (a workbook from `init` or another province writes no 一、二、…); a row the
    workbook did not carry is printed with its label and no amounts."""
    label = label or fixed.printed
    if row is None:
        return Row(fixed.id, FIXED, "类" if fixed.is_class else "行", label, code=fixed.id)
    return Row(row.key, row.kind, row.level, label, row.code, row.unit, row.name, row.amounts)


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
            fixed_by_panel.setdefault(panel.id, []).append(_as_printed(row, fixed))
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
    for (_, footer_rows), panel in zip(columns, spec.panels):
        if footer_rows:
            footer.extend(_row_cells(panel, footer_rows[0][1], line))
            line += 1
        else:
            footer.extend(_row_cells(panel, None))
    return grid + [footer]
