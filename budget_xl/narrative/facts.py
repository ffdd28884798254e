"""Facts the narrative needs that no table holds (部门职责, 三公 团组/人次, 车辆, 绩效 counts …).

They come from the input workbook's 补充信息 sheet (two columns: 项目, 内容; `budget-xl init`
creates it with every key of the table set's narrative template) and/or a small profile file
(`--profile 概况.yaml`, "项目: 内容" lines). The profile wins where both give a key.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..files import input_file
from ..model import Disclosure
from ..text import norm

SHEET = "补充信息"


def workbook_facts(d: Disclosure, keys: dict[str, str]) -> dict[str, str]:
    """Facts from the workbook's 补充信息 sheet, if it has one (keys matched ignoring spaces)."""
    name = next((n for n in d.other_sheets if norm(n) == SHEET), None)
    if name is None:
        return {}
    wanted = {norm(k): k for k in keys}
    out: dict[str, str] = {}
    for row in d.other_sheets[name]:
        cells = [str(c).strip() for c in row if c not in (None, "")]
        if len(cells) >= 2 and norm(cells[0]) in wanted:
            out[wanted[norm(cells[0])]] = _text(row[1:])
    return out


def profile_facts(path: Path) -> dict[str, str]:
    """Facts from a profile file: YAML mapping (multi-line values allowed)."""
    import yaml

    input_file(path, "补充信息文件")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InputError(f"补充信息文件 {path.name} 应为 UTF-8 编码的 YAML（每行“项目: 内容”）。") from None
    if not isinstance(data, dict):
        raise InputError(f"补充信息文件 {path.name} 应为“项目: 内容”的列表。")
    return {str(k).strip(): str(v).strip() for k, v in data.items() if v not in (None, "")}


def _text(cells) -> str:
    """The content cells of a row; numbers as typed (59.15, not 59.150000001)."""
    parts = []
    for c in cells:
        if c in (None, ""):
            continue
        if isinstance(c, float):
            c = f"{c:.2f}".rstrip("0").rstrip(".") if c != int(c) else str(int(c))
        parts.append(str(c).strip())
    return " ".join(parts)
