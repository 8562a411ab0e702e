"""The formal frame of a document (Nghị định 30/2020, Phụ lục I): who issues it, its
number, place and date, its title, the opening that cites what it answers, and who
receives it.

The header of a unit's document follows from the kind of unit (khối), as the seeds
print it: a commune has no line above and is "ỦY BAN NHÂN DÂN / XÃ BÌNH SƠN" with the
ký hiệu UBND and its own name as địa danh; a sở is "UBND TỈNH QUẢNG NGÃI / SỞ NỘI VỤ"
with the sở's initials (SNV); the provincial office is "UBND TỈNH QUẢNG NGÃI / VĂN
PHÒNG", BC-VP. The unit list may override every part (see
:class:`workbook_tools.units.Unit`); an internal code is never used as ký hiệu.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from workbook_tools.contract.request import Citation
from workbook_tools.periods import Period, PeriodKind
from workbook_tools.text import nfc
from workbook_tools.units import Unit

DEFAULT_PROVINCE = "Quảng Ngãi"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_COMMUNE = re.compile(
    r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(xã|phường|đặc khu|thị trấn)\s+(.+)$", re.I
)
_PROVINCE = re.compile(
    r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(tỉnh|thành phố)\s+(.+)$", re.I
)
_OFFICE = re.compile(r"^văn phòng\s+(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\b", re.I)
_SMALL_WORDS = {"và", "các", "của", "với", "cho", "về"}
_MAX_INITIALS = 7


@dataclass(frozen=True)
class Issuer:
    """Who issues a document, as its header and its sentences name it."""

    name: str  # in a sentence: "Văn phòng UBND tỉnh", "UBND xã Bình Sơn"
    header: tuple[str, ...]  # cơ quan ban hành as printed (capitals, bold), 1–2 lines
    above: str = ""  # cơ quan chủ quản as printed (capitals), "" for none
    symbol: str = ""  # ký hiệu: "VP" in "Số: 05/BC-VP"
    place: str = DEFAULT_PROVINCE  # địa danh of the date line
    head_title: str = ""  # the head's title in capitals: "GIÁM ĐỐC", "CHỦ TỊCH"


def initials(name: str) -> str:
    """The abbreviation of a body's name: "Sở Nội vụ" → "SNV", "Sở Giáo dục và Đào tạo" → "SGDĐT"."""
    words = [
        w for w in re.split(r"[\s,;()–-]+", nfc(name)) if w and w.casefold() not in _SMALL_WORDS
    ]
    letters = "".join(w[0].upper() for w in words if w[0].isalpha())
    return letters if len(letters) <= _MAX_INITIALS else letters[:3]


def _province_line(province: str) -> str:
    return f"UBND TỈNH {province.upper()}"


def default_issuer(name: str, group: str = "", province: str = DEFAULT_PROVINCE) -> Issuer:
    """The header of a unit's documents by its kind, after Nghị định 30/2020 and the seeds."""
    name = " ".join(nfc(name).split())
    commune = _COMMUNE.match(name)
    if commune:
        level, place = commune.group(1), commune.group(2)
        return Issuer(name, ("ỦY BAN NHÂN DÂN", f"{level} {place}".upper()), "", "UBND", place,
                      "CHỦ TỊCH")  # fmt: skip
    province_body = _PROVINCE.match(name)
    if province_body:
        level, place = province_body.group(1), province_body.group(2)
        return Issuer(name, ("ỦY BAN NHÂN DÂN", f"{level} {place}".upper()), "", "UBND", place,
                      "CHỦ TỊCH")  # fmt: skip
    above = _province_line(province)
    if _OFFICE.match(name):
        return Issuer(name, ("VĂN PHÒNG",), above, "VP", province, "CHÁNH VĂN PHÒNG")
    folded = name.casefold()
    if folded.startswith("sở "):
        # "Sở Nội vụ tỉnh Quảng Ngãi" is headed "SỞ NỘI VỤ": the province is the line above
        core = re.sub(r"\s+tỉnh\s+.*$", "", name, flags=re.I)
        return Issuer(core, (core.upper(),), above, initials(core), province, "GIÁM ĐỐC")
    if folded.startswith("thanh tra"):
        return Issuer(name, (name.upper(),), above, "TTr", province, "CHÁNH THANH TRA")
    if folded.startswith("ban "):
        return Issuer(name, (name.upper(),), above, initials(name), province, "TRƯỞNG BAN")
    return Issuer(name, (name.upper(),), above, initials(name) or "VP", province, "")


def _header_lines(text: str) -> tuple[str, ...]:
    """A header name from the unit list: one line, or two split at a line break or " / "."""
    parts = re.split(r"\s*(?:\n|\s/\s)\s*", text.strip())
    return tuple(p.upper() for p in parts if p)


def unit_issuer(unit: Unit, province: str = DEFAULT_PROVINCE) -> Issuer:
    """A unit's issuer: the defaults by khối, overridden by the unit list's own columns."""
    base = default_issuer(unit.name, unit.group, province)
    return Issuer(
        name=base.name,
        header=_header_lines(unit.header_name) if unit.header_name else base.header,
        above=unit.above.upper() if unit.above else base.above,
        symbol=unit.symbol or base.symbol,
        place=unit.place or base.place,
        head_title=unit.signer_title.upper() if unit.signer_title else base.head_title,
    )


def named_unit(name: str, units: Iterable[Unit] = ()) -> Unit:
    """The body called ``name`` (the Sở), as the unit list has it when listed there."""
    listed = next((u for u in units if u.name.casefold() == name.casefold()), None)
    return listed or Unit("", name, "")


