"""The narrative template of a table set (templates/narrative/<set>.yaml): which figures the
narrative states, from which table cells, under which labels, and the facts no table holds.

One file per table set, like the table templates; the wording lives beside it in a Jinja file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..errors import TemplateError
from ..templates import TemplateSet, Term, load_yaml, templates_dir
from ..templates.checker import Checker
from ..templates.files import cached

_STAMP = f"|{Path(__file__).stat().st_size}:{Path(__file__).stat().st_mtime_ns}"

LEVELS = ("类", "款", "项")


class FigureSpec(NamedTuple):
    name: str
    terms: tuple[Term, ...]              # T.col[row] references, summed with their signs
    labels: tuple[str, ...]              # how a narrative names it (the name itself first)
    section: tuple[str, ...] = ()        # only under headings containing one of these words
    share_of: str | None = None          # “占…的 x%” is a share of this figure
    same_as: str | None = None           # equal by identity (收入总计 = 支出总计): stated changes must agree
    always_compare: bool = False         # 三公: a change is always worth a sentence
    fact: str | None = None              # a fact (万元) that, where the clerk gives it, stands instead of the sum
    prior_fact: str | None = None        # …and its 上年 value
    budget_terms: tuple[Term, ...] = ()  # its 年初预算 in the same workbook (决算09's 预算数 columns)
    prior_terms: tuple[Term, ...] = ()   # its 上年 value in the same workbook (a 三公 table's 上年 column)


class ListSpec(NamedTuple):
    name: str
    table: str
    column: str
    level: str                           # 类 / 款 / 项: rows of that level, summed over units by code
    order: str                           # amount (largest first) or code
    labels: tuple[str, ...]              # patterns with {name}, {code}, {path}
    section: tuple[str, ...] = ()
    share_of: str | None = None
    budget_table: str | None = None      # 年初预算 of each row: this table/column of the --budget workbook
    budget_column: str | None = None
    itemised: bool = True                # the section states every item with its amount (checked for omissions)


class ProjectSpec(NamedTuple):
    """A table listing projects by name (项目支出表): what a narrative's project statements are
    checked against."""
    table: str
    amount: str                                  # the column of the project's total
    sources: dict[str, tuple[str, ...]]          # fund-source column -> the words naming it in a text


class NarrativeSpec(NamedTuple):
    table_set: str
    wording: Path
    percent_decimals: int
    compare_word: str
    figures: dict[str, FigureSpec]
    lists: dict[str, ListSpec]
    facts: dict[str, str]                # key -> what to enter (for the 补充信息 sheet)
    budget_figures: dict[str, tuple[Term, ...]]   # figure -> its 年初预算 in the --budget workbook
    projects: tuple[ProjectSpec, ...] = ()


def narrative_dir() -> Path:
    return templates_dir() / "narrative"


_LOADED: dict[str, NarrativeSpec] = {}


def narrative_spec(ts: TemplateSet) -> NarrativeSpec:
    """The narrative template of a table set: templates/narrative/<id>.yaml, or its base's for a
    variant that has none of its own (a province's variant keeps its base's tables and figures)."""
    if ts.id not in _LOADED:
        path = narrative_dir() / f"{ts.id}.yaml"
        if not path.is_file() and ts.extends:
            path = narrative_dir() / f"{ts.extends}.yaml"
        if not path.is_file():
            raise TemplateError(f"表套“{ts.id}”没有情况说明模板（应为 templates/narrative/{ts.id}.yaml）。")
        _LOADED[ts.id] = load_narrative_spec(path, ts)
    return _LOADED[ts.id]


def load_narrative_spec(path: Path, ts: TemplateSet) -> NarrativeSpec:
    # The YAML's data kept in the user's cache as the templates are (no YAML parser per command);
    # keyed by the narrative folder's files and this module's source as well.
    data = cached(path, narrative_data, dict, stamp=_STAMP)
    b = Checker(path.name, "情况说明模板")
    if not isinstance(data, dict):
        b.fail("应为一个映射（table_set、wording、figures、lists、facts）")
    b.check_keys(data, {"table_set", "wording", "percent_decimals", "compare_word", "figures", "lists", "facts",
                        "budget", "extends", "projects"})
    wording = path.parent / b.need(data, "wording")
    if not wording.is_file():
        b.fail(f"措辞文件 {wording.name} 不存在")
    figures = {name: _figure(b, ts, name, raw) for name, raw in (data.get("figures") or {}).items()}
    lists = {name: _list(b, ts, name, raw) for name, raw in (data.get("lists") or {}).items()}
    facts = {str(k): str(v) for k, v in (data.get("facts") or {}).items()}
    for f in figures.values():
        for key in (f.fact, f.prior_fact):
            if key and key not in facts:
                b.fail(f"数字“{f.name}”引用了 facts 中没有的“{key}”")
        for other in (f.share_of, f.same_as):
            if other and other not in figures:
                b.fail(f"数字“{f.name}”引用了未定义的数字“{other}”")
    for lst in lists.values():
        if lst.share_of and lst.share_of not in figures:
            b.fail(f"列表“{lst.name}”的 share_of 引用了未定义的数字“{lst.share_of}”")
    budget = {}
    for name, expr in (data.get("budget") or {}).items():
        if name not in figures:
            b.fail(f"budget 中的“{name}”不是已定义的数字")
        budget[name] = _sum(b, None, name, expr)   # refers to the budget set's tables: checked at use
    projects = tuple(_projects(b, ts, table, raw) for table, raw in (data.get("projects") or {}).items())
    return NarrativeSpec(ts.id, wording, int(data.get("percent_decimals", 2)), str(data.get("compare_word", "")),
                         figures, lists, facts, budget, projects)


def narrative_data(path: Path, chain: tuple[Path, ...] = ()) -> Any:
    """A narrative template's data; one that `extends:` another (a province's wording on the same
    figures) is the base's figures, lists, facts and budget with its own added or replacing by name."""
    data = load_yaml(path, "情况说明模板")
    if not isinstance(data, dict) or "extends" not in data:
        return data
    b = Checker(path.name, "情况说明模板")
    base = path.parent / f"{data['extends']}.yaml"
    if not base.is_file() or base.resolve() in chain or base.resolve() == path.resolve():
        b.fail(f"extends 的情况说明模板“{data['extends']}”不存在（或形成循环）")
    merged = dict(narrative_data(base, (*chain, path.resolve())))
    for key, value in data.items():
        if key == "extends":
            continue
        if key in ("figures", "lists", "facts", "budget", "projects") and isinstance(value, dict):
            merged[key] = {**(merged.get(key) or {}), **value}
        else:
            merged[key] = value
    return merged


