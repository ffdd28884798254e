"""情况说明 of the national-standard 部门预算 set: drafted in the structure of its text sheets
(部门编制说明, 其他相关情况说明), and checked against the tables — including the text sheets of the
workbook itself."""
import shutil
from pathlib import Path

import openpyxl

from budget_xl import check, narrate

NATIONAL = Path(__file__).resolve().parent / "fixtures" / "wild" / "national_budget"
DEPT = NATIONAL / "部门预算_clean.xlsx"


def test_the_draft_follows_the_forms_text_sheets_and_checks_clean(tmp_path):
    out = tmp_path / "说明.txt"
    result = narrate(DEPT, out)
    text = out.read_text(encoding="utf-8")
    assert "2026年部门预算编制说明" in text and "一、2026年“三公”经费预算情况说明" in text
    assert "财政拨款收入4321.37万元" in text and "机关运行经费预算为155.52万元" in text
    assert "（一）因公出国（境）费3.50万元" in text and "政府性基金拨款支出预算168.00万元" in text
    assert result.placeholders > 0
    report = check(DEPT, narrative=out)
    assert not [f for f in report.findings if f.tables == ("情况说明",) and f.level == "error"]


def test_the_workbooks_own_text_sheets_are_checked(tmp_path):
    report = check(DEPT, narrative=DEPT)
    narrative = [f for f in report.findings if f.tables == ("情况说明",)]
    assert not [f for f in narrative if f.level == "error"]
    assert not any("没有找到可以和表格核对" in f.message for f in narrative)
    wrong = tmp_path / "错.xlsx"
    shutil.copy(DEPT, wrong)
    wb = openpyxl.load_workbook(wrong)
    cell = wb["部门编制说明"]["A3"]
    cell.value = cell.value.replace("4,321.37", "4,312.37")
    wb.save(wrong)
    errors = [f for f in check(wrong, narrative=wrong).findings if f.tables == ("情况说明",) and f.level == "error"]
    assert len(errors) == 2 and all("4321.37" in f.message for f in errors)


SHANGHAI = Path(__file__).resolve().parent / "fixtures" / "wild" / "shanghai_final" / "clean.xlsx"


def test_shanghai_final_narrative_has_the_forms_eleven_sections_and_checks_clean(tmp_path):
    out = tmp_path / "说明.txt"
    narrate(SHANGHAI, out, year=2024)
    text = out.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、",
                                                                  "八、", "九、", "十、") or line.startswith("十一、")]
    assert [h.split("、", 1)[0] for h in headings[:11]] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert "收入支出总计2553.38万元" in text and "完成预算的82.87%" in text
    assert "九、国有资本经营预算财政拨款收入支出决算情况说明\n上海市浦江区体育局2024年度无国有资本经营预算财政拨款收入和支出" in text
    # 机关运行经费 without a 补充信息 entry: the 公用经费合计 of 财决公开06 (207.74), never “无”.
    assert "2024年度无机关运行经费支出" not in text and "机关运行经费支出207.74万元。" in text
    report = check(SHANGHAI, year=2024, narrative=out)
    assert not [f for f in report.findings if f.tables == ("情况说明",) and f.level in ("error", "warning")]


def test_budget_versus_final_between_the_two_layouts(cli):
    res = cli("diff", DEPT, SHANGHAI, "--kind", "部门预算:部门决算", "--force", "--format", "json")
    assert res.returncode == 0, res.stderr
    import json

    data = json.loads(res.stdout)
    assert data["mode"] == "versus" and data["sections"]
