"""The 绩效 forms through the commands: show (text, JSON, CSV), check (forms alone, with
--performance, in one workbook with the 公开表), fill (forms completed, checked, published one per
page and read back to the same values), init (blank forms, or one per 附表12 project)."""
import json
from decimal import Decimal

import openpyxl
from conftest import BUDGET_2024_FIXED, ZHENGFUBAN, ZHUJIANJU
from form_factory import form, write_forms

import budget_xl
from budget_xl.report.form_layout import layout_form
from budget_xl.report.form_publish import blank_form
from budget_xl.templates.form_builder import get_form_set

D = Decimal
TARGETS = ZHUJIANJU / "2024_绩效目标表.xlsx"
EVALS = ZHENGFUBAN / "2024_绩效自评表.xlsx"


def test_show_lists_projects_with_amounts_scores_and_indicators(cli):
    out = cli("show", EVALS)
    assert out.returncode == 0
    text = out.stdout
    assert "【2】项目支出预算绩效自评表“政府工作性经费”" in text and "全年预算数 6.83" in text
    assert "权重合计 100，得分合计 100" in text and "预算执行率　指标性质 =" in text
    data = json.loads(cli("show", EVALS, "--format", "json").stdout)
    p1 = data["forms"][1]
    assert p1["fields"]["total.budget"] == {"label": "全年预算数", "text": "6.83", "value": "6.83", "cell": "项目支出绩效自评表!F6"}
    assert p1["indicators"][0]["values"]["score"]["value"] == "10.00" and p1["totals"]["score"]["value"] == "100.00"
    rows = cli("show", EVALS, "--format", "csv").stdout.splitlines()
    assert rows[0] == "form,name,field,label,text,value,cell" and any(",total.exec,预算执行数,6.83,6.83," in r for r in rows)


def test_check_with_performance_reports_forms_with_the_tables(cli):
    out = cli("check", BUDGET_2024_FIXED, "--performance", TARGETS, "--format", "json")
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["forms"] == 27 and data["kind"] == "部门预算"
    errors = [f for f in data["findings"] if f["level"] == "error"]
    assert sorted(f["rule_id"] for f in errors) == ["JX01-02", "JX01-02", "perf-dept"]
    assert all(f["cells"] and f["tables"] for f in errors)


def test_one_workbook_holding_tables_and_forms(tmp_path, cli):
    one = tmp_path / "附表与绩效.xlsx"
    spec, data = form("绩效-辽宁", "项目绩效目标", {
        "unit": "145002-大连市西岗区住房城市建设事务服务中心", "project": "21020324T000000377413-质量检测监管平台维护费",
        "dept": "145-大连市西岗区住房和城乡建设局", "total": 0.35, "fiscal": 0.45, "special": 0, "own": 0, "social": 0,
        "loan": 0, "exec_weight": 10}, [["产出指标", "质量指标", "完成率", "=", 100, "", "%", 90]])
    write_forms(one, {"绩效目标表": [(spec, data)]}, base=BUDGET_2024_FIXED)
    d = budget_xl.read(one)
    assert d.performance is not None and len(d.performance.forms) == 1 and not d.unknown and d.coverage.complete
    report = budget_xl.check(one)
    assert report.forms == 1
    # 0.35 = 附表12's 3,500.00 元, so the 财政资金 0.45 is the wrong one: it breaks its sum and 附表12 both
    bad = [f for f in report.findings if f.level == "error"]
    assert len(bad) == 1 and bad[0].rule_id == "JX01-01" and bad[0].blamed and bad[0].expected == D("0.35")
    assert str(bad[0].cells[0]) == "绩效目标表!C6" and bad[0].also == ("绩效与项目支出",)
    out = cli("show", one)
    assert out.returncode == 0 and "绩效表：" in out.stdout and "附表12" in out.stdout


