"""The one catalogue of problems: forms, unit lists and received files.

Every problem the tool reports — in a form definition (YAML), in a unit list, or
in a file a unit sent back — has an :class:`Entry` here: a stable code (tools,
tests and the registry store it), its family, its severity, what kind of place
it names, what it means and how to fix it, in Vietnamese. Code that reports a
problem passes the entry (``finding(VALUE_NEGATIVE, …)``, ``col.add(FORM_CYCLE, …)``),
never a string, so an unknown code cannot be written; ``workbook-tools codes``
prints the catalogue and the README lists it (``codes --markdown``).

The family keeps the two kinds of findings apart: ``form`` and ``units`` are about
a definition the Sở writes (the whole file is refused), ``return`` about the data a
unit filled in (each finding is recorded with the file).
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Family = Literal["form", "units", "return"]
Place = Literal["form-file", "form-key", "units-file", "units-row", "file", "sheet-cell"]

FAMILIES: dict[Family, str] = {
    "form": "Định nghĩa biểu mẫu (tệp YAML)",
    "units": "Danh sách đơn vị (tệp .xlsx, .csv)",
    "return": "Tệp đơn vị gửi về",
}
"""Each family's heading, in the order the catalogue is printed."""

PLACES: dict[Place, str] = {
    "form-file": "tệp định nghĩa biểu mẫu",
    "form-key": "khóa trong định nghĩa biểu mẫu",
    "units-file": "tệp danh sách đơn vị",
    "units-row": "dòng, cột của danh sách đơn vị",
    "file": "cả tệp gửi về",
    "sheet-cell": "trang tính, ô của tệp gửi về",
}
"""What kind of location a problem names."""

SEVERITY_TEXT: dict[Severity, str] = {"error": "lỗi", "warning": "cảnh báo"}


@dataclass(frozen=True)
class Entry:
    """One kind of problem: its code and what the user is told about it."""

    code: str
    family: Family
    severity: Severity
    where: Place
    what: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


_ENTRIES: list[Entry] = []


def _entry(
    code: str, family: Family, severity: Severity, where: Place, what: str, fix: str
) -> Entry:
    entry = Entry(code, family, severity, where, what, fix)
    _ENTRIES.append(entry)
    return entry


_DEFINITION_FIX = "Sửa tệp định nghĩa biểu mẫu ở khóa được nêu rồi chạy lại lệnh."

# --- form definitions ------------------------------------------------------------------

