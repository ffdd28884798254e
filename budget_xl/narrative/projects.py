"""Project statements of a narrative against the 项目支出表.

A budget narrative describes its main projects under their own headings (“（一）盛阳山庄小区排险修缮
项目 … 2024年拟安排该项目总投资824.00万元，资金来源为一般公共预算”). The project table (附表12 and
its equivalents, named in the narrative template's `projects:`) lists each project with its total
and its amount per fund source. A statement is checked where it names the project (or sits under a
heading that does): the amount against the project's total or one of its sources, the fund source
named against the columns that hold the project's money.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import ITEM, CellRef, Disclosure
from ..money import TEN_THOUSAND, fmt, round_half_up
from ..rules.findings import Finding, finding
from .spec import ProjectSpec

if TYPE_CHECKING:  # pragma: no cover
    from .verify import Paragraph

MIN_NAME = 4                      # shorter project names are too common words to be found in a text
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")
_BUDGET_WORDS = ("安排", "预算", "资金", "投资")          # a sentence about the project's money
_SOURCE_WORDS = ("来源", "来自", "安排", "列支", "使用")   # …that says where it comes from


@dataclass
class Project:
    name: str                                  # as printed
    table: str
    title: str                                 # the table's title, for messages
    total: Decimal = Decimal(0)                # 万元, exact
    sources: dict[str, Decimal] = field(default_factory=dict)   # column -> 万元
    source_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source_labels: dict[str, str] = field(default_factory=dict)   # column -> its header in the table
    cells: list[CellRef] = field(default_factory=list)

    @property
    def key(self) -> str:
        return _norm(self.name)

    def source_name(self, column: str) -> str:
        return self.source_labels.get(column) or self.source_words[column][0]


def projects_of(d: Disclosure, specs: Iterable[ProjectSpec]) -> list[Project]:
    """Every project of the disclosure's project tables, its rows summed by name over units."""
    out: dict[tuple[str, str], Project] = {}
    for spec in specs:
        table = d.tables.get(spec.table)
        if table is None:
            continue
        factor = TEN_THOUSAND if table.unit == "元" else Decimal(1)
        for row in table.rows:
            if row.kind != ITEM or len(_norm(row.label)) < MIN_NAME:
                continue
            p = out.setdefault((spec.table, _norm(row.label)),
                               Project(row.label, spec.table, table.spec.title, source_words=dict(spec.sources),
                                       source_labels={c: table.column_label(c) for c in spec.sources}))
            p.total += row.amount(spec.amount) / factor
            for column in spec.sources:
                p.sources[column] = p.sources.get(column, Decimal(0)) + row.amount(column) / factor
            p.cells += [c for c in (row.cell("label"), row.cell(spec.amount)) if c is not None]
    return list(out.values())


def check_projects(paragraphs: list[Paragraph], projects: list[Project]) -> tuple[list[Finding], int]:
    """(findings, how many project statements were checked)."""
    findings: list[Finding] = []
    checked = 0
    if not projects:
        return findings, checked
    for para in paragraphs:
        under = _named(para.h2, projects) or _named(para.h1, projects)
        for sentence in re.split(r"(?<=[。；;])", para.text):
            project = _named(sentence, projects) or under
            if project is None or not any(w in sentence for w in _BUDGET_WORDS):
                continue
            stated = [Decimal(n.replace(",", "")) for n in _AMOUNT.findall(sentence)]
            checked += bool(stated)
            findings += _statement(project, sentence, stated)
    return findings, checked


def _statement(p: Project, sentence: str, stated: list[Decimal]) -> list[Finding]:
    known = {round_half_up(p.total), *(round_half_up(v) for v in p.sources.values() if v)}
    out = []
    if len(stated) == 1 and stated[0] not in known:
        out.append(_finding("error", "project_amount", p, sentence=_short(sentence), project=p.name,
                            stated=fmt(stated[0]), expected=fmt(round_half_up(p.total)), table=p.table))
    if not stated or not any(w in sentence for w in _SOURCE_WORDS):
        return out
    said = [c for c, words in p.source_words.items() if any(w in sentence for w in words)]
    holding = [c for c, v in p.sources.items() if v]
    if not said or not holding:
        return out
    where = "、".join(f"{p.source_name(c)} {fmt(round_half_up(p.sources[c]))} 万元" for c in holding)
    if not set(said) & set(holding):
        out.append(_finding("error", "project_source", p, sentence=_short(sentence), project=p.name,
                            said="、".join(p.source_name(c) for c in said), table=p.table, where=where))
    elif set(holding) - set(said) and round_half_up(p.total) in stated:
        out.append(_finding("warning", "project_source_part", p, sentence=_short(sentence), project=p.name,
                            said="、".join(p.source_name(c) for c in said), table=p.table, where=where))
    return out


def _finding(level: str, kind: str, p: Project, **fields: object) -> Finding:
    # the cells: the project's name and total in its table (the text or the table is wrong)
    return finding(level, "text-table", kind, ("情况说明",), list(dict.fromkeys(p.cells)), **fields)


def _named(text: str, projects: list[Project]) -> Project | None:
    """The project a text names (the longest name it contains)."""
    key = _norm(text)
    if not key:
        return None
    named = [p for p in projects if p.key in key]
    return max(named, key=lambda p: len(p.key)) if named else None


def _norm(text: str) -> str:
    return re.sub(r"[\s（）()“”\"'、，,]", "", text or "")


def _short(sentence: str) -> str:
    return sentence if len(sentence) <= 90 else sentence[:88] + "…"
