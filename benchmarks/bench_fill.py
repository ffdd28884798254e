"""`budget-xl fill` speed and memory, as whole processes.

    python benchmarks/bench_fill.py [--rows 100000]

Prints the time of `fill` on the corrected sample department workbook (target < 1 s), and time and
peak memory (max RSS) of `fill --force` on generated workbooks of N/10 and N classification rows
(linear time, bounded memory).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import ENV, ROOT, generate  # noqa: E402

SAMPLE = ROOT / "sample_workbooks" / "2024_住建局_部门预算_更正版.xlsx"


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "budget_xl", *args], capture_output=True, env=ENV)
    took = time.perf_counter() - start
    if res.returncode not in (0, 1):
        raise SystemExit(res.stderr.decode()[:500])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(["fill", str(SAMPLE), "-o", f"{tmp}/warm", "--force"])
        t, _ = run(["fill", str(SAMPLE), "-o", f"{tmp}/sample", "--force"])
        print(f"fill department sample: {t:.3f} s   (target < 1 s)")
        for n in (args.rows // 10, args.rows):
            path = Path(tmp) / f"g{n}.xlsx"
            rows = generate(path, 10, n // 10)
            t, mb = run(["fill", str(path), "-o", f"{tmp}/out{n}", "--force", "--recompute"])
            print(f"fill {rows:,} rows: {t:.2f} s, peak memory so far {mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
