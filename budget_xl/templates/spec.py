"""What a table-set template says, as plain data: tables, columns, rows, identities, how to
compare. The loader (builder.py) makes these from the YAML files under templates/; the reader, the
rules engine and the renderers interpret them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..text import norm

ROLES = {"amount", "percent", "label", "code", "code_class", "code_kuan", "code_xiang", "line", "seq", "unit", "text"}
ROW_KINDS = {"fixed", "classified", "units", "items", "single"}
FEED_ROWS = {"function", "econ", "unit", "project", "total"}   # what a 明细 line is a row of (LineFeed.rows)
FIELD_KINDS = {"unit", "function", "econ", "choice", "amount", "text"}
CLASSIFICATIONS = {"function", "econ", "econ_gov"}   # econ_gov: 政府预算支出经济分类 (501–599)
LEVELS = {"error", "warning"}
EACH_MODES = {"rows", "units", "类"}
KINDS = {"部门预算", "部门决算", "政府预算", "政府决算"}
KIND_SYNONYMS = {"budget": "部门预算", "预算": "部门预算", "final": "部门决算", "决算": "部门决算",
                 "gov-budget": "政府预算", "gov-final": "政府决算"}


# --------------------------------------------------------------------------- data classes
class ColumnSpec(NamedTuple):
    id: str
    role: str
    header: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    sum_of: tuple[str, ...] = ()
    col_no: int | None = None
    optional: bool = False
    label: str = ""
    panel: str = ""
    concept: str = ""      # the column concept (concepts.yaml) it holds, when the template names one
    # role percent: the percentage is of / over × 100, each a signed list of amount columns
    # (增长% = (本年 − 上年) / 上年: of ((1, current), (-1, prior)), over ((1, prior),)); decimals: as `fill` writes it
    percent_of: tuple[tuple[int, str], ...] = ()
    percent_over: tuple[tuple[int, str], ...] = ()
    decimals: int | None = None
    only_present: bool = False   # an alternative of the layout: published only where the workbook prints it

    @property
    def is_percent(self) -> bool:
        return self.role == "percent"

    @property
    def is_amount(self) -> bool:
        return self.role == "amount"

    def leaf_names(self) -> set[str]:
        return {norm(self.header[-1])} | {norm(a) for a in self.aliases}


class RowSum(NamedTuple):
    """What a fixed row is the sum of: listed row ids, all class rows of the panel, or the
    classification rows whose 类 is in a template parameter (e.g. personnel_classes)."""
    ids: tuple[str, ...] = ()
    all_classes: bool = False
    classes_param: str = ""
    classes: tuple[str, ...] = ()


class FixedRow(NamedTuple):
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    line: int | None = None
    sum_of: RowSum | None = None
    panel: str = ""
    is_class: bool = False  # a 功能分类 类 row of a 收支总表 (its id is the 类 code)
    names: frozenset[str] = frozenset()  # normalised label and aliases, for matching
    footer: bool = False    # printed from here on at the bottom, level with the other panels' totals
    only_present: bool = False  # a 类 row of a list printed only when it has an amount, numbered in order
    number: str = ""        # the official ordinal printed before the label ("一、", "1. ", "（一）")
    numbered: bool = True   # a list printed only when present: its rows numbered 一、二、… as printed
                            # (false: as printed under a 合计 line, 政府预算)

    @property
    def printed(self) -> str:
        """The label as the official table prints it: its ordinal, then its name."""
        return f"{self.number}{self.label}"


class PanelSpec(NamedTuple):
    id: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[FixedRow, ...] = ()
    classes: tuple[str, ...] = ()  # side-by-side classification panels (决算06): the 类 printed here

    def role(self, role: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.role == role), None)


class RowsSpec(NamedTuple):
    kind: str
    classification: str | None = None
    units: bool = False
    fixed: tuple[FixedRow, ...] = ()  # extra fixed rows of a classified table (决算06 人员经费合计)
    # Rows printed by name, without codes (政府预算 支出 detail, transfer items): each row's level comes
    # from its print format (indentation, ordinal marks) or the name lists, its parent is the row above
    # it of a higher level, its key the path of names (reader/outline.py). For a classified table the
    # 类 are named in `names`, the row list of this template giving each 类's code (function_classes).
    outline: bool = False
    names: tuple[FixedRow, ...] = ()
    only_present: bool = False   # a fixed table printed with the rows it has only (政府预算 收入 items)


class RowIdentity(NamedTuple):
    id: str
    text: str
    expr: str
    left: tuple[tuple[int, str], ...]
    right: tuple[tuple[int, str], ...]
    op: str


class Ref(NamedTuple):
    table: str
    column: str  # may be "{col}" until expanded
    row: str     # fixed-row id, "合计", a code, or "*"


class Term(NamedTuple):
    sign: int
    ref: Ref | None = None
    number: str | None = None


class Identity(NamedTuple):
    id: str
    text: str
    expr: str
    left: tuple[Term, ...]
    op: str
    right: tuple[Term, ...]
    level: str = "error"
    each: str | None = None
    for_columns: tuple[str, ...] = ()
    where_classes: str | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.left + self.right:
            if term.ref:
                seen.setdefault(term.ref.table)
        return tuple(seen)


class SangongLine(NamedTuple):
    """A line of the 三公 comparison (seed 001's “三公经费预算表” layout): label, the table column it shows."""
    label: str
    column: str
    indent: int = 0


class DiffSpec(NamedTuple):
    """How `diff` compares a table across two years (templates/README.md, “对比”)."""
    columns: tuple[str, ...] = ()      # amount columns compared, in order; () = all
    total_row: str = "合计"             # the line whose change is the table's total change ("": none)
    total_column: str = ""             # "" = the first compared column
    match: tuple[str, ...] = ("label",)  # items: what identifies a project (column ids, first present wins)
    sangong: tuple[SangongLine, ...] = ()  # a 三公 table: always flagged, and shown in the 三公 layout


class VersusSide(NamedTuple):
    table: str
    column: str
    row: str = "*"   # "*": every classification code (summed over units); else a row key


class VersusLine(NamedTuple):
    label: str
    budget: VersusSide
    final: VersusSide
    indent: int = 0


class VersusSection(NamedTuple):
    """A part of the budget-versus-final comparison: budget table/column ↔ final table/column,
    by classification code, or as listed lines."""
    id: str
    title: str
    budget: VersusSide | None = None
    final: VersusSide | None = None
    lines: tuple[VersusLine, ...] = ()


class LineField(NamedTuple):
    """A column of the 明细 sheet (templates/line_items.yaml)."""
    id: str
    header: str
    kind: str                                  # unit / function / econ / choice / amount / text
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # (id, official wording)
    hint: str = ""


class LineItems(NamedTuple):
    """The 明细 sheet: its name as `init` writes it and its columns."""
    sheet: str
    fields: tuple[LineField, ...]

    def field(self, fid: str) -> LineField | None:
        return next((f for f in self.fields if f.id == fid), None)


class LineFeed(NamedTuple):
    """How a table takes the lines of a 明细 (a table's `lines:`): which lines, one row per what,
    which column each line's amount goes to, and the text columns of an item (templates/README.md)."""
    rows: str                                          # function / econ / unit / project / total
    by: str = ""                                       # the field whose choice names the column …
    renamed: tuple[tuple[str, str], ...] = ()          # … with these choices going to another column
    column: str = ""                                   # or one column for every line taken
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()  # field -> choices taken ("*": any non-empty value)
    text: tuple[tuple[str, str, int], ...] = ()        # text column <- field (part n of "一级/二级/三级"; 0: all)

    def column_for(self, choice: str) -> str:
        """The column a line goes to, given the value of the `by` field (a choice id)."""
        if self.column:
            return self.column
        return dict(self.renamed).get(choice, choice)


class TableSpec(NamedTuple):
    code: str
    title: str
    aliases: tuple[str, ...]
    code_aliases: tuple[str, ...]
    unit: str
    rows: RowsSpec
    panels: tuple[PanelSpec, ...]
    row_identities: tuple[RowIdentity, ...] = ()
    order: int = 0
    derived: bool = False   # `fill` computes the whole table from the others (through the identities)
    diff: DiffSpec = DiffSpec()
    printed_code: str | None = None   # the code printed above the table ("" none; None: from code/code_aliases)
    lines: tuple[LineFeed, ...] = ()  # how `fill` builds the table from a 明细 sheet (none: entered by table)
    decimals: int = 2       # decimals its amounts are printed with (0: whole 万元): the unit of 尾数误差

    @property
    def percent_columns(self) -> tuple[ColumnSpec, ...]:
        """Percentage columns (增长%, 增减率, 完成预算%), one per id, in layout order."""
        seen: dict[str, ColumnSpec] = {}
        for panel in self.panels:
            for col in panel.columns:
                if col.is_percent and col.id not in seen:
                    seen[col.id] = col
        return tuple(seen.values())

    @property
    def diff_columns(self) -> tuple[str, ...]:
        return self.diff.columns or self.column_ids

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        """Amount columns of the table, one per id, in layout order."""
        seen: dict[str, ColumnSpec] = {}
        for panel in self.panels:
            for col in panel.columns:
                if col.is_amount and col.id not in seen:
                    seen[col.id] = col
        return tuple(seen.values())

    @property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    def column_label(self, column: str) -> str:
        """A column's label for messages; with its group ("本年支出/合计") when the label repeats."""
        cols = self.columns
        col = next((c for c in cols if c.id == column), None)
        if col is None:
            return column
        if sum(1 for c in cols if c.label == col.label) > 1 and len(col.header) > 1:
            return "/".join(col.header[-2:]) if col.label == col.header[-1] else col.label
        return col.label

    @property
    def fixed_rows(self) -> tuple[FixedRow, ...]:
        return tuple(r for p in self.panels for r in p.rows) + self.rows.fixed

    def fixed_row(self, row_id: str) -> FixedRow | None:
        return next((r for r in self.fixed_rows if r.id == row_id), None)

    def fixed_row_label(self, row_id: str) -> str:
        """The label of a row the template itself names (a sum_of id: the loader refuses unknown ones)."""
        row = self.fixed_row(row_id)
        assert row is not None, row_id
        return row.label

    def title_names(self) -> list[str]:
        return [norm(t) for t in (self.title, *self.aliases)]

    def code_names(self) -> list[str]:
        return [norm(t) for t in (self.code, *self.code_aliases)]


@dataclass
class TemplateSet:
    id: str
    kind: str
    name: str
    unit: str
    source: str
    total_labels: tuple[str, ...]
    params: dict[str, tuple[str, ...]]
    empty_note: str
    tables: dict[str, TableSpec]
    identities: tuple[Identity, ...]
    path: Path | None = None
    total_names: frozenset[str] = field(default_factory=frozenset)
    versus_final: tuple[VersusSection, ...] = ()   # 部门预算 sets: the correspondence with 部门决算
    extends: str = ""                              # the base template of a variant (templates/overlay.py)
    default: bool = False                          # stands for its kind when several sets share it
    department_label: str = "部门（单位）"           # how the line above each table names the department
    # check FOLDER: the government's figures to compare with the sum of its departments' (政府预算): each a
    # label of the departments' 三公 table (their template's diff.sangong) and the government's cell
    district: tuple[tuple[str, VersusSide], ...] = ()
    # Printed before each title instead of a department line ("{年度}年{部门}": “2023年大连市西岗区一般公共
    # 预算收入表”, as a 政府预算 prints it); "" for a department line.
    title_prefix: str = ""

    def table(self, code: str) -> TableSpec:
        return self.tables[code]

