"""Bring the registry back in line with the archive: every archived original recorded.

The archive is the registry's ground truth for accepted returns: a copy is
written (and flushed) before the record of it is committed, so a run killed in
between, a full disk or a restored backup can leave copies the database does not
know, never the reverse. :func:`reconcile` records each such copy again (checked
again, from the copy's own bytes, with the time it was received kept as the
copy's modification time, and the time the Sở received it as the time the copy
was made); :func:`rebuild` does it into a fresh database after
setting the damaged one aside (renamed, never deleted).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.checks.batch import map_files
from workbook_tools.reader.files import os_message, read_regular
from workbook_tools.reader.safety import Limits
from workbook_tools.registry.collect import RECORD_BATCH
from workbook_tools.registry.faults import archive_copies
from workbook_tools.registry.store import SubmissionStore, file_time

_DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


@dataclass
class ReconcileReport:
    """What :func:`reconcile` found: copies already recorded, recorded now, and not recordable."""

    already: int = 0
    recorded: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every archived original is now recorded."""
        return not self.problems


def reconcile(
    store: SubmissionStore,
    expect: Expectation,
    archive_dir: Path | None = None,
    limits: Limits | None = None,
    workers: int | None = None,
) -> ReconcileReport:
    """Record every original in the archive that ``store`` does not know yet.

    A copy is checked again against ``expect`` (give the same unit list as for
    ``collect``), on every core (``workers``); one that is no longer accepted, or
    whose content does not match its name (a damaged copy), is reported and left
    as it is.
    """
    archive = archive_dir or store.default_archive_dir
    store.check_ready(archive)
    report = ReconcileReport()
    todo = []
    for sha, path in archive_copies(archive):
        if store.by_sha256(sha) is None:
            todo.append(path)
        else:
            report.already += 1
    count = workers if workers is not None else (os.cpu_count() or 1)
    results = map_files(Recheck(expect, limits), todo, count)
    for start in range(0, len(todo), RECORD_BATCH):
        with store.batch():
            for path in todo[start : start + RECORD_BATCH]:
                result = next(results)
                if isinstance(result, str):
                    report.problems.append((path, result))
                    continue
                sub, mtime_ns, ctime_ns = result
                store.record(
                    sub,
                    file_name=path.name,
                    source_path=path,
                    received_at=file_time(mtime_ns),
                    first_seen=file_time(min(ctime_ns, time.time_ns())),
                    archived=path,
                )
                report.recorded.append(path)
    return report


@dataclass(frozen=True)
class Recheck:
    """Check one archived copy again: (submission, mtime, ctime) if still accepted, else why not.

    The copy's modification time is the original's save time (:func:`archive_copy`
    keeps it); its change time is when it was archived, i.e. when the Sở received it.
    """

    expect: Expectation
    limits: Limits | None = None

    def __call__(self, path: Path) -> tuple[Submission, int, int] | str:
        try:
            data, status = read_regular(path)
        except OSError as exc:
            return os_message(exc, path)
        if hashlib.sha256(data).hexdigest() != path.name.split(".", 1)[0]:
            return f"Bản lưu trữ {path.name} bị hỏng: nội dung không còn khớp với tên."
        sub = check_file(path, self.expect, self.limits, data)
        if not sub.accepted:
            first = sub.errors[0].message if sub.errors else ""
            return (
                f"Bản lưu trữ {path.name} không hợp lệ theo biểu mẫu và danh sách đơn vị đã cho "
                f"({first}). Hãy chạy lại với đúng --form và --units đã dùng khi thu nhận."
            )
        return sub, status.st_mtime_ns, status.st_ctime_ns


def set_aside(db: Path, now: datetime | None = None) -> Path | None:
    """Rename a damaged database (and its journal files) out of the way; None if there is none."""
    if not db.exists():
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.name}.hong-{stamp}")
    for suffix in _DB_SUFFIXES:
        source = Path(f"{db}{suffix}")
        if source.exists():
            os.replace(source, f"{aside}{suffix}")
    return aside


def rebuild(
    db: Path, expect: Expectation, limits: Limits | None = None, workers: int | None = None
) -> tuple[Path | None, ReconcileReport]:
    """A new database at ``db`` built from the archive beside it; the old one set aside.

    Returns where the old database went (None if there was none) and the report.
    Rejected files are not in the archive, so their history is not rebuilt; every
    accepted original is, with which one is current decided as ``collect`` does.
    """
    aside = set_aside(db)
    with SubmissionStore.open(db) as store:
        return aside, reconcile(store, expect, None, limits, workers)
