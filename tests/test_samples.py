"""Every shipped sample workbook reads to the published numbers, with the unit, department and year,
and every source cell points at the cell that holds the value."""
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED, SAMPLES  # noqa: F401

import budget_xl
from budget_xl.money import yuan_to_wan

ALL = [BUDGET_2024, BUDGET_2024_FIXED, BUDGET_2023, FINAL_2024, FINAL_2024_FIXED]
D = Decimal


@pytest.fixture(scope="module")
def read():
    cache = {}

    def get(path: Path):
        if path not in cache:
            cache[path] = budget_xl.read(path)
        return cache[path]
    return get


@pytest.mark.parametrize("path, kind, unit, year, dept", [
    (BUDGET_2024, "部门预算", "元", 2024, "145-大连市西岗区住房和城乡建设局"),
    (BUDGET_2024_FIXED, "部门预算", "元", 2024, "145-大连市西岗区住房和城乡建设局"),
    (BUDGET_2023, "部门预算", "元", 2023, "145-大连市西岗区住房和城乡建设局"),
    (FINAL_2024, "部门决算", "万元", 2024, "大连市西岗区人民政府办公室"),
    (FINAL_2024_FIXED, "部门决算", "万元", 2024, "大连市西岗区人民政府办公室"),
])
def test_sample_meta(read, path, kind, unit, year, dept):
    d = read(path)
    assert (d.kind, d.unit, d.year, d.department) == (kind, unit, year, dept)
    # Nothing but the stray quotes seed 000 prints in three 附表12 project names.
    assert not [n for n in d.notes if n.level in ("error", "warning") and "多余的引号" not in n.message], d.notes


def test_published_budget_has_every_table_but_the_missing_3(read):
    d = read(BUDGET_2024)
    assert d.missing == ["附表3"]
    assert d.skipped_sheets == ["封面", "目录"]
    assert all(not read(p).missing for p in (BUDGET_2024_FIXED, BUDGET_2023, FINAL_2024, FINAL_2024_FIXED))


def test_published_budget_amounts_including_its_mistakes(read):
    t = read(BUDGET_2024).tables
    # 附表1: the published 卫生健康支出 and 一般公共预算 本年支出合计 are wrong, as printed.
    assert t["附表1"]["210"].amounts["total"] == D("659060.61")
    assert t["附表1"]["fn_total"].amounts["gpb"] == D("25136453.98")
    assert t["附表1"]["in_gpb"].amounts["in_amount"] == D("25436453.98")
    assert t["附表1"]["cat_personnel"].amounts["cat_amount"] == D("9964147.91")
    assert t["附表1"]["in_grand"].amounts["in_amount"] == D("72511453.98")
    assert t["附表6"]["212"].amounts["total"] == D("18190503.55")
    assert t["附表6"]["212"].amounts["gf"] == D("26600000.00")
    # 附表4: units, hierarchy and the continuation of 145002 (page 2 of the PDF)
    t4 = t["附表4"]
    assert t4["145002/2080502"].amounts["gpb"] == D("142308.24")
    assert t4["145001/2120803"].amounts["gf"] == D("26600000.00")
    assert t4["145001/2299999"].amounts["special"] == D("20475000.00")
    assert t4["145001/2299999"].amounts["soc"] is None
    assert [r.kind for r in t4.rows[:3]] == ["total", "dept", "unit"]
    # 附表5 economic classification, 附表7 with its "行 计" total row, 附表8 "145002 大连…" unit row
    assert t["附表5"]["145002/30305"].amounts["total"] == D("800000.00")
    assert t["附表7"]["合计"].label == "行 计" and t["附表7"]["合计"].amounts["project"] == D("14880800.00")
    assert t["附表8"]["145002"].amounts["public"] == D("114650.98")
    assert t["附表8"]["145002/30239"].amounts["public"] == D("24000.00")
    # 附表12 projects; the 财政专户 amounts sit in the column headed 国有资本经营预算
    t12 = t["附表12"]
    assert len([r for r in t12 if r.kind == "item"]) == 25
    assert t12["合计"].amounts["soc"] == D("20475000.00")
    assert t12["145001/既有住宅加装电梯居民补助资金"].amounts["gpb"] == D("5580000.00")
    assert t12["145001/既有住宅加装电梯居民补助资金"].attrs["category"] == "31-部门项目"
    assert t["附表13"]["145001"].amounts["works"] == D("8240000.00")
    assert t["附表9"]["合计"].amounts["total"] is None


def test_corrected_budget(read):
    t = read(BUDGET_2024_FIXED).tables
    assert t["附表1"]["210"].amounts["total"] == D("659060.64")
    assert t["附表6"]["212"].amounts["total"] == D("48490503.55")
    assert t["附表12"]["合计"].amounts["special"] == D("20475000.00")
    assert t["附表12"]["合计"].amounts["soc"] is None
    assert t["附表3"]["合计"].amounts["basic"] == D("10555653.98")
    assert t["附表11"].empty_note and t["附表14"].empty_note


