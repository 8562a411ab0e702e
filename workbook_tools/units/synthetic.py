"""Synthetic unit registries of any size, for tests and load measurements.

The real national list (3,321 commune-level units) is not something to ship or
to depend on in tests, yet consolidation, reports and checks must be exercised
at that scale. The generator is deterministic per seed, so a failure seen once
can be reproduced, and its output passes ``load_units`` like a real list.
"""

from __future__ import annotations

import random
import unicodedata

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.text import nfc
from workbook_tools.units.registry import Unit

# Real mix after 1 July 2025: 2,621 xã, 687 phường, 13 đặc khu out of 3,321.
_NATIONAL_TOTAL = 3321
_NATIONAL_PHUONG = 687
_NATIONAL_DAC_KHU = 13
_MAX_PROVINCES = 34
_COMMUNES_PER_PROVINCE = 97  # 3,321 / 34, rounded down

GROUP_PROVINCE = "UBND tỉnh"
GROUP_XA = "UBND xã"
GROUP_PHUONG = "UBND phường"
GROUP_DAC_KHU = "UBND đặc khu"
SYNTHETIC_NOTE = "Dữ liệu giả lập"

_FIRST = tuple(
    nfc(s)
    for s in (
        "An",
        "Bình",
        "Hòa",
        "Phú",
        "Tân",
        "Thạnh",
        "Long",
        "Phước",
        "Mỹ",
        "Thuận",
        "Hưng",
        "Đông",
        "Tây",
        "Nam",
        "Bắc",
        "Trung",
        "Quang",
        "Vĩnh",
        "Thanh",
        "Hải",
        "Sơn",
        "Đức",
        "Nghĩa",
        "Minh",
        "Kim",
        "Cẩm",
        "Hồng",
        "Ngọc",
        "Xuân",
        "Hiệp",
        "Lộc",
        "Thọ",
        "Tịnh",
        "Định",
        "Gia",
        "Lạc",
        "Khánh",
        "Tường",
        "Yên",
        "Trà",
    )
)
_SECOND = tuple(
    nfc(s)
    for s in (
        "Phú",
        "Lợi",
        "Hòa",
        "Thành",
        "Lâm",
        "Hải",
        "Sơn",
        "Giang",
        "Phong",
        "Bình",
        "Hưng",
        "Thịnh",
        "Tiến",
        "Lập",
        "Mỹ",
        "Xuân",
        "Điền",
        "Thạnh",
        "Trung",
        "Tân",
        "Hiệp",
        "Long",
        "Vinh",
        "Quý",
        "Đạt",
        "Nhơn",
        "Khê",
        "Hà",
        "Lương",
        "Nghĩa",
        "Phước",
        "Thủy",
        "Châu",
        "Ninh",
        "Đồng",
        "Kỳ",
        "Thọ",
        "Lộc",
        "An",
        "Cường",
    )
)
_PAIRS = tuple((a, b) for a in _FIRST for b in _SECOND if a != b)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


class _Names:
    """Place names drawn from syllable pairs; a pair used again gets a number, so
    names stay unique however many are asked for."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: dict[tuple[str, str], int] = {}

    def next(self) -> str:
        pair = self._rng.choice(_PAIRS)
        count = self._used.get(pair, 0) + 1
        self._used[pair] = count
        return f"{pair[0]} {pair[1]}" + (f" {count}" if count > 1 else "")


def synthetic_units(n: int, seed: int = 0) -> list[Unit]:
    """A deterministic registry of exactly ``n`` units.

    The first units are a handful of province units (one per ~97 communes, at
    most 34); the rest are communes in roughly the national xã / phường / đặc khu
    mix, each with a province as parent so that parent checks are exercised.
    """
    if n < 1:
        raise WorkbookToolsError(f"Số đơn vị giả lập phải từ 1 trở lên (đã nhận {n}).")
    rng = random.Random(seed)
    names = _Names(rng)

    provinces_count = min(_MAX_PROVINCES, max(1, n // _COMMUNES_PER_PROVINCE))
    provinces: list[Unit] = []
    domains: list[str] = []
    for i in range(1, provinces_count + 1):
        place = names.next()
        domain = f"{_ascii(place)}.gov.vn"
        domains.append(domain)
        provinces.append(
            Unit(
                code=f"T{i:02d}",
                name=f"UBND tỉnh {place}",
                group=GROUP_PROVINCE,
                parent=None,
                email=f"vanphong@{domain}",
                contact="Văn phòng UBND tỉnh",
                note=SYNTHETIC_NOTE,
            )
        )

    communes_count = n - provinces_count
    dac_khu = round(communes_count * _NATIONAL_DAC_KHU / _NATIONAL_TOTAL)
    phuong = round(communes_count * _NATIONAL_PHUONG / _NATIONAL_TOTAL)
    groups = (
        [GROUP_DAC_KHU] * dac_khu
        + [GROUP_PHUONG] * phuong
        + [GROUP_XA] * (communes_count - dac_khu - phuong)
    )
    rng.shuffle(groups)
    prefix = {GROUP_XA: "UBND xã", GROUP_PHUONG: "UBND phường", GROUP_DAC_KHU: "UBND đặc khu"}

    communes: list[Unit] = []
    for i, group in enumerate(groups):
        # Consecutive blocks per province, as a real list sorted by province reads.
        province = i * provinces_count // communes_count
        code = f"X{i + 1:05d}"
        communes.append(
            Unit(
                code=code,
                name=f"{prefix[group]} {names.next()}",
                group=group,
                parent=provinces[province].code,
                email=f"{code.lower()}@{domains[province]}",
                contact="Văn phòng HĐND và UBND" if rng.random() < 0.8 else None,
                note=SYNTHETIC_NOTE,
            )
        )
    return provinces + communes
