"""`check` finds every real inconsistency of the published seed workbooks, nothing that holds, tells
rounding from errors, and points at the changed cell of a mutated clean workbook."""
import json
import random
from decimal import Decimal

import openpyxl
import pytest
from factory import new_workbook, write_table
from test_reader_layouts import FINAL, LINES, rows_full_code
from test_samples import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED

import budget_xl
from budget_xl.rules import check

D = Decimal


def findings(path, level=None):
    report = check(budget_xl.read(path))
    return [f for f in report.findings if level is None or f.level == level]


def test_published_budget_real_errors_are_each_reported_once_at_their_cell():
    errors = findings(BUDGET_2024, "error")
    got = {(str(f.cells[0]), f.expected, f.actual) for f in errors if f.expected is not None and f.rule[:2] != "YS"}
    assert got == {
        ("附表1!F16", D("659060.64"), D("659060.61")),      # 卫生健康支出 合计
        ("附表1!G16", D("659060.64"), D("659060.61")),      # 卫生健康支出 一般公共预算
        ("附表1!G34", D("25436453.98"), D("25136453.98")),  # 本年支出合计 一般公共预算
        ("附表1!G36", D("25436453.98"), D("25136453.98")),  # 支出总计 一般公共预算
        ("附表6!F18", D("48490503.55"), D("18190503.55")),  # 城乡社区支出 合计
    }
    # 附表12's 财政专户 amounts printed under 国有资本经营预算: every identity reading that column fails
    # (附表11 has no 国有资本经营 project, 附表2 has 财政专户, 附表6's 部门预算 is the appropriation part).
    # One finding names the column and its header cell, with the three identities it explains; no
    # correct cell of another table is named.
    column = [f for f in errors if f.rule_id == "misplaced-column"]
    assert len(column) == 1 and set(column[0].also) == {"YS12-04", "YS12-05", "YS06-13"}
    assert [str(c) for c in column[0].cells[:2]] == ["附表12!H5", "附表12!H6"]
    assert "应属于“财政专户管理资金”" in column[0].message
    assert not any(str(c) in ("附表6!D11", "附表11!D5", "附表2!G6") for f in errors for c in f.cells[:1])
    assert len(errors) == 6
    # the 附表1 卫生健康 error is one finding per cell, folding the cross-table identity in
    f16 = next(f for f in errors if str(f.cells[0]) == "附表1!F16")
    assert "YS03-01" in f16.also or f16.rule == "YS03-01" or "YS03-01" in f16.message


def test_missing_table_is_one_warning_naming_the_identities_it_blocks():
    warnings = [f for f in findings(BUDGET_2024, "warning") if f.rule != "读取"]
    assert len(warnings) == 1
    assert warnings[0].rule == "缺表" and "附表3" in warnings[0].message and "YS03-02" in warnings[0].message


# The three names of seed 000's 附表12 copied with stray quotes (…运行费" and "…"), pointed out at their cells.
STRAY_QUOTES = ["附表12!C26", "附表12!C29", "附表12!C30"]


@pytest.mark.parametrize("path", [BUDGET_2024_FIXED, BUDGET_2023], ids=lambda p: p.stem)
def test_clean_workbooks_have_no_findings(path):
    left = findings(path)
    quotes = [f for f in left if "多余的引号" in f.message]
    assert [str(f.cells[0]) for f in quotes] == (STRAY_QUOTES if path == BUDGET_2024_FIXED else [])
    assert [f for f in left if f not in quotes] == []


@pytest.mark.parametrize("path", [FINAL_2024, FINAL_2024_FIXED], ids=lambda p: p.stem)
def test_final_accounts_have_only_rounding(path):
    report = check(budget_xl.read(path))
    assert report.errors == 0 and report.count("warning") == 0
    rounding = [f for f in report.findings if f.level == "rounding"]
    assert rounding and all(abs(f.difference) <= D("0.05") for f in rounding)
    # 合计 677.92 against 类 449.88 + 98.09 + 39.53 + 90.43 = 677.93
    t01 = next(f for f in rounding if f.tables == ("财决公开01",))
    assert (t01.actual, t01.expected) == (D("677.92"), D("677.93"))
    # 06: 301 工资福利支出 594.99 against its 款 594.98
    assert any(f.tables == ("财决公开06",) and f.actual == D("594.99") for f in rounding)


def test_a_cent_typed_wrong_is_an_error_though_within_the_envelope(tmp_path):
    """财决公开01表!C37 (收入总计) one cent up: within the 尾数 envelope of both identities through it,
    but it then differs from its twin 支出总计 (the same amount printed twice rounds the same way) and
    is off the same cent in its own sum, every other figure agreeing: a slip, named at C37. The real
    尾数 of the sample (合计 677.92 against 类 summing to 677.93) stays rounding."""
    wb = openpyxl.load_workbook(FINAL_2024_FIXED)
    wb["财决公开01表"]["C37"].value = round(float(wb["财决公开01表"]["C37"].value) + 0.01, 2)
    wb.save(tmp_path / "t.xlsx")
    report = check(budget_xl.read(tmp_path / "t.xlsx"))
    errors = [f for f in report.findings if f.level == "error"]
    assert len(errors) == 1 and str(errors[0].cells[0]) == "财决公开01表!C37" and errors[0].blamed
    assert errors[0].actual - errors[0].expected == D("0.01") and "印成两样" in errors[0].message
    t01 = next(f for f in report.findings if f.level == "rounding" and f.tables == ("财决公开01",))
    assert (t01.actual, t01.expected) == (D("677.92"), D("677.93"))


