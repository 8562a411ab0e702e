"""Clean a cell value once, in the reader: every later stage sees the same value.

One rule for every file the Sở receives, returned workbooks and unit lists alike:

- strings: NFC; zero-width characters pasted from web pages (zero-width space,
  joiners, word joiner) and a BOM left inside a cell vanish, as they show nothing;
  non-breaking and other Unicode spaces and tabs become plain spaces; ``\\r\\n``
  becomes ``\\n``; stripped; blank → None;
- numbers: ``3.0`` → ``3``; dates and booleans pass through.

:func:`clean_line` is that rule for a one-line text field (a unit list's cells):
the value as text, every run of spaces, line breaks and control characters one
space.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from workbook_tools.text import nfc

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_VANISH = dict.fromkeys(map(ord, ZERO_WIDTH))
# every Unicode space (thin U+2009, narrow no-break U+202F, figure, em …) reads as a plain one
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
# in a one-line field, control characters (line breaks included) read as spaces
_CONTROLS: dict[int, str | None] = {
    cp: " " for cp in itertools.chain(range(0x20), range(0x7F, 0xA0))
}


def clean_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = _SPACES.sub(" ", nfc(value.translate(_VANISH))).replace("\r\n", "\n").strip()
        return text or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def clean_line(value: Any) -> str | None:
    """A one-line text field: :func:`clean_value` as text, inner runs of space collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as 3 is "3", however large
    cleaned = clean_value(value)
    if cleaned is None:
        return None
    text = " ".join(str(cleaned).translate(_CONTROLS).split())
    return text or None
