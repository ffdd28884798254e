"""Department, year and amount unit, found wherever the workbook states them: a cover sheet
("2024年西岗区本级部门预算表 / 预算部门：145-…"), a "部门（单位）：… 2024 年度" line above a table,
the department row of a table, the unit line ("金额单位：万元")."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import DEPT, Table
from .workbook import Sheet

if TYPE_CHECKING:  # pragma: no cover
    from . import Piece

_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DEPT = re.compile(r"(?:预算部门|部门名称|部门\s*[(（]\s*单位\s*[)）]|单位名称|编制部门|编制单位|预算单位|填报单位|主管部门)\s*[:：]\s*(.+)")
_CUT = re.compile(r"\s*(?:金额单位|单位\s*[:：]|(?:19|20)\d{2}\s*年).*$")
_OWN_LEVEL = re.compile(r"\s*[(（]\s*本级\s*[)）]\s*$")
META_ROWS = 15  # how deep into a sheet to look for cover and header lines


def _texts(sheet: Sheet, rows: Iterable[int]):
    for r in rows:
        if 0 <= r < sheet.height:
            for v in sheet.grid[r]:
                if isinstance(v, str) and v.strip() and len(v) <= 120:
                    yield v


def find_unit(sheet: Sheet, title_row: int, header_row: int) -> str | None:
    """The unit line between a table's title and its header (or on the title row)."""
    for text in _texts(sheet, range(max(title_row - 1, 0), header_row)):
        m = _UNIT.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
        if m:
            return m.group(1)
    return None


def find_year(sheets: list[Sheet], pieces: list[Piece]) -> int | None:
    votes: Counter[int] = Counter()
    for sheet in sheets:
        rows = set(range(min(META_ROWS, sheet.height)))
        for p in pieces:
            if p.sheet is sheet:
                rows.update(range(max(p.title_row - 2, 0), p.cmap.header_rows[0]))
        for text in _texts(sheet, sorted(rows)):
            for m in _YEAR.finditer(unicodedata.normalize("NFKC", text)):
                # A cover title or a "2024 年度" line counts more than a year inside a sentence.
                votes[int(m.group(1))] += 3 if len(text) <= 40 else 1
    return votes.most_common(1)[0][0] if votes else None


def find_department(sheets: list[Sheet], tables: dict[str, Table]) -> str | None:
    stated: list[str] = []
    for sheet in sheets:
        for text in _texts(sheet, range(min(META_ROWS, sheet.height))):
            m = _DEPT.search(unicodedata.normalize("NFKC", text))
            if m:
                value = _OWN_LEVEL.sub("", _CUT.sub("", m.group(1))).strip()
                if value:
                    stated.append(value)
    with_code = [s for s in stated if re.match(r"^\d{3,}\s*[-－—_ ]", s)]
    if with_code:
        return _tidy(with_code[0])
    for table in tables.values():
        for row in table.rows:
            if row.kind == DEPT:
                return _tidy(row.label)
    return _tidy(stated[0]) if stated else None


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"^(\d{3,})\s*[-_ ]\s*", r"\1-", text)
    return text.replace("(", "（").replace(")", "）")
