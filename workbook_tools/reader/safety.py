"""What a received file is, decided before any parser touches it.

Zip bombs are refused from the declared sizes in the zip directory (cheap: no
decompression), XML bombs from a DTD or entity declaration in any XML part's
prolog, and password-protected workbooks from their OLE container. A file that
passes is handed to the readers with its kind.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast

from workbook_tools.catalogue import (
    FILE_EMPTY,
    FILE_ENCRYPTED,
    FILE_HAS_MACROS,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FILE_XML_BOMB,
    FILE_ZIP_BOMB,
    Entry,
)
from workbook_tools.findings import Finding, finding
from workbook_tools.reader.sniff import not_a_workbook, ole_word, zip_not_workbook
from workbook_tools.text import format_number

try:  # ISA-L: the same API as zlib's, about twice as fast
    from isal.isal_zlib import crc32 as _isal_crc32
    from isal.isal_zlib import decompress as _isal_decompress
    from isal.isal_zlib import decompressobj as _isal_decompressobj
    from isal.isal_zlib import error as _isal_error

    _decompressobj: Callable[[int], Any] = _isal_decompressobj
    _decompress: Callable[[bytes, int, int], bytes] = _isal_decompress
    _crc32: Callable[[bytes], int] = _isal_crc32
    _INFLATE_ERRORS: tuple[type[Exception], ...] = (
        cast("type[Exception]", _isal_error),
        zlib.error,
    )
except ImportError:  # a platform without its wheel
    _decompressobj = zlib.decompressobj
    _decompress = zlib.decompress
    _crc32 = zlib.crc32
    _INFLATE_ERRORS = (zlib.error,)

FileKind = Literal["xlsx", "xlsm", "ods", "xls"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
WORKBOOK_STREAM = "Workbook".encode("utf-16-le")  # Excel 97–2003 (Excel 5: "Book")


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
    parts: dict[str, bytes] = field(default_factory=dict)  # XML parts, already inflated


def _refuse(kind: Entry, message: str) -> Inspection:
    return Inspection(None, (finding(kind, message),))


def inspect_file(path: Path, data: bytes, limits: Limits) -> Inspection:
    """Classify ``data`` (the file's bytes, read once) or refuse it with one finding.

    ``path`` only names the file in messages: everything is decided from ``data``.
    """
    if not data:
        return _refuse(
            FILE_EMPTY, "Tệp rỗng (0 byte). Hãy lưu lại biểu mẫu trong Excel rồi gửi lại."
        )
    if len(data) > limits.max_file_bytes:
        return _refuse(
            FILE_TOO_LARGE,
            f"Tệp dài {format_number(len(data))} byte, vượt giới hạn "
            f"{format_number(limits.max_file_bytes)} byte. Biểu mẫu đúng chỉ khoảng 60 KB: "
            "hãy gửi lại đúng tệp biểu mẫu, không chèn ảnh hay dữ liệu khác.",
        )
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            return _refuse(
                FILE_ENCRYPTED,
                "Tệp được đặt mật khẩu mở tệp nên không đọc được. Hãy gỡ mật khẩu "
                "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: để trống) rồi gửi lại.",
            )
        document = ole_word(path, data) if WORKBOOK_STREAM not in data else None
        if document is not None:
            return Inspection(None, (document,))
        return Inspection("xls", ())
    if data.startswith(ZIP_MAGIC):
        return _inspect_zip(path, data, limits)
    return Inspection(None, (not_a_workbook(path, data),))


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
CHUNK = 64 * 1024
MAX_DEFLATE_RATIO = 1032
"""The most a deflate stream can inflate to per byte (258 bytes for each 2 bits)."""


class _Corrupt(Exception):
    """An entry's compressed data cannot be inflated: the file is damaged."""


def _inflate(raw: BinaryIO, info: zipfile.ZipInfo, limits: Limits) -> bytes | None:
    """The entry's content if it inflates to exactly its declared size, else None.

    Zip readers trust the declared sizes to different degrees; a file whose
    deflate stream runs past its declared size is refused here, bounded, so that
    no later parser is handed it. An entry whose whole stream cannot inflate past
    the size limit (``MAX_DEFLATE_RATIO`` times its compressed size) is inflated in
    one call into a buffer of its declared size; a larger one is streamed with a
    ceiling. The content is kept: the prolog and formula scans read it instead of
    inflating it again. Its checksum is not checked here (see :func:`_crc_mismatch`).
    Raises :class:`_Corrupt` when the compressed data is not a valid stream.
    """
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
    raw.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    ceiling = min(info.file_size, limits.max_uncompressed_bytes)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size or info.file_size > limits.max_uncompressed_bytes:
            return None
        return raw.read(info.file_size)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return b""  # other methods: left to the readers, which refuse what they cannot read
    content: bytes | None
    try:
        if info.compress_size * MAX_DEFLATE_RATIO <= limits.max_uncompressed_bytes:
            content = _decompress(raw.read(info.compress_size), -15, ceiling + 1)
        else:
            content = _stream(raw, info.compress_size, ceiling)
    except _INFLATE_ERRORS as exc:
        raise _Corrupt(str(exc)) from exc
    return content if content is not None and len(content) == info.file_size else None


def _stream(raw: BinaryIO, compressed: int, ceiling: int) -> bytes | None:
    """Inflate ``compressed`` bytes from ``raw`` chunk by chunk; None past ``ceiling`` bytes."""
    inflater = _decompressobj(-15)
    pieces: list[bytes] = []
    produced = 0
    left = compressed
    while left > 0 and not inflater.eof:
        chunk = raw.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        data = inflater.decompress(chunk, ceiling + 1 - produced)
        pieces.append(data)
        produced += len(data)
        while inflater.unconsumed_tail and produced <= ceiling:
            data = inflater.decompress(inflater.unconsumed_tail, ceiling + 1 - produced)
            pieces.append(data)
            produced += len(data)
        if produced > ceiling:
            return None
    return b"".join(pieces)


def _crc_mismatch(info: zipfile.ZipInfo, content: bytes) -> bool:
    """Whether an entry's content differs from the CRC-32 its zip directory declares.

    Readers differ here too: calamine does not verify the checksum of every part,
    openpyxl (which writes the feedback copies) refuses the whole file. A damaged
    or forged entry is therefore refused before either is handed the file.
    """
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return False  # not inflated here (see _inflate)
    return (_crc32(content) & 0xFFFFFFFF) != info.CRC


def _prolog_has_dtd(data: bytes, limit: int = 1024 * 1024) -> bool:
    """Whether an XML part declares a DTD before its root element.

    Entities (the "billion laughs") can only be declared in a DOCTYPE, which can
    only stand in the prolog; comments and processing instructions may come first,
    so the prolog is read up to the root element, or refused past ``limit`` bytes.
    """
    position = 0
    while position <= limit:
        start = data.find(b"<", position)
        if start < 0:
            return False
        if data.startswith(b"<!DOCTYPE", start) or data.startswith(b"<!ENTITY", start):
            return True
        closer = (
            b"?>"
            if data.startswith(b"<?", start)
            else b"-->"
            if data.startswith(b"<!--", start)
            else None
        )
        if closer is None:
            return False  # the root element: the prolog is over
        end = data.find(closer, start)
        if end < 0:
            return False
        position = end + len(closer)
    return True  # a prolog over a megabyte is no spreadsheet's


def _inspect_zip(path: Path, data: bytes, limits: Limits) -> Inspection:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if len(infos) > limits.max_entries:
                return _refuse(
                    FILE_ZIP_BOMB,
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
                    FILE_ZIP_BOMB,
                    f"Tệp khai báo {format_number(total)} byte sau giải nén (tỷ lệ nén "
                    f"{format_number(round(worst))}:1), bất thường với một bảng tính; tệp không "
                    "được mở. Hãy gửi lại đúng tệp biểu mẫu.",
                )
            parts: dict[str, bytes] = {}
            with io.BytesIO(data) as raw:
                for info in infos:
                    try:
                        content = _inflate(raw, info, limits)
                    except _Corrupt as exc:
                        return _refuse(
                            FILE_UNREADABLE,
                            f"Thành phần {info.filename} của tệp bị hỏng, không giải nén được "
                            f"({exc}); tệp không được mở. Hãy lưu lại biểu mẫu trong Excel rồi "
                            "gửi lại.",
                        )
                    if content is None:
                        return _refuse(
                            FILE_ZIP_BOMB,
                            f"Thành phần {info.filename} của tệp giải nén ra nhiều hơn kích thước "
                            "khai báo (tệp nén bị làm giả); tệp không được mở. Hãy gửi lại đúng "
                            "tệp biểu mẫu.",
                        )
                    if _crc_mismatch(info, content):
                        return _refuse(
                            FILE_UNREADABLE,
                            f"Thành phần {info.filename} của tệp bị hỏng (mã kiểm tra CRC-32 "
                            "không khớp nội dung); tệp không được mở. Hãy lưu lại biểu mẫu "
                            "trong Excel rồi gửi lại.",
                        )
                    if info.filename.endswith((".xml", ".rels")):
                        parts[info.filename] = content
            for name, content in parts.items():
                if _prolog_has_dtd(content):
                    return _refuse(
                        FILE_XML_BOMB,
                        f"Thành phần {name} của tệp chứa khai báo DTD/thực thể "
                        "XML, không có trong bảng tính thông thường; tệp không được mở "
                        "để đảm bảo an toàn. Hãy gửi lại đúng tệp biểu mẫu.",
                    )
            mimetype = z.read("mimetype").strip() if "mimetype" in names else b""
            if mimetype == ODS_MIMETYPE:
                return Inspection("ods", (), parts=parts)
            if "xl/workbook.xml" in names:
                macros = "xl/vbaProject.bin" in names
                kind: FileKind = "xlsm" if macros else "xlsx"
                found: tuple[Finding, ...] = ()
                if macros:
                    found = (
                        finding(
                            FILE_HAS_MACROS,
                            "Tệp có chứa macro (VBA). Macro không được chạy; số liệu vẫn được "
                            "đọc. Lần sau hãy lưu dạng .xlsx.",
                        ),
                    )
                return Inspection(kind, found, has_macros=macros, parts=parts)
            return Inspection(None, (zip_not_workbook(path, names, mimetype),))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        return _refuse(
            FILE_UNREADABLE,
            f"Tệp bị hỏng, không giải nén được ({exc}). Hãy lưu lại biểu mẫu rồi gửi lại.",
        )
