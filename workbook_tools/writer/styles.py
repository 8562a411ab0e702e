"""Cell formats of the generated workbooks: Times New Roman, and one colour per role.

The colours are the legend (:mod:`workbook_tools.contract.legend`) printed on the
instructions sheet, which the checks' feedback copies use too.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.contract.legend import COMPUTED_FILL, FONT, HEADER_FILL, INPUT_FILL
from workbook_tools.form.model import Kind

NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.00",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "dd/mm/yyyy",
}


def number_format(kind: Kind, decimals: int | None = None) -> str:
    """The cell format at an indicator's display precision (the report prints the same)."""
    if decimals is None or kind not in (Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT):
        return NUMBER_FORMATS.get(kind, "General")
    places = "." + "0" * decimals if decimals else ""
    return f"0{places}%" if kind is Kind.PERCENT else f"#,##0{places}"


class Styles:
    """Formats for one xlsxwriter workbook, created once and reused by key."""

    def __init__(self, workbook: Any) -> None:
        self._wb = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        props.setdefault("font_name", FONT)
        props.setdefault("font_size", 12)
        props.setdefault("valign", "vcenter")
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]

    def cf(self, colour: str, **props: Any) -> Any:
        """A conditional format (fills only: fonts in conditional formats are ignored)."""
        key = (("cf", colour), *sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format({"bg_color": colour, **props})
        return self._cache[key]

    def title(self) -> Any:
        return self.get(bold=True, font_size=14, align="center", text_wrap=True)

    def subtitle(self) -> Any:
        return self.get(italic=True, align="center", text_wrap=True)

    def header(self) -> Any:
        return self.get(bold=True, align="center", text_wrap=True, border=1, bg_color=HEADER_FILL)

    def label(self, *, bold: bool = False, indent: int = 0) -> Any:
        return self.get(bold=bold, text_wrap=True, border=1, indent=indent)

    def plain(self, **props: Any) -> Any:
        return self.get(text_wrap=True, **props)

    def input(
        self, kind: Kind, *, tall: bool = False, year: bool = False, decimals: int | None = None
    ) -> Any:
        """An input cell at the indicator's display precision; a ``year`` shows as 2024,
        never with a thousands separator."""
        props: dict[str, Any] = {"border": 1, "bg_color": INPUT_FILL, "locked": False}
        if kind in NUMBER_FORMATS:
            props["num_format"] = "0" if year else number_format(kind, decimals)
            props["align"] = "right"
        else:
            props["text_wrap"] = True
        if tall:
            props["valign"] = "top"
        return self.get(**props)

    def computed(self, kind: Kind, decimals: int | None = None) -> Any:
        return self.get(
            border=1,
            bg_color=COMPUTED_FILL,
            bold=True,
            num_format=number_format(kind, decimals),
            align="right",
        )

    def status(self) -> Any:
        """A rule's status text; its fill (conditional: red, orange) says how serious."""
        return self.get(text_wrap=True, border=1, font_size=11)

    def code(self) -> Any:
        return self.get(border=1, font_size=9, font_color="#7F7F7F")

    def locked_value(self) -> Any:
        return self.get(border=1, text_wrap=True, bold=True)
