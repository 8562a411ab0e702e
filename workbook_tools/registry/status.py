"""Who has reported: the Sở's follow-up list for one form and period.

Late and missing units used to be tracked by hand. This report answers, per
expected unit: has an accepted file arrived (on time or late), did the unit
send only files with errors (and how many errors the last one had, so the
phone call can say what to fix), or has nothing arrived. Units that sent files
but are not in the unit list are listed apart, so a typo in a code or a unit
missing from the list is seen rather than silently dropped.

Lateness is judged by the *first* accepted file: a unit that sent a valid
report on time and a correction later met the deadline. Two times are shown:
when the Sở received the file (first collected: it decides which file counts)
and when the file was saved in the inbox (it decides lateness, unless later than
the receipt). The Sở's choice of a unit's return is shown with its reason, as are
files kept without being used and files of another period sent in this round.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import xlsxwriter

from workbook_tools import output
from workbook_tools.findings import REVIEW_CODES, unreadable_kind
from workbook_tools.periods import Period, format_date_short
from workbook_tools.registry.store import Decision, StoredSubmission, SubmissionStore
from workbook_tools.units import UnitRegistry
from workbook_tools.writer.styles import Styles
from workbook_tools.writer.tables import Cell, Column, Look, TableSheet, write_table_sheet

State = Literal["accepted", "rejected_only", "missing"]

APPROVED = {"accepted": "đã duyệt", "locked": "đã khóa"}
"""The Sở's decisions shown after an accepted file's state (see ``registry.approval``)."""

HEADERS: tuple[str, ...] = (
    "STT",
    "Mã đơn vị",
    "Tên đơn vị",
    "Khối/loại",
    "Tình trạng",
    "Sở nhận",
    "Ngày lưu tệp",
    "Tệp",
    "Ghi chú",
)


@dataclass(frozen=True)
class UnitStatus:
    """One unit's standing for the period."""

    unit_code: str
    unit_name: str
    group: str
    state: State
    late: bool = False
    deadline: date | None = None
    received_at: datetime | None = None  # the current accepted file's
    first_accepted_at: datetime | None = None  # decides lateness
    file_name: str | None = None
    submission_id: int | None = None
    accepted_count: int = 0
    rejected_count: int = 0
    last_rejected_errors: int | None = None  # errors in the latest rejected file
    last_rejected_at: datetime | None = None
    last_rejected_file: str | None = None
    last_rejected_kind: str | None = None  # "PDF", "ảnh"…: the latest file was no workbook
    in_registry: bool = True
    first_seen_at: datetime | None = None  # when the Sở received the current accepted file
    decision: Decision | None = None
    held_count: int = 0  # accepted files of the period kept without being used
    other_period_files: tuple[tuple[str, str], ...] = ()  # (file name, its period)
    review_count: int = 0  # data-quality warnings on the current file (REVIEW_CODES)
    approval: str = "received"  # the Sở's decision on the current file (registry.approval)
    approval_reason: str = ""
    in_use_file: str | None = None  # the locked file merge uses, when not the current one

    @property
    def to_review(self) -> bool:
        return self.state == "accepted" and self.approval != "returned" and self.review_count > 0

    @property
    def needs_action(self) -> bool:
        """Someone at the Sở has to call: nothing usable arrived, or a unit not in the list sent."""
        return self.state != "accepted" or not self.in_registry

    @property
    def unreadable(self) -> bool:
        """Sent only files with errors, the latest of which could not be read at all."""
        return self.state == "rejected_only" and self.last_rejected_kind is not None

    @property
    def state_text(self) -> str:
        """The follow-up list's wording."""
        if self.approval == "returned":
            return "Đã trả lại để sửa"
        if self.state == "accepted":
            text = "Đã nhận, gửi muộn" if self.late else "Đã nhận, hợp lệ"
            if self.approval in APPROVED:
                text += f", {APPROVED[self.approval]}"
            return text + ", cần xem lại" if self.to_review else text
        if self.unreadable:
            return f"Đã gửi tệp không đọc được ({self.last_rejected_kind})"
        if self.state == "rejected_only":
            return f"Có lỗi, chưa đạt ({self.last_rejected_errors or 0} lỗi)"
        return "Chưa gửi"

    @property
    def note(self) -> str:
        parts: list[str] = []
        if not self.in_registry:
            parts.append("Không có trong danh sách đơn vị")
        if self.approval == "returned":
            parts.append(
                f"Sở trả lại tệp “{self.file_name}” để sửa, lý do: {self.approval_reason}; "
                "đơn vị sửa và gửi lại"
            )
        elif self.state == "accepted":
            if self.approval_reason:
                parts.append(f"Ghi chú của Sở: {self.approval_reason}")
            if self.in_use_file:
                parts.append(
                    f"Bản đã khóa “{self.in_use_file}” vẫn được dùng để tổng hợp đến khi mở khóa"
                )
            if self.to_review:
                parts.append(
                    f"Cần xem lại {self.review_count} cảnh báo (số liệu khác thường, trùng đơn "
                    "vị khác hoặc thuyết minh không khớp): xem bằng lệnh check --db"
                )
            if self.late and self.first_accepted_at and self.deadline:
                parts.append(
                    f"Hạn {format_date_short(self.deadline)}, bản hợp lệ đầu tiên nhận "
                    f"{format_date_short(self.first_accepted_at.date())}"
                )
            if self.decision is not None:
                parts.append(
                    f"Sở chọn tệp này ngày {format_date_short(self.decision.decided_at.date())}: "
                    f"{self.decision.reason}"
                )
            elif self.accepted_count - self.held_count > 1:
                parts.append(
                    f"Đã gửi {self.accepted_count - self.held_count} bản hợp lệ, dùng bản Sở nhận "
                    "sau cùng"
                )
            if self.rejected_count:
                parts.append(f"{self.rejected_count} tệp có lỗi trước đó")
        elif self.state == "rejected_only":
            when = (
                f" nhận {format_date_short(self.last_rejected_at.date())}"
                if self.last_rejected_at
                else ""
            )
            if self.unreadable:
                parts.append(
                    f"Tệp gần nhất{f' ({when.strip()})' if when else ''} không phải biểu mẫu "
                    "Excel: cần gửi lại tệp Excel "
                    "biểu mẫu đã điền, không gửi bản scan"
                )
            else:
                parts.append(
                    f"Đã gửi {self.rejected_count} tệp, đều có lỗi; tệp gần nhất "
                    f"“{self.last_rejected_file}”{when}: cần sửa và gửi lại"
                )
        if self.held_count:
            parts.append(
                f"{self.held_count} tệp hợp lệ chưa dùng, chờ Sở quyết định (workbook-tools choose)"
            )
        for name, period in self.other_period_files:
            parts.append(f"Đã gửi tệp của kỳ {period} “{name}”: cần gửi biểu mẫu của kỳ này")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "group": self.group,
            "state": self.state,
            "state_text": self.state_text,
            "late": self.late,
            "deadline": _iso(self.deadline),
            "received_at": _iso(self.received_at),
            "first_accepted_at": _iso(self.first_accepted_at),
            "file_name": self.file_name,
            "submission_id": self.submission_id,
            "accepted_count": self.accepted_count,
            "rejected_count": self.rejected_count,
            "last_rejected_errors": self.last_rejected_errors,
            "last_rejected_at": _iso(self.last_rejected_at),
            "last_rejected_file": self.last_rejected_file,
            "last_rejected_kind": self.last_rejected_kind,
            "in_registry": self.in_registry,
            "first_seen_at": _iso(self.first_seen_at),
            "decision": None
            if self.decision is None
            else {
                "submission_id": self.decision.submission_id,
                "previous_id": self.decision.previous_id,
                "reason": self.decision.reason,
                "decided_at": self.decision.decided_at.isoformat(),
            },
            "held_count": self.held_count,
            "other_period_files": [
                {"file_name": name, "period": period} for name, period in self.other_period_files
            ],
            "review_count": self.review_count,
            "approval": self.approval,
            "approval_reason": self.approval_reason,
            "in_use_file": self.in_use_file,
            "to_review": self.to_review,
            "note": self.note,
        }


