"""The CLI's frame: Vietnamese help headings, error mapping and exit codes.

Exit codes: 0 success, 1 the job failed (bad input, findings with errors),
2 a usage error. No traceback reaches the user unless ``--debug`` is given.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, NoReturn

import click

from workbook_tools.cli.usage import ExtraArguments, MissingCommand, usage_message
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.output import DISK_FULL, disk_reason

HELP_TEXT = "Hiện hướng dẫn này rồi thoát."


def _vn_help_rows(command: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
    """Each option's names and help, its notes (default, range, required) in Vietnamese
    from click's structured help extras rather than from its English text."""
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue
        record = param.get_help_record(ctx)
        if record is not None:
            rows.append((record[0], _vn_help(param, ctx)))
    return rows


def _vn_help(option: click.Option, ctx: click.Context) -> str:
    extra = option.get_help_extra(ctx)
    notes = []
    if "default" in extra:
        notes.append(f"mặc định: {extra['default']}")
    if isinstance(option.type, click.IntRange):
        notes.append(f"từ {option.type.min} đến {option.type.max}")
    if "required" in extra:
        notes.append("bắt buộc")
    text = option.help or ""
    return f"{text} [{'; '.join(notes)}]" if notes else text


class _VietnameseHelp:
    """Help headings and option notes in Vietnamese, for commands and groups alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's parsing; its parser raises an option's misuse without the context, which
        is attached here (it says which option was misused, and where its help is)."""
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise
        return rest

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Command)
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, "Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Command)
        rows = _vn_help_rows(self, ctx)
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)


class VnCommand(_VietnameseHelp, click.Command):
    """A command whose help is Vietnamese."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's own parsing, but words left over are an :class:`ExtraArguments`."""
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


class VnGroup(_VietnameseHelp, click.Group):
    """A group whose help, including its list of commands, is Vietnamese."""

    command_class = VnCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # the only bare usage error click raises in the group's own context: no command
            if type(exc) is click.UsageError and exc.ctx is ctx:
                raise MissingCommand(ctx) from exc
            raise

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                commands.append((name, cmd.get_short_help_str(limit=90)))
        if commands:
            with formatter.section("Lệnh"):
                formatter.write_dl(commands)


VnGroup.group_class = VnGroup


class RootGroup(VnGroup):
    """The top command: maps every error to a Vietnamese message and an exit code.

    Overriding ``main`` (rather than wrapping it) keeps the mapping in place for
    click's test runner too.
    """

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        argv = list(args) if args is not None else sys.argv[1:]
        extra.pop("standalone_mode", None)
        sys.exit(_flushed(self._run(argv, prog_name or "workbook-tools", extra)))

    def _run(self, argv: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        debug = "--debug" in argv
        try:
            # Without standalone mode, click returns an Exit's code instead of raising it.
            code = super().main(args=argv, prog_name=prog_name, standalone_mode=False, **extra)
            if isinstance(code, int) and not isinstance(code, bool):
                return code
        except click.exceptions.Exit as exc:
            return int(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:  # a group alone: its help
            click.echo(exc.ctx.get_help(), err=True)
            return 2
        except click.exceptions.Abort:
            click.echo("Đã dừng.", err=True)
            return 1
        except click.UsageError as exc:
            if debug:
                raise
            hint = f"\nXem hướng dẫn: {exc.ctx.command_path} --help" if exc.ctx else ""
            click.echo(f"Lỗi cách dùng: {usage_message(exc)}{hint}", err=True)
            return 2
        except WorkbookToolsError as exc:
            if debug:
                raise
            click.echo(f"Lỗi: {exc}", err=True)
            return 1
        except click.ClickException as exc:
            if debug:
                raise
            click.echo(f"Lỗi: {exc.format_message()}", err=True)
            return exc.exit_code
        except OSError as exc:  # e.g. the disk under a redirected output filled up
            if debug:
                raise
            click.echo(f"Lỗi: {_os_failure(exc, ' kết quả của lệnh')}", err=True)
            return 1
        except Exception as exc:  # the last guard: a user never sees a traceback
            if debug:
                raise
            click.echo(
                f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). Chạy lại lệnh với --debug "
                "để xem chi tiết và gửi cho người quản trị công cụ.",
                err=True,
            )
            return 1
        return 0


def _os_failure(exc: OSError, what: str = "") -> str:
    where = f" {exc.filename}" if exc.filename else what
    if exc.errno in DISK_FULL:
        return f"Ổ đĩa đã đầy: không ghi được{where}. Hãy giải phóng dung lượng rồi chạy lại."
    return f"Không đọc, ghi được{where}: {disk_reason(exc)}."


def _flushed(code: int) -> int:
    """Flush what was printed: a full disk under a redirected output gets a Vietnamese
    line on stderr instead of Python's "Exception ignored … OSError" at exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        with suppress(OSError, ValueError):  # nothing more may reach the broken output
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        click.echo(f"Lỗi: {_os_failure(exc, ' kết quả của lệnh')}", err=True)
        return 1
    return code
