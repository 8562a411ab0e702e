"""Feedback files: a copy of a returned workbook with its faulty cells marked.

The unit gets back its own workbook with every faulty cell coloured (red for an
error, orange for a warning) and a comment saying what is wrong and how to fix
it, plus a first sheet "Cần sửa" listing every finding. The unit can correct
that very file and send it again. A file that cannot be opened as .xlsx (an
.ods, an .xls, a broken file) gets a workbook with the list only. The received
file itself is only read, never written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from workbook_tools.checks.validate import Submission
from workbook_tools.findings import Finding, unreadable_kind
from workbook_tools.workbook.styles import ERROR_FILL, FONT, HEADER_FILL, WARNING_FILL

FEEDBACK_SHEET = "Cần sửa"
AUTHOR = "Sở Nội vụ"
SEVERITY_VI = {"error": "Lỗi — phải sửa", "warning": "Cảnh báo — xem lại"}


def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour.lstrip("#"), end_color=colour.lstrip("#"))


def feedback_name(sub: Submission) -> str:
    """``<file name>_<unit code>_<8 hex>_can-sua.xlsx``: never the same for two files.

    Two units both sending ``bao-cao.xlsx`` from different folders must not share a
    feedback copy (one would be lost, the other sent the wrong unit's data): the
    name carries the unit's code and the start of the file's content hash (of its
    path, for a file that could not be read).
    """
    digest = sub.sha256 or hashlib.sha256(os.fsencode(os.path.abspath(sub.path))).hexdigest()
    unit = f"_{sub.unit_code}" if sub.unit_code else ""
    return f"{sub.path.stem}{unit}_{digest[:8]}_can-sua.xlsx"


def write_feedback(sub: Submission, out_dir: Path) -> Path:
    """Write the feedback workbook for ``sub`` into ``out_dir`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / feedback_name(sub)
    wb = _open_copy(sub.path)
    if wb is None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    else:
        _mark_cells(wb, sub.findings)
    _findings_sheet(wb, sub)
    wb.save(target)
    return target


def _open_copy(path: Path) -> Any:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        wb = openpyxl.load_workbook(path)
    except (InvalidFileException, OSError, KeyError, ValueError, TypeError):
        return None
    wb.calculation.fullCalcOnLoad = True  # openpyxl keeps no cached values
    return wb


def _mark_cells(wb: Any, findings: Sequence[Finding]) -> None:
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet in wb.sheetnames and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, cell), found in by_cell.items():
        target = wb[sheet][cell]
        colour = ERROR_FILL if any(f.is_error for f in found) else WARNING_FILL
        target.fill = _solid(colour)
        text = "\n".join(f"• {f.message}" for f in found)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 360, min(60 + 18 * len(text) // 50, 400)
        target.comment = comment


def _findings_sheet(wb: Any, sub: Submission) -> None:
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    wb.active = 0
    for sheet in wb.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
    bold = Font(name=FONT, bold=True, size=12)
    normal = Font(name=FONT, size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    errors, warnings = len(sub.errors), len(sub.warnings)
    kind = unreadable_kind(sub.errors)
    ws["A1"] = (
        "NHỮNG NỘI DUNG CẦN SỬA TRƯỚC KHI GỬI LẠI"
        if kind is None
        else "TỆP GỬI VỀ KHÔNG ĐỌC ĐƯỢC — CẦN GỬI LẠI TỆP EXCEL"
    )
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    who = f"{sub.unit_name} ({sub.unit_code})" if sub.unit_code else "(chưa xác định đơn vị)"
    if sub.unit_from_name:
        who += ", xác định theo tên tệp"
    ws["A2"] = f"Tệp: {sub.path.name} — Đơn vị: {who} — Kỳ: {sub.period or '(chưa xác định)'}"
    if kind is not None:
        ws["A3"] = (
            f"Sở không đọc được số liệu từ tệp này ({kind}), nên chưa ghi nhận báo cáo của đơn "
            "vị. Hãy làm theo hướng dẫn dưới đây và gửi lại tệp Excel biểu mẫu đã điền; không "
            "gửi bản scan, ảnh chụp hay tệp PDF."
        )
    else:
        ws["A3"] = (
            f"{errors} lỗi phải sửa, {warnings} cảnh báo nên xem lại. Các ô có lỗi được tô màu "
            "và có ghi chú (di chuột vào ô để xem). Sửa xong, lưu tệp và gửi lại cho Sở."
            if errors or warnings
            else "Không có lỗi."
        )
    for cell in ("A2", "A3"):
        ws[cell].font = normal
    headers = ("STT", "Mức độ", "Trang", "Ô", "Nội dung cần sửa", "Mã lỗi")
    for col, text in enumerate(headers, start=1):
        c = ws.cell(5, col, text)
        c.font = bold
        c.fill = _solid(HEADER_FILL)
    ordered = sorted(sub.findings, key=lambda f: (not f.is_error, f.sheet, f.cell))
    for i, f in enumerate(ordered, start=1):
        row = 5 + i
        values = (i, SEVERITY_VI[f.severity], f.sheet, f.cell, f.message, f.code)
        for col, value in enumerate(values, start=1):
            c = ws.cell(row, col, value)
            c.font = normal
            c.alignment = wrap
        colour = ERROR_FILL if f.is_error else WARNING_FILL
        ws.cell(row, 2).fill = _solid(colour)
    for letter, width in zip("ABCDEF", (6, 18, 14, 8, 90, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
