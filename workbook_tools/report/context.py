"""The data a report template is filled with: the frame of the document and its content."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workbook_tools.merge import Consolidation, UnitFigures
from workbook_tools.periods import Period
from workbook_tools.report.chart import bar_chart, lowest_rates
from workbook_tools.report.content import Model, ReportFacts, completeness_sentences, sections
from workbook_tools.report.frame import Frame, basis, reported, title, topic_of
from workbook_tools.report.vietnamese import date_line, document_number, number, percent

CHART_MAX_UNITS = 60


def _frame_context(
    frame: Frame, period: Period, topic: str, *, consolidated: bool = False
) -> dict[str, Any]:
    """The header, title, opening, closing and Nơi nhận of a report."""
    issuer = frame.who
    opening = frame.basis or basis(frame.citation)
    if not opening:
        opening = f"Thực hiện yêu cầu của {frame.recipient} về báo cáo {topic}"
    verb = "tổng hợp, báo cáo" if consolidated else "báo cáo"
    what = reported(topic, period)
    closing = "xem xét, chỉ đạo" if consolidated else "tổng hợp"
    return {
        "co_quan_chu_quan": issuer.above,
        "co_quan_ban_hanh": " ".join(issuer.header),
        "co_quan_ban_hanh_dong": list(issuer.header),
        "co_quan_ban_hanh_thuong": issuer.name,
        "so_van_ban": document_number(frame.number, issuer.symbol),
        "dia_danh_ngay": date_line(
            issuer.place, frame.day, frame.day.year if frame.day else frame.year
        ),
        "trich_yeu": title(topic, period),
        "mo_dau": f"{opening}, {issuer.name} {verb} {what}, như sau:",
        "ket_thuc": f"Trên đây là báo cáo {what.split(', phương hướng')[0]} của {issuer.name}, "
        f"kính gửi {frame.recipient} {closing}./.",
        "noi_nhan": frame.places,
    }


def signature(values: Mapping[str, Any], head_title: str = "") -> dict[str, str]:
    """The signature block from the signer inputs; the head's title from the unit list
    when the workbook leaves it blank."""
    mode = values.get("hinh_thuc_ky") or ""
    head = str(values.get("chuc_danh_thu_truong") or head_title).upper()
    title_ = str(values.get("chuc_vu_nguoi_ky") or "").upper()
    if mode in ("", "Thủ trưởng ký"):
        return {
            "quyen_han": title_ or head,
            "chuc_vu": "",
            "nguoi_ky": str(values.get("nguoi_ky") or ""),
        }
    return {
        "quyen_han": f"{mode} {head}".strip(),
        "chuc_vu": title_,
        "nguoi_ky": str(values.get("nguoi_ky") or ""),
    }


def unit_context(
    unit_name: str,
    period: Period,
    values: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    frame: Frame,
    previous: Mapping[str, Any] | None = None,
    *,
    topic: str,
) -> dict[str, Any]:
    """A unit's own report, from its accepted submission; ``topic`` is the form's subject
    in a sentence (:func:`workbook_tools.report.frame.topic_of`)."""
    texts = {
        code: [(unit_name, str(values[code]))]
        for code in values
        if code.startswith("nd_") and values[code]
    }
    facts = ReportFacts(
        subject=unit_name,
        period_label=period.label,
        values=values,
        texts=texts,
        models=[Model(unit_name, row) for row in rows],
        previous=previous,
    )
    return {
        **_frame_context(frame, period, topic),
        **signature(values, frame.who.head_title),
        "sections": [s.as_dict() for s in sections(facts)],
        "phu_luc": [],
        "phu_luc_tieu_de": "",
        "bieu_do": "",
    }


def consolidated_context(
    c: Consolidation,
    frame: Frame,
    signer: Mapping[str, Any],
    chart_dir: Path | None = None,
    assessment: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The receiving agency's consolidated report, with the per-unit appendix and a chart.

    ``assessment``: the agency's own texts by narrative code (from the consolidated
    workbook it edited, see :func:`workbook_tools.report.assessment.read_assessment`);
    they replace the units' texts under their headings, whole and line by line.
    """
    done = c.completeness
    completeness = completeness_sentences(
        done.expected,
        done.accepted,
        list(done.late_units),
        list(done.missing_units),
        list(done.rejected_units),
    )
    if c.built_from_years:
        incomplete = [
            f"{u.unit_name} (thiếu năm {', '.join(map(str, u.missing_years))})"
            for u in c.units
            if u.missing_years
        ]
        if incomplete:
            completeness.append(
                "Số liệu giai đoạn được tổng hợp từ báo cáo năm; còn thiếu: "
                + "; ".join(incomplete[:12])
                + "."
            )
    rejected_files = sorted({(unit, name) for unit, name, f in c.findings if f.is_error})
    quality = []
    if rejected_files:
        quality.append(
            f"Qua kiểm tra tự động, {len(rejected_files)} tệp báo cáo có lỗi (số liệu không khớp, ô bắt buộc còn "
            "trống, chữ trong ô số…) đã được trả lại kèm chỉ dẫn sửa; chỉ số liệu của tệp hợp lệ được tổng hợp."
        )
    texts = {ind.code: c.texts(ind.code) for ind in c.form.indicators if ind.code.startswith("nd_")}
    own = dict(assessment or {})
    texts.update({code: [(frame.who.name, text)] if text else [] for code, text in own.items()})
    facts = ReportFacts(
        subject="các cơ quan, đơn vị",
        period_label=c.period.label,
        values=c.totals,
        texts=texts,
        models=[Model(u.unit_name, row.values) for u, row in c.models()],
        previous=c.compare.totals if c.compare is not None else None,
        previous_label=c.compare.period.label if c.compare is not None else "cùng kỳ",
        consolidated=True,
        completeness=completeness,
        quality=quality,
        own=frozenset(own),
    )
    states = {u.unit_code: u.state_text for u in c.status.units} if c.status is not None else {}
    appendix = [
        _appendix_row(k, u, states.get(u.unit_code, "Có số liệu"))
        for k, u in enumerate(c.units, start=1)
    ]
    chart = chart_image(c, chart_dir) if chart_dir is not None else None
    context = {
        **_frame_context(frame, c.period, topic_of(c.form.title), consolidated=True),
        **signature(signer, frame.who.head_title),
        "sections": [s.as_dict() for s in sections(facts)],
        "phu_luc": appendix,
        "phu_luc_tieu_de": f"Kết quả giải quyết hồ sơ thủ tục hành chính theo đơn vị, {c.period.label}",
        "bieu_do": str(chart) if chart else "",
    }
    return context


