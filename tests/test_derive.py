"""Deriving subtotals: a workbook with only its detail rows entered completes to the full one."""
import copy
from decimal import Decimal

from test_samples import BUDGET_2023, BUDGET_2024_FIXED, FINAL_2024_FIXED

import budget_xl
from budget_xl.derive import complete
from budget_xl.model import CLASS, ITEM


def _leaf(row, table) -> bool:
    """A row the clerk enters: a 项 (or an economic 款), a project; a fixed row that is no sum."""
    if row.kind == ITEM:
        return True
    if row.kind == "unit" and table.spec.rows.kind == "units":
        return True
    if row.kind == "total" and table.spec.rows.kind == "single":
        return True
    if row.kind == CLASS and row.code:
        longest = 7 if table.spec.rows.classification == "function" else 5
        return len(row.code) == longest or not any(
            r.kind == CLASS and r.unit == row.unit and r.code and r.code != row.code and r.code.startswith(row.code)
            for r in table.rows)
    if row.kind == "fixed":
        fixed = table.spec.fixed_row(row.key)
        return fixed is not None and fixed.sum_of is None
    return False


def strip_to_details(d):
    """Blank every derived value: subtotal rows, parent rows, and 合计/小计 columns."""
    d2 = copy.deepcopy(d)
    for table in d2.tables.values():
        sums = {c.id for c in table.spec.columns if c.sum_of}
        kept = []
        for row in table.rows:
            if table.spec.rows.kind == "classified" and row.kind == CLASS and not _leaf(row, table):
                continue  # the clerk did not even write the 类/款 rows
            if not _leaf(row, table):
                row.amounts = dict.fromkeys(row.amounts)
            for c in sums:
                if c in row.amounts:
                    row.amounts[c] = None
            kept.append(row)
        table.rows[:] = kept
        table._index = None
    return d2


def snapshot(d):
    return {(t.code, r.key, c): v for t in d.tables.values() for r in t.rows for c, v in r.amounts.items()
            if v is not None}


def test_details_only_complete_to_the_full_workbook():
    for path in (BUDGET_2024_FIXED, BUDGET_2023):
        full = budget_xl.read(path)
        bare = strip_to_details(full)
        changes = complete(bare)
        assert not [c for c in changes if c.conflict]
        got, want = snapshot(bare), snapshot(full)
        # every value of the published tables is re-derived (structure-derived tables excepted: 附表1/3/6)
        missing = {k: v for k, v in want.items() if k not in got and k[0] not in ("附表1", "附表3", "附表6")}
        wrong = {k: (got[k], v) for k, v in want.items() if k in got and got[k] != v}
        assert not missing and not wrong, (path.name, list(missing.items())[:5], list(wrong.items())[:5])
        # and the parent rows the clerk left out were created with their names
        t4 = bare.tables["附表4"]
        assert t4["145001/212"].label == "212-城乡社区支出"


def test_conflicts_are_reported_not_overwritten_unless_recompute():
    d = budget_xl.read(BUDGET_2024_FIXED)
    row = d.tables["附表4"]["145001/208"]
    row.amounts["gpb"] = Decimal("1.00")
    changes = complete(d)
    conflicts = [c for c in changes if c.conflict]
    assert [(c.table, c.row, c.column, c.entered, c.computed) for c in conflicts] == [
        ("附表4", "145001/208", "gpb", Decimal("1.00"), Decimal("764257.55"))]
    assert str(conflicts[0].cell) == "附表4!D9"
    assert row.amounts["gpb"] == Decimal("1.00")
    complete(d, recompute=True)
    assert row.amounts["gpb"] == Decimal("764257.55")


def test_final_accounts_rounding_is_no_conflict():
    d = budget_xl.read(FINAL_2024_FIXED)
    changes = complete(d)
    # the published 万元 tables carry 尾数误差 (677.92 printed, 677.93 summed): within the envelope,
    # the printed figure stands and nothing is reported
    assert not [c for c in changes if c.conflict]
    assert d.tables["财决公开02"]["合计"].amounts["total"] == Decimal("677.92")


def test_derived_tables_are_computed_from_the_others():
    from budget_xl.derive import derive_tables

    for path, derived in ((BUDGET_2024_FIXED, ("附表1", "附表3", "附表6")), (FINAL_2024_FIXED, ("财决公开04",))):
        full = budget_xl.read(path)
        bare = copy.deepcopy(full)
        for code in derived:
            del bare.tables[code]
        changes = derive_tables(bare)
        assert not [c for c in changes if c.conflict], [c for c in changes if c.conflict][:3]
        want = {k: v for k, v in snapshot(full).items() if k[0] in derived and v != 0}
        got = snapshot(bare)
        wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
        assert not wrong, (path.name, list(wrong.items())[:8])
        # the derived 附表3 has the rows of 附表4, in its order
        if "附表3" in derived:
            assert [r.key for r in bare.tables["附表3"]][:3] == ["合计", "145", "145001"]
