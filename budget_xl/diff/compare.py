"""The year-over-year comparison: for every table the two years share, one line per row and
compared column with 上年, 本年, 增减额, 增减率, status and whether it needs an explanation.

Arithmetic is exact. Each table is compared in its finer unit (a 万元 amount times 10,000 is an
exact 元 amount); 增减额 and 增减率 come from those exact values and are only then shown in the
display unit (元 → 万元 rounded half up). So 118,633,909.00 → 72,511,453.98 元 shows as a
change of −4,612.25 万元 (the exact −46,122,455.02 rounded), not 7,251.15 − 11,863.39 = −4,612.24.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from ..model import CLASS, FIXED, ITEM, TOTAL_KEY, Disclosure, Row, Table
from ..money import convert
from ..rules.findings import Report
from ..templates import TableSpec
from .match import Pair, match_rows

ADDED, REMOVED, CHANGED, UNCHANGED, ADJUSTED = "新增", "删除", "变动", "不变", "科目调整"
STATUSES = (CHANGED, ADDED, REMOVED, ADJUSTED, UNCHANGED)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
SANGONG = "三公经费变动一律需说明"


@dataclass(frozen=True)
class Options:
    threshold: Decimal = Decimal(10)   # 需说明: |增减率| ≥ threshold % …
    amount: Decimal = Decimal(10)      # … and |增减额| ≥ amount 万元
    band: tuple[Decimal, Decimal] = (Decimal(90), Decimal(110))  # budget vs final: 完成率 outside → 需说明
    unit: str | None = None            # display unit; None: 万元 when either side is in 万元, else 元


@dataclass
class Side:
    """One of the two workbooks, with its `check` report."""
    disclosure: Disclosure
    report: Report

    @property
    def name(self) -> str:
        return self.disclosure.path.name

    @property
    def title(self) -> str:
        """'2023年部门预算'."""
        d = self.disclosure
        return f"{d.year}年{d.kind}" if d.year else d.kind


class Units:
    """One table's units: `base` (exact arithmetic) and `display` (what is shown)."""

    def __init__(self, old_unit: str, new_unit: str, wanted: str | None):
        units = (old_unit, new_unit)
        self.old, self.new = units
        self.base = "元" if "元" in units else "万元"
        self.display = wanted or ("万元" if "万元" in units else "元")

    @overload
    def exact(self, value: Decimal, unit: str) -> Decimal: ...
    @overload
    def exact(self, value: Decimal | None, unit: str) -> Decimal | None: ...

    def exact(self, value: Decimal | None, unit: str) -> Decimal | None:
        return value if value is None or unit == self.base else convert(value, unit, self.base)

    @overload
    def show(self, value: Decimal) -> Decimal: ...
    @overload
    def show(self, value: Decimal | None) -> Decimal | None: ...

    def show(self, value: Decimal | None) -> Decimal | None:
        return value if value is None or self.base == self.display else convert(value, self.base, self.display)

    def yuan(self, value: Decimal) -> Decimal:
        return value if self.base == "元" else convert(value, self.base, "元")


@dataclass(slots=True)
class Line:
    """One compared amount: a row (or a 三公 item) and one column. (slots: a diff of 100,000-row
    workbooks holds hundreds of thousands.)"""
    table: str
    key: str
    label: str
    level: str
    row_kind: str
    code: str | None
    unit_code: str | None
    column: str
    column_label: str
    before: Decimal | None        # display unit; None: the row or amount is not there
    after: Decimal | None
    change: Decimal               # display unit, rounded from the exact change
    rate: Decimal | None          # percent, exact; None when 上年 is 0
    status: str
    flag: str = ""                # why it needs an explanation ("" = it does not)
    note: str = ""                # 科目调整: what changed
    old_key: str | None = None
    indent: int = 0
    magnitude: Decimal = ZERO     # |增减额| in 元, exact: ranks changes across tables
    same: tuple = field(default=(), repr=False)   # what identifies the same money in other tables


