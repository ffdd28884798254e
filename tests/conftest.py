import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_workbooks"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `budget-xl` as a user would (a fresh process), capturing its output."""
    return subprocess.run([sys.executable, "-m", "budget_xl", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8")


@pytest.fixture
def cli():
    return run_cli
