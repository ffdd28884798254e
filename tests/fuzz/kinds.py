"""Generators for the workbook kinds added after the first campaign, where their readers have cells
of their own: the percentage columns of 政府预算 (增长%, 增减率), the 明细 line-item sheet (one row a
line: unit, codes, fund type, amount), and the 绩效 forms (merged label blocks, weights and scores).
Registered in families.FAMILIES like the others (imported at the end of families.py)."""
from __future__ import annotations

import random
import re

from .families import TEXT_AMOUNTS, Case, Sources, _zip, family
from .sheetxml import Book, Cell, col_letters, col_number, number_cell, text_cell, xml_text

# --------------------------------------------------------------------------- percentages (政府预算)
PERCENT_TEXT = ["12.3%", "-1.0%", "(3.2)", "（3.2）", "—", "——", "-", "增长12.3%", "下降3.2%", "持平", "增长", "1e400%",
                "inf%", "-inf%", "NaN%", "nan", "Infinity", "9" * 400 + "%", "1e308%", "1e-400%", "12.3.4%", "%", "%%",
                "１２．３％", "−3.2%", "12,3%", "↑5%", "12.3 %", "12.3‰", "0x10%", "=1+1", "+12.3%", "(-3.2)", "()",
                "增长-5%", "下降−0%", "不适用", "100%+", "12.3%%", "1/3", "五成", " ", "\u00a0%", "1" + "0" * 30 + "%"]
PERCENT_NUMBERS = [b"inf", b"-inf", b"NaN", b"1e308", b"-1e308", b"9.99e307", b"1e-320", b"4.9e-324", b"0.123", b"12.3",
                   b"123456789012345678901234567890", b"1e30", b"-0", b"1E+20", b"0.1234567890123456789"]
PERCENT_HEADERS = ("率", "%", "％", "增长", "增减", "为上年", "完成")


def _percent_cells(book: Book, rng: random.Random) -> tuple[str, list[Cell]]:
    """A sheet with a percentage column and the cells under its header (any sheet's cells when none)."""
    found: list[tuple[str, list[Cell]]] = []
    for _, member in book.sheets():
        cells = book.cells(member)
        heads = [c for c in cells if c.is_text and c.row <= 8 and any(h in book.text_of(c) for h in PERCENT_HEADERS)
                 and len(book.text_of(c)) < 16]
        for head in heads:
            below = [c for c in cells if c.col == head.col and head.row < c.row <= head.row + 40]
            if below:
                found.append((member, below))
    if found:
        return rng.choice(found)
    member = rng.choice([m for _, m in book.sheets()])
    return member, [c for c in book.cells(member) if c.row > 4]


@family("percent", 4)
def percent_cells(rng: random.Random, src: Sources) -> Case:
    """Percentage cells of a 政府预算 as clerks and exporters write them, and as no one should."""
    key, book = src.book(rng, ("gov", "gov-2023", "gov-2023"))
    member, cells = _percent_cells(book, rng)
    chosen = sorted(rng.sample(cells, min(len(cells), rng.choice((1, 1, 2, 5)))), key=lambda c: -c.span[0])
    as_number = rng.random() < 0.35
    values = []
    for cell in chosen:
        if as_number:
            value = rng.choice(PERCENT_NUMBERS)
            book.set_cell(member, cell, number_cell(cell, value))
            values.append(value.decode())
        else:
            text = rng.choice(PERCENT_TEXT)
            book.set_cell(member, cell, text_cell(book, cell, xml_text(text)))
            values.append(text[:12])
    return Case("percent", f"percent {'numbers' if as_number else 'text'} {values} in {member} ({key})", _zip(book))


@family("percent", 2)
def wan_amounts(rng: random.Random, src: Sources) -> Case:
    """Whole-万元 tables of a 政府预算 given decimals, text, huge and negative amounts."""
    key, book = src.book(rng, ("gov", "gov-2023"))
    members = [m for n, m in book.sheets() if n != "目录"]
    member = rng.choice(members)
    cells = [c for c in book.cells(member) if c.is_number] or book.cells(member)
    for cell in sorted(rng.sample(cells, min(len(cells), rng.choice((1, 3)))), key=lambda c: -c.span[0]):
        value = rng.choice(["104350.5", "0.004", "-83370", "1e30", "9" * 30, "1.5万", "１０４３５０", "104,350", "inf", "—"])
        if rng.random() < 0.5 and re.fullmatch(r"[-0-9.e]+|inf", value):
            book.set_cell(member, cell, number_cell(cell, value.encode()))
        else:
            book.set_cell(member, cell, text_cell(book, cell, xml_text(value)))
    return Case("percent", f"万元 amounts in {member} ({key})", _zip(book))


