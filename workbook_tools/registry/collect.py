"""Collect received files into the registry: find, check, record.

The inbox is a folder people drop e-mail attachments into, again and again, so
collecting must be safe to repeat: a file already recorded changes nothing, and
a file whose (path, size, mtime) is unchanged since the last run is not even
read (3,321 files must be re-scanned in about a second). One bad file — empty,
unreadable, vanished while the run was going — is reported and the batch goes
on.

Checking (:func:`check_file`, the slow part) and archiving an accepted original
need no database, so they run together on every core; the one connection only
records (:meth:`SubmissionStore.record`, one short transaction per file).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Collection, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.checks.batch import map_files, unexpected_failure
from workbook_tools.checks.copies import named_unit, same_file_finding
from workbook_tools.checks.validate import check_read
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.findings import Finding
from workbook_tools.form.model import Form
from workbook_tools.reader.files import find_files, os_message, read_regular
from workbook_tools.reader.safety import Limits
from workbook_tools.reader.workbook import unreadable
from workbook_tools.registry.archive import archive_copy, archive_problem, sync_files
from workbook_tools.registry.quality import input_vector, review_recorded
from workbook_tools.registry.store import Held, StoredSubmission, SubmissionStore, file_time
from workbook_tools.units import UnitRegistry

Outcome = Literal["new_accepted", "new_rejected", "duplicate", "unchanged", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("new_accepted", "new_rejected", "duplicate", "unchanged", "failed")

OUTCOME_LABELS: dict[Outcome, str] = {
    "new_accepted": "Mới, hợp lệ",
    "new_rejected": "Mới, có lỗi",
    "duplicate": "Trùng tệp đã nhận",
    "unchanged": "Không đổi",
    "failed": "Không xử lý được",
}

_DB_SUFFIXES = ("", "-wal", "-shm", "-journal")

RECORD_BATCH = 64
"""Files recorded per transaction: one disk sync each, and the write lock held ~0.1 s."""


@dataclass(frozen=True)
class CollectEntry:
    """What happened to one file.

    For ``duplicate`` and ``unchanged`` the unit, status and counts are those of
    the submission already recorded with the same content; ``findings`` are only
    filled for files checked in this run.
    """

    path: Path
    outcome: Outcome
    sha256: str = ""
    submission_id: int | None = None
    unit_code: str = ""
    period: str = ""
    status: str = ""
    error_count: int = 0
    warning_count: int = 0
    findings: tuple[Finding, ...] = ()
    superseded_id: int | None = None
    superseded_by: int | None = None
    message: str = ""
    held: Held | None = None

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def period_text(self, round_periods: Collection[str] | None) -> str:
        """The file's period as the Sở reads it: "tệp của kỳ 2024-H1" when outside the round."""
        if not self.period:
            return ""
        if round_periods is not None and self.period not in round_periods:
            return f"tệp của kỳ {self.period}"
        return self.period

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "outcome": self.outcome,
            "sha256": self.sha256,
            "submission_id": self.submission_id,
            "unit_code": self.unit_code,
            "period": self.period,
            "status": self.status,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "superseded_id": self.superseded_id,
            "superseded_by": self.superseded_by,
            "held": self.held,
            "message": self.message,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class CollectReport:
    """What a run did; ``periods``: the round it collected (None: not said)."""

    entries: list[CollectEntry] = field(default_factory=list)
    periods: tuple[str, ...] | None = None
    received_at: datetime | None = None

    @property
    def totals(self) -> dict[Outcome, int]:
        counts: dict[Outcome, int] = dict.fromkeys(OUTCOMES, 0)
        for entry in self.entries:
            counts[entry.outcome] += 1
        return counts

    def by_outcome(self, outcome: Outcome) -> list[CollectEntry]:
        return [e for e in self.entries if e.outcome == outcome]

    @property
    def failed(self) -> list[CollectEntry]:
        return self.by_outcome("failed")


