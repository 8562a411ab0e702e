"""Reading a returned file: the hidden metadata sheets, and formulas typed into cells.

The metadata sheets are ``_meta`` (identity) and ``_map`` (code map).

A reader that knows the form's fingerprint takes the code map from the form and
never parses ``_map``; one that does not reads ``_map``. Both must give the same
map, and a workbook of format 1 (the map in ``_meta`` below a ``code_map`` row)
must still be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import Corpus
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, check_file
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


def to_format_1(wb: Any) -> None:
    """The map moved back into ``_meta``, as workbooks of format 1 carried it."""
    rows = list(wb["_map"].iter_rows(values_only=True))
    del wb["_map"]
    meta = wb["_meta"]
    meta["B1"] = 1
    first = meta.max_row + 2
    meta.cell(first, 1, "code_map")
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            meta.cell(first + offset, col, value)


def drop_map(wb: Any) -> None:
    del wb["_map"]


def test_an_unknown_fingerprint_reads_the_map_sheet(corpus: Corpus, dvcq: Form) -> None:
    result = read_file(corpus.valid, known=None)
    assert result.workbook is not None and result.findings == ()
    assert result.workbook.code_map == code_map(build_layout(dvcq))
    # the map sheet's header, then one row per code: 46 indicators + 30 rows x 8 columns
    assert len(result.workbook.code_map) == len(dvcq.indicators) + 100 * 8


def test_format_1_workbooks_are_still_read(corpus: Corpus, dvcq: Form, tmp_path: Path) -> None:
    old = tmp_path / "format-1.xlsx"
    corpus.edit(old, to_format_1)
    result = read_file(old, known=None)
    assert result.workbook is not None
    assert "_map" not in result.workbook.sheet_names
    assert result.workbook.code_map == code_map(build_layout(dvcq))
    sub = check_file(old, Expectation(dvcq))
    new = check_file(corpus.valid, Expectation(dvcq))
    assert sub.accepted and sub.values == new.values and sub.rows == new.rows


def test_the_map_sheet_has_a_header_then_a_row_per_cell(corpus: Corpus) -> None:
    rows = list(openpyxl.load_workbook(corpus.valid)["_map"].iter_rows(values_only=True))
    assert rows[0] == CODE_MAP_HEADER
    by_code = {row[0]: row for row in rows[1:]}
    # vb_chi_dao: the first row of figures (row 7), value column D
    assert by_code["vb_chi_dao"][:5] == ("vb_chi_dao", "Số liệu", "D7", "integer", "input")
    table_row = by_code["dvk_mo_hinh[2].ten_mo_hinh"]
    assert table_row[1] == "Dân vận khéo" and table_row[4:7] == ("table", "dvk_mo_hinh", 2)


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
