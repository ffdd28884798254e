"""`budget-xl diff` speed, as whole processes.

    python benchmarks/bench_diff.py [--rows 100000]

Prints the time of `diff` of the 2023 and 2024 sample department workbooks (with the diff workbook
written; target < 1 s), and of two generated workbooks of N/10 and N classification rows each
(another year: rows shifted, six amounts in seven changed), text output and with the workbook:
key matching is linear, so ten times the rows should take about ten times as long.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fill import run
from bench_read import ROOT, generate

SAMPLES = ROOT / "sample_workbooks"
OLD, NEW = SAMPLES / "住建局" / "2023_部门预算.xlsx", SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(["diff", str(OLD), str(NEW)])  # warm-up: byte-code, file cache
        t, _ = run(["diff", str(OLD), str(NEW), "-o", f"{tmp}/sample.xlsx", "--force"])
        print(f"diff department samples (-o workbook): {t:.3f} s   (target < 1 s)")
        times = {}
        for n in (args.rows // 10, args.rows):
            old, new = Path(tmp) / f"old{n}.xlsx", Path(tmp) / f"new{n}.xlsx"
            rows = generate(old, 10, n // 10)
            generate(new, 10, n // 10, first=n // 200, shift=150.0)
            t_text, mb = run(["diff", str(old), str(new)])
            t_book, mb = run(["diff", str(old), str(new), "-o", f"{tmp}/d{n}.xlsx", "--force"])
            times[n] = t_text
            print(f"diff two workbooks of {rows:,} rows: {t_text:.2f} s text, {t_book:.2f} s with the workbook; "
                  f"peak memory so far {mb:.0f} MB")
        small, big = times[args.rows // 10], times[args.rows]
        print(f"linearity: x{big / small:.1f} time for x10 rows (process start-up included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
