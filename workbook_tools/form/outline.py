"""The report outline a form carries: its headings, the sentences under them, its narratives.

The outline is form data, like the indicators: which headings the report has, in
which order, which sentences are written there from which codes, and which of
the unit's own texts (narrative cells) belong under each. ``workbook_tools.report``
renders it without knowing any code.

Sentences are Jinja templates over the form's codes. A sentence is a ``lead``
followed by ``parts`` (clauses); a part that prints a blank figure is dropped,
and so is a sentence whose parts all drop, so that a unit's report never says
"chưa báo cáo". A zero gets its own words through ``zero`` ("không có hồ sơ quá
hạn"), never "00".

This module parses and checks the outline; it does not render it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from workbook_tools.catalogue import (
    FORM_EXPRESSION_SYNTAX,
    FORM_OUTLINE,
    FORM_UNKNOWN_CODE,
    FORM_UNKNOWN_KEY,
    Entry,
)
from workbook_tools.errors import Collector
from workbook_tools.findings import Finding

# Filters the report offers to sentences (see workbook_tools.report.vietnamese).
FILTERS = ("count", "num", "rate", "change", "plain", "yes_no", "lower", "units", "most", "lowest")
# Names every sentence may use besides the form's codes.
CONTEXT_NAMES = ("trong_ky", "ky", "don_vi", "tong_hop")
HEADING_KEYS = ("title", "level", "sentences", "narrative", "table", "note")
SENTENCE_KEYS = ("lead", "parts", "zero", "of", "join", "open", "close", "only", "continues")
PART_KEYS = ("text", "zero", "of")
TABLE_KEYS = ("code", "row")
ONLY = ("unit", "consolidated")

_FIRST_NAME = re.compile(r"{{\s*([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Part:
    """A clause: its template, and the words said instead when ``of`` is zero."""

    text: str
    zero: str = ""
    of: str = ""


@dataclass(frozen=True)
class Sentence:
    """``lead`` + ``open`` + the surviving ``parts`` joined by ``join`` + ``close``.

    ``zero`` replaces the sentence when ``of`` is 0. When no part survives, the lead
    stands alone if it prints a figure, else the sentence is dropped. ``only``
    limits the sentence to the unit's own report or to the consolidated one;
    ``continues`` writes it in the same paragraph as the sentence before it.
    """

    lead: str = ""
    parts: tuple[Part, ...] = ()
    zero: str = ""
    of: str = ""
    join: str = ", "
    open: str = " "
    close: str = ""
    only: str = ""
    continues: bool = False


@dataclass(frozen=True)
class TableList:
    """The rows of a form table listed under a heading, one line per row."""

    code: str
    row: Sentence
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A numbered heading: its sentences, then the unit's texts in ``narrative``."""

    title: str
    level: int
    sentences: tuple[Sentence, ...] = ()
    narrative: tuple[str, ...] = ()
    table: TableList | None = None


@dataclass(frozen=True)
class Outline:
    headings: tuple[Heading, ...]

    def printed(self) -> set[str]:
        """Every code a sentence prints, a narrative cell shows or a table list names."""
        found: set[str] = set()
        for heading in self.headings:
            for sentence in heading.sentences:
                found |= set(_sentence_names(sentence))
            found |= set(heading.narrative)
            if heading.table is not None:
                found.add(heading.table.code)
        return found


def _templates(sentence: Sentence) -> Iterator[str]:
    yield sentence.lead
    yield sentence.zero
    for part in sentence.parts:
        yield part.text
        yield part.zero


def _sentence_names(sentence: Sentence) -> Iterator[str]:
    for text in _templates(sentence):
        yield from names_in(text)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False)


def parse_template(text: str) -> nodes.Template:
    return _environment().parse(text)


@lru_cache(maxsize=1024)
def _tree(text: str) -> nodes.Template:
    """A template parsed once for the names and the filters it uses (only read, never changed)."""
    return parse_template(text)


