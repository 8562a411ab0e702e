"""WordprocessingML property elements put where the schema wants them.

The property elements of a paragraph, a run, a table, a row, a cell and a section
(``w:pPr``, ``w:rPr``, ``w:tblPr``, ``w:trPr``, ``w:tcPr``, ``w:sectPr``) are
ordered sequences in ECMA-376 Part 1 (wml.xsd): a ``w:pBdr`` after ``w:spacing``,
a ``w:tblBorders`` after ``w:tblLook`` or a second ``w:tblLayout`` makes Microsoft
Word ask to repair the document, while LibreOffice opens it silently. python-docx
places the properties it knows (its own setters); for the others, such as
borders, :func:`set_property` puts the element at its schema position, in place of
one of the same name. It is how the Word templates are built (see
``scripts/build_docx_template.py``).
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# ECMA-376 Part 1, wml.xsd (transitional): the child sequence of each property element.
SEQUENCES: dict[str, tuple[str, ...]] = {
    "w:pPr": (  # CT_PPrBase, then CT_PPr's own
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange",
    ),
    "w:rPr": (  # EG_RPrBase in the order Word writes it (a valid order either way), then rPrChange
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
        "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange",
    ),
    "w:tblPr": (  # CT_TblPrBase, then CT_TblPr's own
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
        "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
        "w:tblDescription", "w:tblPrChange",
    ),
    "w:trPr": (  # CT_TrPrBase (any order is valid; this is Word's), then CT_TrPr's own
        "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
        "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
        "w:ins", "w:del", "w:trPrChange",
    ),
    "w:tcPr": (  # CT_TcPrBase, then CT_TcPr's own
        "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    ),
    "w:sectPr": (  # EG_HdrFtrReferences, EG_SectPrContents, then sectPrChange
        "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
        "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
        "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
        "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    ),
    "w:tblBorders": ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"),
    "w:pBdr": ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
}  # fmt: skip

_CLARK = {qn(parent): tuple(qn(tag) for tag in tags) for parent, tags in SEQUENCES.items()}


def successors(parent_tag: str, child_tag: str) -> tuple[str, ...]:
    """The children (Clark names) that come after ``child_tag`` in ``parent_tag``'s sequence."""
    order = _CLARK.get(parent_tag)
    if order is None or child_tag not in order:
        raise ValueError(f"no schema position for {child_tag} in {parent_tag}")
    return order[order.index(child_tag) + 1 :]


def set_property(parent: Any, child: Any) -> Any:
    """Put ``child`` into the property element ``parent`` at its schema position.

    An element of the same name already there is replaced (a property occurs at
    most once). ``parent`` and ``child`` are lxml elements (python-docx's
    ``OxmlElement``); returns ``child``. A child the sequence does not name is an
    error, never appended at the end.
    """
    after = successors(parent.tag, child.tag)
    for old in parent.findall(child.tag):
        parent.remove(old)
    for sibling in parent:
        if sibling.tag in after:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def element(tag: str, **attrs: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes: ``element("w:bottom", val="single")``."""
    made = OxmlElement(tag)
    for key, value in attrs.items():
        made.set(qn(f"w:{key}"), value)
    return made


def borders(tag: str, edges: dict[str, dict[str, str]]) -> Any:
    """A ``w:pBdr`` or ``w:tblBorders`` with ``edges`` (name → attributes) in schema order."""
    made = element(tag)
    for edge, attrs in edges.items():
        set_property(made, element(f"w:{edge}", **attrs))
    return made
