"""Unknown tables and drafting: what they cost.

    python benchmarks/bench_draft.py [--repeat 20]

Prints, per sample and wild-layout workbook, the time of `budget_xl.read` with and without looking
for tables no template claimed (reader/draft.py), and the time of `budget_xl.draft` (the whole
workbook drafted and written as a template). In-process medians after a warm-up read; the search
for unknown tables looks only at the rows no template table took, so it should add next to nothing
except where it finds a table (gongkai10_final has one, 公开10).
"""
from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from pathlib import Path

import budget_xl
import budget_xl.reader as reader

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted((ROOT / "sample_workbooks").glob("*/*.xlsx")) + sorted((ROOT / "tests/fixtures/wild").glob("*/clean.xlsx"))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    real = reader.unknown_tables
    with tempfile.TemporaryDirectory() as folder:
        for path in WORKBOOKS:
            read = functools.partial(reader.read, path)
            read()
            reader.unknown_tables = lambda *args, **kwargs: []
            without = median_ms(read, repeat)
            reader.unknown_tables = real
            with_unknown = median_ms(read, repeat)
            found = read().unknown
            draft = functools.partial(budget_xl.draft, path, Path(folder) / "draft.yaml", force=True)
            drafting = median_ms(draft, max(3, repeat // 4))
            name = f"{path.parent.name}/{path.name}"
            print(f"{name:<40} read {without:6.1f} ms, with unknown tables {with_unknown:6.1f} ms"
                  f"（{len(found)} found）; draft {drafting:6.1f} ms")


if __name__ == "__main__":
    main()
