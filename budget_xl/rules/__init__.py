"""`check`: every identity of a disclosure, evaluated by one engine, reported at its cells.

    report = budget_xl.rules.check(budget_xl.read("附表.xlsx"))
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..classification import parent
from ..codes import catalogue as code_list
from ..gcpause import without_cycle_collection
from ..model import CLASS, CellRef, Disclosure, Row
from ..money import exponent
from ..references import Scope
from ..text import norm
from .blame import explain, missing_row, plain, within_rounding
from .catalogue import message
from .engine import Equation, equations, equations_near, skipped_identities
from .findings import LEVELS, Finding, Report, finding
from .hypotheses import foreign_tables, misplaced_columns
from .percent import percent_findings
from .rounding import odd_cells

__all__ = ["check", "Finding", "Report"]

_NOTE_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@without_cycle_collection
def check(d: Disclosure) -> Report:
    findings: list[Finding] = []
    findings += _read_notes(d)
    findings += _unread(d)
    findings += _structure(d)
    findings += _missing_tables(d, skipped_identities(d))
    findings += _cannot_check(d)
    # Pass 1 evaluates every equation and keeps only the failed ones' cells; pass 2 keeps the
    # equations around those cells, which is all that naming the wrong cell needs. Memory then
    # follows the mistakes, not the size of the workbook.
    failed: list[Equation] = []
    roundings: list[Equation] = []
    missing_rows: dict[str, Finding] = {}   # one finding per row a table lacks, whatever identities need it
    for eq in equations(d, skip_holding=True):  # an equation that holds adds nothing to pass 1
        status = eq.evaluate()
        if status == "rounding":
            roundings.append(eq)
        elif status == "fail":
            if any(t.absent for t in eq.terms):
                absent = next(t for t in eq.terms if t.absent).label
                if absent in missing_rows:
                    missing_rows[absent].also += (eq.rule,)
                else:
                    missing_rows[absent] = missing_row(eq)
                continue
            failed.append(eq)
    # A column under the wrong header explains several failures at once, better than any one cell.
    explained: set = set()
    for hypothesis in misplaced_columns(d, failed) if len(failed) >= 2 else []:
        findings.append(hypothesis.finding)
        explained |= hypothesis.keys
    for hypothesis in foreign_tables(d, [eq for eq in failed if eq.key not in explained]):
        findings.append(hypothesis.finding)
        explained |= hypothesis.keys
        # the rows it lacks or has in excess against the other tables are part of the same mismatch
        foreign = hypothesis.finding.table
        missing_rows = {label: f for label, f in missing_rows.items() if foreign not in f.tables}
    suspects: set = set()
    for eq in failed:
        if eq.key in explained:
            continue
        suspects.update(t.cell for t in eq.terms if t.cell is not None)
        if not any(t.cell is not None for t in eq.terms):
            findings.append(plain(eq))  # no cell to blame (values computed by fill)
    del failed
    # A 尾数 difference is looked at again with its neighbours (rules/rounding.py): one cell off by
    # a cent in every identity it takes part in is a slip, not rounding.
    near_rounding = {t.cell for eq in roundings for t in eq.terms if t.cell is not None}
    if suspects or near_rounding:
        nearby, around = [], []
        near = suspects | near_rounding
        for eq in equations_near(d, near, only=_tables_holding(d, near)):
            if any(t.absent for t in eq.terms) or eq.key in explained:
                continue
            cells = [t.cell for t in eq.terms if t.cell is not None]
            near_suspect = any(c in suspects for c in cells)
            near_round = any(c in near_rounding for c in cells)
            if near_suspect or near_round:
                eq.evaluate()
            if near_suspect:
                nearby.append(eq)
            if near_round:
                around.append(eq)
        # before explain(), which applies its corrections to the terms it has judged
        odd, slips = odd_cells([eq for eq in around if eq.status == "rounding"], around)
        findings += explain([eq for eq in nearby if eq.status == "fail"], nearby)
        findings += odd
        roundings = [eq for eq in roundings if eq.key not in slips]
    findings += [within_rounding(eq) for eq in roundings]
    findings += missing_rows.values()
    findings += percent_findings(d, findings)
    findings += _codes(d)
    order = {level: i for i, level in enumerate(LEVELS)}
    table_order = {code: i for i, code in enumerate([*d.template.tables, *d.unknown])}
    findings.sort(key=lambda f: (table_order.get(f.table, -1), order[f.level]))
    unknown = [{"code": c, "title": d.tables[c].title, "sheets": d.tables[c].sheets} for c in d.unknown]
    return Report(str(d.path), d.template.id, d.kind, d.department, d.year, findings, d.coverage,
                  [e.describe() for e in d.evidence], unknown)


def _tables_holding(d: Disclosure, cells: set) -> set[str] | None:
    """The tables with a row read from a sheet of these cells: every equation with a term at one of
    them is among those tables' (None: all tables, when a cell's sheet is no table's)."""
    sheets = {c.sheet for c in cells}
    codes, seen = set(), set()
    for table in d.tables.values():
        own = {row.sheet for row in table.rows if row.sheet is not None}
        if own & sheets:
            codes.add(table.code)
            seen |= own & sheets
    return codes if seen == sheets else None


