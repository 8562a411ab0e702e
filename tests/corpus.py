"""Builders for a corpus of bad received files, all made from one valid filling of dvcq.

A valid workbook is a generated workbook filled (with openpyxl, at its defined
names) with ``FILLING`` and ``TABLE``: figures taken from the seeds and chosen so
that every rule of dvcq holds. Each bad file is that workbook, or its bytes, broken
in one way, the way received files really break: renamed CSVs, truncated
downloads, pasted text, inserted rows, a sheet renamed, a file saved by another
program.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import openpyxl
from helpers import fill_workbook

from workbook_tools.contract.layout import build_layout
from workbook_tools.form import Form, load_form, shipped_forms
from workbook_tools.units import Unit, UnitRegistry

# Every input of dvcq, required or not, consistent with every rule (errors and warnings).
# Hồ sơ from seed 002: 0 + 1.242 + 2.838 = 4.080 = (3.839 + 97 + 104) + (8 + 3) + 29.
# Đơn from seed 000, with its sum corrected: 28 + 35 + 120 = 183.
FILLING: dict[str, Any] = {
    # Đơn vị
    "nguoi_lap_bieu": "Nguyễn Thị Hoa",
    "dien_thoai": "0255 3822 123",
    "email_lien_he": "vanphong@quangngai.gov.vn",
    "hinh_thuc_ky": "KT.",
    "chuc_danh_thu_truong": "CHÁNH VĂN PHÒNG",
    "chuc_vu_nguoi_ky": "PHÓ CHÁNH VĂN PHÒNG",
    "nguoi_ky": "Trần Văn Bình",
    # Lãnh đạo, chỉ đạo
    "vb_chi_dao": 12,
    "hn_tuyen_truyen": 6,
    "hn_tuyen_truyen_luot": 540,
    # TTHC, hồ sơ
    "tthc_cong_bo_moi": 15,
    "tthc_sua_doi": 22,
    "tthc_bai_bo": 4,
    "tthc_dvc_toan_trinh": 60,
    "tthc_dvc_mot_phan": 35,
    "hs_ky_truoc": 0,
    "hs_truc_tuyen": 1242,
    "hs_truc_tiep": 2838,
    "hs_truoc_han": 3839,
    "hs_dung_han": 97,
    "hs_qua_han": 104,
    "hs_dang_trong_han": 8,
    "hs_dang_qua_han": 3,
    "hs_rut": 29,
    "hs_buu_chinh": 310,
    "hs_so_hoa": 3500,
    "tt_giao_dich": 860,
    "tt_so_tien": 125.5,
    # Phản ánh, kiến nghị: 12 + 30 + 20 = 62
    "pakn_don_thu": 12,
    "pakn_cong_dvc": 30,
    "pakn_khac": 20,
    "pakn_tong": 62,
    "pakn_da_xu_ly": 60,
    "hl_luot_danh_gia": 3900,
    "hl_luot_hai_long": 3850,
    # Tiếp công dân, đơn, hòa giải
    "tcd_luot": 45,
    "tcd_nguoi": 60,
    "tcd_vu_viec": 40,
    "tcd_doan": 2,
    "tcd_doan_nguoi": 25,
    "tcd_dinh_ky": 12,
    "tcd_dot_xuat": 3,
    "dt_hoi_nghi": 2,
    "dt_y_kien": 37,
    "don_tiep_nhan": 320,
    "don_du_dieu_kien": 183,
    "don_khieu_nai": 28,
    "don_to_cao": 35,
    "don_kien_nghi": 120,
    "don_thuoc_tham_quyen": 40,
    "don_chuyen": 150,
    "don_huong_dan": 90,
    "hg_vu_viec": 18,
    "hg_thanh": 15,
    # Đạo đức công vụ (0 bị kỷ luật: a zero, not a blank)
    "cb_tong_so": 85,
    "kt_cong_vu": 2,
    "kt_tu_kiem_tra": 4,
    "kt_van_de": 3,
    "kl_vi_pham": 0,
    "ts_ke_khai": 20,
    # Dân chủ ở cơ sở, Dân vận khéo
    "hn_cbccvc": "Có",
    "ttnd_thanh_vien": 5,
    "gs_mat_tran": 3,
    "dvk_dang_ky": 3,
    "dvk_hieu_qua": 2,
    "dvk_kt_tap_the": 1,
    "dvk_kt_ca_nhan": 2,
    # Thuyết minh
    "nd_tinh_hinh": "Văn phòng có 5 phòng chuyên môn và 2 đơn vị trực thuộc; 85 biên chế.",
    "nd_ket_qua_noi_bat": "Ban hành 12 văn bản chỉ đạo; 100% hồ sơ được số hóa kết quả.",
    "nd_uu_diem": "Tiếp nhận, giải quyết hồ sơ đúng quy trình, công khai, minh bạch.",
    "nd_han_che": "Còn 104 hồ sơ giải quyết quá hạn.\nMột số đơn vị báo cáo chậm.",
    "nd_nguyen_nhan": "Hồ sơ phức tạp, cần lấy ý kiến nhiều cơ quan.",
    "nd_nhiem_vu": "Tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình.",
    "nd_kien_nghi": "Đề nghị Sở Nội vụ tổ chức tập huấn về biểu mẫu mới.",
}

# Rows of the "Dân vận khéo" table (every column, both rows complete and valid).
TABLE: list[dict[str, Any]] = [
    {
        "ten_mo_hinh": "Dân vận khéo trong cải cách hành chính",
        "linh_vuc": "Xây dựng hệ thống chính trị",
        "don_vi_thuc_hien": "Bộ phận Một cửa",
        "dia_chi": "Xã Đông Sơn",
        "nam_bat_dau": 2021,
        "noi_dung": "Hướng dẫn người dân nộp hồ sơ trực tuyến tại nhà.",
        "ket_qua": "Tỷ lệ hồ sơ trực tuyến tăng từ 20% lên 30%.",
        "cap_cong_nhan": "Cấp tỉnh",
    },
    {
        "ten_mo_hinh": "Chợ 4.0",
        "linh_vuc": "Kinh tế",
        "don_vi_thuc_hien": "Hội Liên hiệp Phụ nữ xã",
        "dia_chi": "Chợ Đông Sơn",
        "nam_bat_dau": 2023,
        "noi_dung": "Thanh toán không dùng tiền mặt tại chợ.",
        "ket_qua": "120 tiểu thương dùng mã QR.",
        "cap_cong_nhan": "Cấp xã",
    },
]

TABLE_CODE = "dvk_mo_hinh"

Rows = list[dict[str, Any]]


def table_cells(form: Form, rows: Rows) -> dict[tuple[str, int, str], tuple[str, str, Any]]:
    """``fill_workbook``'s table argument for ``rows`` (None leaves a cell blank)."""
    layout = build_layout(form)
    cells = {}
    for i, row in enumerate(rows, start=1):
        for column, value in row.items():
            if value is not None:
                ref = layout.table_cells[(TABLE_CODE, i, column)]
                cells[(TABLE_CODE, i, column)] = (ref.sheet, ref.a1, value)
    return cells


