"""The row structure of a drafted table (sketch.py has its columns), judged from its rows:

- classified: most coded rows are 政府收支分类 codes — 支出功能分类 2xx or 经济分类 3xx/5xx — with unit
  rows (145001-…) when there are codes of another shape; rows labelled like 人员经费合计 are its fixed rows;
- units: the rows are departments and units;
- fixed: a short list of labelled rows with ordinals (一、 （一） 1．), a 行次 column, or several panels;
  rows naming 功能分类 类 (收支总表) are kept as 类 rows keyed by their code;
- single: one row of amounts and no name column (三公);
- items: anything else (项目清单).
A table with no rows at all is judged by the header of its name column, and says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..classification import code_text, is_class, is_class_code, split_code
from ..codes import catalogue
from ..templates import load_all
from ..text import display, norm, strip_ordinal
from .sketch import TOTALS, Column, Sketch, is_amount_text, is_number, is_total_label

_LEVELS = [(re.compile(r"^[一二三四五六七八九十]+[、.]"), 1), (re.compile(r"^\([一二三四五六七八九十]+\)"), 2),
           (re.compile(r"^\d{1,2}[、.](?!\d)"), 3), (re.compile(r"^\(\d{1,2}\)"), 4), (re.compile(r"^[①-⑳]"), 5)]
CLASS_RUN = 3      # this many rows naming 功能分类 类 make a panel's 类 rows


@dataclass
class Line:
    """One data row of one panel."""
    row: int
    label: str
    code: str
    line: int | None
    amount: bool


@dataclass
class FixedLine:
    id: str
    label: str                  # without its ordinal, normalised
    printed: str
    line: int | None
    panel: str
    row: int                    # grid row
    level: int                  # ordinal depth (一、 1, （一） 2, 1． 3, （1） 4, ① 5), 0 for none
    total: bool                 # 合计 / 小计 / 总计 in the label
    within: bool                # 其中：… (part of the row above, not a summand)
    is_class: bool = False


@dataclass
class Shape:
    kind: str
    classification: str | None = None
    units: bool = False
    panel_ids: list[str] = field(default_factory=list)
    fixed: list[list[FixedLine]] = field(default_factory=list)   # per panel (kind fixed)
    extra: list[FixedLine] = field(default_factory=list)         # fixed rows of a classified table
    remark: str = ""


def ordinal_level(label: str) -> int:
    n = norm(label)
    return next((depth for pattern, depth in _LEVELS if pattern.match(n)), 0)


def lines_of(sk: Sketch, panel: list[Column]) -> list[Line]:
    """The panel's data rows with a name, a code or an amount."""
    sheet = sk.sheet
    label = next((c.col for c in panel if c.role == "label"), None)
    code = next((c.col for c in panel if c.role == "code"), None)
    parts = [c.col for c in panel if c.role.startswith("code_")]
    line_col = next((c.col for c in panel if c.role == "line"), None)
    amounts = [c.col for c in panel if c.role == "amount"]
    out = []
    for r in range(sk.start, sk.end):
        text = sheet.value(r, label) if label is not None else ""
        if text == "" and label is not None and sheet.merges:
            text = sheet.merged_text(r, label)
        text = display(text) if isinstance(text, str) else code_text(text)
        digits = ""
        if code is not None:
            digits = code_text(sheet.value(r, code))
        elif parts:
            cells = [code_text(sheet.value(r, c)) for c in parts]
            digits = cells[0] if len(cells[0]) >= 5 or not cells[0] else cells[0] + "".join(
                d.zfill(2) for d in cells[1:] if d)
        if not digits and text:
            digits = split_code(text)[0] or ""
        n = code_text(sheet.value(r, line_col)) if line_col is not None else ""
        has_amount = any(is_number(sheet.value(r, c)) or is_amount_text(sheet.value(r, c)) for c in amounts)
        if text or digits or has_amount:
            out.append(Line(r, text, digits, int(n) if n else None, has_amount))
    return out


