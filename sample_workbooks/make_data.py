"""Write the derived TSVs of the sample workbooks (run before build.py when source data changes):

1. `data/2024_住建局_部门预算_更正版/附表3.tsv` — 支出预算总表 derived from the corrected 附表4
   (rows and 合计) with 基本支出 = 附表7 + 附表10 + 附表11 基本支出 of the same unit and 科目, and
   项目支出 = 合计 − 基本支出 (= 附表7/10/11 项目支出 + 财政专户管理资金, all of which is project spending).
2. `data/2023_住建局_部门预算/附表1–14.tsv` — the prior-year budget, computed from the leaf data in
   `data/2023_住建局_部门预算/source.yaml`: every 款/类/unit/department/合计 row and every table is a
   roll-up of the leaves, done with decimal.Decimal; likewise `data/2024_政府办_部门预算/` (the 年初预算 of
   the 政府办 final accounts).

3. `data/2024_西岗区_政府预算/*.tsv` — the invented 2024 政府预算 (make_gov2024.py, which says how).

Usage: python sample_workbooks/make_data.py [--check]
(--check: only verify that the TSVs on disk are what this script would write.)
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sampledata as sd
import yaml

from budget_xl.layout import layout_columns
from budget_xl.text import norm, strip_ordinal

ZERO = Decimal(0)
amt = sd.format_amount


def A(x) -> Decimal:
    """Amount from source.yaml ('1,234.56', '' or missing -> 0)."""
    return sd.parse_amount(str(x)) or ZERO if x not in (None, "") else ZERO


def fmt(x: Decimal) -> str:
    return amt(x, blank_zero=True)


# --------------------------------------------------------------------------- 1. 附表3 of the corrected 2024
def derive_fb3(wb: sd.WorkbookData) -> tuple[list[str], list[list[str]]]:
    ts = wb.template
    basic: dict[tuple, Decimal] = defaultdict(Decimal)
    for code in ("附表7", "附表10", "附表11"):
        t = wb.tables[code]
        bi = t.col("basic")
        for key, row in zip(sd.row_keys(ts, t), t.rows):
            basic[key] += sd.parse_amount(row[bi]) or ZERO
    t4 = wb.tables["附表4"]
    li, ti = t4.col("label"), t4.col("total")
    rows = []
    for key, row in zip(sd.row_keys(ts, t4), t4.rows):
        total = sd.parse_amount(row[ti]) or ZERO
        b = basic.get(key, ZERO)
        label = "合计" if key == ("total",) else row[li]
        rows.append([label, fmt(total), fmt(b), fmt(total - b)])
    return ["label", "total", "basic", "project"], rows


# --------------------------------------------------------------------------- 2. the 2023 budget
FUNDS = ("gpb", "gf", "soc", "special")


class Budget:
    """Leaf data of one year's budget and its roll-ups (all Decimal)."""

    def __init__(self, src: dict):
        self.src = src
        self.names = {str(k): v for k, v in src["names"].items()}
        self.dept = src["department"]
        self.units = src["units"]
        # function leaves: per unit, per 项 code: amounts by measure
        self.fn: dict[str, dict[str, dict[str, Decimal]]] = {}
        self.econ: dict[str, dict[str, dict[str, Decimal]]] = {}
        for u in self.units:
            fn: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
            ec: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
            for leaf in u.get("function_basic") or []:
                self.names[leaf["code"]] = leaf["name"]
                fn[leaf["code"]]["gpb_personnel"] += A(leaf.get("personnel"))
                fn[leaf["code"]]["gpb_public"] += A(leaf.get("public"))
            for leaf in u.get("econ_basic") or []:
                self.names[leaf["code"]] = leaf["name"]
                ec[leaf["code"]]["gpb_personnel"] += A(leaf.get("personnel"))
                ec[leaf["code"]]["gpb_public"] += A(leaf.get("public"))
            for p in u.get("projects") or []:
                self.names[p["function"]] = p["fn_name"]
                self.names[p["econ"]] = p["econ_name"]
                fn[p["function"]][f"{p['fund']}_project"] += A(p["amount"])
                ec[p["econ"]][f"{p['fund']}_project"] += A(p["amount"])
            self.fn[u["code"]] = fn
            self.econ[u["code"]] = ec
            # the two classifications of 基本支出 must agree per unit
            for m in ("gpb_personnel", "gpb_public"):
                a = sum((v[m] for v in fn.values()), ZERO)
                b = sum((v[m] for v in ec.values()), ZERO)
                assert a == b, (u["code"], m, a, b)
            for f in FUNDS:
                a = sum((v[f"{f}_project"] for v in fn.values()), ZERO)
                b = sum((v[f"{f}_project"] for v in ec.values()), ZERO)
                assert a == b, (u["code"], f, a, b)

    # measures of a leaf
    @staticmethod
    def measure(v: dict[str, Decimal], m: str) -> Decimal:
        g = lambda k: v.get(k, ZERO)
        basic = {f: g(f"{f}_personnel") + g(f"{f}_public") for f in FUNDS}
        fund = {f: basic[f] + g(f"{f}_project") for f in FUNDS}
        table = {
            "gpb": fund["gpb"], "gf": fund["gf"], "soc": fund["soc"], "special": fund["special"],
            "fiscal": fund["gpb"] + fund["gf"],
            "total": sum(fund.values(), ZERO),
            "basic_all": sum(basic.values(), ZERO),
            "project_all": sum((g(f"{f}_project") for f in FUNDS), ZERO),
            "personnel_all": sum((g(f"{f}_personnel") for f in FUNDS), ZERO),
            "public_all": sum((g(f"{f}_public") for f in FUNDS), ZERO),
        }
        for f in FUNDS:
            table[f"{f}_basic"] = basic[f]
            table[f"{f}_personnel"] = g(f"{f}_personnel")
            table[f"{f}_public"] = g(f"{f}_public")
            table[f"{f}_project"] = g(f"{f}_project")
        return table[m]

    def unit_label(self, u) -> str:
        return f"{u['code']}-{u['name']}"

    def dept_label(self) -> str:
        return f"{self.dept['code']}-{self.dept['name']}"

    def classified(self, leaves_of, measures: list[str], levels: tuple[int, ...], keep) -> list[list[str]]:
        """Rows 合计 / department / unit / 类 / 款 / 项 for a classified table; `measures` are the
        column measures; a 科目 row is printed when keep(its values) is true."""
        def sums(leaves: dict[str, dict], prefix: str = "") -> list[Decimal]:
            return [sum((self.measure(v, m) for c, v in leaves.items() if c.startswith(prefix)), ZERO)
                    for m in measures]

        unit_blocks, unit_totals = [], []
        for u in self.units:
            leaves = leaves_of(u["code"])
            tot = sums(leaves)
            if not keep(tot):
                continue
            unit_totals.append(tot)
            block = [[self.unit_label(u)] + [fmt(x) for x in tot]]
            codes = sorted({c[:n] for c in leaves for n in levels})
            for code in codes:
                vals = sums(leaves, code)
                if keep(vals):
                    block.append([f"{code}-{self.names[code]}"] + [fmt(x) for x in vals])
            unit_blocks.append(block)
        grand = [sum(col, ZERO) for col in zip(*unit_totals)] if unit_totals else [ZERO] * len(measures)
        rows = [["合计"] + [fmt(x) for x in grand]]
        if unit_blocks:
            rows.append([self.dept_label()] + [fmt(x) for x in grand])
            for block in unit_blocks:
                rows += block
        return rows

    def all_leaves(self, table) -> dict[str, dict]:
        merged: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for u in self.units:
            for code, v in table[u["code"]].items():
                for k, x in v.items():
                    merged[code][k] += x
        return merged

    def total(self, m: str, table=None) -> Decimal:
        leaves = self.all_leaves(table or self.fn)
        return sum((self.measure(v, m) for v in leaves.values()), ZERO)

    def class_total(self, cls: str, m: str) -> Decimal:
        leaves = self.all_leaves(self.fn)
        return sum((self.measure(v, m) for c, v in leaves.items() if c.startswith(cls)), ZERO)


