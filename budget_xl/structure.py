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
    units = [r for r in rows if r.kind == UNIT]
    depts = [r for r in rows if r.kind == DEPT]
    items = [r for r in rows if r.kind == ITEM]
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
        s = fixed.sum_of
        if s.ids:
            found = [table.row(i) for i in s.ids]
            names = "、".join(spec.fixed_row_label(i) for i in s.ids)
        elif s.all_classes:
            found = [table.row(f.id) for f in spec.fixed_rows if f.is_class and f.panel == fixed.panel]
            names = "各功能分类类"
        else:
            wanted = set(s.classes)
            found = [r for r in rows if r.kind == CLASS and r.code and is_class(r.code) and r.code in wanted]
            names = "、".join(s.classes) + " 类"
        parts = [p for p in found if p is not None]
        if parts:
            out.append(RowSum("fixed-row", f"{code} {fixed.label} = {names}之和", sum_row, parts))
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

