"""What one generation run is for: the form, the period, the deadline, the issuer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from workbook_tools.form.model import Form
from workbook_tools.periods import Period


@dataclass(frozen=True)
class Citation:
    """What a report answers: the plan and the request letter (công văn) of the Sở.

    Given at generate time, stored in each workbook's ``_meta`` (see :meth:`meta_pairs`
    and :func:`from_meta`), and cited in the report's opening as the seeds do.
    """

    plan: str = ""  # "Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh về …"
    letter_number: str = ""  # "1119/SNV-XDCQ"; "" while the văn thư has not numbered it
    letter_date: date | None = None
    letter_issuer: str = "Sở Nội vụ"
    letter_subject: str = ""  # the V/v line without "V/v": "báo cáo kết quả …"

    def meta_pairs(self) -> list[tuple[str, str]]:
        return [
            ("plan", self.plan),
            ("request_number", self.letter_number),
            ("request_date", self.letter_date.isoformat() if self.letter_date else ""),
            ("request_issuer", self.letter_issuer),
            ("request_subject", self.letter_subject),
        ]

    @property
    def empty(self) -> bool:
        return not (self.plan or self.letter_number or self.letter_subject)


def from_meta(meta: dict[str, str]) -> Citation:
    """The citation a workbook carries (empty for workbooks made before it was stored)."""
    raw_date = meta.get("request_date", "")
    try:
        day = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        day = None
    return Citation(
        plan=meta.get("plan", ""),
        letter_number=meta.get("request_number", ""),
        letter_date=day,
        letter_issuer=meta.get("request_issuer", "") or meta.get("issuer", "") or "Sở Nội vụ",
        letter_subject=meta.get("request_subject", ""),
    )


@dataclass(frozen=True)
class Request:
    """A reporting request of the Sở: one form, one period, one deadline, for many units.

    ``password`` protects sheets and workbook structure against accidental edits
    (it is not a secret: the reader never relies on it).
    """

    form: Form
    period: Period
    deadline: date | None = None
    issuer: str = "Sở Nội vụ"
    contact: str = ""
    password: str = "dvcq"
    citation: Citation = field(default_factory=Citation)
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
