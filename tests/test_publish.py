"""The publish-ready workbook: official layout, and it reads back to the very same numbers."""
import shutil
import subprocess

import openpyxl
import pytest
from test_samples import BUDGET_2023, BUDGET_2024_FIXED, FINAL_2024

import budget_xl
from budget_xl.layout import header_cells, layout_columns
from budget_xl.report.publish import HEADING_TOP, write_publish_workbook
from budget_xl.rules import check

SAMPLES = [BUDGET_2024_FIXED, BUDGET_2023, FINAL_2024]


def amounts(d):
    return {(t.code, r.key, c): v for t in d.tables.values() for r in t.rows for c, v in r.amounts.items()
            if v is not None}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_round_trip_same_numbers_and_clean_check(tmp_path, path):
    d = budget_xl.read(path)
    out = write_publish_workbook(d, tmp_path / "发布.xlsx")
    back = budget_xl.read(out)
    assert back.missing == [] and back.department == d.department and back.year == d.year
    assert amounts(back) == amounts(d)
    assert check(back).errors == 0


def test_layout_of_a_published_table(tmp_path):
    out = write_publish_workbook(budget_xl.read(BUDGET_2024_FIXED), tmp_path / "发布.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [f"附表{i}" for i in range(1, 15)]
    ws = wb["附表4"]
    assert ws["B2"].value is None and ws["A2"].value == "支出功能分类预算表"
    assert "A2:G2" in {str(r) for r in ws.merged_cells.ranges}           # title across the table
    assert "C4:E4" in {str(r) for r in ws.merged_cells.ranges}           # 财政拨款 over its 3 columns
    assert ws["G3"].value == "金额单位：元" and ws["A3"].value.startswith("部门（单位）：145-")
    assert ws["B6"].number_format == "#,##0.00" and ws.freeze_panes == "A6"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$5"
    empty = wb["附表9"]
    assert any(c.value == "本年度未产生与该表相关的预决算数据" for row in empty.iter_rows() for c in row)


@pytest.mark.parametrize("path", [BUDGET_2024_FIXED, FINAL_2024], ids=lambda p: p.stem)
def test_every_header_merged_as_its_template(tmp_path, path):
    """Sheets are streamed row by row (constant memory), so merges are recorded apart from the
    cells: every sheet must still carry exactly the title and header merges of its template."""
    d = budget_xl.read(path)
    wb = openpyxl.load_workbook(write_publish_workbook(d, tmp_path / "发布.xlsx"))
    for code, spec in d.template.tables.items():
        width = len(layout_columns(spec))
        expected = {(2, 1, 2, width)} if width > 1 else set()
        expected |= {(HEADING_TOP + hc.row + 1, hc.col + 1, HEADING_TOP + hc.last_row + 1, hc.last_col + 1)
                     for hc in header_cells(spec)[1] if hc.merged}
        merged = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in wb[code].merged_cells.ranges}
        assert merged == expected, code
        for hc in header_cells(spec)[1]:
            assert (wb[code].cell(HEADING_TOP + hc.row + 1, hc.col + 1).value or "") == hc.text, code


def test_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed here (../shared/tools/office-render installs it)")
    out = write_publish_workbook(budget_xl.read(FINAL_2024), tmp_path / "发布.xlsx")
    res = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=180)
    assert res.returncode == 0 and (tmp_path / "发布.pdf").stat().st_size > 10_000


def test_xlsxwriter_still_keeps_its_merged_ranges_where_record_merge_puts_them():
    """record_merge appends to Worksheet.merge, the list merge_range fills and close() writes out as
    <mergeCells>: if a release of xlsxwriter changes that, this fails before any header comes out
    unmerged."""
    import io

    import openpyxl
    import xlsxwriter

    from budget_xl.report.publish import record_merge

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": True})
    ws = wb.add_worksheet("表")
    ws.merge_range(0, 0, 0, 2, "标题")
    assert ws.merge == [[0, 0, 0, 2]]
    ws.write(1, 0, "表头")
    ws.write(1, 1, "第二列")
    ws.write(2, 1, "下一行")
    record_merge(ws, 1, 0, 2, 0)
    wb.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["表"]
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["A1:C1", "A2:A3"]
    assert sheet["B2"].value == "第二列" and sheet["B3"].value == "下一行"


def test_unit_tables_say_the_unit_again_on_each_continuation_page(tmp_path):
    """附表3/5/8 run over pages: each page that continues a unit starts with that unit's row
    (“145001-…（续）”, no amounts, so the workbook still reads back the same); unit rows are shaded."""
    d = budget_xl.read(BUDGET_2024_FIXED)
    out = write_publish_workbook(d, tmp_path / "发布.xlsx")
    wb = openpyxl.load_workbook(out)
    for code in ("附表3", "附表5", "附表8"):
        ws = wb[code]
        breaks = [b.id for b in ws.row_breaks.brk]
        assert breaks, code
        for row in breaks:                        # a break after row `row`: the next page starts at row + 1
            first = ws.cell(row=row + 1, column=1).value
            assert first.startswith(("145001-", "145002-", "145 ")), (code, first)
            if first.endswith("（续）"):
                assert all(c.value is None for c in ws[row + 1][1:]), code
        units = [r for r in ws.iter_rows(min_row=6) if str(r[0].value or "").startswith("14500")]
        assert all(r[0].fill.fgColor.rgb.endswith("EDEDED") and r[0].font.b for r in units), code
    assert amounts(budget_xl.read(out)) == amounts(d)


def test_long_names_wrap_instead_of_widening_the_table(tmp_path):
    """附表12's project names and units wrap in capped columns, so the page fitted to the table's
    width stays readable; their rows are written tall enough for the wrapped text."""
    out = write_publish_workbook(budget_xl.read(BUDGET_2024_FIXED), tmp_path / "发布.xlsx")
    ws = openpyxl.load_workbook(out)["附表12"]
    widths = {c: ws.column_dimensions[c].width for c in "BCDEFGHI"}
    assert widths["B"] < 25 and widths["C"] < 45 and sum(widths.values()) < 165   # (+0.71: Excel's padding)
    first_item = ws[7]
    assert first_item[1].alignment.wrap_text and ws.row_dimensions[7].height >= 28
