"""Percentages as published tables print them (增长%, 增减率, 完成预算%): read exactly, recomputed to
the printed decimals.

A percent cell may hold text — "12.3%", "-1.0%", "增长12.3%", "下降3.2%", "(3.2)", "—" (none) — or a
number. A number is ambiguous: a clerk types 12.3 under a “增长%” header, while Excel stores a cell
formatted 0.0% as the fraction 0.123. Both readings are kept (Percent.number) and the checker takes
the one the amounts bear out; text is always in percent units.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .money import from_float, half_unit, round_half_up

HUNDRED = Decimal(100)
_BLANKS = {"", "-", "--", "---", "—", "——", "———", "－", "/", "／", "…", "——————", "无", "不适用", "n/a", "N/A"}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_UP = ("增长", "增加", "上升", "提高", "增")
_DOWN = ("下降", "减少", "降低", "减", "降")
_FLAT = {"持平", "不变", "0"}
MAX_DECIMALS = 4    # a computed fraction (=C5/B5) carries float noise; what is shown has fewer digits


class NotAPercent(ValueError):
    """A percent cell holds text that is no percentage."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class PercentOutOfRange(NotAPercent):
    """A percentage no table prints: infinite, not a number, 10^12 % and beyond, or more digits than
    any cell shows (“百分比超出范围”); refused where it is read, never failing later in a rounding."""


PERCENT_LIMIT = Decimal(10) ** 12
MAX_DIGITS = 30     # significant digits a percentage may carry (a cell shows 15)


def _bounded(amount: Decimal, raw: str) -> Decimal:
    """The percentage itself, or PercentOutOfRange (the one bound of every way a cell holds one)."""
    if not amount.is_finite() or not -PERCENT_LIMIT < amount < PERCENT_LIMIT or len(amount.as_tuple().digits) > MAX_DIGITS:
        raise PercentOutOfRange(raw)
    return amount


class Percent(NamedTuple):
    value: Decimal        # in percent units (12.3 for 12.3 %), as printed
    decimals: int         # decimals printed
    number: bool = False  # a number cell: it may also be a fraction shown with Excel's % format

    def readings(self) -> list[tuple[Decimal, int]]:
        """(value in percent units, decimals printed) for each way the cell can be read: as written,
        and for a number also as a fraction (0.123 shown as 12.3 %)."""
        if not self.number:
            return [(self.value, self.decimals)]
        # A number carries what a formula left (−0.0104166…): it reads to the digits it is taken to show.
        as_fraction = max(self.decimals - 2, 0)
        return [(printed(self.value, self.decimals), self.decimals),
                (printed(self.value * HUNDRED, as_fraction), as_fraction)]

    def __str__(self) -> str:
        return f"{self.value}%"


def parse_percent(value: object) -> Percent | None:
    """The percentage a cell holds, None for a blank or a dash; NotAPercent for other text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise NotAPercent(str(value))
    if isinstance(value, float):
        if not -float(PERCENT_LIMIT) < value < float(PERCENT_LIMIT):   # NaN compares false: refused too
            raise PercentOutOfRange(format(value, "g"))
        amount = from_float(value)
        return Percent(amount, min(_decimals(amount), MAX_DECIMALS), number=True)
    if isinstance(value, (int, Decimal)):
        amount = _bounded(Decimal(value), str(value))
        return Percent(amount, min(_decimals(amount), MAX_DECIMALS), number=True)
    if not isinstance(value, str):
        raise NotAPercent(str(value))
    raw = value
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"\s+", "", text).replace(",", "")
    if text in _BLANKS or set(text) <= {"-", "—", "－", "_"}:
        return None
    if text in _FLAT:
        return Percent(Decimal(0), 0)
    sign = 1
    if text.startswith("(") and text.endswith(")"):
        sign, text = -1, text[1:-1]
    for words, s in ((_UP, 1), (_DOWN, -1)):
        word = next((w for w in words if text.startswith(w)), None)
        if word:
            sign, text = sign * s, text[len(word):]
            break
    text = text.removesuffix("%")
    if not _NUMBER.fullmatch(text):
        raise NotAPercent(raw)
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern rules this out
        raise NotAPercent(raw) from None
    amount = _bounded(amount, raw)
    return Percent(sign * amount, _printed_decimals(amount))


def _printed_decimals(amount: Decimal) -> int:
    """Decimals as written (“1.0%” has one): the text shows what was printed."""
    exp = amount.as_tuple().exponent
    return max(-exp, 0) if isinstance(exp, int) else 0


def _decimals(amount: Decimal) -> int:
    exp = amount.normalize().as_tuple().exponent
    return max(-exp, 0) if isinstance(exp, int) else 0


def ratio(of: Decimal, over: Decimal) -> Decimal | None:
    """of / over × 100, exact to 28 digits; None when `over` is 0 (no percentage: printed blank or —)."""
    if not over:
        return None
    return of / over * HUNDRED


def printed(value: Decimal, decimals: int) -> Decimal:
    """A percentage as it prints with `decimals` decimals (half up)."""
    return round_half_up(value, Decimal(1).scaleb(-decimals))


def tolerance(decimals: int) -> Decimal:
    """How far a printed percentage may be from the exact one: half a unit of its last digit."""
    return half_unit(decimals)
