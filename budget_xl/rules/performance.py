"""`check` for 绩效 forms: the identities each template writes (项目总额 = Σ 资金来源, 权重合计 100, 执行率,
预算执行得分, 总分, 自评等级 …), the soft rules (performance_soft.py), the forms against the money of the
same disclosure (performance_money.py) and against the 情况说明 (performance_text.py), reported like
the 公开表' findings: the form, the cells, expected and actual, the cell most likely wrong first.

    findings = check_forms(budget_xl.read_performance("绩效.xlsx"))
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import CellRef, Disclosure
from ..money import fmt, round_half_up, rounding_envelope
from ..performance import Form, Indicator, PerformanceBook
from ..templates.forms import FormIdentity, FormTerm
from .blame import plausibility, slip
from .engine import side_text
from .findings import Finding, Report, finding

ZERO = Decimal(0)
HUNDRED = Decimal(100)
OPS = {"=": "应等于", "<=": "应不大于", ">=": "应不小于"}


@dataclass(slots=True)
class Term:
    value: Decimal
    cell: CellRef | None
    label: str
    sign: int = 1
    blamable: bool = True      # a term of another workbook's table is listed, never corrected


@dataclass
class Check:
    """A linear identity of a form (or of a form against a table), evaluated exactly."""
    rule: str
    text: str
    level: str
    form: str                          # the form's label: findings are grouped by it
    left: list[Term]
    right: list[Term]
    op: str = "="
    unit: str = "万元"                  # 万元 | 分
    settle: Decimal = ZERO             # a difference up to this is none (a 元 figure rounded to 万元)
    tolerance: Decimal = ZERO          # up to this, 尾数误差
    message: Callable[[Check], str] | None = None   # how a failure is told when no cell is blamed
    diff: Decimal = ZERO
    status: str = ""

    @property
    def terms(self) -> list[Term]:
        return self.left + self.right

    def evaluate(self) -> str:
        self.diff = sum((t.sign * t.value for t in self.left), ZERO) - sum((t.sign * t.value for t in self.right), ZERO)
        self.status = self.status_of(self.diff)
        return self.status

    def status_of(self, diff: Decimal) -> str:
        excess = {"=": abs(diff), "<=": diff, ">=": -diff}[self.op]
        if excess <= self.settle:
            return "ok"
        return "rounding" if excess <= self.tolerance else "fail"

    def sides(self) -> tuple[Decimal, Decimal]:
        return (sum((t.sign * t.value for t in self.left), ZERO), sum((t.sign * t.value for t in self.right), ZERO))


@dataclass
class Context:
    """What checking a workbook of forms gathers: the linear checks (blamed together), the findings
    of the other rules, and the identities that could not be evaluated (what they lack)."""
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    blocked: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))


def show(value: Decimal, unit: str) -> str:
    """An amount with cents (1,234.50); a score or percentage as written (90, 9.5)."""
    if unit == "万元":
        return fmt(value)
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- entry
def check_forms(book: PerformanceBook, disclosure: Disclosure | None = None,
                narrative: list[str] | None = None) -> list[Finding]:
    from .performance_soft import soft_findings

    ctx = Context()
    ctx.findings += _read_findings(book)
    for form in book.forms:
        for ident in form.spec.identities:
            _identity(ctx, form, ident)
        ctx.findings += soft_findings(form)
    if disclosure is not None:
        from .performance_money import against_tables

        against_tables(ctx, book, disclosure)
    if narrative:
        from .performance_text import against_narrative

        against_narrative(ctx, book, narrative, disclosure)
    ctx.findings += explain(ctx.checks)
    for (where, rules), what in ctx.blocked.items():
        ctx.findings.append(finding("warning", "cannot-check", "blocked", (where,), table=where,
                                    what="、".join(sorted(what)), rules=rules))
    return ctx.findings


def performance_report(book: PerformanceBook, findings: list[Finding]) -> Report:
    """The report of a workbook holding only forms (check 绩效.xlsx)."""
    return Report(str(book.path), "、".join(book.form_sets), "绩效表", book.department, book.year, findings,
                  book.coverage, [f"{len(book.forms)} 张绩效表"], [])


def _read_findings(book: PerformanceBook) -> list[Finding]:
    out = [finding("warning" if n.level in ("warning", "error") else "note", "read", "note",
                   (n.table,) if n.table else (), [n.cell] if n.cell else [], message=n.message)
           for n in book.notes if n.level != "info" or n.cell]
    for form in book.forms:
        for what in form.missing:
            blocks = "、".join(i.id for i in form.spec.identities if _needs(i, what)) or "相关公式"
            out.append(finding("warning", "perf-missing", "missing", (form.label,), [form.title_cell] if form.title_cell else [],
                               sheet=form.sheet, form=form.label, what=what, blocks=blocks))
    by_sheet: dict[str, list[CellRef]] = defaultdict(list)
    for cell in book.coverage.unread:
        by_sheet[cell.sheet].append(cell)
    for sheet, cells in by_sheet.items():
        shown = "、".join(c.a1 for c in cells[:12]) + ("……" if len(cells) > 12 else "")
        out.append(finding("warning", "unread", "cells", (), cells, sheet=sheet, count=len(cells), cells=shown))
    return out


def _needs(ident: FormIdentity, what: str) -> bool:
    refs = [t.kind for t in ident.left + ident.right] + [ref for _, ref in ident.params]
    return ("sum" in refs or "column" in refs or any(r.startswith("totals") for r in refs)) if what == "指标表" \
        else any(t.kind == "field" for t in ident.left + ident.right) or ident.kind in ("rate", "exec_score")


# --------------------------------------------------------------------------- identities
def _identity(ctx: Context, form: Form, ident: FormIdentity) -> None:
    if ident.kind == "expr":
        if ident.each == "indicator":
            for ind in form.indicators:
                check = _linear(ctx, form, ident, ind)
                if check is not None:
                    ctx.checks.append(check)
            return
        check = _linear(ctx, form, ident, None)
        if check is not None:
            ctx.checks.append(check)
        return
    from .performance_ratio import ratio_identity

    result = ratio_identity(form, ident)
    if isinstance(result, str):
        if result:
            ctx.blocked[(form.label, ident.id)].add(result)
    elif result is not None:
        ctx.findings.append(result)


def _linear(ctx: Context, form: Form, ident: FormIdentity, ind: Indicator | None) -> Check | None:
    sides: list[list[Term]] = [[], []]
    money = False
    for n, terms in enumerate((ident.left, ident.right)):
        for t in terms:
            got = _terms(form, t, ind)
            if got is None:
                if ind is None:          # a missing value blocks the identity; an indicator without it is skipped
                    ctx.blocked[(form.label, ident.id)].add(_term_label(form, t))
                return None
            sides[n] += got
            money = money or (t.kind == "field" and form.spec.field_type(t.ref) == "amount")
    text = ident.text if ind is None else f"{ident.text}（“{ind.level3}”）"
    check = Check(ident.id, text, ident.level, form.label, sides[0], sides[1], ident.op, "万元" if money else "分")
    if money:
        check.tolerance = rounding_envelope(sum(1 for t in check.terms if t.cell is not None))
    return check


def _terms(form: Form, t: FormTerm, ind: Indicator | None) -> list[Term] | None:
    if t.kind == "number":
        assert t.number is not None
        return [Term(t.number, None, show(t.number, "分"), t.sign, False)]
    if t.kind == "field":
        v = form.fields.get(t.ref)
        if v is None or (v.number is None and v.text):
            return None
        return [Term(v.number or ZERO, v.where, f"{form.spec.field_label(t.ref)}", t.sign)]
    if t.kind == "totals":
        v = form.totals.get(t.ref)
        if v is None or (v.number is None and v.text):
            return None
        return [Term(v.number or ZERO, v.cell, f"总分行的{_column_header(form, t.ref)}", t.sign)]
    if t.kind == "column":
        assert ind is not None
        v = ind.values.get(t.ref)
        if v is None or v.number is None:
            return None
        return [Term(v.number, v.cell, f"“{ind.level3}”的{_column_header(form, t.ref)}", t.sign)]
    # Σ column: one term per indicator, so the wrong one can be named; blank counts 0, words block
    out = []
    for i in form.indicators:
        v = i.values.get(t.ref)
        if v is None:
            continue
        if v.number is None and v.text:
            return None
        out.append(Term(v.number or ZERO, v.cell, f"“{i.level3 or i.level2}”的{_column_header(form, t.ref)}", t.sign))
    return out


def _column_header(form: Form, column: str) -> str:
    c = form.spec.grid.column(column) if form.spec.grid else None
    return c.header if c else column


def _term_label(form: Form, t: FormTerm) -> str:
    if t.kind == "field":
        return f"“{form.spec.field_label(t.ref)}”"
    if t.kind == "totals":
        return f"总分行的“{_column_header(form, t.ref)}”"
    return f"指标的“{_column_header(form, t.ref)}”"


# --------------------------------------------------------------------------- blame
def explain(checks: list[Check]) -> list[Finding]:
    """Failed checks as findings, one per wrong cell where one cell's correction mends them: the
    same greedy choice as the 公开表' (rules/blame.py), over the forms' identities and their
    comparisons with the tables."""
    for c in checks:
        c.evaluate()
    by_cell: dict[CellRef, list[tuple[Check, Term, int]]] = defaultdict(list)
    for c in checks:
        for side, terms in ((1, c.left), (-1, c.right)):
            for t in terms:
                if t.cell is not None and t.blamable:
                    by_cell[t.cell].append((c, t, side))
    failing = {id(c): c for c in checks if c.status == "fail"}
    out: list[Finding] = []
    while failing:
        best = _best(failing, by_cell)
        if best is None:
            break
        cell, term, delta = best
        mended = []
        for c, t, side in by_cell[cell]:
            before = id(c) in failing
            c.diff += side * t.sign * delta
            c.status = c.status_of(c.diff)
            if before and c.status != "fail":
                mended.append(c)
                del failing[id(c)]
            elif not before and c.status == "fail":
                failing[id(c)] = c
        out.append(_blamed(mended, cell, term, term.value + delta))
    for c in failing.values():
        out.append(_plain(c))
    out += [_rounding(c) for c in checks if c.status == "rounding"]
    return out


def _best(failing: dict[int, Check], by_cell) -> tuple[CellRef, Term, Decimal] | None:
    best, best_key, runner_up = None, None, None
    seen: set[tuple[CellRef, Decimal]] = set()
    for c in failing.values():
        for side, terms in ((1, c.left), (-1, c.right)):
            for t in terms:
                if t.cell is None or not t.blamable:
                    continue
                delta = -c.diff * side * t.sign
                if (t.cell, delta) in seen:
                    continue
                seen.add((t.cell, delta))
                mended = broken = 0
                for c2, t2, side2 in by_cell[t.cell]:
                    holds = c2.status_of(c2.diff + side2 * t2.sign * delta) != "fail"
                    if id(c2) in failing and holds:
                        mended += 1
                    elif id(c2) not in failing and not holds:
                        broken += 1
                key = (mended - broken, mended, plausibility(t.value, t.value + delta))
                if best_key is None or key > best_key:
                    runner_up, best_key, best = best_key, key, (t.cell, t, delta)
                elif runner_up is None or key > runner_up:
                    runner_up = key
    if best is None or best_key is None:
        return None
    score, mended, _ = best_key
    if score <= 0 or (mended < 2 and (score < 1 or (runner_up is not None and runner_up >= best_key))):
        return None
    return best


def _blamed(checks: list[Check], cell: CellRef, term: Term, expected: Decimal) -> Finding:
    first = checks[0]
    unit = first.unit
    hint = {"符号": "（看来是正负号反了）", "位数": "（看来是多写或少写了一位）", "单位": "（看来是元与万元弄混了）",
            "数字颠倒": "（看来是两位数字颠倒了）"}.get(slip(term.value, expected), "")
    what = " 万元" if unit == "万元" else ""
    message = (f"{first.form}的{term.label}（{cell}）应为 {show(expected, unit)}，实为 {show(term.value, unit)}，"
               f"相差 {show(term.value - expected, unit)}{what}{hint}。{first.text}")
    others = list(dict.fromkeys(c.rule for c in checks[1:] if c.rule != first.rule))
    if len(checks) > 1:
        message += f"；这一处还使另外 {len(checks) - 1} 条公式不成立（{'、'.join(others) or first.rule}）"
    cells = list(dict.fromkeys([cell] + [t.cell for c in checks for t in c.terms if t.cell is not None]))
    level = "error" if any(c.level == "error" for c in checks) else "warning"
    return Finding(level, first.rule, first.text, message, (first.form,), cells, expected, term.value,
                   tuple(others), blamed=True)


def _plain(c: Check) -> Finding:
    left, right = c.sides()
    message = c.message(c) if c.message else (
        f"{c.form}：{c.text}：{side_text(c.left, '0')} = {show(left, c.unit)}，{OPS[c.op]} {_stated(c.right, right, c.unit)}，"
        f"相差 {show(left - right, c.unit)}{' 万元' if c.unit == '万元' else ''}")
    cells = list(dict.fromkeys(t.cell for t in c.terms if t.cell is not None))
    return Finding(c.level, c.rule, c.text, message, (c.form,), cells, right, left)


def _rounding(c: Check) -> Finding:
    left, right = c.sides()
    message = c.message(c) if c.message else (
        f"{c.form}：{c.text}：{side_text(c.left, '0')} = {show(left, c.unit)}，{side_text(c.right, '0')} = "
        f"{show(right, c.unit)}，在尾数误差允许范围（±{show(c.tolerance, c.unit)} 万元）内")
    cells = list(dict.fromkeys(t.cell for t in c.terms if t.cell is not None))
    return Finding("rounding", c.rule, c.text, message, (c.form,), cells, right, left)


def _stated(terms: list[Term], total: Decimal, unit: str) -> str:
    """“100” for a number, else “the terms = their sum”."""
    if all(t.cell is None and not t.blamable for t in terms) and len(terms) == 1:
        return show(total, unit)
    return f"{side_text(terms, '0')} = {show(total, unit)}"




def published_decimals(text: str) -> int:
    """How many decimals a published figure shows (“99.85%” → 2, “100%” → 0)."""
    number = text.strip().rstrip("%％分").strip()
    return len(number.split(".", 1)[1]) if "." in number else 0


def to_decimals(value: Decimal, places: int) -> Decimal:
    return round_half_up(value, Decimal(1).scaleb(-places))
