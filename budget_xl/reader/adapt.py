"""A template table fitted to the layout a workbook actually prints, before its rows are read.

Provinces print the same table in many ways; rather than a template per variation, the reader
fits the template to the header band it found:
- code columns: the code in one column, or split over 类/款/项 (two or three columns), whatever the
  template says — found by their header (科目编码, 功能分类科目编码 …);
- side-by-side panels of a classification (基本支出 by 经济分类 in 2, 3 or 4 panels): as many panels
  as the sheet prints;
- amount columns the template does not have (基本支出 split into 小计 / 人员经费 / 公用经费): read
  as extra columns, named by their concept where it is clear, and a 小计/合计 column over such
  sub-columns is their sum (a structural identity like any other);
- columns that are not amounts (行次, 序号, 编码) may be absent without a word.
The template's own columns keep their ids, so every identity written on them still applies.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..templates import ColumnSpec, PanelSpec, TableSpec
from ..templates.concepts import vocabulary
from ..text import norm
from .workbook import Sheet

CODE_ROLES = ("code", "code_class", "code_kuan", "code_xiang")
PARTS = {"类": "code_class", "款": "code_kuan", "项": "code_xiang"}
TOTAL_LEAVES = {"小计", "合计"}
OPTIONAL_ROLES = {"line", "seq", "text", "unit"}   # columns a layout may leave out without a word
_CODE_GROUP = "科目代码"
_SCAN_ROWS = 60   # how far down a column is looked at for amounts


@dataclass
class Fitted:
    spec: TableSpec                         # the template's table as this sheet prints it
    panels: list[dict[str, int]]            # per panel: column id -> grid column
    missing: list[ColumnSpec]               # template columns not printed (amounts and names only)
    extra: list[str]                        # ids of amount columns the template does not have


def fit(spec: TableSpec, panels: list[dict[str, int]], missing: list[ColumnSpec], paths: dict[int, list[str]],
        sheet: Sheet, data_start: int, stop: int) -> Fitted:
    new_panels = list(spec.panels)
    mappings = [dict(m) for m in panels]
    absent = list(missing)
    new_panels, mappings, absent = _class_panels(spec, new_panels, mappings, absent, paths)
    for i, panel in enumerate(new_panels):
        new_panels[i], mappings[i] = _code_columns(panel, mappings[i], paths, absent)
    absent = [c for c in absent if c.role in ("amount", "label", "percent")]
    used = {col for m in mappings for col in m.values()}
    extra: list[str] = []
    taken = {c.id for p in new_panels for c in p.columns}
    for i, panel in enumerate(new_panels):
        span = _span(i, mappings)
        added = []
        for col in sorted(paths):
            if col in used or not (span[0] <= col <= span[1]) or not _has_amounts(sheet, col, data_start, stop):
                continue
            cid = _extra_id(paths[col], taken, col)
            taken.add(cid)
            added.append((col, ColumnSpec(id=cid, role="amount", header=tuple(paths[col]), label=paths[col][-1],
                                          panel=panel.id, concept=cid if not cid.startswith("x") else "")))
            mappings[i][cid] = col
            extra.append(cid)
        if added:
            new_panels[i] = _insert(panel, mappings[i], added, paths)
    spec = spec._replace(panels=tuple(new_panels))
    return Fitted(spec, mappings, absent, extra)


def _class_panels(spec: TableSpec, panels: list[PanelSpec], mappings: list[dict[str, int]], missing: list[ColumnSpec],
                  paths: dict[int, list[str]]) -> tuple[list[PanelSpec], list[dict[str, int]], list[ColumnSpec]]:
    """Side-by-side panels of one classification (same columns in each): keep those printed, and
    read any further ones to their right."""
    if spec.rows.kind != "classified" or len(panels) < 2 or len({tuple(c.id for c in p.columns) for p in panels}) > 1:
        return panels, mappings, missing
    amount = next(c.id for c in panels[0].columns if c.is_amount)
    kept = [(p, m) for p, m in zip(panels, mappings) if amount in m]
    if not kept:
        return panels, mappings, missing
    gone = {p.id for p, m in zip(panels, mappings) if amount not in m}
    missing = [c for c in missing if c.panel not in gone]
    model, last = kept[-1]
    leaves = {c.id: {vocabulary().canonical(n) for n in c.leaf_names()} for c in model.columns}
    start = max(last.values()) + 1
    while True:
        mapping: dict[str, int] = {}
        pos = start
        for col in model.columns:
            hit = next((g for g in sorted(paths) if g >= pos and paths[g][-1] in leaves[col.id]), None)
            if hit is None or hit - pos > 3:
                if col.role in OPTIONAL_ROLES:
                    continue   # a 行次 column printed in one panel need not be in the next
                break
            mapping[col.id], pos = hit, hit + 1
        if amount not in mapping or "label" not in {c.role for c in model.columns if c.id in mapping}:
            break
        n = len(kept) + 1
        kept.append((model._replace(id=f"p{n}", classes=(), columns=tuple(c._replace(panel=f"p{n}")
                                                                          for c in model.columns)), mapping))
        start = pos
    return [p for p, _ in kept], [m for _, m in kept], missing


def _code_columns(panel: PanelSpec, mapping: dict[str, int], paths: dict[int, list[str]],
                  missing: list[ColumnSpec]) -> tuple[PanelSpec, dict[str, int]]:
    """The code as this sheet prints it: one column, or 类/款/项 columns, found by their header."""
    template_codes = [c for c in panel.columns if c.role in CODE_ROLES]
    if not template_codes or any(c.id in mapping for c in template_codes):
        return panel, mapping
    label = next((mapping[c.id] for c in panel.columns if c.role == "label" and c.id in mapping), None)
    taken = set(mapping.values())
    left = min((mapping[c.id] for c in panel.columns if c.id in mapping), default=0)
    found = [g for g in sorted(paths) if g not in taken and _CODE_GROUP in paths[g]
             and (label is None or g < label) and g >= left - 4]
    if not found:
        return panel, mapping
    parts = [g for g in found if paths[g][-1] in PARTS]
    if len(parts) >= 2:
        columns = [ColumnSpec(id=PARTS[paths[g][-1]], role=PARTS[paths[g][-1]], header=tuple(paths[g]), panel=panel.id,
                              label=paths[g][-1]) for g in parts]
        grid = parts
    else:
        columns = [ColumnSpec(id="code", role="code", header=tuple(paths[found[0]]), panel=panel.id, label="科目编码")]
        grid = found[:1]
    rest = [c for c in panel.columns if c.role not in CODE_ROLES]
    mapping = {**mapping, **{c.id: g for c, g in zip(columns, grid)}}
    for c in template_codes:
        if c in missing:
            missing.remove(c)
    return panel._replace(columns=tuple(columns) + tuple(rest)), mapping


def _span(i: int, mappings: list[dict[str, int]]) -> tuple[int, int]:
    """The grid columns panel i may claim: from its first mapped column to before the next panel."""
    first = min(mappings[i].values(), default=0)
    following = [min(m.values()) for m in mappings[i + 1:] if m]
    return first, (min(following) - 1 if following else 10_000)


def _has_amounts(sheet: Sheet, col: int, start: int, stop: int) -> bool:
    for r in range(start, min(stop, start + _SCAN_ROWS, sheet.height)):
        value = sheet.value(r, col)
        if value.__class__ is float or (isinstance(value, int) and not isinstance(value, bool)):
            return True
    return False


def _extra_id(path: list[str], taken: set[str], col: int) -> str:
    """The concept id of the column's wording when the table has no column of it yet, else x<col>."""
    leaf = norm(path[-1])
    concept = next((c.id for c in vocabulary().concepts.values() if norm(c.label) == leaf), None)
    return concept if concept and concept not in taken else f"x{col + 1}"


