"""The 绩效 forms of the seeds (000: 25 年度绩效目标表 + 2 部门整体; 002: 自评表; 004: 部门整体 + 购买服务):
read to the cent, and checked — each real mistake found at its cell, nothing that holds reported."""
from decimal import Decimal

import pytest
from conftest import BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, NARRATIVES, SAMPLES, ZHENGFUBAN, ZHUJIANJU

import budget_xl
from budget_xl.narrative.verify import read_narrative
from budget_xl.rules.performance import check_forms

D = Decimal
TARGETS = ZHUJIANJU / "2024_绩效目标表.xlsx"
EVALS = ZHENGFUBAN / "2024_绩效自评表.xlsx"
RENEWAL = SAMPLES / "城市更新中心" / "2024_部门整体绩效目标.xlsx"
NARRATIVE_000 = NARRATIVES / "2024_住建局_部门预算_情况说明_公开版.txt"
NARRATIVE_002 = NARRATIVES / "2024_政府办_部门决算_情况说明_公开版.txt"


def found(findings, *levels):
    return sorted((f.level, f.rule_id, str(f.cells[0]) if f.cells else "") for f in findings if f.level in levels)


# --------------------------------------------------------------------------- reading
def test_seed_000_forms_are_read_with_their_amounts_weights_and_tree():
    book = budget_xl.read_performance(TARGETS)
    assert len(book.forms) == 27 and book.year == 2024 and book.department == "145-大连市西岗区住房和城乡建设局"
    projects = book.of_kind("项目绩效目标")
    depts = book.of_kind("部门整体绩效目标")
    assert len(projects) == 25 and len(depts) == 2
    assert sum(f.number("total") for f in projects) == D("6195.58")       # the narrative's 预算金额
    by_unit = {}
    for f in projects:
        by_unit[f.unit_code] = by_unit.get(f.unit_code, D(0)) + f.number("total")
    assert by_unit == {"145002": D("436.05"), "145001": D("5759.53")}       # = each 部门整体 项目支出
    lift = next(f for f in projects if f.name == "既有住宅加装电梯居民补助资金")
    assert (lift.code, lift.number("fiscal"), lift.number("special")) == ("21020324T000000395885", D("558"), D("315.5"))
    assert str(lift.fields["total"].cell) == "住建局本级!C296"
    center = depts[0]
    assert (center.name, center.number("total"), center.number("basic"), center.number("project"),
            center.number("staff")) == ("大连市西岗区住房城市建设事务服务中心", D("861.03"), D("424.98"), D("436.05"), D(20))
    assert center.fields["other"].text == "" and len(center.tasks) == 3 and len(center.indicators) == 43
    first = projects[0]
    assert [(i.level1, i.level2, i.level3, i.number("weight")) for i in first.indicators] == [
        ("产出指标", "质量指标", "完成率", D(20)), ("产出指标", "时效指标", "完成时间", D(40)),
        ("满意度指标", "服务对象满意度指标", "群众满意程度", D(20)), ("成本指标", "经济成本指标", "按预算执行", D(10))]
    audit = next(f for f in projects if f.name == "西城花木公司审计费")
    assert [i.path for i in audit.indicators] == ["产出指标/数量指标/出具审计报告", "产出指标/时效指标/完成时间"]  # 一级 carried down
    assert book.coverage.complete


def test_seed_002_self_evaluations_are_read():
    book = budget_xl.read_performance(EVALS)
    assert [f.kind for f in book.forms] == ["部门整体绩效自评", "项目绩效自评", "项目绩效自评"]
    dept, p1, p2 = book.forms
    assert dept.name == "区政府办" and len(dept.indicators) == 10 and dept.indicators[0].text("actual") == "800份"
    assert [p1.number(f) for f in ("total.initial", "total.budget", "total.exec", "exec_rate", "exec_weight", "exec_score")] \
        == [D("23.3"), D("6.83"), D("6.83"), D(100), D(10), D(10)]
    assert (p1.totals["weight"].number, p1.totals["score"].number) == (D(100), D(100))
    assert p2.name == "政府值班室相关费用" and len(p2.indicators) == 8 and book.year == 2024


def test_seed_004_forms_are_read():
    book = budget_xl.read_performance(RENEWAL)
    dept = book.forms[0]
    assert (dept.number("total"), dept.number("fiscal"), dept.number("basic"), dept.number("project")) == (
        D("65495.31"), D("65459.31"), D("478.36"), D("65016.95"))
    assert len(dept.tasks) == 6 and len(book.of_kind("购买服务绩效目标")) == 6
    assert [f.number("total") for f in book.of_kind("购买服务绩效目标")] == [D(200), D(5300), D(39200), D(18000), D(200), D(140)]


