"""The `budget-xl` command line. A thin layer: parse options, call the library, print.

Every error meant for a user is a BudgetXlError whose message is printed as is (exit 2); any
other exception is reported in one sentence too, never as a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .click_zh import install as _chinese_click
from .errors import BudgetXlError

_chinese_click()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class OutFile(click.Path):
    """An output file path whose suffix says what is written: a workbook written under another name
    (诊断.csv) would open nowhere, so the name is refused before any work is done."""

    def __init__(self, *suffixes: str):
        super().__init__(dir_okay=False, path_type=str)
        self.suffixes = suffixes

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        if Path(path).suffix.lower() not in self.suffixes:
            self.fail(f"输出文件应以 {'、'.join(self.suffixes)} 结尾，而不是“{Path(path).name}”", param, ctx)
        return path


XLSX_OUT = OutFile(".xlsx")
NARRATIVE_SUFFIXES = (".docx", ".txt", ".md")  # what narrate writes: Word, or plain text


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="budget-xl", message="budget-xl %(version)s", help="显示版本并退出。")
def cli() -> None:
    """budget-xl：部门预算、部门决算公开表的读取、校验、生成与对比工具。

    \b
    常用命令：
      budget-xl show 附表.xlsx              查看读到了哪些表、每张表的内容
      budget-xl show 附表.xlsx --table 附表4 --format json
      budget-xl check 附表.xlsx             校验：指出每一处不一致和要改的单元格
      budget-xl fill 附表.xlsx -o 发布/      补齐合计、校验并生成可公开的表格
      budget-xl diff 2023 2024              对比两个年度（或预算与决算），列出需说明的变动
      budget-xl templates                   列出内置的表套模板和表

    金额一律按精确小数处理（不做浮点求和）；元→万元按四舍五入（非银行家舍入）。
    """


def _narrative_options(f):
    """--prior / --budget / --profile: what the narrative compares with and the facts no table holds."""
    f = click.option("--profile", type=click.Path(dir_okay=False, path_type=str), metavar="补充信息.yaml",
                     help="情况说明用的补充信息（部门职责、三公团组人次、车辆等），“项目: 内容”格式；"
                          "也可写在工作簿的“补充信息”表中。")(f)
    f = click.option("--budget", "budget_file", type=click.Path(dir_okay=False, path_type=str), metavar="年初预算.xlsx",
                     help="（决算）同一年度的部门预算工作簿：情况说明中写“完成年初预算的 %”。")(f)
    f = click.option("--prior", "prior_file", type=click.Path(dir_okay=False, path_type=str), metavar="上年.xlsx",
                     help="上年同类工作簿：情况说明中写比上年增减额和增减率（不给则不写比较）。")(f)
    return f


def _narrative_context(d, source: Path, prior_file: str | None, budget_file: str | None, profile: str | None):
    from . import read
    from .narrative import context_for

    prior = read(prior_file) if prior_file else None
    budget = read(budget_file) if budget_file else None
    return context_for(d, prior=prior, budget=budget, source=source, profile=Path(profile) if profile else None)


def _write_narrative(ctx, d, target: Path, *, full: bool, force: bool, source: Path) -> str:
    """The 情况说明 as .docx (or the whole disclosure document with full), or plain text for .txt/.md.
    Returns what the clerk is told: the file and how many highlighted places are left to fill."""
    from .narrative import draft
    from .narrative.document import plain_text
    from .report.output import atomic_output

    blocks = draft(ctx)
    if target.suffix.lower() in NARRATIVE_SUFFIXES[1:]:
        with atomic_output(target, source=source, force=force) as tmp:
            tmp.write_text(plain_text(blocks) + "\n", encoding="utf-8")
    else:
        from .report.docx import write_docx

        if full:
            from .narrative.full import full_document_blocks

            blocks = full_document_blocks(d, blocks, ctx.facts)
        write_docx(blocks, target, disclosure=d, force=force, source=source)
    left = sum(len(b.placeholders) for b in blocks)
    return f"{target}（{left} 处高亮待填写）" if left else f"{target}（没有待填写处）"


@cli.command("show", context_settings=CONTEXT)
@click.argument("workbook", type=click.Path(dir_okay=True, path_type=str))
@click.option("--table", "tables", multiple=True, metavar="表代码",
              help="只显示这些表，如 --table 附表4 或 --table 财决公开05（可重复）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="输出格式：text 便于阅读；json、csv 便于程序处理（格式见 README）。")
@click.option("--template", metavar="模板", help="指定表套模板（如 部门预算-辽宁、部门决算，或 .yaml 文件）；默认自动识别。")
@click.option("--year", type=int, metavar="年度", help="工作簿中没有写明年度时使用。")
@click.option("--dept", metavar="代码-名称", help="工作簿中没有写明部门时使用，如 \"145-大连市西岗区住房和城乡建设局\"。")
def show_cmd(workbook: str, tables: tuple[str, ...], fmt: str, template: str | None, year: int | None,
             dept: str | None) -> None:
    """显示从工作簿中读到的内容：模板、找到与缺少的表、每张表的各行金额。

    只读取、不校验：只要工作簿能读，即使数字有错也正常输出（退出码 0）。

    \b
    示例：
      budget-xl show sample_workbooks/2024_住建局_部门预算_公开版.xlsx
      budget-xl show 决算.xlsx --table 财决公开05 --format json > 05.json
    """
    from . import read
    from .report.show import render_show

    disclosure = read(workbook, template, year=year, department=dept)
    click.echo(render_show(disclosure, tables, fmt), nl=False)


@cli.command("check", context_settings=CONTEXT)
@click.argument("workbook", type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 便于阅读（按表分组，错误在前）；json 便于程序处理（格式见 README）。")
@click.option("--template", metavar="模板", help="指定表套模板；默认自动识别。")
@click.option("--year", type=int, metavar="年度", help="工作簿中没有写明年度时使用。")
@click.option("--dept", metavar="代码-名称", help="工作簿中没有写明部门时使用。")
@click.option("--notes/--no-notes", default=True, show_default=True, help="文字输出中是否列出提示（如编码不在随附科目表中）。")
@click.option("--annotate", "annotate_to", type=XLSX_OUT, metavar="OUT.xlsx",
              help="另存一份标注过的工作簿：有问题的单元格标红/黄并加批注，第一页“校验结果”可点击跳转。")
@click.option("--jobs", type=int, default=0, metavar="N", help="检查文件夹时同时处理的文件数（默认：CPU 核数）。")
@click.option("--summary", "summary_to", type=XLSX_OUT, metavar="OUT.xlsx",
              help="检查文件夹时写出一张汇总工作簿（每个工作簿一行：部门、年度、错误数、主要问题）。")
@click.option("--narrative", "narrative_file", type=click.Path(dir_okay=False, path_type=str), metavar="说明.docx",
              help="同时核对情况说明（.docx 或纯文本）：文中每个金额、百分比是否与表格一致、前后是否一致。")
@_narrative_options
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖。")
def check_cmd(workbook: str, fmt: str, template: str | None, year: int | None, dept: str | None, notes: bool,
              annotate_to: str | None, jobs: int, summary_to: str | None, narrative_file: str | None,
              prior_file: str | None, budget_file: str | None, profile: str | None, force: bool) -> None:
    """校验工作簿：逐条核对表内、表间审核公式和科目编码，指出要改的单元格。

    万元表中在尾数误差范围内的差异列为“尾数误差”，不算错误；元表中差 0.01 即为错误。
    一处数字错了只报一次（指出最可能错的那一格），不会连带报出一串。

    \b
    退出码：0 没有错误（可有警告、尾数误差）；1 有错误；2 文件无法使用。
    \b
    示例：
      budget-xl check sample_workbooks/2024_住建局_部门预算_公开版.xlsx
      budget-xl check 决算.xlsx --format json > 校验结果.json
      budget-xl check 附表.xlsx --annotate 附表_校验.xlsx
      budget-xl check 各部门报表/ --jobs 2 --summary 汇总.xlsx
      budget-xl check 决算.xlsx --narrative 情况说明.docx --prior 上年决算.xlsx
    """
    if Path(workbook).is_dir():
        _check_folder(Path(workbook), template, jobs, summary_to, force)
        return
    from . import read
    from .report.check import check_json
    from .rules import check

    d = read(workbook, template, year=year, department=dept)
    report = check(d)
    if narrative_file:
        from .narrative.verify import read_narrative, verify

        lines = read_narrative(Path(narrative_file))
        ctx = _narrative_context(d, Path(workbook), prior_file, budget_file, profile)
        report.findings.extend(verify(ctx, lines))
    if annotate_to:
        from .report.annotate import annotate

        annotate(report, Path(workbook), Path(annotate_to), force=force)
    if fmt == "json":
        click.echo(check_json(report), nl=False)
    else:
        _echo_report(report, show_notes=notes)
        if annotate_to:
            click.echo(f"已写出标注后的工作簿：{annotate_to}")
    sys.exit(report.exit_code)


def _echo_report(report, show_notes: bool) -> None:
    """The check report on standard output (coloured on a terminal), a block of lines at a time:
    a large workbook's report is never held whole."""
    from itertools import islice

    from .report.check import check_lines

    colour = sys.stdout.isatty()
    lines = check_lines(report, colour=colour, show_notes=show_notes)
    while block := list(islice(lines, 1000)):
        click.echo("\n".join(block), color=colour)


