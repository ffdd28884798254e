"""The Word writer: GB/T 9704 page and fonts (East-Asian fonts set in the XML, not only font.name),
headings on Word's own styles, highlighted placeholders, disclosure tables laid out as published,
the whole-disclosure document in each family's official order, and atomic writes."""
import shutil
import subprocess

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt
from test_samples import BUDGET_2024_FIXED, FINAL_2024_FIXED

import budget_xl
from budget_xl.errors import InputError, TemplateError
from budget_xl.narrative.document import Block, parse_blocks
from budget_xl.narrative.full import chinese_number, full_document_blocks
from budget_xl.report.docx import write_docx

NARRATIVE = """# 大连市西岗区住房和城乡建设局2024年部门预算情况说明
## 一、2024年部门收支预算情况
2024年收入预算7251.15万元，比2023年减少4612.25万元，下降38.88%。主要原因：【请填写主要原因】。
### （一）一般公共预算支出预算总体情况
2024年一般公共预算支出预算2543.64万元，占本年支出预算合计的35.08%。
#### 1、城乡社区支出（类）
“三公”经费0万元，车辆【待填：车辆总数】辆。
## 名词解释
1．**财政拨款收入**：指财政当年拨付的资金。
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def budget():
    return budget_xl.read(BUDGET_2024_FIXED)


@pytest.fixture(scope="module")
def final():
    return budget_xl.read(FINAL_2024_FIXED)


@pytest.fixture(scope="module")
def narrative_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "说明.docx"
    write_docx(parse_blocks(NARRATIVE), path)
    return docx.Document(str(path))


def east_asia(rpr):
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def style_font(doc, name):
    return east_asia(doc.styles[name].element.find(qn("w:rPr")))


def text_runs(element):
    return [r for r in element.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t")))]


def run_text(r):
    return "".join(t.text or "" for t in r.iter(qn("w:t")))


# --------------------------------------------------------------------------- page, fonts, styles
def test_a4_page_with_gbt9704_margins(narrative_doc):
    s = narrative_doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]


def test_east_asian_fonts_in_defaults_styles_and_every_run(narrative_doc):
    doc = narrative_doc
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert east_asia(defaults) == "仿宋"
    assert style_font(doc, "Normal") == "仿宋"
    assert (style_font(doc, "Heading 1"), style_font(doc, "Heading 2"), style_font(doc, "Heading 3")) == ("黑体", "楷体", "仿宋")
    assert doc.styles["Heading 3"].font.bold and not doc.styles["Heading 1"].font.bold
    assert style_font(doc, "Title") == "黑体" and doc.styles["Title"].font.size == Pt(22)
    # Theme fonts would override the names: none are left anywhere in styles.xml.
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        assert not [a for a in fonts.attrib if a.endswith(("Theme", "theme"))]
    runs = text_runs(doc.element.body)
    assert runs and all(east_asia(r.find(qn("w:rPr"))) for r in runs)
    assert all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman" for r in runs)


def test_body_paragraph_look(narrative_doc):
    normal = narrative_doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    ind = normal.element.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"     # exactly two characters


def test_headings_use_words_heading_styles(narrative_doc):
    by_style = {p.text: p.style.name for p in narrative_doc.paragraphs}
    assert by_style["大连市西岗区住房和城乡建设局2024年部门预算情况说明"] == "Title"
    assert by_style["一、2024年部门收支预算情况"] == "Heading 1"
    assert by_style["（一）一般公共预算支出预算总体情况"] == "Heading 2"
    assert by_style["1、城乡社区支出（类）"] == "Heading 3"
    assert by_style["名词解释"] == "Heading 1"
    levels = {s: narrative_doc.styles[s].element.find(qn("w:pPr")).find(qn("w:outlineLvl")).get(qn("w:val"))
              for s in ("Heading 1", "Heading 2", "Heading 3")}
    assert levels == {"Heading 1": "0", "Heading 2": "1", "Heading 3": "2"}


def test_placeholders_highlighted_and_bold_runs(narrative_doc):
    runs = [r for p in narrative_doc.paragraphs for r in p.runs if r.text]
    highlighted = [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted == ["【请填写主要原因】", "【待填：车辆总数】"]
    assert [r.text for r in runs if r.bold] == ["财政拨款收入"]
    glossary = next(p for p in narrative_doc.paragraphs if p.text.startswith("1．"))
    assert glossary.text == "1．财政拨款收入：指财政当年拨付的资金。"    # the ** markers are gone


def test_page_number_field_in_footer(narrative_doc):
    footer = narrative_doc.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
    assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.paragraphs[0].style.paragraph_format.alignment == 1   # centred


def test_page_break_starts_the_next_paragraph_on_a_new_page(tmp_path):
    path = write_docx(parse_blocks("第一段\n[[pagebreak]]\n第二段"), tmp_path / "a.docx")
    paras = docx.Document(str(path)).paragraphs
    assert [p.text for p in paras] == ["第一段", "第二段"]
    assert paras[1].paragraph_format.page_break_before and not paras[0].paragraph_format.page_break_before


# --------------------------------------------------------------------------- tables
@pytest.fixture(scope="module")
def tables_doc(tmp_path_factory, budget):
    path = tmp_path_factory.mktemp("docx") / "表.docx"
    blocks = [Block("para", "正文。"), Block("table", "附表4"), Block("pagebreak"), Block("table", "附表9"),
              Block("pagebreak"), Block("table", "附表12"), Block("para", "表后正文。")]
    write_docx(blocks, path, disclosure=budget)
    return docx.Document(str(path))


def cell_texts(table):
    return [[c.text for c in row.cells] for row in table.rows]


def disclosure_tables(doc) -> list[list]:
    """The Word tables of each disclosure table: a table of units runs over several, one a page, each
    after a page-break paragraph; their rows read as one table (repeated headers and the “（续）” rows
    that say the unit again left out)."""
    groups: list[list] = []
    joined = False
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            table = docx.table.Table(child, doc._body)
            if joined and groups:
                groups[-1].append(table)
            else:
                groups.append([table])
            joined = False
        elif child.tag == qn("w:p"):
            gap = child.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None and not "".join(child.itertext())
            joined = gap and bool(groups) and not joined
    return groups


def printed_rows(tables) -> list[list[str]]:
    """The rows of a disclosure table's Word tables as one: header once, no “（续）” rows."""
    rows = cell_texts(tables[0])
    for t in tables[1:]:
        body = [r for r, row in zip(cell_texts(t), t.rows) if row._tr.trPr is None or
                row._tr.trPr.find(qn("w:tblHeader")) is None]
        rows += [r for r in body if not r[0].endswith("（续）")]
    return rows


