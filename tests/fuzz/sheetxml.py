"""Editing a sample workbook at the XML level: its sheets by name, their cells (numbers, inline or
shared strings), rows, merges and the workbook's sheet list. Regular expressions, not a parser: the
files are our own samples, and the edits must be able to produce XML no parser would write."""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .zipcraft import Entry

CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
SHEET = re.compile(rb'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"[^>]*/>')
REL = re.compile(rb'<Relationship [^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"[^>]*/>|'
                 rb'<Relationship [^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"[^>]*/>')


@dataclass
class Cell:
    col: str
    row: int
    attrs: bytes
    body: bytes | None
    span: tuple[int, int]

    @property
    def ref(self) -> str:
        return f"{self.col}{self.row}"

    @property
    def is_number(self) -> bool:
        return b"<v>" in (self.body or b"") and b't="' not in self.attrs.replace(b't="n"', b"")

    @property
    def is_text(self) -> bool:
        return b't="inlineStr"' in self.attrs or b't="s"' in self.attrs


class Book:
    """The entries of a workbook, with its sheets addressable by name."""

    def __init__(self, entries: list[Entry]):
        self.entries = [Entry(e.name, e.data) for e in entries]

    def get(self, name: str) -> bytes:
        return next(e.data for e in self.entries if e.name == name)

    def put(self, name: str, data: bytes) -> None:
        for e in self.entries:
            if e.name == name:
                e.data = data
                return
        self.entries.append(Entry(name, data))

    def drop(self, name: str) -> None:
        self.entries = [e for e in self.entries if e.name != name]

    def has(self, name: str) -> bool:
        return any(e.name == name for e in self.entries)

    def sheets(self) -> list[tuple[str, str]]:
        """(sheet name, member path) in workbook order."""
        rels = {}
        for m in REL.finditer(self.get("xl/_rels/workbook.xml.rels")):
            rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            rels[rid.decode()] = target.decode()
        out = []
        for m in SHEET.finditer(self.get("xl/workbook.xml")):
            target = rels.get(m.group(2).decode(), "")
            out.append((m.group(1).decode(), target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
        return out

    def cells(self, member: str) -> list[Cell]:
        return [Cell(m.group(1).decode(), int(m.group(2)), m.group(3), m.group(4), m.span())
                for m in CELL.finditer(self.get(member))]

    def set_cell(self, member: str, cell: Cell, xml: bytes) -> None:
        data = self.get(member)
        self.put(member, data[:cell.span[0]] + xml + data[cell.span[1]:])

    def shared(self) -> list[bytes]:
        if not self.has("xl/sharedStrings.xml"):
            return []
        return re.findall(rb"<si>(.*?)</si>", self.get("xl/sharedStrings.xml"), re.S)

    def text_of(self, cell: Cell) -> str:
        body = cell.body or b""
        if b't="s"' in cell.attrs:
            m = re.search(rb"<v>(\d+)</v>", body)
            items = self.shared()
            body = items[int(m.group(1))] if m and int(m.group(1)) < len(items) else b""
        return re.sub(r"<[^>]+>", "", body.decode("utf-8", "replace"))

    def add_shared(self, raw_xml_text: bytes) -> int:
        """Appends a shared string (its <t> content given as raw XML bytes) and returns its index."""
        sst = self.get("xl/sharedStrings.xml")
        index = len(self.shared())
        self.put("xl/sharedStrings.xml", sst.replace(b"</sst>", b"<si><t>" + raw_xml_text + b"</t></si></sst>"))
        return index


def xml_text(text: str) -> bytes:
    """Text as the content of an XML element: markup escaped, and characters XML cannot hold
    written the OOXML way (_x0001_), as Excel does."""
    out = []
    for ch in escape(text):
        code = ord(ch)
        if code < 0x20 and ch not in "\t\n\r" or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            out.append(f"_x{code:04X}_")
        else:
            out.append(ch)
    return "".join(out).encode("utf-8", "surrogatepass")


def text_cell(book: Book, cell: Cell, raw: bytes) -> bytes:
    """The XML of `cell` holding a string whose <t> content is `raw` (already XML), written the way
    the workbook writes its strings (shared or inline)."""
    if book.has("xl/sharedStrings.xml"):
        index = book.add_shared(raw)
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (cell.ref.encode(), _style(cell), index)
    return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (cell.ref.encode(), _style(cell), raw)


def number_cell(cell: Cell, value: bytes, t: bytes = b"n") -> bytes:
    return b'<c r="%s"%s t="%s"><v>%s</v></c>' % (cell.ref.encode(), _style(cell), t, value)


def _style(cell: Cell) -> bytes:
    m = re.search(rb' s="\d+"', cell.attrs)
    return m.group(0) if m else b""


def col_letters(n: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def shift_refs(xml: bytes, rows: int, cols: int) -> bytes:
    """Every cell, row and merge reference moved down `rows` and right `cols` (a table pasted far away)."""
    def cell(m: re.Match) -> bytes:
        return (col_letters(col_number(m.group(1).decode()) + cols) + str(int(m.group(2)) + rows)).encode()

    xml = re.sub(rb'(?<=<c r=")([A-Z]+)(\d+)', cell, xml)
    xml = re.sub(rb'(?<=<row r=")(\d+)', lambda m: str(int(m.group(1)) + rows).encode(), xml)
    xml = re.sub(rb'(?<=<mergeCell ref=")([A-Z]+)(\d+):([A-Z]+)(\d+)',
                 lambda m: b"%s%d:%s%d" % (col_letters(col_number(m.group(1).decode()) + cols).encode(), int(m.group(2)) + rows,
                                           col_letters(col_number(m.group(3).decode()) + cols).encode(), int(m.group(4)) + rows),
                 xml)
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
