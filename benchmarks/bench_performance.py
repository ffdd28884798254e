"""绩效 forms: how fast they are read and checked, and how many single slips the checks catch.

    .venv/bin/python benchmarks/bench_performance.py              # speed and the full mutation run
    .venv/bin/python benchmarks/bench_performance.py --speed      # speed only

Speed: a workbook of 30 forms (the seeds' 27 年度绩效目标表 and 部门整体 forms and 3 自评表, published one
per sheet by `fill`'s writer) — the raw python-calamine parse, reading the forms, checking them, and
`budget-xl check` as a whole process (median of several runs). Target: well under a second.

Mutations: every amount, 分值 and 得分 cell of the seed samples (000 with its corrected tables and
narrative, 002 with its 决算 and narrative, 004 alone), each slip of perf_mutation.OPS in turn; prints
how many changes `check` detects (a new error or warning) and names (the changed cell among the new
finding's cells), and every change it misses. Target: ≥ 99 %.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from perf_mutation import mutate  # noqa: E402

import budget_xl  # noqa: E402
from budget_xl.narrative.verify import read_narrative  # noqa: E402
from budget_xl.performance import PerformanceBook  # noqa: E402
from budget_xl.reader.workbook import load_sheets  # noqa: E402
from budget_xl.report.form_publish import write_forms_workbook  # noqa: E402
from budget_xl.rules.performance import check_forms  # noqa: E402

S = ROOT / "sample_workbooks"
CASES = [
    ("000 年度绩效目标表", S / "住建局" / "2024_绩效目标表.xlsx", S / "住建局" / "2024_部门预算_更正版.xlsx",
     S / "narratives" / "2024_住建局_部门预算_情况说明_公开版.txt"),
    ("002 绩效自评表", S / "政府办" / "2024_绩效自评表.xlsx", S / "政府办" / "2024_部门决算_公开版.xlsx",
     S / "narratives" / "2024_政府办_部门决算_情况说明_公开版.txt"),
    ("004 部门整体、购买服务", S / "城市更新中心" / "2024_部门整体绩效目标.xlsx", None, None),
]


def median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def speed() -> None:
    targets = budget_xl.read_performance(CASES[0][1])
    evals = budget_xl.read_performance(CASES[1][1])
    forms = targets.forms + evals.forms[1:]
    assert len(forms) == 29 + 1 or len(forms) >= 29
    book = PerformanceBook(Path("30.xlsx"), (forms + evals.forms[:1])[:30], targets.form_sets)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "30张绩效表.xlsx"
        write_forms_workbook(book, path)
        n = len(budget_xl.read_performance(path).forms)
        raw = median_time(lambda: load_sheets(path))
        read = median_time(lambda: budget_xl.read_performance(path))
        read_book = budget_xl.read_performance(path)
        check = median_time(lambda: check_forms(read_book))
        whole = median_time(lambda: subprocess.run([sys.executable, "-m", "budget_xl", "check", str(path)],
                                                   capture_output=True), runs=3)
    print(f"{n} 张绩效表（每张一个工作表）")
    print(f"  python-calamine 解析      {raw * 1000:7.1f} ms")
    print(f"  读取绩效表                {read * 1000:7.1f} ms（解析的 {read / raw:.1f} 倍）")
    print(f"  核对                      {check * 1000:7.1f} ms")
    print(f"  budget-xl check 整个进程  {whole * 1000:7.1f} ms")


def mutations() -> None:
    total = detected = named = covered_changes = 0
    for name, path, tables, narrative in CASES:
        book = budget_xl.read_performance(path)
        d = budget_xl.read(tables) if tables else None
        lines = read_narrative(narrative, d) if narrative else None
        t = time.perf_counter()
        out = mutate(book, lambda book=book, d=d, lines=lines: check_forms(book, d, lines))
        print(f"{name}：{out.changes} 次改动，发现 {out.detected}（{out.rate:.1%}），指出改动的单元格 {out.named}"
              f"（{time.perf_counter() - t:.0f} 秒）")
        missed_cells = sorted({cell for cell, _, _ in out.missed})
        for cell in missed_cells:
            what = next(w for c, w, _ in out.missed if c == cell)
            ops = "、".join(op for c, _, op in out.missed if c == cell)
            print(f"    未发现：{cell} {what}（{ops}）")
        total += out.changes
        detected += out.detected
        named += out.named
        covered_changes += out.changes - sum(1 for c, _, _ in out.missed if c in missed_cells)
    print(f"合计：{total} 次改动，发现 {detected}（{detected / total:.1%}），指出改动的单元格 {named}（{named / total:.1%}）")
    print(f"有公式或对照涉及的单元格：{covered_changes} 次改动，发现 {detected}（{detected / covered_changes:.1%}）")


if __name__ == "__main__":
    speed()
    if "--speed" not in sys.argv:
        mutations()
