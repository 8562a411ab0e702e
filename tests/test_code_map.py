"""Issue 12: the code map written compact (format 3) and read back cell by cell.

A table column whose cells run down one sheet column is one ``_map`` row naming the
range; anything else keeps a row per cell. Whatever the map, expanding what is written
gives back the very list of entries, in its order.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.contract.meta import (
    MAX_MAP_CELLS,
    CodeMapEntry,
    MapRow,
    MapRowError,
    compact_code_map,
    expand_code_map,
)

SHEETS = ("Số liệu", "Dân vận khéo", "Bảng 2")
KINDS = ("integer", "text", "choice")
LETTERS = st.sampled_from(("A", "B", "Z", "AA", "XFD"))


def as_read(rows: Sequence[MapRow]) -> list[tuple[str, ...]]:
    """The rows as a reader gets them from the sheet: texts, the empty row number blank."""
    return [tuple("" if v is None else str(v) for v in row) for row in rows]


def entry(
    code: str, sheet: str, cell: str, kind: str, table: str, row: int, column: str
) -> CodeMapEntry:
    return CodeMapEntry(code, sheet, cell, kind, "table", table, row, column)


@st.composite
def one_cell(draw: st.DrawFn) -> list[CodeMapEntry]:
    """Any entry of a cell of its own, some of them looking like a table's."""
    role = draw(st.sampled_from(("input", "computed", "table")))
    code = draw(st.sampled_from(("hs_rut", "t[1].a", "t[2].a", "u[1].b", "t[1..2].a")))
    row = draw(st.none() | st.integers(1, 4))
    cell = f"{draw(LETTERS)}{draw(st.integers(1, 30))}"
    return [
        CodeMapEntry(
            code,
            draw(st.sampled_from(SHEETS)),
            cell,
            draw(st.sampled_from(KINDS)),
            role,
            draw(st.sampled_from(("", "t", "u"))),
            row,
            draw(st.sampled_from(("", "a", "b"))),
        )
    ]


COLUMN = st.tuples(
    st.sampled_from(("a", "b", "c")),  # the same column twice is allowed
    st.sampled_from(SHEETS),
    LETTERS,
    st.integers(1, 20),  # the sheet row of table row 1
    st.sampled_from(KINDS),
)


def table_block(
    table: str, rows: int, columns: Sequence[tuple[str, str, str, int, str]]
) -> list[CodeMapEntry]:
    """A table's cells as code_map lists them: row 1 of every column, then row 2, …"""
    return [
        entry(f"{table}[{i}].{col}", sheet, f"{letters}{top + i - 1}", kind, table, i, col)
        for i in range(1, rows + 1)
        for col, sheet, letters, top, kind in columns
    ]


@st.composite
def block(draw: st.DrawFn) -> list[CodeMapEntry]:
    """A table's cells, whole or broken (a cell dropped, moved, retyped, renamed, swapped)."""
    table = draw(st.sampled_from(("t", "u")))
    entries = table_block(
        table, draw(st.integers(1, 6)), draw(st.lists(COLUMN, min_size=1, max_size=4))
    )
    damage = draw(st.sampled_from(("none", "drop", "cell", "kind", "code", "row", "swap")))
    at = draw(st.integers(0, len(entries) - 1))
    e = entries[at]
    if damage == "drop":
        del entries[at]
    elif damage == "cell":
        entries[at] = entry(e.code, e.sheet, e.cell + "0", e.kind, e.table, e.row or 0, e.column)
    elif damage == "kind":
        entries[at] = entry(e.code, e.sheet, e.cell, "date", e.table, e.row or 0, e.column)
    elif damage == "code":
        entries[at] = entry(e.code + "x", e.sheet, e.cell, e.kind, e.table, e.row or 0, e.column)
    elif damage == "row":
        entries[at] = entry(e.code, e.sheet, e.cell, e.kind, e.table, (e.row or 0) + 1, e.column)
    elif damage == "swap":
        other = draw(st.integers(0, len(entries) - 1))
        entries[at], entries[other] = entries[other], entries[at]
    return entries


MAPS = st.lists(st.one_of(one_cell(), block()), max_size=8).map(
    lambda parts: [e for part in parts for e in part]
)


@given(MAPS)
def test_any_code_map_compacts_and_expands_to_the_same_entries(entries: list[CodeMapEntry]) -> None:
    rows = compact_code_map(entries)
    assert expand_code_map(as_read(rows)) == entries
    assert len(rows) <= len(entries)


