"""Template families: a variant `extends:` a base and says only what differs. The base's data is
taken whole and this file's changes are applied to it, before the result is built and checked like
any template — so a province's variant is a short file, and everything it does not mention (tables,
columns, identities, the correspondence with the 决算 set) stays the base's.

What an overlay may say (templates/README.md, “模板族与变体”):
  top level   id, name, kind, unit, source, total_labels, empty_note: replace; params, row_lists: merged
              by key; tables: per table (below); drop_tables: [codes]; identities: added, or replace the
              one with the same id; drop_identities: [ids]; versus_final: replaces.
  a table     an entry whose code the base has changes that table: any key given replaces the base's
              (title, unit, rows, columns, panels, row_identities, diff …); add_aliases / add_code_aliases
              extend the lists; drop_columns: [ids]; add_columns: [{…column…, after: id | before: id}];
              change_columns: {id: {key: value}} (on a table of columns, or of one panel of fixed rows).
              An entry with a new code adds a table (at the end, or `after: code`).
Identities and row formulas that name a dropped table or column are dropped with it; a dropped
column leaves the sum_of lists of the others.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from .checker import Checker

TABLE_KEYS = {"add_aliases", "add_code_aliases", "drop_columns", "add_columns", "change_columns", "after"}


def apply_overlay(base: dict[str, Any], overlay: dict[str, Any], check: Checker) -> dict[str, Any]:
    """The base template's data with the overlay's changes (neither argument is modified)."""
    if not isinstance(base, dict):
        check.fail("所扩展的模板文件顶层应为键值表")
    out = copy.deepcopy(base)
    out.pop("default", None)   # a variant stands for its kind only if it says so itself
    for key, value in overlay.items():
        if key in ("extends", "tables", "drop_tables", "identities", "drop_identities"):
            continue
        if key in ("params", "row_lists"):
            if not isinstance(value, dict):
                check.fail(f"{key} 应为键值表")
            out[key] = {**(out.get(key) or {}), **copy.deepcopy(value)}
        else:
            out[key] = copy.deepcopy(value)
    tables: list[dict[str, Any]] = out.setdefault("tables", [])
    dropped = set(check.strings(overlay.get("drop_tables"), "drop_tables"))
    unknown = dropped - {t.get("code") for t in tables}
    if unknown:
        check.fail(f"drop_tables 中的表 {'、'.join(sorted(unknown))} 不在所扩展的模板中")
    tables[:] = [t for t in tables if t.get("code") not in dropped]
    for i, entry in enumerate(overlay.get("tables") or []):
        check.where = f"tables 第 {i + 1} 项"
        if not isinstance(entry, dict) or "code" not in entry:
            check.fail("每一项应为键值表并写明 code")
        _apply_table(tables, copy.deepcopy(entry), check)
    check.where = ""
    dropped_columns = {(t["code"], c) for t in tables for c in t.pop("_dropped_columns", ())}
    out["identities"] = _identities(out.get("identities") or [], overlay, dropped, dropped_columns, check)
    if "versus_final" not in overlay:
        out["versus_final"] = [v for v in out.get("versus_final") or []
                               if not _names(v, dropped, dropped_columns)]
    return out


def _names(section: Any, tables: set[str], columns: set[tuple[str, str]]) -> bool:
    """Whether a versus_final section's budget side names a dropped table or column."""
    sides = [section.get("budget")] + [line.get("budget") for line in section.get("lines") or []]
    for side in sides:
        m = re.match(r"\s*([^\s.\[\]]+)\.(\w+)", str(side or ""))
        if m and (m.group(1) in tables or (m.group(1), m.group(2)) in columns):
            return True
    return False


