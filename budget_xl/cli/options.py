"""Options shared by several commands, defined once: each option name means one thing everywhere.

--template / --year / --dept   which table set, year and department (when the workbook does not say)
--prior / --budget / --profile what the 情况说明 is compared with, and the facts no table holds
--format                       text for people, json (csv) for programs
--force                        go ahead anyway (overwrite an output; the command says what else)
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]


class OutFile(click.Path):
    """An output file path whose suffix says what is written: a workbook written under another name
    (诊断.csv) would open nowhere, so the name is refused before any work is done."""

    def __init__(self, *suffixes: str):
        super().__init__(path_type=str, readable=False)   # an existing folder there: refused by report/output.py
        self.suffixes = suffixes

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        assert isinstance(path, str)  # path_type=str
        if Path(path).suffix.lower() not in self.suffixes:
            self.fail(f"输出文件应以 {'、'.join(self.suffixes)} 结尾，而不是“{Path(path).name}”", param, ctx)
        return path


XLSX_OUT = OutFile(".xlsx")
# An input path: click only passes it on. What is wrong with it (missing, a folder, unreadable, a FIFO)
# is said by the command in one sentence (files.input_file), not by click's usage message.
IN_PATH = click.Path(path_type=str, readable=False)


def _apply(f: F, *decorators: Callable[[F], F]) -> F:
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def template_option(f: F) -> F:
    return click.option("--template", metavar="模板",
                        help="指定表套模板（如 部门预算-辽宁、部门决算，或 .yaml 文件）；默认按工作簿内容自动识别。")(f)


def workbook_options(f: F) -> F:
    """--template, --year, --dept: for commands that read one workbook."""
    return _apply(
        f, template_option,
        click.option("--year", type=int, metavar="年度", help="工作簿中没有写明年度时使用。"),
        click.option("--dept", metavar="代码-名称",
                     help="部门：工作簿中没有写明部门时使用，如 \"145-大连市西岗区住房和城乡建设局\"。"),
    )


def narrative_options(checking: bool = False) -> Callable[[F], F]:
    """--prior / --budget / --profile: what the narrative compares with and the facts no table holds.
    `checking`: the narrative is being checked (check --narrative), not drafted."""
    verb = "核对" if checking else "写"

    def decorate(f: F) -> F:
        return _apply(
            f,
            click.option("--prior", "prior_file", type=IN_PATH, metavar="上年.xlsx",
                         help=f"上年同类工作簿：{verb}情况说明中的比上年增减额和增减率"
                              + ("。" if checking else "（不给则不写比较）。")),
            click.option("--budget", "budget_file", type=IN_PATH,
                         metavar="年初预算.xlsx", help=f"（决算）本部门同一年度的部门预算工作簿：{verb}情况说明中的“完成年初预算的 %”"
                                                          "（别的部门的工作簿不予使用，除非加 --force）。"),
            click.option("--profile", type=IN_PATH, metavar="补充信息.yaml",
                         help="情况说明用的补充信息（部门职责、三公团组人次、车辆等），“项目: 内容”格式；"
                              "也可写在工作簿的“补充信息”表中。"),
        )
    return decorate


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True,
                        help="输出格式：text 便于阅读；" + "、".join(choices[1:]) + " 便于程序处理（格式见 README）。")


def force_option(also: str = "") -> Callable[[F], F]:
    """--force: overwrite an existing output, and (`also`) whatever else this command refuses."""
    return click.option("--force", is_flag=True, help=(also + "；" if also else "") + "输出文件已存在时覆盖。")


def number(text: str, option: str) -> Decimal:
    """A non-negative decimal option value ("10", "10%")."""
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise click.BadParameter(f"“{text}” 不是数字", param_hint=option) from None
    if not value.is_finite() or value < 0:
        raise click.BadParameter(f"“{text}” 应为不小于 0 的数", param_hint=option)
    return value
