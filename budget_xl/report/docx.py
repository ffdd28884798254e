"""The Word writer: narrative blocks (narrative/document.py) → a .docx with the official-document look.

GB/T 9704 conventions: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 二号;
body 三号 仿宋 at a fixed line pitch of 28.95 pt (22 lines a page), first-line indent of exactly two
characters (w:firstLineChars); headings by level 黑体 / 楷体 / 仿宋 bold, indented like the body;
digits and Latin letters in Times New Roman; page number "— 1 —" centred in the footer.
Tables ([[table 附表4]], whole-disclosure document) are printed as the workbook publisher lays them
out (publish.table_grid, layout.header_cells), in 宋体, in a landscape section when too wide.

python-docx's `font.name` does not set the East-Asian font: every run, the styles and the document
defaults get `w:rFonts w:eastAsia` explicitly, and theme-font attributes (which override explicit
names) are removed, so Word, WPS and LibreOffice all show the intended fonts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from ..errors import TemplateError
from ..layout import header_cells, layout_columns
from ..model import Disclosure
from ..money import fmt
from ..narrative.document import PLACEHOLDER, Block
from ..templates import TableSpec
from ..text import cjk_width
from .grid import code_label, prints_empty, table_grid, table_unit
from .output import atomic_output

LATIN = "Times New Roman"
# GB/T 9704 titles are 方正小标宋简体, which no stock Windows, macOS, WPS or Linux installs: a run
# naming it shows in whatever font the application happens to substitute. 黑体 (SimHei) ships with
# every Windows since XP and with WPS, and fontconfig maps it to a CJK sans on Linux, so titles use it.
TITLE_FONT = "黑体"
# 仿宋_GB2312 / 楷体_GB2312 are not installed on Windows since Vista; 仿宋 (FangSong) and 楷体 (KaiTi)
# are, and WPS ships them too. LibreOffice without them falls back to a CJK serif, never to boxes.
BODY_FONT = "仿宋"
HEI, KAI, SONG = "黑体", "楷体", "宋体"

LINE = 28.95          # pt: 22 lines on the 225 mm high text area, as GB/T 9704 counts them
A4 = (210, 297)       # mm
PORTRAIT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MARGINS = {"top": 25, "bottom": 25, "left": 28, "right": 26}  # wide tables: width over depth
CELL_MARGIN = 57      # twips (1 mm) left and right inside table cells: wide tables need the room
CELL_PADDING = 2 * CELL_MARGIN / 20 + 2.0   # pt a column needs beyond its text
TOC_HINT = "（目录页码：在目录上单击右键，选择“更新域”即可生成）"


@dataclass(frozen=True)
class Look:
    east_asia: str
    size: float                 # pt
    bold: bool = False
    latin: str = LATIN


BODY = Look(BODY_FONT, 16)
# Heading looks by the narrative's own level: 一、 黑体, （一） 楷体, 1、 仿宋 bold (GB/T 9704 7.3.3).
HEADING_LOOKS = {1: Look(HEI, 16), 2: Look(KAI, 16), 3: Look(BODY_FONT, 16, bold=True)}
TITLE = Look(TITLE_FONT, 22)
PART = Look(TITLE_FONT, 22)
COVER = Look(TITLE_FONT, 26)                        # 一号
TOC_ENTRY = Look(BODY_FONT, 14)                    # 四号: the 目录 of a whole disclosure stays short
TABLE_TITLE = Look(SONG, 16, bold=True)
TABLE_NOTE = Look(SONG, 10.5)
FOOTER = Look(SONG, 14, latin=SONG)                 # 4号 半角宋体 page numbers
_INLINE = re.compile(r"(\*\*.+?\*\*|【[^】]*】)")


def write_docx(blocks: list[Block], target: Path, *, disclosure: Disclosure | None = None, force: bool = False,
               source: Path | None = None) -> Path:
    """Write the blocks as a Word document at `target` (atomic: a temporary file, then renamed;
    refuses an existing target without `force` and the input file always). Table blocks need the
    disclosure whose tables they print."""
    target = Path(target)
    with atomic_output(target, source=source, force=force) as tmp:
        build_document(blocks, disclosure).save(str(tmp))
    return target


def build_document(blocks: list[Block], disclosure: Disclosure | None = None):
    """The python-docx Document for the blocks (not saved)."""
    return _Writer(blocks, disclosure).write()


# --------------------------------------------------------------------------- low-level XML helpers
def _el(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def set_fonts(rpr, look: Look) -> None:
    """Explicit fonts on a w:rPr (of a run, a style or the document defaults): theme attributes are
    dropped because they win over explicit names; w:hint="eastAsia" makes ambiguous characters
    (“ ” — …) take the Chinese font, as Word does for text typed in Chinese."""
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith(("Theme", "theme")):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attr}"), look.latin)
    fonts.set(qn("w:eastAsia"), look.east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _indent_chars(ppr, first_line_chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars, hundredths of a character), so it is exactly
    two CJK characters whatever the font size; w:firstLine carries the same in twips for readers that
    ignore character units. A zero overrides an inherited indent."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(round(first_line_chars * size * 20)))


def _outline_level(ppr, level: int) -> None:
    """w:outlineLvl (0-based) on a paragraph or style: what the TOC field and navigation pane follow."""
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    ppr.insert_element_before(_el("w:outlineLvl", val=str(level - 1)),
                              "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _field_open(paragraph, instruction: str, look: Look) -> None:
    """The start of a complex field (PAGE, TOC): begin, instruction, separate. The cached result
    follows (it may run over several paragraphs, as a TOC's does), then _field_close."""
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    for child in (_el("w:fldChar", fldCharType="begin"), instr, _el("w:fldChar", fldCharType="separate")):
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), look)
        run._r.append(child)