def _apply_table(tables: list[dict[str, Any]], entry: dict[str, Any], check: Checker) -> None:
    code = entry["code"]
    index = next((i for i, t in enumerate(tables) if t.get("code") == code), None)
    # A table of the base may share its columns with another (a YAML anchor, 决算05/07): changed, it
    # gets copies of its own, so the change does not reach the other table.
    current = None if index is None else tables.__setitem__(index, copy.deepcopy(tables[index])) or tables[index]
    after = entry.pop("after", None)
    if current is None:
        extra = TABLE_KEYS & set(entry)
        if extra:
            check.fail(f"表 {code} 不在所扩展的模板中，不能用 {'、'.join(sorted(extra))}（新表请写完整）")
        position = next((i + 1 for i, t in enumerate(tables) if t.get("code") == after), None)
        if after is not None and position is None:
            check.fail(f"after 的表 “{after}” 不在模板中")
        tables.insert(len(tables) if position is None else position, entry)
        return
    for key in ("aliases", "code_aliases"):
        added = check.strings(entry.pop(f"add_{key}", None), f"add_{key}")
        if added:
            current[key] = list(dict.fromkeys([*(current.get(key) or []), *added]))
    drop = set(check.strings(entry.pop("drop_columns", None), "drop_columns"))
    add = entry.pop("add_columns", None) or []
    change = entry.pop("change_columns", None) or {}
    relaid = {"columns", "panels"} & set(entry)
    if relaid:
        # A layout written whole (columns, or panels) replaces the base's, whichever form it had; the
        # base's row formulas on columns it no longer has go with them.
        current.pop("panels" if "columns" in relaid else "columns", None)
        if "row_identities" not in entry:
            ids = {_column_id(c) for c in _layout_columns(entry)}
            current["row_identities"] = [r for r in current.get("row_identities") or []
                                         if set(re.findall(r"[A-Za-z_]\w*", str(r.get("expr", "")))) <= ids]
    current.update(entry)
    if drop or add or change:
        columns, holder = current.get("columns"), current
        panels = current.get("panels")
        if not isinstance(columns, list) and isinstance(panels, list) and len(panels) == 1 \
                and isinstance(panels[0], dict) and isinstance(panels[0].get("columns"), list):
            # One panel of fixed rows (a 政府预算 收入表): its columns are edited like a table's.
            holder = panels[0]
            columns = holder["columns"]
        if not isinstance(columns, list):
            check.fail(f"表 {code} 按面板（panels）排列：请写出完整的 panels，而不是 drop/add/change_columns")
        _edit_columns(current, columns, drop, add, change, check, holder)


def _edit_columns(table: dict[str, Any], columns: list[dict[str, Any]], drop: set[str], add: list[Any],
                  change: Any, check: Checker, holder: dict[str, Any] | None = None) -> None:
    ids = [_column_id(c) for c in columns]
    missing = drop - set(ids)
    if missing:
        check.fail(f"drop_columns 中的列 {'、'.join(sorted(missing))} 不在表 {table['code']} 中")
    kept = [c for c in columns if _column_id(c) not in drop]
    for c in kept:
        if c.get("sum_of"):
            c["sum_of"] = [p for p in c["sum_of"] if p not in drop]
    if not isinstance(change, dict):
        check.fail("change_columns 应为 {列id: {要改的项: 值}}")
    for cid, changes in change.items():
        target = next((c for c in kept if _column_id(c) == cid), None)
        if target is None or not isinstance(changes, dict):
            check.fail(f"change_columns 中的列 “{cid}” 不在表 {table['code']} 中（或未写成键值表）")
        target.update(changes)
    for column in add:
        if not isinstance(column, dict):
            check.fail("add_columns 的每一项应为一列（键值表）")
        anchor_key = "after" if "after" in column else "before" if "before" in column else None
        anchor = column.pop(anchor_key) if anchor_key else None
        at = len(kept)
        if anchor is not None:
            index = next((i for i, c in enumerate(kept) if _column_id(c) == anchor), None)
            if index is None:
                check.fail(f"add_columns 的 {anchor_key} 列 “{anchor}” 不在表 {table['code']} 中")
            at = index + 1 if anchor_key == "after" else index
        kept.insert(at, column)
    (table if holder is None else holder)["columns"] = kept
    if drop:
        table["row_identities"] = [r for r in table.get("row_identities") or []
                                   if not drop & set(re.findall(r"[A-Za-z_]\w*", str(r.get("expr", ""))))]
        diff = table.get("diff")
        if isinstance(diff, dict):
            if diff.get("columns"):
                diff["columns"] = [c for c in diff["columns"] if c not in drop]
            total = diff.get("total")
            if isinstance(total, dict) and total.get("column") in drop:
                total.pop("column")
        table["lines"] = _feeds_without(table.get("lines"), drop)
        table["_dropped_columns"] = sorted(drop)