# ------------------------------------------------------------------ the request cited


def cited_date(day: date) -> str:
    """A date inside a citation, as the seeds write it: "27/02/2025", "23/5/2025", "06/5/2025"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def letter_reference(c: Citation) -> str:
    """ "Công văn số 1119/SNV-XDCQ ngày 23/5/2025 của Sở Nội vụ về việc …" ("" without one)."""
    if not c.letter_number and not c.letter_subject:
        return ""
    text = "Công văn"
    if c.letter_number:
        text += f" số {c.letter_number}"
    if c.letter_date:
        text += f" ngày {cited_date(c.letter_date)}"
    text += f" của {c.letter_issuer}"
    if c.letter_subject:
        text += f" về việc {c.letter_subject}"
    return text


def basis(c: Citation) -> str:
    """The first words of an opening: "Thực hiện Kế hoạch … và theo đề nghị tại Công văn …"."""
    letter = letter_reference(c)
    if c.plan and letter:
        return f"Thực hiện {c.plan} và theo đề nghị tại {letter}"
    if c.plan:
        return f"Thực hiện {c.plan}"
    if letter:
        return f"Thực hiện {letter}"
    return ""


# ------------------------------------------------------------------- period phrases


def _next(period: Period) -> str:
    """The period the tasks are for, as a title names it."""
    y = period.start_year
    if period.kind is PeriodKind.HALF:
        return f"6 tháng cuối năm {y}" if period.index == 1 else f"6 tháng đầu năm {y + 1}"
    if period.kind is PeriodKind.QUARTER:
        index = period.index or 1
        return f"quý {_ROMAN[index % 4 + 1]} năm {y if index < 4 else y + 1}"
    if period.kind is PeriodKind.NINE_MONTHS:
        return f"3 tháng cuối năm {y}"
    return f"năm {period.end_year + 1}"


def _same_year_cut(period: Period, following: str) -> str:
    """The label with its year said once, at the end of the title, when both halves share it:
    "6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025"."""
    suffix = f" năm {period.start_year}"
    if not following.endswith(suffix):
        return period.label
    cut = period.label.removesuffix(suffix)
    return cut if period.kind is PeriodKind.QUARTER else f"{cut} năm"


def multi_year_count(period: Period) -> int:
    return period.end_year - period.start_year + 1


def span(period: Period) -> str:
    """ "giai đoạn 2021 – 2025" with the en dash of the seeds' titles."""
    return f"giai đoạn {period.start_year} – {period.end_year}"


def title(topic: str, period: Period) -> str:
    """The trích yếu under "BÁO CÁO", by the period's kind.

    "Kết quả thực hiện … 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025";
    "… năm 2025, nhiệm vụ năm 2026"; "Sơ kết 5 năm thực hiện … giai đoạn 2021 – 2025".
    """
    if period.kind is PeriodKind.MULTI_YEAR:
        return f"Sơ kết {multi_year_count(period)} năm thực hiện {topic} {span(period)}"
    following = _next(period)
    if period.kind is PeriodKind.YEAR:
        return f"Kết quả thực hiện {topic} {period.label}, nhiệm vụ {following}"
    shown = _same_year_cut(period, following)
    return f"Kết quả thực hiện {topic} {shown}, nhiệm vụ trọng tâm {following}"


def reported(topic: str, period: Period) -> str:
    """What the opening says is reported: "kết quả thực hiện … 6 tháng đầu năm 2025,
    phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2025"."""
    if period.kind is PeriodKind.MULTI_YEAR:
        return f"sơ kết {multi_year_count(period)} năm thực hiện {topic} {span(period)}"
    following = _next(period)
    focus = "" if period.kind is PeriodKind.YEAR else "trọng tâm "
    return f"kết quả thực hiện {topic} {period.label}, phương hướng, nhiệm vụ {focus}{following}"


def topic_of(form_title: str) -> str:
    """The subject of the form in a sentence: "Báo cáo kết quả công tác …" → "công tác …"."""
    text = nfc(form_title).strip()
    for prefix in ("báo cáo ", "kết quả ", "thực hiện "):
        if text.casefold().startswith(prefix):
            text = text[len(prefix) :]
    return text[:1].lower() + text[1:]


# ----------------------------------------------------------------------- the frame


@dataclass(frozen=True)
class Frame:
    """The formal frame of the document (Nghị định 30/2020): who, where, which number.

    ``number`` and ``day`` stay blank for the văn thư by default. ``basis`` replaces
    the opening's citation (``citation``) when given. ``recipients``: Nơi nhận, in
    order; the first is the one the closing line sends the report to.
    """

    issuer: Issuer | None = None  # None: the unit's default (see :func:`unit_issuer`)
    citation: Citation = field(default_factory=Citation)
    number: int | None = None
    day: date | None = None
    year: int = field(default_factory=lambda: date.today().year)
    basis: str = ""
    recipients: tuple[str, ...] = ("Sở Nội vụ",)
    archive: str = "Lưu: VT."
    province: str = DEFAULT_PROVINCE

    @property
    def who(self) -> Issuer:
        if self.issuer is None:
            raise ValueError("Frame.issuer is not set")
        return self.issuer

    @property
    def places(self) -> list[str]:
        """The Nơi nhận lines: each recipient ending in ";", then the archive line."""
        return [f"{r.rstrip(';. ')};" for r in self.recipients] + [self.archive]

    @property
    def recipient(self) -> str:
        first = self.recipients[0] if self.recipients else "Sở Nội vụ"
        return re.sub(r"\s*\([^)]*\)\s*$", "", first.rstrip(";. "))
