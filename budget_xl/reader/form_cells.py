"""Reading the label/value blocks of a 绩效 form: labels are found by their text wherever they sit,
values in the adjacent cell (beside, or below for the forms that print them so), or after a colon
in the label's own cell (“项目总额：80.00 万元”); money matrices (项目资金 × 年初预算数 / 全年预算数 …)
by their row and column labels."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..model import CellRef, Note
from ..money import NotANumber, parse_amount
from ..performance import Value
from ..templates.forms import FieldSpec, FormSpec, MatrixSpec, label_key
from ..text import display
from .workbook import Sheet

SCORE_WORDS = ("分",)


class Region:
    """The cells of one form on a sheet: rows first..last (inclusive); the canonical label of each
    text cell is worked out once."""

    def __init__(self, sheet: Sheet, first: int, last: int):
        self.sheet, self.first, self.last = sheet, first, last
        self._keys: dict[tuple[int, int], str] = {}
        self._ends: dict[tuple[int, int], int] | None = None

    def rows(self) -> range:
        return range(self.first, self.last + 1)

    def cells(self, row: int) -> Iterable[tuple[int, object]]:
        line = self.sheet.grid[row] if row < self.sheet.height else []
        for col, value in enumerate(line):
            if value is not None and value != "":
                yield col, value

    def key(self, row: int, col: int) -> str:
        k = self._keys.get((row, col))
        if k is None:
            value = self.sheet.value(row, col)
            k = label_key(value) if isinstance(value, str) else ""
            self._keys[(row, col)] = k
        return k

    def end_col(self, row: int, col: int) -> int:
        """The last column of the merged range that starts at this cell (the cell itself otherwise)."""
        if self._ends is None:
            self._ends = {(r1, c1): c2 for r1, c1, r2, c2 in self.sheet.merges}
        return self._ends.get((row, col), col)

    def ref(self, row: int, col: int) -> CellRef:
        return CellRef(self.sheet.name, row, col)


class LabelIndex:
    """Which field a cell's text names, and the value written after its colon if any."""

    def __init__(self, spec: FormSpec):
        self.by_key: dict[str, FieldSpec] = {}
        for f in spec.fields:
            if not f.indicator:
                for name in f.names:
                    self.by_key.setdefault(name, f)
        if spec.tasks is not None:
            self.tasks_key = label_key(spec.tasks.label)
        else:
            self.tasks_key = ""

    def hit(self, text: object) -> tuple[FieldSpec, str | None] | None:
        """(field, inline value or None) when the text is that field's label."""
        if not isinstance(text, str):
            return None
        whole = label_key(text)
        if whole in self.by_key and not _has_value_after_colon(text, whole):
            return self.by_key[whole], None
        # “项目总额：80.00 万元”, “其中：财政资金：80.00 万元”: a label, then its value after a colon.
        parts = _colon_parts(text)
        for i in range(len(parts) - 1):
            key = label_key(parts[i])
            if key in self.by_key:
                rest = "：".join(parts[i + 1:]).strip().lstrip(":：").strip()
                return self.by_key[key], rest
        if whole in self.by_key:
            return self.by_key[whole], None
        return None

    def is_label(self, text: object) -> bool:
        return isinstance(text, str) and (self.hit(text) is not None or (bool(self.tasks_key) and label_key(text) == self.tasks_key))


def _colon_parts(text: str) -> list[str]:
    return text.replace("：", ":").split(":")


def _has_value_after_colon(text: str, key: str) -> bool:
    parts = _colon_parts(text)
    return len(parts) > 1 and label_key(parts[0]) == key and bool("".join(parts[1:]).strip())


def read_fields(region: Region, spec: FormSpec, labels: LabelIndex, skip: set[int], notes: list[Note],
                form_label: str) -> dict[str, Value]:
    """Every labelled field found in the region's rows (but the grid's), first occurrence wins."""
    out: dict[str, Value] = {}
    for row in region.rows():
        if row in skip:
            continue
        for col, value in region.cells(row):
            hit = labels.hit(value)
            if hit is None or hit[0].id in out:
                continue
            f, inline = hit
            label_cell = region.ref(row, col)
            if inline is not None:
                out[f.id] = typed(f.type, inline, label_cell, label_cell, notes, f"“{f.label}”", form_label)
                continue
            cell = _value_below(region, labels, row, col, skip) if f.below else _value_beside(region, labels, row, col)
            if cell is None:
                # The label is there, its value blank: the value's place is the cell after the label.
                place = (row + 1, col) if f.below else (row, region.end_col(row, col) + 1)
                out[f.id] = Value("", None, region.ref(*place), label_cell)
            else:
                out[f.id] = typed(f.type, region.sheet.value(*cell), region.ref(*cell), label_cell, notes,
                                  f"“{f.label}”", form_label)
    return out


