"""Reading 绩效 forms (年度绩效目标表, 部门整体预算绩效目标申报表, 项目支出绩效自评表 …) out of a workbook:
the form reader beside the grid reader.

A form is found by its title (with or without 《》, a year, a department prefix); it runs to the next
title on the sheet, so a sheet may hold one form or several. Of the templates whose title matches,
the one whose labels and grid columns the region shows most is used. A titled region without the
form's key field (项目名称 …) continues the form before it (a form printed over several pages).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..model import CellRef, Coverage, Note
from ..performance import Form, PerformanceBook
from ..templates.form_builder import load_form_sets
from ..templates.forms import FormSet, FormSpec, label_key
from ..text import display
from .form_cells import LabelIndex, Region, read_fields, read_matrix, typed
from .form_grid import find_header, read_grid
from .workbook import Sheet, load_sheets

__all__ = ["OnlyForms", "forms_in", "read_performance"]

_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_YEAR_NOTE = re.compile(r"[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?")
MAX_PREFIX = 30    # a title may carry the department's name before it (“区政府办整体绩效自评表”)


class OnlyForms(InputError):
    """A workbook of 绩效 forms and no 公开表: what `read` raises (it returns tables); the commands that
    take forms (show, check, fill) use the forms it carries."""

    def __init__(self, book: PerformanceBook):
        super().__init__(f"{book.path.name} 中只有绩效表（{len(book.forms)} 张），没有公开表："
                         f"请用 budget-xl show/check/fill 直接处理它，或在 Python 中用 budget_xl.read_performance() 读取。")
        self.book = book


def read_performance(path: str | Path, form_set: str | FormSet | None = None) -> PerformanceBook:
    """Every 绩效 form of a workbook; InputError (one sentence) when it holds none."""
    path = Path(path)
    sheets = load_sheets(path)
    book = forms_in(sheets, path, form_set)
    if book is None:
        names = "、".join(s.name for s in sheets) or "（无工作表）"
        raise InputError(f"{path.name} 中没有找到任何绩效表（年度绩效目标表、部门整体预算绩效目标申报表、"
                         f"项目支出绩效自评表等；工作表：{names}）。")
    return book


def forms_in(sheets: list[Sheet], path: Path, form_set: str | FormSet | None = None) -> PerformanceBook | None:
    """The forms of these sheets, or None when there is none."""
    sets = _sets(form_set)
    titles: dict[str, list[FormSpec]] = {}
    for fs in sets:
        for name, specs in fs.title_index.items():
            titles.setdefault(name, []).extend(specs)
    forms: list[Form] = []
    notes: list[Note] = []
    consumed: dict[str, set[tuple[int, int]]] = {}
    regions: list[tuple[Sheet, int, int]] = []
    for sheet in sheets:
        anchors = _anchors(sheet, titles)
        for i, (row, col, specs) in enumerate(anchors):
            last = anchors[i + 1][0] - 1 if i + 1 < len(anchors) else sheet.height - 1
            region = Region(sheet, row, last)
            spec = _best(region, specs)
            form = _read(region, spec, CellRef(sheet.name, row, col), notes, consumed.setdefault(sheet.name, set()))
            if form is None:
                continue
            previous = forms[-1] if forms else None
            if previous is not None and _continues(previous, form):
                _merge(previous, form)
            else:
                forms.append(form)
            regions.append((sheet, row, last))
    if not forms:
        return None
    book = PerformanceBook(path, forms, sorted({f.spec.set_id for f in forms}), notes)
    book.sheets = list(dict.fromkeys(f.sheet for f in forms))
    years = Counter(f.year for f in forms if f.year)
    book.year = years.most_common(1)[0][0] if years else None
    depts = Counter(f.text("dept") for f in forms if f.text("dept")) or Counter(
        f.text("dept_name") for f in forms if f.text("dept_name"))
    book.department = depts.most_common(1)[0][0] if depts else None
    book.coverage = _coverage(regions, consumed)
    for form in forms:
        if form.spec.key and not form.text(form.spec.key):
            field = form.spec.field(form.spec.key)
            notes.append(Note("warning", f"工作表“{form.sheet}”的{form.title}没有写{field.label if field else form.spec.key}",
                              form.title_cell))
    return book


def _sets(form_set: str | FormSet | None) -> tuple[FormSet, ...]:
    if isinstance(form_set, FormSet):
        return (form_set,)
    if form_set:
        from ..templates.form_builder import get_form_set

        return (get_form_set(form_set),)
    return load_form_sets()


def title_key(text: str) -> str:
    return label_key(_YEAR_NOTE.sub("", text))


def _anchors(sheet: Sheet, titles: dict[str, list[FormSpec]]) -> list[tuple[int, int, list[FormSpec]]]:
    """Cells holding a form title: (row, column, the templates' forms of that title)."""
    out = []
    longest = max((len(t) for t in titles), default=0) + MAX_PREFIX
    for row, line in enumerate(sheet.grid):
        for col, value in enumerate(line):
            # cheap test first: every form title names 绩效 (or 自评) and ends in 表
            if value.__class__ is not str or "表" not in value or ("绩效" not in value and "自评" not in value):
                continue
            if len(value) > longest + 12:
                continue
            key = title_key(value)
            specs = titles.get(key)
            if specs is None:
                specs = next((s for t, s in sorted(titles.items(), key=lambda x: -len(x[0]))
                              if key.endswith(t) and len(key) - len(t) <= MAX_PREFIX), None)
            if specs:
                out.append((row, col, specs))
                break
    return out


def _best(region: Region, specs: list[FormSpec]) -> FormSpec:
    """Of several templates with this title, the one whose labels and grid columns the region shows most."""
    if len(specs) == 1:
        return specs[0]
    keys = {region.key(r, c) for r in region.rows() for c, v in region.cells(r) if isinstance(v, str)}
    inline = {label_key(part) for r in region.rows() for _, v in region.cells(r)
              if isinstance(v, str) for part in v.replace("：", ":").split(":")[:-1]}

    def score(spec: FormSpec) -> tuple[int, int]:
        names = [f.names for f in spec.fields if not f.indicator]
        names += [n for m in spec.matrices for _, n in (*m.rows, *m.columns)]
        names += [c.names for c in (spec.grid.columns if spec.grid else ())]
        hits = sum(1 for n in names if n & keys or n & inline)
        misses = len(names) - hits
        return hits, -misses

    return max(specs, key=score)


def _read(region: Region, spec: FormSpec, title_cell: CellRef, book_notes: list[Note],
          consumed: set[tuple[int, int]]) -> Form | None:
    form = Form(spec, region.sheet.name, title_cell, rows=(region.first, region.last))
    form.heading = display(region.sheet.value(title_cell.row, title_cell.col))
    key = title_key(form.heading)
    form.owner = next((key[: -len(t)] for t in spec.title_names() if key.endswith(t) and key != t), "")
    labels = LabelIndex(spec)
    notes: list[Note] = []     # this form's: they name the form, known once its fields are read
    grid = read_grid(region, spec.grid, notes, "", labels.is_label) if spec.grid else None
    skip = grid.rows if grid else set()
    form.fields = read_fields(region, spec, labels, skip, notes, "")
    for m in spec.matrices:
        for fid, value in read_matrix(region, m, spec, skip, notes, "").items():
            form.fields.setdefault(fid, value)
    if grid is not None:
        form.indicators, form.branches, form.totals = grid.indicators, grid.branches, grid.totals
        form.grid_columns = [c.id for c in spec.grid.columns if c.id in grid.columns] if spec.grid else []
        for f in spec.fields:
            if f.indicator:
                ind = next((i for i in grid.indicators if label_key(f.indicator) in label_key(i.level3)), None)
                if ind is not None and f.column in ind.values and ind.values[f.column].cell is not None:
                    v = ind.values[f.column]
                    assert v.cell is not None
                    form.fields[f.id] = typed(f.type, region.sheet.value(v.cell.row, v.cell.col), v.cell, None, [],
                                              "", "")
    if spec.tasks is not None:
        form.tasks = _tasks(region, spec, skip)
    if not form.fields and grid is None:
        return None          # a title in a 目录 or a sentence, not a form
    for n in notes:
        n.message, n.table = form.label + n.message, form.label
    book_notes += notes
    form.year = _year(region, form)
    if spec.money and not any(m in form.fields for m in spec.money):
        form.missing.append("资金块")
    if spec.grid is not None and (grid is None or not grid.indicators):
        form.missing.append("指标表")
    for v in form.fields.values():
        if v.cell is not None and v.text:
            consumed.add((v.cell.row, v.cell.col))
    for ind in form.indicators:
        consumed.update((v.cell.row, v.cell.col) for v in ind.values.values() if v.cell is not None)
    consumed.update((v.cell.row, v.cell.col) for v in form.totals.values() if v.cell is not None)
    return form


def _tasks(region: Region, spec: FormSpec, skip: set[int]) -> list[tuple[str, str]]:
    """年度重点任务: under the header row naming the task columns, one task per row until the grid."""
    assert spec.tasks is not None
    names = [label_key(c) for c in spec.tasks.columns]
    for row in region.rows():
        cols = [next((c for c, _ in region.cells(row) if region.key(row, c) == n), -1) for n in names]
        if min(cols) < 0:
            continue
        out: list[tuple[str, str]] = []
        for r in range(row + 1, region.last + 1):
            if r in skip or (spec.grid is not None and find_header(Region(region.sheet, r, r), spec.grid)):
                break
            name, text = display(region.sheet.value(r, cols[0])), display(region.sheet.value(r, cols[1]))
            if label_key(name) == "分解目标" or (not name and not text and out):
                break
            if name or text:
                out.append((name, text))
        return out
    return []


def _year(region: Region, form: Form) -> int | None:
    text = form.text("year")
    for candidate in [text] + [display(region.sheet.value(r, c)) for r in range(region.first, min(region.first + 3,
                                                                                                 region.last + 1))
                               for c, _ in region.cells(r)]:
        m = _YEAR.search(candidate or "")
        if m:
            return int(m.group(0)[:4])
    m = re.match(r"\d{6}(\d{2})[A-Z]", form.code)   # 项目编码 “21020324T…”: the budget year's last two digits
    return 2000 + int(m.group(1)) if m else None


def _continues(previous: Form, form: Form) -> bool:
    """A titled region of the same template without a key of its own: the rest of the form before it."""
    return previous.spec is form.spec and not form.text(form.spec.key) and bool(form.spec.key)


def _merge(previous: Form, form: Form) -> None:
    for fid, v in form.fields.items():
        previous.fields.setdefault(fid, v)
    previous.indicators += form.indicators
    previous.branches += form.branches
    previous.totals = previous.totals or form.totals
    previous.tasks += form.tasks
    previous.rows = (previous.rows[0], form.rows[1])
    previous.missing = [m for m in previous.missing if not (m == "资金块" and any(k in previous.fields for k in previous.spec.money))
                        and not (m == "指标表" and previous.indicators)]


def _coverage(regions: list[tuple[Sheet, int, int]], consumed: dict[str, set[tuple[int, int]]]) -> Coverage:
    """Number cells of the forms: read into a field, an indicator or the 总分 row, or listed unread."""
    cov = Coverage()
    for sheet, first, last in regions:
        taken = consumed.get(sheet.name, set())
        for row in range(first, last + 1):
            for col, value in enumerate(sheet.grid[row]):
                if value.__class__ in (int, float):
                    cov.total += 1
                    if (row, col) in taken:
                        cov.read += 1
                    else:
                        cov.unread.append(CellRef(sheet.name, row, col))
    return cov
