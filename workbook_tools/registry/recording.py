"""Recording a checked file in the registry: all of it or nothing, and the files seen."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from workbook_tools.checks.validate import Submission
from workbook_tools.findings import Finding
from workbook_tools.registry.archive import archive_copy, read_as_checked
from workbook_tools.registry.codec import aware, encode_value, file_time, micros, path_key
from workbook_tools.registry.reading import PARAMS_PER_STATEMENT, SAVE_INPUTS, Reading, id_chunks
from workbook_tools.registry.records import Held, RecordOutcome, Status


class Recording(Reading):
    """How :class:`~workbook_tools.registry.store.SubmissionStore` records files."""

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
        inputs: Callable[[Submission], tuple[str, bytes]] | None = None,
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
        return for (:meth:`choose`). ``inputs``: for a new accepted file, its row of
        ``quality_inputs`` (form key, vector; see :meth:`save_inputs`), kept in the
        same transaction.
        """
        source = _as_path(source_path if source_path is not None else sub.path)
        key = path_key(source)
        name = file_name if file_name is not None else source.name
        if received_at is None:
            received_at = file_time(source.stat().st_mtime_ns)
        received = aware(received_at)
        first_us = micros(first_seen if first_seen is not None else datetime.now())
        status: Status = "accepted" if sub.accepted else "rejected"
        with self._transaction() as db:
            if seen is not None:
                self._remember(db, key, seen[0], seen[1], sub.sha256)
            row = db.execute(
                "SELECT id, status FROM submissions WHERE sha256 = ?", (sub.sha256,)
            ).fetchone()
            if row is not None:
                return RecordOutcome("duplicate", int(row[0]), row[1])
            first_us = _path_receipt(db, key, first_us)
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
                    archive = self.default_archive_dir if archive_dir is None else Path(archive_dir)
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
                    key,
                    sub.size,
                    received.isoformat(),
                    micros(received),
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
            if inputs is not None and status == "accepted":
                form_key, vector = inputs(sub)
                db.execute(SAVE_INPUTS, (new_id, form_key, vector))
            if held is not None:
                return RecordOutcome("new", new_id, status, held=held)
            if current is None:
                return RecordOutcome("new", new_id, status)
            current_id = int(current[0])
            current_key = (int(current[1]), int(current[2]), current_id)
            if (first_us, micros(received), new_id) > current_key:
                db.execute(
                    "UPDATE submissions SET superseded_by = ? WHERE id = ?", (new_id, current_id)
                )
                db.execute("UPDATE submissions SET superseded_by = NULL WHERE id = ?", (new_id,))
                return RecordOutcome("new", new_id, status, superseded_id=current_id)
            return RecordOutcome("new", new_id, status, superseded_by=current_id)

    def _insert_details(self, db: sqlite3.Connection, sid: int, sub: Submission) -> None:
        _insert_findings(db, sid, 0, sub.findings)
        insert_rows(
            db,
            "submission_values (submission_id, seq, code, value)",
            [
                (sid, seq, code, encode_value(value))
                for seq, (code, value) in enumerate(sub.values.items())
            ],
        )
        insert_rows(
            db,
            "table_rows (submission_id, table_code, row_index, data)",
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

    @cached_property
    def _folder(self) -> str:
        """The database's folder, absolute: the one it was opened in (asked once a store)."""
        return os.path.abspath(self.path.parent)

    def _stored_path(self, target: Path) -> str:
        """Relative to the database's folder when inside it, so the pair can be moved."""
        base = self._folder
        full = os.path.abspath(target)
        inside = base.rstrip(os.sep) + os.sep
        if full.startswith(inside):  # the usual case (the archive beside the database)
            # abspath left the rest normalized: Path(rest).as_posix() would only change the
            # separators (on Windows), at the cost of a Path per file
            return full[len(inside) :].replace(os.sep, "/")
        try:
            relative = os.path.relpath(full, base)
        except ValueError:  # another drive on Windows
            return full
        if relative.startswith(os.pardir):
            return full
        return Path(relative).as_posix()

    def seen_many(self, paths: Sequence[Path]) -> dict[Path, tuple[int, int, str]]:
        """What is remembered of each of ``paths`` (:meth:`remember`): (size, mtime_ns,
        sha256); none: absent. A query per 500 paths, not one per file.

        Lets a re-run skip the files unchanged since (same size and mtime) without reading them.
        """
        keys = [path_key(path) for path in paths]
        found: dict[str, tuple[int, int, str]] = {}
        for chunk in id_chunks(list(dict.fromkeys(keys))):
            for key, size, mtime_ns, sha256 in self._db.execute(
                "SELECT path, size, mtime_ns, sha256 FROM seen_files "
                f"WHERE path IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[key] = (int(size), int(mtime_ns), str(sha256))
        return {path: found[key] for path, key in zip(paths, keys, strict=True) if key in found}

    def remember(self, path: str | os.PathLike[str], size: int, mtime_ns: int, sha256: str) -> None:
        """Vouch that ``path`` with this size and mtime has content ``sha256``."""
        with self._transaction() as db:
            self._remember(db, path_key(path), size, mtime_ns, sha256)

    @staticmethod
    def _remember(db: sqlite3.Connection, key: str, size: int, mtime_ns: int, sha256: str) -> None:
        """:meth:`remember` inside the caller's transaction; ``key``: :func:`path_key` of the path."""
        db.execute(
            "INSERT INTO seen_files (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
            (key, size, mtime_ns, sha256),
        )


def insert_rows(db: sqlite3.Connection, into: str, rows: Sequence[Sequence[Any]]) -> None:
    """``INSERT INTO {into} VALUES`` every row of ``rows``, in order (``into``: the table and
    its columns; every row has one value per column).

    The rows go in as few multi-row ``VALUES`` statements as the parameter limit allows
    rather than one :meth:`~sqlite3.Connection.executemany` step each: a return's ~100
    values cost about half the CPU that way (every step has its own reset, locking and
    release of the GIL), which counts in ``collect``'s main process. The rows, their
    order and so their rowids are those ``executemany`` would write.
    """
    if not rows:
        return
    width = len(rows[0])
    per_statement = PARAMS_PER_STATEMENT // width
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        db.execute(_insert_sql(into, width, len(chunk)), list(chain.from_iterable(chunk)))


@lru_cache(maxsize=64)
def _insert_sql(into: str, width: int, count: int) -> str:
    """The statement for ``count`` rows of ``width`` values (made once: every return's ~100
    values make the same text, which the connection's statement cache finds by it)."""
    one = "(" + ", ".join("?" * width) + ")"
    return f"INSERT INTO {into} VALUES " + ", ".join([one] * count)


def _as_path(path: str | os.PathLike[str]) -> Path:
    """``Path(path)``, without parsing again one that is a Path already (once per file)."""
    return path if isinstance(path, Path) else Path(path)


def _insert_findings(
    db: sqlite3.Connection, sid: int, start: int, found: Sequence[Finding]
) -> None:
    insert_rows(
        db,
        "findings (submission_id, seq, code, severity, file, unit, sheet, cell, indicators, "
        "message)",
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


def _path_receipt(db: sqlite3.Connection, key: str, now_us: int) -> int:
    """When the Sở received the file at ``key`` (:func:`path_key`): the first time collect
    saw that path.

    A file saved over in the inbox (an old version opened and saved again) is not a
    new receipt: it keeps its path's time, so it cannot overtake a correction
    received meanwhile.
    """
    inserted = db.execute(
        "INSERT INTO received_paths (path, first_seen_us) VALUES (?, ?) "
        "ON CONFLICT (path) DO NOTHING",
        (key, now_us),
    ).rowcount
    if inserted == 1:  # a path seen for the first time (a first collect's every file)
        return now_us
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
