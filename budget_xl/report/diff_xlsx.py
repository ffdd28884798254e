"""The diff workbook (`budget-xl diff … -o 对比.xlsx`), printed like `fill`'s tables (same title
block, header, page set-up from publish.py): a summary sheet, the changes needing an explanation,
one sheet per table (上年/本年/增减额/增减率/状态/需说明, increases red and decreases green,
hierarchy indented, filters on the header) and the 三公 comparison in seed 001's layout, its
增减变化原因 left for the auditor. Budget versus final: a summary and one sheet per part.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from ..diff.compare import ADDED, ADJUSTED, REMOVED, STATUSES, Comparison, Line, TableDiff
from ..formats import DIFF_MARK
from ..layout import header_tree
from ..model import CLASS
from ..money import fmt, round_half_up
from ..text import cjk_width, norm
from .diff_text import check_lines, rule_text
from .grid import LEVEL_INDENT, is_bold
from .output import atomic_output
from .properties import set_xlsx_properties
from .publish import FONT, HEADING_TOP, Styles, page_setup, write_header, write_title_block


class _Sign(TypedDict, total=False):
    """DiffStyles.get arguments colouring a change by its sign (none for no change)."""
    fill: str
    color: str


class _Flag(TypedDict):
    """DiffStyles.get arguments of a 需说明 cell."""
    fill: str
    bold: bool
    align: str


AMOUNT, RATE = "#,##0.00", "0.00%"
UP: _Sign = {"fill": "#FCE4D6", "color": "#C00000"}      # increases: red (as Chinese tables colour a rise)
DOWN: _Sign = {"fill": "#E2EFDA", "color": "#375623"}    # decreases: green
STATUS_FILL = {ADDED: "#DDEBF7", REMOVED: "#EDEDED", ADJUSTED: "#FFF2CC"}
FLAG: _Flag = {"fill": "#F8CBAD", "bold": True, "align": "center"}


class DiffStyles(Styles):
    """publish.py's styles plus cell formats made on demand (bold × indent × fill …), each once."""

    def __init__(self, wb):
        super().__init__(wb)
        self._wb, self._made = wb, {}
        self.info = wb.add_format({"font_name": FONT, "font_size": 10, "valign": "top", "text_wrap": True})

    def get(self, num: str | None = None, bold: bool = False, indent: int = 0, align: str = "",
            fill: str | None = None, color: str | None = None, wrap: bool = False):
        key = (num, bold, indent, align, fill, color, wrap)
        if key not in self._made:
            align = align or ("right" if num else "left")
            # Text wraps (the row is made tall enough: sheet()); amounts never do.
            props = {**self.cell_props, "align": align, "bold": bold, "text_wrap": wrap or not num}
            for name, value in (("num_format", num), ("indent", indent), ("bg_color", fill), ("font_color", color)):
                if value:
                    props[name] = value
            self._made[key] = self._wb.add_format(props)
        return self._made[key]


@dataclass
class Col:
    header: tuple[str, ...]
    width: int = 0       # fixed width (characters); 0: fit the content, CJK-aware, at most `most`
    most: int = 60


Cell = tuple[object, object, int]   # value, format, indent level (for the width)


def write_diff_workbook(c: Comparison, target: Path, *, force: bool = False, sources: Iterable[Path] = ()) -> Path:
    import xlsxwriter

    with atomic_output(target, source=tuple(sources), force=force) as tmp:
        # Workbook text is never turned into formulas or links (strings starting with = + - @ stay text).
        # constant_memory: rows go out as written (every sheet is written top to bottom), so a
        # diff of 100,000-row workbooks does not hold millions of cells.
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "constant_memory": True})
        # The keyword marks it a comparison, not a disclosure (formats.DIFF_MARK: folder scans skip it).
        set_xlsx_properties(wb, target.stem, c.after.disclosure.department, keywords=DIFF_MARK)
        st = DiffStyles(wb)
        book = _Book(wb, st, c)
        if c.mode == "versus":
            book.versus()
        else:
            book.years()
        wb.close()
    return target


