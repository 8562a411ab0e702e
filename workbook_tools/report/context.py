"""The data a report template is filled with: the frame of the document and its content."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form.model import Form, Kind
from workbook_tools.merge import Consolidation, QualityCounts, UnitFigures
from workbook_tools.periods import Period
from workbook_tools.report.chart import bar_chart, lowest_rates
from workbook_tools.report.content import (
    Block,
    Subject,
    appendix_blocks,
    blank_counts,
    completeness_sentences,
    figures,
    paragraphs_of,
    render_outline,
)
from workbook_tools.report.frame import Frame, basis, reported, title, topic_of
from workbook_tools.report.vietnamese import date_line, document_number, number, percent

CHART_MAX_UNITS = 60
APPENDIX_TEXTS = "Phụ lục II"


def quality_sentence(counts: QualityCounts) -> str:
    """The data-quality paragraph's count of warnings the Sở reviewed ("" when none)."""
    if not counts.total:
        return ""
    parts = [
        f"{n} {what}"
        for n, what in (
            (counts.unusual, "số liệu khác thường so với các kỳ trước hoặc các đơn vị cùng khối"),
            (counts.copies, "trường hợp trùng số liệu, trùng tệp hoặc tên tệp của đơn vị khác"),
            (counts.narrative, "chỗ phần thuyết minh không khớp (ngày, năm, tỷ lệ, số liệu)"),
        )
        if n
    ]
    return (
        f"Kiểm tra chất lượng số liệu ghi nhận {counts.total} cảnh báo ở {counts.units} đơn vị: "
        + "; ".join(parts)
        + "; các đơn vị đã được đề nghị xem lại."
    )


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


def sections(blocks: list[Block]) -> list[dict[str, Any]]:
    """The template's body: level-1 headings, each with its own paragraphs and the headings below.

    ``[{"title", "subsections": [{"title", "level", "paragraphs"}]}]``; a level-1
    heading's own paragraphs come first, untitled; a level-2 title is "1. …" (bold),
    a level-3 title "a) …" (plain).
    """
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block.level == 1 or not out:
            out.append({"title": block.title, "subsections": []})
            if block.paragraphs:
                out[-1]["subsections"].append(
                    {"title": "", "level": 2, "paragraphs": block.paragraphs}
                )
        else:
            out[-1]["subsections"].append(block.as_dict())
    return out


def outline_blocks(
    form: Form,
    subject: Subject,
    values: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]] = (),
    previous: Mapping[str, Any] | None = None,
    against: str = "cùng kỳ",
    texts: Mapping[str, Sequence[str]] | None = None,
    by_unit: Sequence[tuple[str, Mapping[str, Any]]] = (),
) -> list[Block]:
    """The form's outline over ``values``; a form without an outline has no report.

    ``texts``: the paragraphs of each narrative code; by default the values' own texts
    (a unit's report).
    """
    if form.outline is None:
        raise WorkbookToolsError(
            f"Biểu mẫu {form.id} chưa có dàn ý báo cáo (khóa 'outline:'), nên chưa viết được "
            "báo cáo. Hãy thêm dàn ý (đề mục, câu, ô thuyết minh) vào định nghĩa biểu mẫu, "
            "như khóa 'outline:' của templates/xlsx/dvcq.yaml."
        )
    if texts is None:
        texts = {
            ind.code: paragraphs_of(str(values.get(ind.code) or ""))
            for ind in form.indicators
            if ind.kind is Kind.LONG_TEXT
        }
    tables = {t.code: [dict(r) for r in rows] for t in form.tables[:1]}
    shown = figures(form, values, previous, against, by_unit)
    return render_outline(form.outline, subject, shown, texts, tables)


def unit_context(
    unit_name: str,
    period: Period,
    values: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    frame: Frame,
    previous: Mapping[str, Any] | None = None,
    *,
    form: Form,
    topic: str | None = None,
) -> dict[str, Any]:
    """A unit's own report, from its accepted submission: ``form``'s outline over its values.

    ``topic`` is the form's subject in a sentence (default
    :func:`workbook_tools.report.frame.topic_of` the form's title).
    """
    blocks = outline_blocks(form, Subject(unit_name, period), values, rows, previous)
    return {
        **_frame_context(frame, period, topic or topic_of(form.title)),
        **signature(values, frame.who.head_title),
        "sections": sections(blocks),
        **appendices([], []),
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

    Under each heading: the sentences from the totals, then the narrative.
    ``assessment``: the agency's own texts by narrative code (from the consolidated
    workbook it edited, see :func:`workbook_tools.report.assessment.read_assessment`);
    they are the narrative under their headings, whole and line by line. The body holds
    no unit's text: with or without the agency's assessment, every unit's texts go whole
    into the appendix "Phụ lục II", grouped by khối, then by unit, under the heading each
    belongs to: nothing is cut, no unit left out.
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
    quality += blank_counts(c.form, [u.values for u in c.units])
    review = quality_sentence(c.quality)
    if review:
        quality.append(review)
    blocks = outline_blocks(
        c.form,
        Subject("các cơ quan, đơn vị", c.period, consolidated=True),
        c.totals,
        previous=c.compare.totals if c.compare is not None else None,
        against=c.compare.period.label if c.compare is not None else "cùng kỳ",
        texts={}
        if assessment is None
        else {code: paragraphs_of(text) for code, text in assessment.items()},
        by_unit=[(u.unit_name, u.values) for u in c.units],
    )
    texts = unit_texts(c)
    if texts:
        quality.append(f"Nội dung thuyết minh của từng đơn vị tại {APPENDIX_TEXTS} kèm theo.")
    if blocks and blocks[0].level == 1:
        blocks[0].paragraphs[:0] = completeness + quality
    states = {u.unit_code: u.state_text for u in c.status.units} if c.status is not None else {}
    appendix = [
        _appendix_row(k, u, states.get(u.unit_code, "Có số liệu"))
        for k, u in enumerate(c.units, start=1)
    ]
    chart = chart_image(c, chart_dir) if chart_dir is not None else None
    context = {
        **_frame_context(frame, c.period, topic_of(c.form.title), consolidated=True),
        **signature(signer, frame.who.head_title),
        "sections": sections(blocks),
        **appendices(appendix, texts),
        "phu_luc_tieu_de": f"Kết quả giải quyết hồ sơ thủ tục hành chính theo đơn vị, {c.period.label}",
        "bieu_do": str(chart) if chart else "",
    }
    return context


def unit_texts(c: Consolidation) -> list[dict[str, Any]]:
    """The units' texts for the appendix, whole and grouped by khối (see :func:`appendix_blocks`)."""
    if c.form.outline is None:
        return []
    units = [(u.group, u.unit_name, u.values) for u in c.units]
    return sections(appendix_blocks(c.form.outline, units))


def appendices(table: list[dict[str, str]], texts: list[dict[str, Any]]) -> dict[str, Any]:
    """The appendices after the signature: the figures by unit, then the units' texts,
    numbered "PHỤ LỤC I", "PHỤ LỤC II" when both are there."""
    both = bool(table) and bool(texts)
    return {
        "phu_luc": table,
        "phu_luc_so": "PHỤ LỤC I" if both else "PHỤ LỤC",
        "thuyet_minh": texts,
        "thuyet_minh_so": APPENDIX_TEXTS.upper() if both else "PHỤ LỤC",
        "thuyet_minh_tieu_de": "Nội dung thuyết minh của các cơ quan, đơn vị",
    }


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
