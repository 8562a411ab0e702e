"""Narrative Word reports in the format of Nghị định 30/2020: a unit's own, and the consolidated one."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form import Form
from workbook_tools.merge import Consolidation
from workbook_tools.periods import Period
from workbook_tools.registry import SubmissionStore
from workbook_tools.report.context import Frame, consolidated_context, unit_context
from workbook_tools.report.render import render, to_pdf

__all__ = ["Frame", "consolidated_report", "render", "to_pdf", "unit_report"]


def unit_report(
    store: SubmissionStore,
    form: Form,
    period: Period,
    unit_code: str,
    frame: Frame,
    out: Path,
    template: Path | None = None,
    compare: Period | None = None,
) -> Path:
    """A unit's report from its current accepted submission for ``period``."""
    current = [
        s
        for s in store.current(form.id, period.code)
        if s.unit_code.casefold() == unit_code.casefold()
    ]
    if not current:
        raise WorkbookToolsError(
            f"Đơn vị {unit_code} chưa có báo cáo hợp lệ kỳ {period.label} trong cơ sở dữ liệu. "
            "Hãy thu nhận tệp của đơn vị (workbook-tools collect) và sửa các lỗi trước."
        )
    sub = current[0]
    previous = None
    if compare is not None:
        before = [
            s
            for s in store.current(form.id, compare.code)
            if s.unit_code.casefold() == unit_code.casefold()
        ]
        previous = store.values(before[0].id) if before else None
    values = store.values(sub.id)
    rows = [r.values for r in store.rows(sub.id)]
    context = unit_context(sub.unit_name, period.label, values, rows, frame, previous)
    return render(context, out, template)


def consolidated_report(
    consolidation: Consolidation,
    frame: Frame,
    signer: Mapping[str, Any],
    out: Path,
    template: Path | None = None,
) -> Path:
    """The receiving agency's report over every accepted submission, with its appendix and chart."""
    with tempfile.TemporaryDirectory(prefix="wbt-chart-") as folder:
        context = consolidated_context(consolidation, frame, signer, Path(folder))
        return render(context, out, template)
