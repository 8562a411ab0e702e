"""The units' texts (Phụ lục II) written straight into the saved .docx, outside docxtpl.

The consolidated report's last appendix holds every unit's texts, whole: tens of
thousands of paragraphs at national scale. Through docxtpl's Jinja, its regular
expressions and an lxml tree of the whole document that is seconds and hundreds of
megabytes. As :mod:`long_table` does for the rows of Phụ lục I, the template is
rendered with a small sample whose texts are markers: the saved document then shows
each kind of paragraph the loops print (a section's title, a subsection's title at
level 3 or at level 2, a text) with a marker where its text goes, and the real
paragraphs are written in place of the sample's as the document part is streamed
into the .docx: time and memory stay small whatever the number of units.

This is only done when it gives the document the loops would give: the list is used
only as one loop's items (and ``if`` tests) whose body does not use ``loop``
(:func:`workbook_tools.report.long_table.plain_loop`) and only prints the texts or
tests them, their lists and the level (:func:`plain_body`: no filter, call or other
comparison, whose result the sample could not stand for); every text is plain (no
control characters, which docxtpl turns into breaks); and the sample, which holds
every kind of section and subsection the data can have, comes out as one paragraph
per marker, in the order of :func:`paragraphs`, nothing between them, each kind's
paragraph the same but for its text. Otherwise the caller renders the loops as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from jinja2 import nodes

from workbook_tools.report.splice import Splice, escape

MARK = "\ue001"  # a private-use character, not long_table's: no report text has it
_MARKER = re.compile(f"{MARK}([0-9]+){MARK}")
_UNSAFE = re.compile(f"[\x00-\x1f\ud800-\udfff\ue000{MARK}\ufffe\uffff]")
_BATCH = 500

Kind = str  # "section", "heading3", "heading2", "text"


def paragraphs(sections: Sequence[Mapping[str, Any]]) -> Iterator[tuple[Kind, str]]:
    """The paragraphs the template's loops print for ``sections``, in order, with their kind.

    A section prints its title; a subsection its title when it has one (level 3: "a) …",
    otherwise bold), then its paragraphs.
    """
    for section in sections:
        yield "section", section["title"]
        for sub in section["subsections"]:
            if sub["title"]:
                yield ("heading3" if sub["level"] == 3 else "heading2"), sub["title"]
            for text in sub["paragraphs"]:
                yield "text", text


def plain_body(template: nodes.Template, name: str) -> bool:
    """Whether the loops over ``name`` print and test their items only as :data:`SAMPLE` shows them.

    Within the loop: no filter, call or ``is`` test, and no comparison but of a ``level``
    with a constant; what it prints then depends only on which titles are empty, the
    levels and how many items each list has, every case of which the sample holds.
    """
    for loop in template.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Name) and loop.iter.name == name):
            continue
        if any(True for _ in loop.find_all((nodes.Filter, nodes.Call, nodes.Test))):
            return False
        for compare in loop.find_all(nodes.Compare):
            level = isinstance(compare.expr, nodes.Getattr) and compare.expr.attr == "level"
            if not level or not all(isinstance(op.expr, nodes.Const) for op in compare.ops):
                return False
    return True


def _plain(sections: Sequence[Any]) -> bool:
    """Sections as :func:`workbook_tools.report.context.sections` makes them, all plain text."""
    texts: list[str] = []
    for section in sections:
        if not isinstance(section, Mapping) or not isinstance(section.get("title"), str):
            return False
        subs = section.get("subsections")
        if not isinstance(subs, list):
            return False
        texts.append(section["title"])
        for sub in subs:
            if not isinstance(sub, Mapping) or sub.get("level") not in (2, 3):
                return False
            title, paras = sub.get("title"), sub.get("paragraphs")
            if not isinstance(title, str) or not isinstance(paras, list):
                return False
            if not all(type(p) is str for p in paras):
                return False
            texts += (title, *paras)
    return not _UNSAFE.search("".join(texts))


def _sample() -> list[dict[str, Any]]:
    """Two sections; a subsection of each level, with and without a title, with 0 to 2 texts;
    a section without subsections between them. Texts are numbered markers, in print order."""
    shape = [
        [(True, 3, 2), (True, 2, 1), (False, 2, 1), (True, 2, 0), (False, 3, 1)],
        [],
        [(True, 3, 1)],
    ]
    counter = iter(range(1000))

    def mark() -> str:
        return f"{MARK}{next(counter)}{MARK}"

    sections: list[dict[str, Any]] = []
    for subs in shape:
        section: dict[str, Any] = {"title": mark(), "subsections": []}
        for titled, level, count in subs:
            title = mark() if titled else ""
            texts = [mark() for _ in range(count)]
            section["subsections"].append({"title": title, "level": level, "paragraphs": texts})
        sections.append(section)
    return sections


SAMPLE = _sample()


def samples(sections: Sequence[Any]) -> list[dict[str, Any]] | None:
    """The marker sample standing for ``sections``; None when they are not all plain text."""
    if not sections or not _plain(sections):
        return None
    return SAMPLE


@dataclass(frozen=True)
class TextPattern:
    """Where the sample's paragraphs stand in the document, and each kind's paragraph."""

    start: int
    end: int
    around: dict[Kind, tuple[str, str]]  # the paragraph's XML before and after its text

    def paragraph(self, kind: Kind, text: str) -> str:
        before, after = self.around[kind]
        return before + escape(text) + after

    def splice(self, sections: Sequence[Mapping[str, Any]]) -> Splice:
        def chunks() -> Iterator[str]:
            batch: list[str] = []
            for kind, text in paragraphs(sections):
                batch.append(self.paragraph(kind, text))
                if len(batch) == _BATCH:
                    yield "".join(batch)
                    batch = []
            yield "".join(batch)

        return Splice(self.start, self.end, chunks)


def _paragraph_start(xml: str, before: int) -> int:
    return max(xml.rfind("<w:p>", 0, before), xml.rfind("<w:p ", 0, before))


def pattern(xml: str) -> TextPattern | None:
    """The paragraphs of a document rendered with :data:`SAMPLE`, if they are as expected."""
    expected = list(paragraphs(SAMPLE))
    marks = list(_MARKER.finditer(xml))
    if [int(m.group(1)) for m in marks] != [int(t[1:-1]) for _, t in expected if t]:
        return None
    spans: list[tuple[Kind, int, int, int, int]] = []  # kind, paragraph start, text, end
    found = iter(marks)
    for kind, text in expected:
        if not text:
            return None  # every paragraph of the sample has its marker
        m = next(found)
        start = _paragraph_start(xml, m.start())
        end = xml.find("</w:p>", m.end())
        if start < 0 or end < 0:
            return None
        spans.append((kind, start, m.start(), m.end(), end + len("</w:p>")))
    around: dict[Kind, tuple[str, str]] = {}
    for kind, start, text_start, text_end, end in spans:
        pieces = (xml[start:text_start], xml[text_end:end])
        if around.setdefault(kind, pieces) != pieces:
            return None
    for (_, _, _, _, end), (_, start, _, _, _) in pairwise(spans):
        if end != start:
            return None  # something between two paragraphs: not the loops' plain output
    return TextPattern(spans[0][1], spans[-1][4], around)
