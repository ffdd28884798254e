"""The sums of a drafted table, each kept only if the sheet's own numbers bear it out.

Candidates come from the layout: a 合计/小计 column over its sibling columns (a group's own 小计
standing for the group), a fixed row over the rows its ordinals put under it (一、 > （一） > 1． >
（1）; 其中 rows are parts of a row, not summands), a 合计/总计 row at the bottom over the rows above
it (and the total before it), 人员经费合计 in a classified table over the 类 of the panels it spans.
A candidate is tried on every row (every column for a row sum) where it has amounts; it is kept when
it holds wherever it is tried (within 尾数误差 in 万元), so it is never a false alarm on the sheet it
was drafted from. One planted mistake must still be caught: a candidate failing on a single row of
many, or failing where the same sum under another group holds (预算数 and 决算数 of a 三公 table), is
kept too, and the mistake is then reported where it is.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..classification import is_class
from ..model import CLASS, Row, Table
from ..money import rounding_envelope
from .rowshape import FixedLine, Shape
from .sketch import TOTALS, Column, Sketch

HALF_CENT = Decimal("0.005")
MAX_RUN_ROWS = 60
ZERO = Decimal(0)
Sum = list[str] | str | dict   # a fixed row's sum_of as written in a template


@dataclass
class Evidence:
    holds: int = 0          # instances where the sum holds and the total is not 0
    trivial: int = 0        # instances where it holds with everything 0
    fails: int = 0
    unitemised: int = 0     # a total whose parts are all blank: the layout, not a mistake — no sum

    def add(self, other: Evidence) -> None:
        self.holds += other.holds
        self.trivial += other.trivial
        self.fails += other.fails
        self.unitemised += other.unitemised

    @property
    def strict(self) -> bool:
        return self.fails == 0 and self.holds > 0 and not self.unitemised

    def tolerant(self, pooled: bool = False) -> bool:
        """Holds on nearly every row (three in four, and three at least); or, pooled with the same
        sum elsewhere, failing once where it holds as often."""
        if self.strict:
            return True
        if self.unitemised:
            return False
        many = self.holds >= 3 and self.fails * 3 <= self.holds   # three rows in four at least
        return many or (pooled and self.fails == 1 and self.holds >= 1)

    def mostly(self) -> bool:
        """A row sum tried in several columns holding in at least as many as it fails."""
        return not self.unitemised and self.holds >= 1 and self.holds >= self.fails and self.holds + self.fails > 1


@dataclass
class Sums:
    rows: dict[str, Sum] = field(default_factory=dict)        # fixed row id -> sum_of
    params: dict[str, list[str]] = field(default_factory=dict)
    remarks: dict[str, str] = field(default_factory=dict)     # "col:<id>" / "row:<id>" -> remark


def _test(unit: str, total: Decimal | None, parts: Sequence[Decimal | None], ev: Evidence) -> None:
    if total is None and all(p is None for p in parts):
        return
    t = total or ZERO
    s = sum((p or ZERO for p in parts), ZERO)
    tolerance = rounding_envelope(len(parts) + 1) if unit == "万元" else HALF_CENT - Decimal("0.000001")
    if abs(t - s) <= tolerance:
        if t:
            ev.holds += 1
        else:
            ev.trivial += 1
    elif all(p is None for p in parts):
        ev.unitemised += 1
    else:
        ev.fails += 1


# --------------------------------------------------------------------------- columns
def _total_at(path: tuple[str, ...]) -> int | None:
    """The level of the last 合计/小计/总计 in a header path."""
    hits = [i for i, word in enumerate(path) if any(t in word for t in TOTALS)]
    return hits[-1] if hits else None


def column_candidates(panel: list[Column]) -> list[tuple[Column, list[list[Column]], tuple]]:
    """(total column, candidate part lists, signature) for each 合计/小计 column of a panel."""
    amounts = [c for c in panel if c.role == "amount"]
    out = []
    for col in amounts:
        k = _total_at(col.printed)
        if k is None:
            continue
        prefix, suffix = col.printed[:k], col.printed[k + 1:]
        under = [c for c in amounts if c is not col and len(c.printed) > k and c.printed[:k] == prefix
                 and (not suffix or c.printed[-len(suffix):] == suffix) and _total_at(c.printed[:k + 1]) is None]
        groups: dict[str, list[Column]] = {}
        for c in under:
            groups.setdefault(c.printed[k], []).append(c)
        grouped, leaves = [], []
        for members in groups.values():
            own = [c for c in members if _total_at(c.printed) == k + 1]
            grouped += own[:1] if own else [c for c in members if _total_at(c.printed) is None]
            leaves += [c for c in members if _total_at(c.printed) is None]
        if not grouped:
            continue
        candidates = [grouped] + ([leaves] if leaves and leaves != grouped else [])
        signature = (col.printed[k], tuple(sorted(c.printed[k] for c in grouped)))
        out.append((col, candidates, signature))
    return out


def column_sums(sk: Sketch, table: Table, unit: str) -> None:
    """Set `sum_of` on the 合计/小计 columns whose sums the rows bear out."""
    found = []
    panels = sk.panels[:1] if _shared(sk) else sk.panels
    for panel in panels:
        found += column_candidates(panel)
    pooled: dict[tuple, Evidence] = {}
    tried = []
    for col, candidates, signature in found:
        evidence = [_column_evidence(table, col, parts, unit) for parts in candidates]
        tried.append((col, candidates, signature, evidence))
        pooled.setdefault(signature, Evidence()).add(evidence[0])
    count = {s: sum(1 for *_, sig, _ in tried if sig == s) for s in pooled}
    for col, candidates, signature, evidence in tried:
        chosen = next((parts for parts, ev in zip(candidates, evidence) if ev.strict), None)
        if chosen is None and (evidence[0].tolerant() or
                               count[signature] > 1 and pooled[signature].tolerant(pooled=True)):
            chosen = candidates[0]
        if chosen is not None:
            col.sum_of = tuple(c.id for c in chosen)
            failed = evidence[candidates.index(chosen)].fails
            if failed:
                col.remark = (col.remark + "；" if col.remark else "") + f"有 {failed} 行不符，可能是填错了"
    if _shared(sk):
        by_id = {c.id: c.sum_of for c in sk.panels[0]}
        for panel in sk.panels[1:]:
            for c in panel:
                c.sum_of = by_id.get(c.id, ())


def _shared(sk: Sketch) -> bool:
    return sk.shared


def _column_evidence(table: Table, col: Column, parts: list[Column], unit: str) -> Evidence:
    ev = Evidence()
    ids = [p.id for p in parts]
    for row in table.rows:
        amounts = row.amounts
        if col.id not in amounts:
            continue
        _test(unit, amounts.get(col.id), [amounts.get(i) for i in ids], ev)
    return ev


# --------------------------------------------------------------------------- fixed rows
class _RowTester:
    def __init__(self, table: Table, unit: str):
        self.rows = {r.key: r for r in table.rows}
        self.unit = unit

    def evidence(self, total: str, parts: list[str]) -> Evidence:
        ev = Evidence()
        row = self.rows.get(total)
        members = [self.rows.get(p) for p in parts]
        if row is None or not parts:
            return ev
        for column in row.amounts:
            _test(self.unit, row.amounts.get(column), [m.amounts.get(column) if m else None for m in members], ev)
        return ev

    def valued(self, rid: str) -> bool:
        row = self.rows.get(rid)
        return row is not None and any(v for v in row.amounts.values())


def fixed_sums(shape: Shape, table: Table, unit: str) -> Sums:
    out = Sums()
    tester = _RowTester(table, unit)
    pending: list[tuple[str, list[str], dict[str, FixedLine]]] = []
    for rows in shape.fixed:
        pending += _panel_sums(rows, tester, out)
    if len(out.rows) >= 2:      # the structure is borne out elsewhere: a failing one is a mistake
        for rid, parts, by_id in pending:
            ev = tester.evidence(rid, parts)
            if ev.fails <= 1 and ev.holds + ev.fails and not ev.unitemised:
                _keep(out, rid, parts, by_id, "按表的结构", checked=False)
    return out


def _tree(rows: list[FixedLine]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Parent and children of each row by its ordinal (an unnumbered row under a numbered one
    belongs to it; a bottom total closes everything above)."""
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    stack: list[tuple[float, str]] = []
    previous: FixedLine | None = None
    numbered = any(r.level for r in rows)
    for row in rows:
        if row.within:
            if previous is not None:
                parent[row.id] = previous.id
            continue
        previous = row
        if row.total and not row.level:
            stack = []
            continue
        if row.level:
            depth: float = row.level
        else:
            base = max((d for d, _ in stack if d == int(d)), default=None)
            if base is None or not numbered:
                stack = []
                continue
            depth = base + 0.5
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parent[row.id] = stack[-1][1]
            children.setdefault(stack[-1][1], []).append(row.id)
        stack.append((depth, row.id))
    return parent, children


