"""``workbook-tools registry``: reconcile the registry with its archive, or rebuild it from it."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.checks import Expectation
from workbook_tools.cli.base import VnGroup
from workbook_tools.cli.options import db_option, form_option, help_option, units_option
from workbook_tools.form import get_form
from workbook_tools.reader.units import load_units
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.reconcile import ReconcileReport, rebuild, reconcile


@click.group(cls=VnGroup)
@help_option
def registry() -> None:
    """Cơ sở dữ liệu các tệp đã nhận: đối chiếu với thư mục lưu trữ, dựng lại khi hỏng."""


def _expect(form_name: str, units_path: str | None) -> Expectation:
    return Expectation(get_form(form_name), registry=load_units(units_path) if units_path else None)


@registry.command("reconcile")
@form_option
@units_option
@db_option
@help_option
def reconcile_cmd(form_name: str, units_path: str | None, db_path: str) -> None:
    """Ghi nhận mọi bản gốc trong thư mục lưu trữ (archive) mà cơ sở dữ liệu chưa biết.

    Dùng sau khi lệnh thu nhận bị dừng giữa chừng (mất điện, tắt máy, ổ đĩa đầy). Dùng
    đúng --form và --units như khi thu nhận. Không xóa, không sửa tệp nào. Mã thoát 1 khi
    còn bản gốc không ghi nhận được.
    """
    expect = _expect(form_name, units_path)
    with SubmissionStore.open(Path(db_path)) as store:
        report = reconcile(store, expect)
    click.echo(describe(report))
    if not report.complete:
        raise click.exceptions.Exit(1)


@registry.command("rebuild")
@form_option
@units_option
@db_option
@help_option
def rebuild_cmd(form_name: str, units_path: str | None, db_path: str) -> None:
    """Dựng lại cơ sở dữ liệu từ thư mục lưu trữ (archive) bên cạnh, khi tệp bị hỏng hoặc mất.

    Tệp cơ sở dữ liệu cũ (nếu có) được đổi tên thành ….hong-NGÀY-GIỜ, không bị xóa. Mọi
    bản gốc hợp lệ đã nhận được ghi nhận lại, với thời điểm nhận của chúng; tệp có lỗi
    không được lưu bản gốc nên không có trong cơ sở dữ liệu mới. Dùng đúng --form và
    --units như khi thu nhận.
    """
    aside, report = rebuild(Path(db_path), _expect(form_name, units_path))
    if aside is not None:
        click.echo(f"Tệp cơ sở dữ liệu cũ được giữ lại ở: {aside}")
    click.echo(describe(report))
    if not report.complete:
        raise click.exceptions.Exit(1)


def describe(report: ReconcileReport) -> str:
    total = report.already + len(report.recorded) + len(report.problems)
    lines = [
        f"Thư mục lưu trữ có {total} bản gốc: {report.already} đã được ghi nhận từ trước, "
        f"{len(report.recorded)} vừa được ghi nhận, {len(report.problems)} không ghi nhận được."
    ]
    lines += [f"  - {path}: {message}" for path, message in report.problems]
    return "\n".join(lines)
