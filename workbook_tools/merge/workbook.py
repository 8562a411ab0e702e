"""The consolidated workbook: the form's own sheets filled with the totals, plus the detail.

The first sheets are exactly those of a unit's workbook, filled with the totals of
the period (with the indicator codes as defined names and correct cached values),
so the consolidated workbook can itself be collected one level up (xã → tỉnh →
trung ương). After them: per unit (live SUM formulas in the total row, rates
recomputed by formula from the summed parts), subtotals by khối and by parent,
submission status, all Dân vận khéo models, the units' narrative texts, all
findings, the provenance of every figure and where each code sits, the comparison
with another period (totals, then per unit), and native charts.

Every sheet prints on A4 (:mod:`workbook_tools.writer.printing`); the form's
sheets the Sở does not print are hidden (:data:`NOT_PRINTED`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook_tools import output
from workbook_tools.contract.compiled import layout_for
from workbook_tools.contract.layout import SHEET_GUIDE
from workbook_tools.contract.legend import COMPUTED_FILL
from workbook_tools.contract.request import Request
from workbook_tools.form import expr
from workbook_tools.form.model import Form, Indicator, Kind
from workbook_tools.merge.consolidate import Consolidation, UnitFigures, change
from workbook_tools.merge.narrative import TEXTS_SHEET, narrative_values
from workbook_tools.merge.unit_rows import Column, chart_cache, formula_template, rows_xml
from workbook_tools.registry import HEADERS, status_rows, summary_lines
from workbook_tools.units import Unit
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.printing import (
    column_groups,
    page_setup,
    print_in_column_groups,
    text_row_heights,
)
from workbook_tools.writer.sheetxml import SplicedRows, plain, plain_rows_xml, style_index
from workbook_tools.writer.sizing import row_height, split_for_rows
from workbook_tools.writer.styles import Styles, number_format
from workbook_tools.writer.writer import Filling, workbook_bytes

TEXT_LIMIT = 32000  # an Excel cell holds 32,767 characters
TEXT_ROW_LINES = 20  # a long text prints in rows of at most this many lines (≤ 409 pt)
# The form's sheets the Sở neither reads nor prints in its consolidated workbook: the units'
# filling instructions. Hidden sheets are still read one level up.
NOT_PRINTED = (SHEET_GUIDE,)
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo"}


@dataclass(frozen=True)
class Signer:
    """Who prepares and signs the consolidated return (the unit sheet of the form)."""

    preparer: str = "Phòng Xây dựng chính quyền"
    phone: str = ""
    email: str = ""
    mode: str = "KT."
    head_title: str = "GIÁM ĐỐC"
    signer_title: str = "PHÓ GIÁM ĐỐC"
    signer: str = ""

    def values(self) -> dict[str, str | None]:
        """The unit-sheet inputs these stand for (what the report's signature block reads)."""
        return {
            "nguoi_lap_bieu": self.preparer or None,
            "dien_thoai": self.phone or None,
            "email_lien_he": self.email or None,
            "hinh_thuc_ky": self.mode or None,
            "chuc_danh_thu_truong": self.head_title or None,
            "chuc_vu_nguoi_ky": self.signer_title or None,
            "nguoi_ky": self.signer or None,
        }


def consolidated_filling(c: Consolidation, signer: Signer) -> Filling:
    form = c.form
    values: dict[str, Any] = dict(narrative_values(c))  # a draft the Sở edits in Excel
    for ind in form.indicators:
        if ind.computed:
            continue
        if ind.kind.numeric:
            values[ind.code] = c.totals.get(ind.code)
    values.update(signer.values())
    values = {k: v for k, v in values.items() if k in form.by_code}
    table: dict[tuple[str, int, str], Any] = {}
    for t in form.tables:
        for i, (unit, row) in enumerate(
            [m for m in c.models() if m[1].table == t.code][: t.max_rows], start=1
        ):
            for col in t.columns:
                value = row.values.get(col.code)
                if col.code == "don_vi_thuc_hien" and not value:
                    value = unit.unit_name
                table[(t.code, i, col.code)] = value
    return Filling(values, table)


def write_consolidated(
    c: Consolidation, path: str | Path, request: Request, agency: Unit, signer: Signer | None = None
) -> Path:
    """Write the consolidated workbook of ``c`` for ``agency`` (the consolidating unit)."""
    data = workbook_bytes(
        request, agency, layout_for(c.form), filling=consolidated_filling(c, signer or Signer()),
        extra=lambda ctx: _detail_sheets(ctx, c), hidden=NOT_PRINTED,
    )  # fmt: skip
    return output.write_bytes(path, data)


# ------------------------------------------------------------------------- detail


def _columns(form: Form) -> list[Indicator]:
    return [ind for ind in form.indicators if ind.kind.numeric]


def _fmt(styles: Styles, kind: Kind, decimals: int | None = None, **extra: Any) -> Any:
    return styles.get(border=1, num_format=number_format(kind, decimals), **extra)


def _header(
    ws: Any, styles: Styles, row: int, labels: Sequence[str], widths: Sequence[float]
) -> float:
    """Column headings in ``row`` (wrapped, the row as tall as the longest), and the widths;
    the row's height."""
    for col, (label, width) in enumerate(zip(labels, widths, strict=True)):
        ws.write(row, col, label, styles.header())
        ws.set_column(col, col, width)
    height = row_height(list(zip(labels, widths, strict=True)))
    ws.set_row(row, height)
    return height


def _plain_rows(
    ctx: SheetContext,
    ws: Any,
    first: int,
    rows: Sequence[Sequence[Any]],
    fmts: Sequence[Any],
    widths: Sequence[float],
) -> int:
    """Table rows of plain values (:func:`plain`) from row ``first``; the row after them.

    All but the last go straight into the sheet XML (a national consolidation has
    thousands); XlsxWriter writes the last, so the sheet's dimension covers them all
    and the others have a row to go before. Each row is as tall as its text wrapped
    in the columns ``widths``.
    """
    if not rows:
        return first
    last = first + len(rows) - 1
    heights = text_row_heights(rows, widths)
    if len(rows) > 1:
        xml = plain_rows_xml(first, rows[:-1], [style_index(f) for f in fmts], heights[:-1])
        ctx.spliced.append(SplicedRows(ws.name, last, xml))
    ws.set_row(last, heights[-1])
    for col, (value, fmt) in enumerate(zip(rows[-1], fmts, strict=False)):
        shown = plain(value)
        if shown is None:
            ws.write_blank(last, col, None, fmt)
        elif isinstance(shown, str):
            ws.write_string(last, col, shown, fmt)
        else:
            ws.write_number(last, col, shown, fmt)
    return last + 1


def _title(ws: Any, styles: Styles, text: str, subtitle: str, last_col: int) -> None:
    ws.merge_range(0, 0, 0, max(last_col, 1), text, styles.title())
    ws.merge_range(1, 0, 1, max(last_col, 1), subtitle, styles.subtitle())


ROW_POINTS = 15.0  # a row's height when it is not set (XlsxWriter's default)


def _group_title(
    ws: Any, styles: Styles, text: str, subtitle: str, widths: Sequence[float]
) -> float:
    """The title of a sheet printed in column groups, over its key columns ``widths``
    (which print on every page: a title over the first page's columns would be cut on
    the others), wrapped there; the height of its two rows."""
    last, width = len(widths) - 1, sum(widths)
    heights = (row_height([(text, width)], font_size=14), row_height([(subtitle, width)]))
    ws.merge_range(0, 0, 0, last, text, styles.title())
    ws.set_row(0, heights[0])
    ws.merge_range(1, 0, 1, last, subtitle, styles.subtitle())
    ws.set_row(1, heights[1])
    return sum(heights)


def _detail_sheets(ctx: SheetContext, c: Consolidation) -> list[Any]:
    per_unit, columns = _per_unit(ctx, c)
    sheets = [
        per_unit,
        _subtotals(ctx, c),
        _status(ctx, c),
        _models(ctx, c),
        _texts(ctx, c),
        _findings(ctx, c),
        _provenance(ctx, c),
        _positions(ctx, c),
    ]
    if c.compare is not None:
        sheets += [_comparison(ctx, c, c.compare), _unit_changes(ctx, c, c.compare)]
    sheets.append(_charts(ctx, c, columns))
    return sheets


PER_UNIT = "Theo đơn vị"
STATUS = "Tình hình nộp"
STATUS_COUNT_COL = 3  # the submission counts (the pie chart's values) are in column D
FIRST = 3  # STT, mã, tên, khối in columns 0..3; indicators from column 4


def _per_unit(ctx: SheetContext, c: Consolidation) -> tuple[Any, dict[int, Column]]:
    """A row per unit, a column per figure; the total row is live formulas.

    The unit rows go straight into the sheet XML (:mod:`unit_rows`); the returned
    columns say what they hold, by column number.
    """
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet(PER_UNIT)
    cols = _columns(form)
    col_of = {ind.code: FIRST + 1 + j for j, ind in enumerate(cols)}
    widths = [5, 16, 30, 14] + [12] * len(cols)
    title = f"SỐ LIỆU THEO ĐƠN VỊ — {c.period.label.upper()}"
    heads = _group_title(ws, styles, title, form.title, widths[:FIRST])
    head = 3
    labels = ["STT", "Mã đơn vị", "Tên đơn vị", "Khối, loại"] + [
        f"{i.label} ({i.unit})" if i.unit else i.label for i in cols
    ]
    heads += _header(ws, styles, head, labels, widths)
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


def _subtotals(ctx: SheetContext, c: Consolidation) -> Any:
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
        _group_title(ws, styles, title, form.title, widths[:1])
    else:
        _title(ws, styles, title, form.title, len(groups))
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
    _header(ws, styles, head + 1, ["Chỉ tiêu"] + [name for _, name, _, _ in groups], widths)
    first = head + 3
    cols = _columns(form)
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
    assert ind.expression is not None
    letter = xl_col_to_name(col)
    return expr.excel_formula(ind.expression, lambda code: f"{letter}{row_of[code] + 1}")


def _status(ctx: SheetContext, c: Consolidation) -> Any:
    styles = ctx.styles
    ws = ctx.wb.add_worksheet(STATUS)
    _title(
        ws,
        styles,
        f"TÌNH HÌNH NỘP BÁO CÁO — {c.period.label.upper()}",
        c.form.title,
        len(HEADERS) - 1,
    )
    row = 3
    done = c.completeness
    lines = (
        summary_lines(c.status)
        if c.status is not None
        else [
            f"Số đơn vị phải báo cáo: {done.expected}",
            f"Có số liệu: {done.accepted}",
            f"Chưa có số liệu: {done.missing}",
        ]
    )
    for line in lines:
        ws.merge_range(row, 0, row, 4, line, styles.plain())
        row += 1
    counts_row = row + 1
    # the counts: a label over the first columns (STT is too narrow), the count beside it
    ws.merge_range(counts_row, 0, counts_row, STATUS_COUNT_COL - 1, "Tình trạng", styles.header())
    ws.write(counts_row, STATUS_COUNT_COL, "Số đơn vị", styles.header())
    chart_data = [
        ("Đúng hạn", done.accepted - done.late),
        ("Gửi muộn", done.late),
        ("Có lỗi, chưa đạt", done.rejected_only),
        ("Chưa gửi", done.missing),
    ]
    for k, (label, count) in enumerate(chart_data, start=1):
        ws.merge_range(counts_row + k, 0, counts_row + k, STATUS_COUNT_COL - 1, label,
                       styles.label())  # fmt: skip
        ws.write(counts_row + k, STATUS_COUNT_COL, count, styles.label())
    table_row = counts_row + len(chart_data) + 2
    widths = [5, 16, 34, 16, 26, 16, 16, 40, 50]
    _header(ws, styles, table_row, list(HEADERS), widths)
    if c.status is not None:
        rows = status_rows(c.status)
        _plain_rows(ctx, ws, table_row + 1, rows, [styles.label()] * len(HEADERS), widths)
    ws.freeze_panes(table_row + 1, 0)
    page_setup(ws, landscape=True, header_rows=(table_row, table_row))
    return ws


def _models(ctx: SheetContext, c: Consolidation) -> Any:
    """Every unit's rows of each table of the form, a block per table."""
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet("Mô hình Dân vận khéo")
    title = form.tables[0].title.upper() if len(form.tables) == 1 else "CÁC BẢNG CỦA ĐƠN VỊ"
    width = max((len(t.columns) for t in form.tables), default=1) + 1
    _title(ws, styles, f"{title} — {c.period.label.upper()}", "Tổng hợp từ các đơn vị", width)
    row = 3
    header_row: int | None = None
    for n, table in enumerate(form.tables):
        if len(form.tables) > 1:
            ws.write_string(row, 0, table.title, styles.get(bold=True))
            row += 1
        labels = ["STT", "Đơn vị"] + [col.label for col in table.columns]
        widths = [5, 28] + [col.width for col in table.columns]
        _header(ws, styles, row, labels, widths)
        if n == 0:
            ws.freeze_panes(row + 1, 2)
            header_row = row
        rows = [
            (k, unit.unit_name, *[trow.values.get(col.code) for col in table.columns])
            for k, (unit, trow) in enumerate(
                ((u, r) for u, r in c.models() if r.table == table.code), start=1
            )
        ]
        row = _plain_rows(ctx, ws, row + 1, rows, [styles.label()] * len(labels), widths) + 2
    # the first table's headings print on every page (a sheet repeats one run of rows)
    heads = None if header_row is None else (header_row, header_row)
    page_setup(ws, landscape=True, header_rows=heads)
    return ws


def _texts(ctx: SheetContext, c: Consolidation) -> Any:
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet(TEXTS_SHEET)
    _title(ws, styles, f"THUYẾT MINH CỦA CÁC ĐƠN VỊ — {c.period.label.upper()}", form.title, 2)
    widths = [22, 28, 100]
    _header(ws, styles, 3, ["Nội dung", "Đơn vị", "Thuyết minh"], widths)
    rows = [
        (ind.label, name, piece) if k == 0 else (None, None, piece)
        for ind in form.indicators
        if ind.kind is Kind.LONG_TEXT
        for name, text in c.texts(ind.code)
        for k, piece in enumerate(split_for_rows(text[:TEXT_LIMIT], widths[2], TEXT_ROW_LINES))
    ]  # a long text goes on in the rows below its first, paragraph by paragraph
    top = styles.get(text_wrap=True, border=1, valign="top")  # a text reads from its row's top
    _plain_rows(ctx, ws, 4, rows, [styles.get(text_wrap=True, border=1, valign="top", bold=True),
                                   top, top], widths)  # fmt: skip
    ws.freeze_panes(4, 0)
    page_setup(ws, landscape=True, header_rows=(3, 3))
    return ws


def _findings(ctx: SheetContext, c: Consolidation) -> Any:
    styles = ctx.styles
    ws = ctx.wb.add_worksheet("Phát hiện khi kiểm tra")
    _title(
        ws,
        styles,
        f"KẾT QUẢ KIỂM TRA CÁC TỆP — {c.period.label.upper()}",
        "Lỗi của tệp bị trả lại và cảnh báo của tệp được nhận",
        7,
    )
    widths = [5, 16, 34, 10, 14, 7, 90, 22]
    _header(ws, styles, 3, ["STT", "Đơn vị", "Tệp", "Mức độ", "Trang", "Ô", "Nội dung", "Mã"],
            widths)  # fmt: skip
    rows = [
        (k, unit, file_name, SEVERITY_VI[f.severity], f.sheet, f.cell, f.message, f.code)
        for k, (unit, file_name, f) in enumerate(c.findings, start=1)
    ]
    _plain_rows(ctx, ws, 4, rows, [styles.label()] * 8, widths)
    ws.freeze_panes(4, 0)
    page_setup(ws, landscape=True, header_rows=(3, 3))
    return ws


def _provenance(ctx: SheetContext, c: Consolidation) -> Any:
    """Where every figure comes from: each unit's file(s); where each code sits in them
    is on the next sheet (:func:`_positions`).

    A figure of unit U and indicator X was read from U's file (name, sha256 below) at
    the sheet and cell listed for X: every workbook of one form version has the same
    cells, so the two tables together give the provenance of every figure.
    """
    styles = ctx.styles
    ws = ctx.wb.add_worksheet("Nguồn số liệu")
    _title(
        ws,
        styles,
        "NGUỒN CỦA TỪNG SỐ LIỆU",
        f"Mỗi số liệu của đơn vị U, chỉ tiêu X được đọc từ tệp của U (bảng dưới) tại trang, ô"
        f" của X (trang “{POSITIONS}”)",
        7,
    )
    widths = [5, 16, 30, 12, 40, 66, 10, 14]
    labels = ["STT", "Mã đơn vị", "Tên đơn vị", "Kỳ", "Tệp", "sha256", "Mã lần nhận",
              "Năm còn thiếu"]  # fmt: skip
    _header(ws, styles, 3, labels, widths)
    rows = [
        (unit.unit_code, unit.unit_name, source.period, source.file_name, source.sha256,
         source.submission_id, ", ".join(str(y) for y in unit.missing_years))
        for unit in c.units
        for source in unit.sources
    ]  # fmt: skip
    numbered = [(k, *values) for k, values in enumerate(rows, start=1)]
    _plain_rows(ctx, ws, 4, numbered, [styles.label()] * 8, widths)
    page_setup(ws, landscape=True, header_rows=(3, 3))
    return ws


POSITIONS = "Vị trí chỉ tiêu"


def _positions(ctx: SheetContext, c: Consolidation) -> Any:
    """Where each indicator sits in the form's workbooks (the second half of the provenance)."""
    styles = ctx.styles
    ws = ctx.wb.add_worksheet(POSITIONS)
    _title(ws, styles, "VỊ TRÍ CÁC CHỈ TIÊU TRONG BIỂU MẪU", c.form.title, 4)
    widths = [5, 24, 60, 14, 8]
    _header(ws, styles, 3, ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Trang", "Ô"], widths)
    layout = layout_for(c.form)
    for k, ind in enumerate(c.form.indicators, start=1):
        cell = layout.cell(ind.code)
        ws.write_row(3 + k, 0, [k, ind.code, ind.label, cell.sheet, cell.a1], styles.label())
        ws.set_row(3 + k, row_height([(ind.code, widths[1]), (ind.label, widths[2])]))
    ws.freeze_panes(4, 0)
    page_setup(ws, header_rows=(3, 3))
    return ws


def _comparison(ctx: SheetContext, c: Consolidation, other: Consolidation) -> Any:
    """The totals of ``c`` beside those of ``other``, a row per figure."""
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet("So sánh")
    _title(
        ws,
        styles,
        f"SO SÁNH {c.period.label.upper()} VỚI {other.period.label.upper()}",
        form.title,
        5,
    )
    widths = [20, 50, 16, 16, 16, 14]
    labels = ["Mã", "Chỉ tiêu", c.period.title_label, other.period.title_label,
              "Tăng (+), giảm (-)", "Tỷ lệ thay đổi"]  # fmt: skip
    _header(ws, styles, 3, labels, widths)
    row = 4
    for ind in _columns(form):
        now, before = c.totals.get(ind.code), other.totals.get(ind.code)
        delta, rel = change(now, before)
        ws.write(row, 0, ind.code, styles.code())
        ws.write(row, 1, ind.label, styles.label())
        ws.set_row(row, row_height([(ind.label, widths[1])]))
        for col, value, kind in (
            (2, now, ind.kind),
            (3, before, ind.kind),
            (4, delta, ind.kind),
            (5, rel, Kind.PERCENT),
        ):
            if value is None:
                ws.write_blank(row, col, None, _fmt(styles, kind))
            else:
                ws.write_number(row, col, value, _fmt(styles, kind))
        row += 1
    ws.freeze_panes(4, 0)
    page_setup(ws, landscape=True, header_rows=(3, 3))
    return ws


def _unit_changes(ctx: SheetContext, c: Consolidation, other: Consolidation) -> Any:
    """Each unit's change on each figure since ``other``: printed in column groups."""
    styles, form = ctx.styles, c.form
    ws = ctx.wb.add_worksheet("So sánh theo đơn vị")
    cols = [ind for ind in _columns(form) if not ind.computed or ind.kind is Kind.PERCENT]
    widths = [16, 30] + [12] * len(cols)
    title = f"THAY ĐỔI CỦA TỪNG ĐƠN VỊ SO VỚI {other.period.label.upper()}"
    heads = _group_title(ws, styles, title, form.title, widths[:2])
    labels = ["Mã đơn vị", "Tên đơn vị"] + [f"{ind.label}: tăng/giảm" for ind in cols]
    heads += _header(ws, styles, 3, labels, widths) + ROW_POINTS
    before_by_unit = {u.unit_code: u.values for u in other.units}
    body = 0.0
    for row, unit in enumerate(c.units, start=4):
        ws.write(row, 0, unit.unit_code, styles.label())
        ws.write(row, 1, unit.unit_name, styles.label())
        height = row_height([(unit.unit_code, widths[0]), (unit.unit_name, widths[1])])
        ws.set_row(row, height)
        body += height
        previous = before_by_unit.get(unit.unit_code, {})
        for j, ind in enumerate(cols, start=2):
            delta, _ = change(unit.values.get(ind.code), previous.get(ind.code))
            if delta is None:
                ws.write_blank(row, j, None, _fmt(styles, ind.kind, ind.precision))
            else:
                ws.write_number(row, j, delta, _fmt(styles, ind.kind, ind.precision))
    ws.freeze_panes(4, 2)
    groups = column_groups(widths, keys=2, first=2, heights=(heads, body))
    print_in_column_groups(ws, groups, keys=2, header_rows=(0, 3))
    return ws


CHART_UNITS = 35  # units a bar chart shows: one chart fills one landscape page
CHART_ROW_PX = 20  # a row of the charts sheet (XlsxWriter's default height, 15 pt)
# A chart's pixels span columns that LibreOffice may print a third wider than Excel
# (see printing.column_points): this wide, a chart fits a landscape page in both.
CHART_WIDTH_PX = 740


def _bar_height(units: int) -> int:
    return 14 * units + 130


def _charts(ctx: SheetContext, c: Consolidation, columns: dict[int, Column]) -> Any:
    """The submission pie on the first page, then the units' rates in bar charts, a page each.

    Every chart fits a landscape A4 page at 100 %, and a page break falls before each
    bar chart, so none is cut across pages.
    """
    wb, styles = ctx.wb, ctx.styles
    ws = wb.add_worksheet("Biểu đồ")
    # over the columns the charts span (64 pixels each): one page across
    _title(
        ws, styles, f"BIỂU ĐỒ — {c.period.label.upper()}", c.form.title, CHART_WIDTH_PX // 64 - 1
    )
    pie = wb.add_chart({"type": "pie"})
    status_first = 3 + (len(summary_lines(c.status)) if c.status is not None else 3) + 2
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
    cols = [i.code for i in _columns(c.form)]
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
