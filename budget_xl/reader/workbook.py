"""Opening a workbook file: tell what kind of file it is, and load every sheet as a grid.

python-calamine does the parsing (xlsx, xlsm, xls, ods) because it is fast; files are opened
read-only and never written. Anything that cannot be read becomes one InputError sentence.
"""
from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..files import CONTROL, input_file, is_dir, os_reason, printable
from ..formats import DIFF_MARK
from .guard import Limits, damaged, inspect_xlsx, too_large
from .probe import probe

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SUPPORTED = ".xlsx、.xlsm、.xls 或 .ods"
SPREAD_LIMIT = 10_000   # cells of a merged range looked up one by one (Sheet.merged_text)


@dataclass
class Sheet:
    name: str
    hidden: bool
    grid: list[list]                                   # rows of cell values, "" for empty
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formula cells saved without a value
    cleaned: list[tuple[int, int]] = field(default_factory=list)  # cells control characters were removed from
    renamed_from: str | None = None                              # the name as written, when it held any
    _origins: dict | None = field(default=None, repr=False)
    _large: list = field(default_factory=list, repr=False)

    @property
    def height(self) -> int:
        return len(self.grid)

    def merged_text(self, row: int, col: int):
        """The text shown in a cell: the value of the merged range it lies in, if any. Only for
        labels; spreading a merged amount over its cells would count it several times. Small
        ranges (all that real tables have) are looked up cell by cell; a huge one (A1:XFD1048576
        in a hostile file) is tested as a rectangle, never spread over its cells."""
        if self._origins is None:
            self._origins, self._large = {}, []
            for r1, c1, r2, c2 in self.merges:
                if (r2 - r1 + 1) * (c2 - c1 + 1) > SPREAD_LIMIT:
                    self._large.append((r1, c1, r2, c2))
                    continue
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        if (r, c) != (r1, c1):
                            self._origins[(r, c)] = (r1, c1)
        origin = self._origins.get((row, col))
        if origin is None and self._large:
            origin = next(((r1, c1) for r1, c1, r2, c2 in self._large
                           if r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1)), None)
        return self.value(*origin) if origin else self.value(row, col)

    def value(self, row: int, col: int):
        if 0 <= row < len(self.grid):
            line = self.grid[row]
            if 0 <= col < len(line):
                return line[col]
        return ""


