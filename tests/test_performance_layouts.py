"""Forms as clerks lay them out and as provinces print them: the form reader takes labels wherever
they sit, values beside, below or after a colon, several forms on a sheet, the national and Sichuan
自评表 with their money matrices; bad input gets a note or one sentence, never a traceback."""
from decimal import Decimal

import openpyxl
import pytest
from form_factory import EVAL_FIELDS, EVAL_ROWS, TARGET_FIELDS, TARGET_ROWS, form, write_forms

import budget_xl
from budget_xl.errors import InputError
from budget_xl.rules.performance import check_forms
from budget_xl.templates.form_builder import load_form_set

D = Decimal


def rules(findings, level="error"):
    return sorted((f.rule_id, str(f.cells[0]) if f.cells else "") for f in findings if f.level == level)


def test_labels_with_values_after_a_colon_and_several_forms_on_a_sheet(tmp_path):
    a = form("绩效-辽宁", "项目绩效目标", TARGET_FIELDS, TARGET_ROWS)
    b = form("绩效-辽宁", "项目绩效目标", {**TARGET_FIELDS, "project": "21020324T000000000002-第二个项目", "total": 90}, TARGET_ROWS)
    path = write_forms(tmp_path / "x.xlsx", {"项目": [a, b]}, inline=True)
    assert openpyxl.load_workbook(path)["项目"]["A5"].value == "项目总额（万元）：100"
    book = budget_xl.read_performance(path)
    assert [(f.name, f.number("total"), f.number("fiscal"), f.number("special")) for f in book.forms] == [
        ("测试项目", D(100), D(60), D(40)), ("第二个项目", D(90), D(60), D(40))]
    findings = check_forms(book)
    # the second form's total (90 for 60 + 40), first of the cells, in its label's cell (one identity alone
    # cannot tell the total from a source: none is blamed)
    assert rules(findings) == [("JX01-01", "项目!A19")]
    assert next(f for f in findings if f.level == "error").expected == D(100)