def _insert(panel: PanelSpec, mapping: dict[str, int], added: list[tuple[int, ColumnSpec]],
            paths: dict[int, list[str]]) -> PanelSpec:
    """The panel with the extra columns in their printed place; a template column printed under a
    deeper header than the template's takes the printed header (基本支出 → 基本支出/小计), and a
    小计/合计 column over sub-columns the template did not have is made their sum."""
    new_ids = {c.id for _, c in added}
    printed = []
    for c in sorted([c for c in panel.columns if c.id in mapping] + [c for _, c in added], key=lambda c: mapping[c.id]):
        path = tuple(paths.get(mapping[c.id], ()))
        if c.id not in new_ids and len(path) > len(c.header) and path[: len(c.header)] == tuple(
                vocabulary().canonical(norm(h)) for h in c.header):
            c = c._replace(header=path)
        printed.append(c)
    by_parent: dict[tuple[str, ...], list[ColumnSpec]] = {}
    for c in printed:
        if c.is_amount:
            by_parent.setdefault(tuple(paths.get(mapping[c.id], [])[:-1]), []).append(c)
    sums: dict[str, tuple[str, ...]] = {}
    for parent, group in by_parent.items():
        if not parent or not any(c.id in new_ids for c in group):
            continue
        totals = [c for c in group if paths[mapping[c.id]][-1] in TOTAL_LEAVES and not c.sum_of]
        parts = tuple(c.id for c in group if c not in totals)
        if len(totals) == 1 and len(parts) >= 2:
            sums[totals[0].id] = parts
    printed = [c._replace(sum_of=sums[c.id]) if c.id in sums else c for c in printed]
    unprinted = [c for c in panel.columns if c.id not in mapping]
    return panel._replace(columns=tuple(unprinted + printed))
