"""What every sheet writer of one unit's workbook works with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from workbook_tools.contract.layout import Layout
from workbook_tools.contract.request import Request
from workbook_tools.form.evaluate import RuleState
from workbook_tools.units import Unit
from workbook_tools.writer.sheetxml import SplicedRows
from workbook_tools.writer.styles import Styles


@dataclass(frozen=True)
class SheetContext:
    """The open workbook, its formats, the layout, the request and the unit.

    ``values`` and ``states`` are the inputs (none in a fresh workbook) with the
    computed values, and the rule states: the cached results written beside every
    formula. ``table`` pre-fills table cells, keyed (table, row from 1, column).
    ``spliced`` collects rows that sheet writers leave to be written straight into
    the sheet XML when the package is finished (see :mod:`sheetxml`).
    """

    wb: Any
    styles: Styles
    layout: Layout
    request: Request
    unit: Unit
    values: Mapping[str, Any]
    states: dict[str, RuleState]
    table: dict[tuple[str, int, str], Any] = field(default_factory=dict)
    spliced: list[SplicedRows] = field(default_factory=list)


def write_input(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """An input cell: blank in a fresh workbook, or its pre-filled value (a consolidation)."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
