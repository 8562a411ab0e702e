"""Type one cleaned cell value for its field, with what was wrong with it.

Pasting bypasses data validation, so every value is checked again here. Text
that is unambiguously a number ("1.234", "56.703", "95,5%") is read as that
number with a warning; text that is not ("hơn 150", "khoảng 55.000", "1.5.3")
is an error. Blank stays blank (None): blank is not zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from workbook_tools.catalogue import (
    VALUE_BAD_DATE,
    VALUE_NEGATIVE,
    VALUE_NOT_IN_LIST,
    VALUE_NOT_INTEGER,
    VALUE_NUMBER_AS_TEXT,
    VALUE_OUT_OF_RANGE,
    VALUE_PERCENT_RANGE,
    VALUE_TEXT_IN_NUMBER,
    VALUE_TEXT_TOO_LONG,
    Entry,
)
from workbook_tools.contract.limits import DATE_MAX, DATE_MIN
from workbook_tools.form.model import Field, Kind
from workbook_tools.form.validation_text import bounds_text, show_number, text_limit
from workbook_tools.text import format_number

_PLAIN = re.compile(r"^[+-]?\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:[. ]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_PERCENT = re.compile(r"^([+-]?\d+(?:,\d+)?)\s*%$")
EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class Issue:
    kind: Entry
    message: str


@dataclass(frozen=True)
class Typed:
    value: Any
    issues: tuple[Issue, ...] = ()


def _shown(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return f"“{value}”"


def parse_number_text(text: str) -> float | int | None:
    """A number written as text in Vietnamese style, or None if it is not clearly one."""
    compact = text.replace(" ", "") if _THOUSANDS.match(text) else text
    if _PLAIN.match(compact):
        return int(compact)
    if _THOUSANDS.match(text):
        return int(text.replace(".", "").replace(" ", ""))
    if _DECIMAL_COMMA.match(text):
        return float(text.replace(",", "."))
    return None


def type_value(field: Field, raw: Any) -> Typed:
    """The typed value of ``raw`` for ``field`` (None when blank or unusable)."""
    if raw is None:
        return Typed(None)
    kind = field.kind
    if kind.numeric:
        return _number(field, raw)
    if kind is Kind.DATE:
        return _date(raw)
    if kind in (Kind.CHOICE, Kind.YES_NO):
        return _choice(field, raw)
    text = f"{raw:%d/%m/%Y}" if isinstance(raw, (date, datetime)) else str(raw)
    limit = text_limit(field)
    if len(text) > limit:
        return Typed(
            None,
            (
                Issue(
                    VALUE_TEXT_TOO_LONG,
                    f"Nội dung dài {len(text)} ký tự, tối đa {limit}. Hãy rút gọn.",
                ),
            ),
        )
    return Typed(text)


def _number(field: Field, raw: Any) -> Typed:
    issues: list[Issue] = []
    value: Any = raw
    if isinstance(raw, (bool, date, datetime)):
        return Typed(
            None,
            (Issue(VALUE_TEXT_IN_NUMBER, f"Ô số đang chứa {_shown(str(raw))}. Hãy nhập một số."),),
        )
    if isinstance(raw, str):
        percent = _PERCENT.match(raw)
        parsed: float | int | None
        if percent and field.kind is Kind.PERCENT:
            number = parse_number_text(percent.group(1))
            parsed = None if number is None else number / 100
        else:
            parsed = parse_number_text(raw)
        if parsed is None:
            return Typed(
                None,
                (
                    Issue(
                        VALUE_TEXT_IN_NUMBER,
                        f"Ô số đang chứa chữ {_shown(raw)}. Hãy nhập đúng một con số (ví dụ 150), "
                        "không ghi “khoảng”, “hơn”, đơn vị hay dấu chấm lẻ; để trống nếu chưa có số liệu.",
                    ),
                ),
            )
        value = parsed
        issues.append(
            Issue(
                VALUE_NUMBER_AS_TEXT,
                f"Ô số đang chứa chữ {_shown(raw)}; đã đọc thành số {parsed}. Nếu đúng, "
                "không cần sửa; lần sau hãy nhập dạng số.",
            )
        )
    if field.kind is Kind.PERCENT and not 0 <= value <= 1:
        return Typed(
            None,
            (
                *issues,
                Issue(
                    VALUE_PERCENT_RANGE,
                    f"Tỷ lệ {_shown(value * 100)}% nằm ngoài khoảng 0–100%. Nếu định nhập "
                    f"{_shown(value)}%, hãy gõ kèm dấu % (ví dụ {_shown(value)}%).",
                ),
            ),
        )
    if field.kind is Kind.INTEGER and value != int(value):
        return Typed(
            None,
            (
                *issues,
                Issue(
                    VALUE_NOT_INTEGER,
                    f"Giá trị {_shown(value)} không phải số nguyên. Hãy nhập số nguyên.",
                ),
            ),
        )
    if field.kind is Kind.INTEGER:
        value = int(value)
    if field.minimum is not None and value < field.minimum:
        if field.minimum == 0:
            return Typed(
                None,
                (
                    *issues,
                    Issue(
                        VALUE_NEGATIVE,
                        f"Giá trị {_shown(value)} là số âm. Hãy nhập số từ 0 trở lên.",
                    ),
                ),
            )
        return Typed(None, (*issues, _out_of_range(field, value)))
    if field.maximum is not None and value > field.maximum and field.kind is not Kind.PERCENT:
        return Typed(None, (*issues, _out_of_range(field, value)))
    return Typed(value, tuple(issues))


def _out_of_range(field: Field, value: Any) -> Issue:
    return Issue(
        VALUE_OUT_OF_RANGE,
        f"Giá trị {show_number(field, value)} nằm ngoài khoảng cho phép ({bounds_text(field)}).",
    )


def _date(raw: Any) -> Typed:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 < raw < 2958466:
        raw = EXCEL_EPOCH + timedelta(days=int(raw))  # a date cell stores its serial number
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        if DATE_MIN <= raw <= DATE_MAX:
            return Typed(raw)
        return Typed(None, (Issue(VALUE_BAD_DATE, f"Ngày {raw:%d/%m/%Y} không hợp lệ."),))
    match = _DMY.match(str(raw))
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            parsed = None
        if parsed is not None and DATE_MIN <= parsed <= DATE_MAX:
            return Typed(
                parsed,
                (
                    Issue(
                        VALUE_NUMBER_AS_TEXT,
                        f"Ngày được nhập dạng chữ {_shown(raw)}; đã đọc thành {parsed:%d/%m/%Y}.",
                    ),
                ),
            )
    return Typed(
        None,
        (
            Issue(
                VALUE_BAD_DATE,
                f"{_shown(str(raw))} không phải ngày hợp lệ. Nhập dạng ngày/tháng/năm, ví dụ 23/5/2025.",
            ),
        ),
    )


def _choice(field: Field, raw: Any) -> Typed:
    text = str(raw)
    for choice in field.list_choices:
        if text.casefold() == choice.casefold():
            return Typed(choice)
    options = "; ".join(field.list_choices)
    return Typed(
        None,
        (
            Issue(
                VALUE_NOT_IN_LIST,
                f"{_shown(text)} không có trong danh sách chọn ({options}). Hãy chọn từ danh sách thả xuống.",
            ),
        ),
    )
