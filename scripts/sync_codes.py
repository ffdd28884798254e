"""Copy the classification code lists from ../shared/data into templates/codes/.

The package needs the code lists at run time, so they ship under templates/codes/. They are
not edited by hand here: rerun this script when ../shared/data changes. It records where each
file came from (and its SHA-256) in templates/codes/SOURCE.md; the provenance of the data itself
is ../shared/data/PROVENANCE.md, copied alongside.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data"
TARGET = ROOT / "templates" / "codes"
FILES = [
    "function_codes_2023.csv", "function_codes_2024.csv", "function_codes_2025.csv", "function_codes_all_years.csv",
    "econ_dept_codes_2023.csv", "econ_dept_codes_2024.csv", "econ_dept_codes_2025.csv", "econ_dept_codes_all_years.csv",
    "econ_gov_codes_2023.csv", "econ_gov_codes_all_years.csv", "name_variants.csv", "PROVENANCE.md",
]


def main() -> int:
    if not SOURCE.is_dir():
        print(f"missing {SOURCE}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    lines = ["# Source of these files", "",
             "Copied unchanged by `scripts/sync_codes.py` from `shared/data/` of the project (the code lists",
             "collected from published documents). What they are and how far they can be trusted:",
             "`PROVENANCE.md` beside this file. Do not edit them here; rerun the script.", "",
             "| file | sha256 |", "|---|---|"]
    for name in FILES:
        shutil.copyfile(SOURCE / name, TARGET / name)
        digest = hashlib.sha256((TARGET / name).read_bytes()).hexdigest()
        lines.append(f"| {name} | `{digest[:16]}…` |")
    (TARGET / "SOURCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (TARGET / "__init__.py").write_text("", encoding="utf-8")
    print(f"copied {len(FILES)} files to {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
