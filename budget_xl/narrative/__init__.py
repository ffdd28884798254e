"""情况说明: the narrative drafted from the tables (`narrate`, `fill`) and checked against them
(`check --narrative`). Figures: spec.py + context.py; wording: wording.py; the narrative check:
verify.py; facts no table holds: facts.py; the document model: document.py."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Disclosure
from .context import Context, build_context
from .document import Block
from .spec import narrative_spec


def context_for(d: Disclosure, *, prior: Disclosure | None = None, budget: Disclosure | None = None,
                profile: Path | None = None) -> Context:
    """The computed context of a disclosure's narrative, with the facts of its 补充信息 sheet and profile."""
    from .facts import profile_facts, workbook_facts

    spec = narrative_spec(d.template)
    if prior is not None and prior.kind != d.kind:
        raise InputError(f"上年工作簿 {prior.path.name} 是{prior.kind}，本年是{d.kind}：请给出同一类别的上年工作簿。")
    if prior is not None and prior.year and d.year and prior.year >= d.year:
        raise InputError(f"上年工作簿 {prior.path.name} 是 {prior.year} 年度，不早于本年（{d.year} 年度）：请检查 --prior。")
    if budget is not None and budget.kind != "部门预算":
        raise InputError(f"--budget 应为同一年度的部门预算工作簿，{budget.path.name} 是{budget.kind}。")
    from .performance_facts import performance_facts

    facts = {**performance_facts(d.performance, spec.facts, d.year), **workbook_facts(d, spec.facts)}
    if profile is not None:
        facts.update(profile_facts(profile))
    return build_context(spec, d, prior, budget, facts)


def draft(ctx: Context) -> list[Block]:
    from .wording import render_blocks

    return render_blocks(ctx)


__all__ = ["Block", "Context", "context_for", "draft"]
