"""政府预算 (issue 16): seed 001 read whole, its real inconsistencies found at their cells and nothing
that holds, rounding judged by printed precision, percentages recomputed, a single changed amount
found; diff of two years and the published set.

Sample: sample_workbooks/西岗区/2023_政府预算.xlsx (seed 001 as published) and 2024_政府预算.xlsx
(invented, consistent: sample_workbooks/make_gov2024.py)."""
from __future__ import annotations

import os
import random
import shutil
from decimal import Decimal

import openpyxl
import pytest
from conftest import SAMPLES
from factory import new_workbook, write_table

import budget_xl
from budget_xl.percent import NotAPercent, parse_percent
from budget_xl.rules import check
from budget_xl.templates import load_template

D = Decimal
XIGANG = SAMPLES / "西岗区"
GOV_2023 = XIGANG / "2023_政府预算.xlsx"
GOV_2024 = XIGANG / "2024_政府预算.xlsx"
TEMPLATE = budget_xl.get_template("政府预算")


@pytest.fixture(scope="module")
def d2023():
    return budget_xl.read(GOV_2023)


@pytest.fixture(scope="module")
def report2023(d2023):
    return check(d2023)


# --------------------------------------------------------------------------- reading
def test_every_table_of_seed_001_is_recognised_and_every_amount_read(d2023):
    assert d2023.template.id == "政府预算" and d2023.kind == "政府预算"
    assert d2023.year == 2023 and d2023.department == "大连市西岗区" and d2023.unit == "万元"
    # 23 of the 24 tables (the 目录 lists 21 分地区, the document does not print it); the 说明 and
    # 绩效目标表 sheets are skipped as text
    assert d2023.missing == ["政府预算21"]
    assert len(d2023.tables) == 23 and not d2023.unknown
    assert d2023.coverage.complete and d2023.coverage.read == d2023.coverage.total == 526
    assert {"8转移支付情况说明", "27举借债务情况说明", "28绩效目标表（二期）"} <= set(d2023.skipped_sheets)
    assert all(t.decimals == 0 for t in d2023.tables.values())     # whole 万元


def test_names_without_codes_are_read_by_class_name_and_indentation(d2023):
    t = d2023["政府预算04"]
    assert len(t.rows) == 204   # eight printed pages, their title and header repeated on each
    kuan = t["201/人大事务"]
    assert (kuan.level, kuan.parent, kuan.amounts["amount"]) == ("款", "201", D(750))
    item = t["201/人大事务/行政运行"]
    assert (item.level, item.parent, item.name) == ("项", "201/人大事务", "行政运行")
    assert t["227"].label == "预备费" and t["227"].amounts["amount"] == D(2000)    # a 类 with no 款
    # the 款 “其他公共安全支出” and its 项 of the same name (split by a page break) are two rows
    assert t["204/其他公共安全支出"].level == "款" and t["204/其他公共安全支出/其他公共安全支出"].level == "项"
    assert t["ex_total"].amounts["amount"] == D(201281) and t["grand"].amounts["amount"] == D(233126)
    # the 类 keep their codes: the 全区 table (fixed rows by 类) meets them by code
    assert {r.code for r in t.rows if r.level == "类"} >= {"201", "203", "205", "224", "227"}


def test_transfer_items_are_an_outline_of_numbered_items(d2023):
    t = d2023["政府预算07"]
    assert t["合计"].label == "西岗区" and t["合计"].amounts == {"prior": D(119949), "current": D(100294)}
    special = t["专项转移支付收入"]
    assert special.label == "17. 专项转移支付收入" and special.parent is None
    assert t["专项转移支付收入/城乡社区"].parent == "专项转移支付收入"
    # a PDF line break inside a name does not make another line
    assert t["文化旅游体育与传媒共同财政事权转移支付收入"].amounts["current"] == D(25)


def test_percentages_are_read_as_printed(d2023):
    rate = d2023["政府预算24"]["reception"].percents["rate"]
    assert (rate.value, rate.decimals) == (D("-5.6"), 1)
    assert d2023["政府预算24"]["reception"].attrs == {}
    assert "严格控制了三公经费总量" in d2023["政府预算24"]["total"].attrs["reason"]


