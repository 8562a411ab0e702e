"""The unit rows of the consolidated workbook's per-unit sheet, as sheet XML.

A row per unit and a cell per figure: ~2·10⁵ cells at national scale, written
straight into the sheet (:mod:`workbook_tools.writer.sheetxml`) with the same
values, formulas, cached results and formats XlsxWriter would write. A computed
figure's formula is compiled once per column, around the row number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.form.excel import computed_formula
from workbook_tools.form.model import Indicator
from workbook_tools.merge.consolidate import UnitFigures
from workbook_tools.writer.sheetxml import blank_cell, formula_cell, number_cell, text_cell

_ROW = "\x00"  # stands for the row number in a formula template


def formula_template(ind: Indicator, col_of: Mapping[str, int]) -> tuple[str, ...]:
    """``ind``'s formula over one row's cells, split where the row number goes.

    ``str(row + 1).join(template)`` is the formula for the 0-based ``row``.
    """
    formula = computed_formula(ind, lambda code: xl_col_to_name(col_of[code]) + _ROW)
    return tuple(formula.split(_ROW))


@dataclass(frozen=True)
class Column:
    """A column of the unit rows, and what each unit's cell in it holds.

    ``source`` is "index" (the unit's number, from 1), "text" (the unit's attribute
    ``key``), "figure" (the unit's value of indicator ``key`` when it is a number,
    else a blank) or "formula" (``template``, the formula of indicator ``key``,
    cached with the unit's value). ``style`` is the format's ``s=`` index.
    """

    col: int
    source: Literal["index", "text", "figure", "formula"]
    key: str
    style: int
    template: tuple[str, ...] = ()


def _text(unit: UnitFigures, key: str) -> str:
    value = getattr(unit, key)
    return "" if value is None else str(value)


def rows_xml(units: Sequence[UnitFigures], first: int, columns: Sequence[Column]) -> bytes:
    """The ``<row>`` elements of ``units`` from the 0-based row ``first``, one a unit."""
    columns = sorted(columns, key=lambda c: c.col)
    spans = f"{columns[0].col + 1}:{columns[-1].col + 1}"
    letters = [xl_col_to_name(c.col) for c in columns]
    formulas = [tuple(escape(p) for p in c.template[1:]) for c in columns]
    heads = [escape(c.template[0].removeprefix("=")) if c.template else "" for c in columns]
    out: list[str] = []
    for k, unit in enumerate(units):
        r = str(first + k + 1)
        out.append(f'<row r="{r}" spans="{spans}">')
        values = unit.values
        for column, letter, head, rest in zip(columns, letters, heads, formulas, strict=True):
            ref, style = letter + r, column.style
            if column.source == "figure":
                value = values.get(column.key)
                if isinstance(value, (int, float)):
                    out.append(number_cell(ref, style, value))
                else:
                    out.append(blank_cell(ref, style))
            elif column.source == "formula":
                cached = values.get(column.key)
                formula = head + "".join(r + p for p in rest)
                out.append(formula_cell(ref, style, formula, "" if cached is None else cached))
            elif column.source == "text":
                out.append(text_cell(ref, style, _text(unit, column.key)))
            else:
                out.append(number_cell(ref, style, k + 1))
        out.append("</row>")
    return "".join(out).encode("utf-8")


def chart_cache(units: Sequence[UnitFigures], column: Column) -> list[Any]:
    """The column's values as XlsxWriter caches a chart's range over the cells it wrote."""
    out: list[Any] = []
    for k, unit in enumerate(units):
        if column.source == "index":
            out.append(f"{k + 1:.16g}")
        elif column.source == "text":
            out.append(_text(unit, column.key))
        else:
            value = unit.values.get(column.key)
            if column.source == "formula":
                out.append("" if value is None else value)
            else:
                out.append(f"{value:.16g}" if isinstance(value, (int, float)) else "")
    return out