FORM_FILE_MISSING = _entry(
    "form-file-missing", "form", "error", "form-file",
    "Không tìm thấy tệp định nghĩa biểu mẫu.",
    "Kiểm tra lại đường dẫn tệp .yaml, hoặc dùng tên một biểu mẫu có sẵn (ví dụ dvcq).",
)  # fmt: skip
FORM_YAML_SYNTAX = _entry(
    "form-yaml-syntax", "form", "error", "form-file",
    "Tệp định nghĩa biểu mẫu không đọc được: sai cú pháp YAML, khóa viết hai lần hoặc không "
    "phải văn bản UTF-8.",
    "Kiểm tra thụt lề (dùng dấu cách, không dùng tab), dấu ':' sau mỗi khóa, và lưu tệp dạng "
    "văn bản UTF-8.",
)  # fmt: skip
FORM_UNKNOWN_KEY = _entry(
    "form-unknown-key", "form", "error", "form-key",
    "Khóa không được hỗ trợ (thường do gõ sai tên khóa).",
    "Đổi tên khóa theo gợi ý trong thông báo, hoặc xóa khóa đó.",
)  # fmt: skip
FORM_MISSING_KEY = _entry(
    "form-missing-key", "form", "error", "form-key",
    "Thiếu khóa bắt buộc (mã, tiêu đề, danh sách chỉ tiêu…).",
    "Thêm khóa được nêu với giá trị phù hợp.",
)  # fmt: skip
FORM_BAD_VALUE = _entry(
    "form-bad-value", "form", "error", "form-key",
    "Giá trị của khóa không đúng dạng (cần chuỗi, số, danh sách hoặc bảng khóa: giá trị).",
    _DEFINITION_FIX + " Thông báo nêu dạng giá trị cần có.",
)  # fmt: skip
FORM_BAD_CODE = _entry(
    "form-bad-code", "form", "error", "form-key",
    "Mã chỉ tiêu, mục hoặc bảng không hợp lệ (chữ hoa, dấu, dấu cách, quá dài, hoặc trùng "
    "tên ô Excel như a1).",
    "Dùng chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ cái, ví dụ hs_nhan_giai_quyet.",
)  # fmt: skip
FORM_DUPLICATE_CODE = _entry(
    "form-duplicate-code", "form", "error", "form-key",
    "Mã đã được khai báo ở chỗ khác trong biểu mẫu.",
    "Đặt cho mỗi chỉ tiêu, mục, quy tắc, bảng và cột một mã riêng.",
)  # fmt: skip
FORM_UNKNOWN_CODE = _entry(
    "form-unknown-code", "form", "error", "form-key",
    "Công thức, quy tắc hoặc dàn ý báo cáo dùng một mã không có trong biểu mẫu.",
    "Sửa mã cho đúng (xem gợi ý trong thông báo) hoặc khai báo chỉ tiêu đó.",
)  # fmt: skip
FORM_EXPRESSION_SYNTAX = _entry(
    "form-expression-syntax", "form", "error", "form-key",
    "Công thức, điều kiện kiểm tra hoặc câu mẫu sai cú pháp.",
    "Viết lại theo cú pháp trong README (phần ngôn ngữ định nghĩa biểu mẫu), ví dụ "
    "'a + b' hoặc '{{ ma_chi_tieu | count }}'.",
)  # fmt: skip
FORM_TYPE_MISMATCH = _entry(
    "form-type-mismatch", "form", "error", "form-key",
    "Khóa không hợp với kiểu hoặc vai trò của chỉ tiêu (giới hạn số cho ô chữ, cộng tỷ lệ "
    "giữa các đơn vị, công thức sai kiểu, quy tắc không phải điều kiện đúng/sai).",
    "Đổi kiểu ('kind') hoặc bỏ khóa không dùng được với kiểu đó.",
)  # fmt: skip
FORM_BAD_BOUNDS = _entry(
    "form-bad-bounds", "form", "error", "form-key",
    "Giới hạn 'min' lớn hơn 'max'.",
    "Đặt 'min' nhỏ hơn hoặc bằng 'max'.",
)  # fmt: skip
FORM_BAD_CHOICE = _entry(
    "form-bad-choice", "form", "error", "form-key",
    "Một lựa chọn trong 'choices' không đọc lại được đúng như đã viết (rỗng, xuống dòng, "
    "bắt đầu bằng '=', là số, ngày hoặc đúng/sai).",
    "Sửa lựa chọn theo thông báo, ví dụ viết 'Năm 2025' thay cho '2025'.",
)  # fmt: skip
FORM_CYCLE = _entry(
    "form-cycle", "form", "error", "form-key",
    "Các chỉ tiêu tính toán tham chiếu vòng tròn lẫn nhau.",
    "Sửa công thức để không chỉ tiêu nào (trực tiếp hay gián tiếp) dùng chính nó.",
)  # fmt: skip
FORM_TEXT_TOO_LONG = _entry(
    "form-text-too-long", "form", "error", "form-key",
    "Nhãn hoặc lời gợi ý của ô nhập liệu dài quá giới hạn của Excel.",
    "Rút gọn nội dung 'help' hoặc 'label' được nêu.",
)  # fmt: skip
FORM_OUTLINE = _entry(
    "form-outline", "form", "error", "form-key",
    "Dàn ý báo cáo ('outline') không đọc được hoặc không đúng dạng.",
    "Sửa dàn ý theo thông báo (đề mục có 'title', câu có 'lead' hoặc 'parts'); đường dẫn "
    "tệp dàn ý tính từ thư mục của tệp biểu mẫu.",
)  # fmt: skip

