"""Options shared by several commands, written once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from workbook_tools.cli.base import HELP_TEXT
from workbook_tools.cli.types import DateType, PeriodType, file_path, folder_path
from workbook_tools.contract.request import Citation
from workbook_tools.registry import SubmissionStore
from workbook_tools.report.frame import DEFAULT_PROVINCE

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def stack(*decorators: Decorator) -> Decorator:
    """Several option decorators as one, in the order written (the order of ``--help``)."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return decorate


def help_option(f: F) -> F:
    return click.help_option("-h", "--help", help=HELP_TEXT)(f)


def text_option(
    name: str, metavar: str, help_text: str, *, default: str | None = "", dest: str | None = None
) -> Callable[[F], F]:
    """A free-text option (a name, a sign, a place); a non-empty default is shown in help."""
    declared = (name, dest) if dest else (name,)
    return click.option(
        *declared, default=default, show_default=bool(default), metavar=metavar, help=help_text
    )


form_option = text_option(
    "--form",
    "BIỂU_MẪU",
    "Mã biểu mẫu có sẵn (xem 'form list') hoặc đường dẫn tệp .yaml.",
    default="dvcq",
    dest="form_name",
)


def date_option(name: str, help_text: str, dest: str | None = None) -> Callable[[F], F]:
    """A date option, written 2025-06-20 or 20/06/2025."""
    declared = (name, dest) if dest else (name,)
    return click.option(*declared, type=DateType(), help=help_text)


def period_option(f: F) -> F:
    return click.option(
        "--period",
        required=True,
        type=PeriodType(),
        help="Kỳ báo cáo: 2025, 2025-H1, 2025-H2, 2025-Q1 … 2025-Q4, 2025-9M, 2021-2025.",
    )(f)


def units_file_option(
    help_text: str = "Danh sách đơn vị (.csv hoặc .xlsx) để đối chiếu.", *, required: bool = False
) -> Callable[[F], F]:
    """``--units``: the unit list a command reads (optional, or required where it is the
    command's input: generate, letter)."""
    return click.option(
        "--units",
        "units_path",
        required=required,
        type=file_path(exists=True),
        metavar="TỆP",
        help=help_text,
    )


units_option = units_file_option()
"""The optional ``--units`` of the commands that can take the list recorded at generate."""


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db_path",
        default="workbook-tools.sqlite",
        show_default=True,
        type=file_path(),
        metavar="TỆP",
        help="Cơ sở dữ liệu các tệp đã nhận (SQLite); bản gốc hợp lệ lưu ở thư mục archive bên cạnh.",
    )(f)


def round_options(units: Decorator | None = units_option) -> Decorator:
    """The round a command works on: ``--period``, ``--form``, ``--units`` (the optional
    list by default, the given one, or none) and ``--db``."""
    return stack(period_option, form_option, *([units] if units else []), db_option)


def deadline_option(help_text: str) -> Callable[[F], F]:
    """``--deadline``: the date units must send their report by."""
    return date_option("--deadline", help_text)


late_deadline_option = deadline_option(
    "Hạn nộp để tính gửi muộn (mặc định: hạn ghi trong biểu mẫu)."
)
"""``--deadline`` of the commands that judge lateness (status, serve)."""


def out_file_option(metavar: str, help_text: str) -> Callable[[F], F]:
    """The required ``--out`` file of a command that writes one document."""
    return click.option(
        "--out",
        "out_path",
        required=True,
        type=file_path(),
        metavar=metavar,
        help=help_text,
    )


def out_folder_option(help_text: str, default: str | None = None) -> Callable[[F], F]:
    """``--out``: the folder a command writes its files into (required without a default)."""
    return click.option(
        "--out",
        "out_dir",
        required=default is None,
        default=default,
        show_default=default is not None,
        type=folder_path(),
        metavar="THƯ_MỤC",
        help=help_text,
    )


