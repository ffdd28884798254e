"""What `fill` completes in the 绩效 forms, from the same identities `check` evaluates: a blank 项目总额
or 资金 figure from the project's row of the 项目支出表 (元 → 万元, half up), then every blank the
template's identities determine — a sum's one blank term (项目总额 = Σ 资金来源, 总分 = Σ 得分, 权重合计),
执行率 = 执行数 / 预算数, 预算执行得分, 自评等级. A value the clerk entered is never replaced: one that
disagrees is left for `check` to report."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import CellRef, Disclosure
from ..money import round_half_up
from ..performance import Form, PerformanceBook, Value
from ..templates.forms import FormIdentity
from .performance import HUNDRED, ZERO, show, to_decimals
from .performance_ratio import exact_rate


@dataclass
class FormChange:
    form: str
    field: str              # field id, or "totals.<column>"
    label: str
    cell: CellRef | None
    value: Decimal | str


def complete_forms(book: PerformanceBook, d: Disclosure | None = None) -> list[FormChange]:
    changes: list[FormChange] = []
    if d is not None:
        changes += _from_tables(book, d)
    for form in book.forms:
        for _ in range(4):      # a value found may complete another identity (得分 → 总分 → 等级)
            found = [c for ident in form.spec.identities if (c := _solve(form, ident)) is not None]
            if not found:
                break
            changes += found
    return changes


def _blank(v: Value | None) -> bool:
    return v is None or not v.text.strip()


def _set(form: Form, ref: str, value: Decimal | str, text: str) -> FormChange:
    """Put a computed value in the form (and in its indicator row when the field is read from one)."""
    if ref.startswith("totals."):
        old = form.totals.get(ref[7:])
        form.totals[ref[7:]] = Value(text, value if isinstance(value, Decimal) else None, old.cell if old else None)
        return FormChange(form.label, ref, f"总分行的{ref[7:]}", old.cell if old else None, value)
    old = form.fields.get(ref)
    new = Value(text, value if isinstance(value, Decimal) else None, old.cell if old else None,
                old.label_cell if old else None)
    form.fields[ref] = new
    spec = form.spec.field(ref)
    if spec is not None and spec.indicator:
        for ind in form.indicators:
            if spec.indicator in ind.level3 and spec.column in ind.values:
                ind.values[spec.column] = new
    return FormChange(form.label, ref, form.spec.field_label(ref), new.cell, value)


def _solve(form: Form, ident: FormIdentity) -> FormChange | None:
    if ident.kind == "expr":
        return _linear(form, ident)
    if ident.kind == "rate":
        value = form.fields.get(ident.param("value"))
        rate = exact_rate(form, ident.param("exec"), ident.param("budget"))
        if _blank(value) and rate is not None and ident.param("value") in form.spec.field_ids:
            r = to_decimals(rate, 2)
            return _set(form, ident.param("value"), r, f"{show(r, '%')}%")
        return None
    if ident.kind == "exec_score":
        score, weight = _get(form, ident.param("score")), _get(form, ident.param("weight"))
        rate_v = _get(form, ident.param("rate"))
        if _blank(score) and weight is not None and weight.number is not None and rate_v is not None and rate_v.number is not None:
            rate = rate_v.number
            share = next((Decimal(s) for low, s in ident.bands if rate >= low), ZERO) if ident.bands else min(rate, HUNDRED)
            score_value = to_decimals(weight.number * share / HUNDRED, 2)
            return _set(form, ident.param("score"), score_value, show(score_value, "分"))
        return None
    grade, score = _get(form, ident.param("value")), _get(form, ident.param("score"))
    if grade is not None and _blank(grade) and score is not None and score.number is not None and ident.bands:
        word = next((w for low, w in ident.bands if score.number >= low), ident.bands[-1][1])
        return _set(form, ident.param("value"), word, word)
    return None


def _get(form: Form, ref: str) -> Value | None:
    return form.totals.get(ref[7:]) if ref.startswith("totals.") else form.fields.get(ref)


def _linear(form: Form, ident: FormIdentity) -> FormChange | None:
    """An '=' identity whose left side, one field (or 总分 cell), is blank and every term on the right
    known: the left side is what the template derives (项目总额, 总分行). A blank on the right is a 0
    the clerk left blank, not a value to make up (其他资金 blank stays 0: the identity then tells)."""
    if ident.op != "=" or ident.each or len(ident.left) != 1 or ident.left[0].kind not in ("field", "totals"):
        return None
    blank: tuple[int, str] | None = None
    total = ZERO
    for side, terms in ((1, ident.left), (-1, ident.right)):
        for t in terms:
            if t.kind == "number":
                total += side * t.sign * (t.number or ZERO)
            elif t.kind == "sum":
                for ind in form.indicators:
                    v = ind.values.get(t.ref)
                    if v is not None and v.number is None and v.text:
                        return None
                    total += side * t.sign * (v.number or ZERO if v else ZERO)
            elif t.kind in ("field", "totals"):
                ref = t.ref if t.kind == "field" else f"totals.{t.ref}"
                v = _get(form, ref)
                if v is None and t.kind == "field":
                    return None         # the form does not print it: nothing to complete
                if _blank(v):
                    if blank is not None or side < 0:
                        return None
                    blank = (side * t.sign, ref)
                    continue
                assert v is not None
                if v.number is None:
                    return None
                total += side * t.sign * v.number
            else:
                return None
    if blank is None:
        return None
    sign, ref = blank
    value = -total / sign
    if form.spec.field_type(ref) == "amount":
        value = round_half_up(value)
        return _set(form, ref, value, f"{value:.2f}")
    return _set(form, ref, value, show(value, "分"))


def _from_tables(book: PerformanceBook, d: Disclosure) -> list[FormChange]:
    """Blank amounts of a project form from its row of the 项目支出表 (the template's `against`)."""
    from .performance_money import links, match_projects

    out = []
    for link, forms in links(book, d):
        p = link.projects
        if p is None or p.table not in d.tables:
            continue
        table = d.tables[p.table]
        rows = [r for r in table.rows if r.kind == "item"]
        pairs, _ = match_projects(forms, rows)
        for form, row in pairs:
            for field, columns in ((("total", (p.total,)),) + p.fields):
                if field not in form.fields or not _blank(form.fields[field]):
                    continue
                if not all(c in table.columns and c not in table.absent_columns for c in columns):
                    continue
                raw = sum((row.amount(c) for c in columns), ZERO)
                value = round_half_up(raw / Decimal(10000)) if table.unit == "元" else raw
                out.append(_set(form, field, value, f"{value:.2f}"))
    return out
