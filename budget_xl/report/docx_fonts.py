"""The font table and settings of the Word documents: the fonts named as a Chinese Windows Word writes
them, so Word and WPS find SimSun, FangSong, SimHei and KaiTi under their Chinese names (and the
English ones as w:altName), with the GB2312 character set and the PANOSE classes that tell a
substituting application a 宋体/仿宋/楷体 is a serif and a 黑体 a sans. python-docx's default template
lists Mac fonts (ＭＳ 明朝, Cambria …) instead, and asks Word to save a preview picture.
"""
from __future__ import annotations

from typing import NamedTuple

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .docx_look import BODY_FONT, HEI, KAI, LATIN, SONG, el

# python-docx keeps the font table as opaque bytes; registered as an XML part (its documented way to
# add part types) it is parsed on load and written back from its element on save.
PartFactory.part_type_for.setdefault(CT.WML_FONT_TABLE, XmlPart)


class FontEntry(NamedTuple):
    name: str
    alt: str         # the English name Windows also knows it by
    panose: str
    charset: str     # 86: GB2312 (Simplified Chinese); 00: ANSI
    family: str      # roman (serif) / modern (fixed pitch) / swiss (sans) / auto
    pitch: str
    sig: tuple[str, str, str, str, str, str]


_CJK_SIG = ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")
_CJK_FIXED_SIG = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
FONTS = (
    FontEntry(LATIN, "", "02020603050405020304", "00", "roman", "variable",
              ("E0002AFF", "C0007841", "00000009", "00000000", "000001FF", "00000000")),
    FontEntry(SONG, "SimSun", "02010600030101010101", "86", "auto", "variable", _CJK_SIG),
    FontEntry(BODY_FONT, "FangSong", "02010609060101010101", "86", "modern", "fixed", _CJK_FIXED_SIG),
    FontEntry(HEI, "SimHei", "02010609060101010101", "86", "modern", "fixed", _CJK_FIXED_SIG),
    FontEntry(KAI, "KaiTi", "02010609060101010101", "86", "modern", "fixed", _CJK_FIXED_SIG),
)


def set_font_table(doc) -> None:
    """Replace the font table with the fonts the document uses, as Chinese Windows Word writes them."""
    part = doc.part.part_related_by(_FONT_TABLE) if _has_font_table(doc) else None
    if not isinstance(part, XmlPart):
        return
    table = part.element
    for font in list(table):
        table.remove(font)
    for f in FONTS:
        font = el("w:font", name=f.name)
        if f.alt:
            font.append(el("w:altName", val=f.alt))
        font.append(el("w:panose1", val=f.panose))
        font.append(el("w:charset", val=f.charset))
        font.append(el("w:family", val=f.family))
        font.append(el("w:pitch", val=f.pitch))
        font.append(el("w:sig", usb0=f.sig[0], usb1=f.sig[1], usb2=f.sig[2], usb3=f.sig[3], csb0=f.sig[4],
                       csb1=f.sig[5]))
        table.append(font)


def update_fields_on_open(doc) -> None:
    """Word and WPS update the fields (the 目录's entries and page numbers) when the document opens;
    no preview picture is saved with it."""
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:updateFields"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    # CT_Settings' schema order: w:updateFields comes before w:hdrShapeDefaults / w:footnotePr / w:compat.
    anchor = next((settings.find(qn(t)) for t in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
                                                    "w:docVars", "w:rsids") if settings.find(qn(t)) is not None), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)


_FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"


def _has_font_table(doc) -> bool:
    return any(rel.reltype == _FONT_TABLE for rel in doc.part.rels.values())
