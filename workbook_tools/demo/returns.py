"""Realistic returns for the demo and the benchmark: what units would type in.

Figures are drawn per unit from a seeded generator, consistent by construction
(hồ sơ balance, parts that add up to their totals), in the ranges of the seed
reports: a sở handles thousands of hồ sơ a half-year, a xã hundreds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.text import format_number
from workbook_tools.units import Unit

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thị Thu", "Đức", "Thị Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Nam",
    "Phúc",
    "Tâm",
    "Trang",
    "Vân",
]

MODELS = [
    (
        "Dân vận khéo trong giải quyết thủ tục hành chính tại Bộ phận Một cửa",
        "Xây dựng hệ thống chính trị",
    ),
    ("Tuyên truyền, vận động người dân nộp hồ sơ trực tuyến", "Xây dựng hệ thống chính trị"),
    ("Tổ hợp tác sản xuất lúa chất lượng cao", "Kinh tế"),
    ("Tuyến đường hoa nông thôn mới", "Văn hóa – xã hội"),
    ("Camera an ninh kết nối cộng đồng", "Quốc phòng – an ninh"),
    ("Vận động hiến đất mở rộng đường giao thông nông thôn", "Kinh tế"),
    ("Chi hội phụ nữ giúp nhau phát triển kinh tế", "Kinh tế"),
    ("Tổ tự quản về an ninh trật tự khu dân cư", "Quốc phòng – an ninh"),
    ("Ngày thứ Bảy vì người dân", "Văn hóa – xã hội"),
]


@dataclass
class Return:
    """One unit's filling: indicator values and Dân vận khéo rows."""

    values: dict[str, Any]
    table: dict[tuple[str, int, str], Any] = field(default_factory=dict)


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """``total`` split into len(weights) non-negative integers that add up to it."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    parts[rng.randrange(len(parts))] += total - sum(parts)
    return parts


# (name starts with, signing for, head's title, deputy's title): a deputy signs "KT." for the
# head of an agency; a commune's chairman signs "TM." for the People's Committee.
_AGENCY_TITLES: tuple[tuple[str, str, str], ...] = (
    ("văn phòng", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("thanh tra", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA"),
    ("ban ", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ("sở ", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
)


def signer_titles(unit: Unit) -> tuple[str, str, str]:
    """(hình thức ký, chức danh thủ trưởng, chức vụ người ký) fitting the kind of unit."""
    name = unit.name.casefold()
    if name.startswith(("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")):
        return "TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    for start, head, deputy in _AGENCY_TITLES:
        if name.startswith(start):
            return "KT.", head, deputy
    return "KT.", "THỦ TRƯỞNG", "PHÓ THỦ TRƯỞNG"


def realistic_return(unit: Unit, seed: int = 0) -> Return:
    rng = random.Random(f"{seed}:{unit.code}")
    big = unit.group.lower().startswith(("sở", "văn phòng", "ban", "thanh tra"))
    v: dict[str, Any] = {}
    head = person(rng)
    deputy = person(rng)
    how, head_title, signer_title = signer_titles(unit)
    v.update(hinh_thuc_ky=how, chuc_danh_thu_truong=head_title, chuc_vu_nguoi_ky=signer_title)
    v.update(
        nguoi_lap_bieu=person(rng),
        dien_thoai=f"0255 {rng.randint(3700000, 3899999)}",
        email_lien_he=unit.email,
        nguoi_ky=head if how == "TM." else deputy,  # TM.: the chairman himself; KT.: a deputy
    )
    v.update(vb_chi_dao=rng.randint(2, 12), hn_tuyen_truyen=rng.randint(1, 6))
    v["hn_tuyen_truyen_luot"] = v["hn_tuyen_truyen"] * rng.randint(30, 120)
    # hồ sơ TTHC: received = carried over + online + direct; received = resolved + in progress + withdrawn
    scale = 6 if big else 1
    ky_truoc = rng.randint(0, 15 * scale)
    truc_tuyen = rng.randint(150, 900) * scale
    truc_tiep = rng.randint(60, 500) * scale
    received = ky_truoc + truc_tuyen + truc_tiep
    dang = rng.randint(0, max(1, received // 60))
    rut = rng.randint(0, max(1, received // 150))
    resolved = received - dang - rut
    qua_han = rng.choice([0, 0, 0, 1, 2, rng.randint(0, max(1, resolved // 100))])
    dung_han = rng.randint(0, max(1, resolved // 12))
    truoc_han = resolved - dung_han - qua_han
    dang_qua = rng.choice([0, 0, min(1, dang)])
    v.update(
        hs_ky_truoc=ky_truoc, hs_truc_tuyen=truc_tuyen, hs_truc_tiep=truc_tiep,
        hs_truoc_han=truoc_han, hs_dung_han=dung_han, hs_qua_han=qua_han,
        hs_dang_trong_han=dang - dang_qua, hs_dang_qua_han=dang_qua, hs_rut=rut,
        hs_buu_chinh=rng.randint(0, truc_tiep // 10), hs_so_hoa=rng.randint(resolved // 3, resolved),
        tt_giao_dich=rng.randint(0, truc_tuyen // 3),
        tthc_cong_bo_moi=rng.randint(0, 12) if big else 0, tthc_sua_doi=rng.randint(0, 20) if big else 0,
        tthc_bai_bo=rng.randint(0, 5) if big else 0,
        tthc_dvc_toan_trinh=rng.randint(20, 120) if big else rng.randint(15, 40),
        tthc_dvc_mot_phan=rng.randint(20, 150) if big else rng.randint(30, 80),
    )  # fmt: skip
    v["tt_so_tien"] = round(v["tt_giao_dich"] * rng.uniform(0.02, 0.2), 1)
    channels = [rng.randint(0, 4), rng.randint(0, 9), rng.randint(0, 6)]
    v.update(
        pakn_don_thu=channels[0],
        pakn_cong_dvc=channels[1],
        pakn_khac=channels[2],
        pakn_tong=sum(channels),
    )
    v["pakn_da_xu_ly"] = max(0, v["pakn_tong"] - rng.choice([0, 0, 0, 1]))
    rated = rng.randint(resolved // 3, resolved)
    v.update(hl_luot_danh_gia=rated, hl_luot_hai_long=rated - rng.randint(0, max(1, rated // 200)))
    luot = rng.randint(4, 40 * (2 if big else 1))
    doan = rng.choice([0, 0, 1, 2])
    v.update(
        tcd_luot=luot, tcd_nguoi=luot + rng.randint(0, luot), tcd_vu_viec=rng.randint(luot // 2, luot),
        tcd_doan=doan, tcd_doan_nguoi=doan * rng.randint(5, 25),
        tcd_dinh_ky=rng.randint(2, 6), tcd_dot_xuat=rng.randint(0, 3),
        dt_hoi_nghi=rng.randint(0, 3), dt_y_kien=rng.randint(0, 40),
    )  # fmt: skip
    don = rng.randint(8, 60 * (2 if big else 1))
    eligible = rng.randint(don // 2, don)
    khieu_nai, to_cao, kien_nghi = _split(rng, eligible, [rng.random() + 0.1 for _ in range(3)])
    v.update(
        don_tiep_nhan=don, don_du_dieu_kien=eligible, don_khieu_nai=khieu_nai, don_to_cao=to_cao,
        don_kien_nghi=kien_nghi, don_thuoc_tham_quyen=rng.randint(0, eligible),
        don_chuyen=rng.randint(0, (don - eligible) // 2 + 1), don_huong_dan=rng.randint(0, (don - eligible) // 2),
    )  # fmt: skip
    cases = rng.randint(0, 12)
    v.update(hg_vu_viec=cases, hg_thanh=rng.randint(cases * 6 // 10, cases))
    staff = rng.randint(40, 220) if big else rng.randint(22, 45)
    v.update(
        cb_tong_so=staff, kt_cong_vu=rng.randint(0, 4), kt_tu_kiem_tra=rng.randint(1, 4),
        kt_van_de=rng.randint(0, 5), kl_vi_pham=rng.choice([0, 0, 0, 0, 1]),
        ts_ke_khai=rng.randint(staff // 5, staff // 2), hn_cbccvc="Có",
        ttnd_thanh_vien=rng.randint(3, 7), gs_mat_tran=rng.randint(0, 6),
    )  # fmt: skip
    models = rng.sample(MODELS, rng.randint(1, 3))
    v.update(dvk_dang_ky=len(models), dvk_hieu_qua=rng.randint(0, len(models)))
    v.update(dvk_kt_tap_the=rng.randint(0, 2), dvk_kt_ca_nhan=rng.randint(0, 4))
    table: dict[tuple[str, int, str], Any] = {}
    for i, (name, area) in enumerate(models, start=1):
        row = {
            "ten_mo_hinh": name, "linh_vuc": area, "don_vi_thuc_hien": unit.name,
            "dia_chi": unit.name.replace("UBND ", ""), "nam_bat_dau": rng.randint(2021, 2025),
            "noi_dung": "Phân công cán bộ, công chức bám sát địa bàn; tuyên truyền, hướng dẫn trực tiếp người dân.",
            "ket_qua": f"Đã hỗ trợ {rng.randint(50, 900)} lượt người dân; được Nhân dân đồng tình hưởng ứng.",
            "cap_cong_nhan": rng.choice(["Chưa công nhận", "Cơ quan, đơn vị", "Cấp xã", "Cấp tỉnh"]),
        }  # fmt: skip
        for col, value in row.items():
            table[("dvk_mo_hinh", i, col)] = value
    v.update(
        # the figures are said by the outline's sentences: the texts do not repeat them, and a
        # number in a text is written as the seeds write it ("3.429 hồ sơ", "03 mô hình")
        nd_tinh_hinh=f"{unit.name} luôn quan tâm thực hiện công tác dân vận chính quyền gắn với "
        "cải cách hành chính, nhiệm vụ chính trị của đơn vị.",
        nd_ket_qua_noi_bat=f"Tiếp nhận {format_number(received)} hồ sơ thủ tục hành chính; duy trì "
        f"{len(models):02d} mô hình “Dân vận khéo” gắn với nhiệm vụ chuyên môn.",
        nd_lanh_dao="Ban hành Kế hoạch thực hiện công tác dân vận chính quyền và Quy chế dân chủ ở cơ sở.\n"
        "Quán triệt Chỉ thị số 33/CT-TTg đến toàn thể cán bộ, công chức trong cuộc họp giao ban.",
        nd_tiep_dan="Duy trì lịch tiếp công dân định kỳ của người đứng đầu; các vụ việc được xem xét, "
        "trả lời đúng thời hạn.",
        nd_uu_diem="Lãnh đạo quan tâm chỉ đạo sát sao; cán bộ, công chức có tinh thần trách nhiệm, "
        "thái độ phục vụ Nhân dân đúng mực.",
        nd_han_che="Việc tuyên truyền về công tác dân vận chính quyền còn lồng ghép, chưa thường xuyên; "
        "một số hồ sơ còn giải quyết quá hạn.",
        nd_nguyen_nhan="Khối lượng công việc lớn; hạ tầng công nghệ thông tin ở một số nơi chưa đồng bộ.",
        nd_nhiem_vu="Tiếp tục thực hiện Chỉ thị số 33/CT-TTg; đẩy mạnh cải cách hành chính, chuyển đổi số; "
        "nhân rộng các mô hình “Dân vận khéo” hiệu quả.",
        nd_kien_nghi=rng.choice(
            ["", "Đề nghị tỉnh quan tâm bố trí kinh phí nâng cấp trang thiết bị Bộ phận Một cửa."]
        ),
    )
    if not v["nd_kien_nghi"]:
        v["nd_kien_nghi"] = None
    return Return(v, table)
