"""The `budget-xl` command group and its entry point: how every command's errors reach the user.

Every error meant for a user is a BudgetXlError whose message is printed as is (exit 2, or the
error's own code); any other exception is reported in one sentence too, never as a traceback.
The translation lives in the group, so a command run in-process (tests, CliRunner) behaves exactly
as the installed `budget-xl`.
"""
from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import BudgetXlError, NotPublished
from .click_zh import install as install_chinese_click

install_chinese_click()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class BudgetXlGroup(click.Group):
    """A click group whose commands report errors in one Chinese sentence."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except NotPublished as exc:
            from .echo import echo_not_published

            echo_not_published(exc)
            ctx.exit(exc.exit_code)
        except BudgetXlError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            click.echo("已中断。", err=True)
            ctx.exit(getattr(exc, "exit_code", 130))
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # a bug of ours: still one sentence, never a traceback
            click.echo(f"内部错误：{type(exc).__name__}: {exc}。请把这条信息和所用文件报告给 budget-xl 维护者。", err=True)
            ctx.exit(3)


@click.group(cls=BudgetXlGroup, context_settings=CONTEXT)
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


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP): unwinds like Ctrl-C, so that every temporary output is removed on the way
    out (the default action would kill the process and leave them behind)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def main() -> None:
    """The installed `budget-xl` command."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    # A file name that is not valid UTF-8 reaches us with surrogates: printed escaped, never a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        code = cli.main(standalone_mode=False)
    except SystemExit as exc:  # a command's own exit status (check: 0 / 1)
        sys.exit(exc.code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        dashed = _dash_path(sys.argv[1:]) if isinstance(exc, click.exceptions.UsageError) else None
        if dashed is not None:
            click.echo(f"错误：“{dashed}”以 - 开头，被当成了选项：文件名以 - 开头时，请写成 ./{dashed}，"
                       f"或在它前面加 --（如 budget-xl check -- {dashed}）。", err=True)
        else:
            exc.show()
        sys.exit(2)
    except KeyboardInterrupt as exc:
        click.echo("已中断。", err=True)
        sys.exit(getattr(exc, "exit_code", 130))
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)


def _dash_path(args: list[str]) -> str | None:
    """An argument that names a file but starts with '-' (click took it for an option)."""
    import os
    from pathlib import Path

    for arg in args:
        if arg == "--":
            return None
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 2 and (
                os.path.lexists(arg) or Path(arg).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".txt")):
            return arg
    return None
