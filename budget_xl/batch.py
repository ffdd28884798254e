"""`check FOLDER`: every workbook under a folder, checked in parallel, one line each, a summary.

Each worker reads and checks one workbook and sends back a small picklable summary; one unreadable
workbook is reported and does not stop the others.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path


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
        else:
            report = check(d)
            if d.performance is not None:
                from .rules.performance import check_forms

                report.findings += check_forms(d.performance, d)
    except BudgetXlError as exc:
        return Outcome(path, problem=str(exc))
    except Exception as exc:  # a bug of ours must not stop the folder
        return Outcome(path, problem=f"内部错误：{type(exc).__name__}: {exc}")
    rank = {"error": 0, "warning": 1, "rounding": 2, "note": 3}
    first = [f"[{f.rule}] {f.message}" for f in sorted(report.findings, key=lambda f: rank[f.level])
             if f.level in ("error", "warning")][:3]
    return Outcome(path, None, report.department, report.year, report.kind, report.errors,
                   report.count("warning"), report.count("rounding"), first)


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
