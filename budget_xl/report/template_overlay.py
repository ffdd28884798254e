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

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import FIXED, Disclosure, Table
from ..reader import read
from ..reader.draft import TableDraft, WorkbookDraft
from ..reader.locate import canonical
from ..templates import ColumnSpec, TableSpec, TemplateSet
from ..text import norm
from .template_yaml import CHECK, balance_lines, flow, header_lines, source, suggestion_lines, table_lines

TOTAL_WORDS = ("合计", "小计")


@dataclass
class Match:
    """A base table found where a table was drafted: its code, and the base's ids for the drafted
    columns and fixed rows that are the same thing."""
    code: str
    columns: dict[str, str] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)


def overlay_lines(wd: WorkbookDraft, template_id: str, base: TemplateSet,
                  extends: str = "") -> tuple[list[str], list[str], list[str]]:
    """(the overlay file's lines, codes of the base tables it changes, codes of the tables it adds);
    `extends` is how the file names its base (default: the base's id, a bundled template)."""
    try:
        d: Disclosure | None = read(wd.path, base)
    except InputError:
        d = None
    found = _match(wd, d, base) if d is not None else {}
    lines = header_lines(wd, template_id, base.id)
    lines += [f"extends: {flow(extends or base.id)}", f"name: {flow(template_id)}", f"source: {flow(source(wd))}"]
    labels = [t for t in wd.total_labels if t not in base.total_labels]
    if labels:
        lines.append(f"total_labels: {flow(list(base.total_labels) + labels)}")
    params: dict = {}
    lists: dict = {}
    dropped: list[str] = []
    entries: list[list[str]] = []
    changed: list[str] = []
    added: list[str] = []
    previous = ""
    for draft in wd.tables:
        match = found.get(id(draft))
        if match is None:
            entry = table_lines(draft)
            if previous:
                entry.insert(1, f"    after: {flow(previous)}")
            entries.append(entry)
            added.append(draft.spec.code)
            params.update(draft.params)
            lists.update(draft.row_lists)
            previous = draft.spec.code
            continue
        previous = match.code
        assert d is not None
        entry, drops = _changes(draft, match, base.tables[match.code], d.tables[match.code], base)
        if entry:
            entries.append(entry)
            changed.append(match.code)
            dropped += drops
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
    if dropped:
        lines.append(f"{CHECK}这些审核公式引用了本版式没有的列或行，已去掉")
        lines.append(f"drop_identities: {flow(sorted(set(dropped)))}")
    lines += balance_lines([i for draft in wd.tables if id(draft) not in found for i in draft.identities])
    by_code = _by_code(wd, found)
    lines += suggestion_lines(wd, lambda ref: _translate(ref, by_code))
    return lines, changed, added


def _by_code(wd: WorkbookDraft, found: dict[int, Match]) -> dict[str, Match]:
    return {draft.spec.code: found[id(draft)] for draft in wd.tables if id(draft) in found}


def _translate(ref: str, matches: dict[str, Match]) -> str | None:
    """A drafted table's reference (表.列[行]) in the base's ids, or None when it has none."""
    m = re.fullmatch(r"(.+)\.(\w+)\[(.+)\]", ref)
    if m is None:
        return None
    code, column, row = m.groups()
    match = matches.get(code)
    if match is None:
        return ref
    column = match.columns.get(column)
    if row != "合计":
        row = match.rows.get(row)
    return f"{match.code}.{column}[{row}]" if column and row else None


def _match(wd: WorkbookDraft, d: Disclosure, base: TemplateSet) -> dict[int, Match]:
    """Drafted table (by id()) -> the base table read at the same place, with its ids."""
    out: dict[int, Match] = {}
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
                out[id(draft)] = _ids(draft, base.tables[code], table)
                break
    return out


