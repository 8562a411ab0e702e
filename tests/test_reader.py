"""Reading a returned file: the hidden metadata sheets, and formulas typed into cells.

The metadata sheets are ``_meta`` (identity) and ``_map`` (code map).

A reader that knows the form's fingerprint takes the code map from the form and
never parses ``_map``; one that does not reads ``_map``. Both must give the same
map, and workbooks of format 2 (a ``_map`` row per cell) and format 1 (the map in
``_meta`` below a ``code_map`` row) must still be read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import Corpus
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.contract.layout import build_layout
from workbook_tools.contract.meta import CODE_MAP_HEADER, code_map
from workbook_tools.form import Form
from workbook_tools.reader.formulas import formula_coords
from workbook_tools.reader.workbook import read_file
from workbook_tools.units import Unit


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, fresh_workbook: Path, dvcq: Form, unit: Unit
) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("meta"), fresh_workbook, dvcq, unit)


def per_cell_rows(form: Form) -> list[tuple[Any, ...]]:
    """The code map as workbooks of formats 1 and 2 wrote it: a row per cell."""
    return [
        (e.code, e.sheet, e.cell, e.kind, e.role, e.table, e.row, e.column)
        for e in code_map(build_layout(form))
    ]


def to_format_1(form: Form) -> Callable[[Any], None]:
    """The map moved back into ``_meta``, a row per cell, as workbooks of format 1 carried it."""

    def change(wb: Any) -> None:
        del wb["_map"]
        meta = wb["_meta"]
        meta["B1"] = 1
        first = meta.max_row + 2
        meta.cell(first, 1, "code_map")
        for offset, row in enumerate([CODE_MAP_HEADER, *per_cell_rows(form)], start=1):
            for col, value in enumerate(row, start=1):
                meta.cell(first + offset, col, value)

    return change


def to_format_2(form: Form) -> Callable[[Any], None]:
    """``_map`` rewritten a row per cell, as workbooks of format 2 carried it."""

    def change(wb: Any) -> None:
        wb["_meta"]["B1"] = 2
        ws = wb["_map"]
        ws.delete_rows(2, ws.max_row)
        for row in per_cell_rows(form):
            ws.append(row)

    return change


def set_map_row(code: str, changes: dict[int, Any]) -> Callable[[Any], None]:
    """The ``_map`` row of ``code`` with some of its columns (1-based) changed."""

    def change(wb: Any) -> None:
        ws = wb["_map"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)
        for col, value in changes.items():
            ws.cell(row, col).value = value

    return change


def drop_map(wb: Any) -> None:
    del wb["_map"]


def test_an_unknown_fingerprint_reads_the_map_sheet(corpus: Corpus, dvcq: Form) -> None:
    result = read_file(corpus.valid, known=None)
    assert result.workbook is not None and result.findings == ()
    assert result.workbook.code_map == code_map(build_layout(dvcq))
    # one entry per cell: the indicators, then 100 rows x 8 columns of the table
    assert len(result.workbook.code_map) == len(dvcq.indicators) + 100 * 8
    assert result.workbook.code_map[-1].cell == "I104"


def test_format_1_workbooks_are_still_read(corpus: Corpus, dvcq: Form, tmp_path: Path) -> None:
    old = tmp_path / "format-1.xlsx"
    corpus.edit(old, to_format_1(dvcq))
    result = read_file(old, known=None)
    assert result.workbook is not None
    assert "_map" not in result.workbook.sheet_names
    assert result.workbook.code_map == code_map(build_layout(dvcq))
    sub = check_file(old, Expectation(dvcq))
    new = check_file(corpus.valid, Expectation(dvcq))
    assert sub.accepted and sub.values == new.values and sub.rows == new.rows


def test_format_2_workbooks_are_still_read(corpus: Corpus, dvcq: Form, tmp_path: Path) -> None:
    """A ``_map`` of a row per cell (before format 3's range rows) gives the same map."""
    old = tmp_path / "format-2.xlsx"
    corpus.edit(old, to_format_2(dvcq))
    rows = list(openpyxl.load_workbook(old)["_map"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(dvcq.indicators) + 100 * 8
    assert not any(":" in row[2] for row in rows)
    result = read_file(old, known=None)
    assert result.workbook is not None and result.findings == ()
    assert result.workbook.code_map == code_map(build_layout(dvcq))
    sub = check_file(old, Expectation(dvcq))
    new = check_file(corpus.valid, Expectation(dvcq))
    assert sub.accepted and sub.values == new.values and sub.rows == new.rows


def test_the_map_sheet_has_a_row_per_indicator_and_per_table_column(
    corpus: Corpus, dvcq: Form
) -> None:
    rows = list(openpyxl.load_workbook(corpus.valid)["_map"].iter_rows(values_only=True))
    assert rows[0] == CODE_MAP_HEADER
    assert len(rows) == 1 + len(dvcq.indicators) + 8  # the table's 8 columns, a row each
    by_code = {row[0]: row for row in rows[1:]}
    # vb_chi_dao: the first row of figures (row 7), value column D
    assert by_code["vb_chi_dao"][:5] == ("vb_chi_dao", "Số liệu", "D7", "integer", "input")
    # the table's second column: rows 1..100 on sheet rows 5..104 of column C
    assert by_code["dvk_mo_hinh[1..100].linh_vuc"] == (
        "dvk_mo_hinh[1..100].linh_vuc",
        "Dân vận khéo",
        "C5:C104",
        "choice",
        "table",
        "dvk_mo_hinh",
        100,
        "linh_vuc",
    )


def test_a_feedback_copy_keeps_a_map_a_reader_can_expand(
    corpus: Corpus, dvcq: Form, tmp_path: Path
) -> None:
    """The feedback copy (openpyxl re-saves the received file) is the file a unit corrects
    and sends again: its range rows are still read back cell by cell."""
    copy = write_feedback(check_file(corpus.valid, Expectation(dvcq)), tmp_path / "phan-hoi")
    result = read_file(copy, known=None)
    assert result.workbook is not None and result.findings == ()
    assert result.workbook.code_map == code_map(build_layout(dvcq))


DAMAGED_RANGES = [
    {3: "C5:C"},  # not a range
    {3: "C5:D104"},  # two columns
    {3: "C5:C103"},  # 99 rows, not 100
    {7: 99},
    {7: "nhiều"},
    {1: "dvk_mo_hinh[1..100].ten_mo_hinh"},  # the code of another column
]


@pytest.mark.parametrize("changes", DAMAGED_RANGES)
def test_a_damaged_range_row_is_damage_unless_the_form_is_known(
    corpus: Corpus, dvcq: Form, tmp_path: Path, changes: dict[int, Any]
) -> None:
    broken = tmp_path / "bad-range.xlsx"
    corpus.edit(broken, set_map_row("dvk_mo_hinh[1..100].linh_vuc", changes))
    unknown = read_file(broken, known=None)
    assert unknown.workbook is None
    # the second range row, below the header and a row per indicator
    row = 1 + len(dvcq.indicators) + 2
    assert [(f.code, f.sheet, f.cell) for f in unknown.findings] == [
        ("meta-damaged", "_map", f"C{row}")
    ]
    assert f"dòng {row}" in unknown.findings[0].message
    assert check_file(broken, Expectation(dvcq)).accepted


def test_a_missing_map_is_damage_unless_the_form_is_known(
    corpus: Corpus, dvcq: Form, tmp_path: Path
) -> None:
    broken = tmp_path / "no-map.xlsx"
    corpus.edit(broken, drop_map)
    unknown = read_file(broken, known=None)
    assert unknown.workbook is None
    assert [(f.code, f.sheet) for f in unknown.findings] == [("meta-damaged", "_meta")]
    # the fingerprint names the very definition the checker has: its map is that one
    assert check_file(broken, Expectation(dvcq)).accepted


# --- formulas typed into cells ---------------------------------------------------------

CELL = st.tuples(
    st.sampled_from(["A", "D", "AB"]),
    st.integers(1, 300),
    st.booleans(),  # holds a formula
    st.permutations(["r", "s", "t"]),  # attribute order differs between writers
    st.sampled_from(['"', "'"]),
    st.sampled_from(["<f>1+2</f>", '<f aca="false">SUM(D7:D9)</f>', '<f t="shared" si="0"/>']),
)


@given(st.lists(CELL, max_size=30, unique_by=lambda c: (c[0], c[1])))
def test_formula_cells_are_found_whatever_the_writer(cells: list[Any]) -> None:
    xml = ['<worksheet><cols><col min="1" max="2"/></cols><sheetData><row r="1">']
    expected = []
    for col, row, has_formula, order, quote, formula in cells:
        values = {"r": f"{col}{row}", "s": "3", "t": "n"}
        attrs = " ".join(f"{name}={quote}{values[name]}{quote}" for name in order)
        body = (formula if has_formula else "") + "<v>3</v>"
        xml.append(f"<c {attrs}>{body}</c>")
        if has_formula:
            expected.append(f"{col}{row}")
    xml.append(
        '</row></sheetData><conditionalFormatting><cfRule type="expression">'
        "<formula>D7&gt;0</formula></cfRule></conditionalFormatting></worksheet>"
    )
    assert formula_coords("".join(xml).encode()) == expected
