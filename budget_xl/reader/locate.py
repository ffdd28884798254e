"""Finding tables in sheets: title/code anchors, the header band, and which grid column is
which template column. Recognition is by text (titles, codes, header labels), never by sheet
name or position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..layout import layout_columns
from ..templates import ColumnSpec, TableSpec, TemplateSet
from ..templates.concepts import vocabulary
from ..text import norm, strip_ordinal, strip_year
from .workbook import Sheet

_CODE_MARK = re.compile(r"^(?:附表|财决公开|公开|决算|财决)?\d{1,2}表?$|^附表[一二三四五六七八九十]+$")
_TRAILING_NO = re.compile(r"(?<=[^\d])\d{1,2}$")
_COL_NUMBERS = re.compile(r"^\d{1,2}$")
_COL_ROW_STARTS = set("栏类款项行0123456789０１２３４５６７８９")
MAX_TITLE_PREFIX = 40     # "大连市西岗区人民政府办公室2024年度" before a title
HEADER_SEARCH_ROWS = 12   # how far below a title the header may start


@dataclass
class Anchor:
    row: int
    spec: TableSpec
    cell: tuple[int, int]
    by_title: bool


@dataclass
class ColumnMap:
    """Grid column of each template column, per panel, for one table piece."""
    panels: list[dict[str, int]] = field(default_factory=list)  # per panel: column id -> grid col
    missing: list[ColumnSpec] = field(default_factory=list)
    header_rows: tuple[int, int] = (0, -1)  # first, last grid row of the header band (inclusive)


class TitleIndex:
    """Normalised titles and code marks of every table of the given template sets."""

    def __init__(self, sets: list[TemplateSet]):
        self.titles: dict[str, list[TableSpec]] = {}
        self.codes: dict[str, list[TableSpec]] = {}
        for ts in sets:
            for spec in ts.tables.values():
                for t in spec.title_names():
                    self.titles.setdefault(t, []).append(spec)
                for c in spec.code_names():
                    self.codes.setdefault(c, []).append(spec)
                    self.codes.setdefault(c.removesuffix("表"), []).append(spec)
        # Longest first, so "一般公共预算基本支出表" wins over a shorter title it ends with.
        self.title_list = sorted(self.titles, key=len, reverse=True)

    def match(self, text: str) -> tuple[list[TableSpec], bool] | None:
        """(tables, is_title) for a cell text that is a table title or a code mark."""
        n = norm(text)
        if not n or len(n) > MAX_TITLE_PREFIX + 30:
            return None
        if n in self.codes:
            return self.codes[n], False
        core = n.removesuffix("(公开表)").removesuffix("公开表") if n.endswith("公开表") and n not in self.titles else n
        for title in self.title_list:
            if core == title or (core.endswith(title) and len(core) - len(title) <= MAX_TITLE_PREFIX
                                  and not core[: -len(title)].endswith(("的", "和", "及"))):
                return self.titles[title], True
        return None


def title_hits(sheet: Sheet, index: TitleIndex) -> list[tuple[int, int, TableSpec, bool]]:
    """Every cell of the sheet holding a title or code of any indexed table."""
    hits: list[tuple[int, int, TableSpec, bool]] = []
    for r, line in enumerate(sheet.grid):
        if not has_biao(line):  # cheap test first: most rows hold no title
            continue
        for c, value in enumerate(line):
            if not isinstance(value, str) or "表" not in value:
                continue
            hit = index.match(value)
            if hit:
                hits.extend((r, c, spec, hit[1]) for spec in hit[0])
    return hits


def has_biao(line: list) -> bool:
    for v in line:
        if v.__class__ is str and "表" in v:
            return True
    return False


def find_anchors(hits: list[tuple[int, int, TableSpec, bool]], template: TemplateSet) -> list[Anchor]:
    """The template's tables among the hits, one anchor per table start, top to bottom."""
    raw = [h for h in hits if template.tables.get(h[2].code) is h[2]]
    anchors: list[Anchor] = []
    for r, c, spec, is_title in raw:
        # A code mark and a title a few rows apart announce the same table.
        near = next((a for a in anchors if a.spec is spec and abs(a.row - r) <= 3), None)
        if near:
            if is_title and not near.by_title:
                near.by_title, near.cell = True, (r, c)
            near.row = min(near.row, r)
            continue
        anchors.append(Anchor(r, spec, (r, c), is_title))
    anchors.sort(key=lambda a: a.row)
    return anchors


# --------------------------------------------------------------------------- header band
def _header_name(text: str, official: bool = True) -> str:
    """A header cell's wording as headers are compared: normalised, without a leading year or a
    栏次 number glued to it ("金额1"), in its official wording (concepts.yaml) unless `official` is
    False (the wording as printed)."""
    n = strip_year(norm(text))
    stripped = _TRAILING_NO.sub("", n) or n  # "金额1" -> "金额" (栏次 printed in the header cell)
    return vocabulary().canonical(stripped) if official else stripped


