"""The consolidated workbook's charts: the submission pie, then the units' rates in bars.

The charts read the status sheet's counts and the per-unit sheet's rows; each fits
a landscape A4 page at 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbook_tools.merge.consolidate import Consolidation, UnitFigures
from workbook_tools.merge.table_sheets import STATUS, STATUS_COUNT_COL, status_counts_row
from workbook_tools.merge.totals_sheets import FIRST, PER_UNIT, numeric_indicators
from workbook_tools.merge.unit_rows import Column, chart_cache
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.printing import page_setup
from workbook_tools.writer.tables import write_title

CHART_UNITS = 35  # units a bar chart shows: one chart fills one landscape page
CHART_ROW_PX = 20  # a row of the charts sheet (XlsxWriter's default height, 15 pt)
# A chart's pixels span columns that LibreOffice may print a third wider than Excel
# (see printing.column_points): this wide, a chart fits a landscape page in both.
CHART_WIDTH_PX = 740


def _bar_height(units: int) -> int:
    return 14 * units + 130


def charts_sheet(ctx: SheetContext, c: Consolidation, columns: dict[int, Column]) -> Any:
    """The submission pie on the first page, then the units' rates in bar charts, a page each.

    Every chart fits a landscape A4 page at 100 %, and a page break falls before each
    bar chart, so none is cut across pages.
    """
    wb, styles = ctx.wb, ctx.styles
    ws = wb.add_worksheet("Biểu đồ")
    # over the columns the charts span (64 pixels each): one page across
    write_title(
        ws, styles, f"BIỂU ĐỒ — {c.period.label.upper()}", c.form.title, CHART_WIDTH_PX // 64 - 1
    )
    pie = wb.add_chart({"type": "pie"})
    status_first = status_counts_row(c) + 1
    pie.add_series(
        {
            "name": "Tình hình nộp báo cáo",
            "categories": [STATUS, status_first, 0, status_first + 3, 0],
            "values": [STATUS, status_first, STATUS_COUNT_COL, status_first + 3, STATUS_COUNT_COL],
            # the counts outside the slices, the states in the legend: small slices side by
            # side keep their numbers apart
            "data_labels": {
                "value": True,
                "position": "outside_end",
                "leader_lines": True,
                "font": {"name": "Times New Roman", "size": 11},
            },
        }
    )
    pie.set_title(
        {"name": "Tình hình nộp báo cáo", "name_font": {"name": "Times New Roman", "size": 12}}
    )
    pie.set_legend({"position": "right", "font": {"name": "Times New Roman", "size": 11}})
    pie.set_rotation(90)  # the small slices at the right, where their labels spread apart
    pie.set_size({"width": 640, "height": 400})
    ws.insert_chart(3, 0, pie)
    row = 3 + 400 // CHART_ROW_PX + 1  # the row below the pie
    cols = [i.code for i in numeric_indicators(c.form)]
    if "ty_le_dung_han" not in cols:
        page_setup(ws, landscape=True, fit_width=False)
        return ws
    rate_col = FIRST + 1 + cols.index("ty_le_dung_han")
    breaks = []
    for start in range(0, len(c.units), CHART_UNITS):
        units = c.units[start : start + CHART_UNITS]
        breaks.append(row)
        # a row below the break: a chart's frame on it would show at the page's foot
        ws.insert_chart(row + 1, 0, _rate_chart(ctx, units, columns, rate_col, start))
        row += _bar_height(len(units)) // CHART_ROW_PX + 2
    ws.set_h_pagebreaks(breaks)
    page_setup(ws, landscape=True, fit_width=False)
    return ws


def _rate_chart(
    ctx: SheetContext,
    units: Sequence[UnitFigures],
    columns: dict[int, Column],
    rate_col: int,
    start: int,
) -> Any:
    """A bar chart of ``units`` (the per-unit sheet's rows from ``start``): their rates."""
    first = 5 + start  # the first unit row of the per-unit sheet
    last = first + len(units) - 1
    bar = ctx.wb.add_chart({"type": "bar"})
    bar.add_series(
        {
            "name": "Tỷ lệ giải quyết trước hạn và đúng hạn",
            "categories": [PER_UNIT, first, 2, last, 2],
            "values": [PER_UNIT, first, rate_col, last, rate_col],
            # the unit rows are not XlsxWriter's: it cannot cache their values itself
            "categories_data": chart_cache(units, columns[2]),
            "values_data": chart_cache(units, columns[rate_col]),
            "fill": {"color": "#2E75B6"},
        }
    )
    bar.set_title(
        {
            "name": "Tỷ lệ giải quyết hồ sơ trước hạn và đúng hạn theo đơn vị"
            f" (đơn vị {start + 1}–{start + len(units)})",
            "name_font": {"name": "Times New Roman", "size": 12},
        }
    )
    bar.set_x_axis(
        {"num_format": "0%", "min": 0, "max": 1, "num_font": {"name": "Times New Roman"}}
    )
    bar.set_y_axis({"reverse": True, "num_font": {"name": "Times New Roman", "size": 8}})
    bar.set_legend({"none": True})
    bar.set_size({"width": CHART_WIDTH_PX, "height": _bar_height(len(units))})
    return bar
