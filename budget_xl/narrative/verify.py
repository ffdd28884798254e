"""The narrative check (文表一致): every amount and percentage an existing 情况说明 states is found
with what it refers to and compared with the tables, and with the narrative itself.

A stated number is attributed to a figure of the narrative template by the nearest label before it
("住房保障支出（类）90.63万元"), among the figures whose section words appear in the current
headings. What the number is comes from the words just before it: 增加/减少 → 增减额, 增长/下降 → 增减率,
占…的 → 占比, 完成年初预算的 → 完成率, 年初预算为 → 年初预算; otherwise the amount itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from ..errors import InputError
from ..files import input_file, is_dir
from ..formats import WORKBOOK_SUFFIXES
from ..model import Disclosure
from ..money import round_half_up, rounding_envelope
from ..rules.catalogue import message
from ..rules.findings import Finding, finding
from .context import Context, Figure
from .projects import check_projects

TABLE = "情况说明"
_NUMBER = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|%|％)")
_HEADING1 = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_YEAR = re.compile(r"^\d{4}年度?")
_HEADING2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_TITLE_PREFIX = re.compile(r"^\d{4}年度?")
_OTHER_YEAR = re.compile(r"^(\d{4})年")
_SENTENCE_END = "。；;"
_CLOSED = ("。", "；", "：", "！", "？", "」", "”", ":", ";")
_ROLE_WORDS = [  # (pattern on the text just before the number, role); first match wins
    (re.compile(r"完成(?:调整|全年)预算(?:数)?的$"), "completion_adjusted"),
    (re.compile(r"完成(?:年初)?预算(?:数)?的$"), "completion"),
    (re.compile(r"占[^，。；]*?的?$"), "share"),
    (re.compile(r"(?:调整|全年)预算(?:数)?(?:为|是)?$"), "adjusted"),
    (re.compile(r"(?:年初预算(?:数)?(?:为|是)?|预算(?:数)?为)$"), "budget"),
    (re.compile(r"(?P<w>增加|减少)$"), "delta"),
    (re.compile(r"(?P<w>增长|下降)$"), "rate"),
    (re.compile(r"决算(?:数)?(?:为|是)?$"), "final"),   # “年初预算为…，支出决算为…”: the same item's amount
]
_AS_DELTA = {"增长": "增加", "下降": "减少"}


@dataclass
class Paragraph:
    h1: str            # the current level-1 heading without its number and year ("财政拨款收支预算情况")
    h2: str            # the current level-2 heading
    text: str          # normalised: no spaces, full-width brackets

    def in_section(self, words: tuple[str, ...]) -> bool:
        """A figure's section words: the level-1 heading starts with one, or the level-2 heading has one."""
        return not words or any(self.h1.startswith(w) or w in self.h2 for w in words)


@dataclass
class _State:
    """What the paragraph has said so far about each figure (for self-consistency)."""
    value: dict[str, Decimal] = field(default_factory=dict)
    delta: dict[str, Decimal] = field(default_factory=dict)
    budget: dict[str, Decimal] = field(default_factory=dict)
    adjusted: dict[str, Decimal] = field(default_factory=dict)   # 调整预算 / 全年预算, as stated