# --------------------------------------------------------------------------- 明细 line items
ITEM_CODES = ["9999999-不存在的科目", "abc", "2080501", "-", "2080501-", "20805011111111-过长的编码", "208 05 01-行政单位离退休",
              "２０８０５０１-全角编码", "2080501-行政单位离退休\x01", "=1+1", "0-零", "-2080501-负号", "99999-不存在的经济科目",
              "30101", "30101-", "3010199-过长", "1e30-科学计数", "2080501-" + "很长" * 2000]
ITEM_FIELDS = ["一般公共预算", "政府性基金", "不存在的资金性质", "人员经费", "项目支出", "不存在的类型", "", " ", "=cmd|' /C calc'!A0",
               "145001-大连市西岗区住房和城乡建设局（本级）", "999999-不存在的单位", "145-", "是", "否", "1", "\x1b[31m"]


def _item_rows(book: Book) -> tuple[str, dict[int, dict[str, Cell]], int]:
    member = book.sheets()[0][1]
    rows: dict[int, dict[str, Cell]] = {}
    header = 3
    for cell in book.cells(member):
        rows.setdefault(cell.row, {})[cell.col] = cell
        if cell.is_text and book.text_of(cell) == "金额":
            header = cell.row
    return member, {r: cols for r, cols in rows.items() if r > header}, header


def _set(book: Book, member: str, cell: Cell, value: str | bytes | None) -> None:
    if value is None:
        book.set_cell(member, cell, b'<c r="%s"/>' % cell.ref.encode())
    elif isinstance(value, bytes):
        book.set_cell(member, cell, number_cell(cell, value))
    else:
        book.set_cell(member, cell, text_cell(book, cell, xml_text(value)))


@family("items", 5)
def item_cells(rng: random.Random, src: Sources) -> Case:
    """明细 rows with text or absurd amounts, unknown or malformed codes, blank required fields."""
    key, book = src.book(rng, ("items",))
    member, rows, _ = _item_rows(book)
    how = rng.choice(["amount-text", "amount-number", "code", "code", "blank", "blank", "field", "mixed"])
    edits: list[tuple[Cell, str | bytes | None]] = []
    for r in rng.sample(sorted(rows), min(len(rows), rng.choice((1, 2, 5, 20)))):
        cols = rows[r]
        kind = rng.choice(["amount-text", "amount-number", "code", "blank", "field"]) if how == "mixed" else how
        if kind == "amount-text" and "H" in cols:
            edits.append((cols["H"], rng.choice(TEXT_AMOUNTS)))
        elif kind == "amount-number" and "H" in cols:
            edits.append((cols["H"], rng.choice([b"inf", b"NaN", b"-1e308", b"1e30", b"9.99e307", b"-5", b"0", b"1e-9", b"abc"])))
        elif kind == "code":
            col = rng.choice([c for c in ("A", "B", "C") if c in cols] or ["H"])
            if col in cols:
                edits.append((cols[col], rng.choice(ITEM_CODES)))
        elif kind == "blank":
            col = rng.choice([c for c in ("A", "B", "C", "D", "E", "H") if c in cols] or list(cols))
            edits.append((cols[col], rng.choice([None, "", " "])))
        else:
            col = rng.choice([c for c in ("D", "E", "F", "G", "I", "J", "K", "L") if c in cols] or list(cols))
            edits.append((cols[col], rng.choice(ITEM_FIELDS)))
    for cell, value in sorted(edits, key=lambda e: -e[0].span[0]):
        _set(book, member, cell, value)
    return Case("items", f"明细 {how}: {len(edits)} cells ({key})", _zip(book))


