"""`budget-xl init`: the blank input workbook a clerk fills in.

Every table the clerk enters, in the official layout (the same heading and header as the
published tables), with only the entry cells open: names/codes of the detail rows (a drop-down of
the year's codes) and the amounts that are not sums. Totals, subtotals, parent rows and the derived
tables are left to `fill`. A 说明 sheet says what goes where.
"""
from __future__ import annotations

from pathlib import Path

from ..codes import catalogue
from ..layout import layout_columns
from ..templates import PanelSpec, TableSpec, TemplateSet
from ..text import cjk_width
from .blank_lines import write_lines_sheet
from .output import atomic_output
from .print_setup import landscape_sheet
from .properties import set_xlsx_properties
from .publish import Styles, page_setup, write_heading

ENTRY_ROWS = {"classified": 30, "items": 40}  # blank detail rows per unit (or per table)
LISTS = "科目表"


def write_blank_workbook(ts: TemplateSet, year: int, department: str, units: list[str], target: Path,
                         force: bool = False) -> Path:
    import xlsxwriter

    with atomic_output(target, force=force) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        set_xlsx_properties(wb, target.stem, department)
        st = Styles(wb)
        entry = {
            "amount": wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 10, "border": 1, "num_format": "#,##0.00",
                                     "locked": False, "bg_color": "#FFF9DB"}),
            "text": wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 10, "border": 1, "locked": False,
                                   "bg_color": "#FFF9DB"}),
        }
        lists, ranges = _code_lists(ts, year, department, units)
        _instructions(wb, ts, year, department)
        if any(spec.lines for spec in ts.tables.values()):
            write_lines_sheet(wb, ts, year, department, ranges)
        _facts_sheet(wb, ts)
        _write_code_lists(wb, lists)
        for spec in ts.tables.values():
            if not spec.derived:
                _blank_table(wb, st, entry, ranges, spec, year, department, units, ts.unit, ts.department_label)
        wb.close()
    return target


def _instructions(wb, ts: TemplateSet, year: int, department: str) -> None:
    ws = wb.add_worksheet("说明")
    bold = wb.add_format({"bold": True, "font_name": "宋体", "font_charset": 134, "font_size": 12})
    text = wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 11, "text_wrap": True, "valign": "top"})
    entered = [s for s in ts.tables.values() if not s.derived]
    derived = [s for s in ts.tables.values() if s.derived]
    fed = [s.code for s in ts.tables.values() if s.lines]
    by_lines = [
        ("两种填法，任选其一", bold),
        ("一、只填“明细”表（推荐）：每笔预算一行——单位、功能分类科目（项）、部门经济分类科目（款）、资金性质、"
         "支出类型（人员经费、公用经费或项目支出）、项目名称、金额，以及“三公”经费、政府采购、政府购买服务的标记；"
         "预算系统导出的明细可以直接粘贴进来（列的次序不限，表头认得常见的写法）。budget-xl fill 由明细算出"
         f"{'、'.join(fed)}，再算出其余各表；这时下面各表的工作表不用填写。", text),
        ("二、逐表填写：在下面各表的工作表里填写（“明细”表留空）。", text),
    ] if fed else []
    lines = [
        (f"{year}年 {department} {ts.kind}填报表（模板：{ts.id}）", bold),
        *by_lines,
        ("怎么填", bold),
        ("1. 只在浅黄色的格子里填写，其他格子已锁定（合计、小计、上级科目都由 budget-xl fill 自动算出）。", text),
        ("2. 科目：在下拉列表中选“编码-名称”（如 2080505-机关事业单位基本养老保险缴费支出），"
         "或直接输入编码；只填最明细一级（项；经济分类填款），类、款和合计不用填。", text),
        ("3. 金额单位见每张表右上角；填数字，不要填“万元”等文字；没有的留空。", text),
        ("4. 行不够时可以在黄色行之间插入行（撤销工作表保护即可，无密码）。", text),
        ("5. 填完后运行：budget-xl fill 本文件.xlsx -o 发布/ —— 先补齐、校验，再生成可公开的全套表格。", text),
        ("要填写的表", bold),
        *[(f"{s.code} {s.title}", text) for s in entered],
        ("由 budget-xl fill 计算、不用填写的表", bold),
        *[(f"{s.code} {s.title}（由其他表算出）", text) for s in derived],
        ("随附的科目表来自公开文件，不完整；可用 budget-xl codes import 导入当年的官方科目表后再生成本表。", text),
    ]
    width = 78   # LibreOffice prints a wider single column cut at the page's edge, whatever the scale
    for r, (line, fmt) in enumerate(lines):
        ws.write_string(r, 0, line, fmt)
        ws.set_row(r, wrapped_height(line, width, 11))
    ws.set_column(0, 0, width)
    landscape_sheet(ws, None, None, portrait=True)


