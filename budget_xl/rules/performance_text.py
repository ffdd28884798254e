"""The 绩效 part of the 情况说明 against the forms (the template's `narrative`): how many projects and
how much money it says the 绩效目标 (or 自评) cover, their share of the 项目支出, and what it says of
each project it names (得分, 全年预算数, 执行数, 完成预算的 %). A figure is the first number with the
right unit after one of its words; only its first mention in the part counts (the “其中：……” that
follows breaks it down)."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..model import CellRef, Disclosure
from ..money import rounding_envelope
from ..performance import Form, PerformanceBook, name_key
from ..templates.forms import PROJECT_KINDS, NarrativeFigure, NarrativeSpec
from .findings import Finding, finding
from .performance import HUNDRED, ZERO, Context, published_decimals, show, to_decimals

_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(个|万元|%|分)")
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
WINDOW = 40     # how far after its word a figure may stand


def _spec(book: PerformanceBook) -> NarrativeSpec | None:
    from ..templates.form_builder import load_form_sets

    return next((fs.narrative for fs in load_form_sets() if fs.id in book.form_sets and fs.narrative), None)


def section(lines: list[str], words: tuple[str, ...]) -> list[str]:
    """The lines of the 绩效 part: from its heading to the next heading of the same rank."""
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and any(w in line for w in words) and len(line.strip()) <= 60:
            rank = _rank(m.group(1))
            out = []
            for later in lines[i + 1:]:
                n = _HEADING.match(later)
                if n and _rank(n.group(1)) <= rank:
                    break
                out.append(later)
            return out
    return []


def _rank(mark: str) -> int:
    return 0 if mark.startswith("第") else 1 if mark.endswith("、") else 2


def figure_after(text: str, words: tuple[str, ...], unit: str) -> tuple[Decimal, str, str] | None:
    """(number, its text, the sentence) of the first figure in `unit` after the first of the words."""
    text = unicodedata.normalize("NFKC", text)
    best = None
    for w in words:
        pos = text.find(unicodedata.normalize("NFKC", w))
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, w)
    if best is None:
        return None
    start = best[0] + len(unicodedata.normalize("NFKC", best[1]))
    for m in _FIGURE.finditer(text, start, start + WINDOW):
        if m.group(2) == unit:
            return Decimal(m.group(1).replace(",", "")), m.group(1), _sentence(text, best[0])
    return None


def _sentence(text: str, pos: int) -> str:
    begin = max(text.rfind("。", 0, pos), text.rfind("；", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = min([i for i in (text.find("。", pos), text.find("；", pos), text.find("\n", pos)) if i >= 0] or [len(text)])
    return text[begin:end + 1].strip()


def against_narrative(ctx: Context, book: PerformanceBook, lines: list[str], d: Disclosure | None = None) -> None:
    spec = _spec(book)
    if spec is None:
        return
    part = section(lines, spec.section)
    if not part:
        return
    forms = [f for f in book.forms if f.kind in PROJECT_KINDS]
    if not forms:
        return
    kind = max(PROJECT_KINDS, key=lambda k: sum(1 for f in forms if f.kind == k))
    forms = [f for f in forms if f.kind == kind]
    text = "\n".join(part)
    for fig in spec.figures:
        got = figure_after(text, fig.words, fig.unit)
        if got is not None:
            _overall(ctx, fig, got, forms, kind, spec, d, book)
    for paragraph in part:
        named = [f for f in forms if f.name and name_key(f.name) in name_key(paragraph)]
        if len(named) != 1:
            continue
        for fig in spec.projects:
            got = figure_after(paragraph, fig.words, fig.unit)
            if got is not None:
                _project(ctx, fig, got, named[0])


def _overall(ctx: Context, fig: NarrativeFigure, got: tuple[Decimal, str, str], forms: list[Form], kind: str,
             spec: NarrativeSpec, d: Disclosure | None, book: PerformanceBook) -> None:
    stated, shown, sentence = got
    field = dict(fig.by_kind).get("目标" if "目标" in kind else "自评", "") if fig.value == "by_kind" else fig.value
    cells: list[CellRef] = []
    if field == "count":
        expected, tolerance, cells = Decimal(len(forms)), ZERO, []
    elif field == "share":
        # the forms' money over the 项目支出 of the tables: Σ of the funds figure ÷ the total, to the printed decimals
        funds = next((f for f in spec.figures if f.id == "funds"), None)
        whole = _project_total(book, d) if d is not None else None
        if funds is None or not whole:
            return
        money = dict(funds.by_kind).get("目标" if "目标" in kind else "自评", funds.value)
        total = sum((f.number(money) or ZERO for f in forms), ZERO)
        expected, tolerance, cells = to_decimals(share_of(total, whole), published_decimals(shown)), ZERO, []
    else:
        values = [f.fields[field] for f in forms if field in f.fields and f.fields[field].number is not None]
        if not values:
            return
        expected = sum((v.number or ZERO for v in values), ZERO)
        tolerance = rounding_envelope(len(values) + 1)
        cells = [v.where for v in values if v.where is not None][:12]
    ctx.findings += _compare(fig, stated, shown, sentence, expected, tolerance, cells, f"{fig.unit}")


def _project(ctx: Context, fig: NarrativeFigure, got: tuple[Decimal, str, str], form: Form) -> None:
    stated, shown, sentence = got
    v = form.totals.get(fig.value[7:]) if fig.value.startswith("totals.") else form.fields.get(fig.value)
    if v is None or v.number is None:
        return
    expected = v.number
    if fig.unit == "%":
        expected = to_decimals(expected, published_decimals(shown))
    ctx.findings += _compare(fig, stated, shown, sentence, expected, ZERO, [c for c in [v.where] if c], fig.unit,
                             form.label)


def _compare(fig: NarrativeFigure, stated: Decimal, shown: str, sentence: str, expected: Decimal, tolerance: Decimal,
             cells: list[CellRef], unit: str, who: str = "") -> list[Finding]:
    diff = abs(stated - expected)
    if diff == 0:
        return []
    level = "rounding" if diff <= tolerance else "error"
    what = f"{who}的{_what(fig)}" if who else _what(fig)
    unit_word = "" if unit == "%" else f" {unit}"
    return [finding(level, "perf-text", "rounding" if level == "rounding" else "differs", ("情况说明",), cells,
                    expected, stated, sentence=sentence[:120], what=what, stated=f"{shown}{'%' if unit == '%' else unit_word}",
                    expected=f"{show(expected, '万元' if unit == '万元' else '分')}{'%' if unit == '%' else unit_word}")]


def _what(fig: NarrativeFigure) -> str:
    return {"个": "项目个数", "万元": "金额", "%": "比例", "分": "得分"}.get(fig.unit, fig.id) if fig.id.startswith("project") \
        else {"count": "项目个数", "funds": "涉及资金", "share": "占比"}.get(fig.id, fig.id)


def _project_total(book: PerformanceBook, d: Disclosure) -> Decimal | None:
    """The 项目支出 the forms belong to, in 万元: the 合计 of the linked 项目支出表, or the linked total."""
    from .performance_money import links

    for link, _ in links(book, d):
        if link.projects is not None and link.projects.table in d.tables:
            table = d.tables[link.projects.table]
            row = table.row("合计")
            value = row.amount(link.projects.total) if row is not None else sum(
                (r.amount(link.projects.total) for r in table.rows if r.kind == "item"), ZERO)
            return value / 10000 if table.unit == "元" else value
        if link.sum is not None and link.sum.table in d.tables:
            row = d.tables[link.sum.table].row(link.sum.row)
            if row is not None:
                value = row.amount(link.sum.column)
                return value / 10000 if d.tables[link.sum.table].unit == "元" else value
    return None


def share_of(total: Decimal, whole: Decimal) -> Decimal:
    return total / whole * HUNDRED if whole else ZERO
