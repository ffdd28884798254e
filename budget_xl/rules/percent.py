"""Percentage columns recomputed (增长%, 增减率, 完成预算%): each printed percentage against the
amounts of its row, to the decimals it is printed with.

Not a linear identity, so not an equation of the engine: a percentage is checked after the amounts
have been blamed. Where an amount of its row was found wrong, the percentage is recomputed with the
corrected amount; if it then holds, the failure is that amount's, folded into its finding (the
mutated 本年 cell is named, not the 增长% it puts out). Rounding is judged twice: a printed value
equal to the exact one rounded to its decimals is right; one that some values of the amounts within
their own 尾数 (±0.5 in whole 万元) would give is 尾数误差; anything else is an error.
"""
from __future__ import annotations

from decimal import Decimal
from itertools import product

from ..model import CellRef, Disclosure, Row, Table
from ..money import fmt, round_half_up
from ..percent import Percent, printed, ratio, tolerance
from ..templates import ColumnSpec
from .catalogue import rule
from .findings import Finding, finding

ZERO = Decimal(0)
RULE = rule("percent").name


def percent_findings(d: Disclosure, found: list[Finding]) -> list[Finding]:
    blamed = {f.cells[0]: f for f in found if f.blamed and f.cells and f.expected is not None}
    out: list[Finding] = []
    for table in d.tables.values():
        lacking = set(table.missing_columns) | set(table.absent_columns)
        for col in table.spec.percent_columns:
            if {c for _, c in col.percent_of + col.percent_over} & lacking:
                continue
            for row in table.rows:
                pct = (row.percents or {}).get(col.id)
                if pct is not None:
                    f = _check(table, row, col, pct, blamed)
                    if f is not None:
                        out.append(f)
    return out


def _check(table: Table, row: Row, col: ColumnSpec, pct: Percent, blamed: dict[CellRef, Finding]) -> Finding | None:
    values = {c: row.amounts.get(c) or ZERO for _, c in col.percent_of + col.percent_over}
    verdict = judge(col, values, pct, table.half)
    if verdict[0] != "ok":
        corrected = dict(values)
        culprits = []
        for c in values:
            cell = row.cell(c)
            if cell in blamed:
                corrected[c] = blamed[cell].expected  # type: ignore[assignment]  # filtered above
                culprits.append(blamed[cell])
        if culprits and judge(col, corrected, pct, table.half)[0] != "fail":
            for f in culprits:
                f.also += (RULE,) if RULE not in f.also else ()
            return None
    status, value, decimals, exact, low, high = verdict
    if status == "ok":
        return None
    cell = row.cell(col.id)
    cells = [c for c in [cell, *(row.cell(c) for c in values)] if c is not None]
    fields = {"table": table.code, "label": row.name or row.label, "column": col.label, "cell": cell or table.code,
              "stated": _pct(value), "base": _terms(table, col.percent_over)}
    if status == "zero_base":
        return finding("warning", "percent", "zero_base", (table.code,), cells, None, value, **fields)
    expected = printed(exact, decimals)
    if status == "rounding":
        return finding("rounding", "percent", "rounding", (table.code,), cells, expected, value, **fields,
                       exact=_shown(exact, "0.0001"), expected=_pct(expected), half=fmt(table.half),
                       unit=table.unit, low=_shown(low, "0.01"), high=_shown(high, "0.01"))
    f = finding("error", "percent", "wrong", (table.code,), cells, expected, value, **fields,
                exact=_shown(exact, "0.0001"), expected=_pct(expected),
                formula=f"（{_terms(table, col.percent_of)}）÷ {_terms(table, col.percent_over)} × 100")
    f.blamed = True
    return f


def judge(col: ColumnSpec, values: dict[str, Decimal], pct: Percent, half: Decimal):
    """(status, printed value, its decimals, exact %, lowest %, highest %): status ok | rounding |
    fail | zero_base, for the reading of the cell (as written, or as a fraction) that fits best."""
    of = sum((s * values[c] for s, c in col.percent_of), ZERO)
    over = sum((s * values[c] for s, c in col.percent_over), ZERO)
    exact = ratio(of, over)
    readings = pct.readings()
    if exact is None:
        if of == 0 and any(v == 0 for v, _ in readings):
            return ("ok", ZERO, 0, ZERO, ZERO, ZERO)
        return ("zero_base", readings[0][0], readings[0][1], ZERO, ZERO, ZERO)
    for value, decimals in readings:
        if value == printed(exact, decimals):
            return ("ok", value, decimals, exact, exact, exact)
    low, high = _interval(col, values, half, exact)
    for value, decimals in readings:
        if low - tolerance(decimals) <= value <= high + tolerance(decimals):
            return ("rounding", value, decimals, exact, low, high)
    value, decimals = min(readings, key=lambda r: abs(r[0] - exact))
    return ("fail", value, decimals, exact, low, high)


def _interval(col: ColumnSpec, values: dict[str, Decimal], half: Decimal, exact: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest percentage the amounts give when each moves within its own 尾数: the
    extremes of a ratio of two linear forms over a box lie at its corners."""
    if not half:
        return exact, exact
    names = list(values)
    found = []
    for shifts in product((-half, half), repeat=len(names)):
        moved = {c: values[c] + s for c, s in zip(names, shifts)}
        of = sum((s * moved[c] for s, c in col.percent_of), ZERO)
        over = sum((s * moved[c] for s, c in col.percent_over), ZERO)
        value = ratio(of, over)
        if value is None or (over > 0) != (sum((s * values[c] for s, c in col.percent_over), ZERO) > 0):
            return Decimal("-Infinity"), Decimal("Infinity")   # the base could be 0: any percentage
        found.append(value)
    return min(found), max(found)


def _terms(table: Table, terms: tuple[tuple[int, str], ...]) -> str:
    text = ""
    for i, (sign, c) in enumerate(terms):
        label = table.column_label(c)
        text += (label if i == 0 and sign > 0 else f"{' − ' if sign < 0 else ' + '}{label}" if i else f"−{label}")
    return text


def _pct(value: Decimal) -> str:
    return format(value, "f")


def _shown(value: Decimal, places: str) -> str:
    """A computed percentage rounded for the message: in the wide context (a ratio of extreme amounts
    has more digits than Decimal's default 28), and an unbounded interval's end as ∞."""
    if not value.is_finite():
        return "∞" if value > 0 else "-∞"
    return _pct(round_half_up(value, Decimal(places)))
