"""The fourteen failure classes of issue 17, each with its minimal reproducer (the base is the
corrected 2024 住建局 sample), and the guarantees built against them: bounded reading, one amount
parse path, text that no output format can hold removed, all-or-nothing fill, folder runs that
survive a crashing file, file-system oddities and option handling."""
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024_FIXED
from fuzz.contract import formula_cells
from fuzz.sheetxml import Book, number_cell, shift_refs, text_cell, xml_text
from fuzz.zipcraft import Bombs, Entry, entries_of, write_zip

from budget_xl.money import AmountOutOfRange, NotANumber, parse_amount, round_half_up

DEPARTMENT = "大连市西岗区住房和城乡建设局"


def one_sentence(res):
    assert res.returncode == 2, (res.returncode, res.stdout[-500:], res.stderr)
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), res.stderr
    assert not re.search(r"Error|Exception|Traceback|panicked|内部错误", res.stderr), res.stderr
    return lines[0]


def book(base: Path = BUDGET_2024_FIXED) -> Book:
    return Book(entries_of(base))


def sheet_of(b: Book, name: str) -> str:
    return dict(b.sheets())[name]


def save(b: Book, path: Path) -> Path:
    path.write_bytes(write_zip(b.entries))
    return path


def with_cell(tmp_path: Path, sheet: str, ref: str, xml_of, base: Path = BUDGET_2024_FIXED) -> Path:
    b = book(base)
    member = sheet_of(b, sheet)
    cell = next(c for c in b.cells(member) if c.ref == ref)
    b.set_cell(member, cell, xml_of(b, cell))
    return save(b, tmp_path / "表.xlsx")


def renamed(tmp_path: Path, name: str, base: Path = BUDGET_2024_FIXED) -> Path:
    b = book(base)
    for _, member in b.sheets():
        for cell in sorted((c for c in b.cells(member) if c.is_text and DEPARTMENT in b.text_of(c)), key=lambda c: -c.span[0]):
            b.set_cell(member, cell, text_cell(b, cell, xml_text(b.text_of(cell).replace(DEPARTMENT, name))))
    return save(b, tmp_path / "表.xlsx")


# --------------------------------------------------------------------------- 1–4 amounts
@pytest.mark.parametrize("value", [1e30, float("inf"), float("-inf"), float("nan"), 9.99e307, 1e15])
def test_numbers_no_budget_holds_are_refused_as_out_of_range(value):
    with pytest.raises(AmountOutOfRange):
        parse_amount(value)


@pytest.mark.parametrize("text", ["1e30", "1" + "0" * 27, "Infinity", "NaN", "-inf", "1e99999999999", "9" * 5000])
def test_text_amounts_no_budget_holds_are_refused_as_out_of_range(text):
    with pytest.raises(AmountOutOfRange) as err:
        parse_amount(text)
    assert err.value.text == text and isinstance(err.value, NotANumber)


def test_amounts_within_range_still_read_exactly():
    assert parse_amount(999_999_999_999_999.0) is not None
    assert parse_amount("1e-30") == Decimal("0E-10")            # finer than any workbook: rounded to 1e-10
    assert parse_amount(0.1 + 0.2) == Decimal("0.30")
    assert round_half_up(Decimal("9" * 14) / Decimal("1e-10") * 100) > 0   # a ratio of extremes rounds


@pytest.mark.parametrize("cell_xml", [
    lambda b, c: text_cell(b, c, b"1e30"),                            # class 1: text beyond Decimal's reach
    lambda b, c: text_cell(b, c, b"1" + b"0" * 27),
    lambda b, c: number_cell(c, b"inf"),                              # class 2
    lambda b, c: number_cell(c, b"NaN"),                              # class 3
])
def test_out_of_range_amount_is_a_finding_at_its_cell(cli, tmp_path, cell_xml):
    path = with_cell(tmp_path, "附表1", "B7", cell_xml)
    res = cli("check", path)
    assert res.returncode == 1, res.stderr
    assert "附表1!B7" in res.stdout and "金额超出范围" in res.stdout
    for args in (["fill", path, "-o", tmp_path / "发布", "--force"], ["narrate", path, "-o", tmp_path / "说明.docx"],
                 ["diff", BUDGET_2023, path]):
        assert cli(*args).returncode in (0, 1), args


