"""The invented 2024 政府预算 of 大连市西岗区, the counterpart of seed 001 for `budget-xl diff 2023 2024`.

INVENTED NUMBERS: no 2024 政府预算 of the district is among the seeds. This script derives one from the
2023 tables (data/2023_西岗区_政府预算/) by fixed rules, so that it is consistent — every identity of
templates/政府预算.yaml holds exactly — and differs from 2023 in the ways a year-over-year comparison
has to show: amounts up and down, a 项 dropped (专项普查活动) and one added (其他统计信息事务支出), a
new transfer item, a new debt project, the 三公 cut, 政府性基金 balanced by 调出资金 (the 2023 tables are not).

Rules: each 项 of the 本级 detail is the 2023 amount times a factor from 0.90 to 1.15 picked by a hash
of its name path (whole 万元, half up); 款, 类 and totals are their sums; 全区 = 区本级; the 经济分类 table
is the 2023 one scaled to the new total (the remainder on 50299); the 基本支出 table the 2023 one,
corrected (302 = the sum of its 款) and grown 3 %; 收入 balance 支出 through 调入预算稳定调节基金.

Usage: python sample_workbooks/make_gov2024.py [--check]   (also run by make_data.py)
"""
from __future__ import annotations

import hashlib
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sampledata as sd

SOURCE = sd.DATA / "2023_西岗区_政府预算"
TARGET = sd.DATA / "2024_西岗区_政府预算"
ZERO = Decimal(0)
K = "\u3000\u3000"


def A(text: str) -> Decimal:
    return sd.parse_amount(text) or ZERO


