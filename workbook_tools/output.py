"""Write an output file whole or not at all.

Every file the tool writes (consolidated workbook, tracking list, report, feedback
copy, generated workbook, CSV) goes through :func:`replacing`: the content is
written to a hidden temporary file in the target's own folder, flushed to disk,
then renamed over the target. A full disk or a killed run therefore leaves the
previous file intact (and at most a hidden ``.~…`` temporary file, removed when
possible), never a truncated one; and the error says what happened, in
Vietnamese, instead of a raw ``OSError``.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
READ_ONLY = frozenset({errno.EROFS})
NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM})


class OutputError(WorkbookToolsError):
    """An output file could not be written; the previous one, if any, is unchanged."""

    def __init__(self, message: str, errno_: int | None = None, strerror: str = "") -> None:
        super().__init__(message)
        self.errno = errno_
        self.strerror = strerror  # the reason alone, for a line that names the file itself


def disk_reason(exc: OSError) -> str:
    """Why the system refused a write, in words a person can act on."""
    if exc.errno in DISK_FULL:
        return "Ổ đĩa đã đầy (hết dung lượng trống)"
    if exc.errno in READ_ONLY:
        return "ổ đĩa hoặc thư mục chỉ cho phép đọc, không cho ghi"
    if exc.errno in NO_PERMISSION or isinstance(exc, PermissionError):
        return "không có quyền ghi (hoặc tệp đang mở trong chương trình khác)"
    return f"lỗi hệ thống: {exc.strerror or exc}"


def output_error(exc: OSError, target: Path) -> OutputError:
    """The Vietnamese error for a failed write of ``target``."""
    reason = disk_reason(exc)
    if exc.errno in DISK_FULL:
        text = (
            f"{reason}: không ghi được {target}. Tệp cũ (nếu có) vẫn giữ nguyên. Hãy giải phóng "
            "dung lượng ổ đĩa hoặc ghi sang ổ khác rồi chạy lại."
        )
    else:
        text = (
            f"Không ghi được {target}: {reason}. Tệp cũ (nếu có) vẫn giữ nguyên. Hãy kiểm tra "
            "thư mục hoặc chọn thư mục khác rồi chạy lại."
        )
    return OutputError(text, exc.errno, reason)


def temporary_beside(target: Path) -> Path:
    """A hidden, unique name in ``target``'s folder (hidden: never collected as a return)."""
    return target.with_name(f".~{target.stem}.{uuid.uuid4().hex[:12]}{target.suffix}")


@contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to write ``target``'s new content to; renamed onto ``target`` at the end.

    If the block raises, or the write or rename fails, ``target`` is left as it was
    and the temporary file is removed. An ``OSError`` comes out as :class:`OutputError`.
    """
    final = Path(target)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, final) from exc
    temp = temporary_beside(final)
    try:
        yield temp
        _fsync(temp)
        os.replace(temp, final)
    except OSError as exc:
        raise output_error(exc, final) from exc
    finally:
        _discard(temp)


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`replacing`)."""
    with replacing(target) as temp:
        temp.write_bytes(data)
    return Path(target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    # best effort: a hidden temporary file left on a failing disk harms nothing
    with suppress(OSError):
        path.unlink()
