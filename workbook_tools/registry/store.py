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

import json
import math
import os
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from workbook_tools.checks.validate import Submission, TableRow
from workbook_tools.findings import Finding
from workbook_tools.periods import Period
from workbook_tools.registry.archive import archive_copy, read_as_checked
from workbook_tools.registry.faults import (
    StoreError,
    probe_folder,
    refuse_empty_with_archive,
    registry_fault,
)
from workbook_tools.units import Unit

SCHEMA_VERSION = 3
"""Kept in ``PRAGMA user_version``; a database from a newer tool is refused, not guessed at.
An older one is migrated in place, in one transaction, keeping every row (:data:`_MIGRATIONS`)."""

DEFAULT_DB_NAME = "workbook-tools.sqlite"
ARCHIVE_DIR_NAME = "archive"
BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another one (a second ``collect``) before giving up."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT    NOT NULL UNIQUE,
    file_name     TEXT    NOT NULL,
    source_path   TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    received_at   TEXT    NOT NULL,          -- ISO 8601 with offset: the file's mtime
    received_us   INTEGER NOT NULL,          -- the same instant, µs since the epoch, for ordering
    collected_at  TEXT    NOT NULL,
    unit_code     TEXT    NOT NULL COLLATE NOCASE,
    unit_name     TEXT    NOT NULL,
    form_id       TEXT    NOT NULL,
    form_version  INTEGER,
    period        TEXT    NOT NULL,
    deadline      TEXT,                      -- ISO date from the workbook, or NULL
    status        TEXT    NOT NULL CHECK (status IN ('accepted', 'rejected')),
    error_count   INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id),
    archive_path  TEXT,
    CHECK (status = 'accepted' OR superseded_by IS NULL)
);
CREATE INDEX IF NOT EXISTS submissions_slot ON submissions (form_id, period, unit_code);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_one_current
    ON submissions (form_id, period, unit_code)
    WHERE status = 'accepted' AND superseded_by IS NULL;
CREATE TABLE IF NOT EXISTS findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    unit          TEXT    NOT NULL,
    sheet         TEXT    NOT NULL,
    cell          TEXT    NOT NULL,
    indicators    TEXT    NOT NULL,          -- JSON list of codes
    message       TEXT    NOT NULL,
    PRIMARY KEY (submission_id, seq)
);
CREATE TABLE IF NOT EXISTS submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    value         TEXT    NOT NULL,          -- JSON, a date as {"$date": "YYYY-MM-DD"}
    PRIMARY KEY (submission_id, code)
);
CREATE TABLE IF NOT EXISTS table_rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    table_code    TEXT    NOT NULL,
    row_index     INTEGER NOT NULL,
    data          TEXT    NOT NULL,          -- JSON object column → value, as above
    PRIMARY KEY (submission_id, table_code, row_index)
);
CREATE TABLE IF NOT EXISTS seen_files (
    path     TEXT    PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT    NOT NULL
);
"""

# Version 1 → 2: the Sở's receipt time, held files, the rounds and the Sở's choices.
_SCHEMA_2 = """
ALTER TABLE submissions ADD COLUMN first_seen_us INTEGER NOT NULL DEFAULT 0;  -- first collected
ALTER TABLE submissions ADD COLUMN held TEXT CHECK (held IN ('other-period', 'decided'));
ALTER TABLE submissions ADD COLUMN collected_for TEXT;  -- the round's periods, space-separated
DROP INDEX submissions_one_current;
CREATE UNIQUE INDEX submissions_one_current
    ON submissions (form_id, period, unit_code)
    WHERE status = 'accepted' AND superseded_by IS NULL AND held IS NULL;
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    form_id       TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    unit_code     TEXT    NOT NULL COLLATE NOCASE,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    previous_id   INTEGER REFERENCES submissions(id),
    reason        TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL
);
CREATE INDEX decisions_slot ON decisions (form_id, period, unit_code);
CREATE TABLE received_paths (
    path          TEXT    PRIMARY KEY,      -- as seen_files.path
    first_seen_us INTEGER NOT NULL          -- when collect first saw a file at this path
);
CREATE TABLE rounds (
    form_id      TEXT NOT NULL,
    period       TEXT NOT NULL,
    generated_at TEXT NOT NULL,             -- the latest generate of this period
    generated_us INTEGER NOT NULL,
    deadline     TEXT,
    units_source TEXT NOT NULL,
    PRIMARY KEY (form_id, period)
);
CREATE TABLE round_units (
    form_id    TEXT    NOT NULL,
    period     TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    unit_code  TEXT    NOT NULL COLLATE NOCASE,
    unit_name  TEXT    NOT NULL,
    unit_group TEXT    NOT NULL,
    parent     TEXT,
    email      TEXT,
    PRIMARY KEY (form_id, period, unit_code)
);
"""

# Version 2 → 3 (issue 13): the Sở's approval of each return, each return's figures in a row.
_SCHEMA_3 = """
CREATE TABLE approvals (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    action        TEXT    NOT NULL CHECK (action IN
                      ('accept', 'return', 'reopen', 'lock', 'unlock')),
    state         TEXT    NOT NULL,          -- the return's approval state after it
    reason        TEXT    NOT NULL,
    decided_by    TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL           -- ISO 8601 with offset
);
CREATE INDEX approvals_submission ON approvals (submission_id, id);
CREATE TABLE quality_inputs (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    form_key      TEXT    NOT NULL,          -- the form's fingerprint: which codes, in order
    vector        BLOB    NOT NULL           -- the typed-in figures, float64 (NaN: blank)
);
"""

TABLES = (
    "submissions",
    "findings",
    "submission_values",
    "table_rows",
    "seen_files",
    "decisions",
    "received_paths",
    "rounds",
    "round_units",
    "approvals",
    "quality_inputs",
)

_COLUMNS = (
    "id, sha256, file_name, source_path, size, received_at, collected_at, unit_code, unit_name, "
    "form_id, form_version, period, deadline, status, error_count, warning_count, "
    "superseded_by, archive_path, first_seen_us, held"
)

Held = Literal["other-period", "decided"]

_RECEIPT_ORDER = "first_seen_us, received_us, id"
"""Received by the Sở (first collected), then, within one run, by the file's save time."""