def canonical(text: str) -> str:
    return vocabulary().canonical(norm(text))


def header_vocabulary(spec: TableSpec) -> set[str]:
    """The header words of a table: its template's, and every column concept's and group's (so a
    header row with sub-columns the template does not have is still known as a header)."""
    words = set(_known_header_words())
    for col in layout_columns(spec):
        words.update(canonical(h) for h in col.header)
        words.update(canonical(a) for a in col.aliases)
    words.discard("")
    return words


@lru_cache(maxsize=1)
def _known_header_words() -> frozenset[str]:
    v = vocabulary()
    return frozenset(norm(c.label) for c in v.concepts.values()) | frozenset(v.canon.values())


def is_col_number_row(line: list) -> bool:
    """The 栏次 row: '栏次' and/or 1, 2, 3 … (and empty cells)."""
    seen_number = False
    for value in line:
        if value in ("", None):
            continue
        if value.__class__ is str and (len(value) > 6 or value.lstrip()[:1] not in _COL_ROW_STARTS):
            return False
        if isinstance(value, float) and value.is_integer() and 0 < value < 100:
            seen_number = True
            continue
        text = norm(value)
        if text in ("栏次", "类", "款", "项", "行次") or _COL_NUMBERS.fullmatch(text):
            seen_number = seen_number or text.isdigit()
            continue
        return False
    return seen_number


def header_hits(line: list, vocab: set[str]) -> int:
    hits = 0
    for value in line:
        if isinstance(value, str) and value and _header_name(value) in vocab:
            hits += 1
    return hits


def _starts_with_total(line: list, total_names: frozenset[str]) -> bool:
    first = next((v for v in line if isinstance(v, str) and v.strip()), None)
    return first is not None and strip_ordinal(norm(first)) in total_names