def test_table_header_merged_as_published(tables_doc):
    t = tables_doc.tables[0]
    rows = cell_texts(t)
    assert rows[0] == ["预算单位/支出功能分类科目", "合计", "财政拨款", "财政拨款", "财政拨款", "国有资本经营预算", "财政专户管理资金"]
    assert rows[1] == ["预算单位/支出功能分类科目", "合计", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金"]
    first = t.rows[0]._tr
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in first.tc_lst]
    assert [s.get(qn("w:val")) if s is not None else "1" for s in spans] == ["1", "1", "3", "1", "1"]
    assert t.rows[1]._tr.tc_lst[0].tcPr.find(qn("w:vMerge")) is not None      # merged down
    for row in t.rows[:2]:   # header rows repeat on every page
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert t.rows[2]._tr.trPr is None or t.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None


def test_table_amounts_in_the_right_cells(tables_doc, budget):
    rows = {r[0]: r[1:] for r in printed_rows(disclosure_tables(tables_doc)[0])[2:]}
    assert rows["合计"] == ["72,511,453.98", "52,036,453.98", "25,436,453.98", "26,600,000.00", "", "20,475,000.00"]
    assert rows["2120101-行政运行"] == ["4,156,837.57", "4,156,837.57", "4,156,837.57", "", "", ""]
    assert rows["2120803-城市建设支出"] == ["26,600,000.00", "26,600,000.00", "", "26,600,000.00", "", ""]
    # Every row of the disclosure is printed, in order, with every amount.
    printed = printed_rows(disclosure_tables(tables_doc)[0])[2:]
    table = budget["附表4"]
    assert [r[0] for r in printed] == [r.label for r in table.rows]
    assert [r[1] for r in printed] == [f"{r.amounts['total']:,.2f}" for r in table.rows]


