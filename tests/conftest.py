import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_workbooks"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `budget-xl` as a user would (a fresh process), capturing its output."""
    import os

    return subprocess.run([sys.executable, "-m", "budget_xl", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8", env={**os.environ, **(env or {})})


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch):
    """Imported code lists go to a private folder, never the developer's own."""
    monkeypatch.setenv("BUDGET_XL_DATA", str(tmp_path_factory.mktemp("user-data")))
    from budget_xl.codes import catalogue
    catalogue.cache_clear()


@pytest.fixture
def cli():
    return run_cli
