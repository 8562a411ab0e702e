"""Declared table sheets (workbook/tables.py), read back with openpyxl.

Widths and heights are computed here by hand: a column ``w`` characters wide is
stored as ``trunc((7w + 5) / 7 · 256) / 256`` (Excel's rule, 7-pixel digits); a
row of ``n`` wrapped lines of 12 pt text is ``15.75 n + 2`` points, which
XlsxWriter rounds to whole pixels (¾ pt) and spliced rows keep as they are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.contract.legend import HEADER_FILL
from workbook_tools.form.model import Kind
from workbook_tools.writer.sheetxml import SplicedRows
from workbook_tools.writer.styles import Styles
from workbook_tools.writer.tables import Block, Cell, Column, TableSheet, write_table_sheet
from workbook_tools.writer.writer import lock_structure

LONG = "một tên dài hơn một dòng của cột"  # 32 letters in a column 10 wide: 12 a line, 3 lines
COLUMNS = [
    Column("STT", 5),
    Column("Tên", 10),
    Column("Mã", 12, look="code"),  # not measured: a long code does not make its row taller
    Column("Số", 12, look="number", kind=Kind.DECIMAL, decimals=1),
    Column("Tỷ lệ", 10, look="number", kind=Kind.PERCENT),
]
ROWS = [
    (1, LONG, "a_b", 12.345, 0.5),
    (2, "ngắn", "mot_ma_rat_dai_hon_ca_cot_cua_no", Cell(0.25, Kind.PERCENT), None),
]


def _book(sheets: Sequence[TableSheet], *, splice: bool) -> Any:
    """The ``sheets`` written (rows spliced into the XML or not), opened with openpyxl."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = Styles(wb)
    spliced: list[SplicedRows] | None = [] if splice else None
    for sheet in sheets:
        write_table_sheet(wb, styles, sheet, spliced)
    wb.close()
    data = lock_structure(buffer.getvalue(), "", spliced or [])
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("splice", [False, True])
def test_a_declared_sheet_reads_back(splice: bool) -> None:
    ws = _book([TableSheet("Bảng", "TIÊU ĐỀ", "phụ đề", COLUMNS, ROWS, key_columns=2)],
               splice=splice)["Bảng"]  # fmt: skip
    assert (ws["A1"].value, ws["A2"].value) == ("TIÊU ĐỀ", "phụ đề")
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:E1", "A2:E2"}  # over every column
    assert [c.value for c in ws[4]] == ["STT", "Tên", "Mã", "Số", "Tỷ lệ"]
    assert ws["B4"].font.b and ws["B4"].fill.fgColor.rgb == "FF" + HEADER_FILL[1:]
    assert ws.freeze_panes == "C5"  # below the headings, right of the two key columns
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols is None
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["A"].width == 5.7109375  # trunc(40 / 7 · 256) / 256
    assert ws.column_dimensions["B"].width == 10.7109375  # trunc(75 / 7 · 256) / 256
    assert [c.value for c in ws[5]] == [1, LONG, "a_b", 12.345, 0.5]
    assert [c.value for c in ws[6]] == [2, "ngắn", ROWS[1][2], 0.25, None]
    assert ws["B5"].alignment.wrap_text and ws["B5"].border.left.style == "thin"
    assert ws["C5"].font.sz == 9
    assert (ws["D5"].number_format, ws["E5"].number_format) == ("#,##0.0", "0.0%")
    assert ws["D6"].number_format == "0.0%"  # a Cell in a format of its own
    assert ws["E6"].border.left.style == "thin"  # a blank keeps its column's format
    # three lines: 49.25 pt, which XlsxWriter rounds to 66 px = 49.5 pt; the last row
    # (XlsxWriter's either way) one line: 17.75 pt → 24 px = 18 pt
    assert ws.row_dimensions[5].height == (49.25 if splice else 49.5)
    assert ws.row_dimensions[6].height == 18


def test_a_sheet_without_frozen_panes_prints_portrait_with_its_caption() -> None:
    sheet = TableSheet("Dọc", "T", "S", COLUMNS[:2], [(1, "a")], header_row=4, caption="Bảng 1",
                       freeze=False, landscape=False)  # fmt: skip
    ws = _book([sheet], splice=True)["Dọc"]
    assert ws["A4"].value == "Bảng 1" and ws["A4"].font.b
    assert ws["A5"].value == "STT" and ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes is None and ws.page_setup.orientation == "portrait"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:B1", "A2:B2"}


