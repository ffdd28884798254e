"""Text normalisation shared by the template loader and the reader.

Published workbooks write the same label in many ways: full-width digits and brackets,
letter-spacing ("合 计"), curly or straight quotes around 三公, a trailing colon. Matching is
always done on the normalised form; the original text is what we show to users.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "−": "-", "─": "-"})

# Ordinal prefixes of fixed rows: "一、", "（一）", "(三)", "1.", "1、", "（1）", "①".
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|\(?[一二三四五六七八九十]+\)|\d{1,2}[、.．](?!\d)|\(\d{1,2}\)|[①-⑳])"
)
# A leading year such as "2024年度" in a header or title ("2024 年度 本年收入").
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?")


def norm(value: object) -> str:
    """Normalised form of a label for matching (NFKC, no spaces, no quotes, ASCII dashes)."""
    if value is None:
        return ""
    if type(value) is str:
        if len(value) <= 200:   # labels and headers recur across tables and workbooks: remembered
            return _norm_cached(value)
        return _norm(value)
    return _norm(str(value))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text).translate(_QUOTES).translate(_DASHES)
    return text.rstrip(":")


_norm_cached = lru_cache(maxsize=1 << 16)(_norm)


def strip_ordinal(text: str) -> str:
    """'一、一般公共服务支出' -> '一般公共服务支出' (text already normalised)."""
    return _ORDINAL.sub("", text, count=1)


def strip_year(text: str) -> str:
    return _YEAR_PREFIX.sub("", text, count=1)


def display(value: object) -> str:
    """Cell text as a user wrote it, trimmed, with inner line breaks turned into spaces."""
    if value is None:
        return ""
    if value.__class__ is float and value.is_integer():
        return str(int(value))   # a 序号 typed as 1 reads back as 1.0 from the workbook: show it as typed
    text = str(value).strip()
    if "  " in text or "\n" in text or "\t" in text or "\u3000" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text


def cjk_width(text: str) -> int:
    """Display width in 'narrow character' units: full-width (CJK) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(table: list[list[str]], left: int = 1, indent: str = "  ") -> list[str]:
    """Rows of cells as lines of text in columns (CJK-aware): the first `left` columns flush left,
    the others (amounts) flush right; the first row is the heading, flush left."""
    widths = [max(cjk_width(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for n, row in enumerate(table):
        cells = []
        for i, text in enumerate(row):
            pad = " " * (widths[i] - cjk_width(text))
            cells.append(text + pad if i < left or n == 0 else pad + text)
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一 (enough for part and table numbers)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")
