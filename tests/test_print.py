"""The consolidated and tracking workbooks print on A4: page set-up read back, then LibreOffice.

The demo's consolidation (105 units with figures, 110 expected) is the workbook a
Sở prints; the expectations below are worked out by hand from its size.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import pdf_text
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.contract import Request
from workbook_tools.demo import DemoResult, run_demo
from workbook_tools.form import Form
from workbook_tools.libreoffice import convert
from workbook_tools.merge.narrative import ROW_LINES
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.units import Unit
from workbook_tools.writer.printing import column_groups
from workbook_tools.writer.sheets import NARRATIVE_WIDTH
from workbook_tools.writer.sizing import lines, split_for_rows

NUMERIC = 67  # the dvcq form's numeric indicators: a column each on "Theo đơn vị"
MAX_ROW_POINTS = 409  # the tallest row a spreadsheet holds


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("print-demo"))


@pytest.fixture(scope="module")
def book(demo: DemoResult) -> Any:
    return openpyxl.load_workbook(demo.consolidated_xlsx)


def test_column_groups_by_hand() -> None:
    # keys 5, 16, 30 → 40 + 117 + 215 = 372 pt; the khối column 14 → 103 pt on page 1 only;
    # 67 figures of width 12 → 89 pt. A landscape A4 page is 10.49 in = 755 pt inside the
    # margins, 1078 pt at 70 %: 706 pt beside the keys → 10 groups (5 + 7 after the khối
    # column, then 7 a page: 5 + 9·7 = 68 ≥ 67); the widest (7 · 89 = 623 pt) with the keys
    # fits 755 pt at 75 %.
    groups = column_groups([5, 16, 30, 14] + [12] * NUMERIC, keys=3, first=4)
    assert groups.breaks == tuple(9 + 7 * k for k in range(9))
    assert groups.scale == 75
    # rows: a page is 7.07 in = 509 pt high inside the margins. Under 200 pt of repeated
    # rows, 1,580 pt of rows take 4 pages at 75 % (509/0.75 - 200 = 479 pt a page) but 3 at
    # 70 % (527 pt a page): the scale goes down to 70 % rather than print a fourth page
    lower = column_groups([5, 16, 30, 14] + [12] * NUMERIC, keys=3, first=4, heights=(200, 1580))
    assert lower == type(groups)(groups.breaks, 70)
    # a sheet narrower than a page: no break; 3 · 75 pt on 755 pt: at most 100 %
    assert column_groups([10, 10, 10], keys=1, first=1) == type(groups)((), 100)


def _titles(ws: Any) -> tuple[str | None, str | None]:
    return ws.print_title_rows, ws.print_title_cols


def _fits_width(ws: Any) -> bool:
    """Fitted to one page across, as many down as it takes (an absent fitToWidth is 1)."""
    setup = ws.page_setup
    return bool(ws.sheet_properties.pageSetUpPr.fitToPage) and (
        setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    )


def test_consolidated_page_setup(book: Any) -> None:
    # the units' instructions are hidden: not shown, not printed
    hidden = {ws.title for ws in book.worksheets if ws.sheet_state != "visible"}
    assert hidden == {"Hướng dẫn", "_meta", "_map", "_lists"}
    assert book.active.title == "Đơn vị"
    areas = {ws.title for ws in book.worksheets if ws.print_area}
    assert not areas & hidden  # LibreOffice prints a hidden sheet that has a print area
    for ws in book.worksheets:
        if ws.sheet_state == "visible":
            assert ws.page_setup.paperSize == 9, ws.title

    # the narrative drafts: each short enough to print whole in its row (a row that needs
    # more than a row can hold is set to the 408.75 pt cap and prints cut); the title and
    # the unit on every page (a fresh unit workbook keeps 160 pt to write in)
    narrative = book["Thuyết minh"]
    assert _titles(narrative) == ("$1:$2", None)
    drafts = [c for row in narrative.iter_rows() for c in row if isinstance(c.value, str)]
    long = [c for c in drafts if len(c.value) > 1000]
    assert long and all(lines(c.value, NARRATIVE_WIDTH) <= ROW_LINES for c in drafts)
    assert all((narrative.row_dimensions[c.row].height or 0) < 408.75 for c in long)

    per_unit = book["Theo đơn vị"]
    assert per_unit.page_setup.orientation == "landscape"
    assert not per_unit.sheet_properties.pageSetUpPr.fitToPage  # a scale, so the breaks hold
    assert 70 <= per_unit.page_setup.scale <= 75
    assert _titles(per_unit) == ("$1:$5", "$A:$C")  # title, headings, codes; STT, code, name
    assert [b.id for b in per_unit.col_breaks.brk] == [9 + 7 * k for k in range(9)]
    assert per_unit["A1"].value.startswith("SỐ LIỆU THEO ĐƠN VỊ")
    assert "A1:C1" in {str(r) for r in per_unit.merged_cells.ranges}  # within the keys

    khoi = book["Theo khối"]  # a row per figure, a column per khối: a page across
    assert _fits_width(khoi)
    assert _titles(khoi) == ("$4:$6", None)
    labels = [khoi.cell(r, 1).value for r in range(7, 7 + NUMERIC)]
    assert labels[0].startswith("Số văn bản lãnh đạo") and khoi.cell(5, 1).value == "Chỉ tiêu"
    assert khoi.cell(6, 1).value == "Số đơn vị"

    status = book["Tình hình nộp"]
    header = next(r for r in range(1, 30) if status.cell(r, 1).value == "STT")
    assert _titles(status) == (f"${header}:${header}", None)
    assert status.page_setup.orientation == "landscape"
    # the counts: the state over columns A-C (not in the narrow STT column), the count in D
    counts = {status.cell(r, 1).value: status.cell(r, 4).value for r in range(5, header)}
    # 105 accepted, 3 late; 2 with errors and the PDF's unit; the 2 silent units
    assert (counts["Đúng hạn"], counts["Có lỗi, chưa đạt"], counts["Chưa gửi"]) == (102, 3, 2)
    assert any(str(m).startswith(f"A{header - 5}:C") for m in status.merged_cells.ranges)

    for name, title_row in (
        ("Mô hình Dân vận khéo", 4),
        ("Thuyết minh đơn vị", 4),
        ("Phát hiện khi kiểm tra", 4),
        ("Nguồn số liệu", 4),
        ("Vị trí chỉ tiêu", 4),
    ):
        ws = book[name]
        assert _titles(ws) == (f"${title_row}:${title_row}", None), name
        assert _fits_width(ws), name


def test_every_wrapped_row_has_its_height(book: Any, demo: DemoResult) -> None:
    for name in ("Tình hình nộp", "Mô hình Dân vận khéo", "Thuyết minh đơn vị", "Nguồn số liệu"):
        ws = book[name]
        first = int(ws.print_title_rows.split(":")[0].strip("$"))  # the headings row
        for r in range(first, ws.max_row + 1):
            if any(c.value is not None for c in ws[r]):
                assert ws.row_dimensions[r].height is not None, (name, r)
    # a unit whose name takes two lines of its column gets two lines
    status = book["Tình hình nộp"]
    row = next(c.row for c in status["C"] if c.value and str(c.value).startswith("Ban Quản lý"))
    assert status.row_dimensions[row].height >= 2 * 15.75
    tracking = openpyxl.load_workbook(demo.status_xlsx).worksheets[0]
    row = next(c.row for c in tracking["C"] if c.value and str(c.value).startswith("Ban Quản lý"))
    assert tracking.row_dimensions[row].height >= 2 * 15.75
    header = next(c.row for c in tracking["A"] if c.value == "STT")
    for r in range(header, tracking.max_row + 1):
        assert tracking.row_dimensions[r].height is not None, r


def test_a_long_narrative_prints_in_paragraph_rows(
    demo: DemoResult, dvcq: Form, tmp_path: Path
) -> None:
    """A unit's 19,000-character text was one clipped cell on "Thuyết minh đơn vị": it now
    goes on in the rows below, none taller than a row can be, the whole text kept."""
    c = copy.deepcopy(demo.consolidation)
    paragraph = "Đơn vị đã triển khai nhiều giải pháp cải cách hành chính, " * 33  # 1,914 chars
    text = "\n".join(f"{k}. {paragraph}".strip() for k in range(1, 11)) + "\n" + "Kết luận."
    assert len(text) > 19000
    c.units[0].values["nd_tinh_hinh"] = text
    out = tmp_path / "tong-hop.xlsx"
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    write_consolidated(c, out, Request(dvcq, c.period), agency, Signer())
    ws = openpyxl.load_workbook(out)["Thuyết minh đơn vị"]
    label = dvcq.by_code["nd_tinh_hinh"].label
    rows = list(ws.iter_rows(min_row=5))
    start = next(
        k for k, r in enumerate(rows) if r[0].value == label and r[1].value == c.units[0].unit_name
    )
    pieces = [rows[start][2].value]
    for r in rows[start + 1 :]:
        if r[0].value is not None:
            break
        pieces.append(r[2].value)
    assert len(pieces) > 1
    assert "\n".join(pieces).split() == text.split()  # nothing lost, only cut at spaces and lines
    for k in range(start, start + len(pieces)):
        height = ws.row_dimensions[k + 5].height
        assert height is not None and height <= MAX_ROW_POINTS
        assert height >= lines(rows[k][2].value, 100) * 15.75


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("aăâbcđeêA Ơ.,\nxyzHẠNG"), max_size=400), max_size=30
    ).map(" ".join),
    st.sampled_from([20, 50, 100]),
    st.integers(min_value=2, max_value=25),
)
def test_split_for_rows_keeps_the_text_in_rows_that_fit(
    text: str, width: int, max_lines: int
) -> None:
    pieces = split_for_rows(text, width, max_lines)
    # every character in order: only spaces and line ends move (a word wider than a row is cut)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert all(lines(p, width) <= max_lines for p in pieces)


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's printed lines (pdftotext's layout), spaces collapsed."""
    pages = pdf_text(pdf).split("\f")[:-1]
    return [[" ".join(line.split()) for line in page.splitlines()] for page in pages]


