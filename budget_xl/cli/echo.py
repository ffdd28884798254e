"""Printing what the commands found: the check report, a block of lines at a time (a large
workbook's report is never held whole), coloured on a terminal."""
from __future__ import annotations

import sys
from itertools import islice

import click

from ..errors import NotPublished
from ..rules.findings import Report


def echo_report(report: Report, show_notes: bool = True) -> None:
    from ..report.check import check_lines

    colour = sys.stdout.isatty()
    lines = check_lines(report, colour=colour, show_notes=show_notes)
    while block := list(islice(lines, 1000)):
        click.echo("\n".join(block), color=colour)


def echo_not_published(exc: NotPublished) -> None:
    """Why `fill` wrote nothing: the check report (it names the cell most likely wrong), then the
    sentence, then the disagreeing totals one by one."""
    echo_report(exc.report, show_notes=False)
    click.echo(str(exc).removesuffix("。") + ("：" if exc.details else "。"))
    for line in exc.details:
        click.echo(f"  {line}")