def sniff(path: Path) -> str:
    """'xlsx' | 'ods' | 'xls'; raises InputError for anything else (a FIFO, a folder or a file that
    cannot be read is refused before it is opened: files.input_file)."""
    if is_dir(path):
        raise InputError(f"{printable(str(path))} 是文件夹，不是工作簿文件：请给出一个 {SUPPORTED} 文件。")
    input_file(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"无法读取文件 {printable(str(path))}：{os_reason(exc)}。") from None
    if head.startswith((ZIP_MAGIC, b"PK")):
        return _sniff_zip(path)
    if head == OLE2_MAGIC:
        if _contains(path, ENCRYPTION_STREAM):
            raise InputError(f"{_name(path)} 是加密（设有打开密码）的工作簿，无法读取：请在 Excel/WPS 中取消密码后另存为 .xlsx 再试。")
        return "xls"
    if not head:
        raise InputError(f"{_name(path)} 是空文件（0 字节），不是工作簿：请重新导出或复制该文件。")
    raise InputError(f"{_name(path)} 不是 Excel 工作簿（应为 {SUPPORTED}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


def _name(path: Path) -> str:
    return printable(path.name)


SNIFF_BYTES = 1 << 16   # of a member read to tell what the zip is: never a whole member (it may be a bomb)


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "docProps/core.xml" in names and DIFF_MARK.encode() in _head(zf, "docProps/core.xml"):
                raise InputError(f"{_name(path)} 是 budget-xl diff 写出的对比工作簿，不是公开表工作簿。")
            if "mimetype" in names and b"spreadsheet" in _head(zf, "mimetype"):
                return "ods"
            if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "word/document.xml" in names:
                raise InputError(f"{_name(path)} 是 Word 文档，不是工作簿：请给出 {SUPPORTED} 文件。")
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, KeyError):
        # RuntimeError: a member flagged as encrypted; NotImplementedError: an unknown compression
        # method; zlib.error: a corrupt deflate stream — all of them a damaged file to the user.
        raise InputError(f"{_name(path)} 已损坏（压缩包结构不完整），无法读取：请从原处重新导出或复制该文件。") from None
    raise InputError(f"{_name(path)} 不是 Excel 工作簿（应为 {SUPPORTED}）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


def _head(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as fh:
        return fh.read(SNIFF_BYTES)


def _contains(path: Path, needle: bytes, limit: int = 1 << 20) -> bool:
    with path.open("rb") as fh:
        return needle in fh.read(limit)


def load_sheets(path: str | Path, limits: Limits | None = None) -> list[Sheet]:
    """Every worksheet of the file as a grid of values (hidden sheets included, flagged).

    Before python-calamine sees the file it is checked against the limits (guard.py for .xlsx, a
    forked probe for .xls/.ods): a workbook beyond them is refused, never half-read. Control
    characters are removed from the text read (no output format can hold them); the cells they
    were removed from are listed in Sheet.cleaned."""
    import python_calamine as pc

    path = Path(path)
    kind = sniff(path)
    limits = limits or Limits.from_env()
    inspection = inspect_xlsx(path, limits) if kind == "xlsx" else None
    if inspection is None:
        probe(path, limits)
    with quiet_stderr():
        return _load(pc, path, limits, inspection)


def _load(pc, path: Path, limits: Limits, inspection) -> list[Sheet]:
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise InputError(f"{_name(path)} 是加密（设有打开密码）的工作簿，无法读取：请取消密码后另存为 .xlsx 再试。") from None
    except BaseException as exc:  # calamine raises several error types for broken files (a panic is a BaseException)
        _reraise_interrupt(exc, path)
        raise damaged(path) from None
    sheets: list[Sheet] = []
    budget = limits.max_cells
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).split(".")[-1] != "WorkSheet":
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            end = sheet.end
            budget -= (end[0] + 1) * (end[1] + 1) if end else 0
            if budget < 0:  # what the guard bounds, checked again before Python builds the grid
                raise too_large(path, f"的工作表“{printable(meta.name)}”数据区域过大", "BUDGET_XL_MAX_CELLS")
            grid = sheet.to_python(skip_empty_area=False)
            merges = _within(grid, sheet.merged_cell_ranges or [])
            hidden = str(meta.visible).split(".")[-1] != "Visible"
            loaded = Sheet(meta.name, hidden, grid, merges)
            scan = inspection.sheets.get(meta.name) if inspection else None
            if scan is not None:
                loaded.uncached = scan.uncached
            if inspection is None or inspection.controls or (scan is not None and scan.controls):
                _remove_controls(loaded)
            sheets.append(loaded)
    except InputError:
        raise
    except BaseException as exc:
        _reraise_interrupt(exc, path)
        raise damaged(path) from None
    finally:
        wb.close()
    return sheets


def _within(grid: list[list], ranges: list) -> list[tuple[int, int, int, int]]:
    """Merged ranges cut to the grid (a range written beyond the last cell, backwards, or over the
    whole sheet covers nothing more than the cells the grid has)."""
    height, width = len(grid), len(grid[0]) if grid else 0
    out = []
    for (a_r, a_c), (b_r, b_c) in ranges:
        r1, r2, c1, c2 = min(a_r, b_r), max(a_r, b_r), min(a_c, b_c), max(a_c, b_c)
        if r1 < height and c1 < width and r1 >= 0 and c1 >= 0:
            out.append((r1, c1, min(r2, height - 1), min(c2, width - 1)))
    return out


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """While calamine parses: what a native library prints as it fails (a Rust panic message) is
    English and not for the user — the InputError that follows says what is wrong."""
    import sys

    try:
        sys.stderr.flush()
        saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        yield
        return
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _reraise_interrupt(exc: BaseException, path: Path) -> None:
    """Ctrl-C and exits go on; running out of memory is the workbook's size, said in one sentence."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    if isinstance(exc, MemoryError):
        raise InputError(f"内存不足，无法读取 {_name(path)}：它大得异常，请删除多余的行列后另存再试。") from None


def _remove_controls(sheet: Sheet) -> None:
    """Control characters out of the sheet's name and text cells (they are noted where removed)."""
    if CONTROL.search(sheet.name):
        sheet.renamed_from = sheet.name
        sheet.name = CONTROL.sub("", sheet.name) or "（无名）"
    search = CONTROL.search
    for r, line in enumerate(sheet.grid):
        for c, value in enumerate(line):
            if value.__class__ is str and search(value):
                line[c] = CONTROL.sub("", value)
                sheet.cleaned.append((r, c))
