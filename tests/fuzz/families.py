"""Seeded generators of hostile and broken workbooks, by family; every one starts from a shipped
sample (or the .xls/.ods fixtures) and changes it the way a damaged file, an odd exporter or an
adversary would. `generate(seed, n)` gives the same n cases for the same seed.

A case is a file (its bytes and name) and, for the file-system family, how to lay it out: a FIFO, a
symlink loop, a file nobody may read, a name starting with '-'."""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .sheetxml import Book, Cell, col_letters, number_cell, shift_refs, text_cell, xml_text
from .zipcraft import STORED, Bombs, Entry, entries_of, write_zip

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
FIXTURES = ROOT / "tests" / "fixtures"
BASES = {
    "budget": SAMPLES / "住建局" / "2024_部门预算_更正版.xlsx",
    "budget-public": SAMPLES / "住建局" / "2024_部门预算_公开版.xlsx",
    "budget-2023": SAMPLES / "住建局" / "2023_部门预算.xlsx",
    "final": SAMPLES / "政府办" / "2024_部门决算_更正版.xlsx",
    "final-public": SAMPLES / "政府办" / "2024_部门决算_公开版.xlsx",
    "dept-budget": SAMPLES / "政府办" / "2024_部门预算.xlsx",
    "items": SAMPLES / "住建局" / "2024_部门预算_明细.xlsx",             # the 明细 line-item sheet
    "gov": SAMPLES / "西岗区" / "2024_政府预算.xlsx",                     # 政府预算: whole 万元, percent columns
    "gov-2023": SAMPLES / "西岗区" / "2023_政府预算.xlsx",
    "perf-target": SAMPLES / "住建局" / "2024_绩效目标表.xlsx",           # 绩效 forms
    "perf-self": SAMPLES / "政府办" / "2024_绩效自评表.xlsx",
    "perf-whole": SAMPLES / "城市更新中心" / "2024_部门整体绩效目标.xlsx",
}
# The kind of workbook each base is (the contract's expected outputs and the workbook `diff` compares
# with depend on it).
KINDS = {"final": "final", "final-public": "final", "final-shared": "final", "gov": "gov", "gov-2023": "gov",
         "perf-target": "forms", "perf-self": "forms", "perf-whole": "forms", "items": "items"}
# Every base, weighted: the department samples as before, and the newer kinds as often as they matter.
ALL_BOOKS = ("budget", "budget-public", "final", "budget-shared", "final-shared", "budget-2023", "dept-budget",
             "items", "items", "gov", "gov", "gov-2023", "perf-target", "perf-self", "perf-whole")


def kind_of(base: str) -> str:
    return KINDS.get(base, "budget") if base else "budget"
DEPARTMENTS = ("大连市西岗区住房和城乡建设局", "大连市西岗区人民政府办公室")


@dataclass
class Case:
    family: str
    name: str
    data: bytes | None = None          # the workbook's bytes (None: the layout makes the file)
    filename: str = "表.xlsx"
    layout: str | None = None          # fifo | loop | dangling | unreadable | unreadable-dir | dir | dash | device
    commands: tuple[str, ...] | None = None   # only these commands (default: every one)
    expect: tuple[int, ...] = (0, 1, 2)       # the exits this case allows
    notes: dict = field(default_factory=dict)
    base: str = ""                     # the sample it was built from (a key of BASES, or xls/ods)

    @property
    def kind(self) -> str:
        return kind_of(self.base)


class Sources:
    """The samples as editable entries (also re-saved by openpyxl, which writes shared strings
    instead of the samples' inline strings), the .xls/.ods fixtures, and the bomb cache."""

    def __init__(self, work: Path):
        self.entries = {key: entries_of(path) for key, path in BASES.items()}
        self.raw = {key: path.read_bytes() for key, path in BASES.items()}
        self.raw["xls"] = (FIXTURES / "决算02.xls").read_bytes()
        self.raw["ods"] = (FIXTURES / "决算02.ods").read_bytes()
        self.bombs = Bombs(work / "bombs")
        for key in ("budget", "final"):
            shared = work / f"{key}-shared.xlsx"
            if not shared.exists():
                import openpyxl

                openpyxl.load_workbook(BASES[key]).save(shared)
            self.entries[f"{key}-shared"] = entries_of(shared)
            self.raw[f"{key}-shared"] = shared.read_bytes()

        self.last: str = ""

    def book(self, rng: random.Random, keys: tuple[str, ...] = ALL_BOOKS) -> tuple[str, Book]:
        key = rng.choice(keys)
        self.last = key
        return key, Book(self.entries[key])

    def raw_key(self, rng: random.Random) -> str:
        key = rng.choice(list(self.raw))
        self.last = key
        return key