def _panel_sums(rows: list[FixedLine], tester: _RowTester, out: Sums) -> list[tuple[str, list[str], dict[str, FixedLine]]]:
    """Keep the sums of one panel's rows that hold; return the structural ones that fail (for the
    table's evidence)."""
    parent, children = _tree(rows)
    by_id = {r.id: r for r in rows}
    pending: list[tuple[str, list[str]]] = []     # failing structural sums, for the table's evidence
    for rid, kids in children.items():
        if not tester.valued(rid):
            continue
        candidates = [kids] + [kids[:m] for m in range(len(kids) - 1, 1, -1)]
        chosen = next((c for c in candidates if tester.evidence(rid, c).strict), None)
        if chosen is not None:
            _keep(out, rid, chosen, by_id, "其下各行")
        elif tester.evidence(rid, kids).mostly():
            _keep(out, rid, kids, by_id, "其下各行", checked=False)
        elif len(kids) >= 2 and all(by_id[k].level for k in kids):
            pending.append((rid, kids))
    previous: str | None = None
    segment: list[FixedLine] = []
    for row in rows:
        if not (row.total and not row.level and row.id not in children):
            if not row.within:
                segment.append(row)
            continue
        if tester.valued(row.id):
            tops = [r for r in segment if r.id not in parent]
            done = _bottom_total(row, previous, tops, tester, out, by_id)
            if not done and (tops or previous):
                pending.append((row.id, ([previous] if previous else []) + [r.id for r in tops]))
        previous, segment = row.id, []
    return [(rid, parts, by_id) for rid, parts in pending]


