"""budget-xl: read, check, complete, narrate and compare Chinese 部门预算/部门决算 disclosure workbooks.

    >>> import budget_xl
    >>> d = budget_xl.read("附表.xlsx")                  # tables of exact amounts, keyed rows
    >>> d.kind, d.department, d.year, d.unit
    >>> d.tables["附表4"].to_frame()                     # a pandas DataFrame
    >>> report = budget_xl.check("附表.xlsx")            # findings, each with the cell to fix
    >>> result = budget_xl.fill("附表.xlsx", "发布/")     # the publish-ready tables, 情况说明, report
    >>> budget_xl.narrate("附表.xlsx", "说明.docx", prior="上年.xlsx")
    >>> comparison = budget_xl.compare("2023.xlsx", "2024.xlsx")
    >>> budget_xl.init("部门预算", 2025, "145-某某局", out="填报表.xlsx")
    >>> budget_xl.draft("外省决算.xlsx", "外省决算.yaml")        # a template drafted from a workbook
    >>> forms = budget_xl.read_performance("绩效.xlsx")       # 绩效目标表, 自评表: projects and indicators
    >>> budget_xl.check("附表.xlsx", performance="绩效.xlsx")  # the forms checked with the tables

Every function raises a BudgetXlError (InputError, TemplateError, NotPublished) with one Chinese
sentence for anything a user can fix; pandas is imported only when a DataFrame is asked for.
"""
from .errors import BudgetXlError, InputError, NotPublished, TemplateError
from .model import CellRef, Disclosure, Row, Table
from .performance import PerformanceBook
from .pipeline import DraftResult, FillResult, NarrateResult, check, compare, draft, fill, init, narrate
from .reader import read, read_performance
from .templates import get_template
from .templates import load_all as templates

__version__ = "0.1.0"
__all__ = [
    "BudgetXlError", "CellRef", "Disclosure", "DraftResult", "FillResult", "InputError", "NarrateResult", "NotPublished", "Row",
    "PerformanceBook", "Table", "TemplateError", "__version__", "check", "compare", "draft", "fill", "get_template", "init",
    "narrate", "read", "read_performance", "templates",
]
