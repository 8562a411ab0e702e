"""What a received file that is not a workbook is, from its first bytes.

Units send a scanned PDF, a photo of the signed page, the Word report or a CSV
export instead of the workbook. Saying which one it is (by its signature, not
its name: ``bao-cao.xlsx`` may well be a PDF) lets the Sở's tracking show
"đã gửi tệp không đọc được (PDF)" and the unit be told exactly what to send
instead. Each kind has its own finding code (see :data:`NOT_A_WORKBOOK`).
"""

from __future__ import annotations

from pathlib import Path

from workbook_tools.catalogue import (
    FILE_ARCHIVE,
    FILE_CSV,
    FILE_IMAGE,
    FILE_NOT_WORKBOOK,
    FILE_PDF,
    FILE_WORD,
)
from workbook_tools.findings import Finding, finding

HEAD = 4096
"""Bytes looked at: every signature below sits in the first few."""

_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ARCHIVES: tuple[tuple[bytes, str], ...] = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif")
WORD_STREAM = "WordDocument".encode("utf-16-le")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_SEND_WORKBOOK = "Hãy gửi tệp Excel biểu mẫu đã điền (tệp .xlsx Sở đã gửi cho đơn vị)"


def not_a_workbook(path: Path, data: bytes) -> Finding:
    """The finding for a file that is neither a spreadsheet nor a zip (PDF, image, text…)."""
    head = data[:HEAD]
    name = path.name
    if b"%PDF-" in head[:1024]:
        return pdf(name)
    for magic, label in _IMAGES:
        if head.startswith(magic):
            return image(name, label)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return image(name, "WebP")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return image(name, "HEIC")
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00" and len(head) > 26:
        return image(name, "BMP")
    if head.startswith(b"{\\rtf"):
        return word(name, "RTF")
    for magic, label in _ARCHIVES:
        if head.startswith(magic):
            return archive(name, label)
    text = _as_text(head)
    if text is not None:
        if "<html" in text[:1024].lower():
            return finding(
                FILE_NOT_WORKBOOK,
                f"Tệp {name} là trang web (HTML), không phải bảng tính Excel nên không đọc được "
                f"số liệu. {_SEND_WORKBOOK}, không “Lưu thành trang web”.",
            )
        if _looks_tabular(text):
            return finding(
                FILE_CSV,
                f"Tệp {name} là tệp văn bản dạng CSV, không phải bảng tính Excel: các trang, công "
                f"thức và mã chỉ tiêu của biểu mẫu đã mất nên không đọc được số liệu. "
                f"{_SEND_WORKBOOK}, không “Lưu thành” CSV.",
            )
        return finding(
            FILE_NOT_WORKBOOK,
            f"Tệp {name} là tệp văn bản thuần, không phải bảng tính Excel nên không đọc được số "
            f"liệu. {_SEND_WORKBOOK}.",
        )
    return finding(
        FILE_NOT_WORKBOOK,
        f"Tệp {name} không phải bảng tính Excel hay LibreOffice, cũng không phải loại tệp nào "
        f"công cụ nhận ra (có thể đã hỏng). {_SEND_WORKBOOK}.",
    )


def pdf(name: str) -> Finding:
    return finding(
        FILE_PDF,
        f"Tệp {name} là tệp PDF (bản scan hoặc bản in ra PDF), không phải bảng tính Excel nên "
        f"không đọc được số liệu. {_SEND_WORKBOOK}, không gửi bản scan hay bản PDF.",
    )


def image(name: str, label: str) -> Finding:
    return finding(
        FILE_IMAGE,
        f"Tệp {name} là ảnh ({label}), không phải bảng tính Excel nên không đọc được số liệu. "
        f"{_SEND_WORKBOOK}, không gửi ảnh chụp hay bản scan.",
    )


def word(name: str, label: str) -> Finding:
    return finding(
        FILE_WORD,
        f"Tệp {name} là văn bản ({label}), không phải bảng tính Excel nên không đọc được số "
        f"liệu. Hãy điền số liệu vào biểu mẫu Excel Sở đã gửi và gửi tệp Excel đó "
        "(văn bản báo cáo, nếu có, gửi kèm riêng).",
    )


def archive(name: str, label: str) -> Finding:
    return finding(
        FILE_ARCHIVE,
        f"Tệp {name} là tệp nén ({label}), không phải bảng tính Excel. Hãy gửi riêng tệp biểu "
        "mẫu .xlsx đã điền, không nén.",
    )


def zip_not_workbook(path: Path, names: set[str], mimetype: bytes) -> Finding:
    """A zip that holds no spreadsheet: a .docx, an .odt, a .pptx or a plain zip archive."""
    if "word/document.xml" in names:
        return word(path.name, "Word")
    if mimetype == ODT_MIMETYPE:
        return word(path.name, "OpenDocument")
    if "ppt/presentation.xml" in names:
        return finding(
            FILE_NOT_WORKBOOK,
            f"Tệp {path.name} là bài trình chiếu PowerPoint, không phải bảng tính Excel nên "
            f"không đọc được số liệu. {_SEND_WORKBOOK}.",
        )
    return archive(path.name, "ZIP")


def ole_word(path: Path, data: bytes) -> Finding | None:
    """A Word 97–2003 .doc (an OLE file, like an .xls), or None when it is not one."""
    return word(path.name, "Word 97–2003") if WORD_STREAM in data else None


def _as_text(head: bytes) -> str | None:
    """The bytes as text when they are text (UTF-8/16 or a legacy one-byte encoding)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the HEAD limit
            return head[: exc.start].decode("utf-8-sig")
    controls = sum(1 for b in head if b < 32 and b not in b"\t\r\n\f")
    return head.decode("latin-1") if controls == 0 else None


def _looks_tabular(text: str) -> bool:
    """Two lines or more with as many separators (``,`` ``;`` or tab) each: a CSV export.

    The last line looked at may be cut by :data:`HEAD`, so it is left out.
    """
    lines = [line for line in text.splitlines()[:21] if line.strip()]
    lines = lines[:-1] if len(lines) > 20 or len(text) >= HEAD else lines
    if len(lines) < 2:
        return False
    return any(0 < lines[0].count(sep) == lines[1].count(sep) for sep in (",", ";", "\t"))
