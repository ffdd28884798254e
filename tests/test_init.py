"""`budget-xl init` writes a blank workbook a clerk can fill in; `fill` on it gives the full disclosure."""
import openpyxl
from test_samples import BUDGET_2024_FIXED

import budget_xl
from budget_xl.layout import layout_columns
from budget_xl.model import CLASS, ITEM, UNIT

DEPT = "145-大连市西岗区住房和城乡建设局"
UNITS = ["145001-大连市西岗区住房和城乡建设局（本级）", "145002-大连市西岗区住房城市建设事务服务中心"]


def test_blank_workbook_layout_and_protection(cli, tmp_path):
    out = tmp_path / "填报.xlsx"
    res = cli("init", "部门预算", "--template", "部门预算-辽宁", "--year", "2024", "--dept", DEPT,
              *sum((["--units", u] for u in UNITS), []), "-o", out)
    assert res.returncode == 0, res.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "说明" and "附表1" not in wb.sheetnames and "附表4" in wb.sheetnames
    ws = wb["附表4"]
    assert ws.protection.sheet
    assert ws["A6"].value == "合计" and ws["A6"].protection.locked
    assert ws["A9"].protection.locked is False and ws["D9"].protection.locked is False   # entry cells
    assert ws["B9"].protection.locked and ws["C9"].protection.locked                      # 合计, 小计: computed
    assert any("科目表" in dv.formula1 for dv in ws.data_validations.dataValidation)
    d = budget_xl.read(out)
    assert d.department == DEPT and d.year == 2024 and d.missing == ["附表1", "附表3", "附表6"]
    again = cli("init", "部门预算", "--template", "部门预算-辽宁", "--year", "2024", "--dept", DEPT, "-o", out)
    assert again.returncode == 2 and "已存在" in again.stderr


def _fill_in_by_hand(blank, full):
    """What a clerk types: the detail rows and amounts of the full workbook, nothing derived."""
    wb = openpyxl.load_workbook(blank)
    for code, table in full.tables.items():
        spec = table.spec
        if spec.derived or code not in wb.sheetnames:
            continue
        ws = wb[code]
        cols = {c.id: i + 1 for i, c in enumerate(layout_columns(spec))}
        leaf = [c.id for c in spec.columns if not c.sum_of]
        label_col = next(i + 1 for i, c in enumerate(layout_columns(spec)) if c.role == "label")
        rows = list(ws.iter_rows(min_row=6))
        free = [r[0].row for r in rows if r[label_col - 1].value is None and r[label_col - 1].protection.locked is False]

        def put(r, row):
            for cid in leaf:
                if row.amounts.get(cid) is not None:
                    ws.cell(r, cols[cid]).value = float(row.amounts[cid])

        if spec.rows.kind == "units":
            for row in table.rows:
                if row.kind == UNIT:
                    r = next(c.row for line in rows for c in line[:1] if c.value == row.label or
                             (c.value or "").split("-")[0] == row.key)
                    put(r, row)
        elif spec.rows.kind == "items":
            for row, r in zip([x for x in table.rows if x.kind == ITEM], free):
                ws.cell(r, cols["label"]).value = row.label
                for cid in ("seq", "unit", "category"):
                    if cid in cols and row.attrs.get(cid):
                        ws.cell(r, cols[cid]).value = row.attrs[cid]
                put(r, row)
        elif spec.rows.kind == "classified":
            longest = 7 if spec.rows.classification == "function" else 5
            for unit_row in [x for x in table.rows if x.kind == UNIT]:
                start = next(c.row for line in rows for c in line[:1] if (c.value or "").split("-")[0] == unit_row.key)
                slots = [r for r in free if r > start]
                details = [x for x in table.rows if x.kind == CLASS and x.unit == unit_row.key and len(x.code) == longest]
                for row, r in zip(details, slots):
                    ws.cell(r, label_col).value = row.label
                    put(r, row)
    out = blank.with_name("填好了.xlsx")
    wb.save(out)
    return out


def test_fill_on_an_init_workbook_filled_by_hand(cli, tmp_path):
    full = budget_xl.read(BUDGET_2024_FIXED)
    blank = tmp_path / "填报.xlsx"
    assert cli("init", "部门预算", "--template", "部门预算-辽宁", "--year", "2024", "--dept", DEPT,
               *sum((["--units", u] for u in UNITS), []), "-o", blank).returncode == 0
    filled = _fill_in_by_hand(blank, full)
    res = cli("fill", filled, "-o", tmp_path / "发布")
    assert res.returncode == 0, res.stdout + res.stderr
    (published,) = (tmp_path / "发布").glob("*公开表.xlsx")
    got = budget_xl.read(published)
    for code, table in full.tables.items():
        want = {(r.key, c): v for r in table for c, v in r.amounts.items() if v}
        have = {(r.key, c): v for r in got.tables[code] for c, v in r.amounts.items() if v}
        assert have == want, (code, sorted(set(want.items()) ^ set(have.items()))[:6])


def test_init_refuses_a_blank_department_and_a_year_out_of_range(cli, tmp_path):
    out = tmp_path / "填报表.xlsx"
    result = cli("init", "部门决算", "--year", "2024", "--dept", " ", "-o", out)
    assert result.returncode == 2 and "请写明部门" in result.stderr
    result = cli("init", "部门决算", "--year", "24", "--dept", "x", "-o", out)
    assert result.returncode == 2 and "不在范围" in result.stderr
    result = cli("init", "部门决算", "--year", "二〇二四", "--dept", "x", "-o", out)
    assert result.returncode == 2 and "不是有效的整数" in result.stderr
    assert not out.exists()
