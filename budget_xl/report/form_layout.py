"""Where each cell of a 绩效 form goes when it is printed, from the template's `print` section: the
title across the form, the head rows (labels and values with their spans, cells spanning rows), the
indicator grid (一级 and 二级 merged down the rows they share, as in the published forms), the 总分 row
and the foot lines. One layout serves `fill` (xlsxwriter), `init` (blank forms) and the sample
builder (openpyxl), so the three cannot drift apart."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..templates.forms import FormSpec, PrintCell

TREE = ("level1", "level2")


@dataclass
class FormData:
    """What to print in a form: field values (Decimal or text), indicator rows (grid column id →
    value), the 总分 row, 重点任务, and the title as the form prints it."""
    fields: dict[str, object] = field(default_factory=dict)
    indicators: list[dict[str, object]] = field(default_factory=list)
    totals: dict[str, object] = field(default_factory=dict)
    tasks: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""            # default: the template's title
    subtitle: str = ""         # a line under the title (“（2024年度）”)
    blank_rows: int = 0        # indicator rows left blank for entry (init)


@dataclass
class Placed:
    row: int
    col: int
    last_row: int
    last_col: int
    role: str                  # title | subtitle | label | value | text | header | grid | total | note
    value: object = None       # text or Decimal
    kind: str = "text"         # how a value is formatted: text | amount | score | rate | count
    ref: str = ""              # the field (value cells) or grid column (grid cells)
    border: bool = True
    entry: bool = False        # a cell the clerk fills in (init)

    @property
    def merged(self) -> bool:
        return self.last_row > self.row or self.last_col > self.col


@dataclass
class Layout:
    widths: tuple[int, ...]
    cells: list[Placed]
    rows: int                  # rows used
    header_row: int = -1       # the grid's header row (-1: no grid)


def layout_form(spec: FormSpec, data: FormData) -> Layout:
    p = spec.print
    width = len(p.widths)
    cells: list[Placed] = [Placed(0, 0, 0, width - 1, "title", data.title or spec.title, border=False)]
    row = 1
    if data.subtitle:
        cells.append(Placed(row, 0, row, width - 1, "subtitle", data.subtitle, border=False))
        row += 1
    row = _rows(spec, p.head, data, cells, row, width)
    header_row = -1
    if spec.grid is not None:
        header_row = row
        row = _grid(spec, data, cells, row, width)
    row = _rows(spec, p.foot, data, cells, row, width)
    return Layout(p.widths, cells, row, header_row)


def _rows(spec: FormSpec, rows: tuple[tuple[PrintCell, ...], ...], data: FormData, cells: list[Placed], row: int,
          width: int) -> int:
    covered: dict[int, int] = {}
    for line in rows:
        col = 0
        for c in line:
            while covered.get(col, 0) > 0:
                col += 1
            last_row, last_col = row + c.rows - 1, min(col + c.span - 1, width - 1)
            cells.append(_cell(spec, c, data, row, col, last_row, last_col))
            if c.rows > 1:
                for k in range(c.span):
                    covered[col + k] = c.rows
            col = last_col + 1
        covered = {k: v - 1 for k, v in covered.items() if v > 1}
        row += 1
    return row


def _cell(spec: FormSpec, c: PrintCell, data: FormData, row: int, col: int, last_row: int, last_col: int) -> Placed:
    if c.kind == "label":
        return Placed(row, col, last_row, last_col, "label", spec.printed_label(c.ref), border=c.border)
    if c.kind == "value":
        if c.ref.startswith("totals."):
            return Placed(row, col, last_row, last_col, "value", data.totals.get(c.ref[7:]), "score", c.ref,
                          c.border, entry=False)
        kind = spec.field_type(c.ref)
        return Placed(row, col, last_row, last_col, "value", data.fields.get(c.ref), kind if kind != "grade" else "text",
                      c.ref, c.border, entry=True)
    if c.kind == "task":
        task = data.tasks[c.task - 1] if 0 < c.task <= len(data.tasks) else ("", "")
        text = task[0] if c.part == "name" else task[1]
        return Placed(row, col, last_row, last_col, "value", text, "text", f"task{c.task}.{c.part}", c.border, entry=True)
    return Placed(row, col, last_row, last_col, "text", c.ref, border=c.border)


def _grid(spec: FormSpec, data: FormData, cells: list[Placed], row: int, width: int) -> int:
    assert spec.grid is not None
    columns = list(spec.grid.columns)
    offset = 1 if spec.print.grid_label else 0
    rows = data.indicators + [{} for _ in range(data.blank_rows)]
    has_totals = bool(spec.grid.total_labels)
    first = row
    for i, c in enumerate(columns):
        cells.append(Placed(row, offset + i, row, offset + i, "header", c.header))
    row += 1
    for n, ind in enumerate(rows):
        for i, c in enumerate(columns):
            if c.id in TREE and _same_branch(rows, n, c.id):
                continue       # merged into the cell above
            last = row
            if c.id in TREE:
                while last - row + n + 1 < len(rows) and _same_branch(rows, last - row + n + 1, c.id):
                    last += 1
            kind = "score" if c.type == "score" else "text"
            cells.append(Placed(row, offset + i, last, offset + i, "grid", ind.get(c.id), kind, c.id, entry=True))
        row += 1
    if has_totals:
        label = spec.grid.total_labels[0]
        score_cols = [i for i, c in enumerate(columns) if c.type == "score"]
        upto = (score_cols[0] if score_cols else len(columns)) - 1
        cells.append(Placed(row, offset, row, offset + max(upto, 0), "total", label))
        for i, c in enumerate(columns):
            if i > upto:
                value = data.totals.get(c.id) if c.type == "score" else None
                cells.append(Placed(row, offset + i, row, offset + i, "total", value, c.type if c.type == "score" else "text",
                                    f"totals.{c.id}"))
        row += 1
    if offset:
        cells.append(Placed(first, 0, row - 1, 0, "text", spec.print.grid_label))
    return row


def _same_branch(rows: list[dict[str, object]], n: int, column: str) -> bool:
    """Whether row n continues the branch of row n − 1 in this tree column: blank (carried down) or
    equal, under the same 一级 — so 一级 and 二级 print merged over the rows they share."""
    if n == 0:
        return False
    here, above = rows[n], rows[n - 1]
    if not here and not above:
        return False
    value = here.get(column)
    if column == "level2" and here.get("level1") not in (None, "", above.get("level1")):
        return False
    return value in (None, "") and bool(here) or value == above.get(column) and value not in (None, "")


def as_number(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None