def normalise(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return text.replace("(", "（").replace(")", "）").replace("％", "%")


# Suffixes of files that are surely not a narrative, whatever their bytes (a text file wrongly named
# .xlsx would otherwise be read as a narrative without numbers, and pass).
_NOT_NARRATIVE = {".et", ".csv", ".pptx", ".ppt", ".zip"}


def read_narrative(path: Path, d: Disclosure | None = None) -> list[str]:
    """Paragraphs of a .docx or a plain-text narrative, or the text sheets of a workbook (编制说明,
    其他相关情况说明 … — the workbook checked, `d`, or another one); a clear error for anything else."""
    if is_dir(path):
        raise InputError(f"{path} 是一个文件夹，不是情况说明文件（.docx 或 .txt）。")
    input_file(path, "情况说明文件")   # missing, unreadable, a FIFO …: refused before it is opened
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise InputError(f"{path.name} 是空文件（0 字节）：请提供 .docx 或纯文本格式的情况说明。")
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _sheet_text(path, d)
    if path.suffix.lower() in _NOT_NARRATIVE:
        raise InputError(f"{path.name} 是表格或演示文件（{path.suffix}），不是情况说明：请提供 .docx 或纯文本（.txt）。")
    if head.startswith(b"PK"):
        from docx import Document

        try:
            doc = Document(str(path))
        except Exception:
            raise InputError(f"{path.name} 不是可读的 Word 文档（.docx）：文件可能已损坏。") from None
        return [p.text for p in doc.paragraphs]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path.name} 是旧版 Word（.doc）或 Excel 文件：请另存为 .docx 或纯文本后再检查。")
    if head.startswith(b"%PDF"):
        raise InputError(f"{path.name} 是 PDF：请提供 .docx 或纯文本格式的情况说明。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return path.read_text(encoding=encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path.name} 不是 .docx，也不是可读的文本文件：请提供 .docx 或 UTF-8/GBK 编码的文本。")


def _sheet_text(path: Path, d: Disclosure | None) -> list[str]:
    """The lines of the sheets of a workbook that hold no table (its 情况说明 written in sheets)."""
    if d is not None and path.resolve() == d.path.resolve():
        grids = list(d.other_sheets.values())
    else:
        from ..reader.workbook import load_sheets

        try:
            grids = [s.grid for s in load_sheets(path)]
        except InputError as exc:
            raise InputError(f"{path.name} 既不是 .docx、纯文本，也不是可读的工作簿，不是情况说明（{str(exc).rstrip('。')}）。") from None
    texts = [[v for row in grid for v in row if isinstance(v, str) and v.strip()] for grid in grids]
    # A sheet of the narrative states amounts in words (…万元, …%); a cover, a 目录 or a table does not.
    texts = [t for t in texts if any(("万元" in v or "%" in v) and len(v) > 20 for v in t)]
    if not texts:
        raise InputError(f"{path.name} 是工作簿，其中没有写成文字、含金额的说明页，不是情况说明：请提供 .docx 或纯文本，"
                         f"或含“编制说明”等文字页的工作簿。")
    return [line for t in texts for value in t for line in value.splitlines()]


def paragraphs(lines: list[str]) -> list[Paragraph]:
    """Body paragraphs with their headings. A paragraph that stops mid-sentence continues in the next
    one (text dumps of PDFs break paragraphs at page ends)."""
    out: list[Paragraph] = []
    h1 = h2 = ""
    open_end = False
    for raw in lines:
        text = normalise(raw.lstrip("#").lstrip("- "))
        if not text:
            continue
        if open_end and out and len(out[-1].text) >= 20 and not _HEADING1.match(text) and not _HEADING2.match(text):
            out[-1].text += text
            open_end = not text.endswith(_CLOSED)
            continue
        if _HEADING1.match(text) and len(text) < 60 and not _NUMBER.search(text):
            h1, h2 = _YEAR.sub("", _HEADING1.sub("", text)), ""
            continue
        if _HEADING2.match(text) and len(text) < 60 and not _NUMBER.search(text):
            h2 = text
            continue
        if text.endswith("情况说明") and len(text) < 40 and not _NUMBER.search(text):
            # The title of a 说明 among the tables (“2023年大连市西岗区转移支付情况说明”, a 政府预算's): a
            # section of its own, its words in both heading levels.
            h1 = h2 = _TITLE_PREFIX.sub("", text)
            continue
        out.append(Paragraph(h1, h2, text))
        open_end = not text.endswith(_CLOSED)
    return out


