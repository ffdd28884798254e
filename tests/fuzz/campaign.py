"""A campaign: seeded cases, each run under several commands in parallel, and the figures."""
from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .contract import COMMANDS, Run, judge
from .families import Case, Sources, generate

PROBLEMS = ("exit", "sentence", "english", "hang", "memory", "partial", "formula", "input", "harness")


@dataclass
class Figures:
    inputs: int = 0
    runs: int = 0
    exits: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)
    families: Counter = field(default_factory=Counter)
    max_rss_mb: float = 0.0
    max_seconds: float = 0.0
    seconds: float = 0.0
    failures: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs += 1
        self.exits["signal" if run.signal else str(run.exit)] += 1
        self.max_rss_mb = max(self.max_rss_mb, run.rss_mb)
        self.max_seconds = max(self.max_seconds, run.seconds)
        for kind in run.problems:
            self.problems[kind] += 1
        if run.problems:
            self.failures.append(run)

    def report(self) -> str:
        lines = [f"inputs: {self.inputs}   runs: {self.runs}   wall time: {self.seconds:.0f} s",
                 "inputs by family: " + ", ".join(f"{k} {v}" for k, v in sorted(self.families.items())),
                 "exits: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.exits.items())),
                 f"peak memory of a run: {self.max_rss_mb:.0f} MB   longest run: {self.max_seconds:.1f} s",
                 "contract violations (runs): " + ", ".join(f"{k} {self.problems.get(k, 0)}" for k in PROBLEMS),
                 f"failing inputs: {len({r.case.name for r in self.failures})}"]
        for run in self.failures[:60]:
            lines.append("  " + run.line())
        return "\n".join(lines)


def commands_for(case: Case, rng: random.Random, per_case: int) -> list[str]:
    names = list(case.commands or COMMANDS)
    if per_case >= len(names):
        return names
    # check always, the others drawn; one command a case (the CI sample: more cases in its two
    # minutes) is drawn among all of them
    first = ["check"] if "check" in names and per_case > 1 else []
    return first + rng.sample([n for n in names if n not in first], per_case - len(first))


def child_env(pycache: Path) -> dict:
    """As installed for a user: byte-code cached (here in a folder of the campaign's own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "COLUMNS")}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")) if p)
    return env


def run_campaign(seed: int, inputs: int, per_case: int = 5, jobs: int = 2, families: tuple[str, ...] | None = None,
                 work: Path | None = None, progress: bool = False, only: set[int] | None = None) -> Figures:
    import time

    base = work or Path(tempfile.mkdtemp(prefix="budget-xl-fuzz-"))
    base.mkdir(parents=True, exist_ok=True)
    sources = Sources(base / "sources")
    cases = generate(seed, inputs, families, sources=sources)
    env = child_env(base / "pycache")
    rng = random.Random(seed)
    plan = [(i, case, command) for i, case in enumerate(cases) for command in commands_for(case, rng, per_case)]
    if only is not None:   # re-running some cases of a campaign (by number), each under every command
        plan = [(i, case, command) for i, case in enumerate(cases) if i in only for command in (case.commands or COMMANDS)]
        cases = [c for i, c in enumerate(cases) if i in only]
    figures = Figures(inputs=len(cases))
    figures.families.update(c.family for c in cases)
    lock = threading.Lock()
    done = [0]
    start = time.monotonic()

    def one(item: tuple[int, Case, str]) -> None:
        i, case, command = item
        folder = base / "runs" / f"{i:05d}-{command}"
        try:
            run = judge(case, command, folder, env=env)
        except Exception as exc:  # a bug of the harness: counted, never the end of the campaign
            run = Run(case, command, [])
            run.problems["harness"] = f"{type(exc).__name__}: {exc}"
        finally:
            _remove(folder)
        with lock:
            figures.add(run)
            done[0] += 1
            if progress and (run.problems or done[0] % 100 == 0):
                print(f"[{done[0]}/{len(plan)}] " + (run.line() if run.problems else "…"), file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, plan))
    figures.seconds = time.monotonic() - start
    if work is None:
        _remove(base)
    return figures


def _remove(folder: Path) -> None:
    for root, dirs, _ in os.walk(folder, followlinks=False):   # unreadable folders of the file-system cases
        for name in dirs:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)
