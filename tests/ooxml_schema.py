"""Schema check of the .docx and .xlsx files the project writes.

No package on the index ships the ECMA-376 transitional XSDs for lxml; the check
is openxml-audit, a pure-Python port of the Open XML SDK's validator (the SDK's
own schema data: element order, cardinality, attribute types and values; its
semantic checks; the package's relationships and content types). Microsoft Word
and Excel answer a part it rejects with a repair prompt.

Every finding of severity "error" counts. Where the SDK's data is stricter than
the schema, the package is first put into the SDK's form, in a way the schema
says changes nothing (:data:`ADJUSTMENTS`, each with its reason), so that the
SDK still checks everything else there. Warnings do not count: they are not
schema violations (e.g. inline strings, which the schema allows, and which Excel
moves into its shared-string table at its next save).
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree
from openxml_audit import OpenXmlValidator, ValidationError, ValidationSeverity

# SpreadsheetML's font children in the order of the SDK's data (and of Excel's files).
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
              "sz", "color", "name", "family", "charset", "scheme")  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """A finding that counts: the part, the element's path in it, the element, what is wrong."""

    part: str
    path: str
    node: str
    description: str


@dataclass(frozen=True)
class Adjustment:
    """A change the schema says is no change, made where the SDK's data is stricter."""

    part: str
    change: Callable[[Any], None]
    reason: str


def _fonts_in_sdk_order(root: Any) -> None:
    rank = {name: k for k, name in enumerate(FONT_ORDER)}
    for font in root.iter("{*}font"):
        font[:] = sorted(font, key=lambda child: rank.get(etree.QName(child).localname, len(rank)))


ADJUSTMENTS = (
    Adjustment(
        part="xl/styles.xml",
        change=_fonts_in_sdk_order,
        reason=(
            "sml.xsd makes CT_Font an <xsd:choice maxOccurs='unbounded'> of its children: any "
            "order is valid, and Excel opens openpyxl's fonts (name, sz, b, color…: the "
            "feedback copies) without repair. The SDK's data has a sequence and rejects them. "
            "Sorted (a stable sort; an unknown child last), every font is still checked: an "
            "unknown or repeated child is still an error."
        ),
    ),
)


@cache
def _validator() -> OpenXmlValidator:
    return OpenXmlValidator(max_errors=0)


def raw_errors(path: Path) -> list[ValidationError]:
    """Every finding of severity "error" in the package as it is."""
    result = _validator().validate(path)
    return [e for e in result.errors if e.severity is ValidationSeverity.ERROR]


def rewrite(path: Path, out: Path, changes: dict[str, Callable[[Any], None]]) -> Path:
    """The package at ``path`` written to ``out``, each part named in ``changes`` parsed and
    changed in place by its function."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in changes:
                root = etree.fromstring(data)
                changes[info.filename](root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out


def problems(path: Path) -> list[Problem]:
    """The findings that count in the package at ``path`` (none: it is schema-valid)."""
    with tempfile.TemporaryDirectory() as folder:
        changes = {a.part: a.change for a in ADJUSTMENTS}
        errors = raw_errors(rewrite(path, Path(folder) / path.name, changes))
    return [Problem(e.part_uri, e.path, e.node or "", e.description) for e in errors]
