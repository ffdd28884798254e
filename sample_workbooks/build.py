"""Build the sample workbooks (.xlsx, openpyxl) from the data files under data/.

Usage: python sample_workbooks/build.py [WORKBOOK-ID ...]

For each data/<workbook-id>/meta.yaml (a base workbook's tables plus corrections.yaml, or its own
TSVs), writes sample_workbooks/<meta file> — a path with one folder per department, as an auditor
files them (住建局/2024_部门预算_更正版.xlsx) — laid out as a clerk's workbook: for 部门预算 a cover
and a 目录 sheet; then one sheet per table: code at the right, title merged across the table, the
金额单位 line (and for 决算 the 部门（单位） and 年度 lines), the header rows drawn from the template by
budget_xl.layout.header_cells (real merged cells), the data rows (amounts as numbers formatted
#,##0.00, blank cells where the table prints nothing), then the notes printed under the table.
The output is deterministic: fixed document properties and zip timestamps, so a rebuild gives
byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# openpyxl serialises differently with lxml installed (python-docx brings it): always use the
# standard-library writer so that a rebuild gives the very same bytes on any machine.
os.environ["OPENPYXL_LXML"] = "False"

import sampledata as sd  # noqa: E402
from budget_xl.layout import header_cells, layout_columns  # noqa: E402
from budget_xl.text import cjk_width  # noqa: E402

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.writer.excel import ExcelWriter  # noqa: E402

FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
FONT = "宋体"
AMOUNT_FORMAT = "#,##0.00"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROWS = 3  # code / title / unit (and department, year) lines above the header

BODY_FONT = Font(name=FONT, size=10)
BOLD_FONT = Font(name=FONT, size=10, bold=True)
TITLE_FONT = Font(name=FONT, size=16, bold=True)
COVER_FONT = Font(name=FONT, size=20, bold=True)


def code_text(wbd: sd.WorkbookData, code: str) -> str:
    """The table code as printed at the right of the title: 附表4 / 财决公开04表."""
    tmeta = (wbd.meta.get("tables") or {}).get(code) or {}
    if tmeta.get("code_text"):
        return tmeta["code_text"]
    return code if wbd.template.kind == "部门预算" else f"{code}表"


def cell_value(role: str, text: str):
    if text == "":
        return None
    if role == "amount":
        return float(Decimal(text.replace(",", "")))
    if role in ("line", "seq") and text.isdigit():
        return int(text)
    return text  # labels, codes (kept as text, as printed), units, free text


def write_cover(wb: Workbook, lines: list[str]) -> None:
    ws = wb.create_sheet("封面")
    for i, line in enumerate(lines):
        row = 4 + 3 * i
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
        c = ws.cell(row=row, column=1, value=line)
        c.font = COVER_FONT if i == 0 else Font(name=FONT, size=14)
        c.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[row].height = 36
    for col in range(1, 11):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_toc(wb: Workbook, wbd: sd.WorkbookData) -> None:
    ws = wb.create_sheet("目录")
    ws.cell(row=1, column=1, value=wbd.meta.get("toc_title") or "目录").font = TITLE_FONT
    tmetas = wbd.meta.get("tables") or {}
    for i, (code, spec) in enumerate(wbd.template.tables.items()):
        title = ((tmetas.get(code) or {}).get("title")) or spec.title
        c = ws.cell(row=3 + i, column=1, value=f"{code_text(wbd, code)}：{title}")
        c.font = Font(name=FONT, size=12)
    ws.column_dimensions["A"].width = 60


def write_table(wb: Workbook, wbd: sd.WorkbookData, t: sd.TableData) -> None:
    spec = sd.present_spec(wbd.spec(t.code), t.columns)
    cols = layout_columns(spec)
    assert [c.id for c in cols] == t.columns, (t.code, t.columns)
    ncols = len(cols)
    ws = wb.create_sheet(t.sheet)
    widths = [0] * ncols

    def note_width(i: int, text: str) -> None:
        widths[i] = max(widths[i], cjk_width(text))

    # code (right), title (merged across the table), unit / department / year line
    c = ws.cell(row=1, column=ncols, value=code_text(wbd, t.code))
    c.font = BODY_FONT
    c.alignment = Alignment(horizontal="right")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    c = ws.cell(row=2, column=1, value=t.title)
    c.font = TITLE_FONT
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 30
    if wbd.meta.get("dept_line"):
        ws.cell(row=3, column=1, value=wbd.meta["dept_line"]).font = BODY_FONT
    if wbd.meta.get("year_line"):
        c = ws.cell(row=3, column=max(2, (ncols + 1) // 2), value=wbd.meta["year_line"])
        c.font = BODY_FONT
        c.alignment = Alignment(horizontal="center")
    c = ws.cell(row=3, column=ncols, value=wbd.meta["unit_line"])
    c.font = BODY_FONT
    c.alignment = Alignment(horizontal="right")

    # header rows, from the template
    nhead, cells = header_cells(spec)
    top = TITLE_ROWS + 1
    for h in cells:
        r0, c0, r1, c1 = top + h.row, 1 + h.col, top + h.last_row, 1 + h.last_col
        for r in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                ws.cell(row=r, column=cc).border = BORDER
        if h.merged:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        cell = ws.cell(row=r0, column=c0, value=h.text or None)
        cell.font = BOLD_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if c0 == c1:
            note_width(h.col, h.text)

    # data rows
    first = top + nhead
    for i, row in enumerate(t.rows):
        r = first + i
        for j, (col, text) in enumerate(zip(cols, row)):
            cell = ws.cell(row=r, column=j + 1, value=cell_value(col.role, text))
            cell.border = BORDER
            cell.font = BODY_FONT
            if col.role == "amount":
                cell.number_format = AMOUNT_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="center")
                note_width(j, f"{text}000")
            elif col.role in ("line", "seq", "code", "code_class", "code_kuan", "code_xiang"):
                cell.alignment = Alignment(horizontal="center", vertical="center")
                note_width(j, text)
            else:
                cell.alignment = Alignment(horizontal="left", vertical="center")
                note_width(j, text)

    # notes under the table
    for k, note in enumerate(t.notes):
        ws.cell(row=first + len(t.rows) + k, column=1, value=note).font = BODY_FONT

    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 8), 56)
    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.print_title_rows = f"{top}:{first - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_lines(wb: Workbook, wbd: sd.WorkbookData) -> None:
    """The 明细 sheet of a line-item workbook, laid out as `budget-xl init` writes it: a title line
    naming the template, the department and 金额单位 line, the header (templates/line_items.yaml), then
    one budget line a row (amounts as numbers)."""
    columns, rows = sd.read_tsv(sd.DATA / wbd.id / wbd.meta["lines"])
    ws = wb.create_sheet("明细")
    ws.cell(row=1, column=1, value=wbd.meta["lines_title"]).font = TITLE_FONT
    ws.cell(row=2, column=1, value=wbd.meta["lines_meta"]).font = BODY_FONT
    ws.cell(row=2, column=len(columns), value=wbd.meta["unit_line"]).font = BODY_FONT
    widths = [cjk_width(c) for c in columns]
    for j, head in enumerate(columns):
        c = ws.cell(row=3, column=j + 1, value=head)
        c.font, c.border = BOLD_FONT, BORDER
        c.alignment = Alignment(horizontal="center", vertical="center")
    for i, row in enumerate(rows):
        for j, (head, text) in enumerate(zip(columns, row)):
            c = ws.cell(row=4 + i, column=j + 1, value=cell_value("amount" if head == "金额" else "text", text))
            c.font, c.border = BODY_FONT, BORDER
            if head == "金额":
                c.number_format = AMOUNT_FORMAT
            widths[j] = max(widths[j], cjk_width(text))
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 8), 56)
    ws.freeze_panes = ws.cell(row=4, column=1)
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build(wid: str) -> Path:
    wbd = sd.load(wid)
    wb = Workbook()
    wb.remove(wb.active)
    if wbd.meta.get("layout") == "document":
        # A 政府预算: the tables as the published document prints them, page by page (docbuild.py).
        import docbuild

        docbuild.write_document(wb, wbd, sys.modules[__name__])
    elif wbd.meta.get("cover"):
        write_cover(wb, wbd.meta["cover"])
    if wbd.meta.get("layout") != "document":
        if wbd.meta.get("toc"):
            write_toc(wb, wbd)
        if wbd.meta.get("lines"):
            write_lines(wb, wbd)
        for t in wbd.tables.values():
            write_table(wb, wbd, t)
    props = wb.properties
    props.creator = "budget-xl sample_workbooks/build.py"
    props.lastModifiedBy = None
    props.title = wbd.id  # the workbook id (data/<id>/), which names the department, year and version
    props.created = props.modified = FIXED_TIME
    out = sd.ROOT / wbd.file_name
    out.parent.mkdir(parents=True, exist_ok=True)
    write_deterministic(wb, out)
    return out


def write_deterministic(wb: Workbook, out: Path) -> None:
    """Save with fixed properties and zip timestamps, to a temporary file renamed into place."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # (openpyxl's save_workbook would stamp the current time)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(fixed.getvalue())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    import build_performance  # the 绩效 forms (data/*/forms.yaml)

    ids = argv or sd.workbook_ids() + build_performance.workbook_ids()
    for wid in ids:
        out = build_performance.build(wid) if wid in build_performance.workbook_ids() else build(wid)
        print(f"wrote {out.relative_to(sd.ROOT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
