"""The summary workbook of `check FOLDER --summary`: one line per workbook checked (department,
year, kind, counts, the first problems), for a finance bureau's review of a whole folder."""
from __future__ import annotations

import os
from pathlib import Path

from ..batch import DistrictLine, Outcome
from ..text import cjk_width
from .output import atomic_output


def write_summary(outcomes: list[Outcome], target: Path, root: Path, force: bool = False,
                  district: list[DistrictLine] | None = None) -> None:
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
        if district:
            _district_sheet(wb, district, root, head, body, bad)
        wb.close()


def _district_sheet(wb, lines: list[DistrictLine], root: Path, head, body, bad) -> None:
    """全区对照: each figure of a 政府预算 against the sum of its departments' of the same year."""
    ws = wb.add_worksheet("全区对照")
    headers = ["年度", "政府预算工作簿", "项目", "政府预算（万元）", "各部门合计（万元）", "部门数", "差额（万元）", "结论"]
    ws.write_row(0, 0, headers, head)
    for r, line in enumerate(lines, start=1):
        status = {"一致": "一致", "超出": "各部门之和大于全区", "少于": "其余部门不在文件夹中，或数字不一致"}[line.status]
        values = [line.year or "", os.path.relpath(line.government, root), line.label, float(line.own),
                  float(line.departments), line.count, float(line.departments - line.own), status]
        for c, value in enumerate(values):
            ws.write(r, c, value, bad if line.status == "超出" and c == 7 else body)
    for c, width in enumerate([8, 36, 20, 16, 18, 8, 14, 36]):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