def _check_folder(folder, template: str | None, jobs: int, summary_to: str | None, force: bool) -> None:
    from .batch import check_many, default_jobs, workbooks_under, write_summary
    from .errors import InputError

    paths = workbooks_under(folder)
    if not paths:
        raise InputError(f"文件夹 {folder} 中没有工作簿（.xlsx/.xlsm/.xls/.ods）。")
    jobs = jobs if jobs > 0 else default_jobs()
    with click.progressbar(length=len(paths), label=f"检查 {len(paths)} 个工作簿", file=sys.stderr) as bar:
        outcomes = check_many(paths, jobs, template, on_done=lambda o: bar.update(1))
    total = {"errors": 0, "warnings": 0, "rounding": 0, "bad": 0}
    for o in outcomes:
        name = o.path
        if o.problem:
            total["bad"] += 1
            click.echo(f"{name}　无法读取：{o.problem}")
            continue
        total["errors"] += o.errors
        total["warnings"] += o.warnings
        total["rounding"] += o.rounding
        verdict = "有错误" if o.errors else "通过"
        click.echo(f"{name}　{o.department or ''} {o.year or ''} {o.kind or ''}　{verdict}："
                   f"{o.errors} 处错误，{o.warnings} 处警告，{o.rounding} 处尾数误差")
    failed = sum(1 for o in outcomes if not o.problem and o.errors)
    click.echo(f"共 {len(outcomes)} 个工作簿：{len(outcomes) - failed - total['bad']} 个通过，{failed} 个有错误，"
               f"{total['bad']} 个无法读取；合计 {total['errors']} 处错误，{total['warnings']} 处警告，"
               f"{total['rounding']} 处尾数误差。")
    if summary_to:
        write_summary(outcomes, Path(summary_to), folder, force=force)
        click.echo(f"已写出汇总：{summary_to}")
    sys.exit(1 if failed or total["bad"] else 0)