@dataclass(frozen=True)
class StatusTotals:
    expected: int
    accepted: int
    accepted_on_time: int
    late: int
    rejected_only: int
    missing: int
    unexpected: int
    unreadable: int = 0  # of rejected_only: the latest file could not be read at all
    to_review: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "accepted": self.accepted,
            "accepted_on_time": self.accepted_on_time,
            "late": self.late,
            "rejected_only": self.rejected_only,
            "missing": self.missing,
            "unexpected": self.unexpected,
            "unreadable": self.unreadable,
            "to_review": self.to_review,
        }


@dataclass(frozen=True)
class StatusReport:
    form_id: str
    period: Period
    deadline: date | None  # the one given; units may carry their own from the workbook
    units: tuple[UnitStatus, ...]
    unexpected: tuple[UnitStatus, ...] = field(default_factory=tuple)
    registry_source: str = ""

    @property
    def totals(self) -> StatusTotals:
        accepted = [u for u in self.units if u.state == "accepted"]
        late = sum(u.late for u in accepted)
        return StatusTotals(
            expected=len(self.units),
            accepted=len(accepted),
            accepted_on_time=len(accepted) - late,
            late=late,
            rejected_only=sum(u.state == "rejected_only" for u in self.units),
            missing=sum(u.state == "missing" for u in self.units),
            unexpected=len(self.unexpected),
            unreadable=sum(u.unreadable for u in self.units),
            to_review=sum(u.to_review for u in self.units),
        )

    def by_state(self, state: State) -> list[UnitStatus]:
        return [u for u in self.units if u.state == state]


