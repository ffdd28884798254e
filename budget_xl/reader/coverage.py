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
    # Runs over every row of every table sheet, so it is written for speed: the amounts read are
    # counted from the rows (a C-level count per row), and a grid row a table took is only looked at
    # in the columns no table took there.
    read, n_read = _read_columns(tables)
    by_sheet: dict[str, list[Piece]] = {}
    for piece in pieces:
        by_sheet.setdefault(piece.sheet.name, []).append(piece)
    out = Coverage(read=n_read)
    others_of: dict[tuple[frozenset[int], frozenset[int], int], list[int]] = {}
    for sheet in sheets:
        mine = by_sheet.get(sheet.name)
        if not mine:
            continue
        header_rows, bodies = _not_amounts(sheet, mine)
        first_header = min(p.cmap.header_rows[0] for p in mine)
        read_here = read.get(sheet.name, {})
        for r, line in enumerate(sheet.grid):
            if r in header_rows:
                continue
            skip = _NONE
            for start, stop, cols in bodies:
                if start <= r < stop:
                    skip = skip | cols
            key = (read_here.get(r, _NONE), skip, len(line))
            others = others_of.get(key)
            if others is None:
                ignore = key[0] | skip
                others = others_of[key] = [c for c in range(len(line)) if c not in ignore]
            for c in others:
                value = line[c]
                cls = value.__class__
                if cls is float or cls is int:
                    if r < first_header and _is_year(value):
                        continue
                elif cls is not str or not value or not _AMOUNT_TEXT.match(value):
                    continue
                out.unread.append(CellRef(sheet.name, r, c))
    out.total = out.read + len(out.unread)
    return out


_NONE: frozenset[int] = frozenset()


def _read_columns(tables: dict[str, Table]) -> tuple[dict[str, dict[int, frozenset[int]]], int]:
    """Sheet -> grid row -> the grid columns a table row took; and how many amounts were read (the
    reader keeps both as it goes, reader/rows.py TableBuilder.take)."""
    out: dict[str, dict[int, frozenset[int]]] = {}
    n = 0
    for table in tables.values():
        n += table.amounts_read
        for sheet, rows in table.taken.items():
            mine = out.setdefault(sheet, {})
            if not mine:
                mine.update(rows)
                continue
            for r, cols in rows.items():
                seen = mine.get(r)
                mine[r] = cols if seen is None else seen | cols
    return out, n


def _not_amounts(sheet: Sheet, pieces: list[Piece]) -> tuple[set[int], list[tuple[int, int, frozenset[int]]]]:
    """Rows of header bands, and per table body (first row, stop, columns) the code / 行次 / 序号 / name
    columns, whose numbers are no amounts."""
    rows: set[int] = set()
    bodies = []
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
        bodies.append((piece.start, piece.stop, frozenset(counters)))
    return rows, bodies


def sheet_width(sheet: Sheet, first: int, last: int) -> int:
    return max((len(sheet.grid[r]) for r in range(first, min(last + 1, sheet.height))), default=0)


def _is_year(value: object) -> bool:
    return isinstance(value, (int, float)) and float(value).is_integer() and 1990 <= value <= 2100