# --- unit lists --------------------------------------------------------------------------

UNIT_FILE_MISSING = _entry(
    "unit-file-missing", "units", "error", "units-file",
    "Không tìm thấy tệp danh sách đơn vị.",
    "Kiểm tra lại đường dẫn và tên tệp (tệp .csv hoặc .xlsx).",
)  # fmt: skip
UNIT_FILE_FORMAT = _entry(
    "unit-file-format", "units", "error", "units-file",
    "Tệp danh sách đơn vị không đọc được (sai định dạng, hỏng, có mật khẩu, CSV không phải "
    "UTF-8, hoặc quá lớn).",
    "Mở tệp bằng Excel, LibreOffice hoặc WPS rồi lưu lại dưới dạng Excel Workbook (.xlsx) "
    "hoặc CSV UTF-8 (.csv); nếu tệp có mật khẩu mở, hãy bỏ mật khẩu trước.",
)  # fmt: skip
UNIT_EMPTY = _entry(
    "unit-empty", "units", "error", "units-file",
    "Danh sách chưa có dòng tiêu đề hoặc chưa có đơn vị nào.",
    "Dòng đầu ghi tiêu đề các cột, mỗi dòng sau là một đơn vị.",
)  # fmt: skip
UNIT_MISSING_COLUMN = _entry(
    "unit-missing-column", "units", "error", "units-row",
    "Dòng tiêu đề thiếu một cột bắt buộc (mã đơn vị, tên đơn vị, khối/loại).",
    "Thêm cột còn thiếu với tiêu đề như thông báo nêu.",
)  # fmt: skip
UNIT_DUPLICATE_COLUMN = _entry(
    "unit-duplicate-column", "units", "error", "units-row",
    "Hai cột cùng nghĩa (ví dụ 'Mã' và 'Mã đơn vị'); chỉ cột đầu được đọc.",
    "Xóa hoặc đổi tên một trong hai cột.",
)  # fmt: skip
UNIT_MISSING_CODE = _entry(
    "unit-missing-code", "units", "error", "units-row",
    "Dòng chưa có mã đơn vị.",
    "Nhập mã gồm chữ cái không dấu, chữ số, '_' hoặc '-', ví dụ XA_BINH_SON.",
)  # fmt: skip
UNIT_BAD_CODE = _entry(
    "unit-bad-code", "units", "error", "units-row",
    "Mã đơn vị có ký tự không dùng được hoặc quá dài.",
    "Chỉ dùng chữ cái không dấu, chữ số, '_' hoặc '-', tối đa 40 ký tự.",
)  # fmt: skip
UNIT_DUPLICATE_CODE = _entry(
    "unit-duplicate-code", "units", "error", "units-row",
    "Mã đơn vị trùng với mã ở dòng khác (không phân biệt chữ hoa, chữ thường).",
    "Mỗi đơn vị một mã riêng: sửa mã hoặc xóa dòng lặp lại.",
)  # fmt: skip
UNIT_MISSING_NAME = _entry(
    "unit-missing-name", "units", "error", "units-row",
    "Dòng chưa có tên đơn vị.",
    "Nhập tên đầy đủ của đơn vị, ví dụ 'UBND xã Bình Sơn'.",
)  # fmt: skip
UNIT_MISSING_GROUP = _entry(
    "unit-missing-group", "units", "error", "units-row",
    "Dòng chưa ghi khối/loại của đơn vị.",
    "Nhập khối/loại, ví dụ 'Sở, ban, ngành', 'UBND xã', 'UBND phường'.",
)  # fmt: skip
UNIT_FORMULA_TEXT = _entry(
    "unit-formula-text", "units", "error", "units-row",
    "Tên hoặc khối/loại bắt đầu bằng '=', '+', '-' hoặc '@': Excel sẽ hiểu là công thức.",
    "Bỏ ký tự đó ở đầu ô.",
)  # fmt: skip
UNIT_BAD_EMAIL = _entry(
    "unit-bad-email", "units", "error", "units-row",
    "Địa chỉ email không hợp lệ (hoặc nhiều địa chỉ trong một ô).",
    "Ghi một địa chỉ dạng ten@coquan.gov.vn: địa chỉ nhận báo cáo.",
)  # fmt: skip
UNIT_BAD_SYMBOL = _entry(
    "unit-bad-symbol", "units", "error", "units-row",
    "Ký hiệu cơ quan không dùng được trong số văn bản.",
    "Ghi chữ viết tắt tên cơ quan (ví dụ VP, UBND, SNV), hoặc để trống để dùng ký hiệu "
    "mặc định theo khối.",
)  # fmt: skip
UNIT_UNKNOWN_PARENT = _entry(
    "unit-unknown-parent", "units", "error", "units-row",
    "Đơn vị cấp trên không có trong danh sách.",
    "Ghi mã (không phải tên) của một đơn vị trong danh sách, hoặc để trống.",
)  # fmt: skip
UNIT_PARENT_CYCLE = _entry(
    "unit-parent-cycle", "units", "error", "units-row",
    "Chuỗi đơn vị cấp trên quay vòng (đơn vị là cấp trên của chính nó).",
    "Sửa cột 'Đơn vị cấp trên' của một trong các dòng được nêu.",
)  # fmt: skip

