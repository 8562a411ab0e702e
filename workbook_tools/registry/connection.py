"""The SQLite connection under the registry and the portal: opening, transactions, closing.

One store object is one connection (one per thread or process), opened in autocommit
mode so that every write is an explicit ``BEGIN IMMEDIATE`` transaction: the write lock
is taken before the first read of a read-then-write, so two writers cannot interleave.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import TypeVar

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another one (a second ``collect``) before giving up."""

S = TypeVar("S", bound="SqliteStore")


def connect(path: Path) -> sqlite3.Connection:
    """A connection that waits for other writers and enforces foreign keys."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A ``BEGIN IMMEDIATE`` transaction, or a savepoint when one is open already (a record
    inside a batch): committed (released) when the block ends, undone if it raises."""
    nested = db.in_transaction
    db.execute("SAVEPOINT record" if nested else "BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.in_transaction:  # else SQLite rolled back already (e.g. disk full)
            db.execute("ROLLBACK TO record" if nested else "ROLLBACK")
            if nested:
                db.execute("RELEASE record")
        raise
    if db.in_transaction:
        db.execute("RELEASE record" if nested else "COMMIT")


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` in turn (inside the caller's transaction, unlike
    :meth:`sqlite3.Connection.executescript`, which commits first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


class SqliteStore:
    """A store on one connection: closed at the end of a ``with`` block."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    def close(self) -> None:
        self._db.close()

    def __enter__(self: S) -> S:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            fault = self._fault(exc)
            if fault is not None:
                raise fault from exc

    def _fault(self, exc: sqlite3.Error) -> Exception | None:
        """What a SQLite error that ended a ``with`` block means to the user (None: the
        error itself goes on)."""
        return None

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._db)
