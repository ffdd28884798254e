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
from ..templates import TableSpec
from ..text import norm
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


def issuer_of_titles(titles: list[tuple[Sheet, tuple[int, int] | None, TableSpec]]) -> str | None:
    """Who publishes the tables when no line says so: the words most titles print before the table's
    own title, without the year (“2023年大连市西岗区一般公共预算收入表” → 大连市西岗区), as a 政府预算 names
    its government. None unless most titles agree."""
    seen: Counter[str] = Counter()
    for sheet, cell, spec in titles:
        if cell is None:
            continue
        text = norm(sheet.value(*cell))
        name = next((t for t in sorted(spec.title_names(), key=len) if text.endswith(t)), None)
        if name is None:
            continue
        prefix = _YEAR_WORDS.sub("", text[: -len(name)]).strip("的")
        prefix = re.sub(r"(区本级|市本级|县本级|本级)$", "", prefix)
        if len(prefix) >= 2:
            seen[prefix] += 1
    if not seen:
        return None
    name, count = seen.most_common(1)[0]
    return name if count * 2 > sum(seen.values()) else None


_YEAR_WORDS = re.compile(r"(?:19|20)\d{2}年度?")


def printed_decimals(table: Table) -> int:
    """The decimals a table's amounts are printed with: the template's, or more where the workbook
    prints more (a table the template prints in whole 万元, given in 万元 to two decimals)."""
    wanted = table.spec.decimals
    if wanted >= 2:
        return wanted
    seen = wanted
    for row in table.rows:
        for value in row.amounts.values():
            if value is not None and value != value.to_integral_value():
                seen = max(seen, min(-value.normalize().as_tuple().exponent, 2))  # type: ignore[operator]
                if seen >= 2:
                    return 2
    return seen
