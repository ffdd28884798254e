"""What a 绩效 form template says (templates/performance/*.yaml): the forms of a set, each with the
labels of its label/value blocks, its money matrices, its indicator grid, its identities and how it
is printed; and how the forms relate to the 公开表 and the 情况说明. form_builder.py makes these from
the files; reader/forms.py, rules/performance*.py and report/form_*.py interpret them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..text import norm

FIELD_TYPES = {"text", "amount", "score", "rate", "count", "grade"}
FORM_KINDS = ("项目绩效目标", "部门整体绩效目标", "项目绩效自评", "部门整体绩效自评", "购买服务绩效目标")
PROJECT_KINDS = ("项目绩效目标", "项目绩效自评")   # one form per project of the 项目支出
NUMERIC = {"amount", "score", "rate", "count"}

_ORDINALS = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]{1,2}\)|\d{1,2}[、.](?!\d)|[①-⑳])")
_UNIT_NOTE = re.compile(r"\((?:万元|元|%|分|人|个)\)$")


@lru_cache(maxsize=16384)   # labels and headers repeat on every form of a workbook
def _label_key(text: str) -> str:
    return _bare_label(text)


def label_key(text: object) -> str:
    """The canonical form of a label: “一、部门整体预算总额(万元)” → 部门整体预算总额, “(1)财政拨款” →
    财政拨款, “其中：财政资金” → 财政资金. Forms decorate their labels with ordinals, units and group
    words before a colon; what identifies the label is the last part, bare."""
    return _label_key(text if isinstance(text, str) else str(text))


def _bare_label(text: str) -> str:
    text = norm(unicodedata.normalize("NFKC", str(text)).replace("《", "").replace("》", ""))
    part = text.rsplit(":", 1)[-1] if ":" in text.rstrip(":") else text.rstrip(":")
    for _ in range(3):
        stripped = _ORDINALS.sub("", part, count=1)
        if stripped == part:
            break
        part = stripped
    return _UNIT_NOTE.sub("", part)


class FieldSpec(NamedTuple):
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    type: str = "text"
    below: bool = False        # the value is printed under the label, not beside it
    indicator: str = ""        # taken from the indicator whose 三级指标 names this (预算执行率) …
    column: str = ""           # … in this grid column
    names: frozenset[str] = frozenset()

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC


class MatrixSpec(NamedTuple):
    """A money block printed as a small grid (项目资金: 年度资金总额 / 其中：财政拨款 … × 年初预算数 / 全年预算数 …):
    its cells are the fields “row.column”."""
    label: str
    rows: tuple[tuple[str, frozenset[str]], ...]      # row id, canonical labels
    columns: tuple[tuple[str, frozenset[str]], ...]
    types: dict[str, str]                               # column id → field type
    labels: dict[str, str]                              # row or column id → its first label (for messages)


class GridColumn(NamedTuple):
    id: str
    header: str
    aliases: tuple[str, ...] = ()
    optional: bool = False
    type: str = "text"
    names: frozenset[str] = frozenset()


class GridSpec(NamedTuple):
    columns: tuple[GridColumn, ...]
    total_labels: tuple[str, ...] = ()

    def column(self, column_id: str) -> GridColumn | None:
        return next((c for c in self.columns if c.id == column_id), None)


class FormTerm(NamedTuple):
    """One term of a form identity: a field, Σ of an indicator column, the 总分 row's cell of a
    column, an indicator's own cell (each: indicator), or a number."""
    sign: int
    kind: str               # field | sum | totals | column | number
    ref: str = ""
    number: Decimal | None = None


class FormIdentity(NamedTuple):
    id: str
    text: str
    level: str                          # error | warning
    kind: str                           # expr | rate | exec_score | grade
    expr: str = ""                      # as written (docs)
    left: tuple[FormTerm, ...] = ()
    op: str = "="
    right: tuple[FormTerm, ...] = ()
    each: str = ""                      # "indicator": for every indicator row
    params: tuple[tuple[str, str], ...] = ()   # rate/exec_score/grade: role → field id
    bands: tuple[tuple[Decimal, str], ...] = ()  # grade: lowest 总分 → 等级, highest first

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


class PrintCell(NamedTuple):
    kind: str               # label | value | text | task
    ref: str = ""           # field id (label, value), the text (text)
    span: int = 1
    rows: int = 1
    border: bool = True
    task: int = 0           # task: which 重点任务 (1-based) …
    part: str = ""          # … its name or text


