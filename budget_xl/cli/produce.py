"""Commands that write the disclosure: `fill` (the publish-ready set), `narrate` (the 情况说明),
`init` (a blank input workbook)."""
from __future__ import annotations

import click

from .app import CONTEXT, cli
from .options import XLSX_OUT, OutFile, force_option, narrative_options, template_option, workbook_options


@cli.command("fill", context_settings=CONTEXT)
@click.argument("workbook", type=str)
@click.option("-o", "--out", "out_dir", type=str, metavar="目录",
              help="输出目录（默认：输入工作簿所在目录）。")
@click.option("--recompute", is_flag=True, help="填写的合计、小计与计算结果不一致时，以计算结果为准（并列出改动）。")
@click.option("--unit", type=click.Choice(["元", "万元"]), help="把金额换算为该单位发布（元→万元四舍五入）。")
@workbook_options
@narrative_options()
@click.option("--full", is_flag=True, help="情况说明之外再生成整份公开文件（封面、目录、部门概况、表格、情况说明、名词解释）。")
@click.option("--performance", "performance_file", type=click.Path(dir_okay=False, path_type=str), metavar="绩效.xlsx",
              help="同时生成这个工作簿里的绩效表：项目总额等由公开表的项目支出算出，与公开表一并校验。")
@force_option("有校验错误也照样生成；--prior、--budget 是别的部门的工作簿也照样使用")
def fill_cmd(workbook: str, out_dir: str | None, recompute: bool, unit: str | None, template: str | None,
             year: int | None, dept: str | None, prior_file: str | None, budget_file: str | None, profile: str | None,
             full: bool, performance_file: str | None, force: bool) -> None:
    """生成可直接公开的表格：补齐合计、小计和上级科目，校验后按官方格式排版输出。

    填写的合计与计算结果不一致时停止并列出（加 --recompute 以计算结果为准）；校验有错误时不生成
    （加 --force 照样生成）。输出到目录中：公开表工作簿和校验报告，文件名写明部门、年度和类别。

    \b
    示例：
      budget-xl fill sample_workbooks/住建局/2024_部门预算_更正版.xlsx -o 发布/
      budget-xl fill 附表.xlsx -o 发布/ --unit 万元
      budget-xl fill 2024附表.xlsx -o 发布/ --prior 2023附表.xlsx --full
      budget-xl fill 附表.xlsx -o 发布/ --performance 绩效目标表.xlsx
    """
    from ..money import fmt
    from ..pipeline import FillResult, fill

    result = fill(workbook, out_dir, recompute=recompute, unit=unit, template=template, year=year, department=dept,
                  prior=prior_file, budget=budget_file, profile=profile, full=full, force=force,
                  performance=performance_file)
    if not isinstance(result, FillResult):       # a workbook of 绩效 forms alone
        report = result.report
        click.echo(f"已补齐绩效表中 {len(result.filled)} 个数（项目总额、执行率、得分、总分、等级等）；校验：{report.errors} 处错误，"
                   f"{report.count('warning')} 处警告，{report.count('rounding')} 处尾数误差。")
        click.echo(f"已生成绩效表（{len(result.book.forms)} 张，每张一页）：{result.workbook}")
        click.echo(f"校验报告：{result.report_file}")
        return
    for c in result.rewritten:
        click.echo(f"已按计算结果改写 {c.cell or c.table}：{fmt(c.entered)} → {fmt(c.computed)}")
    report = result.report
    click.echo(f"已补齐 {len(result.filled)} 个合计、小计或上级科目金额；校验：{report.errors} 处错误，"
               f"{report.count('warning')} 处警告，{report.count('rounding')} 处尾数误差。")
    click.echo(f"已生成：{result.workbook}")
    for line in result.overridden:
        click.echo(f"注意：{line}，情况说明中的对比数取自它。")
    click.echo(f"情况说明：{_with_placeholders(result.narrative, result.placeholders)}")
    if result.document:
        click.echo(f"整份公开文件：{_with_placeholders(result.document, result.placeholders)}")
    if result.forms:
        click.echo(f"绩效表：{result.forms}（补齐 {len(result.forms_filled)} 个数）")
    click.echo(f"校验报告：{result.report_file}")


def _with_placeholders(path, placeholders: dict) -> str:
    left = placeholders.get(path, 0)
    return f"{path}（{left} 处高亮待填写）" if left else f"{path}（没有待填写处）"


@cli.command("narrate", context_settings=CONTEXT)
@click.argument("workbook", type=str)
@narrative_options()
@click.option("-o", "--out", "out_file", type=OutFile(".docx", ".txt", ".md"), metavar="说明.docx",
              help="输出文件：.docx 为 Word，.txt/.md 为纯文本（默认：输入工作簿旁的“…_情况说明.docx”）。")
