"""``workbook-tools choose``: the Sở decides which return counts for a unit and period."""

from __future__ import annotations

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import db_option, existing_store, help_option
from workbook_tools.periods import format_date_short
from workbook_tools.registry.rounds import find_submission


@click.command(cls=VnCommand)
@click.argument("ref", metavar="TỆP_HOẶC_MÃ_BĂM")
@click.option(
    "--reason",
    required=True,
    metavar="LÝ_DO",
    help="Vì sao chọn tệp này (được lưu và hiện trong 'status').",
)
@db_option
@help_option
def choose(ref: str, reason: str, db_path: str) -> None:
    """Chọn tệp hợp lệ được dùng để tổng hợp cho đơn vị và kỳ của tệp đó.

    Dùng khi tệp đang dùng không phải bản đúng: đơn vị gửi lại bản cũ, tệp của kỳ khác
    đã được giữ lại, ngày giờ trên máy đơn vị sai. Ghi đường dẫn tệp đã nhận (hoặc 8 ký
    tự đầu mã băm). Tệp đang dùng trước đó vẫn lưu trong lịch sử; lý do được lưu lại.
    Sau khi chọn, tệp đơn vị gửi sau cho kỳ đó chỉ được lưu cho đến khi Sở chọn lại.
    """
    with existing_store(db_path) as store:
        chosen = find_submission(store, ref)
        decision = store.choose(chosen.id, reason)
        previous = None if decision.previous_id is None else store.get(decision.previous_id)
    click.echo(
        f"Đã chọn tệp “{chosen.file_name}” cho đơn vị {chosen.unit_code}, kỳ {chosen.period} "
        f"(Sở nhận {chosen.first_seen_at or chosen.received_at:%d/%m/%Y %H:%M}, tệp lưu "
        f"{chosen.received_at:%d/%m/%Y %H:%M})."
    )
    if previous is not None and previous.id != chosen.id:
        click.echo(f"Tệp dùng trước đó “{previous.file_name}” chuyển vào lịch sử.")
    click.echo(f"Lý do ({format_date_short(decision.decided_at.date())}): {decision.reason}")