def _sum(b: Checker, ts: TemplateSet | None, name: str, expr) -> tuple[Term, ...]:
    if not isinstance(expr, str):
        b.fail(f"数字“{name}”的 sum 应为 “表.列[行] + …” 形式的文字")
    left, _, _ = b.parse_expr(f"{expr} = 0")
    for t in left:
        if t.ref is None or ts is None:
            continue
        if t.ref.table not in ts.tables:
            b.fail(f"数字“{name}”引用了模板中没有的表 {t.ref.table}")
        if t.ref.column not in ts.tables[t.ref.table].column_ids:
            b.fail(f"数字“{name}”引用了 {t.ref.table} 中没有的列 {t.ref.column}")
    return left


def _figure(b: Checker, ts: TemplateSet, name: str, raw) -> FigureSpec:
    if not isinstance(raw, dict):
        b.fail(f"数字“{name}”应为映射（sum、labels…）")
    b.check_keys(raw, {"sum", "fact", "prior_fact", "budget_sum", "prior_sum", "labels", "section", "share_of",
                       "same_as", "always_compare"})
    if "sum" not in raw and "fact" not in raw:
        b.fail(f"数字“{name}”应有 sum（取自表格）或 fact（取自补充信息），两者都写时补充信息有此项就用它")
    terms = _sum(b, ts, name, raw["sum"]) if "sum" in raw else ()
    labels = tuple(dict.fromkeys((name, *b.strings(raw.get("labels", []), "labels"))))
    return FigureSpec(name, terms, labels, b.strings(raw.get("section", []), "section"),
                      raw.get("share_of"), raw.get("same_as"), bool(raw.get("always_compare", False)),
                      raw.get("fact"), raw.get("prior_fact"),
                      _sum(b, ts, name, raw["budget_sum"]) if "budget_sum" in raw else (),
                      _sum(b, ts, name, raw["prior_sum"]) if "prior_sum" in raw else ())


def _list(b: Checker, ts: TemplateSet, name: str, raw) -> ListSpec:
    if not isinstance(raw, dict):
        b.fail(f"列表“{name}”应为映射（table、column、level…）")
    b.check_keys(raw, {"table", "column", "level", "order", "labels", "section", "share_of", "budget", "itemised"})
    table, column = b.need(raw, "table"), b.need(raw, "column")
    if table not in ts.tables or column not in ts.tables[table].column_ids:
        b.fail(f"列表“{name}”引用了模板中没有的表或列：{table}.{column}")
    level = raw.get("level", "类")
    if level not in LEVELS:
        b.fail(f"列表“{name}”的 level 应为 类、款 或 项")
    order = raw.get("order", "code")
    if order not in ("amount", "code"):
        b.fail(f"列表“{name}”的 order 应为 amount 或 code")
    budget_table = budget_column = None
    if raw.get("budget"):
        budget_table, _, budget_column = str(raw["budget"]).partition(".")
    return ListSpec(name, table, column, level, order, b.strings(raw.get("labels", ["{name}"]), "labels"),
                    b.strings(raw.get("section", []), "section"), raw.get("share_of"), budget_table,
                    budget_column or None, bool(raw.get("itemised", True)))


def _projects(b: Checker, ts: TemplateSet, table: str, raw) -> ProjectSpec:
    if not isinstance(raw, dict):
        b.fail(f"projects 中的“{table}”应为映射（amount、sources）")
    b.check_keys(raw, {"amount", "sources"})
    if table not in ts.tables or ts.tables[table].rows.kind != "items":
        b.fail(f"projects 中的“{table}”应为模板中按项目列出的表（rows: items）")
    columns = ts.tables[table].column_ids
    amount = b.need(raw, "amount")
    sources = raw.get("sources") or {}
    if not isinstance(sources, dict):
        b.fail(f"projects.{table}.sources 应为 列 → [资金来源的叫法]")
    for column in (amount, *sources):
        if column not in columns:
            b.fail(f"projects.{table} 引用了 {table} 中没有的列 {column}")
    return ProjectSpec(table, amount, {str(c): b.strings(words, "sources") for c, words in sources.items()})
