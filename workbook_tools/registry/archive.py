"""The archive of accepted originals: one copy per content, named by its sha256.

Received files are never modified: an accepted original is *copied* to
``<archive>/<sha[:2]>/<sha><suffix>``. The copy is written under a temporary
name, flushed to disk and renamed into place, so a crash never leaves a
half-written file under the final name; and the bytes copied are checked against
the hash the check computed, so a file changed between checking and archiving is
refused rather than archived wrongly. Archiving needs no database, so a worker
process that has just checked a file can archive it too.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.output import disk_reason


class ArchiveError(WorkbookToolsError):
    """The file cannot be archived as checked (it changed meanwhile)."""


def read_as_checked(source: Path, sha256: str) -> bytes:
    """The content of ``source`` read again, provided it is still the one checked (``sha256``)."""
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(
            f"Tệp {source.name} đã thay đổi trong lúc đang thu nhận (nội dung khác với lúc "
            "kiểm tra). Tệp chưa được ghi nhận; hãy chạy lại lệnh thu nhận."
        )
    return data


def archive_copy(
    source: Path, data: bytes, sha256: str, archive_dir: Path, *, sync: bool = True
) -> Path:
    """Write ``data``, the content of ``source`` that was checked, into ``archive_dir``.

    ``sha256`` is the hash the check computed of these very bytes (a caller that
    reads ``source`` again uses :func:`read_as_checked`). A copy already there with
    the right content is kept. ``sync=False`` leaves flushing to disk to the caller
    (:func:`sync_files`, before the database commit that refers to the copy).
    Returns the path of the copy.
    """
    folder = archive_dir / sha256[:2]
    target = folder / f"{sha256}{source.suffix.lower()}"
    if target.is_file() and sha256_of(target) == sha256:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{sha256}.{uuid.uuid4().hex}.tmp"
    try:
        with open(temp, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        stat = source.stat()
        os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return target


def sync_files(paths: list[Path]) -> None:
    """Flush the content of ``paths`` (archive copies written with ``sync=False``) to disk."""
    for path in paths:
        with open(path, "r+b") as fh:
            os.fsync(fh.fileno())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_problem(exc: OSError, archive_dir: Path) -> str:
    """Why an accepted file could not be archived: the archive's disk, named as such."""
    return (
        f"Không lưu được bản gốc vào thư mục lưu trữ {archive_dir}: {disk_reason(exc)}. Tệp "
        "nhận về không có lỗi; tệp chưa được ghi nhận, hãy xử lý ổ đĩa rồi chạy lại."
    )
