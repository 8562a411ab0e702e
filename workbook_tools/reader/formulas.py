"""Which cells hold formulas, for .xlsx/.xlsm and .ods.

python-calamine returns cached values only, so a formula typed into an input
cell (``=19+7``) would pass unseen; the checks reject it because cached values
are never trusted. The sheet XML is scanned for ``<f>`` elements (xlsx) or
``table:formula`` attributes (ods). .xls (binary) is not scanned.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_tools.reader.safety import FileKind

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<f\b')

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    for entity, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return text


def formula_cells(path: Path, kind: FileKind, sheets: set[str]) -> set[tuple[str, str]]:
    """``(sheet, A1)`` of every formula cell in the named sheets."""
    if kind in ("xlsx", "xlsm"):
        return _xlsx(path, sheets)
    if kind == "ods":
        return _ods(path, sheets)
    return set()


def sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name → its part in the package (``xl/worksheets/sheet3.xml``)."""
    ids = {_unescape(n): r.decode() for n, r in _SHEET.findall(workbook_xml)}
    ids.update({_unescape(n): r.decode() for r, n in _SHEET_ALT.findall(workbook_xml)})
    targets = {i.decode(): t.decode() for i, t in _REL.findall(rels_xml)}
    targets.update({i.decode(): t.decode() for t, i in _REL_ALT.findall(rels_xml)})
    parts = {}
    for name, rid in ids.items():
        target = targets.get(rid, "")
        if target:
            parts[name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _xlsx(path: Path, sheets: set[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels"))
        names = set(z.namelist())
        for sheet in sheets:
            part = parts.get(sheet, "")
            if part not in names:
                continue
            for coord in _FORMULA_CELL.findall(z.read(part)):
                found.add((sheet, coord.decode()))
    return found


def _ods(path: Path, sheets: set[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
        root = ElementTree.parse(fh).getroot()
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
