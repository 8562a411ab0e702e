"""Errors a user can fix.

Every error raised to the CLI is a :class:`WorkbookToolsError` whose message is
Vietnamese, names where the problem is and says how to fix it. The CLI prints the
message and exits 1; it never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import re

from workbook_tools.catalogue import Entry
from workbook_tools.findings import Finding, finding


class WorkbookToolsError(Exception):
    """Base class: an error whose message is meant for the user."""


_LINE_RE = re.compile(r"dòng (\d+)")


class Collector:
    """Gathers the problems of one input file, so that all of them reach the user together.

    Form definitions and unit lists both report through it; each problem is a
    :class:`~workbook_tools.findings.Finding` made from its catalogue entry (never a bare
    code), with the file, a human place and how to fix it.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Finding] = []

    def add(self, kind: Entry, where: str, message: str, fix: str) -> None:
        self.problems.append(finding(kind, message, file=self.file, where=where, fix=fix))

    def in_file_order(self) -> list[Finding]:
        """Problems sorted by the row their place names ("dòng 7, …"; others first), so they
        can be fixed top down; the sort is stable, so each row keeps its check order."""

        def line(problem: Finding) -> int:
            match = _LINE_RE.match(problem.where)
            return int(match.group(1)) if match else 0

        return sorted(self.problems, key=line)


class ProblemsError(WorkbookToolsError):
    """An input file with one or more problems (findings, all errors); all of them are listed,
    each as ``file: place: message Cách sửa: fix``."""

    heading = "Tệp có lỗi"

    def __init__(self, problems: list[Finding]) -> None:
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
