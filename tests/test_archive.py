"""The archive of accepted originals: copies made whole, flushed before they are recorded."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from workbook_tools.registry import archive
from workbook_tools.registry.archive import archive_copy, sync_files


def _source(tmp_path: Path, data: bytes, mtime_ns: int) -> Path:
    source = tmp_path / "inbox" / "Bao-cao.XLSX"
    source.parent.mkdir()
    source.write_bytes(data)
    os.utime(source, ns=(mtime_ns, mtime_ns))
    return source


def test_a_copy_is_named_by_its_hash_keeps_the_save_time_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    data = b"PK\x03\x04 the bytes that were checked"
    sha = hashlib.sha256(data).hexdigest()
    source = _source(tmp_path, data, 1_700_000_000_123_456_789)
    copy = archive_copy(source, data, sha, tmp_path / "archive")
    assert copy == tmp_path / "archive" / sha[:2] / f"{sha}.xlsx"
    assert copy.read_bytes() == data
    assert copy.stat().st_mtime_ns == 1_700_000_000_123_456_789
    assert os.listdir(copy.parent) == [copy.name]
    assert source.read_bytes() == data  # the received file is never touched


def test_the_save_time_read_with_the_bytes_is_the_one_kept(tmp_path: Path) -> None:
    data = b"content"
    source = _source(tmp_path, data, 1_600_000_000_000_000_000)
    sha = hashlib.sha256(data).hexdigest()
    copy = archive_copy(source, data, sha, tmp_path / "a", mtime_ns=1_500_000_000_000_000_000)
    assert copy.stat().st_mtime_ns == 1_500_000_000_000_000_000


def test_a_copy_already_archived_is_kept_and_a_failed_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"content"
    sha = hashlib.sha256(data).hexdigest()
    source = _source(tmp_path, data, 1_600_000_000_000_000_000)
    first = archive_copy(source, data, sha, tmp_path / "a")
    before = first.stat().st_ino

    def no_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("workbook_tools.registry.archive.os.replace", no_rename)
    assert archive_copy(source, data, sha, tmp_path / "a") == first  # kept, not rewritten
    assert first.stat().st_ino == before
    other = b"other content"
    with pytest.raises(OSError, match="No space"):
        archive_copy(source, other, hashlib.sha256(other).hexdigest(), tmp_path / "a")
    leftovers = [p.name for p in (tmp_path / "a").rglob("*") if p.is_file()]
    assert leftovers == [first.name]  # no temporary file left behind


def test_syncfs_flushes_each_filesystem_once_and_reports_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / name
        path.write_bytes(b"x")
        paths.append(path)
    flushed: list[Path] = []
    monkeypatch.setattr(archive, "_syncfs", flushed.append)
    sync_files(paths)
    assert flushed == [paths[0]]  # one filesystem: one flush for the three copies

    def fails(path: Path) -> None:
        raise OSError(5, "Input/output error", str(path))

    monkeypatch.setattr(archive, "_syncfs", fails)
    with pytest.raises(OSError, match="Input/output error"):
        sync_files(paths)


def test_without_syncfs_each_file_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tmp_path / "a", tmp_path / "b"]
    for path in paths:
        path.write_bytes(b"x")
    flushed: list[int] = []
    monkeypatch.setattr(archive, "_syncfs", None)
    monkeypatch.setattr("workbook_tools.registry.archive.os.fsync", flushed.append)
    sync_files(paths)
    assert len(flushed) == 2


@pytest.mark.skipif(archive._syncfs is None, reason="syncfs: Linux 5.8 and later only")
def test_the_real_syncfs_flushes_without_error(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"x")
    sync_files([path])  # the call itself: a wrong signature or errno handling would raise
    with pytest.raises(FileNotFoundError):
        sync_files([tmp_path / "gone"])


def test_a_copy_is_stored_relative_to_the_database_folder_when_inside_it(tmp_path: Path) -> None:
    from workbook_tools.registry import SubmissionStore

    with SubmissionStore.open(tmp_path / "reg" / "so.sqlite") as store:
        inside = tmp_path / "reg" / "archive" / "ab" / "abc.xlsx"
        assert store._stored_path(inside) == "archive/ab/abc.xlsx"
        assert store._stored_path(tmp_path / "reg" / ".." / "reg" / "x.xlsx") == "x.xlsx"
        beside = tmp_path / "reg-other" / "abc.xlsx"  # a name that starts like the folder's
        assert store._stored_path(beside) == str(beside)
        outside = tmp_path / "elsewhere" / "abc.xlsx"
        assert store._stored_path(outside) == str(outside)
