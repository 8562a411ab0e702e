"""Unit lists (.csv, .xlsx) as rows of clean cells, read through the reader's safety checks.

A unit list is a file a person keeps and sends, so its bytes are untrusted like a
returned workbook's: an .xlsx passes :func:`~workbook_tools.reader.safety.inspect_file`
(sizes, zip and XML bombs, encryption) before a parser sees it, and a file that
is no ordinary file (a pipe, a device) is never opened. Every cell is cleaned by
the reader's one rule (:func:`~workbook_tools.reader.clean.clean_line`). What the
rows mean, and every problem in them, is :mod:`workbook_tools.units`' business.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from workbook_tools.catalogue import (
    FILE_TOO_LARGE,
    FILE_ZIP_BOMB,
    UNIT_FILE_FORMAT,
    UNIT_FILE_MISSING,
)
from workbook_tools.errors import UnitRegistryError
from workbook_tools.findings import Finding
from workbook_tools.reader.clean import clean_line
from workbook_tools.reader.csvfile import best_delimiter, decode_csv
from workbook_tools.reader.files import read_regular
from workbook_tools.reader.safety import Limits, inspect_file
from workbook_tools.text import csv_text
from workbook_tools.units.registry import (
    HEADER_SEARCH_ROWS,
    Rows,
    UnitRegistry,
    column_of,
    file_problem,
    units_from_rows,
)

LIMITS = Limits(max_file_bytes=20 * 1024 * 1024, max_uncompressed_bytes=200 * 1024 * 1024)
"""A registry of every commune in the country is a few hundred kilobytes."""
_RESAVE_FIX = (
    "Mở tệp bằng Excel, LibreOffice hoặc WPS rồi lưu lại dưới dạng Excel Workbook (.xlsx) "
    "hoặc CSV UTF-8 (.csv); nếu tệp có mật khẩu mở, hãy bỏ mật khẩu trước."
)


def load_units(path: str | Path) -> UnitRegistry:
    """Read and check a unit list (.csv or .xlsx); every problem is reported at once."""
    path = Path(path)
    if not path.is_file():
        missing = file_problem(
            UNIT_FILE_MISSING,
            path.name,
            f'Không tìm thấy tệp danh sách đơn vị "{path}".',
            "Kiểm tra lại đường dẫn và tên tệp (tệp .csv hoặc .xlsx).",
        )
        raise UnitRegistryError([missing])
    rows, problem = read_unit_rows(path)
    return units_from_rows(rows, path.name, [problem] if problem is not None else [])


def read_unit_rows(path: Path) -> tuple[Rows | None, Finding | None]:
    """The cleaned cells of a unit list, row by row, or the problem that stops reading it."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        shown = f'"{path.suffix}"' if path.suffix else "không có đuôi"
        return None, _format_problem(
            path,
            f"Định dạng tệp {shown} không được hỗ trợ cho danh sách đơn vị.",
            "Lưu danh sách thành tệp .xlsx (Excel Workbook) hoặc .csv (CSV UTF-8).",
        )
    try:
        data, _ = read_regular(path)
    except OSError as exc:
        return None, _format_problem(path, f"Không đọc được tệp ({exc.strerror}).")
    if len(data) > LIMITS.max_file_bytes:
        return None, _too_large(path)
    return _read_csv(path, data) if suffix == ".csv" else _read_xlsx(path, data)


def _format_problem(path: Path, message: str, fix: str = _RESAVE_FIX) -> Finding:
    return file_problem(UNIT_FILE_FORMAT, path.name, message, fix)


def _too_large(path: Path) -> Finding:
    return _format_problem(
        path,
        "Tệp lớn bất thường (khi đọc hoặc khi giải nén), không giống một danh sách đơn vị.",
        "Chỉ giữ trang tính danh sách đơn vị và lưu lại thành tệp mới.",
    )


def _known_columns(row: list[str]) -> int:
    return len({column_of(cell) for cell in row} - {None})


def _read_csv(path: Path, data: bytes) -> tuple[Rows | None, Finding | None]:
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        return None, _format_problem(
            path,
            "Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt không đọc được "
            '(thường do lưu bằng "CSV (Comma delimited)" của Excel).',
            'Trong Excel chọn Lưu thành → "CSV UTF-8 (Comma delimited) (*.csv)", '
            "hoặc lưu thành tệp .xlsx.",
        )
    try:
        delimiter = best_delimiter(text, _known_columns, HEADER_SEARCH_ROWS)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [[clean_line(csv_text(cell)) for cell in row] for row in reader], None
    except csv.Error as exc:
        return None, _format_problem(path, f"Tệp CSV bị lỗi cấu trúc ({exc}).")


def _read_xlsx(path: Path, data: bytes) -> tuple[Rows | None, Finding | None]:
    inspection = inspect_file(path, data, LIMITS)
    if inspection.kind == "xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, _format_problem(
            path,
            "Tệp mang đuôi .xlsx nhưng thực chất là tệp Excel 97-2003 (.xls) "
            "hoặc tệp được đặt mật khẩu mở.",
        )
    if any(f.code in (FILE_ZIP_BOMB.code, FILE_TOO_LARGE.code) for f in inspection.findings):
        return None, _too_large(path)
    if inspection.kind not in ("xlsx", "xlsm"):
        return None, _format_problem(
            path, "Tệp mang đuôi .xlsx nhưng không phải là tệp Excel hợp lệ (có thể bị hỏng)."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some writers declare a wrong sheet size; read-only mode would trust it
            # and silently drop rows.
            sheet.reset_dimensions()
            rows = [[clean_line(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:  # any parser failure is a bad file, never a traceback
        return None, _format_problem(
            path, f"Không đọc được nội dung tệp Excel ({type(exc).__name__})."
        )
    return rows, None
