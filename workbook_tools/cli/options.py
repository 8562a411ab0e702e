"""Options shared by several commands, written once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from workbook_tools.cli.base import HELP_TEXT
from workbook_tools.contract.request import Citation
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.periods import Period, parse_period
from workbook_tools.registry import SubmissionStore

F = TypeVar("F", bound=Callable[..., Any])


def help_option(f: F) -> F:
    return click.help_option("-h", "--help", help=HELP_TEXT)(f)


def form_option(f: F) -> F:
    return click.option(
        "--form",
        "form_name",
        default="dvcq",
        show_default=True,
        metavar="BIỂU_MẪU",
        help="Mã biểu mẫu có sẵn (xem 'form list') hoặc đường dẫn tệp .yaml.",
    )(f)


class PeriodType(click.ParamType):  # type: ignore[type-arg]
    name = "KỲ"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return parse_period(str(value))
        except WorkbookToolsError as exc:
            self.fail(str(exc), param, ctx)


class DateType(click.ParamType):  # type: ignore[type-arg]
    name = "NĂM-THÁNG-NGÀY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for parse in (date.fromisoformat, _dmy):
            try:
                return parse(text)
            except ValueError:
                continue
        self.fail(f"ngày {text!r} không hợp lệ; viết dạng 2025-06-20 hoặc 20/06/2025.", param, ctx)


def _dmy(text: str) -> date:
    day, month, year = (int(p) for p in text.split("/"))
    return date(year, month, day)


def period_option(f: F) -> F:
    return click.option(
        "--period",
        required=True,
        type=PeriodType(),
        help="Kỳ báo cáo: 2025, 2025-H1, 2025-H2, 2025-Q1 … 2025-Q4, 2025-9M, 2021-2025.",
    )(f)


def units_option(f: F) -> F:
    return click.option(
        "--units",
        "units_path",
        type=click.Path(dir_okay=False, exists=True),
        metavar="TỆP",
        help="Danh sách đơn vị (.csv hoặc .xlsx) để đối chiếu.",
    )(f)


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db_path",
        default="workbook-tools.sqlite",
        show_default=True,
        type=click.Path(dir_okay=False),
        metavar="TỆP",
        help="Cơ sở dữ liệu các tệp đã nhận (SQLite); bản gốc hợp lệ lưu ở thư mục archive bên cạnh.",
    )(f)


def late_deadline_option(f: F) -> F:
    """``--deadline`` of the commands that judge lateness (status, serve)."""
    return click.option(
        "--deadline",
        type=DateType(),
        help="Hạn nộp để tính gửi muộn (mặc định: hạn ghi trong biểu mẫu).",
    )(f)


def out_file_option(metavar: str, help_text: str) -> Callable[[F], F]:
    """The required ``--out`` file of a command that writes one document."""
    return click.option(
        "--out",
        "out_path",
        required=True,
        type=click.Path(dir_okay=False),
        metavar=metavar,
        help=help_text,
    )


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


def citation_options(f: F) -> F:
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

    options = (
        click.option(
            "--plan",
            default="",
            metavar="KẾ_HOẠCH",
            help="Kế hoạch được thực hiện, trích dẫn ở câu mở đầu, ví dụ “Kế hoạch số 39/KH-UBND "
            "ngày 27/02/2025 của UBND tỉnh về thực hiện Quy chế dân chủ ở cơ sở và công tác dân "
            "vận chính quyền năm 2025”.",
        ),
        click.option(
            "--request-number",
            default="",
            metavar="SỐ/KÝ_HIỆU",
            help="Số, ký hiệu công văn đề nghị báo cáo của Sở, ví dụ 1119/SNV-XDCQ "
            "(để trống khi văn thư chưa cấp số).",
        ),
        click.option(
            "--request-date", type=DateType(), help="Ngày ban hành công văn đề nghị báo cáo."
        ),
        click.option(
            "--request-subject",
            default="",
            metavar="TRÍCH_YẾU",
            help="Trích yếu (V/v) công văn đề nghị, ví dụ “báo cáo kết quả thực hiện công tác "
            "dân vận chính quyền 6 tháng đầu năm 2025” (mặc định theo kỳ báo cáo).",
        ),
    )
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]