@dataclass(frozen=True)
class Checked:
    """A file checked and, when accepted, archived (``archived``), or why not (``problem``).

    ``stamp`` is the (size, mtime_ns) of the file as it was read, when it could be.
    """

    submission: Submission
    stamp: tuple[int, int] | None = None
    archived: Path | None = None
    problem: str = ""


@dataclass(frozen=True)
class CheckAndArchive:
    """The work on one file that needs no database: check it, archive it if accepted.

    The file is read once: the bytes checked are the bytes archived. With
    ``sync=False`` the archive copy is not flushed to disk here; the caller does it
    (:func:`sync_files`) before committing the records that refer to it.
    """

    expect: Expectation
    limits: Limits | None
    archive_dir: Path
    sync: bool = True

    def __call__(self, path: Path) -> Checked:
        try:
            data, stat = read_regular(path)
        except OSError as exc:
            return Checked(check_read(unreadable(path, exc), path, self.expect))
        sub = check_file(path, self.expect, self.limits, data)
        stamp = (stat.st_size, stat.st_mtime_ns)
        if not (sub.accepted and sub.sha256):
            return Checked(sub, stamp)
        try:
            copy = archive_copy(
                path, data, sub.sha256, self.archive_dir, sync=self.sync, mtime_ns=stat.st_mtime_ns
            )
        except OSError as exc:  # the archive's disk, not the unit's file
            return Checked(sub, stamp, problem=archive_problem(exc, self.archive_dir))
        return Checked(sub, stamp, copy)


def _excluded(store: SubmissionStore, archive_dir: Path) -> tuple[set[str], set[str]]:
    """The store's own files and its archive folder: never collected as received files."""
    db = os.path.realpath(store.path)
    files = {db + suffix for suffix in _DB_SUFFIXES}
    return files, {os.path.realpath(archive_dir)}


def collect(
    paths: Sequence[str | os.PathLike[str]],
    store: SubmissionStore,
    expect: Expectation,
    *,
    archive_dir: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
    progress: Callable[[Path], None] | None = None,
    workers: int | None = None,
    periods: Collection[str] | None = None,
    now: datetime | None = None,
) -> CollectReport:
    """Check every file under ``paths`` and record it in ``store``.

    ``archive_dir`` defaults to ``archive`` beside the database. ``progress`` is
    called with each file's path after it has been handled. Files unchanged since
    the last run are not read; the others are checked and archived on all cores
    (``workers``: default all, 1 for none) and recorded in order, each file on its
    own (a savepoint), ``RECORD_BATCH`` files to a transaction.

    ``periods``: the round being collected; an accepted file of another period is
    recorded but held (it replaces nothing until the Sở chooses it). ``now``: the
    time the Sở receives this run's new files (default: the run's start).
    """
    archive = Path(archive_dir) if archive_dir is not None else store.default_archive_dir
    store.check_ready(archive)  # a registry fault is said before any file is processed
    skip_files, skip_dirs = _excluded(store, archive)
    files, missing = find_files(paths, exclude_files=skip_files, exclude_dirs=skip_dirs)
    received = (now if now is not None else datetime.now()).astimezone()
    round_periods = None if periods is None else tuple(sorted(set(periods)))
    report = CollectReport(periods=round_periods, received_at=received)
    recording = _Recording(store, received, round_periods, expect.form)
    for path, message in missing:
        report.entries.append(CollectEntry(path, "failed", message=message))
    known: dict[Path, CollectEntry] = {}
    todo: list[Path] = []
    remembered = store.seen_many(files)
    for path in files:
        scanned = _scan(path, store, remembered.get(path))
        if scanned is None:
            todo.append(path)
        else:
            known[path] = scanned
    count = workers if workers is not None else (os.cpu_count() or 1)
    job = CheckAndArchive(expect, limits, archive, sync=False)
    results = map_files(job, todo, count)  # streamed, in file order
    for start in range(0, len(files), RECORD_BATCH):
        chunk = files[start : start + RECORD_BATCH]
        writes = any(path not in known for path in chunk)
        with store.batch() if writes else nullcontext():
            copies: list[Path] = []
            for path in chunk:
                entry = known.get(path)
                if entry is None:
                    result = next(results)
                    if isinstance(result, str):
                        entry = CollectEntry(path, "failed", message=result)
                    else:
                        entry = _record(path, result, recording)
                        if result.archived is not None and entry.outcome == "new_accepted":
                            copies.append(result.archived)
                report.entries.append(entry)
                if progress is not None:
                    progress(path)
            _sync(copies)  # the copies are on disk before the records of them are committed
    _review(report, store, expect)
    return report


