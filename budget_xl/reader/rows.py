"""Turning the grid rows of a located table into keyed rows with exact amounts.

One TableBuilder per table: pieces of the table (page continuations on the same or on other
sheets) are fed to it in order, and the row state (current department, unit) carries over from
one piece to the next, because a continuation page often starts in the middle of a unit.
"""
from __future__ import annotations

import re

from ..classification import LEVEL_NAMES, code_text, is_class, is_class_code, row_key, split_code
from ..codes import catalogue
from ..model import CLASS, DEPT, FIXED, ITEM, TOTAL, TOTAL_KEY, UNIT, CellRef, Note, Row, Table
from ..percent import Percent
from ..templates import FixedRow, PanelSpec, TableSpec, TemplateSet
from ..text import display, norm, strip_ordinal
from .cell_values import CellReader
from .line_items import stray_quote
from .locate import ColumnMap, header_hits, is_col_number_row
from .outline import Outline
from .workbook import Sheet

_STOP = re.compile(r"^(?:注[:：\d]|注$|(?:情况)?说明[:：]|备注[:：]|填表人|单位负责人|制表)")
_EMPTY_NOTE = ("本年度未产生", "无相关数据", "本部门无", "本单位无")
# The empty-table sentences of the forms, wherever they sit in a note line: “…本表为空表”, “本部门2026年
# 无国有资本经营预算财政拨款安排的预算”, “本单位本年度没有…”.
_EMPTY_SENTENCE = re.compile(r"本表为空表|故本表为空|空表|(?:本部门|本单位)(?:\d{4}年度?|本年度?)?(?:无|没有|未安排|不涉及)")
_INDENT = re.compile(r"^[\s\u3000]*")
_NOTE_STARTS = set("注说备填单制本无情")


