"""One findings model for every returned file.

A finding is a value: a stable code (tools and tests match on it), a severity,
where it is (file, unit, sheet, cell), the indicator codes involved and a
Vietnamese message that says what is wrong and how to fix it. Checks collect
findings; they never raise for bad input. Codes, their default severities and
their general fixes live in :mod:`workbook_tools.catalogue` (the one catalogue,
printed by ``workbook-tools codes``); a finding is made from an entry there.
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
    code: str
    severity: Severity
    message: str
    file: str = ""
    unit: str = ""
    sheet: str = ""
    cell: str = ""
    indicators: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        catalogue.entry(self.code)  # an unknown code is a programming error, found at once

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["indicators"] = list(self.indicators)
        return data


def finding(
    kind: Entry,
    message: str,
    *,
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
        sheet=sheet,
        cell=cell,
        indicators=tuple(indicators),
    )
