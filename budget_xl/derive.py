"""Completing a table from what the clerk entered: subtotal rows and 合计/小计 columns.

Only what the template's structure defines is derived (the same structure the rules engine
checks): a 合计/小计 column from its `sum_of` parts, 款 from its 项, 类 from its 款, a unit from its
类, a department from its units, 合计 from the departments (or units, or 类, or items), and fixed rows
with `sum_of`. Missing 类/款 rows above an entered 项 are created (named from the code list).
A value the clerk entered that disagrees with the computed one is a conflict: it is reported,
and replaced only when `recompute` says the computed values win.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .classification import ancestors, row_key
from .classification import level as code_level
from .codes import catalogue
from .derive_rows import complete_row_formulas
from .gcpause import without_cycle_collection
from .model import CLASS, TOTAL, TOTAL_KEY, CellRef, Disclosure, Row, Table
from .money import rounding_envelope
from .references import Scope, each_keys, resolve
from .structure import row_sums

ZERO = Decimal(0)


@dataclass(slots=True)  # slots: fill of a large workbook keeps one per value it computes
class Change:
    table: str
    row: str           # row key
    label: str
    column: str
    entered: Decimal | None
    computed: Decimal
    cell: CellRef | None
    tolerance: Decimal = ZERO   # 万元 tables: a sum of k rounded parts may miss by (k + 1) × 0.005

    @property
    def conflict(self) -> bool:
        return self.entered is not None and abs(self.entered - self.computed) > self.tolerance


@without_cycle_collection
def complete(d: Disclosure, recompute: bool = False) -> list[Change]:
    """Fill every derived value of every table in place; returns what was filled or disagreed.

    Conflicting entered values are kept unless `recompute` (then they are replaced)."""
    changes: list[Change] = []
    for table in d.tables.values():
        if table.spec.rows.kind == "classified":
            _add_missing_parents(table, d.year)
        _add_missing_fixed_rows(table)
        changes += _complete_table(table, recompute)
    return changes


def _add_missing_fixed_rows(table: Table) -> None:
    """Fixed rows that are sums (人员经费合计 …) the clerk did not write: added at the end."""
    # A sum another printed total includes is left out, as the table left it (支出总计 printed, the
    # 政府性基金支出合计 it stands for not).
    within = {i for f in table.spec.fixed_rows if f.sum_of and table.row(f.id) is not None for i in f.sum_of.ids}
    for fixed in table.spec.fixed_rows:
        if fixed.sum_of and table.row(fixed.id) is None and table.spec.rows.kind != "fixed" and fixed.id not in within:
            table.append(Row(fixed.id, "fixed", "行", fixed.label, code=fixed.id, panel=fixed.panel, amounts={}))


def _add_missing_parents(table: Table, year: int | None) -> None:
    """Insert the 款 and 类 rows of entered 项 (and 类 of 款) that the clerk left out."""
    cls = table.spec.rows.classification
    cat = catalogue(cls, year)
    out: list[Row] = []
    seen: set[str] = {r.key for r in table.rows}
    for row in table.rows:
        if row.kind == CLASS and row.code and not row.name and (listed := cat.name(row.code)):
            row.name = listed  # a code entered without its name: named from the code list
            if not row.label or row.label == row.code:
                row.label = _label_like(row, row.code, row.name) if row.label == row.code else row.name
        if row.kind == CLASS and row.code:
            for parent in ancestors(row.code):
                key = row_key(row.unit, parent)
                if key in seen:
                    continue
                name = cat.name(parent) or ""
                label = _label_like(row, parent, name)
                out.append(Row(key, CLASS, code_level(parent, cls), label, code=parent, unit=row.unit, name=name,
                               amounts={}))
                seen.add(key)
        out.append(row)
    # A table printed by name totals its 类 in a fixed row of its own (一般公共预算支出合计, 支出总计).
    if TOTAL_KEY not in seen and not table.spec.rows.outline:
        out.insert(0, Row(TOTAL_KEY, TOTAL, "合计", "合计", amounts={}))
    table.replace_rows(out)


def _label_like(example: Row, code: str, name: str) -> str:
    """A new row's label written the way the table writes its labels ("2080505-名称" or a name)."""
    if example.label.startswith(example.code or "\0"):
        return f"{code}-{name}" if name else code
    return name or code