def _bottom_total(row: FixedLine, previous: str | None, tops: list[FixedLine], tester: _RowTester,
                  out: Sums, by_id: dict[str, FixedLine]) -> bool:
    head = [previous] if previous else []
    ids = [r.id for r in tops]
    if not head and tops and all(r.is_class for r in tops) and tester.evidence(row.id, ids).strict:
        out.rows[row.id] = "classes"
        out.remarks[f"row:{row.id}"] = f"按本表数字推断：{row.label} = 本栏各类之和"
        return True
    if ids or head:
        if tester.evidence(row.id, head + ids).strict:
            _keep(out, row.id, head + ids, by_id, "上方各行")
            return True
    runs = _runs(tops, tester)
    if runs:
        rest = head + [r.id for r in tops if not any(r.id in kids for kids in runs.values())]
        if tester.evidence(row.id, rest).strict:
            for rid, kids in runs.items():
                _keep(out, rid, kids, by_id, "其下各行")
            _keep(out, row.id, rest, by_id, "上方各行")
            return True
    for m in range(len(ids) - 1, -1 if head else 1, -1):
        if tester.evidence(row.id, head + ids[:m]).strict:
            _keep(out, row.id, head + ids[:m], by_id, "上方各行")
            return True
    if tester.evidence(row.id, head + ids).mostly():
        _keep(out, row.id, head + ids, by_id, "上方各行", checked=False)
        return True
    return False


