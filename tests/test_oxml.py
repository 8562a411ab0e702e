"""Property elements put at their schema position (workbook_tools.report.oxml)."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.report.oxml import SEQUENCES, borders, element, set_property


def names(parent: object) -> list[str]:
    return [child.tag.split("}")[1] for child in parent]  # type: ignore[attr-defined]


def test_a_border_goes_before_spacing_indent_and_alignment() -> None:
    ppr = element("w:pPr")
    for tag in ("w:keepNext", "w:spacing", "w:ind", "w:jc", "w:rPr"):
        ppr.append(element(tag))
    set_property(ppr, borders("w:pBdr", {"bottom": {"val": "single"}}))
    # ECMA-376 Part 1, CT_PPrBase: … keepNext … pBdr … spacing, ind … jc …; then rPr
    assert names(ppr) == ["keepNext", "pBdr", "spacing", "ind", "jc", "rPr"]


def test_table_borders_go_before_layout_and_look_and_replace_the_old_ones() -> None:
    table = Document().add_table(rows=1, cols=1)
    table.autofit = False  # python-docx's own w:tblLayout
    props = table._element.tblPr
    set_property(props, borders("w:tblBorders", {"top": {"val": "single"}}))
    set_property(props, borders("w:tblBorders", {"insideV": {"val": "nil"}, "top": {"val": "nil"}}))
    assert names(props) == ["tblW", "tblBorders", "tblLayout", "tblLook"]
    edges = props.find(qn("w:tblBorders"))
    assert names(edges) == ["top", "insideV"]  # in schema order whatever the order given
    assert edges[0].get(qn("w:val")) == "nil"


def test_an_element_the_sequence_does_not_name_is_refused() -> None:
    with pytest.raises(ValueError, match="tblBorders"):
        set_property(element("w:pPr"), element("w:tblBorders"))
    with pytest.raises(ValueError, match="tblPr"):
        set_property(element("w:body"), element("w:tblPr"))


@given(
    st.sampled_from(sorted(SEQUENCES)).flatmap(
        lambda parent: st.tuples(
            st.just(parent), st.lists(st.sampled_from(SEQUENCES[parent]), max_size=40)
        )
    )
)
def test_any_insertions_leave_the_schema_order_without_duplicates(
    case: tuple[str, list[str]],
) -> None:
    parent_tag, children = case
    parent = element(parent_tag)
    for tag in children:
        set_property(parent, element(tag))
    order = [t.split(":")[1] for t in SEQUENCES[parent_tag]]
    expected = [t for t in order if f"w:{t}" in children]  # each once, in the schema's order
    assert names(parent) == expected