Status = Literal["accepted", "rejected"]

_IDS_PER_QUERY = 500  # SQLite may be built with a limit of 999 parameters per statement


@dataclass(frozen=True)
class StoredSubmission:
    """One recorded file, as the registry keeps it."""

    id: int
    sha256: str
    file_name: str
    source_path: str
    size: int
    received_at: datetime
    collected_at: datetime
    unit_code: str
    unit_name: str
    form_id: str
    form_version: int | None
    period: str
    deadline: date | None
    status: Status
    error_count: int
    warning_count: int
    superseded_by: int | None
    archive_path: str | None
    first_seen_at: datetime | None = None  # when the Sở received it (first collected)
    held: Held | None = None

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    @property
    def current(self) -> bool:
        """Accepted, not replaced by a later file, not held: what a merge uses."""
        return self.accepted and self.superseded_by is None and self.held is None

    def late_against(self, deadline: date | None) -> bool:
        """Received after ``deadline`` (local date): by the file's save time, or by the
        time the Sở received it when that is earlier (a file dated by a wrong clock)."""
        if deadline is None:
            return False
        when = self.received_at
        if self.first_seen_at is not None and self.first_seen_at < when:
            when = self.first_seen_at
        return when.date() > deadline

    @property
    def late(self) -> bool:
        """Late against the deadline written in the workbook itself."""
        return self.late_against(self.deadline)


@dataclass(frozen=True)
class RecordOutcome:
    """What :meth:`SubmissionStore.record` did.

    ``superseded_id`` is the older submission the new one replaced;
    ``superseded_by`` is set instead when the new file was received before the
    current one (first seen in the same run, saved earlier) and went straight
    into the history. ``held`` says why an accepted file was kept without being
    used (a file of another period; a slot the Sở has chosen a return for).
    """

    outcome: Literal["new", "duplicate"]
    submission_id: int
    status: Status
    superseded_id: int | None = None
    superseded_by: int | None = None
    held: Held | None = None


@dataclass(frozen=True)
class Round:
    """A period whose workbooks were generated: the round ``collect`` and ``status`` know."""

    period: str
    generated_at: datetime
    deadline: date | None
    units_source: str


@dataclass(frozen=True)
class Decision:
    """The Sở chose which return counts for a unit and period, and why."""

    unit_code: str
    period: str
    submission_id: int
    previous_id: int | None
    reason: str
    decided_at: datetime


def encode_value(value: Any) -> str:
    """JSON that keeps int, float, bool, str, None apart and dates recoverable."""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)  # what json.dumps writes for them, without its overhead
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def decode_value(text: str) -> Any:
    return json.loads(text, object_hook=_json_hook)


def decode_values(texts: Sequence[str]) -> list[Any]:
    """``[decode_value(t) for t in texts]`` with one JSON parse (a merge reads ~10⁵ values)."""
    if not texts:
        return []
    return list(json.loads("[" + ",".join(texts) + "]", object_hook=_json_hook))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store a value of type {type(value).__name__}")


def _json_hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
    return obj


