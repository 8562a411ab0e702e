"""Table sheets declared, then written by one function.

Most sheets a person reads in the generated workbooks are the same thing: a title
and a subtitle, a row of column headings, rows of plain values, panes frozen
below the headings and an A4 page set-up that repeats them on every page. A
sheet says what it holds in a :class:`TableSheet` (its columns with heading,
width and format; its rows; how it prints) and :func:`write_table_sheet` writes
it. The pieces (:func:`write_title`, :func:`write_group_title`,
:func:`write_headings`, :func:`write_rows`) serve the sheets that are more than
a table (live totals, a summary above the table).

Each row is as tall as its wrapped text (:func:`printing.text_row_heights`); all
rows but the last go straight into the sheet XML when the workbook collects
spliced rows (:mod:`sheetxml`: a national consolidation has thousands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any, Literal

from workbook_tools.form.model import Kind
from workbook_tools.writer.printing import (
    FOOTER,
    MARGINS,
    column_groups,
    page_setup,
    print_in_column_groups,
    text_row_heights,
)
from workbook_tools.writer.sheetxml import SplicedRows, plain, plain_rows_xml, style_index
from workbook_tools.writer.sizing import row_height
from workbook_tools.writer.styles import Styles, number_format

ROW_POINTS = 15.0  # a row's height when it is not set (XlsxWriter's default)
TITLE_ROWS = 2  # the title and the subtitle, rows 0 and 1
Look = Literal["text", "code", "number", "index", "datetime"]
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
EPOCH = datetime(1899, 12, 31)  # day 1 of a spreadsheet's dates is 1 January 1900


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading, its width (Excel characters) and how its cells look.

    ``look``: ``"text"`` (bordered, wrapped; ``bold``, ``top`` for text read from the
    row's top), ``"code"`` (small grey, as the indicator codes), ``"number"`` (in the
    format of ``kind`` at ``decimals``), ``"index"`` (a row number, centred) or
    ``"datetime"`` (a date and time, centred, kept a date so it sorts and filters).
    ``wrap``: the row grows to fit this column's wrapped text; off for a column whose
    text is known to fit its line.
    """

    header: str
    width: float
    look: Look = "text"
    kind: Kind = Kind.INTEGER
    decimals: int | None = None
    bold: bool = False
    top: bool = False
    wrap: bool = True

    def style(self, styles: Styles, cell: Cell | None = None) -> Any:
        """The cell format; a :class:`Cell` may give its own number format or fill."""
        own: dict[str, Any] = {}
        if cell is not None and cell.fill is not None:
            own["bg_color"] = cell.fill
        if self.look == "code":
            return styles.code()
        if self.look == "number":
            kind, decimals = (
                (cell.kind, cell.decimals) if cell and cell.kind else (self.kind, self.decimals)
            )
            return styles.get(border=1, num_format=number_format(kind, decimals), **own)
        if self.look == "index":
            return styles.get(border=1, align="center", **own)
        if self.look == "datetime":
            return styles.get(border=1, align="center", num_format=DATETIME_FORMAT, **own)
        if self.top:
            return styles.get(text_wrap=True, border=1, valign="top", **_bold(self.bold), **own)
        return (
            styles.label(bold=self.bold)
            if not own
            else styles.get(text_wrap=True, border=1, **_bold(self.bold), **own)
        )


def headings(labels: Sequence[str], widths: Sequence[float]) -> list[Column]:
    """Text columns with these headings and widths."""
    return [Column(label, width) for label, width in zip(labels, widths, strict=True)]


def _bold(bold: bool) -> dict[str, bool]:
    return {"bold": True} if bold else {}


@dataclass(frozen=True)
class Cell:
    """A value in a format of its own where its column's does not fit: a number format
    (``kind``, ``decimals``: a table with a row per indicator) or a ``fill`` (a state's
    colour)."""

    value: Any
    kind: Kind | None = None
    decimals: int | None = None
    fill: str | None = None


