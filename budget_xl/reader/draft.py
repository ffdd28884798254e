"""Tables no template knows: found by their title, drafted from the sheet (sketch.py, rowshape.py,
sums.py) into the data of a template table, and read with the ordinary TableBuilder.

`read` calls `unknown_tables` for the rows no template table claimed, so such a table is checked
for its structural identities anyway and counted by the coverage; `budget-xl templates draft` calls
`draft_table` for every titled table of a workbook and writes the result as a template file.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, TemplateError
from ..model import CellRef, Table
from ..templates import TableSpec, TemplateSet
from ..templates.builder import TemplateBuilder
from ..text import display, norm
from .locate import ColumnMap, has_biao, header_vocabulary
from .rows import TableBuilder
from .rowshape import Shape, infer_rows
from .sketch import Region, Sketch, name_ids, sketch
from .sums import Sums, column_sums, extra_sums, fixed_sums
from .workbook import Sheet, load_sheets

_MARK = re.compile(r"^(?:附表|财决公开|决算公开|预算公开|公开|决算|预算|表)[0-9一二三四五六七八九十]{1,3}表?$"
                   r"|^[0-9]{1,2}表$")
_YEAR_HEAD = re.compile(r"^.{0,40}?(?:19|20)\d{2}年度?")
_SENTENCE = re.compile(r"[，。；,;]|……")
_NOT_IN_CODES = re.compile(r"[\s.+\-=<>\[\]]")
MAX_TITLE = 50
TOTAL_LABELS = ("合计", "总计")
KIND_WORDS = {"classified": "按科目分行", "units": "按单位分行", "fixed": "固定行", "items": "项目清单", "single": "单行"}


@dataclass
class TableDraft:
    """A table drafted from a sheet: its template data, the rows read with it, what to check."""
    data: dict                          # the table as a template file writes it (code, title, rows, columns | panels)
    spec: TableSpec
    table: Table
    sketch: Sketch
    shape: Shape
    params: dict[str, list[str]] = field(default_factory=dict)
    row_lists: dict[str, list[dict]] = field(default_factory=dict)
    remarks: dict[str, str] = field(default_factory=dict)   # "" (the table), "rows", "col:<id>", "row:<id>"
    identities: list[dict] = field(default_factory=list)   # explicit ones the layout implies (收入总计 = 支出总计)

    @property
    def region(self) -> Region:
        return self.sketch.region


# --------------------------------------------------------------------------- finding titled regions
def regions(sheets: list[Sheet], claimed: dict[str, list[tuple[int, int]]] | None = None) -> list[Region]:
    """Every titled region of the visible sheets outside the claimed rows (sheet -> [first, last])."""
    out: list[Region] = []
    for sheet in sheets:
        if sheet.hidden:
            continue
        taken = sorted((claimed or {}).get(sheet.name, []))
        anchors = _anchors(sheet, taken)
        for i, (row, title, mark, cell) in enumerate(anchors):
            stop = anchors[i + 1][0] if i + 1 < len(anchors) else sheet.height
            stop = min([stop] + [lo for lo, _ in taken if lo > row])
            out.append(Region(sheet, title or sheet.name.strip(), mark, row, cell, stop))
    return out


def _anchors(sheet: Sheet, taken: list[tuple[int, int]]) -> list[tuple[int, str, str, tuple[int, int] | None]]:
    found: list[list] = []   # [row, title, mark, cell]
    grid = sheet.grid
    for r in _unclaimed_rows(len(grid), taken):   # a large table's own rows are never looked at again
        line = grid[r]
        if not has_biao(line):
            continue
        for c, value in enumerate(line):
            if value.__class__ is not str or "表" not in value:
                continue
            title, mark = split_title(value)
            if not title and not mark:
                continue
            near = next((a for a in found if abs(a[0] - r) <= 3 and (not a[1] or not title) and (not a[2] or not mark)), None)
            if near is None:
                found.append([r, title, mark, (r, c) if title else None])
            else:
                near[0] = min(near[0], r)
                near[1] = near[1] or title
                near[2] = near[2] or mark
                near[3] = near[3] or ((r, c) if title else None)
    return [(a[0], a[1], a[2], a[3]) for a in sorted(found, key=lambda a: a[0])]


def _unclaimed_rows(height: int, taken: list[tuple[int, int]]) -> Iterator[int]:
    r = 0
    for lo, hi in sorted(taken):
        yield from range(r, min(lo, height))
        r = max(r, hi + 1)
    yield from range(r, height)


def split_title(text: str) -> tuple[str, str]:
    """(title, code mark) of a cell: "公开10表" → ("", "公开10表"); "附表1：收支预算总表" → both;
    ("", "") for anything else (a sentence, a long text)."""
    shown = display(text)
    n = norm(shown)
    if _MARK.match(n):
        return "", n
    if not (2 < len(n) <= MAX_TITLE) or _SENTENCE.search(n) or n.startswith(("注", "说明")):
        return "", ""
    head, sep, rest = _split_mark(shown)
    if sep and _MARK.match(norm(head)) and norm(rest).endswith("表"):
        return display(rest), norm(head)
    return (shown, "") if n.endswith("表") else ("", "")


def _split_mark(shown: str) -> tuple[str, str, str]:
    m = re.match(r"^\s*(\S+?)\s*([:：]|\s)\s*(.+)$", shown)
    return (m.group(1), m.group(2), m.group(3)) if m else (shown, "", "")


def clean_title(title: str) -> str:
    """The title without the department and year printed before it ("…局2024年度收入决算表" → 收入决算表)."""
    n = norm(title)
    cut = _YEAR_HEAD.sub("", n, count=1)
    return cut if len(cut) >= 3 and cut.endswith("表") else n


def code_of(region: Region, taken: set[str]) -> str:
    """A table code from its mark (公开10表 → 公开10) or its title, not one of `taken`."""
    base = region.mark.removesuffix("表") if region.mark else clean_title(region.title)
    base = _NOT_IN_CODES.sub("", base) or "表"   # a code is written in identities: 表.列[行]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}（{n}）"
    return code


# --------------------------------------------------------------------------- drafting one table
def draft_table(region: Region, code: str, ts: TemplateSet, require_amounts: bool = True) -> TableDraft | None:
    """The table under a title drafted and read, or None when the region holds no table (no header
    band, no amount column, or — with `require_amounts` — no number under it)."""
    sk = sketch(region)
    if sk is None or not sk.amount_columns() or (require_amounts and not sk.has_amounts()):
        return None
    shape = infer_rows(sk)
    if sk.shared and shape.kind != "classified":
        name_ids(sk, share=False)
    unit = sk.unit or ts.unit
    try:
        data, lists = table_data(code, sk, shape, Sums())
        spec = build_spec(data, lists, {}, unit)
    except TemplateError:
        return None
    builder = TableBuilder(spec, ts, unit)
    if region.title_cell:
        builder.table.title_cell = CellRef(sk.sheet.name, *region.title_cell)
    builder.add_piece(sk.sheet, column_map(sk), sk.start, region.stop, header_vocabulary(spec))
    table = builder.table
    column_sums(sk, table, unit)
    sums = fixed_sums(shape, table, unit) if shape.kind == "fixed" else extra_sums(sk, shape, table, unit, f"{code}_")
    data, lists = table_data(code, sk, shape, sums)
    try:
        spec = build_spec(data, lists, sums.params, unit)
    except TemplateError:
        return None
    table.spec = spec
    remarks = {**sums.remarks, **{f"col:{c.id}": c.remark for c in sk.columns if c.remark}}
    names = {c.id: "/".join(c.printed[-2:]) if len(c.printed) > 1 else c.printed[-1] for c in sk.columns}
    for c in sk.columns:
        if c.sum_of:
            said = remarks.get(f"col:{c.id}")
            remarks[f"col:{c.id}"] = (f"{said}；" if said else "") + \
                f"按本表数字推断：每行 {names[c.id]} = {' + '.join(names[p] for p in c.sum_of)}"
    if shape.remark:
        remarks["rows"] = shape.remark
    elif shape.kind != "classified":
        remarks["rows"] = f"行结构按本表各行推断为{KIND_WORDS[shape.kind]}（{shape.kind}）"
    return TableDraft(data, spec, table, sk, shape, sums.params, lists, remarks, balances(code, data["title"], sk, shape))


def balances(code: str, title: str, sk: Sketch, shape: Shape) -> list[dict]:
    """A 收支总表 balances: the 总计 row of its 收入 panel equals the 总计 row of each 支出 panel."""
    if shape.kind != "fixed" or len(sk.panels) < 2:
        return []
    ends = []
    for panel, rows in zip(sk.panels, shape.fixed):
        words = "".join(w for c in panel for w in c.printed[:-1])
        grand = [r for r in rows if "总计" in r.label]
        amounts = [c for c in panel if c.role == "amount"]
        if grand and amounts:
            column = next((c for c in amounts if c.sum_of), amounts[0])
            ends.append(("收入" in words and "支出" not in words, grand[-1], column))
    income = [e for e in ends if e[0]]
    if len(income) != 1:
        return []
    _, row, column = income[0]
    return [{"id": f"{code}-平衡{i}", "text": f"{title} {row.label}等于{other.label}",
             "expr": f"{code}.{column.id}[{row.id}] = {code}.{col.id}[{other.id}]"}
            for i, (_, other, col) in enumerate((e for e in ends if not e[0]), 1)]


def column_map(sk: Sketch) -> ColumnMap:
    cmap = ColumnMap(panels=[{c.id: c.col for c in panel} for panel in sk.panels])
    cmap.header_rows = sk.band
    return cmap


def build_spec(data: dict, row_lists: dict, params: dict, unit: str) -> TableSpec:
    builder = TemplateBuilder("（按表头推断的表）")
    builder.params = {k: tuple(v) for k, v in params.items()}
    builder.row_lists = row_lists
    return builder.build_table(data, 0, unit)


def table_data(code: str, sk: Sketch, shape: Shape, sums: Sums) -> tuple[dict, dict]:
    """The table as template data, and the row lists it uses."""
    region = sk.region
    data: dict = {"code": code, "title": clean_title(region.title)}
    if norm(region.title) != data["title"]:
        data["aliases"] = [norm(region.title)]
    if region.mark and norm(region.mark) != norm(code):
        data["code_aliases"] = [region.mark]
    if sk.unit:
        data["unit"] = sk.unit
    rows: dict = {"kind": shape.kind}
    if shape.classification:
        rows["classification"] = shape.classification
    if shape.units:
        rows["units"] = True
    if shape.extra:
        rows["fixed"] = [_row_entry(r, sums) for r in shape.extra]
    data["rows"] = rows
    columns = [[_column_entry(c) for c in panel] for panel in sk.panels]
    lists: dict = {}
    if shape.kind == "fixed" or len(columns) > 1:
        panels = []
        for i, (pid, cols) in enumerate(zip(shape.panel_ids, columns)):
            entry: dict = {"id": pid, "columns": cols}
            if shape.kind == "fixed":
                entry["rows"] = _panel_rows(code, shape, i, sums, lists)
            panels.append(entry)
        data["panels"] = panels
    else:
        data["columns"] = columns[0]
    return data, lists


def _column_entry(c) -> dict:
    entry: dict = {}
    if not (c.concept and c.id == c.concept):
        entry["id"] = c.id
    if c.concept:
        entry["concept"] = c.concept
    if c.role != "amount":
        entry["role"] = c.role
    entry["header"] = list(c.printed)
    if c.sum_of:
        entry["sum_of"] = list(c.sum_of)
    if c.col_no is not None and c.role == "amount":
        entry["col_no"] = c.col_no
    return entry


def _row_entry(r, sums: Sums) -> dict:
    entry: dict = {"id": r.id, "label": r.label}
    if r.line is not None:
        entry["line"] = r.line
    if r.id in sums.rows:
        entry["sum_of"] = sums.rows[r.id]
    return entry


def _panel_rows(code: str, shape: Shape, i: int, sums: Sums, lists: dict) -> list[dict]:
    """The panel's fixed rows; its 类 rows (if any, printed together) as a row list."""
    rows = shape.fixed[i] if i < len(shape.fixed) else []
    name = f"{code}_{shape.panel_ids[i]}_classes"
    classes = [r for r in rows if r.is_class]
    first = rows.index(classes[0]) if classes else -1
    together = classes and rows[first:first + len(classes)] == classes
    out: list[dict] = []
    for r in rows:
        if together and r.is_class:
            if r is classes[0]:
                lines = [c.line for c in classes]
                entry: dict = {"list": name}
                first_line = lines[0]
                if first_line is not None and lines == list(range(first_line, first_line + len(lines))):
                    entry["first_line"] = first_line
                lists[name] = [{"id": c.id, "label": c.label} for c in classes]
                out.append(entry)
            continue
        out.append(_row_entry(r, sums))
    return out


