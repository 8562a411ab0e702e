"""The submission registry: every received file, checked, in one SQLite database.

Why SQLite: the Sở needs a record that survives between runs, that two people
(or two ``collect`` runs) can write at the same time without losing anything,
and that is one file to back up. Every write is one ``BEGIN IMMEDIATE``
transaction, or one savepoint inside a batch of them (:meth:`SubmissionStore.batch`),
so a run that dies half way leaves either the whole submission or nothing; WAL
lets readers (``status``) work while a ``collect`` writes.

What the store guarantees:

- a file's content (sha256) is recorded once; collecting it again changes nothing;
- received files are never modified: an accepted original is *copied* into the
  archive, named by its content hash, and the copy is verified against the hash
  the check computed;
- per (form, period, unit) at most one accepted submission is *current* (enforced
  by a unique index, not only by the code); an accepted file received later by the
  Sở (first seen by ``collect``; files first seen in the same run by their save
  time) supersedes the earlier one, which stays in the history with
  ``superseded_by`` pointing at it;
- an accepted file is *held* (kept, never current) when it belongs to a period
  other than the round being collected, or when the Sở has chosen a unit's return
  (:meth:`SubmissionStore.choose`): only another explicit choice changes what counts;
  every choice is kept with its reason;
- the round: the units expected for a period are recorded when its workbooks are
  generated (:meth:`SubmissionStore.record_round`);
- rejected files are recorded with their findings but are never current, so a
  merge (which may only use :meth:`SubmissionStore.current`) never sees them;
- values come back with the type they went in with (int, float, bool, str, date,
  and None for a blank: blank is not zero).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from workbook_tools.registry.choices import Choices
from workbook_tools.registry.codec import decode_value, decode_values, encode_value, file_time
from workbook_tools.registry.connection import BUSY_TIMEOUT_MS, connect
from workbook_tools.registry.faults import (
    StoreError,
    probe_folder,
    refuse_empty_with_archive,
    registry_fault,
)
from workbook_tools.registry.reading import ARCHIVE_DIR_NAME, DEFAULT_DB_NAME
from workbook_tools.registry.recording import Recording
from workbook_tools.registry.records import (
    Decision,
    Held,
    RecordOutcome,
    Round,
    Status,
    StoredSubmission,
)
from workbook_tools.registry.schema import SCHEMA_VERSION, upgrade_schema, user_version

__all__ = [
    "ARCHIVE_DIR_NAME",
    "BUSY_TIMEOUT_MS",
    "DEFAULT_DB_NAME",
    "SCHEMA_VERSION",
    "Decision",
    "Held",
    "RecordOutcome",
    "Round",
    "Status",
    "StoredSubmission",
    "SubmissionStore",
    "decode_value",
    "decode_values",
    "encode_value",
    "file_time",
]


class SubmissionStore(Recording, Choices):
    """The registry database: open with :meth:`open`, use as a context manager.

    One store object is one SQLite connection: use one per thread or process. Its
    methods live with what they do: :class:`~workbook_tools.registry.recording.Recording`
    (files in), :class:`~workbook_tools.registry.choices.Choices` (rounds, the Sở's
    decisions), :class:`~workbook_tools.registry.reading.Reading` (everything read back).
    """

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, db_path: str | os.PathLike[str]) -> SubmissionStore:
        """Open (creating folder, file and schema if needed) the database at ``db_path``."""
        path = Path(db_path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Không tạo được thư mục chứa cơ sở dữ liệu {path.parent} ({exc.strerror}). "
                "Hãy chọn thư mục khác bằng --db."
            ) from exc
        if path.is_dir():
            raise StoreError(
                f"{path} là một thư mục, không phải tệp cơ sở dữ liệu. Hãy ghi đường dẫn tệp, "
                f"ví dụ --db {path / DEFAULT_DB_NAME}."
            )
        refuse_empty_with_archive(path, path.parent / ARCHIVE_DIR_NAME)
        try:
            connection = connect(path)
        except sqlite3.Error as exc:
            raise registry_fault(exc, path) from exc
        store = cls(path, connection)
        try:
            store._prepare()
        except sqlite3.Error as exc:
            connection.close()
            raise registry_fault(exc, path) from exc
        except BaseException:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        db = self._db
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            # e.g. a network share without shared memory: still correct, just less concurrent
            db.execute("PRAGMA journal_mode = DELETE")
        version = user_version(db)
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Cơ sở dữ liệu {self.path} được tạo bởi phiên bản workbook-tools mới hơn "
                f"(lược đồ {version}, phiên bản này chỉ hiểu đến {SCHEMA_VERSION}). Hãy cập nhật "
                "workbook-tools."
            )
        with self._transaction():
            upgrade_schema(db)

    def check_ready(self, archive_dir: Path | None = None) -> None:
        """Raise a :class:`StoreError` naming the fault if a run could not record its files.

        Called before a run processes any file: the database's folder and the archive
        take a write (not read-only, not full), the database takes a write transaction,
        and its pages are sound (``PRAGMA quick_check``). Changes nothing.
        """
        probe_folder(self.path.parent, "chứa cơ sở dữ liệu")
        probe_folder(archive_dir or self.default_archive_dir, "lưu trữ bản gốc (archive)")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(f"PRAGMA user_version = {user_version(self._db)}")
            finally:
                self._db.execute("ROLLBACK")
            problems = [str(r[0]) for r in self._db.execute("PRAGMA quick_check(5)")]
        except sqlite3.Error as exc:
            raise registry_fault(exc, self.path) from exc
        if problems != ["ok"]:
            raise registry_fault(
                sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(problems)}"),
                self.path,
            )

    @property
    def schema_version(self) -> int:
        return user_version(self._db)

    def _fault(self, exc: sqlite3.Error) -> Exception:
        return registry_fault(exc, self.path)  # a fault of the registry, said for what it is

    def batch(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction for the records made inside: each is a savepoint within it.

        A record that fails is undone alone; the others are committed together
        when the block ends (one disk sync instead of one per file), or all undone
        if the block raises. Keep batches short: they hold the write lock.
        """
        return self._transaction()
