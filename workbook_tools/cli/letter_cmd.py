"""``workbook-tools letter``: the Sở's request letter and its reminder (công văn đôn đốc)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    DateType,
    citation_options,
    db_option,
    existing_store,
    form_option,
    help_option,
    out_file_option,
    period_option,
)
from workbook_tools.contract.request import Citation
from workbook_tools.form import Form, get_form
from workbook_tools.merge.workbook import Signer
from workbook_tools.periods import Period
from workbook_tools.reader.units import load_units
from workbook_tools.registry import status_report
from workbook_tools.report.frame import DEFAULT_PROVINCE, named_unit, topic_of, unit_issuer
from workbook_tools.report.letters import (
    Letter,
    reminder_context,
    request_context,
    without_return,
    write_letter,
)
from workbook_tools.units import UnitRegistry

F = TypeVar("F", bound=Callable[..., Any])


def sender_options(f: F) -> F:
    """Who sends the Sở's letters and who signs them, written once for generate and letter."""
    options = (
        click.option(
            "--province",
            default=DEFAULT_PROVINCE,
            show_default=True,
            metavar="TỈNH",
            help="Tên tỉnh trong dòng cơ quan chủ quản của công văn (UBND TỈNH …).",
        ),
        click.option(
            "--signer",
            default="",
            metavar="HỌ_TÊN",
            help="Họ tên người ký công văn (ký thay Giám đốc: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC).",
        ),
    )
    decorated: Any = f
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def sender_letter(
    form: Form,
    period: Period,
    issuer: str,
    registry: UnitRegistry | None,
    citation: Citation,
    province: str,
    signer: str,
) -> Letter:
    """The letter's frame: the Sở as the unit list has it (when listed), else by default."""
    sender = unit_issuer(named_unit(issuer, registry or ()), province)
    return Letter(
        sender,
        period,
        topic_of(form.title),
        replace(citation, letter_issuer=sender.name),
        Signer(signer=signer).values(),
    )


@click.command(cls=VnCommand)
@click.argument("kind", type=click.Choice(["de-nghi", "don-doc"]), metavar="LOẠI")
@period_option
@form_option
@click.option(
    "--units",
    "units_path",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="TỆP",
    help="Danh sách đơn vị (.csv hoặc .xlsx): nơi nhận công văn.",
)
@db_option
@out_file_option("TỆP.docx", "Tệp Word công văn.")
@click.option(
    "--issuer", default="Sở Nội vụ", show_default=True, metavar="TÊN", help="Cơ quan gửi."
)
@click.option("--deadline", type=DateType(), help="Hạn gửi báo cáo (công văn đề nghị, đôn đốc).")
@click.option(
    "--new-deadline",
    type=DateType(),
    help="Hạn mới cho các đơn vị chưa gửi (công văn đôn đốc; mặc định: sớm nhất).",
)
@click.option(
    "--date",
    "letter_date",
    type=DateType(),
    help="Ngày của công văn đôn đốc (mặc định để trống cho văn thư).",
)
@click.option("--contact", default="", help="Người, số điện thoại liên hệ (công văn đề nghị).")
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