@cli.command("fill", context_settings=CONTEXT)
@click.argument("workbook", type=str)
@click.option("-o", "--out", "out_dir", type=str, metavar="目录",
              help="输出目录（默认：输入工作簿所在目录）。")
@click.option("--recompute", is_flag=True, help="填写的合计、小计与计算结果不一致时，以计算结果为准（并列出改动）。")
@click.option("--unit", type=click.Choice(["元", "万元"]), help="把金额换算为该单位发布（元→万元四舍五入）。")
@click.option("--template", metavar="模板", help="指定表套模板；默认自动识别。")
@click.option("--year", type=int, metavar="年度", help="工作簿中没有写明年度时使用。")
@click.option("--dept", metavar="代码-名称", help="工作簿中没有写明部门时使用。")
@_narrative_options
@click.option("--full", is_flag=True, help="情况说明之外再生成整份公开文件（封面、目录、部门概况、表格、情况说明、名词解释）。")
@click.option("--force", is_flag=True, help="有校验错误也照样生成；输出文件已存在时覆盖。")
def fill_cmd(workbook: str, out_dir: str | None, recompute: bool, unit: str | None, template: str | None,
             year: int | None, dept: str | None, prior_file: str | None, budget_file: str | None, profile: str | None,
             full: bool, force: bool) -> None:
    """生成可直接公开的表格：补齐合计、小计和上级科目，校验后按官方格式排版输出。

    填写的合计与计算结果不一致时停止并列出（加 --recompute 以计算结果为准）；校验有错误时不生成
    （加 --force 照样生成）。输出到目录中：公开表工作簿和校验报告，文件名写明部门、年度和类别。

    \b
    示例：
      budget-xl fill sample_workbooks/2024_住建局_部门预算_更正版.xlsx -o 发布/
      budget-xl fill 附表.xlsx -o 发布/ --unit 万元
      budget-xl fill 2024附表.xlsx -o 发布/ --prior 2023附表.xlsx --full
    """
    from . import read
    from .derive import complete, convert_unit, derive_tables
    from .errors import InputError
    from .money import fmt
    from .report.check import write_check_text
    from .report.output import atomic_output
    from .report.publish import write_publish_workbook
    from .rules import check

    source = Path(workbook)
    d = read(source, template, year=year, department=dept)
    changes = complete(d, recompute=recompute)
    changes += derive_tables(d, recompute=recompute)
    conflicts = list({(c.table, c.row, c.column): c for c in changes if c.conflict}.values())
    if conflicts and not recompute:
        # The check report names the cell most likely wrong; the raw list follows.
        _echo_report(check(d), show_notes=False)
        click.echo(f"填写的 {len(conflicts)} 个合计、小计与计算结果不一致，未生成（改正后重试，或加 --recompute 以计算结果为准）：")
        for c in conflicts:
            click.echo(f"  {c.cell or c.table}　{c.table}「{c.label}」{d.template.tables[c.table].column_label(c.column)}："
                       f"填写 {fmt(c.entered)}，计算 {fmt(c.computed)}")
        sys.exit(1)
    for c in conflicts:
        click.echo(f"已按计算结果改写 {c.cell or c.table}：{fmt(c.entered)} → {fmt(c.computed)}")
    if unit:
        convert_unit(d, unit)
    report = check(d)
    if report.errors and not force:
        _echo_report(report, show_notes=False)
        click.echo("有错误，未生成公开表（改正后重试，或加 --force 照样生成）。")
        sys.exit(1)
    folder = Path(out_dir) if out_dir else source.parent
    if folder.exists() and not folder.is_dir():
        raise InputError(f"输出目录 {folder} 是一个文件，不是目录：请换一个输出目录。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建输出目录 {folder}（{exc.strerror}）：请检查路径和权限。") from None
    name = _output_name(d)
    ctx = _narrative_context(d, source, prior_file, budget_file, profile)   # bad --prior: stop before writing
    target = write_publish_workbook(d, folder / f"{name}.xlsx", force=force, source=source)
    doc = _write_narrative(ctx, d, folder / f"{name}_情况说明.docx", full=False, force=force, source=source)
    whole = _write_narrative(ctx, d, folder / f"{name}_公开文件.docx", full=True, force=force, source=source) if full else None
    with atomic_output(folder / f"{name}_校验报告.txt", force=force, source=source) as tmp:
        with tmp.open("w", encoding="utf-8") as fh:
            write_check_text(report, fh)
    filled = sum(1 for c in changes if not c.conflict)
    click.echo(f"已补齐 {filled} 个合计、小计或上级科目金额；校验：{report.errors} 处错误，{report.count('warning')} 处警告，"
               f"{report.count('rounding')} 处尾数误差。")
    click.echo(f"已生成：{target}")
    click.echo(f"情况说明：{doc}")
    if whole:
        click.echo(f"整份公开文件：{whole}")
    click.echo(f"校验报告：{folder / (name + '_校验报告.txt')}")
    sys.exit(0)


