"""What is wrong with the registry itself, named for what it is, before any file is processed.

A read-only database, a read-only folder, a full disk, a damaged database file
or one cut to 0 bytes are faults of the Sở's machine, not of a unit's file: they
must not come out as "hãy kiểm tra tệp" for every received file, nor as "Lỗi
không mong đợi". :func:`registry_fault` names a SQLite error; :func:`probe_folder`
and :func:`archived_count` find, before a run starts, what can be found then.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from contextlib import suppress
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.output import DISK_FULL, NO_PERMISSION, READ_ONLY

REBUILD_HINT = "workbook-tools registry rebuild --db {db} --units DANH_SÁCH"
FULL_BELOW = 64 * 1024
"""Free bytes under which a SQLite I/O error is taken for what it almost surely is: a full disk."""
RECONCILE_HINT = "workbook-tools registry reconcile --db {db} --units DANH_SÁCH"


class StoreError(WorkbookToolsError):
    """The database cannot be used (not ours, from a newer version, unwritable, damaged)."""


def registry_fault(exc: sqlite3.Error, db: Path) -> StoreError:
    """The SQLite error ``exc`` on database ``db``, said for what it is."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreError(
            f"Cơ sở dữ liệu {db} chỉ cho đọc (tệp, thư mục hoặc ổ đĩa không cho ghi): không ghi "
            "nhận được gì, các tệp nhận về không có lỗi gì. Hãy cấp quyền ghi cho tệp và thư mục "
            f"{db.parent}, hoặc chép cơ sở dữ liệu cùng thư mục archive sang nơi ghi được và "
            "chạy lại với --db."
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return StoreError(
            f"Không mở được cơ sở dữ liệu {db}: thư mục {db.parent} không cho ghi (SQLite cần "
            "tạo tệp nhật ký bên cạnh) hoặc không có quyền đọc. Hãy cấp quyền ghi cho thư mục, "
            "hoặc chép cơ sở dữ liệu cùng thư mục archive sang nơi ghi được và chạy lại với --db."
        )
    if name == "SQLITE_FULL" or "disk is full" in text or (_io_error(name, text) and _full(db)):
        return StoreError(
            f"Ổ đĩa chứa cơ sở dữ liệu {db} đã đầy: các tệp của đợt đang ghi chưa được ghi "
            "nhận (những gì đã ghi nhận trước đó vẫn còn nguyên). Hãy giải phóng dung lượng rồi "
            "chạy lại lệnh; bản gốc đã chép vào archive được ghi nhận lại bằng: "
            + RECONCILE_HINT.format(db=db)
        )
    if (
        name in ("SQLITE_CORRUPT", "SQLITE_NOTADB")
        or "malformed" in text
        or "not a database" in text
    ):
        return StoreError(
            f"Tệp {db} bị hỏng hoặc không phải cơ sở dữ liệu của workbook-tools ({exc}). Bản gốc "
            "hợp lệ đã nhận vẫn nằm trong thư mục archive: dựng lại cơ sở dữ liệu từ đó bằng: "
            + REBUILD_HINT.format(db=db)
            + " (tệp hỏng được giữ lại bên cạnh, không bị xóa); hoặc chọn tệp khác bằng --db."
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreError(
            f"Cơ sở dữ liệu {db} đang bị một lệnh khác giữ quá lâu. Hãy chờ lệnh đó xong rồi "
            "chạy lại."
        )
    if _io_error(name, text):
        return StoreError(
            f"Lỗi đọc ghi ổ đĩa khi dùng cơ sở dữ liệu {db} ({exc}). Hãy kiểm tra ổ đĩa (còn "
            "trống, không lỗi, không bị rút ra) rồi chạy lại."
        )
    return StoreError(f"Lỗi cơ sở dữ liệu {db} ({exc}). Hãy chạy lại; nếu vẫn lỗi, báo quản trị.")


def _io_error(name: str, text: str) -> bool:
    return name.startswith("SQLITE_IOERR") or "disk i/o" in text


def _full(db: Path) -> bool:
    """Whether the disk under ``db`` has (next to) no room left: an I/O error's likely cause."""
    try:
        return shutil.disk_usage(db.parent).free < FULL_BELOW
    except OSError:
        return False


def probe_folder(folder: Path, what: str) -> None:
    """Raise a :class:`StoreError` if ``folder`` cannot be written (read-only, full, no permission).

    Writes, syncs and removes a hidden one-byte file: a folder that passes can
    take a journal or an archive copy, one that fails says why before any work.
    """
    probe = folder / f".wbt-probe-{uuid.uuid4().hex}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"\0")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(_folder_message(exc, folder, what)) from exc
    finally:
        with suppress(OSError):
            probe.unlink()


def _folder_message(exc: OSError, folder: Path, what: str) -> str:
    if exc.errno in DISK_FULL:
        return (
            f"Ổ đĩa chứa {what} ({folder}) đã đầy: chưa tệp nào được xử lý. Hãy giải phóng dung "
            "lượng rồi chạy lại."
        )
    if exc.errno in READ_ONLY or exc.errno in NO_PERMISSION:
        return (
            f"Thư mục {what} ({folder}) chỉ cho đọc, không ghi được: chưa tệp nào được xử lý. "
            "Hãy cấp quyền ghi cho thư mục, hoặc chép cơ sở dữ liệu cùng thư mục archive sang "
            "nơi ghi được và chạy lại với --db."
        )
    return (
        f"Không ghi được vào thư mục {what} ({folder}): {exc.strerror or exc}. Chưa tệp nào "
        "được xử lý; hãy kiểm tra ổ đĩa rồi chạy lại."
    )


def archived_count(archive: Path) -> int:
    """How many originals the archive holds (``<archive>/<xx>/<sha256><suffix>``)."""
    return sum(1 for _ in archive_copies(archive))


def archive_copies(archive: Path) -> list[tuple[str, Path]]:
    """(sha256, path) of every archived original, in a stable order."""
    found: list[tuple[str, Path]] = []
    try:
        folders = sorted(p for p in archive.iterdir() if len(p.name) == 2 and p.is_dir())
    except OSError:
        return found
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            sha = name.split(".", 1)[0]
            if len(sha) == 64 and sha.startswith(folder.name) and not name.startswith("."):
                found.append((sha, folder / name))
    return found


def refuse_empty_with_archive(db: Path, archive: Path) -> None:
    """A 0-byte database beside an archive of originals is a lost database, not an empty one."""
    try:
        empty = db.stat().st_size == 0
    except OSError:
        return
    if not empty:
        return
    count = archived_count(archive)
    if count:
        raise StoreError(
            f"Tệp cơ sở dữ liệu {db} rỗng (0 byte) trong khi thư mục lưu trữ {archive} có "
            f"{count} bản gốc đã nhận: tệp đã bị cắt hỏng, không phải cơ sở dữ liệu mới. Hãy "
            "dựng lại từ lưu trữ bằng: " + REBUILD_HINT.format(db=db)
        )
