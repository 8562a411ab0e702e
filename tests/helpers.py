"""Test helpers: fill a generated workbook as a unit would, read values back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def name_cells(wb: Any) -> dict[str, tuple[str, str]]:
    """Defined name → (sheet title, cell) for single-cell names."""
    found: dict[str, tuple[str, str]] = {}
    for name, defn in wb.defined_names.items():
        for sheet, coord in defn.destinations:
            if ":" not in coord:
                found[name] = (sheet, coord.replace("$", ""))
    return found


def fill_workbook(
    source: Path,
    target: Path,
    values: dict[str, Any],
    table_rows: dict[tuple[str, int, str], tuple[str, str, Any]] | None = None,
) -> None:
    """Write ``values`` at the cells named by their codes (None leaves a cell blank).

    ``table_rows`` maps (table, row, column) to (sheet, cell, value).
    """
    wb = openpyxl.load_workbook(source)
    cells = name_cells(wb)
    for code, value in values.items():
        if value is None:
            continue
        sheet, coord = cells[code]
        wb[sheet][coord] = value
    for sheet, coord, value in (table_rows or {}).values():
        wb[sheet][coord] = value
    wb.save(target)


def read_cell(wb: Any, sheet: str, coord: str) -> Any:
    value = wb[sheet][coord].value
    return None if value == "" else value
