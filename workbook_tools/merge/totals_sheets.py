"""The consolidated workbook's sheets of figures: a row per unit, and subtotals.

Both hold live formulas: the per-unit sheet's total row sums the unit rows (rates
recomputed by formula from the summed parts), and the subtotals' computed figures
are the form's formulas over their column. The unit rows go straight into the
sheet XML (:mod:`unit_rows`); the rest is written with the shared pieces of
:mod:`workbook_tools.writer.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.contract.legend import COMPUTED_FILL
from workbook_tools.form.excel import computed_formula
from workbook_tools.form.model import Form, Indicator, Kind
from workbook_tools.merge.consolidate import Consolidation
from workbook_tools.merge.unit_rows import Column, formula_template, rows_xml
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.printing import column_groups, page_setup, print_in_column_groups
from workbook_tools.writer.sheetxml import SplicedRows, style_index
from workbook_tools.writer.sizing import row_height
from workbook_tools.writer.styles import Styles, number_format
from workbook_tools.writer.tables import (
    ROW_POINTS,
    headings,
    write_group_title,
    write_headings,
    write_title,
)


def numeric_indicators(form: Form) -> list[Indicator]:
    """The indicators with a figure: a column each on the per-unit sheet."""
    return [ind for ind in form.indicators if ind.kind.numeric]


def _fmt(styles: Styles, kind: Kind, decimals: int | None = None, **extra: Any) -> Any:
    return styles.get(border=1, num_format=number_format(kind, decimals), **extra)


PER_UNIT = "Theo đơn vị"
FIRST = 3  # STT, mã, tên, khối in columns 0..3; indicators from column 4


def per_unit_sheet(ctx: SheetContext, c: Consolidation) -> tuple[Any, dict[int, Column]]:
    """A row per unit, a column per figure; the total row is live formulas.

    The unit rows go straight into the sheet XML (:mod:`unit_rows`); the returned
    columns say what they hold, by column number.
    """
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet(PER_UNIT)
    cols = numeric_indicators(form)
    col_of = {ind.code: FIRST + 1 + j for j, ind in enumerate(cols)}
    widths = [5, 16, 30, 14] + [12] * len(cols)
    title = f"SỐ LIỆU THEO ĐƠN VỊ — {c.period.label.upper()}"
    heads = write_group_title(ws, styles, title, form.title, widths[:FIRST])
    head = 3
    labels = ["STT", "Mã đơn vị", "Tên đơn vị", "Khối, loại"] + [
        f"{i.label} ({i.unit})" if i.unit else i.label for i in cols
    ]
    heads += write_headings(ws, styles, head, headings(labels, widths))
    for ind in cols:
        ws.write(head + 1, col_of[ind.code], ind.code, styles.code())
    # the rows above the units repeat on every page: no taller than they need
    ws.set_row(head - 1, 6)
    ws.set_row(head + 1, 13)
    heads += 6 + 13
    first = head + 2
    columns = _unit_columns(styles, cols, col_of)
    if c.units:
        rows = rows_xml(c.units, first, list(columns.values()))
        ctx.spliced.append(SplicedRows(PER_UNIT, first + len(c.units), rows))
    total_row = first + len(c.units)
    # the label within the key columns, which print on every page
    ws.merge_range(total_row, 0, total_row, FIRST - 1, f"TỔNG CỘNG ({len(c.units)} đơn vị)",
                   styles.label(bold=True))  # fmt: skip
    ws.write_blank(total_row, FIRST, None, styles.label(bold=True))
    last = total_row - 1
    for ind in cols:
        col = col_of[ind.code]
        fmt = _fmt(styles, ind.kind, ind.precision, bold=True)
        cached = c.totals.get(ind.code)
        if ind.computed:
            continue
        if ind.aggregation.units == "sum" and c.units:
            letter = xl_col_to_name(col)
            ws.write_formula(
                total_row,
                col,
                f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                fmt,
                "" if cached is None else cached,
            )
        else:
            ws.write_blank(total_row, col, None, fmt)
    for ind in form.computed_order:
        if ind.code in col_of:
            _computed_cell(ws, styles, ind, total_row, col_of, c.totals, bold=True)
    ws.freeze_panes(first, FIRST)
    ws.autofilter(head + 1, 0, max(total_row - 1, head + 1), FIRST + len(cols))
    groups = column_groups(widths, keys=FIRST, first=FIRST + 1,
                           heights=(heads, ROW_POINTS * (len(c.units) + 1)))  # fmt: skip
    print_in_column_groups(ws, groups, keys=FIRST, header_rows=(0, head + 1))
    return ws, columns


def _unit_columns(
    styles: Styles, cols: list[Indicator], col_of: dict[str, int]
) -> dict[int, Column]:
    """The unit rows' columns: number, code, name, group, then every figure."""
    cell = style_index(styles.get(border=1))  # one line per unit: no wrapping
    columns = [Column(0, "index", "", cell)] + [
        Column(col, "text", key, cell)
        for col, key in ((1, "unit_code"), (2, "unit_name"), (3, "group"))
    ]
    for ind in cols:
        if ind.computed:
            style = style_index(
                _fmt(styles, ind.kind, ind.precision, bold=False, bg_color=COMPUTED_FILL)
            )
            columns.append(
                Column(col_of[ind.code], "formula", ind.code, style, formula_template(ind, col_of))
            )
        else:
            style = style_index(_fmt(styles, ind.kind, ind.precision, bold=False))
            columns.append(Column(col_of[ind.code], "figure", ind.code, style))
    return {column.col: column for column in columns}


