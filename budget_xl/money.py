"""Exact money: parsing amounts from cells, converting 元 ↔ 万元 with half-up rounding.

Amounts are Decimal end to end, never float sums. A float that comes out of a workbook is
first turned into the decimal the cell shows (15 significant digits, as Excel does), so
0.1 + 0.2 typed by a formula reads as 0.3, not 0.30000000000000004.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
# No budget amount reaches 10^15 (a thousand trillion): anything beyond, an infinity or a NaN is a
# damaged or hostile cell, refused where it is read rather than failing later in a sum or a format.
LIMIT = Decimal(10) ** 15
LIMIT_FLOAT = 1e15
FINEST = Decimal("1e-10")   # finer than any workbook holds (15 significant digits): rounded to it
_WIDE = Context(prec=80, rounding=ROUND_HALF_UP)   # rounding a ratio of extreme amounts never overflows

# Cell texts that mean "nothing here" in published tables.
_BLANKS = {"", "-", "--", "---", "—", "——", "———", "－", "/", "／", "…", "——————", "无"}
_NOT_FINITE = {"inf", "infinity", "nan", "snan", "1.#inf", "1.#qnan", "#num!"}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class NotANumber(ValueError):
    """A cell in an amount column holds text that is not an amount."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class AmountOutOfRange(NotANumber):
    """A number no budget holds: infinite, not a number, or 10^15 and beyond (“金额超出范围”)."""


def from_float(value: float) -> Decimal:
    if not -LIMIT_FLOAT < value < LIMIT_FLOAT:  # NaN compares false: refused too
        raise AmountOutOfRange(str(value))
    if value == int(value) and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(format(value, ".15g")).normalize() if abs(value) < 1e15 else Decimal(repr(value))


def exponent(amount: Decimal) -> int:
    """The exponent of a finite amount (-2 for 1.25); NaN and infinities have a letter there instead."""
    exp = amount.as_tuple().exponent
    assert isinstance(exp, int), f"not a finite amount: {amount}"  # parse_amount never returns one
    return exp


def _cents(amount: Decimal) -> Decimal:
    """Show at least two decimals (392242.8 -> 392242.80); never drop digits beyond them (up to
    ten). Raises AmountOutOfRange for what no budget holds."""
    if not amount.is_finite() or not -LIMIT < amount < LIMIT:
        raise AmountOutOfRange(str(amount))
    exp = exponent(amount)
    if exp > -2:
        return amount.quantize(CENT)
    return amount.quantize(FINEST, context=_WIDE) if exp < -10 else amount


def parse_amount(value: object) -> Decimal | None:
    """The amount a cell holds, None for a blank or a placeholder ("———", "--").

    Accepts numbers, and text with full-width digits, thousands separators, a trailing 元/万元,
    "(1,234.00)" or "-1,234.00" negatives. Raises NotANumber for any other text, AmountOutOfRange
    (a NotANumber) for an infinity, a NaN or a magnitude of 10^15 and more, as text or as number.
    """
    cls = value.__class__
    if isinstance(value, float) and cls is float:
        if not -LIMIT_FLOAT < value < LIMIT_FLOAT:
            raise AmountOutOfRange(format(value, "g"))
        # Fast path: a value typed with cents reads back exactly from its 2-decimal form.
        text = f"{value:.2f}"
        if float(text) == value:
            return Decimal(text)
        # Otherwise the exact conversion below (isinstance(value, float)).
    if value is None or value == "":
        return None
    if cls is bool:
        raise NotANumber(str(value))
    if isinstance(value, int):
        return _cents(Decimal(value))
    if isinstance(value, float):
        return _cents(from_float(value))
    if isinstance(value, Decimal):
        return _cents(value)
    if not isinstance(value, str):
        raise NotANumber(str(value))
    raw = value
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"\s+", "", text).replace(",", "").replace("，", "")
    if text in _BLANKS or set(text) <= {"-", "—", "－", "_"}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    for suffix in ("万元", "元"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if not _NUMBER.fullmatch(text):
        if text.lower().lstrip("+-") in _NOT_FINITE:   # what Python or a program would print for one
            raise AmountOutOfRange(raw)
        raise NotANumber(raw)
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        raise NotANumber(raw) from None
    try:
        return _cents(-amount if negative else amount)
    except AmountOutOfRange:
        raise AmountOutOfRange(raw) from None


def half_unit(decimals: int = 2) -> Decimal:
    """Half a unit of the last printed digit: the most rounding can move an amount printed with
    `decimals` decimals (0.005 for 0.01 万元, 0.5 for whole 万元)."""
    return Decimal(5).scaleb(-decimals - 1)


def rounding_envelope(rounded_terms: int, decimals: int = 2) -> Decimal:
    """尾数误差 allowed when k rounded amounts are added up against their rounded total: the k + 1
    amounts of that equation each carry up to half a unit of their last printed digit (half a cent
    for amounts printed to 0.01, half a 万元 for whole 万元)."""
    return half_unit(decimals) * rounded_terms


def round_half_up(amount: Decimal, places: Decimal = CENT) -> Decimal:
    """Half up (not Python's banker's rounding), in a context wide enough for any ratio of amounts."""
    return amount.quantize(places, rounding=ROUND_HALF_UP, context=_WIDE)


def yuan_to_wan(amount: Decimal) -> Decimal:
    """元 → 万元, rounded half up to two decimals (not Python's banker's rounding)."""
    return round_half_up(amount / TEN_THOUSAND)


def convert(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    if from_unit == to_unit:
        return amount
    if from_unit == "元" and to_unit == "万元":
        return yuan_to_wan(amount)
    if from_unit == "万元" and to_unit == "元":
        return amount * TEN_THOUSAND
    raise ValueError(f"unknown units {from_unit} -> {to_unit}")


def fmt(amount: Decimal | None, places: int = 2) -> str:
    """'1,234.50' ('1,235' with places=0, half-up); '' for None. Exact: no float on the way."""
    if amount is None:
        return ""
    if places != 2:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{amount:,.{places}f}"
    return f"{amount:,.2f}"


def json_amount(amount: Decimal | None) -> str | None:
    """An exact amount for JSON output: a plain decimal string ("-4612.25"), never a float; null for None."""
    return None if amount is None else format(amount, "f")
