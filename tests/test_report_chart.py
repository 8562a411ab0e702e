"""The report's bar chart: round ticks, one bar per unit, Vietnamese text drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
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


# ------------------------------------------- the chart shows what its title says (issue 11)


def test_lowest_rates_leave_out_units_at_100_when_there_are_many() -> None:
    from workbook_tools.report.chart import lowest_rates

    rates = [(f"Xã {k}", 100.0) for k in range(55)] + [
        (f"Xã thấp {k}", 99.0 + k / 100) for k in range(50)
    ]
    bars, note = lowest_rates(rates, 60)
    assert len(bars) == 50 and all(value < 100 for _, value in bars)
    assert [v for _, v in bars] == sorted(v for _, v in bars)  # lowest first
    assert note == "50 đơn vị dưới 100%; 55 đơn vị khác đạt 100%"


def test_lowest_rates_when_more_than_fit_are_below_100() -> None:
    from workbook_tools.report.chart import lowest_rates

    rates = [(f"Xã {k}", 90.0 + k / 10) for k in range(70)] + [("Xã đủ", 100.0)]
    bars, note = lowest_rates(rates, 60)
    assert [name for name, _ in bars] == [f"Xã {k}" for k in range(60)]
    assert note == "60 đơn vị thấp nhất trong 70 đơn vị dưới 100%; 1 đơn vị đạt 100%"


def test_few_units_are_all_shown() -> None:
    from workbook_tools.report.chart import lowest_rates

    bars, note = lowest_rates([("A", 100.0), ("B", 95.0)], 60)
    assert bars == [("B", 95.0), ("A", 100.0)] and note == ""


def test_report_chart_titled_lowest_has_no_bar_at_100(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The consolidated report's chart with 105 units, 55 of them at 100 %."""
    from types import SimpleNamespace

    from workbook_tools.report import context

    units = [
        SimpleNamespace(unit_name=f"Xã {k}", values={"ty_le_dung_han": 1.0}) for k in range(55)
    ]
    units += [
        SimpleNamespace(unit_name=f"Xã thấp {k}", values={"ty_le_dung_han": 0.99 + k / 10_000})
        for k in range(50)
    ]
    drawn: dict[str, object] = {}

    def capture(
        bars: list[tuple[str, float]], title: str, low: float, high: float, path: Path
    ) -> Path:
        drawn.update(bars=bars, title=title, low=low)
        return path

    monkeypatch.setattr(context, "bar_chart", capture)
    context.chart_image(SimpleNamespace(units=units), tmp_path)  # type: ignore[arg-type]
    bars = drawn["bars"]
    assert isinstance(bars, list) and len(bars) == 50
    assert max(v for _, v in bars) < 100
    assert bars[-1][0] == "Xã thấp 0"  # drawn bottom to top: the lowest on top
    assert "50 đơn vị dưới 100%" in str(drawn["title"])
    assert drawn["low"] == 98  # as far below 99 % as 99 % is below 100 %


def test_bars_carry_their_value(tmp_path: Path) -> None:
    """A value is written at each bar's end (black after it, or white inside it)."""
    path = bar_chart([("A", 80.0)], "T", 60, 100, tmp_path / "c.png")
    image = Image.open(path).convert("L")
    blue = tuple(int(BAR_COLOUR[k : k + 2], 16) for k in (1, 3, 5))
    rgb = Image.open(path).convert("RGB")
    row = next(y for y in range(rgb.height) if rgb.getpixel((rgb.width // 2 - 100, y)) == blue)
    end = max(x for x in range(rgb.width) if rgb.getpixel((x, row)) == blue)
    after = image.crop((end + 2, row, min(end + 120, image.width), row + 150))
    assert after.getextrema()[0] < 80  # dark text right after the 80 % bar
