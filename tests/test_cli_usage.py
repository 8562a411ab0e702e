"""Usage errors through click's runner: one case per kind, each in Vietnamese with exit 2.

The messages are written from the error's class and attributes (``cli/usage.py``) and the
refusals of values by the Vietnamese parameter types (``cli/types.py``). If a click
release raised a usage error some other way, its English would reach the user: every case
below also asserts that none of click's English words is printed, so such a release fails
here rather than in front of a clerk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from workbook_tools.cli import cli
from workbook_tools.cli.types import NumberRange, OneOf, PathType, WholeNumber
from workbook_tools.cli.usage import DASH_FILE_HINT, MissingCommand

# What click prints in English for the usage errors below, had we not worded them.
CLICK_ENGLISH = (
    "No such",
    "Missing",
    "Invalid value",
    "Got unexpected",
    "requires an argument",
    "does not take",
    "does not exist",
    "is a directory",
    "is a file",
    "is not",
    "Did you mean",
    "Error:",
    "Usage:",
    "Try '",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="workbook-tools")


@pytest.fixture
def units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.csv"
    path.write_text("Mã đơn vị,Tên đơn vị,Khối/loại\nA,Xã A,UBND xã\n", encoding="utf-8")
    return path


def usage_cases(tmp: Path, units: Path) -> Iterator[tuple[str, list[str], str]]:
    """(kind, arguments, the Vietnamese sentence expected in the answer)."""
    yield "no-such-option", ["check", "--annotat", "x"], "Không có tùy chọn '--annotat'."
    yield "option-suggestion", ["check", "--annotat", "x"], "Có phải ý bạn là '--annotate'?"
    yield "dash-file-name", ["check", "-rf.xlsx"], DASH_FILE_HINT.strip()
    yield "no-such-command", ["chek"], "Không có lệnh 'chek'. Có phải ý bạn là một trong: 'check'"
    yield "no-such-subcommand", ["form", "sho"], "Không có lệnh 'sho'."
    missing_units = ["generate", "--period", "2025-H1", "--out", str(tmp / "o")]
    yield "missing-option", missing_units, "Thiếu tùy chọn bắt buộc '--units'."
    yield "missing-argument", ["check"], "Thiếu tham số 'TỆP_HOẶC_THƯ_MỤC...'."
    bad_period = ["status", "--period", "2025-H5", "--db", str(units)]
    yield "bad-value-own-type", bad_period, "Giá trị không hợp lệ cho '--period': "
    yield "file-not-found", ["units", "check", str(tmp / "khong-co.csv")], "Không tìm thấy '"
    yield "folder-for-file", ["form", "check", str(tmp)], "là một thư mục, cần một tệp."
    yield "file-for-folder", ["demo", "--out", str(units)], "là một tệp, cần một thư mục."
    synth = ["units", "synth", "--out", str(tmp / "x.csv"), "--count"]
    yield "not-an-integer", [*synth, "x"], "'x' không phải số nguyên."
    yield "out-of-range", [*synth, "0"], "0 nằm ngoài khoảng cho phép (từ 1 đến 100000)."
    letter = ["letter", "gui", "--period", "2025-H1", "--units", str(units), "--out", "a.docx"]
    yield "not-a-choice", letter, "'gui' không thuộc các giá trị 'de-nghi', 'don-doc'."
    yield "option-without-value", ["check", "a.xlsx", "--period"], "Tùy chọn '--period' cần một"
    yield "flag-with-value", ["check", "--json=1", "a.xlsx"], "Tùy chọn '--json' không nhận giá"
    yield "extra-argument", ["units", "check", str(units), "thua"], "Thừa tham số: thua."
    yield (
        "own-usage-error",
        ["status", "--period", "2025-H1", "--db", str(tmp / "k.db")],
        ("Chưa có cơ sở dữ liệu"),
    )


CASES = [case[0] for case in usage_cases(Path("t"), Path("u"))]


@pytest.mark.parametrize("kind", CASES)
def test_each_kind_of_usage_error_is_vietnamese_and_exits_2(
    kind: str, tmp_path: Path, units_csv: Path
) -> None:
    args, expected = next((a, e) for k, a, e in usage_cases(tmp_path, units_csv) if k == kind)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Lỗi cách dùng: "), result.output
    assert expected in result.output, result.output
    assert "\nXem hướng dẫn: workbook-tools" in result.output and "--help" in result.output
    leaked = [word for word in CLICK_ENGLISH if word in result.output]
    assert not leaked, result.output
    assert "Traceback" not in result.output


def test_several_near_names_are_all_offered(tmp_path: Path) -> None:
    result = run("check", "--o", "x")  # --only-problems (and nothing else starts near it)
    assert result.exit_code == 2
    assert "Không có tùy chọn '--o'." in result.output
    assert DASH_FILE_HINT not in result.output  # a long option is no file name


def test_a_group_alone_shows_its_help_once_exit_2() -> None:
    result = run("review")
    assert result.exit_code == 2
    assert result.output.startswith("Cách dùng: workbook-tools review")
    assert "Lỗi cách dùng" not in result.output  # the help is not an error message
    assert "Lệnh" in result.output and "accept" in result.output


def test_a_group_without_its_command_is_a_missing_command() -> None:
    # only the root takes an option of its own (--debug), which lets the error through
    result = run("--debug")
    assert isinstance(result.exception, MissingCommand)
    assert str(result.exception) == "Thiếu tên lệnh."


def test_a_letter_with_a_unit_list_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    out = str(tmp_path / "a.docx")
    missing = str(tmp_path / "khong-co.csv")
    result = run("letter", "de-nghi", "--period", "2025-H1", "--units", missing, "--out", out)
    assert result.exit_code == 2, result.output  # was 1: read, then refused by the reader
    assert "Không tìm thấy" in result.output and "khong-co.csv" in result.output


def _params(command: click.Command) -> Iterator[tuple[str, click.Parameter]]:
    for param in command.params:
        yield command.name or "", param
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            for name, param in _params(sub):
                yield f"{command.name} {name}", param


VIETNAMESE_TYPES = (PathType, WholeNumber, NumberRange, OneOf)


def test_every_parameter_refuses_in_vietnamese() -> None:
    """A click type that can refuse a value (Path, int, IntRange, Choice …) words it in
    English: each option and argument uses a Vietnamese type, ours, or one that never
    refuses (text, flags)."""
    never_refuses = (click.types.StringParamType, click.types.BoolParamType)
    english = [
        f"{where}: {param.name} ({type(param.type).__name__})"
        for where, param in _params(cli)
        if not isinstance(param.type, (*VIETNAMESE_TYPES, *never_refuses))
        and type(param.type).__module__.startswith("click")
    ]
    assert english == []


def _command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[list[str]]:
    yield list(path)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _command_paths(sub, (*path, name))


def test_help_notes_are_vietnamese_in_every_command() -> None:
    """Defaults, ranges and "required" are written from click's help extras, not its text."""
    english = ("default:", "required", "<=x<=", "INTEGER", "TEXT]", " TEXT ")
    for path in _command_paths(cli):
        shown = run(*path, "--help")
        assert shown.exit_code == 0, (path, shown.output)
        assert not [w for w in english if w in shown.output], (path, shown.output)
    synth = run("units", "synth", "--help").output
    assert "--count SỐ" in synth and "[mặc định: 3321; từ 1 đến 100000]" in synth
    assert "[bắt buộc]" in synth  # --out


def test_every_command_has_the_vietnamese_frame() -> None:
    """Extra arguments and a missing command are worded by these classes alone."""
    from workbook_tools.cli.base import VnCommand, VnGroup

    def walk(command: click.Command) -> Iterator[click.Command]:
        yield command
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                yield from walk(sub)

    assert [c.name for c in walk(cli) if not isinstance(c, (VnCommand, VnGroup))] == []
