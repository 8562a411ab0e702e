"""``workbook-tools report``: the Word report, a unit's own or the consolidated one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    DateType,
    compare_option,
    db_option,
    existing_store,
    form_option,
    help_option,
    period_option,
    units_option,
)
from workbook_tools.form import get_form
from workbook_tools.merge import consolidate
from workbook_tools.merge.workbook import Signer
from workbook_tools.periods import Period
from workbook_tools.report import Frame, consolidated_report, to_pdf, unit_report
from workbook_tools.units import load_units


@click.command(cls=VnCommand)
@period_option
@form_option
@db_option
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="TỆP.docx",
    help="Tệp Word kết quả.",
)
@click.option(
    "--unit",
    "unit_code",
    metavar="MÃ",
    help="Báo cáo riêng của đơn vị này; bỏ trống: báo cáo tổng hợp.",
)
@units_option
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True),
    metavar="TỆP.docx",
    help="Mẫu Word có thẻ Jinja (mặc định: mẫu theo Nghị định 30/2020).",
)
@compare_option
@click.option("--pdf", "make_pdf", is_flag=True, help="Xuất thêm bản PDF (cần LibreOffice).")
@click.option(
    "--issuer",
    default="Sở Nội vụ",
    show_default=True,
    metavar="TÊN",
    help="Cơ quan ban hành báo cáo (tổng hợp).",
)
@click.option(
    "--above",
    default="UBND tỉnh Quảng Ngãi",
    show_default=True,
    metavar="TÊN",
    help="Cơ quan chủ quản.",
)
@click.option(
    "--symbol",
    default=None,
    metavar="KÝ_HIỆU",
    help="Ký hiệu trong số văn bản, ví dụ SNV → Số: …/BC-SNV (mặc định: mã đơn vị).",
)
@click.option(
    "--number",
    "doc_number",
    type=int,
    metavar="SỐ",
    help="Số văn bản (mặc định để trống cho văn thư).",
)
@click.option(
    "--date", "doc_date", type=DateType(), help="Ngày ban hành (mặc định để trống cho văn thư)."
)
@click.option(
    "--place",
    default="Quảng Ngãi",
    show_default=True,
    metavar="ĐỊA_DANH",
    help="Địa danh ở dòng ngày tháng.",
)
@click.option(
    "--recipient",
    default=None,
    metavar="TÊN",
    help="Nơi nhận báo cáo (mặc định: Sở Nội vụ; tổng hợp: UBND tỉnh).",
)
@click.option(
    "--basis",
    default="",
    metavar="CĂN_CỨ",
    help="Câu mở đầu, ví dụ “Thực hiện Công văn số 1119/SNV-XDCQ ngày 23/5/2025 của Sở Nội vụ”.",
)
@click.option("--signer", default="", metavar="HỌ_TÊN", help="Người ký báo cáo tổng hợp.")
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
    above: str,
    symbol: str | None,
    doc_number: int | None,
    doc_date: date | None,
    place: str,
    recipient: str | None,
    basis: str,
    signer: str,
) -> None:
    """Viết báo cáo Word theo thể thức Nghị định 30/2020 từ số liệu đã thu nhận."""
    form = get_form(form_name)
    out = Path(out_path)
    registry = load_units(units_path) if units_path else None
    with existing_store(db_path) as store:
        if unit_code:
            name = registry.get(unit_code).name if registry is not None else unit_code
            frame = Frame(name, above, symbol or unit_code, place, doc_number, doc_date, basis=basis,
                          recipient=recipient or "Sở Nội vụ")  # fmt: skip
            written = unit_report(
                store,
                form,
                period,
                unit_code,
                frame,
                out,
                Path(template) if template else None,
                compare,
            )
        else:
            result = consolidate(store, form, period, registry, compare)
            frame = Frame(issuer, above, symbol or "SNV", place, doc_number, doc_date, basis=basis,
                          recipient=recipient or above,
                          places=(f"{recipient or above} (b/c);", "Ban Dân vận Tỉnh ủy;", "Bộ Nội vụ;", "Lãnh đạo Sở;", "Lưu: VT."))  # fmt: skip
            sign = Signer(signer=signer).values()
            written = consolidated_report(
                result, frame, sign, out, Path(template) if template else None
            )
    click.echo(f"Đã ghi báo cáo: {written}")
    if make_pdf:
        click.echo(f"Bản PDF: {to_pdf(written)}")
