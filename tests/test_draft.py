"""Layouts no template knows: a titled table no template claims is drafted from its sheet and checked
anyway, and `budget-xl templates draft` writes a whole workbook as a template (or an overlay of a
base) that reads the workbook as the bundled templates do."""
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED

import budget_xl
from budget_xl import check, read
from budget_xl.model import Table
from budget_xl.templates import TemplateSet, load_template
from budget_xl.text import norm

WILD = Path(__file__).resolve().parent / "fixtures" / "wild"
GONGKAI10 = WILD / "gongkai10_final"
SAMPLES = [BUDGET_2023, BUDGET_2024, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED]
CLEAN_SAMPLES = {BUDGET_2023, BUDGET_2024_FIXED, FINAL_2024, FINAL_2024_FIXED}   # 政府办公开版: rounding only
FIXTURES = [WILD / "shanghai_final" / "clean.xlsx", GONGKAI10 / "clean.xlsx", WILD / "liaoning_split3" / "clean.xlsx",
            WILD / "national_budget" / "部门预算_clean.xlsx", WILD / "national_budget" / "单位预算_clean.xlsx"]


def drafted(tmp_path: Path, workbook: Path, name: str = "草稿.yaml", base: str | None = None) -> TemplateSet:
    out = tmp_path / name
    budget_xl.draft(workbook, out, base=base)
    return load_template(out)


def amounts(table: Table) -> dict[str, Decimal]:
    """Every amount read, by the cell it was read from."""
    return {str(cell): v for row in table.rows for c, v in row.amounts.items()
            if v is not None and (cell := row.cell(c)) is not None}


def errors_at(report) -> set[str]:
    """The cell each error names first (the one to fix)."""
    return {str(f.cells[0]) for f in report.findings if f.level == "error" and f.cells}


def plant(source: Path, target: Path, changes: dict[str, float]) -> Path:
    """A copy of a workbook with single amount cells changed ("附表4!C11": new value)."""
    shutil.copy(source, target)
    wb = openpyxl.load_workbook(target)
    for ref, value in changes.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    wb.save(target)
    return target


# --------------------------------------------------------------------------- the shipped samples
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name + "/" + p.stem)
def test_a_template_drafted_from_a_sample_reads_it_as_the_bundled_template_does(sample, tmp_path):
    ts = drafted(tmp_path, sample)
    mine, bundled = read(sample, ts), read(sample)
    assert mine.template is ts and len(mine.tables) == len(bundled.tables) and not mine.unknown
    for table in bundled.tables.values():
        # Table codes differ: the drafted table is the one under the same printed title.
        printed = norm(read_cell(sample, table.title_cell))   # the title (or the code mark, where it stands)
        same = [t for t in mine.tables.values() if printed in t.spec.title_names() + t.spec.code_names()]
        assert len(same) == 1, (table.code, printed)
        assert amounts(same[0]) == amounts(table), table.code
    assert mine.coverage.read == mine.coverage.total == bundled.coverage.total
    report, reference = check(mine), check(bundled)
    if sample in CLEAN_SAMPLES:
        assert report.errors == 0
    else:   # the 公开版 keeps the published mistakes: each the draft reports, the bundled template reports too
        assert 0 < report.errors and errors_at(report) <= {str(c) for f in reference.findings for c in f.cells}


def read_cell(path: Path, cell) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    return str(wb[cell.sheet].cell(cell.row + 1, cell.col + 1).value)


# Single cells changed in copies of the corrected samples: a 项 of 附表4, a unit row of 附表2, a 款 of
# 附表5's 合计 column, an 经济分类 款 of 附表8, a project of 附表12; in the final accounts a 项 of 02
# and of 05, a 款 of 03, a 06 经济分类 类, 09's 三公 公务用车 小计 (决算数) and 01's 本年收入合计.
PLANTED = {
    BUDGET_2024_FIXED: {"附表4!D11": 525183.16, "附表2!D9": 8610213.54, "附表5!B10": 1299968.0,
                        "附表8!C10": 1384080.44, "附表12!F10": 46000.0},
    FINAL_2024_FIXED: {"财决公开02表!F10": 434.31, "财决公开05表!L11": 434.71, "财决公开03表!E9": 449.98,
                       "财决公开06表!D6": 595.99, "财决公开09表!I8": 4.74, "财决公开01表!C33": 678.92},
}


