"""The computed context of a narrative: every figure it states, worked out once from the tables.

Values are exact 万元 (Decimal, not yet rounded); the wording rounds half-up when it prints, and
the narrative check compares stated numbers with the same values. The prior year's workbook gives
上年 values, a budget workbook gives 年初预算 values; without them no comparison exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..classification import WIDTHS, ancestors
from ..model import CLASS, ITEM, UNIT, Disclosure, Table
from ..money import TEN_THOUSAND, round_half_up
from ..references import Scope
from ..templates import Term
from .projects import Project, projects_of
from .spec import FigureSpec, ListSpec, NarrativeSpec

ZERO = Decimal(0)


@dataclass
class Figure:
    """One stated amount: its value, and where they exist its 上年 and 年初预算 values (万元, exact)."""
    name: str
    value: Decimal | None                 # None: the table it comes from is missing
    prior: Decimal | None = None
    budget: Decimal | None = None
    labels: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    share_of: Figure | None = None
    same_as: str | None = None
    always_compare: bool = False
    code: str | None = None               # list items: the classification code
    level: str = ""                       # list items: 类 / 款 / 项
    path: tuple[str, ...] = ()            # list items: names of the item and its parents, 类 first
    children: tuple[str, ...] = ()        # list items: names of the non-zero rows under it
    parts: int = 1                        # table cells its value adds up (each printed rounded, in 万元)

    @property
    def delta(self) -> Decimal | None:
        if self.value is None or self.prior is None:
            return None
        return self.value - self.prior

    @property
    def rate(self) -> Decimal | None:
        """增减率 in %, None when there is no prior value or it is 0."""
        if self.delta is None or not self.prior:
            return None
        return self.delta / self.prior * 100

    @property
    def share(self) -> Decimal | None:
        base = self.share_of.value if self.share_of else None
        if self.value is None or not base:
            return None
        return self.value / base * 100

    @property
    def completion(self) -> Decimal | None:
        if self.value is None or not self.budget:
            return None
        return self.value / self.budget * 100

    @property
    def is_zero(self) -> bool:
        return not self.value

    @property
    def changed(self) -> bool:
        """Whether the narrative states a change (not 持平 at the cent it prints): only then it asks
        for a 主要原因."""
        return self.delta is not None and round_half_up(self.delta) != 0


@dataclass
class Context:
    spec: NarrativeSpec
    department: str
    year: int | None
    prior_year: int | None
    figures: dict[str, Figure]
    lists: dict[str, list[Figure]]
    facts: dict[str, str] = field(default_factory=dict)
    has_budget: bool = False
    kind: str = ""                        # 部门预算 / 部门决算: in a budget's narrative “预算” is the amount itself
    projects: list[Project] = field(default_factory=list)   # of the 项目支出表, for project statements
    project_counts: dict[str, int] = field(default_factory=dict)   # items table -> projects with an amount
    units: list[str] = field(default_factory=list)           # the units the tables list (or the department)
    overridden: list[str] = field(default_factory=list)      # checks of --prior/--budget set aside by --force

    @property
    def has_prior(self) -> bool:
        return self.prior_year is not None

    def all_figures(self) -> list[Figure]:
        return [*self.figures.values(), *(f for items in self.lists.values() for f in items)]


def build_context(spec: NarrativeSpec, d: Disclosure, prior: Disclosure | None = None,
                  budget: Disclosure | None = None, facts: dict[str, str] | None = None) -> Context:
    now, before, plan = _Cells(d), _Cells(prior) if prior else None, _Cells(budget) if budget else None
    facts = dict(facts or {})
    figures: dict[str, Figure] = {}
    for fs in spec.figures.values():
        # A fact the clerk gave wins over the tables (机关运行经费 of the 行政 and 参公 units only, where
        # the tables hold every unit's 公用经费); without one, a figure with a sum comes from the tables.
        stated = _fact_amount(facts, fs.fact) if fs.fact else None
        if fs.fact and (stated is not None or not fs.terms):
            stated_prior = _fact_amount(facts, fs.prior_fact) if prior and fs.prior_fact else None
            if stated_prior is None and prior and fs.terms:
                stated_prior = before.total(fs.terms) if before else None
            figures[fs.name] = Figure(fs.name, stated, stated_prior, None, fs.labels, fs.section, None, fs.same_as,
                                      fs.always_compare)
        else:
            figures[fs.name] = _figure(fs, now, before, plan, spec.budget_figures.get(fs.name))
            if fs.prior_fact and prior and (given := _fact_amount(facts, fs.prior_fact)) is not None:
                figures[fs.name].prior = given
    for fs in spec.figures.values():
        if fs.share_of:
            figures[fs.name].share_of = figures[fs.share_of]
    lists = {ls.name: _list_items(ls, now, before, plan, figures) for ls in spec.lists.values()}
    dept = (d.department or "").split("-", 1)[-1] or "本部门"
    year = d.year
    prior_year = (prior.year or (year - 1 if year else None)) if prior else None
    return Context(spec, dept, year, prior_year, figures, lists, facts, budget is not None, d.kind,
                   projects_of(d, spec.projects), _projects(d), units_of(d))


def _projects(d: Disclosure) -> dict[str, int]:
    """How many projects each project table (附表12 …) lists with an amount."""
    return {code: sum(1 for r in t.rows if r.kind == ITEM and any(r.amounts.values()))
            for code, t in d.tables.items() if t.spec.rows.kind == "items"}


def units_of(d: Disclosure) -> list[str]:
    """The units the tables list, in code order (the department alone when they list none): the
    部门预算/决算单位构成 as far as the tables hold it."""
    seen: dict[str, str] = {}
    for table in d.tables.values():
        for row in table.rows:
            if row.kind == UNIT and row.key not in seen:
                seen[row.key] = row.label
    if not seen:
        return [d.department] if d.department else []
    return [seen[k] for k in sorted(seen)]


def _fact_amount(facts: dict[str, str], key: str | None) -> Decimal | None:
    """A fact typed as an amount in 万元 ("59.15", "59.15万元"); None when absent or not a number."""
    from ..money import NotANumber, parse_amount

    text = (facts.get(key) or "").strip() if key else ""
    try:
        return parse_amount(text.removesuffix("万元").strip()) if text else None
    except NotANumber:
        return None


class _Cells:
    """Sums of table cells of one disclosure, in exact 万元."""

    def __init__(self, d: Disclosure):
        self.d = d
        self._scopes: dict[str, Scope] = {}

    def table(self, code: str) -> Table | None:
        return self.d.tables.get(code)

    def scope(self, code: str) -> Scope | None:
        table = self.table(code)
        if table is None:
            return None
        if code not in self._scopes:
            self._scopes[code] = Scope.of(table)
        return self._scopes[code]

    def parts(self, terms: tuple[Term, ...]) -> int:
        """How many non-zero table cells a sum adds up (each printed rounded; a 0 adds no rounding
        worth allowing for)."""
        n = 0
        for t in terms:
            scope = self.scope(t.ref.table) if t.ref is not None else None
            if scope is not None and t.ref is not None:
                n += sum(1 for r in scope.rows_for(t.ref.row, None, None) if r.amount(t.ref.column))
        return n

    def total(self, terms: tuple[Term, ...]) -> Decimal | None:
        out = ZERO
        for t in terms:
            if t.ref is None:
                assert t.number is not None  # a term is a reference or a number (templates/checker.py)
                out += t.sign * Decimal(t.number)
                continue
            scope = self.scope(t.ref.table)
            if scope is None or t.ref.column not in scope.table.columns:
                return None
            rows = scope.rows_for(t.ref.row, None, None)
            out += t.sign * sum((to_wan(r.amount(t.ref.column), scope.table.unit) for r in rows), ZERO)
        return out


def to_wan(amount: Decimal, unit: str) -> Decimal:
    return amount / TEN_THOUSAND if unit == "元" else amount


def _figure(fs: FigureSpec, now: _Cells, before: _Cells | None, plan: _Cells | None,
            budget_terms: tuple[Term, ...] | None) -> Figure:
    if fs.budget_terms:
        budget = now.total(fs.budget_terms)
    else:
        budget = plan.total(budget_terms) if plan and budget_terms else None
    prior = now.total(fs.prior_terms) if fs.prior_terms else before.total(fs.terms) if before else None
    return Figure(fs.name, now.total(fs.terms), prior, budget, fs.labels, fs.section, None, fs.same_as,
                  fs.always_compare, parts=now.parts(fs.terms))


def _list_items(ls: ListSpec, now: _Cells, before: _Cells | None, plan: _Cells | None,
                figures: dict[str, Figure]) -> list[Figure]:
    """The rows of one level of a table, summed over units by code (a department's 212 is the sum of
    its units' 212 rows), with their prior and budget values matched by code."""
    table = now.table(ls.table)
    if table is None:
        return []
    width = WIDTHS[ls.level]
    counts: dict[str, int] = {}
    values = _by_code(table, ls.column, width, counts)
    prior = _by_code(before.table(ls.table), ls.column, width) if before and before.table(ls.table) else None
    budget_table = plan.table(ls.budget_table) if plan and ls.budget_table else None
    budget = _by_code(budget_table, ls.budget_column, width) if budget_table is not None else None
    names = _names(table)
    below = _by_code(table, ls.column, width + 2) if width < 7 else {}
    entries = [(code, value) for code, value in values.items() if value]  # rows of 0 are not listed
    entries.sort(key=(lambda e: -e[1]) if ls.order == "amount" else (lambda e: e[0]))
    items = []
    for code, value in entries:
        path = tuple(names.get(c, "") for c in (*ancestors(code), code))
        children = tuple(names[c] for c, v in below.items() if c.startswith(code) and v and c in names)
        items.append(Figure(names.get(code, code), value,
                            prior.get(code, ZERO) if prior is not None else None,
                            budget.get(code, ZERO) if budget is not None else None,
                            tuple(p.format(name=names.get(code, code), code=code) for p in ls.labels),
                            ls.section, figures.get(ls.share_of) if ls.share_of else None,
                            code=code, level=ls.level, path=path, children=children, parts=counts.get(code, 0)))
    return items


def _by_code(table: Table | None, column: str | None, width: int, counts: dict[str, int] | None = None
             ) -> dict[str, Decimal]:
    """Amounts of the rows of one code width, summed by code over units (and, into `counts`, how many
    rows each sums)."""
    out: dict[str, Decimal] = {}
    if table is None or column is None or column not in table.columns:
        return out
    for row in table.rows:
        if row.kind == CLASS and row.code and len(row.code) == width:
            out[row.code] = out.get(row.code, ZERO) + to_wan(row.amount(column), table.unit)
            if counts is not None and row.amount(column):
                counts[row.code] = counts.get(row.code, 0) + 1
    return out


def _names(table: Table) -> dict[str, str]:
    return {r.code: r.name for r in table.rows if r.kind == CLASS and r.code and r.name}
