"""Which files are workbooks, and the mark budget-xl leaves in its own comparison workbooks: facts
about files that the reader, the folder scans and the writers all need (so they live below them)."""
from __future__ import annotations

from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

# Keyword in the document properties of `diff` workbooks: they hold table titles and amounts,
# but are no disclosure (a folder scan for `diff 2023 2024` must not take one for a year's workbook).
DIFF_MARK = "budget-xl diff"


def is_workbook_file(path: Path) -> bool:
    """A workbook by its suffix, leaving out Office lock files (~$…) and hidden files."""
    return path.is_file() and path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(("~$", "."))


def workbooks_in(folder: Path, recursive: bool = False) -> list[Path]:
    """The workbook files of a folder (and its subfolders with `recursive`), sorted."""
    paths = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in paths if is_workbook_file(p))
