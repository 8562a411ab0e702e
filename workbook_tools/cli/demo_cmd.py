"""``workbook-tools demo``: the loop on the shipped samples, as far as it exists."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.generate_cmd import summary
from workbook_tools.cli.options import help_option
from workbook_tools.demo import run_demo


@click.command(cls=VnCommand)
@click.option(
    "--out",
    "out_dir",
    default="demo-output",
    show_default=True,
    type=click.Path(file_okay=False),
    metavar="THƯ_MỤC",
    help="Thư mục kết quả.",
)
@help_option
def demo(out_dir: str) -> None:
    """Chạy thử trên dữ liệu mẫu tỉnh Quảng Ngãi: tạo biểu mẫu cho mọi đơn vị."""
    result = run_demo(Path(out_dir))
    click.echo(summary(result.generated, result.workbooks_dir))
    click.echo(f"Mở thử một tệp: {result.generated.files[0].path}")
