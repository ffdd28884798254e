"""`budget-xl diff`: resolving years in a folder (and budget-xl.toml), and every unusable input —
a clear Chinese sentence and exit 2, never a traceback; inputs never modified."""
import hashlib
import json
import shutil

import pytest
from test_samples import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED, SAMPLES


def refused(out, *phrases):
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and not out.stdout
    for phrase in phrases:
        assert phrase in out.stderr, out.stderr
    return out.stderr


@pytest.fixture
def folder(tmp_path):
    """A department's folder: 2023 and the corrected 2024 budget, under names that say nothing."""
    shutil.copy(BUDGET_2023, tmp_path / "a.xlsx")
    shutil.copy(BUDGET_2024_FIXED, tmp_path / "b.xlsx")
    return tmp_path


def test_years_resolve_by_what_the_workbooks_say(cli, folder):
    out = cli("diff", "2023", "2024", "--format", "json", cwd=folder)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["before"]["file"].endswith("a.xlsx") and data["after"]["file"].endswith("b.xlsx")
    swapped = json.loads(cli("diff", "2024", "2023", "--dir", folder, "--format", "json").stdout)
    assert swapped["before"]["year"] == 2023 and "按年度先后对比：2023 年 → 2024 年。" in swapped["warnings"]


def test_a_year_with_no_workbook(cli, folder):
    refused(cli("diff", "2023", "2025", "--dir", folder), "没有 2025 年", "a.xlsx（2023 年部门预算，145-大连市西岗区住房和城乡建设局）",
            "b.xlsx（2024 年部门预算")
    refused(cli("diff", "2023", "2024", "--dir", folder / "nowhere"), "不存在")


def test_an_ambiguous_year_lists_the_candidates(cli, tmp_path):
    for path in (BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED):
        shutil.copy(path, tmp_path / f"{path.parent.name}_{path.name}")
    err = refused(cli("diff", "2023", "2024", "--dir", tmp_path), "2024 年有 2 个工作簿，无法确定用哪一个",
                  "住建局_2024_部门预算_公开版.xlsx", "住建局_2024_部门预算_更正版.xlsx")
    assert "政府办" not in err   # the 2023 side is a 部门预算: the 2024 决算 are not candidates


def test_the_shipped_department_folder_pins_2024_to_the_corrected_version(cli):
    """sample_workbooks/住建局 holds two 2024 workbooks; its budget-xl.toml makes `diff 2023 2024` work."""
    folder = SAMPLES / "住建局"
    assert (folder / "budget-xl.toml").is_file()
    out = cli("diff", "2023", "2024", "--format", "json", cwd=folder)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["before"]["file"].endswith("2023_部门预算.xlsx")
    assert data["after"]["file"].endswith("2024_部门预算_更正版.xlsx")
    versions = cli("diff", "2024_部门决算_公开版.xlsx", "2024", "--format", "json", cwd=SAMPLES / "政府办")
    assert versions.returncode == 0, versions.stderr   # a file against its year's pinned version
    assert json.loads(versions.stdout)["after"]["file"].endswith("2024_部门决算_更正版.xlsx")


def test_kind_mismatch_needs_kind(cli, tmp_path):
    refused(cli("diff", BUDGET_2023, FINAL_2024), "类别不同", "--kind 部门预算:部门决算")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--kind", "部门决算"), "不是 --kind 指定的部门决算")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--kind", "预决算"), "--kind “预决算” 无法识别")


def test_same_file_twice(cli, folder):
    refused(cli("diff", BUDGET_2023, BUDGET_2023), "两边是同一个文件")
    refused(cli("diff", folder / "a.xlsx", "2023", "--dir", folder), "两边是同一个文件")


def test_files_that_cannot_be_used(cli, tmp_path):
    refused(cli("diff", BUDGET_2023, tmp_path / "无此文件.xlsx"), "找不到文件")
    text = tmp_path / "说明.xlsx"
    text.write_text("不是工作簿", encoding="utf-8")
    refused(cli("diff", BUDGET_2023, text), "不是 Excel 工作簿")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--threshold", "十"), "“十” 不是数字")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--band", "90"), "应写成 下限-上限")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--top", "-3"), "-3 不在范围")
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "-o", tmp_path / "对比.csv"), "输出文件应以 .xlsx 结尾")
    assert not (tmp_path / "对比.csv").exists()