@pytest.mark.parametrize("text, value, decimals", [
    ("12.3%", "12.3", 1), ("-1.0%", "-1.0", 1), ("增长12.3%", "12.3", 1), ("下降3.2%", "-3.2", 1),
    ("(3.2)", "-3.2", 1), ("１２．５％", "12.5", 1), ("持平", "0", 0), ("12.30%", "12.30", 2),
])
def test_percent_texts(text, value, decimals):
    pct = parse_percent(text)
    assert pct is not None and (pct.value, pct.decimals, pct.number) == (D(value), decimals, False)


def test_percent_blanks_numbers_and_junk():
    assert parse_percent("—") is None and parse_percent("") is None and parse_percent("-") is None
    number = parse_percent(-0.0104166666)   # a fraction a formula left, shown -1.0% by Excel
    assert number.number and (D("-1.04"), 2) in number.readings()
    for junk in ("约5%", "增长较快", "12.3万元"):
        with pytest.raises(NotAPercent):
            parse_percent(junk)


# --------------------------------------------------------------------------- check: seed 001 as published
def test_seed_001_real_inconsistencies_each_at_their_cells(report2023):
    errors = [f for f in report2023.findings if f.level == "error"]
    got = sorted((f.rule, [str(c) for c in f.cells], f.actual, f.expected) for f in errors)
    # 政府性基金 收入总计 134,774 against 支出总计 74,040: the 支出 tables print no 调出资金 or 年终结余
    # that would balance them (全区 and 区本级 alike). Neither cell can be blamed alone: both listed.
    assert got == [
        ("ZF04-01", ["10政府性基金收入!B5", "12政府性基金支出!B19"], D(134774), D(74040)),
        ("ZF04-02", ["11本级政府性基金收入!B5", "13本级政府性基金支出!B19"], D(134774), D(74040)),
    ]
    # amounts said as printed: whole 万元
    assert "= 134,774，应等于" in errors[0].message and "相差 60,734 万元" in errors[0].message


def test_seed_001_warnings_are_its_real_oddities(report2023):
    warnings = [f for f in report2023.findings if f.level == "warning"]
    # 302 商品和服务支出 11,266 against its 24 款 11,277 (合计 and 基本支出 columns): within the bound of
    # 25 × 0.5 万元, far beyond what rounding gives in practice (four standard deviations: 5.77);
    # 50101 printed 工资津补贴 (the code list: 工资奖金津补贴); 21 listed in the 目录, not printed
    assert sorted((f.rule, str(f.cells[0]) if f.cells else f.tables[0]) for f in warnings) == [
        ("层级", "6本级基本支出经济科目!C17"), ("层级", "6本级基本支出经济科目!D17"),
        ("科目名称", "5一般公共预算支出经济科目!B7"), ("缺表", "政府预算21")]
    w302 = warnings[0] if str(warnings[0].cells[0]).endswith("C17") else next(
        f for f in warnings if f.cells and str(f.cells[0]).endswith("C17"))
    assert "±12.5 万元" in w302.message and "±5.77" in w302.message and w302.difference == D(-11)


def test_seed_001_rounding_is_the_one_wan_of_its_whole_wan_sums(report2023):
    rounding = [f for f in report2023.findings if f.level == "rounding"]
    assert len(rounding) == 10 and all(abs(f.difference) == 1 for f in rounding)
    assert all(f.tables == ("政府预算04",) for f in rounding)
    caiwu = next(f for f in rounding if "财政事务" in f.message)
    assert str(caiwu.cells[0]) == "4本级一般公共预算支出!B29" and (caiwu.actual, caiwu.expected) == (D(1072), D(1071))
    assert "5 个金额各印到整万元" in caiwu.message and "合计允许 ±2.5 万元" in caiwu.message


def test_seed_001_has_no_other_finding(report2023):
    """Everything else holds: 收支平衡, 全区 ≥ 本级, 功能分类 = 经济分类, 基本支出 ⊂ 经济分类, the transfers
    against 上级补助收入, 三公 sums, 增减额 and 增减率, 债务余额 ≤ 限额."""
    levels = [f.level for f in report2023.findings]
    assert levels.count("error") == 2 and levels.count("warning") == 4 and levels.count("rounding") == 10
    assert all(f.rule == "编码表" or f.level != "note" for f in report2023.findings)


