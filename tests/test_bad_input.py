"""Nasty inputs: each gets one clear Chinese sentence (exit 2) or a correct reading with notes."""
import hashlib
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from factory import new_workbook, write_table
from test_reader_layouts import FINAL, LINES, rows_full_code

import budget_xl
from budget_xl.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"


def table02(path: Path, rows=None, **kw) -> Path:
    wb = new_workbook()
    write_table(wb.create_sheet("收入决算表"), FINAL.table("财决公开02"), rows or rows_full_code(),
                unit="金额单位：万元", lines=LINES, **kw)
    wb.save(path)
    return path


def error_of(path) -> str:
    with pytest.raises(InputError) as err:
        budget_xl.read(path)
    return str(err.value)


def test_missing_file(tmp_path):
    assert "找不到文件" in error_of(tmp_path / "没有.xlsx")


def test_folder_is_not_a_workbook(tmp_path):
    assert "是文件夹" in error_of(tmp_path)


def test_empty_file(tmp_path):
    p = tmp_path / "空.xlsx"
    p.write_bytes(b"")
    assert "空文件" in error_of(p)


def test_text_file_named_xlsx(tmp_path):
    p = tmp_path / "表.xlsx"
    p.write_text("科目,金额\n201,1\n", encoding="utf-8")
    msg = error_of(p)
    assert "不是 Excel 工作簿" in msg and "表.xlsx" in msg


def test_word_document(tmp_path):
    p = tmp_path / "说明.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in error_of(p)


def test_corrupt_zip(tmp_path):
    good = table02(tmp_path / "好.xlsx")
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(good.read_bytes()[:1500])
    msg = error_of(bad)
    assert "已损坏" in msg and "坏.xlsx" in msg


