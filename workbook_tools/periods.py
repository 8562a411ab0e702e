"""Reporting periods: codes, Vietnamese labels and data cut-offs.

A reporting request names its period with a short code ("2025-H1") because the code travels
through file names, workbook cells and command lines, where Vietnamese prose does not. The
code is turned into a :class:`Period` that knows its label for the report title and its
*thời gian chốt số liệu* (Nghị định 09/2019/NĐ-CP, Điều 12), so every unit counts the same
days. Because each request sets its own deadline, the cut-offs are defaults that a request may
override (:meth:`Period.with_cutoff`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from functools import total_ordering

from workbook_tools.errors import PeriodError

__all__ = [
    "MAX_MULTI_YEAR_SPAN",
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "PeriodKind",
    "format_date_short",
    "format_date_vi",
    "make_period",
    "parse_period",
]

MIN_YEAR = 2000
MAX_YEAR = 2100
# A giai đoạn in the plans is 5 or 10 years ("2021-2025", "2021-2030"); a longer one is a typo.
MAX_MULTI_YEAR_SPAN = 10

# Cut-off days after NĐ 09/2019, Điều 12: from the 15th of the month before the period to the
# 14th of its last month.
_CUTOFF_START_DAY = 15
_CUTOFF_END_DAY = 14

_ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}

_VALID_FORMS = (
    "Các dạng hợp lệ: 2025 (năm), 2025-H1 và 2025-H2 (6 tháng đầu/cuối năm), "
    "2025-Q1 … 2025-Q4 (quý), 2025-9M (9 tháng đầu năm), 2021-2025 (giai đoạn)."
)


class PeriodKind(str, Enum):
    """What span a period covers; the value is the stable spelling used in files."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    NINE_MONTHS = "nine_months"
    MULTI_YEAR = "multi_year"


