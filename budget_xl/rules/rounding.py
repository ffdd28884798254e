"""Whether a 尾数误差 is really rounding.

A difference within the rounding envelope is rounding only when rounding can explain it. Rounding
spreads: each 万元 figure carries its own half cent, so sums miss their totals by a little here and
there; and one amount printed twice rounds to the same figure both times. A typed slip of one cent
sits in one cell: that cell differs from its own twin (an identity of one figure against one), is
off by the same amount in every other identity it takes part in, and every other figure of those
identities agrees exactly everywhere else. Such a cell is reported as an error, with the reason;
every other envelope difference stays rounding — a total printed as the rounded sum while its
parts, each rounded, add up a cent apart is the everyday case and no mistake.
"""
from __future__ import annotations

from collections import defaultdict

from ..model import CellRef
from ..money import fmt
from ..references import Amount
from .blame import finding_for_cell
from .engine import Equation
from .findings import Finding

Term = tuple[Equation, Amount, bool]   # an equation, one of its terms, whether on the left
Key = tuple[str, str, str]


def odd_cells(roundings: list[Equation], nearby: list[Equation]) -> tuple[list[Finding], set[Key]]:
    """(errors, the rounding equations they explain). `nearby`: every equation, evaluated,
    that has a cell of a rounding equation among its terms."""
    by_cell: dict[CellRef, list[Term]] = defaultdict(list)
    for eq in nearby:
        for on_left, terms in ((True, eq.left), (False, eq.right)):
            for t in terms:
                if t.cell is not None:
                    by_cell[t.cell].append((eq, t, on_left))
    rounding_ids = {id(eq) for eq in roundings}
    findings: list[Finding] = []
    explained: set[Key] = set()
    for cell in dict.fromkeys(t.cell for eq in roundings for t in eq.terms if t.cell is not None):
        found = _odd(cell, by_cell, rounding_ids, explained)
        if found is not None:
            findings.append(found[0])
            explained |= found[1]
    return findings, explained


def _odd(cell: CellRef, by_cell: dict[CellRef, list[Term]], rounding_ids: set[int],
         explained: set[Key]) -> tuple[Finding, set[Key]] | None:
    mine = by_cell[cell]
    off = [(eq, t, on_left) for eq, t, on_left in mine if eq.status != "ok"]
    # Two identities at least (with one, any of its terms could carry the cent), one of them against
    # its twin (sums of rounded parts can all miss a rounded total the same way).
    if len(off) < 2 or any(id(eq) not in rounding_ids or eq.key in explained for eq, _, _ in off):
        return None
    twin = next((eq for eq, _, _ in off if len(eq.left) == len(eq.right) == 1 and eq.op == "="), None)
    if twin is None:
        return None
    eq0, t0, left0 = off[0]
    delta = -eq0.diff * (1 if left0 else -1) * t0.sign
    if any(eq.status_of(eq.shifted_diff(t, on_left, delta)) != "ok" for eq, t, on_left in mine):
        return None   # no one correction of this cell makes all its identities exact
    for eq, _, _ in off:
        for other in eq.terms:
            if other.cell is None or other.cell == cell:
                continue
            if any(e.status != "ok" for e, _, _ in by_cell[other.cell] if all(e is not o for o, _, _ in off)):
                return None   # the neighbour is off elsewhere too: rounding may be spread here
    eqs = [eq for eq, _, _ in off]
    f = finding_for_cell(eqs, cell, t0, t0.value + delta, t0.value)
    other = next(t for t in twin.terms if t is not t0 and t.cell != cell)
    f.message += (f"。差额虽在尾数误差范围内，但同一个数在 {other.label}（{other.cell or '计算值'}）印作 {fmt(other.value)}，"
                  f"四舍五入不会使同一个数印成两样；这个数在它参与的 {len(eqs)} 条公式中都差同一数额，"
                  "而这些公式中的其他数处处相符，应是录入错误")
    return f, {eq.key for eq in eqs}
