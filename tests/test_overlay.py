"""Template families: a variant extends a base and says only what differs."""
import pytest

from budget_xl import get_template
from budget_xl.errors import TemplateError
from budget_xl.templates import load_template, template_files

VARIANT = """
id: 部门预算-测试省
extends: 部门预算-辽宁
name: 部门预算公开表（测试省）
params:
  public_classes: ["302", "310"]
drop_tables: [附表14]
tables:
  - code: 附表3
    add_aliases: [部门支出总表]
    drop_columns: [basic]
    add_columns:
      - {concept: personnel, after: total}
      - {concept: public, after: personnel}
    change_columns:
      total: {sum_of: [personnel, public, project]}
  - code: 附表15
    after: 附表13
    title: 部门整体支出绩效目标表
    rows: {kind: units}
    columns:
      - {id: label, role: label, header: [单位名称]}
      - {concept: total}
identities:
  - {id: YS03-03, text: 附表3 人员经费与公用经费之和等于附表1 基本支出, expr: "附表3.personnel[合计] + 附表3.public[合计] = 附表1.cat_amount[cat_basic]"}
  - {id: SX-01, text: 附表15 合计等于附表1 本年支出合计, expr: "附表15.total[合计] = 附表1.cat_amount[cat_total]"}
drop_identities: [YS01-06]
"""


@pytest.fixture
def variant(tmp_path):
    path = tmp_path / "部门预算-测试省.yaml"
    path.write_text(VARIANT, encoding="utf-8")
    return load_template(path)


def test_a_variant_is_its_base_with_the_changes_applied(variant):
    base = get_template("部门预算-辽宁")
    assert variant.id == "部门预算-测试省" and variant.extends == "部门预算-辽宁" and variant.kind == "部门预算"
    assert list(variant.tables) == [c for c in base.tables if c != "附表14"][:13] + ["附表15"]
    t3 = variant.tables["附表3"]
    assert t3.column_ids == ("total", "personnel", "public", "project")
    assert t3.columns[0].sum_of == ("personnel", "public", "project")
    assert "部门支出总表" in t3.aliases and t3.title == base.tables["附表3"].title
    assert "日常公用经费" in t3.columns[2].aliases          # from the column concept
    assert variant.params["public_classes"] == ("302", "310")
    assert variant.params["personnel_classes"] == base.params["personnel_classes"]
    ids = {i.id for i in variant.identities}
    assert "SX-01" in ids and "YS01-06" not in ids
    assert next(i for i in variant.identities if i.id == "YS03-03").expr.startswith("附表3.personnel")
    # Identities naming the dropped column (附表3.basic) went with it; the others stayed.
    assert "YS03-05" not in ids and "YS03-02" in ids
    assert variant.versus_final == base.versus_final


def test_an_identity_for_several_columns_keeps_those_still_there(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("id: v\nextends: 部门预算-辽宁\ntables:\n  - code: 附表4\n    drop_columns: [special]\n"
                    "    change_columns: {total: {sum_of: [fiscal, soc]}}\n", encoding="utf-8")
    ts = load_template(path)
    ys = next(i for i in ts.identities if i.id == "YS04-01")
    assert "special" not in ys.for_columns and "gpb" in ys.for_columns


@pytest.mark.parametrize("text, message", [
    ("id: v\nextends: 部门预算-某省\n", "extends 的模板“部门预算-某省”不存在"),
    ("id: v\nextends: 部门预算-辽宁\ndrop_tables: [附表99]\n", "附表99 不在所扩展的模板中"),
    ("id: v\nextends: 部门预算-辽宁\ntables:\n  - code: 附表4\n    drop_columns: [nope]\n", "列 nope 不在表 附表4 中"),
    ("id: v\nextends: 部门预算-辽宁\ntables:\n  - code: 附表1\n    drop_columns: [gpb]\n", "请写出完整的 panels"),
    ("id: v\nextends: v.yaml\n", "extends 形成了循环"),
    ("id: v\nextends: 部门预算-辽宁\ntables:\n  - code: 附表4\n    add_columns: [{concept: 无此概念}]\n", "concept “无此概念”"),
])
def test_a_broken_variant_names_file_and_place(tmp_path, text, message):
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match="v.yaml") as err:
        load_template(path)
    assert message in str(err.value)


def test_bundled_template_ids_are_their_file_names():
    """`extends: <id>` finds a base by its file name."""
    for path in template_files():
        assert load_template(path).id == path.stem


def test_a_variant_is_used_like_any_template(cli, tmp_path):
    from conftest import BUDGET_2024_FIXED

    path = tmp_path / "部门预算-变体.yaml"
    path.write_text("id: 部门预算-变体\nextends: 部门预算-辽宁\ntables:\n  - code: 附表2\n    add_aliases: [收入总表]\n",
                    encoding="utf-8")
    res = cli("check", BUDGET_2024_FIXED, "--template", path)
    assert res.returncode == 0, res.stdout
