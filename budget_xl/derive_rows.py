"""Completing the columns a row computes from its own amounts: a row formula with one column on a
side (增减额 = 本年 − 上年) gives that column where it is blank, and a percentage column (增长%) is
computed from its row, printed to the template's decimals (1 unless it says otherwise) — never where
its base is 0 (left blank, as the official tables leave it). What was entered stays: `check` judges it.
"""
from __future__ import annotations

from decimal import Decimal

from .model import Row, Table
from .percent import Percent, printed, ratio

ZERO = Decimal(0)
PERCENT_DECIMALS = 1


def complete_row_formulas(table: Table) -> list[tuple[Row, str, Decimal]]:
    """Fill the blank cells a row computes from itself; returns (row, column, value) of each."""
    changes: list[tuple[Row, str, Decimal]] = []
    spec = table.spec
    lacking = set(table.missing_columns) | set(table.absent_columns)
    for ident in spec.row_identities:
        if ident.op != "=":
            continue
        for target, source in ((ident.left, ident.right), (ident.right, ident.left)):
            if len(target) != 1 or target[0][0] != 1 or {c for _, c in ident.left + ident.right} & lacking:
                continue
            column = target[0][1]
            for row in table.rows:
                if row.amounts.get(column) is not None or (row.colmap is not None and column not in row.colmap):
                    continue
                values = [row.amounts.get(c) for _, c in source]
                if any(v is not None for v in values):
                    value = sum((s * (v or ZERO) for (s, _), v in zip(source, values)), ZERO)
                    row.amounts[column] = value
                    changes.append((row, column, value))
    for col in spec.percent_columns:
        parts = {c for _, c in col.percent_of + col.percent_over}
        if col.id in lacking or parts & lacking:   # a percentage the layout does not print is not added
            continue
        for row in table.rows:
            if row.percents and col.id in row.percents:
                continue
            amounts = {c: row.amounts.get(c) for c in parts}
            if all(v is None for v in amounts.values()):
                continue
            of = sum((s * (amounts[c] or ZERO) for s, c in col.percent_of), ZERO)
            exact = ratio(of, sum((s * (amounts[c] or ZERO) for s, c in col.percent_over), ZERO))
            if exact is None:
                continue
            decimals = PERCENT_DECIMALS if col.decimals is None else col.decimals
            value = printed(exact, decimals)
            row.percents = {**(row.percents or {}), col.id: Percent(value, decimals)}
            changes.append((row, col.id, value))
    return changes
