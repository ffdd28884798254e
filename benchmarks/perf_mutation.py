"""Mutation testing of the 绩效 checks: change one amount, 分值 or 得分 of a form the way clerks slip
(±1, ×10, ÷10, two digits swapped, sign, blank) and see whether `check` says anything new — and
whether it names the cell. Used by benchmarks/bench_performance.py and tests/test_performance_mutation.py.

Mutations are made in memory on the forms as read (the values a changed cell would read as), every
value read from the cell at once, so a few thousand checks take seconds."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from budget_xl.model import CellRef
from budget_xl.performance import PerformanceBook, Value
from budget_xl.rules.findings import Finding

OPS: dict[str, Callable[[Decimal], Decimal | None]] = {
    "加1": lambda v: v + 1,
    "减1": lambda v: v - 1,
    "乘10": lambda v: v * 10,
    "除10": lambda v: v / 10,
    "数字颠倒": lambda v: _swap(v),
    "正负号": lambda v: -v,
    "清空": lambda v: None,
}


def _swap(v: Decimal) -> Decimal | None:
    text = f"{v:.2f}"
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in zip(digits, digits[1:]):
        if text[a] != text[b] and b == a + 1:
            return Decimal(text[:a] + text[b] + text[a] + text[b + 1:])
    return None


@dataclass
class Outcome:
    changes: int = 0
    detected: int = 0
    named: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)   # (cell, what, op)

    @property
    def rate(self) -> float:
        return self.detected / self.changes if self.changes else 1.0


def mutable_cells(book: PerformanceBook) -> dict[CellRef, tuple[str, list[Value]]]:
    """Every cell holding an amount, a 分值 or a 得分 of a form, with the values read from it (a cell
    may be read twice: the 预算执行率 row is also the 执行率 field)."""
    cells: dict[CellRef, tuple[str, list[Value]]] = {}

    def add(v: Value, what: str) -> None:
        if v.cell is None or v.number is None:
            return
        cells.setdefault(v.cell, (what, []))[1].append(v)

    for form in book.forms:
        for fid, v in form.fields.items():
            if form.spec.field_type(fid) in ("amount", "score"):
                add(v, f"{form.label} {form.spec.field_label(fid)}")
        for column, v in form.totals.items():
            add(v, f"{form.label} 总分行{column}")
        grid = form.spec.grid
        for ind in form.indicators:
            for column, v in ind.values.items():
                c = grid.column(column) if grid else None
                if c is not None and c.type == "score":
                    add(v, f"{form.label} “{ind.level3}” {c.header}")
    return cells


def _key(f: Finding) -> tuple:
    return (f.level, f.rule, f.message)


def mutate(book: PerformanceBook, run: Callable[[], list[Finding]], ops: dict[str, Callable] | None = None,
           only: Callable[[str], bool] = lambda what: True) -> Outcome:
    """Each op on each cell, one at a time (restored after), against the findings `run` gives."""
    base = {_key(f) for f in run() if f.level in ("error", "warning")}
    out = Outcome()
    for cell, (what, values), op, new in _changes(book, ops or OPS, only):
        saved = [(v.number, v.text) for v in values]
        for v in values:
            v.number, v.text = new, ("" if new is None else format(new, "f"))
        try:
            findings = [f for f in run() if f.level in ("error", "warning") and _key(f) not in base]
        finally:
            for v, (number, text) in zip(values, saved):
                v.number, v.text = number, text
        out.changes += 1
        if findings:
            out.detected += 1
            out.named += any(cell in f.cells for f in findings)
        else:
            out.missed.append((str(cell), what, op))
    return out


def _changes(book: PerformanceBook, ops: dict[str, Callable], only: Callable[[str], bool]) -> Iterator[tuple]:
    for cell, (what, values) in mutable_cells(book).items():
        if not only(what):
            continue
        old = values[0].number
        assert old is not None
        for name, op in ops.items():
            new = op(old)
            if (new is None and old == 0) or (new is not None and new == old) or (new is None and name != "清空"):
                continue      # no change at all (a 0 cleared, ×10 of 0, no digits to swap)
            yield cell, (what, values), name, new
