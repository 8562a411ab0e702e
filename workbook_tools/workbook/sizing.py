"""Row heights for wrapped text.

Excel grows a row to fit wrapped text when it edits the cell, but not when it
opens a file, and LibreOffice keeps the height the file gives; a generated row
with a long label would print over its neighbours. So the writer sets each
height from an estimate of the wrapped lines.
"""

from __future__ import annotations

import math

LINE_HEIGHT = 15.75  # points, for 12 pt Times New Roman
CHARS_PER_WIDTH = 1.25  # characters of 12 pt Times per unit of Excel column width


def lines(text: str, width: float, font_size: float = 12) -> int:
    per_line = max(1, int(width * CHARS_PER_WIDTH * 12 / font_size))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def row_height(cells: list[tuple[str, float]], font_size: float = 12) -> float:
    """The height that fits the tallest of ``(text, column width)`` cells."""
    most = max((lines(text, width, font_size) for text, width in cells), default=1)
    return round(max(1, most) * LINE_HEIGHT * font_size / 12 + 2, 2)