@dataclass
class TableDiff:
    code: str
    title: str
    unit: str                          # display unit
    columns: list[tuple[str, str]]     # (column id, label) compared
    lines: list[Line]
    counts: Counter                    # rows by status
    total: Line | None = None          # the table's total line (its change is the table's)
    sangong: list[Line] = field(default_factory=list)   # the 三公 layout (seed 001)
    notes: list[str] = field(default_factory=list)
    has_units: bool = False

    @property
    def flagged(self) -> list[Line]:
        return [line for line in self.lines if line.flag]

    @property
    def flagged_rows(self) -> int:
        """Rows with at least one amount that needs an explanation (the summary counts rows)."""
        return len({line.key for line in self.lines if line.flag})


@dataclass
class Comparison:
    mode: str                          # "years" | "versus" (budget against final accounts)
    before: Side                       # 上年 (versus: the budget)
    after: Side                        # 本年 (versus: the final accounts)
    options: Options
    warnings: list[str] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)
    sections: list = field(default_factory=list)   # versus: list[versus.SectionDiff]

    @property
    def unit(self) -> str:
        units = {t.unit for t in self.tables} | {s.unit for s in self.sections}
        return units.pop() if len(units) == 1 else (self.options.unit or "元")

    @property
    def labels(self) -> tuple[str, str]:
        """Column headings of the two sides: '2023年预算' / '2024年预算'; '上年' / '本年' for want of years."""
        b, a = self.before.disclosure, self.after.disclosure
        if self.mode == "versus":
            return "年初预算", "决算"
        if b.year and a.year and b.year != a.year:
            word = b.kind.removeprefix("部门")
            return f"{b.year}年{word}", f"{a.year}年{word}"
        return "上年", "本年"

    def flagged(self) -> list[Line]:
        """Every line needing an explanation, largest change first."""
        # (The 三公 lines show the 合计 row's lines again: they are among the table's own.)
        return sorted((line for t in self.tables for line in t.flagged), key=lambda line: -line.magnitude)

    @staticmethod
    def also_text(line: Line, also: list[Line]) -> str:
        """'本表“一般公共预算”、附表4、附表7': where else the same change shows."""
        places = [f"本表“{a.column_label}”" if a.table == line.table else a.table for a in also]
        return "、".join(dict.fromkeys(places))

    def distinct_flagged(self) -> list[tuple[Line, list[Line]]]:
        """The flagged changes once each: the same money shown in several tables (附表1 一般公共预算
        = 附表2 合计 = 附表7 合计 …) is listed at its first table, with the others beside it."""
        groups: dict[tuple, tuple[Line, list[Line]]] = {}
        for line in self.flagged():
            if line.same in groups:
                groups[line.same][1].append(line)
            else:
                groups[line.same] = (line, [])
        return list(groups.values())


def compare_years(before: Side, after: Side, options: Options) -> Comparison:
    comparison = Comparison("years", before, after, options)
    old_d, new_d = before.disclosure, after.disclosure
    for code, spec in new_d.template.tables.items():
        old, new = old_d.tables.get(code), new_d.tables.get(code)
        if old is None or new is None:
            continue
        comparison.tables.append(compare_table(old, new, spec, options))
    only = [(old_d, new_d, "上年"), (new_d, old_d, "本年")]
    for mine, other, word in only:
        missing = [c for c in mine.tables if c not in other.tables]
        if missing:
            comparison.warnings.append(f"只有{word}工作簿有 {'、'.join(missing)}，未对比。")
    return comparison


