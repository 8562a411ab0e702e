"""The consolidated workbook: the form's own sheets filled with the totals, plus the detail.

The first sheets are exactly those of a unit's workbook, filled with the totals of
the period (with the indicator codes as defined names and correct cached values),
so the consolidated workbook can itself be collected one level up (xã → tỉnh →
trung ương). After them: per unit (live SUM formulas in the total row, rates
recomputed by formula from the summed parts) and subtotals by khối and by parent
(:mod:`totals_sheets`); submission status, all Dân vận khéo models, the units'
narrative texts, all findings, the provenance of every figure and where each code
sits, the comparison with another period, totals then per unit (:mod:`table_sheets`,
each a declared :class:`~workbook_tools.writer.tables.TableSheet`); and native
charts (:mod:`charts`).

Every sheet prints on A4 (:mod:`workbook_tools.writer.printing`); the form's
sheets the Sở does not print are hidden (:data:`NOT_PRINTED`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_tools import output
from workbook_tools.bulk import collector_paused
from workbook_tools.contract.compiled import layout_for
from workbook_tools.contract.layout import SHEET_GUIDE
from workbook_tools.contract.request import Request
from workbook_tools.merge.charts import charts_sheet
from workbook_tools.merge.consolidate import Consolidation
from workbook_tools.merge.narrative import narrative_values
from workbook_tools.merge.table_sheets import (
    comparison_sheet,
    findings_sheet,
    models_sheet,
    positions_sheet,
    provenance_sheet,
    status_sheet,
    texts_sheet,
    unit_changes_sheet,
)
from workbook_tools.merge.totals_sheets import per_unit_sheet, subtotals_sheet
from workbook_tools.units import Unit
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.writer import Filling, workbook_bytes

# The form's sheets the Sở neither reads nor prints in its consolidated workbook: the units'
# filling instructions. Hidden sheets are still read one level up.
NOT_PRINTED = (SHEET_GUIDE,)


@dataclass(frozen=True)
class Signer:
    """Who prepares and signs the consolidated return (the unit sheet of the form)."""

    preparer: str = "Phòng Xây dựng chính quyền"
    phone: str = ""
    email: str = ""
    mode: str = "KT."
    head_title: str = "GIÁM ĐỐC"
    signer_title: str = "PHÓ GIÁM ĐỐC"
    signer: str = ""

    def values(self) -> dict[str, str | None]:
        """The unit-sheet inputs these stand for (what the report's signature block reads)."""
        return {
            "nguoi_lap_bieu": self.preparer or None,
            "dien_thoai": self.phone or None,
            "email_lien_he": self.email or None,
            "hinh_thuc_ky": self.mode or None,
            "chuc_danh_thu_truong": self.head_title or None,
            "chuc_vu_nguoi_ky": self.signer_title or None,
            "nguoi_ky": self.signer or None,
        }


def consolidated_filling(c: Consolidation, signer: Signer) -> Filling:
    form = c.form
    values: dict[str, Any] = dict(narrative_values(c))  # a draft the Sở edits in Excel
    for ind in form.indicators:
        if ind.computed:
            continue
        if ind.kind.numeric:
            values[ind.code] = c.totals.get(ind.code)
    values.update(signer.values())
    values = {k: v for k, v in values.items() if k in form.by_code}
    table: dict[tuple[str, int, str], Any] = {}
    for t in form.tables:
        for i, (unit, row) in enumerate(
            [m for m in c.models() if m[1].table == t.code][: t.max_rows], start=1
        ):
            for col in t.columns:
                value = row.values.get(col.code)
                if col.code == "don_vi_thuc_hien" and not value:
                    value = unit.unit_name
                table[(t.code, i, col.code)] = value
    return Filling(values, table)


def write_consolidated(
    c: Consolidation, path: str | Path, request: Request, agency: Unit, signer: Signer | None = None
) -> Path:
    """Write the consolidated workbook of ``c`` for ``agency`` (the consolidating unit)."""
    with collector_paused():
        data = workbook_bytes(
            request, agency, layout_for(c.form), filling=consolidated_filling(c, signer or Signer()),
            extra=lambda ctx: _detail_sheets(ctx, c), hidden=NOT_PRINTED,
        )  # fmt: skip
    return output.write_bytes(path, data)


def _detail_sheets(ctx: SheetContext, c: Consolidation) -> list[Any]:
    per_unit, columns = per_unit_sheet(ctx, c)
    sheets = [
        per_unit,
        subtotals_sheet(ctx, c),
        status_sheet(ctx, c),
        models_sheet(ctx, c),
        texts_sheet(ctx, c),
        findings_sheet(ctx, c),
        provenance_sheet(ctx, c),
        positions_sheet(ctx, c),
    ]
    if c.compare is not None:
        sheets += [comparison_sheet(ctx, c, c.compare), unit_changes_sheet(ctx, c, c.compare)]
    sheets.append(charts_sheet(ctx, c, columns))
    return sheets
