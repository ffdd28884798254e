"""The printed layout of a table's header, computed from its template.

Every column of a template carries its header path (e.g. [财政拨款, 一般公共预算]); consecutive
columns sharing a prefix sit under one merged cell, and a path shorter than the deepest one is
merged down to the bottom of the header. Writers (sample workbooks, `fill`, `init`) all draw the
header from this one function, so a layout is written once, in the template.
"""
from __future__ import annotations

from dataclasses import dataclass

from .templates import ColumnSpec, TableSpec


@dataclass(frozen=True)
class HeaderCell:
    row: int        # 0-based, relative to the first header row
    col: int        # 0-based, relative to the table's first column
    last_row: int
    last_col: int
    text: str

    @property
    def merged(self) -> bool:
        return self.last_row > self.row or self.last_col > self.col


def layout_columns(spec: TableSpec) -> list[ColumnSpec]:
    """All columns (label, code, amounts…) of all panels, left to right."""
    return [col for panel in spec.panels for col in panel.columns]


def has_col_numbers(spec: TableSpec) -> bool:
    return any(c.col_no is not None for c in spec.columns)


def header_cells(spec: TableSpec) -> tuple[int, list[HeaderCell]]:
    """(number of header rows, the header cells with their merges).

    Tables whose amount columns carry 栏次 numbers (决算) get one more row holding them, with
    "栏次" under the name column, as the official forms print it.
    """
    cols = layout_columns(spec)
    depth, cells = header_tree([c.header for c in cols])
    rows = depth
    if has_col_numbers(spec):
        for i, col in enumerate(cols):
            if col.col_no is not None:
                text = str(col.col_no)
            elif col.role == "label":
                text = "栏次"
            else:
                text = ""
            cells.append(HeaderCell(depth, i, depth, i, text))
        rows += 1
    return rows, cells


def header_tree(paths: list[tuple[str, ...]]) -> tuple[int, list[HeaderCell]]:
    """(depth, merged cells) of a header given each column's path from top to bottom."""
    depth = max(len(p) for p in paths)
    cells: list[HeaderCell] = []
    for level in range(depth):
        start = 0
        while start < len(paths):
            path = paths[start]
            if level >= len(path):
                start += 1
                continue
            end = start
            # Extend the merge while the next column shares the same path down to this level.
            while (end + 1 < len(paths) and len(paths[end + 1]) > level
                   and paths[end + 1][: level + 1] == path[: level + 1]):
                end += 1
            last_row = depth - 1 if level == len(path) - 1 else level
            cells.append(HeaderCell(level, start, last_row, end, path[level]))
            start = end + 1
    return depth, cells
