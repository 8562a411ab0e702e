"""The Sở's decision on each return: accepted, returned for correction, locked in a report.

A file that passes the checks is *received*; the Sở then accepts it, or returns
it to the unit for correction with a reason; an accepted return can be reopened
(with a reason); a consolidation locks the returns it used, so a newer file from
the unit does not silently change what went into a report: merge keeps using the
locked return until someone unlocks it (with a reason). Every decision is kept,
with when, by whom and why; the state of a return is that of its last decision.

Each decision is checked against the state it starts from and written in one
``BEGIN IMMEDIATE`` transaction, so two people deciding at once are put in order
and neither entry is lost.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form.model import Form
from workbook_tools.periods import Period
from workbook_tools.registry.store import StoredSubmission, SubmissionStore

Action = Literal["accept", "return", "reopen", "lock", "unlock"]
State = Literal["received", "accepted", "returned", "locked"]

STATE_TEXT: dict[str, str] = {
    "received": "Chờ duyệt",
    "accepted": "Đã duyệt",
    "returned": "Trả lại để sửa",
    "locked": "Đã khóa (đã tổng hợp)",
}

# action → (states it may start from, the state after it, whether a reason is required)
TRANSITIONS: dict[Action, tuple[frozenset[str], State, bool]] = {
    "accept": (frozenset({"received"}), "accepted", False),
    "return": (frozenset({"received"}), "returned", True),
    "reopen": (frozenset({"accepted", "returned"}), "received", True),
    "lock": (frozenset({"received", "accepted"}), "locked", False),
    "unlock": (frozenset({"locked"}), "accepted", True),
}

ACTION_TEXT: dict[Action, str] = {
    "accept": "duyệt",
    "return": "trả lại để sửa",
    "reopen": "mở lại",
    "lock": "khóa",
    "unlock": "mở khóa",
}


@dataclass(frozen=True)
class Decision:
    """One decision on a return, as kept."""

    submission_id: int
    action: Action
    state: State
    reason: str
    decided_by: str
    decided_at: datetime


class ApprovalError(WorkbookToolsError):
    """A decision that cannot be taken from the return's present state."""


def default_person() -> str:
    """The system user, when no name is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME", "") or "?"


def decide(
    store: SubmissionStore,
    submission_id: int,
    action: Action,
    reason: str = "",
    by: str | None = None,
) -> Decision:
    """Take ``action`` on a return and keep it; raises :class:`ApprovalError` if not allowed."""
    starts, after, needs_reason = TRANSITIONS[action]
    reason = reason.strip()
    if needs_reason and not reason:
        raise ApprovalError(
            f"Cần ghi lý do khi {ACTION_TEXT[action]} (tùy chọn --ly-do), để đơn vị và người "
            "sau biết vì sao."
        )
    who = by or default_person()
    when = datetime.now().astimezone()
    with store.batch() as db:  # the state read and the decision written under one lock
        sub = store.get(submission_id)
        if not sub.accepted:
            raise ApprovalError(
                f"Tệp “{sub.file_name}” của {sub.unit_code} có lỗi nên không được tổng hợp; "
                "không cần duyệt, đơn vị sửa lỗi và gửi lại."
            )
        state = store.approval_state(submission_id)
        if state not in starts:
            raise ApprovalError(
                f"Không thể {ACTION_TEXT[action]} báo cáo của {sub.unit_code} (tệp "
                f"“{sub.file_name}”): báo cáo đang ở trạng thái “{STATE_TEXT[state]}”."
            )
        db.execute(
            "INSERT INTO approvals (submission_id, action, state, reason, decided_by, "
            "decided_at) VALUES (?, ?, ?, ?, ?, ?)",
            (submission_id, action, after, reason, who, when.isoformat(timespec="seconds")),
        )
    return Decision(submission_id, action, after, reason, who, when.replace(microsecond=0))


def history(store: SubmissionStore, submission_id: int) -> list[Decision]:
    """Every decision on a return, oldest first."""
    return [
        Decision(sid, action, state, reason, by, datetime.fromisoformat(at))
        for sid, action, state, reason, by, at in store.approvals(submission_id)
    ]


def lock_used(
    store: SubmissionStore, ids: Sequence[int], reason: str, by: str | None = None
) -> list[Decision]:
    """Lock the returns a consolidation used (those already locked stay as they are)."""
    done = []
    for sid in ids:
        if store.approval_state(sid) in TRANSITIONS["lock"][0]:
            done.append(decide(store, sid, "lock", reason, by))
    return done


def unit_return(
    store: SubmissionStore, form_id: str, period: Period, unit_code: str
) -> StoredSubmission:
    """The return a decision on ``unit_code`` is about: the locked one, else the current one."""
    found = store.history(form_id, period, unit_code)
    accepted = [s for s in found if s.accepted]
    locked = [s for s in accepted if store.approval_state(s.id) == "locked"]
    chosen = locked[-1] if locked else next((s for s in accepted if s.current), None)
    if chosen is None:
        raise ApprovalError(
            f"Chưa có báo cáo hợp lệ nào của đơn vị {unit_code} cho {period.label}. Hãy kiểm "
            "tra mã đơn vị, kỳ báo cáo và cơ sở dữ liệu (--db)."
        )
    return chosen


def write_return_feedback(
    store: SubmissionStore, sub: StoredSubmission, form: Form, out_dir: Path, reason: str
) -> Path:
    """The feedback workbook of a returned return: its archived copy marked, with the reason.

    The findings are those recorded (the check's and the registry comparison's).
    """
    archived = store.archive_file(sub)
    if archived is None:
        raise ApprovalError(f"Không tìm thấy bản lưu trữ của tệp “{sub.file_name}”.")
    checked = check_file(archived, Expectation(form))
    checked.findings = store.findings(sub.id)
    return write_feedback(checked, out_dir, note=reason, name=sub.file_name)
