"""Tests for the ``workbook-tools`` command line, through click's CliRunner.

The root group overrides ``main``, so exit codes (0 success, 1 job failure,
2 usage error) and the Vietnamese messages are the same under CliRunner as in a
terminal. Expected unit codes and e-mails are read by eye from
samples/units-quang-ngai.csv and typed here.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from helpers import CORE_CODES

from workbook_tools.cli import cli
from workbook_tools.cli.usage import usage_message
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form import shipped_forms
from workbook_tools.reader.units import load_units

REPO = Path(__file__).resolve().parent.parent
SAMPLE_UNITS = REPO / "samples" / "units-quang-ngai.csv"

COMPUTED_CORE = {
    "hs_nhan_giai_quyet",
    "hs_da_giai_quyet",
    "hs_dang_giai_quyet",
    "ty_le_dung_han",
    "ty_le_truc_tuyen",
    "ty_le_hai_long",
}

# English words click prints in help texts unless the tool translates them.
ENGLISH_HELP = ("Usage:", "Options:", "Commands:", "Show this message and exit")
ENGLISH_METAVARS = ("FILE", "PATH", "DIRECTORY", "TEXT", "INTEGER", "RANGE", "FLOAT")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under ``group``, the group itself first."""
    yield prefix
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


def commands_without_help(group: click.Group) -> list[str]:
    """Command paths (space-joined, root is "") whose help text is missing or blank."""
    missing = []
    for path in command_paths(group):
        command: click.Command = group
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        if not (command.help or "").strip():
            missing.append(" ".join(path))
    return missing


ALL_PATHS = list(command_paths(cli))


def ids(path: tuple[str, ...]) -> str:
    return " ".join(path) or "(root)"


# ---------------------------------------------------------------------------
# Help


def test_the_walk_finds_every_known_command() -> None:
    assert {
        (),
        ("form",),
        ("form", "list"),
        ("form", "show"),
        ("form", "check"),
        ("units",),
        ("units", "check"),
        ("units", "synth"),
        ("generate",),
        ("demo",),
    } <= set(ALL_PATHS)


@pytest.mark.parametrize("path", ALL_PATHS, ids=ids)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_vietnamese(path: tuple[str, ...], flag: str) -> None:
    result = run(*path, flag)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Cách dùng" in result.output
    assert "Tùy chọn" in result.output
    for english in ENGLISH_HELP:
        assert english not in result.output, english


