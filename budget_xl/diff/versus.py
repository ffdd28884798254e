"""Budget against final accounts of one year: 年初预算, 决算, 完成年初预算的 %, the difference.

Which budget table and column correspond to which 决算 table and column is template data (the
budget template's `versus_final`): by classification code (类/款/项, summed over units, with a 合计
line from the 类), or as listed lines (三公). The two sets are in different units (元 / 万元):
arithmetic is exact in 元, amounts are shown in 万元.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..classification import LEVEL_NAMES, is_class
from ..model import CLASS, FIXED, TOTAL_KEY, Table
from ..templates import TemplateSet, VersusSection, VersusSide
from ..text import norm, strip_ordinal
from .compare import HUNDRED, ZERO, Comparison, Options, Side, Units


@dataclass
class VersusLine:
    section: str
    key: str                   # classification code, 合计, or the listed line's label
    label: str
    level: str
    budget: Decimal | None     # display unit
    final: Decimal | None
    difference: Decimal        # 决算 − 年初预算, display unit, from the exact values
    completion: Decimal | None # 完成年初预算的 %, exact; None without a budget
    flag: str = ""
    indent: int = 0
    magnitude: Decimal = ZERO  # |difference| in 元


@dataclass
class SectionDiff:
    id: str
    title: str
    unit: str
    lines: list[VersusLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: tuple[str, str] = ("", "")   # "附表7 合计", "财决公开05 本年支出合计"


def compare_versus(budget: Side, final: Side, options: Options) -> Comparison:
    comparison = Comparison("versus", budget, final, options)
    b, f = budget.disclosure, final.disclosure
    sections = b.template.versus_final
    if not sections:
        comparison.warnings.append(f"模板 {b.template.id} 没有写明预算表与决算表的对应关系（versus_final），无法对比。")
    for section in sections:
        out = _section(section, b.tables, f.tables, options)
        out.sources = (_source(section, b.template, True), _source(section, f.template, False))
        comparison.sections.append(out)
    return comparison


def _section(section: VersusSection, budget: dict[str, Table], final: dict[str, Table], options: Options) -> SectionDiff:
    if section.budget is not None and section.final is not None:
        pairs = [(section.budget, section.final)]
    else:
        pairs = [(ln.budget, ln.final) for ln in section.lines]
    first_b, first_f = pairs[0]
    units = Units(_unit(budget, first_b), _unit(final, first_f), options.unit or "万元")
    out = SectionDiff(section.id, section.title, units.display)
    refs = [(s, budget) for s, _ in pairs] + [(s, final) for _, s in pairs]
    missing = list(dict.fromkeys(s.table for s, tables in refs if s.table not in tables))
    if missing:
        out.notes.append(f"工作簿中没有 {'、'.join(missing)}，本部分未对比。")
        return out
    wrong = [f"{s.table}.{s.column}" for s, tables in refs if s.column not in tables[s.table].spec.column_ids]
    if wrong:
        out.notes.append(f"表中没有 {'、'.join(wrong)} 列（模板的 versus_final 与表不符），本部分未对比。")
        return out
    if section.lines:
        for item in section.lines:
            planned = _amount(budget, item.budget, units, units.old)
            spent = _amount(final, item.final, units, units.new)
            out.lines.append(_line(section.id, item.label, item.label, "", planned, spent, units, options, item.indent))
        return out
    # By code: the template gives the budget and final sides (a section has them or lines).
    assert section.budget is not None and section.final is not None
    b_codes, names = _by_code(budget[section.budget.table], section.budget.column, units, units.old)
    f_codes, f_names = _by_code(final[section.final.table], section.final.column, units, units.new)
    for code, name in f_names.items():
        names.setdefault(code, name)
    b_total = _total(budget[section.budget.table], section.budget.column, b_codes, units, units.old)
    f_total = _total(final[section.final.table], section.final.column, f_codes, units, units.new)
    out.lines.append(_line(section.id, "合计", "合计", "合计", b_total, f_total, units, options))
    for code in sorted(set(b_codes) | set(f_codes)):
        b, f = b_codes.get(code), f_codes.get(code)
        if not b and not f:
            continue
        out.lines.append(_line(section.id, code, f"{code}-{names.get(code, '')}", LEVEL_NAMES.get(len(code), ""),
                               b, f, units, options))
    return out


def _source(section: VersusSection, ts: TemplateSet, budget: bool) -> str:
    """'附表7 合计': the table and column a section takes, for headings."""
    side = (section.budget if budget else section.final) or (
        section.lines[0].budget if budget else section.lines[0].final)
    spec = ts.tables.get(side.table)
    return f"{side.table} {spec.column_label(side.column) if spec is not None else side.column}"


def _unit(tables: dict[str, Table], side: VersusSide) -> str:
    table = tables.get(side.table)
    return table.unit if table is not None else "元"


def _amount(tables: dict[str, Table], side: VersusSide, units: Units, unit: str) -> Decimal:
    row = tables[side.table].row(side.row)
    if row is None:
        return ZERO
    return units.exact(row.amounts.get(side.column), unit) or ZERO


def _total(table: Table, column: str, codes: dict[str, Decimal], units: Units, unit: str) -> Decimal:
    """The table's 合计 as printed (a 万元 table's 类 may not add up to it: 尾数); else the sum of its 类."""
    row = table.row(TOTAL_KEY)
    printed = row.amounts.get(column) if row is not None else None
    if printed is not None:
        return units.exact(printed, unit)
    return sum((v for c, v in codes.items() if is_class(c)), ZERO)


def _by_code(table: Table, column: str, units: Units, unit: str) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Amount per classification code, summed over the units, and each code's name. Fixed
    tables contribute their 类 rows (keyed by the 类 code)."""
    sums: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for row in table.rows:
        if row.kind == CLASS and row.code:
            code, name = row.code, row.name or row.label
        elif row.kind == FIXED and row.key.isdigit():
            code, name = row.key, strip_ordinal(norm(row.label))
        else:
            continue
        sums[code] = sums.get(code, ZERO) + (units.exact(row.amounts.get(column), unit) or ZERO)
        names.setdefault(code, name)
    return sums, names


def _line(section: str, key: str, label: str, level: str, budget: Decimal | None, final: Decimal | None,
          units: Units, options: Options, indent: int = 0) -> VersusLine:
    """None: the side has no such line (shown blank); arithmetic takes it as 0."""
    difference = (final or ZERO) - (budget or ZERO)
    completion = (final or ZERO) / budget * HUNDRED if budget else None
    low, high = options.band
    if completion is None:
        flag = "无年初预算" if final else ""  # spent without a budget line
    elif completion < low:
        flag = f"完成率低于 {low}%"
    elif completion > high:
        flag = f"完成率高于 {high}%"
    else:
        flag = ""
    return VersusLine(section, key, label, level, units.show(budget), units.show(final), units.show(difference),
                      completion, flag, indent, units.yuan(abs(difference)))
