"""``workbook-tools check``: findings per file, as a table or JSON, and feedback files."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from workbook_tools.catalogue import FILE_UNREADABLE
from workbook_tools.checks import Expectation, Submission
from workbook_tools.checks.batch import check_files
from workbook_tools.checks.copies import named_unit, same_file_findings
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import (
    annotate_option,
    existing_store,
    form_option,
    help_option,
    json_option,
    only_problems_option,
    units_option,
)
from workbook_tools.cli.types import PeriodType, file_path
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.findings import finding
from workbook_tools.form import get_form
from workbook_tools.output import OutputError
from workbook_tools.periods import Period
from workbook_tools.reader.files import find_files
from workbook_tools.reader.units import load_units
from workbook_tools.registry.quality import review_checked
from workbook_tools.results import check_report
from workbook_tools.units import UnitRegistry

SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}


@click.command(cls=VnCommand)
@click.argument("paths", nargs=-1, required=True, metavar="TỆP_HOẶC_THƯ_MỤC...")
@form_option
@click.option(
    "--period", type=PeriodType(), help="Kỳ báo cáo đang thu (báo lỗi nếu tệp của kỳ khác)."
)
@units_option
@click.option(
    "--db",
    "db_path",
    type=file_path(),
    metavar="TỆP",
    help="So sánh thêm với cơ sở dữ liệu các tệp đã nhận: số liệu khác thường so với các kỳ "
    "trước của đơn vị và các đơn vị cùng khối, số liệu trùng đơn vị khác (cảnh báo).",
)
@json_option()
@annotate_option(
    "Ghi vào THƯ_MỤC bản sao có đánh dấu ô lỗi để gửi lại đơn vị (tệp gốc không bị sửa)."
)
@only_problems_option(
    "Chỉ in các tệp có lỗi (cần xử lý), không in các tệp hợp lệ (--json vẫn in đủ)."
)
@help_option
def check(
    paths: tuple[str, ...],
    form_name: str,
    period: Period | None,
    units_path: str | None,
    db_path: str | None,
    as_json: bool,
    annotate: str | None,
    only_problems: bool,
) -> None:
    """Kiểm tra các tệp biểu mẫu đơn vị gửi về; báo từng lỗi kèm trang, ô và cách sửa.

    Mã thoát 0 khi không tệp nào có lỗi, 1 khi có tệp có lỗi (hoặc không có tệp nào),
    2 khi gõ sai lệnh hoặc đường dẫn không tồn tại.
    """
    expect = Expectation(
        get_form(form_name), period, None, load_units(units_path) if units_path else None
    )
    files = given_files(paths, "kiểm tra")
    results: list[Submission] = []
    with click.progressbar(length=len(files), label="Đang kiểm tra", file=sys.stderr) as bar:
        for path, result in zip(
            files, check_files(files, expect, None, os.cpu_count() or 1), strict=True
        ):
            results.append(result if isinstance(result, Submission) else failed(path, result))
            bar.update(1)
    if db_path:
        with existing_store(db_path) as store:
            review_checked(store, expect.form, expect.registry, results)
    add_same_file_findings(results, expect.registry)
    feedback: dict[Path, Path | str] = {}
    if annotate:
        for sub in results:
            if sub.findings:
                try:
                    feedback[sub.path] = write_feedback(sub, Path(annotate))
                except (OSError, OutputError) as exc:  # this copy is lost, not the others
                    feedback[sub.path] = f"không ghi được ({exc.strerror or exc})"
    if as_json:
        click.echo(check_report(results, expect.form.id, period).to_json())
    else:
        click.echo(render_table(results, feedback, only_problems))
    if any(not sub.accepted for sub in results):
        raise click.exceptions.Exit(1)


def given_files(paths: tuple[str, ...], verb: str) -> list[Path]:
    """The files under ``paths``; a path that does not exist is a usage error (exit 2),
    and no file at all an error (exit 1), before any work is done."""
    files, missing = find_files(paths)
    if missing:
        raise click.UsageError("\n".join(message for _, message in missing))
    if not files:
        raise WorkbookToolsError(
            f"Không có tệp nào để {verb} trong các thư mục đã cho (thư mục trống, hoặc chỉ có "
            "tệp ẩn). Hãy kiểm tra lại đường dẫn."
        )
    return files


def add_same_file_findings(results: list[Submission], registry: UnitRegistry | None) -> None:
    """Warn on files of the batch with the same bytes under names of two units."""
    if registry is None:
        return
    keys = [
        (s.sha256, s.path.name, named_unit(s.path, registry, s.period) or "", s.unit_code)
        for s in results
    ]
    for i, found in same_file_findings(keys).items():
        sub = results[i]
        sub.findings.append(replace(found, file=str(sub.path), unit=sub.unit_code))


def failed(path: Path, message: str) -> Submission:
    """A file that could not be checked at all, as a submission with one error."""
    sub = Submission(path=path, sha256="", size=0)
    sub.findings.append(replace(finding(FILE_UNREADABLE, message), file=str(path)))
    return sub


def render_table(
    results: list[Submission], feedback: dict[Path, Path | str], only_problems: bool = False
) -> str:
    """A summary line, then the files with errors, then those with warnings, then the rest
    (file order within each); ``only_problems``: the files with errors only."""
    bad = sum(1 for s in results if not s.accepted)
    warned = sum(1 for s in results if s.accepted and s.warnings)
    summary = f"{len(results)} tệp: {bad} có lỗi cần xử lý, {len(results) - bad} hợp lệ" + (
        f" ({warned} có cảnh báo nên xem lại)." if warned else "."
    )
    lines: list[str] = [summary, ""]
    ordered = sorted(results, key=lambda s: (s.accepted, not s.warnings))
    shown = [s for s in ordered if not s.accepted] if only_problems else ordered
    for sub in shown:
        who = f"{sub.unit_code} {sub.unit_name}".strip() or "(không xác định đơn vị)"
        if sub.accepted:
            extra = f", {len(sub.warnings)} cảnh báo" if sub.warnings else ""
            lines.append(f"✓ {sub.path.name} — {who}: HỢP LỆ{extra}")
        else:
            lines.append(
                f"✗ {sub.path.name} — {who}: CÓ LỖI ({len(sub.errors)} lỗi, {len(sub.warnings)} cảnh báo)"
            )
        for f in sorted(sub.findings, key=lambda f: not f.is_error):
            where = f.location or "(tệp)"
            lines.append(f"    [{SEVERITY[f.severity]}] {where}: {f.message}")
        if sub.path in feedback:
            what = (
                "Ghi chú cho đơn vị (đã tiếp nhận, không phải gửi lại)"
                if sub.accepted
                else "Tệp gửi lại đơn vị"
            )
            lines.append(f"    → {what}: {feedback[sub.path]}")
    if len(shown) < len(results):
        lines.append("")
        lines.append(
            f"(Không in {len(results) - len(shown)} tệp hợp lệ; bỏ --only-problems để xem.)"
        )
    lines.append("")
    lines.append(f"Tổng cộng {len(results)} tệp: {len(results) - bad} hợp lệ, {bad} có lỗi.")
    return "\n".join(lines)
