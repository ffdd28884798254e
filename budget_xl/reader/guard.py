"""Looking inside an .xlsx before python-calamine does: calamine builds every sheet as a full
rectangle from A1 to the last cell holding a value, so one value at XFD1048576 asks for 550 GB and
aborts the process, and a 1 MB zip can inflate to a gigabyte. Here every XML part is streamed once,
in blocks, never read whole, and the workbook is refused (InputError, one sentence) when a part,
the used range of the sheets or the number of values exceeds the limits, or when a part is damaged,
encrypted, compressed in a way no reader supports, or declares a DTD (which OOXML forbids: entity
expansion is how XML bombs work).

The same pass collects what the reader needs from the raw XML anyway: the cells holding a formula
without a cached value (read as empty by every reader), and which parts contain control characters
(to be removed from the text read, with a note).

Limits come from the environment (BUDGET_XL_MAX_CELLS, BUDGET_XL_MAX_VALUES, BUDGET_XL_MAX_PART_MB,
BUDGET_XL_MAX_SHEETS) so that a bureau with unusually large files can raise them.
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

BLOCK = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_cells: int = 5_000_000      # rows × columns of the used ranges of all sheets (A1 to the last value)
    max_values: int = 2_000_000     # cells holding a value, all sheets together
    max_part_mb: int = 256          # one XML part, inflated
    max_sheets: int = 1000

    @classmethod
    def from_env(cls) -> Limits:
        def value(name: str, default: int) -> int:
            text = os.environ.get(name, "").strip().replace("_", "")
            return int(text) if text.isdigit() and int(text) > 0 else default

        d = cls()
        return cls(value("BUDGET_XL_MAX_CELLS", d.max_cells), value("BUDGET_XL_MAX_VALUES", d.max_values),
                   value("BUDGET_XL_MAX_PART_MB", d.max_part_mb), value("BUDGET_XL_MAX_SHEETS", d.max_sheets))


@dataclass
class SheetScan:
    rows: int = 0                   # used range: last row and column holding a value (1-based)
    cols: int = 0
    values: int = 0
    uncached: set[tuple[int, int]] = field(default_factory=set)   # (row, col) 0-based
    controls: bool = False
    largest_merge: int = 0          # cells of its largest merged range (openpyxl spreads a range over its cells)


@dataclass
class Inspection:
    sheets: dict[str, SheetScan]    # by sheet name
    controls: bool                  # the shared strings or the sheet names hold control characters


def damaged(path: Path, why: str = "已损坏或格式不正确") -> InputError:
    return InputError(f"{path.name} {why}，无法读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试，或从原处重新导出。")


def too_large(path: Path, what: str, env: str) -> InputError:
    return InputError(f"{path.name} {what}，超出 budget-xl 可以安全读取的范围，已拒绝读取：请删除多余的行列或远处的单元格后"
                      f"另存再试（确需读取更大的文件，可调高环境变量 {env}）。")


# A control character in the text, raw (not well-formed XML, but some writers do it) or written the
# OOXML way (_x0001_), C0 and C1 alike, and U+FFFE/U+FFFF; tested cheaply first (most blocks hold none).
_RAW_C0 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RAW_C1 = re.compile(rb"\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")
_ESCAPED = re.compile(rb"_x(?:00[01][0-9a-fA-F]|007[fF]|008[0-9a-fA-F]|009[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])_")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_CELL_ROW = re.compile(rb'<c r="[A-Z]+(\d+)"')
_WIDE = re.compile(rb'<c r="([A-Z]{2,})\d')
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)\b([^>]*?)(/?)>")
_ATTR_R = re.compile(rb'\br="([A-Z]*)(\d*)"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[ >/]")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>[^<]")
_PREFIXED_ROOT = re.compile(rb"<[\w.-]+:worksheet\b")
_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


# Every byte but the C0 controls of _RAW_C0: what deleting them leaves is the controls (a table
# lookup per byte, several times faster than the regex over a sheet of many megabytes).
_NOT_C0 = bytes(b for b in range(256) if not _RAW_C0.match(bytes([b])))


def has_controls(data: bytes) -> bool:
    return bool(data.translate(None, _NOT_C0) or (b"_x" in data and _ESCAPED.search(data))
                or ((b"\xc2" in data or b"\xef\xbf" in data) and _RAW_C1.search(data)))




def inspect_xlsx(path: Path, limits: Limits | None = None) -> Inspection:
    """Every XML part streamed once; raises InputError for what calamine must not be given."""
    limits = limits or Limits.from_env()
    part_limit = limits.max_part_mb << 20
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
            for info in infos.values():
                if info.flag_bits & 0x1:
                    raise InputError(f"{path.name} 中的部件设有加密标记，无法读取：若工作簿设有打开密码，请取消密码后另存为 .xlsx 再试。")
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise damaged(path, "使用了工作簿不会使用的压缩方式（可能已损坏）")
                if _is_xml(info.filename) and info.file_size > part_limit:
                    raise too_large(path, f"的部件 {info.filename} 解压后有 {info.file_size >> 20} MB", "BUDGET_XL_MAX_PART_MB")
            if "xl/workbook.bin" in infos:
                raise InputError(f"{path.name} 是二进制格式（.xlsb）的工作簿，budget-xl 不能读取：请在 Excel/WPS 中另存为 .xlsx 再试。")
            sheets = _sheet_members(zf, infos, path)
            if len(sheets) > limits.max_sheets:
                raise too_large(path, f"有 {len(sheets)} 张工作表", "BUDGET_XL_MAX_SHEETS")
            budget = _Budget(limits, path)
            scans = {name: _scan_sheet(zf, infos[member], name, budget) for name, member in sheets.items() if member in infos}
            controls = False
            for name, info in infos.items():
                if not _is_xml(name) or info.filename in sheets.values():
                    continue
                whole = name.endswith(("sharedStrings.xml", "workbook.xml"))
                controls |= _scan_part(zf, info, whole, path) and whole
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, KeyError):
        raise damaged(path) from None
    return Inspection(scans, controls)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _sheet_members(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], path: Path) -> dict[str, str]:
    """Sheet name → its part, from workbook.xml and its relationships (both small; read bounded)."""
    rels = _small(zf, infos.get("xl/_rels/workbook.xml.rels"), path)
    book = _small(zf, infos.get("xl/workbook.xml"), path)
    targets = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(rb'\bId="([^"]*)"', m.group(0)), re.search(rb'\bTarget="([^"]*)"', m.group(0))
        if rid and target:
            t = target.group(1).decode("utf-8", "replace")
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    out = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet\b[^>]*>", book):
        name, rid = re.search(rb'\bname="([^"]*)"', m.group(0)), re.search(rb'\b(?:[\w.-]+:)?id="([^"]*)"', m.group(0))
        if name and rid and rid.group(1) in targets:
            out[_unescape(name.group(1))] = targets[rid.group(1)]
    return out


def _small(zf: zipfile.ZipFile, info: zipfile.ZipInfo | None, path: Path) -> bytes:
    if info is None:
        return b""
    with zf.open(info) as fh:
        data = fh.read(64 << 20)
    if _DTD.search(data):
        raise _dtd(path, info.filename)
    return data


def _unescape(raw: bytes) -> str:
    # as xml.sax.saxutils.unescape with &quot; and &apos; (that module imports urllib.request)
    text = raw.decode("utf-8", "replace")
    if "&" in text:
        text = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
                .replace("&amp;", "&"))
    # OOXML writes characters XML cannot hold as _xHHHH_ (calamine decodes them the same way)
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _dtd(path: Path, part: str) -> InputError:
    return InputError(f"{path.name} 的部件 {part} 含有 DTD 声明（Office 文件不允许，常见于恶意构造的文件），已拒绝读取。")


def _blocks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, whole: bool = True):
    with zf.open(info) as fh:
        while block := fh.read(BLOCK):
            yield block
            if not whole:
                return


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, whole: bool, path: Path) -> bool:
    """A part other than a sheet: no DTD (looked for where one can be: in the first block, or in all
    of it for the parts read whole). Returns whether it holds control characters."""
    controls = False
    tail = b""
    for block in _blocks(zf, info, whole):
        data = tail + block
        if _DTD.search(data):
            raise _dtd(path, info.filename)
        controls = controls or has_controls(data)
        tail = data[-16:]
    return controls


class _Budget:
    """The cells and values of all sheets so far, against the limits."""

    def __init__(self, limits: Limits, path: Path):
        self.limits, self.path = limits, path
        self.cells = 0
        self.values = 0

    def add_values(self, n: int) -> None:
        self.values += n
        if self.values > self.limits.max_values:
            raise too_large(self.path, f"有超过 {self.limits.max_values:,} 个非空单元格", "BUDGET_XL_MAX_VALUES")

    def add_range(self, sheet: str, rows: int, cols: int) -> None:
        self.cells += rows * cols
        if self.cells > self.limits.max_cells:
            raise too_large(self.path, f"的工作表“{sheet}”数据区域到第 {rows:,} 行、第 {cols:,} 列"
                                       f"（合计超过 {self.limits.max_cells:,} 个单元格）", "BUDGET_XL_MAX_CELLS")


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, budget: _Budget) -> SheetScan:
    """One pass over a sheet's XML. The fast path needs every row and cell to start with its r
    attribute (as Excel, WPS, openpyxl and xlsxwriter write them): the used range is then bounded by
    the last <row r> and the widest column reference, which cost a few regex searches per block.
    Any other writing (no r, prefixed elements), or a bound beyond the limit, gets the exact pass."""
    scan = SheetScan()
    regular = True
    max_row, max_col = 0, 0
    carry = b""
    first = True
    for block in _blocks(zf, info):
        data = carry + block
        cut = max(data.rfind(b"</row>"), data.rfind(b"</c>"), data.rfind(b"/>"))
        if cut < 0:
            carry = data
            if len(carry) > budget.limits.max_part_mb << 20:
                raise too_large(budget.path, f"的部件 {info.filename} 有过长的元素", "BUDGET_XL_MAX_PART_MB")
            continue
        cut = data.index(b">", cut) + 1
        chunk, carry = data[:cut], data[cut:]
        if first:
            first = False
            regular = not _PREFIXED_ROOT.search(chunk[:4096])
        if _DTD.search(chunk):
            raise _dtd(budget.path, info.filename)
        n_values = chunk.count(b"<v>") + chunk.count(b"<is>")
        scan.values += n_values
        budget.add_values(n_values)
        if regular:
            if chunk.count(b'<c r="') != chunk.count(b"<c ") + chunk.count(b"<c>"):
                regular = False
            elif rows := _CELL_ROW.findall(chunk):
                longest = max(map(len, rows))
                max_row = max(max_row, int(max(r for r in rows if len(r) == longest)))
                wide = set(_WIDE.findall(chunk))
                max_col = max([max_col, 26] + [_col_number(w) for w in wide])
        if b"<f" in chunk or not regular and _FORMULA.search(chunk):
            _uncached(chunk, scan.uncached)
        if not scan.controls and has_controls(chunk):
            scan.controls = True
        if b"mergeCell " in chunk:
            for m in _MERGE.finditer(chunk):
                c1, r1 = _col_number(m.group(1)), int(m.group(2))
                c2, r2 = (_col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                scan.largest_merge = max(scan.largest_merge, (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1))
    if regular and max_row * max_col <= budget.limits.max_cells - budget.cells:
        scan.rows, scan.cols = max_row, max_col
    else:
        scan.rows, scan.cols = _exact_range(zf, info)
    budget.add_range(sheet, scan.rows, scan.cols)
    return scan


def _exact_range(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """The last row and column of a cell that may hold a value (a cell written empty, <c …/>, does
    not count), following implicit positions where r is missing, as calamine does."""
    row = col = 0
    last_row = last_col = 0
    carry = b""
    for block in _blocks(zf, info):
        data = carry + block
        cut = data.rfind(b">") + 1
        chunk, carry = data[:cut], data[cut:]
        for m in _TAG.finditer(chunk):
            closing, tag, attrs, empty = m.groups()
            if closing:
                continue
            ref = _ATTR_R.search(attrs)
            if tag == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                col = _col_number(ref.group(1).decode())
                if ref.group(2):
                    row = int(ref.group(2))
            else:
                col += 1
            if not empty:
                last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def _uncached(chunk: bytes, out: set[tuple[int, int]]) -> None:
    """Cells of a block (which ends at a cell's end) holding a formula but no cached result."""
    pos = 0
    while m := _FORMULA.search(chunk, pos):
        start = max(chunk.rfind(b"<c ", 0, m.start()), chunk.rfind(b"<c>", 0, m.start()))
        end = chunk.find(b"</c>", m.start())
        if start != -1 and end != -1:
            segment = chunk[start:end]
            ref = _CELL_REF.search(segment[: segment.find(b">") + 1])
            if ref and not _VALUE.search(segment):
                out.add((int(ref.group(2)) - 1, _col_number(ref.group(1).decode()) - 1))
        pos = end + 4 if end != -1 else m.end()


def _col_number(letters: str | bytes) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n
