"""A table no template knows, drafted from the sheet that prints it: its layout.

Shared by `read` (a titled table no template claimed is checked anyway) and `budget-xl templates
draft` (the whole workbook written as a template). This module reads the layout: the header band
between the title / unit lines and the first data row (merged cells spread by column_paths), what
each grid column holds — code (科目代码/编码, or 类/款/项 leaves), the name column, 行次, 序号, other
text, amounts (mostly numbers) — judged by its header and its cells, side-by-side panels where name
columns repeat after amounts, column ids (the concept of concepts.yaml where the wording is one and
unique in the table, else a stable id from the grid column), 栏次 numbers and the unit line.
rowshape.py adds the row structure and sums.py the sums the sheet's own numbers bear out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..classification import code_text, split_code
from ..model import column_letter
from ..templates.concepts import vocabulary
from ..text import norm, strip_ordinal
from .locate import column_paths, is_col_number_row
from .meta import find_unit
from .workbook import Sheet

NOTE = re.compile(r"^(?:注[:：\d.．、]|注$|说明[:：]|备注[:：]|填表人|单位负责人|制表|本年度未产生|本部门无|本单位无|无相关数据)")
_INFO = re.compile(r"单位\s*[:：]|部门|年度|编制|填报|日期|^\d{4}年|表$")
_AMOUNT_TEXT = re.compile(r"^[\s(（-]*[\d０-９][\d０-９,，]*(?:[.．][\d０-９]+)?[)）]?\s*$")
_DASHES = set("—-－–/／ \u3000")
TOTALS = ("合计", "总计", "小计")
SEARCH_ROWS = 10     # how far under the title the header band may start
BAND_ROWS = 6        # the deepest header band looked for
CODE_PARTS = {"类": "code_class", "款": "code_kuan", "项": "code_xiang"}
_TEXT_WORDS = ("名称", "项目", "科目", "单位", "类别", "领域", "目录", "说明", "备注", "内容", "级", "用途", "方式")
_AMOUNT_WORDS = ("金额", "合计", "小计", "总计", "数", "费", "支出", "收入", "经费", "资金", "拨款", "结转", "结余", "预算")


@dataclass
class Region:
    """Where a titled table may be: its sheet, title (and code mark) and the rows up to the next table."""
    sheet: Sheet
    title: str              # as printed, trimmed
    mark: str               # the code mark (公开10表, 附表3), "" when none
    title_row: int
    title_cell: tuple[int, int] | None
    stop: int               # end of the region (exclusive)


@dataclass
class Column:
    col: int                        # grid column
    path: tuple[str, ...]           # header path, official wording
    printed: tuple[str, ...]        # header path as printed (normalised)
    role: str
    col_no: int | None = None
    id: str = ""
    concept: str = ""
    sum_of: tuple[str, ...] = ()
    remark: str = ""                # what a person should check (a guessed concept …)

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass
class Sketch:
    region: Region
    band: tuple[int, int]           # first and last row of the header band
    start: int                      # first data row
    end: int                        # end of the data rows (a note line, or the region's end)
    panels: list[list[Column]]
    unit: str | None
    shared: bool = False            # the panels repeat the same columns under the same ids

    @property
    def sheet(self) -> Sheet:
        return self.region.sheet

    @property
    def columns(self) -> list[Column]:
        return [c for p in self.panels for c in p]

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "amount"]

    def has_amounts(self) -> bool:
        """Whether any amount column holds a number under the header."""
        grid = self.sheet.grid
        cols = [c.col for c in self.amount_columns()]
        for r in range(self.start, self.end):
            line = grid[r]
            for c in cols:
                if c < len(line) and is_number(line[c]):
                    return True
        return False


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_amount_text(value: object) -> bool:
    return isinstance(value, str) and bool(_AMOUNT_TEXT.match(value)) and any(ch.isdigit() for ch in value)


def _is_year(value) -> bool:
    return float(value).is_integer() and 1990 <= value <= 2100


def is_dash(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and all(ch in _DASHES for ch in value.strip())


def is_total_label(text: str) -> bool:
    """合计 / 总计 (also letter-spaced, with an ordinal)."""
    return strip_ordinal(norm(text)) in ("合计", "总计")


# --------------------------------------------------------------------------- the header band
def find_band(sheet: Sheet, start: int, stop: int) -> tuple[int, int] | None:
    """First and last row of the header band under a title, or None (a cover, a 目录, a text)."""
    grid = sheet.grid
    r, limit = start, min(stop, start + SEARCH_ROWS)
    while r < limit:
        line = grid[r]
        texts = [(c, v) for c, v in enumerate(line) if isinstance(v, str) and v.strip()]
        if any(is_number(v) and not _is_year(v) for v in line) and not is_col_number_row(line):
            return None                      # numbers before any header
        if texts and not _is_info(texts) and not _caption(sheet, r, texts):
            break
        r += 1
    else:
        return None
    first = r
    left = min(c for c, v in enumerate(grid[first]) if isinstance(v, str) and v.strip())
    last = first
    r += 1
    while r < min(stop, first + BAND_ROWS):
        line = grid[r]
        if is_col_number_row(line):
            last = r
            break
        if _is_data_row(line, left):
            break
        last = r
        r += 1
    width = {c for rr in range(first, last + 1) for c, v in enumerate(grid[rr]) if isinstance(v, str) and v.strip()}
    return (first, last) if len(width) >= 2 else None


def _is_info(texts: list[tuple[int, str]]) -> bool:
    """A unit / department / year line, a code mark or the title itself."""
    return all(_INFO.search(norm(v)) or len(norm(v)) <= 6 and norm(v)[-1:] == "表" for _, v in texts)


def _caption(sheet: Sheet, r: int, texts: list[tuple[int, str]]) -> bool:
    """A single text merged across the table above the header (财政拨款“三公”经费): a caption,
    not a header level (a template would not find it again: find_header starts at a row of two)."""
    if len(texts) != 1:
        return False
    c = texts[0][0]
    span = next(((c1, c2) for r1, c1, r2, c2 in sheet.merges if r1 == r and c1 == c), None)
    if span is None or span[1] - span[0] < 2:
        return False
    below = [cc for cc, v in enumerate(sheet.grid[r + 1]) if isinstance(v, str) and v.strip()] \
        if r + 1 < sheet.height else []
    return len(below) >= 2 and min(below) >= span[0] and max(below) <= span[1] and \
        max(below) - min(below) >= span[1] - span[0] - 1


def _is_data_row(line: list, left: int) -> bool:
    if any(is_number(v) for v in line):
        return True
    texts = [(c, v) for c, v in enumerate(line) if isinstance(v, str) and v.strip()]
    if not texts:
        return False
    c, first = texts[0]
    n = norm(first)
    if NOTE.match(n):
        return True
    if c <= left + 3 and len(texts) <= 2 and (is_total_label(n) or strip_ordinal(n) != n):
        return True
    return bool(split_code(n)[0]) and len(texts) <= 3


# --------------------------------------------------------------------------- columns
def sketch(region: Region) -> Sketch | None:
    """The layout of the table under a title, or None when there is no header band with columns."""
    sheet = region.sheet
    band = find_band(sheet, region.title_row + 1, region.stop)
    if band is None:
        return None
    first, last = band
    official = column_paths(sheet, first, last)
    printed = column_paths(sheet, first, last, official=False)
    start = last + 1
    end = _data_end(sheet, start, region.stop)
    numbers = _col_numbers(sheet, first, last)
    columns = [_column(sheet, c, tuple(official[c]), tuple(printed.get(c) or official[c]), start, end)
               for c in sorted(official)]
    if len(columns) < 2:
        return None
    for c in columns:
        c.col_no = numbers.get(c.col)
    panels = _panels(columns)
    for panel in panels:
        _label(sheet, panel, start, end)
    panels = _fold_nameless(panels)
    unit = find_unit(sheet, region.title_row, first)
    sk = Sketch(region, band, start, end, panels, unit)
    name_ids(sk)
    return sk


def _data_end(sheet: Sheet, start: int, stop: int) -> int:
    for r in range(start, min(stop, sheet.height)):
        first = next((v for v in sheet.grid[r] if isinstance(v, str) and v.strip()), None)
        if first is not None and NOTE.match(norm(first)) and not any(is_number(v) for v in sheet.grid[r]):
            return r
    return min(stop, sheet.height)


def _col_numbers(sheet: Sheet, first: int, last: int) -> dict[int, int]:
    """栏次 numbers under the header (a 栏次 row, or numbers in the band's last row)."""
    out: dict[int, int] = {}
    for r in range(first, last + 1):
        line = sheet.grid[r]
        if not is_col_number_row(line):
            continue
        for c, v in enumerate(line):
            digits = code_text(v)
            if digits and len(digits) <= 2:
                out[c] = int(digits)
    return out


def _column(sheet: Sheet, c: int, path: tuple[str, ...], printed: tuple[str, ...], start: int, end: int) -> Column:
    leaf, shown = path[-1], printed[-1]
    numbers = texts = codes = 0
    for r in range(start, end):
        v = sheet.value(r, c)
        if v == "" or v is None or is_dash(v) or isinstance(v, str) and is_total_label(v):
            continue
        if is_number(v) or is_amount_text(v):
            numbers += 1
            if code_text(v):
                codes += 1
        else:
            texts += 1
            if code_text(v) or split_code(v)[0]:
                codes += 1
    if leaf in CODE_PARTS:
        role = CODE_PARTS[leaf]
    elif leaf == "行次":
        role = "line"
    elif leaf == "序号":
        role = "seq"
    elif leaf == "科目代码" or "编码" in shown or "代码" in shown:
        role = "code" if codes >= (numbers + texts) / 2 else "text"
    elif numbers and numbers >= texts:
        role = "amount"
    elif texts:
        role = "text"
    else:
        role = "amount" if amount_header(path, printed) else "text"
    return Column(c, path, printed, role)


def amount_header(path: tuple[str, ...], printed: tuple[str, ...]) -> bool:
    """Whether an empty column's header names an amount (a concept, 合计, 金额, …预算数)."""
    if path[-1] in _concept_ids():
        return True
    leaf = printed[-1]
    if any(w in leaf for w in _TEXT_WORDS):
        return False
    return any(w in "".join(printed) for w in _AMOUNT_WORDS)


def _concept_ids() -> dict[str, str]:
    """Official wording (normalised) -> concept id."""
    return {norm(c.label): c.id for c in vocabulary().concepts.values()}


def _panels(columns: list[Column]) -> list[list[Column]]:
    """Side-by-side panels: a new one starts where a non-amount column follows amounts; trailing
    text columns (备注) stay with the panel before them."""
    panels: list[list[Column]] = [[]]
    for col in columns:
        prev = panels[-1][-1] if panels[-1] else None
        if prev is not None and prev.role == "amount" and col.role != "amount":
            panels.append([])
        panels[-1].append(col)
    merged: list[list[Column]] = []
    for panel in panels:
        if merged and not any(c.role == "amount" for c in panel) and not any(
                c.role in ("code", "code_class", "line") for c in panel):
            merged[-1].extend(panel)
        else:
            merged.append(panel)
    return merged


def _fold_nameless(panels: list[list[Column]]) -> list[list[Column]]:
    """A panel without a name or code column is more columns of the panel before it."""
    kept: list[list[Column]] = []
    for panel in panels:
        if kept and not any(c.role in ("label", "code", "code_class") for c in panel):
            kept[-1].extend(panel)
        else:
            kept.append(panel)
    return kept


def _label(sheet: Sheet, panel: list[Column], start: int, end: int) -> None:
    """The panel's name column: its first text column; a 项目单位 column of unit codes before a
    名称 column is the project's unit instead."""
    texts = [c for c in panel if c.role == "text"]
    if not texts:
        return
    label = texts[0]
    if len(texts) > 1 and "单位" in texts[0].printed[-1] and _unit_codes(sheet, texts[0].col, start, end):
        texts[0].role = "unit"
        label = texts[1]
    label.role = "label"


def _unit_codes(sheet: Sheet, c: int, start: int, end: int) -> bool:
    seen = coded = 0
    for r in range(start, end):
        v = sheet.value(r, c)
        if isinstance(v, str) and v.strip():
            seen += 1
            code, _ = split_code(v)
            coded += bool(code and len(code) >= 3)
    return seen > 0 and coded * 2 >= seen


# --------------------------------------------------------------------------- ids
def repeated(panels: list[list[Column]]) -> bool:
    """Whether the panels print the same columns (a classification in several panels: 决算06)."""
    first = [(c.role, c.path[-1]) for c in panels[0]]
    return len(panels) > 1 and all([(c.role, c.path[-1]) for c in p] == first for p in panels[1:])


def name_ids(sk: Sketch, share: bool = True) -> None:
    """Column ids: role ids for the text columns; for amounts the concept where the wording is one
    and unique in the table, else `<concept>_<letter>` / `col_<letter>`. Panels that repeat the same
    columns (a classification printed in several panels) share the first panel's ids, unless
    `share` is False (the side-by-side panels of a 收支总表 hold different rows)."""
    concepts = _concept_ids()
    same = sk.shared = share and repeated(sk.panels)
    counted = sk.panels[:1] if same else sk.panels
    count: dict[str, int] = {}
    for panel in counted:
        for col in panel:
            if col.role == "amount" and col.path[-1] in concepts:
                count[col.path[-1]] = count.get(col.path[-1], 0) + 1
    for i, panel in enumerate(sk.panels):
        for j, col in enumerate(panel):
            if same and i:
                col.id, col.concept = sk.panels[0][j].id, sk.panels[0][j].concept
                continue
            if col.role != "amount":
                col.id = col.role if col.role != "text" else f"text_{col.letter}"
                continue
            concept = concepts.get(col.path[-1], "")
            col.concept = concept
            if concept and count[col.path[-1]] == 1:
                col.id = concept
            else:
                col.id = f"{concept or 'col'}_{col.letter}"
            if concept and norm(col.printed[-1]) != col.path[-1]:
                col.remark = f"按“{col.printed[-1]}”推断为“{vocabulary().concepts[concept].label}”（{concept}）"
            elif not concept:
                col.remark = f"“{'/'.join(col.printed)}”不是 concepts.yaml 中的概念，列编号暂用 {col.id}"
