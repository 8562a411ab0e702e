"""Which files a batch covers: the paths given, with folders walked.

Every file counts — a PDF or a photo sent instead of the workbook gets its own
finding — except hidden files and folders, Office lock files (``~$…``) and what
the caller excludes (the registry's own database and archive). Symbolic links to
folders are not followed (no loops).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path


class SpecialFileError(OSError):
    """A named pipe, device or socket where a received file was expected: never read."""


def read_regular(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its status as read, provided it is an ordinary file.

    A named pipe, a device or a socket dropped in the inbox raises
    :class:`SpecialFileError` instead of blocking the run forever: the file is opened
    without waiting and checked before anything is read from it.
    """
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(mode):  # not even opened: opening a device may act
        raise SpecialFileError(errno.EINVAL, "not a regular file", str(path))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # swapped for a pipe since the line above
            raise SpecialFileError(errno.EINVAL, "not a regular file", str(path))
        return fh.read(), status


def _skipped_name(name: str) -> bool:
    """Hidden files and folders, and Office's ``~$`` lock files (not reports)."""
    return name.startswith((".", "~$"))


def find_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude_files: set[str] | None = None,
    exclude_dirs: set[str] | None = None,
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to collect from ``paths`` (folders walked recursively, sorted), and the
    given paths that do not exist (with a Vietnamese message).

    Symbolic links to folders are not followed (no loops); a file named
    explicitly is always taken, even when hidden.
    """
    skip_files = exclude_files or set()
    skip_dirs = exclude_dirs or set()
    found: list[Path] = []
    missing: list[tuple[Path, str]] = []
    taken: set[str] = set()

    def take(path: Path, real: str) -> None:
        if real not in taken and real not in skip_files:
            taken.add(real)
            found.append(path)

    def walk(folder: Path) -> None:
        real_folder = os.path.realpath(folder)
        if real_folder in skip_dirs:
            return
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            missing.append((folder, os_message(exc, folder)))
            return
        for entry in entries:
            if _skipped_name(entry.name):
                continue
            path = folder / entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                walk(path)
            elif not entry.is_symlink() or not _is_dir_link(path):
                take(path, os.path.join(real_folder, entry.name))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            walk(path)
        elif path.exists() or path.is_symlink():
            take(path, os.path.realpath(path))
        else:
            missing.append(
                (
                    path,
                    f"Không tìm thấy tệp hoặc thư mục “{path}”. Hãy kiểm tra lại đường dẫn.",
                )
            )
    return found, missing


def _is_dir_link(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def os_message(exc: OSError, path: Path) -> str:
    """What went wrong with a file, in words the person at the inbox can act on."""
    if isinstance(exc, FileNotFoundError):
        return (
            f"Không tìm thấy tệp {path.name} (có thể đã bị xóa, đổi tên hoặc di chuyển trong lúc "
            "thu nhận, hoặc là lối tắt trỏ tới tệp không còn). Tệp chưa được ghi nhận."
        )
    if isinstance(exc, PermissionError):
        return (
            f"Không có quyền đọc tệp {path.name}. Hãy cấp quyền đọc (hoặc đóng chương trình "
            "đang khóa tệp) rồi chạy lại."
        )
    if isinstance(exc, SpecialFileError):
        return (
            f"{path.name} là tệp đặc biệt của hệ thống (ống dẫn, thiết bị hoặc socket), không phải "
            "tệp báo cáo: đã bỏ qua, không đọc. Hãy xóa nó khỏi thư mục nhận."
        )
    if isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        return f"{path.name} là thư mục, không phải tệp."
    reason = exc.strerror or str(exc)
    return f"Không đọc được tệp {path.name} ({reason}). Tệp chưa được ghi nhận; hãy chạy lại sau."