def test_the_invented_2024_counterpart_is_consistent():
    report = check(budget_xl.read(GOV_2024))
    assert report.errors == 0 and report.count("rounding") == 0
    assert {f.rule for f in report.findings if f.level == "warning"} == {"科目名称", "缺表"}


# --------------------------------------------------------------------------- rounding by printed precision
def _gov_table(tmp_path, code, rows, name="t.xlsx", unit="单位：万元"):
    wb = new_workbook()
    write_table(wb.create_sheet(code), TEMPLATE.table(code), rows, unit=unit)
    wb.save(tmp_path / name)
    return tmp_path / name


def _income(tax, items):
    return [{"item": "一、一般公共预算收入合计", "amount": tax}, {"item": "(一) 税收收入", "amount": tax}, *items,
            {"item": "收入总计", "amount": tax}]


@pytest.mark.parametrize("total, level", [(100, None), (102, "rounding"), (103, "error")])
def test_whole_wan_rounding_scales_with_the_last_printed_digit(tmp_path, total, level):
    """(一) 税收收入 of four whole-万元 items: the five amounts may each be half a 万元 off, ±2.5 in all."""
    items = [{"item": n, "amount": v} for n, v in (("增值税", 40), ("企业所得税", 30), ("个人所得税", 20), ("房产税", 10))]
    rows = _income(total, items)
    rows[0]["amount"] = rows[-1]["amount"] = total
    report = check(budget_xl.read(_gov_table(tmp_path, "政府预算01", rows), "政府预算"))
    found = [f for f in report.findings if "税收收入" in f.message and f.level in ("error", "rounding")]
    if level is None:
        assert not found
    else:
        assert [f.level for f in found] == [level]
        assert level == "error" or "合计允许 ±2.5 万元" in found[0].message


def test_two_decimal_tables_keep_their_half_cent_envelope(tmp_path):
    items = [{"item": "增值税", "amount": "40.01"}, {"item": "企业所得税", "amount": "59.99"}]
    rows = _income("100.02", items)
    report = check(budget_xl.read(_gov_table(tmp_path, "政府预算01", rows), "政府预算"))
    assert budget_xl.read(tmp_path / "t.xlsx", "政府预算")["政府预算01"].decimals == 2   # printed to the cent
    assert [f.level for f in report.findings if "税收收入" in f.message] == ["error"]   # 0.02 > 3 × 0.005


# --------------------------------------------------------------------------- percentages
SANGONG_ROWS = [("合计", 960, 950, -10, "-1.0%"), ("因公出国（境）费", 100, 100, 0, "0.0%"),
                ("公务接待费", 180, 170, -10, "-5.6%"), ("公务用车购置及运行费", 680, 680, 0, "0.0%"),
                ("公务用车购置费", 30, 30, 0, "0.0%"), ("公务用车运行费", 650, 650, 0, "0.0%")]


def _sangong(tmp_path, **changes):
    rows = []
    for item, prior, current, change, rate in SANGONG_ROWS:
        row = {"item": item, "prior": prior, "current": current, "change": change, "rate": rate}
        row.update(changes.get(item, {}))
        rows.append(row)
    return check(budget_xl.read(_gov_table(tmp_path, "政府预算24", rows), "政府预算"))


def test_percentages_as_published_hold(tmp_path):
    assert [f for f in _sangong(tmp_path).findings if f.rule == "百分比"] == []


@pytest.mark.parametrize("rate, level", [
    ("-5.5%", "rounding"),   # −5.56 prints −5.6; −5.5 is what 170.5 / 180.4 would give: 尾数
    ("-8.0%", "error"),      # beyond any rounding of the amounts
    ("增长5.6%", "error"),   # the wrong direction
    ("(5.6)", None),         # a negative in brackets, right
    (-0.0556, None),         # a fraction shown -5.6% by Excel's % format
    (-5.6, None),            # a number in percent units
])
def test_a_printed_percentage_is_recomputed_from_its_row(tmp_path, rate, level):
    report = _sangong(tmp_path, 公务接待费={"rate": rate})
    found = [f for f in report.findings if f.rule == "百分比"]
    if level is None:
        assert found == []
        return
    assert [f.level for f in found] == [level]
    assert str(found[0].cells[0]) == "政府预算24!E6"   # the 增减率 cell first
    if level == "error":
        assert found[0].expected == D("-5.6") and "应印 -5.6%" in found[0].message


