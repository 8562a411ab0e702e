"""The frame of a document: header by khối, the unit list's columns, title by period,
the opening's citation (stored in the workbook), Nơi nhận, the signature block."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_tools.contract import Request
from workbook_tools.contract.request import Citation, from_meta
from workbook_tools.errors import UnitRegistryError
from workbook_tools.form import get_form
from workbook_tools.libreoffice import convert_many
from workbook_tools.periods import parse_period
from workbook_tools.reader import read_file
from workbook_tools.reader.units import load_units
from workbook_tools.report import Frame, render
from workbook_tools.report.context import unit_context
from workbook_tools.report.frame import default_issuer, initials, title, unit_issuer
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

TOPIC = "công tác dân vận chính quyền"
PLAN = "Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh"
LETTER = Citation(
    plan=PLAN,
    letter_number="1119/SNV-XDCQ",
    letter_date=date(2025, 5, 23),
    letter_subject="báo cáo kết quả công tác dân vận chính quyền 6 tháng đầu năm 2025",
)


# ------------------------------------------------------------------ the header


def test_commune_header_has_no_line_above_and_its_own_place() -> None:
    issuer = default_issuer("UBND xã Bình Sơn", "UBND xã")
    assert issuer.above == ""
    assert issuer.header == ("ỦY BAN NHÂN DÂN", "XÃ BÌNH SƠN")
    assert issuer.symbol == "UBND"
    assert issuer.place == "Bình Sơn"


def test_provincial_office_and_a_so_as_the_seeds_head_them() -> None:
    office = default_issuer("Văn phòng UBND tỉnh", "Sở, ban, ngành")
    assert (office.above, office.header, office.symbol) == (
        "UBND TỈNH QUẢNG NGÃI",
        ("VĂN PHÒNG",),
        "VP",
    )
    so = default_issuer("Sở Nội vụ", "Sở, ban, ngành")
    assert (so.above, so.header, so.symbol) == ("UBND TỈNH QUẢNG NGÃI", ("SỞ NỘI VỤ",), "SNV")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sở Giáo dục và Đào tạo", "SGDĐT"),
        ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
        ("Sở Khoa học và Công nghệ", "SKHCN"),
    ],
)
def test_initials_of_a_so(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_never_an_internal_code_as_symbol() -> None:
    unit = Unit("XA_BINH_SON", "UBND xã Bình Sơn", "UBND xã")
    issuer = unit_issuer(unit)
    assert issuer.symbol == "UBND"
    assert "XA_BINH_SON" not in " ".join([issuer.above, *issuer.header, issuer.symbol])


def test_unit_list_columns_override_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.csv"
    path.write_text(
        "Mã đơn vị,Tên đơn vị,Khối/loại,Cơ quan chủ quản,Tên trên văn bản,Ký hiệu,Địa danh,"
        "Chức danh thủ trưởng\n"
        'VPUBND,Văn phòng UBND tỉnh,"Sở, ban, ngành",UBND tỉnh Quảng Ngãi,Văn phòng,VP,'
        "Quảng Ngãi,Chánh Văn phòng\n"
        'SGDDT,Sở Giáo dục và Đào tạo,"Sở, ban, ngành",,,SGDĐT,,\n'
        "XA_BS,UBND xã Bình Sơn,UBND xã,,Ủy ban nhân dân / xã Bình Sơn,,,\n",
        encoding="utf-8",
    )
    registry = load_units(path)
    office = unit_issuer(registry.get("VPUBND"))
    assert office.header == ("VĂN PHÒNG",)
    assert office.head_title == "CHÁNH VĂN PHÒNG"
    assert unit_issuer(registry.get("SGDDT")).symbol == "SGDĐT"
    commune = unit_issuer(registry.get("XA_BS"))
    assert commune.header == ("ỦY BAN NHÂN DÂN", "XÃ BÌNH SƠN")
    assert commune.place == "Bình Sơn"
    # written back, the columns are kept
    again = tmp_path / "lai.csv"
    write_units_csv(registry, again)
    assert load_units(again).get("SGDDT").symbol == "SGDĐT"


def test_an_old_list_without_the_new_columns_stays_valid(tmp_path: Path) -> None:
    path = tmp_path / "cu.csv"
    path.write_text(
        "Mã đơn vị,Tên đơn vị,Khối/loại\nXA_BS,UBND xã Bình Sơn,UBND xã\n", encoding="utf-8"
    )
    unit = load_units(path).get("XA_BS")
    assert (unit.above, unit.header_name, unit.symbol, unit.place, unit.signer_title) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_a_symbol_with_a_slash_is_reported_with_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "sai.csv"
    path.write_text(
        'Mã đơn vị,Tên đơn vị,Khối/loại,Ký hiệu\nSNV,Sở Nội vụ,"Sở, ban, ngành",BC/SNV\n',
        encoding="utf-8",
    )
    with pytest.raises(UnitRegistryError) as info:
        load_units(path)
    [problem] = info.value.problems
    assert problem.code == "unit-bad-symbol"
    assert problem.where == 'dòng 2, cột "Ký hiệu"'


# ------------------------------------------------------------------ the title


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "2025-H1",
            "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm, "
            "nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
        ),
        ("2025", "Kết quả thực hiện công tác dân vận chính quyền năm 2025, nhiệm vụ năm 2026"),
        (
            "2021-2025",
            "Sơ kết 5 năm thực hiện công tác dân vận chính quyền giai đoạn 2021 – 2025",
        ),
        (
            "2025-Q4",
            "Kết quả thực hiện công tác dân vận chính quyền quý IV năm 2025, "
            "nhiệm vụ trọng tâm quý I năm 2026",
        ),
    ],
)
def test_title_follows_the_period_kind(code: str, expected: str) -> None:
    assert title(TOPIC, parse_period(code)) == expected


# ------------------------------------------------------- opening, Nơi nhận, signature


def _commune_report(tmp_path: Path, frame: Frame) -> Document:
    values = {
        "hinh_thuc_ky": "TM.",
        "chuc_danh_thu_truong": "Ủy ban nhân dân",
        "chuc_vu_nguoi_ky": "Chủ tịch",
        "nguoi_ky": "Trần Văn Thiện",
    }
    context = unit_context(
        "UBND xã Bình Sơn",
        parse_period("2025-H1"),
        values,
        [],
        frame,
        topic=TOPIC,
        form=get_form("dvcq"),
    )
    return Document(str(render(context, tmp_path / "r.docx")))


def test_commune_report_header_opening_recipients_and_signature(tmp_path: Path) -> None:
    issuer = unit_issuer(Unit("XA_BS", "UBND xã Bình Sơn", "UBND xã"))
    frame = Frame(issuer, LETTER, recipients=("Sở Nội vụ", "Phòng Nội vụ"))
    doc = _commune_report(tmp_path, frame)
    left, right = doc.tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines == ["ỦY BAN NHÂN DÂN", "XÃ BÌNH SƠN", "Số:       /BC-UBND"]
    assert all(r.font.bold for p in left.paragraphs[:2] for r in p.runs)
    assert any(p.text.startswith("Bình Sơn, ngày") for p in right.paragraphs)
    opening = next(p.text for p in doc.paragraphs if p.text.startswith("Thực hiện "))
    assert opening.startswith(
        f"Thực hiện {PLAN} và theo đề nghị tại Công văn số 1119/SNV-XDCQ ngày 23/5/2025 "
        "của Sở Nội vụ về việc báo cáo kết quả"
    )
    assert ", UBND xã Bình Sơn báo cáo kết quả thực hiện" in opening
    assert opening.endswith("như sau:")
    places, signature = doc.tables[1].rows[0].cells
    assert [p.text for p in places.paragraphs if p.text] == [
        "Nơi nhận:",
        "- Sở Nội vụ;",
        "- Phòng Nội vụ;",
        "- Lưu: VT.",
    ]
    assert [p.text for p in signature.paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Trần Văn Thiện",
    ]


def test_signature_block_never_splits_and_the_closing_keeps_with_it(tmp_path: Path) -> None:
    doc = _commune_report(tmp_path, Frame(default_issuer("UBND xã Bình Sơn")))
    row = doc.tables[1].rows[0]._tr
    assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
    closing = next(p for p in doc.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    assert closing.paragraph_format.keep_with_next


# -------------------------------------------------- the citation, through the workbook

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
    max_size=60,
).map(lambda t: " ".join(t.split()))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=_text,
    number=_text,
    day=st.none() | st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    subject=_text,
)
def test_citation_round_trips_through_the_workbook_meta(
    tmp_path: Path, request_h1: Request, plan: str, number: str, day: date | None, subject: str
) -> None:
    citation = Citation(plan, number, day, "Sở Nội vụ", subject)
    request = Request(request_h1.form, request_h1.period, citation=citation)
    path = tmp_path / "bm.xlsx"
    path.write_bytes(WorkbookFactory(request).build(Unit("XA_BS", "UBND xã Bình Sơn", "UBND xã")))
    result = read_file(path)
    assert result.workbook is not None
    assert from_meta(result.workbook.meta) == citation


@pytest.mark.libreoffice
def test_the_signature_block_is_never_split_in_print(soffice: str, tmp_path: Path) -> None:
    """Bodies two lines longer each: wherever the page ends, "Nơi nhận" and the signer's
    name are printed on the same page. Without the non-breaking row the bodies of 20 to
    24 extra lines split the block here (measured with LibreOffice 7.4 by building the
    template without it); the range is wide so that other fonts meet the page end too."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the printed pages")
    issuer = unit_issuer(Unit("XA_BS", "UBND xã Bình Sơn", "UBND xã"))
    signer = {"hinh_thuc_ky": "TM.", "chuc_danh_thu_truong": "Ủy ban nhân dân",
              "chuc_vu_nguoi_ky": "Chủ tịch", "nguoi_ky": "Trần Văn Thiện"}  # fmt: skip
    sources = []
    for extra in range(8, 36, 2):
        lines = [f"Nội dung dòng {k}." for k in range(24 + extra)]
        values = {**signer, "nd_uu_diem": "\n".join(lines)}
        context = unit_context("UBND xã Bình Sơn", parse_period("2025-H1"), values, [],
                               Frame(issuer), topic=TOPIC, form=get_form("dvcq"))  # fmt: skip
        sources.append(render(context, tmp_path / f"r{extra:02d}.docx"))
    for pdf in convert_many(sources, tmp_path / "pdf", "pdf"):
        pages = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout.split("\f")  # fmt: skip
        holding = [i for i, page in enumerate(pages) if "Nơi nhận:" in page]
        named = [i for i, page in enumerate(pages) if "Trần Văn Thiện" in page]
        assert holding == named and len(holding) == 1, pdf.name