# What heads each kind of page: a line holding these words, the most specific first
HEADINGS = (
    ("status", "STT Mã đơn vị Tên đơn vị Khối/loại Tình trạng"),
    ("sources", "STT Mã đơn vị Tên đơn vị Kỳ Tệp sha256"),
    ("per unit", "STT Mã đơn vị Tên đơn vị Khối, loại"),
    ("per unit", "STT Mã đơn vị Tên đơn vị"),
    ("by khối", "Chỉ tiêu Sở, ban, ngành UBND xã"),
    ("models", "STT Đơn vị Tên mô hình"),
    ("texts", "Nội dung Đơn vị Thuyết minh"),
    ("findings", "STT Đơn vị Tệp Mức độ Trang Ô Nội dung Mã"),
    ("positions", "STT Mã chỉ tiêu Chỉ tiêu Trang Ô"),
    ("pie", "BIỂU ĐỒ"),
    ("chart", "Tỷ lệ giải quyết hồ sơ trước hạn và đúng hạn theo đơn vị"),
    ("figures", "STT Chỉ tiêu"),  # the form's own sheets (one page each but the figures)
    ("form", "THÔNG TIN ĐƠN VỊ BÁO CÁO"),
    ("form", 'DANH SÁCH MÔ HÌNH "DÂN VẬN KHÉO"'),
    ("form", "STT Tên mô hình (*)"),  # the form's own table, its heading repeated
    ("form", "KIỂM TRA TRƯỚC KHI GỬI BÁO CÁO"),
    ("narrative", "THUYẾT MINH BÁO CÁO"),
)


