"""CSV files as text, as Excel and the tool save them: one decoding for every CSV read.

A unit list and the lists the tool writes are saved by people in Excel, LibreOffice
or WPS: UTF-8 with or without a BOM ("CSV UTF-8"), or Excel's "Unicode Text"
(UTF-16 with a BOM, tab-separated); Excel in a Vietnamese locale separates with
``;``. Which separator a file uses is told by its header (:func:`best_delimiter`).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable

DELIMITERS = (",", ";", "\t")


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-16 when it starts with a UTF-16 BOM, else UTF-8 (a BOM
    dropped). Raises :class:`UnicodeDecodeError` for any other encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def best_delimiter(text: str, known: Callable[[list[str]], int], rows: int) -> str:
    """The delimiter under which the header is recognised best.

    csv.Sniffer guesses wrongly on short files whose names contain commas ("Sở Văn
    hóa, Thể thao và Du lịch") while Excel in a Vietnamese locale saves with ";".
    The header is what must be read right, so each candidate is scored by the
    ``known`` column names it reveals in the first ``rows`` rows, then by row width.
    """
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        found, width = 0, 0
        for row in itertools.islice(reader, rows):
            found, width = max(found, known(row)), max(width, len(row))
        if (found, width) > best_score:
            best, best_score = delimiter, (found, width)
    return best


def line_of(data: bytes, offset: int) -> int:
    """The line (from 1) of byte ``offset`` of ``data``: where a decoding error is."""
    return data.count(b"\n", 0, offset) + 1
