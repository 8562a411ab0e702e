"""The Sở's screen (issue 11, item 9): what needs action first, a one-line summary,
``--only-problems``, and a status table that never cuts a word."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.cli.collect_cmd import table
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

# registry order: the two accepted units first, so that "action first" is a change
UNITS = [
    Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành", None, None, None, None),
    Unit("STP", "Sở Tư pháp", "Sở, ban, ngành", None, None, None, None),
    Unit("XA_A", "UBND xã An Hòa Thượng Nghĩa", "UBND xã", None, None, None, None),
    Unit("XA_B", "UBND xã Bình", "UBND xã", None, None, None, None),
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


@pytest.fixture()
def inbox(tmp_path: Path, request_h1: Request, dvcq: Form) -> tuple[Path, Path, Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    factory = WorkbookFactory(request_h1)
    layout = build_layout(dvcq)
    bad = realistic_return(UNITS[2], 3)
    bad.values["tcd_luot"] = "hơn 150"
    returns = [
        (UNITS[0], realistic_return(UNITS[0], 3), "a-snv.xlsx"),
        (UNITS[1], realistic_return(UNITS[1], 3), "b-stp.xlsx"),
        (UNITS[2], bad, "c-xa-an-hoa-thuong-nghia-ban-gui-lan-thu-nhat-co-loi.xlsx"),
    ]
    for unit, ret, name in returns:
        path = folder / name
        path.write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))
        stamp = datetime(2025, 6, 18, 9).timestamp()
        os.utime(path, (stamp, stamp))
    units = tmp_path / "units.csv"
    write_units_csv(UNITS, units)
    return folder, units, tmp_path / "so.sqlite"


def test_check_puts_errors_first_after_a_summary(inbox: tuple[Path, Path, Path]) -> None:
    folder, units, _ = inbox
    code, out = run("check", str(folder), "--period", "2025-H1", "--units", str(units))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("3 tệp: 1 có lỗi cần xử lý, 2 hợp lệ")
    verdicts = [line for line in lines if line.startswith(("✓", "✗"))]
    assert [v[0] for v in verdicts] == ["✗", "✓", "✓"]  # the file with errors sorts last by name


def test_check_only_problems(inbox: tuple[Path, Path, Path]) -> None:
    folder, units, _ = inbox
    code, out = run(
        "check", str(folder), "--period", "2025-H1", "--units", str(units), "--only-problems"
    )
    assert code == 1
    assert "✓" not in out and "a-snv.xlsx" not in out
    assert "✗ c-xa-an-hoa-thuong-nghia" in out and "Số liệu!" in out
    assert "Không in 2 tệp hợp lệ" in out


def collected(inbox: tuple[Path, Path, Path]) -> tuple[str, ...]:
    folder, units, db = inbox
    run("collect", str(folder), "--period", "2025-H1", "--db", str(db), "--units", str(units))
    return ("status", "--period", "2025-H1", "--db", str(db), "--units", str(units))


def test_status_puts_action_first_after_a_one_line_summary(inbox: tuple[Path, Path, Path]) -> None:
    code, out = run(*collected(inbox))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Cần xử lý: 2 đơn vị (1 chưa gửi, 1 chỉ gửi tệp có lỗi)."
    starts = [line.split()[1] for line in lines if line[:1].isdigit()]  # rows: STT, code…
    assert starts == ["XA_A", "XA_B", "SNV", "STP"]  # action first, list order within
    assert [line.split()[0] for line in lines if line[:1].isdigit()] == ["3", "4", "1", "2"]


def test_status_only_problems(inbox: tuple[Path, Path, Path]) -> None:
    code, out = run(*collected(inbox), "--only-problems")
    assert code == 0
    assert "XA_A" in out and "XA_B" in out
    assert "SNV " not in out and "STP " not in out
    assert "Không in 2 đơn vị" in out


def test_status_note_is_never_cut(inbox: tuple[Path, Path, Path]) -> None:
    args = collected(inbox)
    _, out = run(*args)
    assert "…" not in out
    data = json.loads(run(*args, "--json")[1])
    note = next(u["note"] for u in data["items"] if u["unit_code"] == "XA_A")
    assert "tệp gần nhất" in note
    words = out.split()
    for word in note.split():
        assert word in words, word  # whole, on some line


def test_table_wraps_at_spaces_and_keeps_columns() -> None:
    rows = [("Mã", "Ghi chú"), ("A", "một hai ba bốn năm sáu bảy tám")]
    text = table(rows, (2, 12))
    assert text.splitlines() == [
        "Mã  Ghi chú",
        "A   một hai ba",
        "    bốn năm sáu",
        "    bảy tám",
    ]


def test_long_file_names_break_between_their_words() -> None:
    name = "ban-quan-ly-khu-kinh-te-dung-quat_2025-h1.xlsx"
    lines = table([("Tệp",), (name,)], (20,)).splitlines()[1:]
    assert "".join(line.strip() for line in lines) == name
    assert all(len(line.rstrip()) <= 20 for line in lines)
    assert all(line.rstrip().endswith(("-", "_")) for line in lines[:-1])
