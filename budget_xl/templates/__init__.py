"""Table-set templates: what a table set looks like and what must hold in it, as data.

A template file (templates/*.yaml, format in templates/README.md) describes one table set: its
tables, each table's titles and aliases, header tree, columns, row structure and identities.
spec.py holds the types, builder.py makes and validates them from a file (checker.py reports
mistakes), files.py finds the files and caches them.
"""
from __future__ import annotations

from .files import codes_dir, get_template, kind_of, load_all, load_template, load_yaml, template_files, templates_dir
from .line_feeds import ANY, choice_wordings, line_items
from .spec import (
                   ColumnSpec,
                   DiffSpec,
                   FixedRow,
                   Identity,
                   LineFeed,
                   LineField,
                   LineItems,
                   PanelSpec,
                   Ref,
                   RowIdentity,
                   RowsSpec,
                   RowSum,
                   SangongLine,
                   TableSpec,
                   TemplateSet,
                   Term,
                   VersusLine,
                   VersusSection,
                   VersusSide,
)

__all__ = [
    "ANY",
    "ColumnSpec", "DiffSpec", "FixedRow", "Identity", "LineFeed", "LineField", "LineItems", "PanelSpec", "Ref", "RowIdentity", "RowSum", "RowsSpec",
    "SangongLine", "TableSpec", "TemplateSet", "Term", "VersusLine", "VersusSection", "VersusSide",
    "choice_wordings", "codes_dir", "get_template", "line_items", "kind_of", "load_all", "load_template", "load_yaml", "template_files", "templates_dir",
]