@pytest.mark.parametrize(
    "path",
    ALL_PATHS,
    ids=ids,
)
def test_help_has_no_english_metavars(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    words = set(result.output.replace("[", " ").replace("]", " ").split())
    assert words.isdisjoint(ENGLISH_METAVARS), sorted(words & set(ENGLISH_METAVARS))


def test_every_command_has_help_text() -> None:
    assert commands_without_help(cli) == []


def test_the_help_text_check_finds_an_undocumented_command() -> None:
    @click.group()
    def root() -> None:
        """Documented."""

    @root.command("bare")
    def bare() -> None:
        pass

    assert commands_without_help(root) == ["bare"]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "workbook-tools" in result.output


def test_python_m_workbook_tools_help(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workbook_tools", "--help"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Cách dùng" in proc.stdout
    assert "generate" in proc.stdout
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------
# form


def test_form_list_lists_dvcq() -> None:
    result = run("form", "list")
    assert result.exit_code == 0, result.output
    names = [line.split("\t")[0] for line in result.output.splitlines() if line.strip()]
    assert "dvcq" in names


def test_form_show_text() -> None:
    result = run("form", "show", "dvcq")
    assert result.exit_code == 0, result.output
    for code in ("hs_nhan_giai_quyet", "pakn_tong", "nd_kien_nghi"):
        assert code in result.output


def test_form_show_json() -> None:
    result = run("form", "show", "dvcq", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["form"] == "dvcq"
    assert data["fingerprint"]
    by_code = {ind["code"]: ind for ind in data["indicators"]}
    assert [c for c in CORE_CODES if c not in by_code] == []
    for code in CORE_CODES:
        ind = by_code[code]
        assert {"code", "label", "unit", "kind", "role", "expression"} <= set(ind), code
        assert ind["label"].strip(), code
    for ind in data["indicators"]:
        assert ind["role"] in ("input", "computed"), ind["code"]
        assert (ind["role"] == "computed") == (ind["expression"] is not None), ind["code"]
    assert {c for c in CORE_CODES if by_code[c]["role"] == "computed"} == COMPUTED_CORE
    assert by_code["ty_le_dung_han"]["kind"] == "percent"
    assert by_code["hs_truc_tuyen"]["expression"] is None
    assert data["rules"]
    for rule in data["rules"]:
        assert {"expression", "severity", "message"} <= set(rule), rule
        assert rule["expression"].strip()
        assert rule["severity"] in ("error", "warning")
        assert rule["message"].strip()


def test_form_show_unknown_form_exits_1() -> None:
    result = run("form", "show", "khong_co")
    assert result.exit_code == 1
    assert "khong_co" in result.output
    assert "Traceback" not in result.output


def test_form_check_shipped_definition() -> None:
    result = run("form", "check", str(shipped_forms()["dvcq"]))
    assert result.exit_code == 0, result.output
    assert "dvcq" in result.output


def test_form_check_bad_definition_exits_1_with_where_and_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "sai-khoa.yaml"
    path.write_text(
        "form: thu\nversion: 1\ntitle: Thử\nagency: Sở Nội vụ\nsections:\n"
        "  - id: so_lieu\n    title: Số liệu\n    indicators:\n"
        "      - code: a\n        lable: Chỉ tiêu A\n",
        encoding="utf-8",
    )
    result = run("form", "check", str(path))
    assert result.exit_code == 1, result.output
    assert "sai-khoa.yaml" in result.output
    assert "sections[0].indicators[0].lable" in result.output
    assert "'label'" in result.output  # the did-you-mean
    assert "Cách sửa" in result.output
    assert "Traceback" not in result.output


def test_form_check_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("form", "check", str(tmp_path / "khong-co.yaml"))
    assert result.exit_code == 2  # a path that does not exist: the command is wrong
    assert "khong-co.yaml" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "unknown", "suggested"),
    [
        (("chek",), "lệnh 'chek'", "'check'"),
        (("form", "sho"), "lệnh 'sho'", "'show'"),
        (("check", "--annotat", "x"), "tùy chọn '--annotat'", "'--annotate'"),
    ],
)
def test_a_mistyped_name_answers_in_vietnamese_with_the_near_name(
    args: tuple[str, ...], unknown: str, suggested: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert f"Không có {unknown}" in result.output
    hint = result.output.split("Có phải ý bạn là ", 1)[1].split("?")[0]
    assert suggested in hint, result.output  # one suggestion, or "một trong: …" several
    assert "No such" not in result.output and "Did you mean" not in result.output


def test_several_suggestions_are_translated_too() -> None:
    unknown = click.NoSuchOption("--owne", possibilities=["--owner", "--owners", "--period"])
    assert usage_message(unknown) == (
        "Không có tùy chọn '--owne'. Có phải ý bạn là một trong: '--owner', '--owners'?"
    )


def test_form_check_on_a_folder_answers_in_vietnamese(tmp_path: Path) -> None:
    result = run("form", "check", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" not in result.output


# ---------------------------------------------------------------------------
# generate


def test_sample_has_the_units_used_below() -> None:
    registry = load_units(SAMPLE_UNITS)
    assert registry.get("SNV").email == "snv@quangngai.gov.vn"
    assert registry.get("VPUBND").email == "vpubnd@quangngai.gov.vn"


def test_generate_two_units_writes_two_workbooks_and_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "generate",
        "--period",
        "2025-H1",
        "--units",
        str(SAMPLE_UNITS),
        "--unit",
        "SNV",
        "--unit",
        "VPUBND",
        "--out",
        str(out),
        "--db",
        str(tmp_path / "so.sqlite"),
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    workbooks = [name for name in files if name.endswith(".xlsx")]
    assert len(workbooks) == 2
    letter = "cong-van-de-nghi-dvcq-2025-H1.docx"  # the request letter goes with them
    assert sorted([*workbooks, "danh-sach-gui.csv", letter]) == files
    for name in workbooks:
        assert zipfile.is_zipfile(out / name), name

    with (out / "danh-sach-gui.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["Mã đơn vị"] for row in rows] == ["SNV", "VPUBND"]  # the order asked for
    email = {row["Mã đơn vị"]: row["Email"] for row in rows}
    file = {row["Mã đơn vị"]: row["Tệp"] for row in rows}
    assert email == {"SNV": "snv@quangngai.gov.vn", "VPUBND": "vpubnd@quangngai.gov.vn"}
    assert sorted(file.values()) == workbooks
    # File names are ASCII slugs of the unit names (Sở Nội vụ, Văn phòng UBND tỉnh).
    assert file["SNV"].startswith("so-noi-vu")
    assert file["VPUBND"].startswith("van-phong-ubnd-tinh")
    assert "2025-h1" in file["SNV"].lower()


def test_generate_unknown_unit_exits_1_naming_it(tmp_path: Path) -> None:
    result = run(
        "generate",
        "--period",
        "2025-H1",
        "--units",
        str(SAMPLE_UNITS),
        "--unit",
        "NOPE",
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 1, result.output
    assert "NOPE" in result.output
    assert "đơn vị" in result.output
    assert "Traceback" not in result.output
    out = tmp_path / "out"
    assert not out.exists() or not list(out.glob("*.xlsx"))


def test_generate_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    result = run(
        "generate",
        "--period",
        "2025-H5",
        "--units",
        str(SAMPLE_UNITS),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 2, result.output
    assert "2025-H5" in result.output
    assert "Lỗi cách dùng" in result.output
    assert not (tmp_path / "out").exists()


def test_generate_without_units_is_a_usage_error(tmp_path: Path) -> None:
    result = run("generate", "--period", "2025-H1", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "--units" in result.output
    assert "Missing option" not in result.output


def test_generate_missing_units_file_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    result = run(
        "generate",
        "--period",
        "2025-H1",
        "--units",
        str(tmp_path / "khong-co.csv"),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 2, result.output
    assert "khong-co.csv" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_debug_lets_the_exception_through(tmp_path: Path) -> None:
    units = tmp_path / "trung-ma.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Khối/loại\nA,Xã A,UBND xã\nA,Xã B,UBND xã\n")
    args = [
        "generate",
        "--period",
        "2025-H1",
        "--units",
        str(units),
        "--out",
        str(tmp_path / "out"),
    ]
    result = run("--debug", *args)
    assert result.exception is not None
    assert not isinstance(result.exception, SystemExit)
    assert isinstance(result.exception, WorkbookToolsError)


# ---------------------------------------------------------------------------
# units


def test_units_check_sample() -> None:
    result = run("units", "check", str(SAMPLE_UNITS))
    assert result.exit_code == 0, result.output
    assert "110 đơn vị" in result.output  # 111 lines in the file, one is the header


def test_units_check_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("units", "check", str(tmp_path / "khong-co.csv"))
    assert result.exit_code == 2
    assert "khong-co.csv" in result.output
    assert "Traceback" not in result.output


def test_units_synth_writes_a_list_load_units_accepts(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = run("units", "synth", "--count", "50", "--out", str(out))
    assert result.exit_code == 0, result.output
    registry = load_units(out)
    assert len(registry) == 50
    assert len({u.code for u in registry}) == 50


def test_units_synth_count_zero_is_a_usage_error(tmp_path: Path) -> None:
    result = run("units", "synth", "--count", "0", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()
