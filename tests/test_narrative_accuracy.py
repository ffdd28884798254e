"""The narrative check is accurate: what a number is (年初预算, 调整预算, 决算数, 完成…的%, 占比) is
told from its words; sums of 万元 amounts get their rounding envelope; every percentage is checked;
one wrong statement is one finding; project statements are checked against the 项目支出表. No
false error on the shipped narratives, and all their real mistakes found."""
from decimal import Decimal as D

import openpyxl
from conftest import BUDGET_2023, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED, NARRATIVES

from budget_xl import check

SEED_000 = NARRATIVES / "2024_住建局_部门预算_情况说明_公开版.txt"
SEED_002 = NARRATIVES / "2024_政府办_部门决算_情况说明_公开版.txt"


def narrative(workbook, tmp_path, *lines, **options):
    """The findings on a few lines of narrative, but for the items of a section the lines leave out."""
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return [f for f in check(workbook, narrative=path, **options).findings
            if f.tables == ("情况说明",) and "没有写到" not in f.message]


def seen(findings, level=None):
    return [(f.level, f.rule_id, f.message) for f in findings if level is None or f.level == level]


# --------------------------------------------------------------------------- the shipped narratives
def test_seed_000_every_real_mistake_once_and_the_project_statement():
    findings = [f for f in check(BUDGET_2024_FIXED, narrative=SEED_000, prior=BUDGET_2023).findings
                if f.tables == ("情况说明",)]
    errors = [f for f in findings if f.level == "error"]
    # 财政拨款收入 “增加 882.14” is contradicted by the tables and by the 支出 sentence: one finding,
    # both reasons
    change = [f for f in errors if "882.14" in f.message]
    assert len(change) == 1 and "按两年表格应为减少 6659.75 万元" in change[0].message
    assert "自相矛盾" in change[0].message and "11863.39" in change[0].message
    assert not [f for f in errors if f.rule_id == "text-self" and "882.14" not in f.message and "自相矛盾" in f.message]
    # 盛阳山庄: “资金来源为一般公共预算”, but 附表12 has its 824.00 万元 under 财政专户管理资金
    project = [f for f in errors if "盛阳山庄" in f.message]
    assert len(project) == 1 and "财政专户管理资金 824.00 万元" in project[0].message
    assert [str(c) for c in project[0].cells] == ["附表12!C24", "附表12!E24"]
    # 更新锅炉房拆炉并网资金补助: 323.70 万元 from 一般公共预算, as 附表12 says (a sentence broken over
    # two lines in the dump): nothing
    assert not [f for f in findings if "锅炉" in f.message]
    assert len(errors) == 3   # + the 机关运行经费 rate 13.76 % (13.79 %)
    assert all("=  " not in f.message and "为 。" not in f.message for f in findings)


def test_seed_002_nothing_false_and_every_percentage_checked():
    findings = [f for f in check(FINAL_2024, narrative=SEED_002).findings if f.tables == ("情况说明",)]
    errors = seen(findings, "error")
    # 住房保障支出（类）90.63 (tables 90.43); its “占13.4%” follows from the 90.63 written: no second finding
    assert len([e for e in errors if "90.63" in e[2]]) == 1 and len(errors) == 2
    assert any("增长下降" in e[2] for e in errors)
    assert not [f for f in findings if f.level == "warning"]


# --------------------------------------------------------------------------- roles
HEAD = ["五、一般公共预算财政拨款支出决算情况说明", "（三）一般公共预算财政拨款支出决算具体情况"]


def test_budget_adjusted_and_final_roles(tmp_path):
    ok = narrative(FINAL_2024_FIXED, tmp_path, *HEAD,
                   "本部门2024年度一般公共预算财政拨款支出年初预算685.60万元，调整预算700.00万元，"
                   "支出决算677.92万元，完成年初预算的98.9%，完成调整预算的96.8%。")
    assert seen(ok) == []   # 685.60 is the 年初预算, not the expenditure; 677.92 / 700.00 = 96.85 %
    wrong = narrative(FINAL_2024_FIXED, tmp_path, *HEAD,
                      "本部门2024年度一般公共预算财政拨款支出全年预算数为700.00万元，决算数为677.92万元，"
                      "完成全年预算的90.0%。")
    assert [(f.level, f.expected, f.actual) for f in wrong] == [("error", D("96.8"), D("90.0"))]
    assert "完成调整预算的比例" in wrong[0].message


