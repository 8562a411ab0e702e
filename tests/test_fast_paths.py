"""The check's fast paths decide as the plain definitions they stand for (make bench's speed).

- A table row whose cells are all empty is skipped without cleaning a cell, unless one
  of its cells holds a formula (``RawWorkbook.row_empty``, ``TableCells.keys``).
- The narrative checks skip a sentence without a digit: every slip they look for is
  about a number (a date, a year, a fraction, a stated figure).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.narrative import (
    _dates,
    _figures,
    _fractions,
    _own_phrases,
    _phrases,
    _years,
)
from workbook_tools.contract import Request, build_layout
from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.reader.workbook import Grid, RawWorkbook
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

FORM = get_form("dvcq")
H1_2025 = parse_period("2025-H1")

CELL_VALUES = st.sampled_from(["", None, 0, 0.0, False, "x", " ", 1, 2.5, date(2025, 1, 1)])


def workbook_of(rows: list[list[Any]]) -> RawWorkbook:
    return RawWorkbook(
        Path("x.xlsx"), "", 0, "xlsx", ["S"], {}, [], cells={"S": Grid(rows)}, formulas=set()
    )


@given(
    st.lists(st.lists(CELL_VALUES, max_size=8), max_size=4), st.integers(0, 5), st.integers(0, 9)
)
def test_row_empty_is_every_cell_blank_or_none(rows: list[list[Any]], row: int, width: int) -> None:
    raw = workbook_of(rows)
    for first in range(3):
        last = first + width
        cells = rows[row][first : last + 1] if row < len(rows) else []
        expected = all(v == "" or v is None for v in cells)  # the definition, by hand
        assert raw.row_empty("S", row, first, last) is expected


def test_a_formula_in_an_empty_looking_table_row_is_found(tmp_path: Path) -> None:
    """``=""`` shows nothing (and openpyxl saves no cached value): the row looks empty,
    and is read because its cell holds a formula."""
    request = Request(FORM, H1_2025, date(2025, 6, 20))
    unit = Unit("X01", "UBND xã Thử", "Xã", None, None, None, None)
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(WorkbookFactory(request).build(unit))
    cell = build_layout(FORM).table_cells[("dvk_mo_hinh", 7, "ten_mo_hinh")]
    wb = openpyxl.load_workbook(blank)
    wb[cell.sheet][cell.a1] = '=""'
    path = tmp_path / "cong-thuc-trong-bang.xlsx"
    wb.save(path)
    sub = check_file(path, Expectation(FORM))
    found = [(f.code, f.sheet, f.cell, f.indicators) for f in sub.findings]
    assert ("value-formula-in-input", cell.sheet, cell.a1, ("dvk_mo_hinh",)) in found


NO_DIGIT = st.characters(blacklist_categories=("Nd", "Cs"))  # Nd: what the patterns' \d reads
WORDS = st.sampled_from(
    [
        "ngày",
        "tháng",
        "năm",
        "quý",
        "6 tháng đầu",
        "/",
        "%",
        ",",
        ".",
        ";",
        "số",
        "đã giải quyết",
        "hồ sơ",
        "lượt",
        "tiếp nhận",
        "chiếm",
        "tỷ lệ",
        "IV",
        "một",
    ]
)
SENTENCE = st.lists(st.one_of(WORDS, st.text(NO_DIGIT, max_size=6)), max_size=30).map(" ".join)


@given(SENTENCE.filter(lambda s: not any(c.isdecimal() for c in s)))
def test_a_sentence_without_a_digit_has_no_slip(sentence: str) -> None:
    values = {p.code: 1000 for p in _phrases(FORM)}  # every figure comparable
    phrases = _own_phrases(_phrases(FORM), values)
    assert phrases  # the form has figures the text is compared with
    assert list(_dates(sentence, H1_2025)) == []
    assert list(_years(sentence, H1_2025)) == []
    assert list(_fractions(sentence)) == []
    assert list(_figures(phrases, sentence)) == []
