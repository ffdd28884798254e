"""What the forms reader returns for 绩效 tables: each form (a project's 年度绩效目标表 or 绩效自评表, a
部门整体 form) with its fields and its indicator tree, every value remembering its cell, so a message
can say “fix 目标表03!F7”. pandas is imported only when a DataFrame is asked for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .model import CellRef, Coverage, Note
from .templates.forms import FormSpec

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_PROJECT_CODE = re.compile(r"^\s*([0-9A-Za-z]{10,})\s*[-－—–]\s*(.+)$", re.S)
_UNIT_CODE = re.compile(r"^\s*(\d{3,9})\s*[-－—–\s]\s*(.+)$", re.S)
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


@dataclass(slots=True)
class Value:
    """One value of a form: what the cell shows, the number read from it, where it is."""
    text: str                          # as shown ("" for a blank)
    number: Decimal | None = None      # amount, score or percentage read from it; None for a blank or words
    cell: CellRef | None = None        # the value's cell (None: no cell was found for it)
    label_cell: CellRef | None = None  # the label it was found by

    @property
    def where(self) -> CellRef | None:
        return self.cell or self.label_cell


@dataclass(slots=True)
class Indicator:
    """One row of the indicator grid: its place in the tree (一级 / 二级 / 三级) and its values."""
    level1: str
    level2: str
    level3: str
    values: dict[str, Value] = field(default_factory=dict)   # grid column id → value (三级指标 included)
    sheet: str = ""
    row: int = -1

    def text(self, column: str) -> str:
        v = self.values.get(column)
        return v.text if v else ""

    def number(self, column: str) -> Decimal | None:
        v = self.values.get(column)
        return v.number if v else None

    def cell(self, column: str) -> CellRef | None:
        v = self.values.get(column)
        return v.cell if v else None

    @property
    def path(self) -> str:
        return "/".join(p for p in (self.level1, self.level2, self.level3) if p)


@dataclass
class Form:
    spec: FormSpec
    sheet: str
    title_cell: CellRef | None
    fields: dict[str, Value] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    branches: list[Indicator] = field(default_factory=list)       # every grid row in order, empty branches too (printing)
    totals: dict[str, Value] = field(default_factory=dict)        # the 总分 / 总计 row, by grid column
    tasks: list[tuple[str, str]] = field(default_factory=list)     # 年度重点任务: name, main content
    missing: list[str] = field(default_factory=list)              # blocks the form lacks (资金块, 指标表)
    grid_columns: list[str] = field(default_factory=list)         # the grid columns the form prints
    year: int | None = None
    rows: tuple[int, int] = (0, 0)                                # the sheet rows of the form (0-based, inclusive)
    heading: str = ""                                             # the title as printed
    owner: str = ""                                               # the name before the title (“区政府办”整体绩效自评表)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def title(self) -> str:
        return self.spec.title

    def text(self, field_id: str) -> str:
        v = self.fields.get(field_id)
        return v.text if v else ""

    def number(self, field_id: str) -> Decimal | None:
        v = self.fields.get(field_id)
        return v.number if v else None

    @property
    def code(self) -> str:
        """The project code (“21020324T000000377364”) when the project is written “code-name”."""
        m = _PROJECT_CODE.match(self.text("project"))
        return m.group(1) if m else ""

    @property
    def name(self) -> str:
        """The project's name (without its code), or the department's for a 部门整体 form."""
        if self.kind.startswith("部门整体"):
            return self.text("dept_name") or self.owner
        m = _PROJECT_CODE.match(self.text("project"))
        return (m.group(2) if m else self.text("project")).strip()

    @property
    def unit_code(self) -> str:
        m = _UNIT_CODE.match(self.text("unit"))
        return m.group(1) if m else ""

    @property
    def unit_name(self) -> str:
        m = _UNIT_CODE.match(self.text("unit"))
        return (m.group(2) if m else self.text("unit")).strip()

    @property
    def label(self) -> str:
        """How messages and reports name the form: 年度绩效目标表“新云巷危房安全监测费”."""
        name = self.name
        if not name:
            return f"{self.title}（{self.sheet}）"
        return f"{self.title}{name}" if name[0] in "“\"'「《" else f"{self.title}“{name}”"

    def where(self, field_id: str) -> CellRef | None:
        v = self.fields.get(field_id)
        return v.where if v else None


@dataclass
class PerformanceBook:
    """The 绩效 forms of a workbook (or of the 绩效 sheets of a disclosure workbook)."""
    path: Path
    forms: list[Form]
    form_sets: list[str] = field(default_factory=list)     # ids of the templates the forms were read with
    notes: list[Note] = field(default_factory=list)
    year: int | None = None
    department: str | None = None
    sheets: list[str] = field(default_factory=list)        # the sheets holding forms
    coverage: Coverage = field(default_factory=Coverage)

    def __iter__(self):
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def of_kind(self, *kinds: str) -> list[Form]:
        return [f for f in self.forms if f.kind in kinds]

    def projects_frame(self) -> pd.DataFrame:
        """One row per form: kind, title, sheet, unit, code, name, then every field (numbers as exact
        Decimal, words as text), the 总分 row and the number of indicators."""
        import pandas as pd

        records = []
        for n, f in enumerate(self.forms, 1):
            rec: dict[str, object] = {"form": n, "kind": f.kind, "title": f.title, "sheet": f.sheet,
                                      "unit": f.unit_code or f.unit_name, "code": f.code, "name": f.name}
            for fid, v in f.fields.items():
                rec[fid] = v.number if f.spec.field_type(fid) != "text" and v.number is not None else v.text
            for column, v in f.totals.items():
                rec[f"totals.{column}"] = v.number
            rec["indicators"] = len(f.indicators)
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def indicators_frame(self) -> pd.DataFrame:
        """One row per indicator: the form it belongs to (number, name), its tree path and its values."""
        import pandas as pd

        records = []
        for n, f in enumerate(self.forms, 1):
            for ind in f.indicators:
                rec: dict[str, object] = {"form": n, "name": f.name, "level1": ind.level1, "level2": ind.level2,
                                          "level3": ind.level3}
                for column, v in ind.values.items():
                    if column in ("level1", "level2", "level3"):
                        continue
                    grid = f.spec.grid
                    typed = grid is not None and (c := grid.column(column)) is not None and c.type == "score"
                    rec[column] = v.number if typed else v.text
                rec["cell"] = str(ind.values["level3"].cell) if "level3" in ind.values and ind.values["level3"].cell else ""
                records.append(rec)
        return pd.DataFrame.from_records(records)

    def to_frame(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(projects, indicators): one frame of the forms, one of their indicators (joined on `form`)."""
        return self.projects_frame(), self.indicators_frame()


def same_name(a: str, b: str) -> bool:
    """Two names written the same way but for brackets, quotes and spaces."""
    return name_key(a) == name_key(b)


def name_key(text: str) -> str:
    """A name for matching: no spaces, quotes or brackets, full-width brackets, “(本级)” kept."""
    from .text import norm

    return re.sub(r"[()（）\[\]【】〔〕]", "", norm(text).translate(_BRACKETS))
