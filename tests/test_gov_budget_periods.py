"""政府预算 in the multi-period layout (templates/政府预算-对比.yaml): 上年执行数 / 本年预算数 / 增长%, the
years printed in the headers (“2023年执行数”, “2024年预算数”), and a header's year telling 上年 from 本年
(reader/locate.py) so that a “2023年预算数” column is never read as the 2024 budget."""
from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

import budget_xl
from budget_xl import check

# 收入 and 支出 of one county, 2023 执行数 and 2024 预算数 (万元, whole), consistent: 收入总计 = 支出总计.
INCOME = [("一、一般公共预算收入合计", 180, 188), ("(一) 税收收入", 150, 155), ("增值税", 100, 110),
          ("企业所得税", 50, 45), ("(二) 非税收入", 30, 33), ("行政事业性收费收入", 30, 33),
          ("二、上级补助收入", 70, 80), ("收入总计", 250, 268)]
EXPENSE = [("一、一般公共预算支出合计", 180, 188), ("一般公共服务支出", 120, 130), ("教育支出", 60, 58),
           ("二、上解上级支出", 70, 80), ("支出总计", 250, 268)]


def growth(prior: int, now: int) -> float:
    return float((D(now - prior) / D(prior) * 100).quantize(D("0.1"), rounding="ROUND_HALF_UP"))


def write(ws, title: str, side: str, rows, headers: list[str], *, budget_2023: bool = False) -> None:
    ws.append([title])
    ws.append([None] * (len(headers) - 1) + ["单位：万元"])
    ws.append([side] + [None] * (len(headers) - 1))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(headers))
    ws.append(headers)
    for label, prior, now in rows:
        line: list = [label]
        if budget_2023:
            line.append(prior * 9 // 10)    # the 2023 budget, under its 执行数 (every amount a multiple of 10)
        line += [prior, now, growth(prior, now)]
        ws.append(line)


def workbook(path, *, budget_2023: bool = False):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    heads = ["项目"] + (["2023年预算数"] if budget_2023 else []) + ["2023年执行数", "2024年预算数", "增长%"]
    write(wb.create_sheet("收入"), "2024年某县一般公共预算收入表", "收入", INCOME, heads, budget_2023=budget_2023)
    write(wb.create_sheet("支出"), "2024年某县一般公共预算支出表", "支出", EXPENSE, heads, budget_2023=budget_2023)
    wb.save(path)
    return path


@pytest.mark.parametrize("budget_2023", [False, True])
def test_the_multi_period_layout_is_read_by_its_variant_column_by_year(tmp_path, budget_2023):
    d = budget_xl.read(workbook(tmp_path / "县.xlsx", budget_2023=budget_2023))
    assert d.template.id == "政府预算-对比" and d.year == 2024
    income = d.tables["政府预算01"]
    vat = next(r for r in income.rows if r.label.endswith("增值税"))
    # 2024年预算数 is the amount, 2023年执行数 the 上年执行数 — and 2023年预算数 (when printed) is 上年预算数,
    # never taken for the 2024 budget although both say “预算数”
    assert (vat.amounts["amount"], vat.amounts["prior_actual"]) == (D(110), D(100))
    assert vat.amounts.get("prior_budget") == (D(90) if budget_2023 else None)
    assert d.coverage.complete
    report = check(d)
    assert [f for f in report.findings if f.level == "error"] == []


def test_a_wrong_growth_is_found_at_its_cell(tmp_path):
    path = workbook(tmp_path / "县.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["收入"]
    assert ws["A8"].value == "企业所得税" and ws["D8"].value == -10.0
    ws["D8"] = -1.0            # (45 − 50) ÷ 50 = −10.0 %
    wb.save(path)
    errors = [f for f in check(budget_xl.read(path)).findings if f.level == "error"]
    assert [str(c) for f in errors for c in f.cells[:1]] == ["收入!D8"]


def test_a_single_period_table_with_years_still_reads_its_budget(tmp_path):
    """“2024年预算数” alone: the 政府预算 layout; a 上年 column never takes a column dated 本年."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收入"
    ws.append(["2024年某县一般公共预算收入表"])
    ws.append([None, "单位：万元"])
    ws.append(["收入", None])
    ws.merge_cells("A3:B3")
    ws.append(["项目", "2024年预算数"])
    for label, _, now in INCOME:
        ws.append([label, now])
    wb.save(tmp_path / "县.xlsx")
    d = budget_xl.read(tmp_path / "县.xlsx")
    assert d.template.id == "政府预算"
    total = d.tables["政府预算01"].row("grand")
    assert total is not None and total.amounts["amount"] == D(268)


def test_fill_publishes_the_columns_the_department_prints(tmp_path):
    """The variant's alternative columns (比上年预算数增长%, 预算数为上年执行数的%) are not added to a
    table that prints only 增长%: the published header is the workbook's, its 增长% kept as read."""
    result = budget_xl.fill(workbook(tmp_path / "县.xlsx"), tmp_path / "发布", force=True)
    ws = openpyxl.load_workbook(result.workbook).worksheets[0]
    header = next(row for row in ws.iter_rows(values_only=True) if row and row[0] == "项目")
    assert header == ("项目", "上年执行数", "本年预算数", "增长%")
    assert result.filled == []
    back = budget_xl.read(result.workbook)
    assert back.template.id == "政府预算-对比" and back.coverage.complete