Generator = Callable[[random.Random, Sources], Case]
FAMILIES: dict[str, list[tuple[Generator, int]]] = {}


def family(name: str, weight: int = 1) -> Callable[[Generator], Generator]:
    def register(fn: Generator) -> Generator:
        FAMILIES.setdefault(name, []).append((fn, weight))
        return fn
    return register


def _table_sheets(book: Book) -> list[tuple[str, str]]:
    return [(n, m) for n, m in book.sheets() if n not in ("封面", "目录")]


def _number_cells(book: Book, rng: random.Random) -> tuple[str, list[Cell]]:
    for _ in range(20):
        _, member = rng.choice(_table_sheets(book))
        cells = [c for c in book.cells(member) if c.is_number]
        if cells:
            return member, cells
    member = _table_sheets(book)[0][1]
    return member, [c for c in book.cells(member) if c.is_number]


def _zip(book: Book) -> bytes:
    return write_zip(book.entries)


# --------------------------------------------------------------------------- amounts
TEXT_AMOUNTS = ["1e30", "1" + "0" * 27, "9" * 40, "inf", "-inf", "NaN", "nan", "Infinity", "1e308", "1e-400",
                "1e400", "1e99999999999", "0x1F", "１２３４．５６", "(1,234.00)", "1,2,3", "--5", "1.2.3", "¥100",
                "100元", "五百", " ", "\u00a0", "+-1", "1e", ".", "-.", "1_000", "١٢٣", "𝟏𝟐𝟑", "9" * 5000,
                "-0", "0.1234567890123456789012345678901", "12345678901234567.89", "1e15", "-1e15", "1e14",
                "———", "（1,234.00）", "1,234.5万元", "$", "%", "50%", "1/2", "½", "Ⅻ", "1e-30"]
NUMBER_VALUES = [b"inf", b"-inf", b"NaN", b"nan", b"1e308", b"9.99e307", b"-9.99e307", b"1e30", b"1e15", b"1e16",
                 b"123456789012345678901234567", b"1.7976931348623157e308", b"4.9e-324", b"-0", b"1e-30",
                 b"0.12345678901234567", b"1E+20", b"abc", b"", b"1,5", b"  7  ", b"0x10", b"1e999", b"-1e999"]


@family("amounts", 3)
def text_amount(rng: random.Random, src: Sources) -> Case:
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    value = rng.choice(TEXT_AMOUNTS)
    cell = rng.choice(cells)
    book.set_cell(member, cell, text_cell(book, cell, xml_text(value)))
    return Case("amounts", f"text {value[:20]!r} at {member}!{cell.ref} of {key}", _zip(book))


@family("amounts", 3)
def number_amount(rng: random.Random, src: Sources) -> Case:
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    value = rng.choice(NUMBER_VALUES)
    for cell in sorted(rng.sample(cells, min(len(cells), rng.choice((1, 1, 3)))), key=lambda c: -c.span[0]):
        book.set_cell(member, cell, number_cell(cell, value))
    return Case("amounts", f"<v>{value.decode()}</v> in {member} of {key}", _zip(book))


@family("amounts", 2)
def column_of_huge(rng: random.Random, src: Sources) -> Case:
    """Every amount of a column absurdly large (fill --force --recompute then sums them)."""
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    col = rng.choice(cells).col
    value = rng.choice([b"9.99e307", b"1e30", b"1e20", b"-9.99e307", b"1e300"])
    for cell in sorted((c for c in cells if c.col == col), key=lambda c: -c.span[0]):
        book.set_cell(member, cell, number_cell(cell, value))
    return Case("amounts", f"column {col} of {member} = {value.decode()} ({key})", _zip(book))


