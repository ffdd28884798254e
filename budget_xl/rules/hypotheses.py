"""Explanations beyond one cell: a column of amounts printed under the wrong header, and a whole
table taken from another year or version.

A clerk who pastes a column one place to the right, or types the 财政专户管理资金 of the 项目支出表
under 国有资本经营预算, breaks several identities at once, and no single cell explains them: the
greedy search (blame.py) would blame correct cells of other tables. So before it runs, each table
with failures is tried with each of its amount columns moved under another (empty or not printed)
column, and with two columns swapped; a move that mends at least two failed identities and breaks
none becomes one finding naming the column and its header cell, with every identity it explains.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from ..model import CellRef, Disclosure, Table
from .catalogue import message, rule
from .engine import Equation, equations, statuses
from .findings import Finding

MAX_ROWS = 3000      # a column hypothesis re-evaluates a table's identities once per pair of columns
FOREIGN_MIN = 3      # failed identities with other tables before a whole table is suspected…
FOREIGN_SHARE = 0.5  # …and the share of its identities with other tables that fail
Key = tuple[str, str, str]


@dataclass
class Explained:
    finding: Finding
    keys: set[Key]           # the failed equations it explains


def misplaced_columns(d: Disclosure, failed: list[Equation]) -> list[Explained]:
    out: list[Explained] = []
    for code in dict.fromkeys(t for eq in failed for t in eq.tables):
        table = d.tables.get(code)
        if table is None or len(table.rows) > MAX_ROWS or table.spec.rows.kind == "fixed":
            continue
        memo: dict = {}
        depends: dict[Key, set[str] | None] = {}
        before = statuses(d, code, memo=memo, depends=depends)
        assert before is not None   # (None only when given the statuses before)
        failing = {k for k, s in before.items() if s == "fail"}
        if len(failing) < 2:
            continue
        best: tuple[int, str, str, str, set[Key]] | None = None
        for a, b, how in _pairs(table):
            # a failure that reads neither column stays a failure: fewer than two that do, nothing to mend
            if sum(1 for k in failing if (cols := depends.get(k)) is None or a in cols or b in cols) < 2:
                continue
            with _moved(table, a, b, swap=how == "swap"):
                after = statuses(d, code, (a, b), memo, before=before)
            if after is None:
                continue   # it breaks an identity that held
            mended = {k for k in failing if after.get(k, "ok") != "fail"}
            broken = {k for k, s in after.items() if s == "fail" and before.get(k, "ok") != "fail"}
            if len(mended) >= 2 and not broken and (best is None or len(mended) > best[0]):
                best = (len(mended), a, b, how, mended)
        if best is not None:
            out.append(Explained(_finding(table, best[1], best[2], best[3], best[4]), best[4]))
    return out


def _pairs(table: Table) -> Iterator[tuple[str, str, str]]:
    """(from, to, how): a column with amounts into one without (or not printed), or two swapped."""
    cols = list(table.spec.columns)
    # A column of one amount is a two-cell change, which the single-cell search already weighs.
    counts = {c.id: sum(1 for r in table.rows if r.amounts.get(c.id)) for c in cols}
    filled = {cid for cid, n in counts.items() if n >= 2}
    sums = {c.id: set(c.sum_of) for c in cols}
    for a in cols:
        if a.id not in filled or a.sum_of:
            continue
        for b in cols:
            if b.id == a.id or b.sum_of or a.id in sums.get(b.id, ()) or b.id in sums.get(a.id, ()):
                continue
            # Into a column with no amount at all, or swapped with another full one; never over a
            # stray amount (that would explain a wrong cell away by overwriting it).
            if counts[b.id] == 0:
                yield a.id, b.id, "move"
            elif b.id in filled and a.id < b.id:
                yield a.id, b.id, "swap"


@contextmanager
def _moved(table: Table, a: str, b: str, swap: bool) -> Iterator[None]:
    """The table as if column a's cells were headed b (and b's a, for a swap); restored after."""
    saved = [(row, row.amounts.get(a), row.amounts.get(b)) for row in table.rows]
    maps = {id(row.colmap): row.colmap for row in table.rows if row.colmap is not None}
    saved_maps = {key: dict(m) for key, m in maps.items()}
    absent = b in table.absent_columns
    if absent:
        table.absent_columns.remove(b)
    try:
        for row, va, vb in saved:
            row.amounts[b] = va
            row.amounts[a] = vb if swap else None
        for m in maps.values():
            col_a, col_b = m.get(a), m.get(b)
            m.pop(a, None)
            m.pop(b, None)
            if col_a is not None:
                m[b] = col_a
            if swap and col_b is not None:
                m[a] = col_b
        yield
    finally:
        for key, m in maps.items():
            m.clear()
            m.update(saved_maps[key])
        for row, va, vb in saved:
            row.amounts[a] = va
            if vb is None and b not in (row.colmap or {}):
                row.amounts.pop(b, None)
            else:
                row.amounts[b] = vb
        if absent:
            table.absent_columns.append(b)


def _finding(table: Table, a: str, b: str, how: str, mended: set[Key]) -> Finding:
    rules = sorted({k[0] for k in mended})
    cells = [c for c in [table.header_cells.get(a)] if c] + [
        c for row in table.rows if row.amounts.get(a) and (c := row.cell(a)) is not None]
    column = _letter(table, a)
    kind = "swapped" if how == "swap" else ("absent" if b in table.absent_columns else "moved")
    r = rule("misplaced-column")
    text = message("misplaced-column", kind, table=table.code, column=column, a=table.column_label(a),
                   b=table.column_label(b), rules="、".join(rules))
    total = sum((row.amounts.get(a) or Decimal(0) for row in table.rows if row.kind == "total"), Decimal(0))
    return Finding("error", r.name, r.statement, text, (table.code,), cells, actual=total or None, also=tuple(rules),
                   blamed=True, hypothesis="swapped-columns" if how == "swap" else "misplaced-column")


def _letter(table: Table, column: str) -> str:
    cell: CellRef | None = table.header_cells.get(column) or next(
        (c for row in table.rows if (c := row.cell(column)) is not None), None)
    return cell.a1.rstrip("0123456789") if cell else column


def foreign_tables(d: Disclosure, failed: list[Equation]) -> list[Explained]:
    """A table that adds up within itself but disagrees with most of its identities with the other
    tables — a table pasted from last year's file or another version. No cell explains that: the
    greedy search would blame correct cells of the other tables one by one. One finding names the
    table (its title cell) and folds in every identity it explains."""
    out: list[Explained] = []
    failing_cross = {eq.key for eq in failed if len(set(eq.tables)) > 1}
    if len(failing_cross) < FOREIGN_MIN:
        return out
    candidates = []
    for code in dict.fromkeys(t for eq in failed if eq.key in failing_cross for t in eq.tables):
        table = d.tables.get(code)
        if table is None:
            continue
        own = cross = 0
        mine: set[Key] = set()
        for eq in equations(d, only={code}):
            status = eq.evaluate()
            if len(set(eq.tables)) == 1:
                own += status == "fail"
                continue
            cross += 1
            if status == "fail":
                mine.add(eq.key)   # with those failing for a row one table lacks (other units, other years)
        if own == 0 and len(mine) >= FOREIGN_MIN and len(mine) >= FOREIGN_SHARE * cross:
            candidates.append((len(mine) / cross, len(mine), code, cross, mine))
    explained: set[Key] = set()
    for _share, _n, code, cross, mine in sorted(candidates, reverse=True):
        if mine <= explained:
            continue   # another table's mismatch already accounts for these
        explained |= mine
        table = d.tables[code]
        rules = sorted({k[0] for k in mine})
        r = rule("foreign-table")
        text = message("foreign-table", "foreign", table=code, title=table.spec.title, failed=len(mine), total=cross,
                       rules="、".join(rules[:8]) + ("等" if len(rules) > 8 else ""))
        cells = [c for c in [table.title_cell] if c]
        out.append(Explained(Finding("error", r.name, r.statement, text, (code,), cells, also=tuple(rules),
                                     blamed=bool(cells), hypothesis="foreign-table"), mine))
    return out
