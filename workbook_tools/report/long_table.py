"""A long table's rows written straight into the saved .docx, outside docxtpl.

docxtpl renders a ``{%tr for r in rows %}`` loop through Jinja, regular
expressions over the whole XML and an lxml tree of it: for the 3,000 rows of a
national appendix that is seconds and a hundred megabytes. Here the template is
rendered with two sample rows whose values are markers; the saved document then
shows the row's XML with a marker where each value goes, and the real rows are
written in its place, one after another, as the document part is streamed into
the .docx: time and memory stay small whatever the number of rows.

This is only done when it gives the document the loop would give: the list is
used only as the loop's items (and as an ``if`` test), the loop body does not use
``loop``, every value is plain text (no control characters, which docxtpl turns
into breaks), and the two sample rows come out next to each other, identical
but for their markers. Otherwise the caller renders the loop as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes

from workbook_tools.report.splice import Splice, escape

MARK = (
    "\ue000"  # a private-use character: no report text has it (a value with it goes the usual way)
)
_MARKER = re.compile(f"{MARK}([01])\\.([^{MARK}]*){MARK}")
_UNSAFE = re.compile(f"[\x00-\x1f\ud800-\udfff{MARK}\ufffe\uffff]")
_BATCH = 500


@dataclass(frozen=True)
class RowPattern:
    """The document around the table's rows, and one row: ``literals`` around the ``fields``."""

    head: str
    literals: tuple[str, ...]  # one more than fields
    fields: tuple[str, ...]
    tail: str

    def row(self, values: Mapping[str, str]) -> str:
        parts = [self.literals[0]]
        for field, literal in zip(self.fields, self.literals[1:], strict=True):
            parts += (escape(values[field]), literal)
        return "".join(parts)

    def splice(self, rows: Sequence[Mapping[str, str]], size: int) -> Splice:
        """The rows in place of the two sample rows of a document part of ``size`` characters."""

        def chunks() -> Iterator[str]:
            for k in range(0, len(rows), _BATCH):
                yield "".join(self.row(r) for r in rows[k : k + _BATCH])

        return Splice(len(self.head), size - len(self.tail), chunks)


def plain_loop(template: nodes.Template, name: str) -> bool:
    """Whether ``name`` is only one loop's items (and ``if`` tests), in a body without ``loop``."""
    uses = [n for n in template.find_all(nodes.Name) if n.name == name]
    loops = [
        f
        for f in template.find_all(nodes.For)
        if isinstance(f.iter, nodes.Name) and f.iter.name == name
    ]
    tests = [
        i
        for i in template.find_all(nodes.If)
        if isinstance(i.test, nodes.Name) and i.test.name == name
    ]
    if len(loops) != 1 or len(uses) != 1 + len(tests):
        return False
    loop = loops[0]
    return (
        loop.test is None
        and not loop.else_
        and not loop.recursive
        and not any(n.name == "loop" for n in loop.find_all(nodes.Name))
    )


def samples(rows: Sequence[Any]) -> list[dict[str, str]] | None:
    """Two marker rows standing for ``rows``; None when the rows are not all plain text."""
    if not rows or not all(isinstance(r, Mapping) for r in rows):
        return None
    keys = rows[0].keys()
    if any(r.keys() != keys for r in rows) or not all(isinstance(k, str) for k in keys):
        return None
    values = [v for r in rows for v in r.values()]
    if not all(type(v) is str for v in values) or _UNSAFE.search("".join([*keys, *values])):
        return None
    return [{k: f"{MARK}{i}.{k}{MARK}" for k in keys} for i in (0, 1)]


def pattern(xml: str) -> RowPattern | None:
    """The row pattern of a document rendered with the two sample rows, if it is one."""
    pieces = _MARKER.split(xml)  # literal, (index, field, literal)…
    literals, marks = pieces[0::3], list(zip(pieces[1::3], pieces[2::3], strict=True))
    half = len(marks) // 2
    first, second = marks[:half], marks[half:]
    if (
        not half
        or len(marks) % 2
        or {i for i, _ in first} != {"0"}
        or {i for i, _ in second} != {"1"}
    ):
        return None
    fields = tuple(f for _, f in first)
    inner = tuple(literals[1:half])
    if fields != tuple(f for _, f in second) or inner != tuple(literals[half + 1 : 2 * half]):
        return None
    before, between, after = literals[0], literals[half], literals[-1]
    start = max(before.rfind("<w:tr>"), before.rfind("<w:tr "))
    end = after.find("</w:tr>") + len("</w:tr>")
    if start < 0 or end < len("</w:tr>") or between != after[:end] + before[start:]:
        return None
    return RowPattern(before[:start], (before[start:], *inner, after[:end]), fields, after[end:])
