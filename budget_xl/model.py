"""What the reader returns: a Disclosure holding keyed tables of exact amounts.

Every amount remembers the cell it came from, so any later message can say "fix 附表4!F12".
pandas is imported only when a DataFrame is asked for.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .percent import Percent
from .templates import TableSpec, TemplateSet

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Row kinds. Keys: "合计"; "145" (department); "145001" (unit); "145001/2080505" or "2080505"
# (classification row, with or without its unit); a fixed-row id ("in_total", "201"); items
# "145001/项目名称".
TOTAL, DEPT, UNIT, CLASS, FIXED, ITEM = "total", "dept", "unit", "class", "fixed", "item"
TOTAL_KEY = "合计"


_NO_HALF = Decimal(0)
_HALVES = {(True, n): Decimal(5).scaleb(-n - 1) for n in range(7)}


@cache  # asked for every cell a report names
def column_letter(col: int) -> str:
    """0-based column index -> 'A', 'B', …, 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class CellRef(NamedTuple):
    """A cell of the user's workbook; str() gives "附表4!F12". (A NamedTuple: one per amount read.)"""
    sheet: str
    row: int  # 0-based
    col: int  # 0-based

    @property
    def a1(self) -> str:
        return f"{column_letter(self.col)}{self.row + 1}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1}"


@dataclass(slots=True)
class Row:
    key: str
    kind: str
    level: str                      # 合计 / 部门 / 单位 / 类 / 款 / 项 / 行 / 项目
    label: str
    code: str | None = None         # classification code, unit code or fixed-row id
    unit: str | None = None         # the unit (or department) the row belongs to
    name: str = ""                  # the name without its code ("行政运行"), when the label has one
    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    panel: str = ""
    # Where the row was read: sheet, 0-based grid row, and column id -> grid column (shared by
    # all rows of a table piece; CellRefs are made only when asked for).
    sheet: str | None = None
    grid_row: int = -1
    colmap: dict[str, int] | None = None
    percents: dict[str, Percent] | None = None   # percentage columns (增长% …), as printed; None: none read
    parent: str | None = None   # rows printed by name (reader/outline.py): the key of the row it is part of

    def amount(self, column: str) -> Decimal:
        """The amount of a column, 0 for a blank."""
        return self.amounts.get(column) or Decimal(0)

    @property
    def cells(self) -> dict[str, CellRef]:
        """Source cell of each value read (amount columns, and "label")."""
        if self.sheet is None or not self.colmap:
            return {}
        return {cid: CellRef(self.sheet, self.grid_row, c) for cid, c in self.colmap.items()}

    def has_cell(self, column: str) -> bool:
        """Whether the column was read on this row (without building `cells`)."""
        return self.sheet is not None and bool(self.colmap) and column in self.colmap  # type: ignore[operator]

    def cell(self, column: str) -> CellRef | None:
        if self.sheet is None or not self.colmap or column not in self.colmap:
            return None
        return CellRef(self.sheet, self.grid_row, self.colmap[column])


@dataclass(slots=True)
class Note:
    """Something the reader noticed that is not fatal (a text in an amount cell, a duplicate row,
    a column not found). `show` lists them; `check` reports them as findings."""
    level: str          # error / warning / info
    message: str
    cell: CellRef | None = None
    table: str | None = None


