"""`check FOLDER`: every workbook under a folder, checked in parallel, one line each, a summary.

Each workbook is checked in a worker process of our own (never in the command's process, whatever
--jobs says), and the parent knows which file each worker holds: when a worker dies on a file (an
abort inside a native library, the memory ceiling, a kill), that file gets its “无法读取” line, a
fresh worker takes its place, and the others go on; a file taking longer than `timeout` is stopped
the same way. (concurrent.futures' pool cannot do this: one dead worker breaks the whole pool and
every file still in it.) Workers are forked where the platform allows, after the templates are
loaded, so that no worker parses them again.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Disclosure

FILE_TIMEOUT = 300.0   # seconds one workbook may take in a folder run (BUDGET_XL_FILE_TIMEOUT)


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
    except MemoryError:
        return Outcome(path, problem="内存不足，无法检查该工作簿：它可能大得异常。")
    except Exception as exc:  # a bug of ours must not stop the folder
        return Outcome(path, problem=f"内部错误（{type(exc).__name__}）：请把该文件报告给 budget-xl 维护者。")
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
               on_done: Callable[[Outcome], None] = lambda o: None, timeout: float | None = None) -> list[Outcome]:
    """Every workbook checked in isolated workers; the outcomes in the order of `paths`."""
    names = [str(p) for p in paths]
    results: dict[str, Outcome] = {}
    if names:
        with Workers(min(max(1, jobs), len(names)), template, timeout or file_timeout()) as workers:
            for outcome in workers.run(names):
                results[outcome.path] = outcome
                on_done(outcome)
    return [results[p] for p in names]


def file_timeout() -> float:
    text = os.environ.get("BUDGET_XL_FILE_TIMEOUT", "").strip()
    try:
        return float(text) if float(text) > 0 else FILE_TIMEOUT
    except ValueError:
        return FILE_TIMEOUT


def _serve(conn, template: str | None) -> None:
    """A worker: check the paths it is sent until it is sent None."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    # What the worker was forked with (modules, templates) lives as long as it does: out of the
    # collector's sight, no collection walks it again nor writes to its pages, shared with the parent.
    gc.freeze()
    try:
        while (path := conn.recv()) is not None:
            conn.send(check_one(path, template))
    except (EOFError, OSError, KeyboardInterrupt):
        pass


class _Worker:
    def __init__(self, ctx, template: str | None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, template), daemon=True)
        self.process.start()
        child.close()
        self.path: str | None = None
        self.started = 0.0

    def give(self, path: str) -> None:
        self.path, self.started = path, time.monotonic()
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Workers:
    """`jobs` worker processes, each holding at most one file; see the module's docstring."""

    def __init__(self, jobs: int, template: str | None, timeout: float):
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        self.ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if self.ctx.get_start_method() == "fork":
            _preload()
        self.jobs, self.template, self.timeout = jobs, template, timeout
        self.workers: list[_Worker] = []

    def __enter__(self) -> Workers:
        self.workers = [_Worker(self.ctx, self.template) for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            w.stop(kill=exc[0] is not None)

    def run(self, paths: list[str]) -> Iterator[Outcome]:
        from multiprocessing.connection import wait

        pending = list(reversed(paths))
        busy = 0
        while pending or busy:
            for w in self.workers:
                if w.path is None and pending:
                    path = pending.pop()
                    try:
                        w.give(path)
                        busy += 1
                    except OSError:      # the worker died idle: replace it, the file waits
                        w.path = None
                        pending.append(path)
                        self._replace(w)
            held = [w for w in self.workers if w.path is not None]
            ready = wait([w.conn for w in held] + [w.process.sentinel for w in held], timeout=1.0)
            now = time.monotonic()
            for w in held:
                outcome = None
                if w.conn in ready:
                    try:
                        outcome = w.conn.recv()
                    except (EOFError, OSError):
                        outcome = self._lost(w, "在检查时异常退出")
                elif w.process.sentinel in ready:
                    outcome = self._lost(w, "在检查时异常退出")
                elif now - w.started > self.timeout:
                    outcome = self._lost(w, f"检查超过 {self.timeout:.0f} 秒仍未完成，已停止", kill=True)
                if outcome is not None:
                    busy -= 1
                    w.path = None
                    yield outcome

    def _lost(self, w: _Worker, what: str, kill: bool = False) -> Outcome:
        path = w.path or ""
        if kill:
            w.process.kill()
        w.process.join(5)
        code = w.process.exitcode
        how = f"（信号 {-code}）" if code is not None and code < 0 else ""
        w.path = None
        self._replace(w)
        return Outcome(path, problem=f"处理该文件的进程{what}{how}：文件可能已损坏或大得异常，"
                                     f"请在 Excel/WPS 中打开后另存为 .xlsx 再试。")

    def _replace(self, w: _Worker) -> None:
        w.stop(kill=True)
        fresh = _Worker(self.ctx, self.template)
        w.conn, w.process, w.started = fresh.conn, fresh.process, 0.0


def _preload() -> None:
    """What every worker needs, loaded once before the fork."""
    from .reader import read  # noqa: F401
    from .rules import check  # noqa: F401
    from .templates import load_all

    load_all()


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
