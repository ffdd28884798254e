"""`budget-xl diff` on built workbooks: matching by key, 科目调整, new and removed lines, the
materiality rule and its options, different units, project match keys, JSON."""
import json
from decimal import Decimal

import pytest
from factory import disclosure

DEPT = "145-测试局"


def function_rows(units: dict[str, list[tuple[str, str, str]]], column: str = "gpb") -> list[dict]:
    """附表4 rows (合计, department, units, 类/款/项) from the 项 of each unit, sums worked out."""
    def row(label, amount):
        return {"label": label, "total": str(amount), "fiscal": str(amount), column: str(amount)}

    body, grand = [], Decimal(0)
    for unit, leaves in units.items():
        unit_total = sum(Decimal(a) for _, _, a in leaves)
        grand += unit_total
        body.append(row(unit, unit_total))
        seen = set()
        for code, name, amount in leaves:
            for prefix, level_name in ((code[:3], None), (code[:5], None)):
                if prefix not in seen:
                    seen.add(prefix)
                    total = sum(Decimal(a) for c, _, a in leaves if c.startswith(prefix))
                    body.append(row(f"{prefix}-{NAMES.get(prefix, prefix)}", total))
            body.append(row(f"{code}-{name}", Decimal(amount)))
    return [row("合计", grand), row(DEPT, grand)] + body


NAMES = {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "208": "社会保障和就业支出",
         "20805": "行政事业单位养老支出", "212": "城乡社区支出", "21201": "城乡社区管理事务", "221": "住房保障支出",
         "22102": "住房改革支出"}
UNIT = "145001-测试局（本级）"


def two_years(tmp_path, old: list, new: list, *, old_unit="元", new_unit="元", old_extra=None, new_extra=None):
    a = disclosure(tmp_path / "2023.xlsx", {"附表4": function_rows({UNIT: old}), **(old_extra or {})},
                   year=2023, dept=DEPT, unit=old_unit)
    b = disclosure(tmp_path / "2024.xlsx", {"附表4": function_rows({UNIT: new}), **(new_extra or {})},
                   year=2024, dept=DEPT, unit=new_unit)
    return a, b


def run_json(cli, *args):
    out = cli("diff", *args, "--format", "json")
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


def lines(data, table="附表4", column="total"):
    t = next(t for t in data["tables"] if t["code"] == table)
    return {ln["key"]: ln for ln in t["lines"] if ln["column"] == column}


def test_rows_match_by_key_not_position(cli, tmp_path):
    leaves = [("2010301", "行政运行", "1000000.00"), ("2080505", "机关事业单位基本养老保险缴费支出", "200000.00"),
              ("2210201", "住房公积金", "300000.00")]
    a, b = two_years(tmp_path, leaves, list(reversed(leaves)))
    data = run_json(cli, a, b)
    got = lines(data)
    assert {ln["status"] for ln in got.values()} == {"不变"}
    assert got["145001/2080505"]["before"] == got["145001/2080505"]["after"] == "200000.00"
    t4 = data["tables"][0]
    assert t4["counts"] == {"不变": 12} and t4["flagged"] == 0 and t4["flagged_rows"] == 0 and data["flagged"] == []