def _field_close(paragraph) -> None:
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))


# --------------------------------------------------------------------------- styles and page set-up
def _reset_style(style) -> None:
    """Drop a built-in style's formatting (colours, theme fonts, borders, spacing) before restyling."""
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _paragraph_style(doc, name: str, look: Look, *, align: str = "justify", indent: int = 0,
                     line: float | None = LINE, before: float = 0, after: float = 0, outline: int | None = None,
                     keep_next: bool = False, style_id: str | None = None):
    """Create or restyle a paragraph style: fonts, size, alignment, indent, spacing. New styles get
    an ASCII id (the Chinese name is what users see), as Word and WPS write them."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        if style_id:
            style.style_id = style_id
    _reset_style(style)
    set_fonts(style.element.get_or_add_rPr(), look)
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    pf = style.paragraph_format
    pf.alignment = _align(align)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing, pf.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
    pf.keep_with_next = keep_next or None
    _indent_chars(style.element.get_or_add_pPr(), indent, look.size)
    if outline is not None:
        _outline_level(style.element.get_or_add_pPr(), outline)
    return style


def _align(name: str):
    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def _set_up_styles(doc, heading_offset: int) -> dict[str, str]:
    """Normal and the document defaults carry the body look (so text without a style still shows
    仿宋); built-in Heading n styles are restyled (the TOC field and navigation pane use them).
    Returns the style id for each kind of paragraph."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, BODY)
    lang = defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for fonts in doc.styles.element.iter(qn("w:rFonts")):   # no theme fonts anywhere (linked styles too)
        for attr in list(fonts.attrib):
            if attr.endswith(("Theme", "theme")):
                del fonts.attrib[attr]
    spacing = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for old in spacing.findall(qn("w:spacing")):   # Word 2007's 10 pt after / 1.15 lines: not ours
        spacing.remove(old)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    ids = {"body": _paragraph_style(doc, "Normal", BODY, indent=2).style_id}
    ids["title"] = _paragraph_style(doc, "Title", TITLE, align="center", line=36, after=LINE).style_id
    if heading_offset:
        ids["part"] = _paragraph_style(doc, "Heading 1", PART, align="center", line=36, after=LINE,
                                       outline=1, keep_next=True).style_id
    for level, look in HEADING_LOOKS.items():
        word_level = level + heading_offset
        ids[f"h{level}"] = _paragraph_style(doc, f"Heading {word_level}", look, indent=2, outline=word_level,
                                            keep_next=True).style_id
    ids["cover"] = _paragraph_style(doc, "封面", COVER, align="center", line=None, after=24, style_id="Cover").style_id
    ids["toc_title"] = _paragraph_style(doc, "目录标题", TITLE, align="center", line=36, after=LINE,
                                        style_id="TocTitle").style_id
    for level in (1, 2, 3):   # Word's own names for the TOC levels, so updating the field keeps the look
        style = _paragraph_style(doc, f"toc {level}", TOC_ENTRY, align="left", line=24, style_id=f"TOC{level}")
        style.paragraph_format.left_indent = Pt(TOC_ENTRY.size * 2 * (level - 1))
        style.paragraph_format.tab_stops.add_tab_stop(Pt(text_width_pt(False)), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)   # page numbers once updated
        ids[f"toc{level}"] = style.style_id
    ids["table_title"] = _paragraph_style(doc, "表标题", TABLE_TITLE, align="center", line=None, after=6,
                                          keep_next=True, style_id="TableTitle").style_id
    ids["table_note"] = _paragraph_style(doc, "表注", TABLE_NOTE, align="left", line=None, keep_next=True,
                                         style_id="TableNote").style_id
    ids["cell"] = _paragraph_style(doc, "表格文字", Look(SONG, 10), align="left", line=None,
                                   style_id="TableText").style_id
    ids["footer"] = _paragraph_style(doc, "Footer", FOOTER, align="center", line=None).style_id
    return ids