def test_fill_publishes_the_forms_one_per_page_and_they_read_back(tmp_path, cli):
    out = cli("fill", EVALS, "-o", tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    published = next(tmp_path.glob("*绩效自评表.xlsx"))
    wb = openpyxl.load_workbook(published)
    assert len(wb.sheetnames) == 3
    ws = wb.worksheets[1]
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert any(str(r) == "A1:J1" for r in ws.merged_cells.ranges)          # the title across the form
    again = budget_xl.read_performance(published)
    before = budget_xl.read_performance(EVALS)
    for a, b in zip(before.forms, again.forms):
        assert {k: v.number or v.text for k, v in a.fields.items()} == {k: v.number or v.text for k, v in b.fields.items()}
        assert [i.path for i in a.indicators] == [i.path for i in b.indicators]
    assert (tmp_path / f"{published.stem}_校验报告.txt").exists()


def test_fill_refuses_forms_with_errors_unless_forced(tmp_path, cli):
    renewal = ZHUJIANJU.parent / "城市更新中心" / "2024_部门整体绩效目标.xlsx"
    out = cli("fill", renewal, "-o", tmp_path)
    assert out.returncode == 1 and "JX02-01" in out.stdout and not list(tmp_path.glob("*.xlsx"))
    assert cli("fill", renewal, "-o", tmp_path, "--force").returncode == 0


def _entry_cells(spec, year, values, rows=8):
    layout = layout_form(spec, blank_form(spec, year, values, rows))
    return {p.ref: (p.row + 1, p.col + 1) for p in layout.cells if p.role in ("value", "grid", "total") and p.ref}, layout


def test_init_self_evaluation_then_fill_derives_rate_scores_total_and_grade(tmp_path, cli):
    target = tmp_path / "自评.xlsx"
    out = cli("init", "绩效自评", "--year", "2024", "--dept", "某某局", "--project", "测试项目", "-o", target)
    assert out.returncode == 0, out.stderr
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[0] == "说明" and len(wb.sheetnames) == 3        # 说明, 部门整体, 测试项目
    spec = get_form_set("绩效-辽宁").forms["项目绩效自评"]
    ws = wb.worksheets[2]
    layout = layout_form(spec, blank_form(spec, 2024, {"project": "测试项目"}, 8))
    at = {p.ref: (p.row + 1, p.col + 1) for p in layout.cells if p.role == "value"}
    for ref, value in (("total.initial", 10), ("total.budget", 8), ("total.exec", 6), ("unit", "某某局本级")):
        ws.cell(*at[ref], value=value)
    first = layout.header_row + 2
    rows = [["共性指标", "预算管理", "预算执行率", "=", 100, "%", None, 10, None],
            ["产出指标", "数量指标", "完成户数", "≥", 200, "户", "200户", 50, 50],
            ["效益指标", "社会效益指标", "群众受益", "=", 100, "%", "100%", 30, 30],
            ["满意度指标", "服务对象满意度指标", "满意度", "≥", 90, "%", "95%", 10, 10]]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(first + i, 1 + j, v)
    wb.save(target)
    out = cli("fill", target, "-o", tmp_path / "发布", "--force")
    assert out.returncode == 0, out.stdout + out.stderr
    book = budget_xl.read_performance(next((tmp_path / "发布").glob("*.xlsx")))
    f = next(x for x in book.forms if x.kind == "项目绩效自评")
    assert (f.number("exec_rate"), f.number("exec_score")) == (D(75), D("7.5"))      # 6 / 8; 10 × 75%
    assert (f.totals["weight"].number, f.totals["score"].number) == (D(100), D("97.5"))
    assert f.text("grade") == "" or f.text("grade") == "优"


def test_init_targets_from_the_project_table(tmp_path, cli):
    target = tmp_path / "目标.xlsx"
    out = cli("init", "绩效目标", "--year", "2024", "--dept", "145-大连市西岗区住房和城乡建设局",
              "--units", "145001-大连市西岗区住房和城乡建设局（本级）", "--units", "145002-大连市西岗区住房城市建设事务服务中心",
              "--from", BUDGET_2024_FIXED, "-o", target)
    assert out.returncode == 0, out.stderr
    book = budget_xl.read_performance(target)
    projects = book.of_kind("项目绩效目标")
    assert len(projects) == 25 and len(book.of_kind("部门整体绩效目标")) == 2
    assert sum(f.number("total") for f in projects) == D("6195.58")
    lift = next(f for f in projects if f.name == "既有住宅加装电梯居民补助资金")
    assert (lift.number("fiscal"), lift.number("special")) == (D("558.00"), D("315.50"))
    assert lift.unit_code == "145001"
    # the blank forms lack only what the clerk fills in: the indicators (and the weights with them)
    report = budget_xl.check(target)
    assert {f.rule_id for f in report.findings if f.level == "error"} <= {"JX01-02"}
    assert {f.rule_id for f in report.findings if f.level == "warning"} <= {"perf-missing", "cannot-check"}


def test_check_a_folder_of_tables_and_forms(tmp_path, cli):
    out = cli("check", ZHUJIANJU, "--jobs", "1", "--format", "json")
    data = json.loads(out.stdout)
    forms = next(w for w in data["workbooks"] if w["file"].endswith("2024_绩效目标表.xlsx"))
    assert forms["problem"] is None and forms["kind"] == "绩效表" and forms["errors"] == 2


def test_fill_with_performance_publishes_both_and_the_narrative_tells_the_forms(tmp_path):
    from docx import Document

    result = budget_xl.fill(BUDGET_2024_FIXED, tmp_path, performance=TARGETS, force=True)
    assert result.forms is not None and result.forms.name == "2024年大连市西岗区住房和城乡建设局部门预算绩效表.xlsx"
    assert len(budget_xl.read_performance(result.forms).forms) == 27
    assert sum(1 for f in result.report.findings if f.rule_id == "JX01-02") == 2     # the forms checked with the tables
    text = "".join(p.text for p in Document(str(result.narrative)).paragraphs)
    assert "编制项目绩效目标25个，预算金额6195.58万元" in text


def test_fill_refuses_when_the_forms_have_errors(tmp_path):
    import pytest

    from budget_xl.errors import NotPublished

    with pytest.raises(NotPublished) as exc:
        budget_xl.fill(BUDGET_2024_FIXED, tmp_path, performance=TARGETS)
    assert {f.rule_id for f in exc.value.report.findings if f.level == "error"} == {"JX01-02", "perf-dept"}
    assert not list(tmp_path.iterdir())
