"""``workbook-tools units``: check a unit list, or make a synthetic one."""

from __future__ import annotations

import click

from workbook_tools.cli.base import VnGroup
from workbook_tools.cli.options import help_option, out_file_option
from workbook_tools.cli.types import NumberRange, WholeNumber, file_path
from workbook_tools.reader.units import load_units
from workbook_tools.units import synthetic_units, write_units_csv, write_units_xlsx


@click.group(cls=VnGroup)
@help_option
def units() -> None:
    """Danh sách đơn vị báo cáo."""


@units.command("check")
@click.argument("path", metavar="TỆP", type=file_path(exists=True))
@help_option
def check(path: str) -> None:
    """Kiểm tra danh sách đơn vị (.csv hoặc .xlsx)."""
    registry = load_units(path)
    groups = "; ".join(
        f"{g}: {sum(1 for u in registry if u.group == g)}" for g in registry.groups()
    )
    click.echo(f"Hợp lệ: {len(registry)} đơn vị ({groups}).")


@units.command("synth")
@click.option(
    "--count",
    "count",
    type=NumberRange(1, 100_000),
    metavar="SỐ",
    default=3321,
    show_default=True,
    help="Số đơn vị.",
)
@out_file_option("TỆP", "Tệp kết quả (.csv hoặc .xlsx).")
@click.option(
    "--seed", type=WholeNumber(), default=0, show_default=True, help="Hạt giống ngẫu nhiên."
)
@help_option
def synth(count: int, out_path: str, seed: int) -> None:
    """Tạo danh sách đơn vị giả lập với số lượng tùy ý (để thử nghiệm, đo tốc độ)."""
    made = synthetic_units(count, seed=seed)
    if out_path.lower().endswith(".xlsx"):
        write_units_xlsx(made, out_path)
    else:
        write_units_csv(made, out_path)
    click.echo(f"Đã ghi {len(made)} đơn vị vào {out_path}.")
