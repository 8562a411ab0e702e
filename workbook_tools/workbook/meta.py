"""The hidden metadata sheets: what a workbook is, and where each of its values is.

A reader identifies a returned file by ``_meta`` (a few key–value rows) and finds
every value through the code map in ``_map``, cell by cell, so it needs neither
defined names (which some readers cannot see) nor the layout of the current form
version. The map is a sheet of its own so that a reader which already knows the
form (same fingerprint: the same map) need not parse its few hundred rows again
for every file. Format 1 (before 0.2) kept the map in ``_meta`` below a
``code_map`` row; readers still accept it. A third hidden sheet, ``_lists``,
holds the choices the dropdowns offer (one column per field); readers ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook_tools import __version__
from workbook_tools.units import Unit
from workbook_tools.workbook.layout import SHEET_LISTS, SHEET_MAP, SHEET_META, Layout
from workbook_tools.workbook.request import Request

MARKER = "workbook_tools_meta"
META_FORMAT = 2
CODE_MAP_HEADER = ("code", "sheet", "cell", "kind", "role", "table", "row", "column")


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


def write_meta(
    wb: Any, layout: Layout, request: Request, unit: Unit, password: str
) -> tuple[Any, Any]:
    """The ``_meta`` and ``_map`` sheets, hidden and protected."""
    meta_ws = wb.add_worksheet(SHEET_META)
    meta_ws.write_string(0, 0, MARKER)
    meta_ws.write_number(0, 1, META_FORMAT)
    for row, (key, value) in enumerate(meta_pairs(layout, request, unit), start=1):
        meta_ws.write_string(row, 0, key)
        meta_ws.write_string(row, 1, value)
    map_ws = wb.add_worksheet(SHEET_MAP)
    map_ws.write_row(0, 0, CODE_MAP_HEADER)
    for row, entry in enumerate(code_map(layout), start=1):
        map_ws.write_row(
            row,
            0,
            (
                entry.code,
                entry.sheet,
                entry.cell,
                entry.kind,
                entry.role,
                entry.table,
                "" if entry.row is None else entry.row,
                entry.column,
            ),
        )
    for ws in (meta_ws, map_ws):
        ws.hide()
        ws.protect(password)
    return meta_ws, map_ws


def write_lists(wb: Any, layout: Layout, password: str) -> Any:
    """The ``_lists`` sheet, hidden and protected, and a workbook-level name over each list."""
    ws = wb.add_worksheet(SHEET_LISTS)
    for choice_list in layout.choice_lists.values():
        for cell, choice in zip(choice_list.cells, choice_list.choices, strict=True):
            ws.write_string(cell.row, cell.col, choice)
        wb.define_name(choice_list.name, "=" + choice_list.range)
    ws.hide()
    ws.protect(password)
    return ws