def _output_name(d) -> str:
    dept = (d.department or "部门").split("-", 1)[-1]
    return f"{d.year or ''}年{dept}{d.kind}公开表".replace("/", "／")


@cli.command("narrate", context_settings=CONTEXT)
@click.argument("workbook", type=str)
@_narrative_options
@click.option("-o", "--out", "out_file", type=OutFile(*NARRATIVE_SUFFIXES), metavar="说明.docx",
              help="输出文件：.docx 为 Word，.txt/.md 为纯文本（默认：输入工作簿旁的“…_情况说明.docx”）。")
@click.option("--full", is_flag=True, help="生成整份公开文件（封面、目录、部门概况、表格、情况说明、名词解释）。")
@click.option("--template", metavar="模板", help="指定表套模板；默认自动识别。")
@click.option("--year", type=int, metavar="年度", help="工作簿中没有写明年度时使用。")
@click.option("--dept", metavar="代码-名称", help="工作簿中没有写明部门时使用。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖。")
def narrate_cmd(workbook: str, prior_file: str | None, budget_file: str | None, profile: str | None,
                out_file: str | None, full: bool, template: str | None, year: int | None, dept: str | None,
                force: bool) -> None:
    """起草情况说明：每个数字都从表中算出（万元，两位小数，四舍五入），按官方结构和措辞成文。

    有上年工作簿（--prior）才写比上年增减额、增减率；“主要原因”和表中没有的事实（三公团组人次、
    车辆数等）留作高亮待填，或取自工作簿的“补充信息”表、--profile 文件。措辞模板在
    templates/narrative/ 下，可以修改。数字有错的工作簿照样起草，但会提示先运行 check。

    \b
    示例：
      budget-xl narrate sample_workbooks/2024_住建局_部门预算_更正版.xlsx \\
          --prior sample_workbooks/2023_住建局_部门预算.xlsx -o 情况说明.docx
      budget-xl narrate 决算.xlsx --budget 年初预算.xlsx --profile 补充信息.yaml -o 说明.docx --full
      budget-xl narrate 附表.xlsx -o 说明.txt
    """
    from . import read
    from .derive import complete, derive_tables
    from .rules import check

    source = Path(workbook)
    d = read(source, template, year=year, department=dept)
    complete(d)          # a workbook with only the detail rows entered still gives every total;
    derive_tables(d)     # entered values are kept (a disagreeing one is a check error, reported below)
    ctx = _narrative_context(d, source, prior_file, budget_file, profile)
    target = Path(out_file) if out_file else source.with_name(f"{_output_name(d)}_情况说明.docx")
    errors = check(d).errors
    written = _write_narrative(ctx, d, target, full=full, force=force, source=source)
    if errors:
        click.echo(f"注意：工作簿有 {errors} 处校验错误，情况说明中的数字随之有误；请先运行 budget-xl check 并改正。")
    click.echo(f"已生成：{written}")