def _aware(moment: datetime) -> datetime:
    """A naive time is local time (a file's mtime); stored with its offset."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _micros(moment: datetime) -> int:
    """Exact µs since the epoch (integer arithmetic: no float rounding in the ordering key)."""
    return (_aware(moment) - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def file_time(mtime_ns: int) -> datetime:
    """A file's modification time as a local, offset-aware datetime (µs precision)."""
    return (_EPOCH + timedelta(microseconds=mtime_ns // 1000)).astimezone()


def _path_key(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.fspath(path))


def _period_code(period: str | Period) -> str:
    return period.code if isinstance(period, Period) else period


class SubmissionStore:
    """The registry database: open with :meth:`open`, use as a context manager.

    One store object is one SQLite connection: use one per thread or process.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

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
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
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
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            # e.g. a network share without shared memory: still correct, just less concurrent
            db.execute("PRAGMA journal_mode = DELETE")
        version = self._user_version()
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Cơ sở dữ liệu {self.path} được tạo bởi phiên bản workbook-tools mới hơn "
                f"(lược đồ {version}, phiên bản này chỉ hiểu đến {SCHEMA_VERSION}). Hãy cập nhật "
                "workbook-tools."
            )
        with self._transaction():
            self._upgrade_schema()

    def _upgrade_schema(self) -> None:
        """Create the schema, or migrate an older one step by step (inside a transaction).

        The version is read again under the write lock: another process may have
        created or migrated the database meanwhile.
        """
        db = self._db
        version = self._user_version()
        if version == 0:
            _run_script(db, _SCHEMA)
            version = 1
        while version < SCHEMA_VERSION:
            _MIGRATIONS[version](db)
            version += 1
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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
                self._db.execute(f"PRAGMA user_version = {self._user_version()}")
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

    def _user_version(self) -> int:
        row = self._db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    @property
    def schema_version(self) -> int:
        return self._user_version()

    @property
    def default_archive_dir(self) -> Path:
        """``archive`` beside the database: originals live with the record of them."""
        return self.path.parent / ARCHIVE_DIR_NAME

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SubmissionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):  # a fault of the registry, said for what it is
            raise registry_fault(exc, self.path) from exc

    class _Tx:
        """A transaction, or a savepoint inside one (a record inside :meth:`batch`)."""

        def __init__(self, db: sqlite3.Connection) -> None:
            self._db = db
            self._nested = False

        def __enter__(self) -> sqlite3.Connection:
            self._nested = self._db.in_transaction
            if self._nested:
                self._db.execute("SAVEPOINT record")
            else:
                # IMMEDIATE takes the write lock now, so the read-then-write below cannot
                # interleave with another writer (no lost supersession, no double insert).
                self._db.execute("BEGIN IMMEDIATE")
            return self._db

        def __exit__(
            self,
            exc_type: type[BaseException] | None,
            exc: BaseException | None,
            tb: TracebackType | None,
        ) -> None:
            if not self._db.in_transaction:
                return  # SQLite rolled back already (e.g. disk full)
            if self._nested:
                if exc_type is not None:
                    self._db.execute("ROLLBACK TO record")
                self._db.execute("RELEASE record")
            elif exc_type is None:
                self._db.execute("COMMIT")
            else:
                self._db.execute("ROLLBACK")

    def _transaction(self) -> SubmissionStore._Tx:
        return SubmissionStore._Tx(self._db)

    def batch(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction for the records made inside: each is a savepoint within it.

        A record that fails is undone alone; the others are committed together
        when the block ends (one disk sync instead of one per file), or all undone
        if the block raises. Keep batches short: they hold the write lock.
        """
        return self._transaction()

    # -- writing -------------------------------------------------------------

    def record(
        self,
        sub: Submission,
        *,
        file_name: str | None = None,
        source_path: str | os.PathLike[str] | None = None,
        received_at: datetime | None = None,
        archive_dir: str | os.PathLike[str] | None = None,
        seen: tuple[int, int] | None = None,
        archived: Path | None = None,
        first_seen: datetime | None = None,
        round_periods: Collection[str] | None = None,
    ) -> RecordOutcome:
        """Record one checked file, all of it or nothing.

        Defaults: the file name and path of ``sub.path``, its modification time as
        the time the file was saved (``received_at``), now as the time the Sở
        received it (``first_seen``: one run passes its start, so files of one run
        are ordered by their save time; a path collected before keeps its first
        time, see :func:`_path_receipt`), and :attr:`default_archive_dir`. ``seen`` =
        (size, mtime_ns) also remembers the source's stamp in the same transaction
        (see :meth:`remember`), which halves the commits of a first collect.
        ``archived``: the copy the caller already made with :func:`archive_copy` (a
        worker process that checked the file); otherwise an accepted file is
        archived here. ``round_periods``: the periods being collected; an accepted
        file of another period is held, as is one for a slot the Sở has chosen a
        return for (:meth:`choose`).
        """
        source = Path(source_path) if source_path is not None else Path(sub.path)
        name = file_name if file_name is not None else source.name
        if received_at is None:
            received_at = file_time(source.stat().st_mtime_ns)
        received = _aware(received_at)
        first_us = _micros(first_seen if first_seen is not None else datetime.now())
        archive = Path(archive_dir) if archive_dir is not None else self.default_archive_dir
        status: Status = "accepted" if sub.accepted else "rejected"
        with self._transaction() as db:
            if seen is not None:
                self._remember(db, source, seen[0], seen[1], sub.sha256)
            row = db.execute(
                "SELECT id, status FROM submissions WHERE sha256 = ?", (sub.sha256,)
            ).fetchone()
            if row is not None:
                return RecordOutcome("duplicate", int(row[0]), row[1])
            first_us = _path_receipt(db, source, first_us)
            current = None
            held: Held | None = None
            if status == "accepted":
                held = _held(db, sub, round_periods)
                current = db.execute(
                    "SELECT id, first_seen_us, received_us FROM submissions WHERE form_id = ? "
                    "AND period = ? AND unit_code = ? AND status = 'accepted' "
                    "AND superseded_by IS NULL AND held IS NULL",
                    (sub.form_id, sub.period, sub.unit_code),
                ).fetchone()
            stored_copy = None
            if status == "accepted":
                copy = archived
                if copy is None:
                    data = read_as_checked(source, sub.sha256)
                    copy = archive_copy(source, data, sub.sha256, archive)
                stored_copy = self._stored_path(copy)
            cursor = db.execute(
                "INSERT INTO submissions (sha256, file_name, source_path, size, received_at, "
                "received_us, collected_at, unit_code, unit_name, form_id, form_version, period, "
                "deadline, status, error_count, warning_count, superseded_by, archive_path, "
                "first_seen_us, held, collected_for) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sub.sha256,
                    name,
                    _path_key(source),
                    sub.size,
                    received.isoformat(),
                    _micros(received),
                    datetime.now().astimezone().isoformat(timespec="seconds"),
                    sub.unit_code,
                    sub.unit_name,
                    sub.form_id,
                    sub.form_version,
                    sub.period,
                    sub.deadline.isoformat() if sub.deadline else None,
                    status,
                    len(sub.errors),
                    len(sub.warnings),
                    # Born superseded by the current one, so the one-current index holds
                    # at every step; flipped below when the new file is the later one.
                    None if current is None or held else int(current[0]),
                    stored_copy,
                    first_us,
                    held,
                    " ".join(sorted(round_periods)) if round_periods is not None else None,
                ),
            )
            new_id = int(cursor.lastrowid or 0)
            self._insert_details(db, new_id, sub)
            if held is not None:
                return RecordOutcome("new", new_id, status, held=held)
            if current is None:
                return RecordOutcome("new", new_id, status)
            current_id = int(current[0])
            current_key = (int(current[1]), int(current[2]), current_id)
            if (first_us, _micros(received), new_id) > current_key:
                db.execute(
                    "UPDATE submissions SET superseded_by = ? WHERE id = ?", (new_id, current_id)
                )
                db.execute("UPDATE submissions SET superseded_by = NULL WHERE id = ?", (new_id,))
                return RecordOutcome("new", new_id, status, superseded_id=current_id)
            return RecordOutcome("new", new_id, status, superseded_by=current_id)

    def _insert_details(self, db: sqlite3.Connection, sid: int, sub: Submission) -> None:
        _insert_findings(db, sid, 0, sub.findings)
        db.executemany(
            "INSERT INTO submission_values (submission_id, seq, code, value) VALUES (?, ?, ?, ?)",
            [
                (sid, seq, code, encode_value(value))
                for seq, (code, value) in enumerate(sub.values.items())
            ],
        )
        db.executemany(
            "INSERT INTO table_rows (submission_id, table_code, row_index, data) "
            "VALUES (?, ?, ?, ?)",
            [(sid, r.table, r.index, encode_value(r.values)) for r in sub.rows],
        )

    def add_findings(self, submission_id: int, found: Sequence[Finding]) -> None:
        """Add warnings found after recording (against the registry) to a submission.

        Only warnings: a file's acceptance is decided by its own check, never later.
        """
        if not found:
            return
        if any(f.is_error for f in found):
            raise ValueError("only warnings can be added to a recorded submission")
        with self._transaction() as db:
            row = db.execute(
                "SELECT coalesce(max(seq) + 1, 0) FROM findings WHERE submission_id = ?",
                (submission_id,),
            ).fetchone()
            _insert_findings(db, submission_id, int(row[0]), found)
            db.execute(
                "UPDATE submissions SET warning_count = warning_count + ? WHERE id = ?",
                (len(found), submission_id),
            )

    def finding_codes(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """The finding codes of each submission (id → codes in order; none: absent)."""
        out: dict[int, list[str]] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = list(ids[start : start + _IDS_PER_QUERY])
            for sid, code in self._db.execute(
                "SELECT submission_id, code FROM findings "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY submission_id, seq",
                chunk,
            ):
                out.setdefault(int(sid), []).append(str(code))
        return out

    def _stored_path(self, target: Path) -> str:
        """Relative to the database's folder when inside it, so the pair can be moved."""
        base = os.path.abspath(self.path.parent)
        full = os.path.abspath(target)
        try:
            relative = os.path.relpath(full, base)
        except ValueError:  # another drive on Windows
            return full
        if relative.startswith(os.pardir):
            return full
        return Path(relative).as_posix()

    def archive_file(self, sub: StoredSubmission) -> Path | None:
        """Where the archived original of ``sub`` is (None for rejected files)."""
        if sub.archive_path is None:
            return None
        stored = Path(sub.archive_path)
        return stored if stored.is_absolute() else self.path.parent / stored

    def seen(self, path: str | os.PathLike[str], size: int, mtime_ns: int) -> str | None:
        """The sha256 remembered for this exact (path, size, mtime), or None.

        Lets a re-run skip unchanged files without reading them.
        """
        row = self._db.execute(
            "SELECT sha256 FROM seen_files WHERE path = ? AND size = ? AND mtime_ns = ?",
            (_path_key(path), size, mtime_ns),
        ).fetchone()
        return None if row is None else str(row[0])

    def remember(self, path: str | os.PathLike[str], size: int, mtime_ns: int, sha256: str) -> None:
        """Vouch that ``path`` with this size and mtime has content ``sha256``."""
        with self._transaction() as db:
            self._remember(db, path, size, mtime_ns, sha256)

    @staticmethod
    def _remember(
        db: sqlite3.Connection, path: str | os.PathLike[str], size: int, mtime_ns: int, sha256: str
    ) -> None:
        db.execute(
            "INSERT INTO seen_files (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
            (_path_key(path), size, mtime_ns, sha256),
        )

    # -- the round and the Sở's choices ---------------------------------------

    def record_round(
        self,
        form_id: str,
        period: str | Period,
        units: Sequence[Unit],
        *,
        deadline: date | None = None,
        source: str = "",
        generated_at: datetime | None = None,
    ) -> None:
        """Remember that ``period``'s workbooks were generated for ``units``.

        A later generation of the same period (some units again, or new ones) adds
        to the round: units already in it keep their place, their details are
        updated; none is removed.
        """
        when = _aware(generated_at if generated_at is not None else datetime.now())
        code = _period_code(period)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO rounds (form_id, period, generated_at, generated_us, deadline, "
                "units_source) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (form_id, period) DO UPDATE "
                "SET generated_at = excluded.generated_at, generated_us = excluded.generated_us, "
                "deadline = coalesce(excluded.deadline, deadline), "
                "units_source = excluded.units_source",
                (
                    form_id,
                    code,
                    when.isoformat(timespec="seconds"),
                    _micros(when),
                    deadline.isoformat() if deadline else None,
                    source,
                ),
            )
            last = db.execute(
                "SELECT coalesce(max(position), 0) FROM round_units WHERE form_id = ? AND period = ?",
                (form_id, code),
            ).fetchone()[0]
            db.executemany(
                "INSERT INTO round_units (form_id, period, position, unit_code, unit_name, "
                "unit_group, parent, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (form_id, period, unit_code) DO UPDATE SET "
                "unit_name = excluded.unit_name, unit_group = excluded.unit_group, "
                "parent = excluded.parent, email = excluded.email",
                [
                    (form_id, code, int(last) + i, u.code, u.name, u.group, u.parent, u.email)
                    for i, u in enumerate(units, start=1)
                ],
            )

    def rounds(self, form_id: str) -> list[Round]:
        """The periods whose workbooks were generated, the latest generation first."""
        found = self._db.execute(
            "SELECT period, generated_at, deadline, units_source FROM rounds WHERE form_id = ? "
            "ORDER BY generated_us DESC, period",
            (form_id,),
        ).fetchall()
        return [
            Round(
                period,
                datetime.fromisoformat(at),
                None if due is None else date.fromisoformat(due),
                source,
            )
            for period, at, due, source in found
        ]

    def round_units(self, form_id: str, period: str | Period) -> list[Unit]:
        """The units ``period``'s workbooks were generated for, in the list's order."""
        found = self._db.execute(
            "SELECT unit_code, unit_name, unit_group, parent, email FROM round_units "
            "WHERE form_id = ? AND period = ? ORDER BY position",
            (form_id, _period_code(period)),
        ).fetchall()
        return [
            Unit(code, name, group, parent, email) for code, name, group, parent, email in found
        ]

    def choose(
        self, submission_id: int, reason: str, *, decided_at: datetime | None = None
    ) -> Decision:
        """The Sở's decision: this accepted file is the one that counts for its unit and period.

        The file that counted until now stays in the history, superseded by the
        chosen one; the decision and its reason are kept. Until another decision,
        files received later for this unit and period are held, not used.
        """
        text = " ".join(reason.split())
        if not text:
            raise StoreError("Hãy ghi lý do chọn tệp (--reason), để sau này biết vì sao.")
        when = _aware(decided_at if decided_at is not None else datetime.now())
        with self._transaction() as db:
            found = self._select("id = ?", (submission_id,), "id")
            if not found:
                raise StoreError(
                    f"Không có tệp số {submission_id} trong cơ sở dữ liệu {self.path}."
                )
            chosen = found[0]
            if not chosen.accepted:
                raise StoreError(
                    f"Tệp “{chosen.file_name}” có {chosen.error_count} lỗi nên không thể dùng để "
                    "tổng hợp. Đơn vị cần sửa và gửi lại."
                )
            slot = (chosen.form_id, chosen.period, chosen.unit_code)
            row = db.execute(
                "SELECT id FROM submissions WHERE form_id = ? AND period = ? AND unit_code = ? "
                "AND status = 'accepted' AND superseded_by IS NULL AND held IS NULL",
                slot,
            ).fetchone()
            previous = None if row is None else int(row[0])
            if previous is not None and previous != chosen.id:
                db.execute(
                    "UPDATE submissions SET superseded_by = ? WHERE id = ?", (chosen.id, previous)
                )
            db.execute(
                "UPDATE submissions SET superseded_by = NULL, held = NULL WHERE id = ?",
                (chosen.id,),
            )
            db.execute(
                "INSERT INTO decisions (form_id, period, unit_code, submission_id, previous_id, "
                "reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*slot, chosen.id, previous, text, when.isoformat(timespec="seconds")),
            )
        return Decision(chosen.unit_code, chosen.period, chosen.id, previous, text, when)

    def decisions(self, form_id: str, period: str | Period) -> dict[str, Decision]:
        """The latest decision per unit (code, case-folded → decision) for this period."""
        found = self._db.execute(
            "SELECT unit_code, period, submission_id, previous_id, reason, decided_at "
            "FROM decisions WHERE form_id = ? AND period = ? ORDER BY id",
            (form_id, _period_code(period)),
        ).fetchall()
        return {
            unit.casefold(): Decision(unit, p, int(sid), prev, reason, datetime.fromisoformat(at))
            for unit, p, sid, prev, reason, at in found
        }

    def by_sha256_prefix(self, prefix: str) -> list[StoredSubmission]:
        """The files whose sha256 starts with ``prefix`` (hex digits), at most two."""
        if not all(c in "0123456789abcdef" for c in prefix):
            return []
        return self._select("sha256 >= ? AND sha256 < ?", (prefix, prefix + "g"), "id LIMIT 2")

    def held_from_round(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """Files of another period received while ``period`` was being collected."""
        code = _period_code(period)
        return self._select(
            "form_id = ? AND held = 'other-period' AND period != ? "
            "AND (' ' || collected_for || ' ') LIKE ?",
            (form_id, code, f"% {code} %"),
            "unit_code, first_seen_us, id",
        )

    # -- reading -------------------------------------------------------------

    def _select(self, where: str, params: Sequence[Any], order: str) -> list[StoredSubmission]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM submissions WHERE {where} ORDER BY {order}", params
        ).fetchall()
        return [_stored(r) for r in rows]

    def get(self, submission_id: int) -> StoredSubmission:
        found = self._select("id = ?", (submission_id,), "id")
        if not found:
            raise KeyError(submission_id)
        return found[0]

    def get_many(self, ids: Sequence[int]) -> list[StoredSubmission]:
        """:meth:`get` of many submissions, in id order (unknown ids left out)."""
        found: list[StoredSubmission] = []
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = list(ids[start : start + _IDS_PER_QUERY])
            found += self._select(f"id IN ({','.join('?' * len(chunk))})", chunk, "id")
        return sorted(found, key=lambda s: s.id)

    def by_sha256(self, sha256: str) -> StoredSubmission | None:
        found = self._select("sha256 = ?", (sha256,), "id")
        return found[0] if found else None

    def current(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """The submission of each unit a merge uses: the only input of a merge.

        The accepted, not superseded, not held one, unless the Sở decided otherwise
        on a return (:mod:`workbook_tools.registry.approval`): a locked return stays
        the unit's until unlocked, even when a newer file came; a return sent back
        for correction is used by no merge.
        """
        code = _period_code(period)
        found = self._select(
            "form_id = ? AND period = ? AND status = 'accepted' AND superseded_by IS NULL "
            "AND held IS NULL",
            (form_id, code),
            "unit_code, id",
        )
        decided = self._db.execute(
            "SELECT s.id, s.unit_code, d.state FROM submissions s JOIN approvals d "
            "ON d.submission_id = s.id WHERE s.form_id = ? AND s.period = ? "
            "AND d.id = (SELECT max(id) FROM approvals WHERE submission_id = s.id) ORDER BY d.id",
            (form_id, code),
        ).fetchall()
        if not decided:
            return found
        by_unit = {s.unit_code.casefold(): s for s in found}
        for sid, unit, state in decided:
            if state == "locked":
                by_unit[str(unit).casefold()] = self.get(int(sid))
        returned = {int(sid) for sid, _, state in decided if state == "returned"}
        kept = [s for s in by_unit.values() if s.id not in returned]
        return sorted(kept, key=lambda s: (s.unit_code, s.id))

    def current_inputs(
        self, form_id: str
    ) -> list[tuple[int, str, str, str, str | None, bytes | None]]:
        """(id, unit code, unit name, period, form key, vector) of every current return
        of the form (accepted, not superseded), for the data-quality comparison; the last two
        None when not yet saved (:meth:`save_inputs`)."""
        return [
            (int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], r[5])
            for r in self._db.execute(
                "SELECT s.id, s.unit_code, s.unit_name, s.period, q.form_key, q.vector "
                "FROM submissions s LEFT JOIN quality_inputs q ON q.submission_id = s.id "
                "WHERE s.form_id = ? AND s.status = 'accepted' AND s.superseded_by IS NULL "
                "ORDER BY s.period, s.unit_code, s.id",
                (form_id,),
            )
        ]

    def numbers_of(self, ids: Sequence[int], codes: Sequence[str]) -> dict[int, dict[str, Any]]:
        """The values of ``codes`` only (id → code → value), for :meth:`save_inputs`."""
        out: dict[int, dict[str, Any]] = {}
        marks = ",".join("?" * len(codes))
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = list(ids[start : start + _IDS_PER_QUERY])
            found = self._db.execute(
                "SELECT submission_id, code, value FROM submission_values "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) AND code IN ({marks})",
                [*chunk, *codes],
            ).fetchall()
            for (sid, code, _), value in zip(
                found, decode_values([r[2] for r in found]), strict=True
            ):
                out.setdefault(int(sid), {})[code] = value
        return out

    def save_inputs(self, rows: Sequence[tuple[int, str, bytes]]) -> None:
        """Keep (id, form key, vector) of returns: a derived copy, replaced freely."""
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO quality_inputs (submission_id, form_key, vector) "
                "VALUES (?, ?, ?)",
                rows,
            )

    def approval_state(self, submission_id: int) -> str:
        """The approval state of a return after its last decision ("received" before any)."""
        row = self._db.execute(
            "SELECT state FROM approvals WHERE submission_id = ? ORDER BY id DESC LIMIT 1",
            (submission_id,),
        ).fetchone()
        return "received" if row is None else str(row[0])

    def approvals(self, submission_id: int) -> list[tuple[int, Any, Any, str, str, str]]:
        """(submission id, action, state, reason, by, at) of every approval decision, oldest
        first."""
        return [
            (int(r[0]), r[1], r[2], str(r[3]), str(r[4]), str(r[5]))
            for r in self._db.execute(
                "SELECT submission_id, action, state, reason, decided_by, decided_at "
                "FROM approvals WHERE submission_id = ? ORDER BY id",
                (submission_id,),
            )
        ]

    def current_all(self, form_id: str) -> list[StoredSubmission]:
        """:meth:`current` of every period of the form: the history units are compared with."""
        return self._select(
            "form_id = ? AND status = 'accepted' AND superseded_by IS NULL",
            (form_id,),
            "period, unit_code, id",
        )

    def all_for(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """Every recorded file of this form and period, by unit then time received."""
        return self._select(
            "form_id = ? AND period = ?",
            (form_id, _period_code(period)),
            "unit_code, " + _RECEIPT_ORDER,
        )

    def history(self, form_id: str, period: str | Period, unit_code: str) -> list[StoredSubmission]:
        """One unit's files for this form and period, oldest first."""
        return self._select(
            "form_id = ? AND period = ? AND unit_code = ?",
            (form_id, _period_code(period), unit_code),
            _RECEIPT_ORDER,
        )

    def values(self, submission_id: int) -> dict[str, Any]:
        return self.values_of([submission_id]).get(submission_id, {})

    def rows(self, submission_id: int) -> list[TableRow]:
        return self.rows_of([submission_id]).get(submission_id, [])

    def values_of(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """:meth:`values` of many submissions (id → values; none recorded: absent), in few queries."""
        out: dict[int, dict[str, Any]] = {}
        for sid, code, value in self._details("code, value", "submission_values", "seq", ids):
            out.setdefault(sid, {})[code] = value
        return out

    def rows_of(self, ids: Sequence[int]) -> dict[int, list[TableRow]]:
        """:meth:`rows` of many submissions (id → rows; none recorded: absent), in few queries."""
        out: dict[int, list[TableRow]] = {}
        for sid, table, index, data in self._details(
            "table_code, row_index, data", "table_rows", "table_code, row_index", ids
        ):
            out.setdefault(sid, []).append(TableRow(table, int(index), data))
        return out

    def _details(
        self, columns: str, table: str, order: str, ids: Sequence[int]
    ) -> Iterator[tuple[Any, ...]]:
        """(submission id, *columns) of ``table`` for ``ids``; the last column JSON-decoded.

        A query and a decoding per chunk of ids: memory stays that of one chunk's rows.
        """
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = list(ids[start : start + _IDS_PER_QUERY])
            found = self._db.execute(
                f"SELECT submission_id, {columns} FROM {table} "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                f"ORDER BY submission_id, {order}",
                chunk,
            ).fetchall()
            decoded = decode_values([r[-1] for r in found])
            for r, v in zip(found, decoded, strict=True):
                yield (int(r[0]), *r[1:-1], v)

    def findings(self, submission_id: int) -> list[Finding]:
        found = self._db.execute(
            "SELECT code, severity, message, file, unit, sheet, cell, indicators FROM findings "
            "WHERE submission_id = ? ORDER BY seq",
            (submission_id,),
        )
        return [
            Finding(code, severity, message, file, unit, sheet, cell, tuple(json.loads(codes)))
            for code, severity, message, file, unit, sheet, cell, codes in found
        ]

    def table_counts(self) -> dict[str, int]:
        """Rows per table: for diagnostics, and to prove a re-run changed nothing."""
        return {
            table: int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in TABLES
        }

    def iter_all(self) -> Iterator[StoredSubmission]:
        """Every recorded file, in the order recorded."""
        yield from self._select("1 = 1", (), "id")


def _insert_findings(
    db: sqlite3.Connection, sid: int, start: int, found: Sequence[Finding]
) -> None:
    db.executemany(
        "INSERT INTO findings (submission_id, seq, code, severity, file, unit, sheet, cell, "
        "indicators, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                sid,
                start + i,
                f.code,
                f.severity,
                f.file,
                f.unit,
                f.sheet,
                f.cell,
                json.dumps(list(f.indicators)),
                f.message,
            )
            for i, f in enumerate(found)
        ],
    )


