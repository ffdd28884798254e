"""The 绩效 forms' identities for templates/IDENTITIES.md, written from the form templates (so the
list cannot drift): per set and form, each identity with its level and formula, and what the forms
are compared with in the 公开表 and the 情况说明."""
from __future__ import annotations

from ..templates.forms import FormSet

_KIND_WORDS = {"rate": "执行率 = 执行数 ÷ 预算数（按所印小数位）", "exec_score": "预算执行得分 = 分值 × min(执行率, 100%)",
               "grade": "等级按总分分档"}


def forms_identities_markdown(sets: tuple[FormSet, ...]) -> str:
    lines = ["## 绩效表（templates/performance/）", "",
             "每张表的公式逐张核对；`Σ列` 是该表全部指标的这一列之和，`totals.列` 是总分（总计、合计）行的这一列。", ""]
    for fs in sets:
        lines += [f"### {fs.id}（{fs.name}）", ""]
        for form in fs.forms.values():
            lines.append(f"- **{form.title}**（{form.kind}，`{form.id}`）" + ("：无表内公式" if not form.identities else ""))
            seen: set[str] = set()
            for ident in form.identities:
                if ident.id in seen:
                    continue
                seen.add(ident.id)
                level = "错误" if ident.level == "error" else "警告"
                formula = ident.expr if ident.kind == "expr" else _KIND_WORDS[ident.kind]
                bands = ""
                if ident.bands:
                    bands = "；" + "、".join(f"≥{low} {word}" for low, word in ident.bands)
                each = "（逐项指标）" if ident.each else ""
                lines.append(f"  - {ident.id}（{level}）{ident.text}{each}：`{formula}`{bands}")
        for link in fs.against:
            what = []
            if link.projects:
                what.append(f"项目表 ↔ {link.projects.table} 同一项目的一行（项目总额 ↔ {link.projects.total}"
                            + "".join(f"，{f} ↔ {' + '.join(c)}" for f, c in link.projects.fields) + "）")
            if link.department:
                what.append("部门整体 ↔ " + "；".join(f"{f}: " + " 或 ".join(" + ".join(f"{t}.{c}" for _, t, c in o) for o in opts)
                                                   for f, opts in link.department))
            if link.sum:
                what.append(f"Σ {link.sum.field} ↔ {link.sum.table}.{link.sum.column}[{link.sum.row}]（{link.sum.level}）")
            lines.append(f"- 与公开表（{'、'.join(link.tables)}）：" + "；".join(what))
        if fs.narrative:
            words = "、".join(f.id for f in fs.narrative.figures)
            lines.append(f"- 与情况说明（{'、'.join(fs.narrative.section)} 部分）：{words}，以及写到某个项目的得分、预算数、执行数、完成比例")
        lines.append("")
    return "\n".join(lines)
