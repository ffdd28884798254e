"""The fuzz campaign of issue 17: hostile workbooks × commands, each run held to the contract.

    python benchmarks/fuzz.py [--seed 17] [--inputs 1100] [--per-case 5] [--jobs 2] [--family amounts ...]

Builds seeded cases from the shipped samples (tests/fuzz/families.py: amounts, strings, structure,
zip, bombs, formats, filesystem), runs each under `--per-case` commands (check always, the others
drawn from show / check --format json / check --annotate / fill / fill --force --recompute /
narrate / diff / diff --format json) in subprocesses limited to 30 s, and prints the figures: runs,
inputs, exits, peak memory, and the contract violations by kind (exit outside 0/1/2, not one
Chinese sentence, English exception text, hang, over 1 GB, partial output, live formula, input
modified), then each failing run. Exits 1 when any run broke the contract.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fuzz.campaign import run_campaign
from fuzz.families import FAMILIES


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--inputs", type=int, default=1100)
    ap.add_argument("--per-case", type=int, default=5, help="commands per input (check plus others drawn at random)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families (repeatable)")
    ap.add_argument("--work", type=Path, help="keep the cases and bombs here (default: a temporary folder, removed)")
    ap.add_argument("--case", type=int, action="append", help="re-run only this case (its number), under every command")
    args = ap.parse_args()
    figures = run_campaign(args.seed, args.inputs, args.per_case, args.jobs,
                           tuple(args.family) if args.family else None, args.work, progress=True,
                           only=set(args.case) if args.case else None)
    print(figures.report())
    return 1 if figures.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
