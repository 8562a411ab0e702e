"""The round a period's workbooks were generated for, and the Sở's decisions on returns:
which file counts (:meth:`Choices.choose`) and each return's approval."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from workbook_tools.periods import Period
from workbook_tools.registry.codec import aware, micros, period_code
from workbook_tools.registry.faults import StoreError
from workbook_tools.registry.reading import Reading, id_chunks
from workbook_tools.registry.records import Decision, Round, StoredSubmission
from workbook_tools.units import Unit


class Choices(Reading):
    """The rounds and decisions of :class:`~workbook_tools.registry.store.SubmissionStore`."""

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
        when = aware(generated_at if generated_at is not None else datetime.now())
        code = period_code(period)
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
                    micros(when),
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
            (form_id, period_code(period)),
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
        when = aware(decided_at if decided_at is not None else datetime.now())
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
            (form_id, period_code(period)),
        ).fetchall()
        return {
            unit.casefold(): Decision(unit, p, int(sid), prev, reason, datetime.fromisoformat(at))
            for unit, p, sid, prev, reason, at in found
        }

    def held_from_round(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """Files of another period received while ``period`` was being collected."""
        code = period_code(period)
        return self._select(
            "form_id = ? AND held = 'other-period' AND period != ? "
            "AND (' ' || collected_for || ' ') LIKE ?",
            (form_id, code, f"% {code} %"),
            "unit_code, first_seen_us, id",
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
        return self.approvals_of([submission_id]).get(submission_id, [])

    def approvals_of(
        self, ids: Sequence[int]
    ) -> dict[int, list[tuple[int, Any, Any, str, str, str]]]:
        """:meth:`approvals` of many submissions (id → decisions; none: absent), in few queries."""
        out: dict[int, list[tuple[int, Any, Any, str, str, str]]] = {}
        for chunk in id_chunks(ids):
            for r in self._db.execute(
                "SELECT submission_id, action, state, reason, decided_by, decided_at "
                f"FROM approvals WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY id",
                chunk,
            ):
                out.setdefault(int(r[0]), []).append(
                    (int(r[0]), r[1], r[2], str(r[3]), str(r[4]), str(r[5]))
                )
        return out