@click.option("--full", is_flag=True, help="生成整份公开文件（封面、目录、部门概况、表格、情况说明、名词解释）。")
@workbook_options
@force_option("--prior、--budget 是别的部门（或 --budget 是别的年度）的工作簿也照样使用")
def narrate_cmd(workbook: str, prior_file: str | None, budget_file: str | None, profile: str | None,
                out_file: str | None, full: bool, template: str | None, year: int | None, dept: str | None,
                force: bool) -> None:
    """起草情况说明：每个数字都从表中算出（万元，两位小数，四舍五入），按官方结构和措辞成文。

    有上年工作簿（--prior）才写比上年增减额、增减率；“主要原因”和表中没有的事实（三公团组人次、
    车辆数等）留作高亮待填，或取自工作簿的“补充信息”表、--profile 文件。措辞模板在
    templates/narrative/ 下，可以修改。数字有错的工作簿照样起草，但会提示先运行 check。

    \b
    示例：
      budget-xl narrate sample_workbooks/住建局/2024_部门预算_更正版.xlsx \\
          --prior sample_workbooks/住建局/2023_部门预算.xlsx -o 情况说明.docx
      budget-xl narrate 决算.xlsx --budget 年初预算.xlsx --profile 补充信息.yaml -o 说明.docx --full
      budget-xl narrate 附表.xlsx -o 说明.txt
    """
    from ..pipeline import narrate

    result = narrate(workbook, out_file, prior=prior_file, budget=budget_file, profile=profile, full=full,
                     template=template, year=year, department=dept, force=force)
    for line in result.overridden:
        click.echo(f"注意：{line}，情况说明中的对比数取自它。")
    if result.check_errors:
        click.echo(f"注意：工作簿有 {result.check_errors} 处校验错误，情况说明中的数字随之有误；请先运行 budget-xl check 并改正。")
    click.echo(f"已生成：{_with_placeholders(result.path, {result.path: result.placeholders})}")


@cli.command("init", context_settings=CONTEXT)
@click.argument("kind", metavar="{部门预算|部门决算|政府预算|政府决算|绩效目标|绩效自评}")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, metavar="年度", help="预算或决算年度。")
@click.option("--dept", required=True, metavar="代码-名称", help="部门，如 \"145-大连市西岗区住房和城乡建设局\"。")
@click.option("--units", multiple=True, metavar="代码-名称", help="所属预算单位（可重复）；不写则只有部门本级。")
@click.option("-o", "--out", "out_file", type=XLSX_OUT, metavar="文件.xlsx",
              help="输出文件（默认：“年度+部门+类别+填报表.xlsx”，在当前目录）。")
@click.option("--project", "projects", multiple=True, metavar="编码-名称",
              help="绩效目标、绩效自评：每个项目一张表（可重复）。")
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=str), metavar="附表.xlsx",
              help="绩效目标：按这个公开表工作簿的项目支出表，每个项目一张目标表，单位、名称、金额已填好。")
@template_option
@force_option()
def init_cmd(kind: str, year: int, dept: str, units: tuple[str, ...], projects: tuple[str, ...], source: str | None,
             out_file: str | None, template: str | None, force: bool) -> None:
    """生成空白填报工作簿：官方表样，只开放需要填写的格子，科目编码可下拉选择，附填写说明。

    合计、小计、上级科目和由其他表算出的表（如附表1、3、6）都不用填，由 budget-xl fill 算出。
    绩效目标、绩效自评：每个单位一张部门整体表、每个项目一张表（官方样式），项目总额、执行率、得分、总分、等级由 fill 算出；
    --template 此时是绩效表模板（绩效-辽宁、绩效-全国、绩效-四川，或 .yaml 文件）。

    \b
    示例：
      budget-xl init 部门预算 --year 2025 --dept "145-大连市西岗区住房和城乡建设局" \\
          --units "145001-大连市西岗区住房和城乡建设局（本级）" --units "145002-大连市西岗区住房城市建设事务服务中心"
      budget-xl init 部门决算 --year 2024 --dept "大连市西岗区人民政府办公室"
      budget-xl init 绩效目标 --year 2024 --dept "145-大连市西岗区住房和城乡建设局" \\
          --from sample_workbooks/住建局/2024_部门预算_更正版.xlsx
      budget-xl init 绩效自评 --year 2024 --dept "大连市西岗区人民政府办公室" --project "政府工作性经费"
    """
    from ..pipeline import init

    target = init(kind, year, dept, units, out_file, template=template, force=force, projects=projects, source=source)
    click.echo(f"已生成空白填报工作簿：{target}（填完后运行 budget-xl fill {target} -o 发布/）")
