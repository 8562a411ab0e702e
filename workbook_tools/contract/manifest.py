"""``danh-sach-gui.csv``, the list of who gets which workbook: its name and columns.

The writer writes it beside the workbooks (``generate``), the portal adds each
unit's upload link, and the reader reads it back before either rewrites it
(:mod:`workbook_tools.reader.manifest`): all three by these headings.
"""

from __future__ import annotations

MANIFEST_NAME = "danh-sach-gui.csv"
MANIFEST_HEADER = ("Mã đơn vị", "Tên đơn vị", "Khối, loại", "Email", "Người liên hệ", "Tệp")
CODE_COLUMN = MANIFEST_HEADER[0]
FILE_COLUMN = MANIFEST_HEADER[5]
LINK_HEADER = "Đường dẫn nộp"
"""The column the portal adds: each unit's upload link."""

Row = tuple[str, ...]
"""A unit's row, in :data:`MANIFEST_HEADER` order."""
