"""Rows printed by name, without codes: where each sits in the hierarchy.

A 政府预算's 支出 detail prints “一般公共服务支出 / 人大事务 / 行政运行 …” with no 科目编码, and its
transfer tables print “1. 体制补助收入 … 17. 专项转移支付收入 / 一般公共服务 …”. A row's level comes
from how it is printed, in this order:
- the 类 of a classification, by name (the template's row list of 类 names and codes, `rows.names`);
- its indentation (leading spaces; a full-width space counts two), ranked among the widths the
  table uses: the narrowest is the top level;
- its ordinal mark: “一、” above “（一）” above “1.” above “（1）”; an unmarked row under a marked one
  is its sub-item, an unmarked row above every marked one is the table's total (“西岗区” heading the
  transfers to the district);
- the code list, where it names the row under its parent (a 款 of the current 类, a 项 of the
  current 款); otherwise a 项 under the current 款 (or a 款 where there is none), noted.
Its parent is the row above it of the next higher level; its key is the path of names from the 类
(or top item) down (“201/人大事务/行政运行”), so the same line meets itself in another year's table.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..codes import Catalogue
from ..templates import TableSpec
from ..text import norm, strip_ordinal

_MARKS = (  # ordinal marks, outermost first
    re.compile(r"^[一二三四五六七八九十百]+[、.．]"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}(?:[、.．](?!\d)|\s)"),
    re.compile(r"^[(（]\d{1,2}[)）]|^[①-⑳]"),
)
LEVELS = ("类", "款", "项")


class Place(NamedTuple):
    key: str
    level: str            # 类 / 款 / 项 for a classification; 项目 for items; 合计 for an items total
    depth: int
    parent: str | None    # the key of the row it is part of
    code: str | None      # the 类 code, for a 类 named in the template's list
    name: str             # the name, without indentation and ordinal mark
    note: str = ""        # why the level is a guess, for the reader's notes


def indent_of(text: str) -> int:
    width = 0
    for ch in text:
        if ch == "\u3000":
            width += 2
        elif ch == "\t":
            width += 4
        elif ch.isspace():
            width += 1
        else:
            break
    return width


def mark_of(text: str) -> int | None:
    """Which ordinal mark the text starts with (0 outermost), None without one."""
    for i, pattern in enumerate(_MARKS):
        if pattern.match(text):
            return i
    return None


class Outline:
    def __init__(self, spec: TableSpec, catalogue: Catalogue | None):
        self.classified = spec.rows.kind == "classified"
        self.classes = {n: row.id for row in spec.rows.names for n in row.names}
        self.catalogue = catalogue
        self.widths: list[int] = []                      # indentation widths seen, narrowest first
        self.marks: list[int] = []                       # ordinal marks seen, outermost first
        self.path: list[tuple[int, str, str | None]] = []  # (depth, key, code) of the rows above
        self.numbered = False                            # a marked row has been seen
        self.marked_depth = 0                            # the depth of the last marked row

    def place(self, raw: str) -> Place:
        indent = indent_of(raw)
        text = raw.strip()
        mark = mark_of(text)
        name = strip_ordinal(text).strip() if mark is not None else text
        name = re.sub(r"^\d{1,2}\s+", "", name) if mark == 2 else name
        note = ""
        code = self.classes.get(norm(name)) if self.classified else None
        if self.classified:
            if code is not None and (not self.widths or indent <= self.widths[0]):
                depth = self._width(indent)
            elif indent or len(self.widths) > 1:
                depth = self._width(indent)
            elif mark is not None:
                depth = self._mark(mark)
            else:
                depth, note = self._by_catalogue(name)
        elif mark is not None:
            depth = self.marked_depth = self._mark(mark) + 1
            self.numbered = True
        elif not self.numbered:
            # An unmarked row above every marked one heads the items: their total (“西岗区”).
            return Place("合计", "合计", 0, None, None, name)
        else:
            depth = self._under_marked()
        while self.path and self.path[-1][0] >= depth:
            self.path.pop()
        parent = self.path[-1][1] if self.path else None
        # Keyed by the path of names as compared (no spaces, full-width forms folded): a PDF line break
        # inside a name or another year's spacing does not make it another line.
        key = code if depth == 0 and code else "/".join([*(p[1] for p in self.path[-1:]), norm(name).replace("/", "／")])
        self.path.append((depth, key, code if depth == 0 else None))
        level = LEVELS[min(depth, 2)] if self.classified else "项目"
        return Place(key, level, depth, parent, code if depth == 0 else None, name, note)

    def _mark(self, mark: int) -> int:
        if mark not in self.marks:
            self.marks = sorted({*self.marks, mark})
        return self.marks.index(mark)

    def _width(self, indent: int) -> int:
        if indent not in self.widths:
            self.widths = sorted({*self.widths, indent})
        return self.widths.index(indent)

    def _under_marked(self) -> int:
        """An unmarked item below a marked one: its sub-item."""
        return self.marked_depth + 1

    def _by_catalogue(self, name: str) -> tuple[int, str]:
        klass = next((c for d, _, c in self.path if d == 0 and c), None)
        cat = self.catalogue
        if cat is not None and klass is not None:
            if cat.codes_named(name, klass):
                return 1, ""
            kuan = [c for c in cat.codes_named(name) if c.startswith(klass) and len(c) > len(klass) + 2]
            if kuan:
                return 2, ""
        has_kuan = any(d == 1 for d, _, _ in self.path)
        return (2 if has_kuan else 1), f"“{name}”没有编码和缩进，按位置读作{'项' if has_kuan else '款'}"
