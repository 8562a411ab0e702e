"""Clean a cell value once, in the reader: every later stage sees the same value.

Strings: NFC, non-breaking and odd spaces to plain spaces, stripped, blank → None.
Numbers: ``3.0`` → ``3``. Dates and booleans pass through.
"""

from __future__ import annotations

import re
from typing import Any

from workbook_tools.text import nfc

# every Unicode space (thin U+2009, narrow no-break U+202F, figure, em …) reads as a plain one
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff\t]")


def clean_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = _SPACES.sub(" ", nfc(value)).replace("\r\n", "\n").strip()
        return text or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
