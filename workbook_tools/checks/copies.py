"""Copies: another unit's figures or file sent as one's own.

A unit that fills in a neighbour's workbook, or copies a neighbour's figures into
its own, sends a file every rule accepts. What gives it away: the figures equal
another unit's for the same period (many non-zero inputs equal by chance do not
happen), or the file's name points to another unit than the one in the workbook.
Warnings: the Sở calls the unit, it does not reject the file unheard.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbook_tools.catalogue import QUALITY_COPY_FILE, QUALITY_COPY_INPUTS, QUALITY_UNIT_FILE_NAME
from workbook_tools.checks.attribute import attribute
from workbook_tools.contract.layout import SHEET_UNIT
from workbook_tools.errors import PeriodError
from workbook_tools.findings import Finding, finding
from workbook_tools.periods import Period, parse_period
from workbook_tools.units import UnitRegistry

MIN_NON_ZERO = 5
"""Inputs equal to another unit's mean a copy only with at least this many non-zero figures."""


def same_inputs_finding(others: Sequence[tuple[str, str]]) -> Finding:
    """The return's figures equal those of ``others`` ((code, name) of each other unit)."""
    names = ", ".join(f"{name} ({code})" for code, name in others)
    return finding(
        QUALITY_COPY_INPUTS,
        f"Toàn bộ số liệu của biểu mẫu trùng hệt số liệu của {names} cùng kỳ. Có thể đã chép "
        "nhầm tệp hoặc số liệu của đơn vị khác: hãy kiểm tra và gửi lại số liệu của chính đơn vị.",
        sheet=SHEET_UNIT,
    )


def same_file_finding(file_name: str, owner: str, named_for: str = "") -> Finding:
    """The file's bytes equal a file received from ``owner`` (a unit or an earlier file).

    ``named_for``: the unit the file's name points to, when it says so.
    """
    named = f"mang tên biểu mẫu của {named_for} nhưng " if named_for else ""
    return finding(
        QUALITY_COPY_FILE,
        f"Tệp “{file_name}” {named}giống hệt từng byte tệp đã nhận của {owner}. Hai đơn vị "
        "không thể gửi cùng một tệp: hãy xác định tệp này của đơn vị nào.",
    )


def named_unit(path: Path, registry: UnitRegistry, period: str) -> str | None:
    """The unit code the file's name points to (:func:`attribute`: unambiguous names only)."""
    try:
        expected: Period | None = parse_period(period)
    except PeriodError:
        expected = None
    found = attribute(path, registry, expected)
    return None if found is None else found.unit.code


def file_name_finding(path: Path, pointed_code: str, pointed_name: str, own: str) -> Finding:
    return finding(
        QUALITY_UNIT_FILE_NAME,
        f"Tên tệp “{path.name}” là tên biểu mẫu của {pointed_name} ({pointed_code}), nhưng trong "
        f"biểu mẫu ghi đơn vị {own}. Có thể đơn vị đã nhập số liệu vào biểu mẫu của đơn vị "
        "khác (hoặc gửi nhầm tệp): hãy kiểm tra đơn vị nào gửi tệp này.",
        sheet=SHEET_UNIT,
    )


def same_file_findings(subs: Sequence[tuple[str, str, str, str]]) -> dict[int, Finding]:
    """Files of one batch with the same bytes sent under different names.

    ``subs``: (sha256, file name, unit its name points to or "", unit in the
    workbook) per file. Index → the warning, for every file after the first of
    each set whose name points to another unit than the first's (a unit sending
    its file twice, "bao-cao.xlsx" and "bao-cao (1).xlsx", is no copy).
    """
    first: dict[str, int] = {}
    found: dict[int, Finding] = {}
    for i, (sha, name, pointed, _) in enumerate(subs):
        if not sha:
            continue
        if sha not in first:
            first[sha] = i
            continue
        _, other_name, other_pointed, _ = subs[first[sha]]
        if pointed and other_pointed and pointed.casefold() != other_pointed.casefold():
            found[i] = same_file_finding(name, f"{other_pointed} (tệp “{other_name}”)")
    return found