def _review(report: CollectReport, store: SubmissionStore, expect: Expectation) -> None:
    """Compare the new accepted returns with the registry, once the whole batch is in."""
    new = {
        e.submission_id: i
        for i, e in enumerate(report.entries)
        if e.outcome == "new_accepted" and e.submission_id is not None
    }
    files = {sid: str(report.entries[i].path) for sid, i in new.items()}
    added = review_recorded(store, expect.form, expect.registry, list(new), files)
    for sid, found in added.items():
        entry = report.entries[new[sid]]
        report.entries[new[sid]] = replace(
            entry,
            findings=(*entry.findings, *found),
            warning_count=entry.warning_count + len(found),
        )
    if expect.registry is not None:
        _copied_files(report, expect.registry)


def _copied_files(report: CollectReport, registry: UnitRegistry) -> None:
    """A file already received from one unit, sent again under another unit's file name."""
    for i, entry in enumerate(report.entries):
        if entry.outcome not in ("duplicate", "unchanged") or not entry.unit_code:
            continue
        pointed = named_unit(entry.path, registry, entry.period)
        if pointed is None or pointed.casefold() == entry.unit_code.casefold():
            continue
        found = replace(
            same_file_finding(entry.path.name, entry.unit_code, registry.get(pointed).name),
            file=str(entry.path),
            unit=entry.unit_code,
        )
        report.entries[i] = replace(
            entry, findings=(*entry.findings, found), message=f"{entry.message} {found.message}"
        )


def _sync(copies: list[Path]) -> None:
    try:
        sync_files(copies)
    except OSError as exc:
        raise WorkbookToolsError(
            f"Không ghi được bản lưu trữ xuống đĩa ({exc.strerror or exc}); các tệp của đợt này "
            "chưa được ghi nhận. Hãy kiểm tra ổ đĩa (còn trống, không bị lỗi) rồi chạy lại lệnh."
        ) from exc


def collect_one(
    path: Path,
    store: SubmissionStore,
    expect: Expectation,
    archive_dir: Path,
    limits: Limits | None = None,
    periods: Collection[str] | None = None,
) -> CollectEntry:
    """One file: skipped if unchanged, else checked and recorded; never raises."""
    scanned = _scan(path, store, store.seen_many([path]).get(path))
    if scanned is not None:
        return scanned
    try:
        checked = CheckAndArchive(expect, limits, archive_dir)(path)
    except Exception as exc:  # one bad file must not stop the batch
        return CollectEntry(path, "failed", message=unexpected_failure(path, exc))
    round_periods = None if periods is None else tuple(periods)
    now = datetime.now().astimezone()
    return _record(path, checked, _Recording(store, now, round_periods, expect.form))


@dataclass(frozen=True)
class _Recording:
    """Where and how a run records: the store, when the Sở receives its files, the round."""

    store: SubmissionStore
    received: datetime
    periods: tuple[str, ...] | None
    form: Form | None = None  # its returns' figures are kept for the data-quality pass


def _quality_inputs(form: Form, sub: Submission) -> tuple[str, bytes]:
    """The figures the data-quality pass compares, kept as one row now they are at hand."""
    return form.fingerprint, input_vector(form, sub.values)


def _scan(
    path: Path, store: SubmissionStore, remembered: tuple[int, int, str] | None
) -> CollectEntry | None:
    """The file's entry when it is unchanged since a recorded run (or gone); None: to read.

    ``remembered``: what the store remembers of the path (:meth:`SubmissionStore.seen_many`).
    """
    try:
        before = path.stat()
        if remembered is not None and remembered[:2] == (before.st_size, before.st_mtime_ns):
            stored = store.by_sha256(remembered[2])
            if stored is not None:
                return _from_stored(path, "unchanged", stored)
    except OSError as exc:
        return CollectEntry(path, "failed", message=os_message(exc, path))
    return None


