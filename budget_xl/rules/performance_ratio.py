"""The identities of a form that are not sums: 执行率 = 执行数 / 预算数 (to the decimals the form
prints), 预算执行得分 = 分值 × min(执行率, 100 %) (or the province's bands), 自评等级 from 总分."""
from __future__ import annotations

from decimal import Decimal

from ..performance import Form, Value
from ..templates.forms import FormIdentity
from .findings import Finding
from .performance import HUNDRED, ZERO, published_decimals, show, to_decimals


def ratio_identity(form: Form, ident: FormIdentity) -> Finding | str | None:
    """A finding when the identity fails; None when it holds or has nothing to say (a blank form);
    a description of what is missing when it cannot be evaluated."""
    if ident.kind == "rate":
        return _rate(form, ident)
    if ident.kind == "exec_score":
        return _exec_score(form, ident)
    return _grade(form, ident)


def _value(form: Form, ref: str) -> Value | None:
    if ref.startswith("totals."):
        return form.totals.get(ref[7:])
    return form.fields.get(ref)


def _label(form: Form, ref: str) -> str:
    if ref.startswith("totals."):
        return "总分"
    return form.spec.field_label(ref)


def exact_rate(form: Form, exec_ref: str, budget_ref: str) -> Decimal | None:
    """全年执行数 / 全年预算数 in percent, exact; None when either is missing or the budget is 0."""
    e, b = _value(form, exec_ref), _value(form, budget_ref)
    if e is None or b is None or b.number is None or b.number == ZERO:
        return None
    return (e.number or ZERO) / b.number * HUNDRED


def _rate(form: Form, ident: FormIdentity) -> Finding | str | None:
    value_ref, exec_ref, budget_ref = ident.param("value"), ident.param("exec"), ident.param("budget")
    published = _value(form, value_ref)
    if published is None or not published.text:
        return None if published is not None else ""
    if published.number is None:
        return f"“{_label(form, value_ref)}”"
    rate = exact_rate(form, exec_ref, budget_ref)
    if rate is None:
        missing = [r for r in (exec_ref, budget_ref) if _value(form, r) is None]
        if missing:
            return "、".join(f"“{_label(form, r)}”" for r in missing)
        return _no_budget(form, ident, published, exec_ref, budget_ref)
    places = published_decimals(published.text) if not published.text[:1].isdigit() or "%" in published.text else 2
    expected = to_decimals(rate, places)
    if expected == published.number:
        return None
    e, b = _value(form, exec_ref), _value(form, budget_ref)
    assert e is not None and b is not None
    cells = [c for c in (published.cell, e.where, b.where) if c is not None]
    message = (f"{form.label}的{_label(form, value_ref)}（{published.cell}）应为 {show(expected, '%')}%，实为 {published.text}"
               f"（{_label(form, exec_ref)} {e.text or 0} ÷ {_label(form, budget_ref)} {b.text} = {show(to_decimals(rate, 4), '%')}%）。"
               f"{ident.text}")
    return Finding(ident.level, ident.id, ident.text, message, (form.label,), cells, expected, published.number,
                   blamed=True)


def _no_budget(form: Form, ident: FormIdentity, published: Value, exec_ref: str, budget_ref: str) -> Finding | None:
    """全年预算数 0 or blank: no rate can be worked out; one printed for money spent is wrong somewhere."""
    e, b = _value(form, exec_ref), _value(form, budget_ref)
    assert e is not None and b is not None
    if not (e.number or published.number):
        return None                               # nothing budgeted, nothing spent, no rate: nothing to say
    cells = [c for c in (b.where, published.cell, e.where) if c is not None]
    message = (f"{form.label}的{_label(form, budget_ref)}（{b.where}）为 {b.text or '空'}，执行率无从算出，却写为 {published.text}"
               f"（{_label(form, exec_ref)} {e.text or 0}）。{ident.text}")
    return Finding(ident.level, ident.id, ident.text, message, (form.label,), cells, None, b.number or ZERO)


def _exec_score(form: Form, ident: FormIdentity) -> Finding | str | None:
    score_ref, weight_ref, rate_ref = ident.param("score"), ident.param("weight"), ident.param("rate")
    score, weight, rate_value = _value(form, score_ref), _value(form, weight_ref), _value(form, rate_ref)
    if score is None or weight is None or rate_value is None:
        missing = [r for r, v in ((score_ref, score), (weight_ref, weight), (rate_ref, rate_value)) if v is None]
        return "" if score is None else "、".join(f"“{_label(form, r)}”" for r in missing)
    if not score.text or score.number is None or weight.number is None:
        return None
    rate = _rate_of(form, ident, rate_value)
    if rate is None:
        return None
    if ident.bands:     # the province's bands: the share of the 分值 earned from each rate up
        share = next((Decimal(s) for low, s in ident.bands if rate >= low), ZERO)
    else:
        share = min(rate, HUNDRED)
    expected = weight.number * share / HUNDRED
    places = published_decimals(score.text)
    if to_decimals(expected, places) == score.number:
        return None
    cells = [c for c in (score.cell, weight.where, rate_value.where) if c is not None]
    shown = to_decimals(expected, max(places, 2))
    message = (f"{form.label}的{_label(form, score_ref)}（{score.cell}）应为 {show(shown, '分')}，实为 {score.text}"
               f"（分值 {weight.text} × {'按执行率 ' + show(to_decimals(rate, 2), '%') + '% 所在档次的 ' if ident.bands else '执行率 '}"
               f"{show(to_decimals(share, 2), '%')}%）。{ident.text}")
    return Finding(ident.level, ident.id, ident.text, message, (form.label,), cells, shown, score.number, blamed=True)


def _rate_of(form: Form, ident: FormIdentity, rate_value: Value) -> Decimal | None:
    """The execution rate the score follows: the exact one where the form has both amounts (a rate
    printed rounded to 100% may be 99.6%), else the printed one."""
    for rule in form.spec.identities:
        if rule.kind == "rate" and rule.param("value") == ident.param("rate"):
            exact = exact_rate(form, rule.param("exec"), rule.param("budget"))
            if exact is not None:
                return exact
    return rate_value.number


def _grade(form: Form, ident: FormIdentity) -> Finding | str | None:
    value_ref, score_ref = ident.param("value"), ident.param("score")
    grade, score = _value(form, value_ref), _value(form, score_ref)
    if grade is None or not grade.text:
        return None
    if score is None or score.number is None:
        return f"“{_label(form, score_ref)}”"
    expected = next((word for low, word in ident.bands if score.number >= low), ident.bands[-1][1] if ident.bands else "")
    if grade.text.strip().startswith(expected):
        return None
    cells = [c for c in (grade.cell, score.cell) if c is not None]
    message = f"{form.label}的自评等级（{grade.cell}）应为“{expected}”，实为“{grade.text}”（总分 {score.text}）。{ident.text}"
    return Finding(ident.level, ident.id, ident.text, message, (form.label,), cells, None, None, blamed=True)
