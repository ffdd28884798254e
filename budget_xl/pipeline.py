"""The commands as Python functions: what `check`, `fill`, `narrate`, `init`, `diff` and `templates
draft` do, for the CLI and for anyone scripting budget-xl. Each returns a result object and raises
the project's own errors (errors.py); none prints.

    import budget_xl
    report = budget_xl.check("附表.xlsx")                    # findings, with the cell to fix
    result = budget_xl.fill("附表.xlsx", "发布/")            # the publish-ready set, written
    budget_xl.narrate("附表.xlsx", "说明.docx", prior="上年.xlsx")
    comparison = budget_xl.compare("2023.xlsx", "2024.xlsx")
    budget_xl.draft("外省决算.xlsx", "外省决算.yaml")        # a template drafted from a workbook
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .derive import Change, complete_lines
from .errors import InputError, NotPublished
from .files import is_dir, os_reason, printable, safe_file_stem
from .model import Disclosure
from .reader import read, read_performance
from .templates import TemplateSet

if TYPE_CHECKING:  # pragma: no cover
    from .diff import Comparison
    from .narrative import Context
    from .narrative.document import Block
    from .report.performance import FormsFill
    from .rules.findings import Report

Workbook = str | Path | Disclosure      # a path, or a workbook already read
NARRATIVE_SUFFIXES = (".docx", ".txt", ".md")  # what narrate writes: Word, or plain text


def _disclosure(workbook: Workbook, template: str | TemplateSet | None = None, year: int | None = None,
                department: str | None = None) -> Disclosure:
    if isinstance(workbook, Disclosure):
        return workbook
    return complete_lines(read(workbook, template, year=year, department=department))


def _optional(workbook: Workbook | None) -> Disclosure | None:
    return None if workbook is None else _disclosure(workbook)


# --------------------------------------------------------------------------- check
def check(workbook: Workbook, *, template: str | TemplateSet | None = None, year: int | None = None,
          department: str | None = None, narrative: str | Path | None = None, prior: Workbook | None = None,
          budget: Workbook | None = None, profile: str | Path | None = None,
          annotate: str | Path | None = None, force: bool = False, performance: str | Path | None = None) -> Report:
    """Every identity of the workbook, reported at the cells to fix. With `narrative`, the 情况说明
    (.docx or text) is checked against the tables too (`prior`: last year's workbook for its 增减;
    `budget`: the year's 部门预算 for 完成年初预算的 %). With `annotate`, a copy of the workbook is
    written with the cells marked and a 校验结果 sheet. The 绩效 forms of the workbook (or of the
    `performance` workbook) are checked too, and against the tables; a workbook of forms alone is
    checked as such."""
    from .reader import OnlyForms
    from .rules import check as check_disclosure

    try:
        d = _disclosure(workbook, template, year, department)
    except OnlyForms as only:
        from .report.performance import forms_report

        if performance is not None:
            raise InputError(f"{only.book.path.name} 本身是绩效表，不是公开表：--performance 应与公开表工作簿一起用。") from None
        lines = None
        if narrative is not None:
            from .narrative.verify import read_narrative

            lines = read_narrative(Path(narrative))
        report = forms_report(only.book, None, lines)
        _annotate(report, only.book.path, annotate, force)
        return report
    report = check_disclosure(d)
    lines = None
    if narrative is not None:
        from .narrative.verify import read_narrative, verify

        lines = read_narrative(Path(narrative), d)
        ctx = narrative_context(d, prior=prior, budget=budget, profile=profile, force=force)
        report.findings.extend(verify(ctx, lines))
    book = read_performance(performance) if performance is not None else d.performance
    if book is not None:
        from .report.performance import forms_report

        forms_report(book, d, lines, report)
    _annotate(report, d.path, annotate, force)
    return report


def _annotate(report: Report, path: Path, annotate: str | Path | None, force: bool) -> None:
    if annotate is not None:
        from .report.annotate import annotate as write_annotated

        write_annotated(report, path, Path(annotate), force=force)


def narrative_context(d: Disclosure, *, prior: Workbook | None = None, budget: Workbook | None = None,
                      profile: str | Path | None = None, force: bool = False) -> Context:
    """Every figure the 情况说明 states, computed (with 上年 and 年初预算 values where given); another
    department's prior or budget workbook is refused unless `force`."""
    from .narrative import context_for

    return context_for(d, prior=_optional(prior), budget=_optional(budget),
                       profile=Path(profile) if profile else None, force=force)


# --------------------------------------------------------------------------- fill
@dataclass
class FillResult:
    """What `fill` did: the values it filled in, the entries it replaced (with `recompute`), the
    check report of the completed workbook, and the files it wrote."""
    disclosure: Disclosure
    report: Report
    filled: list[Change]
    rewritten: list[Change]
    workbook: Path
    narrative: Path
    report_file: Path
    document: Path | None = None
    placeholders: dict[Path, int] = field(default_factory=dict)   # highlighted places left to fill
    forms: Path | None = None                                     # the 绩效 forms, published beside the tables
    forms_filled: list = field(default_factory=list)              # what was completed in them (FormChange)
    overridden: list[str] = field(default_factory=list)           # --prior/--budget mismatches used with --force


def fill(workbook: Workbook, out_dir: str | Path | None = None, *, recompute: bool = False,
         unit: str | None = None, template: str | TemplateSet | None = None, year: int | None = None,
         department: str | None = None, prior: Workbook | None = None, budget: Workbook | None = None,
         profile: str | Path | None = None, full: bool = False, force: bool = False,
         performance: str | Path | None = None) -> FillResult | FormsFill:
    """Complete every derived row and table, check, and write the publish-ready set into `out_dir`
    (default: beside the input): the tables (.xlsx), the 情况说明 (.docx), with `full` the whole
    disclosure document, and the check report (.txt).

    Raises NotPublished (nothing written) when an entered total disagrees with its parts (unless
    `recompute`: the computed values win) or when the check finds errors (unless `force`).

    The 绩效 forms of the workbook (or of `performance`) are completed from the 项目支出 rows and their
    own identities, checked with the tables and published beside them; a workbook of forms alone
    gives the forms (a FormsFill)."""
    from .derive import complete, convert_unit, derive_tables
    from .reader import OnlyForms
    from .report.check import write_check_text
    from .report.output import atomic_output, staged
    from .report.performance import fill_forms, forms_report
    from .report.publish import write_publish_workbook
    from .rules import check as check_disclosure
    from .rules.performance_derive import complete_forms

    try:
        d = _disclosure(workbook, template, year, department)
    except OnlyForms as only:
        return fill_forms(only.book, _output_folder(Path(out_dir) if out_dir else only.book.path.parent), force=force)
    source = d.path
    book = read_performance(performance) if performance is not None else d.performance
    d.performance = book           # the 情况说明's 绩效 part tells the forms' counts and money
    suspect = _recompute_only_totals(d, force) if recompute else []
    changes = complete(d, recompute=recompute)
    # With a suspect detail (published anyway with --force), the tables derived from the others
    # are not recomputed from it: their entered values stay, and the check reports them.
    derived = derive_tables(d, recompute=recompute and not suspect)
    changes += derived
    conflicts = _first_entered(c for c in changes if c.conflict)
    if conflicts and not recompute:
        raise NotPublished(f"填写的 {len(conflicts)} 个合计、小计与计算结果不一致，未生成（改正后重试，或加 --recompute 以计算结果为准）。",
                           check_disclosure(d), conflicts, [change_line(d, c) for c in conflicts])
    if unit:
        convert_unit(d, unit)
    report = check_disclosure(d)
    forms_filled = []
    if book is not None:     # before anything is written: the forms' errors stop fill too
        forms_filled = complete_forms(book, d)
        forms_report(book, d, None, report)
    if report.errors and not force:
        raise NotPublished("有错误，未生成公开表（改正后重试，或加 --force 照样生成）。", report)
    folder = _output_folder(Path(out_dir) if out_dir else source.parent)
    name = output_name(d)
    ctx = narrative_context(d, prior=prior, budget=budget, profile=profile, force=force)  # a bad --prior stops before writing
    target, narrative, report_file = folder / f"{name}.xlsx", folder / f"{name}_情况说明.docx", folder / f"{name}_校验报告.txt"
    document = folder / f"{name}_公开文件.docx" if full else None
    forms_path = folder / f"{name.removesuffix('公开表')}绩效表.xlsx" if book is not None else None
    placeholders: dict[Path, int] = {}
    # All or nothing: the set is written into a hidden folder and moved into place once complete.
    outputs = [p for p in (target, narrative, document, forms_path, report_file) if p]
    with staged(folder, outputs, sources=[source], force=force) as stage:
        write_publish_workbook(d, stage.path(target), force=force, source=source)
        placeholders[narrative] = write_narrative(ctx, d, stage.path(narrative), force=force)
        if document is not None:
            placeholders[document] = write_narrative(ctx, d, stage.path(document), full=True, force=force)
        if book is not None and forms_path is not None:
            from .report.form_publish import write_forms_workbook

            write_forms_workbook(book, stage.path(forms_path), force=force, source=source)
        with atomic_output(stage.path(report_file), force=force, source=source) as tmp:
            with tmp.open("w", encoding="utf-8") as fh:
                write_check_text(report, fh)
    kept = {id(c) for c in derived if c.conflict} if suspect else set()
    rewritten = [c for c in conflicts if id(c) not in kept]
    return FillResult(d, report, [c for c in changes if not c.conflict], rewritten, target, narrative, report_file,
                      document, placeholders, forms_path, forms_filled, ctx.overridden)


def _recompute_only_totals(d: Disclosure, force: bool) -> list[str]:
    """--recompute rewrites totals from their details; where the likeliest explanation of a failure is
    a detail cell or a column under the wrong header, recomputing would spread that error into every
    total above it and into the tables derived from it: stop and name what to correct instead (with
    `force`, go on without recomputing the derived tables; returns what was suspect)."""
    from .rules import check as check_disclosure
    from .structure import computed_cells

    report = check_disclosure(d)
    totals = {(table.code, cell) for table in d.tables.values() for cell in computed_cells(table)}
    sheets = {sheet: table.code for table in d.tables.values() for sheet in table.sheets}
    blockers = []
    for f in report.findings:
        if f.level != "error" or not f.blamed or not f.cells:
            continue
        cell = f.cells[0]
        if f.rule_id == "misplaced-column" or (sheets.get(cell.sheet), (cell.row, cell.col)) not in totals:
            blockers.append(f"{cell}　{f.message}")
    if blockers and not force:
        raise NotPublished(f"有 {len(blockers)} 处错误最可能出在明细数或整列的表头上，--recompute 只用明细重算合计，"
                           "不能改正它们（重算会把错误带进合计和由此算出的表），未生成：请先改正这些单元格。",
                           report, details=blockers)
    return blockers


def _first_entered(conflicts: Iterable[Change]) -> list[Change]:
    """One change per cell: the value as the workbook had it (the first change seen), the value
    computed last (derived tables are completed after the tables they come from)."""
    out: dict[tuple[str, str, str], Change] = {}
    for c in conflicts:
        key = (c.table, c.row, c.column)
        if key in out:
            first = out[key]
            out[key] = Change(first.table, first.row, first.label, first.column, first.entered, c.computed, first.cell,
                              c.tolerance)
        else:
            out[key] = c
    return list(out.values())


def change_line(d: Disclosure, c: Change) -> str:
    """“附表6!F18　附表6「…」合计：填写 18,190,503.55，计算 48,490,503.55”."""
    from .money import fmt

    column = d.template.tables[c.table].column_label(c.column)
    return f"{c.cell or c.table}　{c.table}「{c.label}」{column}：填写 {fmt(c.entered)}，计算 {fmt(c.computed)}"


def _output_folder(folder: Path) -> Path:
    if os.path.lexists(folder) and not is_dir(folder):
        raise InputError(f"输出目录 {printable(str(folder))} 是一个文件，不是目录：请换一个输出目录。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        why = os_reason(exc) if isinstance(exc, OSError) else "名称无效"
        raise InputError(f"无法创建输出目录 {printable(str(folder))}（{why}）：请检查路径和权限。") from None
    return folder


def output_name(d: Disclosure) -> str:
    """“2024年大连市西岗区住房和城乡建设局部门预算公开表”: year, department and kind, as a file name
    (a department's name as written in the workbook made safe for any file system: files.safe_file_stem)."""
    dept = (d.department or "部门").split("-", 1)[-1]
    return safe_file_stem(f"{d.year or ''}年{dept}{d.kind}公开表")


# --------------------------------------------------------------------------- narrate
@dataclass
class NarrateResult:
    path: Path
    placeholders: int        # highlighted places left for the clerk to fill
    check_errors: int        # errors of the workbook: its figures, and so the draft's, are wrong
    overridden: list[str] = field(default_factory=list)   # --prior/--budget mismatches used with --force


def narrate(workbook: Workbook, out: str | Path | None = None, *, prior: Workbook | None = None,
            budget: Workbook | None = None, profile: str | Path | None = None, full: bool = False,
            template: str | TemplateSet | None = None, year: int | None = None, department: str | None = None,
            force: bool = False) -> NarrateResult:
    """Draft the 情况说明 (with `full`, the whole disclosure document) into `out`: .docx for Word,
    .txt/.md for plain text (default: beside the workbook). Every figure is computed from the
    tables; a workbook with check errors is still drafted (the result says how many)."""
    from .derive import complete, derive_tables
    from .rules import check as check_disclosure

    d = _disclosure(workbook, template, year, department)
    complete(d)          # a workbook with only the detail rows entered still gives every total;
    derive_tables(d)     # entered values are kept (a disagreeing one is a check error, counted below)
    ctx = narrative_context(d, prior=prior, budget=budget, profile=profile, force=force)
    target = Path(out) if out else d.path.with_name(f"{output_name(d)}_情况说明.docx")
    if target.suffix.lower() not in NARRATIVE_SUFFIXES:
        raise InputError(f"情况说明应写成 {'、'.join(NARRATIVE_SUFFIXES)} 文件，而不是“{target.name}”。")
    errors = check_disclosure(d).errors
    left = write_narrative(ctx, d, target, full=full, force=force)
    return NarrateResult(target, left, errors, ctx.overridden)


def write_narrative(ctx: Context, d: Disclosure, target: Path, *, full: bool = False, force: bool = False) -> int:
    """The 情况说明 as .docx (or the whole disclosure document with `full`), or plain text for
    .txt/.md; returns how many highlighted places are left to fill."""
    from .narrative import draft
    from .narrative.document import plain_text
    from .report.output import atomic_output

    blocks: list[Block] = draft(ctx)
    if target.suffix.lower() in NARRATIVE_SUFFIXES[1:]:
        with atomic_output(target, source=d.path, force=force) as tmp:
            tmp.write_text(plain_text(blocks) + "\n", encoding="utf-8")
    else:
        from .report.docx import write_docx

        if full:
            from .narrative.full import full_document_blocks

            blocks = full_document_blocks(d, blocks, ctx.facts)
        write_docx(blocks, target, disclosure=d, force=force, source=d.path)
    return sum(len(b.placeholders) for b in blocks)


# --------------------------------------------------------------------------- init
def init(kind: str, year: int, department: str, units: tuple[str, ...] | list[str] = (), out: str | Path | None = None,
         *, template: str | TemplateSet | None = None, force: bool = False, projects: tuple[str, ...] | list[str] = (),
         source: Workbook | None = None) -> Path:
    """Write a blank input workbook of a table set (by `kind`, 部门预算 / 部门决算, or `template`):
    the official layouts with only the cells to enter open, code drop-downs and instructions. For
    `kind` 绩效目标 / 绩效自评, blank 绩效 forms: a 部门整体 form per unit, a form per project (`projects`,
    or the 项目支出 rows of the disclosure `source`, amounts filled in)."""
    from .report.blank import write_blank_workbook
    from .report.performance import INIT_KINDS, init_forms
    from .templates import get_template, kind_of

    if kind in INIT_KINDS:
        from .templates.form_builder import get_form_set, load_form_sets

        form_set = get_form_set(str(template)) if isinstance(template, str) else load_form_sets()[0]
        target = Path(out) if out else Path(f"{year}年{department.split('-', 1)[-1]}{kind}表.xlsx".replace("/", "／"))
        return init_forms(kind, form_set, year, department, target, units=list(units), projects=list(projects),
                          disclosure=_optional(source), force=force)
    ts = template if isinstance(template, TemplateSet) else get_template(template or kind)
    if template is None and kind_of(kind) != ts.kind:
        raise InputError(f"类别应为 部门预算 或 部门决算，而不是“{kind}”。")
    if not department.strip():
        raise InputError("请写明部门，如 \"145-大连市西岗区住房和城乡建设局\"。")
    name = department.split("-", 1)[-1]
    target = Path(out) if out else Path(f"{year}年{name}{ts.kind}填报表.xlsx".replace("/", "／"))
    return write_blank_workbook(ts, year, department, list(units), target, force=force)


# --------------------------------------------------------------------------- diff
def compare(before: str | Path, after: str | Path, *, folder: str | Path = ".", kind: str | None = None,
            department: str | None = None, template: str | None = None, threshold: Decimal | int = 10,
            amount: Decimal | int = 10, band: tuple[Decimal | int, Decimal | int] = (90, 110),
            unit: str | None = None, out: str | Path | None = None, force: bool = False) -> Comparison:
    """Compare two years of a department (or a year's budget with its final accounts) line by line.

    `before`/`after` are years, found among the workbooks of `folder` (or its budget-xl.toml), or
    paths. A line needs explaining when |增减率| ≥ `threshold` % and |增减额| ≥ `amount` 万元;
    budget versus final flags 完成年初预算 outside `band` %. With `out`, the comparison workbook
    is written too."""
    from .diff import Options, diff

    options = Options(Decimal(threshold), Decimal(amount), (Decimal(band[0]), Decimal(band[1])), unit)
    comparison = diff(str(before), str(after), folder=Path(folder), kind=kind, dept=department, template=template,
                      force=force, options=options)
    if out is not None:
        from .report.diff_xlsx import write_diff_workbook

        write_diff_workbook(comparison, Path(out), force=force,
                            sources=(comparison.before.disclosure.path, comparison.after.disclosure.path))
    return comparison


# --------------------------------------------------------------------------- draft a template
@dataclass
class DraftResult:
    """What `draft` wrote: the template file, the tables it describes (code, title, sheet, row
    kind, rows read), how many places are marked 请核对, and with a base, what the overlay changes."""
    path: Path
    template_id: str
    tables: list[tuple[str, str, str, str, int]]
    remarks: int
    base: str | None = None
    changed: list[str] = field(default_factory=list)     # with a base: its tables this overlay changes
    added: list[str] = field(default_factory=list)       # with a base: tables it does not have


def draft(workbook: str | Path, out: str | Path | None = None, *, base: str | TemplateSet | None = None,
          force: bool = False) -> DraftResult:
    """Draft a template from a workbook's titled tables and write it to `out` (default: beside the
    workbook, named after it). With `base` (a template id or file), write an overlay that `extends:`
    it: the base's tables found in the workbook become changes, the others new tables. The file is
    checked like any template before it is put in place."""
    from .reader.draft import draft_workbook
    from .report.output import atomic_output
    from .report.template_overlay import overlay_lines
    from .report.template_yaml import CHECK, template_lines
    from .templates import get_template, load_template, templates_dir

    source = Path(workbook)
    target = Path(out) if out else source.with_suffix(".yaml")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"模板文件应以 .yaml 结尾，而不是“{target.name}”。")
    base_set = base if isinstance(base, TemplateSet) or base is None else get_template(base)
    wd = draft_workbook(source)
    template_id = target.stem
    changed: list[str] = []
    added: list[str] = []
    if base_set is not None:
        # A base given as a file is named by its path from the new file's folder; a bundled one by its id.
        extends = base_set.id
        if base_set.path is not None and base_set.path.parent.resolve() != templates_dir().resolve():
            extends = os.path.relpath(base_set.path.resolve(), target.parent.resolve())
        lines, changed, added = overlay_lines(wd, template_id, base_set, extends)
    else:
        lines = template_lines(wd, template_id)
    with atomic_output(target, source=source, force=force) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        load_template(tmp)   # a drafted template is checked like any other before it is put in place
    tables = [(d.spec.code, d.spec.title, d.region.sheet.name.strip(), d.spec.rows.kind, len(d.table.rows))
              for d in wd.tables]
    remarks = sum(1 for line in lines if CHECK in line)
    return DraftResult(target, template_id, tables, remarks, base_set.id if base_set else None, changed, added)