def verify(ctx: Context, lines: list[str]) -> list[Finding]:
    """Every stated number of the narrative that disagrees with the tables or with itself."""
    findings: list[Finding] = []
    implied_prior: dict[str, tuple[Decimal, str, Finding | None]] = {}   # figure -> (上年 implied, sentence, its finding)
    mentioned: set[int] = set()
    lists_seen: set[str] = set()
    paras = paragraphs(lines)
    for para in paras:
        other = _OTHER_YEAR.match(para.text)
        if other and ctx.year and int(other.group(1)) != ctx.year:
            continue   # a paragraph about another year (a 说明's “2022年…预计情况如下”): not this year's tables
        lists_seen.update(name for name, items in ctx.lists.items()
                          if items and ctx.spec.lists[name].itemised and para.in_section(items[0].section))
        figures = [f for f in ctx.all_figures() if para.in_section(f.section)]
        labels = sorted(((normalise(lb), f) for f in figures for lb in f.labels if lb), key=lambda x: -len(x[0]))
        state = _State()
        subject: Figure | None = None
        last_end = 0
        for m in _NUMBER.finditer(para.text):
            before = para.text[last_end:m.start()]
            role, word, words_at = _role(before)
            if role == "budget" and ctx.kind.endswith("预算"):
                role = "value"   # a budget's narrative: “预算为 …” is the amount itself
            # A label counts only between the previous number and the role words (“占‘三公’经费支出的”
            # names the base, not the subject); 增减额、占比、决算数 without a label of their own refer
            # to the figure just named.
            found = _last_label(para.text[:last_end + words_at], labels, since=last_end)
            subject = found if found is not None or role == "value" else subject
            last_end = m.end()
            if subject is None:
                continue
            mentioned.add(id(subject))
            stated = Decimal(m.group("num").replace(",", ""))
            sentence = _sentence(para.text, m.start())
            if m.group("unit") == "万元":
                f = _amount(ctx, subject, role, word, stated, state, sentence, implied_prior)
            else:
                f = _percent(ctx, subject, role, word, stated, _decimals(m.group("num")), state, sentence, before)
            if f:
                findings.append(f)
    on_projects, statements = check_projects(paras, ctx.projects)
    findings += on_projects
    if not mentioned and not statements:
        findings.append(_finding("warning", "text-table", "nothing"))
    for name in lists_seen:
        for item in ctx.lists[name]:
            if id(item) not in mentioned:
                assert item.value is not None  # list items are rows of a table present (context._list_items)
                findings.append(_finding("warning", "text-table", "omitted", round_half_up(item.value), None,
                                         item=item.labels[0], code=item.code, amount=round_half_up(item.value)))
    return _once(findings)


def _once(findings: list[Finding]) -> list[Finding]:
    """The same truncated amount stated again and again is one warning, with how often it occurs."""
    seen: dict[tuple, Finding] = {}
    counts: dict[tuple, int] = {}
    out = []
    for f in findings:
        key = (f.rule, f.expected, f.actual) if f.rule_id == "text-rounding" else (id(f),)
        if key in seen:
            counts[key] += 1
            continue
        seen[key], counts[key] = f, 1
        out.append(f)
    for key, f in seen.items():
        if counts[key] > 1:
            f.message += message("text-rounding", "repeated", count=counts[key])
    return out


def _role(before: str) -> tuple[str, str, int]:
    """What the number is, the 增减 word, and where the role words start in `before`."""
    cut = max(0, len(before) - 14)
    for pattern, role in _ROLE_WORDS:
        if m := pattern.search(before, cut):
            return role, (m.groupdict().get("w") or ""), m.start()
    return "value", "", len(before)


def _last_label(text: str, labels: list[tuple[str, Figure]], since: int) -> Figure | None:
    """The figure whose label ends latest in text (the longest label when several end there)."""
    best, best_end = None, -1
    for label, fig in labels:
        pos = text.rfind(label)
        if pos >= since and pos + len(label) > best_end:
            best, best_end = fig, pos + len(label)
    return best


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, pos) for c in _SENTENCE_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    s = text[start:end]
    return s if len(s) <= 90 else s[: 88] + "…"


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def _finding(level: str, rule_id: str, kind: str, expected: Decimal | None = None, actual: Decimal | None = None, /,
             **fields: object) -> Finding:
    return finding(level, rule_id, kind, (TABLE,), [], expected, actual, **fields)


