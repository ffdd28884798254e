"""`budget-xl templates draft --base 模板`: the drafted workbook written as a variant of a base
template (`extends:`), saying only what differs.

The base's tables are found in the workbook as the reader finds them (titles, codes, headers). For
each one found, the drafted table at the same place is compared with it, column by grid column: a
printed title or code mark the base does not know is added to its aliases; a column the base has
and the sheet does not print is dropped; a column the sheet prints and the base lacks is added, with
the sums it takes part in; a sum the numbers bear out and the base does not write is added to its
column. A table laid out in panels cannot be edited column by column: when its layout differs it is
written out whole, keeping the base's column and row ids where the sheet prints the same thing (so
the base's identities still name them). Tables the base does not have are added whole.
"""
from __future__ import annotations

from ..errors import InputError
from ..model import Disclosure, Table
from ..reader import read
from ..reader.draft import TableDraft, WorkbookDraft
from ..templates import TableSpec, TemplateSet
from ..text import norm
from .template_yaml import CHECK, flow, header_lines, source, suggestion_lines, table_lines


def overlay_lines(wd: WorkbookDraft, template_id: str, base: TemplateSet) -> tuple[list[str], list[str], list[str]]:
    """(the overlay file's lines, codes of the base tables it changes, codes of the tables it adds)."""
    try:
        d: Disclosure | None = read(wd.path, base)
    except InputError:
        d = None
    matched = _match(wd, d, base) if d is not None else {}
    lines = header_lines(wd, template_id, base.id)
    lines += [f"extends: {flow(base.id)}", f"name: {flow(template_id)}", f"source: {flow(source(wd))}"]
    labels = [t for t in wd.total_labels if t not in base.total_labels]
    if labels:
        lines.append(f"total_labels: {flow(list(base.total_labels) + labels)}")
    new = [draft for draft in wd.tables if id(draft) not in matched]
    params = {k: v for draft in new for k, v in draft.params.items()}
    lists = {k: v for draft in new for k, v in draft.row_lists.items()}
    dropped_ids: list[str] = []
    entries: list[list[str]] = []
    changed: list[str] = []
    previous = ""
    for draft in wd.tables:
        code = matched.get(id(draft))
        if code is None:
            entry = table_lines(draft)
            if previous:
                entry.insert(1, f"    after: {flow(previous)}")
            entries.append(entry)
            continue
        previous = code
        assert d is not None
        change, drops = _changes(draft, base.tables[code], d.tables[code], base)
        if change:
            entries.append(change)
            changed.append(code)
            dropped_ids += drops
            params.update(draft.params)
            lists.update(draft.row_lists)
    if params:
        lines.append("params:")
        lines += [f"  {flow(k)}: {flow(v)}" for k, v in params.items()]
    if lists:
        lines.append("row_lists:")
        for name, rows in lists.items():
            lines.append(f"  {flow(name)}:")
            lines += [f"    - {flow(r)}" for r in rows]
    missing = [code for code in base.tables if d is None or code not in d.tables]
    if missing:
        lines.append(f"{CHECK}本工作簿没有 {base.id} 的这些表：{'、'.join(missing)}；"
                     "如本地版式确实没有它们，可写 drop_tables: [表代码, …]")
    lines.append("tables:" if entries else "tables: []")
    for entry in entries:
        lines += entry
    if dropped_ids:
        ids = sorted(set(dropped_ids))
        lines.append(f"{CHECK}这些审核公式引用了本版式没有的列或行，已去掉")
        lines.append(f"drop_identities: {flow(ids)}")
    lines += suggestion_lines(wd)
    added = [draft.spec.code for draft in new]
    return lines, changed, added


def _match(wd: WorkbookDraft, d: Disclosure, base: TemplateSet) -> dict[int, str]:
    """Drafted table (by id()) -> code of the base table read at the same place."""
    out: dict[int, str] = {}
    for code, table in d.tables.items():
        if table.unknown or code not in base.tables:
            continue
        rows = {(r.sheet, r.grid_row) for r in table.rows}
        for draft in wd.tables:
            region = draft.region
            same_title = table.title_cell is not None and table.title_cell.sheet == region.sheet.name and \
                abs(table.title_cell.row - region.title_row) <= 3
            same_rows = bool(rows) and any((region.sheet.name, r) in rows for r in range(region.title_row, region.stop))
            if id(draft) not in out and (same_title or same_rows and table.title_cell is None):
                out[id(draft)] = code
                break
    return out


def _grid_ids(table: Table, spec: TableSpec) -> dict[int, str]:
    """Grid column -> the base template's column id, as the base read this sheet."""
    known = {c.id for p in spec.panels for c in p.columns}
    out: dict[int, str] = {}
    for row in table.rows:
        for cid, col in (row.colmap or {}).items():
            if cid in known:
                out.setdefault(col, cid)
            elif cid == "label":
                label = next((c.id for p in spec.panels for c in p.columns if c.role == "label"), None)
                if label:
                    out.setdefault(col, label)
    return out