def _kind(lines: list[str]) -> str | None:
    return next((kind for kind, words in HEADINGS if any(words in line for line in lines)), None)


@pytest.mark.libreoffice
def test_the_consolidated_workbook_prints(demo: DemoResult, tmp_path: Path, soffice: str) -> None:
    """The demo's consolidated workbook was 111 A4 pages (68 for the per-unit sheet, 3-4
    figures a page, its title split; "Theo khối" without labels after page 1; page 1 the
    units' instructions). The bound, sheet by sheet (105 units, 67 figures):

    - the form's own sheets: unit 1, figures 2, Dân vận khéo (100 rows) 2, check 1, and the
      narrative drafts (a cell per heading, each a row of at most 409 pt, portrait) 7 = 13;
    - per unit: 10 column groups (see test_column_groups_by_hand) × 3 pages of ~36 rows = 30;
    - by khối: 67 figure rows, portrait = 2; status: 110 rows = 3;
    - models (~200 rows of wrapped text) 6; the units' texts (~1,000, most two lines) 32;
    - findings 1, sources 3, positions 2, charts: the pie and 3 bar charts of 35 units = 4.

    That is 96; LibreOffice's row heights vary a little by version and fonts: at most 105.
    """
    pages = _pages(convert(demo.consolidated_xlsx, tmp_path, "pdf"))
    assert 60 <= len(pages) <= 105, len(pages)
    everything = " ".join(line for page in pages for line in page)
    assert "HƯỚNG DẪN ĐIỀN BIỂU MẪU" not in everything  # the hidden sheet does not print
    assert _kind(pages[0]) == "form" and "THÔNG TIN ĐƠN VỊ BÁO CÁO" in pages[0]
    kinds: dict[str, list[list[str]]] = {}
    for number, page in enumerate(pages, start=1):
        kind = _kind(page)
        assert kind is not None, (number, [line for line in page if line][:5])
        kinds.setdefault(kind, []).append(page)
    assert (len(kinds["pie"]), len(kinds["chart"])) == (1, 3) and len(kinds["form"]) >= 3
    assert 1 <= len(kinds["narrative"]) <= 21  # at most a page a heading
    # per unit: each page with the title, 5 figures' codes or more, every figure printed
    # once a row group (the codes print under the headings, 9 pt: a long one is cut)
    per_unit = kinds["per unit"]
    assert 10 <= len(per_unit) <= 30
    assert all(any("SỐ LIỆU THEO ĐƠN VỊ" in line for line in page) for page in per_unit)
    codes = [i.code for i in demo.consolidation.form.indicators if i.kind.numeric]
    shown = [{c for c in codes if any(c[:12] in line for line in page)} for page in per_unit]
    assert min(len(s) for s in shown) >= 5
    assert set().union(*shown) == set(codes)
    assert len(kinds["by khối"]) <= 2


