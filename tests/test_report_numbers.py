"""Report numbers: the fast Vietnamese formatting gives exactly Babel's text."""

from __future__ import annotations

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.report.vietnamese import change, decimal, number, percent

finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


@given(st.integers(min_value=-(10**24), max_value=10**24))
def test_integers_as_babel(value: int) -> None:
    assert decimal(value, 0) == format_decimal(value, locale="vi")


@given(finite, st.integers(min_value=0, max_value=3))
def test_rounded_decimals_as_babel(value: float, decimals: int) -> None:
    rounded = round(value, decimals)
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    assert decimal(rounded, decimals) == format_decimal(rounded, format=pattern, locale="vi")


@given(finite)
def test_number_as_babel(value: float) -> None:
    if value.is_integer() and 1 <= value <= 9:  # the leading zero for 1–9 only, never "00"
        expected = f"0{int(value)}"
    elif value.is_integer():
        expected = format_decimal(int(value), locale="vi")
    else:
        expected = format_decimal(round(value, 2), locale="vi")
    assert number(value) == expected


def test_by_hand() -> None:
    assert decimal(-1234567.5) == "-1.234.567,5"
    assert decimal(1234.005, 0) == "1.234"
    assert decimal(-0.0) == "-0"
    assert decimal(10**21, 0) == "1.000.000.000.000.000.000.000"
    assert number(123456789.25) == "123.456.789,25"
    assert number(-5) == "-5" and number(7.0) == "07"
    assert percent(0.12345, 1) == "12,3%" and percent(12.5) == "1.250%"
    assert change(0.9, 0.8775, rate=True) == "tăng 2,25 điểm phần trăm so với cùng kỳ"