def test_a_prior_of_zero_gives_no_percentage(tmp_path):
    base = {"prior": 0, "current": 30, "change": 30}
    dash = _sangong(tmp_path, 公务用车购置费={**base, "rate": "—"}, 公务用车购置及运行费={"prior": 650, "current": 680,
                                                                                "change": 30, "rate": "4.6%"})
    assert not [f for f in dash.findings if f.rule == "百分比"]
    printed = _sangong(tmp_path, 公务用车购置费={**base, "rate": "100.0%"},
                       公务用车购置及运行费={"prior": 650, "current": 680, "change": 30, "rate": "4.6%"})
    zero = [f for f in printed.findings if f.rule == "百分比"]
    assert [f.level for f in zero] == ["warning"] and "为 0，无从计算百分比" in zero[0].message


def test_text_in_a_percent_cell_is_reported_at_the_cell(tmp_path):
    report = _sangong(tmp_path, 公务接待费={"rate": "约5%"})
    read = [f for f in report.findings if f.rule == "读取"]
    assert [str(f.cells[0]) for f in read] == ["政府预算24!E6"] and "不是百分比" in read[0].message


def test_a_wrong_current_amount_is_named_not_the_percentage_it_puts_out(tmp_path):
    report = _sangong(tmp_path, 公务接待费={"current": 176})
    errors = [f for f in report.findings if f.level == "error"]
    assert str(errors[0].cells[0]) == "政府预算24!C6" and errors[0].expected == D(170)
    assert "百分比" in errors[0].also and not any(f.rule == "百分比" for f in errors)


# --------------------------------------------------------------------------- mutations
SAMPLE = 60   # cells mutated in the suite; BUDGET_XL_MUTATION_ALL=1 mutates every one
# 社会保险基金 收入总计 / 支出总计 (0): no identity of the set constrains them (their balance is not
# 收入 = 支出), so a changed amount there cannot be seen. The 一般债务 table prints only its 总计 line (0,
# 0): 余额 ≤ 限额 sees a 余额 raised or a 限额 lowered, not the other way.
UNCONSTRAINED = {"22社会保险基金收入!B5", "23社会保险基金支出!B5", "9一般债务限额和余额!B5", "9一般债务限额和余额!D5"}


def _mutation_cells(d):
    cells = []
    for table in d.tables.values():
        for row in table.rows:
            for cid, ref in row.cells.items():
                if cid != "label" and (row.amounts.get(cid) is not None or cid in (row.percents or {})):
                    cells.append(ref)
    return cells


def test_mutation_one_changed_amount_is_found_and_named_first_unless_siblings_tie(tmp_path, d2023, report2023):
    """Each amount (or percentage) changed by a clearly wrong amount (±7, ±123 or ±10,000 万元) is reported
    by a new error or warning naming its cell. It is named first wherever one cell explains the failures;
    otherwise (a 项 checked by its 款 = Σ 项 only) the finding lists the cells any of which alone would
    mend it, the mutated one among them. Measured over every cell (BUDGET_XL_MUTATION_ALL=1): 525 cells,
    522 found (99.4 %; not found: the two 社会保险基金 totals no identity constrains, and the 一般债务 限额 0
    raised by 10,000, which 余额 ≤ 限额 allows), 412 named first (78.5 %); the other 110 found are such
    ties (every one: 100 % named first where one cell explains the failures)."""
    rng = random.Random(16)
    cells = _mutation_cells(d2023)
    if not os.environ.get("BUDGET_XL_MUTATION_ALL"):
        cells = rng.sample(cells, SAMPLE)
    clean = {(f.level, f.rule, f.message) for f in report2023.findings}
    wb = openpyxl.load_workbook(GOV_2023)
    out = tmp_path / "m.xlsx"
    found = first = ties = 0
    for ref in cells:
        cell = wb[ref.sheet].cell(ref.row + 1, ref.col + 1)
        old = cell.value
        delta = rng.choice([1, -1]) * rng.choice([7, 123, 10000])
        cell.value = f"{float(old.rstrip('%')) + delta:.1f}%" if isinstance(old, str) else (old or 0) + delta
        wb.save(out)
        cell.value = old
        new = [f for f in check(budget_xl.read(out)).findings
               if f.level in ("error", "warning") and (f.level, f.rule, f.message) not in clean]
        hit = [f for f in new if ref in f.cells]
        if str(ref) in UNCONSTRAINED:
            continue
        assert hit, (str(ref), delta)
        found += 1
        if any(f.cells[0] == ref for f in hit):
            first += 1
        else:
            assert all(not f.blamed for f in hit), (str(ref), delta, [f.message for f in hit])
            ties += 1
    n = sum(1 for ref in cells if str(ref) not in UNCONSTRAINED)
    assert found == n and first + ties == n