@dataclass
class Table:
    spec: TableSpec
    unit: str
    rows: list[Row] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)   # required columns not found
    absent_columns: list[str] = field(default_factory=list)    # optional columns this layout does not print
    notes: list[Note] = field(default_factory=list)
    empty_note: bool = False   # the sheet carries "本年度未产生与该表相关的预决算数据"
    title_cell: CellRef | None = None
    header_cells: dict[str, CellRef] = field(default_factory=dict)   # column id -> its lowest header cell
    # What the reader took from the sheets: sheet -> grid row -> grid columns, and how many amounts.
    taken: dict[str, dict[int, frozenset[int]]] = field(default_factory=dict)
    amounts_read: int = 0
    unknown: bool = False      # no template knows it: its layout was drafted from the sheet (reader/draft.py)
    # Decimals its amounts are printed with: the template's, or more where the workbook prints more.
    # With 万元 (or fewer than two decimals) every amount carries up to half a unit of its last digit of 尾数.
    decimals: int = 2
    _index: dict[str, Row] | None = None
    _labels: dict[str, str] | None = None

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def half(self) -> Decimal:
        """The 尾数 each amount may carry (in the table's unit): half a unit of its last printed digit
        in a 万元 table (converted from 元 and rounded), none in a 元 table printed to the cent."""
        return _HALVES.get((self.unit == "万元" or self.decimals < 2, self.decimals), _NO_HALF)

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def columns(self) -> tuple[str, ...]:
        return self.spec.column_ids

    def column_label(self, column: str) -> str:
        """The column's label for messages (worked out once per table: messages ask per cell)."""
        if self._labels is None:
            self._labels = {c.id: self.spec.column_label(c.id) for c in self.spec.columns}
        return self._labels.get(column, column)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def append(self, row: Row) -> None:
        """Add a row at the end (a row `fill` computes)."""
        self.rows.append(row)
        self._index = None

    def replace_rows(self, rows: list[Row]) -> None:
        """Put these rows in place of the table's rows (in this order)."""
        self.rows[:] = rows
        self._index = None

    def row(self, key: str) -> Row | None:
        if self._index is None or len(self._index) != len(self.rows):
            self._index = {r.key: r for r in self.rows}
        return self._index.get(key)

    def __getitem__(self, key: str) -> Row:
        row = self.row(key)
        if row is None:
            raise KeyError(f"{self.code} 没有行 {key}")
        return row

    def to_frame(self) -> pd.DataFrame:
        """One row per table row: key, label, level, unit and one column per amount column.
        Amounts stay exact (Decimal objects, None for blanks)."""
        import pandas as pd

        records = []
        for r in self.rows:
            rec: dict[str, object] = {"key": r.key, "label": r.label, "level": r.level, "unit": r.unit, "code": r.code}
            for c in self.columns:
                rec[c] = r.amounts.get(c)
            records.append(rec)
        return pd.DataFrame.from_records(records, columns=["key", "label", "level", "unit", "code", *self.columns])


@dataclass
class Coverage:
    """How much of a workbook's amounts the tables hold (reader/coverage.py measures it)."""
    total: int = 0                                        # amount cells in the sheets of recognised tables
    read: int = 0                                         # of them, read into a table row and column
    unread: list[CellRef] = field(default_factory=list)   # the others, by sheet, row, column

    @property
    def complete(self) -> bool:
        return not self.unread

    def describe(self) -> str:
        return f"读取 {self.read} / {self.total} 个金额单元格"



@dataclass(slots=True)
class LineItem:
    """One line of a 明细 sheet (the budget system's line-item export): a unit, a 功能分类 and a 经济分类
    科目, the kind of money, the project and flags, and the amount (templates/line_items.yaml)."""
    row: int                                              # 0-based grid row on the 明细 sheet
    amount: Decimal
    values: dict[str, str] = field(default_factory=dict)  # field id -> code (unit, 科目), choice id or text
    texts: dict[str, str] = field(default_factory=dict)   # field id -> the cell as written ("145001-…（本级）")
    names: dict[str, str] = field(default_factory=dict)   # unit / 科目 field -> the name written after its code


@dataclass
class Disclosure:
    path: Path
    template: TemplateSet
    tables: dict[str, Table]
    department: str | None = None      # "145-大连市西岗区住房和城乡建设局" or a name
    year: int | None = None
    notes: list[Note] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    # The cells of the sheets that hold no table (cover, 目录, 补充信息, text sheets), for the facts
    # and text they state; a very large one is left out.
    other_sheets: dict[str, list[list]] = field(default_factory=dict)
    # Why this template: its evidence, and the runner-up's (reader/evidence.py); empty when forced.
    evidence: list[Any] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    # The 绩效 forms of the same workbook (a performance.PerformanceBook, typed loosely: that model
    # sits above this one), or None.
    performance: Any = None
    # The 明细 sheet the tables with a `lines:` feed were built from (reader/line_items.py), if any.
    lines: list[LineItem] = field(default_factory=list)
    line_sheet: str | None = None

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def unit(self) -> str:
        units = {t.unit for t in self.tables.values()}
        return units.pop() if len(units) == 1 else (self.template.unit if not units else "混合")

    @property
    def unknown(self) -> list[str]:
        """Codes of the tables no template knows, read by their header (reader/draft.py)."""
        return [code for code, table in self.tables.items() if table.unknown]

    @property
    def missing(self) -> list[str]:
        return [code for code in self.template.tables if code not in self.tables]

    def __getitem__(self, code: str) -> Table:
        return self.tables[code]
