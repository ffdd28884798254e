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
from pathlib import Path

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


def check_one(path: str, template: str | None = None) -> Outcome:
    from .errors import BudgetXlError
    from .reader import read
    from .rules import check

    try:
        report = check(read(path, template))
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
                   report.count("warning"), report.count("rounding"), first)


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
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
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
