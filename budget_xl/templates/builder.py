"""Building a TemplateSet from the data of a template file (templates/README.md is the format),
validating every item: a mistake is reported with the file, the place and what is wrong."""
from __future__ import annotations

import re
from pathlib import Path

from ..text import chinese_number, norm
from .comparisons import ComparisonBuilder
from .concepts import vocabulary
from .line_feeds import build_feeds
from .spec import (
    CLASSIFICATIONS,
    EACH_MODES,
    KINDS,
    LEVELS,
    ROLES,
    ROW_KINDS,
    ColumnSpec,
    FixedRow,
    Identity,
    PanelSpec,
    RowIdentity,
    RowsSpec,
    RowSum,
    TableSpec,
    TemplateSet,
)


class TemplateBuilder(ComparisonBuilder):
    """Builds a TemplateSet from a template file's data, checking every item as it goes."""

    printed_codes = True   # the set's `printed_codes` (a table built on its own, by drafting, prints its code)
    # -- top level
    def build(self, data, path: Path) -> TemplateSet:
        if not isinstance(data, dict):
            self.fail("文件顶层应为键值表")
        self.check_keys(data, {"id", "kind", "name", "unit", "source", "total_labels", "params", "empty_note",
                               "row_lists", "tables", "identities", "versus_final", "extends", "default",
                               "printed_codes", "department_label", "decimals", "title_prefix", "district"})
        self.printed_codes = data.get("printed_codes", True)
        set_id = self.need(data, "id")
        kind = self.need(data, "kind")
        if kind not in KINDS:
            self.fail(f"kind 应为 {' 或 '.join(sorted(KINDS))}，实际是 “{kind}”")
        unit = self.need(data, "unit")
        if unit not in ("元", "万元"):
            self.fail(f"unit 应为 元 或 万元，实际是 “{unit}”")
        params_raw = data.get("params") or {}
        if not isinstance(params_raw, dict):
            self.fail("params 应为键值表")
        params = {k: self.strings(v, f"params.{k}") for k, v in params_raw.items()}
        self.params = params
        self.row_lists = self.build_row_lists(data.get("row_lists") or {})
        self.decimals = self.decimal_places(data.get("decimals", 2), "decimals")
        tables_raw = self.need(data, "tables", list)
        tables: dict[str, TableSpec] = {}
        for i, raw in enumerate(tables_raw):
            self.where = f"tables 第 {i + 1} 项"
            spec = self.build_table(raw, i, unit)
            if spec.code in tables:
                self.fail(f"表代码 {spec.code} 重复")
            tables[spec.code] = spec
        self.where = ""
        total_labels = self.strings(data.get("total_labels") or ["合计"], "total_labels")
        ts = TemplateSet(
            id=set_id, kind=kind, name=str(data.get("name") or set_id), unit=unit,
            source=str(data.get("source") or ""), total_labels=total_labels, params=params,
            empty_note=str(data.get("empty_note") or "本年度未产生与该表相关的预决算数据"),
            tables=tables, identities=(), path=path, extends=str(data.get("extends") or ""),
            default=bool(data.get("default")),
            department_label=str(data.get("department_label") or "部门（单位）"),
            title_prefix=str(data.get("title_prefix") or ""),
            total_names=frozenset(norm(t) for t in total_labels),
        )
        identities = []
        ids: set[str] = set()
        for i, raw in enumerate(data.get("identities") or []):
            self.where = f"identities 第 {i + 1} 项"
            ident = self.build_identity(raw, ts)
            if ident.id in ids:
                self.fail(f"审核公式编号 {ident.id} 重复")
            ids.add(ident.id)
            identities.append(ident)
        ts.identities = tuple(identities)
        self.where = "versus_final"
        ts.versus_final = self.build_versus(data.get("versus_final") or [], ts)
        self.where = "district"
        ts.district = self.build_district(data.get("district") or [], ts)
        return ts

    def build_row_lists(self, raw) -> dict[str, list[dict]]:
        if not isinstance(raw, dict):
            self.fail("row_lists 应为键值表")
        for name, rows in raw.items():
            if not isinstance(rows, list):
                self.fail(f"row_lists.{name} 应为列表")
        return raw

    # -- tables
    def build_table(self, raw, index: int, set_unit: str) -> TableSpec:
        code = self.need(raw, "code")
        self.where = f"表 {code}"
        self.check_keys(raw, {"code", "title", "aliases", "code_aliases", "unit", "rows", "columns", "panels",
                              "row_identities", "derived", "diff", "printed_code", "lines", "decimals"})
        title = self.need(raw, "title")
        rows = self.build_rows(raw.get("rows") or {})
        if "panels" in raw and "columns" in raw:
            self.fail("columns 与 panels 只能写一个")
        if "panels" in raw:
            panels_raw = self.need(raw, "panels", list)
        elif "columns" in raw:
            panels_raw = [{"id": "main", "columns": raw["columns"]}]
        else:
            self.fail("缺少 columns 或 panels")
        panels = tuple(self.build_panel(p, rows) for p in panels_raw)
        spec = TableSpec(
            code=code, title=title, aliases=self.strings(raw.get("aliases"), "aliases"),
            code_aliases=self.strings(raw.get("code_aliases"), "code_aliases"),
            unit=str(raw.get("unit") or set_unit), rows=rows, panels=panels, order=index,
            derived=bool(raw.get("derived")),
            printed_code=(str(raw["printed_code"] or "") if "printed_code" in raw else (None if self.printed_codes else "")),
            decimals=self.decimal_places(raw.get("decimals", self.decimals), "decimals"),
        )
        self.validate_table(spec)
        row_ids = tuple(self.build_row_identity(r, spec) for r in raw.get("row_identities") or [])
        return spec._replace(row_identities=row_ids, diff=self.build_diff(raw.get("diff") or {}, spec),
                             lines=build_feeds(self, raw.get("lines"), spec))

    # -- diff (year-over-year comparison)
    def build_rows(self, raw) -> RowsSpec:
        self.check_keys(raw, {"kind", "classification", "units", "fixed", "outline", "names", "only_present"})
        kind = self.need(raw, "kind")
        if kind not in ROW_KINDS:
            self.fail(f"rows.kind 应为 {', '.join(sorted(ROW_KINDS))} 之一，实际是 “{kind}”")
        classification = raw.get("classification")
        if kind == "classified" and classification not in CLASSIFICATIONS:
            self.fail("classified 表必须写 classification: function 或 econ")
        fixed = tuple(r for item in raw.get("fixed") or [] for r in self.build_fixed_rows(item, ""))
        outline = bool(raw.get("outline"))
        names: tuple[FixedRow, ...] = ()
        if "names" in raw:
            if kind != "classified":
                self.fail("rows.names 只用于按名称印出科目的 classified 表（指明各类名称与编码的行列表）")
            names = tuple(self.build_fixed_rows({"list": raw["names"]}, ""))
            outline = True
        if outline and kind not in ("classified", "items"):
            self.fail("rows.outline 只用于 classified 或 items 表")
        return RowsSpec(kind=kind, classification=classification, units=bool(raw.get("units")), fixed=fixed,
                        outline=outline, names=names, only_present=bool(raw.get("only_present")))

    def build_panel(self, raw, rows: RowsSpec) -> PanelSpec:
        pid = self.need(raw, "id")
        self.check_keys(raw, {"id", "columns", "rows", "classes"})
        cols = tuple(self.build_column(c, pid) for c in self.need(raw, "columns", list))
        fixed = tuple(r for item in raw.get("rows") or [] for r in self.build_fixed_rows(item, pid))
        if fixed and rows.kind != "fixed":
            self.fail(f"面板 {pid} 列出了固定行，但 rows.kind 不是 fixed")
        return PanelSpec(id=pid, columns=cols, rows=fixed, classes=self.strings(raw.get("classes"), "classes"))

    def build_column(self, raw, panel: str) -> ColumnSpec:
        self.check_keys(raw, {"id", "concept", "role", "header", "aliases", "sum_of", "col_no", "optional", "label",
                              "percent", "decimals", "only_present"})
        concept = None
        if "concept" in raw:
            concepts = vocabulary().concepts
            concept = concepts.get(str(raw["concept"]))
            if concept is None:
                self.fail(f"列的 concept “{raw['concept']}” 不在 concepts.yaml 中（有：{'、'.join(concepts)}）")
        cid = self.need(raw, "id") if "id" in raw or concept is None else concept.id
        role = raw.get("role", "amount")
        if role not in ROLES:
            self.fail(f"列 {cid} 的 role “{role}” 未知（允许：{', '.join(sorted(ROLES))}）")
        if "header" in raw or concept is None:
            header = self.strings(self.need(raw, "header", list), f"列 {cid} 的 header")
        else:
            header = (concept.label,)
        if not header:
            self.fail(f"列 {cid} 的 header 不能为空")
        col_no = raw.get("col_no")
        if col_no is not None and not isinstance(col_no, int):
            self.fail(f"列 {cid} 的 col_no 应为整数")
        sum_of = self.strings(raw.get("sum_of"), f"列 {cid} 的 sum_of")
        if sum_of and role != "amount":
            self.fail(f"列 {cid} 不是金额列，不能有 sum_of")
        aliases = self.strings(raw.get("aliases"), "aliases")
        if raw.get("only_present") and not raw.get("optional"):
            self.fail(f"列 {cid} 写了 only_present（只在工作簿印了时才印出），也应写 optional: true")
        if concept is not None:
            aliases = tuple(dict.fromkeys((*aliases, concept.label, *concept.synonyms)))
        of, over, decimals = self.percent_parts(raw, cid, role)
        return ColumnSpec(id=cid, role=role, header=header, aliases=aliases, sum_of=sum_of, col_no=col_no,
                          optional=bool(raw.get("optional")), label=str(raw.get("label") or header[-1]), panel=panel,
                          concept=concept.id if concept else "", percent_of=of, percent_over=over, decimals=decimals,
                          only_present=bool(raw.get("only_present")))

    def build_fixed_rows(self, raw, panel: str) -> list[FixedRow]:
        if not isinstance(raw, dict):
            self.fail("固定行应为键值表")
        if "list" in raw:
            name = raw["list"]
            if name not in self.row_lists:
                self.fail(f"引用了不存在的行列表 row_lists.{name}")
            self.check_keys(raw, {"list", "first_line", "only_present", "numbered"})
            first = raw.get("first_line")
            # numbered: the list's rows carry 一、二、… by their place in the list (辽宁 收支总表, 决算01/04);
            # only_present numbers the rows printed, in order, when the table is written (grid.py).
            numbered = bool(raw.get("numbered")) and not raw.get("only_present")
            return [with_names(FixedRow(id=str(r["id"]), label=str(r["label"]),
                                         aliases=self.strings(r.get("aliases"), "aliases"),
                                         line=(first + i) if isinstance(first, int) else None, panel=panel,
                                         is_class=True, only_present=bool(raw.get("only_present")),
                                         number=f"{chinese_number(i + 1)}、" if numbered else "",
                                         numbered=raw.get("numbered", True) is not False))
                    for i, r in enumerate(self.row_lists[name])]
        self.check_keys(raw, {"id", "label", "aliases", "line", "sum_of", "footer", "number"})
        rid = self.need(raw, "id")
        number = raw.get("number") or ""
        if not isinstance(number, str):
            self.fail(f"行 {rid} 的 number 应为文字，如“一、”“1. ”“（一）”")
        return [with_names(FixedRow(id=rid, label=self.need(raw, "label"), aliases=self.strings(raw.get("aliases"), "aliases"),
                                     line=raw.get("line"), sum_of=self.build_row_sum(raw.get("sum_of"), rid), panel=panel,
                                     footer=bool(raw.get("footer")), number=number))]

    def build_row_sum(self, raw, rid: str) -> RowSum | None:
        if raw is None:
            return None
        if raw == "classes":
            return RowSum(all_classes=True)
        if isinstance(raw, dict) and set(raw) == {"classes"}:
            param = raw["classes"]
            if param not in self.params:
                self.fail(f"行 {rid} 的 sum_of 引用了未定义的参数 params.{param}")
            return RowSum(classes_param=param, classes=self.params[param])
        return RowSum(ids=self.strings(raw, f"行 {rid} 的 sum_of"))

    def validate_table(self, spec: TableSpec) -> None:
        amount_ids = set(spec.column_ids)
        seen_roles = set()
        for panel in spec.panels:
            ids = [c.id for c in panel.columns]
            if len(ids) != len(set(ids)):
                self.fail(f"面板 {panel.id} 中列 id 重复")
            for col in panel.columns:
                for part in col.sum_of:
                    if part not in amount_ids:
                        self.fail(f"列 {col.id} 的 sum_of 引用了不存在的金额列 “{part}”")
                for _, part in col.percent_of + col.percent_over:
                    if part not in amount_ids:
                        self.fail(f"百分比列 {col.id} 引用了不存在的金额列 “{part}”")
                seen_roles.add(col.role)
            if spec.rows.kind != "single" and not (panel.role("label") or panel.role("code")):
                self.fail(f"面板 {panel.id} 没有科目/项目名称列（role: label）")
        if not amount_ids:
            self.fail("没有金额列")
        check_acyclic(spec, self.fail)
        row_ids = [r.id for r in spec.fixed_rows]
        dup = {r for r in row_ids if row_ids.count(r) > 1}
        if dup:
            self.fail(f"固定行 id 重复：{', '.join(sorted(dup))}")
        for row in spec.fixed_rows:
            if row.sum_of:
                for part in row.sum_of.ids:
                    target = spec.fixed_row(part)
                    if not target:
                        self.fail(f"行 {row.id} 的 sum_of 引用了不存在的行 “{part}”")
                    if spec.rows.kind == "fixed" and target.panel != row.panel:
                        self.fail(f"行 {row.id} 的 sum_of 引用了其他面板的行 “{part}”")
        if spec.rows.kind == "fixed" and not spec.fixed_rows:
            self.fail("fixed 表必须在面板中列出固定行")

    def build_row_identity(self, raw, spec: TableSpec) -> RowIdentity:
        rid = self.need(raw, "id")
        expr = self.need(raw, "expr")
        m = re.fullmatch(r"\s*(.+?)\s*(<=|>=|=)\s*(.+?)\s*", expr)
        if not m:
            self.fail(f"行公式 {rid} 缺少比较符（=、<= 或 >=）：{expr}")
        sides = []
        for side in (m.group(1), m.group(3)):
            terms = []
            for sign, name in re.findall(r"([+-]?)\s*([A-Za-z_]\w*)", side):
                if name not in spec.column_ids:
                    self.fail(f"行公式 {rid} 引用了不存在的金额列 “{name}”")
                terms.append((-1 if sign == "-" else 1, name))
            if not terms:
                self.fail(f"行公式 {rid} 有一边为空：{expr}")
            sides.append(tuple(terms))
        return RowIdentity(id=rid, text=str(raw.get("text") or expr), expr=expr, left=sides[0], right=sides[1],
                           op=m.group(2))

    # -- identities
    def build_identity(self, raw, ts: TemplateSet) -> Identity:
        iid = self.need(raw, "id")
        self.where = f"审核公式 {iid}"
        self.check_keys(raw, {"id", "text", "expr", "level", "each", "for_columns", "where"})
        expr = self.need(raw, "expr")
        level = raw.get("level", "error")
        if level not in LEVELS:
            self.fail(f"level 应为 error 或 warning，实际是 “{level}”")
        each = raw.get("each")
        if each is not None and each not in EACH_MODES:
            self.fail(f"each 应为 {', '.join(sorted(EACH_MODES))} 之一，实际是 “{each}”")
        for_columns = self.strings(raw.get("for_columns"), "for_columns")
        where = raw.get("where")
        where_classes = None
        if where is not None:
            if not (isinstance(where, dict) and set(where) == {"classes"} and where["classes"] in ts.params):
                self.fail("where 只支持 {classes: <params 中的参数名>}")
            where_classes = where["classes"]
        left, op, right = self.parse_expr(expr)
        ident = Identity(id=iid, text=str(raw.get("text") or expr), expr=expr, left=left, op=op, right=right,
                         level=level, each=each, for_columns=for_columns, where_classes=where_classes)
        self.validate_identity(ident, ts)
        return ident

    def validate_identity(self, ident: Identity, ts: TemplateSet) -> None:
        columns = ident.for_columns or (None,)
        for term in ident.left + ident.right:
            if not term.ref:
                continue
            ref = term.ref
            spec = ts.tables.get(ref.table)
            if spec is None:
                self.fail(f"引用了模板中没有的表 “{ref.table}”")
            for col in columns:
                cid = ref.column.replace("{col}", col) if col else ref.column
                if "{col}" in cid:
                    self.fail("公式用了 {col} 但没有 for_columns")
                if cid not in spec.column_ids:
                    self.fail(f"表 {ref.table} 没有金额列 “{cid}”")
            if ref.row == "*":
                if not ident.each:
                    self.fail("[*] 只能用在 each 公式中")
            elif ref.row == "合计":
                if spec.rows.kind == "fixed":
                    self.fail(f"表 {ref.table} 没有合计行，请引用固定行 id")
            elif ref.row.isdigit():
                if spec.rows.kind not in ("classified", "fixed"):
                    self.fail(f"表 {ref.table} 没有科目行，不能引用 [{ref.row}]")
            elif spec.fixed_row(ref.row) is None:
                self.fail(f"表 {ref.table} 没有行 “{ref.row}”")


def with_names(row: FixedRow) -> FixedRow:
    return row._replace(names=frozenset({norm(row.label)} | {norm(a) for a in row.aliases}))


def check_acyclic(spec: TableSpec, fail) -> None:
    graph = {c.id: c.sum_of for c in spec.columns}
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        if state.get(node) == 1:
            fail(f"列的 sum_of 出现循环（涉及 {node}）")
        if state.get(node) == 2:
            return
        state[node] = 1
        for child in graph.get(node, ()):
            visit(child)
        state[node] = 2

    for node in graph:
        visit(node)
