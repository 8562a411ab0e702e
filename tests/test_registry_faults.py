"""Issue 15 item 7: registry faults named for what they are, before any file is processed;
archive copies reconciled with their records; the registry rebuilt from the archive."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import faults
import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.faults import archive_copies
from workbook_tools.units import write_units_csv

PEOPLE = faults.units(4)
FILE_BLAMED = ("Không xử lý được tệp", "hãy kiểm tra tệp", "Lỗi không mong đợi", "Traceback")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, request_h1: Request, dvcq: Form) -> Path:
    folder = tmp_path_factory.mktemp("faults") / "inbox"
    faults.make_inbox(folder, request_h1, dvcq, PEOPLE)
    write_units_csv(PEOPLE, folder.parent / "units.csv")
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def collect(inbox: Path, db: Path) -> tuple[int, str]:
    units = str(inbox.parent / "units.csv")
    return run("collect", str(inbox), "--period", "2025-H1", "--db", str(db), "--units", units)


def status(inbox: Path, db: Path) -> tuple[int, str]:
    units = str(inbox.parent / "units.csv")
    return run("status", "--period", "2025-H1", "--db", str(db), "--units", units, "--json")


def accepted(inbox: Path, db: Path) -> int:
    code, out = status(inbox, db)
    assert code == 0, out
    return out.count('"state": "accepted"')


def assert_named_before_any_file(out: str, words: str, db: Path) -> None:
    assert words in out, out
    for blame in FILE_BLAMED:
        assert blame not in out, out
    assert not (db.parent / "archive").exists() or not archive_copies(db.parent / "archive")


# ------------------------------------------------------------ read-only database / folder


def test_read_only_database_injected(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "so.sqlite"
    SubmissionStore.open(db).close()
    connect = sqlite3.connect

    def read_only(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    code, out = collect(inbox, db)
    assert code == 1
    assert_named_before_any_file(out, "chỉ cho đọc", db)


def test_read_only_database_file_mounted(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite"
    SubmissionStore.open(db).close()
    with faults.read_only(db):
        code, out = collect(inbox, db)
    assert code == 1
    assert_named_before_any_file(out, "chỉ cho đọc", db)


def _refuse_probe(monkeypatch: pytest.MonkeyPatch, err: int) -> None:
    """The folder refuses a new file (read-only or full), injected where the probe writes."""
    real = os.open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> int:
        if ".wbt-probe-" in os.fspath(path):
            raise OSError(err, os.strerror(err), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


@pytest.mark.parametrize(("err", "words"), [(errno.EROFS, "chỉ cho đọc"), (errno.ENOSPC, "đã đầy")])
def test_read_only_or_full_folder_injected(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    db = tmp_path / "so.sqlite"
    _refuse_probe(monkeypatch, err)
    code, out = collect(inbox, db)
    assert code == 1
    assert_named_before_any_file(out, words, db)
    assert "không phải cơ sở dữ liệu" not in out


def test_read_only_folder_mounted(inbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "so"
    db = folder / "so.sqlite"
    assert collect(inbox, db)[0] == 0
    with faults.read_only(folder):
        code, out = collect(inbox, db)
        assert code == 1
        assert "không cho ghi" in out and "không phải cơ sở dữ liệu" not in out
        for blame in FILE_BLAMED:
            assert blame not in out


def test_full_disk_mounted(inbox: Path, tmp_path: Path) -> None:
    with faults.tmpfs(tmp_path / "disk", 512) as disk:
        db = disk / "so.sqlite"
        SubmissionStore.open(db).close()
        faults.fill_up(disk)
        code, out = collect(inbox, db)
        assert code == 1
        assert_named_before_any_file(out, "đã đầy", db)


def test_disk_full_during_the_run_stops_it_naming_the_disk(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "so.sqlite"

    def full(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SubmissionStore, "record", full)
    code, out = collect(inbox, db)
    assert code == 1
    assert "đã đầy" in out and "registry reconcile" in out
    for blame in FILE_BLAMED:
        assert blame not in out


# ------------------------------------------------------------ damaged database files


def test_zero_byte_database_is_not_taken_as_empty_and_is_rebuilt(
    inbox: Path, tmp_path: Path
) -> None:
    db = tmp_path / "so.sqlite"
    assert collect(inbox, db)[0] == 0
    assert accepted(inbox, db) == len(PEOPLE)
    db.write_bytes(b"")  # truncated to 0 bytes
    code, out = status(inbox, db)
    assert code == 1
    assert "rỗng (0 byte)" in out and f"có {len(PEOPLE)} bản gốc" in out
    assert "registry rebuild" in out
    code, out = collect(inbox, db)
    assert code == 1 and "rỗng (0 byte)" in out

    units = str(inbox.parent / "units.csv")
    code, out = run("registry", "rebuild", "--db", str(db), "--units", str(units))
    assert code == 0, out
    assert f"{len(PEOPLE)} vừa được ghi nhận" in out
    assert accepted(inbox, db) == len(PEOPLE)
    assert [p.name for p in tmp_path.glob("so.sqlite.hong-*")]  # the old file kept aside


def test_corrupted_page_is_named_and_rebuilt(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite"
    assert collect(inbox, db)[0] == 0
    assert not Path(f"{db}-wal").exists()  # checkpointed: the damage below is in the file
    with sqlite3.connect(db) as conn:  # the page the submissions table starts on
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'submissions'"
        ).fetchone()
    conn.close()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)
    for command in (collect, status):
        code, out = command(inbox, db)
        assert code == 1
        assert "bị hỏng" in out and "registry rebuild" in out, out
        assert "Lỗi không mong đợi" not in out
    units = str(inbox.parent / "units.csv")
    code, out = run("registry", "rebuild", "--db", str(db), "--units", units)
    assert code == 0, out
    assert accepted(inbox, db) == len(PEOPLE)


# ------------------------------------------------------------ kill during collect

KILL_AT_THIRD_RECORD = textwrap.dedent(
    """
    import os, signal, sys
    from workbook_tools.cli import cli
    from workbook_tools.registry.store import SubmissionStore

    record = SubmissionStore.record
    calls = []

    def dying(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # two records made, uncommitted; a third copy archived
            os.kill(os.getpid(), signal.SIGKILL)
        return record(self, *args, **kwargs)

    SubmissionStore.record = dying
    cli.main(["collect", sys.argv[1], "--period", "2025-H1", "--db", sys.argv[2], "--units",
              sys.argv[3]])
    """
)


def test_kill_during_collect_then_reconcile_records_every_archive_copy(
    inbox: Path, tmp_path: Path
) -> None:
    db = tmp_path / "so.sqlite"
    units = str(inbox.parent / "units.csv")
    done = subprocess.run(
        [sys.executable, "-c", KILL_AT_THIRD_RECORD, str(inbox), str(db), units],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == -9
    copies = archive_copies(tmp_path / "archive")
    assert len(copies) == 3
    with SubmissionStore.open(db) as store:
        assert [sha for sha, _ in copies if store.by_sha256(sha) is None]  # orphans

    code, out = run("registry", "reconcile", "--db", str(db), "--units", units)
    assert code == 0, out
    assert "0 đã được ghi nhận từ trước, 3 vừa được ghi nhận, 0 không ghi nhận được" in out
    with SubmissionStore.open(db) as store:
        assert all(store.by_sha256(sha) is not None for sha, _ in copies)
    code, out = run("registry", "reconcile", "--db", str(db), "--units", units)
    assert code == 0 and "3 đã được ghi nhận từ trước, 0 vừa được ghi nhận" in out
    assert collect(inbox, db)[0] == 0  # the rest of the inbox, as if nothing had happened
    assert accepted(inbox, db) == len(PEOPLE)
