"""Layouts in the wild: the template is chosen by evidence, the template is fitted to what the sheet
prints, every amount cell is read or reported, and what is missing is never taken for 0."""
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import BUDGET_2024_FIXED, FINAL_2024_FIXED

import budget_xl
from budget_xl import check, read
from budget_xl.templates import load_template

WILD = Path(__file__).resolve().parent / "fixtures" / "wild"


# --------------------------------------------------------------------------- evidence
def test_the_template_explaining_most_of_the_workbook_wins_and_show_says_why(cli, tmp_path):
    # A variant whose 附表4 expects a column this workbook does not print explains less of it.
    variant = tmp_path / "部门预算-少一列.yaml"
    variant.write_text("id: 部门预算-少一列\nextends: 部门预算-辽宁\ntables:\n  - code: 附表4\n"
                       "    add_columns: [{id: unit_funds, concept: unit_funds}]\n", encoding="utf-8")
    d = read(BUDGET_2024_FIXED)
    assert d.template.id == "部门预算-辽宁"
    best = d.evidence[0]
    assert (best.tables, best.tables_total) == (14, 14) and best.columns == best.columns_total
    forced = read(BUDGET_2024_FIXED, str(variant))
    assert forced.template.id == "部门预算-少一列" and forced.tables["附表4"].missing_columns == ["unit_funds"]
    assert forced.evidence[0].columns < forced.evidence[0].columns_total
    out = cli("show", BUDGET_2024_FIXED).stdout
    assert "依据：部门预算-辽宁：找到 14/14 张表，其中" in out
    data = json.loads(cli("show", FINAL_2024_FIXED, "--format", "json").stdout)
    assert data["template_evidence"][0]["template"] == "部门决算-全国"
    assert data["template_evidence"][0]["tables"] == 9


def test_a_workbook_no_template_knows_is_refused_naming_the_sets_tried(cli, tmp_path):
    p = tmp_path / "会议.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["会议纪要", "2024年"])
    wb.save(p)
    res = cli("check", p)
    assert res.returncode == 2 and "已按这些模板查找：" in res.stderr and "部门预算-辽宁" in res.stderr
    assert "budget-xl templates draft" in res.stderr


# --------------------------------------------------------------------------- coverage
@pytest.mark.parametrize("path", [BUDGET_2024_FIXED, FINAL_2024_FIXED], ids=["预算", "决算"])
def test_every_amount_cell_of_the_samples_is_read(path):
    c = read(path).coverage
    assert c.total > 400 and c.read == c.total and c.unread == []


def test_an_amount_no_table_takes_is_reported_with_its_cell(cli, tmp_path):
    p = tmp_path / "多一列.xlsx"
    shutil.copy(BUDGET_2024_FIXED, p)
    wb = openpyxl.load_workbook(p)
    ws = wb["附表13"]
    ws["H7"] = 1234.5              # a number right of the table, under no header at all
    ws["G4"] = "其他金额"           # and a column with a header the template does not know: read as extra
    ws["G7"] = 99.0
    wb.save(p)
    d = read(p)
    assert [str(c) for c in d.coverage.unread] == ["附表13!H7"]
    report = check(d)
    unread = [f for f in report.findings if f.rule_id == "unread"]
    assert len(unread) == 1 and unread[0].level == "warning" and "附表13" in unread[0].message
    data = json.loads(cli("check", p, "--format", "json").stdout)
    assert data["coverage"]["unread"] == ["附表13!H7"] and data["coverage"]["read"] == data["coverage"]["amount_cells"] - 1
    assert "读取 " in cli("show", p).stdout and "附表13!H7" in cli("show", p).stdout
    extra = d.tables["附表13"]
    assert "其他金额" in [extra.column_label(c) for c in extra.columns]


