"""Which template explains a workbook: every candidate is scored on what it finds — tables known by
title or code with their header band, and template columns matched under those headers — and the
one that explains most of the workbook is taken. The scores are kept, so `show` can say why (and
which template came second): a wrong choice must never be silent."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..templates import TemplateSet

if TYPE_CHECKING:  # pragma: no cover
    from . import Piece


@dataclass(frozen=True)
class Evidence:
    template: TemplateSet
    tables: int            # tables of the template found in the workbook
    tables_total: int
    columns: int           # template columns matched under the found tables' headers
    columns_total: int     # template columns of the found tables (optional ones left out)

    @property
    def score(self) -> tuple[int, int, int, int]:
        """Most matched columns first (the template explaining most of the workbook); then the one
        expecting fewest columns that are not there; then most tables; then fewest missing tables."""
        return (self.columns, -(self.columns_total - self.columns), self.tables, -(self.tables_total - self.tables))

    def describe(self) -> str:
        return (f"{self.template.id}：找到 {self.tables}/{self.tables_total} 张表，"
                f"其中 {self.columns}/{self.columns_total} 列对得上")


def evidence_of(template: TemplateSet, pieces: list[Piece]) -> Evidence:
    first: dict[str, Piece] = {}
    for piece in pieces:
        first.setdefault(piece.spec.code, piece)
    matched = expected = 0
    for piece in first.values():
        wanted = {c.id for panel in piece.template_spec.panels for c in panel.columns if not c.optional}
        known = {c.id for panel in piece.template_spec.panels for c in panel.columns}
        mapped = {cid for mapping in piece.cmap.panels for cid in mapping if cid in known}
        matched += len(mapped)
        expected += len(wanted | mapped)
    return Evidence(template, len(first), len(template.tables), matched, expected)
