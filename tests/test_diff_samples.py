"""Ground truth: the diff of the 2023 and corrected 2024 sample budgets of 大连市西岗区住建局 gives,
to the cent, the 2023→2024 changes that seed 000's narrative (第三部分) states — where the narrative
is right. And the diff workbook, re-read: its sheets, numbers, colours and print set-up."""
import json
from decimal import Decimal

import openpyxl
import pytest
from test_samples import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED


@pytest.fixture(scope="module")
def wan(tmp_path_factory):
    """The comparison in 万元, as the narrative states it."""
    from conftest import run_cli

    out = run_cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--unit", "万元", "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def line(data, table, key, column):
    t = next(t for t in data["tables"] if t["code"] == table)
    return next(ln for ln in t["lines"] if ln["key"] == key and ln["column"] == column)


# (narrative statement, table, row, column, 增减额 万元, 增减率 % or None)
NARRATIVE = [
    ("2024年收入预算……比2023年减少4612.25万元", "附表1", "in_total", "in_amount", "-4612.25", None),
    ("2024年支出预算……比2023年减少4612.25万元", "附表1", "cat_total", "cat_amount", "-4612.25", None),
    ("2024年财政拨款支出预算……比2023年减少6659.75万元", "附表6", "cat_total", "cat_amount", "-6659.75", None),
    ("一般公共预算支出预算减少6676.25万元，下降72.41%", "附表7", "合计", "total", "-6676.25", "-72.41"),
    ("城乡社区支出(类)……增加485.83万元，增长28.52%", "附表1", "212", "gpb", "485.83", "28.52"),
    ("住房保障支出(类)……减少7256.05万元，下降97.85%", "附表1", "221", "gpb", "-7256.05", "-97.85"),
    ("卫生健康支出(类)……增加30.05万元，增长83.80%", "附表1", "210", "gpb", "30.05", "83.80"),
    ("政府性基金 城乡社区支出（类）……增加16.50万元，增加0.62%", "附表1", "212", "gf", "16.50", "0.62"),
    ("政府性基金 城乡社区支出（类）（附表10 合计）", "附表10", "合计", "total", "16.50", "0.62"),
    ("“三公”经费……比2023年预算减少6.60万元", "附表9", "合计", "total", "-6.60", "-100.00"),
    ("公务用车运行费……比2023年预算减少6.60万元", "附表9", "合计", "car_running", "-6.60", "-100.00"),
]


@pytest.mark.parametrize("statement, table, key, column, change, rate", NARRATIVE, ids=[n[0][:24] for n in NARRATIVE])
def test_seed_000_narrative_changes_to_the_cent(wan, statement, table, key, column, change, rate):
    got = line(wan, table, key, column)
    assert got["change"] == change, statement
    if rate is not None:
        assert got["rate"] == rate, statement


def test_narrative_statements_that_are_wrong_or_rounded(wan):
    # 社会保障和就业支出(类) +63.94 万元 holds; the narrative's 98.07% is 63.94 / 65.20 from the rounded
    # 万元 figures. From the exact 元 values (652,038.40 → 1,291,395.83) it is 98.0552…% = 98.06%.
    social = line(wan, "附表1", "208", "gpb")
    assert (social["change"], social["rate"]) == ("63.94", "98.06")
    # 机关运行经费（= 公用经费）“增加7.17万元，增长13.76%”: 7.17 holds, the rate is 13.79%
    # (71,699.67 / 519,806.40); 13.76% would need a 2023 base of 52.11 万元.
    public = line(wan, "附表1", "cat_public", "cat_amount")
    assert (public["before"], public["after"], public["change"], public["rate"]) == ("51.98", "59.15", "7.17", "13.79")
    # “当年财政拨款收入预算5203.64万元，比2023年增加882.14万元” is wrong: 收入 = 支出 in a budget
    # (附表6), and the 财政拨款 income fell by the same 6,659.75 万元 as the spending.
    fiscal_income = line(wan, "附表6", "in_total", "in_amount")
    assert (fiscal_income["change"], fiscal_income["after"]) == ("-6659.75", "5203.65")
    # The narrative's 2024 bases are truncated, not rounded: 7251.14 / 2543.64 / 5203.64 for
    # 72,511,453.98 / 25,436,453.98 / 52,036,453.98 元, which round half up to .15 / .65 / .65.
    assert line(wan, "附表1", "in_total", "in_amount")["after"] == "7251.15"
    assert line(wan, "附表7", "合计", "total")["after"] == "2543.65"
    # The change is rounded from the exact 元 difference (46,122,455.02 元), not taken between the
    # rounded totals (7251.15 − 11863.39 = −4612.24): the narrative's 4612.25 agrees.
    assert line(wan, "附表1", "in_total", "in_amount")["before"] == "11863.39"
    # 因公出国（境）费、公务接待费、公务用车购置费 “与2023年预算持平”.
    sangong = {s["label"]: s for s in next(t for t in wan["tables"] if t["code"] == "附表9")["sangong"]}
    for item in ("因公出国（境）费", "公务接待费", "公务用车购置费"):
        assert (sangong[item]["before"], sangong[item]["after"], sangong[item]["change"]) == ("0.00", "0.00", "0.00")
    assert sangong["公务用车运行费"]["change"] == "-6.60" and sangong["公务用车运行费"]["flag"]


