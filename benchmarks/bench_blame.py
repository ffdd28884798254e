"""Blame precision, measured: mutate the amounts of clean workbooks one at a time (and two at a time,
and whole columns) and count how often `check` detects the change and names the changed cell first.

    .venv/bin/python benchmarks/bench_blame.py                 # every shipped clean workbook
    .venv/bin/python benchmarks/bench_blame.py --per-table 40   # at most 40 cells per table and kind

Mutations are made in memory on the read workbook (the same values a changed cell would read as),
so thousands of checks take minutes, not hours. Targets (issue “Findings you can act on”): ≥ 99 %
detected and ≥ 97 % named first on every table. Where the identities leave a tie (a cell in one sum
only), no checker can name the cell: such a finding says so and lists the cells, so the figures also
count "first or in a tie" and, the one that matters most, "wrongly blamed" (a correct cell judged
wrong). tests/test_blame_precision.py pins a floor.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budget_xl import read  # noqa: E402
from budget_xl.model import CellRef, Disclosure  # noqa: E402
from budget_xl.rules import check  # noqa: E402

CLEAN = [
    ROOT / "sample_workbooks" / "住建局" / "2024_部门预算_更正版.xlsx",
    ROOT / "sample_workbooks" / "住建局" / "2023_部门预算.xlsx",
    ROOT / "sample_workbooks" / "政府办" / "2024_部门决算_更正版.xlsx",
    ROOT / "tests" / "fixtures" / "wild" / "liaoning_split3" / "clean.xlsx",
    ROOT / "tests" / "fixtures" / "wild" / "shanghai_final" / "clean.xlsx",
    ROOT / "tests" / "fixtures" / "wild" / "gongkai10_final" / "clean.xlsx",
    ROOT / "tests" / "fixtures" / "wild" / "national_budget" / "部门预算_clean.xlsx",
]
KINDS = ("plus", "minus", "times10", "digits", "sign", "blank")


@dataclass
class Tally:
    tried: int = 0
    detected: int = 0
    first: int = 0
    wrong: int = 0       # a cell other than a changed one blamed (judged wrong): the confident wrong answer
    tie: int = 0         # not named first, but listed among the cells the identities cannot tell apart
    misses: list[str] = field(default_factory=list)

    def add(self, detected: bool, first: bool, what: str, wrong: bool = False, tie: bool = False) -> None:
        self.tried += 1
        self.detected += detected
        self.first += first
        self.wrong += wrong
        self.tie += tie and not first
        if not first and len(self.misses) < 5:
            self.misses.append(what)


def mutated(value: Decimal | None, kind: str) -> Decimal | None:
    """The value after a clerk's slip of this kind; None when the slip would change nothing."""
    v = value or Decimal(0)
    if kind == "plus":
        return v + Decimal(1)
    if kind == "minus":
        return v - Decimal(1)
    if kind == "times10":
        return v * 10 if v else None
    if kind == "sign":
        return -v if v else None
    if kind == "blank":
        return None if v else Decimal(-1)  # a blank stays blank: marked as no change below
    if kind == "digits":
        text = f"{abs(v):.2f}"
        whole = text.split(".")[0]
        for i in range(len(whole) - 1):
            if whole[i] != whole[i + 1]:
                swapped = whole[:i] + whole[i + 1] + whole[i] + whole[i + 2:]
                return Decimal(swapped + "." + text.split(".")[1]) * (1 if v >= 0 else -1)
        return None
    raise ValueError(kind)


def cells_of(d: Disclosure) -> dict[str, list[tuple[object, str, CellRef]]]:
    """(row, column, cell) of every amount read from the sheet, by table."""
    out: dict[str, list] = defaultdict(list)
    for table in d.tables.values():
        for row in table.rows:
            for column in table.columns:
                cell = row.cell(column)
                if cell is not None:
                    out[table.code].append((row, column, cell))
    return out