# --------------------------------------------------------------------------- fitting the template
def test_a_split_basic_column_is_read_and_checked(tmp_path):
    """附表3 printing 基本支出 as 小计 / 人员经费 / 公用经费: the sub-columns are read, 小计 is their sum."""
    clean = WILD / "liaoning_split3" / "clean.xlsx"
    d = read(clean)
    t3 = d.tables["附表3"]
    assert {"personnel", "public"} <= set(t3.columns)
    assert next(c for c in t3.spec.columns if c.id == "basic").sum_of == ("personnel", "public")
    assert d.coverage.unread == [] and check(d).errors == 0
    # A wrong 人员经费 is found at its cell.
    p = tmp_path / "m.xlsx"
    shutil.copy(clean, p)
    wb = openpyxl.load_workbook(p)
    ws = wb["附表3"]
    cell = next(c for row in ws.iter_rows(min_row=6) for c in row if c.column == 4 and isinstance(c.value, (int, float)))
    cell.value += 1000
    wb.save(p)
    errors = [f for f in check(p).findings if f.level == "error"]
    assert errors and str(errors[0].cells[0]) == f"附表3!{cell.coordinate}"


def test_codes_in_one_column_or_split_and_totals_in_the_code_column():
    sh = read(WILD / "shanghai_final" / "clean.xlsx", "部门决算-全国")
    assert sh.tables["财决公开03"]["2070301"].name == "行政运行"       # one 功能分类科目编码 column
    gk = read(WILD / "gongkai10_final" / "clean.xlsx", "部门决算-全国")
    assert gk.tables["财决公开02"]["合计"].amounts["total"] == Decimal("6485.08")  # 合计 in 科目代码
    assert len(gk.tables["财决公开06"].spec.panels) == 4                   # four panels printed
    assert gk.coverage.unread == []


# --------------------------------------------------------------------------- missing is not zero
def test_a_missing_total_row_blocks_its_identities_instead_of_reading_0():
    d = read(WILD / "gongkai10_final" / "damaged.xlsx", "部门决算-全国")
    report = check(d)
    blocked = [f for f in report.findings if f.rule_id == "cannot-check" and "财决公开02 没有“合计”行" in f.message]
    assert blocked and "JS01-02" in blocked[0].message
    assert not any(f.level == "error" and "JS01-02" in (f.rule, *f.also) for f in report.findings)


def test_a_row_missing_from_a_detail_table_is_reported_as_missing_not_blamed(tmp_path):
    p = tmp_path / "缺行.xlsx"
    shutil.copy(BUDGET_2024_FIXED, p)
    wb = openpyxl.load_workbook(p)
    ws = wb["附表7"]
    assert str(ws["A15"].value).startswith("2101101")
    ws.delete_rows(15)
    wb.save(p)
    report = check(p)
    missing = [f for f in report.findings if f.rule_id == "missing-row"]
    assert len(missing) == 1 and "附表7 没有“145001/2101101”行" in missing[0].message
    assert "YS07-01" in (missing[0].rule, *missing[0].also) or "YS07-01" in missing[0].message
    # No cell of 附表4 (which is right) is blamed.
    assert not any(f.level == "error" and f.cells and f.cells[0].sheet == "附表4" for f in report.findings)


def test_a_missing_column_is_reported_once_with_the_identities_it_blocks(tmp_path):
    p = tmp_path / "缺列.xlsx"
    shutil.copy(BUDGET_2024_FIXED, p)
    wb = openpyxl.load_workbook(p)
    ws = wb["附表7"]
    ws.delete_cols(6)        # 项目支出
    wb.save(p)
    report = check(p)
    blocked = [f for f in report.findings if f.rule_id == "cannot-check"]
    assert len(blocked) == 1 and "附表7 没有“项目支出”列" in blocked[0].message and "YS12-02" in blocked[0].message
    assert not any("0.00" in f.message and "YS12-02" in f.rule for f in report.findings)


def test_api_exposes_evidence_and_coverage():
    d = budget_xl.read(FINAL_2024_FIXED)
    assert d.coverage.describe().startswith("读取 ") and d.evidence[0].template is d.template
    assert load_template  # the loader is public for --template files
