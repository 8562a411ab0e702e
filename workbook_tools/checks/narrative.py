"""Narrative checks: what the long-text cells say against the calendar and the figures.

The real reports carry slips no rule on the figures can see, because they sit in
prose: a date that does not exist ("ngày 31/4/2019"), a year far from the period
("6 tháng đầu năm 2054" in a 2025 report), a fraction and a percentage that
disagree in one sentence ("02/14 … chiếm 20%": it is 14,3%), and a figure stated
in the text differently from the unit's own ("đã giải quyết 53.503 hồ sơ" while
its parts give 52.803).

Conservative on purpose: every check here must stay quiet on the seeds' correct
sentences (document numbers "39/KH-UBND", "Chỉ thị số 33/CT-TTg", "99,8%", "năm
2021 - 2025"). A stated figure is compared only when it follows the indicator's
own words exactly (its label without "Số" and the unit: "đã giải quyết" for "Số
hồ sơ đã giải quyết") and is then followed by the unit, and only when it is
close to the unit's figure (within :data:`CLOSE`): a figure far off is usually a
part ("các sở, ngành đã giải quyết 40.927 hồ sơ"), one close but different is a
slip. All findings are warnings, each quoting its sentence and naming its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from workbook_tools.catalogue import (
    NARRATIVE_BAD_DATE,
    NARRATIVE_FAR_YEAR,
    NARRATIVE_FIGURE_DIFFERS,
    NARRATIVE_FRACTION_PERCENT,
    Entry,
)
from workbook_tools.contract.compiled import layout_for
from workbook_tools.findings import Finding, finding
from workbook_tools.form.model import Form, Kind
from workbook_tools.periods import Period
from workbook_tools.text import format_number

CLOSE = 0.10
"""A stated figure within this share of the unit's own (but not equal) is a slip."""
MIN_FIGURE = 100
"""Figures below this are not compared with the text (small counts are rounded in prose)."""
PERCENT_TOLERANCE = 1.0
"""Percentage points a stated percentage may differ from its fraction (rounding)."""
FUTURE_PERIOD_YEARS = 1
"""A period named in the text may end at most this many years after the report's."""
FAR_YEARS = 30
"""Any "năm YYYY" more than this after the report's period is a typo, not a vision."""
QUOTE_LENGTH = 160

_DATE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_PERIOD_YEAR = re.compile(
    r"(?:(?:0?6|0?9)\s+tháng\s+(?:đầu|cuối)|quý\s+[IV1-4]+)\s+năm\s+(\d{4})", re.IGNORECASE
)
_YEAR = re.compile(r"năm\s+(\d{4})(?![\d/])", re.IGNORECASE)
_FRACTION = re.compile(r"(?<![\d/.,\w])(\d{1,4})/(\d{1,4})(?![\d/\w])")
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d+)?)\s?%")
_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+)"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_DIGIT = re.compile(r"\d")  # as the patterns above read a digit


@dataclass(frozen=True)
class _Phrase:
    code: str
    label: str
    unit: str
    pattern: re.Pattern[str]


def narrative_findings(form: Form, values: Mapping[str, object], period: Period) -> list[Finding]:
    """The warnings on every long-text cell of a return."""
    layout = layout_for(form)
    phrases = _own_phrases(_phrases(form), values)
    found: list[Finding] = []
    for ind in form.indicators:
        text = values.get(ind.code)
        if ind.kind is not Kind.LONG_TEXT or not isinstance(text, str) or not text.strip():
            continue
        cell = layout.cell(ind.code)
        for kind, message in _slips(phrases, text, period):
            found.append(
                finding(
                    kind,
                    f"Phần “{ind.label}”: {message}",
                    sheet=cell.sheet,
                    cell=cell.a1,
                    indicators=[ind.code],
                )
            )
    return found


