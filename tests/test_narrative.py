"""情况说明: drafted from the tables (exact sentences with their numbers, with and without a prior
year, both table sets) and checked against them (the seeds' real disagreements, nothing on a
narrative this tool wrote)."""
from pathlib import Path

import openpyxl
import pytest
from conftest import BUDGET_2023, NARRATIVES
from conftest import BUDGET_2024 as BUDGET_PUBLISHED
from conftest import BUDGET_2024_FIXED as BUDGET
from conftest import FINAL_2024 as FINAL_PUBLISHED
from conftest import FINAL_2024_FIXED as FINAL
from conftest import OFFICE_BUDGET_2024 as OFFICE_BUDGET

# The seeds' published 情况说明 as shipped text (sample_workbooks/README.md says which lines of which seed).
SEED_000 = NARRATIVES / "2024_住建局_部门预算_情况说明_公开版.txt"
SEED_002 = NARRATIVES / "2024_政府办_部门决算_情况说明_公开版.txt"


def narrate(cli, tmp_path, workbook, *extra, name="说明.txt") -> list[str]:
    out = tmp_path / name
    result = cli("narrate", workbook, "-o", out, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return out.read_text(encoding="utf-8").splitlines()


def halved_prior(source: Path, target: Path, year_from="2024", year_to="2023", factor=2) -> Path:
    """A consistent 'prior year' of a workbook: every amount multiplied, every year one less."""
    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    c.value = round(c.value * factor, 2)
                elif isinstance(c.value, str) and year_from in c.value:
                    c.value = c.value.replace(year_from, year_to)
    wb.save(target)
    return target


# --------------------------------------------------------------------------- 部门预算
def test_budget_narrative_with_prior_year(cli, tmp_path):
    lines = narrate(cli, tmp_path, BUDGET, "--prior", BUDGET_2023)
    assert lines[0] == "大连市西岗区住房和城乡建设局2024年部门预算情况说明"
    expected = [
        "一、2024年部门收支预算情况",
        # 72,511,453.98 元 is 7251.15 万元 rounded half-up (the published narrative truncates to 7251.14)
        "2024年收入预算7251.15万元，比2023年预算减少4612.25万元，下降38.88%。",
        "其中：一般公共预算拨款收入2543.65万元，政府性基金预算拨款收入2660.00万元，国有资本经营预算拨款收入0.00万元，"
        "财政专户管理资金收入2047.50万元。",
        "其中：人员经费996.41万元，公用经费59.15万元，部门预算项目经费6195.58万元。",
        "2024年一般公共预算支出预算2543.65万元，占本年支出预算合计的35.08%。与2023年相比，一般公共预算支出预算"
        "减少6676.25万元，下降72.41%。主要原因：【请填写主要原因】。",
        "1、城乡社区支出（类）2189.05万元，比2023年预算增加485.83万元，增长28.52%。主要原因：【请填写主要原因】。",
        "2、住房保障支出（类）159.55万元，比2023年预算减少7256.05万元，下降97.85%。主要原因：【请填写主要原因】。",
        "4、卫生健康支出（类）65.91万元，比2023年预算增加30.05万元，增长83.80%。主要原因：【请填写主要原因】。",
        "因公出国（境）费预算0.00万元，与2023年预算持平。",     # 持平: no 主要原因 asked for
        "1、城乡社区支出（类）2660.00万元，比2023年预算增加16.50万元，增长0.62%。主要原因：【请填写主要原因】。",
        "2024年度本部门无国有资本经营预算。",
        "2024年度本部门政府采购预算1034.00万元，其中：货物类预算0.00万元、服务类预算210.00万元、工程类预算824.00万元。",
    ]
    for sentence in expected:
        assert sentence in lines, sentence
    assert any(line.startswith("公务用车购置及运行费预算0.00万元。") and "公务用车运行费0.00万元，比2023年预算减少6.60万元，"
               "下降100.00%" in line for line in lines)
    # the 类 are listed largest first, as the published narrative does
    order = [line[2:8] for line in lines if line[:2] in ("1、", "2、", "3、", "4、") and "（类）" in line][:4]
    assert order == ["城乡社区支出", "住房保障支出", "社会保障和就", "卫生健康支出"]


def test_budget_narrative_without_prior_year_makes_no_comparison(cli, tmp_path):
    lines = narrate(cli, tmp_path, BUDGET)
    text = "\n".join(lines)
    assert "2024年收入预算7251.15万元。" in lines
    assert "1、城乡社区支出（类）2189.05万元。" in lines
    assert "比2023" not in text and "持平" not in text and "主要原因" not in text.split("名词解释")[0].replace(
        "增减", "")  # no reason is asked for when nothing is compared
    # facts no table holds stay highlighted placeholders, never a guess
    assert "截至2023年12月31日，本部门共有车辆【待填：车辆总数】辆，其中：【待填：车辆构成】。【待填：大型设备】。" in lines
    assert "名词解释" in lines


def test_profile_facts_fill_the_placeholders(cli, tmp_path):
    profile = tmp_path / "补充信息.yaml"
    profile.write_text("车辆总数: 3\n车辆构成: 执法执勤用车3辆\n大型设备: 单位价值50万元（含）以上通用设备0台（套）\n"
                       "机关运行经费: 59.15\n上年机关运行经费: 51.98\n", encoding="utf-8")
    lines = narrate(cli, tmp_path, BUDGET, "--prior", BUDGET_2023, "--profile", profile)
    assert "截至2023年12月31日，本部门共有车辆3辆，其中：执法执勤用车3辆。单位价值50万元（含）以上通用设备0台（套）。" in lines
    # the published narrative says 增长13.76%; 7.17 / 51.98 is 13.79%
    assert any("机关运行经费财政拨款预算59.15万元，比2023年预算增加7.17万元，增长13.79%，主要原因：【请填写主要原因】。" in line
               for line in lines)


def test_facts_sheet_of_the_input_workbook(cli, tmp_path):
    blank = tmp_path / "填报.xlsx"
    assert cli("init", "部门预算", "--template", "部门预算-辽宁", "--year", "2025", "--dept", "145-测试局",
               "-o", blank).returncode == 0
    wb = openpyxl.load_workbook(blank)
    assert "补充信息" in wb.sheetnames
    ws = wb["补充信息"]
    keys = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert "车辆总数" in keys and "部门职责" in keys and "机关运行经费" in keys
    assert ws.cell(keys.index("车辆总数") + 2, 2).protection.locked is False

    # the corrected sample with a 补充信息 sheet added, as a clerk would fill it
    wb = openpyxl.load_workbook(BUDGET)
    ws = wb.create_sheet("补充信息")
    ws.append(["项目", "内容"])
    ws.append(["车辆总数", 3])
    ws.append(["绩效目标项目个数", 25])
    with_facts = tmp_path / "附表.xlsx"
    wb.save(with_facts)
    lines = narrate(cli, tmp_path, with_facts)
    assert any("截至2023年12月31日，本部门共有车辆3辆" in line for line in lines)
    assert any("本部门共计编制项目绩效目标25个" in line for line in lines)


# --------------------------------------------------------------------------- 部门决算
def test_final_accounts_narrative_without_prior_year(cli, tmp_path):
    lines = narrate(cli, tmp_path, FINAL)
    expected = [
        "大连市西岗区人民政府办公室2024年度收入总计677.92万元。2024年度支出总计677.92万元。",
        "本年收入合计677.92万元，其中：财政拨款收入677.92万元，占100.0%。",
        "本年支出合计677.92万元，其中：基本支出662.26万元，占97.7%；项目支出15.67万元，占2.3%。",
        "大连市西岗区人民政府办公室2024年度一般公共预算财政拨款支出677.92万元，主要用于以下方面：一般公共服务支出（类）"
        "449.88万元，占66.4%；社会保障和就业支出（类）98.09万元，占14.5%；卫生健康支出（类）39.53万元，占5.8%；"
        "住房保障支出（类）90.43万元，占13.3%。",
        "大连市西岗区人民政府办公室2024年度一般公共预算财政拨款基本支出662.26万元，其中：人员经费614.91万元，"
        "公用经费47.35万元。基本支出中：",
        "大连市西岗区人民政府办公室2024年度无政府性基金预算财政拨款收入和支出。",
        "大连市西岗区人民政府办公室2024年度无国有资本经营预算财政拨款收入和支出。",
    ]
    for sentence in expected:
        assert sentence in lines, sentence
    # 三公: 决算09 has its own 预算数 columns, so 完成年初预算的 % needs no budget workbook
    assert any(line.startswith("大连市西岗区人民政府办公室2024年度一般公共预算财政拨款安排的“三公”经费支出3.74万元，"
                               "完成年初预算的27.9%，决算数小于年初预算数的主要原因：【请填写主要原因】。") for line in lines)
    assert any(line.startswith("7．住房保障支出（类）住房改革支出（款）住房公积金（项）。") and "支出决算为90.43万元" in line
               for line in lines)
    assert not any("与2023年度相比" in line for line in lines)


def test_final_accounts_narrative_with_prior_year(cli, tmp_path):
    prior = halved_prior(FINAL, tmp_path / "2023决算.xlsx")
    lines = narrate(cli, tmp_path, FINAL, "--prior", prior)
    assert ("大连市西岗区人民政府办公室2024年度收入总计677.92万元，与2023年度相比，收入总计减少677.92万元，下降50.0%。"
            "主要原因：【请填写主要原因】。") in lines[2]
    assert any("2024年因公出国（境）费，与2023年度持平。" in line for line in lines)   # no 主要原因 for 持平
    assert not any("持平，主要原因" in line or "持平。主要原因" in line for line in lines)
    assert any("公务用车购置及运行维护费3.74万元" in line and "比2023年度减少3.74万元，下降50.0%" in line for line in lines)


def test_final_accounts_budget_completion_from_the_budget_workbook(cli, tmp_path):
    # The office's own 2024 budget (政府办/2024_部门预算.xlsx): 年初预算 from its 附表7 total, 685.64 万元.
    lines = narrate(cli, tmp_path, FINAL, "--budget", OFFICE_BUDGET)
    assert any("一般公共预算财政拨款支出年初预算为685.64万元，支出决算为677.92万元，完成年初预算的98.9%。"
               "决算数小于预算数的主要原因：【请填写主要原因】。" in line for line in lines)
    assert any("年初预算为441.65万元，支出决算为434.21万元" in line for line in lines)   # 2010301 行政运行, by 项


def test_another_departments_budget_is_refused_unless_forced(cli, tmp_path):
    """住建局's budget is not the 政府办's 年初预算: its figures would be stated as the office's."""
    for command in (["narrate", FINAL, "-o", tmp_path / "说明.txt"], ["fill", FINAL, "-o", tmp_path / "发布"]):
        out = cli(*command, "--budget", BUDGET)
        assert out.returncode == 2 and not out.stdout, out.stdout
        assert "住房和城乡建设局" in out.stderr and "不是本部门" in out.stderr and "--force" in out.stderr
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
        forced = cli(*command, "--budget", BUDGET, "--force")
        # used, and said so: the draft's 年初预算 figures are another department's
        assert forced.returncode == 0 and "注意：--budget 给出的" in forced.stdout and "按 --force 照用" in forced.stdout


# --------------------------------------------------------------------------- the narrative check
def test_check_finds_the_real_disagreements_of_seed_002(cli):
    result = cli("check", FINAL_PUBLISHED, "--narrative", SEED_002, "--format", "json")
    import json

    findings = [f for f in json.loads(result.stdout)["findings"] if f["tables"] == ["情况说明"]]
    assert result.returncode == 1
    assert [(f["level"], f["expected"], f["actual"]) for f in findings if f["rule"] == "文表一致"] == [
        ("error", "90.43", "90.63")]   # 住房保障支出（类）: the tables say 90.43
    assert any("增长下降" in f["message"] for f in findings)
    assert len(findings) == 2


def test_check_finds_the_real_disagreements_of_seed_000(cli):
    result = cli("check", BUDGET, "--narrative", SEED_000, "--prior", BUDGET_2023)
    out = result.stdout
    assert result.returncode == 1
    section = out.split("【情况说明】", 1)[1]
    # truncation instead of half-up rounding is a warning, told apart from an error
    assert "收入总计写为 7251.14 万元" in section and "四舍五入应为 7251.15 万元（文中是直接截去尾数）" in section
    # 财政拨款收入 up 882.14 but 财政拨款支出 down 6659.75: contradict each other and the tables
    assert "财政拨款收入比上年增加 882.14 万元，按两年表格应为减少 6659.75 万元" in section
    assert "自相矛盾" in section and "11863.39" in section and "4321.50" in section
    # 7.17 / 51.98 = 13.79 %, not 13.76 %
    assert "增减率 13.76% 与增减额不符" in section and "应为 13.79%" in section
    errors = [line for line in section.splitlines() if line.strip().startswith("错误")]
    # the 882.14 statement is one finding with both reasons; the third is the 盛阳山庄 fund source
    assert len(errors) == 3 and sum("882.14" in e for e in errors) == 1, section
    assert any("盛阳山庄" in e for e in errors)


@pytest.mark.parametrize("workbook,prior", [(BUDGET, None), (BUDGET, BUDGET_2023), (FINAL, None)])
def test_generated_narrative_checks_clean_and_a_changed_number_is_found(cli, tmp_path, workbook, prior):
    extra = ["--prior", prior] if prior else []
    text_file = tmp_path / "说明.txt"
    assert cli("narrate", workbook, "-o", text_file, *extra).returncode == 0
    result = cli("check", workbook, "--narrative", text_file, *extra)
    assert result.returncode == 0, result.stdout
    assert "【情况说明】" not in result.stdout

    text = text_file.read_text(encoding="utf-8")
    wrong = text.replace("基本支出662.26万元", "基本支出626.26万元").replace("人员经费996.41万元", "人员经费969.41万元", 1)
    assert wrong != text
    text_file.write_text(wrong, encoding="utf-8")
    result = cli("check", workbook, "--narrative", text_file, *extra)
    assert result.returncode == 1
    section = result.stdout.split("【情况说明】", 1)[1]
    assert ("写为 626.26 万元，表中为 662.26 万元" in section) or ("写为 969.41 万元，表中为 996.41 万元" in section)


def test_narrative_bad_inputs(cli, tmp_path):
    pdf = tmp_path / "说明.pdf"
    pdf.write_bytes(b"%PDF-1.4 something")
    result = cli("check", BUDGET, "--narrative", pdf)
    assert result.returncode == 2 and "PDF" in result.stderr + result.stdout and "Traceback" not in result.stderr
    result = cli("check", BUDGET, "--narrative", BUDGET)
    assert result.returncode == 2 and "不是情况说明" in result.stderr + result.stdout
    not_word = tmp_path / "说明.docx"
    not_word.write_bytes(Path(BUDGET).read_bytes())      # a zip, but a workbook inside
    result = cli("check", BUDGET, "--narrative", not_word)
    assert result.returncode == 2 and "不是可读的 Word 文档" in result.stderr + result.stdout
    result = cli("check", BUDGET, "--narrative", tmp_path / "没有.docx")
    assert result.returncode == 2 and "找不到情况说明文件" in result.stderr + result.stdout
    # a prior year of the other kind, or not earlier
    result = cli("narrate", BUDGET, "--prior", FINAL, "-o", tmp_path / "a.txt")
    assert result.returncode == 2 and "同一类别" in result.stderr + result.stdout
    result = cli("narrate", BUDGET, "--prior", BUDGET_PUBLISHED, "-o", tmp_path / "a.txt")
    assert result.returncode == 2 and "不早于本年" in result.stderr + result.stdout
    assert not (tmp_path / "a.txt").exists()


def test_narrative_files_that_are_not_a_narrative(cli, tmp_path):
    empty = tmp_path / "说明.docx"
    empty.write_bytes(b"")
    result = cli("check", BUDGET, "--narrative", empty)
    assert result.returncode == 2 and "是空文件（0 字节）" in result.stderr
    misnamed = tmp_path / "说明.xlsx"       # text in a file named like a workbook: not read as a narrative
    misnamed.write_text("一、收支预算情况", encoding="utf-8")
    result = cli("check", BUDGET, "--narrative", misnamed)
    assert result.returncode == 2 and "不是情况说明" in result.stderr
    unrelated = tmp_path / "通知.txt"        # readable text without a single figure to check: said, not passed silently
    unrelated.write_text("关于做好2024年部门预算公开工作的通知\n请各部门按时公开。\n", encoding="utf-8")
    result = cli("check", BUDGET, "--narrative", unrelated)
    assert result.returncode == 0 and "情况说明中没有找到可以和表格核对的金额或百分比" in result.stdout


def test_narrate_refuses_an_output_it_cannot_write(cli, tmp_path):
    result = cli("narrate", BUDGET, "-o", tmp_path / "说明.pdf")
    assert result.returncode == 2 and "输出文件应以 .docx、.txt、.md 结尾" in result.stderr
    assert not (tmp_path / "说明.pdf").exists()


def test_broken_wording_template_is_a_clear_error(tmp_path):
    from budget_xl import read
    from budget_xl.errors import TemplateError
    from budget_xl.narrative.context import build_context
    from budget_xl.narrative.spec import load_narrative_spec, narrative_dir
    from budget_xl.narrative.wording import render_text

    d = read(BUDGET)
    spec_text = (narrative_dir() / "部门预算-辽宁.yaml").read_text(encoding="utf-8")
    (tmp_path / "部门预算-辽宁.md.j2").write_text("# {{ 部门 }}\n{{ f.没有这个数|万元 }}\n", encoding="utf-8")
    (tmp_path / "部门预算-辽宁.yaml").write_text(spec_text, encoding="utf-8")
    spec = load_narrative_spec(tmp_path / "部门预算-辽宁.yaml", d.template)
    with pytest.raises(TemplateError, match="未定义"):
        render_text(build_context(spec, d))
    (tmp_path / "bad.yaml").write_text(spec_text.replace("附表1.in_amount[in_grand]", "附表1.nosuch[in_grand]"),
                                       encoding="utf-8")
    with pytest.raises(TemplateError, match="没有的列 nosuch"):
        load_narrative_spec(tmp_path / "bad.yaml", d.template)


def test_an_omitted_class_is_reported(cli, tmp_path):
    text_file = tmp_path / "说明.txt"
    assert cli("narrate", FINAL, "-o", text_file).returncode == 0
    text = text_file.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("6．卫生健康支出（类）")]
    text_file.write_text("\n".join(lines), encoding="utf-8")
    result = cli("check", FINAL, "--narrative", text_file)
    assert "情况说明中没有写到行政单位医疗（项）（2101101，表中 39.53 万元）" in result.stdout
    assert result.returncode == 0   # an omission is a warning


