"""The 绩效 facts of the 情况说明 from the forms themselves, when the workbook has them (or `fill
--performance` gives them): how many projects have 绩效目标 and the money they cover (部门预算), the
自评 counts, money and each project's result (部门决算). The clerk's 补充信息 sheet and profile still
win: these only fill what they leave out."""
from __future__ import annotations

from decimal import Decimal

from ..money import round_half_up
from ..performance import Form, PerformanceBook


def _wan(value: Decimal) -> str:
    return f"{round_half_up(value):.2f}"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def performance_facts(book: PerformanceBook | None, keys: dict[str, str], year: int | None) -> dict[str, str]:
    if book is None:
        return {}
    targets = book.of_kind("项目绩效目标")
    evals = book.of_kind("项目绩效自评")
    facts: dict[str, str] = {}
    if targets:
        facts["绩效目标项目个数"] = str(len(targets))
        facts["绩效目标金额"] = _wan(sum((f.number("total") or Decimal(0) for f in targets), Decimal(0)))
        facts["绩效单位个数"] = str(len({f.unit_code or f.unit_name for f in targets}) or 1)
        facts["绩效目标项目"] = f"编报绩效目标的项目{facts['绩效目标项目个数']}个，涉及预算金额{facts['绩效目标金额']}万元"
    if evals:
        money = sum((f.number("total.budget") or Decimal(0) for f in evals), Decimal(0))
        results = "".join(_result(n, f) for n, f in enumerate(evals, 1))
        facts["绩效自评"] = f"开展绩效自评的项目{len(evals)}个，涉及资金{_wan(money)}万元"
        facts["绩效评价情况"] = (f"组织对{year or ''}年度预算项目支出开展绩效自评，共涉及预算支出项目{len(evals)}个，"
                                 f"涉及资金{_wan(money)}万元。{results}")
    return {k: v for k, v in facts.items() if k in keys}


def _result(n: int, f: Form) -> str:
    parts = [f"（{n}）{f.name}项目绩效自评情况："]
    score = f.totals.get("score")
    if score is not None and score.number is not None:
        parts.append(f"项目绩效自评得分为{_plain(score.number)}分。")
    budget, spent = f.number("total.budget"), f.number("total.exec")
    if budget is not None and spent is not None:
        rate = f"，完成预算的{_plain(round_half_up(spent / budget * 100, Decimal('0.01')))}%" if budget else ""
        parts.append(f"项目全年预算数为{_wan(budget)}万元，执行数为{_wan(spent)}万元{rate}。")
    return "".join(parts)