SENDING_LIST_FORMAT = _entry(
    "sending-list-format", "units", "error", "units-file",
    "Danh sách gửi (danh-sach-gui.csv, do lệnh generate ghi) không đọc được: không phải văn "
    "bản UTF-8, bị lỗi cấu trúc CSV, quá lớn, hoặc đang bị khóa.",
    'Đóng tệp nếu đang mở; mở bằng Excel rồi lưu lại dưới dạng "CSV UTF-8 (Comma '
    'delimited) (*.csv)", hoặc xóa tệp để công cụ tạo lại danh sách từ đầu.',
)  # fmt: skip
SENDING_LIST_EMPTY = _entry(
    "sending-list-empty", "units", "error", "units-file",
    "Danh sách gửi trống, không có cả dòng tiêu đề.",
    "Chép lại bản trước của tệp nếu còn, hoặc xóa tệp để công cụ tạo lại danh sách từ đầu.",
)  # fmt: skip
SENDING_LIST_MISSING_COLUMN = _entry(
    "sending-list-missing-column", "units", "error", "units-row",
    "Dòng tiêu đề của danh sách gửi thiếu một cột cần đọc (mã đơn vị, tệp).",
    "Thêm lại cột đó vào dòng tiêu đề (đúng tên như thông báo nêu), hoặc xóa tệp để công "
    "cụ tạo lại danh sách từ đầu.",
)  # fmt: skip
SENDING_LIST_DUPLICATE_UNIT = _entry(
    "sending-list-duplicate-unit", "units", "error", "units-row",
    "Một đơn vị có hai dòng trong danh sách gửi (mã không phân biệt chữ hoa, chữ thường).",
    "Xóa dòng thừa, giữ một dòng cho mỗi đơn vị.",
)  # fmt: skip

# --- received files: the file itself -------------------------------------------------------

_RESEND = "Đơn vị mở biểu mẫu Excel Sở đã gửi, nhập số liệu, lưu lại (.xlsx) rồi gửi lại tệp đó."