def _complete_table(table: Table, recompute: bool) -> list[Change]:
    changes: list[Change] = []
    spec = table.spec
    columns = [c for c in spec.columns if c.id not in table.missing_columns]
    present = {c.id for c in columns}
    leaf_first = _column_order(columns)
    rows = table.rows
    # What each computed row sums (the structure `check` verifies), bottom-up; the fixed-row sums
    # twice over, since a fixed total may be listed before its parts (决算04 年初结转和结余).
    sums = row_sums(table)
    plan = [(rs.parent, rs.children) for rs in sums]
    plan += [(rs.parent, rs.children) for rs in sums if rs.rule == "fixed-row"]

    # Computed values propagate upward even where the clerk's entry disagrees, so one wrong entry
    # is one conflict, not one per row above it.
    computed: dict[tuple[str, str], Decimal] = {}

    def value(row: Row, column: str) -> Decimal | None:
        return computed.get((row.key, column), row.amounts.get(column))

    def put(row: Row, column: str, new: Decimal, parts: int = 0) -> None:
        known = (row.key, column) in computed
        computed[(row.key, column)] = new
        entered = row.amounts.get(column)
        tolerance = _tolerance(table, parts)
        if entered is None:
            row.amounts[column] = new
            if not known:
                changes.append(Change(table.code, row.key, row.label, column, None, new, row.cell(column)))
        elif abs(entered - new) > tolerance:
            if not known:
                changes.append(Change(table.code, row.key, row.label, column, entered, new, row.cell(column),
                                      tolerance))
            if recompute:
                row.amounts[column] = new
        else:
            computed[(row.key, column)] = entered  # within 尾数误差: the printed total stands

    sum_columns = [(col.id, [p for p in col.sum_of if p in present]) for col in leaf_first if col.sum_of]

    def column_sums(row: Row) -> None:
        for column, parts in sum_columns:
            if row.colmap is None or column in row.colmap:
                values = [value(row, p) for p in parts]
                if any(v is not None for v in values):
                    put(row, column, sum((v or ZERO for v in values), ZERO), parts=len(values))

    parents = {id(p) for p, _ in plan}
    for row in rows:  # 1. detail rows: their 合计/小计 columns from the entered parts
        if id(row) not in parents:
            column_sums(row)
    for parent, kids in plan:  # 2. computed rows: each part column from the rows below …
        for col in columns:
            if col.sum_of:
                continue
            values = [value(k, col.id) for k in kids]
            if any(v is not None for v in values):
                put(parent, col.id, sum((v or ZERO for v in values), ZERO), parts=len(values))
    for row in rows:  # 3. … and its 合计/小计 columns from its own parts (detail rows are done)
        if id(row) in parents:
            column_sums(row)
    for row, column, filled in complete_row_formulas(table):   # 4. 增减额 = 本年 − 上年, 增长% (derive_rows.py)
        changes.append(Change(table.code, row.key, row.label, column, None, filled, row.cell(column)))
    return changes


def _tolerance(table: Table, parts: int) -> Decimal:
    """尾数误差 of a total of `parts` rounded amounts: (parts + 1) half units of the last printed digit."""
    return rounding_envelope(parts + 1, table.decimals) if table.half and parts else ZERO


def _column_order(columns):
    """Columns with sum_of after their parts (小计 before 合计)."""
    ids = {c.id: c for c in columns}
    done: list = []
    seen: set[str] = set()

    def visit(col) -> None:
        if col.id in seen:
            return
        seen.add(col.id)
        for part in col.sum_of:
            if part in ids:
                visit(ids[part])
        done.append(col)

    for col in columns:
        visit(col)
    return done


def convert_unit(d: Disclosure, unit: str) -> int:
    """Convert every table to `unit` (元 → 万元 rounds half up); returns how many amounts changed."""
    from .money import convert

    changed = 0
    for table in d.tables.values():
        if table.unit == unit:
            continue
        for row in table.rows:
            for column, value in row.amounts.items():
                if value is not None:
                    row.amounts[column] = convert(value, table.unit, unit)
                    changed += 1
        table.unit = unit
    return changed


def complete_lines(d: Disclosure) -> Disclosure:
    """A workbook read from its 明细 holds only the detail rows of its tables (reader/tabulate.py): what
    every command reads is the whole set, so its totals and derived tables are computed at once (for
    any other workbook, nothing: what it states is what `check` checks). Returns the disclosure."""
    if d.lines:
        complete(d)
        derive_tables(d)
    return d


