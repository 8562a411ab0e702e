"""What is computed from a form once, kept in one cache keyed by the form's fingerprint.

Every workbook of one form version has the same layout and carries the same code
map, and every received file of it is checked against that map arranged by code,
input and table row. :func:`compiled` computes the three together the first time a
form is met and keeps them by the form's fingerprint (a hash of its whole
definition: the same fingerprint is the same form). The writer, the checks, the
registry's quality data and the merge all take them from here.

A file made from another version of the form carries its own code map, which the
reader reads from the file (:func:`workbook_tools.reader.workbook.parse_meta`);
:func:`map_index` arranges such a map once per map object, and gives a compiled
form's own map its compiled index.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from xlsxwriter.utility import xl_cell_to_rowcol

from workbook_tools.contract.layout import Layout, build_layout
from workbook_tools.contract.meta import CodeMapEntry, code_map
from workbook_tools.form.model import Form
from workbook_tools.identity import ByIdentity


@dataclass(frozen=True)
class TableCells:
    """One row of a table: its number and cells, and their span when on one sheet row."""

    index: int
    entries: list[CodeMapEntry]
    span: tuple[str, int, int, int] | None  # sheet, 0-based row, first and last column

    @cached_property
    def keys(self) -> frozenset[tuple[str, str]]:
        """The row's cells as (sheet, A1), as the reader's formula cells are given."""
        return frozenset((e.sheet, e.cell) for e in self.entries)


@dataclass(frozen=True)
class MapIndex:
    """A code map arranged for checking: entries by code, inputs, table cells by row."""

    by_code: dict[str, CodeMapEntry]
    inputs: dict[str, CodeMapEntry]
    table_rows: dict[str, list[TableCells]]
    sheets: list[str]


@dataclass(frozen=True)
class Compiled:
    """A form's layout, the code map its workbooks carry, and that map's index."""

    layout: Layout
    code_map: list[CodeMapEntry]
    index: MapIndex


@lru_cache(maxsize=4096)
def rowcol(cell: str) -> tuple[int, int]:
    """``"C7"`` → ``(6, 2)``: 0-based row and column of an A1 reference."""
    row, col = xl_cell_to_rowcol(cell)
    return int(row), int(col)


def _span(cells: list[CodeMapEntry]) -> tuple[str, int, int, int] | None:
    positions = [rowcol(e.cell) for e in cells]
    rows = {r for r, _ in positions}
    if len({e.sheet for e in cells}) != 1 or len(rows) != 1:
        return None
    columns = [c for _, c in positions]
    return cells[0].sheet, rows.pop(), min(columns), max(columns)


def index_of(entries: list[CodeMapEntry]) -> MapIndex:
    """``entries`` arranged for checking (see :class:`MapIndex`)."""
    rows: dict[str, dict[int, list[CodeMapEntry]]] = {}
    for e in entries:
        if e.role == "table" and e.row is not None:
            rows.setdefault(e.table, {}).setdefault(e.row, []).append(e)
    return MapIndex(
        by_code={e.code: e for e in entries},
        inputs={e.code: e for e in entries if e.role == "input"},
        table_rows={
            table: [TableCells(i, cells, _span(cells)) for i, cells in sorted(by_row.items())]
            for table, by_row in rows.items()
        },
        sheets=sorted({e.sheet for e in entries}),
    )


_COMPILED: dict[str, Compiled] = {}
_BY_MAP: dict[int, Compiled] = {}  # id of a compiled code map → its form's entry (kept forever)


def compiled(form: Form) -> Compiled:
    """The form's layout, code map and index, computed once per form definition."""
    found = _COMPILED.get(form.fingerprint)
    if found is None:
        layout = build_layout(form)
        entries = code_map(layout)
        found = Compiled(layout, entries, index_of(entries))
        _COMPILED[form.fingerprint] = found
        _BY_MAP[id(entries)] = found
    return found


def layout_for(form: Form) -> Layout:
    """The form's layout (checks, quality data and merge need it for every file)."""
    return compiled(form).layout


_READ_MAPS = ByIdentity(index_of, 16)


def map_index(entries: list[CodeMapEntry]) -> MapIndex:
    """The index of a code map: a compiled form's own, or built once per map read from a file."""
    found = _BY_MAP.get(id(entries))
    if found is not None and found.code_map is entries:
        return found.index
    return _READ_MAPS(entries)