def fill_fixed(template_rows: list[list[str]], columns: list[str], spec, values: dict[tuple[str, str], Decimal]):
    """Re-use the printed labels of a fixed-row table and put values[(row id, column)] in."""
    out = []
    pos = 0
    spans = []
    for p in spec.panels:
        ids = [c.id for c in p.columns if c.id in columns]
        spans.append((p, list(range(pos, pos + len(ids))), ids))
        pos += len(ids)
    for row in template_rows:
        new = list(row)
        for p, idx, ids in spans:
            label_i = idx[ids.index(next(c.id for c in p.columns if c.role == "label"))]
            label = row[label_i]
            for i, cid in zip(idx, ids):
                if i != label_i:
                    new[i] = ""
            if not label:
                continue
            n = strip_ordinal(norm(label))
            (fr,) = [r for r in p.rows if n in r.names]
            for i, cid in zip(idx, ids):
                if i != label_i:
                    new[i] = fmt(values.get((fr.id, cid), ZERO))
        out.append(new)
    return out


def gen_budget(src: dict, layout_from: sd.WorkbookData) -> dict[str, tuple[list[str], list[list[str]]]]:
    b = Budget(src)
    ts = layout_from.template
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    nonzero = lambda vals: any(v != 0 for v in vals)
    fn = lambda u: b.fn[u]
    ec = lambda u: b.econ[u]
    fn_levels, ec_levels = (3, 5, 7), (3, 5)

    # 附表4 / 附表5: all funds
    cols45 = ["total", "fiscal", "gpb", "gf", "soc", "special"]
    out["附表4"] = (["label"] + cols45, b.classified(fn, cols45, fn_levels, nonzero))
    out["附表5"] = (["label"] + cols45, b.classified(ec, cols45, ec_levels, nonzero))
    # 附表3: 基本 / 项目 over all funds
    out["附表3"] = (["label", "total", "basic", "project"],
                   b.classified(fn, ["total", "basic_all", "project_all"], fn_levels, nonzero))
    # 附表7: 一般公共预算 only
    m7 = ["gpb", "gpb_basic", "gpb_personnel", "gpb_public", "gpb_project"]
    out["附表7"] = (["label", "total", "basic", "personnel", "public", "project"],
                   b.classified(fn, m7, fn_levels, nonzero))
    # 附表8: 一般公共预算 基本支出 by 经济分类
    m8 = ["gpb_basic", "gpb_personnel", "gpb_public"]
    out["附表8"] = (["label", "total", "personnel", "public"], b.classified(ec, m8, ec_levels, nonzero))
    # 附表10 / 附表11
    out["附表10"] = (["label", "total", "basic", "project"],
                    b.classified(fn, ["gf", "gf_basic", "gf_project"], fn_levels, nonzero))
    out["附表11"] = (["label", "total", "basic", "project"],
                    b.classified(fn, ["soc", "soc_basic", "soc_project"], fn_levels, nonzero))
    # 附表2: income by unit (= each unit's spending, no carry-over)
    m2 = ["total", "total", "gpb", "gf", "soc", "special"]
    rows2 = []
    for row in b.classified(fn, m2, (), nonzero):
        rows2.append(row)
    out["附表2"] = (["label", "total", "in_subtotal", "gpb", "gf", "soc", "special"], rows2)

    # 附表1 / 附表6: fixed rows, labels as printed in the 2024 workbook
    total = lambda m: b.total(m)
    v1: dict[tuple[str, str], Decimal] = {
        ("in_gpb", "in_amount"): total("gpb"), ("in_gf", "in_amount"): total("gf"),
        ("in_soc", "in_amount"): total("soc"), ("in_special", "in_amount"): total("special"),
        ("in_total", "in_amount"): total("total"), ("in_grand", "in_amount"): total("total"),
        ("cat_basic", "cat_amount"): total("basic_all"), ("cat_personnel", "cat_amount"): total("personnel_all"),
        ("cat_public", "cat_amount"): total("public_all"), ("cat_project", "cat_amount"): total("project_all"),
        ("cat_dept_project", "cat_amount"): total("project_all"),
        ("cat_total", "cat_amount"): total("total"), ("cat_grand", "cat_amount"): total("total"),
    }
    for fr in ts.tables["附表1"].fixed_rows:
        if fr.is_class:
            for c in ("total", "gpb", "gf", "soc", "special"):
                v1[(fr.id, c)] = b.class_total(fr.id, c)
    for rid in ("fn_total", "fn_grand"):
        for c in ("total", "gpb", "gf", "soc", "special"):
            v1[(rid, c)] = total(c)
    t1 = layout_from.tables["附表1"]
    out["附表1"] = (t1.columns, fill_fixed(t1.rows, t1.columns, ts.tables["附表1"], v1))

    fiscal_basic = total("gpb_basic") + total("gf_basic") + total("soc_basic")
    fiscal_project = total("gpb_project") + total("gf_project") + total("soc_project")
    fiscal = total("gpb") + total("gf") + total("soc")
    v6: dict[tuple[str, str], Decimal] = {
        ("in_gpb", "in_amount"): total("gpb"), ("in_gf", "in_amount"): total("gf"),
        ("in_soc", "in_amount"): total("soc"), ("in_total", "in_amount"): fiscal,
        ("in_grand", "in_amount"): fiscal,
        ("cat_basic", "cat_amount"): fiscal_basic,
        ("cat_personnel", "cat_amount"): total("gpb_personnel") + total("gf_personnel") + total("soc_personnel"),
        ("cat_public", "cat_amount"): total("gpb_public") + total("gf_public") + total("soc_public"),
        ("cat_project", "cat_amount"): fiscal_project, ("cat_dept_project", "cat_amount"): fiscal_project,
        ("cat_total", "cat_amount"): fiscal, ("cat_grand", "cat_amount"): fiscal,
    }
    for fr in ts.tables["附表6"].fixed_rows:
        if fr.is_class:
            v6[(fr.id, "total")] = b.class_total(fr.id, "gpb") + b.class_total(fr.id, "gf") + b.class_total(fr.id, "soc")
            for c in ("gpb", "gf", "soc"):
                v6[(fr.id, c)] = b.class_total(fr.id, c)
    for rid in ("fn_total", "fn_grand"):
        v6[(rid, "total")] = fiscal
        for c in ("gpb", "gf", "soc"):
            v6[(rid, c)] = total(c)
    t6 = layout_from.tables["附表6"]
    out["附表6"] = (t6.columns, fill_fixed(t6.rows, t6.columns, ts.tables["附表6"], v6))

    # 附表9 三公 (by unit)
    sg_cols = ["abroad", "car_purchase", "car_running", "reception"]
    sg = {u["code"]: {c: A((u.get("sangong") or {}).get(c)) for c in sg_cols} for u in b.units}

    def sg_row(label, v):
        car = v["car_purchase"] + v["car_running"]
        return [label, fmt(v["abroad"] + car + v["reception"]), fmt(v["abroad"]), fmt(car),
                fmt(v["car_purchase"]), fmt(v["car_running"]), fmt(v["reception"])]

    dept_sg = {c: sum((sg[u][c] for u in sg), ZERO) for c in sg_cols}
    rows9 = [sg_row("合计", dept_sg)]
    if any(dept_sg.values()):
        rows9.append(sg_row(b.dept_label(), dept_sg))
        rows9 += [sg_row(b.unit_label(u), sg[u["code"]]) for u in b.units if any(sg[u["code"]].values())]
    out["附表9"] = (["label", "total", "abroad", "car", "car_purchase", "car_running", "reception"], rows9)

    # 附表12 项目支出表
    cols12 = ["seq", "unit", "label", "category", "total", "gpb", "gf", "soc", "special"]
    items, sums12 = [], defaultdict(Decimal)
    n = 0
    for u in b.units:
        for p in u.get("projects") or []:
            n += 1
            a = A(p["amount"])
            vals = {f: (a if p["fund"] == f else ZERO) for f in FUNDS}
            for f in FUNDS:
                sums12[f] += vals[f]
            sums12["total"] += a
            items.append([str(n), b.unit_label(u), p["name"], src["project_category"], fmt(a)] + [fmt(vals[f]) for f in FUNDS])
    out["附表12"] = (cols12, [["合计", "", "", "", fmt(sums12["total"])] + [fmt(sums12[f]) for f in FUNDS]] + items)

    # 附表13 政府采购预算表 (by unit)
    pc = {u["code"]: defaultdict(Decimal) for u in b.units}
    for u in b.units:
        for p in u.get("projects") or []:
            if p.get("procurement"):
                pc[u["code"]][p["procurement"]] += A(p["amount"])

    def pc_row(label, v):
        return [label, fmt(v["goods"] + v["works"] + v["services"]), fmt(v["goods"]), fmt(v["works"]), fmt(v["services"])]

    dept_pc = defaultdict(Decimal)
    for v in pc.values():
        for k, x in v.items():
            dept_pc[k] += x
    rows13 = [pc_row("合计", dept_pc)]
    if any(dept_pc.values()):
        rows13.append(pc_row(b.dept_label(), dept_pc))
        rows13 += [pc_row(b.unit_label(u), pc[u["code"]]) for u in b.units if any(pc[u["code"]].values())]
    out["附表13"] = (["label", "total", "goods", "works", "services"], rows13)

    # 附表14 政府购买服务预算表: none
    out["附表14"] = (["label", "dir1", "dir2", "dir3", "area", "amount"], [["合计", "", "", "", "", ""]])

    # every table's header = its layout columns (optional ones may be absent)
    for code, (columns, _rows) in out.items():
        layout = [c.id for c in layout_columns(ts.tables[code])]
        assert [c for c in layout if c in columns] == columns, (code, columns, layout)
    return out


# --------------------------------------------------------------------------- main
def targets() -> dict[Path, tuple[list[str], list[list[str]]]]:
    files: dict[Path, tuple[list[str], list[list[str]]]] = {}
    corrected = sd.load("2024_住建局_部门预算_更正版")
    files[sd.DATA / "2024_住建局_部门预算_更正版" / "附表3.tsv"] = derive_fb3(corrected)
    for name in ("2023_住建局_部门预算", "2024_政府办_部门预算"):
        folder = sd.DATA / name
        src = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
        for code, (columns, rows) in gen_budget(src, corrected).items():
            files[folder / f"{code}.tsv"] = (columns, rows)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check that the TSVs are up to date")
    args = ap.parse_args()
    stale = 0
    for path, (columns, rows) in targets().items():
        text = "\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale += 1
        if args.check:
            print(f"out of date: {path.relative_to(sd.ROOT)}")
        else:
            sd.write_tsv(path, columns, rows)
            print(f"wrote {path.relative_to(sd.ROOT)}")
    # 3. the invented 2024 政府预算 of 西岗区 (make_gov2024.py)
    import make_gov2024

    stale += make_gov2024.main(check=args.check)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
