"""The Sở's letters (công văn): the request written at generate time and the reminder
(đôn đốc) from the registry's status, read back with python-docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

UNITS = [
    Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành"),
    Unit("STP", "Sở Tư pháp", "Sở, ban, ngành"),
    Unit("XA_A", "UBND xã An Phú", "UBND xã"),
    Unit("XA_B", "UBND xã Bình Sơn", "UBND xã"),
    Unit("XA_C", "UBND xã Tịnh Khê", "UBND xã"),
    Unit("XA_D", "UBND xã Nghĩa Giang", "UBND xã"),
    Unit("LY_SON", "UBND đặc khu Lý Sơn", "UBND đặc khu"),
]
PLAN = "Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def lines(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cell_lines(cell: object) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]  # type: ignore[attr-defined]


@pytest.fixture()
def units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.csv"
    write_units_csv(UNITS, path)
    return path


def test_request_letter_written_at_generate_time(tmp_path: Path, units_csv: Path) -> None:
    out = tmp_path / "bm"
    code, output = run(
        "generate", "--period", "2025-H1", "--units", str(units_csv), "--out", str(out),
        "--deadline", "2025-06-20", "--contact", "bà Hà, điện thoại 0255 3822 123",
        "--plan", PLAN, "--request-number", "1119/SNV-XDCQ", "--request-date", "2025-05-23",
        "--signer", "Nguyễn Văn Minh",
    )  # fmt: skip
    assert code == 0, output
    doc = Document(str(out / "cong-van-de-nghi-dvcq-2025-H1.docx"))
    left, right = doc.tables[0].rows[0].cells
    head = cell_lines(left)
    assert head[:3] == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ", "Số: 1119/SNV-XDCQ"]
    assert head[3].startswith("V/v báo cáo kết quả thực hiện công tác dân vận chính quyền")
    assert head[3].endswith("6 tháng đầu năm 2025")
    assert "Quảng Ngãi, ngày 23 tháng 5 năm 2025" in cell_lines(right)
    label, names = doc.tables[1].rows[0].cells
    assert cell_lines(label) == ["Kính gửi:"]
    # two sở named; four xã by their khối; the one đặc khu by name
    assert cell_lines(names) == [
        "- Sở Nội vụ;",
        "- Sở Tư pháp;",
        "- UBND các xã;",
        "- UBND đặc khu Lý Sơn.",
    ]
    text = "\n".join(lines(doc))
    assert text.strip().startswith(f"Thực hiện {PLAN}, để có cơ sở tổng hợp")
    assert "(7 tệp, mỗi cơ quan, đơn vị, địa phương một tệp" in text
    assert "từ ngày 15/12/2024 đến ngày 14/06/2025" in text
    assert "chậm nhất ngày 20/6/2025" in text
    assert "liên hệ: bà Hà, điện thoại 0255 3822 123." in text
    places, signature = doc.tables[-1].rows[0].cells
    assert cell_lines(places)[0] == "Nơi nhận:" and "- Như trên;" in cell_lines(places)
    assert cell_lines(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Minh"]


def test_reminder_lists_exactly_the_units_status_has_without_a_valid_return(
    tmp_path: Path, units_csv: Path, request_h1: Request, dvcq: Form
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    factory, layout = WorkbookFactory(request_h1), build_layout(dvcq)
    for unit in (UNITS[0], UNITS[2], UNITS[4]):  # SNV and XA_C good, XA_A wrong
        ret = realistic_return(unit, 3)
        if unit.code == "XA_A":
            ret.values["don_tiep_nhan"] = "khoảng 55.000"
        (inbox / f"{unit.code}.xlsx").write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))  # fmt: skip
    db = tmp_path / "so.sqlite"
    run("collect", str(inbox), "--db", str(db), "--units", str(units_csv), "--period", "2025-H1")
    code, output = run(
        "status", "--period", "2025-H1", "--db", str(db), "--units", str(units_csv), "--json"
    )
    assert code == 0, output
    missing = [u["unit_name"] for u in json.loads(output)["items"] if u["state"] != "accepted"]
    assert missing == [
        "Sở Tư pháp",
        "UBND xã An Phú",
        "UBND xã Bình Sơn",
        "UBND xã Nghĩa Giang",
        "UBND đặc khu Lý Sơn",
    ]
    target = tmp_path / "don-doc.docx"
    code, output = run(
        "letter", "don-doc", "--period", "2025-H1", "--db", str(db), "--units", str(units_csv),
        "--out", str(target), "--request-number", "1119/SNV-XDCQ", "--request-date",
        "2025-05-23", "--new-deadline", "2025-06-27",
    )  # fmt: skip
    assert code == 0, output
    assert "5 đơn vị chưa có báo cáo hợp lệ" in output
    doc = Document(str(target))
    head = cell_lines(doc.tables[0].rows[0].cells[0])
    assert head[2] == "Số:       /SNV"  # a new letter: numbered by the văn thư
    assert head[3].startswith("V/v đôn đốc báo cáo")
    listed = [t for t in lines(doc) if t[:1].isdigit() and ". " in t]
    assert [t.split(". ", 1)[1].split(":")[0] for t in listed] == missing
    assert listed[1].endswith("có lỗi, chưa đạt; cần sửa và gửi lại;")
    assert listed[0].endswith("chưa gửi báo cáo;") and listed[-1].endswith(".")
    text = "\n".join(lines(doc))
    assert "Công văn số 1119/SNV-XDCQ ngày 23/5/2025 của Sở Nội vụ" in text
    assert "2/7 cơ quan, đơn vị đã gửi báo cáo hợp lệ; còn 5 cơ quan" in text
    assert "trước ngày 27/6/2025" in text
    kinh_gui = cell_lines(doc.tables[1].rows[0].cells[1])
    assert kinh_gui == [
        "- Sở Tư pháp;",
        "- UBND xã An Phú;",
        "- UBND xã Bình Sơn;",
        "- UBND xã Nghĩa Giang;",
        "- UBND đặc khu Lý Sơn.",
    ]


def test_letter_help_is_vietnamese() -> None:
    code, output = run("letter", "--help")
    assert code == 0
    assert "công văn đề nghị báo cáo" in output and "đôn đốc" in output


def test_a_reminder_without_a_registry_is_refused_clearly(tmp_path: Path, units_csv: Path) -> None:
    code, output = run(
        "letter", "don-doc", "--period", "2025-H1", "--db", str(tmp_path / "none.sqlite"),
        "--units", str(units_csv), "--out", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert code == 2  # a --db that does not exist: a usage error (README, "Mã thoát")
    assert "Chưa có cơ sở dữ liệu" in output and "Traceback" not in output
    assert not (tmp_path / "x.docx").exists()
