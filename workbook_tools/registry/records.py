"""What the registry keeps of a received file and of the Sở's decisions, as Python data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from workbook_tools.registry.codec import from_micros

COLUMNS = (
    "id, sha256, file_name, source_path, size, received_at, collected_at, unit_code, unit_name, "
    "form_id, form_version, period, deadline, status, error_count, warning_count, "
    "superseded_by, archive_path, first_seen_us, held"
)

Held = Literal["other-period", "decided"]

RECEIPT_ORDER = "first_seen_us, received_us, id"
"""Received by the Sở (first collected), then, within one run, by the file's save time."""

Status = Literal["accepted", "rejected"]


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


def stored_row(row: Sequence[Any]) -> StoredSubmission:
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
        first_seen_at=from_micros(int(first_seen_us)) if first_seen_us else None,
        held=held,
    )
