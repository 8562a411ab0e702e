"""Which cells hold formulas, for .xlsx/.xlsm and .ods.

python-calamine returns cached values only, so a formula typed into an input
cell (``=19+7``) would pass unseen; the checks reject it because cached values
are never trusted. The sheet XML is scanned for ``<f>`` elements (xlsx) or
``table:formula`` attributes (ods). .xls (binary) is not scanned.
"""

from __future__ import annotations

import re

from defusedxml import ElementTree
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_tools.contract.parts import sheet_parts
from workbook_tools.reader.safety import FileKind

_FORMULA = re.compile(rb"<f[\s>/]")
_AFTER_NAME = (b" ", b"\t", b"\n", b"\r")  # what follows <c before its attributes
_CELL_REF = re.compile(rb"""\sr=["']([A-Z]+[0-9]+)["']""")

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def formula_cells(
    kind: FileKind, parts: dict[str, bytes], sheets: set[str]
) -> set[tuple[str, str]]:
    """``(sheet, A1)`` of every formula cell in the named sheets; ``parts``: inflated XML."""
    if kind in ("xlsx", "xlsm"):
        return _xlsx(parts, sheets)
    if kind == "ods" and "content.xml" in parts:
        return _ods(parts["content.xml"], sheets)
    return set()


def _xlsx(parts: dict[str, bytes], sheets: set[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    names = sheet_parts(
        parts.get("xl/workbook.xml", b""), parts.get("xl/_rels/workbook.xml.rels", b"")
    )
    for sheet in sheets:
        xml = parts.get(names.get(sheet, ""))
        if xml is None:
            continue
        found.update((sheet, coord) for coord in formula_coords(xml))
    return found


def formula_coords(xml: bytes) -> list[str]:
    """The A1 references of the cells of a worksheet part that hold a formula.

    Each ``<f>`` element is found first (a sheet has far fewer formulas than
    cells), then the ``<c>`` element it stands in: the nearest one before it,
    since ``<f>`` is a cell's first child.
    """
    first = max(xml.find(b"<sheetData"), 0)
    last = xml.find(b"</sheetData>", first)  # conditional formats' <formula> come after
    coords = []
    for match in _FORMULA.finditer(xml, first, last if last >= 0 else len(xml)):
        start = xml.rfind(b"<c", first, match.start())
        if start < 0 or xml[start + 2 : start + 3] not in _AFTER_NAME:
            continue
        ref = _CELL_REF.search(xml, start, xml.find(b">", start))
        if ref is not None:
            coords.append(ref.group(1).decode())
    return coords


def _ods(content: bytes, sheets: set[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    root = ElementTree.fromstring(content)
    for table in root.iter(f"{ODS_TABLE}table"):
        name = table.get(f"{ODS_TABLE}name", "")
        if name not in sheets:
            continue
        row = 0
        for element in table.iter(f"{ODS_TABLE}table-row"):
            repeat_rows = int(element.get(f"{ODS_TABLE}number-rows-repeated", "1"))
            col = 0
            for cell in element:
                repeat = int(cell.get(f"{ODS_TABLE}number-columns-repeated", "1"))
                if cell.get(f"{ODS_TABLE}formula") is not None:
                    for c in range(col, col + min(repeat, 1024)):
                        found.add((name, str(xl_rowcol_to_cell(row, c))))
                col += repeat
            row += repeat_rows
    return found
