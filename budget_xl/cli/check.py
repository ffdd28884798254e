"""`budget-xl check`: a workbook (or a folder of them) against every identity of its template."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from ..files import is_dir, printable
from .app import CONTEXT, cli
from .echo import echo_report
from .options import IN_PATH, XLSX_OUT, force_option, format_option, narrative_options, workbook_options


@cli.command("check", context_settings=CONTEXT)
@click.argument("workbook", type=IN_PATH)
@format_option("text", "json")
@workbook_options
@click.option("--notes/--no-notes", default=True, show_default=True, help="文字输出中是否列出提示（如编码不在随附科目表中）。")
@click.option("--annotate", "annotate_to", type=XLSX_OUT, metavar="OUT.xlsx",
              help="另存一份标注过的工作簿：有问题的单元格标红/黄并加批注，第一页“校验结果”可点击跳转。")
@click.option("--jobs", type=int, default=0, metavar="N", help="检查文件夹时同时处理的文件数（默认：CPU 核数）。")
@click.option("--summary", "summary_to", type=XLSX_OUT, metavar="OUT.xlsx",
              help="检查文件夹时写出一张汇总工作簿（每个工作簿一行：部门、年度、错误数、主要问题）。")
@click.option("--narrative", "narrative_file", type=IN_PATH, metavar="说明.docx",
              help="同时核对情况说明（.docx 或纯文本）：文中每个金额、百分比是否与表格一致、前后是否一致。")
@narrative_options(checking=True)
@click.option("--performance", "performance_file", type=IN_PATH, metavar="绩效.xlsx",
              help="同时核对这个工作簿里的绩效表（年度绩效目标表、绩效自评表等）：表内公式，以及与本公开表的项目支出、部门整体数是否一致。")
@force_option()
def check_cmd(workbook: str, fmt: str, template: str | None, year: int | None, dept: str | None, notes: bool,
              annotate_to: str | None, jobs: int, summary_to: str | None, narrative_file: str | None,
              prior_file: str | None, budget_file: str | None, profile: str | None, performance_file: str | None,
              force: bool) -> None:
    """校验工作簿：逐条核对表内、表间审核公式和科目编码，指出要改的单元格。

    万元表中在尾数误差范围内的差异列为“尾数误差”，不算错误；元表中差 0.01 即为错误。
    一处数字错了只报一次（指出最可能错的那一格），不会连带报出一串。
    绩效表（年度绩效目标表、部门整体预算绩效目标申报表、项目支出绩效自评表）与公开表在同一工作簿中、
    或用 --performance 给出时一并核对；只有绩效表的工作簿照样核对（项目总额、权重、得分、执行率、等级）。

    \b
    退出码：0 没有错误（可有警告、尾数误差）；1 有错误；2 文件无法使用。
    \b
    示例：
      budget-xl check sample_workbooks/住建局/2024_部门预算_公开版.xlsx
      budget-xl check 决算.xlsx --format json > 校验结果.json
      budget-xl check 附表.xlsx --annotate 附表_校验.xlsx
      budget-xl check 各部门报表/ --jobs 2 --summary 汇总.xlsx
      budget-xl check 决算.xlsx --narrative 情况说明.docx --prior 上年决算.xlsx
      budget-xl check 附表.xlsx --performance 绩效目标表.xlsx
      budget-xl check sample_workbooks/政府办/2024_绩效自评表.xlsx
    """
    if is_dir(Path(workbook)):
        # Options that only mean something for one workbook are refused, never silently ignored.
        single = {"--annotate": annotate_to, "--narrative": narrative_file, "--performance": performance_file,
                  "--prior": prior_file, "--budget": budget_file, "--profile": profile, "--year": year, "--dept": dept}
        given = [name for name, value in single.items() if value is not None]
        if given:
            raise InputError(f"{printable(workbook)} 是文件夹：检查文件夹时不能用 {'、'.join(given)}（它们只用于单个工作簿），"
                             f"请去掉这些选项，或对单个工作簿使用。")
        _check_folder(Path(workbook), template, jobs, summary_to, fmt, force)
        return
    if summary_to:
        raise click.UsageError("--summary 只用于检查文件夹（每个工作簿一行）；单个工作簿请用 --annotate 或 --format json。")
    from ..pipeline import check
    from ..report.check import check_json

    report = check(workbook, template=template, year=year, department=dept, narrative=narrative_file,
                   prior=prior_file, budget=budget_file, profile=profile, annotate=annotate_to, force=force,
                   performance=performance_file)
    if fmt == "json":
        click.echo(check_json(report), nl=False)
    else:
        echo_report(report, show_notes=notes)
        if annotate_to:
            click.echo(f"已写出标注后的工作簿：{annotate_to}")
    sys.exit(report.exit_code)


def _check_folder(folder: Path, template: str | None, jobs: int, summary_to: str | None, fmt: str,
                  force: bool) -> None:
    from ..batch import check_many, default_jobs, district_lines, totals
    from ..formats import workbooks_in
    from ..report.check import folder_json

    paths = workbooks_in(folder, recursive=True)
    if not paths:
        raise InputError(f"文件夹 {folder} 中没有工作簿（.xlsx/.xlsm/.xls/.ods）。")
    jobs = jobs if jobs > 0 else default_jobs()
    with click.progressbar(length=len(paths), label=f"检查 {len(paths)} 个工作簿", file=sys.stderr) as bar:
        outcomes = check_many(paths, jobs, template, on_done=lambda o: bar.update(1))
    total = totals(outcomes)
    lines = district_lines(outcomes)   # a 政府预算 against its departments' 部门预算 of the same year
    if fmt == "json":
        click.echo(folder_json(outcomes, folder, lines), nl=False)
    else:
        for o in outcomes:
            if o.problem:
                click.echo(f"{o.path}　无法读取：{o.problem}")
                continue
            verdict = "有错误" if o.errors else "通过"
            click.echo(f"{o.path}　{o.department or ''} {o.year or ''} {o.kind or ''}　{verdict}："
                       f"{o.errors} 处错误，{o.warnings} 处警告，{o.rounding} 处尾数误差")
        if lines:
            click.echo("全区对照（政府预算与文件夹中各部门同年的部门预算）：")
            for line in lines:
                click.echo(f"  {line.describe()}")
            skipped = sorted({p for line in lines for p in line.skipped})
            if skipped:
                click.echo(f"  同一部门同一年有几个工作簿的，只计错误最少的一个，未计：{'、'.join(skipped)}")
        click.echo(f"共 {total.workbooks} 个工作簿：{total.passed} 个通过，{total.failed} 个有错误，"
                   f"{total.unreadable} 个无法读取；合计 {total.errors} 处错误，{total.warnings} 处警告，"
                   f"{total.rounding} 处尾数误差。")
    if summary_to:
        from ..report.summary import write_summary

        write_summary(outcomes, Path(summary_to), folder, force=force, district=lines)
        click.echo(f"已写出汇总：{summary_to}", err=fmt == "json")
    exceeded = any(line.status == "超出" for line in lines)
    sys.exit(1 if total.failed or total.unreadable or exceeded else 0)