def test_outputs_are_refused_over_existing_files_and_inputs_unchanged(cli, folder):
    digest = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "a.xlsx", folder / "b.xlsx")}
    target = folder / "对比" / "d.xlsx"
    refused(cli("diff", "2023", "2024", "--dir", folder, "-o", target), "输出目录", "不存在")
    target.parent.mkdir()
    assert cli("diff", "2023", "2024", "--dir", folder, "-o", target).returncode == 0
    refused(cli("diff", "2023", "2024", "--dir", folder, "-o", target), "已存在", "--force")
    assert cli("diff", "2023", "2024", "--dir", folder, "-o", target, "--force").returncode == 0
    refused(cli("diff", "2023", "2024", "--dir", folder, "-o", folder / "b.xlsx", "--force"), "就是输入文件")
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digest} == digest
    assert sorted(p.name for p in folder.iterdir()) == ["a.xlsx", "b.xlsx", "对比"]   # no temporary file left


def test_a_diff_workbook_in_the_folder_is_no_candidate(cli, folder):
    assert cli("diff", "2023", "2024", "--dir", folder, "-o", folder / "对比.xlsx").returncode == 0
    again = cli("diff", "2023", "2024", "--dir", folder, "--format", "json")
    assert again.returncode == 0, again.stderr
    refused(cli("diff", folder / "对比.xlsx", "2024", "--dir", folder), "budget-xl diff 写出的对比工作簿")


def test_workspace_file_pins_the_years(cli, tmp_path):
    shutil.copy(BUDGET_2023, tmp_path / "上年.xlsx")
    shutil.copy(BUDGET_2024, tmp_path / "公开版.xlsx")
    shutil.copy(BUDGET_2024_FIXED, tmp_path / "更正版.xlsx")
    refused(cli("diff", "2023", "2024", "--dir", tmp_path), "2024 年有 2 个工作簿")
    (tmp_path / "budget-xl.toml").write_text('department = "145-大连市西岗区住房和城乡建设局"\n[years]\n'
                                             '2023 = "上年.xlsx"\n2024 = { "部门预算" = "更正版.xlsx" }\n', encoding="utf-8")
    out = cli("diff", "2023", "2024", "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["after"]["file"].endswith("更正版.xlsx")
    (tmp_path / "budget-xl.toml").write_text('[years]\n2024 = "没有这个.xlsx"\n', encoding="utf-8")
    refused(cli("diff", "2023", "2024", "--dir", tmp_path), "budget-xl.toml 为 2024 年指定的文件 没有这个.xlsx 不存在")
    (tmp_path / "budget-xl.toml").write_text('[years\n', encoding="utf-8")
    refused(cli("diff", "2023", "2024", "--dir", tmp_path), "不是有效的 TOML 文件")
    (tmp_path / "budget-xl.toml").write_text('[years]\n2024 = { "概算" = "更正版.xlsx" }\n', encoding="utf-8")
    refused(cli("diff", "2023", "2024", "--dir", tmp_path), "2024 年的写法不对")


def test_dept_chooses_among_departments(cli, folder):
    shutil.copy(FINAL_2024, folder / "政府办决算.xlsx")
    out = cli("diff", "2024", "2024", "--dir", folder, "--kind", "部门预算:部门决算", "--dept", "住房和城乡建设局")
    refused(out, "没有 2024 年部门决算、部门“住房和城乡建设局”的工作簿")
    forced = cli("diff", "2024", "2024", "--dir", folder, "--kind", "部门预算:部门决算", "--force")
    assert forced.returncode == 0 and "不是同一个部门（已按 --force 照常对比）" in forced.stdout


def test_help_has_a_worked_example_in_chinese(cli):
    out = cli("diff", "--help")
    assert out.returncode == 0 and "示例：" in out.stdout and "budget-xl diff 2023 2024" in out.stdout
    assert "科目调整" in out.stdout and "退出码：0 已生成对比" in out.stdout
    missing = cli("diff", "2023")
    assert missing.returncode == 2 and "缺少参数" in missing.stderr
    assert "budget-xl diff 2023 2024" in cli("--help").stdout


def test_a_named_file_of_another_department_than_dept_is_refused(cli):
    refused(cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--dept", "999"), "不是所指定部门“999”的", "--force")
    assert cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--dept", "145").returncode == 0
    assert cli("diff", BUDGET_2023, BUDGET_2024_FIXED, "--dept", "999", "--force").returncode == 0
