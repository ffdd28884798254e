"""The 绩效 forms through the commands: the report of a workbook of forms (or of forms checked with
their 公开表), `fill` of the forms (complete, check, publish), `init` of blank forms. pipeline.py calls
these; they print nothing and raise the project's errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..model import Disclosure
from ..money import round_half_up
from ..performance import PerformanceBook
from ..rules.findings import Report
from ..rules.performance import check_forms, performance_report
from ..rules.performance_derive import FormChange, complete_forms
from ..templates.forms import FormSet
from .form_layout import layout_form
from .form_publish import FormStyles, blank_form, sheet_name, write_form, write_forms_workbook
from .output import atomic_output

INIT_KINDS = {"绩效目标": ("部门整体绩效目标", "项目绩效目标"), "绩效自评": ("部门整体绩效自评", "项目绩效自评")}


def forms_report(book: PerformanceBook, d: Disclosure | None = None, narrative: list[str] | None = None,
                 report: Report | None = None) -> Report:
    """The forms' findings: added to the report of their 公开表 when there is one, else a report of their own."""
    findings = check_forms(book, d, narrative)
    if report is None:
        report = performance_report(book, findings)
    else:
        report.findings.extend(findings)
    report.forms = len(book.forms)
    return report


@dataclass
class FormsFill:
    book: PerformanceBook
    report: Report
    filled: list[FormChange]
    workbook: Path
    report_file: Path | None = None
    notes: list[str] = field(default_factory=list)


def fill_forms(book: PerformanceBook, folder: Path, *, d: Disclosure | None = None, force: bool = False) -> FormsFill:
    """A workbook of forms alone: complete them (their identities), check them, and write the
    publish-ready forms and the check report into `folder`."""
    from ..errors import NotPublished
    from .check import write_check_text

    filled = complete_forms(book, d)
    report = forms_report(book, d)
    if report.errors and not force:
        raise NotPublished("绩效表有错误，未生成（改正后重试，或加 --force 照样生成）。", report)
    name = forms_output_name(book)
    target = write_forms_workbook(book, folder / f"{name}.xlsx", force=force, source=book.path)
    report_file = folder / f"{name}_校验报告.txt"
    with atomic_output(report_file, force=force, source=book.path) as tmp:
        with tmp.open("w", encoding="utf-8") as fh:
            write_check_text(report, fh)
    return FormsFill(book, report, filled, target, report_file)


def forms_output_name(book: PerformanceBook) -> str:
    dept = (book.department or "部门").split("-", 1)[-1]
    kinds = {f.kind for f in book.forms}
    what = "绩效自评表" if any(k.endswith("自评") for k in kinds) and not any(k.endswith("目标") for k in kinds) else "绩效表"
    return f"{book.year or ''}年{dept}{what}".replace("/", "／")


def init_forms(kind: str, form_set: FormSet, year: int, department: str, target: Path, *, units: list[str],
               projects: list[str], disclosure: Disclosure | None = None, force: bool = False) -> Path:
    """Blank forms to fill in: a 部门整体 form per unit (or the department), then a form per project —
    the projects named, or those of the 项目支出表 of `disclosure` with their unit and amounts filled."""
    import xlsxwriter

    if kind not in INIT_KINDS:
        raise InputError(f"绩效表的类别应为 {'、'.join(INIT_KINDS)}，而不是“{kind}”。")
    dept_kind, project_kind = INIT_KINDS[kind]
    dept_spec = next((f for f in form_set.forms.values() if f.kind == dept_kind), None)
    project_spec = next((f for f in form_set.forms.values() if f.kind == project_kind), None)
    if project_spec is None:
        raise InputError(f"绩效表模板 {form_set.id} 中没有{project_kind}表。")
    rows = _project_rows(disclosure, form_set, project_spec.id) if disclosure is not None else []
    forms: list[tuple[object, dict[str, object]]] = []
    if dept_spec is not None:
        for unit in units or [department]:
            name = unit.split("-", 1)[-1]
            values: dict[str, object] = {"dept_name": name, "year": str(year)} if "dept_name" in dept_spec.field_ids else {}
            forms.append((dept_spec, values))
    for name in projects:
        forms.append((project_spec, {"project": name, "dept": department}))
    for unit, name, amounts in rows:
        forms.append((project_spec, {"unit": unit, "project": name, "dept": department, **amounts}))
    if not any(spec is project_spec for spec, _ in forms):
        forms.append((project_spec, {"dept": department}))
    with atomic_output(target, force=force) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        _instructions(wb, kind, form_set, year, department)
        styles = FormStyles(wb, entry=True)
        used: set[str] = set()
        for n, (spec, values) in enumerate(forms, 1):
            label = str(values.get("project") or values.get("dept_name") or spec.title)  # type: ignore[attr-defined]
            ws = wb.add_worksheet(sheet_name(n, label.split("-", 1)[-1] if "-" in label[:24] else label, used))
            values = {**_constants(spec), **values}
            write_form(ws, styles, layout_form(spec, blank_form(spec, year, values)))  # type: ignore[arg-type]
            ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True})
        wb.close()
    return target


