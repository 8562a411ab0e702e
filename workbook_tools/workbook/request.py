"""What one generation run is for: the form, the period, the deadline, the issuer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from workbook_tools.form.model import Form
from workbook_tools.periods import Period


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
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
