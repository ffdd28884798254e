"""budget-xl: read, check, complete and compare Chinese 部门预算/部门决算 disclosure workbooks.

    >>> import budget_xl
    >>> d = budget_xl.read("附表.xlsx")
    >>> d.kind, d.department, d.year, d.unit
    >>> d.tables["附表4"].to_frame()

pandas is imported only when a DataFrame is asked for.
"""
from .errors import BudgetXlError, InputError, TemplateError
from .model import CellRef, Disclosure, Row, Table
from .reader import read
from .templates import get_template, load_all as templates

__version__ = "0.1.0"
__all__ = ["read", "Disclosure", "Table", "Row", "CellRef", "templates", "get_template",
           "BudgetXlError", "InputError", "TemplateError", "__version__"]
