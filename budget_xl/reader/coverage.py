"""Never silent: every amount cell of every sheet that holds a recognised table is either read into
a row and column, or reported as not read, with its cell.

An amount cell is a number (or a text that reads as an amount with a decimal point or thousands
separator) that is not part of a header band (栏次 numbers included), not a code, 行次 or 序号, and
not a year in the title lines above a table. Whatever of those the tables did not take is unread:
a column the template does not know, a row no template row matched, a panel the reader did not
see — each a place where a misread would otherwise pass unnoticed.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import CellRef, Coverage, Table
from .workbook import Sheet

if TYPE_CHECKING:  # pragma: no cover
    from . import Piece

_AMOUNT_TEXT = re.compile(r"^[\s(（-]*[\d０-９][\d０-９,，]*[.．][\d０-９]+[)）]?\s*$|^[\s(（-]*\d{1,3}(,\d{3})+[)）]?\s*$")
_NOT_AMOUNT_ROLES = {"label", "code", "code_class", "code_kuan", "code_xiang", "line", "seq", "unit", "text"}
_COUNTER_HEADERS = ("行次", "栏次", "序号", "编码", "代码")


def measure(sheets: list[Sheet], pieces: list[Piece], tables: dict[str, Table]) -> Coverage:
    read: set[tuple[str, int, int]] = set()
    for table in tables.values():
        amount_ids = set(table.columns)
        for row in table.rows:
            if row.sheet is None or not row.colmap:
                continue
            for cid, col in row.colmap.items():
                if cid in amount_ids:
                    read.add((row.sheet, row.grid_row, col))
    by_sheet: dict[str, list[Piece]] = {}
    for piece in pieces:
        by_sheet.setdefault(piece.sheet.name, []).append(piece)
    out = Coverage()
    for sheet in sheets:
        mine = by_sheet.get(sheet.name)
        if not mine:
            continue
        skip_rows, skip_cols = _not_amounts(sheet, mine)
        first_header = min(p.cmap.header_rows[0] for p in mine)
        for r, line in enumerate(sheet.grid):
            if r in skip_rows:
                continue
            for c, value in enumerate(line):
                if not _looks_like_amount(value):
                    continue
                if (r, c) in skip_cols or (r < first_header and _is_year(value)):
                    continue
                out.total += 1
                if (sheet.name, r, c) in read:
                    out.read += 1
                else:
                    out.unread.append(CellRef(sheet.name, r, c))
    return out


def _not_amounts(sheet: Sheet, pieces: list[Piece]) -> tuple[set[int], set[tuple[int, int]]]:
    """Rows of header bands, and the cells of code / 行次 / 序号 / name columns in the table bodies."""
    rows: set[int] = set()
    cells: set[tuple[int, int]] = set()
    for piece in pieces:
        first, last = piece.cmap.header_rows
        rows.update(range(first, last + 1))
        counters = set()
        for c in range(sheet_width(sheet, first, last)):
            words = "".join(str(sheet.value(r, c)) for r in range(first, last + 1))
            if any(w in words for w in _COUNTER_HEADERS):
                counters.add(c)
        roles = {c.id: c.role for panel in piece.spec.panels for c in panel.columns}
        for mapping in piece.cmap.panels:
            counters.update(col for cid, col in mapping.items() if roles.get(cid) in _NOT_AMOUNT_ROLES)
        for r in range(piece.start, piece.stop):
            for c in counters:
                cells.add((r, c))
    return rows, cells


def sheet_width(sheet: Sheet, first: int, last: int) -> int:
    return max((len(sheet.grid[r]) for r in range(first, min(last + 1, sheet.height))), default=0)


def _looks_like_amount(value: object) -> bool:
    if value.__class__ is float or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    return isinstance(value, str) and bool(_AMOUNT_TEXT.match(value))


def _is_year(value: object) -> bool:
    return isinstance(value, (int, float)) and float(value).is_integer() and 1990 <= value <= 2100