def _amount(ctx: Context, fig: Figure, role: str, word: str, stated: Decimal, state: _State, sentence: str,
            implied_prior: dict[str, tuple[Decimal, str, Finding | None]]) -> Finding | None:
    if role == "adjusted":
        state.adjusted[fig.name] = stated   # no table holds it: kept for “完成调整预算的 x%”
        return None
    if role == "budget":
        state.budget[fig.name] = stated
        if fig.budget is not None and stated != round_half_up(fig.budget):
            return _finding("error", "text-table", "budget", round_half_up(fig.budget), stated, sentence=sentence,
                            figure=fig.name, stated=stated, expected=round_half_up(fig.budget))
        return None
    if role in ("rate", "delta"):
        return _change(fig, word, stated, state, sentence, implied_prior)
    state.value[fig.name] = stated
    if fig.value is None:
        return None
    expected = round_half_up(fig.value)
    if stated == expected:
        return None
    if stated == fig.value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        return _finding("warning", "text-rounding", "truncated", expected, stated, sentence=sentence, figure=fig.name,
                        stated=stated, exact=_plain(fig.value), expected=expected)
    # A sum of k printed amounts (财政拨款收入 = rows 1–3) may be stated as the sum of the rounded ones.
    envelope = rounding_envelope(fig.parts + 1) if fig.parts > 1 else Decimal(0)
    if abs(stated - fig.value) <= envelope:
        return _finding("rounding", "text-rounding", "envelope", expected, stated, sentence=sentence, figure=fig.name,
                        stated=stated, expected=expected, parts=fig.parts, envelope=envelope)
    return _finding("error", "text-table", "amount", expected, stated, sentence=sentence, figure=fig.name,
                    stated=stated, expected=expected, difference=stated - expected)


def _change(fig: Figure, word: str, stated: Decimal, state: _State, sentence: str,
            implied_prior: dict[str, tuple[Decimal, str, Finding | None]]) -> Finding | None:
    """A stated 增减额 against the two years' tables and against its twin's (收入 and 支出 change
    alike). One wrong statement is one finding: a contradiction with the twin is added to the
    finding on whichever of the two the tables contradict."""
    word = _AS_DELTA.get(word, word)
    signed = stated if word == "增加" else -stated
    state.delta[fig.name] = signed
    found = None
    if fig.delta is not None and fig.value is not None and fig.prior is not None:
        expected = round_half_up(fig.delta)
        printed = round_half_up(fig.value) - round_half_up(fig.prior)   # the difference of the printed amounts
        if signed not in (expected, printed):
            envelope = rounding_envelope(2 * fig.parts + 1) if fig.parts > 1 else Decimal(0)
            level, rule_id = ("rounding", "text-rounding") if abs(signed - fig.delta) <= envelope else ("error", "text-table")
            found = _finding(level, rule_id, "change", expected, signed, sentence=sentence, figure=fig.name, word=word,
                             stated=stated, expected_words=_signed_words(expected))
    current = state.value.get(fig.name, round_half_up(fig.value) if fig.value is not None else None)
    if current is None:
        return found
    implied = current - signed
    other = implied_prior.get(fig.same_as or "") if fig.same_as else None
    implied_prior[fig.name] = (implied, sentence, found)
    if other is None or other[0] == implied:
        return found
    fields = {"sentence": sentence, "other": other[1], "figure": fig.name, "same_as": fig.same_as, "implied": implied,
                  "other_implied": other[0]}
    target = found if found is not None and found.level == "error" else other[2]
    if target is not None and target.level == "error":
        target.message += message("text-self", "contradiction_also", **fields)
        return found
    return _finding("error", "text-self", "contradiction", **fields)