def test_a_budget_narrative_states_its_amounts_as_预算为(tmp_path):
    """In a 部门预算's narrative “预算为” is the amount itself, checked against the tables."""
    lines = ["三、财政拨款收支预算情况", "2024年财政拨款支出预算为5203.65万元。"]
    assert seen(narrative(BUDGET_2024_FIXED, tmp_path, *lines)) == []
    lines[1] = "2024年财政拨款支出预算为5300.00万元。"
    found = narrative(BUDGET_2024_FIXED, tmp_path, *lines)
    assert [(f.level, f.expected, f.actual) for f in found] == [("error", D("5203.65"), D("5300.00"))]


# --------------------------------------------------------------------------- percentages
def test_a_percentage_next_to_a_wrong_amount_is_still_checked(tmp_path):
    head = ["五、一般公共预算财政拨款支出决算情况说明", "（二）一般公共预算财政拨款支出决算结构情况"]
    consistent = narrative(FINAL_2024_FIXED, tmp_path, *head, "住房保障支出（类）90.63万元，占13.4%。")
    assert [f.rule_id for f in consistent] == ["text-table"] and "90.63" in consistent[0].message
    both = narrative(FINAL_2024_FIXED, tmp_path, *head, "住房保障支出（类）90.63万元，占0%。")
    assert [(f.expected, f.actual) for f in both] == [(D("90.43"), D("90.63")), (D("13"), D("0"))]


# --------------------------------------------------------------------------- rounding envelope
def test_a_sum_of_printed_amounts_gets_the_rounding_envelope(tmp_path):
    """财政拨款收入 is 财决公开01 rows 一般公共预算 + 政府性基金 + 国有资本经营. With two of them printed
    (600.00 + 77.92), the text may state the rounded exact total printed elsewhere (677.93): a cent off
    their sum is 尾数误差, more is an error."""
    wb = openpyxl.load_workbook(FINAL_2024_FIXED)
    ws = wb["财决公开01表"]
    rows = {str(ws.cell(r, 1).value or "").strip(): r for r in range(1, ws.max_row + 1)}
    gpb = next(r for label, r in rows.items() if label.startswith("一、一般公共预算"))
    gf = next(r for label, r in rows.items() if label.startswith("二、政府性基金"))
    ws.cell(gpb, 3).value, ws.cell(gf, 3).value = 600.00, 77.92
    path = tmp_path / "两项.xlsx"
    wb.save(path)
    head = ["二、收入决算情况说明"]
    assert seen(narrative(path, tmp_path, *head, "本年收入合计677.92万元，其中：财政拨款收入677.92万元，占100%。")) == []
    near = narrative(path, tmp_path, *head, "本年收入合计677.92万元，其中：财政拨款收入677.93万元，占100%。")
    assert [(f.level, f.rule_id) for f in near] == [("rounding", "text-rounding")] and "2 个万元数之和" in near[0].message
    far = narrative(path, tmp_path, *head, "本年收入合计677.92万元，其中：财政拨款收入677.95万元，占100%。")
    assert [(f.level, f.expected, f.actual) for f in far] == [("error", D("677.92"), D("677.95"))]


# --------------------------------------------------------------------------- projects
PROJECT = ["四、其他重要事项的情况说明", "（一）既有住宅加装电梯居民补助资金"]


def test_project_amount_and_fund_sources(tmp_path):
    """附表12: 既有住宅加装电梯居民补助资金 873.50 万元 = 一般公共预算 558.00 + 财政专户管理资金 315.50."""
    right = "2024年拟安排该项目资金873.50万元，其中一般公共预算558.00万元，财政专户管理资金315.50万元。"
    assert seen(narrative(BUDGET_2024_FIXED, tmp_path, *PROJECT, right)) == []
    part = narrative(BUDGET_2024_FIXED, tmp_path, *PROJECT, "2024年拟安排该项目资金873.50万元，资金来源为一般公共预算。")
    assert [f.level for f in part] == ["warning"] and "财政专户管理资金 315.50 万元" in part[0].message
    amount = narrative(BUDGET_2024_FIXED, tmp_path, *PROJECT, "2024年拟安排该项目资金900.00万元。")
    assert [f.level for f in amount] == ["error"] and "873.50" in amount[0].message
    # named in the sentence itself, outside its heading
    named = narrative(BUDGET_2024_FIXED, tmp_path, "四、其他重要事项的情况说明",
                      "专项债利息安排2660.00万元，资金来源为一般公共预算。")
    assert [f.level for f in named] == ["error"] and "政府性基金预算 2,660.00 万元" in named[0].message
