"""The Word writer: narrative blocks (narrative/document.py) → a .docx with the official-document
look (docx_look.py): cover, 目录 field, parts, headings, paragraphs with highlighted 【…】 places,
tables (docx_table.py) and a page number "— 1 —" centred in the footer.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ..errors import TemplateError
from ..model import Disclosure
from ..narrative.document import PLACEHOLDER, Block
from ..templates import TableSpec
from .docx_fonts import set_font_table, update_fields_on_open
from .docx_look import (
    BODY,
    COVER,
    FOOTER,
    HEADING_LOOKS,
    PART,
    TITLE,
    TOC_ENTRY,
    Look,
    el,
    field_close,
    field_open,
    outline_level,
    set_fonts,
    set_page,
    set_up_styles,
    styled,
)
from .docx_table import TableWriter
from .output import atomic_output
from .properties import set_docx_properties

_INLINE = re.compile(r"(\*\*.+?\*\*|【[^】]*】)")


def write_docx(blocks: list[Block], target: Path, *, disclosure: Disclosure | None = None, force: bool = False,
               source: Path | None = None) -> Path:
    """Write the blocks as a Word document at `target` (atomic: a temporary file, then renamed;
    refuses an existing target without `force` and the input file always). Table blocks need the
    disclosure whose tables they print."""
    target = Path(target)
    doc = build_document(blocks, disclosure)
    set_docx_properties(doc, document_title(blocks) or target.stem, disclosure.department if disclosure else None)
    with atomic_output(target, source=source, force=force) as tmp:
        doc.save(str(tmp))
    return target


def document_title(blocks: list[Block]) -> str:
    """The title a document states: its cover (name and kind on one line) or its first title line."""
    for b in blocks:
        if b.kind == "cover":
            return "".join(line.strip() for line in b.text.split("\n"))
        if b.kind == "title":
            return b.text.replace("**", "")
    return ""


def build_document(blocks: list[Block], disclosure: Disclosure | None = None):
    """The python-docx Document for the blocks (not saved)."""
    return Writer(blocks, disclosure).write()


# --------------------------------------------------------------------------- low-level XML helpers
class Writer:
    def __init__(self, blocks: list[Block], disclosure: Disclosure | None):
        self.blocks = blocks
        self.d = disclosure
        self.doc = Document()
        self.has_parts = any(b.kind == "part" for b in blocks)
        self.heading_offset = 1 if self.has_parts else 0
        self.styles = set_up_styles(self.doc, self.heading_offset)
        self.landscape = False
        self.started = False        # anything written yet
        self.pending_break = False  # a [[pagebreak]] waiting for the next paragraph
        self.after_cover = False
        self.toc_depth = 2 if self.has_parts else 3
        self.outline = self._outline()

    # -- outline: what the TOC lists, worked out before writing so the TOC can come first
    def _outline(self) -> dict[int, tuple[int, str, str]]:
        """Block index -> (TOC level, entry text, bookmark name) for parts, headings and table titles."""
        out = {}
        for i, b in enumerate(self.blocks):
            if b.kind == "part":
                level, text = 1, b.text
            elif b.kind == "heading":
                level, text = b.level + self.heading_offset, b.text.replace("**", "")
            elif b.kind == "table" and self.has_parts and self.d is not None:
                level, text = 2, self._spec(self.d, b.text).title
            else:
                continue
            out[i] = (level, text, f"_Toc{100000000 + i}")
        return out

    def write(self):
        set_font_table(self.doc)
        if any(b.kind == "toc" for b in self.blocks):
            update_fields_on_open(self.doc)
        section = self.doc.sections[0]
        set_page(section, False)
        self._footer(section)
        if self.blocks and self.blocks[0].kind == "cover":
            section.different_first_page_header_footer = True  # no page number on the cover
        handlers = {"title": self._title, "part": self._part, "heading": self._heading, "para": self._para,
                    "pagebreak": self._pagebreak, "cover": self._cover, "toc": self._toc, "table": self._table}
        for i, block in enumerate(self.blocks):
            if block.kind not in handlers:
                raise TemplateError(f"文档中有无法识别的内容类型“{block.kind}”。")
            handlers[block.kind](block, i)
        return self.doc

    # -- sections and page breaks
    def _start(self, landscape: bool = False) -> bool:
        """Called before each block's first paragraph: opens a new section when the orientation
        changes or the cover ends (page numbers restart after it). Returns whether that paragraph
        must start a new page (a pending [[pagebreak]] not already done by a section break)."""
        if not self.started:
            if landscape:
                set_page(self.doc.sections[0], True)
                self.landscape = True
        elif self.after_cover or landscape != self.landscape:
            self._new_section(landscape, restart=self.after_cover)
            self.pending_break = False
        self.started, self.after_cover = True, False
        brk, self.pending_break = self.pending_break, False
        return brk

    def _new_section(self, landscape: bool, restart: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        # python-docx ends the previous section with an empty paragraph: make it 1 pt high so it
        # never pushes a blank page after a full one.
        holder = Paragraph(self.doc.element.body[-2], self.doc._body)
        holder.paragraph_format.line_spacing = Pt(1)
        holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        set_page(section, landscape)
        section.different_first_page_header_footer = False
        sect = section._sectPr
        for old in sect.findall(qn("w:pgNumType")):
            sect.remove(old)
        if restart:
            sect.insert_element_before(el("w:pgNumType", start="1"), "w:cols", "w:formProt", "w:vAlign",
                                       "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                                       "w:docGrid", "w:printerSettings", "w:sectPrChange")
        self.landscape = landscape

    def _footer(self, section) -> None:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        styled(p, self.styles["footer"])
        self.runs(p, "— ", FOOTER)
        field_open(p, "PAGE", FOOTER)
        self.runs(p, "1", FOOTER)
        field_close(p)
        self.runs(p, " —", FOOTER)

    def paragraph(self, style_key: str, *, landscape: bool = False):
        brk = self._start(landscape)
        p = self.add(style_key)
        if brk:
            p.paragraph_format.page_break_before = True
        return p

    def add(self, style_key: str):
        """A paragraph at the end of the document, in one of our styles (by id: python-docx's
        lookup by name walks every style and would dominate the time spent on tables)."""
        return styled(self.doc.add_paragraph(), self.styles[style_key])

    # -- runs
    def runs(self, paragraph, text: str, look: Look, bold: bool = False) -> None:
        """Text with **bold** and 【placeholders】 (highlighted yellow) as runs, each with its fonts."""
        for piece in _INLINE.split(text):
            if not piece:
                continue
            if len(piece) > 4 and piece.startswith("**") and piece.endswith("**"):
                self.runs(paragraph, piece[2:-2], look, bold=True)
                continue
            run = paragraph.add_run(piece)
            set_fonts(run._r.get_or_add_rPr(), look)
            if bold:
                run.bold = True
            if PLACEHOLDER.fullmatch(piece):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def bookmarked(self, paragraph, index: int, text: str, look: Look) -> None:
        entry = self.outline.get(index)
        if entry is None:
            self.runs(paragraph, text, look)
            return
        start = el("w:bookmarkStart", id=str(index), name=entry[2])
        paragraph._p.append(start)
        self.runs(paragraph, text, look)
        paragraph._p.append(el("w:bookmarkEnd", id=str(index)))
        if self.blocks[index].kind == "table":   # table titles have no heading style: outline level on the paragraph
            outline_level(paragraph._p.get_or_add_pPr(), entry[0])

    # -- blocks
    def _title(self, block: Block, i: int) -> None:
        self.runs(self.paragraph("title"), block.text, TITLE)

    def _part(self, block: Block, i: int) -> None:
        self.bookmarked(self.paragraph("part"), i, block.text, PART)

    def _heading(self, block: Block, i: int) -> None:
        level = min(max(block.level, 1), 3)
        self.bookmarked(self.paragraph(f"h{level}"), i, block.text, HEADING_LOOKS[level])

    def _para(self, block: Block, i: int) -> None:
        self.runs(self.paragraph("body"), block.text, BODY)

    def _pagebreak(self, block: Block, i: int) -> None:
        if self.started:
            self.pending_break = True

    def _cover(self, block: Block, i: int) -> None:
        lines = [line for line in block.text.split("\n") if line.strip()]
        for n, line in enumerate(lines):
            p = self.paragraph("cover")
            if n == 0:
                p.paragraph_format.space_before = Pt(150)   # the name in the upper third of the page
            self.runs(p, line, COVER)
        self.after_cover = True

    def _toc(self, block: Block, i: int) -> None:
        """A real TOC field, marked to be updated: Word and WPS rebuild it, page numbers and all,
        when the document opens (w:dirty, settings w:updateFields). Its cached result lists the
        headings, each linked to its bookmark, so the 目录 shows in LibreOffice too (which keeps a
        TOC's cached text as it is, page numbers included — none is guessed here; its “update index”
        fills them in). No instruction is printed."""
        self.runs(self.paragraph("toc_title"), "目　录", TITLE)
        entries = [e for e in self.outline.values() if e[0] <= self.toc_depth]
        first = self.paragraph(f"toc{entries[0][0]}" if entries else "toc1")
        field_open(first, f'TOC \\o "1-{self.toc_depth}" \\h \\z \\u', TOC_ENTRY, dirty=True)
        p = first
        for n, (level, text, anchor) in enumerate(entries):
            if n:
                p = self.add(f"toc{level}")
            link = el("w:hyperlink", anchor=anchor, history="1")
            p._p.append(link)
            run = p.add_run(text.replace("【", "").replace("】", ""))
            set_fonts(run._r.get_or_add_rPr(), TOC_ENTRY)
            link.append(run._r)
        field_close(p)

    def _table(self, block: Block, i: int) -> None:
        if self.d is None:
            raise TemplateError(f"文档要插入表格“{block.text}”，但没有给出公开表数据。")
        TableWriter(self, self.d, self._spec(self.d, block.text), i).write()

    @staticmethod
    def _spec(d: Disclosure, code: str) -> TableSpec:
        ts = d.template
        spec = ts.tables.get(code) or next((s for s in ts.tables.values() if code in s.code_aliases), None)
        if spec is None:
            raise TemplateError(f"文档要插入表格“{code}”，但模板 {ts.id} 中没有这张表（有：{'、'.join(ts.tables)}）。")
        return spec

