"""The 明细 sheet (templates/line_items.yaml) and the tables' `lines:` feeds that say how each table is
built from it. Both are data: which lines a table takes, one row per what, which column each line's
amount goes to. The reader (reader/line_items.py, reader/tabulate.py) interprets them; nothing in
the code knows a particular table."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .checker import Checker
from .concepts import vocabulary
from .files import cached, load_yaml, templates_dir
from .spec import CLASSIFICATIONS, FEED_ROWS, FIELD_KINDS, LineFeed, LineField, LineItems, TableSpec

FILE = "line_items.yaml"
ANY = "*"                        # where: {procurement: "*"} — every line with a value in that field
_PART = re.compile(r"^(\w+)\[(\d)\]$")   # service[2]: the second part of "一级/二级/三级"


def line_items_file() -> Path:
    return templates_dir() / FILE


@lru_cache(maxsize=1)
def line_items() -> LineItems:
    """The 明细 sheet's definition (kept in the user's cache like the templates)."""
    return cached(line_items_file(), build_line_items, LineItems)


def build_line_items(path: Path) -> LineItems:
    check = Checker(path.name, "明细定义文件")
    data = load_yaml(path, "明细定义文件")
    if not isinstance(data, dict):
        check.fail("应有 sheet 和 fields")
    check.check_keys(data, {"sheet", "fields"})
    fields = []
    for i, raw in enumerate(check.need(data, "fields", list)):
        check.where = f"fields 第 {i + 1} 项"
        check.check_keys(raw, {"id", "header", "kind", "required", "aliases", "choices", "hint"})
        kind = check.need(raw, "kind")
        if kind not in FIELD_KINDS:
            check.fail(f"kind 应为 {'、'.join(sorted(FIELD_KINDS))} 之一")
        choices = raw.get("choices") or {}
        if kind == "choice" and (not isinstance(choices, dict) or not choices):
            check.fail("choice 列应有 choices（选项 id → 写法）")
        fields.append(LineField(check.need(raw, "id"), check.need(raw, "header"), kind, bool(raw.get("required")),
                                check.strings(raw.get("aliases"), "aliases"),
                                tuple((str(k), str(v)) for k, v in choices.items()), str(raw.get("hint") or "")))
    ids = [f.id for f in fields]
    if len(ids) != len(set(ids)):
        check.fail("fields 中有重复的 id")
    for needed in ("unit", "amount"):
        if not any(f.kind == needed for f in fields):
            check.fail(f"fields 中应有一列 kind: {needed}")
    return LineItems(check.need(data, "sheet"), tuple(fields))


def choice_wordings(field: LineField) -> dict[str, str]:
    """Every wording of every choice of a field → the choice id: its own wording and, where the id
    is a column concept (gpb, personnel, goods …), that concept's wordings too."""
    from ..text import norm

    concepts = vocabulary().concepts
    out: dict[str, str] = {}
    for cid, label in field.choices:
        concept = concepts.get(cid)
        for wording in (label, *((concept.label, *concept.synonyms) if concept else ())):
            out.setdefault(norm(wording), cid)
    return out


# --------------------------------------------------------------------------- a table's `lines:`
def build_feeds(check: Checker, raw, spec: TableSpec) -> tuple[LineFeed, ...]:
    """A table's `lines:` entries, checked against the 明细 definition and the table's own columns."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.fail("lines 应为列表，每项 {where, rows, columns | column, text}")
    items = line_items()
    amount_ids = set(spec.column_ids)
    text_ids = {c.id for p in spec.panels for c in p.columns if c.role in ("text", "unit")}
    feeds = []
    for i, entry in enumerate(raw, 1):
        where_text = f"lines 第 {i} 项"
        if not isinstance(entry, dict):
            check.fail(f"{where_text} 应为键值表")
        check.check_keys(entry, {"where", "rows", "columns", "column", "text"})
        rows = check.need(entry, "rows")
        if rows not in FEED_ROWS:
            check.fail(f"{where_text} 的 rows 应为 {'、'.join(sorted(FEED_ROWS))} 之一")
        _check_rows(check, rows, spec, where_text)
        where = []
        for fid, values in (entry.get("where") or {}).items():
            field = _field(check, items, fid, where_text)
            wanted = check.strings(values, f"where.{fid}")
            ids = {c for c, _ in field.choices}
            for v in wanted:
                if v != ANY and v not in ids:
                    check.fail(f"{where_text} 的 where.{fid} 中“{v}”不是该列的选项（{'、'.join(sorted(ids))}）")
            where.append((fid, wanted))
        by, column = "", ""
        renamed: tuple[tuple[str, str], ...] = ()
        if ("columns" in entry) == ("column" in entry):
            check.fail(f"{where_text} 应写 columns（按哪一列的选项分列）或 column（全部记入一列），二者取一")
        if "column" in entry:
            column = check.need(entry, "column")
            if column not in amount_ids:
                check.fail(f"{where_text} 的 column “{column}” 不是本表的金额列")
        else:
            spec_columns = entry["columns"]
            if isinstance(spec_columns, dict):
                check.check_keys(spec_columns, {"by", "as"})
                by = check.need(spec_columns, "by")
                renamed = tuple((str(k), str(v)) for k, v in (spec_columns.get("as") or {}).items())
            else:
                by = str(spec_columns)
            field = _field(check, items, by, where_text)
            if field.kind != "choice":
                check.fail(f"{where_text} 的 columns 应为一列选项（{by} 不是）")
            for _, target in renamed:
                if target not in amount_ids:
                    check.fail(f"{where_text} 的 columns.as 中“{target}”不是本表的金额列")
        text = []
        for cid, source in (entry.get("text") or {}).items():
            if cid not in text_ids:
                check.fail(f"{where_text} 的 text 中“{cid}”不是本表的文字列")
            m = _PART.match(str(source))
            fid, part = (m.group(1), int(m.group(2))) if m else (str(source), 0)
            _field(check, items, fid, where_text)
            text.append((str(cid), fid, part))
        feeds.append(LineFeed(rows, by, renamed, column, tuple(where), tuple(text)))
    return tuple(feeds)


def _field(check: Checker, items: LineItems, fid: str, where: str) -> LineField:
    field = items.field(str(fid))
    if field is None:
        check.fail(f"{where} 引用了明细中没有的列“{fid}”（见 templates/{FILE}）")
    return field


def _check_rows(check: Checker, rows: str, spec: TableSpec, where: str) -> None:
    kind = spec.rows.kind
    fits = {
        "unit": kind == "units",
        "project": kind == "items",
        "total": kind == "single",
    }.get(rows, kind == "classified" and rows in CLASSIFICATIONS and spec.rows.classification == rows)
    if not fits:
        check.fail(f"{where} 的 rows: {rows} 与本表的行结构（{kind}"
                   f"{'，' + spec.rows.classification if spec.rows.classification else ''}）不符")