@pytest.mark.libreoffice
def test_the_tracking_workbook_prints(demo: DemoResult, tmp_path: Path, soffice: str) -> None:
    """110 rows of 1-2 lines under a repeated heading: 3 landscape pages, each headed."""
    pages = _pages(convert(demo.status_xlsx, tmp_path, "pdf"))
    assert 2 <= len(pages) <= 4
    for page in pages:
        assert _kind(page) == "status"


def test_the_comparison_prints_its_unit_table_in_column_groups(
    demo: DemoResult, dvcq: Form, tmp_path: Path
) -> None:
    """The units' changes were a 60-column table under the totals' table, fitted to one
    page across (about 20 %): they get their own sheet, in column groups."""
    c = copy.deepcopy(demo.consolidation)
    c.compare = copy.deepcopy(demo.consolidation)
    first = c.compare.units[0]
    first.values["hs_truc_tuyen"] = (first.values.get("hs_truc_tuyen") or 0) - 7
    out = tmp_path / "so-sanh.xlsx"
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    write_consolidated(c, out, Request(dvcq, c.period), agency)
    wb = openpyxl.load_workbook(out)
    totals, units = wb["So sánh"], wb["So sánh theo đơn vị"]
    assert _titles(totals) == ("$4:$4", None) and _fits_width(totals)
    assert totals.max_row == 4 + NUMERIC
    assert _titles(units) == ("$1:$4", "$A:$B")
    assert units.page_setup.orientation == "landscape" and units.col_breaks.brk
    assert 70 <= units.page_setup.scale <= 100
    heads = [units.cell(4, k).value for k in range(1, units.max_column + 1)]
    col = heads.index(f"{dvcq.by_code['hs_truc_tuyen'].label}: tăng/giảm") + 1
    assert units.cell(5, 1).value == first.unit_code and units.cell(5, col).value == 7
