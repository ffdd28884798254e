"""The full list of a table set's identities, written from its template (so it cannot drift):
the families implied by the structure, table by table, then the explicit identities."""
from __future__ import annotations

from ..templates import TemplateSet


def identities_markdown(ts: TemplateSet) -> str:
    lines = [f"## {ts.id}（{ts.name}）", "", "### 由结构推出的公式（逐表）", ""]
    for spec in ts.tables.values():
        items = []
        for col in spec.columns:
            if col.sum_of:
                parts = " + ".join(spec.column_label(p) for p in col.sum_of)
                items.append(f"每行 {spec.column_label(col.id)} = {parts}")
        for row_identity in spec.row_identities:
            items.append(f"每行 {row_identity.text}")
        kind = spec.rows.kind
        if kind == "classified":
            levels = "类 = Σ 款 = Σ 项" if spec.rows.classification == "function" else "类 = Σ 款"
            items.append(f"每个单位内 {levels}（有下级时）" if spec.rows.units else f"{levels}（有下级时）")
            items.append("单位行 = Σ 本单位类行；部门行 = Σ 所属单位；合计行 = Σ 部门行" if spec.rows.units
                         else "合计行（有合计行时）= Σ 类行")
        elif kind == "units":
            items.append("部门行 = Σ 所属单位；合计行 = Σ 部门行（无部门行时 Σ 单位行）")
        elif kind == "items":
            items.append("合计行 = Σ 项目（有单位行时：单位行 = Σ 本单位项目）")
        for fixed in spec.fixed_rows:
            if fixed.sum_of:
                s = fixed.sum_of
                parts = ("、".join(spec.fixed_row_label(i) for i in s.ids) if s.ids else
                         "各功能分类类行" if s.all_classes else "经济分类 " + "、".join(s.classes) + " 类")
                items.append(f"{fixed.label} = {parts} 之和（逐列）")
        if spec.rows.classification:
            items.append("编码：款在其类之下、项在其款之下；名称与科目表一致")
        lines.append(f"- **{spec.code} {spec.title}**：" + "；".join(items) if items else f"- **{spec.code} {spec.title}**")
    lines += ["", "### 显式公式（表内、表间）", "", "| 编号 | 级别 | 说明 | 公式 |", "|---|---|---|---|"]
    for ident in ts.identities:
        scope = {"rows": "逐行", "units": "逐单位", "类": "逐类"}.get(ident.each or "", "")
        cols = f"，列：{'、'.join(ident.for_columns)}" if ident.for_columns else ""
        where = f"，限 {ident.where_classes}" if ident.where_classes else ""
        level = "错误" if ident.level == "error" else "警告"
        lines.append(f"| {ident.id} | {level} | {ident.text}{('（' + scope + cols + where + '）') if scope or cols else ''} "
                     f"| `{ident.expr}` |")
    return "\n".join(lines) + "\n"


def all_identities_markdown(sets) -> str:
    head = ["# 各表套的全部审核公式", "",
            "本文件由 `budget-xl templates --identities` 根据 templates/*.yaml 生成，请勿手改。",
            "万元表中，k 个四舍五入后的数与其合计之差在 (k + 1) 个最后一位的半单位以内时报“尾数误差”，不算错误："
            "印到分的表 (k + 1) × 0.005 万元，整万元的表（decimals: 0）(k + 1) × 0.5 万元。", ""]
    from ..rules.catalogue import rules_markdown
    from ..templates.form_builder import load_form_sets
    from .form_identities import forms_identities_markdown

    return ("\n".join(head) + "\n" + rules_markdown() + "\n" + "\n".join(identities_markdown(ts) for ts in sets)
            + "\n" + forms_identities_markdown(load_form_sets()))
