"""What every sheet writer of one unit's workbook works with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook_tools.form.evaluate import RuleState
from workbook_tools.form.expr import Value
from workbook_tools.units import Unit
from workbook_tools.workbook.layout import Layout
from workbook_tools.workbook.request import Request
from workbook_tools.workbook.styles import Styles


@dataclass(frozen=True)
class SheetContext:
    """The open workbook, its formats, the layout, the request and the unit.

    ``values`` and ``states`` are the fresh workbook's computed values and rule
    states: the cached results written beside every formula.
    """

    wb: Any
    styles: Styles
    layout: Layout
    request: Request
    unit: Unit
    values: dict[str, Value]
    states: dict[str, RuleState]
