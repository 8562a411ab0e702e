"""The hidden metadata sheets' format: what a workbook is, and where each of its values is.

A reader identifies a returned file by ``_meta`` (a few key–value rows) and finds
every value through the code map in ``_map``, cell by cell, so it needs neither
defined names (which some readers cannot see) nor the layout of the current form
version. The map is a sheet of its own so that a reader which already knows the
form (same fingerprint: the same map) need not parse its few hundred rows again
for every file. Format 1 (before 0.2) kept the map in ``_meta`` below a
``code_map`` row; readers still accept it. A third hidden sheet, ``_lists``,
holds the choices the dropdowns offer (one column per field); readers ignore it.

This module is the format both sides agree on (the writer writes it with
:mod:`workbook_tools.writer.meta`, the reader reads it in
:mod:`workbook_tools.reader.workbook`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools import __version__
from workbook_tools.contract.layout import Layout
from workbook_tools.contract.request import Request
from workbook_tools.units import Unit

MARKER = "workbook_tools_meta"
META_FORMAT = 2
CODE_MAP_HEADER = ("code", "sheet", "cell", "kind", "role", "table", "row", "column")


@dataclass(frozen=True)
class CodeMapEntry:
    code: str
    sheet: str
    cell: str
    kind: str
    role: str  # input | computed | table
    table: str = ""
    row: int | None = None
    column: str = ""


def meta_pairs(layout: Layout, request: Request, unit: Unit) -> list[tuple[str, str]]:
    form = layout.form
    period = request.period
    return [
        ("form_id", form.id),
        ("form_version", str(form.version)),
        ("fingerprint", form.fingerprint),
        ("unit_code", unit.code),
        ("unit_name", unit.name),
        ("unit_group", unit.group),
        ("period", period.code),
        ("period_label", period.label),
        ("cutoff_start", period.cutoff_start.isoformat()),
        ("cutoff_end", period.cutoff_end.isoformat()),
        ("deadline", request.deadline.isoformat() if request.deadline else ""),
        ("issuer", request.issuer),
        ("generated_at", request.generated_at.isoformat()),
        ("tool_version", __version__),
        *request.citation.meta_pairs(),
    ]


def code_map(layout: Layout) -> list[CodeMapEntry]:
    entries = [
        CodeMapEntry(ind.code, cell.sheet, cell.a1, ind.kind.value, ind.role)
        for ind in layout.form.indicators
        for cell in (layout.cell(ind.code),)
    ]
    for table in layout.form.tables:
        for i in range(1, table.max_rows + 1):
            for col in table.columns:
                cell = layout.table_cells[(table.code, i, col.code)]
                entries.append(
                    CodeMapEntry(
                        f"{table.code}[{i}].{col.code}",
                        cell.sheet,
                        cell.a1,
                        col.kind.value,
                        "table",
                        table.code,
                        i,
                        col.code,
                    )
                )
    return entries
