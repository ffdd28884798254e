"""情况说明: the narrative drafted from the tables (`narrate`, `fill`) and checked against them
(`check --narrative`). Figures: spec.py + context.py; wording: wording.py; the narrative check:
verify.py; facts no table holds: facts.py; the document model: document.py."""
from __future__ import annotations

from pathlib import Path

from ..classification import same_department
from ..errors import InputError
from ..model import Disclosure
from .context import Context, build_context
from .document import Block
from .spec import narrative_spec


def context_for(d: Disclosure, *, prior: Disclosure | None = None, budget: Disclosure | None = None,
                profile: Path | None = None, force: bool = False) -> Context:
    """The computed context of a disclosure's narrative, with the facts of its 补充信息 sheet and profile.
    Another department's prior-year or budget workbook is refused (its figures would be stated as
    this department's 上年 / 年初预算) unless `force`."""
    from .facts import profile_facts, workbook_facts

    spec = narrative_spec(d.template)
    if prior is not None and prior.kind != d.kind:
        raise InputError(f"上年工作簿 {prior.path.name} 是{prior.kind}，本年是{d.kind}：请给出同一类别的上年工作簿。")
    if prior is not None and prior.year and d.year and prior.year >= d.year:
        raise InputError(f"上年工作簿 {prior.path.name} 是 {prior.year} 年度，不早于本年（{d.year} 年度）：请检查 --prior。")
    if budget is not None and budget.kind != "部门预算":
        raise InputError(f"--budget 应为同一年度的部门预算工作簿，{budget.path.name} 是{budget.kind}。")
    # With --force a mismatch is used all the same, and said: the draft's 上年 / 年初预算 figures are another's.
    overridden = []
    if budget is not None and budget.year and d.year and budget.year != d.year:
        if not force:
            raise InputError(f"--budget 给出的 {budget.path.name} 是 {budget.year} 年度的预算，本年是 {d.year} 年度："
                             f"请给出同一年度的部门预算（确认无误可加 --force）。")
        overridden.append(f"--budget 给出的 {budget.path.name} 是 {budget.year} 年度的预算（本年是 {d.year} 年度），按 --force 照用")
    for other, option in ((prior, "--prior"), (budget, "--budget")):
        if other is not None and same_department(other.department, d.department) is False:
            if not force:
                raise InputError(f"{option} 给出的 {other.path.name} 是“{other.department}”的工作簿，不是本部门"
                                 f"“{d.department}”的：请给出本部门的工作簿（确认要用它，加 --force）。")
            overridden.append(f"{option} 给出的 {other.path.name} 是“{other.department}”的工作簿（不是本部门），按 --force 照用")
    from .performance_facts import performance_facts

    facts = {**performance_facts(d.performance, spec.facts, d.year), **workbook_facts(d, spec.facts)}
    if profile is not None:
        facts.update(profile_facts(profile))
    ctx = build_context(spec, d, prior, budget, facts)
    ctx.overridden = overridden
    return ctx


def draft(ctx: Context) -> list[Block]:
    from .wording import render_blocks

    return render_blocks(ctx)


__all__ = ["Block", "Context", "context_for", "draft"]
