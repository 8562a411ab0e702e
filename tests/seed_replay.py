"""Two real reports (shared/seeds 002 and 003) as a unit would type them into the workbook.

The figures and passages are copied from the seeds by hand; ``printed`` is what the
report must then say, written by hand in the seeds' Vietnamese format. Where a seed's
own figures do not add up, the comment says what was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SeedReturn:
    name: str
    unit_code: str
    unit_name: str
    group: str
    period: str
    figures: dict[str, Any]
    signer: dict[str, str]
    passages: list[tuple[str, str, str]]  # (code, heading the text belongs under, text)
    printed: list[str]
    models: list[dict[str, Any]] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        return {
            "nguoi_lap_bieu": "Nguyễn Văn A",
            "dien_thoai": "0255 3822 123",
            **self.signer,
            **self.figures,
            **{code: text for code, _, text in self.passages},
        }

    def passages_by_heading(self) -> list[tuple[str, str, list[str]]]:
        return [(code, heading, text.splitlines()) for code, heading, text in self.passages]


# Seed 002: UBND xã Hành Dũng, sơ kết 2021 – 2025 (its figures add up, see domain.md):
# 4.080 received (0 from the previous period, 1.242 online, 2.838 direct); 4.040 resolved
# (3.839 early, 97 on time, 104 late); 11 in progress (all within the deadline); 29 withdrawn.
SEED_002_HS = {
    "hs_ky_truoc": 0,
    "hs_truc_tuyen": 1242,
    "hs_truc_tiep": 2838,
    "hs_truoc_han": 3839,
    "hs_dung_han": 97,
    "hs_qua_han": 104,
    "hs_dang_trong_han": 11,
    "hs_dang_qua_han": 0,
    "hs_rut": 29,
}
ECONOMY = [
    "Sản xuất keo lai giâm hom",
    "Dịch vụ vật tư nông nghiệp",
    "Tín dụng nội bộ",
    "Dịch vụ sản xuất lúa giống",
    "Trồng ngô sinh khối",
    "Nuôi gà H’re",
    "Hỗ trợ sinh kế",
    "Trao heo giống",
    "Trồng cây ăn quả",
    "Tiết kiệm góp vốn quay vòng",
]
SOCIETY = [
    "Nuôi heo đất",
    "Hủ gạo tình thương",
    "Đổi rác thải lấy quà tặng",
    "Thư viện sách thân thiện",
    "Bữa sáng yêu thương",
]
SECURITY = ["Tổ liên gia an toàn PCCC", "Camera an ninh", "Ngày thứ 7 làm việc tại thôn"]
MODELS_002 = [
    {"ten_mo_hinh": name, "linh_vuc": field_, "don_vi_thuc_hien": "UBND xã Hành Dũng"}
    for names, field_ in (
        (ECONOMY, "Kinh tế"),
        (SOCIETY, "Văn hóa – xã hội"),
        (SECURITY, "Quốc phòng – an ninh"),
    )
    for name in names
]

SEED_002 = SeedReturn(
    name="seed-002-xa-hanh-dung",
    unit_code="XA_HANH_DUNG",
    unit_name="UBND xã Hành Dũng",
    group="UBND xã",
    period="2021-2025",
    figures={
        **SEED_002_HS,
        "tthc_dvc_toan_trinh": 23,
        "tthc_dvc_mot_phan": 72,
        "hs_buu_chinh": 0,  # "Chưa có hồ sơ phát sinh qua dịch vụ bưu chính công ích"
        "pakn_tong": 0,  # "chưa phát sinh phản ánh kiến nghị liên quan đến quy định hành chính"
        # The seed gives the Chủ tịch's lượt only (95 định kỳ, 56 đột xuất): their sum.
        "tcd_luot": 151,
        "tcd_dinh_ky": 95,
        "tcd_dot_xuat": 56,
        "dt_hoi_nghi": 8,
        "dt_y_kien": 75,
        "hg_vu_viec": 46,
        "hg_thanh": 46,
        "kt_tu_kiem_tra": 7,
        "kt_van_de": 10,
        "kl_vi_pham": 0,  # "chưa phát hiện trường hợp CBCC vi phạm kỷ luật"
        "dvk_dang_ky": len(MODELS_002),
    },
    signer={
        "hinh_thuc_ky": "TM.",
        "chuc_danh_thu_truong": "ỦY BAN NHÂN DÂN",
        "chuc_vu_nguoi_ky": "CHỦ TỊCH",
        "nguoi_ky": "Trần Văn Thiện",
    },
    passages=[
        (
            "nd_tinh_hinh",
            "TÌNH HÌNH CHUNG",
            "Xã Hành Dũng là một xã nằm ở phía Tây của huyện Nghĩa Hành cách Trung tâm huyện khoảng 2,5 km.\n"
            "Toàn xã có 07 thôn trong đó có 02 thôn từ 350 hộ trở lên, 05 thôn dưới 350 hộ.",
        ),
        (
            "nd_lanh_dao",
            "Công tác lãnh đạo, chỉ đạo, quán triệt, tuyên truyền",
            "Tổ chức quán triệt việc tiếp tục thực hiện Kết luận số 114-KL/TƯ ngày 14/7/2015 của Ban Bí thư.\n"
            "Hằng năm, công chức phụ trách tham mưu công tác Dân vận chính quyền đều được tham gia tập huấn.",
        ),
        (
            "nd_cchc",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            "UBND xã đã cụ thể hóa bằng Quyết định số 204/QĐ-UBND ngày 31/12/2021 về Ban hành Kế hoạch CCHC giai đoạn 2021-2025.",
        ),
        (
            "nd_cai_cach_tthc",
            "Kết quả cải cách thủ tục hành chính",
            "UBND xã đã kịp thời rà soát, đánh giá thủ tục hành chính trên địa bàn xã.",
        ),
        (
            "nd_dvctt",
            "Dịch vụ công trực tuyến, thanh toán trực tuyến, bưu chính công ích",
            "Các TTHC thực hiện tại cơ quan đều được triển khai thanh toán trực tuyến hoặc quét mã QR.",
        ),
        (
            "nd_hai_long",
            "Mức độ hài lòng của người dân, tổ chức",
            "Hằng năm, lấy ý kiến đánh giá bằng phiếu giấy, 100% tổ chức và cá nhân đánh giá hài lòng và rất hài lòng.",
        ),
        (
            "nd_tiep_dan",
            "Công tác tiếp công dân, xử lý đơn thư, đối thoại và hòa giải ở cơ sở",
            "UBND xã đã ban hành Lịch tiếp công dân định kỳ, phân công công chức trực tiếp tiếp nhận đơn thư.\n"
            "Về công tác hòa giải, trình độ, năng lực của đội ngũ hoà giải viên chưa đồng đều.",
        ),
        (
            "nd_dao_duc",
            "Nâng cao đạo đức công vụ, kỷ luật, kỷ cương hành chính",
            "Đa số cán bộ, công chức chấp hành tốt giờ giấc làm việc theo quy định của pháp luật.",
        ),
        (
            "nd_dan_van_kheo",
            "Kết quả xây dựng và thực hiện mô hình “Dân vận khéo”",
            "Lĩnh vực phát triển kinh tế: Nhân dân đã đóng góp công sức trên 13 tỷ đồng xây dựng nông thôn mới.\n"
            "Lĩnh vực văn hóa xã hội: đã có nhiều mô hình hay, cách làm khéo đem lại hiệu quả thiết thực.",
        ),
        (
            "nd_mat_tran",
            "góp ý xây dựng chính quyền",
            "UBND xã thực hiện công tác phối hợp theo Qui chế số 01/QC-HĐND-UBND-UBMTTQ ngày 18/02/2021.\n"
            "Định kỳ 06 tháng một lần, UBND xã bố trí lịch làm việc với Mặt trận Tổ quốc.",
        ),
        (
            "nd_kiem_tra",
            "Công tác kiểm tra, hướng dẫn thực hiện công tác dân vận",
            "Hàng năm, UBND xã đều xây dựng và thực hiện tự kiểm tra định kỳ công tác CCHC.",
        ),
        (
            "nd_uu_diem",
            "Ưu điểm",
            "Thực hiện tốt công tác dân chủ ở cơ sở đã góp phần nâng cao nhận thức của cán bộ, công chức.",
        ),
        (
            "nd_han_che",
            "Hạn chế, khó khăn và nguyên nhân",
            "Công tác tuyên truyền, vận động có lúc chưa được thường xuyên, hiệu quả chưa cao.",
        ),
        (
            "nd_nguyen_nhan",
            "Hạn chế, khó khăn và nguyên nhân",
            "Nguyên nhân: Cán bộ, công chức xã thực hiện công tác Dân vận đều là kiêm nhiệm.",
        ),
        (
            "nd_nhiem_vu",
            "NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
            "1. Tiếp tục chỉ đạo, triển khai thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021.\n"
            "2. Tăng cường công tác tuyên truyền, giáo dục, nâng cao nhận thức cho cán bộ, đảng viên.",
        ),
        (
            "nd_kien_nghi",
            "KIẾN NGHỊ, ĐỀ XUẤT",
            "Đề nghị mở lớp tập huấn nghiệp vụ về công tác Dân vận, Dân chủ cơ sở cho cán bộ, công chức cấp xã.",
        ),
    ],
    models=MODELS_002,
    printed=[
        "Trong giai đoạn 2021 – 2025, tổng số hồ sơ nhận giải quyết là 4.080 hồ sơ, gồm "
        "1.242 hồ sơ tiếp nhận trực tuyến, 2.838 hồ sơ tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích.",
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 30,4%.",
        "Đã giải quyết 4.040 hồ sơ, trong đó 3.839 hồ sơ trước hạn, 97 hồ sơ đúng hạn, 104 hồ sơ quá hạn.",
        "Tỷ lệ giải quyết trước hạn và đúng hạn đạt 97,4%.",
        "Đang giải quyết 11 hồ sơ (11 hồ sơ trong hạn, không có hồ sơ quá hạn).",
        "Trả lại, công dân rút 29 hồ sơ.",
        "Có 23 thủ tục hành chính được cung cấp dịch vụ công trực tuyến toàn trình; "
        "72 thủ tục hành chính được cung cấp dịch vụ công trực tuyến một phần.",
        "Chưa có hồ sơ tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích.",
        "Trong giai đoạn 2021 – 2025, không phát sinh phản ánh, kiến nghị về quy định hành chính.",
        "Trong giai đoạn 2021 – 2025, UBND xã Hành Dũng tiếp công dân 151 lượt.",
        "Người đứng đầu tiếp công dân định kỳ 95 lượt, đột xuất 56 lượt.",
        "Tổ chức 08 hội nghị đối thoại với Nhân dân, tiếp nhận 75 ý kiến.",
        "Thực hiện hòa giải ở cơ sở 46 vụ việc, hòa giải thành 46 vụ việc, đạt 100%.",
        "Trong giai đoạn 2021 – 2025, không có cán bộ, công chức, viên chức vi phạm phải xử lý kỷ luật.",
        "Trong giai đoạn 2021 – 2025, UBND xã Hành Dũng đăng ký 18 mô hình “Dân vận khéo”.",
        "- Mô hình “Sản xuất keo lai giâm hom”: lĩnh vực kinh tế; đơn vị thực hiện: UBND xã Hành Dũng.",
        "- Mô hình “Camera an ninh”: lĩnh vực quốc phòng – an ninh; đơn vị thực hiện: UBND xã Hành Dũng.",
        "Trong giai đoạn 2021 – 2025, tổ chức 07 đợt tự kiểm tra.",
        "Qua kiểm tra, phát hiện 10 vấn đề cần khắc phục.",
    ],
)


# Seed 003: Văn phòng UBND tỉnh, 6 tháng đầu năm 2023. Its hồ sơ parts (40.927 + 11.876
# = 52.803 resolved) do not add up to its "đã giải quyết 53.503"; the parts are kept, the
# split trước hạn / đúng hạn it does not give is put in trước hạn, and the remainder of the
# 56.703 received lands in "rút" so that the form's balance rule holds. Its đơn breakdown
# (19 + 07 + 55 = 81) does not match its 62 đơn đủ điều kiện, so only the totals are typed.
SEED_003 = SeedReturn(
    name="seed-003-van-phong-ubnd-tinh",
    unit_code="VP_UBND_TINH",
    unit_name="Văn phòng UBND tỉnh",
    group="Sở, ban, ngành",
    period="2023-H1",
    figures={
        "hs_ky_truoc": 0,
        "hs_truc_tuyen": 29084,
        "hs_truc_tiep": 27619,
        "hs_truoc_han": 51824,
        "hs_dung_han": 0,
        "hs_qua_han": 979,
        "hs_dang_trong_han": 3200,
        "hs_dang_qua_han": 0,
        "hs_rut": 700,
        "tthc_cong_bo_moi": 29,
        "tthc_sua_doi": 84,
        "tthc_bai_bo": 33,
        "hs_buu_chinh": 10140,
        "tt_giao_dich": 8500,
        "tt_so_tien": 12000,
        "pakn_tong": 152,
        "pakn_don_thu": 9,
        "pakn_cong_dvc": 93,
        "pakn_khac": 50,
        "hl_luot_danh_gia": 14390,
        "tcd_luot": 35,
        "tcd_nguoi": 48,
        "tcd_doan": 2,
        "don_tiep_nhan": 81,
        "don_du_dieu_kien": 62,
        "kl_vi_pham": 0,  # "Kết quả trong kỳ báo cáo, cơ quan không trường hợp nào vi phạm"
        "ts_ke_khai": 13,
        "ttnd_thanh_vien": 3,
        "dvk_dang_ky": 2,
    },
    signer={
        "hinh_thuc_ky": "Thủ trưởng ký",
        "chuc_danh_thu_truong": "CHÁNH VĂN PHÒNG",
        "chuc_vu_nguoi_ky": "CHÁNH VĂN PHÒNG",
        "nguoi_ky": "Vũ Minh Tâm",
    },
    passages=[
        (
            "nd_tinh_hinh",
            "TÌNH HÌNH CHUNG",
            "Văn phòng UBND tỉnh là cơ quan chuyên môn thuộc UBND tỉnh.\n"
            "Cơ cấu tổ chức bộ máy: Chánh Văn phòng, 03 Phó Chánh Văn phòng, 07 đơn vị hành chính.",
        ),
        (
            "nd_lanh_dao",
            "Công tác lãnh đạo, chỉ đạo, quán triệt, tuyên truyền",
            "- Ban hành và tổ chức thực hiện Chương trình công tác 6 tháng đầu năm 2023 (Quyết định số 06/QĐ-VP ngày 13/01/2023).\n"
            "- Xây dựng, ban hành Kế hoạch số 236/KH-VP ngày 22/02/2023 về thực hiện Quy chế dân chủ cơ sở.",
        ),
        (
            "nd_cchc",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            "- Tham mưu Chủ tịch UBND tỉnh ban hành Quyết định số 124/QĐ-UBND ngày 30/01/2023.\n"
            "- Thành lập Đoàn kiểm tra đột xuất hoạt động tiếp nhận, giải quyết TTHC (Quyết định số 13/QĐ-VP ngày 23/3/2023).",
        ),
        (
            "nd_so_hoa",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "Tiếp tục duy trì và thực hiện có hiệu quả việc số hóa và tái sử dụng kết quả số hóa hồ sơ.",
        ),
        (
            "nd_giai_quyet_tthc",
            "Kết quả giải quyết thủ tục hành chính",
            "- Thực hiện thông báo hơn 25.500 tin nhắn SMS mời người dân, doanh nghiệp đến nhận kết quả.\n"
            "- Một số cơ quan có tỷ lệ hồ sơ phát sinh trực tuyến cao: Sở Công Thương 96,5%; Tư pháp 92,6%.",
        ),
        (
            "nd_pakn",
            "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
            "Các phản ánh của công dân đều đã được chuyển tới cơ quan, người có thẩm quyền để xử lý kịp thời.",
        ),
        (
            "nd_tiep_dan",
            "Công tác tiếp công dân, xử lý đơn thư, đối thoại và hòa giải ở cơ sở",
            "Tích cực tham mưu lãnh đạo UBND tỉnh chỉ đạo xử lý, giải quyết đơn khiếu nại, tố cáo theo quy định.",
        ),
        (
            "nd_dao_duc",
            "Nâng cao đạo đức công vụ, kỷ luật, kỷ cương hành chính",
            "Thực hiện nghiêm quy định về trách nhiệm nêu gương của đảng viên.\n"
            "Thường xuyên tổ chức thực hiện tốt Quy chế Văn hóa công sở, Đề án văn hóa công vụ.",
        ),
        (
            "nd_dan_chu",
            "Thực hiện dân chủ ở cơ sở",
            "a) Công bố công khai dự toán ngân sách năm 2023 của Văn phòng (Quyết định số 153/QĐ-VP ngày 28/12/2022).\n"
            "b) Công khai, minh bạch trong công tác tổ chức cán bộ (Kế hoạch số 414/KH-VP ngày 22/3/2023).",
        ),
        (
            "nd_uu_diem",
            "Ưu điểm",
            "Văn phòng đã nêu cao vai trò trách nhiệm và tích cực trong việc bám sát Chương trình công tác năm 2023.",
        ),
        (
            "nd_han_che",
            "Hạn chế, khó khăn và nguyên nhân",
            "Việc tuyên truyền, phổ biến về công tác dân vận chính quyền còn lồng ghép trong các hoạt động chung.",
        ),
        (
            "nd_nhiem_vu",
            "NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
            "1. Tiếp tục tổ chức thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị.\n"
            "2. Thực hiện nghiêm túc Quy chế dân chủ ở cơ sở.",
        ),
    ],
    models=[
        {
            "ten_mo_hinh": "Đẩy mạnh thanh toán trực tuyến không dùng tiền mặt trong giải quyết TTHC",
            "linh_vuc": "Xây dựng hệ thống chính trị",
            "don_vi_thuc_hien": "Trung tâm Phục vụ - Kiểm soát thủ tục hành chính tỉnh",
        },
        {
            "ten_mo_hinh": "Dân vận khéo trong công tác tiếp công dân thường xuyên",
            "linh_vuc": "Xây dựng hệ thống chính trị",
            "don_vi_thuc_hien": "Ban Tiếp công dân tỉnh",
        },
    ],
    printed=[
        "Trong 6 tháng đầu năm 2023, tổng số hồ sơ nhận giải quyết là 56.703 hồ sơ, gồm "
        "29.084 hồ sơ tiếp nhận trực tuyến, 27.619 hồ sơ tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích.",
        "979 hồ sơ quá hạn",
        "Đang giải quyết 3.200 hồ sơ (3.200 hồ sơ trong hạn, không có hồ sơ quá hạn).",
        "Trong 6 tháng đầu năm 2023, có 29 thủ tục hành chính được công bố mới; 84 thủ tục hành chính "
        "được sửa đổi, bổ sung, thay thế; 33 thủ tục hành chính bị bãi bỏ.",
        "Thanh toán trực tuyến 8.500 giao dịch với số tiền 12.000 triệu đồng.",
        "Có 10.140 hồ sơ được tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích.",
        "Trong 6 tháng đầu năm 2023, tiếp nhận 152 phản ánh, kiến nghị, trong đó 09 qua đơn thư; 93 qua "
        "Hệ thống phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia; 50 qua đường dây nóng, trực tiếp "
        "và hình thức khác.",
        "Có 14.390 lượt đánh giá mức độ hài lòng của người dân, tổ chức khi giải quyết thủ tục hành chính.",
        "Trong 6 tháng đầu năm 2023, Văn phòng UBND tỉnh tiếp công dân 35 lượt (48 người).",
        "Tiếp 02 đoàn đông người.",
        "Tiếp nhận 81 đơn.",
        "Số đơn đủ điều kiện xử lý là 62 đơn.",
        "Trong 6 tháng đầu năm 2023, không có cán bộ, công chức, viên chức vi phạm phải xử lý kỷ luật.",
        "Niêm yết, công khai bản kê khai tài sản, thu nhập của 13 người.",
        "Ban Thanh tra nhân dân có 03 thành viên.",
        "Trong 6 tháng đầu năm 2023, Văn phòng UBND tỉnh đăng ký 02 mô hình “Dân vận khéo”.",
        "- Mô hình “Dân vận khéo trong công tác tiếp công dân thường xuyên”: lĩnh vực xây dựng hệ "
        "thống chính trị; đơn vị thực hiện: Ban Tiếp công dân tỉnh.",
    ],
)