def _constants(spec) -> dict[str, object]:
    """Fields the template fixes to a number (预算执行率权重 = 10): written in the blank form."""
    out: dict[str, object] = {}
    for ident in spec.identities:
        if ident.kind == "expr" and not ident.each and len(ident.left) == 1 and ident.left[0].kind == "field" \
                and all(t.kind == "number" for t in ident.right):
            out[ident.left[0].ref] = sum((t.sign * (t.number or 0) for t in ident.right), Decimal(0))
    return out


def _project_rows(d: Disclosure, form_set: FormSet, form_id: str) -> list[tuple[str, str, dict[str, object]]]:
    link = next((a.projects for a in form_set.against if form_id in a.forms and a.projects is not None
                 and (d.template.id in a.tables or d.template.extends in a.tables)), None)
    if link is None or link.table not in d.tables:
        raise InputError(f"{d.path.name} 中没有可用来生成绩效目标表的项目支出表（模板 {form_set.id} 的对应关系中没有 "
                         f"{d.template.id}）。")
    table = d.tables[link.table]
    units = {r.code: r.label for t in d.tables.values() for r in t.rows if r.kind == "unit" and r.code}
    out = []
    for row in table.rows:
        if row.kind != "item":
            continue
        amounts: dict[str, object] = {}
        for fid, columns in (("total", (link.total,)), *link.fields):
            if all(c in table.columns and c not in table.absent_columns for c in columns):
                raw = sum((row.amount(c) for c in columns), Decimal(0))
                amounts[fid] = round_half_up(raw / 10000) if table.unit == "元" else raw
        out.append((units.get(row.unit or "", row.unit or ""), row.label, amounts))
    return out


def _instructions(wb, kind: str, form_set: FormSet, year: int, department: str) -> None:
    ws = wb.add_worksheet("说明")
    bold = wb.add_format({"bold": True, "font_name": "宋体", "font_size": 12})
    text = wb.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"})
    lines = [
        (f"{year}年 {department} {kind}表（模板：{form_set.id}）", bold),
        ("怎么填", bold),
        ("1. 每张表一个工作表，只在浅黄色的格子里填写（工作表保护，无密码）。", text),
        ("2. 指标表：一级、二级指标可只在第一行写，下面的行留空即沿用；行不够时撤销保护后插入行。", text),
        ("3. 金额以万元计，写数字；权重、分值、得分写数字。", text),
        ("4. 项目总额（各资金来源之和）、执行率、预算执行得分、总分、自评等级可以不填，由 budget-xl fill 按公式算出；"
         "填了的与计算不符时，budget-xl check 会指出。", text),
        ("5. 填好后：budget-xl check 本文件（可加 --performance 与公开表一并核对），budget-xl fill 本文件 -o 发布/。", text),
    ]
    ws.set_column(0, 0, 100)
    for i, (line, fmt) in enumerate(lines):
        ws.write_string(i, 0, line, fmt)
