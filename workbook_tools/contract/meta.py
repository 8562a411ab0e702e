"""The hidden metadata sheets' format: what a workbook is, and where each of its values is.

A reader identifies a returned file by ``_meta`` (a few key–value rows) and finds
every value through the code map in ``_map``, so it needs neither defined names
(which some readers cannot see) nor the layout of the current form version. The
map is a sheet of its own so that a reader which already knows the form (same
fingerprint: the same map) need not parse it again for every file. A third hidden
sheet, ``_lists``, holds the choices the dropdowns offer (one column per field);
readers ignore it.

``_map`` has a header row (:data:`CODE_MAP_HEADER`), then rows of
``code, sheet, cell, kind, role, table, row, column``. An indicator's row names its
one cell (``vb_chi_dao, Số liệu, D7, integer, input, , , ``). In format 2 every
table cell had a row of its own too, naming the table, the table row (1-based) and
the column (``dvk_mo_hinh[2].ten_mo_hinh, Dân vận khéo, B6, text, table,
dvk_mo_hinh, 2, ten_mo_hinh``).

Format 3 writes a table column whose cells run down one sheet column
(table rows 1…n in consecutive sheet rows) as one *range row*: its ``cell`` is the
range, its ``row`` the number of rows n, its ``code`` the column's codes with the
rows as ``1..n``::

    dvk_mo_hinh[1..100].ten_mo_hinh, Dân vận khéo, B5:B104, text, table,
    dvk_mo_hinh, 100, ten_mo_hinh

stands for the 100 cells ``dvk_mo_hinh[1].ten_mo_hinh`` at B5 … ``[100]`` at
B104. Consecutive range rows of one table with the same n are one block and stand
for its cells row by row (row 1 of each column in the order of the range rows,
then row 2, …): the order :func:`code_map` lists a table in. A run is written as a
range row only when it has two rows or more, and a block that would follow another
block of the same table and n is written cell by cell (the two would read as one).
A range row that is not one (a bad range, a range over two columns, an n the range
does not have, a code that says otherwise) makes the map damaged, as does a map of
more than :data:`MAX_MAP_CELLS` cells. The 800 cells of the
Dân vận khéo table are 8 rows instead of 800, and ``_map`` is 52 KB of XML instead
of 567 KB (every received file's parts are inflated and checked, and a return
re-saved by Excel or LibreOffice moves the map's texts into its shared strings,
which are parsed on opening it). Any cell that is not part of such a run
keeps a row of its own, as in format 2: a reader expands the range rows
(:func:`expand_code_map`) and reads format 2's rows the same way. Format 1
(before 0.2) kept the per-cell rows in ``_meta`` below a ``code_map`` row; readers
still accept it.

In memory a code map is always the per-cell list (:func:`code_map`);
:func:`compact_code_map` gives the rows written and :func:`expand_code_map` takes
them back, so that ``expand_code_map(compact_code_map(m)) == m`` for any map.

This module is the format both sides agree on (the writer writes it with
:mod:`workbook_tools.writer.meta`, the reader reads it in
:mod:`workbook_tools.reader.workbook`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from workbook_tools import __version__
from workbook_tools.contract.layout import Layout
from workbook_tools.contract.request import Request
from workbook_tools.text import format_number
from workbook_tools.units import Unit

MARKER = "workbook_tools_meta"
META_FORMAT = 3
CODE_MAP_HEADER = ("code", "sheet", "cell", "kind", "role", "table", "row", "column")
MAX_MAP_CELLS = 100_000  # a map read from a file that stands for more cells is damaged


@dataclass(frozen=True)
class CodeMapEntry:
    code: str
    sheet: str
    cell: str
    kind: str
    role: str  # input | computed | table
    table: str = ""
    row: int | None = None
    column: str = ""


def meta_pairs(layout: Layout, request: Request, unit: Unit) -> list[tuple[str, str]]:
    form = layout.form
    period = request.period
    return [
        ("form_id", form.id),
        ("form_version", str(form.version)),
        ("fingerprint", form.fingerprint),
        ("unit_code", unit.code),
        ("unit_name", unit.name),
        ("unit_group", unit.group),
        ("period", period.code),
        ("period_label", period.label),
        ("cutoff_start", period.cutoff_start.isoformat()),
        ("cutoff_end", period.cutoff_end.isoformat()),
        ("deadline", request.deadline.isoformat() if request.deadline else ""),
        ("issuer", request.issuer),
        ("generated_at", request.generated_at.isoformat()),
        ("tool_version", __version__),
        *request.citation.meta_pairs(),
    ]


def code_map(layout: Layout) -> list[CodeMapEntry]:
    entries = [
        CodeMapEntry(ind.code, cell.sheet, cell.a1, ind.kind.value, ind.role)
        for ind in layout.form.indicators
        for cell in (layout.cell(ind.code),)
    ]
    for table in layout.form.tables:
        for i in range(1, table.max_rows + 1):
            for col in table.columns:
                cell = layout.table_cells[(table.code, i, col.code)]
                entries.append(
                    CodeMapEntry(
                        f"{table.code}[{i}].{col.code}",
                        cell.sheet,
                        cell.a1,
                        col.kind.value,
                        "table",
                        table.code,
                        i,
                        col.code,
                    )
                )
    return entries


MapRow = tuple[str, str, str, str, str, str, int | None, str]
"""A row of ``_map`` as written: the columns of :data:`CODE_MAP_HEADER`."""

_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")
_RANGE = re.compile(r"([A-Z]{1,3})([1-9][0-9]*):([A-Z]{1,3})([1-9][0-9]*)")


class MapRowError(ValueError):
    """A row of a code map read from a file that says nothing a reader can use.

    ``index``: the row's position among the rows given to :func:`expand_code_map`;
    ``reason``: what is wrong with it, in Vietnamese (it ends up in a finding).
    """

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"row {index}: {reason}")
        self.index = index
        self.reason = reason


def run_code(table: str, rows: int, column: str) -> str:
    """The ``code`` of a range row: ``dvk_mo_hinh[1..100].ten_mo_hinh``."""
    return f"{table}[1..{rows}].{column}"


def _row(e: CodeMapEntry) -> MapRow:
    return (e.code, e.sheet, e.cell, e.kind, e.role, e.table, e.row, e.column)


def _in_run(entry: CodeMapEntry, head: CodeMapEntry, letters: str, first: int, i: int) -> bool:
    """Whether ``entry`` is row ``i`` of the run down from ``head`` (row 1, at ``letters first``)."""
    return (
        entry.role == "table"
        and entry.row == i
        and entry.table == head.table
        and entry.column == head.column
        and entry.sheet == head.sheet
        and entry.kind == head.kind
        and entry.code == f"{head.table}[{i}].{head.column}"
        and entry.cell == f"{letters}{first + i - 1}"
    )


def _block(entries: Sequence[CodeMapEntry], start: int) -> tuple[int, int] | None:
    """(columns, rows) of the table block that starts at ``entries[start]``, if any.

    A block is a table's row 1 in k entries (its columns), then its rows 2…n in the
    same column order, each column running down one sheet column; it is written as k
    range rows when it has at least two rows.
    """
    first = entries[start]
    if first.role != "table" or first.row != 1 or not first.table or not first.column:
        return None
    runs: list[tuple[CodeMapEntry, str, int]] = []  # each column's row 1, letters, sheet row
    for head in islice(entries, start, None):
        if head.role != "table" or head.row != 1 or head.table != first.table or not head.column:
            break
        origin = _CELL.fullmatch(head.cell)
        if origin is None:
            return None
        runs.append((head, origin[1], int(origin[2])))
    k, n = len(runs), 0
    while start + (n + 1) * k <= len(entries) and all(
        _in_run(entries[start + n * k + j], head, letters, top, n + 1)
        for j, (head, letters, top) in enumerate(runs)
    ):
        n += 1
    return (k, n) if n >= 2 else None


def compact_code_map(entries: Sequence[CodeMapEntry]) -> list[MapRow]:
    """The rows of ``_map`` (format 3) for a code map: a range row per column run, else a
    row per cell (see the module's description)."""
    rows: list[MapRow] = []
    previous: tuple[str, int] | None = None  # (table, rows) of the range rows just written
    i = 0
    while i < len(entries):
        block = _block(entries, i)
        if block is None or previous == (entries[i].table, block[1]):
            # (a block right after another of the same table and length would read as one)
            rows.append(_row(entries[i]))
            previous = None
            i += 1
            continue
        k, n = block
        for j, head in enumerate(entries[i : i + k]):
            bottom = entries[i + (n - 1) * k + j]
            rows.append(
                (
                    run_code(head.table, n, head.column),
                    head.sheet,
                    f"{head.cell}:{bottom.cell}",
                    head.kind,
                    "table",
                    head.table,
                    n,
                    head.column,
                )
            )
        previous = (entries[i].table, n)
        i += n * k
    return rows


def _cell_entry(cells: Sequence[str]) -> CodeMapEntry:
    code, sheet, cell, kind, role, table, row, column = cells
    return CodeMapEntry(
        code, sheet, cell, kind, role, table, int(row) if _is_number(row) else None, column
    )


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _range(index: int, cells: Sequence[str]) -> tuple[str, int, int]:
    """A range row's column letters, first sheet row and number of rows, checked."""
    code, _, cell, _, role, table, row, column = cells
    found = _RANGE.fullmatch(cell)
    if found is None:
        raise MapRowError(index, f"vùng ô “{cell}” không hợp lệ")
    letters, first, last = found[1], int(found[2]), int(found[4])
    if found[3] != letters:
        raise MapRowError(index, f"vùng ô “{cell}” không nằm trong một cột")
    if role != "table" or not table or not column:
        raise MapRowError(index, f"vùng ô “{cell}” không ghi rõ bảng và cột")
    if not _is_number(row) or int(row) < 1 or last - first + 1 != int(row):
        raise MapRowError(index, f"số dòng “{row}” không khớp vùng ô “{cell}”")
    if code != run_code(table, int(row), column):
        raise MapRowError(index, f"mã “{code}” không khớp bảng, cột và số dòng của vùng ô")
    return letters, first, int(row)


def expand_code_map(rows: Sequence[Sequence[str]]) -> list[CodeMapEntry]:
    """The code map (a row per cell) that rows of ``_map`` stand for, of any format.

    ``rows``: the rows below the header, 8 texts each (``row`` as digits or empty); a
    row with no code is skipped. Raises :class:`MapRowError` for a range row that is
    not one (a bad range, a range over more than one column, a count of rows the
    range does not have, a code that does not say the same) or for a map of more than
    :data:`MAX_MAP_CELLS` cells.
    """
    entries: list[CodeMapEntry] = []
    block: list[tuple[Sequence[str], str, int]] = []  # the range rows of one block
    key: tuple[str, int] | None = None  # their table and number of rows

    def flush() -> None:
        if key is not None:
            table, n = key
            for i in range(1, n + 1):
                for cells, letters, first in block:
                    _, sheet, _, kind, _, _, _, column = cells
                    cell = f"{letters}{first + i - 1}"
                    entries.append(
                        CodeMapEntry(
                            f"{table}[{i}].{column}", sheet, cell, kind, "table", table, i, column
                        )
                    )
        block.clear()

    count = 0
    for index, cells in enumerate(rows):
        if not cells[0]:
            continue
        if ":" not in cells[2]:
            flush()
            key = None
            entries.append(_cell_entry(cells))
            count += 1
        else:
            letters, first, n = _range(index, cells)
            if key != (cells[5], n):
                flush()
                key = (cells[5], n)
            block.append((cells, letters, first))
            count += n
        if count > MAX_MAP_CELLS:
            raise MapRowError(index, f"bảng vị trí có hơn {format_number(MAX_MAP_CELLS)} ô")
    flush()
    return entries
