"""``workbook-tools collect`` and ``status`` through the CLI."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

UNITS = [
    Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành", None, None, None, None),
    Unit("XA_A", "UBND xã An", "UBND xã", None, None, None, None),
    Unit("XA_B", "UBND xã Bình", "UBND xã", None, None, None, None),
]


@pytest.fixture()
def setup(tmp_path: Path, request_h1: Request, dvcq: Form) -> tuple[Path, Path, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    factory = WorkbookFactory(request_h1)
    layout = build_layout(dvcq)
    good = realistic_return(UNITS[0], 2)
    bad = realistic_return(UNITS[1], 2)
    bad.values["don_tiep_nhan"] = "khoảng 55.000"
    for unit, ret, day in ((UNITS[0], good, 18), (UNITS[1], bad, 19)):
        path = inbox / f"{unit.code}.xlsx"
        path.write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))
        stamp = datetime(2025, 6, day, 9).timestamp()
        os.utime(path, (stamp, stamp))
    units = tmp_path / "units.csv"
    write_units_csv(UNITS, units)
    return inbox, units, tmp_path / "db" / "so.sqlite"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_collect_then_status(setup: tuple[Path, Path, Path], tmp_path: Path) -> None:
    inbox, units, db = setup
    code, out = run(
        "collect", str(inbox), "--db", str(db), "--units", str(units), "--period", "2025-H1"
    )
    assert code == 1  # one file has errors
    assert "Đã xử lý 2 tệp: 1 mới hợp lệ, 1 mới có lỗi" in out
    code, out = run(
        "collect", str(inbox), "--db", str(db), "--units", str(units), "--period", "2025-H1"
    )
    assert code == 0 and "2 không đổi" in out  # nothing new: nothing changes
    code, out = run("status", "--period", "2025-H1", "--db", str(db), "--units", str(units))
    assert code == 0
    assert "Đã nhận hợp lệ: 1 (đúng hạn 1, gửi muộn 0)" in out
    assert "Có lỗi, chưa đạt: 1" in out and "Chưa gửi: 1" in out
    code, out = run(
        "status", "--period", "2025-H1", "--db", str(db), "--units", str(units), "--json"
    )
    data = json.loads(out)
    states = {u["unit_code"]: u["state"] for u in data["items"]}
    assert states == {"SNV": "accepted", "XA_A": "rejected_only", "XA_B": "missing"}
    target = tmp_path / "theo-doi.xlsx"
    code, _ = run(
        "status",
        "--period",
        "2025-H1",
        "--db",
        str(db),
        "--units",
        str(units),
        "--xlsx",
        str(target),
    )
    assert code == 0
    cells = [c.value for row in openpyxl.load_workbook(target).active.iter_rows() for c in row]
    assert "UBND xã Bình" in cells and "Chưa gửi" in cells


def test_status_deadline_makes_files_late(setup: tuple[Path, Path, Path]) -> None:
    inbox, units, db = setup
    run("collect", str(inbox), "--db", str(db), "--units", str(units), "--period", "2025-H1")
    _, out = run(
        "status",
        "--period",
        "2025-H1",
        "--db",
        str(db),
        "--units",
        str(units),
        "--deadline",
        "2025-06-17",
    )
    assert "Đã nhận hợp lệ: 1 (đúng hạn 0, gửi muộn 1)" in out


def test_status_without_db_and_bad_period(tmp_path: Path) -> None:
    code, out = run("status", "--period", "2025-H1", "--db", str(tmp_path / "none.sqlite"))
    assert code == 2 and "workbook-tools collect" in out  # no such database: usage
    code, out = run("status", "--period", "2025-Q7", "--db", str(tmp_path / "none.sqlite"))
    assert code == 2 and "2025-Q7" in out