def compare_table(old: Table, new: Table, spec: TableSpec, options: Options) -> TableDiff:
    units = Units(old.unit, new.unit, options.unit)
    printed = [{c for c in t.spec.column_ids if c not in t.absent_columns + t.missing_columns} for t in (old, new)]
    columns = [c for c in spec.diff_columns if c in printed[0] and c in printed[1]]
    notes = [f"“{new.column_label(c)}”列只有{'上年' if c in printed[0] else '本年'}的表中有，未对比。"
             for c in spec.diff_columns if c not in columns and (c in printed[0] or c in printed[1])]
    if units.old != units.new:
        notes.append(f"上年金额单位为{units.old}，本年为{units.new}：按{units.base}精确计算，以{units.display}列示。")

    def signature(row: Row, is_old: bool) -> tuple:
        unit = units.old if is_old else units.new
        return tuple(units.show(units.exact(row.amounts.get(c), unit)) or ZERO for c in columns)

    diff = TableDiff(spec.code, spec.title, units.display, [(c, new.column_label(c)) for c in columns], [],
                     Counter(), notes=notes,
                     has_units=any(r.unit for r in new.rows) or any(r.unit for r in old.rows))
    sangong = bool(spec.diff.sangong)
    total_key = spec.diff.total_row
    total_column = spec.diff.total_column or (columns[0] if columns else "")
    totals: dict[str, Pair] = {}
    for pair in match_rows(old, new, spec.diff.match, signature):
        row = pair.row
        row_changed = False
        lines_before = len(diff.lines)
        for column in columns:
            b = units.exact(pair.old.amounts.get(column), units.old) if pair.old else None
            a = units.exact(pair.new.amounts.get(column), units.new) if pair.new else None
            if not b and not a and not (row.key == total_key and column == total_column):
                continue
            line = _line(spec.code, pair, column, new.column_label(column), b, a, units, options, sangong)
            row_changed |= line.change != 0
            diff.lines.append(line)
            if row.key == total_key and column == total_column:
                diff.total = line
        # A row of one year only with nothing in the columns compared (政府预算07: items with a 上年执行数
        # but no 本年预算数) was neither added nor removed in what is compared.
        if len(diff.lines) > lines_before or (pair.old is not None and pair.new is not None):
            diff.counts[_row_status(pair, row_changed)] += 1
        if row.key == TOTAL_KEY:
            totals[TOTAL_KEY] = pair
    if sangong and TOTAL_KEY in totals:
        pair = totals[TOTAL_KEY]
        for item in spec.diff.sangong:
            b = units.exact(pair.old.amounts.get(item.column), units.old) if pair.old else None
            a = units.exact(pair.new.amounts.get(item.column), units.new) if pair.new else None
            line = _line(spec.code, pair, item.column, item.label, b or ZERO, a or ZERO, units, options, True)
            line.label, line.indent = item.label, item.indent
            diff.sangong.append(line)
    return diff


def _row_status(pair: Pair, changed: bool) -> str:
    if pair.old is None:
        return ADDED
    if pair.new is None:
        return REMOVED
    if pair.adjusted:
        return ADJUSTED
    return CHANGED if changed else UNCHANGED


def _line(table: str, pair: Pair, column: str, column_label: str, before: Decimal | None, after: Decimal | None,
          units: Units, options: Options, sangong: bool) -> Line:
    row = pair.row
    change = (after or ZERO) - (before or ZERO)
    rate = change / before * HUNDRED if before else None
    status = _row_status(pair, change != 0)
    flag = materiality(change, rate, units, options, sangong)
    same: tuple = ()
    if flag:  # only flagged lines are grouped (Comparison.distinct_flagged)
        same_row = row.code if row.kind in (CLASS, FIXED) and (row.code or "").isdigit() else (
            "*" if row.kind != ITEM else row.key)
        same = (units.yuan(before or ZERO), units.yuan(after or ZERO), same_row)
    return Line(
        table=table, key=row.key, label=_label(row), level=row.level, row_kind=row.kind, code=row.code,
        unit_code=row.unit, column=column, column_label=column_label,
        before=units.show(before), after=units.show(after), change=units.show(change), rate=rate, status=status,
        flag=flag, note=pair.adjusted,
        old_key=pair.old.key if pair.old is not None and pair.new is not None and pair.old.key != pair.new.key else None,
        magnitude=units.yuan(abs(change)), same=same,
    )


def _label(row: Row) -> str:
    """Code and name together, as the budget tables print them (决算 tables keep the code apart)."""
    if row.kind == CLASS and row.code and not row.label.startswith(row.code):
        return f"{row.code}-{row.name or row.label}"
    return row.label


def materiality(change: Decimal, rate: Decimal | None, units: Units, options: Options, sangong: bool) -> str:
    """Why a change needs an explanation, or "". A line that was 0 last year has no 增减率: its
    rate counts as beyond any threshold."""
    if not change:
        return ""
    if sangong:
        return SANGONG
    if abs(change) < convert(options.amount, "万元", units.base):
        return ""
    if rate is None:
        return f"上年为 0，增减额达 {options.amount} 万元"
    if abs(rate) >= options.threshold:
        return f"增减率达 {options.threshold}% 且增减额达 {options.amount} 万元"
    return ""
