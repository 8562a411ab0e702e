"""Long runs of the report written into the saved .docx in place of a rendered sample.

:mod:`long_table` (Phụ lục I's rows) and :mod:`long_text` (Phụ lục II's paragraphs)
find, in a document rendered with a small marked sample, where the sample stands
and what one of its items looks like; :func:`write` copies the document with the
real items in place of each sample, streaming the document part into the .docx a
batch at a time, so that neither the whole part nor a tree of it is ever held.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

DOCUMENT = "word/document.xml"


@dataclass(frozen=True)
class Splice:
    """What replaces ``xml[start:end]`` of the document part, produced a piece at a time."""

    start: int
    end: int
    chunks: Callable[[], Iterator[str]]


def escape(text: str) -> str:
    """``text`` as the content of a ``<w:t>`` element."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def document_xml(rendered: IO[bytes]) -> str:
    """The document part of the .docx ``rendered``."""
    with zipfile.ZipFile(rendered) as source:
        return source.read(DOCUMENT).decode("utf-8")


def write(rendered: IO[bytes], target: Path, xml: str, splices: Sequence[Splice]) -> None:
    """Copy the .docx ``rendered`` (document part ``xml``) to ``target`` with ``splices`` made.

    The splices must not overlap; they are made in the order they stand in the part.
    """
    with (
        zipfile.ZipFile(rendered) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != DOCUMENT:
                out.writestr(info, source.read(info))
                continue
            part = zipfile.ZipInfo(DOCUMENT, info.date_time)
            part.compress_type = info.compress_type
            with out.open(part, "w") as stream:
                position = 0
                for splice in sorted(splices, key=lambda s: s.start):
                    stream.write(xml[position : splice.start].encode())
                    for chunk in splice.chunks():
                        stream.write(chunk.encode())
                    position = splice.end
                stream.write(xml[position:].encode())
