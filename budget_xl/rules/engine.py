"""The rules engine: every identity of a disclosure as an equation over cells, evaluated exactly.

Equations come from two places, both in the template: the structure (column sum_of, row
identities, the classification hierarchy, unit/department/合计 rows, fixed-row sum_of) and the
explicit `identities:` list. One mechanism evaluates them all; nothing here names a table.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Disclosure, Row, Table
from ..money import fmt
from ..references import Amount, Scope, amount_of, each_keys, has_column, resolve, resolve_values
from ..structure import row_sums
from ..templates import Identity, TemplateSet
from .catalogue import BY_ID

NAMES = {rule_id: r.name for rule_id, r in BY_ID.items()}  # what a report calls each built-in rule
_STRUCTURE_NAMES = set(NAMES.values())

ZERO = Decimal(0)
HALF_CENT = Decimal("0.005")
HALF = Decimal("0.5")   # half a whole 万元: the 尾数 of an amount printed without decimals
TEN_THOUSAND = Decimal(10000)


@dataclass(slots=True)  # slots: made for every identity of every row
class Equation:
    rule: str
    text: str
    level: str                       # error | warning (what a real difference is)
    tables: tuple[str, ...]
    left: list[Amount]
    right: list[Amount]
    op: str = "="
    status: str = ""                 # ok | rounding | fail, after evaluate()
    diff: Decimal = ZERO             # left − right, in `unit`
    unit: str = "元"
    tolerance: Decimal = ZERO
    site: str = ""                   # where in its rule: the row (and column) or the each-key it runs for

    @property
    def terms(self) -> list[Amount]:
        return self.left + self.right

    @property
    def key(self) -> tuple[str, str, str]:
        """The same equation in another evaluation of the workbook (rules/hypotheses.py)."""
        return self.rule, self.text, self.site

    def evaluate(self) -> str:
        wan_terms = _count_wan(self.left) + _count_wan(self.right)
        self.unit = "万元" if wan_terms else "元"
        # Rounded amounts carry 尾数误差: k rounded parts may miss their rounded total by (k + 1) half
        # units of the last printed digit — (k + 1) × 0.005 in 万元 printed to 0.01, (k + 1) × 0.5 in whole 万元.
        self.tolerance = _envelope(self.left, self.unit) + _envelope(self.right, self.unit)
        left, right = self.sides()
        self.diff = left - right
        self.status = self.status_of(self.diff)
        return self.status

    def status_of(self, diff: Decimal) -> str:
        """ok | rounding | fail for a difference left − right (after evaluate())."""
        excess = {"=": abs(diff), "<=": diff, ">=": -diff}[self.op]
        if _settled(excess, self.unit):
            return "ok"
        return "rounding" if excess <= self.tolerance else "fail"

    def shifted_diff(self, term: Amount, on_left: bool, delta: Decimal) -> Decimal:
        """left − right once `term` is changed by delta (in the term's own unit)."""
        step = delta / TEN_THOUSAND if self.unit == "万元" and term.unit == "元" else delta
        return self.diff + (1 if on_left else -1) * term.sign * step

    def sides(self) -> tuple[Decimal, Decimal]:
        wan = self.unit == "万元"
        return _total(self.left, wan), _total(self.right, wan)

    def describe(self) -> str:
        left, right = self.sides()
        op = {"=": "应等于", "<=": "应不大于", ">=": "应不小于"}[self.op]
        # Amounts as printed: a sum of whole-万元 amounts (政府预算) in whole 万元, not “134,774.00”.
        places = 0 if self.terms and all(t.half is not None and t.half >= HALF for t in self.terms) and left % 1 == right % 1 == 0 else 2
        return (f"{side_text(self.left)} = {fmt(left, places)}，{op} {side_text(self.right)} = {fmt(right, places)}，"
                f"相差 {fmt(left - right, places)}{'' if self.unit == '元' else ' 万元'}")


def _settled(excess: Decimal, unit: str) -> bool:
    """No difference worth a word: none at all in 万元 (any is rounding or worse), under a cent in 元."""
    return excess <= ZERO if unit == "万元" else excess < HALF_CENT


def _envelope(terms: list[Amount], unit: str) -> Decimal:
    """The 尾数 the terms may carry together, in the equation's unit."""
    total = ZERO
    for t in terms:
        if t.half:
            total += t.half / TEN_THOUSAND if unit == "万元" and t.unit == "元" else t.half
    return total


def rounded_terms(eq: Equation) -> tuple[int, Decimal]:
    """How many terms of an equation carry 尾数, and the largest half unit among them (for messages)."""
    halves = [t.half for t in eq.terms if t.half]
    return len(halves), max(halves, default=ZERO)


def _count_wan(terms: list[Amount]) -> int:
    n = 0
    for t in terms:
        if t.unit == "万元":
            n += 1
    return n


def _total(terms: list[Amount], wan: bool) -> Decimal:
    """Σ sign × value, 元 amounts turned into 万元 in an equation that has 万元 terms. (A plain loop:
    this runs for every equation of the workbook.)"""
    total = ZERO
    for t in terms:
        total += t.sign * (t.value / TEN_THOUSAND if wan and t.unit == "元" else t.value)
    return total


def side_text(terms, empty: str = "0（表中没有对应的行）") -> str:
    """One side of an identity in words: its term, up to three joined by + (a subtracted one in
    brackets), or the first and how many. Terms need `label` and `sign` (table amounts, form terms)."""
    if not terms:
        return empty
    if len(terms) == 1:
        return terms[0].label
    if len(terms) <= 3:
        return " + ".join(t.label if t.sign > 0 else f"（−{t.label}）" for t in terms)
    return f"{terms[0].label} 等 {len(terms)} 项之和"


# --------------------------------------------------------------------------- structure
def structural(table: Table, template: TemplateSet, skip_holding: bool = False) -> Iterator[Equation]:
    """The equations of a table's own structure. With `skip_holding`, those whose amounts already
    agree are left out without being made (see `equations`)."""
    for rule, text, left, right, op in _structure_sides(table, keep_holding=not skip_holding):
        if skip_holding and _holds(table.unit, left, right, op):
            continue
        yield structural_equation(table, rule, text, left, right, op)


def structural_equation(table: Table, rule: str, text: str, left: Side, right: Side, op: str) -> Equation:
    site = f"{left[0][0].key}:{left[0][1]}" if left else ""
    return Equation(rule, text, "error", (table.code,), [amount_of(table, r, c, s) for r, c, s in left],
                   [amount_of(table, r, c, s) for r, c, s in right], op, site=site)


Side = list[tuple[Row, str, int]]  # the (row, column, sign) of each amount of one side
Key = tuple[str, str, str]         # an equation's key (Equation.key)


def _structure_sides(table: Table, keep_holding: bool = True,
                     holding: Callable[[tuple[str, str, str]], None] | None = None) -> Iterator[tuple[str, str, Side, Side, str]]:
    """(rule, text, left, right, comparison) of every structural equation: column sums, row
    identities (债务余额 <= 限额 as well as =), rows summing rows. Without `keep_holding`, the
    column sums and rows summing rows that hold (as _holds would find) are left out before their
    sides are made: in a sound workbook, nearly all of them (`holding` is told each one's key)."""
    for item in _column_sums(table, keep_holding, holding):
        yield (*item, "=")
    yield from _row_identities(table)
    for rs in row_sums(table):
        for item in _sum_rows(table, NAMES[rs.rule], rs.text, rs.parent, rs.children, keep_holding, holding):
            yield (*item, "=")


def _sum_holds(unit: str, total: Row, column: str, rows: list[Row], columns: list[str]) -> bool:
    """_holds of `total = Σ parts`: a row's `columns` (one row given), or one column of `rows`; signs
    1, only the parts the table has, the same sums in the same order."""
    value = total.amounts.get(column)
    left = ZERO + 1 * (ZERO if value is None else value)
    right = ZERO
    for row in rows:
        amounts = row.amounts
        for col in columns:
            if has_column(row, col):
                value = amounts.get(col)
                right += 1 * (ZERO if value is None else value)
    return _settled(abs(left - right), unit)


def _column_sums(table: Table, keep_holding: bool = True,
                 holding: Callable[[tuple[str, str, str]], None] | None = None) -> Iterator[tuple[str, str, Side, Side]]:
    for col in table.spec.columns:
        if not col.sum_of:
            continue
        if col.id in table.missing_columns or any(p in table.missing_columns for p in col.sum_of):
            continue  # a column the sheet does not print: this sum cannot be checked (rules: cannot-check)
        parts = list(col.sum_of)
        text = f"{table.code} 每行：{_col_label(table, col.id)} = " + " + ".join(_col_label(table, p) for p in parts)
        for row in table.rows:
            if not has_column(row, col.id):
                continue
            if not keep_holding and _sum_holds(table.unit, row, col.id, [row], parts):
                if holding is not None:
                    holding((NAMES["col-sum"], text, f"{row.key}:{col.id}"))
                continue
            yield NAMES["col-sum"], text, [(row, col.id, 1)], [(row, p, 1) for p in parts if has_column(row, p)]


def _row_identities(table: Table) -> Iterator[tuple[str, str, Side, Side, str]]:
    for ident in table.spec.row_identities:
        if any(c in table.missing_columns or c in table.absent_columns for _, c in ident.left + ident.right):
            continue  # as above: not evaluated against a column the sheet does not have (or does not print)
        for row in table.rows:
            yield (f"{NAMES['row-formula']}:{ident.id}", f"{table.code} 每行：{ident.text}",
                   [(row, c, s) for s, c in ident.left if has_column(row, c)],
                   [(row, c, s) for s, c in ident.right if has_column(row, c)], ident.op)


def _sum_rows(table: Table, rule: str, text: str, parent: Row, children: list[Row], keep_holding: bool = True,
              holding: Callable[[tuple[str, str, str]], None] | None = None) -> Iterator[tuple[str, str, Side, Side]]:
    if not children:
        return
    for col in table.spec.columns:
        if not has_column(parent, col.id):
            continue
        if not keep_holding and _sum_holds(table.unit, parent, col.id, children, [col.id]):
            if holding is not None:
                holding((rule, text, f"{parent.key}:{col.id}"))
            continue
        yield rule, text, [(parent, col.id, 1)], [(child, col.id, 1) for child in children if has_column(child, col.id)]


def _holds(unit: str, left: Side, right: Side, op: str = "=") -> bool:
    """Whether Equation.evaluate() would find this equation of one table's amounts "ok", worked out
    from the amounts without making its terms: the same sums, in the same order, and the same test."""
    diff = _raw_total(left) - _raw_total(right)
    return _settled({"=": abs(diff), "<=": diff, ">=": -diff}[op], unit)


def _raw_total(side: Side) -> Decimal:
    total = ZERO
    for row, column, sign in side:
        value = row.amounts.get(column)
        total += sign * (ZERO if value is None else value)
    return total


def _col_label(table: Table, column: str) -> str:
    return table.column_label(column)


def explicit(d: Disclosure, ident: Identity, scopes: dict[str, Scope], skip_holding: bool = False,
             holding: Callable[[Key], None] | None = None) -> Iterator[Equation]:
    """The equations of an identity between tables; with `skip_holding`, those that evaluate "ok"
    left out without being made (worked out from the same values in the same order; `holding` is
    told each one's key)."""
    columns = ident.for_columns or (None,)
    tables = ident.tables
    keys = each_keys(ident, scopes, d.template.params)
    for col in columns:
        text = ident.text + (f"（{col}）" if col else "")
        for key in keys:
            if skip_holding and _values_hold(resolve_values(ident.left, scopes, key, col, ident.each),
                                             resolve_values(ident.right, scopes, key, col, ident.each), ident.op):
                if holding is not None:
                    holding((ident.id, text, str(key)))
                continue
            left = resolve(ident.left, scopes, key, col, ident.each)
            right = resolve(ident.right, scopes, key, col, ident.each)
            if left is None or right is None:
                continue
            yield Equation(ident.id, text, ident.level, tables, left, right, ident.op, site=str(key))


def _values_hold(left: list[tuple[Decimal, int, str]] | None, right: list[tuple[Decimal, int, str]] | None,
                 op: str) -> bool:
    """Whether Equation.evaluate() would find "ok" for terms of these (value, sign, unit): the
    unit, sums and test of evaluate(), sides() and status_of()."""
    if left is None or right is None:
        return False
    wan = any(unit == "万元" for _, _, unit in left) or any(unit == "万元" for _, _, unit in right)
    totals = []
    for side in (left, right):
        total = ZERO
        for value, sign, unit in side:
            total += sign * (value / TEN_THOUSAND if wan and unit == "元" else value)
        totals.append(total)
    diff = totals[0] - totals[1]
    return _settled({"=": abs(diff), "<=": diff, ">=": -diff}[op], "万元" if wan else "元")


# --------------------------------------------------------------------------- all of them
def equations(d: Disclosure, skip_holding: bool = False, only: set[str] | None = None) -> Iterator[Equation]:
    """Every equation of the disclosure, generated one at a time (a large workbook has millions).

    With `skip_holding`, the equations whose amounts already agree (evaluate() would say "ok") are
    left out without being made: most of them, in a sound workbook. With `only`, just the equations
    that involve those tables."""
    for table in d.tables.values():
        if only is None or table.code in only:
            yield from structural(table, d.template, skip_holding)
    yield from _explicit_all(d, only, skip_holding)


def equations_near(d: Disclosure, cells: set, only: set[str] | None = None) -> Iterator[Equation]:
    """The equations of `equations(d, only=only)`, in its order, less structural ones with no term at
    one of `cells` (CellRefs), which are left out without being made (check's second pass)."""
    rows = {(c.sheet, c.row) for c in cells}

    def near(side: Side) -> bool:
        for row, column, _ in side:
            if (row.sheet, row.grid_row) in rows and row.cell(column) in cells:
                return True
        return False

    for table in d.tables.values():
        if only is None or table.code in only:
            for rule, text, left, right, op in _structure_sides(table):
                if near(left) or near(right):
                    yield structural_equation(table, rule, text, left, right, op)
    yield from _explicit_all(d, only)


def statuses(d: Disclosure, code: str, moved: tuple[str, str] | None = None,
             memo: dict[int, list[tuple[Key, str]]] | None = None,
             depends: dict[Key, set[str] | None] | None = None,
             before: dict[Key, str] | None = None) -> dict[Key, str] | None:
    """{key: status} of the equations `equations(d, only={code})` makes, each as its evaluate() finds
    it (a later equation of the same key wins); one of the table's own structure that holds counts
    "ok" without being made. For rules/hypotheses.py, which tries the table's columns under other
    headers: the explicit identities' statuses are kept in `memo` when `moved` is None, and reused
    for those that name neither of the `moved` columns of the table (nothing they read has moved);
    `depends` is given, for each failing equation, the table's columns whose move could change it
    (None: any). Given the statuses `before` a move, None as soon as the table's own structure has
    an equation failing that did not fail before (such a move is never the explanation)."""
    out: dict[Key, str] = {}
    table = d.tables[code]

    def ok(key: Key) -> None:
        out[key] = "ok"

    row_formula = NAMES["row-formula"] + ":"
    sums = {c.id: c.sum_of for c in table.spec.columns}
    for rule, text, left, right, op in _structure_sides(table, keep_holding=False, holding=ok):
        if _holds(table.unit, left, right, op):
            out[(rule, text, f"{left[0][0].key}:{left[0][1]}" if left else "")] = "ok"
            continue
        eq = structural_equation(table, rule, text, left, right, op)
        again = eq.key in out
        out[eq.key] = eq.evaluate()
        if depends is not None and eq.status == "fail":
            # a row identity reads only the columns a row has: any move may add one (so may a key made twice)
            cols = {c for _, c, _ in left + right}
            cols.update(p for c in list(cols) for p in sums.get(c, ()))
            depends[eq.key] = None if rule.startswith(row_formula) or again else cols
    # Keys are final (no later equation can share one) when the identities' ids are their own.
    final = before is not None and not any(i.id in _STRUCTURE_NAMES or i.id.startswith(row_formula)
                                           for i in d.template.identities) \
        and len({i.id for i in d.template.identities}) == len(d.template.identities)
    if final and _breaks(out.items(), before):
        return None
    scopes: dict[str, Scope] = {}
    for i, ident in enumerate(d.template.identities):
        tables = ident.tables
        if code not in tables or any(t not in d.tables for t in tables):
            continue
        if memo is not None and moved is not None and i in memo and not _names_column(ident, code, moved):
            found = memo[i]
        else:
            for t in tables:
                if t not in scopes:
                    scopes[t] = Scope.of(d.tables[t])
            found = _explicit_statuses(d, ident, scopes)
            if memo is not None and moved is None:
                memo[i] = found
            if final and _breaks(found, before):
                return None
        for key, status in found:
            if depends is not None and status == "fail":
                depends[key] = None if key in out else _named_columns(ident, code)
            out[key] = status
    return out


def _breaks(found: Iterable[tuple[Key, str]], before: dict[Key, str] | None) -> bool:
    return before is not None and any(s == "fail" and before.get(k, "ok") != "fail" for k, s in found)


def _explicit_statuses(d: Disclosure, ident: Identity, scopes: dict[str, Scope]) -> list[tuple[Key, str]]:
    found: list[tuple[Key, str]] = []

    def ok(key: Key) -> None:
        found.append((key, "ok"))

    for eq in explicit(d, ident, scopes, True, ok):
        found.append((eq.key, eq.evaluate()))
    return found


def _named_columns(ident: Identity, code: str) -> set[str]:
    return {term.ref.column.replace("{col}", col) if col else term.ref.column
            for term in ident.left + ident.right if term.ref is not None and term.ref.table == code
            for col in ident.for_columns or (None,)}


def _names_column(ident: Identity, code: str, columns: tuple[str, ...]) -> bool:
    return not _named_columns(ident, code).isdisjoint(columns)


def _explicit_all(d: Disclosure, only: set[str] | None, skip_holding: bool = False) -> Iterator[Equation]:
    scopes: dict[str, Scope] = {}
    for ident in d.template.identities:
        if any(t not in d.tables for t in ident.tables) or (only is not None and not only & set(ident.tables)):
            continue
        for t in ident.tables:
            if t not in scopes:
                scopes[t] = Scope.of(d.tables[t])
        yield from explicit(d, ident, scopes, skip_holding)


def skipped_identities(d: Disclosure) -> list[Identity]:
    """The explicit identities that cannot be evaluated because a table is missing."""
    return [i for i in d.template.identities if any(t not in d.tables for t in i.tables)]

