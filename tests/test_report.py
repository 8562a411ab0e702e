"""Word reports: format read back with python-docx, sentence rules, escaping, errors, PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt
from helpers import pdf_text

from workbook_tools.demo import DemoResult, run_demo
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form import get_form
from workbook_tools.form.model import Kind
from workbook_tools.periods import parse_period
from workbook_tools.report import Frame, render, to_pdf
from workbook_tools.report.content import Subject, blank_counts
from workbook_tools.report.context import consolidated_context, outline_blocks, unit_context
from workbook_tools.report.frame import default_issuer
from workbook_tools.report.vietnamese import (
    change,
    date_line,
    document_number,
    number,
    percent,
)
from workbook_tools.resources import docx_templates_dir

YEAR = parse_period("2025")
TOPIC = "công tác dân vận chính quyền"

ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FORM = get_form("dvcq")


def unit_text(values: dict[str, object], previous: dict[str, object] | None = None) -> str:
    """A unit's report body for ``values``, as one text."""
    frame = Frame(default_issuer("Sở X"))
    context = unit_context("Sở X", YEAR, values, [], frame, previous, topic=TOPIC, form=FORM)
    return "\n".join(
        p for s in context["sections"] for sub in s["subsections"] for p in sub["paragraphs"]
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo-report"))


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def thousands(n: int) -> str:
    """Vietnamese grouping written independently of the code under test."""
    return f"{n:,}".replace(",", ".")


# ------------------------------------------------------------------ the format


def test_page_margins_and_fonts(demo: DemoResult) -> None:
    doc = Document(str(demo.report))
    section = doc.sections[0]

    def mm(length: int) -> float:  # Word stores twips: compare to a tenth of a millimetre
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    body = [r.font.size for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert all(Pt(13) <= size <= Pt(14) for size in body if size is not None)


def test_header_table_and_blank_number_and_date(demo: DemoResult) -> None:
    doc = Document(str(demo.report))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]
    assert left.paragraphs[1].runs[0].font.bold and not left.paragraphs[0].runs[0].font.bold
    assert "Số:       /BC-SNV" in [p.text for p in left.paragraphs]
    lines = [p.text for p in right.paragraphs]
    assert lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    dated = [p for p in right.paragraphs if p.text.startswith("Quảng Ngãi, ngày")]
    assert dated[0].text == f"Quảng Ngãi, ngày      tháng      năm {date.today().year}"
    assert dated[0].runs[0].font.italic


def test_title_headings_and_body_paragraphs(demo: DemoResult) -> None:
    doc = Document(str(demo.report))
    lines = texts(doc)
    assert "BÁO CÁO" in lines
    end = next(k for k, line in enumerate(lines) if line.startswith("Trên đây là báo cáo"))
    headings = [line for line in lines[:end] if line[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    # the demo writes the report from the Sở's assessment in the consolidated workbook (as
    # --from), so the evaluative headings are there, in the Sở's words (see test_demo)
    assert headings == [
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    own = [line for line in texts(Document(str(demo.unit_report))) if line[:4] in ("III.", "IV. ")]
    assert own == ["III. ĐÁNH GIÁ CHUNG", "IV. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI"]
    body = next(p for p in doc.paragraphs if p.text.startswith("Đã giải quyết"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    assert body.paragraph_format.space_after >= Pt(6)
    heading = next(p for p in doc.paragraphs if p.text == "II. KẾT QUẢ THỰC HIỆN")
    assert heading.runs[0].font.bold


def test_page_numbers_from_page_two(demo: DemoResult) -> None:
    doc = Document(str(demo.report))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    xml = section.header._element.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_figures_match_the_consolidation(demo: DemoResult) -> None:
    doc = Document(str(demo.report))
    totals = demo.consolidation.totals
    text = "\n".join(texts(doc))
    assert (
        f"tổng số hồ sơ nhận giải quyết là {thousands(totals['hs_nhan_giai_quyet'])} hồ sơ" in text
    )
    rate = round(totals["ty_le_dung_han"] * 100, 1)
    assert f"đạt {str(rate).replace('.', ',').rstrip('0').rstrip(',')}%" in text
    done = demo.consolidation.completeness
    assert f"{done.accepted}/{done.expected} đơn vị đã gửi báo cáo hợp lệ" in text
    assert "; 03 đơn vị gửi chậm:" in text and "; 02 đơn vị chưa gửi:" in text  # as seed 000: "02"
    appendix = doc.tables[-1]
    assert len(appendix.rows) == 1 + len(demo.consolidation.units)
    first = demo.consolidation.units[0]
    assert appendix.rows[1].cells[1].text == first.unit_name
    assert appendix.rows[1].cells[2].text == thousands(first.values["hs_nhan_giai_quyet"])


def test_consolidated_report_puts_every_unit_text_whole_in_an_appendix_by_khoi(
    demo: DemoResult,
) -> None:
    """The body holds the Sở's sentences; the units' texts, all lines, are in Phụ lục II."""
    lines = [" ".join(t.split()) for t in texts(Document(str(demo.report)))]
    assert not any(line.startswith(("(Và ", "- ")) and "đơn vị khác" in line for line in lines)
    end = next(k for k, line in enumerate(lines) if line.startswith("Trên đây là báo cáo"))
    start = lines.index("PHỤ LỤC II")
    body, appendix = lines[:end], lines[start:]
    assert "Nội dung thuyết minh của từng đơn vị tại Phụ lục II kèm theo." in body
    groups = [line for line in appendix if re.fullmatch(r"[IVX]+\. KHỐI .+", line)]
    khois = {f"KHỐI {u.group.upper()}" for u in demo.consolidation.units}
    assert sorted(g.split(". ", 1)[1] for g in groups) == sorted(khois)
    narrative = [i.code for i in FORM.indicators if i.kind is Kind.LONG_TEXT]
    for unit in demo.consolidation.units:
        own = [
            " ".join(line.split())
            for code in narrative
            for line in str(unit.values.get(code) or "").splitlines()
            if line.strip()
        ]
        if not own:
            continue
        title = re.compile(rf"\d+\. {re.escape(unit.unit_name)}")
        (place,) = [k for k, line in enumerate(appendix) if title.fullmatch(line)]
        khoi = [line for line in appendix[:place] if line in groups][-1]
        assert khoi.endswith(unit.group.upper()), (unit.unit_name, khoi)
        following = appendix[place + 1 :]
        nxt = next((k for k, line in enumerate(following) if re.match(r"\d+\. ", line)), None)
        mine = following[:nxt]
        for line in own:
            assert line in mine, (unit.unit_name, line)  # whole, under its unit
            assert line not in body, (unit.unit_name, line)  # no unit text in the body


def test_the_sos_own_assessment_replaces_the_unit_texts(demo: DemoResult) -> None:
    context = consolidated_context(
        demo.consolidation,
        Frame(default_issuer("Sở Nội vụ")),
        {},
        None,
        {"nd_uu_diem": "Sở đánh giá.\n\nDòng hai."},
    )
    subs = [sub for section in context["sections"] for sub in section["subsections"]]
    strengths = next(sub for sub in subs if sub["title"] == "1. Ưu điểm")
    assert strengths["paragraphs"] == ["Sở đánh giá.", "Dòng hai."]
    body = "\n".join(p for sub in subs for p in sub["paragraphs"])
    first = demo.consolidation.units[0]
    assert f"- {first.unit_name}:" not in body  # no unit's text in the body
    # the units' own texts are still all there, whole, in the appendix (Phụ lục II)
    appendix = [sub for section in context["thuyet_minh"] for sub in section["subsections"]]
    shown = "\n".join(p for sub in appendix for p in sub["paragraphs"])
    for unit in demo.consolidation.units:
        text = unit.values.get("nd_uu_diem")
        if text:
            assert all(line.strip() in shown for line in str(text).splitlines() if line.strip())


def test_blank_figures_are_counted_in_the_consolidated_report() -> None:
    units = [
        {"tcd_luot": 3, "kl_vi_pham": 0},
        {"tcd_luot": None, "kl_vi_pham": 0},
        {"kl_vi_pham": 1},
    ]
    (sentence,) = blank_counts(FORM, units)
    assert "02/03 đơn vị chưa báo cáo số lượt tiếp công dân" in sentence
    assert "vi phạm" not in sentence  # every unit gave it
    assert blank_counts(FORM, []) == []


def test_unit_report_signature_from_the_workbook(demo: DemoResult) -> None:
    doc = Document(str(demo.unit_report))
    unit = demo.consolidation.units[0]
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == [
        f"KT. {unit.values['chuc_danh_thu_truong']}",
        unit.values["chuc_vu_nguoi_ky"],
        unit.values["nguoi_ky"],
    ]
    opening = next(p.text for p in doc.paragraphs if p.text.startswith("Thực hiện "))
    assert opening.startswith("Thực hiện Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh")
    assert "và theo đề nghị tại Công văn số 1119/SNV-XDCQ ngày 23/5/2025 của Sở Nội vụ" in opening


# ---------------------------------------------------------- Vietnamese rules


def test_numbers_dates_and_document_numbers() -> None:
    assert number(56703) == "56.703"
    assert number(5) == "05" and number(0) == "0" and number(12) == "12"
    assert number(None) == "chưa báo cáo"
    assert percent(0.999) == "99,9%" and percent(1.0) == "100%" and percent(0.97425742) == "97,4%"
    assert (
        date_line("Quảng Ngãi", date(2025, 2, 5), 2025) == "Quảng Ngãi, ngày 05 tháng 02 năm 2025"
    )
    assert (
        date_line("Quảng Ngãi", date(2025, 5, 23), 2025) == "Quảng Ngãi, ngày 23 tháng 5 năm 2025"
    )
    assert date_line("Quảng Ngãi", None, 2025) == "Quảng Ngãi, ngày      tháng      năm 2025"
    assert document_number(5, "SNV") == "05/BC-SNV" and document_number(12, "SNV") == "12/BC-SNV"


def test_zero_is_said_in_words_and_a_blank_drops_the_clause() -> None:
    none = unit_text({"hs_ky_truoc": 0, "hs_truc_tuyen": 0, "hs_truc_tiep": 0,
                      "hs_nhan_giai_quyet": 0, "don_tiep_nhan": 0, "kl_vi_pham": 0})  # fmt: skip
    assert "Trong năm 2025, không có hồ sơ thủ tục hành chính phải giải quyết." in none
    assert "Trong năm 2025, không tiếp nhận đơn khiếu nại, tố cáo, kiến nghị, phản ánh." in none
    assert "không có cán bộ, công chức, viên chức vi phạm phải xử lý kỷ luật" in none
    blank = unit_text({})
    assert "chưa báo cáo" not in blank and "kỷ luật" not in blank and "hồ sơ" not in blank
    assert "xử lý kỷ luật 02 cán bộ, công chức, viên chức vi phạm" in unit_text({"kl_vi_pham": 2})
    late = unit_text({"hs_da_giai_quyet": 4040, "hs_truoc_han": 3839, "hs_dung_han": 97,
                      "hs_qua_han": 0})  # fmt: skip
    assert (
        "Đã giải quyết 4.040 hồ sơ, trong đó 3.839 hồ sơ trước hạn, 97 hồ sơ đúng hạn, "
        "không có hồ sơ quá hạn." in late
    )
    assert "Tiếp 02 đoàn đông người với 62 người." in unit_text(
        {"tcd_doan": 2, "tcd_doan_nguoi": 62}
    )
    assert "Tiếp 02 đoàn đông người." in unit_text({"tcd_doan": 2})


def test_increase_and_decrease() -> None:
    assert change(4500, 4000) == "tăng 12,5% so với cùng kỳ"
    assert change(3000, 4000) == "giảm 25% so với cùng kỳ"
    assert change(4000, 4000) == "không đổi so với cùng kỳ"
    assert change(0.99, 0.97, rate=True) == "tăng 2 điểm phần trăm so với cùng kỳ"
    assert change(None, 4000) == ""
    values = {"hs_nhan_giai_quyet": 4500, "hs_da_giai_quyet": 4400, "ty_le_dung_han": 0.99}
    text = unit_text(values, previous={"hs_nhan_giai_quyet": 4000})
    assert "Số hồ sơ nhận giải quyết tăng 12,5% so với cùng kỳ." in text
    assert "so với" not in unit_text(values)


# ------------------------------------------------------- escaping and errors


def test_markup_in_names_and_texts_is_escaped(tmp_path: Path) -> None:
    name = 'Sở A & B <thử> "x"'
    values = {
        "nd_tinh_hinh": "Có 3 < 5 & 7 > 2 phòng",
        "hinh_thuc_ky": "Thủ trưởng ký",
        "chuc_vu_nguoi_ky": "GIÁM ĐỐC",
        "nguoi_ky": "Lê & Lý",
    }
    context = unit_context(
        name, YEAR, values, [], Frame(default_issuer(name)), topic=TOPIC, form=FORM
    )
    out = render(context, tmp_path / "r.docx")
    doc = Document(str(out))
    all_text = "\n".join(texts(doc)) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert name.upper() in all_text
    assert "Có 3 < 5 & 7 > 2 phòng" in all_text
    assert "Lê & Lý" in all_text


def test_a_tag_the_data_lacks_is_named(tmp_path: Path) -> None:
    template = tmp_path / "mau.docx"
    shutil.copy(docx_templates_dir() / "bao-cao.docx", template)
    doc = Document(str(template))
    doc.add_paragraph("Người nhận: {{ nguoi_nhan_sai }} và {{ so_van_ban }}")
    doc.save(str(template))
    context = unit_context(
        "Sở X", YEAR, {}, [], Frame(default_issuer("Sở X")), topic=TOPIC, form=FORM
    )
    with pytest.raises(WorkbookToolsError) as info:
        render(context, tmp_path / "out.docx", template)
    listed = str(info.value).split(":")[1].split(".")[0]
    assert (
        listed.strip() == "nguoi_nhan_sai"
    )  # the data has so_van_ban: only the missing tag is named


def test_number_and_date_filled_with_the_leading_zero_rule(tmp_path: Path) -> None:
    frame = Frame(default_issuer("Sở X"), number=5, day=date(2025, 2, 5))
    context = unit_context("Sở X", YEAR, {}, [], frame, topic=TOPIC, form=FORM)
    doc = Document(str(render(context, tmp_path / "r.docx")))
    left, right = doc.tables[0].rows[0].cells
    assert "Số: 05/BC-SX" in [p.text for p in left.paragraphs]
    assert "Quảng Ngãi, ngày 05 tháng 02 năm 2025" in [p.text for p in right.paragraphs]


# --------------------------------------------------------------- PDF and image


def test_pdf_and_page_one_image(demo: DemoResult, soffice: str, tmp_path: Path) -> None:
    pdf = demo.report_pdf or to_pdf(demo.report)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to render page 1")
    ARTEFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTEFACTS / "bao-cao-trang-1"),
        ],
        check=True,
    )
    image = ARTEFACTS / "bao-cao-trang-1.png"
    assert image.exists() and image.stat().st_size > 10_000


# ------------------------------------------------ the appendix header (issue 11, item 10)


def test_appendix_stt_column_holds_its_header() -> None:
    """ "STT" in bold 11 pt Times New Roman fits the first column with the cell margins.

    By hand: advance widths S 556, T 667 (per 1000 em, Times New Roman Bold) → 1890/1000
    em × 11 pt = 20.8 pt = 416 twips; Word's default cell margins 0.08" = 115 twips a side.
    """
    doc = Document(str(docx_templates_dir() / "bao-cao.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    grid = table._tbl.tblGrid.findall(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"
    )
    first = int(grid[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
    assert first >= 416 + 2 * 115
    total = sum(
        int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) for g in grid
    )
    assert total <= Cm(16.5) / 635  # within the text width (210 − 30 − 15 mm), in twips


def test_appendix_header_prints_stt_whole(demo: DemoResult, soffice: str) -> None:
    text = pdf_text(demo.report_pdf or to_pdf(demo.report))
    appendix = text[text.index("PHỤ LỤC") :]
    header = appendix[: appendix.index("Văn phòng UBND tỉnh")]
    assert "STT" in header.split()


def test_heading_levels_print_as_decree_30_and_keep_with_next(tmp_path: Path) -> None:
    """ "I." capitals bold, "1." bold, "a)" plain (Nghị định 30); no heading ends a page alone."""
    values = {"hs_nhan_giai_quyet": 120, "hs_so_hoa": 40, "vb_chi_dao": 2}
    context = unit_context("Sở X", YEAR, values, [], Frame(default_issuer("Sở X")), form=FORM)
    doc = Document(str(render(context, tmp_path / "r.docx")))
    by_text = {p.text: p for p in doc.paragraphs}
    top = by_text["I. KẾT QUẢ THỰC HIỆN"]  # no figure for "Tình hình chung"
    second = next(p for t, p in by_text.items() if t.startswith("1. Công tác lãnh đạo"))
    third = next(p for t, p in by_text.items() if t.startswith("a) "))
    assert all(r.font.bold for r in top.runs) and all(r.font.bold for r in second.runs)
    assert third.runs and not any(r.font.bold for r in third.runs)
    for p in (top, second, third):
        assert p.paragraph_format.keep_with_next


def test_consolidated_sentences_rank_the_units_with_overdue_files_and_the_lowest_rates() -> None:
    """Rankings over the form's codes come from its outline; the unit report has none."""
    units: list[tuple[str, dict[str, object]]] = [
        ("Xã A", {"hs_da_giai_quyet": 100, "hs_qua_han": 10, "ty_le_dung_han": 0.9}),
        ("Xã B", {"hs_da_giai_quyet": 50, "hs_qua_han": 0, "ty_le_dung_han": 1.0}),
        ("Sở C", {"hs_da_giai_quyet": 100, "hs_qua_han": 5, "ty_le_dung_han": 0.95}),
        ("Xã D", {"hs_da_giai_quyet": None, "hs_qua_han": None, "ty_le_dung_han": None}),
    ]
    totals = {"hs_da_giai_quyet": 250, "hs_qua_han": 15, "ty_le_dung_han": 235 / 250}
    subject = Subject("các cơ quan, đơn vị", YEAR, consolidated=True)

    def text(values: dict[str, object], by_unit: list[tuple[str, dict[str, object]]]) -> str:
        blocks = outline_blocks(FORM, subject, values, texts={}, by_unit=by_unit)
        return "\n".join(p for b in blocks for p in b.paragraphs)

    said = text(totals, units)
    assert "Có 02 đơn vị giải quyết hồ sơ quá hạn: Xã A (10 hồ sơ), Sở C (05 hồ sơ)." in said
    assert "thấp nhất: Xã A (90%), Sở C (95%)." in said
    assert "Xã B" not in said and "Xã D" not in said
    # nobody late: the totals' own words, no empty ranking
    on_time = [(n, {**v, "hs_qua_han": 0, "ty_le_dung_han": 1.0}) for n, v in units[:3]]
    said = text({**totals, "hs_qua_han": 0, "ty_le_dung_han": 1.0}, on_time)
    assert "không có hồ sơ quá hạn" in said and "đơn vị giải quyết hồ sơ quá hạn" not in said
    assert "thấp nhất" not in said
    assert "thấp nhất" not in unit_text({**totals})


def test_demo_reports_write_numbers_as_the_seeds_and_say_a_figure_once(demo: DemoResult) -> None:
    """ "3.429 hồ sơ", never "3429"; the staff total is said by the sentence, not again by the
    unit's text."""
    for path in (demo.unit_report, demo.report):
        body = "\n".join(texts(Document(str(path))))
        for found in re.findall(r"(?<![\d.,/])\d{4,}(?![\d.,/])", body):
            assert 1990 <= int(found) <= 2100, (path.name, found)  # only a year stands alone
    unit = demo.consolidation.units[0]
    staff = thousands(unit.values["cb_tong_so"])
    body = "\n".join(texts(Document(str(demo.unit_report))))
    assert body.count(f"{staff} cán bộ") + body.count(f"là {staff} người") == 1