def _record(path: Path, checked: Checked, run: _Recording) -> CollectEntry:
    """Record a checked (and archived) file; never raises."""
    sub = checked.submission
    store = run.store
    try:
        if checked.stamp is None:  # unreadable: nothing to record
            return CollectEntry(path, "failed", message=sub.findings[0].message)
        if checked.problem:
            return CollectEntry(path, "failed", sha256=sub.sha256, message=checked.problem)
        after = path.stat()
        stamp = (after.st_size, after.st_mtime_ns)
        # only a stamp that still holds may vouch for the content read under it later
        held = stamp == checked.stamp
        outcome = store.record(
            sub,
            file_name=path.name,
            source_path=path,
            received_at=file_time(checked.stamp[1]),
            seen=stamp if held else None,
            archived=checked.archived,
            first_seen=run.received,
            round_periods=run.periods,
            inputs=None if run.form is None else partial(_quality_inputs, run.form),
        )
        if outcome.outcome == "duplicate":
            stored = store.get(outcome.submission_id)
            return _from_stored(
                path,
                "duplicate",
                stored,
                message=f"Nội dung trùng với tệp đã nhận “{stored.file_name}”; không ghi thêm.",
            )
        message = _held_message(path, sub.period, run.periods) if outcome.held else ""
        if outcome.held == "decided":
            message = (
                "Sở đã chọn bản dùng để tổng hợp cho đơn vị kỳ này: tệp này chỉ lưu vào lịch sử. "
                f'Muốn dùng tệp này: workbook-tools choose "{path}" --reason "lý do".'
            )
        elif outcome.superseded_id is not None:
            message = "Thay thế bản hợp lệ Sở nhận trước đó của đơn vị."
        elif outcome.superseded_by is not None:
            message = (
                "Tệp lưu trước bản hợp lệ đang dùng của đơn vị (nhận cùng lượt): chỉ lưu vào lịch "
                "sử, không dùng để tổng hợp."
            )
        return CollectEntry(
            path,
            "new_accepted" if sub.accepted else "new_rejected",
            sha256=sub.sha256,
            submission_id=outcome.submission_id,
            unit_code=sub.unit_code,
            period=sub.period,
            status=sub.status,
            error_count=len(sub.errors),
            warning_count=len(sub.warnings),
            findings=tuple(sub.findings),
            superseded_id=outcome.superseded_id,
            superseded_by=outcome.superseded_by,
            message=message,
            held=outcome.held,
        )
    except sqlite3.Error:
        raise  # the registry's fault, not the file's: the run stops and says so
    except OSError as exc:
        return CollectEntry(path, "failed", message=os_message(exc, path))
    except WorkbookToolsError as exc:  # already says what happened and what to do
        return CollectEntry(path, "failed", message=str(exc))
    except Exception as exc:  # one bad file must not stop the batch
        return CollectEntry(path, "failed", message=unexpected_failure(path, exc))


def _held_message(path: Path, period: str, round_periods: Sequence[str] | None) -> str:
    collecting = ", ".join(round_periods or ())
    return (
        f"Tệp của kỳ {period}, không phải kỳ đang thu ({collecting}): "
        f"chỉ lưu, không thay bản đã nhận của kỳ {period}. Nếu đúng là bản đơn vị gửi cho kỳ "
        f'{period}, Sở chọn dùng nó: workbook-tools choose "{path}" --reason "lý do".'
    )


def _from_stored(
    path: Path, outcome: Outcome, stored: StoredSubmission, message: str = ""
) -> CollectEntry:
    return CollectEntry(
        path,
        outcome,
        sha256=stored.sha256,
        submission_id=stored.id,
        unit_code=stored.unit_code,
        period=stored.period,
        status=stored.status,
        error_count=stored.error_count,
        warning_count=stored.warning_count,
        message=message,
        held=stored.held,
    )