# --------------------------------------------------------------------------- diff and fill
def test_diff_2023_2024_in_the_district_folder(cli, tmp_path):
    folder = tmp_path / "西岗区"
    shutil.copytree(XIGANG, folder)
    out = cli("diff", "2023", "2024", "-o", "对比.xlsx", cwd=folder)
    assert out.returncode == 0, out.stderr
    assert "2023年政府预算 → 2024年政府预算（大连市西岗区）" in out.stdout
    assert (folder / "对比.xlsx").exists()
    comparison = budget_xl.compare(GOV_2023, GOV_2024)
    by_table = {t.code: t for t in comparison.tables}
    lines = {(line.key, line.column): line for line in by_table["政府预算04"].lines}
    assert lines[("201/统计信息事务/专项普查活动", "amount")].status == "删除"
    assert lines[("201/统计信息事务/其他统计信息事务支出", "amount")].status == "新增"
    sangong = {(line.key, line.column): line for line in by_table["政府预算24"].lines}
    assert sangong[("total", "current")].change == D(-50)
    # transfer items meet by name, whatever their number: “15. 留抵退税…” is “11. 留抵退税…” in 2024
    transfers = {(line.key, line.column): line for line in by_table["政府预算07"].lines}
    assert transfers[("留抵退税政策专项资金", "current")].status == "变动"
    # 2023's items with a 2022 执行数 but no 2023 预算数 are not “removed” in the 预算数 compared
    assert by_table["政府预算07"].counts == {"变动": 17, "新增": 1}


def test_fill_publishes_the_official_look_and_reads_back(tmp_path):
    result = budget_xl.fill(GOV_2023, tmp_path, force=True)
    assert result.workbook.name == "2023年大连市西岗区政府预算公开表.xlsx"
    back = budget_xl.read(result.workbook)
    original = budget_xl.read(GOV_2023)
    for code, table in original.tables.items():
        assert {r.key: r.amounts for r in back[code].rows} == {r.key: r.amounts for r in table.rows}, code
    rate = back["政府预算24"]["reception"].percents["rate"]
    assert (D("-5.6"), 1) in rate.readings()
    assert back.coverage.complete and {f.rule for f in check(back).findings if f.level == "error"} == {"ZF04-01", "ZF04-02"}
    wb = openpyxl.load_workbook(result.workbook)
    ws = wb["政府预算01"]
    assert ws["A2"].value == "2023年大连市西岗区一般公共预算收入表" and ws["A3"].value is None   # no department line
    assert ws["B6"].value == 102000 and ws["B6"].number_format == "#,##0"
    ws = wb["政府预算24"]
    assert ws["E7"].number_format == "0.0%" and abs(ws["E7"].value - (-0.056)) < 1e-9
    assert wb["政府预算04"]["A8"].value == "\u3000\u3000人大事务"   # a 款 of a table printed by name