class TableBuilder(CellReader):
    def __init__(self, spec: TableSpec, template: TemplateSet, unit: str):
        self.spec = spec
        self.template = template
        self.table = Table(spec=spec, unit=unit)
        self.dept: str | None = None
        self.unit: str | None = None
        self.klass: str | None = None     # current 类 (for name-only rows)
        self.kuan: str | None = None
        self.keys: dict[str, Row] = {}
        # The table's row structure, looked up once: parse_row runs for every row read.
        self.kind, self.has_fixed = spec.rows.kind, bool(spec.rows.fixed)
        self.classification = spec.rows.classification
        self.counted = 0   # amounts of the row last read (read_amounts), counted when it is taken
        self.pending: dict[str, Percent] | None = None   # its percentages (read_percents)
        self.fixed_done: set[str] = set()
        self.fixed_pos: dict[str, int] = {}
        self.total_names = template.total_names
        cls = spec.rows.classification
        self.catalogue = catalogue(cls) if cls else None
        self.outline = Outline(spec, self.catalogue) if spec.rows.outline else None

    # ------------------------------------------------------------------ notes
    def note(self, level: str, message: str, cell: CellRef | None = None) -> None:
        self.table.notes.append(Note(level, message, cell, self.spec.code))

    # ------------------------------------------------------------------ pieces
    def add_piece(self, sheet: Sheet, cmap: ColumnMap, first: int, stop: int, vocab: set[str]) -> None:
        if sheet.name not in self.table.sheets:
            self.table.sheets.append(sheet.name)
        plans = [RowPlan(panel, mapping, sheet.name) for panel, mapping in zip(self.spec.panels, cmap.panels)]
        grid = sheet.grid
        empty_note = norm(self.template.empty_note)
        data_rows: list[int] = []
        r = first
        while r < stop:
            line = grid[r]
            r += 1
            first_text = None
            has_number = False
            for v in line:
                if v.__class__ is str:
                    if first_text is None and v and not v.isspace():
                        first_text = v
                        if has_number:
                            break
                elif v.__class__ is float or (isinstance(v, (int, float)) and not isinstance(v, bool)):
                    has_number = True
                    if first_text is not None:
                        break
            if first_text is None and not has_number:
                continue  # blank row
            if first_text is not None and first_text.lstrip()[:1] in _NOTE_STARTS:
                n = norm(first_text)
                if any(n.startswith(p) for p in _EMPTY_NOTE) or n == empty_note:
                    self.table.empty_note = True
                    continue
                if _STOP.match(n):
                    # Notes under the table; an empty-table sentence may be one of them.
                    self.table.empty_note |= any(
                        isinstance(v, str) and (any(p in v for p in _EMPTY_NOTE) or bool(_EMPTY_SENTENCE.search(norm(v))))
                        for rr in range(r - 1, stop) for v in grid[rr])
                    break
            if is_col_number_row(line) or (not has_number and header_hits(line, vocab) >= 2):
                continue  # a header repeated at the top of a printed page
            data_rows.append(r - 1)
        # Side-by-side panels (收支总表, 决算06) are read one panel after the other, so rows come in
        # the order they are meant to be read: down the first panel, then down the next.
        for plan in plans:
            for r in data_rows:
                self.parse_row(sheet, r, grid[r], plan)

    # ------------------------------------------------------------------ one grid row, one panel
    def parse_row(self, sheet: Sheet, r: int, line: list, plan: RowPlan) -> None:
        panel, mapping = plan.panel, plan.mapping
        width = len(line)

        def cell(cid: str):
            c = mapping.get(cid)
            if c is None:
                return ""
            value = line[c] if c < width else ""
            return sheet.merged_text(r, c) if value == "" and sheet.merges else value

        amounts, has_amount = self.read_amounts(sheet, r, line, plan)
        self.pending = self.read_percents(sheet, r, line, plan) if plan.percents else None
        kind = self.kind
        c = plan.label_col
        label_raw = (line[c] if c < width else "") if c is not None else ""
        if label_raw == "" and c is not None and sheet.merges:
            label_raw = sheet.merged_text(r, c)
        label = display(label_raw) if label_raw.__class__ is str else (code_text(label_raw) or "")
        if kind == "single":
            if has_amount and TOTAL_KEY not in self.keys:
                self.add(Row(TOTAL_KEY, TOTAL, "合计", label or "合计"), amounts, r, plan)
            return
        if kind == "fixed" or (self.has_fixed and self.match_fixed(panel, label, cell) is not None):
            self.parse_fixed(panel, label, cell, amounts, r, plan, has_amount)
            return
        for cid in (plan.text_ids if not label[:1].isdigit() else ()):
            text = cell(cid)
            if isinstance(text, str) and text and not text.lstrip()[:1].isdigit() \
                    and strip_ordinal(norm(text)) in self.total_names:
                self.add(Row(TOTAL_KEY, TOTAL, "合计", display(text)), amounts, r, plan)
                self.dept = self.unit = self.klass = self.kuan = None
                return
        if self.outline is not None:
            if label:
                self.add_outline_row(label_raw if label_raw.__class__ is str else label, amounts, r, plan)
            elif has_amount:
                self.note("warning", "这一行有金额但没有名称，已忽略", plan.first_cell(r))
            return
        if kind == "items":
            self.parse_item(panel, label, cell, amounts, r, plan, has_amount)
            return
        code, name = self.row_code(plan, label, cell)
        if not code and not name:
            if has_amount:
                self.note("warning", "这一行有金额但没有科目或单位名称，已忽略", plan.first_cell(r))
            return
        if kind == "units":
            self.add_unit_row(code, name, label, amounts, r, plan)
            return
        # classified
        cls = self.classification
        if code and is_class_code(code, cls) and not self.is_dept_ahead(sheet, r, code, plan):
            self.add_class_row(code, name, label, amounts, r, plan)
        elif code and self.spec.rows.units:
            self.add_unit_row(code, name, label, amounts, r, plan)
        elif code:
            self.note("warning", f"科目编码“{code}”不是{('支出功能' if cls == 'function' else '经济')}分类科目的编码，已按原样读入",
                      plan.first_cell(r))
            self.add_class_row(code, name, label, amounts, r, plan)
        else:
            self.add_named_row(name, label_raw, amounts, r, plan)

    def row_code(self, plan: RowPlan, label: str, cell) -> tuple[str | None, str]:
        code_col, parts = plan.code_col, plan.code_parts
        if code_col or plan.has_code_parts:
            if code_col:
                code = code_text(cell(code_col.id))
            else:
                digits = [code_text(cell(p.id)) if p else "" for p in parts]
                if len(digits[0]) >= 5 or not digits[0]:
                    code = next((d for d in digits if d), "")  # full code written in one of the cells
                else:
                    code = digits[0] + "".join(d.zfill(2) for d in digits[1:] if d)
            if code:
                inner_code, inner_name = split_code(label)
                return code, inner_name if inner_code == code else label
            return split_code(label)
        return split_code(label)

    def is_dept_ahead(self, sheet: Sheet, r: int, code: str, plan: RowPlan) -> bool:
        """A 3-digit code right above unit rows that start with it is a department, not a 类."""
        if not self.spec.rows.units or len(code) != 3 or self.unit is not None:
            return False
        c = plan.mapping.get(plan.label_id) if plan.label_id else None
        if c is None:
            return False
        for rr in range(r + 1, min(r + 4, sheet.height)):
            nxt = sheet.grid[rr]
            text = nxt[c] if c < len(nxt) else ""
            if isinstance(text, str) and text.strip():
                nxt_code, _ = split_code(text)
                return bool(nxt_code and nxt_code.startswith(code) and len(nxt_code) not in LEVEL_NAMES)
        return False

    # ------------------------------------------------------------------ row kinds
    def add_unit_row(self, code, name, label, amounts, r, plan) -> None:
        if code and (self.dept is None and len(code) <= 4 or code == self.dept):
            self.dept, self.unit = code, None
            self.klass = self.kuan = None
            self.add(Row(code, DEPT, "部门", label, code=code, unit=code), amounts, r, plan)
            return
        key = code or name
        self.unit = key
        self.klass = self.kuan = None
        self.add(Row(key, UNIT, "单位", label, code=code, unit=key, name=name),
                 amounts, r, plan)

    def add_class_row(self, code, name, label, amounts, r, plan) -> None:
        row_level = LEVEL_NAMES.get(len(code), "项")   # classification.level, inline: runs for every row
        if row_level == "类":
            self.klass, self.kuan = code, None
        elif row_level == "款":
            self.kuan = code
        key = f"{self.unit}/{code}" if self.unit else code   # classification.row_key, inline
        # Row(key, kind, level, label, code, unit, name, amounts), positional: made for nearly every
        # row read, and keyword arguments cost twice as much here.
        self.add(Row(key, CLASS, row_level, label, code, self.unit, name, amounts), amounts, r, plan)

    def add_named_row(self, name, label_raw, amounts, r, plan) -> None:
        """A row with a name and no code: find the code under the current parent in the catalogue;
        otherwise, in a table with units, it is a unit; else keep it keyed by its name."""
        cat = self.catalogue
        indent = _indent(label_raw) if isinstance(label_raw, str) else 0
        candidates: list[str] = []
        if cat:
            for parent in (self.kuan, self.klass, None):
                if parent is None and (self.klass or indent):
                    candidates = cat.codes_named(name)
                    candidates = [c for c in candidates if is_class(c)]
                else:
                    candidates = cat.codes_named(name, parent) if parent else cat.codes_named(name)
                if len(candidates) == 1:
                    break
        if len(candidates) == 1:
            self.add_class_row(candidates[0], name, display(label_raw), amounts, r, plan)
            return
        if self.spec.rows.units and not indent:
            self.add_unit_row(None, name, display(label_raw), amounts, r, plan)
            return
        key = row_key(self.unit, name)
        level = {0: "类", 1: "款"}.get(indent // 2, "项") if indent else "类"
        self.note("info", f"“{name}”没有科目编码，编码表中也查不到唯一对应，按名称读入", plan.first_cell(r))
        self.add(Row(key, CLASS, level, display(label_raw), unit=self.unit, name=name),
                 amounts, r, plan)

    def add_outline_row(self, label_raw: str, amounts, r: int, plan: RowPlan) -> None:
        """A row printed by name: its level, parent and key from reader/outline.py."""
        place = self.outline.place(label_raw)  # type: ignore[union-attr]  # only called with an outline
        if place.note:
            self.note("info", place.note, plan.first_cell(r))
        if place.key == TOTAL_KEY:
            self.add(Row(TOTAL_KEY, TOTAL, "合计", display(label_raw)), amounts, r, plan)
            return
        kind = CLASS if self.kind == "classified" else ITEM
        self.add(Row(place.key, kind, place.level, display(label_raw), place.code, self.unit, place.name, amounts,
                     parent=place.parent), amounts, r, plan)

    def parse_item(self, panel, label, cell, amounts, r, plan, has_amount) -> None:
        unit_col = panel.role("unit")
        unit_text = display(cell(unit_col.id)) if unit_col else ""
        if unit_col is None:
            code, name = split_code(label)
            if code and not is_class_code(code, "function") and len(code) >= 3:
                self.add_unit_row(code, name, label, amounts, r, plan)
                return
        if not label and not has_amount:
            return
        unit_code, _ = split_code(unit_text) if unit_text else (None, "")
        unit = unit_code or unit_text or self.unit
        base = row_key(unit, label)
        key, n = base, 1
        while key in self.keys:
            n += 1
            key = f"{base}#{n}"
        attrs = {c.id: display(cell(c.id)) for c in panel.columns if c.role in ("seq", "unit", "text")}
        if stray_quote(label):
            self.note("warning", f"项目名称“{label}”带有多余的引号（可能是从别处复制时带进来的），请核对", plan.first_cell(r))
        self.add(Row(key, ITEM, "项目", label, unit=unit, attrs=attrs), amounts, r, plan)

    def match_fixed(self, panel: PanelSpec, label: str, cell) -> FixedRow | None:
        rows = panel.rows or self.spec.rows.fixed
        line_col = panel.role("line")
        if line_col is not None:
            line = code_text(cell(line_col.id))
            if line:
                hit = next((f for f in rows if f.line == int(line)), None)
                if hit and (not label or strip_ordinal(norm(label)) in hit.names):
                    return hit
        if not label:
            return None
        name = strip_ordinal(norm(label))
        candidates = [f for f in rows if name in f.names]
        if not candidates:
            return None
        # Same label twice (决算04: 一般公共预算财政拨款 as income and as 年初结转 sub-row): take
        # the first not yet read, after the last row read in this panel.
        pos = self.fixed_pos.get(panel.id, -1)
        order = {f.id: i for i, f in enumerate(rows)}
        fresh = [f for f in candidates if f.id not in self.fixed_done]
        after = [f for f in fresh if order[f.id] > pos]
        return (after or fresh or candidates)[0]

    def parse_fixed(self, panel, label, cell, amounts, r, plan, has_amount) -> None:
        if not label and not has_amount:
            return
        fixed = self.match_fixed(panel, label, cell)
        if fixed is None:
            if self.spec.rows.kind == "fixed":
                self.note("warning", f"“{label or '（无名称）'}”不是本表的固定行，已忽略",
                          plan.first_cell(r))
            return
        rows = panel.rows or self.spec.rows.fixed
        self.fixed_pos[panel.id] = next(i for i, f in enumerate(rows) if f.id == fixed.id)
        self.fixed_done.add(fixed.id)
        level = "类" if fixed.is_class else "行"
        attrs = {c.id: display(cell(c.id)) for c in panel.columns if c.role == "text" and cell(c.id) != ""}
        self.add(Row(fixed.id, FIXED, level, label or fixed.label, code=fixed.id, panel=panel.id, attrs=attrs),
                 amounts, r, plan)

    # ------------------------------------------------------------------ storing
    def add(self, row: Row, amounts, r: int, plan: RowPlan) -> None:
        row.amounts = amounts
        if self.pending:
            row.percents = self.pending
        row.sheet, row.grid_row, row.colmap = plan.sheet, r, plan.colmap
        old = self.keys.get(row.key)
        if old is not None:
            if old.amounts == row.amounts or not any(v is not None for v in row.amounts.values()):
                self.take(plan, r)
                return  # a unit row repeated at the top of a continuation page
            if not any(v is not None for v in old.amounts.values()):
                self.table.rows[self.table.rows.index(old)] = row
                self.keys[row.key] = row
                self.take(plan, r)
                return
            self.note("warning", f"“{row.label}”在本表中出现了两次（第一次在 {old.cells.get('label') or ''}），后一行未计入",
                      row.cells.get("label"))
            return
        self.keys[row.key] = row
        self.table.rows.append(row)
        self.take(plan, r)

    def take(self, plan: RowPlan, r: int) -> None:
        """Mark the row's amount cells read (reader/coverage.py reports the cells nothing took)."""
        rows = self.table.taken.setdefault(plan.sheet, {})
        seen = rows.get(r)
        rows[r] = plan.amount_cols if seen is None else seen | plan.amount_cols
        self.table.amounts_read += self.counted


class RowPlan:
    """Where a panel's columns are in the grid, worked out once per table piece."""

    def __init__(self, panel: PanelSpec, mapping: dict[str, int], sheet: str):
        self.panel = panel
        self.sheet = sheet
        self.mapping = mapping
        self.amounts = [(c.id, mapping[c.id]) for c in panel.columns if c.is_amount and c.id in mapping]
        self.percents = [(c.id, mapping[c.id]) for c in panel.columns if c.is_percent and c.id in mapping]
        label = panel.role("label")
        self.label_id = label.id if label else None
        self.label_col = mapping.get(label.id) if label else None
        # Where a 合计 label may stand: the name column, and the 序号, 单位 and code columns (合计 rows of
        # some provinces are labelled in the 科目代码 column).
        self.text_ids = [c.id for c in panel.columns if c.role in ("seq", "unit", "label", "code", "code_class")
                         and c.id in mapping]
        self.colmap = dict(self.amounts + self.percents)
        self.amount_cols = frozenset(c for _, c in self.amounts + self.percents)
        self.last_col = max(mapping.values(), default=-1)
        if self.label_col is not None:
            self.colmap["label"] = self.label_col
        self.code_col = panel.role("code")
        self.code_parts = [panel.role(role) for role in ("code_class", "code_kuan", "code_xiang")]
        self.has_code_parts = any(self.code_parts)

    def first_cell(self, r: int) -> CellRef | None:
        """The cell a note about grid row r points at: its name cell, else its first amount."""
        c = self.label_col if self.label_col is not None else (self.amounts[0][1] if self.amounts else None)
        return CellRef(self.sheet, r, c) if c is not None else None


def _indent(label: str) -> int:
    """How many blanks a label starts with (the pattern also matches none, so it always matches)."""
    m = _INDENT.match(label)
    return m.end() if m else 0