def test_a_column_of_huge_amounts_is_refused_not_summed(cli, tmp_path):
    """Class 4: every amount of a column 9.99e307, then fill --force --recompute."""
    b = book()
    member = sheet_of(b, "附表4")
    cells = [c for c in b.cells(member) if c.is_number and c.col == "C"]
    for cell in sorted(cells, key=lambda c: -c.span[0]):
        b.set_cell(member, cell, number_cell(cell, b"9.99e307"))
    path = save(b, tmp_path / "表.xlsx")
    res = cli("fill", path, "-o", tmp_path / "发布", "--force", "--recompute")
    assert res.returncode in (0, 1) and "内部错误" not in res.stderr, res.stderr
    assert "金额超出范围" in cli("check", path).stdout


# --------------------------------------------------------------------------- 5–8 strings
@pytest.mark.parametrize("name", ["大连市西岗区\x01住建局", "大连市\x00西岗区住建局", "局" * 300, "部门/科室:甲*乙?"])
def test_department_names_make_safe_file_names(cli, tmp_path, name):
    """Classes 5–7: control characters and NUL in the department's name, a name far too long for a
    file name, path separators: fill and narrate write their files under a safe name."""
    path = renamed(tmp_path, name)
    out = tmp_path / "发布"
    res = cli("fill", path, "-o", out, "--force")
    assert res.returncode == 0, res.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 3 and all(len(n.encode()) <= 255 for n in written), written
    assert not any(re.search(r"[\x00-\x1f/\\:*?]", n) for n in written), written
    assert cli("narrate", path).returncode == 0       # beside the input, named after the department
    if "\x01" in name or "\x00" in name:
        assert "控制字符" in cli("check", path).stdout


def test_control_characters_in_labels_and_a_finding_annotate(cli, tmp_path):
    """Class 8: a control character in a row label, and a finding: the annotated copy is written."""
    b = book(BUDGET_2024)
    member = sheet_of(b, "附表1")
    label = next(c for c in b.cells(member) if c.is_text and "一般公共服务" in b.text_of(c))
    b.set_cell(member, label, text_cell(b, label, xml_text("一、一般\x01公共\x1b服务支出")))
    path = save(b, tmp_path / "表.xlsx")
    res = cli("check", path, "--annotate", tmp_path / "标注.xlsx")
    assert res.returncode == 1 and (tmp_path / "标注.xlsx").exists(), res.stderr
    assert "控制字符" in res.stdout


def test_a_flagged_cell_inside_a_merged_range_is_marked_at_its_anchor(cli, tmp_path):
    """Class 9: the cell to blame lies inside a merged range (not its top-left cell)."""
    wb = openpyxl.load_workbook(BUDGET_2024)
    wb["附表1"].merge_cells("E16:F16")          # F16 holds the published error of the sample
    path = tmp_path / "表.xlsx"
    wb.save(path)
    res = cli("check", path, "--annotate", tmp_path / "标注.xlsx")
    assert res.returncode == 1, res.stderr
    marked = openpyxl.load_workbook(tmp_path / "标注.xlsx")["附表1"]["E16"]
    assert marked.comment is not None and "659,060.64" in marked.comment.text


@pytest.mark.parametrize("name", ["=1+1", '=HYPERLINK("#附表2!A1","点我")', "=cmd|' A0", "@SUM(1)", "-2+3"])
def test_sheet_names_are_never_live_formulas_in_the_annotated_copy(cli, tmp_path, name):
    b = book(BUDGET_2024)
    raw = xml_text(name).replace(b'"', b"&quot;")
    b.put("xl/workbook.xml", b.get("xl/workbook.xml").replace('name="附表1"'.encode(), b'name="' + raw + b'"'))
    path = save(b, tmp_path / "表.xlsx")
    out = tmp_path / "标注.xlsx"
    res = cli("check", path, "--annotate", out)
    assert res.returncode == 1, res.stderr
    assert formula_cells(out) == set()
    ws = openpyxl.load_workbook(out)["校验结果"]
    assert any(str(v).startswith(name) for row in ws.iter_rows(min_row=3, values_only=True) for v in row if v)