def test_the_same_changes_exactly_in_yuan(cli):
    data = json.loads(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--format", "json").stdout)
    assert data["unit"] == "元"
    assert line(data, "附表1", "in_total", "in_amount")["change"] == "-46122455.02"
    assert line(data, "附表1", "221", "gpb")["change"] == "-72560547.95"
    assert line(data, "附表7", "合计", "total")["rate"] == "-72.41"
    # 住建中心 (145002) was newly set up: its lines are new; 145001's 2120101 行政运行 is matched.
    assert line(data, "附表4", "145002", "total")["status"] == "新增"
    assert line(data, "附表4", "145001/2120101", "total")["change"] == "290189.24"


def test_text_summary(cli):
    out = cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--unit", "万元", "--top", "5")
    assert out.returncode == 0 and not out.stderr
    text = out.stdout
    assert text.startswith("对比：2023年部门预算 → 2024年部门预算（145-大连市西岗区住房和城乡建设局）")
    assert "校验（2024年预算，2024_部门预算_更正版.xlsx）：没有错误。" in text
    assert "附表7   一般公共预算支出表" in text and "-6,676.25   -72.41%" in text
    assert "公务用车运行费                6.60        0.00   -6.60  -100.00%" in text
    assert "列出前 5 处" in text and "   5. " in text and "   6. " not in text


def test_check_errors_of_a_side_head_the_report(cli, tmp_path):
    """The published 2024 workbook has real errors: they are listed first, the diff is still made."""
    out = cli("diff", BUDGET_2023, BUDGET_2024, "-o", tmp_path / "d.xlsx")
    assert out.returncode == 0, out.stderr
    head = out.stdout.split("各表变动")[0]
    assert "校验（2024年预算，2024_部门预算_公开版.xlsx）：有" in head and "对比照常生成" in head
    assert "附表1" in head
    assert "只有本年工作簿有" not in head and "只有上年工作簿有 附表3" in head   # the published set lacks 附表3
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx")["汇总"]
    info = [ws.cell(r, 1).value for r in range(4, 20)]
    assert info[:2] == ["2023年预算：2023_部门预算.xlsx（2023年部门预算，145-大连市西岗区住房和城乡建设局）",
                        "2024年预算：2024_部门预算_公开版.xlsx（2024年部门预算，145-大连市西岗区住房和城乡建设局）"]
    assert info[2] == "注意：只有上年工作簿有 附表3，未对比。"
    assert info[3] == "校验（2023年预算，2023_部门预算.xlsx）：没有错误。"
    assert info[4].startswith("校验（2024年预算，2024_部门预算_公开版.xlsx）：有 6 处错误") and info[5].startswith("[")
    assert info.index("表") > 4   # the table's header comes after them


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from conftest import run_cli

    target = tmp_path_factory.mktemp("diff") / "对比.xlsx"
    out = run_cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--unit", "万元", "-o", target)
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith(f"已写出对比工作簿：{target}")
    return openpyxl.load_workbook(target)


def rows_of(ws, header_row):
    head = [c.value for c in ws[header_row]]
    return head, [dict(zip(head, r)) for r in ws.iter_rows(min_row=header_row + 1) if r[0].value is not None]


def test_workbook_sheets_and_summary(book):
    assert book.sheetnames[:3] == ["汇总", "需说明", "附表1"]
    assert book.sheetnames[-1] == "三公经费" and "附表14" in book.sheetnames
    ws = book["汇总"]
    assert ws["A2"].value == "部门预算对比汇总" and ws["A3"].value == "部门（单位）：145-大连市西岗区住房和城乡建设局"
    header = next(r for r in range(4, 12) if ws.cell(r, 1).value == "表")
    assert [ws.cell(header, c).value for c in range(1, 8)] == ["表", "表名", "合计项目", "2023年预算", "2024年预算",
                                                              "增减额", "增减率"]
    assert [ws.cell(header, c).value for c in range(8, 13)] == ["变动行", "新增行", "删除行", "科目调整行", "不变行"]
    t7 = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "附表7")
    assert [ws.cell(t7, c).value for c in (4, 5, 6, 7)] == [9219.89, 2543.65, -6676.25, -0.7241]
    assert ws.cell(t7, 7).number_format == "0.00%" and ws.cell(t7, 6).number_format == "#,##0.00"
    # 需说明 counts rows, like the status columns beside it: never more than the rows that changed
    assert ws.cell(header, 13).value == "需说明行"
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, 1).value:
            moved = sum(ws.cell(r, c).value or 0 for c in range(8, 12))
            assert (ws.cell(r, 13).value or 0) <= moved, ws.cell(r, 1).value
    assert ws.cell(t7, 13).value == 25


