import textwrap

import pytest

from budget_xl.errors import TemplateError
from budget_xl.layout import header_cells
from budget_xl.templates import get_template, load_all, load_template, templates_dir


def test_bundled_sets_load():
    sets = {ts.id: ts for ts in load_all()}
    assert set(sets) == {"部门预算-辽宁", "部门决算-全国", "部门预算-全国", "单位预算-全国", "部门决算-上海",
                         "部门决算-公开10表", "政府预算", "政府预算-对比", "政府决算"}
    national, unit = sets["部门预算-全国"], sets["单位预算-全国"]
    assert list(national.tables) == list(unit.tables) == [f"预算0{i}" for i in range(1, 10)]
    assert unit.extends == "部门预算-全国" and national.kind == unit.kind == "部门预算"
    assert national.unit == "元" and national.table("预算09").unit == unit.table("预算09").unit == "万元"
    assert sets["部门决算-上海"].extends == sets["部门决算-公开10表"].extends == "部门决算-全国"
    budget, final = sets["部门预算-辽宁"], sets["部门决算-全国"]
    assert list(budget.tables) == [f"附表{i}" for i in range(1, 15)]
    assert list(final.tables) == [f"财决公开0{i}" for i in range(1, 10)]
    assert budget.unit == "元" and final.unit == "万元"
    assert "行计" in budget.total_names  # the "行 计" typo of seed 000 附表7
    assert len(budget.identities) > 30 and len(final.identities) > 30


def test_lookup_by_id_and_kind():
    assert get_template("部门决算").id == "部门决算-全国"
    assert get_template("部门预算-辽宁").id == "部门预算-辽宁"
    assert get_template("部门预算-全国").id == "部门预算-全国"
    with pytest.raises(TemplateError, match="没有名为"):
        get_template("部门预算-火星")


def test_lookup_of_the_budget_kind_and_synonym():
    assert get_template("budget").id == "部门预算-辽宁"
    assert get_template("部门预算").id == "部门预算-辽宁"


def test_lookup_of_a_kind_with_variants_names_its_default():
    assert get_template("部门决算").id == "部门决算-全国"
    assert get_template("final").id == "部门决算-全国"


def test_table_structure_of_seed_layouts():
    budget = get_template("部门预算-辽宁")
    t4 = budget.table("附表4")
    assert t4.column_ids == ("total", "fiscal", "gpb", "gf", "soc", "special")
    assert t4.rows.classification == "function" and t4.rows.units
    total = next(c for c in t4.columns if c.id == "total")
    assert total.sum_of == ("fiscal", "soc", "special")
    t1 = budget.table("附表1")
    assert [r.id for r in t1.fixed_rows if r.is_class][:3] == ["201", "202", "203"]
    assert len([r for r in t1.fixed_rows if r.is_class]) == 27
    final = get_template("部门决算-全国")
    t01 = final.table("财决公开01")
    assert t01.fixed_row("in_total").line == 27 and t01.fixed_row("ex_grand").line == 62
    assert t01.fixed_row("201").line == 32 and t01.fixed_row("234").line == 57
    assert "公开01表" in t01.code_aliases and "收入支出决算总表" in t01.aliases
    t06 = final.table("财决公开06")
    assert t06.fixed_row("personnel_total").sum_of.classes == ("301", "303")


def test_header_tree_merges():
    spec = get_template("部门预算-辽宁").table("附表4")
    rows, cells = header_cells(spec)
    assert rows == 2
    by_text = {c.text: c for c in cells}
    fiscal = by_text["财政拨款"]
    assert (fiscal.row, fiscal.col, fiscal.last_row, fiscal.last_col) == (0, 2, 0, 4)
    total = by_text["合计"]  # no sub-columns: merged down over both header rows
    assert (total.row, total.last_row) == (0, 1)
    rows05, cells05 = header_cells(get_template("部门决算-全国").table("财决公开05"))
    assert rows05 == 4  # three levels + the 栏次 row
    assert [c.text for c in cells05 if c.row == 3][3:6] == ["栏次", "1", "2"]


def test_templates_dir_has_code_lists():
    d = templates_dir()
    assert (d / "codes" / "function_codes_2024.csv").is_file()
    assert (d / "codes" / "PROVENANCE.md").is_file()


GOOD = """
id: 测试
kind: 部门预算
unit: 元
tables:
  - code: 表A
    title: 测试表
    rows: {kind: classified, classification: function}
    columns:
      - {id: label, role: label, header: [科目]}
      - {id: total, header: [合计], sum_of: [a, b]}
      - {id: a, header: [甲]}
      - {id: b, header: [乙]}
identities:
  - {id: X1, text: 测试, expr: "表A.total[合计] = 表A.a[合计] + 表A.b[合计]"}
"""


def write(tmp_path, text):
    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_good_custom_template(tmp_path):
    ts = load_template(write(tmp_path, GOOD))
    ident = ts.identities[0]
    assert ident.op == "=" and len(ident.right) == 2 and ident.tables == ("表A",)


@pytest.mark.parametrize("change, message", [
    (("kind: 部门预算", "kind: 企业预算"), "kind 应为"),
    (("unit: 元", "unit: 千元"), "unit 应为"),
    (("sum_of: [a, b]", "sum_of: [a, c]"), "不存在的金额列 “c”"),
    (("{id: a, header: [甲]}", "{id: a, header: [甲], sum_of: [total]}"), "循环"),
    (("role: label", "role: lable"), "role “lable” 未知"),
    (("classification: function", "classification: other"), "classification"),
    (("表A.b[合计]", "表B.b[合计]"), "没有的表 “表B”"),
    (("表A.b[合计]", "表A.z[合计]"), "没有金额列 “z”"),
    (("表A.b[合计]", "表A.b[*]"), r"\[\*\] 只能用在 each"),
    (("= 表A.a[合计]", "表A.a[合计]"), "两项之间缺少 \\+ 或 -"),
    ((" = 表A.a[合计] + 表A.b[合计]", ""), "左边 = 右边"),
    (("    title: 测试表\n", ""), "缺少必填项 “title”"),
    (("header: [甲]", "header: 甲"), "header” 应为 列表"),
])
def test_malformed_templates_are_rejected_clearly(tmp_path, change, message):
    old, new = change
    text = textwrap.dedent(GOOD)
    assert old in text
    with pytest.raises(TemplateError, match=message) as err:
        load_template(write(tmp_path, text.replace(old, new)))
    assert "t.yaml" in str(err.value)


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(TemplateError, match="不是有效的 YAML"):
        load_template(write(tmp_path, "id: [unclosed\nkind: x\n"))


def test_identities_document_is_generated_from_the_templates(cli):
    from budget_xl.templates import templates_dir

    out = cli("templates", "--identities")
    assert out.returncode == 0
    assert (templates_dir() / "IDENTITIES.md").read_text(encoding="utf-8") == out.stdout, \
        "templates/IDENTITIES.md is stale: run  budget-xl templates --identities > templates/IDENTITIES.md"
    assert "YS07-01" in out.stdout and "JS06-01" in out.stdout