def test_table_rows_styled_by_level(tables_doc):
    t = tables_doc.tables[0]
    by_label = {row.cells[0].text: row for row in t.rows[2:]}

    def label_run(label):
        return by_label[label].cells[0].paragraphs[0].runs[0]

    assert label_run("208-社会保障和就业支出").bold                       # 类 bold
    assert not label_run("2080501-行政单位离退休").bold
    indent = {lab: by_label[lab].cells[0].paragraphs[0].paragraph_format.left_indent or 0
              for lab in ("208-社会保障和就业支出", "20805-行政事业单位养老支出", "2080501-行政单位离退休")}
    assert indent["208-社会保障和就业支出"] < indent["20805-行政事业单位养老支出"] < indent["2080501-行政单位离退休"]
    amount = by_label["合计"].cells[1].paragraphs[0]
    assert amount.alignment == 2 and amount.runs[0].bold                   # right-aligned, totals bold
    assert east_asia(amount.runs[0]._r.find(qn("w:rPr"))) == "宋体"
    assert 9 <= amount.runs[0].font.size.pt <= 10.5


def test_item_table_prints_sequence_numbers_as_typed(tables_doc):
    rows = printed_rows(disclosure_tables(tables_doc)[2])
    assert rows[2][:3] == ["", "", "合 计"]
    assert [r[0] for r in rows[3:6]] == ["1", "2", "3"]        # not "1.0" (the workbook holds numbers)
    assert rows[3][2] == "新云巷危房安全监测费"


def test_table_title_code_and_unit_lines(tables_doc):
    texts = [p.text for p in tables_doc.paragraphs]
    i = texts.index("支出功能分类预算表")
    assert texts[i - 1] == "附表4"
    assert texts[i + 1] == "部门（单位）：145-大连市西岗区住房和城乡建设局\t2024年度\t金额单位：元"
    title = tables_doc.paragraphs[i].style
    assert title.paragraph_format.alignment == 1 and title.font.bold and title.font.size == Pt(16)
    assert tables_doc.paragraphs[i - 1].alignment == 2                       # the code at the right


def test_empty_table_keeps_its_official_note(tables_doc):
    texts = [p.text for p in tables_doc.paragraphs]
    i = texts.index("一般公共预算“三公”经费支出预算表")
    assert "本年度未产生与该表相关的预决算数据" in texts[i:]
    assert texts.count("本年度未产生与该表相关的预决算数据") == 1        # 附表4 has data: no note there
    assert printed_rows(disclosure_tables(tables_doc)[1])[-1][1:] == ["", "", "", "", "", ""]


def test_wide_table_in_a_landscape_section_then_back_to_portrait(tables_doc):
    sections = tables_doc.sections
    orientation = [s.page_width > s.page_height for s in sections]
    assert orientation[0] is False and True in orientation and orientation[-1] is False
    assert all(s.footer.is_linked_to_previous for s in sections[1:])      # page numbers carry on


def test_a_table_the_workbook_lacks_prints_empty_with_its_note(tmp_path, budget):
    from dataclasses import replace

    without = replace(budget, tables={k: v for k, v in budget.tables.items() if k != "附表12"})
    doc = docx.Document(str(write_docx([Block("table", "附表12")], tmp_path / "a.docx", disclosure=without)))
    assert [p.text for p in doc.paragraphs][-1] == "本年度未产生与该表相关的预决算数据"
    assert "项目支出表" in [p.text for p in doc.paragraphs] and len(doc.tables[0].rows) == 2   # the header only


def test_table_needs_the_disclosure_and_a_known_code(tmp_path, budget):
    with pytest.raises(TemplateError, match="没有给出公开表数据"):
        write_docx([Block("table", "附表4")], tmp_path / "a.docx")
    with pytest.raises(TemplateError, match="附表99"):
        write_docx([Block("table", "附表99")], tmp_path / "b.docx", disclosure=budget)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- the whole disclosure
def parts(blocks):
    return [b.text for b in blocks if b.kind == "part"]


