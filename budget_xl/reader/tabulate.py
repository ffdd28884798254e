"""Tables from the lines of a 明细 sheet, as each table's `lines:` feed says (templates/README.md, “由明细
生成表”): which lines it takes, one row per 功能分类/经济分类 科目 of a unit, per unit, per project or one
row, and the column each line's amount goes to. Only the detail rows are made here, with the unit,
department and 合计 rows above them left empty: `fill` completes them (derive.complete) exactly as it
completes a table the clerk typed, so both inputs give the same tables.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from ..classification import level, row_key, split_code
from ..codes import catalogue
from ..errors import InputError
from ..model import CLASS, DEPT, ITEM, TOTAL, TOTAL_KEY, UNIT, Disclosure, LineItem, Note, Row, Table
from ..money import convert
from ..templates import ANY, LineFeed, TableSpec, TemplateSet, line_items
from .line_items import LineSheet, read_lines
from .meta import find_department, find_unit, find_year
from .workbook import Sheet

ZERO = Decimal(0)


def tabulate(ts: TemplateSet, lines: list[LineItem], *, department: str | None, year: int | None,
             unit: str = "元") -> tuple[dict[str, Table], list[Note]]:
    """Every table of the set that has a `lines:` feed, built from the lines (amounts in `unit`)."""
    tables: dict[str, Table] = {}
    notes: list[Note] = []
    for code, spec in ts.tables.items():
        if spec.lines:
            builder = _TableFromLines(spec, department, year, unit)
            for feed in spec.lines:
                builder.take(feed, lines)
            tables[code] = builder.table()
            notes += builder.notes()
    return tables, notes


def take_lines(d: Disclosure, lines: list[LineItem], sheet: str, unit: str = "元") -> None:
    """Put the tables built from a 明细 into a disclosure read from the same workbook: they replace the
    tables of the same code (a workbook from `init` holds them blank); a table also typed in by hand
    is set aside with a warning, since the 明细 is what the tables are made of."""
    tables, notes = tabulate(d.template, lines, department=d.department, year=d.year, unit=unit)
    for code, table in tables.items():
        typed = d.tables.get(code)
        if typed is not None and any(v for r in typed.rows for v in r.amounts.values()):
            notes.append(Note("warning", f"{code} 的工作表里也填了金额：已按“{sheet}”表中的明细生成，工作表中的数未采用",
                              typed.title_cell, code))
        table.sheets = [sheet]
        d.tables[code] = table
    d.tables = {code: d.tables[code] for code in d.template.tables if code in d.tables} | \
               {code: t for code, t in d.tables.items() if code not in d.template.tables}
    d.lines, d.line_sheet = lines, sheet
    d.notes.extend(notes)


class _TableFromLines:
    def __init__(self, spec: TableSpec, department: str | None, year: int | None, unit: str):
        self.spec, self.year, self.unit = spec, year, unit
        self.sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.rows: dict[str, Row] = {}             # detail rows by key, in the order first seen
        self.units: dict[str, str] = {}            # unit key -> its label as the 明细 writes it
        self.unplaced: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        self.unnamed = 0                           # project lines without a project name
        code, name = split_code(department or "")
        self.dept_key = code or name or None
        self.dept_label = department or ""
        self.fields = {f.id: f for f in line_items().fields}

    # -- one feed over every line
    def take(self, feed: LineFeed, lines: list[LineItem]) -> None:
        columns = set(self.spec.column_ids)
        for line in lines:
            if not all(_admits(line.values.get(fid, ""), wanted) for fid, wanted in feed.where):
                continue
            choice = line.values.get(feed.by, "") if feed.by else ""
            if feed.by and not choice:
                continue   # no 三公 / 采购 mark: the line is not in this table
            column = feed.column_for(choice)
            if column not in columns:
                self.unplaced[(feed.by, choice)].append(line.amount)
                continue
            key = self.row_for(feed, line)
            if key is not None:
                self.sums[key][column] += line.amount

    def row_for(self, feed: LineFeed, line: LineItem) -> str | None:
        unit = line.values.get("unit", "")
        self.units.setdefault(unit, line.texts.get("unit", unit))
        has_units = self.spec.rows.units or self.spec.rows.kind == "units"
        if feed.rows in ("function", "econ"):
            code = line.values.get(feed.rows)
            if not code:   # the 明细 has no such column (its header renamed or missing): noted where read
                return None
            key = row_key(unit if has_units else None, code)
            if key not in self.rows:
                name = line.names.get(feed.rows) or catalogue(feed.rows, self.year).name(code) or ""
                self.rows[key] = Row(key, CLASS, level(code), f"{code}-{name}" if name else code, code,
                                     unit if has_units else None, name, {})
            return key
        if feed.rows == "unit":
            return unit
        if feed.rows == "total":
            return TOTAL_KEY
        name = line.values.get("project", "")
        if not name:
            self.unnamed += 1
            return None
        key = row_key(unit, name)
        if key not in self.rows:
            self.rows[key] = Row(key, ITEM, "项目", name, unit=unit, attrs=self.item_texts(feed, line))
        return key

    def item_texts(self, feed: LineFeed, line: LineItem) -> dict[str, str]:
        attrs = {}
        for col in self.spec.panels[0].columns:
            if col.role == "unit":
                attrs[col.id] = line.texts.get("unit", "")
        for cid, fid, part in feed.text:
            text = line.texts.get(fid, "")
            if part:
                pieces = [p.strip() for p in text.replace("／", "/").split("/")]
                text = pieces[part - 1] if part <= len(pieces) else ""
            attrs[cid] = text
        return attrs

    # -- the table
    def table(self) -> Table:
        spec = self.spec
        table = Table(spec=spec, unit=spec.unit)
        rows: list[Row] = [Row(TOTAL_KEY, TOTAL, "合计", "合计", amounts={})]
        kind = spec.rows.kind
        units = sorted(self.units, key=lambda u: (not u.isdigit(), u))
        with_units = (kind == "classified" and spec.rows.units) or kind == "units" or \
            (kind == "items" and spec.panels[0].role("unit") is None)
        if with_units:
            present = [u for u in units if any(self._belongs(k, u) for k in (*self.rows, *self.sums))]
            if self.dept_key and present and present != [self.dept_key]:
                rows.append(Row(self.dept_key, DEPT, "部门", self.dept_label, code=self.dept_key, unit=self.dept_key,
                                amounts={}))
            for u in present:
                code, name = split_code(self.units[u])
                rows.append(Row(u, UNIT, "单位", self.units[u], code=code, unit=u, name=name, amounts={}))
                rows += self._details(lambda r, u=u: r.unit == u)
        else:
            rows += self._details(lambda r: True)
        for row in rows:
            for column, value in self.sums.get(row.key, {}).items():
                row.amounts[column] = convert(value, self.unit, table.unit) if table.unit != self.unit else value
        if kind == "items":
            seq = next((c.id for c in spec.panels[0].columns if c.role == "seq"), None)
            for n, row in enumerate((r for r in rows if r.kind == ITEM), 1):
                if seq:
                    row.attrs[seq] = str(n)
        table.rows = rows
        return table

    def _belongs(self, key: str, unit: str) -> bool:
        row = self.rows.get(key)
        return key == unit or (row is not None and row.unit == unit)

    def _details(self, wanted) -> list[Row]:
        rows = [r for r in self.rows.values() if wanted(r)]
        if self.spec.rows.kind == "classified":
            rows.sort(key=lambda r: r.code or "")   # parents are inserted above their first child (derive)
        return rows

    def notes(self) -> list[Note]:
        out = []
        for (by, choice), amounts in self.unplaced.items():
            field = self.fields.get(by)
            what = f"{field.header}为“{dict(field.choices).get(choice, choice)}”" if field else "这些"
            out.append(Note("warning", f"明细中{what}的 {len(amounts)} 行（合计 {sum(amounts, ZERO):,.2f} {self.unit}）"
                                       f"在{self.spec.code} 中没有对应的列，未计入该表", table=self.spec.code))
        if self.unnamed:
            out.append(Note("error", f"明细中有 {self.unnamed} 行项目支出没有填项目名称，未计入{self.spec.code}",
                            table=self.spec.code))
        return out


def _admits(value: str, wanted: tuple[str, ...]) -> bool:
    return bool(value) if ANY in wanted else value in wanted


# --------------------------------------------------------------------------- a workbook with a 明细
_TEMPLATE_NAMED = re.compile(r"模板\s*[:：]\s*([^\s）)，,]+)")


def with_lines(d: Disclosure, found: LineSheet) -> None:
    """Read the 明细 of a workbook and build from it every table of the set that has a `lines:` feed."""
    lines, notes = read_lines(found, d.template.total_names)
    d.notes.extend(notes)
    if not lines:
        return   # an empty 明细 (a workbook from `init` filled table by table): the tables are the input
    if not any(spec.lines for spec in d.template.tables.values()):
        d.notes.append(Note("warning", f"模板 {d.template.id} 没有由明细生成表的规则，“{found.sheet.name}”表未使用"))
        return
    unit = find_unit(found.sheet, 0, found.header_row + 1) or "元"
    take_lines(d, lines, found.sheet.name, unit)


def lines_only(path: Path, sheets: list[Sheet], found: LineSheet, ts: TemplateSet, year: int | None,
               department: str | None) -> Disclosure:
    """A workbook holding a 明细 and no table: every table comes from the lines."""
    others = {s.name: s.grid for s in sheets if s is not found.sheet and s.height <= 2000}
    d = Disclosure(path=path, template=ts, tables={}, other_sheets=others)
    d.year = year or find_year(sheets, [])
    d.department = department or find_department(sheets, {})
    with_lines(d, found)
    if not d.lines:
        raise InputError(f"{path.name} 只有“{found.sheet.name}”表，其中没有一行可用的预算明细"
                         f"（{len(d.notes)} 处问题，如：{d.notes[0].message if d.notes else '表是空的'}）：请填写明细后再试。")
    return d


def lines_template_name(found: LineSheet, sheets: list[Sheet]) -> str | None:
    """The template `init` named on the 明细 (or 说明) sheet: “…（模板：部门预算-辽宁）”."""
    for sheet in [found.sheet, *sheets]:
        for r in range(min(found.header_row + 1 if sheet is found.sheet else 5, sheet.height)):
            for value in sheet.grid[r]:
                m = _TEMPLATE_NAMED.search(value) if isinstance(value, str) else None
                if m:
                    return m.group(1)
    return None