def annotate_option(help_text: str) -> Callable[[F], F]:
    """``--annotate``: the folder for the copies sent back to units (received files stay)."""
    return click.option("--annotate", type=folder_path(), metavar="THƯ_MỤC", help=help_text)


def json_option(help_text: str = "In kết quả dạng JSON.") -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def only_problems_option(help_text: str) -> Callable[[F], F]:
    """``--only-problems``: print only what needs handling; machine outputs stay whole."""
    return click.option("--only-problems", is_flag=True, help=help_text)


def issuer_option(default: str, help_text: str) -> Callable[[F], F]:
    """``--issuer``: the agency that sends, receives or issues the document."""
    return text_option("--issuer", "TÊN", help_text, default=default)


def signer_option(help_text: str) -> Callable[[F], F]:
    return text_option("--signer", "HỌ_TÊN", help_text)


def province_option(help_text: str) -> Callable[[F], F]:
    """``--province``: the province in the "UBND TỈNH …" line over the issuing agency."""
    return text_option("--province", "TỈNH", help_text, default=DEFAULT_PROVINCE)


def contact_option(help_text: str) -> Callable[[F], F]:
    return text_option("--contact", "LIÊN_HỆ", help_text)


def by_option(help_text: str) -> Callable[[F], F]:
    """``--by``: who decides or locks (default: the computer's user name)."""
    return text_option("--by", "TÊN", help_text, default=None, dest="by")


def existing_store(db_path: str) -> SubmissionStore:
    """The registry a reading command works on; a usage error (exit 2) when none exists yet."""
    if not Path(db_path).exists():
        raise click.UsageError(
            f"Chưa có cơ sở dữ liệu {db_path}: hãy kiểm tra --db, hoặc chạy "
            "'workbook-tools collect' trước."
        )
    return SubmissionStore.open(Path(db_path))


def compare_option(f: F) -> F:
    return click.option("--compare", type=PeriodType(), help="So sánh với kỳ này (ví dụ 2024-H1).")(
        f
    )


def citation_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What a report answers: the plan and the Sở's request letter, gathered as ``citation``."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        plan: str,
        request_number: str,
        request_date: date | None,
        request_subject: str,
        **kwargs: Any,
    ) -> Any:
        kwargs["citation"] = Citation(
            plan=plan.strip(),
            letter_number=request_number.strip(),
            letter_date=request_date,
            letter_subject=request_subject.strip(),
        )
        return f(*args, **kwargs)

    return stack(
        text_option(
            "--plan",
            "KẾ_HOẠCH",
            "Kế hoạch được thực hiện, trích dẫn ở câu mở đầu, ví dụ “Kế hoạch số 39/KH-UBND "
            "ngày 27/02/2025 của UBND tỉnh về thực hiện Quy chế dân chủ ở cơ sở và công tác dân "
            "vận chính quyền năm 2025”.",
        ),
        text_option(
            "--request-number",
            "SỐ/KÝ_HIỆU",
            "Số, ký hiệu công văn đề nghị báo cáo của Sở, ví dụ 1119/SNV-XDCQ "
            "(để trống khi văn thư chưa cấp số).",
        ),
        date_option("--request-date", "Ngày ban hành công văn đề nghị báo cáo."),
        text_option(
            "--request-subject",
            "TRÍCH_YẾU",
            "Trích yếu (V/v) công văn đề nghị, ví dụ “báo cáo kết quả thực hiện công tác "
            "dân vận chính quyền 6 tháng đầu năm 2025” (mặc định theo kỳ báo cáo).",
        ),
    )(wrapper)


def sender_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Who sends the Sở's letters and who signs them (generate and letter)."""
    return stack(
        province_option("Tên tỉnh trong dòng cơ quan chủ quản của công văn (UBND TỈNH …)."),
        signer_option("Họ tên người ký công văn (ký thay Giám đốc: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)."),
    )(f)