@dataclass(frozen=True)
class Block:
    """A further table below the first, two rows apart, with a ``caption`` above its headings."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    caption: str | None = None


@dataclass(frozen=True)
class TableSheet:
    """What a table sheet holds and how it prints.

    ``header_row`` (0-based) holds the column headings, below the title and the
    subtitle (rows 0 and 1; no ``title``: the caller writes what goes above the
    headings); ``caption`` is written on the row above it. The
    panes freeze below the headings (``freeze``), left of the ``key_columns``. A
    sheet prints on A4 with its headings on every page, fitted to the page width;
    with ``in_column_groups`` (a column per indicator) it prints in column groups
    instead, the title and the ``key_columns`` on every page
    (:func:`printing.column_groups`). ``more`` tables follow below the first.

    ``autofilter`` puts filter buttons on the first table's headings; ``margins`` and
    ``footer`` are the house's unless given (:func:`printing.page_setup`).

    ``xml_rows``: the rows but the last of each table go straight into the sheet XML
    when the workbook collects spliced rows (a table of units or of findings has
    thousands at national scale); off, XlsxWriter writes them all (and rounds their
    heights to whole pixels), as for a table of the form's indicators.
    """

    name: str
    title: str | None
    subtitle: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    header_row: int = 3
    caption: str | None = None
    more: Sequence[Block] = ()
    freeze: bool = True
    key_columns: int = 0
    landscape: bool = True
    in_column_groups: bool = False
    xml_rows: bool = True
    autofilter: bool = False
    margins: Mapping[str, float] = field(default_factory=lambda: MARGINS)
    footer: str = FOOTER

    @property
    def widths(self) -> list[float]:
        return [col.width for col in self.columns]

    @property
    def last_column(self) -> int:
        """The last column any of its tables uses."""
        return max(len(cols) for cols in (self.columns, *(b.columns for b in self.more))) - 1

    def __post_init__(self) -> None:
        if self.more and not self.columns:
            raise ValueError(f"{self.name}: further tables below no first table")


def write_table_sheet(
    wb: Any, styles: Styles, sheet: TableSheet, spliced: list[SplicedRows] | None = None
) -> Any:
    """Add ``sheet`` to the XlsxWriter workbook ``wb``; the worksheet.

    With ``spliced`` (the workbook's :attr:`SheetContext.spliced`) the rows but the
    last of each table go there, to be written into the sheet XML (see
    :attr:`TableSheet.xml_rows`).
    """
    ws = wb.add_worksheet(sheet.name)
    widths = sheet.widths
    spliced = spliced if sheet.xml_rows else None
    heads, title = 0.0, sheet.title
    if title is not None and sheet.in_column_groups:
        heads = write_group_title(ws, styles, title, sheet.subtitle, widths[: sheet.key_columns])
        heads += ROW_POINTS * (sheet.header_row - TITLE_ROWS)
    elif title is not None:
        write_title(ws, styles, title, sheet.subtitle, sheet.last_column)
    if not sheet.columns:  # nothing to tabulate (a form without tables): the title alone
        page_setup(ws, landscape=sheet.landscape, margins=sheet.margins, footer=sheet.footer)
        return ws
    if sheet.caption is not None:
        ws.write_string(sheet.header_row - 1, 0, sheet.caption, styles.get(bold=True))
    heads += write_headings(ws, styles, sheet.header_row, sheet.columns)
    heights = _heights(sheet.rows, sheet.columns)
    row = write_rows(ws, styles, sheet.header_row + 1, sheet.rows, sheet.columns, heights, spliced)
    if sheet.autofilter:
        last = max(sheet.header_row + len(sheet.rows), sheet.header_row)
        ws.autofilter(sheet.header_row, 0, last, len(sheet.columns) - 1)
    for block in sheet.more:
        row += 2
        if block.caption is not None:
            ws.write_string(row, 0, block.caption, styles.get(bold=True))
            row += 1
        write_headings(ws, styles, row, block.columns)
        heights_below = _heights(block.rows, block.columns)
        row = write_rows(ws, styles, row + 1, block.rows, block.columns, heights_below, spliced)
    if sheet.freeze:
        ws.freeze_panes(sheet.header_row + 1, sheet.key_columns)
    if sheet.in_column_groups:
        keys = sheet.key_columns
        groups = column_groups(widths, keys=keys, first=keys, heights=(heads, sum(heights)))
        print_in_column_groups(ws, groups, keys=keys, header_rows=(0, sheet.header_row))
    else:
        heading = (sheet.header_row, sheet.header_row)
        page_setup(ws, landscape=sheet.landscape, header_rows=heading, margins=sheet.margins,
                   footer=sheet.footer)  # fmt: skip
    return ws


def write_title(ws: Any, styles: Styles, title: str, subtitle: str, last_column: int) -> None:
    """The title and the subtitle (rows 0 and 1), each merged over columns 0 to ``last_column``."""
    ws.merge_range(0, 0, 0, max(last_column, 1), title, styles.title())
    ws.merge_range(1, 0, 1, max(last_column, 1), subtitle, styles.subtitle())


def write_group_title(
    ws: Any, styles: Styles, title: str, subtitle: str, widths: Sequence[float]
) -> float:
    """The title of a sheet printed in column groups, over its key columns ``widths``
    (which print on every page: a title over the first page's columns would be cut on
    the others), wrapped there; the height of its two rows."""
    last, width = len(widths) - 1, sum(widths)
    heights = (row_height([(title, width)], font_size=14), row_height([(subtitle, width)]))
    ws.merge_range(0, 0, 0, last, title, styles.title())
    ws.set_row(0, heights[0])
    ws.merge_range(1, 0, 1, last, subtitle, styles.subtitle())
    ws.set_row(1, heights[1])
    return sum(heights)


def write_headings(ws: Any, styles: Styles, row: int, columns: Sequence[Column]) -> float:
    """The column headings in ``row`` (wrapped, the row as tall as the longest) and the
    columns' widths; the row's height."""
    for col, column in enumerate(columns):
        ws.write(row, col, column.header, styles.header())
        ws.set_column(col, col, column.width)
    height = row_height([(column.header, column.width) for column in columns])
    ws.set_row(row, height)
    return height


def _heights(rows: Sequence[Sequence[Any]], columns: Sequence[Column]) -> list[float]:
    """Each row's height: the tallest wrapped text of its ``wrap`` columns."""
    wrapped = [j for j, col in enumerate(columns) if col.wrap and col.look == "text"]
    widths = [columns[j].width for j in wrapped]
    if len(wrapped) == len(columns) and not any(isinstance(v, Cell) for row in rows for v in row):
        return text_row_heights(rows, widths)
    texts = [[_value(row[j]) for j in wrapped if j < len(row)] for row in rows]
    return text_row_heights(texts, widths)


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Cell) else value


