"""What a template says about comparisons: `diff` (how `diff` pairs and totals a table),
`versus_final` (a 部门预算 set's lines against the 部门决算 tables) and `district` (a 政府预算's
figures against the sum of its departments')."""
from __future__ import annotations

import re

from .measures import MeasureChecker
from .spec import DiffSpec, SangongLine, TableSpec, TemplateSet, VersusLine, VersusSection, VersusSide


class ComparisonBuilder(MeasureChecker):
    def build_diff(self, raw, spec: TableSpec) -> DiffSpec:
        if not isinstance(raw, dict):
            self.fail("diff 应为键值表")
        self.check_keys(raw, {"columns", "total", "match", "sangong"})
        amount_ids = set(spec.column_ids)
        columns = self.strings(raw.get("columns"), "diff.columns")
        for cid in columns:
            if cid not in amount_ids:
                self.fail(f"diff.columns 中的 “{cid}” 不是本表的金额列")
        total = raw.get("total") or {}
        if not isinstance(total, dict):
            self.fail("diff.total 应为 {row: 行, column: 列}")
        self.check_keys(total, {"row", "column"})
        # A fixed-row table has no 合计 row: its total line is named, or it has none.
        total_row = str(total.get("row") or ("" if spec.rows.kind == "fixed" else "合计"))
        if total_row == "合计" and spec.rows.kind == "fixed":
            self.fail("固定行表没有合计行：diff.total 请写固定行 id")
        if total_row not in ("", "合计") and spec.fixed_row(total_row) is None:
            self.fail(f"diff.total 的行 “{total_row}” 不是本表的固定行（或 合计）")
        total_column = str(total.get("column") or "")
        if total_column and total_column not in (columns or amount_ids):
            self.fail(f"diff.total 的列 “{total_column}” 不在对比的列中")
        match = self.strings(raw.get("match") or ["label"], "diff.match")
        text_ids = {c.id for p in spec.panels for c in p.columns if not c.is_amount}
        for cid in match:
            if cid != "label" and cid not in text_ids:
                self.fail(f"diff.match 中的 “{cid}” 不是本表的文字列（或 label）")
        sangong = []
        for item in raw.get("sangong") or []:
            self.check_keys(item, {"label", "column", "indent"})
            line = SangongLine(self.need(item, "label"), self.need(item, "column"), int(item.get("indent") or 0))
            if line.column not in amount_ids:
                self.fail(f"diff.sangong 的列 “{line.column}” 不是本表的金额列")
            sangong.append(line)
        return DiffSpec(columns, total_row, total_column, match, tuple(sangong))

    def build_versus(self, raw, ts: TemplateSet) -> tuple[VersusSection, ...]:
        if not isinstance(raw, list):
            self.fail("versus_final 应为列表")
        if raw and ts.kind != "部门预算":
            self.fail("versus_final 只写在部门预算模板中（它说明本套预算表与决算表的对应关系）")
        sections = []
        for i, item in enumerate(raw):
            self.where = f"versus_final 第 {i + 1} 项"
            self.check_keys(item, {"id", "title", "budget", "final", "lines"})
            lines = []
            for line in item.get("lines") or []:
                self.check_keys(line, {"label", "budget", "final", "indent"})
                lines.append(VersusLine(self.need(line, "label"), self.versus_side(self.need(line, "budget"), ts),
                                        self.versus_side(self.need(line, "final")), int(line.get("indent") or 0)))
            has_pair = "budget" in item or "final" in item
            if has_pair == bool(lines):
                self.fail("应写 budget 与 final（按科目编码逐行对比），或写 lines（逐条列出），二者取一")
            budget = self.versus_side(self.need(item, "budget"), ts) if has_pair else None
            final = self.versus_side(self.need(item, "final")) if has_pair else None
            for side in (budget, final):
                if side is not None and side.row != "*":
                    self.fail("按科目编码对比时 budget、final 写成 表代码.列id（不带 [行]）")
            sections.append(VersusSection(self.need(item, "id"), self.need(item, "title"), budget, final, tuple(lines)))
        self.where = ""
        return tuple(sections)

    def build_district(self, raw, ts: TemplateSet) -> tuple[tuple[str, VersusSide], ...]:
        """`district`: [{label: 因公出国（境）费, government: 表.列[行]}, …] (check FOLDER, templates/README.md)."""
        if not isinstance(raw, list):
            self.fail("district 应为列表")
        out = []
        for item in raw:
            self.check_keys(item, {"label", "government"})
            side = self.versus_side(self.need(item, "government"), ts)
            if side.row == "*":
                self.fail("district 的 government 应写成 表代码.列id[行]")
            out.append((self.need(item, "label"), side))
        return tuple(out)

    def versus_side(self, text: str, ts: TemplateSet | None = None) -> VersusSide:
        """'附表7.total' or '附表9.abroad[合计]'; budget sides are checked against this template
        (final sides name the 部门决算 template's tables: checked when a comparison runs)."""
        m = re.fullmatch(r"\s*([^\s.\[\]]+)\.(\w+)(?:\[([^\]]+)\])?\s*", str(text))
        if not m:
            self.fail(f"“{text}” 应写成 表代码.列id 或 表代码.列id[行]")
        side = VersusSide(m.group(1), m.group(2), (m.group(3) or "*").strip())
        if ts is not None:
            spec = ts.tables.get(side.table)
            if spec is None:
                self.fail(f"引用了模板中没有的表 “{side.table}”")
            if side.column not in spec.column_ids:
                self.fail(f"表 {side.table} 没有金额列 “{side.column}”")
        return side