def _appendix_row(k: int, unit: UnitFigures, state: str) -> dict[str, str]:
    v = unit.values
    done = [v.get("hs_truoc_han"), v.get("hs_dung_han")]
    on_time = None if any(x is None for x in done) else sum(x for x in done if x is not None)
    return {
        "stt": str(k),
        "don_vi": unit.unit_name,
        "nhan": number(v.get("hs_nhan_giai_quyet")),
        "da_giai_quyet": number(v.get("hs_da_giai_quyet")),
        "dung_han": number(on_time),
        "ty_le": percent(v.get("ty_le_dung_han")).removesuffix("%"),
        "tinh_trang": state,
    }


def chart_image(c: Consolidation, folder: Path) -> Path | None:
    """A bar chart of on-time rates by unit (the lowest, when there are many units)."""
    rates = [(u.unit_name, u.values.get("ty_le_dung_han")) for u in c.units]
    shown, note = lowest_rates(
        [(n, r * 100) for n, r in rates if isinstance(r, (int, float))], CHART_MAX_UNITS
    )
    if not shown:
        return None
    title = "Tỷ lệ giải quyết hồ sơ trước hạn và đúng hạn theo đơn vị" + (
        f" ({note})" if note else ""
    )
    bars = shown[::-1]  # drawn bottom to top: the lowest at the top
    low = min(value for _, value in bars)
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".png", dir=folder)
    os.close(handle)
    # the axis starts as far below the lowest rate as that rate is below 100 %: the
    # differences between units are seen, and a bar's length still compares with 100 %
    return bar_chart(bars, title, max(0, min(99, math.floor(2 * low - 100))), 100, Path(name))