def test_a_table_from_last_years_file_is_one_finding_on_that_table(tmp_path):
    """附表7 of the 2024 workbook replaced by 2023's: it adds up within itself, but 99 of its 138
    identities with the other tables fail (other amounts, other units). One error names the table,
    none blames a correct cell of another table, and its missing rows are not reported one by one."""
    wb, last_year = openpyxl.load_workbook(BUDGET_2024_FIXED), openpyxl.load_workbook(BUDGET_2023)
    ws, src = wb["附表7"], last_year["附表7"]
    for row in ws.iter_rows():
        for c in row:
            if not isinstance(c, openpyxl.cell.cell.MergedCell):
                c.value = None
    for row in src.iter_rows():
        for c in row:
            if not isinstance(c, openpyxl.cell.cell.MergedCell):
                ws.cell(c.row, c.column).value = c.value
    wb.save(tmp_path / "t.xlsx")
    report = check(budget_xl.read(tmp_path / "t.xlsx"))
    # The sample's own stray quotes in 附表12 project names are warned about whatever 附表7 holds.
    bad = [f for f in report.findings if f.level in ("error", "warning") and "多余的引号" not in f.message]
    assert [(f.rule_id, f.tables, f.hypothesis) for f in bad] == [("foreign-table", ("附表7",), "foreign-table")]
    assert "取自另一年度或另一版本" in bad[0].message and str(bad[0].cells[0]).startswith("附表7!")


def test_rounding_beyond_the_envelope_is_an_error(tmp_path):
    rows = rows_full_code()
    rows[1][4] = "449.95"   # 201 本年收入合计: 434.21 + 15.67 = 449.88; 0.07 is beyond (2+1)×0.005
    wb = new_workbook()
    write_table(wb.create_sheet("收入"), FINAL.table("财决公开02"), rows, unit="金额单位：万元", lines=LINES)
    wb.save(tmp_path / "t.xlsx")
    errors = findings(tmp_path / "t.xlsx", "error")
    assert errors and str(errors[0].cells[0]) == "收入!E9" and errors[0].expected == D("449.88")


def test_text_in_number_cell_is_a_finding_on_that_cell(tmp_path):
    src = openpyxl.load_workbook(BUDGET_2024_FIXED)
    src["附表4"]["D10"] = "约52万"
    src.save(tmp_path / "t.xlsx")
    errors = findings(tmp_path / "t.xlsx", "error")
    assert any("约52万" in f.message and [str(c) for c in f.cells] == ["附表4!D10"] for f in errors)


def _amount_cells(path):
    d = budget_xl.read(path)
    cells = []
    for t in d.tables.values():
        for row in t.rows:
            for col, ref in row.cells.items():
                if col != "label" and row.amounts.get(col) is not None:
                    cells.append(ref)
    return cells


@pytest.mark.parametrize("path", [BUDGET_2024_FIXED, BUDGET_2023], ids=lambda p: p.stem)
def test_mutation_one_changed_amount_is_always_found_at_its_cell(tmp_path, path):
    rng = random.Random(20241122)
    cells = _amount_cells(path)
    for i, ref in enumerate(rng.sample(cells, 25)):
        wb = openpyxl.load_workbook(path)
        cell = wb[ref.sheet].cell(ref.row + 1, ref.col + 1)
        delta = rng.choice([1, -1]) * rng.choice([0.01, 7, 1234.5, 100000])
        cell.value = round(float(cell.value) + delta, 2)
        out = tmp_path / f"m{i}.xlsx"
        wb.save(out)
        report = check(budget_xl.read(out))
        hits = [f for f in report.findings if ref in f.cells and f.level in ("error", "warning")]
        assert hits, (str(ref), delta, [f.message for f in report.findings])
        # and it is named first when it alone can be blamed
        assert any(f.cells[0] == ref for f in report.findings), (str(ref), [f.message for f in report.findings])


def test_cli_check_exit_codes_and_json(cli, tmp_path):
    out = cli("check", BUDGET_2024)
    assert out.returncode == 1
    assert "附表1!F16" in out.stdout and "6 处错误" in out.stdout and "Traceback" not in out.stderr
    assert cli("check", BUDGET_2024_FIXED).returncode == 0
    assert cli("check", FINAL_2024).returncode == 0
    data = json.loads(cli("check", BUDGET_2024, "--format", "json").stdout)
    assert data["summary"] == {"errors": 6, "warnings": 4, "rounding": 0, "notes": 0}   # 缺表 and 3 stray quotes
    first = data["findings"][0]
    assert set(first) >= {"level", "rule", "message", "tables", "cells", "expected", "actual", "difference"}
    f16 = next(f for f in data["findings"] if f["cells"][0] == "附表1!F16")
    assert (f16["expected"], f16["actual"], f16["difference"]) == ("659060.64", "659060.61", "-0.03")
    missing = cli("check", tmp_path / "无.xlsx")
    assert missing.returncode == 2 and "找不到文件" in missing.stderr
