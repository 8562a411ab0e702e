"""``workbook-tools review``: the Sở's decision on a unit's return, kept with its reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from workbook_tools.cli.base import VnGroup
from workbook_tools.cli.options import (
    annotate_option,
    by_option,
    existing_store,
    help_option,
    round_options,
    stack,
)
from workbook_tools.form import get_form
from workbook_tools.periods import Period
from workbook_tools.registry import StoredSubmission
from workbook_tools.registry.approval import (
    ACTION_TEXT,
    STATE_TEXT,
    Action,
    decide,
    history,
    unit_return,
    write_return_feedback,
)


@click.group(cls=VnGroup)
@help_option
def review() -> None:
    """Duyệt báo cáo của đơn vị: duyệt, trả lại để sửa, mở lại, mở khóa, xem lịch sử.

    Mỗi quyết định được lưu kèm thời điểm, người quyết định và lý do. Báo cáo được khóa
    khi tổng hợp chính thức ('merge --lock'); báo cáo đã khóa là bản được dùng để tổng hợp
    cho đến khi mở khóa, kể cả khi đơn vị gửi bản mới hơn.
    """


_decision_options = stack(
    click.argument("unit_code", metavar="MÃ_ĐƠN_VỊ"),
    round_options(units=None),
    by_option("Người quyết định (mặc định: tên người dùng máy)."),
    help_option,
)


def _reason_option(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    extra: dict[str, Any] = {"required": True} if required else {"default": ""}
    return click.option(
        "--ly-do",
        "--reason",
        "reason",
        metavar="LÝ_DO",
        help="Lý do (ghi vào lịch sử quyết định, hiện ở lệnh status).",
        **extra,
    )


def _run(
    action: Action, unit_code: str, period: Period, form_name: str, db_path: str, by: str | None,
    reason: str,
) -> StoredSubmission:  # fmt: skip
    form = get_form(form_name)
    with existing_store(db_path) as store:
        sub = unit_return(store, form.id, period, unit_code)
        done = decide(store, sub.id, action, reason, by)
    click.echo(
        f"Đã {ACTION_TEXT[action]} báo cáo {period.label} của {sub.unit_code} ({sub.unit_name}), "
        f"tệp “{sub.file_name}”: nay “{STATE_TEXT[done.state]}”."
    )
    return sub


def _simple_decision(action: Action, required: bool, doc: str) -> None:
    """Add ``review ACTION``: take it on the unit's return, print what was done."""

    def command(
        unit_code: str, period: Period, form_name: str, db_path: str, by: str | None, reason: str
    ) -> None:
        _run(action, unit_code, period, form_name, db_path, by, reason)

    command.__doc__ = doc
    review.command(action)(_reason_option(required)(_decision_options(command)))


_simple_decision("accept", False, "Duyệt báo cáo hợp lệ của đơn vị.")
_simple_decision(
    "reopen",
    True,
    "Mở lại báo cáo đã duyệt hoặc đã trả lại (cần lý do), về trạng thái chờ duyệt.",
)
_simple_decision(
    "unlock",
    True,
    "Mở khóa báo cáo đã tổng hợp (cần lý do); lần tổng hợp sau dùng bản mới nhất.",
)


@review.command("return")
@_decision_options
@_reason_option(True)
@annotate_option("Ghi vào THƯ_MỤC tệp gửi lại đơn vị: bản sao có đánh dấu ô cần xem, kèm lý do.")
def return_(
    unit_code: str,
    period: Period,
    form_name: str,
    db_path: str,
    by: str | None,
    reason: str,
    annotate: str | None,
) -> None:
    """Trả lại báo cáo để đơn vị sửa (cần lý do); báo cáo trả lại không được tổng hợp."""
    sub = _run("return", unit_code, period, form_name, db_path, by, reason)
    if annotate:
        form = get_form(form_name)
        with existing_store(db_path) as store:
            written = write_return_feedback(store, sub, form, Path(annotate), reason)
        click.echo(f"Tệp gửi lại đơn vị: {written}")


@review.command("history")
@click.argument("unit_code", metavar="MÃ_ĐƠN_VỊ")
@round_options(units=None)
@help_option
def show_history(unit_code: str, period: Period, form_name: str, db_path: str) -> None:
    """Lịch sử quyết định về báo cáo của đơn vị."""
    form = get_form(form_name)
    with existing_store(db_path) as store:
        sub = unit_return(store, form.id, period, unit_code)
        decisions = history(store, sub.id)
    click.echo(f"Báo cáo {period.label} của {sub.unit_code}, tệp “{sub.file_name}”:")
    if not decisions:
        click.echo("  Chưa có quyết định nào (chờ duyệt).")
    for d in decisions:
        why = f" — {d.reason}" if d.reason else ""
        click.echo(
            f"  {d.decided_at:%d/%m/%Y %H:%M} {d.decided_by}: {ACTION_TEXT[d.action]} → "
            f"{STATE_TEXT[d.state]}{why}"
        )
