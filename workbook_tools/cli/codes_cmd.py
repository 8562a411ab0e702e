"""``workbook-tools codes``: the catalogue of problem codes, with what each means and its fix."""

from __future__ import annotations

import difflib
import json

import click

from workbook_tools.catalogue import CATALOGUE, by_family, describe, listing, markdown
from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import help_option, json_option
from workbook_tools.errors import WorkbookToolsError


@click.command(cls=VnCommand)
@click.argument("code", required=False, metavar="[MÃ]")
@json_option("In dạng JSON cho các công cụ khác.")
@click.option(
    "--markdown",
    "as_markdown",
    is_flag=True,
    help="In dạng bảng Markdown (bảng mã trong README được tạo bằng lệnh này).",
)
@help_option
def codes(code: str | None, as_json: bool, as_markdown: bool) -> None:
    """Các mã lỗi, cảnh báo mà công cụ báo: nghĩa là gì và cách sửa.

    Không có MÃ: cả danh mục, theo nhóm (định nghĩa biểu mẫu, danh sách đơn vị, tệp đơn vị
    gửi về). Có MÃ (ví dụ value-negative): riêng mã đó.
    """
    if code is not None:
        kind = CATALOGUE.get(code.strip().lower())
        if kind is None:
            close = difflib.get_close_matches(code.strip().lower(), list(CATALOGUE), n=3)
            hint = f" Có phải ý bạn là {', '.join(close)}?" if close else ""
            raise WorkbookToolsError(
                f"Không có mã {code!r} trong danh mục.{hint} Xem cả danh mục: workbook-tools codes."
            )
        click.echo(
            json.dumps(kind.to_dict(), ensure_ascii=False, indent=2) if as_json else describe(kind)
        )
        return
    if as_json:
        data = {family: [e.to_dict() for e in entries] for family, entries in by_family().items()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_markdown:
        click.echo(markdown())
    else:
        click.echo(listing())
