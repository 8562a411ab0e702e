"""Click's parameter types with Vietnamese refusals.

Click words a refused value in English ("File 'x' does not exist.", "'x' is not a valid
integer."). These types refuse first, in Vietnamese, from what they know (the value,
the bounds, the choices) and leave the rest of the conversion to click. Every option and
argument of the command line uses one of them (``tests/test_cli_usage.py`` checks it),
or one of the tool's own: a reporting period (:class:`PeriodType`), a date (:class:`DateType`).
"""

from __future__ import annotations

import os
import stat
from datetime import date
from typing import Any

import click

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.periods import Period, parse_period


class PathType(click.Path):
    """A file or folder path; a missing one (when it must exist) or one of the wrong kind
    is refused in Vietnamese."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        shown = os.fsdecode(value)
        try:
            mode = os.stat(value).st_mode
        except OSError:
            if self.exists:
                self.fail(f"Không tìm thấy '{shown}'.", param, ctx)
            return super().convert(value, param, ctx)
        if not self.dir_okay and stat.S_ISDIR(mode):
            self.fail(f"'{shown}' là một thư mục, cần một tệp.", param, ctx)
        if not self.file_okay and stat.S_ISREG(mode):
            self.fail(f"'{shown}' là một tệp, cần một thư mục.", param, ctx)
        if self.readable and not os.access(value, os.R_OK):
            self.fail(f"Không có quyền đọc '{shown}'.", param, ctx)
        return super().convert(value, param, ctx)


def file_path(*, exists: bool = False) -> PathType:
    """A file (not a folder); ``exists``: it must be there already."""
    return PathType(dir_okay=False, exists=exists)


def folder_path() -> PathType:
    """A folder (not a file), which need not exist yet."""
    return PathType(file_okay=False)


def _whole(value: Any, kind: click.ParamType[Any], param: click.Parameter | None,
           ctx: click.Context | None) -> int:  # fmt: skip
    try:
        return int(value)
    except (TypeError, ValueError):
        kind.fail(f"'{value}' không phải số nguyên.", param, ctx)


class WholeNumber(click.types.IntParamType):
    """An integer; anything else is refused in Vietnamese."""

    name = "số"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        return _whole(value, self, param, ctx)


class NumberRange(click.IntRange):
    """An integer from ``min`` to ``max`` (both included); refused in Vietnamese outside."""

    name = "số"

    def __init__(self, min: int, max: int) -> None:  # noqa: A002 (click's own names)
        super().__init__(min, max)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = _whole(value, self, param, ctx)
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            self.fail(
                f"{number} nằm ngoài khoảng cho phép (từ {self.min} đến {self.max}).", param, ctx
            )
        return number


class OneOf(click.Choice):  # type: ignore[type-arg]
    """One of fixed words; another is refused in Vietnamese, naming the allowed ones."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        allowed = ", ".join(f"'{choice}'" for choice in self.choices)
        return f"'{value}' không thuộc các giá trị {allowed}."


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
