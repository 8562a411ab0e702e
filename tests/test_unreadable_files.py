"""A file that is not a workbook does not vanish from tracking (issue 11, item 3).

It is recognised by its signature (whatever its extension), given to the unit its
name designates, recorded by ``collect``, shown by ``status`` and in the tracking
workbook as "Đã gửi tệp không đọc được (PDF)", and its feedback says what to send.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbook_tools.catalogue import CATALOGUE
from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.attribute import attribute
from workbook_tools.checks.feedback import FEEDBACK_SHEET, write_feedback
from workbook_tools.cli import cli
from workbook_tools.form import Form
from workbook_tools.periods import parse_period
from workbook_tools.units import Unit, UnitRegistry, write_units_csv

UNITS = [
    Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành", None, None, None, None),
    Unit("XA_AN", "UBND xã An", "UBND xã", None, None, None, None),
    Unit("PHUONG_CAM_THANH", "UBND phường Cẩm Thành", "UBND phường", None, None, None, None),
]
REGISTRY = UnitRegistry(tuple(UNITS), "units.csv")
H1 = parse_period("2025-H1")
PDF = b"%PDF-1.4\n% scanned report\n" + b"0" * 2048


def zipped(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


# Each kind as a unit would send it, all named .xlsx: the signature decides, not the name.
KINDS = [
    ("pdf", PDF, "file-pdf"),
    ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "file-image"),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "file-image"),
    ("heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "file-image"),
    ("docx", zipped({"word/document.xml": "<w:document/>"}), "file-word"),
    ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le"), "file-word"),
    ("rtf", b"{\\rtf1\\ansi B\\'e1o c\\'e1o}", "file-word"),
    ("csv", "Mã đơn vị;Số hồ sơ\nXA_AN;1242\n".encode("utf-8-sig"), "file-csv"),
    ("zip", zipped({"a.txt": "x"}), "file-archive"),
    ("rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "file-archive"),
    ("text", "Kính gửi Sở Nội vụ, đơn vị xin gửi báo cáo.".encode(), "file-not-workbook"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "data", "code"), KINDS, ids=[k[0] for k in KINDS])
def test_non_workbooks_are_recognised_by_signature(
    kind: str, data: bytes, code: str, tmp_path: Path, dvcq: Form
) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(data)
    sub = check_file(path, Expectation(dvcq, H1))
    assert [(f.code, f.severity) for f in sub.findings] == [(code, "error")]
    assert "không phải bảng tính" in sub.findings[0].message


def test_pdf_message_says_what_to_send(tmp_path: Path, dvcq: Form) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(PDF)
    (f,) = check_file(path, Expectation(dvcq, H1)).findings
    assert "PDF" in f.message and "không gửi bản scan" in f.message
    assert "tô màu" not in f.message and "đổi đuôi" not in f.message


def test_a_real_xls_is_still_read_as_a_spreadsheet_not_word(tmp_path: Path, dvcq: Form) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "Workbook".encode("utf-16-le")
    path = tmp_path / "a.xls"
    path.write_bytes(data)
    codes = {f.code for f in check_file(path, Expectation(dvcq, H1)).findings}
    assert "file-word" not in codes


@pytest.mark.parametrize(
    ("name", "unit", "period"),
    [
        ("ubnd-phuong-cam-thanh_2025-h1_ban-scan.pdf", "PHUONG_CAM_THANH", "2025-H1"),
        ("UBND phường Cẩm Thành.pdf", "PHUONG_CAM_THANH", None),
        ("ubnd-xa-an_2025-h1.jpg", "XA_AN", "2025-H1"),
        ("XA_AN.pdf", "XA_AN", None),
        ("snv_2025.pdf", "SNV", "2025"),
        ("UBND xã An - báo cáo 6 tháng.pdf", "XA_AN", None),
        ("ubnd-xa-an-scan.jpg", "XA_AN", None),
        ("ubnd-xa-an-ban-scan_2025-h1.jpg", "XA_AN", "2025-H1"),
        ("snv_lan-2_2021-2025.pdf", "SNV", "2021-2025"),
        ("ubnd-xa-an-phu_2025-h1.pdf", None, None),  # An Phú is not An
        ("bao-cao.pdf", None, None),
        ("ubnd-xa_2025-h1.pdf", None, None),
    ],
)
def test_attribution_by_file_name(name: str, unit: str | None, period: str | None) -> None:
    found = attribute(Path(name), REGISTRY, None)
    assert (found.unit.code if found else None) == unit
    if found is not None:
        assert (found.period.code if found.period else None) == period


def test_expected_period_wins_over_none_in_name() -> None:
    found = attribute(Path("XA_AN.pdf"), REGISTRY, H1)
    assert found is not None and found.period == H1


def test_a_name_of_another_period_is_not_attributed() -> None:
    assert attribute(Path("ubnd-xa-an_2024-h1.pdf"), REGISTRY, H1) is None


def test_two_units_named_alike_are_not_guessed() -> None:
    twins = UnitRegistry(
        (
            Unit("XA_AN_1", "UBND xã An", "UBND xã", None, None, None, None),
            Unit("XA_AN_2", "UBND xã An", "UBND xã", None, None, None, None),
        )
    )
    assert attribute(Path("ubnd-xa-an_2025-h1.pdf"), twins, H1) is None


def test_unreadable_file_is_given_to_its_unit(tmp_path: Path, dvcq: Form) -> None:
    path = tmp_path / "ubnd-phuong-cam-thanh_2025-h1_ban-scan.pdf"
    path.write_bytes(PDF)
    sub = check_file(path, Expectation(dvcq, None, registry=REGISTRY))
    assert (sub.unit_code, sub.period, sub.form_id) == ("PHUONG_CAM_THANH", "2025-H1", dvcq.id)
    assert [f.unit for f in sub.findings] == ["PHUONG_CAM_THANH"]
    assert not sub.accepted


def test_no_attribution_against_another_expected_unit(tmp_path: Path, dvcq: Form) -> None:
    path = tmp_path / "ubnd-xa-an_2025-h1.pdf"
    path.write_bytes(PDF)
    sub = check_file(path, Expectation(dvcq, H1, unit="SNV", registry=REGISTRY))
    assert sub.unit_code == ""


def test_feedback_names_the_unit_and_says_send_excel(tmp_path: Path, dvcq: Form) -> None:
    path = tmp_path / "ubnd-phuong-cam-thanh_2025-h1_ban-scan.pdf"
    path.write_bytes(PDF)
    sub = check_file(path, Expectation(dvcq, H1, registry=REGISTRY))
    written = write_feedback(sub, tmp_path / "phan-hoi")
    ws = openpyxl.load_workbook(written)[FEEDBACK_SHEET]
    head = " ".join(str(ws[c].value) for c in ("A1", "A2", "A3"))
    assert "UBND phường Cẩm Thành" in head and "PHUONG_CAM_THANH" in head
    assert "chưa xác định đơn vị" not in head
    assert "tô màu" not in head
    assert "không gửi bản scan" in head
    assert ws["F6"].value == CATALOGUE["file-pdf"].what  # the kind in Vietnamese, not the code


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def collect_pdf(tmp_path: Path) -> tuple[Path, Path, int, str]:
    """An inbox holding Cẩm Thành's scan, collected: (units list, database, exit code, output)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ubnd-phuong-cam-thanh_2025-h1_ban-scan.pdf").write_bytes(PDF)
    units = tmp_path / "units.csv"
    write_units_csv(UNITS, units)
    db = tmp_path / "so.sqlite"
    code, out = run(
        "collect", str(inbox), "--period", "2025-H1", "--db", str(db), "--units", str(units)
    )
    return units, db, code, out