# --------------------------------------------------------------------------- 10–11 zip and sheet size
@pytest.mark.parametrize("how", ["encrypted", "method99", "corrupt"])
def test_odd_zip_members_are_a_damaged_file(cli, tmp_path, how):
    """Class 10: docProps/core.xml with the encryption flag, compression method 99, corrupt deflate."""
    entries = []
    for e in entries_of(BUDGET_2024_FIXED):
        if e.name == "docProps/core.xml":
            if how == "encrypted":
                e = Entry(e.name, e.data, flags=1)
            elif how == "method99":
                e = Entry(e.name, e.data, method=99)
            else:
                stored, crc, size = e.payload()
                e = Entry(e.name, raw=stored[:10] + b"\xff" * 40 + stored[50:], crc=crc, size=size)
        entries.append(e)
    path = tmp_path / "表.xlsx"
    path.write_bytes(write_zip(entries))
    for command in ("show", "check"):
        assert "表.xlsx" in one_sentence(cli(command, path))


@pytest.mark.parametrize("extra, words", [
    (b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "第 1,048,576 行"),
    (b'<row r="5"><c r="ZZZZZZ5"><v>1</v></c></row>', "数据区域"),
    (b'<row r="5"><c r="A99999999999"><v>1</v></c></row>', "数据区域"),
])
def test_a_value_far_away_is_refused_before_it_is_allocated(process_cli, tmp_path, extra, words):
    """Class 11: python-calamine would build the rectangle up to that cell and abort the process."""
    b = book()
    member = sheet_of(b, "封面")
    b.put(member, b.get(member).replace(b"</sheetData>", extra + b"</sheetData>"))
    path = save(b, tmp_path / "表.xlsx")
    line = one_sentence(process_cli("check", path))
    assert words in line and "BUDGET_XL_MAX_CELLS" in line


def test_a_table_pasted_far_away_is_refused(process_cli, tmp_path):
    b = book()
    member = sheet_of(b, "附表4")
    b.put(member, shift_refs(b.get(member), 60000, 2000))
    line = one_sentence(process_cli("show", save(b, tmp_path / "表.xlsx")))
    assert "附表4" in line and "数据区域" in line


def test_styled_empty_cells_far_away_are_not_a_used_range(cli, tmp_path):
    b = book()
    member = sheet_of(b, "封面")
    b.put(member, b.get(member).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'))
    assert cli("check", save(b, tmp_path / "表.xlsx")).returncode == 0


def test_the_limits_are_configurable(process_cli, tmp_path):
    path = tmp_path / "表.xlsx"
    shutil.copy(BUDGET_2024_FIXED, path)
    line = one_sentence(process_cli("check", path, env={"BUDGET_XL_MAX_VALUES": "100"}))
    assert "100 个非空单元格" in line and "BUDGET_XL_MAX_VALUES" in line


@pytest.mark.parametrize("part, lie", [("sheet", False), ("sheet", True), ("core", False), ("strings", False)])
def test_a_zip_bomb_is_refused_without_inflating_it(process_cli, tmp_path, part, lie):
    bombs = Bombs(tmp_path / "bombs")
    bomb = bombs.text(600 << 20) if part in ("core", "strings") else bombs.sheet(600 << 20)
    b = book(BUDGET_2024_FIXED)
    target = {"sheet": sheet_of(b, "附表4"), "core": "docProps/core.xml", "strings": "xl/sharedStrings.xml"}[part]
    entries = [Entry(e.name, raw=bomb.raw, crc=bomb.crc, size=1024 if lie else bomb.size) if e.name == target else e
               for e in b.entries]
    if target not in {e.name for e in entries}:
        entries.append(Entry(target, raw=bomb.raw, crc=bomb.crc, size=bomb.size))
    path = tmp_path / "表.xlsx"
    path.write_bytes(write_zip(entries))
    res = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "budget_xl", "check", str(path)],
                         capture_output=True, text=True) if shutil.which("time") or os.path.exists("/usr/bin/time") else None
    if res is None:
        pytest.skip("no /usr/bin/time")
    kb = int(res.stderr.strip().splitlines()[-1])
    assert res.returncode == 2 and kb < 400_000, (res.returncode, kb, res.stderr)


