"""The report's content after the seeds' structure, as sections of paragraphs.

I. Tình hình chung; II. Kết quả thực hiện (lãnh đạo, chỉ đạo; CCHC and TTHC;
tiếp công dân and đơn thư; đạo đức công vụ; dân chủ ở cơ sở; Dân vận khéo);
III. Đánh giá chung; IV. Nhiệm vụ, giải pháp; V. Kiến nghị. Every figure comes
from the values given (a unit's submission or the consolidated totals); the
units' own words fill what numbers cannot say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.report.vietnamese import (
    BLANK,
    change,
    names,
    number,
    percent,
    quantity,
    some_or_none,
)


@dataclass
class Subsection:
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    subsections: list[Subsection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subsections": [
                {"title": s.title, "paragraphs": s.paragraphs} for s in self.subsections
            ],
        }


@dataclass(frozen=True)
class Model:
    """A Dân vận khéo model, with the unit that runs it."""

    unit: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class ReportFacts:
    """What the content is written from.

    ``texts`` are the narrative sections: one text for a unit's report, or the
    units' texts (name, text) for the consolidated one.
    """

    subject: str  # "Sở Nội vụ", "toàn tỉnh"
    period_label: str
    values: Mapping[str, Any]
    texts: Mapping[str, Sequence[tuple[str, str]]]
    models: Sequence[Model] = ()
    previous: Mapping[str, Any] | None = None
    previous_label: str = "cùng kỳ"
    consolidated: bool = False
    completeness: Sequence[str] = ()  # sentences on who reported, late, missing
    quality: Sequence[str] = ()  # sentences on files returned for correction
    own: frozenset[str] = frozenset()  # codes whose text is the subject's own (the Sở's)


def _v(facts: ReportFacts, code: str) -> Any:
    return facts.values.get(code)


def _with_change(facts: ReportFacts, code: str, *, rate: bool = False) -> str:
    if facts.previous is None:
        return ""
    phrase = change(
        _v(facts, code), facts.previous.get(code), rate=rate, against=facts.previous_label
    )
    return f" ({phrase})" if phrase else ""


def _texts(facts: ReportFacts, code: str, *, limit: int = 8) -> list[str]:
    """The narrative texts of a section: as written (a unit), or by unit (consolidated)."""
    items = list(facts.texts.get(code, ()))
    if not facts.consolidated or code in facts.own:
        return [line.strip() for _, text in items for line in text.splitlines() if line.strip()]
    shown = [
        f"- {unit}: {text.splitlines()[0].strip()}" for unit, text in items[:limit] if text.strip()
    ]
    if len(items) > limit:
        shown.append(f"(Và {len(items) - limit} đơn vị khác; nội dung đầy đủ tại bảng tổng hợp.)")
    return shown


def leadership(facts: ReportFacts) -> Subsection:
    vb, hn, luot = (
        _v(facts, "vb_chi_dao"),
        _v(facts, "hn_tuyen_truyen"),
        _v(facts, "hn_tuyen_truyen_luot"),
    )
    text = f"Trong {facts.period_label}, {facts.subject} đã ban hành {quantity(vb, 'văn bản')} lãnh đạo, chỉ đạo, triển khai"
    if hn == 0:
        text += "; không tổ chức hội nghị, tuyên truyền, tập huấn riêng về công tác dân vận chính quyền."
    else:
        text += f"; tổ chức {quantity(hn, 'hội nghị, buổi tuyên truyền, tập huấn')} với {quantity(luot, 'lượt người')} tham dự."
    return Subsection("1. Công tác lãnh đạo, chỉ đạo, triển khai thực hiện", [text])


def administrative_reform(facts: ReportFacts) -> Subsection:
    v = facts.values
    paras = []
    published = [v.get("tthc_cong_bo_moi"), v.get("tthc_sua_doi"), v.get("tthc_bai_bo")]
    if any(p for p in published if p):
        paras.append(
            f"Thủ tục hành chính được công bố mới {quantity(published[0], 'thủ tục')}, sửa đổi, bổ sung, thay thế "
            f"{quantity(published[1], 'thủ tục')}, bãi bỏ {quantity(published[2], 'thủ tục')}; "
            f"cung cấp dịch vụ công trực tuyến toàn trình {quantity(v.get('tthc_dvc_toan_trinh'), 'thủ tục')}, "
            f"một phần {quantity(v.get('tthc_dvc_mot_phan'), 'thủ tục')}."
        )
    received = v.get("hs_nhan_giai_quyet")
    if received is None:
        paras.append(f"Số liệu hồ sơ thủ tục hành chính: {BLANK}.")
    elif received == 0:
        paras.append("Trong kỳ không có hồ sơ thủ tục hành chính phải giải quyết.")
    else:
        paras.append(
            f"Tổng số hồ sơ nhận giải quyết là {quantity(received, 'hồ sơ')}{_with_change(facts, 'hs_nhan_giai_quyet')}, "
            f"gồm {number(v.get('hs_ky_truoc'))} hồ sơ từ kỳ trước chuyển sang, {number(v.get('hs_truc_tuyen'))} hồ sơ "
            f"tiếp nhận trực tuyến và {number(v.get('hs_truc_tiep'))} hồ sơ tiếp nhận trực tiếp, qua dịch vụ bưu chính "
            f"công ích; tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {percent(v.get('ty_le_truc_tuyen'))}."
        )
        resolved = v.get("hs_da_giai_quyet")
        late = some_or_none(v.get("hs_qua_han"), "hồ sơ", "quá hạn", none="không có hồ sơ quá hạn")
        paras.append(
            f"Đã giải quyết {quantity(resolved, 'hồ sơ')}, trong đó trước hạn {number(v.get('hs_truoc_han'))}, "
            f"đúng hạn {number(v.get('hs_dung_han'))}, {late}; tỷ lệ giải quyết trước hạn và đúng hạn đạt "
            f"{percent(v.get('ty_le_dung_han'))}{_with_change(facts, 'ty_le_dung_han', rate=True)}. "
            f"Đang giải quyết {quantity(v.get('hs_dang_giai_quyet'), 'hồ sơ')} "
            f"({some_or_none(v.get('hs_dang_qua_han'), 'hồ sơ', 'quá hạn', none='không có hồ sơ quá hạn')}); "
            f"trả lại, công dân rút {quantity(v.get('hs_rut'), 'hồ sơ')}."
        )
    total = v.get("pakn_tong")
    if total == 0:
        paras.append("Trong kỳ không tiếp nhận phản ánh, kiến nghị nào về quy định hành chính.")
    elif total is not None:
        paras.append(
            f"Tiếp nhận {quantity(total, 'phản ánh, kiến nghị')} (qua đơn thư {number(v.get('pakn_don_thu'))}; qua Hệ "
            f"thống phản ánh, kiến nghị, Cổng Dịch vụ công quốc gia {number(v.get('pakn_cong_dvc'))}; qua kênh khác "
            f"{number(v.get('pakn_khac'))}); đã xử lý {number(v.get('pakn_da_xu_ly'))}, đạt {percent(v.get('ty_le_pakn_xu_ly'))}."
        )
    rated = v.get("hl_luot_danh_gia")
    if rated:
        paras.append(
            f"Có {quantity(v.get('hl_luot_hai_long'), 'lượt')}/{number(rated)} lượt đánh giá hài lòng và rất hài lòng "
            f"khi giải quyết thủ tục hành chính, đạt {percent(v.get('ty_le_hai_long'))}."
        )
    elif rated == 0:
        paras.append("Trong kỳ chưa có lượt đánh giá mức độ hài lòng.")
    return Subsection("2. Công tác cải cách hành chính, giải quyết thủ tục hành chính", paras)


def citizens(facts: ReportFacts) -> Subsection:
    v = facts.values
    paras = []
    luot = v.get("tcd_luot")
    if luot == 0:
        paras.append("Trong kỳ không có lượt công dân đến kiến nghị, phản ánh, khiếu nại, tố cáo.")
    else:
        groups = v.get("tcd_doan")
        if groups == 0:
            crowd = "không có đoàn đông người"
        elif groups is None:
            crowd = f"số đoàn đông người {BLANK}"
        else:
            crowd = (
                f"có {number(groups)} lượt đoàn đông người/{number(v.get('tcd_doan_nguoi'))} người"
            )
        paras.append(
            f"Tiếp công dân {number(luot)} lượt/{number(v.get('tcd_nguoi'))} người/{number(v.get('tcd_vu_viec'))} vụ việc"
            f"{_with_change(facts, 'tcd_luot')}, trong đó {crowd}. Người đứng đầu tiếp công dân định kỳ "
            f"{quantity(v.get('tcd_dinh_ky'), 'lượt')}, đột xuất {quantity(v.get('tcd_dot_xuat'), 'lượt')}."
        )
    don = v.get("don_tiep_nhan")
    if don == 0:
        paras.append("Trong kỳ không tiếp nhận đơn khiếu nại, tố cáo, kiến nghị, phản ánh.")
    elif don is not None:
        paras.append(
            f"Tiếp nhận {quantity(don, 'đơn')}{_with_change(facts, 'don_tiep_nhan')}, trong đó "
            f"{quantity(v.get('don_du_dieu_kien'), 'đơn')} đủ điều kiện xử lý (khiếu nại {number(v.get('don_khieu_nai'))}, "
            f"tố cáo {number(v.get('don_to_cao'))}, kiến nghị, phản ánh {number(v.get('don_kien_nghi'))}); "
            f"thuộc thẩm quyền {quantity(v.get('don_thuoc_tham_quyen'), 'đơn')}; chuyển cơ quan có thẩm quyền "
            f"{quantity(v.get('don_chuyen'), 'đơn')}; hướng dẫn {quantity(v.get('don_huong_dan'), 'đơn')}."
        )
    cases = v.get("hg_vu_viec")
    if cases == 0:
        paras.append("Trong kỳ không phát sinh vụ việc hòa giải ở cơ sở.")
    elif cases is not None:
        paras.append(
            f"Hòa giải thành {number(v.get('hg_thanh'))}/{quantity(cases, 'vụ việc')}, đạt {percent(v.get('ty_le_hg_thanh'))}."
        )
    return Subsection("3. Công tác tiếp công dân, xử lý đơn thư, hòa giải ở cơ sở", paras)


def ethics(facts: ReportFacts) -> Subsection:
    v = facts.values
    punished = v.get("kl_vi_pham")
    if punished == 0:
        discipline = "không có cán bộ, công chức, viên chức vi phạm phải xử lý kỷ luật"
    elif punished is None:
        discipline = f"số người bị xử lý kỷ luật {BLANK}"
    else:
        discipline = f"xử lý kỷ luật {quantity(punished, 'cán bộ, công chức, viên chức')} vi phạm"
    text = (
        f"Tổng số cán bộ, công chức, viên chức, người lao động là {quantity(v.get('cb_tong_so'), 'người')}. "
        f"Đã tổ chức {quantity(v.get('kt_cong_vu'), 'đợt')} kiểm tra công vụ, {quantity(v.get('kt_tu_kiem_tra'), 'đợt')} "
        f"tự kiểm tra; {discipline}; {quantity(v.get('ts_ke_khai'), 'người')} kê khai, công khai tài sản, thu nhập."
    )
    return Subsection("4. Nâng cao đạo đức công vụ, kỷ luật, kỷ cương hành chính", [text])


def democracy(facts: ReportFacts) -> Subsection:
    v = facts.values
    held = v.get("hn_cbccvc")
    meeting = {
        "Có": "Đã tổ chức Hội nghị cán bộ, công chức, viên chức",
        "Không": "Chưa tổ chức Hội nghị cán bộ, công chức, viên chức",
    }
    parts = [meeting[held]] if held in meeting else []
    parts.append(f"Ban Thanh tra nhân dân có {quantity(v.get('ttnd_thanh_vien'), 'thành viên')}")
    parts.append(
        f"phối hợp để Mặt trận và các đoàn thể tổ chức {quantity(v.get('gs_mat_tran'), 'cuộc')} giám sát, phản biện xã hội"
    )
    return Subsection("5. Thực hiện dân chủ ở cơ sở", ["; ".join(parts) + "."])


def skillful(facts: ReportFacts) -> Subsection:
    v = facts.values
    registered = v.get("dvk_dang_ky")
    paras = []
    if registered == 0:
        paras.append("Trong kỳ chưa đăng ký mô hình “Dân vận khéo”.")
    else:
        paras.append(
            f"Đăng ký {quantity(registered, 'mô hình')} “Dân vận khéo”, trong đó {quantity(v.get('dvk_hieu_qua'), 'mô hình')} "
            f"được đánh giá hiệu quả; khen thưởng {quantity(v.get('dvk_kt_tap_the'), 'tập thể')} và "
            f"{quantity(v.get('dvk_kt_ca_nhan'), 'cá nhân')} trong phong trào thi đua “Dân vận khéo”."
        )
    for model in list(facts.models)[:12]:
        m = model.values
        since = f", từ năm {m['nam_bat_dau']}" if m.get("nam_bat_dau") else ""
        result = f": {m['ket_qua']}" if m.get("ket_qua") else "."
        who = f"{model.unit}; " if facts.consolidated else ""
        paras.append(
            f"- Mô hình “{m.get('ten_mo_hinh')}” ({who}lĩnh vực {str(m.get('linh_vuc') or '').lower()}{since}){result}"
        )
    if len(facts.models) > 12:
        paras.append(
            f"(Cùng {len(facts.models) - 12} mô hình khác, danh sách đầy đủ tại bảng tổng hợp.)"
        )
    return Subsection("6. Kết quả xây dựng và thực hiện mô hình “Dân vận khéo”", paras)


def sections(facts: ReportFacts) -> list[Section]:
    general = Section("I. TÌNH HÌNH CHUNG", [Subsection("", _texts(facts, "nd_tinh_hinh"))])
    if facts.consolidated:
        general.subsections[0].paragraphs = list(facts.completeness) + list(facts.quality)
    results = Section(
        "II. KẾT QUẢ THỰC HIỆN",
        [
            leadership(facts),
            administrative_reform(facts),
            citizens(facts),
            ethics(facts),
            democracy(facts),
            skillful(facts),
        ],
    )
    highlights = _texts(facts, "nd_ket_qua_noi_bat")
    if highlights:
        results.subsections[0].paragraphs.extend(
            highlights
            if not facts.consolidated
            else ["Một số kết quả nổi bật của các đơn vị:", *highlights]
        )
    review = Section(
        "III. ĐÁNH GIÁ CHUNG",
        [
            Subsection(
                "1. Ưu điểm",
                _texts(facts, "nd_uu_diem") or [f"Đơn vị chưa báo cáo nội dung này ({BLANK})."],
            ),
            Subsection(
                "2. Hạn chế, khó khăn và nguyên nhân",
                _texts(facts, "nd_han_che") + _texts(facts, "nd_nguyen_nhan"),
            ),
        ],
    )
    tasks = Section(
        "IV. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
        [Subsection("", _texts(facts, "nd_nhiem_vu"))],
    )
    proposals = _texts(facts, "nd_kien_nghi")
    out = [general, results, review, tasks]
    out.append(
        Section("V. KIẾN NGHỊ, ĐỀ XUẤT", [Subsection("", proposals or ["Không có kiến nghị."])])
    )
    return out


def completeness_sentences(
    expected: int, accepted: int, late: list[str], missing: list[str], rejected: list[str]
) -> list[str]:
    """Who reported: "96/96 đơn vị đã gửi báo cáo; 3 đơn vị gửi chậm: …"."""
    text = f"{accepted}/{expected} đơn vị đã gửi báo cáo hợp lệ"
    if late:
        text += f"; {len(late)} đơn vị gửi chậm: {names(late)}"
    if missing:
        text += f"; {len(missing)} đơn vị chưa gửi: {names(missing)}"
    if rejected:
        text += (
            f"; {len(rejected)} đơn vị gửi tệp có lỗi, đã đề nghị sửa và gửi lại: {names(rejected)}"
        )
    return [text + "."]
