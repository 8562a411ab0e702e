"""Rows written straight into a sheet's XML, for a sheet too large to write cell by cell.

XlsxWriter spends ~15 µs on a cell (a cell object, then its XML writer); the
per-unit sheet of a national consolidation has ~2·10⁵ cells. Such a sheet is
built by XlsxWriter without its bulk rows (title, headers, total row and every
sheet setting stay XlsxWriter's, so the dimension, panes, filter, names and
print setup are its own), and the bulk rows are spliced into its
``<sheetData>`` when the package is finished (:func:`splice_rows`).

The cells are written as XlsxWriter writes them: numbers as ``%.16G``, a
formula without its ``=`` and with its cached result, a blank with its style.
Strings are inline (``t="inlineStr"``, as XlsxWriter's constant-memory mode
writes them) instead of shared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from xlsxwriter.utility import xl_col_to_name

_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


@dataclass(frozen=True)
class SplicedRows:
    """Rows for the sheet named ``sheet``, placed before the row XlsxWriter wrote at ``before``.

    ``before`` is 0-based, like XlsxWriter's rows; ``xml`` is a run of ``<row>`` elements.
    """

    sheet: str
    before: int
    xml: bytes


def style_index(fmt: Any) -> int:
    """The ``s=`` index of an XlsxWriter format, fixed now (before the workbook is closed).

    XlsxWriter numbers a format when it first writes a cell with it; a format used
    only in spliced rows is numbered here, so that ``styles.xml`` has it. XlsxWriter
    has no public call for this: ``Format._get_xf_index`` is private, which is why
    ``pyproject.toml`` pins XlsxWriter to the versions ``tests/test_xlsxwriter_pin.py``
    has checked it on.
    """
    return int(fmt._get_xf_index())


_ESCAPE_LOOKALIKE = re.compile(r"_x[0-9a-fA-F]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_NOT_XML_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def text_xml(text: str) -> str:
    """Cell text as XlsxWriter writes it (OOXML's ``ST_Xstring``), XML-escaped.

    A control character becomes ``_xHHHH_``, as do U+FFFE and U+FFFF; a text that
    already looks like such an escape keeps it by escaping its underscore
    (``_x0041_`` → ``_x005F_x0041_``). Almost every text has none of them, and is
    only escaped.
    """
    if "_x" not in text and _NOT_XML_CHARACTER.search(text) is None:
        return escape(text)
    text = _ESCAPE_LOOKALIKE.sub(r"_x005F\g<0>", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_"))


_EXACT_INT = 2**53  # a whole number up to this is a double exactly, and %.16G writes its digits


def number_cell(ref: str, style: int, value: float) -> str:
    if type(value) is int and -_EXACT_INT <= value <= _EXACT_INT:  # most figures: as %.16G, faster
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if not math.isfinite(value):
        raise ValueError(f"{ref}: {value} is not a number a spreadsheet can hold")
    return f'<c r="{ref}" s="{style}"><v>{value:.16G}</v></c>'


def blank_cell(ref: str, style: int) -> str:
    return f'<c r="{ref}" s="{style}"/>'


def text_cell(ref: str, style: int, text: str) -> str:
    """A string cell (a blank one for ``""``, as XlsxWriter's ``write`` does)."""
    if not text:
        return blank_cell(ref, style)
    return _inline_string(ref, style, text_xml(text))


def _inline_string(ref: str, style: int, xml: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{xml}</t></is></c>'


def plain(value: Any) -> int | float | str | None:
    """What a cell of a table to read holds: a number, or text (never a formula or a
    link), or nothing (None, ""). Dates become Vietnamese text (dd/mm/yyyy)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def plain_cell(ref: str, style: int, value: Any) -> str:
    """The cell of :func:`plain` ``(value)``."""
    shown = plain(value)
    if shown is None:
        return blank_cell(ref, style)
    if isinstance(shown, str):
        return text_cell(ref, style, shown)
    return number_cell(ref, style, shown)


def plain_rows_xml(
    first: int,
    rows: Sequence[Sequence[Any]],
    styles: Sequence[int],
    heights: Sequence[float] | None = None,
) -> bytes:
    """``rows`` of plain values from the 0-based row ``first``, column ``j`` in ``styles[j]``.

    ``heights[k]`` (points) is row ``k``'s height, for wrapped text (default: the sheet's).
    """
    letters = [xl_col_to_name(j) for j in range(len(styles))]
    out: list[str] = []
    escaped: dict[str, str] = {}
    for k, values in enumerate(rows):
        r = str(first + k + 1)
        height = "" if heights is None else f' ht="{heights[k]:.16G}" customHeight="1"'
        out.append(f'<row r="{r}" spans="1:{len(styles)}"{height}>')
        out.extend(
            [
                _row_cell(letter + r, style, value, escaped)
                for letter, style, value in zip(letters, styles, values, strict=False)
            ]
        )
        out.append("</row>")
    return "".join(out).encode("utf-8")


def _row_cell(ref: str, style: int, value: Any, escaped: dict[str, str]) -> str:
    """:func:`plain_cell`, the common values first: a table has ~10⁵ cells at national scale,
    and a text it repeats (an indicator's label, a unit's name) is ``escaped`` once."""
    kind = type(value)
    if kind is str and value:
        xml = escaped.get(value)
        if xml is None:
            xml = escaped[value] = text_xml(value)
        return _inline_string(ref, style, xml)
    if kind is int or kind is float:
        return number_cell(ref, style, value)
    if value is None:
        return blank_cell(ref, style)
    return plain_cell(ref, style, value)


def formula_cell(ref: str, style: int, formula_xml: str, cached: Any) -> str:
    """A formula (already XML-escaped, no ``=``) with its cached result (``""``: none)."""
    kind = ""
    if isinstance(cached, bool):
        kind, cached = ' t="b"', int(cached)
    elif isinstance(cached, str):
        if cached in _ERROR_CODES:
            kind = ' t="e"'
        elif cached:
            kind = ' t="str"'
        cached = escape(cached)
    return f'<c r="{ref}" s="{style}"{kind}><f>{formula_xml}</f><v>{cached}</v></c>'


def splice_rows(sheet_xml: bytes, before: int, rows: bytes) -> bytes:
    """``sheet_xml`` with ``rows`` inserted before its row ``before`` (0-based)."""
    mark = b'<row r="%d"' % (before + 1)
    at = sheet_xml.find(mark)
    if at < 0 or sheet_xml.find(mark, at + 1) >= 0:
        raise RuntimeError(f"the sheet has no single row {before + 1} to insert rows before")
    return sheet_xml[:at] + rows + sheet_xml[at:]