def _value_beside(region: Region, labels: LabelIndex, row: int, col: int) -> tuple[int, int] | None:
    for c, value in region.cells(row):
        if c <= col:
            continue
        return None if labels.is_label(value) else (row, c)
    return None


def _value_below(region: Region, labels: LabelIndex, row: int, col: int, skip: set[int]) -> tuple[int, int] | None:
    for r in range(row + 1, min(row + 4, region.last + 1)):
        if r in skip:
            return None
        value = region.sheet.value(r, col)
        if value is not None and value != "":
            return None if labels.is_label(value) else (r, col)
    return None


def read_matrix(region: Region, m: MatrixSpec, spec: FormSpec, skip: set[int], notes: list[Note],
                form_label: str) -> dict[str, Value]:
    """The cells of a money matrix: the header row with at least two column labels, the row labels
    below it (left of the columns), the value where they cross."""
    columns: dict[str, int] = {}
    header_row = -1
    for row in region.rows():
        if row in skip:
            continue
        found = {cid: col for col, _ in region.cells(row) for cid, names in m.columns if region.key(row, col) in names}
        if len(found) >= 2:
            columns, header_row = found, row
            break
    if header_row < 0:
        return {}
    first_col = min(columns.values())
    out: dict[str, Value] = {}
    for row in range(header_row + 1, min(header_row + 9, region.last + 1)):
        if row in skip:
            break
        rid = next((rid for col, _ in region.cells(row) if col < first_col
                    for rid, names in m.rows if region.key(row, col) in names), None)
        if rid is None:
            continue
        label_cell = next(region.ref(row, col) for col, _ in region.cells(row) if col < first_col)
        for cid, col in columns.items():
            fid = f"{rid}.{cid}"
            if fid in out:
                continue
            raw = region.sheet.value(row, col)
            out[fid] = typed(spec.field_type(fid), raw, region.ref(row, col), label_cell, notes,
                             f"“{spec.field_label(fid)}”", form_label)
    return out


def typed(ftype: str, raw: object, cell: CellRef, label_cell: CellRef | None, notes: list[Note], label: str,
          form_label: str) -> Value:
    """A value as its field's type reads it: amounts exact (万元 text and full-width digits allowed),
    scores and percentages as numbers (“10分”, “100%” read with a note for the former), words as text."""
    text = display(raw)
    if ftype == "text" or ftype == "grade" or text == "":
        return Value(text, None, cell, label_cell)
    number = read_number(ftype, raw, text)
    if number is None and text and not _placeholder(text):
        notes.append(Note("warning", f"{form_label}的{label}写的是“{text}”，不是数字，未计入核对", cell))
    elif ftype == "score" and isinstance(raw, str) and any(text.endswith(w) for w in SCORE_WORDS):
        notes.append(Note("info", f"{form_label}的{label}写成了文字“{text}”，按 {number} 读取", cell))
    return Value(text, number, cell, label_cell)


def read_number(ftype: str, raw: object, text: str) -> Decimal | None:
    if ftype == "rate":
        return read_rate(raw, text)
    value: object = raw
    if isinstance(raw, str):
        value = raw.strip()
        for word in ("分", "人", "个"):
            if isinstance(value, str) and value.endswith(word):
                value = value[: -len(word)]
    try:
        return parse_amount(value)
    except NotANumber:
        return None


def read_rate(raw: object, text: str) -> Decimal | None:
    """A percentage: “100%”, “99.85 %” or a number of percent; a cell formatted as a percentage reads
    back as a fraction (1.0 for 100%), so a number not above 1.5 is taken as one."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = parse_amount(raw)
        return None if value is None else (value * 100 if abs(value) <= Decimal("1.5") and value != 0 else value)
    cleaned = text.replace("％", "%").replace(" ", "")
    if not cleaned.endswith("%"):
        try:
            return parse_amount(cleaned)
        except NotANumber:
            return None
    try:
        return parse_amount(cleaned[:-1])
    except NotANumber:
        return None


def _placeholder(text: str) -> bool:
    return text in {"—", "-", "/", "／", "——", "无", "--"}
