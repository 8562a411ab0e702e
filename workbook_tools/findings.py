"""One findings model for every problem the tool reports.

A finding is a value: a stable code (tools and tests match on it), a severity, where
it is and a Vietnamese message that says what is wrong. In a file a unit sent back,
"where" is the file, unit, sheet and cell, with the indicator codes involved; in a form
definition or a unit list, it is the file and a human place (``where``, such as
``indicators[3].expression`` or ``dòng 7, cột "mã đơn vị"``), with a ``fix`` saying how to
fix this one. Checks collect findings; they never raise for bad input (a form definition
or unit list with problems is refused as a whole: :class:`workbook_tools.errors.ProblemsError`
carries its findings). Codes, their default severities and their general fixes live in
:mod:`workbook_tools.catalogue` (the one catalogue, printed by ``workbook-tools codes``);
a finding is made from an entry there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from workbook_tools import catalogue
from workbook_tools.catalogue import CATALOGUE, Entry

Severity = catalogue.Severity

REVIEW_CODES: frozenset[str] = frozenset(
    code for code in CATALOGUE if code.startswith(("quality-", "narrative-"))
)
"""Warnings that ask the Sở to look again at an accepted return ("cần xem lại")."""


UNREADABLE: dict[str, str] = {
    catalogue.FILE_PDF.code: "PDF",
    catalogue.FILE_IMAGE.code: "ảnh",
    catalogue.FILE_WORD.code: "văn bản Word",
    catalogue.FILE_CSV.code: "CSV",
    catalogue.FILE_ARCHIVE.code: "tệp nén",
    catalogue.FILE_NOT_WORKBOOK.code: "không phải bảng tính",
    catalogue.FILE_EMPTY.code: "tệp rỗng",
    catalogue.FILE_TOO_LARGE.code: "tệp quá lớn",
    catalogue.FILE_ENCRYPTED.code: "có mật khẩu",
    catalogue.FILE_ZIP_BOMB.code: "tệp nén bất thường",
    catalogue.FILE_XML_BOMB.code: "tệp chứa XML nguy hiểm",
    catalogue.FILE_UNREADABLE.code: "tệp hỏng",
}
"""Codes of a file that could not be read as a workbook at all → what it was, in a word
(the tracking list's "đã gửi tệp không đọc được (PDF)")."""


def unreadable_kind(findings: Iterable[Finding]) -> str | None:
    """What the file was, when its findings say it could not be read as a workbook."""
    return next((UNREADABLE[f.code] for f in findings if f.code in UNREADABLE), None)


@dataclass(frozen=True)
class Finding:
    """One problem: its catalogue code and severity, what is wrong, where, how to fix it.

    ``where`` (a human place in a form definition or unit list) and ``fix`` (how to fix
    this one) are empty for most findings on a returned file, whose place is its sheet and
    cell and whose message says what to do; :attr:`how_to_fix` then falls back on the
    catalogue entry's general fix.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    unit: str = ""
    sheet: str = ""
    cell: str = ""
    indicators: tuple[str, ...] = field(default_factory=tuple)
    where: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        catalogue.entry(self.code)  # an unknown code is a programming error, found at once

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def location(self) -> str:
        """The place for a person: ``where`` if given, else ``sheet!cell`` or the sheet."""
        if self.where:
            return self.where
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    @property
    def how_to_fix(self) -> str:
        """This finding's own fix, or the catalogue entry's general one."""
        return self.fix or catalogue.entry(self.code).fix

    def __str__(self) -> str:
        """``file: place: message Cách sửa: fix`` (the file and place when known)."""
        head = "".join(f"{part}: " for part in (self.file, self.location) if part)
        return f"{head}{self.message} Cách sửa: {self.how_to_fix}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["indicators"] = list(self.indicators)
        return data


def finding(
    kind: Entry,
    message: str,
    *,
    file: str = "",
    where: str = "",
    fix: str = "",
    sheet: str = "",
    cell: str = "",
    indicators: tuple[str, ...] | list[str] = (),
    severity: Severity | None = None,
) -> Finding:
    """A finding of the catalogue entry ``kind``, with its severity (rules pass their own)."""
    return Finding(
        code=kind.code,
        severity=severity or kind.severity,
        message=message,
        file=file,
        sheet=sheet,
        cell=cell,
        indicators=tuple(indicators),
        where=where,
        fix=fix,
    )