FILE_EMPTY = _entry(
    "file-empty", "return", "error", "file", "Tệp rỗng (0 byte).",
    "Đơn vị lưu lại biểu mẫu trong Excel rồi gửi lại.",
)  # fmt: skip
FILE_TOO_LARGE = _entry(
    "file-too-large", "return", "error", "file", "Tệp vượt giới hạn dung lượng.",
    "Đơn vị gửi lại đúng tệp biểu mẫu (khoảng 60 KB), không chèn ảnh hay dữ liệu khác.",
)  # fmt: skip
FILE_NOT_WORKBOOK = _entry(
    "file-not-workbook", "return", "error", "file",
    "Không phải tệp bảng tính (.xlsx, .xlsm, .ods, .xls).", _RESEND,
)  # fmt: skip
FILE_PDF = _entry(
    "file-pdf", "return", "error", "file",
    "Tệp PDF (bản scan, bản in), không phải bảng tính.",
    _RESEND + " Không gửi bản scan hay bản in.",
)  # fmt: skip
FILE_IMAGE = _entry(
    "file-image", "return", "error", "file",
    "Ảnh (ảnh chụp, bản scan), không phải bảng tính.",
    _RESEND + " Không gửi ảnh chụp.",
)  # fmt: skip
FILE_WORD = _entry(
    "file-word", "return", "error", "file",
    "Văn bản Word (.docx, .doc, .rtf, .odt), không phải bảng tính.",
    _RESEND + " Số liệu phải nằm trong biểu mẫu Excel, không trong văn bản.",
)  # fmt: skip
FILE_CSV = _entry(
    "file-csv", "return", "error", "file",
    "Tệp CSV (số liệu xuất khỏi biểu mẫu), không phải bảng tính.",
    _RESEND + " Không xuất hay lưu thành CSV.",
)  # fmt: skip
FILE_ARCHIVE = _entry(
    "file-archive", "return", "error", "file",
    "Tệp nén (ZIP, RAR, 7z), không phải bảng tính.",
    "Đơn vị gửi riêng tệp biểu mẫu Excel, không nén.",
)  # fmt: skip
FILE_ENCRYPTED = _entry(
    "file-encrypted", "return", "error", "file", "Tệp có mật khẩu mở tệp.",
    "Đơn vị gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: "
    "để trống) rồi gửi lại.",
)  # fmt: skip
FILE_ZIP_BOMB = _entry(
    "file-zip-bomb", "return", "error", "file",
    "Tệp nén bất thường (có thể là zip bomb).",
    "Đơn vị gửi lại đúng tệp biểu mẫu Sở đã gửi; nếu lặp lại, báo bộ phận tin học.",
)  # fmt: skip
FILE_XML_BOMB = _entry(
    "file-xml-bomb", "return", "error", "file",
    "Tệp chứa khai báo XML nguy hiểm (DTD, thực thể).",
    "Đơn vị gửi lại đúng tệp biểu mẫu Sở đã gửi; nếu lặp lại, báo bộ phận tin học.",
)  # fmt: skip
FILE_UNREADABLE = _entry(
    "file-unreadable", "return", "error", "file", "Tệp hỏng, không đọc được.",
    "Đơn vị mở lại tệp bằng Excel; nếu mở được, lưu lại (.xlsx) rồi gửi lại, nếu không, "
    "nhập lại vào biểu mẫu Sở đã gửi.",
)  # fmt: skip
FILE_HAS_MACROS = _entry(
    "file-has-macros", "return", "warning", "file",
    "Tệp có macro; macro không bao giờ được chạy.",
    "Không cần sửa; lần sau lưu biểu mẫu dạng .xlsx (không macro).",
)  # fmt: skip

# --- received files: whose form, unit and period ------------------------------------------

_ISSUED = "Đơn vị dùng đúng tệp biểu mẫu Sở đã gửi cho đơn vị mình và kỳ này."