def test_code_adjustment_new_and_removed_lines(cli, tmp_path):
    old = [("2010301", "行政运行", "1000000.00"), ("2010302", "一般行政管理事务", "500000.00"),
           ("2080505", "机关事业单位基本养老保险缴费", "200000.00"), ("2210201", "住房公积金", "300000.00")]
    new = [("2010301", "行政运行", "1000000.00"), ("2010350", "一般行政管理事务", "500000.00"),   # code changed
           ("2080505", "机关事业单位基本养老保险缴费支出", "210000.00"),                       # renamed
           ("2120101", "行政运行", "80000.00")]                                                # new; 2210201 gone
    a, b = two_years(tmp_path, old, new)
    got = lines(run_json(cli, a, b))
    moved = got["145001/2010350"]
    assert moved["status"] == "科目调整" and moved["old_key"] == "145001/2010302"
    assert moved["note"] == "编码 2010302 → 2010350" and moved["change"] == "0.00" and moved["flag"] is None
    assert "145001/2010302" not in got                      # not also reported as removed
    renamed = got["145001/2080505"]
    assert renamed["status"] == "科目调整" and renamed["note"] == "名称 机关事业单位基本养老保险缴费 → 机关事业单位基本养老保险缴费支出"
    assert renamed["change"] == "10000.00" and renamed["rate"] == "5.00"
    assert got["145001/2120101"]["status"] == "新增" and got["145001/2120101"]["before"] is None
    assert got["145001/2210201"]["status"] == "删除" and got["145001/2210201"]["after"] is None
    assert got["145001/2210201"]["change"] == "-300000.00" and got["145001/2210201"]["rate"] == "-100.00"
    assert got["145001/212"]["status"] == "新增" and got["145001/221"]["status"] == "删除"
    # A removed row stays where it stood last year: after the rows it followed.
    order = list(got)
    assert order.index("145001/2210201") > order.index("145001/2080505")


def test_code_change_with_a_changed_amount_is_a_removal_and_an_addition(cli, tmp_path):
    a, b = two_years(tmp_path, [("2010302", "一般行政管理事务", "500000.00")],
                     [("2010350", "一般行政管理事务", "500000.01")])
    got = lines(run_json(cli, a, b))
    assert got["145001/2010302"]["status"] == "删除" and got["145001/2010350"]["status"] == "新增"


def test_materiality_threshold_and_amount(cli, tmp_path):
    old = [("2010301", "行政运行", "1000000.00"),        # +10% and +10 万元 exactly: flagged (≥)
           ("2010302", "一般行政管理事务", "2000000.00"),  # +9.99%, 19.98 万元: rate too small
           ("2080505", "养老保险缴费", "50000.00"),        # +50%, 2.5 万元: amount too small
           ("2210201", "住房公积金", "3000000.00")]        # -40%, -120 万元: flagged
    new = [("2010301", "行政运行", "1100000.00"), ("2010302", "一般行政管理事务", "2199800.00"),
           ("2080505", "养老保险缴费", "75000.00"), ("2210201", "住房公积金", "1800000.00"),
           ("2120101", "行政运行", "100000.00")]            # new, 10 万元: flagged (no rate: beyond any threshold)
    a, b = two_years(tmp_path, old, new)
    got = lines(run_json(cli, a, b))
    flagged = {k for k, ln in got.items() if ln["flag"] and "/" in k and len(k.split("/")[1]) == 7}
    assert flagged == {"145001/2010301", "145001/2210201", "145001/2120101"}
    assert got["145001/2010302"]["rate"] == "9.99" and got["145001/2080505"]["rate"] == "50.00"
    assert got["145001/2120101"]["rate"] is None and "上年为 0" in got["145001/2120101"]["flag"]
    loose = lines(run_json(cli, a, b, "--threshold", "5", "--amount", "2"))
    flagged = {k for k, ln in loose.items() if ln["flag"] and "/" in k and len(k.split("/")[1]) == 7}
    assert flagged == {"145001/2010301", "145001/2010302", "145001/2080505", "145001/2210201", "145001/2120101"}
    strict = lines(run_json(cli, a, b, "--threshold", "40", "--amount", "100"))
    assert {k for k, ln in strict.items() if ln["flag"]} == {"145001/2210201", "145001/22102", "145001/221"}
    # Largest first, the same money in another column listed once (total = 一般公共预算 here).
    data = run_json(cli, a, b)
    changes = [abs(Decimal(f["change"])) for f in data["flagged"]]
    assert changes == sorted(changes, reverse=True)
    assert all(f["column"] == "total" for f in data["flagged"])
    assert {"table": "附表4", "key": "145001/2210201", "column": "gpb"} in next(
        f["also"] for f in data["flagged"] if f["key"] == "145001/2210201")


