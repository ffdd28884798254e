"""budget_xl.read(): any disclosure workbook → a Disclosure of keyed, exact tables.

Steps: load every sheet (calamine), find table anchors (titles and codes of the template's
tables), find each table's header band and map its columns, parse the rows of each piece (page
continuations included), then find the department, year and units the workbook states.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..files import printable
from ..gcpause import without_cycle_collection
from ..model import CellRef, Disclosure, Note, Table
from ..templates import TableSpec, TemplateSet, get_template, load_all
from .adapt import fit
from .coverage import measure
from .draft import column_map, unknown_tables
from .evidence import evidence_of
from .forms import OnlyForms, forms_in, read_performance
from .line_items import LineSheet, find_line_sheet
from .locate import ColumnMap, TitleIndex, band_texts, column_paths, column_periods, find_anchors, find_header, header_vocabulary, map_columns, title_hits
from .meta import find_department, find_unit, find_year, issuer_of_titles, printed_decimals
from .rows import TableBuilder
from .tabulate import lines_only, lines_template_name, with_lines
from .workbook import Sheet, load_sheets

__all__ = ["OnlyForms", "read", "read_performance"]

OTHER_SHEET_ROWS = 2000  # a sheet without tables is kept for its text (补充信息, 说明) up to this size


@dataclass
class Piece:
    sheet: Sheet
    spec: TableSpec
    cmap: ColumnMap
    start: int   # first data row
    stop: int    # end of the region (exclusive)
    title_row: int
    title_cell: tuple[int, int] | None
    template_spec: TableSpec       # the template's table (spec is it fitted to this sheet: reader/adapt.py)


@without_cycle_collection
def read(path: str | Path, template: str | TemplateSet | None = None, *,
         year: int | None = None, department: str | None = None) -> Disclosure:
    """Read every official table of a workbook.

    `template` forces a table set (its id, kind, or a TemplateSet); by default the set whose
    tables are found is chosen. `year` and `department` fill in what the workbook does not state.
    """
    path = Path(path)
    sheets = load_sheets(path)
    if isinstance(template, TemplateSet):
        candidates = [template]
    elif template:
        candidates = [get_template(template)]
    else:
        candidates = list(load_all())
    line_sheet = find_line_sheet(sheets)
    if line_sheet is not None:
        # The 明细 sheet is what the tables are made of: the table sheets around it (a workbook from
        # `init`) only tell the template; the sheet itself is no table and no other text.
        sheets_of_tables = [s for s in sheets if s is not line_sheet.sheet]
    else:
        sheets_of_tables = sheets
    index = TitleIndex(candidates)
    hits = {id(sheet): title_hits(sheet, index) for sheet in sheets_of_tables}
    found = [(ts, pieces) for ts in candidates if (pieces := _locate(sheets_of_tables, ts, hits))]
    if not found and line_sheet is not None:
        return lines_only(path, sheets, line_sheet, _lines_template(line_sheet, sheets, template), year, department)
    # 绩效 forms (年度绩效目标表, 自评表 …) on the sheets no table took: read by the form reader, and
    # kept out of the search for tables no template knows.
    taken = {p.sheet.name for _, pieces in found for p in pieces}
    book = forms_in([s for s in sheets_of_tables if s.name not in taken], path)
    if book is not None:
        sheets_of_tables = [s for s in sheets_of_tables if s.name not in book.sheets]
        if not found:
            raise OnlyForms(book)
    if not found:
        names = "、".join(s.name for s in sheets) or "（无工作表）"
        tried = "、".join(ts.id for ts in candidates)
        raise InputError(f"{path.name} 中没有找到任何公开表（也没有绩效表；工作表：{names}）。已按这些模板查找：{tried}；"
                         f"若表格式与内置模板都不同，可用 budget-xl templates draft 起草一个模板，再用 --template 指定。")
    ranked = sorted(((evidence_of(ts, pieces), pieces) for ts, pieces in found), key=lambda e: e[0].score,
                    reverse=True)
    if len(ranked) > 1 and ranked[0][0].score == ranked[1][0].score:
        tied = "；".join(e.describe() for e, _ in ranked if e.score == ranked[0][0].score)
        raise InputError(f"{path.name} 同样符合多个模板（{tied}），无法判断：请用 --template 指定其中一个。")
    (best, pieces), runner_up = ranked[0], (ranked[1][0] if len(ranked) > 1 else None)
    d = _build(path, sheets_of_tables, best.template, pieces, year, department)
    d.performance = book
    d.evidence = [best] + ([runner_up] if runner_up else [])
    if line_sheet is not None:
        with_lines(d, line_sheet)
    return d


def _lines_template(line_sheet: LineSheet, sheets: list[Sheet], template: str | TemplateSet | None) -> TemplateSet:
    """The table set a workbook holding only a 明细 is for: the one asked for, the one `init` named
    (“模板：部门预算-辽宁” on its 说明 and 明细 sheets), or the default 部门预算 set."""
    if isinstance(template, TemplateSet):
        return template
    if template:
        return get_template(template)
    named = lines_template_name(line_sheet, sheets)
    return get_template(named or "部门预算")


def _locate(sheets: list[Sheet], ts: TemplateSet, hits: dict[int, list]) -> list[Piece]:
    pieces: list[Piece] = []
    vocab_cache: dict[str, set[str]] = {}

    def vocab(spec: TableSpec) -> set[str]:
        if spec.code not in vocab_cache:
            vocab_cache[spec.code] = header_vocabulary(spec)
        return vocab_cache[spec.code]

    def piece_at(sheet: Sheet, spec: TableSpec, start: int, stop: int, title_row: int, title_cell) -> Piece | None:
        band = find_header(sheet, spec, start, stop, vocab(spec), ts.total_names)
        if band is None:
            return None
        texts = band_texts(sheet, *band)   # once, for the header words and their years
        paths = column_paths(sheet, *band, band=texts)
        cmap = map_columns(spec, paths, column_periods(sheet, *band, start=title_row if title_row >= 0 else start, band=texts))
        cmap.header_rows = band
        label_found = any(m for m in cmap.panels)
        if not label_found:
            return None
        template_spec = ts.tables.get(spec.code, spec)
        fitted = fit(spec, cmap.panels, cmap.missing, paths, sheet, band[1] + 1, stop)
        cmap.panels, cmap.missing = fitted.panels, fitted.missing
        return Piece(sheet, fitted.spec, cmap, band[1] + 1, stop, title_row, title_cell, template_spec)

    visible = [s for s in sheets if not s.hidden]
    hidden = [s for s in sheets if s.hidden]
    for group in (visible, hidden):
        for sheet in group:
            anchors = find_anchors(hits[id(sheet)], ts)
            first_anchor = anchors[0].row if anchors else sheet.height
            # A sheet (or its top) without a title may continue the previous table.
            if pieces and group is visible and first_anchor > 0:
                prev = pieces[-1]
                piece = piece_at(sheet, prev.spec, 0, first_anchor, -1, None)
                if piece is not None:
                    pieces.append(piece)
            for i, anchor in enumerate(anchors):
                if group is hidden and any(p.spec.code == anchor.spec.code for p in pieces):
                    continue  # hidden copies of tables found on visible sheets are ignored
                stop = anchors[i + 1].row if i + 1 < len(anchors) else sheet.height
                piece = piece_at(sheet, anchor.spec, anchor.row + 1, stop, anchor.row, anchor.cell)
                if piece is not None:
                    pieces.append(piece)
    return pieces


def _build(path: Path, sheets: list[Sheet], ts: TemplateSet, pieces: list[Piece],
           year: int | None, department: str | None) -> Disclosure:
    builders: dict[str, TableBuilder] = {}
    for piece in pieces:
        spec = piece.spec
        builder = builders.get(spec.code)
        if builder is None:
            unit = find_unit(piece.sheet, piece.title_row, piece.cmap.header_rows[0]) or spec.unit
            builder = builders[spec.code] = TableBuilder(spec, ts, unit)
            builder.table.decimals = spec.decimals
            if piece.title_cell:
                builder.table.title_cell = CellRef(piece.sheet.name, *piece.title_cell)
            header_row = piece.cmap.header_rows[1]
            builder.table.header_cells = {cid: CellRef(piece.sheet.name, header_row, col)
                                          for mapping in piece.cmap.panels for cid, col in mapping.items()}
            for col in piece.cmap.missing:
                if col.optional and (col.is_amount or col.is_percent):   # not printed by this layout
                    builder.table.absent_columns.append(col.id)
                # Code columns may be absent: the codes are then read from the name cells. A missing
                # amount column is listed by `show` and reported by `check` with what it blocks.
                if not col.optional and not col.role.startswith("code"):
                    builder.table.missing_columns.append(col.id)
        builder.add_piece(piece.sheet, piece.cmap, piece.start, piece.stop, header_vocabulary(spec))
    tables: dict[str, Table] = {code: builders[code].table for code in ts.tables if code in builders}
    # Titled tables no template table claimed are read by their header and checked all the same.
    for draft in unknown_tables(sheets, _claimed(pieces, tables), ts, set(tables) | set(ts.tables)):
        tables[draft.spec.code] = draft.table
        sk = draft.sketch
        pieces.append(Piece(sk.sheet, draft.spec, column_map(sk), sk.start, sk.region.stop, sk.region.title_row,
                            sk.region.title_cell, draft.spec))
    used = {p.sheet.name for p in pieces}
    disclosure = Disclosure(
        path=path, template=ts, tables=tables,
        skipped_sheets=[s.name for s in sheets if s.name not in used],
        other_sheets={s.name: s.grid for s in sheets if s.name not in used and s.height <= OTHER_SHEET_ROWS},
    )
    disclosure.coverage = measure(sheets, pieces, tables)
    for table in tables.values():
        table.decimals = printed_decimals(table)
    disclosure.year = year or find_year(sheets, pieces)
    disclosure.department = department or find_department(sheets, tables)
    if disclosure.department is None and "{部门}" in ts.title_prefix:
        # A set that prints its issuer in every title (“2023年大连市西岗区一般公共预算收入表”) names it there.
        disclosure.department = issuer_of_titles([(p.sheet, p.title_cell, p.template_spec) for p in pieces])
    disclosure.notes.extend(_cleaned_notes(sheets))
    for table in tables.values():
        disclosure.notes.extend(table.notes)
        if not table.unknown and table.unit != ts.tables[table.code].unit:
            disclosure.notes.append(Note("info", f"{table.code} 的金额单位是{table.unit}（模板为{ts.tables[table.code].unit}）",
                                         table=table.code))
    return disclosure


def _cleaned_notes(sheets: list[Sheet]) -> list[Note]:
    """Where control characters were taken out of the text read (workbook.load_sheets)."""
    notes = []
    for s in sheets:
        if s.renamed_from is not None:
            notes.append(Note("warning", f"工作表名“{printable(s.renamed_from)}”含控制字符（不可见字符），已删除，按“{s.name}”读取"))
        if s.cleaned:
            notes.append(Note("warning", f"工作表“{s.name}”有 {len(s.cleaned)} 个单元格的文字含控制字符（不可见字符），"
                                         f"读取时已删除：请在原表中删去它们", CellRef(s.name, *s.cleaned[0])))
    return notes


def _claimed(pieces: list[Piece], tables: dict[str, Table]) -> dict[str, list[tuple[int, int]]]:
    """Per sheet, the rows each template table took: from its title (or header) to its last row read."""
    read_rows: dict[str, list[int]] = {}
    for table in tables.values():
        for row in table.rows:
            if row.sheet is not None:
                read_rows.setdefault(row.sheet, []).append(row.grid_row)
    out: dict[str, list[tuple[int, int]]] = {}
    for piece in pieces:
        first, last = piece.cmap.header_rows
        rows = [r for r in read_rows.get(piece.sheet.name, ()) if piece.start <= r < piece.stop]
        top = piece.title_row if piece.title_row >= 0 else first
        out.setdefault(piece.sheet.name, []).append((min(top, first), max(rows, default=last)))
    return out
