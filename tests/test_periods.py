"""Tests for reporting periods.

Every expected label and cut-off below is written by hand from the table in
/work/shared/domain.md ("Periods"), never computed by the module under test.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.errors import PeriodError, WorkbookToolsError
from workbook_tools.periods import (
    Period,
    PeriodKind,
    format_date_short,
    format_date_vi,
    make_period,
    parse_period,
)

# code, kind, start_year, end_year, index, label, title_label, cutoff_start, cutoff_end
KNOWN = [
    (
        "2025-Q1",
        PeriodKind.QUARTER,
        2025,
        2025,
        1,
        "quý I năm 2025",
        "Quý I năm 2025",
        date(2024, 12, 15),
        date(2025, 3, 14),
    ),
    (
        "2025-Q2",
        PeriodKind.QUARTER,
        2025,
        2025,
        2,
        "quý II năm 2025",
        "Quý II năm 2025",
        date(2025, 3, 15),
        date(2025, 6, 14),
    ),
    (
        "2025-Q3",
        PeriodKind.QUARTER,
        2025,
        2025,
        3,
        "quý III năm 2025",
        "Quý III năm 2025",
        date(2025, 6, 15),
        date(2025, 9, 14),
    ),
    (
        "2025-Q4",
        PeriodKind.QUARTER,
        2025,
        2025,
        4,
        "quý IV năm 2025",
        "Quý IV năm 2025",
        date(2025, 9, 15),
        date(2025, 12, 14),
    ),
    (
        "2025-H1",
        PeriodKind.HALF,
        2025,
        2025,
        1,
        "6 tháng đầu năm 2025",
        "6 tháng đầu năm 2025",
        date(2024, 12, 15),
        date(2025, 6, 14),
    ),
    (
        "2025-H2",
        PeriodKind.HALF,
        2025,
        2025,
        2,
        "6 tháng cuối năm 2025",
        "6 tháng cuối năm 2025",
        date(2025, 6, 15),
        date(2025, 12, 14),
    ),
    (
        "2025-9M",
        PeriodKind.NINE_MONTHS,
        2025,
        2025,
        None,
        "9 tháng đầu năm 2025",
        "9 tháng đầu năm 2025",
        date(2024, 12, 15),
        date(2025, 9, 14),
    ),
    (
        "2025",
        PeriodKind.YEAR,
        2025,
        2025,
        None,
        "năm 2025",
        "Năm 2025",
        date(2024, 12, 15),
        date(2025, 12, 14),
    ),
    (
        "2021-2025",
        PeriodKind.MULTI_YEAR,
        2021,
        2025,
        None,
        "giai đoạn 2021 - 2025",
        "Giai đoạn 2021 - 2025",
        date(2020, 12, 15),
        date(2025, 12, 14),
    ),
    (
        "2000",
        PeriodKind.YEAR,
        2000,
        2000,
        None,
        "năm 2000",
        "Năm 2000",
        date(1999, 12, 15),
        date(2000, 12, 14),
    ),
    (
        "2021-2030",
        PeriodKind.MULTI_YEAR,
        2021,
        2030,
        None,
        "giai đoạn 2021 - 2030",
        "Giai đoạn 2021 - 2030",
        date(2020, 12, 15),
        date(2030, 12, 14),
    ),
]


@pytest.mark.parametrize(
    ("code", "kind", "start_year", "end_year", "index", "label", "title", "cut_start", "cut_end"),
    KNOWN,
    ids=[row[0] for row in KNOWN],
)
def test_known_periods(
    code: str,
    kind: PeriodKind,
    start_year: int,
    end_year: int,
    index: int | None,
    label: str,
    title: str,
    cut_start: date,
    cut_end: date,
) -> None:
    p = parse_period(code)
    assert p.code == code
    assert str(p) == code
    assert p.kind is kind
    assert p.start_year == start_year
    assert p.end_year == end_year
    assert p.index == index
    assert p.label == label
    assert p.title_label == title
    assert p.cutoff_start == cut_start
    assert p.cutoff_end == cut_end


def test_years() -> None:
    assert parse_period("2025").years() == [2025]
    assert parse_period("2025-Q3").years() == [2025]
    assert parse_period("2021-2025").years() == [2021, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2025-h1", "2025-H1"),
        ("2025-h2", "2025-H2"),
        ("2025-q3", "2025-Q3"),
        ("2025-9m", "2025-9M"),
        ("  2025-Q4\t", "2025-Q4"),
        ("2025 - Q2", "2025-Q2"),
        ("2025 -h1", "2025-H1"),
        ("2021–2025", "2021-2025"),  # en dash, as Word writes it
        ("2021 – 2025", "2021-2025"),
        ("2021 - 2025", "2021-2025"),
        ("2021—2025", "2021-2025"),  # em dash
        ("2025–Q1", "2025-Q1"),
        (" 2025 ", "2025"),
    ],
)
def test_case_space_and_dash_variants(text: str, code: str) -> None:
    assert parse_period(text).code == code
    assert parse_period(text) == parse_period(code)


BAD = [
    ("", "chưa nhập"),
    ("   ", "chưa nhập"),
    ("2025-Q5", "quý phải từ 1 đến 4"),
    ("2025-Q0", "quý phải từ 1 đến 4"),
    ("2025-q9", "quý phải từ 1 đến 4"),
    ("2025-H3", "h1"),
    ("2025-H0", "h2"),
    ("2026-2021", "năm đầu phải nhỏ hơn năm cuối"),
    ("2025-2025", "năm đầu phải nhỏ hơn năm cuối"),
    ("2021-2031", "tối đa 10 năm"),
    ("1999", "ngoài khoảng 2000–2100"),
    ("2101", "ngoài khoảng 2000–2100"),
    ("1999-H1", "ngoài khoảng 2000–2100"),
    ("2099-2101", "ngoài khoảng 2000–2100"),
    ("2025-6M", "2025-H1"),
    ("2025-3M", "9M"),
    ("2025Q1", "2025-Q1"),
    ("Q1/2025", "2025-Q1"),
    ("2025/H2", "2025-H2"),
    ("25", "4 chữ số"),
    ("202", "4 chữ số"),
    ("20255", "4 chữ số"),
    ("2025-Q", "thiếu số thứ tự"),
    ("2025-Q1-2", "phần sau năm"),
    ("2025.0", "viết là 2025"),
    ("abc", "không nhận ra"),
    ("năm 2025", "không nhận ra"),
    ("2025-H1x", "phần sau năm"),
]


@pytest.mark.parametrize(("text", "reason"), BAD, ids=[repr(t) for t, _ in BAD])
def test_bad_strings(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    message = str(info.value)
    assert f"“{text}”" in message  # quotes exactly what was typed
    assert reason.lower() in message.lower()
    # Every message lists the valid forms with examples.
    for example in ("2025-H1", "2025-H2", "2025-Q1", "2025-Q4", "2025-9M", "2021-2025"):
        assert example in message
    assert isinstance(info.value, WorkbookToolsError)


def test_non_string_is_period_error() -> None:
    with pytest.raises(PeriodError, match="2025"):
        parse_period(2025)  # type: ignore[arg-type]


def test_with_cutoff_override() -> None:
    base = parse_period("2021-2025")
    seed = base.with_cutoff(end=date(2025, 4, 30))
    assert seed.code == "2021-2025"
    assert seed.label == "giai đoạn 2021 - 2025"
    assert seed.cutoff_start == date(2020, 12, 15)
    assert seed.cutoff_end == date(2025, 4, 30)
    assert base.cutoff_end == date(2025, 12, 14)  # the original is untouched
    assert seed != base

    moved = parse_period("2025-H1").with_cutoff(start=date(2025, 1, 1), end=date(2025, 6, 20))
    assert (moved.cutoff_start, moved.cutoff_end) == (date(2025, 1, 1), date(2025, 6, 20))

    only_start = parse_period("2025").with_cutoff(start=date(2025, 1, 1))
    assert only_start.cutoff_start == date(2025, 1, 1)
    assert only_start.cutoff_end == date(2025, 12, 14)

    same_day = parse_period("2025-Q2").with_cutoff(start=date(2025, 6, 14))
    assert same_day.cutoff_start == same_day.cutoff_end == date(2025, 6, 14)

    assert parse_period("2025").with_cutoff() == parse_period("2025")


def test_with_cutoff_start_after_end_is_error() -> None:
    with pytest.raises(PeriodError, match="2025-Q1") as info:
        parse_period("2025-Q1").with_cutoff(start=date(2025, 3, 20))
    assert "20/03/2025" in str(info.value)
    assert "14/03/2025" in str(info.value)
    with pytest.raises(PeriodError):
        parse_period("2025").with_cutoff(start=date(2025, 6, 1), end=date(2025, 5, 31))


def test_direct_construction_rejects_reversed_cutoffs() -> None:
    with pytest.raises(PeriodError):
        Period(
            code="2025",
            kind=PeriodKind.YEAR,
            start_year=2025,
            end_year=2025,
            index=None,
            cutoff_start=date(2025, 12, 14),
            cutoff_end=date(2024, 12, 15),
        )


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (date(2025, 5, 23), "ngày 23 tháng 5 năm 2025"),
        (date(2025, 11, 5), "ngày 05 tháng 11 năm 2025"),
        (date(2025, 1, 10), "ngày 10 tháng 01 năm 2025"),
        (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_format_date_vi_leading_zero(d: date, expected: str) -> None:
    assert format_date_vi(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 2, 5), "ngày 5 tháng 2 năm 2025"),
        (date(2025, 5, 23), "ngày 23 tháng 5 năm 2025"),
        (date(2025, 11, 5), "ngày 5 tháng 11 năm 2025"),
    ],
)
def test_format_date_vi_plain(d: date, expected: str) -> None:
    assert format_date_vi(d, leading_zero=False) == expected


def test_format_date_short() -> None:
    assert format_date_short(date(2025, 2, 5)) == "05/02/2025"
    assert format_date_short(date(2025, 5, 23)) == "23/05/2025"
    assert format_date_short(date(2024, 12, 15)) == "15/12/2024"


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2021-2025", "2023", True),
        ("2021-2025", "2021", True),
        ("2021-2025", "2025-Q4", True),
        ("2021-2025", "2022-2024", True),
        ("2021-2025", "2021-2025", True),
        ("2021-2025", "2026", False),
        ("2021-2025", "2020-Q4", False),
        ("2021-2025", "2020-2022", False),
        ("2025", "2025-Q2", True),
        ("2025", "2025-H2", True),
        ("2025", "2025-9M", True),
        ("2025", "2025", True),
        ("2025", "2024-Q4", False),
        ("2025", "2021-2025", False),
        ("2025-H1", "2025-Q1", True),
        ("2025-H1", "2025-Q2", True),
        ("2025-H1", "2025-Q3", False),
        ("2025-H2", "2025-Q3", True),
        ("2025-H2", "2025-Q2", False),
        ("2025-9M", "2025-H1", True),
        ("2025-9M", "2025-Q3", True),
        ("2025-9M", "2025-Q4", False),
        ("2025-9M", "2025-H2", False),
        ("2025-Q2", "2025-H1", False),
        ("2025-Q2", "2025-Q2", True),
        ("2025-Q2", "2026-Q2", False),
    ],
)
def test_contains_period(outer: str, inner: str, expected: bool) -> None:
    assert parse_period(outer).contains_period(parse_period(inner)) is expected


def test_contains_period_ignores_cutoff_override() -> None:
    # Seed 002: "từ năm 2021 đến 30/4/2025" still reports on the giai đoạn 2021 - 2025.
    seed = parse_period("2021-2025").with_cutoff(end=date(2025, 4, 30))
    assert seed.contains_period(parse_period("2025"))
    assert seed.contains_period(parse_period("2021"))


def test_annual_periods_multi_year() -> None:
    annual = parse_period("2021-2025").annual_periods()
    assert [p.code for p in annual] == ["2021", "2022", "2023", "2024", "2025"]
    assert all(p.kind is PeriodKind.YEAR for p in annual)
    assert [(p.cutoff_start, p.cutoff_end) for p in annual] == [
        (date(2020, 12, 15), date(2021, 12, 14)),
        (date(2021, 12, 15), date(2022, 12, 14)),
        (date(2022, 12, 15), date(2023, 12, 14)),
        (date(2023, 12, 15), date(2024, 12, 14)),
        (date(2024, 12, 15), date(2025, 12, 14)),
    ]


def test_annual_periods_follow_override() -> None:
    seed = parse_period("2021-2025").with_cutoff(end=date(2025, 4, 30))
    annual = seed.annual_periods()
    assert [p.code for p in annual] == ["2021", "2022", "2023", "2024", "2025"]
    assert annual[-1].cutoff_start == date(2024, 12, 15)
    assert annual[-1].cutoff_end == date(2025, 4, 30)
    assert annual[0].cutoff_end == date(2021, 12, 14)

    # A deadline before 2025's collection starts leaves no 2025 at all.
    early = parse_period("2021-2025").with_cutoff(end=date(2024, 12, 10))
    assert [p.code for p in early.annual_periods()] == ["2021", "2022", "2023", "2024"]


def test_annual_periods_year_and_shorter() -> None:
    year = parse_period("2025")
    assert year.annual_periods() == [year]
    overridden = year.with_cutoff(end=date(2025, 11, 30))
    assert overridden.annual_periods() == [overridden]
    assert parse_period("2025-Q1").annual_periods() == []
    assert parse_period("2025-H1").annual_periods() == []
    assert parse_period("2025-9M").annual_periods() == []


def test_ordering_is_chronological() -> None:
    shuffled = ["2021-2025", "2025", "2025-H2", "2025-Q4", "2025-9M", "2025-Q3", "2024"]
    shuffled += ["2025-H1", "2025-Q2", "2025-Q1", "2026-Q1"]
    ordered = [str(p) for p in sorted(parse_period(c) for c in shuffled)]
    assert ordered == [
        "2024",
        "2025-Q1",
        "2025-Q2",
        "2025-H1",
        "2025-Q3",
        "2025-9M",
        "2025-Q4",
        "2025-H2",
        "2025",
        "2021-2025",
        "2026-Q1",
    ]
    assert parse_period("2025-Q1") < parse_period("2025-Q2")
    assert parse_period("2025") > parse_period("2025-H2")
    assert parse_period("2025") <= parse_period("2025")


def test_hashable_and_equal_by_value() -> None:
    a = parse_period("2025-q1")
    b = parse_period("2025-Q1")
    assert a == b
    assert hash(a) == hash(b)
    reports = {a: "báo cáo quý I"}
    assert reports[b] == "báo cáo quý I"
    assert len({a, b, parse_period("2025-Q2")}) == 2
    assert a.with_cutoff(end=date(2025, 3, 10)) not in reports


def test_make_period() -> None:
    assert make_period(PeriodKind.QUARTER, 2025, index=2) == parse_period("2025-Q2")
    assert make_period(PeriodKind.HALF, 2025, index=2) == parse_period("2025-H2")
    assert make_period(PeriodKind.NINE_MONTHS, 2025) == parse_period("2025-9M")
    assert make_period(PeriodKind.YEAR, 2025) == parse_period("2025")
    assert make_period(PeriodKind.MULTI_YEAR, 2021, end_year=2025) == parse_period("2021-2025")


@pytest.mark.parametrize(
    ("kind", "year", "index", "end_year"),
    [
        (PeriodKind.QUARTER, 2025, 5, None),
        (PeriodKind.QUARTER, 2025, None, None),
        (PeriodKind.HALF, 2025, 3, None),
        (PeriodKind.YEAR, 2025, 1, None),
        (PeriodKind.YEAR, 2025, None, 2026),
        (PeriodKind.YEAR, 1999, None, None),
        (PeriodKind.MULTI_YEAR, 2021, None, None),
        (PeriodKind.MULTI_YEAR, 2025, None, 2021),
        (PeriodKind.MULTI_YEAR, 2021, 1, 2025),
    ],
)
def test_make_period_rejects_bad_parts(
    kind: PeriodKind, year: int, index: int | None, end_year: int | None
) -> None:
    with pytest.raises(PeriodError):
        make_period(kind, year, index=index, end_year=end_year)


def test_period_kind_values() -> None:
    assert [k.value for k in PeriodKind] == [
        "year",
        "half",
        "quarter",
        "nine_months",
        "multi_year",
    ]
    assert PeriodKind("quarter") is PeriodKind.QUARTER


# --- properties -------------------------------------------------------------------------------

YEARS = st.integers(min_value=2000, max_value=2100)


@st.composite
def codes(draw: st.DrawFn) -> tuple[str, PeriodKind, int, int, int | None]:
    """A valid code with its parts, the code spelled out here rather than by the module."""
    kind = draw(st.sampled_from(list(PeriodKind)))
    year = draw(YEARS)
    if kind is PeriodKind.YEAR:
        return f"{year}", kind, year, year, None
    if kind is PeriodKind.HALF:
        half = draw(st.integers(1, 2))
        return f"{year}-H{half}", kind, year, year, half
    if kind is PeriodKind.QUARTER:
        quarter = draw(st.integers(1, 4))
        return f"{year}-Q{quarter}", kind, year, year, quarter
    if kind is PeriodKind.NINE_MONTHS:
        return f"{year}-9M", kind, year, year, None
    start = draw(st.integers(2000, 2099))
    end = draw(st.integers(start + 1, min(start + 9, 2100)))
    return f"{start}-{end}", kind, start, end, None


@given(codes())
def test_property_round_trip(parts: tuple[str, PeriodKind, int, int, int | None]) -> None:
    code, kind, start_year, end_year, index = parts
    p = parse_period(code)
    assert (p.code, p.kind, p.start_year, p.end_year, p.index) == (
        code,
        kind,
        start_year,
        end_year,
        index,
    )
    assert parse_period(p.code) == p
    assert parse_period(str(p).lower()) == p
    assert make_period(kind, start_year, index=index, end_year=end_year) == p
    assert p.cutoff_start <= p.cutoff_end
    # Every cut-off window runs from a 15th to a 14th.
    assert p.cutoff_start.day == 15
    assert p.cutoff_end.day == 14
    assert p.years() == list(range(start_year, end_year + 1))


ONE_DAY = timedelta(days=1)


@given(YEARS)
def test_property_quarters_tile_the_year(year: int) -> None:
    whole = parse_period(f"{year}")
    q = [parse_period(f"{year}-Q{n}") for n in (1, 2, 3, 4)]
    assert q[0].cutoff_start == whole.cutoff_start == date(year - 1, 12, 15)
    assert q[3].cutoff_end == whole.cutoff_end == date(year, 12, 14)
    for before, after in pairwise(q):
        assert before.cutoff_end + ONE_DAY == after.cutoff_start
    # Halves tile the year too, and 9M ends with Q3.
    h1, h2 = parse_period(f"{year}-H1"), parse_period(f"{year}-H2")
    assert h1.cutoff_start == whole.cutoff_start
    assert h1.cutoff_end == q[1].cutoff_end
    assert h1.cutoff_end + ONE_DAY == h2.cutoff_start
    assert h2.cutoff_end == whole.cutoff_end
    nine = parse_period(f"{year}-9M")
    assert (nine.cutoff_start, nine.cutoff_end) == (whole.cutoff_start, q[2].cutoff_end)
    # Consecutive years tile as well.
    if year < 2100:
        assert whole.cutoff_end + ONE_DAY == parse_period(f"{year + 1}").cutoff_start
