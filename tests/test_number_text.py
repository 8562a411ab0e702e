"""Issue 12: one Vietnamese number formatter (text.format_number) for the checks and the report.

Its text is checked against a reference written here by hand (digits grouped three by
three from the right, no ``format`` mini-language), and against Babel, the formatter
it replaced in the checks.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from workbook_tools.report.vietnamese import decimal
from workbook_tools.text import format_number

finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)
numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20), finite)
places = st.one_of(st.none(), st.integers(min_value=0, max_value=4))


def reference(value: float, decimals: int | None, trailing_zeros: bool) -> str:
    """Vietnamese number text, by hand: '.' every three digits of the whole part, ',' before
    the decimals; rounded half to even on the shortest decimal text of a float."""
    if decimals is None and float(value).is_integer():
        exact = Decimal(int(value))
    else:
        exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if decimals is not None:
        exact = exact.quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_EVEN)
    negative, digit_tuple, exponent = exact.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(str(d) for d in digit_tuple)
    if exponent >= 0:
        whole, fraction = digits + "0" * exponent, ""
    else:
        padded = digits.rjust(1 - exponent, "0")
        whole, fraction = padded[:exponent], padded[exponent:]
    whole = whole.lstrip("0") or "0"
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if not trailing_zeros:
        fraction = fraction.rstrip("0")
    return ("-" if negative else "") + ".".join(groups) + ("," + fraction if fraction else "")


@given(numbers, places, st.booleans())
@example(999.995, 2, True)  # the carry runs into a new thousands group: 1.000,00
@example(-1234567.891, 2, True)
@example(0.125, 2, True)  # half to even: 0,12
@example(1e-7, None, True)  # no exponent: 0,0000001
def test_format_number_as_the_reference(value: float, decimals: int | None, zeros: bool) -> None:
    assert format_number(value, decimals, trailing_zeros=zeros) == reference(value, decimals, zeros)


@given(finite)
def test_format_number_without_decimals_as_babel(value: float) -> None:
    """What the checks' messages said before (Babel, every decimal of the float)."""
    if value.is_integer():
        expected = format_decimal(int(value), locale="vi")
    else:
        expected = format_decimal(value, locale="vi", decimal_quantization=False)
    assert format_number(value) == expected


@given(finite, st.integers(min_value=0, max_value=3))
def test_format_number_with_decimals_as_babel(value: float, decimals: int) -> None:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert format_number(value, decimals) == format_decimal(value, format=pattern, locale="vi")


def test_by_hand() -> None:
    assert format_number(56703) == "56.703"
    assert format_number(-1234567) == "-1.234.567"
    assert format_number(99.9) == "99,9"
    assert format_number(-0.5) == "-0,5"
    assert format_number(1234.5, 2) == "1.234,50"
    assert format_number(1234.5, 2, trailing_zeros=False) == "1.234,5"
    assert format_number(0.125, 2) == "0,12" and format_number(0.135, 2) == "0,14"
    assert format_number(999.995, 2) == "1.000,00"
    assert format_number(7.0) == "7" and format_number(-0.0) == "0"
    assert format_number(10**21) == "1.000.000.000.000.000.000.000"
    # the report's decimal() is the same formatter, trailing zeros dropped
    assert decimal(1234.5) == "1.234,5" and decimal(2.0, 1) == "2"
