"""The grammar of 政府收支分类科目 codes and of row keys: the one place that knows them.

支出功能分类 codes are 类 (3 digits, 201–239), 款 (5) and 项 (7); 部门预算支出经济分类 codes are 类 (3,
301–399; 政府预算经济分类 501–599) and 款 (5). A code's parent drops its last two digits; its 类 is its
first three. A workbook writes a code with its name in one cell ("2080505-机关事业单位…"), in a cell of
its own (201, "０３"), or split over 类/款/项 cells.

Row keys: "合计"; a department or unit code ("145", "145001"); a classification row is keyed by its
code within its unit ("145001/2080505", or "2080505" in a table without unit rows); a project by its
unit and name ("145001/项目名称"); a fixed row by its template id.
"""
from __future__ import annotations

import re
import unicodedata

LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}
WIDTHS = {name: width for width, name in LEVEL_NAMES.items()}

# "2080505-机关事业单位…", "145002 大连市…", "301 工资福利支出", "20805行政事业单位养老支出"
_CODE_LABEL = re.compile(r"^(\d{3,})(?:\s*[-_:.、|/\s]\s*|(?=[^\d.,]))(.*)$", re.S)


# --------------------------------------------------------------------------- codes
def parent(code: str) -> str | None:
    """The code one level up ('2080505' → '20805'; a 类 has none)."""
    return code[:-2] if len(code) > 3 else None


def ancestors(code: str) -> list[str]:
    """The codes above, 类 first ('2080505' → ['208', '20805'])."""
    return [code[:n] for n in range(3, len(code), 2)]


def is_class(code: str) -> bool:
    """Whether the code is a 类 (the top level)."""
    return len(code) == WIDTHS["类"]


def class_of(code: str) -> str:
    """The 类 a code belongs to ('2080505' → '208')."""
    return code[:3]


def level(code: str, classification: str | None = "function") -> str:
    """类 / 款 / 项 by the code's length ('' outside a classification)."""
    return LEVEL_NAMES.get(len(code), "项") if classification else ""


def is_class_code(code: str, classification: str | None) -> bool:
    """Whether a digit string is shaped like a code of the classification (by length and 类)."""
    n = len(code)
    head = code[:3]
    if classification == "function":
        return n in (3, 5, 7) and "201" <= head <= "239"
    if classification == "econ":
        return n in (3, 5) and ("301" <= head <= "399" or "501" <= head <= "599")
    if classification == "econ_gov":
        return n in (3, 5) and "501" <= head <= "599"
    return False


def classify(code: str) -> str | None:
    """Which classification a code belongs to, by its shape."""
    if is_class_code(code, "function"):
        return "function"
    if len(code) in (3, 5) and "301" <= code[:3] <= "399":
        return "econ"
    if len(code) in (3, 5) and "501" <= code[:3] <= "599":
        return "econ_gov"
    return None


def split_code(text: str) -> tuple[str | None, str]:
    """('2080505', '机关事业单位…') from a label cell; (None, text) when it has no code."""
    text = text.strip()
    if not text:
        return None, ""
    if not text[0].isascii():
        text = unicodedata.normalize("NFKC", text).strip()
    if not text[:1].isdigit():
        return None, text
    head, dash, rest = text.partition("-")
    if dash and len(head) >= 3 and head.isdecimal():
        return head, rest.strip()  # the usual "2080505-名称", as the pattern below reads it
    m = _CODE_LABEL.match(text)
    if not m:
        return (text, "") if text.isdigit() else (None, text)
    return m.group(1), m.group(2).strip()


def code_text(value: object) -> str:
    """A code written in its own cell: '201', 201.0, '０３' -> digit string ('' if none)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        return text if text.isdigit() else ""
    return ""


# --------------------------------------------------------------------------- row keys
def row_key(unit: str | None, part: str) -> str:
    """The key of a row of a unit: "145001/2080505"; the part alone when there is no unit."""
    return f"{unit}/{part}" if unit else part


def key_part(key: str) -> str:
    """What a row key names within its unit: "145001/2080505" → "2080505"."""
    return key.rsplit("/", 1)[-1]


def same_department(a: str | None, b: str | None) -> bool | None:
    """Whether two workbooks' departments are one: by code when both have one ("145-…"), else by
    name; None when either is unknown."""
    if not a or not b:
        return None
    (code_a, name_a), (code_b, name_b) = split_code(a), split_code(b)
    if code_a and code_b:
        return code_a == code_b
    return _bare(name_a) == _bare(name_b)


def _bare(name: str) -> str:
    """A name without the differences of typing: full-width forms, spaces, brackets' width."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
