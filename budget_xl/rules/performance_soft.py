"""The soft rules of the 绩效 forms (warnings): a quantitative indicator that misses its 指标值 but
keeps its full 分值; a 定性 indicator scored outside its band; a large deviation without its reason;
no execution but a top grade; an amount a thousand or ten thousand times its own cost indicators
(元 for 万元); an 指标性质 that is no 指标性质."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache

from ..money import NotANumber, parse_amount, round_half_up
from ..performance import Form, Indicator
from ..templates.forms import FormSet
from .findings import Finding, finding
from .performance import HUNDRED, ZERO, show

_OPS = [("大于等于", ">="), ("不低于", ">="), ("不少于", ">="), ("至少", ">="), ("小于等于", "<="), ("不高于", "<="),
        ("不超过", "<="), ("不多于", "<="), ("≥", ">="), ("≧", ">="), (">=", ">="), ("≤", "<="), ("≦", "<="),
        ("<=", "<="), ("＝", "="), ("=", "="), ("等于", "="), ("大于", ">"), ("高于", ">"), ("小于", "<"), ("低于", "<"),
        (">", ">"), ("<", "<")]
NATURES = {">=", "<=", "=", ">", "<"}
QUALITATIVE = {"定性", "定量", "正向", "反向", "正向指标", "反向指标"}
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
MONEY = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}
SLIP = Decimal(500)      # a ratio beyond this (either way) is a unit slip, not a plan that changed


@cache
def _form_set(set_id: str) -> FormSet | None:
    from ..templates.form_builder import load_form_sets

    return next((fs for fs in load_form_sets() if fs.id == set_id), None)


def op_of(text: str) -> tuple[str, str]:
    """(“>=”, the rest) for “≥90%”, “大于等于80%”; ("", text) when there is no comparison."""
    t = unicodedata.normalize("NFKC", text).strip()
    for word, op in _OPS:
        if t.startswith(word):
            return op, t[len(word):].strip()
    return "", t


def number_in(text: str) -> Decimal | None:
    m = _NUMBER.search(unicodedata.normalize("NFKC", text).replace(",", ""))
    if not m:
        return None
    try:   # the one amount parse path: bounded (10^15), so no later arithmetic overflows
        return parse_amount(m.group(0))
    except NotANumber:
        return None


def soft_findings(form: Form) -> list[Finding]:
    fs = _form_set(form.spec.set_id)
    out: list[Finding] = []
    for ind in form.indicators:
        out += _indicator(form, ind, fs)
    out += _zero_grade(form)
    out += _unit_slip(form)
    return out


def _indicator(form: Form, ind: Indicator, fs: FormSet | None) -> list[Finding]:
    out = []
    nature_text = ind.text("nature")
    nature, _ = op_of(nature_text) if nature_text else ("", "")
    if nature_text and not nature and unicodedata.normalize("NFKC", nature_text).strip() not in QUALITATIVE:
        out.append(finding("warning", "perf-nature", "odd", (form.label,), [c for c in [ind.cell("nature")] if c],
                           form=form.label, indicator=ind.level3 or ind.path, nature=nature_text))
    target_text, actual_text = ind.text("target"), ind.text("actual")
    if not target_text or not actual_text:
        return out
    target_op, target_rest = op_of(target_text)
    op = nature or target_op or "="
    target, actual = number_in(target_rest), number_in(op_of(actual_text)[1])
    weight, score = ind.number("weight"), ind.number("score")
    if target is not None and actual is not None:
        met = {">=": actual >= target, ">": actual > target, "<=": actual <= target, "<": actual < target,
               "=": actual == target}[op]
        if not met and weight and score is not None and score >= weight:
            out.append(finding("warning", "perf-missed-full", "full", (form.label,),
                               [c for c in (ind.cell("score"), ind.cell("actual"), ind.cell("target")) if c],
                               weight, score, form=form.label, indicator=ind.level3, nature=_sign(op),
                               target=target_text.lstrip("≥≤=≧≦<> "), actual=actual_text, score=show(score, "分")))
        limit = fs.deviation_note if fs else None
        if limit is not None and target != 0 and not ind.text("reason") and "reason" in ind.values:
            deviation = abs(actual - target) / abs(target) * HUNDRED
            if deviation > limit:
                out.append(finding("warning", "perf-deviation", "blank", (form.label,),
                                   [c for c in (ind.cell("reason"), ind.cell("actual")) if c],
                                   form=form.label, indicator=ind.level3, target=target_text, actual=actual_text,
                                   deviation=show(round_half_up(deviation, Decimal("0.1")), "%"), limit=show(limit, "%")))
    elif actual is None and fs is not None and weight and score is not None:
        band = _band(actual_text, fs)
        if band is not None:
            low, high = band
            lo, hi = weight * low / HUNDRED, weight * high / HUNDRED
            if not lo <= score <= hi:
                out.append(finding("warning", "perf-qualitative", "band", (form.label,),
                                   [c for c in (ind.cell("score"), ind.cell("actual")) if c], None, score,
                                   form=form.label, indicator=ind.level3, actual=actual_text, weight=show(weight, "分"),
                                   low=show(low, "%"), high=show(high, "%"), lo=show(lo, "分"), hi=show(hi, "分"),
                                   score=show(score, "分")))
    return out


def _sign(op: str) -> str:
    return {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}[op]


def _band(text: str, fs: FormSet) -> tuple[Decimal, Decimal] | None:
    """The qualitative band a completion text names: the longest word found wins (部分达成 over 达成)."""
    words = sorted(((w, b) for b in fs.qualitative for w in b.words), key=lambda x: -len(x[0]))
    t = unicodedata.normalize("NFKC", text).strip().rstrip("。")
    for word, band in words:
        # a one-character answer (是 / 否) is the whole text, not a character of a longer one (不是)
        if (word == t) if len(word) == 1 else (word in t):
            return band.low, band.high
    return None


def _zero_grade(form: Form) -> list[Finding]:
    rate = form.number("exec_rate") if "exec_rate" in form.fields else form.number("total.rate")
    budget = form.number("total.budget")
    score = form.totals.get("score")
    grade = form.text("grade")
    zero = rate == ZERO or budget == ZERO
    top = (score is not None and score.number is not None and score.number >= 90) or grade.startswith("优")
    if not zero or not top:
        return []
    what = "全年预算数为 0" if budget == ZERO else "预算执行率为 0"
    cells = [c for c in (score.cell if score else None, form.where("grade"), form.where("exec_rate"),
                         form.where("total.rate"), form.where("total.budget")) if c]
    return [finding("warning", "perf-zero-grade", "zero", (form.label,), cells, form=form.label, what=what,
                    score=score.text if score else "", grade=f"，自评等级“{grade}”" if grade else "")]


def _unit_slip(form: Form) -> list[Finding]:
    """Money indicators (成本 in 万元 or 元; unit cost × quantity) against the project's amount."""
    amount_field = "total" if "total" in form.fields else "total.budget"
    amount = form.number(amount_field)
    if not amount:
        return []
    out = []
    quantities = {ind.text("measure"): number_in(ind.text("target")) for ind in form.indicators
                  if ind.text("measure") and ind.text("measure") not in MONEY}
    for ind in form.indicators:
        measure = unicodedata.normalize("NFKC", ind.text("measure")).strip()
        value = number_in(op_of(ind.text("target"))[1]) if ind.text("target") else None
        if value is None or not measure:
            continue
        figure, what = None, ""
        if measure in MONEY and ("成本" in ind.level1 + ind.level2 or "预算" in ind.level3):
            figure, what = value * MONEY[measure], f"成本指标“{ind.level3}”"
        elif "/" in measure and measure.split("/", 1)[0] in MONEY:
            per = measure.split("/", 1)[1]
            count = quantities.get(per)
            if count:
                figure, what = value * MONEY[measure.split("/", 1)[0]] * count, f"单位成本“{ind.level3}” × 数量 {count}{per}"
        if figure is None or figure == 0:
            continue
        ratio = figure / amount
        if ratio >= SLIP or ratio <= 1 / SLIP:
            shown = ratio if ratio >= 1 else 1 / ratio
            out.append(finding("warning", "perf-unit-slip", "slip", (form.label,),
                               [c for c in (ind.cell("target"), form.where(amount_field)) if c],
                               form=form.label, what=what, figure=show(round_half_up(figure, Decimal("0.01")), "万元"),
                               amount=show(amount, "万元"), ratio=show(round_half_up(shown, Decimal(1)), "分")))
    return out