def _feeds_without(feeds: Any, drop: set[str]) -> Any:
    """A table's `lines:` feeds without the dropped columns: a feed into a dropped column goes, a
    choice sent to one (附表3 “personnel: basic” once 基本支出 is split) goes to its own column again."""
    if not isinstance(feeds, list):
        return feeds
    out = []
    for feed in feeds:
        if not isinstance(feed, dict) or feed.get("column") in drop:
            continue
        columns = feed.get("columns")
        if isinstance(columns, dict) and isinstance(columns.get("as"), dict):
            feed = {**feed, "columns": {**columns, "as": {k: v for k, v in columns["as"].items() if v not in drop}}}
        out.append(feed)
    return out


def _layout_columns(table: dict[str, Any]) -> list[Any]:
    """Every column a table's data lists, in `columns` or in its `panels`."""
    if isinstance(table.get("columns"), list):
        return table["columns"]
    return [c for p in table.get("panels") or [] if isinstance(p, dict) for c in p.get("columns") or []]


def _column_id(column: Any) -> str:
    return str(column.get("id") or column.get("concept") or "") if isinstance(column, dict) else ""


def _identities(base: list[Any], overlay: dict[str, Any], dropped_tables: set[str],
                dropped_columns: set[tuple[str, str]], check: Checker) -> list[Any]:
    drop = set(check.strings(overlay.get("drop_identities"), "drop_identities"))
    known = {i.get("id") for i in base if isinstance(i, dict)}
    unknown = drop - known
    if unknown:
        check.fail(f"drop_identities 中的公式 {'、'.join(sorted(unknown))} 不在所扩展的模板中")
    out = [kept for i in base if i.get("id") not in drop
           if (kept := _without_dropped(i, dropped_tables, dropped_columns)) is not None]
    for item in overlay.get("identities") or []:
        if not isinstance(item, dict):
            check.fail("identities 的每一项应为键值表")
        same = next((n for n, i in enumerate(out) if i.get("id") == item.get("id")), None)
        if same is None:
            out.append(copy.deepcopy(item))
        else:
            out[same] = copy.deepcopy(item)
    return out


_REF = re.compile(r"([^\s.+\-=<>\[\]]+)\.([\w{}]+)\[")


def _without_dropped(identity: dict[str, Any], tables: set[str],
                     columns: set[tuple[str, str]]) -> dict[str, Any] | None:
    """The identity without what the overlay dropped: None when it names a dropped table or column;
    an identity written for several columns ({col}) keeps the columns still there."""
    refs = _REF.findall(str(identity.get("expr", "")))
    if any(table in tables for table, _ in refs):
        return None
    for_columns = identity.get("for_columns")
    if for_columns:
        kept = [c for c in for_columns
                if not any((t, col.replace("{col}", str(c))) in columns for t, col in refs)]
        if not kept:
            return None
        return {**identity, "for_columns": kept} if len(kept) < len(for_columns) else identity
    return None if any((t, col) in columns for t, col in refs) else identity


def base_path(name: str, overlay_path: Path, folders: list[Path]) -> Path | None:
    """The file an `extends:` names: a path beside the overlay, or a template id (a file named so)."""
    if name.endswith((".yaml", ".yml")):
        candidate = (overlay_path.parent / name)
        return candidate if candidate.is_file() else None
    for folder in folders:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None
