"""Checks of returned workbooks: every value and rule again, as findings."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.checks.validate import Expectation, Submission, TableRow, check_read
from workbook_tools.contract.compiled import compiled
from workbook_tools.reader.safety import Limits
from workbook_tools.reader.workbook import read_file


def check_file(
    path: str | Path,
    expect: Expectation,
    limits: Limits | None = None,
    data: bytes | None = None,
) -> Submission:
    """Read and check one received file; bad content becomes findings, never an exception.

    ``data``: the file's bytes, when the caller has read them (see :func:`read_file`).
    """
    path = Path(path)
    known = {expect.form.fingerprint: compiled(expect.form).code_map}
    return check_read(read_file(path, limits, known, data), path, expect)


__all__ = ["Expectation", "Submission", "TableRow", "check_file"]