def test_collect_and_status_show_the_pdf_sender(tmp_path: Path) -> None:
    units, db, code, out = collect_pdf(tmp_path)
    assert code == 1
    assert "PHUONG_CAM_THANH" in out
    args = ("status", "--period", "2025-H1", "--db", str(db), "--units", str(units))
    code, out = run(*args, "--json")
    data = json.loads(out)
    cam = next(u for u in data["items"] if u["unit_code"] == "PHUONG_CAM_THANH")
    assert cam["state"] == "rejected_only" and cam["last_rejected_kind"] == "PDF"
    assert cam["state_text"] == "Đã gửi tệp không đọc được (PDF)"
    assert "không gửi bản scan" in cam["note"]
    assert data["states"]["missing"] == 2 and data["states"]["unreadable"] == 1
    code, out = run(*args)
    assert "Đã gửi tệp không đọc được (PDF)" in out
    assert "trong đó 1 gửi tệp không đọc được" in out
    target = tmp_path / "theo-doi.xlsx"
    run(*args, "--xlsx", str(target))
    cells = [
        c for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True) for c in row
    ]
    assert "Đã gửi tệp không đọc được (PDF)" in cells


def test_reminder_letter_asks_the_pdf_sender_for_the_excel_file(tmp_path: Path) -> None:
    from docx import Document

    units, db, _, _ = collect_pdf(tmp_path)
    target = tmp_path / "don-doc.docx"
    code, out = run(
        "letter", "don-doc", "--period", "2025-H1", "--db", str(db), "--units", str(units),
        "--out", str(target),
    )  # fmt: skip
    assert code == 0, out
    listed = [p.text for p in Document(str(target)).paragraphs if "Cẩm Thành" in p.text]
    assert len(listed) == 1
    assert "(PDF)" in listed[0] and "cần gửi tệp Excel" in listed[0]
    assert "cần sửa và gửi lại" not in listed[0]