def wrapped_height(text: str, width: float, size: float) -> float:
    """Row height (pt) for a text wrapped in a column `width` characters wide: printers and
    LibreOffice keep a row's stored height, so a long line needs its height written."""
    lines = max(1, -(-cjk_width(text) * size // (width * 11)))
    return lines * size * 1.45 + 4


def _facts_sheet(wb, ts: TemplateSet) -> None:
    """补充信息: what the narrative needs that no table holds, one open cell per item."""
    from ..errors import TemplateError
    from ..narrative.facts import SHEET
    from ..narrative.spec import narrative_spec

    try:
        facts = narrative_spec(ts).facts
    except TemplateError:
        return   # a table set without a narrative template: nothing to ask for
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format({"bold": True, "font_name": "宋体", "font_charset": 134, "font_size": 11, "border": 1, "bg_color": "#F2F2F2"})
    key = wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 11, "border": 1, "valign": "top"})
    hint = wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 10, "border": 1, "valign": "top", "text_wrap": True,
                          "font_color": "#595959"})
    value = wb.add_format({"font_name": "宋体", "font_charset": 134, "font_size": 11, "border": 1, "valign": "top", "text_wrap": True,
                           "locked": False, "bg_color": "#FFF9DB"})
    for c, title in enumerate(("项目", "内容（情况说明中使用；不填则留作待填）", "说明")):
        ws.write_string(0, c, title, head)
    for r, (name, what) in enumerate(facts.items(), start=1):
        ws.write_string(r, 0, name, key)
        ws.write_blank(r, 1, None, value)
        ws.write_string(r, 2, what, hint)
        ws.set_row(r, max(wrapped_height(what, 40, 10), 2 * 11 * 1.45 + 4))   # room for a line or two of text
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 40)
    ws.freeze_panes(1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    landscape_sheet(ws, 0, 0)


def _code_lists(ts: TemplateSet, year: int, department: str, units: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    """The drop-down values (columns of the hidden 科目表 sheet) and list name -> range reference."""
    columns: list[list[str]] = []
    ranges = {}
    for i, cls in enumerate(("function", "econ", "econ_gov")):
        cat = catalogue(cls, year)
        codes = sorted(cat.names, key=lambda c: (c[:3], c))
        labelled = [f"{c}-{cat.names[c]}" for c in codes]
        columns += [labelled, codes]
        ranges[f"{cls}_label"] = f"={LISTS}!${chr(65 + 2 * i)}$1:${chr(65 + 2 * i)}${len(labelled)}"
        ranges[f"{cls}_code"] = f"={LISTS}!${chr(66 + 2 * i)}$1:${chr(66 + 2 * i)}${len(codes)}"
    unit_rows = units or [department]
    columns.append(unit_rows)
    letter = chr(65 + len(columns) - 1)
    ranges["units"] = f"={LISTS}!${letter}$1:${letter}${len(unit_rows)}"
    return columns, ranges


def _write_code_lists(wb, columns: list[list[str]]) -> None:
    ws = wb.add_worksheet(LISTS)
    ws.hide()
    for c, values in enumerate(columns):
        ws.write_column(0, c, values)


def _blank_table(wb, st: Styles, entry, ranges, spec: TableSpec, year: int, department: str, units: list[str],
                 unit_word: str, department_label: str) -> None:
    ws = wb.add_worksheet(spec.code[:31])
    first = write_heading(ws, st, spec, department, year, spec.unit or unit_word, department_label)
    cols = layout_columns(spec)
    widths = [max((cjk_width(p) for p in c.header), default=4) + 2 for c in cols]
    r = first
    kind = spec.rows.kind

    def locked_row(label: str) -> None:
        nonlocal r
        for panel_cols in _panel_offsets(spec):
            offset, panel = panel_cols
            for j, col in enumerate(panel.columns):
                c = offset + j
                if col.role == "label":
                    ws.write_string(r, c, label, st.bold)
                    widths[c] = max(widths[c], cjk_width(label) + 2)
                else:
                    ws.write_blank(r, c, None, st.amount_bold if col.is_amount else st.text)
        r += 1

    def entry_row(amounts_open: bool = True, list_name: str | None = None) -> None:
        nonlocal r
        for offset, panel in _panel_offsets(spec):
            for j, col in enumerate(panel.columns):
                c = offset + j
                if col.is_amount:
                    ws.write_blank(r, c, None, entry["amount"] if amounts_open and not col.sum_of else st.amount)
                elif col.role in ("label", "code", "code_class", "unit", "text", "seq"):
                    ws.write_blank(r, c, None, entry["text"])
                    source = None
                    if col.role == "unit":
                        source = ranges["units"]
                    elif col.role in ("code", "code_class") and list_name:
                        source = ranges[f"{list_name}_code"]
                    elif col.role == "label" and list_name and not any(p.role.startswith("code") for p in panel.columns):
                        source = ranges[f"{list_name}_label"]
                    if source:
                        ws.data_validation(r, c, r, c, {
                            "validate": "list", "source": source, "error_type": "warning",
                            "error_title": "编码不在科目表中",
                            "error_message": "所填编码不在随附的科目表中（该表不完整）；确认无误可继续。"})
                else:
                    ws.write_blank(r, c, None, st.text)
        r += 1

    codes = spec.rows.classification
    if kind == "single":
        entry_row()
    elif kind == "items":
        locked_row("合计")
        for _ in range(ENTRY_ROWS["items"]):
            entry_row()
    elif kind in ("units", "classified"):
        if kind == "units" or spec.rows.units:
            locked_row("合计")
            locked_row(department)
            for unit in units or [department]:
                if kind == "units":
                    for offset, panel in _panel_offsets(spec):
                        for j, col in enumerate(panel.columns):
                            c = offset + j
                            if col.role == "label":
                                ws.write_string(r, c, unit, st.text)
                                widths[c] = max(widths[c], cjk_width(unit) + 2)
                            elif col.is_amount:
                                ws.write_blank(r, c, None, entry["amount"] if not col.sum_of else st.amount)
                    r += 1
                else:
                    locked_row(unit)
                    for _ in range(ENTRY_ROWS["classified"]):
                        entry_row(list_name=codes)
        else:
            if not spec.rows.fixed:
                locked_row("合计")
            for _ in range(ENTRY_ROWS["classified"] * 2):
                entry_row(list_name=codes)
    for c, w in enumerate(widths):
        # Room for the longest "编码-名称" a clerk will pick, and for amounts of 100 million.
        least = 40 if cols[c].role == "label" else 14 if cols[c].is_amount else 10
        ws.set_column(c, c, min(max(w, least), 60))
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True})
    page_setup(ws, first, r - 1, len(cols) - 1)


def _panel_offsets(spec: TableSpec) -> list[tuple[int, PanelSpec]]:
    out, offset = [], 0
    for panel in spec.panels:
        out.append((offset, panel))
        offset += len(panel.columns)
    return out
