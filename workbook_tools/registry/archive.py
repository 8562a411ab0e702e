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

import ctypes
import hashlib
import os
import sys
import uuid
from collections.abc import Callable
from contextlib import suppress
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
    source: Path,
    data: bytes,
    sha256: str,
    archive_dir: Path,
    *,
    sync: bool = True,
    mtime_ns: int | None = None,
) -> Path:
    """Write ``data``, the content of ``source`` that was checked, into ``archive_dir``.

    ``sha256`` is the hash the check computed of these very bytes (a caller that
    reads ``source`` again uses :func:`read_as_checked`). A copy already there with
    the right content is kept. ``sync=False`` leaves flushing to disk to the caller
    (:func:`sync_files`, before the database commit that refers to the copy).
    The copy keeps the source's modification time (``mtime_ns`` when the caller has
    it from reading the file). Returns the path of the copy.
    """
    folder = archive_dir / sha256[:2]
    target = folder / f"{sha256}{source.suffix.lower()}"
    if target.is_file() and sha256_of(target) == sha256:
        return target
    if mtime_ns is None:
        mtime_ns = source.stat().st_mtime_ns
    temp = folder / f".{sha256}.{uuid.uuid4().hex}.tmp"
    try:
        fd = os.open(temp, _NEW_FILE, 0o666)
    except FileNotFoundError:  # the first copy in this folder
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, _NEW_FILE, 0o666)
    try:
        with open(fd, "wb", closefd=True) as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.utime(temp, ns=(mtime_ns, mtime_ns))
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    return target


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def sync_files(paths: list[Path]) -> None:
    """Flush ``paths`` (archive copies written with ``sync=False``) to disk, or raise OSError.

    On Linux 5.8 and later, which reports write errors through ``syncfs``, each
    filesystem holding them is flushed once (one journal commit for a batch instead
    of one per file); elsewhere each file is flushed on its own.
    """
    if _syncfs is None:
        for path in paths:
            with open(path, "r+b") as fh:
                os.fsync(fh.fileno())
        return
    devices: dict[int, Path] = {}
    for path in paths:
        devices.setdefault(os.stat(path).st_dev, path)
    for path in devices.values():
        _syncfs(path)


def _linux_syncfs() -> Callable[[Path], None] | None:
    """``syncfs`` of the filesystem holding a path, where it reports errors (Linux ≥ 5.8)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        major, minor = (int(part) for part in os.uname().release.split(".")[:2])
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (ValueError, OSError, AttributeError):
        return None
    if (major, minor) < (5, 8):  # before 5.8 syncfs returned 0 even when a write failed
        return None

    def syncfs(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            if call(fd) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(path))
        finally:
            os.close(fd)

    return syncfs


_syncfs = _linux_syncfs()


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
