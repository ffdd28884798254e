"""Checking speed, as whole processes.

    python benchmarks/bench_check.py [--rows 100000] [--folder 200] [--repeat 3]

Prints: `budget-xl check` of the sample department workbook (target < 0.5 s); of generated
workbooks with N/10 and N classification rows (cost should grow linearly); and of a folder of
copies of the sample with --jobs 1 versus --jobs 2 (target: near 2x on 2 cores).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import SAMPLE, generate, timed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--folder", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    check = [py, "-m", "budget_xl", "check"]

    def run(cmd):  # check exits 1 when it finds errors: that is a result, not a failure
        return timed(cmd + ["--no-notes"] if cmd[-1].endswith(".xlsx") else cmd, args.repeat, ok=(0, 1))

    t = run(check + [str(SAMPLE)])
    print(f"check department sample: {t:.3f} s   (target < 0.5 s)")
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "small.xlsx", Path(tmp) / "big.xlsx"
        generate(small, 10, args.rows // 100)
        n = generate(big, 10, args.rows // 10)
        t_small = run(check + [str(small)])
        t_big = run(check + [str(big)])
        print(f"check {args.rows // 10:,} rows: {t_small:.3f} s; {n:,} rows: {t_big:.3f} s; "
              f"x{t_big / t_small:.1f} time for x10 rows (process start-up included)")
        folder = Path(tmp) / "folder"
        folder.mkdir()
        for i in range(args.folder):
            shutil.copy(SAMPLE, folder / f"{i:03d}.xlsx")
        t1 = timed(check + [str(folder), "--jobs", "1"], 1, ok=(0, 1))
        t2 = timed(check + [str(folder), "--jobs", "2"], 1, ok=(0, 1))
        print(f"folder of {args.folder}: --jobs 1 {t1:.2f} s, --jobs 2 {t2:.2f} s, speed-up x{t1 / t2:.2f} "
              f"(target near x2 on 2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