def _ids(draft: TableDraft, spec: TableSpec, table: Table) -> Match:
    """The base's ids of the drafted columns (the grid column the base read them from, else the same
    header or concept) and fixed rows (read from the same grid row)."""
    match = Match(spec.code)
    known = {c.id: c for p in spec.panels for c in p.columns}
    label = next((c.id for p in spec.panels for c in p.columns if c.role == "label"), "label")
    grid: dict[int, str] = {}
    for row in table.rows:
        for cid, at in (row.colmap or {}).items():
            if cid in known or cid == "label":
                grid.setdefault(at, cid if cid in known else label)
    amounts = [c for c in known.values() if c.is_amount]
    taken: set[str] = set()
    # The same header first (the base may have read a column under a label several columns share),
    # then where the base read it, then a group's 合计 printed without its parts, or the concept.
    for rule in ("header", "grid", "group"):
        for column in draft.sketch.columns:
            if column.id in match.columns:
                continue
            if rule == "grid":
                found = grid.get(column.col)
                found = found if found not in taken else None
            elif column.role != "amount":
                continue
            else:
                same = _same_column(column.printed, column.concept, [c for c in amounts if c.id not in taken], rule)
                found = same.id if same is not None else None
            if found is not None:
                match.columns[column.id] = found
                taken.add(found)
    by_place = {(r.grid_row, r.colmap.get("label")): r.key for r in table.rows if r.kind == FIXED and r.colmap}
    labels = {pid: next((c.col for c in p if c.role == "label"), None)
              for pid, p in zip(draft.shape.panel_ids, draft.sketch.panels)}
    for fixed in [r for rs in draft.shape.fixed for r in rs] + draft.shape.extra:
        places = [labels.get(fixed.panel)] if fixed.panel in labels else list(labels.values())
        key = next((k for at in places if (k := by_place.get((fixed.row, at))) is not None), None)
        if key is not None and key not in match.rows.values():
            match.rows[fixed.id] = key
    return match


def _same_column(printed: tuple[str, ...], concept: str, candidates: list[ColumnSpec], rule: str) -> ColumnSpec | None:
    """The base column a drafted one is: by `rule` "header", the same header path (in any order:
    预算数/合计 is 合计/预算数); by "group", the 合计 of a group printed without its parts (or with
    parts the base does not have), or the same concept."""
    path = [canonical(h) for h in printed]
    for c in candidates:
        header = [canonical(h) for h in c.header]
        if rule == "header" and sorted(header) == sorted(path):
            return c
        if rule == "group" and (header[:-1] == path and header[-1] in TOTAL_WORDS
                                or path[:-1] == header and path[-1] in TOTAL_WORDS):
            return c
    return next((c for c in candidates if concept and concept in (c.id, c.concept)), None) if rule == "group" else None


def _changes(draft: TableDraft, match: Match, spec: TableSpec, table: Table, base: TemplateSet) -> tuple[list[str], list[str]]:
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
    drops: list[str] = []
    simple = len(spec.panels) == 1 and len(draft.sketch.panels) == 1 and spec.rows.kind != "fixed"
    if simple and _in_order(draft, match, spec):
        items += _column_changes(draft, match, spec)
    elif not simple and not _panels_differ(draft, match, table):
        pass
    else:
        what = "列的次序" if simple else "版式"
        items.append(f"    {CHECK}本表的{what}与 {base.id} 不同，按本工作簿写出全部列（保留能对上的列、行 id）")
        whole = table_lines(draft)[1:]
        skip = ("title:", "aliases:", "code_aliases:", "unit:")
        amounts = {c.id for c in draft.sketch.amount_columns()}
        rename = {**{k: v for k, v in match.columns.items() if k in amounts}, **match.rows}
        items += [_rename(line, rename) for line in whole if not line.lstrip().startswith(skip)]
        columns = {match.columns.get(c.id, c.id) for c in draft.sketch.columns}
        rows = {match.rows.get(r.id, r.id) for r in [*(r for rs in draft.shape.fixed for r in rs), *draft.shape.extra]}
        drops = [i.id for i in base.identities if any(
            t.ref and t.ref.table == spec.code and (t.ref.column not in columns and "{col}" not in t.ref.column
                                                     or _names_row(t.ref.row) and t.ref.row not in rows)
            for t in i.left + i.right)]
        named = {*spec.diff.columns, spec.diff.total_column, *(line.column for line in spec.diff.sangong)} - {""}
        if named - columns or _names_row(spec.diff.total_row or "合计") and spec.diff.total_row not in rows:
            items.append("    diff: {}   " + CHECK + "基础模板的对比设置引用的列、行已不在，请按需补写")
    if not items:
        return [], []
    return [f"  - code: {flow(spec.code)}   # {draft.region.sheet.name.strip()}：与 {base.id} 不同之处"] + items, drops


