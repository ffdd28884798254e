"""The summary workbook of `check FOLDER --summary`: one line per workbook checked (department,
year, kind, counts, the first problems), for a finance bureau's review of a whole folder."""
from __future__ import annotations

import os
from pathlib import Path

from ..batch import Outcome
from ..text import cjk_width
from .output import atomic_output


def write_summary(outcomes: list[Outcome], target: Path, root: Path, force: bool = False) -> None:
    import xlsxwriter

    headers = ["工作簿", "部门", "年度", "类型", "错误", "警告", "尾数误差", "主要问题"]
    rows: list[list[str | int]] = []
    for o in outcomes:
        name = os.path.relpath(o.path, root)
        if o.problem:
            rows.append([name, "", "", "", "", "", "", "无法读取：" + o.problem])
        else:
            rows.append([name, o.department or "", o.year or "", o.kind or "", o.errors, o.warnings, o.rounding,
                         "\n".join(o.first)])
    with atomic_output(target, force=force) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("汇总")
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "font_name": "宋体"})
        body = wb.add_format({"border": 1, "valign": "top", "font_name": "宋体", "text_wrap": True})
        bad = wb.add_format({"border": 1, "valign": "top", "font_name": "宋体", "bg_color": "#FFC7CE"})
        ws.write_row(0, 0, headers, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                fmt = bad if c == 4 and isinstance(value, int) and value > 0 else body
                if isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write(r, c, value, fmt)
        widths = [min(60, max([cjk_width(headers[c])] + [cjk_width(str(row[c]).split("\n")[0]) for row in rows]) + 2)
                  for c in range(len(headers) - 1)] + [90]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), len(headers) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_footer("&C第 &P 页，共 &N 页")
        wb.close()