class _Book:
    def __init__(self, wb, st: DiffStyles, c: Comparison):
        self.wb, self.st, self.c = wb, st, c
        b, a = c.before.disclosure, c.after.disclosure
        self.department = a.department or b.department
        if c.mode == "versus":
            self.period = f"{a.year} 年度" if a.year else ""
        else:
            self.period = f"{b.year}—{a.year} 年度" if b.year and a.year and b.year != a.year else (
                f"{a.year} 年度" if a.year else "")
        self.names: set[str] = set()

    # ------------------------------------------------------------------ year over year
    def years(self) -> None:
        c, st = self.c, self.st
        before, after = c.labels
        cols = [Col(("表",)), Col(("表名",)), Col(("合计项目",)), Col((before,), 16), Col((after,), 16),
                Col(("增减额",), 16), Col(("增减率",), 10), *[Col((f"{s}行",), 0) for s in STATUSES],
                Col(("需说明行",), 7), Col(("增减变化原因",), 30)]
        rows = []
        for t in c.tables:
            total = t.total
            head = [(t.code, st.get(), 0), (t.title, st.get(), 0),
                    (_total_label(total) if total else "", st.get(), 0)]
            amounts = _change_cells(st, total) if total else [("", st.get(), 0)] * 4
            counts = [(t.counts.get(s, 0) or "", st.get("0"), 0) for s in STATUSES]
            rows.append(head + amounts + counts + [_flag_cell(st, t.flagged_rows), ("", st.get(), 0)])
        notes = [f"{t.code}：{n}" for t in c.tables for n in t.notes]
        self.sheet("汇总", f"{self._kind()}对比汇总", "", cols, rows, info=self.info_lines(), notes=notes,
                   unit=c.unit)
        self.flagged_sheet()
        for t in c.tables:
            self.table_sheet(t)
        for t in c.tables:
            if t.sangong:
                self.sangong_sheet(t)

    def _kind(self) -> str:
        return self.c.after.disclosure.kind

    def flagged_sheet(self) -> None:
        st, (before, after) = self.st, self.c.labels
        # Names and reasons wrap in narrow columns: the sheet prints one page wide at a readable
        # size (the widest 项目 once made it 67 rows a page at a tiny font).
        cols = [Col(("序号",), 5), Col(("表",), 0, 8), Col(("单位",), 0, 8), Col(("项目",), 0, 22), Col(("栏目",), 0, 10),
                Col((before,), 14), Col((after,), 14), Col(("增减额",), 14), Col(("增减率",), 9), Col(("状态",), 7),
                Col(("需说明的原因",), 0, 20), Col(("同见",), 0, 14), Col(("主要原因",), 24)]
        rows = []
        for i, (line, also) in enumerate(self.c.distinct_flagged(), 1):
            rows.append([(i, st.get(align="center"), 0), (line.table, st.get(), 0),
                         (line.unit_code or "", st.get(), 0), (line.label, st.get(wrap=True), 0),
                         (line.column_label, st.get(wrap=True), 0), *_change_cells(st, line), _status_cell(st, line.status),
                         (line.flag, st.get(wrap=True), 0),
                         (self.c.also_text(line, also), st.get(wrap=True), 0), ("", st.get(), 0)])
        notes = [] if rows else ["没有需要说明的变动。"]
        notes.append("同一笔数在几张表中出现（如一般公共预算拨款收入与各表一般公共预算合计）只列一次，其余表列在“同见”中。")
        self.sheet("需说明", f"{self._kind()}需说明的变动", "", cols, rows, info=[rule_text(self.c) + "。"],
                   notes=notes, unit=self.c.unit)

    def table_sheet(self, t: TableDiff) -> None:
        st, (before, after) = self.st, self.c.labels
        cols = ([Col(("单位",))] if t.has_units else []) + [
            Col(("项目",)), Col(("栏目",)), Col((before,), 16), Col((after,), 16), Col(("增减额",), 16),
            Col(("增减率",), 10), Col(("状态",), 9), Col(("需说明",), 7), Col(("备注",), 0, 40)]
        rows = []
        for line in t.lines:
            bold = is_bold(line.row_kind, line.level, line.label)
            indent = LEVEL_INDENT.get(line.level, 0) if line.row_kind == CLASS else 0
            row: list[Cell] = [(line.unit_code or "", st.get(), 0)] if t.has_units else []
            row += [(line.label, st.get(bold=bold, indent=indent, wrap=True), indent),
                    (line.column_label, st.get(), 0), *_change_cells(st, line, bold), _status_cell(st, line.status),
                    ("是", st.get(**FLAG), 0) if line.flag else ("", st.get(), 0), (line.note, st.get(wrap=True), 0)]
            rows.append(row)
        empty = all(line.before is None and line.after is None for line in t.lines)
        notes = list(t.notes) + (["两年均无数据（本年度未产生与该表相关的预决算数据）。"] if empty else [])
        self.sheet(t.code, f"{t.title}对比", t.code, cols, rows, notes=notes, unit=t.unit)

    def sangong_sheet(self, t: TableDiff) -> None:
        """Seed 001's “三公经费预算表”: 项目, 上年, 本年, 增减额, 增减率, 增减变化原因."""
        st, (before, after) = self.st, self.c.labels
        cols = [Col(("项目",)), Col((before,), 16), Col((after,), 16), Col(("增减额",), 16), Col(("增减率",), 10),
                Col(("增减变化原因",), 50)]
        rows = [[(s.label, st.get(bold=i == 0, indent=s.indent), s.indent), *_change_cells(st, s, i == 0),
                 ("", st.get(wrap=True), 0)] for i, s in enumerate(t.sangong)]   # the template lists 合计 first
        word = self._kind().removeprefix("部门")
        self.sheet("三公经费", f"“三公”经费{word}对比表", t.code, cols, rows, unit=t.unit, filters=False,
                   notes=[f"数据来源：{t.code} {t.title}合计行。“三公”经费有变动即需说明，请在“增减变化原因”栏填写。"])

    # ------------------------------------------------------------------ budget versus final
    def versus(self) -> None:
        c, st = self.c, self.st
        cols = [Col(("部分",)), Col(("预算表",)), Col(("决算表",)), Col(("年初预算",), 16), Col(("决算",), 16),
                Col(("完成年初预算",), 12), Col(("决算−年初预算",), 16), Col(("需说明行数",), 10)]
        rows = []
        for s in c.sections:
            total = s.lines[0] if s.lines else None
            cells = [(s.title, st.get(), 0), (s.sources[0], st.get(), 0), (s.sources[1], st.get(), 0)]
            cells += _versus_cells(st, total)[:4] if total else [("", st.get(), 0)] * 4
            cells.append(_flag_cell(st, sum(1 for ln in s.lines if ln.flag)))
            rows.append(cells)
        notes = [f"{s.title}：{n}" for s in c.sections for n in s.notes]
        self.sheet("汇总", "预算与决算对比汇总", "", cols, rows, info=self.info_lines(), notes=notes, unit=c.unit)
        for s in c.sections:
            cols = [Col(("科目",)), Col(("年初预算数",), 16), Col(("决算数",), 16), Col(("完成年初预算的%",), 14),
                    Col(("决算数−年初预算数",), 18), Col(("需说明",), 0, 20),
                    Col(("决算数大于/小于预算数的主要原因",), 36)]
            rows = []
            for ln in s.lines:
                bold = ln is s.lines[0] or ln.level == "类"   # 合计 first
                indent = LEVEL_INDENT.get(ln.level, 0) or ln.indent
                rows.append([(ln.label, st.get(bold=bold, indent=indent), indent), *_versus_cells(st, ln, bold),
                             ("", st.get(wrap=True), 0)])
            notes = s.notes + [f"年初预算：{s.sources[0]}；决算：{s.sources[1]}。{rule_text(c)}。"]
            self.sheet(s.title, f"{s.title}预算与决算对比", "", cols, rows, notes=notes, unit=s.unit)

    # ------------------------------------------------------------------ common
    def info_lines(self) -> list[str]:
        """What is compared, warnings, each side's check result (errors listed) and the rule."""
        c = self.c
        lines = [f"{label}：{side.disclosure.path.name}（{side.title}，{side.disclosure.department or '部门未写明'}）"
                 for side, label in ((c.before, c.labels[0]), (c.after, c.labels[1]))]
        lines += [f"注意：{w}" for w in c.warnings]
        lines += [line.strip() for line in check_lines(c)]
        return lines + [rule_text(c) + "。"]

    def sheet(self, name: str, title: str, code: str, cols: list[Col], rows: Sequence[Sequence[Cell]], *, unit: str,
              info: Sequence[str] = (), notes: Sequence[str] = (), filters: bool = True) -> None:
        """Title block, info lines, header, rows, notes; widths, filters and print set-up. Rows are
        written top to bottom (constant_memory), so headers are one row: a cell merged down would
        write the next row before the rest of its own."""
        st = self.st
        ws = self.wb.add_worksheet(self._name(name))
        width = len(cols)
        write_title_block(ws, st, width, code, title, self.department, self.period, unit)
        widths = [c.width or max(cjk_width(c.header[-1]) + 2, 6) for c in cols]
        # One pass for the text widths (CJK-aware): the fitted columns' widths, then each row's height.
        texts = [[(i, _width(_text(value)) + 2 * indent) for i, (value, _, indent) in enumerate(row)
                  if not isinstance(value, Decimal)] for row in rows]
        for row_texts in texts:
            for i, w in row_texts:
                if not cols[i].width:
                    widths[i] = min(max(widths[i], w + 2), cols[i].most)
        total = sum(widths)
        top = HEADING_TOP
        for text in info:
            ws.merge_range(top, 0, top, width - 1, text, st.info)
            ws.set_row(top, 14 * math.ceil(cjk_width(text) * 0.9 / total))
            top += 1
        first = write_header(ws, st, *header_tree([c.header for c in cols]), top)
        for r, row in enumerate(rows):
            for i, (value, style, _) in enumerate(row):
                _write(ws, first + r, i, value, style)
            # 宋体 10 runs about a tenth narrower than the width unit (the default font's digit);
            # LibreOffice does not grow a row for wrapped text by itself.
            lines = max((math.ceil(w * 0.9 / widths[i]) for i, w in texts[r]), default=1)
            if lines > 1:
                ws.set_row(first + r, 14 * lines)
        last = first + len(rows) - 1
        for i, note in enumerate(notes):
            ws.write_string(max(last, first - 1) + 2 + i, 0, note, st.note)
        if filters and rows:
            ws.autofilter(first - 1, 0, last, width - 1)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        page_setup(ws, first, max(last, first - 1) + 1 + len(notes), width - 1, header_top=top)

    def _name(self, text: str) -> str:
        name = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31]
        base, n = name, 1
        while name in self.names:
            n += 1
            name = f"{base[:28]}({n})"
        self.names.add(name)
        return name


