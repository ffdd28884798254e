"""Zip files written byte by byte, so that an entry can be anything a hostile or broken file holds:
an encryption flag without encryption, an unknown compression method, a corrupt deflate stream, a
header that lies about the size, a member inflating to a gigabyte from a megabyte."""
from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

DEFLATED, STORED = 8, 0


@dataclass
class Entry:
    name: str
    data: bytes = b""                 # the member's content (compressed here unless `raw`)
    method: int = DEFLATED
    flags: int = 0
    raw: bytes | None = None          # already-compressed bytes (bombs); `data` unused then
    crc: int | None = None            # with `raw`: the content's CRC; overrides a computed one
    size: int | None = None           # the uncompressed size written in the headers (may lie)

    def payload(self) -> tuple[bytes, int, int]:
        """(bytes stored, crc, uncompressed size)."""
        if self.raw is not None:
            return self.raw, self.crc or 0, self.size or 0
        crc = zlib.crc32(self.data)
        if self.method == STORED:
            stored = self.data
        else:  # any other method number: deflate it all the same (method 99 then lies about it)
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            stored = co.compress(self.data) + co.flush()
        return stored, self.crc if self.crc is not None else crc, self.size if self.size is not None else len(self.data)


def write_zip(entries: list[Entry], comment: bytes = b"") -> bytes:
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        flags = e.flags | 0x800  # names in UTF-8
        stored, crc, size = e.payload()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, e.method, 0, 0x21, crc, len(stored), size,
                           len(name), 0) + name + stored
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, e.method, 0, 0x21, crc, len(stored),
                               size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), len(comment))
    return bytes(out + central + end + comment)


def entries_of(path: Path) -> list[Entry]:
    """The members of a real zip (a sample workbook), in order, as entries to edit."""
    with zipfile.ZipFile(path) as zf:
        return [Entry(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def replace(entries: list[Entry], name: str, data: bytes) -> list[Entry]:
    return [Entry(e.name, data) if e.name == name else e for e in entries]


class Bombs:
    """Deflate streams of repetitive XML, made once per campaign (they take seconds) and kept as
    files: `sheet(n)` is a worksheet whose body inflates to about n bytes."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def stream(self, key: str, head: bytes, unit: bytes, total: int, tail: bytes) -> tuple[bytes, int, int]:
        cached = self.folder / f"{key}.bin"
        meta = self.folder / f"{key}.meta"
        if cached.exists() and meta.exists():
            crc, size = (int(x) for x in meta.read_text().split())
            return cached.read_bytes(), crc, size
        # After a full flush deflate forgets what came before, so every further copy of the block
        # compresses to the same bytes: compressed once, repeated (a gigabyte in a second).
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = unit * max(1, (1 << 20) // len(unit))
        parts = [co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)]
        crc, size = zlib.crc32(head), len(head)
        packed = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
        count = max(1, (total - size) // len(block))
        parts.append(packed * count)
        for _ in range(count):
            crc = zlib.crc32(block, crc)
        size += count * len(block)
        parts += [co.compress(tail), co.flush()]
        crc, size = zlib.crc32(tail, crc), size + len(tail)
        raw = b"".join(parts)
        cached.write_bytes(raw)
        meta.write_text(f"{crc} {size}")
        return raw, crc, size

    def sheet(self, total: int, *, with_refs: bool = False) -> Entry:
        """A worksheet of rows of twenty numbers; without `with_refs` the rows and cells carry no r
        attribute (positions are implicit, as some exporters write them)."""
        head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>')
        unit = b"<row>" + b"<c><v>1</v></c>" * 20 + b"</row>"
        if with_refs:  # a repeated row number still inflates; calamine takes the last
            unit = b'<row r="7">' + b"".join(b'<c r="%s7"><v>1</v></c>' % bytes([65 + i]) for i in range(20)) + b"</row>"
        raw, crc, size = self.stream(f"sheet-{total}-{with_refs}", head, unit, total, b"</sheetData></worksheet>")
        return Entry("", raw=raw, crc=crc, size=size)

    def text(self, total: int) -> Entry:
        """One shared string of `total` bytes."""
        head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
        raw, crc, size = self.stream(f"text-{total}", head, "部门".encode() * 512, total, b"</t></si></sst>")
        return Entry("", raw=raw, crc=crc, size=size)
