"""`budget-xl diff`: two years of a department, or a year's budget against its final accounts."""
from __future__ import annotations

import re
import sys

import click

from .app import CONTEXT, cli
from .options import XLSX_OUT, force_option, format_option, number, template_option


@cli.command("diff", context_settings=CONTEXT)
@click.argument("before", metavar="上年")
@click.argument("after", metavar="本年")
@click.option("--dir", "folder", default=".", metavar="文件夹",
              help="按年度查找工作簿的文件夹（默认：当前文件夹；其中的 budget-xl.toml 可指定各年度的文件）。")
@click.option("--kind", metavar="类别", help="部门预算 或 部门决算（两边相同）；对比预算与决算写成 部门预算:部门决算。")
@click.option("--dept", metavar="代码或名称", help="部门：文件夹中有几个部门的工作簿时，选其中一个，如 145 或 住房和城乡建设局。")
@click.option("--threshold", default="10", show_default=True, metavar="百分比",
              help="需说明的增减率：|增减率| 不小于它（且增减额达到 --amount）即需说明。")
@click.option("--amount", default="10", show_default=True, metavar="万元", help="需说明的增减额（万元）。")
@click.option("--band", default="90-110", show_default=True, metavar="下限-上限",
              help="预算与决算对比：完成年初预算的比例在此范围（%）之外即需说明。")
@click.option("--unit", type=click.Choice(["元", "万元"]),
              help="列示金额的单位（默认：两边都是元则为元，否则为万元）；增减额、增减率总按精确值计算。")
@click.option("-o", "--out", "out_file", type=XLSX_OUT, metavar="OUT.xlsx",
              help="写出对比工作簿：汇总、需说明、每张表一页、“三公”经费对比表。")
@format_option("text", "json")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, metavar="N", help="文字输出中列出的需说明变动条数。")
@template_option
@force_option("两个工作簿不是同一部门也照常对比")
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
      budget-xl diff 2023 2024 --dir sample_workbooks/住建局/   （文件夹中的 budget-xl.toml 指定各年度的文件）
      budget-xl diff sample_workbooks/住建局/2023_部门预算.xlsx sample_workbooks/住建局/2024_部门预算_更正版.xlsx \\
          --unit 万元 -o 对比.xlsx
      budget-xl diff 2024预算.xlsx 2024决算.xlsx -o 预算与决算对比.xlsx
      budget-xl diff 2024 2024 --kind 部门预算:部门决算 --format json > 对比.json
    """
    from ..pipeline import compare
    from ..report.diff_json import diff_json
    from ..report.diff_text import diff_text

    parts = re.split(r"\s*[-~～—,，]\s*", band.strip())
    if len(parts) != 2:
        raise click.BadParameter(f"“{band}” 应写成 下限-上限，如 90-110", param_hint="--band")
    low, high = (number(p, "--band") for p in parts)
    if low > high:
        raise click.BadParameter(f"下限 {low} 大于上限 {high}", param_hint="--band")
    c = compare(before, after, folder=folder, kind=kind, department=dept, template=template,
                threshold=number(threshold, "--threshold"), amount=number(amount, "--amount"), band=(low, high),
                unit=unit, out=out_file, force=force)
    if fmt == "json":
        click.echo(diff_json(c), nl=False)
    else:
        click.echo(diff_text(c, top), nl=False)
    if out_file:
        click.echo(f"已写出对比工作簿：{out_file}", err=fmt == "json")
    sys.exit(0)
