"""`budget-xl codes import`: read an official 科目表 (CSV or a workbook) into the user catalogue.

Accepted layouts: a code column and a name column (found by their headers: 科目编码/编码/代码 and
科目名称/名称), or one column "2080505-机关事业单位…", or simply code and name as the first two
columns. Codes are sorted into 支出功能分类 / 部门预算支出经济分类 / 政府预算支出经济分类 by their shape.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .classification import classify, code_text, split_code
from .codes import save_user_list
from .errors import InputError
from .files import input_file
from .text import norm

_CODE_HEADERS = ("科目编码", "科目代码", "编码", "代码", "code")
_NAME_HEADERS = ("科目名称", "名称", "name")
LABELS = {"function": "支出功能分类科目", "econ": "部门预算支出经济分类科目", "econ_gov": "政府预算支出经济分类科目"}


def read_rows(path: Path) -> list[list]:
    input_file(path)
    if path.suffix.lower() in (".csv", ".txt"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"{path.name} 的文字编码无法识别：请另存为 UTF-8 编码的 CSV。")
        return list(csv.reader(io.StringIO(text)))
    from .reader.workbook import load_sheets

    return [row for sheet in load_sheets(path) for row in sheet.grid]


def parse_codes(rows: list[list]) -> dict[str, str]:
    code_col = name_col = None
    start = 0
    for i, row in enumerate(rows[:20]):
        heads = [norm(v).lower() if isinstance(v, str) else "" for v in row]
        c = next((j for j, h in enumerate(heads) if h in _CODE_HEADERS), None)
        n = next((j for j, h in enumerate(heads) if h in _NAME_HEADERS), None)
        if c is not None and n is not None:
            code_col, name_col, start = c, n, i + 1
            break
    out: dict[str, str] = {}
    for row in rows[start:]:
        cells = list(row) + ["", ""]
        if code_col is not None and name_col is not None:  # found together
            code, name = code_text(cells[code_col]), str(cells[name_col] or "").strip()
        else:
            code, name = code_text(cells[0]), str(cells[1] or "").strip()
            if not code and isinstance(cells[0], str):
                found, name = split_code(cells[0])
                code = found or ""
        if code and name:
            out[code] = norm(name).replace("(", "（").replace(")", "）")
    return out


def import_codes(path: Path, year: int) -> list[tuple[str, int, Path]]:
    codes = parse_codes(read_rows(path))
    groups: dict[str, dict[str, str]] = {}
    for code, name in codes.items():
        kind = classify(code)
        if kind:
            groups.setdefault(kind, {})[code] = name
    if not groups:
        raise InputError(f"{path.name} 中没有找到科目编码和名称：需要“科目编码”“科目名称”两列，"
                         f"或“2080505-名称”这样的一列。")
    return [(kind, len(names), save_user_list(kind, year, names)) for kind, names in groups.items()]