def test_years_in_different_units_compare_in_wan(cli, tmp_path):
    # 2023 published in 万元, 2024 in 元: compared exactly in 元, shown in 万元.
    a, b = two_years(tmp_path, [("2010301", "行政运行", "123.46"), ("2210201", "住房公积金", "50.00")],
                     [("2010301", "行政运行", "1300000.04"), ("2210201", "住房公积金", "500049.99")],
                     old_unit="万元")
    data = run_json(cli, a, b)
    assert data["unit"] == "万元" and data["tables"][0]["unit"] == "万元"
    got = lines(data)
    run = got["145001/2010301"]
    assert (run["before"], run["after"], run["change"]) == ("123.46", "130.00", "6.54")
    # 1,300,000.04 − 1,234,600.00 = 65,400.04 元 exactly: 5.2973…%
    assert run["rate"] == "5.30"
    fund = got["145001/2210201"]
    assert (fund["before"], fund["after"], fund["change"], fund["status"]) == ("50.00", "50.00", "0.00", "变动")
    assert any("按元精确计算" in n for n in data["tables"][0]["notes"])
    shown_in_yuan = lines(run_json(cli, a, b, "--unit", "元"))
    assert shown_in_yuan["145001/2010301"]["before"] == "1234600.00"
    assert shown_in_yuan["145001/2010301"]["change"] == "65400.04"


def test_projects_match_by_normalised_name_within_their_unit(cli, tmp_path):
    def items(rows):
        total = sum(Decimal(a) for _, a in rows)
        return [{"label": "合计", "total": str(total), "gpb": str(total)}] + [
            {"seq": i, "unit": UNIT, "label": name, "category": "31-部门项目", "total": a, "gpb": a}
            for i, (name, a) in enumerate(rows, 1)]
    old = {"附表12": items([("“2023-2024年度”供热平台运行费", "20000.00"), ("燃气安全第三方服务", "400000.00")])}
    new = {"附表12": items([("燃气安全第三方服务", "400000.00"), ("2023-2024年度供热平台运行费", "30000.00"),
                           ("新云巷危房安全监测费", "30000.00"), ("+1-2 项目（以 + 开头）", "1.00")])}
    a, b = two_years(tmp_path, [("2010301", "行政运行", "1.00")], [("2010301", "行政运行", "1.00")],
                     old_extra=old, new_extra=new)
    got = lines(run_json(cli, a, b), "附表12")
    heat = next(ln for ln in got.values() if "供热" in ln["label"])
    assert heat["status"] == "变动" and (heat["before"], heat["after"]) == ("20000.00", "30000.00")
    assert got["145001/燃气安全第三方服务"]["status"] == "不变"
    assert got["145001/新云巷危房安全监测费"]["status"] == "新增"
    # Workbook text that looks like a formula is written as text.
    assert cli("diff", a, b, "-o", tmp_path / "d.xlsx").returncode == 0
    import openpyxl
    cell = next(r[1] for r in openpyxl.load_workbook(tmp_path / "d.xlsx")["附表12"].iter_rows(min_row=5)
                if str(r[1].value).startswith("+1-2"))
    assert cell.data_type == "s"


