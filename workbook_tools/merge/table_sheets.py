"""The consolidated workbook's table sheets, each declared as a :class:`TableSheet`.

Submission status, the units' tables (Dân vận khéo models), their narrative
texts, the findings, the provenance of every figure and where each code sits,
and the comparison with another period (totals, then per unit). Each function
says what its sheet holds; :func:`write_table_sheet` writes and prints it.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.contract.compiled import layout_for
from workbook_tools.form.model import Kind
from workbook_tools.merge.consolidate import Consolidation, change
from workbook_tools.merge.narrative import TEXTS_SHEET
from workbook_tools.merge.totals_sheets import numeric_indicators
from workbook_tools.registry import HEADERS, status_rows, summary_lines
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.sizing import split_for_rows
from workbook_tools.writer.tables import (
    Block,
    Cell,
    Column,
    TableSheet,
    headings,
    write_table_sheet,
)

TEXT_LIMIT = 32000  # an Excel cell holds 32,767 characters
TEXT_ROW_LINES = 20  # a long text prints in rows of at most this many lines (≤ 409 pt)
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo"}
STATUS = "Tình hình nộp"
STATUS_COUNT_COL = 3  # the submission counts (the pie chart's values) are in column D
POSITIONS = "Vị trí chỉ tiêu"


def _write(ctx: SheetContext, sheet: TableSheet) -> Any:
    return write_table_sheet(ctx.wb, ctx.styles, sheet, ctx.spliced)


def status_lines(c: Consolidation) -> list[str]:
    """The summary in words at the top of the status sheet."""
    if c.status is not None:
        return summary_lines(c.status)
    done = c.completeness
    return [
        f"Số đơn vị phải báo cáo: {done.expected}",
        f"Có số liệu: {done.accepted}",
        f"Chưa có số liệu: {done.missing}",
    ]


def status_counts_row(c: Consolidation) -> int:
    """The row of the status sheet's counts heading; the counts (the pie chart's data) below."""
    return 3 + len(status_lines(c)) + 1


def status_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """The summary in words, the counts by state (the pie chart's data), then a row per unit."""
    styles, done, lines = ctx.styles, c.completeness, status_lines(c)
    counts_row = status_counts_row(c)
    chart_data = [
        ("Đúng hạn", done.accepted - done.late),
        ("Gửi muộn", done.late),
        ("Có lỗi, chưa đạt", done.rejected_only),
        ("Chưa gửi", done.missing),
    ]
    widths = [5, 16, 34, 16, 26, 16, 16, 40, 50]
    ws = _write(ctx, TableSheet(
        STATUS, f"TÌNH HÌNH NỘP BÁO CÁO — {c.period.label.upper()}", c.form.title,
        headings(HEADERS, widths),
        status_rows(c.status) if c.status is not None else [],
        header_row=counts_row + len(chart_data) + 2,
    ))  # fmt: skip
    for row, line in enumerate(lines, start=3):
        ws.merge_range(row, 0, row, 4, line, styles.plain())
    # the counts: a label over the first columns (STT is too narrow), the count beside it
    ws.merge_range(counts_row, 0, counts_row, STATUS_COUNT_COL - 1, "Tình trạng", styles.header())
    ws.write(counts_row, STATUS_COUNT_COL, "Số đơn vị", styles.header())
    for k, (label, count) in enumerate(chart_data, start=1):
        ws.merge_range(counts_row + k, 0, counts_row + k, STATUS_COUNT_COL - 1, label,
                       styles.label())  # fmt: skip
        ws.write(counts_row + k, STATUS_COUNT_COL, count, styles.label())
    return ws


def models_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """Every unit's rows of each table of the form, a block per table; the first table's
    headings print on every page (a sheet repeats one run of rows)."""
    form = c.form
    title = form.tables[0].title.upper() if len(form.tables) == 1 else "CÁC BẢNG CỦA ĐƠN VỊ"
    blocks = [
        Block(
            [Column("STT", 5), Column("Đơn vị", 28)]
            + [Column(col.label, col.width) for col in table.columns],
            [
                (k, unit.unit_name, *[trow.values.get(col.code) for col in table.columns])
                for k, (unit, trow) in enumerate(
                    ((u, r) for u, r in c.models() if r.table == table.code), start=1
                )
            ],
            table.title if len(form.tables) > 1 else None,
        )
        for table in form.tables
    ]
    first = blocks[0] if blocks else Block([], [])
    return _write(ctx, TableSheet(
        "Mô hình Dân vận khéo", f"{title} — {c.period.label.upper()}", "Tổng hợp từ các đơn vị",
        first.columns, first.rows, header_row=4 if first.caption else 3, caption=first.caption,
        more=blocks[1:], key_columns=2,
    ))  # fmt: skip


def texts_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """The units' narrative texts: a long one goes on in the rows below its first, paragraph
    by paragraph."""
    form, width = c.form, 100
    rows = [
        (ind.label, name, piece) if k == 0 else (None, None, piece)
        for ind in form.indicators
        if ind.kind is Kind.LONG_TEXT
        for name, text in c.texts(ind.code)
        for k, piece in enumerate(split_for_rows(text[:TEXT_LIMIT], width, TEXT_ROW_LINES))
    ]
    columns = [  # a text reads from its row's top
        Column("Nội dung", 22, bold=True, top=True),
        Column("Đơn vị", 28, top=True),
        Column("Thuyết minh", width, top=True),
    ]
    title = f"THUYẾT MINH CỦA CÁC ĐƠN VỊ — {c.period.label.upper()}"
    return _write(ctx, TableSheet(TEXTS_SHEET, title, form.title, columns, rows))


def findings_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    columns = [
        Column("STT", 5), Column("Đơn vị", 16), Column("Tệp", 34), Column("Mức độ", 10),
        Column("Trang", 14), Column("Ô", 7), Column("Nội dung", 90), Column("Mã", 22),
    ]  # fmt: skip
    rows = [
        (k, unit, file_name, SEVERITY_VI[f.severity], f.sheet, f.cell, f.message, f.code)
        for k, (unit, file_name, f) in enumerate(c.findings, start=1)
    ]
    return _write(ctx, TableSheet(
        "Phát hiện khi kiểm tra", f"KẾT QUẢ KIỂM TRA CÁC TỆP — {c.period.label.upper()}",
        "Lỗi của tệp bị trả lại và cảnh báo của tệp được nhận", columns, rows,
    ))  # fmt: skip


def provenance_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """Where every figure comes from: each unit's file(s); where each code sits in them
    is on the next sheet (:func:`positions_sheet`).

    A figure of unit U and indicator X was read from U's file (name, sha256 below) at
    the sheet and cell listed for X: every workbook of one form version has the same
    cells, so the two tables together give the provenance of every figure.
    """
    columns = [
        Column("STT", 5), Column("Mã đơn vị", 16), Column("Tên đơn vị", 30), Column("Kỳ", 12),
        Column("Tệp", 40), Column("sha256", 66), Column("Mã lần nhận", 10),
        Column("Năm còn thiếu", 14),
    ]  # fmt: skip
    sources = [(unit, source) for unit in c.units for source in unit.sources]
    rows = [
        (k, unit.unit_code, unit.unit_name, source.period, source.file_name, source.sha256,
         source.submission_id, ", ".join(str(y) for y in unit.missing_years))
        for k, (unit, source) in enumerate(sources, start=1)
    ]  # fmt: skip
    subtitle = (
        "Mỗi số liệu của đơn vị U, chỉ tiêu X được đọc từ tệp của U (bảng dưới) tại trang, ô"
        f" của X (trang “{POSITIONS}”)"
    )
    # thousands of rows at national scale: the headings stay in view, and who a file is from
    # (STT, code, name) while the wide file name and sha256 scroll, as on the per-unit sheet
    sheet = TableSheet("Nguồn số liệu", "NGUỒN CỦA TỪNG SỐ LIỆU", subtitle, columns, rows,
                       key_columns=3)  # fmt: skip
    return _write(ctx, sheet)


def positions_sheet(ctx: SheetContext, c: Consolidation) -> Any:
    """Where each indicator sits in the form's workbooks (the second half of the provenance)."""
    layout = layout_for(c.form)
    columns = [
        Column("STT", 5), Column("Mã chỉ tiêu", 24), Column("Chỉ tiêu", 60),
        Column("Trang", 14, wrap=False), Column("Ô", 8, wrap=False),
    ]  # fmt: skip
    rows = [
        (k, ind.code, ind.label, layout.cell(ind.code).sheet, layout.cell(ind.code).a1)
        for k, ind in enumerate(c.form.indicators, start=1)
    ]
    return _write(ctx, TableSheet(POSITIONS, "VỊ TRÍ CÁC CHỈ TIÊU TRONG BIỂU MẪU", c.form.title,
                                  columns, rows, landscape=False, xml_rows=False))  # fmt: skip


def comparison_sheet(ctx: SheetContext, c: Consolidation, other: Consolidation) -> Any:
    """The totals of ``c`` beside those of ``other``, a row per figure."""
    columns = [
        Column("Mã", 20, look="code"),
        Column("Chỉ tiêu", 50),
        Column(c.period.title_label, 16, look="number"),
        Column(other.period.title_label, 16, look="number"),
        Column("Tăng (+), giảm (-)", 16, look="number"),
        Column("Tỷ lệ thay đổi", 14, look="number", kind=Kind.PERCENT),
    ]
    rows = []
    for ind in numeric_indicators(c.form):
        now, before = c.totals.get(ind.code), other.totals.get(ind.code)
        delta, rel = change(now, before)
        rows.append((ind.code, ind.label, *(Cell(v, ind.kind) for v in (now, before, delta)), rel))
    title = f"SO SÁNH {c.period.label.upper()} VỚI {other.period.label.upper()}"
    return _write(ctx, TableSheet("So sánh", title, c.form.title, columns, rows, xml_rows=False))


def unit_changes_sheet(ctx: SheetContext, c: Consolidation, other: Consolidation) -> Any:
    """Each unit's change on each figure since ``other``: printed in column groups."""
    cols = [
        ind for ind in numeric_indicators(c.form) if not ind.computed or ind.kind is Kind.PERCENT
    ]
    columns = [Column("Mã đơn vị", 16), Column("Tên đơn vị", 30)] + [
        Column(f"{ind.label}: tăng/giảm", 12, look="number", kind=ind.kind, decimals=ind.precision)
        for ind in cols
    ]
    before_by_unit = {u.unit_code: u.values for u in other.units}
    rows = [
        (unit.unit_code, unit.unit_name, *[
            change(unit.values.get(ind.code), before_by_unit.get(unit.unit_code, {}).get(ind.code))[0]
            for ind in cols
        ])
        for unit in c.units
    ]  # fmt: skip
    title = f"THAY ĐỔI CỦA TỪNG ĐƠN VỊ SO VỚI {other.period.label.upper()}"
    return _write(ctx, TableSheet("So sánh theo đơn vị", title, c.form.title, columns, rows,
                                  key_columns=2, in_column_groups=True, xml_rows=False))  # fmt: skip