def test_full_budget_document_follows_seed_000(budget):
    blocks = full_document_blocks(budget, parse_blocks(NARRATIVE), {"部门职责": "（一）贯彻执行……\n（二）承担……"})
    assert blocks[0] == Block("cover", "大连市西岗区住房和城乡建设局\n2024年度部门预算")
    assert [b.kind for b in blocks[1:3]] == ["pagebreak", "toc"]
    assert parts(blocks) == ["第一部分　部门概况", "第二部分　2024年部门预算表",
                             "第三部分　大连市西岗区住房和城乡建设局2024年部门预算情况说明", "第四部分　名词解释"]
    texts = [b.text for b in blocks]
    assert texts[texts.index("一、主要职责") + 1: texts.index("二、部门预算单位构成")] == ["（一）贯彻执行……", "（二）承担……"]
    assert texts[texts.index("二、部门预算单位构成") + 1] == ("纳入大连市西岗区住房和城乡建设局2024年部门预算编制范围的单位共2家："
                                                         "大连市西岗区住房和城乡建设局（本级）、大连市西岗区住房城市建设事务服务中心。")   # from the tables
    tables = [b.text for b in blocks if b.kind == "table"]
    assert tables == list(budget.template.tables)                          # all 14, in the template's order
    assert all(blocks[i - 1].kind == "pagebreak" for i, b in enumerate(blocks) if b.kind == "table")
    assert "十四、政府购买服务预算表" in texts
    glossary = texts[texts.index("第四部分　名词解释") + 1:]
    assert glossary == ["1．**财政拨款收入**：指财政当年拨付的资金。"]
    assert not any(b.kind == "heading" and "名词解释" in b.text for b in blocks)   # the heading became the part
    assert not any(b.kind == "title" for b in blocks)


def test_full_final_document_follows_seed_002(final):
    blocks = full_document_blocks(final, [Block("heading", "一、收入支出决算总体情况说明", 1)], {})
    assert blocks[0].text == "大连市西岗区人民政府办公室\n2024年度部门决算"
    assert parts(blocks) == ["第一部分　部门概况", "第二部分　2024年度部门决算情况说明", "第三部分　名词解释",
                             "第四部分　2024年度部门决算表"]
    texts = [b.text for b in blocks]
    assert "一、主要职能" in texts and "【待填：部门主要职能】" in texts
    assert texts[texts.index("第三部分　名词解释") + 1] == "【待填：名词解释】"   # no glossary in the narrative
    assert [b.text for b in blocks if b.kind == "table"] == list(final.template.tables)


def test_a_malformed_layout_file_is_a_clear_error(tmp_path):
    from budget_xl.narrative.full import load_layout

    bad = tmp_path / "部门预算.yaml"
    bad.write_text("cover: x\nparts:\n  - content: 附表\n    title: 表\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="第 1 部分应有 content"):
        load_layout(bad)
    bad.write_text("cover: '{单位}'\nparts: []\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="只能用"):
        load_layout(bad)


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 14, 20, 23)] == ["一", "九", "十", "十一", "十四", "二十", "二十三"]


def test_cover_and_part_directives_parse():
    assert parse_blocks("[[cover 某某局 | 2024年度部门预算]]\n[[part 第一部分 部门概况]]") == [
        Block("cover", "某某局\n2024年度部门预算"), Block("part", "第一部分 部门概况")]


@pytest.fixture(scope="module")
def full_doc(tmp_path_factory, budget):
    path = tmp_path_factory.mktemp("docx") / "全文.docx"
    write_docx(full_document_blocks(budget, parse_blocks(NARRATIVE), {}), path, disclosure=budget)
    return path


def test_full_document_toc_field_lists_parts_headings_and_tables(full_doc):
    doc = docx.Document(str(full_doc))
    body = doc.element.body
    instr = "".join(t.text for t in body.iter(qn("w:instrText")))
    assert instr.strip() == 'TOC \\o "1-2" \\h \\z \\u'
    links = list(body.iter(qn("w:hyperlink")))
    entries = [run_text(h) for h in links]
    assert entries[:3] == ["第一部分　部门概况", "一、主要职责", "二、部门预算单位构成"]
    assert "支出功能分类预算表" in entries and "第四部分　名词解释" in entries
    assert "（一）一般公共预算支出预算总体情况" not in entries                 # two levels, as the seeds print
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert {h.get(qn("w:anchor")) for h in links} <= bookmarks
    by_text = {p.text: p for p in doc.paragraphs}
    assert by_text["第一部分　部门概况"].style.name == "Heading 1"
    assert by_text["一、2024年部门收支预算情况"].style.name == "Heading 2"      # one level below the parts
    assert by_text["（一）一般公共预算支出预算总体情况"].style.name == "Heading 3"
    assert style_font(doc, "Heading 2") == "黑体" and style_font(doc, "Heading 3") == "楷体"
    # Word and WPS update the field on open (it is dirty, and the settings ask for it): no instruction is printed.
    assert not any(w in "".join(p.text for p in doc.paragraphs) for w in ("右键", "更新域", "目录页码"))
    begin = next(body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:fldCharType")) == "begin" and begin.get(qn("w:dirty")) == "true"
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert doc.settings.element.find(qn("w:savePreviewPicture")) is None
    fonts = {f.get(qn("w:name")): f for f in doc.part.part_related_by(RT.FONT_TABLE).element}
    assert set(fonts) == {"Times New Roman", "宋体", "仿宋", "黑体", "楷体"}        # no Mac fonts of the template
    assert fonts["仿宋"].find(qn("w:altName")).get(qn("w:val")) == "FangSong"
    assert fonts["黑体"].find(qn("w:charset")).get(qn("w:val")) == "86"          # GB2312


def test_full_document_cover_has_no_page_number_and_numbering_restarts(full_doc):
    doc = docx.Document(str(full_doc))
    first, second = doc.sections[0], doc.sections[1]
    assert first.different_first_page_header_footer and not second.different_first_page_header_footer
    assert second._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in doc.sections[2:])
    assert len(disclosure_tables(doc)) == 14