# --- zip and OLE bytes -----------------------------------------------------------------


def rewrite_zip(
    source: Path, target: Path, parts: dict[str, bytes | Callable[[bytes], bytes]]
) -> None:
    """Copy the zip ``source`` to ``target``, replacing or adding the named parts."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            change = parts.get(info.filename)
            if callable(change):
                data = change(data)
            elif change is not None:
                data = change
            out.writestr(info.filename, data)
        for name, change in parts.items():
            if name not in src.namelist():
                assert not callable(change), f"{name} is not in {source.name}"
                out.writestr(name, change)


def zip_bomb(source: Path, target: Path, megabytes: int = 300) -> None:
    """A real workbook with one extra part of ``megabytes`` MB of zeros (≈ 1000:1)."""
    shutil.copyfile(source, target)
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("xl/media/image1.png", "w", force_zip64=True) as fh,
    ):
        for _ in range(megabytes):
            fh.write(chunk)


def lying_crc(source: Path, target: Path, part: str = "xl/styles.xml") -> None:
    """A copy of ``source`` whose ``part`` declares a wrong CRC-32, in its local header and in
    the zip directory alike: calamine reads the sheets, openpyxl refuses the whole file."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as z:
        info = z.getinfo(part)
    for offset in (info.header_offset + 14, _central_entry(data, part) + 16):
        (crc,) = struct.unpack_from("<L", data, offset)
        assert crc == info.CRC
        struct.pack_into("<L", data, offset, crc ^ 0xFFFF)
    target.write_bytes(bytes(data))


def _central_entry(data: bytearray, name: str) -> int:
    """Offset of ``name``'s entry in the zip directory."""
    position = data.rfind(b"PK\x05\x06")
    (directory,) = struct.unpack_from("<L", data, position + 16)
    while data[directory : directory + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, directory + 28)
        if data[directory + 46 : directory + 46 + name_len].decode() == name:
            return directory
        directory += 46 + name_len + extra_len + comment_len
    raise KeyError(name)


