"""Opening a workbook file: tell what kind of file it is, and load every sheet as a grid.

python-calamine does the parsing (xlsx, xlsm, xls, ods) because it is fast; files are opened
read-only and never written. Anything that cannot be read becomes one InputError sentence.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..formats import DIFF_MARK

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SUPPORTED = ".xlsx、.xlsm、.xls 或 .ods"


@dataclass
class Sheet:
    name: str
    hidden: bool
    grid: list[list]                                   # rows of cell values, "" for empty
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formula cells saved without a value
    _origins: dict | None = field(default=None, repr=False)

    @property
    def height(self) -> int:
        return len(self.grid)

    def merged_text(self, row: int, col: int):
        """The text shown in a cell: the value of the merged range it lies in, if any. Only for
        labels; spreading a merged amount over its cells would count it several times."""
        if self._origins is None:
            self._origins = {}
            for r1, c1, r2, c2 in self.merges:
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        if (r, c) != (r1, c1):
                            self._origins[(r, c)] = (r1, c1)
        origin = self._origins.get((row, col))
        return self.value(*origin) if origin else self.value(row, col)

    def value(self, row: int, col: int):
        if 0 <= row < len(self.grid):
            line = self.grid[row]
            if 0 <= col < len(line):
                return line[col]
        return ""


def sniff(path: Path) -> str:
    """'xlsx' | 'ods' | 'xls'; raises InputError for anything else."""
    if not path.exists():
        raise InputError(f"找不到文件：{path}。请检查文件名和路径。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是工作簿文件：请给出一个 {SUPPORTED} 文件。")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"无法打开文件 {path}：{exc.strerror or exc}。请检查文件权限。") from None
    if head.startswith((ZIP_MAGIC, b"PK")):
        return _sniff_zip(path)
    if head == OLE2_MAGIC:
        if _contains(path, ENCRYPTION_STREAM):
            raise InputError(f"{path.name} 是加密（设有打开密码）的工作簿，无法读取：请在 Excel/WPS 中取消密码后另存为 .xlsx 再试。")
        return "xls"
    if not head:
        raise InputError(f"{path.name} 是空文件（0 字节），不是工作簿：请重新导出或复制该文件。")
    raise InputError(f"{path.name} 不是 Excel 工作簿（应为 {SUPPORTED}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "docProps/core.xml" in names and DIFF_MARK.encode() in zf.read("docProps/core.xml"):
                raise InputError(f"{path.name} 是 budget-xl diff 写出的对比工作簿，不是公开表工作簿。")
            if "mimetype" in names and b"spreadsheet" in zf.read("mimetype"):
                return "ods"
            if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "word/document.xml" in names:
                raise InputError(f"{path.name} 是 Word 文档，不是工作簿：请给出 {SUPPORTED} 文件。")
    except zipfile.BadZipFile:
        raise InputError(f"{path.name} 已损坏（压缩包结构不完整），无法读取：请从原处重新导出或复制该文件。") from None
    raise InputError(f"{path.name} 不是 Excel 工作簿（应为 {SUPPORTED}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


def _contains(path: Path, needle: bytes, limit: int = 1 << 20) -> bool:
    with path.open("rb") as fh:
        return needle in fh.read(limit)


def load_sheets(path: str | Path) -> list[Sheet]:
    """Every worksheet of the file as a grid of values (hidden sheets included, flagged)."""
    import python_calamine as pc

    path = Path(path)
    kind = sniff(path)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise InputError(f"{path.name} 是加密（设有打开密码）的工作簿，无法读取：请取消密码后另存为 .xlsx 再试。") from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise InputError(f"{path.name} 已损坏或格式不正确，无法读取（{_short(exc)}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from None
    sheets: list[Sheet] = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).split(".")[-1] != "WorkSheet":
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            grid = sheet.to_python(skip_empty_area=False)
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            hidden = str(meta.visible).split(".")[-1] != "Visible"
            sheets.append(Sheet(meta.name, hidden, grid, merges))
    except Exception as exc:
        raise InputError(f"{path.name} 已损坏或格式不正确，无法读取（{_short(exc)}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from None
    finally:
        wb.close()
    if kind == "xlsx":
        uncached = formulas_without_values(path)
        for loaded in sheets:
            loaded.uncached = uncached.get(loaded.name, set())
    return sheets


_CELL_REF = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(r"<v>[^<]")
_HAS_FORMULA = re.compile(rb"<f[ >/]")


def formulas_without_values(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Cells holding a formula but no cached result (a file written by a program and never
    opened in Excel). Every reader sees them as empty, so they are reported, not read as 0."""
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            targets = _sheet_targets(zf)
            for name, target in targets.items():
                data = zf.read(target)
                if not _HAS_FORMULA.search(data):
                    continue
                xml = data.decode("utf-8", "replace")
                cells: set[tuple[int, int]] = set()
                pos = _next_formula(xml, 0)
                while pos != -1:
                    start = xml.rfind("<c ", 0, pos)
                    end = xml.find("</c>", pos)
                    if start != -1 and end != -1:
                        segment = xml[start:end]
                        m = _CELL_REF.match(segment)
                        if m and not _VALUE.search(segment):
                            cells.add((int(m.group(2)) - 1, _col_index(m.group(1))))
                    pos = _next_formula(xml, end if end != -1 else pos + 2)
                if cells:
                    out[name] = cells
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return out
    return out


def _next_formula(xml: str, start: int) -> int:
    m = _FORMULA_TAG.search(xml, start)
    return m.start() if m else -1


_FORMULA_TAG = re.compile(r"<f[ >/]")


def _sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    by_id = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    targets = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = by_id.get(sheet.get(f"{{{ns['r']}}}id"), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[sheet.get("name", "")] = target  # the name attribute is required by the schema
    return targets


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
