"""Checks of returned workbooks: every value and rule again, as findings."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.checks.validate import Expectation, Submission, TableRow, check_read
from workbook_tools.contract.layout import layout_for
from workbook_tools.contract.meta import CodeMapEntry, code_map
from workbook_tools.form.model import Form
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
    known = {expect.form.fingerprint: form_code_map(expect.form)}
    return check_read(read_file(path, limits, known, data), path, expect)


_CODE_MAPS: dict[str, list[CodeMapEntry]] = {}


def form_code_map(form: Form) -> list[CodeMapEntry]:
    """The code map every workbook of ``form`` carries (computed once per form version)."""
    if form.fingerprint not in _CODE_MAPS:
        _CODE_MAPS[form.fingerprint] = code_map(layout_for(form))
    return _CODE_MAPS[form.fingerprint]


__all__ = ["Expectation", "Submission", "TableRow", "check_file"]