def _stored(row: Sequence[Any]) -> StoredSubmission:
    (
        sid,
        sha,
        file_name,
        source_path,
        size,
        received_at,
        collected_at,
        unit_code,
        unit_name,
        form_id,
        form_version,
        period,
        deadline,
        status,
        error_count,
        warning_count,
        superseded_by,
        archive_path,
        first_seen_us,
        held,
    ) = row
    return StoredSubmission(
        id=int(sid),
        sha256=sha,
        file_name=file_name,
        source_path=source_path,
        size=int(size),
        received_at=datetime.fromisoformat(received_at),
        collected_at=datetime.fromisoformat(collected_at),
        unit_code=unit_code,
        unit_name=unit_name,
        form_id=form_id,
        form_version=None if form_version is None else int(form_version),
        period=period,
        deadline=None if deadline is None else date.fromisoformat(deadline),
        status=status,
        error_count=int(error_count),
        warning_count=int(warning_count),
        superseded_by=None if superseded_by is None else int(superseded_by),
        archive_path=archive_path,
        first_seen_at=_from_micros(int(first_seen_us)) if first_seen_us else None,
        held=held,
    )


def _from_micros(us: int) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone()


def _path_receipt(db: sqlite3.Connection, source: Path, now_us: int) -> int:
    """When the Sở received the file at ``source``: the first time collect saw that path.

    A file saved over in the inbox (an old version opened and saved again) is not a
    new receipt: it keeps its path's time, so it cannot overtake a correction
    received meanwhile.
    """
    key = _path_key(source)
    db.execute(
        "INSERT INTO received_paths (path, first_seen_us) VALUES (?, ?) "
        "ON CONFLICT (path) DO NOTHING",
        (key, now_us),
    )
    row = db.execute("SELECT first_seen_us FROM received_paths WHERE path = ?", (key,)).fetchone()
    return int(row[0])


