"""`check FOLDER`: every workbook under a folder, checked in parallel, one line each, a summary.

Each worker reads and checks one workbook and sends back a small picklable summary; one unreadable
workbook is reported and does not stop the others.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Disclosure


@dataclass
class Outcome:
    path: str
    problem: str | None = None          # why the workbook could not be checked
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    errors: int = 0
    warnings: int = 0
    rounding: int = 0
    first: list[str] = field(default_factory=list)  # the first findings, errors first
    # What a district-wide comparison needs (district.py): the government's figures (政府预算, its
    # template's `district` lines) or a department's 三公 lines, by label, in 万元
    figures: dict[str, Decimal] = field(default_factory=dict)
    government: bool = False


def check_one(path: str, template: str | None = None) -> Outcome:
    from .derive import complete_lines
    from .errors import BudgetXlError
    from .reader import OnlyForms, read
    from .rules import check

    try:
        try:
            d = complete_lines(read(path, template))
        except OnlyForms as only:        # a workbook of 绩效 forms: checked as such
            from .rules.performance import check_forms, performance_report

            report = performance_report(only.book, check_forms(only.book))
            figures: dict[str, Decimal] = {}
            government = False
        else:
            report = check(d)
            if d.performance is not None:
                from .rules.performance import check_forms

                report.findings += check_forms(d.performance, d)
            figures, government = district_figures(d)
    except BudgetXlError as exc:
        return Outcome(path, problem=str(exc))
    except Exception as exc:  # a bug of ours must not stop the folder
        return Outcome(path, problem=f"内部错误：{type(exc).__name__}: {exc}")
    rank = {"error": 0, "warning": 1, "rounding": 2, "note": 3}
    first = [f"[{f.rule}] {f.message}" for f in sorted(report.findings, key=lambda f: rank[f.level])
             if f.level in ("error", "warning")][:3]
    return Outcome(path, None, report.department, report.year, report.kind, report.errors,
                   report.count("warning"), report.count("rounding"), first, figures, government)


def district_figures(d: Disclosure) -> tuple[dict[str, Decimal], bool]:
    """(figures by label in 万元, whether they are a government's): a 政府预算's `district` lines, or the
    合计 row of a department's 三公 table (the table its template compares in the 三公 layout)."""
    from .money import TEN_THOUSAND

    def wan(value: Decimal, unit: str) -> Decimal:
        return value / TEN_THOUSAND if unit == "元" else value

    if d.template.district:
        out = {}
        for label, side in d.template.district:
            table = d.tables.get(side.table)
            row = table.row(side.row) if table is not None else None
            if row is not None and table is not None:
                out[label] = wan(row.amount(side.column), table.unit)
        return out, True
    for code, spec in d.template.tables.items():
        table = d.tables.get(code)
        total = table.row("合计") if table is not None else None
        if spec.diff.sangong and table is not None and total is not None:
            return {line.label: wan(total.amount(line.column), table.unit) for line in spec.diff.sangong}, False
    return {}, False


def check_many(paths: Iterable[Path], jobs: int, template: str | None = None,
               on_done: Callable[[Outcome], None] = lambda o: None) -> list[Outcome]:
    names = [str(p) for p in paths]
    results: dict[str, Outcome] = {}
    if jobs <= 1 or len(names) <= 1:
        for p in names:
            results[p] = check_one(p, template)
            on_done(results[p])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(check_one, p, template): p for p in names}
            for fut in as_completed(futures):
                outcome = fut.result()
                results[outcome.path] = outcome
                on_done(outcome)
    return [results[p] for p in names]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass
class Totals:
    workbooks: int = 0
    passed: int = 0
    failed: int = 0          # checked, with errors
    unreadable: int = 0
    errors: int = 0
    warnings: int = 0
    rounding: int = 0


def totals(outcomes: list[Outcome]) -> Totals:
    t = Totals(workbooks=len(outcomes))
    for o in outcomes:
        if o.problem:
            t.unreadable += 1
            continue
        t.failed += bool(o.errors)
        t.errors += o.errors
        t.warnings += o.warnings
        t.rounding += o.rounding
    t.passed = t.workbooks - t.failed - t.unreadable
    return t


# --------------------------------------------------------------------------- across a district
# `check FOLDER` across a district: the government's own figures (its 政府预算, e.g. the 三公 it budgets for
# the whole district) against the sum of the same figures in its departments' workbooks of the same year
# in the folder (their 部门预算 三公 tables). The departments may not add up to more than the district;
# less means departments missing from the folder, or figures that disagree. One department and year
# counts once: where a folder holds several versions (公开版, 更正版) the one with the fewest errors is
# taken, and the others are named.
PAIRED = {"政府预算": "部门预算", "政府决算": "部门决算"}   # the departments' kind a government's kind is compared with
ZERO = Decimal(0)


@dataclass
class DistrictLine:
    year: int | None
    government: str           # the government workbook
    label: str                # 合计, 因公出国（境）费 …
    own: Decimal              # the government's figure, 万元
    departments: Decimal      # the sum over the departments, 万元
    count: int                # departments summed
    tolerance: Decimal        # 尾数: half a unit of the government's printed digit, plus the departments' rounding
    skipped: list[str] = field(default_factory=list)   # other versions of a department-year left out

    @property
    def status(self) -> str:
        """一致 | 超出 (the departments exceed the district: an error) | 少于 (departments missing or disagreeing)."""
        diff = self.departments - self.own
        if abs(diff) <= self.tolerance:
            return "一致"
        return "超出" if diff > 0 else "少于"

    def describe(self) -> str:
        text = (f"{self.year or ''}年“三公”{self.label if self.label != '合计' else '经费合计'}：政府预算 {self.own:,.2f} 万元，"
                f"文件夹中 {self.count} 个部门合计 {self.departments:,.2f} 万元")
        if self.status == "一致":
            return text + "，一致"
        if self.status == "超出":
            return text + f"，超出 {self.departments - self.own:,.2f} 万元：各部门之和不应大于全区"
        return text + f"，少 {self.own - self.departments:,.2f} 万元（其余部门不在文件夹中，或数字不一致）"


def district_lines(outcomes: list[Outcome]) -> list[DistrictLine]:
    out: list[DistrictLine] = []
    for gov in outcomes:
        if not gov.government or not gov.figures or gov.problem:
            continue
        wanted = PAIRED.get(gov.kind or "", "")
        chosen: dict[str, Outcome] = {}
        skipped: list[str] = []
        for o in outcomes:
            if o.government or o.problem or not o.figures or o.kind != wanted or o.year != gov.year:
                continue
            key = o.department or o.path
            if key in chosen:
                keep, drop = sorted((chosen[key], o), key=lambda x: (x.errors, x.path))
                chosen[key] = keep
                skipped.append(drop.path)
            else:
                chosen[key] = o
        if not chosen:
            continue
        for label, own in gov.figures.items():
            values = [o.figures[label] for o in chosen.values() if label in o.figures]
            tolerance = Decimal("0.5") + Decimal("0.005") * len(values)
            out.append(DistrictLine(gov.year, gov.path, label, own, sum(values, ZERO), len(values), tolerance,
                                    sorted(skipped)))
    return out
