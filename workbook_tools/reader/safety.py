"""What a received file is, decided before any parser touches it.

Zip bombs are refused from the declared sizes in the zip directory (cheap: no
decompression), XML bombs from a DTD or entity declaration in any XML part's
prolog, and password-protected workbooks from their OLE container. A file that
passes is handed to the readers with its kind.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbook_tools.findings import Finding, finding
from workbook_tools.text import format_number

FileKind = Literal["xlsx", "xlsm", "ods", "xls"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
PROLOG_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    """Ceilings on what a received file may be; generous for real returns (≈ 60 KB)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_entries: int = 2000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 200.0  # compression ratio of one entry, checked above ratio_floor
    ratio_floor: int = 5 * 1024 * 1024
    max_rows: int = 5000  # rows read per sheet


@dataclass(frozen=True)
class Inspection:
    kind: FileKind | None
    findings: tuple[Finding, ...]
    has_macros: bool = False


def _refuse(code: str, message: str) -> Inspection:
    return Inspection(None, (finding(code, message),))


def inspect_file(path: Path, data: bytes, limits: Limits) -> Inspection:
    """Classify ``data`` (the file's bytes) or refuse it with one finding."""
    if not data:
        return _refuse(
            "file-empty", "Tệp rỗng (0 byte). Hãy lưu lại biểu mẫu trong Excel rồi gửi lại."
        )
    if len(data) > limits.max_file_bytes:
        return _refuse(
            "file-too-large",
            f"Tệp dài {format_number(len(data))} byte, vượt giới hạn "
            f"{format_number(limits.max_file_bytes)} byte. Biểu mẫu đúng chỉ khoảng 60 KB: "
            "hãy gửi lại đúng tệp biểu mẫu, không chèn ảnh hay dữ liệu khác.",
        )
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            return _refuse(
                "file-encrypted",
                "Tệp được đặt mật khẩu mở tệp nên không đọc được. Hãy gỡ mật khẩu "
                "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: để trống) rồi gửi lại.",
            )
        return Inspection("xls", ())
    if data.startswith(ZIP_MAGIC):
        return _inspect_zip(path, limits)
    return _refuse(
        "file-not-workbook",
        f"Tệp {path.name} không phải bảng tính Excel hay LibreOffice (có thể là tệp CSV, "
        "văn bản hoặc ảnh bị đổi đuôi). Hãy gửi lại đúng tệp biểu mẫu .xlsx đã nhận.",
    )


def _inspect_zip(path: Path, limits: Limits) -> Inspection:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if len(infos) > limits.max_entries:
                return _refuse(
                    "file-zip-bomb",
                    f"Tệp nén chứa {len(infos)} thành phần, quá nhiều cho một bảng tính; "
                    "tệp không được mở. Hãy gửi lại đúng tệp biểu mẫu.",
                )
            total = sum(i.file_size for i in infos)
            worst = max(
                (
                    i.file_size / max(i.compress_size, 1)
                    for i in infos
                    if i.file_size > limits.ratio_floor
                ),
                default=0.0,
            )
            if total > limits.max_uncompressed_bytes or worst > limits.max_ratio:
                return _refuse(
                    "file-zip-bomb",
                    f"Tệp khai báo {format_number(total)} byte sau giải nén (tỷ lệ nén "
                    f"{format_number(round(worst))}:1), bất thường với một bảng tính; tệp không "
                    "được mở. Hãy gửi lại đúng tệp biểu mẫu.",
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as fh:
                        prolog = fh.read(PROLOG_BYTES)
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        return _refuse(
                            "file-xml-bomb",
                            f"Thành phần {info.filename} của tệp chứa khai báo DTD/thực thể "
                            "XML, không có trong bảng tính thông thường; tệp không được mở "
                            "để đảm bảo an toàn. Hãy gửi lại đúng tệp biểu mẫu.",
                        )
            if "mimetype" in names and z.read("mimetype").strip() == ODS_MIMETYPE:
                return Inspection("ods", ())
            if "xl/workbook.xml" in names:
                macros = "xl/vbaProject.bin" in names
                kind: FileKind = "xlsm" if macros else "xlsx"
                found: tuple[Finding, ...] = ()
                if macros:
                    found = (
                        finding(
                            "file-has-macros",
                            "Tệp có chứa macro (VBA). Macro không được chạy; số liệu vẫn được "
                            "đọc. Lần sau hãy lưu dạng .xlsx.",
                        ),
                    )
                return Inspection(kind, found, has_macros=macros)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        return _refuse(
            "file-unreadable",
            f"Tệp bị hỏng, không giải nén được ({exc}). Hãy lưu lại biểu mẫu rồi gửi lại.",
        )
    return _refuse(
        "file-not-workbook",
        f"Tệp {path.name} là tệp nén nhưng không phải bảng tính (có thể là tệp Word hoặc "
        "tệp nén khác). Hãy gửi lại đúng tệp biểu mẫu .xlsx.",
    )