def errors_at(report) -> tuple[set[CellRef], set[CellRef], set[CellRef], set[CellRef]]:
    """Cells involved in any error, cells named first by one, cells blamed (judged wrong), and the
    cells of failures the identities cannot pin on one cell (ties, reported as such)."""
    involved, first, blamed, tied = set(), set(), set(), set()
    for f in report.findings:
        if f.level in ("error", "warning") and f.cells and f.rule_id not in ("unread", "cannot-check"):
            involved.update(f.cells)
            first.add(f.cells[0])
            if f.blamed:
                blamed.add(f.cells[0])
            if "无法确定是哪一格" in f.message:
                tied.update(f.cells)
    return involved, first, blamed, tied


def measure(path: Path, per_table: int, seed: int = 20261202) -> dict[str, dict[str, Tally]]:
    rng = random.Random(seed)
    d = read(path)
    base = check(d)
    assert base.errors == 0, f"{path} is not clean: {base.errors} errors"
    by_table = cells_of(d)
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for code, cells in by_table.items():
        for kind in KINDS:
            sample = rng.sample(cells, min(per_table, len(cells)))
            for row, column, cell in sample:
                old = row.amounts.get(column)
                new = mutated(old, kind)
                if (kind == "blank" and old in (None, Decimal(0))) or new is None and kind != "blank" or new == old:
                    continue
                row.amounts[column] = new
                try:
                    involved, first, blamed, tied = errors_at(check(d))
                finally:
                    row.amounts[column] = old
                tallies[code][kind].add(cell in involved, cell in first, f"{cell} {old}→{new}",
                                        wrong=bool(blamed - {cell}), tie=cell in tied)
        # two cells of the table at once: both found, each named first by some finding
        for _ in range(min(per_table, len(cells) // 2)):
            (r1, c1, cell1), (r2, c2, cell2) = rng.sample(cells, 2)
            if cell1 == cell2:
                continue
            o1, o2 = r1.amounts.get(c1), r2.amounts.get(c2)
            r1.amounts[c1] = (o1 or Decimal(0)) + Decimal(3)
            r2.amounts[c2] = (o2 or Decimal(0)) - Decimal(7)
            try:
                involved, first, blamed, tied = errors_at(check(d))
            finally:
                r1.amounts[c1], r2.amounts[c2] = o1, o2
            tallies[code]["two"].add(cell1 in involved and cell2 in involved, cell1 in first and cell2 in first,
                                     f"{cell1}+{cell2}", wrong=bool(blamed - {cell1, cell2}),
                                     tie=(cell1 in first or cell1 in tied) and (cell2 in first or cell2 in tied))
    return tallies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-table", type=int, default=25, help="cells tried per table and kind of slip")
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args()
    total = Tally()
    for path in args.paths or CLEAN:
        print(f"\n{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        for code, kinds in measure(path, args.per_table).items():
            t = Tally()
            for tally in kinds.values():
                t.tried += tally.tried
                t.detected += tally.detected
                t.first += tally.first
                t.wrong += tally.wrong
                t.tie += tally.tie
            total.tried += t.tried
            total.detected += t.detected
            total.first += t.first
            total.wrong += t.wrong
            total.tie += t.tie
            if not t.tried:
                continue
            worst = [f"{k}: {tally.first}/{tally.tried}" for k, tally in kinds.items() if tally.first < tally.tried]
            print(f"  {code:<12} detected {t.detected / t.tried:7.2%}  named first {t.first / t.tried:7.2%}"
                  f"  first or in a tie {(t.first + t.tie) / t.tried:7.2%}  wrongly blamed {t.wrong / t.tried:6.2%}"
                  f"  ({t.tried} mutations){'  ' + ', '.join(worst) if worst else ''}")
            for k, tally in kinds.items():
                for miss in tally.misses[:2]:
                    print(f"      {k} missed: {miss}")
    print(f"\nall: detected {total.detected / total.tried:.2%}, named first {total.first / total.tried:.2%}, "
          f"first or in a tie {(total.first + total.tie) / total.tried:.2%}, wrongly blamed "
          f"{total.wrong / total.tried:.2%} of {total.tried} mutations")


if __name__ == "__main__":
    main()