def infer_rows(sk: Sketch) -> Shape:
    panel_ids = [f"p{i + 1}" for i in range(len(sk.panels))]
    per_panel = [lines_of(sk, p) for p in sk.panels]
    lines = [ln for p in per_panel for ln in p]
    has_label = any(c.role in ("label", "code") for c in sk.columns)
    if not has_label:
        return Shape("single", panel_ids=panel_ids,
                     remark="" if sum(ln.amount for ln in lines) <= 1 else "没有名称列，按只有一行数据的表读（只读第一行）")
    named = [ln for ln in per_panel[0] if ln.label and not is_total_label(ln.label)]
    coded = [ln.code for p in per_panel for ln in p if ln.code]
    function = sum(is_class_code(c, "function") for c in coded)
    econ = sum(is_class_code(c, "econ") and not is_class_code(c, "function") for c in coded)
    others = [c for c in coded if not is_class_code(c, "function") and not is_class_code(c, "econ")]
    if function + econ >= 2 and (function + econ) * 2 >= len(coded):
        shape = Shape("classified", "function" if function >= econ else "econ", bool(others), panel_ids)
        shape.extra = _extra_rows(sk, per_panel, panel_ids)
        return shape
    if others and len(others) * 2 >= max(len(named), 1):
        return Shape("units", panel_ids=panel_ids)
    has_line = any(c.role == "line" for c in sk.columns)
    ordinals = sum(1 for ln in named if ordinal_level(ln.label))
    classes = sum(1 for ln in named if _class_code(ln.label))
    if named and (has_line or ordinals * 10 >= len(named) * 3 or classes * 2 >= len(named)
                  or len(sk.panels) > 1):
        return _fixed(sk, per_panel, panel_ids)
    if named or any(c.role == "seq" for c in sk.columns):
        return Shape("items", panel_ids=panel_ids)
    return _by_header(sk, panel_ids, per_panel)


def _by_header(sk: Sketch, panel_ids: list[str], per_panel: list[list[Line]]) -> Shape:
    """A table printed without rows: its name column's header says what its rows would be."""
    label = next((c for c in sk.columns if c.role == "label"), None)
    words = "".join(label.printed) if label else ""
    note = "本表没有数据行，行结构按名称列的表头推断"
    if "科目" in words:
        classification = "econ" if "经济" in words else "function"
        return Shape("classified", classification, "单位" in words, panel_ids, remark=note)
    if "项目" in words:
        return Shape("items", panel_ids=panel_ids, remark=note)
    if "单位" in words:
        return Shape("units", panel_ids=panel_ids, remark=note)
    if any(ln.label and not is_total_label(ln.label) for p in per_panel for ln in p):
        return _fixed(sk, per_panel, panel_ids)
    return Shape("items", panel_ids=panel_ids, remark=note)


def _class_code(label: str) -> str | None:
    """The 功能分类 类 a row label names ("一、一般公共服务支出" → 201)."""
    return class_names().get(strip_ordinal(norm(label)))


@lru_cache(maxsize=1)
def class_names() -> dict[str, str]:
    """Normalised name -> 功能分类 类 code: the bundled code list's 类, and the 类 rows the templates
    print in their 收支总表 (the code list is partial)."""
    names: dict[str, str] = {}
    for code, name in catalogue("function").names.items():
        if is_class(code):
            names.setdefault(norm(name), code)
    for ts in load_all():
        for spec in ts.tables.values():
            for row in spec.fixed_rows:
                if row.is_class:
                    for name in row.names:
                        names.setdefault(name, row.id)
    return names


def _fixed_line(ln: Line, rid: str, panel: str, is_class: bool = False) -> FixedLine:
    n = norm(ln.label)
    label = strip_ordinal(n) or n
    return FixedLine(rid, label, ln.label, ln.line, panel, ln.row, ordinal_level(ln.label),
                     any(t in label for t in TOTALS), n.startswith("其中"), is_class)


def _fixed(sk: Sketch, per_panel: list[list[Line]], panel_ids: list[str]) -> Shape:
    shape = Shape("fixed", panel_ids=panel_ids)
    taken: set[str] = set()
    class_panel = None
    for pid, lines in zip(panel_ids, per_panel):
        rows: list[FixedLine] = []
        named = [ln for ln in lines if ln.label]
        codes = {ln.row: _class_code(ln.label) for ln in named}
        use_classes = class_panel is None and sum(1 for c in codes.values() if c) >= CLASS_RUN
        for k, ln in enumerate(named, 1):
            code = codes[ln.row] if use_classes else None
            if code and code not in taken:
                rows.append(_fixed_line(ln, code, pid, is_class=True))
            else:
                rid = f"r{ln.line}" if ln.line is not None else f"{pid}_{k}"
                while rid in taken:
                    rid += "x"
                rows.append(_fixed_line(ln, rid, pid))
            taken.add(rows[-1].id)
        if any(r.is_class for r in rows):
            class_panel = pid
        shape.fixed.append(rows)
    return shape


def _extra_rows(sk: Sketch, per_panel: list[list[Line]], panel_ids: list[str]) -> list[FixedLine]:
    """Rows of a classified table that are neither codes nor the 合计 row but total something
    (人员经费合计, 公用经费合计): its fixed rows."""
    out: list[FixedLine] = []
    seen: set[str] = set()
    for pid, lines in zip(panel_ids, per_panel):
        for ln in lines:
            n = strip_ordinal(norm(ln.label))
            if ln.code or not n or is_total_label(n) or not any(t in n for t in TOTALS) or n in seen:
                continue
            seen.add(n)
            rid = f"r{ln.line}" if ln.line is not None else f"f{len(out) + 1}"
            out.append(_fixed_line(ln, rid, pid))
    return out
