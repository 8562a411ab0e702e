"""Narrative checks on the seeds' own sentences (issue 13): each slip caught, the rest quiet.

The passages are quoted from the real reports in ``/work/shared/seeds`` (line
breaks of the PDF extraction joined); the expected verdicts are worked out by
hand in the comments.
"""

from __future__ import annotations

import pytest

from workbook_tools.checks.narrative import narrative_findings
from workbook_tools.contract.compiled import layout_for
from workbook_tools.form import Form
from workbook_tools.periods import parse_period

H1_2025 = parse_period("2025-H1")

SLIPS = [
    # seed 000: a 2025 report speaks of "6 tháng đầu năm 2054"
    (
        "Thực hiện tốt việc kiểm tra, theo dõi, đôn đốc hoạt động tiếp nhận hồ sơ trả kết quả "
        "giải quyết TTHC của các cơ quan, đơn vị tại Trung tâm; trong 6 tháng đầu năm 2054, số "
        "lượng hồ sơ tiếp nhận tại Trung tâm của các cơ quan, đơn vị là ước đạt hơn 55.000 hồ sơ.",
        "2025-H1",
        {},
        "narrative-far-year",
        "2054",
    ),
    # seeds 001 and 003: April has 30 days
    (
        "Quy tắc ứng xử ban hành kèm theo Quyết định số 31/QĐ-VP ngày 31/4/2019 của Chánh Văn "
        "phòng UBND tỉnh.",
        "2023-H1",
        {},
        "narrative-bad-date",
        "31/4/2019",
    ),
    # seed 002: 2/14 = 14,3%, not 20%
    (
        "Kết quả đánh giá phân loại hàng năm bình quân đạt 02/14 tổ chức đảng đạt danh hiệu "
        "trong sạch vững mạnh, chiếm 20%; 90% đảng viên đủ tư cách hoàn thành tốt nhiệm vụ.",
        "2021-2025",
        {},
        "narrative-fraction-percent",
        "14,3%",
    ),
    # seed 003: the parts give 40.927 + 11.876 = 52.803 resolved, the text says 53.503
    (
        "Trong 6 tháng đầu năm 2023, số lượng hồ sơ tiếp nhận tại Trung tâm của 20 cơ quan, đơn "
        "vị là 56.703 hồ sơ, đã giải quyết 53.503 hồ sơ, đang giải quyết 3.200 hồ sơ, trong đó: "
        "+ Các sở, ngành tiếp nhận 42.627 hồ sơ, đã giải quyết 40.927 hồ sơ, trong đó trả kết "
        "quả trước hạn và đúng hạn 40.887 hồ sơ, chiếm tỷ lệ 99,9%; trễ hạn: 40 hồ sơ, chiếm tỷ "
        "lệ: 0,1%; đang giải quyết 1.700 hồ sơ.",
        "2023-H1",
        {"hs_da_giai_quyet": 52803},
        "narrative-figure-differs",
        "53.503",
    ),
]

CLEAN = [
    # seed 000's opening, its Chỉ thị and its satisfaction rate
    "Thực hiện Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh về thực hiện Quy chế dân "
    "chủ ở cơ sở và công tác dân vận chính quyền năm 2025 và theo đề nghị tại Công văn số "
    "1119/SNV-XDCQ ngày 23/5/2025 của Sở Nội vụ.",
    "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tiếp tục tăng cường và "
    "đổi mới công tác dân vận của cơ quan hành chính nhà nước.",
    "Trong 6 tháng đầu năm, tỷ lệ đánh giá mức độ hài lòng và mức độ rất hài lòng của tổ "
    "chức, công dân khi đến thực hiện TTHC tại Trung tâm luôn đạt trên 99,8%.",
    # seed 002's title and a five-year span
    "Sơ kết 5 năm kết quả thực hiện công tác dân vận của cơ quan hành chính nhà nước, chính "
    "quyền các cấp giai đoạn 2021 - 2025.",
    # seed 000: a part of the resolved files, far from the unit's own total (52.803)
    "+ Hồ sơ lĩnh vực đất đai: Tiếp nhận 14.076 hồ sơ, đã giải quyết 11.876 hồ sơ, trong đó "
    "trả kết quả trước hạn và đúng hạn 10.937 hồ sơ, chiếm tỷ lệ 92%.",
    # seed 000: "105lượt/105 người/105 vụ việc", a fraction-looking count list
    "Ban Tiếp công dân tỉnh tiếp công dân thường xuyên 105lượt/105 người/105 vụ việc, trong "
    "đó có 02 lượt đoàn đông người/62 người.",
    # a vision year and a plan for next year are no typos
    "Phấn đấu đến năm 2030 tầm nhìn đến năm 2045; kế hoạch năm 2026 đã được xây dựng.",
    # the right figure, stated
    "Đã giải quyết 52.803 hồ sơ.",
]


@pytest.mark.parametrize(("text", "period", "values", "code", "quoted"), SLIPS)
def test_each_seed_slip_is_caught_with_its_cell(
    dvcq: Form, text: str, period: str, values: dict[str, int], code: str, quoted: str
) -> None:
    found = narrative_findings(dvcq, {"nd_ket_qua_noi_bat": text, **values}, parse_period(period))
    cell = layout_for(dvcq).cell("nd_ket_qua_noi_bat")
    assert [(f.code, f.severity, f.sheet, f.cell) for f in found] == [
        (code, "warning", cell.sheet, cell.a1)
    ]
    assert quoted in found[0].message


@pytest.mark.parametrize("text", CLEAN)
def test_the_seeds_correct_sentences_raise_nothing(dvcq: Form, text: str) -> None:
    values = {"nd_ket_qua_noi_bat": text, "hs_da_giai_quyet": 52803}
    assert narrative_findings(dvcq, values, H1_2025) == []


def test_every_long_text_cell_is_checked_and_named(dvcq: Form) -> None:
    values = {"nd_han_che": "Quyết định ngày 30/2/2025.", "nd_uu_diem": "Ngày 29/2/2024 là có."}
    found = narrative_findings(dvcq, values, H1_2025)  # 2024 is a leap year
    assert [(f.code, f.indicators) for f in found] == [("narrative-bad-date", ("nd_han_che",))]