def test_workbook_table_sheet(book):
    ws = book["附表1"]
    assert ws["A2"].value == "收支预算总表对比" and ws.cell(1, ws.max_column).value == "附表1"
    head, rows = rows_of(ws, 4)
    assert head == ["项目", "栏目", "2023年预算", "2024年预算", "增减额", "增减率", "状态", "需说明", "备注"]
    housing = next(r for r in rows if r["项目"].value == "二十、住房保障支出" and r["栏目"].value == "一般公共预算")
    assert (housing["2023年预算"].value, housing["2024年预算"].value, housing["增减额"].value) == (7415.6, 159.55, -7256.05)
    assert housing["增减率"].value == -0.9785 and housing["需说明"].value == "是"
    assert housing["增减额"].fill.fgColor.rgb.endswith("E2EFDA")          # a decrease: green
    social = next(r for r in rows if r["项目"].value == "八、社会保障和就业支出" and r["栏目"].value == "一般公共预算")
    assert social["增减额"].fill.fgColor.rgb.endswith("FCE4D6") and social["增减额"].value == 63.94   # an increase: red
    assert ws.auto_filter.ref.startswith("A4:I")
    assert ws.freeze_panes == "A5"
    # hierarchy: 款 and 项 indented under their 类 (附表4 has units and codes)
    ws4 = book["附表4"]
    head4, rows4 = rows_of(ws4, 4)
    assert head4[0] == "单位"
    item = next(r for r in rows4 if r["项目"].value == "2120101-行政运行" and r["栏目"].value == "合计")
    kuan = next(r for r in rows4 if r["项目"].value == "21201-城乡社区管理事务" and r["栏目"].value == "合计")
    klass = next(r for r in rows4 if r["项目"].value == "212-城乡社区支出" and r["栏目"].value == "合计")
    assert (item["项目"].alignment.indent, kuan["项目"].alignment.indent, klass["项目"].alignment.indent) == (2, 1, 0)
    assert klass["项目"].font.b and not item["项目"].font.b and item["项目"].font.name == "宋体"
    assert item["单位"].value == "145001" and item["状态"].value == "变动"
    new = next(r for r in rows4 if r["单位"].value == "145002" and r["栏目"].value == "合计")
    assert new["状态"].value == "新增" and new["2023年预算"].value is None


def test_workbook_print_setup(book):
    for name in ("汇总", "需说明", "附表4", "三公经费"):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, name
        # fit to one page wide (1 is the default width, which xlsxwriter leaves out), any height
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows, name
        assert "&P" in ws.oddFooter.center.text, name
    assert book["附表4"].print_title_rows == "$4:$4"
    assert book["需说明"].print_title_rows == "$5:$5"   # the header, not the rule line above it


def test_workbook_sangong_sheet_in_seed_001_layout(book):
    ws = book["三公经费"]
    assert ws["A2"].value == "“三公”经费预算对比表"
    head, rows = rows_of(ws, 4)
    assert head == ["项目", "2023年预算", "2024年预算", "增减额", "增减率", "增减变化原因"]
    got = [(r["项目"].value, r["2023年预算"].value, r["2024年预算"].value, r["增减额"].value, r["增减率"].value)
           for r in rows if r["项目"].value and r["项目"].row < 11]
    assert got == [("合计", 6.6, 0, -6.6, -1), ("因公出国（境）费", 0, 0, 0, None), ("公务接待费", 0, 0, 0, None),
                   ("公务用车购置及运行费合计", 6.6, 0, -6.6, -1), ("公务用车购置费", 0, 0, 0, None),
                   ("公务用车运行费", 6.6, 0, -6.6, -1)]
    assert all(r["增减变化原因"].value is None for r in rows if r["项目"].row < 11)
    assert rows[4]["项目"].alignment.indent == 1


def test_workbook_flagged_sheet_lists_each_change_once(book):
    ws = book["需说明"]
    header = next(r for r in range(4, 8) if ws.cell(r, 1).value == "序号")
    head, rows = rows_of(ws, header)
    assert head[:9] == ["序号", "表", "单位", "项目", "栏目", "2023年预算", "2024年预算", "增减额", "增减率"]
    changes = [abs(Decimal(str(r["增减额"].value))) for r in rows if isinstance(r["序号"].value, int)]
    assert changes == sorted(changes, reverse=True)
    gpb = next(r for r in rows if r["项目"].value == "一、一般公共预算拨款收入")
    assert gpb["增减额"].value == -6676.25 and "附表7" in gpb["同见"].value
    assert sum(1 for r in rows if r["增减额"].value == -6676.25) == 1
    assert all(r["主要原因"].value is None for r in rows if isinstance(r["序号"].value, int))
