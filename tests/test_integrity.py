"""Issue 15 items 5, 6 and 8: no workbook of another unit overwritten, outputs written
whole or not at all, unit-list text never a live formula."""

from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import faults
import openpyxl
import pytest
from click.testing import CliRunner, Result
from faults import make_inbox
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools import output
from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.text import csv_cell, csv_text
from workbook_tools.units import write_units_csv

DONG_SON = "XA_DONG_SON"
DONG_SON_2 = "XA_DONG_SON_2"
UNITS_CSV = (
    "Mã đơn vị,Tên đơn vị,Khối/loại,Đơn vị cấp trên,Email,Người liên hệ,Ghi chú\n"
    'SNV,Sở Nội vụ,"Sở, ban, ngành",,snv@x.gov.vn,,\n'
    f"{DONG_SON},UBND xã Đông Sơn,UBND xã,,ds@x.gov.vn,,\n"
    f"{DONG_SON_2},UBND xã Đồng Sơn,UBND xã,,ds2@x.gov.vn,,\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def manifest(folder: Path) -> dict[str, str]:
    with (folder / "danh-sach-gui.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["Mã đơn vị"]: row["Tệp"] for row in csv.DictReader(fh)}


def meta_unit(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
    return str(rows["unit_code"])


def generate(units: Path, out: Path, *codes: str) -> Result:
    args = ["generate", "--period", "2025-H1", "--units", str(units), "--out", str(out)]
    for code in codes:
        args += ["--unit", code]
    return run(*args)


# --------------------------------------------------------------- item 5: generate


def test_generate_one_unit_keeps_every_other_units_file_and_row(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    out = tmp_path / "out"
    assert generate(units, out).exit_code == 0
    full = manifest(out)
    assert len(full) == 3
    # Đông Sơn and Đồng Sơn slug alike: both names carry the code, not only the second one
    assert full[DONG_SON] == "ubnd-xa-dong-son_2025-h1_xa-dong-son.xlsx"
    assert full[DONG_SON_2] == "ubnd-xa-dong-son_2025-h1_xa-dong-son-2.xlsx"
    before = {code: (out / name).read_bytes() for code, name in full.items()}

    result = generate(units, out, DONG_SON_2)
    assert result.exit_code == 0, result.output
    assert manifest(out) == full  # merged, not cut to one row
    for code, name in full.items():
        assert meta_unit(out / name) == code
    assert (out / full[DONG_SON]).read_bytes() == before[DONG_SON]
    assert (out / full["SNV"]).read_bytes() == before["SNV"]


def test_generate_refuses_to_overwrite_a_file_of_another_unit(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    out = tmp_path / "out"
    assert generate(units, out, DONG_SON).exit_code == 0
    name = manifest(out)[DONG_SON]
    # someone saves Đồng Sơn's workbook under the name generate gives Đồng Sơn
    other = out / "ubnd-xa-dong-son_2025-h1_xa-dong-son-2.xlsx"
    other.write_bytes((out / name).read_bytes())
    (out / "danh-sach-gui.csv").unlink()  # and the list is gone: the workbook's _meta decides
    kept = other.read_bytes()
    result = generate(units, out, DONG_SON_2)
    assert result.exit_code == 1
    assert "không ghi đè" in result.output and DONG_SON in result.output
    assert "Traceback" not in result.output
    assert other.read_bytes() == kept


# --------------------------------------------------------------- item 8: formulas


@given(st.text(alphabet="=+-@'a1 ", max_size=8))
def test_csv_cell_neutralises_formulas_and_round_trips(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@"))
    assert csv_text(cell) == text


def test_units_check_refuses_a_name_that_is_a_formula(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(
        UNITS_CSV + 'X1,"=HYPERLINK(""http://x"",""bấm"")",UBND xã,,,,\nX2,Tên,=1+2,,,,\n',
        encoding="utf-8",
    )
    result = run("units", "check", str(units))
    assert result.exit_code == 1
    assert result.output.count("unit-formula-text") == 0  # codes are for tools, not people
    assert "dòng 5" in result.output and "dòng 6" in result.output
    assert "công thức" in result.output


def test_manifest_and_units_csv_neutralise_formula_text(tmp_path: Path) -> None:
    from workbook_tools.reader.units import load_units
    from workbook_tools.units import Unit, write_units_csv

    unit = Unit("X1", "UBND xã A", "UBND xã", None, None, "+84 912 345 678", "=1+2")
    path = tmp_path / "u.csv"
    write_units_csv([unit], path)
    raw = path.read_text(encoding="utf-8-sig")
    assert "'+84 912 345 678" in raw and "'=1+2" in raw
    assert list(load_units(path).units) == [unit]


# --------------------------------------------------------------- item 6: outputs


def _fail_on_write(monkeypatch: pytest.MonkeyPatch, err: int = errno.ENOSPC) -> None:
    """The disk fills up: any write through output.replacing fails after the temp file opens."""
    real = output._fsync

    def full(path: Path) -> None:
        raise OSError(err, os.strerror(err), str(path))

    monkeypatch.setattr(output, "_fsync", full)
    assert real is not full


def test_a_failed_write_keeps_the_old_file_and_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old good content")
    _fail_on_write(monkeypatch)
    with pytest.raises(output.OutputError) as caught:
        output.write_bytes(target, b"new")
    assert caught.value.errno == errno.ENOSPC
    assert str(caught.value).startswith("Ổ đĩa đã đầy")
    assert target.read_bytes() == b"old good content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tong-hop.xlsx"]  # no temp left


def test_zipfile_is_whole_after_write(tmp_path: Path) -> None:
    target = tmp_path / "a.zip"
    with output.replacing(target) as temp, zipfile.ZipFile(temp, "w") as z:
        z.writestr("x", "y")
    assert zipfile.is_zipfile(target)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory, request_h1: Request, dvcq: Form) -> Path:
    """A registry with three accepted returns of 2025-H1."""
    root = tmp_path_factory.mktemp("registry")
    make_inbox(root / "inbox", request_h1, dvcq, faults.units(3))
    write_units_csv(faults.units(3), root / "units.csv")
    db = root / "so.sqlite"
    assert (
        run("collect", str(root / "inbox"), "--period", "2025-H1", "--db", str(db)).exit_code == 0
    )
    return db


def _outputs(db: Path, out: Path) -> dict[str, list[str]]:
    common = ["--period", "2025-H1", "--db", str(db), "--units", str(db.parent / "units.csv")]
    return {
        "merge": ["merge", *common, "--out", str(out / "tong-hop.xlsx")],
        "status": ["status", *common, "--xlsx", str(out / "theo-doi.xlsx")],
        "report": ["report", *common, "--out", str(out / "bao-cao.docx")],
    }


@pytest.mark.parametrize("command", ["merge", "status", "report"])
def test_outputs_on_a_full_disk_keep_the_old_file(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    args = _outputs(registry, tmp_path)[command]
    assert run(*args).exit_code == 0
    (written,) = [p for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".docx")]
    good = written.read_bytes()
    _fail_on_write(monkeypatch)
    result = run(*args)
    assert result.exit_code == 1
    assert "Lỗi: Ổ đĩa đã đầy" in result.output and "Traceback" not in result.output
    assert written.read_bytes() == good  # the previous good file, intact
    assert sorted(tmp_path.iterdir()) == [written]  # no 0-byte or temporary file beside it


def test_merge_on_a_really_full_disk(registry: Path, tmp_path: Path) -> None:
    with faults.tmpfs(tmp_path / "disk", 1024) as disk:
        args = _outputs(registry, disk)["merge"]
        assert run(*args).exit_code == 0
        target = disk / "tong-hop.xlsx"
        good = target.read_bytes()
        faults.fill_up(disk)
        result = run(*args)
        assert result.exit_code == 1
        assert "Ổ đĩa đã đầy" in result.output
        assert target.read_bytes() == good
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "tong-hop.xlsx"]


def test_output_to_a_full_device_is_said_in_vietnamese(registry: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "workbook_tools", "status", "--period", "2025-H1",
             "--db", str(registry), "--units", str(registry.parent / "units.csv")],
            stdout=full, stderr=subprocess.PIPE, encoding="utf-8", timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert "Ổ đĩa đã đầy" in done.stderr