Run = tuple[tuple[Any, ...], Sequence[Sequence[Any]]]
"""Rows whose cells have the same formats: (the formats, the rows)."""


def write_rows(
    ws: Any,
    styles: Styles,
    first: int,
    rows: Sequence[Sequence[Any]],
    columns: Sequence[Column],
    heights: Sequence[float],
    spliced: list[SplicedRows] | None = None,
) -> int:
    """Table ``rows`` of plain values (:func:`sheetxml.plain`, or :class:`Cell`) from row
    ``first``, row ``k`` ``heights[k]`` points tall; the row after them.

    With ``spliced``, all but the last go straight into the sheet XML; XlsxWriter
    writes the last, so the sheet's dimension covers them all and the others have
    a row to go before.
    """
    if not rows:
        return first
    last = first + len(rows) - 1
    runs = _runs(styles, rows, columns)
    if spliced is None:
        by_xlsxwriter, row = runs, first
    else:
        fmts, final = runs[-1]
        xml = _rows_xml([*runs[:-1], (fmts, final[:-1])], first, heights)
        if xml:
            spliced.append(SplicedRows(ws.name, last, xml))
        by_xlsxwriter, row = [(fmts, final[-1:])], last
    for fmts, run in by_xlsxwriter:
        for values in run:
            _write_row(ws, row, values, fmts, heights[row - first])
            row += 1
    return last + 1


def _rows_xml(runs: Sequence[Run], first: int, heights: Sequence[float]) -> bytes:
    """The sheet XML of ``runs`` of rows from row ``first``, row ``k`` ``heights[k]`` tall."""
    xml: list[bytes] = []
    at = 0
    for fmts, run in runs:
        if run:
            indexes = [style_index(f) for f in fmts]
            xml.append(plain_rows_xml(first + at, run, indexes, heights[at : at + len(run)]))
            at += len(run)
    return b"".join(xml)


def _write_row(
    ws: Any, row: int, values: Sequence[Any], fmts: Sequence[Any], height: float
) -> None:
    """One row of plain values through XlsxWriter."""
    ws.set_row(row, height)
    for col, (value, fmt) in enumerate(zip(values, fmts, strict=True)):
        shown = plain(value)
        if shown is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(shown, str):
            ws.write_string(row, col, shown, fmt)
        else:
            ws.write_number(row, col, shown, fmt)


def _runs(styles: Styles, rows: Sequence[Sequence[Any]], columns: Sequence[Column]) -> list[Run]:
    """``rows`` in runs of rows whose cells have the same formats: (the formats, the rows).

    A cell is in its column's format, a :class:`Cell` in its own; a date and time is
    the number a spreadsheet holds. Most tables are one run.
    """
    fmts = tuple(column.style(styles) for column in columns)
    if not _own_formats(rows):
        return [(fmts[:width], list(run)) for width, run in groupby(rows, key=len)]
    cells = [_cells(styles, row, columns, fmts) for row in rows]
    return [(own, [values for values, _ in run]) for own, run in groupby(cells, key=lambda c: c[1])]


def _own_formats(rows: Sequence[Sequence[Any]]) -> bool:
    """Whether a value of ``rows`` is not in its column's format: a :class:`Cell`, or a date
    and time (written as a number)."""
    kinds = {type(value) for row in rows for value in row}
    return any(issubclass(kind, (Cell, datetime)) for kind in kinds)


def _cells(
    styles: Styles, row: Sequence[Any], columns: Sequence[Column], fmts: Sequence[Any]
) -> tuple[Sequence[Any], tuple[Any, ...]]:
    """A row's values and their formats: the columns' ``fmts``, a :class:`Cell` in its own;
    a date and time as the number a spreadsheet holds."""
    values: list[Any] = []
    own: list[Any] = []
    for value, column, fmt in zip(row, columns, fmts, strict=False):
        if isinstance(value, Cell):
            values.append(_moment(value.value, column))
            own.append(column.style(styles, value))
        else:
            values.append(_moment(value, column))
            own.append(fmt)
    return tuple(values), tuple(own)


def _moment(value: Any, column: Column) -> Any:
    """In a ``datetime`` column, a date and time as a spreadsheet's serial number (its local
    time, as XlsxWriter's ``write_datetime`` computes it); any other value as it is."""
    if column.look != "datetime" or not isinstance(value, datetime):
        return value
    delta = value.replace(tzinfo=None) - EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    return serial + 1 if serial > 59 else serial  # Excel counts a 29 February 1900
