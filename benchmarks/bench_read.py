"""Reading speed: budget_xl.read versus a bare python-calamine parse, as whole processes.

    python benchmarks/bench_read.py [--rows 100000] [--repeat 3]

Prints, for the sample department workbook and for a generated workbook with N classification
rows: the wall time of `budget_xl.read` in a fresh process, of a bare calamine parse of the same
file in a fresh process, their ratio (target ≤ 3), and `budget-xl show` on the department
workbook (target < 0.5 s). Also checks that reading cost is linear (N/10 rows vs N rows) and that
`import budget_xl` does not import pandas.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "住建局" / "2024_部门预算_公开版.xlsx"

READ = "import budget_xl, sys; d = budget_xl.read(sys.argv[1]); assert d.tables"
PARSE = ("import python_calamine as pc, sys\n"
         "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
         "for n in wb.sheet_names: wb.get_sheet_by_name(n).to_python(skip_empty_area=False)")


# As installed for a user: byte-code cached (pip compiles it at install time). Some shells set
# PYTHONDONTWRITEBYTECODE, which would make every run compile the package from source.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> float:
    def run() -> None:
        res = subprocess.run(cmd, capture_output=True, env=ENV)
        if res.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.decode()[:500]}")

    run()  # warm-up: byte-code, file cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generate(path: Path, units: int, rows_per_unit: int, *, first: int = 0, shift: float = 0.0) -> int:
    """A 附表4 with `units` units of `rows_per_unit` 项 rows each (plus their 类/款 rows). `first`
    starts the rows further on and `shift` changes six amounts in seven (another year, for diff)."""
    import xlsxwriter

    from budget_xl.layout import header_cells
    from budget_xl.templates import get_template

    spec = get_template("部门预算").table("附表4")
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("附表4")
    ws.write(0, 0, spec.title)
    ws.write(0, 6, "附表4")
    ws.write(1, 6, "金额单位：元")
    n_header, cells = header_cells(spec)
    for hc in sorted(cells, key=lambda c: (c.row, c.col)):
        ws.write(2 + hc.row, hc.col, hc.text)
    r = 2 + n_header
    written = 0
    ws.write_row(r, 0, ["合计", 0, 0, 0])
    ws.write(r + 1, 0, "145-测试部门")
    r += 2
    for u in range(units):
        ws.write(r, 0, f"145{u:03d}-测试单位{u}")
        r += 1
        for k in range(first, first + rows_per_unit):
            code = f"2{(k // 900) % 39 + 1:02d}{(k // 90) % 10 + 1:02d}{k % 90 + 1:02d}"
            amount = round(1000 + k * 0.37 + (k % 7) * shift, 2)
            ws.write_row(r, 0, [f"{code}-测试科目{k}", amount, amount, amount, None, None, None])
            r += 1
            written += 1
    wb.close()
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    pandas = subprocess.run([py, "-c", "import budget_xl, sys; print('pandas' in sys.modules)"],
                            capture_output=True, text=True).stdout.strip()
    print(f"import budget_xl imports pandas: {pandas} (target: False)")
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        if SAMPLE.exists():
            cases.append(("department sample", SAMPLE))
        small, big = Path(tmp) / "small.xlsx", Path(tmp) / "big.xlsx"
        generate(small, 10, args.rows // 100)
        n = generate(big, 10, args.rows // 10)
        cases += [(f"generated {args.rows // 10:,} rows", small), (f"generated {n:,} rows", big)]
        results = {}
        print(f"{'workbook':<26}{'read (s)':>10}{'calamine (s)':>14}{'ratio':>8}")
        for name, path in cases:
            t_read = timed([py, "-c", READ, str(path)], args.repeat)
            t_parse = timed([py, "-c", PARSE, str(path)], args.repeat)
            results[name] = t_read
            print(f"{name:<26}{t_read:>10.3f}{t_parse:>14.3f}{t_read / t_parse:>8.2f}   (target ratio <= 3)")
        if SAMPLE.exists():
            t_show = timed([py, "-m", "budget_xl", "show", str(SAMPLE)], args.repeat)
            print(f"budget-xl show (department sample): {t_show:.3f} s   (target < 0.5 s)")
        names = list(results)
        t_small, t_big = results[names[-2]], results[names[-1]]
        print(f"linearity: {args.rows // 10:,} rows {t_small:.3f} s, {n:,} rows {t_big:.3f} s, "
              f"x{t_big / t_small:.1f} time for x10 rows (process start-up included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
