"""What `check` reports: findings, each with its rule, cells, expected and actual values."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import CellRef, Coverage
from .catalogue import message, rule, rule_id_of

LEVELS = ("error", "warning", "rounding", "note")
LEVEL_WORDS = {"error": "错误", "warning": "警告", "rounding": "尾数误差", "note": "提示"}


@dataclass(slots=True)  # slots: a large workbook can have hundreds of thousands of findings
class Finding:
    level: str                     # error | warning | rounding | note
    rule: str                      # template identity id (YS07-01) or an implied family (列合计, 层级…)
    text: str                      # the identity in plain Chinese
    message: str                   # the finding, with its numbers
    tables: tuple[str, ...] = ()
    cells: list[CellRef] = field(default_factory=list)  # most likely wrong first
    expected: Decimal | None = None
    actual: Decimal | None = None
    also: tuple[str, ...] = ()                           # other rules the same wrong cell breaks
    blamed: bool = False   # the first cell is the one judged wrong (expected/actual are that cell's)
    hypothesis: str = ""   # what kind of slip explains it: misplaced-column, swapped-columns, sign, magnitude, unit, digits

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def table(self) -> str:
        return self.tables[0] if self.tables else ""

    @property
    def rule_id(self) -> str:
        """The rule's stable id: a built-in rule's (catalogue.py), else the template identity's."""
        return rule_id_of(self.rule)


def finding(level: str, rule_id: str, kind: str, tables: tuple[str, ...] = (), cells: list[CellRef] | None = None,
            expected: Decimal | None = None, actual: Decimal | None = None, /, **fields: object) -> Finding:
    """A finding of a built-in rule, its name, statement and message taken from the catalogue (the
    message's fields are keywords; the finding's own values are positional, so a message may have an
    {expected} field of its own)."""
    r = rule(rule_id)
    return Finding(level, r.name, r.statement, message(rule_id, kind, **fields), tables, cells or [], expected,
                   actual)


@dataclass
class Report:
    file: str
    template: str
    kind: str
    department: str | None
    year: int | None
    findings: list[Finding]
    coverage: Coverage = field(default_factory=Coverage)      # how much of the workbook's amounts was read
    evidence: list[str] = field(default_factory=list)         # why this template (and the runner-up)
    # tables no template knows, read by their header (code, title, sheets): only their structure is checked
    unknown_tables: list[dict[str, Any]] = field(default_factory=list)
    forms: int = 0            # 绩效 forms checked with the tables (or alone: kind 绩效表)

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0
