"""Writing the hidden metadata sheets ``_meta``, ``_map`` and ``_lists``.

Their format (marker, keys, code map) is the contract's: :mod:`workbook_tools.contract.meta`.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.contract.layout import SHEET_LISTS, SHEET_MAP, SHEET_META, Layout
from workbook_tools.contract.meta import CODE_MAP_HEADER, MARKER, META_FORMAT, code_map, meta_pairs
from workbook_tools.contract.request import Request
from workbook_tools.units import Unit


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
