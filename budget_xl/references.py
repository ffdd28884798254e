"""References to table cells, resolved: what `附表7.total[*]`, `附表4.gpb[2080505]` or `[合计]` name
in a disclosure. One resolver for the rules engine (equations), `fill` (derived tables) and the
narrative (figures), so a reference means the same everywhere.

Row references: `[合计]` and `[in_total]` are row keys; `[2080505]` a classification code summed
over units (a fixed row's id in a fixed-row table); `[*]` the current key of an `each` loop — a row
key (each: rows / units) or a 类 code (each: 类, summed over units).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Final

from .classification import class_of, is_class, key_part
from .model import CLASS, DEPT, FIXED, TOTAL, UNIT, CellRef, Row, Table
from .templates import Identity, Term

ZERO = Decimal(0)
HALF_CENT = Decimal("0.005")


class _Later(Enum):
    """The mark of a term's cell or label not worked out yet (an enum, so the checker can tell it apart)."""
    LATER = "later"


_LATER: Final = _Later.LATER


class Amount:
    """One amount of an equation (or a figure), signed, in its table's unit.

    A large workbook has millions of terms and only the few in failed equations are ever shown, so
    a term read from a row (made by `amount_of`) works out its cell and its label ("附表4「…」合计") when
    first asked. Its value is taken when it is made: later changes to the row do not move it."""
    __slots__ = ("value", "sign", "unit", "blank", "absent", "half", "_cell", "_label", "_where")

    def __init__(self, value: Decimal, cell: CellRef | None | _Later, sign: int, unit: str, label: str | _Later,
                 blank: bool = False, absent: bool = False, half: Decimal | None = None):
        self.value, self.sign, self.unit, self.blank = value, sign, unit, blank
        self.absent = absent        # a row the identity needs that the table does not have (counted as 0)
        # The 尾数 it may carry, in its unit: half a unit of its last printed digit (0.005 万元 by default
        # in a 万元 table, 0.5 in a whole-万元 one; none for an exact 元 amount).
        self.half = (HALF_CENT if unit == "万元" else ZERO) if half is None else half
        self._cell, self._label = cell, label
        self._where: tuple[Table, Row, str] | None = None  # set by amount_of when cell and label are _LATER

    @property
    def cell(self) -> CellRef | None:
        if self._cell is _LATER:
            assert self._where is not None
            _, row, column = self._where
            self._cell = row.cell(column)
        return self._cell

    @property
    def label(self) -> str:
        if self._label is _LATER:
            assert self._where is not None
            table, row, column = self._where
            self._label = f"{table.code}「{row.name or row.label or row.key}」{table.column_label(column)}"
        return self._label



def amount_of(table: Table, row: Row, column: str, sign: int = 1) -> Amount:
    """The amount of a row's column, signed (a blank counts as 0)."""
    raw = row.amounts.get(column)
    t = Amount(ZERO if raw is None else raw, _LATER, sign, table.unit, _LATER, raw is None, False, table.half)
    t._where = (table, row, column)
    return t


def has_column(row: Row, column: str) -> bool:
    """Whether the row has this column: read from the sheet, or computed (rows made by `fill`)."""
    return row.colmap is None or column in row.colmap



@dataclass
class Scope:
    """How a `[*]` or `[code]` reference resolves in one table."""
    table: Table
    by_key: dict[str, Row] = field(default_factory=dict)
    by_code: dict[str, list[Row]] = field(default_factory=dict)   # code -> rows of all units

    @classmethod
    def of(cls, table: Table) -> Scope:
        scope = cls(table, {r.key: r for r in table.rows})
        for row in table.rows:
            if row.kind == CLASS and row.code:
                scope.by_code.setdefault(row.code, []).append(row)
            elif row.kind == FIXED:
                scope.by_code.setdefault(row.key, []).append(row)
        return scope

    def rows_for(self, ref_row: str, current: str | None, each: str | None) -> list[Row]:
        """[*] is the current row key (each: rows/units) or 类 code (each: 类, summed over units);
        [2080505] is a code summed over units; [合计] / [in_total] a row key."""
        if ref_row == "*":
            if current is None:
                return []
            if each == "类":
                return self.by_code.get(current, [])
            row = self.by_key.get(current)
            return [row] if row else []
        if ref_row.isdigit():
            return self.by_code.get(ref_row, [])
        row = self.by_key.get(ref_row)
        return [row] if row else []

    def unresolvable(self, ref_row: str, column: str) -> str | None:
        """What the workbook lacks for this reference to mean anything — “…”列 or “…”行 — or None.

        A missing column or a missing 合计 / fixed row is not 0: the identity cannot be checked. A
        code ([2080505]) or a row of an `each` loop ([*]) that a table does not have is 0 (no such
        spending), and an empty table (its rows all absent, or its empty-table note) is 0 throughout."""
        table = self.table
        if column in table.missing_columns:
            return f"“{table.column_label(column)}”列"
        if ref_row == "*" or ref_row.isdigit() or ref_row in self.by_key or not table.rows or table.empty_note:
            return None
        fixed = table.spec.fixed_row(ref_row)
        return f"“{fixed.label if fixed else ref_row}”行"



