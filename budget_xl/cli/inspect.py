"""Commands that look without judging: `show` (what was read), `templates` (the table sets),
`codes import` (the year's official code list)."""
from __future__ import annotations

from pathlib import Path

import click

from .app import CONTEXT, cli
from .options import IN_PATH, OutFile, force_option, format_option, workbook_options


@cli.command("show", context_settings=CONTEXT)
@click.argument("workbook", type=IN_PATH)
@click.option("--table", "tables", multiple=True, metavar="表代码",
              help="只显示这些表，如 --table 附表4 或 --table 财决公开05（可重复）。")
@format_option("text", "json", "csv")
@workbook_options
def show_cmd(workbook: str, tables: tuple[str, ...], fmt: str, template: str | None, year: int | None,
             dept: str | None) -> None:
    """显示从工作簿中读到的内容：模板、找到与缺少的表、每张表的各行金额。

    只读取、不校验：只要工作簿能读，即使数字有错也正常输出（退出码 0）。
    绩效表（年度绩效目标表、绩效自评表等）列出每个项目的金额、分值、得分和指标。

    \b
    示例：
      budget-xl show sample_workbooks/住建局/2024_部门预算_公开版.xlsx
      budget-xl show 决算.xlsx --table 财决公开05 --format json > 05.json
      budget-xl show sample_workbooks/住建局/2024_绩效目标表.xlsx
    """
    from ..derive import complete_lines
    from ..reader import OnlyForms, read
    from ..report.form_show import render_forms
    from ..report.show import render_show

    try:
        disclosure = complete_lines(read(workbook, template, year=year, department=dept))
    except OnlyForms as only:          # a workbook of 绩效 forms
        click.echo(render_forms(only.book, fmt), nl=False)
        return
    click.echo(render_show(disclosure, tables, fmt), nl=False)
    if disclosure.performance is not None and fmt == "text" and not tables:
        from ..report.form_show import forms_text

        click.echo("\n".join(["", *forms_text(disclosure.performance)]))


@cli.group("templates", context_settings=CONTEXT, invoke_without_command=True)
@click.option("--identities", is_flag=True, help="列出每套表的全部审核公式（Markdown），而不是表的清单。")
@click.pass_context
def templates_cmd(ctx: click.Context, identities: bool) -> None:
    """列出内置的表套模板及其中每张表（代码、标题、金额单位）；templates draft 从工作簿起草新模板。

    \b
    示例：
      budget-xl templates
      budget-xl templates --identities > 审核公式.md
      budget-xl templates draft 决算.xlsx -o 我省决算.yaml
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..templates import load_all, templates_dir

    if identities:
        from ..report.identities import all_identities_markdown

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


@templates_cmd.command("draft", context_settings=CONTEXT)
@click.argument("workbook", type=IN_PATH)
@click.option("-o", "--out", "out_file", type=OutFile(".yaml", ".yml"), metavar="新模板.yaml",
              help="写出的模板文件（默认：工作簿旁、同名的 .yaml）；文件名就是模板的 id。")
@click.option("--base", metavar="模板",
              help="在这个模板（内置模板的 id，或 .yaml 文件）的基础上起草变体：只写出与它不同之处（extends:）。")
@force_option()
def templates_draft_cmd(workbook: str, out_file: str | None, base: str | None, force: bool) -> None:
    """从工作簿起草一个表套模板：内置模板不认识的版式，几分钟就能用上。

    按每张表的标题、表头和数字推断表名与表号、表头、各列（能认出的写成 concepts.yaml 中的概念）、
    行结构、固定行、合计关系（只写本表数字相符的）和金额单位；要人确认之处标有“# 请核对：…”。

    \b
    示例：
      budget-xl templates draft 决算.xlsx -o 我省决算.yaml
      budget-xl check 决算.xlsx --template 我省决算.yaml
      budget-xl templates draft 决算.xlsx --base 部门决算-全国 -o 我省决算.yaml --force
    """
    from ..pipeline import draft
    from ..reader.draft import KIND_WORDS

    result = draft(workbook, out_file, base=base, force=force)
    what = f"（{result.base} 的变体）" if result.base else ""
    click.echo(f"已起草模板{what}：{result.path}（id：{result.template_id}，{len(result.tables)} 张表，"
               f"{result.remarks} 处标有“请核对”）")
    for code, title, sheet, kind, rows in result.tables:
        mark = "新增" if code in result.added else ("改动" if code in result.changed else "")
        click.echo(f"  {code:<8}{title}（工作表 {sheet}，{KIND_WORDS.get(kind, kind)}，{rows} 行）"
                   + (f"　{mark}" if mark and result.base else ""))
    click.echo(f"校验：budget-xl check {workbook} --template {result.path}")


@cli.group("codes", context_settings=CONTEXT)
def codes_group() -> None:
    """政府收支分类科目表：导入当年的官方科目表，供 check 核对编码和名称。

    随附的科目表是从公开文件整理的，不完整；导入官方科目表后，表中没有的编码会报为警告。
    """


@codes_group.command("import", context_settings=CONTEXT)
@click.argument("file", type=IN_PATH)
@click.option("--year", type=int, required=True, metavar="年度", help="科目表适用的年度，如 2025。")
def codes_import_cmd(file: str, year: int) -> None:
    """导入一份科目表（CSV 或工作簿：“科目编码”“科目名称”两列，或“2080505-名称”一列）。

    \b
    示例：
      budget-xl codes import 2025年政府收支分类科目.xlsx --year 2025
    """
    from ..code_import import LABELS, import_codes

    for kind, count, path in import_codes(Path(file), year):
        click.echo(f"已导入 {year} 年{LABELS[kind]} {count} 个，保存在 {path}")