NOT_OUR_WORKBOOK = _entry(
    "not-our-workbook", "return", "error", "file",
    "Không phải biểu mẫu do hệ thống phát hành.",
    _ISSUED + " Không chép số liệu sang tệp tự tạo.",
)  # fmt: skip
META_DAMAGED = _entry(
    "meta-damaged", "return", "error", "sheet-cell",
    "Trang thông tin ẩn của biểu mẫu bị hỏng.", _ISSUED,
)  # fmt: skip
FORM_UNKNOWN = _entry(
    "form-unknown", "return", "error", "sheet-cell",
    "Biểu mẫu không có trong hệ thống.", _ISSUED,
)  # fmt: skip
FORM_VERSION_OUTDATED = _entry(
    "form-version-outdated", "return", "error", "sheet-cell", "Biểu mẫu phiên bản cũ.",
    "Đơn vị chép số liệu sang biểu mẫu mới Sở đã gửi rồi gửi lại.",
)  # fmt: skip
FORM_VERSION_UNKNOWN = _entry(
    "form-version-unknown", "return", "error", "sheet-cell",
    "Phiên bản biểu mẫu không có trong hệ thống.", _ISSUED,
)  # fmt: skip
FORM_FINGERPRINT_MISMATCH = _entry(
    "form-fingerprint-mismatch", "return", "error", "sheet-cell",
    "Biểu mẫu đã bị thay đổi so với bản phát hành.", _ISSUED,
)  # fmt: skip
UNIT_UNEXPECTED = _entry(
    "unit-unexpected", "return", "error", "sheet-cell", "Biểu mẫu của đơn vị khác.",
    "Đơn vị dùng biểu mẫu mang tên đơn vị mình, không chép tệp của đơn vị khác.",
)  # fmt: skip
UNIT_NOT_IN_REGISTRY = _entry(
    "unit-not-in-registry", "return", "error", "sheet-cell",
    "Đơn vị không có trong danh sách đơn vị.",
    "Sở kiểm tra danh sách đơn vị (thêm đơn vị nếu thiếu) hoặc mã đơn vị trong biểu mẫu.",
)  # fmt: skip
UNIT_NAME_MISMATCH = _entry(
    "unit-name-mismatch", "return", "error", "sheet-cell",
    "Tên đơn vị trong tệp khác tên của mã đó trong danh sách.",
    "Đơn vị dùng đúng biểu mẫu của mình; nếu đơn vị vừa đổi tên, Sở cập nhật danh sách đơn vị.",
)  # fmt: skip
PERIOD_UNEXPECTED = _entry(
    "period-unexpected", "return", "error", "sheet-cell",
    "Biểu mẫu của kỳ báo cáo khác.",
    "Đơn vị nhập số liệu vào biểu mẫu của đúng kỳ.",
)  # fmt: skip
PERIOD_INVALID = _entry(
    "period-invalid", "return", "error", "sheet-cell",
    "Kỳ báo cáo ghi trong biểu mẫu không hợp lệ.", _ISSUED,
)  # fmt: skip

# --- received files: structure and values ------------------------------------------------