def _held(
    db: sqlite3.Connection, sub: Submission, round_periods: Collection[str] | None
) -> Held | None:
    """Why an accepted file is kept without being used, if it is."""
    if round_periods is not None and sub.period not in round_periods:
        return "other-period"
    decided = db.execute(
        "SELECT 1 FROM decisions WHERE form_id = ? AND period = ? AND unit_code = ? LIMIT 1",
        (sub.form_id, sub.period, sub.unit_code),
    ).fetchone()
    return "decided" if decided is not None else None


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Version 1 had no receipt time: a file's first collect is its ``collected_at``."""
    _run_script(db, _SCHEMA_2)
    rows = db.execute("SELECT id, collected_at FROM submissions").fetchall()
    db.executemany(
        "UPDATE submissions SET first_seen_us = ? WHERE id = ?",
        [(_micros(datetime.fromisoformat(at)), sid) for sid, at in rows],
    )
    db.execute(
        "INSERT INTO received_paths (path, first_seen_us) "
        "SELECT source_path, min(first_seen_us) FROM submissions GROUP BY source_path"
    )


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    """Version 2 → 3 (issue 13): the Sở's approval of each return (``registry.approval``)
    and each return's typed-in figures as one row, read fast by ``registry.quality``."""
    _run_script(db, _SCHEMA_3)


_MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
"""Version → the step that brings a database of that version to the next one."""
