"""Reading a 明细 sheet: the budget system's line-item export, one budget line a row (unit, 功能分类
and 经济分类 科目, kind of money, basic/project, project, amount, flags). The sheet is found by its
header (templates/line_items.yaml names the columns and the wordings seen in exports), not by its name.
Every line is checked as it is read; what is wrong is a note naming the cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..classification import code_text, is_class_code, split_code
from ..model import CellRef, LineItem, Note
from ..money import NotANumber, parse_amount
from ..templates import LineField, LineItems, choice_wordings, line_items
from ..text import display, norm, strip_ordinal
from .workbook import Sheet

HEADER_ROWS = 15          # how deep into a sheet its header may start (title, department lines above it)
MIN_FIELDS = 4            # header cells that must name 明细 columns (金额, 单位 and a 科目 among them)
_CLASSIFICATION = {"function": "支出功能分类", "econ": "部门预算经济分类"}
_QUOTES = "\"'“”‘’「」"
_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"))


@dataclass
class LineSheet:
    sheet: Sheet
    header_row: int
    columns: dict[str, int]      # field id -> grid column


def find_line_sheet(sheets: list[Sheet], items: LineItems | None = None) -> LineSheet | None:
    """The sheet whose header names the 明细 columns (the first such visible sheet)."""
    items = items or line_items()
    wordings = {norm(w): f.id for f in items.fields for w in (f.header, *f.aliases)}
    kinds = {f.id: f.kind for f in items.fields}
    for sheet in sorted(sheets, key=lambda s: s.hidden):
        for r in range(min(HEADER_ROWS, sheet.height)):
            columns: dict[str, int] = {}
            for c, value in enumerate(sheet.grid[r]):
                if isinstance(value, str) and value.strip():
                    fid = wordings.get(norm(value).rstrip("*"))   # init marks required columns “单位*”
                    if fid is not None and fid not in columns:
                        columns[fid] = c
            found = {kinds[f] for f in columns}
            if len(columns) >= MIN_FIELDS and {"amount", "unit"} <= found and found & {"function", "econ"}:
                return LineSheet(sheet, r, columns)
    return None


def read_lines(found: LineSheet, total_names: frozenset[str], items: LineItems | None = None
               ) -> tuple[list[LineItem], list[Note]]:
    """The lines under the header, and notes on what is wrong with them (each at its cell)."""
    items = items or line_items()
    reader = _LineReader(found, items, total_names)
    for r in range(found.header_row + 1, found.sheet.height):
        reader.read(r)
    return reader.lines, reader.notes


class _LineReader:
    def __init__(self, found: LineSheet, items: LineItems, total_names: frozenset[str]):
        self.sheet, self.columns = found.sheet, found.columns
        self.fields = [f for f in items.fields if f.id in found.columns]
        self.missing = [f for f in items.fields if f.required and f.id not in found.columns]
        self.choices = {f.id: choice_wordings(f) for f in self.fields if f.kind == "choice"}
        self.total_names = total_names
        self.lines: list[LineItem] = []
        self.notes: list[Note] = []
        for f in self.missing:
            self.notes.append(Note("error", f"明细表没有“{f.header}”一列：请按 budget-xl init 生成的明细表补上这一列",
                                   CellRef(self.sheet.name, found.header_row, 0)))

    def cell(self, r: int, c: int) -> CellRef:
        return CellRef(self.sheet.name, r, c)

    def note(self, level: str, r: int, fid: str, message: str) -> None:
        self.notes.append(Note(level, f"明细第 {r + 1} 行：{message}", self.cell(r, self.columns.get(fid, 0))))

    def read(self, r: int) -> None:
        raw = {f.id: self.sheet.value(r, self.columns[f.id]) for f in self.fields}
        if all(v in ("", None) for v in raw.values()):
            return
        texts = [v for v in raw.values() if isinstance(v, str) and v.strip()]
        if texts and strip_ordinal(norm(texts[0])) in self.total_names:
            return   # a 合计 line under (or above) the lines: the tables make their own
        line = LineItem(r, Decimal(0))
        ok = True
        for f in self.fields:
            ok = self.field(line, f, raw[f.id], r) and ok
        if ok and line.amount:
            self.lines.append(line)

    def field(self, line: LineItem, f: LineField, value, r: int) -> bool:
        empty = value in ("", None) or (isinstance(value, str) and not value.strip())
        if empty:
            if f.required:
                self.note("error", r, f.id, f"没有填“{f.header}”，这一行未计入")
                return False
            return True
        if f.kind == "amount":
            try:
                line.amount = parse_amount(value) or Decimal(0)
            except NotANumber as exc:
                self.note("error", r, f.id, f"金额“{display(exc.text)}”不是数字，这一行未计入")
                return False
            return True
        text = display(value)
        line.texts[f.id] = text
        if f.kind == "choice":
            choice = self.choices[f.id].get(norm(text))
            if choice is None:
                options = "、".join(label for _, label in f.choices)
                self.note("error", r, f.id, f"“{text}”不是“{f.header}”的选项（{options}），这一行未计入")
                return False
            line.values[f.id] = choice
        elif f.kind in ("function", "econ"):
            code, name = (code_text(value), "") if not isinstance(value, str) else split_code(text)
            if not code or not is_class_code(code, f.kind):
                self.note("error", r, f.id, f"“{text}”不是{_CLASSIFICATION[f.kind]}科目编码，这一行未计入")
                return False
            line.values[f.id], line.names[f.id] = code, name
        elif f.kind == "unit":
            code, name = (code_text(value), "") if not isinstance(value, str) else split_code(text)
            line.values[f.id], line.names[f.id] = code or name, name
        else:
            line.values[f.id] = text
            if f.id == "project" and stray_quote(text):
                self.note("warning", r, f.id, f"项目名称“{text}”带有多余的引号（可能是从别处复制时带进来的），请核对")
        return True


def stray_quote(text: str) -> bool:
    """Whether a name carries quotes that do not pair up (…运行费" copied with a cell's quoting)."""
    if not any(q in text for q in _QUOTES):
        return False
    if text.count('"') % 2 or text.count("'") % 2:
        return True
    if any(text.count(a) != text.count(b) for a, b in _PAIRS):
        return True
    # "…" around the whole name: the export's own quoting, not part of the name
    return bool(re.fullmatch(r'"[^"]*"', text))
