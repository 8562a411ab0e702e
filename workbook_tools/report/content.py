"""The report's body: the form's outline rendered over a unit's figures or the totals.

The headings, their order, the sentences and which narrative belongs where are
form data (:mod:`workbook_tools.form.outline`); this module knows no indicator
code. It numbers the headings (I., 1., a)), renders each sentence in a sandboxed
Jinja environment that refuses unknown names, drops a clause that prints a blank
figure, says a zero in the sentence's own words, then appends the unit's own
paragraphs (line breaks kept) after the sentences built from its figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from workbook_tools.form.model import Form, Kind
from workbook_tools.form.outline import Heading, Outline, Part, Sentence, names_in
from workbook_tools.periods import Period, PeriodKind
from workbook_tools.report.vietnamese import FILTERS, Blank, Figure, Zero, names, number

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n")
END_MARKS = (".", "!", "?", ":", ";")


@dataclass
class Block:
    """A rendered heading: its numbered title, level (1 = "I.", 2 = "1.", 3 = "a)") and paragraphs."""

    title: str
    level: int
    paragraphs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "level": self.level, "paragraphs": self.paragraphs}


@dataclass(frozen=True)
class Subject:
    """What the sentences are about: who, which period, and whose report it is."""

    name: str  # "Văn phòng UBND tỉnh"; "các cơ quan, đơn vị"
    period: Period
    consolidated: bool = False


def period_phrase(period: Period) -> str:
    """How the seeds open a sentence by period kind: "Trong 6 tháng đầu năm 2025",
    "Trong giai đoạn 2021 – 2025" (an en dash between the years)."""
    label = period.label
    if period.kind is PeriodKind.MULTI_YEAR:
        label = label.replace(" - ", " – ")
    return f"Trong {label}"


def figures(
    form: Form,
    values: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
    against: str = "cùng kỳ",
    by_unit: Sequence[tuple[str, Mapping[str, Any]]] = (),
) -> dict[str, Figure]:
    """Every indicator of the form as a :class:`Figure` (blank when the values lack it).

    ``by_unit``: (unit name, values) of every unit of a consolidated report, for the
    rankings its sentences print (units with overdue files, the lowest rates).
    """
    out = {}
    for ind in form.indicators:
        unit = "%" if ind.kind is Kind.PERCENT else ind.unit
        before = previous.get(ind.code) if previous is not None else None
        ranked = tuple((name, v.get(ind.code)) for name, v in by_unit)
        out[ind.code] = Figure(values.get(ind.code), unit, ind.precision, before, against, ranked)
    return out


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


_ENV = _environment()


@lru_cache(maxsize=1024)
def _template(text: str) -> Template:
    return _ENV.from_string(text)


def _render(text: str, names_: Mapping[str, Any]) -> str:
    """A template's text; raises :class:`Blank` or :class:`Zero` from the figures it prints."""
    return " ".join(_template(text).render(names_).split())


def _zero(of: str, names_: Mapping[str, Any]) -> bool:
    figure = names_.get(of)
    return isinstance(figure, Figure) and figure.value == 0 and not isinstance(figure.value, bool)


def _part(part: Part, names_: Mapping[str, Any]) -> str:
    """A clause; its own closing stop is dropped, as the sentence goes on after it."""
    try:
        if part.zero and _zero(part.of, names_):
            return _render(part.zero, names_).rstrip(".;, ")
        return _render(part.text, names_).rstrip(".;, ")
    except (Blank, Zero):
        return ""


def sentence(s: Sentence, names_: Mapping[str, Any]) -> str:
    """One sentence, or "" when what it says was not reported."""
    try:
        if s.zero and _zero(s.of, names_):
            return _finish(_render(s.zero, names_))
        lead = _render(s.lead, names_) if s.lead else ""
    except (Blank, Zero):
        return ""
    parts = [text for text in (_part(p, names_) for p in s.parts) if text]
    if not parts:
        prints = any(isinstance(names_.get(n), Figure) for n in names_in(s.lead))
        return _finish(lead) if lead and (prints or not s.parts) else ""
    if not lead:
        return _finish(s.join.join(parts))
    return _finish(lead + s.open + s.join.join(parts) + s.close)


def _finish(text: str) -> str:
    text = text.strip().rstrip(",;")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(END_MARKS) else text + "."


def paragraphs_of(text: str) -> list[str]:
    """A unit's text as paragraphs: one per line, empty lines dropped, spaces tidied."""
    return [" ".join(line.split()) for line in str(text).splitlines() if line.strip()]


