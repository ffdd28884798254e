"""Mutation test of the 绩效 checks on the seed samples: single changes to amounts, 分值 and 得分 (the
slips of benchmarks/perf_mutation.py) are detected. The full run, with every slip and the seeds'
tables and narratives, is benchmarks/bench_performance.py; this one keeps to three slips per cell."""
import sys

from conftest import FINAL_2024, NARRATIVES, ROOT, SAMPLES, ZHENGFUBAN, ZHUJIANJU

import budget_xl
from budget_xl.narrative.verify import read_narrative
from budget_xl.rules.performance import check_forms

sys.path.insert(0, str(ROOT / "benchmarks"))
from perf_mutation import OPS, mutate

SLIPS = {k: OPS[k] for k in ("加1", "乘10", "数字颠倒")}


def test_seed_000_targets_every_slip_detected_and_named():
    book = budget_xl.read_performance(ZHUJIANJU / "2024_绩效目标表.xlsx")
    out = mutate(book, lambda: check_forms(book), SLIPS)
    assert out.changes > 500 and out.missed == [] and out.named == out.changes


def test_seed_002_self_evaluations_all_but_the_year_start_budget():
    d = budget_xl.read(FINAL_2024)
    lines = read_narrative(NARRATIVES / "2024_政府办_部门决算_情况说明_公开版.txt", d)
    book = budget_xl.read_performance(ZHENGFUBAN / "2024_绩效自评表.xlsx")
    out = mutate(book, lambda: check_forms(book, d, lines), SLIPS)
    # 年初预算数 enters no identity of the form, and no 年初预算 workbook comes with the seed
    assert {what.rsplit(" ", 1)[-1] for _, what, _ in out.missed} == {"年初预算数"}
    assert sorted({cell for cell, _, _ in out.missed}) == ["项目支出绩效自评表!F29", "项目支出绩效自评表!F5"]
    assert out.detected == out.changes - len(out.missed) and out.changes > 100


def test_seed_004_department_form_detected_the_service_forms_are_not_covered():
    book = budget_xl.read_performance(SAMPLES / "城市更新中心" / "2024_部门整体绩效目标.xlsx")
    out = mutate(book, lambda: check_forms(book), SLIPS)
    assert {what.split("”", 1)[0] for _, what, _ in out.missed} == {"购买服务项目绩效目标表“" + n for n in (
        "丰元小区西侧地块项目", "大连理工大学市内校区东南院地块项目", "胜利东路绿山城南侧联通地块",
        "西岗区胜利东路南侧、松花街西侧围合（市水务集团）地块", "土地整理前期费用", "城乡规划设计和选址论证报告编写")}
    dept = mutate(book, lambda: check_forms(book), SLIPS, only=lambda what: what.startswith("部门整体"))
    assert dept.changes and dept.missed == []
