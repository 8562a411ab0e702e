"""Usage errors in Vietnamese, written from each error's class and attributes.

Click raises a usage error of a known class with what went wrong as attributes
(``NoSuchOption.option_name`` and ``possibilities``, ``MissingParameter.param`` …) and an
English message; the message is never read here. The two cases click words without a class
of their own (extra arguments, a group without its command) are raised as
:class:`ExtraArguments` and :class:`MissingCommand` by the command classes of
:mod:`workbook_tools.cli.base`; the values click's own types refuse are worded by
:mod:`workbook_tools.cli.types`. A usage error this code raises is Vietnamese already.
"""

from __future__ import annotations

from collections.abc import Sequence

import click
from click.exceptions import NoSuchCommand

DASH_FILE_HINT = (
    " Nếu đó là tên tệp bắt đầu bằng dấu “-”, hãy viết ./ trước tên tệp (ví dụ ./-rf.xlsx) "
    "hoặc đặt -- trước danh sách tệp."
)


class ExtraArguments(click.UsageError):
    """Words left over after a command's arguments."""

    def __init__(self, extra: Sequence[str], ctx: click.Context) -> None:
        self.extra = tuple(extra)
        super().__init__(f"Thừa tham số: {' '.join(self.extra)}.", ctx)


class MissingCommand(click.UsageError):
    """A group (``portal``, ``review`` …) given without one of its commands."""

    def __init__(self, ctx: click.Context) -> None:
        super().__init__("Thiếu tên lệnh.", ctx)


def usage_message(exc: click.UsageError) -> str:
    """What ``exc`` means, in Vietnamese (without the "Lỗi cách dùng" lead-in)."""
    if isinstance(exc, click.NoSuchOption):
        dash = DASH_FILE_HINT if not exc.option_name.startswith("--") else ""
        return f"Không có tùy chọn '{exc.option_name}'.{dash}{_suggestion(exc.possibilities)}"
    if isinstance(exc, NoSuchCommand):
        return f"Không có lệnh '{exc.command_name}'.{_suggestion(exc.possibilities)}"
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        hint = _param_hint(exc)
        return f"Giá trị không hợp lệ cho {hint}: {exc.message}" if hint else exc.message
    if isinstance(exc, click.BadOptionUsage):
        return _bad_option_usage(exc)
    return exc.message  # ours, Vietnamese already


def _suggestion(possibilities: Sequence[str] | None) -> str:
    if not possibilities:
        return ""
    names = ", ".join(f"'{name}'" for name in possibilities)
    if len(possibilities) == 1:
        return f" Có phải ý bạn là {names}?"
    return f" Có phải ý bạn là một trong: {names}?"


def _param_hint(exc: click.BadParameter) -> str:
    if isinstance(exc.param_hint, str):
        return exc.param_hint
    if exc.param_hint is not None:
        return " / ".join(f"'{name}'" for name in exc.param_hint)
    return exc.param.get_error_hint(exc.ctx) if exc.param is not None else ""


def _missing(exc: click.MissingParameter) -> str:
    hint = _param_hint(exc)
    if isinstance(exc.param, click.Argument):
        return f"Thiếu tham số {hint}."
    if isinstance(exc.param, click.Option):
        return f"Thiếu tùy chọn bắt buộc {hint}."
    return f"Thiếu {hint}." if hint else "Thiếu một tham số bắt buộc."


def _bad_option_usage(exc: click.BadOptionUsage) -> str:
    """An option given with a value it does not take, or without the value it needs."""
    name = exc.option_name
    option = _option_named(exc.ctx, name)
    if option is not None and (option.is_flag or option.count):
        return f"Tùy chọn '{name}' không nhận giá trị (bỏ phần “=…” sau tên tùy chọn)."
    nargs = option.nargs if option is not None else 1
    needed = "một giá trị" if nargs == 1 else f"{nargs} giá trị"
    return f"Tùy chọn '{name}' cần {needed}."


def _option_named(ctx: click.Context | None, name: str) -> click.Option | None:
    if ctx is None:
        return None
    for param in ctx.command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None