@family("items", 3)
def item_layout(rng: random.Random, src: Sources) -> Case:
    """The 明细 sheet's frame changed: header renamed or moved, unit and department lines, the sheet
    renamed, rows repeated many times, columns shifted."""
    key, book = src.book(rng, ("items",))
    member, rows, header = _item_rows(book)
    xml = book.get(member)
    how = rng.choice(["header", "unit", "department", "sheet-name", "repeat", "shift", "title", "only-header"])
    if how == "header":
        heads = [c for c in book.cells(member) if c.row == header and c.is_text]
        cell = rng.choice(heads)
        _set(book, member, cell, rng.choice(["", "金额（元）", "金额", "功能分类科目", "未知列", "=1+1", "金\x01额"]))
    elif how in ("unit", "department", "title"):
        prefix = {"unit": "金额单位", "department": "预算部门", "title": "年部门预算明细"}[how]
        cells = [c for c in book.cells(member) if c.is_text and prefix in book.text_of(c)]
        if cells:
            value = rng.choice({"unit": ["金额单位：万元", "金额单位：亿元", "金额单位：", "金额单位：美元", "金额单位：千元"],
                                "department": ["预算部门：", "预算部门：145-", "预算部门：abc", "预算部门：" + "部" * 300,
                                               "预算部门：=1+1", "预算部门：999-不存在\x00的部门"],
                                "title": ["明细", "9999年部门预算明细（模板：不存在）", "2024年部门预算明细（模板：部门决算）",
                                          "2024年部门预算明细（模板：", "年部门预算明细"]}[how])
            _set(book, member, cells[0], value)
    elif how == "sheet-name":
        wb = book.get("xl/workbook.xml")
        new = rng.choice(["明细 ", "明细（2）", "Sheet1", "=明细", "明\x01细", "附表1"])
        book.put("xl/workbook.xml", wb.replace(b'name="\xe6\x98\x8e\xe7\xbb\x86"', b'name="%s"' % xml_text(new), 1))
    elif how == "repeat":
        found = list(re.finditer(rb'<row r="(\d+)".*?</row>', xml, re.S))
        data = [m for m in found if int(m.group(1)) > header]
        times = rng.choice([10, 50, 200])
        last = int(found[-1].group(1))
        extra = []
        for k in range(times):
            for m in data:
                last += 1
                extra.append(re.sub(rb'(?<=r=")([A-Z]*)(\d+)', lambda g: g.group(1) + str(last).encode(), m.group(0)))
        book.put(member, xml.replace(b"</sheetData>", b"".join(extra) + b"</sheetData>", 1))
    elif how == "shift":
        cols = rng.choice([1, 3, 30])
        book.put(member, re.sub(rb'(?<=<c r=")([A-Z]+)(?=\d)', lambda m: col_letters(col_number(m.group(1).decode()) + cols).encode(), xml))
    else:
        book.put(member, re.sub(rb'<row r="(\d+)".*?</row>', lambda m: m.group(0) if int(m.group(1)) <= header else b"", xml, flags=re.S))
    return Case("items", f"明细 {how} ({key})", _zip(book))


# --------------------------------------------------------------------------- 绩效 forms
SCORE_HEADERS = ("得分", "权重", "分值", "指标值", "完成值", "预算数", "执行数", "资金", "金额", "执行率", "总额")
SCORE_TEXT = ["满分", "10分", "1e30", "inf", "NaN", "—", "-5", "100%", "１０", "10.5.1", "=1+1", "(5)", "五", "", " ",
              "≥80%", "9" * 300, "1/2", "十", "10\x01", "-0", "1e-400"]


def _form_cells(book: Book, rng: random.Random) -> tuple[str, list[Cell]]:
    member = rng.choice([m for _, m in book.sheets()])
    cells = book.cells(member)
    heads = [c for c in cells if c.is_text and any(h in book.text_of(c) for h in SCORE_HEADERS) and len(book.text_of(c)) < 20]
    pool = []
    for head in heads:
        pool += [c for c in cells if c.col == head.col and head.row < c.row <= head.row + 12]
    pool += [c for c in cells if c.is_number]
    return member, list({c.span: c for c in pool}.values()) or cells