SHEET_MISSING = _entry(
    "sheet-missing", "return", "error", "sheet-cell",
    "Thiếu trang tính (bị xóa hoặc đổi tên).",
    "Đơn vị dùng lại biểu mẫu gốc, không đổi tên hay xóa trang.",
)  # fmt: skip
STRUCTURE_MOVED = _entry(
    "structure-moved", "return", "error", "sheet-cell",
    "Ô nhập liệu bị dịch chuyển (chèn, xóa dòng, cột).",
    "Đơn vị chép số liệu sang biểu mẫu gốc, không chèn hay xóa dòng, cột.",
)  # fmt: skip
VALUE_NUMBER_AS_TEXT = _entry(
    "value-number-as-text", "return", "warning", "sheet-cell",
    "Số được nhập dạng chữ; đã đọc thành số.",
    "Không bắt buộc sửa; lần sau nhập số không kèm dấu nháy hay chữ.",
)  # fmt: skip
VALUE_TEXT_IN_NUMBER = _entry(
    "value-text-in-number", "return", "error", "sheet-cell", "Chữ trong ô số.",
    "Chỉ nhập số (không kèm đơn vị tính hay ghi chú); ghi chú đưa vào phần thuyết minh.",
)  # fmt: skip
VALUE_NEGATIVE = _entry(
    "value-negative", "return", "error", "sheet-cell", "Số âm.", "Nhập số từ 0 trở lên.",
)  # fmt: skip
VALUE_NOT_INTEGER = _entry(
    "value-not-integer", "return", "error", "sheet-cell", "Số lẻ trong ô số nguyên.",
    "Nhập số nguyên (số lượng đếm được không có phần thập phân).",
)  # fmt: skip
VALUE_OUT_OF_RANGE = _entry(
    "value-out-of-range", "return", "error", "sheet-cell", "Giá trị ngoài khoảng cho phép.",
    "Nhập giá trị trong khoảng thông báo nêu.",
)  # fmt: skip
VALUE_PERCENT_RANGE = _entry(
    "value-percent-range", "return", "error", "sheet-cell", "Tỷ lệ ngoài khoảng 0–100%.",
    "Nhập tỷ lệ từ 0 đến 100 (ví dụ 85 hoặc 85%).",
)  # fmt: skip
VALUE_NOT_IN_LIST = _entry(
    "value-not-in-list", "return", "error", "sheet-cell",
    "Giá trị không có trong danh sách chọn.", "Chọn một giá trị trong danh sách của ô.",
)  # fmt: skip
VALUE_BAD_DATE = _entry(
    "value-bad-date", "return", "error", "sheet-cell", "Ngày không hợp lệ.",
    "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/06/2025.",
)  # fmt: skip
VALUE_TEXT_TOO_LONG = _entry(
    "value-text-too-long", "return", "error", "sheet-cell", "Nội dung quá dài.",
    "Rút gọn nội dung trong giới hạn thông báo nêu.",
)  # fmt: skip
VALUE_REQUIRED_MISSING = _entry(
    "value-required-missing", "return", "error", "sheet-cell", "Ô bắt buộc còn trống.",
    "Nhập số liệu (nhập 0 nếu không phát sinh).",
)  # fmt: skip
VALUE_FORMULA_IN_INPUT = _entry(
    "value-formula-in-input", "return", "error", "sheet-cell", "Công thức trong ô nhập liệu.",
    "Nhập trực tiếp số liệu, không dùng công thức hay liên kết sang tệp khác.",
)  # fmt: skip

# --- received files: rules and tables ----------------------------------------------------

RULE_FAILED = _entry(
    "rule-failed", "return", "error", "sheet-cell",
    "Số liệu không khớp quy tắc kiểm tra.",
    "Đối chiếu các ô thông báo nêu và sửa số liệu cho khớp. Mỗi quy tắc có mức riêng: "
    "quy tắc ở mức cảnh báo không cản tiếp nhận.",
)  # fmt: skip
TABLE_ROW_INCOMPLETE = _entry(
    "table-row-incomplete", "return", "error", "sheet-cell",
    "Dòng của bảng thiếu thông tin bắt buộc.", "Nhập đủ các cột bắt buộc của dòng, hoặc xóa dòng.",
)  # fmt: skip
TABLE_ROW_OUTSIDE = _entry(
    "table-row-outside", "return", "error", "sheet-cell",
    "Có nội dung bên dưới dòng cuối của bảng (bị chèn dòng).",
    "Chuyển nội dung vào các dòng của bảng, không chèn thêm dòng.",
)  # fmt: skip

# --- received files: data quality (the Sở reviews these) ---------------------------------

_REVIEW = "Sở xem lại; nếu số liệu đúng, không cần sửa, nếu sai, đơn vị sửa và gửi lại."

