"""`budget-xl templates draft`: a drafted workbook (reader/draft.py) written as a template file.

The file is an ordinary template (templates/README.md): tables by title with their code marks,
header paths, columns (a concept where the wording is one), row kinds, fixed rows, the sums the
workbook's numbers bear out, the unit and `source:` naming the workbook. Wherever a person must
decide — a guessed concept, a guessed row kind, an inferred sum — a `# 请核对：…` comment says so.
Identities between tables whose two sides are equal in this workbook are listed at the end, as
comments to enable. With a base template, an overlay is written instead (template_overlay.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from ..model import FIXED, TOTAL, TOTAL_KEY
from ..reader.draft import TableDraft, WorkbookDraft

CHECK = "# 请核对："
MAX_SUGGESTIONS = 40


def flow(value: Any) -> str:
    """A value as one line of YAML (flow style, keys in the order given)."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1 << 20)
    return text.strip().removesuffix("...").strip()


def header_lines(wd: WorkbookDraft, template_id: str, extends: str = "") -> list[str]:
    what = f"变体（只写与 {extends} 不同之处）" if extends else "模板"
    return [
        f"# 表套{what}，由 budget-xl templates draft 从 {wd.path.name} 起草。",
        "# 起草依据的是这份工作簿的表头和数字：标有“请核对”的地方需要人来确认（猜测的列概念、行结构、",
        "# 按本表数字推断的合计关系）。格式见 templates/README.md；用法：",
        f"#   budget-xl check {wd.path.name} --template {template_id}.yaml",
        f"id: {flow(template_id)}",
    ]


def template_lines(wd: WorkbookDraft, template_id: str) -> list[str]:
    """The whole template file, line by line."""
    lines = header_lines(wd, template_id)
    lines += [f"kind: {wd.kind}   {CHECK}按表名推断（部门预算 或 部门决算）",
              f"name: {flow(template_id)}",
              f"unit: {wd.unit}",
              f"source: {flow(source(wd))}",
              f"total_labels: {flow(wd.total_labels)}"]
    params = {k: v for d in wd.tables for k, v in d.params.items()}
    if params:
        lines.append("params:   # 按本工作簿推断的科目类（供固定行 sum_of: {classes: …} 引用）")
        lines += [f"  {flow(k)}: {flow(v)}" for k, v in params.items()]
    lists = {k: v for d in wd.tables for k, v in d.row_lists.items()}
    if lists:
        lines.append("row_lists:   # 收支总表一类表中按功能分类 类 列出的行（id 是类编码）")
        for name, rows in lists.items():
            lines.append(f"  {flow(name)}:")
            lines += [f"    - {flow(r)}" for r in rows]
    lines.append("tables:")
    for draft in wd.tables:
        lines += table_lines(draft)
    lines += balance_lines([i for d in wd.tables for i in d.identities])
    lines += suggestion_lines(wd)
    return lines


def balance_lines(identities: list[dict]) -> list[str]:
    if not identities:
        return []
    return ["identities:", f"  {CHECK}收支总表一类的表收入总计与支出总计应相等（按表的结构写出）"] + \
        [f"  - {flow(i)}" for i in identities]


def source(wd: WorkbookDraft) -> str:
    sheets = "、".join(dict.fromkeys(d.region.sheet.name.strip() for d in wd.tables))
    return f"{wd.path.name}（工作表 {sheets}），由 budget-xl templates draft 起草"