def _total_label(line: Line) -> str:
    """'收入总计·收入预算数'; just '合计' where the row and the column are both 合计."""
    return line.label if norm(line.label) == norm(line.column_label) else f"{line.label}·{line.column_label}"


@lru_cache(maxsize=1 << 16)
def _width(text: str) -> int:
    """cjk_width, remembered: labels, columns and statuses repeat on every line."""
    return len(text) if text.isascii() else cjk_width(text)


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return fmt(value)
    return "" if value is None else str(value)


def _write(ws, r: int, c: int, value: object, style) -> None:
    if isinstance(value, Decimal):
        ws.write_number(r, c, float(value), style)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, style)
    elif value is None or value == "":
        ws.write_blank(r, c, None, style)
    else:
        ws.write_string(r, c, str(value), style)


def _fraction(rate: Decimal | None) -> Decimal | None:
    """A percent as the fraction a 0.00% cell holds, rounded as shown (-72.41% → -0.7241)."""
    return None if rate is None else round_half_up(rate) / 100


def _change_cells(st: DiffStyles, line: Line, bold: bool = False) -> list[Cell]:
    """上年, 本年, 增减额, 增减率; the change coloured by its sign."""
    sign: _Sign = UP if line.change > 0 else DOWN if line.change < 0 else {}
    return [(line.before, st.get(AMOUNT, bold), 0), (line.after, st.get(AMOUNT, bold), 0),
            (line.change, st.get(AMOUNT, bold, **sign), 0), (_fraction(line.rate), st.get(RATE, bold, **sign), 0)]


def _versus_cells(st: DiffStyles, ln, bold: bool = False) -> list[Cell]:
    """年初预算, 决算, 完成率, 决算−预算, 需说明."""
    sign: _Sign = UP if ln.difference > 0 else DOWN if ln.difference < 0 else {}
    completion = st.get(RATE, bold or bool(ln.flag), fill=FLAG["fill"] if ln.flag else None)
    return [(ln.budget, st.get(AMOUNT, bold), 0), (ln.final, st.get(AMOUNT, bold), 0),
            (_fraction(ln.completion), completion, 0), (ln.difference, st.get(AMOUNT, bold, **sign), 0),
            (ln.flag, st.get(**FLAG) if ln.flag else st.get(), 0)]


def _status_cell(st: DiffStyles, status: str) -> Cell:
    return status, st.get(align="center", fill=STATUS_FILL.get(status)), 0


def _flag_cell(st: DiffStyles, count: int) -> Cell:
    return (count or "", st.get("0", **FLAG) if count else st.get("0"), 0)
