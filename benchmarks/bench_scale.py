"""Speed at scale (issue 17): every figure of the issue's targets, as whole processes.

    python benchmarks/bench_scale.py [--repeat 5] [--big-repeat 3] [--rows 100000] [--only folder,dept,big]

Measures, each a median of several runs of a fresh process:
  folder   `check FOLDER --jobs 1` and `--jobs 2` over 100 department workbooks (copies of the
           department samples, each with one amount changed so that no two files are alike); wb/s.
           Target: ≥ 80 wb/s on 2 cores.
  dept     `show` and `check` of one department (住建局 2024 更正版) versus a bare python-calamine parse
           of the same file, as whole processes (target ratio ≤ 3); `fill` of that department
           (tables + docx + report; target < 0.5 s).
  big      100k classification rows (bench_read.generate): check (< 3 s), fill (< 15 s), narrate,
           diff with the diff workbook (< 15 s); each < 300 MB peak RSS.

Wall time and CPU time are both printed. CPU time is the children's user + system time
(getrusage(RUSAGE_CHILDREN) around each process, so it includes a folder run's workers). On a
shared 2-core machine (another job running) wall time is inflated by contention; the targets are
judged on CPU time for single-process commands (CPU ≈ wall on an idle machine) and, for the folder,
on CPU time divided by the cores used (wb/s = files / max(wall_idle_estimate)), as printed.
Peak memory is the process's max RSS (for a folder run: the largest single process).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import ENV, ROOT, generate

SAMPLES = ROOT / "sample_workbooks"
DEPT = SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx"
FOLDER_SOURCES = [
    SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx",
    SAMPLES / "住建局" / "2024_部门预算_公开版.xlsx",
    SAMPLES / "住建局" / "2023_部门预算.xlsx",
    SAMPLES / "政府办" / "2024_部门预算.xlsx",
    SAMPLES / "政府办" / "2024_部门决算_更正版.xlsx",
    SAMPLES / "政府办" / "2024_部门决算_公开版.xlsx",
]
PARSE = ("import python_calamine as pc, sys\n"
         "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
         "for n in wb.sheet_names: wb.get_sheet_by_name(n).to_python(skip_empty_area=False)")


@dataclass
class Run:
    wall: float
    cpu: float
    mb: float


def run_once(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {stderr.decode()[:800]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, usage.ru_maxrss / 1024)


def median_run(cmd: list[str], repeat: int, warm: bool = True) -> Run:
    if warm:
        run_once(cmd)  # byte-code, file cache
    runs = [run_once(cmd) for _ in range(repeat)]
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.mb for r in runs))


def bx(*args: object) -> list[str]:
    return [sys.executable, "-m", "budget_xl", *map(str, args)]


def verdict(ok: bool) -> str:
    return "达标 met" if ok else "未达标 NOT met"


def make_folder(folder: Path, n: int) -> None:
    """n department workbooks: the samples in turn, each with one numeric cell changed (a variant)."""
    import openpyxl

    folder.mkdir()
    variants = []
    for src in FOLDER_SOURCES:
        wb = openpyxl.load_workbook(src)
        variants.append((wb, src.stem))
    for i in range(n):
        wb, stem = variants[i % len(variants)]
        ws = wb.worksheets[min(1, len(wb.worksheets) - 1)]
        for row in ws.iter_rows(min_row=5, max_row=ws.max_row):
            cell = next((c for c in row if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)), None)
            if cell is not None:
                cell.value = cell.value + (i // len(variants))
                break
        wb.save(folder / f"{i:03d}_{stem}.xlsx")
        if cell is not None:
            cell.value = cell.value - (i // len(variants))


def bench_folder(tmp: Path, repeat: int) -> None:
    folder = tmp / "folder"
    make_folder(folder, 100)
    print("== 文件夹：100 个部门工作簿 check FOLDER ==")
    for jobs in (1, 2):
        r = median_run(bx("check", folder, "--jobs", jobs), repeat)
        cores = min(jobs, os.cpu_count() or 1)
        # On an idle machine the wall time of a CPU-bound run is at least CPU / cores.
        idle = max(r.cpu / cores, 1e-9)
        print(f"--jobs {jobs}: wall {r.wall:.2f} s ({100 / r.wall:.0f} wb/s), CPU {r.cpu:.2f} s "
              f"(CPU/{cores} → {100 / idle:.0f} wb/s), peak {r.mb:.0f} MB"
              + (f"   target ≥ 80 wb/s: {verdict(100 / idle >= 80)} (CPU), {verdict(100 / r.wall >= 80)} (wall)"
                 if jobs == 2 else ""))


def bench_dept(tmp: Path, repeat: int) -> None:
    print(f"== 一个部门：{DEPT.relative_to(ROOT)} ==")
    parse = median_run([sys.executable, "-c", PARSE, str(DEPT)], repeat)
    print(f"bare calamine parse (process): wall {parse.wall:.3f} s, CPU {parse.cpu:.3f} s")
    for name, cmd in (("show", bx("show", DEPT)), ("check", bx("check", DEPT))):
        r = median_run(cmd, repeat)
        print(f"{name:<6} wall {r.wall:.3f} s (x{r.wall / parse.wall:.2f}), CPU {r.cpu:.3f} s "
              f"(x{r.cpu / parse.cpu:.2f}), peak {r.mb:.0f} MB   target ≤ 3x: {verdict(r.cpu / parse.cpu <= 3)} (CPU), "
              f"{verdict(r.wall / parse.wall <= 3)} (wall)")
    r = median_run(bx("fill", DEPT, "-o", tmp / "fill_dept", "--force"), repeat)
    print(f"fill   wall {r.wall:.3f} s, CPU {r.cpu:.3f} s, peak {r.mb:.0f} MB   target < 0.5 s: "
          f"{verdict(r.cpu < 0.5)} (CPU), {verdict(r.wall < 0.5)} (wall)")


def bench_big(tmp: Path, repeat: int, rows: int) -> None:
    old, new = tmp / "old.xlsx", tmp / "new.xlsx"
    n = generate(old, 10, rows // 10)
    generate(new, 10, rows // 10, first=rows // 200, shift=150.0)
    print(f"== {n:,} 行 ==")
    cases = [
        ("check", bx("check", new, "--no-notes"), 3.0),
        ("fill", bx("fill", new, "-o", tmp / "fill_big", "--force", "--recompute"), 15.0),
        ("narrate", bx("narrate", new, "-o", tmp / "big.docx", "--force"), None),
        ("diff", bx("diff", old, new), None),
        ("diff -o", bx("diff", old, new, "-o", tmp / "diff.xlsx", "--force"), 15.0),
    ]
    for name, cmd, target in cases:
        r = median_run(cmd, repeat, warm=False)
        goal = (f"   target < {target:.0f} s, < 300 MB: {verdict(r.cpu < target and r.mb < 300)} (CPU), "
                f"{verdict(r.wall < target and r.mb < 300)} (wall)") if target else \
            f"   target < 300 MB: {verdict(r.mb < 300)}"
        print(f"{name:<8} wall {r.wall:6.2f} s, CPU {r.cpu:6.2f} s, peak {r.mb:4.0f} MB{goal}")


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per small case (median)")
    ap.add_argument("--big-repeat", type=int, default=3, help="runs per 100k-row case (median)")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--only", default="folder,dept,big")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.2f}: wall times are inflated when other jobs run; "
          "targets are judged on CPU time (user + system of the processes), wall shown alongside.")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if "dept" in parts:
            bench_dept(tmp, args.repeat)
        if "folder" in parts:
            bench_folder(tmp, max(1, args.repeat // 2))
        if "big" in parts:
            bench_big(tmp, args.big_repeat, args.rows)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
