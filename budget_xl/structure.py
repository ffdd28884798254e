"""What sums what in a table, from its template structure — one place for `check` and `fill`.

The rules engine turns each RowSum into equations (parent = Σ children, per column); `fill`
computes the parents from their children. Listed bottom-up: 款 from 项 and 类 from 款 within each
unit, units from their 类 (or items), departments from their units, 合计 from the top level, then
the fixed rows with `sum_of`.
"""
from __future__ import annotations

from typing import NamedTuple

from .classification import LEVEL_NAMES, WIDTHS, is_class, parent
from .model import CLASS, DEPT, ITEM, TOTAL, TOTAL_KEY, UNIT, Row, Table
from .templates import FixedRow


class RowSum(NamedTuple):
    rule: str            # the built-in rule (rules/catalogue.py): class-sum, unit-sum, dept-sum, total-row, fixed-row
    text: str            # the identity in plain Chinese
    parent: Row
    children: list[Row]


def row_sums(table: Table) -> list[RowSum]:
    code = table.code
    spec = table.spec
    rows = table.rows
    out: list[RowSum] = []
    by_unit: dict[str | None, list[tuple[str, Row]]] = {}  # the coded class rows of each unit, with their code
    for row in rows:
        if row.kind == CLASS and row.code:
            by_unit.setdefault(row.unit, []).append((row.code, row))
    for unit_rows in by_unit.values():
        children: dict[str, list[Row]] = {}
        for row_code, row in unit_rows:
            above = parent(row_code)
            if above is not None:
                children.setdefault(above, []).append(row)
        for width in (WIDTHS["款"], WIDTHS["类"]):  # 款 before 类: a 类 sums its 款 once they are known
            below = LEVEL_NAMES[width + 2]
            for upper_code, upper in unit_rows:
                if len(upper_code) == width and children.get(upper_code):
                    out.append(RowSum("class-sum", f"{code} 上级科目 = 其下各{below}之和", upper, children[upper_code]))
    if spec.rows.outline:
        out += _outline_sums(table)
    units = [r for r in rows if r.kind == UNIT]
    depts = [r for r in rows if r.kind == DEPT]
    # Items printed as an outline (transfers by item and sub-item): the total sums the top level.
    items = [r for r in rows if r.kind == ITEM and r.parent is None]
    for unit in units:
        parts = [r for c, r in by_unit.get(unit.key, []) if is_class(c)] or [r for r in items if r.unit == unit.key]
        if parts:
            out.append(RowSum("unit-sum", f"{code} 单位行 = 本单位各类科目之和", unit, parts))
    members: dict[str, list[Row]] = {}
    current: Row | None = None
    for row in rows:
        if row.kind == DEPT:
            current = row
            members.setdefault(row.key, [])
        elif row.kind == TOTAL:
            current = None
        elif row.kind == UNIT and current is not None:
            members[current.key].append(row)
    for dept in depts:
        if members.get(dept.key):
            out.append(RowSum("dept-sum", f"{code} 部门行 = 所属各单位之和", dept, members[dept.key]))
    total = table.row(TOTAL_KEY)
    if total is not None and spec.rows.kind != "fixed":
        parts = depts or units or items or [r for c, r in by_unit.get(None, []) if is_class(c)]
        if parts:
            what = "部门" if depts else "单位" if units else "项目" if items else "类"
            out.append(RowSum("total-row", f"{code} 合计行 = 各{what}之和", total, parts))
    for fixed in spec.fixed_rows:
        sum_row = table.row(fixed.id)
        if sum_row is None or not fixed.sum_of:
            continue
        found, names = _parts_of(table, fixed)
        parts = [p for p in found if p is not None]
        if parts:
            out.append(RowSum("fixed-row", f"{code} {fixed.label} = {names}之和", sum_row, parts))
    return out


def _parts_of(table: Table, fixed: FixedRow, seen: frozenset[str] = frozenset()) -> tuple[list[Row | None], str]:
    """The rows a fixed row with `sum_of` adds up, and how to name them. A part the sheet does not
    print but which is itself a sum stands for its own parts (支出总计 = 支出合计 + 调出资金 … where
    支出合计 is not printed: the 类 above it)."""
    spec, s = table.spec, fixed.sum_of
    assert s is not None
    if s.ids:
        found: list[Row | None] = []
        for i in s.ids:
            row = table.row(i)
            part = spec.fixed_row(i)
            if row is None and part is not None and part.sum_of and i not in seen:
                found += _parts_of(table, part, seen | {fixed.id})[0]
            else:
                found.append(row)
        return found, "、".join(spec.fixed_row_label(i) for i in s.ids)
    if s.all_classes:
        return [table.row(f.id) for f in spec.fixed_rows if f.is_class and f.panel == fixed.panel], "各功能分类类"
    wanted = set(s.classes)
    return ([r for r in table.rows if r.kind == CLASS and r.code and is_class(r.code) and r.code in wanted],
            "、".join(s.classes) + " 类" if len(s.classes) <= 12 else "各类")


def _outline_sums(table: Table) -> list[RowSum]:
    """Rows printed by name: each row with rows under it is their sum (类 = Σ 款, 款 = Σ 项, an item
    = Σ its sub-items), by the parent each row was read under (reader/outline.py)."""
    children: dict[str, list[Row]] = {}
    for row in table.rows:
        if row.parent is not None:
            children.setdefault(row.parent, []).append(row)
    out = []
    for row in table.rows:
        kids = children.get(row.key)
        if kids:
            below = kids[0].level if kids[0].level in ("款", "项") else "项"
            out.append(RowSum("class-sum", f"{table.code} 上一级 = 其下各{below}之和", row, kids))
    return out


def computed_cells(table: Table) -> set[tuple[int, int]]:
    """The (grid row, grid column) of every amount a table computes from its own other amounts: the
    rows that sum rows (类, 单位, 合计, fixed totals) and the columns that sum columns; all of them in
    a table derived from the others (附表1/3/6, 决算01/04). `fill --recompute` may only rewrite these."""
    sum_columns = {c.id for c in table.spec.columns if c.sum_of}
    parents = {id(rs.parent) for rs in row_sums(table)}
    out: set[tuple[int, int]] = set()
    for row in table.rows:
        if row.colmap is None:
            continue
        for cid, col in row.colmap.items():
            if cid == "label":
                continue
            if table.spec.derived or id(row) in parents or cid in sum_columns:
                out.add((row.grid_row, col))
    return out