# --------------------------------------------------------------------------- writing safely
def test_refuses_an_existing_target_without_force(tmp_path):
    target = tmp_path / "说明.docx"
    target.write_bytes(b"old")
    with pytest.raises(InputError, match="已存在"):
        write_docx(parse_blocks("正文"), target)
    assert target.read_bytes() == b"old"
    write_docx(parse_blocks("正文"), target, force=True)
    assert docx.Document(str(target)).paragraphs[0].text == "正文"


def test_never_writes_over_the_input(tmp_path):
    source = tmp_path / "附表.xlsx"
    source.write_bytes(b"input")
    with pytest.raises(InputError, match="输入文件"):
        write_docx(parse_blocks("正文"), source, source=source, force=True)
    assert source.read_bytes() == b"input"


def test_no_partial_file_on_error(tmp_path, budget, monkeypatch):
    import budget_xl.report.docx_table as writer

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "table_grid", broken)
    with pytest.raises(RuntimeError):
        write_docx([Block("para", "正文"), Block("table", "附表4")], tmp_path / "说明.docx", disclosure=budget)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- a real office suite
def test_opens_in_libreoffice(tmp_path, full_doc):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed here (../shared/tools/office-render installs it)")
    res = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(full_doc)], capture_output=True,
                         timeout=180)
    pdf = tmp_path / "全文.pdf"
    assert res.returncode == 0 and pdf.stat().st_size > 50_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "支出功能分类预算表" in text and "72,511,453.98" in text
        assert "本年度未产生与该表相关的预决算数据" in text
        assert text.count("\f") >= 20      # cover, 目录, parts and 14 tables on their own pages


# DejaVu Serif, what LibreOffice on Linux prints for Times New Roman when it is not installed: the widest
# font the digits of a table may meet (em widths of a digit and of “,” “.”; bold about 8% wider).
WIDE_DIGIT, WIDE_SEPARATOR = 0.636, 0.318


def test_table_amounts_fit_their_columns_in_the_widest_stand_in_font(tmp_path, final, budget):
    """An amount never wraps mid-number (“25,436,453.9 / 8”): every amount cell of every table of both
    sets is wide enough for its text in DejaVu Serif at the table's size, cell margins included."""
    for d in (final, budget):
        path = tmp_path / f"{d.kind}.docx"
        write_docx([Block("table", code) for code in d.template.tables], path, disclosure=d)
        doc = docx.Document(str(path))
        for table in doc.tables:
            grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
            for row in table.rows:
                for width, cell in zip(grid, row.cells):
                    text = cell.text
                    if not text or not all(ch.isdigit() or ch in ",.-" for ch in text):
                        continue
                    run = cell.paragraphs[0].runs[0]
                    em = sum(WIDE_SEPARATOR if ch in ",." else WIDE_DIGIT for ch in text) * (1.08 if run.bold else 1)
                    assert em * run.font.size.pt + 2 * 57 / 20 <= width, (d.kind, text, width)


def test_a_table_of_units_says_the_unit_at_the_top_of_each_page(tables_doc):
    """附表4 runs over two pages: the second starts with its unit's row (“…（续）” when it continues one),
    under the repeated header; the unit rows are bold and shaded."""
    pieces = disclosure_tables(tables_doc)[0]
    assert len(pieces) >= 2
    for t in pieces[1:]:
        first = next(row for row in t.rows if row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None)
        assert first.cells[0].text.startswith(("145001-", "145002-")), first.cells[0].text
        shade = first.cells[0]._tc.tcPr.find(qn("w:shd"))
        assert shade is not None and shade.get(qn("w:fill")) == "EDEDED"