def _runs(tops: list[FixedLine], tester: _RowTester) -> dict[str, list[str]]:
    """Rows equal to the sum of the rows right below them (一、基本支出 over 二、人员经费 and 三、公用经费
    when a 收支总表 numbers them alike): the longest such run that holds."""
    out: dict[str, list[str]] = {}
    consumed: set[str] = set()
    if len(tops) > MAX_RUN_ROWS:    # a long list is no 收支总表 column: not worth the quadratic search
        return out
    for i, row in enumerate(tops):
        if row.id in consumed or row.total or not tester.valued(row.id):
            continue
        after = []
        for other in tops[i + 1:]:
            if other.total:
                break
            after.append(other.id)
        for k in range(len(after), 1, -1):
            if tester.evidence(row.id, after[:k]).strict:
                out[row.id] = after[:k]
                consumed.update(after[:k])
                break
    return out


def _keep(out: Sums, rid: str, parts: list[str], by_id: dict[str, FixedLine], how: str, checked: bool = True) -> None:
    out.rows[rid] = list(parts)
    labels = [by_id[p].label for p in parts if p in by_id]
    names = "、".join(labels) if len(labels) <= 6 else f"{'、'.join(labels[:3])}……{labels[-1]} {len(labels)} 行"
    basis = "按本表数字推断" if checked else "按表的结构推断（本表数字并不全都相符，请核对是否有误）"
    out.remarks[f"row:{rid}"] = f"{basis}：{by_id[rid].label} = {names}之和（{how}）"


# --------------------------------------------------------------------------- classified tables
def extra_sums(sk: Sketch, shape: Shape, table: Table, unit: str, prefix: str = "") -> Sums:
    """人员经费合计 / 公用经费合计 of a classified table: the 类 of the panels the row's label spans
    (its own panel, or every panel, if that is what holds)."""
    out = Sums()
    if not shape.extra:
        return out
    spans = [(min(c.col for c in p), max(c.col for c in p)) for p in sk.panels]
    label_cols = {next((c.col for c in p if c.role == "label"), -1): i for i, p in enumerate(sk.panels)}
    classes: list[list[Row]] = [[] for _ in sk.panels]
    for member in table.rows:
        if member.kind == CLASS and member.code and is_class(member.code) and member.colmap:
            i = label_cols.get(member.colmap.get("label", -2))
            if i is not None:
                classes[i].append(member)
    rows = {r.key: r for r in table.rows}
    for extra in shape.extra:
        row = rows.get(extra.id)
        if row is None or not row.colmap:
            continue
        cols = list(row.colmap.values()) + _merged_span(sk, extra.row, row.colmap.get("label"))
        spanned = [i for i, (a, b) in enumerate(spans) if any(a <= c <= b for c in cols)]
        own = label_cols.get(row.colmap.get("label", -2))
        options = [spanned, [own] if own is not None else [], list(range(len(sk.panels)))]
        held = None
        for panels in options:
            members = [r for i in panels for r in classes[i]]
            ev = Evidence()
            for column, value in row.amounts.items():
                _test(unit, value, [m.amounts.get(column) for m in members], ev)
            if members and ev.strict:
                held = members
                break
        members = held or [r for i in spanned for r in classes[i]]   # failing everywhere: what it spans
        if members and any(v is not None for v in row.amounts.values()):
            param = f"{prefix}{extra.id}_classes"
            out.params[param] = sorted({m.code for m in members if m.code})
            out.rows[extra.id] = {"classes": param}
            basis = "按本表数字推断" if held else "按表的结构推断（本表数字并不相符，请核对是否有误）"
            out.remarks[f"row:{extra.id}"] = f"{basis}：{extra.label} = {'、'.join(out.params[param])} 类之和"
    return out


def _merged_span(sk: Sketch, r: int, c: int | None) -> list[int]:
    if c is None:
        return []
    for r1, c1, r2, c2 in sk.sheet.merges:
        if r1 <= r <= r2 and c1 <= c <= c2:
            return [c1, c2]
    return []
