"""``workbook-tools generate``: one input workbook per unit."""

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
    help_option,
    issuer_option,
    out_folder_option,
    round_options,
    sender_options,
    text_option,
    units_file_option,
)
from workbook_tools.contract import Request
from workbook_tools.contract.request import Citation
from workbook_tools.form import get_form
from workbook_tools.periods import Period
from workbook_tools.reader.manifest import read_manifest
from workbook_tools.reader.units import load_units
from workbook_tools.reader.workbook import workbook_owner
from workbook_tools.registry import SubmissionStore
from workbook_tools.report.letters import request_context, sender_letter, write_letter
from workbook_tools.writer import GenerationResult
from workbook_tools.writer import generate as generate_workbooks


@click.command(cls=VnCommand)
@round_options(units_file_option("Danh sách đơn vị (.csv hoặc .xlsx).", required=True))
@out_folder_option("Thư mục ghi các tệp Excel.")
@click.option(
    "--unit",
    "unit_codes",
    multiple=True,
    metavar="MÃ",
    help="Chỉ tạo cho đơn vị này (có thể lặp lại).",
)
@deadline_option("Hạn gửi báo cáo, ví dụ 2025-06-20.")
@date_option("--cutoff-start", "Ngày bắt đầu chốt số liệu (nếu khác mặc định).")
@date_option("--cutoff-end", "Ngày kết thúc chốt số liệu (nếu khác mặc định).")
@issuer_option("Sở Nội vụ", "Cơ quan nhận báo cáo, in trên biểu mẫu.")
@contact_option("Người, số điện thoại liên hệ của Sở khi cần hỗ trợ.")
@citation_options
@sender_options
@text_option(
    "--password", "MẬT_KHẨU", "Mật khẩu khóa cấu trúc biểu mẫu (chống sửa nhầm).", default="dvcq"
)
@help_option
def generate(
    form_name: str,
    period: Period,
    units_path: str,
    out_dir: str,
    unit_codes: tuple[str, ...],
    deadline: date | None,
    cutoff_start: date | None,
    cutoff_end: date | None,
    issuer: str,
    contact: str,
    citation: Citation,
    province: str,
    signer: str,
    password: str,
    db_path: str,
) -> None:
    """Tạo biểu mẫu Excel cho từng đơn vị, kèm danh sách gửi (tệp nào cho đơn vị nào) và
    công văn đề nghị báo cáo (Word, thể thức Nghị định 30/2020).

    Kế hoạch và công văn đề nghị (--plan, --request-number, --request-date,
    --request-subject) được ghi vào biểu mẫu để báo cáo của đơn vị trích dẫn ở câu mở đầu.
    Kỳ và các đơn vị được ghi vào cơ sở dữ liệu (--db, cùng tệp 'collect' dùng): 'collect'
    biết kỳ đang thu, 'status' và 'merge' biết đơn vị nào phải báo cáo mà không cần --units.
    """
    form = get_form(form_name)
    registry = load_units(units_path)
    selected = registry.select(unit_codes) if unit_codes else list(registry)
    if cutoff_start or cutoff_end:
        period = period.with_cutoff(cutoff_start, cutoff_end)
    sender = sender_letter(form, period, issuer, registry, citation, province, signer)
    request = Request(form, period, deadline, issuer=issuer, contact=contact, password=password,
                      citation=sender.citation)  # fmt: skip
    with SubmissionStore.open(Path(db_path)) as store:  # refused before any workbook is written
        with click.progressbar(length=len(selected), label="Đang tạo biểu mẫu", file=None) as bar:
            result = generate_workbooks(
                request,
                selected,
                out_dir,
                progress=lambda _: bar.update(1),
                known=list(registry),
                owner=workbook_owner,
                read_list=read_manifest,
            )
        store.record_round(
            form.id,
            period,
            selected,
            deadline=deadline,
            source=registry.source,
            generated_at=request.generated_at,
        )
    context = request_context(
        sender, selected, form_title=form.title, files=len(result.files), deadline=deadline,
        contact=contact,
    )  # fmt: skip
    letter = write_letter(context, Path(out_dir) / f"cong-van-de-nghi-{form.id}-{period.code}.docx")
    click.echo(summary(result, Path(out_dir), Path(db_path), period))
    click.echo(f"Công văn đề nghị báo cáo: {letter}")


def summary(result: GenerationResult, out_dir: Path, db: Path, period: Period) -> str:
    return (
        f"Đã tạo {len(result.files)} biểu mẫu trong {out_dir}.\n"
        f"Danh sách gửi (đơn vị, email, tệp): {result.manifest}\n"
        f"Đã ghi kỳ {period.code} và {len(result.files)} đơn vị vào {db}: 'collect', 'status', "
        "'merge' dùng cùng --db sẽ biết kỳ đang thu và đơn vị phải báo cáo."
    )