def _slips(
    phrases: tuple[tuple[_Phrase, int], ...], text: str, period: Period
) -> Iterator[tuple[Entry, str]]:
    for sentence in _sentences(text):
        if _DIGIT.search(sentence) is None:
            continue  # every slip is about a number: a date, a year, a fraction, a figure
        flat = " ".join(sentence.split())
        yield from _dates(flat, period)
        yield from _years(flat, period)
        yield from _fractions(flat)
        yield from _figures(phrases, flat)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _quote(sentence: str, start: int, end: int) -> str:
    """The sentence, or the part of a long one around ``start:end``, cut at words."""
    if len(sentence) <= QUOTE_LENGTH:
        return sentence
    room = max(QUOTE_LENGTH - (end - start), 0)
    left = max(start - room // 2, 0)
    right = min(left + QUOTE_LENGTH, len(sentence))
    left = max(min(left, right - QUOTE_LENGTH), 0)
    if left > 0:
        left = sentence.find(" ", left, start) + 1 or left
    if right < len(sentence):
        right = sentence.rfind(" ", end, right) if sentence.rfind(" ", end, right) > 0 else right
    return ("…" if left > 0 else "") + sentence[left:right] + ("…" if right < len(sentence) else "")


def _dates(sentence: str, period: Period) -> Iterator[tuple[Entry, str]]:
    for match in (*_DATE.finditer(sentence), *_DATE_WORDS.finditer(sentence)):
        day, month, year = (int(g) for g in match.groups())
        quote = _quote(sentence, match.start(), match.end())
        try:
            date(year, month, day)
        except ValueError:
            yield (
                NARRATIVE_BAD_DATE,
                f"ngày “{match.group(0)}” không có thật (tháng {month} năm {year} không có ngày "
                f"{day}) trong câu “{quote}”. Hãy sửa lại ngày cho đúng.",
            )
            continue
        if year > period.end_year + FUTURE_PERIOD_YEARS:
            yield (
                NARRATIVE_FAR_YEAR,
                f"ngày “{match.group(0)}” ở sau kỳ báo cáo ({period.label}) nhiều năm, trong câu "
                f"“{quote}”. Có thể gõ nhầm năm: hãy kiểm tra lại.",
            )


def _years(sentence: str, period: Period) -> Iterator[tuple[Entry, str]]:
    flagged: set[int] = set()
    for match in _PERIOD_YEAR.finditer(sentence):
        year = int(match.group(1))
        quote = _quote(sentence, match.start(), match.end())
        if year > period.end_year + FUTURE_PERIOD_YEARS:
            flagged.add(match.start(1))
            yield (
                NARRATIVE_FAR_YEAR,
                f"“{match.group(0)}” ở sau kỳ báo cáo ({period.label}), trong câu “{quote}”. "
                "Có thể gõ nhầm năm: hãy kiểm tra lại.",
            )
    for match in _YEAR.finditer(sentence):
        year = int(match.group(1))
        quote = _quote(sentence, match.start(), match.end())
        if match.start(1) not in flagged and year > period.end_year + FAR_YEARS:
            yield (
                NARRATIVE_FAR_YEAR,
                f"“{match.group(0)}” cách kỳ báo cáo ({period.label}) hơn {FAR_YEARS} năm, trong "
                f"câu “{quote}”. Có thể gõ nhầm năm: hãy kiểm tra lại.",
            )


def _fractions(sentence: str) -> Iterator[tuple[Entry, str]]:
    """One fraction and the first percentage after it in a clause must agree."""
    for clause in sentence.split(";"):
        fractions = [
            m
            for m in _FRACTION.finditer(clause)
            if not re.search(r"(ngày|tháng|số|năm)\s*$", clause[: m.start()], re.IGNORECASE)
        ]
        if len(fractions) != 1:
            continue
        fraction = fractions[0]
        part, whole = int(fraction.group(1)), int(fraction.group(2))
        percent = _PERCENT.search(clause, fraction.end())
        if percent is None or whole == 0 or part > whole:
            continue
        stated = float(percent.group(1).replace(",", "."))
        actual = 100 * part / whole
        if abs(stated - actual) > PERCENT_TOLERANCE:
            quote = _quote(clause, fraction.start(), percent.end())
            yield (
                NARRATIVE_FRACTION_PERCENT,
                f"“{fraction.group(0)}” là {format_number(actual, 1)}%, nhưng câu ghi "
                f"“{percent.group(0)}”: “{quote}”. Hãy sửa phân số hoặc tỷ lệ cho khớp.",
            )


def _own_phrases(
    phrases: tuple[_Phrase, ...], values: Mapping[str, object]
) -> tuple[tuple[_Phrase, int], ...]:
    """The phrases whose figure the unit gave, large enough to compare, with that figure."""
    own = []
    for phrase in phrases:
        value = values.get(phrase.code)
        if isinstance(value, int) and not isinstance(value, bool) and value >= MIN_FIGURE:
            own.append((phrase, value))
    return tuple(own)


def _figures(
    phrases: tuple[tuple[_Phrase, int], ...], sentence: str
) -> Iterator[tuple[Entry, str]]:
    for phrase, own in phrases:
        for match in phrase.pattern.finditer(sentence):
            stated = int(match.group(1).replace(".", ""))
            if stated != own and abs(stated - own) <= CLOSE * own:
                quote = _quote(sentence, match.start(), match.end())
                yield (
                    NARRATIVE_FIGURE_DIFFERS,
                    f"câu “{quote}” ghi {format_number(stated)} {phrase.unit}, nhưng số liệu "
                    f"đơn vị nhập cho “{phrase.label}” là {format_number(own)}. Hãy sửa cho "
                    "thống nhất giữa phần thuyết minh và phần số liệu.",
                )


_PHRASES: dict[str, tuple[_Phrase, ...]] = {}


def _phrases(form: Form) -> tuple[_Phrase, ...]:
    """Each count's own words: its label without "Số" and its unit ("đã giải quyết")."""
    if form.fingerprint in _PHRASES:
        return _PHRASES[form.fingerprint]
    phrases = []
    for ind in form.indicators:
        if ind.kind is not Kind.INTEGER or not ind.unit:
            continue
        head = f"Số {ind.unit} "
        if not ind.label.startswith(head):
            continue
        words = ind.label[len(head) :].strip()
        if len(words.split()) < 2:
            continue
        pattern = re.compile(
            rf"(?<!\w){re.escape(words)}\s*:?\s+{_NUMBER}\s+{re.escape(ind.unit)}(?!\w)",
            re.IGNORECASE,
        )
        phrases.append(_Phrase(ind.code, ind.label, ind.unit, pattern))
    _PHRASES[form.fingerprint] = tuple(phrases)
    return _PHRASES[form.fingerprint]