def _percent(ctx: Context, fig: Figure, role: str, word: str, stated: Decimal, decimals: int, state: _State,
             sentence: str, before: str) -> Finding | None:
    half = Decimal(5).scaleb(-decimals - 1)
    if role in ("rate", "delta"):
        if "增长" in before[-6:] and "下降" in before[-6:]:
            return _finding("error", "text-self", "both_words", sentence=sentence)
        signed_delta = state.delta.get(fig.name)
        if signed_delta is None:
            return None
        if (signed_delta > 0) != (word in ("增长", "增加")) and signed_delta:
            return _finding("error", "text-self", "direction", sentence=sentence)
        current = state.value.get(fig.name, round_half_up(fig.value) if fig.value is not None else None)
        if current is None:
            return None
        low, high = _rate_range(current, signed_delta)
        if low is not None and high is not None and current != signed_delta and not (low - half <= stated <= high + half):
            implied = round_half_up(abs(signed_delta) / (current - signed_delta) * 100, Decimal(1).scaleb(-decimals))
            return _finding("error", "text-self", "rate", implied, stated, sentence=sentence, stated=stated,
                            current=current, delta=abs(signed_delta), expected=implied)
        return None
    # Every percentage is checked, also next to an amount already reported: one that follows from the
    # stated (wrong) amount adds nothing, one that follows from neither is a mistake of its own.
    said = state.value.get(fig.name)
    if role == "share" and fig.share is not None:
        base = fig.share_of.value if fig.share_of else None
        said_base = state.value.get(fig.share_of.name) if fig.share_of else None
        return _check_ratio(fig, "占比", stated, decimals, sentence, (fig.value, base), (said, base),
                            (fig.value, said_base), (said, said_base))
    if role == "completion":
        budget = fig.budget if fig.budget is not None else state.budget.get(fig.name)
        if budget:
            return _check_ratio(fig, "完成年初预算的比例", stated, decimals, sentence, (fig.value, budget),
                                (said, budget), (fig.value, state.budget.get(fig.name)),
                                (said, state.budget.get(fig.name)))
    if role == "completion_adjusted" and state.adjusted.get(fig.name):
        return _check_ratio(fig, "完成调整预算的比例", stated, decimals, sentence,
                            (fig.value, state.adjusted[fig.name]), (said, state.adjusted[fig.name]))
    return None


def _check_ratio(fig: Figure, what: str, stated: Decimal, decimals: int, sentence: str,
                 *readings: tuple[Decimal | None, Decimal | None]) -> Finding | None:
    """A stated percentage against part / whole, for each (part, whole) it may have been worked out
    from — the tables' values first (that is what the finding says it should be), then the amounts as
    the text states them."""
    q = Decimal(1).scaleb(-decimals)
    ratios = []
    for part, whole in readings:
        if part is None or not whole:
            continue
        ratios.append(part / whole * 100)
        # the exact values or the printed (rounded) ones may have been divided: both are accepted
        if round_half_up(whole):
            ratios.append(round_half_up(part) / round_half_up(whole) * 100)
    if not ratios or stated in {round_half_up(r, q) for r in ratios}:
        return None
    expected = round_half_up(ratios[0], q)
    return _finding("error", "text-table", "ratio", expected, stated, sentence=sentence, figure=fig.name,
                    what=what, stated=stated, expected=expected)


def _rate_range(current: Decimal, delta: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """增减率 (%) consistent with a printed current amount and 增减额, each ±0.005 万元."""
    rates = []
    for dv in (Decimal("-0.005"), Decimal("0.005")):
        for dd in (Decimal("-0.005"), Decimal("0.005")):
            prior = current + dv - (delta + dd)
            if prior > 0:
                rates.append(abs(delta + dd) / prior * 100)
    return (min(rates), max(rates)) if rates else (None, None)


def _signed_words(delta: Decimal) -> str:
    if not delta:
        return "持平"
    return f"{'增加' if delta > 0 else '减少'} {abs(delta)} 万元"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
