"""`budget-xl fill`: complete, validate, publish — and refuse when it must."""
from test_samples import BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024

import budget_xl


def test_fill_publishes_a_clean_workbook(cli, tmp_path):
    out = cli("fill", BUDGET_2024_FIXED, "-o", tmp_path / "发布")
    assert out.returncode == 0, out.stdout + out.stderr
    target = tmp_path / "发布" / "2024年大连市西岗区住房和城乡建设局部门预算公开表.xlsx"
    assert target.exists() and (tmp_path / "发布" / "2024年大连市西岗区住房和城乡建设局部门预算公开表_校验报告.txt").exists()
    back = budget_xl.read(target)
    assert back.tables["附表4"]["145001/2080505"].amounts["gpb"] == budget_xl.read(BUDGET_2024_FIXED).tables[
        "附表4"]["145001/2080505"].amounts["gpb"]
    again = cli("fill", BUDGET_2024_FIXED, "-o", tmp_path / "发布")
    assert again.returncode == 2 and "已存在" in again.stderr


def test_fill_stops_on_the_published_mistakes(cli, tmp_path):
    out = cli("fill", BUDGET_2024, "-o", tmp_path)
    assert out.returncode == 1
    assert "附表1!F16" in out.stdout and "未生成" in out.stdout
    assert not list(tmp_path.glob("*.xlsx"))


def test_fill_recompute_lists_replacements_and_unit_conversion(cli, tmp_path):
    out = cli("fill", BUDGET_2024, "-o", tmp_path, "--recompute", "--force", "--unit", "万元")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "已按计算结果改写 附表6!F18：18,190,503.55 → 48,490,503.55" in out.stdout
    (target,) = tmp_path.glob("*公开表.xlsx")
    d = budget_xl.read(target)
    assert d.unit == "万元"
    assert str(d.tables["附表6"]["212"].amounts["total"]) == "4849.05"


def test_fill_final_accounts(cli, tmp_path):
    out = cli("fill", FINAL_2024, "-o", tmp_path, "--recompute")
    assert out.returncode == 0, out.stdout + out.stderr
    assert list(tmp_path.glob("2024年大连市西岗区人民政府办公室部门决算公开表.xlsx"))


def test_fill_derives_the_missing_tables(cli, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(BUDGET_2024_FIXED)
    for name in ("附表1", "附表3", "附表6"):
        del wb[name]
    src = tmp_path / "没有附表136.xlsx"
    wb.save(src)
    out = cli("fill", src, "-o", tmp_path / "发布")
    assert out.returncode == 0, out.stdout + out.stderr
    (target,) = (tmp_path / "发布").glob("*公开表.xlsx")
    got = budget_xl.read(target)
    full = budget_xl.read(BUDGET_2024_FIXED)
    for code in ("附表1", "附表3", "附表6"):
        want = {(r.key, c): v for r in full.tables[code] for c, v in r.amounts.items() if v}
        have = {(r.key, c): v for r in got.tables[code] for c, v in r.amounts.items() if v}
        assert have == want, code


def test_text_that_looks_like_a_formula_stays_text(cli, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(BUDGET_2024_FIXED)
    ws = wb["附表12"]
    target = next(c for row in ws.iter_rows() for c in row if c.value == "挂职干部机票及餐补")
    target.value = '=HYPERLINK("http://example.invalid","点我")'
    target.data_type = "s"                      # a text cell that starts with "="
    src = tmp_path / "注入.xlsx"
    wb.save(src)
    out = cli("fill", src, "-o", tmp_path / "发布")
    assert out.returncode == 0, out.stdout + out.stderr
    (published,) = (tmp_path / "发布").glob("*公开表.xlsx")
    cells = [c for row in openpyxl.load_workbook(published)["附表12"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_fill_bad_outputs(cli, tmp_path):
    import shutil

    a_file = tmp_path / "不是目录"
    a_file.write_text("x", encoding="utf-8")
    res = cli("fill", BUDGET_2024_FIXED, "-o", a_file)
    assert res.returncode == 2 and "是一个文件" in res.stderr
    # the output would land on the input itself: refused, input untouched
    src = tmp_path / "2024年大连市西岗区住房和城乡建设局部门预算公开表.xlsx"
    shutil.copy(BUDGET_2024_FIXED, src)
    before = src.read_bytes()
    res = cli("fill", src, "--force")
    assert res.returncode == 2 and "就是输入文件" in res.stderr and src.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temporary file left behind


def test_fill_not_a_disclosure(cli, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便什么"
    wb.save(tmp_path / "x.xlsx")
    res = cli("fill", tmp_path / "x.xlsx", "-o", tmp_path / "out")
    assert res.returncode == 2 and "没有找到任何公开表" in res.stderr


def test_fill_with_source_tables_missing_reports_check_errors_not_phantom_entries(cli, tmp_path):
    from pathlib import Path

    only_02 = Path(__file__).parent / "fixtures" / "决算02.ods"
    out = cli("fill", only_02, "-o", tmp_path / "out")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "缺失，无法核对" in out.stdout and "有错误，未生成公开表" in out.stdout
    assert "填写 677.92，计算 0.00" not in out.stdout      # values fill computed are not the clerk's entries
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_recompute_never_spreads_a_detail_error(cli, tmp_path):
    """附表12 of the published sample prints 财政专户管理资金 under 国有资本经营预算: recomputing would
    carry that column into 附表6's 项目支出. fill --recompute stops and names the column instead."""
    out = cli("fill", BUDGET_2024, "-o", tmp_path / "发布", "--recompute")
    assert out.returncode == 1 and not (tmp_path / "发布").exists()
    assert "--recompute 只用明细重算合计" in out.stdout and "附表12!H5" in out.stdout.split("未生成")[-1]
    # With --force it publishes, recomputing totals within tables only: 附表6 keeps its entered 项目支出.
    out = cli("fill", BUDGET_2024, "-o", tmp_path / "强制", "--recompute", "--force")
    assert out.returncode == 0, out.stdout
    (target,) = (tmp_path / "强制").glob("*公开表.xlsx")
    t6 = budget_xl.read(target).tables["附表6"]
    assert t6["cat_project"].amounts["cat_amount"] == budget_xl.read(BUDGET_2024).tables["附表6"]["cat_project"].amounts["cat_amount"]


def test_recompute_change_log_shows_the_value_as_entered(cli, tmp_path):
    import openpyxl

    src = tmp_path / "错合计.xlsx"
    wb = openpyxl.load_workbook(BUDGET_2024_FIXED)
    ws = wb["附表1"]
    right = ws["G34"].value
    ws["G34"] = right - 300000
    wb.save(src)
    out = cli("fill", src, "-o", tmp_path / "发布", "--recompute")
    assert out.returncode == 0, out.stdout
    line = next(x for x in out.stdout.splitlines() if "附表1!G34" in x)
    assert f"{right - 300000:,.2f} → {right:,.2f}" in line