QUALITY_UNUSUAL = _entry(
    "quality-unusual", "return", "warning", "sheet-cell",
    "Số liệu khác thường so với các kỳ trước của đơn vị hoặc các đơn vị cùng khối.", _REVIEW,
)  # fmt: skip
QUALITY_COPY_INPUTS = _entry(
    "quality-copy-inputs", "return", "warning", "file",
    "Số liệu trùng hệt số liệu của đơn vị khác cùng kỳ.", _REVIEW,
)  # fmt: skip
QUALITY_COPY_FILE = _entry(
    "quality-copy-file", "return", "warning", "file",
    "Tệp giống hệt tệp gửi dưới tên đơn vị khác.", _REVIEW,
)  # fmt: skip
QUALITY_UNIT_FILE_NAME = _entry(
    "quality-unit-file-name", "return", "warning", "file",
    "Tên tệp chỉ đơn vị khác với đơn vị ghi trong biểu mẫu.", _REVIEW,
)  # fmt: skip
NARRATIVE_BAD_DATE = _entry(
    "narrative-bad-date", "return", "warning", "sheet-cell",
    "Ngày không có thật trong phần thuyết minh.", "Đơn vị sửa ngày trong câu được trích.",
)  # fmt: skip
NARRATIVE_FAR_YEAR = _entry(
    "narrative-far-year", "return", "warning", "sheet-cell",
    "Năm trong phần thuyết minh xa kỳ báo cáo.", "Đơn vị kiểm tra năm trong câu được trích.",
)  # fmt: skip
NARRATIVE_FRACTION_PERCENT = _entry(
    "narrative-fraction-percent", "return", "warning", "sheet-cell",
    "Phân số và tỷ lệ % trong cùng câu không khớp.",
    "Đơn vị tính lại tỷ lệ hoặc sửa phân số trong câu được trích.",
)  # fmt: skip
NARRATIVE_FIGURE_DIFFERS = _entry(
    "narrative-figure-differs", "return", "warning", "sheet-cell",
    "Số liệu nêu trong thuyết minh khác số liệu đơn vị đã nhập.",
    "Đơn vị sửa cho số trong thuyết minh và số trong ô khớp nhau.",
)  # fmt: skip


CATALOGUE: dict[str, Entry] = {entry.code: entry for entry in _ENTRIES}
"""Every entry by code, in the order above (families together)."""


def entry(code: str) -> Entry:
    """The entry of ``code``; a :class:`KeyError` naming it when the catalogue has none."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"problem code {code!r} is not in workbook_tools.catalogue") from None


def by_family() -> dict[Family, list[Entry]]:
    """The catalogue grouped by family, in :data:`FAMILIES` order."""
    return {family: [e for e in _ENTRIES if e.family == family] for family in FAMILIES}


SCREEN_WIDTH = 100
"""Lines of the screen listing wrap at spaces before this width (a console wraps mid-word)."""


def describe(kind: Entry) -> str:
    """One entry for the screen: code, severity and place, what it means, how to fix it."""
    wrap = textwrap.TextWrapper(
        SCREEN_WIDTH, initial_indent="  ", subsequent_indent="  ", break_long_words=False
    )
    return "\n".join(
        [
            f"{kind.code} ({SEVERITY_TEXT[kind.severity]}; {PLACES[kind.where]})",
            wrap.fill(kind.what),
            wrap.fill(f"Cách sửa: {kind.fix}"),
        ]
    )


def listing() -> str:
    """The whole catalogue for the screen, grouped by family."""
    blocks: list[str] = []
    for family, entries in by_family().items():
        blocks.append(f"== {FAMILIES[family]}: {len(entries)} mã ==")
        blocks.extend(describe(kind) for kind in entries)
    return "\n\n".join(blocks)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """The catalogue as the README lists it: a table per family (``codes --markdown``)."""
    lines: list[str] = []
    for family, entries in by_family().items():
        lines += [f"#### {FAMILIES[family]}", ""]
        lines += ["| Mã | Mức | Vị trí | Nghĩa là | Cách sửa |", "|---|---|---|---|---|"]
        lines += [
            f"| `{e.code}` | {SEVERITY_TEXT[e.severity]} | {PLACES[e.where]} | {_cell(e.what)} "
            f"| {_cell(e.fix)} |"
            for e in entries
        ]
        lines.append("")
    return "\n".join(lines).rstrip("\n")
