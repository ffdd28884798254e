"""`check FOLDER`: every workbook under a folder, checked in parallel, one line each, a summary.

Each worker reads and checks one workbook and sends back a small picklable summary; one unreadable
workbook is reported and does not stop the others.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


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


def workbooks_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", ".")))


def check_one(path: str, template: str | None = None) -> Outcome:
    from . import read
    from .errors import BudgetXlError
    from .rules import check

    try:
        report = check(read(path, template))
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
    paths = [str(p) for p in paths]
    results: dict[str, Outcome] = {}
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            results[p] = check_one(p, template)
            on_done(results[p])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(check_one, p, template): p for p in paths}
            for fut in as_completed(futures):
                outcome = fut.result()
                results[outcome.path] = outcome
                on_done(outcome)
    return [results[p] for p in paths]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def write_summary(outcomes: list[Outcome], target: Path, root: Path, force: bool = False) -> None:
    import xlsxwriter

    from .report.output import atomic_output
    from .text import cjk_width

    headers = ["工作簿", "部门", "年度", "类型", "错误", "警告", "尾数误差", "主要问题"]
    rows = []
    for o in outcomes:
        name = os.path.relpath(o.path, root)
        if o.problem:
            rows.append([name, "", "", "", "", "", "", "无法读取：" + o.problem])
        else:
            rows.append([name, o.department or "", o.year or "", o.kind or "", o.errors, o.warnings, o.rounding,
                         "\n".join(o.first)])
    with atomic_output(target, force=force) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("汇总")
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "font_name": "宋体"})
        body = wb.add_format({"border": 1, "valign": "top", "font_name": "宋体", "text_wrap": True})
        bad = wb.add_format({"border": 1, "valign": "top", "font_name": "宋体", "bg_color": "#FFC7CE"})
        ws.write_row(0, 0, headers, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                fmt = bad if c == 4 and isinstance(value, int) and value > 0 else body
                if isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write(r, c, value, fmt)
        widths = [min(60, max([cjk_width(headers[c])] + [cjk_width(str(row[c]).split("\n")[0]) for row in rows]) + 2)
                  for c in range(len(headers) - 1)] + [90]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), len(headers) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_footer("&C第 &P 页，共 &N 页")
        wb.close()