def test_frames_give_one_row_per_form_and_per_indicator():
    book = budget_xl.read_performance(EVALS)
    projects, indicators = book.to_frame()
    assert len(projects) == 3 and len(indicators) == sum(len(f.indicators) for f in book.forms)
    assert projects.loc[1, "total.budget"] == D("6.83") and projects.loc[1, "totals.score"] == D(100)
    row = indicators[(indicators.form == 2) & (indicators.level3 == "预算执行率")].iloc[0]
    assert (row["weight"], row["score"], row["actual"], row["cell"]) == (D(10), D(10), "100%", "项目支出绩效自评表!C11")


# --------------------------------------------------------------------------- the real mistakes
def test_seed_000_alone_its_weight_sums_and_two_odd_cells():
    findings = check_forms(budget_xl.read_performance(TARGETS))
    # 质量检测监管平台维护费 weighs 20 + 40 + 10 = 70 (+ 10 for 执行率 = 80); 天源秀景小区 80 (+ 10 = 90)
    assert found(findings, "error") == [("error", "JX01-02", "住建中心!H100"), ("error", "JX01-02", "住建局本级!H254")]
    errors = [f for f in findings if f.level == "error"]
    assert [(f.actual, f.expected) for f in errors] == [(D(80), D(100)), (D(90), D(100))]
    # 12月31日 written in the 本年权重 column; a description written in the 指标性质 column
    assert found(findings, "warning") == [("warning", "perf-nature", "住建局本级!D113"), ("warning", "read", "住建局本级!I302")]


def test_seed_000_against_its_corrected_tables_and_narrative():
    d = budget_xl.read(BUDGET_2024_FIXED)
    findings = check_forms(budget_xl.read_performance(TARGETS), d, read_narrative(NARRATIVE_000, d))
    errors = [f for f in findings if f.level == "error"]
    assert found(findings, "error") == [("error", "JX01-02", "住建中心!H100"), ("error", "JX01-02", "住建局本级!H254"),
                                        ("error", "perf-dept", "住建局本级!E8")]
    # the 本级 部门整体 form counts the 2,047.50 万元 of 财政专户管理资金 as 财政拨款 (附表2: 4,342.62)
    dept = next(f for f in errors if f.rule_id == "perf-dept")
    assert "4,342.62" in dept.message and "财政拨款 6,390.13" in dept.message
    # 25 项目, 6195.58 万元, 100% of 项目支出: as the narrative says; names that differ from 附表12 are warnings
    assert not [f for f in findings if f.rule_id == "perf-text"]
    names = [f for f in findings if f.rule_id == "perf-name"]
    assert sorted(str(f.cells[1]) for f in names) == ["附表12!C26", "附表12!C29", "附表12!C31"]
    # 部门整体 totals a cent off the 元 tables (630.60 for 630.59 …): rounding, never an error
    rounding = [f for f in findings if f.level == "rounding"]
    assert len(rounding) == 5 and all(f.rule_id == "perf-dept" for f in rounding)


def test_seed_000_against_the_published_tables_finds_the_misplaced_column_again():
    d = budget_xl.read(BUDGET_2024)
    findings = check_forms(budget_xl.read_performance(TARGETS), d)
    money = found([f for f in findings if f.rule_id == "perf-money"], "error")
    # 附表12 prints the 财政专户 amounts of these three projects under 国有资本经营预算
    assert money == [("error", "perf-money", "住建局本级!C221"), ("error", "perf-money", "住建局本级!C297"),
                     ("error", "perf-money", "住建局本级!C312")]
    blocked = [f.message for f in findings if f.rule_id == "cannot-check"]
    assert any("财政专户管理资金" in m for m in blocked) and any("附表3" in m for m in blocked)


def test_seed_002_has_no_error_only_rounding():
    d = budget_xl.read(FINAL_2024)
    findings = check_forms(budget_xl.read_performance(EVALS), d, read_narrative(NARRATIVE_002, d))
    assert not [f for f in findings if f.level in ("error", "warning")]
    # 涉及资金 15.67 万元 = 财决公开03 项目支出 15.67; the forms' 6.83 + 8.83 = 15.66: 尾数
    assert sorted(f.rule_id for f in findings) == ["perf-sum", "perf-text"]


def test_seed_004_the_36_gap_is_blamed_on_the_transposed_digits():
    findings = check_forms(budget_xl.read_performance(RENEWAL))
    assert len(findings) == 1
    f = findings[0]
    assert (f.level, f.rule_id, str(f.cells[0]), f.expected, f.actual) == (
        "error", "JX02-01", "部门整体绩效目标申报表!E8", D("65495.31"), D("65459.31"))
    assert f.blamed and "两位数字颠倒" in f.message


@pytest.mark.parametrize("path", [TARGETS, EVALS, RENEWAL], ids=lambda p: p.stem)
def test_the_command_checks_a_workbook_of_forms(cli, path):
    out = cli("check", path, "--format", "json")
    import json

    data = json.loads(out.stdout)
    assert data["kind"] == "绩效表" and data["forms"] == len(budget_xl.read_performance(path).forms)
    assert out.returncode == (1 if data["summary"]["errors"] else 0)
