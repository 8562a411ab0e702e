"""The transaction helper under the registry and the portal (``registry/connection.py``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbook_tools.portal import PortalStore
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.connection import connect, transaction


def _db(tmp_path: Path) -> sqlite3.Connection:
    db = connect(tmp_path / "t.sqlite")
    db.execute("CREATE TABLE t (n INTEGER NOT NULL)")
    return db


def _rows(db: sqlite3.Connection) -> list[int]:
    return [int(r[0]) for r in db.execute("SELECT n FROM t ORDER BY n")]


def test_a_block_that_ends_is_committed_one_that_raises_is_undone(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError), transaction(db):
        db.execute("INSERT INTO t VALUES (2)")
        _ = 1 / 0
    assert _rows(db) == [1]
    assert not db.in_transaction


def test_a_failing_inner_block_is_undone_alone(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError), transaction(db):
            db.execute("INSERT INTO t VALUES (2)")
            db.execute("INSERT INTO t VALUES (NULL)")  # refused: the savepoint is undone
        with transaction(db):
            db.execute("INSERT INTO t VALUES (3)")
        assert db.in_transaction  # still the outer one
    assert _rows(db) == [1, 3]


def test_the_outer_block_raising_undoes_its_inner_blocks_too(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with pytest.raises(RuntimeError), transaction(db):
        with transaction(db):
            db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError
    assert _rows(db) == []


def test_both_stores_close_their_connection_at_the_end_of_the_block(tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite"
    with SubmissionStore.open(path) as registry, PortalStore.open(path) as portal:
        assert registry.schema_version > 0 and portal.password_hash() is None
    for store in (registry, portal):
        with pytest.raises(sqlite3.ProgrammingError):  # closed
            store._db.execute("SELECT 1")
