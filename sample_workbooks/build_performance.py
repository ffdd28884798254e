"""Build the 绩效 sample workbooks (.xlsx, openpyxl) from data/<id>/forms.yaml.

Usage: python sample_workbooks/build_performance.py [WORKBOOK-ID ...]   (build.py runs it too)

Each forms.yaml names the output file (one folder per department), the form template set and the
sheets; on each sheet its forms are stacked, two blank rows apart, each laid out by the same layout
as `budget-xl fill` publishes (budget_xl.report.form_layout: the template's `print` section), with
real merged cells. Values are written as the published form shows them: amounts as numbers
(#,##0.00), scores as numbers, percentages and the other words as text. Deterministic output, like
build.py: a rebuild gives the very same bytes.
"""
from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))
os.environ["OPENPYXL_LXML"] = "False"   # the standard-library writer: the same bytes on any machine

import yaml  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from budget_xl.report.form_layout import FormData, Placed, layout_form  # noqa: E402
from budget_xl.templates.form_builder import get_form_set  # noqa: E402

DATA = ROOT / "data"
FONT = "宋体"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GAP = 2   # blank rows between two forms of a sheet


def workbook_ids() -> list[str]:
    return sorted(p.parent.name for p in DATA.glob("*/forms.yaml"))


def form_data(spec, item: dict) -> FormData:
    fields: dict[str, object] = {}
    for fid, value in (item.get("fields") or {}).items():
        kind = spec.field_type(fid)
        if kind == "amount" and value not in ("", None):
            fields[fid] = Decimal(str(value).replace(",", ""))
        elif kind in ("score", "count") and isinstance(value, (int, float)):
            fields[fid] = Decimal(str(value))
        else:
            fields[fid] = value
    columns = [c.id for c in spec.grid.columns] if spec.grid else []
    indicators = [{cid: v for cid, v in zip(columns, row) if v not in ("", None)} for row in item.get("indicators") or []]
    totals = {k: Decimal(str(v)) for k, v in (item.get("totals") or {}).items()}
    tasks = [tuple(t) for t in item.get("tasks") or []]
    return FormData(fields, indicators, totals, tasks, item.get("title") or "", item.get("subtitle") or "")


def write_cell(ws, top: int, p: Placed) -> None:
    r0, c0, r1, c1 = top + p.row, 1 + p.col, top + p.last_row, 1 + p.last_col
    if p.border:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ws.cell(row=r, column=c).border = BORDER
    if p.merged:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    value = p.value
    cell = ws.cell(row=r0, column=c0)
    if isinstance(value, Decimal):
        cell.value = float(value) if value != value.to_integral_value() or p.kind == "amount" else int(value)
        cell.number_format = "#,##0.00" if p.kind == "amount" else "General"
        cell.alignment = Alignment(horizontal="right", vertical="center")
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.alignment = Alignment(horizontal="center", vertical="center")
    elif value not in (None, ""):
        cell.value = str(value)
        left = p.role in ("value", "note") or (p.role == "text" and not p.border)
        cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
    size = 16 if p.role == "title" else 10
    cell.font = Font(name=FONT, size=size, bold=p.role in ("title", "header", "label"))


def build(wid: str) -> Path:
    data = yaml.safe_load((DATA / wid / "forms.yaml").read_text(encoding="utf-8"))
    fs = get_form_set(data["form_set"])
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in data["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        top = 1
        widths: tuple[int, ...] = ()
        for item in sheet["forms"]:
            spec = fs.forms[item["form"]]
            layout = layout_form(spec, form_data(spec, item))
            for p in layout.cells:
                write_cell(ws, top, p)
            ws.row_dimensions[top].height = 30
            widths = tuple(max(a, b) for a, b in zip(layout.widths, widths)) + layout.widths[len(widths):] \
                if widths else layout.widths
            top += layout.rows + GAP
        for j, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = w * 1.2
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    import build as table_builder  # the deterministic writer of the table samples

    props = wb.properties
    props.creator = "budget-xl sample_workbooks/build_performance.py"
    props.lastModifiedBy = None
    props.title = wid
    props.created = props.modified = table_builder.FIXED_TIME
    out = ROOT / data["file"]
    out.parent.mkdir(parents=True, exist_ok=True)
    table_builder.write_deterministic(wb, out)
    return out


def main(argv: list[str]) -> int:
    for wid in argv or workbook_ids():
        out = build(wid)
        print(f"wrote {out.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
