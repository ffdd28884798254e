"""Reading the indicator grid of a 绩效 form as a tree: the header row (found by its column names
wherever it sits), then one indicator per row, 一级 and 二级 carried down from the rows above (merged
cells and blank continuation cells alike), repeated header rows (page breaks) skipped, the 总分 row
read apart."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Note
from ..performance import Indicator, Value
from ..templates.forms import GridSpec, label_key
from ..text import display
from .form_cells import Region, typed

STOP_WORDS = ("说明", "备注", "注:", "注：", "填表说明", "填报说明")


@dataclass
class Grid:
    header_row: int
    columns: dict[str, int]                            # grid column id → sheet column
    indicators: list[Indicator] = field(default_factory=list)
    branches: list[Indicator] = field(default_factory=list)   # every row of the tree, the empty 二级指标 included
    totals: dict[str, Value] = field(default_factory=dict)
    rows: set[int] = field(default_factory=set)        # the sheet rows the grid takes (header to 总分)
    last_row: int = -1


def header_matches(region: Region, grid: GridSpec, row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, _ in region.cells(row):
        key = region.key(row, col)
        if not key:
            continue
        for c in grid.columns:
            if c.id not in found and key in c.names:
                found[c.id] = col
                break
    return found


def is_header(found: dict[str, int]) -> bool:
    return len(found) >= 3 and ("level3" in found or "level1" in found)


def find_header(region: Region, grid: GridSpec) -> tuple[int, dict[str, int]] | None:
    for row in region.rows():
        found = header_matches(region, grid, row)
        if is_header(found):
            return row, found
    return None


def read_grid(region: Region, spec: GridSpec, notes: list[Note], form_label: str, stop_labels) -> Grid | None:
    """The grid of a form, or None when the region has no header row for it. `stop_labels(text)`
    says whether a cell is a field label (a label below the grid, such as 自评等级, ends it)."""
    found = find_header(region, spec)
    if found is None:
        return None
    header_row, columns = found
    grid = Grid(header_row, columns, rows={header_row}, last_row=header_row)
    totals = {label_key(t) for t in spec.total_labels}
    types = {c.id: c.type for c in spec.columns}
    first_col = min(columns.values())
    level1 = level2 = ""
    for row in range(header_row + 1, region.last + 1):
        cells = list(region.cells(row))
        if not cells:
            continue
        again = header_matches(region, spec, row)
        if is_header(again):                         # a header repeated after a page break
            grid.rows.add(row)
            grid.last_row = row
            columns = {**columns, **again}
            continue
        lead = display(cells[0][1])
        if any(lead.startswith(w) for w in STOP_WORDS) or any(stop_labels(v) for _, v in cells):
            break
        if totals and any(region.key(row, c) in totals for c, _ in cells if c <= first_col + 1):
            grid.totals = {cid: typed("score", region.sheet.value(row, col), region.ref(row, col), None, notes,
                                      f"总分行的“{_header(spec, cid)}”", form_label)
                           for cid, col in columns.items() if types.get(cid) == "score"}
            grid.rows.add(row)
            grid.last_row = row
            break
        values: dict[str, Value] = {}
        for cid, col in columns.items():
            raw = region.sheet.value(row, col)
            values[cid] = typed(types.get(cid, "text"), raw, region.ref(row, col), None, notes,
                                f"“{display(region.sheet.value(row, columns.get('level3', col)))}”一行的“{_header(spec, cid)}”",
                                form_label)
        grid.rows.add(row)
        grid.last_row = row
        t1, t2, t3 = (values[c].text if c in values else "" for c in ("level1", "level2", "level3"))
        if t1:
            level1, level2 = t1, ""
        if t2:
            level2 = t2
        others = any(v.text for cid, v in values.items() if cid not in ("level1", "level2", "level3"))
        ind = Indicator(level1, level2, t3, values, region.sheet.name, row)
        grid.branches.append(ind)
        if t3 or others:      # else a row of the tree without an indicator (an empty 二级指标 of the official form)
            grid.indicators.append(ind)
    return grid


def _header(spec: GridSpec, column_id: str) -> str:
    c = spec.column(column_id)
    return c.header if c else column_id