def _changes(draft: TableDraft, spec: TableSpec, table: Table, base: TemplateSet) -> tuple[list[str], list[str]]:
    """The overlay entry of a base table (empty when nothing differs), and identities to drop."""
    items: list[str] = []
    title = draft.data["title"]
    if norm(title) not in spec.title_names():
        items.append(f"    add_aliases: {flow([title])}")
    mark = draft.region.mark
    if mark and norm(mark) not in spec.code_names() and norm(mark).removesuffix("表") not in spec.code_names():
        items.append(f"    add_code_aliases: {flow([mark])}")
    if draft.sketch.unit and draft.sketch.unit != spec.unit:
        items.append(f"    unit: {draft.sketch.unit}")
    grid = _grid_ids(table, spec)
    drafted = {c.col: c for c in draft.sketch.columns}
    rename = {c.id: grid[col] for col, c in drafted.items() if col in grid}
    drops: list[str] = []
    if len(spec.panels) == 1 and len(draft.sketch.panels) == 1 and spec.rows.kind != "fixed":
        items += _column_changes(draft, spec, table, grid, rename)
    elif _panels_differ(draft, spec, table, grid):
        items.append(f"    {CHECK}本表的版式与 {base.id} 不同，按本工作簿写出全部面板（保留能对上的列 id）")
        whole = table_lines(draft)
        body = [line.replace("  - code:", "    #", 1) if i == 0 else line for i, line in enumerate(whole)]
        items += [line for line in body[1:] if not line.lstrip().startswith(("title:", "aliases:", "code_aliases:", "unit:"))]
        items = [_rename(line, rename) for line in items]
        kept = set(rename.values()) | {c.id for c in draft.sketch.columns if c.id not in rename}
        drops = [i.id for i in base.identities if any(
            t.ref and t.ref.table == spec.code and t.ref.column not in kept and "{col}" not in t.ref.column
            for t in i.left + i.right)]
    if not items:
        return [], []
    return [f"  - code: {flow(spec.code)}   # {draft.region.sheet.name.strip()}：与 {base.id} 不同之处"] + items, drops


def _column_changes(draft: TableDraft, spec: TableSpec, table: Table, grid: dict[int, str],
                    rename: dict[str, str]) -> list[str]:
    items: list[str] = []
    base_cols = list(spec.panels[0].columns)
    mapped = set(grid.values())
    if table.rows:
        drop = [c.id for c in base_cols if c.is_amount and c.id not in mapped and not c.optional]
        if drop:
            items.append(f"    {CHECK}本工作簿不印这些列（相关公式随之去掉）")
            items.append(f"    drop_columns: {flow(drop)}")
    add, change = [], {}
    previous = None
    for col in draft.sketch.panels[0]:
        if col.col in grid:
            previous = grid[col.col]
            base_col = spec.panels[0].columns[[c.id for c in base_cols].index(grid[col.col])]
            parts = [rename.get(p, p) for p in col.sum_of]
            if parts and not base_col.sum_of and all(p in mapped or p not in rename for p in col.sum_of):
                change[base_col.id] = {"sum_of": parts}
            continue
        if col.role != "amount":
            continue
        entry = {"id": col.id, **({"concept": col.concept} if col.concept else {}), "header": list(col.printed)}
        if col.sum_of:
            entry["sum_of"] = [rename.get(p, p) for p in col.sum_of]
        entry["after" if previous else "before"] = previous or base_cols[0].id
        add.append(entry)
        previous = col.id
    if add:
        items.append(f"    {CHECK}本工作簿多印的列（按表头推断）")
        items.append("    add_columns:")
        items += [f"      - {flow(e)}" for e in add]
    if change:
        items.append(f"    {CHECK}按本表数字推断的合计关系（基础模板没有写）")
        items.append(f"    change_columns: {flow(change)}")
    return items


def _panels_differ(draft: TableDraft, spec: TableSpec, table: Table, grid: dict[int, str]) -> bool:
    """Whether the base misreads this panelled table: a column or a row it does not take."""
    if table.missing_columns or any(n.level == "warning" for n in table.notes):
        return True
    amounts = {c.col for c in draft.sketch.amount_columns()}
    return not amounts <= set(grid)


def _rename(line: str, rename: dict[str, str]) -> str:
    """A drafted line with its column ids replaced by the base's (whole words inside the flow text)."""
    import re

    for old, new in rename.items():
        if old != new:
            line = re.sub(rf"(?<![\w]){re.escape(old)}(?![\w])", new, line)
    return line
