"""Opening a workbook file: tell what kind of file it is, and load every sheet as a grid.

python-calamine does the parsing (xlsx, xlsm, xls, ods) because it is fast; files are opened
read-only and never written. Anything that cannot be read becomes one InputError sentence.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

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

    @property
    def height(self) -> int:
        return len(self.grid)

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
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
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
    sniff(path)
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
    return sheets


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
