"""`budget-xl narrate` and `check --narrative` speed, as whole processes (target < 1 s each).

    python benchmarks/bench_narrate.py

Median of five runs on the sample department workbooks: the 情况说明 as .docx with a prior year,
as plain text, and the narrative check of the generated text.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import ENV, ROOT

SAMPLES = ROOT / "sample_workbooks"
BUDGET = SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx"
PRIOR = SAMPLES / "住建局" / "2023_部门预算.xlsx"
FINAL = SAMPLES / "政府办" / "2024_部门决算_更正版.xlsx"


def timed(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "budget_xl", *map(str, args)], capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
        if res.returncode not in (0, 1):
            raise SystemExit(res.stderr.decode()[:500])
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        docx, text = Path(tmp) / "说明.docx", Path(tmp) / "说明.txt"
        print(f"narrate budget sample → .docx with --prior: "
              f"{timed(['narrate', BUDGET, '--prior', PRIOR, '-o', docx, '--force']):.3f} s   (target < 1 s)")
        print(f"narrate final-accounts sample → .txt:        "
              f"{timed(['narrate', FINAL, '-o', text, '--force']):.3f} s")
        print(f"check --narrative of that text:              "
              f"{timed(['check', FINAL, '--narrative', text]):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