def lying_zip_bomb(
    source: Path, target: Path, megabytes: int, sheet: str = "xl/worksheets/sheet3.xml"
) -> None:
    """A workbook whose ``sheet`` part (openpyxl's third: "Số liệu") holds ``megabytes`` MB
    of padding while the zip directory and local header still declare its original size."""
    with zipfile.ZipFile(source) as z:
        parts = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, data in parts:
            if name != sheet:
                out.writestr(name, data)
                continue
            head, tail = data.rsplit(b"</worksheet>", 1)
            with out.open(name, "w") as fh:
                fh.write(head)
                for _ in range(megabytes):
                    fh.write(b" " * (1024 * 1024))
                fh.write(b"</worksheet>" + tail)
            declared = len(data)
    raw = bytearray(buffer.getvalue())
    patched = 0
    # (signature, offset of the name length, of the name, of the uncompressed size)
    for signature, length_at, name_at, size_at in (
        (b"PK\x03\x04", 26, 30, 22),  # local file header
        (b"PK\x01\x02", 28, 46, 24),  # central directory entry
    ):
        start = raw.find(signature)
        while start != -1:
            (length,) = struct.unpack_from("<H", raw, start + length_at)
            if raw[start + name_at : start + name_at + length] == sheet.encode():
                struct.pack_into("<L", raw, start + size_at, declared)
                patched += 1
            start = raw.find(signature, start + 4)
    assert patched == 2, patched
    target.write_bytes(bytes(raw))


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<!DOCTYPE sst [\n"
    b' <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def billion_laughs(shared_strings: bytes) -> bytes:
    """``xl/sharedStrings.xml`` with a DTD of nested entities, its first string ``&lol9;``."""
    body = shared_strings.split(b"?>", 1)[1].lstrip()
    body = body.replace(b"<t>", b"<t>&lol9;", 1)
    return BILLION_LAUGHS + body


def encrypted_ole() -> bytes:
    """A minimal OLE2 compound file laid out like a password-protected .xlsx.

    Excel writes an encrypted workbook as an OLE container with the streams
    ``EncryptionInfo`` and ``EncryptedPackage`` (MS-OFFCRYPTO); here both are empty.
    """
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<LLLLLLLL", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<L", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    struct.pack_into("<108L", header, 80, *([free] * 108))
    fat = struct.pack("<128L", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        out = bytearray(128)
        out[: len(raw)] = raw
        struct.pack_into("<HBB", out, 64, len(raw), kind, 1)
        struct.pack_into("<LLL", out, 68, free, right, child)
        struct.pack_into("<LQ", out, 116, end, 0)
        return bytes(out)

    directory = (
        entry("Root Entry", 5, child=1)
        + entry("EncryptionInfo", 2, right=2)
        + entry("EncryptedPackage", 2, right=3)
        + entry("\x06DataSpaces", 1)
    )
    return bytes(header) + fat + directory


# --- workbook edits --------------------------------------------------------------------


def edit_workbook(source: Path, target: Path, change: Callable[[Any], None]) -> None:
    """Open ``source`` with openpyxl, apply ``change`` to the workbook, save as ``target``."""
    wb = openpyxl.load_workbook(source)
    change(wb)
    wb.save(target)


def meta_row(wb: Any, key: str) -> int:
    """The 1-based row of ``key`` in the hidden _meta sheet."""
    ws = wb["_meta"]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == key:
            return row
    raise KeyError(key)


def set_meta(key: str, value: Any) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        wb["_meta"].cell(meta_row(wb, key), 2).value = value

    return change


def delete_meta(key: str) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        wb["_meta"].delete_rows(meta_row(wb, key))

    return change


# --- the corpus ------------------------------------------------------------------------

OTHER_UNIT = Unit(
    code="PHUONG_KHAC",
    name="UBND phường Khác",
    group="UBND phường",
    parent=None,
    email=None,
    contact=None,
    note=None,
)


class Corpus:
    """Files of the corpus, built on first use in ``root`` from the fresh workbook."""

    def __init__(self, root: Path, fresh: Path, form: Form, unit: Unit) -> None:
        self.root = root
        self.fresh = fresh
        self.form = form
        self.unit = unit

    def file(self, name: str) -> Path:
        return self.root / name

    @cached_property
    def registry(self) -> UnitRegistry:
        return UnitRegistry((self.unit, OTHER_UNIT), source="danh sách đơn vị thử")

    @cached_property
    def registry_without_unit(self) -> UnitRegistry:
        return UnitRegistry((OTHER_UNIT,), source="danh sách đơn vị thử")

    @cached_property
    def form_v2(self) -> Form:
        """dvcq as it would be after a change: the same definition, its version plus one."""
        text = shipped_forms()["dvcq"].read_text(encoding="utf-8")
        version = self.form.version
        assert f"\nversion: {version}\n" in text
        path = self.root / "dvcq-next.yaml"
        bumped = text.replace(f"\nversion: {version}\n", f"\nversion: {version + 1}\n", 1)
        path.write_text(bumped, encoding="utf-8")
        return load_form(path)

    @cached_property
    def valid(self) -> Path:
        target = self.file("valid.xlsx")
        self.fill(target)
        return target

    def fill(self, target: Path, rows: Rows | None = None, **changes: Any) -> None:
        """The valid filling with ``changes`` (None: leave blank) and table ``rows``."""
        values = {**FILLING, **changes}
        fill_workbook(
            self.fresh, target, values, table_cells(self.form, TABLE if rows is None else rows)
        )

    def edit(self, target: Path, change: Callable[[Any], None]) -> None:
        edit_workbook(self.valid, target, change)

    def zip_parts(
        self,
        target: Path,
        parts: dict[str, bytes | Callable[[bytes], bytes]],
        source: Path | None = None,
    ) -> None:
        """The valid workbook (or ``source``) with ``parts`` replaced or added."""
        rewrite_zip(source or self.valid, target, parts)

    def docx_like(self, target: Path) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
            z.writestr("word/document.xml", "<w:document><w:body>Báo cáo</w:body></w:document>")
        target.write_bytes(buffer.getvalue())
