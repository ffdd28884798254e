from decimal import Decimal

import pytest

from budget_xl.money import NotANumber, convert, fmt, parse_amount, yuan_to_wan


@pytest.mark.parametrize("raw, expected", [
    (25436453.98, "25436453.98"),
    (12.0, "12.00"),
    (0.1 + 0.2, "0.30"),            # float noise of a formula is not a third decimal
    (7, "7.00"),
    ("72,511,453.98", "72511453.98"),
    ("１，２３４．５０", "1234.50"),    # full-width digits and separators
    ("(1,234.00)", "-1234.00"),
    ("（1,234.00）", "-1234.00"),
    ("-1,234.00", "-1234.00"),
    (" 1 234.5 ", "1234.50"),
    ("677.92万元", "677.92"),
    ("1234.5678", "1234.5678"),     # more than two decimals is kept, for check to flag
])
def test_parse_amount_exact(raw, expected):
    assert parse_amount(raw) == Decimal(expected)
    assert str(parse_amount(raw)) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "———", "--", "-", "—", "/", "无"])
def test_placeholders_are_blank(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize("raw", ["约5万", "abc", "1.2.3", True, "12元5角",
                                 float("nan"), Decimal("NaN"), Decimal("-Infinity")])  # not TypeError
def test_text_is_not_a_number(raw):
    with pytest.raises(NotANumber):
        parse_amount(raw)


def test_yuan_to_wan_is_half_up_not_bankers():
    # 1.225 万元: banker's rounding would give 1.22
    assert yuan_to_wan(Decimal("12250")) == Decimal("1.23")
    assert yuan_to_wan(Decimal("12249.99")) == Decimal("1.22")
    assert yuan_to_wan(Decimal("-12250")) == Decimal("-1.23")
    assert yuan_to_wan(Decimal("72511453.98")) == Decimal("7251.15")
    assert convert(Decimal("677.92"), "万元", "元") == Decimal("6779200.00")


def test_fmt():
    assert fmt(Decimal("1234567.5")) == "1,234,567.50"
    assert fmt(None) == ""
