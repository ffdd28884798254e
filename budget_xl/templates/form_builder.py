"""Making a FormSet from a 绩效 template file (templates/performance/*.yaml), checked item by item:
a mistake is one sentence naming the file and the place, like the table-set templates."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from .checker import Checker
from .files import cached, load_yaml, templates_dir
from .forms import (
    FIELD_TYPES,
    FORM_KINDS,
    Against,
    FieldSpec,
    FormIdentity,
    FormSet,
    FormSpec,
    FormTerm,
    GridColumn,
    GridSpec,
    MatrixSpec,
    NarrativeFigure,
    NarrativeSpec,
    PrintCell,
    PrintSpec,
    ProjectsLink,
    QualitativeBand,
    SumLink,
    TasksSpec,
    label_key,
)

_TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|=|≤|≥)|(?P<sign>[+-])|(?P<num>\d+(?:\.\d+)?)(?![\w.])"
                    r"|(?P<sum>Σ\s*[A-Za-z_]\w*)|(?P<ref>[A-Za-z_][\w.{}]*))")
_OPS = {"≤": "<=", "≥": ">="}


def performance_dir() -> Path:
    return templates_dir() / "performance"


@cache
def load_form_sets() -> tuple[FormSet, ...]:
    """Every bundled 绩效 form set (templates/performance/*.yaml), the default one first."""
    sets = [cached(p, load_form_set, FormSet) for p in sorted(performance_dir().glob("*.yaml"))]
    return tuple(sorted(sets, key=lambda s: not s.default))


def get_form_set(name: str) -> FormSet:
    """A form set by id (绩效-全国) or a .yaml path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return load_form_set(path)
    for fs in load_form_sets():
        if name == fs.id:
            return fs
    known = "、".join(fs.id for fs in load_form_sets())
    raise TemplateError(f"没有名为“{name}”的绩效表模板。可用的：{known}（也可给出 .yaml 文件路径）。")


def load_form_set(path: str | Path) -> FormSet:
    path = Path(path)
    return FormSetBuilder(path.name).build(load_yaml(path, "绩效表模板文件"), path)


class FormSetBuilder(Checker):
    def __init__(self, filename: str):
        super().__init__(filename, "绩效表模板")

    def build(self, data: Any, path: Path | None = None) -> FormSet:
        if not isinstance(data, dict):
            self.fail("文件内容应为键值表（id、forms 等）")
        self.check_keys(data, {"id", "name", "source", "unit", "default", "forms", "qualitative", "deviation_note",
                               "against", "narrative"})
        set_id = self.need(data, "id")
        forms: dict[str, FormSpec] = {}
        for i, item in enumerate(self.need(data, "forms", list)):
            self.where = f"第 {i + 1} 张表"
            form = self.form(item, set_id)
            if form.id in forms:
                self.fail(f"表 id “{form.id}” 重复")
            forms[form.id] = form
        self.where = ""
        fs = FormSet(set_id, str(data.get("name") or set_id), str(data.get("source") or ""), str(data.get("unit") or "万元"),
                     forms, self.qualitative(data.get("qualitative") or []), self.decimal(data.get("deviation_note")),
                     tuple(self.against(a, forms) for a in data.get("against") or []),
                     self.narrative(data.get("narrative")), bool(data.get("default")), path)
        for form in forms.values():
            for name in form.title_names():
                fs.title_index.setdefault(name, []).append(form)
        return fs

    # ------------------------------------------------------------------ one form
    def form(self, item: Any, set_id: str) -> FormSpec:
        self.check_keys(item, {"id", "kind", "title", "aliases", "key", "fields", "matrices", "money", "indicators",
                               "identities", "print", "tasks"})
        form_id = self.need(item, "id")
        self.where = f"表 {form_id}"
        kind = self.need(item, "kind")
        if kind not in FORM_KINDS:
            self.fail(f"kind 应为 {'、'.join(FORM_KINDS)} 之一，而不是“{kind}”")
        grid = self.grid(item.get("indicators"))
        fields = tuple(self.field_spec(f, grid) for f in item.get("fields") or [])
        ids = [f.id for f in fields]
        if len(set(ids)) != len(ids):
            self.fail("fields 中的 id 重复")
        matrices = tuple(self.matrix(m) for m in item.get("matrices") or [])
        tasks = None
        if item.get("tasks"):
            t = item["tasks"]
            tasks = TasksSpec(self.need(t, "label"), self.strings(t.get("columns"), "tasks.columns"))
        form = FormSpec(form_id, set_id, kind, self.need(item, "title"), self.strings(item.get("aliases"), "aliases"),
                        str(item.get("key") or ""), fields, matrices, self.strings(item.get("money"), "money"), grid, (),
                        PrintSpec((), ()), tasks)
        known = set(form.field_ids)
        if form.key and form.key not in known:
            self.fail(f"key “{form.key}” 不是本表的字段")
        for m in form.money:
            if m not in known:
                self.fail(f"money 中的“{m}”不是本表的字段")
        identities = tuple(ident for i in item.get("identities") or [] for ident in self.identity(i, form))
        printed = self.print_spec(item.get("print") or {}, form)
        return form._replace(identities=identities, print=printed)

    def field_spec(self, f: Any, grid: GridSpec | None) -> FieldSpec:
        self.check_keys(f, {"id", "label", "aliases", "type", "value", "indicator", "column"})
        fid = self.need(f, "id")
        ftype = str(f.get("type") or "text")
        if ftype not in FIELD_TYPES:
            self.fail(f"字段 {fid} 的 type 应为 {'、'.join(sorted(FIELD_TYPES))} 之一")
        if f.get("indicator"):
            column = self.need(f, "column")
            if grid is None or grid.column(column) is None:
                self.fail(f"字段 {fid} 取自指标的“{column}”列，但指标表没有这一列")
            return FieldSpec(fid, str(f.get("label") or f["indicator"]), (), ftype, indicator=str(f["indicator"]), column=column)
        label = self.need(f, "label")
        aliases = self.strings(f.get("aliases"), "aliases")
        value = f.get("value")
        if value not in (None, "beside", "below"):
            self.fail(f"字段 {fid} 的 value 应为 beside 或 below")
        names = frozenset(label_key(x) for x in (label, *aliases))
        return FieldSpec(fid, label, aliases, ftype, value == "below", names=names)

    def matrix(self, m: Any) -> MatrixSpec:
        self.check_keys(m, {"label", "rows", "columns", "types"})
        rows: list[tuple[str, frozenset[str]]] = []
        cols: list[tuple[str, frozenset[str]]] = []
        labels: dict[str, str] = {}
        for key, out in (("rows", rows), ("columns", cols)):
            spec = self.need(m, key, dict)
            for rid, words in spec.items():
                words = self.strings(words, f"{key}.{rid}")
                if not words:
                    self.fail(f"矩阵 {key} 的“{rid}”没有写法")
                out.append((str(rid), frozenset(label_key(w) for w in words)))
                labels[str(rid)] = words[0]
        types = {str(k): str(v) for k, v in (m.get("types") or {}).items()}
        if any(t not in FIELD_TYPES for t in types.values()) or set(types) - {c for c, _ in cols}:
            self.fail("矩阵 types 应为 列 id → 字段类型")
        return MatrixSpec(str(m.get("label") or ""), tuple(rows), tuple(cols), types, labels)

    def grid(self, g: Any) -> GridSpec | None:
        if not g:
            return None
        self.check_keys(g, {"columns", "total_labels"})
        columns = []
        for c in self.need(g, "columns", list):
            self.check_keys(c, {"id", "header", "aliases", "optional", "type"})
            header = self.need(c, "header")
            aliases = self.strings(c.get("aliases"), "aliases")
            ctype = str(c.get("type") or "text")
            if ctype not in ("text", "score"):
                self.fail(f"指标列 {c.get('id')} 的 type 应为 text 或 score")
            columns.append(GridColumn(self.need(c, "id"), header, aliases, bool(c.get("optional")), ctype,
                                      frozenset(label_key(x) for x in (header, *aliases))))
        ids = {c.id for c in columns}
        if len(ids) != len(columns) or not {"level1", "level3"} <= ids:
            self.fail("指标列的 id 不能重复，且应有 level1（一级指标）和 level3（三级指标）")
        return GridSpec(tuple(columns), self.strings(g.get("total_labels"), "total_labels"))

    # ------------------------------------------------------------------ identities
    def identity(self, item: Any, form: FormSpec) -> list[FormIdentity]:
        self.check_keys(item, {"id", "text", "level", "expr", "each", "for", "rate", "exec_score", "grade"})
        ident_id = self.need(item, "id")
        self.where = f"表 {form.id}，公式 {ident_id}"
        text = self.need(item, "text")
        level = str(item.get("level") or "error")
        if level not in ("error", "warning"):
            self.fail("level 应为 error 或 warning")
        each = str(item.get("each") or "")
        if each not in ("", "indicator"):
            self.fail("each 只能是 indicator")
        kinds = [k for k in ("expr", "rate", "exec_score", "grade") if k in item]
        if len(kinds) != 1:
            self.fail("应有且只有 expr、rate、exec_score、grade 中的一项")
        kind = kinds[0]
        out = []
        for col in self.strings(item.get("for"), "for") or ("",):
            def sub(s: str, col: str = col) -> str:
                return s.replace("{col}", col) if col else s
            if kind == "expr":
                expr = sub(str(item["expr"]))
                left, op, right = self.parse(expr, form, each)
                out.append(FormIdentity(ident_id, text, level, kind, str(item["expr"]), left, op, right, each))
                continue
            params = self.need(item, kind, dict)
            roles = {"rate": ("value", "exec", "budget"), "exec_score": ("score", "weight", "rate"),
                     "grade": ("value", "score")}[kind]
            pairs = tuple((role, sub(str(self.need(params, role)))) for role in roles)
            for _, ref in pairs:
                self.known_ref(ref, form)
            bands: tuple[tuple[Decimal, str], ...] = ()
            if kind == "grade" or "bands" in params:
                # grade: [[最低总分, 等级], …]; exec_score: [[最低执行率 %, 得分占分值的 %], …] (a province's bands)
                raw = self.need(params, "bands", list)
                try:
                    bands = tuple(sorted(((Decimal(str(low)), str(word)) for low, word in raw), reverse=True))
                    if kind == "exec_score":
                        for _, share in bands:
                            Decimal(share)
                except (TypeError, ValueError, InvalidOperation):
                    self.fail(f"{kind}.bands 应为 [[下限, {'等级' if kind == 'grade' else '得分比例 %'}], …]")
            expr = f"{kind}: " + ", ".join(f"{r}={v}" for r, v in pairs)
            out.append(FormIdentity(ident_id, text, level, kind, expr, params=pairs, bands=bands))
        self.where = f"表 {form.id}"
        return out

    def known_ref(self, ref: str, form: FormSpec) -> None:
        if ref.startswith("totals."):
            if form.grid is None or not form.grid.total_labels or form.grid.column(ref[7:]) is None:
                self.fail(f"“{ref}”：指标表没有总分行或没有这一列")
        elif ref not in form.field_ids:
            self.fail(f"“{ref}” 不是本表的字段")

    def parse(self, expr: str, form: FormSpec, each: str) -> tuple[tuple[FormTerm, ...], str, tuple[FormTerm, ...]]:
        sides: list[list[FormTerm]] = [[]]
        op, sign, pos = "", 1, 0
        while expr[pos:].strip():
            m = _TOKEN.match(expr, pos)
            if not m:
                self.fail(f"公式无法解析（第 {pos + 1} 个字符起）：{expr}")
            pos = m.end()
            if m.group("op"):
                if op:
                    self.fail(f"公式中只能有一个比较符：{expr}")
                op = _OPS.get(m.group("op"), m.group("op"))
                sides.append([])
            elif m.group("sign"):
                sign = -sign if m.group("sign") == "-" else sign
            elif m.group("num"):
                sides[-1].append(FormTerm(sign, "number", number=Decimal(m.group("num"))))
                sign = 1
            else:
                sides[-1].append(self.term(m.group("sum") or m.group("ref"), sign, form, each, expr))
                sign = 1
        if not op or not sides[0] or not sides[1]:
            self.fail(f"公式应为“左边 = 右边”（或 <=、>=）：{expr}")
        return tuple(sides[0]), op, tuple(sides[1])

    def term(self, token: str, sign: int, form: FormSpec, each: str, expr: str) -> FormTerm:
        grid = form.grid
        if token.startswith("Σ"):
            column = token[1:].strip()
            if grid is None or grid.column(column) is None:
                self.fail(f"“{token}”：指标表没有“{column}”列（{expr}）")
            return FormTerm(sign, "sum", column)
        if token.startswith("totals."):
            self.known_ref(token, form)
            return FormTerm(sign, "totals", token[7:])
        if each == "indicator":
            if grid is None or grid.column(token) is None:
                self.fail(f"逐项指标的公式中“{token}”应为指标表的列（{expr}）")
            return FormTerm(sign, "column", token)
        if token not in form.field_ids:
            self.fail(f"“{token}” 不是本表的字段（{expr}）")
        return FormTerm(sign, "field", token)

    # ------------------------------------------------------------------ printing
    def print_spec(self, p: Any, form: FormSpec) -> PrintSpec:
        self.check_keys(p, {"widths", "head", "foot", "labels", "grid_label"})
        widths = tuple(int(w) for w in self.need(p, "widths", list))
        labels = {str(k): str(v) for k, v in (p.get("labels") or {}).items()}
        grid_label = str(p.get("grid_label") or "")
        grid_width = (len(form.grid.columns) if form.grid else 0) + bool(grid_label)
        if form.grid and grid_width != len(widths):
            self.fail(f"print.widths 有 {len(widths)} 列，指标表印 {grid_width} 列，应相同")
        head = tuple(self.print_rows(p.get("head") or [], form, len(widths), "head"))
        foot = tuple(self.print_rows(p.get("foot") or [], form, len(widths), "foot"))
        return PrintSpec(widths, head, foot, labels, grid_label)

    def print_rows(self, rows: list, form: FormSpec, width: int, where: str) -> list[tuple[PrintCell, ...]]:
        out = []
        covered: dict[int, int] = {}     # column → rows still covered by a cell spanning rows above
        known = set(form.field_ids) | {f"totals.{c.id}" for c in (form.grid.columns if form.grid else ())}
        for n, row in enumerate(rows):
            cells = []
            for c in row:
                self.check_keys(c, {"label", "value", "text", "task", "part", "span", "rows", "border"})
                kind = next((k for k in ("label", "value", "text", "task") if k in c), "")
                ref = str(c.get(kind, "")) if kind != "task" else ""
                if kind in ("label", "value") and ref not in known and not (kind == "label" and ref == "tasks"):
                    self.fail(f"print.{where} 第 {n + 1} 行：“{ref}” 不是本表的字段")
                cells.append(PrintCell(kind, ref, int(c.get("span", 1)), int(c.get("rows", 1)), c.get("border", True) is not False,
                                       int(c.get("task") or 0), str(c.get("part") or "")))
            used = sum(1 for rows_left in covered.values() if rows_left > 0) + sum(c.span for c in cells)
            if used != width:
                self.fail(f"print.{where} 第 {n + 1} 行占 {used} 列，应为 {width} 列")
            covered = {col: left - 1 for col, left in covered.items() if left > 1}
            col = 0
            for c in cells:
                while col in covered:
                    col += 1
                if c.rows > 1:
                    for k in range(c.span):
                        covered[col + k] = c.rows - 1
                col += c.span
            out.append(tuple(cells))
        return out

    # ------------------------------------------------------------------ set level
    def qualitative(self, items: list) -> tuple[QualitativeBand, ...]:
        self.where = "qualitative"
        return tuple(QualitativeBand(self.strings(self.need(b, "words", list), "words"), self.decimal(self.need(b, "min", int)),
                                     self.decimal(self.need(b, "max", int))) for b in items)

    def decimal(self, value: Any) -> Decimal:
        try:
            return Decimal(str(value)) if value is not None else None  # type: ignore[return-value]
        except InvalidOperation:
            self.fail(f"“{value}” 应为数字")

    def against(self, a: Any, forms: dict[str, FormSpec]) -> Against:
        self.where = "against"
        self.check_keys(a, {"tables", "forms", "projects", "department", "sum"})
        names = self.strings(self.need(a, "forms", list), "forms")
        for name in names:
            if name not in forms:
                self.fail(f"forms 中的“{name}”不是本模板的表")
        projects = None
        if a.get("projects"):
            p = a["projects"]
            projects = ProjectsLink(self.need(p, "table"), self.need(p, "total"),
                                    tuple((str(k), self.strings(v, k)) for k, v in (p.get("fields") or {}).items()))
        department = []
        for fid, options in (a.get("department") or {}).items():
            department.append((str(fid), tuple(self.sum_expr(o) for o in self.strings(options, fid))))
        total = None
        if a.get("sum"):
            s = a["sum"]
            m = re.fullmatch(r"\s*([^.\s]+)\.(\w+)(?:\[(.+)\])?\s*", str(self.need(s, "table")))
            if not m:
                self.fail("sum.table 应写成 表代码.列id[行]")
            total = SumLink(self.need(s, "field"), m.group(1), m.group(2), m.group(3) or "合计",
                            str(s.get("level") or "warning"))
        return Against(self.strings(self.need(a, "tables", list), "tables"), names, projects, tuple(department), total)

    def sum_expr(self, text: str) -> tuple[tuple[int, str, str], ...]:
        terms = []
        for part in re.findall(r"[+-]?\s*[^\s+-]+", text):
            sign = -1 if part.strip().startswith("-") else 1
            ref = part.strip().lstrip("+-").strip()
            if ref.count(".") != 1:
                self.fail(f"“{ref}” 应写成 表代码.列id")
            table, column = ref.split(".")
            terms.append((sign, table, column))
        return tuple(terms)

    def narrative(self, n: Any) -> NarrativeSpec | None:
        if not n:
            return None
        self.where = "narrative"
        self.check_keys(n, {"section", "figures", "projects"})

        def figure(f: Any, fid: str) -> NarrativeFigure:
            self.check_keys(f, {"id", "words", "unit", "value", "field"})
            value = f.get("value", f.get("field"))
            by_kind: tuple[tuple[str, str], ...] = ()
            if isinstance(value, dict):
                by_kind = tuple((str(k), str(v)) for k, v in value.items())
                value = "by_kind"
            return NarrativeFigure(str(f.get("id") or fid), self.strings(self.need(f, "words", list), "words"),
                                   self.need(f, "unit"), str(value or ""), by_kind)

        return NarrativeSpec(self.strings(n.get("section"), "section"),
                             tuple(figure(f, f"figure{i}") for i, f in enumerate(n.get("figures") or [])),
                             tuple(figure(f, f"project{i}") for i, f in enumerate(n.get("projects") or [])))
