import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_workbooks"
# The samples are filed as an auditor's folder: one folder per department with its years (and a
# budget-xl.toml pinning each year to the corrected version where there are two).
ZHUJIANJU = SAMPLES / "住建局"        # 大连市西岗区住房和城乡建设局, 部门预算 2023 and 2024 (seed 000)
ZHENGFUBAN = SAMPLES / "政府办"       # 大连市西岗区人民政府办公室, 部门决算 2024 (seed 002) and its 部门预算
BUDGET_2024 = ZHUJIANJU / "2024_部门预算_公开版.xlsx"
BUDGET_2024_FIXED = ZHUJIANJU / "2024_部门预算_更正版.xlsx"
BUDGET_2023 = ZHUJIANJU / "2023_部门预算.xlsx"
FINAL_2024 = ZHENGFUBAN / "2024_部门决算_公开版.xlsx"
FINAL_2024_FIXED = ZHENGFUBAN / "2024_部门决算_更正版.xlsx"
OFFICE_BUDGET_2024 = ZHENGFUBAN / "2024_部门预算.xlsx"   # the office's 年初预算 of that year (invented, consistent)
NARRATIVES = SAMPLES / "narratives"


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `budget-xl` as a user would, in a fresh process (for the few true end-to-end tests)."""
    import os

    return subprocess.run([sys.executable, "-m", "budget_xl", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8", env={**os.environ, **(env or {})})


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a `budget-xl` command in this process (click's CliRunner): the same group, options and
    error handling as the installed command, without starting Python again. Returns what a process
    run returns (returncode, stdout, stderr)."""
    from contextlib import chdir, nullcontext

    from click.testing import CliRunner

    from budget_xl.cli import cli as group

    argv = [str(a) for a in args]
    with chdir(cwd) if cwd else nullcontext():
        result = CliRunner().invoke(group, argv, env=env, prog_name="budget-xl", color=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # only a bug of the test harness gets here: the group reports every error
    return subprocess.CompletedProcess(["budget-xl", *argv], result.exit_code, result.stdout, result.stderr)


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch):
    """Imported code lists go to a private folder, never the developer's own."""
    monkeypatch.setenv("BUDGET_XL_DATA", str(tmp_path_factory.mktemp("user-data")))
    from budget_xl.codes import catalogue
    catalogue.cache_clear()


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def process_cli():
    return run_process