def test_national_self_evaluation_with_its_money_matrix(tmp_path):
    fields = {"project": "测试项目", "dept": "某部", "unit": "某单位", "total.initial": 10, "total.budget": 8, "total.exec": 6,
              "fiscal.initial": 10, "fiscal.budget": 8, "fiscal.exec": 6, "carry.budget": 0, "other.budget": 0,
              "total.weight": 10, "total.rate": "75%", "total.score": 7.5, "goal": "完成", "done": "完成", "grade": "优"}
    rows = [["产出指标", "数量指标", "完成户数", "200户", "200户", 50, 50],
            ["效益指标", "社会效益指标", "群众受益", "显著", "部分达成", 30, 30],
            ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", 10, 10]]
    spec, data = form("绩效-全国", "项目绩效自评", fields, rows, totals={"weight": 100, "score": 97.5})
    book = budget_xl.read_performance(write_forms(tmp_path / "n.xlsx", {"自评": [(spec, data)]}))
    f = book.forms[0]
    assert f.spec.set_id == "绩效-全国"      # chosen by the labels it shows, over the 辽宁 template of the same title
    assert (f.number("total.budget"), f.number("total.rate"), f.number("total.score")) == (D(8), D(75), D("7.5"))
    findings = check_forms(book)
    assert rules(findings) == []
    # “部分达成” scored full marks: outside its band (60%–80% of 30)
    assert rules(findings, "warning") == [("perf-qualitative", "自评!H13")]


@pytest.mark.parametrize("change, expected", [
    ({"total.rate": "80%"}, [("QJX01-02", "自评!H5")]),        # 6 / 8 = 75%
    # 10 for 10 × 75% = 7.5, and 总分 97.5 no longer 10 + 90 (a sum alone cannot tell which term: its first cell)
    ({"total.score": 10}, [("QJX01-03", "自评!I5"), ("QJX01-07", "自评!H13")]),
    ({"grade": "良"}, [("QJX01-09", "自评!C14")]),               # 总分 97.5 → 优
    ({"fiscal.budget": 7}, [("QJX01-01", "自评!E5")]),          # 年度资金总额 8 ≠ 7 + 0 + 0
])
def test_national_identities_each_named_at_their_cell(tmp_path, change, expected):
    fields = {"project": "测试项目", "total.initial": 10, "total.budget": 8, "total.exec": 6, "fiscal.initial": 10,
              "fiscal.budget": 8, "fiscal.exec": 6, "total.weight": 10, "total.rate": "75%", "total.score": 7.5,
              "goal": "完成", "done": "完成", "grade": "优", **change}
    rows = [["产出指标", "数量指标", "完成户数", "200户", "200户", 90, 90]]
    spec, data = form("绩效-全国", "项目绩效自评", fields, rows, totals={"weight": 100, "score": 97.5})
    findings = check_forms(budget_xl.read_performance(write_forms(tmp_path / "n.xlsx", {"自评": [(spec, data)]})))
    assert rules(findings) == expected


def test_sichuan_self_evaluation_rates_per_source(tmp_path):
    fields = {"project": "51000021R000000019951-工资性支出", "dept": "某县发展和改革局", "unit": "某县发展和改革局",
              "total.initial": 238.93, "total.budget": 251.89, "total.exec": 251.89, "total.rate": "100.00%",
              "total.weight": 10, "total.score": 10, "fiscal.initial": 238.93, "fiscal.budget": 251.89,
              "fiscal.exec": 251.89, "fiscal.rate": "99.00%", "special.initial": 0, "special.budget": 0, "special.exec": 0,
              "special.rate": "0.00%", "own.initial": 0, "own.budget": 0, "own.exec": 0, "own.rate": "0.00%"}
    rows = [["产出指标", "数量指标", "发放覆盖率", "=", 100, "%", "100%", 60, 60],
            ["效益指标", "社会效益指标", "足额保障率", "=", 100, "%", "100%", 30, 30]]
    spec, data = form("绩效-四川", "项目绩效自评", fields, rows, totals={"weight": 100, "score": 100},
                      title="部门预算项目支出绩效自评表（2023年度）")
    book = budget_xl.read_performance(write_forms(tmp_path / "s.xlsx", {"自评": [(spec, data)]}))
    assert book.forms[0].spec.set_id == "绩效-四川"
    # 财政资金 executes 251.89 of 251.89: 100.00%, not 99.00%; the 0 of 0 sources are not judged
    assert rules(check_forms(book)) == [("SCJX-02", "自评!H8")]


def test_a_form_without_its_money_block_or_grid_is_named_and_the_rest_checked(tmp_path):
    spec, data = form("绩效-辽宁", "项目绩效目标", TARGET_FIELDS, [])
    money = {"total", "fiscal", "special", "own", "social", "loan"}
    path = write_forms(tmp_path / "m.xlsx", {"表": [(spec, data)]}, drop=money)
    ws = openpyxl.load_workbook(path)["表"]
    ws.delete_rows(5, 3)          # no 资金 rows at all
    path2 = tmp_path / "m2.xlsx"
    ws.parent.save(path2)
    findings = check_forms(budget_xl.read_performance(path2))
    missing = [f.message for f in findings if f.rule_id == "perf-missing"]
    assert len(missing) == 2 and "没有资金块" in missing[0] and "没有指标表" in missing[1]
    assert "工作表“表”" in missing[0]


def test_scores_written_as_text_are_read_with_a_note(tmp_path):
    rows = [list(r) for r in EVAL_ROWS]
    rows[1][7], rows[1][8] = "40分", "40分"
    spec, data = form("绩效-辽宁", "项目绩效自评", EVAL_FIELDS, rows, totals={"weight": 100, "score": 97.5})
    book = budget_xl.read_performance(write_forms(tmp_path / "t.xlsx", {"自评": [(spec, data)]}))
    assert book.forms[0].indicators[1].number("score") == D(40)
    findings = check_forms(book)
    notes = [f for f in findings if f.level == "note"]
    assert len(notes) == 2 and "写成了文字“40分”" in notes[0].message
    assert rules(findings) == []


@pytest.mark.parametrize("mutation, rule", [
    ({"score": (3, 8, 25)}, "JX03-06"),                      # 满意度 scores 25 of its 20
    ({"score": (1, 8, 30)}, "JX03-05"),                      # a score changed: 总分 no longer its sum
    ({"weight": (2, 7, 20)}, "JX03-03"),                     # a weight changed: 总计 weight no longer its sum
])
def test_self_evaluation_score_identities(tmp_path, mutation, rule):
    rows = [list(r) for r in EVAL_ROWS]
    for _, (i, j, v) in mutation.items():
        rows[i][j] = v
    spec, data = form("绩效-辽宁", "项目绩效自评", EVAL_FIELDS, rows, totals={"weight": 100, "score": 97.5})
    findings = check_forms(budget_xl.read_performance(write_forms(tmp_path / "e.xlsx", {"自评": [(spec, data)]})))
    assert rule in {r for f in findings if f.level == "error" for r in (f.rule_id, *f.also)}


def test_soft_rules_missed_target_full_marks_zero_execution_top_grade_unit_slip(tmp_path):
    rows = [["共性指标", "预算管理", "预算执行率", "=", 100, "%", "0%", 10, 0],
            ["产出指标", "数量指标", "完成户数", "≥", 200, "户", "150户", 40, 40],
            ["", "质量指标", "合格率", "=", 100, "%", "100%", 30, 30],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", 90, "%", "95%", 20, 20]]
    fields = {**EVAL_FIELDS, "total.exec": 0, "grade": "优"}
    spec, data = form("绩效-辽宁", "项目绩效自评", fields, rows, totals={"weight": 100, "score": 90})
    findings = check_forms(budget_xl.read_performance(write_forms(tmp_path / "s.xlsx", {"自评": [(spec, data)]})))
    warnings = {f.rule_id for f in findings if f.level == "warning"}
    assert {"perf-missed-full", "perf-zero-grade", "perf-deviation"} <= warnings
    target_rows = [list(r) for r in TARGET_ROWS]
    target_rows[2][4] = 1000000            # 按预算执行 ≤ 1,000,000 万元 for a project of 100 万元: 元 written as 万元
    spec, data = form("绩效-辽宁", "项目绩效目标", TARGET_FIELDS, target_rows)
    findings = check_forms(budget_xl.read_performance(write_forms(tmp_path / "u.xlsx", {"目标": [(spec, data)]})))
    assert [f.rule_id for f in findings if f.level == "warning"] == ["perf-unit-slip"]


def test_a_province_banded_execution_score_is_template_data(tmp_path):
    text = (load_form_set.__globals__["performance_dir"]() / "绩效-辽宁.yaml").read_text(encoding="utf-8")
    text = text.replace("id: 绩效-辽宁", "id: 绩效-某省").replace("default: true", "default: false").replace(
        "exec_score: {score: exec_score, weight: exec_weight, rate: exec_rate}",
        "exec_score: {score: exec_score, weight: exec_weight, rate: exec_rate, bands: [[90, 100], [60, 60], [0, 0]]}")
    custom = tmp_path / "绩效-某省.yaml"
    custom.write_text(text, encoding="utf-8")
    rows = [list(r) for r in EVAL_ROWS]       # 执行率 75%: the band of 60% of the 分值, not 7.5
    spec, data = form("绩效-辽宁", "项目绩效自评", EVAL_FIELDS, rows, totals={"weight": 100, "score": 97.5})
    path = write_forms(tmp_path / "b.xlsx", {"自评": [(spec, data)]})
    findings = check_forms(budget_xl.read_performance(path, custom))
    bad = [f for f in findings if f.rule_id == "JX03-02"]
    assert len(bad) == 1 and bad[0].expected == D(6) and str(bad[0].cells[0]) == "自评!I10"


def test_a_workbook_without_forms_is_one_sentence(tmp_path, cli):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "年度绩效目标表"        # a title and nothing of a form
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match="没有找到任何绩效表"):
        budget_xl.read_performance(tmp_path / "empty.xlsx")
    out = cli("check", "x.xlsx", "--performance", tmp_path / "empty.xlsx")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_a_template_mistake_names_the_file_and_the_place(tmp_path):
    from budget_xl.errors import TemplateError

    bad = tmp_path / "坏.yaml"
    bad.write_text("id: 坏\nforms:\n  - {id: a, kind: 项目绩效目标, title: 表, fields: [{id: t, label: 总额, type: amount}],\n"
                   "     identities: [{id: X, text: x, expr: \"t = nothing\"}], print: {widths: [1], head: []}}\n",
                   encoding="utf-8")
    with pytest.raises(TemplateError, match="坏.yaml（表 a，公式 X）：“nothing” 不是本表的字段"):
        load_form_set(bad)