@total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period with its cut-off dates.

    Build it with :func:`parse_period` or :func:`make_period` rather than directly, so the code,
    kind, years and index agree. Frozen, so it can key dictionaries of reports; ordered
    chronologically (see :meth:`_sort_key`) so lists of periods print in the order people
    expect.
    """

    code: str
    kind: PeriodKind
    start_year: int
    end_year: int
    index: int | None
    cutoff_start: date
    cutoff_end: date

    def __post_init__(self) -> None:
        # Checked here rather than only in with_cutoff so that no Period with an empty
        # collection window can exist, however it was built.
        if self.cutoff_start > self.cutoff_end:
            raise PeriodError(
                f"Kỳ báo cáo {self.code}: ngày bắt đầu chốt số liệu "
                f"({format_date_short(self.cutoff_start)}) sau ngày kết thúc "
                f"({format_date_short(self.cutoff_end)}). Cách sửa: chọn ngày bắt đầu "
                "trước hoặc bằng ngày kết thúc."
            )

    def __str__(self) -> str:
        return self.code

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def _sort_key(self) -> tuple[tuple[int, int], tuple[int, int], str, date, date]:
        """Chronological key: by the month the period ends, then shorter spans first.

        So 2025-Q1 < 2025-Q2 < 2025-H1 < … < 2025 < 2021-2025: a sub-period comes before the
        period that contains it. The cut-offs close the key so that ordering agrees with
        equality (two periods differing only in their cut-offs are not equal).
        """
        (first_year, first_month), last = self._months()
        return (last, (-first_year, -first_month), self.code, self.cutoff_start, self.cutoff_end)

    def _months(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The calendar months the period covers, as (year, month) of the first and last."""
        return _nominal_months(self.kind, self.start_year, self.end_year, self.index)

    @property
    def label(self) -> str:
        """Vietnamese label as used inside a sentence, e.g. ``"quý I năm 2025"``."""
        y = self.start_year
        if self.kind is PeriodKind.YEAR:
            return f"năm {y}"
        if self.kind is PeriodKind.HALF:
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {y}"
        if self.kind is PeriodKind.QUARTER:
            assert self.index is not None
            return f"quý {_ROMAN_QUARTERS[self.index]} năm {y}"
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"9 tháng đầu năm {y}"
        return f"giai đoạn {y} - {self.end_year}"

    @property
    def title_label(self) -> str:
        """The label with a capital first letter, for titles and the start of a sentence."""
        text = self.label
        return text[:1].upper() + text[1:]

    def years(self) -> list[int]:
        """The calendar years the period reports on (not the years its cut-offs touch)."""
        return list(range(self.start_year, self.end_year + 1))

    def with_cutoff(self, start: date | None = None, end: date | None = None) -> Period:
        """The same period with the cut-offs a particular request sets.

        A request may move either end (seed 002 reports "từ năm 2021 đến 30/4/2025"); the
        period's identity (code, kind, years) stays, so its reports still group together.
        Raises :class:`PeriodError` if the resulting start is after the end.
        """
        return replace(
            self,
            cutoff_start=self.cutoff_start if start is None else start,
            cutoff_end=self.cutoff_end if end is None else end,
        )

    def contains_period(self, other: Period) -> bool:
        """Whether ``other`` lies within this period, e.g. 2021-2025 contains 2023-Q2.

        Compared on the calendar months covered, which is the same as comparing the default
        cut-offs; a request's cut-off override moves the data deadline, not which reports
        feed a consolidation, so it is deliberately ignored here.
        """
        mine_first, mine_last = self._months()
        other_first, other_last = other._months()
        return mine_first <= other_first and other_last <= mine_last

    def annual_periods(self) -> list[Period]:
        """The year periods a consolidation over this period is built from.

        For a multi-year period, one year period per year, each with its default cut-offs
        clipped to this period's cut-offs (so "2021-2025 đến 30/4/2025" ends its 2025 at
        30/4/2025); a year left with no days is dropped. A year period gives ``[self]``.
        Shorter periods lie inside one year and have no annual parts, so they give ``[]``.
        """
        if self.kind is PeriodKind.YEAR:
            return [self]
        if self.kind is not PeriodKind.MULTI_YEAR:
            return []
        result: list[Period] = []
        for year in self.years():
            base = make_period(PeriodKind.YEAR, year)
            start = max(base.cutoff_start, self.cutoff_start)
            end = min(base.cutoff_end, self.cutoff_end)
            if start <= end:
                result.append(base.with_cutoff(start, end))
        return result