def test_a_dtd_is_refused(cli, tmp_path):
    b = book()
    b.put("xl/workbook.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + b.get("xl/workbook.xml"))
    assert "DTD" in one_sentence(cli("check", save(b, tmp_path / "表.xlsx")))


def test_a_merged_range_over_the_whole_sheet(cli, tmp_path):
    b = book(BUDGET_2024)
    member = sheet_of(b, "附表1")
    b.put(member, re.sub(rb"(<mergeCells[^>]*>)", rb'\1<mergeCell ref="A1:XFD1048576"/>', b.get(member), count=1))
    path = save(b, tmp_path / "表.xlsx")
    assert cli("check", path).returncode in (0, 1)
    assert "合并区域" in one_sentence(cli("check", path, "--annotate", tmp_path / "标注.xlsx"))


def test_xls_with_a_record_far_away_is_refused(process_cli, tmp_path):
    data = bytearray((Path(__file__).parent / "fixtures" / "决算02.xls").read_bytes())
    at = data.index(b"\x7e\x02\x0a\x00") + 4       # an RK record: row and column follow
    data[at:at + 4] = b"\xff\xff\xff\x3f"
    path = tmp_path / "表.xls"
    path.write_bytes(bytes(data))
    one_sentence(process_cli("check", path))


# --------------------------------------------------------------------------- 12–14 files and options
def test_file_system_oddities_are_one_sentence(cli, tmp_path):
    """Classes 12–13: a symlink loop, a dangling symlink, a FIFO (would block in open()), a device."""
    loop = tmp_path / "环.xlsx"
    os.symlink(tmp_path / "乙.xlsx", loop)
    os.symlink(loop, tmp_path / "乙.xlsx")
    dangling = tmp_path / "悬空.xlsx"
    os.symlink(tmp_path / "无.xlsx", dangling)
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    device = tmp_path / "设备.xlsx"
    os.symlink("/dev/zero", device)
    assert "循环" in one_sentence(cli("diff", loop, BUDGET_2024_FIXED))
    assert "循环" in one_sentence(cli("check", loop))
    assert "不存在" in one_sentence(cli("show", dangling))
    assert "不是普通文件" in one_sentence(cli("fill", fifo, "-o", tmp_path / "发布"))
    assert "不是普通文件" in one_sentence(cli("check", device))
    assert "不是普通文件" in one_sentence(cli("check", BUDGET_2024_FIXED, "--narrative", fifo))


def _without_read_permission(*args, cwd=None):
    """As root every file is readable: the capabilities that make it so are dropped for the run."""
    cmd = [sys.executable, "-m", "budget_xl", *map(str, args)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root without setpriv")
        cmd = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)


def test_unreadable_files_and_folders(tmp_path):
    locked = tmp_path / "锁"
    locked.mkdir()
    inside = locked / "表.xlsx"
    shutil.copy(BUDGET_2024_FIXED, inside)
    unreadable = tmp_path / "不可读.xlsx"
    shutil.copy(BUDGET_2024_FIXED, unreadable)
    unreadable.chmod(0)
    locked.chmod(0)
    try:
        assert "没有权限" in one_sentence(_without_read_permission("check", inside))
        assert "没有权限" in one_sentence(_without_read_permission("check", unreadable))
        assert "没有权限" in one_sentence(_without_read_permission("diff", BUDGET_2023, unreadable))
    finally:
        locked.chmod(0o755)


def test_folder_only_options_are_refused_not_ignored(cli, tmp_path):
    """Class 14: a folder (even one named like a workbook) with options meant for one workbook."""
    folder = tmp_path / "目录.xlsx"
    folder.mkdir()
    shutil.copy(BUDGET_2024_FIXED, folder / "a.xlsx")
    line = one_sentence(cli("check", folder, "--format", "json", "--annotate", tmp_path / "x.xlsx"))
    assert "--annotate" in line and "文件夹" in line
    assert "--prior" in one_sentence(cli("check", folder, "--prior", BUDGET_2023))
    assert cli("check", folder, "--format", "json").returncode == 0


def test_paths_starting_with_a_dash(tmp_path):
    shutil.copy(BUDGET_2024_FIXED, tmp_path / "-表.xlsx")
    refused = subprocess.run([sys.executable, "-m", "budget_xl", "check", "-表.xlsx"], capture_output=True, text=True,
                             cwd=tmp_path)
    assert "--" in one_sentence(refused) and "./-表.xlsx" in refused.stderr
    ok = subprocess.run([sys.executable, "-m", "budget_xl", "check", "--", "-表.xlsx"], capture_output=True, text=True,
                        cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


# --------------------------------------------------------------------------- outputs
def test_fill_writes_all_or_nothing(tmp_path, monkeypatch):
    """The .docx failing after the .xlsx was written leaves nothing: the set is staged, then moved."""
    import budget_xl.pipeline as pipeline

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_narrative", fail)
    out = tmp_path / "发布"
    with pytest.raises(OSError):
        pipeline.fill(BUDGET_2024_FIXED, out)
    assert list(out.iterdir()) == []


RUN_WITH = """
import os, signal, sys
import budget_xl.pipeline as pipeline
{patch}
from budget_xl.cli import main
sys.argv = ["budget-xl", *sys.argv[1:]]
main()
"""


def test_fill_terminated_leaves_nothing_visible(tmp_path):
    """SIGTERM while the set is being written: every temporary file and folder is removed."""
    patch = ("real = pipeline.write_narrative\n"
             "def slow(*a, **k):\n"
             "    os.kill(os.getpid(), signal.SIGTERM)\n"
             "    return real(*a, **k)\n"
             "pipeline.write_narrative = slow")
    out = tmp_path / "发布"
    res = subprocess.run([sys.executable, "-c", RUN_WITH.format(patch=patch), "fill", str(BUDGET_2024_FIXED), "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 128 + signal.SIGTERM, res.stderr
    assert list(out.iterdir()) == []
    assert "Traceback" not in res.stderr


def test_a_folder_with_a_crashing_file_completes(tmp_path):
    """A worker aborting on one file (as python-calamine did on far cells) is that file's line;
    every other file gets its line and the summary is written."""
    folder = tmp_path / "报表"
    folder.mkdir()
    for i, p in enumerate((BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024_FIXED, BUDGET_2023)):
        shutil.copy(p, folder / f"{i}_{p.name}")
    shutil.copy(BUDGET_2024_FIXED, folder / "崩溃.xlsx")
    patch = ("import budget_xl.batch as batch\n"
             "real = batch.check_one\n"
             "def crash(path, template=None):\n"
             "    if '崩溃' in path:\n"
             "        os.abort()\n"
             "    return real(path, template)\n"
             "batch.check_one = crash")
    summary = tmp_path / "汇总.xlsx"
    for jobs in ("1", "2"):
        res = subprocess.run([sys.executable, "-c", RUN_WITH.format(patch=patch), "check", str(folder), "--jobs", jobs,
                              "--summary", str(summary), "--force"], capture_output=True, text=True)
        assert res.returncode == 1, res.stderr
        lines = res.stdout.splitlines()
        assert any("崩溃.xlsx" in line and "无法读取" in line and "异常退出" in line for line in lines), res.stdout
        assert sum("处错误" in line for line in lines) == 5                      # four files and the totals
        assert "共 5 个工作簿：" in res.stdout and "1 个无法读取" in res.stdout
        assert "BrokenProcessPool" not in res.stderr + res.stdout
        assert summary.exists()


def test_every_xlsx_written_holds_no_formula_from_workbook_text(cli, tmp_path):
    path = renamed(tmp_path, '=HYPERLINK("http://example.invalid","点我")')
    out = tmp_path / "发布"
    assert cli("fill", path, "-o", out, "--force").returncode == 0
    assert cli("diff", BUDGET_2023, path, "-o", tmp_path / "对比.xlsx").returncode == 0
    assert cli("check", path, "--annotate", tmp_path / "标注.xlsx").returncode in (0, 1)
    for written in [*out.glob("*.xlsx"), tmp_path / "对比.xlsx", tmp_path / "标注.xlsx"]:
        assert formula_cells(written) == set(), written
        with zipfile.ZipFile(written) as zf:
            assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.endswith(".xml"))


# --------------------------------------------------------------------------- the newer kinds (政府预算, 明细, 绩效)
GOV_2024 = Path(__file__).resolve().parents[1] / "sample_workbooks" / "西岗区" / "2024_政府预算.xlsx"


@pytest.mark.parametrize("cell_xml, shown", [
    (lambda b, c: number_cell(c, b"1e308"), "1e+308"),                 # a number no percentage is
    (lambda b, c: number_cell(c, b"NaN"), "nan"),
    (lambda b, c: number_cell(c, b"123456789012345678901234567890"), "1.23457e+29"),
    (lambda b, c: text_cell(b, c, b"9" * 400 + b"%"), "999999999999"),  # text beyond any rounding context
    (lambda b, c: text_cell(b, c, b"0.1234567890123456789012345678901%"), "0.1234567890"),
])
def test_a_percentage_out_of_range_is_a_finding_at_its_cell(cli, tmp_path, cell_xml, shown):
    """A 增减率 cell of the 政府预算 holding an infinite, NaN or absurd percentage: “百分比超出范围” at
    its cell, never an exception (it was AmountOutOfRange / InvalidOperation, exit 3)."""
    path = with_cell(tmp_path, "24“三公”经费预算", "E6", cell_xml, base=GOV_2024)
    res = cli("check", path)
    assert res.returncode == 1, res.stderr
    assert "百分比超出范围（" + shown in res.stdout and "24“三公”经费预算!E6" in res.stdout
    for args in (["show", path], ["fill", path, "-o", tmp_path / "发布", "--force"], ["narrate", path, "-o", tmp_path / "说明.docx"]):
        res = cli(*args)
        assert res.returncode in (0, 1) and "内部错误" not in res.stderr, (args, res.stderr)


PERF_SELF = Path(__file__).resolve().parents[1] / "sample_workbooks" / "政府办" / "2024_绩效自评表.xlsx"


@pytest.mark.parametrize("text", ["9" * 300, "1" + "0" * 40 + "%", "0.000000000000000000000000000001"])
def test_a_performance_value_out_of_range_is_not_read(cli, tmp_path, text):
    """A 绩效自评表 实际完成值 (or 年度指标值) of 300 digits: read through the one amount parse path
    (bounded), so the deviation against the target is never computed beyond Decimal's reach (it was
    decimal.InvalidOperation, exit 3)."""
    for ref in ("G11", "E11"):
        path = with_cell(tmp_path, "项目支出绩效自评表", ref, lambda b, c: text_cell(b, c, text.encode()), base=PERF_SELF)
        for args in (["check", path], ["fill", path, "-o", tmp_path / "发布", "--force"], ["show", path]):
            res = cli(*args)
            assert res.returncode in (0, 1) and "内部错误" not in res.stderr, (ref, args, res.stderr)


ITEMS = Path(__file__).resolve().parents[1] / "sample_workbooks" / "住建局" / "2024_部门预算_明细.xlsx"


def test_a_line_item_sheet_without_a_column_the_tables_need(cli, tmp_path):
    """The 明细 header “部门经济分类科目” renamed: the missing column is noted, the tables derive
    without it (it was KeyError 'econ', exit 3)."""
    path = with_cell(tmp_path, "明细", "C3", lambda b, c: text_cell(b, c, xml_text("未知列")), base=ITEMS)
    res = cli("check", path)
    assert res.returncode == 1 and "明细表没有“部门经济分类科目”一列" in res.stdout, res.stderr
    assert cli("narrate", path, "-o", tmp_path / "说明.docx").returncode in (0, 1)
