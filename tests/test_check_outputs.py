"""check --annotate and check FOLDER, as a user runs them."""
import shutil

import openpyxl
from test_samples import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024


def test_annotate_marks_the_wrong_cells_and_lists_findings(cli, tmp_path):
    out = tmp_path / "标注.xlsx"
    before = BUDGET_2024.read_bytes()
    res = cli("check", BUDGET_2024, "--annotate", out)
    assert res.returncode == 1 and out.exists()
    assert BUDGET_2024.read_bytes() == before               # the input is never written
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "校验结果"
    ws = wb["校验结果"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 10 and rows[0][0] == "错误"         # 6 errors, 缺表 and 3 stray quotes in 附表12 names
    links = [ws.cell(r, 4).hyperlink.location if ws.cell(r, 4).hyperlink else None for r in range(3, 3 + len(rows))]
    assert "'附表1'!F16" in [l for l in links if l] or any(l and l.endswith("F16") for l in links)
    f16 = wb["附表1"]["F16"]
    assert f16.fill.fgColor.rgb.endswith("FF9C9C") and "659,060.64" in f16.comment.text
    assert wb["附表1"]["F7"].comment is None                # involved, not blamed: tinted only
    assert wb["附表1"]["A1"].value == "附表1" or wb["附表1"]["A2"].value  # the user's content is kept


def test_annotate_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"keep me")
    res = cli("check", BUDGET_2024_FIXED, "--annotate", out)
    assert res.returncode == 2 and "已存在" in res.stderr and out.read_bytes() == b"keep me"
    assert cli("check", BUDGET_2024_FIXED, "--annotate", out, "--force").returncode == 0
    same = cli("check", BUDGET_2024_FIXED, "--annotate", BUDGET_2024_FIXED, "--force")
    assert same.returncode == 2 and "就是输入文件" in same.stderr


def test_folder_mode_goes_on_past_a_broken_workbook(cli, tmp_path):
    folder = tmp_path / "报表"
    (folder / "子目录").mkdir(parents=True)
    for p in (BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024):
        shutil.copy(p, folder / p.name)
    shutil.copy(BUDGET_2023, folder / "子目录" / BUDGET_2023.name)
    (folder / "子目录" / "坏.xlsx").write_text("not a workbook", encoding="utf-8")
    summary = tmp_path / "汇总.xlsx"
    res = cli("check", folder, "--jobs", "2", "--summary", summary)
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert any("坏.xlsx" in l and "无法读取" in l for l in lines)
    assert any(BUDGET_2024.name in l and "6 处错误" in l for l in lines)
    assert "共 5 个工作簿：3 个通过，1 个有错误，1 个无法读取" in res.stdout
    ws = openpyxl.load_workbook(summary)["汇总"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[BUDGET_2024.name][4] == 6 and rows[BUDGET_2024.name][2] == 2024
    assert rows["子目录/坏.xlsx"][7].startswith("无法读取")


def test_empty_folder(cli, tmp_path):
    res = cli("check", tmp_path)
    assert res.returncode == 2 and "没有工作簿" in res.stderr
