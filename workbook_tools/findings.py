"""One findings model for every returned file.

A finding is a value: a stable code (tools and tests match on it), a severity,
where it is (file, unit, sheet, cell), the indicator codes involved and a
Vietnamese message that says what is wrong and how to fix it. Checks collect
findings; they never raise for bad input. The catalogue below is the one place
where codes and their severities are defined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

# code → (severity, what it means; for the developer docs and `check --codes`)
CATALOGUE: dict[str, tuple[Severity, str]] = {
    # the file itself
    "file-empty": ("error", "Tệp rỗng (0 byte)."),
    "file-too-large": ("error", "Tệp vượt giới hạn dung lượng."),
    "file-not-workbook": ("error", "Không phải tệp bảng tính (.xlsx, .xlsm, .ods, .xls)."),
    "file-pdf": ("error", "Tệp PDF (bản scan, bản in), không phải bảng tính."),
    "file-image": ("error", "Ảnh (ảnh chụp, bản scan), không phải bảng tính."),
    "file-word": ("error", "Văn bản Word (.docx, .doc, .rtf, .odt), không phải bảng tính."),
    "file-csv": ("error", "Tệp CSV (số liệu xuất khỏi biểu mẫu), không phải bảng tính."),
    "file-archive": ("error", "Tệp nén (ZIP, RAR, 7z), không phải bảng tính."),
    "file-encrypted": ("error", "Tệp có mật khẩu mở tệp."),
    "file-zip-bomb": ("error", "Tệp nén bất thường (có thể là zip bomb)."),
    "file-xml-bomb": ("error", "Tệp chứa khai báo XML nguy hiểm (DTD, thực thể)."),
    "file-unreadable": ("error", "Tệp hỏng, không đọc được."),
    "file-has-macros": ("warning", "Tệp có macro; macro không bao giờ được chạy."),
    # identity
    "not-our-workbook": ("error", "Không phải biểu mẫu do hệ thống phát hành."),
    "meta-damaged": ("error", "Trang thông tin ẩn của biểu mẫu bị hỏng."),
    "form-unknown": ("error", "Biểu mẫu không có trong hệ thống."),
    "form-version-outdated": ("error", "Biểu mẫu phiên bản cũ."),
    "form-version-unknown": ("error", "Phiên bản biểu mẫu không có trong hệ thống."),
    "form-fingerprint-mismatch": ("error", "Biểu mẫu đã bị thay đổi so với bản phát hành."),
    "unit-unexpected": ("error", "Biểu mẫu của đơn vị khác."),
    "unit-not-in-registry": ("error", "Đơn vị không có trong danh sách đơn vị."),
    "unit-name-mismatch": ("error", "Tên đơn vị trong tệp khác tên của mã đó trong danh sách."),
    "period-unexpected": ("error", "Biểu mẫu của kỳ báo cáo khác."),
    "period-invalid": ("error", "Kỳ báo cáo ghi trong biểu mẫu không hợp lệ."),
    # structure
    "sheet-missing": ("error", "Thiếu trang tính (bị xóa hoặc đổi tên)."),
    "structure-moved": ("error", "Ô nhập liệu bị dịch chuyển (chèn, xóa dòng, cột)."),
    # values
    "value-number-as-text": ("warning", "Số được nhập dạng chữ; đã đọc thành số."),
    "value-text-in-number": ("error", "Chữ trong ô số."),
    "value-negative": ("error", "Số âm."),
    "value-not-integer": ("error", "Số lẻ trong ô số nguyên."),
    "value-out-of-range": ("error", "Giá trị ngoài khoảng cho phép."),
    "value-percent-range": ("error", "Tỷ lệ ngoài khoảng 0–100%."),
    "value-not-in-list": ("error", "Giá trị không có trong danh sách chọn."),
    "value-bad-date": ("error", "Ngày không hợp lệ."),
    "value-text-too-long": ("error", "Nội dung quá dài."),
    "value-required-missing": ("error", "Ô bắt buộc còn trống."),
    "value-formula-in-input": ("error", "Công thức trong ô nhập liệu."),
    # rules and tables
    # A rule's finding takes the rule's own severity; the text is shown to units as is.
    "rule-failed": ("error", "Số liệu không khớp quy tắc kiểm tra."),
    "table-row-incomplete": ("error", "Dòng của bảng thiếu thông tin bắt buộc."),
    "table-row-outside": ("error", "Có nội dung bên dưới dòng cuối của bảng (bị chèn dòng)."),
    # data quality beyond the rules (warnings: the Sở reviews them, see REVIEW_CODES)
    "quality-unusual": (
        "warning",
        "Số liệu khác thường so với các kỳ trước của đơn vị hoặc các đơn vị cùng khối.",
    ),
    "quality-copy-inputs": ("warning", "Số liệu trùng hệt số liệu của đơn vị khác cùng kỳ."),
    "quality-copy-file": ("warning", "Tệp giống hệt tệp gửi dưới tên đơn vị khác."),
    "quality-unit-file-name": ("warning", "Tên tệp chỉ đơn vị khác với đơn vị ghi trong biểu mẫu."),
    "narrative-bad-date": ("warning", "Ngày không có thật trong phần thuyết minh."),
    "narrative-far-year": ("warning", "Năm trong phần thuyết minh xa kỳ báo cáo."),
    "narrative-fraction-percent": ("warning", "Phân số và tỷ lệ % trong cùng câu không khớp."),
    "narrative-figure-differs": (
        "warning",
        "Số liệu nêu trong thuyết minh khác số liệu đơn vị đã nhập.",
    ),
}

REVIEW_CODES: frozenset[str] = frozenset(
    code for code in CATALOGUE if code.startswith(("quality-", "narrative-"))
)
"""Warnings that ask the Sở to look again at an accepted return ("cần xem lại")."""


UNREADABLE: dict[str, str] = {
    "file-pdf": "PDF",
    "file-image": "ảnh",
    "file-word": "văn bản Word",
    "file-csv": "CSV",
    "file-archive": "tệp nén",
    "file-not-workbook": "không phải bảng tính",
    "file-empty": "tệp rỗng",
    "file-too-large": "tệp quá lớn",
    "file-encrypted": "có mật khẩu",
    "file-zip-bomb": "tệp nén bất thường",
    "file-xml-bomb": "tệp chứa XML nguy hiểm",
    "file-unreadable": "tệp hỏng",
}
"""Codes of a file that could not be read as a workbook at all → what it was, in a word
(the tracking list's "đã gửi tệp không đọc được (PDF)")."""


def unreadable_kind(findings: Iterable[Finding]) -> str | None:
    """What the file was, when its findings say it could not be read as a workbook."""
    return next((UNREADABLE[f.code] for f in findings if f.code in UNREADABLE), None)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    file: str = ""
    unit: str = ""
    sheet: str = ""
    cell: str = ""
    indicators: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["indicators"] = list(self.indicators)
        return data


def finding(
    code: str,
    message: str,
    *,
    sheet: str = "",
    cell: str = "",
    indicators: tuple[str, ...] | list[str] = (),
    severity: Severity | None = None,
) -> Finding:
    """A finding with the catalogue's severity (rules pass their own)."""
    default, _ = CATALOGUE[code]
    return Finding(
        code=code,
        severity=severity or default,
        message=message,
        sheet=sheet,
        cell=cell,
        indicators=tuple(indicators),
    )
