"""Issue 12: a sheet name written with XML character references is read as the name it is.

Another writer may store ``Số liệu`` as ``S&#7889; li&#x1EC7;u``; the formula scan must
still find that sheet (a formula typed into an input cell is never trusted).
"""

from __future__ import annotations

from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.contract.parts import sheet_parts
from workbook_tools.reader.formulas import formula_cells

RELS = (
    b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>'
)


def workbook_xml(first: bytes, second: bytes) -> bytes:
    return (
        b'<workbook><sheets><sheet name="' + first + b'" sheetId="1" r:id="rId1"/>'
        b'<sheet r:id="rId2" sheetId="2" name="' + second + b'"/></sheets></workbook>'
    )


def test_character_references_and_entities_in_sheet_names() -> None:
    names = sheet_parts(workbook_xml(b"Caf&#233; &amp; tr&#x1EA1;m", b"&lt;S&#7889;&gt;"), RELS)
    assert names == {
        "Café & trạm": "xl/worksheets/sheet1.xml",
        "<Số>": "xl/worksheets/sheet2.xml",
    }


def test_a_plain_name_and_an_unknown_entity_stay_as_written() -> None:
    names = sheet_parts(workbook_xml("Số liệu".encode(), b"A&nbsp;B"), RELS)
    assert names == {"Số liệu": "xl/worksheets/sheet1.xml", "A&nbsp;B": "xl/worksheets/sheet2.xml"}


def test_a_formula_in_a_sheet_named_with_references_is_found() -> None:
    sheet = b'<worksheet><sheetData><row r="3"><c r="D3"><f>19+7</f><v>26</v></c></row></sheetData></worksheet>'
    parts = {
        "xl/workbook.xml": workbook_xml(b"S&#7889; li&#x1EC7;u", b"Other"),
        "xl/_rels/workbook.xml.rels": RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }
    assert formula_cells("xlsx", parts, {"Số liệu"}) == {("Số liệu", "D3")}


def test_whitespace_in_a_name_is_normalised_as_an_xml_parser_does() -> None:
    # a tab or line break written raw in an attribute reads as a space (XML 1.0, 3.3.3)
    names = sheet_parts(workbook_xml(b"S\xe1\xbb\x91\tli\xe1\xbb\x87u", b"Other\nsheet"), RELS)
    assert names == {
        "Số liệu": "xl/worksheets/sheet1.xml",
        "Other sheet": "xl/worksheets/sheet2.xml",
    }


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_a_name_reads_as_a_full_xml_parser_reads_it(name: str) -> None:
    raw = name.replace('"', "").encode()
    try:
        parsed = str(ElementTree.fromstring(b'<a v="' + raw + b'"/>').attrib["v"])
    except ElementTree.ParseError:
        parsed = raw.decode()
    names = sheet_parts(workbook_xml(raw, b"Other"), RELS)
    assert next(iter(names)) == parsed
