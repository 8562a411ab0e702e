"""``workbook-tools serve`` (the web portal) and ``portal`` (its password and links)."""

from __future__ import annotations

import ipaddress
import logging
from datetime import date
from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand, VnGroup
from workbook_tools.cli.options import (
    db_option,
    help_option,
    late_deadline_option,
    out_folder_option,
    round_options,
    text_option,
)
from workbook_tools.cli.types import NumberRange
from workbook_tools.contract.manifest import MANIFEST_NAME
from workbook_tools.form import get_form
from workbook_tools.periods import Period
from workbook_tools.portal import PortalStore, hash_password
from workbook_tools.portal.manifest import write_manifest
from workbook_tools.portal.views import issue_links_csv
from workbook_tools.reader.manifest import read_links
from workbook_tools.reader.units import load_units
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.rounds import expected_units, round_registry
from workbook_tools.web.config import PortalConfig
from workbook_tools.web.security import RedactTokens


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


NETWORK_WARNING = (
    "CẢNH BÁO: cổng nộp đang mở cho các máy khác trong mạng ({host}:{port}), không mã hóa "
    "(http). Chỉ mở trong mạng nội bộ của Sở, sau tường lửa; muốn cho đơn vị ở xa truy cập, hãy "
    "đặt cổng sau một máy chủ web có HTTPS. Ai có đường dẫn của đơn vị là nộp được thay đơn vị."
)


@click.command(cls=VnCommand)
@round_options()
@late_deadline_option
@text_option(
    "--host",
    "ĐỊA_CHỈ",
    "Địa chỉ lắng nghe; 0.0.0.0 để mở cho cả mạng (có cảnh báo).",
    default="127.0.0.1",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=NumberRange(1, 65535),
    metavar="SỐ",
    help="Cổng mạng để lắng nghe.",
)
@help_option
def serve(
    period: Period,
    form_name: str,
    units_path: str | None,
    db_path: str,
    deadline: date | None,
    host: str,
    port: int,
) -> None:
    """Chạy cổng nộp báo cáo trên web: đơn vị tải tệp lên, Sở theo dõi trên trình duyệt.

    Không có --units: các đơn vị đã tạo biểu mẫu của kỳ (ghi khi chạy generate).
    """
    # imported here: the other commands do not load the web stack
    import uvicorn

    from workbook_tools.web.app import create_app

    form = get_form(form_name)
    given = load_units(units_path) if units_path else None
    with SubmissionStore.open(db_path) as store:
        registry = given if given is not None else round_registry(store, form.id, period)
    config = PortalConfig(Path(db_path), form, period, registry, deadline)
    with PortalStore.open(db_path) as store:
        has_password = store.password_hash() is not None
    app = create_app(config)
    if not is_loopback(host):
        click.echo(NETWORK_WARNING.format(host=host, port=port), err=True)
    click.echo(f"Cổng nộp báo cáo {period.label}: http://{host}:{port}/so (Ctrl+C để dừng)")
    if not has_password:
        click.echo(
            f"Chưa đặt mật khẩu cho Sở: chạy 'workbook-tools portal password --db {db_path}'.",
            err=True,
        )
    server_config = uvicorn.Config(
        app, host=host, port=port, server_header=False, proxy_headers=False, log_level="info"
    )
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
    uvicorn.Server(server_config).run()


@click.group(cls=VnGroup)
@help_option
def portal() -> None:
    """Cổng nộp báo cáo: đặt mật khẩu của Sở, cấp và thu hồi đường dẫn nộp của đơn vị."""


@portal.command()
@db_option
@help_option
def password(db_path: str) -> None:
    """Đặt (hoặc đổi) mật khẩu đăng nhập của Sở vào cổng nộp báo cáo."""
    secret = click.prompt("Mật khẩu mới", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    encoded = hash_password(secret)
    with PortalStore.open(db_path) as store:
        store.set_password_hash(encoded)
    click.echo("Đã đặt mật khẩu của Sở cho cổng nộp báo cáo.")


@portal.command()
@round_options()
@click.option(
    "--base-url",
    required=True,
    metavar="ĐỊA_CHỈ",
    help="Địa chỉ cổng mà đơn vị mở được, ví dụ http://10.0.0.5:8000.",
)
@out_folder_option(f"Thư mục ghi {MANIFEST_NAME} (thường là thư mục của lệnh generate).")
@click.option(
    "--renew",
    multiple=True,
    metavar="MÃ",
    help="Cấp lại đường dẫn của đơn vị này (đường dẫn cũ hết dùng được).",
)
@click.option("--revoke", multiple=True, metavar="MÃ", help="Thu hồi đường dẫn của đơn vị này.")
@help_option
def links(
    period: Period,
    form_name: str,
    units_path: str | None,
    db_path: str,
    base_url: str,
    out_dir: str,
    renew: tuple[str, ...],
    revoke: tuple[str, ...],
) -> None:
    """Cấp đường dẫn nộp cho các đơn vị chưa có và ghi danh sách gửi kèm đường dẫn.

    Không có --units: các đơn vị đã tạo biểu mẫu của kỳ (ghi khi chạy generate).
    """
    form = get_form(form_name)
    given = load_units(units_path) if units_path else None
    with SubmissionStore.open(db_path) as store:
        registry = expected_units(store, form.id, period, given)
    with PortalStore.open(db_path) as store:
        for unit in registry.select(revoke):
            store.revoke(form.id, period, unit.code)
    manifest = Path(out_dir) / MANIFEST_NAME
    text = issue_links_csv(db_path, form, period, registry, base_url, read_links(manifest), renew)
    written = write_manifest(Path(out_dir), text)
    click.echo(f"Đã ghi danh sách gửi kèm đường dẫn nộp: {written}")
    if revoke:
        click.echo(f"Đã thu hồi đường dẫn của: {', '.join(revoke)}")
