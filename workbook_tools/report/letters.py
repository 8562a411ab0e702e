"""The Sở's two letters of each reporting cycle, as công văn of Nghị định 30/2020.

The request letter (công văn đề nghị báo cáo) goes out with the workbooks at generate
time: V/v, Kính gửi the units or their groups, the forms attached, the cut-off dates,
the deadline and the contact. The reminder (công văn đôn đốc) lists the units without
a valid return, from the registry's status. Both are rendered from the template
``cong-van.docx`` through the same machinery as the reports (:mod:`render`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from workbook_tools.contract.request import Citation
from workbook_tools.form import Form
from workbook_tools.merge.workbook import Signer
from workbook_tools.periods import Period, format_date_short
from workbook_tools.registry import StatusReport, UnitStatus
from workbook_tools.report.context import signature
from workbook_tools.report.frame import (
    Issuer,
    basis,
    cited_date,
    letter_reference,
    named_unit,
    reported,
    topic_of,
    unit_issuer,
)
from workbook_tools.report.render import render
from workbook_tools.report.vietnamese import date_line
from workbook_tools.resources import docx_templates_dir
from workbook_tools.text import slug
from workbook_tools.units import Unit, UnitRegistry

LETTER_TEMPLATE = "cong-van.docx"
NAMED_ADDRESSEES = 5
"""Up to this many units are named in "Kính gửi:"; more are addressed by their khối."""


@dataclass(frozen=True)
class Letter:
    """What both letters share: who sends it, what it is about, to whom it is copied.

    ``signer``: the signature inputs (see :class:`workbook_tools.merge.workbook.Signer`).
    """

    issuer: Issuer
    period: Period
    topic: str  # the form's subject in a sentence (:func:`frame.topic_of`)
    citation: Citation = field(default_factory=Citation)
    signer: Mapping[str, Any] = field(default_factory=dict)
    copies: tuple[str, ...] = ("Như trên", "UBND tỉnh (b/c)", "Lãnh đạo Sở")
    archive: str = "Lưu: VT, XDCQ."
    year: int = field(default_factory=lambda: date.today().year)

    def subject(self) -> str:
        return self.citation.letter_subject or (
            f"báo cáo {reported(self.topic, self.period).split(', phương hướng')[0]}"
        )


def sender_letter(
    form: Form,
    period: Period,
    issuer: str,
    registry: UnitRegistry | None,
    citation: Citation,
    province: str,
    signer: str,
) -> Letter:
    """The frame of the Sở's letters (generate, letter): the Sở as the unit list has it (when
    listed), else by default; ``signer`` signs for the director."""
    sender = unit_issuer(named_unit(issuer, registry or ()), province)
    return Letter(
        sender,
        period,
        topic_of(form.title),
        replace(citation, letter_issuer=sender.name),
        Signer(signer=signer).values(),
    )


def _group_phrase(group: str) -> str:
    key = f" {slug(group).replace('-', ' ')} "
    for word, phrase in (
        ("dac khu", "UBND các đặc khu"),
        ("phuong", "UBND các phường"),
        ("xa", "UBND các xã"),
        ("so", "Các sở, ban, ngành tỉnh"),
    ):
        if f" {word} " in key:
            return phrase
    return f"Các cơ quan, đơn vị khối {group}"


def addressees(units: Sequence[Unit]) -> list[str]:
    """ "Kính gửi:" lines: a few units by name; more, by their khối ("UBND các xã")."""
    if len(units) <= NAMED_ADDRESSEES:
        names = [u.name for u in units]
    else:
        by_group: dict[str, list[Unit]] = {}
        for unit in units:
            by_group.setdefault(unit.group, []).append(unit)
        names = []
        for group, members in by_group.items():
            if len(members) <= 2:
                names.extend(u.name for u in members)
            else:
                names.append(_group_phrase(group))
        names = list(dict.fromkeys(names))
    if len(names) == 1:
        return [f"{names[0]}."]
    return [f"- {name};" for name in names[:-1]] + [f"- {names[-1]}."]


def _frame(letter: Letter, day: date | None) -> dict[str, Any]:
    issuer = letter.issuer
    number = letter.citation.letter_number or f"      /{issuer.symbol}"
    return {
        "co_quan_chu_quan": issuer.above,
        "co_quan_ban_hanh": " ".join(issuer.header),
        "co_quan_ban_hanh_dong": list(issuer.header),
        "co_quan_ban_hanh_thuong": issuer.name,
        "so_van_ban": number,
        "dia_danh_ngay": date_line(issuer.place, day, day.year if day else letter.year),
        "trich_yeu": letter.subject(),
        "noi_nhan": [f"{c.rstrip(';. ')};" for c in letter.copies] + [letter.archive],
        **signature(letter.signer, issuer.head_title),
    }


def request_context(
    letter: Letter,
    units: Sequence[Unit],
    *,
    form_title: str,
    files: int,
    deadline: date | None,
    contact: str = "",
) -> dict[str, Any]:
    """The request letter: what to report, on which forms, which figures, by when."""
    sender = letter.issuer.name
    period = letter.period
    start = basis(Citation(plan=letter.citation.plan))
    lead = f"{start}, để" if start else "Để"
    body = [
        f"{lead} có cơ sở tổng hợp, báo cáo UBND tỉnh, {sender} đề nghị các cơ quan, đơn vị, "
        f"địa phương báo cáo {reported(letter.topic, period)}, cụ thể như sau:",
        f"1. Nội dung báo cáo: theo biểu mẫu Excel “{form_title}” gửi kèm Công văn này "
        f"({files} tệp, mỗi cơ quan, đơn vị, địa phương một tệp đã ghi sẵn tên đơn vị và kỳ "
        "báo cáo). Đơn vị nhập số liệu và thuyết minh vào các ô để trống; không thêm, xóa, "
        "đổi tên trang tính và không chép số liệu sang tệp khác.",
        f"2. Thời gian chốt số liệu: từ ngày {format_date_short(period.cutoff_start)} đến ngày "
        f"{format_date_short(period.cutoff_end)}.",
    ]
    sending = (
        "3. Báo cáo (tệp Excel đã nhập số liệu, giữ nguyên định dạng .xlsx, và văn bản có chữ "
        f"ký, đóng dấu) gửi về {sender}"
    )
    if deadline is not None:
        sending += f" chậm nhất ngày {cited_date(deadline)}"
    body.append(sending + ".")
    if contact:
        body.append(f"4. Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ: {contact}.")
    return {
        **_frame(letter, letter.citation.letter_date),
        "kinh_gui": addressees(units),
        "noi_dung": body,
        "danh_sach": [],
        "ket_luan": [
            f"{sender} đề nghị các cơ quan, đơn vị, địa phương quan tâm, phối hợp thực hiện "
            "đảm bảo thời gian quy định./."
        ],
    }


def without_return(status: StatusReport) -> list[UnitStatus]:
    """The units the reminder is for: expected, and without a valid return (status order)."""
    return [u for u in status.units if u.state != "accepted"]


def _reason(unit: UnitStatus) -> str:
    if unit.state == "rejected_only":
        when = f" ngày {cited_date(unit.last_rejected_at.date())}" if unit.last_rejected_at else ""
        if unit.unreadable:
            return (
                f"tệp gửi{when} không phải biểu mẫu Excel ({unit.last_rejected_kind}), không "
                "đọc được số liệu; cần gửi tệp Excel biểu mẫu đã điền, không gửi bản scan"
            )
        return f"tệp gửi{when} có lỗi, chưa đạt; cần sửa và gửi lại"
    return "chưa gửi báo cáo"


def reminder_context(
    letter: Letter,
    status: StatusReport,
    units: Sequence[Unit],
    *,
    as_of: date,
    new_deadline: date | None = None,
    day: date | None = None,
) -> dict[str, Any]:
    """The reminder: the units without a valid return, each with what is missing.

    ``units``: the unit list, for the names and khối in "Kính gửi:"; ``day``: the
    letter's own date (blank for the văn thư by default).
    """
    sender = letter.issuer.name
    late = without_return(status)
    by_code = {u.code.casefold(): u for u in units}
    targets = [
        by_code.get(u.unit_code.casefold()) or Unit(u.unit_code, u.unit_name, u.group) for u in late
    ]
    reference = letter_reference(letter.citation)
    asked = (
        f"{sender} đã có {reference}" if reference else f"{sender} đã đề nghị các cơ quan, đơn vị"
    )
    asked += (
        f", đề nghị các cơ quan, đơn vị, địa phương báo cáo {reported(letter.topic, letter.period)}"
    )
    if status.deadline is not None:
        asked += f" (thời hạn gửi báo cáo: ngày {cited_date(status.deadline)})"
    total = status.totals
    body = [
        asked + ".",
        f"Đến ngày {cited_date(as_of)}, {total.accepted}/{total.expected} cơ quan, đơn vị đã gửi "
        f"báo cáo hợp lệ; còn {len(late)} cơ quan, đơn vị chưa gửi báo cáo hoặc báo cáo chưa "
        "đạt yêu cầu, gồm:",
    ]
    listing = [f"{k}. {u.unit_name}: {_reason(u)};" for k, u in enumerate(late, start=1)]
    if listing:
        listing[-1] = listing[-1].removesuffix(";") + "."
    by = f" trước ngày {cited_date(new_deadline)}" if new_deadline else " trong thời gian sớm nhất"
    return {
        **_frame(reminder_letter(letter), day),
        "kinh_gui": addressees(targets) if targets else ["Các cơ quan, đơn vị, địa phương."],
        "noi_dung": body,
        "danh_sach": listing,
        "ket_luan": [
            f"{sender} đề nghị các cơ quan, đơn vị, địa phương nêu trên khẩn trương hoàn thành, "
            f"gửi báo cáo về {sender}{by} để tổng hợp, báo cáo UBND tỉnh theo quy định./."
        ],
    }


def reminder_letter(letter: Letter) -> Letter:
    """The reminder's V/v: "đôn đốc báo cáo …" of the request it follows up."""
    base = letter.subject()
    subject = base if base.startswith("đôn đốc") else f"đôn đốc {base}"
    citation = replace(letter.citation, letter_number="", letter_date=None, letter_subject=subject)
    return replace(letter, citation=citation)


def write_letter(context: Mapping[str, Any], out: Path, template: Path | None = None) -> Path:
    """Render a letter's context with ``cong-van.docx`` (or a template of the same tags)."""
    return render(context, out, template or docx_templates_dir() / LETTER_TEMPLATE)