# --------------------------------------------------------------------------- in `read`
def unknown_tables(sheets: list[Sheet], claimed: dict[str, list[tuple[int, int]]], ts: TemplateSet,
                   taken: set[str]) -> list[TableDraft]:
    """The titled tables of the rows no template table claimed, drafted and read."""
    out = []
    for region in regions(sheets, claimed):
        draft = draft_table(region, code_of(region, taken), ts)
        if draft is not None:
            draft.table.unknown = True
            taken.add(draft.spec.code)
            out.append(draft)
    return out


# --------------------------------------------------------------------------- a whole workbook
@dataclass
class WorkbookDraft:
    """Every titled table of a workbook, drafted (`budget-xl templates draft`)."""
    path: Path
    sheets: list[Sheet]
    tables: list[TableDraft]
    kind: str                  # 部门预算 / 部门决算, guessed from the titles
    unit: str                  # the unit most tables print
    total_labels: list[str]


def draft_workbook(path: str | Path) -> WorkbookDraft:
    """Draft every titled table of the workbook; InputError when there is none."""
    path = Path(path)
    sheets = load_sheets(path)
    provisional = TemplateSet(id="draft", kind="部门预算", name="draft", unit="元", source="", total_labels=TOTAL_LABELS,
                              params={}, empty_note="本年度未产生与该表相关的预决算数据", tables={}, identities=(),
                              total_names=frozenset(norm(t) for t in TOTAL_LABELS))
    drafts: list[TableDraft] = []
    taken: set[str] = set()
    for region in regions(sheets):
        draft = draft_table(region, code_of(region, taken), provisional, require_amounts=False)
        if draft is not None:
            taken.add(draft.spec.code)
            drafts.append(draft)
    if not drafts:
        names = "、".join(s.name for s in sheets) or "（无工作表）"
        raise InputError(f"{path.name} 中没有找到带标题和表头的表格（工作表：{names}），无法起草模板。")
    titles = "".join(d.region.title for d in drafts)
    units = Counter(d.sketch.unit for d in drafts if d.sketch.unit)
    unit = units.most_common(1)[0][0] if units else "元"
    labels = [t for t in TOTAL_LABELS if any(norm(r.label) == t for d in drafts for r in d.table.rows if r.kind == "total")]
    return WorkbookDraft(path, sheets, drafts, "部门决算" if "决算" in titles else "部门预算", unit,
                         labels or ["合计"])