@lru_cache(maxsize=1024)
def names_in(text: str) -> tuple[str, ...]:
    """The variable names a template reads, in order of appearance."""
    if not text:
        return ()
    tree = _tree(text)
    seen: list[str] = []
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in seen:
            seen.append(node.name)
    return tuple(seen)


def filters_in(text: str) -> list[str]:
    if not text:
        return []
    return [node.name for node in _tree(text).find_all(nodes.Filter)]


def first_code(text: str) -> str:
    """The first name printed by ``text``: the figure whose zero selects the ``zero`` words."""
    for match in _FIRST_NAME.finditer(text):
        if match.group(1) not in CONTEXT_NAMES:
            return match.group(1)
    return ""


class OutlineParser:
    """Builds an :class:`Outline` from parsed YAML, collecting every problem with its place."""

    def __init__(self, known: Mapping[str, str], tables: Mapping[str, Iterable[str]]) -> None:
        self.known = known  # code → kind value
        self.tables = {code: tuple(cols) for code, cols in tables.items()}
        self.found = Collector("")  # the loader names the file

    @property
    def problems(self) -> list[Finding]:
        return self.found.problems

    def add(self, where: str, message: str, fix: str, kind: Entry = FORM_OUTLINE) -> None:
        self.found.add(kind, where, message, fix)

    def parse(self, raw: Any, where: str = "outline") -> Outline:
        if isinstance(raw, Mapping):
            raw = raw.get("headings")
        if not isinstance(raw, list) or not raw:
            self.add(where, "dàn ý báo cáo cần một danh sách đề mục.",
                     "Viết 'headings:' rồi mỗi đề mục trên một dòng bắt đầu bằng '- title: ...'.")  # fmt: skip
            return Outline(())
        headings = tuple(self._heading(item, f"{where}[{k}]") for k, item in enumerate(raw))
        return Outline(headings)

    def _mapping(self, raw: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            self.add(where, f"cần một bảng khóa: giá trị, gặp {type(raw).__name__}.",
                     f"Dùng các khóa: {', '.join(keys)}.")  # fmt: skip
            return {}
        for key in raw:
            if key not in keys:
                self.add(f"{where}.{key}", f"khóa {key!r} không được hỗ trợ.",
                         f"Dùng một trong các khóa: {', '.join(keys)}.", FORM_UNKNOWN_KEY)  # fmt: skip
        return dict(raw)

    def _heading(self, raw: Any, where: str) -> Heading:
        data = self._mapping(raw, where, HEADING_KEYS)
        title = str(data.get("title") or "").strip()
        if not title:
            self.add(f"{where}.title", "đề mục thiếu tiêu đề.", "Thêm 'title: ...'.")
        level = data.get("level", 1)
        if level not in (1, 2, 3):
            self.add(f"{where}.level", f"cấp đề mục {level!r} không hợp lệ.",
                     "Dùng 1 (I.), 2 (1.) hoặc 3 (a)).")  # fmt: skip
            level = 1
        raw_sentences = data.get("sentences") or []
        if not isinstance(raw_sentences, list):
            self.add(f"{where}.sentences", "cần một danh sách câu.", "Mỗi câu một dòng '- ...'.")
            raw_sentences = []
        sentences = tuple(
            self._sentence(item, f"{where}.sentences[{k}]", self.known)
            for k, item in enumerate(raw_sentences)
        )
        narrative = data.get("narrative") or ()
        narrative = (narrative,) if isinstance(narrative, str) else tuple(map(str, narrative))
        for code in narrative:
            if self.known.get(code) != "long_text":
                self.add(f"{where}.narrative", f"mã {code!r} không phải một ô thuyết minh "
                         "(chỉ tiêu kiểu long_text) của biểu mẫu.",
                         "Ghi mã một chỉ tiêu kiểu long_text, hoặc khai báo chỉ tiêu đó.",
                         FORM_UNKNOWN_CODE)  # fmt: skip
        table = self._table(data["table"], f"{where}.table") if "table" in data else None
        return Heading(title, int(level), sentences, tuple(narrative), table)

    def _table(self, raw: Any, where: str) -> TableList | None:
        data = self._mapping(raw, where, TABLE_KEYS)
        code = str(data.get("code") or "")
        if code not in self.tables:
            self.add(f"{where}.code", f"bảng {code!r} không có trong biểu mẫu.",
                     "Ghi mã một bảng ở mục 'tables'.", FORM_UNKNOWN_CODE)  # fmt: skip
            return None
        columns = {c: "text" for c in self.tables[code]}
        row = self._sentence(data.get("row"), f"{where}.row", columns)
        return TableList(code, row, self.tables[code])

    def _sentence(self, raw: Any, where: str, known: Mapping[str, str]) -> Sentence:
        if isinstance(raw, str):
            raw = {"lead": raw}
        data = self._mapping(raw, where, SENTENCE_KEYS)
        parts: list[Part] = []
        raw_parts = data.get("parts") or []
        if not isinstance(raw_parts, list):
            self.add(f"{where}.parts", "cần một danh sách vế câu.", "Mỗi vế một dòng '- ...'.")
            raw_parts = []
        for k, item in enumerate(raw_parts):
            pw = f"{where}.parts[{k}]"
            pdata = self._mapping({"text": item} if isinstance(item, str) else item, pw, PART_KEYS)
            text = self._template(pdata.get("text"), f"{pw}.text", known)
            zero = self._template(pdata.get("zero"), f"{pw}.zero", known)
            of = self._of(pdata, text, pw, known)
            parts.append(Part(text, zero, of))
        lead = self._template(data.get("lead"), f"{where}.lead", known)
        zero = self._template(data.get("zero"), f"{where}.zero", known)
        only = str(data.get("only") or "")
        if only and only not in ONLY:
            self.add(
                f"{where}.only", f"giá trị {only!r} không hợp lệ.", "Dùng unit hoặc consolidated."
            )
        if not lead and not parts:
            self.add(where, "câu không có nội dung.", "Thêm 'lead' hoặc 'parts'.")
        whole = " ".join([lead, *(p.text for p in parts)])
        return Sentence(
            lead,
            tuple(parts),
            zero,
            self._of(data, whole, where, known),
            str(data.get("join", ", ")),
            str(data.get("open", " ")),
            str(data.get("close", "")),
            only,
            data.get("continues") is True,
        )

    def _of(self, data: Mapping[str, Any], text: str, where: str, known: Mapping[str, str]) -> str:
        if not data.get("zero"):
            return ""
        of = str(data.get("of") or first_code(text))
        if of not in known and (data.get("of") or not of):  # an unknown first code is reported once
            self.add(f"{where}.of", f"câu có 'zero' nhưng không rõ chỉ tiêu nào bằng 0 ({of!r}).",
                     "Ghi 'of: <mã chỉ tiêu>'.", FORM_UNKNOWN_CODE)  # fmt: skip
        return of

    def _template(self, raw: Any, where: str, known: Mapping[str, str]) -> str:
        if raw is None:
            return ""
        text = str(raw)
        try:
            used = names_in(text)
            filters = filters_in(text)
        except TemplateSyntaxError as exc:
            self.add(where, f"câu mẫu sai cú pháp Jinja: {exc.message}.",
                     "Viết số liệu dạng {{ ma_chi_tieu | count }}.", FORM_EXPRESSION_SYNTAX)  # fmt: skip
            return text
        for name in used:
            if name not in known and name not in CONTEXT_NAMES:
                self.add(where, f"mã {name!r} không có trong biểu mẫu.",
                         "Sửa mã cho đúng hoặc khai báo chỉ tiêu đó.", FORM_UNKNOWN_CODE)  # fmt: skip
        for name in filters:
            if name not in FILTERS:
                self.add(where, f"bộ lọc {name!r} không có.",
                         f"Dùng một trong: {', '.join(FILTERS)}.", FORM_UNKNOWN_CODE)  # fmt: skip
        return text


def unprinted(outline: Outline | None, inputs: Iterable[str]) -> list[str]:
    """Inputs of the form that no sentence, narrative or table list of the outline prints."""
    printed = outline.printed() if outline is not None else set()
    return [code for code in inputs if code not in printed]