def table_lines(draft: TableDraft, indent: str = "  ") -> list[str]:
    """One table entry of `tables:`."""
    data, remarks = draft.data, draft.remarks
    region = draft.region
    where = f"工作表 {region.sheet.name.strip()} 第 {region.title_row + 1} 行起"
    lines = [f"{indent}- code: {flow(data['code'])}   # {where}，读到 {len(draft.table.rows)} 行"]
    inner = indent + "  "
    seen: set[str] = set()
    for key in ("title", "aliases", "code_aliases", "unit"):
        if key in data:
            lines.append(f"{inner}{key}: {flow(data[key])}")
    rows = dict(data["rows"])
    fixed = rows.pop("fixed", None)
    if remarks.get("rows"):
        lines.append(f"{inner}{CHECK}{remarks['rows']}")
    if fixed:
        lines.append(f"{inner}rows:")
        lines += [f"{inner}  {key}: {flow(value)}" for key, value in rows.items()]
        lines.append(f"{inner}  fixed:")
        lines += _rows(fixed, remarks, inner + "    ")
    else:
        lines.append(f"{inner}rows: {flow(rows)}")
    if "columns" in data:
        lines.append(f"{inner}columns:")
        lines += _columns(data["columns"], remarks, inner + "  ", seen)
    else:
        lines.append(f"{inner}panels:")
        for panel in data["panels"]:
            lines.append(f"{inner}  - id: {panel['id']}")
            lines.append(f"{inner}    columns:")
            lines += _columns(panel["columns"], remarks, inner + "      ", seen)
            if "rows" in panel:
                lines.append(f"{inner}    rows:")
                lines += _rows(panel["rows"], remarks, inner + "      ")
    return lines


def _columns(columns: list[dict], remarks: dict[str, str], indent: str, seen: set[str]) -> Iterator[str]:
    for col in columns:
        cid = col.get("id") or col.get("concept", "")
        remark = remarks.get(f"col:{cid}")
        if remark and cid not in seen:
            yield f"{indent}{CHECK}{remark}"
        seen.add(cid)
        yield f"{indent}- {flow(col)}"


def _rows(rows: list[dict], remarks: dict[str, str], indent: str) -> Iterator[str]:
    for row in rows:
        remark = remarks.get(f"row:{row.get('id')}")
        if remark:
            yield f"{indent}{CHECK}{remark}"
        yield f"{indent}- {flow(row)}"


# --------------------------------------------------------------------------- identities between tables
def suggestions(wd: WorkbookDraft, translate: Callable[[str], str | None] = lambda ref: ref) -> list[tuple[str, str]]:
    """(expr, text) of equalities between the totals of two tables that hold in this workbook:
    the 合计 row (or a fixed 合计/总计 row) of each amount column, equal and not zero."""
    by_value: dict[Decimal, list[tuple[str, str]]] = {}
    for draft in wd.tables:
        table = draft.table
        for row in table.rows:
            fixed_total = row.kind == FIXED and any(t in row.label for t in ("合计", "总计"))
            if not (row.kind == TOTAL or fixed_total):
                continue
            ref_row = TOTAL_KEY if row.kind == TOTAL else row.key
            for column, value in row.amounts.items():
                ref = translate(f"{table.code}.{column}[{ref_row}]")
                if value and ref:
                    label = f"{table.title}「{row.label}」{table.column_label(column)}"
                    by_value.setdefault(value, []).append((ref, label))
    out: list[tuple[str, str]] = []
    for refs in by_value.values():
        first = refs[0]
        for other in refs[1:]:
            if other[0].split(".")[0] != first[0].split(".")[0]:
                out.append((f"{first[0]} = {other[0]}", f"{first[1]}等于{other[1]}"))
    return out[:MAX_SUGGESTIONS]


def suggestion_lines(wd: WorkbookDraft, translate: Callable[[str], str | None] = lambda ref: ref) -> list[str]:
    found = suggestions(wd, translate)
    if not found:
        return []
    lines = ["", "# 表间审核公式的建议：下面各式两边在本工作簿中相等，但也可能只是碰巧相等。",
             "# 请逐条判断，确需成立的去掉行首的“# ”启用（连同 identities: 一行）。",
             "# identities:"]
    for i, (expr, text) in enumerate(found, 1):
        lines.append(f"#   - {flow({'id': f'D-{i:02d}', 'text': text, 'expr': expr})}")
    return lines