def test_encrypted_workbook(tmp_path):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = table02(tmp_path / "明文.xlsx")
    enc = tmp_path / "加密.xlsx"
    with plain.open("rb") as src, enc.open("wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    assert "加密" in error_of(enc)


def test_workbook_without_tables(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "通讯录"
    wb.active["A1"] = "姓名"
    wb.active["B1"] = "电话"
    p = tmp_path / "通讯录.xlsx"
    wb.save(p)
    msg = error_of(p)
    assert "没有找到任何公开表" in msg and "通讯录" in msg and "--template" in msg


def test_xls_and_ods_read_like_xlsx(tmp_path):
    ref = budget_xl.read(table02(tmp_path / "ref.xlsx")).tables["财决公开02"]
    for name in ("决算02.xls", "决算02.ods"):
        t = budget_xl.read(FIXTURES / name).tables["财决公开02"]
        assert [(r.key, r.amounts) for r in t] == [(r.key, r.amounts) for r in ref], name


def test_text_in_number_cell_is_a_note_on_that_cell(tmp_path):
    rows = rows_full_code()
    rows[3][4] = "约434万"
    d = budget_xl.read(table02(tmp_path / "t.xlsx", rows))
    row = d.tables["财决公开02"]["2010301"]
    assert row.amounts["total"] is None
    note = next(n for n in d.notes if n.level == "error")
    assert "约434万" in note.message and str(note.cell) == "收入决算表!E11"


def test_text_amounts_full_width_negatives_and_placeholders(tmp_path):
    rows = rows_full_code()
    rows[1][4:6] = ["４４９．８８", "449.88"]
    rows[2][6:8] = ["(1,234.50)", "-1,234.50"]
    rows[3][6] = "———"
    rows[4][7] = "--"
    t = budget_xl.read(table02(tmp_path / "t.xlsx", rows, as_text=True)).tables["财决公开02"]
    assert t["201"].amounts["total"] == Decimal("449.88")
    assert t["20103"].amounts["superior"] == Decimal("-1234.50")
    assert t["20103"].amounts["business"] == Decimal("-1234.50")
    assert t["2010301"].amounts["superior"] is None
    assert t["2010302"].amounts["business"] is None


def test_formula_without_cached_value_is_reported(tmp_path):
    p = table02(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["收入决算表"]["E8"] = "=SUM(E9:E12)"   # 合计 row, written by a program, never calculated
    wb.save(p)
    d = budget_xl.read(p)
    assert d.tables["财决公开02"]["合计"].amounts["total"] is None
    note = next(n for n in d.notes if "公式" in n.message)
    assert note.level == "error" and str(note.cell) == "收入决算表!E8"


def test_hidden_rows_and_hidden_sheets(tmp_path):
    p = table02(tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["收入决算表"]
    ws.row_dimensions[10].hidden = True           # a data row hidden by the clerk is still data
    copy = wb.copy_worksheet(ws)                  # a hidden copy of the same table is ignored
    copy.title = "旧版"
    copy.sheet_state = "hidden"
    copy["E9"] = 999
    only_hidden = wb.create_sheet("隐藏的表")      # a table found only on a hidden sheet is read
    write_table(only_hidden, FINAL.table("财决公开03"), [["", "", "", "合计", "677.92", "662.26", "15.67", "0", "0", "0"]],
                unit="金额单位：万元")
    only_hidden.sheet_state = "hidden"
    wb.save(p)
    d = budget_xl.read(p)
    t = d.tables["财决公开02"]
    assert t["20103"].amounts["total"] == Decimal("449.88") and t["201"].amounts["total"] == Decimal("449.88")
    assert t.sheets == ["收入决算表"]
    assert d.tables["财决公开03"]["合计"].amounts["basic"] == Decimal("662.26")


def test_merged_label_cells_in_data_rows(tmp_path):
    p = table02(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["收入决算表"]
    ws["A8"] = "合计"          # 合计 written across 类/款/项/科目名称, merged
    ws["D8"] = None
    ws.merge_cells("A8:D8")
    wb.save(p)
    t = budget_xl.read(p).tables["财决公开02"]
    assert t.rows[0].key == "合计" and t["合计"].amounts["total"] == Decimal("677.92")


def test_partial_workbook_lists_missing_tables(tmp_path, cli):
    p = table02(tmp_path / "部分.xlsx")
    d = budget_xl.read(p)
    assert d.missing == [c for c in FINAL.tables if c != "财决公开02"]
    out = cli("show", p)
    assert out.returncode == 0
    assert "缺少 8 张表" in out.stdout and "财决公开01 收入支出决算表" in out.stdout


def test_reading_never_modifies_the_input(tmp_path):
    p = table02(tmp_path / "原件.xlsx")
    before = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    budget_xl.read(p)
    assert (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) == before


def _garbage_zip(folder: Path) -> Path:
    path = folder / "x.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    return path


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "无.xlsx", "找不到文件"),
    (_garbage_zip, "已损坏"),
])
def test_cli_bad_input_exit_2_without_traceback(tmp_path, cli, make, message):
    out = cli("show", make(tmp_path))
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr + out.stdout


def test_usage_errors_are_chinese(cli):
    out = cli("show")
    assert out.returncode == 2 and "缺少参数" in out.stderr and "Missing" not in out.stderr
    out = cli("check", "x.xlsx", "--format", "xml")
    assert out.returncode == 2 and "的值无效" in out.stderr
    assert "显示本帮助并退出" in cli("--help").stdout


@pytest.mark.parametrize("command", ["fill", "narrate", "diff", "init", "check"])
def test_help_columns_line_up_with_chinese_metavars(cli, command):
    """Option descriptions start in one column on screen, however wide the Chinese metavars are."""
    from budget_xl.text import cjk_width

    lines = cli(command, "--help").stdout.split("\n")
    options = lines[next(i for i, line in enumerate(lines) if line.startswith("选项")) + 1:]
    starts = set()
    for line in options:
        m = re.match(r"(  -\S.*?\S)( {2,})\S", line)    # "  --template 模板   指定…"
        if m:
            starts.add(cjk_width(m.group(1)) + len(m.group(2)))
    assert len(starts) == 1, starts
