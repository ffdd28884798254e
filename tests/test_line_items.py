"""The clerk's real input: one 明细 sheet (a line per budget line) from which `fill` derives every
table of the set, by the `lines:` feeds of the template (templates/line_items.yaml, README “由明细生成表”).

The ground truth is the corrected 2024 budget of 住建局 (seed 000 + corrections): its 明细
(sample_workbooks/data/2024_住建局_部门预算_明细/明细.tsv) typed into a workbook from `init` must publish
the very tables the corrected table-by-table workbook publishes.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES

import budget_xl
from budget_xl.errors import TemplateError
from budget_xl.text import norm

CORRECTED = SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx"
LINES_SAMPLE = SAMPLES / "住建局" / "2024_部门预算_明细.xlsx"
LINES_TSV = SAMPLES / "data" / "2024_住建局_部门预算_明细" / "明细.tsv"
DEPT = "145-大连市西岗区住房和城乡建设局"
UNITS = ("145001-大连市西岗区住房和城乡建设局（本级）", "145002-大连市西岗区住房城市建设事务服务中心")


def sheets(path: Path) -> dict[str, list[list]]:
    """Every published sheet as rows of values, labels normalised (the corrected sample writes a unit
    “（本级）” in one table and “(本级)” in another)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [[norm(v) if isinstance(v, str) else v for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> dict[str, list[list]]:
    result = budget_xl.fill(CORRECTED, tmp_path_factory.mktemp("corrected"))
    return sheets(result.workbook)


def type_lines(workbook: Path, rows: list[list[str]], head: list[str]) -> None:
    """What a clerk does with the workbook `init` wrote: the lines typed (or pasted) into 明细."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb["明细"]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value in ("单位", "单位*"))
    columns = {str(c.value).rstrip("*"): c.column for c in ws[header_row] if c.value}
    for i, line in enumerate(rows, start=header_row + 1):
        for name, text in zip(head, line):
            if text:
                ws.cell(row=i, column=columns[name], value=float(text.replace(",", "")) if name == "金额" else text)
    wb.save(workbook)


def tsv_lines() -> tuple[list[str], list[list[str]]]:
    head, *rows = [line.rstrip("\n").split("\t") for line in LINES_TSV.read_text(encoding="utf-8").splitlines()]
    return head, rows


def test_init_then_only_the_lines_publishes_every_table_of_the_corrected_sample(tmp_path, corrected):
    blank = budget_xl.init("部门预算", 2024, DEPT, UNITS, tmp_path / "填报.xlsx")
    assert "明细" in openpyxl.load_workbook(blank, read_only=True).sheetnames
    type_lines(blank, *reversed(tsv_lines()))
    result = budget_xl.fill(blank, tmp_path / "发布")
    assert result.report.errors == 0
    published = sheets(result.workbook)
    assert list(published) == list(corrected)            # all 14 tables, in order
    for code, rows in corrected.items():
        assert published[code] == rows, code
    # The input never wrote a fixed row: the official labels, numbered, come from the template.
    labels = [row[0] for row in published["附表1"]] + [row[2] for row in published["附表6"]]
    assert {"一、一般公共预算拨款收入", "九、其他收入", "一、基本支出", "二、项目支出"} <= set(labels)
    assert "二十四、其他支出" in [row[4] for row in published["附表1"]]
    # …and the stray quotes of three project names (copied from the source) are pointed out.
    quotes = [f for f in result.report.findings if "多余的引号" in f.message]
    assert [f.cells[0].a1 for f in quotes] == ["F65", "F68", "F69"]


def test_the_shipped_line_sample_publishes_the_corrected_tables(tmp_path, corrected):
    result = budget_xl.fill(LINES_SAMPLE, tmp_path)
    d = result.disclosure
    assert (d.template.id, d.year, d.department, len(d.lines), d.line_sheet) == ("部门预算-辽宁", 2024, DEPT, 67, "明细")
    assert sheets(result.workbook) == corrected


def test_the_same_lines_fill_the_national_set(tmp_path):
    """One 明细, any layout: the national nine tables from the same lines (no code per table)."""
    result = budget_xl.fill(LINES_SAMPLE, tmp_path, template="部门预算-全国")
    assert result.report.errors == 0
    t = result.disclosure.tables
    assert t["预算03"]["合计"].amounts["total"] == Decimal("72511453.98")
    assert t["预算05"]["合计"].amounts["basic"] == Decimal("10555653.98")
    assert t["预算08"]["合计"].amounts["public"] == Decimal("591506.07")
    assert t["预算09"]["合计"].amounts["office_running"] == Decimal("59.15")     # 万元, 一般公共预算 公用经费
    assert t["预算01"]["in_gpb"].amounts["in_amount"] == Decimal("25436453.98")


def write_lines_workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算明细导出"      # any name: the sheet is known by its header
    ws.append(["2024年部门预算明细"])
    ws.append(["预算部门：145-大连市西岗区住房和城乡建设局"])
    ws.append(["预算单位", "支出功能分类科目", "部门预算经济分类科目", "资金来源", "支出类型", "项目名称", "金额"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_line_that_cannot_be_placed_is_named_at_its_cell(tmp_path):
    path = write_lines_workbook(tmp_path / "导出.xlsx", [
        ["145001-本级", "2010101-行政运行", "30101-基本工资", "一般公共预算拨款", "人员经费", "", 1000],
        ["145001-本级", "2010101", "30201", "自筹", "公用经费", "", 50],                 # not a 资金性质
        ["145001-本级", "9990101", "30201", "一般公共预算", "公用经费", "", 50],         # not a 功能分类 code
        ["145001-本级", "2010101", "30201", "一般公共预算", "公用经费", "", "五十元"],   # not an amount
        ["145001-本级", "2010102", "30299", "一般公共预算", "项目支出", "", 70],         # project without a name
        ["145001-本级", "2010102", "30299", "事业收入", "项目支出", "培训", 30],         # 附表2 has no 事业收入 column
        ["合计", "", "", "", "", "", 1200],
    ])
    d = budget_xl.read(path)
    assert (d.template.id, d.year, len(d.lines)) == ("部门预算-辽宁", 2024, 3)
    notes = {(n.cell.a1 if n.cell else n.table): n.message for n in d.notes}
    assert "不是“资金性质”的选项" in notes["D5"]
    assert "不是支出功能分类科目编码" in notes["B6"]
    assert "不是数字" in notes["G7"]
    assert "没有填项目名称" in notes["附表12"]
    assert "事业收入" in notes["附表2"] and "没有对应的列" in notes["附表2"]
    report = budget_xl.check(path)
    assert report.errors >= 4


def test_a_feed_that_does_not_fit_its_table_is_refused(tmp_path):
    from budget_xl.templates import load_template

    base = (SAMPLES.parent / "templates" / "部门预算-辽宁.yaml").read_text(encoding="utf-8")
    bad = base.replace("lines: [{rows: econ, columns: fund}]", "lines: [{rows: function, columns: fund}]", 1)
    assert bad != base
    (tmp_path / "坏.yaml").write_text(bad.replace("id: 部门预算-辽宁", "id: 坏"), encoding="utf-8")
    with pytest.raises(TemplateError, match="附表5.*rows: function 与本表的行结构"):
        load_template(tmp_path / "坏.yaml")