# --------------------------------------------------------------------------- derived tables
@without_cycle_collection
def derive_tables(d: Disclosure, recompute: bool = False) -> list[Change]:
    """Compute the tables the template marks `derived` (附表1/3/6, 决算01/04) from the others.

    No formula is written twice: a derived value is the other side of a template identity whose
    one side is a single amount in a derived table (附表7.total[*] = 附表4.gpb[*] read the other way
    round). Identities are applied in passes, each followed by the in-table completion, until
    nothing more can be computed; what the workbook already holds is kept and compared."""
    template = d.template
    derived = {code for code, spec in template.tables.items() if spec.derived}
    if not derived:
        return []
    for code in derived:
        if code not in d.tables:
            d.tables[code] = _empty_table(template.tables[code], d.unit if d.unit in ("元", "万元") else None)
    d.tables = {code: d.tables[code] for code in template.tables if code in d.tables}
    changes: list[Change] = []
    seen: set[tuple[str, str, str]] = set()  # (row key, column, table) of every value derived so far
    scopes_all: dict[str, Scope] = {}  # built once; rows created below are added to them
    for pass_no in range(4):
        touched: set[str] = set()  # derived tables that got a value in this pass
        for ident in template.identities:
            if any(t not in d.tables for t in ident.tables):
                continue
            for target_side, source_side in ((ident.left, ident.right), (ident.right, ident.left)):
                # The target side is a single amount of a derived table.
                target = target_side[0] if len(target_side) == 1 else None
                if target is None or target.ref is None or target.ref.table not in derived or ident.op != "=":
                    continue
                for t in ident.tables:
                    if t not in scopes_all:
                        scopes_all[t] = Scope.of(d.tables[t])
                scopes = {t: scopes_all[t] for t in ident.tables}
                keys = each_keys(ident, scopes, template.params)
                for col in ident.for_columns or (None,):
                    column = target.ref.column.replace("{col}", col) if col else target.ref.column
                    for key in keys:
                        row = _target_row(d, scopes, target.ref, key, ident.each, create=False)
                        if row is not None and (row.key, column, target.ref.table) in seen:
                            continue  # derived in an earlier pass: no need to sum its sources again
                        source = resolve(source_side, scopes, key, col, ident.each)
                        if not source or all(t.blank for t in source):
                            continue
                        value = sum((t.sign * t.value for t in source), ZERO) * target.sign
                        row = row or _target_row(d, scopes, target.ref, key, ident.each, create=True)
                        if row is None:
                            continue
                        mark = (row.key, column, target.ref.table)
                        if mark in seen:
                            continue
                        seen.add(mark)
                        touched.add(target.ref.table)
                        entered = row.amounts.get(column)
                        tolerance = _tolerance(d.tables[target.ref.table], len(source))
                        if entered is None or (recompute and abs(entered - value) > tolerance):
                            row.amounts[column] = value
                        change = Change(target.ref.table, row.key, row.label, column, entered, value,
                                        row.cell(column), tolerance)
                        if not change.conflict or change.cell is not None:
                            changes.append(change)
        for code in template.tables:
            # Every derived table once; after that only those that got new values (completing an
            # unchanged table again would find nothing new).
            if code in derived and (pass_no == 0 or code in touched):
                # Only a value read from the workbook can conflict; two computations disagreeing (a
                # source table missing) is for `check` to report, not a clerk's entry.
                changes += [c for c in _complete_table(d.tables[code], recompute) if c.conflict and c.cell is not None]
        if not touched:
            break
    return changes


def _empty_table(spec, unit: str | None) -> Table:
    table = Table(spec=spec, unit=unit or spec.unit)
    for fixed in spec.fixed_rows:
        table.rows.append(Row(fixed.id, "fixed", "类" if fixed.is_class else "行", fixed.label, code=fixed.id,
                              panel=fixed.panel, amounts={}))
    if spec.rows.kind != "fixed":
        table.rows.insert(0, Row(TOTAL_KEY, TOTAL, "合计", "合计", amounts={}))
    return table


def _target_row(d: Disclosure, scopes, ref, key, each, create: bool) -> Row | None:
    """The derived table's row for this value; with `create`, a new row like the source row when
    the table does not have it yet."""
    table = d.tables[ref.table]
    rows = scopes[ref.table].rows_for(ref.row, key, each)
    if rows or not create:
        return rows[0] if len(rows) == 1 else None
    wanted = key if ref.row == "*" else ref.row
    if wanted is None or table.spec.rows.kind == "fixed":
        return None
    model = next((s.by_key[wanted] for t, s in scopes.items() if t != ref.table and wanted in s.by_key), None)
    if model is None:
        return None
    row = Row(model.key, model.kind, model.level, model.label, code=model.code, unit=model.unit, name=model.name,
              amounts={})
    table.append(row)
    scopes[ref.table].by_key[row.key] = row
    if row.kind == CLASS and row.code:
        scopes[ref.table].by_code.setdefault(row.code, []).append(row)
    return row
