"""Figures in well-formed Vietnamese: numbers, rates, dates and the words around them.

Numbers follow the locale ``vi`` (56.703; 99,9%); small counts take a leading
zero as administrative prose writes them ("02 mô hình"); a blank figure is said
to be not reported ("chưa báo cáo"), never written as 0.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

BLANK = "chưa báo cáo"


def decimal(value: float, decimals: int = 2) -> str:
    """``value`` in the locale ``vi`` with up to ``decimals`` decimals: ``-1234567.5`` → ``"-1.234.567,5"``.

    The same text as Babel's ``format_decimal(value, "#,##0.##", locale="vi")`` (``"."``
    groups thousands, ``","`` marks decimals, trailing zeros dropped; a float is read as
    ``str`` gives it and rounded half to even), without Babel's per-call pattern
    parsing: the report formats one number per appendix cell.
    """
    exact = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(rounded):,f}".partition(".")
    fraction = fraction.rstrip("0")
    sign = "-" if rounded.is_signed() else ""
    return sign + whole.replace(",", ".") + ("," + fraction if fraction else "")


def number(value: float | None) -> str:
    """``56703`` → ``"56.703"``; ``5`` → ``"05"``; ``12.5`` → ``"12,5"``; blank → "chưa báo cáo"."""
    if value is None:
        return BLANK
    if float(value).is_integer():
        whole = int(value)
        return f"{whole:02d}" if 0 <= whole < 10 else decimal(whole, 0)
    return decimal(round(value, 2), 3)


def percent(fraction: float | None, decimals: int = 2) -> str:
    """``0.9985`` → ``"99,85%"``; trailing zeros dropped: ``1.0`` → ``"100%"``."""
    if fraction is None:
        return BLANK
    return decimal(round(fraction * 100, decimals), decimals) + "%"


def quantity(value: float | None, unit: str) -> str:
    """``"02 mô hình"``; blank → ``"số mô hình chưa báo cáo"``."""
    if value is None:
        return f"số {unit} {BLANK}"
    return f"{number(value)} {unit}"


def some_or_none(value: float | None, unit: str, what: str, *, none: str | None = None) -> str:
    """``"quá hạn 03 hồ sơ"`` / ``"không có hồ sơ quá hạn"`` / ``"số hồ sơ quá hạn chưa báo cáo"``."""
    if value is None:
        return f"số {unit} {what} {BLANK}"
    if value == 0:
        return none or f"không có {unit} {what}"
    return f"{what} {number(value)} {unit}"


def change(
    now: float | None, before: float | None, *, rate: bool = False, against: str = "cùng kỳ"
) -> str:
    """``"tăng 12,5% so với cùng kỳ"``; for rates the change is in percentage points."""
    if now is None or before is None:
        return ""
    if rate:
        points = round((now - before) * 100, 2)
        if points == 0:
            return f"không đổi so với {against}"
        word = "tăng" if points > 0 else "giảm"
        shown = decimal(abs(points))
        return f"{word} {shown} điểm phần trăm so với {against}"
    if before == 0:
        return "" if now == 0 else f"tăng {number(now)} so với {against} (kỳ trước không có)"
    relative = (now - before) / before
    if relative == 0:
        return f"không đổi so với {against}"
    word = "tăng" if relative > 0 else "giảm"
    return f"{word} {percent(abs(relative), 1)} so với {against}"


def date_line(place: str, day: date | None, year: int) -> str:
    """The place-date line; blank day and month for the văn thư to fill by default.

    Nghị định 30: days below 10 and months 1 and 2 take a leading zero.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number_: int | None, symbol: str) -> str:
    """``"05/BC-SNV"``; without a number, blank for the văn thư: ``"      /BC-SNV"``."""
    if number_ is None:
        return f"      /BC-{symbol}"
    return f"{number_:02d}/BC-{symbol}"


def names(items: list[str], limit: int = 12) -> str:
    """A list of unit names in a sentence, cut with "và n đơn vị khác"."""
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" và {len(items) - limit} đơn vị khác"
