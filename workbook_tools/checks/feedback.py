"""Feedback files: a copy of a returned workbook with its faulty cells marked.

A file with errors gets back its own workbook with every faulty cell coloured
(red for an error, orange for a warning, as in the workbook's legend) and a
comment saying what is wrong and how to fix it, plus a first sheet "Cần sửa"
listing every finding: the unit corrects that very file and sends it again.

A file with warnings only was accepted: it is never asked for again. Its copy
says so on a first sheet "Ghi chú" (accepted, nothing to send) and lists what to
look at next time, with the same marks.

Text the checker read as a number ("1.040" → 1040) is written back as that
number in the copy, so that the copy's own check sheet agrees with the Sở's
verdict. A file the reader could not open (refused by the safety checks, an
.ods, an .xls, a broken file) is never handed to openpyxl: it gets a workbook
with the list only. The received file itself is only read, never written.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from workbook_tools import output
from workbook_tools.catalogue import CATALOGUE
from workbook_tools.checks.validate import Submission
from workbook_tools.contract.legend import ERROR_FILL, FONT, HEADER_FILL, WARNING_FILL
from workbook_tools.errors import PeriodError
from workbook_tools.findings import Finding, unreadable_kind
from workbook_tools.periods import parse_period
from workbook_tools.reader.copy import editable_copy
from workbook_tools.writer.sizing import row_height

FEEDBACK_SHEET = "Cần sửa"
NOTE_SHEET = "Ghi chú"
AUTHOR = "Sở Nội vụ"
SEVERITY_VI = {"error": "Lỗi — phải sửa", "warning": "Cảnh báo — xem lại"}
READ_AS_NOTE = "(Trong bản này, ô đã được ghi lại đúng dạng số.)"


def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour.lstrip("#"), end_color=colour.lstrip("#"))


def feedback_name(sub: Submission, returned: bool = False) -> str:
    """``<file name>_<unit code>_<8 hex>_can-sua.xlsx``: never the same for two files.

    Two units both sending ``bao-cao.xlsx`` from different folders must not share a
    feedback copy (one would be lost, the other sent the wrong unit's data): the
    name carries the unit's code and the start of the file's content hash (of its
    path, for a file that could not be read). An accepted file's note ends in
    ``_ghi-chu.xlsx`` instead: it asks for nothing to be sent again (unless the Sở
    ``returned`` it for correction).
    """
    digest = sub.sha256 or hashlib.sha256(os.fsencode(os.path.abspath(sub.path))).hexdigest()
    unit = f"_{sub.unit_code}" if sub.unit_code else ""
    suffix = "ghi-chu" if sub.accepted and not returned else "can-sua"
    return f"{sub.path.stem}{unit}_{digest[:8]}_{suffix}.xlsx"


def write_feedback(
    sub: Submission, out_dir: Path, *, note: str = "", name: str | None = None
) -> Path:
    """Write the feedback workbook for ``sub`` into ``out_dir`` and return its path.

    ``note``: the Sở's word on top of the list (why the return was sent back);
    ``name``: the received file's name, when ``sub.path`` is its archived copy.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    named = replace(sub, path=Path(name)) if name else sub
    target = out_dir / feedback_name(named, returned=bool(note))
    wb = _open_copy(sub)
    marked = wb is not None
    if wb is None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    else:
        _write_read_values(wb, sub)
        _mark_cells(wb, sub)
    _findings_sheet(wb, sub, marked, note, name or sub.path.name)
    with output.replacing(target) as temp:
        wb.save(temp)
    return target


def _open_copy(sub: Submission) -> Any:
    """The received workbook in openpyxl, only if the reader opened it after the safety checks."""
    if not sub.opened or sub.path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    wb = editable_copy(sub.path, sub.sha256)
    if wb is not None:
        wb.calculation.fullCalcOnLoad = True  # openpyxl keeps no cached values
    return wb


def _write_read_values(wb: Any, sub: Submission) -> None:
    for (sheet, cell), value in sub.read_as.items():
        if sheet in wb.sheetnames:
            wb[sheet][cell].value = value


def _mark_cells(wb: Any, sub: Submission) -> None:
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in sub.findings:
        if f.sheet in wb.sheetnames and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, cell), found in by_cell.items():
        target = wb[sheet][cell]
        colour = ERROR_FILL if any(f.is_error for f in found) else WARNING_FILL
        target.fill = _solid(colour)
        lines = [f"• {f.message}" for f in found]
        if (sheet, cell) in sub.read_as:
            lines.append(READ_AS_NOTE)
        text = "\n".join(lines)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 360, min(60 + 18 * len(text) // 50, 400)
        target.comment = comment


def period_text(code: str) -> str:
    """The period as people write it ("6 tháng đầu năm 2025"), or the code if it is no period."""
    if not code:
        return "(chưa xác định)"
    try:
        return parse_period(code).label
    except PeriodError:
        return code


def finding_kind(f: Finding) -> str:
    """What kind of problem a finding is, in Vietnamese (the catalogue's meaning of its code)."""
    return CATALOGUE[f.code].what if f.code in CATALOGUE else ""


def _heading(sub: Submission, marked: bool, returned: bool = False) -> tuple[str, str, str]:
    """The sheet's name, its title and the sentence under it, by what the unit must do."""
    errors, warnings = len(sub.errors), len(sub.warnings)
    kind = unreadable_kind(sub.errors)
    if returned:
        return (
            FEEDBACK_SHEET,
            "NHỮNG NỘI DUNG CẦN SỬA TRƯỚC KHI GỬI LẠI",
            "Sở trả lại báo cáo để đơn vị xem lại và sửa (lý do ở dòng dưới)"
            + (
                f"; {warnings} điểm cần xem được tô màu, có ghi chú (di chuột vào ô để xem). "
                if warnings and marked
                else ". "
            )
            + "Sửa xong, lưu tệp và gửi lại cho Sở.",
        )
    if kind is not None:
        return (
            FEEDBACK_SHEET,
            "TỆP GỬI VỀ KHÔNG ĐỌC ĐƯỢC — CẦN GỬI LẠI TỆP EXCEL",
            f"Sở không đọc được số liệu từ tệp này ({kind}), nên chưa ghi nhận báo cáo của đơn "
            "vị. Hãy làm theo hướng dẫn dưới đây và gửi lại tệp Excel biểu mẫu đã điền; không "
            "gửi bản scan, ảnh chụp hay tệp PDF.",
        )
    if sub.accepted:
        return (
            NOTE_SHEET,
            "BÁO CÁO ĐÃ ĐƯỢC TIẾP NHẬN — KHÔNG CẦN GỬI LẠI",
            f"Số liệu hợp lệ và đã được Sở tiếp nhận. Có {warnings} điểm nên lưu ý khi làm "
            "báo cáo kỳ sau"
            + (" (ô tô màu cam, có ghi chú: di chuột vào ô để xem)." if marked else ".")
            if warnings
            else "Số liệu hợp lệ và đã được Sở tiếp nhận.",
        )
    counts = f"{errors} lỗi phải sửa" + (f", {warnings} cảnh báo nên xem lại" if warnings else "")
    orange = ", ô cảnh báo tô cam" if warnings else ""
    where = (
        f" Ô có lỗi được tô đỏ{orange}, có ghi chú (di chuột vào ô để xem). Sửa ngay trên "
        "tệp này, lưu lại và gửi cho Sở."
        if marked
        else " Sửa theo danh sách dưới đây trên tệp biểu mẫu của đơn vị, lưu lại và gửi cho Sở."
    )
    return FEEDBACK_SHEET, "NHỮNG NỘI DUNG CẦN SỬA TRƯỚC KHI GỬI LẠI", counts + "." + where


def _findings_sheet(wb: Any, sub: Submission, marked: bool, note: str, file_name: str) -> None:
    name, title, summary = _heading(sub, marked, returned=bool(note))
    ws = wb.create_sheet(name, 0)
    wb.active = 0
    for sheet in wb.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
    bold = Font(name=FONT, bold=True, size=12)
    normal = Font(name=FONT, size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    who = f"{sub.unit_name} ({sub.unit_code})" if sub.unit_code else "(chưa xác định đơn vị)"
    if sub.unit_from_name:
        who += ", xác định theo tên tệp"
    ws["A2"] = f"Tệp: {file_name} — Đơn vị: {who} — Kỳ báo cáo: {period_text(sub.period)}"
    ws["A3"] = summary
    for cell in ("A2", "A3"):
        ws[cell].font = normal
    if note:
        ws["A4"] = f"Sở trả lại báo cáo để sửa. Lý do: {note}"
        ws["A4"].font = bold
    what = "Nội dung cần lưu ý" if sub.accepted and not note else "Nội dung cần sửa"
    headers = ("STT", "Mức độ", "Trang", "Ô", what, "Loại")
    for col, text in enumerate(headers, start=1):
        c = ws.cell(5, col, text)
        c.font = bold
        c.fill = _solid(HEADER_FILL)
    ordered = sorted(sub.findings, key=lambda f: (not f.is_error, f.sheet, f.cell))
    widths = (6, 18, 14, 8, 80, 34)
    for i, f in enumerate(ordered, start=1):
        row = 5 + i
        values = (i, SEVERITY_VI[f.severity], f.sheet, f.cell, f.message, finding_kind(f))
        # LibreOffice keeps the height a file gives, so a wrapped text needs its own.
        ws.row_dimensions[row].height = row_height(
            [(str(v), w - 2) for v, w in zip(values, widths, strict=True)]
        )
        for col, value in enumerate(values, start=1):
            c = ws.cell(row, col, value)
            c.font = normal
            c.alignment = wrap
        colour = ERROR_FILL if f.is_error else WARNING_FILL
        ws.cell(row, 2).fill = _solid(colour)
    for letter, width in zip("ABCDEF", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
