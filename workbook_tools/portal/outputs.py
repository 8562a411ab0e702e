"""The Sở's outputs built from the portal: the consolidated workbook, the report, the follow-up list.

The same library calls as ``merge``, ``report`` and ``status --xlsx``, with their
default wording, written under ``<db folder>/portal/outputs/<period>/`` with fixed names.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.merge import consolidate
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.periods import Period
from workbook_tools.portal.intake import portal_dir
from workbook_tools.registry import SubmissionStore, status_report, write_status_xlsx
from workbook_tools.report import Frame, consolidated_report
from workbook_tools.report.frame import named_unit, unit_issuer
from workbook_tools.text import slug
from workbook_tools.units import Unit, UnitRegistry

OUTPUTS: dict[str, str] = {
    "tong-hop": "Bản tổng hợp (Excel)",
    "bao-cao": "Báo cáo tổng hợp (Word)",
    "theo-doi": "Danh sách theo dõi nộp báo cáo (Excel)",
}
_SUFFIX = {"tong-hop": ".xlsx", "bao-cao": ".docx", "theo-doi": ".xlsx"}

AGENCY = Unit("SNV", "Sở Nội vụ", "Cơ quan tổng hợp")
ABOVE = "UBND tỉnh"
RECIPIENTS = ("UBND tỉnh (b/c)", "Ban Dân vận Tỉnh ủy", "Bộ Nội vụ", "Lãnh đạo Sở")
"""The consolidated report's Nơi nhận, as ``report`` writes it by default."""


def output_file(db_path: str | os.PathLike[str], period: Period, kind: str) -> Path:
    """Where output ``kind`` (a key of :data:`OUTPUTS`) of ``period`` is written."""
    name = f"{kind}_{slug(period.code)}{_SUFFIX[kind]}"
    return portal_dir(db_path) / "outputs" / slug(period.code) / name


def build_outputs(
    db_path: str | os.PathLike[str], form: Form, period: Period, registry: UnitRegistry | None
) -> dict[str, Path]:
    """Build every output of :data:`OUTPUTS` from the registry's accepted files."""
    with SubmissionStore.open(db_path) as store:
        result = consolidate(store, form, period, registry)
        tracking = status_report(store, form.id, period, registry)
    written = {
        "tong-hop": write_consolidated(
            result,
            output_file(db_path, period, "tong-hop"),
            Request(form, period, issuer=ABOVE),
            AGENCY,
            Signer(),
        ),
        "bao-cao": consolidated_report(
            result,
            Frame(unit_issuer(named_unit(AGENCY.name, registry or ())), recipients=RECIPIENTS),
            Signer().values(),
            output_file(db_path, period, "bao-cao"),
        ),
        "theo-doi": write_status_xlsx(tracking, output_file(db_path, period, "theo-doi")),
    }
    return written
