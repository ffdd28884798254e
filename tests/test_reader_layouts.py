"""The same table written the ways clerks write it reads to the same keyed data."""
from decimal import Decimal

import pytest
from factory import new_workbook, write_table

import budget_xl
from budget_xl.templates import get_template

FINAL = get_template("部门决算-全国")
BUDGET = get_template("部门预算-辽宁")

# 财决公开02 of seed 002 (万元): code, name, 本年收入合计, 财政拨款收入, then five zero columns.
T02 = [
    ("", "合计", "677.92", "677.92"),
    ("201", "一般公共服务支出", "449.88", "449.88"),
    ("20103", "政府办公厅(室)及相关机构事务", "449.88", "449.88"),
    ("2010301", "行政运行", "434.21", "434.21"),
    ("2010302", "一般行政管理事务", "15.67", "15.67"),
    ("208", "社会保障和就业支出", "98.09", "98.09"),
    ("20805", "行政事业单位养老支出", "98.09", "98.09"),
    ("2080501", "行政单位离退休", "9.14", "9.14"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "54.86", "54.86"),
    ("2080506", "机关事业单位职业年金缴费支出", "34.08", "34.08"),
    ("210", "卫生健康支出", "39.53", "39.53"),
    ("21011", "行政事业单位医疗", "39.53", "39.53"),
    ("2101101", "行政单位医疗", "39.53", "39.53"),
    ("221", "住房保障支出", "90.43", "90.43"),
    ("22102", "住房改革支出", "90.43", "90.43"),
    ("2210201", "住房公积金", "90.43", "90.43"),
]
ZEROS = ["0.00"] * 5
LINES = ["部门（单位）：大连市西岗区人民政府办公室（本级）", "2024 年度"]


def rows_full_code():
    """The full code in the 类 column, as the MOF software prints it (seed 002)."""
    return [[code, "", "", name, total, fiscal, *ZEROS] for code, name, total, fiscal in T02]


def rows_split_code():
    """类 / 款 / 项 written as 201 | 03 | 01."""
    out = []
    for code, name, total, fiscal in T02:
        parts = [code[:3], code[3:5], code[5:7]] if code else ["", "", ""]
        out.append([*parts, name, total, fiscal, *ZEROS])
    return out


def rows_one_cell():
    """No code columns: '2010301-行政运行' in the name column."""
    return [[f"{code}-{name}" if code else name, total, fiscal, *ZEROS] for code, name, total, fiscal in T02]


def snapshot(path):
    d = budget_xl.read(path)
    t = d.tables["财决公开02"]
    return d, [(r.key, r.level, r.amounts["total"], r.amounts["fiscal"], r.amounts["other"]) for r in t.rows]


EXPECTED_KEYS = ["合计"] + [code for code, *_ in T02[1:]]


