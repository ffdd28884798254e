"""`check --annotate`: a copy of the user's own workbook with every involved cell marked and
commented, and a first sheet 校验结果 linking to them. The input is never written."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..files import printable
from ..money import fmt
from ..rules.findings import LEVEL_WORDS, Report
from ..text import cjk_width
from .output import atomic_output
from .properties import drop_application

_FILLS = {"error": "FF9C9C", "warning": "FFE066", "rounding": "FFE066"}
_TINTS = {"error": "FFE5E5", "warning": "FFF6CC", "rounding": "FFF6CC"}
_RANK = {"error": 0, "warning": 1, "rounding": 2, "note": 3}
MAX_COMMENTS = 2000
MAX_MERGE = 100_000   # cells of one merged range: openpyxl creates an object for every one of them


def annotate(report: Report, source: Path, target: Path, force: bool = False) -> Path:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"--annotate 只能标注 .xlsx/.xlsm 工作簿，{source.name} 是 {source.suffix} 文件："
                         f"请先在 Excel/WPS 中另存为 .xlsx。")
    _copyable(source)
    try:
        wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)
    except Exception:  # openpyxl may refuse what calamine read (its message is English: not shown)
        raise InputError(f"{printable(source.name)} 中有标注时无法复制的内容，未能写出标注后的工作簿："
                         f"请在 Excel/WPS 中另存为 .xlsx 再试。") from None
    if "校验结果" in wb.sheetnames:
        del wb["校验结果"]
    # The cell a finding blames (its first cell; for a finding no cell explains alone, its likeliest
    # one) gets the strong colour and the comment; the other cells involved get a pale tint, so a
    # wrong total or a misplaced column does not paint a whole column red.
    marks: dict[tuple[str, int, int], list] = {}
    tints: dict[tuple[str, int, int], str] = {}
    for f in report.findings:
        if f.level == "note" or not f.cells:
            continue
        primary = f.cells[:1]
        for cell in primary:
            marks.setdefault((cell.sheet, cell.row, cell.col), []).append(f)
        for cell in f.cells[len(primary):]:
            key = (cell.sheet, cell.row, cell.col)
            if tints.get(key) != "error":
                tints[key] = f.level
    names = set(wb.sheetnames)
    tint_fills = {level: PatternFill("solid", fgColor=colour) for level, colour in _TINTS.items()}
    mark_fills = {level: PatternFill("solid", fgColor=colour) for level, colour in _FILLS.items()}
    for (sheet, row, col), level in tints.items():
        if sheet in names and (sheet, row, col) not in marks:
            _anchor(wb[sheet], row, col).fill = tint_fills[level]
    # Comments for the worst cells first, up to MAX_COMMENTS (each is a drawing in the file: a
    # workbook with a hundred thousand findings would take minutes and gigabytes); the others are
    # coloured, and every finding is listed in 校验结果.
    ranked = sorted(marks.items(), key=lambda item: min(_RANK[f.level] for f in item[1]))
    for n, ((sheet, row, col), found) in enumerate(ranked):
        if sheet not in names:
            continue
        target_cell = _anchor(wb[sheet], row, col)
        worst = min(found, key=lambda f: _RANK[f.level]).level
        target_cell.fill = mark_fills[worst]
        if n < MAX_COMMENTS:
            text = "\n\n".join(f"[{LEVEL_WORDS[f.level]}·{f.rule}] {f.message}" for f in found[:5])
            target_cell.comment = Comment(printable(text[:2000]), "budget-xl", width=420, height=220)
    ws = wb.create_sheet("校验结果", 0)
    _text_row(ws, 1, [f"校验结果：{Path(report.file).name}", "", "", "", f"{report.errors} 处错误，"
                      f"{report.count('warning')} 处警告，{report.count('rounding')} 处尾数误差"])
    _text_row(ws, 2, ["级别", "规则", "表", "单元格", "说明", "应为", "实为", "差额"])
    header_font, link_font = Font(bold=True), Font(color="0563C1", underline="single")
    for c in ws[2]:
        c.font = header_font
    for row, f in enumerate(report.findings, start=3):   # (ws.max_row walks every cell: not per row)
        first = f.cells[0] if f.cells else None
        _text_row(ws, row, [LEVEL_WORDS[f.level], f.rule, "、".join(f.tables), str(first) if first else "",
                            f.message, fmt(f.expected), fmt(f.actual), fmt(f.difference)])
        if first is not None and first.sheet in wb.sheetnames:
            link = ws.cell(row, 4)
            quoted = first.sheet.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{first.a1}",
                                       display=printable(str(first)))
            link.font = link_font
        if f.level in _FILLS:
            ws.cell(row, 1).fill = mark_fills[f.level]
    for letter, width in zip("ABCDEFGH", (8, 10, 14, 14, 70, 16, 16, 14)):
        ws.column_dimensions[letter].width = width
    # A message longer than its column wraps and its row is made taller (one style per row, not per
    # cell: a style set costs openpyxl tens of microseconds, seconds per ten thousand findings).
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=3, min_col=5, max_col=5):
        lines = -(-cjk_width(str(row[0].value or "")) // 70)   # CJK characters count double in column widths
        if lines > 1:
            row[0].alignment = wrap
            ws.row_dimensions[row[0].row].height = 15 * lines
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    with atomic_output(target, source=source, force=force) as tmp:
        try:
            wb.save(tmp)
        except (ValueError, TypeError, KeyError, AttributeError):   # what openpyxl kept of the source but cannot write
            raise InputError(f"{printable(source.name)} 中有标注时无法复制的内容，未能写出标注后的工作簿："
                             f"请在 Excel/WPS 中另存为 .xlsx 再试。") from None
        drop_application(tmp)   # the copy keeps the clerk's own title and author, and names no program
    return target


def _copyable(source: Path) -> None:
    """What openpyxl would choke on, refused in one sentence before it loads the file (calamine has
    read it already: the limits of reader/guard.py hold)."""
    from ..reader.guard import inspect_xlsx

    for name, scan in inspect_xlsx(source).sheets.items():
        if scan.largest_merge > MAX_MERGE:
            raise InputError(f"{printable(source.name)} 的工作表“{printable(name)}”有覆盖 {scan.largest_merge:,} 个单元格的合并区域，"
                             f"无法写出标注后的工作簿：请取消这个合并后另存再试（不加 --annotate 可照常校验）。")


def _text_row(ws, row: int, values: list[str]) -> None:
    """One row of the 校验结果 sheet. Every text goes through here: written as a string cell
    (openpyxl would take “=1+1”, a sheet name or a label from the workbook, for a formula) and
    without the control characters XML cannot hold."""
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col)
        cell.value = printable(value)
        cell.data_type = "s"


def _anchor(ws, row: int, col: int):
    """The cell to mark for (row, col), 0-based: the top-left cell of the merged range it lies in,
    if any (the other cells of a merged range hold no value, comment or fill of their own)."""
    cell = ws.cell(row + 1, col + 1)
    if cell.__class__.__name__ == "MergedCell":
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= row + 1 <= rng.max_row and rng.min_col <= col + 1 <= rng.max_col:
                return ws.cell(rng.min_row, rng.min_col)
    return cell
