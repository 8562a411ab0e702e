"""``workbook-tools collect`` and ``status``: record received files, follow units up."""

from __future__ import annotations

import sys
import textwrap
from datetime import date
from pathlib import Path

import click

from workbook_tools.checks import Expectation
from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.check_cmd import given_files
from workbook_tools.cli.options import (
    db_option,
    existing_store,
    form_option,
    help_option,
    json_option,
    late_deadline_option,
    only_problems_option,
    round_options,
    units_option,
)
from workbook_tools.cli.types import PeriodType, file_path
from workbook_tools.form import get_form
from workbook_tools.periods import Period
from workbook_tools.reader.units import load_units
from workbook_tools.registry import (
    HEADERS,
    CollectReport,
    SubmissionStore,
    action_line,
    status_report,
    status_rows,
    summary_lines,
    write_status_xlsx,
)
from workbook_tools.registry import (
    collect as collect_files,
)
from workbook_tools.registry.rounds import (
    collecting_periods,
    collecting_registry,
    expected_units,
)
from workbook_tools.results import collect_report, status_findings, status_report_data


@click.command(cls=VnCommand)
@click.argument("paths", nargs=-1, required=True, metavar="TỆP_HOẶC_THƯ_MỤC...")
@click.option(
    "--period",
    "periods",
    multiple=True,
    type=PeriodType(),
    help="Kỳ đang thu (lặp lại được). Mặc định: kỳ của lần tạo biểu mẫu gần nhất ghi trong "
    "cơ sở dữ liệu.",
)
@form_option
@units_option
@db_option
@json_option()
@help_option
def collect(
    paths: tuple[str, ...],
    periods: tuple[Period, ...],
    form_name: str,
    units_path: str | None,
    db_path: str,
    as_json: bool,
) -> None:
    """Kiểm tra và ghi nhận các tệp đơn vị gửi về (thư mục được duyệt hết).

    Tệp đã nhận trước đây không bị ghi lại; tệp mới hợp lệ của một đơn vị thay thế bản
    Sở nhận trước đó (bản cũ vẫn lưu trong lịch sử); tệp của kỳ khác kỳ đang thu chỉ được
    lưu, không thay bản nào, cho đến khi Sở chọn (lệnh choose); tệp có lỗi được ghi nhận
    là chưa đạt và không bao giờ được tổng hợp. Mã thoát 0 khi mọi tệp mới đều hợp lệ, 1
    khi có tệp lỗi (hoặc không có tệp nào), 2 khi gõ sai lệnh hoặc đường dẫn không tồn tại.
    """
    form = get_form(form_name)
    files = given_files(paths, "ghi nhận")
    with SubmissionStore.open(Path(db_path)) as store:
        round_periods = collecting_periods(store, form.id, periods)
        registry = (
            load_units(units_path)
            if units_path
            else collecting_registry(store, form.id, round_periods)
        )
        expect = Expectation(form, registry=registry)
        with click.progressbar(length=len(files), label="Đang thu nhận", file=sys.stderr) as bar:
            report = collect_files(
                list(paths),
                store,
                expect,
                progress=lambda _: bar.update(1),
                periods=round_periods,
            )
    if as_json:
        click.echo(collect_report(report).to_json())
    else:
        click.echo(render_collect(report, Path(db_path)))
    if report.totals["new_rejected"] or report.totals["failed"]:
        raise click.exceptions.Exit(1)


def render_collect(report: CollectReport, db: Path) -> str:
    lines = []
    if report.periods is not None:
        when = f" Sở nhận lúc {report.received_at:%d/%m/%Y %H:%M}." if report.received_at else ""
        lines.append(f"Kỳ đang thu: {', '.join(report.periods)}.{when}")
    for entry in report.entries:
        if entry.outcome == "unchanged":
            continue
        who = entry.unit_code or "?"
        period = entry.period_text(report.periods) or "?"
        counts = (
            f" ({entry.error_count} lỗi, {entry.warning_count} cảnh báo)"
            if entry.error_count or entry.warning_count
            else ""
        )
        note = f" — {entry.message}" if entry.message else ""
        lines.append(f"{entry.label:<18} {who:<16} {period:<9} {entry.path.name}{counts}{note}")
    t = report.totals
    lines.append("")
    lines.append(
        f"Đã xử lý {len(report.entries)} tệp: {t['new_accepted']} mới hợp lệ, {t['new_rejected']} mới có lỗi, "
        f"{t['duplicate']} trùng tệp đã nhận, {t['unchanged']} không đổi, {t['failed']} không xử lý được."
    )
    shown = report.periods[0] if report.periods else "KỲ"
    lines.append(
        f"Cơ sở dữ liệu: {db}. Xem tình hình nộp: workbook-tools status --period {shown} --db {db}"
    )
    return "\n".join(lines)


