"""`budget-xl fill` speed and memory, as whole processes.

    python benchmarks/bench_fill.py [--rows 100000]

Prints the time of `fill` on the corrected sample department workbook (target < 1 s), then time
and peak memory (max RSS of that one process) of `fill --force --recompute` on generated workbooks
of N/10, N/2 and N classification rows (target: linear time, bounded memory). The generated 附表4
comes without the tables that 附表3's 基本/项目 columns are derived from, so the run also reports
and writes some 50,000 errors per 100,000 rows: the check report is part of the cost measured.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import ENV, ROOT, generate

SAMPLE = ROOT / "sample_workbooks" / "住建局" / "2024_部门预算_更正版.xlsx"


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one `budget-xl` process; the peak is that process's own max RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "budget_xl", *args], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(stderr.decode()[:500])
    return took, usage.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(["fill", str(SAMPLE), "-o", f"{tmp}/warm", "--force"])
        t, mb = run(["fill", str(SAMPLE), "-o", f"{tmp}/sample", "--force"])
        print(f"fill department sample: {t:.3f} s, peak {mb:.0f} MB   (target < 1 s)")
        print(f"{'rows':>9}{'seconds':>10}{'s per 10k rows':>16}{'peak MB':>10}{'MB per 10k rows':>17}")
        results = []
        for n in (args.rows // 10, args.rows // 2, args.rows):
            path = Path(tmp) / f"g{n}.xlsx"
            rows = generate(path, 10, n // 10)
            t, mb = run(["fill", str(path), "-o", f"{tmp}/out{n}", "--force", "--recompute"])
            results.append((rows, t, mb))
            print(f"{rows:>9,}{t:>10.2f}{t / rows * 10_000:>16.2f}{mb:>10.0f}{mb / rows * 10_000:>17.1f}")
            path.unlink()
        (n1, t1, m1), (n2, t2, m2) = results[0], results[-1]
        print(f"linearity: x{n2 / n1:.0f} rows took x{t2 / t1:.1f} time (process start-up included); "
              f"memory grows {(m2 - m1) / (n2 - n1) * 1024:.1f} KB per row")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
