"""Commands that look without judging: `show` (what was read), `templates` (the table sets),
`codes import` (the year's official code list)."""
from __future__ import annotations

from pathlib import Path

import click

from .app import CONTEXT, cli
from .options import format_option, workbook_options


@cli.command("show", context_settings=CONTEXT)
@click.argument("workbook", type=click.Path(dir_okay=True, path_type=str))
@click.option("--table", "tables", multiple=True, metavar="表代码",
              help="只显示这些表，如 --table 附表4 或 --table 财决公开05（可重复）。")
@format_option("text", "json", "csv")
@workbook_options
def show_cmd(workbook: str, tables: tuple[str, ...], fmt: str, template: str | None, year: int | None,
             dept: str | None) -> None:
    """显示从工作簿中读到的内容：模板、找到与缺少的表、每张表的各行金额。

    只读取、不校验：只要工作簿能读，即使数字有错也正常输出（退出码 0）。

    \b
    示例：
      budget-xl show sample_workbooks/住建局/2024_部门预算_公开版.xlsx
      budget-xl show 决算.xlsx --table 财决公开05 --format json > 05.json
    """
    from ..reader import read
    from ..report.show import render_show

    disclosure = read(workbook, template, year=year, department=dept)
    click.echo(render_show(disclosure, tables, fmt), nl=False)


@cli.command("templates", context_settings=CONTEXT)
@click.option("--identities", is_flag=True, help="列出每套表的全部审核公式（Markdown），而不是表的清单。")
def templates_cmd(identities: bool) -> None:
    """列出内置的表套模板及其中每张表（代码、标题、金额单位）。

    \b
    示例：
      budget-xl templates
      budget-xl templates --identities > 审核公式.md
    """
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
    from ..code_import import LABELS, import_codes

    for kind, count, path in import_codes(Path(file), year):
        click.echo(f"已导入 {year} 年{LABELS[kind]} {count} 个，保存在 {path}")
