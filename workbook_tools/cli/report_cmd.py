"""``workbook-tools report``: the Word report, a unit's own or the consolidated one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    citation_options,
    compare_option,
    date_option,
    existing_store,
    help_option,
    issuer_option,
    out_file_option,
    province_option,
    round_options,
    signer_option,
    text_option,
)
from workbook_tools.cli.types import WholeNumber, file_path
from workbook_tools.contract.request import Citation
from workbook_tools.form import get_form
from workbook_tools.merge import consolidate
from workbook_tools.merge.workbook import Signer
from workbook_tools.periods import Period
from workbook_tools.reader.units import load_units
from workbook_tools.registry.rounds import expected_units
from workbook_tools.report import Frame, consolidated_report, to_pdf, unit_report
from workbook_tools.report.assessment import read_assessment
from workbook_tools.report.frame import named_unit, unit_issuer

CONSOLIDATED_RECIPIENTS = (
    "UBND tỉnh (b/c)",
    "Ban Dân vận Tỉnh ủy",
    "Bộ Nội vụ",
    "Lãnh đạo Sở",
)


@click.command(cls=VnCommand)
@round_options()
@out_file_option("TỆP.docx", "Tệp Word kết quả.")
@text_option(
    "--unit",
    "MÃ",
    "Báo cáo riêng của đơn vị này; bỏ trống: báo cáo tổng hợp.",
    default=None,
    dest="unit_code",
)
@click.option(
    "--template",
    type=file_path(exists=True),
    metavar="TỆP.docx",
    help="Mẫu Word có thẻ Jinja (mặc định: mẫu theo Nghị định 30/2020).",
)
@compare_option
@click.option("--pdf", "make_pdf", is_flag=True, help="Xuất thêm bản PDF (cần LibreOffice).")
@issuer_option("Sở Nội vụ", "Cơ quan ban hành báo cáo tổng hợp.")
@text_option(
    "--above",
    "TÊN",
    "Cơ quan chủ quản (mặc định theo khối: sở, Văn phòng → UBND tỉnh; xã, phường: không có).",
    default=None,
)
@text_option(
    "--symbol",
    "KÝ_HIỆU",
    "Ký hiệu trong số văn bản, ví dụ VP → Số: …/BC-VP (mặc định: cột Ký "
    "hiệu của danh sách đơn vị, hoặc theo khối: UBND, VP, chữ viết tắt tên sở).",
    default=None,
)
@click.option(
    "--number",
    "doc_number",
    type=WholeNumber(),
    metavar="SỐ",
    help="Số văn bản (mặc định để trống cho văn thư).",
)
@date_option("--date", "Ngày ban hành (mặc định để trống cho văn thư).", dest="doc_date")
@text_option(
    "--place",
    "ĐỊA_DANH",
    "Địa danh ở dòng ngày tháng (mặc định: cột Địa danh, hoặc tên xã, phường; tên tỉnh).",
    default=None,
)
@province_option("Tên tỉnh trong dòng cơ quan chủ quản (UBND TỈNH …).")
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="TÊN",
    help="Nơi nhận (lặp lại cho nhiều nơi; mặc định: Sở Nội vụ; tổng hợp: UBND tỉnh, Ban Dân "
    "vận Tỉnh ủy, Bộ Nội vụ, Lãnh đạo Sở). Nơi nhận đầu tiên là nơi báo cáo được kính gửi.",
)
@text_option(
    "--basis",
    "CĂN_CỨ",
    "Thay phần căn cứ của câu mở đầu, ví dụ “Thực hiện Công văn số "
    "864/UBND ngày 06/5/2025 của UBND huyện Nghĩa Hành về việc …”.",
)
@citation_options
@signer_option("Người ký báo cáo tổng hợp.")
@click.option(
    "--from",
    "edited",
    type=file_path(exists=True),
    metavar="TỆP.xlsx",
    help="Bảng tổng hợp (của lệnh merge) mà Sở đã sửa phần thuyết minh: ưu điểm, hạn chế, "
    "nguyên nhân, nhiệm vụ, kiến nghị trong báo cáo tổng hợp lấy từ tệp này.",
)
@help_option
def report(
    period: Period,
    form_name: str,
    db_path: str,
    out_path: str,
    unit_code: str | None,
    units_path: str | None,
    template: str | None,
    compare: Period | None,
    make_pdf: bool,
    issuer: str,
    above: str | None,
    symbol: str | None,
    doc_number: int | None,
    doc_date: date | None,
    place: str | None,
    province: str,
    recipients: tuple[str, ...],
    basis: str,
    citation: Citation,
    signer: str,
    edited: str | None,
) -> None:
    """Viết báo cáo Word theo thể thức Nghị định 30/2020 từ số liệu đã thu nhận."""
    form = get_form(form_name)
    out = Path(out_path)
    if edited and unit_code:
        raise click.UsageError("--from chỉ dùng cho báo cáo tổng hợp (bỏ --unit).")
    given_units = load_units(units_path) if units_path else None
    assessment = read_assessment(edited, form, period) if edited else None
    chosen = Path(template) if template else None
    frame = Frame(None, citation, doc_number, doc_date, basis=basis, province=province)
    given = {k: v for k, v in {"above": above, "symbol": symbol, "place": place}.items() if v}
    with existing_store(db_path) as store:
        # as status and merge: the units given, else those recorded at generate time
        registry = expected_units(store, form.id, period, given_units)
        if unit_code:
            unit = registry.get(unit_code)
            unit = replace(unit, **given)
            frame = replace(frame, recipients=recipients or ("Sở Nội vụ",))
            written = unit_report(store, form, period, unit, frame, out, chosen, compare)
        else:
            result = consolidate(store, form, period, registry, compare)
            agency = replace(named_unit(issuer, registry), **given)
            frame = replace(
                frame,
                issuer=unit_issuer(agency, province),
                recipients=recipients or CONSOLIDATED_RECIPIENTS,
            )
            sign = Signer(signer=signer).values()
            written = consolidated_report(result, frame, sign, out, chosen, assessment)
    click.echo(f"Đã ghi báo cáo: {written}")
    if make_pdf:
        click.echo(f"Bản PDF: {to_pdf(written)}")
