"""政府收支分类科目 code catalogue: code → name, for looking up names and checking codes.

The bundled lists (templates/codes/, copied from ../shared/data by scripts/sync_codes.py; see
PROVENANCE.md there) are partial: a code missing from them proves nothing. Users can load the
official list of their year later (`budget-xl codes import`).
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .classification import LEVEL_NAMES
from .templates import codes_dir
from .text import norm

# File stem per classification; a year-specific file is used when present, else all_years.
_STEMS = {"function": "function_codes", "econ": "econ_dept_codes", "econ_gov": "econ_gov_codes"}


@dataclass(frozen=True)
class Catalogue:
    classification: str
    year: int | None
    names: dict[str, str]            # code -> canonical name
    by_name: dict[str, list[str]]    # normalised name -> codes
    official: bool = False           # the user imported the official list of this year

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def codes_named(self, name: str, parent: str | None = None) -> list[str]:
        """Codes whose name is `name` (normalised), optionally only the children of `parent`."""
        codes = self.by_name.get(norm(name), [])
        if parent is not None:
            codes = [c for c in codes if c.startswith(parent) and len(c) == len(parent) + 2]
        return codes


@cache
def catalogue(classification: str, year: int | None = None) -> Catalogue:
    """The official list of `year` when the user imported it (`budget-xl codes import`); otherwise
    the bundled partial list: every code seen in any year, with the name of `year` where it differs."""
    user = user_codes_dir() / f"{_STEMS[classification]}_{year}.csv" if year else None
    if user is not None and user.exists():
        names = _read_csv(user)
        official = True
    else:
        folder = codes_dir()
        stem = _STEMS[classification]
        names = {}
        for path in (folder / f"{stem}_all_years.csv", folder / f"{stem}_{year}.csv" if year else None):
            if path is not None and path.exists():
                names.update(_read_csv(path))
        official = False
    by_name: dict[str, list[str]] = {}
    for code, name in names.items():
        by_name.setdefault(norm(name), []).append(code)
    return Catalogue(classification, year, names, by_name, official)


def user_codes_dir() -> Path:
    """Where imported official code lists live: $BUDGET_XL_DATA/codes, else the user's data folder."""
    base = os.environ.get("BUDGET_XL_DATA")
    if base:
        return Path(base) / "codes"
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "budget-xl" / "codes"


def save_user_list(classification: str, year: int, names: dict[str, str]) -> Path:
    folder = user_codes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_STEMS[classification]}_{year}.csv"
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "level"])
        for code in sorted(names, key=lambda c: (c[:3], c)):
            w.writerow([code, names[code], LEVEL_NAMES.get(len(code), "")])
    os.replace(tmp, path)
    catalogue.cache_clear()
    return path


def _read_csv(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        return {rec["code"].strip(): rec["name"].strip() for rec in csv.DictReader(fh)}