def render_outline(
    outline: Outline,
    subject: Subject,
    values: Mapping[str, Figure],
    texts: Mapping[str, Sequence[str]],
    tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> list[Block]:
    """The numbered headings with their paragraphs; a heading with nothing under it is left out.

    ``texts`` are the paragraphs of each narrative code (:func:`paragraphs_of` a unit's
    cell, or the Sở's own texts for the consolidated report); ``tables`` the rows
    of the form's tables, listed under the heading that names them in a unit's report.
    """
    names_: dict[str, Any] = {
        **values,
        "trong_ky": period_phrase(subject.period),
        "ky": subject.period.label,
        "don_vi": subject.name,
        "tong_hop": subject.consolidated,
    }
    blocks = [_block(h, subject, names_, texts, tables or {}) for h in outline.headings]
    return _number(_keep_filled(blocks))


def _block(
    heading: Heading,
    subject: Subject,
    names_: Mapping[str, Any],
    texts: Mapping[str, Sequence[str]],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Block:
    kind = "consolidated" if subject.consolidated else "unit"
    paras: list[str] = []
    for s in heading.sentences:
        if s.only not in ("", kind):
            continue
        text = sentence(s, names_)
        if text and s.continues and paras:
            paras[-1] += " " + text
        elif text:
            paras.append(text)
    listing = heading.table
    if listing is not None and not subject.consolidated:
        for row in tables.get(listing.code, ()):
            row_names = {column: Figure(row.get(column)) for column in listing.columns}
            line = sentence(listing.row, row_names)
            paras.append(f"- {line}" if line else "")
    for code in heading.narrative:
        paras.extend(texts.get(code, ()))
    return Block(heading.title, heading.level, [p for p in paras if p])


def appendix_blocks(
    outline: Outline, units: Sequence[tuple[str, str, Mapping[str, Any]]]
) -> list[Block]:
    """The units' own texts for the consolidated report's appendix: by khối, then by unit,
    under the outline's heading each text belongs to; every text whole, every line kept.

    ``units``: (group, unit name, values) in order. "I. KHỐI SỞ, BAN, NGÀNH" (left out when
    there is one khối), "1. Sở Nội vụ", "a) Công tác lãnh đạo, …" then its paragraphs; a
    unit without any text is left out.
    """
    by_group: dict[str, list[Block]] = {}
    for group, unit, values in units:
        below = []
        for heading in outline.headings:
            paras = [
                p for code in heading.narrative for p in paragraphs_of(str(values.get(code) or ""))
            ]
            if paras:
                below.append(Block(_sentence_case(heading.title), 3, paras))
        if below:
            by_group.setdefault(group, []).extend([Block(unit, 2), *below])
    blocks: list[Block] = []
    for group, items in by_group.items():
        if len(by_group) > 1:
            name = group if group.lower().startswith("khối") else f"Khối {group}"
            blocks.append(Block(name.upper(), 1))
        blocks.extend(items)
    return _number(blocks)


def _sentence_case(title: str) -> str:
    """A capitals title in sentence case: "TÌNH HÌNH CHUNG" → "Tình hình chung" (a level-1 title printed as a lower heading)."""
    return title[:1] + title[1:].lower() if title.isupper() else title


def _keep_filled(blocks: list[Block]) -> list[Block]:
    """Drop a heading when neither it nor any heading below it has a paragraph."""
    kept: list[Block] = []
    for k, block in enumerate(blocks):
        below = []
        for later in blocks[k + 1 :]:
            if later.level <= block.level:
                break
            below.append(later)
        if block.paragraphs or any(b.paragraphs for b in below):
            kept.append(block)
    return kept


def _number(blocks: list[Block]) -> list[Block]:
    counters = [0, 0, 0]
    for block in blocks:
        level = block.level
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        n = counters[level - 1]
        mark = (
            f"{ROMAN[n - 1] if n <= len(ROMAN) else n}."
            if level == 1
            else f"{n}."
            if level == 2
            else f"{LETTERS[(n - 1) % len(LETTERS)]})"
        )
        block.title = f"{mark} {block.title}"
    return blocks


def blank_counts(form: Form, units: Sequence[Mapping[str, Any]]) -> list[str]:
    """The data-quality sentence of the consolidated report: who left which figure blank.

    "12/110 đơn vị chưa báo cáo số lượt tiếp công dân"; nothing when every unit
    gave every figure.
    """
    if not units:
        return []
    placed = {s.id: s.placement for s in form.sections}
    found = []
    for ind in form.indicators:
        if ind.computed or placed[ind.section] != "figures" or not ind.kind.numeric:
            continue
        blank = sum(1 for values in units if values.get(ind.code) is None)
        if blank:
            label = ind.label[:1].lower() + ind.label[1:]
            found.append(f"{number(blank)}/{number(len(units))} đơn vị chưa báo cáo {label}")
    if not found:
        return []
    return ["Về số liệu chưa báo cáo: " + "; ".join(found) + "."]


def completeness_sentences(
    expected: int, accepted: int, late: list[str], missing: list[str], rejected: list[str]
) -> list[str]:
    """Who reported: "96/98 đơn vị đã gửi báo cáo hợp lệ; 03 đơn vị gửi chậm: …" (a count
    as the seeds write it, "02 đơn vị")."""
    text = f"{accepted}/{expected} đơn vị đã gửi báo cáo hợp lệ"
    if late:
        text += f"; {number(len(late))} đơn vị gửi chậm: {names(late)}"
    if missing:
        text += f"; {number(len(missing))} đơn vị chưa gửi: {names(missing)}"
    if rejected:
        text += (
            f"; {number(len(rejected))} đơn vị gửi tệp có lỗi, đã đề nghị sửa và gửi lại: "
            f"{names(rejected)}"
        )
    return [text + "."]