@pytest.mark.parametrize("workbook,extra", [(BUDGET, ["--prior", BUDGET_2023]), (FINAL, [])])
def test_fill_writes_the_narrative_docx_and_it_checks_clean(cli, tmp_path, workbook, extra):
    from docx import Document

    result = cli("fill", workbook, "-o", tmp_path, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    docs = list(tmp_path.glob("*_情况说明.docx"))
    assert len(docs) == 1 and "情况说明" in result.stdout
    paragraphs = [p.text for p in Document(str(docs[0])).paragraphs]
    if workbook == BUDGET:
        assert "2024年收入预算7251.15万元，比2023年预算减少4612.25万元，下降38.88%。" in paragraphs
    else:
        assert "本年支出合计677.92万元，其中：基本支出662.26万元，占97.7%；项目支出15.67万元，占2.3%。" in paragraphs
    highlighted = [r.text for p in Document(str(docs[0])).paragraphs for r in p.runs if r.font.highlight_color]
    assert highlighted and all(t.startswith("【") and t.endswith("】") for t in highlighted)
    result = cli("check", workbook, "--narrative", docs[0], *extra)
    assert result.returncode == 0 and "【情况说明】" not in result.stdout, result.stdout


def test_the_clerk_is_told_how_many_places_are_left_to_fill(cli, tmp_path):
    import re

    out = tmp_path / "说明.txt"
    result = cli("narrate", FINAL, "-o", out)
    left = len(re.findall(r"【[^】]*】", out.read_text(encoding="utf-8")))
    assert left > 0 and result.stdout.strip() == f"已生成：{out}（{left} 处高亮待填写）"