def W(value: Decimal) -> str:
    """Whole 万元 with thousands separators, as the tables print them; '' for none."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"


def factor(key: str) -> Decimal:
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return Decimal(90 + h % 26) / 100     # 0.90 … 1.15


def grow(value: Decimal, key: str) -> Decimal:
    return (value * factor(key)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def tsv(name: str) -> list[list[str]]:
    return sd.read_tsv(SOURCE / f"{name}.tsv")[1]


def detail(rows: list[list[str]]) -> tuple[list[list[str]], dict[str, Decimal]]:
    """The 本级 detail of 2024: 项 grown, one dropped and one added; 款/类/合计 summed. Returns the TSV
    rows (first the 合计 line, then 类/款/项) and the 类 totals by name."""
    tree: list[tuple[str, Decimal, list[tuple[str, Decimal, list[tuple[str, Decimal]]]]]] = []
    for label, amount in ((r[0], A(r[1])) for r in rows):
        depth = (len(label) - len(label.lstrip("\u3000"))) // 2
        name = label.strip()
        if depth == 0 and name not in ("一般公共预算支出合计",) and not name.startswith(("二、", "三、", "支出总计")):
            tree.append((name, amount, []))
        elif depth == 1:
            tree[-1][2].append((name, amount, []))
        elif depth == 2:
            kuan = tree[-1][2][-1]
            if name == "专项普查活动":
                continue                          # dropped in 2024
            kuan[2].append((name, grow(amount, f"{tree[-1][0]}/{kuan[0]}/{name}")))
            if name == "一般行政管理事务" and kuan[0] == "统计信息事务":
                kuan[2].append(("其他统计信息事务支出", Decimal(45)))   # added in 2024
    out: list[list[str]] = []
    classes: dict[str, Decimal] = {}
    for cname, camount, kuans in tree:
        body, total = [], ZERO
        for kname, kamount, items in kuans:
            ksum = sum((v for _, v in items), ZERO) if items else grow(kamount, f"{cname}/{kname}")
            body.append([K + kname, W(ksum)])
            body += [[K + K + n, W(v)] for n, v in items]
            total += ksum
        if not kuans:
            total = camount + 500                 # 预备费
        classes[cname] = total
        out.append([cname, W(total)])
        out += body
    return out, classes


def main(check: bool = False) -> int:
    files: dict[str, tuple[list[str], list[list[str]]]] = {}
    d04, classes = detail(tsv("政府预算04"))
    ex_total = sum(classes.values(), ZERO)
    remit = Decimal(33000)
    grand = ex_total + remit
    files["政府预算04"] = (["item", "amount"], [["一般公共预算支出合计", W(ex_total)], *d04,
                                              ["二、上解市财政支出合计", W(remit)], ["三、年终滚存结余", ""], ["支出总计", W(grand)]])
    files["政府预算02"] = (["item", "amount"], [["一、一般公共预算支出合计", W(ex_total)],
                                              *([n, W(v)] for n, v in classes.items()),
                                              ["二、上解市财政支出合计", W(remit)], ["三、年终滚存结余", ""], ["支出总计", W(grand)]])
    # transfers: 2023 budget as the 2024 table's prior column (执行数), 2024 grown, one new item
    t07 = tsv("政府预算07")
    rows07, special, top = [], ZERO, ZERO
    for label, prior, current in t07[1:]:
        if not current:
            continue
        new = grow(A(current), label)
        rows07.append([label, W(A(current)), W(new)])
    items = [r for r in rows07 if r[0][:2].rstrip(".").isdigit()]
    subs = [r for r in rows07 if not r[0][:2].rstrip(".").isdigit()]
    items.insert(-1, ["18. 县级基本财力保障机制奖补资金收入", "", "1,200"])
    special = sum((A(r[2]) for r in subs), ZERO)
    items[-1][2] = W(special)
    items[-1][1] = W(sum((A(r[1]) for r in subs), ZERO))
    top = sum((A(r[2]) for r in items), ZERO)
    top_prior = sum((A(r[1]) for r in items), ZERO)
    for n, row in enumerate(items, 1):
        row[0] = f"{n}. {row[0].split('. ', 1)[1]}"
    files["政府预算07"] = (["item", "prior", "current"], [["西岗区", W(top_prior), W(top)], *items, *subs])
    # 收入: taxes grown, transfers from 07, balanced by 调入预算稳定调节基金
    income = []
    tax = nontax = ZERO
    for label, amount in tsv("政府预算01"):
        name = label.split(" ", 1)[-1].split("、", 1)[-1]
        if label.startswith(("一、", "(一)", "(二)", "二、", "三、", "四、", "收入总计")):
            income.append([label, ""])
            continue
        value = grow(A(amount), name)
        income.append([label, W(value)])
        if name in ("国有资源（资产）有偿收入", "行政性收费收入", "罚没收入", "捐赠收入"):
            nontax += value
        else:
            tax += value
    in_total = tax + nontax
    stabilization = grand - in_total - top
    assert stabilization > 0, stabilization
    for row in income:
        row[1] = {"一、一般公共预算收入合计": W(in_total), "(一) 税收收入": W(tax), "(二) 非稅收入": W(nontax),
                  "二、市补助收入合计": W(top), "四、调入预算稳定调节基金": W(stabilization),
                  "收入总计": W(grand)}.get(row[0], row[1])
    files["政府预算01"] = files["政府预算03"] = (["item", "amount"], income)
    # 经济分类: the 2023 rows scaled to the new total, the remainder on 50299
    t05 = tsv("政府预算05")
    ratio = ex_total / A(t05[0][2])
    kuan = {r[0]: (r[0], r[1], (A(r[2]) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            for r in t05[1:] if len(r[0]) == 5}
    kuan["50207"] = (*kuan["50207"][:2], A("100"))   # 因公出国（境）费用 kept within the 三公 budget for it
    rest = ex_total - sum((v for _, _, v in kuan.values()), ZERO)
    code, name, value = kuan["50299"]
    kuan["50299"] = (code, name, value + rest)
    rows05 = [["一般公共预算支出合计", "", W(ex_total)]]
    for r in t05[1:]:
        if len(r[0]) == 3:
            rows05.append([r[0], r[1], W(sum((v for c, _, v in kuan.values() if c.startswith(r[0])), ZERO))])
        elif len(r[0]) == 5:
            rows05.append([r[0], r[1], W(kuan[r[0]][2])])
    files["政府预算05"] = (["code", "label", "amount"], rows05)
    # 基本支出: 2023 corrected (302 = Σ 款) and grown 3 %
    t06 = tsv("政府预算06")
    k06 = {r[0]: (A(r[2]) * Decimal("1.03")).quantize(Decimal(1), rounding=ROUND_HALF_UP) for r in t06 if len(r[0]) == 5}
    rows06, total06 = [], ZERO
    for r in t06:
        if len(r[0]) == 3:
            value = sum((v for c, v in k06.items() if c.startswith(r[0])), ZERO)
            total06 += value
        elif len(r[0]) == 5:
            value = k06[r[0]]
        else:
            continue
        rows06.append([r[0], r[1], W(value), W(value), "", ""])
    files["政府预算06"] = (["code", "label", "total", "basic", "other", "remark"],
                          [["合计", "", W(total06), W(total06), "", ""], *rows06])
    # 政府性基金: grown, the difference from 支出 paid out as 调出资金
    land, project, debt, transfer, surplus = (Decimal(72000), Decimal(2300), Decimal(38000), Decimal(320),
                                              Decimal(7160))
    gf_income = land + project
    gf_in = gf_income + debt + transfer + surplus
    income10 = [["一、收入总计", W(gf_in)], ["政府性基金收入", W(gf_income)], ["国有土地使用权出让收入", W(land)],
                ["专项债务对应项目专项收入", W(project)], ["债务收入", W(debt)], ["地方政府债务收入", W(debt)],
                ["转移性收入", W(transfer)], ["政府性基金转移支付收入", W(transfer)],
                ["上年结余收入", W(surplus)], ["政府性基金预算上年结余收入", W(surplus)]]
    files["政府预算10"] = files["政府预算11"] = (["item", "amount"], income10)
    city, city_use, city_land = Decimal(28860), Decimal(6860), Decimal(22000)
    other, other_bond, lottery, welfare, sport = Decimal(38960), Decimal(38000), Decimal(960), Decimal(400), Decimal(560)
    interest, fee = Decimal(3450), Decimal(38)
    classes12 = city + other + interest + fee
    funds_out = gf_in - classes12
    rows12 = [["城乡社区支出", W(city)], [K + "国有土地使用权出让收入安排的支出", W(city)],
              [K + K + "城市建设支出", W(city_use)], [K + K + "土地出让业务支出", W(city_land)],
              ["其他支出", W(other)], [K + "其他政府性基金及对应专项债务收入安排的支出", W(other_bond)],
              [K + K + "其他地方自行试点项目收益专项债券收入安排的支出", W(other_bond)],
              [K + "彩票公益金安排的支出", W(lottery)], [K + K + "用于社会福利的彩票公益金支出", W(welfare)],
              [K + K + "用于体育事业的彩票公益金支出", W(sport)], ["债务付息支出", W(interest)],
              [K + "地方政府专项债务付息支出", W(interest)], ["债务发行费支出", W(fee)],
              [K + "地方政府专项债务发行费用支出", W(fee)], ["调出资金", W(funds_out)], ["支出总计", W(gf_in)]]
    files["政府预算12"] = files["政府预算13"] = (["item", "amount"], rows12)
    files["政府预算14"] = (["item", "amount"], [["转移性收入", W(transfer)], ["政府性基金转移支付收入", W(transfer)],
                                              ["政府性基金补助收入", W(transfer)], ["总计", W(transfer)]])
    files["政府预算09"] = (["item", "limit", "balance_item", "balance"], [["总计", "0", "总计", "0"]])
    files["政府预算15"] = (["item", "limit", "balance_item", "balance"],
                          [["老旧小区改造项目", "35,487", "老旧小区改造项目", "35,487"],
                           ["幼儿园及养老中心改造项目", "45,813", "幼儿园及养老中心改造项目", "45,813"],
                           ["城市更新项目", "38,000", "城市更新项目", "36,500"],
                           ["总计", "119,300", "总计", "117,800"]])
    for code in ("政府预算16", "政府预算17", "政府预算22"):
        files[code] = (["item", "amount"], [["收入总计", "0"]])
    for code in ("政府预算18", "政府预算19", "政府预算23"):
        files[code] = (["item", "amount"], [["支出总计", "0"]])
    files["政府预算20"] = (["item", "amount"], [[r[0], ""] for r in tsv("政府预算20")])
    # 三公: 2023's budget as prior, cut in 2024; 增减率 as Excel percentages (meta percent_numbers)
    lines = [("合 计", 950, 900), ("因公出国境费", 100, 100), ("公务接待费", 170, 160),
             ("公务用车购置及运行费合计", 680, 640), ("公务用车购置费", 30, 0), ("公务用车运行费", 650, 640)]
    rows24 = []
    for label, prior, current in lines:
        rate = (Decimal(current - prior) / prior * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        rows24.append([label, W(Decimal(prior)), W(Decimal(current)), W(Decimal(current - prior)), f"{rate}%", ""])
    rows24[0][5] = "继续压减一般性支出，严格控制“三公”经费。"
    files["政府预算24"] = (["item", "prior", "current", "change", "rate", "reason"], rows24)
    files["政府预算28"] = (["builder", "label", "total", "gpb", "gf"],
                          [["合计：", "", "30,000", "", "30,000"],
                           ["大连市西岗区住房和城乡建设局", "西岗区老旧小区改造工程三期", "10,000", "", "10,000"],
                           ["大连市西岗区教育局", "西岗区幼儿园改造工程", "20,000", "", "20,000"]])
    stale = []
    TARGET.mkdir(exist_ok=True)
    for code, (columns, rows) in sorted(files.items()):
        path = TARGET / f"{code}.tsv"
        text = "\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            sd.write_tsv(path, columns, rows)
    if stale:
        print("out of date: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