@family("forms", 4)
def form_scores(rng: random.Random, src: Sources) -> Case:
    """Text, absurd numbers and blanks in the weight, score, target and money cells of 绩效 forms."""
    key, book = src.book(rng, ("perf-target", "perf-self", "perf-self", "perf-whole"))
    member, cells = _form_cells(book, rng)
    edits = []
    for cell in rng.sample(cells, min(len(cells), rng.choice((1, 2, 4, 10)))):
        if rng.random() < 0.3:
            edits.append((cell, rng.choice([b"inf", b"-inf", b"NaN", b"1e308", b"-1e308", b"1e30", b"-10", b"0", b"1e-320", b"abc"])))
        else:
            edits.append((cell, rng.choice(SCORE_TEXT)))
    for cell, value in sorted(edits, key=lambda e: -e[0].span[0]):
        _set(book, member, cell, value)
    return Case("forms", f"{len(edits)} score/money cells in {member} ({key})", _zip(book))


@family("forms", 3)
def form_merges(rng: random.Random, src: Sources) -> Case:
    """Merged label blocks of 绩效 forms broken: removed, overlapping, huge, backwards, one-cell,
    moved onto the scores, or all of them gone."""
    key, book = src.book(rng, ("perf-target", "perf-self", "perf-whole"))
    member = rng.choice([m for _, m in book.sheets()])
    xml = book.get(member)
    merges = re.findall(rb'<mergeCell ref="([^"]*)"\s*/>', xml)
    how = rng.choice(["drop-all", "drop-some", "overlap", "huge", "backwards", "one-cell", "shift", "garbage", "many"])
    new = list(merges)
    if how == "drop-all":
        new = []
    elif how == "drop-some" and new:
        new = rng.sample(new, len(new) // 2)
    elif how == "overlap" and new:
        new += [re.sub(rb"\d+", lambda m: str(int(m.group(0)) + 1).encode(), rng.choice(new)) for _ in range(3)]
    elif how == "huge":
        new += [rng.choice([b"A1:XFD1048576", b"A5:J1048576", b"A1:XFE5", b"B2:ZZZZ9"])]
    elif how == "backwards" and new:
        new = [b":".join(reversed(m.split(b":"))) for m in new]
    elif how == "one-cell":
        new = [m.split(b":")[0] + b":" + m.split(b":")[0] for m in new]
    elif how == "shift" and new:
        new = [re.sub(rb"[A-Z]+", lambda m: col_letters(col_number(m.group(0).decode()) + 1).encode(), m) for m in new]
    elif how == "garbage":
        new += [b"", b":", b"A0:B0", b"ZZ", b"A1:B", b"1:5", b"A:A"]
    else:
        new += [b"%s%d:%s%d" % (col_letters(c).encode(), r, col_letters(c + 1).encode(), r + 1)
                for r in range(1, 2000, 2) for c in (1, 3, 5)]
    block = b"".join(b'<mergeCell ref="%s"/>' % m for m in new)
    xml = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>|<mergeCells[^>]*/>", b"", xml, flags=re.S)
    if block:
        xml = xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + block + b"</mergeCells>", 1)
    book.put(member, xml)
    return Case("forms", f"merges {how} in {member} ({key})", _zip(book))


@family("forms", 2)
def form_labels(rng: random.Random, src: Sources) -> Case:
    """The labels that find a form's blocks (项目名称, 一级指标, 绩效目标, 总计…) renamed, blanked, duplicated
    or given control characters and formulas."""
    key, book = src.book(rng, ("perf-target", "perf-self", "perf-whole"))
    member = rng.choice([m for _, m in book.sheets()])
    labels = [c for c in book.cells(member) if c.is_text and len(book.text_of(c)) <= 12]
    if not labels:
        return Case("forms", f"labels of {member} unchanged ({key})", _zip(book))
    chosen = rng.sample(labels, min(len(labels), rng.choice((1, 3, 8))))
    values = []
    for cell in sorted(chosen, key=lambda c: -c.span[0]):
        text = book.text_of(cell)
        value = rng.choice(["", " ", text + text, text[:1], "=1+1", text + "\x01", "项目名称", "一级指标", "总计", "得分",
                            "部门（单位）名称", text.replace("指标", "指 标"), "=HYPERLINK(\"http://x\")"])
        _set(book, member, cell, value)
        values.append(value[:8])
    return Case("forms", f"labels {values} in {member} ({key})", _zip(book))
