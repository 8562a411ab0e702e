"""Figures in well-formed Vietnamese: numbers, rates, dates and the words around them.

Numbers follow the locale ``vi`` (56.703; 99,9%); counts from 1 to 9 take a
leading zero as administrative prose writes them ("02 mô hình"), a zero is said
in words by the sentence that holds it, never "00".

The filters at the end are what the form's outline sentences use: each takes a
:class:`Figure` and raises :class:`Blank` when the figure was not reported (the
clause is dropped) or :class:`Zero` when it is zero (the clause says its ``zero``
words, or is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from workbook_tools.text import format_number

BLANK = "chưa báo cáo"


def decimal(value: float, decimals: int = 2) -> str:
    """``value`` with up to ``decimals`` decimals, no trailing zero: ``-1234.50`` → ``"-1.234,5"``.

    The report's way with :func:`workbook_tools.text.format_number` (half to even).
    """
    return format_number(value, decimals, trailing_zeros=False)


def number(value: float | None, decimals: int = 2) -> str:
    """``56703`` → ``"56.703"``; ``5`` → ``"05"``; ``0`` → ``"0"``; ``12.5`` → ``"12,5"``.

    The leading zero is written for 1 to 9 only, as the seeds write "02 đoàn";
    a blank is "chưa báo cáo" (tables only: sentences drop the clause instead).
    """
    if value is None:
        return BLANK
    if float(value).is_integer():
        whole = int(value)
        return f"{whole:02d}" if 1 <= whole <= 9 else decimal(whole, 0)
    return decimal(round(value, decimals), decimals)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """``0.9985`` → ``"99,9%"`` (one decimal, as the workbook shows it); ``1.0`` → ``"100%"``."""
    if fraction is None:
        return BLANK
    return decimal(round(fraction * 100, decimals), decimals) + "%"


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


class Blank(Exception):
    """A sentence printed a figure the unit left blank: the clause is dropped."""


class Zero(Exception):
    """A sentence printed a zero as a count: the clause says its ``zero`` words instead."""


@dataclass(frozen=True)
class Figure:
    """A value as a sentence sees it: with its unit, display precision and earlier value."""

    value: Any
    unit: str = ""
    decimals: int = 0
    before: Any = None
    against: str = "cùng kỳ"
    by_unit: tuple[tuple[str, Any], ...] = ()  # (unit name, value): the consolidated report's

    def present(self) -> Any:
        if self.value is None or (isinstance(self.value, str) and not self.value.strip()):
            raise Blank
        return self.value

    def numeric(self) -> float:
        value = self.present()
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Blank
        return value

    def __str__(self) -> str:
        value = self.present()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return num(self)
        return str(value).strip()


def num(figure: Figure) -> str:
    """The figure alone: ``"4.080"``; zero raises :class:`Zero`."""
    value = figure.numeric()
    if value == 0:
        raise Zero
    return number(value, figure.decimals)


def count(figure: Figure, unit: str | None = None) -> str:
    """``"4.080 hồ sơ"``, ``"02 đoàn"``; the indicator's unit unless another is given."""
    shown = num(figure)
    word = figure.unit if unit is None else unit
    return f"{shown} {word}" if word else shown


def rate(figure: Figure) -> str:
    """``"99,9%"`` at the indicator's precision; a zero rate is a fact: ``"0%"``."""
    return percent(figure.numeric(), figure.decimals)


def change_of(figure: Figure) -> str:
    """``"tăng 12,5% so với cùng kỳ"``; dropped when there is no earlier value to compare."""
    now = figure.numeric()
    before = figure.before
    if before is None or isinstance(before, bool) or not isinstance(before, (int, float)):
        raise Blank
    if before == 0 and now != 0 and figure.unit != "%":
        raise Blank  # no relative change from nothing
    phrase = change(now, before, rate=figure.unit == "%", against=figure.against)
    if not phrase:
        raise Blank
    return phrase


def plain(figure: Figure) -> str:
    """The value as typed, without grouping: a year ``2021``."""
    value = figure.present()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def yes_no(figure: Figure, yes: str, no: str) -> str:
    """The words for "Có" or "Không"."""
    value = str(figure.present())
    if value == "Có":
        return yes
    if value == "Không":
        return no
    raise Blank


def _ranked(figure: Figure) -> list[tuple[str, float]]:
    """The units that reported the figure as a number; :class:`Blank` outside the
    consolidated report (no unit's values)."""
    found = [
        (name, float(value))
        for name, value in figure.by_unit
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    ]
    if not found:
        raise Blank
    return found


def units(figure: Figure) -> str:
    """How many units have the figure above zero: ``"12 đơn vị"``; none raises :class:`Zero`."""
    above = [name for name, value in _ranked(figure) if value > 0]
    if not above:
        raise Zero
    return f"{number(len(above))} đơn vị"


def most(figure: Figure, limit: int = 10) -> str:
    """The units with the figure above zero, the largest first: ``"Xã A (40 hồ sơ), Xã B
    (12 hồ sơ)"``, then ``"và 25 đơn vị khác"`` past ``limit``."""
    above = sorted(((-v, n) for n, v in _ranked(figure) if v > 0))
    if not above:
        raise Zero
    shown = [f"{name} ({count(replace(figure, value=-v))})" for v, name in above[:limit]]
    rest = len(above) - len(shown)
    return ", ".join(shown) + (f" và {number(rest)} đơn vị khác" if rest else "")


def lowest(figure: Figure, limit: int = 5) -> str:
    """The units with the lowest rates below 100%, the lowest first: ``"Xã A (85,2%)"``;
    :class:`Blank` when every unit reached 100%."""
    below = sorted((v, n) for n, v in _ranked(figure) if v < 1)
    if not below:
        raise Blank
    return ", ".join(f"{name} ({percent(v, figure.decimals)})" for v, name in below[:limit])


FILTERS: dict[str, Callable[..., str]] = {
    "units": units,
    "most": most,
    "lowest": lowest,
    "count": count,
    "num": num,
    "rate": rate,
    "change": change_of,
    "plain": plain,
    "yes_no": yes_no,
}