def _page(section, landscape: bool) -> None:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(height), Mm(width)) if landscape else (Mm(width), Mm(height))
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the text area (GB/T 9704 7.5).
    section.footer_distance = Mm(margins["bottom"] - 11)


def text_width_pt(landscape: bool) -> float:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    return ((height if landscape else width) - margins["left"] - margins["right"]) * 72 / 25.4


# --------------------------------------------------------------------------- the writer
class _Writer:
    def __init__(self, blocks: list[Block], disclosure: Disclosure | None):
        self.blocks = blocks
        self.d = disclosure
        self.doc = Document()
        self.has_parts = any(b.kind == "part" for b in blocks)
        self.heading_offset = 1 if self.has_parts else 0
        self.styles = _set_up_styles(self.doc, self.heading_offset)
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
                level, text = 2, self._spec(b.text).title
            else:
                continue
            out[i] = (level, text, f"_Toc{100000000 + i}")
        return out

    def write(self):
        section = self.doc.sections[0]
        _page(section, False)
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
                _page(self.doc.sections[0], True)
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
        _page(section, landscape)
        section.different_first_page_header_footer = False
        sect = section._sectPr
        for old in sect.findall(qn("w:pgNumType")):
            sect.remove(old)
        if restart:
            sect.insert_element_before(_el("w:pgNumType", start="1"), "w:cols", "w:formProt", "w:vAlign",
                                       "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                                       "w:docGrid", "w:printerSettings", "w:sectPrChange")
        self.landscape = landscape

    def _footer(self, section) -> None:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        _styled(p, self.styles["footer"])
        self._runs(p, "— ", FOOTER)
        _field_open(p, "PAGE", FOOTER)
        self._runs(p, "1", FOOTER)
        _field_close(p)
        self._runs(p, " —", FOOTER)

    def _paragraph(self, style_key: str, *, landscape: bool = False):
        brk = self._start(landscape)
        p = self._add(style_key)
        if brk:
            p.paragraph_format.page_break_before = True
        return p

    def _add(self, style_key: str):
        """A paragraph at the end of the document, in one of our styles (by id: python-docx's
        lookup by name walks every style and would dominate the time spent on tables)."""
        return _styled(self.doc.add_paragraph(), self.styles[style_key])

    # -- runs
    def _runs(self, paragraph, text: str, look: Look, bold: bool = False) -> None:
        """Text with **bold** and 【placeholders】 (highlighted yellow) as runs, each with its fonts."""
        for piece in _INLINE.split(text):
            if not piece:
                continue
            if len(piece) > 4 and piece.startswith("**") and piece.endswith("**"):
                self._runs(paragraph, piece[2:-2], look, bold=True)
                continue
            run = paragraph.add_run(piece)
            set_fonts(run._r.get_or_add_rPr(), look)
            if bold:
                run.bold = True
            if PLACEHOLDER.fullmatch(piece):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _bookmarked(self, paragraph, index: int, text: str, look: Look) -> None:
        entry = self.outline.get(index)
        if entry is None:
            self._runs(paragraph, text, look)
            return
        start = _el("w:bookmarkStart", id=str(index), name=entry[2])
        paragraph._p.append(start)
        self._runs(paragraph, text, look)
        paragraph._p.append(_el("w:bookmarkEnd", id=str(index)))
        if self.blocks[index].kind == "table":   # table titles have no heading style: outline level on the paragraph
            _outline_level(paragraph._p.get_or_add_pPr(), entry[0])

    # -- blocks
    def _title(self, block: Block, i: int) -> None:
        self._runs(self._paragraph("title"), block.text, TITLE)

    def _part(self, block: Block, i: int) -> None:
        self._bookmarked(self._paragraph("part"), i, block.text, PART)

    def _heading(self, block: Block, i: int) -> None:
        level = min(max(block.level, 1), 3)
        self._bookmarked(self._paragraph(f"h{level}"), i, block.text, HEADING_LOOKS[level])

    def _para(self, block: Block, i: int) -> None:
        self._runs(self._paragraph("body"), block.text, BODY)

    def _pagebreak(self, block: Block, i: int) -> None:
        if self.started:
            self.pending_break = True

    def _cover(self, block: Block, i: int) -> None:
        lines = [line for line in block.text.split("\n") if line.strip()]
        for n, line in enumerate(lines):
            p = self._paragraph("cover")
            if n == 0:
                p.paragraph_format.space_before = Pt(150)   # the name in the upper third of the page
            self._runs(p, line, COVER)
        self.after_cover = True

    def _toc(self, block: Block, i: int) -> None:
        """A real TOC field whose cached result already lists the headings (linked to their
        bookmarks), so the 目录 shows before anyone updates the field; updating adds page numbers."""
        self._runs(self._paragraph("toc_title"), "目　录", TITLE)
        entries = [e for e in self.outline.values() if e[0] <= self.toc_depth]
        first = self._paragraph(f"toc{entries[0][0]}" if entries else "toc1")
        _field_open(first, f'TOC \\o "1-{self.toc_depth}" \\h \\z \\u', TOC_ENTRY)
        p = first
        for n, (level, text, anchor) in enumerate(entries):
            if n:
                p = self._add(f"toc{level}")
            link = _el("w:hyperlink", anchor=anchor, history="1")
            p._p.append(link)
            run = p.add_run(text.replace("【", "").replace("】", ""))
            set_fonts(run._r.get_or_add_rPr(), TOC_ENTRY)
            link.append(run._r)
        last = self._add("toc1")
        self._runs(last, TOC_HINT, Look(BODY_FONT, 12))
        _field_close(last)

    def _table(self, block: Block, i: int) -> None:
        if self.d is None:
            raise TemplateError(f"文档要插入表格“{block.text}”，但没有给出公开表数据。")
        _TableWriter(self, self._spec(block.text), i).write()

    def _spec(self, code: str) -> TableSpec:
        ts = self.d.template
        spec = ts.tables.get(code) or next((s for s in ts.tables.values() if code in s.code_aliases), None)
        if spec is None:
            raise TemplateError(f"文档要插入表格“{code}”，但模板 {ts.id} 中没有这张表（有：{'、'.join(ts.tables)}）。")
        return spec


# --------------------------------------------------------------------------- tables
class _TableWriter:
    """One disclosure table as a Word table: code, title, 部门/年度/金额单位 line, the merged header
    from the template (repeated on every page), the printed rows, and the empty-table note."""

    def __init__(self, w: _Writer, spec: TableSpec, index: int):
        self.w, self.spec, self.index = w, spec, index
        d = w.d
        self.table = d.tables.get(spec.code)
        self.grid = table_grid(spec, self.table)
        self.cols = layout_columns(spec)
        self.n_header, self.header = header_cells(spec)
        self.texts = [[_cell_text(v) for v, _ in line] for line in self.grid]
        self.size, self.widths, self.landscape = self._fit()

    def _widths(self, size: float) -> tuple[list[float], list[float]]:
        """(natural, narrowest) width of each column in pt: amounts and codes never wrap; names may
        wrap down to ten characters; a header may wrap at three characters a line."""
        natural, narrow = [], []
        for c, col in enumerate(self.cols):
            data = 0.0
            for line, texts in zip(self.grid, self.texts):
                key = line[c][1]
                indent = int(key[-1]) if key.startswith("indent") else 0
                data = max(data, text_pt(texts[c], size, bold="bold" in key) + indent * size)
            head = min(max((text_pt(p, size, bold=True) for p in col.header[-1:]), default=0), 3 * size)
            wraps = col.role in ("label", "text", "unit")
            natural.append(max(data, head, 2 * size) + CELL_PADDING)
            narrow.append(max(min(data, 10 * size) if wraps else data, head, 2 * size) + CELL_PADDING)
        return natural, narrow

    def _fit(self) -> tuple[float, list[float], bool]:
        """Font size, column widths (pt) and orientation: the first of portrait 10 pt, landscape
        10 pt, landscape 9 pt where nothing wraps, else where names wrap; the table always spans
        the text width."""
        tries = [(10.0, False), (10.0, True), (9.0, True)]
        measured = {size: self._widths(size) for size in (10.0, 9.0)}
        for size, landscape in tries:
            natural, _ = measured[size]
            if sum(natural) <= text_width_pt(landscape):
                return size, _stretch(natural, text_width_pt(landscape)), landscape
        for size, landscape in tries:
            natural, narrow = measured[size]
            width = text_width_pt(landscape)
            if sum(narrow) <= width:
                give = [n - m for n, m in zip(natural, narrow)]   # names get the room there is
                spare, total = width - sum(narrow), sum(give) or 1
                return size, [m + spare * g / total for m, g in zip(narrow, give)], landscape
        return 9.0, _stretch(measured[9.0][1], text_width_pt(True)), True   # last resort: amounts wrap too

    def write(self) -> None:
        w, spec = self.w, self.spec
        code = w._paragraph("table_note", landscape=self.landscape)
        code.alignment = _align("right")
        w._runs(code, code_label(spec), TABLE_NOTE)
        title = w._add("table_title")
        w._bookmarked(title, self.index, spec.title, TABLE_TITLE)
        self._info_line()
        self._word_table()
        if prints_empty(self.table, self.grid):
            note = w._add("table_note")
            note.paragraph_format.space_before = Pt(6)
            w._runs(note, w.d.template.empty_note, TABLE_NOTE)

    def _info_line(self) -> None:
        """部门（单位）：… on the left, 年度 in the middle, 金额单位 on the right (tab stops at the table's edges)."""
        w, d = self.w, self.w.d
        p = w._add("table_note")
        width = sum(self.widths)
        left = f"部门（单位）：{d.department}" if d.department else ""
        middle = f"{d.year}年度" if d.year else ""
        right = f"金额单位：{table_unit(d, self.spec, self.table)}"
        tabs = p.paragraph_format.tab_stops
        if text_pt(left, TABLE_NOTE.size) + TABLE_NOTE.size < (width - text_pt(middle, TABLE_NOTE.size)) / 2:
            tabs.add_tab_stop(Pt(width / 2), WD_TAB_ALIGNMENT.CENTER)
            text = f"{left}\t{middle}\t{right}"
        else:   # a long department name would run past the centre: the year goes to the right
            text = f"{left}\t{middle}　{right}" if middle else f"{left}\t{right}"
        tabs.add_tab_stop(Pt(width), WD_TAB_ALIGNMENT.RIGHT)
        w._runs(p, text, TABLE_NOTE)

    def _word_table(self) -> None:
        w = self.w
        t = w.doc.add_table(rows=self.n_header, cols=len(self.cols))
        t.style = w.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False    # fixed layout: Word and LibreOffice keep the computed widths
        margins = _el("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(_el(f"w:{side}", w=str(CELL_MARGIN), type="dxa"))
        t._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(round(sum(self.widths) * 20)))
        t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:type"), "dxa")
        for col, width in zip(t.columns, self.widths):
            col.width = Pt(width)
        for row in t.rows:
            _header_row(row)
            for cell, width in zip(row.cells, self.widths):
                cell.width = Pt(width)
        for hc in self.header:
            cell = t.cell(hc.row, hc.col)
            if hc.merged:
                cell = cell.merge(t.cell(hc.last_row, hc.last_col))
            self._fill(cell, hc.text, "center", bold=True, shade=True)
        for line, texts in zip(self.grid, self.texts):
            row = t.add_row()
            _cant_split(row)
            for cell, (_, key), text in zip(row.cells, line, texts):
                if key.startswith("amount"):
                    self._fill(cell, text, "right", bold=key == "amount_bold")
                elif key == "text_center":
                    self._fill(cell, text, "center")
                else:
                    indent = int(key[-1]) if key.startswith("indent") else 0
                    self._fill(cell, text, "left", bold=key == "bold", indent=indent)

    def _fill(self, cell, text: str, align: str, *, bold: bool = False, indent: int = 0, shade: bool = False) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        _styled(p, self.w.styles["cell"])
        p.alignment = _align(align)
        if indent:
            p.paragraph_format.left_indent = Pt(self.size * indent)
        if shade:
            cell._tc.get_or_add_tcPr().insert_element_before(
                _el("w:shd", val="clear", color="auto", fill="F2F2F2"),
                "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
        if text:
            run = p.add_run(text)
            set_fonts(run._r.get_or_add_rPr(), Look(SONG, self.size))
            run.font.size = Pt(self.size)
            if bold:
                run.bold = True


def _styled(paragraph, style_id: str):
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _cell_text(value: object) -> str:
    if isinstance(value, Decimal):
        return fmt(value)
    return "" if value is None else str(value)


def text_pt(text: str, size: float, bold: bool = False) -> float:
    """Printed width of a text, in pt: CJK characters are one em; Times New Roman digits half an
    em, separators a quarter; bold a little wider."""
    em = sum(1.0 if w == 2 else (0.25 if ch in ",.:;'|!" else 0.55) for ch in text for w in (cjk_width(ch),))
    return em * size * (1.06 if bold else 1.0)


def _stretch(widths: list[float], width: float) -> list[float]:
    total = sum(widths) or 1
    return [x * width / total for x in widths]


def _header_row(row) -> None:
    """Header rows repeat at the top of every page (w:tblHeader) and are never split."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit"))
    tr_pr.append(_el("w:tblHeader"))


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(_el("w:cantSplit"))