def find_header(sheet: Sheet, spec: TableSpec, start: int, stop: int, vocab: set[str],
                total_names: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """First and last row of the header band between start and stop, or None."""
    limit = min(stop, start + HEADER_SEARCH_ROWS)
    r = start
    while r < limit:
        line = sheet.grid[r]
        if header_hits(line, vocab) >= min(2, len(vocab)):
            first = last = r
            r += 1
            while r < stop and (header_hits(sheet.grid[r], vocab) >= 1 or is_col_number_row(sheet.grid[r])):
                line = sheet.grid[r]
                if any(_is_number(v) for v in line) and not is_col_number_row(line):
                    break
                if _starts_with_total(line, total_names) and header_hits(line, vocab) < 2:
                    break  # an empty 合计 row right under the header, not a header row
                last = r
                r += 1
            return first, last
        r += 1
    return None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def column_paths(sheet: Sheet, first: int, last: int, official: bool = True,
                 band: tuple[dict[tuple[int, int], str], int] | None = None) -> dict[int, list[str]]:
    """Header texts above each grid column, merged cells spread over the columns they cover; in their
    official wording, or as printed (normalised) with `official=False`. `band`: band_texts, if made."""
    texts, width = band or band_texts(sheet, first, last)
    paths: dict[int, list[str]] = {}
    for c in range(width):
        path: list[str] = []
        for r in range(first, last + 1):
            t = texts.get((r, c))
            if t is not None:
                name = _header_name(t, official)
                if name and name != "栏次" and not name.isdigit() and (not path or path[-1] != name):
                    path.append(name)
        if path:
            paths[c] = path
    return paths


# --------------------------------------------------------------------------- years in headers
# Headers compare without their year (“2024年预算数” is 预算数), so two columns printed “2023年预算数” and
# “2024年预算数” say the same words: the year tells 上年 from 本年, and a column printed for one
# period is never taken for a template column of the other.
_YEAR_AT = re.compile(r"^\s*((?:19|20)\d{2})\s*年")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def column_periods(sheet: Sheet, first: int, last: int, start: int,
                   band: tuple[dict[tuple[int, int], str], int] | None = None) -> dict[int, str]:
    """Grid column -> "prior" / "current" / "other" for the columns whose header starts with a year,
    against the table's year: the first year printed between `start` and the header (its title), or,
    without one, the latest of at least two years the headers print."""
    texts, _ = band or band_texts(sheet, first, last)
    years: dict[int, int] = {}
    for (_r, c), t in sorted(texts.items()):   # top to bottom: the lowest header's year counts
        m = _YEAR_AT.match(t)
        if m:
            years[c] = int(m.group(1))
    if not years:
        return {}
    year = next((int(m.group(1)) for r in range(start, first) for v in sheet.grid[r]
                 if isinstance(v, str) and (m := _ANY_YEAR.search(v))), None)
    if year is None:
        if len(set(years.values())) < 2:
            return {}
        year = max(years.values())
    return {c: "current" if y == year else "prior" if y == year - 1 else "other" for c, y in years.items()}


def _period(col: ColumnSpec) -> str | None:
    """The period a template column names in its own header: 上年… or 本年… (else any)."""
    leaf = norm(col.header[-1]) if col.header else ""
    return "prior" if leaf.startswith("上年") else "current" if leaf.startswith("本年") else None


def band_texts(sheet: Sheet, first: int, last: int) -> tuple[dict[tuple[int, int], str], int]:
    """The header band's texts by cell, merged cells spread over the columns they cover, and its width."""
    width = max((len(sheet.grid[r]) for r in range(first, last + 1)), default=0)
    texts: dict[tuple[int, int], str] = {}
    for r in range(first, last + 1):
        for c, value in enumerate(sheet.grid[r]):
            if isinstance(value, str) and value.strip():
                texts[(r, c)] = value
            elif _is_number(value):
                texts[(r, c)] = str(int(value)) if float(value).is_integer() else str(value)
    merged_any = False
    for r1, c1, r2, c2 in sheet.merges:
        if r2 < first or r1 > last:
            continue
        value = texts.get((r1, c1))
        if value is None:
            continue
        merged_any = True
        for r in range(max(r1, first), min(r2, last) + 1):
            for c in range(c1, c2 + 1):
                texts.setdefault((r, c), value)
    if not merged_any and last > first:
        # No merge information (e.g. a CSV-like export): a group label written once spreads to
        # the right over the empty cells of its row, as far as the row below has labels.
        for r in range(first, last):
            current = None
            for c in range(width):
                if (r, c) in texts:
                    current = texts[(r, c)]
                elif current is not None and (r + 1, c) in texts:
                    texts[(r, c)] = current
                else:
                    current = None
    return texts, width


def map_columns(spec: TableSpec, paths: dict[int, list[str]], periods: dict[int, str] | None = None) -> ColumnMap:
    """Assign grid columns to template columns, left to right, by header labels.

    A column matches when its header path holds the template column's label (or an alias); among
    matches, one whose path also holds the template's parent labels (财政拨款 over 一般公共预算)
    wins. Columns are taken in layout order, so repeated labels ("合计" under several groups,
    the three panels of 决算06) land in the right place. A label that several columns of a panel
    share (合计 under 年初结转和结余, 本年收入, 本年支出 …) only matches under its own group: a
    sheet that prints one 合计 without groups leaves the template's 合计 columns unread (and says so)
    rather than guessing which of them it is. Where headers print years (`periods`: “2023年预算数”
    in a 2024 table is 上年), a column dated to another year is never taken for a 本年 column, and a
    上年 column takes a column dated 上年 or one naming 上年 in its own words, never an undated “预算数”.
    """
    result = ColumnMap()
    years = periods or {}
    last = -1
    ordered = sorted(paths)
    # Group labels the sheet does not print at all (a top band left out, 财政拨款“三公”经费 above the
    # whole table) cannot tell columns apart, so they are not asked for.
    printed = {name for path in paths.values() for name in path}
    for panel in spec.panels:
        mapping: dict[str, int] = {}
        leaf_sets = {col.id: {canonical(n) for n in col.leaf_names()} for col in panel.columns}
        seen: dict[str, int] = {}
        for leaves in leaf_sets.values():
            for leaf in leaves:
                seen[leaf] = seen.get(leaf, 0) + 1
        for col in panel.columns:
            leaves = leaf_sets[col.id]
            all_parents = [canonical(h) for h in col.header[:-1]]
            parents = [p for p in all_parents if p in printed]
            shared = any(seen[leaf] > 1 for leaf in leaves)
            candidates = [c for c in ordered if c > last and leaves & set(paths[c])]
            period = _period(col) if years else None
            if period == "current":      # not a column the header dates to another year
                candidates = [c for c in candidates if years.get(c, period) == period]
            elif period == "prior":      # dated 上年, or named 上年 in its own words (not just “预算数”)
                own = {leaf for leaf in leaves if leaf.startswith("上年")}
                candidates = [c for c in candidates if years.get(c) == period or (c not in years and own & set(paths[c]))]
            # Prefer a column whose lowest label is this one (not a group label above it) …
            candidates = [c for c in candidates if paths[c][-1] in leaves] or candidates
            # … and whose group labels are this column's parents (required for a shared label: one
            # whose groups the sheet prints none of cannot be told from its namesakes — unless the
            # header's year does: “2023年预算数” and “2024年预算数”).
            dated = period is not None and bool(candidates) and all(years.get(c) == period for c in candidates)
            if shared and all_parents and not parents and not dated:
                candidates = []
            elif parents:
                grouped = [c for c in candidates if all(p in paths[c] for p in parents)]
                candidates = grouped if grouped or shared else candidates
            if not candidates:
                result.missing.append(col)
                continue
            chosen = candidates[0]
            mapping[col.id] = chosen
            last = chosen
        result.panels.append(mapping)
    return result

