"""Writing the hidden metadata sheets ``_meta``, ``_map`` and ``_lists``.

Their format (marker, keys, code map) is the contract's: :mod:`workbook_tools.contract.meta`.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.contract.layout import SHEET_LISTS, SHEET_MAP, SHEET_META, Layout
from workbook_tools.contract.meta import (
    CODE_MAP_HEADER,
    MARKER,
    META_FORMAT,
    code_map,
    compact_code_map,
    meta_pairs,
)
from workbook_tools.contract.request import Request
from workbook_tools.units import Unit
from workbook_tools.writer.sheetxml import SplicedRows, plain_rows_xml


def write_meta(
    wb: Any,
    layout: Layout,
    request: Request,
    unit: Unit,
    password: str,
    spliced: list[SplicedRows],
) -> tuple[Any, Any]:
    """The ``_meta`` and ``_map`` sheets, hidden and protected.

    The code map is written compact (format 3: a range row per table column). Its rows
    but the last go into ``spliced`` (the workbook's :attr:`SheetContext.spliced`),
    straight into the sheet XML with inline strings: its codes and cell references then
    stay out of the shared strings, which every reader of a returned file parses on
    opening it (the map itself is read only for a form it does not know). XlsxWriter
    writes the last row, so the sheet's dimension covers them all and the others have a
    row to go before.
    """
    meta_ws = wb.add_worksheet(SHEET_META)
    meta_ws.write_string(0, 0, MARKER)
    meta_ws.write_number(0, 1, META_FORMAT)
    for row, (key, value) in enumerate(meta_pairs(layout, request, unit), start=1):
        meta_ws.write_string(row, 0, key)
        meta_ws.write_string(row, 1, value)
    map_ws = wb.add_worksheet(SHEET_MAP)
    map_ws.write_row(0, 0, CODE_MAP_HEADER)
    rows = [
        (*row[:6], "" if row[6] is None else row[6], row[7])
        for row in compact_code_map(code_map(layout))
    ]
    if len(rows) > 1:
        styles = [0] * len(CODE_MAP_HEADER)
        spliced.append(SplicedRows(SHEET_MAP, len(rows), plain_rows_xml(1, rows[:-1], styles)))
    if rows:
        map_ws.write_row(len(rows), 0, rows[-1])
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