@pytest.mark.parametrize("sample", list(PLANTED), ids=["预算", "决算"])
@pytest.mark.parametrize("source", ["clean", "planted"])
def test_the_drafted_identities_find_single_planted_mistakes_at_their_cell(sample, source, tmp_path):
    planted = plant(sample, tmp_path / f"planted{sample.suffix}", PLANTED[sample])
    # Drafted from the clean workbook, or from the planted one itself: a sum failing on one row of
    # many is still kept, and the mistake is reported.
    ts = drafted(tmp_path, sample if source == "clean" else planted)
    report = check(read(planted, ts))
    assert set(PLANTED[sample]) <= errors_at(report)
    assert check(read(sample, ts)).errors == 0


# --------------------------------------------------------------------------- layouts in the wild
@pytest.mark.parametrize("workbook", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_draft_reads_every_amount_cell_of_the_wild_fixtures_and_finds_no_error(workbook, tmp_path):
    ts = drafted(tmp_path, workbook)
    d = read(workbook, ts)
    manifest = json.loads((workbook.parent / "manifest.json").read_text(encoding="utf-8"))
    tables = manifest["workbooks"][workbook.name]["tables"]
    tables = list(tables.values()) if isinstance(tables, dict) else tables
    assert len(d.tables) == len(tables)
    per_sheet: dict[str, int] = {}
    for table in d.tables.values():
        for cell in amounts(table):
            sheet = cell.rsplit("!", 1)[0]
            per_sheet[sheet] = per_sheet.get(sheet, 0) + 1
    # The fixture's own count of printed amount cells, table by table.
    assert {t["sheet"]: t["amount_cells"] for t in tables} == {s: per_sheet.get(s, 0) for s in (t["sheet"] for t in tables)}
    assert d.coverage.read == d.coverage.total and d.coverage.unread == []
    assert check(d).errors == 0


@pytest.mark.parametrize("folder", ["gongkai10_final", "shanghai_final", "liaoning_split3"])
def test_a_draft_of_a_wild_planted_workbook_finds_its_in_table_mistakes(folder, tmp_path):
    planted = WILD / folder / "planted.xlsx"
    manifest = json.loads((WILD / folder / "manifest.json").read_text(encoding="utf-8"))
    cells = [f"{p['sheet']}!{p['cell']}" for p in manifest["workbooks"]["planted.xlsx"]["planted"]]
    report = check(read(planted, drafted(tmp_path, planted)))
    found = errors_at(report)
    anywhere = {str(c) for f in report.findings if f.level == "error" for c in f.cells}
    # Every planted cell the in-table identities can see is named; the ones only a 0.01 balance or a
    # cross-table identity could blame are at least among an error's cells or reported as rounding.
    assert len(found & set(cells)) >= len(cells) - 2
    assert all(c in anywhere or report.count("rounding") for c in cells)


# --------------------------------------------------------------------------- unknown tables in `read`
NATIONAL = "部门决算-全国"   # the bundled 决算 set without 公开10 (部门决算-公开10表 is the variant that has it)


def test_an_unknown_table_is_read_and_checked_with_the_bundled_template(cli, tmp_path):
    clean = GONGKAI10 / "clean.xlsx"
    d = read(clean, NATIONAL)
    assert d.template.id == "部门决算-全国" and d.unknown == ["公开10"]
    t = d.tables["公开10"]
    assert t.unknown and t.title == "部门决算相关信息统计表" and t.sheets == ["公开10表"] and len(t.rows) == 41
    spec = t.spec
    assert spec.rows.kind == "fixed" and [p.id for p in spec.panels] == ["p1", "p2"]
    sums = {r.id: r.sum_of.ids for r in spec.fixed_rows if r.sum_of}
    assert sums == {"r2": ("r3", "r4", "r7"), "r4": ("r5", "r6"), "r22": ("r23", "r24"),
                    "r25": ("r26", "r27", "r28"), "r32": tuple(f"r{n}" for n in range(33, 41))}
    assert t["r32"].amounts[t.spec.panels[1].columns[-1].id] == Decimal("26.00")
    assert d.coverage.read == d.coverage.total and "公开10表" not in d.skipped_sheets
    assert not [f for f in check(d).findings if "公开10" in f.tables and f.level != "note"]
    # 2．公务用车购置及运行维护费 统计数 62.35 → 63.35: both sums over it fail, and it is the cell named.
    mutated = plant(clean, tmp_path / "mutated.xlsx", {"公开10表!D9": 63.35})
    report = check(read(mutated, NATIONAL))
    wrong = [f for f in report.findings if f.level == "error" and "公开10" in f.tables]
    assert len(wrong) == 1 and str(wrong[0].cells[0]) == "公开10表!D9" and wrong[0].tables == ("公开10",)
    # The fixture's own planted mistake there (车辆数合计 27, the vehicles add up to 26).
    assert "公开10表!G16" in errors_at(check(read(GONGKAI10 / "planted.xlsx", NATIONAL)))
    # The variant that knows the table reads it as its own.
    assert read(clean).unknown == []


def test_show_and_check_mark_unknown_tables(cli):
    clean = GONGKAI10 / "clean.xlsx"
    out = cli("show", clean, "--template", NATIONAL).stdout
    assert "未知表：公开10 部门决算相关信息统计表（按表头推断" in out and "找到 9 张表" in out
    data = json.loads(cli("show", clean, "--template", NATIONAL, "--format", "json").stdout)
    assert data["unknown"] == ["公开10"] and "公开10" not in data["found"]
    assert [t["unknown"] for t in data["tables"]].count(True) == 1
    res = cli("check", clean, "--template", NATIONAL, "--format", "json")
    assert json.loads(res.stdout)["unknown_tables"] == [{"code": "公开10", "title": "部门决算相关信息统计表",
                                                           "sheets": ["公开10表"]}]
    assert "未知表（模板中没有，按表头推断" in cli("check", GONGKAI10 / "planted.xlsx", "--template", NATIONAL).stdout


@pytest.mark.parametrize("sample", [BUDGET_2024_FIXED, FINAL_2024_FIXED], ids=["预算", "决算"])
def test_only_rows_no_template_table_claimed_are_looked_at(sample, monkeypatch):
    """Covers and 目录 are looked at (their titles) and never taken for tables; the rows of the
    template's tables are not looked at again."""
    from budget_xl.reader import draft as module

    seen = []
    real = module.sketch
    monkeypatch.setattr(module, "sketch", lambda region: seen.append(region) or real(region))
    d = read(sample)
    assert d.unknown == [] and {r.sheet.name for r in seen} <= {"封面", "目录"}


# --------------------------------------------------------------------------- the command
def test_templates_draft_writes_a_commented_template_that_check_uses(cli, tmp_path):
    workbook = GONGKAI10 / "clean.xlsx"
    out = tmp_path / "东岳决算.yaml"
    res = cli("templates", "draft", workbook, "-o", out)
    assert res.returncode == 0, res.stderr
    assert "已起草模板：" in res.stdout and "10 张表" in res.stdout and "公开10" in res.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 表套模板，由 budget-xl templates draft 从 clean.xlsx 起草。")
    assert "id: 东岳决算\n" in text and "source: clean.xlsx（工作表 公开01表" in text
    assert "kind: 部门决算   # 请核对：" in text and "unit: 万元" in text
    assert "# 请核对：按“经营收入”推断为“事业单位经营收入”（operating）" in text          # a guessed concept
    assert "# 请核对：行结构按本表各行推断为固定行（fixed）" in text                     # a guessed row kind
    assert "# 请核对：按本表数字推断：车辆数合计(辆) = " in text                       # an inferred sum
    assert "sum_of: {classes: 公开06_f1_classes}" in text and "公开06_f1_classes: ['301', '303']" in text
    assert "#   - {id: D-" in text and "expr: '公开09.total_G[合计] = 公开10.col_D[r2]'" in text
    ts = load_template(out)
    assert ts.id == "东岳决算" and ts.kind == "部门决算" and len(ts.tables) == 10
    assert ts.tables["公开10"].code_aliases == ("公开10表",)
    res = cli("check", workbook, "--template", out)
    assert res.returncode == 0 and "0 处错误" in res.stdout
    res = cli("check", GONGKAI10 / "planted.xlsx", "--template", out)
    assert res.returncode == 1 and "公开10表!G16" in res.stdout


def test_templates_draft_refuses_an_existing_file_and_a_workbook_without_tables(cli, tmp_path):
    out = tmp_path / "草稿.yaml"
    out.write_text("旧的\n", encoding="utf-8")
    res = cli("templates", "draft", BUDGET_2024_FIXED, "-o", out)
    assert res.returncode == 2 and "已存在" in res.stderr and "--force" in res.stderr
    assert out.read_text(encoding="utf-8") == "旧的\n"
    assert cli("templates", "draft", BUDGET_2024_FIXED, "-o", out, "--force").returncode == 0
    assert load_template(out).tables
    memo = tmp_path / "会议.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["会议纪要表"])
    wb.active.append(["2024年3月1日", "议题：预算编制"])
    wb.save(memo)
    res = cli("templates", "draft", memo, "-o", tmp_path / "x.yaml")
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "没有找到带标题和表头的表格" in res.stderr
    assert not (tmp_path / "x.yaml").exists()
    res = cli("templates", "draft", memo, "-o", tmp_path / "x.txt")
    assert res.returncode == 2 and ".yaml" in res.stderr


def test_templates_draft_help_has_a_worked_example_and_templates_still_lists(cli):
    res = cli("templates", "draft", "--help")
    assert res.returncode == 0 and "示例：" in res.stdout and "budget-xl templates draft 决算.xlsx -o" in res.stdout
    assert "--base" in res.stdout and "请核对" in res.stdout
    listing = cli("templates").stdout
    assert "部门决算-全国" in listing and "模板文件目录" in listing
    assert cli("templates", "--identities").stdout.startswith("#")


# --------------------------------------------------------------------------- overlays of a base
def test_a_draft_on_a_base_writes_only_what_differs(cli, tmp_path):
    """辽宁附表3 printing 基本支出 as 小计 / 人员经费 / 公用经费: one table changed, nothing else."""
    clean = WILD / "liaoning_split3" / "clean.xlsx"
    out = tmp_path / "辽宁拆分.yaml"
    res = cli("templates", "draft", clean, "--base", "部门预算-辽宁", "-o", out)
    assert res.returncode == 0 and "部门预算-辽宁 的变体" in res.stdout and "改动" in res.stdout
    text = out.read_text(encoding="utf-8")
    assert "extends: 部门预算-辽宁" in text and text.count("  - code:") == 1 and "  - code: 附表3" in text
    assert "{id: personnel, concept: personnel, header: [基本支出, 人员经费], after: basic}" in text
    assert "change_columns: {basic: {header: [基本支出, 小计], sum_of: [personnel, public]}}" in text
    ts = load_template(out)
    assert ts.extends == "部门预算-辽宁" and len(ts.identities) == len(budget_xl.get_template("部门预算-辽宁").identities)
    d = read(clean, ts)
    assert check(d).errors == 0 and d.coverage.unread == [] and not d.unknown
    # (its 附表12 keeps seed 000's project names, stray quotes and all: pointed out, nothing else)
    assert all("多余的引号" in f.message for f in check(d).findings if f.level == "warning")
    planted = json.loads((clean.parent / "manifest.json").read_text(encoding="utf-8"))["workbooks"]["planted.xlsx"]
    report = check(read(clean.parent / "planted.xlsx", ts))
    assert {f"{p['sheet']}!{p['cell']}" for p in planted["planted"]} <= errors_at(report)


def test_a_draft_on_a_base_adds_the_tables_it_lacks(tmp_path):
    clean = GONGKAI10 / "clean.xlsx"
    result = budget_xl.draft(clean, tmp_path / "东岳.yaml", base="部门决算-全国")
    assert result.base == "部门决算-全国" and result.added == ["公开10"] and "财决公开05" in result.changed
    text = result.path.read_text(encoding="utf-8")
    assert "  - code: 公开10" in text and "    after: 财决公开09" in text
    ts = load_template(result.path)
    assert "公开10" in ts.tables and ts.tables["公开10"].fixed_row("r32").sum_of.ids[0] == "r33"
    d = read(clean, ts)
    assert not d.unknown and check(d).errors == 0 and check(d).count("warning") == 0
    # The base's identities on the columns the sheet prints are kept (04 一般公共预算 = 05 合计).
    assert any(i.id.startswith("JS05") for i in ts.identities)
    report = check(read(GONGKAI10 / "planted.xlsx", ts))
    assert {"公开10表!G16", "公开05表!C22", "公开09表!C8"} <= errors_at(report)


def test_a_draft_on_a_base_given_as_a_file_names_it_by_its_path(tmp_path):
    """A variant drafted on a user's own template file `extends:` that file, wherever it lies."""
    mine = tmp_path / "我的" / "辽宁拆分.yaml"
    mine.parent.mkdir()
    budget_xl.draft(WILD / "liaoning_split3" / "clean.xlsx", mine, base="部门预算-辽宁")
    out = tmp_path / "变体" / "再变.yaml"
    out.parent.mkdir()
    result = budget_xl.draft(WILD / "liaoning_split3" / "clean.xlsx", out, base=str(mine))
    assert "extends: ../我的/辽宁拆分.yaml" in out.read_text(encoding="utf-8") and result.changed == []
    ts = load_template(out)
    assert ts.extends == "../我的/辽宁拆分.yaml" and "personnel" in ts.tables["附表3"].column_ids