def status_report(
    store: SubmissionStore,
    form_id: str,
    period: Period,
    registry: UnitRegistry | None,
    deadline: date | None = None,
    current: Sequence[StoredSubmission] | None = None,
) -> StatusReport:
    """Each expected unit's standing (registry order); units seen but not expected apart.

    Without a registry the expected units are those seen in the store for this
    form and period (so nobody can be "missing"). ``deadline`` overrides the one
    each workbook carries. ``current``: the period's :meth:`~SubmissionStore.current`
    submissions, when the caller has read them already (a merge).
    """
    by_unit: dict[str, list[StoredSubmission]] = {}
    names: dict[str, str] = {}
    for sub in store.all_for(form_id, period):
        key = sub.unit_code.casefold()
        by_unit.setdefault(key, []).append(sub)
        names.setdefault(key, sub.unit_code)
    extra = _Extra(store.decisions(form_id, period), {}, _unreadable_kinds(store, by_unit.values()))
    for sub in store.held_from_round(form_id, period):
        extra.other_period.setdefault(sub.unit_code.casefold(), []).append(sub)
    units: list[UnitStatus] = []
    unexpected: list[UnitStatus] = []
    if registry is not None:
        for unit in registry:
            key = unit.code.casefold()
            units.append(
                _unit_status(
                    unit.code, unit.name, unit.group, by_unit.get(key, []), deadline, extra
                )
            )
        for key in sorted(by_unit):
            if names[key] not in registry:
                subs = by_unit[key]
                unexpected.append(
                    _unit_status(names[key], subs[-1].unit_name, "", subs, deadline, extra, False)
                )
    else:
        for key in sorted(by_unit):
            subs = by_unit[key]
            units.append(_unit_status(names[key], subs[-1].unit_name, "", subs, deadline, extra))
    if current is None:
        current = store.current(form_id, period)
    in_use = {s.unit_code.casefold(): s for s in current}
    units = _with_reviews(store, units, in_use)
    unexpected = _with_reviews(store, unexpected, in_use)
    return StatusReport(
        form_id,
        period,
        deadline,
        tuple(units),
        tuple(unexpected),
        registry.source if registry is not None else "",
    )


@dataclass(frozen=True)
class _Extra:
    """What the registry knows of the period beyond its files: choices, files of other periods,
    what the unreadable files were."""

    decisions: dict[str, Decision]
    other_period: dict[str, list[StoredSubmission]]
    kinds: dict[int, str]  # submission id → what an unreadable latest file was ("PDF"…)


def _unreadable_kinds(
    store: SubmissionStore, units: Iterable[Sequence[StoredSubmission]]
) -> dict[int, str]:
    """Submission id → what the file was ("PDF"…), for each unit's latest rejected file that
    could not be read as a workbook (such a file has no form version: only those are looked at)."""
    kinds: dict[int, str] = {}
    for subs in units:
        rejected = [s for s in subs if not s.accepted]
        if rejected and rejected[-1].form_version is None:
            kind = unreadable_kind(store.findings(rejected[-1].id))
            if kind is not None:
                kinds[rejected[-1].id] = kind
    return kinds