def _read_notes(d: Disclosure) -> list[Finding]:
    return [finding(_NOTE_LEVELS.get(n.level, "note"), "read", "note", (n.table,) if n.table else (),
                    [n.cell] if n.cell else [], message=n.message)
            for n in d.notes if n.level != "info" or n.cell]


def _unread(d: Disclosure) -> list[Finding]:
    """Amount cells no table took, one finding per sheet (with the first cells named)."""
    by_sheet: dict[str, list[CellRef]] = {}
    for cell in d.coverage.unread:
        by_sheet.setdefault(cell.sheet, []).append(cell)
    out = []
    for sheet, cells in by_sheet.items():
        table = next((t.code for t in d.tables.values() if sheet in t.sheets), "")
        shown = "、".join(c.a1 for c in cells[:12]) + ("……" if len(cells) > 12 else "")
        out.append(finding("warning", "unread", "cells", (table,) if table else (), cells, sheet=sheet,
                           count=len(cells), cells=shown))
    return out


def _structure(d: Disclosure) -> list[Finding]:
    out = []
    for table in d.tables.values():
        for row in table.rows:
            for column, value in row.amounts.items():
                if value is not None and _past_cents(value):
                    out.append(finding("warning", "decimals", "too_many", (table.code,),
                                       [c for c in [row.cell(column)] if c], table=table.code, label=row.label,
                                       value=value))
    return out


_CENT = Decimal("0.01")


def _past_cents(value: Decimal) -> bool:
    """Digits beyond the cent (exponent(value) < -2 and value != value rounded to cents): the same
    test, the rounding first (an amount with two decimals or fewer rounds to itself)."""
    try:
        return value != value.quantize(_CENT)
    except InvalidOperation:   # too many digits to round: as the test in its own order
        return exponent(value) < -2 and value != value.quantize(_CENT)


def _missing_tables(d: Disclosure, skipped) -> list[Finding]:
    out = []
    for code in d.missing:
        rules = [i.id for i in skipped if code in i.tables]
        f = finding("warning", "missing-table", "missing", (code,), code=code, title=d.template.tables[code].title)
        if rules:
            f.message += message("missing-table", "blocks", rules="、".join(rules))
        out.append(f)
    return out


def _cannot_check(d: Disclosure) -> list[Finding]:
    """Each column or 合计/fixed row an identity needs that the workbook does not have, once, with
    the identities it blocks (never evaluated against 0)."""
    blocked: dict[tuple[str, str], list[str]] = {}
    for table in d.tables.values():
        for column in table.missing_columns:
            users = [f"{table.code} 本表列合计" for c in table.spec.columns
                     if c.sum_of and (c.id == column or column in c.sum_of)][:1]
            users += [f"{table.code} 行公式 {r.id}" for r in table.spec.row_identities
                      if column in {c for _, c in r.left + r.right}]
            blocked.setdefault((table.code, f"“{table.column_label(column)}”列"), []).extend(users)
    scopes: dict[str, Scope] = {}
    for ident in d.template.identities:
        if any(t not in d.tables for t in ident.tables):
            continue
        for term in ident.left + ident.right:
            if term.ref is None:
                continue
            scope = scopes.setdefault(term.ref.table, Scope.of(d.tables[term.ref.table]))
            for col in ident.for_columns or (None,):
                column = term.ref.column.replace("{col}", col) if col else term.ref.column
                reason = scope.unresolvable(term.ref.row, column)
                if reason:
                    ids = blocked.setdefault((term.ref.table, reason), [])
                    if ident.id not in ids:
                        ids.append(ident.id)
    return [finding("warning", "cannot-check", "blocked", (table,), table=table, what=what, rules="、".join(ids))
            for (table, what), ids in blocked.items() if ids]


def _codes(d: Disclosure) -> list[Finding]:
    """款 under its 类 and 项 under its 款; no code twice in a unit; names as in the code list."""
    out = []
    for table in d.tables.values():
        cls = table.spec.rows.classification
        if not cls or table.spec.rows.outline:
            continue  # rows printed by name: their 类 codes are the template's, not the workbook's
        cat = code_list(cls, d.year)
        parents: dict[str | None, dict[int, str]] = {}
        for row in table.rows:
            if row.kind != CLASS or not row.code:
                continue
            code = row.code
            stack = parents.setdefault(row.unit, {})
            above = parent(code)
            if above is not None:
                parent_seen = stack.get(len(code) - 2)
                if parent_seen != above:
                    where = (message("code-order", "after", seen=parent_seen) if parent_seen
                             else message("code-order", "orphan"))
                    out.append(finding("warning", "code-order", "misplaced", (table.code,), label_cell(row),
                                       table=table.code, label=row.label, code=code, parent=above, where=where))
            stack[len(code)] = code
            for longer in [k for k in stack if k > len(code)]:
                del stack[longer]
            known = cat.name(code)
            name = row.name or ""
            if known is None:
                out.append(finding("warning" if cat.official else "note", "code-list",
                                   "official" if cat.official else "bundled", (table.code,), label_cell(row),
                                   table=table.code, label=row.label, code=code, year=d.year))
            elif name and norm(name) != norm(known):
                out.append(finding("warning", "code-name", "differs", (table.code,), label_cell(row), table=table.code,
                                   label=row.label, code=code, known=known))
    return out


def label_cell(row: Row) -> list[CellRef]:
    cell = row.cell("label")
    return [cell] if cell else []