@click.command(cls=VnCommand)
@round_options()
@late_deadline_option
@json_option()
@click.option(
    "--xlsx",
    "xlsx_path",
    type=file_path(),
    metavar="TỆP",
    help="Ghi danh sách theo dõi ra tệp Excel.",
)
@only_problems_option(
    "Chỉ in các đơn vị cần xử lý: chưa gửi, có lỗi, không có trong danh sách "
    "(--json, --xlsx vẫn đủ)."
)
@help_option
def status(
    period: Period,
    form_name: str,
    units_path: str | None,
    db_path: str,
    deadline: date | None,
    as_json: bool,
    xlsx_path: str | None,
    only_problems: bool,
) -> None:
    """Tình hình nộp báo cáo: đơn vị đã gửi hợp lệ, gửi muộn, chỉ gửi tệp lỗi, chưa gửi.

    Không có --units: các đơn vị đã tạo biểu mẫu của kỳ (ghi khi chạy generate).
    Các đơn vị cần xử lý được in trước.
    """
    form = get_form(form_name)
    given = load_units(units_path) if units_path else None
    with existing_store(db_path) as store:
        registry = expected_units(store, form.id, period, given)
        report = status_report(store, form.id, period, registry, deadline)
        found = status_findings(store, report) if as_json else {}
    if xlsx_path:
        write_status_xlsx(report, xlsx_path, title=f"TÌNH HÌNH NỘP BÁO CÁO {period.label.upper()}")
    if as_json:
        click.echo(status_report_data(report, found).to_json())
        return
    click.echo(action_line(report))
    click.echo(f"Tình hình nộp báo cáo {form.id}, {period.label}:")
    click.echo("\n".join(f"  {line}" for line in summary_lines(report)))
    rows = status_rows(report, action_first=True, only_action=only_problems)
    if rows:
        click.echo("")
        click.echo(table([HEADERS, *rows]))
    hidden = len(report.units) + len(report.unexpected) - len(rows)
    if hidden:
        click.echo(f"\n(Không in {hidden} đơn vị đã gửi hợp lệ; bỏ --only-problems để xem.)")
    if xlsx_path:
        click.echo(f"\nĐã ghi danh sách theo dõi: {xlsx_path}")


WIDTHS = (4, 18, 30, 15, 32, 16, 16, 30, 48)
"""Column widths of the screen table (:data:`HEADERS` order); longer texts wrap."""


def table(rows: list[tuple[str, ...]], widths: tuple[int, ...] = WIDTHS) -> str:
    """A plain text table whose long cells wrap at spaces (or hyphens and underscores in a
    file name) onto continuation lines: nothing is cut, no word is split."""
    wrapped = [
        [_wrap(cell, width) for cell, width in zip(row, widths, strict=True)] for row in rows
    ]
    shown = [
        max((len(line) for r in wrapped for line in r[i]), default=0) for i in range(len(widths))
    ]
    lines: list[str] = []
    for row in wrapped:
        for k in range(max(len(cell) for cell in row)):
            parts = [
                (cell[k] if k < len(cell) else "").ljust(w)
                for cell, w in zip(row, shown, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    if " " in text:
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    # a file name: break after its "_" or "-" (the slug's word ends), never inside a word
    spaced = text.replace("_", "_ ").replace("-", "- ")
    lines = textwrap.wrap(spaced, width, break_long_words=False, break_on_hyphens=False)
    return [line.replace("_ ", "_").replace("- ", "-") for line in lines]
