"""Budget against final accounts: a 2024 部门预算 of 大连市西岗区人民政府办公室 (built here, in 元)
against the sample 2024 部门决算 of the same office (seed 002, 万元)."""
import json
import shutil
from decimal import Decimal

import openpyxl
import pytest
from factory import disclosure
from test_samples import BUDGET_2024_FIXED, FINAL_2024_FIXED

OFFICE = "301-大连市西岗区人民政府办公室"
UNIT = "301001-大连市西岗区人民政府办公室（本级）"

# 一般公共预算 by 项 (元): what was budgeted for each line the 决算 reports, and one line it does not
# (2010350), while 2080506 has a 决算 and no budget. Basic spending is all 人员经费 here.
ITEMS = [("2010301", "行政运行", "4400000.00", "basic"), ("2010302", "一般行政管理事务", "100000.00", "project"),
         ("2010350", "事业运行", "50000.00", "basic"), ("2080501", "行政单位离退休", "120000.00", "basic"),
         ("2080505", "机关事业单位基本养老保险缴费支出", "548600.00", "basic"),
         ("2101101", "行政单位医疗", "395300.00", "basic"), ("2210201", "住房公积金", "904300.00", "basic")]
NAMES = {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "208": "社会保障和就业支出",
         "20805": "行政事业单位养老支出", "210": "卫生健康支出", "21011": "行政事业单位医疗", "221": "住房保障支出",
         "22102": "住房改革支出"}
TOTAL = "6518200.00"


def budget_rows():
    """附表7: 合计, department, unit, 类, 款, 项 — every column summed from the 项."""
    def amounts(prefix=""):
        out = {}
        for code, _, amount, kind in ITEMS:
            if code.startswith(prefix):
                for col in ("total", kind) + (("personnel",) if kind == "basic" else ()):
                    out[col] = out.get(col, Decimal(0)) + Decimal(amount)
        return {col: str(v) for col, v in out.items()}

    rows = [{"label": label, **amounts()} for label in ("合计", OFFICE, UNIT)]
    for code, name, _, _ in ITEMS:
        for parent in (code[:3], code[:5]):
            if not any(r["label"].startswith(parent + "-") for r in rows):
                rows.append({"label": f"{parent}-{NAMES[parent]}", **amounts(parent)})
        rows.append({"label": f"{code}-{name}", **amounts(code)})
    return rows


def table6():
    """附表6, its three panels side by side, by printed line."""
    lines = [("一般公共预算拨款收入", TOTAL, "基本支出", "6418200.00", "一般公共服务支出", "4550000.00"),
             ("本年收入合计", TOTAL, "人员经费", "6418200.00", "社会保障和就业支出", "668600.00"),
             ("收入总计", TOTAL, "项目支出", "100000.00", "卫生健康支出", "395300.00"),
             ("", "", "部门预算", "100000.00", "住房保障支出", "904300.00"),
             ("", "", "本年支出合计", TOTAL, "本年支出合计", TOTAL),
             ("", "", "支出总计", TOTAL, "支出总计", TOTAL)]
    return [{"in_item": a, "in_amount": b, "cat_item": c, "cat_amount": d, "fn_item": e, "total": f, "gpb": f}
            for a, b, c, d, e, f in lines]


@pytest.fixture(scope="module")
def budget(tmp_path_factory):
    sangong = [{"label": label, "total": "134000.00", "car": "134000.00", "car_running": "134000.00"}
               for label in ("合计", OFFICE, UNIT)]
    return disclosure(tmp_path_factory.mktemp("budget") / "2024预算.xlsx",
                      {"附表6": table6(), "附表7": budget_rows(), "附表9": sangong, "附表10": [{"label": "合计"}]},
                      dept=OFFICE)