@family("amounts", 1)
def typed_cells(rng: random.Random, src: Sources) -> Case:
    """Error values, booleans, dates and formula strings where amounts belong."""
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    kind = rng.choice(["e", "b", "d", "str", "f"])
    for cell in sorted(rng.sample(cells, min(len(cells), 4)), key=lambda c: -c.span[0]):
        if kind == "e":
            xml = number_cell(cell, rng.choice([b"#DIV/0!", b"#N/A", b"#REF!", b"#VALUE!", b"#NAME?"]), b"e")
        elif kind == "b":
            xml = number_cell(cell, b"1", b"b")
        elif kind == "d":
            xml = number_cell(cell, b"2024-01-01T00:00:00", b"d")
        elif kind == "str":
            xml = b'<c r="%s" t="str"><f>A1&amp;""</f><v>%s</v></c>' % (cell.ref.encode(), xml_text(rng.choice(["=1+1", "1e30", "inf", "-"])))
        else:
            xml = b'<c r="%s"><f>SUM(1,2)</f></c>' % cell.ref.encode()   # no cached value
        book.set_cell(member, cell, xml)
    return Case("amounts", f"{kind} cells in {member} of {key}", _zip(book))


# --------------------------------------------------------------------------- strings
CONTROL = ["\x01", "\x00", "\x1b[31m红\x1b[0m", "\x07", "\x0b", "\x1f", "\u202e反向", "\ufffe", "\uffff", "\x7f", "\x85",
           "\u2028", "\ud800", "\x9b2J", "\r\n\r\n", "\t"]
