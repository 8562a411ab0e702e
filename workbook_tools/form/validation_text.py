"""The Vietnamese texts of each input cell's data validation, and Excel's limits on them.

XlsxWriter silently skips a validation whose texts exceed Excel's limits, so the
loader checks every text built here and rejects the definition instead; the
writer checks again before writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.form.model import Field, Indicator, Kind
from workbook_tools.text import format_number, nfc

TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ERROR_LIMIT = 224

# The longest text an input cell takes (the validation and the reader both hold to it).
TEXT_MAX = 255
LONG_TEXT_MAX = 32000

ERROR_TITLE = "Giá trị không hợp lệ"

_INPUT_TITLES = {
    Kind.INTEGER: "Nhập số nguyên",
    Kind.DECIMAL: "Nhập số",
    Kind.PERCENT: "Nhập tỷ lệ (%)",
    Kind.TEXT: "Nhập nội dung",
    Kind.LONG_TEXT: "Nhập nội dung",
    Kind.DATE: "Nhập ngày",
    Kind.CHOICE: "Chọn trong danh sách",
    Kind.YES_NO: "Chọn Có hoặc Không",
}


@dataclass(frozen=True)
class ValidationText:
    input_title: str
    input_message: str
    error_title: str
    error_message: str

    def too_long(self) -> list[tuple[str, int, int]]:
        """``(which text, its length, the limit)`` for every text over Excel's limit."""
        checks = [
            ("tiêu đề gợi ý", self.input_title, TITLE_LIMIT),
            ("lời gợi ý", self.input_message, PROMPT_LIMIT),
            ("tiêu đề báo lỗi", self.error_title, TITLE_LIMIT),
            ("thông báo lỗi", self.error_message, ERROR_LIMIT),
        ]
        return [(name, len(text), limit) for name, text, limit in checks if len(text) > limit]


def is_year(field: Field) -> bool:
    """A field holding a year (bounds within 1900–2200): written without a thousands dot."""
    low, high = field.minimum, field.maximum
    return low is not None and high is not None and 1900 <= low <= high <= 2200


def show_number(field: Field, value: float) -> str:
    """A number as the field's users write it: ``1.234`` hồ sơ, but the year ``2025``."""
    if is_year(field) and float(value).is_integer():
        return str(int(value))
    return format_number(value)


def bounds_text(field: Field) -> str:
    """``"từ 0 trở lên"`` / ``"từ 0 đến 100"`` (percent bounds shown as percentages)."""
    scale = 100.0 if field.kind is Kind.PERCENT else 1.0
    suffix = "%" if field.kind is Kind.PERCENT else ""
    low = None if field.minimum is None else show_number(field, field.minimum * scale) + suffix
    high = None if field.maximum is None else show_number(field, field.maximum * scale) + suffix
    if low is not None and high is not None:
        return f"từ {low} đến {high}"
    if low is not None:
        return f"từ {low} trở lên"
    if high is not None:
        return f"không quá {high}"
    return ""


def constraint_text(field: Field) -> str:
    """What a valid value is, in one Vietnamese sentence fragment."""
    bounds = bounds_text(field)
    if field.kind is Kind.INTEGER:
        return f"số nguyên {bounds}".strip()
    if field.kind is Kind.DECIMAL:
        return f"số {bounds}".strip()
    if field.kind is Kind.PERCENT:
        return f"tỷ lệ phần trăm {bounds}".strip()
    if field.kind is Kind.DATE:
        return "ngày theo dạng ngày/tháng/năm, ví dụ 23/5/2025"
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        return "một giá trị trong danh sách: " + "; ".join(field.list_choices)
    return "nội dung văn bản"


def text_limit(field: Field) -> int:
    return LONG_TEXT_MAX if field.kind is Kind.LONG_TEXT else TEXT_MAX


def validation_text(field: Field) -> ValidationText:
    unit = f" ({field.unit})" if isinstance(field, Indicator) and field.unit else ""
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        # The dropdown shows the choices; listing them here too would only crowd the
        # prompt (and a choice ending in "." would end it in "..").
        message = f"{field.label}{unit}. Chọn một giá trị trong danh sách thả xuống."
    else:
        message = f"{field.label}{unit}. Nhập {constraint_text(field)}."
    if field.kind is Kind.PERCENT:
        message += " Gõ kèm dấu %, ví dụ 95,5%."
    if field.help:
        message += " " + field.help
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        error = "Hãy chọn một giá trị trong danh sách thả xuống; không gõ giá trị khác."
    elif field.kind.numeric:
        error = (
            f"Giá trị phải là {constraint_text(field)}. Chỉ nhập chữ số, không ghi chữ "
            "(như 'khoảng', 'hơn'); để trống nếu chưa có số liệu."
        )
    elif field.kind is Kind.DATE:
        error = "Ngày không hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 23/5/2025."
    else:
        error = (
            f"Nội dung dài quá {format_number(text_limit(field))} ký tự, giới hạn của ô này. "
            "Hãy rút gọn."
        )
    return ValidationText(
        input_title=nfc(_INPUT_TITLES[field.kind]),
        input_message=nfc(message),
        error_title=nfc(ERROR_TITLE),
        error_message=nfc(error),
    )