def each_keys(ident: Identity, scopes: dict[str, Scope], params: dict) -> Sequence[str | None]:
    """What [*] runs over: row keys (each: rows, optionally within some 经济分类 类), department and
    unit keys (each: units), 类 codes (each: 类); [None] for a single equation."""
    tables = ident.tables
    if ident.each == "rows":
        keys = ordered_union(r.key for t in tables for r in scopes[t].table.rows)
        if ident.where_classes:
            wanted = set(params[ident.where_classes])
            keys = [k for k in keys if key_part(k).isdigit() and class_of(key_part(k)) in wanted]
        return keys
    if ident.each == "units":
        return ordered_union(r.key for t in tables for r in scopes[t].table.rows if r.kind in (TOTAL, DEPT, UNIT))
    if ident.each == "类":
        return ordered_union(c for t in tables for c in scopes[t].by_code if is_class(c) and c.isdigit())
    return [None]


def resolve(side: tuple[Term, ...], scopes: dict[str, Scope], key: str | None, col: str | None,
            each: str | None) -> list[Amount] | None:
    """The amounts a side of a formula names, for one key of `each` and one column of `for_columns`;
    None when a column it needs is missing from the workbook (the formula cannot be evaluated)."""
    out: list[Amount] = []
    lacking: list[Table] = []   # tables of this side with no row for the key of an `each` loop
    for t in side:
        if t.ref is None:
            assert t.number is not None  # a term is a reference or a number (templates/checker.py)
            value = Decimal(t.number)
            if value:
                out.append(Amount(value, None, t.sign, "元", t.number))
            continue
        scope = scopes[t.ref.table]
        column = t.ref.column.replace("{col}", col) if col else t.ref.column
        if scope.unresolvable(t.ref.row, column):
            return None
        if column in scope.table.absent_columns:
            # An optional column the table does not print: its amounts are 0, and the message says so.
            label = next((c.label for c in scope.table.spec.columns if c.id == column), column)
            out.append(Amount(ZERO, None, t.sign, scope.table.unit, f"{scope.table.code}「{label}」列（本表没有此列）",
                            blank=True, half=scope.table.half))
            continue
        rows = scope.rows_for(t.ref.row, key, each)
        if not rows and t.ref.row == "*" and key is not None and scope.table.rows and not scope.table.empty_note:
            lacking.append(scope.table)
        for row in rows:
            if has_column(row, column) or row.amounts.get(column) is not None:
                out.append(amount_of(scope.table, row, column, t.sign))
    if lacking and len(lacking) == sum(1 for u in side if u.ref is not None):
        # The table(s) that should correspond row for row have no row for this key: 0, unless the
        # other side says otherwise — then it is a row missing there, reported as such
        # (rules/__init__.py), never blamed on a cell. (In a sum over several tables a row absent from
        # only some of them is just 0: no money of that fund.)
        names = "、".join(dict.fromkeys(t.code for t in lacking))
        placeholder = Amount(ZERO, lacking[0].title_cell, 1, lacking[0].unit,
                             f"{names} {'都' if len(lacking) > 1 else ''}没有“{key}”行", blank=True, absent=True,
                             half=lacking[0].half)
        out.append(placeholder)
    return out


def resolve_values(side: tuple[Term, ...], scopes: dict[str, Scope], key: str | None, col: str | None,
                   each: str | None) -> list[tuple[Decimal, int, str]] | None:
    """(value, sign, unit) of each amount `resolve` would make, in its order, without making them
    (kept beside it: the same steps); None where resolve gives None."""
    out: list[tuple[Decimal, int, str]] = []
    lacking: list[Table] = []
    for t in side:
        if t.ref is None:
            value = Decimal(t.number or 0)
            if value:
                out.append((value, t.sign, "元"))
            continue
        scope = scopes[t.ref.table]
        table = scope.table
        column = t.ref.column.replace("{col}", col) if col else t.ref.column
        if scope.unresolvable(t.ref.row, column):
            return None
        if column in table.absent_columns:
            out.append((ZERO, t.sign, table.unit))
            continue
        rows = scope.rows_for(t.ref.row, key, each)
        if not rows and t.ref.row == "*" and key is not None and table.rows and not table.empty_note:
            lacking.append(table)
        for row in rows:
            raw = row.amounts.get(column)
            if raw is not None or has_column(row, column):
                out.append((ZERO if raw is None else raw, t.sign, table.unit))
    if lacking and len(lacking) == sum(1 for u in side if u.ref is not None):
        out.append((ZERO, 1, lacking[0].unit))
    return out


def ordered_union(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))