@pytest.fixture(scope="module")
def versus(budget):
    from conftest import run_cli

    out = run_cli("diff", budget, FINAL_2024_FIXED, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def section(data, sid):
    return {ln["key"]: ln for ln in next(s for s in data["sections"] if s["id"] == sid)["lines"]}


def test_general_budget_completion_by_code(versus):
    assert versus["mode"] == "versus" and versus["unit"] == "万元"
    assert versus["before"]["kind"] == "部门预算" and versus["after"]["kind"] == "部门决算"
    got = section(versus, "gpb")
    s = next(s for s in versus["sections"] if s["id"] == "gpb")
    assert s["budget"] == "附表7 合计" and s["final"] == "财决公开05 本年支出/合计"
    total = got["合计"]
    assert (total["budget"], total["final"], total["difference"], total["completion"]) == (
        "651.82", "677.92", "26.10", "104.00")   # 677.92 as the 决算 prints it (its 类 sum to 677.93: 尾数)
    assert total["flag"] is None
    run = got["2010301"]
    assert (run["budget"], run["final"], run["completion"], run["difference"]) == ("440.00", "434.21", "98.68", "-5.79")
    assert run["label"] == "2010301-行政运行" and run["level"] == "项" and run["flag"] is None
    assert got["2010302"]["completion"] == "156.70" and got["2010302"]["flag"] == "完成率高于 110%"
    assert got["2080501"]["completion"] == "76.17" and got["2080501"]["flag"] == "完成率低于 90%"
    assert (got["2010350"]["final"], got["2010350"]["completion"]) == (None, "0.00")
    assert (got["2080506"]["budget"], got["2080506"]["completion"], got["2080506"]["flag"]) == (None, None, "无年初预算")
    assert got["208"]["completion"] == "146.71" and got["2210201"]["completion"] == "100.00"
    assert list(got)[:4] == ["合计", "201", "20103", "2010301"]


def test_fiscal_by_class_sangong_and_missing_tables(versus):
    fiscal = section(versus, "fiscal")
    assert (fiscal["201"]["budget"], fiscal["201"]["final"], fiscal["201"]["completion"]) == ("455.00", "449.88", "98.87")
    assert fiscal["合计"]["final"] == "677.93"   # 决算04 has no 合计 row: the sum of its 类
    sangong = section(versus, "sangong")
    assert (sangong["合计"]["budget"], sangong["合计"]["final"], sangong["合计"]["completion"]) == ("13.40", "3.74", "27.91")
    assert sangong["公务用车运行费"]["flag"] == "完成率低于 90%" and sangong["因公出国（境）费"]["completion"] is None
    assert list(section(versus, "gf")) == ["合计"]
    soc = next(s for s in versus["sections"] if s["id"] == "soc")
    assert soc["lines"] == [] and soc["notes"] == ["工作簿中没有 附表11，本部分未对比。"]


def test_band_option(cli, budget):
    data = json.loads(cli("diff", budget, FINAL_2024_FIXED, "--format", "json", "--band", "80-160").stdout)
    got = section(data, "gpb")
    assert got["2010302"]["flag"] is None and got["2080501"]["flag"] == "完成率低于 80%"
    bad = cli("diff", budget, FINAL_2024_FIXED, "--band", "110-90")
    assert bad.returncode == 2 and "下限 110 大于上限 90" in bad.stderr


def test_versus_workbook(cli, budget, tmp_path):
    target = tmp_path / "预算与决算.xlsx"
    out = cli("diff", FINAL_2024_FIXED, budget, "-o", target)    # either order: the budget side comes first
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("预算与决算对比：2024年部门预算 → 2024年部门决算（大连市西岗区人民政府办公室）")
    assert "完成年初预算" in out.stdout and "需说明（决算数与年初预算差异较大）：共" in out.stdout
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["汇总", "财政拨款支出（按功能分类类级）", "一般公共预算财政拨款支出", "政府性基金预算财政拨款支出",
                             "国有资本经营预算财政拨款支出", "一般公共预算财政拨款“三公”经费支出"]
    ws = wb["一般公共预算财政拨款支出"]
    head = [c.value for c in ws[4]]
    assert head == ["科目", "年初预算数", "决算数", "完成年初预算的%", "决算数−年初预算数", "需说明", "决算数大于/小于预算数的主要原因"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5) if r[0].value}
    high = rows["2010302-一般行政管理事务"]
    assert (high[1].value, high[2].value, high[3].value, high[4].value) == (10, 15.67, 1.567, 5.67)
    assert high[3].number_format == "0.00%" and high[5].value == "完成率高于 110%" and high[6].value is None
    assert rows["合计"][0].font.b and ws["A3"].value == "部门（单位）：大连市西岗区人民政府办公室"
    assert wb["汇总"]["A2"].value == "预算与决算对比汇总"


def test_two_departments_need_force(cli, tmp_path):
    """The budget samples are of 住建局, the 决算 sample of 政府办."""
    out = cli("diff", BUDGET_2024_FIXED, FINAL_2024_FIXED)
    assert out.returncode == 2 and not out.stdout
    assert "不是同一个部门" in out.stderr and "--force" in out.stderr and "Traceback" not in out.stderr
    forced = cli("diff", BUDGET_2024_FIXED, FINAL_2024_FIXED, "--force", "--format", "json")
    assert forced.returncode == 0, forced.stderr
    data = json.loads(forced.stdout)
    assert any("不是同一个部门" in w for w in data["warnings"])
    assert section(data, "gpb")["2010301"]["budget"] is None   # 政府办's lines have no 住建局 budget


def test_versus_by_years_with_kind_pair(cli, budget, tmp_path):
    folder = tmp_path / "办公室"
    folder.mkdir()
    shutil.copy(budget, folder / "预算.xlsx")
    shutil.copy(FINAL_2024_FIXED, folder / "决算.xlsx")
    same = cli("diff", "2024", "2024", "--dir", folder)
    assert same.returncode == 2 and "--kind 部门预算:部门决算" in same.stderr
    out = cli("diff", "2024", "2024", "--dir", folder, "--kind", "部门预算:部门决算", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["mode"] == "versus"