def test_final_accounts_amounts(read):
    t = read(FINAL_2024).tables
    t01 = t["财决公开01"]
    assert t01["in_gpb"].amounts["in_amount"] == D("677.92")
    assert t01["221"].amounts["ex_amount"] == D("90.43")   # the narrative says 90.63
    assert t01["ex_grand"].amounts["ex_amount"] == D("677.92")
    assert t01["in_nonfiscal_surplus"].amounts["in_amount"] == D("0.00")
    t04 = t["财决公开04"]
    assert t04["carry_gpb"].amounts["in_amount"] == D("0.00")   # the second "一般公共预算财政拨款"
    assert t04["in_gpb"].amounts["in_amount"] == D("677.92")
    assert t04["201"].amounts["gpb"] == D("449.88")
    t05 = t["财决公开05"]
    assert t05["2010301"].amounts["out_basic"] == D("434.21")
    assert t05["20805"].amounts["in_total"] == D("98.09")
    assert t05["合计"].amounts["close_project_surplus"] == D("0.00")
    t06 = t["财决公开06"]
    assert t06["301"].amounts["amount"] == D("594.99")
    assert t06["30239"].amounts["amount"] == D("31.95")       # second panel
    assert t06["39999"].amounts["amount"] == D("0.00")        # third panel
    assert t06["personnel_total"].amounts["amount"] == D("614.91")
    assert t06["public_total"].amounts["amount"] == D("47.35")
    t09 = t["财决公开09"]
    assert (t09["合计"].amounts["b_total"], t09["合计"].amounts["f_car_running"]) == (D("13.40"), D("3.74"))
    assert t["财决公开07"].empty_note and t["财决公开08"].empty_note
    assert t["财决公开07"]["合计"].amounts["out_total"] == D("0.00")


def test_prior_year_agrees_with_the_2024_narrative(read):
    """2023 figures implied by seed 000's narrative (比2023年…), after 元→万元 half-up rounding."""
    t = read(BUDGET_2023).tables
    wan = lambda v: yuan_to_wan(v)
    assert wan(t["附表1"]["in_total"].amounts["in_amount"]) == D("11863.39")
    assert wan(t["附表7"]["合计"].amounts["total"]) == D("9219.89")
    assert wan(t["附表1"]["221"].amounts["gpb"]) == D("7415.60")
    assert wan(t["附表1"]["212"].amounts["gpb"]) == D("1703.22")
    assert wan(t["附表1"]["208"].amounts["gpb"]) == D("65.20")
    assert wan(t["附表1"]["210"].amounts["gpb"]) == D("35.86")
    assert wan(t["附表10"]["合计"].amounts["total"]) == D("2643.50")
    assert wan(t["附表9"]["合计"].amounts["car_running"]) == D("6.60")
    assert wan(t["附表8"]["合计"].amounts["public"]) == D("51.98")
    assert [r.key for r in t["附表4"] if r.kind == "unit"] == ["145001"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_source_cell_holds_the_value_read(read, path):
    d = read(path)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    checked = 0
    for table in d.tables.values():
        for row in table:
            for column, ref in row.cells.items():
                value = wb[ref.sheet].cell(ref.row + 1, ref.col + 1).value
                if column == "label":
                    continue
                amount = row.amounts[column]
                assert (value is None and amount is None) or D(str(value)) == amount, (str(ref), value, amount)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_cli_show_lists_all_tables(cli, path):
    out = cli("show", path)
    assert out.returncode == 0, out.stderr
    d = budget_xl.read(path)
    for code in d.tables:
        assert code in out.stdout
    if path == BUDGET_2024:
        assert "缺少 1 张表：附表3 支出预算总表" in out.stdout
    else:
        assert "表套完整" in out.stdout


def test_cli_show_json_and_csv(cli):
    out = cli("show", FINAL_2024, "--table", "公开05表", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["template"] == "部门决算-全国" and data["year"] == 2024 and data["missing"] == []
    (t05,) = data["tables"]
    assert t05["code"] == "财决公开05"
    row = next(r for r in t05["rows"] if r["key"] == "2010301")
    assert row["amounts"]["out_basic"] == "434.21" and row["level"] == "项"
    assert row["cells"]["out_basic"].startswith("财决公开05表!")
    csv_out = cli("show", BUDGET_2024, "--table", "附表2", "--format", "csv")
    lines = csv_out.stdout.splitlines()
    assert lines[0] == "table,key,label,level,unit,column,amount,cell"
    assert "附表2,145002,145002-大连市西岗区住房城市建设事务服务中心,单位,145002,gpb,8610212.54,附表2!D9" in lines


def test_cli_show_unknown_table(cli):
    out = cli("show", FINAL_2024, "--table", "附表99")
    assert out.returncode == 2 and "没有 附表99" in out.stderr


def test_to_frame_is_exact(read):
    df = read(BUDGET_2024).tables["附表4"].to_frame()
    assert list(df.columns[:5]) == ["key", "label", "level", "unit", "code"]
    row = df.set_index("key").loc["145001/2080505"]
    assert row["gpb"] == D("525083.16") and row["level"] == "项" and row["unit"] == "145001"
    assert df["total"].iloc[0] == D("72511453.98")


def test_import_does_not_import_pandas():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import budget_xl, sys; print('pandas' in sys.modules)"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "False"
