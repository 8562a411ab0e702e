"""Where each sheet's XML sits in an .xlsx package, found from the workbook part.

Both sides need it: the writer splices rows into its template's sheet parts, the
reader scans received sheet parts for formulas. The package's own files say which
part is which sheet (``xl/workbook.xml`` names the sheets, its relationships give
the parts); no part name is guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from defusedxml import ElementTree

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RESOLVED = re.compile(rb"[&\t\n\r]")  # references, and whitespace a parser normalises
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _unescape(raw: bytes) -> str:
    """An attribute's raw value as an XML parser reads it: entities and character
    references (``&amp;``, ``&#233;``, ``&#x1EA1;``) resolved; undecodable bytes or an
    unknown entity leave the text as it stands (it then names no sheet of the form)."""
    if not _RESOLVED.search(raw):  # nothing the parser would change (the usual case)
        return raw.decode("utf-8", "replace")
    try:
        return str(ElementTree.fromstring(b'<a v="' + raw + b'"/>').attrib["v"])
    except ElementTree.ParseError:
        return raw.decode("utf-8", "replace")


def sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name → its part in the package (``xl/worksheets/sheet3.xml``).

    Every workbook made from one template has the same two parts, so the answer is
    remembered by their bytes (a copy is returned: the caller may change it).
    """
    return dict(_sheet_parts(workbook_xml, rels_xml))


@lru_cache(maxsize=32)
def _sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    ids = {_unescape(n): r.decode() for n, r in _SHEET.findall(workbook_xml)}
    ids.update({_unescape(n): r.decode() for r, n in _SHEET_ALT.findall(workbook_xml)})
    targets = {i.decode(): t.decode() for i, t in _REL.findall(rels_xml)}
    targets.update({i.decode(): t.decode() for t, i in _REL_ALT.findall(rels_xml)})
    found = {}
    for name, rid in ids.items():
        target = targets.get(rid, "")
        if target:
            found[name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return found