class PrintSpec(NamedTuple):
    widths: tuple[int, ...]
    head: tuple[tuple[PrintCell, ...], ...]
    foot: tuple[tuple[PrintCell, ...], ...] = ()
    labels: dict[str, str] = {}         # field id → the label as printed (with ordinals, units)
    grid_label: str = ""                # a merged column left of the grid (绩效指标)


class TasksSpec(NamedTuple):
    """The 年度重点任务 block of a 部门整体 form: a label, then rows of name and main content."""
    label: str
    columns: tuple[str, ...]


class FormSpec(NamedTuple):
    id: str
    set_id: str
    kind: str
    title: str
    aliases: tuple[str, ...]
    key: str                            # the field naming a form: a titled region without it continues the last form
    fields: tuple[FieldSpec, ...]
    matrices: tuple[MatrixSpec, ...]
    money: tuple[str, ...]              # the fields of the 资金 block (a form with none of them lacks it)
    grid: GridSpec | None
    identities: tuple[FormIdentity, ...]
    print: PrintSpec
    tasks: TasksSpec | None = None

    def title_names(self) -> list[str]:
        return [label_key(t) for t in (self.title, *self.aliases)]

    def field(self, field_id: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.id == field_id), None)

    @property
    def field_ids(self) -> tuple[str, ...]:
        """Every field a form of this kind can hold: labelled ones and the matrix cells."""
        ids = [f.id for f in self.fields]
        for m in self.matrices:
            ids += [f"{r}.{c}" for r, _ in m.rows for c, _ in m.columns]
        return tuple(ids)

    def field_type(self, field_id: str) -> str:
        spec = self.field(field_id)
        if spec is not None:
            return spec.type
        row, _, column = field_id.partition(".")
        for m in self.matrices:
            if column in m.types and any(r == row for r, _ in m.rows):
                return m.types[column]
        return "text"

    def field_label(self, field_id: str) -> str:
        """How messages name a field: its label (a matrix cell: “年度资金总额 全年预算数”)."""
        spec = self.field(field_id)
        if spec is not None:
            return spec.label
        row, _, column = field_id.partition(".")
        for m in self.matrices:
            if row in m.labels and column in m.labels:
                return f"{m.labels[row]}{m.labels[column]}"
        return field_id

    def printed_label(self, field_id: str) -> str:
        if field_id in self.print.labels:
            return self.print.labels[field_id]
        if self.tasks is not None and field_id == "tasks":
            return self.tasks.label
        spec = self.field(field_id)
        label = spec.label if spec else self.field_label(field_id)
        return f"{label}（万元）" if spec is not None and spec.type == "amount" else label


class QualitativeBand(NamedTuple):
    words: tuple[str, ...]
    low: Decimal              # share of the 分值 (%) a 定性 indicator in this band earns: low ≤ share ≤ high
    high: Decimal


class ProjectsLink(NamedTuple):
    """Each project form is a row of an items table of the 公开表 (附表12)."""
    table: str
    total: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]   # form field → the table columns it sums


class SumLink(NamedTuple):
    """Σ of a field over the forms ↔ one amount of the 公开表."""
    field: str
    table: str
    column: str
    row: str
    level: str = "warning"


class Against(NamedTuple):
    tables: tuple[str, ...]           # table-set ids this applies to
    forms: tuple[str, ...]            # form ids
    projects: ProjectsLink | None = None
    department: tuple[tuple[str, tuple[tuple[tuple[int, str, str], ...], ...]], ...] = ()
    sum: SumLink | None = None        # department: field → alternatives, each a sum of (sign, table, column)


class NarrativeFigure(NamedTuple):
    id: str
    words: tuple[str, ...]
    unit: str
    value: str                        # count | share | a field id (summed over the forms)
    by_kind: tuple[tuple[str, str], ...] = ()   # value per form kind word (目标 / 自评)


class NarrativeSpec(NamedTuple):
    section: tuple[str, ...]
    figures: tuple[NarrativeFigure, ...]
    projects: tuple[NarrativeFigure, ...]


@dataclass
class FormSet:
    id: str
    name: str
    source: str
    unit: str
    forms: dict[str, FormSpec]
    qualitative: tuple[QualitativeBand, ...] = ()
    deviation_note: Decimal | None = None
    against: tuple[Against, ...] = ()
    narrative: NarrativeSpec | None = None
    default: bool = False
    path: Path | None = None
    title_index: dict[str, list[FormSpec]] = field(default_factory=dict)   # canonical title → forms
