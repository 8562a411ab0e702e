"""The report's bar chart: round ticks, one bar per unit, Vietnamese text drawn."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from workbook_tools.report.chart import BAR_COLOUR, bar_chart, ticks


def test_round_ticks() -> None:
    assert ticks(94, 100) == [94, 95, 96, 97, 98, 99, 100]
    assert ticks(60, 100) == [60, 65, 70, 75, 80, 85, 90, 95, 100]
    assert ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert ticks(94.3, 100) == [95, 96, 97, 98, 99, 100]
    assert ticks(99.2, 99.9) == [99.2, 99.3, 99.4, 99.5, 99.6, 99.7, 99.8, 99.9]


def test_bars_fill_the_axis_in_proportion(tmp_path: Path) -> None:
    bars = [("UBND xã Mỹ Hòa", 80.0), ("UBND phường Đông Hải", 100.0)]
    path = bar_chart(bars, "Tỷ lệ đúng hạn", 60, 100, tmp_path / "c.png")
    image = Image.open(path).convert("RGB")
    assert image.size == (1200, 450)  # 8 x 3 inches at 150 dpi
    blue = tuple(int(BAR_COLOUR[k : k + 2], 16) for k in (1, 3, 5))
    rows = [y for y in range(image.height) if image.getpixel((image.width // 2, y)) == blue]
    assert rows, "no bar drawn"
    bottom_bar = [x for x in range(image.width) if image.getpixel((x, rows[-1])) == blue]
    top_bar = [x for x in range(image.width) if image.getpixel((x, rows[0])) == blue]
    # the 100 % bar (drawn on top) spans the whole axis; the 80 % bar half of it (60 to 100)
    full = top_bar[-1] - top_bar[0]
    assert abs((bottom_bar[-1] - bottom_bar[0]) - full / 2) <= 2
    # labels are drawn left of the bars, in black
    left = image.crop((0, 0, top_bar[0], image.height))
    assert left.convert("L").getextrema()[0] < 80


def test_many_bars_fit_an_a4_page(tmp_path: Path) -> None:
    bars = [(f"UBND xã Số {k}", 90.0 + k / 10) for k in range(60)]
    title = (
        "Tỷ lệ giải quyết hồ sơ trước hạn và đúng hạn theo đơn vị (60 đơn vị có tỷ lệ thấp nhất)"
    )
    image = Image.open(bar_chart(bars, title, 85, 100, tmp_path / "c.png"))
    # 12.5 inches at 150 dpi: printed 160 mm wide it is 250 mm tall, within the 257 mm of text
    assert image.size == (1200, 1875)
