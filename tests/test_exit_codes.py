"""Likely mistakes are not silent successes: exit codes and refusals (issue 11, item 6).

Exit codes (README): 0 done, 1 the job found a problem (a file with errors, no
file, no data), 2 the command itself is wrong (unknown option, missing path).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.registry import SubmissionStore
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

UNIT = Unit("XA_A", "UBND xã An", "UBND xã", None, None, None, None)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def db_option(command: str, tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "so.sqlite")] if command == "collect" else []


@pytest.fixture()
def db(tmp_path: Path, request_h1: Request, dvcq: Form) -> Path:
    """A registry holding one accepted 2025-H1 return, and nothing for any other period."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ret = realistic_return(UNIT, 1)
    (inbox / "an.xlsx").write_bytes(
        fill_xlsx(
            WorkbookFactory(request_h1).build(UNIT), build_layout(dvcq), ret.values, ret.table
        )
    )
    target = tmp_path / "so.sqlite"
    code, out = run("collect", str(inbox), "--period", "2025-H1", "--db", str(target))
    assert code == 0, out
    write_units_csv([UNIT], tmp_path / "units.csv")  # beside it, for merge --units
    return target


@pytest.mark.parametrize("command", ["check", "collect"])
def test_missing_path_is_a_usage_error(command: str, tmp_path: Path) -> None:
    code, out = run(command, str(tmp_path / "khong-co"), *db_option(command, tmp_path))
    assert code == 2
    assert "khong-co" in out and "Traceback" not in out
    assert not (tmp_path / "so.sqlite").exists()  # refused before any work


def test_check_missing_path_among_good_ones_is_still_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    code, _ = run("check", str(tmp_path / "a.txt"), str(tmp_path / "khong-co.xlsx"))
    assert code == 2


@pytest.mark.parametrize("command", ["check", "collect"])
def test_empty_folder_is_an_error(command: str, tmp_path: Path) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    code, out = run(command, str(empty), *db_option(command, tmp_path))
    assert code == 1
    assert "Không có tệp nào" in out


def test_file_with_errors_is_exit_1_not_2(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    code, _ = run("check", str(tmp_path))
    assert code == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--period", "2024-H1"), "chưa có tệp hợp lệ"),  # nothing collected for the period
        (("--period", "2025-H1", "--compare", "2024-H1"), "Kỳ so sánh"),
        (("--period", "2025-H1", "--unit", "XA_A", "--compare", "2024-H1"), "kỳ so sánh"),
    ],
    ids=["period", "compare", "unit-compare"],
)
def test_report_without_data_is_refused(
    args: tuple[str, ...], said: str, db: Path, tmp_path: Path
) -> None:
    out_docx = tmp_path / "bao-cao.docx"
    units = str(db.parent / "units.csv")
    code, out = run("report", *args, "--db", str(db), "--units", units, "--out", str(out_docx))
    assert code == 1
    assert said in out and "2024-H1" in out
    assert not out_docx.exists()


def test_merge_without_data_is_refused(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "tong-hop.xlsx"
    units = ("--units", str(tmp_path / "units.csv"))
    code, out = run("merge", "--period", "2024-H1", "--db", str(db), "--out", str(target), *units)
    assert code == 1 and "2024-H1" in out and "chưa có tệp hợp lệ" in out
    assert not target.exists()
    code, out = run(
        "merge", "--period", "2025-H1", "--compare", "2024-H2", "--db", str(db),
        "--out", str(target), *units,
    )  # fmt: skip
    assert code == 1 and "Kỳ so sánh" in out
    assert not target.exists()


def test_report_with_data_still_works(db: Path, tmp_path: Path) -> None:
    out_docx = tmp_path / "bao-cao.docx"
    units = str(tmp_path / "units.csv")
    code, out = run("report", "--period", "2025-H1", "--db", str(db), "--units", units,
                    "--out", str(out_docx))  # fmt: skip
    assert code == 0, out
    assert out_docx.exists()


@pytest.mark.parametrize("unit", [(), ("--unit", UNIT.code)], ids=["consolidated", "unit"])
def test_report_without_units_takes_the_recorded_round_or_refuses(
    db: Path, tmp_path: Path, unit: tuple[str, ...]
) -> None:
    """As status and merge: no --units means the units recorded at generate time."""
    out_docx = tmp_path / "bao-cao.docx"
    args = ("report", "--period", "2025-H1", *unit, "--db", str(db), "--out", str(out_docx))
    code, out = run(*args)
    assert code == 1 and "--units" in out and "Traceback" not in out  # nothing recorded
    assert not out_docx.exists()
    with SubmissionStore.open(db) as store:
        store.record_round("dvcq", "2025-H1", [UNIT])
    code, out = run(*args)
    assert code == 0, out
    assert out_docx.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("units", "check", "{missing}.csv"),
        ("form", "check", "{missing}.yaml"),
        ("status", "--period", "2025-H1", "--db", "{missing}.sqlite"),
        ("report", "--period", "2025-H1", "--db", "{missing}.sqlite", "--out", "{tmp}/a.docx"),
        ("merge", "--period", "2025-H1", "--db", "{missing}.sqlite", "--out", "{tmp}/a.xlsx"),
        ("status", "--period", "2025-H1", "--db", "{db}", "--units", "{missing}.csv"),
        ("generate", "--period", "2025-H1", "--units", "{missing}.csv", "--out", "{tmp}/o"),
    ],
    ids=["units-check", "form-check", "status-db", "report-db", "merge-db", "units", "generate"],
)
def test_every_missing_input_path_is_a_usage_error(
    args: tuple[str, ...], db: Path, tmp_path: Path
) -> None:
    filled = [a.format(missing=tmp_path / "khong-co", tmp=tmp_path, db=db) for a in args]
    code, out = run(*filled)
    assert code == 2, out
    assert "khong-co" in out and "does not exist" not in out
