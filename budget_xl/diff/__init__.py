"""`budget-xl diff`: two disclosures compared line by line, matched by key — two years of one
department, or a year's budget against its final accounts.

    comparison = budget_xl.diff.diff("2023", "2024", folder=Path("工作簿/"))

resolve.py turns the two arguments into disclosures; each side is checked first (its errors head
the report); compare.py / versus.py build the comparison that the renderers (report/diff_*.py) print.
"""
from __future__ import annotations

from pathlib import Path

from ..rules import check
from .compare import Comparison, Line, Options, Side, TableDiff, compare_years
from .resolve import resolve
from .versus import compare_versus

__all__ = ["diff", "Comparison", "Line", "Options", "TableDiff"]


def diff(a: str, b: str, *, folder: Path = Path("."), kind: str | None = None, dept: str | None = None,
         template: str | None = None, force: bool = False, options: Options | None = None) -> Comparison:
    pair = resolve(a, b, folder=folder, kind=kind, dept=dept, template=template, force=force)
    before = Side(pair.before, check(pair.before))
    after = Side(pair.after, check(pair.after))
    run = compare_versus if pair.mode == "versus" else compare_years
    comparison = run(before, after, options or Options())
    comparison.warnings[:0] = pair.warnings
    return comparison