def _with_reviews(
    store: SubmissionStore, units: list[UnitStatus], in_use: dict[str, StoredSubmission]
) -> list[UnitStatus]:
    """Each unit's data-quality warnings and the Sở's last decision on its current file."""
    ids = [u.submission_id for u in units if u.submission_id is not None]
    codes = store.finding_codes(ids)
    approvals = store.approvals_of(ids)
    done = []
    for u in units:
        if u.submission_id is None:
            done.append(u)
            continue
        decided = approvals.get(u.submission_id, [])
        used = in_use.get(u.unit_code.casefold())
        approval = decided[-1][2] if decided else "received"
        done.append(
            replace(
                u,
                # a return sent back for correction is not a valid report until corrected
                state="rejected_only" if approval == "returned" else u.state,
                review_count=sum(c in REVIEW_CODES for c in codes.get(u.submission_id, [])),
                approval=approval,
                approval_reason=decided[-1][3] if decided else "",
                in_use_file=used.file_name if used and used.id != u.submission_id else None,
            )
        )
    return done


def _unit_status(
    code: str,
    name: str,
    group: str,
    subs: Sequence[StoredSubmission],
    deadline: date | None,
    extra: _Extra,
    in_registry: bool = True,
) -> UnitStatus:
    """``subs`` are one unit's files, oldest first (as :meth:`all_for` returns them)."""
    accepted = [s for s in subs if s.accepted]
    rejected = [s for s in subs if not s.accepted]
    last_rejected = rejected[-1] if rejected else None
    key = code.casefold()
    common: dict[str, Any] = {
        "rejected_count": len(rejected),
        "last_rejected_errors": last_rejected.error_count if last_rejected else None,
        "last_rejected_at": last_rejected.received_at if last_rejected else None,
        "last_rejected_file": last_rejected.file_name if last_rejected else None,
        "last_rejected_kind": extra.kinds.get(last_rejected.id) if last_rejected else None,
        "in_registry": in_registry,
        "held_count": sum(s.held is not None for s in accepted),
        "other_period_files": tuple(
            (s.file_name, s.period) for s in extra.other_period.get(key, [])
        ),
    }
    current = next((s for s in accepted if s.current), None)
    if current is None:
        state: State = "rejected_only" if rejected else "missing"
        return UnitStatus(code, name, group, state, deadline=deadline, **common)
    used = [s for s in accepted if s.held != "other-period"]
    first = used[0] if used else current
    due = deadline if deadline is not None else current.deadline
    decision = extra.decisions.get(key)
    return UnitStatus(
        code,
        name or current.unit_name,
        group,
        "accepted",
        late=first.late_against(due),
        deadline=due,
        received_at=current.received_at,
        first_accepted_at=first.received_at,
        file_name=current.file_name,
        submission_id=current.id,
        accepted_count=len(accepted),
        first_seen_at=current.first_seen_at,
        decision=decision
        if decision is not None and decision.submission_id == current.id
        else None,
        **common,
    )


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _shown_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%d/%m/%Y %H:%M}"


def status_rows(
    report: StatusReport, *, action_first: bool = False, only_action: bool = False
) -> list[tuple[str, ...]]:
    """The follow-up table as text, :data:`HEADERS` order: for the screen and for CSV.

    Units outside the registry come after the expected ones, numbered on. With
    ``action_first`` the units that need action (:attr:`UnitStatus.needs_action`)
    come first, each keeping its number; ``only_action`` keeps only them.
    """
    numbered = list(enumerate((*report.units, *report.unexpected), start=1))
    if action_first or only_action:
        numbered.sort(key=lambda pair: not pair[1].needs_action)  # stable: list order kept
    if only_action:
        numbered = [(i, u) for i, u in numbered if u.needs_action]
    rows: list[tuple[str, ...]] = []
    for i, u in numbered:
        rows.append(
            (
                str(i),
                u.unit_code,
                u.unit_name,
                u.group,
                u.state_text,
                _shown_time(u.first_seen_at),
                _shown_time(u.received_at),
                u.file_name or (u.last_rejected_file or ""),
                u.note,
            )
        )
    return rows


