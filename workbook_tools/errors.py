"""Errors a user can fix.

Every error raised to the CLI is a :class:`WorkbookToolsError` whose message is
Vietnamese, names where the problem is and says how to fix it. The CLI prints the
message and exits 1; it never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbook_tools.catalogue import Entry, entry


class WorkbookToolsError(Exception):
    """Base class: an error whose message is meant for the user."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what is wrong, how to fix it.

    ``code`` is a stable slug from :mod:`workbook_tools.catalogue` that tests and tools
    can match on (an unknown one raises :class:`KeyError`); ``where`` is a human location
    such as ``indicators[3].expression`` or ``dòng 7, cột "mã đơn vị"``; ``fix`` says how
    to fix this one (the catalogue's entry says it in general).
    """

    code: str
    file: str
    where: str
    message: str
    fix: str

    def __post_init__(self) -> None:
        entry(self.code)

    @classmethod
    def of(cls, kind: Entry, file: str, where: str, message: str, fix: str) -> Problem:
        """A problem of the catalogue entry ``kind``."""
        return cls(kind.code, file, where, message, fix)

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} Cách sửa: {self.fix}"


_LINE_RE = re.compile(r"dòng (\d+)")


class Collector:
    """Gathers the problems of one input file, so that all of them reach the user together.

    Form definitions and unit lists both report through it; a problem is added with its
    catalogue entry, never a bare code.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, kind: Entry, where: str, message: str, fix: str) -> None:
        self.problems.append(Problem.of(kind, self.file, where, message, fix))

    def in_file_order(self) -> list[Problem]:
        """Problems sorted by the row their place names ("dòng 7, …"; others first), so they
        can be fixed top down; the sort is stable, so each row keeps its check order."""

        def line(problem: Problem) -> int:
            match = _LINE_RE.match(problem.where)
            return int(match.group(1)) if match else 0

        return sorted(self.problems, key=line)


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
