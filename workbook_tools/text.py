"""Text helpers shared by every stage: NFC, file-name slugs, Vietnamese numbers, safe CSV."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from slugify import slugify as _slugify


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every stored Vietnamese text takes."""
    return unicodedata.normalize("NFC", text)


def slug(text: str, max_length: int = 60) -> str:
    """ASCII file-name slug: ``"UBND xã Đông Sơn"`` → ``"ubnd-xa-dong-son"`` (đ → d)."""
    return _slugify(nfc(text), max_length=max_length, word_boundary=True) or "don-vi"


def format_number(value: float, decimals: int | None = None, *, trailing_zeros: bool = True) -> str:
    """Number text in the locale ``vi``: ``"."`` groups thousands, ``","`` marks decimals.

    ``56703`` → ``"56.703"``; ``-1234.5`` → ``"-1.234,5"``. Without ``decimals`` a
    whole number has none and any other float every decimal ``str`` gives it
    (``12.25`` → ``"12,25"``); with ``decimals`` it is rounded half to even to that
    many places, all written (``99.0`` → ``"99,0"``) unless ``trailing_zeros`` is
    off (``"99"``). The same text as Babel's ``format_decimal(value, locale="vi")``
    (with ``#,##0.00`` or ``#,##0.##`` patterns), without its per-call pattern parsing:
    the report and the checks format one number per cell or finding.
    """
    if decimals is None and float(value).is_integer():
        exact = Decimal(int(value))
    else:
        exact = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if decimals is not None:
        exact = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(exact):,f}".partition(".")
    if not trailing_zeros:
        fraction = fraction.rstrip("0")
    sign = "-" if exact.is_signed() else ""
    return sign + whole.replace(",", ".") + ("," + fraction if fraction else "")


def format_percent(fraction: float, decimals: int = 1) -> str:
    """``0.999`` → ``"99,9%"`` (a fraction, as stored in percent cells)."""
    return format_number(fraction * 100, decimals) + "%"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell's text as a formula (OWASP, CSV injection)."""


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula if it were typed in a cell."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: str) -> str:
    """``value`` safe to put in a CSV opened by Excel: formula-like text gets a leading ``'``.

    Following the OWASP guidance on CSV injection, the apostrophe makes Excel and
    LibreOffice show the text instead of evaluating it. Text that already starts
    with apostrophes before a formula character gets one more, so that
    :func:`csv_text` gives back exactly what was written.
    """
    return "'" + value if formula_like(value.lstrip("'")) else value


def csv_text(cell: str) -> str:
    """The text :func:`csv_cell` was given (one leading ``'`` before a formula start removed)."""
    if cell.startswith("'") and formula_like(cell.lstrip("'")):
        return cell[1:]
    return cell


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file Excel reads right (UTF-8 with a BOM), every cell neutralised (:func:`csv_cell`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(c) for c in header])
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