def action_line(report: StatusReport) -> str:
    """One line: how many units need action, and why."""
    t = report.totals
    reasons = [
        (t.missing, "chưa gửi"),
        (t.rejected_only - t.unreadable, "chỉ gửi tệp có lỗi"),
        (t.unreadable, "gửi tệp không đọc được"),
        (t.unexpected, "không có trong danh sách đơn vị"),
    ]
    count = t.missing + t.rejected_only + t.unexpected
    if not count:
        return "Không đơn vị nào cần xử lý."
    why = ", ".join(f"{n} {text}" for n, text in reasons if n)
    return f"Cần xử lý: {count} đơn vị ({why})."


def summary_lines(report: StatusReport) -> list[str]:
    """The totals in words, for the top of the screen table and of the xlsx."""
    t = report.totals
    lines = [
        f"Số đơn vị phải báo cáo: {t.expected}",
        f"Đã nhận hợp lệ: {t.accepted} (đúng hạn {t.accepted_on_time}, gửi muộn {t.late})",
        f"Có lỗi, chưa đạt: {t.rejected_only}"
        + (f" (trong đó {t.unreadable} gửi tệp không đọc được)" if t.unreadable else ""),
        f"Chưa gửi: {t.missing}",
    ]
    if t.to_review:
        lines.append(f"Cần xem lại (cảnh báo chất lượng số liệu): {t.to_review}")
    if t.unexpected:
        lines.append(f"Đơn vị gửi nhưng không có trong danh sách: {t.unexpected}")
    return lines


STATE_FILLS = {"ok": "#E2EFDA", "late": "#FCE4D6", "rejected_only": "#F8CBAD", "missing": "#FFF2CC"}
"""The state cell's colour: received on time, late, only files with errors, nothing."""
TRACKING_WIDTHS = (6, 18, 36, 16, 24, 17, 17, 34, 48)
# a working list: narrower margins than the house's, and its own footer
TRACKING_MARGINS = {"left": 0.5, "right": 0.4, "top": 0.6, "bottom": 0.6}
TRACKING_FOOTER = '&C&"Times New Roman"Trang &P/&N'


def write_status_xlsx(report: StatusReport, path: str | Path, title: str | None = None) -> Path:
    """The follow-up list as a workbook for the Sở: summary on top, one row per unit.

    Times New Roman, autofilter and frozen header so it can be sorted and
    filtered by state, A4 landscape fitted to the page width for printing.
    """
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        styles = Styles(wb)
        info = [f"Biểu mẫu: {report.form_id}"]
        if report.deadline is not None:
            info.append(f"Hạn gửi: {format_date_short(report.deadline)}")
        if report.registry_source:
            info.append(f"Danh sách đơn vị: {report.registry_source}")
        lines = summary_lines(report)
        ws = write_table_sheet(wb, styles, TableSheet(
            "Theo dõi", None, "", _tracking_columns(), _tracking_rows(report),
            header_row=2 + len(lines) + 1, autofilter=True, margins=TRACKING_MARGINS,
            footer=TRACKING_FOOTER,
        ))  # fmt: skip
        heading = title or f"DANH SÁCH THEO DÕI NỘP BÁO CÁO {report.period.label.upper()}"
        ws.write(0, 0, heading, styles.get(bold=True, font_size=14))
        ws.write(1, 0, "; ".join(info), styles.get())
        for row, line in enumerate(lines, start=2):
            ws.write(row, 0, line, styles.get(bold=True))
    finally:
        wb.close()
    return output.write_bytes(Path(path), buffer.getvalue())


def _tracking_columns() -> list[Column]:
    """:data:`HEADERS` in :data:`TRACKING_WIDTHS`: the number centred, the two times as dates."""
    looks: dict[int, Look] = {0: "index", 5: "datetime", 6: "datetime"}
    return [
        Column(head, width, look=looks.get(col, "text"))
        for col, (head, width) in enumerate(zip(HEADERS, TRACKING_WIDTHS, strict=True))
    ]


def _tracking_rows(report: StatusReport) -> list[tuple[Any, ...]]:
    """:func:`status_rows` with the numbers and times as such, and the state in its colour."""
    statuses = (*report.units, *report.unexpected)
    rows: list[tuple[Any, ...]] = []
    for i, (unit, texts) in enumerate(zip(statuses, status_rows(report), strict=True), start=1):
        key = ("late" if unit.late else "ok") if unit.state == "accepted" else unit.state
        state = Cell(texts[4], fill=STATE_FILLS[key])
        rows.append((i, *texts[1:4], state, unit.first_seen_at, unit.received_at, *texts[7:]))
    return rows