def test_project_match_key_is_template_data(cli, tmp_path):
    """A province whose 项目支出表 prints a 项目编码: the template says to match by it, so a renamed
    project is a 科目调整 and a re-coded one with the same name and amount too."""
    import yaml

    from budget_xl.templates import load_template, templates_dir

    data = yaml.safe_load((templates_dir() / "部门预算-辽宁.yaml").read_text(encoding="utf-8"))
    data["id"] = "部门预算-带项目编码"
    t12 = next(t for t in data["tables"] if t["code"] == "附表12")
    t12["columns"].insert(1, {"id": "pcode", "role": "text", "header": ["项目编码"]})
    t12["diff"]["match"] = ["pcode", "label"]
    path = tmp_path / "带项目编码.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ts = load_template(path)

    def items(rows):
        total = sum(Decimal(a) for _, _, a in rows)
        return [{"label": "合计", "total": str(total), "gpb": str(total)}] + [
            {"seq": i, "pcode": code, "unit": UNIT, "label": name, "total": a, "gpb": a}
            for i, (code, name, a) in enumerate(rows, 1)]
    a = disclosure(tmp_path / "a.xlsx", {"附表12": items([("P001", "老旧小区通气改造费", "100000.00"),
                                                          ("P002", "应急排险资金", "600000.00")])},
                   year=2023, dept=DEPT, template=ts)
    b = disclosure(tmp_path / "b.xlsx", {"附表12": items([("P001", "大皮革小区通气改造费", "100000.00"),
                                                          ("P009", "应急排险资金", "600000.00")])},
                   year=2024, dept=DEPT, template=ts)
    got = lines(run_json(cli, a, b, "--template", path), "附表12")
    renamed = next(ln for ln in got.values() if "通气" in ln["label"])
    assert renamed["status"] == "科目调整" and renamed["note"] == "名称 老旧小区通气改造费 → 大皮革小区通气改造费"
    moved = next(ln for ln in got.values() if "排险" in ln["label"])
    assert moved["status"] == "科目调整" and moved["note"] == "编码 P002 → P009"
    assert [ln["status"] for ln in got.values()] == ["不变", "科目调整", "科目调整"]


def test_template_diff_section_is_validated(tmp_path):
    import yaml

    from budget_xl.errors import TemplateError
    from budget_xl.templates import load_template, templates_dir

    data = yaml.safe_load((templates_dir() / "部门预算-辽宁.yaml").read_text(encoding="utf-8"))
    next(t for t in data["tables"] if t["code"] == "附表4")["diff"] = {"columns": ["total", "nope"]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError, match="diff.columns 中的 “nope” 不是本表的金额列"):
        load_template(path)
    data = yaml.safe_load((templates_dir() / "部门预算-辽宁.yaml").read_text(encoding="utf-8"))
    data["versus_final"][1]["budget"] = "附表7.nope"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError, match="表 附表7 没有金额列 “nope”"):
        load_template(path)


def test_bundled_budget_final_correspondence_names_real_final_columns():
    from budget_xl.templates import get_template, load_all

    final = get_template("部门决算-全国")
    budgets = [ts for ts in load_all() if ts.kind == "部门预算"]
    assert {"部门预算-辽宁", "部门预算-全国", "单位预算-全国"} <= {ts.id for ts in budgets}
    for budget in budgets:
        assert budget.versus_final, budget.id
        for section in budget.versus_final:
            for side in [section.final] if section.final else [ln.final for ln in section.lines]:
                assert side.column in final.table(side.table).column_ids, (budget.id, section.id, side)


def test_json_document(cli, tmp_path):
    a, b = two_years(tmp_path, [("2010301", "行政运行", "1000000.00")], [("2010301", "行政运行", "1500000.00")])
    data = run_json(cli, a, b)
    assert data["mode"] == "years" and data["unit"] == "元"
    assert data["before"]["year"] == 2023 and data["after"]["label"] == "2024年预算"
    assert data["before"]["check"] == {"errors": 0, "warnings": data["before"]["check"]["warnings"], "findings": []}
    assert data["rule"] == {"threshold": "10", "amount": "10", "band": ["90", "110"]}
    t4 = data["tables"][0]
    assert t4["code"] == "附表4" and {"id": "gpb", "label": "一般公共预算"} in t4["columns"]
    assert t4["total"]["change"] == "500000.00" and t4["total"]["rate"] == "50.00"
    top = data["flagged"][0]
    assert set(top) >= {"table", "key", "label", "column", "before", "after", "change", "rate", "status", "flag", "also"}
    assert data["sections"] == []