def build(tmp_path, name, writer):
    wb = new_workbook()
    writer(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def test_full_code_in_class_column(tmp_path):
    path = build(tmp_path, "a.xlsx", lambda wb: write_table(wb.create_sheet("收入"), FINAL.table("财决公开02"),
                                                             rows_full_code(), unit="金额单位：万元", lines=LINES))
    d, rows = snapshot(path)
    assert [k for k, *_ in rows] == EXPECTED_KEYS
    assert {k: lvl for k, lvl, *_ in rows}["20103"] == "款"
    assert rows[3][2] == Decimal("434.21") and rows[0][4] == Decimal("0.00")
    assert d.unit == "万元" and d.year == 2024 and d.department == "大连市西岗区人民政府办公室"


def layouts():
    spec = FINAL.table("财决公开02")
    no_code_cols = ["label", "total", "fiscal", "superior", "business", "operating", "affiliated", "other"]

    def split_code(wb):
        write_table(wb.create_sheet("Sheet1"), spec, rows_split_code(), unit="金额单位：万元", lines=LINES)

    def one_cell(wb):
        write_table(wb.create_sheet("Sheet1"), spec, rows_one_cell(), unit="金额单位：万元", lines=LINES,
                    columns=no_code_cols)

    def two_sheets(wb):
        rows = rows_full_code()
        write_table(wb.create_sheet("第1页"), spec, rows[:7], unit="金额单位：万元", lines=LINES)
        write_table(wb.create_sheet("第2页"), spec, rows[7:], title=False, unit=None)

    def page_headers(wb):
        rows = rows_full_code()
        ws = wb.create_sheet("打印版")
        r = write_table(ws, spec, rows[:5], unit="金额单位：万元", lines=LINES)
        r = write_table(ws, spec, rows[5:11], start=r + 1, unit="金额单位：万元")   # title + header again
        write_table(ws, spec, rows[11:], start=r, title=False, unit=None)          # header only

    def text_cells(wb):
        write_table(wb.create_sheet("Sheet1"), spec, rows_full_code(), unit="金额单位：万元", lines=LINES, as_text=True)

    return {"split_code": split_code, "one_cell": one_cell, "two_sheets": two_sheets,
            "page_headers": page_headers, "text_cells": text_cells}


@pytest.mark.parametrize("layout", list(layouts()))
def test_layouts_read_to_the_same_data(tmp_path, layout):
    reference = snapshot(build(tmp_path, "ref.xlsx", lambda wb: write_table(
        wb.create_sheet("收入"), FINAL.table("财决公开02"), rows_full_code(), unit="金额单位：万元", lines=LINES)))[1]
    d, rows = snapshot(build(tmp_path, f"{layout}.xlsx", layouts()[layout]))
    assert rows == reference
    assert not [n for n in d.notes if n.level != "info"], d.notes


def test_source_cells_point_into_the_users_workbook(tmp_path):
    path = build(tmp_path, "pages.xlsx", layouts()["two_sheets"])
    t = budget_xl.read(path).tables["财决公开02"]
    assert str(t["201"].cells["total"]) == "第1页!E9"
    assert str(t["2080501"].cells["fiscal"]) == "第2页!F4"
    assert t.sheets == ["第1页", "第2页"]


def test_several_tables_on_one_sheet_and_units_rows(tmp_path):
    t2 = BUDGET.table("附表2")
    t13 = BUDGET.table("附表13")
    wb = new_workbook()
    ws = wb.create_sheet("预算表")
    r = write_table(ws, t2, [
        ["合 计", "72,511,453.98", "72,511,453.98", "25,436,453.98", "26,600,000.00", "", "20,475,000.00"],
        ["145-大连市西岗区住房和城乡建设局", "72,511,453.98", "72,511,453.98", "25,436,453.98", "26,600,000.00", "", "20,475,000.00"],
        ["145001-大连市西岗区住房和城乡建设局（本级）", "63,901,241.44", "63,901,241.44", "16,826,241.44", "26,600,000.00", "", "20,475,000.00"],
        ["145002-大连市西岗区住房城市建设事务服务中心", "8,610,212.54", "8,610,212.54", "8,610,212.54", "", "", ""],
    ])
    write_table(ws, t13, [
        ["合计", "10,340,000.00", "", "8,240,000.00", "2,100,000.00"],
        ["145-大连市西岗区住房和城乡建设局", "10,340,000.00", "", "8,240,000.00", "2,100,000.00"],
        ["145001-大连市西岗区住房和城乡建设局（本级）", "10,340,000.00", "", "8,240,000.00", "2,100,000.00"],
    ], start=r + 2)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    d = budget_xl.read(path)
    assert list(d.tables) == ["附表2", "附表13"]
    rows2 = {r.key: r for r in d.tables["附表2"]}
    assert [r.kind for r in d.tables["附表2"]] == ["total", "dept", "unit", "unit"]
    assert rows2["145002"].amounts["gpb"] == Decimal("8610212.54")
    assert rows2["145002"].amounts["gf"] is None
    assert d.tables["附表13"]["145001"].amounts["works"] == Decimal("8240000.00")
    assert d.department == "145-大连市西岗区住房和城乡建设局"
