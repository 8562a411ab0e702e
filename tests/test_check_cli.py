"""``workbook-tools check``: exit codes, the table, JSON, and feedback files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from corpus import lying_crc

from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

UNIT = Unit("XA_TINH_KHE", "UBND xã Tịnh Khê", "UBND xã", None, None, None, None)


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory, request_h1: Request, dvcq: Form
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inbox")
    factory = WorkbookFactory(request_h1)
    layout = build_layout(dvcq)
    good = realistic_return(UNIT, 1)
    bad = realistic_return(UNIT, 1)
    bad.values["tcd_luot"] = "hơn 150"
    # Warnings only: a number typed as text, and fewer people than visits (6 lượt).
    warn = realistic_return(UNIT, 1)
    warn.values["don_tiep_nhan"] = "1.045"
    warn.values["tcd_nguoi"] = 5
    paths = {"good": folder / "good.xlsx", "bad": folder / "bad.xlsx", "junk": folder / "notes.txt"}
    paths["good"].write_bytes(fill_xlsx(factory.build(UNIT), layout, good.values, good.table))
    paths["bad"].write_bytes(fill_xlsx(factory.build(UNIT), layout, bad.values, bad.table))
    warnings_only = tmp_path_factory.mktemp("warn") / "warn.xlsx"
    warnings_only.write_bytes(fill_xlsx(factory.build(UNIT), layout, warn.values, warn.table))
    paths["warn"] = warnings_only
    paths["junk"].write_text("mã đơn vị;số liệu\n", encoding="utf-8")
    return paths


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_all_good_exits_zero(files: dict[str, Path]) -> None:
    code, out, _ = run("check", str(files["good"]))
    assert code == 0
    assert "✓ good.xlsx — XA_TINH_KHE UBND xã Tịnh Khê: HỢP LỆ" in out
    assert "1 hợp lệ, 0 có lỗi" in out


def test_any_error_exits_one_and_names_sheet_and_cell(files: dict[str, Path], dvcq: Form) -> None:
    code, out, _ = run("check", str(files["good"]), str(files["bad"]))
    assert code == 1
    cell = build_layout(dvcq).cell("tcd_luot").a1
    assert f"[Lỗi] Số liệu!{cell}: Số lượt tiếp công dân: Ô số đang chứa chữ “hơn 150”" in out
    assert "2 tệp: 1 hợp lệ, 1 có lỗi" in out


def test_folder_is_walked_and_non_workbooks_are_findings(files: dict[str, Path]) -> None:
    code, out, _ = run("check", str(files["good"].parent))
    assert code == 1
    assert "notes.txt" in out and "không phải bảng tính" in out
    assert "3 tệp: 1 hợp lệ, 2 có lỗi" in out


def test_json_keys(files: dict[str, Path]) -> None:
    code, out, _ = run("check", "--json", str(files["bad"]), str(files["junk"]))
    assert code == 1
    files = json.loads(out)["items"]
    assert [f["accepted"] for f in files] == [False, False]
    rows = [row for f in files for row in f["findings"]]
    assert {"file", "unit", "code", "severity", "sheet", "cell", "indicators", "message"} <= set(
        rows[0]
    )
    # the one Finding's place and own fix (a form's or unit list's), empty for a received file
    assert {(r["where"], r["fix"]) for r in rows} == {("", "")}
    codes = {(r["code"], Path(r["file"]).name, r["unit"]) for r in rows}
    assert ("value-text-in-number", "bad.xlsx", "XA_TINH_KHE") in codes
    assert ("file-not-workbook", "notes.txt", "") in codes


def test_annotate_writes_marked_copies_and_leaves_originals(
    files: dict[str, Path], tmp_path: Path, dvcq: Form
) -> None:
    before = files["bad"].read_bytes()
    code, out, _ = run("check", str(files["bad"]), str(files["good"]), "--annotate", str(tmp_path))
    assert code == 1
    name = f"bad_XA_TINH_KHE_{hashlib.sha256(before).hexdigest()[:8]}_can-sua.xlsx"
    assert f"→ Tệp gửi lại đơn vị: {tmp_path / name}" in out
    assert files["bad"].read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # only files with findings
    wb = openpyxl.load_workbook(tmp_path / name)
    assert wb.sheetnames[0] == "Cần sửa"
    cell = wb["Số liệu"][build_layout(dvcq).cell("tcd_luot").a1]
    assert cell.comment is not None and "hơn 150" in cell.comment.text
    assert cell.fill.start_color.rgb.endswith("F4B6B6")
    listed = [row[5] for row in wb["Cần sửa"].iter_rows(min_row=6, values_only=True)]
    assert "Chữ trong ô số." in listed
    assert "_meta" in wb.sheetnames  # the unit can correct this very file and send it again


def test_warnings_only_get_an_accepted_note_never_a_resend(
    files: dict[str, Path], tmp_path: Path, dvcq: Form
) -> None:
    code, out, _ = run("check", str(files["warn"]), "--annotate", str(tmp_path), "--json")
    assert code == 0
    found = {
        (f["code"], f["severity"], f["cell"])
        for checked in json.loads(out)["items"]
        for f in checked["findings"]
    }
    layout = build_layout(dvcq)
    received, people = layout.cell("don_tiep_nhan").a1, layout.cell("tcd_nguoi").a1
    assert found == {
        ("value-number-as-text", "warning", received),
        ("rule-failed", "warning", people),
    }
    (note,) = tmp_path.iterdir()
    assert note.name.startswith("warn_XA_TINH_KHE_") and note.name.endswith("_ghi-chu.xlsx")
    wb = openpyxl.load_workbook(note)
    assert wb.sheetnames[0] == "Ghi chú" and "Cần sửa" not in wb.sheetnames
    texts = [str(v) for row in wb["Ghi chú"].iter_rows(values_only=True) for v in row if v]
    assert not any("TRƯỚC KHI GỬI LẠI" in t or "0 lỗi" in t for t in texts), texts
    assert any("KHÔNG CẦN GỬI LẠI" in t for t in texts)
    # The copy holds the number the Sở accepted, so its own check sheet does not refuse it.
    assert wb["Số liệu"][received].value == 1045
    for cell in (received, people):  # orange: a warning, as in the legend
        assert wb["Số liệu"][cell].fill.start_color.rgb.endswith("FAD7A0"), cell
    _, table, _ = run("check", str(files["warn"]), "--annotate", str(tmp_path))
    assert "không phải gửi lại" in table and "Tệp gửi lại đơn vị" not in table


def test_feedback_speaks_vietnamese(files: dict[str, Path], tmp_path: Path) -> None:
    run("check", str(files["bad"]), "--annotate", str(tmp_path))
    (copy,) = tmp_path.glob("bad_*_can-sua.xlsx")
    sheet = openpyxl.load_workbook(copy)["Cần sửa"]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert not any("2025-H1" in t for t in texts), texts
    assert any("6 tháng đầu năm 2025" in t for t in texts), texts
    codes = {"value-text-in-number", "value-number-as-text", "rule-failed"}
    assert not any(t in codes for t in texts), texts
    assert "Chữ trong ô số." in texts


def test_annotate_survives_a_zip_with_a_lying_crc(files: dict[str, Path], tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.xlsx").write_bytes(files["good"].read_bytes())
    lying_crc(files["good"], inbox / "liar.xlsx")
    out_dir = tmp_path / "fb"
    code, out, err = run("check", str(inbox), "--annotate", str(out_dir))
    assert code == 1
    assert "Lỗi không mong đợi" not in err
    assert "Tổng cộng 2 tệp: 1 hợp lệ, 1 có lỗi." in out
    _, listed, _ = run("check", str(inbox / "liar.xlsx"), "--json")
    assert [f["code"] for c in json.loads(listed)["items"] for f in c["findings"]] == [
        "file-unreadable"
    ]
    (liar,) = out_dir.glob("liar_*_can-sua.xlsx")
    copy = openpyxl.load_workbook(liar)
    assert copy.sheetnames == ["Cần sửa"]  # the list only: the file was never re-opened


def test_a_feedback_copy_that_cannot_be_written_does_not_stop_the_run(
    files: dict[str, Path], tmp_path: Path
) -> None:
    digest = hashlib.sha256(files["bad"].read_bytes()).hexdigest()[:8]
    (tmp_path / f"bad_XA_TINH_KHE_{digest}_can-sua.xlsx").mkdir()  # where the copy goes
    code, out, err = run(
        "check", str(files["bad"]), str(files["warn"]), "--annotate", str(tmp_path)
    )
    assert code == 1
    assert "Lỗi không mong đợi" not in err
    assert "không ghi được" in out
    assert list(tmp_path.glob("warn_*_ghi-chu.xlsx"))  # the next file still gets its copy
    assert "Tổng cộng 2 tệp: 1 hợp lệ, 1 có lỗi." in out


def test_usage_error_exits_two() -> None:
    code, _, err = run("check")
    assert code == 2
    assert "Thiếu tham số" in err
