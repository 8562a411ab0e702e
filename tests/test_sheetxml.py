"""Cells written straight into sheet XML: what Excel, LibreOffice and openpyxl read back."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.writer.sheetxml import (
    SplicedRows,
    blank_cell,
    formula_cell,
    number_cell,
    plain_cell,
    plain_rows_xml,
    splice_rows,
    style_index,
    text_cell,
)
from workbook_tools.writer.writer import lock_structure


def test_cells_as_xlsxwriter_writes_them() -> None:
    assert number_cell("B2", 3, 7) == '<c r="B2" s="3"><v>7</v></c>'
    assert number_cell("B2", 3, 0.1 + 0.2) == '<c r="B2" s="3"><v>0.3</v></c>'  # %.16G
    assert number_cell("B2", 3, True) == '<c r="B2" s="3"><v>1</v></c>'
    assert blank_cell("C9", 4) == '<c r="C9" s="4"/>'
    assert text_cell("A1", 1, "") == '<c r="A1" s="1"/>'
    assert text_cell("A1", 1, "a & <b>\x01") == (
        '<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">a &amp; &lt;b&gt;_x0001_</t></is></c>'
    )
    assert formula_cell("D4", 2, "A4&lt;1", 0.5) == '<c r="D4" s="2"><f>A4&lt;1</f><v>0.5</v></c>'
    assert formula_cell("D4", 2, "A4", "") == '<c r="D4" s="2"><f>A4</f><v></v></c>'
    assert formula_cell("D4", 2, "A4", True) == '<c r="D4" s="2" t="b"><f>A4</f><v>1</v></c>'
    assert formula_cell("D4", 2, "A4", "#N/A") == '<c r="D4" s="2" t="e"><f>A4</f><v>#N/A</v></c>'
    assert formula_cell("D4", 2, "A4", "x<") == '<c r="D4" s="2" t="str"><f>A4</f><v>x&lt;</v></c>'
    with pytest.raises(ValueError):
        number_cell("B2", 3, float("nan"))


def test_splice_needs_exactly_the_row_to_insert_before() -> None:
    xml = b'<sheetData><row r="1"><c/></row><row r="10"><c/></row></sheetData>'
    spliced = splice_rows(xml, 9, b'<row r="2"/>')
    assert (
        spliced == b'<sheetData><row r="1"><c/></row><row r="2"/><row r="10"><c/></row></sheetData>'
    )
    with pytest.raises(RuntimeError):
        splice_rows(xml, 1, b"")  # no row 2


def test_spliced_rows_read_back_with_their_styles() -> None:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("Số liệu")
    ws.write(0, 0, "Tiêu đề")
    ws.write(3, 0, "Cộng")
    percent = style_index(wb.add_format({"num_format": "0.0%", "bold": True}))
    wb.close()
    rows = (
        '<row r="2">'
        + text_cell("A2", percent, " Đông Sơn & <Thử>")
        + number_cell("B2", percent, 0.25)
        + "</row>"
        + '<row r="3">'
        + formula_cell("B3", percent, "B2*2", 0.5)
        + "</row>"
    )
    xlsx = lock_structure(buffer.getvalue(), "", [SplicedRows("Số liệu", 3, rows.encode())])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Số liệu"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Tiêu đề", None],
        [" Đông Sơn & <Thử>", 0.25],
        [None, "=B2*2"],
        ["Cộng", None],
    ]
    assert sheet["B2"].number_format == "0.0%" and sheet["B3"].font.b
    cached = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)["Số liệu"]
    assert cached["B3"].value == 0.5


_VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=["a", "Đ", "_", "x", "0", "F", "<", "&", "\x01", "\n", "\ufffe", " "]),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_VALUES, max_size=5), min_size=1, max_size=4), st.integers(1, 5))
def test_table_rows_are_their_cells_as_plain_cell_writes_them(
    rows: list[list[object]], width: int
) -> None:
    """The rows of a table (common values first, a text escaped in one pass when it can be)
    hold exactly the cells :func:`plain_cell` writes one by one."""
    styles = list(range(7, 7 + width))
    expected = "".join(
        f'<row r="{3 + k}" spans="1:{width}">'
        + "".join(
            plain_cell(f"{'ABCDE'[j]}{3 + k}", styles[j], value)
            for j, value in enumerate(row[:width])
        )
        + "</row>"
        for k, row in enumerate(rows)
    )
    assert plain_rows_xml(2, rows, styles) == expected.encode()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(-(2**53) - 10, 2**53 + 10),
        st.integers(-(10**300), 10**300),
        st.sampled_from([0, -1, 2**53, 2**53 + 1, -(2**53) - 1, 10**15, 10**16 - 1, 10**16]),
    )
)
def test_a_whole_number_is_written_as_xlsxwriter_writes_it(value: int) -> None:
    """%.16G, as XlsxWriter writes numbers (a whole number takes a shorter way there)."""
    assert number_cell("A1", 0, value) == f'<c r="A1" s="0"><v>{value:.16G}</v></c>'