@cli.command("init", context_settings=CONTEXT)
@click.argument("kind", metavar="{部门预算|部门决算}")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, metavar="年度", help="预算或决算年度。")
@click.option("--dept", required=True, metavar="代码-名称", help="部门，如 \"145-大连市西岗区住房和城乡建设局\"。")
@click.option("--units", multiple=True, metavar="代码-名称", help="所属预算单位（可重复）；不写则只有部门本级。")
@click.option("-o", "--out", "out_file", type=XLSX_OUT, metavar="文件.xlsx",
              help="输出文件（默认：“年度+部门+类别+填报表.xlsx”，在当前目录）。")
@click.option("--template", metavar="模板", help="指定表套模板（默认按类别取内置模板）。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖。")
def init_cmd(kind: str, year: int, dept: str, units: tuple[str, ...], out_file: str | None, template: str | None,
             force: bool) -> None:
    """生成空白填报工作簿：官方表样，只开放需要填写的格子，科目编码可下拉选择，附填写说明。

    合计、小计、上级科目和由其他表算出的表（如附表1、3、6）都不用填，由 budget-xl fill 算出。

    \b
    示例：
      budget-xl init 部门预算 --year 2025 --dept "145-大连市西岗区住房和城乡建设局" \\
          --units "145001-大连市西岗区住房和城乡建设局（本级）" --units "145002-大连市西岗区住房城市建设事务服务中心"
      budget-xl init 部门决算 --year 2024 --dept "大连市西岗区人民政府办公室"
    """
    from .report.blank import write_blank_workbook
    from .templates import get_template

    ts = get_template(template or kind)
    if template is None and ts.kind != kind and kind not in ("budget", "final"):
        raise click.BadParameter(f"类别应为 部门预算 或 部门决算，而不是“{kind}”", param_hint="KIND")
    if not dept.strip():
        raise click.BadParameter("请写明部门，如 \"145-大连市西岗区住房和城乡建设局\"", param_hint="'--dept'")
    name = dept.split("-", 1)[-1]
    target = Path(out_file) if out_file else Path(f"{year}年{name}{ts.kind}填报表.xlsx".replace("/", "／"))
    write_blank_workbook(ts, year, dept, list(units), target, force=force)
    click.echo(f"已生成空白填报工作簿：{target}（填完后运行 budget-xl fill {target} -o 发布/）")


