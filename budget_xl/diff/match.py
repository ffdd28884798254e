"""Pairing the rows of two years' tables by key, never by position, in linear time.

Rows meet by their key (unit + classification code, department, unit, fixed-row id; projects by
the template's `diff.match` columns). Two kinds of 科目调整 are told apart from a removal plus an
addition: a row whose code changed while its name and amounts did not (paired through a dict of
signatures), and a row whose name changed under the same code (a new code-list year).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from ..classification import row_key, split_code
from ..model import CLASS, DEPT, ITEM, UNIT, Row, Table
from ..text import norm

# Rows whose name is theirs to change (fixed rows and 合计 are named by the template).
_NAMED = (CLASS, DEPT, UNIT, ITEM)


@dataclass
class Pair:
    old: Row | None
    new: Row | None
    adjusted: str = ""   # 科目调整: what changed, e.g. "编码 2120102 → 2120104"

    @property
    def row(self) -> Row:
        row = self.new if self.new is not None else self.old
        assert row is not None, "a pair has a row on at least one side"
        return row


def name_of(row: Row) -> str:
    """The row's name without its code (departments carry it in the label only)."""
    if row.name:
        return row.name
    return split_code(row.label)[1] if row.kind in (DEPT, UNIT) else row.label


def _item_id(row: Row, match: tuple[str, ...]) -> str:
    """What identifies a project: the first of the template's `match` columns it fills in."""
    for cid in match:
        value = row.label if cid == "label" else row.attrs.get(cid, "")
        if value:
            return value
    return row.label


def _keys(table: Table, match: tuple[str, ...]) -> dict[str, Row]:
    """Match key → row. Projects are keyed within their unit by their identifying text, normalised
    (quotes and spacing do not matter); other rows by their reader key."""
    out: dict[str, Row] = {}
    for row in table.rows:
        # Items of an outline (transfers by item and sub-item) are keyed by their path of names, not
        # their numbered label (“15. 留抵退税…” is “11. 留抵退税…” next year).
        by_text = row.kind == ITEM and not row.name
        key = row_key(row.unit, norm(_item_id(row, match))) if by_text else row.key
        base, n = key, 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = row
    return out


def match_rows(old: Table, new: Table, match: tuple[str, ...],
               signature: Callable[[Row, bool], Hashable]) -> list[Pair]:
    """Pairs in the new table's order; a removed row follows the row it followed last year.

    `signature(row, is_old)` gives what must be equal for a code change to count as 科目调整
    (the amounts, in one unit)."""
    old_by_key = _keys(old, match)
    new_by_key = _keys(new, match)
    partner: dict[int, Row] = {}        # id(old row) -> new row
    pairs: dict[int, Pair] = {}         # id(new row) -> pair
    for key, row in new_by_key.items():
        before = old_by_key.get(key)
        pair = Pair(before, row)
        if before is not None:
            partner[id(before)] = row
            old_name, new_name = name_of(before), name_of(row)
            if (row.kind in _NAMED and old_name != new_name and old_name and new_name
                    and norm(old_name) != norm(new_name)):
                pair.adjusted = f"名称 {old_name} → {new_name}"
        pairs[id(row)] = pair
    # Code changes: an added and a removed row with the same unit, level, name and amounts.
    def code(row: Row) -> str:
        return row.code or (_item_id(row, match) if row.kind == ITEM and match[0] != "label" else "")

    added: dict[Hashable, list[Row]] = {}
    for row in new_by_key.values():
        if pairs[id(row)].old is None and row.kind in _NAMED and code(row):
            added.setdefault(_identity(row, signature(row, False)), []).append(row)
    for row in old_by_key.values():
        if id(row) in partner or row.kind not in _NAMED or not code(row):
            continue
        candidates = added.get(_identity(row, signature(row, True)))
        if candidates:
            twin = candidates.pop(0)
            partner[id(row)] = twin
            pairs[id(twin)] = Pair(row, twin, f"编码 {code(row)} → {code(twin)}")
    # Removed rows go after the old row they followed, as placed in the new order.
    position = {id(row): i for i, row in enumerate(new.rows)}
    after: dict[int, list[Row]] = {}
    last = -1
    for row in old.rows:
        if id(row) in partner:
            last = position[id(partner[id(row)])]
        else:
            after.setdefault(last, []).append(row)
    out = [Pair(row, None) for row in after.get(-1, [])]
    for i, row in enumerate(new.rows):
        if id(row) in pairs:
            out.append(pairs[id(row)])
        out.extend(Pair(r, None) for r in after.get(i, []))
    return out


def _identity(row: Row, amounts: Hashable) -> Hashable:
    level = len(row.code or "") if row.kind == CLASS else row.kind
    return (row.kind, row.unit if row.kind != UNIT else None, level, norm(name_of(row)), amounts)