def _nominal_months(
    kind: PeriodKind, start_year: int, end_year: int, index: int | None
) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last calendar month (year, month) that a period reports on."""
    if kind is PeriodKind.QUARTER:
        assert index is not None
        return (start_year, 3 * index - 2), (start_year, 3 * index)
    if kind is PeriodKind.HALF:
        assert index is not None
        return (start_year, 6 * index - 5), (start_year, 6 * index)
    if kind is PeriodKind.NINE_MONTHS:
        return (start_year, 1), (start_year, 9)
    return (start_year, 1), (end_year, 12)


def _default_cutoffs(
    kind: PeriodKind, start_year: int, end_year: int, index: int | None
) -> tuple[date, date]:
    """NĐ 09/2019 cut-offs: 15th of the month before the first month to 14th of the last."""
    (first_year, first_month), (last_year, last_month) = _nominal_months(
        kind, start_year, end_year, index
    )
    if first_month == 1:
        start = date(first_year - 1, 12, _CUTOFF_START_DAY)
    else:
        start = date(first_year, first_month - 1, _CUTOFF_START_DAY)
    return start, date(last_year, last_month, _CUTOFF_END_DAY)


def _code(kind: PeriodKind, start_year: int, end_year: int, index: int | None) -> str:
    if kind is PeriodKind.YEAR:
        return str(start_year)
    if kind is PeriodKind.HALF:
        return f"{start_year}-H{index}"
    if kind is PeriodKind.QUARTER:
        return f"{start_year}-Q{index}"
    if kind is PeriodKind.NINE_MONTHS:
        return f"{start_year}-9M"
    return f"{start_year}-{end_year}"


def make_period(
    kind: PeriodKind,
    start_year: int,
    *,
    index: int | None = None,
    end_year: int | None = None,
) -> Period:
    """Build a period with its canonical code and default cut-offs.

    For code that already knows the parts (a loop over quarters, a year from a file), so it
    need not format a code only to parse it again. Raises :class:`PeriodError` on parts that
    :func:`parse_period` would also reject.
    """
    shown = _code(kind, start_year, start_year if end_year is None else end_year, index)
    return _build(shown, kind, start_year, index=index, end_year=end_year)


def _build(
    shown: str,
    kind: PeriodKind,
    start_year: int,
    *,
    index: int | None,
    end_year: int | None,
) -> Period:
    """Validate the parts and build the period; errors quote ``shown`` (what the user typed)."""
    _check_year(start_year, shown)
    if kind is PeriodKind.MULTI_YEAR:
        if end_year is None:
            raise _bad(shown, "giai đoạn thiếu năm cuối")
        _check_year(end_year, shown)
        if start_year >= end_year:
            raise _bad(shown, "năm đầu phải nhỏ hơn năm cuối (ví dụ 2021-2025)")
        span = end_year - start_year + 1
        if span > MAX_MULTI_YEAR_SPAN:
            raise _bad(shown, f"giai đoạn dài {span} năm, tối đa {MAX_MULTI_YEAR_SPAN} năm")
        if index is not None:
            raise _bad(shown, "giai đoạn không có số thứ tự")
    else:
        if end_year is not None and end_year != start_year:
            raise _bad(shown, "chỉ giai đoạn mới có năm cuối khác năm đầu")
        end_year = start_year
        if kind is PeriodKind.QUARTER:
            if index is None or not 1 <= index <= 4:
                raise _bad(shown, "quý phải từ 1 đến 4 (Q1, Q2, Q3, Q4)")
        elif kind is PeriodKind.HALF:
            if index is None or index not in (1, 2):
                raise _bad(shown, "nửa năm phải là H1 (6 tháng đầu) hoặc H2 (6 tháng cuối)")
        elif index is not None:
            raise _bad(shown, "loại kỳ này không có số thứ tự")
    start, end = _default_cutoffs(kind, start_year, end_year, index)
    return Period(
        code=_code(kind, start_year, end_year, index),
        kind=kind,
        start_year=start_year,
        end_year=end_year,
        index=index,
        cutoff_start=start,
        cutoff_end=end,
    )


def _quote(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"“{shown}”"


def _bad(text: str, reason: str) -> PeriodError:
    return PeriodError(f"Kỳ báo cáo {_quote(text)} không hợp lệ: {reason}. {_VALID_FORMS}")


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad(text, f"năm {year} ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")


# Dashes people type or paste from Word: hyphen-minus, hyphen, non-breaking hyphen, figure
# dash, en dash, em dash, minus sign.
_DASHES = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*")
_YEAR = r"([0-9]{4})"
_RE_YEAR = re.compile(rf"{_YEAR}")
_RE_HALF = re.compile(rf"{_YEAR}-H([0-9]+)")
_RE_QUARTER = re.compile(rf"{_YEAR}-Q([0-9]+)")
_RE_NINE = re.compile(rf"{_YEAR}-9M")
_RE_MULTI = re.compile(rf"{_YEAR}-{_YEAR}")
_RE_MONTHS = re.compile(rf"{_YEAR}-([0-9]+)M")
_RE_NO_DASH = re.compile(rf"{_YEAR}[\s/._]*([HQ][0-9]+|9M)")
_RE_REVERSED = re.compile(rf"([HQ][0-9]+|9M)\s*[-/ ]\s*{_YEAR}")
_RE_SHORT_YEAR = re.compile(r"[0-9]{1,3}|[0-9]{5,}")


def parse_period(text: str) -> Period:
    """Read a period code such as ``"2025-H1"`` into a :class:`Period` with default cut-offs.

    Forgiving about what people type (case, spaces, an en dash copied from Word) but strict
    about meaning: a wrong code would file a report under the wrong period, so anything else
    raises :class:`PeriodError` whose message quotes the text and says what is wrong.
    """
    if not isinstance(text, str):
        raise _bad(repr(text), "kỳ báo cáo phải là chuỗi ký tự")
    norm = unicodedata.normalize("NFKC", text).strip().upper()
    norm = _DASHES.sub("-", norm)
    if not norm:
        raise PeriodError(f"Chưa nhập kỳ báo cáo (chuỗi rỗng “{text}”). {_VALID_FORMS}")

    if m := _RE_YEAR.fullmatch(norm):
        return _build(text, PeriodKind.YEAR, int(m[1]), index=None, end_year=None)
    if m := _RE_HALF.fullmatch(norm):
        return _build(text, PeriodKind.HALF, int(m[1]), index=int(m[2]), end_year=None)
    if m := _RE_QUARTER.fullmatch(norm):
        return _build(text, PeriodKind.QUARTER, int(m[1]), index=int(m[2]), end_year=None)
    if m := _RE_NINE.fullmatch(norm):
        return _build(text, PeriodKind.NINE_MONTHS, int(m[1]), index=None, end_year=None)
    if m := _RE_MULTI.fullmatch(norm):
        return _build(text, PeriodKind.MULTI_YEAR, int(m[1]), index=None, end_year=int(m[2]))
    raise _bad(text, _near_miss(norm))


def _near_miss(norm: str) -> str:
    """Say what is wrong with a text that matched no form, as specifically as we can."""
    if m := _RE_MONTHS.fullmatch(norm):
        months = int(m[2])
        if months == 6:
            return f"6 tháng viết là {m[1]}-H1 (đầu năm) hoặc {m[1]}-H2 (cuối năm)"
        if months == 12:
            return f"cả năm viết là {m[1]}"
        return "chỉ có kỳ 9 tháng (9M); kỳ khác dùng quý (Q1–Q4) hoặc nửa năm (H1, H2)"
    if m := re.fullmatch(rf"{_YEAR}[.,]0+", norm):
        return f"viết là {m[1]} (ô Excel có thể đã đổi kỳ thành số thập phân)"
    if m := _RE_NO_DASH.fullmatch(norm):
        return f"thiếu dấu gạch ngang, viết là {m[1]}-{m[2]}"
    if m := _RE_REVERSED.fullmatch(norm):
        return f"năm phải đứng trước, viết là {m[2]}-{m[1]}"
    if re.fullmatch(rf"{_YEAR}-[HQ]", norm):
        return "thiếu số thứ tự sau H hoặc Q"
    if _RE_SHORT_YEAR.fullmatch(norm) or re.fullmatch(r"([0-9]+)(-([0-9]+|[HQ][0-9]+|9M))?", norm):
        return "năm phải có đủ 4 chữ số"
    if re.fullmatch(rf"{_YEAR}-.*", norm):
        return "phần sau năm phải là H1, H2, Q1–Q4, 9M hoặc năm cuối của giai đoạn"
    return "không nhận ra dạng kỳ báo cáo"


def format_date_vi(d: date, *, leading_zero: bool = True) -> str:
    """Date as written in a Vietnamese document: ``"ngày 05 tháng 02 năm 2025"``.

    NĐ 30/2020 (Phụ lục I) puts a leading 0 on days below 10 and on months 1 and 2, so that a
    later hand cannot turn "1" into "11" or "12"; other months stay bare. ``leading_zero=False``
    gives the plain prose form ``"ngày 5 tháng 2 năm 2025"``.
    """
    if leading_zero:
        day = f"{d.day:02d}"
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    else:
        day, month = str(d.day), str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def format_date_short(d: date) -> str:
    """Date for tables and cut-off notes: ``"05/02/2025"`` (fixed width lines up in columns)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"
