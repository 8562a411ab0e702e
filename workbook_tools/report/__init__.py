"""Narrative Word reports in the format of Nghị định 30/2020: a unit's own, and the consolidated one."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbook_tools.contract.request import Citation, from_meta
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form import Form
from workbook_tools.merge import Consolidation, require_data
from workbook_tools.periods import Period
from workbook_tools.reader import read_file
from workbook_tools.registry import StoredSubmission, SubmissionStore
from workbook_tools.report.context import consolidated_context, unit_context
from workbook_tools.report.frame import Frame, Issuer, topic_of, unit_issuer
from workbook_tools.report.render import render, to_pdf
from workbook_tools.units import Unit

__all__ = ["Citation", "Frame", "Issuer", "consolidated_report", "render", "to_pdf", "unit_report"]


def _current_return(
    store: SubmissionStore, form: Form, period: Period, unit_code: str
) -> StoredSubmission | None:
    """The unit's return a merge of ``period`` uses, if it has one."""
    wanted = unit_code.casefold()
    found = (s for s in store.current(form.id, period.code) if s.unit_code.casefold() == wanted)
    return next(found, None)


def unit_report(
    store: SubmissionStore,
    form: Form,
    period: Period,
    unit: Unit,
    frame: Frame,
    out: Path,
    template: Path | None = None,
    compare: Period | None = None,
) -> Path:
    """A unit's report from its current accepted submission for ``period``.

    The header comes from ``unit`` (its unit-list entry; a blank name is taken from
    the submission) unless ``frame`` names an issuer; the opening cites the plan and
    request letter stored in the unit's workbook unless ``frame`` gives its own.
    """
    unit_code = unit.code
    sub = _current_return(store, form, period, unit_code)
    if sub is None:
        raise WorkbookToolsError(
            f"Đơn vị {unit_code} chưa có báo cáo hợp lệ kỳ {period.label} trong cơ sở dữ liệu. "
            "Hãy thu nhận tệp của đơn vị (workbook-tools collect) và sửa các lỗi trước."
        )
    previous = None
    if compare is not None:
        before = _current_return(store, form, compare, unit_code)
        if before is None:
            raise WorkbookToolsError(
                f"Đơn vị {unit_code} chưa có báo cáo hợp lệ kỳ so sánh {compare.label} "
                f"({compare.code}) trong cơ sở dữ liệu, nên không so sánh được. Hãy bỏ "
                "--compare, chọn kỳ khác hoặc thu nhận tệp của kỳ đó trước."
            )
        previous = store.values(before.id)
    if frame.issuer is None:
        named = unit if unit.name else replace(unit, name=sub.unit_name)
        frame = replace(frame, issuer=unit_issuer(named, frame.province))
    if frame.citation.empty and not frame.basis:
        frame = replace(frame, citation=stored_citation(store, sub))
    values = store.values(sub.id)
    rows = [r.values for r in store.rows(sub.id)]
    context = unit_context(
        frame.who.name, period, values, rows, frame, previous, form=form, topic=topic_of(form.title)
    )
    return render(context, out, template)


def stored_citation(store: SubmissionStore, sub: StoredSubmission) -> Citation:
    """The plan and request letter the unit's workbook carries (its archived copy, read
    through the reader); empty when there is no copy or the workbook predates them."""
    path = store.archive_file(sub)
    if path is None or not path.is_file():
        return Citation()
    result = read_file(path)
    return from_meta(result.workbook.meta) if result.workbook is not None else Citation()


def consolidated_report(
    consolidation: Consolidation,
    frame: Frame,
    signer: Mapping[str, Any],
    out: Path,
    template: Path | None = None,
    assessment: Mapping[str, str] | None = None,
) -> Path:
    """The receiving agency's report over every accepted submission, with its appendix and
    chart; ``assessment``: its own texts, from the consolidated workbook it edited.

    Refused (:func:`require_data`) when the period, or the compared one, has no accepted file.
    """
    require_data(consolidation)
    with tempfile.TemporaryDirectory(prefix="wbt-chart-") as folder:
        context = consolidated_context(consolidation, frame, signer, Path(folder), assessment)
        return render(context, out, template)
