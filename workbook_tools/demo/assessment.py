"""The demo's stand-in for the Sở writing its assessment in the consolidated workbook.

In real use an official opens the consolidated workbook that ``merge`` wrote, replaces
the drafts in its narrative cells by the Sở's own words, saves it, and runs
``report --from``. The demo does the same edit with openpyxl, as Excel would save it:
the evaluative cells get a short assessment, the other drafts are cleared (the units'
texts stay whole in the report's Phụ lục II).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from workbook_tools import output
from workbook_tools.form.model import Form
from workbook_tools.report.assessment import evaluative_codes

DEMO_ASSESSMENT = {
    "nd_uu_diem": (
        "Các cơ quan, đơn vị đã triển khai nghiêm túc Kế hoạch số 39/KH-UBND ngày 27/02/2025 "
        "của UBND tỉnh; công tác cải cách thủ tục hành chính, tiếp công dân và xây dựng mô "
        "hình “Dân vận khéo” có nhiều chuyển biến; tỷ lệ hồ sơ giải quyết trước hạn và đúng "
        "hạn duy trì ở mức cao."
    ),
    "nd_han_che": (
        "Một số đơn vị gửi báo cáo chậm so với thời hạn; còn hồ sơ giải quyết quá hạn tại một "
        "số sở, ngành và UBND cấp xã; việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính "
        "ở cấp xã chưa đồng đều."
    ),
    "nd_nguyen_nhan": (
        "Khối lượng công việc lớn trong thời gian sắp xếp đơn vị hành chính và vận hành chính "
        "quyền địa phương hai cấp; hạ tầng công nghệ thông tin ở một số xã còn hạn chế."
    ),
    "nd_nhiem_vu": (
        "1. Tiếp tục thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về "
        "tăng cường và đổi mới công tác dân vận của cơ quan hành chính nhà nước, chính quyền "
        "các cấp.\n"
        "2. Chấn chỉnh tình trạng hồ sơ giải quyết quá hạn; thực hiện xin lỗi người dân, tổ "
        "chức khi giải quyết hồ sơ trễ hạn.\n"
        "3. Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính và thanh toán trực "
        "tuyến."
    ),
    "nd_kien_nghi": (
        "Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị gửi báo cáo đúng thời hạn, bằng biểu "
        "mẫu Excel do Sở Nội vụ phát hành."
    ),
}


def write_assessment(consolidated: Path, form: Form, target: Path) -> Path:
    """A copy of ``consolidated`` with the Sở's assessment in place of the drafts."""
    book = openpyxl.load_workbook(consolidated)
    cells = {
        name: destination
        for name, defined in book.defined_names.items()
        for destination in defined.destinations
        if ":" not in destination[1]
    }
    for code in evaluative_codes(form):
        sheet, cell = cells[code]
        book[sheet][cell.replace("$", "")].value = DEMO_ASSESSMENT.get(code)
    with output.replacing(target) as temp:
        book.save(temp)
    return target