@cli.command("diff", context_settings=CONTEXT)
@click.argument("before", metavar="上年")
@click.argument("after", metavar="本年")
@click.option("--dir", "folder", default=".", metavar="文件夹",
              help="按年度查找工作簿的文件夹（默认：当前文件夹；其中的 budget-xl.toml 可指定各年度的文件）。")
@click.option("--kind", metavar="类别", help="部门预算 或 部门决算（两边相同）；对比预算与决算写成 部门预算:部门决算。")
@click.option("--dept", metavar="代码或名称", help="文件夹中有几个部门的工作簿时，选其中一个，如 145 或 住房和城乡建设局。")
@click.option("--threshold", default="10", show_default=True, metavar="百分比",
              help="需说明的增减率：|增减率| 不小于它（且增减额达到 --amount）即需说明。")
@click.option("--amount", default="10", show_default=True, metavar="万元", help="需说明的增减额（万元）。")
@click.option("--band", default="90-110", show_default=True, metavar="下限-上限",
              help="预算与决算对比：完成年初预算的比例在此范围（%）之外即需说明。")
@click.option("--unit", type=click.Choice(["元", "万元"]),
              help="列示金额的单位（默认：两边都是元则为元，否则为万元）；增减额、增减率总按精确值计算。")
@click.option("-o", "--out", "out_file", type=XLSX_OUT, metavar="OUT.xlsx",
              help="写出对比工作簿：汇总、需说明、每张表一页、“三公”经费对比表。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 便于阅读；json 便于程序处理（格式见 README）。")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, metavar="N", help="文字输出中列出的需说明变动条数。")
@click.option("--template", metavar="模板", help="指定表套模板（两边相同时）；默认自动识别。")
@click.option("--force", is_flag=True, help="两个工作簿不是同一部门也照常对比；输出文件已存在时覆盖。")
def diff_cmd(before: str, after: str, folder: str, kind: str | None, dept: str | None, threshold: str, amount: str,
             band: str, unit: str | None, out_file: str | None, fmt: str, top: int, template: str | None,
             force: bool) -> None:
    """对比两个年度（或同一年度的预算与决算）：逐行按编码匹配，列出增减额、增减率，以及需要说明原因的变动。

    上年、本年可以是年度（在当前文件夹或 --dir 中按工作簿里写明的年度、类别、部门查找），也可以是文件路径。
    两边各先校验一遍：有错误的照样对比，但在报告开头列出。

    \b
    对比两年：每张表的上年、本年、增减额、增减率（上年为 0 时空白），状态为 新增、删除、变动、不变，
    编码变了而名称和金额没变（或同一编码改了名称）的行为“科目调整”；|增减率| ≥ 10% 且 |增减额| ≥ 10 万元
    的变动需说明，“三公”经费有变动即需说明。
    预算与决算：按功能分类科目对比年初预算与决算，完成年初预算的比例不在 90%–110% 之间的需说明。
    \b
    退出码：0 已生成对比（不论有无变动）；2 输入无法使用。
    \b
    示例：
      budget-xl diff 2023 2024 --dir sample_workbooks/     （2024 年有两个版本时会列出，请改给文件路径）
      budget-xl diff sample_workbooks/2023_住建局_部门预算.xlsx sample_workbooks/2024_住建局_部门预算_更正版.xlsx \\
          --unit 万元 -o 对比.xlsx
      budget-xl diff 2024预算.xlsx 2024决算.xlsx -o 预算与决算对比.xlsx
      budget-xl diff 2024 2024 --kind 部门预算:部门决算 --format json > 对比.json
    """
    import re

    from .diff import Options, diff
    from .report.diff_json import diff_json
    from .report.diff_text import diff_text

    parts = re.split(r"\s*[-~～—,，]\s*", band.strip())
    if len(parts) != 2:
        raise click.BadParameter(f"“{band}” 应写成 下限-上限，如 90-110", param_hint="--band")
    low, high = (_number(p, "--band") for p in parts)
    if low > high:
        raise click.BadParameter(f"下限 {low} 大于上限 {high}", param_hint="--band")
    options = Options(_number(threshold, "--threshold"), _number(amount, "--amount"), (low, high), unit)
    c = diff(before, after, folder=Path(folder), kind=kind, dept=dept, template=template, force=force, options=options)
    if out_file:
        from .report.diff_xlsx import write_diff_workbook

        write_diff_workbook(c, Path(out_file), force=force,
                            sources=(c.before.disclosure.path, c.after.disclosure.path))
    if fmt == "json":
        click.echo(diff_json(c), nl=False)
    else:
        click.echo(diff_text(c, top), nl=False)
    if out_file:
        click.echo(f"已写出对比工作簿：{out_file}", err=fmt == "json")
    sys.exit(0)


