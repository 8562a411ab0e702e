"""``workbook-tools letter``: the Sở's request letter and its reminder (công văn đôn đốc)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    citation_options,
    contact_option,
    date_option,
    deadline_option,
    existing_store,
    help_option,
    issuer_option,
    out_file_option,
    round_options,
    sender_options,
    units_file_option,
)
from workbook_tools.cli.types import OneOf
from workbook_tools.contract.request import Citation
from workbook_tools.form import get_form
from workbook_tools.periods import Period
from workbook_tools.reader.units import load_units
from workbook_tools.registry import status_report
from workbook_tools.report.letters import (
    reminder_context,
    request_context,
    sender_letter,
    without_return,
    write_letter,
)


@click.command(cls=VnCommand)
@click.argument("kind", type=OneOf(["de-nghi", "don-doc"]), metavar="LOẠI")
@round_options(
    units_file_option("Danh sách đơn vị (.csv hoặc .xlsx): nơi nhận công văn.", required=True)
)
@out_file_option("TỆP.docx", "Tệp Word công văn.")
@issuer_option("Sở Nội vụ", "Cơ quan gửi.")
@deadline_option("Hạn gửi báo cáo (công văn đề nghị, đôn đốc).")
@date_option(
    "--new-deadline", "Hạn mới cho các đơn vị chưa gửi (công văn đôn đốc; mặc định: sớm nhất)."
)
@date_option(
    "--date", "Ngày của công văn đôn đốc (mặc định để trống cho văn thư).", dest="letter_date"
)
@contact_option("Người, số điện thoại liên hệ (công văn đề nghị).")
@citation_options
@sender_options
@help_option
def letter(
    kind: str,
    period: Period,
    form_name: str,
    units_path: str,
    db_path: str,
    out_path: str,
    issuer: str,
    deadline: date | None,
    new_deadline: date | None,
    letter_date: date | None,
    contact: str,
    citation: Citation,
    province: str,
    signer: str,
) -> None:
    """Viết công văn của Sở theo thể thức Nghị định 30/2020.

    LOẠI: de-nghi (công văn đề nghị báo cáo, gửi kèm biểu mẫu) hoặc don-doc (công văn
    đôn đốc các đơn vị chưa gửi báo cáo hợp lệ, theo tình hình nộp trong cơ sở dữ liệu).
    """
    form = get_form(form_name)
    registry = load_units(units_path)
    frame = sender_letter(form, period, issuer, registry, citation, province, signer)
    out = Path(out_path)
    if kind == "de-nghi":
        context = request_context(
            frame,
            list(registry),
            form_title=form.title,
            files=len(registry),
            deadline=deadline,
            contact=contact,
        )
        click.echo(f"Đã ghi công văn đề nghị báo cáo: {write_letter(context, out)}")
        return
    with existing_store(db_path) as store:
        status = status_report(store, form.id, period, registry, deadline)
    context = reminder_context(
        frame,
        status,
        list(registry),
        as_of=date.today(),
        new_deadline=new_deadline,
        day=letter_date,
    )
    written = write_letter(context, out)
    missing = without_return(status)
    click.echo(f"Đã ghi công văn đôn đốc ({len(missing)} đơn vị chưa có báo cáo hợp lệ): {written}")