def test_fill_derives_totals_and_percentages_left_blank(tmp_path):
    src = openpyxl.load_workbook(GOV_2024)
    ws = src["24“三公”经费预算"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "项目")
    for r in range(header + 1, header + 7):
        ws.cell(r, 4).value = None          # 增减额
        ws.cell(r, 5).value = None          # 增减率
    ws.cell(header + 1, 3).value = None     # 本年 合计
    src.save(tmp_path / "in.xlsx")
    result = budget_xl.fill(tmp_path / "in.xlsx", tmp_path / "out")
    t = result.disclosure["政府预算24"]
    assert t["total"].amounts["current"] == D(900) and t["total"].amounts["change"] == D(-50)
    assert t["reception"].amounts["change"] == D(-10) and t["reception"].percents["rate"].value == D("-5.9")
    assert t["car_purchase"].percents["rate"].value == D("-100.0")
    assert result.report.errors == 0


def test_bad_template_items_are_reported_clearly(tmp_path):
    base = (SAMPLES.parent / "templates" / "政府预算.yaml").read_text(encoding="utf-8")
    for old, new, message in [
        ("decimals: 0\n", "decimals: 3\n", "decimals 应为 0、1 或 2"),
        ("percent: {of: current - prior, over: prior}", "percent: {of: current - prior}", "percent: {of: 分子, over: 分母}"),
        ("percent: {of: current - prior, over: prior}", "percent: {of: current - last, over: prior}", "不存在的金额列 “last”"),
        ("rows: {kind: items, outline: true}", "rows: {kind: units, outline: true}", "outline 只用于"),
    ]:
        assert old in base
        path = tmp_path / "t.yaml"
        path.write_text(base.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(budget_xl.TemplateError, match=message):
            load_template(path)


def test_init_and_the_full_document_of_the_set(cli, tmp_path):
    out = cli("init", "政府预算", "--year", "2025", "--dept", "大连市西岗区", "-o", str(tmp_path / "空白.xlsx"))
    assert out.returncode == 0, out.stdout + out.stderr
    blank = budget_xl.read(tmp_path / "空白.xlsx")
    assert blank.kind == "政府预算" and check(blank).errors == 0
    result = budget_xl.fill(GOV_2024, tmp_path / "发布", full=True)
    assert result.document is not None and result.document.exists() and result.report.errors == 0
    assert budget_xl.narrate(GOV_2024, tmp_path / "说明.txt").placeholders == 3   # 主要原因, 绩效 facts
    text = (tmp_path / "说明.txt").read_text(encoding="utf-8")
    assert "“三公”经费预算较上年减少50.00万元，下降5.3%" in text


# --------------------------------------------------------------------------- 政府决算 (a variant)
def test_a_final_accounts_workbook_is_read_with_the_variant_and_its_completion_rates_checked(tmp_path):
    final = budget_xl.get_template("政府决算")
    assert final.extends == "政府预算" and final.kind == "政府决算"
    wb = new_workbook()
    income = [("一、一般公共预算收入合计", 100000, 101000, 102000, "101.0%"), ("(一) 税收收入", 80000, 81000, 82000, "101.2%"),
              ("增值税", 80000, 81000, 82000, "98.0%"),   # 82,000 / 81,000 is 101.2 %
              ("(二) 非税收入", 20000, 20000, 20000, "100.0%"), ("罚没收入", 20000, 20000, 20000, "100.0%"),
              ("收入总计", 100000, 101000, 102000, "101.0%")]
    write_table(wb.create_sheet("收入"), final.table("政府预算01"),
                [{"item": i, "budget": b, "adjusted": a, "amount": f, "completion": c, "growth": "增长5.2%"}
                 for i, b, a, f, c in income], unit="单位：万元")
    spending = [("一、一般公共预算支出合计", 100000, 101000, 102000, "101.0%"), ("教育支出", 100000, 101000, 102000, "101.0%"),
                ("支出总计", 100000, 101000, 102000, "101.0%")]
    write_table(wb.create_sheet("支出"), final.table("政府预算02"),
                [{"item": i, "budget": b, "adjusted": a, "amount": f, "completion": c} for i, b, a, f, c in spending],
                unit="单位：万元")
    wb.save(tmp_path / "决算.xlsx")
    d = budget_xl.read(tmp_path / "决算.xlsx")
    assert d.template.id == "政府决算" and d.kind == "政府决算"
    assert d["政府预算01"]["vat"].attrs["growth"] == "增长5.2%"     # 比上年增长%: read, not recomputable here
    report = check(d)
    errors = [f for f in report.findings if f.level == "error"]
    assert [(f.rule, str(f.cells[0]), f.expected) for f in errors] == [("百分比", "收入!E7", D("101.2"))]


# --------------------------------------------------------------------------- a district's folder
def test_check_folder_compares_the_district_with_its_departments(cli, tmp_path):
    """A folder with the 政府预算 and a department's 部门预算 of the same year: the 三公 the government
    budgets for the district against the sum of the departments' 三公 tables."""
    import json

    folder = tmp_path / "全区"
    folder.mkdir()
    shutil.copy(GOV_2023, folder / "政府预算.xlsx")
    shutil.copy(SAMPLES / "住建局" / "2023_部门预算.xlsx", folder / "住建局.xlsx")
    out = cli("check", str(folder), "--format", "json", "--jobs", "1")
    lines = {x["label"]: x for x in json.loads(out.stdout)["district"]}
    assert (lines["合计"]["government_amount"], lines["合计"]["departments_amount"]) == ("950.00", "6.60")
    assert lines["合计"]["status"] == "少于" and lines["合计"]["departments"] == 1
    assert lines["公务用车运行费"]["departments_amount"] == "6.60"
    text = cli("check", str(folder), "--jobs", "1").stdout
    assert "2023年“三公”经费合计：政府预算 950.00 万元，文件夹中 1 个部门合计 6.60 万元，少 943.40 万元" in text
    # a department budgeting more 三公 than the whole district is reported, and the folder fails
    dept = budget_xl.read(folder / "住建局.xlsx")
    code = next(c for c, spec in dept.template.tables.items() if spec.diff.sangong)
    cell = dept[code]["合计"].cell("total")
    wb = openpyxl.load_workbook(folder / "住建局.xlsx")
    wb[cell.sheet].cell(cell.row + 1, cell.col + 1).value = 20_000_000   # 2,000 万元
    wb.save(folder / "住建局.xlsx")
    out = cli("check", str(folder), "--format", "json", "--jobs", "1")
    lines = {x["label"]: x for x in json.loads(out.stdout)["district"]}
    assert lines["合计"]["status"] == "超出" and out.returncode == 1
    summary = cli("check", str(folder), "--jobs", "1", "--summary", str(tmp_path / "汇总.xlsx"))
    assert summary.returncode == 1 and "全区对照" in openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames


def test_the_sheets_of_the_seed_are_checked_against_its_tables(tmp_path):
    """The 说明 among the tables (check --narrative on the workbook itself): what they state of 2023 against
    the tables; their paragraphs about 2022 (“2022 年…预计情况如下”) are not this year's."""
    report = budget_xl.check(GOV_2023, narrative=GOV_2023)
    text = [(f.expected, f.actual) for f in report.findings if f.tables == ("情况说明",)]
    # 还本付息预算数 1,256 while the 政府性基金 table alone budgets 2,172 of 专项债务付息; the 2023 debt limit
    # 81,300 while the table titled 2023 prints 35,487 (2022's)
    assert sorted(text) == [(D("2172.00"), D(1256)), (D("35487.00"), D(81300))]
    # the 三公 and 转移支付 说明 agree with the tables; a changed figure in them is found
    lines = [line.replace("预算数 950 万元", "预算数 960 万元").replace("补助收入 100,294", "补助收入 100,924")
             for name in ("三公经费预算情况说明", "转移支付情况说明")
             for line in (SAMPLES / "data" / "2023_西岗区_政府预算" / "text" / f"{name}.txt")
             .read_text(encoding="utf-8").splitlines()]
    (tmp_path / "说明.txt").write_text("\n".join(lines), encoding="utf-8")
    changed = budget_xl.check(GOV_2023, narrative=tmp_path / "说明.txt")
    assert sorted((f.expected, f.actual) for f in changed.findings if f.tables == ("情况说明",) and f.level == "error") \
        == [(D("950.00"), D(960)), (D("100294.00"), D(100924))]
