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
    if "\n" not in text:
        if 1.5 * len(text) <= per_line:  # one line, however wide its letters
            return 1
        return math.ceil(_length(text) / per_line)
    return sum(max(1, math.ceil(_length(part) / per_line)) for part in text.split("\n"))


_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))


def _length(text: str) -> float:
    """``text``'s width in average characters: a capital A-Z (codes, abbreviations such as
    UBND) is half as wide again. Counted on the bytes, fast enough for every cell."""
    raw = text.encode()
    return len(text) + 0.5 * (len(raw) - len(raw.translate(None, _CAPITALS)))


def row_height(cells: list[tuple[str, float]], font_size: float = 12) -> float:
    """The height that fits the tallest of ``(text, column width)`` cells."""
    most = max((lines(text, width, font_size) for text, width in cells), default=1)
    return round(max(1, most) * LINE_HEIGHT * font_size / 12 + 2, 2)


def split_for_rows(text: str, width: float, max_lines: int, font_size: float = 12) -> list[str]:
    """``text`` in pieces of at most ``max_lines`` wrapped lines, for a row each.

    A row cannot grow past 409 points and a printed row is not split across pages,
    so a long text prints in several rows: it is cut between paragraphs, and a
    paragraph longer than a row between words. A text that fits is one piece.
    """
    per_line = max(1, int(width * CHARS_PER_WIDTH * 12 / font_size))
    if lines(text, width, font_size) <= max_lines:
        return [text]
    budget = per_line * max(1, max_lines - 1)  # a line of slack for wrapping at words
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for paragraph in text.split("\n"):
        for part in _cut_words(paragraph, budget):
            need = lines(part, width, font_size)
            if current and used + need > max_lines:
                pieces.append("\n".join(current))
                current, used = [], 0
            current.append(part)
            used += need
    if current:
        pieces.append("\n".join(current))
    return pieces


def _cut_words(paragraph: str, budget: int) -> list[str]:
    """``paragraph`` in runs of whole words at most ``budget`` characters wide (:func:`_length`);
    a word wider than that is cut."""
    if _length(paragraph) <= budget:
        return [paragraph]
    runs: list[str] = []
    run = ""
    size = max(1, budget * 2 // 3)  # a capital counts 1.5
    words = (w[i : i + size] for w in paragraph.split(" ") for i in range(0, max(1, len(w)), size))
    for word in words:
        if run and _length(run) + 1 + _length(word) > budget:
            runs.append(run)
            run = word
        else:
            run = f"{run} {word}" if run else word
    runs.append(run)
    return runs