def _in_order(draft: TableDraft, match: Match, spec: TableSpec) -> bool:
    """Whether the base columns the sheet prints come in the base's order (an overlay cannot move them)."""
    order = {c.id: i for i, c in enumerate(spec.panels[0].columns)}
    printed = [order[match.columns[c.id]] for c in draft.sketch.amount_columns() if match.columns.get(c.id) in order]
    return printed == sorted(printed)


def _names_row(row: str) -> bool:
    return row not in ("*", "合计") and not row.isdigit()


def _column_changes(draft: TableDraft, match: Match, spec: TableSpec) -> list[str]:
    items: list[str] = []
    base_cols = list(spec.panels[0].columns)
    by_id = {c.id: c for c in base_cols}
    mapped = set(match.columns.values())
    drop = [c.id for c in base_cols if c.is_amount and c.id not in mapped and not c.optional]
    if drop:
        items.append(f"    {CHECK}本工作簿不印这些列（相关公式随之去掉）")
        items.append(f"    drop_columns: {flow(drop)}")
        if any(line.column in drop for line in spec.diff.sangong):
            items.append("    diff: {}   " + CHECK + "基础模板的三公对比引用了去掉的列，请按需补写")
    add: list[dict] = []
    change: dict[str, dict] = {}
    new = {c.id for c in draft.sketch.panels[0] if c.role == "amount" and c.id not in match.columns}
    for col in draft.sketch.panels[0]:
        if col.id in new:
            match.columns[col.id] = col.id if col.id not in by_id else f"{col.id}_{col.letter}"
    previous = None
    for col in draft.sketch.panels[0]:
        if col.id in match.columns and col.id not in new:
            base_col = by_id[match.columns[col.id]]
            previous = base_col.id
            if not col.role == "amount":
                continue
            edit: dict = {}
            if tuple(canonical(h) for h in col.printed) != tuple(canonical(h) for h in base_col.header):
                edit["header"] = list(col.printed)
            parts = [match.columns.get(p) for p in col.sum_of]
            if parts and not base_col.sum_of and all(parts):
                edit["sum_of"] = parts
            if edit:
                change[base_col.id] = edit
            continue
        if col.id not in new:
            continue
        cid = match.columns[col.id]
        entry = {"id": cid, **({"concept": col.concept} if col.concept else {}), "header": list(col.printed)}
        if col.sum_of:
            entry["sum_of"] = [match.columns.get(p, p) for p in col.sum_of]
        entry["after" if previous else "before"] = previous or base_cols[0].id
        add.append(entry)
        previous = cid
    if add:
        items.append(f"    {CHECK}本工作簿多印的列（按表头推断）")
        items.append("    add_columns:")
        items += [f"      - {flow(e)}" for e in add]
    if change:
        items.append(f"    {CHECK}本工作簿印法不同的表头、按本表数字推断而基础模板没有写的合计关系")
        items.append(f"    change_columns: {flow(change)}")
    return items


def _panels_differ(draft: TableDraft, match: Match, table: Table) -> bool:
    """Whether the base misreads this panelled table: a column or a row it does not take."""
    if table.missing_columns or any(n.level == "warning" for n in table.notes):
        return True
    return any(c.id not in match.columns for c in draft.sketch.amount_columns())


def _rename(line: str, rename: dict[str, str]) -> str:
    """A drafted line with its ids replaced by the base's (whole words inside the flow text)."""
    for old, new in rename.items():
        if old != new:
            line = re.sub(rf"(?<![\w']){re.escape(old)}(?![\w'])", new, line)
    return line
