"""How a sheet prints on A4: the page set-up every sheet writer shares.

:func:`page_setup` gives a sheet its paper, orientation, margins, page numbers,
rows (and key columns) repeated on every page and print area, fitted to the
page width. A sheet too wide for that (a column per indicator) prints instead
in column groups (:func:`column_groups`): each page shows the key columns, then
as many of the other columns as fit at a readable scale, the groups balanced.
Rows that wrap get a height from :mod:`sizing` (:func:`text_row_heights`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from workbook_tools.writer.sizing import CHARS_PER_WIDTH, LINE_HEIGHT, lines

A4 = 9  # the paper code of A4 in a spreadsheet's page set-up
A4_INCHES = (8.27, 11.69)  # short side, long side
MARGINS = {"left": 0.7, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches
FOOTER = '&C&"Times New Roman"&10Trang &P/&N'
POINTS_PER_INCH = 72
MIN_SCALE = 70  # percent: 12 pt text prints at 8.4 pt, the smallest that reads well


def page_setup(
    ws: Any,
    *,
    landscape: bool = False,
    header_rows: tuple[int, int] | None = None,
    key_columns: tuple[int, int] | None = None,
    area: tuple[int, int, int, int] | None = None,
    fit_width: bool = True,
    margins: Mapping[str, float] = MARGINS,
    footer: str = FOOTER,
) -> None:
    """A4, page numbers, and (by default) fitted to the page width.

    ``header_rows`` (first, last) print on top of every page and ``key_columns``
    (first, last) at the left of every page; ``area`` (first row, first column,
    last row, last column) is what prints. ``fit_width=False`` leaves the scale
    to the caller (:func:`print_in_column_groups`). ``margins`` (inches) and
    ``footer`` default to the house's.
    """
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**margins)
    if fit_width:
        ws.fit_to_pages(1, 0)
    ws.set_footer(footer)
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    if key_columns is not None:
        ws.repeat_columns(*key_columns)
    if area is not None:
        ws.print_area(*area)


def column_points(width: float) -> int:
    """How wide a column ``width`` characters wide prints at 100 %, in points (at most).

    Excel prints it ``7·width + 5`` pixels wide (the default font's 7-pixel digits,
    at 96 pixels an inch); LibreOffice, where that font (Calibri) is replaced by a
    wider one, prints as many points: a third wider. The wider measure keeps a
    column group on its page in both.
    """
    return int(width * 7 + 5) if width >= 1 else int(width * 12)


def printable_points(*, landscape: bool) -> int:
    """The width inside the margins of an A4 page, in points."""
    short, long = A4_INCHES
    inches = (long if landscape else short) - MARGINS["left"] - MARGINS["right"]
    return int(inches * POINTS_PER_INCH)


@dataclass(frozen=True)
class ColumnGroups:
    """Where pages start across a wide sheet, and the scale they print at.

    ``breaks`` are the 0-based columns that start a new page (the key columns
    print again before each); ``scale`` is in percent.
    """

    breaks: tuple[int, ...]
    scale: int


def _starts(points: Sequence[int], room: float, lead: int) -> list[int]:
    """Greedy groups of ``points`` within ``room``, the first after ``lead``: where each starts."""
    starts: list[int] = []
    load = lead
    for i, width in enumerate(points):
        if load > 0 and load + width > room:
            starts.append(i)
            load = 0
        load += width
    return starts


def column_groups(
    widths: Sequence[float],
    *,
    keys: int,
    first: int,
    heights: tuple[float, float] = (0, 0),
) -> ColumnGroups:
    """Page breaks for a sheet whose columns ``widths`` are wider than a landscape page.

    Columns ``0..keys-1`` repeat on every page; columns ``keys..first-1`` print on
    the first page only; from ``first`` the columns are split into as few groups
    as fit at :data:`MIN_SCALE`, balanced (the widest group as narrow as it can
    be), and the scale is raised as far as the widest group allows (at most 100)
    and as the rows allow without a page more down each group: ``heights`` are
    those of the rows repeated on every page and of the others, in points.
    """
    points = [column_points(w) for w in widths]
    page = printable_points(landscape=True)
    key = sum(points[:keys])
    lead = sum(points[keys:first])
    rest = points[first:]
    if not rest:
        return ColumnGroups((), min(100, math.floor(page * 100 / max(1, key + lead))))
    room = page * 100 / MIN_SCALE - key
    count = len(_starts(rest, room, lead))
    low, high = max(rest), max(int(room), max(rest))
    while low < high:  # the narrowest room that needs no more groups
        mid = (low + high) // 2
        if len(_starts(rest, mid, lead)) <= count:
            high = mid
        else:
            low = mid + 1
    starts = _starts(rest, low, lead)
    bounds = [0, *starts, len(rest)]
    widest = max(
        sum(rest[a:b]) + (lead if k == 0 else 0) for k, (a, b) in enumerate(pairwise(bounds))
    )
    scale = max(MIN_SCALE, min(100, math.floor(page * 100 / (key + widest))))
    while scale > MIN_SCALE and _pages_down(heights, scale) > _pages_down(heights, MIN_SCALE):
        scale -= 1
    return ColumnGroups(tuple(first + s for s in starts), scale)


def _pages_down(heights: tuple[float, float], scale: int) -> int:
    """The landscape pages down a column group: ``heights`` (repeated rows, other rows) at
    ``scale``."""
    page = (A4_INCHES[0] - MARGINS["top"] - MARGINS["bottom"]) * POINTS_PER_INCH
    room = page * 100 / scale - heights[0]
    return math.ceil(heights[1] / room) if room > 0 else 1


def print_in_column_groups(
    ws: Any, groups: ColumnGroups, *, keys: int, header_rows: tuple[int, int]
) -> None:
    """A4 landscape in the column ``groups`` (:func:`column_groups`) of a sheet whose
    first ``keys`` columns and ``header_rows`` print on every page.

    The pages go down the rows of one group, then on to the next group.
    """
    page_setup(
        ws,
        landscape=True,
        header_rows=header_rows,
        key_columns=(0, keys - 1) if keys else None,
        fit_width=False,
    )
    ws.set_print_scale(groups.scale)
    if groups.breaks:
        ws.set_v_pagebreaks(list(groups.breaks))


def text_row_heights(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> list[float]:
    """The height (points) of each row of 12 pt text wrapped in columns ``widths``.

    Numbers, dates and blanks take one line. A national consolidation has ~10⁵ such
    cells: a text that surely fits its line is not measured, and a text a column repeats
    (an indicator's label, a unit's name) is measured once.
    """
    fits = [max(1, int(w * CHARS_PER_WIDTH)) / 1.5 for w in widths]  # characters, all capitals
    measured: dict[tuple[str, float], int] = {}
    out = []
    for row in rows:
        most = 1
        for value, width, short in zip(row, widths, fits, strict=False):
            if isinstance(value, str) and (len(value) > short or "\n" in value):
                count = measured.get((value, width))
                if count is None:
                    count = measured[(value, width)] = lines(value, width)
                most = max(most, count)
        out.append(round(most * LINE_HEIGHT + 2, 2))
    return out