def _computed_cell(
    ws: Any,
    styles: Styles,
    ind: Indicator,
    row: int,
    col_of: dict[str, int],
    values: dict[str, Any],
    *,
    bold: bool,
) -> None:
    """A computed figure as the form's formula over the same row's cells (live), cached."""
    cached = values.get(ind.code)
    ws.write_formula(row, col_of[ind.code], str(row + 1).join(formula_template(ind, col_of)), _fmt(styles, ind.kind, ind.precision, bold=bold, bg_color=COMPUTED_FILL),
                     "" if cached is None else cached)  # fmt: skip


def subtotals_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """Totals by khối and by parent unit: a row per figure, a column per group.

    The groups are few (a page across); computed figures are the form's formulas
    over their column's cells (live), cached.
    """
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet("Theo khối")
    counts: dict[tuple[str, str], int] = {}
    for unit in c.units:
        key = ("group", unit.group or "(không có)")
        counts[key] = counts.get(key, 0) + 1
        if unit.parent:
            counts[("parent", unit.parent)] = counts.get(("parent", unit.parent), 0) + 1
    blocks = [("Khối", "group", c.by_group), ("Đơn vị cấp trên", "parent", c.by_parent)]
    groups = [
        (heading, name, counts.get((key, name), 0), totals)
        for heading, key, by_name in blocks
        for name, totals in by_name.items()
    ]
    groups.append(("TỔNG CỘNG", "TỔNG CỘNG", len(c.units), c.totals))
    widths = [52] + [14] * len(groups)
    pages = column_groups(widths, keys=1, first=1)
    title = f"TỔNG HỢP THEO KHỐI — {c.period.label.upper()}"
    if pages.breaks:
        write_group_title(ws, styles, title, form.title, widths[:1])
    else:
        write_title(ws, styles, title, form.title, len(groups))
    head = 3
    ws.write_blank(head, 0, None, styles.header())
    col = 1
    for heading, run in groupby(g[0] for g in groups[:-1]):  # each block's name over it
        size = len(list(run))
        if size > 1:
            ws.merge_range(head, col, head, col + size - 1, heading, styles.header())
        else:
            ws.write(head, col, heading, styles.header())
        col += size
    ws.write_blank(head, col, None, styles.header())
    labels = ["Chỉ tiêu"] + [name for _, name, _, _ in groups]
    write_headings(ws, styles, head + 1, headings(labels, widths))
    first = head + 3
    cols = numeric_indicators(form)
    row_of = {ind.code: first + j for j, ind in enumerate(cols)}
    ws.write(head + 2, 0, "Số đơn vị", styles.label(bold=True))
    for col, (_, _, count, _) in enumerate(groups, start=1):
        ws.write_number(head + 2, col, count, styles.label(bold=col == len(groups)))
    for ind in cols:
        label = f"{ind.label} ({ind.unit})" if ind.unit else ind.label
        ws.write(row_of[ind.code], 0, label, styles.label())
        ws.set_row(row_of[ind.code], row_height([(label, widths[0])]))
        for col, (_, _, _, totals) in enumerate(groups, start=1):
            fmt = _fmt(styles, ind.kind, ind.precision, bold=col == len(groups))
            value = totals.get(ind.code)
            if ind.computed:
                fmt = _fmt(styles, ind.kind, ind.precision, bold=col == len(groups),
                           bg_color=COMPUTED_FILL)  # fmt: skip
                ws.write_formula(row_of[ind.code], col, _formula_down(ind, col, row_of), fmt,
                                 "" if value is None else value)  # fmt: skip
            elif isinstance(value, (int, float)):
                ws.write_number(row_of[ind.code], col, value, fmt)
            else:
                ws.write_blank(row_of[ind.code], col, None, fmt)
    ws.freeze_panes(first, 1)
    if pages.breaks:
        print_in_column_groups(ws, pages, keys=1, header_rows=(0, head + 2))
    else:
        page_setup(ws, landscape=len(groups) > 6, header_rows=(head, head + 2))
    return ws


def _formula_down(ind: Indicator, col: int, row_of: Mapping[str, int]) -> str:
    """``ind``'s formula over the cells of column ``col``, each code's in its row (``row_of``)."""
    letter = xl_col_to_name(col)
    return computed_formula(ind, lambda code: f"{letter}{row_of[code] + 1}")