def _number(text: str, option: str):
    """A non-negative decimal option value ("10", "10%")."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise click.BadParameter(f"“{text}” 不是数字", param_hint=option) from None
    if not value.is_finite() or value < 0:
        raise click.BadParameter(f"“{text}” 应为不小于 0 的数", param_hint=option)
    return value


@cli.group("codes", context_settings=CONTEXT)
def codes_group() -> None:
    """政府收支分类科目表：导入当年的官方科目表，供 check 核对编码和名称。

    随附的科目表是从公开文件整理的，不完整；导入官方科目表后，表中没有的编码会报为警告。
    """


@codes_group.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--year", type=int, required=True, metavar="年度", help="科目表适用的年度，如 2025。")
def codes_import_cmd(file: str, year: int) -> None:
    """导入一份科目表（CSV 或工作簿：“科目编码”“科目名称”两列，或“2080505-名称”一列）。

    \b
    示例：
      budget-xl codes import 2025年政府收支分类科目.xlsx --year 2025
    """
    from .code_import import LABELS, import_codes

    for kind, count, path in import_codes(Path(file), year):
        click.echo(f"已导入 {year} 年{LABELS[kind]} {count} 个，保存在 {path}")


@cli.command("templates", context_settings=CONTEXT)
@click.option("--identities", is_flag=True, help="列出每套表的全部审核公式（Markdown），而不是表的清单。")
def templates_cmd(identities: bool) -> None:
    """列出内置的表套模板及其中每张表（代码、标题、金额单位）。

    \b
    示例：
      budget-xl templates
      budget-xl templates --identities > 审核公式.md
    """
    from .templates import load_all, templates_dir

    if identities:
        from .report.identities import all_identities_markdown

        click.echo(all_identities_markdown(load_all()), nl=False)
        return

    for ts in load_all():
        click.echo(f"{ts.id}　{ts.name}（{ts.kind}，金额单位：{ts.unit}，{len(ts.tables)} 张表，"
                   f"{len(ts.identities)} 条表间/表内审核公式）")
        for spec in ts.tables.values():
            aliases = "、".join(spec.aliases[:2])
            click.echo(f"  {spec.code:<8}{spec.title}" + (f"（又名：{aliases}）" if aliases else ""))
        click.echo("")
    click.echo(f"模板文件目录：{templates_dir()}")


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)
    except SystemExit as exc:  # a command's own exit status (check: 0 / 1)
        sys.exit(exc.code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(2)
    except BudgetXlError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug of ours: still one sentence, never a traceback
        click.echo(f"内部错误：{type(exc).__name__}: {exc}。请把这条信息和所用文件报告给 budget-xl 维护者。", err=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
