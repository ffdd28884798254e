"""The 明细 sheet of the blank input workbook (`budget-xl init`): the clerk's real input, one budget
line a row, in the columns templates/line_items.yaml defines, each with a drop-down of what it may
hold (units, the year's 科目, the choices) and its hint as a comment on the header. `fill` builds every
table that has a `lines:` feed from it (reader/tabulate.py)."""
from __future__ import annotations

from ..templates import LineField, TemplateSet, line_items
from ..text import cjk_width
from .print_setup import landscape_sheet

ENTRY_LINES = 500        # open rows; more can be inserted (the sheet is protected without a password)
HEADER_ROW = 2           # 0-based: title, department / unit line, then the header
# Column widths (characters): names wrap in their cells, so the sheet prints one page wide at a size
# that can still be read; a field not listed here is as wide as its header needs.
_WIDTHS = {"unit": 24, "function": 28, "econ": 20, "amount": 14, "project": 22, "service": 14}


def write_lines_sheet(wb, ts: TemplateSet, year: int, department: str, ranges: dict[str, str]) -> None:
    """The 明细 sheet. `ranges` are the drop-down lists of the hidden 科目表 sheet (units, 科目)."""
    items = line_items()
    ws = wb.add_worksheet(items.sheet)
    font = {"font_name": "宋体", "font_charset": 134, "font_size": 10}
    title = wb.add_format({**font, "font_size": 14, "bold": True})
    plain = wb.add_format(font)
    head = wb.add_format({**font, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "bg_color": "#F2F2F2"})
    text = wb.add_format({**font, "border": 1, "locked": False, "bg_color": "#FFF9DB", "text_wrap": True,
                          "valign": "top"})
    amount = wb.add_format({**font, "border": 1, "locked": False, "bg_color": "#FFF9DB", "num_format": "#,##0.00"})
    last = len(items.fields) - 1
    for r in (0, 1):   # the title lines keep no column's entry look (yellow, bordered)
        for c in range(last + 1):
            ws.write_blank(r, c, None, plain)
    ws.write_string(0, 0, f"{year}年{ts.kind}明细（模板：{ts.id}）", title)
    ws.write_string(1, 0, f"预算部门：{department}", plain)
    ws.write_string(1, last, "金额单位：元", plain)
    first, end = HEADER_ROW + 1, HEADER_ROW + ENTRY_LINES
    for c, f in enumerate(items.fields):
        ws.write_string(HEADER_ROW, c, f"{f.header}{'*' if f.required else ''}", head)
        if f.hint:
            ws.write_comment(HEADER_ROW, c, f.hint, {"x_scale": 2, "y_scale": 1.2})
        width = _WIDTHS.get(f.id, _WIDTHS.get(f.kind, max(cjk_width(f.header) + 3, 8)))
        ws.set_column(c, c, width, amount if f.kind == "amount" else text)
        validation = _validation(f, ranges)
        if validation:
            ws.data_validation(first, c, end, c, validation)
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(first, 0)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True,
                    "sort": True, "autofilter": True})
    ws.autofilter(HEADER_ROW, 0, end, last)
    landscape_sheet(ws, HEADER_ROW, HEADER_ROW)


def _validation(f: LineField, ranges: dict[str, str]) -> dict | None:
    """A drop-down for the field: a list to pick from (a warning, not a refusal, for a 科目 not in
    the bundled lists: they are incomplete), or a number for the amount."""
    if f.kind == "amount":
        return {"validate": "decimal", "criteria": "between", "minimum": -1e12, "maximum": 1e12,
                "error_title": "金额应为数字", "error_message": "金额只填数字（元），不要写“元”“万元”等文字。"}
    source: str | list[str] | None = None
    if f.kind == "choice":
        source = [label for _, label in f.choices]
    elif f.kind == "unit":
        source = ranges["units"]
    elif f.kind in ("function", "econ"):
        source = ranges[f"{f.kind}_label"]
    if source is None:
        return None
    return {"validate": "list", "source": source, "error_type": "warning" if f.kind != "choice" else "stop",
            "error_title": f"“{f.header}”不在下拉列表中",
            "error_message": "请从下拉列表中选择。" if f.kind == "choice" else
            "所填内容不在随附的列表中（科目表不完整）；确认无误可继续。"}
