"""One file received by the portal: kept, checked like ``check``, recorded like ``collect``.

The bytes are written first, under a path the server makes from their hash and
the link's unit (``<db folder>/portal/incoming/<sha>/<unit>_<period><suffix>``,
the suffix from a fixed table): no name from a request reaches a file path. The file is then
checked by :func:`check_file` (the reader's safety checks included) and
recorded by :meth:`SubmissionStore.record` in one transaction, with the
server's clock as the time received: that time decides lateness. A file sent
through a unit's link is recorded under that unit, form and period even when
it is rejected for being another unit's or another period's, so the unit sees
it and no other unit's follow-up is touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.findings import Finding
from workbook_tools.portal.links import Link
from workbook_tools.reader.safety import Limits
from workbook_tools.registry import StoredSubmission, SubmissionStore
from workbook_tools.registry.archive import sha256_of
from workbook_tools.registry.faults import StoreError
from workbook_tools.text import slug

PORTAL_DIR = "portal"
SUFFIXES = {".xlsx": ".xlsx", ".xlsm": ".xlsm", ".ods": ".ods", ".xls": ".xls"}
"""The suffixes a kept file may get; anything else is kept as ``.bin`` (the reader decides by content)."""
MAX_NAME = 120


class IntakeError(WorkbookToolsError):
    """The file could not be kept or recorded: nothing was recorded."""


@dataclass(frozen=True)
class Receipt:
    """What happened to one upload, as the sender is told."""

    submission_id: int
    duplicate: bool
    accepted: bool
    received_at: datetime
    file_name: str
    findings: tuple[Finding, ...]
    unit_code: str
    unit_name: str
    replaced_previous: bool = False
    older_than_current: bool = False

    @property
    def error_count(self) -> int:
        return sum(f.is_error for f in self.findings)


def portal_dir(db_path: str | os.PathLike[str]) -> Path:
    return Path(db_path).parent / PORTAL_DIR


def display_name(name: str | None) -> str:
    """The sender's file name, for showing only: last component, printable, NFC, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable()).strip()
    return clean[:MAX_NAME] or "tep-tai-len.xlsx"


def kept_suffix(name: str) -> str:
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:].lower(), ".bin") if dot >= 0 else ".bin"


def kept_name(link: Link | None, suffix: str) -> str:
    """The kept file's name: the unit's and period's (as ``generate`` names them), from the link."""
    if link is None:
        return f"tep-nhan{suffix}"
    return f"{slug(link.unit_name)}_{slug(link.period)}{suffix}"


def keep(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` (temp file, fsync, rename): whole or not at all."""
    if target.is_file() and target.stat().st_size == len(data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{uuid.uuid4().hex}.tmp"
    try:
        with open(temp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return target


def receive(
    db_path: str | os.PathLike[str],
    data: bytes,
    sent_name: str | None,
    expect: Expectation,
    received_at: datetime,
    link: Link | None = None,
    limits: Limits | None = None,
    sent_at: datetime | None = None,
) -> Receipt:
    """Keep, check and record one uploaded file; raises :class:`IntakeError` if it could not be.

    ``received_at`` is the server's clock. ``sent_at``: an earlier time the Sở says it
    received the file (an e-mail uploaded later); lateness takes the earlier of the two.
    """
    name = display_name(sent_name)
    sha = hashlib.sha256(data).hexdigest()
    folder = portal_dir(db_path)
    try:
        path = keep(data, folder / "incoming" / sha / kept_name(link, kept_suffix(name)))
    except OSError as exc:
        raise IntakeError(
            f"Máy chủ không lưu được tệp {name} ({_reason(exc)}). Tệp CHƯA được ghi "
            "nhận: hãy gửi lại sau ít phút hoặc báo cho Sở Nội vụ."
        ) from exc
    sub = check_file(path, expect, limits, data)
    if link is not None and not _matches(sub, link):
        sub = replace(
            sub,
            unit_code=link.unit_code,
            unit_name=link.unit_name,
            form_id=link.form_id,
            period=link.period,
        )
    try:
        with SubmissionStore.open(db_path) as store:
            outcome = store.record(
                sub,
                file_name=name,
                source_path=path,
                # the server's clock is the Sở's receipt time; an e-mail's day may be earlier
                received_at=sent_at if sent_at is not None else received_at,
                first_seen=received_at,
                round_periods=None if expect.period is None else (expect.period.code,),
            )
            stored = store.get(outcome.submission_id)
    except (OSError, sqlite3.Error, StoreError) as exc:  # e.g. a full disk: undone whole
        raise IntakeError(
            f"Máy chủ không ghi nhận được tệp {name} ({_reason(exc)}). Tệp CHƯA được "
            "ghi nhận: hãy gửi lại sau ít phút hoặc báo cho Sở Nội vụ."
        ) from exc
    if sub.findings:
        # recorded all the same if this fails: the copy is made again when asked for
        with contextlib.suppress(OSError):
            make_feedback(sub, folder / "feedback" / sha)
    return Receipt(
        submission_id=outcome.submission_id,
        duplicate=outcome.outcome == "duplicate",
        accepted=sub.accepted,
        received_at=stored.received_at,
        file_name=name,
        findings=tuple(sub.findings),
        unit_code=sub.unit_code,
        unit_name=sub.unit_name,
        replaced_previous=outcome.superseded_id is not None,
        older_than_current=outcome.superseded_by is not None,
    )


def _reason(exc: OSError | sqlite3.Error | StoreError) -> str:
    if isinstance(exc, StoreError):  # its words name the server's paths: not for a unit
        return "cơ sở dữ liệu của máy chủ đang gặp sự cố"

    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _matches(sub: Submission, link: Link) -> bool:
    return (
        sub.unit_code.casefold() == link.unit_code.casefold()
        and sub.period == link.period
        and sub.form_id == link.form_id
    )


def feedback_file(
    db_path: str | os.PathLike[str],
    store: SubmissionStore,
    stored: StoredSubmission,
    expect: Expectation,
) -> Path | None:
    """The feedback copy of a recorded file with findings, made now if needed; None if none can be.

    A copy is made from the received file itself, checked again against ``expect`` (what
    the portal collects), so it marks the cells as the check sees them; a file received by
    ``collect`` gets its copy from its archived original or from where it was received,
    while that is still the same content.
    """
    if not (stored.error_count or stored.warning_count):
        return None
    folder = portal_dir(db_path) / "feedback" / stored.sha256
    made = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    if made:
        return made[0]
    original = original_file(store, stored)
    if original is None:
        return None
    return make_feedback(check_file(original, expect), folder)


def make_feedback(sub: Submission, folder: Path) -> Path:
    """:func:`write_feedback` into ``folder``, whole or not at all (a temp folder, then a rename)."""
    temp = folder.parent / f".{uuid.uuid4().hex}.tmp"
    try:
        made = write_feedback(sub, temp)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / made.name
        os.replace(made, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return target


def original_file(store: SubmissionStore, stored: StoredSubmission) -> Path | None:
    """The received file: its archived copy, or where it was received, if still the same content."""
    for candidate in (store.archive_file(stored), Path(stored.source_path)):
        if candidate is not None and candidate.is_file() and sha256_of(candidate) == stored.sha256:
            return candidate
    return None