def test_further_tables_follow_two_rows_apart() -> None:
    second = Block([Column("STT", 5), Column("Việc", 20), Column("Ghi chú", 30)],
                   [(1, "x", "y"), (2, "z", None)], caption="Bảng 2")  # fmt: skip
    sheet = TableSheet("Hai bảng", "T", "S", COLUMNS[:2], [(1, "a"), (2, "b")], more=[second])
    for splice in (False, True):
        ws = _book([sheet], splice=splice)["Hai bảng"]
        # first table: headings row 4, rows 5-6; two rows apart: caption row 9, headings row 10
        assert ws["A9"].value == "Bảng 2" and [c.value for c in ws[10]] == [
            "STT",
            "Việc",
            "Ghi chú",
        ]
        assert [c.value for c in ws[11]] == [1, "x", "y"] and ws["B12"].value == "z"
        assert {str(r) for r in ws.merged_cells.ranges} == {"A1:C1", "A2:C2"}  # the widest table
        assert ws.print_title_rows == "$4:$4" and ws.freeze_panes == "A5"


def test_a_wide_sheet_prints_in_column_groups() -> None:
    columns = [Column("Mã", 16), Column("Tên", 30)] + [
        Column(f"Chỉ tiêu {k}", 12, look="number") for k in range(40)
    ]
    rows = [("DV1", "Đơn vị 1", *range(40))]
    sheet = TableSheet("Rộng", "TIÊU ĐỀ", "phụ đề", columns, rows, key_columns=2,
                       in_column_groups=True)  # fmt: skip
    ws = _book([sheet], splice=False)["Rộng"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:B1", "A2:B2"}  # over the key columns
    assert ws.print_title_rows == "$1:$4" and ws.print_title_cols == "$A:$B"
    # 40 columns of 89 pt do not fit a landscape page (769 pt) at 70 %: pages break
    assert ws.col_breaks.brk and 70 <= ws.page_setup.scale <= 100
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "C5"


def test_a_sheet_with_its_own_top_rows_dates_and_colours() -> None:
    """No title (the caller writes above the headings); a date-time column keeps dates;
    a cell in its own colour; filter buttons; margins and footer of its own."""
    columns = [Column("STT", 6, look="index"), Column("Tình trạng", 20),
               Column("Nhận", 17, look="datetime")]  # fmt: skip
    rows = [
        (1, Cell("Đã nhận", fill="#E2EFDA"), datetime(2025, 6, 24, 10, 30)),
        (2, "Chưa gửi", None),
        (3, "x", datetime(2025, 6, 24, 10, 30, tzinfo=timezone.utc)),  # its wall-clock time
    ]
    sheet = TableSheet("Theo dõi", None, "", columns, rows, autofilter=True,
                       margins={"left": 0.5, "right": 0.4, "top": 0.6, "bottom": 0.6},
                       footer="&CTrang &P")  # fmt: skip
    for splice in (False, True):
        ws = _book([sheet], splice=splice)["Theo dõi"]
        assert ws["A1"].value is None and not ws.merged_cells.ranges
        assert [c.value for c in ws[4]] == ["STT", "Tình trạng", "Nhận"]
        assert ws["C5"].value == ws["C7"].value == datetime(2025, 6, 24, 10, 30)
        assert ws["C5"].number_format == "dd/mm/yyyy hh:mm" and ws["C6"].value is None
        assert ws["A5"].alignment.horizontal == "center" and ws["A5"].value == 1
        assert ws["B5"].fill.fgColor.rgb == "FFE2EFDA" and ws["B6"].fill.fill_type is None
        assert ws["B5"].value == "Đã nhận" and ws["B5"].alignment.wrap_text
        assert ws.auto_filter.ref == "A4:C7"
        assert (ws.page_margins.left, ws.page_margins.right) == (0.5, 0.4)
        assert ws.oddFooter.center.text == "Trang &P"


def test_a_sheet_with_no_columns_is_its_title() -> None:
    """A form without tables still gets its tables' sheet: the title, nothing to repeat."""
    ws = _book([TableSheet("Trống", "T", "S", [], [])], splice=True)["Trống"]
    assert ws["A1"].value == "T" and ws.max_row == 2
    assert ws.freeze_panes is None and ws.print_title_rows is None
    with pytest.raises(ValueError):
        TableSheet("Sai", "T", "S", [], [], more=[Block(COLUMNS, ROWS)])


cells = st.one_of(
    st.none(),
    st.integers(-(10**9), 10**9),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=6))
def test_rows_read_back_the_same_spliced_or_not(rows: list[tuple[Any, Any]]) -> None:
    """Spliced or written by XlsxWriter, the cells hold the same values in the same formats."""
    sheet = TableSheet("T", "T", "S", [Column("A", 8), Column("B", 20)], rows)
    one, other = (_book([sheet], splice=splice)["T"] for splice in (False, True))
    for k, row in enumerate(rows, start=5):
        expected = [None if v == "" else v for v in row]
        for a, b, value in zip(one[k], other[k], expected, strict=True):
            assert a.value == b.value == value
            assert _look(a) == _look(b)


def _look(cell: Any) -> tuple[str, ...]:
    """A cell's format, comparable across workbooks (their style ids differ)."""
    parts = (cell.font, cell.border, cell.alignment, cell.fill, cell.number_format)
    return tuple(repr(part) for part in parts)
