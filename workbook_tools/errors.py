"""Errors a user can fix.

Every error raised to the CLI is a :class:`WorkbookToolsError` whose message is
Vietnamese, names where the problem is and says how to fix it. The CLI prints the
message and exits 1; it never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbookToolsError(Exception):
    """Base class: an error whose message is meant for the user."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what is wrong, how to fix it.

    ``code`` is a stable slug that tests and tools can match on; ``where`` is a
    human location such as ``indicators[3].expression`` or ``dòng 7, cột "mã đơn vị"``.
    """

    code: str
    file: str
    where: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} Cách sửa: {self.fix}"


class ProblemsError(WorkbookToolsError):
    """An input file with one or more problems; all of them are listed."""

    heading = "Tệp có lỗi"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [f"{self.heading} ({len(problems)} lỗi):"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class FormDefinitionError(ProblemsError):
    heading = "Định nghĩa biểu mẫu không hợp lệ"


class UnitRegistryError(ProblemsError):
    heading = "Danh sách đơn vị không hợp lệ"


class PeriodError(WorkbookToolsError):
    """A period string that cannot be understood; the message lists valid forms."""