@given(
    st.integers(2, 8),
    st.lists(COLUMN, min_size=1, max_size=4),
    st.sampled_from(("t", "u")),
)
def test_a_whole_table_is_a_range_row_per_column(
    rows: int, columns: list[tuple[str, str, str, int, str]], table: str
) -> None:
    head = CodeMapEntry("hs_rut", "Số liệu", "D7", "integer", "input")
    written = compact_code_map([head, *table_block(table, rows, columns)])
    assert written[0] == ("hs_rut", "Số liệu", "D7", "integer", "input", "", None, "")
    assert written[1:] == [
        (
            f"{table}[1..{rows}].{col}",
            sheet,
            f"{letters}{top}:{letters}{top + rows - 1}",
            kind,
            "table",
            table,
            rows,
            col,
        )
        for col, sheet, letters, top, kind in columns
    ]


def test_the_range_rows_of_one_block_are_never_run_into_the_next() -> None:
    """Two tables of one code and length in a row would read as one block of four
    columns: the second is written cell by cell."""
    first = table_block("t", 2, [("a", "S", "B", 5, "text"), ("b", "S", "C", 5, "text")])
    second = table_block("t", 2, [("c", "S", "D", 5, "text"), ("d", "S", "E", 5, "text")])
    other = table_block("u", 2, [("a", "T", "A", 1, "integer")])
    entries = [*first, *second, *other]
    assert [row[2] for row in compact_code_map(entries)] == [
        "B5:B6", "C5:C6",  # first: two range rows
        "D5", "E5", "D6", "E6",  # second: cell by cell
        "A1:A2",  # another table: a range row again
    ]  # fmt: skip
    assert expand_code_map(as_read(compact_code_map(entries))) == entries


def test_a_table_of_one_row_keeps_a_row_per_cell() -> None:
    entries = table_block("t", 1, [("a", "S", "B", 5, "text"), ("b", "S", "C", 5, "text")])
    assert [row[2] for row in compact_code_map(entries)] == ["B5", "C5"]


def test_format_2_rows_are_read_as_they_were() -> None:
    rows = [
        ("vb_chi_dao", "Số liệu", "D7", "integer", "input", "", "", ""),
        ("", "", "", "", "", "", "", ""),  # a blank row is skipped
        ("t[2].a", "S", "B6", "text", "table", "t", "2", "a"),
        ("t[1].a", "S", "B5", "text", "table", "t", "1", "a"),
    ]
    assert expand_code_map(rows) == [
        CodeMapEntry("vb_chi_dao", "Số liệu", "D7", "integer", "input"),
        entry("t[2].a", "S", "B6", "text", "t", 2, "a"),
        entry("t[1].a", "S", "B5", "text", "t", 1, "a"),
    ]


GOOD = ("t[1..3].a", "S", "B5:B7", "text", "table", "t", "3", "a")


@pytest.mark.parametrize(
    "bad",
    [
        ("t[1..3].a", "S", "B5:", "text", "table", "t", "3", "a"),  # no end
        ("t[1..3].a", "S", "B5:7", "text", "table", "t", "3", "a"),
        ("t[1..3].a", "S", "B0:B2", "text", "table", "t", "3", "a"),
        ("t[1..3].a", "S", "B5:C7", "text", "table", "t", "3", "a"),  # two columns
        ("t[1..3].a", "S", "B5:B8", "text", "table", "t", "3", "a"),  # 4 rows, not 3
        ("t[1..3].a", "S", "B7:B5", "text", "table", "t", "3", "a"),  # upside down
        ("t[1..3].a", "S", "B5:B7", "text", "table", "t", "ba", "a"),
        ("t[1..3].a", "S", "B5:B7", "text", "table", "t", "", "a"),
        ("t[1..3].a", "S", "B5:B7", "text", "input", "t", "3", "a"),  # not a table's
        ("t[1..3].a", "S", "B5:B7", "text", "table", "", "3", "a"),
        ("t[1..3].a", "S", "B5:B7", "text", "table", "t", "3", ""),
        ("t[1..3].b", "S", "B5:B7", "text", "table", "t", "3", "a"),  # code says b
        ("t[1..4].a", "S", "B5:B7", "text", "table", "t", "3", "a"),
        ("t[1..1048576].a", "S", "B1:B1048576", "text", "table", "t", "1048576", "a"),
    ],
)
def test_a_damaged_range_row_is_named(bad: tuple[str, ...]) -> None:
    rows = [GOOD, ("hs_rut", "S", "D7", "integer", "input", "", "", ""), bad]
    assert len(expand_code_map(rows[:2])) == 4
    with pytest.raises(MapRowError) as raised:
        expand_code_map(rows)
    assert raised.value.index == 2


def test_a_map_of_more_cells_than_any_form_is_damaged() -> None:
    row = ("t[1..50000].a", "S", "B1:B50000", "text", "table", "t", "50000", "a")
    assert len(expand_code_map([row, row])) == 100_000 == MAX_MAP_CELLS
    with pytest.raises(MapRowError) as raised:
        expand_code_map([row, row, ("x", "S", "A1", "text", "input", "", "", "")])
    assert raised.value.index == 2
