"""``workbook-tools merge``: the consolidated workbook of a period."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    by_option,
    compare_option,
    existing_store,
    help_option,
    issuer_option,
    json_option,
    out_file_option,
    round_options,
    signer_option,
    text_option,
)
from workbook_tools.contract import Request
from workbook_tools.form import get_form
from workbook_tools.merge import Consolidation, consolidate, require_data
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.periods import Period
from workbook_tools.reader.units import load_units
from workbook_tools.registry.approval import lock_used
from workbook_tools.registry.rounds import expected_units
from workbook_tools.results import merge_report
from workbook_tools.text import format_number, format_percent
from workbook_tools.units import Unit


@click.command(cls=VnCommand)
@round_options()
@out_file_option("TỆP.xlsx", "Tệp Excel tổng hợp.")
@compare_option
@json_option("In tổng số (theo mã chỉ tiêu) và tình hình nộp dạng JSON.")
@text_option("--agency-code", "MÃ", "Mã đơn vị tổng hợp (khi nộp lên cấp trên).", default="SNV")
@text_option("--agency-name", "TÊN", "Tên đơn vị tổng hợp.", default="Sở Nội vụ")
@issuer_option("UBND tỉnh", "Cơ quan nhận bản tổng hợp.")
@signer_option("Họ tên người ký bản tổng hợp.")
@text_option("--phone", "SỐ", "Điện thoại liên hệ của người lập biểu tổng hợp.")
@click.option(
    "--lock",
    is_flag=True,
    help="Khóa các báo cáo đã dùng (bản tổng hợp chính thức): lần tổng hợp sau vẫn dùng đúng "
    "các báo cáo này cho đến khi mở khóa ('review unlock'), kể cả khi đơn vị gửi bản mới.",
)
@by_option("Người khóa (mặc định: tên người dùng máy).")
@help_option
def merge(
    period: Period,
    form_name: str,
    db_path: str,
    out_path: str,
    units_path: str | None,
    compare: Period | None,
    as_json: bool,
    agency_code: str,
    agency_name: str,
    issuer: str,
    signer: str,
    phone: str,
    lock: bool,
    by: str | None,
) -> None:
    """Tổng hợp các tệp hợp lệ của kỳ: tổng số, tỷ lệ tính lại, theo khối, tình hình nộp, nguồn số liệu."""
    form = get_form(form_name)
    given = load_units(units_path) if units_path else None
    with existing_store(db_path) as store:
        registry = expected_units(store, form.id, period, given)
        result = consolidate(store, form, period, registry, compare)
        require_data(result)
        agency = Unit(agency_code, agency_name, "Cơ quan tổng hợp", None, None, None, None)
        written = write_consolidated(
            result,
            out_path,
            Request(form, period, issuer=issuer),
            agency,
            Signer(signer=signer, phone=phone),
        )
        if lock:
            used = [s.submission_id for u in result.units for s in u.sources]
            locked = lock_used(store, used, f"Tổng hợp {period.label} vào “{written.name}”", by)
    if as_json:
        click.echo(merge_report(result).to_json())
        return
    click.echo(describe(result, written))
    if lock:
        click.echo(f"  Đã khóa {len(locked)} báo cáo đã dùng (xem: workbook-tools status).")


def describe(c: Consolidation, written: Path) -> str:
    done = c.completeness
    rate = c.totals.get("ty_le_dung_han")
    lines = [
        f"Đã tổng hợp {len(c.units)} đơn vị, {c.period.label}: {written}",
        f"  Đơn vị phải báo cáo {done.expected}; có số liệu {done.accepted} (gửi muộn {done.late}); "
        f"có lỗi, chưa đạt {done.rejected_only}; chưa gửi {done.missing}.",
    ]
    received = c.totals.get("hs_nhan_giai_quyet")
    if isinstance(received, (int, float)):
        decimals = c.form.indicator("ty_le_dung_han").precision
        shown_rate = format_percent(rate, decimals) if isinstance(rate, float) else "chưa tính được"
        lines.append(
            f"  Hồ sơ nhận giải quyết: {format_number(received)}; tỷ lệ trước hạn và đúng hạn: {shown_rate}."
        )
    incomplete = [u for u in c.units if u.missing_years]
    if incomplete:
        lines.append(
            f"  {len(incomplete)} đơn vị thiếu số liệu năm: "
            + "; ".join(
                f"{u.unit_name} ({', '.join(map(str, u.missing_years))})" for u in incomplete[:10]
            )
        )
    return "\n".join(lines)
