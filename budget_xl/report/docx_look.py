"""The official-document look of the Word writer: fonts, sizes, line pitch, margins, paragraph
styles, fields and the low-level XML python-docx has no API for.

GB/T 9704 conventions: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 二号;
body 三号 仿宋 at a fixed line pitch of 28.95 pt (22 lines a page), first-line indent of exactly two
characters (w:firstLineChars); headings by level 黑体 / 楷体 / 仿宋 bold, indented like the body;
digits and Latin letters in Times New Roman.

python-docx's `font.name` does not set the East-Asian font: every run, the styles and the document
defaults get `w:rFonts w:eastAsia` explicitly, and theme-font attributes (which override explicit
names) are removed, so Word, WPS and LibreOffice all show the intended fonts.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..text import cjk_width

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


def el(tag: str, **attrs: str):
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


def indent_chars(ppr, first_line_chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars, hundredths of a character), so it is exactly
    two CJK characters whatever the font size; w:firstLine carries the same in twips for readers that
    ignore character units. A zero overrides an inherited indent."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(round(first_line_chars * size * 20)))


def outline_level(ppr, level: int) -> None:
    """w:outlineLvl (0-based) on a paragraph or style: what the TOC field and navigation pane follow."""
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    ppr.insert_element_before(el("w:outlineLvl", val=str(level - 1)),
                              "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def field_open(paragraph, instruction: str, look: Look, dirty: bool = False) -> None:
    """The start of a complex field (PAGE, TOC): begin, instruction, separate. The cached result
    follows (it may run over several paragraphs, as a TOC's does), then field_close. A `dirty`
    field is recomputed by Word when the document opens."""
    instr = el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    begin = el("w:fldChar", fldCharType="begin", **({"dirty": "true"} if dirty else {}))
    for child in (begin, instr, el("w:fldChar", fldCharType="separate")):
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), look)
        run._r.append(child)


def field_close(paragraph) -> None:
    paragraph.add_run()._r.append(el("w:fldChar", fldCharType="end"))


# --------------------------------------------------------------------------- styles and page set-up
def reset_style(style) -> None:
    """Drop a built-in style's formatting (colours, theme fonts, borders, spacing) before restyling."""
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def paragraph_style(doc, name: str, look: Look, *, align: str = "justify", indent: int = 0,
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
    reset_style(style)
    set_fonts(style.element.get_or_add_rPr(), look)
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    pf = style.paragraph_format
    pf.alignment = alignment(align)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing, pf.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
    pf.keep_with_next = keep_next or None
    indent_chars(style.element.get_or_add_pPr(), indent, look.size)
    if outline is not None:
        outline_level(style.element.get_or_add_pPr(), outline)
    return style


def alignment(name: str):
    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def set_up_styles(doc, heading_offset: int) -> dict[str, str]:
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

    # Flush left, not justified: a justified line whose next word is a number too long to fit spreads
    # its characters apart (“大 连 市 西 岗 区 …”), in Word, WPS and LibreOffice alike.
    ids = {"body": paragraph_style(doc, "Normal", BODY, align="left", indent=2).style_id}
    ids["title"] = paragraph_style(doc, "Title", TITLE, align="center", line=36, after=LINE).style_id
    if heading_offset:
        ids["part"] = paragraph_style(doc, "Heading 1", PART, align="center", line=36, after=LINE,
                                       outline=1, keep_next=True).style_id
    for level, look in HEADING_LOOKS.items():
        word_level = level + heading_offset
        ids[f"h{level}"] = paragraph_style(doc, f"Heading {word_level}", look, align="left", indent=2,
                                            outline=word_level, keep_next=True).style_id
    ids["cover"] = paragraph_style(doc, "封面", COVER, align="center", line=None, after=24, style_id="Cover").style_id
    ids["toc_title"] = paragraph_style(doc, "目录标题", TITLE, align="center", line=36, after=LINE,
                                        style_id="TocTitle").style_id
    for level in (1, 2, 3):   # Word's own names for the TOC levels, so updating the field keeps the look
        style = paragraph_style(doc, f"toc {level}", TOC_ENTRY, align="left", line=24, style_id=f"TOC{level}")
        style.paragraph_format.left_indent = Pt(TOC_ENTRY.size * 2 * (level - 1))
        style.paragraph_format.tab_stops.add_tab_stop(Pt(text_width_pt(False)), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)   # page numbers once updated
        ids[f"toc{level}"] = style.style_id
    ids["table_title"] = paragraph_style(doc, "表标题", TABLE_TITLE, align="center", line=None, after=6,
                                          keep_next=True, style_id="TableTitle").style_id
    ids["table_note"] = paragraph_style(doc, "表注", TABLE_NOTE, align="left", line=None, keep_next=True,
                                         style_id="TableNote").style_id
    ids["cell"] = paragraph_style(doc, "表格文字", Look(SONG, 10), align="left", line=None,
                                   style_id="TableText").style_id
    ids["footer"] = paragraph_style(doc, "Footer", FOOTER, align="center", line=None).style_id
    return ids


def set_page(section, landscape: bool) -> None:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(height), Mm(width)) if landscape else (Mm(width), Mm(height))
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the text area (GB/T 9704 7.5).
    section.footer_distance = Mm(margins["bottom"] - 11)


def text_height_pt(landscape: bool) -> float:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    return ((width if landscape else height) - margins["top"] - margins["bottom"]) * 72 / 25.4


def text_width_pt(landscape: bool) -> float:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    return ((height if landscape else width) - margins["left"] - margins["right"]) * 72 / 25.4


# --------------------------------------------------------------------------- the writer

def styled(paragraph, style_id: str):
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


# Widths (em) of a digit and a separator, taken wide enough for any font that may stand in for Times
# New Roman (0.50 / 0.25): DejaVu Serif, what Linux draws without it, is 0.64 / 0.32 — a column sized
# for Times New Roman would wrap its amounts there ("25,436,453.9 / 8").
DIGIT_EM, SEPARATOR_EM, LATIN_EM = 0.64, 0.32, 0.62


def text_pt(text: str, size: float, bold: bool = False) -> float:
    """Printed width of a text, in pt: CJK characters are one em; digits and Latin letters as wide
    as the widest font that may print them; bold a little wider."""
    em = sum(1.0 if cjk_width(ch) == 2 else SEPARATOR_EM if ch in ",.:;'|!" else DIGIT_EM if ch.isdigit() else LATIN_EM
             for ch in text)
    return em * size * (1.08 if bold else 1.0)


def header_row(row) -> None:
    """Header rows repeat at the top of every page (w:tblHeader) and are never split."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(el("w:cantSplit"))
    tr_pr.append(el("w:tblHeader"))


def cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(el("w:cantSplit"))
