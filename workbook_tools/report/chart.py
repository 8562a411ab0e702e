"""A horizontal bar chart as a PNG, drawn with Pillow for the consolidated report.

The report needs one plain chart (a rate per unit); Pillow draws it in a few
hundredths of a second and a few megabytes, where importing and laying out a
plotting library cost more than the rest of the report. The font is DejaVu Serif,
shipped in ``templates/fonts`` (it has every Vietnamese letter). Sizes are given
in points and inches, as in a word processor, and drawn at ``DPI``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from workbook_tools.report.vietnamese import decimal
from workbook_tools.resources import templates_dir

DPI = 150
WIDTH_IN = 8.0
MAX_HEIGHT_IN = 12.5  # printed 160 mm wide, the chart stays within an A4 page's 257 mm
BAR_COLOUR = "#2E75B6"
FONT_FILE = "DejaVuSerif.ttf"


def _px(points: float) -> int:
    return round(points * DPI / 72)


def _font(points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(templates_dir() / "fonts" / FONT_FILE), _px(points))


def ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Round tick values from ``low`` to ``high``: steps of 1, 2 or 5 times a power of ten."""
    span = high - low
    if span <= 0:
        return [low]
    power = 10 ** math.floor(math.log10(span / most))
    step = next(k * power for k in (1, 2, 5, 10) if span / (k * power) <= most)
    first = math.ceil(low / step - 1e-9)
    return [round(k * step, 10) for k in range(first, math.floor(high / step + 1e-9) + 1)]


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, room: float) -> str:
    """``text`` cut with "…" so that it fits in ``room`` pixels."""
    if draw.textlength(text, font=font) <= room:
        return text
    while text and draw.textlength(text + "…", font=font) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _lines(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, room: float
) -> list[str]:
    """``text`` on one line, or on two (before its parenthesis, else at a middle space)."""
    if draw.textlength(text, font=font) <= room or " " not in text:
        return [text]
    cut = text.rfind(" (")
    if cut < 0:
        spaces = [k for k, c in enumerate(text) if c == " "]
        cut = min(spaces, key=lambda k: abs(k - len(text) / 2))
    return [text[:cut], text[cut + 1 :]]


def lowest_rates(
    rates: Sequence[tuple[str, float]], most: int
) -> tuple[list[tuple[str, float]], str]:
    """The bars of a chart of rates in percent, lowest first, and what the title must add.

    All of them when they fit; otherwise only the rates below 100 %, the lowest ``most``:
    a chart titled "the lowest" whose bars stand at 100 % says nothing to its reader.
    Empty when there are too many and all are at 100 %.
    """
    ordered = sorted(rates, key=lambda bar: bar[1])
    if len(ordered) <= most:
        return ordered, ""
    below = [bar for bar in ordered if bar[1] < 100 - 1e-9]
    full = len(ordered) - len(below)
    if len(below) <= most:
        return below, f"{len(below)} đơn vị dưới 100%; {full} đơn vị khác đạt 100%"
    return below[:most], (
        f"{most} đơn vị thấp nhất trong {len(below)} đơn vị dưới 100%; {full} đơn vị đạt 100%"
    )


def bar_chart(
    bars: Sequence[tuple[str, float]], title: str, low: float, high: float, path: Path
) -> Path:
    """Bars (label, value) from bottom to top, on an axis from ``low`` to ``high``, each with
    its value written at its end; the PNG at ``path``."""
    width = round(WIDTH_IN * DPI)
    height = round(min(max(3.0, 0.22 * len(bars) + 1), MAX_HEIGHT_IN) * DPI)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, tick_font, title_font = _font(7), _font(10), _font(10)
    pad, tick_len, line = _px(4), _px(3.5), max(1, _px(0.8))

    labels = [_fit(draw, name, label_font, width * 0.45) for name, _ in bars]
    left = pad + max(draw.textlength(t, font=label_font) for t in labels) + pad + tick_len
    right = width - _px(12)
    titles = _lines(draw, title, title_font, width - 2 * pad)
    top = pad + len(titles) * _px(12) + 2 * pad
    bottom = height - (pad + 2 * _px(10) + 3 * pad + tick_len)

    for k, text in enumerate(reversed(titles)):
        half = draw.textlength(text, font=title_font) / 2
        centre = min(max((left + right) / 2, pad + half), width - pad - half)
        draw.text(
            (centre, top - pad - k * _px(12)), text, font=title_font, fill="black", anchor="md"
        )
    slot = (bottom - top) / (len(bars) + 1)
    scale = (right - left) / (high - low)
    for k, ((_, value), label) in enumerate(zip(bars, labels, strict=True)):
        middle = bottom - slot * (k + 1)
        end = left + (min(max(value, low), high) - low) * scale
        draw.rectangle((left, middle - 0.4 * slot, end, middle + 0.4 * slot), fill=BAR_COLOUR)
        shown = decimal(value)
        room = draw.textlength(shown, font=label_font) + 2 * pad
        if end + room <= right:  # after the bar
            draw.text((end + pad, middle), shown, font=label_font, fill="black", anchor="lm")
        elif end - left >= room:  # inside its end
            draw.text((end - pad, middle), shown, font=label_font, fill="white", anchor="rm")
        draw.line((left - tick_len, middle, left, middle), fill="black", width=line)
        draw.text(
            (left - tick_len - pad, middle), label, font=label_font, fill="black", anchor="rm"
        )
    for value in ticks(low, high):
        x = left + (value - low) * scale
        draw.line((x, bottom, x, bottom + tick_len), fill="black", width=line)
        draw.text(
            (x, bottom + tick_len + pad), decimal(value), font=tick_font, fill="black", anchor="mt"
        )
    draw.text(((left + right) / 2, height - pad), "%", font=tick_font, fill="black", anchor="md")
    draw.rectangle((left, top, right, bottom), outline="black", width=line)
    image.save(path, dpi=(DPI, DPI))
    return path