PAYLOADS = ["=1+1", '=HYPERLINK("http://example.invalid","点我")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+1", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "=", "＝1+1", "=A1", "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")"]


def _department_cells(book: Book) -> list[tuple[str, Cell, str]]:
    out = []
    for _, member in book.sheets():
        for cell in book.cells(member):
            if cell.is_text:
                text = book.text_of(cell)
                if any(d in text for d in DEPARTMENTS):
                    out.append((member, cell, text))
    return out


def _rename_department(book: Book, name: str) -> None:
    """The department's name changed in every cell that states it (so that it is the name read)."""
    by_member: dict[str, list[tuple[Cell, str]]] = {}
    for member, cell, text in _department_cells(book):
        by_member.setdefault(member, []).append((cell, text))
    for member, found in by_member.items():
        for cell, text in sorted(found, key=lambda f: -f[0].span[0]):
            new = text
            for d in DEPARTMENTS:
                new = new.replace(d, name)
            book.set_cell(member, cell, text_cell(book, cell, xml_text(new)))


@family("strings", 3)
def control_in_department(rng: random.Random, src: Sources) -> Case:
    key, book = src.book(rng)
    ch = rng.choice(CONTROL)
    name = rng.choice(DEPARTMENTS)
    at = rng.randrange(len(name) + 1)
    _rename_department(book, name[:at] + ch + name[at:])
    return Case("strings", f"control {ch!r} in the department name ({key})", _zip(book))


@family("strings", 2)
def long_department(rng: random.Random, src: Sources) -> Case:
    key, book = src.book(rng)
    n = rng.choice([100, 120, 200, 300, 3000, 32767])
    base = rng.choice(["很长的部门名称", "部门/子部门\\科室:名*称?", "..", ".", "CON", " 部门 ", "-rf", "部门" + "\u0301" * 50,
                       "😀部门", "部门\n名称", "a" * 10])
    name = (base * (n // max(1, len(base)) + 1))[:n] if n > 20 else base
    _rename_department(book, name)
    return Case("strings", f"department name of {len(name)} characters from {base[:12]!r} ({key})", _zip(book))


@family("strings", 3)
def formula_text(rng: random.Random, src: Sources) -> Case:
    """Text that starts like a formula, where a label, a department or a title is."""
    key, book = src.book(rng)
    payload = rng.choice(PAYLOADS)
    where = rng.choice(["department", "label", "label", "amount"])
    if where == "department":
        _rename_department(book, payload)
    else:
        member, cells = _number_cells(book, rng)
        pool = [c for c in book.cells(member) if c.is_text] if where == "label" else cells
        cell = rng.choice(pool or cells)
        book.set_cell(member, cell, text_cell(book, cell, xml_text(payload)))
    return Case("strings", f"formula-like {payload[:24]!r} as {where} ({key})", _zip(book))


@family("strings", 3)
def control_in_label(rng: random.Random, src: Sources) -> Case:
    """A control character in a row label, plus a wrong amount so that check reports something
    (openpyxl refuses such text when the annotated copy is written)."""
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    labels = [c for c in book.cells(member) if c.is_text]
    ch = rng.choice(CONTROL)
    for cell in sorted(rng.sample(labels, min(3, len(labels))), key=lambda c: -c.span[0]):
        text = book.text_of(cell)
        book.set_cell(member, cell, text_cell(book, cell, xml_text(text[:2] + ch + text[2:])))
    cells = [c for c in book.cells(member) if c.is_number]
    if cells:
        cell = rng.choice(cells)
        book.set_cell(member, cell, number_cell(cell, b"12345.67"))
    return Case("strings", f"control {ch!r} in labels of {member} ({key})", _zip(book))


@family("strings", 2)
def raw_control_bytes(rng: random.Random, src: Sources) -> Case:
    """Control bytes written raw into the XML (not well-formed XML any more)."""
    key, book = src.book(rng)
    member, _ = _number_cells(book, rng)
    labels = [c for c in book.cells(member) if c.is_text and c.body and b"<t" in c.body]
    if labels:
        cell = rng.choice(labels)
        raw = rng.choice([b"\x01", b"\x00", b"\x1b", b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80"])
        body = cell.body or b""
        book.set_cell(member, cell, book.get(member)[cell.span[0]:cell.span[1]].replace(body, body.replace(b"</t>", raw + b"</t>", 1)))
    return Case("strings", f"raw control bytes in {member} ({key})", _zip(book))


@family("strings", 2)
def sheet_names(rng: random.Random, src: Sources) -> Case:
    """Sheet names that are formulas, hold control characters, or are not allowed by Excel."""
    key, book = src.book(rng)
    sheets = book.sheets()
    name = rng.choice([n for n, _ in sheets])
    new = rng.choice(PAYLOADS + ["附表1_x0001_", "a[1]", "a/b", "a:b", "a*?", "", "校验结果", "History",
                                 "很长的工作表名称" * 6, "'附表'", "附表1", "=" + name, name + "\x1b"])
    wb = book.get("xl/workbook.xml")
    raw = xml_text(new).replace(b'"', b"&quot;")
    book.put("xl/workbook.xml", wb.replace(b'name="%s"' % name.encode(), b'name="%s"' % raw, 1))
    # …and a wrong amount on that sheet, so that the annotated copy names it
    member = dict(sheets)[name]
    cells = [c for c in book.cells(member) if c.is_number]
    if cells:
        cell = rng.choice(cells)
        book.set_cell(member, cell, number_cell(cell, b"7654321.09"))
    return Case("strings", f"sheet {name} renamed {new[:24]!r} ({key})", _zip(book))


# --------------------------------------------------------------------------- structure
@family("structure", 2)
def broken_merges(rng: random.Random, src: Sources) -> Case:
    """Merged ranges that overlap, run backwards, cover the whole sheet or a flagged amount."""
    key, book = src.book(rng, ("budget-public", "final-public", "budget", "final-shared"))
    member, cells = _number_cells(book, rng)
    cell = rng.choice(cells)
    col = ord(cell.col[0]) - 64
    refs = rng.choice([
        [f"{cell.ref}:{col_letters(col + 1)}{cell.row + 1}"],                  # a flagged amount inside a merge
        [f"A{cell.row}:{col_letters(col + 2)}{cell.row}"],
        ["C5:A1"], ["A1:A1"], ["A1:XFD1048576"], ["A1:XFE1048577"], ["ZZ"], ["B2:D4", "C3:E5"], [":"], ["A0:B0"],
    ])
    book.set_cell(member, cell, number_cell(cell, b"99999.99"))
    xml = book.get(member)
    merges = b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in refs)
    if b"<mergeCells" in xml:
        xml = re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + merges, xml, count=1)
    else:
        xml = xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)
    book.put(member, xml)
    return Case("structure", f"merges {refs} in {member} ({key})", _zip(book))


@family("structure", 2)
def moved_rows(rng: random.Random, src: Sources) -> Case:
    """Rows swapped, duplicated, deleted or out of order."""
    key, book = src.book(rng)
    member, _ = _number_cells(book, rng)
    xml = book.get(member)
    rows = list(re.finditer(rb'<row r="(\d+)".*?</row>', xml, re.S))
    if len(rows) < 4:
        return Case("structure", f"rows of {member} unchanged ({key})", _zip(book))
    how = rng.choice(["swap", "duplicate", "delete", "reverse", "renumber"])
    chosen = sorted(rng.sample(range(len(rows)), min(len(rows), rng.choice((2, 3, 6)))))
    parts = [m.group(0) for m in rows]
    if how == "swap":
        a, b = chosen[0], chosen[-1]
        parts[a], parts[b] = parts[b], parts[a]
    elif how == "duplicate":
        parts.insert(chosen[0], parts[chosen[0]])
    elif how == "delete":
        parts = [p for i, p in enumerate(parts) if i not in chosen]
    elif how == "reverse":
        parts.reverse()
    else:
        parts = [re.sub(rb'(?<=r=")([A-Z]*)(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + 3).encode(), p)
                 if i in chosen else p for i, p in enumerate(parts)]
    start, end = rows[0].start(), rows[-1].end()
    book.put(member, xml[:start] + b"".join(parts) + xml[end:])
    return Case("structure", f"rows {how} in {member} ({key})", _zip(book))


@family("structure", 2)
def sheets_changed(rng: random.Random, src: Sources) -> Case:
    """Sheets deleted, duplicated (same or another name), emptied, or the list emptied."""
    key, book = src.book(rng)
    sheets = book.sheets()
    how = rng.choice(["delete", "duplicate", "duplicate-name", "empty", "no-sheets", "missing-part", "hidden"])
    name, member = rng.choice(sheets)
    wb = book.get("xl/workbook.xml")
    entry = re.search(rb'<sheet [^>]*name="%s"[^>]*/>' % re.escape(name.encode()), wb)
    assert entry is not None
    if how == "delete":
        book.put("xl/workbook.xml", wb.replace(entry.group(0), b""))
    elif how in ("duplicate", "duplicate-name"):
        new_member = "xl/worksheets/sheet999.xml"
        book.put(new_member, book.get(member))
        rels = book.get("xl/_rels/workbook.xml.rels")
        book.put("xl/_rels/workbook.xml.rels", rels.replace(
            b"</Relationships>", b'<Relationship Id="rId999" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                 b'relationships/worksheet" Target="worksheets/sheet999.xml"/></Relationships>'))
        copy_name = name if how == "duplicate-name" else name + "（副本）"
        copy = re.sub(rb'r:id="[^"]*"', b'r:id="rId999"', entry.group(0))
        copy = re.sub(rb'sheetId="\d+"', b'sheetId="999"', copy).replace(name.encode(), copy_name.encode())
        book.put("xl/workbook.xml", wb.replace(entry.group(0), entry.group(0) + copy))
    elif how == "empty":
        book.put(member, re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", book.get(member), flags=re.S))
    elif how == "no-sheets":
        book.put("xl/workbook.xml", re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", wb, flags=re.S))
    elif how == "missing-part":
        book.drop(member)
    else:
        book.put("xl/workbook.xml", wb.replace(entry.group(0), entry.group(0).replace(b"<sheet ", b'<sheet state="hidden" ')))
    return Case("structure", f"sheet {name} {how} ({key})", _zip(book))


@family("structure", 2)
def far_cells(rng: random.Random, src: Sources) -> Case:
    """A value far away, beyond Excel's last cell, or the whole table pasted far down and right."""
    key, book = src.book(rng)
    member, _ = _number_cells(book, rng)
    xml = book.get(member)
    how = rng.choice(["XFD1048576", "A1048577", "XFE5", "ZZZZZZ5", "A99999999999", "Z200000", "AZ500000",
                      "shift", "shift", "dimension", "row0", "A1048576"])
    if how == "shift":
        rows, cols = rng.choice([(60000, 2000), (1000000, 0), (0, 16000), (200000, 30), (30000, 300)])
        book.put(member, shift_refs(xml, rows, cols))
        return Case("structure", f"{member} shifted by {rows} rows, {cols} columns ({key})", _zip(book))
    if how == "dimension":
        book.put(member, re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml))
    elif how == "row0":
        book.put(member, xml.replace(b"</sheetData>", b'<row r="0"><c r="A0"><v>1</v></c></row></sheetData>', 1))
    else:
        row = re.search(r"\d+", how)
        assert row is not None
        book.put(member, xml.replace(b"</sheetData>", b'<row r="%s"><c r="%s"><v>1</v></c></row></sheetData>'
                                     % (row.group(0).encode(), how.encode()), 1))
    return Case("structure", f"cell {how} in {member} ({key})", _zip(book))


@family("structure", 1)
def formulas(rng: random.Random, src: Sources) -> Case:
    """Formula cells: with and without cached values, shared, array, external, volatile."""
    key, book = src.book(rng)
    member, cells = _number_cells(book, rng)
    for cell in sorted(rng.sample(cells, min(len(cells), 5)), key=lambda c: -c.span[0]):
        f = rng.choice([b"<f>SUM(B7:B9)</f><v>1</v>", b"<f>SUM(B7:B9)</f>", b'<f t="shared" ref="B7:B9" si="0">A1*2</f><v>2</v>',
                        b'<f t="array" ref="B7">B7:B9*2</f><v>3</v>', b"<f>[1]Sheet1!A1</f><v>4</v>", b"<f>NOW()</f><v>45000</v>",
                        b"<f>1/0</f><v>#DIV/0!</v>", b"<f>HYPERLINK(\"http://x\")</f><v>0</v>"])
        book.set_cell(member, cell, b'<c r="%s">%s</c>' % (cell.ref.encode(), f))
    return Case("structure", f"formulas in {member} ({key})", _zip(book))


# --------------------------------------------------------------------------- zip
@family("zip", 3)
def truncated(rng: random.Random, src: Sources) -> Case:
    key = src.raw_key(rng)
    data = src.raw[key]
    cut = rng.randrange(1, len(data))
    return Case("zip", f"{key} cut at {cut} of {len(data)}", data[:cut], _name_for(key))


@family("zip", 3)
def bit_flips(rng: random.Random, src: Sources) -> Case:
    key = src.raw_key(rng)
    data = bytearray(src.raw[key])
    n = rng.choice([1, 1, 2, 5, 20])
    where = rng.choice(["anywhere", "tail", "head"])
    for _ in range(n):
        if where == "tail":
            i = rng.randrange(max(0, len(data) - 2000), len(data))
        elif where == "head":
            i = rng.randrange(0, min(len(data), 200))
        else:
            i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return Case("zip", f"{n} bit flips ({where}) in {key}", bytes(data), _name_for(key))


def _name_for(key: str) -> str:
    return {"xls": "表.xls", "ods": "表.ods"}.get(key, "表.xlsx")


@family("zip", 4)
def odd_entries(rng: random.Random, src: Sources) -> Case:
    """A member with the encryption flag, an unknown method, corrupt deflate, a lying size or CRC."""
    key, book = src.book(rng)
    names = [e.name for e in book.entries]
    target = rng.choice(["docProps/core.xml", "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         rng.choice(names), rng.choice([m for _, m in book.sheets()])])
    how = rng.choice(["encrypted", "method99", "method12", "method14", "stored-lie", "corrupt", "crc", "size-small",
                      "size-big", "duplicate", "missing"])
    entries = []
    for e in book.entries:
        if e.name != target:
            entries.append(e)
            continue
        if how == "encrypted":
            entries.append(replace(e, flags=1))
        elif how == "method99":
            entries.append(replace(e, method=99))
        elif how in ("method12", "method14"):
            entries.append(replace(e, method=int(how[-2:])))
        elif how == "stored-lie":
            entries.append(replace(e, method=STORED, size=len(e.data) * 3))
        elif how == "corrupt":
            stored, crc, size = e.payload()
            mangled = bytearray(stored)
            for _ in range(max(1, len(mangled) // 50)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
            entries.append(Entry(e.name, raw=bytes(mangled), crc=crc, size=size))
        elif how == "crc":
            entries.append(replace(e, crc=12345))
        elif how == "size-small":
            entries.append(replace(e, size=max(0, len(e.data) // 10)))
        elif how == "size-big":
            entries.append(replace(e, size=0xFFFFFFF0))
        elif how == "duplicate":
            entries += [e, replace(e, data=e.data[: len(e.data) // 2])]
        # missing: left out
    return Case("zip", f"{target} {how} ({key})", write_zip(entries))


@family("zip", 1)
def odd_archive(rng: random.Random, src: Sources) -> Case:
    key, book = src.book(rng)
    how = rng.choice(["comment", "traversal", "many", "nested", "empty", "dirs"])
    entries = list(book.entries)
    comment = b""
    if how == "comment":
        comment = b"\x00" * 65535
    elif how == "traversal":
        entries += [Entry("../../evil.xml", b"<x/>"), Entry("/abs/evil.xml", b"<x/>"), Entry("xl\\worksheets\\sheet1.xml", b"<x/>")]
    elif how == "many":
        entries += [Entry(f"xl/junk/{i}.xml", b"<x/>") for i in range(20000)]
    elif how == "nested":
        entries = [Entry("inner.xlsx", src.raw["budget"], method=STORED)]
    elif how == "empty":
        entries = []
    else:
        entries += [Entry("xl/", b""), Entry("xl/worksheets/", b"")]
    return Case("zip", f"archive {how} ({key})", write_zip(entries, comment))


# --------------------------------------------------------------------------- bombs and entities
@family("bombs", 2)
def inflating_sheet(rng: random.Random, src: Sources) -> Case:
    """A megabyte that inflates to a gigabyte (a sheet, the shared strings, a property part),
    sometimes with a header that says it is small."""
    key, book = src.book(rng, ("budget", "budget-shared", "final"))
    total = rng.choice([300 << 20, 1100 << 20])
    part = rng.choice(["sheet", "sheet", "sheet-refs", "strings", "core"])
    lie = rng.random() < 0.3
    sheets = book.sheets()
    if part.startswith("sheet"):
        target, bomb = rng.choice(sheets)[1], src.bombs.sheet(total, with_refs=part == "sheet-refs")
    elif part == "strings":
        target, bomb = "xl/sharedStrings.xml", src.bombs.text(total)
        if not book.has(target):
            book.put(target, b"")
            book.put("[Content_Types].xml", book.get("[Content_Types].xml").replace(
                b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                             b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    else:
        target, bomb = "docProps/core.xml", src.bombs.text(total)
    entries = [replace(bomb, name=e.name, size=1024 if lie else bomb.size) if e.name == target else e for e in book.entries]
    return Case("bombs", f"{part} of {total >> 20} MB{' (header says 1 KB)' if lie else ''} ({key})", write_zip(entries))


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]>")


@family("bombs", 2)
def entities(rng: random.Random, src: Sources) -> Case:
    """DOCTYPEs with entity expansion (billion laughs), external entities, deep nesting."""
    key, book = src.book(rng, ("budget", "budget-shared", "final", "final-shared"))
    how = rng.choice(["laughs", "external", "doctype", "nesting"])
    target = rng.choice(["xl/workbook.xml", "docProps/core.xml", "xl/styles.xml", rng.choice(book.sheets())[1]]
                        + (["xl/sharedStrings.xml"] if book.has("xl/sharedStrings.xml") else []))
    data = re.sub(rb"^<\?xml[^>]*\?>", b"", book.get(target))
    if how == "laughs":
        data = LAUGHS + data.replace(b"</t>", b"&lol9;</t>", 1).replace(b"<dc:title>", b"<dc:title>&lol9;", 1)
    elif how == "external":
        data = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
                + data.replace(b"</t>", b"&ext;</t>", 1))
    elif how == "doctype":
        data = b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">' + data
    else:
        data = data.replace(b"</sheetData>", b"<x>" * 100000 + b"</x>" * 100000 + b"</sheetData>", 1)
    book.put(target, data)
    return Case("bombs", f"{how} in {target} ({key})", _zip(book))


# --------------------------------------------------------------------------- other formats
@family("formats", 3)
def other_format(rng: random.Random, src: Sources) -> Case:
    how = rng.choice(["docx", "pptx", "odt", "pdf", "png", "csv", "html", "xml2003", "xls-as-xlsx", "ods-as-xlsx",
                      "xlsx-as-xls", "empty-zip", "mimetype-only", "ole-garbage", "ole-truncated", "utf16", "bom",
                      "xlsb", "zero", "random"])
    name, data = "表.xlsx", b""
    if how in ("docx", "pptx"):
        part = "word/document.xml" if how == "docx" else "ppt/presentation.xml"
        data = write_zip([Entry("[Content_Types].xml", b"<Types/>"), Entry(part, b"<x/>")])
    elif how == "odt":
        data = write_zip([Entry("mimetype", b"application/vnd.oasis.opendocument.text", method=STORED), Entry("content.xml", b"<x/>")])
    elif how == "pdf":
        data = b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000))
    elif how == "png":
        data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(500))
    elif how == "csv":
        data = "科目编码,科目名称,金额\n201,一般公共服务支出,1e30\n".encode("gbk")
    elif how == "html":
        name, data = "表.xls", "<html><body><table><tr><td>附表1</td></tr></table></body></html>".encode()
    elif how == "xml2003":
        name, data = "表.xls", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    elif how == "xls-as-xlsx":
        data = src.raw["xls"]
    elif how == "ods-as-xlsx":
        data = src.raw["ods"]
    elif how == "xlsx-as-xls":
        name, data = "表.xls", src.raw["budget"]
    elif how == "empty-zip":
        data = write_zip([])
    elif how == "mimetype-only":
        data = write_zip([Entry("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", method=STORED)])
    elif how == "ole-garbage":
        name, data = "表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(4000))
    elif how == "ole-truncated":
        name, data = "表.xls", src.raw["xls"][: rng.randrange(512, len(src.raw["xls"]))]
    elif how == "utf16":
        data = "附表1".encode("utf-16")
    elif how == "bom":
        data = b"\xef\xbb\xbfPK\x03\x04"
    elif how == "xlsb":
        data = write_zip([Entry("[Content_Types].xml", b"<Types/>"), Entry("xl/workbook.bin", b"\x83\x01\x00")])
    elif how == "zero":
        data = b"\x00" * 4096
    else:
        data = bytes(rng.randrange(256) for _ in range(rng.choice([1, 7, 100, 10000])))
    return Case("formats", how, data, name)


@family("formats", 2)
def xls_ods_records(rng: random.Random, src: Sources) -> Case:
    """.xls records and .ods cells edited: a cell far away, repeated a million times, bytes changed."""
    key = rng.choice(["xls", "ods"])
    data = bytearray(src.raw[key])
    how = rng.choice(["far", "flip-body", "repeat"])
    if key == "ods":
        import zipfile
        from io import BytesIO

        with zipfile.ZipFile(BytesIO(bytes(data))) as zf:
            entries = [Entry(i.filename, zf.read(i.filename), method=STORED if i.filename == "mimetype" else 8) for i in zf.infolist()]
        content = next(e for e in entries if e.name == "content.xml")
        xml = content.data
        if how == "repeat":
            xml = xml.replace(b"<table:table-row", b'<table:table-row table:number-rows-repeated="1000000"', 1)
        elif how == "far":
            xml = xml.replace(b"<table:table-cell", b'<table:table-cell table:number-columns-repeated="16000"', 1)
        else:
            xml = xml.replace(b"office:value=\"", b'office:value="1e30', 3)
        content.data = xml
        return Case("formats", f"ods {how}", write_zip(entries), "表.ods")
    # BIFF: NUMBER (0x0203) and LABELSST (0x00FD) records carry row (u16) and column (u16)
    records = [m.start() for m in re.finditer(rb"\x03\x02\x0e\x00|\xfd\x00\x0a\x00", bytes(data))]
    if records and how != "flip-body":
        pos = rng.choice(records) + 4
        data[pos:pos + 4] = rng.choice([b"\xff\xff\xff\x00", b"\xff\xff\xff\xff", b"\x00\x00\xff\x3f", b"\xff\xff\x00\x00"])
    else:
        for _ in range(10):
            data[rng.randrange(512, len(data))] ^= 0xFF
    return Case("formats", f"xls {how}", bytes(data), "表.xls")


# --------------------------------------------------------------------------- file system
@family("filesystem", 2)
def filesystem(rng: random.Random, src: Sources) -> Case:
    layout = rng.choice(["fifo", "loop", "dangling", "unreadable", "unreadable-dir", "dir", "dash", "dash-dir", "device",
                         "long-name", "bad-utf8", "newline-name"])
    data = src.raw[rng.choice(["budget", "final", "budget-public"])]
    name = {"dash": "-表.xlsx", "dash-dir": "-表.xlsx", "long-name": "表" * 80 + ".xlsx", "newline-name": "表\n\x1b[2J.xlsx"}.get(layout, "表.xlsx")
    expect = (2,) if layout in ("fifo", "loop", "dangling", "unreadable", "unreadable-dir", "device", "dir") else (0, 1, 2)
    return Case("filesystem", layout, data, name, layout=layout, expect=expect)


def generate(seed: int, n: int, families: tuple[str, ...] | None = None, work: Path | None = None,
             sources: Sources | None = None) -> list[Case]:
    """n cases drawn by weight from the families (all by default), the same for the same seed."""
    import tempfile

    src = sources or Sources(work or Path(tempfile.mkdtemp(prefix="fuzz-src-")))
    pool = [(fn, w) for name, gens in FAMILIES.items() if families is None or name in families for fn, w in gens]
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        fn = rng.choices([g for g, _ in pool], [w for _, w in pool])[0]
        src.last = ""
        case = fn(random.Random(rng.getrandbits(64)), src)
        case.base = case.base or src.last
        case.name = f"{i:05d} {case.name}"
        cases.append(case)
    return cases


from . import kinds  # noqa: E402,F401  (the generators of the newer kinds register themselves)
